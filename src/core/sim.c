/*
 * The run loop: pgt_sim_run() picks the model a scenario and the options
 * ask for (scheme, version, Xen rule, sizing, page sizes), runs the machine
 * set-up (machine.c) and the scheme (schemes.c) under one setjmp that
 * panics, the event cap and out-of-memory unwind to, and hands the caller
 * the finished run; pgt_sim_free() releases it.
 *
 * Before anything runs, the run's cost is predicted (cost.c) and a run over
 * the bounds of core.h is refused.
 *
 * The top of the core: it calls down into cost.c, schemes.c, machine.c, walk.c
 * (to free the translation cache) and record.c, and nothing calls back up into it
 * (docs/architecture.md, "The core's inside").
 */
#include "cost.h"
#include "machine.h"
#include "schemes.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Run                                                                      */
/* ------------------------------------------------------------------------ */

static void finalize(pgt_sim *s)
{
	if (s->oom)
		return;
	s->log_out = calloc(s->n_logs ? s->n_logs : 1, sizeof(*s->log_out));
	if (!s->log_out) {
		s->oom = true;
		return;
	}
	for (size_t i = 0; i < s->n_logs; i++) {
		s->log_out[i] = (pgt_logline){.text = s->pool + s->logs[i].off,
		                              .event = s->logs[i].event,
		                              .loglevel = s->logs[i].ll,
		                              .shown = s->logs[i].shown,
		                              .mapping = s->logs[i].mapping};
	}
}

static void pick_model(pgt_sim *s, const pgt_scenario *sc, const pgt_run_opts *o)
{
	s->scheme = (o->scheme >= 0 && o->scheme < PGT_SCHEME_COUNT) ? o->scheme : 0;
	uint32_t k = o->kver ? o->kver : sc->kver;
	/* a scenario's version only applies if it suits the scheme */
	if (!o->kver && k &&
	    (s->scheme == PGT_SCHEME_CHUNKEND || !pgt_scheme_accepts(s->scheme, k)))
		k = 0;
	if (!k)
		k = pgt_scheme_default_kver(s->scheme);
	s->kver = k;
	s->xen = o->xen < 0 ? sc->xen_pv : o->xen != 0;
	s->xen_rule = o->xen_rule ? o->xen_rule : sc->xen_rule;
	if (!s->xen_rule) /* by version (versions.c) */
		s->xen_rule = pgt_xen_rule_for_kver(k);
	s->xen_hook = s->xen_rule == PGT_XEN_RULE_TOP;
	if (s->xen_rule == PGT_XEN_RULE_TOP_NOHOOK)
		s->xen_rule = PGT_XEN_RULE_TOP;
	s->sizing = o->sizing ? o->sizing : sc->sizing;
	/* Sizing: A up to 3.4; mainline 3.5.0/3.6.0 have B; their stable
	 * updates (3.5.x/3.6.x, x > 0) and 3.7+ have C (docs/kernel-model.md: Version models). */
	if (!s->sizing)
		s->sizing = k >= V(3, 7, 0)                        ? PGT_SIZING_C
		            : k >= V(3, 5, 0) && PGT_KVER_PATCH(k) ? PGT_SIZING_C
		            : k >= V(3, 5, 0)                      ? PGT_SIZING_B
		                                                   : PGT_SIZING_A;
	s->bits32 = sc->bits == 32;
	s->pae = s->bits32 && sc->pae;
	s->pmd_size = (s->bits32 && !s->pae) ? 0x400000 : SZ_2M;
	/* Page sizes (docs/kernel-model.md: Calls).  Xen PV guests never use large
	 * pages. */
	s->cpu_mask = 0;
	bool gb = sc->cpu.gbpages && !sc->nogbpages;
	if (!sc->cpu.debug_pagealloc && !s->xen) {
		if (sc->cpu.pse)
			s->cpu_mask |= MASK_2M;
		if (gb && !s->bits32)
			s->cpu_mask |= MASK_1G;
	}
	s->print_gbpages = gb && !s->xen && !s->bits32;
}

/* Runs the machine set-up and the scheme; panics, the event cap and OOM
 * come back here through longjmp. */
static void run_protected(pgt_sim *s)
{
	if (setjmp(s->jb) == 0) {
		machine_setup(s);
		schemes_run(s);
		sim_flush(s);
		return;
	}
	/* panic or event cap: keep what ran (a pending run is dropped only if
	 * the cap was hit while flushing it) */
	if (!s->oom && !s->truncated && setjmp(s->jb) == 0)
		sim_flush(s);
}

pgt_cost pgt_sim_cost(const pgt_scenario *sc, const pgt_run_opts *opts)
{
	pgt_run_opts o = opts ? *opts : pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	pgt_sim *s = calloc(1, sizeof(*s)); /* the model only: nothing runs */
	if (!s)
		return (pgt_cost){UINT64_MAX, UINT64_MAX, UINT64_MAX, 0, 0};
	pick_model(s, sc, &o);
	pgt_cost c = cost_predict(s, sc);
	free(s);
	return c;
}

bool pgt_cost_within(const pgt_cost *c, char *msg, size_t size)
{
	return cost_within(c, msg, size);
}

bool pgt_sim_cost_ok(const pgt_scenario *sc, const pgt_run_opts *opts, char *msg, size_t size)
{
	pgt_cost c = pgt_sim_cost(sc, opts);
	return cost_within(&c, msg, size);
}

pgt_sim *pgt_sim_run(const pgt_scenario *sc, const pgt_run_opts *opts)
{
	char why[256];
	if (!pgt_sim_cost_ok(sc, opts, why, sizeof(why)))
		return NULL;
	pgt_sim *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	pgt_run_opts o = opts ? *opts : pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	s->opts = o;
	s->max_events = o.max_events ? o.max_events : (64u << 20);
	s->pend.kind = 0xff;
	s->pend_ro.kind = 0xff;
	s->walk_range_start = UINT64_MAX;
	s->root = NO_IDX;
	s->alloc = o.alloc;
	if (!pgt_scenario_copy(&s->sc, sc)) {
		free(s);
		return NULL;
	}
	pick_model(s, &s->sc, &o);
	run_protected(s);
	finalize(s);
	if (s->oom) {
		pgt_sim_free(s);
		return NULL;
	}
	return s;
}

void pgt_sim_free(pgt_sim *s)
{
	if (!s)
		return;
	pgt_scenario_clear(&s->sc);
	free(s->e820);
	free(s->e820_next_ram);
	mb_free(&s->mb);
	free(s->reserved_initial.r);
	sim_record_free(s);
	free(s->log_out);
	free(s->tables_out);
	free(s->events_out);
	free(s->ptdump_cache);
	walk_cache_free(s);
	free(s);
}
