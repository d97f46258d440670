/*
 * bench-floor.c - what converting the corpus to text and XML cannot cost
 * less than, whatever medexport's own code does: the parts of the work that
 * the operating system and the libraries we must use do, timed alone on the
 * same documents.  scripts/bench compiles and runs it after its text+XML
 * runs, with the outputs of one of them.
 *
 *   bench-floor SCHEMA LIST SCRATCH
 *
 * LIST has one line per document: the input, its .txt output and its .xml
 * output, separated by tabs.  Everything is read into memory first (not
 * timed).  Then, each part over all documents, best of three:
 *
 *   io      open, fstat, read and close the input; write the two outputs
 *           atomically as medexport does (a new temporary file beside the
 *           target, one write, close, rename), relative to a descriptor of
 *           their directory, below SCRATCH, which should be on the same
 *           file system as medexport's outputs were;
 *   cmark   parse the input with the cheapest allocator possible, a
 *           buffer bumped and emptied per document;
 *   libyaml parse the front matter into events (no values kept);
 *   sha256  the SHA-256 of the input's bytes with nettle, as the outputs
 *           carry it;
 *   libxml2 the XML medexport wrote, parsed beforehand into a tree, written
 *           again with libxml2's xmlTextWriter into memory (text as raw
 *           bytes: no escaping is counted) while the same elements,
 *           attributes and text go as SAX events to libxml2's schema
 *           validator, as src/backend/xml.c does.
 *
 * Prints one line per part, "PART MS_PER_DOC", and exits 1 when a document
 * does not validate or a file cannot be read or written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmark.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>
#include <yaml.h>

#define RUNS 3

struct doc {
	char *in_path;
	char *out[2];  /* .txt and .xml, below SCRATCH */
	char *name[2]; /* their names in their directory */
	int dirfd;     /* their directory */
	char *data[2];
	size_t len[2];
	char *in;
	size_t in_len;
	xmlDocPtr tree;
};

static struct doc *docs;
static size_t ndocs;

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "bench-floor: %s: %s: %s\n", what, path,
	        strerror(errno));
	exit(1);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("cannot read", path);
	data = malloc((size_t)n + 1);
	if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static void
make_parents(const char *path)
{
	char *dir = strdup(path);

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			die("cannot create", dir);
		*p = '/';
	}
	free(dir);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ io */

static char readbuf[16 << 20];

/* Relative to a descriptor of the output's directory, opened beforehand:
 * cheaper than medexport's whole paths (0.037 against 0.039 ms a document
 * here), and cheaper than O_TMPFILE with linkat(). */
static void
part_io(void)
{
	char tmp[64];
	unsigned serial = 0;

	for (size_t i = 0; i < ndocs; i++) {
		struct doc *d = &docs[i];
		struct stat st;
		int fd = open(d->in_path, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || fstat(fd, &st) != 0 ||
		    read(fd, readbuf, sizeof(readbuf)) < 0)
			die("cannot read", d->in_path);
		close(fd);
		for (int k = 0; k < 2; k++) {
			snprintf(tmp, sizeof(tmp), ".floor-%u.tmp", serial++);
			fd = openat(d->dirfd, tmp,
			            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			            0644);
			if (fd < 0 || write(fd, d->data[k], d->len[k]) !=
			                      (ssize_t)d->len[k])
				die("cannot write", d->out[k]);
			if (close(fd) != 0 ||
			    renameat(d->dirfd, tmp, d->dirfd, d->name[k]) != 0)
				die("cannot rename", d->out[k]);
		}
	}
}

/* --------------------------------------------------------------- cmark */

/* The cheapest allocator cmark can have: one buffer, bumped, emptied after
 * each document (medexport's arena is a little dearer: blocks of 256 KiB
 * from malloc).  Each allocation keeps its size before it, for realloc. */
static char *bump;
static size_t bump_used, bump_cap = (size_t)64 << 20;

static void *
bump_alloc(size_t size)
{
	size_t need = (sizeof(size_t) + size + 15) & ~(size_t)15;
	char *p;

	if (bump_cap - bump_used < need) {
		fprintf(stderr, "bench-floor: a document needs over 64 MiB\n");
		exit(1);
	}
	p = bump + bump_used;
	bump_used += need;
	memcpy(p, &size, sizeof(size));
	return p + sizeof(size_t);
}

static void *
bump_calloc(size_t count, size_t size)
{
	void *p = bump_alloc(count * size);

	memset(p, 0, count * size);
	return p;
}

static void *
bump_realloc(void *old, size_t size)
{
	size_t old_size;
	void *p;

	if (old == NULL)
		return bump_alloc(size);
	memcpy(&old_size, (char *)old - sizeof(size_t), sizeof(old_size));
	if (size <= old_size)
		return old;
	p = bump_alloc(size);
	memcpy(p, old, old_size);
	return p;
}

static void
bump_free(void *p)
{
	(void)p;
}

static void
part_cmark(void)
{
	cmark_mem mem = {bump_calloc, bump_realloc, bump_free};

	for (size_t i = 0; i < ndocs; i++) {
		cmark_parser *parser;

		bump_used = 0;
		/* medexport asks for smart punctuation (markdown.c). */
		parser = cmark_parser_new_with_mem(
		        CMARK_OPT_DEFAULT | CMARK_OPT_SMART, &mem);
		cmark_parser_feed(parser, docs[i].in, docs[i].in_len);
		if (cmark_parser_finish(parser) == NULL) {
			fprintf(stderr, "bench-floor: cmark failed: %s\n",
			        docs[i].in_path);
			exit(1);
		}
	}
}

/* --------------------------------------------------------------- sha256 */

static void
part_sha256(void)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	unsigned sink = 0;

	for (size_t i = 0; i < ndocs; i++) {
		struct sha256_ctx ctx;

		sha256_init(&ctx);
		sha256_update(&ctx, docs[i].in_len,
		              (const uint8_t *)docs[i].in);
		sha256_digest(&ctx, sizeof(digest), digest);
		sink += digest[0];
	}
	if (sink == 0xFFFFFFFFu)
		fputs("", stderr); /* the digests are used */
}

/* -------------------------------------------------------------- libyaml */

/* The front matter between the opening "---" line and the next "---" or
 * "..." line, parsed into events and nothing more. */
static void
part_yaml(void)
{
	for (size_t i = 0; i < ndocs; i++) {
		const char *in = docs[i].in, *start, *end;
		yaml_parser_t parser;
		yaml_event_t event;
		int done = 0;

		if (strncmp(in, "---\n", 4) != 0)
			continue;
		start = in + 4;
		for (end = start; *end; end = strchr(end, '\n') + 1) {
			if ((strncmp(end, "---", 3) == 0 ||
			     strncmp(end, "...", 3) == 0) &&
			    (end[3] == '\n' || end[3] == '\0'))
				break;
			if (strchr(end, '\n') == NULL) {
				end += strlen(end);
				break;
			}
		}
		yaml_parser_initialize(&parser);
		yaml_parser_set_input_string(&parser,
		                             (const unsigned char *)start,
		                             (size_t)(end - start));
		while (!done) {
			if (!yaml_parser_parse(&parser, &event)) {
				fprintf(stderr, "bench-floor: bad YAML: %s\n",
				        docs[i].in_path);
				exit(1);
			}
			done = event.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&event);
		}
		yaml_parser_delete(&parser);
	}
}

/* ------------------------------------------------------------- libxml2 */

static xmlSchemaValidCtxtPtr valid;
static char *membuf;
static size_t memlen, memcap;

static int
mem_write(void *user, const char *data, int len)
{
	(void)user;
	if (memlen + (size_t)len > memcap) {
		memcap = (memlen + (size_t)len) * 2;
		membuf = realloc(membuf, memcap);
		if (membuf == NULL)
			exit(1);
	}
	memcpy(membuf + memlen, data, (size_t)len);
	memlen += (size_t)len;
	return len;
}

static int
mem_close(void *user)
{
	(void)user;
	return 0;
}

/* Indentation: white space with a line break, between elements. */
static int
is_indent(const xmlChar *s)
{
	int newline = 0;

	for (; *s; s++) {
		if (*s == '\n')
			newline = 1;
		else if (*s != ' ')
			return 0;
	}
	return newline;
}

static void
emit(xmlTextWriterPtr w, xmlSAXHandlerPtr sax, void *ctx, xmlNodePtr node,
     int root)
{
	const xmlChar *attrs[5 * 8];
	const xmlChar *ns[2] = {NULL, node->ns ? node->ns->href : NULL};
	int nattrs = 0;

	xmlTextWriterStartElement(w, node->name);
	if (root && node->ns)
		xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
		                            node->ns->href);
	for (xmlAttrPtr a = node->properties; a != NULL && nattrs < 8;
	     a = a->next) {
		const xmlChar *v = a->children ? a->children->content : NULL;

		/* Attributes are unqualified, but for xml:lang. */
		const xmlChar *prefix = a->ns ? a->ns->prefix : NULL;

		if (v == NULL)
			v = BAD_CAST "";
		if (prefix != NULL)
			xmlTextWriterWriteAttributeNS(w, prefix, a->name, NULL,
			                              v);
		else
			xmlTextWriterWriteAttribute(w, a->name, v);
		attrs[5 * nattrs] = a->name;
		attrs[5 * nattrs + 1] = prefix;
		attrs[5 * nattrs + 2] = a->ns ? a->ns->href : NULL;
		attrs[5 * nattrs + 3] = v;
		attrs[5 * nattrs + 4] = v + xmlStrlen(v);
		nattrs++;
	}
	sax->startElementNs(ctx, node->name, NULL, ns[1], root ? 1 : 0, ns,
	                    nattrs, 0, attrs);
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			emit(w, sax, ctx, c, 0);
		} else if (c->type == XML_TEXT_NODE && c->content != NULL) {
			int len = xmlStrlen(c->content);

			xmlTextWriterWriteRawLen(w, c->content, len);
			if (!is_indent(c->content))
				sax->characters(ctx, c->content, len);
		}
	}
	xmlTextWriterEndElement(w);
	sax->endElementNs(ctx, node->name, NULL, ns[1]);
}

static void
part_libxml2(void)
{
	for (size_t i = 0; i < ndocs; i++) {
		xmlOutputBufferPtr out;
		xmlTextWriterPtr w;
		xmlSAXHandlerPtr sax = NULL;
		void *ctx = NULL;
		xmlSchemaSAXPlugPtr plug;

		memlen = 0;
		out = xmlOutputBufferCreateIO(mem_write, mem_close, NULL, NULL);
		w = out ? xmlNewTextWriter(out) : NULL;
		plug = xmlSchemaSAXPlug(valid, &sax, &ctx);
		if (w == NULL || plug == NULL) {
			fprintf(stderr, "bench-floor: libxml2 set-up failed\n");
			exit(1);
		}
		xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
		emit(w, sax, ctx, xmlDocGetRootElement(docs[i].tree), 1);
		xmlTextWriterEndDocument(w);
		xmlFreeTextWriter(w);
		xmlSchemaSAXUnplug(plug);
		if (xmlSchemaIsValid(valid) != 1) {
			fprintf(stderr, "bench-floor: not valid: %s\n",
			        docs[i].in_path);
			exit(1);
		}
	}
}

/* ---------------------------------------------------------------- main */

static void
load(const char *list, const char *scratch)
{
	FILE *f = fopen(list, "r");
	char line[3 * 4096 + 8];
	size_t cap = 0;

	if (f == NULL)
		die("cannot read", list);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *in = strtok(line, "\t\n");
		char *out[2] = {strtok(NULL, "\t\n"), strtok(NULL, "\t\n")};
		struct doc *d;

		if (in == NULL || out[0] == NULL || out[1] == NULL)
			continue;
		if (ndocs == cap) {
			cap = cap ? 2 * cap : 1024;
			docs = realloc(docs, cap * sizeof(*docs));
			if (docs == NULL)
				exit(1);
		}
		d = &docs[ndocs];
		memset(d, 0, sizeof(*d));
		d->in_path = strdup(in);
		d->in = slurp(in, &d->in_len);
		for (int k = 0; k < 2; k++) {
			size_t n = strlen(scratch) + 32;
			d->data[k] = slurp(out[k], &d->len[k]);
			d->out[k] = malloc(n);
			snprintf(d->out[k], n, "%s/%zu/%zu.%s", scratch,
			         ndocs / 100, ndocs, k ? "xml" : "txt");
			make_parents(d->out[k]);
			d->name[k] = strrchr(d->out[k], '/') + 1;
		}
		/* One descriptor per directory of 100 documents. */
		if (ndocs % 100 == 0) {
			d->name[0][-1] = '\0';
			d->dirfd = open(d->out[0], O_RDONLY | O_DIRECTORY);
			d->name[0][-1] = '/';
			if (d->dirfd < 0)
				die("cannot open", d->out[0]);
		} else {
			d->dirfd = docs[ndocs - 1].dirfd;
		}
		d->tree = xmlReadMemory(d->data[1], (int)d->len[1], out[1],
		                        NULL, XML_PARSE_NONET);
		if (d->tree == NULL || xmlDocGetRootElement(d->tree) == NULL) {
			fprintf(stderr, "bench-floor: cannot parse %s\n",
			        out[1]);
			exit(1);
		}
		ndocs++;
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} parts[] = {{"io", part_io},
	             {"cmark", part_cmark},
	             {"libyaml", part_yaml},
	             {"sha256", part_sha256},
	             {"libxml2", part_libxml2}};
	xmlDocPtr schema_doc;
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-floor SCHEMA LIST SCRATCH\n");
		return 2;
	}
	schema_doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET);
	pctxt = schema_doc ? xmlSchemaNewDocParserCtxt(schema_doc) : NULL;
	schema = pctxt ? xmlSchemaParse(pctxt) : NULL;
	valid = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (valid == NULL) {
		fprintf(stderr, "bench-floor: cannot load %s\n", argv[1]);
		return 1;
	}
	bump = malloc(bump_cap);
	if (bump == NULL)
		return 1;
	load(argv[2], argv[3]);
	if (ndocs == 0) {
		fprintf(stderr, "bench-floor: no documents in %s\n", argv[2]);
		return 1;
	}
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		double best = 0;

		for (int r = 0; r < RUNS; r++) {
			double t;

			/* medexport's outputs are new files: so are these. */
			for (size_t i = 0; i < ndocs; i++)
				for (int k = 0; k < 2; k++)
					unlink(docs[i].out[k]);
			t = now();

			parts[p].run();
			t = now() - t;
			if (r == 0 || t < best)
				best = t;
		}
		printf("%s %.4f\n", parts[p].name, best * 1000 / (double)ndocs);
	}
	return 0;
}
