/*
 * backends.c - the table of backends, and the helpers that read their
 * descriptors.  Adding a backend is one file that defines a struct
 * mx_backend and one row here (docs/design.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medexport.h"

/* The first is the default format. */
const struct mx_backend *const mx_backends[] = {
        &mx_backend_txt,
        &mx_backend_xml,
        &mx_backend_pdf,
        &mx_backend_tree,
        &mx_backend_json, /* keeps clang-format to a row a backend */
        NULL,
};

const struct mx_backend *
mx_backend_find(const char *name)
{
	size_t i;

	for (i = 0; mx_backends[i] != NULL; i++)
		if (strcmp(mx_backends[i]->name, name) == 0)
			return mx_backends[i];
	return NULL;
}

void *
mx_backend_block_new(const struct mx_backend *be)
{
	void *block = calloc(1, be->block_size ? be->block_size : 1);

	if (block != NULL && be->block_init != NULL)
		be->block_init(block);
	return block;
}

const struct mx_backend_option *
mx_backend_option_find(const struct mx_backend *be, const char *name)
{
	const struct mx_backend_option *o;

	for (o = be->options; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

int
mx_backend_set_option(const struct mx_backend *be, void *block,
                      const char *name, const char *arg, char *err, size_t size)
{
	const struct mx_backend_option *o = mx_backend_option_find(be, name);

	if (o == NULL) {
		snprintf(err, size, "the %s backend has no option '%s'",
		         be->name, name);
		return -1;
	}
	if ((o->arg == NULL) != (arg == NULL)) {
		snprintf(err, size,
		         o->arg ? "--%s wants a value" : "--%s takes no value",
		         name);
		return -1;
	}
	return o->set(block, arg, err, size);
}
