/*
 * Memory per table page (issue 15) and the compact storage behind it: a run
 * of a big 4k-only map holds at most 64 bytes per table page with an
 * allocator that grows blocks in place; the packed events and compact table
 * records read back exactly what was emitted; and the run is the same
 * whichever allocator it used (libc, the test allocator below, the arena).
 * Memory figures only -- no timing.
 */
#include "pgtviz/core.h"
#include "pgtviz/vmarena.h"
#include "t.h"

#include <stdlib.h>

/* An in-place-style allocator on top of realloc: reports a granule, so the
 * core grows arrays by small steps instead of doubling. */
static size_t g_live; /* bytes currently handed out */

static void *test_resize(void *ctx, void *p, size_t old_size, size_t size)
{
	(void)ctx;
	void *q = realloc(p, size ? size : 1);
	if (q)
		g_live = g_live - old_size + size;
	return q;
}

static void test_release(void *ctx, void *p, size_t size)
{
	(void)ctx;
	g_live -= p ? size : 0;
	free(p);
}

static const pgt_allocator g_test_alloc = {test_resize, test_release, NULL, 16u << 10};

static pgt_sim *run_bench_map(uint64_t gib, bool k4, int scheme, const pgt_allocator *al)
{
	pgt_scenario sc;
	if (!pgt_builtin_bench(&sc, gib, k4))
		return NULL;
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = scheme == PGT_SCHEME_PGTBUF ? PGT_KVER(3, 8, 0) : PGT_KVER(3, 13, 0);
	o.alloc = al;
	pgt_sim *s = pgt_sim_run(&sc, &o);
	pgt_scenario_clear(&sc);
	return s;
}

static void at_most_64_bytes_per_table_page_on_big_4k_maps(void)
{
	static const uint64_t gib[] = {256, 1024};
	for (size_t g = 0; g < 2; g++)
		for (int scheme = PGT_SCHEME_PGTBUF; scheme <= PGT_SCHEME_TOPDOWN; scheme++) {
			pgt_sim *s = run_bench_map(gib[g], true, scheme, &g_test_alloc);
			REQUIRE(s);
			size_t nt = pgt_sim_table_count(s), mem = pgt_sim_memory(s);
			CHECK(nt > gib[g] * 512); /* one PTE page per 2 MiB */
			fprintf(stderr, "%s %llu GiB 4k: %zu tables, %zu bytes, %.1f per table\n",
			        pgt_scheme_name(scheme), (unsigned long long)gib[g], nt, mem,
			        (double)mem / (double)nt);
			CHECK(mem <= 64 * nt);
			/* the allocator's blocks are part of what the run reports */
			CHECK(g_live > 0 && g_live <= mem);
			pgt_sim_free(s);
			CHECK_U64(g_live, 0);
		}
}

/* Default-page maps: a directory page whose entries are one run of large
 * pages (a PMD page of 2 MiB pages, a PUD page of 1 GiB pages) is held in
 * its 4-byte content word, not in 512 entries (2 KiB).  With 2 MiB pages
 * only (nogbpages; 16 TiB: ~16,400 PMD pages) the run holds at most 64
 * bytes per table page; on the bench's 64 TiB map with 1 GiB pages (131
 * table pages) what the run holds beyond the smallest map is at most 64
 * bytes per additional table page (the rest is the fixed part of a run:
 * the run record, a checkpoint, the arrays' first blocks). */
static pgt_sim *run_2m_map(uint64_t gib, int scheme)
{
	pgt_scenario sc;
	if (!pgt_builtin_bench(&sc, gib, false))
		return NULL;
	sc.cpu.gbpages = false;
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = pgt_builtin_bench_kver(scheme);
	o.alloc = &g_test_alloc;
	pgt_sim *s = pgt_sim_run(&sc, &o);
	pgt_scenario_clear(&sc);
	return s;
}

static void at_most_64_bytes_per_table_page_on_default_page_maps(void)
{
	for (int scheme = PGT_SCHEME_PGTBUF; scheme <= PGT_SCHEME_TOPDOWN; scheme++) {
		pgt_sim *s = run_2m_map(16384, scheme);
		REQUIRE(s);
		size_t nt = pgt_sim_table_count(s), mem = pgt_sim_memory(s);
		CHECK(nt > 16384); /* one PMD page per GiB */
		fprintf(stderr, "%s 16 TiB 2M pages: %zu tables, %zu bytes, %.1f per table\n",
		        pgt_scheme_name(scheme), nt, mem, (double)mem / (double)nt);
		CHECK(mem <= 64 * nt);
		/* the PMD pages' entries read back from the compact storage */
		size_t leaves = 0, links = 0, pmds = 0;
		for (size_t t = 0; t < nt; t++) {
			if (pgt_sim_table(s, t).level != PGT_PMD)
				continue;
			pmds++;
			pgt_entry e[512];
			size_t n = pgt_sim_table_entries(s, t, e, 512);
			for (size_t i = 0; i < n; i++) {
				leaves += e[i].kind == PGT_ENT_LEAF;
				links += e[i].kind == PGT_ENT_TABLE;
			}
		}
		CHECK(pmds >= 16384);
		/* the RAM, 3 GiB below the hole and 16 TiB - 3 GiB from 4 GiB, in
		 * 2 MiB entries: leaves, but the first 2 MiB where a scheme maps
		 * them with 4k pages (a PTE page) */
		CHECK_U64(leaves + links, 3 * 512 + (16384ull - 3) * 512);
		CHECK(links <= 1);
		pgt_sim_free(s);
		CHECK_U64(g_live, 0);
	}
	for (int scheme = PGT_SCHEME_PGTBUF; scheme <= PGT_SCHEME_TOPDOWN; scheme++) {
		pgt_sim *small = run_bench_map(4, false, scheme, &g_test_alloc);
		pgt_sim *big = run_bench_map(65536, false, scheme, &g_test_alloc);
		REQUIRE(small && big);
		size_t ns = pgt_sim_table_count(small), nb = pgt_sim_table_count(big);
		size_t ms = pgt_sim_memory(small), mb = pgt_sim_memory(big);
		fprintf(
		    stderr,
		    "%s default pages: 4 GiB %zu tables %zu bytes, 64 TiB %zu tables %zu bytes\n",
		    pgt_scheme_name(scheme), ns, ms, nb, mb);
		CHECK(nb > 128 && nb > ns);
		CHECK(mb <= ms + 64 * (nb - ns));
		pgt_sim_free(small);
		pgt_sim_free(big);
	}
}

static bool same_event(const pgt_event *x, const pgt_event *y)
{
	return x->kind == y->kind && x->level == y->level && x->origin == y->origin &&
	       x->flags == y->flags && x->table == y->table && x->a == y->a && x->b == y->b &&
	       x->aux == y->aux;
}

static bool same_table(const pgt_table *x, const pgt_table *y)
{
	return x->pa == y->pa && x->va_base == y->va_base && x->alloc_event == y->alloc_event &&
	       x->hook_event == y->hook_event && x->ro_event == y->ro_event &&
	       x->parent == y->parent && x->parent_slot == y->parent_slot && x->level == y->level &&
	       x->origin == y->origin;
}

/* Two runs of one scenario agree event by event, table by table, line by
 * line, and in their final tables. */
static void check_same_run(const pgt_sim *a, const pgt_sim *b)
{
	REQUIRE(a && b);
	CHECK_U64(pgt_sim_event_count(a), pgt_sim_event_count(b));
	CHECK_U64(pgt_sim_table_count(a), pgt_sim_table_count(b));
	CHECK_U64(pgt_sim_log_count(a), pgt_sim_log_count(b));
	size_t bad = 0;
	for (size_t i = 0; i < pgt_sim_event_count(a); i++) {
		pgt_event x = pgt_sim_event(a, i), y = pgt_sim_event(b, i);
		bad += !same_event(&x, &y);
	}
	for (size_t i = 0; i < pgt_sim_table_count(a); i++) {
		pgt_table x = pgt_sim_table(a, i), y = pgt_sim_table(b, i);
		bad += !same_table(&x, &y);
	}
	for (size_t i = 0; i < pgt_sim_log_count(a); i++)
		bad += strcmp(pgt_sim_log(a, i)->text, pgt_sim_log(b, i)->text) != 0;
	char *da = pgt_sim_ptdump(a, SIZE_MAX), *db = pgt_sim_ptdump(b, SIZE_MAX);
	CHECK(da && db && strcmp(da, db) == 0);
	free(da);
	free(db);
	CHECK_U64(bad, 0);
}

static void the_run_does_not_depend_on_the_allocator(void)
{
	const pgt_allocator *arena = pgt_vmarena(); /* NULL in sanitizer builds */
	for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
		pgt_sim *a = run_bench_map(64, true, scheme, NULL);
		pgt_sim *b = run_bench_map(64, true, scheme, &g_test_alloc);
		pgt_sim *c = run_bench_map(64, true, scheme, arena);
		check_same_run(a, b);
		check_same_run(a, c);
		pgt_sim_free(a);
		pgt_sim_free(b);
		pgt_sim_free(c);
	}
}

/* pgt_sim_events()/pgt_sim_tables() (decoded whole arrays) agree with the
 * one-at-a-time accessors on every built-in scenario, both panes' schemes,
 * with and without Xen; and packed events decode to sensible values. */
static void whole_arrays_match_the_accessors(void)
{
	size_t bad = 0, checked = 0;
	for (size_t i = 0; i < pgt_builtin_count(); i++) {
		pgt_scenario sc = {0};
		REQUIRE(pgt_builtin_load(i, &sc));
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			pgt_run_opts o = pgt_run_opts_default(scheme);
			pgt_sim *s = pgt_sim_run(&sc, &o);
			REQUIRE(s);
			const pgt_event *ev = pgt_sim_events(s);
			const pgt_table *tab = pgt_sim_tables(s);
			for (size_t k = 0; k < pgt_sim_event_count(s); k++) {
				pgt_event e = pgt_sim_event(s, k);
				bad += !same_event(&e, &ev[k]);
				if (e.kind == PGT_EV_ALLOC) /* the table record says the same */
					bad += e.a != tab[e.table].pa ||
					       e.b != tab[e.table].va_base ||
					       tab[e.table].alloc_event != k;
				if (e.kind == PGT_EV_HOOK)
					bad += tab[e.table].hook_event != k;
				if (e.kind == PGT_EV_MAP)
					bad += e.b <= e.a;
				checked++;
			}
			for (size_t k = 0; k < pgt_sim_table_count(s); k++) {
				pgt_table t = pgt_sim_table(s, k);
				bad += !same_table(&t, &tab[k]);
			}
			pgt_sim_free(s);
		}
		pgt_scenario_clear(&sc);
	}
	CHECK(checked > 1000);
	CHECK_U64(bad, 0);
}

int main(void)
{
	RUN(at_most_64_bytes_per_table_page_on_big_4k_maps);
	RUN(at_most_64_bytes_per_table_page_on_default_page_maps);
	RUN(the_run_does_not_depend_on_the_allocator);
	RUN(whole_arrays_match_the_accessors);
	return t_report();
}
