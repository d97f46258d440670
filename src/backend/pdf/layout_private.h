/*
 * layout_private.h - what the stages of the typesetting share: the lines
 * and blocks waiting for pagination, the scratch buffer of the paragraph
 * being built, the state of the tree walk, the page geometry, and the
 * functions each stage offers the others.  pdf.c uses layout.h only.
 *
 *   layout.c     the layout's state, the document (title band, body, pages)
 *   blocks.c     the walk of the tree's blocks
 *   paragraph.c  inlines become cells: code points, faces, widths
 *   linebreak.c  cells become lines of glyph runs
 *   paginate.c   lines flow into columns and pages; header and footer
 */
#ifndef MX_LAYOUT_PRIVATE_H
#define MX_LAYOUT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/pdf/layout.h"

#define MM (72.0 / 25.4)

/* An open paragraph (mx_lay_para_open()) is broken into lines as it is built
 * once it holds this many cells: no real paragraph comes near, and the
 * scratch buffer stays at a few megabytes whatever the input. */
#define PARA_STREAM_CELLS 65536

/* The paragraphs of a last page, the last first, that may be set a line
 * longer or shorter to balance it (layout.c). */
#define LOOSE_TRIES 4

/* How many of those may be set so at once: one, else two (one a line
 * longer in a short column, the other a line shorter in a long one, or
 * both the same way in three columns). */
#define LOOSE_SET 2

/* A character's face byte: the face, plus superscript or subscript set
 * smaller and raised or lowered (<sup>/<sub> that have no Unicode form). */
#define SCRIPT_SUP   4
#define SCRIPT_SUB   8
#define FACE_OF(f)   ((enum style_face)((f)&3))
#define SCRIPT_OF(f) ((f)&12)

/* A line waiting for pagination: runs with x relative to the column and
 * no page yet. */
struct fline {
	size_t run0, nruns;
	double leading;
	double ascent; /* from the top of the line to the baseline */
	long rect;     /* a rule drawn with the line, or -1 */
	long mark;     /* a bookmark at this line, or -1 */
	int hyphen;    /* ends in a hyphen the typesetter added */
	int cut;       /* is a piece of a word longer than the line */
};

/* A block of lines that pagination keeps or splits as a unit. */
struct fblock {
	size_t line0, count;
	double space_before;
	int keep_next; /* a heading: keep with the next block's first lines */
	long para;     /* its number among the document's paragraphs */
};

/* Where pagination puts a line: a slot (a column of a page, or a panel of
 * a folded sheet) and how far down it, from the page's top. */
struct fplace {
	long slot;
	double y;
};

struct lay_scratch {
	/* The paragraph being built. */
	uint32_t *cp;
	uint8_t *face;
	int *ln; /* source line of each character */
	int *slot;
	double *w;  /* width of each character */
	double *cx; /* cumulative widths: cx[i] = sum of w[0..i) */
	char *brk;
	const struct mx_node **node; /* tree node of each character */
	size_t n, cap;
	int line; /* source line for diagnostics */
	/* The tree node of the text being added (see struct lay_run); NULL
	 * for page furniture. */
	const struct mx_node *cur_node;

	struct fline *lines;
	size_t nlines, caplines;
	struct fblock *blocks;
	size_t nblocks, capblocks;
	struct fplace *place; /* pagination's plan, one per line */
	size_t capplace;

	/* Where the line breaking of the paragraph is (linebreak.c): the
	 * next line starts at cell `start` (after spaces still, when
	 * `skip_spaces`), the cells before `measured` have their widths,
	 * `made` lines were made, the last `prev_hyphen` of them in a row
	 * ending in a hyphen. */
	size_t start, measured;
	long made;
	int prev_hyphen, skip_spaces;

	/* Looseness, with which layout.c balances a last page: paragraphs
	 * are numbered in the order they are made (para_no is the next
	 * one's number); each paragraph numbered loose_para[k] is set
	 * loose_by[k] lines longer (negative: shorter) than its best, when
	 * it can be with no line too loose.  Each of the nprobe paragraphs
	 * probe[k] is set as it would be, and can[0] (can[1]) says whether it
	 * could be set a line shorter (longer).  For the paragraph being
	 * broken: `loose`, and `probing` (its probe, or -1). */
	long para_no, loose_para[LOOSE_SET];
	int loose_by[LOOSE_SET], loose;
	struct lay_probe {
		long para;
		unsigned char can[2];
	} probe[LOOSE_TRIES];
	int nprobe, probing;
	/* Pagination may end the page before a last page a block early to
	 * balance it (paginate.c's S_balance()): layout.c's last resort. */
	int rescue;

	/* A paragraph opened with mx_lay_para_open(): how it is set, and
	 * whether its block has begun (its first lines are made while the
	 * rest is still being built, once it holds `stream_at` cells). */
	struct lay_para {
		int on, begun;
		struct walk *walk;
		const struct style_text *t;
		int justify, keep_next;
		double space_before, space_after;
		long mark;
		size_t stream_at;
	} para;

	struct lay_kp *kp; /* the paragraph breaker's memory (linebreak.c) */

	int no_hyphen;       /* the paragraph is a title or heading */
	uint32_t warned[64]; /* characters no font has */
	size_t nwarned;
	int warned_more;  /* more than those */
	size_t nmissing;  /* occurrences */
	int missing_line; /* of the first */
};

/* The state of the walk of the tree's blocks (blocks.c). */
struct walk {
	const struct mx_document *doc;
	double indent; /* left indent of the current blocks */
	double width;  /* column width */
	double pending_space;
	char marker[24]; /* bullet or number for the next block */
	double marker_indent;
	const struct mx_node *label; /* run-in label for the next paragraph */
	const struct mx_node *item;  /* the list item of `marker` */
	int list_depth;
	double list_extra; /* indent of the items of the current list */
	int in_code;
};

/* The most panels a folded sheet has on each side. */
#define PANELS_MAX 6

/* The page and its columns, in points.  A style with fold marks is a
 * folded sheet: its columns are panels, as wide as the sheet's folds make
 * them (the tuck-in panel narrower), read in the order a folded leaflet
 * is (mx_lay_slot()). */
struct geometry {
	double page_w, page_h;
	double content_w; /* between the inner and outer margins */
	double col_w;
	double top, bottom; /* of the columns, from the page's top */
	double first_top;   /* of the columns under the title band */
	int folded;         /* panels of a folded sheet */
	int columns;
	/* Folded: the panels' edges on the outside (even pages) and the
	 * inside (odd pages) of the sheet. */
	double edge[2][PANELS_MAX + 1];
	double safe; /* nothing is drawn nearer the trim edge (points) */
	/* The style's margins, never narrower than the safe margin. */
	double m_top, m_bottom, m_inner, m_outer;
};

/* Where pagination is: a slot (a column of a page, a panel of a sheet),
 * its page and column, and how far down it. */
struct flow {
	long slot;
	int page, col;
	double y; /* from the page's top */
};

/* ------------------------------------------------------------------ */
/* layout.c */

/* `ptr` with room for `need` elements of `size` bytes (capacity *cap,
 * doubled as needed), or NULL when out of memory.  Use GROW. */
void *mx_lay_grow(void *ptr, size_t *cap, size_t need, size_t size);

/* Makes room for `need` elements in the array `arr` of capacity `cap`, or
 * marks the layout failed and returns -1 from the calling function. */
#define GROW(lay, arr, n, cap, need)                                           \
	do {                                                                   \
		if ((need) > (cap)) {                                          \
			void *p_ = mx_lay_grow((arr), &(cap), (need),          \
			                       sizeof(*(arr)));                \
			if (p_ == NULL) {                                      \
				(lay)->failed = 1;                             \
				return -1;                                     \
			}                                                      \
			(arr) = p_;                                            \
		}                                                              \
	} while (0)

/* Characters that take no room and are never drawn. */
static inline int
lay_invisible(uint32_t c)
{
	return c == 0xAD || c == 0x200B || c == 0x200C || c == 0x200D ||
	       c == 0x2060 || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) ||
	       (c >= 0xE0100 && c <= 0xE01EF);
}

/* The size of superscripts and subscripts: three quarters of the text, but
 * never under the smallest size of the style (nothing smaller is printed). */
static inline double
lay_script_size(const struct layout *lay, double size)
{
	double min = mx_style_min_size(lay->style);

	return 0.75 * size > min ? 0.75 * size : min < size ? min : size;
}

/* ------------------------------------------------------------------ */
/* paragraph.c: the paragraph in the scratch buffer */

/* Appends UTF-8 text in `face`, collapsing white space unless
 * `keep_spaces` (code).  Returns 0, or -1 when out of memory. */
int mx_lay_para_add(struct layout *lay, const char *text, size_t len, int face,
                    int keep_spaces);
/* Appends one character; a space after a space or a line break is
 * dropped, and a line break drops the space before it. */
int mx_lay_para_add_char(struct layout *lay, uint32_t c, int face);
/* Appends the inlines `n` and their siblings, in `face`. */
int mx_lay_inlines(struct layout *lay, const struct mx_node *n, int face,
                   int code);
/* Finds each character's font and width at `size`. */
void mx_lay_measure(struct layout *lay, double size);
/* The same for the cells from s->measured to `n`. */
void mx_lay_measure_to(struct layout *lay, double size, size_t n);
/* The document's one warning for the characters no font has. */
void mx_lay_report_missing(struct layout *lay, const struct mx_document *doc);

/* ------------------------------------------------------------------ */
/* linebreak.c: lines and runs */

/* Starts a run of glyphs in one font slot, size and colour at `x`. */
int mx_lay_add_run(struct layout *lay, int slot, double size,
                   const struct style_cmyk *colour, double x);
/* Appends a glyph to the last run. */
int mx_lay_add_glyph(struct layout *lay, uint32_t c);
/* Starts a line for pagination. */
int mx_lay_new_line(struct layout *lay, double leading, double ascent);
/* Emits the characters [a, b) of the paragraph as the runs of the last
 * line, at `indent`; `hyphen` adds a hyphen; `extra` widens each space and
 * `tracking` each letter. */
int mx_lay_emit_line(struct layout *lay, size_t a, size_t b, int hyphen,
                     double indent, double extra, double tracking,
                     const struct style_text *t);
/* Breaks the paragraph into lines of `width` points, `indent` points from
 * the column's left edge.  Returns the number of lines made, or -1. */
long mx_lay_break(struct layout *lay, const struct style_text *t, double indent,
                  double width, int justify);
/* Frees what the paragraph breaker keeps in the scratch. */
void mx_lay_break_free(struct lay_scratch *s);
/* Forgets where the breaking of the last paragraph was. */
void mx_lay_break_reset(struct layout *lay);
/* Makes the lines of the paragraph being built that nothing still to come
 * can change, and drops its cells that no line needs any more.  Returns 0,
 * or -1 when out of memory. */
int mx_lay_break_some(struct layout *lay, const struct style_text *t,
                      double indent, double width, int justify);

/* ------------------------------------------------------------------ */
/* blocks.c: the walk of the tree's blocks */

/* Makes a block of the paragraph in the scratch buffer. */
int mx_lay_flush_para(struct layout *lay, struct walk *w,
                      const struct style_text *t, int justify,
                      double space_before, double space_after, int keep_next,
                      long mark);
/* Starts a paragraph that mx_lay_para_close() makes a block of, with the
 * same settings as mx_lay_flush_para(): one that grows long is broken into
 * lines as it is built, which keeps the scratch buffer small. */
void mx_lay_para_open(struct layout *lay, struct walk *w,
                      const struct style_text *t, int justify,
                      double space_before, double space_after, int keep_next,
                      long mark);
int mx_lay_para_close(struct layout *lay);
/* Called as the paragraph grows: breaks what it can of an open one. */
int mx_lay_para_grown(struct layout *lay);
/* Adds a bookmark; returns its index, or -1. */
long mx_lay_add_mark(struct layout *lay, int level, const char *title);
/* Lays out the block `n` and what it holds. */
int mx_lay_blocks(struct layout *lay, struct walk *w, const struct mx_node *n);

/* ------------------------------------------------------------------ */
/* paginate.c: columns and pages */

/* Sets the page's size and its columns; first_top is the title band's. */
void mx_lay_geometry(const struct layout *lay, struct geometry *g);
/* The page and column of flow slot `slot`. */
void mx_lay_slot(const struct geometry *g, long slot, int *page, int *col);
/* The left edge of column `col` of page `page`. */
double mx_lay_col_x(const struct layout *lay, const struct geometry *g,
                    int page, int col);
/* Where the title goes: the first page, or a folded sheet's cover. */
void mx_lay_title_flow(const struct geometry *g, struct flow *f, double y);
/* Places line `li` at the flow's position and moves the flow down. */
void mx_lay_place_line(struct layout *lay, const struct geometry *g,
                       struct flow *f, size_t li);
/* Flows the blocks into columns and pages.  Returns 0, or -1 when out of
 * memory. */
int mx_lay_paginate(struct layout *lay, const struct geometry *g);
/* How far apart, in body lines, the columns of the last page (or sheet's
 * inside) end, and the paragraphs wholly on it, the last first. */
double mx_lay_last_spread(const struct layout *lay, const struct geometry *g,
                          long *para, int max, int *count);
/* The running header and footer and the column rules of every page. */
int mx_lay_page_furniture(struct layout *lay, const struct mx_document *doc,
                          const struct geometry *g);

#endif
