/*
 * Test helper: reads scenarios/NAME.json (at most 1 MiB) with the library's
 * reader.  strict: a warning fails the load too (the gallery must read
 * cleanly); otherwise only errors do.  Diagnostics go to stderr.
 */
#ifndef PGTVIZ_TESTS_SCENARIO_FILE_H
#define PGTVIZ_TESTS_SCENARIO_FILE_H

#include "pgtviz/core.h"
#include "pgtviz/diag.h"
#include "pgtviz/scenario_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline bool t_load_scenario(const char *name, pgt_scenario *sc, bool strict)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s.json", PGTVIZ_SCENARIO_DIR, name);
	memset(sc, 0, sizeof(*sc));
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return false;
	}
	size_t cap = 1 << 20, n = 0;
	char *text = malloc(cap);
	if (text)
		n = fread(text, 1, cap, f);
	fclose(f);
	if (!text)
		return false;
	pgt_diags d;
	pgt_diags_init(&d, path);
	bool ok = pgt_scenario_from_json(text, n, sc, &d);
	if (strict) {
		if (!ok || d.n)
			pgt_diags_print(&d, stderr);
		ok = ok && d.n == 0;
	}
	pgt_diags_free(&d);
	free(text);
	return ok;
}

/* Runs SC under SCHEME, optionally as kernel KVER ("3.0"; NULL: the
 * scheme's default) and with a Xen rule (PGT_XEN_RULE_*). */
static inline pgt_sim *t_run(const pgt_scenario *sc, int scheme, const char *kver, int xen_rule)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = kver ? pgt_kver_parse(kver) : 0;
	o.xen_rule = xen_rule;
	return pgt_sim_run(sc, &o);
}

#endif
