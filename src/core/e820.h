/*
 * e820.c: the effective e820 map of a run -- the scenario's map sanitised
 * (overlaps resolved, sorted, equal neighbours merged), then the version's
 * own low-memory trims, the scenario's edits and mem=, each applied in
 * O(log n + k) (k: the entries the edit overlaps) on a skip list.  Needs
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
	uint64_t work;     /* skip-list nodes visited by the edits (a cost count) */
} e820_result;

/* Builds the effective map for kernel version kver (trims by version).
 * false when memory runs out (nothing to free then). */
bool e820_effective(const pgt_scenario *sc, uint32_t kver, e820_result *out);

#endif
