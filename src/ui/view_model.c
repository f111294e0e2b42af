/*
 * view_model.c: the view model, built once per pair of finished simulations
 * (no drawing).
 *
 * Per pane: tables sorted by address and grouped by level, MAP/CLEAR events,
 * pgt_buf history, log line and call per event, Xen violations, the
 * crashkernel events, the mapping progress per event; for the view: the
 * lockstep merge of two panes' events by progress (docs/window.md,
 * "Lockstep") and the timeline markers.  The range sets (direct-mapped,
 * read-only) are brought to the step drawn incrementally.
 */
#include "view_internal.h"

#include "pgtviz/moment.h"
#include "pgtviz/narrate.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t g_model_ids; /* last pgt_view_model.id given out */

/* A table's address and index, for sorting the tables by address. */
typedef struct pa_key {
	uint64_t pa;
	uint32_t i;
} pa_key;

static int cmp_pa_key(const void *a, const void *b)
{
	const pa_key *ka = a, *kb = b;
	if (ka->pa != kb->pa)
		return ka->pa < kb->pa ? -1 : 1;
	return ka->i < kb->i ? -1 : ka->i > kb->i;
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
	size_t cap = 4;
	pm->bufs = malloc(cap * sizeof(*pm->bufs));
	if (!pm->bufs)
		return false;
	for (size_t i = 0; i < pm->nev; i++) {
		int kind = pgt_sim_event(pm->sim, i).kind;
		if (kind == PGT_EV_BUF_FOUND) {
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
		} else if (kind == PGT_EV_CALL_END && pm->nbufs &&
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
		if (pgt_sim_event(pm->sim, i).kind == PGT_EV_CALL_END)
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

	pm->by_pa = malloc((pm->ntab ? pm->ntab : 1) * sizeof(uint32_t));
	pm->map_ev = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	pm->log_at = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	pm->call_at = malloc((pm->nev ? pm->nev : 1) * sizeof(size_t));
	if (!pm->by_pa || !pm->map_ev || !pm->log_at || !pm->call_at)
		return false;
	/* One pass over the events (decoded one at a time: the run keeps them
	 * packed). */
	size_t in_call = 0;
	pm->crash_ev = pm->crash_fail_ev = SIZE_MAX;
	pm->boot_step = 0;
	bool called = false;
	for (size_t i = 0; i < pm->nev; i++) {
		pgt_event e = pgt_sim_event(sim, i);
		if (e.kind == PGT_EV_CALL_BEGIN) {
			in_call = i + 1;
			if (!called && i > 0)
				pm->boot_step = i - 1;
			called = true;
		}
		pm->call_at[i] = in_call;
		if (e.kind == PGT_EV_CALL_END)
			in_call = 0;
		if (e.kind == PGT_EV_MAP || e.kind == PGT_EV_CLEAR)
			pm->map_ev[pm->nmap++] = i;
		pm->nviol += e.kind == PGT_EV_VIOLATION;
		if (e.kind == PGT_EV_RESERVE && e.aux == 2 && pm->crash_ev == SIZE_MAX)
			pm->crash_ev = i;
	}
	pm->viol = malloc((pm->nviol ? pm->nviol : 1) * sizeof(size_t));
	if (!pm->viol)
		return false;
	for (size_t i = 0, k = 0; i < pm->nev && k < pm->nviol; i++)
		if (pgt_sim_event(sim, i).kind == PGT_EV_VIOLATION)
			pm->viol[k++] = i;

	/* One pass over the tables: levels, the highest address, sort keys. */
	uint64_t top = pgt_sim_max_pfn(sim) << 12;
	pm->by_level = malloc((pm->ntab ? pm->ntab : 1) * sizeof(uint32_t));
	pa_key *keys = malloc((pm->ntab ? pm->ntab : 1) * sizeof(*keys));
	if (!pm->by_level || !keys) {
		free(keys);
		return false;
	}
	size_t cnt[6] = {0};
	for (size_t i = 0; i < pm->ntab; i++) {
		pgt_table t = pgt_sim_table(sim, i);
		cnt[t.level <= 4 ? t.level : 0]++;
		if (t.pa + PAGE > top)
			top = t.pa + PAGE;
		keys[i] = (pa_key){t.pa, (uint32_t)i};
	}
	qsort(keys, pm->ntab, sizeof(*keys), cmp_pa_key);
	for (size_t i = 0; i < pm->ntab; i++)
		pm->by_pa[i] = keys[i].i;
	free(keys);
	for (int l = 1; l < 6; l++)
		pm->lvl_start[l] = pm->lvl_start[l - 1] + cnt[l - 1];
	size_t fill[6];
	memcpy(fill, pm->lvl_start, sizeof(fill));
	for (size_t i = 0; i < pm->ntab; i++) {
		int l = pgt_sim_table(sim, i).level;
		pm->by_level[fill[l <= 4 ? l : 0]++] = (uint32_t)i;
	}
	if (!tables_build(pm))
		return false;

	for (size_t k = 0; k < pgt_sim_log_count(sim); k++)
		if (strncmp(pgt_sim_log(sim, k)->text, "crashkernel reservation failed", 30) == 0)
			pm->crash_fail_ev = pgt_sim_log(sim, k)->event;

	size_t nlog = pgt_sim_log_count(sim), li = 0, last = SIZE_MAX;
	for (size_t i = 0; i < pm->nev; i++) {
		while (li < nlog && pgt_sim_log(sim, li)->event <= i)
			last = li++;
		pm->log_at[i] = last;
	}

	const pgt_e820_entry *e820;
	size_t ne = pgt_sim_e820(sim, &e820);
	for (size_t i = 0; i < ne; i++)
		if (e820[i].end > top)
			top = e820[i].end;
	pm->addr_top = top;
	return model_buffers(pm);
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

/* Adds [a, b) to the set; returns the bytes newly covered (0 when out of
 * memory: the set is unchanged). */
static uint64_t rs_add(pgt_rangeset *rs, uint64_t a, uint64_t b)
{
	if (a >= b || !rs_reserve(rs, rs->n + 1))
		return 0;
	pgt_range *v = rs->r;
	size_t lo = 0, hi = rs->n;
	while (lo < hi) { /* first range with end >= a */
		size_t mid = (lo + hi) / 2;
		if (v[mid].b < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t i = lo, j = i;
	uint64_t overlap = 0, na = a, nb = b;
	while (j < rs->n && v[j].a <= b) {
		uint64_t oa = v[j].a > a ? v[j].a : a, ob = v[j].b < b ? v[j].b : b;
		if (ob > oa)
			overlap += ob - oa;
		if (v[j].a < na)
			na = v[j].a;
		if (v[j].b > nb)
			nb = v[j].b;
		j++;
	}
	/* Replace v[i..j) by one range. */
	if (j == i) {
		memmove(&v[i + 1], &v[i], (rs->n - i) * sizeof(*v));
		rs->n++;
	} else if (j > i + 1) {
		memmove(&v[i + 1], &v[j], (rs->n - j) * sizeof(*v));
		rs->n -= j - i - 1;
	}
	v[i] = (pgt_range){na, nb};
	return (b - a) - overlap;
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
	for (; rs->pos < pm->nev && rs->pos <= step; rs->pos++) {
		const pgt_event e_v = pgt_sim_event(pm->sim, rs->pos), *e = &e_v;
		if (e->kind == add_kind)
			rs_add(rs, e->a, e->b > e->a ? e->b : e->a + PAGE);
		else if (e->kind == sub_kind)
			rs_sub(rs, e->a, e->b > e->a ? e->b : e->a + PAGE);
	}
	rs->step = step;
}

void update_sets(pgt_view_cache *vc, int p, const pgt_pane_model *pm, size_t step)
{
	size_t boot = pm->boot_step;
	rs_update(&vc->mapped[p], pm, step > boot ? step : boot, PGT_EV_MAP, PGT_EV_CLEAR);
	rs_update(&vc->ro[p], pm, step > boot ? step : boot, PGT_EV_MARK_RO, PGT_EV_MARK_RW);
}

void pgt_view_cache_init(pgt_view_cache *c)
{
	memset(c, 0, sizeof(*c));
	for (int p = 0; p < 2; p++)
		c->mapped[p].step = c->ro[p].step = SIZE_MAX;
}

void pgt_view_cache_free(pgt_view_cache *c)
{
	for (int p = 0; p < 2; p++) {
		free(c->mapped[p].r);
		free(c->ro[p].r);
	}
	free(c->bins);
	pgt_view_cache_init(c);
}

void view_cache_follow(pgt_view_cache *c, const pgt_view_model *m)
{
	if (c->model_id == m->id)
		return;
	for (int p = 0; p < 2; p++) {
		c->mapped[p].n = c->ro[p].n = 0;
		c->mapped[p].pos = c->ro[p].pos = 0;
		c->mapped[p].step = c->ro[p].step = SIZE_MAX;
	}
	c->model_id = m->id;
}

bool rs_contains(const pgt_rangeset *rs, uint64_t addr)
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

/* ---- lockstep by progress ----------------------------------------------- */

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
	pgt_rangeset cover = {0};
	uint64_t total = 0;
	bool in_calls = false;
	for (size_t i = 0; i < pm->nev; i++) {
		pgt_event e = pgt_sim_event(pm->sim, i);
		in_calls |= e.kind == PGT_EV_CALL_BEGIN;
		if (e.kind == PGT_EV_MAP) {
			uint64_t add = rs_add(&cover, e.a, e.b);
			if (in_calls)
				total += add;
		}
		cum[i] = total;
	}
	free(cover.r);
	for (size_t i = 0; i < pm->nev; i++) {
		/* A MAP event sits half-way through its own bytes, so the other pane
		 * catches up around it rather than only after it. */
		uint64_t before = i ? cum[i - 1] : 0;
		double mid = ((double)before + (double)cum[i]) / 2.0;
		pm->progress[i] =
		    total ? (pgt_sim_event(pm->sim, i).kind == PGT_EV_MAP ? mid : (double)cum[i]) /
		                (double)total
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

/* Appends one marker, doubling the array when it is full. */
static bool push_marker(pgt_view_model *m, size_t *n, size_t *cap, pgt_marker mk)
{
	if (*n == *cap) {
		pgt_marker *nm = realloc(m->markers, *cap * 2 * sizeof(*nm));
		if (!nm)
			return false;
		m->markers = nm;
		*cap *= 2;
	}
	m->markers[(*n)++] = mk;
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
		bool full_seen = false;
		for (size_t i = 0; i < pm->nev; i++) {
			int k;
			const pgt_event e = pgt_sim_event(pm->sim, i), *ev = &e;
			if (ev->kind == PGT_EV_BUF_FOUND)
				full_seen = false; /* a new pgt_buf can fill up again */
			if (ev->kind == PGT_EV_ALLOC && !full_seen &&
			    (ev->origin == PGT_ORIGIN_PGTBUF || ev->origin == PGT_ORIGIN_BRK)) {
				/* The buffer's last page was just taken. */
				pgt_state st = pgt_sim_state_at(pm->sim, i);
				uint64_t brk_size =
				    pm->nbufs ? pm->bufs[0].top_pfn - pm->bufs[0].start_pfn : 0;
				bool full =
				    ev->origin == PGT_ORIGIN_PGTBUF
				        ? st.pgt_buf_top > st.pgt_buf_start &&
				              st.pgt_buf_end >= st.pgt_buf_top
				        : !pm->is_old && brk_size && st.brk_used >= brk_size;
				if (full) {
					full_seen = true;
					if (!push_marker(m, &n, &cap,
					                 (pgt_marker){pgt_view_global_step(m, p, i),
					                              PGT_MK_FULL, (uint8_t)p}))
						return false;
				}
			}
			switch (ev->kind) {
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
			if (!push_marker(m, &n, &cap,
			                 (pgt_marker){pgt_view_global_step(m, p, i), (uint8_t)k,
			                              (uint8_t)p}))
				return false;
		}
	}
	for (int p = 0; p < m->npanes; p++) /* scenario notes are markers too */
		for (size_t i = 0; i < m->pane[p].nnotes; i++) {
			if (!push_marker(
			        m, &n, &cap,
			        (pgt_marker){pgt_view_global_step(m, p, m->pane[p].notes[i].event),
			                     PGT_MK_NOTE, (uint8_t)p}))
				return false;
		}
	qsort(m->markers, n, sizeof(*m->markers), cmp_marker);
	m->nmarkers = n;
	return true;
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
		for (size_t i = 0; i < pm->ntab; i++) {
			pgt_table t = pgt_sim_table(pm->sim, i);
			if (t.origin == PGT_ORIGIN_STATIC && t.pa + PAGE > *ke && t.pa >= *ks &&
			    t.pa < *ks + (1ull << 30))
				*ke = t.pa + PAGE;
		}
		if (!pm->is_old && pm->nbufs && (pm->bufs[0].top_pfn << 12) > *ke &&
		    (pm->bufs[0].start_pfn << 12) >= *ks)
			*ke = pm->bufs[0].top_pfn << 12;
	}
	return *ke > *ks;
}

bool pgt_view_model_init(pgt_view_model *m, const pgt_scenario *sc, const pgt_sim *simA,
                         const pgt_sim *simB)
{
	memset(m, 0, sizeof(*m));
	m->id = ++g_model_ids;
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
		m->pane[p].notes = pgt_note_index(sc, sims[p], &m->pane[p].nnotes);
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
		free(pm->call_at);
		free(pm->viol);
		free(pm->by_level);
		tables_free(pm);
		free(pm->notes);
	}
	for (int p = 0; p < 2; p++) {
		free(m->sync[p]);
		free(m->gstep[p]);
		free(m->pane[p].progress);
	}
	free(m->markers);
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

/* ---- lookups ----------------------------------------------------------- */

void state_with_boot(const pgt_pane_model *pm, size_t step, pgt_state *st)
{
	/* The state counts a table at its allocation event; the tables made
	 * before the kernel's first call (head_64.S, head_32.S, the Xen domain
	 * builder) are drawn from step 0 (table_visible), so they are counted
	 * from step 0 too.  They come first in allocation order. */
	for (size_t i = 0; i < pm->ntab; i++) {
		const pgt_table t_v = pgt_sim_table(pm->sim, i), *t = &t_v;
		if (t->origin != PGT_ORIGIN_STATIC && t->origin != PGT_ORIGIN_XEN)
			break;
		if (t->alloc_event <= step || t->level < 1 || t->level > 4)
			continue;
		st->tables[t->level]++;
		st->tables_origin[t->origin]++;
	}
	/* Likewise the bytes the boot-time map maps: whole from step 0, as
	 * they are by the time the first call begins. */
	size_t boot = pm->boot_step;
	if (step < boot) {
		pgt_state b = pgt_sim_state_at(pm->sim, boot);
		st->mapped_bytes = b.mapped_bytes;
		st->boot_bytes = b.boot_bytes;
		st->ro_pages = b.ro_pages;             /* Xen: the builder's tables */
		st->min_pfn_mapped = b.min_pfn_mapped; /* head64.c's, Xen's */
		st->max_pfn_mapped = b.max_pfn_mapped;
	}
}

bool table_visible(const pgt_table *t, size_t step)
{
	return t->origin == PGT_ORIGIN_STATIC || t->origin == PGT_ORIGIN_XEN ||
	       t->alloc_event <= step;
}

bool table_ro(const pgt_table *t, size_t step)
{
	return t->ro_event != UINT32_MAX && t->ro_event <= step;
}

/* The latest pgt_buf placement at a step (NULL: none). */
const pgt_bufhist *current_buf(const pgt_pane_model *pm, size_t step)
{
	const pgt_bufhist *b = NULL;
	for (size_t i = 0; i < pm->nbufs; i++)
		if (pm->bufs[i].placed <= step)
			b = &pm->bufs[i];
	return b;
}

/* ======================================================================== */
/* Narration                                                                */
/* ======================================================================== */

/* Sentence for event ev of pane p (narrate.c) plus the kernel line it
 * printed, if any. */
char *narration_at(const pgt_view_model *m, int p, size_t ev, char *buf, size_t size)
{
	buf[0] = '\0';
	if (p < 0 || p >= m->npanes || m->pane[p].nev == 0)
		return buf;
	const pgt_pane_model *pm = &m->pane[p];
	size_t s = ev < pm->nev ? ev : pm->nev - 1;
	const pgt_event e_v = pgt_sim_event(pm->sim, s), *e = &e_v;
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
