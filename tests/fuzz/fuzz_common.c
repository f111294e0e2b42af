/* Helpers shared by every fuzz target (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void pgtf_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pgtviz fuzz: invariant broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fflush(stderr);
	abort();
}
