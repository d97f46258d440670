/*
 * source.c - the checks that read the Markdown source text, line by line.
 * The tree does not keep what they need: a section's level is its depth
 * in the tree, not the number of '#' it was written with; a pipe table is
 * kept as a paragraph of text; an image becomes a link; raw HTML tags are
 * dropped, keeping their words.  Reading the source here costs one pass
 * over its lines and leaves the reader (src/read/) as it is.
 *
 * The scan follows CommonMark as far as these checks need: fenced code
 * blocks are skipped, a line indented by four or more spaces (outside a
 * list) is code, and code spans are skipped within a line.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "lint/lint.h"

/* Inline tags the reader keeps (src/read/markdown.c): their meaning is
 * rendered, not dropped. */
static const char *const kept_tags[] = {"sub", "sup", "b",  "strong",
                                        "i",   "em",  "br", NULL};

struct scan {
	struct lint *l;
	int in_fence;
	char fence_char;
	size_t fence_len;
	int last_level; /* the previous ATX heading's level; 0: none */
	int title_seen; /* the title's H1 has been passed */
	int table_line; /* the line of the last table reported */
};

static size_t
S_indent(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	return i;
}

/* A fence opens or closes: three or more backticks or tildes. */
static int
S_fence(struct scan *sc, const char *s, size_t len)
{
	size_t i = S_indent(s, len), n = 0;
	char c;

	if (i > 3 || i >= len || (s[i] != '`' && s[i] != '~'))
		return 0;
	c = s[i];
	while (i + n < len && s[i + n] == c)
		n++;
	if (n < 3)
		return 0;
	if (!sc->in_fence) {
		sc->in_fence = 1;
		sc->fence_char = c;
		sc->fence_len = n;
		return 1;
	}
	if (c == sc->fence_char && n >= sc->fence_len &&
	    S_indent(s + i + n, len - i - n) == len - i - n) {
		sc->in_fence = 0;
		return 1;
	}
	return 0;
}

/* The level of an ATX heading ("### Usage"), or 0. */
static int
S_atx_level(const char *s, size_t len)
{
	size_t i = S_indent(s, len);
	int level = 0;

	if (i > 3)
		return 0;
	while (i < len && s[i] == '#' && level < 7) {
		i++;
		level++;
	}
	if (level == 0 || level > 6 || (i < len && s[i] != ' ' && s[i] != '\t'))
		return 0;
	return level;
}

/* heading-jump: a heading more than one level below the one before it.
 * The first heading after the title may be at any level: the corpus
 * writes "# Title" then "### Usage", and that is its convention, not a
 * skipped level. */
static void
S_heading_jump(struct scan *sc, int line, int level)
{
	if (level == 1 && !sc->title_seen) {
		sc->title_seen = 1;
		sc->last_level = 0;
		return;
	}
	if (sc->last_level > 0 && level > sc->last_level + 1)
		mx_lint_finding(
		        sc->l, CHECK_HEADING_JUMP, line, 1,
		        "a level-%d heading after a level-%d heading (line "
		        "%d skips level %d)",
		        level, sc->last_level, line, sc->last_level + 1);
	sc->last_level = level;
}

/* A table's delimiter row: "|---|:--:|" or "--- | ---". */
static int
S_delimiter_row(const char *s, size_t len)
{
	int pipes = 0, dashes = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '|')
			pipes++;
		else if (c == '-')
			dashes++;
		else if (c != ':' && c != ' ' && c != '\t')
			return 0;
	}
	return pipes > 0 && dashes >= 3;
}

static void
S_table(struct scan *sc, int line, const char *s, size_t len)
{
	size_t next_len;
	const char *next = mx_lint_line(sc->l, line + 1, &next_len);
	const char *bar = memchr(s, '|', len);

	if (bar == NULL || next == NULL || !S_delimiter_row(next, next_len) ||
	    sc->table_line == line)
		return;
	sc->table_line = line;
	mx_lint_finding(sc->l, CHECK_UNSUPPORTED_MARKUP, line,
	                mx_lint_column(sc->l, line, S_indent(s, len)),
	                "a pipe table is not supported: it prints as lines of "
	                "text with '|' (use a list)");
}

/* The name of the tag at s[0] == '<' (letters and digits, lower case),
 * and whether it closes; 0 when it is not a tag. */
static size_t
S_tag_name(const char *s, size_t len, char *name, size_t size, int *closing)
{
	size_t i = 1, n = 0;

	*closing = i < len && s[i] == '/';
	i += (size_t)*closing;
	if (i >= len || !isalpha((unsigned char)s[i]))
		return 0;
	while (i < len && isalnum((unsigned char)s[i]) && n + 1 < size)
		name[n++] = (char)tolower((unsigned char)s[i++]);
	name[n] = '\0';
	/* A tag ends its name with a space, '/' or '>'; "<https:" and
	 * "<5 mg" are not tags. */
	if (i >= len || (s[i] != '>' && s[i] != ' ' && s[i] != '/'))
		return 0;
	return n;
}

static int
S_kept_tag(const char *name, const char *s, size_t len, int closing)
{
	for (int k = 0; kept_tags[k]; k++) {
		if (strcmp(name, kept_tags[k]) != 0)
			continue;
		/* The reader keeps "<sub>" exactly; "<sub class=x>" loses
		 * its meaning.  <br> in every form is a line break. */
		if (strcmp(name, "br") == 0)
			return 1;
		size_t n = strlen(name) + 1 + (size_t)closing;
		return n < len && s[n] == '>';
	}
	return 0;
}

/* Images and raw HTML on one line, outside code spans; one finding for
 * each kind on a line. */
static void
S_inline_markup(struct scan *sc, int line, const char *s, size_t len)
{
	int image = 0, html = 0;

	for (size_t i = 0; i < len; i++) {
		char name[16];
		int closing;

		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '`') {
			size_t n = 0, j;
			while (i + n < len && s[i + n] == '`')
				n++;
			/* the matching run of as many backticks */
			for (j = i + n; j < len; j++) {
				size_t m = 0;
				while (j + m < len && s[j + m] == '`')
					m++;
				if (m == n)
					break;
				j += m;
			}
			i = j < len ? j + n - 1 : i + n - 1;
			continue;
		}
		if (!image && s[i] == '!' && i + 1 < len && s[i + 1] == '[' &&
		    memchr(s + i, ']', len - i)) {
			image = 1;
			mx_lint_finding(sc->l, CHECK_UNSUPPORTED_MARKUP, line,
			                mx_lint_column(sc->l, line, i),
			                "an image is not supported: only its "
			                "description is kept, as a link");
		}
		if (html || s[i] != '<')
			continue;
		if (i + 3 < len && strncmp(s + i, "<!--", 4) == 0) {
			html = 1;
			mx_lint_finding(
			        sc->l, CHECK_UNSUPPORTED_MARKUP, line,
			        mx_lint_column(sc->l, line, i),
			        "an HTML comment: it is dropped, with its "
			        "text");
			continue;
		}
		if (S_tag_name(s + i, len - i, name, sizeof(name), &closing) ==
		            0 ||
		    S_kept_tag(name, s + i, len - i, closing))
			continue;
		html = 1;
		mx_lint_finding(sc->l, CHECK_UNSUPPORTED_MARKUP, line,
		                mx_lint_column(sc->l, line, i),
		                "raw HTML <%s%s> is dropped (its text is kept)",
		                closing ? "/" : "", name);
	}
}

/* Where the Markdown body starts: after the front matter. */
static int
S_body_line(const struct lint *l)
{
	size_t len;
	const char *s = mx_lint_line(l, 1, &len);

	if (s == NULL || len != 3 || memcmp(s, "---", 3) != 0)
		return 1;
	for (int line = 2; line <= l->nlines; line++) {
		s = mx_lint_line(l, line, &len);
		if (len == 3 &&
		    (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
			return line + 1;
	}
	return 1;
}

void
mx_lint_check_source(struct lint *l)
{
	struct scan sc = {.l = l};

	for (int line = S_body_line(l); line <= l->nlines; line++) {
		size_t len;
		const char *s = mx_lint_line(l, line, &len);
		int level;

		if (S_fence(&sc, s, len) || sc.in_fence)
			continue;
		if ((level = S_atx_level(s, len)) > 0)
			S_heading_jump(&sc, line, level);
		S_table(&sc, line, s, len);
		S_inline_markup(&sc, line, s, len);
	}
}
