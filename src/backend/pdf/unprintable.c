/*
 * unprintable.c - the PDF backend's answer to the lint's missing-glyph
 * check: every character of the text a leaflet prints (the title, the
 * headings, the text of the blocks) that no font of the style has, found
 * as the layout finds fonts (mx_pdf_fonts_lookup()), in the face the text
 * is set in: bold for headings, labels, questions and strong text, italic
 * for emphasis, monospace for code.
 */
#include <string.h>

#include "backend/pdf/font.h"
#include "backend/pdf/layout_private.h"
#include "backend/pdf/unprintable.h"
#include "core/private.h"

struct unprintable_walk {
	struct pdf_fonts *fonts;
	void (*found)(void *user, int line, uint32_t cp);
	void *user;
};

static void
S_text(const struct unprintable_walk *w, const char *s, enum style_face face,
       int line)
{
	size_t len = s ? strlen(s) : 0, i = 0;

	while (i < len) {
		int32_t c;
		int n = mx_utf8_decode(s + i, len - i, &c), slot, adv;
		uint32_t cp = (uint32_t)c;

		if (n <= 0)
			break;
		i += (size_t)n;
		if (line > 0 && s[i - (size_t)n] == '\n')
			line++;
		if (cp < 0x20 || lay_invisible(cp))
			continue;
		if (mx_pdf_fonts_lookup(w->fonts, face, cp, &slot, &adv) != 0)
			w->found(w->user, line, cp);
	}
}

static void
S_walk(const struct unprintable_walk *w, const struct mx_node *n,
       enum style_face face)
{
	for (; n != NULL; n = n->next) {
		enum style_face f = face;

		switch (n->type) {
		case MX_NODE_SECTION:
			S_text(w, n->text, FACE_BOLD, n->line);
			break;
		case MX_NODE_LABEL:
		case MX_NODE_QUESTION:
		case MX_NODE_STRONG:
			f = FACE_BOLD;
			break;
		case MX_NODE_EMPH:
			f = FACE_ITALIC;
			break;
		case MX_NODE_CODE:
		case MX_NODE_CODE_BLOCK:
			S_text(w, n->text, FACE_MONO, n->line);
			break;
		case MX_NODE_TEXT:
			S_text(w, n->text, face, n->line);
			break;
		default:
			break;
		}
		S_walk(w, n->first_child, f);
	}
}

int
mx_pdf_unprintable(struct pdf_fonts *fonts, const struct mx_document *doc,
                   void (*found)(void *user, int line, uint32_t cp), void *user)
{
	struct unprintable_walk w = {fonts, found, user};

	S_text(&w, doc->title, FACE_BOLD, doc->title_line);
	S_walk(&w, doc->root, FACE_REGULAR);
	return 0;
}
