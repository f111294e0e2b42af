/*
 * The state of one simulation run (struct pgt_sim) and the small types and
 * constants every layer of the core shares.  Types only: no function here,
 * so every file of the core may include it.
 *
 * The core is layered, each file calling only the files below it
 * (docs/architecture.md, "The core's inside"; tests/core_graph.sh checks
 * that the #include graph and the call graph between files have no cycle):
 *
 *   sim.c          the run loop: picks the model, runs set-up and scheme
 *   cost.c         the predicted cost of a run and its bounds
 *   query.c        the read-only query API of core.h (state at a step, text)
 *   schemes.c      the drivers of each scheme (init_memory_mapping callers)
 *   crashkernel.c  reserve_crashkernel after the mapping
 *   walk.c         the page-table walk, translation and ptdump
 *   entries.c      one table page's entries (ptdump --table, the inspector)
 *   split.c        split_mem_range
 *   alloc.c        the table-page allocators of the four schemes
 *   machine.c      e820 -> memblock set-up and the e820 queries
 *   record.c       events, checkpoints, kernel log, table storage, panics
 *   memblock.c     the simulated memblock
 *   sim_state.h    this file: the run's state, shared by all of the above
 */
#ifndef PGTVIZ_SIM_STATE_H
#define PGTVIZ_SIM_STATE_H

#include "memblock.h"
#include "pgtviz/core.h"

#include <setjmp.h>

#define SZ_4K   0x1000ULL
#define SZ_1M   0x100000ULL
#define SZ_2M   0x200000ULL
#define SZ_1G   0x40000000ULL
#define SZ_4G   0x100000000ULL
#define SZ_512G 0x8000000000ULL

#define MASK_2M 1u /* page_size_mask bits (PG_LEVEL_2M / PG_LEVEL_1G) */
#define MASK_1G 2u

#define NO_IDX     UINT32_MAX
#define CKPT_EVERY 512u
#define V(a, b, c) PGT_KVER(a, b, c)

/* One map_range entry of split_mem_range / init_memory_mapping. */
typedef struct map_range {
	uint64_t start, end; /* half-open, page-aligned */
	unsigned mask;       /* MASK_2M | MASK_1G */
} map_range;

/* A range of addresses [a, b). */
typedef struct boot_range {
	uint64_t a, b;
} boot_range;

/* One table page as the simulator keeps it: 24 bytes instead of the public
 * pgt_table's 40 (pgt_sim_table() widens it).  Addresses are stored as
 * 36-bit page numbers (48-bit addresses; imports clip at 46 bits). */
typedef struct tab {
	uint32_t pfn_lo;      /* low 32 bits of pa >> 12 */
	uint32_t vfn_lo;      /* low 32 bits of va_base >> 12 */
	uint32_t alloc_event; /* event index that created it (0 for static) */
	uint32_t hook_event;  /* event that linked it in (NO_IDX: never) */
	uint32_t parent;      /* parent table index (NO_IDX: root) */
	uint16_t slot;        /* entry index in the parent */
	uint8_t hi;           /* pfn bits 32-35 (low nibble), vfn bits 32-35 (high) */
	uint8_t level : 3;    /* enum pgt_level */
	uint8_t origin : 3;   /* enum pgt_origin */
	uint8_t live : 1;     /* reachable from the root through hooked tables */
	uint8_t violated : 1; /* a Xen violation was reported for it */
} tab;

/* Contents of a table (beside tab, same index).  Directory pages: index into
 * the dir pool.  PTE pages: one run [lo, hi) of present entries packed in
 * the word (almost every PTE page is filled in one go), or PTE_BITMAP | k:
 * block k of the bitmap pool once the entries stop being one run. */
#define PTE_BITMAP 0x80000000u

static inline uint64_t tab_pa(const tab *t)
{
	return ((uint64_t)(t->hi & 15) << 44) | ((uint64_t)t->pfn_lo << 12);
}
static inline uint64_t tab_va(const tab *t)
{
	return ((uint64_t)(t->hi >> 4) << 44) | ((uint64_t)t->vfn_lo << 12);
}

typedef struct logrec {
	size_t off; /* offset of the text in the pool */
	uint32_t event;
	uint8_t ll;
	bool shown, mapping;
} logrec;

/* Open-addressing hash: pfn -> table index (tables by physical page). */
typedef struct pfn_map {
	uint64_t *keys; /* pfn + 1; 0 = empty */
	uint32_t *vals;
	size_t cap, n;
} pfn_map;

/* walk.c: the replay of one address for pgt_sim_translate at a step. */
typedef struct path_replay path_replay;

/* Open-addressing set of pfns (Xen read-only direct-map PTEs). */
typedef struct pfn_set {
	uint64_t *keys;
	size_t cap, n;
} pfn_set;

struct pgt_sim {
	pgt_scenario sc;
	pgt_run_opts opts;
	int scheme;
	uint32_t kver;
	bool xen;
	int xen_rule;  /* END or TOP: the mask_rw_pte window */
	bool xen_hook; /* Xen: pagetable_reserve makes [pgt_buf_end, pgt_buf_top) RW */
	int sizing;
	unsigned cpu_mask;  /* page sizes the kernel may use (MASK_*) */
	bool print_gbpages; /* "Using GB pages for direct mapping" */
	char model[160];

	/* machine */
	bool bits32;       /* i386 model (scenario bits == 32) */
	bool pae;          /* i386: PAE (3-level, 2 MiB large pages) */
	uint64_t pmd_size; /* large-page size: 2 MiB, or 4 MiB on non-PAE i386 */
	uint64_t initial_mapped;
	pgt_e820_entry *e820;
	size_t n_e820;
	uint64_t e820_work;       /* edit-tree nodes the e820 edits visited (e820.c) */
	size_t *e820_next_ram;    /* [i]: first RAM/RESERVED_KERN entry >= i (n_e820 if none) */
	uint64_t e820_query_work; /* search steps and entries of the e820 queries */
	memblock mb;
	mb_array reserved_initial;
	uint64_t max_pfn, max_low_pfn;
	uint64_t kernel_start, kernel_end, brk_base, brk_end;
	uint64_t xen_mapped_end; /* Xen: end of the domain builder's mapping */
	uint64_t xen_ident_end;  /* Xen x86-64: end of the identity map after
	                          * xen_map_identity_early (the builder's mapping
	                          * plus up to four spare PTE pages) */
	uint64_t xen_mfn_list;   /* Xen: physical address of the p2m list */
	uint64_t xen_pt_base;    /* Xen: the builder's page tables (L4, L3, L2, L1s) */

	/* events: 8 bytes each (see record.c, "Event encoding"); the few that do
	 * not fit the packed forms are kept whole in xev */
	uint64_t *ev;
	size_t n_ev, cap_ev;
	pgt_event *xev;
	size_t n_xev, cap_xev;
	pgt_state cur;
	pgt_state *ckpt;
	size_t n_ckpt, cap_ckpt;
	uint64_t max_events;
	boot_range *boot; /* addresses the boot-time map still maps (record.c) */
	size_t n_boot, cap_boot;
	pgt_event pend;    /* coalescing MAP run (kind 0xff = none) */
	pgt_event pend_ro; /* coalescing MARK_RO run (Xen), flushed with it */

	/* kernel log */
	logrec *logs;
	size_t n_logs, cap_logs;
	char *pool;
	size_t pool_len, pool_cap;
	pgt_logline *log_out;

	/* page tables */
	tab *t;
	uint32_t *content; /* per table: see PTE_BITMAP */
	uint32_t *ro_ev;   /* Xen only, per table: made read-only (NO_IDX: never) */
	size_t nt, cap_t, cap_content, cap_ro_ev;
	uint32_t *dir; /* 512 entries per directory page: 0 none, 1 leaf, k+2 child k */
	size_t n_dir, cap_dir;
	uint64_t *pte; /* bitmap pool: 8 words (512 bits) per block */
	size_t n_pte, cap_pte;
	const pgt_allocator *alloc; /* where the arrays above live */
	pgt_table *tables_out;      /* pgt_sim_tables(): widened on first use */
	pgt_event *events_out;      /* pgt_sim_events(): decoded on first use */
	uint32_t root;
	pfn_map by_pfn;
	pfn_map pte_by_va; /* Xen, x86-64: 2 MiB region (va_base >> 21) -> PTE table */
	pfn_set ro;        /* Xen: pfns whose direct-map PTE is read-only */
	pfn_set pinned;    /* Xen: PTE pages (pfns) pinned by xen_alloc_pte_init */

	/* allocator state (pfns) */
	uint64_t pgt_buf_start, pgt_buf_end, pgt_buf_top;
	uint64_t min_pfn_mapped, max_pfn_mapped;
	bool can_use_brk_pgt;
	bool new_walk;             /* 3.9+ walk rules */
	bool map_low_page;         /* 2.6.39-3.8: existing tables re-mapped via early_memremap */
	bool chunk_walk;           /* chunk-end: inside a range, not its last chunk */
	uint64_t walk_range_start; /* chunk-end: start of the range walked chunk by
	                              chunk (UINT64_MAX: a whole-range walk) */
	uint32_t call;
	bool bottomup_warned;  /* memblock's bottom-up failure warning printed */
	bool kaslr_cross_done; /* the KASLR second-slot PUD page was allocated */
	/* chunk-end scheme */
	uint64_t slot_lo, slot_hi;
	uint64_t region_lo, region_hi;

	/* control */
	jmp_buf jb;
	bool panicked, truncated, oom;
	size_t panic_log;
	char *ptdump_cache;
	path_replay *tr_cache; /* walk.c: the last address replayed by
	                                 pgt_sim_translate (a cache) */

	/* crashkernel.c: outcome of reserve_crashkernel (crash_base 0 = failed) */
	uint64_t crash_base, crash_size;
	bool crash_tried;
};

/* The scenario's measured direct-map base (direct_map_base) where a run
 * can have one: memory KASLR is x86-64 from 4.8 (schemes.c); 0 else. */
static inline uint64_t sim_measured_base(const pgt_sim *s)
{
	return !s->bits32 && s->kver >= PGT_KVER(4, 8, 0) ? s->sc.direct_map_base : 0;
}

/* PAGE_OFFSET, the virtual address of physical 0 in the direct map
 * (pgt_sim_page_offset, core.h, says which): the measured base when the
 * run has one. */
static inline uint64_t sim_page_offset(const pgt_sim *s)
{
	if (s->bits32)
		return 0xc0000000ull;
	return sim_measured_base(s)            ? sim_measured_base(s)
	       : s->kver >= PGT_KVER(4, 20, 0) ? 0xffff888000000000ull
	                                       : 0xffff880000000000ull;
}

#endif
