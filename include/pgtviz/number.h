/*
 * Strict decimal numbers, one rule for every place a person types or a
 * file stores one (command-line options in src/app/opts.c, the saved
 * export settings in src/ui/export.c): digits only, an optional '-', no
 * leading zeros ("010"), no sign on zero ("-0"), no '+', no spaces, no
 * trailing text, within the caller's range.
 */
#ifndef PGTVIZ_NUMBER_H
#define PGTVIZ_NUMBER_H

#include <stdbool.h>

/* true and *out when v is such a whole number within [lo, hi]. */
bool pgt_parse_whole(const char *v, long long lo, long long hi, long long *out);
/* Whether the digits at p start with a zero that is not the whole integer
 * part ("010", "00.5"; not "0" or "0.5"). */
bool pgt_number_leading_zero(const char *p);

#endif
