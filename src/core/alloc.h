/*
 * alloc.c: where each scheme takes a new table page from -- the pgt_buf
 * window (2.6.2x-3.8), BRK then memblock inside [min_pfn_mapped,
 * max_pfn_mapped) (3.9+, top-down and bottom-up), or the end of the chunk
 * just mapped (chunk-end).  The walk calls down into it; the scheme drivers
 * set the state it reads (pgt_buf_*, *_pfn_mapped, can_use_brk_pgt, slot_*,
 * region_*) in struct pgt_sim.  Calls record.c and memblock.c only.
 */
#ifndef PGTVIZ_ALLOC_H
#define PGTVIZ_ALLOC_H

#include "record.h"

/* A new table page for the walk: level, the virtual base it maps, and
 * where it is linked (parent NO_IDX: none yet). */
uint32_t alloc_table(pgt_sim *s, int level, uint64_t va_base, uint32_t parent, unsigned slot);

/* alloc_low_pages(n): n unlinked table pages taken at once (3.9+ scheme;
 * one page through alloc_table otherwise); the first one's index. */
uint32_t alloc_tables_n(pgt_sim *s, int level, unsigned n);

#endif
