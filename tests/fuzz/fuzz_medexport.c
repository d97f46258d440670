/*
 * fuzz_medexport.c - a libFuzzer harness for libmedexport.
 *
 * Each input is one monograph: arbitrary bytes go through the input checks,
 * the front matter, the tree builder and then every backend of mx_backends[]
 * into memory, and through the XML backend's feed hooks.  Backend states are
 * created once, as ./medexport creates them (defaults of mx_options_init()),
 * and serve every input, so the fuzzer also finds state that leaks from one
 * document into the next.  Diagnostics are swallowed.
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

static void
S_swallow(void *user, enum mx_severity severity, const char *file, int line,
          const char *message)
{
	(void)user;
	(void)severity;
	(void)file;
	(void)line;
	(void)message;
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

	(void)be->render(state, doc, &sink);
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
		(void)mx_backend_xml.feed_end(S_fuzz.feed_xml, added,
		                              2 - added);
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
