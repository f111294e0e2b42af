/*
 * pgtviz core: a deterministic re-implementation of the x86-64 Linux boot-time
 * direct-mapping page-table allocators (e820 -> memblock -> split ranges ->
 * PGD/PUD/PMD/PTE pages placed in simulated physical memory).
 *
 * The core is plain C11 + libc: no SDL, no cJSON, no I/O, no clock.  Callers
 * describe a machine with a pgt_scenario, pick a scheme and a kernel version
 * model with pgt_run_opts, call pgt_sim_run() and read back:
 *   - the event trace (every action, one record each, in order);
 *   - the kernel log lines that version printed (byte-exact);
 *   - the table pages with their physical address, level, origin and the
 *     event that allocated them (state at any event = "alloc_event <= step");
 *   - small per-event scalars (pgt_buf_*, min/max_pfn_mapped, step size).
 *
 * Rules are documented in docs/kernel-model.md with the kernel versions and
 * files they come from.  Memory grows with table pages and regions, never
 * with bytes of RAM.
 */
#ifndef PGTVIZ_CORE_H
#define PGTVIZ_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Kernel versions                                                          */
/* ------------------------------------------------------------------------ */

/* A kernel version as one comparable number: PGT_KVER(3, 9, 8).  The low
 * byte orders release candidates before their release: PGT_KVER_RC(2, 6,
 * 39, 1) is 2.6.39-rc1, below PGT_KVER(2, 6, 39).  For 2.6.x kernels the
 * third number is the series (2.6.39); their stable number is not kept.
 * Code compares versions only through these macros. */
#define PGT_KVER_RC(a, b, c, rc)                                                                   \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(rc))
#define PGT_KVER(a, b, c)     PGT_KVER_RC(a, b, c, 0xff)
#define PGT_KVER_MAJOR(v)     ((unsigned)((v) >> 24))
#define PGT_KVER_MINOR(v)     ((unsigned)(((v) >> 16) & 0xff))
#define PGT_KVER_PATCH(v)     ((unsigned)(((v) >> 8) & 0xff))
#define PGT_KVER_RC_NUMBER(v) ((unsigned)((v)&0xff) == 0xff ? 0u : (unsigned)((v)&0xff))
/* Same major.minor (3.9 and 3.9.8, 3.9-rc2). */
#define PGT_KVER_SAME_SERIES(a, b) (((a) >> 16) == ((b) >> 16))

/* Lenient parse of a release string as a log prints it: "3.9", "3.9.8",
 * "3.8.0-31-generic", "2.6.39.3", "3.10.0-rc6-00397" (release candidates
 * of logs are read as their release); 0 on failure.  User input (options,
 * scenario files) goes through pgt_kver_check instead. */
uint32_t pgt_kver_parse(const char *text);
/* Formats as "3.9.8", "3.9", "2.6.39" or "2.6.39-rc1" into buf; returns buf. */
char *pgt_kver_format(uint32_t kver, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Scenario: the machine to simulate                                        */
/* ------------------------------------------------------------------------ */

enum pgt_e820_type {
	PGT_E820_RAM = 1,
	PGT_E820_RESERVED = 2,
	PGT_E820_ACPI = 3,
	PGT_E820_NVS = 4,
	PGT_E820_UNUSABLE = 5,
	PGT_E820_PMEM = 7,
	PGT_E820_PRAM = 12,
	PGT_E820_SOFT_RESERVED = 0xefffffff,
	PGT_E820_RESERVED_KERN = 128,
};

/* Returns the kernel's name for an e820 type ("usable", "reserved",
 * "ACPI data", "ACPI NVS", "unusable", "persistent (type 12)", "type 20"...)
 * in buf. */
const char *pgt_e820_type_name(uint32_t type, char *buf, size_t size);

typedef struct pgt_e820_entry {
	uint64_t start; /* first byte */
	uint64_t end;   /* one past the last byte (half-open) */
	uint32_t type;  /* raw e820 type number (enum pgt_e820_type or other) */
} pgt_e820_entry;

/* An edit of the e820 map applied in order before memblock is filled
 * (the log's "e820: update [mem ..] usable ==> reserved", "e820: remove",
 * mem=, memmap=, MTRR trimming). */
typedef struct pgt_e820_edit {
	uint64_t start, end; /* half-open */
	uint32_t from_type;  /* only parts of this type are changed; 0 = any */
	uint32_t to_type;    /* new type; 0 = remove */
} pgt_e820_edit;

enum pgt_resv_kind {
	PGT_RESV_KERNEL,      /* kernel image [_text, __bss_stop) */
	PGT_RESV_INITRD,      /* RAMDISK */
	PGT_RESV_EBDA,        /* EBDA / BIOS low memory */
	PGT_RESV_SETUP_DATA,  /* EFI / setup_data */
	PGT_RESV_XEN,         /* Xen start info, p2m list, initial tables */
	PGT_RESV_CRASHKERNEL, /* crashkernel= (reserved after mapping) */
	PGT_RESV_OTHER,
	PGT_RESV_EFI_BOOT, /* EFI boot-services code/data: reserved before the
	                    * mapping by efi_reserve_boot_services (3.0+) when
	                    * the kernel's checks allow it (see kernel-model.md) */
	PGT_RESV_KIND_COUNT
};
const char *pgt_resv_kind_name(int kind);

/* A memblock reservation present before the direct mapping is built. */
typedef struct pgt_resv {
	uint64_t start, end; /* half-open */
	int kind;            /* enum pgt_resv_kind */
	char label[32];
} pgt_resv;

/* A piece of scenario narration shown at a marker or event. */
typedef struct pgt_note {
	char *at;    /* marker name ("call:2", "panic", "violation") or "event:N" */
	char *text;  /* owned */
	char *brief; /* owned, NULL: none; a shorter wording of text (the JSON
	              * "short"), shown where text would push a pane's counters
	              * out (a small canvas) */
} pgt_note;

/* Page-size capability of the CPU / kernel config. */
typedef struct pgt_cpu {
	bool pse;             /* 2 MiB pages (any "page 2M" line) */
	bool gbpages;         /* 1 GiB pages (CPU pdpe1gb + CONFIG_DIRECT_GBPAGES) */
	bool debug_pagealloc; /* DEBUG_PAGEALLOC/KMEMCHECK: 4k only */
} pgt_cpu;

typedef struct pgt_scenario {
	char *name;        /* short id, e.g. "pc-4g" (owned) */
	char *title;       /* one line (owned, may be NULL) */
	char *description; /* a paragraph (owned, may be NULL) */

	uint32_t kver;  /* version model to run; 0 = scheme default */
	int schemes[2]; /* enum pgt_scheme shown side by side */
	pgt_cpu cpu;
	bool xen_pv;       /* Xen PV guest */
	int xen_rule;      /* enum pgt_xen_rule (XEN_RULE_AUTO = by version) */
	bool kaslr_memory; /* CONFIG_RANDOMIZE_MEMORY (4.8+): 12 BRK pages */
	int sizing;        /* enum pgt_sizing (AUTO = by version) */

	pgt_e820_entry *e820; /* BIOS map in table order (owned) */
	size_t n_e820;
	pgt_e820_edit *edits; /* applied in order (owned) */
	size_t n_edits;
	pgt_resv *resv; /* reservations known before mapping (owned) */
	size_t n_resv;

	uint64_t kernel_start;     /* physical _text; 0 = default 16 MiB */
	uint64_t kernel_end;       /* physical __bss_stop; 0 = default */
	uint64_t brk_base;         /* physical address of the BRK page-table buffer
	                              (3.9+); 0 = right after the kernel image */
	uint64_t xen_mapped_end;   /* Xen PV: end of the initial identity map
	                              (max_pfn_mapped<<12); 0 = default */
	uint64_t kernel_image_end; /* physical _end: the end of the whole BRK
	                              area reserved at link time, where
	                              bottom-up mapping starts; 0 = BRK base +
	                              64 KiB */
	uint64_t direct_map_base;  /* virtual address of physical 0 in the direct
	                              map (page_offset_base), 1 GiB-aligned, as
	                              measured on a running kernel: memory KASLR
	                              (4.8+) picks it at random and no log prints
	                              it; 0 = unknown (slot-aligned, as without
	                              KASLR; `check` may infer a crossing) */
	uint32_t brk_pages;        /* pages of the BRK page-table buffer
	                              (early_pgt_alloc); 0 = by version */
	bool resv_complete;        /* resv is all of memblock.reserved before
	                              mapping (a memblock=debug log): the
	                              simulator adds no reservation of its own */

	/* Command-line options that matter. */
	uint64_t mem_limit;   /* mem=; 0 = none */
	bool nogbpages;       /* nogbpages */
	bool movable_node;    /* movable_node (bottom-up, 3.13+) */
	bool nokaslr;         /* nokaslr: no memory KASLR at run time (4.8+) */
	uint64_t reservelow;  /* reservelow=; 0 = default 64 KiB */
	uint64_t crashkernel; /* crashkernel=SIZE; 0 = none */

	pgt_note *notes; /* owned */
	size_t n_notes;

	/* 32-bit (i386) kernels.  bits = 32 selects the i386 model: 3-level PAE
	 * (2 MiB large pages) or 2-level non-PAE (4 MiB large pages), lowmem only
	 * in the direct map. */
	int bits;                /* 64 (or 0) = x86-64, 32 = i386 */
	bool pae;                /* i386: PAE kernel */
	bool highmem;            /* i386: CONFIG_HIGHMEM (pkmap page table) */
	uint64_t lowmem_end;     /* i386: end of lowmem (MAXMEM); 0 = default */
	uint64_t fixmap_size;    /* i386: bytes of the permanent fixmap slots, as
	                          * the "fixmap :" line shows; 0 = default */
	uint64_t initial_mapped; /* end of the boot-time mapping before the
	                            direct map is built ("initial memory mapped");
	                            0 = default: 512 MiB on x86-64, 32 MiB i386 */
} pgt_scenario;

/* Frees everything a scenario owns (not the struct itself). */
void pgt_scenario_clear(pgt_scenario *sc);
/* Deep copy; returns false on allocation failure. */
bool pgt_scenario_copy(pgt_scenario *dst, const pgt_scenario *src);
/* Appenders used by loaders; return false on allocation failure.  The arrays
 * of a scenario must only be grown with these (they size by powers of two). */
bool pgt_scenario_add_e820(pgt_scenario *sc, uint64_t start, uint64_t end, uint32_t type);
bool pgt_scenario_add_edit(pgt_scenario *sc, uint64_t start, uint64_t end, uint32_t from_type,
                           uint32_t to_type);
bool pgt_scenario_add_resv(pgt_scenario *sc, uint64_t start, uint64_t end, int kind,
                           const char *label);
bool pgt_scenario_add_note(pgt_scenario *sc, const char *at, const char *text);
/* Adds a copy of note n (its short wording too). */
bool pgt_scenario_copy_note(pgt_scenario *sc, const pgt_note *n);
/* Sets *field (a char * of the scenario) to a copy of text. */
bool pgt_scenario_set_str(char **field, const char *text);

/* Built-in scenarios ("pc-4g", "qemu-1g", ...). */
size_t pgt_builtin_count(void);
const char *pgt_builtin_name(size_t i);
const char *pgt_builtin_title(size_t i);
/* Fills sc (which must be zeroed or cleared) with built-in i. */
bool pgt_builtin_load(size_t i, pgt_scenario *sc);
/* Index of a built-in by name, or -1. */
int pgt_builtin_find(const char *name);
/* The benchmark machine: `gib` GiB of RAM, 3 GiB below a 1 GiB PCI hole and
 * the rest from 4 GiB up; 2 MiB and 1 GiB pages, or 4k only. */
bool pgt_builtin_bench(pgt_scenario *sc, uint64_t gib, bool k4_only);
/* The version model the benchmarks run for a scheme (3.8 for pgtbuf, 3.13
 * for the others: enough BRK pages for the big 4k-only maps). */
uint32_t pgt_builtin_bench_kver(int scheme);

/* ------------------------------------------------------------------------ */
/* Run options                                                              */
/* ------------------------------------------------------------------------ */

enum pgt_scheme {
	PGT_SCHEME_PGTBUF,   /* "pgtbuf" / "old": linear pgt_buf, <= 3.8 */
	PGT_SCHEME_TOPDOWN,  /* "top-down" / "new": BRK + memblock, 3.9+ */
	PGT_SCHEME_BOTTOMUP, /* "bottom-up": 3.13+ movable_node */
	PGT_SCHEME_CHUNKEND, /* "chunk-end": hpa's 2012 proposal */
	PGT_SCHEME_COUNT
};

/* ---- the table of schemes and version models (src/core/versions.c) ------
 * Every fact about schemes and versions that more than one file needs:
 * names, aliases, captions, eras, default and accepted versions, the
 * version models the window offers, and which version picks which scheme.
 * Adding a version model (a release candidate too) is one line in that
 * file's model lists. */

/* First version pgtviz models, and the first it does not. */
#define PGT_KVER_OLDEST PGT_KVER(2, 6, 26)
#define PGT_KVER_END    PGT_KVER(7, 0, 0)
/* First version with the top-down scheme (BRK + memblock), and with the
 * bottom-up (movable_node) variant. */
#define PGT_KVER_TOPDOWN  PGT_KVER(3, 9, 0)
#define PGT_KVER_BOTTOMUP PGT_KVER(3, 13, 0)

typedef struct pgt_scheme_info {
	int scheme;             /* enum pgt_scheme (== its index) */
	const char *name;       /* canonical name: "pgtbuf" */
	const char *alias;      /* the short name shown beside it ("old"), or NULL */
	const char *spellings;  /* every accepted name, comma-separated */
	const char *summary;    /* one line for `pgtviz list` */
	const char *era;        /* pane captions: "2.6.2x–3.8" */
	const char *era_text;   /* messages: "kernels up to 3.8" */
	uint32_t first, end;    /* versions it models: first <= v < end */
	uint32_t default_kver;  /* version model when none is given */
	const uint32_t *models; /* version models the window steps through, ascending */
	size_t n_models;
} pgt_scheme_info;

/* The row of a scheme; NULL if out of range. */
const pgt_scheme_info *pgt_scheme_get(int scheme);
const char *pgt_scheme_name(int scheme);
/* Accepts the names and aliases ("old", "new"); -1 if unknown. */
int pgt_scheme_parse(const char *name);
/* "pgtbuf, top-down, bottom-up, chunk-end; aliases old, new" (static text). */
const char *pgt_scheme_names_text(void);
/* Version model used when none is given. */
uint32_t pgt_scheme_default_kver(int scheme);
/* Whether scheme models kver (0 = automatic: always true). */
bool pgt_scheme_accepts(int scheme, uint32_t kver);
/* The scheme a version used: pgtbuf up to 3.8, top-down from 3.9. */
int pgt_scheme_for_kver(uint32_t kver);

/* Strict check of a version given by a user (option, scenario file): the
 * whole text must be N.N[.N] (2.6.N[.N] for 2.6), or a release candidate
 * listed as a model ("2.6.39-rc1"), within PGT_KVER_OLDEST..6.x.  Returns
 * the version, or 0 and writes the one message every caller prints into
 * msg: "'7.0' is not a version pgtviz models (2.6.26 to 6.x, e.g. 3.8 or
 * 3.9.8)". */
uint32_t pgt_kver_check(const char *text, char *msg, size_t size);
/* Whether scheme models kver; if not, writes "the pgtbuf scheme models
 * kernels up to 3.8" into msg. */
bool pgt_scheme_check_kver(int scheme, uint32_t kver, char *msg, size_t size);

enum pgt_xen_rule {
	PGT_XEN_RULE_AUTO,       /* by version: END up to 2.6.39-rc5, TOP from
	                            2.6.39-rc6 (docs/kernel-model.md "Xen PV") */
	PGT_XEN_RULE_END,        /* mask_rw_pte window [pgt_buf_start, pgt_buf_end),
	                            no pagetable_reserve hook */
	PGT_XEN_RULE_TOP,        /* window [pgt_buf_start, pgt_buf_top) (b9269dc7bfd)
	                            and the pagetable_reserve hook (279b706bf80) */
	PGT_XEN_RULE_TOP_NOHOOK, /* the TOP window without the hook: the unused
	                            tail of pgt_buf stays read-only */
};

/* The Xen rule a version ran by itself (PGT_XEN_RULE_END up to 2.6.39-rc5,
 * PGT_XEN_RULE_TOP from 2.6.39-rc6), which AUTO stands for. */
int pgt_xen_rule_for_kver(uint32_t kver);

enum pgt_sizing {
	PGT_SIZING_AUTO, /* by version: A <= 3.4, C 3.5+ (distro backport) */
	PGT_SIZING_A,
	PGT_SIZING_B, /* mainline 3.5.0 / 3.6.0 "first 2/4M" margin */
	PGT_SIZING_C,
};

/* Where a run keeps its large arrays (tables, events, checkpoints, table
 * contents).  NULL in pgt_run_opts: libc realloc, arrays grown by doubling.
 * A caller can pass one that reserves address space up front and grows
 * blocks in place (one large mapping, huge pages): the core has no system
 * calls of its own. */
typedef struct pgt_allocator {
	/* Resizes block p (NULL: a new block) from old_size to size bytes,
	 * keeping the first min(old_size, size) bytes; NULL on failure (p is
	 * then still valid). */
	void *(*resize)(void *ctx, void *p, size_t old_size, size_t size);
	/* Gives back block p of `size` bytes (p may be NULL). */
	void (*release)(void *ctx, void *p, size_t size);
	void *ctx;
	/* 0: resizing copies, the core grows arrays by doubling; else resizing
	 * is in place and the core grows arrays by whole multiples of this many
	 * bytes (so a run holds little more than it uses). */
	size_t granule;
} pgt_allocator;

typedef struct pgt_run_opts {
	int scheme;                 /* enum pgt_scheme */
	uint32_t kver;              /* 0: scenario's kver if it suits the scheme, else default */
	int xen;                    /* -1 scenario, 0 off, 1 on */
	int xen_rule;               /* enum pgt_xen_rule; AUTO = scenario's, then version */
	int sizing;                 /* enum pgt_sizing; AUTO = scenario's, then version */
	bool all_lines;             /* also emit lines that version only printed with
	                               dynamic debug (pr_debug 4.4+) or not at all (5.8+) */
	uint64_t max_events;        /* safety cap; 0 = default (64 Mi) */
	uint32_t kaslr_pud;         /* memory KASLR: phys 0 sits this many GiB into its
	                               PGD slot (1-511; 0 = slot-aligned, as without
	                               KASLR); where RAM crosses into the next slot the
	                               kernel allocates one more PUD page.  Logs do not
	                               show it: `check` sets it by inference; a
	                               measured base is the scenario's
	                               direct_map_base.  Non-zero wins */
	const pgt_allocator *alloc; /* NULL: libc; must outlive the run's pgt_sim */
} pgt_run_opts;

/* The kernel-half range where a 4-level direct map can start
 * (pgt_direct_map_base_ok). */
#define PGT_DIRECT_MAP_MIN 0xffff800000000000ull
#define PGT_DIRECT_MAP_END 0xfffffe0000000000ull

/* Is base a possible direct-map base (1 GiB-aligned, in
 * [PGT_DIRECT_MAP_MIN, PGT_DIRECT_MAP_END))?  Else writes why into msg. */
bool pgt_direct_map_base_ok(uint64_t base, char *msg, size_t size);

/* The PUD index (0-511) of a direct-map base inside its PGD slot: physical
 * 0 sits that many GiB into the slot (0 for base 0, unknown). */
uint32_t pgt_direct_map_pud(uint64_t base);

/* Zero-initialised options with scheme = scheme. */
pgt_run_opts pgt_run_opts_default(int scheme);

/* ------------------------------------------------------------------------ */
/* Results                                                                  */
/* ------------------------------------------------------------------------ */

enum pgt_level { PGT_PTE = 1, PGT_PMD = 2, PGT_PUD = 3, PGT_PGD = 4 };
const char *pgt_level_name(int level); /* "PTE", "PMD", "PUD", "PGD" */

enum pgt_origin {
	PGT_ORIGIN_STATIC,     /* head_64.S tables in the kernel image */
	PGT_ORIGIN_XEN,        /* built by the Xen domain builder */
	PGT_ORIGIN_PGTBUF,     /* old scheme linear buffer */
	PGT_ORIGIN_BRK,        /* new scheme BRK buffer */
	PGT_ORIGIN_MEMBLOCK,   /* new scheme memblock allocation */
	PGT_ORIGIN_EXTEND_BRK, /* 4.15+ extend_brk fallback */
	PGT_ORIGIN_CHUNK,      /* chunk-end scheme: end of the chunk just mapped */
	PGT_ORIGIN_COUNT
};
const char *pgt_origin_name(int origin);

enum pgt_event_kind {
	PGT_EV_CALL_BEGIN, /* init_memory_mapping(a, b) starts; aux = call index */
	PGT_EV_RANGE,      /* split range [a, b), aux = page size shift 12/21/30 */
	PGT_EV_BUF_FOUND,  /* old: pgt_buf placed: a = start, b = top */
	PGT_EV_ALLOC,      /* table page at a; level, origin; table = index;
	                      b = first virtual (=physical) address it maps */
	PGT_EV_MAP,        /* entries written: [a, b) mapped with leaf size aux
	                      (12/21/30) in table `table` */
	PGT_EV_CLEAR,      /* entries cleared in table `table` covering [a, b);
	                      aux = how many of those bytes the boot-time map
	                      still mapped (entries written before the first
	                      call: head_64.S, head_32.S, Xen's builder) */
	PGT_EV_HOOK,       /* table `table` linked into its parent (populate) */
	PGT_EV_MARK_RO,    /* direct-map PTE of page a written read-only */
	PGT_EV_MARK_RW,    /* pages [a, b) made writable again (Xen) */
	PGT_EV_VIOLATION,  /* Xen: table page a has a writable alias.  flags 0: a
	                      live table is mapped writable; flags 1: Xen refused
	                      to pin PTE page a (the run ends with a BUG):
	                      b = index of the PTE table holding the writable
	                      entry, aux & 0xffff = that entry, aux >> 16 = the
	                      event that wrote it */
	PGT_EV_RESERVE,    /* memblock_reserve [a, b) (aux: 1 = page tables, 2 = crashkernel) */
	PGT_EV_STEP_SIZE,  /* new step size a */
	PGT_EV_CALL_END,   /* init_memory_mapping returns a (bytes) */
	PGT_EV_LOG,        /* kernel log line index aux */
	PGT_EV_NOTE,       /* explanatory marker without state change (aux: code) */
	PGT_EV_PANIC,      /* the kernel panics: message = log line aux */
	PGT_EV_SET,        /* allocator variable aux (enum pgt_var) = a (b) */
	PGT_EV_KIND_COUNT
};
const char *pgt_event_kind_name(int kind);

/* Codes of PGT_EV_NOTE (in aux). */
enum pgt_note_code {
	PGT_NOTE_E820_SANITIZED = 1,    /* overlapping e820 entries resolved like
	                                   sanitize_e820_map (a = how many overlapped) */
	PGT_NOTE_XEN_KERNEL_LOW = 2,    /* Xen PV: a kernel/BRK placement above the
	                                   first GiB was ignored (a = it) */
	PGT_NOTE_XEN_MAPPED_RAISED = 3, /* Xen PV: xen_mapped_end a raised to b */
};

/* Variables set by PGT_EV_SET. */
enum pgt_var {
	PGT_VAR_PGT_BUF,        /* a = pgt_buf_start = pgt_buf_end, b = pgt_buf_top (pfns) */
	PGT_VAR_MIN_PFN_MAPPED, /* a */
	PGT_VAR_MAX_PFN_MAPPED, /* a */
	PGT_VAR_CAN_USE_BRK,    /* a = 0/1 */
	PGT_VAR_PGT_BUF_END,    /* a */
};

typedef struct pgt_event {
	uint8_t kind;   /* enum pgt_event_kind */
	uint8_t level;  /* enum pgt_level, where it applies */
	uint8_t origin; /* enum pgt_origin, where it applies */
	uint8_t flags;
	uint32_t table; /* table index, where it applies */
	uint64_t a, b;
	uint64_t aux;
} pgt_event;

/* Scalars that change over the run; one snapshot is kept per change. */
typedef struct pgt_state {
	uint64_t pgt_buf_start, pgt_buf_end, pgt_buf_top; /* pfns (0: none) */
	uint64_t min_pfn_mapped, max_pfn_mapped;          /* pfns */
	uint64_t step_size;                               /* bytes (new scheme) */
	uint64_t chunk_start, chunk_end;                  /* current call range */
	uint32_t call;                                    /* init_memory_mapping calls so far */
	bool can_use_brk_pgt;
	uint32_t tables[5]; /* table pages by level (index = enum pgt_level) */
	uint32_t tables_origin[PGT_ORIGIN_COUNT];
	uint32_t ro_pages, violations;
	uint64_t mapped_bytes; /* direct-mapped bytes */
	uint64_t boot_bytes;   /* of mapped_bytes: those still mapped by the
	                          boot-time map, the entries written before the
	                          first init_memory_mapping call (head_64.S's
	                          first GiB up to 3.8, head_32.S's, Xen's
	                          builder's; docs/kernel-model.md "The boot-time
	                          map"); mapped_bytes - boot_bytes is what the
	                          run's own calls have mapped */
	uint64_t brk_used;     /* BRK pages used */
	uint8_t map_shift;     /* leaf size (12, 21, 22, 30) of the entries the
	                          calls wrote last (0: none yet) */
} pgt_state;

typedef struct pgt_table {
	uint64_t pa;          /* physical address of the page */
	uint64_t va_base;     /* first physical address the table maps */
	uint32_t alloc_event; /* event index that created it (0 for static) */
	uint32_t hook_event;  /* event that linked it in (UINT32_MAX: never) */
	uint32_t ro_event;    /* Xen: made read-only (UINT32_MAX: never) */
	uint32_t parent;      /* parent table index (UINT32_MAX: root) */
	uint16_t parent_slot; /* entry index in the parent */
	uint8_t level;        /* enum pgt_level */
	uint8_t origin;       /* enum pgt_origin */
} pgt_table;

enum pgt_loglevel { PGT_LL_INFO = 6, PGT_LL_DEBUG = 7 };

typedef struct pgt_logline {
	const char *text; /* without timestamp or newline */
	uint32_t event;   /* event index that printed it */
	uint8_t loglevel; /* 6 KERN_INFO, 7 KERN_DEBUG */
	bool shown;       /* printed by this version by default (false: only
	                     with --all-lines: pr_debug 4.4+, removed 5.8+) */
	bool mapping;     /* one of the lines `check` compares */
} pgt_logline;

typedef struct pgt_sim pgt_sim;

/* Bounded cost (docs/reliability.md, "Bounded cost"): a run's time and
 * memory grow with the table pages it builds and, under Xen PV, with every
 * direct-map PTE (written and checked one by one).  pgt_sim_cost() predicts
 * both from the scenario, cheaply, before anything runs (an upper bound);
 * pgt_sim_run() refuses a run over either bound. */
#define PGT_MAX_TABLE_PAGES (1ULL << 24) /* 64 GiB of tables: < 32 TiB in 4k pages */
#define PGT_MAX_XEN_RAM     (1ULL << 39) /* Xen PV: RAM below 512 GiB (the p2m's reach) */
/* The schemes up to 3.8 (pgtbuf, chunk-end): RAM ranges above 4 GiB in the
 * effective e820 map, each mapped by a call that searches the ranges below
 * it; the kernel's own table held at most E820_X_MAX = 3,200 entries. */
#define PGT_MAX_RAM_RANGES_HIGH 3200
/* Distinct e820 types the edits of a run name (from and to types, with the
 * version's own trims: usable and reserved).  The edits map types, and each
 * step of the edit tree (e820.c) costs one table entry per type named: the
 * kernel names about ten types, a log's edits two or three. */
#define PGT_MAX_E820_EDIT_TYPES 62
typedef struct pgt_cost {
	uint64_t table_pages;     /* at most this many table pages */
	uint64_t xen_ptes;        /* Xen PV: direct-map PTEs written one by one (0: native) */
	uint64_t xen_end;         /* Xen PV: end of the RAM it maps (0: native) */
	uint64_t ram_ranges_high; /* old schemes: RAM ranges above 4 GiB after the
	                             e820 edits (0: not counted, 3.9+ and i386) */
	uint64_t edit_types;      /* distinct e820 types the edits name (counted up to
	                             PGT_MAX_E820_EDIT_TYPES + 1) */
} pgt_cost;
pgt_cost pgt_sim_cost(const pgt_scenario *sc, const pgt_run_opts *opts);
/* true when cost c is within every bound; else false and the reason. */
bool pgt_cost_within(const pgt_cost *c, char *msg, size_t size);
/* true when the run is within both bounds; else false and a one-line reason
 * (no "error:" prefix) in msg. */
bool pgt_sim_cost_ok(const pgt_scenario *sc, const pgt_run_opts *opts, char *msg, size_t size);

/* Runs the simulation.  Returns NULL when memory runs out or when the run is
 * over the cost bounds (pgt_sim_cost_ok() says why: check it first to tell
 * the user).  A kernel panic is a normal outcome: see pgt_sim_panic(). */
pgt_sim *pgt_sim_run(const pgt_scenario *sc, const pgt_run_opts *opts);
void pgt_sim_free(pgt_sim *sim);

/* What was actually run. */
int pgt_sim_scheme(const pgt_sim *sim);
uint32_t pgt_sim_kver(const pgt_sim *sim);
bool pgt_sim_xen(const pgt_sim *sim);
/* Word size of the model (64 x86-64, 32 i386) and, for i386, PAE. */
int pgt_sim_bits(const pgt_sim *sim);
bool pgt_sim_pae(const pgt_sim *sim);
/* The Xen rule run: PGT_XEN_RULE_END, _TOP or _TOP_NOHOOK. */
int pgt_sim_xen_rule(const pgt_sim *sim);
/* Human-readable model name, e.g. "top-down 3.9 (5 BRK pages, step <<5)". */
const char *pgt_sim_model(const pgt_sim *sim);

/* Events are stored packed (8 bytes each for the common kinds);
 * pgt_sim_event() decodes one.  pgt_sim_events() decodes them all into an
 * array kept until pgt_sim_free() (32 bytes per event: avoid on big runs). */
size_t pgt_sim_event_count(const pgt_sim *sim);
pgt_event pgt_sim_event(const pgt_sim *sim, size_t i);
const pgt_event *pgt_sim_events(const pgt_sim *sim);
/* Stable one-line text form of event i into buf. */
char *pgt_sim_event_text(const pgt_sim *sim, size_t i, char *buf, size_t size);

size_t pgt_sim_log_count(const pgt_sim *sim);
const pgt_logline *pgt_sim_log(const pgt_sim *sim, size_t i);

/* Tables are stored compactly; pgt_sim_table() widens one.
 * pgt_sim_tables() widens them all into an array kept until pgt_sim_free()
 * (40 bytes per table: avoid on big runs). */
size_t pgt_sim_table_count(const pgt_sim *sim);
pgt_table pgt_sim_table(const pgt_sim *sim, size_t i);
const pgt_table *pgt_sim_tables(const pgt_sim *sim);

/* State after event `step` has been applied (step = SIZE_MAX: the end). */
pgt_state pgt_sim_state_at(const pgt_sim *sim, size_t step);

/* Bytes of memory the run holds (events, tables, log, memblock arrays;
 * the capacity of every array, not only what is used; not the arrays
 * pgt_sim_events()/pgt_sim_tables() build on demand). */
size_t pgt_sim_memory(const pgt_sim *sim);

/* Kernel panic message, or NULL if the run completed. */
const char *pgt_sim_panic(const pgt_sim *sim);

/* The effective e820 map (after edits and the version's own trims) and
 * memblock.memory / memblock.reserved as they were before mapping and at the
 * end. */
size_t pgt_sim_e820(const pgt_sim *sim, const pgt_e820_entry **out);
/* Work the e820 edits took: nodes of the edit tree visited (a count, not a
 * time: tests bound it by O(n log n), docs/reliability.md "e820 edits at
 * scale"). */
uint64_t pgt_sim_e820_work(const pgt_sim *sim);
/* Work of the run's e820 queries (e820_any_mapped of the walk, EFI boot
 * services against memblock.reserved): one per query (each a binary
 * search) plus the entries examined after it, a cost count for tests
 * (docs/reliability.md). */
uint64_t pgt_sim_e820_query_work(const pgt_sim *sim);
typedef struct pgt_region {
	uint64_t base, size;
} pgt_region;
size_t pgt_sim_memblock_memory(const pgt_sim *sim, const pgt_region **out);
size_t pgt_sim_memblock_reserved_initial(const pgt_sim *sim, const pgt_region **out);
size_t pgt_sim_memblock_reserved_final(const pgt_sim *sim, const pgt_region **out);
uint64_t pgt_sim_max_pfn(const pgt_sim *sim);
uint64_t pgt_sim_max_low_pfn(const pgt_sim *sim);

/* Where physical address `pa` is mapped in the direct map after event
 * `step` (that event included); a step at or past the event count (SIZE_MAX)
 * asks for the final tables.  An earlier step is replayed from the events
 * that write entries (one pass over events [0, step], following only the
 * tables that hold pa), so the answer is the tables as they were then:
 * unmapped before its MAP or HOOK, read-only (Xen) until its MARK_RW. */
typedef struct pgt_translation {
	bool mapped;
	uint64_t pa;       /* physical address it maps to */
	int leaf_level;    /* PGT_PTE (4k), PGT_PMD (2M) or PGT_PUD (1G) */
	uint32_t table[5]; /* table index per level on the walk (UINT32_MAX) */
	bool writable;     /* false for Xen RO entries */
} pgt_translation;
pgt_translation pgt_sim_translate(const pgt_sim *sim, uint64_t pa, size_t step);

/* ptdump-style text of the final direct map: merged ranges with size,
 * level and RW/RO, NX, PSE, like /sys/kernel/debug/page_tables/kernel.
 * Returns a malloc'ed string.  `step` is reserved (pass SIZE_MAX): for an
 * earlier step, run again with opts.max_events = step + 1, as `pgtviz
 * ptdump --step N` does. */
char *pgt_sim_ptdump(const pgt_sim *sim, size_t step);

/* One entry of a table page (pgt_sim_table_entries). */
enum pgt_entry_kind {
	PGT_ENT_NONE,  /* not present */
	PGT_ENT_LEAF,  /* maps memory: a 4 KiB page, or a large page */
	PGT_ENT_TABLE, /* points to the next level's table page */
};

typedef struct pgt_entry {
	uint8_t kind;     /* enum pgt_entry_kind */
	uint8_t shift;    /* bytes the entry covers: 1 << shift (12, 21, 22, 30, 39) */
	bool writable;    /* leaf: RW; false: read-only (Xen) */
	uint32_t table;   /* TABLE: the table index; 4 KiB LEAF: the table page it
	                     maps, if that page is a page table (else UINT32_MAX) */
	uint64_t pa;      /* LEAF: first physical address mapped; TABLE: the
	                     table's page */
	uint64_t va_base; /* first (physical = direct-map) address the entry covers */
	uint64_t va;      /* the same as a kernel virtual address: PAGE_OFFSET + va_base */
	uint16_t index;   /* its index in the kernel's table page: in the root, the
	                     direct map's slots (pgd[272] for physical 0 on 4-level
	                     x86-64 before 4.20, 273 from 4.20; pgd[768] on i386
	                     non-PAE; the PDPT's entry 3 with PAE); else as out[] */
} pgt_entry;

/* The entries of table `table` at the end of this run, at most max of them
 * written; returns how many the table holds for the direct map (0: no such
 * table): 512 in a PUD, PMD or PTE page (1024 in an i386 non-PAE page
 * table); in the root only the direct map's slots -- 128 PGD entries
 * (64 TiB) on x86-64, 256 page-directory entries (1 GiB from 0xc0000000) on
 * i386 non-PAE, one PDPT entry with PAE -- the other slots (user space, the
 * kernel image, vmalloc, ...) are not modelled.  out[i].index is the
 * entry's index in the kernel's table.  For an earlier step, run again
 * with opts.max_events = step + 1 as `pgtviz ptdump --step N` does. */
size_t pgt_sim_table_entries(const pgt_sim *sim, size_t table, pgt_entry *out, size_t max);

/* The virtual address of physical 0 in the run's direct map (PAGE_OFFSET):
 * the scenario's measured direct_map_base (memory KASLR, x86-64 4.8+) when
 * it has one,
 * else 0xffff880000000000 on 4-level x86-64 before 4.20,
 * 0xffff888000000000 from 4.20, 0xc0000000 on i386 (3G/1G split). */
uint64_t pgt_sim_page_offset(const pgt_sim *sim);

/* That table's entries as text, runs of alike entries on one line (what
 * `pgtviz ptdump --table N` prints).  `alias_entry` (or SIZE_MAX) is marked
 * as the writable alias of a Xen violation.  Returns a malloc'ed string or
 * NULL (no such table, out of memory). */
char *pgt_sim_table_dump(const pgt_sim *sim, size_t table, size_t alias_entry);

/* ------------------------------------------------------------------------ */
/* Kernel number formatting (lib/vsprintf.c quirks)                         */
/* ------------------------------------------------------------------------ */

/* "%#010lx" as the kernel prints it: "0x" always, width 10 incl. prefix. */
char *pgt_kfmt_hash010(uint64_t v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
