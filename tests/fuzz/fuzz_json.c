/*
 * Fuzz target: bytes -> pgt_scenario_from_json() -> every scheme at its
 * default version (and the scenario's own) -> the invariants of
 * invariants.h.  The path a scenario file takes through `pgtviz log FILE`.
 * Its regressions (tests/fuzz/regressions/json/) are readable scenario
 * files, one per bug found in the core through a file the loader accepts.
 */
#include "fuzz.h"
#include "invariants.h"

#include "pgtviz/scenario_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_EVENTS 200000

static void run(const pgt_scenario *sc, int scheme, bool scenario_kver)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.max_events = FUZZ_MAX_EVENTS;
	if (!scenario_kver)
		o.kver = pgt_scheme_default_kver(scheme);
	o.max_events = pgtf_event_cap(sc, &o, o.max_events);
	if (!pgt_sim_cost_ok(sc, &o, NULL, 0)) {
		/* a scheme that maps the holes too, over the cost bounds */
		if (pgt_sim_run(sc, &o))
			pgtf_fail("pgt_sim_run ran a machine over the cost bounds");
		return;
	}
	pgt_sim *s = pgt_sim_run(sc, &o);
	if (!s)
		pgtf_fail("pgt_sim_run returned NULL (out of memory)");
	char why[512];
	if (!pgtf_check_sim(s, o.max_events, why, sizeof(why)))
		pgtf_fail("%s: %s", sc->name ? sc->name : "?", why);
	pgt_sim_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_diags d;
	pgt_diags_init(&d, "fuzz.json");
	if (pgt_scenario_from_json((const char *)data, size, &sc, &d)) {
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			run(&sc, scheme, false);
			if (sc.kver)
				run(&sc, scheme, true);
		}
	}
	pgt_scenario_clear(&sc);
	pgt_diags_free(&d);
	return 0;
}
