/*
 * kinds.c - the one table of section kinds: each kind's name in the XML and
 * JSON vocabulary, its LOINC section code (FDA Structured Product
 * Labeling), its display heading, and the headings that name it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "medexport.h"
#include "core/private.h"

/* ASCII character classes, as the C locale's <ctype.h> has them (the
 * library sets no locale) but without a call per character: headings
 * are classified by the hundred thousand. */
static inline int
S_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int
S_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline int
S_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline char
S_lower_char(unsigned char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

/* A table of words, ordered by their first byte: heading look-ups
 * compare a place of a heading only with the entries that start with its
 * byte (a handful, often none), not with the whole table.  Entries that
 * start alike keep their order in the table they come from, which decides
 * between them. */
#define WORD_INDEX_MAX 128

struct word_index {
	const char *word[WORD_INDEX_MAX];
	size_t len[WORD_INDEX_MAX];
	int value[WORD_INDEX_MAX];
	/* the entries that start with byte c: from[c] to from[c + 1] - 1 */
	unsigned char from[257];
	size_t longest; /* the length of the longest word */
};

/* Adds the `count` words (with their values) to `ix`, in order, and sorts
 * by first byte; a counting sort, so stable.  Words beyond
 * WORD_INDEX_MAX would be left out: test_builder.c looks up the last
 * synonym and the last population word. */
static void
S_index_words(struct word_index *ix, const char *const *words,
              const int *values, size_t count)
{
	size_t start[257] = {0},
	       n = count < WORD_INDEX_MAX ? count : WORD_INDEX_MAX;

	for (size_t i = 0; i < n; i++)
		start[(unsigned char)words[i][0] + 1]++;
	for (int c = 0; c < 256; c++)
		start[c + 1] += start[c];
	for (int c = 0; c <= 256; c++)
		ix->from[c] = (unsigned char)start[c];
	for (size_t i = 0; i < n; i++) {
		size_t at = start[(unsigned char)words[i][0]]++;
		ix->word[at] = words[i];
		ix->len[at] = strlen(words[i]);
		ix->value[at] = values[i];
		if (ix->len[at] > ix->longest)
			ix->longest = ix->len[at];
	}
}

/* The heading synonyms of a kind, lower case, one space between words;
 * NULL-terminated. */
#define SYNONYMS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct kind_info {
	const char *name;
	const char *loinc;   /* NULL: SPL has no section code for it */
	const char *display; /* a heading for it, when one must be made */
	const char *const *synonyms;
} kinds[MX_KIND_COUNT] = {
        [MX_KIND_GENERIC_NAME] = {"generic-name", NULL, "Generic Name",
                                  SYNONYMS("generic name", "generic names")},
        [MX_KIND_USAGE] = {"usage", "34067-9", "Usage",
                           SYNONYMS("usage", "uses", "use", "indications")},
        [MX_KIND_DOSAGE] = {"dosage", "34068-7", "Dosage",
                            SYNONYMS("dosage", "dose", "dosing",
                                     "dosage and administration")},
        [MX_KIND_SIDE_EFFECTS] = {"side-effects", "34084-4", "Side Effects",
                                  SYNONYMS("side effects", "side effect",
                                           "adverse effects",
                                           "possible side effects")},
        [MX_KIND_MECHANISM] = {"mechanism", "43679-0", "How It Works",
                               SYNONYMS("how it works", "how they work",
                                        "mechanism", "mechanism of action")},
        [MX_KIND_PRECAUTIONS] = {"precautions", "43685-7", "Precautions",
                                 SYNONYMS("precautions", "warnings",
                                          "warnings and precautions")},
        [MX_KIND_INTERACTIONS] = {"interactions", "34073-7", "Interactions",
                                  SYNONYMS("interactions", "interaction",
                                           "drug interactions",
                                           "drug interaction",
                                           "drug-drug interactions",
                                           "interactions with other drugs",
                                           "interactions with other "
                                           "medications",
                                           "interactions with other "
                                           "medicines")},
        [MX_KIND_CONTRAINDICATIONS] =
                {"contraindications", "34070-3", "Contraindications",
                 SYNONYMS("contraindications", "contraindication",
                          "contra-indications", "contraindicated",
                          "contraindications and warnings",
                          "contraindications and precautions",
                          "absolute contraindications",
                          "who should not take it", "who should not use it")},
        /* No LOINC code: 34076-0 is the prescriber label's patient
         * counselling section, not an FAQ. */
        [MX_KIND_FAQ] = {"faq", NULL, "FAQs",
                         SYNONYMS("faq", "faqs", "frequently asked questions")},
        [MX_KIND_STORAGE] = {"storage", "44425-7", "Storage",
                             SYNONYMS("storage", "how to store",
                                      "storage and handling",
                                      "storage instructions",
                                      "storage conditions")},
        [MX_KIND_OVERDOSE] = {"overdose", "34088-5", "Overdose",
                              SYNONYMS("overdose", "overdosage",
                                       "overdose symptoms",
                                       "in case of overdose",
                                       "overdose and treatment")},
        [MX_KIND_DISCLAIMER] = {"disclaimer", NULL, "Disclaimer",
                                SYNONYMS("disclaimer")},
        [MX_KIND_NOTE] = {"note", NULL, "Note", SYNONYMS("note", "notes")},
        [MX_KIND_OTHER] = {"other", NULL, NULL, NULL},
};

const char *
mx_kind_name(enum mx_kind kind)
{
	return kind < MX_KIND_COUNT ? kinds[kind].name : "other";
}

const char *
mx_kind_loinc(enum mx_kind kind)
{
	return kind < MX_KIND_COUNT ? kinds[kind].loinc : NULL;
}

const char *
mx_kind_display(enum mx_kind kind)
{
	return kind < MX_KIND_COUNT ? kinds[kind].display : NULL;
}

static pthread_once_t S_index_once = PTHREAD_ONCE_INIT;
static struct word_index S_synonyms;         /* of every kind, in kind order */
static struct word_index S_population_index; /* population_words */
static void S_index_populations(void);

static void
S_index_tables(void)
{
	const char *words[WORD_INDEX_MAX];
	int values[WORD_INDEX_MAX];
	size_t n = 0;

	for (int k = 0; k < MX_KIND_COUNT; k++)
		for (const char *const *s = kinds[k].synonyms;
		     s && *s && n < WORD_INDEX_MAX; s++) {
			words[n] = *s;
			values[n++] = k;
		}
	S_index_words(&S_synonyms, words, values, n);
	S_index_populations();
}

/* The kind whose synonyms hold `norm` (`n` bytes) exactly, or
 * MX_KIND_OTHER: the first kind of the table that does. */
static enum mx_kind
S_kind_of_synonym(const char *norm, size_t n)
{
	const struct word_index *ix = &S_synonyms;
	unsigned char c = (unsigned char)norm[0];

	for (int i = ix->from[c]; i < ix->from[c + 1]; i++)
		if (ix->len[i] == n && memcmp(norm, ix->word[i], n) == 0)
			return (enum mx_kind)ix->value[i];
	return MX_KIND_OTHER;
}

static int
S_is_blank_str(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/* Maps heading text to a section kind: case is ignored, and so are a
 * trailing colon and a trailing parenthetical qualifier, so that
 * "FAQs (Combined Use):" is an FAQ section. */
enum mx_kind
mx_kind_from_heading(const char *text)
{
	char norm[256];
	size_t len = strlen(text), n = 0, i, need;
	int whole;

	pthread_once(&S_index_once, S_index_tables);
	/* What the tests below read of the normalised heading: a synonym's
	 * length and one byte more (a longer heading is none), or the 27
	 * bytes of "frequently asked questions ". */
	need = S_synonyms.longest + 1 > 27 ? S_synonyms.longest + 1 : 27;
	if (need > sizeof(norm) - 1)
		need = sizeof(norm) - 1;
	while (len > 0 && (S_space((unsigned char)text[len - 1]) ||
	                   text[len - 1] == ':' || text[len - 1] == '.'))
		len--;
	if (len > 0 && text[len - 1] == ')') {
		size_t open = len;
		while (open > 0 && text[open - 1] != '(')
			open--;
		if (open > 0)
			len = open - 1;
	}
	while (len > 0 &&
	       (S_space((unsigned char)text[len - 1]) || text[len - 1] == ':'))
		len--;
	for (i = 0; i < len && n < need; i++) {
		unsigned char c = (unsigned char)text[i];
		if (S_space(c)) {
			if (n > 0 && norm[n - 1] != ' ')
				norm[n++] = ' ';
			continue;
		}
		norm[n++] = S_lower_char(c);
	}
	/* Stopped early, the heading is longer than every synonym: it is only
	 * matched by prefix. */
	whole = i == len;
	norm[n] = '\0';
	if (whole) {
		enum mx_kind k = S_kind_of_synonym(norm, n);
		if (k != MX_KIND_OTHER)
			return k;
	}
	/* "Generic Name: Alphamine + Betazole" names its kind before the
	 * colon. */
	{
		const char *colon = strchr(text, ':');
		if (colon && colon[1] != '\0' && !S_is_blank_str(colon + 1)) {
			char head[64];
			size_t hl = (size_t)(colon - text);
			if (hl < sizeof(head)) {
				memcpy(head, text, hl);
				head[hl] = '\0';
				enum mx_kind k = mx_kind_from_heading(head);
				if (k != MX_KIND_OTHER)
					return k;
			}
		}
	}
	/* "FAQs Regarding This Combination" */
	if (strncmp(norm, "faqs ", 5) == 0 || strncmp(norm, "faq ", 4) == 0 ||
	    strncmp(norm, "frequently asked questions ", 27) == 0)
		return MX_KIND_FAQ;
	return MX_KIND_OTHER;
}

/* ---------------------------------------------------------------------
 * Populations and frequency bands of sub-sections
 */

static const char *const population_names[MX_POPULATION_COUNT] = {
        [MX_POPULATION_NONE] = NULL,
        [MX_POPULATION_ADULTS] = "adults",
        [MX_POPULATION_CHILDREN] = "children",
        [MX_POPULATION_ADOLESCENTS] = "adolescents",
        [MX_POPULATION_INFANTS] = "infants",
        [MX_POPULATION_ELDERLY] = "elderly",
        [MX_POPULATION_RENAL] = "renal-impairment",
        [MX_POPULATION_HEPATIC] = "hepatic-impairment",
        [MX_POPULATION_PREGNANCY] = "pregnancy",
        [MX_POPULATION_BREASTFEEDING] = "breastfeeding",
};

static const char *const frequency_names[MX_FREQUENCY_COUNT] = {
        [MX_FREQUENCY_NONE] = NULL,
        [MX_FREQUENCY_VERY_COMMON] = "very-common",
        [MX_FREQUENCY_COMMON] = "common",
        [MX_FREQUENCY_UNCOMMON] = "uncommon",
        [MX_FREQUENCY_RARE] = "rare",
        [MX_FREQUENCY_VERY_RARE] = "very-rare",
        [MX_FREQUENCY_NOT_KNOWN] = "not-known",
};

const char *
mx_population_name(enum mx_population population)
{
	return population < MX_POPULATION_COUNT ? population_names[population]
	                                        : NULL;
}

const char *
mx_frequency_name(enum mx_frequency frequency)
{
	return frequency < MX_FREQUENCY_COUNT ? frequency_names[frequency]
	                                      : NULL;
}

/* The words that name a population, each at the start of a word of the
 * heading (lower case); the one that comes first in the heading wins, so
 * that "Older adults" is elderly and "Adults and children" adults. */
static const struct {
	const char *word;
	enum mx_population population;
} population_words[] = {
        /* Before "child", which would take it: women who may become
         * pregnant. */
        {"childbearing", MX_POPULATION_PREGNANCY},
        {"child-bearing", MX_POPULATION_PREGNANCY},
        {"adult", MX_POPULATION_ADULTS},
        {"grown-up", MX_POPULATION_ADULTS},
        {"child", MX_POPULATION_CHILDREN},
        {"pediatric", MX_POPULATION_CHILDREN},
        {"paediatric", MX_POPULATION_CHILDREN},
        {"kids", MX_POPULATION_CHILDREN},
        {"adolescen", MX_POPULATION_ADOLESCENTS},
        {"teen", MX_POPULATION_ADOLESCENTS},
        {"infant", MX_POPULATION_INFANTS},
        {"neonat", MX_POPULATION_INFANTS},
        {"newborn", MX_POPULATION_INFANTS},
        {"babies", MX_POPULATION_INFANTS},
        {"elderly", MX_POPULATION_ELDERLY},
        {"geriatric", MX_POPULATION_ELDERLY},
        {"older adult", MX_POPULATION_ELDERLY},
        {"older patient", MX_POPULATION_ELDERLY},
        {"older people", MX_POPULATION_ELDERLY},
        {"seniors", MX_POPULATION_ELDERLY},
        {"the aged", MX_POPULATION_ELDERLY},
        {"renal", MX_POPULATION_RENAL},
        {"kidney disease", MX_POPULATION_RENAL},
        {"kidney impairment", MX_POPULATION_RENAL},
        {"kidney problem", MX_POPULATION_RENAL},
        {"kidney function", MX_POPULATION_RENAL},
        {"kidney failure", MX_POPULATION_RENAL},
        {"impaired kidney", MX_POPULATION_RENAL},
        {"hepatic", MX_POPULATION_HEPATIC},
        {"liver disease", MX_POPULATION_HEPATIC},
        {"liver impairment", MX_POPULATION_HEPATIC},
        {"liver problem", MX_POPULATION_HEPATIC},
        {"liver function", MX_POPULATION_HEPATIC},
        {"liver failure", MX_POPULATION_HEPATIC},
        {"impaired liver", MX_POPULATION_HEPATIC},
        {"pregnan", MX_POPULATION_PREGNANCY},
        {"breastfeed", MX_POPULATION_BREASTFEEDING},
        {"breast-feed", MX_POPULATION_BREASTFEEDING},
        {"breast feed", MX_POPULATION_BREASTFEEDING},
        /* Not "lactat": calcium lactate, lactated Ringer's. */
        {"lactation", MX_POPULATION_BREASTFEEDING},
        {"lactating", MX_POPULATION_BREASTFEEDING},
        {"nursing mother", MX_POPULATION_BREASTFEEDING},
};

static void
S_index_populations(void)
{
	const size_t count =
	        sizeof(population_words) / sizeof(population_words[0]);
	const char
	        *words[sizeof(population_words) / sizeof(population_words[0])];
	int values[sizeof(population_words) / sizeof(population_words[0])];

	for (size_t i = 0; i < count; i++) {
		words[i] = population_words[i].word;
		values[i] = (int)population_words[i].population;
	}
	S_index_words(&S_population_index, words, values, count);
}

/* `text` in lower case, with at most size - 1 bytes. */
static void
S_lower(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (; *text && n + 1 < size; text++)
		out[n++] = S_lower_char((unsigned char)*text);
	out[n] = '\0';
}

/* Whether the `len` bytes at `s`, in lower case, are those of `low`. */
static int
S_equal_lower(const char *s, const char *low, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (S_lower_char((unsigned char)s[i]) != low[i])
			return 0;
	return 1;
}

/* The first place where `word` starts a word of `s`, or NULL. */
static const char *
S_find_word(const char *s, const char *word)
{
	for (const char *p = strstr(s, word); p; p = strstr(p + 1, word))
		if (p == s || !S_alpha((unsigned char)p[-1]))
			return p;
	return NULL;
}

/* The age groups under adults. */
#define YOUNG                                                                  \
	((1u << MX_POPULATION_CHILDREN) | (1u << MX_POPULATION_ADOLESCENTS) |  \
	 (1u << MX_POPULATION_INFANTS))

/* One pass over the starts of the words of the heading: the population
 * of the first word that names one (at one place, the table's first
 * entry), and in `ages` every age group named anywhere. */
enum mx_population
mx_population_from_heading(const char *text, int *named)
{
	enum mx_population pop = MX_POPULATION_NONE;
	unsigned ages = 0;
	const struct word_index *ix = &S_population_index;
	/* Headings are read as far as 255 bytes. */
	size_t n = strnlen(text, 255);

	pthread_once(&S_index_once, S_index_tables);
	for (size_t p = 0, next; p < n; p = next) {
		unsigned char c = (unsigned char)text[p];
		if (!S_alpha(c)) {
			next = p + 1;
			continue;
		}
		/* p starts a word: the next place to look at is past it */
		next = p + 1;
		while (next < n && S_alpha((unsigned char)text[next]))
			next++;
		c = (unsigned char)S_lower_char(c);
		for (int i = ix->from[c]; i < ix->from[c + 1]; i++) {
			enum mx_population q = (enum mx_population)ix->value[i];
			if (ix->len[i] > n - p ||
			    !S_equal_lower(text + p, ix->word[i], ix->len[i]))
				continue;
			if (q <= MX_POPULATION_ELDERLY)
				ages |= 1u << q;
			if (pop == MX_POPULATION_NONE)
				pop = q;
		}
	}
	if (named && pop != MX_POPULATION_NONE)
		*named = 1;
	/* "Adults and Children (>= 10 years)" and "Elderly and Children"
	 * are about both: about no one age group.  ("Older adults" and
	 * "Adults and the elderly" are about the elderly and adults.) */
	if (pop <= MX_POPULATION_ELDERLY && (ages & YOUNG) != 0 &&
	    (ages & ((1u << MX_POPULATION_ADULTS) |
	             (1u << MX_POPULATION_ELDERLY))) != 0)
		return MX_POPULATION_NONE;
	return pop;
}

/* The band of a share in percent. */
static enum mx_frequency
S_band(double percent)
{
	if (percent >= 10)
		return MX_FREQUENCY_VERY_COMMON;
	if (percent >= 1)
		return MX_FREQUENCY_COMMON;
	if (percent >= 0.1)
		return MX_FREQUENCY_UNCOMMON;
	if (percent >= 0.01)
		return MX_FREQUENCY_RARE;
	return MX_FREQUENCY_VERY_RARE;
}

/* The band a percentage in `low` gives: "(>10%)", "1-10%", "in less than
 * 1% of patients", "0.1% to 1%"; MX_FREQUENCY_NONE without one.  A range
 * or "more than" gives its lower bound's band; "less than" the band just
 * below its bound. */
static enum mx_frequency
S_band_of_percent(const char *low)
{
	double lo = -1, hi = -1;
	int below;

	for (const char *p = low; *p; p++) {
		char *end;
		const char *q;
		double v;
		if (!S_digit((unsigned char)*p) ||
		    (p > low &&
		     (S_digit((unsigned char)p[-1]) || p[-1] == '.')))
			continue;
		v = strtod(p, &end);
		q = end + strspn(end, " ");
		if (*q == '%') {
			q++;
			q += strspn(q, " ");
		} else {
			/* the first number of a range: "1-10%", "1 to 10%" */
			const char *r = q;
			if (*r == '-')
				r++;
			else if (strncmp(r, "\xe2\x80\x93", 3) == 0)
				r += 3;
			else if (strncmp(r, "to ", 3) == 0)
				r += 3;
			else
				continue;
			r += strspn(r, " ");
			if (!S_digit((unsigned char)*r))
				continue;
			strtod(r, &end);
			end += strspn(end, " ");
			if (*end != '%')
				continue;
		}
		if (lo < 0 || v < lo)
			lo = v;
		if (v > hi)
			hi = v;
	}
	if (lo < 0)
		return MX_FREQUENCY_NONE;
	below = lo == hi &&
	        (S_find_word(low, "less than") ||
	         S_find_word(low, "fewer than") || S_find_word(low, "under") ||
	         S_find_word(low, "below") || S_find_word(low, "up to") ||
	         strchr(low, '<') || strstr(low, "\xe2\x89\xa4"));
	return S_band(below ? hi * 0.999 : lo);
}

enum mx_frequency
mx_frequency_from_heading(const char *text, int *serious)
{
	char low[256];
	enum mx_frequency band;

	S_lower(low, sizeof(low), text);
	*serious = S_find_word(low, "serious") != NULL ||
	           S_find_word(low, "severe") != NULL ||
	           S_find_word(low, "life-threatening") != NULL;
	if (S_find_word(low, "less serious") || S_find_word(low, "not serious"))
		*serious = 0;
	band = S_band_of_percent(low);
	if (band != MX_FREQUENCY_NONE)
		return band;
	if (S_find_word(low, "least"))
		return MX_FREQUENCY_NONE; /* "from most to least frequent" */
	if (S_find_word(low, "very common"))
		return MX_FREQUENCY_VERY_COMMON;
	if (S_find_word(low, "very rare") || S_find_word(low, "extremely rare"))
		return MX_FREQUENCY_VERY_RARE;
	if (S_find_word(low, "not known") || S_find_word(low, "unknown"))
		return MX_FREQUENCY_NOT_KNOWN;
	if (S_find_word(low, "uncommon") || S_find_word(low, "less common") ||
	    S_find_word(low, "less frequent") ||
	    S_find_word(low, "infrequent") || S_find_word(low, "occasional") ||
	    S_find_word(low, "not common"))
		return MX_FREQUENCY_UNCOMMON;
	if (S_find_word(low, "rare"))
		return MX_FREQUENCY_RARE;
	if (S_find_word(low, "common") || S_find_word(low, "frequent"))
		return MX_FREQUENCY_COMMON;
	return MX_FREQUENCY_NONE;
}

/* Whether the `len` bytes at `s`, without case, occur in `low`, a text
 * in lower case. */
static int
S_contains(const char *low, const char *s, size_t len)
{
	char b[256];

	if (len == 0 || len >= sizeof(b))
		return 0;
	S_lower(b, len + 1, s);
	return strstr(low, b) != NULL;
}

/* Whether the heading text before or after a kind's name can name an
 * ingredient: not a population, a frequency or a qualifier of the
 * kind. */
static int
S_ingredient_like(const char *s, size_t len)
{
	char word[256];
	int serious;

	if (len == 0 || len >= sizeof(word))
		return 0;
	memcpy(word, s, len);
	word[len] = '\0';
	return mx_population_from_heading(word, NULL) == MX_POPULATION_NONE &&
	       mx_frequency_from_heading(word, &serious) == MX_FREQUENCY_NONE &&
	       !serious;
}

enum mx_kind
mx_kind_from_ingredient_heading(const char *text, const char *product,
                                size_t *off, size_t *len)
{
	size_t n = strlen(text);
	const char *colon = strchr(text, ':');
	char low[256];
	size_t first;
	int named;

	if (product == NULL)
		return MX_KIND_OTHER;
	/* The product's name is the one text every test below looks in:
	 * those come first, the kind of the rest only for a name in it. */
	S_lower(low, sizeof(low), product);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == ':'))
		n--;
	/* Every name before the kind starts with the heading's first word:
	 * when that is not in the product's name, none is. */
	first = strcspn(text, " :");
	named = S_contains(low, text, first < n ? first : n);
	/* "Norfloxacin: Usage" */
	if (named && colon && (size_t)(colon - text) < n) {
		size_t hl = (size_t)(colon - text);
		while (hl > 0 && text[hl - 1] == ' ')
			hl--;
		if (S_contains(low, text, hl)) {
			enum mx_kind k = mx_kind_from_heading(colon + 1);
			if (k != MX_KIND_OTHER && S_ingredient_like(text, hl)) {
				*off = 0;
				*len = hl;
				return k;
			}
		}
	}
	/* "Norfloxacin Usage", "Usage of Norfloxacin", "Dosage for X".  A
	 * part of the heading that the product's name does not hold is in no
	 * longer part either: `named` is cleared at the first. */
	for (size_t i = 1; i < n; i++) {
		char head[256];
		enum mx_kind k;
		size_t o = i + 1;
		unsigned char c;
		if (text[i] != ' ' || i >= sizeof(head))
			continue;
		if (named && !S_contains(low, text, i))
			named = 0;
		if (named) {
			size_t hl = n - i - 1 < sizeof(head) - 1
			                    ? n - i - 1
			                    : sizeof(head) - 1;
			memcpy(head, text + i + 1, hl);
			head[hl] = '\0';
			k = mx_kind_from_heading(head);
			if (k != MX_KIND_OTHER && S_ingredient_like(text, i)) {
				*off = 0;
				*len = i;
				return k;
			}
		}
		c = (unsigned char)text[o] | 0x20;
		if (c == 'o' && strncasecmp(text + o, "of ", 3) == 0)
			o += 3;
		else if (c == 'f' && strncasecmp(text + o, "for ", 4) == 0)
			o += 4;
		else
			continue;
		if (!S_contains(low, text + o, n - o))
			continue;
		memcpy(head, text, i);
		head[i] = '\0';
		k = mx_kind_from_heading(head);
		if (k != MX_KIND_OTHER && S_ingredient_like(text + o, n - o)) {
			*off = o;
			*len = n - o;
			return k;
		}
	}
	return MX_KIND_OTHER;
}
