/*
 * session.c: the scenario + simulations + view model that the window,
 * `pgtviz export` and the browser page set up the same way (session.h).
 * A session lives on the heap and never moves: its view model points at its
 * scenario and runs, so whoever holds the session holds a pointer to it and
 * nothing is rebuilt when a viewer adopts a new one.
 * Plain C11 over the core and the view; no SDL, no files.
 */
#include "pgtviz/session.h"
#include "pgtviz/vmarena.h"

#include <stdlib.h>
#include <string.h>

bool pgt_parse_pane_specs(const char *schemes, const char *kver, const pgt_scenario *sc,
                          pgt_pane_spec out[2], int *n, pgt_diags *dg)
{
	memset(out, 0, 2 * sizeof(*out));
	*n = 0;
	uint32_t kv = 0;
	if (kver) {
		char msg[160];
		kv = pgt_kver_check(kver, msg, sizeof(msg));
		if (!kv) {
			pgt_diags_error(dg, "--kernel %s", msg);
			return false;
		}
	}
	bool own[2] = {false, false};
	if (!schemes) {
		int a = sc ? sc->schemes[0] : 0, b = sc ? sc->schemes[1] : 0;
		if (!sc || a == b) {
			a = PGT_SCHEME_PGTBUF;
			b = PGT_SCHEME_TOPDOWN;
		}
		out[0].scheme = a;
		out[1].scheme = b;
		*n = 2;
	} else {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", schemes);
		char *save = NULL;
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (*n == 2) {
				pgt_diags_error(dg, "--schemes takes at most two schemes");
				return false;
			}
			char *at = strchr(tok, '@');
			if (at)
				*at++ = '\0';
			int sch = pgt_scheme_parse(tok);
			if (sch < 0) {
				pgt_diags_error(dg, "--schemes '%s' is not a scheme (%s)", tok,
				                pgt_scheme_names_text());
				return false;
			}
			out[*n].scheme = sch;
			if (at) {
				char msg[160];
				uint32_t v = pgt_kver_check(at, msg, sizeof(msg));
				if (!v || !pgt_scheme_check_kver(sch, v, msg, sizeof(msg))) {
					pgt_diags_error(dg, "--schemes '%s@%s': %s", tok, at, msg);
					return false;
				}
				out[*n].kver = v;
				own[*n] = true;
			}
			(*n)++;
		}
		if (*n == 0) {
			pgt_diags_error(dg, "--schemes needs a scheme name");
			return false;
		}
	}
	/* --kernel: a version only applies to the panes whose scheme models it
	 * and that have no @VER of their own. */
	for (int i = 0; i < *n && kv; i++)
		if (!own[i] && pgt_scheme_accepts(out[i].scheme, kv))
			out[i].kver = kv;
	return true;
}

static pgt_sim *run_pane(const pgt_scenario *sc, pgt_pane_spec spec)
{
	pgt_run_opts o = pgt_run_opts_default(spec.scheme);
	o.kver = spec.kver;
	o.alloc = pgt_vmarena(); /* in-place growth, huge pages (NULL: libc) */
	return pgt_sim_run(sc, &o);
}

/* Why a pane's run gave nothing: over the core's cost bounds
 * (pgt_sim_cost_ok), else out of memory. */
static void say_run_failed(const pgt_scenario *sc, pgt_pane_spec spec, pgt_diags *dg)
{
	pgt_run_opts o = pgt_run_opts_default(spec.scheme);
	o.kver = spec.kver;
	char why[256];
	if (!pgt_sim_cost_ok(sc, &o, why, sizeof(why)))
		pgt_diags_error(dg, "%s (%s): %s", sc->name ? sc->name : "the scenario",
		                pgt_scheme_name(spec.scheme), why);
	else
		pgt_diags_error(dg, "out of memory running the simulation");
}

pgt_session *pgt_session_start_specs(pgt_scenario *sc, const pgt_pane_spec *spec, int n,
                                     pgt_diags *dg)
{
	pgt_session *s = calloc(1, sizeof(*s));
	if (!s) {
		pgt_scenario_clear(sc);
		pgt_diags_error(dg, "out of memory");
		return NULL;
	}
	s->sc = *sc;
	memset(sc, 0, sizeof(*sc));
	pgt_view_cache_init(&s->cache);
	if (n < 1 || n > 2) {
		pgt_diags_error(dg, "one or two panes");
		pgt_session_free(s);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		s->spec[i] = spec[i];
		s->sims[i] = run_pane(&s->sc, spec[i]);
		if (!s->sims[i]) {
			say_run_failed(&s->sc, spec[i], dg);
			pgt_session_free(s);
			return NULL;
		}
		s->nsims++;
	}
	if (!pgt_view_model_init(&s->model, &s->sc, s->sims[0], n > 1 ? s->sims[1] : NULL)) {
		pgt_diags_error(dg, "out of memory");
		pgt_session_free(s);
		return NULL;
	}
	return s;
}

pgt_session *pgt_session_start(pgt_scenario *sc, const char *schemes, const char *kver,
                               pgt_diags *dg)
{
	pgt_pane_spec spec[2];
	int n = 0;
	if (!pgt_parse_pane_specs(schemes, kver, sc, spec, &n, dg)) {
		pgt_scenario_clear(sc);
		return NULL;
	}
	return pgt_session_start_specs(sc, spec, n, dg);
}

bool pgt_session_set_pane(pgt_session *s, int p, pgt_pane_spec spec, pgt_diags *dg)
{
	if (p < 0 || p >= s->nsims)
		return false;
	char msg[160];
	if (!pgt_scheme_check_kver(spec.scheme, spec.kver, msg, sizeof(msg))) {
		pgt_diags_error(dg, "%s", msg);
		return false;
	}
	pgt_sim *ns = run_pane(&s->sc, spec);
	if (!ns) {
		say_run_failed(&s->sc, spec, dg);
		return false;
	}
	pgt_view_model nm;
	const pgt_sim *a = p == 0 ? ns : s->sims[0];
	const pgt_sim *b = s->nsims > 1 ? (p == 1 ? ns : s->sims[1]) : NULL;
	if (!pgt_view_model_init(&nm, &s->sc, a, b)) {
		pgt_diags_error(dg, "out of memory");
		pgt_sim_free(ns);
		return false;
	}
	pgt_view_model_free(&s->model);
	pgt_sim_free(s->sims[p]);
	s->sims[p] = ns;
	s->spec[p] = spec;
	s->model = nm;
	return true;
}

void pgt_session_free(pgt_session *s)
{
	if (!s)
		return;
	pgt_view_model_free(&s->model);
	pgt_view_cache_free(&s->cache);
	for (int i = 0; i < 2; i++)
		if (s->sims[i])
			pgt_sim_free(s->sims[i]);
	pgt_scenario_clear(&s->sc);
	free(s);
}

size_t pgt_session_keep_position(const pgt_view_model *m, size_t old_step, size_t old_last,
                                 double old_progress)
{
	size_t last = m->nsteps ? m->nsteps - 1 : 0;
	if (old_step >= old_last && old_step > 0)
		return last;
	if (old_step == 0)
		return 0;
	for (size_t g = 0; g <= last; g++)
		if (pgt_view_progress(m, 0, pgt_view_pane_step(m, 0, g)) >= old_progress - 1e-12)
			return g;
	return last;
}

bool pgt_session_rerun_view(pgt_session *s, pgt_viewstate *vs, int p, pgt_pane_spec spec,
                            pgt_diags *dg)
{
	if (p < 0 || p >= s->nsims)
		return false;
	const pgt_view_model *m = &s->model;
	size_t old_last = m->nsteps ? m->nsteps - 1 : 0, old_step = vs->step;
	int q = 1 - p; /* the pane that keeps its run */
	bool two = s->nsims == 2;
	size_t q_ev = two ? pgt_view_pane_at(m, vs, q) : 0;
	double prog = pgt_view_progress(m, p, pgt_view_pane_at(m, vs, p));
	if (!pgt_session_set_pane(s, p, spec, dg))
		return false;
	vs->unlocked = false;
	vs->playing = false;
	if (vs->sel_pane == p) {
		vs->sel_pane = -1;
		vs->sel_table = UINT32_MAX;
	}
	m = &s->model;
	/* The other pane stays on its event; alone, keep the progress. */
	if (two && old_step < old_last)
		vs->step = old_step == 0 ? 0 : pgt_view_global_step(m, q, q_ev);
	else
		vs->step = pgt_session_keep_position(m, old_step, old_last, prog);
	if (vs->range_start != SIZE_MAX && vs->range_start >= m->nsteps)
		vs->range_start = SIZE_MAX;
	snprintf(vs->status, sizeof(vs->status),
	         "%s pane now runs %s (Tab chooses the pane, c the scheme, v the version)",
	         two ? (p == 0 ? "left" : "right") : "the", pgt_sim_model(s->sims[p]));
	return true;
}
