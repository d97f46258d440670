/*
 * lint.h - what the files of src/lint/ share; not part of the library's
 * API.
 *
 *   lint.c     mx_lint_document() and mx_lint_file(): the source's lines,
 *              findings, the order of the checks
 *   checks.c   the checks that read the monograph tree
 *   source.c   the checks that read the Markdown source, for what the tree
 *              does not keep (heading levels, tables, images, raw HTML)
 *   profile.c  the profile (styles/lint-profile.yaml), with libyaml
 *   report.c   findings for the user: human lines, JSON, SARIF (json-c)
 */
#ifndef MX_LINT_H
#define MX_LINT_H

#include <stddef.h>

#include "medexport.h"
#include "core/private.h"

/* The checks, in the order of mx_lint_checks[]. */
enum lint_check {
	CHECK_MISSING_SECTION,
	CHECK_EMPTY_SECTION,
	CHECK_DUPLICATE_SECTION,
	CHECK_UNKNOWN_HEADING,
	CHECK_HEADING_JUMP,
	CHECK_UNANSWERED_QUESTION,
	CHECK_GENERIC_NAME,
	CHECK_NO_CONTENT,
	CHECK_POPULATION_ORDER,
	CHECK_UNSUPPORTED_MARKUP,
	CHECK_TITLE_MISMATCH,
	CHECK_FRONT_MATTER,
	CHECK_MISSING_GLYPH,
	CHECK_READ,
	CHECK_COUNT
};

#define LINT_MAX_REQUIRED     16 /* groups of required sections */
#define LINT_MAX_ALTERNATIVES 4  /* names in one group */
#define LINT_MAX_NAME         32
#define LINT_MAX_KEYS         64 /* known front matter keys */
#define LINT_MAX_KEY          64

/* A name of a required section: a kind's name ("usage"), or
 * "contraindications", which no kind has yet: a section whose heading
 * says "contraindication(s)". */
struct lint_required {
	int n;
	char names[LINT_MAX_ALTERNATIVES][LINT_MAX_NAME];
};

struct mx_lint_profile {
	enum mx_lint_severity severity[CHECK_COUNT];
	int nrequired;
	struct lint_required required[LINT_MAX_REQUIRED];
	int nkeys;
	char keys[LINT_MAX_KEYS][LINT_MAX_KEY];
	/* generic-name: more words than this read as commentary */
	int generic_max_words;
	/* missing-glyph: the backend that prints, and its state; NULL: the
	 * check does not run */
	const struct mx_backend *printer;
	void *printer_state;
};

/* The built-in defaults, which a profile file then changes. */
void mx_lint_profile_defaults(struct mx_lint_profile *p);
/* The check of that name, or -1. */
int mx_lint_check_find(const char *name);

/* One document being linted. */
struct lint {
	const struct mx_document *doc;
	const char *data; /* the source, `len` bytes */
	size_t len;
	size_t *line_start; /* line_start[i]: offset of line i + 1 */
	int nlines;
	const struct mx_lint_profile *profile;
	mx_finding_fn fn;
	void *user;
	int count;
	int failed; /* memory ran out */
	/* Findings wait here to be handed out in the order of their lines
	 * (mx_lint_flush()); their messages are in `msg`, NUL after each. */
	struct lint_pending *pending;
	size_t npending, cap;
	struct mx_buf msg;
	struct mx_buf text; /* mx_lint_plain() */
};

/* Reports a finding of check `c` (nothing when the profile turned it
 * off).  `column` is 1-based, in characters. */
void mx_lint_finding(struct lint *l, enum lint_check c, int line, int column,
                     const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 5, 6)))
#endif
        ;

struct lint_pending {
	int line, column;
	enum lint_check check;
	enum mx_lint_severity severity;
	size_t message; /* offset in l->msg */
	size_t seq;     /* the order of reports, for a stable sort */
};

/* Hands the pending findings to the callback, by line and column. */
void mx_lint_flush(struct lint *l);

/* Line `line` (1-based) of the source, without its newline, and its
 * length; NULL past the end. */
const char *mx_lint_line(const struct lint *l, int line, size_t *len);
/* The column (1-based, in characters) of byte `offset` of line `line`. */
int mx_lint_column(const struct lint *l, int line, size_t offset);
/* The column where the text of line `line` starts, after indentation,
 * heading marks ("### "), list marks and bold ("**"). */
int mx_lint_text_column(const struct lint *l, int line);
/* The plain text of a node, trimmed, in l->text (valid until the next
 * call); "" when memory ran out. */
const char *mx_lint_plain(struct lint *l, const struct mx_node *n);

/* checks.c and source.c */
void mx_lint_check_tree(struct lint *l);
void mx_lint_check_source(struct lint *l);
void mx_lint_check_glyphs(struct lint *l);

/* Whether a section's heading names contraindications. */
int mx_lint_is_contraindications(const char *heading);
/* Whether `hay` holds `word` (lower case) as a whole word, ignoring
 * case; a word ending in '*' matches any word it starts. */
int mx_lint_has_word(const char *hay, const char *word);

#endif
