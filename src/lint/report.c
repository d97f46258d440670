/*
 * report.c - findings written for the user: one line each, as compilers
 * write them ("FILE:LINE:COLUMN: warning: message [check]"), a JSON array
 * of objects, or a SARIF 2.1.0 log for code-scanning dashboards; and the
 * summary of a run.  JSON and SARIF are written with json-c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lint/lint.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
#define SARIF_FLAGS                                                            \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |                   \
	 JSON_C_TO_STRING_NOSLASHESCAPE)

/* One line of each check for SARIF's rules (docs/lint.md says more). */
static const char *const check_help[CHECK_COUNT] = {
        [CHECK_MISSING_SECTION] = "A section the profile requires is absent.",
        [CHECK_EMPTY_SECTION] = "A heading with nothing under it.",
        [CHECK_DUPLICATE_SECTION] = "The same section twice at one level.",
        [CHECK_UNKNOWN_HEADING] = "A top-level heading that names no known "
                                  "section.",
        [CHECK_HEADING_JUMP] = "A heading level is skipped.",
        [CHECK_UNANSWERED_QUESTION] = "An FAQ question with no answer, or "
                                      "an answer with no question.",
        [CHECK_GENERIC_NAME] = "The generic name is missing, or is "
                               "commentary instead of a name.",
        [CHECK_NO_CONTENT] = "No recognised section: a refusal or a "
                             "placeholder.",
        [CHECK_POPULATION_ORDER] = "Another population's doses under an "
                                   "adults' heading.",
        [CHECK_UNSUPPORTED_MARKUP] = "A pipe table, an image or raw HTML "
                                     "that the outputs drop.",
        [CHECK_TITLE_MISMATCH] = "The title, the first heading and the "
                                 "file name disagree.",
        [CHECK_MISSING_GLYPH] = "A character that no font of the PDF "
                                "style has (with --style).",
        [CHECK_FRONT_MATTER] = "Broken YAML, or unknown or duplicate keys.",
        [CHECK_READ] = "The file cannot be read or parsed.",
};

struct mx_lint_report {
	enum mx_lint_format format;
	struct mx_sink *out;
	int failed;
	size_t nfindings;
	size_t by_severity[MX_LINT_ERROR + 1];
	size_t by_check[CHECK_COUNT];
	size_t files_with_errors;
	char *last_error_file;
	json_object *results; /* SARIF */
	struct mx_buf line;
};

struct mx_lint_report *
mx_lint_report_new(enum mx_lint_format format, struct mx_sink *out)
{
	struct mx_lint_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->format = format;
	r->out = out;
	if (format == MX_LINT_SARIF &&
	    (r->results = json_object_new_array()) == NULL) {
		free(r);
		return NULL;
	}
	if (format == MX_LINT_JSON && mx_sink_puts(out, "[") != 0)
		r->failed = 1;
	return r;
}

static void
S_put(struct mx_lint_report *r, json_object *obj, const char *key,
      json_object *value)
{
	if (value == NULL || json_object_object_add(obj, key, value) != 0) {
		json_object_put(value);
		r->failed = 1;
	}
}

static json_object *
S_string(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* A path as a relative URI reference: bytes other than unreserved
 * characters and '/' percent-encoded. */
static json_object *
S_uri(const char *path)
{
	struct mx_buf b = {0};
	json_object *o;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		char hex[4];
		if (isalnum(*p) || strchr("-._~/", *p)) {
			mx_buf_putc(&b, (char)*p);
			continue;
		}
		snprintf(hex, sizeof(hex), "%%%02X", *p);
		mx_buf_puts(&b, hex);
	}
	o = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
	mx_buf_free(&b);
	return o;
}

static void
S_human(struct mx_lint_report *r, const struct mx_finding *f)
{
	char head[64];

	r->line.len = 0;
	snprintf(head, sizeof(head), ":%d:%d: %s: ", f->line, f->column,
	         mx_lint_severity_name(f->severity));
	if (mx_buf_puts(&r->line, f->file ? f->file : "<stdin>") != 0 ||
	    mx_buf_puts(&r->line, head) != 0 ||
	    mx_buf_puts(&r->line, f->message) != 0 ||
	    mx_buf_puts(&r->line, " [") != 0 ||
	    mx_buf_puts(&r->line, f->check) != 0 ||
	    mx_buf_puts(&r->line, "]\n") != 0 ||
	    mx_sink_put(r->out, r->line.data, r->line.len) != 0)
		r->failed = 1;
}

static void
S_json(struct mx_lint_report *r, const struct mx_finding *f)
{
	json_object *o = json_object_new_object();
	const char *text;

	if (o == NULL) {
		r->failed = 1;
		return;
	}
	S_put(r, o, "file", S_string(f->file));
	S_put(r, o, "line", json_object_new_int(f->line));
	S_put(r, o, "column", json_object_new_int(f->column));
	S_put(r, o, "severity",
	      json_object_new_string(mx_lint_severity_name(f->severity)));
	S_put(r, o, "check", S_string(f->check));
	S_put(r, o, "message", S_string(f->message));
	text = json_object_to_json_string_ext(o, JSON_FLAGS);
	if (mx_sink_puts(r->out, r->nfindings > 1 ? ",\n" : "\n") != 0 ||
	    mx_sink_puts(r->out, text) != 0)
		r->failed = 1;
	json_object_put(o);
}

static void
S_sarif_result(struct mx_lint_report *r, const struct mx_finding *f)
{
	json_object *res = json_object_new_object();
	json_object *msg = json_object_new_object();
	json_object *locs = json_object_new_array();
	json_object *loc = json_object_new_object();
	json_object *phys = json_object_new_object();
	json_object *art = json_object_new_object();
	json_object *region = json_object_new_object();
	int rule = mx_lint_check_find(f->check);

	if (!res || !msg || !locs || !loc || !phys || !art || !region) {
		json_object_put(res);
		json_object_put(msg);
		json_object_put(locs);
		json_object_put(loc);
		json_object_put(phys);
		json_object_put(art);
		json_object_put(region);
		r->failed = 1;
		return;
	}
	S_put(r, res, "ruleId", S_string(f->check));
	S_put(r, res, "ruleIndex", json_object_new_int(rule));
	S_put(r, res, "level",
	      json_object_new_string(mx_lint_severity_name(f->severity)));
	S_put(r, msg, "text", S_string(f->message));
	S_put(r, res, "message", msg);
	S_put(r, art, "uri", S_uri(f->file ? f->file : "stdin"));
	S_put(r, phys, "artifactLocation", art);
	S_put(r, region, "startLine", json_object_new_int(f->line));
	S_put(r, region, "startColumn", json_object_new_int(f->column));
	S_put(r, phys, "region", region);
	S_put(r, loc, "physicalLocation", phys);
	if (json_object_array_add(locs, loc) != 0) {
		json_object_put(loc);
		r->failed = 1;
	}
	S_put(r, res, "locations", locs);
	if (json_object_array_add(r->results, res) != 0) {
		json_object_put(res);
		r->failed = 1;
	}
}

void
mx_lint_report_add(void *report, const struct mx_finding *f)
{
	struct mx_lint_report *r = report;
	int c = mx_lint_check_find(f->check);

	r->nfindings++;
	if (f->severity <= MX_LINT_ERROR)
		r->by_severity[f->severity]++;
	if (c >= 0)
		r->by_check[c]++;
	if (f->severity == MX_LINT_ERROR && f->file &&
	    (r->last_error_file == NULL ||
	     strcmp(r->last_error_file, f->file) != 0)) {
		/* Findings come file by file: a new name is a new file. */
		free(r->last_error_file);
		r->last_error_file = strdup(f->file);
		r->files_with_errors++;
	}
	switch (r->format) {
	case MX_LINT_HUMAN:
		S_human(r, f);
		break;
	case MX_LINT_JSON:
		S_json(r, f);
		break;
	case MX_LINT_SARIF:
		S_sarif_result(r, f);
		break;
	}
}

/* The rules: one per check, in the order of mx_lint_checks[], so that a
 * result's ruleIndex points at its rule. */
static json_object *
S_sarif_rules(struct mx_lint_report *r)
{
	json_object *rules = json_object_new_array();

	for (int c = 0; rules && c < CHECK_COUNT; c++) {
		json_object *rule = json_object_new_object();
		json_object *desc = json_object_new_object();
		if (rule == NULL || desc == NULL) {
			json_object_put(rule);
			json_object_put(desc);
			r->failed = 1;
			break;
		}
		S_put(r, rule, "id", json_object_new_string(mx_lint_checks[c]));
		S_put(r, desc, "text",
		      json_object_new_string(check_help[c]
		                                     ? check_help[c]
		                                     : mx_lint_checks[c]));
		S_put(r, rule, "shortDescription", desc);
		if (json_object_array_add(rules, rule) != 0) {
			json_object_put(rule);
			r->failed = 1;
		}
	}
	return rules;
}

static int
S_sarif_end(struct mx_lint_report *r)
{
	json_object *log = json_object_new_object();
	json_object *runs = json_object_new_array();
	json_object *run = json_object_new_object();
	json_object *tool = json_object_new_object();
	json_object *driver = json_object_new_object();

	if (!log || !runs || !run || !tool || !driver) {
		json_object_put(log);
		json_object_put(runs);
		json_object_put(run);
		json_object_put(tool);
		json_object_put(driver);
		return -1;
	}
	S_put(r, log, "$schema",
	      json_object_new_string("https://json.schemastore.org/"
	                             "sarif-2.1.0.json"));
	S_put(r, log, "version", json_object_new_string("2.1.0"));
	S_put(r, driver, "name", json_object_new_string("medexport"));
	S_put(r, driver, "version", json_object_new_string(mx_version()));
	S_put(r, driver, "informationUri",
	      json_object_new_string("docs/lint.md"));
	S_put(r, driver, "rules", S_sarif_rules(r));
	S_put(r, tool, "driver", driver);
	S_put(r, run, "tool", tool);
	S_put(r, run, "columnKind",
	      json_object_new_string("unicodeCodePoints"));
	S_put(r, run, "results", r->results);
	r->results = NULL;
	if (json_object_array_add(runs, run) != 0) {
		json_object_put(run);
		r->failed = 1;
	}
	S_put(r, log, "runs", runs);
	if (mx_sink_puts(r->out, json_object_to_json_string_ext(
	                                 log, SARIF_FLAGS)) != 0 ||
	    mx_sink_puts(r->out, "\n") != 0)
		r->failed = 1;
	json_object_put(log);
	return 0;
}

int
mx_lint_report_end(struct mx_lint_report *r)
{
	if (r->format == MX_LINT_JSON &&
	    mx_sink_puts(r->out, r->nfindings ? "\n]\n" : "]\n") != 0)
		r->failed = 1;
	if (r->format == MX_LINT_SARIF && S_sarif_end(r) != 0)
		r->failed = 1;
	return r->failed ? -1 : 0;
}

size_t
mx_lint_report_count(const struct mx_lint_report *r,
                     enum mx_lint_severity severity)
{
	return severity <= MX_LINT_ERROR ? r->by_severity[severity] : 0;
}

int
mx_lint_report_summary(const struct mx_lint_report *r, struct mx_sink *out,
                       size_t files)
{
	char line[256];
	int rc = 0;

	snprintf(line, sizeof(line),
	         "medexport: %zu file%s, %zu finding%s (%zu errors, %zu "
	         "warnings, %zu notes), %zu file%s with errors\n",
	         files, files == 1 ? "" : "s", r->nfindings,
	         r->nfindings == 1 ? "" : "s", r->by_severity[MX_LINT_ERROR],
	         r->by_severity[MX_LINT_WARNING], r->by_severity[MX_LINT_NOTE],
	         r->files_with_errors, r->files_with_errors == 1 ? "" : "s");
	rc |= mx_sink_puts(out, line);
	for (int c = 0; c < CHECK_COUNT; c++) {
		if (r->by_check[c] == 0)
			continue;
		snprintf(line, sizeof(line), "  %-20s %zu\n", mx_lint_checks[c],
		         r->by_check[c]);
		rc |= mx_sink_puts(out, line);
	}
	return rc ? -1 : 0;
}

void
mx_lint_report_free(struct mx_lint_report *r)
{
	if (r == NULL)
		return;
	json_object_put(r->results);
	free(r->last_error_file);
	mx_buf_free(&r->line);
	free(r);
}

int
mx_lint_format_parse(const char *name, enum mx_lint_format *format)
{
	static const char *const names[] = {"human", "json", "sarif"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*format = (enum mx_lint_format)i;
			return 0;
		}
	return -1;
}
