/*
 * linebreak.c - the second stage of typesetting: a measured paragraph is
 * broken into lines over the whole paragraph at once (total fit, in the
 * manner of Knuth and Plass), then each line becomes runs of glyphs (one
 * font, size and baseline a run) with x relative to the column, which
 * pagination places.
 *
 * Where a line may end comes from libunibreak (UAX #14) and, inside words,
 * from libhyphen; our own rules then take some of those away: no break
 * between a number and its unit or inside a unit ("5 mg", "mg/kg"), none
 * between an operator and its number ("<= 3"), no hyphen in a capitalised
 * word (drug names) or a word with digits.  Of the ways to break the
 * paragraph at what is left, the one with the fewest demerits is chosen:
 * loose and tight lines cost, hyphens cost, two hyphenated lines in a row
 * cost more and a third is never made, a hyphen before a paragraph's last
 * line costs, and so does a loose line next to a tight one.  Justified
 * lines only widen or narrow their spaces, never the letters; a measure
 * narrower than the style's justify-min-measure is set ragged right.
 */
#include <hyphen.h>
#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend/pdf/layout_private.h"

/* Words of this many letters or more are not hyphenated: the longest
 * English words the dictionary knows are far shorter. */
#define HYPHEN_WORD_MAX 64

/* Hyphens leave at least this many letters on either side ("re-" and
 * "-al" read badly). */
#define HYPHEN_MIN_LEFT  2
#define HYPHEN_MIN_RIGHT 3

/* Tokens (text between spaces) longer than this are not hyphenated, even
 * between the words they are made of.  The corpus's longest is 64
 * characters; a URL is rarely over 2,000. */
#define TOKEN_MAX 4096

/* A paragraph broken as it is built (mx_lay_break_some()) makes a line only
 * when this many cells follow it, and keeps this many before the next
 * line, so that what each line looks at (the token, the words to
 * hyphenate, the context of the break opportunities, the lines after it
 * that total fit weighs) is there. */
#define STREAM_LOOKAHEAD (TOKEN_MAX + 2 * HYPHEN_WORD_MAX)
#define STREAM_HISTORY   (TOKEN_MAX + 2 * HYPHEN_WORD_MAX)

/* Words hyphenated before are looked up here (per layout, so per worker;
 * the same vocabulary comes back paragraph after paragraph).  The result
 * is the dictionary's whatever the cache holds: output does not depend on
 * it, only the time.  Words of up to HYPHEN_CACHE_WORD letters are kept
 * (nearly all: "hypersensitivity" has 16), in 512 KB per worker; with
 * 2,048 words instead of 16,384, 100 leaflets asked the dictionary 8,389
 * times instead of 4,304. */
#define HYPHEN_CACHE      16384
#define HYPHEN_CACHE_WORD 23

/* The demerits of a line (as TeX weighs them): (LINE_PENALTY + badness)^2
 * plus the square of the break's penalty, and the extras below. */
#define LINE_PENALTY      10.0
#define PENALTY_HYPHEN    50.0    /* a hyphen the dictionary allows */
#define PENALTY_COMPOUND  100.0   /* one inside a part of "muscle-relaxing" */
#define PENALTY_EXPLICIT  30.0    /* after a hyphen of the text */
#define PENALTY_SLASH     50.0    /* after "and/" */
#define DEMERITS_HYPHENS  10000.0 /* two hyphenated lines in a row */
#define DEMERITS_FINAL    8000.0  /* a hyphen before the last line */
#define DEMERITS_ADJACENT 5000.0  /* a loose line next to a tight one */
#define LOOSE_LINE        5000.0  /* the badness a line over tolerance adds */

/* Hyphenated lines in a row: never more (a hard rule, not a cost). */
#define HYPHEN_RUN_MAX 2

/* A paragraph set a line longer or shorter than its best (its
 * looseness, as TeX calls it, to balance a last page: layout.c) has at
 * most this many lines: a longer one is not worth the search. */
#define LOOSE_LINES_MAX 40

/* Justified spaces stretch by STRETCH and shrink by SHRINK ems at a ratio
 * of 1; the first pass takes no line looser than TOLERANCE (a gap widened
 * by under 0.4 em), the second, when the first finds no way, any line
 * that is not overfull.  A justified line is never widened by more than
 * GAP_MAX ems a space: what is left stays at its end.  Ragged lines have
 * RAG ems of room at their end at a ratio of 1. */
#define STRETCH   0.25
#define SHRINK    0.13
#define TOLERANCE 1.56
#define GAP_MAX   0.5
#define RAG       3.0

/* A hyphen weighs this many times its penalty in ragged text. */
#define RAGGED_HYPHEN_COST 9.0

/* One way a line may end: the line holds [from, end) (plus a hyphen when
 * `hyphen`), the next starts at `next`. */
struct kp_break {
	size_t end, next;
	double penalty;
	int hyphen;  /* the typesetter adds a hyphen */
	int flagged; /* the line ends in a hyphen (added or the text's) */
	int last;    /* the paragraph's (or its forced line's) last line */
};

/* A feasible break: the best way to reach it with the given fitness
 * class and run of hyphenated lines. */
struct kp_node {
	size_t end, next;
	long prev;
	double total;
	unsigned char fitness, run, hyphen, flagged;
	unsigned char cut;  /* a piece of a word longer than the line */
	unsigned int lines; /* from the first node */
};

struct kp_cache {
	uint64_t mask; /* bit k: a hyphen may follow letter k */
	unsigned char len;
	char word[HYPHEN_CACHE_WORD];
};

/* The paragraph breaker's memory, kept in the scratch between paragraphs
 * and documents (lay_scratch.kp). */
struct lay_kp {
	uint32_t *sp;       /* sp[i]: spaces in [0, i) */
	unsigned char *hyp; /* hyp[i]: a hyphen may follow cell i; its kind */
	size_t cap;
	struct kp_node *nodes;
	size_t nnodes, capnodes;
	size_t *active;
	size_t nactive, capactive;
	size_t *path;
	size_t cappath;
	/* S_try_break_lines()'s tables, once needed. */
	double *lines_best;
	long *lines_from;
	struct kp_cache cache[HYPHEN_CACHE];
};

/* How a paragraph is set. */
struct kp_set {
	double width, hw; /* the measure; the hyphen's width */
	double stretch, shrink, rag;
	double tolerance;
	double hyphen_cost; /* how much a hyphen's penalty weighs */
	int justify;
};

#define HYP_WORD     1 /* a hyphen the dictionary allows */
#define HYP_COMPOUND 2 /* the same, in a part of a hyphenated compound */

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
S_digit(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xBC && c <= 0xBE) ||
	       (c >= 0x2150 && c <= 0x215E) || c == 0xB2 || c == 0xB3 ||
	       c == 0xB9 || (c >= 0x2070 && c <= 0x2089);
}

static int
S_token_end(uint32_t c)
{
	return c == ' ' || c == '\n';
}

/* ------------------------------------------------------------------ */
/* Numbers, units and operators stay together. */

/* The units a number is tied to, as the text writes them (case matters:
 * "L" is litres).  tests/pdflines.py counts splits with the same list. */
static const char *const S_units[] = {
        "mg",
        "g",
        "kg",
        "mcg",
        "\xC2\xB5g",
        "\xCE\xBCg",
        "ng",
        "pg",
        "mL",
        "ml",
        "L",
        "l",
        "dL",
        "dl",
        "\xC2\xB5L",
        "\xCE\xBCL",
        "cL",
        "IU",
        "U",
        "units",
        "unit",
        "mU",
        "kU",
        "mmol",
        "\xC2\xB5mol",
        "\xCE\xBCmol",
        "nmol",
        "mol",
        "mEq",
        "mOsm",
        "%",
        "\xE2\x80\xB0",
        "\xC2\xB0",
        "\xC2\xB0"
        "C",
        "\xC2\xB0"
        "F",
        "mm",
        "cm",
        "m",
        "km",
        "\xC2\xB5m",
        "\xCE\xBCm",
        "nm",
        "mmHg",
        "cmH2O",
        "kPa",
        "Pa",
        "h",
        "hr",
        "hrs",
        "min",
        "mins",
        "sec",
        "s",
        "ms",
        "Hz",
        "kHz",
        "kcal",
        "cal",
        "kJ",
        "J",
        "mSv",
        "Sv",
        "Gy",
        "cGy",
        "Bq",
        "MBq",
        "GBq",
        "mCi",
        "Ci",
        "\xC2\xB5"
        "Ci",
        "\xCE\xBC"
        "Ci",
        "gtt",
        "mV",
        "V",
        "W",
        "kW",
        "mA",
        "A",
        "dB",
        "ppm",
};

static int
S_operator(uint32_t c)
{
	return c == 0x2264 || c == 0x2265 || c == '<' || c == '>' ||
	       c == 0xB1 || c == '~' || c == 0xD7 || c == 0x2248 || c == '=';
}

/* Whether the cells [a, b) spell a unit of the list. */
static int
S_is_unit(const uint32_t *cp, size_t a, size_t b)
{
	char u[16];
	size_t i, o = 0;

	for (i = a; i < b; i++) {
		uint32_t c = cp[i];
		if (o + 4 >= sizeof(u))
			return 0;
		if (c < 0x80) {
			u[o++] = (char)c;
		} else if (c < 0x800) {
			u[o++] = (char)(0xC0 | (c >> 6));
			u[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			u[o++] = (char)(0xE0 | (c >> 12));
			u[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	u[o] = '\0';
	for (i = 0; i < sizeof(S_units) / sizeof(*S_units); i++)
		if (strcmp(u, S_units[i]) == 0)
			return 1;
	return 0;
}

/* Whether a unit starts at cell `i` of [.., n): its letters (or %, per
 * mille, a multiplication sign, degrees) up to a character that is neither a
 * letter nor a digit
 * ("mg," "mg/kg" "mg)" but not "mgs"). */
static int
S_unit_at(const struct lay_scratch *s, size_t i, size_t n)
{
	size_t j = i;

	if (i >= n)
		return 0;
	if (s->cp[j] == '%' || s->cp[j] == 0x2030 || s->cp[j] == 0xD7)
		return 1;
	if (s->cp[j] == 0xB0)
		j++;
	while (j < n && j - i < 8 && (S_letter(s->cp[j]) || s->cp[j] == 0xB5))
		j++;
	if (j == i || (j < n && (S_letter(s->cp[j]) || S_digit(s->cp[j]))))
		return 0;
	return S_is_unit(s->cp, i, j);
}

/* Whether a unit ends just before cell `i` (a slash there): "mg/", "IU/". */
static int
S_unit_before(const struct lay_scratch *s, size_t i)
{
	size_t j = i;

	while (j > 0 && i - j < 8 &&
	       (S_letter(s->cp[j - 1]) || s->cp[j - 1] == 0xB5))
		j--;
	if (j == i || (j > 0 && S_letter(s->cp[j - 1])))
		return 0;
	return S_is_unit(s->cp, j, i);
}

/* Takes away the break opportunities of [0, n) that would part a number
 * from its unit ("5 | mg", "1.5 mg/ | kg", "10 | %") or an operator from
 * its number ("<= | 3", "± | 0.5").  Breaks after a hyphen of a compound
 * ("muscle-|relaxing") stay: the line then ends in U+2010, which text
 * extractors do not take for a hyphenation. */
static void
S_keep_together(struct lay_scratch *s, size_t n)
{
	size_t i;

	for (i = 1; i + 1 < n; i++) {
		uint32_t c = s->cp[i], prev = s->cp[i - 1];
		if (s->brk[i] != LINEBREAK_ALLOWBREAK)
			continue;
		if (c == ' ') {
			uint32_t next = s->cp[i + 1];
			if ((S_digit(prev) && S_unit_at(s, i + 1, n)) ||
			    (S_operator(prev) &&
			     (S_digit(next) || next == '.' || next == '-' ||
			      next == 0x2212 || next == '+')))
				s->brk[i] = LINEBREAK_NOBREAK;
		} else if (c == '/') {
			if (S_unit_before(s, i) || S_digit(prev) ||
			    S_unit_at(s, i + 1, n))
				s->brk[i] = LINEBREAK_NOBREAK;
		} else if (c == '-' || c == 0x2010) {
			/* Not "(LDL-|C)" nor "5-|HT2A": two characters
			 * before the hyphen, three after. */
			size_t a = i, b = i + 1;
			while (a > 0 && i - a < 2 &&
			       (S_letter(s->cp[a - 1]) ||
			        S_digit(s->cp[a - 1])))
				a--;
			while (b < n && b - i < 4 &&
			       (S_letter(s->cp[b]) || S_digit(s->cp[b])))
				b++;
			if (i - a < 2 || b - i - 1 < 3)
				s->brk[i] = LINEBREAK_NOBREAK;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Hyphenation points. */

/* The hyphenation points of the lowercase `word` of `len` letters, as a
 * mask (bit k: a hyphen may follow letter k), from the cache or the
 * dictionary. */
static uint64_t
S_word_mask(struct layout *lay, struct lay_kp *kp, const char *word, size_t len)
{
	uint32_t h = 2166136261u;
	struct kp_cache *e;
	char hyph[HYPHEN_WORD_MAX + 8];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	uint64_t mask = 0;
	size_t k;

	for (k = 0; k < len; k++)
		h = (h ^ (unsigned char)word[k]) * 16777619u;
	e = &kp->cache[h % HYPHEN_CACHE];
	if (e->len == len && memcmp(e->word, word, len) == 0)
		return e->mask;
	if (hnj_hyphen_hyphenate3(lay->hyphen, word, (int)len, hyph, NULL, &rep,
	                          &pos, &cut, HYPHEN_MIN_LEFT, HYPHEN_MIN_RIGHT,
	                          HYPHEN_MIN_LEFT, HYPHEN_MIN_RIGHT) == 0) {
		for (k = HYPHEN_MIN_LEFT - 1; k + HYPHEN_MIN_RIGHT < len; k++)
			if (hyph[k] & 1)
				mask |= (uint64_t)1 << k;
	}
	if (rep != NULL) {
		for (k = 0; k < len; k++)
			free(rep[k]);
		free(rep);
		free(pos);
		free(cut);
		mask = 0; /* a non-standard hyphenation: none rather */
	}
	if (len <= HYPHEN_CACHE_WORD) {
		memcpy(e->word, word, len);
		e->len = (unsigned char)len;
		e->mask = mask;
	}
	return mask;
}

/* Marks where the word [ws, we) of the token [ts, te) may take a hyphen:
 * not at all when it is capitalised (drug names, acronyms) or part of a
 * word with digits ("B12", "HER2"), nor when it is glued to letters the
 * dictionary does not know (accented, Greek); at a higher cost when it
 * is a part of a hyphenated compound. */
static void
S_mark_word(struct layout *lay, struct lay_kp *kp, size_t ws, size_t we,
            size_t ts, size_t te)
{
	const struct lay_scratch *s = lay->scratch;
	char word[HYPHEN_WORD_MAX];
	size_t k, len = we - ws;
	uint64_t mask;
	int compound;

	if (len < HYPHEN_MIN_LEFT + HYPHEN_MIN_RIGHT || len >= sizeof(word) ||
	    (s->cp[ws] >= 'A' && s->cp[ws] <= 'Z'))
		return;
	if ((ws > ts && (S_letter(s->cp[ws - 1]) || S_digit(s->cp[ws - 1]))) ||
	    (we < te && (S_letter(s->cp[we]) || S_digit(s->cp[we]))))
		return;
	compound = (ws > ts && s->cp[ws - 1] == '-') ||
	           (we < te && s->cp[we] == '-');
	for (k = 0; k < len; k++) {
		uint32_t c = s->cp[ws + k];
		word[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	mask = S_word_mask(lay, kp, word, len);
	for (k = 0; k < len; k++)
		if (mask & ((uint64_t)1 << k))
			kp->hyp[ws + k] = compound ? HYP_COMPOUND : HYP_WORD;
}

/* Marks the hyphenation points of the cells [from, n) (from is where a
 * line starts; the token around it is looked at whole).  Tokens that are
 * addresses (with a slash or an at sign) or longer than TOKEN_MAX get no
 * hyphens that are not their own. */
static void
S_mark_hyphens(struct layout *lay, struct lay_kp *kp, size_t from, size_t n)
{
	const struct lay_scratch *s = lay->scratch;
	size_t ts = from, te, ws, we;

	memset(kp->hyp + from, 0, n - from);
	if (lay->hyphen == NULL || s->no_hyphen)
		return;
	while (ts > 0 && from - ts < TOKEN_MAX && !S_token_end(s->cp[ts - 1]))
		ts--;
	for (; ts < n; ts = te + 1) {
		int address = 0;
		for (te = ts; te < n && !S_token_end(s->cp[te]); te++)
			address |= s->cp[te] == '/' || s->cp[te] == '@';
		if (address || te - ts > TOKEN_MAX ||
		    (ts > 0 && !S_token_end(s->cp[ts - 1])))
			continue;
		for (ws = ts; ws < te; ws = we) {
			if (!S_ascii_letter(s->cp[ws])) {
				we = ws + 1;
				continue;
			}
			for (we = ws; we < te && S_ascii_letter(s->cp[we]);
			     we++)
				;
			if (we > from)
				S_mark_word(lay, kp, ws, we, ts, te);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Total fit. */

/* The fitness class of a line set at adjustment ratio `r`: tight, decent,
 * loose, very loose. */
static int
S_fitness(double r)
{
	return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

/* The adjustment ratio of the line [from, b->end): how far its spaces (or,
 * ragged, its end) stretch (> 0) or shrink (< 0) to fill the measure, in
 * units of what they can; below -1 it does not fit. */
static double
S_ratio(const struct lay_scratch *s, const struct lay_kp *kp,
        const struct kp_set *set, size_t from, const struct kp_break *b)
{
	double w = s->cx[b->end] - s->cx[from] + (b->hyphen ? set->hw : 0);
	double nsp = (double)(kp->sp[b->end] - kp->sp[from]);
	double room = set->width - w;

	if (room >= 0) {
		if (b->last)
			return 0;
		if (!set->justify)
			return room / set->rag;
		/* A line without spaces cannot be justified: it stays
		 * short, which costs as it would ragged. */
		return nsp > 0 ? room / (nsp * set->stretch) : room / set->rag;
	}
	if (set->justify && nsp > 0)
		return room / (nsp * set->shrink);
	return room > -0.001 ? 0 : -HUGE_VAL;
}

/* The demerits of a line at ratio `r` ending at `b`, after node `a`.  A
 * line looser than the tolerance (only the second pass takes one) costs
 * far more than any within it.  Justified, it grows slowly: the fewest
 * such lines, rather than many a little too loose.  Ragged, it grows with
 * the square of how short the line is: two lines of half the measure
 * rather than one of a word ("Acute" over a long bold label). */
static double
S_demerits(const struct kp_set *set, const struct kp_node *a,
           const struct kp_break *b, double r, int fitness)
{
	double bad = 100.0 * fabs(r) * r * r, d, tol = set->tolerance;

	if (r > tol)
		bad = 100.0 * tol * tol * tol +
		      (set->justify ? LOOSE_LINE + 100.0 * (r - tol)
		                    : LOOSE_LINE * (r / tol) * (r / tol));
	d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
	d += b->penalty * b->penalty * (b->flagged ? set->hyphen_cost : 1);
	if (b->flagged && a->flagged)
		d += DEMERITS_HYPHENS;
	if (b->last && a->flagged)
		d += DEMERITS_FINAL;
	if (abs(fitness - (int)a->fitness) > 1)
		d += DEMERITS_ADJACENT;
	return d;
}

static int
S_add_node(struct layout *lay, struct lay_kp *kp, const struct kp_break *b,
           long prev, double total, int fitness, int run)
{
	struct kp_node *nd;

	GROW(lay, kp->nodes, nnodes, kp->capnodes, kp->nnodes + 1);
	GROW(lay, kp->active, nactive, kp->capactive, kp->nactive + 1);
	nd = &kp->nodes[kp->nnodes];
	nd->end = b->end;
	nd->next = b->next;
	nd->prev = prev;
	nd->lines = prev >= 0 ? kp->nodes[prev].lines + 1 : 0;
	nd->total = total;
	nd->fitness = (unsigned char)fitness;
	nd->run = (unsigned char)run;
	nd->hyphen = (unsigned char)b->hyphen;
	nd->flagged = (unsigned char)b->flagged;
	nd->cut = 0;
	kp->active[kp->nactive++] = kp->nnodes++;
	return 0;
}

/* When no line from any active node reaches `b` without overflowing, the
 * best of them (`dead`) gets a line that is cut where the measure ends
 * (between letters with a hyphen, so that text extractors join the
 * halves): an unbreakable word longer than the line. */
static int
S_cut(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
      size_t dead, size_t limit)
{
	const struct lay_scratch *s = lay->scratch;
	const struct kp_node *a = &kp->nodes[dead];
	size_t from = a->next, end = from + 1;
	struct kp_break cut;

	/* Forward from the line's start: a word of many lines is cut in
	 * time linear in its length. */
	while (end + 1 < limit &&
	       s->cx[end + 1] - s->cx[from] + set->hw <= set->width)
		end++;
	/* A line ending in the text's own hyphen would be joined to the
	 * next by extractors: cut before that hyphen instead. */
	if (end > from + 2 && s->cp[end - 1] == '-' && S_letter(s->cp[end - 2]))
		end--;
	memset(&cut, 0, sizeof(cut));
	cut.end = cut.next = end;
	cut.hyphen = cut.flagged = S_letter(s->cp[end - 1]) &&
	                           (S_letter(s->cp[end]) || s->cp[end] == '-');
	if (S_add_node(lay, kp, &cut, (long)dead, a->total + 1e12, 1,
	               cut.flagged ? 1 : 0))
		return -1;
	kp->nodes[kp->nnodes - 1].cut = 1;
	return 0;
}

/* The entries of the tables of S_try_break(): a fitness class, a run of
 * hyphens and (by lines) a number of lines. */
#define KP_CLASSES (4 * (HYPHEN_RUN_MAX + 1))
#define KP_AT(l, f, run)                                                       \
	(((size_t)(l)*4 + (size_t)(f)) * (HYPHEN_RUN_MAX + 1) + (size_t)(run))

/* Weighs the lines from every active node to the break `b`: nodes it
 * overflows are dropped, and `b` becomes a node for each fitness class
 * and run of hyphens that reaches it, by its best way (and, `nl` > 1,
 * for each number of lines below `nl`: a paragraph of a given length).
 * `best` and `from` have room for nl * KP_CLASSES entries.  `emergency`
 * takes any line that fits, however loose, and cuts when none does. */
static int
S_try_break(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
            const struct kp_break *b, int emergency, double *best, long *from,
            int nl)
{
	const struct lay_scratch *s = lay->scratch;
	size_t k, keep, dead, i, n = (size_t)nl * KP_CLASSES;
	int f, run, any, lost, l;

	for (;;) {
		keep = dead = 0;
		any = lost = 0;
		for (i = 0; i < n; i++)
			from[i] = -1;
		for (k = 0; k < kp->nactive; k++) {
			const struct kp_node *a = &kp->nodes[kp->active[k]];
			double r, d;
			if (a->next >= b->end) {
				kp->active[keep++] = kp->active[k];
				continue;
			}
			r = S_ratio(s, kp, set, a->next, b);
			if (r < -1) {
				/* Longer lines from `a` do not fit either. */
				if (!lost || a->total < kp->nodes[dead].total)
					dead = kp->active[k];
				lost = 1;
				continue;
			}
			kp->active[keep++] = kp->active[k];
			/* A paragraph set a line longer or shorter does not
			 * end in a hyphen's remainder ("treat- | ment."). */
			if ((r > set->tolerance && !emergency) ||
			    (b->flagged && a->run >= HYPHEN_RUN_MAX) ||
			    (nl > 1 && ((int)a->lines + 1 >= nl ||
			                (b->last && a->hyphen))))
				continue;
			f = S_fitness(r);
			d = a->total + S_demerits(set, a, b, r, f);
			run = b->flagged ? a->run + 1 : 0;
			l = nl > 1 ? (int)a->lines + 1 : 0;
			i = KP_AT(l, f, run);
			if (from[i] < 0 || d < best[i]) {
				best[i] = d;
				from[i] = (long)kp->active[k];
				any = 1;
			}
		}
		kp->nactive = keep;
		if (keep > 0 || !lost || !emergency)
			break;
		/* Nothing reaches `b`: cut the best line that overflowed,
		 * and weigh `b` again from there. */
		if (S_cut(lay, kp, set, dead, b->end))
			return -1;
	}
	for (l = 0; l < nl && any; l++)
		for (f = 0; f < 4; f++)
			for (run = 0; run <= HYPHEN_RUN_MAX; run++) {
				i = KP_AT(l, f, run);
				if (from[i] >= 0 &&
				    S_add_node(lay, kp, b, from[i], best[i], f,
				               run))
					return -1;
			}
	return 0;
}

/* S_try_break() for every break of every paragraph, its tables on the
 * stack. */
static int
S_try_break_any(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
                const struct kp_break *b, int emergency)
{
	double best[KP_CLASSES];
	long from[KP_CLASSES];

	return S_try_break(lay, kp, set, b, emergency, best, from, 1);
}

/* S_try_break() by lines, for a paragraph of a given length (rare: a last
 * page's balancing), its tables in the breaker's memory. */
static int
S_try_break_lines(struct layout *lay, struct lay_kp *kp,
                  const struct kp_set *set, const struct kp_break *b)
{
	const size_t n = (LOOSE_LINES_MAX + 1) * KP_CLASSES;

	if (kp->lines_best == NULL) {
		kp->lines_best = malloc(n * sizeof(*kp->lines_best));
		kp->lines_from = malloc(n * sizeof(*kp->lines_from));
		if (kp->lines_best == NULL || kp->lines_from == NULL) {
			lay->failed = 1;
			return -1;
		}
	}
	return S_try_break(lay, kp, set, b, 0, kp->lines_best, kp->lines_from,
	                   LOOSE_LINES_MAX + 1);
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
	l->cut = 0;
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

	/* Room for every glyph of the line at once (the hyphen asks for its
	 * own). */
	GROW(lay, lay->glyphs, nglyphs, lay->capglyphs,
	     lay->nglyphs + (b > a ? b - a : 0));
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
		lay->glyphs[lay->nglyphs++] = c;
		lay->runs[lay->nruns - 1].count++;
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
S_hyphen_width(struct layout *lay, const struct style_text *t)
{
	int slot, adv;

	return mx_pdf_fonts_lookup(lay->fonts, FACE_REGULAR, '-', &slot,
	                           &adv) == 0
	               ? adv * t->size / 1000.0
	               : t->size / 3;
}

static struct lay_kp *
S_kp(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;

	if (s->kp == NULL) {
		s->kp = calloc(1, sizeof(*s->kp));
		if (s->kp == NULL)
			lay->failed = 1;
	}
	return s->kp;
}

void
mx_lay_break_free(struct lay_scratch *s)
{
	struct lay_kp *kp = s->kp;

	if (kp == NULL)
		return;
	free(kp->sp);
	free(kp->hyp);
	free(kp->nodes);
	free(kp->active);
	free(kp->path);
	free(kp->lines_best);
	free(kp->lines_from);
	free(kp);
	s->kp = NULL;
}

/* Measures the cells up to `n`, finds their break opportunities, takes
 * away those our rules forbid, and counts the spaces. */
static int
S_prepare(struct layout *lay, struct lay_kp *kp, const struct style_text *t,
          size_t n)
{
	struct lay_scratch *s = lay->scratch;
	size_t i, cap = kp->cap;

	mx_lay_measure_to(lay, t->size, n);
	set_linebreaks_utf32(s->cp, n, "en", s->brk);
	S_keep_together(s, n);
	if (n + 1 > kp->cap) {
		GROW(lay, kp->sp, n, cap, n + 1);
		cap = kp->cap;
		GROW(lay, kp->hyp, n, cap, n + 1);
		kp->cap = cap;
	}
	kp->sp[0] = 0;
	for (i = 0; i < n; i++)
		kp->sp[i + 1] = kp->sp[i] + (s->cp[i] == ' ');
	return 0;
}

/* The way a line may end after cell `i` of [.., end), from libunibreak's
 * opportunities and the hyphenation points; returns 0 when there is
 * none, 1 or 2 (both a hyphen and a break: b[0], b[1]). */
static int
S_breaks_at(const struct lay_scratch *s, const struct lay_kp *kp, size_t from,
            size_t i, struct kp_break *b)
{
	int nb = 0;
	uint32_t c = s->cp[i];

	if (kp->hyp[i]) {
		memset(&b[nb], 0, sizeof(*b));
		b[nb].end = b[nb].next = i + 1;
		b[nb].penalty = kp->hyp[i] == HYP_COMPOUND ? PENALTY_COMPOUND
		                                           : PENALTY_HYPHEN;
		b[nb].hyphen = b[nb].flagged = 1;
		nb++;
	}
	if (s->brk[i] == LINEBREAK_ALLOWBREAK) {
		struct kp_break *k = &b[nb++];
		memset(k, 0, sizeof(*k));
		k->end = k->next = i + 1;
		if (c == ' ') {
			while (k->end > from && s->cp[k->end - 1] == ' ')
				k->end--;
			/* "peri- and postmenopausal": a line that ends in the
			 * text's hyphen reads as hyphenated, and counts in a
			 * run of them. */
			k->flagged =
			        k->end > from && (s->cp[k->end - 1] == '-' ||
			                          s->cp[k->end - 1] == 0x2010);
		} else if (c == 0xAD) {
			k->hyphen = k->flagged = 1;
			k->penalty = PENALTY_HYPHEN;
		} else if (c == '-' || c == 0x2010) {
			k->flagged = 1;
			k->penalty = PENALTY_EXPLICIT;
		} else if (c == '/') {
			k->penalty = PENALTY_SLASH;
		}
	}
	return nb;
}

/* Breaks the cells [from, end) into lines by total fit; `last` when the
 * last of them ends the paragraph (or a forced line), else the best way
 * to the end of what there is.  The first pass takes no line looser than
 * the tolerance; when it finds no way, the second takes any, and cuts a
 * word longer than the line.  `lines` > 0 (with `last`): the best way in
 * exactly that many lines, in the first pass only (none: -1).  Returns
 * the last node, or -1. */
static long
S_fit_lines(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
            size_t from, size_t end, int last, unsigned lines)
{
	const struct lay_scratch *s = lay->scratch;
	struct kp_break b[2], fin;
	size_t i, k, first;
	int pass, nb, j, by_lines = lines > 0;
	long best = -1;

	S_mark_hyphens(lay, kp, from, end);
	for (pass = 0; pass < 2 - by_lines && best < 0; pass++) {
		kp->nnodes = kp->nactive = 0;
		memset(&fin, 0, sizeof(fin));
		fin.end = fin.next = from;
		if (S_add_node(lay, kp, &fin, -1, 0, 1, s->prev_hyphen))
			return -1;
		kp->nodes[0].flagged = s->prev_hyphen > 0;
		for (i = from; i + 1 < end && kp->nactive > 0; i++) {
			nb = S_breaks_at(s, kp, from, i, b);
			for (j = 0; j < nb; j++)
				if (by_lines ? S_try_break_lines(lay, kp, set,
				                                 &b[j])
				             : S_try_break_any(lay, kp, set,
				                               &b[j], pass))
					return -1;
		}
		if (kp->nactive == 0)
			continue;
		if (!last) {
			for (k = 0; k < kp->nactive; k++)
				if (best < 0 || kp->nodes[kp->active[k]].total <
				                        kp->nodes[best].total)
					best = (long)kp->active[k];
			break;
		}
		fin.end = fin.next = end;
		fin.last = 1;
		while (fin.end > from && s->cp[fin.end - 1] == ' ')
			fin.end--;
		first = kp->nnodes;
		if (by_lines ? S_try_break_lines(lay, kp, set, &fin)
		             : S_try_break_any(lay, kp, set, &fin, pass))
			return -1;
		for (k = first; k < kp->nnodes; k++)
			if (kp->nodes[k].next == end &&
			    (!by_lines || kp->nodes[k].lines == lines) &&
			    (best < 0 ||
			     kp->nodes[k].total < kp->nodes[best].total))
				best = (long)k;
	}
	return best;
}

static long
S_fit(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
      size_t from, size_t end, int last)
{
	return S_fit_lines(lay, kp, set, from, end, last, 0);
}

/* The number of lines a paragraph set `loose` lines longer (or shorter)
 * than its best way `best` has, or 0 when that is none the breaker
 * searches (S_fit_lines()). */
static unsigned
S_loose_lines(const struct lay_kp *kp, long best, int loose)
{
	long want = (long)kp->nodes[best].lines + loose;

	if (kp->nodes[best].lines > LOOSE_LINES_MAX || want < 1 ||
	    want > LOOSE_LINES_MAX)
		return 0;
	return (unsigned)want;
}

/* Whether the paragraph's last lines [from, end) could be set a line
 * shorter (pr->can[0]) or longer (pr->can[1]) with no line too loose (see
 * S_fit_loose()).  Returns 0, or -1 when out of memory. */
static int
S_probe(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
        size_t from, size_t end, struct lay_probe *pr)
{
	long best = S_fit(lay, kp, set, from, end, 1);
	unsigned want[2];
	int j;

	pr->can[0] = pr->can[1] = 0;
	if (best < 0)
		return lay->failed ? -1 : 0;
	/* Both counts first: S_fit_lines() reuses the nodes, `best` among them.
	 */
	want[0] = S_loose_lines(kp, best, -1);
	want[1] = S_loose_lines(kp, best, 1);
	for (j = 0; j < 2; j++) {
		if (want[j] == 0)
			continue;
		pr->can[j] =
		        S_fit_lines(lay, kp, set, from, end, 1, want[j]) >= 0;
		if (lay->failed)
			return -1;
	}
	return 0;
}

/* S_fit() of a paragraph's last lines, `loose` lines more (or fewer) than
 * the best way has, when there is such a way with no line looser than
 * the tolerance; else the best way. */
static long
S_fit_loose(struct layout *lay, struct lay_kp *kp, const struct kp_set *set,
            size_t from, size_t end, int loose)
{
	long best = S_fit(lay, kp, set, from, end, 1), alt;
	unsigned want;

	if (best < 0 || (want = S_loose_lines(kp, best, loose)) == 0)
		return best;
	alt = S_fit_lines(lay, kp, set, from, end, 1, want);
	return alt >= 0 || lay->failed ? alt
	                               : S_fit(lay, kp, set, from, end, 1);
}

/* Emits the line [from, nd->end) of a paragraph set by `set`. */
static int
S_emit(struct layout *lay, const struct style_text *t, const struct kp_set *set,
       double indent, size_t from, const struct kp_node *nd, int last)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_kp *kp = s->kp;
	double w = s->cx[nd->end] - s->cx[from] + (nd->hyphen ? set->hw : 0);
	double nsp = (double)(kp->sp[nd->end] - kp->sp[from]), extra = 0;

	if (set->justify && nsp > 0 && (!last || w > set->width)) {
		extra = (set->width - w) / nsp;
		if (extra > GAP_MAX * t->size)
			extra = GAP_MAX * t->size;
	}
	if (mx_lay_new_line(lay, t->leading,
	                    (t->leading + t->size * 0.72) / 2) ||
	    mx_lay_emit_line(lay, from, nd->end, nd->hyphen, indent, extra, 0,
	                     t))
		return -1;
	s->lines[s->nlines - 1].hyphen = nd->flagged;
	s->lines[s->nlines - 1].cut = nd->cut;
	s->prev_hyphen = nd->flagged ? s->prev_hyphen + 1 : 0;
	s->made++;
	return 0;
}

/* Emits the lines of the path to node `last_node` that end before
 * `limit`; moves s->start on.  `last`: the path's last line is the
 * paragraph's (or a forced line's), set unjustified. */
static int
S_emit_path(struct layout *lay, const struct style_text *t,
            const struct kp_set *set, double indent, long last_node,
            size_t limit, int last)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_kp *kp = s->kp;
	size_t count = 0, k;
	long nd;

	for (nd = last_node; nd > 0; nd = kp->nodes[nd].prev)
		count++;
	GROW(lay, kp->path, count, kp->cappath, count + 1);
	k = count;
	for (nd = last_node; nd > 0; nd = kp->nodes[nd].prev)
		kp->path[--k] = (size_t)nd;
	for (k = 0; k < count; k++) {
		const struct kp_node *n = &kp->nodes[kp->path[k]];
		if (n->next > limit)
			break;
		if (S_emit(lay, t, set, indent, s->start, n,
		           last && k + 1 == count))
			return -1;
		s->start = n->next;
	}
	return 0;
}

/* How the paragraph is set: justified only when the style says so and
 * the measure is at least the style's justify-min-measure (in ems of the
 * text); else ragged right. */
static void
S_set(struct layout *lay, const struct style_text *t, double width, int justify,
      struct kp_set *set)
{
	const struct style *st = lay->style;

	set->width = width;
	set->hw = S_hyphen_width(lay, t);
	set->justify = justify && width >= st->justify_min_measure * t->size;
	set->stretch = STRETCH * t->size;
	set->shrink = SHRINK * t->size;
	set->rag = RAG * t->size;
	set->tolerance = TOLERANCE;
	/* Ragged lines need no hyphen to fill the measure: one costs more. */
	set->hyphen_cost = set->justify ? 1 : RAGGED_HYPHEN_COST;
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

/* The end of the forced line from s->start in [.., n): a line break (not
 * part of the line) or libunibreak's mandatory break (after it); sets
 * *next to where the line after starts.  Returns n when there is none. */
static size_t
S_forced_end(const struct lay_scratch *s, size_t n, size_t *next)
{
	size_t i;

	for (i = s->start; i < n; i++) {
		if (s->cp[i] == '\n') {
			*next = i + 1;
			return i;
		}
		if (s->brk[i] == LINEBREAK_MUSTBREAK && i + 1 < n) {
			*next = i + 1;
			return i + 1;
		}
	}
	*next = n;
	return n;
}

/* Sets the lines of [s->start, n) up to `limit` (n when the paragraph is
 * complete: then all of them). */
static int
S_lines(struct layout *lay, const struct style_text *t, double indent,
        const struct kp_set *set, size_t n, size_t limit)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_kp *kp = s->kp;

	S_skip_spaces(s, n);
	while (s->start < limit) {
		size_t next, end = S_forced_end(s, n, &next);
		int forced = end < n || next < n;
		long last;
		if (end == n && limit < n) {
			/* The paragraph goes on: set what is settled. */
			size_t before = s->start;
			last = S_fit(lay, kp, set, s->start, n, 0);
			if (last < 0 ||
			    S_emit_path(lay, t, set, indent, last, limit, 0))
				return -1;
			if (s->start == before)
				return 0; /* no line ends before `limit` yet */
			s->skip_spaces = 1;
			S_skip_spaces(s, n);
			continue;
		}
		if (end == s->start) {
			struct kp_node empty;
			memset(&empty, 0, sizeof(empty));
			empty.end = end;
			if (S_emit(lay, t, set, indent, s->start, &empty, 1))
				return -1;
		} else {
			if (next >= n && limit == n && s->probing >= 0 &&
			    S_probe(lay, kp, set, s->start, end,
			            &s->probe[s->probing]))
				return -1;
			last = s->loose != 0 && next >= n && limit == n
			               ? S_fit_loose(lay, kp, set, s->start,
			                             end, s->loose)
			               : S_fit(lay, kp, set, s->start, end, 1);
			if (last < 0 || S_emit_path(lay, t, set, indent, last,
			                            (size_t)-1, 1))
				return -1;
		}
		s->start = next;
		s->skip_spaces = !forced;
		S_skip_spaces(s, n);
	}
	return 0;
}

void
mx_lay_break_reset(struct layout *lay)
{
	struct lay_scratch *s = lay->scratch;

	s->start = s->measured = 0;
	s->made = 0;
	s->prev_hyphen = s->skip_spaces = 0;
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
}

int
mx_lay_break_some(struct layout *lay, const struct style_text *t, double indent,
                  double width, int justify)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_kp *kp = S_kp(lay);
	/* The last cell may still go (a space before a line break). */
	size_t n = s->n - 1;
	struct kp_set set;

	if (kp == NULL)
		return -1;
	if (s->n < 1 + STREAM_LOOKAHEAD)
		return 0;
	S_set(lay, t, width, justify, &set);
	if (S_prepare(lay, kp, t, n) ||
	    S_lines(lay, t, indent, &set, n, n - STREAM_LOOKAHEAD))
		return -1;
	S_compact(s);
	return 0;
}

long
mx_lay_break(struct layout *lay, const struct style_text *t, double indent,
             double width, int justify)
{
	struct lay_scratch *s = lay->scratch;
	struct lay_kp *kp = S_kp(lay);
	size_t n = s->n;
	struct kp_set set;

	if (kp == NULL)
		return -1;
	while (n > 0 && s->cp[n - 1] == ' ')
		n--;
	s->n = n;
	if (n == 0)
		return s->made;
	S_set(lay, t, width, justify, &set);
	/* The paragraph the layout asks to set looser or tighter, or to
	 * probe, when its lines are all still to be made. */
	s->loose = 0;
	s->probing = -1;
	if (s->nblocks > 0 && s->blocks[s->nblocks - 1].para >= 0 &&
	    s->made == 0) {
		long para = s->blocks[s->nblocks - 1].para;
		int k;
		for (k = 0; k < LOOSE_SET; k++)
			if (para == s->loose_para[k])
				s->loose = s->loose_by[k];
		for (k = 0; k < s->nprobe; k++)
			if (s->probe[k].para == para)
				s->probing = k;
	}
	if (S_prepare(lay, kp, t, n) || S_lines(lay, t, indent, &set, n, n))
		return -1;
	s->loose = 0;
	s->probing = -1;
	return s->made;
}
