/*
 * text.h - small text rules that more than one backend applies, kept here
 * once so that the backends cannot drift apart: the Unicode superscript and
 * subscript form of a character, and how a link's address is shown after
 * its text.  The plain text of a node is mx_node_plain_text() (private.h).
 *
 * Where the text backend and the PDF typesetting differ today, the rule
 * takes a parameter that names the difference, so that changing one of
 * them is a visible decision and not a drift.
 */
#ifndef MX_TEXT_H
#define MX_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "medexport.h"

/* A tab in a code block is set as this many spaces, in text and in PDF. */
#define MX_TAB_WIDTH 4

/* Which characters have a superscript or subscript form. */
enum mx_script_set {
	/* ASCII digits, + - = ( ), and superscript n and i.  This is the
	 * text backend's set: it has always looked at the bytes of the text,
	 * so it never saw the minus sign U+2212, and it writes "H_a" for a
	 * subscript letter, which every terminal font can show. */
	MX_SCRIPT_ASCII,
	/* The above, the minus sign U+2212, and the subscript letters
	 * a e o x h k l m n p s t: the PDF typesetting's set, which the
	 * embedded fonts carry. */
	MX_SCRIPT_FULL
};

/* The Unicode superscript (`sup` non-zero) or subscript form of the
 * character `c` in `set`, or 0 when it has none: '2' gives U+00B2 or
 * U+2082, '+' gives U+207A or U+208A. */
uint32_t mx_script_char(uint32_t c, int sup, enum mx_script_set set);

/* Whether the `len` bytes of UTF-8 at `s` are not empty and every
 * character has a form in `set` (then <sup>2+</sup> can be written "²⁺";
 * otherwise the backend falls back to its own way of raising text). */
int mx_script_has_form(const char *s, size_t len, int sup,
                       enum mx_script_set set);

/* How a backend shows a link's address after its text. */
enum mx_link_form {
	/* Plain text: " <url>", whenever the link has an address and its
	 * text is not that address.  A reader of the text can follow any
	 * address, an anchor ("#usage") or a "mailto:" included, and the
	 * text goldens have always shown them. */
	MX_LINK_TEXT,
	/* Print: " (url)", but not for an anchor in the document ("#...":
	 * a leaflet has no place to go to), and not when the text is the
	 * address, with or without its "mailto:" (an e-mail autolink reads
	 * as the address already). */
	MX_LINK_PRINT
};

/* Appends to `out` what `form` shows after the text of a link to `url`:
 * nothing when `url` is NULL or empty, or when the link's text (`len`
 * bytes at `text`, or NULL for a link without text) is the address; else
 * the address in brackets, " <url>" or " (url)".  `text` may point into
 * `out`: it is read before anything is appended.  Returns 0, or -1 when
 * out of memory. */
int mx_link_suffix(struct mx_buf *out, const char *url, const char *text,
                   size_t len, enum mx_link_form form);

#endif
