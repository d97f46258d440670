/*
 * text.c - the text rules that the text backend and the PDF typesetting
 * share: superscript and subscript forms, and the link-display rule (see
 * text.h for what each backend does and why they differ).
 */
#include <string.h>

#include "medexport.h"
#include "core/private.h"
#include "core/text.h"

uint32_t
mx_script_char(uint32_t c, int sup, enum mx_script_set set)
{
	static const uint32_t sup_digit[10] = {0x2070, 0xB9,   0xB2,   0xB3,
	                                       0x2074, 0x2075, 0x2076, 0x2077,
	                                       0x2078, 0x2079};
	/* In the order of U+207A..U+207E and U+208A..U+208E. */
	static const char signs[] = "+-=()";
	static const char sub_letters[] = "aeoxhklmnpst";
	static const uint32_t sub_letter[] = {0x2090, 0x2091, 0x2092, 0x2093,
	                                      0x2095, 0x2096, 0x2097, 0x2098,
	                                      0x2099, 0x209A, 0x209B, 0x209C};
	const char *p;

	if (c >= '0' && c <= '9')
		return sup ? sup_digit[c - '0'] : 0x2080 + (c - '0');
	if (c == 0x2212 && set == MX_SCRIPT_FULL)
		c = '-';
	if (c == 0 || c >= 0x80)
		return 0;
	if ((p = strchr(signs, (int)c)) != NULL)
		return (sup ? 0x207A : 0x208A) + (uint32_t)(p - signs);
	if (sup)
		return c == 'n' ? 0x207F : c == 'i' ? 0x2071 : 0;
	if (set == MX_SCRIPT_FULL && (p = strchr(sub_letters, (int)c)) != NULL)
		return sub_letter[p - sub_letters];
	return 0;
}

int
mx_script_has_form(const char *s, size_t len, int sup, enum mx_script_set set)
{
	size_t i = 0;
	int32_t c;
	int k;

	if (len == 0)
		return 0;
	while (i < len) {
		k = mx_utf8_decode(s + i, len - i, &c);
		if (k <= 0 || mx_script_char((uint32_t)c, sup, set) == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Whether the link text (`len` bytes at `text`, NULL for none) is `url`. */
static int
S_text_is(const char *text, size_t len, const char *url)
{
	return text != NULL && strlen(url) == len &&
	       memcmp(text, url, len) == 0;
}

int
mx_link_suffix(struct mx_buf *out, const char *url, const char *text,
               size_t len, enum mx_link_form form)
{
	int print = form == MX_LINK_PRINT;

	if (url == NULL || url[0] == '\0' || S_text_is(text, len, url))
		return 0;
	if (print && (url[0] == '#' || (strncmp(url, "mailto:", 7) == 0 &&
	                                S_text_is(text, len, url + 7))))
		return 0;
	if (mx_buf_puts(out, print ? " (" : " <") != 0 ||
	    mx_buf_puts(out, url) != 0 ||
	    mx_buf_putc(out, print ? ')' : '>') != 0)
		return -1;
	return 0;
}
