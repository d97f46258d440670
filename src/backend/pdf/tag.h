/*
 * tag.h - the logical structure of a tagged PDF: which structure element
 * each run of the layout belongs to, the marked-content sequences that
 * carry it on the pages, and the objects that describe it (the structure
 * tree, its parent tree, link annotations).
 *
 * The structure follows the monograph tree in source order, whatever the
 * pages look like (columns, panels): that order is the reading order.
 *
 *   Document
 *     Title                      the title (role-mapped to H1)
 *     Sect                       a section
 *       H1 .. H6                 its heading (section level)
 *       P                        paragraphs, labels, code blocks
 *         Link                   a link's text and printed address, and
 *                                its annotations (OBJR)
 *       L                        a list, /ListNumbering Decimal or Disc
 *         LI
 *           Lbl                  the bullet or number
 *           LBody                the item's blocks
 *       H2 .. H6, P              an FAQ: each question a heading one level
 *                                below its section's, its answer the blocks
 *                                that follow
 *       BlockQuote
 *
 * Running headers and footers, the title band, rules, crop and fold marks
 * are artifacts, outside the structure.  Elements that hold no text are
 * left out.
 *
 * Use: mx_pdf_tags_build() after the layout, mx_pdf_tags_run() while
 * drawing each page, mx_pdf_tags_write() once the pages exist.
 */
#ifndef MX_PDF_TAG_H
#define MX_PDF_TAG_H

#include <stddef.h>

#include "backend/pdf/layout.h"

struct pdf_tags;

/* What drawing a run needs to know. */
enum tag_run_flags {
	/* The reading goes on past the run's end without a space between
	 * its glyphs: the drawing adds a space at the end, so that text
	 * extracted from the structure does not join the words at a line's
	 * end (nothing is seen: the line ends there). */
	TAG_SPACE_AFTER = 1,
	/* The run ends its line with a hyphen the typesetter added: drawn
	 * as U+00AD (soft hyphen), which is how tagged PDF tells such a
	 * hyphen from the text's own, so that the word is read whole. */
	TAG_SOFT_HYPHEN = 2,
};

/* NULL when memory ran out. */
struct pdf_tags *mx_pdf_tags_new(void);
void mx_pdf_tags_free(struct pdf_tags *tags);

/* The structure of `doc` as `lay` (just laid out) set it.  With `links`,
 * every piece of a link to a web or mail address gets an annotation.
 * Returns 0, or -1 when memory ran out. */
int mx_pdf_tags_build(struct pdf_tags *tags, const struct mx_document *doc,
                      const struct layout *lay, int links);

/* Run `r` of the layout: its structure type ("P", "H1", ...) and the
 * MCID of its marked-content sequence on its page, or NULL and -1 for an
 * artifact (or a run that draws nothing); *flags, enum tag_run_flags.
 * Consecutive runs of a page with the same MCID are one sequence. */
const char *mx_pdf_tags_run(const struct pdf_tags *tags, size_t r, int *mcid,
                            int *flags);

/* Writes the structure into the document: the structure tree and its
 * parent tree, /StructParents on the `npages` pages, the link annotations
 * (at `slug` points from the trim box's corner), /MarkInfo and the
 * document's language `lang` in the catalog.  `pdf` is an HPDF_Doc,
 * `pages` its HPDF_Pages.  Returns 0, or -1 when libharu failed. */
int mx_pdf_tags_write(struct pdf_tags *tags, void *pdf, void *const *pages,
                      int npages, const char *lang, double slug);

/* How many link annotations the last mx_pdf_tags_write() made. */
size_t mx_pdf_tags_annotations(const struct pdf_tags *tags);

#endif
