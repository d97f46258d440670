/*
 * version.c - the versions medexport runs with: its own, and those of the
 * libraries it is linked with, as each library reports itself at run time
 * (not the headers it was built against).  The one place that names every
 * library; none of them is used here for anything else.
 */
/* libharu's public API only: its handles opaque, as outside haru.c. */
#define HPDF_SHARED
#include <fontconfig/fontconfig.h>
#include <hpdf.h>
#include <json-c/json_c_version.h>
#include <libxml/parser.h>
#include <linebreak.h>
#include <stdio.h>
#include <utf8proc.h>
#include <yaml.h>

#include <cmark.h>

#include "medexport.h"

const char *
mx_version(void)
{
	return MX_VERSION;
}

int
mx_library_versions(char *buf, size_t size)
{
	int fc = FcGetVersion();
	int n;

	/* xmlParserVersion is libxml2's run-time version ("21009"). */
	n = snprintf(buf, size,
	             "cmark %s, libxml2 %s, libyaml %s, utf8proc %s, "
	             "libharu %s, fontconfig %d.%d.%d, libunibreak (linebreak "
	             "%d.%d), "
	             "json-c %s",
	             cmark_version_string(), xmlParserVersion,
	             yaml_get_version_string(), utf8proc_version(),
	             HPDF_GetVersion(), fc / 10000, fc / 100 % 100, fc % 100,
	             linebreak_version >> 8, linebreak_version & 0xff,
	             json_c_version());
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
