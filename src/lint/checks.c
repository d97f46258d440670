/*
 * checks.c - the checks that read the monograph tree: required, empty and
 * duplicate sections, unknown headings, questions without answers, the
 * generic name, documents without content, populations under an adult
 * heading, the title and the front matter.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/lint.h"

/* The kinds that carry a monograph's content (not its name, note or
 * disclaimer). */
static int
S_content_kind(enum mx_kind k)
{
	return k != MX_KIND_GENERIC_NAME && k != MX_KIND_DISCLAIMER &&
	       k != MX_KIND_NOTE && k != MX_KIND_OTHER;
}

/* Whether a block holds anything but blank text. */
static int
S_has_content(const struct mx_node *n)
{
	for (const struct mx_node *c = n->first_child; c; c = c->next) {
		if (c->type != MX_NODE_TEXT)
			return 1;
		if (c->text[strspn(c->text, " ")] != '\0')
			return 1;
	}
	return 0;
}

/* The next node of a walk over the whole tree, in document order. */
static const struct mx_node *
S_next(const struct mx_node *n, const struct mx_node *root)
{
	if (n->first_child)
		return n->first_child;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* Whether a heading says the section does not apply ("Generic Name (Not
 * Applicable)"): an editor's deliberate placeholder. */
static int
S_not_applicable(const char *heading)
{
	return heading && (mx_lint_has_word(heading, "not applicable") ||
	                   mx_lint_has_word(heading, "n/a"));
}

/* ---------------------------------------------------------------------
 * missing-section and no-content
 */

/* Whether a section stands for its kind in the document: at the top, or
 * under sections of no kind (the ingredients of a combination product),
 * not as a part of another kind's section (a "**Dosage:**" item of
 * Precautions warns about doses; it does not give them). */
static int
S_stands_alone(const struct mx_node *n)
{
	for (n = n->parent; n; n = n->parent)
		if (n->type == MX_NODE_SECTION && n->kind != MX_KIND_OTHER)
			return 0;
	return 1;
}

/* Whether the document has a section that `name` names (contraindications
 * may be a part of Precautions). */
static int
S_has_section(const struct mx_node *root, const char *name)
{
	int contra = strcmp(name, "contraindications") == 0;

	for (const struct mx_node *n = root; n; n = S_next(n, root)) {
		if (n->type != MX_NODE_SECTION)
			continue;
		if (contra ? mx_lint_is_contraindications(n->text)
		           : strcmp(mx_kind_name(n->kind), name) == 0 &&
		                     S_stands_alone(n))
			return 1;
	}
	return 0;
}

static int
S_has_content_section(const struct mx_node *root)
{
	for (const struct mx_node *n = root; n; n = S_next(n, root))
		if (n->type == MX_NODE_SECTION &&
		    (S_content_kind(n->kind) ||
		     mx_lint_is_contraindications(n->text)))
			return 1;
	return 0;
}

/* Words of a refusal or a placeholder, as a text generator or an editor
 * leaves them. */
static const char *const placeholder_phrases[] = {
        "i cannot",
        "i can't",
        "i'm sorry",
        "i am sorry",
        "i am unable",
        "i'm unable",
        "i apologize",
        "i do not have",
        "i don't have",
        "lorem ipsum",
        "placeholder",
        "to be written",
        "coming soon",
        "todo",
        "tbd",
        "no information",
        "not a recognized",
        "not a known",
        "not a real",
        "unable to find",
        "could not find",
        "please provide",
        "not a medicine",
        "not a complete",
        NULL,
};

/* The first paragraph whose text reads as a refusal or placeholder, and
 * the phrase. */
static const struct mx_node *
S_placeholder(struct lint *l, const char **phrase)
{
	const struct mx_node *root = l->doc->root;

	for (const struct mx_node *n = root; n; n = S_next(n, root)) {
		if (n->type != MX_NODE_PARAGRAPH)
			continue;
		const char *t = mx_lint_plain(l, n);
		for (const char *const *p = placeholder_phrases; *p; p++)
			if (mx_lint_has_word(t, *p)) {
				*phrase = *p;
				return n;
			}
	}
	return NULL;
}

/* A document with no content section gets one no-content finding, and
 * no missing-section findings (they would only repeat it). */
static int
S_no_content(struct lint *l)
{
	const struct mx_node *p;
	const char *phrase = NULL;
	int line = l->doc->title_line > 0 ? l->doc->title_line : 1;

	if (S_has_content_section(l->doc->root))
		return 0;
	p = S_placeholder(l, &phrase);
	if (p)
		mx_lint_finding(
		        l, CHECK_NO_CONTENT, p->line,
		        mx_lint_text_column(l, p->line),
		        "no recognised section, and the text reads as a "
		        "refusal or placeholder (\"%s\")",
		        phrase);
	else
		mx_lint_finding(
		        l, CHECK_NO_CONTENT, line, 1,
		        "no recognised section: nothing a reader can use "
		        "(usage, dosage, side effects, ...)");
	return 1;
}

static void
S_missing_sections(struct lint *l)
{
	const struct mx_lint_profile *p = l->profile;
	int line = l->doc->title_line > 0 ? l->doc->title_line : 1;

	for (int g = 0; g < p->nrequired; g++) {
		const struct lint_required *r = &p->required[g];
		char names[LINT_MAX_ALTERNATIVES * (LINT_MAX_NAME + 4)];
		size_t used = 0;
		int found = 0;

		for (int i = 0; i < r->n && !found; i++)
			found = S_has_section(l->doc->root, r->names[i]);
		if (found)
			continue;
		names[0] = '\0';
		for (int i = 0; i < r->n; i++)
			used += (size_t)snprintf(
			        names + used, sizeof(names) - used, "%s%s",
			        i == 0 ? "" : " or ", r->names[i]);
		mx_lint_finding(l, CHECK_MISSING_SECTION, line, 1,
		                "no %s section (the profile requires it)",
		                names);
	}
}

/* ---------------------------------------------------------------------
 * Sections: empty, duplicate, unknown
 */

/* Whether a section comes from a bold pseudo-heading ("**Warnings:**"),
 * not a Markdown heading: the tree does not say, its source line does. */
static int
S_bold_heading(const struct lint *l, const struct mx_node *s)
{
	size_t len;
	const char *t = mx_lint_line(l, s->line, &len);

	if (t == NULL)
		return 0;
	while (len > 0 && *t == ' ') {
		t++;
		len--;
	}
	return len == 0 || *t != '#';
}

static void
S_empty_section(struct lint *l, const struct mx_node *s)
{
	if (s->first_child != NULL || S_not_applicable(s->text))
		return;
	/* "### Generic Name: X" and "### Usage: Text ..." hold their
	 * content in the heading. */
	if (strchr(s->text, ':') &&
	    strchr(s->text, ':')[1 + strspn(strchr(s->text, ':') + 1, " ")])
		return;
	if (s->next && s->next->type == MX_NODE_SECTION &&
	    !S_bold_heading(l, s->next))
		mx_lint_finding(
		        l, CHECK_EMPTY_SECTION, s->line,
		        mx_lint_text_column(l, s->line),
		        "section '%s' has nothing under it: the heading "
		        "after it (line %d) is not one of its sub-sections",
		        s->text, s->next->line);
	else
		mx_lint_finding(l, CHECK_EMPTY_SECTION, s->line,
		                mx_lint_text_column(l, s->line),
		                "section '%s' has nothing under it", s->text);
}

/* Headings compared without case, spaces and a trailing colon. */
static int
S_same_heading(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == ':')
			a++;
		while (*b == ' ' || *b == ':')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

/* Whether a heading qualifies its kind: "Dosage (Adapalene)", "Generic
 * Name: Linezolid" (one ingredient's section of a combination). */
static int
S_qualified(const char *heading)
{
	const char *colon = strchr(heading, ':');

	return strchr(heading, '(') != NULL ||
	       (colon && colon[1 + strspn(colon + 1, " ")] != '\0');
}

/* The same kind twice among the sections of one parent; for "other"
 * sections, and for a bold pseudo-heading after another heading of its
 * kind ("### Precautions" then "**Warnings:**", which the reader lifts to
 * a section of its own), the same heading twice.  Notes and disclaimers may
 * come several times: each "**Note:**" paragraph is one. */
static int
S_same_ingredient(const struct mx_node *a, const struct mx_node *b)
{
	if (a->ingredient == NULL || b->ingredient == NULL)
		return a->ingredient == b->ingredient;
	return strcasecmp(a->ingredient, b->ingredient) == 0;
}

static void
S_duplicate_sections(struct lint *l, const struct mx_node *parent)
{
	for (const struct mx_node *s = parent->first_child; s; s = s->next) {
		if (s->type != MX_NODE_SECTION || s->kind == MX_KIND_NOTE ||
		    s->kind == MX_KIND_DISCLAIMER)
			continue;
		for (const struct mx_node *e = parent->first_child; e != s;
		     e = e->next) {
			if (e->type != MX_NODE_SECTION || e->kind != s->kind)
				continue;
			/* One ingredient's part each, or one population's. */
			if (!S_same_ingredient(e, s) ||
			    e->population != s->population)
				continue;
			if ((s->kind == MX_KIND_OTHER || S_bold_heading(l, s) ||
			     (S_qualified(e->text) && S_qualified(s->text))) &&
			    !S_same_heading(e->text, s->text))
				continue;
			mx_lint_finding(
			        l, CHECK_DUPLICATE_SECTION, s->line,
			        mx_lint_text_column(l, s->line),
			        "a second '%s' section here (the first is "
			        "at line %d); for a combination, put each "
			        "ingredient's sections under a heading of its "
			        "name",
			        s->kind == MX_KIND_OTHER
			                ? s->text
			                : mx_kind_name(s->kind),
			        e->line);
			break;
		}
	}
}

/* The edit distance of two short strings (at most 63 bytes compared). */
static int
S_distance(const char *a, const char *b)
{
	int row[64], la = (int)strlen(a), lb = (int)strlen(b);

	if (la > 63)
		la = 63;
	if (lb > 63)
		lb = 63;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The heading in lower case, without a qualifier "(...)" or a colon. */
static void
S_normalise(const char *heading, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = heading; *p && *p != '(' && *p != ':'; p++) {
		if (n + 1 >= size)
			break;
		if (*p == ' ' && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* The kind whose display name (or a synonym: mx_kind_from_heading() of
 * the candidate) is closest to the heading, when it is close: a typing
 * mistake, or a known name inside a longer heading. */
static int
S_suggest(const char *heading, enum mx_kind *kind)
{
	static const char *const candidates[] = {
	        "generic name", "usage",     "uses",         "indications",
	        "dosage",       "dose",      "side effects", "adverse effects",
	        "how it works", "mechanism", "precautions",  "warnings",
	        "interactions", "faqs",      "storage",      "overdose",
	        "disclaimer",   "note",      NULL,
	};
	char norm[64];
	int best = -1, best_d = 1000;

	S_normalise(heading, norm, sizeof(norm));
	for (int i = 0; candidates[i]; i++) {
		int d = S_distance(norm, candidates[i]);
		int len = (int)strlen(candidates[i]);
		if (d < best_d && d <= (len >= 8 ? 2 : 1)) {
			best = i;
			best_d = d;
		}
	}
	/* "Dosge Details": the start of the heading, misspelt. */
	for (int i = 0; best < 0 && candidates[i]; i++) {
		char head[64];
		size_t len = strlen(candidates[i]);
		if (len < 5)
			continue;
		/* as many words of the heading as the candidate has */
		size_t end = 0;
		int words = 1;
		for (const char *c = candidates[i]; *c; c++)
			words += *c == ' ';
		while (words > 0 && norm[end] != '\0') {
			end++;
			if (norm[end] == ' ' || norm[end] == '\0')
				words--;
		}
		snprintf(head, sizeof(head), "%.*s", (int)end, norm);
		if (S_distance(head, candidates[i]) <= 1)
			best = i;
	}
	if (best < 0)
		for (int i = 0; candidates[i]; i++)
			if (mx_lint_has_word(norm, candidates[i])) {
				best = i;
				break;
			}
	if (best < 0)
		return 0;
	*kind = mx_kind_from_heading(candidates[best]);
	return 1;
}

/* Whether a section is one ingredient's part of a combination product:
 * an unknown heading over known sub-sections ("### Mebeverine" then
 * "**Usage:**"). */
static int
S_is_ingredient(const struct mx_node *s)
{
	for (const struct mx_node *c = s->first_child; c; c = c->next)
		if (c->type == MX_NODE_SECTION && c->kind != MX_KIND_OTHER)
			return 1;
	return 0;
}

/* Whether a section is one of a top-level ingredient's ("Usage" under
 * "**Atropine**" in "Atropine + Tetracycline"): it stands for a top-level
 * section. */
static int
S_in_ingredient_group(const struct mx_node *s)
{
	const struct mx_node *p = s->parent;

	return p && p->type == MX_NODE_SECTION && p->level == 1 &&
	       p->kind == MX_KIND_OTHER && p->ingredient != NULL;
}

static void
S_unknown_heading(struct lint *l, const struct mx_node *s)
{
	enum mx_kind kind;

	/* An empty one is empty-section's. */
	if (s->kind != MX_KIND_OTHER || mx_lint_is_contraindications(s->text) ||
	    (s->ingredient && mx_casestr(s->text, s->ingredient)) ||
	    S_is_ingredient(s) || s->first_child == NULL)
		return;
	if (S_suggest(s->text, &kind))
		mx_lint_finding(
		        l, CHECK_UNKNOWN_HEADING, s->line,
		        mx_lint_text_column(l, s->line),
		        "heading '%s' names no known section; did you mean "
		        "'%s' (%s)?",
		        s->text, mx_kind_display(kind), mx_kind_name(kind));
	else
		mx_lint_finding(
		        l, CHECK_UNKNOWN_HEADING, s->line,
		        mx_lint_text_column(l, s->line),
		        "heading '%s' names no known section; it is kept as "
		        "an 'other' section",
		        s->text);
}

/* ---------------------------------------------------------------------
 * Questions and answers
 */

/* Whether a paragraph or an item opens with an answer's mark ("A:",
 * "**A:**", "Answer:") that no question took: the builder removes the
 * mark of every answer it pairs with a question. */
static int
S_orphan_answer(struct lint *l, const struct mx_node *n)
{
	const struct mx_node *first = n->first_child;
	const char *t;

	if (n->type == MX_NODE_ITEM && first && first->type == MX_NODE_LABEL) {
		t = mx_lint_plain(l, first);
		return strcasecmp(t, "A") == 0 || strcasecmp(t, "Answer") == 0;
	}
	if (n->type != MX_NODE_PARAGRAPH || first == NULL)
		return 0;
	if (n->parent && n->parent->type == MX_NODE_ANSWER)
		return 0;
	if (first->type == MX_NODE_STRONG) {
		t = mx_lint_plain(l, first);
		if (strcasecmp(t, "A:") == 0 || strcasecmp(t, "Answer:") == 0)
			return 1;
		if (strcasecmp(t, "A") != 0 && strcasecmp(t, "Answer") != 0)
			return 0;
		first = first->next;
		return first && first->type == MX_NODE_TEXT &&
		       first->text[0] == ':';
	}
	if (first->type != MX_NODE_TEXT)
		return 0;
	t = first->text + strspn(first->text, " ");
	return strncmp(t, "A: ", 3) == 0 || strncasecmp(t, "Answer: ", 8) == 0;
}

static void
S_question(struct lint *l, const struct mx_node *n)
{
	if (n->type == MX_NODE_QA) {
		const struct mx_node *q = n->first_child, *a = n->last_child;
		if (q && a && a->type == MX_NODE_ANSWER && !S_has_content(a))
			mx_lint_finding(l, CHECK_UNANSWERED_QUESTION, q->line,
			                mx_lint_text_column(l, q->line),
			                "question '%s' has no answer",
			                mx_lint_plain(l, q));
		return;
	}
	if (S_orphan_answer(l, n))
		mx_lint_finding(l, CHECK_UNANSWERED_QUESTION, n->line,
		                mx_lint_text_column(l, n->line),
		                "an answer with no question before it");
}

/* ---------------------------------------------------------------------
 * population-order
 */

/* The population of a section, as the tree read it; a top-level section
 * carries none, and is read from its heading. */
static enum mx_population
S_section_population(const struct mx_node *s)
{
	if (s->population != MX_POPULATION_NONE || s->level > 1 ||
	    s->kind != MX_KIND_OTHER || s->text == NULL)
		return s->population;
	return mx_population_from_heading(s->text, NULL);
}

/* Populations of an age that have doses of their own (renal impairment
 * under "Adults" is the adults' adjustment). */
static int
S_other_age(enum mx_population p)
{
	return p == MX_POPULATION_CHILDREN || p == MX_POPULATION_ADOLESCENTS ||
	       p == MX_POPULATION_INFANTS || p == MX_POPULATION_ELDERLY;
}

/* The label of a block: an item's LABEL, or the bold text that opens a
 * paragraph ("**Children:** 5 mg"). */
static const struct mx_node *
S_block_label(const struct mx_node *n)
{
	const struct mx_node *first = n->first_child;

	if (n->type == MX_NODE_ITEM && first && first->type == MX_NODE_LABEL)
		return first;
	if (n->type == MX_NODE_PARAGRAPH && first &&
	    first->type == MX_NODE_STRONG)
		return first;
	return NULL;
}

/* Whether a line of the source is a list item's ("* ", "- ", "+ ",
 * "1. ", "1) "). */
static int
S_is_item_line(const struct lint *l, int line)
{
	size_t len, i = 0;
	const char *t = mx_lint_line(l, line, &len);

	if (t == NULL)
		return 0;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i + 1 < len && strchr("*-+", t[i]) && t[i + 1] == ' ')
		return 1;
	while (i < len && t[i] >= '0' && t[i] <= '9')
		i++;
	return i > 0 && i + 1 < len && (t[i] == '.' || t[i] == ')') &&
	       t[i + 1] == ' ' && t[i - 1] >= '0' && t[i - 1] <= '9';
}

/* Inside a section about adults (the tree's population), a sub-section or
 * a label about children, adolescents, infants or the elderly: its doses
 * print under the adults' heading.  The reader gives a bold label of its
 * own sub-section, so what is left is labelled items ("* **Children:**")
 * and headings that are not labels. */
static void
S_population_order(struct lint *l, const struct mx_node *s)
{
	char heading[128];

	if (S_section_population(s) != MX_POPULATION_ADULTS)
		return;
	snprintf(heading, sizeof(heading), "%s", s->text);
	for (const struct mx_node *n = s->first_child; n; n = S_next(n, s)) {
		const struct mx_node *label = NULL;
		const char *text;
		enum mx_population who;

		if (n->type == MX_NODE_SECTION) {
			text = n->text;
			who = n->population;
		} else if ((label = S_block_label(n)) != NULL) {
			text = mx_lint_plain(l, label);
			who = text ? mx_population_from_heading(text, NULL)
			           : MX_POPULATION_NONE;
		} else {
			continue;
		}
		if (text == NULL || !S_other_age(who))
			continue;
		mx_lint_finding(l, CHECK_POPULATION_ORDER, n->line,
		                mx_lint_text_column(l, n->line),
		                "'%s' is under the heading '%s' (line %d): its "
		                "doses read as adults' doses",
		                text, heading, s->line);
	}
	/* The reader also lifts a labelled item of the adults' list that
	 * starts with another population ("* **Pediatric Use:**") out into
	 * a sub-section of its own; in the source it still reads as the
	 * adults'.  Those are the sub-sections after this one that start on
	 * a list item's line. */
	for (const struct mx_node *n = S_is_item_line(l, s->line) ? NULL
	                                                          : s->next;
	     n && n->type == MX_NODE_SECTION && S_is_item_line(l, n->line);
	     n = n->next) {
		if (!S_other_age(n->population))
			continue;
		mx_lint_finding(l, CHECK_POPULATION_ORDER, n->line,
		                mx_lint_text_column(l, n->line),
		                "'%s' is under the heading '%s' (line %d): its "
		                "doses read as adults' doses",
		                n->text, heading, s->line);
	}
}

/* ---------------------------------------------------------------------
 * generic-name
 */

/* Whether a text holds a sentence break: ". " then a capital letter. */
static int
S_has_sentence_break(const char *s)
{
	for (const char *p = s; (p = strchr(p, '.')) != NULL; p++)
		if (p[1] == ' ' && isupper((unsigned char)p[2]))
			return 1;
	return 0;
}

/* The most words in one part of a name: parts are the ingredients of a
 * combination (split at '+', ',', '/', ';', "and", "with"); a
 * parenthetical counts apart from its name.  "Meningococcal Group A, C,
 * W135 and Y conjugate vaccine" has at most three. */
static int
S_longest_part(const char *s)
{
	int best = 0, cur = 0, paren = 0, in = 0;

	for (const char *p = s;; p++) {
		int sep = *p == '\0' || strchr("+,/;()", *p) ||
		          ((p == s || p[-1] == ' ') &&
		           (strncasecmp(p, "and ", 4) == 0 ||
		            strncasecmp(p, "with ", 5) == 0));
		if (sep) {
			if (cur > best)
				best = cur;
			cur = in = 0;
			paren += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			if (*p == '\0')
				break;
			continue;
		}
		int w = !isspace((unsigned char)*p);
		cur += w && !in;
		in = w;
	}
	return best;
}

/* Words of a sentence that no drug's name has. */
static int
S_prose_word(const char *s)
{
	static const char *const words[] = {
	        "is",    "are",       "was",    "not",         "this",  "that",
	        "it",    "it's",      "be",     "has",         "have",  "does",
	        "do",    "may",       "can",    "should",      "would", "will",
	        "there", "depending", "varies", "vary",        "refer", "note",
	        "e.g.",  "i.e.",      "etc",    "placeholder", NULL,
	};

	for (int i = 0; words[i]; i++)
		if (mx_lint_has_word(s, words[i]))
			return 1;
	return 0;
}

static const struct mx_node *
S_generic_section(const struct mx_node *root)
{
	for (const struct mx_node *n = root; n; n = S_next(n, root))
		if (n->type == MX_NODE_SECTION &&
		    n->kind == MX_KIND_GENERIC_NAME)
			return n;
	return NULL;
}

static void
S_generic_name(struct lint *l)
{
	const char *g = l->doc->generic_name;
	const struct mx_node *s = S_generic_section(l->doc->root);
	int line = s ? (s->first_child ? s->first_child->line : s->line)
	             : (l->doc->title_line > 0 ? l->doc->title_line : 1);
	int words;

	if (g == NULL || *g == '\0') {
		if (s && S_not_applicable(s->text))
			return;
		mx_lint_finding(
		        l, CHECK_GENERIC_NAME, line, 1,
		        s ? "the generic name section gives no name"
		          : "no generic name (a '### Generic Name' section "
		            "or '**Generic Name:** NAME')");
		return;
	}
	words = S_longest_part(g);
	if (words > l->profile->generic_max_words || S_has_sentence_break(g) ||
	    S_prose_word(g))
		mx_lint_finding(
		        l, CHECK_GENERIC_NAME, line,
		        mx_lint_text_column(l, line),
		        "the generic name reads as commentary, not a name: "
		        "\"%.80s%s\"",
		        g, strlen(g) > 80 ? "..." : "");
}

/* ---------------------------------------------------------------------
 * title-mismatch and front-matter
 */

/* Letters and digits only, in lower case: "Co-Amoxiclav 625" and
 * "co-amoxiclav-625" compare equal. */
static void
S_letters(const char *s, char *out, size_t size, int drop_and)
{
	size_t n = 0;

	for (const char *p = s; *p && n + 1 < size; p++) {
		if (drop_and && (p == s || !isalnum((unsigned char)p[-1])) &&
		    (strncasecmp(p, "and", 3) == 0 ||
		     strncasecmp(p, "with", 4) == 0) &&
		    !isalnum(
		            (unsigned char)p[*p == 'w' || *p == 'W' ? 4 : 3])) {
			p += (*p == 'w' || *p == 'W') ? 3 : 2;
			continue;
		}
		/* Punctuation of U+2000 to U+203F ("’", "–") is not a
		 * letter either. */
		if ((unsigned char)p[0] == 0xE2 &&
		    (unsigned char)p[1] == 0x80 && p[2] != '\0') {
			p += 2;
			continue;
		}
		if (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))
			out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
}

static void
S_title(struct lint *l)
{
	const struct mx_document *doc = l->doc;
	const char *fm = mx_document_meta(doc, "title");
	int fm_line = 1;
	char a[256], b[256];

	for (size_t i = 0; i < doc->meta_count; i++)
		if (strcmp(doc->meta[i].key, "title") == 0) {
			fm_line = doc->meta[i].line;
			break;
		}
	if (doc->title_line == 0 && (fm == NULL || *fm == '\0')) {
		mx_lint_finding(
		        l, CHECK_TITLE_MISMATCH, 1, 1,
		        "no title: neither a 'title' in the front matter "
		        "nor a '#' heading");
		return;
	}
	if (fm && *fm && doc->title_line > 0) {
		S_letters(fm, a, sizeof(a), 0);
		S_letters(doc->title, b, sizeof(b), 0);
		if (strcmp(a, b) != 0)
			mx_lint_finding(
			        l, CHECK_TITLE_MISMATCH, doc->title_line,
			        mx_lint_text_column(l, doc->title_line),
			        "the heading '%s' differs from the front "
			        "matter's title '%s' (line %d)",
			        doc->title, fm, fm_line);
	}
	/* The file name against the title.  A name cut short ("..._trunc",
	 * as long titles are) need only start the title. */
	const char *base = strrchr(doc->source, '/');
	size_t n;
	int cut;
	base = base ? base + 1 : doc->source;
	if (strcmp(doc->source, "<stdin>") == 0)
		return;
	S_letters(base, a, sizeof(a), 1);
	n = strlen(a);
	if (n > 2 && strcmp(a + n - 2, "md") == 0)
		a[n -= 2] = '\0';
	cut = n > 5 && strcmp(a + n - 5, "trunc") == 0;
	if (cut)
		a[n -= 5] = '\0';
	S_letters(fm && *fm ? fm : doc->title, b, sizeof(b), 1);
	if (a[0] != '\0' && b[0] != '\0' &&
	    (cut ? strncmp(a, b, n) : strcmp(a, b)) != 0)
		mx_lint_finding(
		        l, CHECK_TITLE_MISMATCH,
		        fm && *fm ? fm_line : doc->title_line, 1,
		        "the file name '%s' does not match the title '%s'",
		        base, fm && *fm ? fm : doc->title);
}

static void
S_front_matter(struct lint *l)
{
	const struct mx_document *doc = l->doc;
	const struct mx_lint_profile *p = l->profile;

	for (size_t i = 0; i < doc->meta_count; i++) {
		const struct mx_meta *m = &doc->meta[i];
		int known = p->nkeys == 0;

		for (size_t j = 0; j < i; j++)
			if (strcmp(doc->meta[j].key, m->key) == 0) {
				mx_lint_finding(
				        l, CHECK_FRONT_MATTER, m->line, 1,
				        "duplicate key '%s' (first at line "
				        "%d, whose value is used)",
				        m->key, doc->meta[j].line);
				break;
			}
		for (int k = 0; k < p->nkeys && !known; k++)
			known = strcmp(p->keys[k], m->key) == 0;
		if (!known)
			mx_lint_finding(
			        l, CHECK_FRONT_MATTER, m->line, 1,
			        "unknown key '%s' (the profile knows: %s%s)",
			        m->key, p->keys[0],
			        p->nkeys > 1 ? ", ..." : "");
	}
}

/* ---------------------------------------------------------------------
 * The walk
 */

void
mx_lint_check_tree(struct lint *l)
{
	const struct mx_node *root = l->doc->root;

	S_front_matter(l);
	S_title(l);
	if (!S_no_content(l))
		S_missing_sections(l);
	S_generic_name(l);
	S_duplicate_sections(l, root);
	for (const struct mx_node *n = root; n; n = S_next(n, root)) {
		switch (n->type) {
		case MX_NODE_SECTION:
			S_empty_section(l, n);
			S_duplicate_sections(l, n);
			if (n->level == 1 || S_in_ingredient_group(n))
				S_unknown_heading(l, n);
			S_population_order(l, n);
			break;
		case MX_NODE_QA:
		case MX_NODE_PARAGRAPH:
		case MX_NODE_ITEM:
			S_question(l, n);
			break;
		default:
			break;
		}
	}
}
