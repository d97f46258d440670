/*
 * unprintable.h - the characters of a document that no font of the
 * style has (the PDF backend's `unprintable` hook, for --lint).
 */
#ifndef MX_PDF_UNPRINTABLE_H
#define MX_PDF_UNPRINTABLE_H

#include <stdint.h>

#include "backend/pdf/font.h"
#include "medexport.h"

/* Calls found() for each character of the printed text of `doc` that no
 * font in `fonts` has, with the source line of its text.  Returns 0. */
int mx_pdf_unprintable(struct pdf_fonts *fonts, const struct mx_document *doc,
                       void (*found)(void *user, int line, uint32_t cp),
                       void *user);

#endif
