/*
 * document.c - mx_document_parse(): a monograph from the bytes of its
 * source.  It checks the input, reads the front matter (frontmatter.c),
 * then the Markdown body into a Markdown tree (markdown.c), from which the
 * monograph rules make the monograph tree (monograph.c).  Everything lives
 * in the document's arena, freed by mx_document_free().
 */
#include <ctype.h>
#include <string.h>

#include "read/read.h"

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

struct mx_document *
mx_document_parse(const char *data, size_t len, const char *source,
                  const struct mx_diag *diag)
{
	struct mx_tree t;
	struct mx_node markdown = {.type = MX_NODE_DOCUMENT};
	struct mx_document *doc;
	struct mx_arena *arena;
	size_t body = 0;
	int body_line = 1, status;

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

	memset(&t, 0, sizeof(t));
	t.doc = doc;
	t.arena = arena;
	t.diag = diag;
	status = mx_markdown_read(&t, &markdown, data + body, len - body,
	                          body_line);
	if (status == 0)
		status = mx_monograph_build(&t, &markdown);
	mx_buf_free(&t.scratch);
	if (status != 0)
		goto oom;
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
