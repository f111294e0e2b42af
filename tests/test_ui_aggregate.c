/*
 * Aggregated columns (docs/window.md, "Aggregated columns") and the table
 * index a frame reads them from (src/ui/view_tables.c).
 *
 * The index is checked against the run itself: for ranges and steps of
 * real runs, the counts per level and of read-only pages, the per-origin
 * sums and the latest memblock table are worked out again from
 * pgt_sim_table() one table at a time.  The pictures are checked in the
 * draw list: on the 64 GiB 4k-only map, every mark of a map row and every
 * cell of the pgt_buf strip has the colour the rule gives for the pages
 * under it (worked out from the run, not from the view), and a higher
 * level among them shows as a cap, never as the whole mark.
 */
#include "t.h"

#include "scenario_file.h"
#include "view_internal.h"

#include "pgtviz/render.h"
#include "pgtviz/session.h"

#include <stdlib.h>

#define PAGEB ((uint64_t)4096)

static pgt_session *start(const char *name, const char *schemes)
{
	pgt_scenario sc;
	int b = pgt_builtin_find(name);
	if (b >= 0) {
		if (!pgt_builtin_load((size_t)b, &sc))
			return NULL;
	} else if (!t_load_scenario(name, &sc, false)) {
		return NULL;
	}
	return pgt_session_start(&sc, schemes, NULL, NULL);
}

static bool drawn_at(const pgt_table *t, size_t step)
{
	return t->origin == PGT_ORIGIN_STATIC || t->origin == PGT_ORIGIN_XEN ||
	       t->alloc_event <= step;
}

/* Counts of the tables drawn at step in [a, b), from the run.  A table
 * made read-only before the first call (Xen's builder tables) is drawn
 * read-only from step 0, as the boot-time map is whole from step 0. */
static pgt_tab_agg brute_agg(const pgt_sim *sim, uint64_t a, uint64_t b, size_t step)
{
	pgt_tab_agg g;
	memset(&g, 0, sizeof(g));
	size_t c = 0;
	while (c < pgt_sim_event_count(sim) && pgt_sim_event(sim, c).kind != PGT_EV_CALL_BEGIN)
		c++;
	size_t ro_step = c > 0 && c < pgt_sim_event_count(sim) && step < c - 1 ? c - 1 : step;
	for (size_t i = 0; i < pgt_sim_table_count(sim); i++) {
		pgt_table t = pgt_sim_table(sim, i);
		if (t.pa < a || t.pa >= b || !drawn_at(&t, step))
			continue;
		g.n[t.level & 7]++;
		g.nro += t.ro_event != UINT32_MAX && t.ro_event <= ro_step;
	}
	return g;
}

static bool same_agg(const pgt_tab_agg *x, const pgt_tab_agg *y)
{
	return memcmp(x->n, y->n, sizeof(x->n)) == 0 && x->nro == y->nro;
}

/* table_agg over address ranges against the run, at several steps. */
static void check_index(const char *name, const char *schemes)
{
	pgt_session *s = start(name, schemes);
	REQUIRE(s);
	for (int p = 0; p < s->model.npanes; p++) {
		const pgt_pane_model *pm = &s->model.pane[p];
		CHECK(pm->vis_prefix);
		uint64_t top = pm->addr_top;
		size_t steps[] = {0, pm->nev / 7, pm->nev / 2, pm->nev * 5 / 6, pm->nev - 1};
		for (size_t si = 0; si < sizeof(steps) / sizeof(steps[0]); si++) {
			size_t step = steps[si];
			/* 40 ranges: the whole map, then slices of it, some unaligned */
			for (int r = 0; r < 40; r++) {
				uint64_t a =
				    r == 0 ? 0 : top / 41 * (uint64_t)r + (uint64_t)r * 777;
				uint64_t b = r == 0 ? top : a + top / (uint64_t)(3 + r % 11);
				size_t k0 = table_lower_bound(pm, a), k1 = table_gallop(pm, k0, b);
				pgt_tab_agg got, want = brute_agg(pm->sim, a, b, step);
				memset(&got, 0, sizeof(got));
				table_agg(pm, k0, k1, step, &got);
				CHECK(same_agg(&got, &want));
			}
			/* per-origin sums */
			pgt_origin_sum os;
			table_origin_sum(pm, step, &os);
			uint32_t n[PGT_ORIGIN_COUNT] = {0};
			uint32_t latest = UINT32_MAX;
			for (size_t i = 0; i < pm->ntab; i++) {
				pgt_table t = pgt_sim_table(pm->sim, i);
				if (!drawn_at(&t, step))
					continue;
				n[t.origin]++;
				CHECK(t.pa >= os.lo[t.origin] && t.pa + PAGEB <= os.hi[t.origin]);
				if (t.alloc_event <= step && t.origin != PGT_ORIGIN_PGTBUF &&
				    t.origin != PGT_ORIGIN_BRK && t.origin != PGT_ORIGIN_STATIC &&
				    t.origin != PGT_ORIGIN_XEN)
					latest = (uint32_t)i;
			}
			CHECK(memcmp(n, os.n, sizeof(n)) == 0);
			CHECK(table_latest_other(pm, step) == latest);
		}
	}
	pgt_session_free(s);
}

/* The rule itself, on counts. */
static void check_rule(void)
{
	int fill, cap;
	pgt_tab_agg a;
	memset(&a, 0, sizeof(a));
	agg_levels(&a, &fill, &cap);
	CHECK(fill == 0 && cap == 0);
	a.n[PGT_PTE] = 500;
	a.n[PGT_PMD] = 1;
	agg_levels(&a, &fill, &cap);
	CHECK(fill == PGT_PTE && cap == PGT_PMD);
	a.n[PGT_PTE] = 1;
	agg_levels(&a, &fill, &cap); /* a tie goes to the higher level */
	CHECK(fill == PGT_PMD && cap == 0);
	a.n[PGT_PTE] = 3;
	a.n[PGT_PMD] = 3;
	a.n[PGT_PUD] = 1;
	agg_levels(&a, &fill, &cap);
	CHECK(fill == PGT_PMD && cap == PGT_PUD);
	memset(&a, 0, sizeof(a));
	a.n[PGT_PTE] = 1;
	agg_levels(&a, &fill, &cap);
	CHECK(fill == PGT_PTE && cap == 0);
}

/* The level of a colour (0: none). */
static int level_of(const pgt_theme *th, pgt_color c)
{
	for (int l = 1; l <= 4; l++)
		if (level_color(th, l) == c)
			return l;
	return 0;
}

/* Expected fill and cap of the pixel column x of row r (marks of table
 * pages): the rule applied to the run's tables that row_x puts there. */
static void expect_column(const pgt_sim *sim, const pgt_strip_row *r, int x, size_t step, int *fill,
                          int *cap)
{
	pgt_tab_agg a;
	memset(&a, 0, sizeof(a));
	for (size_t i = 0; i < pgt_sim_table_count(sim); i++) {
		pgt_table t = pgt_sim_table(sim, i);
		if (t.pa < r->lo || t.pa >= r->lo + r->span || !drawn_at(&t, step))
			continue;
		int tx = (int)((double)(t.pa - r->lo) * (double)r->w / (double)r->span);
		if (tx >= r->w)
			tx = r->w - 1;
		if (tx == x)
			a.n[t.level & 7]++;
	}
	/* the rule, again in the test's own words */
	int best = 0, top = 0;
	for (int l = 1; l < 8; l++) {
		if (a.n[l] && a.n[l] >= a.n[best])
			best = l;
		if (a.n[l])
			top = l;
	}
	*fill = best;
	*cap = top > best ? top : 0;
}

/* Map rows and the pgt_buf strip of the 64 GiB 4k-only map at its last
 * step: each mark and cell is coloured by the majority, higher levels
 * show as caps. */
static void check_frame(void)
{
	pgt_session *s = start("debug-64g-4k", NULL);
	REQUIRE(s);
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.follow = false;
	vs.step = s->model.nsteps - 1;
	pgt_view_params prm = {1920, 1080, &th, NULL, NULL, false, NULL, &s->cache, NULL, 0};
	pgt_view_build(&dl, &lay, &s->model, &vs, &prm);
	const int p = 0; /* the old scheme: one 31 294-page pgt_buf */
	const pgt_pane_model *pm = &s->model.pane[p];
	size_t step = pgt_view_pane_step(&s->model, p, vs.step);
	const pgt_pane_layout *pl = &lay.pane[p];
	int marks = 0, caps = 0, pte_marks = 0, pmd_full = 0;
	for (int i = 0; i < pl->nrows; i++) {
		const pgt_strip_row *r = &pl->rows[i];
		if (r->gap)
			continue;
		/* the marks: level-coloured rects in the row; full height is the
		 * tallest of them */
		int full = 0;
		for (size_t k = 0; k < dl.n; k++) {
			const pgt_dl_cmd *c = &dl.cmds[k];
			if (c->kind == PGT_DL_RECT && level_of(&th, c->color) && c->y >= r->y &&
			    c->y + c->h <= r->y + r->h && c->x >= r->x && c->x < r->x + r->w &&
			    c->h > full)
				full = c->h;
		}
		for (size_t k = 0; k < dl.n; k++) {
			const pgt_dl_cmd *c = &dl.cmds[k];
			int lv = level_of(&th, c->color);
			if (c->kind != PGT_DL_RECT || !lv || c->y < r->y ||
			    c->y + c->h > r->y + r->h || c->x < r->x || c->x >= r->x + r->w)
				continue;
			/* a mark at the right edge is moved left to keep its width */
			if (c->x + c->w >= r->x + r->w)
				continue;
			int fill, cap;
			expect_column(pm->sim, r, c->x - r->x, step, &fill, &cap);
			if (c->h == full) {
				CHECK(lv == fill);
				marks++;
				pte_marks += lv == PGT_PTE;
				pmd_full += lv == PGT_PMD;
			} else {
				CHECK(c->h == agg_cap_h(full));
				CHECK(lv == cap);
				caps++;
			}
		}
	}
	/* The buffer is 32 764 PTE pages and 64 PMD pages: PTE marks with PMD
	 * caps, not PMD marks. */
	CHECK(marks > 0);
	CHECK(caps > 0);
	CHECK(pte_marks > pmd_full);

	/* The pgt_buf strip: cells of `per` pages each. */
	const pgt_strip_row *d = &pl->detail[0];
	REQUIRE(d->w > 0);
	int cells = 0, cw = 0;
	for (size_t k = 0; k < dl.n; k++) {
		const pgt_dl_cmd *c = &dl.cmds[k];
		if (c->kind == PGT_DL_RECT && c->y == d->y && c->h == d->h && c->x >= d->x &&
		    c->x < d->x + d->w) {
			cells++;
			cw = c->w;
		}
	}
	REQUIRE(cells > 1);
	uint64_t per = d->span / PAGEB / (uint64_t)cells;
	CHECK(per > 1); /* aggregated */
	int pmd_caps = 0, checked = 0;
	for (size_t k = 0; k < dl.n; k++) {
		const pgt_dl_cmd *c = &dl.cmds[k];
		if (c->kind != PGT_DL_RECT || c->y != d->y || c->x < d->x || c->x >= d->x + d->w)
			continue;
		int i = (c->x - d->x) / (d->w / cells);
		uint64_t a = d->lo + (uint64_t)i * per * PAGEB;
		pgt_tab_agg g = brute_agg(pm->sim, a, a + per * PAGEB, step);
		if (c->h == d->h) {
			/* more than half the cell are PTE pages: the cell is PTE */
			if (g.n[PGT_PTE] * 2 > per) {
				CHECK(c->color == level_color(&th, PGT_PTE));
				checked++;
			}
		} else {
			CHECK(c->h == agg_cap_h(d->h));
			CHECK(g.n[level_of(&th, c->color)] > 0);
			pmd_caps += level_of(&th, c->color) == PGT_PMD;
		}
		(void)cw;
	}
	CHECK(checked > cells / 2);
	CHECK(pmd_caps > 0);
	pgt_dl_free(&dl);
	pgt_session_free(s);
}

int main(void)
{
	check_rule();
	check_index("debug-64g-4k", NULL);
	check_index("xen-live-patient", NULL);
	check_index("pc-4g", "old,chunk-end");
	check_frame();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
