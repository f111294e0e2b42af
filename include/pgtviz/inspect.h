/*
 * pgtviz table-page inspector: the entries of one table page at the step a
 * pane shows (SDL-free).  The pane's simulation is run again up to that
 * event, as `pgtviz ptdump --step N` does, and the page's entries read
 * with pgt_sim_table_entries(); the view draws them (view_inspect.c) when
 * the viewer has one selected and the inspector open (`i`).
 */
#ifndef PGTVIZ_INSPECT_H
#define PGTVIZ_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtviz/core.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pgt_session;

typedef struct pgt_inspect {
	bool valid;        /* the fields below describe a table page */
	int pane;          /* pane of the table page */
	uint32_t table;    /* its table index */
	size_t event;      /* the pane's event the entries are for */
	pgt_table info;    /* the table page */
	pgt_entry e[1024]; /* its entries at that event */
	size_t n;          /* how many (pgt_sim_table_entries: 512, fewer in the root) */
	size_t alias;      /* the writable alias of a refused Xen pin (SIZE_MAX: none) */
	bool xen;          /* the run is a Xen PV guest (RO entries matter) */
	const pgt_sim *of; /* the pane's run these entries were read for */
} pgt_inspect;

/* Brings *in to table `table` of pane p as of the pane's event ev (runs the
 * pane again up to ev unless *in already holds exactly that).  A table not
 * allocated yet at ev leaves *in invalid.  Returns false only when memory
 * runs out. */
bool pgt_inspect_update(pgt_inspect *in, const struct pgt_session *s, int p, uint32_t table,
                        size_t ev);

#ifdef __cplusplus
}
#endif
#endif
