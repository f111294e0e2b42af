/*
 * dmesg import: turns a real boot log into a scenario plus the list of
 * mapping lines the kernel printed (what `pgtviz check` compares against).
 *
 * What is read, from which lines, and every default is documented in
 * docs/dmesg-import.md.  The importer tolerates real pastes: printk
 * timestamps or none, syslog / kern.log / journal prefixes, "<6>" level
 * prefixes, "kern  :info  : " (dmesg -x), CRLF, hard-wrapped and glued
 * lines, junk before the first line and the "# " header of our test logs.
 */
#ifndef PGTVIZ_DMESG_H
#define PGTVIZ_DMESG_H

#include "pgtviz/core.h"
#include "pgtviz/diag.h"
#include "pgtviz/scenario_json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Logs larger than this are rejected with a clear message (a boot log is a
 * few hundred KiB; 64 MiB is a whole kern.log archive). */
#define PGT_DMESG_MAX_BYTES ((size_t)64 << 20)

/* Kinds of kernel lines the importer keeps in pgt_dmesg.lines. */
enum pgt_dmesg_kind {
	PGT_DMESG_OTHER,    /* anything else (never stored) */
	PGT_DMESG_IMM,      /* "init_memory_mapping: ..." header, or the bare
	                       2.6.2x "init_memory_mapping" */
	PGT_DMESG_RANGE,    /* " [mem A-B] page 2M" / " 0000000000 - 00bfe00000 page 2M" */
	PGT_DMESG_TABLES,   /* "kernel direct mapping tables up to ..." */
	PGT_DMESG_BRK,      /* "BRK [A, B] PGTABLE" */
	PGT_DMESG_XEN_RW,   /* "xen: setting RW the range A - B" */
	PGT_DMESG_LAST_MAP, /* "last_map_addr: X end: Y" (2.6.2x) */
	PGT_DMESG_INITIAL,  /* "initial memory mapped..." */
	PGT_DMESG_GBPAGES,  /* "Using GB pages for direct mapping" */
	PGT_DMESG_KIND_COUNT
};

/* One relevant line the kernel printed (normalised: no timestamp/prefix,
 * no trailing whitespace, exactly as the kernel formatted it; range lines
 * keep their single leading space). */
typedef struct pgt_dmesg_line {
	char *text;
	int lineno; /* line number in the log file */
	int kind;   /* enum pgt_dmesg_kind */
} pgt_dmesg_line;

/* A page-table page the kernel took from memblock (memblock=debug logs). */
typedef struct pgt_dmesg_page {
	uint64_t addr; /* physical address */
	int lineno;    /* its memblock_reserve line */
} pgt_dmesg_page;

typedef struct pgt_dmesg {
	pgt_scenario sc; /* the machine, ready to simulate */
	int bits;        /* 64, 32 (0: unknown) */
	bool is_x86;
	bool kver_known;
	char kernel_release[128]; /* e.g. "3.9.8-030908-generic" */
	bool debug_visible;       /* KERN_DEBUG lines are present in the log */
	pgt_dmesg_line *lines;    /* relevant lines, in log order */
	size_t n_lines;
	pgt_source_kv *source; /* provenance: field -> "log line 12: ..." (owned) */
	size_t n_source;

	uint32_t kver_log;    /* version as parsed from "Linux version" (sc.kver
	                         may differ when the log shows the other scheme) */
	int kver_line;        /* line of "Linux version" (0: none) */
	int brk_lines;        /* number of "BRK [...] PGTABLE" lines */
	bool brk_not_printed; /* evidence that this build does not print BRK
	                         lines (debug lines visible, 4.4+, native, none
	                         printed: the 5.8 removal was backported) */
	char **strings;       /* storage behind source[].value (owned) */
	size_t n_strings;
	pgt_dmesg_page *pages; /* table pages taken from memblock after the
	                          cut, in order (owned; memblock=debug logs) */
	size_t n_pages;
	bool pages_shown; /* a memblock=debug log of a 3.9+ kernel that reached
	                     the mapping: pages (maybe none) are comparable */
} pgt_dmesg;

/* Imports `len` bytes of log text.  Returns false (with diagnostics) when the
 * log cannot be used (no e820 map, not x86, binary, ...).  *out must be
 * zeroed by the caller; on failure it is left freed (pgt_dmesg_free is still
 * safe to call). */
bool pgt_dmesg_import(const char *text, size_t len, pgt_dmesg *out, pgt_diags *d);
/* Reads `path` ("-" = stdin; larger than PGT_DMESG_MAX_BYTES is rejected
 * without reading it) and imports it.  d->file should name the path. */
bool pgt_dmesg_load_file(const char *path, pgt_dmesg *out, pgt_diags *d);
void pgt_dmesg_free(pgt_dmesg *dm);
/* Heuristic used to auto-detect dmesg input (vs. JSON). */
bool pgt_dmesg_looks_like_log(const char *text, size_t len);

/* Kind of one normalised kernel line (also used to classify the simulator's
 * predicted lines). */
int pgt_dmesg_classify(const char *text);
/* Kinds `pgtviz check` always compares: the lines that are the result of
 * building the direct mapping (headers, ranges, table buffer, BRK, Xen RW).
 * check adds any other kind the simulator marks as a `mapping` line (e.g.
 * 2.6.2x last_map_addr, if the core flags it); "initial memory mapped" and
 * "Using GB pages" are inputs of the mapping and are normally not. */
bool pgt_dmesg_kind_compared(int kind);
const char *pgt_dmesg_kind_name(int kind);
/* Looks up the provenance text of `key` ("e820", "kver", ...), or NULL. */
const char *pgt_dmesg_source(const pgt_dmesg *dm, const char *key);
/* The scheme a kernel version used: < 3.9 PGTBUF, else TOPDOWN, and
 * BOTTOMUP for movable_node on 3.13+ (kver 0 = unknown: TOPDOWN). */
int pgt_dmesg_scheme_for(uint32_t kver, bool movable_node);

#ifdef __cplusplus
}
#endif
#endif
