/*
 * schemes.c: the drivers of the four schemes (setup_arch's
 * init_memory_mapping calls, their sizing, printing and Xen steps).  Called
 * by the run loop (sim.c); calls walk.c, alloc.c, split.c, crashkernel.c and
 * record.c.
 */
#ifndef PGTVIZ_SCHEMES_H
#define PGTVIZ_SCHEMES_H

#include "sim_state.h"

/* Runs the scheme of s on the machine machine_setup() left. */
void schemes_run(pgt_sim *s);

#endif
