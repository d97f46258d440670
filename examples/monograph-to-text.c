/*
 * monograph-to-text.c - libmedexport from a program: a monograph from
 * standard input (or a short one built in) to plain text at 40 columns,
 * through the backend table, with options set by name as the command line
 * sets them.
 *
 *   cc monograph-to-text.c $(pkg-config --cflags --libs medexport)
 *   ./a.out < tolperisone.md
 */
#include <medexport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
S_print(void *user, enum mx_severity severity, const char *file, int line,
        const char *message)
{
	(void)user;
	fprintf(stderr, "%s:%d: %s: %s\n", file ? file : "-", line,
	        severity == MX_ERROR ? "error" : "warning", message);
}

static int
S_write(void *user, const void *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

int
main(void)
{
	static const char sample[] =
	        "---\ntitle: Examplamine\n---\n\n### Usage\n\nFor tests.\n";
	struct mx_diag diag = {S_print, NULL};
	struct mx_sink out = {S_write, stdout};
	struct mx_options opts;
	struct mx_document *doc;
	const struct mx_backend *be = mx_backend_find("txt");
	char *data = NULL, err[256];
	size_t len = 0;
	void *block, *state;
	int rc = 1;

	if (isatty(STDIN_FILENO)) {
		doc = mx_document_parse(sample, strlen(sample), "sample.md",
		                        &diag);
	} else if (mx_read_file("-", &data, &len, &diag) == 0) {
		doc = mx_document_parse(data, len, "<stdin>", &diag);
	} else {
		return 1;
	}
	if (doc == NULL || be == NULL)
		return 1;
	mx_options_init(&opts);
	opts.diag = diag;
	block = mx_backend_block_new(be);
	if (block == NULL || mx_backend_set_option(be, block, "width", "40",
	                                           err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", block ? err : "out of memory");
		return 1;
	}
	state = be->create(&opts, block);
	if (state != NULL && be->render(state, doc, &out) == 0)
		rc = 0;
	be->destroy(state);
	mx_document_free(doc);
	free(block);
	free(data);
	printf("(medexport %s)\n", mx_version());
	return rc;
}
