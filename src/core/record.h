/*
 * record.c: what a run records and the storage it records into -- events
 * (with state checkpoints), the kernel log, table pages and their contents,
 * the pfn maps of the Xen checks, and the two ways a run ends early (panic,
 * out of memory).  The bottom of the core above memblock: it calls nothing
 * but memblock.c and libc.
 */
#ifndef PGTVIZ_RECORD_H
#define PGTVIZ_RECORD_H

#include "sim_state.h"

/* Out of memory: unwinds to pgt_sim_run(), which returns NULL. */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void sim_oom(pgt_sim *s);
/* Records an event (flushing a pending MAP / MARK_RO run first). */
void sim_emit(pgt_sim *s, pgt_event e);
void sim_flush(pgt_sim *s);
/* Coalescing emitters: consecutive leaf writes; read-only direct-map PTEs. */
void sim_map_run(pgt_sim *s, uint32_t table, uint64_t a, uint64_t b, unsigned shift);
void sim_ro_run(pgt_sim *s, uint64_t pfn);
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void sim_log(pgt_sim *s, int ll, bool shown, bool mapping, const char *fmt, ...);
/* Ends the run with "Kernel panic - not syncing: " and the message. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
void sim_panic(pgt_sim *s, const char *fmt, ...);
/* Ends the run like sim_panic with the message as given (a kernel BUG or
 * oops, not a "Kernel panic" line). */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
void sim_bug(pgt_sim *s, const char *fmt, ...);
/* A PGT_EV_SET event for an allocator variable (PGT_VAR_*). */
void sim_set(pgt_sim *s, int var, uint64_t a, uint64_t b);
/* The state an event leaves behind (checkpoints, pgt_sim_state_at). */
void sim_state_apply(pgt_state *st, const pgt_event *e);
/* Event i, decoded. */
pgt_event sim_event(const pgt_sim *s, size_t i);
/* The kind of event i and its table (NO_IDX for LOG), without decoding it:
 * cheap enough to scan millions of events. */
int sim_event_peek(const pgt_sim *s, size_t i, uint32_t *table);

uint32_t sim_new_table(pgt_sim *s, int level, int origin, uint64_t pa, uint64_t va_base,
                       uint32_t parent, unsigned slot, bool emit);
/* Entry i of directory page t: 0 none, 1 leaf, 0xffffffff head_64.S's
 * static leaf, k+2 child k (stored compactly: record.c). */
uint32_t sim_dir_get(const pgt_sim *s, uint32_t t, unsigned i);
void sim_dir_set(pgt_sim *s, uint32_t t, unsigned i, uint32_t v);
/* True if directory page t holds no child (its entries are one run of
 * leaves): walks of the tree can skip it. */
bool sim_dir_only_leaves(const pgt_sim *s, uint32_t t);
/* PTE page contents (entry i of table t) */
bool sim_pte_get(const pgt_sim *s, uint32_t t, unsigned i);
void sim_pte_set(pgt_sim *s, uint32_t t, unsigned i);
void sim_pte_set_range(pgt_sim *s, uint32_t t, unsigned i0, unsigned i1);
void sim_pte_clear(pgt_sim *s, uint32_t t, unsigned i);
bool sim_pte_any(const pgt_sim *s, uint32_t t, unsigned i0, unsigned i1);
/* The table at a physical page (Xen runs only), NO_IDX if none. */
uint32_t sim_table_at(const pgt_sim *s, uint64_t pfn);
void sim_map_put(pgt_sim *s, pfn_map *m, uint64_t key, uint32_t v);
uint32_t sim_map_get(const pfn_map *m, uint64_t key);
bool pfn_set_has(const pfn_set *ps, uint64_t pfn);
bool sim_pfn_set_add(pgt_sim *s, pfn_set *ps, uint64_t pfn);
bool pfn_set_del(pfn_set *ps, uint64_t pfn);
/* memblock_reserve with its RESERVE event. */
void sim_reserve(pgt_sim *s, uint64_t base, uint64_t size, bool tables);
/* Frees what record.c allocated (events, log, tables, maps). */
void sim_record_free(pgt_sim *s);

#endif
