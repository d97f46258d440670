/*
 * linebreak.c - the second stage of typesetting: a measured paragraph is
 * broken into lines.  Break opportunities come from libunibreak (UAX #14);
 * when a word overflows a line, libhyphen says where it may be split, and
 * it is split when that fills the line noticeably better.  Lines are
 * filled first-fit and justified by widening the spaces, then the letters.
 * Each line becomes runs of glyphs (one font, size and baseline a run) with
 * x relative to the column; pagination places them.
 */
#include <hyphen.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#include "backend/pdf/layout_private.h"

/* Words of this many letters or more are not hyphenated: the longest
 * English words the dictionary knows are far shorter. */
#define HYPHEN_WORD_MAX 64

/* Tokens (text between spaces) longer than this are not hyphenated, even
 * between the words they are made of, and are looked for only this far on
 * either side of a line's end.  The corpus's longest is 64 characters; a
 * URL is rarely over 2,000. */
#define TOKEN_MAX 4096

/* A paragraph broken as it is built (mx_lay_break_some()) makes a line only
 * when this many cells follow it, and keeps this many before the next
 * line, so that what each line looks at (the token, the words to
 * hyphenate, the context of the break opportunities) is there. */
#define STREAM_LOOKAHEAD (TOKEN_MAX + 2 * HYPHEN_WORD_MAX)
#define STREAM_HISTORY   (TOKEN_MAX + 2 * HYPHEN_WORD_MAX)

/* Letters for the purposes of joining words: ASCII, Latin-1 and later
 * alphabets (everything from U+00C0 but the punctuation blocks). */
static int
S_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7);
}

static int
S_ascii_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
S_token_end(uint32_t c)
{
	return c == ' ' || c == '\n';
}

/* Sets the scratch's token to the one around `i` (which is neither a space
 * nor a line break): its bounds, whether it is an address (URLs, e-mail: a
 * token with a slash or an at sign), which must not get hyphens that are
 * not its own, and whether it is longer than TOKEN_MAX, which is not
 * hyphenated either: it is looked for only that far on either side of `i`
 * (so that a paragraph can be broken before it is complete).  The last
 * token is kept, so that the lines of a token longer than a line do not
 * scan it again each: linear, not quadratic. */
static void
S_token(struct lay_scratch *s, size_t i)
{
	size_t a = i, b = i, k;
	size_t lo = i > TOKEN_MAX ? i - TOKEN_MAX : 0;
	size_t hi = s->n - i > TOKEN_MAX ? i + TOKEN_MAX : s->n;
	int longer, address = 0;

	if (s->tok_valid && s->tok_start <= i && i < s->tok_end)
		return;
	while (a > lo && !S_token_end(s->cp[a - 1]))
		a--;
	while (b < hi && !S_token_end(s->cp[b]))
		b++;
	longer = (a > 0 && !S_token_end(s->cp[a - 1])) ||
	         (b < s->n && !S_token_end(s->cp[b])) || b - a > TOKEN_MAX;
	for (k = longer ? b : a; k < b && !address; k++)
		address = s->cp[k] == '/' || s->cp[k] == '@';
	s->tok_long = longer;
	s->tok_address = address;
	s->tok_start = a;
	s->tok_end = b;
	s->tok_valid = 1;
}

/* Hyphenation points of the letters [ws, we): the latest one that lets the
 * line from `start` fit in `avail` with a hyphen of width `hw` (the index
 * of the last character before the hyphen), or -1. */
static long
S_hyphen_word(struct layout *lay, size_t start, size_t ws, size_t we,
              double avail, double hw)
{
	struct lay_scratch *s = lay->scratch;
	size_t k, len = we - ws;
	char word[HYPHEN_WORD_MAX], hyph[HYPHEN_WORD_MAX + 8];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	long best = -1;

	if (len < 5 || len >= sizeof(word))
		return -1;
	for (k = 0; k < len; k++) {
		uint32_t c = s->cp[ws + k];
		word[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	word[len] = '\0';
	if (hnj_hyphen_hyphenate3(lay->hyphen, word, (int)len, hyph, NULL, &rep,
	                          &pos, &cut, 2, 3, 2, 3) != 0)
		return -1;
	for (k = 1; k + 3 <= len; k++) {
		/* hyph[k-1] odd: a break after word[k-1]. */
		if (!(hyph[k - 1] & 1) || ws + k - 1 < start + 1)
			continue;
		if (s->cx[ws + k] - s->cx[start] + hw <= avail)
			best = (long)(ws + k - 1);
	}
	if (rep != NULL) {
		for (k = 0; k < len; k++)
			free(rep[k]);
		free(rep);
		free(pos);
		free(cut);
	}
	return best;
}

/* The best place to hyphenate the token (the text between spaces) around
 * `i`, which overflows the line from `start`: the latest hyphenation point
 * of any of its words ("(N-acetylcysteine)," has "acetylcysteine") that
 * lets the line fit in `avail` with a hyphen of width `hw`.  Returns the
 * index of the last character before the hyphen, or -1. */
static long
S_hyphen_point(struct layout *lay, size_t start, size_t i, double avail,
               double hw)
{
	struct lay_scratch *s = lay->scratch;
	size_t ts, te, ws, we, stop;
	long best = -1, h;

	if (lay->hyphen == NULL || s->no_hyphen)
		return -1;
	S_token(s, i);
	if (s->tok_address || s->tok_long)
		return -1;
	/* The line from `start` holds no line break before `i`. */
	ts = s->tok_start > start ? s->tok_start : start;
	te = s->tok_end;
	for (ws = ts; ws <= i && ws < te; ws = we) {
		if (!S_ascii_letter(s->cp[ws])) {
			we = ws + 1;
			continue;
		}
		/* A word is looked at only as far as it can matter: one of
		 * HYPHEN_WORD_MAX letters is not hyphenated, and one that
		 * runs on past `i` ends the loop. */
		stop = ws + HYPHEN_WORD_MAX > i + 1 ? ws + HYPHEN_WORD_MAX
		                                    : i + 1;
		if (stop > te)
			stop = te;
		for (we = ws; we < stop && S_ascii_letter(s->cp[we]); we++)
			;
		/* Letters glued to other letters (accented, Greek) are part
		 * of a word the dictionary does not know. */
		if ((ws > ts && S_letter(s->cp[ws - 1])) ||
		    (we < te && S_letter(s->cp[we])))
			continue;
		h = S_hyphen_word(lay, start, ws, we, avail, hw);
		if (h > best)
			best = h;
	}
	return best;
}

int
mx_lay_add_run(struct layout *lay, int slot, double size,
               const struct style_cmyk *colour, double x)
{
	struct lay_run *r;

	GROW(lay, lay->runs, nruns, lay->capruns, lay->nruns + 1);
	r = &lay->runs[lay->nruns++];
	r->page = -1;
	r->x = x;
	r->y = 0;
	r->size = size;
	r->slot = slot;
	r->colour = colour;
	r->space_extra = 0;
	r->tracking = 0;
	r->rise = 0;
	r->first = lay->nglyphs;
	r->count = 0;
	r->node = NULL;
	return 0;
}

int
mx_lay_add_glyph(struct layout *lay, uint32_t c)
{
	GROW(lay, lay->glyphs, nglyphs, lay->capglyphs, lay->nglyphs + 1);
	lay->glyphs[lay->nglyphs++] = c;
	lay->runs[lay->nruns - 1].count++;
	return 0;
}

int
mx_lay_new_line(struct layout *lay, double leading, double ascent)
{
	struct lay_scratch *s = lay->scratch;
	struct fline *l;

	GROW(lay, s->lines, nlines, s->caplines, s->nlines + 1);
	l = &s->lines[s->nlines++];
	l->run0 = lay->nruns;
	l->nruns = 0;
	l->leading = leading;
	l->ascent = ascent;
	l->rect = -1;
	l->mark = -1;
	l->hyphen = 0;
	return 0;
}

/* Hebrew, Arabic and the other right-to-left scripts of the BMP. */
static int
S_rtl(uint32_t c)
{
	return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
	       (c >= 0xFE70 && c <= 0xFEFF);
}

/* Right-to-left words are drawn in visual order: each run of right-to-left
 * characters inside a glyph run is reversed.  (No full bidi algorithm and
 * no Arabic shaping: words in the corpus are Latin; this keeps the odd
 * Hebrew or Arabic word legible and extractable.) */
static void
S_reverse_rtl(struct layout *lay, size_t run)
{
	struct lay_run *r = &lay->runs[run];
	size_t i = r->first, end = r->first + r->count, j, k;

	while (i < end) {
		if (!S_rtl(lay->glyphs[i])) {
			i++;
			continue;
		}
		for (j = i; j < end && S_rtl(lay->glyphs[j]); j++)
			;
		for (k = 0; k < (j - i) / 2; k++) {
			uint32_t tmp = lay->glyphs[i + k];
			lay->glyphs[i + k] = lay->glyphs[j - 1 - k];
			lay->glyphs[j - 1 - k] = tmp;
		}
		i = j;
	}
}

/* Emits the characters [a, b) as one line at `indent`; `hyphen` adds a
 * hyphen; `extra` widens each space and `tracking` each letter. */
int
mx_lay_emit_line(struct layout *lay, size_t a, size_t b, int hyphen,
                 double indent, double extra, double tracking,
                 const struct style_text *t)
{
	struct lay_scratch *s = lay->scratch;
	double x = indent;
	int cur = -1, script = 0;
	size_t i, run0 = lay->nruns, r;
	int rtl = 0;
	const struct mx_node *node = NULL;

	for (i = a; i < b; i++) {
		uint32_t c = s->cp[i];
		if (c == '\n' || lay_invisible(c))
			continue;
		rtl |= S_rtl(c);
		if (s->slot[i] != cur || SCRIPT_OF(s->face[i]) != script ||
		    s->node[i] != node) {
			script = SCRIPT_OF(s->face[i]);
			if (mx_lay_add_run(
			            lay, s->slot[i],
			            script ? lay_script_size(lay, t->size)
			                   : t->size,
			            &t->colour, x))
				return -1;
			lay->runs[lay->nruns - 1].rise =
			        script == SCRIPT_SUP   ? 0.33 * t->size
			        : script == SCRIPT_SUB ? -0.15 * t->size
			                               : 0;
			lay->runs[lay->nruns - 1].node = node = s->node[i];
			cur = s->slot[i];
		}
		if (mx_lay_add_glyph(lay, c))
			return -1;
		x += s->w[i] + (c == ' ' ? extra : 0) + tracking;
	}
	if (hyphen) {
		int slot, adv;
		int face = b > a ? FACE_OF(s->face[b - 1]) : FACE_REGULAR;
		if (mx_pdf_fonts_lookup(lay->fonts, (enum style_face)face, '-',
		                        &slot, &adv) == 0) {
			if ((slot != cur || script) &&
			    mx_lay_add_run(lay, slot, t->size, &t->colour, x))
				return -1;
			lay->runs[lay->nruns - 1].node = node;
			if (mx_lay_add_glyph(lay, '-'))
				return -1;
		}
	}
	/* A line that ends in the source's own hyphen ("Beta-") gets the
	 * Unicode hyphen U+2010 instead: extractors join a line ending in
	 * U+002D to the next as if the word had been hyphenated. */
	if (!hyphen && lay->nruns > run0 && lay->nglyphs > 0 &&
	    lay->glyphs[lay->nglyphs - 1] == '-' &&
	    mx_pdf_fonts_gid(lay->fonts, lay->runs[lay->nruns - 1].slot,
	                     0x2010))
		lay->glyphs[lay->nglyphs - 1] = 0x2010;
	for (r = run0; r < lay->nruns; r++) {
		lay->runs[r].space_extra = extra;
		lay->runs[r].tracking = tracking;
		if (rtl)
			S_reverse_rtl(lay, r);
	}
	s->lines[s->nlines - 1].nruns =
	        lay->nruns - s->lines[s->nlines - 1].run0;
	return 0;
}

static double
S_space_width(struct layout *lay, int face, double size)
{
	int slot, adv;

	if (mx_pdf_fonts_lookup(lay->fonts, (enum style_face)face, ' ', &slot,
	                        &adv) != 0)
		return size / 3;
	return adv * size / 1000.0;
}

/* Chooses where a line that overflows at character `i` ends: at the last
 * break opportunity `last`, at a hyphenation point when that fills the line
 * noticeably better, or, when the line has no break at all, by cutting the
 * word (with a hyphen between letters, so that text extractors join the
 * halves again).  Returns the end (exclusive); sets *hyphen. */
static size_t
S_overflow(struct layout *lay, const struct style_text *t, size_t start,
           size_t i, long last, double width, double hw, int prev_hyphen,
           int *hyphen)
{
	struct lay_scratch *s = lay->scratch;
	long h = S_hyphen_point(lay, start, i, width, hw);
	double regular = last >= 0 ? s->cx[last + 1] - s->cx[start] : 0;
	size_t end;

	if (last >= 0 && s->cp[last] == ' ')
		regular -= s->w[last];
	if (h >= 0 && last >= 0) {
		/* Hyphenate when breaking at the last space would stretch the
		 * spaces of a justified line by more than half (by more than
		 * a whole space right after a hyphenated line: no ladders). */
		double sw = S_space_width(lay, FACE_OF(s->face[i]), t->size);
		size_t k, nsp = 0;
		for (k = start; k < (size_t)last; k++)
			nsp += s->cp[k] == ' ';
		if ((width - regular) / (double)(nsp ? nsp : 1) <=
		    (prev_hyphen ? 1.0 : 0.5) * sw)
			h = -1;
	}
	if (h >= 0 && last >= 0 && s->n - (size_t)h < 8) {
		/* Do not split the paragraph's last word to leave a stub
		 * ("treat-" / "ment.") as its last line. */
		size_t k;
		for (k = (size_t)h + 1; k < s->n && s->cp[k] != ' '; k++)
			;
		if (k == s->n)
			h = -1;
	}
	if (h >= 0) {
		*hyphen = 1;
		return (size_t)h + 1;
	}
	if (last >= 0) {
		*hyphen = s->cp[last] == 0xAD;
		return (size_t)last + 1;
	}
	end = i;
	if (S_letter(s->cp[i]) && S_letter(s->cp[i - 1]))
		while (end > start + 1 &&
		       s->cx[end] - s->cx[start] + hw > width)
			end--;
	/* A line ending in the source's own hyphen would be joined to the
	 * next by extractors: cut before that hyphen instead. */
	if (end > start + 2 && s->cp[end - 1] == '-' &&
	    S_letter(s->cp[end - 2]))
		end--;
	*hyphen = S_letter(s->cp[end - 1]) &&
	          (S_letter(s->cp[end]) || s->cp[end] == '-');
	return end;
}

/* Spreads `excess` points over a justified line [start, end): the spaces
 * first, up to half an em each; then the letters, up to 5% of an em each. */
static void
S_justify(const struct lay_scratch *s, size_t start, size_t end, int hyphen,
          double excess, double size, double *extra, double *tracking)
{
	size_t k, nsp = 0, ng = hyphen ? 1 : 0;

	*extra = *tracking = 0;
	if (excess <= 0)
		return;
	for (k = start; k < end; k++) {
		if (s->cp[k] == ' ')
			nsp++;
		if (s->cp[k] != '\n' && !lay_invisible(s->cp[k]))
			ng++;
	}
	if (nsp > 0) {
		*extra = excess / (double)nsp;
		if (*extra > 0.5 * size)
			*extra = 0.5 * size;
		excess -= *extra * (double)nsp;
	}
	if (excess > 0.001 && ng > 1) {
		*tracking = excess / (double)(ng - 1);
		if (*tracking > 0.05 * size)
			*tracking = 0.05 * size;
		excess -= *tracking * (double)(ng - 1);
	}
	/* Whatever is left stays at the end of the line: wider gaps make
	 * rivers, and text extractors take them for column gutters (pdftotext
	 * splits a line at gaps of about an em); a slightly short line is the
	 * lesser evil, and rare. */
}

static double
S_hyphen_width(struct layout *lay, const struct style_text *t)
{
	int slot, adv;

	return mx_pdf_fonts_lookup(lay->fonts, FACE_REGULAR, '-', &slot,
	                           &adv) == 0
	               ? adv * t->size / 1000.0
	               : t->size / 3;
}

/* Measures the cells up to `n` and finds the break opportunities of
 * [0, n). */
static void
S_prepare(struct layout *lay, const struct style_text *t, size_t n)
{
	struct lay_scratch *s = lay->scratch;
	size_t i;

	mx_lay_measure_to(lay, t->size, n);
	set_linebreaks_utf32(s->cp, n, "en", s->brk);
	/* No break after the hyphen of a compound ("well-tolerated"): text
	 * extractors take a hyphen at the end of a line for a hyphenation
	 * and join the halves.  The parts may still be hyphenated. */
	for (i = 1; i + 1 < n; i++)
		if (s->cp[i] == '-' && S_letter(s->cp[i - 1]) &&
		    S_letter(s->cp[i + 1]))
			s->brk[i] = LINEBREAK_NOBREAK;
}

/* After a line that did not end at a line break, the next one starts after
 * the spaces (which may go on past `n`, the cells there are so far). */
static void
S_skip_spaces(struct lay_scratch *s, size_t n)
{
	if (!s->skip_spaces)
		return;
	while (s->start < n && s->cp[s->start] == ' ')
		s->start++;
	if (s->start < n)
		s->skip_spaces = 0;
}

/* Makes the line that starts at the cell s->start of the paragraph, whose
 * cells [0, n) are measured, if it ends before `limit`: `n` when the
 * paragraph is complete, else far enough before `n` that nothing still to
 * come can change the line.  Returns 1 when it made the line, 0 when the
 * line is not settled yet, -1 when out of memory. */
static int
S_line(struct layout *lay, const struct style_text *t, double indent,
       double width, int justify, size_t n, size_t limit, double hw)
{
	struct lay_scratch *s = lay->scratch;
	size_t start = s->start, end = n, next, i;
	long last = -1; /* break after this index */
	int hyphen = 0, forced = 0;
	double extra = 0, tracking = 0;

	for (i = start; i < limit; i++) {
		if (s->cp[i] == '\n') {
			end = i;
			forced = 1;
			break;
		}
		if (s->cx[i + 1] - s->cx[start] > width + 0.001 &&
		    s->cp[i] != ' ' && i > start) {
			end = S_overflow(lay, t, start, i, last, width, hw,
			                 s->prev_hyphen, &hyphen);
			break;
		}
		if (s->brk[i] == LINEBREAK_ALLOWBREAK)
			last = (long)i;
		else if (s->brk[i] == LINEBREAK_MUSTBREAK && i + 1 < n) {
			end = i + 1;
			forced = 1;
			break;
		}
	}
	if (i == limit && limit < n)
		return 0; /* the line goes on past what is settled */
	next = end;
	if (forced && next < n && s->cp[next] == '\n')
		next++;
	/* Trailing spaces do not count. */
	while (end > start && s->cp[end - 1] == ' ')
		end--;
	if (justify && !forced && next < n)
		S_justify(s, start, end, hyphen,
		          width - s->cx[end] + s->cx[start] - (hyphen ? hw : 0),
		          t->size, &extra, &tracking);
	if (mx_lay_new_line(lay, t->leading,
	                    (t->leading + t->size * 0.72) / 2) ||
	    mx_lay_emit_line(lay, start, end, hyphen, indent, extra, tracking,
	                     t))
		return -1;
	s->lines[s->nlines - 1].hyphen = hyphen;
	s->prev_hyphen = hyphen;
	s->made++;
	s->start = next;
	s->skip_spaces = !forced;
	S_skip_spaces(s, n);
	return 1;
}

void
mx_lay_break_reset(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;

	s->start = s->measured = 0;
	s->made = 0;
	s->prev_hyphen = s->skip_spaces = 0;
	s->tok_valid = 0;
}

/* Drops the cells before the next line but STREAM_HISTORY, which the
 * break opportunities and the hyphenation look back at. */
static void
S_compact(struct lay_scratch *s)
{
	size_t d, keep;

	if (s->start <= STREAM_HISTORY)
		return;
	d = s->start - STREAM_HISTORY;
	keep = s->n - d;
	memmove(s->cp, s->cp + d, keep * sizeof(*s->cp));
	memmove(s->face, s->face + d, keep * sizeof(*s->face));
	memmove(s->ln, s->ln + d, keep * sizeof(*s->ln));
	memmove(s->slot, s->slot + d, keep * sizeof(*s->slot));
	memmove(s->w, s->w + d, keep * sizeof(*s->w));
	memmove(s->brk, s->brk + d, keep * sizeof(*s->brk));
	memmove(s->node, s->node + d, keep * sizeof(*s->node));
	memmove(s->cx, s->cx + d, (s->measured - d + 1) * sizeof(*s->cx));
	s->n = keep;
	s->start -= d;
	s->measured -= d;
	s->tok_valid = 0;
}

int
mx_lay_break_some(struct layout *lay, const struct style_text *t, double indent,
                  double width, int justify)
{
	struct lay_scratch *s = lay->scratch;
	/* The last cell may still go (a space before a line break). */
	size_t n = s->n - 1, limit;
	double hw = S_hyphen_width(lay, t);
	int made = 1;

	if (s->n < 1 + STREAM_LOOKAHEAD)
		return 0;
	limit = n - STREAM_LOOKAHEAD;
	S_prepare(lay, t, n);
	S_skip_spaces(s, n);
	while (s->start < limit && made == 1)
		made = S_line(lay, t, indent, width, justify, n, limit, hw);
	if (made < 0)
		return -1;
	S_compact(s);
	return 0;
}

long
mx_lay_break(struct layout *lay, const struct style_text *t, double indent,
             double width, int justify)
{
	struct lay_scratch *s = lay->scratch;
	size_t n = s->n;
	double hw = S_hyphen_width(lay, t);

	while (n > 0 && s->cp[n - 1] == ' ')
		n--;
	s->n = n;
	if (n == 0)
		return s->made;
	S_prepare(lay, t, n);
	S_skip_spaces(s, n);
	while (s->start < n)
		if (S_line(lay, t, indent, width, justify, n, n, hw) < 0)
			return -1;
	return s->made;
}
