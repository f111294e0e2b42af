/*
 * walk.c: kernel_physical_mapping_init (x86-64 and i386), head_64.S's and
 * the Xen builder's initial tables, the Xen PV read-only and pin checks,
 * and the queries that walk the tables (translation, ptdump).  Calls
 * alloc.c for new table pages, machine.c for e820, record.c to record.
 */
#ifndef PGTVIZ_WALK_H
#define PGTVIZ_WALK_H

#include "alloc.h"
#include "machine.h"

uint64_t walk32_kpmi(pgt_sim *s, uint64_t start, uint64_t end, unsigned mask);
void walk32_static_tables(pgt_sim *s);
uint64_t walk_kpmi(pgt_sim *s, uint64_t start, uint64_t end, unsigned mask);
void walk_static_tables(pgt_sim *s, bool ident);
void walk_hook(pgt_sim *s, uint32_t parent, unsigned slot, uint32_t child);
bool walk_effective_rw(pgt_sim *s, uint64_t pa, bool *mapped);
/* Frees pgt_sim_translate's replay cache (pgt_sim_free). */
void walk_cache_free(pgt_sim *s);

#endif
