/*
 * test_identity.c - unit tests of a document's identity and provenance and
 * of the input that must not break an output: ids (the front matter's, else
 * the file's stem; never renumbered), the source as outputs name it, the
 * SHA-256 of the input, the language tag, the front matter's structure
 * (lists, mappings, repeated keys), front matter that is not a mapping,
 * characters that are not characters, raw HTML comments and CDATA, link
 * schemes, and the feeds' refusal of an id given twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "medexport.h"
#include "core/private.h"
#include "core/support.h"

#include "capture.h"

static struct captured cap;

/* The warnings these tests count: not the tree's "no-content" (their
 * monographs are small on purpose). */
static void
S_capture_ours(void *user, enum mx_severity sev, const char *file, int line,
               const char *msg)
{
	if (strstr(msg, "no-content") == NULL)
		S_capture(user, sev, file, line, msg);
}

static struct mx_document *
S_parse_as(const char *md, const char *source, const char *relative)
{
	struct mx_diag diag = {S_capture_ours, &cap};

	memset(&cap, 0, sizeof(cap));
	return mx_document_parse_as(md, strlen(md), source, relative, &diag);
}

static struct mx_document *
S_parse(const char *md)
{
	return S_parse_as(md, "dir/test.md", NULL);
}

/* The plain text of the whole document, for looking for words. */
static char plain[4096];

static const char *
S_text(const struct mx_node *n)
{
	struct mx_buf buf = {0};

	for (const struct mx_node *c = n->first_child; c; c = c->next) {
		if (c->type == MX_NODE_SECTION) {
			mx_buf_puts(&buf, c->text);
			mx_buf_putc(&buf, '|');
			mx_buf_puts(&buf, S_text(c));
		} else if (c->type == MX_NODE_CODE_BLOCK) {
			mx_buf_puts(&buf, c->text);
		} else if (c->first_child &&
		           c->first_child->type < MX_NODE_TEXT) {
			mx_buf_puts(&buf, S_text(c));
		} else {
			mx_node_plain_text(c, &buf);
		}
		mx_buf_putc(&buf, '|');
	}
	snprintf(plain, sizeof(plain), "%s", buf.data ? buf.data : "");
	mx_buf_free(&buf);
	return plain;
}

static void
test_sha256(void **unused)
{
	char hex[MX_SHA256_HEX];

	(void)unused;
	mx_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396"
	                         "177a9cb410ff61f20015ad");
	mx_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e464"
	                         "9b934ca495991b7852b855");
}

static void
test_lang_tags(void **unused)
{
	static const char *const good[] = {"en",         "de-CH",
	                                   "zh-Hant-TW", "sr-Latn-RS",
	                                   "es-419",     "en-US-x-twain",
	                                   "x-private",  "zh-yue-HK",
	                                   "de-DE-1996", "en-a-bbb-x-a-ccc",
	                                   "i-klingon"};
	static const char *const bad[] = {"",
	                                  "english",
	                                  "e",
	                                  "en_GB",
	                                  "en-",
	                                  "-en",
	                                  "en--x",
	                                  "en-x",
	                                  "en-a",
	                                  "12",
	                                  "en-toolongsubtag",
	                                  "en GB",
	                                  "fr-a-b"};

	(void)unused;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!mx_lang_tag_valid(good[i]))
			fail_msg("'%s' is a language tag", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mx_lang_tag_valid(bad[i]))
			fail_msg("'%s' is not a language tag", bad[i]);
}

static void
test_text_clean(void **unused)
{
	struct mx_buf out = {0};
	struct mx_clean c;
	const char *in = "ok \xc3\xa9 \xef\xbf\xbd";
	size_t len = strlen(in);

	(void)unused;
	/* Clean text is returned as it is. */
	assert_ptr_equal(mx_text_clean(in, &len, &out, &c), in);
	assert_int_equal(c.replaced, 0);
	assert_true(c.has_fffd);
	/* A byte that is not UTF-8 (cmark's U+FFFE), U+FFFF, U+FDD0,
	 * U+1FFFE, a surrogate's bytes, an overlong form. */
	in = "a\xfe"
	     "b\xef\xbf\xbf"
	     "c\xef\xb7\x90"
	     "d\xf0\x9f\xbf\xbe"
	     "e\xed\xa0\x80"
	     "f\xc0\xaf"
	     "g";
	len = strlen(in);
	assert_string_equal(mx_text_clean(in, &len, &out, &c),
	                    "a\xef\xbf\xbd"
	                    "b\xef\xbf\xbd"
	                    "c\xef\xbf\xbd"
	                    "d\xef\xbf\xbd"
	                    "e\xef\xbf\xbd\xef\xbf\xbd"
	                    "\xef\xbf\xbd"
	                    "f\xef\xbf\xbd\xef\xbf\xbd"
	                    "g");
	assert_int_equal(c.first, -1);
	assert_int_equal(c.replaced, 9);
	mx_buf_free(&out);
}

static void
test_strset(void **unused)
{
	struct mx_strset set = {0};
	const void *old = NULL;
	char key[32];

	(void)unused;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "id-%d", i);
		assert_int_equal(
		        mx_strset_add(&set, key, (void *)(intptr_t)i, NULL), 1);
	}
	assert_int_equal(mx_strset_add(&set, "id-7", NULL, &old), 0);
	assert_int_equal((intptr_t)old, 7);
	assert_true(mx_strset_find(&set, "id-999", &old));
	assert_false(mx_strset_find(&set, "id-1000", NULL));
	mx_strset_clear(&set);
	assert_false(mx_strset_find(&set, "id-1", NULL));
}

static void
test_ids(void **unused)
{
	static const char given[] = "---\nid: para-500\n---\n# P\n";
	static const char odd[] = "---\nid: Para 500\n---\n# P\n";
	struct mx_document *doc;
	char *peek;

	(void)unused;
	doc = S_parse_as("# P\n", "cat/a/Paracetamol.md", "a/Paracetamol.md");
	assert_string_equal(doc->id, "paracetamol");
	assert_string_equal(doc->relative, "a/Paracetamol.md");
	mx_document_free(doc);
	doc = S_parse_as(given, "cat/0/x.md", "0/x.md");
	assert_string_equal(doc->id, "para-500");
	assert_int_equal(cap.warnings, 0);
	mx_document_free(doc);
	/* An id written otherwise is made one, with a warning. */
	doc = S_parse(odd);
	assert_string_equal(doc->id, "para-500");
	assert_int_equal(cap.warnings, 1);
	assert_int_equal(cap.line, 2);
	mx_document_free(doc);
	doc = S_parse_as("# P\n", "<stdin>", NULL);
	assert_string_equal(doc->id, "stdin");
	assert_string_equal(doc->relative, "<stdin>");
	mx_document_free(doc);
	/* The batch runner's look at the id before anything is written gives
	 * the parse's. */
	peek = mx_document_id_of(given, strlen(given), "x.md");
	assert_string_equal(peek, "para-500");
	free(peek);
	peek = mx_document_id_of(odd, strlen(odd), "x.md");
	assert_string_equal(peek, "para-500");
	free(peek);
	peek = mx_document_id_of("# P\n", 4, "d/9 Lives.markdown");
	assert_string_equal(peek, "m-9-lives");
	free(peek);
	assert_null(mx_document_id_of("---\nid: [x\n---\n", 15, "x.md"));
}

static void
test_provenance(void **unused)
{
	static const char md[] = "\xef\xbb\xbf---\nlang: de-CH\n---\n# T\n";
	char hex[MX_SHA256_HEX];
	struct mx_document *doc = S_parse(md);

	(void)unused;
	/* Of the file's bytes, the byte order mark included. */
	mx_sha256_hex(md, strlen(md), hex);
	assert_string_equal(doc->sha256, hex);
	assert_string_equal(mx_document_lang(doc), "de-CH");
	assert_string_equal(doc->relative, "test.md");
	mx_document_free(doc);
	doc = S_parse("# T\n");
	assert_string_equal(mx_document_lang(doc), "en");
	mx_document_free(doc);
	doc = S_parse("---\nlang: English\n---\n# T\n");
	assert_string_equal(mx_document_lang(doc), "en");
	assert_int_equal(cap.warnings, 1);
	assert_int_equal(cap.line, 2);
	mx_document_free(doc);
	/* A file name that is not UTF-8. */
	doc = S_parse_as("No title.\n", "caf\xe9.md", NULL);
	assert_string_equal(doc->relative, "caf\xef\xbf\xbd.md");
	assert_string_equal(doc->title, "caf\xef\xbf\xbd");
	mx_document_free(doc);
}

static void
test_meta_structure(void **unused)
{
	struct mx_document *doc = S_parse(
	        "---\ntags: [a, b]\nauthor:\n  name: X\n  name: Y\n  mail: m\n"
	        "tags: c\n\"\": no key\nlist:\n  - {k: v}\n  - [1, 2]\n---\n"
	        "# T\n");
	const struct mx_meta *m;

	(void)unused;
	assert_non_null(doc);
	assert_int_equal(doc->meta_count, 4);
	m = &doc->meta[0];
	assert_int_equal(m->type, MX_META_LIST);
	assert_int_equal(m->count, 2);
	assert_string_equal(m->items[1].value, "b");
	assert_null(m->items[1].key);
	assert_string_equal(m->value, "a, b");
	m = &doc->meta[1];
	assert_int_equal(m->type, MX_META_MAP);
	assert_int_equal(m->count, 3);
	assert_true(m->items[1].repeated);
	assert_string_equal(m->value, "name: X; mail: m");
	assert_true(doc->meta[2].repeated);
	assert_string_equal(mx_document_meta(doc, "tags"), "a, b");
	m = &doc->meta[3];
	assert_int_equal(m->items[0].type, MX_META_MAP);
	assert_int_equal(m->items[1].type, MX_META_LIST);
	assert_string_equal(m->value, "k: v, 1, 2");
	/* Two repeated keys and the empty one. */
	assert_int_equal(cap.warnings, 3);
	mx_document_free(doc);
}

static void
test_not_a_mapping(void **unused)
{
	struct mx_document *doc = S_parse("---\nFoo\n---\nBar\n");

	(void)unused;
	assert_non_null(doc);
	assert_int_equal(cap.errors, 0);
	assert_int_equal(doc->meta_count, 0);
	/* A thematic break, then the setext heading "Foo" over "Bar". */
	assert_int_equal(doc->root->first_child->type, MX_NODE_THEMATIC_BREAK);
	assert_string_equal(S_text(doc->root), "|Foo|Bar||");
	mx_document_free(doc);
	doc = S_parse("---\n- a\n---\n# T\n");
	assert_non_null(doc);
	mx_document_free(doc);
	/* Invalid YAML is still an error. */
	assert_null(S_parse("---\na: [x\n---\n# T\n"));
	assert_int_equal(cap.errors, 1);
}

static void
test_character_references(void **unused)
{
	struct mx_document *doc =
	        S_parse("# T\n\nA &#xFFFE; B &#xD800; C `&#xFFFF;`\n\n"
	                "    &#xFDD0; \xef\xbf\xbe\n");

	(void)unused;
	assert_non_null(doc);
	assert_string_equal(S_text(doc->root),
	                    "A \xef\xbf\xbd B \xef\xbf\xbd C &#xFFFF;|"
	                    "&#xFDD0; \xef\xbf\xbd|");
	/* Each reference of line 3 is named; the code block's character. */
	assert_int_equal(cap.warnings, 3);
	assert_int_equal(cap.line, 5);
	mx_document_free(doc);
}

static void
test_html_comments_and_cdata(void **unused)
{
	struct mx_document *doc =
	        S_parse("# T\n\nA <!-- x > y --> B <![CDATA[5 < 6]]> C "
	                "<?pi x > y ?> D.\n");

	(void)unused;
	assert_non_null(doc);
	assert_string_equal(S_text(doc->root), "A B 5 < 6 C D.|");
	mx_document_free(doc);
}

static void
test_link_schemes(void **unused)
{
	struct mx_document *doc =
	        S_parse("# T\n\n[a](HTTPS://x.org/A) [b](mailto:i@x.org) "
	                "[c](page.html) [d](#top) [e](javascript:x()) "
	                "[f](http:)\n");
	const struct mx_node *p, *n;
	int links = 0;

	(void)unused;
	assert_non_null(doc);
	p = doc->root->first_child;
	for (n = p->first_child; n; n = n->next)
		if (n->type == MX_NODE_LINK)
			links++;
	assert_int_equal(links, 2);
	assert_string_equal(p->first_child->url, "https://x.org/A");
	assert_int_equal(cap.warnings, 4);
	assert_string_equal(S_text(doc->root), "a b c d e f|");
	mx_document_free(doc);
}

static void
test_smart_punctuation(void **unused)
{
	struct mx_document *doc =
	        S_parse("# It's \"it\"\n\nDon't -- or --- ... `it's`\n");

	(void)unused;
	assert_string_equal(doc->title, "It\xe2\x80\x99s \xe2\x80\x9cit\xe2"
	                                "\x80\x9d");
	assert_string_equal(S_text(doc->root),
	                    "Don\xe2\x80\x99t \xe2\x80\x93 or \xe2\x80\x94 "
	                    "\xe2\x80\xa6 it's|");
	mx_document_free(doc);
}

static void
test_empty_headings(void **unused)
{
	struct mx_document *doc = S_parse(
	        "# T\n\n### Usage\n\nA.\n\n###\n\nB.\n\n#### Sub\n\nC.\n");
	const struct mx_node *s;

	(void)unused;
	s = doc->root->first_child;
	assert_string_equal(s->text, "Usage");
	assert_string_equal(S_text(s), "A.|B.|");
	s = s->next;
	assert_string_equal(s->text, "Sub");
	assert_int_equal(s->level, 1);
	assert_null(s->next);
	assert_int_equal(cap.warnings, 1);
	mx_document_free(doc);
}

/* A feed backend refuses an id it holds already. */
static void
S_feed_refuses_duplicate(const struct mx_backend *be)
{
	struct mx_options opts;
	struct mx_buf out = {0};
	struct mx_sink sink = mx_buf_sink(&out);
	struct mx_document *a = S_parse_as("# A\n", "a/x.md", "a/x.md");
	struct mx_document *b = S_parse_as("# B\n", "b/x.md", "b/x.md");
	void *block = mx_backend_block_new(be), *st;

	mx_options_init(&opts);
	opts.diag.fn = S_capture;
	opts.diag.user = &cap;
	opts.source_date = 0;
	st = be->create(&opts, block);
	assert_non_null(st);
	assert_int_equal(be->feed_begin(st, &sink), 0);
	assert_int_equal(be->feed_add(st, a), 0);
	assert_int_equal(be->feed_add(st, b), -1);
	assert_int_equal(cap.errors, 1);
	assert_non_null(strstr(cap.last, "'x'"));
	be->feed_end(st, 1, 1);
	/* A new feed starts with no ids. */
	assert_int_equal(be->feed_begin(st, &sink), 0);
	assert_int_equal(be->feed_add(st, b), 0);
	be->feed_end(st, 1, 0);
	be->destroy(st);
	free(block);
	mx_document_free(a);
	mx_document_free(b);
	mx_buf_free(&out);
}

static void
test_feeds_refuse_duplicate_ids(void **unused)
{
	(void)unused;
	S_feed_refuses_duplicate(&mx_backend_xml);
	S_feed_refuses_duplicate(&mx_backend_json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sha256),
	        cmocka_unit_test(test_lang_tags),
	        cmocka_unit_test(test_text_clean),
	        cmocka_unit_test(test_strset),
	        cmocka_unit_test(test_ids),
	        cmocka_unit_test(test_provenance),
	        cmocka_unit_test(test_meta_structure),
	        cmocka_unit_test(test_not_a_mapping),
	        cmocka_unit_test(test_character_references),
	        cmocka_unit_test(test_html_comments_and_cdata),
	        cmocka_unit_test(test_link_schemes),
	        cmocka_unit_test(test_smart_punctuation),
	        cmocka_unit_test(test_empty_headings),
	        cmocka_unit_test(test_feeds_refuse_duplicate_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
