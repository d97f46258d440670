/*
 * xml.c - the XML backend: monograph documents and streamed partner feeds
 * in the vocabulary urn:medexport:monograph:2 (styles/monograph.xsd,
 * docs/xml.md).
 *
 * This is the only file that includes libxml2.  Documents are written with
 * libxml2's streaming writer (xmlTextWriter) into a reusable memory buffer
 * and only then handed to the caller's sink, so a document that fails
 * never reaches its output.  When asked, the document is validated against
 * the schema while it is written: the same elements, attributes and text
 * also go as SAX events to libxml2's schema validator (xmlSchemaSAXPlug),
 * which costs less than half as much as parsing the document back and
 * validating the tree (callgrind: 0.34 against 0.80 million instructions
 * per corpus monograph).  Feeds stream through an xmlOutputBuffer whose
 * callback writes to the caller's sink; each monograph is validated on its
 * own before it is appended, so memory stays flat however many monographs
 * go in.
 *
 * libxml2 reports its errors through handlers this file installs, which
 * record the first message; nothing is printed.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "medexport.h"
#include "core/private.h"
#include "core/support.h"

#ifndef MX_DATADIR
#define MX_DATADIR "."
#endif

#define XML_NAMESPACE    "urn:medexport:monograph:2"
#define XML_VERSION      "2.0" /* the vocabulary's, on the root element */
#define SCHEMA_PATH      "styles/monograph.xsd"
#define INDENT_WIDTH     2
#define INDENT_MAX_DEPTH 32

/* libxml2 2.12 made the structured error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *S_xml_error_ptr;
#else
typedef xmlErrorPtr S_xml_error_ptr;
#endif

struct xml_state {
	struct mx_diag diag;
	int validate;
	long long source_date; /* -1: the feed is stamped with the time */
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr valid_ctxt;

	/* One monograph at a time is written (and validated) here. */
	struct mx_buf doc_buf;
	/* Text with characters XML cannot carry, after they are dropped. */
	struct mx_buf clean_buf;
	/* Text with its markup characters escaped. */
	struct mx_buf escape_buf;
	/* A file name made valid UTF-8. */
	struct mx_buf utf8_buf;
	/* For the validator: the open elements' names and the attribute
	 * values of the element being started. */
	struct mx_buf open_names;
	struct mx_buf attr_values;

	/* The first message libxml2 reported during the current operation. */
	char error[512];
	int error_line;
	int error_count;

	/* The open feed, if any. */
	struct mx_sink *feed_sink;
	xmlTextWriterPtr feed_writer;
	size_t feed_count;
	size_t feed_no_content;    /* of feed_count, status="no-content" */
	struct mx_strset feed_ids; /* the ids of the monographs in it */
	int feed_broken; /* the sink failed, or the feed is being abandoned */
};

#define MAX_ATTRIBUTES 8

/* What the tree walk needs; `failed` latches the first writer error.
 *
 * When the document is validated, every element, attribute and text that
 * goes to the writer also goes, as SAX events, to libxml2's schema
 * validator (plugged in with xmlSchemaSAXPlug()).  So the document is
 * validated while it is written, without being parsed back.  A start tag
 * is held back (`pending`) until its attributes are known. */
struct xml_writer {
	struct xml_state *st;
	xmlTextWriterPtr w;
	const char *source;
	int base_depth;
	int failed;

	xmlSAXHandlerPtr sax; /* NULL when not validating */
	void *sax_ctx;
	const char *pending;
	int pending_declares_ns;
	int nattrs;
	const char *attr_name[MAX_ATTRIBUTES];
	int attr_xml[MAX_ATTRIBUTES]; /* in the xml namespace (xml:lang) */
	size_t attr_start[MAX_ATTRIBUTES];
	size_t attr_len[MAX_ATTRIBUTES];
};

/* ---------------------------------------------------------------------
 * libxml2's memory
 *
 * The writer and the validator allocate and free a few small blocks for
 * every element (the writer's stack entry and a copy of the name, the
 * validator's automaton state and values): about a hundred thousand
 * malloc/free pairs for a hundred monographs, 8 % of the instructions of
 * a text+XML run (callgrind), in glibc's general-purpose paths.  Freed
 * blocks of up to POOL_MAX bytes are kept instead, per thread, in lists by
 * size class, and the next allocation of that class takes one back.
 *
 * The blocks are malloc's own (a class is found with
 * malloc_usable_size()), so a block from the lists may be freed with
 * free() and any block from malloc may go into them: the pools are
 * installed only when libxml2 still uses malloc and free (xmlMemGet()),
 * and memory it allocated before is freed as before.  At most POOL_KEEP
 * blocks a class stay in a thread (under 600 KB in all); a thread gives
 * its lists back when it ends, and when it destroys a backend state.  Builds
 * with AddressSanitizer keep malloc, so that it still sees every use after
 * free.  (libxml2 frees its global caches at exit only with malloc's free:
 * memcheck now counts them as still reachable.)
 */
#ifdef __SANITIZE_ADDRESS__
#define POOLS 0 /* AddressSanitizer sees every malloc and free */
#else
#define POOLS 1
#endif
#define POOL_GRAIN   16 /* bytes between size classes */
#define POOL_CLASSES 16 /* classes of 16, 32, ... 256 bytes */
#define POOL_MAX     (POOL_GRAIN * POOL_CLASSES)
#define POOL_KEEP    256

struct pool_block {
	struct pool_block *next;
};

struct pool {
	struct pool_block *free[POOL_CLASSES + 1]; /* by class; 0 unused */
	unsigned count[POOL_CLASSES + 1];
	int registered; /* with S_pool_key, which empties it at thread end */
};

static _Thread_local struct pool S_pool;
static pthread_key_t S_pool_key;
static int S_pool_key_made;

static void
S_pool_drain(void *arg)
{
	struct pool *pool = arg;

	for (int c = 1; c <= POOL_CLASSES; c++) {
		while (pool->free[c] != NULL) {
			struct pool_block *b = pool->free[c];
			pool->free[c] = b->next;
			free(b);
		}
		pool->count[c] = 0;
	}
}

static void *
S_pool_malloc(size_t size)
{
	size_t c =
	        size <= POOL_GRAIN ? 1 : (size + POOL_GRAIN - 1) / POOL_GRAIN;
	struct pool_block *b;

	if (c > POOL_CLASSES)
		return malloc(size);
	b = S_pool.free[c];
	if (b == NULL)
		return malloc(c * POOL_GRAIN); /* so that it comes back here */
	S_pool.free[c] = b->next;
	S_pool.count[c]--;
	return b;
}

static void
S_pool_free(void *p)
{
	size_t c;
	struct pool_block *b = p;

	if (p == NULL)
		return;
	c = malloc_usable_size(p) / POOL_GRAIN;
	if (c < 1 || c > POOL_CLASSES || S_pool.count[c] >= POOL_KEEP) {
		free(p);
		return;
	}
	if (!S_pool.registered) {
		/* The first block a thread keeps: empty its lists when it
		 * ends.  Without the key, blocks are not kept at all. */
		if (!S_pool_key_made ||
		    pthread_setspecific(S_pool_key, &S_pool) != 0) {
			free(p);
			return;
		}
		S_pool.registered = 1;
	}
	b->next = S_pool.free[c];
	S_pool.free[c] = b;
	S_pool.count[c]++;
}

static char *
S_pool_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = S_pool_malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static pthread_once_t S_pool_once = PTHREAD_ONCE_INIT;
static int S_pool_installed;

static void
S_install_pools(void)
{
	xmlFreeFunc f;
	xmlMallocFunc m;
	xmlReallocFunc r;
	xmlStrdupFunc d;

	if (!POOLS || xmlMemGet(&f, &m, &r, &d) != 0 || f != free ||
	    m != malloc || r != realloc)
		return; /* or the program gave libxml2 an allocator of its own
		         */
	if (pthread_key_create(&S_pool_key, S_pool_drain) != 0)
		return;
	S_pool_key_made = 1;
	if (xmlMemSetup(S_pool_free, S_pool_malloc, realloc, S_pool_strdup) ==
	    0)
		S_pool_installed = 1;
}

/* libxml2's allocator is the process's: the library never changes it by
 * itself, since a program that uses libxml2 too may have begun (and
 * libxml2 wants xmlMemSetup() before any other call).  A program that
 * owns libxml2 asks for the pools, first thing: the command line does. */
int
mx_xml_keep_small_blocks(void)
{
	pthread_once(&S_pool_once, S_install_pools);
	return S_pool_installed;
}

/* ---------------------------------------------------------------------
 * libxml2 set-up and error capture
 */

static pthread_once_t S_init_once = PTHREAD_ONCE_INIT;

static void
S_init_libxml(void)
{
	xmlInitParser();
}

static void
S_record_error(struct xml_state *st, const char *msg, int line)
{
	size_t len;

	st->error_count++;
	if (st->error_count > 1)
		return;
	snprintf(st->error, sizeof(st->error), "%s", msg);
	/* libxml2's messages end with a newline; ours do not. */
	len = strlen(st->error);
	while (len > 0 &&
	       (st->error[len - 1] == '\n' || st->error[len - 1] == ' '))
		st->error[--len] = '\0';
	st->error_line = line;
}

static void
S_on_structured_error(void *user, S_xml_error_ptr err)
{
	struct xml_state *st = user;

	if (st == NULL || err == NULL)
		return;
	if (err->level == XML_ERR_WARNING)
		return;
	S_record_error(st, err->message ? err->message : "unknown error",
	               err->line);
}

static void
S_on_generic_error(void *user, const char *fmt, ...)
{
	struct xml_state *st = user;
	char msg[512];
	va_list ap;

	if (st == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	S_record_error(st, msg, 0);
}

/* Routes libxml2's messages on this thread to `st` and forgets earlier
 * ones.  libxml2 keeps these handlers per thread, so every entry point
 * installs them before it calls the library. */
static void
S_capture_errors(struct xml_state *st)
{
	xmlSetStructuredErrorFunc(st, S_on_structured_error);
	xmlSetGenericErrorFunc(st, S_on_generic_error);
	st->error[0] = '\0';
	st->error_line = 0;
	st->error_count = 0;
}

static const char *
S_error_text(const struct xml_state *st)
{
	return st->error[0] ? st->error : "unknown libxml2 error";
}

/* ---------------------------------------------------------------------
 * Output buffers: libxml2 writes through these callbacks
 */

static int
S_buf_write_cb(void *user, const char *data, int len)
{
	if (mx_buf_put(user, data, (size_t)len) != 0)
		return -1;
	return len;
}

static int
S_feed_write_cb(void *user, const char *data, int len)
{
	struct xml_state *st = user;

	if (st->feed_broken)
		return st->feed_broken > 1 ? len : -1;
	if (mx_sink_put(st->feed_sink, data, (size_t)len) != 0) {
		st->feed_broken = 1;
		return -1;
	}
	return len;
}

static int
S_noop_close_cb(void *user)
{
	(void)user;
	return 0;
}

/* ---------------------------------------------------------------------
 * Text XML 1.0 cannot carry
 */

/* Length of the character at `s` that XML 1.0 forbids (C0 controls other
 * than tab, newline and carriage return; U+FFFE and U+FFFF), else 0.  The
 * input is valid UTF-8, so there are no surrogates to look for. */
static size_t
S_illegal_char_len(const unsigned char *s)
{
	if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r')
		return 1;
	if (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 3;
	return 0;
}

/* Returns `text`, or a copy in the state's scratch buffer without the
 * characters XML 1.0 cannot carry, after warning about them; *len is set
 * to the length of what is returned. */
static const char *
S_clean_text(struct xml_writer *xw, const char *text, size_t *len, int line)
{
	struct xml_state *st = xw->st;
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *p, *end;
	size_t dropped = 0, n;
	unsigned first = 0;

	*len = strlen(text);
	end = s + *len;
	for (p = s; p < end; p++) {
		p += mx_ascii_span((const char *)p, (size_t)(end - p));
		if (p == end)
			break;
		if (*p < 0x20 || *p == 0xEF)
			if (S_illegal_char_len(p) != 0)
				break;
	}
	if (p == end)
		return text;

	st->clean_buf.len = 0;
	*len = 0;
	if (mx_buf_put(&st->clean_buf, s, (size_t)(p - s)) != 0) {
		xw->failed = 1;
		return "";
	}
	while (*p) {
		n = S_illegal_char_len(p);
		if (n == 0) {
			if (mx_buf_putc(&st->clean_buf, (char)*p) != 0) {
				xw->failed = 1;
				return "";
			}
			p++;
			continue;
		}
		if (dropped++ == 0)
			first = n == 1 ? p[0] : 0xFFFEu + (p[2] & 1u);
		p += n;
	}
	*len = st->clean_buf.len;
	mx_report(&st->diag, MX_WARNING, xw->source, line,
	          "dropped %zu character%s that XML 1.0 cannot carry "
	          "(the first is U+%04X)",
	          dropped, dropped == 1 ? "" : "s", first);
	return st->clean_buf.data;
}

/* The document's path and id come from the command line, not from the
 * checked input, and may not be UTF-8 (a file name in Latin-1, say).
 * Returns `s`, or a copy in a buffer of its own with each invalid byte
 * replaced by U+FFFD, after warning. */
static const char *
S_valid_utf8(struct xml_writer *xw, const char *s)
{
	const char *valid;
	size_t bad;

	valid = mx_utf8_repair(s, strlen(s), &xw->st->utf8_buf, &bad);
	if (valid == NULL) {
		xw->failed = 1;
		return "";
	}
	if (valid != s)
		mx_report(&xw->st->diag, MX_WARNING, xw->source, 0,
		          "the file name is not UTF-8; %zu byte%s replaced by "
		          "U+FFFD in the XML",
		          bad, bad == 1 ? "" : "s");
	return valid;
}

/* ---------------------------------------------------------------------
 * Writing elements
 *
 * Indentation is written by hand rather than with xmlTextWriterSetIndent():
 * libxml2's indenter puts a newline before every start tag, which would add
 * white space inside paragraphs (mixed content).  Here only element-only
 * content is indented; text is written exactly as it is in the tree.
 */

static void
S_check(struct xml_writer *xw, int rc)
{
	if (rc < 0)
		xw->failed = 1;
}

static void
S_newline(struct xml_writer *xw, int depth)
{
	static const char spaces[] = "\n                                "
	                             "                                ";
	int d = xw->base_depth + depth;

	if (d > INDENT_MAX_DEPTH)
		d = INDENT_MAX_DEPTH;
	S_check(xw, xmlTextWriterWriteRawLen(xw->w, BAD_CAST spaces,
	                                     1 + d * INDENT_WIDTH));
}

/* Hands the held-back start tag to the validator. */
static void
S_sax_flush(struct xml_writer *xw)
{
	static const xmlChar *const ns[2] = {NULL, BAD_CAST XML_NAMESPACE};
	const xmlChar *attrs[5 * MAX_ATTRIBUTES];
	const xmlChar *values = BAD_CAST xw->st->attr_values.data;
	int i;

	if (xw->pending == NULL)
		return;
	for (i = 0; i < xw->nattrs; i++) {
		/* Attributes are unqualified, but for xml:lang. */
		int x = xw->attr_xml[i];
		attrs[5 * i] = BAD_CAST xw->attr_name[i] + (x ? 4 : 0);
		attrs[5 * i + 1] = x ? BAD_CAST "xml" : NULL;
		attrs[5 * i + 2] = x ? XML_XML_NAMESPACE : NULL;
		attrs[5 * i + 3] = values + xw->attr_start[i];
		attrs[5 * i + 4] = values + xw->attr_start[i] + xw->attr_len[i];
	}
	xw->sax->startElementNs(xw->sax_ctx, BAD_CAST xw->pending, NULL,
	                        BAD_CAST XML_NAMESPACE,
	                        xw->pending_declares_ns ? 1 : 0,
	                        (const xmlChar **)ns, xw->nattrs, 0, attrs);
	xw->pending = NULL;
	xw->pending_declares_ns = 0;
	xw->nattrs = 0;
	xw->st->attr_values.len = 0;
}

static void
S_start(struct xml_writer *xw, const char *name)
{
	struct mx_buf *names = &xw->st->open_names;

	S_check(xw, xmlTextWriterStartElement(xw->w, BAD_CAST name));
	if (xw->sax == NULL)
		return;
	S_sax_flush(xw);
	/* The open elements' names, a stack of pointers: pushed without a
	 * call while the buffer has room (this runs for every element). */
	if (names->len + sizeof(name) < names->cap) {
		memcpy(names->data + names->len, &name, sizeof(name));
		names->len += sizeof(name);
		names->data[names->len] = '\0'; /* as mx_buf_put() leaves it */
	} else if (mx_buf_put(names, &name, sizeof(name)) != 0) {
		xw->failed = 1;
	}
	xw->pending = name;
}

static void
S_end(struct xml_writer *xw)
{
	struct mx_buf *names = &xw->st->open_names;
	const char *name;

	S_check(xw, xmlTextWriterEndElement(xw->w));
	if (xw->sax == NULL || names->len < sizeof(name))
		return;
	S_sax_flush(xw);
	names->len -= sizeof(name);
	memcpy(&name, names->data + names->len, sizeof(name));
	xw->sax->endElementNs(xw->sax_ctx, BAD_CAST name, NULL,
	                      BAD_CAST XML_NAMESPACE);
}

static void
S_attr(struct xml_writer *xw, const char *name, const char *value, int line)
{
	struct mx_buf *values = &xw->st->attr_values;
	size_t len;

	value = S_clean_text(xw, value, &len, line);
	S_check(xw, xmlTextWriterWriteAttribute(xw->w, BAD_CAST name,
	                                        BAD_CAST value));
	if (xw->sax == NULL)
		return;
	/* Values are copied: a cleaned value lives in a scratch buffer. */
	if (xw->pending == NULL || xw->nattrs == MAX_ATTRIBUTES) {
		xw->failed = 1;
		return;
	}
	xw->attr_name[xw->nattrs] = name;
	xw->attr_xml[xw->nattrs] = strncmp(name, "xml:", 4) == 0;
	xw->attr_start[xw->nattrs] = values->len;
	xw->attr_len[xw->nattrs] = len;
	if (mx_buf_put(values, value, xw->attr_len[xw->nattrs]) != 0)
		xw->failed = 1;
	xw->nattrs++;
}

/* Writes text content, escaped exactly as xmlTextWriterWriteString()
 * would (xmlEncodeSpecialChars: & < > " and carriage return), but without
 * its copy of every string: most text has nothing to escape. */
static void
S_write_escaped(struct xml_writer *xw, const char *text, size_t len)
{
	struct mx_buf *buf = &xw->st->escape_buf;
	const char *p, *run = text, *end = text + len;
	const char *entity;

	static const char special[] = "&<>\"\r";

	/* `text` is a C string of `len` bytes: libc's vectorised search
	 * finds each character to escape. */
	p = text + strcspn(text, special);
	if (p == end) {
		if (len > INT_MAX)
			xw->failed = 1;
		else
			S_check(xw, xmlTextWriterWriteRawLen(
			                    xw->w, BAD_CAST text, (int)len));
		return;
	}
	buf->len = 0;
	for (; p < end; p += 1 + strcspn(p + 1, special)) {
		switch (*p) {
		case '&':
			entity = "&amp;";
			break;
		case '<':
			entity = "&lt;";
			break;
		case '>':
			entity = "&gt;";
			break;
		case '"':
			entity = "&quot;";
			break;
		default: /* '\r' */
			entity = "&#13;";
			break;
		}
		if (mx_buf_put(buf, run, (size_t)(p - run)) != 0 ||
		    mx_buf_puts(buf, entity) != 0) {
			xw->failed = 1;
			return;
		}
		run = p + 1;
	}
	if (mx_buf_put(buf, run, (size_t)(end - run)) != 0 ||
	    buf->len > INT_MAX) {
		xw->failed = 1;
		return;
	}
	S_check(xw, xmlTextWriterWriteRawLen(xw->w, BAD_CAST buf->data,
	                                     (int)buf->len));
}

static void
S_text(struct xml_writer *xw, const char *text, int line)
{
	size_t len;

	if (text == NULL || text[0] == '\0')
		return;
	text = S_clean_text(xw, text, &len, line);
	if (len == 0)
		return;
	S_write_escaped(xw, text, len);
	if (xw->sax == NULL)
		return;
	S_sax_flush(xw);
	if (len > INT_MAX) {
		xw->failed = 1;
		return;
	}
	xw->sax->characters(xw->sax_ctx, BAD_CAST text, (int)len);
}

/* An element holding only text, on its own line. */
static void
S_text_element(struct xml_writer *xw, int depth, const char *name,
               const char *text, int line)
{
	S_newline(xw, depth);
	S_start(xw, name);
	S_text(xw, text, line);
	S_end(xw);
}

static void
S_write_inlines(struct xml_writer *xw, const struct mx_node *node)
{
	for (; node != NULL && !xw->failed; node = node->next) {
		switch (node->type) {
		case MX_NODE_TEXT:
			S_text(xw, node->text, node->line);
			break;
		case MX_NODE_STRONG:
		case MX_NODE_EMPH:
		case MX_NODE_SUB:
		case MX_NODE_SUP:
			S_start(xw, mx_inline_style_name(node->type));
			S_write_inlines(xw, node->first_child);
			S_end(xw);
			break;
		case MX_NODE_CODE:
			S_start(xw, "code");
			S_text(xw, node->text, node->line);
			S_end(xw);
			break;
		case MX_NODE_LINK:
			S_start(xw, "a");
			S_attr(xw, "href", node->url ? node->url : "",
			       node->line);
			S_write_inlines(xw, node->first_child);
			S_end(xw);
			break;
		case MX_NODE_LINEBREAK:
			S_start(xw, "br");
			S_end(xw);
			break;
		default:
			/* Blocks never sit among inlines; keep their text. */
			S_write_inlines(xw, node->first_child);
			break;
		}
	}
}

/* An element whose content is inline (mixed) content, on its own line. */
static void
S_inline_element(struct xml_writer *xw, int depth, const char *name,
                 const struct mx_node *node)
{
	S_newline(xw, depth);
	S_start(xw, name);
	S_write_inlines(xw, node->first_child);
	S_end(xw);
}

static void S_write_blocks(struct xml_writer *xw, int depth,
                           const struct mx_node *node);

/* An element whose content is blocks, each on its own line; the end tag
 * goes on a line of its own unless the element is empty. */
static void
S_block_element(struct xml_writer *xw, int depth, const char *name,
                const struct mx_node *first)
{
	S_newline(xw, depth);
	S_start(xw, name);
	S_write_blocks(xw, depth + 1, first);
	if (first != NULL)
		S_newline(xw, depth);
	S_end(xw);
}

static void
S_write_list(struct xml_writer *xw, int depth, const struct mx_node *list)
{
	const struct mx_node *item;
	char start[24];

	S_newline(xw, depth);
	S_start(xw, "list");
	if (list->ordered) {
		S_attr(xw, "type", "ordered", list->line);
		snprintf(start, sizeof(start), "%d", list->start);
		S_attr(xw, "start", start, list->line);
	} else {
		S_attr(xw, "type", "bullet", list->line);
	}
	for (item = list->first_child; item != NULL; item = item->next)
		S_block_element(xw, depth + 1, "item", item->first_child);
	if (list->first_child != NULL)
		S_newline(xw, depth);
	S_end(xw);
}

static void
S_write_qa(struct xml_writer *xw, int depth, const struct mx_node *qa)
{
	const struct mx_node *part;

	S_newline(xw, depth);
	S_start(xw, "qa");
	for (part = qa->first_child; part != NULL; part = part->next) {
		if (part->type == MX_NODE_QUESTION)
			S_inline_element(xw, depth + 1, "question", part);
		else
			S_block_element(xw, depth + 1, "answer",
			                part->first_child);
	}
	S_newline(xw, depth);
	S_end(xw);
}

static void
S_write_section(struct xml_writer *xw, int depth, const struct mx_node *section)
{
	const char *loinc = mx_kind_loinc(section->kind);

	S_newline(xw, depth);
	S_start(xw, "section");
	S_attr(xw, "kind", mx_kind_name(section->kind), section->line);
	if (loinc != NULL)
		S_attr(xw, "loinc", loinc, section->line);
	if (mx_population_name(section->population))
		S_attr(xw, "population",
		       mx_population_name(section->population), section->line);
	if (mx_frequency_name(section->frequency))
		S_attr(xw, "frequency", mx_frequency_name(section->frequency),
		       section->line);
	if (section->serious)
		S_attr(xw, "serious", "true", section->line);
	if (section->ingredient)
		S_attr(xw, "ingredient", section->ingredient, section->line);
	S_text_element(xw, depth + 1, "heading",
	               section->text ? section->text : "", section->line);
	S_write_blocks(xw, depth + 1, section->first_child);
	S_newline(xw, depth);
	S_end(xw);
}

static void
S_write_blocks(struct xml_writer *xw, int depth, const struct mx_node *node)
{
	for (; node != NULL && !xw->failed; node = node->next) {
		switch (node->type) {
		case MX_NODE_SECTION:
			S_write_section(xw, depth, node);
			break;
		case MX_NODE_PARAGRAPH:
			S_inline_element(xw, depth, "p", node);
			break;
		case MX_NODE_LABEL:
			S_inline_element(xw, depth, "label", node);
			break;
		case MX_NODE_LIST:
			S_write_list(xw, depth, node);
			break;
		case MX_NODE_QA:
			S_write_qa(xw, depth, node);
			break;
		case MX_NODE_BLOCKQUOTE:
			S_block_element(xw, depth, "blockquote",
			                node->first_child);
			break;
		case MX_NODE_CODE_BLOCK:
			S_text_element(xw, depth, "pre", node->text,
			               node->line);
			break;
		case MX_NODE_THEMATIC_BREAK:
			S_newline(xw, depth);
			S_start(xw, "hr");
			S_end(xw);
			break;
		default:
			/* Inlines never sit among blocks; keep their text. */
			S_newline(xw, depth);
			S_start(xw, "p");
			S_write_inlines(xw, node);
			S_end(xw);
			return;
		}
	}
}

/* The source line of the generic name, for warnings: that of the first
 * generic-name section, else 0. */
static int
S_generic_name_line(const struct mx_document *doc)
{
	const struct mx_node *node;

	for (node = doc->root ? doc->root->first_child : NULL; node != NULL;
	     node = node->next)
		if (node->type == MX_NODE_SECTION &&
		    node->kind == MX_KIND_GENERIC_NAME)
			return node->line;
	return 0;
}

/* The content of a front matter value: a scalar's text; a list's items
 * (<item>, each a value); a mapping's entries (<meta name="...">, each a
 * value).  A list or a mapping says so in type="...", so that an empty
 * list is not an empty text.  Lists and mappings are written on one line:
 * inside them, white space would be text. */
static void
S_write_meta_value(struct xml_writer *xw, const struct mx_meta *m, int line)
{
	if (m->type == MX_META_SCALAR) {
		S_text(xw, m->value, line);
		return;
	}
	S_attr(xw, "type", m->type == MX_META_LIST ? "list" : "map", line);
	for (size_t i = 0; i < m->count && !xw->failed; i++) {
		const struct mx_meta *it = &m->items[i];
		if (it->repeated)
			continue;
		S_start(xw, m->type == MX_META_LIST ? "item" : "meta");
		if (m->type == MX_META_MAP)
			S_attr(xw, "name", it->key, it->line);
		S_write_meta_value(xw, it, it->line);
		S_end(xw);
	}
}

/* Writes <monograph> with everything in it (no XML declaration). */
static void
S_write_monograph(struct xml_writer *xw, const struct mx_document *doc)
{
	size_t i;

	S_start(xw, "monograph");
	S_check(xw, xmlTextWriterWriteAttribute(xw->w, BAD_CAST "xmlns",
	                                        BAD_CAST XML_NAMESPACE));
	xw->pending_declares_ns = 1;
	S_attr(xw, "version", XML_VERSION, 0);
	S_attr(xw, "id", S_valid_utf8(xw, doc->id ? doc->id : ""), 0);
	S_attr(xw, "source",
	       S_valid_utf8(xw, doc->relative ? doc->relative : ""), 0);
	if (doc->sha256 != NULL)
		S_attr(xw, "sha256", doc->sha256, 0);
	S_attr(xw, "xml:lang", mx_document_lang(doc), 0);
	if (doc->no_content)
		S_attr(xw, "status", "no-content", 0);
	S_text_element(xw, 1, "title", doc->title ? doc->title : "",
	               doc->title_line);
	if (doc->generic_name != NULL)
		S_text_element(xw, 1, "generic-name", doc->generic_name,
		               S_generic_name_line(doc));
	for (i = 0; i < doc->meta_count && !xw->failed; i++) {
		const struct mx_meta *m = &doc->meta[i];

		if (m->repeated)
			continue;
		S_newline(xw, 1);
		S_start(xw, "meta");
		S_attr(xw, "name", m->key ? m->key : "", m->line);
		S_write_meta_value(xw, m, m->line);
		S_end(xw);
	}
	if (doc->root != NULL)
		S_write_blocks(xw, 1, doc->root->first_child);
	S_newline(xw, 0);
	S_end(xw);
}

/* Writes `doc` into the state's buffer, as a standalone document with an
 * XML declaration, or as a bare element indented to sit inside a feed, and
 * validates it on the way when the options ask for it. */
static int
S_render_to_buffer(struct xml_state *st, const struct mx_document *doc,
                   int in_feed)
{
	struct xml_writer xw = {0};
	xmlSchemaSAXPlugPtr plug = NULL;
	xmlOutputBufferPtr out;
	int valid = 1;

	xw.st = st;
	xw.source = doc->source;
	xw.base_depth = in_feed ? 1 : 0;
	st->doc_buf.len = 0;
	st->open_names.len = 0;
	st->attr_values.len = 0;
	out = xmlOutputBufferCreateIO(S_buf_write_cb, S_noop_close_cb,
	                              &st->doc_buf, NULL);
	if (out == NULL)
		goto oom;
	xw.w = xmlNewTextWriter(out); /* takes `out`, even on failure */
	if (xw.w == NULL)
		goto oom;
	if (st->validate) {
		/* With no SAX handler of our own, the plug hands back the
		 * validator's handlers and context to call directly. */
		plug = xmlSchemaSAXPlug(st->valid_ctxt, &xw.sax, &xw.sax_ctx);
		if (plug == NULL) {
			xmlFreeTextWriter(xw.w);
			mx_report(&st->diag, MX_ERROR, doc->source, 0,
			          "cannot start the XML schema validator: %s",
			          S_error_text(st));
			return -1;
		}
	}
	if (!in_feed)
		S_check(&xw,
		        xmlTextWriterStartDocument(xw.w, "1.0", "UTF-8", NULL));
	S_write_monograph(&xw, doc);
	if (!in_feed) /* this also ends the file with a newline */
		S_check(&xw, xmlTextWriterEndDocument(xw.w));
	S_check(&xw, xmlTextWriterFlush(xw.w));
	xmlFreeTextWriter(xw.w);
	if (plug != NULL) {
		xmlSchemaSAXUnplug(plug);
		valid = xmlSchemaIsValid(st->valid_ctxt) == 1;
	}
	if (xw.failed) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "cannot write XML: %s", S_error_text(st));
		return -1;
	}
	if (!valid) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "the XML does not match the schema: %s",
		          S_error_text(st));
		return -1;
	}
	return 0;
oom:
	mx_report(&st->diag, MX_ERROR, doc->source, 0,
	          "out of memory writing XML");
	return -1;
}

/* ---------------------------------------------------------------------
 * The backend
 */

static void S_destroy(void *state);

/* The backend's options: --no-validate. */
struct xml_options {
	int validate;
};

static void
S_block_init(void *block)
{
	((struct xml_options *)block)->validate = 1;
}

static int
S_set_no_validate(void *block, const char *arg, char *err, size_t size)
{
	(void)arg;
	(void)err;
	(void)size;
	((struct xml_options *)block)->validate = 0;
	return 0;
}

static const struct mx_backend_option S_options[] = {
        {.name = "no-validate",
         .help = "do not validate against styles/monograph.xsd",
         .set = S_set_no_validate},
        {.name = NULL},
};

static void *
S_create(const struct mx_options *opts, const void *block)
{
	const struct xml_options *o = block;
	struct xml_state *st;
	const char *datadir = opts->datadir ? opts->datadir : MX_DATADIR;
	xmlSchemaParserCtxtPtr parser = NULL;
	xmlDocPtr schema_doc = NULL;
	char *path = NULL;
	size_t path_len;

	pthread_once(&S_init_once, S_init_libxml);
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		mx_report(&opts->diag, MX_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	st->diag = opts->diag;
	st->validate = o->validate;
	st->source_date = opts->source_date;
	S_capture_errors(st);

	path_len = strlen(datadir) + sizeof("/" SCHEMA_PATH);
	path = malloc(path_len);
	if (path == NULL)
		goto oom;
	snprintf(path, path_len, "%s/%s", datadir, SCHEMA_PATH);

	/* libxml2 says only "unknown error" for a file that is not there. */
	if (access(path, R_OK) != 0) {
		mx_report(
		        &st->diag, MX_ERROR, path, 0,
		        "cannot read the XML schema: %s (is MEDEXPORT_DATADIR "
		        "or the data directory right?)",
		        strerror(errno));
		goto fail;
	}
	/* Read the schema document ourselves so that the network stays off
	 * (xmlSchemaNewParserCtxt() would load it with default options). */
	schema_doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	if (schema_doc == NULL) {
		mx_report(&st->diag, MX_ERROR, path, st->error_line,
		          "cannot read the XML schema: %s", S_error_text(st));
		goto fail;
	}
	parser = xmlSchemaNewDocParserCtxt(schema_doc);
	if (parser == NULL)
		goto oom;
	xmlSchemaSetParserStructuredErrors(parser, S_on_structured_error, st);
	st->schema = xmlSchemaParse(parser);
	if (st->schema == NULL) {
		mx_report(&st->diag, MX_ERROR, path, st->error_line,
		          "invalid XML schema: %s", S_error_text(st));
		goto fail;
	}
	st->valid_ctxt = xmlSchemaNewValidCtxt(st->schema);
	if (st->valid_ctxt == NULL)
		goto oom;
	xmlSchemaSetValidStructuredErrors(st->valid_ctxt, S_on_structured_error,
	                                  st);
	xmlSchemaFreeParserCtxt(parser);
	xmlFreeDoc(schema_doc);
	free(path);
	return st;
oom:
	mx_report(&st->diag, MX_ERROR, NULL, 0, "out of memory");
fail:
	xmlSchemaFreeParserCtxt(parser);
	xmlFreeDoc(schema_doc);
	free(path);
	S_destroy(st);
	return NULL;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *out)
{
	struct xml_state *st = state;

	S_capture_errors(st);
	if (S_render_to_buffer(st, doc, 0) != 0)
		return -1;
	if (mx_sink_put(out, st->doc_buf.data, st->doc_buf.len) != 0) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "cannot write the XML output");
		return -1;
	}
	return 0;
}

static void
S_free_feed(struct xml_state *st)
{
	if (st->feed_writer != NULL) {
		/* Freeing flushes what is left; an abandoned feed's output is
		 * discarded rather than sent to a sink that may be gone. */
		if (!st->feed_broken)
			st->feed_broken = 2;
		xmlFreeTextWriter(st->feed_writer);
		st->feed_writer = NULL;
	}
	st->feed_sink = NULL;
}

static void
S_destroy(void *state)
{
	struct xml_state *st = state;

	if (st == NULL)
		return;
	S_capture_errors(st);
	S_free_feed(st);
	if (st->valid_ctxt != NULL)
		xmlSchemaFreeValidCtxt(st->valid_ctxt);
	if (st->schema != NULL)
		xmlSchemaFree(st->schema);
	mx_buf_free(&st->doc_buf);
	mx_buf_free(&st->clean_buf);
	mx_buf_free(&st->escape_buf);
	mx_buf_free(&st->utf8_buf);
	mx_buf_free(&st->open_names);
	mx_buf_free(&st->attr_values);
	mx_strset_clear(&st->feed_ids);
	/* Leave no handler pointing at freed state. */
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	free(st);
	/* What this thread's pools keep goes back to malloc with the state
	 * that used it (other threads' pools are their own). */
	S_pool_drain(&S_pool);
}

static int
S_feed_begin(void *state, struct mx_sink *out)
{
	struct xml_state *st = state;
	struct xml_writer xw = {.st = st};
	xmlOutputBufferPtr obuf;
	char stamp[64];

	S_capture_errors(st);
	S_free_feed(st);
	st->feed_sink = out;
	st->feed_broken = 0;
	st->feed_count = 0;
	st->feed_no_content = 0;
	mx_strset_clear(&st->feed_ids);
	if (mx_feed_timestamp(st->source_date, stamp, sizeof(stamp)) != 0) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "cannot format the feed timestamp");
		return -1;
	}
	obuf = xmlOutputBufferCreateIO(S_feed_write_cb, S_noop_close_cb, st,
	                               NULL);
	if (obuf == NULL || (xw.w = xmlNewTextWriter(obuf)) == NULL) {
		mx_report(&st->diag, MX_ERROR, NULL, 0, "out of memory");
		return -1;
	}
	st->feed_writer = xw.w;
	S_check(&xw, xmlTextWriterStartDocument(xw.w, "1.0", "UTF-8", NULL));
	S_start(&xw, "feed");
	S_check(&xw, xmlTextWriterWriteAttribute(xw.w, BAD_CAST "xmlns",
	                                         BAD_CAST XML_NAMESPACE));
	S_attr(&xw, "version", XML_VERSION, 0);
	S_attr(&xw, "generated", stamp, 0);
	if (xw.failed) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "cannot write the feed: %s", S_error_text(st));
		return -1;
	}
	return 0;
}

static int
S_feed_add(void *state, const struct mx_document *doc)
{
	struct xml_state *st = state;
	struct xml_writer xw = {
	        .st = st, .w = st->feed_writer, .source = doc->source};

	if (st->feed_writer == NULL || st->feed_broken)
		return -1;
	if (mx_feed_claim_id(&st->feed_ids, doc, &st->diag) != 0)
		return -1;
	S_capture_errors(st);
	if (S_render_to_buffer(st, doc, 1) != 0)
		return -1;
	S_newline(&xw, 1);
	if (st->doc_buf.len > INT_MAX)
		xw.failed = 1;
	else
		S_check(&xw, xmlTextWriterWriteRawLen(xw.w,
		                                      BAD_CAST st->doc_buf.data,
		                                      (int)st->doc_buf.len));
	if (xw.failed) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "cannot write to the feed");
		return -1;
	}
	st->feed_count++;
	st->feed_no_content += doc->no_content != 0;
	return 0;
}

static int
S_feed_end(void *state, size_t converted, size_t failed)
{
	struct xml_state *st = state;
	struct xml_writer xw = {.st = st, .w = st->feed_writer};
	char num[32];
	int rc = 0;

	if (st->feed_writer == NULL)
		return -1;
	S_capture_errors(st);
	/* The count is what the feed holds; the caller's figure can only
	 * differ if it counted a monograph this backend did not add. */
	(void)converted;
	S_newline(&xw, 1);
	S_start(&xw, "summary");
	snprintf(num, sizeof(num), "%zu", st->feed_count);
	S_attr(&xw, "count", num, 0);
	snprintf(num, sizeof(num), "%zu", failed);
	S_attr(&xw, "failed", num, 0);
	snprintf(num, sizeof(num), "%zu", st->feed_no_content);
	S_attr(&xw, "no-content", num, 0);
	S_end(&xw);
	S_newline(&xw, 0);
	S_check(&xw, xmlTextWriterEndDocument(xw.w));
	S_check(&xw, xmlTextWriterFlush(xw.w));
	if (xw.failed || st->feed_broken) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "cannot write the feed%s%s",
		          st->feed_broken ? "" : ": ",
		          st->feed_broken ? "" : S_error_text(st));
		rc = -1;
	}
	xmlFreeTextWriter(st->feed_writer);
	st->feed_writer = NULL;
	st->feed_sink = NULL;
	return rc;
}

const struct mx_backend mx_backend_xml = {
        .name = "xml",
        .ext = ".xml",
        .feed_ext = ".xml",
        .summary = "XML, valid against styles/monograph.xsd",
        .flags = MX_BACKEND_FEED,
        .block_size = sizeof(struct xml_options),
        .block_init = S_block_init,
        .options = S_options,
        .create = S_create,
        .render = S_render,
        .destroy = S_destroy,
        .feed_begin = S_feed_begin,
        .feed_add = S_feed_add,
        .feed_end = S_feed_end,
};
