/*
 * main.c - the medexport command.  This is the only part that talks to the
 * user: it reads the options, finds the inputs, runs the workers, prints
 * diagnostics, progress and the summary, and chooses the exit status.
 */
/* nftw() with FTW_ACTIONRETVAL is a GNU extension. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "medexport.h"

enum exit_status {
	EXIT_ALL_CONVERTED = 0,
	EXIT_SOME_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_INTERRUPTED = 130,
};

#define MAX_FORMATS 4
#define MAX_JOBS    256

struct input {
	char *path;     /* as found */
	char *relative; /* path below the directory given, or the base name */
	char *dir;      /* directory of the input, for outputs beside it */
};

struct config {
	const struct mx_backend *formats[MAX_FORMATS];
	int nformats;
	const char *outdir; /* NULL: beside the input; "-": stdout */
	const char *feed;   /* --feed FILE */
	int jobs;
	int quiet;
	int update;
	unsigned shard_index, shard_count;
	struct mx_options opts;
	const char *style_file; /* for --update */
};

struct run {
	struct config *cfg;
	struct input *inputs;
	size_t ninputs;
	atomic_size_t next;
	atomic_size_t done;
	atomic_size_t failed;
	atomic_size_t skipped;
	pthread_mutex_t lock;      /* stderr and stdout */
	pthread_mutex_t feed_lock; /* the feed (its backend reports through
	                              S_diag, which takes `lock`) */
	struct timespec start;
	double last_progress;
	int progress;
	/* The feed, when there is one. */
	const struct mx_backend *feed_backend;
	void *feed_state;
	struct mx_outfile feed_file;
	size_t stdout_docs; /* documents written to standard output */
	char **feed_ids;    /* open-addressing set of the ids in the feed */
	size_t feed_ids_cap, feed_ids_count;
};

static volatile sig_atomic_t interrupted;
static const char *progname = "medexport";

static void
S_on_signal(int sig)
{
	interrupted = sig;
}

static double
S_seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The diagnostic callback: "FILE:LINE: error: message" on stderr. */
static void
S_diag(void *user, enum mx_severity severity, const char *file, int line,
       const char *message)
{
	struct run *run = user;

	if (severity == MX_WARNING && run->cfg->quiet)
		return;
	pthread_mutex_lock(&run->lock);
	if (run->progress)
		fputs("\r\033[K", stderr);
	if (file && line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	else
		fprintf(stderr, "%s: ", progname);
	fprintf(stderr, "%s: %s\n", severity == MX_ERROR ? "error" : "warning",
	        message);
	pthread_mutex_unlock(&run->lock);
}

static void
S_usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [FORMAT...] [OPTION...] FILE|DIR|- ...\n"
	        "\n"
	        "Converts drug monographs written in Markdown.\n"
	        "\n"
	        "Formats (several may be given; default --txt):\n"
	        "  --txt             plain text (NAME.txt)\n"
	        "  --xml             XML (NAME.xml), valid against "
	        "styles/monograph.xsd\n"
	        "  --pdf             PDF leaflet (NAME.pdf)\n"
	        "  --tree            the monograph tree, for debugging "
	        "(NAME.tree)\n"
	        "\n"
	        "Output:\n"
	        "  -o, --output DIR  write into DIR (mirrors sub-folders of "
	        "input\n"
	        "                    directories); '-' writes to standard "
	        "output\n"
	        "  --feed FILE       with --xml: one streamed <feed> of every "
	        "monograph\n"
	        "  --update          skip outputs newer than their input and "
	        "style\n"
	        "\n"
	        "Text:    --width N (default 72), --ascii\n"
	        "XML:     --no-validate\n"
	        "PDF:     --style NAME|FILE (default leaflet-a4), --bleed MM, "
	        "--crop-marks\n"
	        "\n"
	        "Batch:\n"
	        "  -j, --jobs N      N workers (default: the number of cores)\n"
	        "  --shard I/N       convert only shard I (0 to N-1) of N\n"
	        "  -q, --quiet       no warnings, progress or summary\n"
	        "  -h, --help        this help\n"
	        "  -V, --version     the version\n"
	        "\n"
	        "Exit status: 0 all converted, 1 some inputs failed, 2 usage "
	        "error,\n"
	        "130 interrupted.\n",
	        progname);
}

static int
S_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", progname);
	return EXIT_USAGE;
}

/* ---------------------------------------------------------------------
 * Inputs
 */
struct input_list {
	struct input *items;
	size_t count, cap;
};

static int
S_add_input(struct input_list *list, const char *path, const char *relative,
            const char *dir)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct input *items =
		        realloc(list->items, cap * sizeof(*items));
		if (items == NULL)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	struct input *in = &list->items[list->count];
	in->path = strdup(path);
	in->relative = strdup(relative);
	in->dir = strdup(dir);
	if (!in->path || !in->relative || !in->dir)
		return -1;
	list->count++;
	return 0;
}

/* nftw() has no user pointer; the walk is single-threaded. */
static struct input_list *walk_list;
static size_t walk_root_len;
static int walk_failed;

static int
S_ends_with_md(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

static int
S_walk(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct stat target;
	const char *base = path + ftw->base;

	if (ftw->level > 0 && base[0] == '.')
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	if (type == FTW_DNR) {
		fprintf(stderr, "%s: error: cannot read directory\n", path);
		walk_failed = 1;
		return FTW_CONTINUE;
	}
	/* Symbolic links to files are followed; links to directories are
	 * not, so a link loop cannot trap the walk. */
	if (type == FTW_SL || type == FTW_SLN) {
		if (stat(path, &target) != 0) {
			if (S_ends_with_md(path)) {
				fprintf(stderr, "%s: error: cannot open: %s\n",
				        path, strerror(errno));
				walk_failed = 1;
			}
			return FTW_CONTINUE;
		}
		if (!S_ISREG(target.st_mode))
			return FTW_CONTINUE;
		type = FTW_SL;
	}
	if (type == FTW_F && !S_ISREG(st->st_mode) && S_ends_with_md(path)) {
		fprintf(stderr, "%s: error: not a regular file\n", path);
		walk_failed = 1;
		return FTW_CONTINUE;
	}
	if ((type == FTW_F || type == FTW_SL) && S_ends_with_md(path)) {
		char *dir = strdup(path);
		char *slash;
		if (dir == NULL)
			return FTW_STOP;
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		if (S_add_input(walk_list, path, path + walk_root_len, dir))
			walk_failed = 1;
		free(dir);
	}
	return FTW_CONTINUE;
}

static int
S_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
S_cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->path,
	              ((const struct input *)b)->path);
}

/* Finds the inputs: files as given, every *.md below a directory. Returns
 * the number of arguments that failed. */
static int
S_collect(struct input_list *list, char **args, int nargs)
{
	int failed = 0;

	for (int i = 0; i < nargs; i++) {
		const char *arg = args[i];
		struct stat st;

		if (strcmp(arg, "-") == 0) {
			S_add_input(list, "-", "stdin.md", ".");
			continue;
		}
		if (stat(arg, &st) != 0) {
			fprintf(stderr, "%s: error: cannot open: %s\n", arg,
			        strerror(errno));
			failed++;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t before = list->count;
			char *root = strdup(arg);
			size_t n = strlen(root);
			while (n > 1 && root[n - 1] == '/')
				root[--n] = '\0';
			walk_list = list;
			walk_root_len = n + 1;
			walk_failed = 0;
			if (nftw(root, S_walk, 32,
			         FTW_PHYS | FTW_ACTIONRETVAL) != 0 ||
			    walk_failed)
				failed++;
			free(root);
			if (list->count == before) {
				fprintf(stderr,
				        "%s: error: no *.md files in this "
				        "directory\n",
				        arg);
				failed++;
			}
			if (list->count > before)
				qsort(list->items + before,
				      list->count - before,
				      sizeof(struct input), S_cmp_input);
			continue;
		}
		const char *slash = strrchr(arg, '/');
		char *dir = slash ? strndup(arg, (size_t)(slash - arg))
		                  : strdup(".");
		if (dir && slash && *dir == '\0') {
			free(dir);
			dir = strdup("/");
		}
		if (dir == NULL ||
		    S_add_input(list, arg, slash ? slash + 1 : arg, dir) != 0) {
			free(dir);
			fprintf(stderr, "%s: error: out of memory\n", progname);
			exit(EXIT_SOME_FAILED);
		}
		free(dir);
	}
	return failed;
}

/* FNV-1a of the path below its input directory: the same file lands in
 * the same shard on every machine. */
static unsigned
S_shard_of(const char *relative, unsigned count)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)relative; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % count;
}

/* ---------------------------------------------------------------------
 * Outputs
 */

/* The output path of an input in a format: the input's relative path with
 * the format's extension, in the output directory or beside the input. */
static char *
S_output_path(const struct config *cfg, const struct input *in,
              const struct mx_backend *be)
{
	const char *rel = in->relative;
	const char *base = cfg->outdir ? cfg->outdir : in->dir;
	size_t n = strlen(rel);
	char *path;

	if (!cfg->outdir) {
		const char *slash = strrchr(rel, '/');
		rel = slash ? slash + 1 : rel;
		n = strlen(rel);
	}
	if (n > 3 && strcmp(rel + n - 3, ".md") == 0)
		n -= 3;
	path = malloc(strlen(base) + n + strlen(be->ext) + 2);
	if (path == NULL)
		return NULL;
	sprintf(path, "%s/%.*s%s", base, (int)n, rel, be->ext);
	return path;
}

/* --update: an output newer than its input (and the style) is kept. */
static int
S_up_to_date(const struct config *cfg, const char *input, const char *output,
             const struct mx_backend *be)
{
	struct stat si, so, ss;

	if (!cfg->update || strcmp(input, "-") == 0)
		return 0;
	if (stat(input, &si) != 0 || stat(output, &so) != 0)
		return 0;
	if (so.st_mtim.tv_sec < si.st_mtim.tv_sec ||
	    (so.st_mtim.tv_sec == si.st_mtim.tv_sec &&
	     so.st_mtim.tv_nsec < si.st_mtim.tv_nsec))
		return 0;
	if (be == &mx_backend_pdf && cfg->style_file &&
	    stat(cfg->style_file, &ss) == 0 &&
	    so.st_mtim.tv_sec < ss.st_mtim.tv_sec)
		return 0;
	return 1;
}

struct worker {
	struct run *run;
	void *states[MAX_FORMATS];
	struct mx_buf buf;
	struct mx_diag diag;
	pthread_t thread;
};

static int
S_write_stdout(struct run *run, const char *data, size_t len,
               const char *source)
{
	int rc = 0;

	pthread_mutex_lock(&run->lock);
	/* Documents that follow each other on one stream are set apart. */
	if (run->stdout_docs++ > 0 && fputc('\n', stdout) == EOF)
		len = 0;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr,
		        "%s: error: cannot write to standard output: %s\n",
		        source, strerror(errno));
		rc = -1;
	}
	pthread_mutex_unlock(&run->lock);
	return rc;
}

/* FNV-1a, for the feed's set of ids. */
static size_t
S_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Adds a copy of `id` to the feed's set and returns it, or returns NULL
 * when the set already holds it (or memory ran out: *failed is set). */
static const char *
S_feed_id_insert(struct run *run, const char *id, int *failed)
{
	size_t i;

	if (run->feed_ids_count * 2 >= run->feed_ids_cap) {
		size_t cap = run->feed_ids_cap ? run->feed_ids_cap * 2 : 1024;
		char **ids = calloc(cap, sizeof(*ids));
		if (ids == NULL) {
			*failed = 1;
			return NULL;
		}
		for (i = 0; i < run->feed_ids_cap; i++) {
			size_t j;
			if (run->feed_ids[i] == NULL)
				continue;
			for (j = S_hash(run->feed_ids[i]) & (cap - 1); ids[j];
			     j = (j + 1) & (cap - 1))
				;
			ids[j] = run->feed_ids[i];
		}
		free(run->feed_ids);
		run->feed_ids = ids;
		run->feed_ids_cap = cap;
	}
	for (i = S_hash(id) & (run->feed_ids_cap - 1); run->feed_ids[i];
	     i = (i + 1) & (run->feed_ids_cap - 1))
		if (strcmp(run->feed_ids[i], id) == 0)
			return NULL;
	run->feed_ids[i] = strdup(id);
	if (run->feed_ids[i] == NULL) {
		*failed = 1;
		return NULL;
	}
	run->feed_ids_count++;
	return run->feed_ids[i];
}

/* Ids identify monographs in a feed, so two files of the same name from
 * different folders must not share one: the later gets "-2", "-3", ...
 * with a warning.  The feed is written in input order, so this is
 * deterministic. */
static int
S_unique_feed_id(struct run *run, struct mx_document *doc)
{
	int failed = 0;
	const char *id = S_feed_id_insert(run, doc->id, &failed);
	char buf[512];

	for (unsigned n = 2; id == NULL && !failed; n++) {
		snprintf(buf, sizeof(buf), "%.480s-%u", doc->id, n);
		id = S_feed_id_insert(run, buf, &failed);
		if (id) {
			mx_report(&run->cfg->opts.diag, MX_WARNING, doc->source,
			          0,
			          "id '%s' is already in the feed; this "
			          "monograph's id is '%s'",
			          doc->id, id);
			doc->id = id; /* the set keeps it until the run ends */
		}
	}
	return failed ? -1 : 0;
}

/* Converts one input to every format; returns 0, 1 when skipped as up to
 * date, or -1 when anything failed. */
static int
S_convert(struct worker *w, const struct input *in)
{
	struct config *cfg = w->run->cfg;
	char *data = NULL;
	size_t len = 0;
	struct mx_document *doc = NULL;
	char *outs[MAX_FORMATS] = {0};
	int rc = 0, todo = 0;

	for (int f = 0; f < cfg->nformats; f++) {
		if (cfg->feed && cfg->formats[f] == w->run->feed_backend)
			continue;
		if (cfg->outdir && strcmp(cfg->outdir, "-") == 0) {
			todo++;
			continue;
		}
		if (strcmp(in->path, "-") == 0 && !cfg->outdir) {
			todo++;
			continue;
		}
		outs[f] = S_output_path(cfg, in, cfg->formats[f]);
		if (outs[f] == NULL) {
			rc = -1;
			goto done;
		}
		if (S_up_to_date(cfg, in->path, outs[f], cfg->formats[f])) {
			free(outs[f]);
			outs[f] = NULL;
			continue;
		}
		todo++;
	}
	if (todo == 0 && !cfg->feed) {
		rc = 1;
		goto done;
	}
	if (mx_read_file(in->path, &data, &len, &w->diag) != 0) {
		rc = -1;
		goto done;
	}
	doc = mx_document_parse(
	        data, len, strcmp(in->path, "-") == 0 ? "<stdin>" : in->path,
	        &w->diag);
	if (doc == NULL) {
		rc = -1;
		goto done;
	}
	for (int f = 0; f < cfg->nformats; f++) {
		const struct mx_backend *be = cfg->formats[f];
		struct mx_sink sink;

		if (cfg->feed && be == w->run->feed_backend) {
			pthread_mutex_lock(&w->run->feed_lock);
			if (S_unique_feed_id(w->run, doc) != 0 ||
			    be->feed_add(w->run->feed_state, doc) != 0)
				rc = -1;
			pthread_mutex_unlock(&w->run->feed_lock);
			continue;
		}
		int to_stdout =
		        (cfg->outdir && strcmp(cfg->outdir, "-") == 0) ||
		        (strcmp(in->path, "-") == 0 && !cfg->outdir);
		if (!to_stdout && outs[f] == NULL)
			continue; /* up to date */
		if (to_stdout) {
			w->buf.len = 0;
			sink = mx_buf_sink(&w->buf);
			if (be->render(w->states[f], doc, &sink) != 0 ||
			    S_write_stdout(w->run,
			                   w->buf.data ? w->buf.data : "",
			                   w->buf.len, doc->source) != 0)
				rc = -1;
			continue;
		}
		struct mx_outfile out;
		if (mx_outfile_open(&out, outs[f], &w->diag) != 0) {
			rc = -1;
			continue;
		}
		if (be->render(w->states[f], doc, &out.sink) != 0) {
			mx_outfile_abort(&out);
			rc = -1;
			continue;
		}
		if (mx_outfile_commit(&out, &w->diag) != 0)
			rc = -1;
	}
done:
	for (int f = 0; f < MAX_FORMATS; f++)
		free(outs[f]);
	mx_document_free(doc);
	free(data);
	return rc;
}

static void
S_progress(struct run *run, int final)
{
	double t = S_seconds_since(&run->start);
	size_t done = atomic_load(&run->done);
	size_t total = run->ninputs;
	char bar[31];
	int filled;

	if (!run->progress)
		return;
	if (!final && t - run->last_progress < 0.1)
		return;
	run->last_progress = t;
	filled = total ? (int)(30.0 * (double)done / (double)total) : 30;
	memset(bar, '#', (size_t)filled);
	memset(bar + filled, '.', (size_t)(30 - filled));
	bar[30] = '\0';
	double rate = t > 0 ? (double)done / t : 0;
	double left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.0f/s  %.0f s left", bar, done,
	        total, rate, left);
	if (final)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static void *
S_worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;

	for (;;) {
		size_t i;
		int rc;

		if (interrupted)
			break;
		i = atomic_fetch_add(&run->next, 1);
		if (i >= run->ninputs)
			break;
		rc = S_convert(w, &run->inputs[i]);
		if (rc < 0)
			atomic_fetch_add(&run->failed, 1);
		else if (rc > 0)
			atomic_fetch_add(&run->skipped, 1);
		atomic_fetch_add(&run->done, 1);
		if (run->progress) {
			pthread_mutex_lock(&run->lock);
			S_progress(run, 0);
			pthread_mutex_unlock(&run->lock);
		}
	}
	return NULL;
}

static int
S_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
S_add_format(struct config *cfg, const char *name)
{
	const struct mx_backend *be = mx_backend_find(name);

	for (int i = 0; i < cfg->nformats; i++)
		if (cfg->formats[i] == be)
			return 0;
	if (be == NULL || cfg->nformats == MAX_FORMATS)
		return -1;
	cfg->formats[cfg->nformats++] = be;
	return 0;
}

/* The style file that --update compares against. */
static char *
S_style_file(const struct config *cfg)
{
	const char *style = cfg->opts.style ? cfg->opts.style : "leaflet-a4";
	const char *datadir =
	        cfg->opts.datadir ? cfg->opts.datadir : MX_DATADIR;
	char *path;

	if (strchr(style, '/') || strstr(style, ".yaml"))
		return strdup(style);
	path = malloc(strlen(datadir) + strlen(style) + 16);
	if (path)
		sprintf(path, "%s/styles/%s.yaml", datadir, style);
	return path;
}

/* Lists the styles that --style NAME can pick. */
static void
S_list_styles(const struct config *cfg)
{
	const char *datadir =
	        cfg->opts.datadir ? cfg->opts.datadir : MX_DATADIR;
	char pattern[4096];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/styles/*.yaml", datadir);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	fprintf(stderr, "Styles:");
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		fprintf(stderr, " %.*s", (int)(strlen(base) - 5), base);
	}
	fputc('\n', stderr);
	globfree(&g);
}

/* Two inputs must not write the same output file (a.md given twice, or
 * x.md from two folders into one -o DIR), and one stream cannot hold more
 * than one XML or PDF document.  Returns -1 after saying why. */
static int
S_check_outputs(const struct config *cfg, const struct input_list *in)
{
	int to_stdout = cfg->outdir && strcmp(cfg->outdir, "-") == 0;
	char **paths;
	size_t n = 0;
	int rc = 0;

	for (int f = 0; f < cfg->nformats && to_stdout && in->count > 1; f++) {
		const char *name = cfg->formats[f]->name;
		if (strcmp(name, "xml") == 0 && cfg->feed)
			continue;
		if (strcmp(name, "xml") == 0 || strcmp(name, "pdf") == 0) {
			fprintf(stderr,
			        "%s: -o - writes one %s document, not %zu%s\n",
			        progname, name, in->count,
			        strcmp(name, "xml") == 0
			                ? "; use --feed FILE for one XML feed"
			                : "");
			return -1;
		}
	}
	if (to_stdout || in->count < 2)
		return 0;
	paths = calloc(in->count, sizeof(*paths));
	if (paths == NULL)
		return -1;
	for (size_t i = 0; i < in->count; i++) {
		paths[n] = S_output_path(cfg, &in->items[i], &mx_backend_txt);
		if (paths[n])
			n++;
	}
	qsort(paths, n, sizeof(*paths), S_cmp_str);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(paths[i - 1], paths[i]) == 0) {
			size_t len = strlen(paths[i]);
			fprintf(stderr,
			        "%s: two inputs would write %.*s.*: give them "
			        "different names or convert them separately\n",
			        progname, (int)(len - 4), paths[i]);
			rc = -1;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

int
main(int argc, char **argv)
{
	enum {
		OPT_TXT = 256,
		OPT_XML,
		OPT_PDF,
		OPT_TREE,
		OPT_WIDTH,
		OPT_ASCII,
		OPT_STYLE,
		OPT_BLEED,
		OPT_CROP,
		OPT_NOVALIDATE,
		OPT_FEED,
		OPT_UPDATE,
		OPT_SHARD,
	};
	static const struct option longopts[] = {
	        {"txt", no_argument, NULL, OPT_TXT},
	        {"xml", no_argument, NULL, OPT_XML},
	        {"pdf", no_argument, NULL, OPT_PDF},
	        {"tree", no_argument, NULL, OPT_TREE},
	        {"output", required_argument, NULL, 'o'},
	        {"width", required_argument, NULL, OPT_WIDTH},
	        {"ascii", no_argument, NULL, OPT_ASCII},
	        {"style", required_argument, NULL, OPT_STYLE},
	        {"bleed", required_argument, NULL, OPT_BLEED},
	        {"crop-marks", no_argument, NULL, OPT_CROP},
	        {"no-validate", no_argument, NULL, OPT_NOVALIDATE},
	        {"feed", required_argument, NULL, OPT_FEED},
	        {"update", no_argument, NULL, OPT_UPDATE},
	        {"shard", required_argument, NULL, OPT_SHARD},
	        {"jobs", required_argument, NULL, 'j'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	struct config cfg;
	struct run run;
	struct input_list inputs = {0};
	struct worker *workers = NULL;
	int c, status = EXIT_ALL_CONVERTED, arg_failures;
	long v;
	char *style_file = NULL;

	memset(&cfg, 0, sizeof(cfg));
	memset(&run, 0, sizeof(run));
	mx_options_init(&cfg.opts);
	cfg.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cfg.jobs < 1)
		cfg.jobs = 1;
	cfg.opts.datadir = getenv("MEDEXPORT_DATADIR");

	opterr = 0; /* our own messages, with our name */
	while ((c = getopt_long(argc, argv, ":o:j:qhV", longopts, NULL)) !=
	       -1) {
		if (c == ':')
			return S_usage_error("option '%s' wants a value",
			                     argv[optind - 1]);
		switch (c) {
		case OPT_TXT:
			S_add_format(&cfg, "txt");
			break;
		case OPT_XML:
			S_add_format(&cfg, "xml");
			break;
		case OPT_PDF:
			S_add_format(&cfg, "pdf");
			break;
		case OPT_TREE:
			S_add_format(&cfg, "tree");
			break;
		case 'o':
			cfg.outdir = optarg;
			break;
		case OPT_WIDTH:
			if (S_parse_int(optarg, 10, 10000, &v) != 0)
				return S_usage_error(
				        "--width wants a number "
				        "from 10 to 10000, not '%s'",
				        optarg);
			cfg.opts.width = (int)v;
			break;
		case OPT_ASCII:
			cfg.opts.ascii = 1;
			break;
		case OPT_STYLE:
			cfg.opts.style = optarg;
			break;
		case OPT_BLEED: {
			char *end;
			double mm = strtod(optarg, &end);
			if (end == optarg || *end || !(mm >= 0 && mm <= 25))
				return S_usage_error(
				        "--bleed wants millimetres "
				        "from 0 to 25, not '%s'",
				        optarg);
			cfg.opts.bleed_mm = mm;
			break;
		}
		case OPT_CROP:
			cfg.opts.crop_marks = 1;
			break;
		case OPT_NOVALIDATE:
			cfg.opts.validate = 0;
			break;
		case OPT_FEED:
			cfg.feed = optarg;
			break;
		case OPT_UPDATE:
			cfg.update = 1;
			break;
		case OPT_SHARD: {
			unsigned i, n;
			char extra;
			if (sscanf(optarg, "%u/%u%c", &i, &n, &extra) != 2 ||
			    n == 0 || i >= n)
				return S_usage_error("--shard wants I/N with 0 "
				                     "<= I < N, not '%s'",
				                     optarg);
			cfg.shard_index = i;
			cfg.shard_count = n;
			break;
		}
		case 'j':
			if (S_parse_int(optarg, 1, MAX_JOBS, &v) != 0)
				return S_usage_error("-j wants a number from 1 "
				                     "to %d, not '%s'",
				                     MAX_JOBS, optarg);
			cfg.jobs = (int)v;
			break;
		case 'q':
			cfg.quiet = 1;
			break;
		case 'h':
			S_usage(stdout);
			return EXIT_ALL_CONVERTED;
		case 'V':
			printf("medexport %s\n", MX_VERSION);
			return EXIT_ALL_CONVERTED;
		default:
			if (optopt)
				return S_usage_error("unknown option '-%c'",
				                     optopt);
			return S_usage_error("unknown option '%s'",
			                     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return S_usage_error("no input files");
	if (cfg.nformats == 0)
		S_add_format(&cfg, cfg.feed ? "xml" : "txt");
	if (cfg.feed) {
		run.feed_backend = mx_backend_find("xml");
		int has_xml = 0;
		for (int i = 0; i < cfg.nformats; i++)
			has_xml |= cfg.formats[i] == run.feed_backend;
		if (!has_xml)
			return S_usage_error("--feed needs --xml");
	}
	if (cfg.outdir && *cfg.outdir == '\0')
		return S_usage_error("-o wants a directory or '-'");
	for (int i = 0; i < cfg.nformats; i++) {
		struct stat st;
		char *file;
		if (cfg.formats[i] != &mx_backend_pdf || cfg.opts.style == NULL)
			continue;
		file = S_style_file(&cfg);
		if (file == NULL || stat(file, &st) != 0) {
			S_usage_error("no style '%s' (%s)", cfg.opts.style,
			              file ? file : "?");
			S_list_styles(&cfg);
			free(file);
			return EXIT_USAGE;
		}
		free(file);
	}

	run.cfg = &cfg;
	pthread_mutex_init(&run.lock, NULL);
	pthread_mutex_init(&run.feed_lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &run.start);

	arg_failures = S_collect(&inputs, argv + optind, argc - optind);
	if (cfg.shard_count > 0) {
		size_t keep = 0;
		for (size_t i = 0; i < inputs.count; i++) {
			if (S_shard_of(inputs.items[i].relative,
			               cfg.shard_count) == cfg.shard_index) {
				inputs.items[keep++] = inputs.items[i];
			} else {
				free(inputs.items[i].path);
				free(inputs.items[i].relative);
				free(inputs.items[i].dir);
			}
		}
		inputs.count = keep;
	}
	run.inputs = inputs.items;
	run.ninputs = inputs.count;
	if (S_check_outputs(&cfg, &inputs) != 0) {
		status = EXIT_USAGE;
		goto cleanup;
	}

	/* Output to one stream, and the feed, go in input order. */
	if ((cfg.outdir && strcmp(cfg.outdir, "-") == 0) || cfg.feed)
		cfg.jobs = 1;
	for (size_t i = 0; i < inputs.count; i++)
		if (strcmp(inputs.items[i].path, "-") == 0)
			cfg.jobs = 1;
	if ((size_t)cfg.jobs > inputs.count)
		cfg.jobs = inputs.count > 0 ? (int)inputs.count : 1;
	if (cfg.update)
		cfg.style_file = style_file = S_style_file(&cfg);

	struct mx_diag diag = {S_diag, &run};
	cfg.opts.diag = diag;
	signal(SIGINT, S_on_signal);
	signal(SIGTERM, S_on_signal);

	/* Backend states are made here, one set per worker, before any
	 * thread starts: libraries initialise themselves on first use. */
	workers = calloc((size_t)cfg.jobs, sizeof(*workers));
	if (workers == NULL) {
		fprintf(stderr, "%s: error: out of memory\n", progname);
		return EXIT_SOME_FAILED;
	}
	for (int j = 0; j < cfg.jobs; j++) {
		workers[j].run = &run;
		workers[j].diag = diag;
		for (int f = 0; f < cfg.nformats; f++) {
			workers[j].states[f] =
			        cfg.formats[f]->create(&cfg.opts);
			/* A backend that cannot start (a style or font
			 * that cannot be loaded) is a bad option value. */
			if (workers[j].states[f] == NULL) {
				status = EXIT_USAGE;
				goto cleanup;
			}
		}
	}
	if (cfg.feed) {
		for (int f = 0; f < cfg.nformats; f++)
			if (cfg.formats[f] == run.feed_backend)
				run.feed_state = workers[0].states[f];
		if (mx_outfile_open(&run.feed_file, cfg.feed, &diag) != 0 ||
		    run.feed_backend->feed_begin(run.feed_state,
		                                 &run.feed_file.sink) != 0) {
			mx_outfile_abort(&run.feed_file);
			status = EXIT_SOME_FAILED;
			goto cleanup;
		}
	}

	run.progress = !cfg.quiet && isatty(STDERR_FILENO) && inputs.count > 1;
	if (cfg.jobs == 1) {
		S_worker_main(&workers[0]);
	} else {
		int started = 0;
		for (int j = 0; j < cfg.jobs; j++) {
			if (pthread_create(&workers[j].thread, NULL,
			                   S_worker_main, &workers[j]) != 0)
				break;
			started++;
		}
		if (started == 0)
			S_worker_main(&workers[0]);
		for (int j = 0; j < started; j++)
			pthread_join(workers[j].thread, NULL);
	}
	S_progress(&run, 1);

	if (cfg.feed) {
		size_t failed = atomic_load(&run.failed);
		size_t done = atomic_load(&run.done);
		if (interrupted ||
		    run.feed_backend->feed_end(run.feed_state, done - failed,
		                               failed) != 0 ||
		    mx_outfile_commit(&run.feed_file, &diag) != 0) {
			mx_outfile_abort(&run.feed_file);
			status = EXIT_SOME_FAILED;
		}
	}

	size_t failed = atomic_load(&run.failed) + (size_t)arg_failures;
	size_t done = atomic_load(&run.done);
	size_t skipped = atomic_load(&run.skipped);
	if (failed > 0)
		status = EXIT_SOME_FAILED;
	if (interrupted)
		status = EXIT_INTERRUPTED;
	if ((!cfg.quiet && (inputs.count > 1 || failed > 0)) ||
	    (cfg.quiet && failed > 0) || interrupted) {
		fprintf(stderr, "%s: %zu converted", progname,
		        done - atomic_load(&run.failed) - skipped);
		if (skipped)
			fprintf(stderr, ", %zu up to date", skipped);
		fprintf(stderr, ", %zu failed", failed);
		if (interrupted)
			fprintf(stderr, ", %zu not started (interrupted)",
			        inputs.count - done);
		fprintf(stderr, ", %.2f s\n", S_seconds_since(&run.start));
	}
cleanup:
	for (int j = 0; workers && j < cfg.jobs; j++) {
		for (int f = 0; f < cfg.nformats; f++)
			if (workers[j].states[f])
				cfg.formats[f]->destroy(workers[j].states[f]);
		mx_buf_free(&workers[j].buf);
	}
	free(workers);
	for (size_t i = 0; i < inputs.count; i++) {
		free(inputs.items[i].path);
		free(inputs.items[i].relative);
		free(inputs.items[i].dir);
	}
	free(inputs.items);
	for (size_t i = 0; i < run.feed_ids_cap; i++)
		free(run.feed_ids[i]);
	free(run.feed_ids);
	free(style_file);
	pthread_mutex_destroy(&run.lock);
	pthread_mutex_destroy(&run.feed_lock);
	return status;
}
