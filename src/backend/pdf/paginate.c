/*
 * paginate.c - the third stage of typesetting: the blocks of lines flow
 * into columns and pages.  A heading (or a question) stays with what will
 * really follow it, a single line of a paragraph is not left alone at the
 * foot or head of a column when that can be avoided, and a column does not
 * end in a hyphenated word.  Once the page count is known, every page gets
 * its running header and footer and the rules between its columns.
 */
#include <stdio.h>
#include <string.h>

#include "backend/pdf/layout_private.h"

/* A column ends at most this many lines early so as not to end in a
 * hyphenated word.  The corpus needs up to 7 (a chemical name cut over
 * several lines in a narrow panel); a longer run of hyphenated lines is a
 * word or an address of many lines, which would otherwise be set a line
 * or two a column, thousands of pages for a few hundred kilobytes. */
#define HYPHEN_BACKOFF_MAX 16

static int
S_has_band(const struct style_band *b)
{
	return b->left != NULL || b->centre != NULL || b->right != NULL;
}

/* Sets the page's size and its columns: their width, and where they start
 * and end (a running header or footer takes a line and a gap).  The title
 * band sets where the first page's columns start. */
void
mx_lay_geometry(const struct layout *lay, struct geometry *g)
{
	const struct style *st = lay->style;
	const struct style_text *hd = &st->text[ROLE_HEADER];

	memset(g, 0, sizeof(*g));
	g->page_w = st->page_w * MM;
	g->page_h = st->page_h * MM;
	g->content_w = g->page_w - (st->margin_inner + st->margin_outer) * MM;
	g->col_w = (g->content_w - (st->columns - 1) * st->gutter * MM) /
	           st->columns;
	g->top = st->margin_top * MM;
	if (S_has_band(&st->header))
		g->top += hd->leading + 6;
	g->bottom = g->page_h - st->margin_bottom * MM;
	if (S_has_band(&st->footer))
		g->bottom -= hd->leading + 6;
}

static double
S_col_x(const struct layout *lay, const struct geometry *g, int page, int col)
{
	const struct style *st = lay->style;
	double left =
	        (page % 2 == 0 ? st->margin_inner : st->margin_outer) * MM;

	return left + col * (g->col_w + st->gutter * MM);
}

static double
S_col_top(const struct geometry *g, const struct flow *f)
{
	return f->page == 0 ? g->first_top : g->top;
}

static void
S_next_column(struct layout *lay, const struct geometry *g, struct flow *f)
{
	if (++f->col >= lay->style->columns) {
		f->col = 0;
		f->page++;
	}
	f->y = S_col_top(g, f);
}

void
mx_lay_place_line(struct layout *lay, const struct geometry *g, struct flow *f,
                  size_t li)
{
	struct lay_scratch *s = lay->scratch;
	struct fline *l = &s->lines[li];
	double x0 = S_col_x(lay, g, f->page, f->col);
	double base = f->y + l->ascent;
	size_t r;

	for (r = l->run0; r < l->run0 + l->nruns; r++) {
		lay->runs[r].page = f->page;
		lay->runs[r].x += x0;
		lay->runs[r].y = g->page_h - base + lay->runs[r].rise;
	}
	if (l->rect >= 0) {
		struct lay_rect *rc = &lay->rects[l->rect];
		rc->page = f->page;
		rc->x += x0;
		rc->y = g->page_h - (f->y + l->leading / 2);
	}
	if (l->mark >= 0) {
		lay->marks[l->mark].page = f->page;
		lay->marks[l->mark].y = g->page_h - f->y + 2;
	}
	f->y += l->leading;
	if (f->page + 1 > lay->pages)
		lay->pages = f->page + 1;
}

static double
S_lines_height(struct lay_scratch *s, size_t from, size_t count)
{
	double h = 0;
	size_t i;

	for (i = from; i < from + count; i++)
		h += s->lines[i].leading;
	return h;
}

/* How many lines of block N pagination puts in a column before it may
 * break it: two (no orphan), but all of a block of up to three lines (no
 * widow), and more when the second line ends in a hyphen (a column does not
 * end in a hyphenated word). */
static size_t
S_first_chunk(const struct lay_scratch *s, const struct fblock *N)
{
	size_t k = 2;

	if (N->count <= 3)
		return N->count;
	while (k < N->count && s->lines[N->line0 + k - 1].hyphen)
		k++;
	return N->count - k < 2 ? N->count : k;
}

/* The room a heading block needs: itself and what pagination will put of
 * the following block in the same column (see S_first_chunk), following
 * chains of headings and questions. */
static double
S_keep_need(struct lay_scratch *s, size_t b, int depth)
{
	struct fblock *B = &s->blocks[b];
	double h = S_lines_height(s, B->line0, B->count);

	if (b + 1 < s->nblocks && depth < 4) {
		struct fblock *N = &s->blocks[b + 1];
		h += N->space_before;
		if (N->keep_next)
			h += S_keep_need(s, b + 1, depth + 1);
		else
			h += S_lines_height(s, N->line0, S_first_chunk(s, N));
	}
	return h;
}

/* How many lines of block `b`, from its line `done` on, pagination puts in
 * a column with `room` points left (at the column's top when `at_top`): a
 * heading only with what follows it, no single line of a paragraph alone
 * at the foot or head of a column, and no hyphenated word at the foot.
 * Returns 0 when the block moves on to the next column (never at a
 * column's top, so that pagination always moves on). */
static size_t
S_lines_here(struct lay_scratch *s, size_t b, size_t done, int at_top,
             double room)
{
	const struct fblock *B = &s->blocks[b];
	const struct fline *l = &s->lines[B->line0 + done];
	size_t r = B->count - done, k = 0, k0;
	double h = 0;

	if (B->keep_next && done == 0) {
		if (!at_top)
			return S_keep_need(s, b, 0) > room + 0.001 ? 0 : r;
		/* One taller than the column (a question of a thousand
		 * words) is split like a paragraph, not set off the page. */
		if (S_lines_height(s, B->line0, B->count) <= room + 0.001)
			return r;
	}
	while (k < r && h + l[k].leading <= room + 0.001) {
		h += l[k].leading;
		k++;
	}
	if (k == r)
		return r;
	if (at_top) {
		if (k == 0)
			k = 1;
		else if (r - k == 1 && k >= 3)
			k--;
	} else if (r == 1 || k < 2) {
		return 0;
	} else if (r - k < 2) {
		k = r - 2;
		if (k < 2)
			return 0;
	}
	/* A column does not end in a hyphenated word when a line less
	 * still keeps two lines on each side (and ends at most
	 * HYPHEN_BACKOFF_MAX lines early). */
	k0 = k;
	while ((k >= 3 || (at_top && k >= 2)) && k0 - k < HYPHEN_BACKOFF_MAX &&
	       l[k - 1].hyphen)
		k--;
	if (!at_top && k > 0 && l[k - 1].hyphen)
		return 0;
	return k;
}

void
mx_lay_paginate(struct layout *lay, const struct geometry *g)
{
	struct lay_scratch *s = lay->scratch;
	struct flow f = {0, 0, g->first_top};
	size_t b = 0, done = 0, i, k;
	/* Every step places a line, or moves to the next column where the
	 * next step places one: this many steps are never needed, and only
	 * stop a loop that a mistake would make endless. */
	size_t steps = 0, max_steps = 2 * (s->nlines + s->nblocks) + 16;

	while (b < s->nblocks) {
		struct fblock *B = &s->blocks[b];
		int at_top = f.y <= S_col_top(g, &f) + 0.001;
		double sb = at_top || done > 0 ? 0 : B->space_before;

		if (++steps > max_steps)
			break;
		k = S_lines_here(s, b, done, at_top, g->bottom - f.y - sb);
		if (k == 0) {
			S_next_column(lay, g, &f);
			continue;
		}
		f.y += sb;
		for (i = 0; i < k; i++)
			mx_lay_place_line(lay, g, &f, B->line0 + done + i);
		done += k;
		if (done >= B->count) {
			b++;
			done = 0;
		} else {
			S_next_column(lay, g, &f);
		}
	}
}

/* Typesets one line of UTF-8 text at (x, y) on `page`, aligned by `align`
 * (0 left, 1 centre, 2 right edge at x).  Returns the width. */
static double
S_single_line(struct layout *lay, const char *text, int role, int page,
              double x, double y, int align)
{
	struct lay_scratch *s = lay->scratch;
	const struct style_text *t = &lay->style->text[role];
	size_t i, r0 = lay->nruns;
	double width;

	s->n = 0;
	if (mx_lay_para_add(lay, text, strlen(text), t->face, 0))
		return -1;
	while (s->n > 0 && s->cp[s->n - 1] == ' ')
		s->n--;
	if (s->n == 0)
		return 0;
	s->line = 0;
	mx_lay_measure(lay, t->size);
	width = s->cx[s->n];
	if (align == 1)
		x -= width / 2;
	else if (align == 2)
		x -= width;
	if (mx_lay_new_line(lay, t->leading, 0) ||
	    mx_lay_emit_line(lay, 0, s->n, 0, x, 0, 0, t))
		return -1;
	lay->scratch->nlines--; /* placed directly, not flowed */
	for (i = r0; i < lay->nruns; i++) {
		lay->runs[i].page = page;
		lay->runs[i].y = y;
	}
	s->n = 0;
	return width;
}

/* Expands {title}, {generic}, {page} and {pages}. */
static void
S_expand(char *out, size_t size, const char *tmpl,
         const struct mx_document *doc, int page, int pages)
{
	size_t o = 0;

	while (*tmpl && o + 1 < size) {
		const char *val = NULL;
		char num[16];
		size_t skip = 0;
		if (strncmp(tmpl, "{title}", 7) == 0) {
			val = doc->title ? doc->title : "";
			skip = 7;
		} else if (strncmp(tmpl, "{generic}", 9) == 0) {
			val = doc->generic_name ? doc->generic_name : "";
			skip = 9;
		} else if (strncmp(tmpl, "{pages}", 7) == 0) {
			snprintf(num, sizeof(num), "%d", pages);
			val = num;
			skip = 7;
		} else if (strncmp(tmpl, "{page}", 6) == 0) {
			snprintf(num, sizeof(num), "%d", page);
			val = num;
			skip = 6;
		}
		if (val != NULL) {
			size_t n = strlen(val);
			if (n > size - 1 - o)
				n = size - 1 - o;
			memcpy(out + o, val, n);
			o += n;
			tmpl += skip;
		} else {
			out[o++] = *tmpl++;
		}
	}
	out[o] = '\0';
}

static void
S_band(struct layout *lay, const struct mx_document *doc,
       const struct style_band *band, const struct geometry *g, int page,
       double y)
{
	const struct style *st = lay->style;
	double inner =
	        (page % 2 == 0 ? st->margin_inner : st->margin_outer) * MM;
	double outer =
	        g->page_w -
	        (page % 2 == 0 ? st->margin_outer : st->margin_inner) * MM;
	const char *left = band->left, *right = band->right;
	char buf[512];

	/* On the back of a sheet the outer edge is on the left. */
	if (page % 2 == 1) {
		left = band->right;
		right = band->left;
	}
	if (left) {
		S_expand(buf, sizeof(buf), left, doc, page + 1, lay->pages);
		S_single_line(lay, buf, ROLE_HEADER, page, inner, y, 0);
	}
	if (band->centre) {
		S_expand(buf, sizeof(buf), band->centre, doc, page + 1,
		         lay->pages);
		S_single_line(lay, buf, ROLE_HEADER, page, (inner + outer) / 2,
		              y, 1);
	}
	if (right) {
		S_expand(buf, sizeof(buf), right, doc, page + 1, lay->pages);
		S_single_line(lay, buf, ROLE_HEADER, page, outer, y, 2);
	}
}

int
mx_lay_page_furniture(struct layout *lay, const struct mx_document *doc,
                      const struct geometry *g)
{
	const struct style *st = lay->style;
	const struct style_text *hd = &st->text[ROLE_HEADER];
	int p, col;

	for (p = 0; p < lay->pages; p++) {
		if (S_has_band(&st->header) && !(p == 0 && st->title_band))
			S_band(lay, doc, &st->header, g, p,
			       g->page_h - st->margin_top * MM - hd->size);
		if (S_has_band(&st->footer))
			S_band(lay, doc, &st->footer, g, p,
			       st->margin_bottom * MM);
	}
	if (!(st->column_rule > 0 && st->columns > 1))
		return 0;
	for (p = 0; p < lay->pages; p++) {
		double top = p == 0 ? g->first_top : g->top;
		for (col = 1; col < st->columns; col++) {
			struct lay_rect *r;
			GROW(lay, lay->rects, nrects, lay->caprects,
			     lay->nrects + 1);
			r = &lay->rects[lay->nrects++];
			r->page = p;
			r->x = S_col_x(lay, g, p, col) - st->gutter * MM / 2;
			r->y = g->page_h - top;
			r->w = 0;
			r->h = -(g->bottom - top);
			r->stroke = st->column_rule;
			r->colour = &st->rule_colour;
		}
	}
	return 0;
}
