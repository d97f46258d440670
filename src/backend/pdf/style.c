/*
 * style.c - reads a leaflet style from YAML (libyaml's document API).
 *
 * A style starts from built-in defaults, and the file overrides what it
 * names.  Unknown keys and malformed values are reported with the style's
 * file and line; a value of the wrong type is an error, so that a typo never
 * silently prints a leaflet in the wrong size.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "backend/pdf/style.h"

/* Limits where no real style goes (styles are a few kilobytes). */
#define STYLE_MAX_BYTES            (256 * 1024)
#define STYLE_MAX_DEPTH            16
#define STYLE_MAX_UNKNOWN_WARNINGS 10
/* The narrowest column that sets words, in ems of the body text. */
#define STYLE_MIN_COLUMN_EMS 12

struct reader {
	yaml_document_t doc;
	const char *path;
	const struct mx_diag *diag;
	int errors;
	size_t unknown; /* unknown keys seen */
};

static const char *const role_keys[ROLE_COUNT] = {
        "body",     "title",  "subtitle", "heading1", "heading2",
        "heading3", "header", "code",     "question", "label",
};

static char *
S_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static void
S_set_string(char **slot, const char *value)
{
	free(*slot);
	*slot = value != NULL ? S_strdup(value) : NULL;
}

static int
S_line(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

static void
S_error(struct reader *r, const yaml_node_t *node, const char *what,
        const char *key)
{
	mx_report(r->diag, MX_ERROR, r->path, node ? S_line(node) : 0,
	          "style: %s '%s'", what, key);
	r->errors++;
}

/* A scalar's text; NULL for another node, or for a scalar that holds a
 * NUL (a "\0" escape), which every use of it would silently cut short. */
static const char *
S_scalar(const yaml_node_t *node)
{
	const char *v;

	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	v = (const char *)node->data.scalar.value;
	return strlen(v) == node->data.scalar.length ? v : NULL;
}

static int
S_number(struct reader *r, yaml_node_t *node, const char *key, double lo,
         double hi, double *out)
{
	const char *s = S_scalar(node);
	char *end;
	double v;

	if (s == NULL) {
		S_error(r, node, "expected a number for", key);
		return -1;
	}
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || (*end != '\0' && strcmp(end, "mm") != 0 &&
	                 strcmp(end, "pt") != 0)) {
		S_error(r, node, "expected a number for", key);
		return -1;
	}
	/* strtod() takes "nan" and "inf": neither is a length. */
	if (!isfinite(v) || v < lo || v > hi) {
		S_error(r, node, "value out of range for", key);
		return -1;
	}
	*out = v;
	return 0;
}

static int
S_bool(struct reader *r, yaml_node_t *node, const char *key, int *out)
{
	const char *s = S_scalar(node);

	if (s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 ||
	                  strcmp(s, "on") == 0)) {
		*out = 1;
		return 0;
	}
	if (s != NULL && (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 ||
	                  strcmp(s, "off") == 0)) {
		*out = 0;
		return 0;
	}
	S_error(r, node, "expected true or false for", key);
	return -1;
}

/* Colours are written as CMYK percentages: [c, m, y, k]. */
static int
S_colour(struct reader *r, yaml_node_t *node, const char *key,
         struct style_cmyk *out)
{
	double v[4];
	yaml_node_item_t *it;
	int n = 0;

	if (node == NULL || node->type != YAML_SEQUENCE_NODE) {
		S_error(r, node, "expected [c, m, y, k] percentages for", key);
		return -1;
	}
	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		if (n == 4 || S_number(r, yaml_document_get_node(&r->doc, *it),
		                       key, 0, 100, &v[n]) != 0) {
			S_error(r, node, "expected four percentages for", key);
			return -1;
		}
		n++;
	}
	if (n != 4) {
		S_error(r, node, "expected four percentages for", key);
		return -1;
	}
	out->c = v[0] / 100;
	out->m = v[1] / 100;
	out->y = v[2] / 100;
	out->k = v[3] / 100;
	return 0;
}

struct key_ref {
	const char *key;
	size_t index;
};

static int
S_cmp_key_ref(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Marks in dup[] each pair of `map` whose key an earlier pair has: sorted,
 * so that a mapping of many keys costs n log n, not n squared.  NULL when
 * memory ran out (then nothing is marked). */
static unsigned char *
S_duplicates(struct reader *r, yaml_node_t *map, size_t n)
{
	struct key_ref *refs = calloc(n ? n : 1, sizeof(*refs));
	unsigned char *dup = calloc(n ? n : 1, 1);
	size_t k = 0;

	if (refs == NULL || dup == NULL) {
		free(refs);
		free(dup);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = map->data.mapping.pairs.start + i;
		const char *key =
		        S_scalar(yaml_document_get_node(&r->doc, p->key));
		if (key != NULL)
			refs[k++] = (struct key_ref){key, i};
	}
	qsort(refs, k, sizeof(*refs), S_cmp_key_ref);
	for (size_t i = 1; i < k; i++)
		if (strcmp(refs[i - 1].key, refs[i].key) == 0)
			dup[refs[i].index] = 1;
	free(refs);
	return dup;
}

/* Calls `fn` for each key of a mapping node. */
typedef void (*pair_fn)(struct reader *r, const char *key, yaml_node_t *value,
                        void *ctx);

static void
S_each_pair(struct reader *r, yaml_node_t *map, const char *what, pair_fn fn,
            void *ctx)
{
	yaml_node_pair_t *p;
	unsigned char *dup;
	size_t n;

	if (map == NULL || map->type != YAML_MAPPING_NODE) {
		S_error(r, map, "expected a mapping for", what);
		return;
	}
	n = (size_t)(map->data.mapping.pairs.top -
	             map->data.mapping.pairs.start);
	dup = S_duplicates(r, map, n);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&r->doc, p->value);
		const char *key = S_scalar(k);

		if (key == NULL) {
			S_error(r, k, "expected a plain key in", what);
			continue;
		}
		if (dup != NULL && dup[p - map->data.mapping.pairs.start]) {
			S_error(r, k, "duplicate key", key);
			continue;
		}
		fn(r, key, v, ctx);
	}
	free(dup);
}

static void
S_unknown(struct reader *r, yaml_node_t *node, const char *key)
{
	if (r->unknown++ < STYLE_MAX_UNKNOWN_WARNINGS)
		mx_report(r->diag, MX_WARNING, r->path, S_line(node),
		          "style: unknown key '%s' ignored", key);
}

struct page_size {
	const char *name;
	double w, h;
};

static const struct page_size page_sizes[] = {
        {"A3", 297, 420},        {"A4", 210, 297},
        {"A5", 148, 210},        {"A6", 105, 148},
        {"B5", 176, 250},        {"letter", 215.9, 279.4},
        {"legal", 215.9, 355.6}, {"tabloid", 279.4, 431.8},
};

static int
S_page_size(struct reader *r, yaml_node_t *node, struct style *st)
{
	const char *s = S_scalar(node);
	size_t i;

	if (node != NULL && node->type == YAML_SEQUENCE_NODE &&
	    node->data.sequence.items.top - node->data.sequence.items.start ==
	            2) {
		yaml_node_item_t *it = node->data.sequence.items.start;
		if (S_number(r, yaml_document_get_node(&r->doc, it[0]), "size",
		             20, 2000, &st->page_w) != 0 ||
		    S_number(r, yaml_document_get_node(&r->doc, it[1]), "size",
		             20, 2000, &st->page_h) != 0)
			return -1;
		return 0;
	}
	for (i = 0; s != NULL && i < sizeof(page_sizes) / sizeof(*page_sizes);
	     i++) {
		if (strcasecmp(s, page_sizes[i].name) == 0) {
			st->page_w = page_sizes[i].w;
			st->page_h = page_sizes[i].h;
			return 0;
		}
	}
	S_error(r, node, "unknown page size", s ? s : "?");
	return -1;
}

static void
S_margin_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;
	double *slot = NULL;

	if (strcmp(key, "top") == 0)
		slot = &st->margin_top;
	else if (strcmp(key, "bottom") == 0)
		slot = &st->margin_bottom;
	else if (strcmp(key, "inner") == 0 || strcmp(key, "left") == 0)
		slot = &st->margin_inner;
	else if (strcmp(key, "outer") == 0 || strcmp(key, "right") == 0)
		slot = &st->margin_outer;
	if (slot == NULL)
		S_unknown(r, v, key);
	else
		S_number(r, v, key, 0, 200, slot);
}

struct page_ctx {
	struct style *st;
	int landscape;
};

static void
S_page_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct page_ctx *pc = ctx;
	struct style *st = pc->st;
	double d;

	if (strcmp(key, "size") == 0) {
		S_page_size(r, v, st);
	} else if (strcmp(key, "orientation") == 0) {
		const char *s = S_scalar(v);
		if (s != NULL && strcmp(s, "landscape") == 0)
			pc->landscape = 1;
		else if (s != NULL && strcmp(s, "portrait") == 0)
			pc->landscape = 0;
		else
			S_error(r, v, "expected portrait or landscape for",
			        key);
	} else if (strcmp(key, "margins") == 0) {
		if (v != NULL && v->type == YAML_SCALAR_NODE) {
			if (S_number(r, v, key, 0, 200, &d) == 0)
				st->margin_top = st->margin_bottom =
				        st->margin_inner = st->margin_outer = d;
		} else {
			S_each_pair(r, v, key, S_margin_pair, st);
		}
	} else if (strcmp(key, "columns") == 0) {
		if (S_number(r, v, key, 1, 6, &d) != 0)
			;
		else if (d != floor(d))
			S_error(r, v, "expected a whole number for", key);
		else
			st->columns = (int)d;
	} else if (strcmp(key, "gutter") == 0) {
		S_number(r, v, key, 0, 100, &st->gutter);
	} else if (strcmp(key, "column-rule") == 0) {
		S_number(r, v, key, 0, 5, &st->column_rule);
	} else if (strcmp(key, "tuck-in") == 0) {
		S_number(r, v, key, 0, 20, &st->tuck_in);
	} else {
		S_unknown(r, v, key);
	}
}

/* The printing conditions of the ICC's registry (color.org) a style is
 * likely to name.  Others are written as given, with a warning: PDF/X
 * wants a registered condition or an embedded profile, and medexport
 * embeds none. */
static const struct style_condition conditions[] = {
        {"FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, paper types 1 "
                    "and 2, coated)"},
        {"FOGRA51", "PSO Coated v3 (ISO 12647-2:2013, paper type PS1)"},
        {"FOGRA52", "PSO Uncoated v3 (ISO 12647-2:2013, paper type PS5)"},
        {"FOGRA47", "PSO Uncoated ISO12647 (ISO 12647-2:2004/Amd 1, paper "
                    "type 5)"},
        {"CGATS TR 001", "U.S. Web Coated (SWOP) v2 (CGATS TR 001, SWOP "
                         "publication printing)"},
        {"CGATS21-2-CRPC6", "GRACoL commercial printing, coated (CGATS "
                            "21-2, CRPC6)"},
        {"JC200103", "Japan Color 2001 Coated (ISO 12647-2, paper type 3)"},
};

const struct style_condition *
mx_style_condition(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(conditions) / sizeof(*conditions); i++)
		if (strcasecmp(id, conditions[i].id) == 0)
			return &conditions[i];
	return NULL;
}

int
mx_style_pdfx_parse(const char *s, enum style_pdfx *out)
{
	if (strncasecmp(s, "PDF/", 4) == 0)
		s += 4;
	if (strcasecmp(s, "X-1a:2001") == 0)
		*out = PDFX_1A_2001;
	else if (strcasecmp(s, "X-1a:2003") == 0)
		*out = PDFX_1A_2003;
	else if (strcasecmp(s, "none") == 0 || strcmp(s, "false") == 0)
		*out = PDFX_NONE;
	else
		return -1;
	return 0;
}

static void
S_print_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;

	if (strcmp(key, "colour") == 0 || strcmp(key, "color") == 0) {
		const char *s = S_scalar(v);
		if (s != NULL && strcasecmp(s, "cmyk") == 0)
			st->cmyk = 1;
		else if (s != NULL && strcasecmp(s, "rgb") == 0)
			st->cmyk = 0;
		else
			S_error(r, v, "expected cmyk or rgb for", key);
	} else if (strcmp(key, "bleed") == 0) {
		S_number(r, v, key, 0, 20, &st->bleed);
	} else if (strcmp(key, "crop-marks") == 0) {
		S_bool(r, v, key, &st->crop_marks);
	} else if (strcmp(key, "fold-marks") == 0) {
		S_bool(r, v, key, &st->fold_marks);
	} else if (strcmp(key, "safe-margin") == 0) {
		S_number(r, v, key, 0, 50, &st->safe_margin);
	} else if (strcmp(key, "pdfx") == 0) {
		const char *s = S_scalar(v);
		if (s == NULL || mx_style_pdfx_parse(s, &st->pdfx) != 0)
			S_error(r, v,
			        "expected PDF/X-1a:2001, PDF/X-1a:2003 or none "
			        "for",
			        key);
	} else if (strcmp(key, "output-condition") == 0) {
		const char *s = S_scalar(v);
		if (s == NULL || s[0] == '\0' || strlen(s) > 200) {
			S_error(r, v, "expected a printing condition for", key);
		} else {
			S_set_string(&st->output_condition, s);
			if (mx_style_condition(s) == NULL)
				mx_report(r->diag, MX_WARNING, r->path,
				          S_line(v),
				          "style: '%s' is not a printing "
				          "condition of the ICC registry that "
				          "medexport knows; PDF/X wants a "
				          "registered one",
				          s);
		}
	} else {
		S_unknown(r, v, key);
	}
}

static void
S_fonts_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;
	static const char *const faces[FACE_COUNT] = {"regular", "bold",
	                                              "italic", "mono"};
	int i;

	for (i = 0; i < FACE_COUNT; i++) {
		if (strcmp(key, faces[i]) == 0) {
			if (S_scalar(v) == NULL)
				S_error(r, v, "expected a file for", key);
			else
				S_set_string(&st->font_files[i], S_scalar(v));
			return;
		}
	}
	S_unknown(r, v, key);
}

static void
S_type_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;

	if (strcmp(key, "justify") == 0) {
		S_bool(r, v, key, &st->justify);
	} else if (strcmp(key, "justify-min-measure") == 0) {
		S_number(r, v, key, 0, 1000, &st->justify_min_measure);
	} else if (strcmp(key, "justify-lists") == 0) {
		S_bool(r, v, key, &st->justify_lists);
	} else if (strcmp(key, "hyphenation") == 0) {
		const char *s = S_scalar(v);
		char path[512];
		size_t i;
		if (s == NULL) {
			S_error(r, v, "expected a language or none for", key);
		} else if (strcmp(s, "none") == 0 || strcmp(s, "false") == 0) {
			st->hyphenate = 0;
		} else {
			for (i = 0; s[i] != '\0'; i++)
				if (!isalnum((unsigned char)s[i]) &&
				    s[i] != '_' && s[i] != '-')
					break;
			if (s[i] != '\0' || i > 32) {
				S_error(r, v, "bad hyphenation language", s);
				return;
			}
			snprintf(path, sizeof(path),
			         "/usr/share/hyphen/hyph_%s.dic", s);
			st->hyphenate = 1;
			S_set_string(&st->hyphen_dict, path);
		}
	} else if (strcmp(key, "font") == 0) {
		if (S_scalar(v) == NULL)
			S_error(r, v, "expected a family name for", key);
		else
			S_set_string(&st->font_family, S_scalar(v));
	} else if (strcmp(key, "fonts") == 0) {
		S_each_pair(r, v, key, S_fonts_pair, st);
	} else if (strcmp(key, "list-indent") == 0) {
		S_number(r, v, key, 0, 144, &st->list_indent);
	} else if (strcmp(key, "squeeze-space") == 0) {
		double pct;
		if (S_number(r, v, key, 0, 100, &pct) == 0)
			st->squeeze_space = pct / 100;
	} else {
		S_unknown(r, v, key);
	}
}

static void
S_text_role_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style_text *t = ctx;

	if (strcmp(key, "size") == 0) {
		S_number(r, v, key, 4, 96, &t->size);
	} else if (strcmp(key, "leading") == 0) {
		S_number(r, v, key, 4, 144, &t->leading);
	} else if (strcmp(key, "space-before") == 0) {
		S_number(r, v, key, 0, 144, &t->space_before);
	} else if (strcmp(key, "space-after") == 0) {
		S_number(r, v, key, 0, 144, &t->space_after);
	} else if (strcmp(key, "min-leading") == 0) {
		S_number(r, v, key, 4, 144, &t->min_leading);
	} else if (strcmp(key, "colour") == 0 || strcmp(key, "color") == 0) {
		S_colour(r, v, key, &t->colour);
	} else if (strcmp(key, "face") == 0) {
		const char *s = S_scalar(v);
		if (s != NULL && strcmp(s, "regular") == 0)
			t->face = FACE_REGULAR;
		else if (s != NULL && strcmp(s, "bold") == 0)
			t->face = FACE_BOLD;
		else if (s != NULL && strcmp(s, "italic") == 0)
			t->face = FACE_ITALIC;
		else if (s != NULL && strcmp(s, "mono") == 0)
			t->face = FACE_MONO;
		else
			S_error(r, v,
			        "expected regular, bold, italic or mono for",
			        key);
	} else {
		S_unknown(r, v, key);
	}
}

static void
S_text_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;
	int i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(key, role_keys[i]) == 0) {
			double old_size = st->text[i].size;
			int had_leading = 0;
			yaml_node_pair_t *p;
			/* A size without a leading scales the leading. */
			if (v != NULL && v->type == YAML_MAPPING_NODE)
				for (p = v->data.mapping.pairs.start;
				     p < v->data.mapping.pairs.top; p++) {
					const char *k =
					        S_scalar(yaml_document_get_node(
					                &r->doc, p->key));
					if (k != NULL &&
					    strcmp(k, "leading") == 0)
						had_leading = 1;
				}
			S_each_pair(r, v, key, S_text_role_pair, &st->text[i]);
			if (!had_leading && old_size > 0 &&
			    st->text[i].size != old_size)
				st->text[i].leading *=
				        st->text[i].size / old_size;
			return;
		}
	}
	S_unknown(r, v, key);
}

static void
S_colours_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;

	if (strcmp(key, "band") == 0)
		S_colour(r, v, key, &st->band_colour);
	else if (strcmp(key, "rule") == 0)
		S_colour(r, v, key, &st->rule_colour);
	else
		S_unknown(r, v, key);
}

static void
S_band_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style_band *b = ctx;
	const char *s = S_scalar(v);
	char **slot = NULL;

	if (strcmp(key, "left") == 0)
		slot = &b->left;
	else if (strcmp(key, "centre") == 0 || strcmp(key, "center") == 0)
		slot = &b->centre;
	else if (strcmp(key, "right") == 0)
		slot = &b->right;
	if (slot == NULL) {
		S_unknown(r, v, key);
		return;
	}
	if (s == NULL) {
		S_error(r, v, "expected text for", key);
		return;
	}
	S_set_string(slot, s[0] != '\0' ? s : NULL);
}

static void
S_top_pair(struct reader *r, const char *key, yaml_node_t *v, void *ctx)
{
	struct style *st = ctx;

	if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0) {
		/* Informational. */
	} else if (strcmp(key, "page") == 0) {
		struct page_ctx pc = {st, 0};
		S_each_pair(r, v, key, S_page_pair, &pc);
		if (pc.landscape && st->page_w < st->page_h) {
			double t = st->page_w;
			st->page_w = st->page_h;
			st->page_h = t;
		}
	} else if (strcmp(key, "print") == 0) {
		S_each_pair(r, v, key, S_print_pair, st);
	} else if (strcmp(key, "type") == 0) {
		S_each_pair(r, v, key, S_type_pair, st);
	} else if (strcmp(key, "text") == 0) {
		S_each_pair(r, v, key, S_text_pair, st);
	} else if (strcmp(key, "colours") == 0 || strcmp(key, "colors") == 0) {
		S_each_pair(r, v, key, S_colours_pair, st);
	} else if (strcmp(key, "title-band") == 0) {
		S_bool(r, v, key, &st->title_band);
	} else if (strcmp(key, "header") == 0) {
		S_each_pair(r, v, key, S_band_pair, &st->header);
	} else if (strcmp(key, "footer") == 0) {
		S_each_pair(r, v, key, S_band_pair, &st->footer);
	} else if (strcmp(key, "author") == 0) {
		if (S_scalar(v) == NULL)
			S_error(r, v, "expected text for", key);
		else
			S_set_string(&st->author, S_scalar(v)[0] != '\0'
			                                  ? S_scalar(v)
			                                  : NULL);
	} else {
		S_unknown(r, v, key);
	}
}

static void
S_text_default(struct style_text *t, double size, double leading, double before,
               double after, enum style_face face, struct style_cmyk colour)
{
	t->size = size;
	t->leading = leading;
	t->space_before = before;
	t->space_after = after;
	t->face = face;
	t->colour = colour;
}

/* The defaults are the leaflet-a4 look, so a style file only says what is
 * different. */
static void
S_defaults(struct style *st)
{
	const struct style_cmyk black = {0, 0, 0, 1};
	const struct style_cmyk blue = {1, 0.55, 0, 0.25};
	const struct style_cmyk grey = {0, 0, 0, 0.65};

	st->page_w = 210;
	st->page_h = 297;
	st->margin_top = st->margin_bottom = 12;
	st->margin_inner = st->margin_outer = 12;
	st->columns = 2;
	st->gutter = 6;
	st->bleed = 3;
	st->crop_marks = 1;
	st->cmyk = 1;
	st->justify = 1;
	st->justify_min_measure = 25;
	st->justify_lists = 1;
	st->hyphenate = 1;
	st->hyphen_dict = S_strdup("/usr/share/hyphen/hyph_en_US.dic");
	st->font_family = S_strdup("DejaVu Sans");
	S_text_default(&st->text[ROLE_BODY], 9, 11, 0, 3, FACE_REGULAR, black);
	S_text_default(&st->text[ROLE_TITLE], 20, 24, 0, 2, FACE_BOLD, blue);
	S_text_default(&st->text[ROLE_SUBTITLE], 10, 12, 0, 0, FACE_REGULAR,
	               black);
	S_text_default(&st->text[ROLE_H1], 11, 13.5, 7, 2.5, FACE_BOLD, blue);
	S_text_default(&st->text[ROLE_H2], 10, 12, 5, 1.5, FACE_BOLD, blue);
	S_text_default(&st->text[ROLE_H3], 10, 12, 4, 1, FACE_BOLD, black);
	S_text_default(&st->text[ROLE_HEADER], 7, 8.5, 0, 0, FACE_REGULAR,
	               grey);
	S_text_default(&st->text[ROLE_CODE], 9, 11, 0, 3, FACE_MONO, black);
	/* Questions and labels: the body's size and leading unless the
	 * style says (S_text_from_body()). */
	S_text_default(&st->text[ROLE_QUESTION], 0, 0, 3, 0.5, FACE_BOLD, blue);
	S_text_default(&st->text[ROLE_LABEL], 0, 0, 0, 0, FACE_BOLD, black);
	st->list_indent = 10;
	st->title_band = 1;
	st->band_colour = (struct style_cmyk){0.12, 0.04, 0, 0};
	st->rule_colour = blue;
	st->column_rule = 0;
	st->footer.left = S_strdup("{title}");
	st->footer.right = S_strdup("Page {page} of {pages}");
	st->safe_margin = 3;
}

void
mx_style_free(struct style *st)
{
	int i;

	if (st == NULL)
		return;
	free(st->name);
	free(st->hyphen_dict);
	free(st->font_family);
	for (i = 0; i < FACE_COUNT; i++)
		free(st->font_files[i]);
	free(st->header.left);
	free(st->header.centre);
	free(st->header.right);
	free(st->footer.left);
	free(st->footer.centre);
	free(st->footer.right);
	free(st->output_condition);
	free(st->author);
	free(st);
}

static int
S_is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL ||
	       (n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

char *
mx_style_path(const char *name_or_path, const char *datadir)
{
	const char *name = name_or_path ? name_or_path : STYLE_DEFAULT;
	size_t n;
	char *path;

	if (S_is_path(name))
		return strdup(name);
	n = strlen(datadir) + strlen(name) + sizeof("/styles/.yaml");
	path = malloc(n);
	if (path != NULL)
		snprintf(path, n, "%s/styles/%s.yaml", datadir, name);
	return path;
}

/* "cannot open style": with the styles there are when a name was given. */
static void
S_no_style(const char *name, const char *path, const char *datadir,
           const struct mx_diag *diag)
{
	char pattern[4096], list[1024];
	size_t used = 0;
	glob_t g;

	list[0] = '\0';
	snprintf(pattern, sizeof(pattern), "%s/styles/*.yaml", datadir);
	if (!S_is_path(name) && glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && used < sizeof(list); i++) {
			const char *base = strrchr(g.gl_pathv[i], '/') + 1;
			used += (size_t)snprintf(list + used,
			                         sizeof(list) - used, "%s%.*s",
			                         i ? ", " : " (styles: ",
			                         (int)(strlen(base) - 5), base);
		}
		if (used > 0 && used + 1 < sizeof(list))
			strcat(list, ")");
		globfree(&g);
	}
	mx_report(diag, MX_ERROR, path, 0, "cannot open style '%s': %s%s", name,
	          strerror(errno), list);
}

/* Before the document is built: one YAML document, nested no deeper than
 * STYLE_MAX_DEPTH (libyaml's loader takes time that grows faster than the
 * nesting).  Returns -1 after reporting. */
static int
S_prescan(struct reader *r, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev))
			break; /* the loader reports the syntax error */
		int line = (int)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				mx_report(r->diag, MX_ERROR, r->path, line,
				          "style: a second YAML document");
				rc = -1;
			}
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (++depth > STYLE_MAX_DEPTH) {
				mx_report(r->diag, MX_ERROR, r->path, line,
				          "style: nested deeper than %d levels",
				          STYLE_MAX_DEPTH);
				rc = -1;
			}
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* Reads the file into r->doc.  Returns -1 after reporting. */
static int
S_load_yaml(struct reader *r)
{
	yaml_parser_t parser;
	char *data = NULL;
	size_t len = 0;
	int rc = -1;

	/* A regular file only: a FIFO or a directory is refused at once. */
	if (mx_read_file(r->path, &data, &len, r->diag) != 0)
		return -1;
	if (len > STYLE_MAX_BYTES) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: %zu bytes; a style is at most %d KiB", len,
		          STYLE_MAX_BYTES / 1024);
		free(data);
		return -1;
	}
	if (S_prescan(r, data, len) != 0) {
		free(data);
		return -1;
	}
	if (!yaml_parser_initialize(&parser)) {
		mx_report(r->diag, MX_ERROR, r->path, 0, "out of memory");
		free(data);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &r->doc))
		mx_report(r->diag, MX_ERROR, r->path,
		          (int)parser.problem_mark.line + 1, "style: %s",
		          parser.problem ? parser.problem : "YAML error");
	else
		rc = 0;
	yaml_parser_delete(&parser);
	free(data);
	return rc;
}

/* A style that cannot hold its text is an error: columns too narrow for
 * words, lines taller than the column. */
static void
S_check_geometry(struct reader *r, const struct style *st)
{
	double width = st->page_w - st->margin_inner - st->margin_outer;
	double height = st->page_h - st->margin_top - st->margin_bottom;
	double column = (width - (st->columns - 1) * st->gutter) / st->columns;
	double tallest = 0;
	const double pt = 25.4 / 72; /* mm */

	if (width < 20 || height < 20) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: margins leave no room for text");
		r->errors++;
		return;
	}
	for (int i = 0; i < ROLE_COUNT; i++)
		if (st->text[i].leading > tallest)
			tallest = st->text[i].leading;
	if (column < STYLE_MIN_COLUMN_EMS * st->text[ROLE_BODY].size * pt) {
		mx_report(
		        r->diag, MX_ERROR, r->path, 0,
		        "style: columns of %.1f mm (%d columns, %.1f mm "
		        "gutters) hold fewer than %d ems of %.4g pt body text",
		        column, st->columns, st->gutter, STYLE_MIN_COLUMN_EMS,
		        st->text[ROLE_BODY].size);
		r->errors++;
	}
	if (height < 4 * tallest * pt) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: a column %.1f mm tall cannot hold four lines "
		          "of its tallest text (%.4g pt leading)",
		          height, tallest);
		r->errors++;
	}
}

/* Questions and labels the style gives no size or leading take the
 * body's; a tightest leading over the body's is an error. */
static void
S_text_from_body(struct reader *r, struct style *st)
{
	const struct style_text *body = &st->text[ROLE_BODY];
	int roles[2] = {ROLE_QUESTION, ROLE_LABEL};

	for (int i = 0; i < 2; i++) {
		struct style_text *t = &st->text[roles[i]];
		if (t->size == 0)
			t->size = body->size;
		if (t->leading == 0)
			t->leading = t->size * body->leading / body->size;
	}
	if (body->min_leading > body->leading) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: body min-leading %.4g pt is over its leading "
		          "of %.4g pt",
		          body->min_leading, body->leading);
		r->errors++;
	}
	if (st->fold_marks &&
	    (st->header.left || st->header.centre || st->header.right ||
	     st->footer.left || st->footer.centre || st->footer.right))
		mx_report(
		        r->diag, MX_WARNING, r->path, 0,
		        "style: a folded sheet (fold-marks) prints no running "
		        "header or footer; the style's are ignored");
}

/* PDF/X-1a is for CMYK print and names the printing condition. */
static void
S_check_pdfx(struct reader *r, const struct style *st)
{
	if (st->pdfx == PDFX_NONE)
		return;
	if (!st->cmyk) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: PDF/X-1a (print: pdfx) draws in CMYK only; "
		          "this style has colour: rgb");
		r->errors++;
	}
	if (st->output_condition == NULL) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "style: PDF/X-1a (print: pdfx) needs the printing "
		          "condition (print: output-condition, FOGRA39 for "
		          "one)");
		r->errors++;
	}
}

/* The style's name: its file's base name up to the first dot. */
static char *
S_name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *name;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	name = malloc(n + 1);
	if (name != NULL) {
		memcpy(name, base, n);
		name[n] = '\0';
	}
	return name;
}

struct style *
mx_style_load(const char *name_or_path, const char *datadir,
              const struct mx_diag *diag)
{
	const char *name = name_or_path ? name_or_path : STYLE_DEFAULT;
	struct reader r;
	yaml_node_t *root;
	struct style *st = NULL;
	char *path = mx_style_path(name, datadir);

	memset(&r, 0, sizeof(r));
	if (path == NULL) {
		mx_report(diag, MX_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	r.path = path;
	r.diag = diag;
	if (access(path, F_OK) != 0) {
		S_no_style(name, path, datadir, diag);
		free(path);
		return NULL;
	}
	if (S_load_yaml(&r) != 0) {
		free(path);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		goto done;
	S_defaults(st);
	root = yaml_document_get_root_node(&r.doc);
	if (root == NULL) {
		mx_report(diag, MX_ERROR, path, 0, "style: empty file");
		r.errors++;
	} else {
		S_each_pair(&r, root, "the style", S_top_pair, st);
	}
	if (r.unknown > STYLE_MAX_UNKNOWN_WARNINGS)
		mx_report(diag, MX_WARNING, path, 0,
		          "style: %zu more unknown keys ignored",
		          r.unknown - STYLE_MAX_UNKNOWN_WARNINGS);
	if (r.errors == 0)
		S_text_from_body(&r, st);
	if (r.errors == 0)
		S_check_geometry(&r, st);
	if (r.errors == 0)
		S_check_pdfx(&r, st);
	if (r.errors == 0)
		st->name = S_name_of(path);
	if (r.errors > 0 || st->name == NULL) {
		mx_style_free(st);
		st = NULL;
	}
done:
	yaml_document_delete(&r.doc);
	free(path);
	return st;
}

double
mx_style_min_size(const struct style *st)
{
	double m = st->text[0].size;
	int i;

	for (i = 1; i < ROLE_COUNT; i++)
		if (st->text[i].size < m)
			m = st->text[i].size;
	return m;
}
