/*
 * paragraph.c - the first stage of typesetting: a block's inlines become a
 * paragraph of cells in the scratch buffer, one a character, each with its
 * code point, face (regular, bold, italic or mono, raised or lowered) and
 * source line, and once measured its font slot and width.  White space is
 * collapsed (except in code), <sub> and <sup> take the Unicode forms when
 * every character has one, and a link's address follows its text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/pdf/layout_private.h"
#include "core/private.h"
#include "core/text.h"

/* A tab in code is set as this many spaces. */
#define TAB_CELLS MX_TAB_WIDTH

/* Text is appended this many bytes at a time (see mx_lay_para_add()). */
#define PARA_PIECE 16384

static int
S_para_reserve(struct layout *lay, size_t extra)
{
	struct lay_scratch *s = lay->scratch;
	size_t need = s->n + extra + 2, cap;

	if (need <= s->cap)
		return 0;
	cap = s->cap;
	GROW(lay, s->cp, n, cap, need);
	cap = s->cap;
	GROW(lay, s->face, n, cap, need);
	cap = s->cap;
	GROW(lay, s->ln, n, cap, need);
	cap = s->cap;
	GROW(lay, s->slot, n, cap, need);
	cap = s->cap;
	GROW(lay, s->w, n, cap, need);
	cap = s->cap;
	GROW(lay, s->cx, n, cap, need);
	cap = s->cap;
	GROW(lay, s->brk, n, cap, need);
	cap = s->cap;
	GROW(lay, s->node, n, cap, need);
	s->cap = cap;
	return 0;
}

static int
S_is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Appends the UTF-8 text [*from, end) of `text` (of `len` bytes: a
 * character may run on past `end`) in `face`; moves *from on. */
static int
S_para_add_piece(struct layout *lay, const char *text, size_t len, size_t *from,
                 size_t end, int face, int keep_spaces)
{
	struct lay_scratch *s = lay->scratch;
	size_t i = *from;
	size_t cells = end - i + 4; /* a character may run on past `end` */

	/* A byte makes at most one cell, but a tab in code makes TAB_CELLS. */
	if (keep_spaces) {
		const char *t = text + i, *stop = text + len;
		if (stop > text + end + 3)
			stop = text + end + 3;
		while ((t = memchr(t, '\t', (size_t)(stop - t))) != NULL) {
			cells += TAB_CELLS - 1;
			t++;
		}
	}
	if (S_para_reserve(lay, cells) != 0)
		return -1;
	while (i < end) {
		int32_t c = (unsigned char)text[i];
		/* ASCII, nearly all of the text, needs no decoding. */
		int k = c < 0x80 ? 1 : mx_utf8_decode(text + i, len - i, &c);
		if (k <= 0) {
			k = 1;
			c = 0xFFFD;
		}
		i += (size_t)k;
		if (c == '\r')
			continue;
		if (c < 0x20 && c != '\n' && c != '\t')
			continue; /* other controls have no glyph to lose */
		if (!keep_spaces && S_is_space((uint32_t)c)) {
			if (s->n == 0 || s->cp[s->n - 1] == ' ' ||
			    s->cp[s->n - 1] == '\n')
				continue;
			c = ' ';
		} else if (keep_spaces && c == '\t') {
			int t;
			for (t = 0; t < TAB_CELLS - 1; t++) {
				s->cp[s->n] = ' ';
				s->ln[s->n] = s->line;
				s->node[s->n] = s->cur_node;
				s->face[s->n++] = (uint8_t)face;
			}
			c = ' ';
		}
		s->cp[s->n] = (uint32_t)c;
		s->ln[s->n] = s->line;
		s->node[s->n] = s->cur_node;
		s->face[s->n++] = (uint8_t)face;
	}
	*from = i;
	return 0;
}

/* Appends UTF-8 text in `face`, collapsing white space (except in code), a
 * piece at a time, so that an open paragraph is broken into lines as it
 * grows. */
int
mx_lay_para_add(struct layout *lay, const char *text, size_t len, int face,
                int keep_spaces)
{
	size_t i = 0;

	while (i < len) {
		size_t end = len - i > PARA_PIECE ? i + PARA_PIECE : len;
		if (S_para_add_piece(lay, text, len, &i, end, face,
		                     keep_spaces) != 0 ||
		    mx_lay_para_grown(lay) != 0)
			return -1;
	}
	return 0;
}

int
mx_lay_para_add_char(struct layout *lay, uint32_t c, int face)
{
	struct lay_scratch *s = lay->scratch;

	if (S_para_reserve(lay, 1) != 0)
		return -1;
	if (c == ' ' &&
	    (s->n == 0 || s->cp[s->n - 1] == ' ' || s->cp[s->n - 1] == '\n'))
		return 0;
	if (c == '\n' && s->n > 0 && s->cp[s->n - 1] == ' ')
		s->n--;
	s->cp[s->n] = c;
	s->ln[s->n] = s->line;
	s->node[s->n] = s->cur_node;
	s->face[s->n++] = (uint8_t)face;
	return mx_lay_para_grown(lay);
}

/* <sub> and <sup>: drawn with the Unicode superscript and subscript
 * characters (Fe²⁺, CO₂) when every character has one, which keeps the
 * line's metrics and the text searchable; otherwise inline as they are. */
static int
S_script(struct layout *lay, const struct mx_node *n, int face, int code)
{
	struct mx_buf text = {NULL, 0, 0};
	int sup = n->type == MX_NODE_SUP;
	size_t i = 0;
	int32_t c;
	int k;

	if (mx_node_plain_text(n, &text) != 0) {
		mx_buf_free(&text);
		return -1;
	}
	if (!mx_script_has_form(text.data, text.len, sup, MX_SCRIPT_FULL)) {
		mx_buf_free(&text);
		return mx_lay_inlines(
		        lay, n->first_child,
		        FACE_OF(face) | (sup ? SCRIPT_SUP : SCRIPT_SUB), code);
	}
	for (i = 0; i < text.len;) {
		k = mx_utf8_decode(text.data + i, text.len - i, &c);
		i += (size_t)k;
		if (mx_lay_para_add_char(
		            lay,
		            mx_script_char((uint32_t)c, sup, MX_SCRIPT_FULL),
		            face)) {
			mx_buf_free(&text);
			return -1;
		}
	}
	mx_buf_free(&text);
	return 0;
}

/* A printed leaflet cannot be clicked: a link's address follows its text
 * in parentheses, unless the text already is the address (the rule is
 * mx_link_suffix()'s, shared with the text backend). */
static int
S_link_target(struct layout *lay, const struct mx_node *link, int face)
{
	struct mx_buf text = {NULL, 0, 0};
	size_t len;
	int rc = 0;

	if (mx_node_plain_text(link, &text) != 0)
		rc = -1;
	len = text.len;
	if (rc == 0 && mx_link_suffix(&text, link->url, text.data, text.len,
	                              MX_LINK_PRINT) != 0)
		rc = -1;
	if (rc == 0 && text.len > len &&
	    mx_lay_para_add(lay, text.data + len, text.len - len, face, 0) != 0)
		rc = -1;
	mx_buf_free(&text);
	return rc;
}

int
mx_lay_inlines(struct layout *lay, const struct mx_node *n, int face, int code)
{
	for (; n != NULL; n = n->next) {
		int f = face;
		if (n->line > 0)
			lay->scratch->line = n->line;
		switch (n->type) {
		case MX_NODE_TEXT:
			if (n->text &&
			    mx_lay_para_add(lay, n->text, strlen(n->text), face,
			                    0))
				return -1;
			break;
		case MX_NODE_CODE:
			if (n->text &&
			    mx_lay_para_add(lay, n->text, strlen(n->text),
			                    FACE_MONO | SCRIPT_OF(face), 0))
				return -1;
			break;
		case MX_NODE_LINEBREAK:
			if (mx_lay_para_add_char(lay, '\n', face))
				return -1;
			break;
		case MX_NODE_STRONG:
			f = FACE_BOLD | SCRIPT_OF(face);
			if (mx_lay_inlines(lay, n->first_child, f, code))
				return -1;
			break;
		case MX_NODE_EMPH:
			if (FACE_OF(face) != FACE_BOLD)
				f = FACE_ITALIC | SCRIPT_OF(face);
			if (mx_lay_inlines(lay, n->first_child, f, code))
				return -1;
			break;
		case MX_NODE_SUB:
		case MX_NODE_SUP:
			if (S_script(lay, n, f, code))
				return -1;
			break;
		case MX_NODE_LINK: {
			/* The link's text and address are the link's own in
			 * the PDF's structure. */
			const struct mx_node *outer = lay->scratch->cur_node;
			lay->scratch->cur_node = n;
			if (mx_lay_inlines(lay, n->first_child, f, code) ||
			    S_link_target(lay, n, face))
				return -1;
			lay->scratch->cur_node = outer;
			break;
		}
		default:
			if (mx_lay_inlines(lay, n->first_child, f, code))
				return -1;
			break;
		}
	}
	return 0;
}

/* Notes a character no font has, for the document's one warning. */
static void
S_missing(struct lay_scratch *s, uint32_t c, int line)
{
	size_t i;

	if (s->nmissing++ == 0)
		s->missing_line = line;
	for (i = 0; i < s->nwarned; i++)
		if (s->warned[i] == c)
			return;
	if (s->nwarned < sizeof(s->warned) / sizeof(*s->warned))
		s->warned[s->nwarned++] = c;
	else
		s->warned_more = 1;
}

/* One warning per document for the characters no font has: how many,
 * which (the first 64 different ones), and the line of the first. */
void
mx_lay_report_missing(struct layout *lay, const struct mx_document *doc)
{
	struct lay_scratch *s = lay->scratch;
	char list[64 * 8 + 8];
	size_t i, o = 0;

	if (s->nmissing == 0)
		return;
	for (i = 0; i < s->nwarned; i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, " U+%04X",
		                      (unsigned)s->warned[i]);
	if (s->warned_more)
		snprintf(list + o, sizeof(list) - o, " ...");
	mx_report(lay->diag, MX_WARNING, doc->source, s->missing_line,
	          "no font has a glyph for%s (%zu character%s, the first "
	          "here); printed as U+FFFD",
	          list, s->nmissing, s->nmissing == 1 ? "" : "s");
}

/* Finds each character's font and width.  A character no font has is
 * drawn as U+FFFD, so that the reader sees something is missing, and noted
 * for the document's warning, so that the log says what. */
void
mx_lay_measure_to(struct layout *lay, double size, size_t n)
{
	struct lay_scratch *s = lay->scratch;
	size_t i;
	int slot, adv;

	if (s->measured == 0)
		s->cx[0] = 0;
	for (i = s->measured; i < n; i++) {
		uint32_t c = s->cp[i];
		if (c == '\n' || lay_invisible(c)) {
			s->slot[i] = 0;
			s->w[i] = 0;
		} else if (mx_pdf_fonts_lookup(lay->fonts, FACE_OF(s->face[i]),
		                               c, &slot, &adv) == 0) {
			if (c > 0xFFFF)
				s->cp[i] =
				        mx_pdf_fonts_code(lay->fonts, slot, c);
			s->slot[i] = slot;
			s->w[i] = adv *
			          (SCRIPT_OF(s->face[i])
			                   ? lay_script_size(lay, size)
			                   : size) /
			          1000.0;
		} else {
			S_missing(s, c, s->ln[i]);
			s->cp[i] = 0xFFFD;
			if (mx_pdf_fonts_lookup(lay->fonts, FACE_OF(s->face[i]),
			                        0xFFFD, &slot, &adv) != 0 &&
			    mx_pdf_fonts_lookup(lay->fonts, FACE_OF(s->face[i]),
			                        '?', &slot, &adv) == 0)
				s->cp[i] = '?';
			s->slot[i] = slot;
			s->w[i] = adv *
			          (SCRIPT_OF(s->face[i])
			                   ? lay_script_size(lay, size)
			                   : size) /
			          1000.0;
		}
		s->cx[i + 1] = s->cx[i] + s->w[i];
	}
	if (n > s->measured)
		s->measured = n;
}

void
mx_lay_measure(struct layout *lay, double size)
{
	lay->scratch->measured = 0;
	mx_lay_measure_to(lay, size, lay->scratch->n);
}
