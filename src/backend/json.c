/*
 * json.c - the JSON backend: each monograph as one JSON document in the
 * vocabulary of the XML (urn:medexport:monograph:2), described by the
 * schema styles/monograph.schema.json and by docs/json.md; feeds as JSON
 * Lines, one monograph a line, then a summary line.
 *
 * This is the only file that includes json-c.  A document is built as a
 * json-c object tree and serialised into json-c's own buffer, and only then
 * handed to the caller's sink, so a document that fails never reaches its
 * output.  json-c keeps the keys of an object in the order they were
 * added, so the output is the same bytes on every run.  Nothing here makes
 * a floating-point number: json-c formats those with the C library's
 * locale-dependent printf, its integers and strings are the same in every
 * locale.
 *
 * The vocabulary follows the XML element for element: each node of the
 * tree is an object whose "type" is the XML element's name ("section",
 * "p", "list", "qa", "b", "a", ...); text runs inside inline content are
 * plain JSON strings, so a paragraph's "inlines" read like the XML's mixed
 * content.  Blocks carry the source line they came from.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "medexport.h"
#include "core/private.h"
#include "core/support.h"

/* The XML namespace, so that a document says which vocabulary it is in,
 * and the vocabulary's version (the schemas'). */
#define JSON_VOCABULARY "urn:medexport:monograph:2"
#define JSON_VERSION    "2.0"

/* NAME.json is for people and diffs too; a feed line must be one line.
 * JSON does not ask for "/" to be escaped, so URLs stay as written. */
#define JSON_PRETTY_FLAGS                                                      \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |                   \
	 JSON_C_TO_STRING_NOSLASHESCAPE)
#define JSON_LINE_FLAGS                                                        \
	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct json_state {
	struct mx_diag diag;
	long long source_date; /* -1: the feed is stamped with the time */
	/* Adjacent text nodes are joined here into one string. */
	struct mx_buf text;
	int text_line;
	/* A string made valid UTF-8. */
	struct mx_buf utf8;

	/* The open feed, if any. */
	struct mx_sink *feed_sink;
	size_t feed_count;
	size_t feed_no_content;    /* of feed_count, "status": "no-content" */
	struct mx_strset feed_ids; /* the ids of the monographs in it */
	int feed_open;
	int feed_broken; /* the sink failed: nothing more is written */
	char feed_stamp[32];
};

/* What the tree walk needs; `failed` latches the first failure, which can
 * only be running out of memory (or a string longer than json-c takes). */
struct json_writer {
	struct json_state *st;
	const char *source;
	int failed;
	int warned_utf8; /* one warning a document is enough */
};

/* ---------------------------------------------------------------------
 * Strings
 */

/* A JSON string of the `len` bytes at `s`.  json-c copies
 * bytes above 0x7F as they are, so what is not UTF-8 would make the whole
 * document invalid: the monograph's text is checked when it is read, but
 * its path (and the title, when it comes from the file name) is whatever
 * the file system holds.  Each byte that does not start a valid character
 * is replaced by U+FFFD, with a warning. */
static json_object *
S_string_len(struct json_writer *jw, const char *s, size_t len, int line)
{
	const char *valid;
	size_t bad;
	json_object *str;

	valid = mx_utf8_repair(s, len, &jw->st->utf8, &bad);
	if (valid == NULL) {
		jw->failed = 1;
		return NULL;
	}
	if (valid != s) {
		if (!jw->warned_utf8++)
			mx_report(&jw->st->diag, MX_WARNING, jw->source, line,
			          "%s is not UTF-8; %zu byte%s replaced by "
			          "U+FFFD in the JSON",
			          line > 0 ? "text" : "the file name", bad,
			          bad == 1 ? "" : "s");
		s = valid;
		len = jw->st->utf8.len;
	}
	if (len > INT_MAX || jw->failed)
		return NULL;
	str = json_object_new_string_len(s, (int)len);
	if (str == NULL)
		jw->failed = 1;
	return str;
}

static json_object *
S_string(struct json_writer *jw, const char *s, int line)
{
	return S_string_len(jw, s ? s : "", s ? strlen(s) : 0, line);
}

/* ---------------------------------------------------------------------
 * Objects and arrays
 */

/* Adds `value` to `obj` under `key`, a string literal (json-c need not
 * copy it, and need not look for an earlier entry: every key is added
 * once).  A NULL value means an allocation failed. */
static void
S_put(struct json_writer *jw, json_object *obj, const char *key,
      json_object *value)
{
	if (value == NULL || obj == NULL) {
		jw->failed = 1;
		json_object_put(value);
		return;
	}
	if (json_object_object_add_ex(obj, key, value,
	                              JSON_C_OBJECT_ADD_KEY_IS_NEW |
	                                      JSON_C_OBJECT_ADD_CONSTANT_KEY) !=
	    0) {
		jw->failed = 1;
		json_object_put(value);
	}
}

static void
S_push(struct json_writer *jw, json_object *array, json_object *value)
{
	if (value == NULL || array == NULL) {
		jw->failed = 1;
		json_object_put(value);
		return;
	}
	if (json_object_array_add(array, value) != 0) {
		jw->failed = 1;
		json_object_put(value);
	}
}

static json_object *
S_int(struct json_writer *jw, int64_t value)
{
	json_object *num = json_object_new_int64(value);

	if (num == NULL)
		jw->failed = 1;
	return num;
}

static json_object *
S_array(struct json_writer *jw)
{
	json_object *array = json_object_new_array();

	if (array == NULL)
		jw->failed = 1;
	return array;
}

/* json-c's pretty printer writes an empty array over two lines ("[",
 * then "]" indented); most sections have no sub-sections, so NAME.json
 * would be full of them.  An array left empty is written "[]" instead,
 * through json-c's serializer that copies its user data. */
static char S_empty_array[] = "[]";

static json_object *
S_array_done(json_object *array)
{
	if (array != NULL && json_object_array_length(array) == 0)
		json_object_set_serializer(array,
		                           json_object_userdata_to_json_string,
		                           S_empty_array, NULL);
	return array;
}

/* A node: an object whose first key is its type, then, for blocks, the
 * source line (`line` < 0: none, as for inlines). */
static json_object *
S_node(struct json_writer *jw, const char *type, int line)
{
	json_object *obj = json_object_new_object();

	if (obj == NULL) {
		jw->failed = 1;
		return NULL;
	}
	S_put(jw, obj, "type", json_object_new_string(type));
	if (line >= 0)
		S_put(jw, obj, "line", S_int(jw, line));
	return obj;
}

/* ---------------------------------------------------------------------
 * Inline content: an array of strings (text) and inline nodes
 */

static int
S_is_inline(enum mx_node_type type)
{
	return type >= MX_NODE_TEXT && type < MX_NODE_TYPE_COUNT;
}

/* Ends the pending text run, if any, as one string of `array`.  The tree
 * may split a run of text over several nodes (entities, soft breaks,
 * dropped HTML); joined, the array never holds two strings in a row. */
static void
S_flush_text(struct json_writer *jw, json_object *array)
{
	struct json_state *st = jw->st;

	if (st->text.len == 0)
		return;
	S_push(jw, array,
	       S_string_len(jw, st->text.data, st->text.len, st->text_line));
	st->text.len = 0;
}

static json_object *S_inline_array(struct json_writer *jw,
                                   const struct mx_node *first);

/* Adds one inline node to `array`. */
static void
S_inline(struct json_writer *jw, json_object *array, const struct mx_node *node)
{
	struct json_state *st = jw->st;
	json_object *obj;

	switch (node->type) {
	case MX_NODE_TEXT:
		if (node->text == NULL || node->text[0] == '\0')
			return;
		if (st->text.len == 0)
			st->text_line = node->line;
		if (mx_buf_puts(&st->text, node->text) != 0)
			jw->failed = 1;
		return;
	case MX_NODE_STRONG:
	case MX_NODE_EMPH:
	case MX_NODE_SUB:
	case MX_NODE_SUP:
		S_flush_text(jw, array);
		obj = S_node(jw, mx_inline_style_name(node->type), -1);
		S_put(jw, obj, "inlines",
		      S_inline_array(jw, node->first_child));
		break;
	case MX_NODE_CODE:
		S_flush_text(jw, array);
		obj = S_node(jw, "code", -1);
		S_put(jw, obj, "text", S_string(jw, node->text, node->line));
		break;
	case MX_NODE_LINK:
		S_flush_text(jw, array);
		obj = S_node(jw, "a", -1);
		S_put(jw, obj, "href", S_string(jw, node->url, node->line));
		S_put(jw, obj, "inlines",
		      S_inline_array(jw, node->first_child));
		break;
	case MX_NODE_LINEBREAK:
		S_flush_text(jw, array);
		obj = S_node(jw, "br", -1);
		break;
	default:
		/* Blocks never sit among inlines; keep their text. */
		for (node = node->first_child; node != NULL; node = node->next)
			S_inline(jw, array, node);
		return;
	}
	S_push(jw, array, obj);
}

/* The inline content of the nodes from `first` on.  The pending text run
 * is always empty here: every caller flushes it before it nests. */
static json_object *
S_inline_array(struct json_writer *jw, const struct mx_node *first)
{
	json_object *array = S_array(jw);

	for (; first != NULL && !jw->failed; first = first->next)
		S_inline(jw, array, first);
	S_flush_text(jw, array);
	return S_array_done(array);
}

/* ---------------------------------------------------------------------
 * Blocks and sections
 */

static void S_blocks(struct json_writer *jw, json_object *blocks,
                     json_object *sections, const struct mx_node *first,
                     const struct mx_node *stop);

/* The blocks of the nodes from `first` on, with no sections among them. */
static json_object *
S_block_array(struct json_writer *jw, const struct mx_node *first)
{
	json_object *blocks = S_array(jw);

	S_blocks(jw, blocks, NULL, first, NULL);
	return S_array_done(blocks);
}

/* A list item: its label (when its first child is one), then blocks.  A
 * list holds only items; anything else in one is kept as an item. */
static json_object *
S_item(struct json_writer *jw, const struct mx_node *item)
{
	json_object *obj = S_node(jw, "item", item->line);
	json_object *blocks = S_array(jw);
	const struct mx_node *first = item->first_child;

	if (item->type != MX_NODE_ITEM) {
		S_blocks(jw, blocks, NULL, item, item->next);
	} else {
		if (first != NULL && first->type == MX_NODE_LABEL) {
			S_put(jw, obj, "label",
			      S_inline_array(jw, first->first_child));
			first = first->next;
		}
		S_blocks(jw, blocks, NULL, first, NULL);
	}
	S_put(jw, obj, "blocks", S_array_done(blocks));
	return obj;
}

static json_object *
S_list(struct json_writer *jw, const struct mx_node *list)
{
	json_object *obj = S_node(jw, "list", list->line);
	json_object *items = S_array(jw);
	const struct mx_node *item;

	S_put(jw, obj, "ordered", json_object_new_boolean(list->ordered != 0));
	if (list->ordered)
		S_put(jw, obj, "start", S_int(jw, list->start));
	for (item = list->first_child; item != NULL && !jw->failed;
	     item = item->next)
		S_push(jw, items, S_item(jw, item));
	S_put(jw, obj, "items", S_array_done(items));
	return obj;
}

/* A question and its answer.  Both keys are always there: the builder
 * gives every question an answer, empty when the source has none. */
static json_object *
S_qa(struct json_writer *jw, const struct mx_node *qa)
{
	json_object *obj = S_node(jw, "qa", qa->line);
	json_object *question = NULL, *answer = S_array(jw);
	const struct mx_node *part;

	for (part = qa->first_child; part != NULL && !jw->failed;
	     part = part->next) {
		if (part->type == MX_NODE_QUESTION && question == NULL)
			question = S_inline_array(jw, part->first_child);
		else if (part->type == MX_NODE_ANSWER)
			S_blocks(jw, answer, NULL, part->first_child, NULL);
		else
			S_blocks(jw, answer, NULL, part, part->next);
	}
	if (question == NULL)
		question = S_array_done(S_array(jw));
	S_put(jw, obj, "question", question);
	S_put(jw, obj, "answer", S_array_done(answer));
	return obj;
}

static json_object *
S_section(struct json_writer *jw, const struct mx_node *section)
{
	json_object *obj = S_node(jw, "section", -1);
	json_object *blocks = S_array(jw), *sections = S_array(jw);
	const char *loinc = mx_kind_loinc(section->kind);

	S_put(jw, obj, "kind",
	      json_object_new_string(mx_kind_name(section->kind)));
	if (loinc != NULL)
		S_put(jw, obj, "loinc", json_object_new_string(loinc));
	if (mx_population_name(section->population))
		S_put(jw, obj, "population",
		      json_object_new_string(
		              mx_population_name(section->population)));
	if (mx_frequency_name(section->frequency))
		S_put(jw, obj, "frequency",
		      json_object_new_string(
		              mx_frequency_name(section->frequency)));
	if (section->serious)
		S_put(jw, obj, "serious", json_object_new_boolean(1));
	if (section->ingredient)
		S_put(jw, obj, "ingredient",
		      S_string(jw, section->ingredient, section->line));
	S_put(jw, obj, "heading", S_string(jw, section->text, section->line));
	S_put(jw, obj, "level", S_int(jw, section->level));
	S_put(jw, obj, "line", S_int(jw, section->line));
	S_blocks(jw, blocks, sections, section->first_child, NULL);
	S_put(jw, obj, "blocks", S_array_done(blocks));
	S_put(jw, obj, "sections", S_array_done(sections));
	return obj;
}

/* A paragraph of the inline nodes from *node on, up to the next block;
 * *node is left at that block. */
static json_object *
S_inline_run(struct json_writer *jw, const struct mx_node **node,
             const struct mx_node *stop)
{
	json_object *obj = S_node(jw, "p", (*node)->line);
	json_object *inlines = S_array(jw);

	for (; *node != stop && S_is_inline((*node)->type);
	     *node = (*node)->next)
		S_inline(jw, inlines, *node);
	S_flush_text(jw, inlines);
	S_put(jw, obj, "inlines", S_array_done(inlines));
	return obj;
}

/* A section's heading as a paragraph, where no section can be. */
static json_object *
S_heading_paragraph(struct json_writer *jw, const struct mx_node *section)
{
	json_object *obj = S_node(jw, "p", section->line);
	json_object *inlines = S_array(jw);

	if (section->text != NULL && section->text[0] != '\0')
		S_push(jw, inlines, S_string(jw, section->text, section->line));
	S_put(jw, obj, "inlines", S_array_done(inlines));
	return obj;
}

/* Adds the nodes from `first` up to `stop` (exclusive) to `blocks`, and
 * the sections among them to `sections`.  Where a section cannot be
 * (sections == NULL: in an item, an answer, a quote) its heading becomes a
 * paragraph and its content is kept in place, so no word is lost; the
 * builder makes no such tree, nor any of the other cases the default
 * keeps the text of. */
static void
S_blocks(struct json_writer *jw, json_object *blocks, json_object *sections,
         const struct mx_node *first, const struct mx_node *stop)
{
	const struct mx_node *node = first;
	json_object *obj;

	while (node != stop && node != NULL && !jw->failed) {
		if (S_is_inline(node->type)) {
			S_push(jw, blocks, S_inline_run(jw, &node, stop));
			continue;
		}
		switch (node->type) {
		case MX_NODE_SECTION:
			if (sections != NULL) {
				S_push(jw, sections, S_section(jw, node));
				break;
			}
			S_push(jw, blocks, S_heading_paragraph(jw, node));
			S_blocks(jw, blocks, NULL, node->first_child, NULL);
			break;
		case MX_NODE_PARAGRAPH:
			obj = S_node(jw, "p", node->line);
			S_put(jw, obj, "inlines",
			      S_inline_array(jw, node->first_child));
			S_push(jw, blocks, obj);
			break;
		case MX_NODE_LIST:
			S_push(jw, blocks, S_list(jw, node));
			break;
		case MX_NODE_QA:
			S_push(jw, blocks, S_qa(jw, node));
			break;
		case MX_NODE_BLOCKQUOTE:
			obj = S_node(jw, "blockquote", node->line);
			S_put(jw, obj, "blocks",
			      S_block_array(jw, node->first_child));
			S_push(jw, blocks, obj);
			break;
		case MX_NODE_CODE_BLOCK:
			obj = S_node(jw, "pre", node->line);
			S_put(jw, obj, "text",
			      S_string(jw, node->text, node->line));
			S_push(jw, blocks, obj);
			break;
		case MX_NODE_THEMATIC_BREAK:
			S_push(jw, blocks, S_node(jw, "hr", node->line));
			break;
		default:
			/* A label, question, answer or item out of place. */
			S_blocks(jw, blocks, sections, node->first_child, NULL);
			break;
		}
		node = node->next;
	}
}

/* ---------------------------------------------------------------------
 * The monograph
 */

/* A front matter value as JSON: a scalar is a string, a list an array of
 * values, a mapping an object of values (its repeated keys left out, as
 * everywhere: the first is the one used). */
static json_object *
S_meta_value(struct json_writer *jw, const struct mx_meta *m)
{
	json_object *v;

	if (m->type == MX_META_SCALAR)
		return S_string(jw, m->value, m->line);
	v = m->type == MX_META_LIST ? S_array(jw) : json_object_new_object();
	if (v == NULL) {
		jw->failed = 1;
		return NULL;
	}
	for (size_t i = 0; i < m->count && !jw->failed; i++) {
		const struct mx_meta *it = &m->items[i];
		json_object *item;

		if (it->repeated)
			continue;
		item = S_meta_value(jw, it);
		if (m->type == MX_META_LIST) {
			S_push(jw, v, item);
			continue;
		}
		/* Keys come from the source: json-c copies them. */
		if (item == NULL ||
		    json_object_object_add(v, it->key, item) != 0) {
			jw->failed = 1;
			json_object_put(item);
		}
	}
	return m->type == MX_META_LIST ? S_array_done(v) : v;
}

static json_object *
S_meta(struct json_writer *jw, const struct mx_document *doc)
{
	json_object *meta = S_array(jw);

	for (size_t i = 0; i < doc->meta_count && !jw->failed; i++) {
		const struct mx_meta *m = &doc->meta[i];
		json_object *entry;

		if (m->repeated)
			continue;
		entry = json_object_new_object();
		if (entry == NULL) {
			jw->failed = 1;
			break;
		}
		S_put(jw, entry, "key", S_string(jw, m->key, m->line));
		S_put(jw, entry, "value", S_meta_value(jw, m));
		S_put(jw, entry, "line", S_int(jw, m->line));
		S_push(jw, meta, entry);
	}
	return S_array_done(meta);
}

/* The monograph as a json-c tree, or NULL after reporting an error. */
static json_object *
S_build(struct json_state *st, const struct mx_document *doc)
{
	struct json_writer jw = {.st = st, .source = doc->source};
	json_object *obj = S_node(&jw, "monograph", -1);
	json_object *blocks = S_array(&jw), *sections = S_array(&jw);

	st->text.len = 0;
	S_put(&jw, obj, "vocabulary", json_object_new_string(JSON_VOCABULARY));
	S_put(&jw, obj, "version", json_object_new_string(JSON_VERSION));
	S_put(&jw, obj, "id", S_string(&jw, doc->id, 0));
	S_put(&jw, obj, "source", S_string(&jw, doc->relative, 0));
	if (doc->sha256 != NULL)
		S_put(&jw, obj, "sha256", json_object_new_string(doc->sha256));
	S_put(&jw, obj, "lang", S_string(&jw, mx_document_lang(doc), 0));
	S_put(&jw, obj, "title", S_string(&jw, doc->title, doc->title_line));
	if (doc->no_content)
		S_put(&jw, obj, "status", json_object_new_string("no-content"));
	if (doc->generic_name != NULL)
		S_put(&jw, obj, "generic_name",
		      S_string(&jw, doc->generic_name, 0));
	S_put(&jw, obj, "meta", S_meta(&jw, doc));
	if (doc->root != NULL)
		S_blocks(&jw, blocks, sections, doc->root->first_child, NULL);
	S_put(&jw, obj, "blocks", S_array_done(blocks));
	S_put(&jw, obj, "sections", S_array_done(sections));
	if (jw.failed) {
		json_object_put(obj);
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "out of memory writing JSON");
		return NULL;
	}
	return obj;
}

/* Serialises `obj` with `flags`, then a newline, to `out`; frees `obj`.
 * Returns -1 after reporting an error. */
static int
S_write(struct json_state *st, json_object *obj, int flags, struct mx_sink *out,
        const char *source)
{
	size_t len = 0;
	const char *text = json_object_to_json_string_length(obj, flags, &len);
	int rc = 0;

	if (text == NULL) {
		mx_report(&st->diag, MX_ERROR, source, 0,
		          "out of memory writing JSON");
		rc = -1;
	} else if (mx_sink_put(out, text, len) != 0 ||
	           mx_sink_put(out, "\n", 1) != 0) {
		mx_report(&st->diag, MX_ERROR, source, 0,
		          "cannot write the JSON output");
		rc = -1;
	}
	json_object_put(obj);
	return rc;
}

/* ---------------------------------------------------------------------
 * The backend
 */

static void *
S_create(const struct mx_options *opts, const void *block)
{
	struct json_state *st = calloc(1, sizeof(*st));

	(void)block;
	if (st == NULL) {
		mx_report(&opts->diag, MX_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	st->diag = opts->diag;
	st->source_date = opts->source_date;
	return st;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *out)
{
	struct json_state *st = state;
	json_object *obj = S_build(st, doc);

	if (obj == NULL)
		return -1;
	return S_write(st, obj, JSON_PRETTY_FLAGS, out, doc->source);
}

static void
S_destroy(void *state)
{
	struct json_state *st = state;

	if (st == NULL)
		return;
	mx_buf_free(&st->text);
	mx_buf_free(&st->utf8);
	mx_strset_clear(&st->feed_ids);
	free(st);
}

/* A feed is JSON Lines: nothing comes before the first monograph, so the
 * time is taken now and written in the summary at the end. */
static int
S_feed_begin(void *state, struct mx_sink *out)
{
	struct json_state *st = state;

	st->feed_sink = out;
	st->feed_count = 0;
	st->feed_no_content = 0;
	st->feed_broken = 0;
	st->feed_open = 0;
	mx_strset_clear(&st->feed_ids);
	if (mx_feed_timestamp(st->source_date, st->feed_stamp,
	                      sizeof(st->feed_stamp)) != 0) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "cannot format the feed timestamp");
		return -1;
	}
	st->feed_open = 1;
	return 0;
}

static int
S_feed_add(void *state, const struct mx_document *doc)
{
	struct json_state *st = state;
	json_object *obj;

	if (!st->feed_open || st->feed_broken)
		return -1;
	if (mx_feed_claim_id(&st->feed_ids, doc, &st->diag) != 0)
		return -1;
	obj = S_build(st, doc);
	if (obj == NULL)
		return -1;
	if (S_write(st, obj, JSON_LINE_FLAGS, st->feed_sink, doc->source) !=
	    0) {
		/* Part of a line may be out: nothing more can follow it. */
		st->feed_broken = 1;
		return -1;
	}
	st->feed_count++;
	st->feed_no_content += doc->no_content != 0;
	return 0;
}

static int
S_feed_end(void *state, size_t converted, size_t failed)
{
	struct json_state *st = state;
	struct json_writer jw = {.st = st};
	json_object *obj;
	int rc;

	if (!st->feed_open)
		return -1;
	st->feed_open = 0;
	if (st->feed_broken) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "cannot write the feed");
		st->feed_sink = NULL;
		return -1;
	}
	/* The count is what the feed holds; the caller's figure can only
	 * differ if it counted a monograph this backend did not add. */
	(void)converted;
	obj = S_node(&jw, "summary", -1);
	S_put(&jw, obj, "count", S_int(&jw, (int64_t)st->feed_count));
	S_put(&jw, obj, "failed", S_int(&jw, (int64_t)failed));
	S_put(&jw, obj, "no_content", S_int(&jw, (int64_t)st->feed_no_content));
	S_put(&jw, obj, "generated", json_object_new_string(st->feed_stamp));
	if (jw.failed) {
		json_object_put(obj);
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "out of memory writing the feed");
		rc = -1;
	} else {
		rc = S_write(st, obj, JSON_LINE_FLAGS, st->feed_sink, NULL);
	}
	st->feed_sink = NULL;
	return rc;
}

/* Not MX_BACKEND_STREAMS: JSON documents one after another on a stream
 * are not one JSON text, and a partner's parser would take only the first
 * or fail; --feed writes the form made for many (JSON Lines). */
const struct mx_backend mx_backend_json = {
        .name = "json",
        .ext = ".json",
        .feed_ext = ".jsonl",
        .summary = "JSON, valid against styles/monograph.schema.json",
        .flags = MX_BACKEND_FEED,
        .create = S_create,
        .render = S_render,
        .destroy = S_destroy,
        .feed_begin = S_feed_begin,
        .feed_add = S_feed_add,
        .feed_end = S_feed_end,
};
