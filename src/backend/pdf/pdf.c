/*
 * pdf.c - the PDF backend: print-ready leaflets with libharu.
 *
 * layout.c decides where every glyph goes; this file turns that into PDF
 * with libharu 2.3.0, working around what that version gets wrong (see
 * ../shared/docs/LIBHARU-2.3.md):
 *
 * - Text is written as raw content-stream operators with our own character
 *   codes: each document numbers the characters it uses per font (CID 1, 2,
 *   ...), so libharu's per-document font objects (widths, CIDToGIDMap) cover
 *   only those characters and HPDF_GetFont does not scan all 65,536 code
 *   points.  We mark the glyphs used ourselves, composite parts included.
 * - The /ToUnicode CMap libharu writes is an encoding CMap; we replace its
 *   contents with a bfchar map from our codes to Unicode (UTF-16, so
 *   characters beyond the BMP would extract too).
 * - Output is deterministic: our own trailer /ID (an MD5 of the input and
 *   the style) and dates from SOURCE_DATE_EPOCH or a fixed value.
 * - TrimBox and BleedBox are added through the dictionary API with exact
 *   values; crop marks are drawn outside the bleed.
 *
 * What needs libharu's private structures (raw content streams, the
 * encoder's maps, the font dictionaries' streams, page boxes, the trailer)
 * is done by haru.c; this file uses libharu's public API and haru.h only.
 *
 * libharu reports errors to a handler that records them; every step checks
 * the record, and a document with an error is reported and discarded.
 */
/* libharu's public API only: its handles are opaque (see haru.h). */
#define HPDF_SHARED
#include <hpdf.h>
#include <hyphen.h>
#include <linebreak.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/pdf/layout.h"
#include "medexport.h"
#include "backend/pdf/font.h"
#include "backend/pdf/haru.h"
#include "core/private.h"
#include "core/support.h"
#include "backend/pdf/style.h"
#include "backend/pdf/unprintable.h"
#include "backend/pdf/tag.h"

#define MM             (72.0 / 25.4)
#define CROP_OFFSET_MM 3.0 /* crop marks start this far beyond the bleed */
#define CROP_LENGTH_MM 6.0

/* The characters one document uses in one font, numbered from 1. */
struct slot_codes {
	uint16_t *cid_of; /* BMP code point -> CID, 0 when unused */
	uint32_t *cps;    /* the characters, in order of appearance */
	uint16_t *codes;  /* their codes (which are also their CIDs) */
	size_t n, cap;
	int one_byte; /* one-byte codes (else two) */
	unsigned max_code;
	HPDF_Font font;
	int on_page; /* last page that registered the font */
	char name[32];
};

struct pdf_state {
	struct mx_diag diag;
	struct style *style;
	HPDF_Doc pdf;
	HPDF_Encoder encoder;
	struct pdf_fonts *fonts;
	HyphenDict *hyphen;
	struct layout lay;
	struct pdf_tags *tags;
	struct slot_codes codes[PDF_FONT_SLOTS];
	struct mx_buf content;
	struct mx_buf saved; /* the document on its way out (S_write_out()) */
	HPDF_STATUS error, detail; /* first libharu error since the reset */
	time_t date;
	double slug; /* mm added around the trim on each side */
};

static void
S_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct pdf_state *st = user;

	if (st->error == 0) {
		st->error = error_no;
		st->detail = detail_no;
	}
}

static pthread_once_t linebreak_once = PTHREAD_ONCE_INIT;

static void
S_init_linebreak(void)
{
	init_linebreak();
}

static void S_destroy(void *state);

/* Without a source date, a fixed date, so that output never depends on
 * the clock. */
/* HPDF_ARRAY_COUNT_ERR of libharu's hpdf_error.h: an array of more than
 * 8191 entries. */
#define PDF_ARRAY_COUNT_ERR 0x1001

#define PDF_DEFAULT_DATE ((time_t)946684800) /* 2000-01-01T00:00:00Z */

/* The backend's options: --style, --bleed, --crop-marks, --pdfx. */
struct pdf_options {
	const char *style; /* name or file; NULL: STYLE_DEFAULT */
	double bleed_mm;   /* < 0: the style's */
	int crop_marks;    /* < 0: the style's */
	int pdfx;          /* < 0: the style's; else enum style_pdfx */
};

#define PDF_MAX_BLEED_MM 20.0

static void
S_block_init(void *block)
{
	struct pdf_options *o = block;

	o->style = NULL;
	o->bleed_mm = -1;
	o->crop_marks = -1;
	o->pdfx = -1;
}

static int
S_set_style(void *block, const char *arg, char *err, size_t size)
{
	if (*arg == '\0') {
		snprintf(err, size, "--style wants a style name or file");
		return -1;
	}
	((struct pdf_options *)block)->style = arg;
	return 0;
}

static int
S_set_bleed(void *block, const char *arg, char *err, size_t size)
{
	char *end;
	double mm = strtod(arg, &end);

	if (end == arg || *end != '\0' ||
	    !(mm >= 0 && mm <= PDF_MAX_BLEED_MM)) {
		snprintf(err, size,
		         "--bleed wants millimetres from 0 to %g, not '%s'",
		         PDF_MAX_BLEED_MM, arg);
		return -1;
	}
	((struct pdf_options *)block)->bleed_mm = mm;
	return 0;
}

static int
S_set_crop_marks(void *block, const char *arg, char *err, size_t size)
{
	(void)arg;
	(void)err;
	(void)size;
	((struct pdf_options *)block)->crop_marks = 1;
	return 0;
}

static int
S_set_pdfx(void *block, const char *arg, char *err, size_t size)
{
	enum style_pdfx pdfx;

	if (mx_style_pdfx_parse(arg, &pdfx) != 0) {
		snprintf(err, size,
		         "--pdfx wants PDF/X-1a:2001, PDF/X-1a:2003 or none, "
		         "not '%s'",
		         arg);
		return -1;
	}
	((struct pdf_options *)block)->pdfx = (int)pdfx;
	return 0;
}

static const struct mx_backend_option S_options[] = {
        {.name = "style",
         .arg = "NAME|FILE",
         .help = "the leaflet's style (default " STYLE_DEFAULT ")",
         .set = S_set_style},
        {.name = "bleed",
         .arg = "MM",
         .help = "bleed in millimetres, instead of the style's",
         .set = S_set_bleed},
        {.name = "crop-marks",
         .help = "crop marks, whatever the style says",
         .set = S_set_crop_marks},
        {.name = "pdfx",
         .arg = "VERSION",
         .help = "PDF/X-1a:2001, PDF/X-1a:2003, or none (links can be "
                 "clicked)",
         .set = S_set_pdfx},
        {.name = NULL},
};

/* --update: a leaflet is stale when its style changed. */
static char *
S_depends_on(const struct mx_options *opts, const void *block)
{
	const struct pdf_options *o = block;

	return mx_style_path(o->style,
	                     opts->datadir ? opts->datadir : MX_DATADIR);
}

static void *
S_create(const struct mx_options *opts, const void *block)
{
	const struct pdf_options *o = block;
	struct pdf_state *st = calloc(1, sizeof(*st));
	const char *datadir = opts->datadir ? opts->datadir : MX_DATADIR;
	char builddir[4096];
	const struct style_text *body;

	if (st == NULL) {
		mx_report(&opts->diag, MX_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	st->diag = opts->diag;
	pthread_once(&linebreak_once, S_init_linebreak);
	st->style = mx_style_load(o->style, datadir, &st->diag);
	if (st->style == NULL)
		goto fail;
	if (o->bleed_mm >= 0)
		st->style->bleed = o->bleed_mm;
	if (o->crop_marks >= 0)
		st->style->crop_marks = o->crop_marks != 0;
	if (o->pdfx >= 0)
		st->style->pdfx = (enum style_pdfx)o->pdfx;
	if (st->style->pdfx != PDFX_NONE &&
	    (!st->style->cmyk || st->style->output_condition == NULL)) {
		mx_report(&st->diag, MX_ERROR, st->style->name, 0,
		          "--pdfx: PDF/X-1a needs a CMYK style that names its "
		          "printing condition (print: output-condition)");
		goto fail;
	}
	body = &st->style->text[ROLE_BODY];
	if (body->size < 9)
		mx_report(&st->diag, MX_WARNING, st->style->name, 0,
		          "body text of %g pt is under the 9 pt that "
		          "readability guidelines ask for",
		          body->size);
	if (body->leading < 3 * MM - 0.005)
		mx_report(&st->diag, MX_WARNING, st->style->name, 0,
		          "line spacing of %.2f mm is under the 3 mm that "
		          "readability guidelines ask for",
		          body->leading / MM);
	st->slug = st->style->bleed;
	if (st->style->crop_marks)
		st->slug = st->style->bleed + CROP_OFFSET_MM + CROP_LENGTH_MM +
		           1.0;
	st->date = opts->source_date >= 0 ? (time_t)opts->source_date
	                                  : PDF_DEFAULT_DATE;

	st->pdf = HPDF_New(S_hpdf_error, st);
	if (st->pdf == NULL || HPDF_UseUTFEncodings(st->pdf) != HPDF_OK ||
	    (st->encoder = HPDF_GetEncoder(st->pdf, "UTF-8")) == NULL) {
		mx_report(&st->diag, MX_ERROR, NULL, 0,
		          "libharu failed to start (error 0x%04lX)",
		          (unsigned long)st->error);
		goto fail;
	}
	/* Nothing is mapped until a document maps its own characters. */
	mx_haru_encoder_clear_cid_map(st->encoder);
	/* The subset fonts: DATADIR/fonts/ when installed, DATADIR/build/fonts/
	 * in the clone they were built in. */
	snprintf(builddir, sizeof(builddir), "%s/fonts/DejaVuSans.ttf",
	         datadir);
	if (access(builddir, R_OK) == 0)
		snprintf(builddir, sizeof(builddir), "%s", datadir);
	else
		snprintf(builddir, sizeof(builddir), "%s/build", datadir);
	st->fonts = mx_pdf_fonts_new(st->pdf, st->style, builddir, &st->diag);
	if (st->fonts == NULL)
		goto fail;
	if (st->style->hyphenate) {
		st->hyphen = hnj_hyphen_load(st->style->hyphen_dict);
		if (st->hyphen == NULL)
			mx_report(&st->diag, MX_WARNING, st->style->hyphen_dict,
			          0,
			          "cannot load the hyphenation dictionary; "
			          "words will not be hyphenated");
	}
	if (mx_layout_init(&st->lay, st->style, st->fonts, st->hyphen,
	                   &st->diag) != 0 ||
	    (st->tags = mx_pdf_tags_new()) == NULL) {
		mx_report(&st->diag, MX_ERROR, NULL, 0, "out of memory");
		goto fail;
	}
	st->error = 0;
	return st;
fail:
	S_destroy(st);
	return NULL;
}

static void
S_destroy(void *state)
{
	struct pdf_state *st = state;
	int i;

	if (st == NULL)
		return;
	mx_layout_free(&st->lay);
	mx_pdf_tags_free(st->tags);
	mx_pdf_fonts_free(st->fonts);
	if (st->pdf)
		HPDF_Free(st->pdf);
	if (st->hyphen)
		hnj_hyphen_free(st->hyphen);
	for (i = 0; i < PDF_FONT_SLOTS; i++) {
		free(st->codes[i].cid_of);
		free(st->codes[i].cps);
		free(st->codes[i].codes);
	}
	mx_buf_free(&st->content);
	mx_buf_free(&st->saved);
	mx_style_free(st->style);
	free(st);
}

/* ------------------------------------------------------------------ */
/* Content-stream output */

/* Numbers with up to three decimals, independent of the C locale (and
 * without printf, which is a noticeable part of the time per page). */
static int
S_num(struct mx_buf *b, double v)
{
	char tmp[32], *p = tmp + sizeof(tmp);
	long long milli;
	int neg = v < 0, frac, digits = 3;

	milli = (long long)((neg ? -v : v) * 1000.0 + 0.5);
	frac = (int)(milli % 1000);
	milli /= 1000;
	*--p = ' ';
	if (frac != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		while (digits-- > 0) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + milli % 10);
		milli /= 10;
	} while (milli > 0);
	if (neg && (p[0] != '0' || p[1] != ' '))
		*--p = '-';
	return mx_buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int
S_colour(struct pdf_state *st, struct mx_buf *b, const struct style_cmyk *c,
         int stroke)
{
	if (st->style->cmyk) {
		S_num(b, c->c);
		S_num(b, c->m);
		S_num(b, c->y);
		S_num(b, c->k);
		return mx_buf_puts(b, stroke ? "K\n" : "k\n");
	}
	S_num(b, (1 - c->c) * (1 - c->k));
	S_num(b, (1 - c->m) * (1 - c->k));
	S_num(b, (1 - c->y) * (1 - c->k));
	return mx_buf_puts(b, stroke ? "RG\n" : "rg\n");
}

static int
S_hex4(struct mx_buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[4];

	t[0] = hex[(v >> 12) & 15];
	t[1] = hex[(v >> 8) & 15];
	t[2] = hex[(v >> 4) & 15];
	t[3] = hex[v & 15];
	return mx_buf_put(b, t, 4);
}

/* ------------------------------------------------------------------ */
/* Per-document character codes */

/* Collects the characters a document draws in `slot` and marks their
 * glyphs as used. */
static int
S_collect(struct pdf_state *st, int slot, uint32_t cp)
{
	struct slot_codes *c = &st->codes[slot];

	if (c->cid_of == NULL) {
		c->cid_of = calloc(65536, sizeof(*c->cid_of));
		if (c->cid_of == NULL)
			return -1;
	}
	if (cp > 0xFFFF)
		return -1;
	if (c->cid_of[cp] != 0)
		return 0;
	if (c->n + 2 >= 0xFE00)
		return -1;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 128;
		uint32_t *p = realloc(c->cps, cap * sizeof(*p));
		uint16_t *q = realloc(c->codes, cap * sizeof(*q));
		if (p != NULL)
			c->cps = p;
		if (q != NULL)
			c->codes = q;
		if (p == NULL || q == NULL)
			return -1;
		c->cap = cap;
	}
	c->cps[c->n++] = cp;
	c->cid_of[cp] = (uint16_t)c->n;
	mx_pdf_fonts_mark_used(st->fonts, slot, cp);
	return 0;
}

/* A byte code that can stand unescaped in a literal string: not a
 * parenthesis, backslash or line end (readers normalise those). */
static int
S_plain_byte(unsigned b)
{
	return b != 0 && b != '\n' && b != '\r' && b != '(' && b != ')' &&
	       b != '\\' && b != ' ';
}

/* Chooses the codes: one byte per character when the font draws at most
 * 249 different characters in this document (the space is code 32, the
 * rest avoid bytes that need escaping), which makes content streams a
 * third of the size; two bytes otherwise.  The code is also the CID. */
static void
S_assign_codes(struct pdf_state *st, int slot)
{
	struct slot_codes *c = &st->codes[slot];
	size_t k, others = 0;
	unsigned next = 1;

	for (k = 0; k < c->n; k++)
		if (c->cps[k] != ' ')
			others++;
	c->one_byte = others <= 249;
	c->max_code = 0;
	for (k = 0; k < c->n; k++) {
		unsigned code;
		if (!c->one_byte) {
			code = (unsigned)(k + 1);
		} else if (c->cps[k] == ' ') {
			code = ' ';
		} else {
			while (!S_plain_byte(next))
				next++;
			code = next++;
		}
		c->codes[k] = (uint16_t)code;
		c->cid_of[c->cps[k]] = (uint16_t)code;
		if (code > c->max_code)
			c->max_code = code;
	}
}

static void
S_codes_reset(struct pdf_state *st)
{
	int s;
	size_t i;

	for (s = 0; s < PDF_FONT_SLOTS; s++) {
		struct slot_codes *c = &st->codes[s];
		for (i = 0; i < c->n; i++)
			c->cid_of[c->cps[i]] = 0;
		c->n = 0;
		c->font = NULL;
		c->on_page = -1;
	}
}

/* Makes libharu's font object for `slot` cover exactly the document's
 * characters. */
static int
S_make_font(struct pdf_state *st, int slot)
{
	struct slot_codes *c = &st->codes[slot];

	c->font = mx_haru_font_for_codes(st->pdf, st->encoder,
	                                 mx_pdf_fonts_name(st->fonts, slot),
	                                 c->codes, c->cps, c->n, c->max_code);
	return c->font != NULL && st->error == 0 ? 0 : -1;
}

/* For one-byte codes the font's /Encoding becomes an embedded CMap that
 * maps each byte to the CID of the same number. */
static int
S_one_byte_encoding(struct pdf_state *st, int slot)
{
	static const char cmap[] =
	        "/CIDInit /ProcSet findresource begin\n"
	        "12 dict begin\nbegincmap\n"
	        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
	        "/Supplement 0 >> def\n"
	        "/CMapName /MX-OneByte def\n/CMapType 1 def\n"
	        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
	        "1 begincidrange\n<00> <FF> 0\nendcidrange\n"
	        "endcmap\nCMapName currentdict /CMap defineresource pop\n"
	        "end\nend\n";
	struct slot_codes *c = &st->codes[slot];

	if (!c->one_byte)
		return 0;
	return mx_haru_font_set_encoding_cmap(st->pdf, c->font, "MX-OneByte",
	                                      cmap, sizeof(cmap) - 1);
}

/* Replaces libharu's /ToUnicode stream (an encoding CMap that strict
 * readers reject) with a bfchar map from our codes to UTF-16. */
static int
S_fix_tounicode(struct pdf_state *st, int slot)
{
	struct slot_codes *c = &st->codes[slot];
	HPDF_Stream tu;
	struct mx_buf *b = &st->content;
	size_t i, j;
	static const char hex[] = "0123456789ABCDEF";

	tu = mx_haru_font_tounicode(st->pdf, c->font);
	if (tu == NULL) {
		st->error = 0;
		return 0; /* nothing to fix */
	}
	b->len = 0;
	mx_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
	               "12 dict begin\nbegincmap\n"
	               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	               "/Supplement 0 >> def\n"
	               "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	               "1 begincodespacerange\n");
	mx_buf_puts(b, c->one_byte ? "<00> <FF>\n" : "<0000> <FFFF>\n");
	mx_buf_puts(b, "endcodespacerange\n");
	for (i = 0; i < c->n; i += 100) {
		size_t n = c->n - i < 100 ? c->n - i : 100;
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%zu beginbfchar\n", n);
		mx_buf_puts(b, tmp);
		for (j = i; j < i + n; j++) {
			uint32_t cp = mx_pdf_fonts_unicode(st->fonts, slot,
			                                   c->cps[j]);
			unsigned code = c->codes[j];
			mx_buf_putc(b, '<');
			if (c->one_byte) {
				mx_buf_putc(b, hex[code >> 4]);
				mx_buf_putc(b, hex[code & 15]);
			} else {
				S_hex4(b, code);
			}
			mx_buf_puts(b, "> <");
			if (cp > 0xFFFF) {
				cp -= 0x10000;
				S_hex4(b, 0xD800 + (cp >> 10));
				S_hex4(b, 0xDC00 + (cp & 0x3FF));
			} else {
				S_hex4(b, cp);
			}
			mx_buf_puts(b, ">\n");
		}
		mx_buf_puts(b, "endbfchar\n");
	}
	if (mx_buf_puts(b, "endcmap\nCMapName currentdict /CMap "
	                   "defineresource pop\nend\nend\n") != 0)
		return -1;
	return mx_haru_stream_replace(tu, b->data, b->len);
}

/* ------------------------------------------------------------------ */
/* Pages */

/* A path of one straight segment, "x0 y0 m x1 y1 l ", not yet stroked. */
static void
S_segment(struct mx_buf *b, double x0, double y0, double x1, double y1)
{
	S_num(b, x0);
	S_num(b, y0);
	mx_buf_puts(b, "m ");
	S_num(b, x1);
	S_num(b, y1);
	mx_buf_puts(b, "l ");
}

static void
S_crop_marks(struct pdf_state *st, struct mx_buf *b, double w, double h,
             int pageno)
{
	double s = st->slug * MM;
	double off = (st->style->bleed + CROP_OFFSET_MM) * MM;
	double len = CROP_LENGTH_MM * MM;
	double xs[2] = {s, s + w}, ys[2] = {s, s + h};
	int i, j;

	if (st->style->cmyk)
		mx_buf_puts(b, "q 0.25 w 1 1 1 1 K\n");
	else
		mx_buf_puts(b, "q 0.25 w 0 G\n");
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			double x = xs[i], y = ys[j];
			double dx = i == 0 ? -1 : 1, dy = j == 0 ? -1 : 1;
			/* Horizontal mark on the trim line y. */
			S_segment(b, x + dx * off, y, x + dx * (off + len), y);
			mx_buf_puts(b, "S\n");
			/* Vertical mark on the trim line x. */
			S_segment(b, x, y + dy * off, x, y + dy * (off + len));
			mx_buf_puts(b, "S\n");
		}
	}
	if (st->style->fold_marks && st->style->columns > 1) {
		/* Dashed marks in line with the folds, above and below. */
		double folds[8];
		int c, n = mx_layout_folds(st->style, pageno, folds, 8);
		mx_buf_puts(b, "[2 2] 0 d\n");
		for (c = 0; c < n; c++) {
			double x = s + folds[c];
			for (j = 0; j < 2; j++) {
				double y = ys[j], dy = j == 0 ? -1 : 1;
				S_segment(b, x, y + dy * off, x,
				          y + dy * (off + len));
				mx_buf_puts(b, "S\n");
			}
		}
	}
	mx_buf_puts(b, "Q\n");
}

static int
S_rects(struct pdf_state *st, struct mx_buf *b, int page, double w, double h)
{
	const struct layout *lay = &st->lay;
	double s = st->slug * MM, bl = st->style->bleed * MM;
	size_t k;

	/* The page's own rectangles (layout.h's index), in document order. */
	for (k = lay->page_rect0[page]; k < lay->page_rect0[page + 1]; k++) {
		const struct lay_rect *r = &lay->rects[lay->page_rects[k]];
		double x0 = r->x, y0 = r->y, x1 = r->x + r->w, y1 = r->y + r->h;
		if (r->page != page)
			continue;
		mx_buf_puts(b, "q ");
		if (r->stroke > 0) {
			S_num(b, r->stroke);
			mx_buf_puts(b, "w ");
			S_colour(st, b, r->colour, 1);
			S_segment(b, s + x0, s + y0, s + x1, s + y1);
			mx_buf_puts(b, "S Q\n");
			continue;
		}
		/* Fills that touch the trim edge run on into the bleed. */
		if (x0 <= 0.01)
			x0 -= bl;
		if (y0 <= 0.01)
			y0 -= bl;
		if (x1 >= w - 0.01)
			x1 += bl;
		if (y1 >= h - 0.01)
			y1 += bl;
		S_colour(st, b, r->colour, 0);
		S_num(b, s + x0);
		S_num(b, s + y0);
		S_num(b, x1 - x0);
		S_num(b, y1 - y0);
		mx_buf_puts(b, "re f Q\n");
	}
	return 0;
}

/* The glyphs of run `r` as a string (Tj) or, when its spaces are
 * widened, an array (TJ); with the tagging's flags (tag.h): a space at
 * the end, or the typesetter's hyphen as U+00AD. */
static int
S_run_string(struct pdf_state *st, struct mx_buf *b, const struct lay_run *r,
             int flags)
{
	const struct layout *lay = &st->lay;
	struct slot_codes *c = &st->codes[r->slot];
	const char *open_ = c->one_byte ? "(" : "<";
	const char *close_ = c->one_byte ? ")" : ">";
	size_t g, last = r->first + r->count - 1;

	if (r->space_extra != 0)
		mx_buf_putc(b, '[');
	mx_buf_puts(b, open_);
	for (g = r->first; g <= last; g++) {
		uint32_t cp = lay->glyphs[g];
		if (g == last && (flags & TAG_SOFT_HYPHEN) && c->cid_of[0xAD])
			cp = 0xAD;
		/* A byte a glyph, straight into the buffer: the most
		 * frequent write of all. */
		if (!c->one_byte)
			S_hex4(b, c->cid_of[cp]);
		else if (b->len + 2 <= b->cap || mx_buf_grow(b, 1) == 0)
			b->data[b->len++] = (char)c->cid_of[cp];
		else
			return -1;
		if (cp == ' ' && r->space_extra != 0 && g < last) {
			mx_buf_puts(b, close_);
			S_num(b, -r->space_extra * 1000.0 / r->size);
			mx_buf_puts(b, open_);
		}
	}
	if ((flags & TAG_SPACE_AFTER) && c->cid_of[' ']) {
		if (c->one_byte)
			mx_buf_putc(b, (char)c->cid_of[' ']);
		else
			S_hex4(b, c->cid_of[' ']);
	}
	mx_buf_puts(b, close_);
	return mx_buf_puts(b, r->space_extra != 0 ? "] TJ\n" : " Tj\n");
}

/* Opens the marked-content sequence of a run: the element's (its
 * structure type and MCID), or an artifact's (tag NULL).  *open is the
 * MCID of the open one, -1 for an artifact, -2 for none. */
static void
S_marked(struct mx_buf *b, const char *tag, int mcid, int *open)
{
	int want = tag != NULL ? mcid : -1;
	char num[16];

	if (*open == want)
		return;
	if (*open != -2)
		mx_buf_puts(b, "EMC\n");
	if (tag == NULL) {
		mx_buf_puts(b, "/Artifact BMC\n");
	} else {
		mx_buf_putc(b, '/');
		mx_buf_puts(b, tag);
		snprintf(num, sizeof(num), "%d", mcid);
		mx_buf_puts(b, " <</MCID ");
		mx_buf_puts(b, num);
		mx_buf_puts(b, ">> BDC\n");
	}
	*open = want;
}

static int
S_text(struct pdf_state *st, struct mx_buf *b, HPDF_Page page, int pageno)
{
	const struct layout *lay = &st->lay;
	double s = st->slug * MM;
	const struct style_cmyk *colour = NULL;
	int slot = -1, open = 0, marked = -2, mcid, flags;
	double size = 0;
	double tc = 0; /* character spacing in force */

	/* The page's own runs (layout.h's index), in document order: looking
	 * at every run of the document for every page was quadratic. */
	for (size_t k = lay->page_run0[pageno]; k < lay->page_run0[pageno + 1];
	     k++) {
		size_t ri = lay->page_runs[k];
		const struct lay_run *r = &lay->runs[ri];
		struct slot_codes *c = &st->codes[r->slot];
		const char *tag;
		if (r->page != pageno || r->count == 0)
			continue;
		if (!open) {
			mx_buf_puts(b, "BT\n");
			open = 1;
		}
		tag = mx_pdf_tags_run(st->tags, ri, &mcid, &flags);
		S_marked(b, tag, mcid, &marked);
		if (c->on_page != pageno) {
			/* Registers the font in the page's resources. */
			const char *local;
			if (HPDF_Page_SetFontAndSize(page, c->font,
			                             (HPDF_REAL)r->size) !=
			    HPDF_OK)
				return -1;
			local = mx_haru_page_font_name(page, c->font);
			if (local == NULL)
				return -1;
			snprintf(c->name, sizeof(c->name), "%s", local);
			c->on_page = pageno;
		}
		if (r->slot != slot || r->size != size) {
			mx_buf_putc(b, '/');
			mx_buf_puts(b, c->name);
			mx_buf_putc(b, ' ');
			S_num(b, r->size);
			mx_buf_puts(b, "Tf\n");
			slot = r->slot;
			size = r->size;
		}
		if (r->tracking != tc) {
			S_num(b, r->tracking);
			mx_buf_puts(b, "Tc\n");
			tc = r->tracking;
		}
		if (r->colour != colour) {
			S_colour(st, b, r->colour, 0);
			colour = r->colour;
		}
		mx_buf_puts(b, "1 0 0 1 ");
		S_num(b, s + r->x);
		S_num(b, s + r->y);
		mx_buf_puts(b, "Tm ");
		if (S_run_string(st, b, r, flags))
			return -1;
	}
	if (marked != -2)
		mx_buf_puts(b, "EMC\n");
	if (open)
		mx_buf_puts(b, "ET\n");
	return 0;
}

static int
S_page(struct pdf_state *st, int pageno, HPDF_Page *out)
{
	const struct style *sty = st->style;
	double w = sty->page_w * MM, h = sty->page_h * MM;
	double s = st->slug * MM, bl = sty->bleed * MM;
	HPDF_Page page = HPDF_AddPage(st->pdf);
	struct mx_buf *b = &st->content;
	size_t art;

	b->len = 0;
	if (page == NULL)
		return -1;
	*out = page;
	HPDF_Page_SetWidth(page, (HPDF_REAL)(w + 2 * s));
	HPDF_Page_SetHeight(page, (HPDF_REAL)(h + 2 * s));
	if (mx_haru_page_add_box(st->pdf, page, "TrimBox", s, s, s + w,
	                         s + h) ||
	    mx_haru_page_add_box(st->pdf, page, "BleedBox", s - bl, s - bl,
	                         s + w + bl, s + h + bl))
		return -1;
	/* Bands, rules and printer's marks are artifacts. */
	mx_buf_puts(b, "/Artifact BMC\n");
	art = b->len;
	S_rects(st, b, pageno, w, h);
	if (sty->crop_marks)
		S_crop_marks(st, b, w, h, pageno);
	if (b->len == art)
		b->len = 0;
	else
		mx_buf_puts(b, "EMC\n");
	if (S_text(st, b, page, pageno))
		return -1;
	if (b->len > 0 &&
	    mx_haru_page_write_content(page, b->data, b->len) != 0)
		return -1;
	return st->error == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Document */

static void
S_info(struct pdf_state *st, const struct mx_document *doc)
{
	HPDF_Date d;
	struct tm tm;
	time_t t = st->date;
	char keywords[512];
	const char *author;
	size_t i;

	gmtime_r(&t, &tm);
	memset(&d, 0, sizeof(d));
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(st->pdf, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(st->pdf, HPDF_INFO_MOD_DATE, d);
	HPDF_SetInfoAttr(st->pdf, HPDF_INFO_TITLE,
	                 doc->title ? doc->title : doc->id);
	if (doc->generic_name)
		HPDF_SetInfoAttr(st->pdf, HPDF_INFO_SUBJECT, doc->generic_name);
	snprintf(keywords, sizeof(keywords), "%s", "package leaflet");
	for (i = 0; i < doc->meta_count; i++)
		if (!doc->meta[i].repeated &&
		    (strcmp(doc->meta[i].key, "keywords") == 0 ||
		     strcmp(doc->meta[i].key, "tags") == 0))
			snprintf(keywords, sizeof(keywords), "%s",
			         doc->meta[i].value);
	HPDF_SetInfoAttr(st->pdf, HPDF_INFO_KEYWORDS, keywords);
	author = mx_document_meta(doc, "author");
	if (author == NULL || author[0] == '\0')
		author = st->style->author;
	if (author != NULL)
		HPDF_SetInfoAttr(st->pdf, HPDF_INFO_AUTHOR, author);
	HPDF_SetInfoAttr(st->pdf, HPDF_INFO_CREATOR, "medexport " MX_VERSION);
	HPDF_SetInfoAttr(st->pdf, HPDF_INFO_PRODUCER,
	                 "medexport " MX_VERSION " with libharu 2.3.0");
}

/* PDF/X-1a's output intent: the printing condition the CMYK values are
 * meant for, by its name in the ICC's registry (no profile embedded). */
static int
S_output_intent(struct pdf_state *st)
{
	const char *id = st->style->output_condition;
	const struct style_condition *known = mx_style_condition(id);
	const char *what = known ? known->condition : id;
	void *intents = mx_haru_array_new(st->pdf);
	void *oi = mx_haru_dict_new(st->pdf, 0);

	return intents == NULL || oi == NULL ||
	       mx_haru_put_obj(mx_haru_catalog(st->pdf), "OutputIntents",
	                       intents) ||
	       mx_haru_put_obj(intents, NULL, oi) ||
	       mx_haru_put_name(oi, "Type", "OutputIntent") ||
	       mx_haru_put_name(oi, "S", "GTS_PDFX") ||
	       mx_haru_put_string(oi, "OutputConditionIdentifier",
	                          known ? known->id : id) ||
	       mx_haru_put_string(oi, "OutputCondition", what) ||
	       mx_haru_put_string(oi, "Info", what) ||
	       mx_haru_put_string(oi, "RegistryName", "http://www.color.org");
}

/* What the catalog says besides the pages: the logical structure and the
 * language (tagged PDF), the bookmarks open, the title in the window;
 * for PDF/X, the output intent, the version keys and the header's
 * version: PDF/X-1a:2001 is PDF 1.3, PDF/X-1a:2003 and tagged PDF
 * without PDF/X 1.4. */
static int
S_catalog(struct pdf_state *st, const struct mx_document *doc, HPDF_Page *pages)
{
	void *prefs = mx_haru_dict_new(st->pdf, 0);
	void *info = mx_haru_info(st->pdf);
	enum style_pdfx pdfx = st->style->pdfx;
	size_t i;

	if (mx_pdf_tags_write(st->tags, st->pdf, pages, st->lay.pages,
	                      mx_document_lang(doc), st->slug * MM))
		return -1;
	for (i = 0; i < st->lay.nmarks; i++)
		if (st->lay.marks[i].page >= 0) {
			HPDF_SetPageMode(st->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
			break;
		}
	if (prefs == NULL ||
	    mx_haru_put_obj(mx_haru_catalog(st->pdf), "ViewerPreferences",
	                    prefs) ||
	    mx_haru_put_bool(prefs, "DisplayDocTitle", 1))
		return -1;
	mx_haru_doc_set_version(st->pdf, pdfx == PDFX_1A_2001 ? 3 : 4);
	if (pdfx == PDFX_NONE)
		return 0;
	if (info == NULL || S_output_intent(st) ||
	    HPDF_SetInfoAttr(st->pdf, HPDF_INFO_TRAPPED, "False") != HPDF_OK)
		return -1;
	return mx_haru_put_string(info, "GTS_PDFXVersion",
	                          pdfx == PDFX_1A_2001 ? "PDF/X-1:2001"
	                                               : "PDF/X-1:2003") ||
	       mx_haru_put_string(info, "GTS_PDFXConformance",
	                          pdfx == PDFX_1A_2001 ? "PDF/X-1a:2001"
	                                               : "PDF/X-1a:2003");
}

/* Our trailer /ID: the same input and style give the same bytes. */
static int
S_trailer_id(struct pdf_state *st, const struct mx_document *doc)
{
	struct mx_bytes parts[3];
	unsigned char digest[MX_MD5_SIZE];

	parts[0].data = st->style->name;
	parts[0].len = strlen(st->style->name);
	parts[1].data = doc->id;
	parts[1].len = strlen(doc->id);
	parts[2].data = st->lay.glyphs;
	parts[2].len = st->lay.nglyphs * sizeof(uint32_t);
	mx_md5(parts, 3, digest);
	return mx_haru_doc_set_id(st->pdf, digest);
}

static int
S_outlines(struct pdf_state *st, HPDF_Page *pages)
{
	HPDF_Outline parents[8];
	const struct layout *lay = &st->lay;
	size_t i;
	int depth = 0, l;

	for (i = 0; i < lay->nmarks; i++) {
		const struct lay_mark *m = &lay->marks[i];
		HPDF_Outline o;
		HPDF_Destination dst;
		int level = m->level < 1 ? 1 : m->level > 8 ? 8 : m->level;
		if (m->page < 0 || m->page >= lay->pages)
			continue;
		if (level > depth + 1)
			level = depth + 1;
		o = HPDF_CreateOutline(st->pdf,
		                       level == 1 ? NULL : parents[level - 2],
		                       m->title, st->encoder);
		if (o == NULL)
			return -1;
		dst = HPDF_Page_CreateDestination(pages[m->page]);
		if (dst == NULL)
			return -1;
		HPDF_Destination_SetFitH(dst,
		                         (HPDF_REAL)(st->slug * MM + m->y));
		HPDF_Outline_SetDestination(o, dst);
		parents[level - 1] = o;
		depth = level;
		for (l = level; l < 8; l++)
			parents[l] = NULL;
	}
	return st->error == 0 ? 0 : -1;
}

/* The saved document goes out in pieces of this many bytes: libharu
 * writes a few bytes at a time, and each write to a file is a system
 * call. */
#define OUT_PIECE 65536

struct pdf_out {
	struct mx_buf *buf;
	struct mx_sink *sink;
};

static int
S_put(void *user, const void *data, size_t len)
{
	struct pdf_out *o = user;
	struct mx_buf *b = o->buf;
	int rc = 0;

	if (len == 0)
		return 0;
	/* Nearly every write is a few bytes into the room there is. */
	if (len > b->cap - b->len && mx_buf_grow(b, len) != 0)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	if (b->len >= OUT_PIECE) {
		rc = mx_sink_put(o->sink, b->data, b->len);
		b->len = 0;
	}
	return rc;
}

static int
S_write_out(struct pdf_state *st, struct mx_sink *out)
{
	struct pdf_out o = {&st->saved, out};
	int rc;

	st->saved.len = 0;
	if (mx_buf_grow(&st->saved, OUT_PIECE) != 0)
		return -2;
	rc = mx_haru_save(st->pdf, S_put, &o);
	if (rc == 0 && st->saved.len > 0 &&
	    mx_sink_put(out, st->saved.data, st->saved.len) != 0)
		rc = -2;
	st->saved.len = 0;
	return rc;
}

/* Numbers the characters each font draws, with those the tagging adds
 * at the ends of runs (a space, the soft hyphen).  Returns -1 when a font
 * has too many. */
static int
S_number_chars(struct pdf_state *st)
{
	size_t i, g;
	int mcid, flags;

	for (i = 0; i < st->lay.nruns; i++) {
		const struct lay_run *r = &st->lay.runs[i];
		const uint16_t *known = st->codes[r->slot].cid_of;
		for (g = r->first; g < r->first + r->count; g++) {
			uint32_t cp = st->lay.glyphs[g];
			/* Most characters have come before. */
			if (known != NULL && cp <= 0xFFFF && known[cp] != 0)
				continue;
			if (S_collect(st, r->slot, cp) < 0)
				return -1;
			known = st->codes[r->slot].cid_of;
		}
		if (r->count == 0)
			continue;
		mx_pdf_tags_run(st->tags, i, &mcid, &flags);
		if (((flags & TAG_SPACE_AFTER) &&
		     S_collect(st, r->slot, ' ')) ||
		    ((flags & TAG_SOFT_HYPHEN) &&
		     mx_pdf_fonts_gid(st->fonts, r->slot, 0xAD) &&
		     S_collect(st, r->slot, 0xAD)))
			return -1;
	}
	return 0;
}

static int
S_render(void *state, const struct mx_document *doc, struct mx_sink *out)
{
	struct pdf_state *st = state;
	HPDF_Page pages_buf[16], *pages = pages_buf;
	int p, s, ret;

	st->error = 0;
	HPDF_ResetError(st->pdf);
	if (mx_layout_document(&st->lay, doc) != 0 ||
	    mx_pdf_tags_build(st->tags, doc, &st->lay,
	                      st->style->pdfx == PDFX_NONE) != 0) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "out of memory while typesetting");
		return -1;
	}
	if (HPDF_NewDoc(st->pdf) != HPDF_OK)
		goto hpdf_fail;
	HPDF_SetCompressionMode(st->pdf, HPDF_COMP_ALL);
	HPDF_SetCurrentEncoder(st->pdf, "UTF-8");
	mx_pdf_fonts_reset_used(st->fonts);
	S_codes_reset(st);
	if (S_number_chars(st) != 0) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "too many characters for one font");
		return -1;
	}
	for (s = 0; s < PDF_FONT_SLOTS; s++)
		if (st->codes[s].n > 0) {
			S_assign_codes(st, s);
			if (S_make_font(st, s) || S_one_byte_encoding(st, s) ||
			    S_fix_tounicode(st, s))
				goto hpdf_fail;
		}
	if (st->lay.pages > 16) {
		pages = calloc((size_t)st->lay.pages, sizeof(*pages));
		if (pages == NULL)
			return -1;
	}
	for (p = 0; p < st->lay.pages; p++)
		if (S_page(st, p, &pages[p]))
			goto hpdf_fail;
	if (S_outlines(st, pages))
		goto hpdf_fail;
	S_info(st, doc);
	if (S_catalog(st, doc, pages) || S_trailer_id(st, doc) ||
	    st->error != 0)
		goto hpdf_fail;
	ret = S_write_out(st, out);
	if (ret == -2) {
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "cannot write the PDF");
		goto fail;
	}
	if (ret != 0)
		goto hpdf_fail;
	if (pages != pages_buf)
		free(pages);
	return 0;
hpdf_fail:
	if ((st->error ? st->error : HPDF_GetError(st->pdf)) ==
	    PDF_ARRAY_COUNT_ERR)
		/* libharu 2.3.0 takes at most 8191 entries in an array: the
		 * kids of one structure element (the items of one list, the
		 * blocks of one section) or the pages of the parent tree. */
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "too long for one tagged leaflet: a list, a section "
		          "or the document has more parts than libharu's "
		          "limit of 8191 (libharu error 0x%04X); split it",
		          (unsigned)PDF_ARRAY_COUNT_ERR);
	else
		mx_report(&st->diag, MX_ERROR, doc->source, 0,
		          "libharu error 0x%04lX (detail %lu)",
		          (unsigned long)(st->error ? st->error
		                                    : HPDF_GetError(st->pdf)),
		          (unsigned long)st->detail);
fail:
	if (pages != pages_buf)
		free(pages);
	st->error = 0;
	HPDF_ResetError(st->pdf);
	return -1;
}

/* --lint's missing-glyph check: what the fonts of this style lack. */
static int
S_unprintable(void *state, const struct mx_document *doc,
              void (*found)(void *user, int line, uint32_t cp), void *user)
{
	struct pdf_state *st = state;

	return mx_pdf_unprintable(st->fonts, doc, found, user);
}

const struct mx_backend mx_backend_pdf = {
        .name = "pdf",
        .ext = ".pdf",
        .summary = "PDF leaflet for print, typeset in a style",
        .flags = MX_BACKEND_BINARY,
        .block_size = sizeof(struct pdf_options),
        .block_init = S_block_init,
        .options = S_options,
        .depends_on = S_depends_on,
        .create = S_create,
        .render = S_render,
        .destroy = S_destroy,
        .unprintable = S_unprintable,
};
