/*
 * font.c - fonts for the PDF backend: loading through libharu, cached
 * metrics, fallback by character, and glyph-usage marks.
 *
 * libharu looks glyphs up with a linear scan of the cmap, so every font gets
 * a table from BMP code point to glyph and one from glyph to advance width,
 * built once when the font is loaded.  Fonts are read into memory and handed
 * to libharu as memory streams: saving a document then copies glyphs from
 * memory instead of seeking and reading the file once per glyph.  What
 * needs libharu's font definition structures is done by haru.c.
 */
#include <fontconfig/fontconfig.h>
/* libharu's public API only: its handles are opaque (see haru.h). */
#define HPDF_SHARED
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/pdf/font.h"
#include "backend/pdf/haru.h"

/* Slots: the three faces of the style, the three full system faces, then
 * fonts found for single characters. */
enum {
	SLOT_FULL = FACE_COUNT,       /* the full system fonts of the faces */
	SLOT_ASTRAL = 2 * FACE_COUNT, /* characters beyond U+FFFF */
	SLOT_EXTRA                    /* fonts found for single characters */
};

struct font_slot {
	int state; /* 0: not tried, 1: loaded, -1: failed */
	char *path;
	HPDF_FontDef def;
	uint16_t *gid; /* BMP code point -> glyph id */
	int16_t *adv;  /* glyph id -> advance in 1/1000 em */
	unsigned num_glyphs;
	unsigned char *data; /* the font file */
	size_t len;
	const unsigned char *glyf; /* glyf table inside data */
	size_t glyf_len;
};

/* What mx_pdf_fonts_lookup() found for an ASCII character in a face:
 * the answer never changes once found (fonts are loaded for good, and
 * the fallback is remembered per character), and nearly every character
 * measured is one of these. */
struct ascii_found {
	unsigned char known;
	unsigned char slot;
	int16_t advance;
};

struct pdf_fonts {
	HPDF_Doc pdf;
	const struct style *style;
	const struct mx_diag *diag;
	struct font_slot slot[PDF_FONT_SLOTS];
	int nslots;
	FcConfig *fc;
	uint8_t *choice; /* BMP code point -> extra slot, 255 none, 0 unknown */
	char *builddir;
	/* The astral font: its characters, by code point, have private-use
	 * codes 0xE000 + index (see scripts/pdf-subset-font --astral). */
	uint32_t *astral;
	size_t nastral;
	struct ascii_found ascii[FACE_COUNT][128];
};

static unsigned
S_u16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
S_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Finds the glyf table in the file, for following composite glyphs. */
static void
S_find_glyf(struct font_slot *s)
{
	unsigned n, i;

	if (s->len < 12)
		return;
	n = S_u16(s->data + 4);
	for (i = 0; i < n && 12 + 16 * (i + 1) <= s->len; i++) {
		const unsigned char *rec = s->data + 12 + 16 * i;
		uint32_t off = S_u32(rec + 8), len = S_u32(rec + 12);
		if (memcmp(rec, "glyf", 4) == 0 && off <= s->len &&
		    len <= s->len - off) {
			s->glyf = s->data + off;
			s->glyf_len = len;
		}
	}
}

/* A subset tag that depends only on the slot and the font's bytes: not on
 * the documents converted before, nor on where the font is installed, so
 * that the same input gives the same PDF on every machine with the same
 * fonts. */
static void
S_tag(int slot, const unsigned char *data, size_t len, char tag[7])
{
	uint32_t h = 2166136261u;
	int i;

	for (size_t k = 0; k < len; k++)
		h = (h ^ data[k]) * 16777619u;
	h = h * 31 + (uint32_t)slot;
	tag[0] = 'M';
	tag[1] = 'X';
	for (i = 2; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

static int
S_load_slot(struct pdf_fonts *f, int index, const char *path)
{
	struct font_slot *s = &f->slot[index];
	enum haru_ttf_status loaded;
	char tag[7], *data;
	unsigned i, g;

	s->state = -1;
	s->path = strdup(path);
	if (s->path == NULL) {
		mx_report(f->diag, MX_ERROR, path, 0, "out of memory");
		return -1;
	}
	/* A regular file of at most MX_MAX_INPUT_BYTES, or an error that
	 * says why: not a directory, a FIFO or a device. */
	if (strcmp(path, "-") == 0 ||
	    mx_read_file(path, &data, &s->len, f->diag) != 0) {
		if (strcmp(path, "-") == 0)
			mx_report(f->diag, MX_ERROR, path, 0,
			          "a font cannot come from standard input");
		return -1;
	}
	s->data = (unsigned char *)data;
	S_find_glyf(s);
	loaded = mx_haru_ttf_load_memory(f->pdf, s->data, s->len, &s->def);
	if (loaded == HARU_TTF_NO_STREAM) {
		mx_report(f->diag, MX_ERROR, path, 0, "cannot load font");
		return -1;
	}
	if (loaded != HARU_TTF_OK) {
		mx_report(f->diag, MX_ERROR, path, 0,
		          "libharu cannot load this font (error 0x%04lX)",
		          (unsigned long)HPDF_GetError(f->pdf));
		HPDF_ResetError(f->pdf);
		return -1;
	}
	/* Fonts found for single characters land in whichever slot is free
	 * when a document first needs them: their tag must not depend on
	 * that, or output would depend on the documents converted before. */
	S_tag(index < SLOT_EXTRA ? index : SLOT_EXTRA, s->data, s->len, tag);
	mx_haru_ttf_set_tag(s->def, tag);
	if (mx_haru_ttf_register(f->pdf, s->def) != 0) {
		/* libharu has freed the definition. */
		mx_report(f->diag, MX_ERROR, path, 0, "cannot register font");
		s->def = NULL;
		HPDF_ResetError(f->pdf);
		return -1;
	}
	s->num_glyphs = mx_haru_ttf_glyph_count(s->def);
	s->gid = calloc(65536, sizeof(*s->gid));
	s->adv = calloc(s->num_glyphs + 1, sizeof(*s->adv));
	if (s->gid == NULL || s->adv == NULL)
		return -1;
	for (g = 0; g < s->num_glyphs; g++)
		s->adv[g] = (int16_t)mx_haru_ttf_advance(s->def, g);
	/* Only the code points inside the cmap's segments can have glyphs. */
	for (i = 0; i < mx_haru_ttf_cmap_segments(s->def); i++) {
		unsigned c, lo, hi;
		mx_haru_ttf_cmap_segment(s->def, i, &lo, &hi);
		for (c = lo; c <= hi && c < 0xFFFF; c++) {
			g = mx_haru_ttf_glyph_of(s->def, c);
			if (g < s->num_glyphs)
				s->gid[c] = (uint16_t)g;
		}
	}
	s->gid[0] = 0;
	s->state = 1;
	return 0;
}

/* Locates a face of the family with fontconfig. */
static char *
S_fc_face(struct pdf_fonts *f, enum style_face face)
{
	FcPattern *pat, *match;
	FcResult result;
	FcChar8 *file = NULL;
	char *path = NULL;

	pat = FcPatternCreate();
	if (pat == NULL)
		return NULL;
	/* The monospaced face is the family's mono sibling if fontconfig
	 * knows one ("DejaVu Sans Mono"), else its monospace default. */
	if (face == FACE_MONO) {
		char mono[256];
		snprintf(mono, sizeof(mono), "%s Mono", f->style->font_family);
		FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)mono);
		FcPatternAddString(pat, FC_FAMILY,
		                   (const FcChar8 *)"monospace");
		FcPatternAddInteger(pat, FC_SPACING, FC_MONO);
	} else {
		FcPatternAddString(pat, FC_FAMILY,
		                   (const FcChar8 *)f->style->font_family);
	}
	FcPatternAddInteger(pat, FC_WEIGHT,
	                    face == FACE_BOLD ? FC_WEIGHT_BOLD
	                                      : FC_WEIGHT_REGULAR);
	FcPatternAddInteger(pat, FC_SLANT,
	                    face == FACE_ITALIC ? FC_SLANT_OBLIQUE
	                                        : FC_SLANT_ROMAN);
	FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
	FcConfigSubstitute(f->fc, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(f->fc, pat, &result);
	if (match != NULL &&
	    FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
		path = strdup((const char *)file);
	if (match)
		FcPatternDestroy(match);
	FcPatternDestroy(pat);
	return path;
}

struct pdf_fonts *
mx_pdf_fonts_new(void *hpdf, const struct style *style, const char *builddir,
                 const struct mx_diag *diag)
{
	static const char *const subset_names[FACE_COUNT] = {
	        "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
	        "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf"};
	struct pdf_fonts *f = calloc(1, sizeof(*f));
	char path[4096];
	int i;

	if (f == NULL)
		return NULL;
	f->pdf = hpdf;
	f->style = style;
	f->diag = diag;
	f->nslots = SLOT_EXTRA;
	f->builddir = strdup(builddir);
	if (f->builddir == NULL)
		goto fail;
	f->fc = FcInitLoadConfigAndFonts();
	if (f->fc == NULL) {
		mx_report(diag, MX_ERROR, NULL, 0, "fontconfig failed");
		goto fail;
	}
	for (i = 0; i < FACE_COUNT; i++) {
		char *file = NULL;
		FILE *probe;
		if (style->font_files[i] != NULL) {
			file = strdup(style->font_files[i]);
		} else {
			snprintf(path, sizeof(path), "%s/fonts/%s", builddir,
			         subset_names[i]);
			probe = fopen(path, "rb");
			if (probe != NULL) {
				fclose(probe);
				file = strdup(path);
			} else {
				/* Not built: the full fonts work, but make
				 * larger files with other bytes. */
				file = S_fc_face(f, (enum style_face)i);
				if (file != NULL)
					mx_report(diag, MX_WARNING, path, 0,
					          "no subset font here (make "
					          "builds it); using %s, which "
					          "makes larger PDFs",
					          file);
			}
		}
		if (file == NULL) {
			mx_report(diag, MX_ERROR, NULL, 0,
			          "no font found for family '%s'",
			          style->font_family);
			goto fail;
		}
		if (S_load_slot(f, i, file) != 0) {
			free(file);
			goto fail;
		}
		free(file);
	}
	return f;
fail:
	mx_pdf_fonts_free(f);
	return NULL;
}

void
mx_pdf_fonts_free(struct pdf_fonts *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < PDF_FONT_SLOTS; i++) {
		free(f->slot[i].path);
		free(f->slot[i].gid);
		free(f->slot[i].adv);
		free(f->slot[i].data);
		/* The font definitions belong to the HPDF_Doc. */
	}
	free(f->choice);
	free(f->builddir);
	free(f->astral);
	if (f->fc)
		FcConfigDestroy(f->fc);
	free(f);
}

static int
S_has(const struct font_slot *s, uint32_t cp)
{
	return s->state == 1 && cp < 0xFFFF && s->gid[cp] != 0;
}

/* Looks for any font that has `cp` and loads it into a new slot. */
static int
S_fallback_for(struct pdf_fonts *f, uint32_t cp)
{
	FcPattern *pat;
	FcCharSet *cs;
	FcFontSet *set;
	FcResult result;
	int found = -1, i, k;

	if (f->nslots >= PDF_FONT_SLOTS)
		return -1;
	pat = FcPatternCreate();
	cs = FcCharSetCreate();
	if (pat == NULL || cs == NULL)
		goto done;
	FcCharSetAddChar(cs, cp);
	FcPatternAddCharSet(pat, FC_CHARSET, cs);
	FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
	FcConfigSubstitute(f->fc, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	set = FcFontSort(f->fc, pat, FcFalse, NULL, &result);
	for (i = 0; set != NULL && i < set->nfont && found < 0; i++) {
		FcCharSet *have;
		FcChar8 *file;
		size_t n;
		if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &have) !=
		            FcResultMatch ||
		    !FcCharSetHasChar(have, cp) ||
		    FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) !=
		            FcResultMatch)
			continue;
		n = strlen((const char *)file);
		/* libharu reads TrueType outlines only. */
		if (n < 4 ||
		    strcasecmp((const char *)file + n - 4, ".ttf") != 0)
			continue;
		for (k = 0; k < f->nslots; k++)
			if (f->slot[k].path &&
			    strcmp(f->slot[k].path, (const char *)file) == 0)
				break;
		if (k < f->nslots) {
			if (S_has(&f->slot[k], cp))
				found = k;
			continue;
		}
		if (S_load_slot(f, f->nslots, (const char *)file) == 0) {
			k = f->nslots++;
			if (S_has(&f->slot[k], cp))
				found = k;
		} else {
			f->nslots++;
		}
	}
	if (set)
		FcFontSetDestroy(set);
done:
	if (cs)
		FcCharSetDestroy(cs);
	if (pat)
		FcPatternDestroy(pat);
	return found;
}

/* Loads the astral font and its map the first time a document has a
 * character beyond U+FFFF. */
static void
S_load_astral(struct pdf_fonts *f)
{
	char path[4096];
	FILE *map;
	unsigned long cp, pua;
	size_t cap = 0;
	struct font_slot *s = &f->slot[SLOT_ASTRAL];

	s->state = -1;
	snprintf(path, sizeof(path), "%s/fonts/DejaVuSans-Astral.map",
	         f->builddir);
	map = fopen(path, "r");
	if (map == NULL)
		return;
	while (fscanf(map, "%lx %lx", &cp, &pua) == 2) {
		if (pua != 0xE000 + f->nastral || cp <= 0xFFFF || cp > 0x10FFFF)
			break; /* not a map this code can read */
		if (f->nastral == cap) {
			uint32_t *p;
			cap = cap ? cap * 2 : 256;
			p = realloc(f->astral, cap * sizeof(*p));
			if (p == NULL)
				break;
			f->astral = p;
		}
		f->astral[f->nastral++] = (uint32_t)cp;
	}
	fclose(map);
	snprintf(path, sizeof(path), "%s/fonts/DejaVuSans-Astral.ttf",
	         f->builddir);
	if (f->nastral > 0)
		S_load_slot(f, SLOT_ASTRAL, path);
}

/* The private-use code of an astral character, or 0. */
static uint32_t
S_astral_code(const struct pdf_fonts *f, uint32_t cp)
{
	size_t lo = 0, hi = f->nastral;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->astral[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nastral && f->astral[lo] == cp ? 0xE000 + (uint32_t)lo
	                                              : 0;
}

uint32_t
mx_pdf_fonts_code(const struct pdf_fonts *f, int slot, uint32_t cp)
{
	if (slot == SLOT_ASTRAL && cp > 0xFFFF)
		return S_astral_code(f, cp);
	return cp;
}

uint32_t
mx_pdf_fonts_unicode(const struct pdf_fonts *f, int slot, uint32_t code)
{
	if (slot == SLOT_ASTRAL && code >= 0xE000 && code - 0xE000 < f->nastral)
		return f->astral[code - 0xE000];
	return code;
}

static int S_lookup(struct pdf_fonts *f, enum style_face face, uint32_t cp,
                    int *slot, int *advance);

int
mx_pdf_fonts_lookup(struct pdf_fonts *f, enum style_face face, uint32_t cp,
                    int *slot, int *advance)
{
	struct ascii_found *a;

	if (cp >= 128 || (unsigned)face >= FACE_COUNT)
		return S_lookup(f, face, cp, slot, advance);
	a = &f->ascii[face][cp];
	if (!a->known) {
		if (S_lookup(f, face, cp, slot, advance) != 0)
			return -1;
		a->slot = (unsigned char)*slot;
		a->advance = (int16_t)*advance;
		a->known = 1;
	}
	*slot = a->slot;
	*advance = a->advance;
	return 0;
}

static int
S_lookup(struct pdf_fonts *f, enum style_face face, uint32_t cp, int *slot,
         int *advance)
{
	int order[4], n = 0, i, s;

	order[n++] = face;
	order[n++] = SLOT_FULL + face;
	if (face != FACE_REGULAR) {
		order[n++] = FACE_REGULAR;
		order[n++] = SLOT_FULL + FACE_REGULAR;
	}
	if (cp > 0xFFFF) {
		struct font_slot *as = &f->slot[SLOT_ASTRAL];
		uint32_t code;
		if (as->state == 0)
			S_load_astral(f);
		code = S_astral_code(f, cp);
		if (code == 0 || !S_has(as, code))
			return -1;
		*slot = SLOT_ASTRAL;
		*advance = as->adv[as->gid[code]];
		return 0;
	}
	if (cp == 0xFFFF)
		return -1;
	for (i = 0; i < n; i++) {
		struct font_slot *fs = &f->slot[order[i]];
		if (fs->state == 0 && order[i] >= SLOT_FULL) {
			/* The full face is loaded the first time it is needed.
			 */
			char *file;
			if (!S_has(&f->slot[face], cp) &&
			    (file = S_fc_face(f, (enum style_face)(
			                                 order[i] -
			                                 SLOT_FULL))) != NULL) {
				S_load_slot(f, order[i], file);
				free(file);
			} else if (S_has(&f->slot[face], cp)) {
				continue;
			} else {
				fs->state = -1;
			}
		}
		if (S_has(fs, cp)) {
			*slot = order[i];
			*advance = fs->adv[fs->gid[cp]];
			return 0;
		}
	}
	/* Other fonts: the first in fontconfig's order that has the
	 * character, remembered per character, so that the choice never
	 * depends on which fonts earlier documents happened to load. */
	if (f->choice == NULL) {
		f->choice = calloc(0x10000, 1);
		if (f->choice == NULL)
			return -1;
	}
	if (f->choice[cp] == 0) {
		s = S_fallback_for(f, cp);
		f->choice[cp] = (uint8_t)(s < 0 ? 255 : s);
	}
	if (f->choice[cp] == 255)
		return -1;
	s = f->choice[cp];
	*slot = s;
	*advance = f->slot[s].adv[f->slot[s].gid[cp]];
	return 0;
}

unsigned
mx_pdf_fonts_gid(const struct pdf_fonts *f, int slot, uint32_t cp)
{
	const struct font_slot *s = &f->slot[slot];

	return S_has(s, cp) ? s->gid[cp] : 0;
}

const char *
mx_pdf_fonts_name(const struct pdf_fonts *f, int slot)
{
	return f->slot[slot].def ? mx_haru_ttf_name(f->slot[slot].def) : NULL;
}

void *
mx_pdf_fonts_def(const struct pdf_fonts *f, int slot)
{
	return f->slot[slot].def;
}

void
mx_pdf_fonts_reset_used(struct pdf_fonts *f)
{
	int i;

	for (i = 0; i < f->nslots; i++) {
		struct font_slot *s = &f->slot[i];
		if (s->state == 1)
			mx_haru_ttf_clear_used(s->def);
	}
}

/* libharu 2.3.0 marks the parts of a composite glyph but not the parts of
 * those parts; walk the whole tree of components ourselves. */
static void
S_mark_glyph(struct font_slot *s, unsigned gid, int depth)
{
	const unsigned char *p, *end;
	uint32_t off, next;
	unsigned flags;

	if (gid >= s->num_glyphs)
		return;
	mx_haru_ttf_mark_used(s->def, gid);
	if (s->glyf == NULL || depth > 8)
		return;
	mx_haru_ttf_glyph_span(s->def, gid, &off, &next);
	if (next <= off || next > s->glyf_len || next - off < 10)
		return;
	p = s->glyf + off;
	end = s->glyf + next;
	if ((int16_t)S_u16(p) >= 0)
		return; /* a simple glyph */
	p += 10;
	do {
		if (end - p < 4)
			return;
		flags = S_u16(p);
		S_mark_glyph(s, S_u16(p + 2), depth + 1);
		p += 4 + ((flags & 0x0001) ? 4 : 2); /* ARG_1_AND_2_ARE_WORDS */
		if (flags & 0x0008)                  /* WE_HAVE_A_SCALE */
			p += 2;
		else if (flags & 0x0040) /* WE_HAVE_AN_X_AND_Y_SCALE */
			p += 4;
		else if (flags & 0x0080) /* WE_HAVE_A_TWO_BY_TWO */
			p += 8;
	} while (flags & 0x0020); /* MORE_COMPONENTS */
}

void
mx_pdf_fonts_mark_used(struct pdf_fonts *f, int slot, uint32_t cp)
{
	struct font_slot *s = &f->slot[slot];

	if (S_has(s, cp))
		S_mark_glyph(s, s->gid[cp], 0);
}
