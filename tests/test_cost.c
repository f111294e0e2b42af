/*
 * Bounded cost (issue 16, docs/reliability.md "Bounded cost"): the core
 * predicts a run's table pages and Xen PV PTEs before running, refuses a
 * run over PGT_MAX_TABLE_PAGES / PGT_MAX_XEN_RAM at once, and keeps every
 * map the benchmark and the tests use within the bounds.
 *
 *  - the prediction is an upper bound: for real runs (gallery, built-ins,
 *    a 1 TiB 4k-only bench map) the tables built are at most the predicted
 *    count, and not far below it for the dense maps;
 *  - the bench ladder's maps (up to 16 TiB 4k-only, 64 TiB with large
 *    pages) are within the bounds under both schemes;
 *  - the 200-byte scenario of the issue (Xen PV, no PSE, RAM to 2^46) and a
 *    sparse map whose holes the old scheme maps are refused: pgt_sim_run
 *    returns NULL, and pgt_sim_cost_ok names the bound.
 */
#include "t.h"
#include "pgtviz/core.h"

#include <stdlib.h>

#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

static pgt_run_opts opts(int scheme)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = pgt_builtin_bench_kver(scheme);
	return o;
}

static void prediction_bounds_real_runs(void)
{
	for (size_t b = 0; b < pgt_builtin_count(); b++) {
		pgt_scenario sc;
		REQUIRE(pgt_builtin_load(b, &sc));
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			pgt_run_opts o = pgt_run_opts_default(scheme);
			pgt_cost c = pgt_sim_cost(&sc, &o);
			pgt_sim *s = pgt_sim_run(&sc, &o);
			REQUIRE(s);
			CHECK(pgt_sim_table_count(s) <= c.table_pages);
			CHECK((c.xen_ptes > 0) == pgt_sim_xen(s));
			pgt_sim_free(s);
		}
		pgt_scenario_clear(&sc);
	}
	/* a dense 4k-only map: the bound is close to what is built */
	pgt_scenario sc;
	REQUIRE(pgt_builtin_bench(&sc, 1024, true));
	for (int scheme = 0; scheme < 2; scheme++) {
		int sch = scheme ? PGT_SCHEME_TOPDOWN : PGT_SCHEME_PGTBUF;
		pgt_run_opts o = opts(sch);
		pgt_cost c = pgt_sim_cost(&sc, &o);
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		size_t n = pgt_sim_table_count(s);
		CHECK(n <= c.table_pages);
		CHECK(n >= c.table_pages - c.table_pages / 50); /* within 2 % */
		CHECK(c.xen_ptes == 0);
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

static void bench_maps_are_within_the_bounds(void)
{
	static const struct {
		uint64_t gib;
		bool k4;
	} maps[] = {{1024, true}, {16 * 1024, true}, {64 * 1024, false}, {4, true}};
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		pgt_scenario sc;
		REQUIRE(pgt_builtin_bench(&sc, maps[i].gib, maps[i].k4));
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			pgt_run_opts o = opts(scheme);
			char why[256];
			bool ok = pgt_sim_cost_ok(&sc, &o, why, sizeof(why));
			if (!ok)
				fprintf(stderr, "%llu GiB %s: %s\n",
				        (unsigned long long)maps[i].gib, pgt_scheme_name(scheme),
				        why);
			CHECK(ok);
			CHECK(pgt_sim_cost(&sc, &o).table_pages <= PGT_MAX_TABLE_PAGES);
		}
		pgt_scenario_clear(&sc);
	}
	/* 16 TiB in 4k pages: about 8 Mi PTE pages, half the bound */
	pgt_scenario sc;
	REQUIRE(pgt_builtin_bench(&sc, 16 * 1024, true));
	pgt_run_opts o = opts(PGT_SCHEME_PGTBUF);
	pgt_cost c = pgt_sim_cost(&sc, &o);
	CHECK(c.table_pages >= (16 * TiB) >> 21);
	CHECK(c.table_pages < PGT_MAX_TABLE_PAGES);
	pgt_scenario_clear(&sc);
}

static void add_ram(pgt_scenario *sc, uint64_t a, uint64_t b)
{
	CHECK(pgt_scenario_add_e820(sc, a, b, PGT_E820_RAM));
}

/* The 200-byte scenario: Xen PV, no PSE, usable up to 2^46. */
static void xen_to_46_bits_is_refused_at_once(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.xen_pv = true;
	sc.cpu.pse = false;
	add_ram(&sc, 0, 0x9fc00);
	add_ram(&sc, 0x100000, 1ULL << 46);
	for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
		pgt_run_opts o = pgt_run_opts_default(scheme);
		pgt_cost c = pgt_sim_cost(&sc, &o);
		CHECK(c.xen_end == 1ULL << 46);
		CHECK(c.xen_ptes >= ((1ULL << 46) - 0x100000) >> 12);
		char why[256];
		CHECK(!pgt_sim_cost_ok(&sc, &o, why, sizeof(why)));
		CHECK(strstr(why, "Xen PV") && strstr(why, "65536 GiB") && strstr(why, "512 GiB"));
		CHECK(pgt_sim_run(&sc, &o) == NULL);
	}
	/* the same machine natively, with 2 MiB and 1 GiB pages: a few tables */
	sc.xen_pv = false;
	sc.cpu.pse = sc.cpu.gbpages = true;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	CHECK(pgt_sim_cost_ok(&sc, &o, NULL, 0));
	CHECK(pgt_sim_cost(&sc, &o).table_pages < 1024);
	/* natively with 4k pages only: 32 Mi PTE pages, over the table bound */
	sc.cpu.pse = sc.cpu.gbpages = false;
	char why[256];
	CHECK(!pgt_sim_cost_ok(&sc, &o, why, sizeof(why)));
	CHECK(strstr(why, "page-table pages") && strstr(why, "16777216"));
	CHECK(pgt_sim_cost(&sc, &o).table_pages >= (1ULL << 46) >> 21);
	CHECK(pgt_sim_run(&sc, &o) == NULL);
	/* Xen PV RAM up to 512 GiB: the p2m's reach, allowed; one page more is not */
	pgt_scenario_clear(&sc);
	memset(&sc, 0, sizeof(sc));
	sc.xen_pv = true;
	add_ram(&sc, 0, 0x9f000);
	add_ram(&sc, 0x100000, 512 * GiB);
	for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
		o = pgt_run_opts_default(scheme);
		CHECK(pgt_sim_cost_ok(&sc, &o, NULL, 0));
		CHECK(pgt_sim_cost(&sc, &o).xen_ptes >= (512 * GiB - 0x100000) >> 12);
	}
	sc.e820[1].end += 0x1000;
	CHECK(!pgt_sim_cost_ok(&sc, &o, NULL, 0));
	pgt_scenario_clear(&sc);
}

/* A sparse map: 1 GiB at the bottom and 16 MiB just under 2^46.  3.9+ maps
 * the RAM only; the old scheme maps [4 GiB, max_pfn) whole, holes included,
 * and is refused. */
static void sparse_map_is_refused_only_where_holes_are_mapped(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	add_ram(&sc, 0, 0x9fc00);
	add_ram(&sc, 0x100000, GiB);
	add_ram(&sc, (1ULL << 46) - (16ULL << 20), 1ULL << 46);
	pgt_run_opts td = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	pgt_run_opts old = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	CHECK(pgt_sim_cost_ok(&sc, &td, NULL, 0));
	CHECK(pgt_sim_cost(&sc, &td).table_pages < 1024);
	CHECK(!pgt_sim_cost_ok(&sc, &old, NULL, 0));
	CHECK(pgt_sim_run(&sc, &old) == NULL);
	/* mem= below the far RAM brings the old scheme back within bounds */
	sc.mem_limit = 2 * GiB;
	CHECK(pgt_sim_cost_ok(&sc, &old, NULL, 0));
	pgt_sim *s = pgt_sim_run(&sc, &old);
	CHECK(s != NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	prediction_bounds_real_runs();
	bench_maps_are_within_the_bounds();
	xen_to_46_bits_is_refused_at_once();
	sparse_map_is_refused_only_where_holes_are_mapped();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
