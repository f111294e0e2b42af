/*
 * view_hit.c: what is under a point of the canvas (timeline, tree square,
 * memory map row, table page), read from the layout pgt_view_build() wrote.
 * No drawing.
 */
#include "view_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_rect(int x, int y, int rx, int ry, int rw, int rh)
{
	return x >= rx && x < rx + rw && y >= ry && y < ry + rh;
}

/* Nearest visible table page to addr within [a, b). */
static uint32_t nearest_table(const pgt_pane_model *pm, uint64_t a, uint64_t b, uint64_t addr,
                              size_t step, uint32_t *count)
{
	uint32_t best = UINT32_MAX;
	uint64_t bestd = UINT64_MAX;
	*count = 0;
	for (size_t k = table_lower_bound(pm, a); k < pm->ntab; k++) {
		const pgt_tab_entry *t = &pm->tabs[k];
		uint64_t pa = tab_pa(t);
		if (pa >= b)
			break;
		if (t->vis > step)
			continue;
		(*count)++;
		uint64_t d = pa > addr ? pa - addr : addr - pa;
		if (d < bestd) {
			bestd = d;
			best = pm->by_pa[k];
		}
	}
	return best;
}

pgt_hit pgt_view_hit(const pgt_view_model *m, const pgt_view_layout *lay, const pgt_viewstate *vs,
                     int x, int y)
{
	pgt_hit h = {.pane = -1, .table = UINT32_MAX};
	if (lay->tl_w > 0 && in_rect(x, y, lay->tl_x, lay->tl_y, lay->tl_w, lay->tl_h)) {
		h.timeline = true;
		size_t n = m->nsteps ? m->nsteps - 1 : 0;
		double f = (double)(x - lay->tl_x) / (double)(lay->tl_w > 1 ? lay->tl_w : 1);
		h.tl_step = (size_t)lround(f * (double)n);
		return h;
	}
	for (int p = 0; p < lay->npanes; p++) {
		const pgt_pane_layout *pl = &lay->pane[p];
		size_t step = pgt_view_pane_at(m, vs, p);
		/* A square of the page-table tree (a little slack around it). */
		for (int i = 0; i < pl->ntree; i++) {
			int sl = pl->tree[i].s / 6 + 1;
			if (!in_rect(x, y, pl->tree[i].x - sl, pl->tree[i].y - sl,
			             pl->tree[i].s + 2 * sl, pl->tree[i].s + 2 * sl))
				continue;
			uint32_t k = pl->tree[i].table;
			if (k >= m->pane[p].ntab)
				break;
			h.pane = p;
			h.tree = true;
			h.has_addr = true;
			h.table = k;
			h.ntables = 1;
			h.addr = pgt_sim_table(m->pane[p].sim, k).pa;
			return h;
		}
		const pgt_strip_row *rows[PGT_VIEW_MAX_ROWS + 2];
		int nr = 0;
		for (int i = 0; i < pl->nrows; i++)
			rows[nr++] = &pl->rows[i];
		for (int i = 0; i < 2; i++)
			if (pl->detail[i].w > 0)
				rows[nr++] = &pl->detail[i];
		for (int i = 0; i < nr; i++) {
			const pgt_strip_row *r = rows[i];
			if (r->gap || !in_rect(x, y, r->x, r->y, r->w, r->h))
				continue;
			h.pane = p;
			h.has_addr = true;
			double f = (double)(x - r->x) / (double)r->w;
			h.addr = r->lo + (uint64_t)(f * (double)r->span);
			/* Tables whose marker covers the pointer. */
			double per_px = (double)r->span / (double)r->w;
			uint64_t slop = (uint64_t)(per_px * (double)lay->marker_w);
			uint64_t a = h.addr > slop ? h.addr - slop : 0;
			uint64_t b = h.addr + (uint64_t)per_px + 1;
			/* Markers near the row's end are drawn pulled back inside it. */
			if (x >= r->x + r->w - lay->marker_w && !r->gap)
				b = r->lo + r->span;
			if (b - a < PAGE) {
				a = h.addr & ~(uint64_t)(PAGE - 1);
				b = a + PAGE;
			}
			h.table = nearest_table(&m->pane[p], a, b, h.addr, step, &h.ntables);
			if (h.table != UINT32_MAX && b - a <= 2 * PAGE)
				h.addr = pgt_sim_table(m->pane[p].sim, h.table).pa;
			return h;
		}
		if (in_rect(x, y, pl->x, pl->y, pl->w, pl->h))
			h.pane = p;
	}
	return h;
}
