/*
 * haru.c - the only file that knows libharu 2.3.0's private structures.
 *
 * Each function below does one thing the PDF backend needs and libharu's
 * public API cannot do (haru.h says why each is needed).  They rely on the
 * layout of structures that libharu's installed headers expose but never
 * promised to keep: a page's attributes (its content stream), the CMap
 * encoder's maps, a TrueType font definition's tables, the document's
 * memory manager, cross-reference table and trailer, and the stream of a
 * dictionary.  Other libharu versions may change them without notice, so
 * this file compiles against 2.3.0 only.
 */
#include <hpdf_version.h>

/* Any other version stops the build, with a message that names it.  The
 * message is spelled as tokens so that the version numbers can be expanded
 * into it; a compiler without GCC's "#pragma GCC error" gets a plain
 * #error. */
/* clang-format off */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#if defined(__GNUC__)
#define HARU_TEXT(...) #__VA_ARGS__
#define HARU_PRAGMA(...) _Pragma(HARU_TEXT(__VA_ARGS__))
#define HARU_REFUSE(major, minor, bugfix) HARU_PRAGMA(GCC error HARU_TEXT( \
	medexport: the PDF backend reaches into the private structures of \
	libharu 2.3.0 (see src/backend/pdf/haru.c); \
	this is libharu major.minor.bugfix))
HARU_REFUSE(HPDF_MAJOR_VERSION, HPDF_MINOR_VERSION, HPDF_BUGFIX_VERSION)
#else
#error "medexport: the PDF backend reaches into the private structures of libharu 2.3.0 (see src/backend/pdf/haru.c); this is another libharu"
#endif
#endif
/* clang-format on */

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_error.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>

#define MX_PDF_HARU_C /* haru.h: this file may know the structures */
#include "backend/pdf/haru.h"

/* ------------------------------------------------------------------ */
/* Pages */

int
mx_haru_page_write_content(HPDF_Page page, const void *data, size_t len)
{
	HPDF_PageAttr attr = page->attr;

	return HPDF_Stream_Write(attr->stream, data, (HPDF_UINT)len) == HPDF_OK
	               ? 0
	               : -1;
}

int
mx_haru_page_add_box(HPDF_Doc pdf, HPDF_Page page, const char *key, double x0,
                     double y0, double x1, double y1)
{
	HPDF_Array a = HPDF_Array_New(pdf->mmgr);

	if (a == NULL || HPDF_Dict_Add(page, key, a) != HPDF_OK)
		return -1;
	if (HPDF_Array_AddReal(a, (HPDF_REAL)x0) != HPDF_OK ||
	    HPDF_Array_AddReal(a, (HPDF_REAL)y0) != HPDF_OK ||
	    HPDF_Array_AddReal(a, (HPDF_REAL)x1) != HPDF_OK ||
	    HPDF_Array_AddReal(a, (HPDF_REAL)y1) != HPDF_OK)
		return -1;
	return 0;
}

const char *
mx_haru_page_font_name(HPDF_Page page, HPDF_Font font)
{
	return HPDF_Page_GetLocalFontName(page, font);
}

/* ------------------------------------------------------------------ */
/* The UTF-8 encoder and font objects */

void
mx_haru_encoder_clear_cid_map(HPDF_Encoder encoder)
{
	HPDF_CMapEncoderAttr ea = encoder->attr;

	memset(ea->cid_map, 0, sizeof(ea->cid_map));
}

/* Sets the CID and the character of `code` in the encoder's maps.  Row 0
 * is scratch space of the UTF-8 encoder, so codes use rows 1 and up (the
 * row is not the code: libharu reads the values). */
static void
S_map_code(HPDF_CMapEncoderAttr ea, unsigned code, HPDF_UINT16 cid, uint32_t ch)
{
	ea->cid_map[1 + (code >> 8)][code & 255] = cid;
	ea->unicode_map[1 + (code >> 8)][code & 255] = (HPDF_UNICODE)ch;
}

HPDF_Font
mx_haru_font_for_codes(HPDF_Doc pdf, HPDF_Encoder encoder,
                       const char *font_name, const uint16_t *codes,
                       const uint32_t *chars, size_t n, unsigned max_code)
{
	HPDF_CMapEncoderAttr ea = encoder->attr;
	HPDF_Encoder_ToUnicode_Func saved = encoder->to_unicode_fn;
	HPDF_Font font;
	size_t i;

	memset(ea->cid_map[0], 0, sizeof(ea->cid_map[0]));
	for (i = 0; i < n; i++)
		S_map_code(ea, codes[i], codes[i], chars[i]);
	/* libharu writes widths and CIDToGIDMap for CIDs below the highest
	 * one only, so one more CID (a space) follows ours. */
	S_map_code(ea, max_code + 1, (HPDF_UINT16)(max_code + 1), ' ');
	/* With its own to_unicode function, libharu 2.3.0 maps every code
	 * point; the generic one makes it read the maps just filled. */
	encoder->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	font = HPDF_GetFont(pdf, font_name, encoder->name);
	encoder->to_unicode_fn = saved;
	/* Only the CIDs are cleared: HPDF_GetFont reads no character whose
	 * CID is 0. */
	for (i = 0; i < n; i++)
		ea->cid_map[1 + (codes[i] >> 8)][codes[i] & 255] = 0;
	ea->cid_map[1 + ((max_code + 1) >> 8)][(max_code + 1) & 255] = 0;
	memset(ea->cid_map[0], 0, sizeof(ea->cid_map[0]));
	return font;
}

int
mx_haru_font_set_encoding_cmap(HPDF_Doc pdf, HPDF_Font font,
                               const char *cmap_name, const char *cmap,
                               size_t len)
{
	HPDF_Dict enc, info;

	enc = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	info = HPDF_Dict_New(pdf->mmgr);
	if (enc == NULL || info == NULL)
		return -1;
	if (HPDF_Dict_AddName(enc, "Type", "CMap") != HPDF_OK ||
	    HPDF_Dict_AddName(enc, "CMapName", cmap_name) != HPDF_OK ||
	    HPDF_Dict_Add(enc, "CIDSystemInfo", info) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Registry",
	                  HPDF_String_New(pdf->mmgr, "Adobe", NULL)) !=
	            HPDF_OK ||
	    HPDF_Dict_Add(info, "Ordering",
	                  HPDF_String_New(pdf->mmgr, "Identity", NULL)) !=
	            HPDF_OK ||
	    HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK ||
	    HPDF_Stream_Write(enc->stream, (const HPDF_BYTE *)cmap,
	                      (HPDF_UINT)len) != HPDF_OK ||
	    HPDF_Dict_Add(font, "Encoding", enc) != HPDF_OK)
		return -1;
	return 0;
}

HPDF_Stream
mx_haru_font_tounicode(HPDF_Doc pdf, HPDF_Font font)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);

	if (tu == NULL || tu->stream == NULL) {
		HPDF_ResetError(pdf);
		return NULL;
	}
	return tu->stream;
}

int
mx_haru_stream_replace(HPDF_Stream stream, const void *data, size_t len)
{
	HPDF_MemStream_FreeData(stream);
	return HPDF_Stream_Write(stream, data, (HPDF_UINT)len) == HPDF_OK ? 0
	                                                                  : -1;
}

/* ------------------------------------------------------------------ */
/* The document's trailer */

int
mx_haru_doc_set_id(HPDF_Doc pdf, const unsigned char digest[16])
{
	HPDF_BYTE copy[16];
	HPDF_Array id;

	memcpy(copy, digest, sizeof(copy));
	id = HPDF_Array_New(pdf->mmgr);
	if (id == NULL || HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
		return -1;
	if (HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, copy, 16)) !=
	            HPDF_OK ||
	    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, copy, 16)) != HPDF_OK)
		return -1;
	return 0;
}

/* Where a document is saved (mx_haru_save()). */
struct haru_sink {
	haru_put_fn put;
	void *user;
	int failed;
};

static HPDF_STATUS
S_sink_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	struct haru_sink *k = stream->attr;

	if (k->put(k->user, ptr, siz) != 0) {
		k->failed = 1;
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
	}
	return HPDF_OK;
}

int
mx_haru_save(HPDF_Doc pdf, haru_put_fn put, void *user)
{
	struct haru_sink k = {put, user, 0};
	HPDF_Stream w = HPDF_CallbackWriter_New(pdf->mmgr, S_sink_write, &k);
	HPDF_STATUS rc;

	if (w == NULL)
		return -1;
	/* HPDF_SaveToStream() writes to the document's stream, the memory
	 * stream it makes when there is none; HPDF_SaveToFile() shows that
	 * libharu writes a document to any stream alike. */
	if (pdf->stream != NULL)
		HPDF_Stream_Free(pdf->stream);
	pdf->stream = w;
	rc = HPDF_SaveToStream(pdf);
	pdf->stream = NULL;
	HPDF_Stream_Free(w);
	return k.failed ? -2 : rc != HPDF_OK ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Objects: dictionaries and arrays */

void *
mx_haru_dict_new(HPDF_Doc pdf, int indirect)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);

	if (d != NULL && indirect && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL; /* the xref has freed it */
	return d;
}

void *
mx_haru_array_new(HPDF_Doc pdf)
{
	return HPDF_Array_New(pdf->mmgr);
}

static int
S_is_array(void *container)
{
	const HPDF_Obj_Header *h = container;

	return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_ARRAY;
}

/* Puts a new object (NULL when it could not be made, which libharu has
 * reported). */
static int
S_put(void *container, const char *key, void *obj)
{
	HPDF_STATUS rc;

	if (obj == NULL)
		return -1;
	if (S_is_array(container))
		rc = HPDF_Array_Add((HPDF_Array)container, obj);
	else
		rc = HPDF_Dict_Add((HPDF_Dict)container, key, obj);
	return rc == HPDF_OK ? 0 : -1;
}

/* The memory manager of a container. */
static HPDF_MMgr
S_mmgr(void *container)
{
	return S_is_array(container) ? ((HPDF_Array)container)->mmgr
	                             : ((HPDF_Dict)container)->mmgr;
}

int
mx_haru_put_name(void *container, const char *key, const char *name)
{
	return S_put(container, key, HPDF_Name_New(S_mmgr(container), name));
}

int
mx_haru_put_int(void *container, const char *key, long value)
{
	return S_put(container, key,
	             HPDF_Number_New(S_mmgr(container), (HPDF_INT32)value));
}

int
mx_haru_put_real(void *container, const char *key, double value)
{
	return S_put(container, key,
	             HPDF_Real_New(S_mmgr(container), (HPDF_REAL)value));
}

int
mx_haru_put_bool(void *container, const char *key, int value)
{
	return S_put(container, key,
	             HPDF_Boolean_New(S_mmgr(container),
	                              value ? HPDF_TRUE : HPDF_FALSE));
}

int
mx_haru_put_string(void *container, const char *key, const char *text)
{
	return S_put(container, key,
	             HPDF_String_New(S_mmgr(container), text, NULL));
}

int
mx_haru_put_text(void *container, const char *key, const char *text,
                 HPDF_Encoder encoder)
{
	return S_put(container, key,
	             HPDF_String_New(S_mmgr(container), text, encoder));
}

int
mx_haru_put_obj(void *container, const char *key, void *obj)
{
	return S_put(container, key, obj);
}

void *
mx_haru_catalog(HPDF_Doc pdf)
{
	return pdf->catalog;
}

void *
mx_haru_info(HPDF_Doc pdf)
{
	return pdf->info;
}

void
mx_haru_doc_set_version(HPDF_Doc pdf, int minor)
{
	static const HPDF_PDFVer versions[] = {HPDF_VER_13, HPDF_VER_14,
	                                       HPDF_VER_15, HPDF_VER_16,
	                                       HPDF_VER_17};

	if (minor >= 3 && minor <= 7)
		pdf->pdf_version = versions[minor - 3];
}

/* ------------------------------------------------------------------ */
/* TrueType font definitions */

/* A font file read through a callback stream.  libharu's memory stream
 * copies a byte at a time (HPDF_MemCpy), and saving a document reads the
 * font's tables four bytes at a time, a million reads over a hundred
 * leaflets; this one reads with memcpy().  It answers as the memory
 * stream does: a short read copies what there is and says
 * HPDF_STREAM_EOF, a seek past the end fails. */
struct haru_font_file {
	size_t len, pos;
	unsigned char data[];
};

static HPDF_STATUS
S_file_read(HPDF_Stream stream, HPDF_BYTE *buf, HPDF_UINT *size)
{
	struct haru_font_file *f = stream->attr;
	size_t want = *size, n = f->len - f->pos;

	if (n > want)
		n = want;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	*size = (HPDF_UINT)n;
	return n < want ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
S_file_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct haru_font_file *f = stream->attr;
	long at = pos;

	if (mode == HPDF_SEEK_CUR)
		at += (long)f->pos;
	else if (mode == HPDF_SEEK_END)
		at = (long)f->len - at; /* as libharu's memory stream does */
	if (at < 0 || (size_t)at > f->len)
		return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
	f->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32
S_file_tell(HPDF_Stream stream)
{
	return (HPDF_INT32)((struct haru_font_file *)stream->attr)->pos;
}

static HPDF_UINT32
S_file_size(HPDF_Stream stream)
{
	return (HPDF_UINT32)((struct haru_font_file *)stream->attr)->len;
}

static void
S_file_free(HPDF_Stream stream)
{
	HPDF_FreeMem(stream->mmgr, stream->attr);
	stream->attr = NULL;
}

enum haru_ttf_status
mx_haru_ttf_load_memory(HPDF_Doc pdf, const unsigned char *data, size_t len,
                        HPDF_FontDef *def)
{
	struct haru_font_file *f =
	        HPDF_GetMem(pdf->mmgr, (HPDF_UINT)(sizeof(*f) + len));
	HPDF_Stream stream = NULL;

	*def = NULL;
	if (f != NULL) {
		f->len = len;
		f->pos = 0;
		memcpy(f->data, data, len);
		stream = HPDF_CallbackReader_New(pdf->mmgr, S_file_read,
		                                 S_file_seek, S_file_tell,
		                                 S_file_size, f);
	}
	if (stream == NULL) {
		if (f != NULL)
			HPDF_FreeMem(pdf->mmgr, f);
		return HARU_TTF_NO_STREAM;
	}
	stream->free_fn = S_file_free;
	stream->size = (HPDF_UINT)len;
	/* The definition owns the stream from here on. */
	*def = HPDF_TTFontDef_Load(pdf->mmgr, stream, HPDF_TRUE);
	return *def != NULL ? HARU_TTF_OK : HARU_TTF_BAD_FONT;
}

void
mx_haru_ttf_set_tag(HPDF_FontDef def, const char tag[7])
{
	HPDF_TTFontDefAttr attr = def->attr;
	char copy[7];

	memcpy(copy, tag, sizeof(copy));
	HPDF_TTFontDef_SetTagName(def, copy);
	memcpy(def->base_font, attr->base_font, sizeof(def->base_font));
	def->base_font[sizeof(def->base_font) - 1] = '\0';
}

int
mx_haru_ttf_register(HPDF_Doc pdf, HPDF_FontDef def)
{
	return HPDF_Doc_RegisterFontDef(pdf, def) == HPDF_OK ? 0 : -1;
}

const char *
mx_haru_ttf_name(HPDF_FontDef def)
{
	return def->base_font;
}

unsigned
mx_haru_ttf_glyph_count(HPDF_FontDef def)
{
	return ((HPDF_TTFontDefAttr)def->attr)->num_glyphs;
}

int
mx_haru_ttf_advance(HPDF_FontDef def, unsigned gid)
{
	return HPDF_TTFontDef_GetGidWidth(def, (HPDF_UINT16)gid);
}

unsigned
mx_haru_ttf_glyph_of(HPDF_FontDef def, unsigned cp)
{
	return HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
}

unsigned
mx_haru_ttf_cmap_segments(HPDF_FontDef def)
{
	return ((HPDF_TTFontDefAttr)def->attr)->cmap.seg_count_x2 / 2u;
}

void
mx_haru_ttf_cmap_segment(HPDF_FontDef def, unsigned i, unsigned *first,
                         unsigned *last)
{
	HPDF_TTFontDefAttr attr = def->attr;

	*first = attr->cmap.start_count[i];
	*last = attr->cmap.end_count[i];
}

void
mx_haru_ttf_clear_used(HPDF_FontDef def)
{
	HPDF_TTFontDefAttr attr = def->attr;

	memset(attr->glyph_tbl.flgs, 0, attr->num_glyphs);
	attr->glyph_tbl.flgs[0] = 1;
}

void
mx_haru_ttf_mark_used(HPDF_FontDef def, unsigned gid)
{
	((HPDF_TTFontDefAttr)def->attr)->glyph_tbl.flgs[gid] = 1;
}

void
mx_haru_ttf_glyph_span(HPDF_FontDef def, unsigned gid, uint32_t *start,
                       uint32_t *end)
{
	HPDF_TTFontDefAttr attr = def->attr;

	*start = attr->glyph_tbl.offsets[gid];
	*end = attr->glyph_tbl.offsets[gid + 1];
	/* The short loca format stores offsets divided by two. */
	if (attr->header.index_to_loc_format == 0) {
		*start *= 2;
		*end *= 2;
	}
}
