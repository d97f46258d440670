/*
 * blocks.c - the walk of the monograph tree's blocks, which drives the
 * first two stages: each heading, paragraph, list item, label, question,
 * code block and rule becomes a paragraph in its style (paragraph.c) with
 * its indent, list marker and bookmark, broken into lines (linebreak.c);
 * the lines of each are a block that pagination keeps or splits as a unit
 * (paginate.c).
 */
#include <stdio.h>
#include <string.h>

#include "backend/pdf/layout_private.h"
#include "core/private.h"

static int
S_begin_block(struct layout *lay, struct walk *w, double space_before,
              int keep_next)
{
	struct lay_scratch *s = lay->scratch;
	struct fblock *b;

	GROW(lay, s->blocks, nblocks, s->capblocks, s->nblocks + 1);
	b = &s->blocks[s->nblocks++];
	b->line0 = s->nlines;
	b->count = 0;
	b->space_before = space_before > w->pending_space ? space_before
	                                                  : w->pending_space;
	b->keep_next = keep_next;
	b->para = s->para_no++;
	return 0;
}

static void
S_end_block(struct layout *lay, struct walk *w, double space_after)
{
	struct lay_scratch *s = lay->scratch;
	struct fblock *b = &s->blocks[s->nblocks - 1];

	b->count = s->nlines - b->line0;
	if (b->count == 0)
		s->nblocks--;
	else
		w->pending_space = space_after;
}

/* Places a pending list marker on the first line of the block just made. */
static int
S_place_marker(struct layout *lay, struct walk *w, const struct style_text *t,
               size_t first_line)
{
	struct lay_scratch *s = lay->scratch;
	struct fline *l;
	size_t i, n = strlen(w->marker), save_n;
	double width = 0, x;
	int slot, adv;
	struct lay_run tmp;
	size_t k;

	if (w->marker[0] == '\0' || first_line >= s->nlines)
		return 0;
	l = &s->lines[first_line];
	save_n = lay->nruns;
	/* Measure the marker in the regular face. */
	for (i = 0; i < n;) {
		int32_t c;
		int len = mx_utf8_decode(w->marker + i, n - i, &c);
		if (len <= 0)
			break;
		i += (size_t)len;
		if (mx_pdf_fonts_lookup(lay->fonts, FACE_REGULAR, (uint32_t)c,
		                        &slot, &adv) == 0)
			width += adv * t->size / 1000.0;
	}
	x = w->indent - 0.4 * t->size - width;
	if (x < 0)
		x = 0;
	for (i = 0; i < n;) {
		int32_t c;
		int len = mx_utf8_decode(w->marker + i, n - i, &c);
		if (len <= 0)
			break;
		i += (size_t)len;
		if (mx_pdf_fonts_lookup(lay->fonts, FACE_REGULAR, (uint32_t)c,
		                        &slot, &adv) != 0)
			continue;
		if (lay->nruns == save_n ||
		    lay->runs[lay->nruns - 1].slot != slot)
			if (mx_lay_add_run(lay, slot, t->size, &t->colour, x))
				return -1;
		if (mx_lay_add_glyph(lay, (uint32_t)c))
			return -1;
		lay->runs[lay->nruns - 1].node = w->item;
		x += adv * t->size / 1000.0;
	}
	/* The marker's runs were appended at the end; move them into the
	 * line's range by rotating them in front of its first run, which
	 * keeps reading order (marker, then text) for text extraction. */
	{
		size_t m = lay->nruns - save_n;
		size_t lo = l->run0, hi = save_n;
		for (k = 0; k < m; k++) {
			size_t j;
			tmp = lay->runs[hi + k];
			for (j = hi + k; j > lo + k; j--)
				lay->runs[j] = lay->runs[j - 1];
			lay->runs[lo + k] = tmp;
		}
		l->nruns += m;
		for (i = first_line + 1; i < s->nlines; i++)
			s->lines[i].run0 += m;
	}
	w->marker[0] = '\0';
	return 0;
}

/* Titles, headings, questions and lone labels are not hyphenated. */
static int
S_no_hyphen(const struct layout *lay, const struct style_text *t, int keep_next)
{
	return keep_next || (t != &lay->style->text[ROLE_BODY] &&
	                     t != &lay->style->text[ROLE_CODE]);
}

/* Makes a block of the paragraph in the scratch buffer (the rest of it,
 * when an open paragraph's block has begun). */
int
mx_lay_flush_para(struct layout *lay, struct walk *w,
                  const struct style_text *t, int justify, double space_before,
                  double space_after, int keep_next, long mark)
{
	struct lay_scratch *s = lay->scratch;
	size_t first;
	long n;
	int begun = s->para.begun;

	s->para.on = s->para.begun = 0;
	if (!begun) {
		if (s->n == 0 && w->marker[0] == '\0')
			return 0;
		if (s->n == 0)
			mx_lay_para_add_char(lay, 0x200B, FACE_REGULAR);
		if (S_begin_block(lay, w, space_before, keep_next))
			return -1;
		s->no_hyphen = S_no_hyphen(lay, t, keep_next);
		mx_lay_break_reset(lay);
		/* Only a paragraph of text may be set looser or tighter
		 * (mx_lay_break()), not a heading, question or label. */
		if (s->no_hyphen)
			s->blocks[s->nblocks - 1].para = -1;
	}
	first = s->blocks[s->nblocks - 1].line0;
	n = mx_lay_break(lay, t, w->indent, w->width - w->indent, justify);
	if (n < 0)
		return -1;
	if (n == 0 && w->marker[0] != '\0') {
		if (mx_lay_new_line(lay, t->leading,
		                    (t->leading + t->size * 0.72) / 2))
			return -1;
	}
	if (S_place_marker(lay, w, t, first))
		return -1;
	if (mark >= 0 && first < s->nlines)
		s->lines[first].mark = mark;
	s->n = 0;
	S_end_block(lay, w, space_after);
	return 0;
}

void
mx_lay_para_open(struct layout *lay, struct walk *w, const struct style_text *t,
                 int justify, double space_before, double space_after,
                 int keep_next, long mark)
{
	struct lay_para *p = &lay->scratch->para;

	lay->scratch->n = 0;
	p->on = 1;
	p->begun = 0;
	p->walk = w;
	p->t = t;
	p->justify = justify;
	p->keep_next = keep_next;
	p->space_before = space_before;
	p->space_after = space_after;
	p->mark = mark;
	p->stream_at = PARA_STREAM_CELLS;
}

int
mx_lay_para_close(struct layout *lay)
{
	struct lay_para p = lay->scratch->para;

	return mx_lay_flush_para(lay, p.walk, p.t, p.justify, p.space_before,
	                         p.space_after, p.keep_next, p.mark);
}

/* An open paragraph of PARA_STREAM_CELLS cells begins its block and makes
 * the lines it can; the next time is when it has doubled (when a line has
 * not ended yet) or grown back to that size. */
int
mx_lay_para_grown(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_para *p = &s->para;
	struct walk *w = p->walk;

	if (!p->on || s->n < p->stream_at)
		return 0;
	if (!p->begun) {
		if (S_begin_block(lay, w, p->space_before, p->keep_next))
			return -1;
		s->no_hyphen = S_no_hyphen(lay, p->t, p->keep_next);
		mx_lay_break_reset(lay);
		s->blocks[s->nblocks - 1].para = -1; /* set as it comes */
		p->begun = 1;
	}
	if (mx_lay_break_some(lay, p->t, w->indent, w->width - w->indent,
	                      p->justify))
		return -1;
	p->stream_at =
	        2 * s->n > PARA_STREAM_CELLS ? 2 * s->n : PARA_STREAM_CELLS;
	return 0;
}

long
mx_lay_add_mark(struct layout *lay, int level, const char *title)
{
	struct lay_mark *m;

	GROW(lay, lay->marks, nmarks, lay->capmarks, lay->nmarks + 1);
	m = &lay->marks[lay->nmarks];
	m->page = -1;
	m->y = 0;
	m->level = level;
	m->title = title;
	return (long)lay->nmarks++;
}

/* Whether text at this point of the walk is justified: as the style
 * says, but list items only when its justify-lists allows. */
static int
S_justify(const struct layout *lay, const struct walk *w)
{
	return lay->style->justify &&
	       (w->list_depth == 0 || lay->style->justify_lists);
}

static int
S_paragraph(struct layout *lay, struct walk *w, const struct mx_node *n,
            int face)
{
	const struct style *st = lay->style;
	const struct style_text *t = &st->text[ROLE_BODY];
	struct lay_scratch *s = lay->scratch;

	s->line = n->line;
	mx_lay_para_open(lay, w, t, S_justify(lay, w), 0, t->space_after, 0,
	                 -1);
	if (w->label != NULL) {
		/* Run in: the label's face, the paragraph's size and colour. */
		int lf = st->text[ROLE_LABEL].face;
		if (mx_lay_inlines(lay, w->label->first_child, lf, 0) ||
		    mx_lay_para_add_char(lay, ':', lf) ||
		    mx_lay_para_add_char(lay, ' ', FACE_REGULAR))
			return -1;
		w->label = NULL;
	}
	if (mx_lay_inlines(lay, n->first_child, face, 0))
		return -1;
	return mx_lay_para_close(lay);
}

static int S_prints_children(const struct mx_node *n);
static int S_empty_section(const struct mx_node *n);

static int
S_heading(struct layout *lay, struct walk *w, const struct mx_node *n)
{
	const struct style *st = lay->style;
	int role = n->level <= 1 ? ROLE_H1 : n->level == 2 ? ROLE_H2 : ROLE_H3;
	const struct style_text *t = &st->text[role];
	struct lay_scratch *s = lay->scratch;
	long mark;

	s->n = 0;
	s->line = n->line;
	if (n->text == NULL || n->text[0] == '\0')
		return 0;
	mark = mx_lay_add_mark(lay, n->level > 0 ? n->level : 1, n->text);
	if (mark < 0)
		return -1;
	/* Kept with what follows: its text, unless it holds all of it
	 * ("### Usage: Take one daily" followed by the next field). */
	mx_lay_para_open(lay, w, t, 0, t->space_before, t->space_after,
	                 S_prints_children(n), mark);
	if (mx_lay_para_add(lay, n->text, strlen(n->text), t->face, 0))
		return -1;
	return mx_lay_para_close(lay);
}

static const char *
S_bullet(int depth)
{
	static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93",
	                                      "\xE2\x97\xA6"};
	return bullets[depth % 3];
}

/* Indents nested blocks by `step`, but never beyond 40% of the column:
 * deeper levels stay at that indent, so text keeps room to breathe. */
static void
S_indent(struct layout *lay, struct walk *w, double step)
{
	double max = 0.4 * w->width;

	(void)lay;
	if (w->indent + step <= max) {
		w->marker_indent = w->indent;
		w->indent += step;
	} else if (w->indent < max) {
		w->marker_indent = w->indent;
		w->indent = max;
	}
	/* Already at the limit: the marker hangs where the last one did. */
}

static int
S_item(struct layout *lay, struct walk *w, const struct mx_node *item,
       const char *marker)
{
	double save_indent = w->indent;
	const struct mx_node *c = item->first_child, *save_item = w->item;
	const struct style_text *t = &lay->style->text[ROLE_BODY];
	const struct style_text *lt = &lay->style->text[ROLE_LABEL];

	S_indent(lay, w,
	         w->list_extra > 0 ? w->list_extra : lay->style->list_indent);
	snprintf(w->marker, sizeof(w->marker), "%s", marker);
	w->item = item;
	if (c != NULL && c->type == MX_NODE_LABEL) {
		w->label = c;
		c = c->next;
		if (c == NULL || c->type != MX_NODE_PARAGRAPH) {
			/* A label alone makes its own line. */
			struct lay_scratch *s = lay->scratch;
			const struct mx_node *label = w->label;
			w->label = NULL;
			s->line = label->line;
			s->cur_node = label;
			mx_lay_para_open(lay, w, lt, 0, 0, t->space_after / 2,
			                 1, -1);
			if (mx_lay_inlines(lay, label->first_child, lt->face,
			                   0) ||
			    mx_lay_para_add_char(lay, ':', lt->face) ||
			    mx_lay_para_close(lay))
				return -1;
		}
	}
	for (; c != NULL; c = c->next) {
		if (mx_lay_blocks(lay, w, c))
			return -1;
		if (w->pending_space > t->space_after / 2)
			w->pending_space = t->space_after / 2;
	}
	if (w->marker[0] != '\0') {
		/* An empty item still shows its bullet. */
		lay->scratch->n = 0;
		if (mx_lay_flush_para(lay, w, t, 0, 0, t->space_after / 2, 0,
		                      -1))
			return -1;
	}
	w->indent = save_indent;
	w->item = save_item;
	return 0;
}

static int
S_list(struct layout *lay, struct walk *w, const struct mx_node *list)
{
	const struct mx_node *item;
	int number = list->start;
	char marker[24];
	const struct style_text *t = &lay->style->text[ROLE_BODY];
	double save_extra = w->list_extra;
	double extra_indent = lay->style->list_indent;

	w->list_depth++;
	if (list->ordered) {
		/* Numbers hang in the indent: widen it for wide numbers. */
		int last = list->start, slot, adv;
		double width = 0, gap = 0.4 * t->size;
		const char *p;
		for (item = list->first_child; item != NULL; item = item->next)
			last++;
		snprintf(marker, sizeof(marker), "%d.",
		         last > 0 ? last - 1 : 0);
		for (p = marker; *p; p++)
			if (mx_pdf_fonts_lookup(lay->fonts, FACE_REGULAR,
			                        (unsigned char)*p, &slot,
			                        &adv) == 0)
				width += adv * t->size / 1000.0;
		if (width + gap > extra_indent)
			extra_indent = width + gap;
	}
	w->list_extra = extra_indent;
	for (item = list->first_child; item != NULL; item = item->next) {
		if (list->ordered)
			snprintf(marker, sizeof(marker), "%d.", number++);
		else
			snprintf(marker, sizeof(marker), "%s",
			         S_bullet(w->list_depth - 1));
		if (S_item(lay, w, item, marker))
			return -1;
	}
	w->list_depth--;
	w->list_extra = save_extra;
	w->pending_space = t->space_after;
	return 0;
}

static int
S_code_block(struct layout *lay, struct walk *w, const struct mx_node *n)
{
	const struct style_text *t = &lay->style->text[ROLE_CODE];
	struct lay_scratch *s = lay->scratch;

	s->line = n->line;
	mx_lay_para_open(lay, w, t, 0, t->space_before, t->space_after, 0, -1);
	if (n->text &&
	    mx_lay_para_add(lay, n->text, strlen(n->text), t->face, 1))
		return -1;
	return mx_lay_para_close(lay);
}

static int
S_rule(struct layout *lay, struct walk *w)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_rect *r;
	const struct style_text *t = &lay->style->text[ROLE_BODY];

	if (S_begin_block(lay, w, t->space_after, 0) ||
	    mx_lay_new_line(lay, t->leading / 2, t->leading / 4))
		return -1;
	s->blocks[s->nblocks - 1].para = -1;
	GROW(lay, lay->rects, nrects, lay->caprects, lay->nrects + 1);
	r = &lay->rects[lay->nrects];
	r->page = -1;
	r->x = w->indent;
	r->y = 0;
	r->w = w->width - w->indent;
	r->h = 0;
	r->stroke = 0.5;
	r->colour = &lay->style->rule_colour;
	s->lines[s->nlines - 1].rect = (long)lay->nrects++;
	S_end_block(lay, w, t->space_after);
	return 0;
}

/* Whether a section prints something under its heading: a child other
 * than an empty section. */
static int
S_prints_children(const struct mx_node *n)
{
	const struct mx_node *c;

	for (c = n->first_child; c != NULL; c = c->next)
		if (c->type != MX_NODE_SECTION || !S_empty_section(c))
			return 1;
	return 0;
}

/* A section with nothing to print: no children but empty sections, and
 * no text after a colon in its heading ("### Usage: Take one daily" holds
 * its content in the heading). */
static int
S_empty_section(const struct mx_node *n)
{
	const char *colon = n->text ? strchr(n->text, ':') : NULL;

	if (colon != NULL && colon[1 + strspn(colon + 1, " ")] != '\0')
		return 0;
	return !S_prints_children(n);
}

/* One warning for each section of an empty one, itself included. */
static void
S_warn_empty(struct layout *lay, const struct mx_document *doc,
             const struct mx_node *n)
{
	const struct mx_node *c;

	mx_report(lay->diag, MX_WARNING, doc->source, n->line,
	          "section '%s' is empty and is not printed",
	          n->text ? n->text : "");
	for (c = n->first_child; c != NULL; c = c->next)
		S_warn_empty(lay, doc, c);
}

int
mx_lay_blocks(struct layout *lay, struct walk *w, const struct mx_node *n)
{
	const struct mx_node *c;
	const struct style_text *body = &lay->style->text[ROLE_BODY];

	lay->scratch->cur_node = n; /* whose text follows (struct lay_run) */
	switch (n->type) {
	case MX_NODE_DOCUMENT:
	case MX_NODE_ANSWER:
		for (c = n->first_child; c != NULL; c = c->next)
			if (mx_lay_blocks(lay, w, c))
				return -1;
		return 0;
	case MX_NODE_SECTION:
		if (S_empty_section(n)) {
			S_warn_empty(lay, w->doc, n);
			return 0;
		}
		if (S_heading(lay, w, n))
			return -1;
		for (c = n->first_child; c != NULL; c = c->next)
			if (mx_lay_blocks(lay, w, c))
				return -1;
		return 0;
	case MX_NODE_PARAGRAPH:
		return S_paragraph(lay, w, n, FACE_REGULAR);
	case MX_NODE_LIST:
		return S_list(lay, w, n);
	case MX_NODE_ITEM:
		return S_item(lay, w, n, S_bullet(w->list_depth));
	case MX_NODE_LABEL: {
		const struct style_text *lt = &lay->style->text[ROLE_LABEL];
		lay->scratch->line = n->line;
		mx_lay_para_open(lay, w, lt, 0, 0, body->space_after / 2, 1,
		                 -1);
		if (mx_lay_inlines(lay, n->first_child, lt->face, 0) ||
		    mx_lay_para_add_char(lay, ':', lt->face))
			return -1;
		return mx_lay_para_close(lay);
	}
	case MX_NODE_QA:
		for (c = n->first_child; c != NULL; c = c->next)
			if (mx_lay_blocks(lay, w, c))
				return -1;
		w->pending_space = body->space_after;
		return 0;
	case MX_NODE_QUESTION: {
		const struct style_text *q = &lay->style->text[ROLE_QUESTION];
		lay->scratch->line = n->line;
		mx_lay_para_open(lay, w, q, 0, q->space_before, q->space_after,
		                 1, -1);
		if (mx_lay_inlines(lay, n->first_child, q->face, 0))
			return -1;
		return mx_lay_para_close(lay);
	}
	case MX_NODE_BLOCKQUOTE: {
		double save = w->indent, save_marker = w->marker_indent;
		S_indent(lay, w, lay->style->list_indent);
		w->marker_indent = save_marker;
		for (c = n->first_child; c != NULL; c = c->next)
			if (mx_lay_blocks(lay, w, c))
				return -1;
		w->indent = save;
		return 0;
	}
	case MX_NODE_CODE_BLOCK:
		return S_code_block(lay, w, n);
	case MX_NODE_THEMATIC_BREAK:
		return S_rule(lay, w);
	default:
		/* Inlines outside a paragraph: treat them as one. */
		lay->scratch->line = n->line;
		mx_lay_para_open(lay, w, body, S_justify(lay, w), 0,
		                 body->space_after, 0, -1);
		if (mx_lay_inlines(lay, n, FACE_REGULAR, 0))
			return -1;
		return mx_lay_para_close(lay);
	}
}
