/*
 * profile.c - a lint profile: which sections are required, which front
 * matter keys are known, and each check's severity (or "off").  The
 * built-in defaults are those of styles/lint-profile.yaml; a profile file
 * changes what it names.  Read with libyaml as styles are
 * (src/backend/pdf/style.c): a size limit, a nesting limit checked before
 * the document is built, one document, no duplicate keys.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lint/lint.h"

#ifndef MX_DATADIR
#define MX_DATADIR "."
#endif

#define PROFILE_MAX_BYTES (64 * 1024)
#define PROFILE_MAX_DEPTH 8

struct reader {
	const char *path;
	const struct mx_diag *diag;
	yaml_document_t doc;
	struct mx_lint_profile *p;
	int errors;
};

void
mx_lint_profile_defaults(struct mx_lint_profile *p)
{
	static const char *const keys[] = {"layout", "title", "nav_exclude",
	                                   NULL};
	static const enum mx_lint_severity sev[CHECK_COUNT] = {
	        [CHECK_MISSING_SECTION] = MX_LINT_ERROR,
	        [CHECK_EMPTY_SECTION] = MX_LINT_WARNING,
	        [CHECK_DUPLICATE_SECTION] = MX_LINT_WARNING,
	        [CHECK_UNKNOWN_HEADING] = MX_LINT_WARNING,
	        [CHECK_HEADING_JUMP] = MX_LINT_WARNING,
	        [CHECK_UNANSWERED_QUESTION] = MX_LINT_ERROR,
	        [CHECK_GENERIC_NAME] = MX_LINT_WARNING,
	        [CHECK_NO_CONTENT] = MX_LINT_ERROR,
	        [CHECK_POPULATION_ORDER] = MX_LINT_WARNING,
	        [CHECK_UNSUPPORTED_MARKUP] = MX_LINT_WARNING,
	        [CHECK_TITLE_MISMATCH] = MX_LINT_WARNING,
	        [CHECK_FRONT_MATTER] = MX_LINT_WARNING,
	        [CHECK_MISSING_GLYPH] = MX_LINT_ERROR,
	        [CHECK_READ] = MX_LINT_ERROR,
	};

	memset(p, 0, sizeof(*p));
	memcpy(p->severity, sev, sizeof(sev));
	p->nrequired = 4;
	strcpy(p->required[0].names[0], "usage");
	strcpy(p->required[1].names[0], "dosage");
	strcpy(p->required[2].names[0], "side-effects");
	strcpy(p->required[3].names[0], "precautions");
	strcpy(p->required[3].names[1], "contraindications");
	p->required[0].n = p->required[1].n = p->required[2].n = 1;
	p->required[3].n = 2;
	for (p->nkeys = 0; keys[p->nkeys]; p->nkeys++)
		strcpy(p->keys[p->nkeys], keys[p->nkeys]);
	p->generic_max_words = 12;
}

static void
S_error(struct reader *r, const yaml_node_t *node, const char *fmt,
        const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	mx_report(r->diag, MX_ERROR, r->path,
	          node ? (int)node->start_mark.line + 1 : 0, "profile: %s",
	          msg);
	r->errors++;
}

/* A scalar's text; NULL for another node or one that holds a NUL. */
static const char *
S_scalar(const yaml_node_t *node)
{
	const char *v;

	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	v = (const char *)node->data.scalar.value;
	return strlen(v) == node->data.scalar.length ? v : NULL;
}

/* Whether a name is one a required section may have. */
static int
S_section_name(const char *name)
{
	if (strcmp(name, "contraindications") == 0)
		return 1;
	for (int k = 0; k < MX_KIND_COUNT; k++)
		if (k != MX_KIND_OTHER &&
		    strcmp(mx_kind_name((enum mx_kind)k), name) == 0)
			return 1;
	return 0;
}

static void
S_add_name(struct reader *r, struct lint_required *g, yaml_node_t *node)
{
	const char *name = S_scalar(node);

	if (name == NULL || !S_section_name(name)) {
		S_error(r, node,
		        "required-sections: '%s' is not a section kind (usage, "
		        "dosage, side-effects, ..., or contraindications)",
		        name ? name : "?");
		return;
	}
	if (g->n == LINT_MAX_ALTERNATIVES) {
		S_error(r, node, "required-sections: more than %s alternatives",
		        "4");
		return;
	}
	strcpy(g->names[g->n++], name);
}

static yaml_node_item_t *
S_items(yaml_node_t *seq, yaml_node_item_t **end)
{
	*end = seq->data.sequence.items.top;
	return seq->data.sequence.items.start;
}

/* required-sections: a list of names, or of lists of alternatives. */
static void
S_required(struct reader *r, yaml_node_t *v)
{
	yaml_node_item_t *it, *end;

	if (v->type != YAML_SEQUENCE_NODE) {
		S_error(r, v, "%s wants a list", "required-sections");
		return;
	}
	r->p->nrequired = 0;
	for (it = S_items(v, &end); it < end; it++) {
		yaml_node_t *n = yaml_document_get_node(&r->doc, *it);
		struct lint_required *g;
		if (r->p->nrequired == LINT_MAX_REQUIRED) {
			S_error(r, n, "required-sections: more than %s", "16");
			return;
		}
		g = &r->p->required[r->p->nrequired++];
		g->n = 0;
		if (n && n->type == YAML_SEQUENCE_NODE) {
			yaml_node_item_t *i2, *e2;
			for (i2 = S_items(n, &e2); i2 < e2; i2++)
				S_add_name(
				        r, g,
				        yaml_document_get_node(&r->doc, *i2));
		} else {
			S_add_name(r, g, n);
		}
		if (g->n == 0)
			r->p->nrequired--;
	}
}

static void
S_keys(struct reader *r, yaml_node_t *v)
{
	yaml_node_item_t *it, *end;

	if (v->type != YAML_SEQUENCE_NODE) {
		S_error(r, v, "%s wants a list", "front-matter-keys");
		return;
	}
	r->p->nkeys = 0;
	for (it = S_items(v, &end); it < end; it++) {
		yaml_node_t *n = yaml_document_get_node(&r->doc, *it);
		const char *key = S_scalar(n);
		if (key == NULL || strlen(key) >= LINT_MAX_KEY ||
		    r->p->nkeys == LINT_MAX_KEYS) {
			S_error(r, n, "front-matter-keys: %s",
			        "at most 64 keys of at most 63 bytes");
			return;
		}
		strcpy(r->p->keys[r->p->nkeys++], key);
	}
}

static void
S_checks(struct reader *r, yaml_node_t *v)
{
	static const char *const names[] = {"off", "note", "warning", "error"};

	if (v->type != YAML_MAPPING_NODE) {
		S_error(r, v, "%s wants a mapping of check: severity",
		        "checks");
		return;
	}
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	     p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		yaml_node_t *val = yaml_document_get_node(&r->doc, p->value);
		const char *name = S_scalar(k), *sev = S_scalar(val);
		int c = name ? mx_lint_check_find(name) : -1, s;

		if (c < 0) {
			S_error(r, k, "checks: unknown check '%s'",
			        name ? name : "?");
			continue;
		}
		for (s = 0; s < 4; s++)
			if (sev && strcmp(sev, names[s]) == 0)
				break;
		if (s == 4) {
			S_error(r, val,
			        "checks: '%s' wants off, note, warning or "
			        "error",
			        name);
			continue;
		}
		r->p->severity[c] = (enum mx_lint_severity)s;
	}
}

/* No key twice in any mapping: quadratic, but a profile is small. */
static int
S_duplicates(struct reader *r)
{
	for (yaml_node_t *n = r->doc.nodes.start; n < r->doc.nodes.top; n++) {
		if (n->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *a = n->data.mapping.pairs.start;
		     a < n->data.mapping.pairs.top; a++)
			for (yaml_node_pair_t *b = n->data.mapping.pairs.start;
			     b < a; b++) {
				yaml_node_t *ka =
				        yaml_document_get_node(&r->doc, a->key);
				const char *sa = S_scalar(ka);
				const char *sb =
				        S_scalar(yaml_document_get_node(
				                &r->doc, b->key));
				if (sa && sb && strcmp(sa, sb) == 0) {
					S_error(r, ka, "duplicate key '%s'",
					        sa);
					return -1;
				}
			}
	}
	return 0;
}

static void
S_top(struct reader *r)
{
	yaml_node_t *root = yaml_document_get_root_node(&r->doc);

	if (root == NULL)
		return; /* an empty profile: the defaults */
	if (root->type != YAML_MAPPING_NODE) {
		S_error(r, root, "%s", "a profile is a mapping of keys");
		return;
	}
	if (S_duplicates(r) != 0)
		return;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&r->doc, p->value);
		const char *key = S_scalar(k);
		long words;

		if (key == NULL || v == NULL)
			S_error(r, k, "%s", "a key that is not text");
		else if (strcmp(key, "required-sections") == 0)
			S_required(r, v);
		else if (strcmp(key, "front-matter-keys") == 0)
			S_keys(r, v);
		else if (strcmp(key, "checks") == 0)
			S_checks(r, v);
		else if (strcmp(key, "generic-name-max-words") == 0) {
			if (S_scalar(v) == NULL ||
			    mx_parse_long(S_scalar(v), 1, 100, &words) != 0)
				S_error(r, v, "%s wants a number from 1 to 100",
				        key);
			else
				r->p->generic_max_words = (int)words;
		} else
			S_error(r, k, "unknown key '%s'", key);
	}
}

/* One YAML document, nested no deeper than PROFILE_MAX_DEPTH, before the
 * loader builds it. */
static int
S_prescan(struct reader *r, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && rc == 0 && yaml_parser_parse(&parser, &ev)) {
		int line = (int)ev.start_mark.line + 1;
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			mx_report(r->diag, MX_ERROR, r->path, line,
			          "profile: a second YAML document");
			rc = -1;
		} else if ((ev.type == YAML_MAPPING_START_EVENT ||
		            ev.type == YAML_SEQUENCE_START_EVENT) &&
		           ++depth > PROFILE_MAX_DEPTH) {
			mx_report(r->diag, MX_ERROR, r->path, line,
			          "profile: nested deeper than %d levels",
			          PROFILE_MAX_DEPTH);
			rc = -1;
		} else if (ev.type == YAML_MAPPING_END_EVENT ||
		           ev.type == YAML_SEQUENCE_END_EVENT) {
			depth--;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int
S_load(struct reader *r)
{
	yaml_parser_t parser;
	char *data = NULL;
	size_t len = 0;
	int rc = -1;

	if (mx_read_file(r->path, &data, &len, r->diag) != 0)
		return -1;
	if (len > PROFILE_MAX_BYTES) {
		mx_report(r->diag, MX_ERROR, r->path, 0,
		          "profile: %zu bytes; a profile is at most %d KiB",
		          len, PROFILE_MAX_BYTES / 1024);
	} else if (S_prescan(r, data, len) == 0 &&
	           yaml_parser_initialize(&parser)) {
		yaml_parser_set_input_string(&parser,
		                             (const unsigned char *)data, len);
		if (!yaml_parser_load(&parser, &r->doc))
			mx_report(r->diag, MX_ERROR, r->path,
			          (int)parser.problem_mark.line + 1,
			          "profile: %s",
			          parser.problem ? parser.problem
			                         : "YAML error");
		else
			rc = 0;
		yaml_parser_delete(&parser);
	}
	free(data);
	return rc;
}

struct mx_lint_profile *
mx_lint_profile_load(const char *path, const char *datadir,
                     const struct mx_diag *diag)
{
	struct reader r = {.path = path, .diag = diag};
	char deflt[4096];

	if (path == NULL) {
		snprintf(deflt, sizeof(deflt), "%s/styles/lint-profile.yaml",
		         datadir ? datadir : MX_DATADIR);
		r.path = deflt;
	}
	r.p = malloc(sizeof(*r.p));
	if (r.p == NULL) {
		mx_report(diag, MX_ERROR, r.path, 0, "out of memory");
		return NULL;
	}
	mx_lint_profile_defaults(r.p);
	if (S_load(&r) != 0) {
		free(r.p);
		return NULL;
	}
	S_top(&r);
	yaml_document_delete(&r.doc);
	if (r.errors > 0) {
		free(r.p);
		return NULL;
	}
	return r.p;
}

void
mx_lint_profile_free(struct mx_lint_profile *profile)
{
	free(profile);
}

void
mx_lint_profile_set_printer(struct mx_lint_profile *profile,
                            const struct mx_backend *backend, void *state)
{
	profile->printer = backend && backend->unprintable ? backend : NULL;
	profile->printer_state = profile->printer ? state : NULL;
}
