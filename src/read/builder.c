/*
 * builder.c - the monograph tree from Markdown.  This is the only file that
 * uses cmark: it parses the body, walks cmark's flat tree and opens and
 * closes sections, splits labels from list items and pairs questions with
 * answers.  The rules, by example:
 *
 *   ### Side Effects            section kind=side-effects, heading as written
 *   **Usage:**                  (alone in a paragraph) section kind=usage
 *   **Usage:** Text ...         section kind=usage holding paragraph "Text ..."
 *   **Generic Name:** X         section generic-name; the generic name is X
 *   **Adults:**                 (inside a section) sub-section kind=other
 *   ### Mebeverine              (unknown) section kind=other; the known
 *     **Usage:** ...            pseudo-headings under it become sub-sections
 *   **Disclaimer:** / **Note:** always top-level sections
 *   * **Headache:** mild ...    item with label "Headache"
 *   * **Headache**: mild ...    the same
 *
 * Inside an FAQ section, questions are bold text ending in "?" or starting
 * with "Q:", in a list item or a paragraph of their own; the answer is the
 * rest of the item or paragraph (an "A:" is dropped), a nested "A:" item, or
 * the blocks that follow up to the next question.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "medexport.h"
#include "core/private.h"

#define MAX_SECTION_DEPTH 16
#define MAX_INLINE_DEPTH  32

struct open_section {
	struct mx_node *node;
	int rank;   /* ATX level, or the parent's rank + 1 for bold headings */
	int pseudo; /* opened by a bold pseudo-heading */
};

struct builder {
	struct mx_document *doc;
	struct mx_arena *arena;
	const struct mx_diag *diag;
	int line_offset;
	struct open_section open[MAX_SECTION_DEPTH];
	int nopen;
	struct mx_node *answer; /* open answer of a paragraph-style question */
	struct mx_buf scratch;  /* reused by S_add_text */
	int failed;
};

static struct mx_node *
S_node(struct builder *b, enum mx_node_type type, int line)
{
	struct mx_node *n = mx_arena_alloc(b->arena, sizeof(*n));

	if (n == NULL) {
		b->failed = 1;
		return NULL;
	}
	n->type = type;
	n->line = line;
	return n;
}

static void
S_append(struct mx_node *parent, struct mx_node *child)
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

static void
S_unlink(struct mx_node *node)
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

static int
S_line(struct builder *b, cmark_node *c)
{
	int line = cmark_node_get_start_line(c);

	for (cmark_node *p = c; line == 0 && p != NULL;
	     p = cmark_node_parent(p))
		line = cmark_node_get_start_line(p);
	return line > 0 ? line + b->line_offset : 0;
}

/* The white space that collapses to one space in text. */
static const unsigned char S_white[256] = {
        [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1};

/* Appends text to the container, merging it with a text node just before
 * it and collapsing runs of white space, so that backends see clean words. */
static void
S_add_text(struct builder *b, struct mx_node *parent, const char *s, size_t len,
           int line)
{
	struct mx_node *last = parent->last_child;
	struct mx_buf *buf = &b->scratch;
	int append = last && last->type == MX_NODE_TEXT && last->text;
	size_t had = append ? strlen(last->text) : 0;
	int space = had > 0 && last->text[had - 1] == ' ';
	char *text, *out;

	if (len == 0)
		return;
	buf->len = 0;
	if (mx_buf_grow(buf, len) != 0) {
		b->failed = 1;
		return;
	}
	/* Without a branch per byte (a word boundary every few bytes would
	 * mispredict), and through a local pointer: a char store may alias
	 * buf->len. */
	out = buf->data;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int ws = S_white[c];
		*out = ws ? ' ' : (char)c;
		out += !(ws & space);
		space = ws;
	}
	buf->len = (size_t)(out - buf->data);
	/* cmark splits a paragraph's text at every line break and character
	 * reference: the pieces join into one text node, grown in place. */
	if (append) {
		text = mx_arena_append(b->arena, (char *)last->text, had,
		                       buf->data, buf->len);
		if (text == NULL)
			b->failed = 1;
		else
			last->text = text;
	} else {
		struct mx_node *t = S_node(b, MX_NODE_TEXT, line);
		if (t) {
			t->text =
			        mx_arena_strndup(b->arena, buf->data, buf->len);
			S_append(parent, t);
		}
	}
}

/* Keeps the text of raw HTML without its tags; <br> becomes a line break.
 * A few common character references are decoded. */
static void
S_add_html(struct builder *b, struct mx_node *parent, const char *html,
           int line)
{
	const char *p = html;
	struct mx_buf text = {0};

	while (*p) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (end == NULL) {
				mx_buf_puts(&text, p);
				break;
			}
			if ((strncasecmp(p, "<br", 3) == 0 &&
			     !isalpha((unsigned char)p[3])) ||
			    strncasecmp(p, "<p", 2) == 0 ||
			    strncasecmp(p, "</p", 3) == 0 ||
			    strncasecmp(p, "<li", 3) == 0 ||
			    strncasecmp(p, "<div", 4) == 0)
				mx_buf_putc(&text, ' ');
			p = end + 1;
			continue;
		}
		if (*p == '&') {
			static const struct {
				const char *ref;
				const char *text;
			} refs[] = {{"&amp;", "&"}, {"&lt;", "<"},
			            {"&gt;", ">"},  {"&quot;", "\""},
			            {"&#39;", "'"}, {"&nbsp;", "\xc2\xa0"},
			            {"&apos;", "'"}};
			size_t i;
			for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
				size_t n = strlen(refs[i].ref);
				if (strncmp(p, refs[i].ref, n) == 0) {
					mx_buf_puts(&text, refs[i].text);
					p += n;
					break;
				}
			}
			if (i < sizeof(refs) / sizeof(refs[0]))
				continue;
		}
		mx_buf_putc(&text, *p++);
	}
	if (text.data)
		S_add_text(b, parent, text.data, text.len, line);
	mx_buf_free(&text);
}

static void S_inlines(struct builder *b, struct mx_node *parent,
                      cmark_node *first, int depth);

/* Flattens an inline subtree too deep to keep into plain text. */
static void
S_flat_text(struct builder *b, struct mx_node *parent, cmark_node *c)
{
	cmark_iter *it = cmark_iter_new(c);
	cmark_event_type ev;
	int line = S_line(b, c);

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lit;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				S_add_text(b, parent, lit, strlen(lit), line);
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				S_add_html(b, parent, lit, line);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
			S_add_text(b, parent, " ", 1, line);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static void
S_inline(struct builder *b, struct mx_node *parent, cmark_node *c, int depth)
{
	int line = S_line(b, c);
	struct mx_node *n = NULL;
	const char *lit;

	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_TEXT:
		lit = cmark_node_get_literal(c);
		S_add_text(b, parent, lit, strlen(lit), line);
		return;
	case CMARK_NODE_SOFTBREAK:
		S_add_text(b, parent, " ", 1, line);
		return;
	case CMARK_NODE_LINEBREAK:
		n = S_node(b, MX_NODE_LINEBREAK, line);
		S_append(parent, n);
		return;
	case CMARK_NODE_CODE:
		n = S_node(b, MX_NODE_CODE, line);
		if (n) {
			n->text = mx_arena_strdup(b->arena,
			                          cmark_node_get_literal(c));
			S_append(parent, n);
		}
		return;
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CUSTOM_INLINE:
		lit = cmark_node_get_literal(c);
		if (lit)
			S_add_html(b, parent, lit, line);
		return;
	default:
		break;
	}
	if (depth >= MAX_INLINE_DEPTH) {
		S_flat_text(b, parent, c);
		return;
	}
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_STRONG:
		n = S_node(b, MX_NODE_STRONG, line);
		break;
	case CMARK_NODE_EMPH:
		n = S_node(b, MX_NODE_EMPH, line);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		n = S_node(b, MX_NODE_LINK, line);
		if (n)
			n->url = mx_arena_strdup(b->arena,
			                         cmark_node_get_url(c));
		break;
	default:
		S_flat_text(b, parent, c);
		return;
	}
	if (n == NULL)
		return;
	S_append(parent, n);
	S_inlines(b, n, cmark_node_first_child(c), depth + 1);
}

/* Inline HTML tags that carry meaning the tree can keep: the text between
 * <sub> and </sub> becomes a subscript node, and so on.  Other tags are
 * dropped and their text kept. */
static const struct {
	const char *open;
	const char *close;
	enum mx_node_type type;
} html_inlines[] = {
        {"<sub>", "</sub>", MX_NODE_SUB},
        {"<sup>", "</sup>", MX_NODE_SUP},
        {"<b>", "</b>", MX_NODE_STRONG},
        {"<strong>", "</strong>", MX_NODE_STRONG},
        {"<i>", "</i>", MX_NODE_EMPH},
        {"<em>", "</em>", MX_NODE_EMPH},
};

static int
S_html_tag(const char *lit, int closing)
{
	for (size_t i = 0; i < sizeof(html_inlines) / sizeof(html_inlines[0]);
	     i++)
		if (strcasecmp(lit, closing ? html_inlines[i].close
		                            : html_inlines[i].open) == 0)
			return (int)i;
	return -1;
}

static void
S_inlines(struct builder *b, struct mx_node *parent, cmark_node *first,
          int depth)
{
	struct mx_node *open = NULL; /* an open <sub>, <i>, ... */
	int tag = -1;

	for (cmark_node *c = first; c != NULL; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE &&
		    depth < MAX_INLINE_DEPTH) {
			const char *lit = cmark_node_get_literal(c);
			int t;
			if (open == NULL && lit &&
			    (t = S_html_tag(lit, 0)) >= 0) {
				open = S_node(b, html_inlines[t].type,
				              S_line(b, c));
				S_append(parent, open);
				tag = t;
				continue;
			}
			if (open && lit && S_html_tag(lit, 1) == tag) {
				open = NULL;
				continue;
			}
			if (lit && (strcasecmp(lit, "<br>") == 0 ||
			            strcasecmp(lit, "<br/>") == 0 ||
			            strcasecmp(lit, "<br />") == 0)) {
				S_append(open ? open : parent,
				         S_node(b, MX_NODE_LINEBREAK,
				                S_line(b, c)));
				continue;
			}
		}
		S_inline(b, open ? open : parent, c, depth + (open != NULL));
	}
}

/* ---------------------------------------------------------------------
 * Helpers on the tree being built
 */

/* The last text node of an inline subtree, where a trailing colon sits. */
static struct mx_node *
S_last_text(struct mx_node *n)
{
	while (n && n->type != MX_NODE_TEXT)
		n = n->last_child;
	return n;
}

static struct mx_node *
S_first_text(struct mx_node *n)
{
	while (n && n->type != MX_NODE_TEXT)
		n = n->first_child;
	return n;
}

static int
S_is_blank(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/* Removes a leading prefix (such as "Q:" or ":") and the spaces after it
 * from the first text of an inline container; drops the node if empty. */
static int
S_strip_prefix(struct builder *b, struct mx_node *container, const char *prefix)
{
	struct mx_node *t = S_first_text(container);
	size_t n = strlen(prefix);
	const char *s;

	if (t == NULL)
		return 0;
	s = t->text;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, prefix, n) != 0)
		return 0;
	s += n;
	while (*s == ' ')
		s++;
	t->text = mx_arena_strdup(b->arena, s);
	if (t->text && t->text[0] == '\0')
		S_unlink(t);
	return 1;
}

/* Removes a trailing colon (and spaces) from the last text of a container;
 * returns 1 when there was one. */
static int
S_strip_colon(struct builder *b, struct mx_node *container)
{
	struct mx_node *t = S_last_text(container);
	size_t len;

	if (t == NULL)
		return 0;
	len = strlen(t->text);
	while (len > 0 && t->text[len - 1] == ' ')
		len--;
	if (len == 0 || t->text[len - 1] != ':')
		return 0;
	len--;
	while (len > 0 && t->text[len - 1] == ' ')
		len--;
	t->text = mx_arena_strndup(b->arena, t->text, len);
	return 1;
}

static char *
S_plain(struct builder *b, const struct mx_node *n)
{
	struct mx_buf buf = {0};
	char *s;
	size_t start = 0, len;

	mx_node_plain_text(n, &buf);
	len = buf.len;
	while (start < len && buf.data[start] == ' ')
		start++;
	while (len > start && buf.data[len - 1] == ' ')
		len--;
	s = mx_arena_strndup(b->arena, buf.data ? buf.data + start : "",
	                     len - start);
	mx_buf_free(&buf);
	return s;
}

/* A strong run that opens a paragraph, and whether anything but white
 * space follows it. */
static struct mx_node *
S_leading_strong(struct mx_node *para, int *alone)
{
	struct mx_node *first = para ? para->first_child : NULL;
	struct mx_node *rest;

	if (first && first->type == MX_NODE_TEXT && S_is_blank(first->text))
		first = first->next;
	if (first == NULL || first->type != MX_NODE_STRONG)
		return NULL;
	rest = first->next;
	*alone = rest == NULL ||
	         (rest->type == MX_NODE_TEXT && rest->next == NULL &&
	          (S_is_blank(rest->text) ||
	           (rest->text[strspn(rest->text, " ")] == ':' &&
	            S_is_blank(rest->text + strspn(rest->text, " ") + 1))));
	return first;
}

/* "**FAQs** (Addressing both):" - a bold heading whose qualifier follows
 * the bold text.  Returns the length of the qualifier, "(...)", or 0. */
static size_t
S_trailing_qualifier(const struct mx_node *strong)
{
	const struct mx_node *rest = strong->next;
	const char *t, *close;

	if (rest == NULL || rest->type != MX_NODE_TEXT || rest->next)
		return 0;
	t = rest->text + strspn(rest->text, " ");
	if (*t != '(' || (close = strchr(t, ')')) == NULL)
		return 0;
	if (!S_is_blank(close + 1 + (close[1] == ':')))
		return 0;
	return (size_t)(close + 1 - t);
}

/* Whether the strong run's text ends with a colon, inside the bold or just
 * after it. */
static int
S_has_colon(struct mx_node *strong)
{
	struct mx_node *t = S_last_text(strong);
	struct mx_node *after = strong->next;
	size_t len;

	if (t) {
		len = strlen(t->text);
		while (len > 0 && t->text[len - 1] == ' ')
			len--;
		if (len > 0 && t->text[len - 1] == ':')
			return 1;
	}
	return after && after->type == MX_NODE_TEXT &&
	       after->text[strspn(after->text, " ")] == ':';
}

/* Questions are bold runs ending in "?" or starting with "Q:". */
static int
S_is_question(struct builder *b, struct mx_node *strong)
{
	char *s = S_plain(b, strong);
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
		len--;
	if (len > 0 && s[len - 1] == '?')
		return 1;
	return (strncasecmp(s, "Q:", 2) == 0 || strncasecmp(s, "Q.", 2) == 0 ||
	        strncasecmp(s, "Question:", 9) == 0) &&
	       len > 3;
}

/* "**Q: ...**" is a question wherever it stands. */
static int
S_is_explicit_question(struct builder *b, struct mx_node *strong)
{
	char *s = S_plain(b, strong);

	return s && strncasecmp(s, "Q:", 2) == 0 && strlen(s) > 3;
}

static int
S_in_faq(struct builder *b)
{
	for (int i = b->nopen - 1; i >= 0; i--)
		if (b->open[i].node->kind == MX_KIND_FAQ)
			return 1;
	return 0;
}

/* Where blocks go now: the open answer, the innermost section, or the
 * document itself. */
static struct mx_node *
S_container(struct builder *b)
{
	if (b->answer)
		return b->answer;
	return b->nopen > 0 ? b->open[b->nopen - 1].node : b->doc->root;
}

static void
S_close_to(struct builder *b, int nopen)
{
	b->answer = NULL;
	if (nopen < b->nopen)
		b->nopen = nopen;
}

static struct mx_node *
S_open_section(struct builder *b, enum mx_kind kind, const char *heading,
               int rank, int pseudo, int line)
{
	struct mx_node *s = S_node(b, MX_NODE_SECTION, line);
	struct mx_node *parent;

	if (s == NULL)
		return NULL;
	if (b->nopen == MAX_SECTION_DEPTH)
		S_close_to(b, MAX_SECTION_DEPTH - 1);
	b->answer = NULL;
	parent = b->nopen > 0 ? b->open[b->nopen - 1].node : b->doc->root;
	s->kind = kind;
	s->text = heading;
	s->level = b->nopen + 1;
	S_append(parent, s);
	b->open[b->nopen].node = s;
	b->open[b->nopen].rank = rank;
	b->open[b->nopen].pseudo = pseudo;
	b->nopen++;
	return s;
}

/* A Markdown heading (level 2 to 6, or a second H1) closes every open
 * section of the same or a deeper level. */
static void
S_heading_section(struct builder *b, const char *text, int level, int line)
{
	int n = b->nopen;

	enum mx_kind kind = mx_kind_from_heading(text);

	/* "**Generic Name:** X" then "### Usage": a known heading also
	 * closes the sections that bold pseudo-headings opened. */
	while (n > 0 && (b->open[n - 1].rank >= level ||
	                 (kind != MX_KIND_OTHER && b->open[n - 1].pseudo)))
		n--;
	S_close_to(b, n);
	S_open_section(b, kind, text, level, 0, line);
}

/* A bold pseudo-heading.  Known kinds close the sections opened by other
 * pseudo-headings and by known Markdown headings, but nest inside an
 * unknown Markdown heading (the per-ingredient parts of combination
 * products); the disclaimer and the note always go to the top level.
 * Unknown pseudo-headings become sub-sections of the current section. */
static void
S_pseudo_section(struct builder *b, const char *text, int line)
{
	enum mx_kind kind = mx_kind_from_heading(text);
	int n = b->nopen;
	int rank;

	if (kind == MX_KIND_DISCLAIMER || kind == MX_KIND_NOTE) {
		n = 0;
	} else if (kind != MX_KIND_OTHER) {
		while (n > 0 && (b->open[n - 1].pseudo ||
		                 b->open[n - 1].node->kind != MX_KIND_OTHER))
			n--;
	} else {
		while (n > 1 && b->open[n - 1].pseudo &&
		       b->open[n - 1].node->kind == MX_KIND_OTHER)
			n--;
	}
	S_close_to(b, n);
	rank = n > 0 ? b->open[n - 1].rank + 1 : 2;
	S_open_section(b, kind, text, rank, 1, line);
}

/* ---------------------------------------------------------------------
 * Blocks
 */

static void S_block(struct builder *b, struct mx_node *parent, cmark_node *c,
                    int depth);

static void
S_blocks(struct builder *b, struct mx_node *parent, cmark_node *first,
         int depth)
{
	for (cmark_node *c = first; c != NULL; c = cmark_node_next(c))
		S_block(b, parent, c, depth);
}

static struct mx_node *
S_paragraph(struct builder *b, cmark_node *c)
{
	struct mx_node *p = S_node(b, MX_NODE_PARAGRAPH, S_line(b, c));
	const struct mx_node *t;

	if (p == NULL)
		return NULL;
	S_inlines(b, p, cmark_node_first_child(c), 0);
	/* CommonMark has no tables: say so rather than print a grid of
	 * pipes without a word. */
	t = p->first_child;
	if (t && t->type == MX_NODE_TEXT && t->text[0] == '|' &&
	    (strstr(t->text, "|-") || strstr(t->text, "| -") ||
	     strstr(t->text, "|:-")))
		mx_report(b->diag, MX_WARNING, b->doc->source, p->line,
		          "a pipe table is not supported and is kept as text");
	return p;
}

/* Moves the inline nodes of `from`, starting at `start`, to `to`. */
static void
S_move_inlines(struct mx_node *start, struct mx_node *to)
{
	while (start) {
		struct mx_node *next = start->next;
		S_unlink(start);
		S_append(to, start);
		start = next;
	}
}

static int
S_has_content(struct mx_node *n)
{
	for (struct mx_node *c = n->first_child; c; c = c->next)
		if (c->type != MX_NODE_TEXT || !S_is_blank(c->text))
			return 1;
	return 0;
}

/* Whether inline content reads "A", "A:", "Answer" or "Answer:": the
 * marker of an answer. */
static int
S_is_answer_marker(struct builder *b, const struct mx_node *n)
{
	char *t = S_plain(b, n);
	size_t len = t ? strlen(t) : 0;

	if (len > 0 && (t[len - 1] == ':' || t[len - 1] == '.'))
		t[--len] = '\0';
	return t && (strcasecmp(t, "A") == 0 || strcasecmp(t, "Answer") == 0);
}

/* Strips a leading "A:" (plain or bold) from the first paragraph of an
 * answer's blocks. */
static void
S_strip_answer_marker(struct builder *b, struct mx_node *block)
{
	struct mx_node *first;

	if (block == NULL || block->type != MX_NODE_PARAGRAPH)
		return;
	first = block->first_child;
	if (first && first->type == MX_NODE_TEXT && S_is_blank(first->text)) {
		/* the soft break between "**Q: ...?**" and "**A:**" */
		S_unlink(first);
		first = block->first_child;
	}
	if (first && first->type == MX_NODE_STRONG) {
		if (S_is_answer_marker(b, first)) {
			S_unlink(first);
			S_strip_prefix(b, block, ":");
			S_strip_prefix(b, block, "");
			return;
		}
	}
	if (!S_strip_prefix(b, block, "A:") && !S_strip_prefix(b, block, "A. "))
		S_strip_prefix(b, block, "Answer:");
}

/* Builds a question/answer pair from a paragraph that starts with the
 * bold question; the rest of the paragraph opens the answer. */
static struct mx_node *
S_qa_from_paragraph(struct builder *b, struct mx_node *para,
                    struct mx_node *strong)
{
	struct mx_node *qa = S_node(b, MX_NODE_QA, para->line);
	struct mx_node *q = S_node(b, MX_NODE_QUESTION, para->line);
	struct mx_node *a = S_node(b, MX_NODE_ANSWER, para->line);
	struct mx_node *rest = strong->next;

	if (!qa || !q || !a)
		return NULL;
	S_append(qa, q);
	S_append(qa, a);
	S_unlink(strong);
	S_move_inlines(strong->first_child, q);
	if (!S_strip_prefix(b, q, "Q:") && !S_strip_prefix(b, q, "Q."))
		S_strip_prefix(b, q, "Question:");
	if (rest) {
		S_strip_answer_marker(b, para);
		if (S_has_content(para)) {
			S_strip_prefix(b, para, "");
			S_append(a, para);
		}
	}
	return qa;
}

/* Whether a text starts with a plain question marker: "Q: " or "Q. ". */
static int
S_starts_plain_question(const char *t)
{
	t += strspn(t, " ");
	return t[0] == 'Q' && (t[1] == ':' || t[1] == '.') && t[2] == ' ';
}

/* A question written without bold: "Q: ...? A: ..." in one paragraph (or
 * with the answer after a line break), or "Q: ...?" alone, whose answer
 * then follows.  Returns the pair, or NULL when the paragraph is not one. */
static struct mx_node *
S_plain_qa(struct builder *b, struct mx_node *para)
{
	struct mx_node *first = para ? para->first_child : NULL;
	struct mx_node *qa, *q, *a, *c;

	if (first == NULL || first->type != MX_NODE_TEXT ||
	    !S_starts_plain_question(first->text))
		return NULL;
	qa = S_node(b, MX_NODE_QA, para->line);
	q = S_node(b, MX_NODE_QUESTION, para->line);
	a = S_node(b, MX_NODE_ANSWER, para->line);
	if (!qa || !q || !a)
		return NULL;
	S_append(qa, q);
	S_append(qa, a);
	S_move_inlines(para->first_child, q);
	if (!S_strip_prefix(b, q, "Q:"))
		S_strip_prefix(b, q, "Q.");
	/* The answer starts at the first " A: " (or "A: " after a break). */
	for (c = q->first_child; c; c = c->next) {
		const char *t, *m = NULL;
		if (c->type != MX_NODE_TEXT)
			continue;
		t = c->text;
		if (c->prev && c->prev->type == MX_NODE_LINEBREAK &&
		    (strncmp(t, "A: ", 3) == 0 || strncmp(t, "A. ", 3) == 0))
			m = t;
		if (m == NULL && (m = strstr(t, " A: ")) == NULL)
			m = strstr(t, "? A. ");
		if (m == NULL)
			continue;
		if (m != t)
			m += m[0] == '?' ? 2 : 1;
		struct mx_node *rest = S_node(b, MX_NODE_TEXT, c->line);
		struct mx_node *p = S_node(b, MX_NODE_PARAGRAPH, c->line);
		if (!rest || !p)
			return NULL;
		rest->text =
		        mx_arena_strdup(b->arena, m + 3 + strspn(m + 3, " "));
		size_t keep = (size_t)(m - t);
		while (keep > 0 && t[keep - 1] == ' ')
			keep--;
		c->text = mx_arena_strndup(b->arena, t, keep);
		S_append(p, rest);
		S_move_inlines(c->next, p);
		if (c->prev && c->prev->type == MX_NODE_LINEBREAK && keep == 0)
			S_unlink(c->prev);
		if (keep == 0)
			S_unlink(c);
		if (S_has_content(p))
			S_append(a, p);
		break;
	}
	return qa;
}

/* Builds a list item; in an FAQ section an item that opens with a bold
 * question becomes a question/answer pair instead (returned in *qa). */
static struct mx_node *
S_item(struct builder *b, cmark_node *c, int depth, int faq,
       struct mx_node **qa_out)
{
	struct mx_node *item = S_node(b, MX_NODE_ITEM, S_line(b, c));
	cmark_node *first = cmark_node_first_child(c);
	struct mx_node *para = NULL, *strong;
	int alone = 0;

	*qa_out = NULL;
	if (item == NULL)
		return NULL;
	if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		para = S_paragraph(b, first);
		first = cmark_node_next(first);
	}
	strong = S_leading_strong(para, &alone);
	if (strong && (S_is_explicit_question(b, strong) ||
	               (faq && S_in_faq(b) && S_is_question(b, strong)))) {
		struct mx_node *qa = S_qa_from_paragraph(b, para, strong);
		struct mx_node *answer = qa ? qa->last_child : NULL;

		if (answer == NULL)
			return NULL;
		S_blocks(b, answer, first, depth + 1);
		/* "* **Q: ...?**" with a nested "* **A:** ..." item: the
		 * nested list is the answer itself. */
		struct mx_node *only = answer->first_child;
		if (only && only == answer->last_child &&
		    only->type == MX_NODE_LIST && only->first_child &&
		    only->first_child == only->last_child) {
			struct mx_node *inner = only->first_child;
			struct mx_node *blk = inner->first_child;
			if (blk && blk->type == MX_NODE_LABEL) {
				if (S_is_answer_marker(b, blk)) {
					S_unlink(blk);
					S_unlink(only);
					S_move_inlines(inner->first_child,
					               answer);
				}
			} else if (blk && blk->type == MX_NODE_PARAGRAPH) {
				struct mx_node *t = S_first_text(blk);
				if (t && (strncasecmp(t->text, "A:", 2) == 0)) {
					S_unlink(only);
					S_move_inlines(inner->first_child,
					               answer);
				}
			}
		}
		S_strip_answer_marker(b, answer->first_child);
		*qa_out = qa;
		return NULL;
	}
	if (strong == NULL && para &&
	    S_starts_plain_question(
	            para->first_child && para->first_child->type == MX_NODE_TEXT
	                    ? para->first_child->text
	                    : "")) {
		struct mx_node *qa = S_plain_qa(b, para);
		if (qa) {
			S_blocks(b, qa->last_child, first, depth + 1);
			*qa_out = qa;
			return NULL;
		}
	}
	if (strong && S_has_colon(strong)) {
		struct mx_node *label = S_node(b, MX_NODE_LABEL, para->line);
		if (label) {
			S_unlink(strong);
			S_move_inlines(strong->first_child, label);
			S_strip_colon(b, label);
			S_strip_prefix(b, para, ":");
			S_strip_prefix(b, para, "");
			S_append(item, label);
		}
	}
	if (para && S_has_content(para))
		S_append(item, para);
	S_blocks(b, item, first, depth + 1);
	return item;
}

/* Whether an item is labelled "A:" or "Answer:". */
static int
S_is_answer_item(struct builder *b, struct mx_node *item)
{
	struct mx_node *label = item->first_child;

	struct mx_node *t = label && label->type == MX_NODE_PARAGRAPH
	                            ? label->first_child
	                            : NULL;

	if (t && t->type == MX_NODE_TEXT && strncmp(t->text, "A: ", 3) == 0) {
		S_strip_prefix(b, label, "A:");
		return 1;
	}
	return label && label->type == MX_NODE_LABEL &&
	       S_is_answer_marker(b, label);
}

/* A list; in an FAQ section, items holding questions leave the list and
 * become question/answer pairs of the section, in order. */
static void
S_list(struct builder *b, struct mx_node *parent, cmark_node *c, int depth)
{
	int top = parent == S_container(b) && parent->type != MX_NODE_ITEM;
	int faq = top;
	struct mx_node *list = NULL;

	for (cmark_node *ci = cmark_node_first_child(c); ci != NULL;
	     ci = cmark_node_next(ci)) {
		struct mx_node *qa = NULL;
		struct mx_node *item = S_item(b, ci, depth, faq, &qa);

		if (qa) {
			if (top) {
				b->answer = NULL;
				parent = S_container(b);
			}
			/* Nested "**Q:" items become pairs of the item that
			 * holds the list ("* **FAQs:**" over questions). */
			S_append(parent, qa);
			list = NULL;
			continue;
		}
		if (item == NULL)
			continue;
		if (faq && S_is_answer_item(b, item) && parent->last_child &&
		    parent->last_child->type == MX_NODE_QA &&
		    parent->last_child->last_child->first_child == NULL) {
			/* "* **Q: ...?**" then "* **A:** ..." as siblings */
			struct mx_node *answer = parent->last_child->last_child;
			if (item->first_child->type == MX_NODE_LABEL)
				S_unlink(item->first_child);
			S_move_inlines(item->first_child, answer);
			continue;
		}
		if (list == NULL) {
			list = S_node(b, MX_NODE_LIST, item->line);
			if (list == NULL)
				return;
			list->ordered = cmark_node_get_list_type(c) ==
			                CMARK_ORDERED_LIST;
			list->start = cmark_node_get_list_start(c);
			if (list->ordered && list->start < 0)
				list->start = 1;
			S_append(parent, list);
		}
		S_append(list, item);
	}
}

/* A paragraph directly inside a section or the document: it may be a
 * pseudo-heading, a question, or the first part of a section. */
static void
S_top_paragraph(struct builder *b, cmark_node *c)
{
	struct mx_node *para = S_paragraph(b, c);
	struct mx_node *strong;
	int alone = 0;

	if (para == NULL)
		return;
	strong = S_leading_strong(para, &alone);
	if (b->answer && b->answer->first_child == NULL)
		S_strip_answer_marker(b, para);
	if (strong && (S_is_explicit_question(b, strong) ||
	               (S_in_faq(b) && S_is_question(b, strong)))) {
		struct mx_node *qa = S_qa_from_paragraph(b, para, strong);
		if (qa == NULL)
			return;
		b->answer = NULL;
		S_append(S_container(b), qa);
		b->answer = qa->last_child;
		return;
	}
	if (strong == NULL) {
		struct mx_node *qa = S_plain_qa(b, para);
		if (qa) {
			b->answer = NULL;
			S_append(S_container(b), qa);
			b->answer = qa->last_child;
			return;
		}
	}
	if (strong && !alone && S_trailing_qualifier(strong) > 0 &&
	    mx_kind_from_heading(S_plain(b, strong)) != MX_KIND_OTHER) {
		/* The qualifier joins the heading text. */
		struct mx_node *q = strong->next;
		const char *t = q->text + strspn(q->text, " ");
		S_unlink(q);
		S_add_text(b, strong, " ", 1, q->line);
		S_add_text(b, strong, t, strcspn(t, ")") + 1, q->line);
		alone = 1;
	}
	if (strong) {
		char *text = S_plain(b, strong);
		enum mx_kind kind =
		        text ? mx_kind_from_heading(text) : MX_KIND_OTHER;
		size_t len = text ? strlen(text) : 0;
		int colon = S_has_colon(strong);

		/* "**Adults:**" alone is a heading; so is a short bold line
		 * without a colon that does not end like a sentence. */
		int heading_like =
		        alone && len > 0 &&
		        (colon || kind != MX_KIND_OTHER ||
		         (len <= 60 && !strchr(".!?", text[len - 1])));
		if (heading_like || (colon && kind != MX_KIND_OTHER)) {
			while (len > 0 &&
			       (text[len - 1] == ':' || text[len - 1] == ' '))
				len--;
			text[len] = '\0';
			S_pseudo_section(b, text, para->line);
			S_unlink(strong);
			if (!alone) {
				S_strip_prefix(b, para, ":");
				S_strip_prefix(b, para, "");
				S_append(S_container(b), para);
			}
			return;
		}
	}
	S_append(S_container(b), para);
}

static void
S_code_block(struct builder *b, struct mx_node *parent, cmark_node *c)
{
	struct mx_node *n = S_node(b, MX_NODE_CODE_BLOCK, S_line(b, c));
	const char *lit = cmark_node_get_literal(c);
	size_t len = lit ? strlen(lit) : 0;

	if (n == NULL)
		return;
	while (len > 0 && lit[len - 1] == '\n')
		len--;
	n->text = mx_arena_strndup(b->arena, lit ? lit : "", len);
	S_append(parent, n);
}

static void
S_block(struct builder *b, struct mx_node *parent, cmark_node *c, int depth)
{
	struct mx_node *n;
	int line = S_line(b, c);
	int top = parent == NULL;

	if (top)
		parent = S_container(b);
	if (depth >= MX_MAX_NESTING) {
		/* Too deep to keep as structure: keep the words. */
		n = S_node(b, MX_NODE_PARAGRAPH, line);
		if (n) {
			S_flat_text(b, n, c);
			if (S_has_content(n))
				S_append(parent, n);
		}
		return;
	}
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_PARAGRAPH:
		if (top) {
			S_top_paragraph(b, c);
			return;
		}
		S_append(parent, S_paragraph(b, c));
		return;
	case CMARK_NODE_HEADING: {
		struct mx_node tmp = {0};
		char *text;
		int level = cmark_node_get_heading_level(c);

		S_inlines(b, &tmp, cmark_node_first_child(c), 0);
		text = S_plain(b, &tmp);
		if (!top) {
			/* A heading inside a list or quote: bold text. */
			n = S_node(b, MX_NODE_PARAGRAPH, line);
			struct mx_node *s = S_node(b, MX_NODE_STRONG, line);
			if (n && s) {
				S_move_inlines(tmp.first_child, s);
				S_append(n, s);
				S_append(parent, n);
			}
			return;
		}
		if (level == 1 && b->doc->title == NULL) {
			b->doc->title = text;
			b->doc->title_line = line;
			return;
		}
		if (S_in_faq(b) && text && strlen(text) > 1 &&
		    text[strlen(text) - 1] == '?' &&
		    (b->nopen == 0 || level > b->open[b->nopen - 1].rank)) {
			struct mx_node *qa = S_node(b, MX_NODE_QA, line);
			struct mx_node *q = S_node(b, MX_NODE_QUESTION, line);
			struct mx_node *a = S_node(b, MX_NODE_ANSWER, line);
			if (!qa || !q || !a)
				return;
			S_move_inlines(tmp.first_child, q);
			S_append(qa, q);
			S_append(qa, a);
			b->answer = NULL;
			S_append(S_container(b), qa);
			b->answer = a;
			return;
		}
		if (text) {
			/* "### Usage:" reads as "Usage". */
			size_t len = strlen(text);
			while (len > 0 &&
			       (text[len - 1] == ':' || text[len - 1] == ' '))
				text[--len] = '\0';
		}
		S_heading_section(b, text ? text : "", level, line);
		return;
	}
	case CMARK_NODE_LIST:
		S_list(b, parent, c, depth);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		n = S_node(b, MX_NODE_BLOCKQUOTE, line);
		if (n == NULL)
			return;
		S_append(parent, n);
		S_blocks(b, n, cmark_node_first_child(c), depth + 1);
		return;
	case CMARK_NODE_CODE_BLOCK:
		S_code_block(b, parent, c);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		if (top && b->answer) {
			/* A rule ends an answer that runs on. */
			b->answer = NULL;
			parent = S_container(b);
		}
		S_append(parent, S_node(b, MX_NODE_THEMATIC_BREAK, line));
		return;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_CUSTOM_BLOCK:
		n = S_node(b, MX_NODE_PARAGRAPH, line);
		if (n == NULL)
			return;
		if (cmark_node_get_literal(c))
			S_add_html(b, n, cmark_node_get_literal(c), line);
		if (n->first_child && n->first_child->type == MX_NODE_TEXT) {
			/* No leading or trailing space from the markup. */
			S_strip_prefix(b, n, "");
			struct mx_node *t = n->last_child;
			if (t && t->type == MX_NODE_TEXT) {
				size_t len = strlen(t->text);
				while (len > 0 && t->text[len - 1] == ' ')
					len--;
				t->text = mx_arena_strndup(b->arena, t->text,
				                           len);
			}
		}
		if (S_has_content(n))
			S_append(parent, n);
		return;
	default:
		S_flat_text(b, parent, c);
		return;
	}
}

/* cmark allocates every node and buffer on its own; during one parse, its
 * memory comes from a per-thread arena instead, reset after the document
 * is built, so that parsing costs no malloc/free pairs.  Each block keeps
 * the size of an allocation before it, for realloc. */
struct cmark_arena_block {
	struct cmark_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

static _Thread_local struct cmark_arena_block *cmark_blocks;

static void *
S_cmark_alloc(size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct cmark_arena_block *b = cmark_blocks;
	size_t need = (sizeof(size_t) + size + align - 1) / align * align;
	char *p;

	if (b == NULL || b->size - b->used < need) {
		size_t bsize = need > 256u * 1024u ? need : 256u * 1024u;
		b = malloc(sizeof(*b) + bsize);
		if (b == NULL)
			return NULL;
		b->size = bsize;
		b->used = 0;
		b->next = cmark_blocks;
		cmark_blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	*(size_t *)p = size;
	return p + sizeof(size_t);
}

static void *
S_cmark_calloc(size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	p = S_cmark_alloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

static void *
S_cmark_realloc(void *old, size_t size)
{
	void *p;
	size_t old_size;

	if (old == NULL)
		return S_cmark_alloc(size);
	old_size = *((size_t *)old - 1);
	if (size <= old_size)
		return old;
	p = S_cmark_alloc(size);
	if (p)
		memcpy(p, old, old_size);
	return p;
}

static void
S_cmark_free(void *p)
{
	(void)p; /* the arena is reset after the parse */
}

/* Frees the arena's blocks: one or two mallocs a document. */
static void
S_cmark_arena_reset(void)
{
	struct cmark_arena_block *b = cmark_blocks, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	cmark_blocks = NULL;
}

static cmark_mem cmark_arena_mem = {S_cmark_calloc, S_cmark_realloc,
                                    S_cmark_free};

static cmark_node *
S_parse_markdown(const char *data, size_t len)
{
	cmark_parser *parser =
	        cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &cmark_arena_mem);
	cmark_node *root;

	if (parser == NULL)
		return NULL;
	cmark_parser_feed(parser, data, len);
	root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return root;
}

/* The stable identifier: the file name without directory and extension,
 * lower case, with anything but letters, digits, '-' and '_' as '-'. */
static const char *
S_make_id(struct mx_arena *arena, const char *source)
{
	const char *base = strrchr(source, '/');
	size_t len, i;
	char *id;

	base = base ? base + 1 : source;
	if (strcmp(source, "-") == 0 || strcmp(source, "<stdin>") == 0)
		base = "stdin";
	len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".md") == 0)
		len -= 3;
	else if (len > 9 && strcmp(base + len - 9, ".markdown") == 0)
		len -= 9;
	id = mx_arena_strndup(arena, base, len);
	if (id == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.')
			id[i] = (char)tolower(c);
		else
			id[i] = '-';
	}
	if (len == 0 || !isalpha((unsigned char)id[0])) {
		/* XML ids must start with a letter. */
		char *m = mx_arena_alloc(arena, len + 3);
		if (m == NULL)
			return NULL;
		memcpy(m, "m-", 2);
		memcpy(m + 2, id, len + 1);
		id = m;
	}
	return id;
}

/* The generic name: the first paragraph of a top-level generic-name
 * section, else those of the per-ingredient sections joined with " + ". */
static void
S_find_generic_name(struct builder *b)
{
	struct mx_buf joined = {0};
	struct mx_node *top = b->doc->root;

	for (struct mx_node *s = top->first_child; s; s = s->next) {
		if (s->type != MX_NODE_SECTION)
			continue;
		if (s->kind == MX_KIND_GENERIC_NAME) {
			struct mx_node *p = s->first_child;
			const char *colon = strchr(s->text, ':');
			if (strstr(s->text, "Not Applicable") ||
			    strstr(s->text, "not applicable"))
				continue;
			if (colon) {
				/* "### Generic Name: X" */
				b->doc->generic_name = mx_arena_strdup(
				        b->arena,
				        colon + 1 + strspn(colon + 1, " "));
				mx_buf_free(&joined);
				return;
			}
			if (p == NULL)
				continue;
			if (p->type == MX_NODE_PARAGRAPH) {
				b->doc->generic_name = S_plain(b, p);
				mx_buf_free(&joined);
				return;
			}
			/* "### Generic Names" over "* **Heparin:** ..." */
			for (struct mx_node *it = p->type == MX_NODE_LIST
			                                  ? p->first_child
			                                  : NULL;
			     it; it = it->next) {
				struct mx_node *label = it->first_child;
				if (label == NULL ||
				    label->type != MX_NODE_LABEL)
					continue;
				char *name = S_plain(b, label);
				if (joined.len > 0)
					mx_buf_puts(&joined, " + ");
				mx_buf_puts(&joined, name ? name : "");
			}
			if (joined.len > 0)
				break;
			continue;
		}
		for (struct mx_node *sub = s->first_child; sub;
		     sub = sub->next) {
			if (sub->type != MX_NODE_SECTION ||
			    sub->kind != MX_KIND_GENERIC_NAME ||
			    sub->first_child == NULL ||
			    sub->first_child->type != MX_NODE_PARAGRAPH)
				continue;
			char *name = S_plain(b, sub->first_child);
			if (joined.len > 0)
				mx_buf_puts(&joined, " + ");
			mx_buf_puts(&joined, name ? name : "");
			break;
		}
	}
	if (joined.len > 0)
		b->doc->generic_name =
		        mx_arena_strndup(b->arena, joined.data, joined.len);
	mx_buf_free(&joined);
}

struct mx_document *
mx_document_parse(const char *data, size_t len, const char *source,
                  const struct mx_diag *diag)
{
	struct builder b;
	struct mx_document *doc;
	struct mx_arena *arena;
	cmark_node *root;
	size_t body = 0;
	int body_line = 1;

	if (mx_input_check(data, len, source, diag) != 0)
		return NULL;
	/* A byte order mark, as some Windows editors write, is not text. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	arena = mx_arena_new();
	if (arena == NULL)
		goto oom;
	doc = mx_arena_alloc(arena, sizeof(*doc));
	if (doc == NULL)
		goto oom;
	doc->arena = arena;
	doc->source = mx_arena_strdup(arena, source);
	doc->id = S_make_id(arena, source);
	doc->root = mx_arena_alloc(arena, sizeof(struct mx_node));
	if (!doc->source || !doc->id || !doc->root)
		goto oom;
	doc->root->type = MX_NODE_DOCUMENT;
	doc->root->line = 1;
	if (mx_frontmatter_parse(doc, data, len, &body, &body_line, diag) !=
	    0) {
		mx_arena_free(arena);
		return NULL;
	}

	root = S_parse_markdown(data + body, len - body);
	if (root == NULL)
		goto oom;
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.arena = arena;
	b.diag = diag;
	b.line_offset = body_line - 1;
	for (cmark_node *c = cmark_node_first_child(root); c != NULL;
	     c = cmark_node_next(c))
		S_block(&b, NULL, c, 0);
	S_cmark_arena_reset();
	mx_buf_free(&b.scratch);
	if (b.failed)
		goto oom;

	if (doc->title == NULL) {
		const char *t = mx_document_meta(doc, "title");
		if (t && *t) {
			doc->title = t;
		} else {
			const char *base = strrchr(source, '/');
			base = base ? base + 1 : source;
			size_t n = strlen(base);
			if (n > 3 && strcmp(base + n - 3, ".md") == 0)
				n -= 3;
			doc->title = mx_arena_strndup(arena, base, n);
			mx_report(diag, MX_WARNING, source, 1,
			          "no title in front matter or heading; "
			          "using the file name");
		}
	}
	S_find_generic_name(&b);
	return doc;
oom:
	mx_report(diag, MX_ERROR, source, 0, "out of memory");
	mx_arena_free(arena);
	return NULL;
}

void
mx_document_free(struct mx_document *doc)
{
	if (doc)
		mx_arena_free(doc->arena);
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
