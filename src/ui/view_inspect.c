/*
 * view_inspect.c: the table-page inspector overlay (`i` on a selected
 * table page): its entries at the step shown, one square per entry, 32 to
 * a row in entry order -- absent, mapping memory, read-only (hatched),
 * mapping a page-table page (in that page's level colour), pointing to the
 * next level's table -- with the writable alias of a refused Xen pin framed
 * in the violation colour, and a few lines of words (what a ptdump of the
 * page says).  The data comes from inspect.c; this only draws.
 */
#include "view_internal.h"

#include "pgtviz/inspect.h"

#include <stdio.h>

/* Colour and hatching of one entry. */
static pgt_color entry_color(const ctx *c, const pgt_pane_model *pm, const pgt_entry *e)
{
	const pgt_theme *t = c->t;
	if (e->kind == PGT_ENT_TABLE)
		return level_color(t, pgt_sim_table(pm->sim, e->table).level);
	if (e->kind == PGT_ENT_LEAF && e->table != UINT32_MAX &&
	    e->table < pgt_sim_table_count(pm->sim))
		return level_color(t, pgt_sim_table(pm->sim, e->table).level);
	if (e->kind == PGT_ENT_LEAF)
		return t->ram_mapped;
	return t->hole;
}

static void counts_line(const pgt_inspect *in, char *buf, size_t size)
{
	size_t present = 0, ro = 0, tabs = 0, child = 0;
	for (size_t i = 0; i < in->n; i++) {
		const pgt_entry *e = &in->e[i];
		present += e->kind != PGT_ENT_NONE;
		child += e->kind == PGT_ENT_TABLE;
		ro += e->kind == PGT_ENT_LEAF && !e->writable;
		tabs += e->kind == PGT_ENT_LEAF && e->table != UINT32_MAX;
	}
	char sz[32];
	if (child)
		snprintf(buf, size,
		         "%zu of %zu entries present: %zu point to tables, %zu map %s pages",
		         present, in->n, child, present - child,
		         pgt_fmt_size(1ull << in->e[0].shift, sz, sizeof(sz)));
	else
		snprintf(
		    buf, size,
		    "%zu of %zu entries present (%s pages): %zu writable, %zu read-only; %zu map "
		    "a page-table page",
		    present, in->n, pgt_fmt_size(1ull << in->e[0].shift, sz, sizeof(sz)),
		    present - ro, ro, tabs);
}

/* What entry i maps, in words, into buf. */
static void entry_words(const pgt_inspect *in, const pgt_pane_model *pm, size_t i, char *buf,
                        size_t size)
{
	const pgt_entry *e = &in->e[i];
	uint64_t span = 1ull << e->shift;
	char sz[32];
	pgt_fmt_size(span, sz, sizeof(sz));
	if (e->kind == PGT_ENT_NONE) {
		snprintf(buf, size, "entry %u: not present (would cover %#llx - %#llx, %s)",
		         e->index, (unsigned long long)e->va, (unsigned long long)(e->va + span),
		         sz);
		return;
	}
	if (e->kind == PGT_ENT_TABLE) {
		pgt_table t = pgt_sim_table(pm->sim, e->table);
		snprintf(buf, size,
		         "entry %u: points to %s table #%u at %#llx, which maps %#llx - %#llx",
		         e->index, pgt_level_name(t.level), e->table, (unsigned long long)e->pa,
		         (unsigned long long)e->va, (unsigned long long)(e->va + span));
		return;
	}
	char what[96] = "";
	if (e->table != UINT32_MAX && e->table < pgt_sim_table_count(pm->sim))
		snprintf(what, sizeof(what), ": %s table #%u",
		         pgt_level_name(pgt_sim_table(pm->sim, e->table).level), e->table);
	snprintf(buf, size, "entry %u: maps physical %#llx - %#llx (one %s page, %s)%s", e->index,
	         (unsigned long long)e->pa, (unsigned long long)(e->pa + span), sz,
	         e->writable ? "writable" : "read-only", what);
}

/* The entry under the pointer (SIZE_MAX: none): the grid starts at (gx, gy),
 * `pitch` pixels a cell, 32 cells a row, `rows` rows. */
static size_t entry_at(const ctx *c, const pgt_inspect *in, int gx, int gy, int cell, int pitch,
                       int rows)
{
	if (!c->vs->hover)
		return SIZE_MAX;
	int dx = c->vs->hover_x - gx, dy = c->vs->hover_y - gy;
	if (dx < 0 || dy < 0 || dx % pitch >= cell || dy % pitch >= cell)
		return SIZE_MAX;
	size_t col = (size_t)(dx / pitch), row = (size_t)(dy / pitch);
	size_t i = row * 32 + col;
	return col < 32 && row < (size_t)rows && i < in->n ? i : SIZE_MAX;
}

void draw_inspector(ctx *c, const pgt_inspect *in)
{
	const pgt_theme *t = c->t;
	const pgt_pane_model *pm = &c->m->pane[in->pane < c->m->npanes ? in->pane : 0];
	int cols = 32, rows = (int)((in->n + 31) / 32);
	int cell = U(c, 22), gapx = U(c, 2);
	int pad = U(c, 16), lh = c->fs_small + U(c, 6);
	int gw = cols * (cell + gapx);
	if (gw + 2 * pad > c->p->width - 2 * pad) {
		cell = (c->p->width - 4 * pad) / cols - gapx;
		gw = cols * (cell + gapx);
	}
	int w = gw + 2 * pad;
	if (w < U(c, 1240))
		w = U(c, 1240);
	if (w > c->p->width - 2 * pad)
		w = c->p->width - 2 * pad;
	char title[200], a[32], b[32], sz[32];
	snprintf(a, sizeof(a), "%#llx", (unsigned long long)in->e[0].va);
	snprintf(b, sizeof(b), "%#llx",
	         (unsigned long long)(in->e[0].va + ((uint64_t)in->n << in->e[0].shift)));
	snprintf(title, sizeof(title),
	         "%s table #%u at %#llx (%s) at event %zu: covers %s - %s (%s)",
	         pgt_level_name(in->info.level), in->table, (unsigned long long)in->info.pa,
	         pgt_origin_name(in->info.origin), in->event, a, b,
	         pgt_fmt_size((uint64_t)in->n << in->e[0].shift, sz, sizeof(sz)));
	/* a title too wide for the box takes two lines; the hover line is the
	 * window's only (an exported frame has no pointer) */
	int tlh = c->fs_body + U(c, 6);
	int tl = measure(c, PGT_FONT_SANS_BOLD, c->fs_body, title) > w - 2 * pad ? 2 : 1;
	bool hover_line = c->p->interactive;
	int fixed = (tl - 1) * tlh + (8 + hover_line) * lh + 3 * pad;
	int h = rows * (cell + gapx) + fixed;
	if (h > c->p->height - 2 * pad) {
		rows = (c->p->height - 2 * pad - fixed) / (cell + gapx);
		h = rows * (cell + gapx) + fixed;
	}
	int x = (c->p->width - w) / 2, y = (c->p->height - h) / 2;
	dl_rect(c->dl, x, y, w, h, t->overlay_bg);
	dl_frame(c->dl, x, y, w, h, U(c, 2), t->highlight);
	text_wrapped(c, x + pad, y + pad, w - 2 * pad, PGT_FONT_SANS_BOLD, c->fs_body, tlh, t->text,
	             title, tl);
	char line[200];
	counts_line(in, line, sizeof(line));
	int ty = y + pad + (tl - 1) * tlh + lh + U(c, 4);
	dl_text(c->dl, x + pad, ty, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_TOP, t->text,
	        line);
	int gy = ty + lh + U(c, 6);
	for (size_t i = 0; i < in->n && (int)(i / 32) < rows; i++) {
		const pgt_entry *e = &in->e[i];
		int cx = x + pad + (int)(i % 32) * (cell + gapx),
		    cy = gy + (int)(i / 32) * (cell + gapx);
		dl_rect(c->dl, cx, cy, cell, cell, entry_color(c, pm, e));
		if (e->kind == PGT_ENT_LEAF && !e->writable && in->xen)
			dl_hatch(c->dl, cx, cy, cell, cell, U(c, 6) > 3 ? U(c, 6) : 3, U(c, 2),
			         t->ro_hatch);
		if (e->kind == PGT_ENT_NONE)
			dl_frame(c->dl, cx, cy, cell, cell, 1, t->grid);
		if (i == in->alias)
			dl_frame(c->dl, cx - U(c, 2), cy - U(c, 2), cell + U(c, 4), cell + U(c, 4),
			         U(c, 3), t->violation);
	}
	int ly = gy + rows * (cell + gapx) + U(c, 8);
	/* hover: what the entry under the pointer maps */
	size_t hv = entry_at(c, in, x + pad, gy, cell, cell + gapx, rows);
	if (hv != SIZE_MAX) {
		int cx = x + pad + (int)(hv % 32) * (cell + gapx),
		    cy = gy + (int)(hv / 32) * (cell + gapx);
		dl_frame(c->dl, cx - U(c, 1), cy - U(c, 1), cell + U(c, 2), cell + U(c, 2), U(c, 2),
		         t->highlight);
		entry_words(in, pm, hv, line, sizeof(line));
	} else {
		snprintf(line, sizeof(line), "point at an entry to see what it maps");
	}
	if (hover_line)
		ly += lh * text_wrapped(c, x + pad, ly, w - 2 * pad, PGT_FONT_SANS, c->fs_small, lh,
		                        hv != SIZE_MAX ? t->text : t->text_dim, line, 1);
	if (in->alias < in->n) {
		const pgt_entry *e = &in->e[in->alias];
		snprintf(
		    line, sizeof(line),
		    "entry %u maps %#llx, %s table #%u, WRITABLE: the alias that makes Xen refuse "
		    "to pin that page",
		    e->index, (unsigned long long)e->pa,
		    e->table != UINT32_MAX ? pgt_level_name(pgt_sim_table(pm->sim, e->table).level)
		                           : "a",
		    e->table);
		ly += lh * text_wrapped(c, x + pad, ly, w - 2 * pad, PGT_FONT_SANS_BOLD,
		                        c->fs_small, lh, t->violation, line, 2);
	}
	int th = c->fs_tiny + U(c, 4);
	char key[320];
	snprintf(key, sizeof(key),
	         "entry %u top left, 32 a row%s.  Empty: not present; the colour of 'RAM, "
	         "direct-mapped': maps memory; a "
	         "level colour: maps that page-table page, or points to that table; hatched: "
	         "read-only",
	         in->e[0].index, in->e[0].index ? " (the direct map's entries)" : "");
	ly += th * text_wrapped(c, x + pad, ly, w - 2 * pad, PGT_FONT_SANS, c->fs_tiny, th,
	                        t->text_dim, key, 2);
	snprintf(line, sizeof(line), "the same as pgtviz ptdump SCENARIO --table %u --step %zu%s",
	         in->table, in->event, c->p->interactive ? ";  i or Escape closes" : "");
	text_wrapped(c, x + pad, ly, w - 2 * pad, PGT_FONT_SANS, c->fs_tiny, th, t->text_dim, line,
	             2);
}
