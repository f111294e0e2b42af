/*
 * view_map.c: the memory map of a pane (rows of address space, to scale).
 *
 * Memory map layout chosen: the visible address window is cut into rows of
 * equal span (a power of two, so row labels are round hex numbers), each
 * row drawn to scale left to right.  Runs of rows that contain no e820
 * entry at all (e.g. the 60 TiB between RAM banks of a big machine) are
 * compressed into one thin "hole" row that says how much it hides.  The
 * span is the smallest power of two that fits the rows in the pane, so a
 * 4 GiB PC gets 512 MiB rows and a 64 TiB machine still shows every RAM
 * bank.  A zoomed window (wheel, --view, the camera) is cut into uniform
 * rows from its first address instead (camera.h: an affine pixel-address
 * map, so zoom keeps the address under the pointer and a drag moves the
 * picture with the pointer), with a context overview above it: the whole
 * map on one line, the zoomed window framed in it, and the chunk under way.
 *
 * Every table page is drawn as a marker at its real address that is at
 * least marker_w pixels wide: pages falling in the same pixel column are
 * aggregated (the colour of the level most of them have, a cap on top in
 * the colour of any higher level among them, hatched if one is read-only;
 * docs/window.md, "Aggregated columns"), so no level of detail ever hides
 * a table page and a dense run does not turn into a moiré of levels.  Two per-page detail strips
 * below the map show the pgt_buf/BRK window and the latest memblock
 * allocations one cell per 4 KiB page, where pgt_buf_start/end/top and the
 * growth of the buffer are legible.
 */
#include "view_internal.h"

#include "pgtviz/camera.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v - v % a;
}

static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 1;
	while (p < v && p < (1ull << 62))
		p <<= 1;
	return p;
}

static pgt_color e820_color(const pgt_theme *t, uint32_t type)
{
	switch (type) {
	case PGT_E820_RAM:
		return t->ram;
	case PGT_E820_ACPI:
	case PGT_E820_NVS:
		return t->acpi;
	case PGT_E820_UNUSABLE:
		return t->unusable;
	default:
		return t->reserved;
	}
}

static pgt_color resv_color(const pgt_theme *t, int kind)
{
	switch (kind) {
	case PGT_RESV_KERNEL:
		return t->kernel;
	case PGT_RESV_INITRD:
		return t->initrd;
	case PGT_RESV_XEN:
		return t->resv_xen;
	case PGT_RESV_SETUP_DATA:
	case PGT_RESV_EBDA:
	case PGT_RESV_EFI_BOOT:
		return t->resv_fw;
	default:
		return t->resv_other;
	}
}

/* Whether [a, b) intersects an e820 entry or a table page. */
static bool range_has_content(const pgt_view_model *m, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < m->ne820; i++)
		if (m->e820[i].start < b && m->e820[i].end > a)
			return true;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		size_t k = table_lower_bound(pm, a);
		if (k < pm->ntab && tab_pa(&pm->tabs[k]) < b)
			return true;
	}
	return false;
}

/* Counts rows for a span (gap runs count as one); fills rows if non-NULL.
 * Returns SIZE_MAX when more than limit. */
static size_t plan_rows(const pgt_view_model *m, uint64_t lo, uint64_t hi, uint64_t span,
                        size_t limit, pgt_strip_row *rows)
{
	size_t n = 0;
	uint64_t a = align_down(lo, span);
	while (a < hi) {
		uint64_t b = a + span;
		if (range_has_content(m, a, b)) {
			if (n >= limit)
				return SIZE_MAX;
			if (rows)
				rows[n] = (pgt_strip_row){.lo = a, .span = span};
			n++;
			a = b;
			continue;
		}
		/* A hole: skip to the next row with content (by e820 starts). */
		uint64_t next = hi;
		for (size_t i = 0; i < m->ne820; i++)
			if (m->e820[i].start >= b && m->e820[i].start < next)
				next = m->e820[i].start;
		for (int p = 0; p < m->npanes; p++) {
			const pgt_pane_model *pm = &m->pane[p];
			size_t k = table_lower_bound(pm, b);
			if (k < pm->ntab) {
				uint64_t pa = tab_pa(&pm->tabs[k]);
				if (pa < next)
					next = pa;
			}
		}
		next = align_down(next, span);
		if (next < b)
			next = b;
		if (next > hi)
			next = hi;
		if (n >= limit)
			return SIZE_MAX;
		if (rows)
			rows[n] =
			    (pgt_strip_row){.lo = a, .span = span, .gap = true, .gap_end = next};
		n++;
		a = next;
	}
	return n;
}

/* Decides rows for pane p and writes them into the pane layout. */
/* The rows of a zoomed window: nrows of about row_h (camera.h), below the
 * overview band of height ov; written for every frame so that input can
 * zoom from the whole-map view into exactly these rows. */
static void zoom_geometry(const ctx *c, pgt_cam_geom *g, int x, int y, int w, int h, int ov,
                          int row_h, int vgap)
{
	int zh = h - ov;
	int n = (zh + vgap) / (row_h + vgap);
	if (n > PGT_VIEW_MAX_ROWS)
		n = PGT_VIEW_MAX_ROWS;
	if (n < 1)
		n = 1;
	int rh = (zh + vgap) / n - vgap;
	if (rh > row_h * 2)
		rh = row_h * 2;
	if (rh < c->fs_tiny)
		rh = c->fs_tiny;
	*g = (pgt_cam_geom){.x = x,
	                    .y = y + ov,
	                    .w = w > 1 ? w : 1,
	                    .row_h = rh,
	                    .pitch = rh + vgap,
	                    .nrows = n,
	                    .page_px = U(c, 24)};
}

static void layout_rows(ctx *c, int p, int x, int y, int w, int h, int ov)
{
	pgt_pane_layout *pl = &c->lay->pane[p];
	const pgt_pane_view *pv = &c->vs->pane[p];
	uint64_t top = pow2_ceil(c->m->addr_top);
	if (top < c->m->addr_top)
		top = c->m->addr_top;
	uint64_t lo = pv->len ? pv->lo : 0, len = pv->len ? pv->len : c->m->addr_top;
	if (lo >= c->m->addr_top)
		lo = 0;
	uint64_t hi = lo + len;
	if (hi > c->m->addr_top || hi < lo)
		hi = c->m->addr_top;
	pl->view_lo = lo;
	pl->view_len = hi - lo;

	/* Rows keep room for their marker labels (text never shrinks below the
	 * minimum size, so small canvases get fewer, coarser rows). */
	int row_h = U(c, 34), gap_h = U(c, 18), vgap = U(c, 20);
	if (vgap < c->fs_tiny * 5 / 4 + 4)
		vgap = c->fs_tiny * 5 / 4 + 4;
	/* The last row's marker label goes below it: keep that gap too. */
	h -= vgap;
	if (gap_h < c->fs_tiny + 2)
		gap_h = c->fs_tiny + 2;
	if (row_h < 2 * c->fs_tiny)
		row_h = 2 * c->fs_tiny;
	zoom_geometry(c, &pl->cam, x, y, w, h, ov, row_h, vgap);
	if (pv->len) {
		pl->nrows = pgt_cam_rows(&pl->cam, lo, pv->len, pl->rows, PGT_VIEW_MAX_ROWS);
		pl->view_len = pgt_cam_span(&pl->cam, pv->len) * (uint64_t)pl->nrows;
		return;
	}
	int maxrows = (h + vgap) / (gap_h + vgap);
	if (maxrows > PGT_VIEW_MAX_ROWS)
		maxrows = PGT_VIEW_MAX_ROWS;
	if (maxrows < 1)
		maxrows = 1;
	/* Smallest power-of-two span whose plan fits in the height. */
	uint64_t span = pow2_ceil((hi - lo) / (uint64_t)maxrows);
	if (span < PAGE)
		span = PAGE;
	while (span > PAGE * 2) {
		size_t n2 = plan_rows(c->m, lo, hi, span / 2, (size_t)maxrows, NULL);
		if (n2 == SIZE_MAX)
			break;
		/* Check the height really fits with mixed row heights. */
		pgt_strip_row tmp[PGT_VIEW_MAX_ROWS];
		plan_rows(c->m, lo, hi, span / 2, (size_t)maxrows, tmp);
		int need = 0;
		for (size_t i = 0; i < n2; i++)
			need +=
			    (tmp[i].gap ? gap_h : (U(c, 22) > c->fs_tiny ? U(c, 22) : c->fs_tiny)) +
			    vgap;
		if (need > h + vgap)
			break;
		span /= 2;
	}
	size_t n = plan_rows(c->m, lo, hi, span, PGT_VIEW_MAX_ROWS, pl->rows);
	if (n == SIZE_MAX)
		n = (size_t)PGT_VIEW_MAX_ROWS;
	pl->nrows = (int)n;
	/* Heights: real rows share what the gaps leave, up to row_h. */
	int ngaps = 0;
	for (size_t i = 0; i < n; i++)
		ngaps += pl->rows[i].gap;
	int nreal = (int)n - ngaps;
	int avail = h - ngaps * (gap_h + vgap) - nreal * vgap + vgap;
	int rh = nreal ? avail / nreal : row_h;
	if (rh > row_h * 2)
		rh = row_h * 2;
	if (rh < U(c, 10))
		rh = U(c, 10);
	if (rh < c->fs_tiny)
		rh = c->fs_tiny;
	int yy = y;
	for (size_t i = 0; i < n; i++) {
		pgt_strip_row *r = &pl->rows[i];
		r->x = x;
		r->w = w;
		r->y = yy;
		r->h = r->gap ? gap_h : rh;
		yy += r->h + vgap;
	}
}

/* x pixel of an address within a row (clamped to the row). */
static int row_x(const pgt_strip_row *r, uint64_t addr)
{
	if (addr <= r->lo)
		return r->x;
	uint64_t off = addr - r->lo;
	if (off >= r->span)
		return r->x + r->w;
	return r->x + (int)((double)off * (double)r->w / (double)r->span);
}

/* Draws [a, b) of row r in the band (y0, h) with at least minw pixels. */
static void row_fill(const ctx *c, const pgt_strip_row *r, uint64_t a, uint64_t b, int y0, int h,
                     int minw, pgt_color col)
{
	uint64_t ra = r->lo, rb = r->lo + r->span;
	if (b <= ra || a >= rb)
		return;
	int x0 = row_x(r, a < ra ? ra : a), x1 = row_x(r, b > rb ? rb : b);
	if (x1 - x0 < minw) {
		x1 = x0 + minw;
		if (x1 > r->x + r->w) {
			x1 = r->x + r->w;
			x0 = x1 - minw;
		}
	}
	dl_rect(c->dl, x0, y0, x1 - x0, h, col);
}

/* ---- layers of a row ---------------------------------------------------- */

static void row_background(const ctx *c, int p, const pgt_strip_row *r, int by, int bh)
{
	const pgt_rangeset *mapped = &c->cache->mapped[p];
	const pgt_theme *t = c->t;
	dl_rect(c->dl, r->x, by, r->w, bh, t->hole);
	uint64_t ra = r->lo, rb = r->lo + r->span;
	for (size_t i = 0; i < c->m->ne820; i++) {
		const pgt_e820_entry *e = &c->m->e820[i];
		if (e->end <= ra || e->start >= rb)
			continue;
		row_fill(c, r, e->start, e->end, by, bh, 1, e820_color(t, e->type));
		if (e->type != PGT_E820_RAM)
			continue;
		/* Direct-mapped RAM gets the stronger colour. */
		for (size_t k = 0; k < mapped->n; k++) {
			uint64_t a = mapped->r[k].a, b = mapped->r[k].b;
			if (b <= e->start || a >= e->end)
				continue;
			row_fill(c, r, a > e->start ? a : e->start, b < e->end ? b : e->end, by, bh,
			         0, t->ram_mapped);
		}
	}
}

static void row_mapped_band(const ctx *c, int p, const pgt_strip_row *r, int y, int h)
{
	const pgt_rangeset *mapped = &c->cache->mapped[p];
	for (size_t k = 0; k < mapped->n; k++)
		row_fill(c, r, mapped->r[k].a, mapped->r[k].b, y, h, 1, c->t->mapped_band);
}

static void row_reservations(const ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y,
                             int h, size_t step)
{
	const pgt_scenario *sc = c->m->sc;
	int minw = c->lay->marker_w;
	uint64_t ks, ke;
	ks = c->m->kernel_lo;
	ke = c->m->kernel_hi;
	if (ke > ks)
		row_fill(c, r, ks, ke, y, h, minw, c->t->kernel);
	if (sc)
		for (size_t i = 0; i < sc->n_resv; i++)
			if (sc->resv[i].kind != PGT_RESV_CRASHKERNEL)
				row_fill(c, r, sc->resv[i].start, sc->resv[i].end, y, h, minw,
				         resv_color(c->t, sc->resv[i].kind));
	/* pgt_buf windows (old scheme) / the BRK buffer (new scheme). */
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > step)
			continue;
		uint64_t s = b->start_pfn << 12, top = b->top_pfn << 12;
		if (!pm->is_old) {
			row_fill(c, r, s, top, y, h, minw, c->t->brk);
			continue;
		}
		bool done = b->done <= step;
		uint64_t end = (done ? b->end_pfn : c->st[pm == &c->m->pane[0] ? 0 : 1].pgt_buf_end)
		               << 12;
		row_fill(c, r, s, top, y, h, minw,
		         done ? c->t->pgtbuf_returned : c->t->pgtbuf_free);
		if (end > s)
			row_fill(c, r, s, end, y, h, minw, c->t->pgtbuf_used);
	}
}

/* The crashkernel= reservation (kdump), from the step the kernel makes it:
 * a block in its own colour with a frame, over the row's lower half. */
static void row_crashkernel(const ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y,
                            int h, size_t step)
{
	if (pm->crash_ev == SIZE_MAX || pm->crash_ev > step)
		return;
	const pgt_event e_v = pgt_sim_event(pm->sim, pm->crash_ev), *e = &e_v;
	uint64_t ra = r->lo, rb = r->lo + r->span;
	if (e->b <= ra || e->a >= rb)
		return;
	row_fill(c, r, e->a, e->b, y, h, c->lay->marker_w, c->t->crashkernel);
	int x0 = row_x(r, e->a < ra ? ra : e->a), x1 = row_x(r, e->b > rb ? rb : e->b);
	if (x1 - x0 >= 3 * U(c, 2))
		dl_frame(c->dl, x0, y, x1 - x0, h, U(c, 2) < 1 ? 1 : U(c, 2), c->t->text);
}

/* Xen read-only pages (hatched, so colour is not the only cue). */
static void row_ro(const ctx *c, int p, const pgt_strip_row *r, int y, int h)
{
	const pgt_rangeset *ro = &c->cache->ro[p];
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	uint64_t ra = r->lo, rb = r->lo + r->span;
	for (size_t k = 0; k < ro->n; k++) {
		uint64_t a = ro->r[k].a, b = ro->r[k].b;
		if (b <= ra || a >= rb)
			continue;
		int x0 = row_x(r, a < ra ? ra : a), x1 = row_x(r, b > rb ? rb : b);
		if (x1 - x0 < c->lay->marker_w)
			x1 = x0 + c->lay->marker_w;
		dl_hatch(c->dl, x0, y, x1 - x0, h, period, (period + 1) / 2, c->t->ro_hatch);
	}
}

/* The first page-aligned address after column x (relative to the row)
 * whose pixel column is beyond x: a page address below it is drawn in a
 * column <= x.  row_x's own rounding decides, so the two never disagree. */
static uint64_t col_end(const pgt_strip_row *r, int x)
{
	uint64_t rb = r->lo + r->span;
	if (x + 1 >= r->w)
		return rb;
	double f = (double)(x + 1) * (double)r->span / (double)r->w;
	uint64_t a = (r->lo + (uint64_t)f) & ~(uint64_t)(PAGE - 1);
	while (a < rb && row_x(r, a) - r->x <= x)
		a += PAGE;
	while (a >= r->lo + PAGE && row_x(r, a - PAGE) - r->x > x)
		a -= PAGE;
	return a;
}

/* Table markers: binned per pixel column so none is ever lost.  A column
 * of several table pages takes the colour most of them have, with a cap in
 * the colour of a higher level among them (agg_levels).  Only columns that
 * hold table pages cost anything: a binary search to the column's end and
 * the blocks of table pages in it (view_tables.c). */
static void row_tables(ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y, int h,
                       size_t step)
{
	int w = r->w;
	if (w <= 0)
		return;
	size_t need = (size_t)w;
	if (c->cache->bins_cap < need) {
		uint8_t *ns = realloc(c->cache->bins, need);
		if (!ns)
			return;
		c->cache->bins = ns;
		c->cache->bins_cap = need;
	}
	uint8_t *bins = c->cache->bins; /* bits 0-2 fill level, 3-5 cap level, 6 RO */
	memset(bins, 0, need);
	uint64_t rb = r->lo + r->span;
	bool any = false;
	for (size_t k = table_lower_bound(pm, r->lo); k < pm->ntab;) {
		uint64_t pa = tab_pa(&pm->tabs[k]);
		if (pa >= rb)
			break;
		int x = row_x(r, pa) - r->x;
		if (x >= w)
			x = w - 1;
		size_t k1 = table_gallop(pm, k + 1, col_end(r, x));
		pgt_tab_agg a = {{0}, 0};
		table_agg(pm, k, k1, step, &a);
		int fill, cap;
		agg_levels(&a, &fill, &cap);
		if (fill) {
			uint8_t v = (uint8_t)(fill | cap << 3 | (a.nro ? 64 : 0));
			/* A zoomed row gives a page more than one column: the
			 * page fills its own width (a 24-pixel page is a
			 * 24-pixel block, not a marker at its start), less one
			 * column so that neighbouring pages stay apart. */
			int xe = row_x(r, tab_pa(&pm->tabs[k1 - 1]) + PAGE) - r->x;
			if (xe > w)
				xe = w;
			if (xe - x >= 6)
				xe--;
			for (int i = x; i < xe || i == x; i++)
				bins[i] = v;
			any = true;
		}
		k = k1;
	}
	if (!any)
		return;
	int mw = c->lay->marker_w;
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	for (int x = 0; x < w; x++) {
		if (!bins[x])
			continue;
		int x1 = x + 1;
		while (x1 < w && bins[x1] == bins[x])
			x1++;
		int px = r->x + x, pw = x1 - x;
		if (pw < mw)
			pw = mw;
		if (px + pw > r->x + w)
			px = r->x + w - pw;
		dl_rect(c->dl, px, y, pw, h, level_color(c->t, bins[x] & 7));
		if (bins[x] & 0x38)
			dl_rect(c->dl, px, y, pw, agg_cap_h(h),
			        level_color(c->t, (bins[x] >> 3) & 7));
		if (bins[x] & 64)
			dl_hatch(c->dl, px, y, pw, h, period, (period + 1) / 2, c->t->ro_hatch);
		x = x1 - 1;
	}
}

/* A vertical marker line with a label in the gap above the row. */
/* The violation flag's extent [x0, x1) over one row (x1 <= x0: none). */
typedef struct flag_span {
	const pgt_strip_row *row;
	int x0, x1;
} flag_span;

static void row_marker(const ctx *c, const pgt_strip_row *r, uint64_t addr, pgt_color col,
                       const char *label, int anchor, bool line, const flag_span *flag)
{
	if (addr < r->lo || addr > r->lo + r->span)
		return;
	int x = row_x(r, addr);
	int lw = U(c, 2);
	if (line) /* the lines first, every label over them afterwards */
		dl_rect(c->dl, x - lw / 2, r->y - U(c, 4), lw, r->h + U(c, 8), col);
	if (!label || line)
		return;
	/* below: label in the gap under the row instead of above it */
	bool below = (anchor & PGT_AN_BOTTOM) != 0;
	anchor &= 3;
	int tw = measure(c, PGT_FONT_SANS, c->fs_tiny, label);
	if (anchor == PGT_AN_LEFT && x + tw + U(c, 3) > r->x + r->w)
		anchor = PGT_AN_RIGHT;
	else if (anchor == PGT_AN_RIGHT && x - tw - U(c, 3) < r->x)
		anchor = PGT_AN_LEFT;
	/* Over the row's violation flag (a small canvas, where the flag and
	 * the label are close): in the gap under the row instead. */
	int lx0 = anchor == PGT_AN_LEFT ? x : x - tw - U(c, 3);
	if (!below && flag && flag->row == r && lx0 < flag->x1 && flag->x0 < lx0 + tw + U(c, 3))
		below = true;
	/* Clear of the lines' ends (U(c, 4) beyond the row), so a label never
	 * touches another marker's line. */
	int ly = below ? r->y + r->h + U(c, 5) : r->y - U(c, 5);
	dl_text(c->dl, x + (anchor == PGT_AN_LEFT ? U(c, 3) : -U(c, 3)), ly, PGT_FONT_SANS,
	        c->fs_tiny, anchor | (below ? PGT_AN_TOP : PGT_AN_BOTTOM), col, label);
}

/* Outline of [a, b) across rows (chunk, selection). */
void outline_range(const ctx *c, const pgt_pane_layout *pl, uint64_t a, uint64_t b, int lw,
                   pgt_color col)
{
	for (int i = 0; i < pl->nrows; i++) {
		const pgt_strip_row *r = &pl->rows[i];
		if (r->gap || b <= r->lo || a >= r->lo + r->span)
			continue;
		int x0 = row_x(r, a), x1 = row_x(r, b);
		if (x1 - x0 < lw * 3)
			x1 = x0 + lw * 3;
		dl_frame(c->dl, x0 - lw, r->y - lw, x1 - x0 + 2 * lw, r->h + 2 * lw, lw, col);
	}
}

static void fmt_hex_label(uint64_t a, char *buf, size_t size)
{
	snprintf(buf, size, "%#" PRIx64, a);
	if (a == 0)
		snprintf(buf, size, "0x0");
}

/* Table pages allocated since the current call began (newest first, at
 * most 4096) are underlined in the chunk colour, the colour of the call's
 * outline: the shared highlight that links a chunk to the tables that
 * landed for it. */
/* A bar under [a, b) in every row it crosses (at least 3 px wide). */
static void underline(const ctx *c, const pgt_pane_layout *pl, uint64_t a, uint64_t b,
                      pgt_color col)
{
	int lw = U(c, 3);
	for (int i = 0; i < pl->nrows; i++) {
		const pgt_strip_row *r = &pl->rows[i];
		if (r->gap || b <= r->lo || a >= r->lo + r->span)
			continue;
		int x0 = row_x(r, a), x1 = row_x(r, b);
		if (x1 - x0 < lw)
			x1 = x0 + lw;
		dl_rect(c->dl, x0, r->y + r->h + U(c, 2), x1 - x0, lw, col);
	}
}

static int cmp_newest(const void *a, const void *b)
{
	uint32_t va = ((const pgt_tab_entry *)a)->vis, vb = ((const pgt_tab_entry *)b)->vis;
	return va < vb ? 1 : va > vb ? -1 : 0;
}

static void link_call_tables(const ctx *c, int p, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_pane_layout *pl = &c->lay->pane[p];
	size_t begin = pm->call_at[step] - 1;
	int drawn = 0;
	uint64_t vlo = pl->view_lo, vhi = pl->view_lo + pl->view_len;
	/* A zoomed window holds few table pages: when it holds at most the
	 * 4096 drawn anyway, take them by address (the same set, without
	 * reading every table of a long call). */
	size_t k0 = table_lower_bound(pm, vlo >= PAGE ? vlo - PAGE + 1 : 0);
	size_t k1 = table_gallop(pm, k0, vhi);
	if (k1 - k0 <= 4096) {
		pgt_tab_entry *got = k1 > k0 ? malloc((k1 - k0) * sizeof(*got)) : NULL;
		size_t n = 0;
		for (size_t k = k0; got && k < k1; k++)
			if (pm->tabs[k].vis <= step && pm->tabs[k].vis >= begin)
				got[n++] = pm->tabs[k];
		/* newest first, the order of the walk below (same draw list) */
		if (n > 1) /* qsort's pointer must not be NULL, even for n == 0 */
			qsort(got, n, sizeof(*got), cmp_newest);
		for (size_t i = 0; i < n; i++)
			underline(c, pl, tab_pa(&got[i]), tab_pa(&got[i]) + PAGE, c->t->chunk);
		free(got);
		return;
	}
	for (size_t i = table_count_at(pm, step); i-- > 0 && drawn < 4096;) {
		pgt_table tab = pgt_sim_table(pm->sim, i);
		if (tab.alloc_event > step)
			continue;
		if (tab.alloc_event < begin)
			break;
		if (tab.pa + PAGE <= pl->view_lo || tab.pa >= pl->view_lo + pl->view_len)
			continue;
		underline(c, pl, tab.pa, tab.pa + PAGE, c->t->chunk);
		drawn++;
	}
}

/* x of an address on the overview bar [x, x + w) over [0, top). */
static int ov_x(int x, int w, uint64_t a, uint64_t top)
{
	if (a >= top)
		return x + w;
	return x + (int)((double)a / (double)top * (double)w);
}

/* The context overview of a zoomed pane: the whole map on one line (RAM,
 * what is direct-mapped), the chunk under way, and the zoomed window framed,
 * with its range in words. */
static void draw_overview(const ctx *c, int p, int x, int y, int w, int h, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_pane_layout *pl = &c->lay->pane[p];
	const pgt_theme *t = c->t;
	uint64_t top = c->m->addr_top;
	int bh = U(c, 8), by = y + h - bh - U(c, 8);
	dl_rect(c->dl, x, by, w, bh, t->hole);
	for (size_t i = 0; i < c->m->ne820; i++) {
		int x0 = ov_x(x, w, c->m->e820[i].start, top),
		    x1 = ov_x(x, w, c->m->e820[i].end, top);
		dl_rect(c->dl, x0, by, x1 - x0 > 0 ? x1 - x0 : 1, bh,
		        e820_color(t, c->m->e820[i].type));
	}
	const pgt_rangeset *mapped = &c->cache->mapped[p];
	for (size_t i = 0; i < mapped->n; i++) {
		int x0 = ov_x(x, w, mapped->r[i].a, top), x1 = ov_x(x, w, mapped->r[i].b, top);
		dl_rect(c->dl, x0, by, x1 - x0 > 0 ? x1 - x0 : 1, bh / 2, t->ram_mapped);
	}
	dl_frame(c->dl, x, by, w, bh, 1, t->grid);
	if (pm->nev && pm->call_at[step]) {
		const pgt_event cb_v = pgt_sim_event(pm->sim, pm->call_at[step] - 1), *cb = &cb_v;
		int x0 = ov_x(x, w, cb->a, top), x1 = ov_x(x, w, cb->b, top);
		dl_frame(c->dl, x0 - U(c, 1), by - U(c, 2),
		         (x1 - x0 > U(c, 3) ? x1 - x0 : U(c, 3)) + U(c, 2), bh + U(c, 4), U(c, 2),
		         t->chunk);
	}
	int v0 = ov_x(x, w, pl->view_lo, top), v1 = ov_x(x, w, pl->view_lo + pl->view_len, top);
	int vw = v1 - v0 > U(c, 5) ? v1 - v0 : U(c, 5);
	if (v0 + vw > x + w)
		v0 = x + w - vw;
	dl_frame(c->dl, v0 - U(c, 2), by - U(c, 4), vw + U(c, 4), bh + U(c, 8), U(c, 2),
	         t->highlight);
	char a[24], b[24], sz[32], all[32], lab[160];
	fmt_hex_label(pl->view_lo, a, sizeof(a));
	fmt_hex_label(pl->view_lo + pl->view_len, b, sizeof(b));
	/* The longest wording that fits the map's width (a narrow pane). */
	pgt_fmt_size(pl->view_len, sz, sizeof(sz));
	pgt_fmt_size(top, all, sizeof(all));
	const char *who = c->vs->follow ? "camera:" : "zoomed:";
	int tw = 0;
	for (int k = 0; k < 4; k++) {
		if (k == 0)
			snprintf(lab, sizeof(lab), "%s %s - %s (%s of %s)", who, a, b, sz, all);
		else if (k == 1)
			snprintf(lab, sizeof(lab), "%s %s - %s (%s)", who, a, b, sz);
		else if (k == 2)
			snprintf(lab, sizeof(lab), "%s - %s (%s)", a, b, sz);
		else
			snprintf(lab, sizeof(lab), "%s %s of %s", who, sz, all);
		tw = measure(c, PGT_FONT_SANS, c->fs_tiny, lab);
		if (tw <= w)
			break;
	}
	int tx = v0 + vw / 2 - tw / 2;
	if (tx + tw > x + w)
		tx = x + w - tw;
	if (tx < x)
		tx = x;
	dl_text(c->dl, tx, by - U(c, 6), PGT_FONT_SANS, c->fs_tiny, PGT_AN_LEFT | PGT_AN_BOTTOM,
	        t->text_dim, lab);
}

void draw_memory_map(ctx *c, int p, size_t step)
{
	pgt_pane_layout *pl = &c->lay->pane[p];
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	int gutter = measure(c, PGT_FONT_MONO, c->fs_small, "0x100000000") + U(c, 10);
	/* A longer row label (0x4000000000 of a 256 GiB map) may use the
	 * pane's padding, and widens the gutter only where that is too
	 * narrow (a 640-px canvas): a label stays inside its pane. */
	char top_lab[24];
	fmt_hex_label(c->m->addr_top ? c->m->addr_top - 1 : 0, top_lab, sizeof(top_lab));
	int need = measure(c, PGT_FONT_MONO, c->fs_small, top_lab) + U(c, 8) - (pl->mx - pl->x);
	if (gutter < need)
		gutter = need;
	int x = pl->mx + gutter, w = pl->mw - gutter;
	/* Room above the first row for its marker label. */
	int top = U(c, 16) > c->fs_tiny * 5 / 4 + U(c, 3) ? U(c, 16) : c->fs_tiny * 5 / 4 + U(c, 3);
	int ov = c->fs_tiny + U(c, 22); /* the overview of a zoomed map */
	layout_rows(c, p, x, pl->my + top, w, pl->mh - top, ov);
	update_sets(c->cache, p, pm, step);
	pgt_state st = c->st[p]; /* as draw_pane set it: with the boot-time state */
	if (c->vs->pane[p].len)
		draw_overview(c, p, x, pl->my + U(c, 4), w, ov, step);

	for (int i = 0; i < pl->nrows; i++) {
		pgt_strip_row *r = &pl->rows[i];
		char lab[48], sz[32];
		if (r->gap) {
			char a[24], b[24];
			fmt_hex_label(r->lo, a, sizeof(a));
			fmt_hex_label(r->gap_end, b, sizeof(b));
			dl_rect(c->dl, r->x, r->y + r->h / 2, r->w, U(c, 1), t->grid);
			/* The longest description that fits the row. */
			char gap[160];
			for (int k = 0; k < 3; k++) {
				pgt_fmt_size(r->gap_end - r->lo, sz, sizeof(sz));
				if (k == 0)
					snprintf(gap, sizeof(gap),
					         "no memory: %s hole, %s - %s (not to scale)", sz,
					         a, b);
				else
					snprintf(gap, sizeof(gap),
					         k == 1 ? "no memory: %s hole" : "%s hole", sz);
				if (measure(c, PGT_FONT_SANS, c->fs_tiny, gap) + U(c, 16) <= r->w)
					break;
			}
			dl_text(c->dl, r->x + r->w / 2, r->y + r->h / 2, PGT_FONT_SANS, c->fs_tiny,
			        PGT_AN_CENTER | PGT_AN_MIDDLE, t->text_dim, gap);
			continue;
		}
		fmt_hex_label(r->lo, lab, sizeof(lab));
		dl_text(c->dl, r->x - U(c, 8), r->y + r->h / 2, PGT_FONT_MONO, c->fs_small,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text_dim, lab);
		int band = r->h / 5 > 2 ? r->h / 5 : 2;
		int by = r->y + band, bh = r->h - band;
		row_background(c, p, r, by, bh);
		row_mapped_band(c, p, r, r->y, band - U(c, 1));
		int ry = by + bh / 2, rh = bh - bh / 2;
		row_reservations(c, pm, r, ry, rh, step);
		row_crashkernel(c, pm, r, ry, rh, step);
		row_ro(c, p, r, by, bh);
		row_tables(c, pm, r, by, bh, step);
	}
	/* The range of the init_memory_mapping call under way, and the table
	 * pages that landed for it, framed in the same colour. */
	if (pm->nev && pm->call_at[step]) {
		const pgt_event cb_v = pgt_sim_event(pm->sim, pm->call_at[step] - 1), *cb = &cb_v;
		outline_range(c, pl, cb->a, cb->b, U(c, 2), t->chunk);
		link_call_tables(c, p, step);
	}
	/* Xen violations so far: a red frame on the page, unmistakable. */
	flag_span flag = {NULL, 0, 0};
	for (size_t k = 0; k < pm->nviol && pm->viol[k] <= step; k++) {
		const pgt_event ve_v = pgt_sim_event(pm->sim, pm->viol[k]), *ve = &ve_v;
		uint64_t a = ve->a & ~(uint64_t)(PAGE - 1);
		outline_range(c, pl, a, a + PAGE, U(c, 3), t->violation);
		/* a refused pin: also the PTE page that holds the writable alias */
		if ((ve->flags & 1) && ve->b < pgt_sim_table_count(pm->sim)) {
			uint64_t q = pgt_sim_table(pm->sim, (size_t)ve->b).pa;
			outline_range(c, pl, q, q + PAGE, U(c, 2), t->highlight);
		}
		if (k + 1 == pm->nviol || pm->viol[k + 1] > step)
			for (int i = 0; i < pl->nrows; i++) {
				const pgt_strip_row *r = &pl->rows[i];
				if (!r->gap && a >= r->lo && a < r->lo + r->span) {
					/* A red flag on a pole over the page. */
					int vx = row_x(r, a), fw = U(c, 12), fh = U(c, 9);
					int fx = vx > r->x + r->w / 2 ? vx - fw : vx;
					dl_rect(c->dl, vx - U(c, 1), r->y - U(c, 16), U(c, 3),
					        U(c, 16), t->violation);
					dl_rect(c->dl, fx, r->y - U(c, 16), fw, fh, t->violation);
					flag = (flag_span){r, fx < vx - U(c, 1) ? fx : vx - U(c, 1),
					                   fx + fw > vx + U(c, 2) ? fx + fw
					                                          : vx + U(c, 2)};
				}
			}
	}
	/* Markers. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < pl->nrows; i++) {
			const pgt_strip_row *r = &pl->rows[i];
			if (r->gap)
				continue;
			/* An address on a row boundary belongs to the next row if there is one. */
			uint64_t rend = r->lo + r->span;
			bool next =
			    i + 1 < pl->nrows && !pl->rows[i + 1].gap && pl->rows[i + 1].lo == rend;
			if (!pm->is_old && st.max_pfn_mapped) {
				if (!(next && (st.min_pfn_mapped << 12) == rend))
					row_marker(c, r, st.min_pfn_mapped << 12, t->pfn_mapped,
					           "min_pfn_mapped", PGT_AN_LEFT, pass == 0, &flag);
				if (!(next && (st.max_pfn_mapped << 12) == rend))
					row_marker(c, r, st.max_pfn_mapped << 12, t->pfn_mapped,
					           "max_pfn_mapped", PGT_AN_LEFT | PGT_AN_BOTTOM,
					           pass == 0, &flag);
			}
			if (pm->is_old && st.pgt_buf_top > st.pgt_buf_start)
				row_marker(c, r, st.pgt_buf_start << 12, t->pgtbuf_used, "pgt_buf",
				           PGT_AN_LEFT, pass == 0, &flag);
		}
}
