/*
 * Scenario files: a documented, versioned JSON format (docs/scenario-format.md).
 * Loading reports every problem with file:line:col and the JSON path.
 */
#ifndef PGTVIZ_SCENARIO_JSON_H
#define PGTVIZ_SCENARIO_JSON_H

#include "pgtviz/core.h"
#include "pgtviz/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses text (len bytes, need not be NUL-terminated) into *out (zeroed by
 * the caller).  Returns false and fills diags (d->file names the file) when
 * anything is wrong; *out is then cleared. */
bool pgt_scenario_from_json(const char *text, size_t len, pgt_scenario *out, pgt_diags *d);

/* A provenance record for the optional "source" block ("where each value
 * came from"): key is the scenario field, value says where it came from. */
typedef struct pgt_source_kv {
	const char *key;
	const char *value;
} pgt_source_kv;

/* Serialises a scenario (and an optional source block) as pretty JSON that
 * pgt_scenario_from_json() reads back to an equal scenario.  malloc'ed. */
char *pgt_scenario_to_json(const pgt_scenario *sc, const pgt_source_kv *source, size_t n_source);

/* Checks a scenario built in memory (the dmesg importer's) with the
 * reader's own rules: it is written as JSON with its source block and read
 * back by pgt_scenario_from_json(), so whatever this accepts, a file
 * written from it loads.  Each error of the reader is added to *d as an
 * error message "PATH: text" (no position: the JSON is never shown);
 * returns false if there was any (or memory ran out). */
bool pgt_scenario_check(const pgt_scenario *sc, const pgt_source_kv *source, size_t n_source,
                        pgt_diags *d);

#ifdef __cplusplus
}
#endif
#endif
