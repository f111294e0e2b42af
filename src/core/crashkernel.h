/*
 * crashkernel.c: reserve_crashkernel, run after the mapping when the
 * scenario asks for one.  Calls record.c and memblock.c only.
 */
#ifndef PGTVIZ_CRASHKERNEL_H
#define PGTVIZ_CRASHKERNEL_H

#include "record.h"

void sim_reserve_crashkernel(pgt_sim *s);

#endif
