/*
 * split.c: split_mem_range -- a range cut into map_range pieces by page
 * size -- and the page-size label of the mapping lines.  Calls memblock.c
 * only.
 */
#ifndef PGTVIZ_SPLIT_H
#define PGTVIZ_SPLIT_H

#include "sim_state.h"

size_t split_mem_range(const pgt_sim *s, map_range *mr, uint64_t start, uint64_t end, unsigned mask,
                       bool adjust, bool adjust_before_merge);
const char *page_label(const pgt_sim *s, unsigned mask);

#endif
