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

#include <stddef.h>
#include <stdint.h>

struct mx_arena;

#define MX_VERSION "1.0.0"

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
	MX_KIND_COUNT
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
};

struct mx_meta {
	const char *key;
	const char *value; /* scalars as written; sequences joined with ", " */
	int line;
};

/* A parsed monograph.  Every string and node lives in the document's own
 * arena and is freed by mx_document_free(). */
struct mx_document {
	const char *source; /* the path as given ("<stdin>" for -) */
	const char *id;     /* stable identifier from the file name */
	const char *title;  /* front matter title, else H1, else file name */
	int title_line;
	const char *generic_name; /* NULL when the source has none */
	struct mx_meta *meta;     /* front matter, in source order */
	size_t meta_count;
	struct mx_node *root; /* MX_NODE_DOCUMENT */
	struct mx_arena *arena;
};

/* The value of a front matter key, or NULL. */
const char *mx_document_meta(const struct mx_document *doc, const char *key);

const char *mx_kind_name(enum mx_kind kind);
const char *mx_node_type_name(enum mx_node_type type);

/* Checks that `data` is a monograph medexport can read: not empty or blank,
 * no NUL bytes, valid UTF-8, at most MX_MAX_INPUT_BYTES.  Reports the first
 * problem (with its line and byte offset) and returns -1. */
int mx_input_check(const char *data, size_t len, const char *source,
                   const struct mx_diag *diag);

/* Parses Markdown `data` (front matter, then CommonMark) into a tree.
 * `source` names the input in diagnostics and gives the id.  Returns NULL
 * after reporting an error. */
struct mx_document *mx_document_parse(const char *data, size_t len,
                                      const char *source,
                                      const struct mx_diag *diag);
void mx_document_free(struct mx_document *doc);

/* Reads a file whole (at most MX_MAX_INPUT_BYTES) into a NUL-terminated
 * buffer the caller frees.  Returns -1 after reporting an error. */
int mx_read_file(const char *path, char **data, size_t *len,
                 const struct mx_diag *diag);

/* ---------------------------------------------------------------------
 * Backends
 */
struct mx_options {
	int width;           /* txt: wrap width (default 72) */
	int ascii;           /* txt: transliterate to ASCII */
	int validate;        /* xml: validate against the schema */
	const char *style;   /* pdf: style name or YAML file */
	double bleed_mm;     /* pdf: < 0 keeps the style's bleed */
	int crop_marks;      /* pdf: < 0 keeps the style's choice */
	const char *datadir; /* where styles/ lives; NULL: built-in */
	struct mx_diag diag;
};

void mx_options_init(struct mx_options *opts);

/* Every backend has the same shape.  new() prepares what does not depend on
 * the document (fonts, schema, style) and returns private state, or NULL
 * after reporting an error.  render() writes one document to `out` and
 * returns 0, or -1 after reporting an error (the caller then discards what
 * was written).  free() accepts NULL.  One state renders any number of
 * documents, one at a time.  Backends that can stream many documents into
 * one output (feeds) also set feed_begin/feed_add/feed_end. */
struct mx_backend {
	const char *name; /* "txt", "xml", "pdf", "tree" */
	const char *ext;  /* output file extension with its dot */
	void *(*create)(const struct mx_options *opts);
	int (*render)(void *state, const struct mx_document *doc,
	              struct mx_sink *out);
	void (*destroy)(void *state);
	int (*feed_begin)(void *state, struct mx_sink *out);
	int (*feed_add)(void *state, const struct mx_document *doc);
	int (*feed_end)(void *state, size_t converted, size_t failed);
};

extern const struct mx_backend mx_backend_tree;
extern const struct mx_backend mx_backend_txt;
extern const struct mx_backend mx_backend_xml;
extern const struct mx_backend mx_backend_pdf;

/* NULL-terminated table of every backend. */
extern const struct mx_backend *const mx_backends[];
const struct mx_backend *mx_backend_find(const char *name);

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

/* Opens a temporary file beside `path` (creating missing directories).
 * Nothing is visible at `path` until mx_outfile_commit(). */
int mx_outfile_open(struct mx_outfile *f, const char *path,
                    const struct mx_diag *diag);
/* Flushes, fsyncs nothing (speed), renames over `path`. */
int mx_outfile_commit(struct mx_outfile *f, const struct mx_diag *diag);
/* Removes the temporary file; `path` is left as it was. */
void mx_outfile_abort(struct mx_outfile *f);

#endif
