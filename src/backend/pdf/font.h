/*
 * font.h - the fonts of the PDF backend: where they come from, their
 * cached metrics, and which font draws which character.
 *
 * Slots 0..2 are the style's regular, bold and italic faces (normally the
 * small build-time subsets of DejaVu Sans).  Characters they lack come from
 * the full system fonts of the same faces and then from any font fontconfig
 * finds for that character; characters beyond U+FFFF from the build-time
 * "astral" font.  Those are loaded the first time a document needs them and
 * kept for the next documents.
 */
#ifndef MX_PDF_FONT_H
#define MX_PDF_FONT_H

#include <stdint.h>

#include "medexport.h"
#include "backend/pdf/style.h"

#define PDF_FONT_SLOTS 16

struct pdf_fonts;

/* Opens the style's fonts in the libharu document `hpdf` (an HPDF_Doc).
 * `builddir` holds the build-time subsets (fonts/DejaVuSans*.ttf).
 * Returns NULL after reporting an error. */
struct pdf_fonts *mx_pdf_fonts_new(void *hpdf, const struct style *style,
                                   const char *builddir,
                                   const struct mx_diag *diag);
void mx_pdf_fonts_free(struct pdf_fonts *fonts);

/* Finds a font for `cp` in `face`: sets *slot and *advance (1/1000 em) and
 * returns 0, or returns -1 when no font on the system has the character. */
int mx_pdf_fonts_lookup(struct pdf_fonts *fonts, enum style_face face,
                        uint32_t cp, int *slot, int *advance);

/* The code to draw `cp` with in `slot`: the character itself, except for
 * characters beyond U+FFFF, which the astral font has at private-use code
 * points (libharu 2.3.0 addresses only the BMP). */
uint32_t mx_pdf_fonts_code(const struct pdf_fonts *fonts, int slot,
                           uint32_t cp);
/* The inverse: the Unicode character that `code` draws in `slot`. */
uint32_t mx_pdf_fonts_unicode(const struct pdf_fonts *fonts, int slot,
                              uint32_t code);

/* The glyph of `cp` in `slot` (0 when missing). */
unsigned mx_pdf_fonts_gid(const struct pdf_fonts *fonts, int slot, uint32_t cp);

/* libharu's name of the font in `slot`, and its HPDF_FontDef. */
const char *mx_pdf_fonts_name(const struct pdf_fonts *fonts, int slot);
void *mx_pdf_fonts_def(const struct pdf_fonts *fonts, int slot);

/* Forgets which glyphs the previous document used (libharu keeps the marks
 * in the font definition, which outlives documents). */
void mx_pdf_fonts_reset_used(struct pdf_fonts *fonts);
/* Marks the glyph of `cp` in `slot`, and the parts of composite glyphs, as
 * used so that libharu embeds their outlines. */
void mx_pdf_fonts_mark_used(struct pdf_fonts *fonts, int slot, uint32_t cp);

#endif
