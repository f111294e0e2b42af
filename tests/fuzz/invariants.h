/*
 * Invariants of one simulation run, shared by the fuzz targets
 * (fuzz_core.c, fuzz_dmesg.c) and tests/test_maps.c.  The same rules as
 * tests/test_property.c, as one function that says what broke:
 *
 *   - a panic is one of the kernel's own messages, for the scheme and
 *     version that ran (or the chunk-end proposal's own), including the
 *     BUG_ON of extend_brk() that the 4.15+ fallback runs into;
 *   - every table page is page-aligned, below 2^46 and unique (all origins);
 *     pages the allocators took (pgt_buf, memblock, chunk-end) lie in
 *     memblock RAM and on no reservation that existed before mapping;
 *   - the state replayed at the last event equals the final state, and the
 *     per-level table counters add up to the number of tables (a run cut
 *     by max_events may hold one table whose ALLOC event was not recorded);
 *   - Xen PV: no live table is ever writable, except under the old
 *     scheme's pgt_buf_end rule (the 2012 bug);
 *   - a run that completed (no panic, not cut by max_events) maps the
 *     first, middle and last page of every memblock RAM region (below
 *     max_pfn) to itself, where the effective e820 type is usable.
 */
#ifndef PGTVIZ_FUZZ_INVARIANTS_H
#define PGTVIZ_FUZZ_INVARIANTS_H

#include "pgtviz/core.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline bool
pgtf_why(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return false;
}

/* The fuzzing budget.  A run's cost is linear in what it builds, and the
 * core refuses runs over its bounds (pgt_sim_cost: 16 Mi table pages, Xen
 * PV RAM to 512 GiB), but a legal big machine still takes seconds under
 * ASan, UBSan and coverage: the 64 TiB map with 2 MiB pages (32,768 PMD
 * pages, 16.7 M entries) 17 s of CPU for fuzz_json's eight runs, a 96 GiB
 * Xen PV guest (25 M PTEs, each written and checked) about as much; the
 * fuzzers stopped on those timeouts (profiled: the walk's entry writes,
 * linear, not a search).  A run predicted over 4,096 table pages or
 * 2^21 Xen PV PTEs is therefore cut at PGTF_BIG_RUN_EVENTS events (the
 * invariants hold for a cut run); test_maps and the bench run such
 * machines whole. */
#define PGTF_BIG_RUN_EVENTS 4096
static inline uint64_t pgtf_event_cap(const pgt_scenario *sc, const pgt_run_opts *o, uint64_t cap)
{
	pgt_cost c = pgt_sim_cost(sc, o);
	if ((c.table_pages > 4096 || c.xen_ptes > (1u << 21)) && cap > PGTF_BIG_RUN_EVENTS)
		return PGTF_BIG_RUN_EVENTS;
	return cap;
}

/* Is `msg` a panic the simulated kernel (scheme, version) can print? */
static inline bool pgtf_known_panic(const pgt_sim *s, const char *msg)
{
	if (!strcmp(msg, "run out of range for init_memory_mapping"))
		return true; /* split_mem_range / save_mr, every version */
	/* Xen PV: a failed MMUEXT_PIN_L1_TABLE on a new PTE page; Xen crashes
	 * the domain (walk.c xen_pin_l1; gallery scenario xen-live-patient) */
	if (pgt_sim_xen(s) && !strcmp(msg, "(XEN) Domain 0 (vcpu#0) crashed on cpu#0:"))
		return true;
	switch (pgt_sim_scheme(s)) {
	case PGT_SCHEME_PGTBUF:
		/* find_early_table_space, alloc_low_page (<= 3.8) */
		return !strcmp(msg, "Cannot find space for the kernel page tables") ||
		       !strcmp(msg, "alloc_low_page: ran out of memory");
	case PGT_SCHEME_TOPDOWN:
	case PGT_SCHEME_BOTTOMUP: {
		/* alloc_low_page (3.9-3.12), alloc_low_pages (3.13+) */
		const char *fn =
		    pgt_sim_kver(s) >= PGT_KVER(3, 13, 0) ? "alloc_low_pages" : "alloc_low_page";
		size_t n = strlen(fn);
		/* 4.15+: extend_brk() after reserve_brk() stops on its BUG_ON */
		if (pgt_sim_kver(s) >= PGT_KVER(4, 15, 0) &&
		    !strcmp(msg, "kernel BUG at arch/x86/kernel/setup.c (extend_brk after "
		                 "reserve_brk: BRK is closed)"))
			return true;
		return !strncmp(msg, fn, n) && (!strcmp(msg + n, ": ran out of memory") ||
		                                !strcmp(msg + n, ": can not alloc memory"));
	}
	case PGT_SCHEME_CHUNKEND:
		return !strcmp(msg,
		               "chunk-end: no free page in the chunk just mapped or in the region");
	default:
		return false;
	}
}

static inline int pgtf_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static inline bool pgtf_in_regions(const pgt_region *r, size_t n, uint64_t pa, bool whole)
{
	for (size_t i = 0; i < n; i++) {
		if (whole ? (pa >= r[i].base && pa + 0x1000 <= r[i].base + r[i].size)
		          : (pa < r[i].base + r[i].size && pa + 0x1000 > r[i].base))
			return true;
	}
	return false;
}

/* The effective e820 type of the page at pa (0: none). */
static inline uint32_t pgtf_e820_type(const pgt_sim *s, uint64_t pa)
{
	const pgt_e820_entry *e;
	size_t n = pgt_sim_e820(s, &e);
	for (size_t i = 0; i < n; i++)
		if (pa >= e[i].start && pa + 0x1000 <= e[i].end)
			return e[i].type;
	return 0;
}

/* Checks every invariant of a finished run; false with `why` filled in when
 * one is broken.  `max_events` is the cap the run was given (0: none). */
static inline bool pgtf_check_sim(const pgt_sim *s, uint64_t max_events, char *why, size_t size)
{
	size_t nev = pgt_sim_event_count(s);
	bool truncated = max_events && nev >= max_events;
	const char *panic = pgt_sim_panic(s);
	if (panic && !pgtf_known_panic(s, panic))
		return pgtf_why(why, size, "%s: unknown panic \"%s\"", pgt_sim_model(s), panic);

	/* tables */
	size_t nt = pgt_sim_table_count(s);
	const pgt_table *t = pgt_sim_tables(s);
	const pgt_region *mem, *resv;
	size_t nmem = pgt_sim_memblock_memory(s, &mem);
	size_t nresv = pgt_sim_memblock_reserved_initial(s, &resv);
	uint64_t *pas = malloc((nt ? nt : 1) * sizeof(*pas));
	if (!pas)
		return pgtf_why(why, size, "out of memory in the checker");
	for (size_t i = 0; i < nt; i++) {
		pas[i] = t[i].pa;
		if ((t[i].pa & 0xfff) || t[i].pa >= (1ULL << 46) || t[i].level < PGT_PTE ||
		    t[i].level > PGT_PGD || t[i].origin >= PGT_ORIGIN_COUNT) {
			free(pas);
			return pgtf_why(why, size,
			                "%s: table %zu malformed (pa %#llx level %u origin %u)",
			                pgt_sim_model(s), i, (unsigned long long)t[i].pa,
			                t[i].level, t[i].origin);
		}
		int o = t[i].origin;
		if (o == PGT_ORIGIN_STATIC || o == PGT_ORIGIN_XEN || o == PGT_ORIGIN_BRK ||
		    o == PGT_ORIGIN_EXTEND_BRK)
			continue; /* in the kernel image, BRK or the domain builder's area */
		if (!pgtf_in_regions(mem, nmem, t[i].pa, true) ||
		    pgtf_in_regions(resv, nresv, t[i].pa, false)) {
			free(pas);
			return pgtf_why(why, size, "%s: %s table %#llx (%s) is not in free RAM",
			                pgt_sim_model(s), pgt_level_name(t[i].level),
			                (unsigned long long)t[i].pa, pgt_origin_name(o));
		}
	}
	qsort(pas, nt, sizeof(*pas), pgtf_cmp_u64);
	for (size_t i = 1; i < nt; i++) {
		if (pas[i] == pas[i - 1]) {
			uint64_t dup = pas[i];
			free(pas);
			return pgtf_why(why, size, "%s: two tables at %#llx", pgt_sim_model(s),
			                (unsigned long long)dup);
		}
	}
	free(pas);

	/* state replay */
	pgt_state fin = pgt_sim_state_at(s, SIZE_MAX);
	if (nev) {
		pgt_state last = pgt_sim_state_at(s, nev - 1);
		if (memcmp(&fin, &last, sizeof(fin)) != 0)
			return pgtf_why(why, size, "%s: state_at(%zu) != state_at(SIZE_MAX)",
			                pgt_sim_model(s), nev - 1);
	}
	/* A run cut by max_events may hold one last table whose ALLOC event
	 * was never recorded; every other table's event is in the trace. */
	size_t in_trace = 0;
	for (size_t i = 0; i < nt; i++) {
		if (t[i].alloc_event < nev)
			in_trace++;
		else if (!truncated || t[i].alloc_event != nev)
			return pgtf_why(why, size, "%s: table %zu allocated at event %u of %zu",
			                pgt_sim_model(s), i, t[i].alloc_event, nev);
	}
	uint64_t sum = 0;
	for (int l = PGT_PTE; l <= PGT_PGD; l++)
		sum += fin.tables[l];
	if (sum != in_trace)
		return pgtf_why(why, size, "%s: state counts %llu tables, the trace allocates %zu",
		                pgt_sim_model(s), (unsigned long long)sum, in_trace);

	/* Xen */
	if (pgt_sim_xen(s) && fin.violations) {
		bool end_rule = pgt_sim_scheme(s) == PGT_SCHEME_PGTBUF &&
		                strstr(pgt_sim_model(s), "pgt_buf_end rule") != NULL;
		if (!end_rule)
			return pgtf_why(why, size, "%s: %u Xen violations", pgt_sim_model(s),
			                fin.violations);
	}

	/* RAM maps to itself */
	if (!panic && !truncated) {
		uint64_t max_addr = pgt_sim_max_pfn(s) << 12;
		for (size_t i = 0; i < nmem; i++) {
			uint64_t a = (mem[i].base + 0xfff) & ~0xfffULL;
			uint64_t b = (mem[i].base + mem[i].size) & ~0xfffULL;
			if (b > max_addr)
				b = max_addr;
			if (a >= b)
				continue;
			uint64_t probe[3] = {a, b - 0x1000, a + (((b - a) >> 13) << 12)};
			for (int k = 0; k < 3; k++) {
				if (pgtf_e820_type(s, probe[k]) != PGT_E820_RAM)
					continue; /* E820_RESERVED_KERN alone above max_low_pfn
					             is not mapped by <= 3.8 either */
				pgt_translation tr = pgt_sim_translate(s, probe[k], SIZE_MAX);
				if (!tr.mapped || tr.pa != probe[k])
					return pgtf_why(
					    why, size, "%s: RAM page %#llx is not mapped to itself",
					    pgt_sim_model(s), (unsigned long long)probe[k]);
			}
		}
	}
	return true;
}

#endif
