/*
 * view_strip.c: a pane's detail strips, one cell per 4 KiB page (or per
 * group of pages, docs/window.md "Aggregated columns"): the pgt_buf / BRK
 * window with its pgt_buf_start / end / top markers, and the pages around
 * the latest table page taken elsewhere (memblock, chunk end).  Split off
 * view_pane.c, which lays the pane out and calls draw_details.
 */
#include "view_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct strip_spec {
	uint64_t lo_pfn, npages; /* window */
	const char *title;
	bool buffer;        /* draw pgt_buf_start/end/top */
	uint64_t s, e, top; /* buffer pfns */
	bool returned;      /* old buffer whose tail was handed back */
} strip_spec;

/* Height of one detail strip with its title and two label lines. */
int strip_height(const ctx *c)
{
	return c->fs_small * 5 / 4 + U(c, 8) + U(c, 28) + U(c, 10) +
	       2 * (c->fs_tiny * 5 / 4 + U(c, 3)) + U(c, 6);
}

/* What a cell of a detail strip shows. */
typedef struct strip_cell {
	pgt_color fill; /* the state most of its pages are in */
	int cap;        /* a table level drawn over its top third (0: none) */
	bool ro;        /* one of its table pages is read-only */
} strip_cell;

/* The state of page pfn of a strip when it is no table page (a colour),
 * and the first pfn after it whose state may differ. */
static pgt_color strip_bg(const ctx *c, int p, const strip_spec *ss, uint64_t pfn, uint64_t *next)
{
	const pgt_theme *t = c->t;
	if (ss->buffer) {
		const uint64_t edge[3] = {ss->s, ss->e, ss->top};
		*next = UINT64_MAX;
		for (int i = 0; i < 3; i++)
			if (edge[i] > pfn && edge[i] < *next)
				*next = edge[i];
		if (pfn < ss->s || pfn >= ss->top)
			return t->panel;
		return pfn < ss->e ? t->pgtbuf_used
		                   : (ss->returned ? t->pgtbuf_returned : t->pgtbuf_free);
	}
	const pgt_rangeset *rs = &c->cache->mapped[p];
	uint64_t a = pfn << 12;
	size_t lo = 0, hi = rs->n;
	while (lo < hi) { /* first range ending after a */
		size_t mid = lo + (hi - lo) / 2;
		if (rs->r[mid].b <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool in = lo < rs->n && rs->r[lo].a <= a;
	uint64_t edge = lo < rs->n ? (in ? rs->r[lo].b : rs->r[lo].a) : UINT64_MAX;
	*next = edge == UINT64_MAX ? UINT64_MAX : (edge + PAGE - 1) >> 12;
	return in ? t->ram_mapped : t->ram;
}

/* The cell of pages [pfn, pfn + per) at step, its table pages starting at
 * index k of tabs; returns the index after them.  Every page counts once:
 * a table page drawn at step for its level, any other page for its state
 * in the strip.  The cell takes the colour of the largest count (a tie
 * goes to table pages, then to the higher level), and a table level above
 * that colour's, if any, caps it (docs/window.md, "Aggregated columns"). */
static size_t cell_state(const ctx *c, int p, const strip_spec *ss, uint64_t pfn, uint64_t per,
                         size_t k, size_t step, strip_cell *out)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	pgt_tab_agg all = {{0}, 0};
	pgt_color bgc[4];
	uint64_t bgn[4];
	int nbg = 0;
	for (uint64_t a = pfn, end = pfn + per; a < end;) {
		uint64_t nx;
		pgt_color col = strip_bg(c, p, ss, a, &nx);
		if (nx > end || nx <= a)
			nx = end;
		size_t k1 = table_gallop(pm, k, nx << 12);
		pgt_tab_agg sub = {{0}, 0};
		table_agg(pm, k, k1, step, &sub);
		k = k1;
		for (int l = 0; l < 8; l++)
			all.n[l] += sub.n[l];
		all.nro += sub.nro;
		uint64_t tabs = (uint64_t)agg_total(&sub);
		uint64_t pages = nx - a > tabs ? nx - a - tabs : 0;
		int j = 0;
		while (j < nbg && bgc[j] != col)
			j++;
		if (j == nbg && nbg < 4) {
			bgc[nbg] = col;
			bgn[nbg++] = 0;
		}
		if (j < nbg)
			bgn[j] += pages;
		a = nx;
	}
	int fill, cap;
	agg_levels(&all, &fill, &cap);
	int best = -1;
	for (int j = 0; j < nbg; j++)
		if (bgn[j] && (best < 0 || bgn[j] > bgn[best]))
			best = j;
	out->ro = all.nro > 0;
	if (fill && (best < 0 || all.n[fill] >= bgn[best])) {
		out->fill = level_color(c->t, fill);
		out->cap = cap;
	} else {
		out->fill = best >= 0 ? bgc[best] : c->t->panel;
		out->cap = agg_top_level(&all);
	}
	return k;
}

/* A label of the pgt_buf markers under a strip: its leader line drops
 * from the strip at mx to the label's line, and the label sits over it. */
typedef struct strip_label {
	int mx;        /* the marker's x (the leader line) */
	int tw;        /* text width */
	int lx, ly;    /* where the label goes (place_strip_labels, draw_strip) */
	int line;      /* 0: just under the strip, 1: the line below */
	pgt_color col; /* marker colour */
	char text[96];
} strip_label;

/* Places up to three marker labels on the two label lines under a strip
 * (x, w: the room they have): each label covers its own leader, labels on
 * a line keep apart, and no leader that goes on to the line below passes
 * through a label (pgt_buf_top's leader through pgt_buf_end's label was
 * the 1280x720 case).  All 2 lines x 3 anchors (centred on the leader, or
 * hanging from it: ending just before it, starting just after it) per
 * label are tried; the first layout without a
 * crossing, with the fewest labels on the second line and labels closest
 * to centred, wins (with none, the one with the fewest crossings, which
 * it returns). */
static long place_strip_labels(const ctx *c, strip_label *lab, int n, int x, int w)
{
	int gap = U(c, 8), clear = U(c, 4), pad = U(c, 2);
	int choice[3] = {0, 0, 0}, best[3] = {0, 0, 0};
	long best_cost = -1;
	int combos = 1;
	for (int i = 0; i < n; i++)
		combos *= 6;
	for (int k = 0; k < combos; k++) {
		int v = k;
		for (int i = 0; i < n; i++) {
			choice[i] = v % 6;
			v /= 6;
		}
		int lx[3], line[3];
		long cost = 0;
		for (int i = 0; i < n; i++) {
			line[i] = choice[i] / 3;
			int a = choice[i] % 3;
			lx[i] = a == 0   ? lab[i].mx - lab[i].tw / 2
			        : a == 1 ? lab[i].mx - lab[i].tw - pad
			                 : lab[i].mx + pad;
			if (lx[i] + lab[i].tw > x + w)
				lx[i] = x + w - lab[i].tw;
			if (lx[i] < x)
				lx[i] = x;
			int off = lx[i] + lab[i].tw / 2 - lab[i].mx;
			cost += 1000L * line[i] + (off < 0 ? -off : off);
		}
		long bad = 0;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				if (i == j)
					continue;
				/* Two labels on one line overlap. */
				if (j > i && line[i] == line[j] &&
				    lx[i] < lx[j] + lab[j].tw + gap &&
				    lx[j] < lx[i] + lab[i].tw + gap)
					bad++;
				/* j's leader passes through label i on its way down. */
				if (line[j] > line[i] && lab[j].mx >= lx[i] - clear &&
				    lab[j].mx <= lx[i] + lab[i].tw + clear)
					bad++;
			}
		cost += bad * 1000000L;
		if (best_cost < 0 || cost < best_cost) {
			best_cost = cost;
			for (int i = 0; i < n; i++)
				best[i] = choice[i];
		}
	}
	long crossings = best_cost / 1000000L;
	for (int i = 0; i < n; i++) {
		int a = best[i] % 3;
		lab[i].line = best[i] / 3;
		lab[i].lx = a == 0   ? lab[i].mx - lab[i].tw / 2
		            : a == 1 ? lab[i].mx - lab[i].tw - pad
		                     : lab[i].mx + pad;
		if (lab[i].lx + lab[i].tw > x + w)
			lab[i].lx = x + w - lab[i].tw;
		if (lab[i].lx < x)
			lab[i].lx = x;
	}
	return crossings;
}

/* The marker labels of a buffer strip (start, end, top; markers in the
 * same cell share one label and leader: "pgt_buf_start = pgt_buf_end" at
 * the same page, "pgt_buf_end, pgt_buf_top" in one cell of several pages),
 * named by
 * names[], at their x (cw pixels per cell of per pages, npages pages in the
 * cells); returns how many. */
static int strip_labels(const ctx *c, const strip_spec *ss, const char *const names[3], int x,
                        int cw, uint64_t per, uint64_t npages, strip_label *lab)
{
	const uint64_t pf[3] = {ss->s, ss->e, ss->top};
	int n = 0;
	for (int i = 0; i < 3; i++) {
		if (pf[i] < ss->lo_pfn || pf[i] > ss->lo_pfn + npages)
			continue;
		uint64_t cell = (pf[i] - ss->lo_pfn) / per;
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= pf[j] >= ss->lo_pfn && (pf[j] - ss->lo_pfn) / per == cell;
		if (dup)
			continue;
		strip_label *l = &lab[n++];
		l->text[0] = '\0';
		l->col = c->t->text;
		for (int j = i; j < 3; j++)
			if (pf[j] >= ss->lo_pfn && (pf[j] - ss->lo_pfn) / per == cell) {
				if (l->text[0]) /* the same page, or only the same cell */
					strncat(l->text, pf[j] == pf[j - 1] ? " = " : ", ",
					        sizeof(l->text) - strlen(l->text) - 1);
				strncat(l->text, names[j], sizeof(l->text) - strlen(l->text) - 1);
				if (pf[j] == ss->e)
					l->col = c->t->chunk;
			}
		l->mx = x + (int)cell * cw;
		l->tw = measure(c, PGT_FONT_MONO, c->fs_tiny, l->text);
	}
	return n;
}

static void draw_strip(ctx *c, int p, int slot, const strip_spec *ss, int x, int y, int w,
                       size_t step)
{
	const pgt_theme *t = c->t;
	const pgt_pane_model *pm = &c->m->pane[p];
	pgt_strip_row *row = &c->lay->pane[p].detail[slot];
	int ch = U(c, 28);
	textf(c, x, y, PGT_FONT_SANS_BOLD, c->fs_small, PGT_AN_LEFT, t->text, "%s", ss->title);
	int cy = y + c->fs_small * 5 / 4 + U(c, 8);
	uint64_t n = ss->npages ? ss->npages : 1;
	uint64_t per = (n + 127) / 128; /* pages per cell (cap 128 cells) */
	uint64_t cells = (n + per - 1) / per;
	int cw = (int)((uint64_t)w / cells);
	if (cw > U(c, 44))
		cw = U(c, 44);
	if (cw < 1)
		cw = 1;
	int sw = cw * (int)cells;
	*row = (pgt_strip_row){
	    .x = x, .y = cy, .w = sw, .h = ch, .lo = ss->lo_pfn << 12, .span = cells * per * PAGE};
	size_t k = table_lower_bound(pm, ss->lo_pfn << 12);
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	bool gapline = cw >= U(c, 6);
	for (uint64_t i = 0; i < cells; i++) {
		uint64_t pfn = ss->lo_pfn + i * per;
		int cx = x + (int)i * cw, cwd = gapline ? cw - U(c, 1) : cw;
		strip_cell cell;
		k = cell_state(c, p, ss, pfn, per, k, step, &cell);
		dl_rect(c->dl, cx, cy, cwd, ch, cell.fill);
		if (cell.cap)
			dl_rect(c->dl, cx, cy, cwd, agg_cap_h(ch), level_color(t, cell.cap));
		if (cell.ro || rs_contains(&c->cache->ro[p], pfn << 12))
			dl_hatch(c->dl, cx, cy, cwd, ch, period, (period + 1) / 2, t->ro_hatch);
	}
	dl_frame(c->dl, x - U(c, 1), cy - U(c, 1), sw + U(c, 2), ch + U(c, 2), U(c, 1), t->grid);
	if (!ss->buffer)
		return;
	/* pgt_buf_start / end / top: lines, and labels merged where they meet;
	 * where the full names cannot be laid out without a leader through a
	 * label (three markers a few cells apart), the short ones (the strip's
	 * title names the buffer). */
	static const char *const full[3] = {"pgt_buf_start", "pgt_buf_end", "pgt_buf_top"};
	static const char *const brief[3] = {"start", "end", "top"};
	strip_label lab[3], lab2[3];
	int nlab = strip_labels(c, ss, full, x, cw, per, cells * per, lab);
	if (place_strip_labels(c, lab, nlab, x, w) > 0) {
		strip_labels(c, ss, brief, x, cw, per, cells * per, lab2);
		if (place_strip_labels(c, lab2, nlab, x, w) == 0)
			memcpy(lab, lab2, sizeof(lab));
	}
	for (int i = 0; i < nlab; i++) {
		int ly = cy + ch + U(c, 6) + lab[i].line * (c->fs_tiny * 5 / 4 + U(c, 3));
		dl_rect(c->dl, lab[i].mx - U(c, 1), cy - U(c, 4), U(c, 3), ch + U(c, 8),
		        lab[i].col);
		dl_line(c->dl, lab[i].mx, cy + ch + U(c, 4), lab[i].mx, ly, U(c, 1), lab[i].col);
		lab[i].ly = ly;
	}
	/* The labels over every leader line. */
	for (int i = 0; i < nlab; i++)
		dl_text(c->dl, lab[i].lx, lab[i].ly, PGT_FONT_MONO, c->fs_tiny, PGT_AN_LEFT,
		        lab[i].col, lab[i].text);
}

void draw_details(ctx *c, int p, int x, int y, int w, int h, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	pgt_state st = pgt_sim_state_at(pm->sim, step);
	const pgt_bufhist *b = current_buf(pm, step);
	/* The second strip starts below the first one's two label lines. */
	int sh = strip_height(c);
	if (sh < h / 2)
		sh = h / 2;
	char title[160];
	c->lay->pane[p].detail[0].w = 0;
	c->lay->pane[p].detail[1].w = 0;
	/* A scheme that never has a buffer (chunk-end: hpa's proposal takes
	 * each table from the chunk just mapped) shows its latest tables in
	 * the first place, at every size: at 1280x720 that strip is the one
	 * kept, and it carries that pane's story (no "no BRK buffer"). */
	bool bufferless = !pm->nbufs && !pm->is_old;
	if (bufferless) {
		sh = 0; /* the latest-table strip below, in the first place */
	} else if (b) {
		bool done = b->done <= step;
		uint64_t e = done ? b->end_pfn : st.pgt_buf_end;
		strip_spec ss = {b->start_pfn, b->top_pfn - b->start_pfn,
		                 title,        true,
		                 b->start_pfn, e,
		                 b->top_pfn,   done};
		/* The longest title that fits (the last one for a narrow pane).
		 * A buffer of more than 128 pages has cells of several pages
		 * (draw_strip): say how many.  Where an earlier call placed a
		 * buffer too, the title names the call whose buffer it is ("call
		 * 2's pgt_buf"): its figures are that buffer's, where the
		 * counters below sum all calls' ("pgt_buf, all calls"). */
		uint64_t npg = b->top_pfn - b->start_pfn, per = npg > 128 ? (npg + 127) / 128 : 1;
		char cell[48], name[48];
		snprintf(cell, sizeof(cell), "   (one cell = %" PRIu64 " KiB)", per * 4);
		snprintf(name, sizeof(name), "%s", pm->is_old ? "pgt_buf" : "BRK buffer");
		if (b != pm->bufs)
			snprintf(name, sizeof(name), "call %u's %s",
			         pgt_sim_state_at(pm->sim, b->placed).call,
			         pm->is_old ? "pgt_buf" : "BRK buffer");
		for (int k = 0; k < 4; k++) {
			snprintf(title, sizeof(title),
			         "%s [%#" PRIx64 ", %#" PRIx64 "): %" PRIu64 " of %" PRIu64
			         " pages used%s%s",
			         name, b->start_pfn << 12, b->top_pfn << 12, e - b->start_pfn,
			         b->top_pfn - b->start_pfn, done ? ", rest handed back" : "",
			         k == 0 ? cell : "");
			if (k >= 2)
				snprintf(title, sizeof(title),
				         "%s: %" PRIu64 " of %" PRIu64 " pages used%s", name,
				         e - b->start_pfn, b->top_pfn - b->start_pfn,
				         done && k == 2 ? ", rest handed back" : "");
			if (measure(c, PGT_FONT_SANS_BOLD, c->fs_small, title) <= w)
				break;
		}
		draw_strip(c, p, 0, &ss, x, y, w, step);
	} else {
		textf(c, x, y, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT, c->t->text_dim, "%s",
		      pm->is_old ? "pgt_buf: not placed yet" : "no BRK buffer");
	}
	/* only the buffer strip on small canvases, or where the second strip
	 * gave way (draw_pane) */
	if (!bufferless && (c->compact || h < 2 * strip_height(c)))
		return;
	uint32_t lt = table_latest_other(pm, step);
	if (lt != UINT32_MAX) {
		const pgt_table tb_v = pgt_sim_table(pm->sim, lt), *tb = &tb_v;
		uint64_t pfn = tb->pa >> 12;
		uint64_t lo = pfn >= 48 ? pfn - 48 : 0;
		strip_spec ss = {lo, 64, title, false, 0, 0, 0, false};
		/* The longest title that fits (a narrow pane: the last). */
		for (int k = 0; k < 3; k++) {
			snprintf(title, sizeof(title),
			         k == 0 ? "%s: 64 pages around the latest table page (%#" PRIx64 ")"
			         : k == 1 ? "%s: around the latest table page (%#" PRIx64 ")"
			                  : "%s: latest table page %#" PRIx64,
			         pgt_origin_name(tb->origin), tb->pa);
			if (measure(c, PGT_FONT_SANS_BOLD, c->fs_small, title) <= w)
				break;
		}
		draw_strip(c, p, 1, &ss, x, y + sh, w, step);
	} else if (!pm->is_old) {
		textf(c, x, y + sh, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT, c->t->text_dim, "%s",
		      bufferless ? "no table page at a chunk end yet"
		                 : "memblock: no page-table pages allocated yet");
	}
}
