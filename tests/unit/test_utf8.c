/*
 * test_utf8.c - unit tests of the one check of UTF-8 that text which was
 * not read as a monograph goes through (file names, ids, what
 * mx_text_clean() repairs): mx_utf8_valid().  It must take what RFC 3629
 * takes and nothing else: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no sequence cut short by the end of what may be read.  And
 * mx_utf8_repair(), which makes such text UTF-8 for the JSON and XML
 * writers, and mx_utf8_decode(), built on it for text that was checked.
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

/* The length mx_utf8_valid() gives the `avail` bytes at `s` (a string
 * literal may hold more), and the code point it decodes. */
static size_t
S_valid(const char *s, size_t avail, int32_t *cp)
{
	*cp = -2;
	return mx_utf8_valid(s, avail, cp);
}

static void
test_characters(void **unused)
{
	int32_t cp;

	(void)unused;
	assert_int_equal(S_valid("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(S_valid("", 1, &cp), 1); /* NUL is a character */
	assert_int_equal(cp, 0);
	assert_int_equal(S_valid("\x7F", 1, &cp), 1);
	assert_int_equal(S_valid("\xC2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(S_valid("\xC3\xA9t\xC3\xA9", 6, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(S_valid("\xDF\xBF", 2, &cp), 2);
	assert_int_equal(cp, 0x7FF);
	assert_int_equal(S_valid("\xE0\xA0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(S_valid("\xE2\x82\xAC", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(S_valid("\xED\x9F\xBF", 3, &cp), 3);
	assert_int_equal(cp, 0xD7FF);
	assert_int_equal(S_valid("\xEE\x80\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xE000);
	assert_int_equal(S_valid("\xF0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(S_valid("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Non-characters and U+FFFD are UTF-8: mx_text_clean() and the XML
	 * writer decide what to do with them. */
	assert_int_equal(S_valid("\xEF\xBF\xBE", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFE);
	assert_int_equal(S_valid("\xEF\xB7\x90", 3, &cp), 3);
	assert_int_equal(cp, 0xFDD0);
	assert_int_equal(S_valid("\xEF\xBF\xBD", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFD);
}

static void
test_not_characters(void **unused)
{
	int32_t cp;

	(void)unused;
	/* Bytes that never start a character. */
	assert_int_equal(S_valid("\x80", 1, &cp), 0);
	assert_int_equal(S_valid("\xBF", 1, &cp), 0);
	assert_int_equal(S_valid("\xF5\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(S_valid("\xFE", 1, &cp), 0);
	assert_int_equal(S_valid("\xFF", 1, &cp), 0);
	/* Overlong forms. */
	assert_int_equal(S_valid("\xC0\x80", 2, &cp), 0);
	assert_int_equal(S_valid("\xC1\xBF", 2, &cp), 0);
	assert_int_equal(S_valid("\xE0\x80\x80", 3, &cp), 0);
	assert_int_equal(S_valid("\xE0\x9F\xBF", 3, &cp), 0);
	assert_int_equal(S_valid("\xF0\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(S_valid("\xF0\x8F\xBF\xBF", 4, &cp), 0);
	/* Surrogates, alone or paired as CESU-8 writes them. */
	assert_int_equal(S_valid("\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(S_valid("\xED\xBF\xBF", 3, &cp), 0);
	assert_int_equal(S_valid("\xED\xA0\xBD\xED\xB8\x80", 6, &cp), 0);
	/* Above U+10FFFF. */
	assert_int_equal(S_valid("\xF4\x90\x80\x80", 4, &cp), 0);
	/* A continuation byte missing or wrong. */
	assert_int_equal(S_valid("\xC3\x28", 2, &cp), 0);
	assert_int_equal(S_valid("\xC3\xC3\xA9", 3, &cp), 0);
	assert_int_equal(S_valid("\xE2\x28\xA1", 3, &cp), 0);
	assert_int_equal(S_valid("\xE2\x82\x28", 3, &cp), 0);
	assert_int_equal(S_valid("\xF0\x9F\x98\x28", 4, &cp), 0);
	/* Cut short by what may be read, whatever follows. */
	assert_int_equal(S_valid("\xC3\xA9", 1, &cp), 0);
	assert_int_equal(S_valid("\xE2\x82\xAC", 2, &cp), 0);
	assert_int_equal(S_valid("\xF0\x9F\x98\x80", 3, &cp), 0);
	assert_int_equal(S_valid("a", 0, &cp), 0);
}

/* RFC 3629, section 4, as its grammar reads: the length of the character
 * at `s` (`n` bytes may be read), or 0. */
static size_t
S_rfc3629(const unsigned char *s, size_t n)
{
	unsigned lo = 0x80, hi = 0xBF;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] <= 0x7F)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0; /* UTF8-3 = %xE0 %xA0-BF UTF8-tail */
	else if (s[0] == 0xED)
		hi = 0x9F; /* %xED %x80-9F UTF8-tail */
	else if (s[0] == 0xF0)
		lo = 0x90; /* UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) */
	else if (s[0] == 0xF4)
		hi = 0x8F; /* %xF4 %x80-8F 2( UTF8-tail ) */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/* Every sequence of up to three bytes, and every four-byte one that
 * starts like a character, with every length that may be read. */
static void
test_every_sequence(void **unused)
{
	static const unsigned char last[] = {0x00, 0x7F, 0x80, 0x8F,
	                                     0x90, 0xBF, 0xC0, 0xFF};
	unsigned char b[4];
	size_t mismatches = 0;
	int32_t cp;

	(void)unused;
	for (unsigned b0 = 0; b0 < 256; b0++) {
		for (unsigned b1 = 0; b1 < 256; b1++) {
			for (unsigned b2 = 0; b2 < 256; b2++) {
				size_t nlast = b0 >= 0xF0 ? sizeof(last) : 1;

				for (size_t k = 0; k < nlast; k++) {
					b[0] = (unsigned char)b0;
					b[1] = (unsigned char)b1;
					b[2] = (unsigned char)b2;
					b[3] = last[k];
					for (size_t n = 1; n <= 4; n++)
						mismatches +=
						        mx_utf8_valid(
						                (const char *)b,
						                n, &cp) !=
						        S_rfc3629(b, n);
				}
			}
		}
	}
	assert_int_equal(mismatches, 0);
}

/* Text that is UTF-8 is given back as it is; else each byte that does not
 * start a character is one U+FFFD, and what follows it is looked at
 * afresh. */
static void
test_repair(void **unused)
{
	struct mx_buf out = {0};
	const char *ok = "caf\xC3\xA9 \xEF\xBF\xBE na\xC3\xAFve";
	const char *r;
	size_t bad = 99;

	(void)unused;
	assert_ptr_equal(mx_utf8_repair(ok, strlen(ok), &out, &bad), ok);
	assert_int_equal(bad, 0);
	assert_null(out.data);
	assert_ptr_equal(mx_utf8_repair("", 0, &out, &bad), "");
	assert_int_equal(bad, 0);

	/* Latin-1 "cafe\xE9.md". */
	r = mx_utf8_repair("caf\xE9.md", 7, &out, &bad);
	assert_non_null(r);
	assert_string_equal(r, "caf\xEF\xBF\xBD.md");
	assert_int_equal(out.len, strlen(r));
	assert_int_equal(bad, 1);

	/* A surrogate is three bytes, none of which starts a character; a
	 * sequence cut short at the end is one byte and the next alone. */
	r = mx_utf8_repair("a\xED\xA0\x80"
	                   "b\xE2\x82",
	                   7, &out, &bad);
	assert_string_equal(r, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                       "b\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(bad, 5);

	/* Only `len` bytes are looked at; a valid character after a bad
	 * byte is kept. */
	r = mx_utf8_repair("\xC3\xC3\xA9\xFF", 3, &out, &bad);
	assert_string_equal(r, "\xEF\xBF\xBD\xC3\xA9");
	assert_int_equal(out.len, 5);
	assert_int_equal(bad, 1);

	/* A valid character, a control character, ASCII, then a bad byte:
	 * each is looked at past the first that is not printable ASCII. */
	r = mx_utf8_repair("\xC3\xA9\tx\xFF", 5, &out, &bad);
	assert_string_equal(r, "\xC3\xA9\tx\xEF\xBF\xBD");
	assert_int_equal(bad, 1);
	ok = "x\ty\xC3\xA9";
	assert_ptr_equal(mx_utf8_repair(ok, 5, &out, &bad), ok);
	assert_int_equal(bad, 0);
	mx_buf_free(&out);
}

/* mx_utf8_decode(), for text that was checked: a character, or one byte
 * read as U+FFFD when the text was not UTF-8 after all. */
static void
test_decode(void **unused)
{
	int32_t cp = 0;

	(void)unused;
	assert_int_equal(mx_utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(mx_utf8_decode("\xF0\x9F\x98\x80!", 5, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(mx_utf8_decode("\xFF", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(mx_utf8_decode("\xED\xA0\x80", 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(mx_utf8_decode("\xE2\x82\xAC", 2, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_characters),
	        cmocka_unit_test(test_not_characters),
	        cmocka_unit_test(test_every_sequence),
	        cmocka_unit_test(test_repair),
	        cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
