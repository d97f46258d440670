/*
 * capture.h - what the unit tests share: a diagnostics callback that
 * counts errors and warnings and keeps the last message and its line.
 */
#ifndef MX_TEST_CAPTURE_H
#define MX_TEST_CAPTURE_H

#include <stdio.h>

#include "medexport.h"

struct captured {
	int errors, warnings, line;
	char last[512];
};

/* An mx_diag report callback; `user` is a struct captured. */
static inline void
S_capture(void *user, enum mx_severity sev, const char *file, int line,
          const char *msg)
{
	struct captured *c = user;

	(void)file;
	if (sev == MX_ERROR)
		c->errors++;
	else
		c->warnings++;
	c->line = line;
	snprintf(c->last, sizeof(c->last), "%s", msg);
}

#endif
