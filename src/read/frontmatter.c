/*
 * frontmatter.c - Jekyll-style YAML front matter, read with libyaml.
 *
 * The front matter is the block between a first line "---" and the next
 * line "---" (or "...").  It is a mapping of keys to values, and each
 * value keeps its structure (struct mx_meta): a scalar as written, a list
 * its items, a mapping its entries, to any depth; each also has its text
 * (a list's items joined with ", ", a mapping's "key: value" pairs with
 * "; "), which is what mx_document_meta() gives.  A key given twice in one
 * mapping is a warning: the first is used, the repeated one is marked and
 * no output writes it.  Aliases are kept as their names ("*name") and
 * never expanded, so an alias bomb costs nothing.
 *
 * A block that is not a mapping ("---\nFoo\n---\nBar": to CommonMark a
 * thematic break and a setext heading) is not front matter: the whole file
 * is read as Markdown, with a warning.  Invalid YAML is an error.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "medexport.h"
#include "core/private.h"
#include "core/support.h"

#define MAX_META       256
#define MAX_YAML_DEPTH 32
/* Mappings with more keys than this find repeated keys with a set. */
#define LINEAR_KEYS 32

struct fm_reader {
	yaml_parser_t parser;
	yaml_event_t event;
	struct mx_document *doc;
	const char *source;
	int first_line; /* line of the first YAML line in the file */
	const struct mx_diag *diag;
	struct mx_buf text;  /* a value's text being joined */
	struct mx_buf clean; /* a scalar with bad characters replaced */
	int oom;
};

static int
S_line(const struct fm_reader *r)
{
	return r->first_line + (int)r->event.start_mark.line;
}

static int
S_next(struct fm_reader *r)
{
	yaml_event_delete(&r->event);
	if (!yaml_parser_parse(&r->parser, &r->event)) {
		mx_report(r->diag, MX_ERROR, r->source,
		          r->first_line + (int)r->parser.problem_mark.line,
		          "front matter is not valid YAML: %s",
		          r->parser.problem ? r->parser.problem : "error");
		r->event.type = YAML_NO_EVENT;
		return -1;
	}
	return 0;
}

/* A scalar's text in the arena, with the characters no output may carry
 * (a "\uFFFE" escape) replaced by U+FFFD. */
static const char *
S_scalar(struct fm_reader *r, const char *s, size_t len)
{
	struct mx_clean c;
	const char *t = mx_text_clean(s, &len, &r->clean, &c);

	if (t == NULL)
		return NULL;
	if (c.replaced > 0) {
		if (c.first < 0)
			mx_report(r->diag, MX_WARNING, r->source, S_line(r),
			          "front matter value is not UTF-8; replaced "
			          "by U+FFFD");
		else
			mx_report(r->diag, MX_WARNING, r->source, S_line(r),
			          "front matter value holds U+%04X, which is "
			          "not a character; replaced by U+FFFD",
			          (unsigned)c.first);
	}
	return mx_arena_strndup(r->doc->arena, t, len);
}

static int S_value(struct fm_reader *r, struct mx_meta *m, int depth);

/* The entries of a list or mapping, gathered before they go into the
 * arena in one piece. */
struct entries {
	struct mx_meta *e;
	size_t count, cap;
	struct mx_strset keys; /* a mapping's keys, once it has many */
};

static struct mx_meta *
S_entry(struct entries *es)
{
	if (es->count == es->cap) {
		size_t cap = es->cap ? 2 * es->cap : 8;
		struct mx_meta *e = realloc(es->e, cap * sizeof(*e));
		if (e == NULL)
			return NULL;
		es->e = e;
		es->cap = cap;
	}
	memset(&es->e[es->count], 0, sizeof(es->e[0]));
	return &es->e[es->count++];
}

/* Whether an earlier entry of the mapping has the key of its last entry;
 * *first is then that entry. */
static int
S_repeated(struct entries *es, const struct mx_meta **first, int *oom)
{
	const struct mx_meta *m = &es->e[es->count - 1];
	const void *old = NULL;
	int rc;

	if (es->count <= LINEAR_KEYS) {
		for (size_t i = 0; i + 1 < es->count; i++)
			if (!es->e[i].repeated &&
			    strcmp(es->e[i].key, m->key) == 0) {
				*first = &es->e[i];
				return 1;
			}
		return 0;
	}
	/* Many keys: a set of them, by their index + 1 (the array moves). */
	if (es->keys.count == 0)
		for (size_t i = 0; i + 1 < es->count; i++)
			if (!es->e[i].repeated &&
			    mx_strset_add(&es->keys, es->e[i].key,
			                  (const void *)(uintptr_t)(i + 1),
			                  NULL) < 0)
				*oom = 1;
	rc = mx_strset_add(&es->keys, m->key,
	                   (const void *)(uintptr_t)es->count, &old);
	if (rc < 0)
		*oom = 1;
	if (rc != 0)
		return 0;
	*first = &es->e[(uintptr_t)old - 1];
	return 1;
}

/* Appends a value's text to `out`: a list's items joined with ", ", a
 * mapping's "key: value" pairs with "; ". */
static int
S_join(struct mx_buf *out, const struct mx_meta *m)
{
	size_t written = 0;

	if (m->type == MX_META_SCALAR)
		return mx_buf_puts(out, m->value);
	for (size_t i = 0; i < m->count; i++) {
		const struct mx_meta *it = &m->items[i];
		if (it->repeated)
			continue;
		if (written++ > 0 &&
		    mx_buf_puts(out, m->type == MX_META_LIST ? ", " : "; ") !=
		            0)
			return -1;
		if (m->type == MX_META_MAP && (mx_buf_puts(out, it->key) != 0 ||
		                               mx_buf_puts(out, ": ") != 0))
			return -1;
		if (mx_buf_puts(out, it->value) != 0)
			return -1;
	}
	return 0;
}

/* Reads the entries of the list or mapping whose start event is current,
 * up to its end event. */
static int
S_collection(struct fm_reader *r, struct mx_meta *m, int depth)
{
	struct entries es = {0};
	int map = r->event.type == YAML_MAPPING_START_EVENT;
	int rc = -1;

	m->type = map ? MX_META_MAP : MX_META_LIST;
	for (;;) {
		struct mx_meta key = {0}, *e;
		const struct mx_meta *first;
		int line;

		if (S_next(r) != 0)
			goto done;
		if (r->event.type ==
		    (map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT))
			break;
		line = S_line(r);
		if (map) {
			if (S_value(r, &key, depth + 1) != 0 || S_next(r) != 0)
				goto done;
		}
		if ((e = S_entry(&es)) == NULL)
			goto oom;
		e->line = line;
		if (S_value(r, e, depth + 1) != 0)
			goto done;
		if (!map)
			continue;
		e->key = key.value;
		if (e->key[0] == '\0') {
			mx_report(r->diag, MX_WARNING, r->source, line,
			          "front matter key is empty; the entry is "
			          "left out");
			es.count--;
			continue;
		}
		if (S_repeated(&es, &first, &r->oom)) {
			e->repeated = 1;
			mx_report(r->diag, MX_WARNING, r->source, line,
			          "front matter key '%s' is repeated (first at "
			          "line %d, whose value is used)",
			          e->key, first->line);
		}
		if (r->oom)
			goto oom;
	}
	if (es.count > 0) {
		struct mx_meta *items = mx_arena_alloc(
		        r->doc->arena, es.count * sizeof(*items));
		if (items == NULL)
			goto oom;
		memcpy(items, es.e, es.count * sizeof(*items));
		m->items = items;
		m->count = es.count;
	}
	/* The front matter's own mapping needs no text. */
	r->text.len = 0;
	if (depth == 0)
		m->value = "";
	else if (S_join(&r->text, m) != 0 ||
	         (m->value = mx_arena_strndup(r->doc->arena,
	                                      r->text.data ? r->text.data : "",
	                                      r->text.len)) == NULL)
		goto oom;
	rc = 0;
	goto done;
oom:
	r->oom = 1;
done:
	free(es.e);
	mx_strset_clear(&es.keys);
	return rc;
}

/* Reads the current value (scalar, alias, list or mapping) into *m and
 * leaves the reader on the value's last event. */
static int
S_value(struct fm_reader *r, struct mx_meta *m, int depth)
{
	if (depth > MAX_YAML_DEPTH) {
		mx_report(r->diag, MX_ERROR, r->source, S_line(r),
		          "front matter is nested too deeply");
		return -1;
	}
	m->type = MX_META_SCALAR;
	switch (r->event.type) {
	case YAML_SCALAR_EVENT:
		/* A "\0" escape: every use of the value would end there. */
		if (memchr(r->event.data.scalar.value, '\0',
		           r->event.data.scalar.length) != NULL) {
			mx_report(r->diag, MX_ERROR, r->source, S_line(r),
			          "front matter value holds a NUL character");
			return -1;
		}
		m->value = S_scalar(r, (const char *)r->event.data.scalar.value,
		                    r->event.data.scalar.length);
		break;
	case YAML_ALIAS_EVENT: {
		const char *a = (const char *)r->event.data.alias.anchor;
		size_t n = strlen(a);
		char *v = mx_arena_alloc(r->doc->arena, n + 2);
		if (v != NULL) {
			v[0] = '*';
			memcpy(v + 1, a, n + 1);
		}
		m->value = v;
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (S_collection(r, m, depth) != 0) {
			if (r->oom)
				mx_report(r->diag, MX_ERROR, r->source, 0,
				          "out of memory");
			return -1;
		}
		break;
	default:
		m->value = "";
		break;
	}
	if (m->value == NULL) {
		mx_report(r->diag, MX_ERROR, r->source, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* Finds the end of the front matter: the offset of the closing line and
 * the offset just past it.  Returns -1 when it is not closed. */
static int
S_find_end(const char *data, size_t len, size_t *yaml_end, size_t *body,
           int *body_line)
{
	size_t pos = 0;
	int line = 1;

	while (pos < len && data[pos] != '\n')
		pos++;
	pos++;
	line++;
	while (pos < len) {
		size_t eol = pos;

		while (eol < len && data[eol] != '\n')
			eol++;
		size_t n = eol - pos;
		if (n > 0 && data[pos + n - 1] == '\r')
			n--;
		if ((n == 3 && memcmp(data + pos, "---", 3) == 0) ||
		    (n == 3 && memcmp(data + pos, "...", 3) == 0)) {
			*yaml_end = pos;
			*body = eol < len ? eol + 1 : eol;
			*body_line = line + 1;
			return 0;
		}
		pos = eol + 1;
		line++;
	}
	return -1;
}

/* Reads the document's mapping into doc->meta.  Returns 0, 1 when the
 * YAML is not a mapping, or -1 after reporting an error. */
static int
S_read(struct fm_reader *r)
{
	struct mx_document *doc = r->doc;
	struct mx_meta top = {0};

	/* stream start, then maybe a document */
	if (S_next(r) != 0 || S_next(r) != 0)
		return -1;
	if (r->event.type == YAML_STREAM_END_EVENT)
		return 0; /* empty front matter */
	if (S_next(r) != 0)
		return -1;
	if (r->event.type == YAML_SCALAR_EVENT &&
	    r->event.data.scalar.length == 0)
		return 0; /* "---\n---": nothing inside */
	if (r->event.type != YAML_MAPPING_START_EVENT)
		return 1;
	if (S_value(r, &top, 0) != 0)
		return -1;
	if (top.count > MAX_META) {
		mx_report(r->diag, MX_ERROR, r->source,
		          top.items[MAX_META].line,
		          "front matter has more than %d keys", MAX_META);
		return -1;
	}
	doc->meta = (struct mx_meta *)top.items;
	doc->meta_count = top.count;
	/* Drain the rest so that a second document or junk is an error. */
	while (r->event.type != YAML_STREAM_END_EVENT) {
		if (S_next(r) != 0)
			return -1;
		if (r->event.type == YAML_DOCUMENT_START_EVENT) {
			mx_report(r->diag, MX_ERROR, r->source, S_line(r),
			          "front matter holds more than one YAML "
			          "document");
			return -1;
		}
	}
	return 0;
}

int
mx_frontmatter_parse(struct mx_document *doc, const char *data, size_t len,
                     size_t *body_offset, int *body_line,
                     const struct mx_diag *diag)
{
	struct fm_reader r;
	size_t yaml_end, start = 4;
	int rc;

	*body_offset = 0;
	*body_line = 1;
	if (len < 3 || memcmp(data, "---", 3) != 0 ||
	    (len > 3 && data[3] != '\n' && data[3] != '\r'))
		return 0;
	if (S_find_end(data, len, &yaml_end, body_offset, body_line) != 0) {
		mx_report(diag, MX_ERROR, doc->source, 1,
		          "front matter starts with '---' but is never closed");
		return -1;
	}

	memset(&r, 0, sizeof(r));
	r.doc = doc;
	r.source = doc->source;
	r.first_line = 2;
	r.diag = diag;
	yaml_parser_initialize(&r.parser);
	if (data[3] == '\r')
		start = 5;
	if (start > yaml_end)
		start = yaml_end;
	yaml_parser_set_input_string(&r.parser,
	                             (const unsigned char *)data + start,
	                             yaml_end - start);
	rc = S_read(&r);
	if (rc == 1) {
		mx_report(diag, MX_WARNING, doc->source, 1,
		          "the block between the '---' lines is not a mapping "
		          "of keys to values, so it is not front matter: it is "
		          "read as Markdown");
		*body_offset = 0;
		*body_line = 1;
		rc = 0;
	}
	yaml_event_delete(&r.event);
	yaml_parser_delete(&r.parser);
	mx_buf_free(&r.text);
	mx_buf_free(&r.clean);
	return rc;
}

const char *
mx_document_meta(const struct mx_document *doc, const char *key)
{
	size_t i;

	for (i = 0; i < doc->meta_count; i++)
		if (!doc->meta[i].repeated &&
		    strcmp(doc->meta[i].key, key) == 0)
			return doc->meta[i].value;
	return NULL;
}
