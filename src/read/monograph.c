/*
 * monograph.c - the monograph rules.  They read the Markdown tree that
 * markdown.c makes, and nothing of cmark: Markdown is flat (headings are
 * siblings of paragraphs, "**Label:** text" is bold text inside a
 * paragraph), so these rules open and close sections, split labels from
 * list items and pair questions with answers, moving the Markdown tree's
 * nodes into the monograph tree.  The rules, by example:
 *
 *   # Tolperisone               the title (the first level-one heading)
 *   ### Side Effects            section kind=side-effects, heading as written
 *   **Usage:**                  (alone in a paragraph) section kind=usage
 *   **Usage:** Text ...         section kind=usage holding paragraph "Text ..."
 *   **Generic Name:** X         section generic-name; the generic name is X
 *   **Adults:**                 (inside a section) sub-section kind=other
 *   **Children:** Text ...      (inside dosage, side effects, precautions)
 *                               sub-section population=children, a sibling
 *                               of "Adults"; frequency bands likewise in
 *                               side effects ("**Rare:**", "(1-10%)")
 *   **Warnings:** / **Contraindications:** / * **Interactions:** ...
 *                               (inside precautions) sub-sections of them
 *   ### Mebeverine              (unknown) section kind=other; the known
 *     **Usage:** ...            pseudo-headings under it become sub-sections
 *   ### Norfloxacin: Usage      section kind=usage ingredient=Norfloxacin
 *   **1. Atropine:**            (alone, before a heading, in "Atropine +
 *   ### Usage                   Tetracycline") section ingredient=Atropine
 *                               holding the sections up to the next one
 *   **Disclaimer:**             always a top-level section
 *   **Note:** ...               a paragraph in place inside a section; a
 *                               top-level section outside every section
 *   * **Headache:** mild ...    item with label "Headache"
 *   * **Headache**: mild ...    the same
 *   > ### Usage                 (a heading in a list or quote) bold text
 *
 * Inside an FAQ section, questions are bold text ending in "?" or starting
 * with "Q:", in a list item or a paragraph of their own, or "#### ...?"
 * headings; the answer is the rest of the item or paragraph (an "A:" is
 * dropped), a nested "A:" item, or the blocks that follow up to the next
 * question.  "**Q: ...**" and "Q: ...? A: ..." are questions anywhere.
 */
#include <string.h>
#include <strings.h>

#include "read/read.h"

#define MAX_SECTION_DEPTH 16

struct open_section {
	struct mx_node *node;
	int rank;   /* ATX level, or the parent's rank + 1 for bold headings */
	int pseudo; /* opened by a bold pseudo-heading */
};

struct builder {
	struct mx_tree *t;
	struct mx_document *doc;
	struct open_section open[MAX_SECTION_DEPTH];
	int nopen;
	struct mx_node *answer; /* open answer of a paragraph-style question */
	const struct mx_node *next; /* the Markdown block after this one */
};

static struct mx_node *
S_node(struct builder *b, enum mx_node_type type, int line)
{
	return mx_tree_node(b->t, type, line);
}

static char *
S_plain(struct builder *b, const struct mx_node *n)
{
	return mx_tree_plain(b->t, n);
}

static int
S_strip_prefix(struct builder *b, struct mx_node *container, const char *prefix)
{
	return mx_tree_strip_prefix(b->t, container, prefix);
}

/* Removes a trailing colon (and spaces) from the last text of a container;
 * returns 1 when there was one. */
static int
S_strip_colon(struct builder *b, struct mx_node *container)
{
	struct mx_node *t = mx_node_last_text(container);
	size_t len;

	if (t == NULL)
		return 0;
	len = strlen(t->text);
	while (len > 0 && t->text[len - 1] == ' ')
		len--;
	if (len == 0 || t->text[len - 1] != ':')
		return 0;
	len--;
	while (len > 0 && t->text[len - 1] == ' ')
		len--;
	t->text = mx_arena_strndup(b->t->arena, t->text, len);
	return 1;
}

/* A strong run that opens a paragraph, and whether anything but white
 * space follows it. */
static struct mx_node *
S_leading_strong(struct mx_node *para, int *alone)
{
	struct mx_node *first = para ? para->first_child : NULL;
	struct mx_node *rest;

	if (first && first->type == MX_NODE_TEXT &&
	    mx_text_is_blank(first->text))
		first = first->next;
	if (first == NULL || first->type != MX_NODE_STRONG)
		return NULL;
	rest = first->next;
	*alone = rest == NULL ||
	         (rest->type == MX_NODE_TEXT && rest->next == NULL &&
	          (mx_text_is_blank(rest->text) ||
	           (rest->text[strspn(rest->text, " ")] == ':' &&
	            mx_text_is_blank(rest->text + strspn(rest->text, " ") +
	                             1))));
	return first;
}

/* "**FAQs** (Addressing both):" - a bold heading whose qualifier follows
 * the bold text.  Returns the length of the qualifier, "(...)", or 0. */
static size_t
S_trailing_qualifier(const struct mx_node *strong)
{
	const struct mx_node *rest = strong->next;
	const char *t, *close;

	if (rest == NULL || rest->type != MX_NODE_TEXT || rest->next)
		return 0;
	t = rest->text + strspn(rest->text, " ");
	if (*t != '(' || (close = strchr(t, ')')) == NULL)
		return 0;
	if (!mx_text_is_blank(close + 1 + (close[1] == ':')))
		return 0;
	return (size_t)(close + 1 - t);
}

/* Whether the strong run's text ends with a colon, inside the bold or just
 * after it. */
static int
S_has_colon(struct mx_node *strong)
{
	struct mx_node *t = mx_node_last_text(strong);
	struct mx_node *after = strong->next;
	size_t len;

	if (t) {
		len = strlen(t->text);
		while (len > 0 && t->text[len - 1] == ' ')
			len--;
		if (len > 0 && t->text[len - 1] == ':')
			return 1;
	}
	return after && after->type == MX_NODE_TEXT &&
	       after->text[strspn(after->text, " ")] == ':';
}

/* Questions are bold runs ending in "?" or starting with "Q:". */
static int
S_is_question(struct builder *b, struct mx_node *strong)
{
	char *s = S_plain(b, strong);
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
		len--;
	if (len > 0 && s[len - 1] == '?')
		return 1;
	return (strncasecmp(s, "Q:", 2) == 0 || strncasecmp(s, "Q.", 2) == 0 ||
	        strncasecmp(s, "Question:", 9) == 0) &&
	       len > 3;
}

/* "**Q: ...**" is a question wherever it stands. */
static int
S_is_explicit_question(struct builder *b, struct mx_node *strong)
{
	char *s = S_plain(b, strong);

	return s && strncasecmp(s, "Q:", 2) == 0 && strlen(s) > 3;
}

/* ---------------------------------------------------------------------
 * Sections
 */

static int
S_in_faq(struct builder *b)
{
	for (int i = b->nopen - 1; i >= 0; i--)
		if (b->open[i].node->kind == MX_KIND_FAQ)
			return 1;
	return 0;
}

/* Where blocks go now: the open answer, the innermost section, or the
 * document itself. */
static struct mx_node *
S_container(struct builder *b)
{
	if (b->answer)
		return b->answer;
	return b->nopen > 0 ? b->open[b->nopen - 1].node : b->doc->root;
}

static void
S_close_to(struct builder *b, int nopen)
{
	b->answer = NULL;
	if (nopen < b->nopen)
		b->nopen = nopen;
}

/* The outermost open section of a kind whose sub-sections are about
 * populations or frequency bands (dosage, side effects, precautions): its
 * index in b->open, or -1.  The outermost: "**Warnings:**" (precautions)
 * inside the precautions is a part of them, like what follows it. */
static int
S_host(struct builder *b)
{
	for (int i = 0; i < b->nopen; i++) {
		enum mx_kind k = b->open[i].node->kind;
		if (k == MX_KIND_DOSAGE || k == MX_KIND_SIDE_EFFECTS ||
		    k == MX_KIND_PRECAUTIONS)
			return i;
	}
	return -1;
}

/* Whether an open section is about the whole of one ingredient of a
 * combination product ("### Norfloxacin"). */
static int
S_in_ingredient(struct builder *b)
{
	for (int i = 0; i < b->nopen; i++)
		if (b->open[i].node->ingredient != NULL)
			return 1;
	return 0;
}

/* Whether a heading speaks of the whole product: "FAQs (General for both
 * drugs)", "Combined Use". */
static int
S_whole_product(const char *text)
{
	static const char *const words[] = {"general",   "both",
	                                    "combined",  "combination",
	                                    "all three", "together"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		for (const char *p = text;
		     (p = mx_casestr(p, words[i])) != NULL; p++)
			if ((p == text || p[-1] == ' ' || p[-1] == '(') &&
			    (p[n] == '\0' || p[n] == ' ' || p[n] == ')' ||
			     p[n] == ':'))
				return 1;
	}
	return 0;
}

/* Whether a heading or label speaks of the whole product; of a heading
 * that runs on into text ("### Dosage: ... in combination medicines"),
 * only the part before the colon. */
static int
S_about_whole_product(const char *text)
{
	const char *colon = strchr(text, ':');
	char head[128];

	if (colon == NULL || (size_t)(colon - text) >= sizeof(head))
		return S_whole_product(text);
	memcpy(head, text, (size_t)(colon - text));
	head[colon - text] = '\0';
	return S_whole_product(head);
}

/* A section's population, frequency band, seriousness and ingredient,
 * from its heading and the sections it opens in. */
static void
S_section_attributes(struct builder *b, struct mx_node *s)
{
	const char *title = b->doc->title;
	int host = S_host(b);

	if (s->text == NULL)
		return;
	if (b->nopen > 0)
		s->population = mx_population_from_heading(s->text, NULL);
	if (host >= 0 && b->open[host].node->kind == MX_KIND_SIDE_EFFECTS)
		s->frequency = mx_frequency_from_heading(s->text, &s->serious);
	if (title != NULL) {
		size_t off = 0, len = 0;
		/* The kind a heading about an ingredient names ("Norfloxacin:
		 * Usage") is used only for a heading of no known kind. */
		enum mx_kind k = s->kind != MX_KIND_OTHER
		                         ? MX_KIND_OTHER
		                         : mx_kind_from_ingredient_heading(
		                                   s->text, title, &off, &len);
		const char *open = strrchr(s->text, '(');
		size_t plen = open ? strcspn(open + 1, ")") : 0;
		if (s->kind != MX_KIND_OTHER && open && plen > 2 &&
		    open[1 + plen] == ')' && plen < strlen(title)) {
			/* "Usage (Alprazolam)" */
			char *name =
			        mx_arena_strndup(b->t->arena, open + 1, plen);
			if (name && mx_casestr(title, name))
				s->ingredient = name;
		}
		if (s->kind == MX_KIND_OTHER && k != MX_KIND_OTHER) {
			s->kind = k;
			s->ingredient = mx_arena_strndup(b->t->arena,
			                                 s->text + off, len);
		} else if (s->kind == MX_KIND_OTHER &&
		           strcasecmp(s->text, title) != 0 &&
		           strlen(s->text) > 2 && mx_casestr(title, s->text) &&
		           mx_population_from_heading(s->text, NULL) ==
		                   MX_POPULATION_NONE) {
			/* "### Norfloxacin" in "Norfloxacin + Tinidazole" */
			s->ingredient = s->text;
		}
	}
}

static struct mx_node *
S_open_section(struct builder *b, enum mx_kind kind, const char *heading,
               int rank, int pseudo, int line)
{
	struct mx_node *s = S_node(b, MX_NODE_SECTION, line);
	struct mx_node *parent;

	if (s == NULL)
		return NULL;
	if (b->nopen == MAX_SECTION_DEPTH)
		S_close_to(b, MAX_SECTION_DEPTH - 1);
	b->answer = NULL;
	parent = b->nopen > 0 ? b->open[b->nopen - 1].node : b->doc->root;
	s->kind = kind;
	s->text = heading;
	s->level = b->nopen + 1;
	S_section_attributes(b, s);
	mx_node_append(parent, s);
	b->open[b->nopen].node = s;
	b->open[b->nopen].rank = rank;
	b->open[b->nopen].pseudo = pseudo;
	b->nopen++;
	return s;
}

/* A Markdown heading (level 2 to 6, or a second H1) closes every open
 * section of the same or a deeper level. */
static void
S_heading_section(struct builder *b, const char *text, int level, int line)
{
	int n = b->nopen;

	enum mx_kind kind = mx_kind_from_heading(text);

	/* "**Generic Name:** X" then "### Usage": a known heading also
	 * closes the sections that bold pseudo-headings opened. */
	while (n > 0 && (b->open[n - 1].rank >= level ||
	                 (kind != MX_KIND_OTHER && b->open[n - 1].pseudo)))
		n--;
	if (S_in_ingredient(b) && S_about_whole_product(text))
		n = 0;
	S_close_to(b, n);
	S_open_section(b, kind, text, level, 0, line);
}

/* A bold pseudo-heading.  Known kinds close the sections opened by other
 * pseudo-headings and by known Markdown headings, but nest inside an
 * unknown Markdown heading (the per-ingredient parts of combination
 * products); the disclaimer and the note always go to the top level.
 * Unknown pseudo-headings become sub-sections of the current section. */
static void
S_pseudo_section(struct builder *b, const char *text, int line)
{
	enum mx_kind kind = mx_kind_from_heading(text);
	int n = b->nopen;
	int rank;

	if (kind == MX_KIND_DISCLAIMER || kind == MX_KIND_NOTE) {
		n = 0;
	} else if (kind != MX_KIND_OTHER) {
		while (n > 0 && (b->open[n - 1].pseudo ||
		                 b->open[n - 1].node->kind != MX_KIND_OTHER))
			n--;
		if (S_in_ingredient(b) && S_about_whole_product(text))
			n = 0;
	} else {
		/* and the sub-sections of known kinds that labels opened
		 * below the host ("**Clopidogrel:**" after the "*
		 * **Warnings:**" item of "**Atorvastatin:**") */
		int host = S_host(b);
		while (n > 1 && b->open[n - 1].pseudo &&
		       (b->open[n - 1].node->kind == MX_KIND_OTHER ||
		        (host >= 0 && n - 1 > host)))
			n--;
		/* "**Metformin + Voglibose Combination:**" after the parts
		 * about each closes them, and only them: in Usage, after
		 * "**Sucralfate:**" and "**Zinc Carnosine:**", "**Combined
		 * Use:**" is a part of Usage. */
		if (S_about_whole_product(text))
			for (int i = 0; i < n; i++)
				if (b->open[i].node->ingredient != NULL) {
					n = i;
					break;
				}
	}
	S_close_to(b, n);
	rank = n > 0 ? b->open[n - 1].rank + 1 : 2;
	S_open_section(b, kind, text, rank, 1, line);
}

/* Whether a kind is a part of the precautions: "**Warnings:**",
 * "**Contraindications:**", "**Interactions:**" inside them open
 * sub-sections, not sections of their own. */
static int
S_precaution_part(enum mx_kind kind)
{
	return kind == MX_KIND_PRECAUTIONS || kind == MX_KIND_INTERACTIONS ||
	       kind == MX_KIND_CONTRAINDICATIONS || kind == MX_KIND_STORAGE ||
	       kind == MX_KIND_OVERDOSE;
}

static int
S_has_attributes(const struct mx_node *s)
{
	return s->population != MX_POPULATION_NONE ||
	       s->frequency != MX_FREQUENCY_NONE || s->serious;
}

/* Whether a section is about a population or a band: it has one, or its
 * heading names several ("Children and Elderly", about no one group), so
 * that the next such label is its sibling, not its child. */
static int
S_about_group(const struct mx_node *s)
{
	int named = 0;

	if (S_has_attributes(s))
		return 1;
	if (s->text != NULL)
		(void)mx_population_from_heading(s->text, &named);
	return named;
}

/* Opens a sub-section from a bold label, closing the sections from
 * b->open[n] on. */
static struct mx_node *
S_label_section(struct builder *b, int n, enum mx_kind kind, const char *text,
                int line)
{
	S_close_to(b, n);
	return S_open_section(b, kind, text,
	                      n > 0 ? b->open[n - 1].rank + 1 : 2, 1, line);
}

/* A bold label inside dosage, side effects or precautions that names a
 * population ("**Children:**", "**Pediatric Dosage:** text"), a frequency
 * band ("**Rare:**", "**Serious side effects:**") or a part of the
 * precautions ("**Warnings:**"): it opens a sub-section of that section,
 * closing the sibling before it (children never sit under "Adults", rare
 * effects never under "Common").  Returns 1 when it did. */
static int
S_population_label(struct builder *b, const char *text, enum mx_kind kind,
                   int line)
{
	int host = S_host(b), serious = 0, named = 0, n;
	enum mx_kind hk;
	enum mx_frequency freq = MX_FREQUENCY_NONE;

	if (host < 0 || strlen(text) > 160)
		return 0;
	hk = b->open[host].node->kind;
	if (hk == MX_KIND_PRECAUTIONS && S_precaution_part(kind)) {
		S_label_section(b, host + 1, kind, text, line);
		return 1;
	}
	if (kind != MX_KIND_OTHER)
		return 0;
	(void)mx_population_from_heading(text, &named);
	if (hk == MX_KIND_SIDE_EFFECTS)
		freq = mx_frequency_from_heading(text, &serious);
	if (!named && freq == MX_FREQUENCY_NONE && !serious)
		return 0;
	/* Below the host, it nests only in sections that are about no
	 * population or band ("**Dosage Adjustments:**"). */
	n = host + 1;
	while (n < b->nopen && !S_about_group(b->open[n].node))
		n++;
	S_label_section(b, n, kind, text, line);
	return 1;
}

/* Whether a bold label is a note ("**Note:**", "**Important:**") inside a
 * section of content: there it stays a paragraph in place, and only a
 * note outside every section (or after the FAQ or the disclaimer) is a
 * section of its own. */
static int
S_inline_note(struct builder *b, const char *text, enum mx_kind kind)
{
	enum mx_kind top;

	if (kind != MX_KIND_NOTE && strcasecmp(text, "Important") != 0 &&
	    strcasecmp(text, "Important Note") != 0 &&
	    strcasecmp(text, "Please Note") != 0)
		return 0;
	if (b->nopen == 0)
		return 0;
	top = b->open[0].node->kind;
	return top != MX_KIND_FAQ && top != MX_KIND_DISCLAIMER &&
	       top != MX_KIND_NOTE;
}

/* ---------------------------------------------------------------------
 * Questions and answers
 */

/* Whether inline content reads "A", "A:", "Answer" or "Answer:": the
 * marker of an answer. */
static int
S_is_answer_marker(struct builder *b, const struct mx_node *n)
{
	char *t = S_plain(b, n);
	size_t len = t ? strlen(t) : 0;

	if (len > 0 && (t[len - 1] == ':' || t[len - 1] == '.'))
		t[--len] = '\0';
	return t && (strcasecmp(t, "A") == 0 || strcasecmp(t, "Answer") == 0);
}

/* Strips a leading "A:" (plain or bold) from the first paragraph of an
 * answer's blocks. */
static void
S_strip_answer_marker(struct builder *b, struct mx_node *block)
{
	struct mx_node *first;

	if (block == NULL || block->type != MX_NODE_PARAGRAPH)
		return;
	first = block->first_child;
	if (first && first->type == MX_NODE_TEXT &&
	    mx_text_is_blank(first->text)) {
		/* the soft break between "**Q: ...?**" and "**A:**" */
		mx_node_unlink(first);
		first = block->first_child;
	}
	if (first && first->type == MX_NODE_STRONG) {
		if (S_is_answer_marker(b, first)) {
			mx_node_unlink(first);
			S_strip_prefix(b, block, ":");
			S_strip_prefix(b, block, "");
			return;
		}
	}
	if (!S_strip_prefix(b, block, "A:") && !S_strip_prefix(b, block, "A. "))
		S_strip_prefix(b, block, "Answer:");
}

/* Builds a question/answer pair from a paragraph that starts with the
 * bold question; the rest of the paragraph opens the answer. */
static struct mx_node *
S_qa_from_paragraph(struct builder *b, struct mx_node *para,
                    struct mx_node *strong)
{
	struct mx_node *qa = S_node(b, MX_NODE_QA, para->line);
	struct mx_node *q = S_node(b, MX_NODE_QUESTION, para->line);
	struct mx_node *a = S_node(b, MX_NODE_ANSWER, para->line);
	struct mx_node *rest = strong->next;

	if (!qa || !q || !a)
		return NULL;
	mx_node_append(qa, q);
	mx_node_append(qa, a);
	mx_node_unlink(strong);
	mx_node_move(strong->first_child, q);
	if (!S_strip_prefix(b, q, "Q:") && !S_strip_prefix(b, q, "Q."))
		S_strip_prefix(b, q, "Question:");
	if (rest) {
		S_strip_answer_marker(b, para);
		if (mx_node_has_content(para)) {
			S_strip_prefix(b, para, "");
			mx_node_append(a, para);
		}
	}
	return qa;
}

/* Whether a text starts with a plain question marker: "Q: " or "Q. ". */
static int
S_starts_plain_question(const char *t)
{
	t += strspn(t, " ");
	return t[0] == 'Q' && (t[1] == ':' || t[1] == '.') && t[2] == ' ';
}

/* A question written without bold: "Q: ...? A: ..." in one paragraph (or
 * with the answer after a line break), or "Q: ...?" alone, whose answer
 * then follows.  Returns the pair, or NULL when the paragraph is not one. */
static struct mx_node *
S_plain_qa(struct builder *b, struct mx_node *para)
{
	struct mx_node *first = para ? para->first_child : NULL;
	struct mx_node *qa, *q, *a, *c;

	if (first == NULL || first->type != MX_NODE_TEXT ||
	    !S_starts_plain_question(first->text))
		return NULL;
	qa = S_node(b, MX_NODE_QA, para->line);
	q = S_node(b, MX_NODE_QUESTION, para->line);
	a = S_node(b, MX_NODE_ANSWER, para->line);
	if (!qa || !q || !a)
		return NULL;
	mx_node_append(qa, q);
	mx_node_append(qa, a);
	mx_node_move(para->first_child, q);
	if (!S_strip_prefix(b, q, "Q:"))
		S_strip_prefix(b, q, "Q.");
	/* The answer starts at the first " A: " (or "A: " after a break). */
	for (c = q->first_child; c; c = c->next) {
		const char *t, *m = NULL;
		if (c->type != MX_NODE_TEXT)
			continue;
		t = c->text;
		if (c->prev && c->prev->type == MX_NODE_LINEBREAK &&
		    (strncmp(t, "A: ", 3) == 0 || strncmp(t, "A. ", 3) == 0))
			m = t;
		if (m == NULL && (m = strstr(t, " A: ")) == NULL)
			m = strstr(t, "? A. ");
		if (m == NULL)
			continue;
		if (m != t)
			m += m[0] == '?' ? 2 : 1;
		struct mx_node *rest = S_node(b, MX_NODE_TEXT, c->line);
		struct mx_node *p = S_node(b, MX_NODE_PARAGRAPH, c->line);
		if (!rest || !p)
			return NULL;
		rest->text = mx_arena_strdup(b->t->arena,
		                             m + 3 + strspn(m + 3, " "));
		size_t keep = (size_t)(m - t);
		while (keep > 0 && t[keep - 1] == ' ')
			keep--;
		c->text = mx_arena_strndup(b->t->arena, t, keep);
		mx_node_append(p, rest);
		mx_node_move(c->next, p);
		if (c->prev && c->prev->type == MX_NODE_LINEBREAK && keep == 0)
			mx_node_unlink(c->prev);
		if (keep == 0)
			mx_node_unlink(c);
		if (mx_node_has_content(p))
			mx_node_append(a, p);
		break;
	}
	return qa;
}

/* ---------------------------------------------------------------------
 * Blocks inside sections: lists and items, quotes, nested headings
 */

static void S_block(struct builder *b, struct mx_node *parent,
                    struct mx_node *n);

/* Moves a chain of Markdown blocks (mx_node_take_children()) into
 * `parent`, one at a time. */
static void
S_blocks(struct builder *b, struct mx_node *parent, struct mx_node *chain)
{
	struct mx_node *n;

	while ((n = mx_node_pop(&chain)) != NULL)
		S_block(b, parent, n);
}

/* "* **Q: ...?**" with a nested "* **A:** ..." item: the nested list is the
 * answer itself. */
static void
S_unwrap_nested_answer(struct builder *b, struct mx_node *answer)
{
	struct mx_node *only = answer->first_child;
	struct mx_node *inner, *blk;

	if (only == NULL || only != answer->last_child ||
	    only->type != MX_NODE_LIST || only->first_child == NULL ||
	    only->first_child != only->last_child)
		return;
	inner = only->first_child;
	blk = inner->first_child;
	if (blk && blk->type == MX_NODE_LABEL) {
		if (S_is_answer_marker(b, blk)) {
			mx_node_unlink(blk);
			mx_node_unlink(only);
			mx_node_move(inner->first_child, answer);
		}
	} else if (blk && blk->type == MX_NODE_PARAGRAPH) {
		struct mx_node *t = mx_node_first_text(blk);
		if (t && (strncasecmp(t->text, "A:", 2) == 0)) {
			mx_node_unlink(only);
			mx_node_move(inner->first_child, answer);
		}
	}
}

/* Reads a list item of the Markdown tree; in an FAQ section an item that
 * opens with a bold question becomes a question/answer pair instead
 * (returned in *qa_out, and the item itself NULL). */
static struct mx_node *
S_item(struct builder *b, struct mx_node *item, int faq,
       struct mx_node **qa_out)
{
	struct mx_node *rest = mx_node_take_children(item);
	struct mx_node *para = NULL, *strong;
	int alone = 0;

	*qa_out = NULL;
	/* Only a Markdown paragraph: not a heading or a text block. */
	if (rest && rest->type == MX_NODE_PARAGRAPH)
		para = mx_node_pop(&rest);
	strong = S_leading_strong(para, &alone);
	if (strong && (S_is_explicit_question(b, strong) ||
	               (faq && S_in_faq(b) && S_is_question(b, strong)))) {
		struct mx_node *qa = S_qa_from_paragraph(b, para, strong);
		struct mx_node *answer = qa ? qa->last_child : NULL;

		if (answer == NULL)
			return NULL;
		S_blocks(b, answer, rest);
		S_unwrap_nested_answer(b, answer);
		S_strip_answer_marker(b, answer->first_child);
		*qa_out = qa;
		return NULL;
	}
	if (strong == NULL && para &&
	    S_starts_plain_question(
	            para->first_child && para->first_child->type == MX_NODE_TEXT
	                    ? para->first_child->text
	                    : "")) {
		struct mx_node *qa = S_plain_qa(b, para);
		if (qa) {
			S_blocks(b, qa->last_child, rest);
			*qa_out = qa;
			return NULL;
		}
	}
	if (strong && S_has_colon(strong)) {
		struct mx_node *label = S_node(b, MX_NODE_LABEL, para->line);
		if (label) {
			mx_node_unlink(strong);
			mx_node_move(strong->first_child, label);
			S_strip_colon(b, label);
			S_strip_prefix(b, para, ":");
			S_strip_prefix(b, para, "");
			mx_node_append(item, label);
		}
	}
	if (para && mx_node_has_content(para))
		mx_node_append(item, para);
	S_blocks(b, item, rest);
	return item;
}

/* Whether an item is labelled "A:" or "Answer:". */
static int
S_is_answer_item(struct builder *b, struct mx_node *item)
{
	struct mx_node *label = item->first_child;

	struct mx_node *t = label && label->type == MX_NODE_PARAGRAPH
	                            ? label->first_child
	                            : NULL;

	if (t && t->type == MX_NODE_TEXT && strncmp(t->text, "A: ", 3) == 0) {
		S_strip_prefix(b, label, "A:");
		return 1;
	}
	return label && label->type == MX_NODE_LABEL &&
	       S_is_answer_marker(b, label);
}

/* Whether `inner` is `outer` or a part of it: infants and adolescents are
 * children, and an item about them may stay in a list under "Children". */
static int
S_population_within(enum mx_population inner, enum mx_population outer)
{
	return inner == outer || (outer == MX_POPULATION_CHILDREN &&
	                          (inner == MX_POPULATION_INFANTS ||
	                           inner == MX_POPULATION_ADOLESCENTS));
}

/* The population a label starts with: "Pediatric Use", "Children (1-5
 * years)", "Patients with renal impairment", "Use in Pregnancy", but not
 * an indication that names one further on ("Edema (due to heart failure or
 * kidney disease)", "Proliferating Infantile Hemangioma").  Its first two
 * words decide, after a leading "patients with", "use in", "in" or
 * "for". */
static enum mx_population
S_leading_population(const char *text)
{
	static const char *const lead[] = {"patients with ", "use in ", "in ",
	                                   "for "};
	static const char *const impaired[] = {
	        "impair",   "disease", "failure",  "insufficien",
	        "function", "problem", "dialysis", "cirrhosis"};
	char head[64];
	size_t n = 0;
	int words = 0;
	enum mx_population pop;

	for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
		if (strncasecmp(text, lead[i], strlen(lead[i])) == 0) {
			text += strlen(lead[i]);
			break;
		}
	for (; text[n] && n + 1 < sizeof(head); n++) {
		if (text[n] == ' ' && ++words == 2)
			break;
		head[n] = text[n];
	}
	head[n] = '\0';
	pop = mx_population_from_heading(head, NULL);
	if (pop != MX_POPULATION_RENAL && pop != MX_POPULATION_HEPATIC)
		return pop;
	/* "Renal Allograft", "Hepatic Intra-arterial Infusion": an organ is
	 * a population only when it is impaired. */
	for (size_t i = 0; i < sizeof(impaired) / sizeof(impaired[0]); i++)
		if (mx_casestr(text, impaired[i]))
			return pop;
	return MX_POPULATION_NONE;
}

/* "* **Pediatric Use:** ..." in a list under "**Adults:**": an item whose
 * label starts with another population than a sub-section it is in has
 * (and not a part of it: infants under "Children" stay), or in the side
 * effects names another frequency band, leaves that sub-section and opens
 * its sibling, which takes the rest of the item.  Returns the new
 * sub-section, or NULL. */
static struct mx_node *
S_population_item(struct builder *b, const char *text, int line)
{
	int host = S_host(b), serious = 0, n;
	enum mx_population pop;
	enum mx_frequency freq = MX_FREQUENCY_NONE;

	if (host < 0)
		return NULL;
	for (n = host + 1; n < b->nopen; n++)
		if (S_has_attributes(b->open[n].node))
			break;
	if (n == b->nopen)
		return NULL; /* in no population's or band's sub-section */
	pop = mx_population_from_heading(text, NULL);
	if (pop != S_leading_population(text))
		pop = MX_POPULATION_NONE;
	if (b->open[host].node->kind == MX_KIND_SIDE_EFFECTS)
		freq = mx_frequency_from_heading(text, &serious);
	for (; n < b->nopen; n++) {
		const struct mx_node *s = b->open[n].node;
		if ((pop != MX_POPULATION_NONE &&
		     s->population != MX_POPULATION_NONE &&
		     !S_population_within(pop, s->population)) ||
		    (freq != MX_FREQUENCY_NONE &&
		     s->frequency != MX_FREQUENCY_NONE && s->frequency != freq))
			return S_label_section(b, n, MX_KIND_OTHER, text, line);
	}
	return NULL;
}

/* A labelled item of a list that is a block of a section:
 * "* **Contraindications:** ..." (and interactions, storage, overdose, and
 * inside the precautions "* **Warnings:** ...") becomes a sub-section of
 * that kind holding the rest of the item, and so does every labelled item
 * after it in the list; the items without a label that follow go into the
 * sub-section before them.  *base is where the first one opened (-1 until
 * then).  Returns 1 when the item became a section. */
static int
S_item_section(struct builder *b, struct mx_node *item, int *base)
{
	struct mx_node *label = item->first_child, *s;
	enum mx_kind kind;
	char *text;
	int host;

	if (label == NULL || label->type != MX_NODE_LABEL || S_in_faq(b) ||
	    (text = S_plain(b, label)) == NULL || strlen(text) > 80)
		return 0;
	kind = mx_kind_from_heading(text);
	if (*base < 0 && kind == MX_KIND_OTHER) {
		s = S_population_item(b, text, item->line);
		if (s == NULL)
			return 0;
		mx_node_unlink(label);
		mx_node_move(item->first_child, s);
		return 1;
	}
	if (*base < 0) {
		host = S_host(b);
		if (!S_precaution_part(kind) ||
		    (kind == MX_KIND_PRECAUTIONS &&
		     (host < 0 ||
		      b->open[host].node->kind != MX_KIND_PRECAUTIONS)))
			return 0;
		*base = b->nopen;
		if (host >= 0 &&
		    b->open[host].node->kind == MX_KIND_PRECAUTIONS) {
			/* nested only in a section about no kind, population
			 * or band: "**Atorvastatin:**" over its items */
			*base = host + 1;
			while (*base < b->nopen &&
			       b->open[*base].node->kind == MX_KIND_OTHER &&
			       !S_about_group(b->open[*base].node))
				++*base;
		}
	}
	s = S_label_section(b, *base, kind, text, item->line);
	if (s == NULL)
		return 0;
	mx_node_unlink(label);
	mx_node_move(item->first_child, s);
	return 1;
}

/* A list of the Markdown tree, `top` when it is a block of a section (not
 * inside an item or quote).  In an FAQ section, items holding questions
 * leave the list and become question/answer pairs of the section, in
 * order, splitting the list; the first part keeps the Markdown list's
 * node. */
static void
S_list(struct builder *b, struct mx_node *parent, struct mx_node *md_list,
       int top)
{
	struct mx_node *items = mx_node_take_children(md_list);
	struct mx_node *spare = md_list;
	struct mx_node *list = NULL, *ci;
	int faq = top, base = -1;

	while ((ci = mx_node_pop(&items)) != NULL) {
		struct mx_node *qa = NULL;
		struct mx_node *item = S_item(b, ci, faq, &qa);

		if (qa) {
			if (top) {
				b->answer = NULL;
				parent = S_container(b);
			}
			/* Nested "**Q:" items become pairs of the item that
			 * holds the list ("* **FAQs:**" over questions). */
			mx_node_append(parent, qa);
			list = NULL;
			continue;
		}
		if (item == NULL)
			continue;
		if (top && S_item_section(b, item, &base)) {
			parent = S_container(b);
			list = NULL;
			continue;
		}
		if (faq && S_is_answer_item(b, item) && parent->last_child &&
		    parent->last_child->type == MX_NODE_QA &&
		    parent->last_child->last_child->first_child == NULL) {
			/* "* **Q: ...?**" then "* **A:** ..." as siblings */
			struct mx_node *answer = parent->last_child->last_child;
			if (item->first_child->type == MX_NODE_LABEL)
				mx_node_unlink(item->first_child);
			mx_node_move(item->first_child, answer);
			continue;
		}
		if (list == NULL) {
			list = spare ? spare : S_node(b, MX_NODE_LIST, 0);
			if (list == NULL)
				return;
			spare = NULL;
			list->line = item->line;
			list->ordered = md_list->ordered;
			list->start = md_list->start;
			mx_node_append(parent, list);
		}
		mx_node_append(list, item);
	}
}

/* The words of an HTML block (or of blocks nested too deep) are a
 * paragraph that no rule reads; without words, nothing. */
static void
S_text_block(struct mx_node *parent, struct mx_node *n)
{
	if (!mx_node_has_content(n))
		return;
	n->type = MX_NODE_PARAGRAPH;
	mx_node_append(parent, n);
}

/* A block inside an item, a quote or an answer. */
static void
S_block(struct builder *b, struct mx_node *parent, struct mx_node *n)
{
	if (n->type == MX_NODE_HEADING) {
		/* A heading inside a list or quote: bold text. */
		struct mx_node *s = S_node(b, MX_NODE_STRONG, n->line);
		if (s == NULL)
			return;
		mx_node_move(n->first_child, s);
		n->type = MX_NODE_PARAGRAPH;
		n->level = 0;
		mx_node_append(n, s);
		mx_node_append(parent, n);
		return;
	}
	if (n->type == MX_NODE_TEXT_BLOCK) {
		S_text_block(parent, n);
		return;
	}
	switch (n->type) {
	case MX_NODE_LIST:
		S_list(b, parent, n, 0);
		return;
	case MX_NODE_BLOCKQUOTE: {
		struct mx_node *chain = mx_node_take_children(n);
		mx_node_append(parent, n);
		S_blocks(b, n, chain);
		return;
	}
	default:
		mx_node_append(parent, n);
		return;
	}
}

/* ---------------------------------------------------------------------
 * Blocks of a section (or of the document before the first section)
 */

/* A paragraph directly inside a section or the document: it may be a
 * pseudo-heading, a question, or the first part of a section. */
/* Whether the product is a combination: "A + B", "A and B", "A with B". */
static int
S_combination(const char *title)
{
	return title != NULL &&
	       (strchr(title, '+') || mx_casestr(title, " and ") ||
	        mx_casestr(title, " with "));
}

/* The name of one ingredient of a combination, in the arena: `text`
 * without a parenthetical ("Paracetamol (Acetaminophen)"), when the
 * product's title holds it (or, `first_word`, its first word: "Cefuroxime
 * Axetil" in "Cefuroxime + Linezolid") and it is not the whole product, a
 * kind or a population.  NULL otherwise. */
static char *
S_product_part(struct builder *b, const char *text, int first_word)
{
	const char *title = b->doc->title;
	size_t len = strcspn(text, "(");
	char *name;

	while (len > 0 && text[len - 1] == ' ')
		len--;
	if (!S_combination(title) || len < 3 || len >= 80)
		return NULL;
	name = mx_arena_strndup(b->t->arena, text, len);
	if (name == NULL || strcasecmp(name, title) == 0 ||
	    mx_kind_from_heading(name) != MX_KIND_OTHER ||
	    mx_population_from_heading(name, NULL) != MX_POPULATION_NONE)
		return NULL;
	if (first_word) {
		size_t w = strcspn(name, " ");
		char c = name[w];
		const char *hit;
		name[w] = '\0';
		hit = w >= 3 ? mx_casestr(title, name) : NULL;
		name[w] = c;
		return hit ? name : NULL;
	}
	return mx_casestr(title, name) ? name : NULL;
}

/* A bold label alone before a heading that names one ingredient of a
 * combination ("**Atropine**", "**1. Atropine:**", "**Atropine (Atropine
 * Sulfate)**" in "Atropine + Tetracycline"): the headings after it,
 * up to the next such label or a section about the whole product, are
 * about that ingredient.  It opens a top-level section ranked over the
 * level-three headings that follow (as "##" would be), with the name as
 * its ingredient.  Returns 1 when it did. */
static int
S_ingredient_group(struct builder *b, const char *text, int line)
{
	static const char *const counted[] = {"component ", "ingredient ",
	                                      "drug ", "part "};
	const char *name = text;
	size_t len;
	char *part;
	struct mx_node *s;

	if (b->next == NULL || b->next->type != MX_NODE_HEADING ||
	    b->next->level < 3 || S_about_whole_product(text))
		return 0;
	/* "1. Caffeine", "2) Cetirizine", "Component 1: Betahistine" */
	for (size_t i = 0; i < sizeof(counted) / sizeof(counted[0]); i++)
		if (strncasecmp(name, counted[i], strlen(counted[i])) == 0) {
			name += strlen(counted[i]);
			break;
		}
	len = strspn(name, "0123456789");
	if (len > 0 && name[len] != '\0' && strchr(".):", name[len]))
		name += len + 1 + strspn(name + len + 1, " ");
	else
		name = text;
	part = S_product_part(b, name, 0);
	if (part == NULL)
		return 0;
	S_close_to(b, 0);
	s = S_open_section(b, MX_KIND_OTHER, text, 2, 0, line);
	if (s != NULL)
		s->ingredient = part;
	return 1;
}

/* The ingredient a top-level "### Generic Name: Etizolam" names in
 * "Etizolam + Escitalopram", or NULL. */
static char *
S_generic_name_part(struct builder *b, const struct mx_node *s)
{
	const char *colon;

	if (s->type != MX_NODE_SECTION || s->kind != MX_KIND_GENERIC_NAME ||
	    s->text == NULL || (colon = strchr(s->text, ':')) == NULL)
		return NULL;
	return S_product_part(b, colon + 1 + strspn(colon + 1, " "), 1);
}

/* "### Generic Name: Etizolam", its sections, then "### Generic Name:
 * Escitalopram Oxalate" and its own at the same level: when two or more
 * such headings each name one ingredient, every top-level section from
 * one to the next is about that ingredient, up to a section about the
 * whole product, a note or the disclaimer. */
static void
S_mark_parts(struct builder *b)
{
	const char *part = NULL;
	int parts = 0;

	for (struct mx_node *s = b->doc->root->first_child; s; s = s->next)
		parts += S_generic_name_part(b, s) != NULL;
	if (parts < 2)
		return;
	for (struct mx_node *s = b->doc->root->first_child; s; s = s->next) {
		char *name;
		if (s->type != MX_NODE_SECTION)
			continue;
		if ((name = S_generic_name_part(b, s)) != NULL)
			s->ingredient = part = name; /* not "(Deltazol)" */
		else if (s->kind == MX_KIND_DISCLAIMER ||
		         s->kind == MX_KIND_NOTE ||
		         (s->text && S_about_whole_product(s->text)))
			part = NULL;
		if (part && s->ingredient == NULL)
			s->ingredient = part;
	}
}

static void
S_top_paragraph(struct builder *b, struct mx_node *para)
{
	struct mx_node *strong;
	int alone = 0;

	strong = S_leading_strong(para, &alone);
	if (b->answer && b->answer->first_child == NULL)
		S_strip_answer_marker(b, para);
	if (strong && (S_is_explicit_question(b, strong) ||
	               (S_in_faq(b) && S_is_question(b, strong)))) {
		struct mx_node *qa = S_qa_from_paragraph(b, para, strong);
		if (qa == NULL)
			return;
		b->answer = NULL;
		mx_node_append(S_container(b), qa);
		b->answer = qa->last_child;
		return;
	}
	if (strong == NULL) {
		struct mx_node *qa = S_plain_qa(b, para);
		if (qa) {
			b->answer = NULL;
			mx_node_append(S_container(b), qa);
			b->answer = qa->last_child;
			return;
		}
	}
	if (strong && !alone && S_trailing_qualifier(strong) > 0 &&
	    mx_kind_from_heading(S_plain(b, strong)) != MX_KIND_OTHER) {
		/* The qualifier joins the heading text. */
		struct mx_node *q = strong->next;
		const char *t = q->text + strspn(q->text, " ");
		mx_node_unlink(q);
		mx_tree_add_text(b->t, strong, " ", 1, q->line);
		mx_tree_add_text(b->t, strong, t, strcspn(t, ")") + 1, q->line);
		alone = 1;
	}
	if (strong) {
		char *text = S_plain(b, strong);
		enum mx_kind kind =
		        text ? mx_kind_from_heading(text) : MX_KIND_OTHER;
		size_t len = text ? strlen(text) : 0;
		int colon = S_has_colon(strong);

		/* "**Adults:**" alone is a heading; so is a short bold line
		 * without a colon that does not end like a sentence. */
		int heading_like =
		        alone && len > 0 &&
		        (colon || kind != MX_KIND_OTHER ||
		         (len <= 60 && !strchr(".!?", text[len - 1])));
		if (heading_like || colon) {
			while (len > 0 &&
			       (text[len - 1] == ':' || text[len - 1] == ' '))
				len--;
			text[len] = '\0';
		}
		if ((heading_like || colon) && S_inline_note(b, text, kind)) {
			mx_node_append(S_container(b), para);
			return;
		}
		if ((heading_like || colon) &&
		    S_population_label(b, text, kind, para->line)) {
			mx_node_unlink(strong);
			if (!alone) {
				S_strip_prefix(b, para, ":");
				S_strip_prefix(b, para, "");
				mx_node_append(S_container(b), para);
			}
			return;
		}
		if (alone && heading_like &&
		    S_ingredient_group(b, text, para->line))
			return;
		if (heading_like || (colon && kind != MX_KIND_OTHER)) {
			S_pseudo_section(b, text, para->line);
			mx_node_unlink(strong);
			if (!alone) {
				S_strip_prefix(b, para, ":");
				S_strip_prefix(b, para, "");
				mx_node_append(S_container(b), para);
			}
			return;
		}
	}
	mx_node_append(S_container(b), para);
}

/* A Markdown heading directly inside a section or the document: the title,
 * a question of an FAQ section, or a section. */
static void
S_top_heading(struct builder *b, struct mx_node *h)
{
	char *text = S_plain(b, h);
	int level = h->level, line = h->line;

	if (level == 1 && b->doc->title == NULL) {
		b->doc->title = text;
		b->doc->title_line = line;
		return;
	}
	if (S_in_faq(b) && text && strlen(text) > 1 &&
	    text[strlen(text) - 1] == '?' &&
	    (b->nopen == 0 || level > b->open[b->nopen - 1].rank)) {
		struct mx_node *qa = S_node(b, MX_NODE_QA, line);
		struct mx_node *q = S_node(b, MX_NODE_QUESTION, line);
		struct mx_node *a = S_node(b, MX_NODE_ANSWER, line);
		if (!qa || !q || !a)
			return;
		mx_node_move(h->first_child, q);
		mx_node_append(qa, q);
		mx_node_append(qa, a);
		b->answer = NULL;
		mx_node_append(S_container(b), qa);
		b->answer = a;
		return;
	}
	if (text) {
		/* "### Usage:" reads as "Usage". */
		size_t len = strlen(text);
		while (len > 0 &&
		       (text[len - 1] == ':' || text[len - 1] == ' '))
			text[--len] = '\0';
	}
	S_heading_section(b, text ? text : "", level, line);
}

static void
S_top_block(struct builder *b, struct mx_node *n)
{
	struct mx_node *parent = S_container(b);

	if (n->type == MX_NODE_HEADING) {
		S_top_heading(b, n);
		return;
	}
	if (n->type == MX_NODE_TEXT_BLOCK) {
		S_text_block(parent, n);
		return;
	}
	switch (n->type) {
	case MX_NODE_PARAGRAPH:
		S_top_paragraph(b, n);
		return;
	case MX_NODE_LIST:
		S_list(b, parent, n, 1);
		return;
	case MX_NODE_THEMATIC_BREAK:
		if (b->answer) {
			/* A rule ends an answer that runs on. */
			b->answer = NULL;
			parent = S_container(b);
		}
		mx_node_append(parent, n);
		return;
	default:
		S_block(b, parent, n);
		return;
	}
}

/* ---------------------------------------------------------------------
 * The document: title and generic name
 */

/* Without a level-one heading, the title is the front matter's, else the
 * file name (with a warning). */
static void
S_find_title(struct builder *b)
{
	struct mx_document *doc = b->doc;
	const char *t = mx_document_meta(doc, "title");
	const char *base;
	size_t n;

	if (t && *t) {
		doc->title = t;
		return;
	}
	base = strrchr(doc->source, '/');
	base = base ? base + 1 : doc->source;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	doc->title = mx_arena_strndup(b->t->arena, base, n);
	mx_report(b->t->diag, MX_WARNING, doc->source, 1,
	          "no title in front matter or heading; using the file name");
}

/* The generic name of a combination: the labels of a list under "Generic
 * Names" ("* **Heparin:** ..."), appended to `joined` with " + ". */
static void
S_join_labels(struct builder *b, const struct mx_node *list,
              struct mx_buf *joined)
{
	for (const struct mx_node *it = list->first_child; it; it = it->next) {
		const struct mx_node *label = it->first_child;
		char *name;

		if (label == NULL || label->type != MX_NODE_LABEL)
			continue;
		name = S_plain(b, label);
		if (joined->len > 0)
			mx_buf_puts(joined, " + ");
		mx_buf_puts(joined, name ? name : "");
	}
}

/* The generic name: the first paragraph of a top-level generic-name
 * section, else those of the per-ingredient sections joined with " + ". */
static void
S_find_generic_name(struct builder *b)
{
	struct mx_buf joined = {0};
	struct mx_node *top = b->doc->root;
	struct mx_arena *arena = b->t->arena;

	for (struct mx_node *s = top->first_child; s; s = s->next) {
		if (s->type != MX_NODE_SECTION)
			continue;
		if (s->kind == MX_KIND_GENERIC_NAME) {
			struct mx_node *p = s->first_child;
			const char *colon = strchr(s->text, ':');
			if (strstr(s->text, "Not Applicable") ||
			    strstr(s->text, "not applicable"))
				continue;
			if (colon && s->ingredient != NULL) {
				/* one of "### Generic Name: Etizolam", "###
				 * Generic Name: Escitalopram" */
				if (joined.len > 0)
					mx_buf_puts(&joined, " + ");
				mx_buf_puts(&joined, s->ingredient);
				continue;
			}
			if (colon) {
				/* "### Generic Name: X" */
				b->doc->generic_name = mx_arena_strdup(
				        arena,
				        colon + 1 + strspn(colon + 1, " "));
				mx_buf_free(&joined);
				return;
			}
			if (p == NULL)
				continue;
			if (p->type == MX_NODE_PARAGRAPH) {
				b->doc->generic_name = S_plain(b, p);
				mx_buf_free(&joined);
				return;
			}
			if (p->type == MX_NODE_LIST)
				S_join_labels(b, p, &joined);
			if (joined.len > 0)
				break;
			continue;
		}
		for (struct mx_node *sub = s->first_child; sub;
		     sub = sub->next) {
			const char *name, *colon;
			if (sub->type != MX_NODE_SECTION ||
			    sub->kind != MX_KIND_GENERIC_NAME)
				continue;
			colon = sub->text ? strchr(sub->text, ':') : NULL;
			if (colon && colon[1 + strspn(colon + 1, " ")] != '\0')
				/* "### Generic Name: Chloramphenicol" */
				name = colon + 1 + strspn(colon + 1, " ");
			else if (sub->first_child &&
			         sub->first_child->type == MX_NODE_PARAGRAPH)
				name = S_plain(b, sub->first_child);
			else
				continue;
			if (joined.len > 0)
				mx_buf_puts(&joined, " + ");
			mx_buf_puts(&joined, name ? name : "");
			break;
		}
	}
	if (joined.len > 0)
		b->doc->generic_name =
		        mx_arena_strndup(arena, joined.data, joined.len);
	mx_buf_free(&joined);
}

/* The number of words (runs of letters) in the `len` bytes at `s`. */
static int
S_words(const char *s, size_t len)
{
	int n = 0, in = 0;

	for (size_t i = 0; i < len; i++) {
		int letter = ((unsigned char)s[i] | 0x20) >= 'a' &&
		             ((unsigned char)s[i] | 0x20) <= 'z';
		n += letter && !in;
		in = letter;
	}
	return n;
}

/* Whether the `len` bytes at `s` read as commentary on a name, not a part
 * of it: "(This combination is not ...)", "(Note: ...)", but not
 * "(albuterol in the United States)". */
static int
S_commentary(const char *s, size_t len)
{
	static const char *const words[] = {" not ", "note",   "combination",
	                                    "this ", "there ", "these "};
	char low[256];
	size_t n = len < sizeof(low) - 1 ? len : sizeof(low) - 1;

	if (S_words(s, len) >= 8)
		return 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]))
			return S_words(s, len) >= 3;
	return 0;
}

/* A generic name that holds ingredients and commentary, "A + B (This
 * combination is not a single generic medicine...)" or "A + B. Note: ...",
 * is the ingredients; the commentary stays in the section's text.  A name
 * that is commentary alone is none, with a warning. */
static void
S_clean_generic_name(struct builder *b)
{
	struct mx_document *doc = b->doc;
	const char *g = doc->generic_name, *cut = NULL, *p;
	size_t len;

	if (g == NULL)
		return;
	len = strlen(g);
	for (p = g; (p = strstr(p, " (")) != NULL; p++) {
		const char *close = strchr(p, ')');
		size_t in = close ? (size_t)(close - p) : strlen(p);
		if (S_commentary(p, in)) {
			cut = p;
			break;
		}
	}
	for (p = g; cut == NULL && (p = strstr(p, ". ")) != NULL; p++)
		if (p > g && S_commentary(p, strlen(p)))
			cut = p;
	if (cut != NULL) {
		len = (size_t)(cut - g);
		while (len > 0 && (g[len - 1] == ' ' || g[len - 1] == ':' ||
		                   g[len - 1] == ','))
			len--;
	}
	if (len == 0 || S_words(g, len) > 40 ||
	    strncasecmp(g, "This ", 5) == 0 ||
	    strncasecmp(g, "There ", 6) == 0 ||
	    strncasecmp(g, "Not ", 4) == 0 || strncasecmp(g, "N/A", 3) == 0 ||
	    strncasecmp(g, "None", 4) == 0) {
		mx_report(
		        b->t->diag, MX_WARNING, doc->source, 0,
		        "the generic name is commentary, not a name: \"%.60s\"",
		        g);
		doc->generic_name = NULL;
		return;
	}
	if (cut != NULL)
		doc->generic_name = mx_arena_strndup(b->t->arena, g, len);
}

/* Whether a section or one below it is of a kind of content. */
static int
S_has_content_section(const struct mx_node *n)
{
	for (const struct mx_node *c = n->first_child; c; c = c->next) {
		if (c->type != MX_NODE_SECTION)
			continue;
		if ((c->kind != MX_KIND_GENERIC_NAME &&
		     c->kind != MX_KIND_NOTE && c->kind != MX_KIND_DISCLAIMER &&
		     c->kind != MX_KIND_OTHER) ||
		    S_has_content_section(c))
			return 1;
	}
	return 0;
}

static void
S_shift_levels(struct mx_node *n, int by)
{
	for (; n; n = n->next)
		if (n->type == MX_NODE_SECTION) {
			n->level -= by;
			S_shift_levels(n->first_child, by);
		}
}

static void
S_insert_after(struct mx_node *prev, struct mx_node *n)
{
	n->parent = prev->parent;
	n->prev = prev;
	n->next = prev->next;
	if (prev->next)
		prev->next->prev = n;
	else
		prev->parent->last_child = n;
	prev->next = n;
}

/* Another population's sub-section that the author's headings put under
 * an adults' one ("### Adults", then "#### Pediatric Use") is the adults'
 * sibling, not a part of it: it and what follows it there move out, after
 * the adults' section, at its level. */
static void
S_lift_populations(struct mx_node *parent)
{
	for (struct mx_node *s = parent->first_child; s; s = s->next) {
		struct mx_node *c, *after = s;

		if (s->type != MX_NODE_SECTION)
			continue;
		S_lift_populations(s);
		if (s->population != MX_POPULATION_ADULTS)
			continue;
		for (c = s->first_child; c; c = c->next)
			if (c->type == MX_NODE_SECTION &&
			    c->population != MX_POPULATION_NONE &&
			    c->population != MX_POPULATION_ADULTS)
				break;
		while (c) {
			struct mx_node *next = c->next;
			mx_node_unlink(c);
			S_insert_after(after, c);
			if (c->type == MX_NODE_SECTION) {
				int by = c->level - s->level;
				c->level = s->level;
				S_shift_levels(c->first_child, by);
			}
			after = c;
			c = next;
		}
	}
}

int
mx_monograph_build(struct mx_tree *t, struct mx_node *markdown)
{
	struct builder b = {.t = t, .doc = t->doc};
	struct mx_node *chain = mx_node_take_children(markdown);
	struct mx_node *n;

	while ((n = mx_node_pop(&chain)) != NULL) {
		b.next = chain;
		S_top_block(&b, n);
	}
	if (t->failed)
		return -1;
	if (t->doc->title == NULL)
		S_find_title(&b);
	S_lift_populations(t->doc->root);
	S_mark_parts(&b);
	S_find_generic_name(&b);
	S_clean_generic_name(&b);
	if (!S_has_content_section(t->doc->root)) {
		t->doc->no_content = 1;
		mx_report(t->diag, MX_WARNING, t->doc->source, 0,
		          "no section of a known kind (usage, dosage, ...): "
		          "status no-content");
	}
	return t->failed ? -1 : 0;
}
