/*
 * Unusual but legal machines (tests/maps/NAME.json), each run under every
 * scheme (at its default version, and top-down also at 5.4: step <<8 and the
 * extend_brk fallback).  For every run:
 *   - it completes, or panics with the kernel's own message -- the one
 *     expected below, derived from the kernel's rules (docs/kernel-model.md),
 *     not from running pgtviz;
 *   - the invariants of tests/fuzz/invariants.h hold (table pages unique, in
 *     free RAM, state replay, RAM mapped to itself, ...);
 *   - (its time is printed, not asserted: speed is `pgtviz bench`'s job);
 * plus facts specific to each map (max_pfn, where the first chunk goes, how
 * the map was sanitized and that the run says so with a NOTE event).  Every tests/maps/NAME.json
 * needs a row here.
 */
#include "fuzz/invariants.h"
#include "t.h"

#include "pgtviz/scenario_json.h"

#include <dirent.h>
#include <stdlib.h>
#include <time.h>

#define MAPS_DIR PGTVIZ_TEST_DIR "/maps"

#define CANNOT_FIND "Cannot find space for the kernel page tables"

enum { RUN_PGTBUF, RUN_TOPDOWN, RUN_BOTTOMUP, RUN_CHUNKEND, RUN_TOPDOWN_54, RUN_COUNT };
static const int run_scheme[RUN_COUNT] = {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN,
                                          PGT_SCHEME_BOTTOMUP, PGT_SCHEME_CHUNKEND,
                                          PGT_SCHEME_TOPDOWN};
static const uint32_t run_kver[RUN_COUNT] = {0, 0, 0, 0, PGT_KVER(5, 4, 0)};

typedef struct map_case {
	const char *file;
	/* Expected panic per run (NULL: completes) and why. */
	const char *panic[RUN_COUNT];
	const char *why;
	/* Map-specific checks on a finished run (NULL: none). */
	void (*extra)(const pgt_scenario *sc, const pgt_sim *s, int run);
} map_case;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The effective e820 type at addr (0: none). */
static uint32_t type_at(const pgt_sim *s, uint64_t addr)
{
	const pgt_e820_entry *e;
	size_t n = pgt_sim_e820(s, &e);
	for (size_t i = 0; i < n; i++)
		if (addr >= e[i].start && addr < e[i].end)
			return e[i].type;
	return 0;
}

/* The effective map is sorted and has no overlaps and no equal neighbours. */
static bool e820_sanitized(const pgt_sim *s)
{
	const pgt_e820_entry *e;
	size_t n = pgt_sim_e820(s, &e);
	for (size_t i = 0; i < n; i++) {
		if (e[i].end <= e[i].start)
			return false;
		if (i && (e[i].start < e[i - 1].end ||
		          (e[i].start == e[i - 1].end && e[i].type == e[i - 1].type)))
			return false;
	}
	return true;
}

/* Number of effective entries that lie within [a, b). */
static size_t entries_within(const pgt_sim *s, uint64_t a, uint64_t b)
{
	const pgt_e820_entry *e;
	size_t n = pgt_sim_e820(s, &e), k = 0;
	for (size_t i = 0; i < n; i++)
		k += e[i].start >= a && e[i].end <= b;
	return k;
}

/* The overlap count of the "e820 sanitized" note, 0 if the run has none. */
static uint64_t sanitized_note(const pgt_sim *s)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_NOTE && ev[i].aux == PGT_NOTE_E820_SANITIZED)
			return ev[i].a;
	return 0;
}

/* Tables by origin. */
static size_t tables_from(const pgt_sim *s, int origin)
{
	size_t n = 0;
	const pgt_table *t = pgt_sim_tables(s);
	for (size_t i = 0; i < pgt_sim_table_count(s); i++)
		n += t[i].origin == origin;
	return n;
}

/* [a, b) of the k-th init_memory_mapping call (0-based); false if none. */
static bool call_range(const pgt_sim *s, size_t k, uint64_t *a, uint64_t *b)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
		if (ev[i].kind == PGT_EV_CALL_BEGIN && k-- == 0) {
			*a = ev[i].a;
			*b = ev[i].b;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Map-specific facts                                                       */
/* ------------------------------------------------------------------------ */

/* e820_end_of_ram_pfn = 8 GiB; e820_end_of_low_ram_pfn finds no RAM below
 * 4 GiB, so max_low_pfn = 0. */
static void extra_above_4g(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	CHECK_U64(pgt_sim_max_pfn(s), 0x200000);
	CHECK_U64(pgt_sim_max_low_pfn(s), 0);
	if (run == RUN_TOPDOWN && !pgt_sim_panic(s)) {
		/* every page-table page outside the kernel image is above 4 GiB */
		const pgt_table *t = pgt_sim_tables(s);
		for (size_t i = 0; i < pgt_sim_table_count(s); i++)
			if (t[i].origin == PGT_ORIGIN_MEMBLOCK)
				CHECK(t[i].pa >= 0x100000000ULL);
		pgt_translation tr = pgt_sim_translate(s, 0x1ffe00000ULL, SIZE_MAX);
		CHECK(tr.mapped && tr.pa == 0x1ffe00000ULL);
	}
}

/* The ISA range [0, 1 MiB) is mapped by the first 3.9+ call (top-down and
 * bottom-up) whatever the map says; the old scheme and chunk-end (3.6
 * calls) map [0, max_low) in one call. */
static void extra_below_1m(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	uint64_t a = 1, b = 1;
	CHECK(call_range(s, 0, &a, &b));
	if (run == RUN_PGTBUF || run == RUN_CHUNKEND) {
		CHECK_U64(a, 0);
		CHECK_U64(b, 0x40000000);
	} else {
		CHECK_U64(a, 0);
		CHECK_U64(b, 0x100000);
	}
	CHECK(pgt_sim_translate(s, 0x100000, SIZE_MAX).mapped);
}

/* Top-down: the ISA call's 3 BRK pages also serve the single page at 1 MiB
 * (same PTE page), so memblock is never asked.  chunk-end: the one PTE page
 * needed to split [0, 2 MiB) goes to the first free page of the region, the
 * only usable page. */
static void extra_single_page(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	CHECK_U64(pgt_sim_max_pfn(s), 0x101);
	if (run == RUN_TOPDOWN || run == RUN_TOPDOWN_54 || run == RUN_BOTTOMUP) {
		CHECK_U64(tables_from(s, PGT_ORIGIN_MEMBLOCK), 0);
		CHECK_U64(tables_from(s, PGT_ORIGIN_BRK), 3);
	}
	if (run == RUN_CHUNKEND) {
		CHECK_U64(tables_from(s, PGT_ORIGIN_CHUNK), 1);
		const pgt_table *t = pgt_sim_tables(s);
		for (size_t i = 0; i < pgt_sim_table_count(s); i++)
			if (t[i].origin == PGT_ORIGIN_CHUNK)
				CHECK_U64(t[i].pa, 0x100000);
	}
	pgt_translation tr = pgt_sim_translate(s, 0x100000, SIZE_MAX);
	if (!pgt_sim_panic(s))
		CHECK(tr.mapped && tr.pa == 0x100000 && tr.leaf_level == PGT_PTE);
}

/* 2499 memblock RAM regions (low RAM, 2497 pieces, the rest below 3 GiB)
 * and 5001 effective entries (the version's trim splits the first). */
static void extra_5000(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)run;
	CHECK_U64(sc->n_e820, 5000);
	const pgt_region *r;
	CHECK_U64(pgt_sim_memblock_memory(s, &r), 2499);
	const pgt_e820_entry *e;
	CHECK_U64(pgt_sim_e820(s, &e), 5001);
	CHECK(e820_sanitized(s));
	CHECK_U64(type_at(s, 0x1ff000), PGT_E820_RESERVED);
	CHECK_U64(type_at(s, 0x200000), PGT_E820_RAM);
}

/* sanitize_e820_map: same-type overlaps and duplicates merge, the map is
 * sorted: [0xe0000, 0x100000) reserved and [1 MiB, 0x3fff0000) usable are
 * one entry each, the IO-APIC page appears once. */
static void extra_same_type(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	(void)run;
	CHECK(e820_sanitized(s));
	CHECK_U64(entries_within(s, 0x100000, 0x3fff0000), 1);
	CHECK_U64(type_at(s, 0x100000), PGT_E820_RAM);
	CHECK_U64(type_at(s, 0x3ffeffff), PGT_E820_RAM);
	CHECK_U64(type_at(s, 0x3fff0000), PGT_E820_ACPI);
	CHECK_U64(entries_within(s, 0xe0000, 0x100000), 1);
	CHECK_U64(entries_within(s, 0xfec00000, 0xfec01000), 1);
	/* and the run says so: 4 entries start inside another one
	 * ([0xf0000..), the second [1M..), [0x20000000..), the second IO-APIC) */
	CHECK_U64(sanitized_note(s), 4);
}

/* The raw BIOS map of overlapping-bios.json, sanitized as the kernel does:
 * the larger type wins every overlap, equal neighbours merge, the result is
 * sorted; and the run says so (3 entries start inside another: the EBDA
 * page, the duplicate RAM MiB and the ACPI tail). */
static void check_overlapping_bios(const pgt_sim *s)
{
	CHECK(e820_sanitized(s));
	CHECK_U64(type_at(s, 0x9efff), PGT_E820_RAM);
	CHECK_U64(type_at(s, 0x9f000), PGT_E820_RESERVED);
	CHECK_U64(type_at(s, 0x3fefffff), PGT_E820_RAM);
	CHECK_U64(type_at(s, 0x3ff00000), PGT_E820_ACPI);
	CHECK_U64(entries_within(s, 0x100000, 0x3ff00000), 1);
	CHECK_U64(pgt_sim_max_pfn(s), 0x3ff00);
	CHECK_U64(sanitized_note(s), 3);
	/* no table on the reserved EBDA page or in ACPI data */
	const pgt_table *t = pgt_sim_tables(s);
	for (size_t i = 0; i < pgt_sim_table_count(s); i++)
		CHECK(t[i].pa < 0x9f000 || (t[i].pa >= 0x100000 && t[i].pa < 0x3ff00000));
}

static void extra_overlapping_bios(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	(void)run;
	check_overlapping_bios(s);
}

/* 64 TiB: max_pfn is the 46-bit MAX_ARCH_PFN, 0x400000000; the last page
 * maps to itself (with 1 GiB pages where the CPU has them). */
static void extra_64t(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)run;
	CHECK_U64(pgt_sim_max_pfn(s), 0x400000000ULL);
	pgt_translation tr = pgt_sim_translate(s, 0x3ffffffff000ULL, SIZE_MAX);
	CHECK(tr.mapped && tr.pa == 0x3ffffffff000ULL);
	CHECK_U64(tr.leaf_level, sc->cpu.gbpages ? PGT_PUD : PGT_PMD);
}

/* memory_map_top_down starts with the highest free 2 MiB-aligned block:
 * the top 64 MiB have none (1 MiB usable / 1 MiB reserved), the 64 MiB
 * below are reserved but for 4 KiB gaps, so the first chunk is
 * [8 GiB - 130 MiB, 8 GiB - 128 MiB). */
static void extra_near_top(const pgt_scenario *sc, const pgt_sim *s, int run)
{
	(void)sc;
	if (run != RUN_TOPDOWN && run != RUN_TOPDOWN_54)
		return;
	uint64_t a = 0, b = 0;
	CHECK(call_range(s, 1, &a, &b));
	CHECK_U64(a, 0x200000000ULL - 0x8200000);
	CHECK_U64(b, 0x200000000ULL - 0x8000000);
}

/* ------------------------------------------------------------------------ */
/* The table                                                                */
/* ------------------------------------------------------------------------ */

static const map_case cases[] = {
    {"ram-above-4g-only.json",
     {CANNOT_FIND, NULL, NULL, NULL, NULL},
     "<= 3.8: max_low_pfn is 0, so the first call is init_memory_mapping(0, 0) and "
     "find_early_table_space must find its buffer below max_pfn_mapped (512 MiB from "
     "head_64.S), where there is no RAM: the kernel's own panic.  3.9+ maps from the top "
     "of RAM down and takes tables from what is mapped; chunk-end takes them in the region",
     extra_above_4g},
    {"nothing-below-1m.json",
     {NULL, NULL, NULL, NULL, NULL},
     "1 GiB above 1 MiB is plenty for every allocator; nothing needs memory below 1 MiB",
     extra_below_1m},
    {"single-usable-page.json",
     {CANNOT_FIND, NULL, NULL, NULL, NULL},
     "<= 3.8: [0, 0x101000) needs a PUD, PMD and PTE page in the buffer (3 pages) but only "
     "one page is free: find_early_table_space panics.  3.9+: the ISA call's BRK pages "
     "cover 1 MiB too.  chunk-end: one PTE page, placed on the one free page",
     extra_single_page},
    {"e820-5000-entries.json",
     {NULL, NULL, NULL, NULL, NULL},
     "2.4 GiB of RAM in 2497 pieces: more tables, but plenty of room",
     extra_5000},
    {"overlapping-same-type.json",
     {NULL, NULL, NULL, NULL, NULL},
     "after sanitize_e820_map a plain 1 GiB PC",
     extra_same_type},
    {"overlapping-bios.json",
     {NULL, NULL, NULL, NULL, NULL},
     "a raw BIOS map: after sanitize_e820_map a plain 1 GiB PC (the EBDA page and the "
     "last MiB are not RAM)",
     extra_overlapping_bios},
    {"ram-to-64tib.json",
     {NULL, NULL, NULL, NULL, NULL},
     "RAM to the 46-bit limit with 1 GiB pages: few tables, all in low RAM",
     extra_64t},
    {"ram-to-64tib-2m.json",
     {NULL, NULL, NULL, NULL, NULL},
     "64 TiB with 2 MiB pages: 32768 PMD pages (128 MiB), which fit in 3 GiB of low RAM "
     "(<= 3.8 buffer) or in mapped memory (3.9+)",
     extra_64t},
    {"reserved-near-top.json",
     {NULL, NULL, NULL, NULL, NULL},
     "the top-down search walks past the reserved top; 3 GiB below 4 GiB are free",
     extra_near_top},
};

static const map_case *find_case(const char *file)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].file, file))
			return &cases[i];
	return NULL;
}

static double slowest;
static char slowest_what[160];

static void run_case(const map_case *mc)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", MAPS_DIR, mc->file);
	size_t len = 0;
	char *text = slurp(path, &len);
	REQUIRE(text != NULL);
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_diags d;
	pgt_diags_init(&d, mc->file);
	bool ok = pgt_scenario_from_json(text, len, &sc, &d);
	free(text);
	if (ok && d.n && strncmp(mc->file, "overlapping", 11) != 0)
		pgt_diags_print(&d, stderr); /* only the overlap maps expect warnings */
	CHECK(d.n == 0 || strncmp(mc->file, "overlapping", 11) == 0);
	if (!ok)
		pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	REQUIRE(ok);
	for (int run = 0; run < RUN_COUNT; run++) {
		pgt_run_opts o = pgt_run_opts_default(run_scheme[run]);
		o.kver = run_kver[run];
		double t0 = now();
		pgt_sim *s = pgt_sim_run(&sc, &o);
		double dt = now() - t0;
		REQUIRE(s != NULL);
		if (dt > slowest) {
			slowest = dt;
			snprintf(slowest_what, sizeof(slowest_what), "%s, %s", mc->file,
			         pgt_sim_model(s));
		}
		const char *panic = pgt_sim_panic(s);
		const char *want = mc->panic[run];
		if (!(panic ? want && !strcmp(panic, want) : !want))
			fprintf(stderr, "%s %s: panic \"%s\", expected \"%s\" (%s)\n", mc->file,
			        pgt_sim_model(s), panic ? panic : "none", want ? want : "none",
			        mc->why);
		CHECK(panic ? want && !strcmp(panic, want) : !want);
		char why[512];
		bool inv = pgtf_check_sim(s, 0, why, sizeof(why));
		if (!inv)
			fprintf(stderr, "%s: %s\n", mc->file, why);
		CHECK(inv);
		if (strncmp(mc->file, "overlapping", 11) != 0)
			CHECK_U64(sanitized_note(s), 0); /* nothing to sanitize, nothing said */
		if (mc->extra) {
			int before = t_failed;
			mc->extra(&sc, s, run);
			if (t_failed != before)
				fprintf(stderr, "  in %s, %s\n", mc->file, pgt_sim_model(s));
		}
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

/* Every file in tests/maps has a row, and every row a file. */
static void every_map_has_a_row(void)
{
	DIR *dir = opendir(MAPS_DIR);
	REQUIRE(dir != NULL);
	struct dirent *e;
	size_t files = 0;
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		files++;
		const map_case *mc = find_case(e->d_name);
		if (!mc)
			fprintf(stderr, "tests/maps/%s has no row in test_maps.c\n", e->d_name);
		CHECK(mc != NULL);
	}
	closedir(dir);
	CHECK_U64(files, sizeof(cases) / sizeof(cases[0]));
}

static void all_maps(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	printf("slowest run: %.2f s (%s)\n", slowest, slowest_what);
}

/* overlapping-bios.json loads, with a warning for each overlap of different
 * types that names the type the overlap gets ... */
static void overlapping_bios_warned(void)
{
	size_t len = 0;
	char *text = slurp(MAPS_DIR "/overlapping-bios.json", &len);
	REQUIRE(text != NULL);
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_diags d;
	pgt_diags_init(&d, "overlapping-bios.json");
	CHECK(pgt_scenario_from_json(text, len, &sc, &d));
	free(text);
	CHECK_U64(d.errors, 0);
	size_t said = 0;
	for (size_t i = 0; i < d.n; i++)
		said += d.items[i].severity == PGT_DIAG_WARNING &&
		        strstr(d.items[i].msg, "sanitized as the kernel does (sanitize_e820_map)");
	CHECK_U64(said, 2);
	REQUIRE(d.n >= 1);
	CHECK_STR(d.items[0].msg,
	          "/e820/1: [0x9f000, 0xa0000) reserved overlaps /e820/0 [0x0, 0xa0000) usable; "
	          "sanitized as the kernel does (sanitize_e820_map): the overlap gets the higher "
	          "type, reserved");
	pgt_diags_free(&d);
	pgt_scenario_clear(&sc);
}

/* ... and the core, given the same raw entries through its C API (as any
 * caller may), sanitizes them the same way. */
static void overlapping_bios_sanitized_by_core(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	sc.cpu.pse = true;
	pgt_scenario_add_e820(&sc, 0x0, 0xa0000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x9f000, 0xa0000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0xe0000, 0x100000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(&sc, 0x100000, 0x40000000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x3ff00000, 0x40000000, PGT_E820_ACPI);
	pgt_scenario_add_e820(&sc, 0x20000000, 0x20100000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0xfec00000, 0xfec01000, PGT_E820_RESERVED);
	for (int run = 0; run < RUN_COUNT; run++) {
		pgt_run_opts o = pgt_run_opts_default(run_scheme[run]);
		o.kver = run_kver[run];
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s != NULL);
		check_overlapping_bios(s);
		CHECK(pgt_sim_panic(s) == NULL);
		char why[512];
		bool inv = pgtf_check_sim(s, 0, why, sizeof(why));
		if (!inv)
			fprintf(stderr, "overlapping-bios (core): %s\n", why);
		CHECK(inv);
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

/* What the loader says about same-type overlaps names the kernel's rule. */
static void same_type_overlap_is_said(void)
{
	size_t len = 0;
	char *text = slurp(MAPS_DIR "/overlapping-same-type.json", &len);
	REQUIRE(text != NULL);
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_diags d;
	pgt_diags_init(&d, "overlapping-same-type.json");
	CHECK(pgt_scenario_from_json(text, len, &sc, &d));
	free(text);
	CHECK_U64(d.errors, 0);
	size_t merges = 0;
	for (size_t i = 0; i < d.n; i++)
		merges +=
		    d.items[i].severity == PGT_DIAG_WARNING &&
		    strstr(d.items[i].msg, "the kernel merges them (sanitize_e820_map)") != NULL;
	CHECK(merges >= 3);
	pgt_diags_free(&d);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	RUN(every_map_has_a_row);
	RUN(all_maps);
	RUN(overlapping_bios_warned);
	RUN(overlapping_bios_sanitized_by_core);
	RUN(same_type_overlap_is_said);
	return t_report();
}
