/*
 * output.c - atomic output files.  Everything is written to a temporary
 * file in the target's directory and renamed over the target only when it
 * is complete, so a failure never leaves a partial file and never clobbers
 * an earlier output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medexport.h"

/* The longest temporary file name, with its NUL. */
#define TMP_NAME_MAX 96

static int
S_write_fd(void *user, const void *data, size_t len)
{
	struct mx_outfile *f = user;
	const char *p = data;

	while (len > 0 && !f->failed) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->failed = errno ? errno : EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return f->failed ? -1 : 0;
}

/* Creates every missing directory above `path`. */
static int
S_make_parents(const char *path)
{
	char *dir = strdup(path);
	int rc = 0;

	if (dir == NULL)
		return -1;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
		if (rc != 0)
			break;
	}
	free(dir);
	return rc;
}

/* Temporary files are ".medexport-HOST-PID-N.tmp": the host and process
 * that own one tell a later run whether it is an orphan (see
 * mx_outdir_sweep()), even in a folder that several machines share. */
#define TMP_PREFIX   "\x2emedexport-"
#define TMP_SUFFIX   ".tmp"
#define TMP_HOST_MAX 32

static pthread_once_t S_tag_once = PTHREAD_ONCE_INIT;
static char S_host[TMP_HOST_MAX + 1];
static long S_pid;

static void
S_tag_init(void)
{
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	/* Only what is safe in a file name, and never empty. */
	for (size_t i = 0, n = 0; host[i] && n < TMP_HOST_MAX; i++) {
		char c = host[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_')
			S_host[n++] = c;
	}
	if (S_host[0] == '\0')
		strcpy(S_host, "host");
	S_pid = (long)getpid();
}

/* Opens a new temporary file in the directory of `path`; O_EXCL
 * guarantees it is ours, and the mode 0644 is filtered by the umask like
 * any file the user makes. */
static int
S_open_temp(struct mx_outfile *f, size_t dirlen)
{
	static atomic_uint counter;

	pthread_once(&S_tag_once, S_tag_init);
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(f->tmp_path + dirlen, TMP_NAME_MAX,
		         TMP_PREFIX "%s-%ld-%u" TMP_SUFFIX, S_host, S_pid,
		         atomic_fetch_add(&counter, 1));
		f->fd = open(f->tmp_path,
		             O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd >= 0 || errno != EEXIST)
			return f->fd;
	}
	return -1;
}

/* The process that owns the temporary file `name` when it is one of this
 * host's, else 0. */
static long
S_temp_owner(const char *name)
{
	size_t n = strlen(name), plen = sizeof(TMP_PREFIX) - 1,
	       hlen = strlen(S_host);
	const char *p;
	char *end;
	long pid;

	if (n <= plen + hlen + sizeof(TMP_SUFFIX) ||
	    strncmp(name, TMP_PREFIX, plen) != 0 ||
	    strcmp(name + n - (sizeof(TMP_SUFFIX) - 1), TMP_SUFFIX) != 0 ||
	    strncmp(name + plen, S_host, hlen) != 0 || name[plen + hlen] != '-')
		return 0;
	p = name + plen + hlen + 1;
	pid = strtol(p, &end, 10);
	if (end == p || *end != '-' || pid <= 0)
		return 0;
	return pid;
}

int
mx_outdir_sweep(const char *dir)
{
	DIR *d;
	struct dirent *e;
	int removed = 0;

	pthread_once(&S_tag_once, S_tag_init);
	d = opendir(dir);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		long pid;
		if (e->d_name[0] != '.' || (pid = S_temp_owner(e->d_name)) == 0)
			continue;
		/* Gone: killed (SIGKILL, a crash, a power cut) before it
		 * could remove its file.  A live process keeps its own. */
		if (pid == S_pid || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int
mx_outfile_open(struct mx_outfile *f, const char *path,
                const struct mx_diag *diag)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = strdup(path);
	/* The temporary file sits beside the target, so that rename() is
	 * atomic; its name is short, as the target's may already be as long
	 * as names can be. */
	f->tmp_path = malloc(dirlen + TMP_NAME_MAX);
	if (f->path == NULL || f->tmp_path == NULL) {
		mx_report(diag, MX_ERROR, path, 0, "out of memory");
		goto fail;
	}
	memcpy(f->tmp_path, path, dirlen);
	if (S_open_temp(f, dirlen) < 0 && errno == ENOENT) {
		/* Only the first output of a directory pays for this. */
		if (S_make_parents(path) != 0) {
			mx_report(diag, MX_ERROR, path, 0,
			          "cannot create the output directory: %s",
			          strerror(errno));
			goto fail;
		}
		S_open_temp(f, dirlen);
	}
	if (f->fd < 0) {
		mx_report(diag, MX_ERROR, path, 0, "cannot write here: %s",
		          strerror(errno));
		goto fail;
	}
	f->sink.write = S_write_fd;
	f->sink.user = f;
	return 0;
fail:
	free(f->path);
	free(f->tmp_path);
	f->path = f->tmp_path = NULL;
	return -1;
}

int
mx_outfile_commit(struct mx_outfile *f, const struct mx_diag *diag)
{
	int rc = -1;

	if (f->failed) {
		mx_report(diag, MX_ERROR, f->path, 0, "cannot write: %s",
		          strerror(f->failed));
		goto done;
	}
	if (close(f->fd) != 0) {
		f->fd = -1;
		mx_report(diag, MX_ERROR, f->path, 0, "cannot write: %s",
		          strerror(errno));
		goto done;
	}
	f->fd = -1;
	if (rename(f->tmp_path, f->path) != 0) {
		mx_report(diag, MX_ERROR, f->path, 0, "cannot rename: %s",
		          strerror(errno));
		goto done;
	}
	free(f->tmp_path); /* renamed: nothing left to remove */
	f->tmp_path = NULL;
	rc = 0;
done:
	mx_outfile_abort(f);
	return rc;
}

void
mx_outfile_abort(struct mx_outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp_path)
		unlink(f->tmp_path); /* gone already after a rename */
	free(f->path);
	free(f->tmp_path);
	f->path = f->tmp_path = NULL;
}
