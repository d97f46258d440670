/*
 * private.h - helpers shared inside libmedexport, not part of its API.
 */
#ifndef MX_PRIVATE_H
#define MX_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "medexport.h"

struct mx_arena *mx_arena_new(void);
void *mx_arena_alloc(struct mx_arena *arena, size_t size);
char *mx_arena_strdup(struct mx_arena *arena, const char *s);
char *mx_arena_strndup(struct mx_arena *arena, const char *s, size_t len);
/* `s` (`slen` bytes, from this arena) followed by `len` bytes of `add`:
 * grown in place when `s` is the arena's latest allocation, else a copy.
 * NULL when out of memory. */
char *mx_arena_append(struct mx_arena *arena, char *s, size_t slen,
                      const char *add, size_t len);
/* Grows `p`, an allocation of `old` bytes from this arena (or NULL, with
 * `old` 0), to `size` bytes, keeping its contents: in place when it is the
 * arena's latest allocation and its block has room, else into new memory
 * (the old bytes stay, unused, until the arena is freed).  NULL when out of
 * memory. */
void *mx_arena_grow(struct mx_arena *arena, void *p, size_t old, size_t size);
void mx_arena_free(struct mx_arena *arena);

/* The length of the run of printable ASCII (0x20 to 0x7E) at the start of
 * the `len` bytes at `s`: most of a monograph's bytes, looked at eight at
 * a time. */
size_t mx_ascii_span(const char *s, size_t len);

/* The first place of `needle` in `hay`, without case (ASCII), or NULL. */
const char *mx_casestr(const char *hay, const char *needle);

/* Decodes one UTF-8 character at s (len bytes available) into *cp and
 * returns its length; input has been validated by mx_input_check(). */
int mx_utf8_decode(const char *s, size_t len, int32_t *cp);

/* The length of the character at `s`, of which `avail` bytes may be read,
 * when it is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF; an ASCII byte, NUL included, is 1), with its
 * code point in *cp; 0 when the bytes do not start a character.  For text that
 * has not been checked (file names, what mx_text_clean() repairs);
 * utf8proc_iterate() decides. */
size_t mx_utf8_valid(const char *s, size_t avail, int32_t *cp);

/* The `len` bytes at `s` as valid UTF-8: `s` itself when they are (`out`
 * untouched), else a copy in `out` (NUL-terminated, out->len long) with
 * each byte that does not start a character (mx_utf8_valid()) replaced by
 * U+FFFD, *bad of them; NULL when memory ran out.  Unlike mx_text_clean(),
 * characters are kept whatever they are.  Inline because most strings are
 * printable ASCII: they cost the caller one mx_ascii_span(); the others go
 * on in mx_utf8_repair_from() from `from`, the first byte that is not. */
const char *mx_utf8_repair_from(const char *s, size_t len, size_t from,
                                struct mx_buf *out, size_t *bad);

static inline const char *
mx_utf8_repair(const char *s, size_t len, struct mx_buf *out, size_t *bad)
{
	size_t from = mx_ascii_span(s, len);

	*bad = 0;
	if (from == len)
		return s;
	return mx_utf8_repair_from(s, len, from, out, bad);
}

/* Appends the plain text of an inline subtree (no markup) to buf. */
int mx_node_plain_text(const struct mx_node *node, struct mx_buf *buf);

/* Reads the front matter at the start of `data` into doc->meta and gives
 * where the Markdown body starts.  Returns -1 after reporting an error. */
int mx_frontmatter_parse(struct mx_document *doc, const char *data, size_t len,
                         size_t *body_offset, int *body_line,
                         const struct mx_diag *diag);

/* The section kind that a heading's text names, or MX_KIND_OTHER. */
enum mx_kind mx_kind_from_heading(const char *text);

/* The kind that a heading about one ingredient of a combination names:
 * "Norfloxacin: Usage", "Norfloxacin Usage", "Usage of Norfloxacin",
 * where the ingredient's name occurs (without case) in `product` (the
 * title).  Sets *off and *len to the name in `text`; MX_KIND_OTHER when
 * the heading is not one. */
enum mx_kind mx_kind_from_ingredient_heading(const char *text,
                                             const char *product, size_t *off,
                                             size_t *len);

/* The population a heading names ("Children:", "Pediatric Dosage",
 * "Renal impairment"), or MX_POPULATION_NONE; also for a heading about
 * adults and children together, when *named (unless `named` is NULL) is
 * set to 1 all the same. */
enum mx_population mx_population_from_heading(const char *text, int *named);

/* The frequency band a heading names (words, or percentages, which decide
 * where given), or MX_FREQUENCY_NONE; *serious tells whether it calls the
 * effects serious or severe. */
enum mx_frequency mx_frequency_from_heading(const char *text, int *serious);

/* The name an inline node that holds inline content (MX_NODE_STRONG, _EMPH,
 * _SUB, _SUP) has in the XML and in the JSON: "b", "i", "sub", "sup", an
 * element of styles/monograph.xsd and a "type" of
 * styles/monograph.schema.json alike. */
const char *mx_inline_style_name(enum mx_node_type type);

/* A feed's timestamp in ISO 8601, UTC: the source date when there is one
 * (>= 0: reproducible builds), else now.  -1 when it cannot be written. */
int mx_feed_timestamp(long long source_date, char *out, size_t size);

#endif
