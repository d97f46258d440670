/*
 * txt.c - the plain-text backend.  Headings are underlined, lists get
 * hanging indents, labels keep their colon, questions and answers read as
 * "Q:" and "A:".  Lines are wrapped at the width by display width, at the
 * break opportunities of the Unicode line breaking algorithm (libunibreak);
 * only a single unbreakable word is ever longer than the width.  With
 * --ascii every character above U+007F is transliterated.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>
#include <utf8proc.h>

#include "medexport.h"
#include "core/private.h"
#include "core/text.h"

#define MAX_PREFIX 512

struct txt_state {
	int width;
	int ascii;
	struct mx_buf out;  /* the document being rendered */
	struct mx_buf text; /* inline text being gathered */
	struct mx_buf tmp;  /* transliteration */
	struct mx_buf head; /* a heading's text, cleaned */
	char *brks;
	size_t brks_cap;
	int blank; /* a blank line is due before the next block */
	int failed;
	int full_unibreak; /* MEDEXPORT_FULL_UNIBREAK: no fast path */
	struct mx_diag diag;
};

/* Prefixes of the lines of a block: the first line's, then the others'. */
struct margin {
	char first[MAX_PREFIX];
	char rest[MAX_PREFIX];
};

/* The lines still to come use the continuation prefix: `rest` becomes
 * `first` too.  Only the string is copied, not the whole array (this runs
 * for every block and item). */
static void
S_continue(struct margin *m)
{
	memcpy(m->first, m->rest, strlen(m->rest) + 1);
}

/* ---------------------------------------------------------------------
 * ASCII transliteration
 */
static const struct {
	int32_t cp;
	const char *ascii;
} translit[] = {
        {0x00A0, " "},       {0x00A9, "(C)"},      {0x00AE, "(R)"},
        {0x00B0, "deg"},     {0x00B1, "+/-"},      {0x00B2, "^2"},
        {0x00B3, "^3"},      {0x00B5, "u"},        {0x00B7, "."},
        {0x00B9, "^1"},      {0x00BC, "1/4"},      {0x00BD, "1/2"},
        {0x00BE, "3/4"},     {0x00D7, "x"},        {0x00DF, "ss"},
        {0x00C6, "AE"},      {0x00E6, "ae"},       {0x00D8, "O"},
        {0x00F8, "o"},       {0x00F7, "/"},        {0x0110, "D"},
        {0x0111, "d"},       {0x0141, "L"},        {0x0142, "l"},
        {0x0152, "OE"},      {0x0153, "oe"},       {0x0391, "Alpha"},
        {0x0392, "Beta"},    {0x0393, "Gamma"},    {0x0394, "Delta"},
        {0x0395, "Epsilon"}, {0x0396, "Zeta"},     {0x0397, "Eta"},
        {0x0398, "Theta"},   {0x0399, "Iota"},     {0x039A, "Kappa"},
        {0x039B, "Lambda"},  {0x039C, "Mu"},       {0x039D, "Nu"},
        {0x039E, "Xi"},      {0x039F, "Omicron"},  {0x03A0, "Pi"},
        {0x03A1, "Rho"},     {0x03A3, "Sigma"},    {0x03A4, "Tau"},
        {0x03A5, "Upsilon"}, {0x03A6, "Phi"},      {0x03A7, "Chi"},
        {0x03A8, "Psi"},     {0x03A9, "Omega"},    {0x03B1, "alpha"},
        {0x03B2, "beta"},    {0x03B3, "gamma"},    {0x03B4, "delta"},
        {0x03B5, "epsilon"}, {0x03B6, "zeta"},     {0x03B7, "eta"},
        {0x03B8, "theta"},   {0x03B9, "iota"},     {0x03BA, "kappa"},
        {0x03BB, "lambda"},  {0x03BC, "mu"},       {0x03BD, "nu"},
        {0x03BE, "xi"},      {0x03BF, "omicron"},  {0x03C0, "pi"},
        {0x03C1, "rho"},     {0x03C2, "sigma"},    {0x03C3, "sigma"},
        {0x03C4, "tau"},     {0x03C5, "upsilon"},  {0x03C6, "phi"},
        {0x03C7, "chi"},     {0x03C8, "psi"},      {0x03C9, "omega"},
        {0x2010, "-"},       {0x2011, "-"},        {0x2012, "-"},
        {0x2013, "-"},       {0x2014, "--"},       {0x2015, "--"},
        {0x2018, "'"},       {0x2019, "'"},        {0x201A, ","},
        {0x201B, "'"},       {0x201C, "\""},       {0x201D, "\""},
        {0x201E, "\""},      {0x2020, "+"},        {0x2022, "*"},
        {0x2026, "..."},     {0x2032, "'"},        {0x2033, "\""},
        {0x2044, "/"},       {0x2070, "^0"},       {0x2074, "^4"},
        {0x2075, "^5"},      {0x2076, "^6"},       {0x2077, "^7"},
        {0x2078, "^8"},      {0x2079, "^9"},       {0x207A, "^+"},
        {0x207B, "^-"},      {0x20AC, "EUR"},      {0x2103, " deg C"},
        {0x2122, "(TM)"},    {0x2190, "<-"},       {0x2192, "->"},
        {0x2194, "<->"},     {0x2191, "(up)"},     {0x2193, "(down)"},
        {0x21D2, "=>"},      {0x2212, "-"},        {0x2213, "-/+"},
        {0x2215, "/"},       {0x2217, "*"},        {0x2219, "."},
        {0x221A, "sqrt"},    {0x221E, "infinity"}, {0x2248, "~"},
        {0x2260, "!="},      {0x2264, "<="},       {0x2265, ">="},
        {0x226A, "<<"},      {0x226B, ">>"},       {0x207F, "^n"},
        {0x2071, "^i"},      {0x25CF, "*"},        {0x2713, "v"},
        {0x2714, "v"},       {0xFEFF, ""},
};

static const char *
S_translit_lookup(int32_t cp)
{
	size_t lo = 0, hi = sizeof(translit) / sizeof(translit[0]);

	/* The table is short; a linear scan keeps it easy to extend. */
	for (lo = 0; lo < hi; lo++)
		if (translit[lo].cp == cp)
			return translit[lo].ascii;
	return NULL;
}

/* The Greek letter under any accents of `cp` (ό is ο), or 0. */
static int32_t
S_greek_base(int32_t cp)
{
	utf8proc_int32_t dec[4];
	int boundclass = 0;

	if (cp < 0x0370 || (cp > 0x03FF && (cp < 0x1F00 || cp > 0x1FFF)))
		return 0;
	if (utf8proc_decompose_char(cp, dec, 4,
	                            UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
	                            &boundclass) < 1)
		return 0;
	return (dec[0] >= 0x0391 && dec[0] <= 0x03C9) ? dec[0] : 0;
}

/* Letters of Greek words, romanised one by one (a lone β is "beta"). */
static const char *const greek_roman[] = {
        "a", "b", "g", "d", "e", "z", "i", "th", "i", "k",  "l",  "m", "n",
        "x", "o", "p", "r", "s", "s", "t", "y",  "f", "ch", "ps", "o",
};

static void
S_greek_letter(struct mx_buf *out, int32_t base)
{
	int upper = base < 0x03B1;
	const char *r = greek_roman[base - (upper ? 0x0391 : 0x03B1)];

	mx_buf_putc(out, upper ? (char)(r[0] - 'a' + 'A') : r[0]);
	mx_buf_puts(out, r + 1);
}

/* Appends an ASCII rendering of `cp` given its neighbours: the table
 * first (so that "²" is "^2", not "2"), then the compatibility
 * decomposition without accents (é is e, ₃ is 3, ﬁ is fi), else the code
 * point written as [U+XXXX] so that nothing is silently lost. */
static void
S_ascii_char(struct mx_buf *out, int32_t cp, int32_t prev, int32_t next)
{
	utf8proc_int32_t dec[16];
	utf8proc_ssize_t n;
	int boundclass = 0;
	const char *t, *pt;
	char hex[16];
	int32_t greek;

	if (cp < 0x80) {
		mx_buf_putc(out, (char)cp);
		return;
	}
	/* A micro sign or Greek mu before a unit letter is "u" (ug, mL). */
	if ((cp == 0x03BC || cp == 0x00B5) &&
	    (next == 'g' || next == 'l' || next == 'L' || next == 'm' ||
	     next == 'M' || next == 's' || next == 'V')) {
		mx_buf_putc(out, 'u');
		return;
	}
	greek = S_greek_base(cp);
	if (greek && (S_greek_base(prev) || S_greek_base(next))) {
		S_greek_letter(out, greek);
		return;
	}
	if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CF ||
	    utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
		return; /* soft hyphens, zero-width spaces, controls */
	t = S_translit_lookup(cp);
	if (t) {
		/* One caret for a run of superscripts: min⁻¹ is min^-1. */
		pt = S_translit_lookup(prev);
		if (t[0] == '^' && pt && pt[0] == '^')
			t++;
		/* "25 °C" and "25°C" both read "25 deg C". */
		if (cp == 0x00B0 && out->len > 0 &&
		    out->data[out->len - 1] != ' ')
			mx_buf_putc(out, ' ');
		mx_buf_puts(out, t);
		if (cp == 0x00B0 && next < 0x80 && utf8proc_isupper(next))
			mx_buf_putc(out, ' ');
		return;
	}
	n = utf8proc_decompose_char(cp, dec, 16,
	                            UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
	                                    UTF8PROC_STRIPMARK,
	                            &boundclass);
	if (n > 0 && n <= 16) {
		int all = 1;
		for (utf8proc_ssize_t i = 0; i < n; i++)
			if (dec[i] >= 0x80 && S_translit_lookup(dec[i]) == NULL)
				all = 0;
		if (all) {
			for (utf8proc_ssize_t i = 0; i < n; i++) {
				if (dec[i] < 0x80)
					mx_buf_putc(out, (char)dec[i]);
				else
					mx_buf_puts(out,
					            S_translit_lookup(dec[i]));
			}
			return;
		}
	}
	/* Combining marks alone carry no letter of their own. */
	if (utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
		return;
	if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) {
		mx_buf_putc(out, ' ');
		return;
	}
	snprintf(hex, sizeof(hex), "[U+%04X]", (unsigned)cp);
	mx_buf_puts(out, hex);
}

static void
S_ascii(struct mx_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int32_t prev = 0;

	while (i < len) {
		int32_t cp, next = 0;
		int n = mx_utf8_decode(s + i, len - i, &cp);
		if (i + (size_t)n < len)
			mx_utf8_decode(s + i + n, len - i - (size_t)n, &next);
		S_ascii_char(out, cp, prev, next);
		prev = cp;
		i += (size_t)n;
	}
}

/* ---------------------------------------------------------------------
 * Line wrapping
 */

/* The display width of the character at s, its code point and length:
 * wide characters take 2 columns, combining marks and controls none. */
static int
S_char_width(const char *s, size_t len, int32_t *cp, int *n)
{
	unsigned char c = (unsigned char)*s;
	int w;

	if (c < 0x80) { /* the common case, without a table lookup */
		*cp = c;
		*n = 1;
		return c >= 0x20 && c != 0x7f;
	}
	*n = mx_utf8_decode(s, len, cp);
	w = utf8proc_charwidth(*cp);
	return w > 0 ? w : 0;
}

static int
S_width_of(const char *s, size_t len)
{
	int w = 0, n;
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		/* printable ASCII, a column a byte: most of it */
		size_t run = mx_ascii_span(s + i, len - i);
		w += (int)run;
		i += run;
		if (i == len)
			break;
		w += S_char_width(s + i, len - i, &cp, &n);
		i += (size_t)n;
	}
	return w;
}

/* Writes a line: the `plen` bytes of prefix, then text without trailing
 * spaces; a line with no text gets its prefix without trailing spaces.
 * One copy into the output, for every line of the document. */
static void
S_put_line(struct txt_state *st, const char *prefix, size_t plen, const char *s,
           size_t len)
{
	struct mx_buf *out = &st->out;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0)
		while (plen > 0 && prefix[plen - 1] == ' ')
			plen--;
	if (mx_buf_grow(out, plen + len + 1) != 0) {
		st->failed = 1;
		return;
	}
	memcpy(out->data + out->len, prefix, plen);
	memcpy(out->data + out->len + plen, s, len);
	out->len += plen + len;
	out->data[out->len++] = '\n';
	out->data[out->len] = '\0';
}

static void
S_line(struct txt_state *st, const char *prefix, const char *s, size_t len)
{
	S_put_line(st, prefix, strlen(prefix), s, len);
}

/* Breaks that Unicode allows but a leaflet should not make: inside a
 * range of numbers ("0.1–0.2"), a unit ("mg/kg/day") or a web address,
 * where a reader would take the line's end for the end of the value. */
static int
S_keeps_together(const char *s, size_t len, size_t from, size_t i)
{
	unsigned char after = i < len ? (unsigned char)s[i] : ' ';

	if (i >= from + 4 && memcmp(s + i - 3, "\xe2\x80\x93", 3) == 0)
		return isdigit((unsigned char)s[i - 4]) && isdigit(after);
	if (i >= from + 1 && s[i - 1] == '/')
		return isalnum(after); /* units, and addresses after "//" */
	return 0;
}

/* Whether s[from, to) holds only ASCII letters, digits, spaces, full
 * stops and commas. */
static int
S_plain_window(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != ' ' && c != '.' && c != ',')
			return 0;
	}
	return 1;
}

/* The last break opportunity in (from, over] - a break before s[i] - using
 * libunibreak on a window of the text.  The Unicode rules look back only
 * across a run of spaces, so a window that starts just after a space gives
 * the same opportunities as the whole text past its first character; the
 * last character of a window is never trusted (it meets the window's end).
 * Returns 0 when there is none. */
static size_t
S_last_break(struct txt_state *st, const char *s, size_t len, size_t from,
             size_t over)
{
	size_t wend = over + 8 < len ? over + 8 : len;
	size_t wstart = over;

	/* Start the window at the word before the one that overflows, so
	 * that the break after the space between them is inside it. */
	while (wstart > from && s[wstart - 1] != ' ')
		wstart--;
	while (wstart > from && s[wstart - 1] == ' ')
		wstart--;
	while (wstart > from && s[wstart - 1] != ' ')
		wstart--;
	/* Most windows are plain words: ASCII letters and digits, full stops,
	 * commas and spaces.  For those, the Unicode rules (LB13, LB18, LB23,
	 * LB25, LB28, LB29) allow a break only after a run of spaces before a
	 * letter or digit, so the answer is known without asking libunibreak,
	 * which is slow in Debian's version (a linear search per character).
	 * check-corpus-txt.sh compares both ways over the corpus at several
	 * widths (MEDEXPORT_FULL_UNIBREAK=1 turns this path off). */
	if (!st->full_unibreak && S_plain_window(s, wstart, wend)) {
		for (size_t i = over; i > wstart && i > from; i--)
			if (s[i - 1] == ' ' && isalnum((unsigned char)s[i]))
				return i; /* never before "." or "," (LB13) */
	}
	for (;;) {
		set_linebreaks_utf8((const utf8_t *)s + wstart, wend - wstart,
		                    NULL, st->brks);
		for (size_t i = over; i > wstart && i > from; i--) {
			char b = st->brks[i - 1 - wstart];
			if (i == wend && wend < len)
				continue;
			if ((b == LINEBREAK_ALLOWBREAK ||
			     b == LINEBREAK_MUSTBREAK) &&
			    !S_keeps_together(s, len, from, i))
				return i;
		}
		if (wstart == from)
			return 0;
		wstart = from;
	}
}

/* The first break opportunity after `over`, for a word longer than the
 * line: the word overflows, and the line ends after it. */
static size_t
S_next_break(struct txt_state *st, const char *s, size_t len, size_t from,
             size_t over)
{
	/* Breaks are found in a window past `over` that doubles until it
	 * holds one: the cost is the word's length, not the rest of the
	 * paragraph's, for every long word.  The window's last characters
	 * are not trusted (the rules look a little ahead), unless it ends
	 * with the text. */
	for (size_t span = 256;; span *= 2) {
		size_t wend = over + span < len ? over + span : len;
		size_t trust = wend == len ? len : wend - 8;
		set_linebreaks_utf8((const utf8_t *)s + from, wend - from, NULL,
		                    st->brks);
		for (size_t i = over + 1; i < trust; i++) {
			char b = st->brks[i - 1 - from];
			if ((b == LINEBREAK_ALLOWBREAK ||
			     b == LINEBREAK_MUSTBREAK) &&
			    !S_keeps_together(s, len, from, i))
				return i;
		}
		if (wend == len)
			return len;
	}
}

/* Fills lines greedily: each line takes as much text as fits in the width
 * after its prefix, and breaks at the last opportunity that fits.  A '\n'
 * in the text is a forced break. */
static void
S_wrap(struct txt_state *st, const char *s, size_t len, struct margin *m)
{
	const char *prefix = m->first;
	size_t pos = 0, plen = strlen(m->first), rest_len = strlen(m->rest);
	/* The room after the prefix, on the first line and the others. */
	int avail = st->width - S_width_of(m->first, plen);
	int rest_avail = st->width - S_width_of(m->rest, rest_len);

	if (len + 1 > st->brks_cap) {
		size_t cap = len + 1 > 4096 ? len + 1 : 4096;
		char *b = realloc(st->brks, cap);
		if (b == NULL) {
			st->failed = 1;
			return;
		}
		st->brks = b;
		st->brks_cap = cap;
	}
	if (avail < 1)
		avail = 1;
	if (rest_avail < 1)
		rest_avail = 1;
	while (pos < len) {
		int width = 0;
		size_t i = pos, end = len, next = len;

		while (i < len) {
			int32_t cp;
			int n, cw;
			unsigned char c;
			if (width < avail) { /* a run of ASCII that fits */
				/* Looked for only as far as the line goes: the
				 * rest of a long paragraph is not scanned again
				 * for every line. */
				size_t room = (size_t)(avail - width);
				size_t run = mx_ascii_span(
				        s + i, len - i < room ? len - i : room);
				i += run;
				width += (int)run;
				if (i == len)
					break;
			}
			c = (unsigned char)s[i];
			if (c >= 0x20 && c < 0x7f &&
			    (c == ' ' || width < avail)) {
				/* printable ASCII that fits: the common case */
				width++;
				i++;
				continue;
			}
			cw = S_char_width(s + i, len - i, &cp, &n);
			if (cp == '\n') {
				end = i;
				next = i + 1;
				break;
			}
			if (cp != ' ' && width + cw > avail) {
				size_t brk = S_last_break(st, s, len, pos, i);
				if (brk == 0)
					brk = S_next_break(st, s, len, pos, i);
				end = next = brk;
				break;
			}
			width += cw;
			i += (size_t)n;
		}
		S_put_line(st, prefix, plen, s + pos, end - pos);
		prefix = m->rest;
		plen = rest_len;
		avail = rest_avail;
		pos = next;
		if (pos < len && s[pos - 1] == '\n' && end == next)
			pos = next;
		while (pos < len && s[pos] == ' ')
			pos++;
	}
	if (len == 0)
		S_put_line(st, prefix, plen, "", 0);
	/* Later lines of the same block use the continuation prefix. */
	memcpy(m->first, m->rest, rest_len + 1);
}

/* Wraps `text` (UTF-8), transliterated first when --ascii is on. */
static void
S_wrap_text(struct txt_state *st, const char *s, size_t len, struct margin *m)
{
	if (st->ascii) {
		st->tmp.len = 0;
		S_ascii(&st->tmp, s, len);
		S_wrap(st, st->tmp.data ? st->tmp.data : "", st->tmp.len, m);
	} else {
		S_wrap(st, s, len, m);
	}
}

/* ---------------------------------------------------------------------
 * Inline content as plain text
 */
static void S_inline_text(struct txt_state *st, const struct mx_node *n);

/* Appends text without what a terminal or a legacy system would choke on:
 * control characters (a tab becomes a space), C1 controls, soft hyphens
 * and zero-width spaces. */
static void
S_put_clean(struct mx_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p, *end = p + strlen(s);

	for (; p < end; p++) {
		size_t skip = 0;
		/* printable ASCII, most bytes */
		p += mx_ascii_span((const char *)p, (size_t)(end - p));
		if (p == end)
			break;
		if (*p < 0x20 || *p == 0x7f)
			skip = 1;
		else if (p[0] == 0xc2 && (p[1] < 0xa0 || p[1] == 0xad))
			skip = 2;
		else if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x8b)
			skip = 3;
		if (skip == 0)
			continue;
		mx_buf_put(out, run, (size_t)(p - run));
		if (*p == '\t')
			mx_buf_putc(out, ' ');
		p += skip - 1;
		run = p + 1;
	}
	mx_buf_put(out, run, (size_t)(p - run));
}

/* Subscripts and superscripts: "CO₂" and "m²" where Unicode has the
 * characters, else "GABA_A" and "10^(-3)" as plain text writes them. */
static void
S_script(struct txt_state *st, const struct mx_node *n)
{
	size_t start = st->text.len, len, i;
	int sup = n->type == MX_NODE_SUP;
	char tmp[64];

	S_inline_text(st, n);
	len = st->text.len - start;
	if (len == 0)
		return;
	if (!st->ascii && len < sizeof(tmp) &&
	    mx_script_has_form(st->text.data + start, len, sup,
	                       MX_SCRIPT_ASCII)) {
		memcpy(tmp, st->text.data + start, len);
		st->text.len = start;
		for (i = 0; i < len; i++) {
			utf8proc_uint8_t enc[4];
			uint32_t sc = mx_script_char((unsigned char)tmp[i], sup,
			                             MX_SCRIPT_ASCII);
			utf8proc_ssize_t k =
			        utf8proc_encode_char((utf8proc_int32_t)sc, enc);
			mx_buf_put(&st->text, enc, (size_t)k);
		}
		return;
	}
	/* Prefix the marker, with parentheses around more than one
	 * character. */
	mx_buf_put(&st->text, "__", len > 1 ? 2 : 1);
	memmove(st->text.data + start + (len > 1 ? 2 : 1),
	        st->text.data + start, len);
	st->text.data[start] = sup ? '^' : '_';
	if (len > 1) {
		st->text.data[start + 1] = '(';
		mx_buf_putc(&st->text, ')');
	}
}

static void
S_inline_text(struct txt_state *st, const struct mx_node *n)
{
	for (const struct mx_node *c = n->first_child; c; c = c->next) {
		switch (c->type) {
		case MX_NODE_TEXT:
		case MX_NODE_CODE:
			S_put_clean(&st->text, c->text);
			break;
		case MX_NODE_LINEBREAK:
			mx_buf_putc(&st->text, '\n');
			break;
		case MX_NODE_LINK: {
			size_t start = st->text.len;
			S_inline_text(st, c);
			if (mx_link_suffix(&st->text, c->url,
			                   st->text.data ? st->text.data + start
			                                 : NULL,
			                   st->text.len - start,
			                   MX_LINK_TEXT) != 0)
				st->failed = 1;
			break;
		}
		case MX_NODE_SUB:
		case MX_NODE_SUP:
			S_script(st, c);
			break;
		default:
			S_inline_text(st, c);
			break;
		}
	}
}

/* ---------------------------------------------------------------------
 * Blocks
 */
/* dst = a then b, cut to MAX_PREFIX - 1 bytes (deep nesting is flattened
 * long before that). */
static void
S_join(char *dst, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > MAX_PREFIX - 1)
		la = MAX_PREFIX - 1;
	if (lb > MAX_PREFIX - 1 - la)
		lb = MAX_PREFIX - 1 - la;
	memmove(dst, a, la);
	memcpy(dst + la, b, lb);
	dst[la + lb] = '\0';
}

static void S_line(struct txt_state *st, const char *prefix, const char *s,
                   size_t len);

/* The margins of a nested block: the outer ones plus this block's marker
 * and indent.  Past half the width, nesting stops indenting (and markers
 * that would pile up on one line get a line of their own), so that deep
 * nesting never squeezes the text out of the line. */
static void
S_margin(struct txt_state *st, struct margin *m, struct margin *outer,
         const char *first, const char *rest)
{
	int half = st->width / 2;

	if (S_width_of(outer->rest, strlen(outer->rest)) +
	            S_width_of(rest, strlen(rest)) >
	    half)
		rest = "";
	if (S_width_of(outer->first, strlen(outer->first)) +
	                    S_width_of(first, strlen(first)) >
	            half + 4 &&
	    strcmp(outer->first, outer->rest) != 0) {
		S_line(st, outer->first, "", 0);
		S_continue(outer);
	}
	S_join(m->first, outer->first, first);
	S_join(m->rest, outer->rest, rest);
}

static void
S_blank(struct txt_state *st, const struct margin *m)
{
	if (st->blank && st->out.len > 0)
		S_line(st, m->rest, "", 0);
	st->blank = 0;
}

static void S_block(struct txt_state *st, const struct mx_node *n,
                    struct margin *m);

static void
S_blocks(struct txt_state *st, const struct mx_node *first, struct margin *m)
{
	for (const struct mx_node *c = first; c; c = c->next)
		S_block(st, c, m);
}

static void
S_heading(struct txt_state *st, const char *text, char rule,
          struct margin *outer)
{
	struct margin m;
	size_t start = st->out.len;
	int widest = 0;

	S_margin(st, &m, outer, "", "");
	S_blank(st, &m);
	/* The title comes from front matter, where controls and escape
	 * sequences are kept: they must not reach a terminal. */
	st->head.len = 0;
	S_put_clean(&st->head, text);
	S_wrap_text(st, st->head.data ? st->head.data : "", st->head.len, &m);
	/* The rule is as long as the heading's longest line. */
	for (size_t i = start; i < st->out.len;) {
		const char *nl =
		        memchr(st->out.data + i, '\n', st->out.len - i);
		size_t eol = nl ? (size_t)(nl - st->out.data) : st->out.len;
		int w = S_width_of(st->out.data + i, eol - i);
		if (w > widest)
			widest = w;
		i = eol + 1;
	}
	widest -= S_width_of(m.rest, strlen(m.rest));
	mx_buf_puts(&st->out, m.rest);
	/* The rule in one go, not a character at a time. */
	if (widest > 0 && mx_buf_grow(&st->out, (size_t)widest) != 0) {
		st->failed = 1;
	} else if (widest > 0) {
		memset(st->out.data + st->out.len, rule, (size_t)widest);
		st->out.len += (size_t)widest;
		st->out.data[st->out.len] = '\0';
	}
	mx_buf_putc(&st->out, '\n');
	st->blank = 1;
}

static void
S_paragraph(struct txt_state *st, const struct mx_node *n, struct margin *m,
            const struct mx_node *label)
{
	st->text.len = 0;
	if (label) {
		S_inline_text(st, label);
		mx_buf_puts(&st->text, ": ");
	}
	if (n)
		S_inline_text(st, n);
	S_blank(st, m);
	S_wrap_text(st, st->text.data ? st->text.data : "", st->text.len, m);
	st->blank = 1;
}

static void
S_item(struct txt_state *st, const struct mx_node *item, const char *marker,
       struct margin *outer)
{
	struct margin m;
	char pad[32];
	const struct mx_node *c = item->first_child, *label = NULL;
	size_t w = strlen(marker);

	if (w >= sizeof(pad))
		w = sizeof(pad) - 1;
	memset(pad, ' ', w);
	pad[w] = '\0';
	S_margin(st, &m, outer, marker, pad);
	S_continue(outer);
	if (c && c->type == MX_NODE_LABEL) {
		label = c;
		c = c->next;
	}
	if (label || c == NULL || c->type != MX_NODE_PARAGRAPH) {
		/* The label, or an empty line for the marker, comes first. */
		if (label && c && c->type == MX_NODE_PARAGRAPH) {
			S_paragraph(st, c, &m, label);
			c = c->next;
		} else if (label) {
			st->text.len = 0;
			S_inline_text(st, label);
			mx_buf_putc(&st->text, ':');
			S_wrap_text(st, st->text.data, st->text.len, &m);
		} else if (c == NULL) {
			S_line(st, m.first, "", 0);
		}
	}
	for (; c; c = c->next) {
		st->blank = 0; /* items are tight */
		S_block(st, c, &m);
		S_continue(&m);
	}
	st->blank = 0;
}

static void
S_list(struct txt_state *st, const struct mx_node *list, struct margin *m)
{
	int num = list->start;
	int last = list->start;
	char marker[32];
	int digits = 1;

	for (const struct mx_node *c = list->first_child; c; c = c->next)
		last++;
	for (int v = last - 1; v >= 10; v /= 10)
		digits++;
	S_blank(st, m);
	for (const struct mx_node *c = list->first_child; c; c = c->next) {
		if (list->ordered)
			snprintf(marker, sizeof(marker), "%*d. ", digits,
			         num++);
		else
			snprintf(marker, sizeof(marker), "* ");
		S_item(st, c, marker, m);
	}
	st->blank = 1;
}

static void
S_qa(struct txt_state *st, const struct mx_node *qa, struct margin *outer)
{
	struct margin m;
	const struct mx_node *q = qa->first_child;
	const struct mx_node *a = q ? q->next : NULL;

	S_blank(st, outer);
	S_margin(st, &m, outer, "Q: ", "   ");
	S_continue(outer);
	S_paragraph(st, q, &m, NULL);
	if (a && a->first_child) {
		S_margin(st, &m, outer, "A: ", "   ");
		for (const struct mx_node *c = a->first_child; c; c = c->next) {
			st->blank = 0;
			S_block(st, c, &m);
			S_continue(&m);
		}
	}
	st->blank = 1;
}

_Static_assert(MX_TAB_WIDTH <= 8, "S_code_block writes at most 8 spaces");

static void
S_code_block(struct txt_state *st, const struct mx_node *n, struct margin *m)
{
	struct margin code;
	const char *s = n->text;

	S_blank(st, m);
	S_margin(st, &code, m, "    ", "    ");
	S_continue(m);
	do {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		st->text.len = 0;
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '\t')
				mx_buf_put(&st->text, "        ", MX_TAB_WIDTH);
			else
				mx_buf_putc(&st->text, s[i]);
		}
		S_wrap_text(st, st->text.data ? st->text.data : "",
		            st->text.len, &code);
		s = eol ? eol + 1 : NULL;
	} while (s);
	st->blank = 1;
}

static void
S_block(struct txt_state *st, const struct mx_node *n, struct margin *m)
{
	struct margin inner;

	switch (n->type) {
	case MX_NODE_SECTION:
		S_heading(st, n->text, n->level == 1 ? '-' : '~', m);
		S_blocks(st, n->first_child, m);
		return;
	case MX_NODE_PARAGRAPH:
		S_paragraph(st, n, m, NULL);
		return;
	case MX_NODE_LIST:
		S_list(st, n, m);
		return;
	case MX_NODE_QA:
		S_qa(st, n, m);
		return;
	case MX_NODE_BLOCKQUOTE:
		S_blank(st, m);
		S_margin(st, &inner, m, "> ", "> ");
		S_continue(m);
		S_blocks(st, n->first_child, &inner);
		st->blank = 1;
		return;
	case MX_NODE_CODE_BLOCK:
		S_code_block(st, n, m);
		return;
	case MX_NODE_THEMATIC_BREAK:
		S_blank(st, m);
		S_line(st, m->first, "* * *", 5);
		S_continue(m);
		st->blank = 1;
		return;
	default:
		/* Inline content where a block was expected. */
		S_paragraph(st, n, m, NULL);
		return;
	}
}

/* The backend's options: --width N, --ascii. */
struct txt_options {
	int width;
	int ascii;
};

#define TXT_MIN_WIDTH 10
#define TXT_MAX_WIDTH 10000

static void
S_block_init(void *block)
{
	struct txt_options *o = block;

	o->width = 72;
	o->ascii = 0;
}

static int
S_set_width(void *block, const char *arg, char *err, size_t size)
{
	long v;

	if (mx_parse_long(arg, TXT_MIN_WIDTH, TXT_MAX_WIDTH, &v) != 0) {
		snprintf(err, size,
		         "--width wants a number from %d to %d, not '%s'",
		         TXT_MIN_WIDTH, TXT_MAX_WIDTH, arg);
		return -1;
	}
	((struct txt_options *)block)->width = (int)v;
	return 0;
}

static int
S_set_ascii(void *block, const char *arg, char *err, size_t size)
{
	(void)arg;
	(void)err;
	(void)size;
	((struct txt_options *)block)->ascii = 1;
	return 0;
}

static const struct mx_backend_option S_options[] = {
        {.name = "width",
         .arg = "N",
         .help = "wrap text at N columns of display width (default 72)",
         .set = S_set_width},
        {.name = "ascii",
         .help = "text in ASCII only (transliterated)",
         .set = S_set_ascii},
        {.name = NULL},
};

static void *
S_create(const struct mx_options *opts, const void *block)
{
	const struct txt_options *o = block;
	struct txt_state *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		mx_report(&opts->diag, MX_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	st->width = o->width > 0 ? o->width : 72;
	st->ascii = o->ascii;
	st->diag = opts->diag;
	st->full_unibreak = getenv("MEDEXPORT_FULL_UNIBREAK") != NULL;
	init_linebreak();
	return st;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *out)
{
	struct txt_state *st = state;
	struct margin m = {"", ""};

	st->out.len = 0;
	st->blank = 0;
	st->failed = 0;
	S_heading(st, doc->title, '=', &m);
	S_blocks(st, doc->root->first_child, &m);
	if (st->failed || st->out.data == NULL) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0, "out of memory");
		return -1;
	}
	return mx_sink_put(out, st->out.data, st->out.len);
}

static void
S_destroy(void *state)
{
	struct txt_state *st = state;

	if (st == NULL)
		return;
	mx_buf_free(&st->out);
	mx_buf_free(&st->text);
	mx_buf_free(&st->tmp);
	mx_buf_free(&st->head);
	free(st->brks);
	free(st);
}

const struct mx_backend mx_backend_txt = {
        .name = "txt",
        .ext = ".txt",
        .summary = "plain text, wrapped by display width",
        .flags = MX_BACKEND_STREAMS,
        .block_size = sizeof(struct txt_options),
        .block_init = S_block_init,
        .options = S_options,
        .create = S_create,
        .render = S_render,
        .destroy = S_destroy,
};
