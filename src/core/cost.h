/*
 * cost.c: the work and memory a run will ask for, predicted from the
 * scenario before anything runs, and the bounds pgtviz keeps them under
 * (PGT_MAX_TABLE_PAGES, PGT_MAX_XEN_RAM in core.h).  Reads the scenario
 * and the model the run loop picked; calls nothing else of the core.
 */
#ifndef PGTVIZ_COST_H
#define PGTVIZ_COST_H

#include "sim_state.h"

/* The prediction for scenario sc run with the model already picked in s
 * (scheme, xen, cpu_mask, bits32). */
pgt_cost cost_predict(const pgt_sim *s, const pgt_scenario *sc);
/* true when within both bounds; else false with the reason in msg. */
bool cost_within(const pgt_cost *c, char *msg, size_t size);

#endif
