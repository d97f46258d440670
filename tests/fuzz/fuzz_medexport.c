/*
 * fuzz_medexport.c - a libFuzzer harness for libmedexport.
 *
 * Each input is one monograph: arbitrary bytes go through the input checks,
 * the front matter, the tree builder and then every backend of mx_backends[]
 * into memory (with its defaults, and the variants of S_variants[], whose
 * options are set by name as the command line sets them), and through the
 * feed hooks of every backend that writes feeds.  Backend states are
 * created once, as ./medexport creates them, and serve every input, so the
 * fuzzer also finds state that leaks from one document into the next.
 * Diagnostics are swallowed.  Besides crashes, leaks and timeouts, a text
 * output (any backend not flagged binary) that is not UTF-8, an XML output
 * that libxml2 does not read as well-formed or that has a DTD, and a JSON
 * output json-c does not read, is a finding (S_check_output()).
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

#include <json-c/json.h>
#include <libxml/parser.h>

#include "medexport.h"

/* Besides each backend with its defaults, these variants (a backend and
 * options, set by name as the command line sets them): the ASCII and
 * narrow-wrapping paths of the text backend, and the other page sizes,
 * column counts, bleeds and crop marks of the PDF backend (one of those a
 * run, chosen by the input's size).  A variant that cannot be made is
 * skipped with a message: styles come and go, the defaults are what must
 * work. */
struct variant {
	const char *backend;
	const char *opts[3][2]; /* name, value (NULL for a flag) */
	int rotating;           /* one of the rotating variants an input */
};

static const struct variant S_variants[] = {
        {"txt", {{"width", "20"}, {"ascii", NULL}}, 0},
        {"pdf", {{"style", "leaflet-a5"}, {"bleed", "0"}}, 1},
        {"pdf", {{"style", "large-print"}}, 1},
        {"pdf",
         {{"style", "trifold-letter"}, {"bleed", "3"}, {"crop-marks", NULL}},
         1},
};
#define NVARIANTS  (sizeof(S_variants) / sizeof(S_variants[0]))
#define MAX_STATES 16

struct fuzz_state {
	const struct mx_backend *backend[MAX_STATES];
	void *state[MAX_STATES];
	int nbackends;
	/* A second state of each backend that writes feeds, for its feed. */
	const struct mx_backend *feed_backend[MAX_STATES];
	void *feed_state[MAX_STATES];
	int nfeeds;
	const struct mx_backend *variant_backend[NVARIANTS];
	void *variant_state[NVARIANTS];
	int variant_rotating[NVARIANTS];
	size_t nvariants, nrotating;
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

/* Whether libxml2 reads the document (network and entities off). */
static int
S_xml_well_formed(const struct mx_buf *buf)
{
	xmlDocPtr doc;

	if (buf->len > INT32_MAX)
		return 0;
	doc = xmlReadMemory(buf->data, (int)buf->len, "out.xml", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	xmlFreeDoc(doc);
	return doc != NULL;
}

/* Whether each line of `buf` is one JSON text (a document's newlines are
 * inside it: a pretty-printed document is read whole). */
static int
S_json_reads(const struct mx_buf *buf)
{
	struct json_tokener *tok = json_tokener_new();
	const char *p = buf->data, *end = buf->data + buf->len;
	int ok = tok != NULL;

	while (ok && p < end) {
		json_object *obj;
		if (*p == '\n') {
			p++;
			continue;
		}
		obj = json_tokener_parse_ex(tok, p, (int)(end - p));
		ok = obj != NULL;
		p += json_tokener_get_parse_end(tok);
		json_object_put(obj);
		json_tokener_reset(tok);
	}
	json_tokener_free(tok);
	return ok;
}

/* Properties every output must have, whatever the input: text outputs are
 * UTF-8, and XML never carries a DTD or entity declarations (issue 6).  A
 * failure is a finding: the harness aborts with the reason. */
static void
S_check_output(const char *what, const struct mx_buf *buf)
{
	const struct mx_backend *be = mx_backend_find(what);
	const char *bad = NULL;

	if ((be != NULL && (be->flags & MX_BACKEND_BINARY)) || buf->len == 0)
		return;
	if (!S_valid_utf8((const unsigned char *)buf->data, buf->len))
		bad = "is not valid UTF-8";
	else if (strcmp(what, "xml") == 0 &&
	         (S_find(buf, "<!DOCTYPE") || S_find(buf, "<!ENTITY")))
		bad = "holds a DTD or an entity declaration";
	else if (strcmp(what, "xml") == 0 && !S_xml_well_formed(buf))
		bad = "is not well-formed XML";
	else if (strcmp(what, "json") == 0 && !S_json_reads(buf))
		bad = "is not JSON (JSON Lines for a feed)";
	if (bad != NULL) {
		fprintf(stderr, "fuzz_medexport: %s output %s\n", what, bad);
		abort();
	}
}

/* A state of `be` with its defaults changed by `v` (NULL: none). */
static void *
S_create(const struct mx_backend *be, const struct variant *v)
{
	struct mx_options opts;
	void *block = mx_backend_block_new(be), *st = NULL;
	char err[256];

	mx_options_init(&opts);
	opts.diag.fn = S_swallow;
	if (block == NULL)
		return NULL;
	for (size_t i = 0; v != NULL && i < 3 && v->opts[i][0]; i++) {
		if (mx_backend_set_option(be, block, v->opts[i][0],
		                          v->opts[i][1], err,
		                          sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_medexport: %s\n", err);
			free(block);
			return NULL;
		}
	}
	st = be->create(&opts, block);
	free(block);
	return st;
}

/* Creates the backend states once.  A backend that cannot be created is a
 * broken build (missing fonts, schema or style), not a finding, so the
 * harness stops at once with a message rather than fuzzing without it. */
static void
S_setup(void)
{
	for (int i = 0; mx_backends[i] != NULL && i < MAX_STATES; i++) {
		const struct mx_backend *be = mx_backends[i];
		void *st = S_create(be, NULL), *feed = NULL;
		if (st != NULL && (be->flags & MX_BACKEND_FEED) &&
		    (feed = S_create(be, NULL)) == NULL) {
			be->destroy(st);
			st = NULL;
		}
		if (st == NULL) {
			fprintf(stderr,
			        "fuzz_medexport: cannot create the %s "
			        "backend (run from the top of the tree "
			        "after `make`)\n",
			        be->name);
			abort();
		}
		S_fuzz.backend[S_fuzz.nbackends] = be;
		S_fuzz.state[S_fuzz.nbackends++] = st;
		if (feed != NULL) {
			S_fuzz.feed_backend[S_fuzz.nfeeds] = be;
			S_fuzz.feed_state[S_fuzz.nfeeds++] = feed;
		}
	}
	for (size_t k = 0; k < NVARIANTS; k++) {
		const struct mx_backend *be =
		        mx_backend_find(S_variants[k].backend);
		void *st = be ? S_create(be, &S_variants[k]) : NULL;
		if (st == NULL) {
			fprintf(stderr,
			        "fuzz_medexport: variant %zu of %s skipped "
			        "(cannot create it)\n",
			        k, S_variants[k].backend);
			continue;
		}
		S_fuzz.variant_backend[S_fuzz.nvariants] = be;
		S_fuzz.variant_rotating[S_fuzz.nvariants] =
		        S_variants[k].rotating;
		S_fuzz.variant_state[S_fuzz.nvariants++] = st;
		S_fuzz.nrotating += S_variants[k].rotating != 0;
	}
}

static void
S_teardown(void)
{
	for (int i = 0; i < S_fuzz.nbackends; i++)
		S_fuzz.backend[i]->destroy(S_fuzz.state[i]);
	for (int i = 0; i < S_fuzz.nfeeds; i++)
		S_fuzz.feed_backend[i]->destroy(S_fuzz.feed_state[i]);
	for (size_t k = 0; k < S_fuzz.nvariants; k++)
		S_fuzz.variant_backend[k]->destroy(S_fuzz.variant_state[k]);
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

/* A feed of the document twice, in every backend that writes feeds:
 * begin, add, add, end.  The ids are the caller's to make unique. */
static void
S_feed(const struct mx_backend *be, void *state, struct mx_document *doc)
{
	struct mx_buf buf = {NULL, 0, 0};
	struct mx_sink sink = mx_buf_sink(&buf);
	const char *id = doc->id;
	size_t added = 0;

	if (be->feed_begin(state, &sink) == 0) {
		added += be->feed_add(state, doc) == 0;
		doc->id = "second";
		added += be->feed_add(state, doc) == 0;
		doc->id = id;
		if (be->feed_end(state, added, 2 - added) == 0)
			S_check_output(be->name, &buf);
	}
	mx_buf_free(&buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_diag diag = {S_swallow, NULL};
	struct mx_document *doc;
	size_t rotating = 0;

	doc = mx_document_parse((const char *)data, size, "fuzz/input.md",
	                        &diag);
	if (doc == NULL)
		return 0;
	for (int i = 0; i < S_fuzz.nbackends; i++)
		S_render(S_fuzz.backend[i], S_fuzz.state[i], doc);
	for (size_t k = 0; k < S_fuzz.nvariants; k++) {
		if (S_fuzz.variant_rotating[k] &&
		    rotating++ != size % S_fuzz.nrotating)
			continue;
		S_render(S_fuzz.variant_backend[k], S_fuzz.variant_state[k],
		         doc);
	}
	for (int i = 0; i < S_fuzz.nfeeds; i++)
		S_feed(S_fuzz.feed_backend[i], S_fuzz.feed_state[i], doc);
	mx_document_free(doc);
	return 0;
}
