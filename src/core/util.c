/*
 * util.c - diagnostics, growable buffers, sinks and the arena that owns a
 * monograph tree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "medexport.h"
#include "core/private.h"

/* 9999-12-31T23:59:59Z: the last second a four-digit year can write. */
#define MX_SOURCE_DATE_MAX 253402300799LL

void
mx_report(const struct mx_diag *diag, enum mx_severity severity,
          const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (diag == NULL || diag->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag->fn(diag->user, severity, file, line, msg);
}

int
mx_buf_grow(struct mx_buf *buf, size_t extra)
{
	size_t cap;
	char *data;

	if (buf->len + extra + 1 <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 256;
	while (cap < buf->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	data = realloc(buf->data, cap);
	if (data == NULL)
		return -1;
	buf->data = data;
	buf->cap = cap;
	return 0;
}

int
mx_buf_put(struct mx_buf *buf, const void *data, size_t len)
{
	if (mx_buf_grow(buf, len) != 0)
		return -1;
	if (len > 0)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return 0;
}

int
mx_buf_puts(struct mx_buf *buf, const char *s)
{
	return mx_buf_put(buf, s, strlen(s));
}

int
mx_buf_putc(struct mx_buf *buf, char c)
{
	return mx_buf_put(buf, &c, 1);
}

void
mx_buf_free(struct mx_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

static int
S_buf_write(void *user, const void *data, size_t len)
{
	return mx_buf_put(user, data, len);
}

struct mx_sink
mx_buf_sink(struct mx_buf *buf)
{
	struct mx_sink sink = {S_buf_write, buf};
	return sink;
}

int
mx_sink_put(struct mx_sink *sink, const void *data, size_t len)
{
	return sink->write(sink->user, data, len);
}

int
mx_sink_puts(struct mx_sink *sink, const char *s)
{
	return sink->write(sink->user, s, strlen(s));
}

size_t
mx_ascii_span(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0;
	uint64_t w;

	/* A byte of w has its top bit set in (w | (w - 0x20) | (w + 1)) when
	 * it is 0x80 or more, below 0x20 (which borrows) or 0x7F; bytes above
	 * a flagged one may be flagged too, which does not change the test. */
	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		if (((w | (w - 0x20 * ones) | (w + ones)) & highs) != 0)
			break;
	}
	/* Fewer than eight bytes left, all of a text of eight or more: the
	 * last eight, read again, tell at once whether the span is whole. */
	if (len >= 8 && len - i < 8) {
		memcpy(&w, s + len - 8, sizeof(w));
		if (((w | (w - 0x20 * ones) | (w + ones)) & highs) == 0)
			return len;
	}
	while (i < len && (unsigned char)s[i] >= 0x20 &&
	       (unsigned char)s[i] < 0x7F)
		i++;
	return i;
}

/* The first place of `needle` in `hay`, without case, or NULL. */
const char *
mx_casestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	unsigned char first = (unsigned char)needle[0] | 0x20;

	if (n == 0)
		return *hay ? hay : NULL;
	/* The first byte, without case, before the whole: this runs over
	 * every heading and label. */
	for (; *hay; hay++)
		if (((unsigned char)*hay | 0x20) == first &&
		    strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* The arena hands out memory in large blocks and frees them all at once, so
 * that a tree of thousands of small nodes costs a handful of mallocs. */
struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

struct mx_arena {
	struct arena_block *head;
};

struct mx_arena *
mx_arena_new(void)
{
	return calloc(1, sizeof(struct mx_arena));
}

/* `size` rounded up to the arena's alignment. */
static size_t
S_arena_round(size_t size)
{
	const size_t align = sizeof(max_align_t);

	return (size + align - 1) / align * align;
}

/* A new block, which holds first an allocation of `size` bytes (rounded),
 * returned, and room for at least `room` bytes in all. */
static void *
S_arena_new_block_for(struct mx_arena *arena, size_t size, size_t room)
{
	size_t bsize = room > 16384 ? room : 16384;
	struct arena_block *b = malloc(sizeof(*b) + bsize);

	if (b == NULL)
		return NULL;
	b->size = bsize;
	b->used = size;
	b->next = arena->head;
	arena->head = b;
	return b->data;
}

static void *
S_arena_new_block(struct mx_arena *arena, size_t size)
{
	return S_arena_new_block_for(arena, size, size);
}

/* Memory from the arena, not cleared.  Inline: it runs for every node and
 * string, and for every allocation of cmark's. */
static inline void *
S_arena_take(struct mx_arena *arena, size_t size)
{
	struct arena_block *b = arena->head;
	void *p;

	if (size > SIZE_MAX / 2)
		return NULL; /* which rounding would wrap */
	size = S_arena_round(size);
	if (b == NULL || b->size - b->used < size)
		return S_arena_new_block(arena, size);
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void *
mx_arena_alloc(struct mx_arena *arena, size_t size)
{
	void *p = S_arena_take(arena, size);

	if (p != NULL)
		memset(p, 0, S_arena_round(size));
	return p;
}

char *
mx_arena_strndup(struct mx_arena *arena, const char *s, size_t len)
{
	char *p = S_arena_take(arena, len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
mx_arena_grow(struct mx_arena *arena, void *p, size_t old, size_t size)
{
	struct arena_block *b = arena->head;
	size_t had = S_arena_round(old), need = S_arena_round(size);
	void *q;

	if (size > SIZE_MAX / 2)
		return NULL;
	/* The latest allocation of its block grows where it is. */
	if (p != NULL && b != NULL && b->used >= had &&
	    (char *)p == (char *)b->data + (b->used - had) &&
	    b->size - (b->used - had) >= need) {
		b->used = b->used - had + need;
		return p;
	}
	/* Moved, a growing allocation gets a block with as much room again:
	 * a text that grows by a line at a time (a paragraph of soft line
	 * breaks) is copied log n times, not once a line. */
	if (p != NULL && need > 4096 && need <= SIZE_MAX / 4)
		q = S_arena_new_block_for(arena, need, 2 * need);
	else
		q = S_arena_take(arena, size);
	if (q != NULL && p != NULL)
		memcpy(q, p, old < size ? old : size);
	return q;
}

char *
mx_arena_append(struct mx_arena *arena, char *s, size_t slen, const char *add,
                size_t len)
{
	char *p = mx_arena_grow(arena, s, slen + 1, slen + len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p + slen, add, len);
	p[slen + len] = '\0';
	return p;
}

char *
mx_arena_strdup(struct mx_arena *arena, const char *s)
{
	return mx_arena_strndup(arena, s, strlen(s));
}

void
mx_arena_free(struct mx_arena *arena)
{
	struct arena_block *b, *next;

	if (arena == NULL)
		return;
	for (b = arena->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(arena);
}

void
mx_options_init(struct mx_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->source_date = -1;
}

int
mx_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
mx_source_date_parse(const char *value, long long *date)
{
	long long v = 0;
	const char *p = value;

	if (*p == '\0')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > MX_SOURCE_DATE_MAX)
			return -1;
	}
	if (*p != '\0')
		return -1;
	*date = v;
	return 0;
}

static const char *const type_names[MX_NODE_TYPE_COUNT] = {
        "document", "section",    "paragraph",  "list",
        "item",     "label",      "qa",         "question",
        "answer",   "blockquote", "code_block", "thematic_break",
        "text",     "strong",     "emph",       "code",
        "link",     "linebreak",  "sub",        "sup",
};

const char *
mx_node_type_name(enum mx_node_type type)
{
	return type < MX_NODE_TYPE_COUNT ? type_names[type] : "?";
}

const char *
mx_inline_style_name(enum mx_node_type type)
{
	switch (type) {
	case MX_NODE_STRONG:
		return "b";
	case MX_NODE_EMPH:
		return "i";
	case MX_NODE_SUB:
		return "sub";
	default:
		return "sup";
	}
}

int
mx_feed_timestamp(long long source_date, char *out, size_t size)
{
	time_t t = source_date >= 0 ? (time_t)source_date : time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return 0;
}
