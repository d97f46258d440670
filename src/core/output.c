/*
 * output.c - atomic output files.  Everything is written to a temporary
 * file in the target's directory and renamed over the target only when it
 * is complete, so a failure never leaves a partial file and never clobbers
 * an earlier output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medexport.h"

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

/* Opens a new temporary file ".medexport-PID-N.tmp" in the directory of
 * `path`; O_EXCL guarantees it is ours, and the mode 0644 is filtered by
 * the umask like any file the user makes. */
static int
S_open_temp(struct mx_outfile *f, size_t dirlen)
{
	static atomic_uint counter;
	static atomic_long pid; /* asked once: threads share it */
	long me = atomic_load(&pid);

	if (me == 0) {
		me = (long)getpid();
		atomic_store(&pid, me);
	}
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(f->tmp_path + dirlen, 48, ".medexport-%ld-%u.tmp", me,
		         atomic_fetch_add(&counter, 1));
		f->fd = open(f->tmp_path,
		             O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd >= 0 || errno != EEXIST)
			return f->fd;
	}
	return -1;
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
	f->tmp_path = malloc(dirlen + 48);
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
