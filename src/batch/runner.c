/*
 * runner.c - a batch run: every input to every format, by a pool of
 * workers, with output paths mirrored below -o DIR (or beside each input),
 * --update, one stream for -o -, and a feed.  It reads only the backend
 * descriptors, so it works for any backend of the table.  It reports through
 * the caller's diagnostics and prints nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medexport.h"
#include "core/support.h"

struct run;

/* Ids given twice that a run names one by one; the rest are counted. */
#define MAX_DUPLICATES_NAMED 20

/* Where the input at hand goes in each format. */
enum dest { DEST_NONE, DEST_FILE, DEST_STREAM, DEST_FEED };

struct worker {
	struct run *run;
	void **states;    /* one per format */
	char **outs;      /* output paths of the input at hand, per format */
	enum dest *dests; /* and where it goes */
	/* The input's outputs, made before any is committed (or written to
	 * the stream): per format, a temporary file (open when file_open)
	 * or a buffer. */
	struct mx_outfile *files;
	int *file_open;
	struct mx_buf *bufs;
	/* The batch's options, with the worker's own diagnostics, which
	 * count the warnings (--strict). */
	struct mx_options opts;
	size_t warnings;
	pthread_t thread;
};

struct run {
	const struct mx_batch *b;
	const struct mx_input_list *in;
	const struct mx_diag *diag;
	int to_stream; /* -o - */
	atomic_size_t next, done, failed, skipped;
	pthread_mutex_t lock;      /* the stream and the progress callback */
	pthread_mutex_t feed_lock; /* the feed */
	/* The feed, when there is one. */
	int feed_format; /* index in b->formats, or -1 */
	void *feed_state;
	struct mx_outfile feed_file;
	struct mx_sink *feed_sink;
	struct mx_strset ids; /* the feed's ids, to the input's path */
	int feed_refused;     /* a monograph was refused: the feed fails */
	long dup_ids;         /* ids given twice */
	char *stdin_data;     /* standard input, when read before */
	size_t stdin_len;
	struct mx_strset swept;     /* output directories swept of orphans */
	pthread_mutex_t sweep_lock; /* `swept` */
	size_t stream_docs;         /* documents written to the stream */
	atomic_int stream_broken; /* the stream failed: nothing more is tried */
	char **deps; /* per format: the file of depends_on(), or NULL */
};

static int
S_stopped(const struct run *run)
{
	return run->b->stop != NULL && *run->b->stop != 0;
}

/* ---------------------------------------------------------------------
 * Output paths
 */

/* The output path of an input in a format: the input's relative path with
 * the format's extension, in the output directory or beside the input. */
static char *
S_output_path(const struct mx_batch *b, const struct mx_input *in,
              const char *ext)
{
	const char *rel = in->relative;
	const char *base = b->outdir ? b->outdir : in->dir;
	size_t n;
	char *path;

	if (b->outdir == NULL) {
		const char *slash = strrchr(rel, '/');
		rel = slash ? slash + 1 : rel;
	}
	n = strlen(rel);
	if (n > 3 && strcmp(rel + n - 3, ".md") == 0)
		n -= 3;
	path = malloc(strlen(base) + n + strlen(ext) + 2);
	if (path == NULL)
		return NULL;
	sprintf(path, "%s/%.*s%s", base, (int)n, rel, ext);
	return path;
}

static int
S_newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	        a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

/* --update: an output at least as new as its input, and newer than the
 * file its backend depends on (the style), is kept. */
static int
S_up_to_date(const struct run *run, const char *input, const char *output,
             const char *dep)
{
	struct stat si, so, sd;

	if (!run->b->update || strcmp(input, "-") == 0)
		return 0;
	if (stat(input, &si) != 0 || stat(output, &so) != 0)
		return 0;
	if (S_newer(&si, &so))
		return 0;
	if (dep != NULL && (stat(dep, &sd) != 0 || !S_newer(&so, &sd)))
		return 0;
	return 1;
}

/* ---------------------------------------------------------------------
 * The stream (-o -) and the feed's ids
 */

static int
S_write_stream(struct run *run, const char *data, size_t len,
               const char *source)
{
	struct mx_sink *out = run->b->stream;
	int rc = 0;

	pthread_mutex_lock(&run->lock);
	if (run->stream_broken) {
		rc = -1;
	} else if ((run->stream_docs++ > 0 && mx_sink_put(out, "\n", 1)) ||
	           mx_sink_put(out, data, len) != 0) {
		/* Documents that follow each other are set apart by a blank
		 * line; after one write error, nothing more is tried. */
		mx_report(run->diag, MX_ERROR, source, 0,
		          "cannot write to the output stream: %s",
		          strerror(errno));
		run->stream_broken = 1;
		rc = -1;
	}
	pthread_mutex_unlock(&run->lock);
	return rc;
}

/* Ids identify monographs in a feed: each is the front matter's `id`, else
 * the file's stem, whatever else is converted, so two inputs of one id
 * cannot both be in it.  They are never renumbered: the run stops before
 * anything is written (S_check_feed_ids()), naming both files.  Returns 0,
 * 1 when the feed holds the id already (reported), -1 when memory ran
 * out. */
static int
S_feed_id(struct run *run, const char *id, const struct mx_input *in)
{
	const void *first = NULL;
	int rc = mx_strset_add(&run->ids, id, in, &first);

	if (rc < 0) {
		mx_report(run->diag, MX_ERROR, in->path, 0, "out of memory");
		return -1;
	}
	/* The first few are named; the count says the rest. */
	if (rc == 0 && ++run->dup_ids <= MAX_DUPLICATES_NAMED) {
		mx_report(run->diag, MX_ERROR, in->path, 0,
		          "the id '%s' is also that of %s: two monographs of "
		          "one feed cannot share an id (give one of them an "
		          "'id' in its front matter)",
		          id, ((const struct mx_input *)first)->path);
	}
	return rc == 0;
}

/* Before anything is written, every input's id (an input that cannot be
 * read or parsed has none: its conversion reports it).  Standard input is
 * read here, once, and kept for its conversion.  Returns the number of
 * ids given twice, or -1 when memory ran out. */
static long
S_check_feed_ids(struct run *run)
{
	long dups = 0;

	for (size_t i = 0; i < run->in->count && !S_stopped(run); i++) {
		const struct mx_input *in = &run->in->items[i];
		int is_stdin = strcmp(in->path, "-") == 0;
		char *data = NULL, *id;
		size_t len = 0;
		int rc;

		if (is_stdin && run->stdin_data != NULL) {
			data = run->stdin_data;
			len = run->stdin_len;
		} else if (mx_read_file(in->path, &data, &len, NULL) != 0) {
			continue;
		}
		id = mx_document_id_of(data, len,
		                       is_stdin ? "<stdin>" : in->path);
		if (is_stdin) {
			run->stdin_data = data;
			run->stdin_len = len;
		} else {
			free(data);
		}
		if (id == NULL)
			continue;
		rc = S_feed_id(run, id, in);
		free(id);
		if (rc < 0)
			return -1;
		dups += rc;
	}
	mx_strset_clear(&run->ids);
	return dups;
}

/* The first time a run writes into a directory, the temporary files that
 * an earlier run killed there left behind are removed. */
static void
S_sweep_once(struct run *run, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else {
		return;
	}
	pthread_mutex_lock(&run->sweep_lock);
	if (mx_strset_add(&run->swept, dir, NULL, NULL) == 1)
		mx_outdir_sweep(dir);
	pthread_mutex_unlock(&run->sweep_lock);
}

/* ---------------------------------------------------------------------
 * One input
 */

/* Each worker's diagnostics: counted, then passed on. */
static void
S_worker_diag(void *user, enum mx_severity severity, const char *file, int line,
              const char *message)
{
	struct worker *w = user;
	const struct mx_diag *to = &w->run->b->opts->diag;

	if (severity == MX_WARNING)
		w->warnings++;
	if (to->fn != NULL)
		to->fn(to->user, severity, file, line, message);
}

/* Renders into the format's buffer; S_finish() writes it. */
static int
S_render_to_stream(struct worker *w, int f, const struct mx_document *doc)
{
	const struct mx_backend *be = w->run->b->formats[f].backend;
	struct mx_sink sink;

	w->bufs[f].len = 0;
	sink = mx_buf_sink(&w->bufs[f]);
	return be->render(w->states[f], doc, &sink);
}

/* Renders into a temporary file beside the output; S_finish() commits
 * it or removes it. */
static int
S_render_to_file(struct worker *w, int f, const struct mx_document *doc)
{
	const struct mx_backend *be = w->run->b->formats[f].backend;
	struct mx_outfile *out = &w->files[f];

	S_sweep_once(w->run, w->outs[f]);
	if (mx_outfile_open(out, w->outs[f], &w->opts.diag) != 0)
		return -1;
	w->file_open[f] = 1;
	if (be->render(w->states[f], doc, &out->sink) != 0) {
		/* A backend knows that its sink failed, not why: the file
		 * does (a full disk, a quota). */
		if (out->failed)
			mx_report(&w->opts.diag, MX_ERROR, out->path, 0,
			          "cannot write: %s", strerror(out->failed));
		mx_outfile_abort(out);
		w->file_open[f] = 0;
		return -1;
	}
	return 0;
}

/* Commits the input's outputs that were made, in format order, or, when
 * `keep` is 0, removes them all. */
static int
S_finish(struct worker *w, const struct mx_document *doc, const int *made,
         int keep)
{
	int rc = 0;

	for (size_t f = 0; f < w->run->b->nformats; f++) {
		if (w->file_open[f]) {
			w->file_open[f] = 0;
			if (!keep || !made[f])
				mx_outfile_abort(&w->files[f]);
			else if (mx_outfile_commit(&w->files[f],
			                           &w->opts.diag) != 0)
				rc = -1;
		} else if (w->dests[f] == DEST_STREAM && keep && made[f] &&
		           S_write_stream(w->run,
		                          w->bufs[f].data ? w->bufs[f].data
		                                          : "",
		                          w->bufs[f].len, doc->source) != 0) {
			rc = -1;
		}
	}
	return rc;
}

/* Where this input goes in each format: w->dests, with the output paths
 * in w->outs.  Returns how many outputs are to be written (an output that
 * is up to date is not), or -1. */
static int
S_plan(struct worker *w, const struct mx_input *in)
{
	struct run *run = w->run;
	int todo = 0;

	for (size_t f = 0; f < run->b->nformats; f++) {
		const struct mx_backend *be = run->b->formats[f].backend;
		w->outs[f] = NULL;
		if ((int)f == run->feed_format) {
			w->dests[f] = DEST_FEED;
			todo++;
			continue;
		}
		if (run->to_stream ||
		    (strcmp(in->path, "-") == 0 && run->b->outdir == NULL)) {
			w->dests[f] = DEST_STREAM;
			todo++;
			continue;
		}
		w->outs[f] = S_output_path(run->b, in, be->ext);
		if (w->outs[f] == NULL) {
			mx_report(run->diag, MX_ERROR, in->path, 0,
			          "out of memory");
			return -1;
		}
		w->dests[f] = DEST_FILE;
		if (S_up_to_date(run, in->path, w->outs[f], run->deps[f]))
			w->dests[f] = DEST_NONE;
		else
			todo++;
	}
	return todo;
}

static int
S_render_one(struct worker *w, size_t f, const struct mx_input *in,
             struct mx_document *doc)
{
	struct run *run = w->run;
	const struct mx_backend *be = run->b->formats[f].backend;
	int rc = 0;

	switch (w->dests[f]) {
	case DEST_FEED:
		/* A monograph that warned is kept out of a strict feed (and
		 * the feed fails: S_feed_end()). */
		if (run->b->strict && w->warnings > 0)
			return -1;
		/* The ids were checked before the run; an input changed since
		 * then may still bring one that is there. */
		pthread_mutex_lock(&run->feed_lock);
		if (run->feed_refused) {
			rc = -1;
		} else if (S_feed_id(run, doc->id, in) != 0) {
			rc = -1;
			run->feed_refused = 1;
		} else if (be->feed_add(run->feed_state, doc) != 0) {
			rc = -1;
		}
		pthread_mutex_unlock(&run->feed_lock);
		break;
	case DEST_FILE:
		rc = S_render_to_file(w, (int)f, doc);
		break;
	case DEST_STREAM:
		rc = S_render_to_stream(w, (int)f, doc);
		break;
	case DEST_NONE:
		break;
	}
	return rc;
}

/* Converts one input to every format; returns 0, 1 when skipped as up to
 * date, or -1 when anything failed. */
static int
S_convert(struct worker *w, const struct mx_input *in)
{
	struct run *run = w->run;
	char *data = NULL;
	size_t len = 0;
	struct mx_document *doc = NULL;
	int is_stdin = strcmp(in->path, "-") == 0;
	int rc = 0, todo;
	int made[8], *ok = run->b->nformats <= 8
	                           ? made
	                           : calloc(run->b->nformats, sizeof(int));

	w->warnings = 0;
	todo = ok != NULL ? S_plan(w, in) : -1;
	if (todo <= 0) {
		rc = todo < 0 ? -1 : 1;
		goto done;
	}
	if (is_stdin && run->stdin_data != NULL) {
		/* Read before the run, for its id. */
		data = run->stdin_data;
		len = run->stdin_len;
		run->stdin_data = NULL;
	} else if (mx_read_file(in->path, &data, &len, &w->opts.diag) != 0) {
		rc = -1;
		goto done;
	}
	/* Diagnostics name the file as given; the outputs name it by its
	 * path below the directory given (the file's name when it was given
	 * itself). */
	doc = mx_document_parse_as(data, len, is_stdin ? "<stdin>" : in->path,
	                           is_stdin ? "<stdin>" : in->relative,
	                           &w->opts.diag);
	if (doc == NULL) {
		rc = -1;
		goto done;
	}
	for (size_t f = 0; f < run->b->nformats; f++) {
		ok[f] = S_render_one(w, f, in, doc) == 0;
		if (!ok[f])
			rc = -1;
	}
	/* --strict: all of the input's outputs, or none. */
	if (run->b->strict && w->warnings > 0)
		rc = -1;
	if (S_finish(w, doc, ok, !run->b->strict || rc == 0) != 0)
		rc = -1;
done:
	if (ok != made)
		free(ok);
	for (size_t f = 0; f < run->b->nformats; f++) {
		free(w->outs[f]);
		w->outs[f] = NULL;
	}
	mx_document_free(doc);
	free(data);
	return rc;
}

static void *
S_worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;

	/* After a write error on the stream, nothing more can reach it. */
	while (!S_stopped(run) && !atomic_load(&run->stream_broken)) {
		size_t i = atomic_fetch_add(&run->next, 1);
		int rc;
		if (i >= run->in->count)
			break;
		rc = S_convert(w, &run->in->items[i]);
		if (rc < 0)
			atomic_fetch_add(&run->failed, 1);
		else if (rc > 0)
			atomic_fetch_add(&run->skipped, 1);
		atomic_fetch_add(&run->done, 1);
		if (run->b->progress != NULL) {
			pthread_mutex_lock(&run->lock);
			run->b->progress(run->b->progress_user,
			                 atomic_load(&run->done),
			                 run->in->count);
			pthread_mutex_unlock(&run->lock);
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Checks before anything is written
 */

static int
S_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Two inputs must not write the same output file (a.md given twice, or
 * x.md from two folders into one -o DIR). */
static int
S_check_collisions(const struct mx_batch *b, const struct mx_input_list *in,
                   const struct mx_diag *diag)
{
	char **paths = calloc(in->count, sizeof(*paths));
	size_t n = 0;
	int rc = 0;

	if (paths == NULL) {
		mx_report(diag, MX_ERROR, NULL, 0, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < in->count; i++) {
		paths[n] = S_output_path(b, &in->items[i], "");
		if (paths[n])
			n++;
	}
	qsort(paths, n, sizeof(*paths), S_cmp_str);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(paths[i - 1], paths[i]) == 0) {
			mx_report(diag, MX_ERROR, NULL, 0,
			          "two inputs would write %s.*: give them "
			          "different names or convert them separately",
			          paths[i]);
			rc = -1;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/* Whether a and b name one file. */
static int
S_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* No output may overwrite an input: with the feed's name forgotten,
 * `--feed dir/[star].md` makes the first input the feed.  Inputs found in
 * directories end in .md, which no output does, so only the feed and the
 * inputs named otherwise are compared. */
static int
S_check_overwrites(const struct mx_batch *b, const struct mx_input_list *in,
                   const struct mx_diag *diag)
{
	size_t fn = b->feed ? strlen(b->feed) : 0;

	/* `--feed dir/[star].md` passes the first monograph as the feed's
	 * name: it is not among the inputs, and would be overwritten. */
	if (fn > 3 && strcmp(b->feed + fn - 3, ".md") == 0) {
		mx_report(diag, MX_ERROR, b->feed, 0,
		          "the feed would overwrite this Markdown file (was "
		          "the feed's file name forgotten?)");
		return -1;
	}
	for (size_t i = 0; i < in->count; i++) {
		const struct mx_input *it = &in->items[i];
		size_t n = strlen(it->path);
		if (strcmp(it->path, "-") == 0)
			continue;
		if (b->feed && strcmp(b->feed, "-") != 0 &&
		    S_same_file(b->feed, it->path)) {
			mx_report(diag, MX_ERROR, it->path, 0,
			          "the feed would overwrite this input (was "
			          "the feed's file name forgotten?)");
			return -1;
		}
		if (n > 3 && strcmp(it->path + n - 3, ".md") == 0)
			continue;
		for (size_t f = 0; f < b->nformats; f++) {
			const struct mx_backend *be = b->formats[f].backend;
			char *out = S_output_path(b, it, be->ext);
			int same = out && S_same_file(out, it->path);
			free(out);
			if (same) {
				mx_report(diag, MX_ERROR, it->path, 0,
				          "the %s output would overwrite this "
				          "input",
				          be->name);
				return -1;
			}
		}
	}
	return 0;
}

/* What one stream (-o -, --feed -) can hold. */
static int
S_check_stream(const struct mx_batch *b, const struct mx_input_list *in,
               const struct mx_diag *diag)
{
	int to_stream = b->outdir && strcmp(b->outdir, "-") == 0;
	size_t on_stream = 0;

	for (size_t f = 0; f < b->nformats && to_stream; f++) {
		const struct mx_backend *be = b->formats[f].backend;
		if (be == b->feed_backend && b->feed != NULL)
			continue;
		on_stream++;
		if (in->count > 1 && !(be->flags & MX_BACKEND_STREAMS)) {
			mx_report(diag, MX_ERROR, NULL, 0,
			          "-o - writes one %s document, not %zu%s",
			          be->name, in->count,
			          be->flags & MX_BACKEND_FEED
			                  ? "; use --feed FILE for one feed"
			                  : "");
			return -1;
		}
	}
	if (b->feed != NULL && strcmp(b->feed, "-") == 0 && on_stream > 0) {
		mx_report(diag, MX_ERROR, NULL, 0,
		          "--feed - and -o - would share standard output");
		return -1;
	}
	for (size_t f = 0; f < b->nformats && on_stream > 1; f++) {
		const struct mx_backend *be = b->formats[f].backend;
		if (!(be->flags & MX_BACKEND_STREAMS)) {
			mx_report(diag, MX_ERROR, NULL, 0,
			          "-o - cannot hold a %s document beside "
			          "other formats",
			          be->name);
			return -1;
		}
	}
	return 0;
}

int
mx_batch_check(const struct mx_batch *b, const struct mx_input_list *in)
{
	const struct mx_diag *diag = &b->opts->diag;

	if (S_check_stream(b, in, diag) != 0 ||
	    S_check_overwrites(b, in, diag) != 0)
		return -1;
	if ((b->outdir && strcmp(b->outdir, "-") == 0) || in->count < 2)
		return 0;
	return S_check_collisions(b, in, diag);
}

/* ---------------------------------------------------------------------
 * The run
 */

static void
S_free_workers(struct run *run, struct worker *workers, size_t jobs)
{
	for (size_t j = 0; workers != NULL && j < jobs; j++) {
		for (size_t f = 0; workers[j].states && f < run->b->nformats;
		     f++)
			if (workers[j].states[f])
				run->b->formats[f].backend->destroy(
				        workers[j].states[f]);
		free(workers[j].states);
		free(workers[j].outs);
		free(workers[j].dests);
		free(workers[j].files);
		free(workers[j].file_open);
		for (size_t f = 0; workers[j].bufs && f < run->b->nformats; f++)
			mx_buf_free(&workers[j].bufs[f]);
		free(workers[j].bufs);
	}
	free(workers);
}

/* Backend states, one set per worker, made before any thread starts:
 * libraries initialise themselves on first use. */
static struct worker *
S_new_workers(struct run *run, size_t jobs)
{
	const struct mx_batch *b = run->b;
	struct worker *workers = calloc(jobs, sizeof(*workers));

	if (workers == NULL)
		goto oom;
	for (size_t j = 0; j < jobs; j++) {
		struct worker *w = &workers[j];
		w->run = run;
		w->opts = *b->opts;
		w->opts.diag = (struct mx_diag){S_worker_diag, w};
		w->states = calloc(b->nformats, sizeof(*w->states));
		w->outs = calloc(b->nformats, sizeof(*w->outs));
		w->dests = calloc(b->nformats, sizeof(*w->dests));
		w->files = calloc(b->nformats, sizeof(*w->files));
		w->file_open = calloc(b->nformats, sizeof(*w->file_open));
		w->bufs = calloc(b->nformats, sizeof(*w->bufs));
		if (!w->states || !w->outs || !w->dests || !w->files ||
		    !w->file_open || !w->bufs)
			goto oom;
		for (size_t f = 0; f < b->nformats; f++) {
			w->states[f] = b->formats[f].backend->create(
			        &w->opts, b->formats[f].block);
			if (w->states[f] == NULL) {
				S_free_workers(run, workers, jobs);
				return NULL;
			}
		}
	}
	return workers;
oom:
	mx_report(run->diag, MX_ERROR, NULL, 0, "out of memory");
	S_free_workers(run, workers, jobs);
	return NULL;
}

static size_t
S_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}

static size_t
S_jobs(const struct run *run)
{
	const struct mx_batch *b = run->b;
	size_t jobs = b->jobs > 0 ? (size_t)b->jobs : 1;

	/* Output to one stream, and the feed, go in input order. */
	if (run->to_stream || run->feed_format >= 0)
		jobs = 1;
	for (size_t i = 0; i < run->in->count; i++)
		if (strcmp(run->in->items[i].path, "-") == 0)
			jobs = 1;
	if (jobs > run->in->count)
		jobs = run->in->count > 0 ? run->in->count : 1;
	/* Conversion is CPU work: workers beyond twice the cores cannot make
	 * it faster, and each holds its own backend states (a PDF state
	 * with its fonts is megabytes, made before the run starts). */
	if (jobs > 2 * S_cores())
		jobs = 2 * S_cores();
	return jobs;
}

static int
S_feed_begin(struct run *run, void *state)
{
	const struct mx_backend *be = run->b->feed_backend;

	run->feed_state = state;
	if (strcmp(run->b->feed, "-") == 0) {
		run->feed_sink = run->b->stream;
	} else {
		S_sweep_once(run, run->b->feed);
		if (mx_outfile_open(&run->feed_file, run->b->feed, run->diag) !=
		    0)
			return -1;
		run->feed_sink = &run->feed_file.sink;
	}
	if (be->feed_begin(state, run->feed_sink) != 0) {
		mx_outfile_abort(&run->feed_file);
		return -1;
	}
	return 0;
}

/* Ends the feed.  A feed that cannot be written fails, and so does every
 * monograph in it: none of them reached the feed's reader. */
static void
S_feed_end(struct run *run, struct mx_batch_result *res)
{
	const struct mx_backend *be = run->b->feed_backend;
	size_t failed = atomic_load(&run->failed);
	size_t done = atomic_load(&run->done);
	int to_file = strcmp(run->b->feed, "-") != 0;

	if (run->b->strict && failed > 0)
		mx_report(run->diag, MX_ERROR, run->b->feed, 0,
		          "not written: %zu of its monographs failed, and "
		          "warnings fail with --strict",
		          failed);
	if (S_stopped(run) || run->feed_refused ||
	    (run->b->strict && failed > 0) ||
	    be->feed_end(run->feed_state, done - failed, failed) != 0 ||
	    (to_file && mx_outfile_commit(&run->feed_file, run->diag) != 0)) {
		if (to_file && run->feed_file.path && run->feed_file.failed)
			mx_report(
			        run->diag, MX_ERROR, run->feed_file.path, 0,
			        "cannot write the feed: %s; it was not written",
			        strerror(run->feed_file.failed));
		if (to_file)
			mx_outfile_abort(&run->feed_file);
		res->feed_failed = 1;
	}
}

static void
S_start(struct run *run, struct worker *workers, size_t jobs)
{
	size_t started = 0;

	(void)run;
	if (jobs > 1) {
		for (size_t j = 0; j < jobs; j++) {
			if (pthread_create(&workers[j].thread, NULL,
			                   S_worker_main, &workers[j]) != 0)
				break;
			started++;
		}
	}
	if (started == 0)
		S_worker_main(&workers[0]);
	for (size_t j = 0; j < started; j++)
		pthread_join(workers[j].thread, NULL);
}

static void
S_free_run(struct run *run)
{
	mx_strset_clear(&run->ids);
	mx_strset_clear(&run->swept);
	free(run->stdin_data);
	for (size_t f = 0; run->deps && f < run->b->nformats; f++)
		free(run->deps[f]);
	free(run->deps);
	pthread_mutex_destroy(&run->lock);
	pthread_mutex_destroy(&run->feed_lock);
	pthread_mutex_destroy(&run->sweep_lock);
}

static int
S_init_run(struct run *run, const struct mx_batch *b,
           const struct mx_input_list *in)
{
	memset(run, 0, sizeof(*run));
	run->b = b;
	run->in = in;
	run->diag = &b->opts->diag;
	run->to_stream = b->outdir && strcmp(b->outdir, "-") == 0;
	run->feed_format = -1;
	pthread_mutex_init(&run->lock, NULL);
	pthread_mutex_init(&run->feed_lock, NULL);
	pthread_mutex_init(&run->sweep_lock, NULL);
	run->deps = calloc(b->nformats ? b->nformats : 1, sizeof(*run->deps));
	if (run->deps == NULL) {
		mx_report(run->diag, MX_ERROR, NULL, 0, "out of memory");
		return -1;
	}
	for (size_t f = 0; f < b->nformats; f++) {
		const struct mx_backend *be = b->formats[f].backend;
		if (b->feed != NULL && be == b->feed_backend)
			run->feed_format = (int)f;
		if (b->update && be->depends_on != NULL)
			run->deps[f] =
			        be->depends_on(b->opts, b->formats[f].block);
	}
	return 0;
}

/* Whether a backend warned while it started (a style's unknown key, a
 * missing hyphenation dictionary). */
static int
S_setup_warned(const struct worker *workers, size_t jobs)
{
	for (size_t j = 0; j < jobs; j++)
		if (workers[j].warnings > 0)
			return 1;
	return 0;
}

enum mx_batch_status
mx_batch_run(const struct mx_batch *b, const struct mx_input_list *in,
             struct mx_batch_result *res)
{
	struct run run;
	struct worker *workers = NULL;
	size_t jobs = 0;
	long dups;

	memset(res, 0, sizeof(*res));
	if (S_init_run(&run, b, in) != 0 ||
	    (workers = S_new_workers(&run, jobs = S_jobs(&run))) == NULL) {
		S_free_run(&run);
		return MX_BATCH_SETUP;
	}
	if (b->strict && S_setup_warned(workers, jobs)) {
		/* A style's warning is every input's: none is converted. */
		res->failed = res->done = in->count;
		S_free_workers(&run, workers, jobs);
		S_free_run(&run);
		return MX_BATCH_FAILED;
	}
	if (run.feed_format >= 0 && (dups = S_check_feed_ids(&run)) != 0) {
		/* Nothing is written: not the feed, not any other output. */
		if (dups > 0)
			mx_report(run.diag, MX_ERROR, b->feed, 0,
			          "%ld id%s given twice; nothing was written",
			          dups, dups == 1 ? "" : "s");
		res->failed = in->count;
		res->feed_failed = 1;
		S_free_workers(&run, workers, jobs);
		S_free_run(&run);
		return MX_BATCH_FAILED;
	}
	if (run.feed_format >= 0 &&
	    S_feed_begin(&run, workers[0].states[run.feed_format]) != 0)
		res->feed_failed = 1;
	else
		S_start(&run, workers, jobs);
	if (run.feed_format >= 0 && !res->feed_failed)
		S_feed_end(&run, res);
	res->done = atomic_load(&run.done);
	res->failed = atomic_load(&run.failed);
	res->skipped = atomic_load(&run.skipped);
	res->converted = res->done - res->failed - res->skipped;
	res->not_started = in->count - res->done;
	res->interrupted = S_stopped(&run);
	if (res->feed_failed) {
		res->failed += res->converted;
		res->converted = 0;
	}
	if (atomic_load(&run.stream_broken)) {
		res->failed += res->not_started;
		res->not_started = 0;
	}
	S_free_workers(&run, workers, jobs);
	S_free_run(&run);
	return res->failed > 0 || res->feed_failed ? MX_BATCH_FAILED
	                                           : MX_BATCH_OK;
}
