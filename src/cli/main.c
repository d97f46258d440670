/*
 * main.c - the medexport command.  This is the only part that talks to the
 * user: it builds the command line and --help from the backend table,
 * reads the options, prints diagnostics, progress and the summary, and
 * chooses the exit status.  The work is the library's batch runner.  This
 * file names no backend: a new one appears here by its descriptor alone.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "medexport.h"

enum exit_status {
	EXIT_ALL_CONVERTED = 0,
	EXIT_SOME_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_INTERRUPTED = 130,
};

#define MAX_JOBS 256

/* Options of the command itself; the backends' follow, from the table. */
enum {
	OPT_FEED = 256,
	OPT_UPDATE,
	OPT_SHARD,
	OPT_LIST_FORMATS,
	OPT_LINT,
	OPT_STRICT,
	OPT_PROFILE,
	OPT_LINT_FORMAT,
	OPT_DYNAMIC, /* OPT_DYNAMIC + i: entry i of the dynamic table */
};

static const struct option common_options[] = {
        {"output", required_argument, NULL, 'o'},
        {"feed", required_argument, NULL, OPT_FEED},
        {"update", no_argument, NULL, OPT_UPDATE},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
        {"lint", no_argument, NULL, OPT_LINT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"lint-format", required_argument, NULL, OPT_LINT_FORMAT},
};
#define NCOMMON (sizeof(common_options) / sizeof(common_options[0]))

/* An option that comes from the backend table: a format (--NAME), or an
 * option that one or more backends declare (applied to each). */
struct dyn_option {
	const char *name;
	const struct mx_backend *format; /* --NAME selects it; else NULL */
	int has_arg;
};

struct cli {
	size_t nbackends;
	int *selected;     /* per backend: given on the command line */
	void **blocks;     /* per backend: its option block */
	int *option_given; /* per backend: one of its options was given */
	struct dyn_option *dyn;
	size_t ndyn;
	struct option *longopts;
	const char *outdir;
	const char *feed;
	int jobs, quiet, update;
	unsigned shard_index, shard_count;
	/* --lint: check the inputs, write nothing */
	int lint, lint_option;
	/* --strict: warnings fail (the lint's, and a conversion's) */
	int strict;
	size_t strict_warnings; /* warnings made errors, in every thread */
	const char *profile;
	enum mx_lint_format lint_format;
	struct mx_options opts;
	/* Output and progress */
	int progress;
	struct timespec start;
	double last_progress;
};

static volatile sig_atomic_t interrupted;
static const char *progname = "medexport";
/* Workers report from their threads; progress is drawn between. */
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

static void
S_on_signal(int sig)
{
	interrupted = sig;
}

/* Every signal that would end the process without a word ends the run
 * instead: the conversions in progress finish or are removed, no temporary
 * file is left.  No SA_RESTART, so that a blocked read (a terminal, a
 * FIFO) returns.  SIGPIPE is ignored: a closed stream is a write error. */
static void
S_catch_signals(void)
{
	static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
	                           SIGUSR1, SIGUSR2, SIGALRM, SIGXFSZ};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = S_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
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
	struct cli *cli = user;

	int promoted = severity == MX_WARNING && cli->strict;

	/* --strict: a warning fails what it is about, so it is an error. */
	if (promoted)
		severity = MX_ERROR;
	if (severity == MX_WARNING && cli->quiet)
		return;
	pthread_mutex_lock(&stderr_lock);
	cli->strict_warnings += promoted;
	if (cli->progress)
		fputs("\r\033[K", stderr);
	if (file && line > 0)
		fprintf(stderr, "%s:%d: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	else
		fprintf(stderr, "%s: ", progname);
	fprintf(stderr, "%s: %s%s\n",
	        severity == MX_ERROR ? "error" : "warning", message,
	        promoted ? " [--strict]" : "");
	pthread_mutex_unlock(&stderr_lock);
}

static void
S_progress(void *user, size_t done, size_t total)
{
	struct cli *cli = user;
	double t = S_seconds_since(&cli->start);
	char bar[31];
	int filled;

	if (done < total && t - cli->last_progress < 0.1)
		return;
	cli->last_progress = t;
	pthread_mutex_lock(&stderr_lock);
	filled = total ? (int)(30.0 * (double)done / (double)total) : 30;
	memset(bar, '#', (size_t)filled);
	memset(bar + filled, '.', (size_t)(30 - filled));
	bar[30] = '\0';
	double rate = t > 0 ? (double)done / t : 0;
	double left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.0f/s  %.0f s left", bar, done,
	        total, rate, left);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
	pthread_mutex_unlock(&stderr_lock);
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
 * Help, built from the table
 */

/* "  --name ARG" padded to the help column, then the help text. */
static void
S_help_line(FILE *f, const char *name, const char *arg, const char *help)
{
	char left[64];

	snprintf(left, sizeof(left), "  --%s%s%s", name, arg ? " " : "",
	         arg ? arg : "");
	if (strlen(left) < 22)
		fprintf(f, "%-22s%s\n", left, help);
	else
		fprintf(f, "%s\n%22s%s\n", left, "", help);
}

static void
S_usage(FILE *f)
{
	const struct mx_backend *const *be;

	fprintf(f,
	        "usage: %s [FORMAT...] [OPTION...] FILE|DIR|- ...\n\n"
	        "Converts drug monographs written in Markdown.\n\n"
	        "Formats (several may be given; default --%s):\n",
	        progname, mx_backends[0]->name);
	for (be = mx_backends; *be; be++) {
		char help[256];
		snprintf(help, sizeof(help), "%s (NAME%s)", (*be)->summary,
		         (*be)->ext);
		S_help_line(f, (*be)->name, NULL, help);
	}
	fputs("\nOutput:\n"
	      "  -o, --output DIR    write into DIR (mirrors sub-folders of "
	      "input\n"
	      "                      directories); '-' writes to standard "
	      "output\n"
	      "  --feed FILE         one streamed feed of every monograph "
	      "('-': standard\n"
	      "                      output), by the format that writes one:",
	      f);
	for (be = mx_backends; *be; be++)
		if ((*be)->flags & MX_BACKEND_FEED)
			fprintf(f, " --%s", (*be)->name);
	fputs("\n"
	      "  --update            skip outputs newer than their input and "
	      "style\n"
	      "  --strict            any warning is an error: an input that "
	      "gets one is\n"
	      "                      not written (with --lint: warnings fail "
	      "the run)\n"
	      "\nLint (docs/lint.md):\n"
	      "  --lint              check the inputs and print findings; "
	      "write nothing\n"
	      "  --profile FILE      required sections and checks (default\n"
	      "                      styles/lint-profile.yaml)\n"
	      "  --lint-format=F     human (default), json or sarif\n"
	      "  --style NAME|FILE   with --lint: characters no font of the "
	      "style has\n",
	      f);
	for (be = mx_backends; *be; be++) {
		const struct mx_backend_option *o = (*be)->options;
		if (o == NULL || o->name == NULL)
			continue;
		fprintf(f, "\nWith --%s:\n", (*be)->name);
		for (; o->name; o++)
			S_help_line(f, o->name, o->arg, o->help);
	}
	fputs("\nBatch:\n"
	      "  -j, --jobs N        N workers (default: the number of "
	      "cores; at most\n"
	      "                      twice that)\n"
	      "  --shard I/N         convert only shard I (0 to N-1) of N\n"
	      "  -q, --quiet         no warnings, progress or summary\n"
	      "  --list-formats      the formats: name, extension, what they "
	      "can do\n"
	      "  -h, --help          this help\n"
	      "  -V, --version       the version\n"
	      "\nEnvironment:\n"
	      "  SOURCE_DATE_EPOCH   the date written into outputs (seconds "
	      "since 1970)\n"
	      "  MEDEXPORT_DATADIR   where styles/ and build/fonts/ are, "
	      "instead of\n"
	      "                      " MX_DATADIR "\n"
	      "\nExit status: 0 all converted, 1 some inputs failed, 2 usage "
	      "error,\n"
	      "130 interrupted.  With --lint: 0 no errors, 1 errors, 2 usage "
	      "error.\n",
	      f);
}

static void
S_list_formats(void)
{
	for (const struct mx_backend *const *be = mx_backends; *be; be++)
		printf("%s %s%s%s%s\n", (*be)->name, (*be)->ext,
		       (*be)->flags & MX_BACKEND_STREAMS ? " streams" : "",
		       (*be)->flags & MX_BACKEND_FEED ? " feed" : "",
		       (*be)->flags & MX_BACKEND_BINARY ? " binary" : "");
}

/* ---------------------------------------------------------------------
 * The option table
 */

static int
S_dyn_add(struct cli *cli, const char *name, const struct mx_backend *format,
          int has_arg)
{
	for (size_t i = 0; i < cli->ndyn; i++)
		if (strcmp(cli->dyn[i].name, name) == 0)
			return cli->dyn[i].has_arg == has_arg && !format &&
			                       !cli->dyn[i].format
			               ? 0
			               : -1;
	for (size_t i = 0; i < NCOMMON; i++)
		if (strcmp(common_options[i].name, name) == 0)
			return -1;
	cli->dyn[cli->ndyn++] = (struct dyn_option){name, format, has_arg};
	return 0;
}

/* Formats and their options from the table; an option that several
 * backends declare is one option, applied to each. */
static int
S_build_options(struct cli *cli)
{
	size_t n = 0, k = 0;

	for (const struct mx_backend *const *be = mx_backends; *be; be++) {
		n++;
		for (const struct mx_backend_option *o = (*be)->options;
		     o && o->name; o++)
			n++;
	}
	cli->dyn = calloc(n, sizeof(*cli->dyn));
	cli->longopts = calloc(n + NCOMMON + 1, sizeof(*cli->longopts));
	if (cli->dyn == NULL || cli->longopts == NULL)
		return -1;
	for (const struct mx_backend *const *be = mx_backends; *be; be++)
		if (S_dyn_add(cli, (*be)->name, *be, no_argument) != 0)
			return -1;
	for (const struct mx_backend *const *be = mx_backends; *be; be++)
		for (const struct mx_backend_option *o = (*be)->options;
		     o && o->name; o++)
			if (S_dyn_add(cli, o->name, NULL,
			              o->arg ? required_argument
			                     : no_argument) != 0)
				return -1;
	memcpy(cli->longopts, common_options, sizeof(common_options));
	k = NCOMMON;
	for (size_t i = 0; i < cli->ndyn; i++)
		cli->longopts[k++] =
		        (struct option){cli->dyn[i].name, cli->dyn[i].has_arg,
		                        NULL, OPT_DYNAMIC + (int)i};
	return 0;
}

static int
S_cli_init(struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	while (mx_backends[cli->nbackends] != NULL)
		cli->nbackends++;
	cli->selected = calloc(cli->nbackends, sizeof(*cli->selected));
	cli->option_given = calloc(cli->nbackends, sizeof(int));
	cli->blocks = calloc(cli->nbackends, sizeof(*cli->blocks));
	if (!cli->selected || !cli->option_given || !cli->blocks)
		return -1;
	for (size_t i = 0; i < cli->nbackends; i++)
		if ((cli->blocks[i] = mx_backend_block_new(mx_backends[i])) ==
		    NULL)
			return -1;
	mx_options_init(&cli->opts);
	cli->opts.diag = (struct mx_diag){S_diag, cli};
	cli->opts.datadir = getenv("MEDEXPORT_DATADIR");
	cli->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cli->jobs < 1)
		cli->jobs = 1;
	return S_build_options(cli);
}

static void
S_cli_free(struct cli *cli)
{
	for (size_t i = 0; cli->blocks && i < cli->nbackends; i++)
		free(cli->blocks[i]);
	free(cli->blocks);
	free(cli->selected);
	free(cli->option_given);
	free(cli->dyn);
	free(cli->longopts);
}

/* A format, or a backend option: given to every backend that has it. */
static int
S_dynamic(struct cli *cli, const struct dyn_option *d, const char *arg)
{
	char err[256];

	if (d->format != NULL) {
		for (size_t i = 0; i < cli->nbackends; i++)
			if (mx_backends[i] == d->format)
				cli->selected[i] = 1;
		return 0;
	}
	for (size_t i = 0; i < cli->nbackends; i++) {
		if (mx_backend_option_find(mx_backends[i], d->name) == NULL)
			continue;
		if (mx_backend_set_option(mx_backends[i], cli->blocks[i],
		                          d->name, arg, err, sizeof(err)) != 0)
			return S_usage_error("%s", err);
		cli->option_given[i] = 1;
	}
	return 0;
}

static int
S_common(struct cli *cli, int c, const char *arg)
{
	long v;

	switch (c) {
	case 'o':
		cli->outdir = arg;
		return 0;
	case OPT_FEED:
		cli->feed = arg;
		return 0;
	case OPT_UPDATE:
		cli->update = 1;
		return 0;
	case OPT_SHARD: {
		unsigned i, n;
		char extra;
		if (sscanf(arg, "%u/%u%c", &i, &n, &extra) != 2 || n == 0 ||
		    i >= n)
			return S_usage_error("--shard wants I/N with 0 <= I < "
			                     "N, not '%s'",
			                     arg);
		cli->shard_index = i;
		cli->shard_count = n;
		return 0;
	}
	case 'j':
		if (mx_parse_long(arg, 1, MAX_JOBS, &v) != 0)
			return S_usage_error("-j wants a number from 1 to %d, "
			                     "not '%s'",
			                     MAX_JOBS, arg);
		cli->jobs = (int)v;
		return 0;
	case 'q':
		cli->quiet = 1;
		return 0;
	case OPT_LINT:
		cli->lint = 1;
		return 0;
	case OPT_STRICT:
		cli->strict = 1;
		return 0;
	case OPT_PROFILE:
		cli->profile = arg;
		cli->lint_option = 1;
		return 0;
	case OPT_LINT_FORMAT:
		cli->lint_option = 1;
		if (mx_lint_format_parse(arg, &cli->lint_format) != 0)
			return S_usage_error("--lint-format wants human, json "
			                     "or sarif, not '%s'",
			                     arg);
		return 0;
	default:
		return -1;
	}
}

/* The long options that `name` (n bytes, without the dashes) abbreviates,
 * listed in `out`; how many there are. */
static int
S_matches(const struct cli *cli, const char *name, size_t n, char *out,
          size_t size)
{
	int count = 0;
	size_t used = 0;

	out[0] = '\0';
	for (const struct option *o = cli->longopts; o->name; o++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		if (used < size)
			used += (size_t)snprintf(out + used, size - used,
			                         "%s--%s", count ? ", " : "",
			                         o->name);
		count++;
	}
	return count;
}

/* The option that getopt_long() could not take, named as it was given. */
static int
S_bad_option(const struct cli *cli, char **argv, int c)
{
	const char *given = argv[optind - 1];
	size_t n = strcspn(given, "=");
	char list[512];

	if (c == ':')
		return S_usage_error("option '%s' wants a value", given);
	if (optopt != 0 && given[0] == '-' && given[1] != '-')
		return S_usage_error("unknown option '-%c'", optopt);
	if (optopt != 0)
		return S_usage_error("option '%.*s' takes no value", (int)n,
		                     given);
	if (strncmp(given, "--", 2) == 0 &&
	    S_matches(cli, given + 2, n - 2, list, sizeof(list)) > 1)
		return S_usage_error("option '%.*s' is ambiguous: %s", (int)n,
		                     given, list);
	return S_usage_error("unknown option '%.*s'", (int)n, given);
}

/* Reads the options; returns -1 to go on, or the exit status. */
static int
S_parse_args(struct cli *cli, int argc, char **argv)
{
	int c;

	opterr = 0; /* our own messages, with our name */
	while ((c = getopt_long(argc, argv, ":o:j:qhV", cli->longopts, NULL)) !=
	       -1) {
		int rc;
		if (c >= OPT_DYNAMIC) {
			rc = S_dynamic(cli, &cli->dyn[c - OPT_DYNAMIC], optarg);
		} else if (c == 'h') {
			S_usage(stdout);
			return EXIT_ALL_CONVERTED;
		} else if (c == 'V') {
			char libs[512];
			printf("medexport %s\n", mx_version());
			if (mx_library_versions(libs, sizeof(libs)) == 0)
				printf("with %s\n", libs);
			return EXIT_ALL_CONVERTED;
		} else if (c == OPT_LIST_FORMATS) {
			S_list_formats();
			return EXIT_ALL_CONVERTED;
		} else if ((rc = S_common(cli, c, optarg)) < 0) {
			return S_bad_option(cli, argv, c);
		}
		if (rc != 0)
			return rc;
	}
	if (optind >= argc)
		return S_usage_error("no input files");
	if (cli->outdir && *cli->outdir == '\0')
		return S_usage_error("-o wants a directory or '-'");
	if (cli->feed && *cli->feed == '\0')
		return S_usage_error("--feed wants a file name or '-'");
	if (cli->lint_option && !cli->lint)
		return S_usage_error("--profile and --lint-format need --lint");
	return -1;
}

/* ---------------------------------------------------------------------
 * The formats of the run
 */

static int
S_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = tail ? strlen(tail) : 0;

	return m > 0 && n >= m && strcmp(s + n - m, tail) == 0;
}

/* The format that writes --feed FILE: the one format given that can; when
 * none was given, the one whose feed extension FILE has, else the first
 * that can write a feed. */
static const struct mx_backend *
S_feed_backend(struct cli *cli)
{
	const struct mx_backend *found = NULL, *by_ext = NULL, *first = NULL;

	for (size_t i = 0; i < cli->nbackends; i++) {
		const struct mx_backend *be = mx_backends[i];
		if (!(be->flags & MX_BACKEND_FEED))
			continue;
		if (cli->selected[i] && found != NULL) {
			S_usage_error("--feed takes one format, not --%s and "
			              "--%s",
			              found->name, be->name);
			return NULL;
		}
		if (cli->selected[i])
			found = be;
		if (by_ext == NULL && S_ends_with(cli->feed, be->feed_ext))
			by_ext = be;
		if (first == NULL)
			first = be;
	}
	if (found == NULL)
		found = by_ext ? by_ext : first;
	for (size_t i = 0; i < cli->nbackends; i++)
		if (mx_backends[i] == found)
			cli->selected[i] = 1;
	if (found == NULL)
		S_usage_error("no format can write a feed");
	return found;
}

/* Selected formats in table order; the default one when none is. */
static struct mx_format *
S_formats(struct cli *cli, size_t *n)
{
	struct mx_format *formats = calloc(cli->nbackends, sizeof(*formats));
	size_t k = 0;

	if (formats == NULL)
		return NULL;
	for (size_t i = 0; i < cli->nbackends; i++)
		if (cli->selected[i])
			formats[k++] = (struct mx_format){mx_backends[i],
			                                  cli->blocks[i]};
	if (k == 0)
		formats[k++] =
		        (struct mx_format){mx_backends[0], cli->blocks[0]};
	for (size_t i = 0; i < cli->nbackends; i++)
		if (cli->option_given[i] && !cli->selected[i] &&
		    mx_backends[i] != formats[0].backend)
			mx_report(&cli->opts.diag, MX_WARNING, NULL, 0,
			          "options of --%s have no effect without it",
			          mx_backends[i]->name);
	*n = k;
	return formats;
}

/* SOURCE_DATE_EPOCH, read once for every backend. */
static void
S_source_date(struct cli *cli)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	if (s == NULL || *s == '\0')
		return;
	if (mx_source_date_parse(s, &cli->opts.source_date) != 0)
		mx_report(&cli->opts.diag, MX_WARNING, NULL, 0,
		          "ignoring SOURCE_DATE_EPOCH=\"%s\": not a number of "
		          "seconds from 1970 to 9999",
		          s);
}

static int
S_stdout_write(void *user, const void *data, size_t len)
{
	(void)user;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return -1;
	return 0;
}

/* Binary output is never written to a terminal unless -o - asks. */
static int
S_check_terminal(const struct cli *cli, const struct mx_format *formats,
                 size_t n, const struct mx_input_list *in)
{
	int stdin_to_stdout = 0;

	for (size_t i = 0; i < in->count; i++)
		stdin_to_stdout |= strcmp(in->items[i].path, "-") == 0;
	if (!stdin_to_stdout || cli->outdir != NULL || !isatty(STDOUT_FILENO))
		return 0;
	for (size_t f = 0; f < n; f++)
		if (formats[f].backend->flags & MX_BACKEND_BINARY) {
			S_usage_error("not writing %s to a terminal; give -o - "
			              "to insist, or -o DIR",
			              formats[f].backend->name);
			return -1;
		}
	return 0;
}

static void
S_summary(const struct cli *cli, const struct mx_batch_result *r,
          size_t ninputs, size_t arg_failures)
{
	size_t failed = r->failed + arg_failures;

	if (cli->progress)
		fputs("\r\033[K", stderr);
	/* A run of more than one input ends with a summary; with -q only
	 * when something failed.  One input's error says it all. */
	if (!r->interrupted &&
	    (ninputs + arg_failures < 2 || (cli->quiet && failed == 0)))
		return;
	fprintf(stderr, "%s: %zu converted", progname, r->converted);
	if (r->skipped)
		fprintf(stderr, ", %zu up to date", r->skipped);
	fprintf(stderr, ", %zu failed", failed);
	if (r->interrupted)
		fprintf(stderr, ", %zu not started (interrupted)",
		        r->not_started);
	fprintf(stderr, ", %.2f s\n", S_seconds_since(&cli->start));
}

static int
S_run(struct cli *cli, struct mx_batch *b, struct mx_input_list *inputs,
      size_t arg_failures)
{
	struct mx_batch_result res;
	enum mx_batch_status st;

	if (mx_batch_check(b, inputs) != 0 ||
	    S_check_terminal(cli, b->formats, b->nformats, inputs) != 0)
		return EXIT_USAGE;
	cli->progress =
	        !cli->quiet && isatty(STDERR_FILENO) && inputs->count > 1;
	if (cli->progress) {
		b->progress = S_progress;
		b->progress_user = cli;
	}
	S_catch_signals();
	st = mx_batch_run(b, inputs, &res);
	if (st == MX_BATCH_SETUP)
		return EXIT_USAGE;
	S_summary(cli, &res, inputs->count, arg_failures);
	if (res.interrupted)
		return EXIT_INTERRUPTED;
	return st == MX_BATCH_OK && arg_failures == 0 ? EXIT_ALL_CONVERTED
	                                              : EXIT_SOME_FAILED;
}

/* ---------------------------------------------------------------------
 * --lint: the library lints, reports and summarises; this passes it the
 * inputs and standard output, and chooses the exit status.
 */

/* Findings are many short writes: buffered, flushed at the end. */
static int
S_lint_write(void *user, const void *data, size_t len)
{
	(void)user;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int
S_stderr_write(void *user, const void *data, size_t len)
{
	(void)user;
	return fwrite(data, 1, len, stderr) == len ? 0 : -1;
}

static int
S_lint(struct cli *cli, int argc, char **argv)
{
	struct mx_input_list inputs = {0};
	struct mx_sink out = {S_lint_write, NULL}, err = {S_stderr_write, NULL};
	struct mx_lint_profile *profile;
	struct mx_lint_report *report;
	size_t failures = 0, errors;
	int status = EXIT_ALL_CONVERTED;
	const struct mx_backend *printer = NULL;
	void *printer_state = NULL;

	/* A format, or its options, may be given only to check what it
	 * cannot print (--style for the missing-glyph check). */
	for (size_t i = 0; i < cli->nbackends; i++) {
		if (!cli->selected[i] && !cli->option_given[i])
			continue;
		if (mx_backends[i]->unprintable == NULL || printer != NULL)
			return S_usage_error("--lint writes nothing: no "
			                     "format or format option, but "
			                     "one that checks what it prints");
		printer = mx_backends[i];
		printer_state = printer->create(&cli->opts, cli->blocks[i]);
		if (printer_state == NULL)
			return EXIT_USAGE;
	}
	if (cli->outdir || cli->feed || cli->update)
		status = S_usage_error("--lint writes nothing: no -o, --feed "
		                       "or --update");
	profile =
	        status != EXIT_ALL_CONVERTED
	                ? NULL
	                : mx_lint_profile_load(cli->profile, cli->opts.datadir,
	                                       &cli->opts.diag);
	if (profile == NULL) {
		if (printer)
			printer->destroy(printer_state);
		return EXIT_USAGE;
	}
	mx_lint_profile_set_printer(profile, printer, printer_state);
	report = mx_lint_report_new(cli->lint_format, &out);
	for (int i = optind; i < argc && report; i++) {
		int rc = mx_inputs_add(&inputs, argv[i], &cli->opts.diag);
		failures += rc > 0 ? (size_t)rc : 0;
		if (rc < 0)
			status = EXIT_SOME_FAILED;
	}
	mx_inputs_shard(&inputs, cli->shard_index, cli->shard_count);
	for (size_t i = 0; report && i < inputs.count; i++)
		if (mx_lint_file(inputs.items[i].path, profile,
		                 mx_lint_report_add, report) < 0)
			status = EXIT_SOME_FAILED;
	if (report == NULL || mx_lint_report_end(report) != 0 ||
	    fflush(stdout) != 0) {
		fprintf(stderr,
		        "%s: error: out of memory, or cannot write "
		        "the findings\n",
		        progname);
		status = EXIT_SOME_FAILED;
	}
	errors = report ? mx_lint_report_count(report, MX_LINT_ERROR) : 0;
	if (cli->strict && report)
		errors += mx_lint_report_count(report, MX_LINT_WARNING);
	if (report && inputs.count + failures > 1 &&
	    (!cli->quiet || errors + failures > 0))
		mx_lint_report_summary(report, &err, inputs.count);
	if (errors + failures > 0)
		status = EXIT_SOME_FAILED;
	mx_lint_report_free(report);
	mx_lint_profile_free(profile);
	if (printer)
		printer->destroy(printer_state);
	mx_inputs_free(&inputs);
	return status;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct mx_input_list inputs = {0};
	struct mx_sink out = {S_stdout_write, NULL};
	struct mx_batch b = {0};
	struct mx_format *formats = NULL;
	size_t arg_failures = 0;
	int status;

	/* This program owns libxml2: it may tune its allocator, before any
	 * other use of it. */
	(void)mx_xml_keep_small_blocks();
	if (S_cli_init(&cli) != 0) {
		fprintf(stderr,
		        "%s: error: out of memory, or two backends "
		        "declare one option\n",
		        progname);
		S_cli_free(&cli);
		return EXIT_SOME_FAILED;
	}
	clock_gettime(CLOCK_MONOTONIC, &cli.start);
	status = S_parse_args(&cli, argc, argv);
	if (status >= 0)
		goto done;
	if (cli.lint) {
		status = S_lint(&cli, argc, argv);
		goto done;
	}
	S_source_date(&cli);
	b.feed = cli.feed;
	if (cli.feed && (b.feed_backend = S_feed_backend(&cli)) == NULL) {
		status = EXIT_USAGE;
		goto done;
	}
	formats = S_formats(&cli, &b.nformats);
	for (int i = optind; i < argc && formats; i++) {
		int rc = mx_inputs_add(&inputs, argv[i], &cli.opts.diag);
		if (rc < 0)
			formats = NULL;
		arg_failures += rc > 0 ? (size_t)rc : 0;
	}
	if (formats == NULL) {
		fprintf(stderr, "%s: error: out of memory\n", progname);
		status = EXIT_SOME_FAILED;
		goto done;
	}
	mx_inputs_shard(&inputs, cli.shard_index, cli.shard_count);
	b.formats = formats;
	b.opts = &cli.opts;
	b.outdir = cli.outdir;
	b.stream = &out;
	b.jobs = cli.jobs;
	b.update = cli.update;
	b.stop = &interrupted;
	b.strict = cli.strict;
	/* --strict and a warning already (an option without effect,
	 * SOURCE_DATE_EPOCH): nothing is converted. */
	if (cli.strict && cli.strict_warnings > 0) {
		status = EXIT_SOME_FAILED;
		goto done;
	}
	status = S_run(&cli, &b, &inputs, arg_failures);
done:
	free(formats);
	mx_inputs_free(&inputs);
	S_cli_free(&cli);
	return status;
}
