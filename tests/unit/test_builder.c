/*
 * test_builder.c - unit tests of the monograph tree builder: each heading,
 * label and question/answer style the corpus uses, as Markdown in and the
 * tree's shape out; and the two passes alone: the Markdown tree (markdown.c)
 * and the text normalisation (node.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "medexport.h"
#include "core/private.h"
#include "read/read.h"

#include "capture.h"

static struct captured cap;

static struct mx_document *
S_parse(const char *md)
{
	struct mx_diag diag = {S_capture, &cap};

	memset(&cap, 0, sizeof(cap));
	return mx_document_parse(md, strlen(md), "test.md", &diag);
}

/* The n-th child (0-based) of a node. */
static const struct mx_node *
S_child(const struct mx_node *n, int index)
{
	const struct mx_node *c = n ? n->first_child : NULL;

	while (c && index-- > 0)
		c = c->next;
	return c;
}

static int
S_count(const struct mx_node *n)
{
	int k = 0;

	for (const struct mx_node *c = n->first_child; c; c = c->next)
		k++;
	return k;
}

static char plain[4096];

static const char *
S_plain(const struct mx_node *n)
{
	struct mx_buf buf = {0};

	mx_node_plain_text(n, &buf);
	snprintf(plain, sizeof(plain), "%s", buf.data ? buf.data : "");
	mx_buf_free(&buf);
	return plain;
}

static void
test_kind_from_heading(void **state)
{
	(void)state;
	assert_int_equal(mx_kind_from_heading("Usage"), MX_KIND_USAGE);
	assert_int_equal(mx_kind_from_heading("usage:"), MX_KIND_USAGE);
	assert_int_equal(mx_kind_from_heading("SIDE EFFECTS"),
	                 MX_KIND_SIDE_EFFECTS);
	assert_int_equal(mx_kind_from_heading("How it Works"),
	                 MX_KIND_MECHANISM);
	assert_int_equal(mx_kind_from_heading("FAQs (Combined Use):"),
	                 MX_KIND_FAQ);
	assert_int_equal(mx_kind_from_heading("Generic Name (Not Applicable)"),
	                 MX_KIND_GENERIC_NAME);
	assert_int_equal(mx_kind_from_heading("Drug Interactions"),
	                 MX_KIND_INTERACTIONS);
	assert_int_equal(mx_kind_from_heading("Overdose"), MX_KIND_OVERDOSE);
	assert_int_equal(mx_kind_from_heading("Storage"), MX_KIND_STORAGE);
	assert_int_equal(mx_kind_from_heading("Disclaimer"),
	                 MX_KIND_DISCLAIMER);
	assert_int_equal(mx_kind_from_heading("Note"), MX_KIND_NOTE);
	assert_int_equal(mx_kind_from_heading("Precautions"),
	                 MX_KIND_PRECAUTIONS);
	assert_int_equal(mx_kind_from_heading("Dosage"), MX_KIND_DOSAGE);
	assert_int_equal(mx_kind_from_heading("Important Note"), MX_KIND_OTHER);
	assert_int_equal(mx_kind_from_heading("Mebeverine"), MX_KIND_OTHER);
	/* Synonyms that start alike, and the table's last one (kinds.c
	 * indexes the synonyms by their first letter, up to a limit). */
	assert_int_equal(mx_kind_from_heading("Dosage and Administration"),
	                 MX_KIND_DOSAGE);
	assert_int_equal(mx_kind_from_heading("Drug-Drug Interactions"),
	                 MX_KIND_INTERACTIONS);
	assert_int_equal(mx_kind_from_heading("In Case of Overdose"),
	                 MX_KIND_OVERDOSE);
	assert_int_equal(
	        mx_kind_from_heading("Interactions with Other Medicines:"),
	        MX_KIND_INTERACTIONS);
	assert_int_equal(mx_kind_from_heading("Who should not use it"),
	                 MX_KIND_CONTRAINDICATIONS);
	assert_int_equal(mx_kind_from_heading("Notes"), MX_KIND_NOTE);
	/* Longer than every synonym: only a prefix counts. */
	assert_int_equal(mx_kind_from_heading("Interactions with other "
	                                      "medicines and foods"),
	                 MX_KIND_OTHER);
	assert_int_equal(mx_kind_from_heading("Frequently Asked Questions "
	                                      "about this combination"),
	                 MX_KIND_FAQ);
}

static void
test_front_matter_and_title(void **state)
{
	struct mx_document *doc =
	        S_parse("---\nlayout: minimal-medicine\ntitle: Tolperisone\n"
	                "nav_exclude: true\n---\n\n# Tolperisone\n\ntext\n");

	(void)state;
	assert_non_null(doc);
	assert_string_equal(doc->title, "Tolperisone");
	assert_int_equal(doc->title_line, 7);
	assert_string_equal(doc->id, "test");
	assert_int_equal(doc->meta_count, 3);
	assert_string_equal(doc->meta[0].key, "layout");
	assert_string_equal(doc->meta[0].value, "minimal-medicine");
	assert_int_equal(doc->meta[0].line, 2);
	assert_string_equal(mx_document_meta(doc, "nav_exclude"), "true");
	assert_int_equal(S_child(doc->root, 0)->type, MX_NODE_PARAGRAPH);
	assert_int_equal(S_child(doc->root, 0)->line, 9);
	mx_document_free(doc);
}

static void
test_no_front_matter_title_from_file(void **state)
{
	struct mx_document *doc = S_parse("Just a paragraph.\n");

	(void)state;
	assert_non_null(doc);
	assert_string_equal(doc->title, "test");
	/* the file name, and no section of content */
	assert_int_equal(cap.warnings, 2);
	assert_int_equal(doc->no_content, 1);
	mx_document_free(doc);
}

static void
test_populations_and_bands(void **state)
{
	int serious = 0, named = 0;

	(void)state;
	assert_int_equal(mx_population_from_heading("Pediatric Dosage", NULL),
	                 MX_POPULATION_CHILDREN);
	assert_int_equal(mx_population_from_heading("Older adults", NULL),
	                 MX_POPULATION_ELDERLY);
	assert_int_equal(mx_population_from_heading(
	                         "Renal Impairment (Kidney Disease)", NULL),
	                 MX_POPULATION_RENAL);
	assert_int_equal(
	        mx_population_from_heading("Pregnancy and Breastfeeding", NULL),
	        MX_POPULATION_PREGNANCY);
	assert_int_equal(
	        mx_population_from_heading("Adults and Children", &named),
	        MX_POPULATION_NONE);
	assert_int_equal(named, 1);
	assert_int_equal(mx_population_from_heading("Oral tablets", NULL),
	                 MX_POPULATION_NONE);
	/* Names of salts are not populations; childbearing is not children. */
	assert_int_equal(mx_population_from_heading("Calcium Lactate", NULL),
	                 MX_POPULATION_NONE);
	assert_int_equal(mx_population_from_heading("Lactation", NULL),
	                 MX_POPULATION_BREASTFEEDING);
	assert_int_equal(mx_population_from_heading(
	                         "Women of childbearing potential", NULL),
	                 MX_POPULATION_PREGNANCY);
	/* The table's last word, and words only at the start of a word. */
	assert_int_equal(mx_population_from_heading("NURSING MOTHERS", NULL),
	                 MX_POPULATION_BREASTFEEDING);
	assert_int_equal(mx_population_from_heading("Grandchildren", NULL),
	                 MX_POPULATION_NONE);
	assert_int_equal(mx_frequency_from_heading("Common Side Effects (>10%)",
	                                           &serious),
	                 MX_FREQUENCY_VERY_COMMON);
	assert_int_equal(mx_frequency_from_heading("Common (1-10%)", &serious),
	                 MX_FREQUENCY_COMMON);
	assert_int_equal(mx_frequency_from_heading("Less than 1%", &serious),
	                 MX_FREQUENCY_UNCOMMON);
	assert_int_equal(mx_frequency_from_heading("0.01% to 0.1%", &serious),
	                 MX_FREQUENCY_RARE);
	assert_int_equal(mx_frequency_from_heading("Rare", &serious),
	                 MX_FREQUENCY_RARE);
	assert_int_equal(serious, 0);
	assert_int_equal(
	        mx_frequency_from_heading(
	                "Less Common but Serious Side Effects", &serious),
	        MX_FREQUENCY_UNCOMMON);
	assert_int_equal(serious, 1);
	assert_int_equal(
	        mx_frequency_from_heading("Gastrointestinal", &serious),
	        MX_FREQUENCY_NONE);
	assert_string_equal(mx_population_name(MX_POPULATION_RENAL),
	                    "renal-impairment");
	assert_string_equal(mx_frequency_name(MX_FREQUENCY_VERY_RARE),
	                    "very-rare");
	assert_null(mx_frequency_name(MX_FREQUENCY_NONE));
}

static void
test_broken_yaml_names_line(void **state)
{
	(void)state;
	assert_null(S_parse("---\ntitle: x\nbad: [unclosed\n---\n# T\n"));
	assert_int_equal(cap.errors, 1);
	assert_true(cap.line >= 3);
	assert_null(S_parse("---\ntitle: x\n"));
	assert_int_equal(cap.errors, 1);
	assert_int_equal(cap.line, 1);
	/* Not a mapping: not front matter, but Markdown (test_identity.c). */
	mx_document_free(S_parse("---\n- a\n- b\n---\n# T\n### Usage\nx\n"));
	assert_int_equal(cap.errors, 0);
	assert_non_null(strstr(cap.last, "mapping"));
}

static void
test_alias_bomb_is_cheap(void **state)
{
	struct mx_document *doc =
	        S_parse("---\na: &a [x, x, x, x, x, x, x, x, x]\n"
	                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	                "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n# T\n");

	(void)state;
	assert_non_null(doc);
	assert_string_equal(mx_document_meta(doc, "d"),
	                    "*c, *c, *c, *c, *c, *c, *c, *c, *c");
	mx_document_free(doc);
}

static void
test_atx_sections(void **state)
{
	struct mx_document *doc = S_parse(
	        "# Drug\n### Generic Name\nDrugamine\n\n### Usage:\nUse it.\n\n"
	        "### Dosage\n**Adults:**\n\n* 10 mg\n\n**Children:**\n\nLess.\n"
	        "\n### Weird Extra (Section)\nOther text.\n");
	const struct mx_node *s;

	(void)state;
	assert_non_null(doc);
	assert_string_equal(doc->generic_name, "Drugamine");
	assert_int_equal(S_count(doc->root), 4);
	s = S_child(doc->root, 1);
	assert_int_equal(s->kind, MX_KIND_USAGE);
	assert_string_equal(s->text, "Usage");
	s = S_child(doc->root, 2);
	assert_int_equal(s->kind, MX_KIND_DOSAGE);
	assert_int_equal(S_count(s), 2);
	assert_int_equal(S_child(s, 0)->type, MX_NODE_SECTION);
	assert_string_equal(S_child(s, 0)->text, "Adults");
	assert_int_equal(S_child(s, 0)->level, 2);
	assert_int_equal(S_child(S_child(s, 0), 0)->type, MX_NODE_LIST);
	assert_string_equal(S_child(s, 1)->text, "Children");
	s = S_child(doc->root, 3);
	assert_int_equal(s->kind, MX_KIND_OTHER);
	assert_string_equal(s->text, "Weird Extra (Section)");
	mx_document_free(doc);
}

static void
test_bold_pseudo_headings(void **state)
{
	struct mx_document *doc = S_parse(
	        "# Drug\n\n**Generic Name:** Drugamine Hydrochloride\n\n"
	        "**Usage:**\n\nText.\n\n**Side Effects:** Inline text.\n\n"
	        "**Important Note:** stays a paragraph.\n\n"
	        "**Disclaimer:** Not advice.\n\n**Note:** AI text.\n");
	const struct mx_node *s;

	(void)state;
	assert_non_null(doc);
	assert_string_equal(doc->generic_name, "Drugamine Hydrochloride");
	assert_int_equal(S_count(doc->root), 5);
	assert_int_equal(S_child(doc->root, 0)->kind, MX_KIND_GENERIC_NAME);
	assert_int_equal(S_child(doc->root, 1)->kind, MX_KIND_USAGE);
	s = S_child(doc->root, 2);
	assert_int_equal(s->kind, MX_KIND_SIDE_EFFECTS);
	assert_int_equal(S_count(s), 2);
	assert_string_equal(S_plain(S_child(s, 0)), "Inline text.");
	assert_string_equal(S_plain(S_child(s, 1)),
	                    "Important Note: stays a paragraph.");
	assert_int_equal(S_child(doc->root, 3)->kind, MX_KIND_DISCLAIMER);
	assert_string_equal(S_plain(S_child(S_child(doc->root, 3), 0)),
	                    "Not advice.");
	assert_int_equal(S_child(doc->root, 4)->kind, MX_KIND_NOTE);
	mx_document_free(doc);
}

static void
test_combination_product(void **state)
{
	struct mx_document *doc = S_parse(
	        "# A + B\n\n### Alpha\n\n**Generic Name:** Alpha\n\n"
	        "**Usage:** For A.\n\n### Beta\n\n**Generic Name:** Beta\n\n"
	        "**Usage:** For B.\n\n### FAQs\n\n* **Q: Both?** A: Yes.\n\n"
	        "**Disclaimer:** None.\n");
	const struct mx_node *alpha, *faq;

	(void)state;
	assert_non_null(doc);
	assert_string_equal(doc->generic_name, "Alpha + Beta");
	alpha = S_child(doc->root, 0);
	assert_int_equal(alpha->kind, MX_KIND_OTHER);
	assert_int_equal(S_count(alpha), 2);
	assert_int_equal(S_child(alpha, 0)->kind, MX_KIND_GENERIC_NAME);
	assert_int_equal(S_child(alpha, 1)->kind, MX_KIND_USAGE);
	assert_int_equal(S_child(alpha, 1)->level, 2);
	faq = S_child(doc->root, 2);
	assert_int_equal(faq->kind, MX_KIND_FAQ);
	assert_int_equal(S_child(faq, 0)->type, MX_NODE_QA);
	/* The disclaimer leaves the FAQ for the top level. */
	assert_int_equal(S_child(doc->root, 3)->kind, MX_KIND_DISCLAIMER);
	mx_document_free(doc);
}

static void
test_labels(void **state)
{
	struct mx_document *doc = S_parse(
	        "# D\n### Side Effects\n* **Headache:** mild.\n"
	        "* **Nausea**: sometimes.\n* **Bold only** not a label.\n"
	        "* plain\n");
	const struct mx_node *list, *item;

	(void)state;
	assert_non_null(doc);
	list = S_child(S_child(doc->root, 0), 0);
	assert_int_equal(list->type, MX_NODE_LIST);
	item = S_child(list, 0);
	assert_int_equal(S_child(item, 0)->type, MX_NODE_LABEL);
	assert_string_equal(S_plain(S_child(item, 0)), "Headache");
	assert_string_equal(S_plain(S_child(item, 1)), "mild.");
	item = S_child(list, 1);
	assert_string_equal(S_plain(S_child(item, 0)), "Nausea");
	assert_string_equal(S_plain(S_child(item, 1)), "sometimes.");
	item = S_child(list, 2);
	assert_int_equal(S_child(item, 0)->type, MX_NODE_PARAGRAPH);
	item = S_child(list, 3);
	assert_int_equal(S_child(item, 0)->type, MX_NODE_PARAGRAPH);
	mx_document_free(doc);
}

/* Checks that the section's n-th child is a QA with this question and
 * answer text. */
static void
S_assert_qa(const struct mx_node *faq, int n, const char *q, const char *a)
{
	const struct mx_node *qa = S_child(faq, n);

	assert_non_null(qa);
	assert_int_equal(qa->type, MX_NODE_QA);
	assert_string_equal(S_plain(S_child(qa, 0)), q);
	if (a == NULL) {
		assert_null(S_child(qa, 1)->first_child);
		return;
	}
	assert_string_equal(S_plain(S_child(S_child(qa, 1), 0)), a);
}

static void
test_faq_styles(void **state)
{
	struct mx_document *doc =
	        S_parse("# D\n### FAQs\n"
	                "* **Q: One?** A: Inline.\n"
	                "* **Two?**  Plain answer.\n"
	                "* **Q: Three?**\n    * **A:** Nested bold.\n"
	                "* **Q: Four?**\n    * A: Nested plain.\n"
	                "* **Q: Five?**\n* **A:** Sibling.\n\n"
	                "**Q: Six?**\n\nA: Next paragraph.\n\nMore answer.\n\n"
	                "**Q: Seven?**\n**A:** Soft break.\n\n"
	                "**Q: Eight?** A: Same paragraph.\n\n"
	                "#### Nine?\nHeading question.\n\n"
	                "**Q: Ten?**\n");
	const struct mx_node *faq;

	(void)state;
	assert_non_null(doc);
	faq = S_child(doc->root, 0);
	assert_int_equal(faq->kind, MX_KIND_FAQ);
	assert_int_equal(S_count(faq), 10);
	S_assert_qa(faq, 0, "One?", "Inline.");
	S_assert_qa(faq, 1, "Two?", "Plain answer.");
	S_assert_qa(faq, 2, "Three?", "Nested bold.");
	S_assert_qa(faq, 3, "Four?", "Nested plain.");
	S_assert_qa(faq, 4, "Five?", "Sibling.");
	S_assert_qa(faq, 5, "Six?", "Next paragraph.");
	assert_int_equal(S_count(S_child(S_child(faq, 5), 1)), 2);
	S_assert_qa(faq, 6, "Seven?", "Soft break.");
	S_assert_qa(faq, 7, "Eight?", "Same paragraph.");
	S_assert_qa(faq, 8, "Nine?", "Heading question.");
	S_assert_qa(faq, 9, "Ten?", NULL);
	mx_document_free(doc);
}

static void
test_inline_html_keeps_text(void **state)
{
	struct mx_document *doc = S_parse(
	        "# D\n\nGABA<sub>A</sub> and <span class=x>kept</span> text.\n"
	        "\n<div>\nBlock <b>html</b> &amp; more\n</div>\n");
	const struct mx_node *p;

	(void)state;
	assert_non_null(doc);
	p = S_child(doc->root, 0);
	assert_int_equal(S_child(p, 1)->type, MX_NODE_SUB);
	assert_string_equal(S_plain(p), "GABAA and kept text.");
	assert_string_equal(S_plain(S_child(doc->root, 1)),
	                    "Block html & more");
	mx_document_free(doc);
}

static void
test_deep_nesting_is_flattened(void **state)
{
	static char md[200000];
	struct mx_document *doc;
	size_t n = 0;
	int depth = 0;

	(void)state;
	for (int i = 0; i < 5000; i++)
		md[n++] = '>';
	memcpy(md + n, " deep words\n", 12);
	doc = S_parse(md);
	assert_non_null(doc);
	for (const struct mx_node *c = doc->root->first_child; c;
	     c = c->first_child)
		depth++;
	assert_true(depth <= MX_MAX_NESTING + 4);
	mx_document_free(doc);
}

static void
test_input_checks(void **state)
{
	struct mx_diag diag = {S_capture, &cap};

	(void)state;
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(mx_input_check("", 0, "x", &diag), -1);
	assert_int_equal(mx_input_check(" \n\t\n", 4, "x", &diag), -1);
	assert_non_null(strstr(cap.last, "white space"));
	assert_int_equal(mx_input_check("ab\ncd\0", 6, "x", &diag), -1);
	assert_int_equal(cap.line, 2);
	assert_int_equal(mx_input_check("ok\n\xc3\x28", 5, "x", &diag), -1);
	assert_non_null(strstr(cap.last, "offset 3"));
	assert_int_equal(mx_input_check("\xc0\xaf", 2, "x", &diag), -1);
	assert_int_equal(mx_input_check("caf\xc3\xa9\n", 6, "x", &diag), 0);
}

static void
test_bom_and_mixed_heading_styles(void **state)
{
	struct mx_document *doc =
	        S_parse("\xef\xbb\xbf---\ntitle: Loratadine\n---\n"
	                "# Loratadine\n\n**Generic Name:** Loratadine\n\n"
	                "### Usage\nHay fever.\n\n**Note:** Mid-text note.\n\n"
	                "### Dosage\n10 mg.\n");

	(void)state;
	assert_non_null(doc);
	assert_int_equal(doc->meta_count, 1);
	assert_string_equal(doc->generic_name, "Loratadine");
	/* Known Markdown headings close sections of bold headings. */
	assert_int_equal(S_count(doc->root), 3);
	assert_int_equal(S_child(doc->root, 1)->kind, MX_KIND_USAGE);
	assert_int_equal(S_child(doc->root, 1)->level, 1);
	/* A note inside a section stays in it, a paragraph in place. */
	assert_int_equal(S_child(doc->root, 1)->last_child->type,
	                 MX_NODE_PARAGRAPH);
	assert_int_equal(S_child(doc->root, 1)->last_child->first_child->type,
	                 MX_NODE_STRONG);
	assert_int_equal(S_child(doc->root, 2)->kind, MX_KIND_DOSAGE);
	assert_int_equal(S_child(doc->root, 2)->level, 1);
	mx_document_free(doc);
}

static void
test_long_headings_keep_their_kind(void **state)
{
	struct mx_document *doc = S_parse(
	        "# D\n### Generic Name: Paracetamol + Caffeine + Codeine "
	        "Phosphate Hemihydrate\n\n### Frequently Asked Questions About "
	        "Paracetamol, Caffeine and Codeine Tablets\n* **Q: A?** B.\n");

	(void)state;
	assert_non_null(doc);
	assert_int_equal(S_child(doc->root, 0)->kind, MX_KIND_GENERIC_NAME);
	assert_string_equal(doc->generic_name, "Paracetamol + Caffeine + "
	                                       "Codeine Phosphate Hemihydrate");
	assert_int_equal(S_child(doc->root, 1)->kind, MX_KIND_FAQ);
	mx_document_free(doc);
}

static void
test_plain_questions(void **state)
{
	struct mx_document *doc = S_parse(
	        "# D\n### FAQs\nQ: One?\nA: First.\n\nQ: Two?\n\nA: Second.\n"
	        "\n- Q: Three?\n  A: Third.\n- Q: Four?\n- A: Fourth.\n\n"
	        "**Q. Five?**\n**A.** Fifth.\n\n---\n\nAfter the rule.\n");
	const struct mx_node *faq;

	(void)state;
	assert_non_null(doc);
	faq = S_child(doc->root, 0);
	S_assert_qa(faq, 0, "One?", "First.");
	S_assert_qa(faq, 1, "Two?", "Second.");
	S_assert_qa(faq, 2, "Three?", "Third.");
	S_assert_qa(faq, 3, "Four?", "Fourth.");
	S_assert_qa(faq, 4, "Five?", "Fifth.");
	/* A rule ends the last answer. */
	assert_int_equal(S_child(faq, 5)->type, MX_NODE_THEMATIC_BREAK);
	assert_int_equal(S_child(faq, 6)->type, MX_NODE_PARAGRAPH);
	mx_document_free(doc);
}

/* An item whose first block is not a Markdown paragraph has no label, even
 * when that block (an HTML comment) leaves no words. */
static void
test_item_after_html_block_has_no_label(void **state)
{
	struct mx_document *doc =
	        S_parse("# D\n\n* <!-- c -->\n  **Label:** text\n"
	                "* **Label:** text\n");
	const struct mx_node *list;

	(void)state;
	assert_non_null(doc);
	list = S_child(doc->root, 0);
	assert_int_equal(list->type, MX_NODE_LIST);
	assert_int_equal(S_child(S_child(list, 0), 0)->type, MX_NODE_PARAGRAPH);
	assert_int_equal(S_child(S_child(S_child(list, 0), 0), 0)->type,
	                 MX_NODE_STRONG);
	assert_int_equal(S_child(S_child(list, 1), 0)->type, MX_NODE_LABEL);
	mx_document_free(doc);
}

/* markdown.c alone: plain Markdown structure, no monograph rule. */
static void
test_markdown_tree_knows_no_rules(void **state)
{
	const char *md = "### Usage\n\n**Usage:** x\n\n* **L:** y\n\n"
	                 "<div>html</div>\n";
	struct mx_document doc = {.source = "t.md"};
	struct mx_diag diag = {S_capture, &cap};
	struct mx_tree t = {.doc = &doc, .diag = &diag};
	struct mx_node root = {.type = MX_NODE_DOCUMENT};
	const struct mx_node *n;

	(void)state;
	memset(&cap, 0, sizeof(cap));
	t.arena = doc.arena = mx_arena_new();
	assert_non_null(t.arena);
	assert_int_equal(mx_markdown_read(&t, &root, md, strlen(md), 5), 0);
	n = S_child(&root, 0);
	assert_int_equal(n->type, MX_NODE_HEADING);
	assert_int_equal(n->level, 3);
	assert_int_equal(n->line, 5);
	assert_string_equal(S_plain(n), "Usage");
	n = S_child(&root, 1);
	assert_int_equal(n->type, MX_NODE_PARAGRAPH);
	assert_int_equal(S_child(n, 0)->type, MX_NODE_STRONG);
	assert_string_equal(S_plain(n), "Usage: x");
	n = S_child(&root, 2);
	assert_int_equal(n->type, MX_NODE_LIST);
	assert_int_equal(S_child(S_child(n, 0), 0)->type, MX_NODE_PARAGRAPH);
	n = S_child(&root, 3);
	assert_int_equal(n->type, MX_NODE_TEXT_BLOCK);
	assert_string_equal(S_plain(n), "html");
	assert_null(S_child(&root, 4));
	assert_int_equal(cap.warnings + cap.errors, 0);
	mx_buf_free(&t.scratch);
	mx_arena_free(t.arena);
}

/* The white space rule, one byte at a time. */
static size_t
S_collapse_slowly(char *out, size_t had, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int ws = strchr(" \t\n\r\f\v", s[i]) != NULL && s[i] != '\0';
		if (ws && had > 0 && out[had - 1] == ' ')
			continue;
		out[had++] = ws ? ' ' : s[i];
	}
	out[had] = '\0';
	return had;
}

/* mx_tree_add_text() copies most text eight bytes at a time: it must give
 * what the rule gives byte by byte, wherever runs of white space fall. */
static void
test_text_collapses_white_space(void **state)
{
	static const char bytes[] = {'a',    'b',    ' ',    ' ',    ' ',
	                             '\t',   '\n',   '\r',   '\f',   '\v',
	                             '\x01', '\x1f', '\x7f', '\xa0', '\xc3',
	                             '\xa9', '!',    '~'};
	struct mx_document doc = {.source = "t.md"};
	struct mx_tree t = {.doc = &doc};
	unsigned seed = 1;
	char want[1024], chunk[64];

	(void)state;
	t.arena = mx_arena_new();
	assert_non_null(t.arena);
	for (int round = 0; round < 3000; round++) {
		struct mx_node para = {.type = MX_NODE_PARAGRAPH};
		size_t had = 0;
		int chunks = 1 + round % 4;
		for (int k = 0; k < chunks; k++) {
			size_t len = (seed = seed * 1103515245u + 12345u) >> 16;
			len %= sizeof(chunk);
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				/* Mostly letters and single spaces, as text is.
				 */
				chunk[i] = (seed >> 16) % 3
				                   ? "abcd e"[(seed >> 8) % 6]
				                   : bytes[(seed >> 16) % 18];
			}
			mx_tree_add_text(&t, &para, chunk, len, 1);
			had = S_collapse_slowly(want, had, chunk, len);
		}
		assert_int_equal(t.failed, 0);
		if (had == 0) {
			assert_null(para.first_child);
			continue;
		}
		assert_non_null(para.first_child);
		assert_ptr_equal(para.first_child, para.last_child);
		assert_string_equal(para.first_child->text, want);
	}
	mx_buf_free(&t.scratch);
	mx_arena_free(t.arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_kind_from_heading),
	        cmocka_unit_test(test_front_matter_and_title),
	        cmocka_unit_test(test_no_front_matter_title_from_file),
	        cmocka_unit_test(test_populations_and_bands),
	        cmocka_unit_test(test_broken_yaml_names_line),
	        cmocka_unit_test(test_alias_bomb_is_cheap),
	        cmocka_unit_test(test_atx_sections),
	        cmocka_unit_test(test_bold_pseudo_headings),
	        cmocka_unit_test(test_combination_product),
	        cmocka_unit_test(test_labels),
	        cmocka_unit_test(test_faq_styles),
	        cmocka_unit_test(test_inline_html_keeps_text),
	        cmocka_unit_test(test_deep_nesting_is_flattened),
	        cmocka_unit_test(test_input_checks),
	        cmocka_unit_test(test_bom_and_mixed_heading_styles),
	        cmocka_unit_test(test_long_headings_keep_their_kind),
	        cmocka_unit_test(test_plain_questions),
	        cmocka_unit_test(test_item_after_html_block_has_no_label),
	        cmocka_unit_test(test_markdown_tree_knows_no_rules),
	        cmocka_unit_test(test_text_collapses_white_space),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
