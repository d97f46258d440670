/*
 * paginate.c - the third stage of typesetting: the blocks of lines flow
 * into columns and pages.  A heading (or a question) stays with what will
 * really follow it, a single line of a paragraph is not left alone at the
 * foot or head of a column when that can be avoided, and a column does not
 * end in a hyphenated word (unless that balances a last page).  The last
 * page's columns end level where the text allows.  Once the page count is
 * known, every page gets its running header and footer and the rules
 * between its columns.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backend/pdf/layout_private.h"

/* A column ends at most this many lines early so as not to end in a
 * hyphenated word.  The corpus needs up to 7 (a chemical name cut over
 * several lines in a narrow panel); a longer run of hyphenated lines is a
 * word or an address of many lines, which would otherwise be set a line
 * or two a column, thousands of pages for a few hundred kilobytes. */
#define HYPHEN_BACKOFF_MAX 16

static int
S_has_band(const struct style_band *b)
{
	return b->left != NULL || b->centre != NULL || b->right != NULL;
}

/* A folded sheet's panels: each fold is where two panels meet, the
 * tuck-in panel (the first of the outside, the last of the inside) is
 * narrower by the style's tuck-in, and the text of every panel is as wide
 * as the narrowest allows with a gutter's width of margins, centred in
 * its panel. */
static void
S_fold_geometry(const struct style *st, struct geometry *g)
{
	int n = st->columns, k;
	double d = st->tuck_in * MM;
	double panel = (g->page_w + d) / n;

	g->folded = 1;
	for (k = 0; k <= n; k++) {
		g->edge[0][k] = k == 0 ? 0 : k * panel - d;
		g->edge[1][k] = k * panel;
	}
	g->edge[0][n] = g->edge[1][n] = g->page_w;
	g->col_w = panel - d - st->gutter * MM;
}

/* Sets the page's size and its columns: their width, and where they start
 * and end (a running header or footer takes a line and a gap).  The title
 * band sets where the first page's columns start.  No margin is narrower
 * than the style's safe margin (with room for a footer's descenders). */
void
mx_lay_geometry(const struct layout *lay, struct geometry *g)
{
	const struct style *st = lay->style;
	const struct style_text *hd = &st->text[ROLE_HEADER];
	double safe = st->safe_margin * MM;

	memset(g, 0, sizeof(*g));
	g->safe = safe;
	g->page_w = st->page_w * MM;
	g->page_h = st->page_h * MM;
	g->columns = st->columns;
	g->m_top = st->margin_top * MM > safe ? st->margin_top * MM : safe;
	g->m_bottom = st->margin_bottom * MM;
	if (g->m_bottom < safe + 0.3 * hd->size)
		g->m_bottom = safe + 0.3 * hd->size;
	g->m_inner =
	        st->margin_inner * MM > safe ? st->margin_inner * MM : safe;
	g->m_outer =
	        st->margin_outer * MM > safe ? st->margin_outer * MM : safe;
	g->content_w = g->page_w - g->m_inner - g->m_outer;
	g->col_w = (g->content_w - (st->columns - 1) * st->gutter * MM) /
	           st->columns;
	if (st->fold_marks && st->columns > 1 && st->columns <= PANELS_MAX)
		S_fold_geometry(st, g);
	g->top = g->m_top;
	g->bottom = g->page_h - g->m_bottom;
	if (!g->folded && S_has_band(&st->header))
		g->top += hd->leading + 6;
	if (!g->folded && S_has_band(&st->footer))
		g->bottom -= hd->leading + 6;
}

/* A folded sheet of n panels a side is read as it unfolds: the cover
 * (the outside's last panel), the inside from left to right, then the
 * tuck-in panel (the outside's first, folded in under the cover) and the
 * back (the outside's middle panels).  Other styles fill the columns of
 * each page from left to right. */
void
mx_lay_slot(const struct geometry *g, long slot, int *page, int *col)
{
	long n = g->columns, sheet, k;

	if (!g->folded) {
		*page = (int)(slot / n);
		*col = (int)(slot % n);
		return;
	}
	sheet = slot / (2 * n);
	k = slot % (2 * n);
	*page = (int)(2 * sheet);
	if (k == 0) {
		*col = (int)(n - 1);
	} else if (k <= n) {
		*page = (int)(2 * sheet + 1);
		*col = (int)(k - 1);
	} else {
		*col = (int)(k - n - 1);
	}
}

/* The slots that are read together as one page: a page's columns, or the
 * inside of a sheet; [*from, *to) holds `slot`. */
static void
S_group(const struct geometry *g, long slot, long *from, long *to)
{
	long n = g->columns, base, k;

	if (!g->folded) {
		*from = slot - slot % n;
		*to = *from + n;
		return;
	}
	base = slot - slot % (2 * n);
	k = slot % (2 * n);
	if (k >= 1 && k <= n) {
		*from = base + 1;
		*to = base + n + 1;
	} else {
		*from = slot;
		*to = slot + 1;
	}
}

double
mx_lay_col_x(const struct layout *lay, const struct geometry *g, int page,
             int col)
{
	const struct style *st = lay->style;
	double left = page % 2 == 0 ? g->m_inner : g->m_outer;

	if (g->folded) {
		const double *e = g->edge[page % 2];
		return (e[col] + e[col + 1] - g->col_w) / 2;
	}
	return left + col * (g->col_w + st->gutter * MM);
}

void
mx_lay_title_flow(const struct geometry *g, struct flow *f, double y)
{
	f->slot = 0;
	mx_lay_slot(g, 0, &f->page, &f->col);
	f->y = y;
}

static double
S_slot_top(const struct geometry *g, long slot)
{
	int page, col;

	if (g->folded)
		return slot == 0 ? g->first_top : g->top;
	mx_lay_slot(g, slot, &page, &col);
	return page == 0 ? g->first_top : g->top;
}

void
mx_lay_place_line(struct layout *lay, const struct geometry *g, struct flow *f,
                  size_t li)
{
	struct lay_scratch *s = lay->scratch;
	struct fline *l = &s->lines[li];
	double x0 = mx_lay_col_x(lay, g, f->page, f->col);
	double base = f->y + l->ascent;
	size_t r;

	for (r = l->run0; r < l->run0 + l->nruns; r++) {
		lay->runs[r].page = f->page;
		lay->runs[r].x += x0;
		lay->runs[r].y = g->page_h - base + lay->runs[r].rise;
	}
	if (l->rect >= 0) {
		struct lay_rect *rc = &lay->rects[l->rect];
		rc->page = f->page;
		rc->x += x0;
		rc->y = g->page_h - (f->y + l->leading / 2);
	}
	if (l->mark >= 0) {
		lay->marks[l->mark].page = f->page;
		lay->marks[l->mark].y = g->page_h - f->y + 2;
	}
	f->y += l->leading;
	if (f->page + 1 > lay->pages)
		lay->pages = f->page + 1;
}

/* How pagination sets the lines: the share of the spaces between blocks
 * and of the leading it keeps (1: all, as the style says), slots
 * [lim_from, lim_to) of each limit end at `bottom` instead of the page's
 * bottom (a last page's balanced columns, a page cut short, the first of
 * a sheet's inside balanced apart; the last limit first), and the
 * columns from slot `relax.from` on may end as `relax.what` allows (a
 * last page balanced no other way: RELAX_HYPHEN, RELAX_ORPHAN). */
struct plan {
	double space, leading;
	struct plan_limit {
		long from, to;
		double bottom;
	} limit[3];
	struct plan_relax {
		long from;
		int what;
	} relax;
	/* A slot that ends early to balance the page after it is filled
	 * down to `fill_end` (or -1). */
	long fill_slot;
	double fill_end;
	/* The least share of the spaces between blocks the style allows. */
	double space_min;
};

static double
S_slot_bottom(const struct geometry *g, const struct plan *pl, long slot)
{
	int i;

	for (i = 2; i >= 0; i--)
		if (slot >= pl->limit[i].from && slot < pl->limit[i].to)
			return pl->limit[i].bottom;
	return g->bottom;
}

static double
S_lines_height(struct lay_scratch *s, size_t from, size_t count, double lf)
{
	double h = 0;
	size_t i;

	for (i = from; i < from + count; i++)
		h += s->lines[i].leading * lf;
	return h;
}

/* What a column may end with, beyond what pagination allows everywhere:
 * a hyphenated word, the first line of a paragraph alone. */
#define RELAX_HYPHEN 1
#define RELAX_ORPHAN 2

/* Whether a column may not end with line `l`: it ends in a hyphenated
 * word, which RELAX_HYPHEN allows unless the line is a piece of a word
 * longer than the line (the rest of it would run on at the next column's
 * top). */
static int
S_no_foot(const struct fline *l, int relax)
{
	return l->hyphen && (!(relax & RELAX_HYPHEN) || l->cut);
}

/* The fewest lines of a paragraph that a column may end with: two (no
 * orphan), one with RELAX_ORPHAN. */
static size_t
S_min_foot(int relax)
{
	return relax & RELAX_ORPHAN ? 1 : 2;
}

/* How many lines of block N pagination puts in a column before it may
 * break it: two (no orphan; one with RELAX_ORPHAN, the rest beside it in
 * the next column of a last page), but all of a block that would leave a
 * single line for the next column (no widow), and more when the line may
 * not end a column (S_no_foot()). */
static size_t
S_first_chunk(const struct lay_scratch *s, const struct fblock *N, int relax)
{
	size_t k = S_min_foot(relax);

	if (N->count < k + 2)
		return N->count;
	while (k < N->count && S_no_foot(&s->lines[N->line0 + k - 1], relax))
		k++;
	return N->count - k < 2 ? N->count : k;
}

/* The room a heading block needs: itself and the headings and questions
 * that follow it, up to `chain` of them, with what pagination will put
 * of the block under them in the same column (see S_first_chunk()).
 * Stops counting once it passes `cap`. */
static double
S_keep_need(struct lay_scratch *s, size_t b, size_t chain, double cap,
            const struct plan *pl, int relax)
{
	double h = 0;
	size_t k;

	for (k = b; k < s->nblocks; k++) {
		struct fblock *B = &s->blocks[k], *N = B + 1;
		h += S_lines_height(s, B->line0, B->count, pl->leading);
		if (k + 1 >= s->nblocks || k - b >= chain || h > cap)
			break;
		h += N->space_before * pl->space;
		if (!N->keep_next) {
			/* Under a chain of headings, never a single line. */
			h += S_lines_height(
			        s, N->line0,
			        S_first_chunk(s, N,
			                      k > b ? relax & ~RELAX_ORPHAN
			                            : relax),
			        pl->leading);
			break;
		}
	}
	return h;
}

/* A chain of headings and questions goes to the next column whole, with
 * the first lines of its text, unless it is taller than a column: then
 * each of its blocks needs only the next few. */
#define KEEP_CHAIN_SHORT 4

static double
S_keep_room(struct lay_scratch *s, size_t b, double full, const struct plan *pl,
            int relax)
{
	double need = S_keep_need(s, b, SIZE_MAX, full, pl, relax);

	if (need > full + 0.001)
		need = S_keep_need(s, b, KEEP_CHAIN_SHORT, full, pl, relax);
	return need;
}

/* How many lines of block `b`, from its line `done` on, pagination puts in
 * a column with `room` points left (at the column's top when `at_top`),
 * of a page's columns `full` points high: a heading only with what
 * follows it, no single line of a paragraph alone at the foot or head of
 * a column, and no hyphenated word at the foot (unless `hyphen`).
 * Returns 0 when the block moves on to the next column: never at the top
 * of a column as high as the page's, so that pagination always moves
 * on, but a heading does at the top of one cut short (by balancing) that
 * cannot hold its text. */
static size_t
S_lines_here(struct lay_scratch *s, size_t b, size_t done, int at_top,
             double room, double full, const struct plan *pl, int relax)
{
	const struct fblock *B = &s->blocks[b];
	const struct fline *l = &s->lines[B->line0 + done];
	size_t r = B->count - done, k = 0, k0;
	/* Under two headings (a section's and a question's), never a
	 * single line. */
	size_t foot = done == 0 && b >= 2 && s->blocks[b - 1].keep_next &&
	                              s->blocks[b - 2].keep_next
	                      ? 2
	                      : S_min_foot(relax);
	double h = 0, lf = pl->leading;

	if (B->keep_next && done == 0) {
		double need = S_keep_room(s, b, full, pl, relax);
		if (need > room + 0.001 && (!at_top || room < full - 0.001))
			return 0; /* at the top of a column cut short, too */
		if (!at_top)
			return r;
		/* One taller than the column (a question of a thousand
		 * words) is split like a paragraph, not set off the page. */
		if (S_lines_height(s, B->line0, B->count, lf) <= room + 0.001)
			return r;
	}
	while (k < r && h + l[k].leading * lf <= room + 0.001) {
		h += l[k].leading * lf;
		k++;
	}
	if (k == r)
		return r;
	if (at_top) {
		if (k == 0)
			k = 1;
		else if (r - k == 1 && k >= 3)
			k--;
	} else if (r == 1 || k < foot) {
		return 0;
	} else if (r - k < 2) {
		k = r - 2;
		if (k < foot)
			return 0;
	}
	/* A column does not end in a hyphenated word when a line less
	 * still keeps enough lines on each side (and ends at most
	 * HYPHEN_BACKOFF_MAX lines early). */
	k0 = k;
	while ((k > foot || (at_top && k >= 2)) &&
	       k0 - k < HYPHEN_BACKOFF_MAX && S_no_foot(&l[k - 1], relax))
		k--;
	if (!at_top && k > 0 && S_no_foot(&l[k - 1], relax))
		return 0;
	return k;
}

/* Where a plan is: at line `done` of block `b`, at `y` in `slot`. */
struct plan_at {
	size_t b, done;
	long slot;
	double y;
};

/* Plans where every line from `at` on goes (s->place) under `pl`; returns
 * the last slot used.  What a plan puts before a slot does not depend on
 * the limits of that slot or later ones, so the plans of a last page's
 * balancing start at its first slot (S_plan_resume()). */
static long
S_plan_at(struct lay_scratch *s, const struct geometry *g,
          const struct plan *pl, const struct plan_at *at)
{
	long slot = at->slot;
	double y = at->y;
	size_t b = at->b, done = at->done, i, k;
	/* Every step places a line, or moves to the next column where the
	 * next step places one: this many steps are never needed, and only
	 * stop a loop that a mistake would make endless. */
	size_t steps = 0, max_steps = 2 * (s->nlines + s->nblocks) + 16;

	while (b < s->nblocks) {
		struct fblock *B = &s->blocks[b];
		int at_top = y <= S_slot_top(g, slot) + 0.001;
		double sb =
		        at_top || done > 0 ? 0 : B->space_before * pl->space;
		double bottom;

		if (++steps > max_steps)
			break;
		bottom = S_slot_bottom(g, pl, slot);
		k = S_lines_here(s, b, done, at_top, bottom - y - sb,
		                 g->bottom - S_slot_top(g, slot), pl,
		                 slot >= pl->relax.from ? pl->relax.what : 0);
		if (k == 0) {
			y = S_slot_top(g, ++slot);
			continue;
		}
		y += sb;
		for (i = 0; i < k; i++) {
			size_t li = B->line0 + done + i;
			s->place[li].slot = slot;
			s->place[li].y = y;
			y += s->lines[li].leading * pl->leading;
		}
		done += k;
		if (done >= B->count) {
			b++;
			done = 0;
		} else {
			y = S_slot_top(g, ++slot);
		}
	}
	return s->nlines > 0 ? s->place[s->nlines - 1].slot : 0;
}

/* Plans every line under `pl`; returns the last slot used. */
static long
S_plan(struct lay_scratch *s, const struct geometry *g, const struct plan *pl)
{
	struct plan_at at = {0, 0, 0, g->first_top};

	memset(s->place, 0, s->nlines * sizeof(*s->place));
	return S_plan_at(s, g, pl, &at);
}

/* Where the plan in s->place enters slot `from` (which it uses): the
 * first line it puts there or later, at the slot's top. */
static void
S_plan_resume(const struct lay_scratch *s, const struct geometry *g, long from,
              struct plan_at *at)
{
	size_t i = s->nlines, b = s->nblocks;

	while (i > 0 && s->place[i - 1].slot >= from)
		i--;
	while (b > 0 && s->blocks[b - 1].line0 > i)
		b--;
	at->b = b > 0 ? b - 1 : 0;
	at->done = i - s->blocks[at->b].line0;
	at->slot = from;
	at->y = S_slot_top(g, from);
}

/* The pages a plan whose last slot is `last` takes: a folded sheet has
 * two sides, both printed. */
static int
S_plan_pages(const struct geometry *g, long last)
{
	int page, col;

	if (g->folded)
		return (int)(2 * (last / (2 * g->columns) + 1));
	mx_lay_slot(g, last, &page, &col);
	return page + 1;
}

/* The lines a plan puts on the slots [from, to). */
static size_t
S_lines_in(const struct lay_scratch *s, long from, long to)
{
	size_t n = 0, i;

	for (i = s->nlines; i > 0 && s->place[i - 1].slot >= from; i--)
		if (s->place[i - 1].slot < to)
			n++;
	return n;
}

/* The plan `t` from 0 (the style's spacing) to 2 (its tightest): up to 1
 * it takes back the style's share of the spaces between blocks, then it
 * sets the lines closer, down to the body's min-leading. */
static void
S_tighten(const struct style *st, double t, struct plan *pl)
{
	const struct style_text *body = &st->text[ROLE_BODY];
	double lmin =
	        body->min_leading > 0 ? body->min_leading / body->leading : 1;

	pl->space = 1 - (t < 1 ? t : 1) * st->squeeze_space;
	pl->leading = t > 1 ? 1 - (t - 1) * (1 - lmin) : 1;
}

/* A leaflet that runs onto one more page than it needs when set as
 * tight as the style allows is set just tight enough to save it. */
static void
S_plan_tight(struct layout *lay, const struct geometry *g, struct plan *pl)
{
	struct lay_scratch *s = lay->scratch;
	int pages = S_plan_pages(g, S_plan(s, g, pl)), it;
	double lo = 0, hi = 2;

	if (pages <= 1)
		return;
	S_tighten(lay->style, hi, pl);
	if (S_plan_pages(g, S_plan(s, g, pl)) >= pages) {
		S_tighten(lay->style, 0, pl);
		return;
	}
	for (it = 0; it < 10; it++) {
		double mid = (lo + hi) / 2;
		S_tighten(lay->style, mid, pl);
		if (S_plan_pages(g, S_plan(s, g, pl)) < pages)
			hi = mid;
		else
			lo = mid;
	}
	S_tighten(lay->style, hi, pl);
}

/* Where the text of a slot of the last group ends, and how much lower or
 * higher it may end (see S_feather()): its lines [first, last] (none when
 * first > last), the bottom of its last line, the spaces before its
 * blocks that may grow (not after a heading, nor at its top) and how much
 * they may shrink in all. */
struct col_end {
	size_t first, last, gaps;
	double end, shrink;
};

/* How much the space before block B may shrink: down to the least share
 * of it the style allows. */
static double
S_gap_shrink(const struct fblock *B, const struct plan *pl)
{
	return pl->space > pl->space_min
	               ? B->space_before * (pl->space - pl->space_min)
	               : 0;
}

/* The first of the lines (s->place, in slot order) in slot `slot` or
 * later, and the first of the blocks that begins at line `line` or
 * later: binary searches, so that a page's ends cost its own lines. */
static size_t
S_first_line_in(const struct lay_scratch *s, long slot)
{
	size_t lo = 0, hi = s->nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->place[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t
S_first_block_at(const struct lay_scratch *s, size_t line)
{
	size_t lo = 0, hi = s->nblocks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->blocks[mid].line0 < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The ends of the slots [from, to) of the plan in s->place; returns the
 * lowest. */
static double
S_ends(const struct lay_scratch *s, const struct geometry *g, long from,
       long to, const struct plan *pl, struct col_end *c)
{
	double lf = pl->leading;
	size_t i = S_first_line_in(s, to), b = S_first_block_at(s, i);
	double low = 0;
	long k;

	for (k = 0; k < to - from; k++)
		c[k] = (struct col_end){1, 0, 0, S_slot_top(g, from + k), 0};
	for (; i > 0 && s->place[i - 1].slot >= from; i--) {
		struct col_end *e;
		if (s->place[i - 1].slot >= to)
			continue;
		e = &c[s->place[i - 1].slot - from];
		if (e->first > e->last) {
			e->last = i - 1;
			e->end = s->place[i - 1].y +
			         s->lines[i - 1].leading * lf;
		}
		e->first = i - 1;
	}
	for (; b > 1 && s->blocks[b - 1].line0 >= i; b--) {
		size_t l0 = s->blocks[b - 1].line0;
		long k0 = s->place[l0].slot;
		if (k0 < to && l0 > c[k0 - from].first &&
		    !s->blocks[b - 2].keep_next) {
			c[k0 - from].gaps++;
			c[k0 - from].shrink +=
			        S_gap_shrink(&s->blocks[b - 1], pl);
		}
	}
	for (k = 0; k < to - from; k++)
		if (c[k].end > low)
			low = c[k].end;
	return low;
}

/* How much lower S_feather() sets the end of a slot whose text ends at
 * `e` when the group's ends at `end`: a body line `leading` at most in
 * each space that may grow, and nothing for a difference of a line. */
static double
S_feather_shift(const struct col_end *e, double end, double leading)
{
	double gap = end - e->end;

	if (gap <= leading || e->gaps == 0)
		return 0;
	return gap < e->gaps * leading ? gap : e->gaps * leading;
}

/* How much lower (shift[k] > 0) or higher (< 0) S_feather() sets the end
 * of each of the n slots whose ends are c (the lowest `end`), and how far
 * apart they then end beyond a line: the higher ones end lower (see
 * S_feather_shift()); when `squeeze` and they still end more than two
 * lines above the lowest, the spaces of the lower ones shrink, to end at
 * most a line below the highest, as far as the style allows (struct
 * col_end). */
static double
S_settle(const struct col_end *c, long n, double end, double leading,
         int squeeze, double *shift)
{
	double high = end, target;
	long k;

	for (k = 0; k < n; k++) {
		double e = c[k].end + S_feather_shift(&c[k], end, leading);
		shift[k] = 0;
		if (e < high)
			high = e;
	}
	if (squeeze && end - high > 2 * leading + 0.001) {
		target = high + leading;
		end = high;
		for (k = 0; k < n; k++) {
			if (c[k].end > target)
				shift[k] = c[k].end - target < c[k].shrink
				                   ? target - c[k].end
				                   : -c[k].shrink;
			if (c[k].end + shift[k] > end)
				end = c[k].end + shift[k];
		}
	}
	high = end;
	for (k = 0; k < n; k++) {
		if (shift[k] == 0)
			shift[k] = S_feather_shift(&c[k], end, leading);
		if (c[k].end + shift[k] < high)
			high = c[k].end + shift[k];
	}
	return end - high > leading ? end - high - leading : 0;
}

/* How far apart the slots [from, to) of the plan end once settled
 * (S_settle(), with `squeeze`), beyond a line (*raw: before). */
static double
S_imbalance(const struct lay_scratch *s, const struct geometry *g, long from,
            long to, double leading, const struct plan *pl, int squeeze,
            double *raw)
{
	struct col_end c[PANELS_MAX];
	double end = S_ends(s, g, from, to, pl, c), raw_high = end;
	double shift[PANELS_MAX];
	long k;

	for (k = 0; k < to - from; k++)
		if (c[k].end < raw_high)
			raw_high = c[k].end;
	*raw = end - raw_high;
	return S_settle(c, to - from, end, leading, squeeze, shift);
}

/* Balancing tries the columns of a last group this many half lines
 * longer than the shortest that hold its text. */
#define BALANCE_TRIES 12

/* The bottom of the slots [from, to) (the last group, planned from `at`)
 * that balances them best: of the heights from the least that holds the
 * text to six lines more, the one whose columns end nearest together once
 * feathered (*bad beyond a line, then *raw: before feathering), the least
 * of those. */
static double
S_balance_search(struct lay_scratch *s, const struct geometry *g,
                 struct plan *pl, int which, double leading,
                 const struct plan_at *at, double *bad, double *raw)
{
	long from = pl->limit[which].from, to = pl->limit[which].to, k;
	double lo = 0, hi = g->bottom, best = g->bottom;
	double step = leading * pl->leading / 2;
	int it, found = 0;

	for (k = from; k < to; k++)
		if (S_slot_top(g, k) > lo)
			lo = S_slot_top(g, k);
	for (it = 0; it < 14; it++) {
		double mid = (lo + hi) / 2;
		pl->limit[which].bottom = mid;
		if (S_plan_at(s, g, pl, at) < to)
			hi = mid;
		else
			lo = mid;
	}
	*bad = *raw = g->bottom;
	for (it = 0; it <= BALANCE_TRIES; it++) {
		double bottom = hi + 0.001 + it * step, b, r;
		if (bottom > g->bottom + 0.001)
			break;
		pl->limit[which].bottom = bottom;
		if (S_plan_at(s, g, pl, at) >= to)
			continue;
		b = S_imbalance(s, g, from, to, leading, pl, 0, &r);
		if (!found || b < *bad - 0.001 ||
		    (b < *bad + 0.001 && r < *raw - 0.001)) {
			best = bottom;
			*bad = b;
			*raw = r;
			found = 1;
		}
	}
	return best;
}

/* S_balance_search(), and when the columns cannot end within a line of
 * each other once feathered, again with columns that may end in a
 * hyphenated word, else (when they end more than two lines apart) in a
 * paragraph's first line alone, not both, if that balances them
 * better. */
static double
S_balance_hyphen(struct lay_scratch *s, const struct geometry *g,
                 struct plan *pl, int which, double leading,
                 const struct plan_at *at, double *bad, double *raw)
{
	long from = pl->limit[which].from;
	struct plan_relax none = {LONG_MAX, 0}, best = none;
	double bottom, hbottom, hbad, hraw;
	int relax;

	pl->relax = none;
	bottom = S_balance_search(s, g, pl, which, leading, at, bad, raw);
	for (relax = RELAX_HYPHEN; relax <= RELAX_ORPHAN && *bad > 0.001;
	     relax <<= 1) {
		/* An orphan only for columns more than two lines apart. */
		if (relax == RELAX_ORPHAN && *bad <= leading + 0.001)
			break;
		pl->relax = (struct plan_relax){from, relax};
		hbottom = S_balance_search(s, g, pl, which, leading, at, &hbad,
		                           &hraw);
		if (hbad < *bad - 0.001) {
			*bad = hbad;
			*raw = hraw;
			bottom = hbottom;
			best = pl->relax;
		}
	}
	pl->relax = best;
	return bottom;
}

/* S_balance_hyphen(); and when a group of three columns or more still
 * cannot be balanced, its first column may end up to six lines higher
 * or lower than the others (pl->limit[2]), if that balances them
 * better. */
static double
S_balance_best(struct lay_scratch *s, const struct geometry *g, struct plan *pl,
               int which, double leading, const struct plan_at *at, double *bad,
               double *raw)
{
	long from = pl->limit[which].from, to = pl->limit[which].to;
	double bottom, step = leading * pl->leading / 2, top;
	struct plan_limit first = {-1, -1, 0};
	struct plan_relax relax;
	int j;

	pl->limit[2] = first;
	bottom = S_balance_hyphen(s, g, pl, which, leading, at, bad, raw);
	relax = pl->relax;
	if (*bad <= 0.001 || to - from < 3)
		return bottom;
	top = S_slot_top(g, from);
	for (j = -BALANCE_TRIES; j <= BALANCE_TRIES; j++) {
		double b, r, bt, c1 = bottom + j * step;
		if (j == 0 || c1 <= top || c1 > g->bottom + 0.001)
			continue;
		pl->limit[2] = (struct plan_limit){from, from + 1, c1};
		bt = S_balance_hyphen(s, g, pl, which, leading, at, &b, &r);
		if (b < *bad - 0.001 ||
		    (b < *bad + 0.001 && r < *raw - 0.001)) {
			*bad = b;
			*raw = r;
			bottom = bt;
			relax = pl->relax;
			first = pl->limit[2];
		}
	}
	pl->limit[2] = first;
	pl->relax = relax;
	return bottom;
}

/* The page before a last page that cannot be balanced may end this many
 * lines early, to give it text that balances, when its spaces can take
 * the difference: PAGE_FEATHER of a body line each at most
 * (S_feather_pages()), FOLD_FEATHER in a folded sheet's panel
 * (S_feather()).  When the last page's columns would still end more than
 * two lines apart (UNBALANCED: a line beyond the one S_settle() leaves,
 * as tests/pdfpages.py counts), it may end up to BALANCE_BEFORE_MAX lines
 * early, to give a whole block (a question and its answer) over, and up
 * to BALANCE_SHORT lines short of its page's longest column once its
 * spaces have taken what they can: beyond BALANCE_BEFORE, the least that
 * balances.
 * A full page's column may end short anyway, where a block kept whole
 * did not fit and the spaces could not take it all; a last page whose
 * columns end three or four lines apart is what a reader sees first. */
#define PAGE_FEATHER       (1.0 / 3)
#define FOLD_FEATHER       0.5
#define BALANCE_BEFORE     3
#define BALANCE_BEFORE_MAX 8
#define BALANCE_SHORT      5
#define UNBALANCED         1.05

/* The columns of the last group of slots (a page's, or a sheet's inside)
 * end as level as the text allows (S_balance_best()); when they still
 * cannot, the slot before the group may end a line or more earlier
 * (then filled, see S_feather()), if that balances them.  Only the last
 * group (and that slot) is planned again for each height tried.  `last`
 * is the last slot of the plan in s->place, which is pl's; returns that
 * of the plan it leaves there, which is pl's too. */
static long
S_balance(struct lay_scratch *s, const struct geometry *g, struct plan *pl,
          int which, double leading, long last)
{
	long from, to;
	struct plan_relax relax;
	double bottom, bad, raw, end, floor, lf = pl->leading, short_by, fill;
	struct plan_at at, at0, pat;
	struct plan_limit first;
	struct col_end c;
	int i, best = 0, rescue;

	S_group(g, last, &from, &to);
	if (to - from < 2 || to - from > PANELS_MAX)
		return last;
	S_plan_resume(s, g, from, &at);
	at0 = at;
	pl->limit[which] = (struct plan_limit){from, to, g->bottom};
	bottom = S_balance_best(s, g, pl, which, leading, &at, &bad, &raw);
	relax = pl->relax;
	first = pl->limit[2];
	if (bad <= 0.001 || from == 0 || which == 1 || pl->limit[1].from >= 0) {
		pl->limit[which].bottom = bottom;
		pl->relax = relax;
		return S_plan_at(s, g, pl, &at0);
	}
	floor = end = S_ends(s, g, from - 1, from, pl, &c);
	S_plan_resume(s, g, from - 1, &pat);
	/* Only as the layout's last resort, and not when S_feather()'s
	 * balances it. */
	rescue = 0;
	if (s->rescue && bad > UNBALANCED * leading) {
		double before; /* unused: the ends before settling */
		pl->limit[which].bottom = bottom;
		S_plan_at(s, g, pl, &at0);
		rescue = S_imbalance(s, g, from, to, leading, pl, 1, &before) >
		         UNBALANCED * leading;
	}
	/* Short of where the column ended, or (as a last resort) of where
	 * its page's longest column ends. */
	short_by = rescue ? BALANCE_SHORT * leading : 0;
	fill = g->folded ? FOLD_FEATHER : PAGE_FEATHER;
	if (rescue) {
		long pf, pt;
		struct col_end pc[PANELS_MAX];
		S_group(g, from - 1, &pf, &pt);
		if (pt - pf <= PANELS_MAX)
			floor = S_ends(s, g, pf, pt, pl, pc);
	}
	for (i = 1; i <= (rescue ? BALANCE_BEFORE_MAX : BALANCE_BEFORE) &&
	            (i <= BALANCE_BEFORE || bad > UNBALANCED * leading);
	     i++) {
		double b, r, bt;
		pl->limit[which].bottom = g->bottom;
		pl->limit[2] = (struct plan_limit){-1, -1, 0};
		pl->relax = (struct plan_relax){LONG_MAX, 0};
		pl->limit[1] = (struct plan_limit){
		        from - 1, from, end - i * leading * lf + 0.001};
		if (S_plan_at(s, g, pl, &pat) >= to)
			continue;
		S_ends(s, g, from - 1, from, pl, &c);
		if (floor - c.end > c.gaps * leading * fill + short_by + 0.001)
			continue;
		S_plan_resume(s, g, from, &at);
		bt = S_balance_best(s, g, pl, which, leading, &at, &b, &r);
		if (b < bad - 0.001) {
			bad = b;
			bottom = bt;
			relax = pl->relax;
			first = pl->limit[2];
			best = i;
		}
	}
	pl->limit[1] = (struct plan_limit){from - 1, from,
	                                   end - best * leading * lf + 0.001};
	if (best == 0)
		pl->limit[1] = (struct plan_limit){-1, -1, 0};
	else
		pl->fill_slot = from - 1;
	pl->fill_end = end;
	pl->limit[2] = first;
	pl->limit[which].bottom = bottom;
	pl->relax = relax;
	return S_plan_at(s, g, pl, &pat);
}

/* No page for six lines or fewer: when the last page would hold that
 * little, the page before ends early enough to give it more.  Returns
 * the last slot of the plan in s->place, which is pl's. */
#define SHORT_PAGE_LINES 6

static long
S_no_short_page(struct lay_scratch *s, const struct geometry *g,
                struct plan *pl)
{
	long last = S_plan(s, g, pl), from, to, pfrom, pto, k;
	double lo, hi = g->bottom;
	struct plan_at at;
	int it;

	if (g->folded || S_plan_pages(g, last) < 2)
		return last;
	S_group(g, last, &from, &to);
	if (S_lines_in(s, from, to) > SHORT_PAGE_LINES)
		return last;
	S_group(g, from - 1, &pfrom, &pto);
	S_plan_resume(s, g, pfrom, &at);
	lo = 0;
	for (k = pfrom; k < pto; k++)
		if (S_slot_top(g, k) > lo)
			lo = S_slot_top(g, k);
	/* The highest end of the page before that leaves the last page
	 * more than that, if the text then still ends on the last page. */
	pl->limit[1] = (struct plan_limit){pfrom, pto, lo};
	for (it = 0; it < 14; it++) {
		double mid = (lo + hi) / 2;
		pl->limit[1].bottom = mid;
		S_plan_at(s, g, pl, &at);
		if (S_lines_in(s, from, to) > SHORT_PAGE_LINES)
			lo = mid;
		else
			hi = mid;
	}
	pl->limit[1].bottom = lo;
	last = S_plan_at(s, g, pl, &at);
	if (last < to && S_lines_in(s, from, to) > SHORT_PAGE_LINES)
		return last;
	pl->limit[1].from = pl->limit[1].to = -1;
	return S_plan_at(s, g, pl, &at);
}

/* Moves the lines of the slot `c` down by `shift` in all, shared evenly
 * between the spaces before its blocks that may grow; or up (shift < 0),
 * shared as they may shrink (S_gap_shrink()). */
static void
S_spread(struct lay_scratch *s, const struct col_end *c, double shift,
         const struct plan *pl)
{
	double move = 0;
	size_t i, b;

	if (shift == 0 || c->gaps == 0 || (shift < 0 && c->shrink <= 0))
		return;
	for (b = 0, i = c->first; i <= c->last; i++) {
		while (b < s->nblocks && s->blocks[b].line0 < i)
			b++;
		if (i > c->first && b > 0 && b < s->nblocks &&
		    s->blocks[b].line0 == i && !s->blocks[b - 1].keep_next)
			move += shift > 0 ? shift / c->gaps
			                  : shift *
			                            S_gap_shrink(&s->blocks[b],
			                                         pl) /
			                            c->shrink;
		s->place[i].y += move;
	}
}

/* S_spread() of `shift`, but of `most` of a body line at most in each of
 * the slot's spaces. */
static void
S_spread_most(struct lay_scratch *s, const struct col_end *c, double shift,
              double most, double leading, const struct plan *pl)
{
	double cap = c->gaps * leading * most;

	S_spread(s, c, shift < cap ? shift : cap, pl);
}

/* The columns of a full page (one before the last group; not a folded
 * sheet's panels, which are read apart) end level too, as far as their
 * spaces allow: one whose text ends more than a line above the page's
 * longest (a block kept whole did not fit) ends lower, the difference
 * shared between the spaces before its blocks (S_feather_shift()), at
 * most PAGE_FEATHER of a body line in each, so that a list's items do
 * not stand apart like paragraphs; so does the slot that ended early to
 * balance the page after (S_balance()). */
static void
S_feather_pages(struct lay_scratch *s, const struct geometry *g,
                const struct plan *pl, double leading, long before)
{
	struct col_end c[PANELS_MAX];
	long p, k, n = g->columns;
	double end;

	if (g->folded || n < 2 || n > PANELS_MAX)
		return;
	for (p = 0; p + n <= before; p += n) {
		end = S_ends(s, g, p, p + n, pl, c);
		for (k = 0; k < n; k++)
			S_spread_most(s, &c[k],
			              S_feather_shift(&c[k], end, leading),
			              PAGE_FEATHER, leading, pl);
	}
}

/* The columns of the last group end as level as their spaces allow
 * (S_settle()): those whose text ends more than a line above the
 * longest's (a heading kept with its text went over to the next column)
 * end with it all the same, the difference shared between the spaces
 * before their blocks (not after a heading), at most a body line in each;
 * when they still end more than two lines apart, the longest's spaces
 * shrink (balancing chose the plan without that: it is the last resort,
 * after text from the page before, a hyphen or an orphan).  The pages
 * before end level (S_feather_pages()); a folded sheet's slot that ended
 * early to balance the panels after it ends where it did before, with
 * FOLD_FEATHER of a line at most in each space. */
static void
S_feather(struct lay_scratch *s, const struct geometry *g,
          const struct plan *pl, double leading)
{
	long last = s->place[s->nlines - 1].slot, from, to, k;
	struct col_end c[PANELS_MAX];
	double end, shift[PANELS_MAX];

	if (g->folded && pl->fill_slot >= 0) {
		S_ends(s, g, pl->fill_slot, pl->fill_slot + 1, pl, c);
		S_spread_most(s, &c[0], pl->fill_end - c[0].end, FOLD_FEATHER,
		              leading, pl);
	}
	S_group(g, last, &from, &to);
	S_feather_pages(s, g, pl, leading, from);
	if (to - from < 2 || to - from > PANELS_MAX)
		return;
	end = S_ends(s, g, from, to, pl, c);
	S_settle(c, to - from, end, leading, 1, shift);
	for (k = 0; k < to - from; k++)
		S_spread(s, &c[k], shift[k], pl);
}

/* The last group of the plan pl has put in s->place (`last` its last
 * slot) ends with its columns more than two lines apart once settled. */
static int
S_unbalanced(const struct lay_scratch *s, const struct geometry *g,
             const struct plan *pl, double leading, long last)
{
	long from, to;
	double raw;

	S_group(g, last, &from, &to);
	return to - from >= 2 && to - from <= PANELS_MAX &&
	       S_imbalance(s, g, from, to, leading, pl, 1, &raw) >
	               UNBALANCED * leading;
}

/* The plan `pl` for the last page: no page of a few lines
 * (S_no_short_page()), its columns balanced (S_balance()). */
static long
S_plan_end(struct lay_scratch *s, const struct geometry *g, struct plan *pl,
           double leading)
{
	return S_balance(s, g, pl, 0, leading, S_no_short_page(s, g, pl));
}

/* The least tightening of `base`, of the steps from `k` to TIGHT_STEPS
 * (step 0: base itself), whose plan balances the last page on `pages`
 * pages: in *pl, its last slot returned; -1 when none does. */
#define TIGHT_STEPS 8

static long
S_tight_step(struct lay_scratch *s, const struct style *st,
             const struct geometry *g, const struct plan *base, struct plan *pl,
             double leading, int pages, int k)
{
	long last;

	for (; k <= TIGHT_STEPS; k++) {
		struct plan t = *base;
		if (k > 0) {
			S_tighten(st, 2.0 * k / TIGHT_STEPS, &t);
			if (t.space >= base->space &&
			    t.leading >= base->leading)
				continue; /* no tighter */
		}
		last = S_plan_end(s, g, &t, leading);
		if (S_plan_pages(g, last) == pages &&
		    !S_unbalanced(s, g, &t, leading, last)) {
			*pl = t;
			return last;
		}
	}
	return -1;
}

/* S_plan_end(); and when that leaves the last page unbalanced and this is
 * the layout's last resort (s->rescue), the whole leaflet set tighter, as
 * S_tighten() would to save a page, up to the style's tightest, so that
 * the page before takes text from the last with the same spacing on
 * every page (S_tight_step()); only when no tightening balances it, the
 * page before ending short (S_balance() with s->rescue), at the style's
 * spacing, then tighter too.  When nothing balances it, the page before
 * ending short at the spacing pl had (the layout keeps that only if it
 * balances).  Returns the last slot of the plan in s->place, which is
 * pl's. */
static long
S_plan_last(struct lay_scratch *s, const struct style *st,
            const struct geometry *g, struct plan *pl, double leading)
{
	struct plan base = *pl;
	int rescue = s->rescue, pages;
	long last;

	s->rescue = 0;
	last = S_plan_end(s, g, pl, leading);
	pages = S_plan_pages(g, last);
	if (rescue && pages > 1 && S_unbalanced(s, g, pl, leading, last)) {
		last = S_tight_step(s, st, g, &base, pl, leading, pages, 1);
		s->rescue = 1;
		if (last < 0)
			last = S_tight_step(s, st, g, &base, pl, leading, pages,
			                    0);
		if (last < 0)
			last = S_plan_end(s, g, pl, leading);
	}
	s->rescue = rescue;
	return last;
}

/* Flows the blocks into columns and pages: as the style sets them, or
 * tighter to save a page; then the last page's columns are balanced, and
 * a last page of a few lines gets more from the page before. */
int
mx_lay_paginate(struct layout *lay, const struct geometry *g)
{
	struct lay_scratch *s = lay->scratch;
	struct plan pl = {1,
	                  1,
	                  {{-1, -1, 0}, {-1, -1, 0}, {-1, -1, 0}},
	                  {LONG_MAX, 0},
	                  -1,
	                  0,
	                  1 - lay->style->squeeze_space};
	struct flow f;
	size_t i;
	long last;
	double leading = lay->style->text[ROLE_BODY].leading;

	if (g->folded && lay->pages < 2)
		lay->pages = 2; /* a sheet has two sides */
	if (s->nlines == 0)
		return 0;
	GROW(lay, s->place, nplace, s->capplace, s->nlines);
	S_plan_tight(lay, g, &pl);
	last = S_plan_last(s, lay->style, g, &pl, leading);
	if (lay->style->columns > 1)
		S_feather(s, g, &pl, leading);
	for (i = 0; i < s->nlines; i++) {
		f.slot = s->place[i].slot;
		mx_lay_slot(g, f.slot, &f.page, &f.col);
		f.y = s->place[i].y;
		mx_lay_place_line(lay, g, &f, i);
	}
	if (S_plan_pages(g, last) > lay->pages)
		lay->pages = S_plan_pages(g, last);
	return 0;
}

/* How far apart the columns of the last group of slots end, in lines of
 * body text, as a reader sees them: from the highest first baseline to
 * each column's last, an empty column at none.  `para` gets the numbers
 * of the paragraphs of text that lie wholly in the group, the last first,
 * at most `max` (*count of them).  0 when the last group is a single
 * column. */
double
mx_lay_last_spread(const struct layout *lay, const struct geometry *g,
                   long *para, int max, int *count)
{
	const struct lay_scratch *s = lay->scratch;
	double start = HUGE_VAL, lo = HUGE_VAL, hi = 0;
	double first[PANELS_MAX], end[PANELS_MAX];
	double leading = lay->style->text[ROLE_BODY].leading;
	long from, to, k;
	size_t i, b;

	*count = 0;
	if (s->nlines == 0)
		return 0;
	S_group(g, s->place[s->nlines - 1].slot, &from, &to);
	if (to - from < 2 || to - from > PANELS_MAX)
		return 0;
	for (k = 0; k < to - from; k++)
		first[k] = end[k] = -1;
	for (i = s->nlines; i > 0 && s->place[i - 1].slot >= from; i--) {
		double base = s->place[i - 1].y + s->lines[i - 1].ascent;
		k = s->place[i - 1].slot - from;
		if (k >= to - from)
			continue;
		if (end[k] < 0)
			end[k] = base;
		first[k] = base;
	}
	for (k = 0; k < to - from; k++)
		if (first[k] >= 0 && first[k] < start)
			start = first[k];
	for (k = 0; k < to - from; k++) {
		double e = end[k] < 0 ? 0 : (end[k] - start) / leading + 1;
		lo = e < lo ? e : lo;
		hi = e > hi ? e : hi;
	}
	for (b = s->nblocks; b > 0 && *count < max; b--) {
		const struct fblock *fb = &s->blocks[b - 1];
		if (s->place[fb->line0].slot < from)
			break;
		if (fb->para >= 0)
			para[(*count)++] = fb->para;
	}
	return hi - lo;
}

/* Puts one line of UTF-8 text into the scratch buffer, measured in
 * `role`; returns its width, or -1 when out of memory. */
static double
S_line_text(struct layout *lay, const char *text, int role)
{
	struct lay_scratch *s = lay->scratch;
	const struct style_text *t = &lay->style->text[role];

	s->n = 0;
	if (mx_lay_para_add(lay, text, strlen(text), t->face, 0))
		return -1;
	while (s->n > 0 && s->cp[s->n - 1] == ' ')
		s->n--;
	s->line = 0;
	mx_lay_measure(lay, t->size);
	return s->cx[s->n];
}

/* Shortens the line in the scratch buffer to at most `max` points with an
 * ellipsis, at a word's end when one is in the second half; returns its
 * width, or -1. */
static double
S_line_shorten(struct layout *lay, int role, double max)
{
	struct lay_scratch *s = lay->scratch;
	const struct style_text *t = &lay->style->text[role];
	size_t n = s->n, k;
	int slot, adv;
	double ell = 0;

	if (mx_pdf_fonts_lookup(lay->fonts, t->face, 0x2026, &slot, &adv) == 0)
		ell = adv * t->size / 1000.0;
	while (n > 0 && s->cx[n] + ell > max)
		n--;
	for (k = n; k > n / 2 && k > 0; k--)
		if (s->cp[k] == ' ' || s->cp[k - 1] == '-' ||
		    s->cp[k - 1] == '/')
			break;
	if (k > n / 2)
		n = k;
	while (n > 0 && (s->cp[n - 1] == ' ' || s->cp[n - 1] == ',' ||
	                 s->cp[n - 1] == '+' || s->cp[n - 1] == '('))
		n--;
	s->n = n;
	if (n == 0 && ell > max)
		return 0;
	if (mx_lay_para_add_char(lay, 0x2026, t->face))
		return -1;
	mx_lay_measure(lay, t->size);
	return s->cx[s->n];
}

/* Draws the line in the scratch buffer at (x, y) on `page`. */
static int
S_line_draw(struct layout *lay, int role, int page, double x, double y)
{
	struct lay_scratch *s = lay->scratch;
	const struct style_text *t = &lay->style->text[role];
	size_t i, r0 = lay->nruns;

	if (s->n == 0)
		return 0;
	if (mx_lay_new_line(lay, t->leading, 0) ||
	    mx_lay_emit_line(lay, 0, s->n, 0, x, 0, 0, t))
		return -1;
	s->nlines--; /* placed directly, not flowed */
	for (i = r0; i < lay->nruns; i++) {
		lay->runs[i].page = page;
		lay->runs[i].y = y;
	}
	s->n = 0;
	return 0;
}

/* Expands {title}, {generic}, {page} and {pages}; with `generic`, {title}
 * becomes the generic name when there is one. */
static void
S_expand(char *out, size_t size, const char *tmpl,
         const struct mx_document *doc, int page, int pages, int generic)
{
	size_t o = 0;

	while (*tmpl && o + 1 < size) {
		const char *val = NULL;
		char num[16];
		size_t skip = 0;
		if (strncmp(tmpl, "{title}", 7) == 0) {
			val = generic && doc->generic_name ? doc->generic_name
			      : doc->title                 ? doc->title
			                                   : "";
			skip = 7;
		} else if (strncmp(tmpl, "{generic}", 9) == 0) {
			val = doc->generic_name ? doc->generic_name : "";
			skip = 9;
		} else if (strncmp(tmpl, "{pages}", 7) == 0) {
			snprintf(num, sizeof(num), "%d", pages);
			val = num;
			skip = 7;
		} else if (strncmp(tmpl, "{page}", 6) == 0) {
			snprintf(num, sizeof(num), "%d", page);
			val = num;
			skip = 6;
		}
		if (val != NULL) {
			size_t n = strlen(val);
			if (n > size - 1 - o)
				n = size - 1 - o;
			memcpy(out + o, val, n);
			o += n;
			tmpl += skip;
		} else {
			out[o++] = *tmpl++;
		}
	}
	out[o] = '\0';
}

/* A slot of a running header or footer: its template, its text's width,
 * the most it may take, and whether it may be shortened (a page number
 * may not). */
struct band_slot {
	const char *tmpl;
	double width, max;
	int fixed;
};

/* The widths each slot may take so that none overlaps another: a gap of
 * two ems between them, the centre slot centred, shortening what may be
 * shortened (the longer of two first). */
static void
S_band_share(struct band_slot *sl, double W, double gap)
{
	struct band_slot *l = &sl[0], *c = &sl[1], *r = &sl[2];
	int i;

	for (i = 0; i < 3; i++)
		sl[i].max = sl[i].width;
	if (c->tmpl == NULL) {
		double room = W - (l->tmpl && r->tmpl ? gap : 0);
		struct band_slot *big = l->width >= r->width ? l : r;
		struct band_slot *small = big == l ? r : l;
		if (l->width + r->width <= room)
			return;
		if (big->fixed && !small->fixed) {
			big = small;
			small = big == l ? r : l;
		}
		if (!small->fixed && small->width > room / 2)
			small->max = room / 2;
		big->max = room - small->max;
		return;
	}
	{
		double side = (l->width > r->width ? l->width : r->width) + gap;
		if (c->width + 2 * side <= W)
			return;
		if (!c->fixed && W - 2 * side >= W / 3) {
			c->max = W - 2 * side;
			return;
		}
		if (!c->fixed && c->width > W / 3)
			c->max = W / 3;
		l->max = r->max = (W - c->max) / 2 - gap;
	}
}

static int
S_band(struct layout *lay, const struct mx_document *doc,
       const struct style_band *band, const struct geometry *g, int page,
       double y)
{
	double inner = page % 2 == 0 ? g->m_inner : g->m_outer;
	double outer = g->page_w - (page % 2 == 0 ? g->m_outer : g->m_inner);
	double W = outer - inner;
	double gap = 2 * lay->style->text[ROLE_HEADER].size;
	struct band_slot sl[3] = {{band->left, 0, 0, 0},
	                          {band->centre, 0, 0, 0},
	                          {band->right, 0, 0, 0}};
	char buf[2048];
	int i;

	/* On the back of a sheet the outer edge is on the left. */
	if (page % 2 == 1) {
		sl[0].tmpl = band->right;
		sl[2].tmpl = band->left;
	}
	for (i = 0; i < 3; i++) {
		if (sl[i].tmpl == NULL)
			continue;
		S_expand(buf, sizeof(buf), sl[i].tmpl, doc, page + 1,
		         lay->pages, 0);
		sl[i].width = S_line_text(lay, buf, ROLE_HEADER);
		sl[i].fixed = strstr(sl[i].tmpl, "{page") != NULL &&
		              strstr(sl[i].tmpl, "{title}") == NULL &&
		              strstr(sl[i].tmpl, "{generic}") == NULL;
		if (sl[i].width < 0)
			return -1;
	}
	S_band_share(sl, W, gap);
	for (i = 0; i < 3; i++) {
		double w, x;
		if (sl[i].tmpl == NULL)
			continue;
		S_expand(buf, sizeof(buf), sl[i].tmpl, doc, page + 1,
		         lay->pages, 0);
		w = S_line_text(lay, buf, ROLE_HEADER);
		if (w > sl[i].max + 0.001 && doc->generic_name != NULL &&
		    strstr(sl[i].tmpl, "{title}") != NULL) {
			/* Too long: the generic name instead, if it fits. */
			S_expand(buf, sizeof(buf), sl[i].tmpl, doc, page + 1,
			         lay->pages, 1);
			w = S_line_text(lay, buf, ROLE_HEADER);
			if (w > sl[i].max + 0.001) {
				S_expand(buf, sizeof(buf), sl[i].tmpl, doc,
				         page + 1, lay->pages, 0);
				w = S_line_text(lay, buf, ROLE_HEADER);
			}
		}
		if (w > sl[i].max + 0.001)
			w = S_line_shorten(lay, ROLE_HEADER, sl[i].max);
		if (w < 0)
			return -1;
		x = i == 0   ? inner
		    : i == 1 ? (inner + outer - w) / 2
		             : outer - w;
		if (S_line_draw(lay, ROLE_HEADER, page, x, y))
			return -1;
	}
	return 0;
}

int
mx_lay_page_furniture(struct layout *lay, const struct mx_document *doc,
                      const struct geometry *g)
{
	const struct style *st = lay->style;
	const struct style_text *hd = &st->text[ROLE_HEADER];
	int p, col;

	for (p = 0; p < lay->pages && !g->folded; p++) {
		if (S_has_band(&st->header) && !(p == 0 && st->title_band) &&
		    S_band(lay, doc, &st->header, g, p,
		           g->page_h - g->m_top - hd->size))
			return -1;
		if (S_has_band(&st->footer) &&
		    S_band(lay, doc, &st->footer, g, p, g->m_bottom))
			return -1;
	}
	if (!(st->column_rule > 0 && st->columns > 1) || g->folded)
		return 0;
	for (p = 0; p < lay->pages; p++) {
		double top = p == 0 ? g->first_top : g->top;
		for (col = 1; col < st->columns; col++) {
			struct lay_rect *r;
			GROW(lay, lay->rects, nrects, lay->caprects,
			     lay->nrects + 1);
			r = &lay->rects[lay->nrects++];
			r->page = p;
			r->x = mx_lay_col_x(lay, g, p, col) -
			       st->gutter * MM / 2;
			r->y = g->page_h - top;
			r->w = 0;
			r->h = -(g->bottom - top);
			r->stroke = st->column_rule;
			r->colour = &st->rule_colour;
		}
	}
	return 0;
}

/* The x of the folds of page `page`, for the fold marks: at most `max`;
 * returns how many. */
int
mx_layout_folds(const struct style *st, int page, double *x, int max)
{
	struct layout lay;
	struct geometry g;
	int k, n = 0;

	memset(&lay, 0, sizeof(lay));
	lay.style = st;
	mx_lay_geometry(&lay, &g);
	if (!g.folded)
		return 0;
	for (k = 1; k < g.columns && n < max; k++)
		x[n++] = g.edge[page % 2][k];
	return n;
}
