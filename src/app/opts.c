/*
 * opts.c: the table-driven option parser of every command (opts.h).
 *
 * Numbers are read strictly: a whole number is optional '-' and decimal
 * digits, nothing else ("1e2", "5.5", " 5", "+5", "0x10" are refused, and so
 * is anything beyond the limits, without wrapping); a real number is what
 * strtod reads in full, in decimal, and is finite ("nan", "inf", "0x1p3"
 * are refused).  Both are written as a person writes them: no leading zero
 * ("010", "00.5"; "0" and "0.5" are fine) and no sign on zero ("-0"), which
 * C would read as 10 and 0 without a word.  Every message quotes the value
 * as the user typed it (the first 64 bytes).
 */
#include "opts.h"
#include "commands.h"

#include "pgtviz/core.h"
#include "pgtviz/number.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static pgt_diags app_list; /* app_diags(); file NULL: the program */

pgt_diags *app_diags(void)
{
	return &app_list;
}

bool app_flush(bool ok)
{
	pgt_diags_print(&app_list, stderr);
	pgt_diags_free(&app_list);
	return ok;
}

const char *const app_xen_rule_names[] = {"end", "top", "top-nohook", NULL};
const char *const app_sizing_names[] = {"A", "B", "C", NULL};

/* Adds one message of that severity and prints the list. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static void
app_say(const char *prefix, int severity, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pgt_diags_add_in(&app_list, prefix, severity, 0, 0, "%s", msg);
	app_flush(true);
}

int app_error(const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	app_say(prefix, PGT_DIAG_ERROR, fmt, ap);
	va_end(ap);
	return 2;
}

void app_note(const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	app_say(prefix, PGT_DIAG_NOTE, fmt, ap);
	va_end(ap);
}

/* The value as given, cut at 64 bytes ("..." then). */
static const char *shown(const char *v, char *buf, size_t size)
{
	snprintf(buf, size, "%.64s%s", v, strlen(v) > 64 ? "..." : "");
	return buf;
}

/* Whether arg is one of the '|'-separated names; len = bytes of arg to
 * compare (the part before '='). */
static bool name_is(const char *names, const char *arg, size_t len)
{
	for (const char *p = names; *p;) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == len && memcmp(p, arg, len) == 0)
			return true;
		p += n + (e ? 1 : 0);
	}
	return false;
}

static bool leading_zero(const char *p)
{
	return pgt_number_leading_zero(p);
}

/* The reason to add to a refused number that C would have read: a leading
 * zero or a sign on zero, at the start or after WxH's 'x'. */
static const char *number_hint(const char *v)
{
	const char *x = strchr(v, 'x');
	for (const char *p = v; p; p = (p == v && x) ? x + 1 : NULL) {
		bool neg = *p == '-';
		if (leading_zero(p + neg))
			return " (write it without leading zeros)";
		size_t z = neg ? strspn(p + 1, "0.") : 0;
		if (z && p[1] == '0' && (p[1 + z] == '\0' || p[1 + z] == 'x'))
			return " (zero takes no sign)";
	}
	return "";
}

/* Strict whole number within [lo, hi] (pgtviz/number.h). */
static bool whole(const char *v, long long lo, long long hi, long long *out)
{
	return pgt_parse_whole(v, lo, hi, out);
}

/* Strict finite real number within [lo, hi]. */
static bool real(const char *v, double lo, double hi, double *out)
{
	bool neg = *v == '-';
	const char *p = v + neg;
	if (!((*p >= '0' && *p <= '9') || *p == '.') || leading_zero(p) || strpbrk(v, "xX"))
		return false; /* no '+', no leading zero, no hexadecimal reals ("0x1p3") */
	char *end = NULL;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || *end || errno == ERANGE || !isfinite(d) || d < lo || d > hi ||
	    (neg && d == 0))
		return false;
	*out = d;
	return true;
}

/* Formats a real limit without trailing zeros ("0.25", "4", "60"). */
static const char *fmt_real(double d, char *buf, size_t size)
{
	snprintf(buf, size, "%g", d);
	return buf;
}

/* Length of the valid UTF-8 sequence at p (1-4), 0 if invalid (overlong
 * forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n = p[0] >= 0xc2 && p[0] <= 0xdf   ? 2
	           : p[0] >= 0xe0 && p[0] <= 0xef ? 3
	           : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
	                                          : 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* OPT_TEXT: one line of text as it will be drawn -- valid UTF-8, no control
 * character (C0, DEL, C1: a newline or a terminal escape is not a title),
 * at most max bytes.  The messages name the byte, not the value, when it
 * is not text. */
static bool text_line(const char *v, long long max, char *msg, size_t size)
{
	size_t len = strlen(v);
	if ((long long)len > max) {
		snprintf(msg, size, "is %zu bytes long: at most %lld", len, max);
		return false;
	}
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)v + i;
		size_t n = utf8_seq(p);
		if (!n) {
			snprintf(msg, size, "is not UTF-8 text (byte %zu is 0x%02x)", i + 1, p[0]);
			return false;
		}
		/* C0 and DEL are one byte; C1 (U+0080..U+009F) is 0xc2 0x80..0x9f */
		bool ctl = (n == 1 && (p[0] < 0x20 || p[0] == 0x7f)) ||
		           (n == 2 && p[0] == 0xc2 && p[1] <= 0x9f);
		unsigned cp = n == 1 ? p[0] : p[1];
		if (ctl) {
			snprintf(msg, size,
			         "has a control character (U+%04X at byte %zu): it is one line of "
			         "text",
			         cp, i + 1);
			return false;
		}
		i += n;
	}
	return true;
}

/* Stores one value; on a bad value writes the message tail into msg. */
static bool store(const app_opt *o, const char *v, char *msg, size_t size)
{
	char b[80], l1[32], l2[32];
	long long x = 0, y = 0;
	double d = 0;
	switch (o->kind) {
	case OPT_STR:
		*(const char **)o->dest = v;
		return true;
	case OPT_TEXT:
		if (!text_line(v, o->hi, msg, size))
			return false;
		*(const char **)o->dest = v;
		return true;
	case OPT_INT:
		if (!whole(v, o->lo, o->hi, &x)) {
			snprintf(msg, size, "'%s' is not a whole number from %lld to %lld%s",
			         shown(v, b, sizeof(b)), o->lo, o->hi, number_hint(v));
			return false;
		}
		*(int *)o->dest = (int)x;
		return true;
	case OPT_COUNT:
		if (!whole(v, 0, LLONG_MAX, &x) || (unsigned long long)x >= SIZE_MAX) {
			snprintf(msg, size, "'%s' is not %s%s", shown(v, b, sizeof(b)),
			         o->what ? o->what : "a count", number_hint(v));
			return false;
		}
		*(size_t *)o->dest = (size_t)x;
		return true;
	case OPT_DOUBLE:
	case OPT_FLOAT:
		if (!real(v, o->dlo, o->dhi, &d)) {
			snprintf(msg, size, "'%s' is not a number from %s to %s%s",
			         shown(v, b, sizeof(b)), fmt_real(o->dlo, l1, sizeof(l1)),
			         fmt_real(o->dhi, l2, sizeof(l2)), number_hint(v));
			return false;
		}
		if (o->kind == OPT_FLOAT)
			*(float *)o->dest = (float)d;
		else
			*(double *)o->dest = d;
		return true;
	case OPT_WXH: {
		/* the sizes of slides and screens by name */
		static const struct {
			const char *name;
			int w, h;
		} named[] = {{"720p", 1280, 720},
		             {"1080p", 1920, 1080},
		             {"1440p", 2560, 1440},
		             {"4k", 3840, 2160}};
		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if (strcmp(v, named[i].name) == 0 && named[i].w >= o->lo &&
			    named[i].w <= o->hi && named[i].h >= o->lo2 && named[i].h <= o->hi2) {
				*(int *)o->dest = named[i].w;
				*(int *)o->dest2 = named[i].h;
				return true;
			}
		const char *xp = strchr(v, 'x');
		char wbuf[32];
		size_t wl = xp ? (size_t)(xp - v) : 0;
		bool ok = xp && wl > 0 && wl < sizeof(wbuf);
		if (ok) {
			memcpy(wbuf, v, wl);
			wbuf[wl] = '\0';
			ok = whole(wbuf, o->lo, o->hi, &x) && whole(xp + 1, o->lo2, o->hi2, &y);
		}
		if (!ok) {
			snprintf(
			    msg, size,
			    "'%s' is not WxH from %lldx%lld to %lldx%lld or a name: 720p, 1080p, "
			    "1440p, 4k%s",
			    shown(v, b, sizeof(b)), o->lo, o->lo2, o->hi, o->hi2, number_hint(v));
			return false;
		}
		*(int *)o->dest = (int)x;
		*(int *)o->dest2 = (int)y;
		return true;
	}
	case OPT_KVER: {
		uint32_t k = pgt_kver_check(v, msg, size);
		if (!k)
			return false;
		*(uint32_t *)o->dest = k;
		return true;
	}
	case OPT_SCHEME: {
		int s = pgt_scheme_parse(v);
		if (s < 0) {
			snprintf(msg, size, "'%s' is not a scheme (%s)", shown(v, b, sizeof(b)),
			         pgt_scheme_names_text());
			return false;
		}
		*(int *)o->dest = s;
		return true;
	}
	case OPT_CHOICE: {
		size_t len = 0;
		for (size_t i = 0; o->choices[i]; i++) {
			if (strcmp(o->choices[i], v) == 0) {
				*(int *)o->dest = (int)(o->lo + (long long)i);
				return true;
			}
		}
		len = (size_t)snprintf(msg, size, "'%s' is not one of ", shown(v, b, sizeof(b)));
		for (size_t i = 0; o->choices[i] && len < size; i++)
			len += (size_t)snprintf(msg + len, size - len, "%s%s", i ? ", " : "",
			                        o->choices[i]);
		return false;
	}
	case OPT_CUSTOM:
		return o->fn(o->dest, v, msg, size);
	default:
		snprintf(msg, size, "has no parser");
		return false;
	}
}

/* Finds the option for arg (the part before '=', if any). */
static const app_opt *find(const app_cmd *c, const char *arg, size_t len)
{
	for (size_t i = 0; i < c->n_opts; i++)
		if (name_is(c->opts[i].names, arg, len))
			return &c->opts[i];
	return NULL;
}

/* Whether the option takes a value. */
static bool takes_value(const app_opt *o)
{
	return o->kind != OPT_TRUE && o->kind != OPT_SET;
}

int app_parse(const app_cmd *c, int argc, char **argv)
{
	size_t npos = 0;
	char msg[256], b[80];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			c->usage(stdout);
			return 1;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (npos == c->n_pos)
				return app_error(c->prefix, "unexpected argument '%s'",
				                 shown(a, b, sizeof(b)));
			c->pos[npos++] = a;
			continue;
		}
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		const app_opt *o = find(c, a, len);
		if (!o)
			return app_error(c->prefix, "unknown option '%s'", shown(a, b, sizeof(b)));
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)len, a);
		if (!takes_value(o)) {
			if (eq)
				return app_error(c->prefix, "%s takes no value", name);
			if (o->kind == OPT_TRUE)
				*(bool *)o->dest = true;
			else
				*(int *)o->dest = (int)o->lo;
			continue;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
		if (o->optional && !eq) {
			/* the next word is the value only if it is one */
			if (v && o->fn(o->dest, v, msg, sizeof(msg))) {
				i++;
				continue;
			}
			o->fn(o->dest, NULL, msg, sizeof(msg));
			continue;
		}
		if (!v)
			return app_error(c->prefix, "%s needs a value", name);
		if (!eq)
			i++;
		if (!store(o, v, msg, sizeof(msg)))
			return app_error(c->prefix, "%s %s", name, msg);
	}
	return 0;
}

bool app_opt_direct_map_base(void *dest, const char *v, char *msg, size_t size)
{
	char *end = NULL, why[160];
	errno = 0;
	unsigned long long a =
	    strncmp(v, "0x", 2) == 0 && v[2] && strchr("0123456789abcdefABCDEF", v[2])
	        ? strtoull(v + 2, &end, 16)
	        : 0;
	if (!end || end == v + 2 || *end || errno) {
		snprintf(msg, size, "'%.40s' is not a hex address like 0xffff888000000000", v);
		return false;
	}
	if (!pgt_direct_map_base_ok(a, why, sizeof(why))) {
		snprintf(msg, size, "'%.40s': %s", v, why);
		return false;
	}
	*(uint64_t *)dest = a;
	return true;
}
