/*
 * view.c: simulation results + view state -> draw list (SDL-free).
 *
 * Screen layout (for a canvas W x H; all sizes are multiples of a unit
 * u = H / 1080 x UI scale, so nothing is a pixel constant):
 *
 *   +--------------------------------------------------------------+
 *   | title                                   step 42 / 310  > 8/s |
 *   +------------------------------+-------------------------------+
 *   | scheme A + kernel model      | scheme B + kernel model       |
 *   | narration caption (2 lines)  | narration caption             |
 *   | memory map: one row per      | ...                           |
 *   |   address block, holes       |                               |
 *   |   compressed                 |                               |
 *   | detail strip: pgt_buf / BRK  |                               |
 *   | detail strip: memblock pages |                               |
 *   | counters         | tree      |                               |
 *   +------------------------------+-------------------------------+
 *   | legend                                                       |
 *   | timeline scrubber with markers                               |
 *   | status bar (window only)                                     |
 *   +--------------------------------------------------------------+
 *
 * Memory map layout chosen: the visible address window is cut into rows of
 * equal span (a power of two, so row labels are round hex numbers), each
 * row drawn to scale left to right.  Runs of rows that contain no e820
 * entry at all (e.g. the 60 TiB between RAM banks of a big machine) are
 * compressed into one thin "hole" row that says how much it hides.  The
 * span is the smallest power of two that fits the rows in the pane, so a
 * 4 GiB PC gets 512 MiB rows and a 64 TiB machine still shows every RAM
 * bank.  Zooming shrinks the window (and thus the span) around the pointer.
 *
 * Every table page is drawn as a marker at its real address that is at
 * least marker_w pixels wide: pages falling in the same pixel column are
 * aggregated (the highest level wins the colour, RO wins the hatching), so
 * no level of detail ever hides a table page.  Two per-page detail strips
 * below the map show the pgt_buf/BRK window and the latest memblock
 * allocations one cell per 4 KiB page, where pgt_buf_start/end/top and the
 * growth of the buffer are legible.
 */
#include "pgtviz/view.h"

#include "pgtviz/input.h"
#include "pgtviz/narrate.h"
#include "pgtviz/picker.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

/* ======================================================================== */
/* Draw list                                                                */
/* ======================================================================== */

void pgt_dl_init(pgt_drawlist *dl)
{
	memset(dl, 0, sizeof(*dl));
}

void pgt_dl_reset(pgt_drawlist *dl, int width, int height, pgt_color clear)
{
	dl->width = width;
	dl->height = height;
	dl->clear = clear;
	dl->n = 0;
	dl->text_len = 0;
	dl->oom = false;
}

void pgt_dl_free(pgt_drawlist *dl)
{
	free(dl->cmds);
	free(dl->text);
	pgt_dl_init(dl);
}

const char *pgt_dl_text(const pgt_drawlist *dl, const pgt_dl_cmd *c)
{
	return dl->text ? dl->text + c->text : "";
}

static pgt_dl_cmd *dl_push(pgt_drawlist *dl, int kind)
{
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 1024;
		pgt_dl_cmd *nc = realloc(dl->cmds, cap * sizeof(*nc));
		if (!nc) {
			dl->oom = true;
			return NULL;
		}
		dl->cmds = nc;
		dl->cap = cap;
	}
	pgt_dl_cmd *c = &dl->cmds[dl->n++];
	memset(c, 0, sizeof(*c));
	c->kind = (uint8_t)kind;
	return c;
}

/* Appends s to the text pool; returns its offset (0 = "" on failure). */
static uint32_t dl_str(pgt_drawlist *dl, const char *s)
{
	size_t n = strlen(s) + 1;
	if (!dl->text) {
		dl->text_cap = 4096;
		dl->text = malloc(dl->text_cap);
		if (!dl->text) {
			dl->oom = true;
			return 0;
		}
		dl->text[0] = '\0';
		dl->text_len = 1; /* offset 0 is the empty string */
	}
	if (dl->text_len == 0) {
		dl->text[0] = '\0';
		dl->text_len = 1;
	}
	if (dl->text_len + n > dl->text_cap) {
		size_t cap = dl->text_cap;
		while (dl->text_len + n > cap)
			cap *= 2;
		char *nt = realloc(dl->text, cap);
		if (!nt) {
			dl->oom = true;
			return 0;
		}
		dl->text = nt;
		dl->text_cap = cap;
	}
	memcpy(dl->text + dl->text_len, s, n);
	uint32_t off = (uint32_t)dl->text_len;
	dl->text_len += n;
	return off;
}

static void dl_rect(pgt_drawlist *dl, int x, int y, int w, int h, pgt_color col)
{
	if (w <= 0 || h <= 0 || (col >> 24) == 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_RECT);
	if (c)
		*c =
		    (pgt_dl_cmd){.kind = PGT_DL_RECT, .x = x, .y = y, .w = w, .h = h, .color = col};
}

static void dl_hatch(pgt_drawlist *dl, int x, int y, int w, int h, int period, int sw,
                     pgt_color col)
{
	if (w <= 0 || h <= 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_HATCH);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_HATCH,
		                  .x = x,
		                  .y = y,
		                  .w = w,
		                  .h = h,
		                  .size = period,
		                  .width = sw,
		                  .color = col};
}

static void dl_frame(pgt_drawlist *dl, int x, int y, int w, int h, int lw, pgt_color col)
{
	if (w <= 0 || h <= 0)
		return;
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_FRAME);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_FRAME,
		                  .x = x,
		                  .y = y,
		                  .w = w,
		                  .h = h,
		                  .width = lw,
		                  .color = col};
}

static void dl_line(pgt_drawlist *dl, int x0, int y0, int x1, int y1, int lw, pgt_color col)
{
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_LINE);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_LINE,
		                  .x = x0,
		                  .y = y0,
		                  .w = x1 - x0,
		                  .h = y1 - y0,
		                  .width = lw,
		                  .color = col};
}

static void dl_clip(pgt_drawlist *dl, int x, int y, int w, int h)
{
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_CLIP);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_CLIP, .x = x, .y = y, .w = w, .h = h};
}

static void dl_text(pgt_drawlist *dl, int x, int y, int font, int px, int anchor, pgt_color col,
                    const char *s)
{
	if (!s[0])
		return;
	uint32_t off = dl_str(dl, s);
	pgt_dl_cmd *c = dl_push(dl, PGT_DL_TEXT);
	if (c)
		*c = (pgt_dl_cmd){.kind = PGT_DL_TEXT,
		                  .font = (uint8_t)font,
		                  .anchor = (uint8_t)anchor,
		                  .x = x,
		                  .y = y,
		                  .size = px,
		                  .color = col,
		                  .text = off};
}

/* ======================================================================== */
/* Small helpers                                                            */
/* ======================================================================== */

char *pgt_fmt_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int u = 0;
	while (u < 5 && bytes >> (10 * (u + 1)) != 0)
		u++;
	uint64_t unit = 1ull << (10 * u);
	if (bytes % unit == 0)
		snprintf(buf, size, "%" PRIu64 " %s", bytes / unit, units[u]);
	else
		snprintf(buf, size, "%.1f %s", (double)bytes / (double)unit, units[u]);
	return buf;
}

/* Bytes of address space one table of a level covers. */
static uint64_t level_span(int level)
{
	switch (level) {
	case PGT_PTE:
		return 1ull << 21;
	case PGT_PMD:
		return 1ull << 30;
	case PGT_PUD:
		return 1ull << 39;
	default:
		return 1ull << 48;
	}
}

static pgt_color level_color(const pgt_theme *t, int level)
{
	switch (level) {
	case PGT_PGD:
		return t->pgd;
	case PGT_PUD:
		return t->pud;
	case PGT_PMD:
		return t->pmd;
	default:
		return t->pte;
	}
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

static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 1;
	while (p < v && p < (1ull << 62))
		p <<= 1;
	return p;
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v - v % a;
}

/* ======================================================================== */
/* Model                                                                    */
/* ======================================================================== */

static const pgt_table *g_sort_tables; /* qsort has no context argument */

static int cmp_by_pa(const void *a, const void *b)
{
	const pgt_table *ta = &g_sort_tables[*(const uint32_t *)a];
	const pgt_table *tb = &g_sort_tables[*(const uint32_t *)b];
	if (ta->pa != tb->pa)
		return ta->pa < tb->pa ? -1 : 1;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	return ia < ib ? -1 : ia > ib;
}

static int cmp_marker(const void *a, const void *b)
{
	const pgt_marker *ma = a, *mb = b;
	if (ma->step != mb->step)
		return ma->step < mb->step ? -1 : 1;
	if (ma->pane != mb->pane)
		return ma->pane < mb->pane ? -1 : 1;
	return (int)ma->kind - (int)mb->kind;
}

/* Records pgt_buf placements (old: BUF_FOUND; new: the BRK buffer). */
static bool model_buffers(pgt_pane_model *pm)
{
	const pgt_event *ev = pgt_sim_events(pm->sim);
	size_t cap = 4;
	pm->bufs = malloc(cap * sizeof(*pm->bufs));
	if (!pm->bufs)
		return false;
	for (size_t i = 0; i < pm->nev; i++) {
		if (ev[i].kind == PGT_EV_BUF_FOUND) {
			if (pm->nbufs == cap) {
				cap *= 2;
				pgt_bufhist *nb = realloc(pm->bufs, cap * sizeof(*nb));
				if (!nb)
					return false;
				pm->bufs = nb;
			}
			pgt_state st = pgt_sim_state_at(pm->sim, i);
			pm->bufs[pm->nbufs++] = (pgt_bufhist){i, SIZE_MAX, st.pgt_buf_start,
			                                      st.pgt_buf_top, st.pgt_buf_start};
		} else if (ev[i].kind == PGT_EV_CALL_END && pm->nbufs &&
		           pm->bufs[pm->nbufs - 1].done == SIZE_MAX && pm->is_old) {
			pgt_state st = pgt_sim_state_at(pm->sim, i);
			pm->bufs[pm->nbufs - 1].done = i;
			pm->bufs[pm->nbufs - 1].end_pfn = st.pgt_buf_end;
		}
	}
	/* New scheme: the BRK buffer is set up before the first call. */
	for (size_t i = 0; !pm->is_old && pm->nbufs == 0 && i < pm->nev; i++) {
		pgt_state st = pgt_sim_state_at(pm->sim, i);
		if (st.pgt_buf_top > st.pgt_buf_start)
			pm->bufs[pm->nbufs++] = (pgt_bufhist){i, SIZE_MAX, st.pgt_buf_start,
			                                      st.pgt_buf_top, st.pgt_buf_start};
		if (ev[i].kind == PGT_EV_CALL_END)
			break;
	}
	return true;
}

static bool model_pane(pgt_pane_model *pm, const pgt_sim *sim)
{
	memset(pm, 0, sizeof(*pm));
	pm->sim = sim;
	pm->nev = pgt_sim_event_count(sim);
	pm->ntab = pgt_sim_table_count(sim);
	pm->is_old = pgt_sim_scheme(sim) == PGT_SCHEME_PGTBUF;
	pm->mapped.step = SIZE_MAX;
	pm->ro.step = SIZE_MAX;
	const pgt_table *tab = pgt_sim_tables(sim);
	const pgt_event *ev = pgt_sim_events(sim);

	pm->by_pa = malloc((pm->ntab ? pm->ntab : 1) * sizeof(uint32_t));
	pm->map_ev = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	pm->log_at = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	pm->call_at = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	if (!pm->by_pa || !pm->map_ev || !pm->log_at || !pm->call_at)
		return false;
	size_t in_call = 0;
	for (size_t i = 0; i < pm->nev; i++) {
		if (ev[i].kind == PGT_EV_CALL_BEGIN)
			in_call = i + 1;
		pm->call_at[i] = in_call;
		if (ev[i].kind == PGT_EV_CALL_END)
			in_call = 0;
	}
	for (size_t i = 0; i < pm->ntab; i++)
		pm->by_pa[i] = (uint32_t)i;
	g_sort_tables = tab;
	qsort(pm->by_pa, pm->ntab, sizeof(uint32_t), cmp_by_pa);

	for (size_t i = 0; i < pm->nev; i++)
		if (ev[i].kind == PGT_EV_MAP || ev[i].kind == PGT_EV_CLEAR)
			pm->map_ev[pm->nmap++] = i;
	pm->by_level = malloc((pm->ntab ? pm->ntab : 1) * sizeof(uint32_t));
	if (!pm->by_level)
		return false;
	size_t cnt[6] = {0};
	for (size_t i = 0; i < pm->ntab; i++)
		cnt[tab[i].level <= 4 ? tab[i].level : 0]++;
	for (int l = 1; l < 6; l++)
		pm->lvl_start[l] = pm->lvl_start[l - 1] + cnt[l - 1];
	size_t fill[6];
	memcpy(fill, pm->lvl_start, sizeof(fill));
	for (size_t i = 0; i < pm->ntab; i++)
		pm->by_level[fill[tab[i].level <= 4 ? tab[i].level : 0]++] = (uint32_t)i;
	for (size_t i = 0; i < pm->nev; i++)
		pm->nviol += ev[i].kind == PGT_EV_VIOLATION;
	pm->viol = malloc((pm->nviol ? pm->nviol : 1) * sizeof(size_t));
	if (!pm->viol)
		return false;
	for (size_t i = 0, k = 0; i < pm->nev; i++)
		if (ev[i].kind == PGT_EV_VIOLATION)
			pm->viol[k++] = i;

	pm->crash_ev = pm->crash_fail_ev = SIZE_MAX;
	for (size_t i = 0; i < pm->nev; i++)
		if (ev[i].kind == PGT_EV_RESERVE && ev[i].aux == 2 && pm->crash_ev == SIZE_MAX)
			pm->crash_ev = i;
	for (size_t k = 0; k < pgt_sim_log_count(sim); k++)
		if (strncmp(pgt_sim_log(sim, k)->text, "crashkernel reservation failed", 30) == 0)
			pm->crash_fail_ev = pgt_sim_log(sim, k)->event;

	size_t nlog = pgt_sim_log_count(sim), li = 0, last = SIZE_MAX;
	for (size_t i = 0; i < pm->nev; i++) {
		while (li < nlog && pgt_sim_log(sim, li)->event <= i)
			last = li++;
		pm->log_at[i] = last;
	}

	uint64_t top = pgt_sim_max_pfn(sim) << 12;
	const pgt_e820_entry *e820;
	size_t ne = pgt_sim_e820(sim, &e820);
	for (size_t i = 0; i < ne; i++)
		if (e820[i].end > top)
			top = e820[i].end;
	for (size_t i = 0; i < pm->ntab; i++)
		if (tab[i].pa + PAGE > top)
			top = tab[i].pa + PAGE;
	pm->addr_top = top;
	return model_buffers(pm);
}

/* ---- lockstep by progress ----------------------------------------------- */

/* Adds [a, b) to a sorted disjoint set; returns the bytes newly covered. */
static uint64_t cover_add(pgt_range **r, size_t *n, size_t *cap, uint64_t a, uint64_t b)
{
	if (a >= b)
		return 0;
	if (*n + 1 > *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		pgt_range *nr = realloc(*r, nc * sizeof(*nr));
		if (!nr)
			return 0;
		*r = nr;
		*cap = nc;
	}
	pgt_range *v = *r;
	size_t lo = 0, hi = *n;
	while (lo < hi) { /* first range with end >= a */
		size_t mid = (lo + hi) / 2;
		if (v[mid].b < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t i = lo, j = i;
	uint64_t overlap = 0, na = a, nb = b;
	while (j < *n && v[j].a <= b) {
		uint64_t oa = v[j].a > a ? v[j].a : a, ob = v[j].b < b ? v[j].b : b;
		if (ob > oa)
			overlap += ob - oa;
		if (v[j].a < na)
			na = v[j].a;
		if (v[j].b > nb)
			nb = v[j].b;
		j++;
	}
	if (j == i) {
		memmove(&v[i + 1], &v[i], (*n - i) * sizeof(*v));
		(*n)++;
	} else if (j > i + 1) {
		memmove(&v[i + 1], &v[j], (*n - j) * sizeof(*v));
		*n -= j - i - 1;
	}
	v[i] = (pgt_range){na, nb};
	return (b - a) - overlap;
}

/* Per event: the fraction of the pane's final direct map (bytes newly
 * covered by MAP events of init_memory_mapping calls) done after it.  The
 * mapping present before the first call (head_64.S, Xen's) is the starting
 * point, not progress. */
static bool model_progress(pgt_pane_model *pm)
{
	pm->progress = malloc((pm->nev ? pm->nev : 1) * sizeof(double));
	uint64_t *cum = malloc((pm->nev ? pm->nev : 1) * sizeof(uint64_t));
	if (!pm->progress || !cum) {
		free(cum);
		return false;
	}
	const pgt_event *ev = pgt_sim_events(pm->sim);
	pgt_range *r = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	bool in_calls = false;
	for (size_t i = 0; i < pm->nev; i++) {
		in_calls |= ev[i].kind == PGT_EV_CALL_BEGIN;
		if (ev[i].kind == PGT_EV_MAP) {
			uint64_t add = cover_add(&r, &n, &cap, ev[i].a, ev[i].b);
			if (in_calls)
				total += add;
		}
		cum[i] = total;
	}
	free(r);
	for (size_t i = 0; i < pm->nev; i++) {
		/* A MAP event sits half-way through its own bytes, so the other pane
		 * catches up around it rather than only after it. */
		uint64_t before = i ? cum[i - 1] : 0;
		double mid = ((double)before + (double)cum[i]) / 2.0;
		pm->progress[i] =
		    total ? (ev[i].kind == PGT_EV_MAP ? mid : (double)cum[i]) / (double)total
		          : (double)i / (double)(pm->nev > 1 ? pm->nev - 1 : 1);
	}
	free(cum);
	return true;
}

/* Merges the two panes' events into one global sequence: at each global
 * step exactly one pane advances by one event -- the one whose next event
 * has the lower progress (ties: the one further behind in its own events).
 * So both panes always show about the same fraction of their direct map
 * done, and every event of each pane is visited once. */
static bool model_sync(pgt_view_model *m)
{
	for (int p = 0; p < m->npanes; p++)
		if (!model_progress(&m->pane[p]))
			return false;
	if (m->npanes < 2)
		return true;
	size_t na = m->pane[0].nev, nb = m->pane[1].nev;
	if (!na || !nb)
		return true;
	size_t total = na + nb - 1;
	if (total > UINT32_MAX)
		return true; /* fall back to event-index lockstep */
	for (int p = 0; p < 2; p++) {
		m->sync[p] = malloc(total * sizeof(uint32_t));
		m->gstep[p] = malloc(m->pane[p].nev * sizeof(uint32_t));
		if (!m->sync[p] || !m->gstep[p])
			return false;
	}
	const double *ka = m->pane[0].progress, *kb = m->pane[1].progress;
	size_t i = 0, j = 0, g = 0;
	m->sync[0][0] = 0;
	m->sync[1][0] = 0;
	m->gstep[0][0] = 0;
	m->gstep[1][0] = 0;
	while (i + 1 < na || j + 1 < nb) {
		bool adv_a;
		if (i + 1 >= na)
			adv_a = false;
		else if (j + 1 >= nb)
			adv_a = true;
		else if (ka[i + 1] != kb[j + 1])
			adv_a = ka[i + 1] < kb[j + 1];
		else
			adv_a = (double)(i + 1) / (double)na <= (double)(j + 1) / (double)nb;
		g++;
		if (adv_a)
			m->gstep[0][++i] = (uint32_t)g;
		else
			m->gstep[1][++j] = (uint32_t)g;
		m->sync[0][g] = (uint32_t)i;
		m->sync[1][g] = (uint32_t)j;
	}
	m->nsteps = g + 1;
	return true;
}

static bool model_markers(pgt_view_model *m)
{
	size_t n = 0, cap = 64;
	m->markers = malloc(cap * sizeof(*m->markers));
	if (!m->markers)
		return false;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		const pgt_event *ev = pgt_sim_events(pm->sim);
		bool full_seen = false;
		for (size_t i = 0; i < pm->nev; i++) {
			int k;
			if (ev[i].kind == PGT_EV_BUF_FOUND)
				full_seen = false; /* a new pgt_buf can fill up again */
			if (ev[i].kind == PGT_EV_ALLOC && !full_seen &&
			    (ev[i].origin == PGT_ORIGIN_PGTBUF || ev[i].origin == PGT_ORIGIN_BRK)) {
				/* The buffer's last page was just taken. */
				pgt_state st = pgt_sim_state_at(pm->sim, i);
				uint64_t brk_size =
				    pm->nbufs ? pm->bufs[0].top_pfn - pm->bufs[0].start_pfn : 0;
				bool full =
				    ev[i].origin == PGT_ORIGIN_PGTBUF
				        ? st.pgt_buf_top > st.pgt_buf_start &&
				              st.pgt_buf_end >= st.pgt_buf_top
				        : !pm->is_old && brk_size && st.brk_used >= brk_size;
				if (full) {
					full_seen = true;
					if (n == cap) {
						cap *= 2;
						pgt_marker *nm =
						    realloc(m->markers, cap * sizeof(*nm));
						if (!nm)
							return false;
						m->markers = nm;
					}
					m->markers[n++] = (pgt_marker){
					    pgt_view_global_step(m, p, i), PGT_MK_FULL, (uint8_t)p};
				}
			}
			switch (ev[i].kind) {
			case PGT_EV_CALL_BEGIN:
				k = PGT_MK_CALL;
				break;
			case PGT_EV_BUF_FOUND:
				k = PGT_MK_BUFFER;
				break;
			case PGT_EV_STEP_SIZE:
				k = PGT_MK_STEP;
				break;
			case PGT_EV_VIOLATION:
				k = PGT_MK_VIOLATION;
				break;
			case PGT_EV_PANIC:
				k = PGT_MK_PANIC;
				break;
			default:
				continue;
			}
			if (n == cap) {
				cap *= 2;
				pgt_marker *nm = realloc(m->markers, cap * sizeof(*nm));
				if (!nm)
					return false;
				m->markers = nm;
			}
			m->markers[n++] =
			    (pgt_marker){pgt_view_global_step(m, p, i), (uint8_t)k, (uint8_t)p};
		}
	}
	qsort(m->markers, n, sizeof(*m->markers), cmp_marker);
	m->nmarkers = n;
	return true;
}

static bool kernel_image(const pgt_view_model *m, uint64_t *ks, uint64_t *ke);

bool pgt_view_model_init(pgt_view_model *m, const pgt_scenario *sc, const pgt_sim *simA,
                         const pgt_sim *simB)
{
	memset(m, 0, sizeof(*m));
	m->sc = sc;
	m->npanes = simB ? 2 : 1;
	const pgt_sim *sims[2] = {simA, simB};
	for (int p = 0; p < m->npanes; p++) {
		if (!model_pane(&m->pane[p], sims[p])) {
			pgt_view_model_free(m);
			return false;
		}
		if (m->pane[p].nev > m->nsteps)
			m->nsteps = m->pane[p].nev;
		if (m->pane[p].addr_top > m->addr_top)
			m->addr_top = m->pane[p].addr_top;
	}
	m->ne820 = pgt_sim_e820(simA, &m->e820);
	if (m->addr_top < (1ull << 20))
		m->addr_top = 1ull << 20;
	kernel_image(m, &m->kernel_lo, &m->kernel_hi);
	if (!model_sync(m) || !model_markers(m)) {
		pgt_view_model_free(m);
		return false;
	}
	return true;
}

void pgt_view_model_free(pgt_view_model *m)
{
	for (int p = 0; p < 2; p++) {
		pgt_pane_model *pm = &m->pane[p];
		free(pm->by_pa);
		free(pm->map_ev);
		free(pm->log_at);
		free(pm->bufs);
		free(pm->mapped.r);
		free(pm->ro.r);
		free(pm->call_at);
		free(pm->viol);
		free(pm->by_level);
	}
	for (int p = 0; p < 2; p++) {
		free(m->sync[p]);
		free(m->gstep[p]);
		free(m->pane[p].progress);
	}
	free(m->markers);
	free(m->scratch);
	memset(m, 0, sizeof(*m));
}

size_t pgt_view_pane_step(const pgt_view_model *m, int p, size_t step)
{
	size_t n = m->pane[p].nev;
	if (n == 0)
		return 0;
	if (m->sync[p]) {
		if (step >= m->nsteps)
			step = m->nsteps - 1;
		return m->sync[p][step];
	}
	return step < n ? step : n - 1;
}

size_t pgt_view_global_step(const pgt_view_model *m, int p, size_t ev)
{
	size_t n = m->pane[p].nev;
	if (n == 0)
		return 0;
	if (ev >= n)
		ev = n - 1;
	return m->gstep[p] ? m->gstep[p][ev] : ev;
}

double pgt_view_progress(const pgt_view_model *m, int p, size_t ev)
{
	const pgt_pane_model *pm = &m->pane[p];
	if (!pm->nev || !pm->progress)
		return 0;
	return pm->progress[ev < pm->nev ? ev : pm->nev - 1];
}

size_t pgt_view_pane_at(const pgt_view_model *m, const pgt_viewstate *vs, int p)
{
	if (vs->unlocked && p >= 0 && p < 2) {
		size_t n = m->pane[p].nev;
		return n ? (vs->pane_step[p] < n ? vs->pane_step[p] : n - 1) : 0;
	}
	return pgt_view_pane_step(m, p, vs->step);
}

/* ---- range sets at a step (incremental caches) ------------------------- */

static bool rs_reserve(pgt_rangeset *rs, size_t need)
{
	if (need <= rs->cap)
		return true;
	size_t cap = rs->cap ? rs->cap * 2 : 64;
	while (cap < need)
		cap *= 2;
	pgt_range *nr = realloc(rs->r, cap * sizeof(*nr));
	if (!nr)
		return false;
	rs->r = nr;
	rs->cap = cap;
	return true;
}

/* Adds [a, b) to the set. */
static void rs_add(pgt_rangeset *rs, uint64_t a, uint64_t b)
{
	if (a >= b || !rs_reserve(rs, rs->n + 1))
		return;
	size_t i = 0, n = rs->n;
	pgt_range *r = rs->r;
	while (i < n && r[i].b < a)
		i++;
	size_t j = i;
	while (j < n && r[j].a <= b) {
		if (r[j].a < a)
			a = r[j].a;
		if (r[j].b > b)
			b = r[j].b;
		j++;
	}
	/* Replace r[i..j) by one range. */
	if (j == i) {
		memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
		rs->n++;
	} else if (j > i + 1) {
		memmove(&r[i + 1], &r[j], (n - j) * sizeof(*r));
		rs->n -= j - i - 1;
	}
	r[i] = (pgt_range){a, b};
}

/* Removes [a, b) from the set. */
static void rs_sub(pgt_rangeset *rs, uint64_t a, uint64_t b)
{
	if (a >= b || !rs_reserve(rs, rs->n + 1))
		return;
	pgt_range *r = rs->r;
	for (size_t i = 0; i < rs->n; i++) {
		if (r[i].b <= a || r[i].a >= b)
			continue;
		if (r[i].a < a && r[i].b > b) {
			memmove(&r[i + 2], &r[i + 1], (rs->n - i - 1) * sizeof(*r));
			r[i + 1] = (pgt_range){b, r[i].b};
			r[i].b = a;
			rs->n++;
			return;
		}
		if (r[i].a < a) {
			r[i].b = a;
		} else if (r[i].b > b) {
			r[i].a = b;
		} else {
			memmove(&r[i], &r[i + 1], (rs->n - i - 1) * sizeof(*r));
			rs->n--;
			i--;
		}
	}
}

/* Brings a set to `step`: add_kind events add [a, b), sub_kind remove. */
static void rs_update(pgt_rangeset *rs, const pgt_pane_model *pm, size_t step, int add_kind,
                      int sub_kind)
{
	if (rs->step == step)
		return;
	if (rs->step == SIZE_MAX || step < rs->step) {
		rs->n = 0;
		rs->pos = 0;
	}
	const pgt_event *ev = pgt_sim_events(pm->sim);
	for (; rs->pos < pm->nev && rs->pos <= step; rs->pos++) {
		const pgt_event *e = &ev[rs->pos];
		if (e->kind == add_kind)
			rs_add(rs, e->a, e->b > e->a ? e->b : e->a + PAGE);
		else if (e->kind == sub_kind)
			rs_sub(rs, e->a, e->b > e->a ? e->b : e->a + PAGE);
	}
	rs->step = step;
}

static void update_sets(pgt_pane_model *pm, size_t step)
{
	rs_update(&pm->mapped, pm, step, PGT_EV_MAP, PGT_EV_CLEAR);
	rs_update(&pm->ro, pm, step, PGT_EV_MARK_RO, PGT_EV_MARK_RW);
}

static bool rs_contains(const pgt_rangeset *rs, uint64_t addr)
{
	size_t lo = 0, hi = rs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rs->r[mid].b <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->n && rs->r[lo].a <= addr;
}

/* First index in by_pa with pa >= addr. */
static size_t table_lower_bound(const pgt_pane_model *pm, uint64_t addr)
{
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	size_t lo = 0, hi = pm->ntab;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tab[pm->by_pa[mid]].pa < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool table_visible(const pgt_table *t, size_t step)
{
	return t->origin == PGT_ORIGIN_STATIC || t->origin == PGT_ORIGIN_XEN ||
	       t->alloc_event <= step;
}

static bool table_ro(const pgt_table *t, size_t step)
{
	return t->ro_event != UINT32_MAX && t->ro_event <= step;
}

/* The latest pgt_buf placement at a step (NULL: none). */
static const pgt_bufhist *current_buf(const pgt_pane_model *pm, size_t step)
{
	const pgt_bufhist *b = NULL;
	for (size_t i = 0; i < pm->nbufs; i++)
		if (pm->bufs[i].placed <= step)
			b = &pm->bufs[i];
	return b;
}

/* ======================================================================== */
/* Frame building context                                                   */
/* ======================================================================== */

typedef struct ctx {
	pgt_drawlist *dl;
	pgt_view_layout *lay;
	pgt_view_model *m;
	const pgt_viewstate *vs;
	const pgt_view_params *p;
	const pgt_theme *t;
	float u; /* unit */
	/* font sizes (pixels) */
	int fs_title, fs_head, fs_body, fs_small, fs_tiny;
	int compact;     /* 0 full, 1 no tree/details/diff lane, 2 also no counters */
	pgt_state st[2]; /* per pane: state at the step drawn (set by draw_pane) */
} ctx;

static int U(const ctx *c, double v)
{
	double r = v * (double)c->u;
	return (int)lround(r < 1.0 && v > 0 ? 1.0 : r);
}

static int measure(const ctx *c, int font, int px, const char *s)
{
	if (c->p->measure)
		return c->p->measure(c->p->measure_ctx, font, px, s);
	return (int)((double)px * (font == PGT_FONT_MONO ? 0.60 : 0.55) * (double)strlen(s));
}

static void textf(const ctx *c, int x, int y, int font, int px, int anchor, pgt_color col,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

static void textf(const ctx *c, int x, int y, int font, int px, int anchor, pgt_color col,
                  const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dl_text(c->dl, x, y, font, px, anchor, col, buf);
}

/* Word-wraps s into at most maxl lines of width w; returns lines drawn. */
static int text_wrapped(const ctx *c, int x, int y, int w, int font, int px, int lh, pgt_color col,
                        const char *s, int maxl)
{
	char line[512];
	int nl = 0;
	while (*s && nl < maxl) {
		size_t best = 0, i = 0, len = strlen(s);
		while (i <= len) {
			if (s[i] == ' ' || s[i] == '\0') {
				if (i >= sizeof(line))
					break;
				memcpy(line, s, i);
				line[i] = '\0';
				if (measure(c, font, px, line) > w && best)
					break;
				best = i;
				if (s[i] == '\0')
					break;
			}
			i++;
		}
		if (best == 0)
			best = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
		if (nl == maxl - 1 && best < len) {
			/* Last line: cut with an ellipsis. */
			size_t k = best;
			if (k > sizeof(line) - 5)
				k = sizeof(line) - 5;
			memcpy(line, s, k);
			memcpy(line + k, " …", sizeof(" …"));
		} else {
			memcpy(line, s, best);
			line[best] = '\0';
		}
		dl_text(c->dl, x, y + nl * lh, font, px, PGT_AN_LEFT, col, line);
		nl++;
		s += best;
		while (*s == ' ')
			s++;
	}
	return nl;
}

/* ======================================================================== */
/* Narration                                                                */
/* ======================================================================== */

/* Sentence for event ev of pane p (narrate.c) plus the kernel line it
 * printed, if any. */
static char *narration_at(const pgt_view_model *m, int p, size_t ev, char *buf, size_t size)
{
	buf[0] = '\0';
	if (p < 0 || p >= m->npanes || m->pane[p].nev == 0)
		return buf;
	const pgt_pane_model *pm = &m->pane[p];
	size_t s = ev < pm->nev ? ev : pm->nev - 1;
	const pgt_event *e = &pgt_sim_events(pm->sim)[s];
	char what[768];
	pgt_narrate_event(pm->sim, s, what, sizeof(what));
	size_t li = pm->log_at[s];
	const pgt_logline *ll = li != SIZE_MAX ? pgt_sim_log(pm->sim, li) : NULL;
	if (ll && ll->event == s && e->kind != PGT_EV_PANIC && e->kind != PGT_EV_LOG)
		snprintf(buf, size, "%s  Log: \"%s\"", what, ll->text);
	else
		snprintf(buf, size, "%s", what);
	return buf;
}

char *pgt_view_narration(const pgt_view_model *m, int p, size_t step, char *buf, size_t size)
{
	if (p < 0 || p >= m->npanes) {
		buf[0] = '\0';
		return buf;
	}
	return narration_at(m, p, pgt_view_pane_step(m, p, step), buf, size);
}

/* ======================================================================== */
/* Memory map rows                                                          */
/* ======================================================================== */

/* Whether [a, b) intersects an e820 entry or a table page. */
static bool range_has_content(const pgt_view_model *m, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < m->ne820; i++)
		if (m->e820[i].start < b && m->e820[i].end > a)
			return true;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		size_t k = table_lower_bound(pm, a);
		if (k < pm->ntab && pgt_sim_tables(pm->sim)[pm->by_pa[k]].pa < b)
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
				uint64_t pa = pgt_sim_tables(pm->sim)[pm->by_pa[k]].pa;
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
static void layout_rows(ctx *c, int p, int x, int y, int w, int h)
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
	if (vgap < c->fs_tiny + 4)
		vgap = c->fs_tiny + 4;
	if (gap_h < c->fs_tiny + 2)
		gap_h = c->fs_tiny + 2;
	if (row_h < 2 * c->fs_tiny)
		row_h = 2 * c->fs_tiny;
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

static void row_background(const ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int by,
                           int bh)
{
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
		for (size_t k = 0; k < pm->mapped.n; k++) {
			uint64_t a = pm->mapped.r[k].a, b = pm->mapped.r[k].b;
			if (b <= e->start || a >= e->end)
				continue;
			row_fill(c, r, a > e->start ? a : e->start, b < e->end ? b : e->end, by, bh,
			         0, t->ram_mapped);
		}
	}
}

static void row_mapped_band(const ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y,
                            int h)
{
	for (size_t k = 0; k < pm->mapped.n; k++)
		row_fill(c, r, pm->mapped.r[k].a, pm->mapped.r[k].b, y, h, 1, c->t->mapped_band);
}

/* The kernel image [_text, end): from the scenario, else 16 MiB up to the
 * end of the BRK buffer / static tables (an estimate). */
static bool kernel_image(const pgt_view_model *m, uint64_t *ks, uint64_t *ke)
{
	const pgt_scenario *sc = m->sc;
	*ks = sc && sc->kernel_start ? sc->kernel_start : 16ull << 20;
	*ke = sc && sc->kernel_end ? sc->kernel_end : 0;
	if (*ke)
		return *ke > *ks;
	for (int p = 0; p < m->npanes; p++) {
		const pgt_pane_model *pm = &m->pane[p];
		const pgt_table *tab = pgt_sim_tables(pm->sim);
		for (size_t i = 0; i < pm->ntab; i++)
			if (tab[i].origin == PGT_ORIGIN_STATIC && tab[i].pa + PAGE > *ke &&
			    tab[i].pa >= *ks && tab[i].pa < *ks + (1ull << 30))
				*ke = tab[i].pa + PAGE;
		if (!pm->is_old && pm->nbufs && (pm->bufs[0].top_pfn << 12) > *ke &&
		    (pm->bufs[0].start_pfn << 12) >= *ks)
			*ke = pm->bufs[0].top_pfn << 12;
	}
	return *ke > *ks;
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
	const pgt_event *e = &pgt_sim_events(pm->sim)[pm->crash_ev];
	uint64_t ra = r->lo, rb = r->lo + r->span;
	if (e->b <= ra || e->a >= rb)
		return;
	row_fill(c, r, e->a, e->b, y, h, c->lay->marker_w, c->t->crashkernel);
	int x0 = row_x(r, e->a < ra ? ra : e->a), x1 = row_x(r, e->b > rb ? rb : e->b);
	if (x1 - x0 >= 3 * U(c, 2))
		dl_frame(c->dl, x0, y, x1 - x0, h, U(c, 2) < 1 ? 1 : U(c, 2), c->t->text);
}

/* Xen read-only pages (hatched, so colour is not the only cue). */
static void row_ro(const ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y, int h)
{
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	uint64_t ra = r->lo, rb = r->lo + r->span;
	for (size_t k = 0; k < pm->ro.n; k++) {
		uint64_t a = pm->ro.r[k].a, b = pm->ro.r[k].b;
		if (b <= ra || a >= rb)
			continue;
		int x0 = row_x(r, a < ra ? ra : a), x1 = row_x(r, b > rb ? rb : b);
		if (x1 - x0 < c->lay->marker_w)
			x1 = x0 + c->lay->marker_w;
		dl_hatch(c->dl, x0, y, x1 - x0, h, period, (period + 1) / 2, c->t->ro_hatch);
	}
}

/* Table markers: binned per pixel column so none is ever lost. */
static void row_tables(ctx *c, const pgt_pane_model *pm, const pgt_strip_row *r, int y, int h,
                       size_t step)
{
	int w = r->w;
	if (w <= 0)
		return;
	size_t need = (size_t)w;
	if (c->m->scratch_cap < need) {
		uint8_t *ns = realloc(c->m->scratch, need);
		if (!ns)
			return;
		c->m->scratch = ns;
		c->m->scratch_cap = need;
	}
	uint8_t *bins = c->m->scratch; /* bits 0-2 level, bit 3 RO */
	memset(bins, 0, need);
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	uint64_t rb = r->lo + r->span;
	bool any = false;
	for (size_t k = table_lower_bound(pm, r->lo); k < pm->ntab; k++) {
		const pgt_table *t = &tab[pm->by_pa[k]];
		if (t->pa >= rb)
			break;
		if (!table_visible(t, step))
			continue;
		int x = row_x(r, t->pa) - r->x;
		if (x >= w)
			x = w - 1;
		uint8_t lv = bins[x] & 7;
		if (t->level > lv)
			bins[x] = (uint8_t)((bins[x] & 8) | t->level);
		if (table_ro(t, step))
			bins[x] |= 8;
		any = true;
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
		if (bins[x] & 8)
			dl_hatch(c->dl, px, y, pw, h, period, (period + 1) / 2, c->t->ro_hatch);
		x = x1 - 1;
	}
}

/* A vertical marker line with a label in the gap above the row. */
static void row_marker(const ctx *c, const pgt_strip_row *r, uint64_t addr, pgt_color col,
                       const char *label, int anchor)
{
	if (addr < r->lo || addr > r->lo + r->span)
		return;
	int x = row_x(r, addr);
	int lw = U(c, 2);
	dl_rect(c->dl, x - lw / 2, r->y - U(c, 4), lw, r->h + U(c, 8), col);
	if (!label)
		return;
	/* below: label in the gap under the row instead of above it */
	bool below = (anchor & PGT_AN_BOTTOM) != 0;
	anchor &= 3;
	int tw = measure(c, PGT_FONT_SANS, c->fs_tiny, label);
	if (anchor == PGT_AN_LEFT && x + tw + U(c, 3) > r->x + r->w)
		anchor = PGT_AN_RIGHT;
	else if (anchor == PGT_AN_RIGHT && x - tw - U(c, 3) < r->x)
		anchor = PGT_AN_LEFT;
	int ly = below ? r->y + r->h + U(c, 3) : r->y - U(c, 3);
	dl_text(c->dl, x + (anchor == PGT_AN_LEFT ? U(c, 3) : -U(c, 3)), ly, PGT_FONT_SANS,
	        c->fs_tiny, anchor | (below ? PGT_AN_TOP : PGT_AN_BOTTOM), col, label);
}

/* Outline of [a, b) across rows (chunk, selection). */
static void outline_range(const ctx *c, const pgt_pane_layout *pl, uint64_t a, uint64_t b, int lw,
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

static void draw_memory_map(ctx *c, int p, size_t step)
{
	pgt_pane_layout *pl = &c->lay->pane[p];
	pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	int gutter = measure(c, PGT_FONT_MONO, c->fs_small, "0x100000000") + U(c, 10);
	int x = pl->mx + gutter, w = pl->mw - gutter;
	layout_rows(c, p, x, pl->my + U(c, 16), w, pl->mh - U(c, 16));
	update_sets(pm, step);
	pgt_state st = pgt_sim_state_at(pm->sim, step);

	for (int i = 0; i < pl->nrows; i++) {
		pgt_strip_row *r = &pl->rows[i];
		char lab[48], sz[32];
		if (r->gap) {
			char a[24], b[24];
			fmt_hex_label(r->lo, a, sizeof(a));
			fmt_hex_label(r->gap_end, b, sizeof(b));
			dl_rect(c->dl, r->x, r->y + r->h / 2, r->w, U(c, 1), t->grid);
			textf(c, r->x + r->w / 2, r->y + r->h / 2, PGT_FONT_SANS, c->fs_tiny,
			      PGT_AN_CENTER | PGT_AN_MIDDLE, t->text_dim,
			      "  no memory: %s hole, %s - %s (not to scale)  ",
			      pgt_fmt_size(r->gap_end - r->lo, sz, sizeof(sz)), a, b);
			continue;
		}
		fmt_hex_label(r->lo, lab, sizeof(lab));
		dl_text(c->dl, r->x - U(c, 8), r->y + r->h / 2, PGT_FONT_MONO, c->fs_small,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text_dim, lab);
		int band = r->h / 5 > 2 ? r->h / 5 : 2;
		int by = r->y + band, bh = r->h - band;
		row_background(c, pm, r, by, bh);
		row_mapped_band(c, pm, r, r->y, band - U(c, 1));
		int ry = by + bh / 2, rh = bh - bh / 2;
		row_reservations(c, pm, r, ry, rh, step);
		row_crashkernel(c, pm, r, ry, rh, step);
		row_ro(c, pm, r, by, bh);
		row_tables(c, pm, r, by, bh, step);
	}
	/* The range of the init_memory_mapping call under way. */
	if (pm->nev && pm->call_at[step]) {
		const pgt_event *cb = &pgt_sim_events(pm->sim)[pm->call_at[step] - 1];
		outline_range(c, pl, cb->a, cb->b, U(c, 2), t->chunk);
	}
	/* Markers. */
	for (int i = 0; i < pl->nrows; i++) {
		const pgt_strip_row *r = &pl->rows[i];
		if (r->gap)
			continue;
		/* An address on a row boundary belongs to the next row if there is one. */
		uint64_t rend = r->lo + r->span;
		bool next = i + 1 < pl->nrows && !pl->rows[i + 1].gap && pl->rows[i + 1].lo == rend;
		if (!pm->is_old && st.max_pfn_mapped) {
			if (!(next && (st.min_pfn_mapped << 12) == rend))
				row_marker(c, r, st.min_pfn_mapped << 12, t->pfn_mapped,
				           "min_pfn_mapped", PGT_AN_LEFT);
			if (!(next && (st.max_pfn_mapped << 12) == rend))
				row_marker(c, r, st.max_pfn_mapped << 12, t->pfn_mapped,
				           "max_pfn_mapped", PGT_AN_LEFT | PGT_AN_BOTTOM);
		}
		if (pm->is_old && st.pgt_buf_top > st.pgt_buf_start)
			row_marker(c, r, st.pgt_buf_start << 12, t->pgtbuf_used, "pgt_buf",
			           PGT_AN_LEFT);
	}
	/* Xen violations so far: a red frame on the page, unmistakable. */
	const pgt_event *ev = pgt_sim_events(pm->sim);
	for (size_t k = 0; k < pm->nviol && pm->viol[k] <= step; k++) {
		const pgt_event *ve = &ev[pm->viol[k]];
		uint64_t a = ve->a & ~(uint64_t)(PAGE - 1);
		outline_range(c, pl, a, a + PAGE, U(c, 3), t->violation);
		/* a refused pin: also the PTE page that holds the writable alias */
		if ((ve->flags & 1) && ve->b < pgt_sim_table_count(pm->sim)) {
			uint64_t q = pgt_sim_tables(pm->sim)[ve->b].pa;
			outline_range(c, pl, q, q + PAGE, U(c, 2), t->highlight);
		}
		if (k + 1 == pm->nviol || pm->viol[k + 1] > step)
			for (int i = 0; i < pl->nrows; i++) {
				const pgt_strip_row *r = &pl->rows[i];
				if (!r->gap && a >= r->lo && a < r->lo + r->span) {
					/* A red flag on a pole over the page. */
					int vx = row_x(r, a), fw = U(c, 12), fh = U(c, 9);
					dl_rect(c->dl, vx - U(c, 1), r->y - U(c, 16), U(c, 3),
					        U(c, 16), t->violation);
					dl_rect(c->dl, vx > r->x + r->w / 2 ? vx - fw : vx,
					        r->y - U(c, 16), fw, fh, t->violation);
				}
			}
	}
}

/* ======================================================================== */
/* Detail strips (one cell per 4 KiB page)                                  */
/* ======================================================================== */

typedef struct strip_spec {
	uint64_t lo_pfn, npages; /* window */
	const char *title;
	bool buffer;        /* draw pgt_buf_start/end/top */
	uint64_t s, e, top; /* buffer pfns */
	bool returned;      /* old buffer whose tail was handed back */
} strip_spec;

/* Latest table (by event) not from the linear buffer; UINT32_MAX: none. */
static uint32_t latest_other_table(const pgt_pane_model *pm, size_t step)
{
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	/* Tables are numbered in allocation order: find the last one allocated
	 * by this step, then walk back past the linear-buffer ones. */
	size_t lo = 0, hi = pm->ntab;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tab[mid].alloc_event <= step)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;) {
		const pgt_table *t = &tab[i];
		if (t->origin == PGT_ORIGIN_PGTBUF || t->origin == PGT_ORIGIN_BRK ||
		    t->origin == PGT_ORIGIN_STATIC || t->origin == PGT_ORIGIN_XEN ||
		    t->alloc_event > step)
			continue;
		return (uint32_t)i;
	}
	return UINT32_MAX;
}

static void draw_strip(ctx *c, int p, int slot, const strip_spec *ss, int x, int y, int w,
                       size_t step)
{
	const pgt_theme *t = c->t;
	const pgt_pane_model *pm = &c->m->pane[p];
	pgt_strip_row *row = &c->lay->pane[p].detail[slot];
	int ch = U(c, 28);
	textf(c, x, y, PGT_FONT_SANS_BOLD, c->fs_small, PGT_AN_LEFT, t->text, "%s", ss->title);
	int cy = y + c->fs_small + U(c, 6);
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
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	size_t k = table_lower_bound(pm, ss->lo_pfn << 12);
	int period = U(c, 6) < 3 ? 3 : U(c, 6);
	bool gapline = cw >= U(c, 6);
	for (uint64_t i = 0; i < cells; i++) {
		uint64_t pfn = ss->lo_pfn + i * per;
		int cx = x + (int)i * cw;
		pgt_color col = t->panel;
		if (ss->buffer && pfn >= ss->s && pfn < ss->top)
			col = pfn < ss->e ? t->pgtbuf_used
			                  : (ss->returned ? t->pgtbuf_returned : t->pgtbuf_free);
		else if (!ss->buffer && rs_contains(&pm->mapped, pfn << 12))
			col = t->ram_mapped;
		else if (!ss->buffer)
			col = t->ram;
		int lv = 0;
		bool ro = false;
		while (k < pm->ntab && tab[pm->by_pa[k]].pa < (pfn + per) << 12) {
			const pgt_table *tb = &tab[pm->by_pa[k]];
			if (tb->pa >= pfn << 12 && table_visible(tb, step)) {
				if (tb->level > lv)
					lv = tb->level;
				ro |= table_ro(tb, step);
			}
			k++;
		}
		if (lv)
			col = level_color(t, lv);
		ro |= rs_contains(&pm->ro, pfn << 12);
		dl_rect(c->dl, cx, cy, gapline ? cw - U(c, 1) : cw, ch, col);
		if (ro)
			dl_hatch(c->dl, cx, cy, gapline ? cw - U(c, 1) : cw, ch, period,
			         (period + 1) / 2, t->ro_hatch);
	}
	dl_frame(c->dl, x - U(c, 1), cy - U(c, 1), sw + U(c, 2), ch + U(c, 2), U(c, 1), t->grid);
	if (!ss->buffer)
		return;
	/* pgt_buf_start / end / top: lines, and labels merged where they meet. */
	static const char *const names[3] = {"pgt_buf_start", "pgt_buf_end", "pgt_buf_top"};
	const uint64_t pf[3] = {ss->s, ss->e, ss->top};
	int last_right[2] = {INT32_MIN, INT32_MIN};
	for (int i = 0; i < 3; i++) {
		if (pf[i] < ss->lo_pfn || pf[i] > ss->lo_pfn + cells * per)
			continue;
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= pf[j] == pf[i];
		if (dup)
			continue;
		char lab[96] = "";
		for (int j = i; j < 3; j++)
			if (pf[j] == pf[i]) {
				if (lab[0])
					strncat(lab, " = ", sizeof(lab) - strlen(lab) - 1);
				strncat(lab, names[j], sizeof(lab) - strlen(lab) - 1);
			}
		int mx = x + (int)((pf[i] - ss->lo_pfn) / per) * cw;
		pgt_color col = pf[i] == ss->e ? t->chunk : t->text;
		dl_rect(c->dl, mx - U(c, 1), cy - U(c, 4), U(c, 3), ch + U(c, 8), col);
		int tw = measure(c, PGT_FONT_MONO, c->fs_tiny, lab);
		int lx = mx - tw / 2;
		if (lx + tw > x + w) /* keep the label inside the pane */
			lx = x + w - tw;
		if (lx < x)
			lx = x;
		int line = lx > last_right[0] ? 0 : 1;
		if (line == 1 && lx <= last_right[1])
			lx = last_right[1] + U(c, 8);
		last_right[line] = lx + tw + U(c, 8);
		int ly = cy + ch + U(c, 6) + line * (c->fs_tiny + U(c, 3));
		dl_line(c->dl, mx, cy + ch + U(c, 4), mx, ly, U(c, 1), col);
		dl_text(c->dl, lx, ly, PGT_FONT_MONO, c->fs_tiny, PGT_AN_LEFT, col, lab);
	}
}

static void draw_details(ctx *c, int p, int x, int y, int w, int h, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	pgt_state st = pgt_sim_state_at(pm->sim, step);
	const pgt_bufhist *b = current_buf(pm, step);
	/* The second strip starts below the first one's two label lines. */
	int sh = c->fs_small + U(c, 6) + U(c, 28) + U(c, 10) + 2 * (c->fs_tiny + U(c, 3)) + U(c, 6);
	if (sh < h / 2)
		sh = h / 2;
	char title[160], sz[32];
	c->lay->pane[p].detail[0].w = 0;
	c->lay->pane[p].detail[1].w = 0;
	if (b) {
		bool done = b->done <= step;
		uint64_t e = done ? b->end_pfn : st.pgt_buf_end;
		strip_spec ss = {b->start_pfn, b->top_pfn - b->start_pfn,
		                 title,        true,
		                 b->start_pfn, e,
		                 b->top_pfn,   done};
		snprintf(title, sizeof(title),
		         "%s [%#" PRIx64 ", %#" PRIx64 "): %" PRIu64 " of %" PRIu64
		         " pages used%s   (one cell = 4 KiB)",
		         pm->is_old ? "pgt_buf" : "BRK buffer", b->start_pfn << 12,
		         b->top_pfn << 12, e - b->start_pfn, b->top_pfn - b->start_pfn,
		         done ? ", rest handed back" : "");
		draw_strip(c, p, 0, &ss, x, y, w, step);
	} else {
		textf(c, x, y, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT, c->t->text_dim, "%s",
		      pm->is_old ? "pgt_buf: not placed yet" : "no BRK buffer");
	}
	uint32_t lt = latest_other_table(pm, step);
	if (lt != UINT32_MAX) {
		const pgt_table *tb = &pgt_sim_tables(pm->sim)[lt];
		uint64_t pfn = tb->pa >> 12;
		uint64_t lo = pfn >= 48 ? pfn - 48 : 0;
		strip_spec ss = {lo, 64, title, false, 0, 0, 0, false};
		(void)sz;
		snprintf(title, sizeof(title),
		         "%s: 64 pages around the latest table page (%#" PRIx64 ")",
		         pgt_origin_name(tb->origin), tb->pa);
		draw_strip(c, p, 1, &ss, x, y + sh, w, step);
	} else if (!pm->is_old) {
		textf(c, x, y + sh, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT, c->t->text_dim, "%s",
		      "memblock: no page-table pages allocated yet");
	}
}

/* ======================================================================== */
/* Counters and tree                                                        */
/* ======================================================================== */

static void draw_counters(ctx *c, int p, int x, int y, int w, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	pgt_state st = pgt_sim_state_at(pm->sim, step);
	int lh = c->fs_body + U(c, 6);
	char a[32], b[64];
	/* Never run into the tree on the right. */
	dl_clip(c->dl, x, y - U(c, 4), w, 5 * lh);
	uint32_t total = st.tables[1] + st.tables[2] + st.tables[3] + st.tables[4];
	int yy = y;
	/* Line 1: tables per level with colour chips. */
	int xx = x;
	static const int lv[4] = {PGT_PGD, PGT_PUD, PGT_PMD, PGT_PTE};
	for (int i = 0; i < 4; i++) {
		int sq = c->fs_body * 3 / 4;
		dl_rect(c->dl, xx, yy + (c->fs_body - sq) / 2 + U(c, 2), sq, sq,
		        level_color(t, lv[i]));
		xx += sq + U(c, 5);
		char s[48];
		snprintf(s, sizeof(s), "%s %u", pgt_level_name(lv[i]), st.tables[lv[i]]);
		dl_text(c->dl, xx, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text, s);
		xx += measure(c, PGT_FONT_SANS, c->fs_body, s) + U(c, 14);
	}
	textf(c, xx, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text_dim, "= %u page%s", total,
	      total == 1 ? "" : "s");
	yy += lh;
	if (pm->is_old) {
		uint64_t resv = 0, used = 0, back = 0;
		for (size_t i = 0; i < pm->nbufs; i++) {
			const pgt_bufhist *bh = &pm->bufs[i];
			if (bh->placed > step)
				continue;
			bool done = bh->done <= step;
			uint64_t e = done ? bh->end_pfn : st.pgt_buf_end;
			resv += bh->top_pfn - bh->start_pfn;
			used += e - bh->start_pfn;
			if (done)
				back += bh->top_pfn - e;
		}
		char extra[48] = "";
		if (resv - used - back)
			snprintf(extra, sizeof(extra), ", %" PRIu64 " unused", resv - used - back);
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
		      "pgt_buf: %" PRIu64 " reserved, %" PRIu64 " used%s, %" PRIu64 " handed back",
		      resv, used, extra, back);
	} else {
		uint64_t brk_total = 0;
		const pgt_bufhist *bh = current_buf(pm, step);
		if (bh)
			brk_total = bh->top_pfn - bh->start_pfn;
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
		      "BRK: %" PRIu64 "/%" PRIu64 " pages   memblock: %u pages   step: %s",
		      st.brk_used, brk_total, st.tables_origin[PGT_ORIGIN_MEMBLOCK],
		      st.step_size ? pgt_fmt_size(st.step_size, a, sizeof(a)) : "-");
	}
	yy += lh;
	b[0] = '\0';
	char mb[32];
	textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT, t->text,
	      "direct-mapped: %s   max_pfn_mapped: %#" PRIx64 "%s",
	      pgt_fmt_size(st.mapped_bytes, mb, sizeof(mb)), st.max_pfn_mapped, b);
	yy += lh;
	if (pgt_sim_xen(pm->sim) || st.ro_pages || st.violations)
		textf(c, x, yy, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		      st.violations ? t->violation : t->text,
		      "Xen read-only pages: %u   violations: %u", st.ro_pages, st.violations);
	const pgt_pane_layout *pl = &c->lay->pane[p];
	dl_clip(c->dl, pl->x, pl->y, pl->w, pl->h);
}

/* Tree: one row per level, one square per table page, lines to parents. */
static void draw_tree(ctx *c, int p, int x, int y, int w, int h, size_t step)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	int rowh = h / 4;
	int sq = rowh * 3 / 5;
	if (sq > U(c, 18))
		sq = U(c, 18);
	int labw = measure(c, PGT_FONT_SANS, c->fs_small, "PGD") + U(c, 8);
	int cap = (w - labw) / (sq + U(c, 3));
	if (cap < 1)
		cap = 1;
	/* Position of each drawn table (index -> x,y) for parent lines. */
	enum { MAXD = 512 };
	static const int lv[4] = {PGT_PGD, PGT_PUD, PGT_PMD, PGT_PTE};
	int px[MAXD], py[MAXD];
	uint32_t idx[MAXD];
	int nd = 0;
	int period = U(c, 5) < 3 ? 3 : U(c, 5);
	for (int r = 0; r < 4; r++) {
		int ry = y + r * rowh;
		dl_text(c->dl, x, ry + sq / 2, PGT_FONT_SANS, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, pgt_level_name(lv[r]));
		int count = 0;
		/* Tables in address order of what they map (va_base). */
		for (size_t q = pm->lvl_start[lv[r]]; q < pm->lvl_start[lv[r] + 1]; q++) {
			size_t k = pm->by_level[q];
			const pgt_table *tb = &tab[k];
			if (!table_visible(tb, step))
				continue;
			if (count >= cap) {
				/* The rest only counts: take it from the state. */
				if (c->st[p].tables[lv[r]] > (uint32_t)count)
					count = (int)c->st[p].tables[lv[r]];
				else
					count++;
				break;
			}
			if (count < cap - 1 || count == cap - 1) {
				int cx = x + labw + count * (sq + U(c, 3));
				if (count == cap - 1) {
					count++;
					continue;
				}
				bool live = tb->hook_event != UINT32_MAX && tb->hook_event <= step;
				if (live || tb->origin == PGT_ORIGIN_STATIC)
					dl_rect(c->dl, cx, ry, sq, sq, level_color(t, tb->level));
				else
					dl_frame(c->dl, cx, ry, sq, sq, U(c, 2),
					         level_color(t, tb->level));
				if (table_ro(tb, step))
					dl_hatch(c->dl, cx, ry, sq, sq, period, (period + 1) / 2,
					         t->ro_hatch);
				if (c->vs->sel_pane == p && c->vs->sel_table == k)
					dl_frame(c->dl, cx - U(c, 3), ry - U(c, 3), sq + U(c, 6),
					         sq + U(c, 6), U(c, 2), t->selection);
				pgt_pane_layout *tpl = &c->lay->pane[p];
				if (tpl->ntree < PGT_VIEW_MAX_TREE) {
					tpl->tree[tpl->ntree].x = cx;
					tpl->tree[tpl->ntree].y = ry;
					tpl->tree[tpl->ntree].s = sq;
					tpl->tree[tpl->ntree++].table = (uint32_t)k;
				}
				if (nd < MAXD) {
					px[nd] = cx + sq / 2;
					py[nd] = ry;
					idx[nd++] = (uint32_t)k;
				}
			}
			count++;
		}
		if (count >= cap)
			textf(c, x + labw + (cap - 1) * (sq + U(c, 3)), ry + sq / 2, PGT_FONT_SANS,
			      c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, "+%d",
			      count - cap + 1);
	}
	/* Parent links (only when few, to stay readable). */
	if (nd <= 96) {
		for (int i = 0; i < nd; i++) {
			uint32_t par = tab[idx[i]].parent;
			if (par == UINT32_MAX)
				continue;
			for (int j = 0; j < nd; j++)
				if (idx[j] == par) {
					bool sel =
					    c->vs->sel_pane == p && c->vs->sel_table == idx[i];
					dl_line(c->dl, px[i], py[i], px[j], py[j] + sq, U(c, 1),
					        sel ? t->selection : t->grid);
					break;
				}
		}
	}
}

/* ======================================================================== */
/* Panes                                                                    */
/* ======================================================================== */

static const char *scheme_label(int scheme)
{
	switch (scheme) {
	case PGT_SCHEME_PGTBUF:
		return "Old: linear pgt_buf";
	case PGT_SCHEME_TOPDOWN:
		return "New: BRK, then memblock";
	case PGT_SCHEME_BOTTOMUP:
		return "New, bottom-up";
	case PGT_SCHEME_CHUNKEND:
		return "Tables at chunk end (hpa)";
	default:
		return "?";
	}
}

static const char *scheme_short(int scheme)
{
	switch (scheme) {
	case PGT_SCHEME_PGTBUF:
		return "Old";
	case PGT_SCHEME_TOPDOWN:
		return "New";
	case PGT_SCHEME_BOTTOMUP:
		return "Bottom-up";
	default:
		return "Chunk-end";
	}
}

static void draw_selection(ctx *c, int p, size_t step)
{
	const pgt_viewstate *vs = c->vs;
	if (vs->sel_pane != p)
		return;
	const pgt_pane_model *pm = &c->m->pane[p];
	const pgt_pane_layout *pl = &c->lay->pane[p];
	if (vs->sel_table != UINT32_MAX && vs->sel_table < pm->ntab) {
		const pgt_table *tb = &pgt_sim_tables(pm->sim)[vs->sel_table];
		if (!table_visible(tb, step))
			return;
		/* What it maps, then where it lives, then its parent. */
		uint64_t span = level_span(tb->level);
		uint64_t end = tb->va_base + span < tb->va_base ? UINT64_MAX : tb->va_base + span;
		outline_range(c, pl, tb->va_base, end, U(c, 2), c->t->highlight);
		outline_range(c, pl, tb->pa, tb->pa + PAGE, U(c, 3), c->t->selection);
		if (tb->parent != UINT32_MAX) {
			const pgt_table *par = &pgt_sim_tables(pm->sim)[tb->parent];
			outline_range(c, pl, par->pa, par->pa + PAGE, U(c, 2), c->t->highlight);
		}
	} else if (vs->sel_has_addr) {
		outline_range(c, pl, vs->sel_addr & ~(uint64_t)(PAGE - 1),
		              (vs->sel_addr & ~(uint64_t)(PAGE - 1)) + PAGE, U(c, 2),
		              c->t->selection);
	}
}

/* A scenario note for the pane's current event, boxed above the memory
 * map so it cannot be missed; false when there is none. */
static bool draw_note(ctx *c, int p, size_t step, int x, int y, int w)
{
	const pgt_pane_model *pm = &c->m->pane[p];
	char note[1200];
	if (!pgt_narrate_note(c->m->sc, pm->sim, step, note, sizeof(note)))
		return false;
	const pgt_theme *t = c->t;
	int pad = U(c, 10), lh = c->fs_body + U(c, 5);
	int maxl = c->compact ? 3 : 5;
	/* Measure the lines first with a dry run into a scratch list. */
	size_t n0 = c->dl->n;
	int nl = text_wrapped(c, x + pad, y + pad, w - 2 * pad, PGT_FONT_SANS, c->fs_body, lh,
	                      t->text, note, maxl);
	c->dl->n = n0;
	int bh = nl * lh + 2 * pad;
	dl_rect(c->dl, x, y, w, bh, t->overlay_bg);
	dl_frame(c->dl, x, y, w, bh, U(c, 2), t->highlight);
	dl_rect(c->dl, x, y, U(c, 6), bh, t->highlight);
	text_wrapped(c, x + pad + U(c, 4), y + pad, w - 2 * pad - U(c, 4), PGT_FONT_SANS,
	             c->fs_body, lh, t->text, note, maxl);
	return true;
}

/* Height kept above the memory map for scenario notes, so a note never
 * hides a row: the tallest note of the scenario (wrapped at width w, both
 * schemes' parts counted), 0 when it has none. */
static int notes_height(ctx *c, int w)
{
	const pgt_scenario *sc = c->m->sc;
	if (!sc || !sc->n_notes)
		return 0;
	int pad = U(c, 10), lh = c->fs_body + U(c, 5);
	int maxl = c->compact ? 3 : 5, most = 0;
	for (size_t i = 0; i < sc->n_notes && most < maxl; i++) {
		size_t n0 = c->dl->n;
		int nl = text_wrapped(c, 0, 0, w - 2 * pad - U(c, 4), PGT_FONT_SANS, c->fs_body, lh,
		                      c->t->text, sc->notes[i].text ? sc->notes[i].text : "", maxl);
		c->dl->n = n0;
		most = nl > most ? nl : most;
	}
	return most ? most * lh + 2 * pad + U(c, 8) : 0;
}

static void draw_pane(ctx *c, int p, int x, int y, int w, int h)
{
	pgt_pane_layout *pl = &c->lay->pane[p];
	pgt_pane_model *pm = &c->m->pane[p];
	const pgt_theme *t = c->t;
	size_t step = pgt_view_pane_at(c->m, c->vs, p);
	const pgt_event *e = pm->nev ? &pgt_sim_events(pm->sim)[step] : NULL;
	bool violation = e && e->kind == PGT_EV_VIOLATION;
	c->st[p] = pgt_sim_state_at(pm->sim, step);
	pl->x = x;
	pl->y = y;
	pl->w = w;
	pl->h = h;
	dl_rect(c->dl, x, y, w, h, t->panel);
	int pad = U(c, 14);
	int ix = x + pad, iw = w - 2 * pad, yy = y + U(c, 10);
	/* Heading: scheme; on the right the pane's own event and progress, and
	 * the kernel model actually run (whatever fits). */
	char head[96], kv[24];
	snprintf(head, sizeof(head), "%s · %s", scheme_label(pgt_sim_scheme(pm->sim)),
	         pgt_kver_format(pgt_sim_kver(pm->sim), kv, sizeof(kv)));
	const char *model = pgt_sim_model(pm->sim);
	bool chosen = c->p->interactive && c->m->npanes == 2 && c->vs->focus == p;
	dl_text(c->dl, ix, yy, PGT_FONT_SANS_BOLD, c->fs_head, PGT_AN_LEFT,
	        chosen ? t->highlight : t->text, head);
	int head_w = measure(c, PGT_FONT_SANS_BOLD, c->fs_head, head);
	char pos[96], right[320];
	snprintf(pos, sizeof(pos), "event %zu/%zu, %.0f%% mapped%s", step,
	         pm->nev ? pm->nev - 1 : 0, 100.0 * pgt_view_progress(c->m, p, step),
	         c->vs->unlocked ? " (alone)" : "");
	snprintf(right, sizeof(right), "%s   %s", pos, model);
	int room = iw - head_w - U(c, 20);
	const char *rt = measure(c, PGT_FONT_SANS, c->fs_small, right) <= room ? right
	                 : measure(c, PGT_FONT_SANS, c->fs_small, pos) <= room ? pos
	                                                                       : "";
	dl_text(c->dl, ix + iw, yy + (c->fs_head - c->fs_small), PGT_FONT_SANS, c->fs_small,
	        PGT_AN_RIGHT, c->vs->unlocked && c->vs->focus == p ? t->highlight : t->text_dim,
	        rt);
	yy += c->fs_head + U(c, 10);
	/* Narration caption. */
	int cap_lines = c->compact >= 2 ? 2 : 3;
	if (c->vs->overlays & PGT_OV_CAPTION) {
		char nar[1200];
		narration_at(c->m, p, step, nar, sizeof(nar));
		pgt_color col = e && (e->kind == PGT_EV_VIOLATION || e->kind == PGT_EV_PANIC ||
		                      step == pm->crash_fail_ev)
		                    ? t->violation
		                    : t->text;
		int lh = c->fs_body + U(c, 5);
		size_t gend = pgt_view_global_step(c->m, p, pm->nev ? pm->nev - 1 : 0);
		if (pm->nev && step == pm->nev - 1 && !c->vs->unlocked && c->vs->step > gend) {
			char crash[200] = "";
			char sz[32], at[32];
			col = t->text_dim;
			if (pm->crash_fail_ev != SIZE_MAX) {
				snprintf(
				    crash, sizeof(crash),
				    " But crashkernel= FAILED: \"crashkernel reservation failed "
				    "- No suitable area found.\" (kdump is unavailable).");
				col = t->violation;
			} else if (pm->crash_ev != SIZE_MAX) {
				const pgt_event *ce = &pgt_sim_events(pm->sim)[pm->crash_ev];
				snprintf(crash, sizeof(crash), " crashkernel=: %s reserved at %s.",
				         pgt_fmt_size(ce->b - ce->a, sz, sizeof(sz)),
				         pgt_fmt_size(ce->a, at, sizeof(at)));
			}
			if (pgt_sim_panic(pm->sim))
				col = t->violation;
			snprintf(nar, sizeof(nar), "Finished at event %zu: %s%s", pm->nev - 1,
			         pgt_sim_panic(pm->sim) ? "the kernel panicked."
			                                : "the direct mapping is complete.",
			         crash);
		}
		text_wrapped(c, ix, yy, iw, PGT_FONT_SANS, c->fs_body, lh, col, nar, cap_lines);
		yy += cap_lines * lh + U(c, 6);
	}
	int bottom = y + h - pad;
	bool show_counters = (c->vs->overlays & PGT_OV_COUNTERS) && c->compact < 2;
	bool show_tree = (c->vs->overlays & PGT_OV_TREE) && !c->compact;
	int counters_h = show_counters || show_tree ? U(c, 124) : 0;
	if (counters_h && counters_h < 4 * (c->fs_body + U(c, 6)))
		counters_h = 4 * (c->fs_body + U(c, 6));
	int details_h = (c->vs->overlays & PGT_OV_DETAIL) && !c->compact ? U(c, 176) : 0;
	int note_y = yy;
	int note_h = (c->vs->overlays & PGT_OV_CAPTION) ? notes_height(c, iw) : 0;
	/* Never more than a third of what the map would get. */
	if (note_h > (bottom - yy - counters_h - details_h) / 3)
		note_h = 0;
	yy += note_h;
	int map_h = bottom - yy - counters_h - details_h;
	pl->mx = ix;
	pl->my = yy;
	pl->mw = iw;
	pl->mh = map_h;
	dl_clip(c->dl, x, y, w, h);
	draw_memory_map(c, p, step);
	draw_selection(c, p, step);
	if (c->vs->overlays & PGT_OV_CAPTION)
		if (!draw_note(c, p, step, ix, note_y, iw) && note_h)
			dl_text(c->dl, ix, note_y + U(c, 10), PGT_FONT_SANS, c->fs_small,
			        PGT_AN_LEFT, t->text_dim,
			        "Scenario notes appear here at their steps.");
	if (details_h)
		draw_details(c, p, ix, yy + map_h + U(c, 8), iw, details_h - U(c, 8), step);
	int cy = bottom - counters_h + U(c, 6);
	int tree_x = ix + iw * 68 / 100;
	if (show_counters)
		draw_counters(c, p, ix, cy, (show_tree ? tree_x - U(c, 12) : ix + iw) - ix, step);
	if (show_tree)
		draw_tree(c, p, tree_x, cy, iw * 32 / 100, counters_h - U(c, 8), step);
	dl_clip(c->dl, 0, 0, 0, 0);
	/* A violation cannot be missed: the pane is framed in red (flashing in
	 * the window) with a banner. */
	if (violation) {
		bool on = c->vs->flash <= 0 || (c->vs->flash % 2) == 0;
		int lw = U(c, 5);
		if (on)
			dl_frame(c->dl, x, y, w, h, lw, t->violation);
		/* Top right, over the heading's event counter, never over the
		 * scheme name: a shorter text when the pane is narrow (the red
		 * caption below says the rest). */
		static const char *const live[] = {"VIOLATION: a live page table is writable",
		                                   "VIOLATION: live table writable", "VIOLATION",
		                                   "!"};
		static const char *const pin[] = {"VIOLATION: Xen refused to pin a PTE page",
		                                  "VIOLATION: pin refused", "VIOLATION", "!"};
		const char *const *msgs = e && (e->flags & 1) ? pin : live;
		const char *msg = msgs[3];
		int room_b = w - lw - (ix - x) - head_w - U(c, 12);
		for (int k = 0; k < 3; k++)
			if (measure(c, PGT_FONT_SANS_BOLD, c->fs_head, msgs[k]) + U(c, 24) <=
			    room_b) {
				msg = msgs[k];
				break;
			}
		int tw = measure(c, PGT_FONT_SANS_BOLD, c->fs_head, msg) + U(c, 24);
		int bh = c->fs_head + U(c, 14);
		dl_rect(c->dl, x + w - tw - lw, y + lw, tw, bh, t->violation);
		dl_text(c->dl, x + w - lw - U(c, 12), y + lw + bh / 2, PGT_FONT_SANS_BOLD,
		        c->fs_head, PGT_AN_RIGHT | PGT_AN_MIDDLE, t->bg, msg);
	} else if (c->vs->unlocked && c->vs->focus == p && c->m->npanes == 2) {
		dl_frame(c->dl, x, y, w, h, U(c, 2), t->highlight);
	}
}

/* ======================================================================== */
/* Difference lane                                                          */
/* ======================================================================== */

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
	for (int o = 0; o < PGT_ORIGIN_COUNT; o++)
		ps->lo[o] = UINT64_MAX;
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	for (size_t i = 0; i < pm->ntab; i++) {
		const pgt_table *t = &tab[i];
		if (!table_visible(t, step) || t->origin >= PGT_ORIGIN_COUNT)
			continue;
		ps->used[t->origin]++;
		ps->total++;
		if (t->pa < ps->lo[t->origin])
			ps->lo[t->origin] = t->pa;
		if (t->pa + PAGE > ps->hi[t->origin])
			ps->hi[t->origin] = t->pa + PAGE;
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

static void draw_diff(ctx *c, int y, int h)
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
	int labw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, "Bottom-up") + U(c, 8);
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
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text,
		        scheme_short(pgt_sim_scheme(c->m->pane[p].sim)));
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
		/* Words: how many, from where, where they sit. */
		char line[400], part[160];
		size_t len = 0;
		line[0] = '\0';
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%u in use", s->total);
		uint32_t pre = s->used[PGT_ORIGIN_STATIC] + s->used[PGT_ORIGIN_XEN];
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && len < sizeof(line);
		     k++) {
			int o = order[k];
			if (!s->used[o] || o == PGT_ORIGIN_STATIC || o == PGT_ORIGIN_XEN)
				continue;
			snprintf(part, sizeof(part), "%s%u %s @%#" PRIx64 "-%#" PRIx64,
			         len && line[len - 1] == 'e' ? ": " : ", ", s->used[o],
			         pgt_origin_name(o), s->lo[o], s->hi[o]);
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s", part);
		}
		if (pre && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        ", %u present at boot", pre);
		if (len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        " | %" PRIu64 " reserved but unused", s->wasted);
		if (s->returned && len < sizeof(line))
			snprintf(line + len, sizeof(line) - len, ", %" PRIu64 " handed back",
			         s->returned);
		/* Too long for the room: drop the tables present at boot. */
		if (measure(c, PGT_FONT_SANS, c->fs_small, line) > stripx - textx - U(c, 10)) {
			char *boot = strstr(line, ", ");
			char *bar = strstr(line, " | ");
			char *pre_at = NULL;
			for (char *q = boot; q && q < (bar ? bar : line + strlen(line));
			     q = strstr(q + 1, ", "))
				if (strstr(q, "present at boot") &&
				    (!bar || strstr(q, "present") < bar))
					pre_at = q;
			if (pre_at && bar)
				memmove(pre_at, bar, strlen(bar) + 1);
		}
		dl_clip(c->dl, textx, ry, stripx - textx - U(c, 10), rowh);
		dl_text(c->dl, textx, ry + rowh / 2, PGT_FONT_SANS, c->fs_small,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text, line);
		dl_clip(c->dl, 0, 0, 0, 0);
		/* Where the tables landed, on one linear address axis for both. */
		const pgt_pane_model *pm = &c->m->pane[p];
		const pgt_table *tab = pgt_sim_tables(pm->sim);
		uint64_t top = c->m->addr_top;
		int sy = p == 0 ? y + h / 2 - U(c, 2) - bh : y + h / 2 + U(c, 2);
		/* One binary search per pixel column: big maps stay cheap. */
		for (int px = 0; px < stripw; px++) {
			uint64_t a = (uint64_t)((double)px / (double)stripw * (double)top);
			uint64_t b = (uint64_t)((double)(px + 1) / (double)stripw * (double)top);
			int lvl = 0;
			for (size_t k = table_lower_bound(pm, a); k < pm->ntab; k++) {
				const pgt_table *tb = &tab[pm->by_pa[k]];
				if (tb->pa >= b)
					break;
				if (table_visible(tb, steps[p]) && tb->level > lvl)
					lvl = tb->level;
				if (lvl == PGT_PGD)
					break;
			}
			if (lvl)
				dl_rect(c->dl, stripx + px, sy, c->lay->marker_w, bh,
				        level_color(t, lvl));
		}
	}
	if (c->m->npanes == 2) {
		dl_rect(c->dl, stripx, y + h / 2 - U(c, 1), stripw, U(c, 2), t->grid);
		dl_text(c->dl, stripx - U(c, 6), y + h / 2, PGT_FONT_MONO, c->fs_tiny,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text_dim, "0");
		dl_text(c->dl, stripx + stripw + U(c, 6), y + h / 2, PGT_FONT_MONO, c->fs_tiny,
		        PGT_AN_LEFT | PGT_AN_MIDDLE, t->text_dim, topl);
		char cap[96];
		snprintf(cap, sizeof(cap), "where the tables are: %s above the line, %s below",
		         scheme_short(pgt_sim_scheme(c->m->pane[0].sim)),
		         scheme_short(pgt_sim_scheme(c->m->pane[1].sim)));
		dl_text(c->dl, stripx + stripw, y + h - U(c, 2), PGT_FONT_SANS, c->fs_tiny,
		        PGT_AN_RIGHT | PGT_AN_BOTTOM, t->text_dim, cap);
	}
}

/* ======================================================================== */
/* Header, legend, timeline, status, tooltip, help                          */
/* ======================================================================== */

static void draw_header(ctx *c, int h)
{
	const pgt_theme *t = c->t;
	const pgt_scenario *sc = c->m->sc;
	int pad = U(c, 16);
	const char *title = sc && sc->title ? sc->title : sc && sc->name ? sc->name : "pgtviz";
	textf(c, pad, h / 2, PGT_FONT_SANS_BOLD, c->fs_title, PGT_AN_LEFT | PGT_AN_MIDDLE, t->text,
	      "%s", title);
	if (c->vs->overlays & PGT_OV_STEP) {
		char s[96];
		size_t last = c->m->nsteps ? c->m->nsteps - 1 : 0;
		if (c->vs->unlocked)
			snprintf(s, sizeof(s), "panes stepped alone (l: lockstep)");
		else if (c->p->interactive && c->vs->playing)
			snprintf(s, sizeof(s), "step %zu / %zu   playing %.0f/s", c->vs->step, last,
			         c->vs->speed);
		else
			snprintf(s, sizeof(s), "step %zu / %zu", c->vs->step, last);
		dl_text(c->dl, c->lay->width - pad, h / 2, PGT_FONT_MONO, c->fs_head,
		        PGT_AN_RIGHT | PGT_AN_MIDDLE, t->text, s);
	}
}

typedef struct legend_item {
	pgt_color color;
	bool hatch;   /* RO pattern */
	bool outline; /* drawn as a frame */
	const char *label;
} legend_item;

static bool any_xen(const pgt_view_model *m)
{
	for (int p = 0; p < m->npanes; p++)
		if (pgt_sim_xen(m->pane[p].sim))
			return true;
	return false;
}

static void draw_legend(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	legend_item items[32];
	int n = 0;
	bool old = false, brk = false;
	for (int p = 0; p < c->m->npanes; p++) {
		old |= c->m->pane[p].is_old;
		brk |= !c->m->pane[p].is_old;
	}
	items[n++] = (legend_item){t->pgd, false, false, "PGD"};
	items[n++] = (legend_item){t->pud, false, false, "PUD"};
	items[n++] = (legend_item){t->pmd, false, false, "PMD"};
	items[n++] = (legend_item){t->pte, false, false, "PTE page"};
	items[n++] = (legend_item){t->ram, false, false, "RAM"};
	items[n++] = (legend_item){t->ram_mapped, false, false, "RAM, direct-mapped"};
	items[n++] = (legend_item){t->mapped_band, false, false, "mapped (top band)"};
	items[n++] = (legend_item){t->reserved, false, false, "reserved"};
	items[n++] = (legend_item){t->acpi, false, false, "ACPI"};
	items[n++] = (legend_item){t->kernel, false, false, "kernel"};
	bool kinds[PGT_RESV_KIND_COUNT] = {false};
	if (c->m->sc)
		for (size_t i = 0; i < c->m->sc->n_resv; i++)
			if (c->m->sc->resv[i].kind >= 0 &&
			    c->m->sc->resv[i].kind < PGT_RESV_KIND_COUNT)
				kinds[c->m->sc->resv[i].kind] = true;
	if (kinds[PGT_RESV_INITRD])
		items[n++] = (legend_item){t->initrd, false, false, "initrd"};
	if (kinds[PGT_RESV_XEN])
		items[n++] = (legend_item){t->resv_xen, false, false, "Xen structures"};
	if (kinds[PGT_RESV_SETUP_DATA] || kinds[PGT_RESV_EBDA] || kinds[PGT_RESV_EFI_BOOT])
		items[n++] = (legend_item){t->resv_fw, false, false, "firmware data"};
	if (kinds[PGT_RESV_OTHER])
		items[n++] = (legend_item){t->resv_other, false, false, "other reservation"};
	bool crash = false;
	for (int p = 0; p < c->m->npanes; p++)
		crash |= c->m->pane[p].crash_ev != SIZE_MAX;
	if (crash)
		items[n++] = (legend_item){t->crashkernel, false, false, "crashkernel (kdump)"};
	if (brk)
		items[n++] = (legend_item){t->brk, false, false, "BRK buffer"};
	if (old) {
		items[n++] = (legend_item){t->pgtbuf_used, false, false, "pgt_buf used"};
		items[n++] = (legend_item){t->pgtbuf_free, false, false, "reserved, unused"};
		items[n++] = (legend_item){t->pgtbuf_returned, false, false, "handed back"};
	}
	items[n++] = (legend_item){t->chunk, false, true, "current range"};
	if (any_xen(c->m))
		items[n++] = (legend_item){t->ro_hatch, true, false, "read-only (Xen)"};
	int pad = U(c, 16), x = pad;
	int sq = c->fs_small;
	int cy = y + h / 2;
	int period = U(c, 5) < 3 ? 3 : U(c, 5);
	for (int i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS, c->fs_small, items[i].label);
		if (x + sq + U(c, 6) + tw > c->lay->width - pad)
			break;
		if (items[i].hatch) {
			dl_rect(c->dl, x, cy - sq / 2, sq, sq, t->pmd);
			dl_hatch(c->dl, x, cy - sq / 2, sq, sq, period, (period + 1) / 2,
			         items[i].color);
		} else if (items[i].outline) {
			dl_frame(c->dl, x, cy - sq / 2, sq, sq, U(c, 2), items[i].color);
		} else {
			dl_rect(c->dl, x, cy - sq / 2, sq, sq, items[i].color);
			dl_frame(c->dl, x, cy - sq / 2, sq, sq, U(c, 1), t->grid);
		}
		x += sq + U(c, 6);
		dl_text(c->dl, x, cy, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
		        t->text, items[i].label);
		x += tw + U(c, 16);
	}
}

static pgt_color marker_color(const pgt_theme *t, int kind)
{
	switch (kind) {
	case PGT_MK_CALL:
		return t->marker_call;
	case PGT_MK_BUFFER:
		return t->marker_buf;
	case PGT_MK_STEP:
		return t->marker_step;
	case PGT_MK_FULL:
		return t->marker_full;
	case PGT_MK_VIOLATION:
		return t->violation;
	default:
		return t->panic;
	}
}

static const char *marker_name(int kind)
{
	static const char *const names[PGT_MK_COUNT] = {"call",      "buffer placed", "buffer full",
	                                                "step size", "violation",     "panic"};
	return kind >= 0 && kind < PGT_MK_COUNT ? names[kind] : "?";
}

static void draw_timeline(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	/* The key names the kinds of marker this run has. */
	bool present[PGT_MK_COUNT] = {false};
	present[PGT_MK_CALL] = true;
	for (size_t i = 0; i < c->m->nmarkers; i++)
		present[c->m->markers[i].kind] = true;
	int keyw = U(c, 16);
	for (int k = 0; k < PGT_MK_COUNT; k++)
		if (present[k])
			keyw += U(c, 20) + measure(c, PGT_FONT_SANS, c->fs_tiny, marker_name(k));
	bool two = c->m->npanes == 2;
	const char *expl = "ticks: left pane above the bar, right pane below";
	if (two) {
		int ew = measure(c, PGT_FONT_SANS, c->fs_tiny, expl) + U(c, 16);
		if (ew > keyw)
			keyw = ew;
	}
	if (keyw > c->lay->width / 3)
		keyw = c->lay->width / 3;
	int x = pad, w = c->lay->width - 2 * pad - keyw;
	int bh = h / 3, by = y + (h - bh) / 2;
	c->lay->tl_x = x;
	c->lay->tl_y = y;
	c->lay->tl_w = w;
	c->lay->tl_h = h;
	size_t n = c->m->nsteps ? c->m->nsteps : 1;
	double sx = (double)w / (double)(n > 1 ? n - 1 : 1);
	dl_rect(c->dl, x, by, w, bh, t->timeline);
	int cx = x + (int)((double)c->vs->step * sx);
	dl_rect(c->dl, x, by, cx - x, bh, t->timeline_done);
	/* The export range (window): from the start set with `m`. */
	if (c->p->interactive && c->vs->range_start != SIZE_MAX) {
		int rx =
		    x + (int)((double)(c->vs->range_start < n ? c->vs->range_start : n - 1) * sx);
		int a = rx < cx ? rx : cx, b = rx < cx ? cx : rx;
		dl_frame(c->dl, a, by - U(c, 3), b - a + 1, bh + U(c, 6), U(c, 2), t->highlight);
		dl_rect(c->dl, rx - U(c, 1), y, U(c, 3), h, t->highlight);
	}
	/* Markers: pane A above the bar, pane B below. */
	int mh = (h - bh) / 2 - U(c, 2);
	int last_x[2][PGT_MK_COUNT];
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < PGT_MK_COUNT; k++)
			last_x[i][k] = -1000;
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		int mx = x + (int)((double)mk->step * sx);
		if (mx == last_x[mk->pane][mk->kind])
			continue;
		last_x[mk->pane][mk->kind] = mx;
		int mw = mk->kind >= PGT_MK_VIOLATION ? U(c, 3) : U(c, 2);
		int my = mk->pane == 0 ? by - mh : by + bh;
		dl_rect(c->dl, mx - mw / 2, my, mw, mh + (mk->pane == 0 ? bh / 2 : 0),
		        marker_color(t, mk->kind));
	}
	/* Violations on top, full height: they must stand out. */
	for (size_t i = 0; i < c->m->nmarkers; i++) {
		const pgt_marker *mk = &c->m->markers[i];
		if (mk->kind != PGT_MK_VIOLATION)
			continue;
		int mx = x + (int)((double)mk->step * sx);
		dl_rect(c->dl, mx - U(c, 2), y, U(c, 4) < 2 ? 2 : U(c, 4), h, t->violation);
	}
	/* Playhead; when the panes are stepped alone, one per pane too. */
	dl_rect(c->dl, cx - U(c, 2), y, U(c, 4), h, t->text);
	if (c->vs->unlocked)
		for (int p = 0; p < c->m->npanes; p++) {
			size_t g = pgt_view_global_step(c->m, p, pgt_view_pane_at(c->m, c->vs, p));
			int px = x + (int)((double)g * sx);
			dl_rect(c->dl, px - U(c, 3), p == 0 ? y : by + bh, U(c, 6),
			        p == 0 ? by - y : y + h - by - bh, t->highlight);
		}
	/* Key: marker kinds on the first line, which pane is where on the
	 * second (when there is room for two lines). */
	bool lines2 = two && h >= 2 * c->fs_tiny + U(c, 4);
	int ky = lines2 ? y + c->fs_tiny / 2 + U(c, 2) : y + h / 2;
	int kx = x + w + U(c, 16), kend = c->lay->width - pad;
	for (int k = 0; k < PGT_MK_COUNT; k++) {
		if (!present[k])
			continue;
		int nw = measure(c, PGT_FONT_SANS, c->fs_tiny, marker_name(k));
		if (kx + U(c, 8) + nw > kend)
			break;
		dl_rect(c->dl, kx, ky - c->fs_tiny / 2, U(c, 4) < 2 ? 2 : U(c, 4), c->fs_tiny,
		        marker_color(t, k));
		kx += U(c, 8);
		dl_text(c->dl, kx, ky, PGT_FONT_SANS, c->fs_tiny, PGT_AN_LEFT | PGT_AN_MIDDLE,
		        t->text_dim, marker_name(k));
		kx += nw + U(c, 12);
	}
	if (lines2)
		dl_text(c->dl, x + w + U(c, 16), y + h - U(c, 1), PGT_FONT_SANS, c->fs_tiny,
		        PGT_AN_LEFT | PGT_AN_BOTTOM, t->text_dim, expl);
}

static void draw_status(ctx *c, int y, int h)
{
	const pgt_theme *t = c->t;
	int pad = U(c, 16);
	static const char *const hints[] = {
	    "Space play/pause   <- -> step   Shift+<- -> marker   n run to marker   "
	    "Tab pane: [ ] step, c scheme, v version   o open   s PNG   m/e export   ? all keys",
	    "Space play   <- -> step   n next marker   Tab c v pane scheme/version   e export   "
	    "? all keys",
	    "Space play   <- -> step   ? all keys"};
	const char *msg = c->vs->status;
	if (!msg[0])
		for (size_t i = 0; i < 3; i++) {
			msg = hints[i];
			if (measure(c, PGT_FONT_SANS, c->fs_small, msg) <= c->lay->width - 2 * pad)
				break;
		}
	dl_text(c->dl, pad, y + h / 2, PGT_FONT_SANS, c->fs_small, PGT_AN_LEFT | PGT_AN_MIDDLE,
	        c->vs->status[0] ? t->text : t->text_dim, msg);
}

static const char *owner_of(const ctx *c, const pgt_pane_model *pm, uint64_t a, size_t step,
                            char *buf, size_t size)
{
	const pgt_scenario *sc = c->m->sc;
	if (sc)
		for (size_t i = 0; i < sc->n_resv; i++)
			if (a >= sc->resv[i].start && a < sc->resv[i].end) {
				snprintf(buf, size, "%s%s%s", pgt_resv_kind_name(sc->resv[i].kind),
				         sc->resv[i].label[0] ? ": " : "", sc->resv[i].label);
				return buf;
			}
	if (pm->crash_ev != SIZE_MAX && pm->crash_ev <= step) {
		const pgt_event *e = &pgt_sim_events(pm->sim)[pm->crash_ev];
		if (a >= e->a && a < e->b) {
			char sz[32];
			snprintf(buf, size, "crashkernel= (kdump), %s reserved at step %zu",
			         pgt_fmt_size(e->b - e->a, sz, sizeof(sz)),
			         pgt_view_global_step(c->m, (int)(pm - c->m->pane), pm->crash_ev));
			return buf;
		}
	}
	for (size_t i = 0; i < pm->nbufs; i++) {
		const pgt_bufhist *b = &pm->bufs[i];
		if (b->placed > step || a < b->start_pfn << 12 || a >= b->top_pfn << 12)
			continue;
		snprintf(buf, size, "%s", pm->is_old ? "pgt_buf" : "BRK page-table buffer");
		return buf;
	}
	return NULL;
}

static void draw_tooltip(ctx *c)
{
	const pgt_viewstate *vs = c->vs;
	if (!vs->hover || vs->dragging || vs->show_help || vs->show_glossary || vs->show_picker)
		return;
	pgt_hit hit = pgt_view_hit(c->m, c->lay, vs, vs->hover_x, vs->hover_y);
	if (hit.pane < 0 || !hit.has_addr)
		return;
	const pgt_pane_model *pm = &c->m->pane[hit.pane];
	size_t step = pgt_view_pane_at(c->m, vs, hit.pane);
	char lines[8][160];
	int n = 0;
	char tn[48], own[80], sz[32];
	snprintf(lines[n++], 160, "physical %#018" PRIx64, hit.addr);
	const char *type = "hole (no e820 entry)";
	for (size_t i = 0; i < c->m->ne820; i++)
		if (hit.addr >= c->m->e820[i].start && hit.addr < c->m->e820[i].end)
			type = pgt_e820_type_name(c->m->e820[i].type, tn, sizeof(tn));
	snprintf(lines[n++], 160, "e820: %s", type);
	if (hit.table != UINT32_MAX) {
		const pgt_table *tb = &pgt_sim_tables(pm->sim)[hit.table];
		snprintf(lines[n++], 160, "%s table page at %#" PRIx64 " (%s)",
		         pgt_level_name(tb->level), tb->pa, pgt_origin_name(tb->origin));
		uint64_t span = level_span(tb->level);
		snprintf(lines[n++], 160, "maps VA %#" PRIx64 " .. +%s (physical %#" PRIx64 "..)",
		         (uint64_t)(0xffff880000000000ull + tb->va_base),
		         pgt_fmt_size(span, sz, sizeof(sz)), tb->va_base);
		if (tb->origin == PGT_ORIGIN_STATIC)
			snprintf(lines[n++], 160, "static: present from the start");
		else
			snprintf(lines[n++], 160, "allocated at step %zu (event %u of this pane)%s",
			         pgt_view_global_step(c->m, hit.pane, tb->alloc_event),
			         tb->alloc_event,
			         tb->ro_event != UINT32_MAX ? ", read-only under Xen" : "");
		if (hit.ntables > 1)
			snprintf(lines[n++], 160, "+%u more table pages here: zoom in",
			         hit.ntables - 1);
	} else {
		const char *o = owner_of(c, pm, hit.addr, step, own, sizeof(own));
		if (o)
			snprintf(lines[n++], 160, "owner: %s", o);
	}
	pgt_translation tr = pgt_sim_translate(pm->sim, hit.addr, step);
	if (tr.mapped)
		snprintf(lines[n++], 160, "direct-mapped with a %s page%s",
		         tr.leaf_level == PGT_PUD   ? "1G"
		         : tr.leaf_level == PGT_PMD ? "2M"
		                                    : "4k",
		         tr.writable ? "" : ", read-only");
	else
		snprintf(lines[n++], 160, "not direct-mapped yet");
	int lh = c->fs_small + U(c, 4), tw = 0;
	for (int i = 0; i < n; i++) {
		int mw = measure(c, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS, c->fs_small, lines[i]);
		if (mw > tw)
			tw = mw;
	}
	int pad = U(c, 8);
	int bw = tw + 2 * pad, bh = n * lh + 2 * pad;
	int bx = vs->hover_x + U(c, 18), by = vs->hover_y + U(c, 18);
	if (bx + bw > c->lay->width)
		bx = vs->hover_x - bw - U(c, 10);
	if (by + bh > c->lay->height)
		by = vs->hover_y - bh - U(c, 10);
	dl_rect(c->dl, bx, by, bw, bh, c->t->tooltip_bg);
	dl_frame(c->dl, bx, by, bw, bh, U(c, 1), c->t->grid);
	for (int i = 0; i < n; i++)
		dl_text(c->dl, bx + pad, by + pad + i * lh, i == 0 ? PGT_FONT_MONO : PGT_FONT_SANS,
		        c->fs_small, PGT_AN_LEFT, c->t->text, lines[i]);
}

/* A centred overlay box of w x h (clamped to the canvas); returns its rect. */
static void overlay_box(ctx *c, int *x, int *y, int *w, int *h, const char *title)
{
	const pgt_theme *t = c->t;
	int m = U(c, 12);
	if (*w > c->lay->width - 2 * m)
		*w = c->lay->width - 2 * m;
	if (*h > c->lay->height - 2 * m)
		*h = c->lay->height - 2 * m;
	*x = (c->lay->width - *w) / 2;
	*y = (c->lay->height - *h) / 2;
	dl_rect(c->dl, *x, *y, *w, *h, t->overlay_bg);
	dl_frame(c->dl, *x, *y, *w, *h, U(c, 2), t->grid);
	dl_text(c->dl, *x + U(c, 24), *y + U(c, 16), PGT_FONT_SANS_BOLD, c->fs_head, PGT_AN_LEFT,
	        t->text, title);
	dl_clip(c->dl, *x, *y, *w, *h);
}

static void draw_help(ctx *c)
{
	size_t n;
	const pgt_binding_help *rows = pgt_input_help(&n);
	const pgt_theme *t = c->t;
	int lh = c->fs_body + U(c, 8);
	int keyw = 0, textw = 0;
	for (size_t i = 0; i < n; i++) {
		int kw = measure(c, PGT_FONT_MONO, c->fs_body, rows[i].keys);
		int tw = measure(c, PGT_FONT_SANS, c->fs_body, rows[i].action);
		keyw = kw > keyw ? kw : keyw;
		textw = tw > textw ? tw : textw;
	}
	int top = c->fs_head + U(c, 36);
	int w = keyw + textw + U(c, 80), h = (int)n * lh + top + U(c, 20), x, y;
	overlay_box(c, &x, &y, &w, &h, "Keys and mouse");
	for (size_t i = 0; i < n; i++) {
		int ry = y + top + (int)i * lh;
		dl_text(c->dl, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT, t->text,
		        rows[i].keys);
		dl_text(c->dl, x + U(c, 48) + keyw, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text, rows[i].action);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

static void draw_glossary(ctx *c)
{
	size_t n;
	const pgt_gloss *g = pgt_glossary(&n);
	const pgt_theme *t = c->t;
	int w = c->lay->width * 92 / 100, h = c->lay->height * 90 / 100, x, y;
	overlay_box(c, &x, &y, &w, &h, "Glossary (g or Escape closes; also docs/glossary.md)");
	int ncol = w > U(c, 1200) ? 2 : 1;
	int gap = U(c, 24), top = y + c->fs_head + U(c, 32), bottom = y + h - U(c, 12);
	int colw = (w - gap * (ncol + 1)) / ncol;
	int termw = 0;
	for (size_t i = 0; i < n; i++) {
		int tw = measure(c, PGT_FONT_SANS_BOLD, c->fs_small, g[i].term);
		termw = tw > termw ? tw : termw;
	}
	if (termw > colw / 3)
		termw = colw / 3;
	int lh = c->fs_small + U(c, 4);
	int col = 0, yy = top;
	for (size_t i = 0; i < n; i++) {
		int cx = x + gap + col * (colw + gap);
		char text[600];
		snprintf(text, sizeof(text), "%s%s%s%s", g[i].text,
		         g[i].section[0] ? " (kernel-model.md: " : "", g[i].section,
		         g[i].section[0] ? ")" : "");
		/* Dry run to count lines, then place (next column when full). */
		size_t n0 = c->dl->n;
		int nl = text_wrapped(c, 0, 0, colw - termw - U(c, 12), PGT_FONT_SANS, c->fs_small,
		                      lh, t->text, text, 6);
		c->dl->n = n0;
		if (yy + nl * lh > bottom) {
			if (++col >= ncol) {
				dl_text(c->dl, x + w - U(c, 16), y + h - U(c, 6), PGT_FONT_SANS,
				        c->fs_small, PGT_AN_RIGHT | PGT_AN_BOTTOM, t->text_dim,
				        "more in docs/glossary.md");
				break;
			}
			yy = top;
			cx = x + gap + col * (colw + gap);
		}
		dl_text(c->dl, cx, yy, PGT_FONT_SANS_BOLD, c->fs_small, PGT_AN_LEFT, t->highlight,
		        g[i].term);
		text_wrapped(c, cx + termw + U(c, 12), yy, colw - termw - U(c, 12), PGT_FONT_SANS,
		             c->fs_small, lh, t->text, text, 6);
		yy += nl * lh + U(c, 8);
	}
	dl_clip(c->dl, 0, 0, 0, 0);
}

static void draw_picker(ctx *c)
{
	const pgt_theme *t = c->t;
	const pgt_pick_list *pl = c->p->picker;
	int n = pl ? (int)pl->n : 0;
	int lh = c->fs_body + U(c, 10);
	int top = c->fs_head + U(c, 36);
	int w = U(c, 1300), h = n * lh + top + c->fs_small + U(c, 40), x, y;
	overlay_box(c, &x, &y, &w, &h, "Open a scenario (Up/Down, Enter; Escape closes)");
	int namew = 0;
	for (int i = 0; i < n; i++) {
		int nw = measure(c, PGT_FONT_MONO, c->fs_body, pl->v[i].name);
		namew = nw > namew ? nw : namew;
	}
	int rows = (h - top - c->fs_small - U(c, 30)) / lh;
	if (rows < 1)
		rows = 1;
	int first = c->vs->pick_index >= rows ? c->vs->pick_index - rows + 1 : 0;
	for (int i = first; i < n && i < first + rows; i++) {
		int ry = y + top + (i - first) * lh;
		bool sel = i == c->vs->pick_index;
		if (sel)
			dl_rect(c->dl, x + U(c, 12), ry - U(c, 4), w - U(c, 24), lh, t->timeline);
		textf(c, x + U(c, 24), ry, PGT_FONT_MONO, c->fs_body, PGT_AN_LEFT,
		      sel ? t->highlight : t->text, "%s", pl->v[i].name);
		textf(c, x + U(c, 48) + namew, ry, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		      pl->v[i].builtin ? t->text : t->text_dim, "%s%s", pl->v[i].desc,
		      pl->v[i].builtin ? "" : "  (file)");
	}
	if (n == 0)
		dl_text(c->dl, x + U(c, 24), y + top, PGT_FONT_SANS, c->fs_body, PGT_AN_LEFT,
		        t->text_dim, "no scenarios found");
	dl_text(c->dl, x + U(c, 24), y + h - U(c, 12), PGT_FONT_SANS, c->fs_small,
	        PGT_AN_LEFT | PGT_AN_BOTTOM, t->text_dim,
	        "Built-in scenarios, then the files in scenarios/. Drop any scenario file or "
	        "dmesg log on the window to open it.");
	dl_clip(c->dl, 0, 0, 0, 0);
}

/* ======================================================================== */
/* Frame                                                                    */
/* ======================================================================== */

/* Font size in pixels: the design size times the unit, never below the
 * legible minimum (text is not shrunk below it; overlays are dropped
 * instead, see compact). */
static int font_px(const ctx *c, double design, int min_px)
{
	int v = U(c, design);
	return v < min_px ? min_px : v;
}

void pgt_view_build(pgt_drawlist *dl, pgt_view_layout *lay, pgt_view_model *m,
                    const pgt_viewstate *vs, const pgt_view_params *p)
{
	memset(lay, 0, sizeof(*lay));
	pgt_dl_reset(dl, p->width, p->height, p->theme->bg);
	float scale = vs->ui_scale > 0 ? vs->ui_scale : 1.0f;
	ctx c;
	memset(&c, 0, sizeof(c));
	c.dl = dl;
	c.lay = lay;
	c.m = m;
	c.vs = vs;
	c.p = p;
	c.t = p->theme;
	c.u = (float)p->height / 1080.0f * scale;
	lay->width = p->width;
	lay->height = p->height;
	lay->unit = c.u;
	lay->npanes = m->npanes;
	lay->marker_w = U(&c, 4) < 2 ? 2 : U(&c, 4);
	c.fs_title = font_px(&c, 30, PGT_MIN_FONT_PX + 5);
	c.fs_head = font_px(&c, 22, PGT_MIN_FONT_PX + 3);
	c.fs_body = font_px(&c, 19, PGT_MIN_FONT_PX + 2);
	c.fs_small = font_px(&c, 16, PGT_MIN_FONT_PX + 1);
	c.fs_tiny = font_px(&c, 14, PGT_MIN_FONT_PX);
	/* Small canvases keep legible text and drop the lower-priority parts. */
	float eff = (float)p->height / scale;
	c.compact = eff < 520 ? 2 : eff < 760 ? 1 : 0;

	int pad = U(&c, 16);
	int header_h = U(&c, 54);
	if (header_h < c.fs_title + U(&c, 8))
		header_h = c.fs_title + U(&c, 8);
	int status_h =
	    p->interactive ? (U(&c, 30) > c.fs_small + 6 ? U(&c, 30) : c.fs_small + 6) : 0;
	int tl_h = (vs->overlays & PGT_OV_TIMELINE) ? U(&c, 46) : 0;
	if (tl_h && tl_h < 3 * c.fs_tiny / 2 + 4)
		tl_h = 3 * c.fs_tiny / 2 + 4;
	int legend_h = (vs->overlays & PGT_OV_LEGEND) && c.compact < 2 ? U(&c, 34) : 0;
	if (legend_h && legend_h < c.fs_small + 6)
		legend_h = c.fs_small + 6;
	int diff_h = (vs->overlays & PGT_OV_DIFF) && m->npanes == 2 && !c.compact ? U(&c, 84) : 0;
	draw_header(&c, header_h);
	int py = header_h, ph = p->height - header_h - diff_h - legend_h - tl_h - status_h - pad -
	                        (diff_h ? pad / 2 : 0);
	int pw = m->npanes == 2 ? (p->width - 3 * pad) / 2 : p->width - 2 * pad;
	for (int i = 0; i < m->npanes; i++)
		draw_pane(&c, i, pad + i * (pw + pad), py, pw, ph);
	int y = py + ph + U(&c, 4);
	if (diff_h) {
		y += pad / 2 - U(&c, 4);
		draw_diff(&c, y, diff_h);
		y += diff_h + U(&c, 4);
	}
	if (legend_h)
		draw_legend(&c, y, legend_h);
	y += legend_h;
	if (tl_h)
		draw_timeline(&c, y, tl_h);
	y += tl_h;
	if (status_h)
		draw_status(&c, y, status_h);
	if (p->interactive)
		draw_tooltip(&c);
	if (vs->show_help)
		draw_help(&c);
	else if (vs->show_glossary)
		draw_glossary(&c);
	else if (vs->show_picker)
		draw_picker(&c);
}

/* ======================================================================== */
/* Hit testing                                                              */
/* ======================================================================== */

static bool in_rect(int x, int y, int rx, int ry, int rw, int rh)
{
	return x >= rx && x < rx + rw && y >= ry && y < ry + rh;
}

/* Nearest visible table page to addr within [a, b). */
static uint32_t nearest_table(const pgt_pane_model *pm, uint64_t a, uint64_t b, uint64_t addr,
                              size_t step, uint32_t *count)
{
	const pgt_table *tab = pgt_sim_tables(pm->sim);
	uint32_t best = UINT32_MAX;
	uint64_t bestd = UINT64_MAX;
	*count = 0;
	for (size_t k = table_lower_bound(pm, a); k < pm->ntab; k++) {
		const pgt_table *t = &tab[pm->by_pa[k]];
		if (t->pa >= b)
			break;
		if (!table_visible(t, step))
			continue;
		(*count)++;
		uint64_t d = t->pa > addr ? t->pa - addr : addr - t->pa;
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
			h.addr = pgt_sim_tables(m->pane[p].sim)[k].pa;
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
				h.addr = pgt_sim_tables(m->pane[p].sim)[h.table].pa;
			return h;
		}
		if (in_rect(x, y, pl->x, pl->y, pl->w, pl->h))
			h.pane = p;
	}
	return h;
}

void pgt_viewstate_init(pgt_viewstate *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->speed = 8.0;
	vs->overlays = PGT_OV_ALL;
	vs->sel_pane = -1;
	vs->sel_table = UINT32_MAX;
	vs->ui_scale = 1.0f;
	vs->range_start = SIZE_MAX;
}
