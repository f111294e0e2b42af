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

/* The option words a pane of --schemes may carry after ':'. */
static const struct pane_word {
	const char *word; /* "xen-top" */
	int field;        /* 0 xen, 1 xen_rule, 2 sizing, 3 no_pse, 4 all_lines */
	int value;
} pane_words[] = {
    {"xen", 0, 1},
    {"no-xen", 0, -1},
    {"xen-end", 1, PGT_XEN_RULE_END},
    {"xen-top", 1, PGT_XEN_RULE_TOP},
    {"xen-top-nohook", 1, PGT_XEN_RULE_TOP_NOHOOK},
    {"sizing-a", 2, PGT_SIZING_A},
    {"sizing-b", 2, PGT_SIZING_B},
    {"sizing-c", 2, PGT_SIZING_C},
    {"no-pse", 3, 1},
    {"all-lines", 4, 1},
};
#define N_PANE_WORDS (sizeof(pane_words) / sizeof(pane_words[0]))

const char *pgt_pane_option_words(void)
{
	return "xen, no-xen, xen-end, xen-top, xen-top-nohook, sizing-a, sizing-b, sizing-c, "
	       "no-pse, all-lines";
}

/* The option words of sp, each after sep (the first after first). */
static size_t options_text(const pgt_pane_spec *sp, const char *first, const char *sep, char *buf,
                           size_t size)
{
	size_t len = 0;
	for (size_t i = 0; i < N_PANE_WORDS && len < size; i++) {
		const struct pane_word *w = &pane_words[i];
		int v = w->field == 0   ? sp->xen
		        : w->field == 1 ? sp->xen_rule
		        : w->field == 2 ? sp->sizing
		        : w->field == 3 ? sp->no_pse
		                        : sp->all_lines;
		if (v == w->value)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? sep : first,
			                        w->word);
	}
	return len;
}

char *pgt_pane_spec_options_text(const pgt_pane_spec *sp, char *buf, size_t size)
{
	buf[0] = '\0';
	options_text(sp, "", ", ", buf, size);
	return buf;
}

char *pgt_pane_specs_text(const pgt_pane_spec *sp, int n, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++) {
		char v[32] = "";
		if (sp[i].kver)
			pgt_kver_format(sp[i].kver, v, sizeof(v));
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s", i ? "," : "",
		                        pgt_scheme_name(sp[i].scheme), v[0] ? "@" : "", v);
		if (len < size)
			len += options_text(&sp[i], ":", ":", buf + len, size - len);
	}
	return buf;
}

/* Applies option word w to sp; false (message in msg) if unknown or if
 * that option was already set for this pane. */
static bool pane_word(pgt_pane_spec *sp, unsigned *set, const char *w, char *msg, size_t size)
{
	for (size_t i = 0; i < N_PANE_WORDS; i++) {
		const struct pane_word *pw = &pane_words[i];
		if (strcmp(w, pw->word) != 0)
			continue;
		if (*set & (1u << pw->field)) {
			snprintf(msg, size, "'%s' sets an option this pane already has", w);
			return false;
		}
		*set |= 1u << pw->field;
		switch (pw->field) {
		case 0:
			sp->xen = pw->value;
			break;
		case 1:
			sp->xen_rule = pw->value;
			break;
		case 2:
			sp->sizing = pw->value;
			break;
		case 3:
			sp->no_pse = true;
			break;
		default:
			sp->all_lines = true;
		}
		return true;
	}
	snprintf(msg, size, "'%.40s' is not a pane option (%s)", w, pgt_pane_option_words());
	return false;
}

/* One pane of --schemes: "NAME[@VER][:OPT[:OPT...]]".  own_kver: the pane
 * has its own version. */
static bool parse_one_pane(char *tok, pgt_pane_spec *sp, bool *own_kver, pgt_diags *dg)
{
	char whole[256]; /* the pane as given, for messages */
	snprintf(whole, sizeof(whole), "%s", tok);
	char *opts = strchr(tok, ':');
	if (opts)
		*opts++ = '\0';
	char *at = strchr(tok, '@');
	if (at)
		*at++ = '\0';
	int sch = pgt_scheme_parse(tok);
	if (sch < 0) {
		pgt_diags_error(dg, "--schemes '%s' is not a scheme (%s)", tok,
		                pgt_scheme_names_text());
		return false;
	}
	sp->scheme = sch;
	char msg[400];
	if (at) {
		uint32_t v = pgt_kver_check(at, msg, sizeof(msg));
		if (!v || !pgt_scheme_check_kver(sch, v, msg, sizeof(msg))) {
			pgt_diags_error(dg, "--schemes '%s': %s", whole, msg);
			return false;
		}
		sp->kver = v;
		*own_kver = true;
	}
	unsigned set = 0;
	for (char *w = opts; w;) {
		char *next = strchr(w, ':');
		if (next)
			*next++ = '\0';
		if (!pane_word(sp, &set, w, msg, sizeof(msg))) {
			pgt_diags_error(dg, "--schemes '%s': %s", whole, msg);
			return false;
		}
		w = next;
	}
	if ((sp->xen_rule || sp->sizing) && sch != PGT_SCHEME_PGTBUF) {
		pgt_diags_error(dg,
		                "--schemes '%s': %s is an option of the pgtbuf scheme "
		                "(the linear pgt_buf of kernels up to 3.8), not of %s",
		                whole, sp->xen_rule ? "a Xen rule" : "a sizing variant",
		                pgt_scheme_name(sch));
		return false;
	}
	return true;
}

/* The panes when --schemes is not given: the scenario's pair or its one
 * scheme (second slot -1: xen-window-2.6.37 was shown as two identical
 * pgtbuf panes), else old,new. */
static void default_panes(const pgt_scenario *sc, pgt_pane_spec out[2], int *n)
{
	int a = sc ? sc->schemes[0] : 0, b = sc ? sc->schemes[1] : 0;
	if (!sc || a == b || a < 0 || a >= PGT_SCHEME_COUNT) {
		a = PGT_SCHEME_PGTBUF;
		b = PGT_SCHEME_TOPDOWN;
	}
	out[0].scheme = a;
	out[1].scheme = b;
	*n = b >= 0 && b < PGT_SCHEME_COUNT ? 2 : 1;
}

/* args->all for the panes without options of their own; refuses a global
 * option that no pane takes. */
static bool apply_all(const pgt_pane_args *args, pgt_pane_spec *out, int n, pgt_diags *dg)
{
	const pgt_pane_spec *g = &args->all;
	bool pgtbuf = false;
	for (int i = 0; i < n; i++) {
		pgt_pane_spec *sp = &out[i];
		bool old = sp->scheme == PGT_SCHEME_PGTBUF;
		pgtbuf |= old;
		if (!sp->xen)
			sp->xen = g->xen;
		if (!sp->xen_rule && old)
			sp->xen_rule = g->xen_rule;
		if (!sp->sizing && old)
			sp->sizing = g->sizing;
		sp->no_pse |= g->no_pse;
		sp->all_lines |= g->all_lines;
	}
	if ((g->xen_rule || g->sizing) && !pgtbuf) {
		pgt_diags_error(dg,
		                "%s applies to no pane: it is an option of the pgtbuf "
		                "scheme (kernels up to 3.8) and no pane runs it (e.g. --schemes "
		                "old,new)",
		                g->xen_rule ? "--xen-rule" : "--sizing");
		return false;
	}
	return true;
}

/* --kernel that no pane takes: why, and what to write instead. */
static bool kver_unused(const char *text, uint32_t kv, const pgt_pane_spec *out, const bool *own,
                        int n, pgt_diags *dg)
{
	const pgt_scheme_info *si = pgt_scheme_get(out[0].scheme);
	const pgt_scheme_info *want = pgt_scheme_get(pgt_scheme_for_kver(kv));
	char why[160];
	if (own[0] && (n < 2 || own[1]))
		snprintf(why, sizeof(why), "every pane has its own @VER");
	else if (n > 1 && out[0].scheme != out[1].scheme)
		snprintf(why, sizeof(why), "neither pane's scheme models it");
	else
		snprintf(why, sizeof(why), "the %s scheme models %s", si->name, si->era_text);
	pgt_diags_error(dg,
	                "--kernel %s applies to no pane: %s; run a scheme of that era "
	                "(--schemes %s) or give a pane its own version (--schemes %s@VER)",
	                text, why, want->alias ? want->alias : want->name,
	                si->alias ? si->alias : si->name);
	return false;
}

bool pgt_parse_panes(const pgt_pane_args *args, const pgt_scenario *sc, pgt_pane_spec out[2],
                     int *n, pgt_diags *dg)
{
	memset(out, 0, 2 * sizeof(*out));
	*n = 0;
	uint32_t kv = 0;
	char msg[160];
	if (args->kver) {
		kv = pgt_kver_check(args->kver, msg, sizeof(msg));
		if (!kv) {
			pgt_diags_error(dg, "--kernel %s", msg);
			return false;
		}
	}
	bool own[2] = {false, false};
	if (!args->schemes) {
		default_panes(sc, out, n);
	} else {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", args->schemes);
		char *save = NULL;
		for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (*n == 2) {
				pgt_diags_error(dg, "--schemes takes at most two schemes");
				return false;
			}
			if (!parse_one_pane(tok, &out[*n], &own[*n], dg))
				return false;
			(*n)++;
		}
		if (*n == 0) {
			pgt_diags_error(dg, "--schemes needs a scheme name");
			return false;
		}
	}
	/* --kernel: a version only applies to the panes whose scheme models it
	 * and that have no @VER of their own; one that applies to no pane is
	 * refused rather than ignored. */
	bool used = false;
	for (int i = 0; i < *n && kv; i++)
		if (!own[i] && pgt_scheme_accepts(out[i].scheme, kv)) {
			out[i].kver = kv;
			used = true;
		}
	if (kv && !used)
		return kver_unused(args->kver, kv, out, own, *n, dg);
	return apply_all(args, out, *n, dg);
}

bool pgt_parse_pane_specs(const char *schemes, const char *kver, const pgt_scenario *sc,
                          pgt_pane_spec out[2], int *n, pgt_diags *dg)
{
	pgt_pane_args a = {.schemes = schemes, .kver = kver};
	return pgt_parse_panes(&a, sc, out, n, dg);
}

static pgt_sim *run_pane(const pgt_scenario *sc, pgt_pane_spec spec)
{
	pgt_run_opts o = pgt_run_opts_default(spec.scheme);
	o.kver = spec.kver;
	o.xen = spec.xen > 0 ? 1 : spec.xen < 0 ? 0 : -1;
	o.xen_rule = spec.xen_rule;
	o.sizing = spec.sizing;
	o.all_lines = spec.all_lines;
	o.alloc = pgt_vmarena(); /* in-place growth, huge pages (NULL: libc) */
	if (!spec.no_pse)
		return pgt_sim_run(sc, &o);
	pgt_scenario flat = *sc; /* the run copies what it needs */
	flat.cpu.pse = flat.cpu.gbpages = false;
	return pgt_sim_run(&flat, &o);
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
	pgt_pane_args a = {.schemes = schemes, .kver = kver};
	return pgt_session_start_args(sc, &a, dg);
}

pgt_session *pgt_session_start_args(pgt_scenario *sc, const pgt_pane_args *args, pgt_diags *dg)
{
	pgt_pane_spec spec[2];
	int n = 0;
	if (!pgt_parse_panes(args, sc, spec, &n, dg)) {
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

pgt_pane_spec pgt_session_respec(const pgt_session *s, int p, int scheme, uint32_t kver)
{
	pgt_pane_spec sp = {0};
	if (p >= 0 && p < s->nsims)
		sp = s->spec[p];
	sp.scheme = scheme;
	sp.kver = kver;
	if (scheme != PGT_SCHEME_PGTBUF)
		sp.xen_rule = sp.sizing = 0;
	return sp;
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
