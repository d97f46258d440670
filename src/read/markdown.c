/*
 * markdown.c - the Markdown tree: cmark's parse of a monograph's body,
 * walked into mx nodes.  This is the only file that uses cmark.
 *
 * The tree it gives keeps the plain Markdown structure and knows no
 * monograph rule (monograph.c applies those): paragraphs, headings
 * (MX_NODE_HEADING), lists and items, block quotes, code blocks and rules;
 * inside paragraphs text with its white space collapsed, emphasis, links,
 * code spans and line breaks.  Inline HTML keeps its words: <sub>, <sup>,
 * <b>, <strong>, <i> and <em> become sub/superscripts, bold and italic,
 * <br> a line break, and other tags are dropped.  An HTML block becomes a
 * text block (MX_NODE_TEXT_BLOCK) of its words, and so do blocks nested
 * deeper than MX_MAX_NESTING.  Every node keeps its source line.
 *
 * Punctuation is smart (cmark's CMARK_OPT_SMART): straight quotes become
 * typographic ones (’ ‘ “ ”), "--" and "---" dashes, "..." an ellipsis;
 * code spans and code blocks stay as written.  Every string taken from
 * cmark is checked: a character no output may carry (a numeric character
 * reference to a surrogate or a non-character such as &#xFFFE;, which
 * cmark decodes to bytes that are not UTF-8, or such a character written
 * as it is) becomes U+FFFD, with a warning naming its line.  Links are
 * kept when their address is http, https or mailto; any other (a relative
 * path, an anchor, javascript:) keeps only its text, with a warning.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "core/support.h"
#include "read/read.h"

#define MAX_INLINE_DEPTH 32
/* Warnings of one kind a document gets one by one; the rest are counted. */
#define MAX_WARNINGS 10

struct walk {
	struct mx_tree *t;
	int line_offset;  /* lines of front matter before the body */
	const char *data; /* the body, for the lines warnings look at */
	size_t len;
	size_t *line_start; /* where each line of the body starts, made when
	                       a warning first needs it */
	size_t nlines;
	int warned_line;  /* the last line whose references were named */
	int clean;        /* the body may bring a character no output may carry:
	                     every literal is checked */
	size_t bad_chars; /* characters replaced by U+FFFD */
	size_t links_as_text;    /* links kept as their text */
	struct mx_buf clean_buf; /* a literal with bad characters replaced */
	struct mx_buf html;      /* the text of raw HTML */
};

/* ---------------------------------------------------------------------
 * Characters no output may carry
 */

/* The line `line` of the source (counted from the file's first line), or
 * NULL; its length in *n. */
static const char *
S_source_line(struct walk *w, int line, size_t *n)
{
	size_t i = (size_t)(line - w->line_offset - 1), end;

	if (line - w->line_offset < 1)
		return NULL;
	if (w->line_start == NULL) {
		size_t count = 1, k = 1;
		for (size_t j = 0; j < w->len; j++)
			count += w->data[j] == '\n';
		w->line_start = malloc(count * sizeof(*w->line_start));
		if (w->line_start == NULL)
			return NULL;
		w->line_start[0] = 0;
		for (size_t j = 0; j < w->len; j++)
			if (w->data[j] == '\n')
				w->line_start[k++] = j + 1;
		w->nlines = count;
	}
	if (i >= w->nlines)
		return NULL;
	end = i + 1 < w->nlines ? w->line_start[i + 1] : w->len;
	*n = end - w->line_start[i];
	return w->data + w->line_start[i];
}

/* Names each numeric character reference on line `line` of the source
 * that is not to a character (a surrogate, a non-character, U+0000, or
 * beyond U+10FFFF: cmark decodes the first into bytes that are not UTF-8,
 * the others into U+FFFD).  Returns how many it named. */
static int
S_warn_references(struct walk *w, int line)
{
	size_t n = 0;
	const char *s = S_source_line(w, line, &n), *end = s + n;
	int named = 0;

	if (s == NULL)
		return 0;
	for (const char *p = s; p < end; p++) {
		const char *q = p + 1;
		int hex, digits = 0;
		long cp = 0;

		/* A code span keeps its references as written: from a run of
		 * backticks to the next run as long, on this line. */
		if (*p == '`') {
			size_t ticks = 1;
			while (p + ticks < end && p[ticks] == '`')
				ticks++;
			for (q = p + ticks; q < end; q++) {
				size_t k = 0;
				while (q + k < end && q[k] == '`')
					k++;
				if (k == ticks)
					break;
				q += k;
			}
			p = q < end ? q + ticks - 1 : p + ticks - 1;
			continue;
		}
		if (*p != '&' || q >= end || *q != '#')
			continue;
		q++;
		hex = q < end && (*q == 'x' || *q == 'X');
		q += hex;
		for (; q < end && digits < 8; q++, digits++) {
			int d = *q >= '0' && *q <= '9'          ? *q - '0'
			        : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
			        : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
			                                        : -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + d;
		}
		if (digits == 0 || digits > (hex ? 6 : 7) || q >= end ||
		    *q != ';' || !mx_char_is_bad((int32_t)cp))
			continue;
		named++;
		if (++w->bad_chars > MAX_WARNINGS)
			continue;
		mx_report(w->t->diag, MX_WARNING, w->t->doc->source, line,
		          "the character reference %.*s is not to a character "
		          "(%s); it is replaced by U+FFFD",
		          (int)(q + 1 - p), p,
		          cp >= 0xD800 && cp <= 0xDFFF ? "a surrogate"
		          : cp == 0 || cp > 0x10FFFF   ? "no such code point"
		                                       : "a non-character");
	}
	return named;
}

/* Where a literal from cmark comes from: what cmark decoded character
 * references in (text, a link's address), or what it keeps as written
 * (code, raw HTML). */
enum literal { LIT_RAW, LIT_TEXT, LIT_URL };

/* The `*len` bytes of a literal from cmark, with every character no output
 * may carry replaced by U+FFFD (with a warning): the literal itself when
 * it is clean, else a copy in w->clean_buf; NULL when memory ran out. */
static const char *
S_clean(struct walk *w, const char *lit, size_t *len, int line,
        enum literal from)
{
	struct mx_clean c;
	const char *s;

	if (!w->clean)
		return lit;
	s = mx_text_clean(lit, len, &w->clean_buf, &c);
	if (s == NULL) {
		w->t->failed = 1;
		return NULL;
	}
	if (!c.has_fffd)
		return s;
	/* cmark decodes a reference to what is not a character into U+FFFD,
	 * or into bytes that are not UTF-8 (U+FFFE, U+FFFF).  Its text (a
	 * text node is on one line) cannot tell which of its characters came
	 * from one: the references of the line are named, once. */
	if (from != LIT_RAW) {
		if (line == w->warned_line)
			return s;
		if (S_warn_references(w, line) > 0) {
			w->warned_line = line;
			return s;
		}
	}
	if (c.replaced == 0)
		return s;
	/* Such a character written as it is. */
	w->bad_chars += c.replaced;
	if (w->bad_chars - c.replaced < MAX_WARNINGS)
		mx_report(w->t->diag, MX_WARNING, w->t->doc->source, line,
		          "U+%04X is not a character; it is replaced by U+FFFD",
		          (unsigned)(c.first < 0 ? 0xFFFD : c.first));
	return s;
}

/* Whether the body may bring what no output may carry.  The input is valid
 * UTF-8 (mx_input_check()), and cmark makes such characters only from
 * numeric references ("&#"); else they must be in the input as they are:
 * U+FDD0 to U+FDEF are EF B7 90 to EF B7 AF, and U+FFFE, U+FFFF and their
 * kin of the other planes end in BF BE or BF BF.  A few searches of the
 * body spare most monographs a look at each of their literals. */
/* Whether the two bytes a, b follow each other in the `len` bytes at `s`. */
static int
S_has_pair(const char *s, size_t len, char a, char b)
{
	const char *end = s + len, *p = s;

	while (p < end && (p = memchr(p, a, (size_t)(end - p))) != NULL) {
		if (++p < end && *p == b)
			return 1;
	}
	return 0;
}

static int
S_may_bring_bad_chars(const char *data, size_t len)
{
	return S_has_pair(data, len, '&', '#') ||
	       S_has_pair(data, len, '\xEF', '\xB7') ||
	       S_has_pair(data, len, '\xBF', '\xBE') ||
	       S_has_pair(data, len, '\xBF', '\xBF');
}

/* Appends a literal's text to `parent` (mx_tree_add_text()), cleaned. */
static void
S_add_literal(struct walk *w, struct mx_node *parent, const char *lit, int line,
              enum literal from)
{
	size_t len = strlen(lit);
	const char *s = S_clean(w, lit, &len, line, from);

	if (s != NULL)
		mx_tree_add_text(w->t, parent, s, len, line);
}

/* A literal, cleaned, in the arena. */
static const char *
S_literal_copy(struct walk *w, const char *lit, int line, enum literal from)
{
	size_t len = lit ? strlen(lit) : 0;
	const char *s = S_clean(w, lit ? lit : "", &len, line, from);

	return s ? mx_arena_strndup(w->t->arena, s, len) : NULL;
}

static int
S_line(const struct walk *w, cmark_node *c)
{
	int line = cmark_node_get_start_line(c);

	for (cmark_node *p = c; line == 0 && p != NULL;
	     p = cmark_node_parent(p))
		line = cmark_node_get_start_line(p);
	return line > 0 ? line + w->line_offset : 0;
}

/* The end of the HTML construct that starts at `p` with "<": past its
 * closing "-->" for a comment, "?>" for a processing instruction, ">" for
 * a tag or a declaration; the end of the string when it is not closed.
 * A CDATA section is not skipped: see S_add_html(). */
static const char *
S_html_skip(const char *p)
{
	const char *end;

	if (strncmp(p, "<!--", 4) == 0) {
		end = strstr(p + 4, "-->");
		return end ? end + 3 : p + strlen(p);
	}
	if (strncmp(p, "<?", 2) == 0) {
		end = strstr(p + 2, "?>");
		return end ? end + 2 : p + strlen(p);
	}
	end = strchr(p, '>');
	return end ? end + 1 : NULL;
}

/* Keeps the text of raw HTML without its tags; <br> and the tags that end
 * a block (<p>, <li>, <div>) leave a space.  A comment, a processing
 * instruction or a declaration leaves nothing; a CDATA section leaves its
 * text.  A few common character references are decoded. */
static void
S_add_html(struct walk *w, struct mx_node *parent, const char *html, int line)
{
	const char *p = html;
	struct mx_buf *text = &w->html;

	text->len = 0;
	while (*p) {
		if (*p == '<') {
			const char *end;
			if (strncmp(p, "<![CDATA[", 9) == 0) {
				p += 9;
				end = strstr(p, "]]>");
				if (end == NULL)
					end = p + strlen(p);
				mx_buf_put(text, p, (size_t)(end - p));
				p = *end ? end + 3 : end;
				continue;
			}
			end = S_html_skip(p);
			if (end == NULL) {
				mx_buf_puts(text, p);
				break;
			}
			if ((strncasecmp(p, "<br", 3) == 0 &&
			     !isalpha((unsigned char)p[3])) ||
			    strncasecmp(p, "<p", 2) == 0 ||
			    strncasecmp(p, "</p", 3) == 0 ||
			    strncasecmp(p, "<li", 3) == 0 ||
			    strncasecmp(p, "<div", 4) == 0)
				mx_buf_putc(text, ' ');
			p = end;
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
					mx_buf_puts(text, refs[i].text);
					p += n;
					break;
				}
			}
			if (i < sizeof(refs) / sizeof(refs[0]))
				continue;
		}
		mx_buf_putc(text, *p++);
	}
	if (text->data && text->len > 0) {
		size_t len = text->len;
		const char *s = S_clean(w, text->data, &len, line, LIT_RAW);
		if (s != NULL)
			mx_tree_add_text(w->t, parent, s, len, line);
	}
}

static void S_inlines(struct walk *w, struct mx_node *parent, cmark_node *first,
                      int depth);

/* Flattens a subtree too deep to keep into plain text. */
static void
S_flat_text(struct walk *w, struct mx_node *parent, cmark_node *c)
{
	cmark_iter *it = cmark_iter_new(c);
	cmark_event_type ev;
	int line = S_line(w, c);

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
				S_add_literal(w, parent, lit, line,
				              cmark_node_get_type(n) ==
				                              CMARK_NODE_TEXT
				                      ? LIT_TEXT
				                      : LIT_RAW);
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				S_add_html(w, parent, lit, line);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
			mx_tree_add_text(w->t, parent, " ", 1, line);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Whether a link (or an image, kept as a link to it) is kept: when its
 * address is http, https or mailto, with something after the colon.  Its
 * address, cleaned and with the scheme in lower case, is then in
 * w->clean_buf.  Any other link keeps only its text, with a warning. */
static int
S_link_kept(struct walk *w, cmark_node *c, int line)
{
	static const char *const schemes[] = {"http:", "https:", "mailto:"};
	const char *url = cmark_node_get_url(c);
	size_t len = url ? strlen(url) : 0;
	const char *s = S_clean(w, url ? url : "", &len, line, LIT_URL);

	if (s == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i]);
		if (len > n && strncasecmp(s, schemes[i], n) == 0) {
			if (s != w->clean_buf.data) {
				w->clean_buf.len = 0;
				if (mx_buf_put(&w->clean_buf, s, len) != 0) {
					w->t->failed = 1;
					return 0;
				}
			}
			for (size_t k = 0; k < n; k++)
				w->clean_buf.data[k] = (char)tolower(
				        (unsigned char)w->clean_buf.data[k]);
			return 1;
		}
	}
	if (++w->links_as_text > MAX_WARNINGS)
		return 0;
	mx_report(w->t->diag, MX_WARNING, w->t->doc->source, line,
	          "the %s to '%.200s' is kept as text: only http, https and "
	          "mailto addresses are written",
	          cmark_node_get_type(c) == CMARK_NODE_IMAGE ? "image" : "link",
	          s);
	return 0;
}

static void
S_inline(struct walk *w, struct mx_node *parent, cmark_node *c, int depth)
{
	struct mx_tree *t = w->t;
	int line = S_line(w, c);
	struct mx_node *n = NULL;
	const char *lit;

	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_TEXT:
		S_add_literal(w, parent, cmark_node_get_literal(c), line,
		              LIT_TEXT);
		return;
	case CMARK_NODE_SOFTBREAK:
		mx_tree_add_text(t, parent, " ", 1, line);
		return;
	case CMARK_NODE_LINEBREAK:
		mx_node_append(parent,
		               mx_tree_node(t, MX_NODE_LINEBREAK, line));
		return;
	case CMARK_NODE_CODE:
		n = mx_tree_node(t, MX_NODE_CODE, line);
		if (n) {
			n->text = S_literal_copy(w, cmark_node_get_literal(c),
			                         line, LIT_RAW);
			mx_node_append(parent, n);
		}
		return;
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CUSTOM_INLINE:
		lit = cmark_node_get_literal(c);
		if (lit)
			S_add_html(w, parent, lit, line);
		return;
	default:
		break;
	}
	if (depth >= MAX_INLINE_DEPTH) {
		S_flat_text(w, parent, c);
		return;
	}
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_STRONG:
		n = mx_tree_node(t, MX_NODE_STRONG, line);
		break;
	case CMARK_NODE_EMPH:
		n = mx_tree_node(t, MX_NODE_EMPH, line);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (!S_link_kept(w, c, line)) {
			/* Its text stays, where it was. */
			S_inlines(w, parent, cmark_node_first_child(c),
			          depth + 1);
			return;
		}
		n = mx_tree_node(t, MX_NODE_LINK, line);
		if (n)
			n->url = mx_arena_strdup(t->arena, w->clean_buf.data);
		break;
	default:
		S_flat_text(w, parent, c);
		return;
	}
	if (n == NULL)
		return;
	mx_node_append(parent, n);
	S_inlines(w, n, cmark_node_first_child(c), depth + 1);
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
S_inlines(struct walk *w, struct mx_node *parent, cmark_node *first, int depth)
{
	struct mx_node *open = NULL; /* an open <sub>, <i>, ... */
	int tag = -1;

	for (cmark_node *c = first; c != NULL; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE &&
		    depth < MAX_INLINE_DEPTH) {
			const char *lit = cmark_node_get_literal(c);
			int k;
			if (open == NULL && lit &&
			    (k = S_html_tag(lit, 0)) >= 0) {
				open = mx_tree_node(w->t, html_inlines[k].type,
				                    S_line(w, c));
				mx_node_append(parent, open);
				tag = k;
				continue;
			}
			if (open && lit && S_html_tag(lit, 1) == tag) {
				open = NULL;
				continue;
			}
			if (lit && (strcasecmp(lit, "<br>") == 0 ||
			            strcasecmp(lit, "<br/>") == 0 ||
			            strcasecmp(lit, "<br />") == 0)) {
				mx_node_append(open ? open : parent,
				               mx_tree_node(w->t,
				                            MX_NODE_LINEBREAK,
				                            S_line(w, c)));
				continue;
			}
		}
		S_inline(w, open ? open : parent, c, depth + (open != NULL));
	}
}

/* ---------------------------------------------------------------------
 * Blocks
 */

static void S_block(struct walk *w, struct mx_node *parent, cmark_node *c,
                    int depth);

static void
S_blocks(struct walk *w, struct mx_node *parent, cmark_node *first, int depth)
{
	for (cmark_node *c = first; c != NULL; c = cmark_node_next(c))
		S_block(w, parent, c, depth);
}

static struct mx_node *
S_paragraph(struct walk *w, cmark_node *c)
{
	struct mx_tree *t = w->t;
	struct mx_node *p = mx_tree_node(t, MX_NODE_PARAGRAPH, S_line(w, c));
	const struct mx_node *first;

	if (p == NULL)
		return NULL;
	S_inlines(w, p, cmark_node_first_child(c), 0);
	/* CommonMark has no tables: say so rather than print a grid of
	 * pipes without a word. */
	first = p->first_child;
	/* Smart punctuation makes a delimiter row's "---" a dash. */
	if (first && first->type == MX_NODE_TEXT && first->text[0] == '|' &&
	    (strstr(first->text, "|-") || strstr(first->text, "| -") ||
	     strstr(first->text, "|:-") || strstr(first->text, "|\xE2\x80") ||
	     strstr(first->text, "| \xE2\x80") ||
	     strstr(first->text, "|:\xE2\x80")))
		mx_report(t->diag, MX_WARNING, t->doc->source, p->line,
		          "a pipe table is not supported and is kept as text");
	return p;
}

/* An item's first paragraph stays a paragraph at any depth, because the
 * rules read it (labels, questions); its other blocks are one level
 * deeper. */
static void
S_item(struct walk *w, struct mx_node *list, cmark_node *c, int depth)
{
	struct mx_node *item = mx_tree_node(w->t, MX_NODE_ITEM, S_line(w, c));
	cmark_node *first = cmark_node_first_child(c);

	if (item == NULL)
		return;
	mx_node_append(list, item);
	if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		mx_node_append(item, S_paragraph(w, first));
		first = cmark_node_next(first);
	}
	S_blocks(w, item, first, depth + 1);
}

static void
S_list(struct walk *w, struct mx_node *parent, cmark_node *c, int depth)
{
	struct mx_node *list = mx_tree_node(w->t, MX_NODE_LIST, S_line(w, c));

	if (list == NULL)
		return;
	list->ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
	list->start = cmark_node_get_list_start(c);
	if (list->ordered && list->start < 0)
		list->start = 1;
	mx_node_append(parent, list);
	for (cmark_node *ci = cmark_node_first_child(c); ci != NULL;
	     ci = cmark_node_next(ci))
		S_item(w, list, ci, depth);
}

static void
S_code_block(struct walk *w, struct mx_node *parent, cmark_node *c)
{
	struct mx_node *n =
	        mx_tree_node(w->t, MX_NODE_CODE_BLOCK, S_line(w, c));
	const char *lit = cmark_node_get_literal(c);
	size_t len = lit ? strlen(lit) : 0;

	if (n == NULL)
		return;
	while (len > 0 && lit[len - 1] == '\n')
		len--;
	lit = S_clean(w, lit ? lit : "", &len, n->line, LIT_RAW);
	n->text = lit ? mx_arena_strndup(w->t->arena, lit, len) : NULL;
	mx_node_append(parent, n);
}

/* The words of an HTML block, without leading or trailing space from the
 * markup.  A text block without words stays too, where the block was: an
 * item whose first block is one has no label (monograph.c drops it). */
static void
S_html_block(struct walk *w, struct mx_node *parent, cmark_node *c, int line)
{
	struct mx_tree *t = w->t;
	struct mx_node *n = mx_tree_node(t, MX_NODE_TEXT_BLOCK, line);
	const char *lit = cmark_node_get_literal(c);

	if (n == NULL)
		return;
	if (lit)
		S_add_html(w, n, lit, line);
	if (n->first_child && n->first_child->type == MX_NODE_TEXT) {
		struct mx_node *last;
		mx_tree_strip_prefix(t, n, "");
		last = n->last_child;
		if (last && last->type == MX_NODE_TEXT) {
			size_t len = strlen(last->text);
			while (len > 0 && last->text[len - 1] == ' ')
				len--;
			last->text =
			        mx_arena_strndup(t->arena, last->text, len);
		}
	}
	mx_node_append(parent, n);
}

/* A block too deep to keep as structure: a text block of its words. */
static void
S_words(struct walk *w, struct mx_node *parent, cmark_node *c, int line)
{
	struct mx_node *n = mx_tree_node(w->t, MX_NODE_TEXT_BLOCK, line);

	if (n == NULL)
		return;
	S_flat_text(w, n, c);
	mx_node_append(parent, n);
}

static void
S_block(struct walk *w, struct mx_node *parent, cmark_node *c, int depth)
{
	struct mx_tree *t = w->t;
	struct mx_node *n;
	int line = S_line(w, c);

	if (depth >= MX_MAX_NESTING) {
		S_words(w, parent, c, line);
		return;
	}
	switch (cmark_node_get_type(c)) {
	case CMARK_NODE_PARAGRAPH:
		mx_node_append(parent, S_paragraph(w, c));
		return;
	case CMARK_NODE_HEADING:
		n = mx_tree_node(t, MX_NODE_HEADING, line);
		if (n == NULL)
			return;
		n->level = cmark_node_get_heading_level(c);
		S_inlines(w, n, cmark_node_first_child(c), 0);
		mx_node_append(parent, n);
		return;
	case CMARK_NODE_LIST:
		S_list(w, parent, c, depth);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		n = mx_tree_node(t, MX_NODE_BLOCKQUOTE, line);
		if (n == NULL)
			return;
		mx_node_append(parent, n);
		S_blocks(w, n, cmark_node_first_child(c), depth + 1);
		return;
	case CMARK_NODE_CODE_BLOCK:
		S_code_block(w, parent, c);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		mx_node_append(parent,
		               mx_tree_node(t, MX_NODE_THEMATIC_BREAK, line));
		return;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_CUSTOM_BLOCK:
		S_html_block(w, parent, c, line);
		return;
	default:
		/* cmark puts no other block here; should it one day, its
		 * words stay. */
		S_words(w, parent, c, line);
		return;
	}
}

/* ---------------------------------------------------------------------
 * cmark's memory
 *
 * cmark allocates every node and buffer on its own and frees each one.
 * During one parse its memory comes from an arena instead (util.c's, the
 * kind that holds the document), freed whole after the walk, so that
 * parsing costs a few mallocs instead of a malloc/free pair per node.
 *
 * It is not the document's own arena, which frees nothing before
 * mx_document_free(): cmark's parse takes more memory than the tree made
 * from it (46 KB against 36 KB for the average monograph of the corpus,
 * 91 MB against 60 MB for an 11 MB input), and the document would keep it
 * all while the backends render; for that input the peak grew from 148 to
 * 194 MB, for no instruction saved.
 *
 * cmark's allocator takes no context, so the arena of the parse under way
 * is a per-thread variable.  Each allocation keeps its size before it, for
 * realloc.
 */
static _Thread_local struct mx_arena *cmark_arena;

static void *
S_cmark_calloc(size_t count, size_t size)
{
	size_t *p, n = size;

	/* cmark asks for one node, or one buffer, at a time, and one needs
	 * no check of the product; for more, count > SIZE_MAX / size is an
	 * overflow test compilers make without dividing (this runs for
	 * every node of every parse). */
	if (count != 1) {
		if (size != 0 && count > SIZE_MAX / size)
			return NULL;
		n = count * size;
	}
	if (n > SIZE_MAX - sizeof(size_t))
		return NULL;
	p = mx_arena_alloc(cmark_arena, sizeof(size_t) + n);
	if (p == NULL)
		return NULL;
	*p = n;
	return p + 1;
}

static void *
S_cmark_realloc(void *old, size_t size)
{
	size_t *p = old ? (size_t *)old - 1 : NULL;
	size_t had = p ? *p : 0;

	if (p && size <= had)
		return old;
	if (size > SIZE_MAX - sizeof(size_t))
		return NULL;
	p = mx_arena_grow(cmark_arena, p, p ? sizeof(size_t) + had : 0,
	                  sizeof(size_t) + size);
	if (p == NULL)
		return NULL;
	*p = size;
	return p + 1;
}

static void
S_cmark_free(void *p)
{
	(void)p; /* the arena is freed after the walk */
}

static cmark_mem cmark_arena_mem = {S_cmark_calloc, S_cmark_realloc,
                                    S_cmark_free};

int
mx_markdown_read(struct mx_tree *t, struct mx_node *root, const char *data,
                 size_t len, int first_line)
{
	struct walk w = {.t = t,
	                 .line_offset = first_line - 1,
	                 .data = data,
	                 .len = len,
	                 .warned_line = -1};
	cmark_parser *parser;
	cmark_node *doc = NULL;

	w.clean = S_may_bring_bad_chars(data, len);
	cmark_arena = mx_arena_new();
	if (cmark_arena == NULL)
		return -1;
	parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT | CMARK_OPT_SMART,
	                                   &cmark_arena_mem);
	if (parser != NULL) {
		cmark_parser_feed(parser, data, len);
		doc = cmark_parser_finish(parser);
		cmark_parser_free(parser);
	}
	if (doc != NULL)
		S_blocks(&w, root, cmark_node_first_child(doc), 0);
	if (w.bad_chars > MAX_WARNINGS)
		mx_report(t->diag, MX_WARNING, t->doc->source, 0,
		          "U+FFFD replaced %zu more character%s that no output "
		          "may carry",
		          w.bad_chars - MAX_WARNINGS,
		          w.bad_chars - MAX_WARNINGS == 1 ? "" : "s");
	if (w.links_as_text > MAX_WARNINGS)
		mx_report(t->diag, MX_WARNING, t->doc->source, 0,
		          "%zu more link%s kept as text (only http, https "
		          "and mailto addresses are written)",
		          w.links_as_text - MAX_WARNINGS,
		          w.links_as_text - MAX_WARNINGS == 1 ? " was"
		                                              : "s were");
	mx_arena_free(cmark_arena);
	cmark_arena = NULL;
	free(w.line_start);
	mx_buf_free(&w.clean_buf);
	mx_buf_free(&w.html);
	return doc == NULL || t->failed ? -1 : 0;
}
