/* xml.c - placeholder until the xml backend lands (owned by its issue). */
#include <stddef.h>

#include "medexport.h"

static void *
S_create(const struct mx_options *opts)
{
	mx_report(&opts->diag, MX_ERROR, NULL, 0, "the xml backend is not built yet");
	return NULL;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *out)
{
	(void)state;
	(void)doc;
	(void)out;
	return -1;
}

static void
S_destroy(void *state)
{
	(void)state;
}

const struct mx_backend mx_backend_xml = {
    "xml", ".xml", S_create, S_render, S_destroy, NULL, NULL, NULL,
};
