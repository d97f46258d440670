/*
 * node.c - building mx nodes, for markdown.c and monograph.c: moving nodes,
 * and their text, which is normalised as it is added (runs of white space
 * collapse to one space, the pieces cmark splits a line into join into one
 * text node); the plain text of a node, which the backends use too
 * (mx_node_plain_text()); and the prefixes the rules strip ("Q:", ":").
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "read/read.h"

void
mx_node_move(struct mx_node *start, struct mx_node *to)
{
	while (start) {
		struct mx_node *next = start->next;
		mx_node_unlink(start);
		mx_node_append(to, start);
		start = next;
	}
}

/* The white space that collapses to one space in text. */
static const unsigned char S_white[256] = {
        [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1};

/* Whether the eight bytes at `s` are kept as they are by the collapsing
 * of white space, after a space when `space`: no control character (tab,
 * newline, ...), no two spaces side by side, no space first after a space.
 * Exact for every byte (the additions carry out of no byte): a byte's top
 * bit is set in `ctrl` when it is below 0x20, in `sp` when it is 0x20. */
static int
S_kept_as_is(const char *s, int space)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7Fu, highs = 0x8080808080808080u;
	const uint64_t spaces = 0x2020202020202020u;
	uint64_t w, x, ctrl, sp;

	memcpy(&w, s, sizeof(w));
	ctrl = ~(((w & low7) + 0x6060606060606060u) | w) & highs;
	x = w ^ spaces;
	sp = ~(((x & low7) + low7) | x | low7);
	return ctrl == 0 && (sp & (sp << 8)) == 0 && !(space && s[0] == ' ');
}

/* Copies `len` bytes from `s` to `out` with every run of white space as
 * one space, and none first when `*space` (the text before ended with
 * one); returns the end of what it wrote and leaves in *space whether that
 * ends with a space.  Most of a monograph's text has no run to collapse:
 * it is copied eight bytes at a time. */
static char *
S_collapse(char *out, const char *s, size_t len, int *space)
{
	int sp = *space;
	size_t i = 0;

	while (i < len) {
		size_t end;
		if (len - i >= 8 && S_kept_as_is(s + i, sp)) {
			memcpy(out, s + i, 8);
			out += 8;
			sp = s[i + 7] == ' ';
			i += 8;
			continue;
		}
		/* Byte by byte up to the next word, without a branch per
		 * byte (a word boundary every few bytes would mispredict). */
		end = len - i >= 8 ? i + 8 : len;
		for (; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			int ws = S_white[c];
			*out = ws ? ' ' : (char)c;
			out += !(ws & sp);
			sp = ws;
		}
	}
	*space = sp;
	return out;
}

void
mx_tree_add_text(struct mx_tree *t, struct mx_node *parent, const char *s,
                 size_t len, int line)
{
	struct mx_node *last = parent->last_child;
	struct mx_buf *buf = &t->scratch;
	int append = last && last->type == MX_NODE_TEXT && last->text;
	size_t had = !append ? 0
	             : last == t->last_text && last->text == t->last_text_str
	                     ? t->last_text_len
	                     : strlen(last->text);
	int space = had > 0 && last->text[had - 1] == ' ';
	char *text;

	if (len == 0)
		return;
	buf->len = 0;
	if (mx_buf_grow(buf, len) != 0) {
		t->failed = 1;
		return;
	}
	buf->len = (size_t)(S_collapse(buf->data, s, len, &space) - buf->data);
	/* cmark splits a paragraph's text at every line break and character
	 * reference: the pieces join into one text node, grown in place. */
	if (append) {
		text = mx_arena_append(t->arena, (char *)last->text, had,
		                       buf->data, buf->len);
		if (text == NULL) {
			t->failed = 1;
		} else {
			last->text = text;
			t->last_text = last;
			t->last_text_str = text;
			t->last_text_len = had + buf->len;
		}
	} else {
		struct mx_node *n = mx_tree_node(t, MX_NODE_TEXT, line);
		if (n) {
			n->text =
			        mx_arena_strndup(t->arena, buf->data, buf->len);
			mx_node_append(parent, n);
			t->last_text = n;
			t->last_text_str = n->text;
			t->last_text_len = buf->len;
		}
	}
}

int
mx_text_is_blank(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == '\0';
}

int
mx_node_has_content(const struct mx_node *n)
{
	for (const struct mx_node *c = n->first_child; c; c = c->next)
		if (c->type != MX_NODE_TEXT || !mx_text_is_blank(c->text))
			return 1;
	return 0;
}

struct mx_node *
mx_node_first_text(struct mx_node *n)
{
	while (n && n->type != MX_NODE_TEXT)
		n = n->first_child;
	return n;
}

struct mx_node *
mx_node_last_text(struct mx_node *n)
{
	while (n && n->type != MX_NODE_TEXT)
		n = n->last_child;
	return n;
}

int
mx_tree_strip_prefix(struct mx_tree *t, struct mx_node *container,
                     const char *prefix)
{
	struct mx_node *text = mx_node_first_text(container);
	size_t n = strlen(prefix);
	const char *s;

	if (text == NULL)
		return 0;
	s = text->text;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, prefix, n) != 0)
		return 0;
	s += n;
	while (*s == ' ')
		s++;
	text->text = mx_arena_strdup(t->arena, s);
	if (text->text && text->text[0] == '\0')
		mx_node_unlink(text);
	return 1;
}

char *
mx_tree_plain(struct mx_tree *t, const struct mx_node *n)
{
	struct mx_buf *buf = &t->scratch;
	size_t start = 0, len;

	buf->len = 0;
	mx_node_plain_text(n, buf);
	len = buf->len;
	while (start < len && buf->data[start] == ' ')
		start++;
	while (len > start && buf->data[len - 1] == ' ')
		len--;
	return mx_arena_strndup(t->arena, buf->data ? buf->data + start : "",
	                        len - start);
}

int
mx_node_plain_text(const struct mx_node *node, struct mx_buf *buf)
{
	for (const struct mx_node *c = node->first_child; c; c = c->next) {
		switch (c->type) {
		case MX_NODE_TEXT:
		case MX_NODE_CODE:
			if (mx_buf_puts(buf, c->text) != 0)
				return -1;
			break;
		case MX_NODE_LINEBREAK:
			if (mx_buf_putc(buf, ' ') != 0)
				return -1;
			break;
		default:
			if (mx_node_plain_text(c, buf) != 0)
				return -1;
			break;
		}
	}
	return 0;
}
