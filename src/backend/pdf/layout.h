/*
 * layout.h - typesetting for the PDF backend: the monograph tree becomes
 * positioned runs of glyphs, rectangles and bookmarks on numbered pages.
 *
 * The layout knows nothing of PDF syntax; pdf.c draws what it produces.
 * Coordinates are points with the origin at the bottom-left corner of the
 * trimmed page (bleed and crop marks lie outside it).
 */
#ifndef MX_LAYOUT_H
#define MX_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "medexport.h"
#include "backend/pdf/font.h"
#include "backend/pdf/style.h"

/* One line's worth (or less) of glyphs in one font, size and colour. */
struct lay_run {
	int page;    /* 0-based */
	double x, y; /* start of the baseline */
	double size;
	int slot; /* font slot */
	const struct style_cmyk *colour;
	double space_extra; /* added after each U+0020, for justification */
	double tracking; /* added after every glyph (Tc), for justification */
	double rise;     /* baseline shift (superscript, subscript), points */
	size_t first, count; /* glyphs[first .. first+count) */
	/* The tree node whose text this is, for the PDF's logical structure:
	 * a block (paragraph, heading's section, label, question, code
	 * block), a link inside one, a list item (its marker), the root (the
	 * title); NULL for page furniture, which is an artifact. */
	const struct mx_node *node;
};

/* A filled rectangle, or a line when `stroke` > 0 (then from x,y to
 * x+w,y+h).  `bleed` rectangles extend to the bleed edge where they touch
 * the trim edge. */
struct lay_rect {
	int page;
	double x, y, w, h;
	double stroke;
	const struct style_cmyk *colour;
};

struct lay_mark {
	int page;
	double y;
	int level;         /* 1-based */
	const char *title; /* UTF-8, owned by the document */
};

struct hyphen_dict;

struct layout {
	const struct style *style;
	struct pdf_fonts *fonts;
	void *hyphen; /* HyphenDict */
	const struct mx_diag *diag;

	/* Results of mx_layout_document(), valid until the next call. */
	uint32_t *glyphs;
	size_t nglyphs, capglyphs;
	struct lay_run *runs;
	size_t nruns, capruns;
	struct lay_rect *rects;
	size_t nrects, caprects;
	struct lay_mark *marks;
	size_t nmarks, capmarks;
	int pages;

	/* The runs and the rectangles of each page, in the order of the
	 * arrays above: page p's runs are runs[page_runs[k]] for k from
	 * page_run0[p] to page_run0[p + 1], and likewise its rectangles, so
	 * that drawing a page does not look at every run of the document
	 * (which is quadratic).  Items on no page are in none. */
	size_t *page_runs, *page_run0;
	size_t *page_rects, *page_rect0;
	size_t cap_page_runs, cap_page_run0, cap_page_rects, cap_page_rect0;

	/* Scratch space, kept between documents. */
	struct lay_scratch *scratch;
	int failed; /* out of memory */
};

/* Prepares a layout; `hyphen` may be NULL (no hyphenation). */
int mx_layout_init(struct layout *lay, const struct style *style,
                   struct pdf_fonts *fonts, void *hyphen,
                   const struct mx_diag *diag);
void mx_layout_free(struct layout *lay);

/* Typesets `doc`.  Returns 0, or -1 after reporting an error. */
int mx_layout_document(struct layout *lay, const struct mx_document *doc);

/* The folds of page `page` (0-based) of a folded style (fold-marks), as x
 * from the trim's left edge, at most `max` of them: the panels' real
 * edges, the tuck-in panel narrower.  Returns how many (0: not folded). */
int mx_layout_folds(const struct style *style, int page, double *x, int max);

#endif
