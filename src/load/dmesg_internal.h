/*
 * dmesg import, internal interface: what the three files of the importer
 * share.  The public API is include/pgtviz/dmesg.h.
 *
 * The importer turns a real boot log into a pgt_scenario + the mapping lines
 * the kernel printed.  The work is done in three layers, one file each:
 *
 *   dmesg_lines.c  1. Input checks on the raw bytes: size cap, NUL bytes,
 *                     UTF-8.
 *                  2. A line splitter that turns physical lines into the
 *                     logical kernel lines printk emitted.  It strips what
 *                     pastes add around them (printk timestamps, "Oct  1
 *                     12:00:00 host kernel: " syslog prefixes, "<6>" and
 *                     "kern  :info  : " level prefixes, ANSI colours, CR),
 *                     splits lines that a paste glued together at a
 *                     timestamp, re-joins lines that a mail client
 *                     hard-wrapped (untimestamped text after a timestamped
 *                     line), and skips the "# " header block of our test
 *                     logs.  Also the public line classifier.
 *   dmesg_parse.c  3. A line handler that recognises the few kernel lines
 *                     that matter (e820 maps and edits, version, command
 *                     line, RAMDISK, the mapping lines, Xen / 32-bit /
 *                     other-architecture evidence) and records them in the
 *                     importer state below, with their line numbers.
 *   dmesg_build.c     finish() then builds the scenario, applies the
 *                     documented defaults and writes the provenance
 *                     ("source") block; also the public entry points.
 *
 * Nothing here simulates anything: the importer only reports what the log
 * says and which defaults it chose.  docs/dmesg-import.md lists every line
 * that is read.  The kernel formats and their versions are described in
 * docs/kernel-model.md ("Version models", "The machine").
 *
 * Functions shared between the files carry a dm_ prefix (they have external
 * linkage in the static library); everything else stays static.
 */
#ifndef PGTVIZ_DMESG_INTERNAL_H
#define PGTVIZ_DMESG_INTERNAL_H

#include "pgtviz/dmesg.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* Importer state                                                           */
/* ------------------------------------------------------------------------ */

enum map_label { MAP_BIOS, MAP_XEN, MAP_USER, MAP_MODIFIED, MAP_SETUP_DATA, MAP_E801, MAP_88 };

/* One kind of printed e820 map, by the prefix of its entry lines. */
typedef struct dm_map_label {
	const char *prefix; /* as printed before the entry */
	int label;          /* enum map_label */
	bool full;          /* a complete map the kernel may use */
} dm_map_label;

/* The map kinds, in the order entry lines are matched (dmesg_parse.c);
 * map_group.label indexes it. */
extern const dm_map_label dm_map_labels[];

typedef struct ent {
	uint64_t start, end; /* half-open */
	uint32_t type;       /* raw e820 type */
} ent;

/* One printed map: a run of consecutive entries with the same label. */
typedef struct map_group {
	int label; /* index into dm_map_labels */
	int first_line, last_line;
	size_t first, n; /* entries ents[first .. first + n) */
} map_group;

typedef struct edit_rec {
	pgt_e820_edit e;
	int line;
	bool setup_data; /* "usable ==> usable": a setup_data node (RESERVED_KERN) */
} edit_rec;

typedef struct resv_rec {
	uint64_t start, end;
	int kind; /* enum pgt_resv_kind */
	int line;
	char label[32];
} resv_rec;

/* A growable array: data, count, capacity. */
#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}

/* Doubles the capacity of a vector's storage; NULL (storage kept) on failure. */
void *dm_vec_grow(void *v, size_t *cap, size_t elem);

/* Appends item; on allocation failure sets st->oom and drops it. */
#define VEC_PUSH(st, vec, item)                                                                    \
	do {                                                                                       \
		if ((vec).n == (vec).cap) {                                                        \
			void *nv_ = dm_vec_grow((vec).v, &(vec).cap, sizeof(*(vec).v));            \
			if (!nv_) {                                                                \
				(st)->oom = true;                                                  \
				break;                                                             \
			}                                                                          \
			(vec).v = nv_;                                                             \
		}                                                                                  \
		(vec).v[(vec).n++] = (item);                                                       \
	} while (0)

/* What the memblock=debug lines say (dmesg_memblock.c). */
typedef struct dm_memblock {
	bool seen;                   /* a memblock=debug line was seen */
	bool in_dump;                /* inside a "MEMBLOCK configuration:" dump */
	bool add_seen;               /* a memblock_add line was seen */
	bool want_page;              /* the next memblock_reserve is a table page */
	int cut_line;                /* first line of the mapping phase (0: none yet) */
	int dump_line;               /* the dump the state starts from */
	int brk_line;                /* reserve_brk's memblock_reserve */
	uint64_t brk_start, brk_end; /* its range, half-open */
	bool dmi_seen;               /* "DMI: ..." before the cut (dmi_alloc used BRK) */
	bool pages_done;             /* "Zone ranges:" after the cut: no more table pages */
	VEC(resv_rec) state;         /* memblock.reserved before the cut */
	VEC(pgt_dmesg_page) pages;   /* table pages after the cut, in order */
	int col;                     /* column of the current line's text (messages) */
} dm_memblock;

/* Everything the line handler collects; finish() turns it into a pgt_dmesg.
 * Every *_line field is a 1-based log line number, 0 = not seen. */
typedef struct importer {
	pgt_dmesg *out;       /* result being filled */
	pgt_diags *d;         /* where problems go */
	bool oom;             /* an allocation failed */
	bool stopped;         /* a second boot began: ignore the rest */
	int second_boot_line; /* its first line ("Linux version", or where time went back) */
	int second_why;       /* how it was found: 0 "Linux version", 1 timestamps going
	                         back, 2 a second "BIOS-provided physical RAM map" */
	int interleave_line;  /* a second "Linux version" before the first map */
	double ts_last;       /* the last printk timestamp seen, in s (if ts_last_line) */
	int ts_last_line;     /* its line */
	int ts_back_line;     /* the first line whose timestamp went back > 1 s after a map */
	double ts_back_from, ts_back_to; /* the timestamps before and at ts_back_line */
	int ts_back_from_line;           /* the line of ts_back_from */

	VEC(ent) ents;               /* every printed e820 entry, all maps */
	VEC(map_group) groups;       /* the printed maps (runs of entries) */
	VEC(edit_rec) edits;         /* e820 update/remove lines, in order */
	VEC(resv_rec) resv;          /* reservations found while reading */
	VEC(resv_rec) memblock_dump; /* reserved[] of the last MEMBLOCK dump */
	VEC(pgt_dmesg_line) lines;   /* the mapping lines (moved to out) */

	int open_group;       /* group extended by the next entry line, -1: none */
	int map_header_line;  /* "BIOS-provided physical RAM map:" */
	int user_header_line; /* "user-defined physical RAM map:" */
	int last_line;        /* last logical line seen */
	int mapping_line;     /* first line of the mapping phase */

	int version_line;              /* "Linux version" */
	char release[128];             /* its release string */
	char upstream[32];             /* distribution's upstream version, or "" */
	char *cmdline;                 /* "Command line:" (or "Kernel command line:") */
	int cmdline_line;              /* where it was */
	bool cmdline_from_kernel_line; /* it came from "Kernel command line:" */

	int ramdisk_line;                          /* first "RAMDISK:" */
	uint64_t rd_start, rd_end;                 /* its range, half-open */
	int brk_line;                              /* first "BRK [" */
	uint64_t brk_base;                         /* its first address */
	int brk_count;                             /* number of BRK lines */
	int gb_line;                               /* "Using GB pages for direct mapping" */
	int page2m_line, page1g_line, page4m_line; /* first range of that size */
	int big4k_line;                            /* first 4k range that could hold a 2M page */
	int range_lines;                           /* number of per-range lines */
	int range4k_lines;                         /* ... of them "page 4k" */
	int first_imm_line;                        /* first init_memory_mapping header */
	bool first_imm_isa;                        /* it maps [0, 1M): the 3.9+ scheme */
	int tables_line;      /* first "kernel direct mapping tables" (<= 3.8) */
	int initial_line;     /* "initial memory mapped" */
	uint64_t initial_end; /* its end, exclusive */

	int xenpv_line;                      /* first Xen PV evidence */
	char xenpv_why[96];                  /* what it was */
	int bits32_line, bits64_line;        /* first 32-/64-bit evidence */
	char bits32_why[96], bits64_why[96]; /* what it was */
	int arch_line, arch_col;             /* first non-x86 evidence (col 1-based) */
	char arch_why[96];                   /* the line */
	const char *arch_name;               /* the architecture it names */

	int last_pfn_line;                 /* first "last_pfn = " (max_pfn) */
	uint64_t last_pfn, max_arch_pfn;   /* its values */
	int crash_line;                    /* "Reserving NMB of memory at ... for crashkernel" */
	uint64_t crash_size;               /* its size in bytes */
	bool debug_visible;                /* a KERN_DEBUG line was seen */
	int debug_line;                    /* the first one */
	char debug_why[64];                /* what it was */
	bool early_res_pgtable;            /* the 2.6.2x early_res list reached "PGTABLE" */
	int early_res_lists;               /* "(N early reservations) ==> bootmem" lines */
	int early_res_line;                /* first early_res entry kept */
	uint64_t kernel_start, kernel_end; /* "TEXT DATA BSS" early reservation */
	int kernel_line;                   /* where it was */
	bool in_memblock_dump;             /* inside a "MEMBLOCK configuration:" dump */
	int memblock_dump_line;            /* the last dump's header */
	int pae_line, nonpae_line;         /* i386: PAE / non-PAE evidence */
	char pae_why[96], nonpae_why[96];  /* what it was */
	int highmem_line;                  /* "NMB HIGHMEM available" (CONFIG_HIGHMEM) */
	int lowmem_line;                   /* "  HighMem  [mem 0x37bfe000-...]" */
	int low64k_line;                   /* "BIOS may corrupt low RAM" quirk */
	int efi_first_line, efi_last_line; /* EFI boot-services lines of the map */
	size_t efi_regions;                /* how many (type 3 and 4) */
	int fixmap_line;                   /* i386 "fixmap  : 0x… - 0x…" */
	uint64_t fixmap_size;              /* its size in bytes */
	uint64_t lowmem_end;               /* its start = end of lowmem */
	dm_memblock mb;                    /* the memblock=debug lines */
} importer;

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */
/* ------------------------------------------------------------------------ */

/* dmesg_parse.c: small text helpers. */

/* Does s start with prefix? */
bool dm_starts(const char *s, const char *prefix);
/* s after any spaces and tabs. */
const char *dm_skip_sp(const char *s);
/* Number of hex digits at p (no "0x"). */
size_t dm_count_hex(const char *p);

/* dmesg_parse.c: the line handler. */

/* Index into dm_map_labels of the map label s starts with, or -1; *rest is
 * where the entry's range starts.  Only lines that really look like entries
 * count ("Xen: add ..." is a message, not an entry). */
int dm_entry_label(const char *s, const char **rest);
/* One logical kernel line.  `line` is the text (trailing blanks are removed
 * in place), `lineno`/`col` locate its first byte, `level` is a printk level
 * from a prefix (-1: none). */
void dm_handle_line(importer *st, char *line, int lineno, int col, int level);
/* Why a range of a log line was refused. */
enum dm_range_fault {
	RANGE_SYNTAX,   /* not a range of hex numbers */
	RANGE_REVERSED, /* the end is below the start */
	RANGE_WRAPS,    /* inclusive end 0xffffffffffffffff: the exclusive end wraps */
};
/* Reports a range refused for its values (RANGE_REVERSED or RANGE_WRAPS),
 * quoting it as the log gives it: [p, bad] is the range text (bad at its
 * closing ']' or last digit); a warning says "; ignored". */
void dm_range_fault(importer *st, int sev, int lineno, int col, const char *what, const char *p,
                    const char *bad, int fault);
/* A printk timestamp of `secs` seconds at line `lineno`, in log order: a
 * step back of more than a second after a map marks a second boot. */
void dm_note_time(importer *st, double secs, int lineno);
/* Records a reservation [a, b) of `kind` (enum pgt_resv_kind), named label. */
void dm_add_resv(importer *st, uint64_t a, uint64_t b, int kind, const char *label, int line);

/* dmesg_build.c: records where the value of `key` came from (printf-style). */
void dm_src(importer *st, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* dmesg_memblock.c: the memblock=debug lines. */

/* Looks at every logical line (before any other handler consumes it). */
void dm_memblock_line(importer *st, const char *t, int lineno, int col);
/* Moves the table pages into the result and, when the log shows the state
 * before mapping, replaces the reservations with it and sets BRK, the
 * kernel image and _end from it. */
void dm_memblock_build(importer *st);
void dm_memblock_free(importer *st);

/* dmesg_lines.c: input checks and the line splitter. */

/* Checks the raw bytes (empty or blank, size cap, NUL, UTF-8); false with an
 * error in d. */
bool dm_check_bytes(const char *text, size_t len, pgt_diags *d);
/* Feeds every logical kernel line of the text to dm_handle_line(). */
void dm_split_text(importer *st, const char *text, size_t len);

#endif
