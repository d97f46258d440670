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
void mx_arena_free(struct mx_arena *arena);

/* Decodes one UTF-8 character at s (len bytes available) into *cp and
 * returns its length; input has been validated by mx_input_check(). */
int mx_utf8_decode(const char *s, size_t len, int32_t *cp);

/* Appends the plain text of an inline subtree (no markup) to buf. */
int mx_node_plain_text(const struct mx_node *node, struct mx_buf *buf);

/* Reads the front matter at the start of `data` into doc->meta and gives
 * where the Markdown body starts.  Returns -1 after reporting an error. */
int mx_frontmatter_parse(
        struct mx_document *doc, const char *data, size_t len,
        size_t *body_offset, int *body_line,
        const struct mx_diag *diag); /* The section kind that a heading's text
                                        names, or MX_KIND_OTHER. */
enum mx_kind mx_kind_from_heading(const char *text);

#endif
