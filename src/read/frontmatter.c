/*
 * frontmatter.c - Jekyll-style YAML front matter, read with libyaml.
 *
 * The front matter is the block between a first line "---" and the next
 * line "---" (or "...").  It must be a mapping.  Scalars are kept as
 * written; a sequence becomes its items joined with ", "; a nested mapping
 * becomes "key: value" pairs joined with "; ".  Aliases are kept as their
 * names and never expanded, so an alias bomb costs nothing.
 */
#include <string.h>

#include <yaml.h>

#include "medexport.h"
#include "core/private.h"

#define MAX_META       256
#define MAX_YAML_DEPTH 32

struct fm_reader {
	yaml_parser_t parser;
	yaml_event_t event;
	const char *source;
	int first_line; /* line of the first YAML line in the file */
	const struct mx_diag *diag;
};

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

/* Appends the current value (scalar, alias, sequence or mapping) as text
 * and leaves the reader on the value's last event. */
static int
S_value_text(struct fm_reader *r, struct mx_buf *out, int depth)
{
	int first = 1;

	if (depth > MAX_YAML_DEPTH) {
		mx_report(r->diag, MX_ERROR, r->source,
		          r->first_line + (int)r->event.start_mark.line,
		          "front matter is nested too deeply");
		return -1;
	}
	switch (r->event.type) {
	case YAML_SCALAR_EVENT:
		/* A "\0" escape: every use of the value would end there. */
		if (memchr(r->event.data.scalar.value, '\0',
		           r->event.data.scalar.length) != NULL) {
			mx_report(r->diag, MX_ERROR, r->source,
			          r->first_line + (int)r->event.start_mark.line,
			          "front matter value holds a NUL character");
			return -1;
		}
		return mx_buf_put(out, r->event.data.scalar.value,
		                  r->event.data.scalar.length);
	case YAML_ALIAS_EVENT:
		if (mx_buf_putc(out, '*') != 0)
			return -1;
		return mx_buf_puts(out,
		                   (const char *)r->event.data.alias.anchor);
	case YAML_SEQUENCE_START_EVENT:
		for (;;) {
			if (S_next(r) != 0)
				return -1;
			if (r->event.type == YAML_SEQUENCE_END_EVENT)
				return 0;
			if (!first && mx_buf_puts(out, ", ") != 0)
				return -1;
			first = 0;
			if (S_value_text(r, out, depth + 1) != 0)
				return -1;
		}
	case YAML_MAPPING_START_EVENT:
		for (;;) {
			if (S_next(r) != 0)
				return -1;
			if (r->event.type == YAML_MAPPING_END_EVENT)
				return 0;
			if (!first && mx_buf_puts(out, "; ") != 0)
				return -1;
			first = 0;
			if (S_value_text(r, out, depth + 1) != 0 ||
			    mx_buf_puts(out, ": ") != 0 || S_next(r) != 0 ||
			    S_value_text(r, out, depth + 1) != 0)
				return -1;
		}
	default:
		return 0;
	}
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

int
mx_frontmatter_parse(struct mx_document *doc, const char *data, size_t len,
                     size_t *body_offset, int *body_line,
                     const struct mx_diag *diag)
{
	struct fm_reader r;
	struct mx_buf key = {0}, value = {0};
	size_t yaml_end;
	int rc = -1;

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
	r.source = doc->source;
	r.first_line = 2;
	r.diag = diag;
	yaml_parser_initialize(&r.parser);
	{
		size_t start = 4;
		if (data[3] == '\r')
			start = 5;
		if (start > yaml_end)
			start = yaml_end;
		yaml_parser_set_input_string(
		        &r.parser, (const unsigned char *)data + start,
		        yaml_end - start);
	}
	doc->meta = mx_arena_alloc(doc->arena, MAX_META * sizeof(*doc->meta));
	if (doc->meta == NULL)
		goto done;

	/* stream start, then maybe a document */
	if (S_next(&r) != 0 || S_next(&r) != 0)
		goto done;
	if (r.event.type == YAML_STREAM_END_EVENT) {
		rc = 0; /* empty front matter */
		goto done;
	}
	if (S_next(&r) != 0)
		goto done;
	if (r.event.type == YAML_SCALAR_EVENT &&
	    r.event.data.scalar.length == 0) {
		rc = 0; /* "---\n---": nothing inside */
		goto done;
	}
	if (r.event.type != YAML_MAPPING_START_EVENT) {
		mx_report(diag, MX_ERROR, doc->source,
		          r.first_line + (int)r.event.start_mark.line,
		          "front matter must be a mapping of keys to values");
		goto done;
	}
	for (;;) {
		int line;

		if (S_next(&r) != 0)
			goto done;
		if (r.event.type == YAML_MAPPING_END_EVENT)
			break;
		line = r.first_line + (int)r.event.start_mark.line;
		key.len = value.len = 0;
		if (S_value_text(&r, &key, 0) != 0 || S_next(&r) != 0 ||
		    S_value_text(&r, &value, 0) != 0)
			goto done;
		if (doc->meta_count == MAX_META) {
			mx_report(diag, MX_ERROR, doc->source, line,
			          "front matter has more than %d keys",
			          MAX_META);
			goto done;
		}
		struct mx_meta *m = &doc->meta[doc->meta_count++];
		m->key = mx_arena_strndup(doc->arena, key.data ? key.data : "",
		                          key.len);
		m->value = mx_arena_strndup(
		        doc->arena, value.data ? value.data : "", value.len);
		m->line = line;
		if (m->key == NULL || m->value == NULL)
			goto done;
	}
	/* Drain the rest so that a second document or junk is an error. */
	while (r.event.type != YAML_STREAM_END_EVENT) {
		if (S_next(&r) != 0)
			goto done;
		if (r.event.type == YAML_DOCUMENT_START_EVENT) {
			mx_report(diag, MX_ERROR, doc->source,
			          r.first_line + (int)r.event.start_mark.line,
			          "front matter holds more than one YAML "
			          "document");
			goto done;
		}
	}
	rc = 0;
done:
	yaml_event_delete(&r.event);
	yaml_parser_delete(&r.parser);
	mx_buf_free(&key);
	mx_buf_free(&value);
	return rc;
}

const char *
mx_document_meta(const struct mx_document *doc, const char *key)
{
	size_t i;

	for (i = 0; i < doc->meta_count; i++)
		if (strcmp(doc->meta[i].key, key) == 0)
			return doc->meta[i].value;
	return NULL;
}
