/*
 * medexport.h - the public interface of libmedexport.
 *
 * A monograph is read once into a monograph tree (struct mx_document), which
 * every backend renders.  The library never prints and never exits: problems
 * are handed to the caller's diagnostic callback (struct mx_diag) and the
 * functions return a status.  Strings are UTF-8.  Unless a comment says
 * otherwise, the caller frees what it creates with the matching *_free().
 */
#ifndef MEDEXPORT_H
#define MEDEXPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct mx_arena;

#ifdef __cplusplus
extern "C" {
#endif

#define MX_VERSION "1.0.0"

/* The library's version at run time (MX_VERSION is the header's). */
const char *mx_version(void);
/* The run-time versions of the libraries medexport is linked with, in one
 * line ("cmark 0.30.2, libxml2 21009, ...").  -1 when `size` is too
 * small. */
int mx_library_versions(char *buf, size_t size);

/* Inputs larger than this are refused before they are parsed. */
#define MX_MAX_INPUT_BYTES (64u * 1024u * 1024u)
/* Block nesting (lists, quotes) deeper than this is flattened. */
#define MX_MAX_NESTING 64

/* ---------------------------------------------------------------------
 * Diagnostics
 */
enum mx_severity { MX_WARNING, MX_ERROR };

/* Called for each warning and error.  `file` may be NULL, `line` is 0 when
 * no line applies.  The message has no trailing newline. */
typedef void (*mx_diag_fn)(void *user, enum mx_severity severity,
                           const char *file, int line, const char *message);

struct mx_diag {
	mx_diag_fn fn;
	void *user;
};

/* Formats a message and hands it to `diag` (which may be NULL). */
void mx_report(const struct mx_diag *diag, enum mx_severity severity,
               const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 5, 6)))
#endif
        ;

/* ---------------------------------------------------------------------
 * Output sinks and growable buffers
 */

/* Backends write through a sink; `write` returns 0, or -1 on failure. */
struct mx_sink {
	int (*write)(void *user, const void *data, size_t len);
	void *user;
};

struct mx_buf {
	char *data;
	size_t len;
	size_t cap;
};

int mx_buf_grow(struct mx_buf *buf, size_t extra);
int mx_buf_put(struct mx_buf *buf, const void *data, size_t len);
int mx_buf_puts(struct mx_buf *buf, const char *s);
int mx_buf_putc(struct mx_buf *buf, char c);
void mx_buf_free(struct mx_buf *buf);
/* A sink that appends to `buf`. */
struct mx_sink mx_buf_sink(struct mx_buf *buf);
int mx_sink_put(struct mx_sink *sink, const void *data, size_t len);
int mx_sink_puts(struct mx_sink *sink, const char *s);

/* ---------------------------------------------------------------------
 * The monograph tree
 */

/* Kinds of sections.  The names ("usage", "side-effects", ...) are part of
 * the XML vocabulary; mx_kind_name() gives them. */
enum mx_kind {
	MX_KIND_GENERIC_NAME,
	MX_KIND_USAGE,
	MX_KIND_DOSAGE,
	MX_KIND_SIDE_EFFECTS,
	MX_KIND_MECHANISM,
	MX_KIND_PRECAUTIONS,
	MX_KIND_INTERACTIONS,
	MX_KIND_FAQ,
	MX_KIND_STORAGE,
	MX_KIND_OVERDOSE,
	MX_KIND_DISCLAIMER,
	MX_KIND_NOTE,
	MX_KIND_OTHER,
	/* Kinds added after 1.0 come after MX_KIND_OTHER, so that the values
	 * above keep their numbers. */
	MX_KIND_CONTRAINDICATIONS,
	MX_KIND_COUNT
};

/* Whom a sub-section is about, read from its heading ("Children:",
 * "Pediatric Dosage", "Renal impairment"); MX_POPULATION_NONE for most
 * sections.  mx_population_name() gives the names of the XML vocabulary. */
enum mx_population {
	MX_POPULATION_NONE,
	MX_POPULATION_ADULTS,
	MX_POPULATION_CHILDREN,
	MX_POPULATION_ADOLESCENTS,
	MX_POPULATION_INFANTS,
	MX_POPULATION_ELDERLY,
	MX_POPULATION_RENAL,
	MX_POPULATION_HEPATIC,
	MX_POPULATION_PREGNANCY,
	MX_POPULATION_BREASTFEEDING,
	MX_POPULATION_COUNT
};

/* How often the side effects of a sub-section occur, after the EU SmPC
 * convention (very common: 1 in 10 or more; common: 1 in 100 to 1 in 10;
 * uncommon: 1 in 1,000 to 1 in 100; rare: 1 in 10,000 to 1 in 1,000; very
 * rare: fewer), read from its heading; MX_FREQUENCY_NONE when it says
 * nothing.  mx_frequency_name() gives the names. */
enum mx_frequency {
	MX_FREQUENCY_NONE,
	MX_FREQUENCY_VERY_COMMON,
	MX_FREQUENCY_COMMON,
	MX_FREQUENCY_UNCOMMON,
	MX_FREQUENCY_RARE,
	MX_FREQUENCY_VERY_RARE,
	MX_FREQUENCY_NOT_KNOWN,
	MX_FREQUENCY_COUNT
};

enum mx_node_type {
	/* Blocks */
	MX_NODE_DOCUMENT,   /* root: blocks before the first section, then
	                       sections */
	MX_NODE_SECTION,    /* kind, text = heading text, level 1 = top */
	MX_NODE_PARAGRAPH,  /* inline children */
	MX_NODE_LIST,       /* ordered, start; children are ITEMs */
	MX_NODE_ITEM,       /* optional LABEL first, then blocks */
	MX_NODE_LABEL,      /* inline children: the label without its colon */
	MX_NODE_QA,         /* a QUESTION then an ANSWER */
	MX_NODE_QUESTION,   /* inline children */
	MX_NODE_ANSWER,     /* block children (may be empty) */
	MX_NODE_BLOCKQUOTE, /* block children */
	MX_NODE_CODE_BLOCK, /* text = literal without the final newline */
	MX_NODE_THEMATIC_BREAK, /* no children */
	/* Inlines */
	MX_NODE_TEXT,      /* text */
	MX_NODE_STRONG,    /* inline children */
	MX_NODE_EMPH,      /* inline children */
	MX_NODE_CODE,      /* text */
	MX_NODE_LINK,      /* url, inline children */
	MX_NODE_LINEBREAK, /* hard line break */
	MX_NODE_SUB, /* inline children: subscript (<sub> in the source) */
	MX_NODE_SUP, /* inline children: superscript (<sup>) */
	MX_NODE_TYPE_COUNT
};

struct mx_node {
	enum mx_node_type type;
	int line; /* source line, 1-based (0 when unknown) */
	struct mx_node *parent;
	struct mx_node *first_child;
	struct mx_node *last_child;
	struct mx_node *next;
	struct mx_node *prev;
	const char *text;  /* TEXT, CODE, CODE_BLOCK; SECTION heading */
	const char *url;   /* LINK */
	enum mx_kind kind; /* SECTION */
	int level;         /* SECTION: 1 for top-level sections, 2 below, ... */
	int ordered;       /* LIST */
	int start;         /* LIST: first number when ordered */
	/* SECTION below the top level: whom it is about, how often its side
	 * effects occur, whether its heading calls them serious. */
	enum mx_population population;
	enum mx_frequency frequency;
	int serious;
	/* SECTION: the ingredient of a combination product it is about
	 * ("Norfloxacin: Usage"), as written; NULL for most sections. */
	const char *ingredient;
};

struct mx_meta {
	const char *key;
	const char *value; /* scalars as written; sequences joined with ", " */
	int line;
	/* The value's structure: a scalar is `value` alone (an alias is
	 * "*name", never expanded); a list's items and a mapping's entries
	 * are `items` (`count` of them; a list's items have no key), and
	 * `value` is their text joined (", " for a list, "key: value" pairs
	 * with "; " for a mapping). */
	enum mx_meta_type { MX_META_SCALAR, MX_META_LIST, MX_META_MAP } type;
	const struct mx_meta *items;
	size_t count;
	/* An earlier entry of the same mapping has this key: the reader
	 * warned, the first entry is the one used (mx_document_meta()), and
	 * no output writes this one. */
	int repeated;
};

/* A parsed monograph.  Every string and node lives in the document's own
 * arena and is freed by mx_document_free().  Every string is valid UTF-8
 * without surrogates or non-characters (the reader replaces them by U+FFFD
 * with a warning), except `source`, which names the file to the user. */
struct mx_document {
	const char *source; /* the path as given ("<stdin>" for -), for
	                       diagnostics */
	const char *id;     /* the front matter's `id`, else the file's stem */
	const char *title;  /* front matter title, else H1, else file name */
	int title_line;
	const char *generic_name; /* NULL when the source has none */
	struct mx_meta *meta;     /* front matter, in source order */
	size_t meta_count;
	struct mx_node *root; /* MX_NODE_DOCUMENT */
	/* 1 when no section is of a kind of content (usage, dosage, ...):
	 * a refusal or a note; the outputs say status="no-content". */
	int no_content;
	struct mx_arena *arena;
	/* Provenance, as the outputs carry it. */
	const char *relative; /* the source as outputs name it: the path below
	                         the input directory given, or the file's name
	                         ("<stdin>" for -) */
	const char *sha256;   /* of the input's bytes: 64 hex digits */
	const char *lang;     /* BCP 47: the front matter's `lang`, or "en" */
};

/* The value of a front matter key, or NULL. */
const char *mx_document_meta(const struct mx_document *doc, const char *key);
/* The document's language (a BCP 47 tag: "en", "de-CH"); never NULL. */
const char *mx_document_lang(const struct mx_document *doc);

/* The kinds' table (src/core/kinds.c): the name in the XML and JSON
 * vocabulary ("side-effects"), the LOINC section code of FDA Structured
 * Product Labeling ("34084-4", or NULL), and a display heading ("Side
 * Effects", or NULL for "other"). */
const char *mx_kind_name(enum mx_kind kind);
const char *mx_kind_loinc(enum mx_kind kind);
const char *mx_kind_display(enum mx_kind kind);
/* "children", "renal-impairment", ...; NULL for MX_POPULATION_NONE. */
const char *mx_population_name(enum mx_population population);
/* "very-common", "not-known", ...; NULL for MX_FREQUENCY_NONE. */
const char *mx_frequency_name(enum mx_frequency frequency);
const char *mx_node_type_name(enum mx_node_type type);

/* Checks that `data` is a monograph medexport can read: not empty or blank,
 * no NUL bytes, valid UTF-8, at most MX_MAX_INPUT_BYTES.  Reports the first
 * problem (with its line and byte offset) and returns -1. */
int mx_input_check(const char *data, size_t len, const char *source,
                   const struct mx_diag *diag);

/* Parses Markdown `data` (front matter, then CommonMark) into a tree.
 * `source` names the input in diagnostics; the id is the front matter's
 * `id`, else the stem of `source` ("x" for "a/x.md"), and the document's
 * `relative` is the file name of `source`.  Returns NULL after reporting
 * an error. */
struct mx_document *mx_document_parse(const char *data, size_t len,
                                      const char *source,
                                      const struct mx_diag *diag);
/* The same, with `relative` (the path below the input directory given, as
 * a batch run has it: "a/x.md") as the source the outputs name; NULL: the
 * file name of `source`. */
struct mx_document *mx_document_parse_as(const char *data, size_t len,
                                         const char *source,
                                         const char *relative,
                                         const struct mx_diag *diag);
void mx_document_free(struct mx_document *doc);

/* Reads a file whole (at most MX_MAX_INPUT_BYTES) into a NUL-terminated
 * buffer the caller frees.  Returns -1 after reporting an error. */
int mx_read_file(const char *path, char **data, size_t *len,
                 const struct mx_diag *diag);

/* ---------------------------------------------------------------------
 * Backends
 *
 * A backend is one file that defines a struct mx_backend, and one row in
 * mx_backends[] (src/backend/backends.c).  The descriptor says everything a
 * front end needs: the command line, --help and the batch runner are built
 * from it, and name no backend.  See docs/design.md.
 */

/* What every backend reads. */
struct mx_options {
	const char *datadir; /* where styles/ lives; NULL: built-in */
	struct mx_diag diag;
	/* The date written into outputs, in seconds since 1970-01-01 UTC
	 * (SOURCE_DATE_EPOCH); -1 when not given: the PDF backend then writes
	 * 2000-01-01, so that its files never depend on the clock, and a
	 * feed's timestamp is the time it is written. */
	long long source_date;
};

void mx_options_init(struct mx_options *opts);

/* Reads a SOURCE_DATE_EPOCH value into *date: decimal seconds from 0 to
 * 253402300799 (9999-12-31T23:59:59Z).  Returns -1 for anything else. */
int mx_source_date_parse(const char *value, long long *date);

/* One option of a backend: --NAME on the command line, or
 * mx_backend_set_option(be, block, "NAME", value, ...) from a program. */
struct mx_backend_option {
	const char *name; /* without the dashes: "width" */
	const char *arg;  /* the argument's name in --help ("N"); NULL: a
	                     flag, which takes no argument */
	const char *help; /* one line for --help */
	/* Stores `arg` (NULL for a flag) in the backend's option block.
	 * Returns 0, or -1 with a message for the user (which names the
	 * option and the value) in err[size]. */
	int (*set)(void *block, const char *arg, char *err, size_t size);
};

enum mx_backend_flag {
	/* Several documents may follow each other on one stream (-o -). */
	MX_BACKEND_STREAMS = 1 << 0,
	/* feed_begin/feed_add/feed_end write one feed of many documents. */
	MX_BACKEND_FEED = 1 << 1,
	/* The output is binary: never written to a terminal. */
	MX_BACKEND_BINARY = 1 << 2,
};

/* Every backend has the same shape.  create() prepares what does not
 * depend on the document (fonts, schema, style) from the common options and
 * the backend's own option block, and returns private state, or NULL after
 * reporting an error.  render() writes one document to `out` and returns 0,
 * or -1 after reporting an error (the caller then discards what was
 * written).  destroy() accepts NULL.  One state renders any number of
 * documents, one at a time.  Backends with MX_BACKEND_FEED also set
 * feed_begin/feed_add/feed_end; feed_add() refuses (an error, -1) a
 * document whose id the feed holds already: ids are never renumbered. */
struct mx_backend {
	const char *name;     /* --NAME selects it: "txt" */
	const char *ext;      /* output file extension with its dot: ".txt" */
	const char *feed_ext; /* the usual extension of its feed, or NULL */
	const char *summary;  /* one line for --help: "plain text" */
	unsigned flags;       /* enum mx_backend_flag */
	/* The backend's own options: a block of block_size bytes (0: none),
	 * set to its defaults by block_init(), then changed by the setters of
	 * options[] (ended by an entry whose name is NULL; NULL: none). */
	size_t block_size;
	void (*block_init)(void *block);
	const struct mx_backend_option *options;
	/* A file other than the input whose change makes an output stale for
	 * --update (the PDF style): its path, which the caller frees, or
	 * NULL when there is none.  May be NULL. */
	char *(*depends_on)(const struct mx_options *opts, const void *block);
	void *(*create)(const struct mx_options *opts, const void *block);
	int (*render)(void *state, const struct mx_document *doc,
	              struct mx_sink *out);
	void (*destroy)(void *state);
	int (*feed_begin)(void *state, struct mx_sink *out);
	int (*feed_add)(void *state, const struct mx_document *doc);
	int (*feed_end)(void *state, size_t converted, size_t failed);
	/* For --lint: the characters of `doc` this backend cannot print (the
	 * PDF: those no font of its style has).  Calls found() once for each
	 * such character in the text, with the source line of the text that
	 * holds it, and returns 0, or -1 when it could not look.  May be
	 * NULL. */
	int (*unprintable)(void *state, const struct mx_document *doc,
	                   void (*found)(void *user, int line, uint32_t cp),
	                   void *user);
};

extern const struct mx_backend mx_backend_txt;
extern const struct mx_backend mx_backend_xml;
extern const struct mx_backend mx_backend_pdf;
extern const struct mx_backend mx_backend_tree;
extern const struct mx_backend mx_backend_json;

/* Makes libxml2 keep the small blocks it frees, per thread, for its next
 * allocations: the XML backend's writer and schema validation allocate
 * and free a few for every element, and this saves about 5% of a text and
 * XML run.  It changes libxml2's allocator for the whole process, so only
 * a program that owns libxml2 calls it, before any other use of libxml2
 * (the command line does, first thing).  It does nothing when libxml2
 * already has another allocator than malloc's, or in AddressSanitizer
 * builds.  Returns 1 when the blocks are kept, else 0. */
int mx_xml_keep_small_blocks(void);

/* NULL-terminated table of every backend; the first is the default. */
extern const struct mx_backend *const mx_backends[];
const struct mx_backend *mx_backend_find(const char *name);

/* Reads a whole decimal number from min to max, as option values are
 * given.  Returns -1 for anything else. */
int mx_parse_long(const char *s, long min, long max, long *out);

/* A new option block of `be` with its defaults (free() it), or NULL when
 * memory ran out. */
void *mx_backend_block_new(const struct mx_backend *be);
/* Sets option `name` of `be` in `block`: see struct mx_backend_option.
 * An option `be` does not have is an error too. */
int mx_backend_set_option(const struct mx_backend *be, void *block,
                          const char *name, const char *arg, char *err,
                          size_t size);
/* The option `name` of `be`, or NULL. */
const struct mx_backend_option *
mx_backend_option_find(const struct mx_backend *be, const char *name);

/* ---------------------------------------------------------------------
 * Batch runs: many inputs, every format, a pool of workers
 *
 * The command line is a thin layer over these; a program can run the same
 * batches.  Problems go to opts->diag, as everywhere in the library.
 */
struct mx_input {
	char *path;     /* as found; "-" is standard input */
	char *relative; /* below the directory given, or the base name */
	char *dir;      /* the input's directory, for outputs beside it */
};

struct mx_input_list {
	struct mx_input *items;
	size_t count, cap;
};

/* Adds what `arg` names: a file as given; every *.md below a directory, in
 * the order of their paths (hidden files and folders skipped, symbolic
 * links to files followed, to directories not); "-" for standard input.
 * Returns the number of problems reported (each input that cannot be read
 * is named), or -1 when memory ran out. */
int mx_inputs_add(struct mx_input_list *list, const char *arg,
                  const struct mx_diag *diag);
/* Keeps shard `index` of `count`, by a hash of each relative path: the
 * same file lands in the same shard on every machine. */
void mx_inputs_shard(struct mx_input_list *list, unsigned index,
                     unsigned count);
void mx_inputs_free(struct mx_input_list *list);

/* A format of a batch: a backend and its option block. */
struct mx_format {
	const struct mx_backend *backend;
	const void *block;
};

struct mx_batch {
	const struct mx_format *formats;
	size_t nformats;
	const struct mx_options *opts;
	const char *outdir; /* NULL: beside each input; "-": `stream` */
	const char *feed;   /* NULL; a file; "-": `stream` */
	/* The format (one of `formats`, with MX_BACKEND_FEED) that writes the
	 * feed; its documents go only there. */
	const struct mx_backend *feed_backend;
	struct mx_sink *stream; /* standard output, for "-" */
	int jobs;   /* workers: 1 when a stream or feed is written; at most the
	               number of inputs and twice the number of cores */
	int update; /* skip outputs newer than input and style */
	/* Called after each input, one call at a time; may be NULL. */
	void (*progress)(void *user, size_t done, size_t total);
	void *progress_user;
	/* When it becomes non-zero (a signal), no more inputs are started. */
	const volatile sig_atomic_t *stop;
	/* Warnings fail, as errors do: an input that gets one while it is
	 * read or converted is written in no format (and counts as failed),
	 * a feed is not written when any of its monographs failed, and a
	 * warning while the backends start (a style's) fails the whole run,
	 * before anything is converted.  The warnings still reach `diag`
	 * as warnings: the caller may print them as errors. */
	int strict;
};

struct mx_batch_result {
	size_t done;        /* inputs tried */
	size_t converted;   /* written in every format */
	size_t failed;      /* at least one output failed */
	size_t skipped;     /* up to date (--update) */
	size_t not_started; /* when stopped */
	int interrupted;
	int feed_failed; /* the feed was not written: its monographs failed */
};

enum mx_batch_status {
	MX_BATCH_OK,     /* every input converted */
	MX_BATCH_FAILED, /* some inputs failed; the others were written */
	MX_BATCH_SETUP,  /* a backend could not start: nothing was tried */
};

/* What can be known before anything is written: several documents on one
 * stream that cannot hold them, an output that would overwrite an input,
 * two inputs that would write one file.  Returns -1 after reporting. */
int mx_batch_check(const struct mx_batch *batch,
                   const struct mx_input_list *inputs);
/* Runs the batch.  With a feed, every input's id is read first: two inputs
 * of one id are reported, naming both, and the run stops before anything
 * is written (MX_BATCH_FAILED, every input counted as failed). */
enum mx_batch_status mx_batch_run(const struct mx_batch *batch,
                                  const struct mx_input_list *inputs,
                                  struct mx_batch_result *result);

/* ---------------------------------------------------------------------
 * Atomic output files
 */
struct mx_outfile {
	char *path;
	char *tmp_path;
	int fd;
	struct mx_sink sink;
	int failed;
};

/* Opens a temporary file (".medexport-HOST-PID-N.tmp") beside `path`,
 * creating missing directories.
 * Nothing is visible at `path` until mx_outfile_commit(). */
int mx_outfile_open(struct mx_outfile *f, const char *path,
                    const struct mx_diag *diag);
/* Flushes, fsyncs nothing (speed), renames over `path`. */
int mx_outfile_commit(struct mx_outfile *f, const struct mx_diag *diag);
/* Removes the temporary file; `path` is left as it was. */
void mx_outfile_abort(struct mx_outfile *f);
/* Removes from `dir` the temporary files that a run on this host killed
 * before it could clean up (SIGKILL, a crash) left behind: those whose
 * process is gone.  Returns how many were removed. */
int mx_outdir_sweep(const char *dir);

/* ---------------------------------------------------------------------
 * Lint
 *
 * The editor's check of a monograph (medexport --lint; every check is
 * described in docs/lint.md).  The lint reads the monograph tree and the
 * Markdown source it came from, and hands each finding to a callback; it
 * never prints.  A profile (styles/lint-profile.yaml) names the required
 * sections and may turn checks off or change their severities.
 */
enum mx_lint_severity {
	MX_LINT_OFF, /* a check the profile turned off: never reported */
	MX_LINT_NOTE,
	MX_LINT_WARNING,
	MX_LINT_ERROR,
};

struct mx_finding {
	const char *file;
	int line;   /* 1-based; 0 when the finding is about the whole file */
	int column; /* 1-based, in characters (Unicode code points) */
	enum mx_lint_severity severity;
	const char *check;   /* the check's stable name: "missing-section" */
	const char *message; /* no trailing newline */
};

/* Called for each finding; the strings live only during the call. */
typedef void (*mx_finding_fn)(void *user, const struct mx_finding *finding);

/* The names of the checks, NULL-terminated, in the order of docs/lint.md;
 * "read" is the reader's own error (a file that cannot be read or
 * parsed). */
extern const char *const mx_lint_checks[];
/* "error", "warning", "note" or "off". */
const char *mx_lint_severity_name(enum mx_lint_severity severity);

struct mx_lint_profile;

/* Reads a profile: `path`, or when it is NULL the default profile,
 * styles/lint-profile.yaml in `datadir` (NULL: the built-in data
 * directory).  What a profile does not name keeps its default.  Returns
 * NULL after reporting an error. */
struct mx_lint_profile *mx_lint_profile_load(const char *path,
                                             const char *datadir,
                                             const struct mx_diag *diag);
void mx_lint_profile_free(struct mx_lint_profile *profile);
/* The missing-glyph check: characters that `backend` (one whose
 * `unprintable` hook is set), in `state` from its create(), cannot print.
 * Without it the check does not run.  The profile does not own `state`. */
void mx_lint_profile_set_printer(struct mx_lint_profile *profile,
                                 const struct mx_backend *backend, void *state);

/* Lints a parsed document; `data` and `len` are the source it was parsed
 * from (the lint reads columns and markup the tree does not keep).
 * Returns the number of findings reported, or -1 when memory ran out. */
int mx_lint_document(const struct mx_document *doc, const char *data,
                     size_t len, const struct mx_lint_profile *profile,
                     mx_finding_fn fn, void *user);
/* Reads `path` ("-": standard input), parses and lints it: a file that
 * cannot be read or parsed is one finding of the check "read" (or
 * "front-matter" for broken YAML).  Returns as mx_lint_document(). */
int mx_lint_file(const char *path, const struct mx_lint_profile *profile,
                 mx_finding_fn fn, void *user);

/* Findings written for the user: one line each (human), one JSON array of
 * objects (json), or one SARIF 2.1.0 log (sarif). */
enum mx_lint_format { MX_LINT_HUMAN, MX_LINT_JSON, MX_LINT_SARIF };

/* The format named "human", "json" or "sarif"; -1 for another name. */
int mx_lint_format_parse(const char *name, enum mx_lint_format *format);

struct mx_lint_report;

/* A report that writes to `out` (kept, not copied); NULL when memory ran
 * out.  mx_lint_report_add() is an mx_finding_fn whose `user` is the
 * report: it writes the finding (human, json) or keeps it (sarif), and
 * counts it. */
struct mx_lint_report *mx_lint_report_new(enum mx_lint_format format,
                                          struct mx_sink *out);
void mx_lint_report_add(void *report, const struct mx_finding *finding);
/* Ends the document (the JSON array, the SARIF log).  Returns -1 when a
 * write failed, now or earlier. */
int mx_lint_report_end(struct mx_lint_report *report);
/* How many findings of `severity` were reported. */
size_t mx_lint_report_count(const struct mx_lint_report *report,
                            enum mx_lint_severity severity);
/* The summary of a run over `files` files, in lines of text: findings by
 * severity, files with errors, and findings per check. */
int mx_lint_report_summary(const struct mx_lint_report *report,
                           struct mx_sink *out, size_t files);
void mx_lint_report_free(struct mx_lint_report *report);

#ifdef __cplusplus
}
#endif

#endif
