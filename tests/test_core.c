/*
 * Core unit tests in the style of tools/testing/memblock: memblock arrays and
 * searches, split_mem_range, sizing and placement, and the golden worked
 * examples of the original specification (expected lines copied from it,
 * one test per version model it lists).
 */
#include "memblock.h"
#include "pgtviz/core.h"
#include "split.h"
#include "t.h"

#include <stdlib.h>

/* ---- memblock ------------------------------------------------------------ */

static void memblock_add_merges_touching_regions(void)
{
	mb_array a = {0};
	/*  |--A--|     |--B--|   then C fills the gap: one region */
	REQUIRE(mb_array_add(&a, 0x1000, 0x1000));
	REQUIRE(mb_array_add(&a, 0x3000, 0x1000));
	CHECK_U64(a.n, 2);
	REQUIRE(mb_array_add(&a, 0x2000, 0x1000));
	CHECK_U64(a.n, 1);
	CHECK_U64(a.r[0].base, 0x1000);
	CHECK_U64(a.r[0].size, 0x3000);
	/* overlapping add extends */
	REQUIRE(mb_array_add(&a, 0x3800, 0x1000));
	CHECK_U64(a.n, 1);
	CHECK_U64(a.r[0].size, 0x3800);
	/* remove splits */
	REQUIRE(mb_array_remove(&a, 0x2000, 0x1000));
	CHECK_U64(a.n, 2);
	CHECK_U64(a.r[1].base, 0x3000);
	free(a.r);
}

static void memblock_find_topdown_skips_reserved(void)
{
	memblock mb = {0};
	/* memory: [1M, 16M); reserved [15M, 16M) and [8M, 14M) */
	REQUIRE(mb_array_add(&mb.memory, 0x100000, 0xf00000));
	REQUIRE(mb_array_add(&mb.reserved, 0xf00000, 0x100000));
	REQUIRE(mb_array_add(&mb.reserved, 0x800000, 0x600000));
	/* highest 2M-aligned 2M block: [12M,14M) would overlap the reservation;
	 * [14M,15M) is only 1M; so the answer is [6M, 8M) */
	CHECK_U64(mb_find_topdown(&mb, 0, 0x1000000, 0x200000, 0x200000), 0x600000);
	CHECK_U64(mb_find_topdown_old(&mb, 0, 0x1000000, 0x200000, 0x200000), 0x600000);
	/* one page: right under the top reservation */
	CHECK_U64(mb_find_topdown(&mb, 0, 0x1000000, 0x1000, 0x1000), 0xeff000);
	/* bounded window */
	CHECK_U64(mb_find_topdown(&mb, 0, 0x700000, 0x1000, 0x1000), 0x6ff000);
	/* nothing fits */
	CHECK_U64(mb_find_topdown(&mb, 0, 0x1000000, 0x800000, 0x1000), 0);
	/* bottom-up: lowest fit */
	CHECK_U64(mb_find_bottomup(&mb, 0, 0x1000000, 0x1000, 0x1000), 0x100000);
	CHECK_U64(mb_find_bottomup(&mb, 0x7ff000, 0x1000000, 0x2000, 0x1000), 0xe00000);
	/* region memory test */
	CHECK(mb_is_region_memory(&mb, 0x200000, 0x200000));
	CHECK(!mb_is_region_memory(&mb, 0, 0x200000));
	mb_free(&mb);
}

static void memblock_find_never_returns_page_zero(void)
{
	memblock mb = {0};
	REQUIRE(mb_array_add(&mb.memory, 0, 0x2000));
	CHECK_U64(mb_find_topdown(&mb, 0, 0x2000, 0x1000, 0x1000), 0x1000);
	CHECK_U64(mb_find_topdown(&mb, 0, 0x1000, 0x1000, 0x1000), 0);
	mb_free(&mb);
}

/* ---- split_mem_range ------------------------------------------------------ */

static size_t split(map_range *mr, uint64_t a, uint64_t b, unsigned mask)
{
	pgt_sim dummy;
	memset(&dummy, 0, sizeof(dummy));
	return split_mem_range(&dummy, mr, a, b, mask, false, false);
}

static void split_examples_of_kernel_md_2_6(void)
{
	map_range mr[8];
	size_t n = split(mr, 0, 0xbfee0000, MASK_2M);
	REQUIRE(n == 2);
	CHECK_U64(mr[0].end, 0xbfe00000);
	CHECK_U64(mr[0].mask, MASK_2M);
	CHECK_U64(mr[1].start, 0xbfe00000);
	CHECK_U64(mr[1].mask, 0);

	n = split(mr, 0x100000, 0xbfee0000, MASK_2M | MASK_1G);
	REQUIRE(n == 5);
	CHECK_U64(mr[0].end, 0x200000);
	CHECK_U64(mr[1].end, 0x40000000);
	CHECK_U64(mr[2].end, 0x80000000);
	CHECK_U64(mr[2].mask, MASK_2M | MASK_1G);
	CHECK_U64(mr[3].end, 0xbfe00000);
	CHECK_U64(mr[4].end, 0xbfee0000);

	n = split(mr, 0, 0x3fffe000, MASK_2M);
	REQUIRE(n == 2);
	CHECK_U64(mr[0].end, 0x3fe00000);
	CHECK_U64(mr[1].start, 0x3fe00000);

	n = split(mr, 0, 0x40000000, 0); /* 4k only: all ranges merge */
	REQUIRE(n == 1);
	CHECK_U64(mr[0].end, 0x40000000);
}

/* ---- golden runs ------------------------------------------------------------ */

static pgt_sim *run(const char *name, int scheme, const char *kver, int sizing, bool gb)
{
	pgt_scenario sc;
	int i = pgt_builtin_find(name);
	if (i < 0 || !pgt_builtin_load((size_t)i, &sc))
		return NULL;
	if (gb)
		sc.cpu.gbpages = true;
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = pgt_kver_parse(kver);
	o.sizing = sizing;
	pgt_sim *s = pgt_sim_run(&sc, &o);
	pgt_scenario_clear(&sc);
	return s;
}

/* Compares the shown mapping-relevant lines (plus "initial memory mapped"
 * and "Using GB pages") with `expect`; P in expect is the BRK base. */
static void expect_lines(pgt_sim *s, const char *const *expect, size_t n, const char *what)
{
	REQUIRE(s != NULL);
	size_t k = 0;
	for (size_t i = 0; i < pgt_sim_log_count(s); i++) {
		const pgt_logline *l = pgt_sim_log(s, i);
		if (!l->shown)
			continue;
		if (k >= n) {
			fprintf(stderr, "%s: extra line \"%s\"\n", what, l->text);
			t_failed++;
			break;
		}
		if (strcmp(l->text, expect[k]) != 0)
			fprintf(stderr, "%s: line %zu\n", what, k + 1);
		CHECK_STR(l->text, expect[k]);
		k++;
	}
	if (k < n)
		fprintf(stderr, "%s: missing \"%s\"\n", what, expect[k]);
	CHECK_U64(k, n);
	CHECK(pgt_sim_panic(s) == NULL);
}

#define EXPECT(s, arr, what) expect_lines(s, arr, sizeof(arr) / sizeof(arr[0]), what)

static void golden_9_2_old_3_6_variant_b(void)
{
	static const char *const e[] = {
	    "initial memory mapped: [mem 0x00000000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x00000000-0xbfedffff]",
	    " [mem 0x00000000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	    "kernel direct mapping tables up to 0xbfedffff @ [mem 0x1f9fc000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x100000000-0x13fffffff]",
	    " [mem 0x100000000-0x13fffffff] page 2M",
	    "kernel direct mapping tables up to 0x13fffffff @ [mem 0xbfeda000-0xbfedffff]",
	};
	pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, "3.6", 0, false);
	EXPECT(s, e, "9.2 a-3.6");
	/* 4 new table pages: 0x1f9fc000, 0x1f9fd000, 0x1f9fe000, 0xbfeda000 */
	pgt_state st = pgt_sim_state_at(s, SIZE_MAX);
	CHECK_U64(st.tables_origin[PGT_ORIGIN_PGTBUF], 4);
	CHECK_U64(st.tables_origin[PGT_ORIGIN_STATIC], 3);
	const pgt_table *t = pgt_sim_tables(s);
	CHECK_U64(t[3].pa, 0x1f9fc000);
	CHECK_U64(t[3].level, PGT_PMD);
	CHECK_U64(t[5].pa, 0x1f9fe000);
	CHECK_U64(t[5].level, PGT_PTE);
	pgt_sim_free(s);
}

static void golden_9_2_old_3_8_variant_c(void)
{
	static const char *const e[] = {
	    "initial memory mapped: [mem 0x00000000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x00000000-0xbfedffff]",
	    " [mem 0x00000000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	    "kernel direct mapping tables up to 0xbfedffff @ [mem 0x1fffb000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x100000000-0x13fffffff]",
	    " [mem 0x100000000-0x13fffffff] page 2M",
	    "kernel direct mapping tables up to 0x13fffffff @ [mem 0xbfede000-0xbfedffff]",
	};
	pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, "3.8", 0, false);
	EXPECT(s, e, "9.2 a-3.8");
	pgt_sim_free(s);
	s = run("pc-4g", PGT_SCHEME_PGTBUF, "3.7", 0, false);
	EXPECT(s, e, "9.2 a-3.7");
	pgt_sim_free(s);
}

static void golden_9_2_old_3_4_variant_a(void)
{
	static const char *const e[] = {
	    "initial memory mapped : 0 - 20000000",
	    "init_memory_mapping: 0000000000000000-00000000bfee0000",
	    " 0000000000 - 00bfe00000 page 2M",
	    " 00bfe00000 - 00bfee0000 page 4k",
	    "kernel direct mapping tables up to bfee0000 @ 1fffb000-20000000",
	    "init_memory_mapping: 0000000100000000-0000000140000000",
	    " 0100000000 - 0140000000 page 2M",
	    "kernel direct mapping tables up to 140000000 @ bfeda000-bfee0000",
	};
	static const char *const versions[] = {"3.1", "3.2", "3.3", "3.4", "2.6.37", "2.6.38"};
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, versions[i], 0, false);
		EXPECT(s, e, versions[i]);
		pgt_sim_free(s);
	}
}

static void golden_9_2_old_2_6_39_tables_high(void)
{
	static const char *const versions[] = {"2.6.39", "3.0"};
	for (size_t i = 0; i < 2; i++) {
		pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, versions[i], 0, false);
		REQUIRE(s);
		const pgt_logline *l = pgt_sim_log(s, 4);
		REQUIRE(l);
		CHECK_STR(l->text,
		          "kernel direct mapping tables up to bfee0000 @ bfedb000-bfee0000");
		l = pgt_sim_log(s, 7);
		REQUIRE(l);
		CHECK_STR(l->text,
		          "kernel direct mapping tables up to 140000000 @ 13fffa000-140000000");
		/* used 3 and 1 pages */
		const pgt_region *r;
		size_t n = pgt_sim_memblock_reserved_final(s, &r);
		bool a = false, b = false;
		for (size_t k = 0; k < n; k++) {
			a |= r[k].base <= 0xbfedb000 && r[k].base + r[k].size >= 0xbfede000;
			b |= r[k].base <= 0x13fffa000 && r[k].base + r[k].size >= 0x13fffb000;
		}
		CHECK(a);
		CHECK(b);
		pgt_sim_free(s);
	}
}

static void golden_9_2_old_3_6_gbpages(void)
{
	pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, "3.6", 0, true);
	REQUIRE(s);
	static const char *const e[] = {
	    "initial memory mapped: [mem 0x00000000-0x1fffffff]",
	    "Using GB pages for direct mapping",
	    "init_memory_mapping: [mem 0x00000000-0xbfedffff]",
	    " [mem 0x00000000-0x7fffffff] page 1G",
	    " [mem 0x80000000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	    "kernel direct mapping tables up to 0xbfedffff @ [mem 0x1fbfd000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x100000000-0x13fffffff]",
	    " [mem 0x100000000-0x13fffffff] page 1G",
	    "kernel direct mapping tables up to 0x13fffffff @ [mem 0xbfedf000-0xbfedffff]",
	};
	EXPECT(s, e, "9.2 a-3.6 gbpages");
	const pgt_table *t = pgt_sim_tables(s);
	CHECK_U64(pgt_sim_table_count(s), 5); /* 3 static + PMD + PTE, call 2 uses none */
	CHECK_U64(t[3].pa, 0x1fbfd000);
	CHECK_U64(t[4].pa, 0x1fbfe000);
	/* GiB 0 keeps the 2M entries of level2_ident_pgt, GiB 1 is one 1G entry */
	pgt_translation tr = pgt_sim_translate(s, 0x12345000, SIZE_MAX);
	CHECK(tr.mapped);
	CHECK_U64(tr.leaf_level, PGT_PMD);
	tr = pgt_sim_translate(s, 0x52345000, SIZE_MAX);
	CHECK_U64(tr.leaf_level, PGT_PUD);
	tr = pgt_sim_translate(s, 0x120000000, SIZE_MAX);
	CHECK_U64(tr.leaf_level, PGT_PUD);
	pgt_sim_free(s);
}

static void golden_9_3_new_3_9(void)
{
	static const char *const e[] = {
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "init_memory_mapping: [mem 0x13fe00000-0x13fffffff]",
	    " [mem 0x13fe00000-0x13fffffff] page 2M",
	    "BRK [0x01f03000, 0x01f03fff] PGTABLE",
	    "init_memory_mapping: [mem 0x13c000000-0x13fdfffff]",
	    " [mem 0x13c000000-0x13fdfffff] page 2M",
	    "init_memory_mapping: [mem 0x100000000-0x13bffffff]",
	    " [mem 0x100000000-0x13bffffff] page 2M",
	    "init_memory_mapping: [mem 0x00100000-0xbfedffff]",
	    " [mem 0x00100000-0x001fffff] page 4k",
	    " [mem 0x00200000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	};
	/* P = 0x01f00000: the default BRK base right after the kernel image */
	pgt_sim *s = run("pc-4g", PGT_SCHEME_TOPDOWN, "3.9", 0, false);
	EXPECT(s, e, "9.3 b-3.9");
	const pgt_table *t = pgt_sim_tables(s);
	REQUIRE(pgt_sim_table_count(s) == 8);
	CHECK_U64(t[5].pa, 0x13ffff000);
	CHECK_U64(t[6].pa, 0x13fffe000);
	CHECK_U64(t[7].pa, 0x13fffd000);
	CHECK_U64(t[7].level, PGT_PTE);
	CHECK_U64(t[7].origin, PGT_ORIGIN_MEMBLOCK);
	/* step sequence 2M, 64M, 2G, 64G */
	uint64_t steps[8];
	size_t ns = 0;
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s) && ns < 8; i++)
		if (ev[i].kind == PGT_EV_STEP_SIZE)
			steps[ns++] = ev[i].a;
	REQUIRE(ns >= 4);
	CHECK_U64(steps[0], 0x200000);
	CHECK_U64(steps[1], 0x4000000);
	CHECK_U64(steps[2], 0x80000000);
	CHECK_U64(steps[3], 0x1000000000);
	pgt_sim_free(s);
}

static void golden_9_3_new_3_13_gbpages(void)
{
	static const char *const e[] = {
	    "Using GB pages for direct mapping",
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "init_memory_mapping: [mem 0x13fe00000-0x13fffffff]",
	    " [mem 0x13fe00000-0x13fffffff] page 1G",
	    "init_memory_mapping: [mem 0x13c000000-0x13fdfffff]",
	    " [mem 0x13c000000-0x13fdfffff] page 1G",
	    "init_memory_mapping: [mem 0x100000000-0x13bffffff]",
	    " [mem 0x100000000-0x13bffffff] page 1G",
	    "init_memory_mapping: [mem 0x00100000-0xbfedffff]",
	    " [mem 0x00100000-0x001fffff] page 4k",
	    " [mem 0x00200000-0x3fffffff] page 2M",
	    " [mem 0x40000000-0x7fffffff] page 1G",
	    " [mem 0x80000000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	};
	pgt_sim *s = run("pc-4g", PGT_SCHEME_TOPDOWN, "3.13", 0, true);
	EXPECT(s, e, "9.3 b-3.13 gb");
	const pgt_table *t = pgt_sim_tables(s);
	REQUIRE(pgt_sim_table_count(s) == 6);
	CHECK_U64(t[4].pa, 0x13ffff000);
	CHECK_U64(t[5].pa, 0x13fffe000);
	pgt_sim_free(s);
}

static void golden_9_3_new_3_19_and_4_4(void)
{
	static const char *const e[] = {
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "init_memory_mapping: [mem 0x13fe00000-0x13fffffff]",
	    " [mem 0x13fe00000-0x13fffffff] page 2M",
	    "BRK [0x01f03000, 0x01f03fff] PGTABLE",
	    "init_memory_mapping: [mem 0x120000000-0x13fdfffff]",
	    " [mem 0x120000000-0x13fdfffff] page 2M",
	    "init_memory_mapping: [mem 0x00100000-0xbfedffff]",
	    " [mem 0x00100000-0x001fffff] page 4k",
	    " [mem 0x00200000-0xbfdfffff] page 2M",
	    " [mem 0xbfe00000-0xbfedffff] page 4k",
	    "init_memory_mapping: [mem 0x100000000-0x11fffffff]",
	    " [mem 0x100000000-0x11fffffff] page 2M",
	};
	pgt_sim *s = run("pc-4g", PGT_SCHEME_TOPDOWN, "3.19", 0, false);
	EXPECT(s, e, "9.3 b-3.19");
	pgt_sim_free(s);
	/* 4.4: the same run, but only the BRK lines are printed by default */
	static const char *const e44[] = {
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "BRK [0x01f03000, 0x01f03fff] PGTABLE",
	};
	s = run("pc-4g", PGT_SCHEME_TOPDOWN, "4.4", 0, false);
	EXPECT(s, e44, "4.4");
	pgt_sim_free(s);
	/* 5.8: nothing at all */
	s = run("pc-4g", PGT_SCHEME_TOPDOWN, "5.8", 0, false);
	REQUIRE(s);
	size_t shown = 0;
	for (size_t i = 0; i < pgt_sim_log_count(s); i++)
		shown += pgt_sim_log(s, i)->shown;
	CHECK_U64(shown, 0);
	CHECK_U64(pgt_sim_state_at(s, SIZE_MAX).tables_origin[PGT_ORIGIN_BRK], 4);
	pgt_sim_free(s);
}

static void golden_9_4_qemu_old(void)
{
	static const char *const e34[] = {
	    "initial memory mapped : 0 - 20000000",
	    "init_memory_mapping: 0000000000000000-000000003fffe000",
	    " 0000000000 - 003fe00000 page 2M",
	    " 003fe00000 - 003fffe000 page 4k",
	    "kernel direct mapping tables up to 3fffe000 @ 1fffd000-20000000",
	};
	pgt_sim *s = run("qemu-1g", PGT_SCHEME_PGTBUF, "3.4", 0, false);
	EXPECT(s, e34, "9.4 3.4");
	/* one PTE page used, level2_ident_pgt entry 511 cleared then refilled */
	CHECK_U64(pgt_sim_state_at(s, SIZE_MAX).tables_origin[PGT_ORIGIN_PGTBUF], 1);
	pgt_translation tr = pgt_sim_translate(s, 0x3fffd000, SIZE_MAX);
	CHECK(tr.mapped);
	CHECK_U64(tr.leaf_level, PGT_PTE);
	tr = pgt_sim_translate(s, 0x3fffe000, SIZE_MAX);
	CHECK(!tr.mapped);
	pgt_sim_free(s);

	static const char *const e36[] = {
	    "initial memory mapped: [mem 0x00000000-0x1fffffff]",
	    "init_memory_mapping: [mem 0x00000000-0x3fffdfff]",
	    " [mem 0x00000000-0x3fdfffff] page 2M",
	    " [mem 0x3fe00000-0x3fffdfff] page 4k",
	    "kernel direct mapping tables up to 0x3fffdfff @ [mem 0x1fdfe000-0x1fffffff]",
	};
	s = run("qemu-1g", PGT_SCHEME_PGTBUF, "3.6", 0, false);
	EXPECT(s, e36, "9.4 3.6");
	pgt_sim_free(s);

	s = run("qemu-1g", PGT_SCHEME_PGTBUF, "3.8", 0, false);
	REQUIRE(s);
	CHECK_STR(pgt_sim_log(s, 4)->text,
	          "kernel direct mapping tables up to 0x3fffdfff @ [mem 0x1fffd000-0x1fffffff]");
	pgt_sim_free(s);
	s = run("qemu-1g", PGT_SCHEME_PGTBUF, "3.0", 0, false);
	REQUIRE(s);
	CHECK_STR(pgt_sim_log(s, 4)->text,
	          "kernel direct mapping tables up to 3fffe000 @ 3fffb000-3fffe000");
	pgt_sim_free(s);
}

static void golden_9_4_qemu_new(void)
{
	static const char *const e39[] = {
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "init_memory_mapping: [mem 0x3fc00000-0x3fdfffff]",
	    " [mem 0x3fc00000-0x3fdfffff] page 2M",
	    "init_memory_mapping: [mem 0x3c000000-0x3fbfffff]",
	    " [mem 0x3c000000-0x3fbfffff] page 2M",
	    "init_memory_mapping: [mem 0x00100000-0x3bffffff]",
	    " [mem 0x00100000-0x001fffff] page 4k",
	    " [mem 0x00200000-0x3bffffff] page 2M",
	    "init_memory_mapping: [mem 0x3fe00000-0x3fffdfff]",
	    " [mem 0x3fe00000-0x3fffdfff] page 4k",
	    "BRK [0x01f03000, 0x01f03fff] PGTABLE",
	};
	pgt_sim *s = run("qemu-1g", PGT_SCHEME_TOPDOWN, "3.9", 0, false);
	EXPECT(s, e39, "9.4 new 3.9");
	CHECK_U64(pgt_sim_state_at(s, SIZE_MAX).tables_origin[PGT_ORIGIN_MEMBLOCK], 0);
	pgt_sim_free(s);

	static const char *const e319[] = {
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "BRK [0x01f00000, 0x01f00fff] PGTABLE",
	    "BRK [0x01f01000, 0x01f01fff] PGTABLE",
	    "BRK [0x01f02000, 0x01f02fff] PGTABLE",
	    "init_memory_mapping: [mem 0x3fc00000-0x3fdfffff]",
	    " [mem 0x3fc00000-0x3fdfffff] page 2M",
	    "init_memory_mapping: [mem 0x20000000-0x3fbfffff]",
	    " [mem 0x20000000-0x3fbfffff] page 2M",
	    "init_memory_mapping: [mem 0x00100000-0x1fffffff]",
	    " [mem 0x00100000-0x001fffff] page 4k",
	    " [mem 0x00200000-0x1fffffff] page 2M",
	    "init_memory_mapping: [mem 0x3fe00000-0x3fffdfff]",
	    " [mem 0x3fe00000-0x3fffdfff] page 4k",
	    "BRK [0x01f03000, 0x01f03fff] PGTABLE",
	};
	s = run("qemu-1g", PGT_SCHEME_TOPDOWN, "3.19", 0, false);
	EXPECT(s, e319, "9.4 new 3.19");
	pgt_sim_free(s);

	/* initrd at the top: real_end 0x3f600000 and a final tail call */
	s = run("qemu-1g-initrd", PGT_SCHEME_TOPDOWN, "3.9", 0, false);
	REQUIRE(s);
	size_t n = pgt_sim_log_count(s);
	REQUIRE(n >= 4);
	CHECK_STR(pgt_sim_log(s, 5)->text, "init_memory_mapping: [mem 0x3f400000-0x3f5fffff]");
	CHECK_STR(pgt_sim_log(s, n - 4)->text, "init_memory_mapping: [mem 0x3f600000-0x3fffdfff]");
	CHECK_STR(pgt_sim_log(s, n - 3)->text, " [mem 0x3f600000-0x3fdfffff] page 2M");
	CHECK_STR(pgt_sim_log(s, n - 2)->text, " [mem 0x3fe00000-0x3fffdfff] page 4k");
	CHECK_STR(pgt_sim_log(s, n - 1)->text, "BRK [0x01f03000, 0x01f03fff] PGTABLE");
	pgt_sim_free(s);
}

/* ---- e820 sanitizing ------------------------------------------------------------ */

/* Overlapping BIOS entries are resolved like sanitize_e820_map (the larger
 * type number wins), and the run says so with a NOTE event. */
static void overlapping_e820_is_sanitized_and_said(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0x100000, 0x40000000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000, 0x200000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0x3ff00000, 0x40100000, PGT_E820_ACPI);
	sc.cpu.pse = true;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	const pgt_e820_entry *e;
	size_t n = pgt_sim_e820(s, &e);
	/* [0x1000,0x9fc00) RAM (first page reserved by 3.9), [1M,2M) reserved,
	 * [2M, 0x3ff00000) RAM, [0x3ff00000, 0x40100000) ACPI */
	bool reserved = false, acpi = false;
	for (size_t i = 0; i < n; i++) {
		reserved |= e[i].start == 0x100000 && e[i].end == 0x200000 && e[i].type == 2;
		acpi |= e[i].start == 0x3ff00000 && e[i].end == 0x40100000 && e[i].type == 3;
		if (i)
			CHECK(e[i].start >= e[i - 1].end);
	}
	CHECK(reserved);
	CHECK(acpi);
	const pgt_event *ev = pgt_sim_events(s);
	bool said = false;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		said |= ev[i].kind == PGT_EV_NOTE && ev[i].aux == PGT_NOTE_E820_SANITIZED &&
		        ev[i].a == 2;
	CHECK(said);
	/* the reserved MiB is not mapped by the 3.9 scheme, the RAM around it is */
	CHECK(!pgt_sim_translate(s, 0x180000, SIZE_MAX).mapped);
	CHECK(pgt_sim_translate(s, 0x280000, SIZE_MAX).mapped);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* ---- EFI boot services ------------------------------------------------------------ */

/* The first call's "kernel direct mapping tables" line of a run. */
static const char *tables_line(const pgt_scenario *sc, const char *kver)
{
	static char buf[160];
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = pgt_kver_parse(kver);
	pgt_sim *s = pgt_sim_run(sc, &o);
	snprintf(buf, sizeof(buf), "(none)");
	for (size_t i = 0; s && i < pgt_sim_log_count(s); i++)
		if (strncmp(pgt_sim_log(s, i)->text, "kernel direct mapping", 21) == 0) {
			snprintf(buf, sizeof(buf), "%s", pgt_sim_log(s, i)->text);
			break;
		}
	pgt_sim_free(s);
	return buf;
}

/* 3.0 puts the first call's buffer (3 pages for 2 GiB in 2 MiB pages) at the
 * top of [0, end); efi_reserve_boot_services has reserved the boot-services
 * data there, so the buffer lands below it -- unless the kernel's checks
 * skip the region (not RAM, already reserved) or the kernel predates the
 * reservation (2.6.38). */
static void efi_boot_services_push_the_buffer_down(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000, 0x80000000, PGT_E820_RAM);
	sc.cpu.pse = true;
	CHECK_STR(tables_line(&sc, "3.0.4"), "kernel direct mapping tables up to 80000000 @ "
	                                     "7fffd000-80000000");
	pgt_scenario_add_resv(&sc, 0x7fc00000, 0x80000000, PGT_RESV_EFI_BOOT, "EFI boot data");
	CHECK_STR(tables_line(&sc, "3.0.4"), "kernel direct mapping tables up to 80000000 @ "
	                                     "7fbfd000-7fc00000");
	CHECK_STR(tables_line(&sc, "2.6.38"), "kernel direct mapping tables up to 80000000 @ "
	                                      "1fffd000-20000000");
	/* overlapping an initrd: skipped whole, the buffer goes below the initrd */
	pgt_scenario_add_resv(&sc, 0x7fe00000, 0x7ff00000, PGT_RESV_INITRD, "RAMDISK");
	CHECK_STR(tables_line(&sc, "3.0.4"), "kernel direct mapping tables up to 80000000 @ "
	                                     "7fffd000-80000000");
	pgt_scenario_clear(&sc);
	/* not wholly RAM in e820: skipped */
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000, 0x7fd00000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x7fd00000, 0x80000000, PGT_E820_RESERVED);
	sc.cpu.pse = true;
	pgt_scenario_add_resv(&sc, 0x7fc00000, 0x7fe00000, PGT_RESV_EFI_BOOT, "EFI boot data");
	CHECK_STR(tables_line(&sc, "3.0.4"), "kernel direct mapping tables up to 7fd00000 @ "
	                                     "7fcfc000-7fd00000");
	pgt_scenario_clear(&sc);
}

/* i386 fixmap pages of the old scheme's buffer: 2.6.29 always rounds the
 * early-ioremap slots up to a multiple of 256 (2 pages of 8-byte entries
 * with PAE), 3.x only when they would cross a page table (one page for the
 * default 230 permanent slots, two for 278). */
static void i386_fixmap_pages_follow_the_version(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000, 0x10000000, PGT_E820_RAM);
	sc.bits = 32;
	sc.pae = true;
	/* 4k only: 1 PUD page, 1 PMD page, 128 PTE pages, then 2, 1 and 2 fixmap
	 * pages (132, 131, 132 pages) */
	CHECK_STR(tables_line(&sc, "2.6.29"), "kernel direct mapping tables up to 10000000 @ "
	                                      "7000-8b000");
	CHECK_STR(tables_line(&sc, "3.4"), "kernel direct mapping tables up to 10000000 @ "
	                                   "1f7d000-2000000");
	sc.fixmap_size = 0x116000;
	CHECK_STR(tables_line(&sc, "3.4"), "kernel direct mapping tables up to 10000000 @ "
	                                   "1f7c000-2000000");
	sc.pae = false; /* 4-byte entries: 1 + 1 + 64 PTE pages and 513 slots in one page */
	CHECK_STR(tables_line(&sc, "2.6.29"), "kernel direct mapping tables up to 10000000 @ "
	                                      "7000-4a000");
	pgt_scenario_clear(&sc);
}

/* ---- bottom-up and chunk-end --------------------------------------------------- */

/* 3.13 movable_node: chunks go upwards from the kernel's end, and once BRK is
 * used up the tables come bottom-up from just above the kernel. */
static void bottom_up_allocates_above_the_kernel(void)
{
	pgt_sim *s = run("pc-4g", PGT_SCHEME_BOTTOMUP, "3.13", 0, false);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	/* the first call after the ISA range starts at the kernel's end */
	const pgt_event *ev = pgt_sim_events(s);
	size_t calls = 0;
	uint64_t second = 0;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_CALL_BEGIN && ++calls == 2)
			second = ev[i].a;
	const pgt_region *r;
	pgt_sim_memblock_reserved_initial(s, &r);
	CHECK_U64(second, 0x1f10000); /* _end: the kernel image plus its BRK */
	const pgt_table *t = pgt_sim_tables(s);
	size_t from_memblock = 0;
	for (size_t i = 0; i < pgt_sim_table_count(s); i++) {
		if (t[i].origin != PGT_ORIGIN_MEMBLOCK)
			continue;
		from_memblock++;
		CHECK(t[i].pa >= 0x1f10000 && t[i].pa < 0x2000000);
	}
	CHECK(from_memblock >= 1);
	pgt_sim_free(s);
}

/* hpa's proposal on the mail's example (4k pages): PTE_A near the start of
 * the region, then every next PTE page in the last page of the 2 MiB chunk
 * mapped just before it. */
static void chunk_end_puts_each_table_at_the_end_of_the_previous_chunk(void)
{
	pgt_scenario sc;
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("qemu-1g"), &sc));
	sc.cpu.debug_pagealloc = true;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_CHUNKEND);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	const pgt_table *t = pgt_sim_tables(s);
	const pgt_region *res;
	size_t nres = pgt_sim_memblock_reserved_initial(s, &res);
	size_t ptes = 0, at_end = 0, checked = 0;
	for (size_t i = 0; i < pgt_sim_table_count(s); i++) {
		if (t[i].origin != PGT_ORIGIN_CHUNK || t[i].level != PGT_PTE)
			continue;
		if (ptes++ == 0) {
			/* PTE_A: the first free page of the region */
			CHECK_U64(t[i].pa, 0x10000);
			continue;
		}
		uint64_t want = t[i].va_base - 0x1000; /* last page of the previous chunk */
		bool free_then = true;
		for (size_t k = 0; k < nres; k++)
			if (want >= res[k].base && want < res[k].base + res[k].size)
				free_then = false;
		if (!free_then)
			continue; /* the kernel image: taken from elsewhere */
		checked++;
		at_end += t[i].pa == want;
	}
	CHECK_U64(ptes, 512);
	CHECK(checked > 400);
	CHECK_U64(at_end, checked);
	/* every table page was mapped before it went live */
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_table_count(s); i++) {
		if (t[i].origin != PGT_ORIGIN_CHUNK || t[i].hook_event == UINT32_MAX || i < 4)
			continue;
		bool mapped = false;
		for (size_t e = 0; e < t[i].hook_event && !mapped; e++)
			mapped =
			    ev[e].kind == PGT_EV_MAP && ev[e].a <= t[i].pa && t[i].pa < ev[e].b;
		if (!mapped)
			fprintf(stderr, "table %zu @%#llx not mapped before use\n", i,
			        (unsigned long long)t[i].pa);
		CHECK(mapped);
	}
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* ---- i386 ------------------------------------------------------------------ */

/* The i386 ptdump has its own layout (8-digit addresses from PAGE_OFFSET
 * 0xc0000000; PAE: 2 MiB pages are "pmd"; non-PAE: 4 MiB pages are "pgd",
 * no NX bit), and a dump at every step of the run (ptdump --step N) walks
 * only the tables that exist then. */
static void ptdump_i386_checks(const pgt_scenario *sc, const pgt_run_opts *o, pgt_sim *s,
                               const char *const *want)
{
	REQUIRE(s);
	char *d = pgt_sim_ptdump(s, SIZE_MAX);
	REQUIRE(d);
	CHECK(strstr(d, "---[ Kernel Mapping ]---\n") == d);
	CHECK(strstr(d, "0xffff88") == NULL);
	for (size_t i = 0; want[i]; i++)
		if (!strstr(d, want[i])) {
			fprintf(stderr, "  missing ptdump line: %s", want[i]);
			CHECK(0);
		}
	free(d);
	size_t n = pgt_sim_event_count(s);
	for (size_t k = 0; k < n; k++) {
		pgt_run_opts ok = *o;
		ok.max_events = (uint64_t)k + 1;
		pgt_sim *c = pgt_sim_run(sc, &ok);
		REQUIRE(c);
		char *dc = pgt_sim_ptdump(c, SIZE_MAX);
		CHECK(dc && strstr(dc, "---[ Kernel Mapping ]---\n") == dc);
		free(dc);
		pgt_sim_free(c);
	}
}

static const char *const pae_dump[] = {
    "0xc0000000-0xc0200000           2M     RW                 GLB NX pte\n",
    "0xc0200000-0xf7a00000         888M     RW         PSE     GLB NX pmd\n",
    "0xf7a00000-0xf7bfe000        2040K     RW                 GLB NX pte\n",
    "0xf7bfe000-0xf7c00000           8K                               pte\n", NULL};
static const char *const nonpae_dump[] = {
    "0xc0000000-0xc0400000           4M     RW                 GLB x  pte\n",
    "0xc0400000-0xcfc00000         248M     RW         PSE     GLB x  pgd\n",
    "0xcfc00000-0xcfffe000        4088K     RW                 GLB x  pte\n", NULL};

/* Real logs 010/011: an i386 PAE 3.7 kernel with 3 GiB of RAM maps
 * lowmem [0, 0x37bfe000): 4k head [0, 2M), 2M body, 4k tail, and sizes its
 * buffer to 6 pages (1 PUD + 1 PMD + 3 PTE pages for 1534 entries + 1 fixmap
 * page) below the 32 MiB boot mapping. */
static void golden_i386_pae_3_7(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x9f000, 0xa0000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0x100000, 0xbf65c800, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0xbf65c800, 0xc0000000, PGT_E820_RESERVED);
	sc.cpu.pse = true;
	sc.bits = 32;
	sc.pae = true;
	sc.highmem = true;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = PGT_KVER(3, 7, 2);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	static const char *const e[] = {
	    "initial memory mapped: [mem 0x00000000-0x01ffffff]",
	    "init_memory_mapping: [mem 0x00000000-0x37bfdfff]",
	    " [mem 0x00000000-0x001fffff] page 4k",
	    " [mem 0x00200000-0x379fffff] page 2M",
	    " [mem 0x37a00000-0x37bfdfff] page 4k",
	    "kernel direct mapping tables up to 0x37bfdfff @ [mem 0x01ffa000-0x01ffffff]",
	};
	EXPECT(s, e, "i386 PAE 3.7");
	ptdump_i386_checks(&sc, &o, s, pae_dump);
	/* the head reuses head_32.S's page table; only the tail needs one */
	CHECK_U64(pgt_sim_state_at(s, SIZE_MAX).tables_origin[PGT_ORIGIN_PGTBUF], 1);
	/* head_32.S's boot-time map (32 MiB, "initial memory mapped") is the
	 * boot-time share at the first call; the 2 MiB range overwrites all of
	 * it but the first 2 MiB, whose 4k head keeps its PTE page; the calls
	 * map the rest of lowmem (0x37bfe000, HighMem above). */
	pgt_state fin = pgt_sim_state_at(s, SIZE_MAX);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (pgt_sim_event(s, i).kind == PGT_EV_CALL_BEGIN) {
			CHECK_U64(pgt_sim_state_at(s, i - 1).boot_bytes, 32ull << 20);
			break;
		}
	CHECK_U64(fin.boot_bytes, 2ull << 20);
	CHECK_U64(fin.mapped_bytes - fin.boot_bytes, 0x37bfe000ull - (2ull << 20));
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* i386 non-PAE 3.10 (log 016's machine, 256 MiB, initrd at the top): 4 MiB
 * steps from real_end 0x0e400000, and the pkmap table after the mapping. */
static void golden_i386_nonpae_3_10(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x9fc00, 0xa0000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0xf0000, 0x100000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0x100000, 0xfffe000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0xfffe000, 0x10000000, PGT_E820_RESERVED);
	pgt_scenario_add_resv(&sc, 0x0e73f000, 0x0fff0000, PGT_RESV_INITRD, "initrd");
	sc.cpu.pse = true;
	sc.bits = 32;
	sc.highmem = true;
	sc.brk_base = 0x1e7a000;
	sc.initial_mapped = 0x2400000;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	o.kver = PGT_KVER(3, 10, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	static const char *const e[] = {
	    "initial memory mapped: [mem 0x00000000-0x023fffff]",
	    "init_memory_mapping: [mem 0x00000000-0x000fffff]",
	    " [mem 0x00000000-0x000fffff] page 4k",
	    "init_memory_mapping: [mem 0x0e000000-0x0e3fffff]",
	    " [mem 0x0e000000-0x0e3fffff] page 2M",
	    "init_memory_mapping: [mem 0x08000000-0x0dffffff]",
	    " [mem 0x08000000-0x0dffffff] page 2M",
	    "init_memory_mapping: [mem 0x00100000-0x07ffffff]",
	    " [mem 0x00100000-0x003fffff] page 4k",
	    " [mem 0x00400000-0x07ffffff] page 2M",
	    "init_memory_mapping: [mem 0x0e400000-0x0fffdfff]",
	    " [mem 0x0e400000-0x0fbfffff] page 2M",
	    " [mem 0x0fc00000-0x0fffdfff] page 4k",
	    "BRK [0x01e7a000, 0x01e7afff] PGTABLE",
	    "BRK [0x01e7b000, 0x01e7bfff] PGTABLE",
	};
	EXPECT(s, e, "i386 3.10");
	ptdump_i386_checks(&sc, &o, s, nonpae_dump);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* ---- ptdump ------------------------------------------------------------------ */

/* qemu-1g under 3.8: level2_ident_pgt keeps its executable 2 MiB entries up to
 * 0x3fe00000, the tail is 4k (NX), the last 8 KiB and the rest unmapped. */
static void ptdump_merges_ranges_like_the_kernel(void)
{
	pgt_sim *s = run("qemu-1g", PGT_SCHEME_PGTBUF, "3.8", 0, false);
	REQUIRE(s);
	char *d = pgt_sim_ptdump(s, SIZE_MAX);
	REQUIRE(d);
	CHECK(strstr(d, "---[ Low Kernel Mapping ]---\n") == d);
	CHECK(strstr(d, "0xffff880000000000-0xffff88003fe00000        1022M     RW         PSE     "
	                "GLB x  pmd\n") != NULL);
	CHECK(strstr(d, "0xffff88003fe00000-0xffff88003fffe000        2040K     RW                 "
	                "GLB NX pte\n") != NULL);
	CHECK(strstr(d,
	             "0xffff88003fffe000-0xffff880040000000           8K                         "
	             "      pte\n") != NULL);
	CHECK(strstr(d,
	             "0xffff880040000000-0xffff888000000000         511G                         "
	             "      pud\n") != NULL);
	free(d);
	pgt_sim_free(s);
}

/* The direct map starts at pgd[272] (0xffff880000000000) before 4.20 and at
 * pgd[273] (0xffff888000000000) from 4.20: the whole dump, the root's entry
 * dump and the trace's hook of the first PUD page name the same place. */
static void direct_map_base_follows_the_version(void)
{
	const char *const vers[] = {"3.8", "3.9", "4.19", "4.20", "6.1"};
	for (size_t v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
		int scheme = pgt_scheme_for_kver(pgt_kver_parse(vers[v]));
		pgt_sim *s = run("qemu-1g", scheme, vers[v], 0, false);
		REQUIRE(s);
		uint64_t off = pgt_sim_page_offset(s);
		CHECK_U64(off, pgt_kver_parse(vers[v]) >= PGT_KVER(4, 20, 0)
		                   ? 0xffff888000000000ull
		                   : 0xffff880000000000ull);
		unsigned slot = (unsigned)((off >> 39) & 511);
		char want[96], *d = pgt_sim_ptdump(s, SIZE_MAX);
		REQUIRE(d);
		snprintf(want, sizeof(want), "---[ Low Kernel Mapping ]---\n%#llx-",
		         (unsigned long long)off);
		CHECK(strstr(d, want) == d);
		free(d);
		pgt_entry e[512];
		size_t n = pgt_sim_table_entries(s, 0, e, 512);
		REQUIRE(pgt_sim_table(s, 0).level == PGT_PGD && n == 128);
		CHECK_U64(e[0].index, slot);
		CHECK_U64(e[0].va, off);
		CHECK(e[0].kind == PGT_ENT_TABLE);
		/* the trace's hook line of the PUD that entry points to */
		char buf[600], hook[64];
		snprintf(hook, sizeof(hook), "into #0[%u]", slot);
		bool found = false;
		for (size_t i = 0; i < pgt_sim_event_count(s) && !found; i++) {
			pgt_event ev = pgt_sim_event(s, i);
			if (ev.kind == PGT_EV_HOOK && ev.table == e[0].table)
				found = strstr(pgt_sim_event_text(s, i, buf, sizeof(buf)), hook) !=
				        NULL;
		}
		if (pgt_sim_table(s, e[0].table).origin != PGT_ORIGIN_STATIC)
			CHECK(found);
		d = pgt_sim_table_dump(s, 0, SIZE_MAX);
		REQUIRE(d);
		snprintf(want, sizeof(want), "entries %u-%u of 512 ", slot, slot + 127);
		CHECK(strstr(d, want) != NULL);
		free(d);
		pgt_sim_free(s);
	}
}

/* A measured direct-map base (memory KASLR, 4.8+) is what the dumps print:
 * 0xffff8c7f80000000 puts physical 0 in entry 510 of PGD slot 280's PUD
 * page, so [2 GiB, 3 GiB) and [4 GiB, 5 GiB) of pc-4g are entries 0 and 2
 * of slot 281's PUD page -- in ptdump, ptdump --table, the trace's hooks
 * and the inspector's entries alike.  A 3.8 run has no memory KASLR. */
static void direct_map_base_measured_is_printed(void)
{
	const uint64_t base = 0xffff8c7f80000000ull, slot = 0xffff8c0000000000ull;
	pgt_scenario sc;
	int bi = pgt_builtin_find("pc-4g");
	REQUIRE(bi >= 0 && pgt_builtin_load((size_t)bi, &sc));
	sc.direct_map_base = base;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	o.kver = pgt_kver_parse("6.1");
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	CHECK_U64(pgt_sim_page_offset(s), base);
	char *d = pgt_sim_ptdump(s, SIZE_MAX);
	REQUIRE(d);
	CHECK(strstr(d, "---[ Low Kernel Mapping ]---\n0xffff8c7f80000000-") == d);
	/* 4 GiB of pc-4g's RAM above the hole: base + 4 GiB */
	CHECK(strstr(d, "0xffff8c8080000000-0xffff8c80c0000000           1G     RW") != NULL);
	free(d);
	pgt_entry e[512];
	REQUIRE(pgt_sim_table_entries(s, 0, e, 512) == 128);
	CHECK_U64(e[0].index, 280);
	CHECK_U64(e[0].va, slot);
	CHECK_U64(e[1].index, 281);
	CHECK_U64(e[1].va, slot + (1ull << 39));
	REQUIRE(e[0].kind == PGT_ENT_TABLE && e[1].kind == PGT_ENT_TABLE);
	uint32_t pud0 = e[0].table, pud1 = e[1].table;
	REQUIRE(pgt_sim_table_entries(s, pud0, e, 512) == 512);
	for (unsigned j = 0; j < 510; j++)
		CHECK(e[j].kind == PGT_ENT_NONE);
	CHECK_U64(e[510].index, 510);
	CHECK_U64(e[510].va, base);
	CHECK_U64(e[510].va_base, 0);
	CHECK(e[510].kind == PGT_ENT_TABLE && e[511].kind == PGT_ENT_TABLE);
	uint32_t pmd0 = e[510].table;
	REQUIRE(pgt_sim_table_entries(s, pud1, e, 512) == 512);
	CHECK(e[0].kind == PGT_ENT_TABLE && e[1].kind == PGT_ENT_NONE &&
	      e[2].kind == PGT_ENT_TABLE);
	CHECK_U64(e[0].va, base + (2ull << 30));
	CHECK_U64(e[2].va_base, 4ull << 30);
	uint32_t pmd4g = e[2].table;
	/* the PMD page of physical 0 maps from the base, entry 0 first */
	REQUIRE(pgt_sim_table_entries(s, pmd0, e, 512) == 512);
	CHECK_U64(e[0].index, 0);
	CHECK_U64(e[0].va, base);
	/* the trace hooks each page where the dumps show it */
	char line[600], want[3][64];
	snprintf(want[0], sizeof(want[0]), "into #0[281]");
	snprintf(want[1], sizeof(want[1]), "hook PMD #%u @", pmd4g);
	snprintf(want[2], sizeof(want[2]), "into #%u[2]", pud1);
	bool slot281 = false, pmd_in_281 = false;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
		pgt_event ev = pgt_sim_event(s, i);
		if (ev.kind != PGT_EV_HOOK)
			continue;
		pgt_sim_event_text(s, i, line, sizeof(line));
		slot281 |= ev.table == pud1 && strstr(line, want[0]) != NULL;
		pmd_in_281 |= strstr(line, want[1]) && strstr(line, want[2]);
	}
	CHECK(slot281);
	CHECK(pmd_in_281);
	pgt_sim_free(s);
	/* 3.8 had no memory KASLR: the base is not its */
	o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = pgt_kver_parse("3.8");
	s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	CHECK_U64(pgt_sim_page_offset(s), 0xffff880000000000ull);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* ---- number formatting ------------------------------------------------------ */

static void kernel_hash010_keeps_prefix_for_zero(void)
{
	char b[24];
	CHECK_STR(pgt_kfmt_hash010(0, b, sizeof(b)), "0x00000000");
	CHECK_STR(pgt_kfmt_hash010(0xfffff, b, sizeof(b)), "0x000fffff");
	CHECK_STR(pgt_kfmt_hash010(0x100000000ULL, b, sizeof(b)), "0x100000000");
}

static void kver_parse_forms(void)
{
	CHECK_U64(pgt_kver_parse("3.8.0-31-generic"), PGT_KVER(3, 8, 0));
	CHECK_U64(pgt_kver_parse("2.6.39.3"), PGT_KVER(2, 6, 39));
	CHECK_U64(pgt_kver_parse("3.9"), PGT_KVER(3, 9, 0));
	CHECK_U64(pgt_kver_parse("5.16.1-20220118"), PGT_KVER(5, 16, 1));
	CHECK_U64(pgt_kver_parse("banana"), 0);
	char b[16];
	CHECK_STR(pgt_kver_format(PGT_KVER(2, 6, 39), b, sizeof(b)), "2.6.39");
	CHECK_STR(pgt_kver_format(PGT_KVER(3, 9, 0), b, sizeof(b)), "3.9");
}

/* ---- trace wording ---------------------------------------------------------- */

/* Counts hook events whose text ends in `suffix`. */
static size_t hooks_ending(pgt_sim *s, const char *suffix)
{
	size_t n = 0, ls = strlen(suffix);
	char buf[256];
	for (size_t i = 0; s && i < pgt_sim_event_count(s); i++) {
		pgt_sim_event_text(s, i, buf, sizeof(buf));
		size_t lb = strlen(buf);
		if (!strncmp(buf, "hook ", 5) && lb >= ls && !strcmp(buf + lb - ls, suffix))
			n++;
	}
	return n;
}

/* A link into a reachable parent is "live" only where the CPU runs on that
 * root: up to 3.8 (init_level4_pgt from head_64.S on) and under Xen; on
 * native 3.9+ the root is loaded by load_cr3() only after the mapping. */
static void trace_says_live_only_where_the_root_is_loaded(void)
{
	pgt_sim *old = run("pc-4g", PGT_SCHEME_PGTBUF, "3.8", 0, false);
	pgt_sim *neu = run("pc-4g", PGT_SCHEME_TOPDOWN, "3.9", 0, false);
	REQUIRE(old != NULL && neu != NULL);
	CHECK(hooks_ending(old, " (live)") > 0);
	CHECK_U64(hooks_ending(old, " (reachable from the root)"), 0);
	CHECK(hooks_ending(neu, " (reachable from the root)") > 0);
	CHECK_U64(hooks_ending(neu, " (live)"), 0);
	pgt_sim_free(old);
	pgt_sim_free(neu);
}

/* ---- the boot-time map ------------------------------------------------------ */

/* The first event of the first init_memory_mapping call. */
static size_t first_call(const pgt_sim *s)
{
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (pgt_sim_event(s, i).kind == PGT_EV_CALL_BEGIN)
			return i;
	return SIZE_MAX;
}

/* At every event: the boot-time share is part of what is mapped, and it
 * never grows once the calls have begun. */
static void boot_bytes_only_shrink(const pgt_sim *s)
{
	size_t c = first_call(s);
	REQUIRE(c != SIZE_MAX && c > 0);
	uint64_t prev = pgt_sim_state_at(s, c - 1).boot_bytes;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
		pgt_state st = pgt_sim_state_at(s, i);
		CHECK(st.boot_bytes <= st.mapped_bytes);
		if (i >= c) {
			CHECK(st.boot_bytes <= prev);
			prev = st.boot_bytes;
		}
	}
}

/* pgt_state.boot_bytes: what the boot-time map (the entries written before
 * the first call) still maps; mapped_bytes - boot_bytes is the calls' own.
 * The expected values come from the kernel's code (docs/kernel-model.md,
 * "The boot-time map"), not from a run. */
static void boot_time_map_is_counted_apart(void)
{
	/* 3.8 x86-64 on pc-4g: head_64.S's level2_ident_pgt maps the first GiB
	 * with 512 entries of 2 MiB; the 2 MiB ranges keep them (a present
	 * large entry is kept), so the calls map the rest of RAM below 4 GiB
	 * and the GiB above it. */
	pgt_sim *s = run("pc-4g", PGT_SCHEME_PGTBUF, "3.8", 0, false);
	REQUIRE(s);
	size_t c = first_call(s);
	REQUIRE(c != SIZE_MAX && c > 0);
	pgt_state st = pgt_sim_state_at(s, c - 1);
	CHECK_U64(st.boot_bytes, 512ull << 21);
	CHECK_U64(st.mapped_bytes, 512ull << 21);
	pgt_state fin = pgt_sim_state_at(s, SIZE_MAX);
	CHECK_U64(fin.boot_bytes, 1ull << 30);
	CHECK_U64(fin.mapped_bytes - fin.boot_bytes, (0xbfee0000ull - (1ull << 30)) + (1ull << 30));
	CHECK_U64(fin.map_shift, 21); /* [4 GiB, 5 GiB) with 2 MiB pages, last */
	boot_bytes_only_shrink(s);
	pgt_sim_free(s);

	/* The same machine without PSE: 4 KiB pages everywhere, so the calls
	 * split every one of head_64.S's entries and the boot-time share ends
	 * at 0; the calls map all RAM below 0xbfee0000 and above 4 GiB. */
	pgt_scenario sc;
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	sc.cpu.pse = false;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = PGT_KVER(3, 8, 0);
	s = pgt_sim_run(&sc, &o);
	pgt_scenario_clear(&sc);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	c = first_call(s);
	REQUIRE(c != SIZE_MAX && c > 0);
	CHECK_U64(pgt_sim_state_at(s, c - 1).boot_bytes, 1ull << 30);
	fin = pgt_sim_state_at(s, SIZE_MAX);
	CHECK_U64(fin.boot_bytes, 0);
	CHECK_U64(fin.mapped_bytes, 0xbfee0000ull + (1ull << 30));
	CHECK_U64(fin.map_shift, 12);
	boot_bytes_only_shrink(s);
	pgt_sim_free(s);

	/* 3.9+: init_level4_pgt starts empty (the early #PF tables are not
	 * the direct map): nothing is boot-time, everything is the calls'. */
	s = run("pc-4g", PGT_SCHEME_TOPDOWN, "3.9", 0, false);
	REQUIRE(s);
	fin = pgt_sim_state_at(s, SIZE_MAX);
	CHECK_U64(fin.boot_bytes, 0);
	for (size_t i = 0; i < pgt_sim_event_count(s); i += 97)
		CHECK_U64(pgt_sim_state_at(s, i).boot_bytes, 0);
	pgt_sim_free(s);

	/* Xen PV (2.6.39-rc1, the builder's mapping): the boot-time share at
	 * the first call is what the builder's tables map, counted here page
	 * by page through the translation of that step. */
	s = run("xen-live-patient", PGT_SCHEME_PGTBUF, "2.6.39-rc1", 0, false);
	REQUIRE(s);
	c = first_call(s);
	REQUIRE(c != SIZE_MAX && c > 0);
	uint64_t by_walk = 0;
	for (uint64_t pa = 0; pa < (256ull << 20); pa += 0x1000)
		by_walk += pgt_sim_translate(s, pa, c - 1).mapped ? 0x1000 : 0;
	CHECK(by_walk > 0);
	CHECK_U64(pgt_sim_state_at(s, c - 1).boot_bytes, by_walk);
	boot_bytes_only_shrink(s);
	pgt_sim_free(s);
}

int main(void)
{
	RUN(memblock_add_merges_touching_regions);
	RUN(memblock_find_topdown_skips_reserved);
	RUN(memblock_find_never_returns_page_zero);
	RUN(split_examples_of_kernel_md_2_6);
	RUN(golden_9_2_old_3_6_variant_b);
	RUN(golden_9_2_old_3_8_variant_c);
	RUN(golden_9_2_old_3_4_variant_a);
	RUN(golden_9_2_old_2_6_39_tables_high);
	RUN(golden_9_2_old_3_6_gbpages);
	RUN(golden_9_3_new_3_9);
	RUN(golden_9_3_new_3_13_gbpages);
	RUN(golden_9_3_new_3_19_and_4_4);
	RUN(golden_9_4_qemu_old);
	RUN(golden_9_4_qemu_new);
	RUN(overlapping_e820_is_sanitized_and_said);
	RUN(efi_boot_services_push_the_buffer_down);
	RUN(i386_fixmap_pages_follow_the_version);
	RUN(bottom_up_allocates_above_the_kernel);
	RUN(chunk_end_puts_each_table_at_the_end_of_the_previous_chunk);
	RUN(golden_i386_pae_3_7);
	RUN(golden_i386_nonpae_3_10);
	RUN(ptdump_merges_ranges_like_the_kernel);
	RUN(direct_map_base_follows_the_version);
	RUN(direct_map_base_measured_is_printed);
	RUN(kernel_hash010_keeps_prefix_for_zero);
	RUN(kver_parse_forms);
	RUN(trace_says_live_only_where_the_root_is_loaded);
	RUN(boot_time_map_is_counted_apart);
	return t_report();
}
