/*
 * view_tables.c: the table pages of a pane as the frame reads them, built
 * once with the view model so that drawing a frame never walks (or decodes)
 * every table page of the run.
 *
 * The run keeps its table records packed (pgt_sim_table() widens one at a
 * time), and a big 4k-only map has half a million table pages per pane.  A
 * frame needs, per pixel column of a map row, of a detail strip or of the
 * difference lane, how many table pages of each level the column holds at
 * the step drawn and whether one of them is read-only.  So the model keeps:
 *
 *   tabs   one 16-byte entry per table page in address order (the order of
 *          by_pa): address and level, the step from which it is drawn, the
 *          event it turns read-only;
 *   tblk   per block of PGT_TAB_BLOCK entries, counts per level and the
 *          range of those steps, so a column that spans whole blocks adds
 *          blocks instead of pages whenever a block is wholly drawn (or
 *          wholly not yet) at the step;
 *   osum   per origin, the count and address span of the tables [0, 4096 j)
 *          in allocation order: the difference lane's sums at any step cost
 *          at most 4095 table records (tables appear in index order, checked
 *          when the model is built; otherwise every table is read);
 *   other  runs of table indices that came from neither a linear buffer nor
 *          the kernel image (memblock, extend_brk, chunk end), for the
 *          memblock strip's "latest table page".
 *
 * Cost per frame: a binary search per non-empty column plus the blocks and
 * stray entries it covers, whatever the map's size.
 */
#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

#define OSUM_EVERY 4096u

static uint32_t vis_step(const pgt_table *t)
{
	return t->origin == PGT_ORIGIN_STATIC || t->origin == PGT_ORIGIN_XEN ? 0 : t->alloc_event;
}

static bool is_other(int origin)
{
	return origin != PGT_ORIGIN_PGTBUF && origin != PGT_ORIGIN_BRK &&
	       origin != PGT_ORIGIN_STATIC && origin != PGT_ORIGIN_XEN;
}

static void block_summary(pgt_tab_block *b, const pgt_tab_entry *e, size_t n)
{
	memset(b, 0, sizeof(*b));
	b->min_vis = b->min_ro = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		b->n[tab_level(&e[i])]++;
		b->nro = (uint16_t)(b->nro + (e[i].ro != UINT32_MAX));
		if (e[i].vis < b->min_vis)
			b->min_vis = e[i].vis;
		if (e[i].vis > b->max_vis)
			b->max_vis = e[i].vis;
		if (e[i].ro < b->min_ro)
			b->min_ro = e[i].ro;
		if (e[i].ro > b->max_ro)
			b->max_ro = e[i].ro;
	}
}

static void osum_add(pgt_origin_sum *s, const pgt_table *t)
{
	if (t->origin >= PGT_ORIGIN_COUNT)
		return;
	if (!s->n[t->origin] || t->pa < s->lo[t->origin])
		s->lo[t->origin] = t->pa;
	if (!s->n[t->origin] || t->pa + PAGE > s->hi[t->origin])
		s->hi[t->origin] = t->pa + PAGE;
	s->n[t->origin]++;
}

bool tables_build(pgt_pane_model *pm)
{
	size_t n = pm->ntab, nb = (n + PGT_TAB_BLOCK - 1) / PGT_TAB_BLOCK;
	pm->tabs = malloc((n ? n : 1) * sizeof(*pm->tabs));
	pm->tblk = malloc((nb ? nb : 1) * sizeof(*pm->tblk));
	pm->osum = malloc((n / OSUM_EVERY + 1) * sizeof(*pm->osum));
	if (!pm->tabs || !pm->tblk || !pm->osum)
		return false;
	pm->vis_prefix = true;
	uint32_t last_vis = 0;
	pgt_origin_sum run;
	memset(&run, 0, sizeof(run));
	size_t cap = 4;
	pm->other = malloc(cap * sizeof(*pm->other));
	if (!pm->other)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (i % OSUM_EVERY == 0)
			pm->osum[i / OSUM_EVERY] = run;
		pgt_table t = pgt_sim_table(pm->sim, i);
		uint32_t v = vis_step(&t);
		pm->vis_prefix &= v >= last_vis;
		last_vis = v;
		osum_add(&run, &t);
		if (!is_other(t.origin))
			continue;
		if (pm->nother && pm->other[pm->nother - 1].b == i) {
			pm->other[pm->nother - 1].b = i + 1;
			continue;
		}
		if (pm->nother == cap) {
			cap *= 2;
			pgt_range *nr = realloc(pm->other, cap * sizeof(*nr));
			if (!nr)
				return false;
			pm->other = nr;
		}
		pm->other[pm->nother++] = (pgt_range){i, i + 1};
	}
	if (n % OSUM_EVERY == 0)
		pm->osum[n / OSUM_EVERY] = run;
	/* A table made read-only before the first call (Xen's builder tables,
	 * pinned read-only when the kernel starts) is read-only from step 0,
	 * as the boot-time map is whole from step 0 (boot_step). */
	size_t boot = pm->boot_step;
	for (size_t k = 0; k < n; k++) {
		pgt_table t = pgt_sim_table(pm->sim, pm->by_pa[k]);
		pm->tabs[k] = (pgt_tab_entry){.pa_lv = t.pa | (uint64_t)(t.level & 7),
		                              .vis = vis_step(&t),
		                              .ro = t.ro_event <= boot ? 0 : t.ro_event};
	}
	for (size_t b = 0; b < nb; b++) {
		size_t lo = b * PGT_TAB_BLOCK;
		size_t cnt = n - lo < PGT_TAB_BLOCK ? n - lo : PGT_TAB_BLOCK;
		block_summary(&pm->tblk[b], &pm->tabs[lo], cnt);
	}
	return true;
}

void tables_free(pgt_pane_model *pm)
{
	free(pm->tabs);
	free(pm->tblk);
	free(pm->osum);
	free(pm->other);
}

/* The first index in [lo, hi) whose table page is at or above addr. */
static size_t bisect(const pgt_pane_model *pm, size_t lo, size_t hi, uint64_t addr)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tab_pa(&pm->tabs[mid]) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t table_lower_bound(const pgt_pane_model *pm, uint64_t addr)
{
	return bisect(pm, 0, pm->ntab, addr);
}

size_t table_gallop(const pgt_pane_model *pm, size_t k, uint64_t addr)
{
	if (k >= pm->ntab || tab_pa(&pm->tabs[k]) >= addr)
		return k;
	/* tabs[k] < addr: double the stride until past addr, then bisect. */
	size_t lo = k + 1, step = 1, hi = lo;
	while (hi < pm->ntab && tab_pa(&pm->tabs[hi]) < addr) {
		lo = hi + 1;
		hi += step;
		step *= 2;
	}
	return bisect(pm, lo, hi > pm->ntab ? pm->ntab : hi, addr);
}

static void agg_entry(pgt_tab_agg *a, const pgt_tab_entry *e, size_t step)
{
	if (e->vis > step)
		return;
	a->n[tab_level(e)]++;
	a->nro += e->ro <= step;
}

void table_agg(const pgt_pane_model *pm, size_t k0, size_t k1, size_t step, pgt_tab_agg *a)
{
	size_t k = k0;
	while (k < k1) {
		if (k % PGT_TAB_BLOCK == 0 && k + PGT_TAB_BLOCK <= k1) {
			const pgt_tab_block *b = &pm->tblk[k / PGT_TAB_BLOCK];
			if (b->min_vis > step) { /* none drawn yet */
				k += PGT_TAB_BLOCK;
				continue;
			}
			if (b->max_vis <= step && (b->min_ro > step || b->max_ro <= step)) {
				for (int l = 0; l < 8; l++)
					a->n[l] += b->n[l];
				a->nro += b->min_ro > step ? 0 : b->nro;
				k += PGT_TAB_BLOCK;
				continue;
			}
		}
		agg_entry(a, &pm->tabs[k], step);
		k++;
	}
}

int agg_top_level(const pgt_tab_agg *a)
{
	for (int l = 7; l > 0; l--)
		if (a->n[l])
			return l;
	return 0;
}

int agg_total(const pgt_tab_agg *a)
{
	uint32_t t = 0;
	for (int l = 1; l < 8; l++)
		t += a->n[l];
	return (int)(t > INT32_MAX ? INT32_MAX : t);
}

void agg_levels(const pgt_tab_agg *a, int *fill, int *cap)
{
	int best = 0;
	for (int l = 7; l > 0; l--) /* from the top: a tie keeps the higher level */
		if (a->n[l] > a->n[best] || (!best && a->n[l]))
			best = l;
	int top = agg_top_level(a);
	*fill = best;
	*cap = top > best ? top : 0;
}

size_t table_count_at(const pgt_pane_model *pm, size_t step)
{
	if (!pm->vis_prefix)
		return pm->ntab;
	size_t lo = 0, hi = pm->ntab;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		pgt_table t = pgt_sim_table(pm->sim, mid);
		if (vis_step(&t) <= step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void table_origin_sum(const pgt_pane_model *pm, size_t step, pgt_origin_sum *s)
{
	size_t i = 0;
	memset(s, 0, sizeof(*s));
	if (pm->vis_prefix) {
		/* The tables drawn at step are a prefix [0, lo) of the index. */
		size_t lo = table_count_at(pm, step);
		*s = pm->osum[lo / OSUM_EVERY];
		for (i = lo / OSUM_EVERY * OSUM_EVERY; i < lo; i++) {
			pgt_table t = pgt_sim_table(pm->sim, i);
			osum_add(s, &t);
		}
		return;
	}
	for (; i < pm->ntab; i++) {
		pgt_table t = pgt_sim_table(pm->sim, i);
		if (vis_step(&t) <= step)
			osum_add(s, &t);
	}
}

uint32_t table_latest_other(const pgt_pane_model *pm, size_t step)
{
	/* Tables are numbered in allocation order (alloc_event grows with the
	 * index): the last run whose first table is allocated by step, then
	 * the last table of that run allocated by step. */
	for (size_t r = pm->nother; r-- > 0;) {
		const pgt_range *o = &pm->other[r];
		if (pgt_sim_table(pm->sim, (size_t)o->a).alloc_event > step)
			continue;
		size_t lo = (size_t)o->a + 1, hi = (size_t)o->b;
		while (lo < hi) { /* first index in the run not allocated by step */
			size_t mid = lo + (hi - lo) / 2;
			if (pgt_sim_table(pm->sim, mid).alloc_event <= step)
				lo = mid + 1;
			else
				hi = mid;
		}
		return (uint32_t)(lo - 1);
	}
	return UINT32_MAX;
}
