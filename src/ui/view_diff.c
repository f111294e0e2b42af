/*
 * view_diff.c: the difference lane between two panes: per pane, how many
 * table pages of each level, where they came from (pgt_buf, BRK, memblock,
 * ...) and how much is mapped, side by side at the step drawn.
 */
#include "view_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pane_sum {
	uint32_t used[PGT_ORIGIN_COUNT]; /* table pages by origin */
	uint32_t total;
	uint64_t wasted;   /* reserved for page tables but unused */
	uint64_t returned; /* old: handed back after the call */
	uint64_t lo[PGT_ORIGIN_COUNT], hi[PGT_ORIGIN_COUNT]; /* where, per origin */
} pane_sum;

static void pane_summary(const pgt_pane_model *pm, size_t step, pane_sum *ps)
{
	memset(ps, 0, sizeof(*ps));
	pgt_origin_sum os;
	table_origin_sum(pm, step, &os);
	for (int o = 0; o < PGT_ORIGIN_COUNT; o++) {
		ps->used[o] = os.n[o];
		ps->total += os.n[o];
		ps->lo[o] = os.n[o] ? os.lo[o] : UINT64_MAX;
		ps->hi[o] = os.n[o] ? os.hi[o] : 0;
	}
	pgt_state st = pgt_sim_state_at(pm->sim, step);
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > step)
			continue;
		bool done = b->done <= step;
		uint64_t end = done ? b->end_pfn : st.pgt_buf_end;
		if (!pm->is_old) {
			uint64_t used = st.brk_used;
			uint64_t size = b->top_pfn - b->start_pfn;
			ps->wasted += size > used ? size - used : 0;
		} else if (done) {
			ps->returned += b->top_pfn - end;
		} else {
			ps->wasted += b->top_pfn - end;
		}
	}
}

static pgt_color origin_color(const pgt_theme *t, int origin)
{
	switch (origin) {
	case PGT_ORIGIN_STATIC:
	case PGT_ORIGIN_XEN:
		return t->kernel;
	case PGT_ORIGIN_PGTBUF:
		return t->pgtbuf_used;
	case PGT_ORIGIN_BRK:
	case PGT_ORIGIN_EXTEND_BRK:
		return t->brk;
	default:
		return t->pfn_mapped;
	}
}

/* The lane's name for pane p: its scheme ("Old", "New"); next to a pane of
 * the same scheme its version ("3.7-rc2" next to "3.7"), and "Left" /
 * "Right" when that is the same too (another Xen rule, say). */
static const char *lane_name(const ctx *c, int p, char *buf, size_t size)
{
	const pgt_sim *a = c->m->pane[p].sim;
	int sch = pgt_sim_scheme(a);
	if (c->m->npanes != 2 || pgt_sim_scheme(c->m->pane[1 - p].sim) != sch)
		return scheme_short(sch);
	if (pgt_sim_kver(c->m->pane[1 - p].sim) == pgt_sim_kver(a))
		return p ? "Right" : "Left";
	return pgt_kver_format(pgt_sim_kver(a), buf, size);
}

/* The difference lane's sentence for one pane: pages in use by origin
 * (with their address ranges when addrs), the tables present at boot
 * (when boot), reserved but unused and handed back. */
static void diff_words(const pane_sum *s, const int *order, size_t norder, bool addrs, bool boot,
                       bool terse, char *line, size_t size)
{
	size_t len = 0;
	line[0] = '\0';
	len += (size_t)snprintf(line, size, "%u in use", s->total);
	uint32_t pre = s->used[PGT_ORIGIN_STATIC] + s->used[PGT_ORIGIN_XEN];
	for (size_t k = 0; k < norder && len < size; k++) {
		int o = order[k];
		if (!s->used[o] || o == PGT_ORIGIN_STATIC || o == PGT_ORIGIN_XEN)
			continue;
		const char *sep = len && line[len - 1] == 'e' ? ": " : ", ";
		if (addrs)
			len += (size_t)snprintf(line + len, size - len,
			                        "%s%u %s @%#" PRIx64 "-%#" PRIx64, sep, s->used[o],
			                        pgt_origin_name(o), s->lo[o], s->hi[o]);
		else
			len += (size_t)snprintf(line + len, size - len, "%s%u %s", sep, s->used[o],
			                        pgt_origin_name(o));
	}
	if (pre && boot && len < size)
		len += (size_t)snprintf(line + len, size - len, ", %u present at boot", pre);
	if (len < size)
		len += (size_t)snprintf(line + len, size - len,
		                        terse ? " | %" PRIu64 " unused"
		                              : " | %" PRIu64 " reserved but unused",
		                        s->wasted);
	if (s->returned && len < size)
		snprintf(line + len, size - len,
		         terse ? ", %" PRIu64 " back" : ", %" PRIu64 " handed back", s->returned);
}

void draw_diff(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	int x = pad, w = c->lay->width - 2 * pad;
	dl_rect(c->dl, x, y, w, h, t->panel);
	pane_sum ps[2];
	size_t steps[2];
	uint64_t maxpages = 1;
	for (int p = 0; p < c->m->npanes; p++) {
		steps[p] = pgt_view_pane_at(c->m, c->vs, p);
		pane_summary(&c->m->pane[p], steps[p], &ps[p]);
		if (ps[p].total + ps[p].wasted > maxpages)
			maxpages = ps[p].total + ps[p].wasted;
	}
	int rowh = (h - U(c, 8)) / 2;
	char nm[2][24];
	const char *name[2] = {lane_name(c, 0, nm[0], sizeof(nm[0])),
	                       c->m->npanes == 2 ? lane_name(c, 1, nm[1], sizeof(nm[1])) : ""};
	int labw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, "Bottom-up");
	for (int p = 0; p < 2; p++) {
		int nw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, name[p]);
		labw = nw > labw ? nw : labw;
	}
	labw += U(c, 8);
	int barw = w * 18 / 100, textx = x + U(c, 10) + labw + barw + U(c, 12);
	char topl[32];
	pgt_fmt_size(c->m->addr_top, topl, sizeof(topl));
	int stripx = x + w * 70 / 100,
	    stripw = w - (stripx - x) - U(c, 20) - measure(c, PGT_FONT_MONO, c->fs_tiny, topl);
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	for (int p = 0; p < c->m->npanes; p++) {
		const pane_sum *s = &ps[p];
		int ry = y + U(c, 4) + p * rowh, bh = rowh * 6 / 10, by = ry + (rowh - bh) / 2;
		dl_text(c->dl, x + U(c, 10), ry + rowh / 2, PGT_FONT_SANS_BOLD, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text, name[p]);
		/* Stacked bar: pages in use by origin, then reserved-but-unused. */
		int bx = x + U(c, 10) + labw;
		dl_rect(c->dl, bx, by, barw, bh, t->bg);
		double ppx = (double)barw / (double)maxpages;
		int cx = bx;
		static const int order[] = {
		    PGT_ORIGIN_STATIC,     PGT_ORIGIN_XEN,      PGT_ORIGIN_PGTBUF, PGT_ORIGIN_BRK,
		    PGT_ORIGIN_EXTEND_BRK, PGT_ORIGIN_MEMBLOCK, PGT_ORIGIN_CHUNK};
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			int o = order[k];
			if (!s->used[o])
				continue;
			int pw = (int)lround((double)s->used[o] * ppx);
			if (pw < 2)
				pw = 2;
			dl_rect(c->dl, cx, by, pw, bh, origin_color(t, o));
			cx += pw;
		}
		if (s->wasted) {
			int pw = (int)lround((double)s->wasted * ppx);
			if (pw < 2)
				pw = 2;
			dl_rect(c->dl, cx, by, pw, bh, t->pgtbuf_free);
			dl_hatch(c->dl, cx, by, pw, bh, period, (period + 1) / 2, t->bg);
		}
		dl_frame(c->dl, bx, by, barw, bh, U(c, 1), t->grid);
		/* Words: how many, from where, where they sit -- the longest
		 * wording that fits (addresses go first, then the tables present
		 * at boot). */
		char line[400];
		int room = stripx - textx - U(c, 10);
		for (int v = 0; v < 5; v++) { /* the last: terse ("unused", "back") */
			diff_words(s, order, sizeof(order) / sizeof(order[0]), v < 2,
			           v % 2 == 0 && v < 4, v == 4, line, sizeof(line));
			if (measure(c, PGT_FONT_SANS, c->fs_small, line) <= room)
				break;
		}
		dl_clip(c->dl, textx, ry, stripx - textx - U(c, 10), rowh);
		dl_text(c->dl, textx, ry + rowh / 2, PGT_FONT_SANS, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text, line);
		dl_clip(c->dl, 0, 0, 0, 0);
		/* Where the tables landed, on one linear address axis for both. */
		const pgt_pane_model *pm = &c->m->pane[p];
		uint64_t top = c->m->addr_top;
		int sy = p == 0 ? y + h / 2 - U(c, 2) - bh : y + h / 2 + U(c, 2);
		/* One search per pixel column, then blocks of table pages
		 * (view_tables.c): big maps stay cheap. */
		size_t k = 0;
		for (int px = 0; px < stripw; px++) {
			uint64_t a = (uint64_t)((double)px / (double)stripw * (double)top);
			uint64_t b = (uint64_t)((double)(px + 1) / (double)stripw * (double)top);
			k = table_gallop(pm, k, a);
			size_t k1 = table_gallop(pm, k, b);
			pgt_tab_agg ag = {{0}, 0};
			table_agg(pm, k, k1, steps[p], &ag);
			k = k1;
			int lvl, cap;
			agg_levels(&ag, &lvl, &cap);
			if (lvl)
				dl_rect(c->dl, stripx + px, sy, c->lay->marker_w, bh,
				        level_color(t, lvl));
			/* the cap on the side away from the axis */
			if (cap)
				dl_rect(c->dl, stripx + px, p == 0 ? sy : sy + bh - agg_cap_h(bh),
				        c->lay->marker_w, agg_cap_h(bh), level_color(t, cap));
		}
	}
	if (c->m->npanes == 2) {
		dl_rect(c->dl, stripx, y + h / 2 - U(c, 1), stripw, U(c, 2), t->grid);
		dl_text(c->dl, stripx - U(c, 6), y + h / 2, PGT_FONT_MONO, c->fs_tiny,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text_dim, "0");
		dl_text(c->dl, stripx + stripw + U(c, 6), y + h / 2, PGT_FONT_MONO, c->fs_tiny,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, topl);
		/* the longest wording that stays over the strip, clear of the
		 * rows' words on its left */
		char cap[96];
		for (int k = 0; k < 3; k++) {
			if (k == 0)
				snprintf(cap, sizeof(cap),
				         "where the tables are: %s above the line, %s below",
				         name[0], name[1]);
			else if (k == 1)
				snprintf(cap, sizeof(cap), "%s above the line, %s below", name[0],
				         name[1]);
			else
				snprintf(cap, sizeof(cap), "%s above, %s below", name[0], name[1]);
			if (measure(c, PGT_FONT_SANS, c->fs_tiny, cap) <= stripw + U(c, 4))
				break;
		}
		dl_text(c->dl, stripx + stripw, y + h - U(c, 2), PGT_FONT_SANS, c->fs_tiny,
		        PGT_AN_RIGHT | PGT_AN_BOTTOM, t->text_dim, cap);
	}
}
