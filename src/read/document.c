/*
 * document.c - mx_document_parse(): a monograph from the bytes of its
 * source.  It checks the input, reads the front matter (frontmatter.c),
 * then the Markdown body into a Markdown tree (markdown.c), from which the
 * monograph rules make the monograph tree (monograph.c).  It also gives the
 * document its identity (the id) and provenance (the source as outputs
 * name it, the SHA-256 of the input's bytes, the language).  Everything
 * lives in the document's arena, freed by mx_document_free().
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/support.h"
#include "read/read.h"

/* An id: lower case letters, digits, '-', '_' and '.', starting with a
 * letter (the JSON schema's pattern; an NCName for the XML's).  Anything
 * else in `s` (`len` bytes)
 * becomes '-', and "m-" is put before an id that does not start with a
 * letter. */
static char *
S_id_from(struct mx_arena *arena, const char *s, size_t len)
{
	char *id = mx_arena_strndup(arena, s, len);
	size_t i;

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

/* The file name of `source` ("x.md" for "a/x.md"); "<stdin>" for
 * standard input. */
static const char *
S_file_name(const char *source)
{
	const char *base = strrchr(source, '/');

	if (strcmp(source, "-") == 0 || strcmp(source, "<stdin>") == 0)
		return "<stdin>";
	return base ? base + 1 : source;
}

/* The file's stem: its name without the extension ".md" or ".markdown";
 * "stdin" for standard input. */
static const char *
S_stem(const char *source, size_t *len)
{
	const char *base = S_file_name(source);
	size_t n;

	if (strcmp(base, "<stdin>") == 0)
		base = "stdin";
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	else if (n > 9 && strcmp(base + n - 9, ".markdown") == 0)
		n -= 9;
	*len = n;
	return base;
}

/* The scalar value of front matter key `key`, or NULL (with a warning
 * when it is there but not a scalar). */
static const struct mx_meta *
S_scalar_meta(const struct mx_document *doc, const char *key,
              const struct mx_diag *diag)
{
	for (size_t i = 0; i < doc->meta_count; i++) {
		const struct mx_meta *m = &doc->meta[i];
		if (m->repeated || strcmp(m->key, key) != 0)
			continue;
		if (m->type == MX_META_SCALAR)
			return m;
		mx_report(diag, MX_WARNING, doc->source, m->line,
		          "front matter '%s' is a %s, not a single value; it "
		          "is ignored",
		          key, m->type == MX_META_LIST ? "list" : "mapping");
		return NULL;
	}
	return NULL;
}

/* The id: the front matter's `id` when given (made an id, with a warning,
 * when it is not one), else the file's stem.  It never depends on which
 * other files are converted: a feed refuses two monographs of one id. */
static const char *
S_make_id(struct mx_document *doc, const char *source,
          const struct mx_diag *diag)
{
	const struct mx_meta *m = S_scalar_meta(doc, "id", diag);
	const char *stem;
	char *id;
	size_t n;

	if (m != NULL && m->value[0] != '\0') {
		id = S_id_from(doc->arena, m->value, strlen(m->value));
		if (id != NULL && strcmp(id, m->value) != 0)
			mx_report(diag, MX_WARNING, doc->source, m->line,
			          "front matter id '%s' is not an id (lower "
			          "case letters, digits, '-', '_' and '.', "
			          "starting with a letter); the id is '%s'",
			          m->value, id);
		return id;
	}
	if (m != NULL)
		mx_report(diag, MX_WARNING, doc->source, m->line,
		          "front matter id is empty; the id comes from the "
		          "file name");
	stem = S_stem(source, &n);
	return S_id_from(doc->arena, stem, n);
}

/* The language: the front matter's `lang` when it is a BCP 47 tag, else
 * "en" (with a warning when it is there). */
static const char *
S_make_lang(struct mx_document *doc, const struct mx_diag *diag)
{
	const struct mx_meta *m = S_scalar_meta(doc, "lang", diag);

	if (m == NULL)
		return "en";
	if (mx_lang_tag_valid(m->value))
		return m->value;
	mx_report(diag, MX_WARNING, doc->source, m->line,
	          "front matter lang '%s' is not a language tag (BCP 47, "
	          "such as 'en' or 'de-CH'); the language is 'en'",
	          m->value);
	return "en";
}

/* `s` in the arena, with each byte that is not UTF-8 (a file name in
 * Latin-1) and each character no output may carry replaced by U+FFFD. */
static const char *
S_valid_text(struct mx_arena *arena, const char *s, struct mx_buf *buf)
{
	struct mx_clean c;
	size_t len = strlen(s);
	const char *t = mx_text_clean(s, &len, buf, &c);

	return t ? mx_arena_strndup(arena, t, len) : NULL;
}

/* The source as the outputs name it: a file name that is not UTF-8 (in
 * Latin-1, say) has U+FFFD for each byte that is not, with a warning. */
static const char *
S_source_name(struct mx_arena *arena, const char *s, struct mx_buf *buf,
              const char *source, const struct mx_diag *diag)
{
	struct mx_clean c;
	size_t len = strlen(s);
	const char *t = mx_text_clean(s, &len, buf, &c);

	if (t == NULL)
		return NULL;
	if (c.replaced > 0)
		mx_report(diag, MX_WARNING, source, 0,
		          "the file name is not UTF-8; U+FFFD stands for %zu "
		          "byte%s of it in the outputs",
		          c.replaced, c.replaced == 1 ? "" : "s");
	return mx_arena_strndup(arena, t, len);
}

/* Whether `s` holds nothing but white space. */
static int
S_blank(const char *s)
{
	while (*s && strchr(" \t\r\n\f\v", *s))
		s++;
	return *s == '\0';
}

/* Decreases the level of the sections of a subtree by one. */
static void
S_raise(struct mx_node *n)
{
	for (; n != NULL; n = n->next)
		if (n->type == MX_NODE_SECTION) {
			n->level--;
			S_raise(n->first_child);
		}
}

/* A heading with no text ("###" alone, "**:**") opens no section: no
 * output could name it (the schemas refuse an empty heading).  Its blocks
 * join the section before it (the deepest last one), or stay where it
 * was when there is none; its sub-sections take its place, a level up. */
static void
S_dissolve_empty_sections(struct mx_node *parent, const struct mx_diag *diag,
                          const char *source)
{
	struct mx_node *n = parent->first_child, *next;

	for (; n != NULL; n = next) {
		struct mx_node *prev, *to, *c, *cnext;

		next = n->next;
		if (n->type != MX_NODE_SECTION)
			continue;
		if (n->text != NULL && !S_blank(n->text)) {
			S_dissolve_empty_sections(n, diag, source);
			continue;
		}
		mx_report(diag, MX_WARNING, source, n->line,
		          "a heading with no text opens no section; what "
		          "follows it stays with the text before it");
		S_dissolve_empty_sections(n, diag, source);
		for (prev = n->prev; prev && prev->type != MX_NODE_SECTION;
		     prev = prev->prev)
			;
		to = prev;
		while (to && to->last_child &&
		       to->last_child->type == MX_NODE_SECTION)
			to = to->last_child;
		for (c = n->first_child; c != NULL; c = cnext) {
			cnext = c->next;
			mx_node_unlink(c);
			if (c->type == MX_NODE_SECTION) {
				S_raise(c);
				c->parent = parent;
				c->prev = n->prev;
				c->next = n;
				if (n->prev)
					n->prev->next = c;
				else
					parent->first_child = c;
				n->prev = c;
			} else if (to != NULL) {
				mx_node_append(to, c);
			} else {
				c->parent = parent;
				c->prev = n->prev;
				c->next = n;
				if (n->prev)
					n->prev->next = c;
				else
					parent->first_child = c;
				n->prev = c;
			}
		}
		mx_node_unlink(n);
	}
}

/* A title that no output could carry (a "# " heading with no text, a
 * front matter title of spaces) is replaced: by the front matter's title,
 * else by the file name, with a warning.  A file name that is not UTF-8
 * is repaired. */
static int
S_check_title(struct mx_document *doc, struct mx_buf *buf,
              const struct mx_diag *diag)
{
	const char *t = doc->title, *fm;
	size_t n;

	if (t != NULL && !S_blank(t))
		return (doc->title = S_valid_text(doc->arena, t, buf)) ? 0 : -1;
	fm = mx_document_meta(doc, "title");
	if (fm != NULL && !S_blank(fm)) {
		doc->title = fm;
		mx_report(diag, MX_WARNING, doc->source, doc->title_line,
		          "the title heading is empty; the title is the front "
		          "matter's");
		return 0;
	}
	t = S_stem(doc->source, &n);
	mx_report(diag, MX_WARNING, doc->source, doc->title_line,
	          "the title is empty; the title is the file name");
	t = mx_arena_strndup(doc->arena, t, n);
	doc->title = t ? S_valid_text(doc->arena, t, buf) : NULL;
	return doc->title ? 0 : -1;
}

struct mx_document *
mx_document_parse_as(const char *data, size_t len, const char *source,
                     const char *relative, const struct mx_diag *diag)
{
	struct mx_tree t;
	struct mx_node markdown = {.type = MX_NODE_DOCUMENT};
	struct mx_document *doc;
	struct mx_arena *arena;
	size_t body = 0;
	int body_line = 1, status;
	char sha[MX_SHA256_HEX];

	if (mx_input_check(data, len, source, diag) != 0)
		return NULL;
	/* The hash is of the file's bytes as they are, a byte order mark
	 * included: what a partner can compute from the file. */
	mx_sha256_hex(data, len, sha);
	/* A byte order mark, as some Windows editors write, is not text. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	arena = mx_arena_new();
	if (arena == NULL)
		goto oom;
	memset(&t, 0, sizeof(t));
	doc = mx_arena_alloc(arena, sizeof(*doc));
	if (doc == NULL)
		goto oom;
	doc->arena = arena;
	doc->source = mx_arena_strdup(arena, source);
	doc->relative =
	        S_source_name(arena, relative ? relative : S_file_name(source),
	                      &t.scratch, source, diag);
	doc->sha256 = mx_arena_strdup(arena, sha);
	doc->root = mx_arena_alloc(arena, sizeof(struct mx_node));
	if (!doc->source || !doc->relative || !doc->sha256 || !doc->root)
		goto oom;
	doc->root->type = MX_NODE_DOCUMENT;
	doc->root->line = 1;
	if (mx_frontmatter_parse(doc, data, len, &body, &body_line, diag) !=
	    0) {
		mx_buf_free(&t.scratch);
		mx_arena_free(arena);
		return NULL;
	}
	doc->id = S_make_id(doc, source, diag);
	doc->lang = S_make_lang(doc, diag);
	if (doc->id == NULL)
		goto oom;

	t.doc = doc;
	t.arena = arena;
	t.diag = diag;
	status = mx_markdown_read(&t, &markdown, data + body, len - body,
	                          body_line);
	if (status == 0)
		status = mx_monograph_build(&t, &markdown);
	if (status == 0) {
		S_dissolve_empty_sections(doc->root, diag, doc->source);
		status = S_check_title(doc, &t.scratch, diag);
	}
	mx_buf_free(&t.scratch);
	if (status != 0)
		goto oom;
	return doc;
oom:
	mx_buf_free(&t.scratch);
	mx_report(diag, MX_ERROR, source, 0, "out of memory");
	mx_arena_free(arena);
	return NULL;
}

char *
mx_document_id_of(const char *data, size_t len, const char *source)
{
	struct mx_document doc = {.source = source};
	size_t body;
	int body_line;
	char *id = NULL;

	if (mx_input_check(data, len, source, NULL) != 0)
		return NULL;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	doc.arena = mx_arena_new();
	if (doc.arena == NULL)
		return NULL;
	if (mx_frontmatter_parse(&doc, data, len, &body, &body_line, NULL) ==
	    0) {
		const char *s = S_make_id(&doc, source, NULL);
		id = s ? strdup(s) : NULL;
	}
	mx_arena_free(doc.arena);
	return id;
}

struct mx_document *
mx_document_parse(const char *data, size_t len, const char *source,
                  const struct mx_diag *diag)
{
	return mx_document_parse_as(data, len, source, NULL, diag);
}

const char *
mx_document_lang(const struct mx_document *doc)
{
	return doc->lang != NULL ? doc->lang : "en";
}

void
mx_document_free(struct mx_document *doc)
{
	if (doc)
		mx_arena_free(doc->arena);
}
