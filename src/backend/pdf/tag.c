/*
 * tag.c - the logical structure of a tagged PDF (tag.h).
 *
 * The structure is made in three steps.  The monograph tree is walked in
 * source order, making an element for each block and link; the elements
 * that hold text are found by the tree node each run of the layout
 * carries (struct lay_run).  Then each page's runs, in the order they are
 * drawn, are grouped into marked-content sequences (consecutive runs of
 * one element), numbered by page (MCIDs).  Last, each element's kids are
 * listed in the order the runs were made, which is the order of the text:
 * a paragraph split over two columns, or over panels that a trifold lays
 * out in another order, keeps its parts in order, and links come in their
 * paragraph where they are read.
 *
 * The objects (structure elements, the parent tree, link annotations)
 * are written with libharu's object layer, through haru.h.
 */
#define HPDF_SHARED
#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/pdf/font.h"
#include "backend/pdf/haru.h"
#include "backend/pdf/tag.h"
#include "core/private.h"

/* Longer addresses get no annotation: libharu 2.3.0 refuses strings of
 * 64 KiB and more (its error would fail the whole document). */
#define TAG_MAX_URI 60000

enum kid_kind { KID_ELEM, KID_MCR, KID_OBJR };

struct tag_kid {
	enum kid_kind kind;
	long elem;  /* KID_ELEM: the element */
	int page;   /* KID_MCR, KID_OBJR */
	int mcid;   /* KID_MCR */
	long piece; /* KID_OBJR: the link piece (its annotation) */
	long next;  /* the next kid of the same element, or -1 */
};

struct tag_elem {
	const char *type; /* structure type: "P", "H1", ... */
	long parent;      /* -1 for the document */
	long first_kid, last_kid;
	int attached;    /* among its parent's kids */
	int page;        /* the page of its first marked content, or -1 */
	int last_page;   /* the marked-content sequence last added */
	int last_mcid;   /* ... */
	int numbering;   /* L: 1 decimal, 2 bullets */
	int content;     /* -1 not known yet, 0 none, 1 holds text */
	const char *url; /* Link */
	void *dict;
};

/* A piece of a link on one line: one annotation. */
struct tag_piece {
	long elem;
	int page;
	double x0, y0, x1, y1;
	void *annot;
};

/* Node -> element, by open addressing; an entry is valid in the
 * generation (the document) that set it. */
struct tag_slot {
	const struct mx_node *node;
	long elem;
	unsigned gen;
};

struct pdf_tags {
	struct tag_elem *elems;
	size_t nelems, capelems;
	struct tag_kid *kids;
	size_t nkids, capkids;
	struct tag_slot *map;
	size_t capmap, nmap;
	unsigned gen;
	/* Per run of the layout. */
	long *run_elem;
	int *run_mcid;
	unsigned char *run_flags;
	size_t caprun, caprunmcid, caprunflags;
	/* The element of each MCID, page by page: page p's are
	 * mcid_elem[page_mcid0[p] ..  page_mcid0[p + 1]). */
	long *mcid_elem;
	size_t nmcid, capmcid;
	size_t *page_mcid0;
	size_t cappage;
	int pages;
	struct tag_piece *pieces;
	size_t npieces, cappieces;
	size_t annotations;
	int failed;
};

/* ------------------------------------------------------------------ */
/* Memory */

/* Makes room for `need` elements in *arr (capacity *cap). */
static int
S_room(struct pdf_tags *t, void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * size);
	if (p == NULL) {
		t->failed = 1;
		return -1;
	}
	*arr = p;
	*cap = ncap;
	return 0;
}

#define ROOM(t, arr, cap, need)                                                \
	S_room((t), (void **)&(arr), &(cap), (need), sizeof(*(arr)))

struct pdf_tags *
mx_pdf_tags_new(void)
{
	return calloc(1, sizeof(struct pdf_tags));
}

void
mx_pdf_tags_free(struct pdf_tags *t)
{
	if (t == NULL)
		return;
	free(t->elems);
	free(t->kids);
	free(t->map);
	free(t->run_elem);
	free(t->run_mcid);
	free(t->run_flags);
	free(t->mcid_elem);
	free(t->page_mcid0);
	free(t->pieces);
	free(t);
}

/* ------------------------------------------------------------------ */
/* Nodes to elements */

static size_t
S_hash(const struct mx_node *n, size_t cap)
{
	uintptr_t v = (uintptr_t)n;

	return (size_t)((v >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

static struct tag_slot *
S_slot(struct tag_slot *map, size_t cap, unsigned gen, const struct mx_node *n)
{
	size_t i = S_hash(n, cap);

	while (map[i].gen == gen && map[i].node != n)
		i = (i + 1) & (cap - 1);
	return &map[i];
}

static int
S_map_put(struct pdf_tags *t, const struct mx_node *n, long elem)
{
	struct tag_slot *s;

	if ((t->nmap + 1) * 2 > t->capmap) {
		size_t cap = t->capmap ? t->capmap * 2 : 256, i;
		struct tag_slot *map = calloc(cap, sizeof(*map));
		if (map == NULL) {
			t->failed = 1;
			return -1;
		}
		for (i = 0; i < t->capmap; i++)
			if (t->map[i].gen == t->gen)
				*S_slot(map, cap, t->gen, t->map[i].node) =
				        t->map[i];
		free(t->map);
		t->map = map;
		t->capmap = cap;
	}
	s = S_slot(t->map, t->capmap, t->gen, n);
	if (s->gen != t->gen)
		t->nmap++;
	s->node = n;
	s->elem = elem;
	s->gen = t->gen;
	return 0;
}

static long
S_map_get(const struct pdf_tags *t, const struct mx_node *n)
{
	const struct tag_slot *s;

	if (n == NULL || t->capmap == 0)
		return -1;
	s = S_slot(t->map, t->capmap, t->gen, n);
	return s->gen == t->gen ? s->elem : -1;
}

/* ------------------------------------------------------------------ */
/* Elements and their kids */

static int
S_add_kid(struct pdf_tags *t, long elem, enum kid_kind kind, long child,
          int page, int mcid, long piece)
{
	struct tag_kid *k;
	struct tag_elem *e;

	if (ROOM(t, t->kids, t->capkids, t->nkids + 1))
		return -1;
	k = &t->kids[t->nkids];
	k->kind = kind;
	k->elem = child;
	k->page = page;
	k->mcid = mcid;
	k->piece = piece;
	k->next = -1;
	e = &t->elems[elem];
	if (e->last_kid >= 0)
		t->kids[e->last_kid].next = (long)t->nkids;
	else
		e->first_kid = (long)t->nkids;
	e->last_kid = (long)t->nkids++;
	return 0;
}

/* Makes it one of its parent's kids, after those it has. */
static int
S_attach(struct pdf_tags *t, long elem)
{
	struct tag_elem *e = &t->elems[elem];

	if (e->attached || e->parent < 0)
		return 0;
	e->attached = 1;
	return S_add_kid(t, e->parent, KID_ELEM, elem, -1, -1, -1);
}

/* A new element of `type` under `parent` (-1: none), whose text is that
 * of `node` (NULL: only its kids'); among the parent's kids now when
 * `attach`, else when its first text comes.  Returns its index, or -1. */
static long
S_elem(struct pdf_tags *t, const char *type, long parent,
       const struct mx_node *node, int attach)
{
	struct tag_elem *e;
	long i = (long)t->nelems;

	if (ROOM(t, t->elems, t->capelems, t->nelems + 1))
		return -1;
	e = &t->elems[t->nelems++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->parent = parent;
	e->first_kid = e->last_kid = -1;
	e->page = e->last_page = e->last_mcid = -1;
	e->content = -1;
	if (node != NULL && S_map_put(t, node, i))
		return -1;
	if (attach && S_attach(t, i))
		return -1;
	return i;
}

/* ------------------------------------------------------------------ */
/* The walk of the tree */

static const char *
S_heading_type(int level)
{
	static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};

	return h[level < 1 ? 0 : level > 6 ? 5 : level - 1];
}

/* Links among the inlines `n` and their siblings, as kids of `parent`
 * once their text comes (their place among the paragraph's text). */
static int
S_walk_inlines(struct pdf_tags *t, const struct mx_node *n, long parent)
{
	for (; n != NULL; n = n->next) {
		long p = parent;
		if (n->type == MX_NODE_LINK) {
			p = S_elem(t, "Link", parent, n, 0);
			if (p < 0)
				return -1;
			t->elems[p].url = n->url;
		}
		if (n->first_child && S_walk_inlines(t, n->first_child, p))
			return -1;
	}
	return 0;
}

static int S_walk_blocks(struct pdf_tags *t, const struct mx_node *n,
                         long parent, int level);

/* A list item: LI with its marker (Lbl: the runs of the item's own node)
 * and its blocks (LBody).  A label followed by a paragraph runs into it,
 * as the layout sets it: one P. */
static int
S_walk_item(struct pdf_tags *t, const struct mx_node *item, long list,
            int level)
{
	long li = S_elem(t, "LI", list, NULL, 1), body;
	const struct mx_node *c = item->first_child;

	if (li < 0 || S_elem(t, "Lbl", li, item, 1) < 0 ||
	    (body = S_elem(t, "LBody", li, NULL, 1)) < 0)
		return -1;
	if (c != NULL && c->type == MX_NODE_LABEL && c->next != NULL &&
	    c->next->type == MX_NODE_PARAGRAPH) {
		long p = S_elem(t, "P", body, c->next, 1);
		if (p < 0 || S_map_put(t, c, p) ||
		    S_walk_inlines(t, c->first_child, p) ||
		    S_walk_inlines(t, c->next->first_child, p))
			return -1;
		c = c->next->next;
	}
	return S_walk_blocks(t, c, body, level);
}

static int
S_walk_block(struct pdf_tags *t, const struct mx_node *n, long parent,
             int level)
{
	const struct mx_node *c;
	long e;

	switch (n->type) {
	case MX_NODE_SECTION:
		e = S_elem(t, "Sect", parent, NULL, 1);
		if (e < 0 || S_elem(t, S_heading_type(n->level), e, n, 1) < 0)
			return -1;
		return S_walk_blocks(t, n->first_child, e, n->level);
	case MX_NODE_PARAGRAPH:
	case MX_NODE_LABEL:
	case MX_NODE_CODE_BLOCK:
		e = S_elem(t, "P", parent, n, 1);
		return e < 0 ? -1 : S_walk_inlines(t, n->first_child, e);
	case MX_NODE_QUESTION:
		e = S_elem(t, S_heading_type(level + 1), parent, n, 1);
		return e < 0 ? -1 : S_walk_inlines(t, n->first_child, e);
	case MX_NODE_DOCUMENT:
	case MX_NODE_QA:
	case MX_NODE_ANSWER:
		return S_walk_blocks(t, n->first_child, parent, level);
	case MX_NODE_LIST:
		e = S_elem(t, "L", parent, NULL, 1);
		if (e < 0)
			return -1;
		t->elems[e].numbering = n->ordered ? 1 : 2;
		for (c = n->first_child; c != NULL; c = c->next)
			if (c->type == MX_NODE_ITEM
			            ? S_walk_item(t, c, e, level)
			            : S_walk_block(t, c, e, level))
				return -1;
		return 0;
	case MX_NODE_ITEM:
		return S_walk_item(t, n, parent, level);
	case MX_NODE_BLOCKQUOTE:
		e = S_elem(t, "BlockQuote", parent, NULL, 1);
		return e < 0 ? -1 : S_walk_blocks(t, n->first_child, e, level);
	case MX_NODE_THEMATIC_BREAK:
		return 0; /* a rule: an artifact */
	default:
		/* An inline where a block was expected: the layout sets it
		 * as a paragraph. */
		e = S_elem(t, "P", parent, n, 1);
		return e < 0 ? -1 : S_walk_inlines(t, n->first_child, e);
	}
}

static int
S_walk_blocks(struct pdf_tags *t, const struct mx_node *n, long parent,
              int level)
{
	for (; n != NULL; n = n->next)
		if (S_walk_block(t, n, parent, level))
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Runs */

/* Links to web and mail addresses get annotations; relative addresses
 * and anchors mean nothing in a PDF, and other schemes may be harmful. */
static int
S_linkable(const char *url)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://",
	                                      "mailto:", "tel:"};
	size_t i;

	for (i = 0; url != NULL && i < sizeof(schemes) / sizeof(*schemes); i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0 &&
		    url[strlen(schemes[i])] != '\0')
			return 1;
	return 0;
}

/* The width of run `r`, in points. */
static double
S_run_width(const struct layout *lay, const struct lay_run *r)
{
	void *def = mx_pdf_fonts_def(lay->fonts, r->slot);
	double w = 0;
	size_t g;

	for (g = r->first; g < r->first + r->count; g++) {
		uint32_t c = lay->glyphs[g];
		unsigned gid = mx_pdf_fonts_gid(lay->fonts, r->slot, c);
		w += mx_haru_ttf_advance(def, gid) * r->size / 1000.0;
		if (g + 1 < r->first + r->count)
			w += r->tracking + (c == ' ' ? r->space_extra : 0);
	}
	return w;
}

/* Characters after which a line may end with no space in the text: a
 * space itself, and the hyphens, dashes and slashes that line breaking
 * breaks after (a URL, "and/or", "well-" "known"). */
static int
S_breaks_after(uint32_t c)
{
	return c == ' ' || c == '/' || c == 0x2010 || c == 0x2013 ||
	       c == 0x2014 || c == 0xAD;
}

/* Whether run b (after a) starts another line. */
static int
S_new_line(const struct lay_run *a, const struct lay_run *b)
{
	return b->page != a->page ||
	       fabs((b->y - b->rise) - (a->y - a->rise)) > 0.01 || b->x < a->x;
}

/* Groups each page's runs, in the order they are drawn, into
 * marked-content sequences: consecutive runs of one element, made one
 * after the other (a paragraph that left the page and came back is two
 * sequences).  Numbers them and notes the element of each. */
static int
S_sequences(struct pdf_tags *t, const struct layout *lay)
{
	int p;

	if (ROOM(t, t->page_mcid0, t->cappage, (size_t)lay->pages + 1))
		return -1;
	t->nmcid = 0;
	for (p = 0; p < lay->pages; p++) {
		size_t k, prev = SIZE_MAX;
		int next = 0;
		t->page_mcid0[p] = t->nmcid;
		for (k = lay->page_run0[p]; k < lay->page_run0[p + 1]; k++) {
			size_t r = lay->page_runs[k], q;
			long e = t->run_elem[r];
			int joined = 0;
			t->run_mcid[r] = -1;
			if (lay->runs[r].count == 0)
				continue; /* not drawn */
			if (e < 0) {
				prev = SIZE_MAX;
				continue;
			}
			if (prev != SIZE_MAX && prev < r &&
			    t->run_elem[prev] == e) {
				joined = 1;
				for (q = prev + 1; q < r && joined; q++)
					joined = lay->runs[q].count == 0;
			}
			if (joined) {
				t->run_mcid[r] = t->run_mcid[prev];
			} else {
				if (ROOM(t, t->mcid_elem, t->capmcid,
				         t->nmcid + 1))
					return -1;
				t->mcid_elem[t->nmcid++] = e;
				t->run_mcid[r] = next++;
			}
			prev = r;
		}
	}
	t->page_mcid0[lay->pages] = t->nmcid;
	return 0;
}

/* Each element's marked content and annotations, in the order the runs
 * were made; the flags of each run. */
static int
S_kids(struct pdf_tags *t, const struct layout *lay, int links)
{
	size_t r, next = SIZE_MAX;

	/* Backwards: the next run that draws something. */
	for (r = lay->nruns; r-- > 0;) {
		const struct lay_run *run = &lay->runs[r];
		long e = t->run_elem[r];
		t->run_flags[r] = 0;
		if (e >= 0) {
			uint32_t last =
			        lay->glyphs[run->first + run->count - 1];
			int end = next == SIZE_MAX ||
			          S_new_line(run, &lay->runs[next]);
			if (end && last == '-')
				t->run_flags[r] = TAG_SOFT_HYPHEN;
			else if ((end && !S_breaks_after(last)) ||
			         strcmp(t->elems[e].type, "Lbl") == 0)
				t->run_flags[r] = TAG_SPACE_AFTER;
		}
		if (run->count > 0 && run->page >= 0)
			next = r;
	}
	for (r = 0; r < lay->nruns; r++) {
		const struct lay_run *run = &lay->runs[r];
		long e = t->run_elem[r];
		struct tag_elem *el;
		if (e < 0)
			continue;
		if (S_attach(t, e))
			return -1;
		el = &t->elems[e];
		if (el->page < 0)
			el->page = run->page;
		if (el->last_page != run->page ||
		    el->last_mcid != t->run_mcid[r]) {
			el->last_page = run->page;
			el->last_mcid = t->run_mcid[r];
			if (S_add_kid(t, e, KID_MCR, -1, run->page,
			              t->run_mcid[r], -1))
				return -1;
		}
		if (links && el->url != NULL && S_linkable(el->url)) {
			/* A piece of the link per line: one annotation. */
			struct tag_piece *pc =
			        t->npieces ? &t->pieces[t->npieces - 1] : NULL;
			double x0 = run->x, x1 = run->x + S_run_width(lay, run);
			double y0 = run->y - 0.25 * run->size;
			double y1 = run->y + 0.9 * run->size;
			if (pc == NULL || pc->elem != e ||
			    pc->page != run->page || y0 > pc->y1 ||
			    y1 < pc->y0 || x0 < pc->x0) {
				if (ROOM(t, t->pieces, t->cappieces,
				         t->npieces + 1) ||
				    S_add_kid(t, e, KID_OBJR, -1, run->page, -1,
				              (long)t->npieces))
					return -1;
				pc = &t->pieces[t->npieces++];
				pc->elem = e;
				pc->page = run->page;
				pc->x0 = x0;
				pc->y0 = y0;
				pc->x1 = x1;
				pc->y1 = y1;
				pc->annot = NULL;
				continue;
			}
			pc->x1 = x1 > pc->x1 ? x1 : pc->x1;
			pc->y0 = y0 < pc->y0 ? y0 : pc->y0;
			pc->y1 = y1 > pc->y1 ? y1 : pc->y1;
		}
	}
	return 0;
}

int
mx_pdf_tags_build(struct pdf_tags *t, const struct mx_document *doc,
                  const struct layout *lay, int links)
{
	long root, title;
	size_t r;

	t->nelems = t->nkids = t->nmap = t->npieces = t->nmcid = 0;
	t->annotations = 0;
	t->failed = 0;
	t->pages = lay->pages;
	if (++t->gen == 0) {
		/* Generations wrapped: every slot would look valid. */
		if (t->map)
			memset(t->map, 0, t->capmap * sizeof(*t->map));
		t->gen = 1;
	}
	root = S_elem(t, "Document", -1, NULL, 0);
	title = S_elem(t, "Title", root, doc->root, 1);
	if (root < 0 || title < 0 ||
	    S_walk_blocks(t, doc->root->first_child, root, 0))
		return -1;
	if (ROOM(t, t->run_elem, t->caprun, lay->nruns + 1) ||
	    ROOM(t, t->run_mcid, t->caprunmcid, lay->nruns + 1) ||
	    ROOM(t, t->run_flags, t->caprunflags, lay->nruns + 1))
		return -1;
	for (r = 0; r < lay->nruns; r++) {
		const struct lay_run *run = &lay->runs[r];
		t->run_elem[r] = run->count > 0 && run->page >= 0 &&
		                                 run->page < lay->pages
		                         ? S_map_get(t, run->node)
		                         : -1;
	}
	if (S_sequences(t, lay) || S_kids(t, lay, links))
		return -1;
	return t->failed ? -1 : 0;
}

const char *
mx_pdf_tags_run(const struct pdf_tags *t, size_t r, int *mcid, int *flags)
{
	long e = t->run_elem[r];

	*mcid = t->run_mcid[r];
	*flags = t->run_flags[r];
	return e >= 0 && *mcid >= 0 ? t->elems[e].type : NULL;
}

size_t
mx_pdf_tags_annotations(const struct pdf_tags *t)
{
	return t->annotations;
}

/* ------------------------------------------------------------------ */
/* Objects */

/* Whether an element holds text, itself or in its kids. */
static int
S_content(struct pdf_tags *t, long e)
{
	struct tag_elem *el = &t->elems[e];
	long k;

	if (el->content >= 0)
		return el->content;
	el->content = 0;
	for (k = el->first_kid; k >= 0; k = t->kids[k].next)
		if (t->kids[k].kind != KID_ELEM ||
		    S_content(t, t->kids[k].elem))
			el->content = 1;
	return el->content;
}

/* An address as a URI: bytes outside printable ASCII, spaces and the
 * characters RFC 3986 never allows are percent-encoded. */
static int
S_uri(struct mx_buf *b, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	b->len = 0;
	for (p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7F || strchr("\"<>\\^`{|}", *p)) {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			if (mx_buf_put(b, e, 3))
				return -1;
		} else if (mx_buf_putc(b, (char)*p)) {
			return -1;
		}
	}
	return mx_buf_putc(b, '\0');
}

/* One annotation per piece of a link on one line, with no border (the
 * text is the link), in the structure through its /StructParent. */
static int
S_annotations(struct pdf_tags *t, void *const *pages, int npages, double slug)
{
	struct mx_buf uri = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	for (i = 0; i < t->npieces && rc == 0; i++) {
		struct tag_piece *pc = &t->pieces[i];
		HPDF_Rect rect = {
		        (HPDF_REAL)(slug + pc->x0), (HPDF_REAL)(slug + pc->y0),
		        (HPDF_REAL)(slug + pc->x1), (HPDF_REAL)(slug + pc->y1)};
		if (S_uri(&uri, t->elems[pc->elem].url)) {
			rc = -1;
			break;
		}
		if (uri.len > TAG_MAX_URI)
			continue; /* libharu's limit: a Link without */
		pc->annot = HPDF_Page_CreateURILinkAnnot(pages[pc->page], rect,
		                                         uri.data);
		if (pc->annot == NULL ||
		    HPDF_LinkAnnot_SetBorderStyle(pc->annot, 0, 0, 0) !=
		            HPDF_OK ||
		    mx_haru_put_int(pc->annot, "StructParent",
		                    (long)npages + (long)i) ||
		    mx_haru_put_string(pc->annot, "Contents", uri.data) ||
		    mx_haru_put_name(pages[pc->page], "Tabs", "S"))
			rc = -1;
		t->annotations++;
	}
	mx_buf_free(&uri);
	return rc;
}

/* A kid into an element's /K: an element, an MCID (on the element's own
 * page; else a marked-content reference), an annotation (an object
 * reference). */
static int
S_put_kid(struct pdf_tags *t, HPDF_Doc pdf, void *k_array,
          const struct tag_elem *el, const struct tag_kid *k,
          void *const *pages)
{
	void *d;

	if (k->kind == KID_ELEM)
		return S_content(t, k->elem)
		               ? mx_haru_put_obj(k_array, NULL,
		                                 t->elems[k->elem].dict)
		               : 0;
	if (k->kind == KID_MCR && k->page == el->page)
		return mx_haru_put_int(k_array, NULL, k->mcid);
	if (k->kind == KID_OBJR && t->pieces[k->piece].annot == NULL)
		return 0;
	d = mx_haru_dict_new(pdf, 0);
	if (d == NULL || mx_haru_put_obj(k_array, NULL, d))
		return -1;
	if (k->kind == KID_MCR)
		return mx_haru_put_name(d, "Type", "MCR") ||
		       mx_haru_put_obj(d, "Pg", pages[k->page]) ||
		       mx_haru_put_int(d, "MCID", k->mcid);
	return mx_haru_put_name(d, "Type", "OBJR") ||
	       mx_haru_put_obj(d, "Obj", t->pieces[k->piece].annot) ||
	       mx_haru_put_obj(d, "Pg", pages[k->page]);
}

/* An element's dictionary: its type, parent, page and kids. */
static int
S_put_elem(struct pdf_tags *t, HPDF_Doc pdf, long e, void *struct_root,
           void *const *pages)
{
	struct tag_elem *el = &t->elems[e];
	void *k_array = mx_haru_array_new(pdf);
	long k;

	if (k_array == NULL || mx_haru_put_name(el->dict, "S", el->type) ||
	    mx_haru_put_obj(el->dict, "P",
	                    el->parent >= 0 ? t->elems[el->parent].dict
	                                    : struct_root) ||
	    (el->page >= 0 && mx_haru_put_obj(el->dict, "Pg", pages[el->page])))
		return -1;
	if (el->numbering) {
		void *a = mx_haru_dict_new(pdf, 0);
		if (a == NULL || mx_haru_put_obj(el->dict, "A", a) ||
		    mx_haru_put_name(a, "O", "List") ||
		    mx_haru_put_name(a, "ListNumbering",
		                     el->numbering == 1 ? "Decimal" : "Disc"))
			return -1;
	}
	for (k = el->first_kid; k >= 0; k = t->kids[k].next)
		if (S_put_kid(t, pdf, k_array, el, &t->kids[k], pages))
			return -1;
	return mx_haru_put_obj(el->dict, "K", k_array);
}

/* The parent tree: for each page, the element of each of its MCIDs; for
 * each annotation, its Link. */
static void *
S_parent_tree(struct pdf_tags *t, HPDF_Doc pdf, int npages)
{
	void *tree = mx_haru_dict_new(pdf, 1), *nums = mx_haru_array_new(pdf);
	size_t i;
	int p;

	if (tree == NULL || nums == NULL || mx_haru_put_obj(tree, "Nums", nums))
		return NULL;
	for (p = 0; p < npages; p++) {
		void *a = mx_haru_array_new(pdf);
		if (a == NULL || mx_haru_put_int(nums, NULL, p) ||
		    mx_haru_put_obj(nums, NULL, a))
			return NULL;
		for (i = t->page_mcid0[p]; i < t->page_mcid0[p + 1]; i++)
			if (mx_haru_put_obj(a, NULL,
			                    t->elems[t->mcid_elem[i]].dict))
				return NULL;
	}
	for (i = 0; i < t->npieces; i++)
		if (t->pieces[i].annot != NULL &&
		    (mx_haru_put_int(nums, NULL, (long)npages + (long)i) ||
		     mx_haru_put_obj(nums, NULL,
		                     t->elems[t->pieces[i].elem].dict)))
			return NULL;
	return tree;
}

int
mx_pdf_tags_write(struct pdf_tags *t, void *pdf_, void *const *pages,
                  int npages, const char *lang, double slug)
{
	HPDF_Doc pdf = pdf_;
	void *catalog = mx_haru_catalog(pdf);
	void *root, *tree, *mark, *roles;
	size_t e;
	int p;

	if (npages != t->pages)
		return -1;
	root = mx_haru_dict_new(pdf, 1);
	if (root == NULL || mx_haru_put_name(root, "Type", "StructTreeRoot"))
		return -1;
	t->elems[0].content = 1; /* the document, even when empty */
	for (e = 0; e < t->nelems; e++)
		if (S_content(t, (long)e) &&
		    (t->elems[e].dict = mx_haru_dict_new(pdf, 1)) == NULL)
			return -1;
	if (S_annotations(t, pages, npages, slug))
		return -1;
	for (e = 0; e < t->nelems; e++)
		if (S_content(t, (long)e) &&
		    S_put_elem(t, pdf, (long)e, root, pages))
			return -1;
	tree = S_parent_tree(t, pdf, npages);
	roles = mx_haru_dict_new(pdf, 0);
	mark = mx_haru_dict_new(pdf, 0);
	if (tree == NULL || roles == NULL || mark == NULL ||
	    mx_haru_put_obj(root, "K", t->elems[0].dict) ||
	    mx_haru_put_obj(root, "ParentTree", tree) ||
	    mx_haru_put_int(root, "ParentTreeNextKey",
	                    (long)npages + (long)t->npieces) ||
	    mx_haru_put_obj(root, "RoleMap", roles) ||
	    mx_haru_put_name(roles, "Title", "H1"))
		return -1;
	for (p = 0; p < npages; p++)
		if (mx_haru_put_int(pages[p], "StructParents", p))
			return -1;
	if (mx_haru_put_obj(catalog, "StructTreeRoot", root) ||
	    mx_haru_put_obj(catalog, "MarkInfo", mark) ||
	    mx_haru_put_bool(mark, "Marked", 1) ||
	    mx_haru_put_string(catalog, "Lang", lang))
		return -1;
	return 0;
}
