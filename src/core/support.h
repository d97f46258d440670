/*
 * support.h - helpers shared inside libmedexport for a document's identity
 * and provenance and for text that must not break an output: SHA-256
 * (hash.c, with nettle), a set of strings (strset.c) and the check of
 * characters and language tags (chars.c).  Not part of the library's API.
 */
#ifndef MX_SUPPORT_H
#define MX_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "medexport.h"

/* ---------------------------------------------------------------------
 * hash.c
 */

/* The SHA-256 of the `len` bytes at `data`, as 64 lower-case hexadecimal
 * digits and a NUL, in hex[MX_SHA256_HEX]. */
#define MX_SHA256_HEX 65
void mx_sha256_hex(const void *data, size_t len, char hex[MX_SHA256_HEX]);

/* A piece of bytes to hash. */
struct mx_bytes {
	const void *data;
	size_t len;
};

/* The MD5 digest of the `n` pieces in order: the PDF's trailer /ID, a
 * name for the content rather than a check of it.  The same digest as
 * libharu's MD5, in a fraction of the time. */
#define MX_MD5_SIZE 16
void mx_md5(const struct mx_bytes *parts, size_t n,
            unsigned char digest[MX_MD5_SIZE]);

/* ---------------------------------------------------------------------
 * strset.c: a map of strings to a pointer (open addressing), for the ids
 * of a feed and the directories a run has swept.  Keys are copied.
 */
struct mx_strset_entry {
	char *key;
	const void *value;
};

struct mx_strset {
	struct mx_strset_entry *e;
	size_t cap, count;
};

/* Adds `key` with `value`.  Returns 1 when it was added; 0 when the set
 * holds it already, and then *old (when not NULL) is the value it was
 * added with; -1 when memory ran out. */
int mx_strset_add(struct mx_strset *set, const char *key, const void *value,
                  const void **old);
/* Whether the set holds `key`; *value (when not NULL) is its value. */
int mx_strset_find(const struct mx_strset *set, const char *key,
                   const void **value);
void mx_strset_clear(struct mx_strset *set);

/* What every feed writer's feed_add() does first: two monographs of one id
 * cannot be in one feed (the XML schema's xs:unique; no schema of a JSON
 * line can say so), and ids are never renumbered.  Adds doc->id to `ids`,
 * the feed's, and returns 0; -1 after reporting an error when the feed
 * holds it already or memory ran out.  The batch runner checks the ids of
 * its inputs before anything is written, naming both files; this is the
 * check for every caller of the library's feed API. */
int mx_feed_claim_id(struct mx_strset *ids, const struct mx_document *doc,
                     const struct mx_diag *diag);

/* ---------------------------------------------------------------------
 * chars.c
 */

/* Whether the code point is one that no output may carry: a surrogate
 * (U+D800 to U+DFFF), a non-character (U+FDD0 to U+FDEF, and the last
 * two of every plane: U+FFFE, U+FFFF, U+1FFFE, ...), U+0000, or above
 * U+10FFFF. */
static inline int
mx_char_is_bad(int32_t cp)
{
	return cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	       (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* What mx_text_clean() replaced. */
struct mx_clean {
	size_t replaced; /* sequences replaced by U+FFFD */
	int32_t first;   /* the first of them: a code point, or -1 for a
	                    byte that is not UTF-8 */
	int has_fffd;    /* the text holds U+FFFD (replaced or not) */
};

/* Checks the `len` bytes at `s`: every byte that does not start a valid
 * UTF-8 character, and every character mx_char_is_bad(), is replaced by
 * U+FFFD.  Returns `s` when there is nothing to replace (`out` untouched),
 * else the repaired copy in `out` (NUL-terminated; *len is set to its
 * length), or NULL when memory ran out.  *c says what was found. */
const char *mx_text_clean(const char *s, size_t *len, struct mx_buf *out,
                          struct mx_clean *c);

/* Whether `tag` is a well-formed language tag of BCP 47 (RFC 5646): a
 * language of 2 or 3 letters (the 4 to 8 letters the grammar allows are
 * registered one by one, and none is; "x-" and "i-" tags too), then
 * subtags of 1 to 8 letters and digits: extended languages, script (4
 * letters), region (2 letters or 3 digits), variants, extensions (a
 * singleton and subtags), private use ("x-..."), in that order.  Whether
 * the subtags are registered is not checked. */
int mx_lang_tag_valid(const char *tag);

/* ---------------------------------------------------------------------
 * read/document.c
 */

/* The id that mx_document_parse() would give the document of `data`
 * (`source` as it would be given), without reading more than the front
 * matter, and without diagnostics: a copy to free(), or NULL when the
 * input would not parse (or memory ran out). */
char *mx_document_id_of(const char *data, size_t len, const char *source);

#endif
