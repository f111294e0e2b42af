/*
 * Bounded cost: what a run will cost, predicted from the scenario alone.
 *
 * A run's memory and time grow with the table pages it builds (about 60
 * bytes and a few events each, docs/performance.md) and, under Xen PV, with
 * every direct-map PTE, which the walk writes and checks one page at a time
 * (no large pages, the read-only and pin rules per entry).  RAM bytes cost
 * nothing by themselves.  The prediction is an upper bound computed from
 * the e820 map in one pass, before anything runs:
 *
 *   - the ranges the scheme maps: the old scheme and chunk-end map
 *     [0, 4 GiB) and [4 GiB, max_pfn) whole, holes included
 *     (init_memory_mapping(0, max_low_pfn) and (4 GiB, max_pfn) up to 3.8);
 *     3.9+ maps the ISA range and each RAM range (for_each_mem_pfn_range);
 *   - max_pfn at most MAX_ARCH_PFN (46 physical bits on 4-level x86-64),
 *     and mem= lowers it; a usable entry of the e820 edits counts as RAM;
 *   - per range: one PTE page per 2 MiB it touches (two at most, at its
 *     ends, when 2 MiB pages are allowed), one PMD page per GiB (two at
 *     most with 1 GiB pages), one PUD page per 512 GiB;
 *   - Xen PV: every page of those ranges is a PTE written one by one;
 *   - the old schemes (x86-64): the RAM ranges above 4 GiB of the effective
 *     e820 map (e820.c applies the edits, O(n log n)).  The 3.7/3.8 model
 *     maps each with its own init_memory_mapping (schemes.c), whose search
 *     for table space may walk every range below it: n ranges cost O(n^2)
 *     (100,000 took 61 s of CPU), as in the kernel, whose e820 table held
 *     at most E820_X_MAX entries (E820MAX + 3 * MAX_NUMNODES: 3,200 with
 *     NODES_SHIFT 10, the largest x86-64 setting; arch/x86/include/asm/
 *     e820.h of the 3.x trees).  Every old-scheme run is held to that
 *     count, whatever its version.
 *
 * The bounds (core.h): 16 Mi table pages -- 64 GiB of page tables, the
 * direct map of just under 32 TiB in 4 KiB pages, about 1 GiB of pgtviz
 * memory -- and, for Xen PV, RAM that ends at or below 512 GiB: the reach of
 * the kernel's 3-level p2m tree (MAX_P2M_PFN = 512 * 512 * 512 pages in
 * arch/x86/xen/p2m.c of the 2.6.3x-3.x trees read), as much as a Xen PV
 * guest of that era could address; 2^27 PTEs written one by one.
 */
#include "cost.h"

#include "e820.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_PHYS (1ULL << 46) /* MAX_PHYSMEM_BITS, 4-level x86-64 */

/* Units of 2^shift bytes that [a, b) touches. */
static uint64_t units(uint64_t a, uint64_t b, unsigned shift)
{
	return b > a ? ((b - 1) >> shift) - (a >> shift) + 1 : 0;
}

static uint64_t at_most(uint64_t n, uint64_t cap)
{
	return n < cap ? n : cap;
}

static void add_range(pgt_cost *c, uint64_t a, uint64_t b, unsigned mask, bool xen)
{
	if (b <= a)
		return;
	uint64_t pte = units(a, b, 21), pmd = units(a, b, 30);
	c->table_pages += (mask & MASK_2M) ? at_most(pte, 2) : pte;
	c->table_pages += (mask & MASK_1G) ? at_most(pmd, 2) : pmd;
	c->table_pages += units(a, b, 39);
	if (xen) {
		c->xen_ptes += units(a, b, 12);
		if (b > c->xen_end)
			c->xen_end = b;
	}
}

/* RAM end of the map (clipped to 46 bits and mem=). */
static uint64_t ram_end(const pgt_scenario *sc, uint64_t limit)
{
	uint64_t end = 0;
	for (size_t i = 0; i < sc->n_e820; i++)
		if ((sc->e820[i].type == PGT_E820_RAM ||
		     sc->e820[i].type == PGT_E820_RESERVED_KERN) &&
		    sc->e820[i].end > end)
			end = sc->e820[i].end;
	for (size_t i = 0; i < sc->n_edits; i++)
		if (sc->edits[i].to_type == PGT_E820_RAM && sc->edits[i].end > end)
			end = sc->edits[i].end;
	return end < limit ? end : limit;
}

/* RAM ranges (RAM or RESERVED_KERN entries) of the effective map that end
 * above 4 GiB; 0 when memory runs out (the run itself then fails). */
static uint64_t ram_ranges_high(const pgt_sim *s, const pgt_scenario *sc)
{
	e820_result r;
	if (!e820_effective(sc, s->kver, &r))
		return 0;
	uint64_t n = 0;
	for (size_t i = 0; i < r.n; i++)
		n += (r.e[i].type == PGT_E820_RAM || r.e[i].type == PGT_E820_RESERVED_KERN) &&
		     r.e[i].end > SZ_4G;
	free(r.e);
	return n;
}

pgt_cost cost_predict(const pgt_sim *s, const pgt_scenario *sc)
{
	pgt_cost c = {0, 0, 0, 0, e820_edit_types(sc, NULL, 0)};
	uint64_t limit = s->bits32 ? SZ_4G : MAX_PHYS;
	if (sc->mem_limit && sc->mem_limit < limit)
		limit = sc->mem_limit;
	const unsigned mask = s->cpu_mask;
	const bool old = s->scheme == PGT_SCHEME_PGTBUF || s->scheme == PGT_SCHEME_CHUNKEND;
	if (old && !s->bits32)
		c.ram_ranges_high = ram_ranges_high(s, sc);
	if (old || s->bits32) {
		uint64_t end = ram_end(sc, limit);
		add_range(&c, 0, end < SZ_4G ? end : SZ_4G, mask, s->xen);
		add_range(&c, SZ_4G, end, mask, s->xen);
	} else {
		add_range(&c, 0, SZ_1M, mask, s->xen);
		for (size_t i = 0; i < sc->n_e820; i++) {
			const pgt_e820_entry *e = &sc->e820[i];
			if (e->type == PGT_E820_RAM || e->type == PGT_E820_RESERVED_KERN)
				add_range(&c, e->start, e->end < limit ? e->end : limit, mask,
				          s->xen);
		}
		for (size_t i = 0; i < sc->n_edits; i++) {
			const pgt_e820_edit *e = &sc->edits[i];
			if (e->to_type == PGT_E820_RAM)
				add_range(&c, e->start, e->end < limit ? e->end : limit, mask,
				          s->xen);
		}
	}
	c.table_pages += 16; /* static tables, KASLR's extra PUD page, the root */
	return c;
}

bool cost_within(const pgt_cost *c, char *msg, size_t size)
{
	if (c->xen_end > PGT_MAX_XEN_RAM) {
		snprintf(
		    msg, size,
		    "a Xen PV guest with RAM up to %llu GiB is beyond what pgtviz simulates: "
		    "Xen PV guests end at 512 GiB (the reach of the kernel's 3-level p2m; %llu "
		    "direct-map PTEs, each written and checked one by one)",
		    (unsigned long long)((c->xen_end + (1ULL << 30) - 1) >> 30),
		    (unsigned long long)c->xen_ptes);
		return false;
	}
	if (c->edit_types > PGT_MAX_E820_EDIT_TYPES) {
		snprintf(msg, size,
		         "the e820 edits name more than %d e820 types (usable and reserved, which "
		         "the kernel's own trims name, included); pgtviz applies edits with a "
		         "table entry per type and takes at most %d",
		         PGT_MAX_E820_EDIT_TYPES, PGT_MAX_E820_EDIT_TYPES);
		return false;
	}
	if (c->ram_ranges_high > PGT_MAX_RAM_RANGES_HIGH) {
		snprintf(
		    msg, size,
		    "the e820 map has %llu RAM ranges above 4 GiB after its edits; the schemes "
		    "up to 3.8 search the ranges below each one they map, and pgtviz takes at "
		    "most %d (E820_X_MAX, the most entries the kernel's e820 table held)",
		    (unsigned long long)c->ram_ranges_high, PGT_MAX_RAM_RANGES_HIGH);
		return false;
	}
	if (c->table_pages > PGT_MAX_TABLE_PAGES) {
		snprintf(msg, size,
		         "the direct map would need up to %llu page-table pages; pgtviz simulates "
		         "at most %llu (64 GiB of tables: just under 32 TiB in 4 KiB pages)",
		         (unsigned long long)c->table_pages,
		         (unsigned long long)PGT_MAX_TABLE_PAGES);
		return false;
	}
	if (size)
		msg[0] = '\0';
	return true;
}
