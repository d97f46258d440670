/*
 * glyphs.c - the missing-glyph check: characters that the backend which
 * prints (the PDF backend with the style of --style) cannot print.  The
 * backend names each such character with the line of the text that holds
 * it; this finds it in the source from that line on, for its column, and
 * reports it once per line.
 */
#include <stdio.h>
#include <string.h>

#include "lint/lint.h"

/* Where the search for each character goes on: occurrences come in the
 * order of the text, so the next one is after the last one found. */
#define GLYPH_CURSORS 32

struct glyph_walk {
	struct lint *l;
	struct {
		uint32_t cp;
		size_t next; /* offset in the source */
		int line;    /* the last line reported */
	} cursor[GLYPH_CURSORS];
	int ncursors;
};

static int
S_utf8(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The line holding offset `off` of the source. */
static int
S_line_of(const struct lint *l, size_t off)
{
	int lo = 0, hi = l->nlines - 1;

	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (l->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo + 1;
}

static void
S_found(void *user, int line, uint32_t cp)
{
	struct glyph_walk *w = user;
	struct lint *l = w->l;
	char enc[4];
	int n = S_utf8(cp, enc), i, at = 0;
	size_t from =
	        line >= 1 && line <= l->nlines ? l->line_start[line - 1] : 0;
	const char *hit = NULL;

	for (i = 0; i < w->ncursors && w->cursor[i].cp != cp; i++)
		;
	if (i < w->ncursors && w->cursor[i].next > from)
		from = w->cursor[i].next;
	for (const char *p = l->data + from; p + n <= l->data + l->len; p++) {
		p = memchr(p, enc[0], (size_t)(l->data + l->len - p));
		if (p == NULL || p + n > l->data + l->len)
			break;
		if (memcmp(p, enc, (size_t)n) == 0) {
			hit = p;
			break;
		}
	}
	/* Not in the source as written (a character reference): the line
	 * of its text. */
	if (hit != NULL)
		line = S_line_of(l, (size_t)(hit - l->data));
	if (i == w->ncursors && i < GLYPH_CURSORS) {
		w->cursor[i].cp = cp;
		w->cursor[i].line = 0;
		w->ncursors++;
	}
	if (i < w->ncursors) {
		if (hit != NULL)
			w->cursor[i].next = (size_t)(hit - l->data) + (size_t)n;
		if (w->cursor[i].line == line)
			return;
		w->cursor[i].line = line;
	}
	at = hit ? mx_lint_column(l, line,
	                          (size_t)(hit - l->data) -
	                                  l->line_start[line - 1])
	         : mx_lint_text_column(l, line);
	mx_lint_finding(l, CHECK_MISSING_GLYPH, line, at,
	                "no font of the style has U+%04X: the leaflet "
	                "prints U+FFFD (a replacement mark) instead",
	                (unsigned)cp);
}

void
mx_lint_check_glyphs(struct lint *l)
{
	const struct mx_lint_profile *p = l->profile;
	struct glyph_walk w;

	if (p->printer == NULL ||
	    p->severity[CHECK_MISSING_GLYPH] == MX_LINT_OFF)
		return;
	memset(&w, 0, sizeof(w));
	w.l = l;
	if (p->printer->unprintable(p->printer_state, l->doc, S_found, &w) != 0)
		l->failed = 1;
}
