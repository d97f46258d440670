/*
 * kinds.c - the one table of section kinds: each kind's name in the XML and
 * JSON vocabulary, its LOINC section code (FDA Structured Product
 * Labeling), its display heading, and the headings that name it.
 */
#include <ctype.h>
#include <string.h>

#include "medexport.h"
#include "core/private.h"

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
                                  SYNONYMS("interactions",
                                           "drug interactions")},
        [MX_KIND_FAQ] = {"faq", "34076-0", "FAQs",
                         SYNONYMS("faq", "faqs", "frequently asked questions")},
        [MX_KIND_STORAGE] = {"storage", "44425-7", "Storage",
                             SYNONYMS("storage", "how to store")},
        [MX_KIND_OVERDOSE] = {"overdose", "34088-5", "Overdose",
                              SYNONYMS("overdose", "overdosage")},
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

/* The kind whose synonyms hold `norm` exactly, or MX_KIND_OTHER. */
static enum mx_kind
S_kind_of_synonym(const char *norm)
{
	for (int k = 0; k < MX_KIND_COUNT; k++)
		for (const char *const *s = kinds[k].synonyms; s && *s; s++)
			if (strcmp(norm, *s) == 0)
				return (enum mx_kind)k;
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
	size_t len = strlen(text), n = 0, i;
	int whole;

	while (len > 0 && (isspace((unsigned char)text[len - 1]) ||
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
	       (isspace((unsigned char)text[len - 1]) || text[len - 1] == ':'))
		len--;
	for (i = 0; i < len && n + 1 < sizeof(norm); i++) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			if (n > 0 && norm[n - 1] != ' ')
				norm[n++] = ' ';
			continue;
		}
		norm[n++] = (char)tolower(c);
	}
	whole = i == len; /* a longer heading is only matched by prefix */
	norm[n] = '\0';
	if (whole && S_kind_of_synonym(norm) != MX_KIND_OTHER)
		return S_kind_of_synonym(norm);
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
