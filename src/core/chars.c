/*
 * chars.c - text that must not break an output: the one decoding of UTF-8
 * (utf8proc's), characters no backend may write (bytes that are not UTF-8,
 * surrogates, non-characters), replaced by U+FFFD, and the check of a BCP
 * 47 language tag (the front matter's `lang`).
 */
#include <string.h>

#include <utf8proc.h>

#include "core/private.h"
#include "core/support.h"

size_t
mx_utf8_valid(const char *s, size_t avail, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	                     avail > 4 ? 4 : (utf8proc_ssize_t)avail, &c);
	if (n <= 0)
		return 0;
	*cp = c;
	return (size_t)n;
}

int
mx_utf8_decode(const char *s, size_t len, int32_t *cp)
{
	size_t n = mx_utf8_valid(s, len, cp);

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return (int)n;
}

const char *
mx_utf8_repair_from(const char *s, size_t len, size_t from, struct mx_buf *out,
                    size_t *bad)
{
	const char *p = s + from, *end = s + len;
	int32_t cp;
	size_t n;

	while (p < end) {
		if ((n = mx_utf8_valid(p, (size_t)(end - p), &cp)) == 0)
			break;
		p += n;
		p += mx_ascii_span(p, (size_t)(end - p));
	}
	if (p == end)
		return s;
	out->len = 0;
	for (p = s; p < end; p += n) {
		n = mx_utf8_valid(p, (size_t)(end - p), &cp);
		if (n == 0) {
			++*bad;
			n = 1;
			if (mx_buf_puts(out, "\xEF\xBF\xBD") != 0)
				return NULL;
		} else if (mx_buf_put(out, p, n) != 0) {
			return NULL;
		}
	}
	return out->data;
}

const char *
mx_text_clean(const char *s, size_t *len, struct mx_buf *out,
              struct mx_clean *c)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + *len, *run;
	int32_t cp = 0;
	size_t n;

	c->replaced = 0;
	c->first = 0;
	c->has_fffd = 0;
	/* Most text is ASCII: skipped eight bytes at a time. */
	while (p < end) {
		p += mx_ascii_span((const char *)p, (size_t)(end - p));
		if (p == end)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = mx_utf8_valid((const char *)p, (size_t)(end - p), &cp);
		if (n == 0 || mx_char_is_bad(cp))
			break;
		if (cp == 0xFFFD)
			c->has_fffd = 1;
		p += n;
	}
	if (p == end)
		return s;

	out->len = 0;
	if (mx_buf_put(out, s, (size_t)(p - (const unsigned char *)s)) != 0)
		return NULL;
	run = p;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = mx_utf8_valid((const char *)p, (size_t)(end - p), &cp);
		if (n != 0 && !mx_char_is_bad(cp)) {
			if (cp == 0xFFFD)
				c->has_fffd = 1;
			p += n;
			continue;
		}
		if (c->replaced++ == 0)
			c->first = n == 0 ? -1 : cp;
		if (mx_buf_put(out, run, (size_t)(p - run)) != 0 ||
		    mx_buf_puts(out, "\xEF\xBF\xBD") != 0)
			return NULL;
		p += n == 0 ? 1 : n;
		run = p;
	}
	if (mx_buf_put(out, run, (size_t)(p - run)) != 0)
		return NULL;
	c->has_fffd = 1;
	*len = out->len;
	return out->data;
}

/* ---------------------------------------------------------------------
 * Language tags (RFC 5646, section 2.1)
 */

static int
S_all(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
S_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
S_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
S_alnum(int c)
{
	return S_alpha(c) || S_digit(c);
}

int
mx_lang_tag_valid(const char *tag)
{
	/* The subtags, and where the grammar has got to. */
	enum { LANG, EXTLANG, SCRIPT, REGION, VARIANT, EXTENSION, PRIVATE };
	const char *sub[64];
	size_t len[64], count = 0, i = 0;
	const char *p = tag;
	int state = LANG, extlangs = 0, ext_subtags = 0;

	if (strlen(tag) > 255)
		return 0;
	for (;;) {
		const char *dash = strchr(p, '-');
		size_t n = dash ? (size_t)(dash - p) : strlen(p);
		if (n < 1 || n > 8 || !S_all(p, n, S_alnum) || count == 64)
			return 0;
		sub[count] = p;
		len[count++] = n;
		if (dash == NULL)
			break;
		p = dash + 1;
	}
	/* "x-..." (private use) and "i-..." (grandfathered) tags. */
	if (len[0] == 1 && (sub[0][0] == 'x' || sub[0][0] == 'X' ||
	                    sub[0][0] == 'i' || sub[0][0] == 'I'))
		return count > 1;
	/* 4 to 8 letters are well-formed too, but reserved or registered
	 * one by one, and none is: "english" is a mistake, not a tag. */
	if (!S_all(sub[0], len[0], S_alpha) || len[0] < 2 || len[0] > 3)
		return 0;
	state = EXTLANG;
	for (i = 1; i < count; i++) {
		const char *s = sub[i];
		size_t n = len[i];

		if (state == PRIVATE)
			continue; /* 1 to 8 letters and digits: checked */
		if (n == 1) {
			/* A singleton: an extension, or private use. */
			if (state == EXTENSION && ext_subtags == 0)
				return 0;
			state = (s[0] == 'x' || s[0] == 'X') ? PRIVATE
			                                     : EXTENSION;
			ext_subtags = 0;
			if (i + 1 == count)
				return 0;
			continue;
		}
		if (state == EXTENSION) {
			if (n < 2)
				return 0;
			ext_subtags++;
			continue;
		}
		if (state == EXTLANG && n == 3 && S_all(s, n, S_alpha) &&
		    extlangs < 3) {
			extlangs++;
			continue;
		}
		if (state <= SCRIPT && n == 4 && S_all(s, n, S_alpha)) {
			state = REGION;
			continue;
		}
		if (state <= REGION && ((n == 2 && S_all(s, n, S_alpha)) ||
		                        (n == 3 && S_all(s, n, S_digit)))) {
			state = VARIANT;
			continue;
		}
		if ((n >= 5) || (n == 4 && S_digit((unsigned char)s[0]))) {
			state = VARIANT;
			continue;
		}
		return 0;
	}
	return state != EXTENSION || ext_subtags > 0;
}
