/*
 * test_xml.c - unit tests of the XML backend through its struct mx_backend:
 * what the command line cannot reach (a sink that fails in the middle of a
 * feed, feed calls out of order, a state destroyed with a feed open), and
 * the promises of the API (one state renders many documents, validation
 * can be turned off, characters XML cannot carry are dropped with a
 * warning naming the line, feeds are reproducible with SOURCE_DATE_EPOCH).
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

#include "capture.h"

static struct captured cap;

static const char example[] = "---\n"
                              "title: Examplamine\n"
                              "---\n"
                              "\n"
                              "# Examplamine\n"
                              "\n"
                              "### Usage\n"
                              "Relieves *example* symptoms & more.\n"
                              "\n"
                              "### FAQs\n"
                              "* **Q: Can I drive?** A: Not at first.\n";

static struct mx_document *
S_parse(const char *md, const char *source)
{
	struct mx_diag diag = {S_capture, &cap};

	return mx_document_parse(md, strlen(md), source, &diag);
}

/* The XML backend's state, with its options set by name as the command
 * line sets them. */
static void *
S_create_dated(int validate, long long source_date)
{
	struct mx_options opts;
	void *block = mx_backend_block_new(&mx_backend_xml), *st;
	char err[128];

	assert_non_null(block);
	mx_options_init(&opts);
	opts.diag.fn = S_capture;
	opts.diag.user = &cap;
	opts.source_date = source_date;
	if (!validate)
		assert_int_equal(mx_backend_set_option(&mx_backend_xml, block,
		                                       "no-validate", NULL, err,
		                                       sizeof(err)),
		                 0);
	st = mx_backend_xml.create(&opts, block);
	free(block);
	return st;
}

static void *
S_create(int validate)
{
	return S_create_dated(validate, -1);
}

static int
S_setup(void **unused)
{
	(void)unused;
	memset(&cap, 0, sizeof(cap));
	return 0;
}

/* A sink that accepts `budget` bytes, then fails. */
struct failing_sink {
	struct mx_buf buf;
	size_t budget;
};

static int
S_failing_write(void *user, const void *data, size_t len)
{
	struct failing_sink *f = user;

	if (len > f->budget)
		return -1;
	f->budget -= len;
	return mx_buf_put(&f->buf, data, len);
}

static void
test_render_twice_same_bytes(void **unused)
{
	struct mx_buf a = {0}, b = {0};
	struct mx_sink sa = mx_buf_sink(&a), sb = mx_buf_sink(&b);
	struct mx_document *doc = S_parse(example, "dir/examplamine.md");
	void *st = S_create(1);

	(void)unused;
	assert_non_null(doc);
	assert_non_null(st);
	assert_int_equal(mx_backend_xml.render(st, doc, &sa), 0);
	assert_int_equal(mx_backend_xml.render(st, doc, &sb), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* mx_document_parse() names the source by its file name. */
	assert_non_null(strstr(a.data, "<monograph xmlns=\"urn:medexport:"
	                               "monograph:2\" version=\"2.0\" "
	                               "id=\"examplamine\" "
	                               "source=\"examplamine.md\" sha256=\""));
	/* The FAQ has no LOINC code. */
	assert_non_null(strstr(a.data, "<section kind=\"faq\">"));
	assert_non_null(strstr(a.data, "<question>Can I drive?</question>"));
	assert_non_null(strstr(a.data, "symptoms &amp; more."));
	assert_int_equal(a.data[a.len - 1], '\n');
	assert_int_equal(cap.errors, 0);
	mx_backend_xml.destroy(st);
	mx_document_free(doc);
	mx_buf_free(&a);
	mx_buf_free(&b);
}

static void
test_validation_off_same_bytes(void **unused)
{
	struct mx_buf a = {0}, b = {0};
	struct mx_sink sa = mx_buf_sink(&a), sb = mx_buf_sink(&b);
	struct mx_document *doc = S_parse(example, "x.md");
	void *on = S_create(1), *off = S_create(0);

	(void)unused;
	assert_int_equal(mx_backend_xml.render(on, doc, &sa), 0);
	assert_int_equal(mx_backend_xml.render(off, doc, &sb), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mx_backend_xml.destroy(on);
	mx_backend_xml.destroy(off);
	mx_document_free(doc);
	mx_buf_free(&a);
	mx_buf_free(&b);
}

static void
test_control_characters_dropped(void **unused)
{
	static const char md[] = "# Title\n"
	                         "\n"
	                         "### Usage\n"
	                         "bell\007 and escape\033 and &#1; end.\n";
	struct mx_buf out = {0};
	struct mx_sink sink = mx_buf_sink(&out);
	struct mx_document *doc = S_parse(md, "ctrl.md");
	void *st = S_create(1);
	size_t i;

	(void)unused;
	assert_non_null(doc);
	assert_int_equal(mx_backend_xml.render(st, doc, &sink), 0);
	for (i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		assert_true(c >= 0x20 || c == '\n' || c == '\t');
	}
	assert_non_null(strstr(out.data, "bell and escape and  end."));
	assert_true(cap.warnings >= 1);
	assert_int_equal(cap.line, 4);
	assert_non_null(strstr(cap.last, "XML 1.0"));
	mx_backend_xml.destroy(st);
	mx_document_free(doc);
	mx_buf_free(&out);
}

static void
test_feed_reproducible(void **unused)
{
	struct mx_buf a = {0}, b = {0};
	struct mx_sink sa = mx_buf_sink(&a), sb = mx_buf_sink(&b);
	struct mx_document *doc = S_parse(example, "examplamine.md");
	struct mx_document *doc2 = S_parse(example, "other.md");
	/* The date comes from the options (the command line reads
	 * SOURCE_DATE_EPOCH), never from the environment. */
	void *st = S_create_dated(1, 1700000000);

	(void)unused;
	setenv("SOURCE_DATE_EPOCH", "1", 1);
	assert_int_equal(mx_backend_xml.feed_begin(st, &sa), 0);
	assert_int_equal(mx_backend_xml.feed_add(st, doc), 0);
	assert_int_equal(mx_backend_xml.feed_add(st, doc2), 0);
	assert_int_equal(mx_backend_xml.feed_end(st, 2, 3), 0);
	/* The same state makes a second, identical feed. */
	assert_int_equal(mx_backend_xml.feed_begin(st, &sb), 0);
	assert_int_equal(mx_backend_xml.feed_add(st, doc), 0);
	assert_int_equal(mx_backend_xml.feed_add(st, doc2), 0);
	assert_int_equal(mx_backend_xml.feed_end(st, 2, 3), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_non_null(strstr(a.data, "generated=\"2023-11-14T22:13:20Z\""));
	assert_non_null(strstr(a.data, "<summary count=\"2\" failed=\"3\" "
	                               "no-content=\"0\"/>"));
	assert_non_null(strstr(a.data, "\n  <monograph xmlns="));
	assert_int_equal(cap.errors, 0);
	mx_backend_xml.destroy(st);
	mx_document_free(doc);
	mx_document_free(doc2);
	mx_buf_free(&a);
	mx_buf_free(&b);
}

static void
test_feed_sink_fails(void **unused)
{
	struct failing_sink f = {{0}, 6000};
	struct mx_sink sink = {S_failing_write, &f};
	struct mx_document *doc = S_parse(example, "examplamine.md");
	void *st = S_create(1);
	int i, failed = 0;

	(void)unused;
	assert_int_equal(mx_backend_xml.feed_begin(st, &sink), 0);
	for (i = 0; i < 50; i++) {
		/* Each its own id: a feed refuses an id twice. */
		char id[16];
		snprintf(id, sizeof(id), "m%d", i);
		doc->id = id;
		if (mx_backend_xml.feed_add(st, doc) != 0)
			failed++;
		doc->id = "examplamine";
	}
	assert_true(failed > 0);
	assert_int_equal(mx_backend_xml.feed_end(st, 50, 0), -1);
	assert_true(cap.errors > 0);
	mx_backend_xml.destroy(st);
	mx_document_free(doc);
	mx_buf_free(&f.buf);
}

static void
test_feed_out_of_order(void **unused)
{
	struct mx_buf out = {0};
	struct mx_sink sink = mx_buf_sink(&out);
	struct mx_document *doc = S_parse(example, "examplamine.md");
	void *st = S_create(1);

	(void)unused;
	assert_int_equal(mx_backend_xml.feed_add(st, doc), -1);
	assert_int_equal(mx_backend_xml.feed_end(st, 0, 0), -1);
	/* Destroying a state with a feed open writes nothing more. */
	assert_int_equal(mx_backend_xml.feed_begin(st, &sink), 0);
	assert_int_equal(mx_backend_xml.feed_add(st, doc), 0);
	mx_backend_xml.destroy(st);
	mx_backend_xml.destroy(NULL);
	mx_document_free(doc);
	mx_buf_free(&out);
}

static void
test_missing_schema(void **unused)
{
	struct mx_options opts;
	void *block;

	(void)unused;
	mx_options_init(&opts);
	opts.datadir = "/nonexistent";
	opts.diag.fn = S_capture;
	opts.diag.user = &cap;
	block = mx_backend_block_new(&mx_backend_xml);
	assert_null(mx_backend_xml.create(&opts, block));
	free(block);
	assert_int_equal(cap.errors, 1);
	assert_non_null(strstr(cap.last, "schema"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_render_twice_same_bytes, S_setup),
	        cmocka_unit_test_setup(test_validation_off_same_bytes, S_setup),
	        cmocka_unit_test_setup(test_control_characters_dropped,
	                               S_setup),
	        cmocka_unit_test_setup(test_feed_reproducible, S_setup),
	        cmocka_unit_test_setup(test_feed_sink_fails, S_setup),
	        cmocka_unit_test_setup(test_feed_out_of_order, S_setup),
	        cmocka_unit_test_setup(test_missing_schema, S_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
