/*
 * A pgt_allocator for large runs: one address-space reservation made once
 * per process, cut into fixed slots; each block the core asks for gets a
 * slot and grows in place (no copies), with transparent huge pages asked for
 * where the platform has them.  Released blocks give their memory back to
 * the system, so every run pays for fresh memory like the first one.
 */
#ifndef PGTVIZ_VMARENA_H
#define PGTVIZ_VMARENA_H

#include "pgtviz/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The process-wide arena allocator, or NULL where there is none (no mmap,
 * the reservation was refused, sanitizer builds, or PGTVIZ_NO_ARENA is set in
 * the environment): pass it as pgt_run_opts.alloc either way. */
const pgt_allocator *pgt_vmarena(void);

/* Whether the arena asked for transparent huge pages (madvise succeeded) and
 * the system's THP mode ("always", "madvise", "never", or "" if unknown). */
bool pgt_vmarena_hugepages(char *mode, size_t size);

/* Bytes of the arena currently backed by huge pages (AnonHugePages of its
 * mapping in /proc/self/smaps; 0 if unknown). */
size_t pgt_vmarena_huge_bytes(void);

#ifdef __cplusplus
}
#endif
#endif
