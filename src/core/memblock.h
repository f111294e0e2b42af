/*
 * Simulated memblock: the boot-time region allocator (mm/memblock.c).
 *
 * Two sorted, non-overlapping, merged region arrays: `memory` (RAM handed
 * over from e820) and `reserved`.  The searches mirror the kernel's:
 *   - top-down, 3.3+ (for_each_free_mem_range_reverse): highest aligned fit
 *     inside a free range clamped to [start, end); 0 on failure;
 *   - top-down, 2.6.37-3.2 (memblock_find_base/memblock_find_region): walks
 *     memory regions from the top, skipping down past overlapping
 *     reservations; same answer in ordinary layouts;
 *   - bottom-up, 3.13+: lowest aligned fit;
 *   - first fit over e820 RAM for <= 2.6.36 lives in schemes.c (find_e820_area).
 * Regions carry no node id: every scenario is one node for these searches.
 */
#ifndef PGTVIZ_MEMBLOCK_H
#define PGTVIZ_MEMBLOCK_H

#include "pgtviz/core.h"

typedef struct mb_array {
	pgt_region *r; /* sorted by base, merged when touching */
	size_t n, cap;
} mb_array;

typedef struct memblock {
	mb_array memory;
	mb_array reserved;
} memblock;

void mb_free(memblock *mb);
/* Adds [base, base+size) merging with touching neighbours.  false = OOM. */
bool mb_array_add(mb_array *a, uint64_t base, uint64_t size);
/* Removes [base, base+size) (splitting regions).  false = OOM. */
bool mb_array_remove(mb_array *a, uint64_t base, uint64_t size);
bool mb_array_copy(mb_array *dst, const mb_array *src);

/* memblock_is_region_memory: one memory region holds all of [base, +size). */
bool mb_is_region_memory(const memblock *mb, uint64_t base, uint64_t size);
/* Any reserved byte inside [base, end)? */
bool mb_is_reserved(const memblock *mb, uint64_t base, uint64_t end);

/* 3.3+ top-down search.  Returns 0 when nothing fits. */
uint64_t mb_find_topdown(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                         uint64_t align);
/* 2.6.37 - 3.2 top-down search (old memblock).  Returns 0 when nothing fits. */
uint64_t mb_find_topdown_old(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                             uint64_t align);
/* 3.13+ bottom-up search.  Returns 0 when nothing fits. */
uint64_t mb_find_bottomup(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                          uint64_t align);

static inline uint64_t rd_u64(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}
static inline uint64_t ru_u64(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

#endif
