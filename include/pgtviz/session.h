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

/* What one pane runs: a scheme and a version model (kver 0: the scenario's
 * version if it suits the scheme, else the scheme's default). */
typedef struct pgt_pane_spec {
	int scheme;    /* enum pgt_scheme */
	uint32_t kver; /* 0 = automatic */
} pgt_pane_spec;

/* A session lives on the heap (pgt_session_start) and never moves: the view
 * model points into it (its scenario, its runs), so a viewer holds a
 * pgt_session * and adopting another session is swapping the pointer. */
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

/* Runs the simulations for an already loaded scenario and returns the new
 * session (free it with pgt_session_free).  sc is taken over: moved into the
 * session, or cleared on failure.  schemes: "A,B", "A", "A@VER,B@VER" or
 * NULL (scenario's); kver: "3.9" or NULL (see pgt_parse_pane_specs).  Adds a
 * message to dg and returns NULL on bad input or without memory. */
pgt_session *pgt_session_start(pgt_scenario *sc, const char *schemes, const char *kver,
                               pgt_diags *dg);
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
