/*
 * vmarena.h for the browser build.  The native arena reserves terabytes of
 * address space up front (src/sys/vmarena.c); 32-bit WebAssembly has 4 GiB
 * in all, so the page has no arena and the core allocates with libc, which
 * is what every caller does when pgt_vmarena() returns NULL.
 */
#include "pgtviz/vmarena.h"

#include <stdio.h>

const pgt_allocator *pgt_vmarena(void)
{
	return NULL;
}

bool pgt_vmarena_hugepages(char *mode, size_t size)
{
	if (size)
		snprintf(mode, size, "none (wasm)");
	return false;
}

size_t pgt_vmarena_huge_bytes(void)
{
	return 0;
}
