/*
 * tree.c - the "tree" backend: an indented dump of the monograph tree, one
 * node a line with its source line, for tests and for looking at what the
 * builder made of a document (medexport --tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medexport.h"

/* Writes a string in double quotes with C-like escapes. */
static void
S_quoted(struct mx_buf *out, const char *s)
{
	mx_buf_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			mx_buf_putc(out, '\\');
			mx_buf_putc(out, (char)c);
		} else if (c < 0x20 || c == 0x7F) {
			char esc[8];
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			mx_buf_puts(out, esc);
		} else {
			mx_buf_putc(out, (char)c);
		}
	}
	mx_buf_putc(out, '"');
}

/* population=, frequency=, serious, ingredient= of a section, each
 * followed by a space. */
static void
S_section_attributes(struct mx_buf *out, const struct mx_node *n)
{
	if (mx_population_name(n->population)) {
		mx_buf_puts(out, "population=");
		mx_buf_puts(out, mx_population_name(n->population));
		mx_buf_putc(out, ' ');
	}
	if (mx_frequency_name(n->frequency)) {
		mx_buf_puts(out, "frequency=");
		mx_buf_puts(out, mx_frequency_name(n->frequency));
		mx_buf_putc(out, ' ');
	}
	if (n->serious)
		mx_buf_puts(out, "serious ");
	if (n->ingredient) {
		mx_buf_puts(out, "ingredient=");
		S_quoted(out, n->ingredient);
		mx_buf_putc(out, ' ');
	}
}

static void
S_node(struct mx_buf *out, const struct mx_node *n, int depth)
{
	char num[64];

	for (int i = 0; i < depth; i++)
		mx_buf_puts(out, "  ");
	mx_buf_puts(out, mx_node_type_name(n->type));
	switch (n->type) {
	case MX_NODE_SECTION:
		mx_buf_puts(out, " kind=");
		mx_buf_puts(out, mx_kind_name(n->kind));
		snprintf(num, sizeof(num), " level=%d ", n->level);
		mx_buf_puts(out, num);
		S_section_attributes(out, n);
		S_quoted(out, n->text);
		break;
	case MX_NODE_LIST:
		if (n->ordered) {
			snprintf(num, sizeof(num), " ordered start=%d",
			         n->start);
			mx_buf_puts(out, num);
		} else {
			mx_buf_puts(out, " bullet");
		}
		break;
	case MX_NODE_TEXT:
	case MX_NODE_CODE:
	case MX_NODE_CODE_BLOCK:
		mx_buf_putc(out, ' ');
		S_quoted(out, n->text);
		break;
	case MX_NODE_LINK:
		mx_buf_puts(out, " url=");
		S_quoted(out, n->url ? n->url : "");
		break;
	default:
		break;
	}
	snprintf(num, sizeof(num), " @%d\n", n->line);
	mx_buf_puts(out, num);
	for (const struct mx_node *c = n->first_child; c; c = c->next)
		S_node(out, c, depth + 1);
}

/* A front matter value: a scalar's quoted text on the line of its key; a
 * list ("list") or mapping ("map") with its items and entries below it,
 * indented.  Repeated keys are left out, as in every output. */
static void
S_meta(struct mx_buf *out, const struct mx_meta *m, int depth)
{
	if (m->type == MX_META_SCALAR) {
		S_quoted(out, m->value);
		mx_buf_putc(out, '\n');
		return;
	}
	mx_buf_puts(out, m->type == MX_META_LIST ? "list\n" : "map\n");
	for (size_t i = 0; i < m->count; i++) {
		const struct mx_meta *it = &m->items[i];
		if (it->repeated)
			continue;
		for (int d = 0; d <= depth; d++)
			mx_buf_puts(out, "  ");
		if (m->type == MX_META_LIST) {
			mx_buf_puts(out, "item ");
		} else {
			mx_buf_puts(out, "meta ");
			S_quoted(out, it->key);
			mx_buf_putc(out, ' ');
		}
		S_meta(out, it, depth + 1);
	}
}

static void *
S_create(const struct mx_options *opts, const void *block)
{
	struct mx_buf *buf = calloc(1, sizeof(*buf));

	(void)block;
	if (buf == NULL)
		mx_report(&opts->diag, MX_ERROR, NULL, 0, "out of memory");
	return buf;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *sink)
{
	struct mx_buf *out = state;
	int rc;

	out->len = 0;
	mx_buf_puts(out, "title ");
	S_quoted(out, doc->title);
	mx_buf_puts(out, "\nid ");
	S_quoted(out, doc->id);
	mx_buf_puts(out, "\nsource ");
	S_quoted(out, doc->relative ? doc->relative : "");
	mx_buf_puts(out, "\nsha256 ");
	S_quoted(out, doc->sha256 ? doc->sha256 : "");
	mx_buf_puts(out, "\nlang ");
	S_quoted(out, mx_document_lang(doc));
	if (doc->generic_name) {
		mx_buf_puts(out, "\ngeneric-name ");
		S_quoted(out, doc->generic_name);
	}
	if (doc->no_content)
		mx_buf_puts(out, "\nstatus no-content");
	mx_buf_putc(out, '\n');
	for (size_t i = 0; i < doc->meta_count; i++) {
		if (doc->meta[i].repeated)
			continue;
		mx_buf_puts(out, "meta ");
		S_quoted(out, doc->meta[i].key);
		mx_buf_putc(out, ' ');
		S_meta(out, &doc->meta[i], 0);
	}
	S_node(out, doc->root, 0);
	rc = mx_sink_put(sink, out->data, out->len);
	return rc;
}

static void
S_destroy(void *state)
{
	if (state)
		mx_buf_free(state);
	free(state);
}

const struct mx_backend mx_backend_tree = {
        .name = "tree",
        .ext = ".tree",
        .summary = "the monograph tree, for debugging",
        .flags = MX_BACKEND_STREAMS,
        .create = S_create,
        .render = S_render,
        .destroy = S_destroy,
};
