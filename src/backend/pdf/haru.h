/*
 * haru.h - what the PDF backend needs from libharu 2.3.0 beyond its public
 * API, each as one small function.
 *
 * libharu 2.3.0 gets some things wrong (see ../shared/docs/LIBHARU-2.3.md
 * and docs/pdf.md, "libharu's internals"): it scans all 65,536 code points
 * per font and document, writes a /ToUnicode CMap strict readers reject,
 * drops the parts of nested composite glyphs, has no TrimBox or BleedBox and
 * no reproducible /ID.  Working around that means writing into its
 * structures: a page's content stream, the UTF-8 encoder's CID map, a
 * TrueType font definition's glyph table, dictionaries and streams.  Only
 * haru.c includes libharu's private headers and knows those structures; it
 * refuses to compile against any libharu but 2.3.0.
 *
 * Users of this header define HPDF_SHARED before including <hpdf.h>, as a
 * program linked with the shared library may: libharu's handles are then
 * opaque pointers, so its structures cannot be reached by mistake.
 *
 * Unless said otherwise, functions that return int return 0 on success and
 * -1 when libharu failed (its error handler has been called).
 */
#ifndef MX_PDF_HARU_H
#define MX_PDF_HARU_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

/* Outside haru.c, no private header of libharu: <hpdf.h> without
 * HPDF_SHARED includes hpdf_doc.h and with it all the structures. */
#if !defined(MX_PDF_HARU_C) &&                                                 \
        (defined(_HPDF_DOC_H) || defined(_HPDF_OBJECTS_H))
#error "libharu's structures are for src/backend/pdf/haru.c only: define HPDF_SHARED before including <hpdf.h>"
#endif

/* ------------------------------------------------------------------ */
/* Pages */

/* Appends `len` bytes of content-stream operators to the page's content
 * stream, as they are: HPDF_Page_ShowText cannot write our own character
 * codes or TJ arrays, and one write a page is cheaper than a call for each
 * operator. */
int mx_haru_page_write_content(HPDF_Page page, const void *data, size_t len);

/* Adds the page box `key` ("TrimBox", "BleedBox") with the corners
 * (x0, y0) and (x1, y1) in points, exactly: libharu 2.3.0 has no API for
 * these boxes. */
int mx_haru_page_add_box(HPDF_Doc pdf, HPDF_Page page, const char *key,
                         double x0, double y0, double x1, double y1);

/* The name ("F1", ...) of `font` in the page's resources, where it is
 * added when missing; NULL on failure. */
const char *mx_haru_page_font_name(HPDF_Page page, HPDF_Font font);

/* ------------------------------------------------------------------ */
/* The UTF-8 encoder and font objects */

/* Empties the CID map of `encoder` (a CMap encoder such as "UTF-8"), so that
 * HPDF_GetFont maps no code point until a document maps its own. */
void mx_haru_encoder_clear_cid_map(HPDF_Encoder encoder);

/* The document's font object of the font definition named `font_name`,
 * covering exactly `n` characters: the code codes[i] (also its CID) draws
 * the BMP character chars[i]; max_code is the highest code.  The CID map of
 * `encoder` (the document's UTF-8 encoder, its maps cleared with
 * mx_haru_encoder_clear_cid_map) is filled for the duration of HPDF_GetFont
 * and cleared again, so that libharu's per-document widths array and
 * CIDToGIDMap hold only these characters.  Returns NULL on failure. */
HPDF_Font mx_haru_font_for_codes(HPDF_Doc pdf, HPDF_Encoder encoder,
                                 const char *font_name, const uint16_t *codes,
                                 const uint32_t *chars, size_t n,
                                 unsigned max_code);

/* Sets the /Encoding of `font` to an embedded CMap stream named
 * `cmap_name` (CIDSystemInfo Adobe-Identity-0) holding the `len` bytes of
 * `cmap`. */
int mx_haru_font_set_encoding_cmap(HPDF_Doc pdf, HPDF_Font font,
                                   const char *cmap_name, const char *cmap,
                                   size_t len);

/* The /ToUnicode stream of `font`, or NULL when it has none (then the
 * error of the failed lookup may have reached the error handler; libharu's
 * own error state is reset). */
HPDF_Stream mx_haru_font_tounicode(HPDF_Doc pdf, HPDF_Font font);

/* Replaces the contents of a memory stream by `len` bytes of `data`. */
int mx_haru_stream_replace(HPDF_Stream stream, const void *data, size_t len);

/* ------------------------------------------------------------------ */
/* The document's trailer */

/* Sets the trailer's /ID to [<digest> <digest>], instead of libharu's MD5
 * of the current time. */
int mx_haru_doc_set_id(HPDF_Doc pdf, const unsigned char digest[16]);

/* Where mx_haru_save() puts the document's bytes: returns 0, or -1 when
 * they cannot be kept. */
typedef int (*haru_put_fn)(void *user, const void *data, size_t len);

/* Saves the document straight to `put`, as HPDF_SaveToStream() and
 * HPDF_ReadFromStream() would give it, without libharu's memory stream
 * (which copies every byte twice, one at a time, on the way).  Returns 0;
 * -1 when libharu failed; -2 when `put` did. */
int mx_haru_save(HPDF_Doc pdf, haru_put_fn put, void *user);

/* ------------------------------------------------------------------ */
/* Objects: dictionaries and arrays
 *
 * libharu 2.3.0 has no API for a tagged PDF's logical structure (structure
 * elements, the parent tree, marked-content references), for output
 * intents, or for the catalog and info entries they need (/MarkInfo,
 * /Lang, /StructTreeRoot, /OutputIntents, GTS_PDFXConformance, ...).  Its
 * object layer can write them all; these functions give pdf.c and tag.c
 * that layer, with handles as opaque as libharu's own (an HPDF_Page or an
 * HPDF_Annotation is a dictionary too).
 *
 * A container is a dictionary or an array: the put functions add `key`
 * to a dictionary, and append to an array (`key` is then ignored).  An
 * object made with `indirect` set is an object of its own in the file,
 * and putting it anywhere writes a reference to it, as often as wanted;
 * any other object can be put into one container only. */

/* A new dictionary (an object of its own when `indirect`), or NULL. */
void *mx_haru_dict_new(HPDF_Doc pdf, int indirect);
/* A new array, or NULL. */
void *mx_haru_array_new(HPDF_Doc pdf);

int mx_haru_put_name(void *container, const char *key, const char *name);
int mx_haru_put_int(void *container, const char *key, long value);
int mx_haru_put_real(void *container, const char *key, double value);
int mx_haru_put_bool(void *container, const char *key, int value);
/* A string of the bytes of `text` as they are (ASCII: names of output
 * conditions, language tags, URIs). */
int mx_haru_put_string(void *container, const char *key, const char *text);
/* A text string: UTF-8 `text` written as UTF-16 through `encoder` (the
 * document's UTF-8 encoder). */
int mx_haru_put_text(void *container, const char *key, const char *text,
                     HPDF_Encoder encoder);
/* `obj`, a dictionary or array from above (or a page, an annotation). */
int mx_haru_put_obj(void *container, const char *key, void *obj);

/* The document's catalog, and its info dictionary (NULL until an
 * HPDF_SetInfoAttr call made it). */
void *mx_haru_catalog(HPDF_Doc pdf);
void *mx_haru_info(HPDF_Doc pdf);

/* The version written in the file's header: 1.`minor` (3 to 7).  libharu
 * writes 1.3 unless a feature it knows needs more. */
void mx_haru_doc_set_version(HPDF_Doc pdf, int minor);

/* ------------------------------------------------------------------ */
/* TrueType font definitions */

/* Why mx_haru_ttf_load_memory failed. */
enum haru_ttf_status {
	HARU_TTF_OK = 0,
	HARU_TTF_NO_STREAM = -1, /* no stream for the font file */
	HARU_TTF_BAD_FONT = -2,  /* libharu cannot read the font: see
	                            HPDF_GetError */
};

/* Loads the TrueType font file held in `data` (`len` bytes) as a font
 * definition to be embedded and subset, into *def; the data is copied.
 * Reading from memory makes saving a document copy glyphs from memory
 * instead of seeking and reading the file once per glyph, and with
 * memcpy() rather than libharu's memory stream, which copies a byte at a
 * time.  The definition
 * is not yet known to the document: see mx_haru_ttf_register. */
enum haru_ttf_status mx_haru_ttf_load_memory(HPDF_Doc pdf,
                                             const unsigned char *data,
                                             size_t len, HPDF_FontDef *def);

/* Sets the six-letter subset tag (the "ABCDEF+" before the font's name in
 * the PDF) and makes the tagged name the definition's name, the one
 * HPDF_GetFont finds it by: a subset and the full font of the same family
 * then stay apart. */
void mx_haru_ttf_set_tag(HPDF_FontDef def, const char tag[7]);

/* Makes the document own the definition, so that HPDF_GetFont finds it by
 * its name; it then lives until HPDF_Free.  On failure libharu has freed
 * the definition. */
int mx_haru_ttf_register(HPDF_Doc pdf, HPDF_FontDef def);

/* The definition's name (with its tag once mx_haru_ttf_set_tag was called). */
const char *mx_haru_ttf_name(HPDF_FontDef def);

/* The number of glyphs in the font. */
unsigned mx_haru_ttf_glyph_count(HPDF_FontDef def);

/* The advance width of glyph `gid`, in 1/1000 em. */
int mx_haru_ttf_advance(HPDF_FontDef def, unsigned gid);

/* The glyph of the BMP character `cp` (0 when missing).  A linear scan of
 * the cmap's segments: for building tables, not for every character. */
unsigned mx_haru_ttf_glyph_of(HPDF_FontDef def, unsigned cp);

/* The number of segments of the font's format-4 cmap, and the first and
 * last character of segment `i`: only characters inside a segment can have
 * glyphs. */
unsigned mx_haru_ttf_cmap_segments(HPDF_FontDef def);
void mx_haru_ttf_cmap_segment(HPDF_FontDef def, unsigned i, unsigned *first,
                              unsigned *last);

/* Marks no glyph but .notdef as used.  The marks tell libharu which glyph
 * outlines to embed when saving; they live in the definition, which
 * outlives documents. */
void mx_haru_ttf_clear_used(HPDF_FontDef def);

/* Marks glyph `gid` (below mx_haru_ttf_glyph_count) as used. */
void mx_haru_ttf_mark_used(HPDF_FontDef def, unsigned gid);

/* Where the outline of glyph `gid` (below mx_haru_ttf_glyph_count) lies in the
 * font's glyf table, from the loca table libharu has read: bytes *start
 * to *end. */
void mx_haru_ttf_glyph_span(HPDF_FontDef def, unsigned gid, uint32_t *start,
                            uint32_t *end);

#endif
