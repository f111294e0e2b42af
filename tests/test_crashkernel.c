/*
 * reserve_crashkernel (src/core/crashkernel.c): where crashkernel=SIZE lands
 * after the direct mapping, per version, and what the kernel prints.  The
 * rules and their sources are in docs/kernel-model.md, "crashkernel".
 *
 * The machine is the pc-4g map (3 GiB below the PCI hole, 1 GiB above
 * 4 GiB), kernel at 16 MiB.  Picture of the crash kernel's window:
 *
 *   16M   32M                       384M   512M            896M
 *    |kern|......... free .........  |-----|tables?|-------|
 *         ^2.6.36 bottom-up           ^2.6.37+ top-down: [384M, 896M)
 *
 * In 3.1-3.8 the first call's page tables sit just below 512 MiB, inside
 * every 512 MiB window of [16M, 896M), so crashkernel=512M fails.
 */
#include "pgtviz/core.h"
#include "t.h"

#include <stdlib.h>

#define MiB (1ULL << 20)

static void pc4g(pgt_scenario *sc, uint64_t crash)
{
	memset(sc, 0, sizeof(*sc));
	pgt_scenario_set_str(&sc->name, "ck");
	sc->cpu.pse = true;
	sc->schemes[0] = PGT_SCHEME_PGTBUF;
	sc->schemes[1] = PGT_SCHEME_TOPDOWN;
	pgt_scenario_add_e820(sc, 0, 0x9fc00, PGT_E820_RAM);
	pgt_scenario_add_e820(sc, 0x9fc00, 0xa0000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(sc, 0xf0000, 0x100000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(sc, 0x100000, 0xbfee0000, PGT_E820_RAM);
	pgt_scenario_add_e820(sc, 0xbfee0000, 0xc0000000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(sc, 0xfffe0000, 0x100000000, PGT_E820_RESERVED);
	pgt_scenario_add_e820(sc, 0x100000000, 0x140000000, PGT_E820_RAM);
	sc->crashkernel = crash;
}

static pgt_sim *run(const pgt_scenario *sc, int scheme, const char *kver)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = kver ? pgt_kver_parse(kver) : 0;
	return pgt_sim_run(sc, &o);
}

/* The crashkernel reservation event (PGT_EV_RESERVE, aux 2), or NULL. */
static const pgt_event *crash_event(const pgt_sim *s)
{
	const pgt_event *ev = pgt_sim_events(s);
	const pgt_event *found = NULL;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_RESERVE && ev[i].aux == 2) {
			CHECK(found == NULL); /* at most one */
			found = &ev[i];
		}
	return found;
}

/* The crashkernel log line ("Reserving ..." or "crashkernel ..."), or NULL. */
static const pgt_logline *crash_line(const pgt_sim *s)
{
	for (size_t i = 0; i < pgt_sim_log_count(s); i++) {
		const pgt_logline *l = pgt_sim_log(s, i);
		if (strstr(l->text, "crashkernel"))
			return l;
	}
	return NULL;
}

static bool reserved_final_covers(const pgt_sim *s, uint64_t a, uint64_t b)
{
	const pgt_region *r;
	size_t n = pgt_sim_memblock_reserved_final(s, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].base <= a && r[i].base + r[i].size >= b)
			return true;
	return false;
}

static void fails_in_3_8_because_tables_sit_below_512m(void)
{
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, "3.8");
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	CHECK(crash_event(s) == NULL);
	const pgt_logline *l = crash_line(s);
	REQUIRE(l);
	CHECK_STR(l->text, "crashkernel reservation failed - No suitable area found.");
	CHECK(l->shown && !l->mapping && l->loglevel == PGT_LL_INFO);
	/* the reason: a table page inside [384M, 528M), the part every
	 * 512 MiB window of [16M, 896M) must cover */
	bool blocker = false;
	const pgt_table *t = pgt_sim_tables(s);
	for (size_t i = 0; i < pgt_sim_table_count(s); i++)
		if (t[i].origin == PGT_ORIGIN_PGTBUF && t[i].pa >= 384 * MiB && t[i].pa < 528 * MiB)
			blocker = true;
	CHECK(blocker);
	/* it is the last line: reserve_crashkernel runs after the mapping */
	CHECK(l == pgt_sim_log(s, pgt_sim_log_count(s) - 1));
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void succeeds_with_tables_high_in_3_0(void)
{
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, "3.0");
	REQUIRE(s);
	const pgt_event *e = crash_event(s);
	REQUIRE(e);
	CHECK_U64(e->a, 384 * MiB);
	CHECK_U64(e->b, 896 * MiB);
	/* 3.0: System RAM = max_pfn pages (get_total_mem) = 5 GiB */
	CHECK_STR(crash_line(s)->text,
	          "Reserving 512MB of memory at 384MB for crashkernel (System RAM: 5120MB)");
	CHECK(reserved_final_covers(s, 384 * MiB, 896 * MiB));
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void succeeds_in_3_9_and_reports_memblock_ram(void)
{
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, "3.9");
	REQUIRE(s);
	const pgt_event *e = crash_event(s);
	REQUIRE(e);
	CHECK_U64(e->a, 384 * MiB);
	/* 3.3+: memblock_phys_mem_size(), the sum of memblock.memory */
	const pgt_region *r;
	size_t n = pgt_sim_memblock_memory(s, &r);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += r[i].size;
	char want[160];
	snprintf(want, sizeof(want),
	         "Reserving 512MB of memory at 384MB for crashkernel (System RAM: %lluMB)",
	         (unsigned long long)(total >> 20));
	CHECK_STR(crash_line(s)->text, want);
	/* the event is emitted before the line (the line's event index is after) */
	CHECK((size_t)(e - pgt_sim_events(s)) < crash_line(s)->event);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void before_memblock_it_was_first_fit_from_16m(void)
{
	/* <= 2.6.36: find_e820_area(16M, ULONG_MAX, size, 16M) */
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, "2.6.36");
	REQUIRE(s);
	const pgt_event *e = crash_event(s);
	REQUIRE(e);
	/* the kernel and BRK end a little above 31 MiB: the next 16M boundary */
	CHECK_U64(e->a, 32 * MiB);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void movable_node_searches_bottom_up_above_the_kernel(void)
{
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	sc.movable_node = true;
	pgt_sim *s = run(&sc, PGT_SCHEME_BOTTOMUP, "3.13");
	REQUIRE(s);
	const pgt_event *e = crash_event(s);
	REQUIRE(e);
	CHECK_U64(e->a, 32 * MiB);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void smaller_sizes_fit_under_896m_in_every_model(void)
{
	static const uint64_t sizes[] = {64 * MiB, 128 * MiB, 256 * MiB};
	static const struct {
		int scheme;
		const char *kver;
	} models[] = {{PGT_SCHEME_PGTBUF, "2.6.38"}, {PGT_SCHEME_PGTBUF, "3.2"},
	              {PGT_SCHEME_PGTBUF, "3.8"},    {PGT_SCHEME_TOPDOWN, "3.9"},
	              {PGT_SCHEME_TOPDOWN, "4.4"},   {PGT_SCHEME_CHUNKEND, NULL}};
	for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			pgt_scenario sc;
			pc4g(&sc, sizes[k]);
			pgt_sim *s = run(&sc, models[m].scheme, models[m].kver);
			REQUIRE(s);
			const pgt_event *e = crash_event(s);
			CHECK(e != NULL);
			if (e) {
				/* top-down: the highest 16 MiB-aligned fit below 896 MiB */
				CHECK_U64(e->a % (16 * MiB), 0);
				CHECK_U64(e->b - e->a, sizes[k]);
				CHECK_U64(e->b, 896 * MiB);
				char want[64];
				snprintf(want, sizeof(want), "Reserving %lluMB of memory at %lluMB",
				         (unsigned long long)(sizes[k] >> 20),
				         (unsigned long long)(e->a >> 20));
				CHECK(strncmp(crash_line(s)->text, want, strlen(want)) == 0);
			}
			pgt_sim_free(s);
			pgt_scenario_clear(&sc);
		}
}

static void nothing_without_crashkernel_or_after_a_panic(void)
{
	pgt_scenario sc;
	pc4g(&sc, 0);
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, NULL);
	REQUIRE(s);
	CHECK(crash_event(s) == NULL);
	CHECK(crash_line(s) == NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);

	/* a map on which the old scheme panics never reaches reserve_crashkernel */
	memset(&sc, 0, sizeof(sc));
	pgt_scenario_set_str(&sc.name, "panics");
	sc.cpu.pse = true;
	sc.cpu.debug_pagealloc = true;
	pgt_scenario_add_e820(&sc, 0x100000, 0x3fff0000, PGT_E820_RAM);
	pgt_scenario_add_e820(&sc, 0x100000000, 0x8000000000, PGT_E820_RAM);
	sc.crashkernel = 128 * MiB;
	s = run(&sc, PGT_SCHEME_PGTBUF, "3.8");
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) != NULL);
	CHECK(crash_line(s) == NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* 5.2 (9ca5c8e632ce): crashkernel=X looks below 4 GiB first, so the
 * 896 MiB window of 2.6.37 - 5.1 is gone; when nothing fits below 4 GiB the
 * search falls back to the memory above it. */
static void from_5_2_below_4g_first_then_above(void)
{
	pgt_scenario sc;
	pc4g(&sc, 512 * MiB);
	pgt_sim *old = run(&sc, PGT_SCHEME_TOPDOWN, "5.1");
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, "5.2");
	REQUIRE(old && s);
	const pgt_event *e = crash_event(old);
	REQUIRE(e);
	CHECK_U64(e->a, 384 * MiB); /* still the 896 MiB limit in 5.1 */
	e = crash_event(s);
	REQUIRE(e);
	/* the highest 16 MiB-aligned 512 MiB below the end of low RAM
	 * (0xbfee0000): the 3.9+ tables of low RAM sit at the top of RAM above
	 * 4 GiB, not there */
	CHECK_U64(e->a, 0xbf000000ULL - 512 * MiB);
	CHECK(strstr(crash_line(s)->text, "at 2544MB for crashkernel") != NULL);
	pgt_sim_free(old);
	pgt_sim_free(s);
	/* 3 GiB fits nowhere below 4 GiB: the fallback takes it above */
	pgt_scenario_add_e820(&sc, 0x140000000ULL, 0x200000000ULL, PGT_E820_RAM);
	sc.crashkernel = 3072 * MiB;
	s = run(&sc, PGT_SCHEME_TOPDOWN, "5.8");
	REQUIRE(s);
	e = crash_event(s);
	REQUIRE(e);
	CHECK(e->a >= (4096 * MiB) && e->b <= 0x200000000ULL);
	CHECK_U64(e->a % (16 * MiB), 0);
	CHECK(reserved_final_covers(s, e->a, e->b));
	pgt_sim_free(s);
	old = run(&sc, PGT_SCHEME_TOPDOWN, "5.1");
	REQUIRE(old);
	CHECK(crash_event(old) == NULL); /* 5.1: [16M, 896M) only */
	pgt_sim_free(old);
	pgt_scenario_clear(&sc);
}

static void too_large_fails_everywhere(void)
{
	/* 1 GiB cannot fit in [16M, 896M) in any version since 2.6.37 */
	pgt_scenario sc;
	pc4g(&sc, 1024 * MiB);
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, "3.13");
	REQUIRE(s);
	CHECK(crash_event(s) == NULL);
	CHECK_STR(crash_line(s)->text, "crashkernel reservation failed - No suitable area found.");
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	RUN(fails_in_3_8_because_tables_sit_below_512m);
	RUN(succeeds_with_tables_high_in_3_0);
	RUN(succeeds_in_3_9_and_reports_memblock_ram);
	RUN(before_memblock_it_was_first_fit_from_16m);
	RUN(movable_node_searches_bottom_up_above_the_kernel);
	RUN(smaller_sizes_fit_under_896m_in_every_model);
	RUN(nothing_without_crashkernel_or_after_a_panic);
	RUN(too_large_fails_everywhere);
	RUN(from_5_2_below_4g_first_then_above);
	return t_report();
}
