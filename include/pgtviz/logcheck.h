/*
 * pgtviz log check: a real boot log's mapping lines against the ones the
 * simulator predicts for the machine the log describes (what `pgtviz
 * check` prints and the window's check panel shows).  SDL-free, no
 * printing: the result is plain data -- every compared log line, every
 * compared predicted line, their alignment (matched, differing, only in
 * the log, only in the simulation) and the simulation's event each row
 * belongs to.
 *
 * What is compared (pgt_dmesg_kind_compared): init_memory_mapping headers,
 * the per-range "page 4k/2M/1G" lines, "kernel direct mapping tables up to",
 * "BRK [...] PGTABLE", "xen: setting RW the range", plus any other kind of
 * line the simulator marks as `mapping` in this run (the core decides, e.g.
 * for the 2.6.2x "last_map_addr:").  Predicted lines are the simulator's log
 * lines marked `mapping`, of those kinds, that this kernel printed by default
 * (`shown`; pr_debug and removed lines only with opts.all, or when the log
 * itself has lines of that kind, i.e. was booted with dynamic debug), and -
 * when the log shows no KERN_DEBUG line at all - only the KERN_INFO ones.
 * A memblock=debug log (3.9+) also lists the page-table pages the kernel
 * took from memblock: their addresses are compared, in order, after the
 * lines ("table page 0x...").
 *
 * The two lists are aligned by longest common subsequence; the unmatched
 * lines between two matches are paired side by side.  Without a forced
 * sizing, an old-scheme log whose table-buffer line disagrees is run again
 * with each sizing variant, and a memblock=debug KASLR boot with each
 * crossing into a second PGD slot; the best run is kept and a note says so.
 */
#ifndef PGTVIZ_LOGCHECK_H
#define PGTVIZ_LOGCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtviz/core.h"
#include "pgtviz/diag.h"
#include "pgtviz/dmesg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How to run one check (pgt_logcheck_opts_default(): everything from the log). */
typedef struct pgt_logcheck_opts {
	bool all;           /* also pr_debug-only / removed lines (`check --all`) */
	uint32_t kver;      /* simulate this version (0: the log's) */
	int scheme;         /* force a scheme (-1: the one the version used) */
	int sizing;         /* PGT_SIZING_AUTO: by version, or inferred from the log */
	uint32_t kaslr_pud; /* memory KASLR slot offset tried (0: none) */
} pgt_logcheck_opts;

pgt_logcheck_opts pgt_logcheck_opts_default(void);

/* One compared line, of the log or of the simulation. */
typedef struct pgt_lc_line {
	const char *text; /* as printed (owned by the result) */
	int lineno;       /* line in the log file (log side), 0 for predicted lines */
	uint32_t event;   /* predicted side: the event that printed it / took the page */
	bool page;        /* a memblock table page ("table page 0x..."), not a line */
} pgt_lc_line;

/* How one row of the alignment compares. */
enum pgt_lc_status {
	PGT_LC_MATCH,    /* '=' the log line and the predicted line are equal */
	PGT_LC_DIFFERS,  /* '!' a log line and a predicted line in the same place differ */
	PGT_LC_LOG_ONLY, /* '-' only in the log */
	PGT_LC_SIM_ONLY, /* '+' only predicted */
};

/* One row of the side-by-side alignment. */
typedef struct pgt_lc_row {
	int a, b;       /* index into log[] / sim[] (-1: absent) */
	uint8_t status; /* enum pgt_lc_status */
	bool exact;     /* event is the predicted line's own (b >= 0) */
	uint32_t event; /* the simulation's event the row belongs to: its predicted
	                   line's, else that of the nearest predicted line above it
	                   (0 when there is none) */
} pgt_lc_row;

typedef struct pgt_logcheck {
	pgt_lc_line *log; /* compared lines of the log, in log order (lines, then pages) */
	size_t n_log;     /* N of "M of N" */
	pgt_lc_line *sim; /* compared predicted lines, in run order */
	size_t n_sim;
	pgt_lc_row *rows; /* the alignment, top to bottom */
	size_t n_rows;
	size_t matched;  /* M: rows with both sides equal */
	size_t n_pages;  /* memblock table pages among log[] (0: none compared) */
	char model[200]; /* pgt_sim_model() of the run kept */
	char panic[256]; /* predicted kernel panic message, or "" */
	char note[400];  /* one explanatory note (an inference, why nothing compared), or "" */
	int exit;        /* 0 everything matches and no panic; 1 otherwise */
	pgt_sim *run;    /* the run kept (owned; owns the predicted texts) */
	char *page_text; /* texts of the table-page lines (owned) */
} pgt_logcheck;

/* Runs the check of an imported log.  On failure (a run over the core's
 * cost bounds, out of memory) adds one error to dg, leaves *r freed and
 * returns false.  *r need not be initialised. */
bool pgt_logcheck_run(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                      pgt_diags *dg);
void pgt_logcheck_free(pgt_logcheck *r);

/* The window's way in: reads `path` (at most PGT_DMESG_MAX_BYTES) and, if
 * it is a dmesg log (pgt_dmesg_looks_like_log), imports it into *dm and
 * checks it into *r with default options.  Returns 1 when checked (free
 * both; r's log texts point into dm), 0 when the file is not a dmesg log
 * (nothing to free, no message), -1 on a problem (messages in dg, nothing
 * to free). */
int pgt_logcheck_file(const char *path, pgt_dmesg *dm, pgt_logcheck *r, pgt_diags *dg);

/* '=', '!', '-' or '+' for a row status (the marks of `pgtviz check`). */
char pgt_lc_mark(int status);
/* What the last line counts: "lines", "table pages" or "lines and table pages". */
const char *pgt_lc_what(const pgt_logcheck *r);
/* Rows that do not match (status other than PGT_LC_MATCH). */
size_t pgt_lc_unmatched(const pgt_logcheck *r);

#ifdef __cplusplus
}
#endif
#endif
