/*
 * fuzz_medexport.c - a libFuzzer harness for libmedexport.
 *
 * Each input is one monograph: arbitrary bytes go through the input checks,
 * the front matter, the tree builder and then every backend of mx_backends[]
 * into memory, and through the XML backend's feed hooks.  Backend states are
 * created once, as ./medexport creates them (defaults of mx_options_init()),
 * and serve every input, so the fuzzer also finds state that leaks from one
 * document into the next.  Diagnostics are swallowed.  Besides crashes,
 * leaks and timeouts, an output that is not UTF-8 (txt, xml, tree) or an
 * XML output with a DTD is a finding (S_check_output()).
 *
 * The input is handed over exactly as libFuzzer gives it: not NUL-terminated,
 * so reading past its end is caught by AddressSanitizer.
 *
 * States are created in LLVMFuzzerInitialize() and destroyed at exit, before
 * LeakSanitizer's final check: fontconfig keeps some of its pointers in a
 * form LeakSanitizer cannot follow, so a configuration that is still alive
 * at exit looks leaked (a false report), while destroying the states checks
 * that every backend's destroy() frees what its create() took.
 *
 * Build and run with `make fuzz FUZZ_SECONDS=N` (mk/reliability.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medexport.h"

/* A second text backend with other options, for the ASCII transliteration and
 * narrow wrapping paths. */
#define NARROW_WIDTH 20

/* Besides the default style, each input is also typeset in one of these
 * (chosen by the input's size), for the other page sizes, column counts,
 * bleeds and crop marks.  A style that cannot be loaded is skipped with a
 * message: styles come and go, the default one is what must work. */
static const struct extra_style {
	const char *name;
	double bleed_mm;
	int crop_marks;
} S_extra_styles[] = {
        {"leaflet-a5", 0, 0},
        {"large-print", -1, -1},
        {"trifold-letter", 3, 1},
};
#define NEXTRA (sizeof(S_extra_styles) / sizeof(S_extra_styles[0]))

struct fuzz_state {
	const struct mx_backend *backend[8];
	void *state[8];
	int nbackends;
	void *narrow_txt;
	void *feed_xml;
	void *extra_pdf[NEXTRA];
	size_t nextra;
};

static struct fuzz_state S_fuzz;

/* Diagnostics are not printed, but their strings are read whole, so that a
 * message built from freed or unterminated memory is caught. */
static volatile size_t S_diag_bytes;

static void
S_swallow(void *user, enum mx_severity severity, const char *file, int line,
          const char *message)
{
	(void)user;
	(void)severity;
	(void)line;
	if (file != NULL)
		S_diag_bytes += strlen(file);
	S_diag_bytes += strlen(message);
}

/* Whether data[0..len) is UTF-8 as RFC 3629 has it: no overlong forms, no
 * surrogates, nothing above U+10FFFF.  The inputs are (mx_input_check()
 * refuses the others), so text outputs must be too. */
static int
S_valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return 0;
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

static const char *
S_find(const struct mx_buf *buf, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; buf->len >= n && i <= buf->len - n; i++)
		if (memcmp(buf->data + i, needle, n) == 0)
			return buf->data + i;
	return NULL;
}

/* Properties every output must have, whatever the input: text outputs are
 * UTF-8, and XML never carries a DTD or entity declarations (issue 6).  A
 * failure is a finding: the harness aborts with the reason. */
static void
S_check_output(const char *what, const struct mx_buf *buf)
{
	const char *bad = NULL;

	if (strcmp(what, "pdf") == 0 || buf->len == 0)
		return;
	if (!S_valid_utf8((const unsigned char *)buf->data, buf->len))
		bad = "is not valid UTF-8";
	else if (strcmp(what, "xml") == 0 &&
	         (S_find(buf, "<!DOCTYPE") || S_find(buf, "<!ENTITY")))
		bad = "holds a DTD or an entity declaration";
	if (bad != NULL) {
		fprintf(stderr, "fuzz_medexport: %s output %s\n", what, bad);
		abort();
	}
}

/* Creates the backend states once.  A backend that cannot be created is a
 * broken build (missing fonts, schema or style), not a finding, so the
 * harness stops at once with a message rather than fuzzing without it. */
static void
S_setup(void)
{
	struct mx_options opts;
	int i;

	mx_options_init(&opts);
	opts.diag.fn = S_swallow;
	for (i = 0; mx_backends[i] != NULL; i++) {
		if (i >=
		    (int)(sizeof(S_fuzz.backend) / sizeof(S_fuzz.backend[0])))
			break;
		S_fuzz.backend[i] = mx_backends[i];
		S_fuzz.state[i] = mx_backends[i]->create(&opts);
		if (S_fuzz.state[i] == NULL) {
			fprintf(stderr,
			        "fuzz_medexport: cannot create the %s "
			        "backend (run from the top of the tree "
			        "after `make`)\n",
			        mx_backends[i]->name);
			abort();
		}
	}
	S_fuzz.nbackends = i;

	opts.width = NARROW_WIDTH;
	opts.ascii = 1;
	S_fuzz.narrow_txt = mx_backend_txt.create(&opts);
	mx_options_init(&opts);
	opts.diag.fn = S_swallow;
	S_fuzz.feed_xml = mx_backend_xml.create(&opts);
	if (S_fuzz.narrow_txt == NULL || S_fuzz.feed_xml == NULL) {
		fprintf(stderr, "fuzz_medexport: cannot create the extra "
		                "txt/xml states\n");
		abort();
	}
	for (size_t k = 0; k < NEXTRA; k++) {
		void *st;

		mx_options_init(&opts);
		opts.diag.fn = S_swallow;
		opts.style = S_extra_styles[k].name;
		opts.bleed_mm = S_extra_styles[k].bleed_mm;
		opts.crop_marks = S_extra_styles[k].crop_marks;
		st = mx_backend_pdf.create(&opts);
		if (st == NULL)
			fprintf(stderr,
			        "fuzz_medexport: style %s skipped (cannot "
			        "create it)\n",
			        S_extra_styles[k].name);
		else
			S_fuzz.extra_pdf[S_fuzz.nextra++] = st;
	}
}

static void
S_teardown(void)
{
	int i;

	for (i = 0; i < S_fuzz.nbackends; i++)
		S_fuzz.backend[i]->destroy(S_fuzz.state[i]);
	mx_backend_txt.destroy(S_fuzz.narrow_txt);
	mx_backend_xml.destroy(S_fuzz.feed_xml);
	for (size_t k = 0; k < S_fuzz.nextra; k++)
		mx_backend_pdf.destroy(S_fuzz.extra_pdf[k]);
	memset(&S_fuzz, 0, sizeof(S_fuzz));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	S_setup();
	atexit(S_teardown);
	return 0;
}

static void
S_render(const struct mx_backend *be, void *state,
         const struct mx_document *doc)
{
	struct mx_buf buf = {NULL, 0, 0};
	struct mx_sink sink = mx_buf_sink(&buf);

	if (be->render(state, doc, &sink) == 0)
		S_check_output(be->name, &buf);
	mx_buf_free(&buf);
}

/* A feed of the document twice: begin, add, add, end. */
static void
S_feed(const struct mx_document *doc)
{
	struct mx_buf buf = {NULL, 0, 0};
	struct mx_sink sink = mx_buf_sink(&buf);
	size_t added = 0;

	if (mx_backend_xml.feed_begin(S_fuzz.feed_xml, &sink) == 0) {
		added += mx_backend_xml.feed_add(S_fuzz.feed_xml, doc) == 0;
		added += mx_backend_xml.feed_add(S_fuzz.feed_xml, doc) == 0;
		if (mx_backend_xml.feed_end(S_fuzz.feed_xml, added,
		                            2 - added) == 0)
			S_check_output("xml", &buf);
	}
	mx_buf_free(&buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_diag diag = {S_swallow, NULL};
	struct mx_document *doc;
	int i;

	doc = mx_document_parse((const char *)data, size, "fuzz/input.md",
	                        &diag);
	if (doc == NULL)
		return 0;
	for (i = 0; i < S_fuzz.nbackends; i++)
		S_render(S_fuzz.backend[i], S_fuzz.state[i], doc);
	S_render(&mx_backend_txt, S_fuzz.narrow_txt, doc);
	if (S_fuzz.nextra > 0)
		S_render(&mx_backend_pdf,
		         S_fuzz.extra_pdf[size % S_fuzz.nextra], doc);
	S_feed(doc);
	mx_document_free(doc);
	return 0;
}
