/*
 * pgtviz session: a loaded scenario, its one or two simulation runs and the
 * view model over them, set up the same way by the window, `pgtviz export`
 * and the browser page.  SDL-free (session.c: core + view only).
 */
#ifndef PGTVIZ_SESSION_H
#define PGTVIZ_SESSION_H

#include "pgtviz/diag.h"
#include "pgtviz/view.h"
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What one pane runs: a scheme, a version model (kver 0: the scenario's
 * version if it suits the scheme, else the scheme's default) and the
 * simulation options of `pgtviz log` (zero: the scenario's / automatic). */
typedef struct pgt_pane_spec {
	int scheme;     /* enum pgt_scheme */
	uint32_t kver;  /* 0 = automatic */
	int xen;        /* 0: the scenario's; 1: a Xen PV guest; -1: native */
	int xen_rule;   /* enum pgt_xen_rule (AUTO: the scenario's, then by version) */
	int sizing;     /* enum pgt_sizing (AUTO: the scenario's, then by version) */
	bool no_pse;    /* a CPU without PSE: 4 KiB pages only */
	bool all_lines; /* also the log lines that version hid */
} pgt_pane_spec;

/* A session lives on the heap (pgt_session_start) and never moves: the view
 * model points into it (its scenario, its runs), so a viewer holds a
 * pgt_session * and adopting another session is swapping the pointer. */
/* The command-line options that say what the panes run (window, export). */
typedef struct pgt_pane_args {
	const char *schemes; /* --schemes "A[@VER][:OPT...],B..." or NULL */
	const char *kver;    /* --kernel VER or NULL */
	pgt_pane_spec all;   /* --xen/--no-xen, --xen-rule, --sizing, --no-pse,
	                        --all-lines: for every pane that does not set its
	                        own (scheme and kver unused) */
} pgt_pane_args;

/* The per-pane option words of --schemes ("old@3.0:xen-top"), for
 * messages: "xen, no-xen, xen-end, xen-top, xen-top-nohook, sizing-a, ...". */
const char *pgt_pane_option_words(void);
/* --schemes text that runs exactly these panes ("pgtbuf@3.0:xen-top,
 * top-down"), for a page that parses it again (the HTML lesson). */
char *pgt_pane_specs_text(const pgt_pane_spec *sp, int n, char *buf, size_t size);
/* Short text of a pane's options that differ from the scenario's, e.g.
 * "xen-top, no-pse" ("" when none). */
char *pgt_pane_spec_options_text(const pgt_pane_spec *sp, char *buf, size_t size);

typedef struct pgt_session {
	pgt_scenario sc;       /* the loaded scenario (owned) */
	pgt_sim *sims[2];      /* one or two runs (owned) */
	int nsims;             /* panes */
	pgt_pane_spec spec[2]; /* what each pane was asked to run */
	pgt_view_model model;  /* caches over the runs */
	pgt_view_cache cache;  /* what frames of this session keep between them */
} pgt_session;

/* Parses --schemes and --kernel into pane specs: "A,B" or "A", each name
 * optionally with a version model ("old@3.0,new@3.19"); --kernel VER sets
 * the version of every pane whose scheme models VER (pgt_scheme_accepts)
 * unless that pane has its own @VER.  schemes NULL: the scenario's pair (sc
 * may be NULL: old,new).  A version outside the scheme's era is refused
 * (pgt_kver_check, pgt_scheme_check_kver: the messages of every command).  Adds one message to
 * dg and returns false on bad input. */
bool pgt_parse_pane_specs(const char *schemes, const char *kver, const pgt_scenario *sc,
                          pgt_pane_spec out[2], int *n, pgt_diags *dg);
/* The same with the simulation options: each pane of --schemes may carry
 * its own after ':' ("old@2.6.39-rc1:xen-end,old@3.0:xen-top"; words:
 * pgt_pane_option_words()); args->all applies to the panes that do not.
 * A Xen rule or sizing variant is an option of the pgtbuf scheme only, and
 * --kernel / --xen-rule / --sizing that no pane can take are refused (they
 * would be ignored silently otherwise). */
bool pgt_parse_panes(const pgt_pane_args *args, const pgt_scenario *sc, pgt_pane_spec out[2],
                     int *n, pgt_diags *dg);

/* Runs the simulations for an already loaded scenario and returns the new
 * session (free it with pgt_session_free).  sc is taken over: moved into the
 * session, or cleared on failure.  schemes: "A,B", "A", "A@VER,B@VER" or
 * NULL (scenario's); kver: "3.9" or NULL (see pgt_parse_pane_specs).  Adds a
 * message to dg and returns NULL on bad input or without memory. */
pgt_session *pgt_session_start(pgt_scenario *sc, const char *schemes, const char *kver,
                               pgt_diags *dg);
/* The same with every pane option (pgt_parse_panes). */
pgt_session *pgt_session_start_args(pgt_scenario *sc, const pgt_pane_args *args, pgt_diags *dg);
/* The same with pane specs already parsed (n = 1 or 2). */
pgt_session *pgt_session_start_specs(pgt_scenario *sc, const pgt_pane_spec *spec, int n,
                                     pgt_diags *dg);
/* Re-runs pane p alone with another scheme / version model (the other
 * pane's run is kept) and rebuilds the view model.  On failure the session
 * is unchanged. */
bool pgt_session_set_pane(pgt_session *s, int p, pgt_pane_spec spec, pgt_diags *dg);
/* pgt_session_set_pane() for a viewer showing the session with *vs (the
 * window's and the page's answer to PGT_REQ_RERUN): the other pane stays on
 * its event (a single pane keeps its progress), the panes return to
 * lockstep, a selection in pane p is dropped, and the status bar says what
 * the pane runs now.  On failure nothing changes. */
bool pgt_session_rerun_view(pgt_session *s, pgt_viewstate *vs, int p, pgt_pane_spec spec,
                            pgt_diags *dg);
/* Pane p's spec with another scheme and version model, keeping the
 * options that still apply (a Xen rule or sizing variant only to pgtbuf):
 * what the window's c / v keys run. */
pgt_pane_spec pgt_session_respec(const pgt_session *s, int p, int scheme, uint32_t kver);
/* Frees the session and everything it owns (NULL: nothing). */
void pgt_session_free(pgt_session *s);

/* Global step to show after the runs changed under a viewer (a reload, a
 * pane re-run): old_step/old_last/old_progress describe the position
 * before (old_progress: pane 0's mapping progress then).  Keeps the last
 * step at the last step, else goes to the first step where pane 0 has
 * mapped at least old_progress. */
size_t pgt_session_keep_position(const pgt_view_model *m, size_t old_step, size_t old_last,
                                 double old_progress);

#ifdef __cplusplus
}
#endif
#endif
