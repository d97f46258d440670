/*
 * layout.c - typesetting for the PDF backend (layout.h): the monograph tree
 * becomes runs of glyphs, rectangles and bookmarks on numbered pages, in
 * three stages, each in a file of its own:
 *
 *   paragraph.c  a block's inlines become cells: code points, faces, widths;
 *   linebreak.c  the cells are broken into lines of glyph runs;
 *   paginate.c   the lines flow into columns and pages, which then get their
 *                running header and footer.
 *
 * blocks.c walks the tree's blocks and drives the first two stages.  This
 * file holds the layout's state and scratch space, which the stages share
 * (layout_private.h), and the document: the title band, the body, then
 * pagination and the page furniture.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "backend/pdf/layout_private.h"
#include "core/private.h"

void *
mx_lay_grow(void *ptr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return ptr;
	while (ncap < need)
		ncap *= 2;
	p = realloc(ptr, ncap * size);
	if (p == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

int
mx_layout_init(struct layout *lay, const struct style *style,
               struct pdf_fonts *fonts, void *hyphen,
               const struct mx_diag *diag)
{
	memset(lay, 0, sizeof(*lay));
	lay->style = style;
	lay->fonts = fonts;
	lay->hyphen = hyphen;
	lay->diag = diag;
	lay->scratch = calloc(1, sizeof(*lay->scratch));
	return lay->scratch ? 0 : -1;
}

void
mx_layout_free(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;

	if (s != NULL) {
		mx_lay_break_free(s);
		free(s->cp);
		free(s->face);
		free(s->ln);
		free(s->slot);
		free(s->w);
		free(s->cx);
		free(s->brk);
		free(s->node);
		free(s->lines);
		free(s->blocks);
		free(s->place);
		free(s);
	}
	free(lay->glyphs);
	free(lay->runs);
	free(lay->rects);
	free(lay->marks);
	free(lay->page_runs);
	free(lay->page_run0);
	free(lay->page_rects);
	free(lay->page_rect0);
	memset(lay, 0, sizeof(*lay));
}

/* The generic name goes into the title band when its section is one short
 * paragraph (at most 120 characters); returns that section, or NULL. */
static const struct mx_node *
S_generic_section(const struct mx_document *doc)
{
	const struct mx_node *n;

	for (n = doc->root->first_child; n != NULL; n = n->next) {
		if (n->type == MX_NODE_SECTION &&
		    n->kind == MX_KIND_GENERIC_NAME) {
			const struct mx_node *p = n->first_child;
			struct mx_buf text = {NULL, 0, 0};
			int ok = p != NULL && p->type == MX_NODE_PARAGRAPH &&
			         p->next == NULL && n->level == 1 &&
			         mx_node_plain_text(p, &text) == 0 &&
			         text.len <= 120;
			mx_buf_free(&text);
			return ok ? n : NULL;
		}
	}
	return NULL;
}

static void
S_reset(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;

	lay->nglyphs = lay->nruns = lay->nrects = lay->nmarks = 0;
	lay->pages = 1;
	lay->failed = 0;
	s->n = 0;
	s->nlines = s->nblocks = 0;
	s->para_no = 0;
	s->probing = -1;
	s->para.on = s->para.begun = 0;
	s->nwarned = 0;
	s->warned_more = 0;
	s->nmissing = 0;
	s->missing_line = 0;
}

/* The scratch space is kept for the next document, but not when it grew
 * past this size: a big document gives back its lines, blocks and cells
 * once they are placed, before pdf.c draws the pages (and libharu holds
 * their contents), which is when memory peaks. */
#define SCRATCH_KEEP_BYTES (1 << 20)

static void
S_release_scratch(struct lay_scratch *s)
{
	size_t cell = sizeof(*s->cp) + sizeof(*s->face) + sizeof(*s->ln) +
	              sizeof(*s->slot) + sizeof(*s->w) + sizeof(*s->cx) +
	              sizeof(*s->brk) + sizeof(*s->node);

	s->n = s->nlines = s->nblocks = 0;
	if (s->caplines * sizeof(*s->lines) > SCRATCH_KEEP_BYTES) {
		free(s->lines);
		s->lines = NULL;
		s->caplines = 0;
	}
	if (s->capblocks * sizeof(*s->blocks) > SCRATCH_KEEP_BYTES) {
		free(s->blocks);
		s->blocks = NULL;
		s->capblocks = 0;
	}
	if (s->capplace * sizeof(*s->place) > SCRATCH_KEEP_BYTES) {
		free(s->place);
		s->place = NULL;
		s->capplace = 0;
	}
	if (s->cap * cell > SCRATCH_KEEP_BYTES) {
		free(s->cp);
		free(s->face);
		free(s->ln);
		free(s->slot);
		free(s->w);
		free(s->cx);
		free(s->brk);
		free(s->node);
		s->cp = NULL;
		s->face = NULL;
		s->ln = NULL;
		s->slot = NULL;
		s->w = NULL;
		s->cx = NULL;
		s->brk = NULL;
		s->node = NULL;
		s->cap = 0;
	}
}

/* Makes the title's paragraph, and the generic name's when it goes
 * into the band, as blocks `w->width` wide. */
static int
S_title_blocks(struct layout *lay, struct walk *w,
               const struct mx_node *generic)
{
	const struct style *st = lay->style;
	const struct mx_document *doc = w->doc;
	struct lay_scratch *s = lay->scratch;
	const struct style_text *tt = &st->text[ROLE_TITLE];
	const char *title = doc->title ? doc->title : doc->id;

	s->line = doc->title_line;
	s->cur_node = doc->root; /* the title's node (struct lay_run) */
	mx_lay_para_open(lay, w, tt, 0, 0, tt->space_after, 0, -1);
	if (mx_lay_para_add(lay, title, strlen(title), tt->face, 0) ||
	    mx_lay_para_close(lay))
		return -1;
	if (generic != NULL) {
		const struct style_text *sub = &st->text[ROLE_SUBTITLE];
		long mark = mx_lay_add_mark(lay, generic->level, generic->text);
		s->n = 0;
		s->line = generic->line;
		s->cur_node = generic->first_child;
		if (mark < 0 ||
		    mx_lay_para_add(lay, generic->text, strlen(generic->text),
		                    FACE_BOLD, 0) ||
		    mx_lay_para_add_char(lay, ':', FACE_BOLD) ||
		    mx_lay_para_add_char(lay, ' ', FACE_REGULAR) ||
		    mx_lay_inlines(lay, generic->first_child->first_child,
		                   sub->face, 0) ||
		    mx_lay_flush_para(lay, w, sub, 0, 0, sub->space_after, 0,
		                      mark))
			return -1;
	}
	return 0;
}

/* A title band is at most this share of the page's columns: a longer
 * title flows in the columns like the text, rather than off the page. */
#define TITLE_BAND_MAX 0.4

/* The title band: the title and, when its section is short, the generic
 * name, across all the columns (or the cover panel of a folded sheet, so
 * that no title crosses a fold), on a coloured band when the style has
 * one.  Sets where the columns of the first page start.  Returns 1 when
 * the title is too long for a band and its blocks are left to flow. */
static int
S_title(struct layout *lay, struct walk *w, struct geometry *g,
        const struct mx_node *generic)
{
	const struct style *st = lay->style;
	struct lay_scratch *s = lay->scratch;
	const struct style_text *tt = &st->text[ROLE_TITLE];
	struct flow f;
	size_t i, nruns = lay->nruns, nglyphs = lay->nglyphs;
	size_t nmarks = lay->nmarks;
	double height = 0;

	mx_lay_title_flow(g, &f, g->m_top + (st->title_band ? 2 : 0));
	w->width = g->folded ? g->col_w : g->content_w;
	if (S_title_blocks(lay, w, generic))
		return -1;
	for (i = 0; i < s->nlines; i++)
		height += s->lines[i].leading;
	if (height > TITLE_BAND_MAX * (g->bottom - g->top)) {
		/* Set again at the columns' width, to flow with the text. */
		lay->nruns = nruns;
		lay->nglyphs = nglyphs;
		lay->nmarks = nmarks;
		s->nlines = s->nblocks = 0;
		w->width = g->col_w;
		w->pending_space = 0;
		g->first_top = g->top;
		return S_title_blocks(lay, w, generic) ? -1 : 1;
	}
	for (i = 0; i < s->nlines; i++) {
		if (i > 0 && s->lines[i].leading != s->lines[i - 1].leading)
			f.y += tt->space_after;
		mx_lay_place_line(lay, g, &f, i);
	}
	if (st->title_band) {
		struct lay_rect *r;
		double band_bottom = f.y + 0.45 * g->m_top;
		GROW(lay, lay->rects, nrects, lay->caprects, lay->nrects + 1);
		r = &lay->rects[lay->nrects++];
		r->page = f.page;
		r->x = g->folded ? g->edge[0][f.col] : 0;
		r->w = g->folded ? g->edge[0][f.col + 1] - r->x : g->page_w;
		r->y = g->page_h - band_bottom;
		r->h = band_bottom;
		r->stroke = 0;
		r->colour = &st->band_colour;
		g->first_top = band_bottom + 0.6 * g->m_top;
	} else {
		g->first_top = f.y + 8;
	}
	if (g->first_top < g->top && !st->title_band)
		g->first_top = g->top;
	s->nlines = 0;
	s->nblocks = 0;
	return 0;
}

/* Groups the `count` items of `size` bytes at `items`, whose page (an int)
 * is `at` bytes into each, by page: a stable counting sort into *index,
 * with page p's items from (*first)[p] to (*first)[p + 1]. */
static int
S_page_index(struct layout *lay, const void *items, size_t count, size_t size,
             size_t at, size_t **index, size_t *capindex, size_t **first,
             size_t *capfirst)
{
	size_t pages = (size_t)lay->pages, i, sum = 0;
	const char *base = items;
	int p;

	GROW(lay, *first, pages, *capfirst, pages + 2);
	GROW(lay, *index, count, *capindex, count + 1);
	memset(*first, 0, (pages + 2) * sizeof(**first));
	for (i = 0; i < count; i++) {
		memcpy(&p, base + i * size + at, sizeof(p));
		if (p >= 0 && p < lay->pages)
			(*first)[p + 2]++;
	}
	/* (*first)[p + 1] is where page p's items start, until they are
	 * placed; then it is where they end, which is where p + 1's start. */
	for (i = 2; i < pages + 2; i++) {
		sum += (*first)[i];
		(*first)[i] = sum;
	}
	for (i = 0; i < count; i++) {
		memcpy(&p, base + i * size + at, sizeof(p));
		if (p >= 0 && p < lay->pages)
			(*index)[(*first)[p + 1]++] = i;
	}
	return 0;
}

/* Typesets the title and the body of `doc` and flows them into pages. */
static int
S_typeset(struct layout *lay, const struct mx_document *doc, struct geometry *g,
          const struct mx_node *generic)
{
	struct walk w;
	const struct mx_node *c;

	S_reset(lay);
	mx_lay_geometry(lay, g);
	memset(&w, 0, sizeof(w));
	w.doc = doc;
	switch (S_title(lay, &w, g, generic)) {
	case -1:
		return -1;
	case 0:
		w.pending_space = 0;
		break;
	default: /* the title flows with the text */
		break;
	}

	/* The body. */
	w.width = g->col_w;
	w.indent = 0;
	for (c = doc->root->first_child; c != NULL; c = c->next) {
		if (c == generic)
			continue;
		if (mx_lay_blocks(lay, &w, c))
			return -1;
	}
	if (lay->failed)
		return -1;
	return mx_lay_paginate(lay, g);
}

/* A last page is balanced when its columns end within this many lines of
 * each other (two, give or take rounding: tests/pdfpages.py's measure). */
#define BALANCED_LINES 2.05

/* Sets the paragraphs numbered para[k] loose_by[k] lines longer, for the
 * n (at most LOOSE_SET) of them, and no other. */
static void
S_loose_set(struct lay_scratch *s, const long *para, const int *by, int n)
{
	int k;

	for (k = 0; k < LOOSE_SET; k++) {
		s->loose_para[k] = k < n ? para[k] : -1;
		s->loose_by[k] = k < n ? by[k] : 0;
	}
}

/* The best way S_balance_loose() has found: its spread and the
 * paragraphs it sets looser or tighter. */
struct loose_best {
	double spread;
	long para[LOOSE_SET];
	int by[LOOSE_SET], n;
};

/* One try of S_balance_loose(): paragraph para[k] of the probe's set
 * (probe[k]) set by[k] lines longer, for the n of them, when each can be
 * (else no try); typeset, and kept in *best when that balances the last
 * page better on as many pages.  Returns 1 when the layout now made is
 * the best, 0 when not, LOOSE_NO_TRY when it made none, -1 on error. */
#define LOOSE_NO_TRY 2

static int
S_loose_try(struct layout *lay, const struct mx_document *doc,
            struct geometry *g, const struct mx_node *generic, int pages,
            const int *probe, const int *by, int n, struct loose_best *best)
{
	struct lay_scratch *s = lay->scratch;
	long para[LOOSE_SET];
	double spread;
	int k, count;

	for (k = 0; k < n; k++) {
		if (!s->probe[probe[k]].can[by[k] > 0])
			return LOOSE_NO_TRY;
		para[k] = s->probe[probe[k]].para;
	}
	S_loose_set(s, para, by, n);
	if (S_typeset(lay, doc, g, generic))
		return -1;
	spread = mx_lay_last_spread(lay, g, NULL, 0, &count);
	if (lay->pages != pages || spread >= best->spread - 0.05)
		return 0;
	best->spread = spread;
	best->n = n;
	for (k = 0; k < n; k++) {
		best->para[k] = para[k];
		best->by[k] = by[k];
	}
	return 1;
}

/* When pagination cannot balance the last page (or a folded sheet's
 * inside) for the blocks it has, a paragraph there is set a line shorter
 * or longer (TeX's looseness), with no line too loose or too tight, if
 * that balances it on as many pages: the last paragraphs first, each
 * tighter first; when none does, two of them at once.  When that still
 * does not (s->rescue), pagination may set the whole leaflet a little
 * tighter, else end the page before earlier, a block short (paginate.c's
 * S_plan_last() and S_balance()), if that balances it.
 * The document is typeset again for each try (a paragraph's lines are
 * made as its text comes, and its cells are gone by pagination), once
 * first to find which of those paragraphs can be set so, and warnings
 * are said once, by the first typesetting. */
static int
S_balance_loose(struct layout *lay, const struct mx_document *doc,
                struct geometry *g, const struct mx_node *generic)
{
	struct lay_scratch *s = lay->scratch;
	const struct mx_diag *diag = lay->diag;
	long para[LOOSE_TRIES];
	struct loose_best best = {0};
	int n, i, j, t, k, probe[LOOSE_SET], by[LOOSE_SET];
	int pages = lay->pages, rc = 0, last_is_best = 1;

	best.spread = mx_lay_last_spread(lay, g, para, LOOSE_TRIES, &n);
	if (best.spread <= BALANCED_LINES)
		return 0;
	lay->diag = NULL;
	for (i = 0; i < n; i++)
		s->probe[i].para = para[i];
	s->nprobe = n;
	rc = n > 0 ? S_typeset(lay, doc, g, generic) : 0;
	s->nprobe = 0;
	if (rc != 0)
		goto done;
	/* One paragraph, tighter first; then two, each way (bit 0 of t:
	 * the first one longer, bit 1: the second). */
	for (i = 0; i < n && rc >= 0 && best.spread > BALANCED_LINES; i++)
		for (t = 0; t < 2 && rc >= 0 && best.spread > BALANCED_LINES;
		     t++) {
			probe[0] = i;
			by[0] = t ? 1 : -1;
			rc = S_loose_try(lay, doc, g, generic, pages, probe, by,
			                 1, &best);
			if (rc != LOOSE_NO_TRY)
				last_is_best = rc == 1;
		}
	for (i = 0; i < n && rc >= 0 && best.spread > BALANCED_LINES; i++)
		for (j = i + 1;
		     j < n && rc >= 0 && best.spread > BALANCED_LINES; j++)
			for (t = 0;
			     t < 4 && rc >= 0 && best.spread > BALANCED_LINES;
			     t++) {
				probe[0] = i;
				probe[1] = j;
				by[0] = t & 1 ? 1 : -1;
				by[1] = t & 2 ? 1 : -1;
				rc = S_loose_try(lay, doc, g, generic, pages,
				                 probe, by, 2, &best);
				if (rc != LOOSE_NO_TRY)
					last_is_best = rc == 1;
			}
	if (rc < 0)
		goto done;
	if (best.spread > BALANCED_LINES) {
		S_loose_set(s, best.para, best.by, best.n);
		s->rescue = 1;
		rc = S_typeset(lay, doc, g, generic);
		s->rescue = 0;
		if (rc != 0)
			goto done;
		/* A page before that ends short is worth a balanced last
		 * page only. */
		last_is_best = lay->pages == pages &&
		               mx_lay_last_spread(lay, g, NULL, 0, &k) <=
		                       BALANCED_LINES;
	}
	if (!last_is_best) {
		S_loose_set(s, best.para, best.by, best.n);
		rc = S_typeset(lay, doc, g, generic);
	}
done:
	S_loose_set(s, NULL, NULL, 0);
	s->rescue = 0;
	lay->diag = diag;
	return rc < 0 ? -1 : 0;
}

int
mx_layout_document(struct layout *lay, const struct mx_document *doc)
{
	struct geometry g;
	const struct mx_node *generic = S_generic_section(doc);

	S_loose_set(lay->scratch, NULL, NULL, 0);
	if (S_typeset(lay, doc, &g, generic) ||
	    S_balance_loose(lay, doc, &g, generic))
		return -1;
	if (g.folded && lay->pages > 2)
		mx_report(lay->diag, MX_WARNING, doc->source, 0,
		          "too long for one folded sheet of %s: printed on %d "
		          "sheets (%d pages), which do not fold as one leaflet",
		          lay->style->name, lay->pages / 2, lay->pages);
	mx_lay_report_missing(lay, doc);
	/* Running header and footer, now that the page count is known:
	 * furniture, no node's text. */
	lay->scratch->cur_node = NULL;
	if (mx_lay_page_furniture(lay, doc, &g) ||
	    S_page_index(lay, lay->runs, lay->nruns, sizeof(*lay->runs),
	                 offsetof(struct lay_run, page), &lay->page_runs,
	                 &lay->cap_page_runs, &lay->page_run0,
	                 &lay->cap_page_run0) ||
	    S_page_index(lay, lay->rects, lay->nrects, sizeof(*lay->rects),
	                 offsetof(struct lay_rect, page), &lay->page_rects,
	                 &lay->cap_page_rects, &lay->page_rect0,
	                 &lay->cap_page_rect0))
		return -1;
	S_release_scratch(lay->scratch);
	return lay->failed ? -1 : 0;
}
