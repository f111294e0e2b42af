/*
 * Strict decimal numbers (see pgtviz/number.h).  Written out by hand
 * rather than with strtoll, which takes spaces, '+', leading zeros and
 * a sign on zero.
 */
#include "pgtviz/number.h"

#include <limits.h>

bool pgt_number_leading_zero(const char *p)
{
	return p[0] == '0' && p[1] >= '0' && p[1] <= '9';
}

bool pgt_parse_whole(const char *v, long long lo, long long hi, long long *out)
{
	const char *p = v;
	bool neg = *p == '-';
	if (neg)
		p++;
	if (*p < '0' || *p > '9' || pgt_number_leading_zero(p) || (neg && p[0] == '0'))
		return false; /* "-0" is zero with a sign: refused like "010" */
	unsigned long long x = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (x > (ULLONG_MAX - 9) / 10)
			return false;
		x = x * 10 + (unsigned long long)(*p - '0');
	}
	if (x > (unsigned long long)LLONG_MAX)
		return false;
	long long s = neg ? -(long long)x : (long long)x;
	if (s < lo || s > hi)
		return false;
	*out = s;
	return true;
}
