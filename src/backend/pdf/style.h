/*
 * style.h - the look of a PDF leaflet, read from styles/NAME.yaml.
 *
 * Lengths of the page (size, margins, gutter, bleed) are millimetres as the
 * style writes them; type sizes and leading are points.  Colours are CMYK
 * fractions (0..1) whatever the style's colour model, so that one set of
 * numbers serves print (CMYK) and screen (RGB, converted when drawing).
 */
#ifndef MX_STYLE_H
#define MX_STYLE_H

#include "medexport.h"

/* Text roles, each with its own font, size, leading, spacing and colour. */
enum style_role {
	ROLE_BODY,
	ROLE_TITLE,    /* the document title in the title band */
	ROLE_SUBTITLE, /* the generic name under the title */
	ROLE_H1,       /* top-level sections */
	ROLE_H2,
	ROLE_H3,     /* level 3 and deeper */
	ROLE_HEADER, /* running header and footer */
	ROLE_CODE,
	ROLE_QUESTION, /* an FAQ question */
	ROLE_LABEL,    /* a bold label run into its text ("Headache:") */
	ROLE_COUNT
};

enum style_face { FACE_REGULAR, FACE_BOLD, FACE_ITALIC, FACE_MONO, FACE_COUNT };

struct style_cmyk {
	double c, m, y, k;
};

struct style_text {
	double size;         /* points */
	double leading;      /* baseline to baseline, points */
	double space_before; /* points */
	double space_after;  /* points */
	enum style_face face;
	struct style_cmyk colour;
	double min_leading; /* body: the tightest pagination may set, 0: none */
};

/* The PDF/X conformance a print style declares (print: pdfx). */
enum style_pdfx {
	PDFX_NONE,
	PDFX_1A_2001, /* PDF/X-1a:2001 (ISO 15930-1), PDF 1.3 */
	PDFX_1A_2003, /* PDF/X-1a:2003 (ISO 15930-4), PDF 1.4 */
};

/* A characterized printing condition of the ICC registry, which a PDF/X
 * output intent may name instead of embedding a profile. */
struct style_condition {
	const char *id;        /* OutputConditionIdentifier: "FOGRA39" */
	const char *condition; /* OutputCondition and Info: what it is */
};

/* The registered printing condition `id` (case-insensitive), or NULL when
 * medexport does not know it. */
const struct style_condition *mx_style_condition(const char *id);

/* "PDF/X-1a:2001" (or "x-1a:2001"), "PDF/X-1a:2003", "none": sets *out
 * and returns 0, or returns -1. */
int mx_style_pdfx_parse(const char *s, enum style_pdfx *out);

/* Contents of a running header or footer: three slots, each a template in
 * which {title}, {generic}, {page} and {pages} are replaced. */
struct style_band {
	char *left;
	char *centre;
	char *right;
};

struct style {
	char *name;
	double page_w, page_h; /* trim size in mm, after orientation */
	double margin_top, margin_bottom, margin_inner, margin_outer; /* mm */
	int columns;
	double gutter;     /* mm */
	double bleed;      /* mm */
	int crop_marks;    /* boolean */
	int fold_marks;    /* marks at the middle of each gutter (folds) */
	int cmyk;          /* 1: print (CMYK only), 0: screen (RGB) */
	int justify;       /* 0: ragged right */
	int hyphenate;     /* 0: no hyphenation */
	char *hyphen_dict; /* path of the libhyphen dictionary */
	char *font_family; /* fontconfig family for the fallback fonts */
	char *font_files[FACE_COUNT]; /* explicit files; NULL: build subset */
	struct style_text text[ROLE_COUNT];
	double list_indent; /* hanging indent of list items, points */
	int title_band;     /* coloured band behind the title */
	struct style_cmyk band_colour;
	struct style_cmyk rule_colour;
	double column_rule; /* width of a rule between columns, 0: none */
	struct style_band header, footer;
	double safe_margin; /* mm inside the trim that only bleeds cross */
	double tuck_in;     /* mm a folded sheet's tuck-in panel is narrower */
	double squeeze_space; /* share (0..1) of the spaces between blocks that
	                       * pagination may take back to save a page */
	enum style_pdfx pdfx;
	char *output_condition; /* the output intent's identifier, or NULL */
	char *author; /* the document's author, unless the front matter says */
	/* Justified text narrower than this many ems is set ragged right. */
	double justify_min_measure;
	int justify_lists; /* 0: list items ragged right in justified text */
};

/* The style used when none is named. */
#define STYLE_DEFAULT "leaflet-a4"

/* The file of the style `name_or_path` (NULL: STYLE_DEFAULT): a name is
 * looked up as <datadir>/styles/NAME.yaml; anything with a '/' or ending in
 * ".yaml" or ".yml" is a file.  The caller frees it; NULL when memory ran
 * out. */
char *mx_style_path(const char *name_or_path, const char *datadir);

/* Reads the style `name_or_path`, found as mx_style_path() says.  Returns NULL
 * after reporting an error through `diag`. */
struct style *mx_style_load(const char *name_or_path, const char *datadir,
                            const struct mx_diag *diag);
void mx_style_free(struct style *style);

/* The smallest type size the style uses, in points. */
double mx_style_min_size(const struct style *style);

#endif
