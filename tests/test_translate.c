/*
 * pgt_sim_translate at a step (issue 11): the answer is the tables as they
 * were after that event, not the final tables.
 *
 *  - At the last event the replayed answer equals the final one, for every
 *    gallery scenario and built-in machine under every scheme it runs, at
 *    probe addresses over all of RAM and at every table page.
 *  - Real moments, found from the run's own log and events (never stored
 *    numbers): on 3.9+ top-down the top of RAM is mapped by the first call
 *    after the ISA range while 32 MiB is still unmapped; on the old scheme a
 *    4k-only map replaces head_64.S's 2 MiB entry (mapped by a PMD leaf,
 *    unmapped right after the CLEAR, then mapped by a PTE); on Xen 2.6.39 the
 *    unused pgt_buf tail is read-only until xen_mapping_pagetable_reserve
 *    makes it writable.
 */
#include "pgtviz/core.h"
#include "pgtviz/scenario_json.h"
#include "scenario_file.h"
#include "t.h"

#include <stdlib.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static bool load(const char *name, pgt_scenario *sc)
{
	return t_load_scenario(name, sc, false);
}

static pgt_sim *run(const pgt_scenario *sc, int scheme, const char *kver, int xen_rule)
{
	return t_run(sc, scheme, kver, xen_rule);
}

static bool same(pgt_translation a, pgt_translation b)
{
	if (a.mapped != b.mapped || a.pa != b.pa || a.leaf_level != b.leaf_level ||
	    a.writable != b.writable)
		return false;
	for (int l = 0; l < 5; l++)
		if (a.table[l] != b.table[l])
			return false;
	return true;
}

/* Probe addresses: every 2 MiB step of RAM (a few offsets), the edges of
 * each e820 entry, and every table page; at most `max` of them. */
static size_t probes(const pgt_sim *s, uint64_t *out, size_t max)
{
	size_t n = 0;
	const pgt_e820_entry *e;
	size_t ne = pgt_sim_e820(s, &e);
	uint64_t top = 0;
	for (size_t i = 0; i < ne; i++) {
		if (e[i].end > top)
			top = e[i].end;
		if (n + 2 <= max) {
			out[n++] = e[i].start & ~0xfffULL;
			out[n++] = (e[i].end - 1) & ~0xfffULL;
		}
	}
	uint64_t step = top / (max / 4 + 1);
	step = step < 2 * MiB ? 2 * MiB : step & ~(2 * MiB - 1);
	for (uint64_t a = 0; a < top && n + 2 <= max; a += step) {
		out[n++] = a;
		out[n++] = a + 0x1ff000 < top ? a + 0x1ff000 : a;
	}
	for (size_t i = 0; i < pgt_sim_table_count(s) && n < max; i += 1 + i / 64)
		out[n++] = pgt_sim_table(s, i).pa;
	return n;
}

static void final_equals_last_step(const char *what, pgt_sim *s)
{
	size_t nev = pgt_sim_event_count(s);
	if (!nev)
		return;
	uint64_t pa[160];
	size_t n = probes(s, pa, sizeof(pa) / sizeof(pa[0]));
	size_t bad = 0, mapped = 0;
	for (size_t i = 0; i < n; i++) {
		pgt_translation fin = pgt_sim_translate(s, pa[i], SIZE_MAX);
		pgt_translation last = pgt_sim_translate(s, pa[i], nev - 1);
		mapped += fin.mapped;
		if (!same(fin, last) && bad++ < 3)
			fprintf(stderr,
			        "%s: %#llx final mapped=%d level=%d rw=%d, last step %d %d %d\n",
			        what, (unsigned long long)pa[i], fin.mapped, fin.leaf_level,
			        fin.writable, last.mapped, last.leaf_level, last.writable);
	}
	CHECK(bad == 0);
	CHECK(mapped > 0);
}

static void last_step_is_final_for_every_scenario(void)
{
	static const char *const gallery[] = {
	    "pc-4g",
	    "pc-4g-gbpages",
	    "qemu-1g",
	    "qemu-1g-initrd",
	    "mail-0-1g-4k",
	    "xen-live-patient",
	    "kdump-512m-under-768m",
	    "server-128g-gbpages",
	    "numa-256g",
	    "debug-64g-4k",
	    "initrd-top",
	    "movable-node",
	    "old-panics",
	    "gbpages-hole-3.7-rc2",
	};
	for (size_t g = 0; g < sizeof(gallery) / sizeof(gallery[0]); g++) {
		pgt_scenario sc;
		REQUIRE(load(gallery[g], &sc));
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			pgt_sim *s = run(&sc, scheme, NULL, 0);
			REQUIRE(s);
			char what[128];
			snprintf(what, sizeof(what), "%s/%s", gallery[g], pgt_scheme_name(scheme));
			final_equals_last_step(what, s);
			pgt_sim_free(s);
		}
		pgt_scenario_clear(&sc);
	}
	for (size_t b = 0; b < pgt_builtin_count(); b++) {
		pgt_scenario sc;
		REQUIRE(pgt_builtin_load(b, &sc));
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			pgt_sim *s = run(&sc, scheme, NULL, 0);
			REQUIRE(s);
			char what[128];
			snprintf(what, sizeof(what), "%s/%s", pgt_builtin_name(b),
			         pgt_scheme_name(scheme));
			final_equals_last_step(what, s);
			pgt_sim_free(s);
		}
		pgt_scenario_clear(&sc);
	}
}

/* The step of the first log line starting with `prefix` after step `from`. */
static size_t line_step(const pgt_sim *s, const char *prefix, size_t from)
{
	for (size_t i = 0; i < pgt_sim_log_count(s); i++) {
		const pgt_logline *l = pgt_sim_log(s, i);
		if (l->event >= from && strncmp(l->text, prefix, strlen(prefix)) == 0)
			return l->event;
	}
	return SIZE_MAX;
}

/* The first event of a kind at or after `from`. */
static size_t kind_step(const pgt_sim *s, int kind, size_t from)
{
	for (size_t i = from; i < pgt_sim_event_count(s); i++)
		if (pgt_sim_event(s, i).kind == kind)
			return i;
	return SIZE_MAX;
}

/* qemu-1g on 3.9+ top-down: init_mem_mapping maps the ISA range, then the
 * top chunk below the last 2 MiB before anything lower (the ranges are read
 * from the run's own mapping lines). */
static void topdown_maps_the_top_first(void)
{
	pgt_scenario sc;
	REQUIRE(load("qemu-1g", &sc));
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, "3.9", 0);
	REQUIRE(s);
	size_t c1 = line_step(s, "init_memory_mapping: [mem 0x00000000-0x000fffff]", 0);
	REQUIRE(c1 != SIZE_MAX);
	size_t c1_end = kind_step(s, PGT_EV_CALL_END, c1);
	size_t c2 = line_step(s, "init_memory_mapping: ", c1 + 1);
	REQUIRE(c1_end != SIZE_MAX && c2 != SIZE_MAX);
	size_t c2_end = kind_step(s, PGT_EV_CALL_END, c2);
	REQUIRE(c2_end != SIZE_MAX);
	unsigned long long r0 = 0, r1 = 0;
	for (size_t i = 0; i < pgt_sim_log_count(s); i++)
		if (pgt_sim_log(s, i)->event == c2)
			sscanf(pgt_sim_log(s, i)->text, "init_memory_mapping: [mem %llx-%llx]", &r0,
			       &r1);
	REQUIRE(r1 > r0 && r0 > 64 * MiB);
	const uint64_t hi = r1 & ~0xfffULL, lo = 32 * MiB;

	/* the ISA range: 4k pages, mapped by the end of the first call */
	CHECK(!pgt_sim_translate(s, 0x1000, c1).mapped);
	pgt_translation isa = pgt_sim_translate(s, 0x1000, c1_end);
	CHECK(isa.mapped && isa.leaf_level == PGT_PTE);
	/* the top chunk: unmapped when its line is printed, a 2 MiB page when
	 * the call returns */
	CHECK(!pgt_sim_translate(s, hi, 0).mapped);
	CHECK(!pgt_sim_translate(s, hi, c2).mapped);
	pgt_translation t_hi = pgt_sim_translate(s, hi, c2_end);
	CHECK(t_hi.mapped);
	CHECK_U64(t_hi.pa, hi);
	CHECK(t_hi.leaf_level == PGT_PMD);
	/* asked again, backwards and forwards (the replay is cached per address) */
	CHECK(!pgt_sim_translate(s, hi, c2).mapped);
	CHECK(pgt_sim_translate(s, hi, c2_end).mapped);
	CHECK(t_hi.table[PGT_PMD] != UINT32_MAX &&
	      pgt_sim_table(s, t_hi.table[PGT_PMD]).alloc_event <= c2_end);
	/* 32 MiB: not yet then, mapped in the end */
	CHECK(!pgt_sim_translate(s, lo, c2_end).mapped);
	CHECK(pgt_sim_translate(s, lo, SIZE_MAX).mapped);
	CHECK(pgt_sim_translate(s, lo, pgt_sim_event_count(s) - 1).mapped);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* mail-0-1g-4k (4k pages only) on the old scheme: head_64.S maps the first
 * GiB with 2 MiB entries; the walk clears each and links a PTE page. */
static void old_scheme_replaces_the_head_2m_entry(void)
{
	pgt_scenario sc;
	REQUIRE(load("mail-0-1g-4k", &sc));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, "3.8", 0);
	REQUIRE(s);
	const uint64_t pa = 0x1000000 + 0x5000;
	size_t clear = SIZE_MAX;
	for (size_t i = 0; i < pgt_sim_event_count(s) && clear == SIZE_MAX; i++) {
		pgt_event e = pgt_sim_event(s, i);
		if (e.kind == PGT_EV_CLEAR && e.level == PGT_PMD && e.a <= pa && pa < e.b)
			clear = i;
	}
	REQUIRE(clear != SIZE_MAX && clear > 0);
	pgt_translation before = pgt_sim_translate(s, pa, clear - 1);
	CHECK(before.mapped);
	CHECK(before.leaf_level == PGT_PMD);
	CHECK(!pgt_sim_translate(s, pa, clear).mapped);
	size_t hook = SIZE_MAX;
	for (size_t i = clear; i < pgt_sim_event_count(s) && hook == SIZE_MAX; i++) {
		pgt_event e = pgt_sim_event(s, i);
		if (e.kind == PGT_EV_HOOK && e.level == PGT_PTE &&
		    pgt_sim_table(s, e.table).va_base == (pa & ~(2 * MiB - 1)))
			hook = i;
	}
	REQUIRE(hook != SIZE_MAX);
	CHECK(!pgt_sim_translate(s, pa, hook - 1).mapped); /* filled, not yet linked */
	pgt_translation after = pgt_sim_translate(s, pa, hook);
	CHECK(after.mapped);
	CHECK(after.leaf_level == PGT_PTE);
	CHECK_U64(after.table[PGT_PTE], pgt_sim_event(s, hook).table);
	CHECK(same(after, pgt_sim_translate(s, pa, SIZE_MAX)));
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* xen-live-patient on 2.6.39 (the pagetable_reserve hook): the unused tail
 * [pgt_buf_end, pgt_buf_top) is read-only until the MARK_RW event. */
static void xen_tail_is_read_only_until_the_hook(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-live-patient", &sc));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, "2.6.39", 0);
	REQUIRE(s);
	size_t rw = kind_step(s, PGT_EV_MARK_RW, 0);
	REQUIRE(rw != SIZE_MAX);
	pgt_event e = pgt_sim_event(s, rw);
	REQUIRE(e.aux > 0 && e.b > e.a);
	/* a page of the tail that was read-only and is mapped */
	uint64_t page = UINT64_MAX;
	for (uint64_t a = e.a; a < e.b && page == UINT64_MAX; a += 0x1000) {
		pgt_translation t = pgt_sim_translate(s, a, rw - 1);
		if (t.mapped && !t.writable)
			page = a;
	}
	REQUIRE(page != UINT64_MAX);
	pgt_translation after = pgt_sim_translate(s, page, rw);
	CHECK(after.mapped && after.writable);
	CHECK(pgt_sim_translate(s, page, SIZE_MAX).writable);
	/* before its PTE was written the page was not mapped at all */
	CHECK(!pgt_sim_translate(s, page, 0).mapped);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	last_step_is_final_for_every_scenario();
	topdown_maps_the_top_first();
	old_scheme_replaces_the_head_2m_entry();
	xen_tail_is_read_only_until_the_hook();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
