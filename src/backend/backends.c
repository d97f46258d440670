/*
 * backends.c - the table of backends.  Adding a backend is one file that
 * defines a struct mx_backend and one row here.
 */
#include <string.h>

#include "medexport.h"

const struct mx_backend *const mx_backends[] = {
        &mx_backend_txt,
        &mx_backend_xml,
        &mx_backend_pdf,
        &mx_backend_tree,
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
