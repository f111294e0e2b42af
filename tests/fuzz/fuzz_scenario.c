/*
 * Fuzz target: bytes -> pgt_scenario_from_json().
 *
 * Beyond "no crash, no leak, no undefined behaviour", it checks what the
 * format promises (docs/scenario-format.md):
 *   - the load fails exactly when an error was reported;
 *   - a loaded scenario is well-formed: a non-empty map with usable RAM,
 *     every entry non-empty and below 2^46;
 *   - round trip: pgt_scenario_to_json() of a loaded scenario reads back
 *     without an error, and writing that again gives the same bytes.
 */
#include "fuzz.h"

#include "pgtviz/scenario_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void check_loaded(const pgt_scenario *sc)
{
	bool ram = false;
	if (!sc->name || !sc->n_e820)
		pgtf_fail("loaded scenario without name or map");
	for (size_t i = 0; i < sc->n_e820; i++) {
		const pgt_e820_entry *e = &sc->e820[i];
		if (e->end <= e->start || e->end > (1ULL << 46))
			pgtf_fail("e820 entry %zu [%#llx, %#llx) accepted", i,
			          (unsigned long long)e->start, (unsigned long long)e->end);
		ram |= e->type == PGT_E820_RAM || e->type == PGT_E820_RESERVED_KERN;
	}
	if (!ram)
		pgtf_fail("scenario without usable RAM accepted");
	char *text = pgt_scenario_to_json(sc, NULL, 0);
	if (!text)
		pgtf_fail("pgt_scenario_to_json returned NULL");
	pgt_scenario back;
	memset(&back, 0, sizeof(back));
	pgt_diags d;
	pgt_diags_init(&d, "roundtrip.json");
	if (!pgt_scenario_from_json(text, strlen(text), &back, &d) || d.errors) {
		pgt_diags_print(&d, stderr);
		fprintf(stderr, "--- written:\n%s\n", text);
		pgtf_fail("the writer's output does not read back");
	}
	char *again = pgt_scenario_to_json(&back, NULL, 0);
	if (!again || strcmp(text, again) != 0) {
		fprintf(stderr, "--- first:\n%s\n--- second:\n%s\n", text,
		        again ? again : "(null)");
		pgtf_fail("writing a read-back scenario gives other bytes");
	}
	free(again);
	free(text);
	pgt_diags_free(&d);
	pgt_scenario_clear(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	pgt_diags d;
	pgt_diags_init(&d, "fuzz.json");
	/* PGTVIZ_FUZZ_TERMINATE=1 passes a NUL-terminated copy, to fuzz past a
	 * known read beyond the end (the API does not need the NUL) */
	char *copy = NULL;
	const char *text = (const char *)data;
	if (getenv("PGTVIZ_FUZZ_TERMINATE") && (copy = malloc(size + 1)) != NULL) {
		memcpy(copy, data, size);
		copy[size] = '\0';
		text = copy;
	}
	bool ok = pgt_scenario_from_json(text, size, &sc, &d);
	free(copy);
	if (ok != (d.errors == 0))
		pgtf_fail("load returned %d with %zu errors", ok, d.errors);
	for (size_t i = 0; i < d.n; i++)
		if (!d.items[i].msg || d.items[i].line < 0 || d.items[i].col < 0)
			pgtf_fail("diagnostic %zu malformed", i);
	if (devnull())
		pgt_diags_print(&d, devnull());
	if (ok)
		check_loaded(&sc);
	else if (sc.e820 || sc.name || sc.n_e820)
		pgtf_fail("failed load left a scenario behind");
	pgt_scenario_clear(&sc);
	pgt_diags_free(&d);
	return 0;
}
