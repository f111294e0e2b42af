/*
 * machine.c: the machine a run starts from -- the e820 map sanitised and
 * trimmed as the version did, memblock filled from it, the kernel image,
 * BRK and the boot-time reservations (Xen's builder layout included) -- and
 * the e820 query the walk needs.  Calls record.c and memblock.c only.
 */
#ifndef PGTVIZ_MACHINE_H
#define PGTVIZ_MACHINE_H

#include "record.h"

/* setup_arch up to the direct mapping: e820, memblock, max_pfn, BRK. */
void machine_setup(pgt_sim *s);
/* e820_any_mapped(start, end, type) over the effective map; ram_only: RAM
 * or RESERVED_KERN, else any type. */
bool e820_any(pgt_sim *s, uint64_t start, uint64_t end, bool ram_only);
/* Index of the first RAM (or RESERVED_KERN) entry of the effective map that
 * ends after a; n_e820 when there is none.  A cursor for per-page tests. */
size_t e820_ram_after(const pgt_sim *s, uint64_t a);

#endif
