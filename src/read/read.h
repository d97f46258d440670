/*
 * read.h - what the files of src/read/ share to read a monograph; not part
 * of the library's API, and no backend includes it.
 *
 * Reading takes two passes over one tree of mx nodes:
 *
 *   document.c   mx_document_parse(): input check, front matter, then
 *   markdown.c   cmark's parse, walked into a Markdown tree of mx nodes
 *                (paragraphs, headings, lists, emphasis, links, inline
 *                HTML...), plain Markdown with no monograph rule;
 *   monograph.c  the monograph rules, on that tree alone: sections from
 *                headings and bold labels, labels, questions and answers,
 *                the title and the generic name;
 *   node.c       what both build with: new nodes, moving them, and text
 *                normalised as it is added.
 */
#ifndef MX_READ_H
#define MX_READ_H

#include <stddef.h>

#include "medexport.h"
#include "core/private.h"

/* Two node types of the Markdown tree only, after those of enum
 * mx_node_type: markdown.c makes them and monograph.c turns each into a
 * paragraph or a section, so that no backend ever sees one.
 *
 * MX_NODE_HEADING: a Markdown heading; `level` 1 to 6, inline children.
 *
 * MX_NODE_TEXT_BLOCK: the words of a block that was not a Markdown
 * paragraph (an HTML block, or blocks nested deeper than MX_MAX_NESTING),
 * as inline children.  It becomes a paragraph that no rule reads: an item
 * whose first block is one has no label, and "**Usage:**" in one opens no
 * section. */
#define MX_NODE_HEADING    ((enum mx_node_type)MX_NODE_TYPE_COUNT)
#define MX_NODE_TEXT_BLOCK ((enum mx_node_type)(MX_NODE_TYPE_COUNT + 1))

/* The tree being read, shared by both passes. */
struct mx_tree {
	struct mx_document *doc; /* its source names diagnostics */
	struct mx_arena *arena;  /* doc->arena: every node and string */
	const struct mx_diag *diag;
	struct mx_buf scratch; /* reused by mx_tree_add_text(), ... */
	int failed;            /* memory ran out */
	/* The text node mx_tree_add_text() last wrote, and its length: a
	 * paragraph of many lines grows one text node, whose length is not
	 * counted again for every line. */
	const struct mx_node *last_text;
	const char *last_text_str; /* its text then: anything else that sets
	                              the node's text makes the length stale */
	size_t last_text_len;
};

/* markdown.c: parses the `len` bytes of Markdown at `data`, whose first line
 * is line `first_line` of the source, and appends the Markdown tree of its
 * blocks to `root`.  Warns about pipe tables.  Returns -1 when memory ran
 * out. */
int mx_markdown_read(struct mx_tree *t, struct mx_node *root, const char *data,
                     size_t len, int first_line);

/* monograph.c: moves the blocks of the Markdown tree under `markdown` into
 * the monograph tree t->doc->root, applying the monograph rules, and sets
 * the document's title and generic name.  Returns -1 when memory ran out. */
int mx_monograph_build(struct mx_tree *t, struct mx_node *markdown);

/* ---------------------------------------------------------------------
 * node.c, and the smallest helpers inline here: they run for every node.
 */

/* A new node from the document's arena, cleared; NULL (and t->failed set)
 * when memory ran out. */
static inline struct mx_node *
mx_tree_node(struct mx_tree *t, enum mx_node_type type, int line)
{
	struct mx_node *n = mx_arena_alloc(t->arena, sizeof(*n));

	if (n == NULL) {
		t->failed = 1;
		return NULL;
	}
	n->type = type;
	n->line = line;
	return n;
}

/* Makes `child` the last child of `parent`; either may be NULL (after a
 * failed allocation), and then nothing happens. */
static inline void
mx_node_append(struct mx_node *parent, struct mx_node *child)
{
	if (parent == NULL || child == NULL)
		return;
	child->parent = parent;
	child->prev = parent->last_child;
	child->next = NULL;
	if (parent->last_child)
		parent->last_child->next = child;
	else
		parent->first_child = child;
	parent->last_child = child;
}

/* Takes `node` out of its parent's children. */
static inline void
mx_node_unlink(struct mx_node *node)
{
	struct mx_node *parent = node->parent;

	if (node->prev)
		node->prev->next = node->next;
	else if (parent)
		parent->first_child = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else if (parent)
		parent->last_child = node->prev;
	node->parent = node->prev = node->next = NULL;
}

/* Leaves `parent` without children and returns the first of them, still
 * linked to the others: a chain to take apart with mx_node_pop(). */
static inline struct mx_node *
mx_node_take_children(struct mx_node *parent)
{
	struct mx_node *first = parent->first_child;

	parent->first_child = parent->last_child = NULL;
	return first;
}

/* The first node of a chain from mx_node_take_children(), detached from
 * the rest, which *chain then holds; NULL at the end of the chain. */
static inline struct mx_node *
mx_node_pop(struct mx_node **chain)
{
	struct mx_node *n = *chain;

	if (n == NULL)
		return NULL;
	*chain = n->next;
	if (n->next)
		n->next->prev = NULL;
	n->parent = n->prev = n->next = NULL;
	return n;
}

/* Moves `start` and the siblings after it to the end of `to`. */
void mx_node_move(struct mx_node *start, struct mx_node *to);

/* Appends `len` bytes of text to the inline container `parent`, with runs
 * of white space collapsed to one space, joined to a text node just before
 * it: backends see clean words. */
void mx_tree_add_text(struct mx_tree *t, struct mx_node *parent, const char *s,
                      size_t len, int line);

/* Whether `s` is nothing but spaces (text nodes hold no other white
 * space). */
int mx_text_is_blank(const char *s);

/* Whether a container holds anything but blank text. */
int mx_node_has_content(const struct mx_node *n);

/* The first and the last text node of an inline subtree, following first
 * (last) children: where a "Q:" marker or a trailing colon sits. */
struct mx_node *mx_node_first_text(struct mx_node *n);
struct mx_node *mx_node_last_text(struct mx_node *n);

/* Removes `prefix` (compared without case, after leading spaces) and the
 * spaces after it from the first text of an inline container, dropping the
 * text node when nothing is left.  Returns 1 when the prefix was there;
 * the prefix "" strips leading spaces. */
int mx_tree_strip_prefix(struct mx_tree *t, struct mx_node *container,
                         const char *prefix);

/* The plain text of an inline container (mx_node_plain_text()) without
 * leading and trailing spaces, in the arena; NULL when memory ran out. */
char *mx_tree_plain(struct mx_tree *t, const struct mx_node *n);

#endif
