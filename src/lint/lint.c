/*
 * lint.c - mx_lint_document() and mx_lint_file(): the editor's check of a
 * monograph.  It indexes the source's lines (the tree keeps each node's
 * line, the source gives its columns and what the tree drops), runs the
 * checks of checks.c (the tree) and source.c (the source text), and hands
 * each finding, with the severity the profile gives its check, to the
 * caller's callback.  Nothing here prints.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/lint.h"

const char *const mx_lint_checks[] = {
        [CHECK_MISSING_SECTION] = "missing-section",
        [CHECK_EMPTY_SECTION] = "empty-section",
        [CHECK_DUPLICATE_SECTION] = "duplicate-section",
        [CHECK_UNKNOWN_HEADING] = "unknown-heading",
        [CHECK_HEADING_JUMP] = "heading-jump",
        [CHECK_UNANSWERED_QUESTION] = "unanswered-question",
        [CHECK_GENERIC_NAME] = "generic-name",
        [CHECK_NO_CONTENT] = "no-content",
        [CHECK_POPULATION_ORDER] = "population-order",
        [CHECK_UNSUPPORTED_MARKUP] = "unsupported-markup",
        [CHECK_TITLE_MISMATCH] = "title-mismatch",
        [CHECK_FRONT_MATTER] = "front-matter",
        [CHECK_MISSING_GLYPH] = "missing-glyph",
        [CHECK_READ] = "read",
        [CHECK_COUNT] = NULL,
};

const char *
mx_lint_severity_name(enum mx_lint_severity severity)
{
	switch (severity) {
	case MX_LINT_NOTE:
		return "note";
	case MX_LINT_WARNING:
		return "warning";
	case MX_LINT_ERROR:
		return "error";
	default:
		return "off";
	}
}

int
mx_lint_check_find(const char *name)
{
	for (int c = 0; c < CHECK_COUNT; c++)
		if (strcmp(mx_lint_checks[c], name) == 0)
			return c;
	return -1;
}

void
mx_lint_finding(struct lint *l, enum lint_check c, int line, int column,
                const char *fmt, ...)
{
	va_list ap;
	size_t off = l->msg.len;
	int n;

	if (l->profile->severity[c] == MX_LINT_OFF || l->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || mx_buf_grow(&l->msg, (size_t)n + 1) != 0) {
		l->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(l->msg.data + off, (size_t)n + 1, fmt, ap);
	va_end(ap);
	l->msg.len += (size_t)n + 1;
	if (l->npending == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct lint_pending *m =
		        realloc(l->pending, cap * sizeof(*l->pending));
		if (m == NULL) {
			l->failed = 1;
			return;
		}
		l->pending = m;
		l->cap = cap;
	}
	l->pending[l->npending] = (struct lint_pending){
	        .line = line > 0 ? line : 1,
	        .column = column > 0 ? column : 1,
	        .check = c,
	        .severity = l->profile->severity[c],
	        .message = off,
	        .seq = l->npending,
	};
	l->npending++;
}

static int
S_cmp_pending(const void *a, const void *b)
{
	const struct lint_pending *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
mx_lint_flush(struct lint *l)
{
	/* qsort() must not get the NULL of a file with no finding. */
	if (l->npending > 1)
		qsort(l->pending, l->npending, sizeof(*l->pending),
		      S_cmp_pending);
	for (size_t i = 0; i < l->npending; i++) {
		const struct lint_pending *p = &l->pending[i];
		struct mx_finding f = {
		        .file = l->doc ? l->doc->source : NULL,
		        .line = p->line,
		        .column = p->column,
		        .severity = p->severity,
		        .check = mx_lint_checks[p->check],
		        .message = l->msg.data + p->message,
		};
		l->fn(l->user, &f);
		l->count++;
	}
	l->npending = 0;
	l->msg.len = 0;
	free(l->pending);
	l->pending = NULL;
	l->cap = 0;
	mx_buf_free(&l->msg);
}

const char *
mx_lint_line(const struct lint *l, int line, size_t *len)
{
	size_t start, end;

	if (line < 1 || line > l->nlines)
		return NULL;
	start = l->line_start[line - 1];
	end = line < l->nlines ? l->line_start[line] - 1 : l->len;
	if (end > start && l->data[end - 1] == '\r')
		end--;
	*len = end - start;
	return l->data + start;
}

int
mx_lint_column(const struct lint *l, int line, size_t offset)
{
	size_t len;
	const char *s = mx_lint_line(l, line, &len);
	int col = 1;

	if (s == NULL)
		return 1;
	for (size_t i = 0; i < offset && i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int
mx_lint_text_column(const struct lint *l, int line)
{
	size_t len, i = 0;
	const char *s = mx_lint_line(l, line, &len);

	if (s == NULL)
		return 1;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && s[i] == '#') {
		while (i < len && s[i] == '#')
			i++;
	} else if (i + 1 < len && strchr("*-+", s[i]) && s[i + 1] == ' ') {
		i++; /* a list item's mark */
	}
	while (i < len && s[i] == ' ')
		i++;
	if (i + 1 < len && s[i] == '*' && s[i + 1] == '*')
		i += 2;
	return mx_lint_column(l, line, i);
}

const char *
mx_lint_plain(struct lint *l, const struct mx_node *n)
{
	size_t start = 0;

	l->text.len = 0;
	if (n == NULL || mx_node_plain_text(n, &l->text) != 0 ||
	    mx_buf_putc(&l->text, '\0') != 0) {
		l->text.len = 0;
		return "";
	}
	l->text.len--;
	while (l->text.len > 0 && l->text.data[l->text.len - 1] == ' ')
		l->text.data[--l->text.len] = '\0';
	while (l->text.data[start] == ' ')
		start++;
	return l->text.data + start;
}

int
mx_lint_has_word(const char *hay, const char *word)
{
	size_t wl = strlen(word);
	int prefix = wl > 0 && word[wl - 1] == '*';

	if (prefix)
		wl--;
	for (const char *p = hay; *p; p++) {
		if (p != hay && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, word, wl) != 0)
			continue;
		if (prefix || !isalnum((unsigned char)p[wl]))
			return 1;
	}
	return 0;
}

int
mx_lint_is_contraindications(const char *heading)
{
	return heading && mx_lint_has_word(heading, "contraindication*");
}

/* Where each line starts: one pass over the source. */
static int
S_index_lines(struct lint *l)
{
	size_t cap = 64;
	const char *p = l->data, *end = l->data + l->len;

	l->line_start = malloc(cap * sizeof(*l->line_start));
	if (l->line_start == NULL)
		return -1;
	l->nlines = 0;
	for (;;) {
		const char *nl;
		if ((size_t)l->nlines == cap) {
			size_t *m = realloc(l->line_start,
			                    2 * cap * sizeof(*l->line_start));
			if (m == NULL)
				return -1;
			l->line_start = m;
			cap *= 2;
		}
		l->line_start[l->nlines++] = (size_t)(p - l->data);
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

int
mx_lint_document(const struct mx_document *doc, const char *data, size_t len,
                 const struct mx_lint_profile *profile, mx_finding_fn fn,
                 void *user)
{
	struct lint l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.doc = doc;
	l.data = data;
	l.len = len;
	l.profile = profile;
	l.fn = fn;
	l.user = user;
	/* The reader skips a byte order mark; lines are counted after it. */
	if (l.len >= 3 && memcmp(l.data, "\xef\xbb\xbf", 3) == 0) {
		l.data += 3;
		l.len -= 3;
	}
	if (S_index_lines(&l) != 0) {
		free(l.line_start);
		return -1;
	}
	mx_lint_check_tree(&l);
	mx_lint_check_source(&l);
	mx_lint_check_glyphs(&l);
	mx_lint_flush(&l);
	rc = l.failed ? -1 : l.count;
	free(l.line_start);
	mx_buf_free(&l.text);
	return rc;
}

/* The reader's errors become findings of "read" (or "front-matter" for
 * the front matter); its warnings are left to the lint's own checks,
 * which say the same with a column (a pipe table, a missing title). */
struct read_errors {
	struct lint *l;
	int errors;
};

static void
S_read_diag(void *user, enum mx_severity severity, const char *file, int line,
            const char *message)
{
	struct read_errors *r = user;
	enum lint_check c = CHECK_READ;

	(void)file;
	if (severity != MX_ERROR)
		return;
	r->errors++;
	if (strncmp(message, "front matter", 12) == 0)
		c = CHECK_FRONT_MATTER;
	mx_lint_finding(r->l, c, line, 1, "%s", message);
	/* The reader could not read the file: an error whatever the
	 * profile says of the check's other findings (unless it is off). */
	if (r->l->npending > 0)
		r->l->pending[r->l->npending - 1].severity = MX_LINT_ERROR;
}

int
mx_lint_file(const char *path, const struct mx_lint_profile *profile,
             mx_finding_fn fn, void *user)
{
	struct mx_document shell = {0}, *doc;
	struct lint l;
	struct read_errors r;
	struct mx_diag diag = {S_read_diag, &r};
	char *data = NULL;
	size_t len = 0;
	int rc;
	const char *source = strcmp(path, "-") == 0 ? "<stdin>" : path;

	memset(&l, 0, sizeof(l));
	shell.source = source;
	l.doc = &shell;
	l.profile = profile;
	l.fn = fn;
	l.user = user;
	r = (struct read_errors){&l, 0};
	if (mx_read_file(path, &data, &len, &diag) != 0) {
		mx_lint_flush(&l);
		return l.failed ? -1 : l.count;
	}
	doc = mx_document_parse(data, len, source, &diag);
	if (doc == NULL) {
		mx_lint_flush(&l);
		free(data);
		return l.failed ? -1 : l.count;
	}
	mx_lint_flush(&l);
	rc = mx_lint_document(doc, data, len, profile, fn, user);
	mx_document_free(doc);
	free(data);
	return rc;
}
