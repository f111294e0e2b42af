/*
 * e820.c: the effective e820 map of a run -- the scenario's map sanitised
 * (overlaps resolved, sorted, equal neighbours merged), then the version's
 * own low-memory trims, the scenario's edits and mem=, each applied in
 * O(log n) steps (n: the map's entries and the edits' boundaries) of a
 * lazy segment tree, however many entries it overlaps.  Needs
 * no simulation state, so the cost prediction (cost.c) can count what a
 * run will search.  Calls nothing else of the core.
 */
#ifndef PGTVIZ_CORE_E820_H
#define PGTVIZ_CORE_E820_H

#include "sim_state.h"

typedef struct e820_result {
	pgt_e820_entry *e; /* the effective map, sorted, malloc'd */
	size_t n;          /* entries in e */
	size_t overlaps;   /* entries that overlapped an earlier one (sanitised) */
	uint64_t work;     /* edit-tree nodes the edits visited (a cost count) */
} e820_result;

/* The distinct nonzero types the edits of sc name, the version's trims'
 * usable and reserved first, counted up to PGT_MAX_E820_EDIT_TYPES + 1;
 * the first cap of them go to types (may be NULL). */
size_t e820_edit_types(const pgt_scenario *sc, uint32_t *types, size_t cap);

/* Builds the effective map for kernel version kver (trims by version).
 * false when memory runs out or the edits name more than
 * PGT_MAX_E820_EDIT_TYPES types (nothing to free then). */
bool e820_effective(const pgt_scenario *sc, uint32_t kver, e820_result *out);

#endif
