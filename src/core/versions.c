/*
 * versions.c: the one table of schemes and version models.
 *
 * Which scheme modelled which kernels, what each is called, which versions a
 * user may ask for and which the window steps through used to be written
 * into seven files.  They are here, read by the CLI, the window, export,
 * import, check, scenario files and bench:
 *
 *   - scheme_table: one row per enum pgt_scheme (names, aliases, captions,
 *     era, default version, the version models offered);
 *   - pgt_kver_check: the one strict parser and validator of a version a
 *     user gives, with the one message every caller prints;
 *   - pgt_kver_parse: the lenient reader of release strings found in logs.
 *
 * A new version model is one entry in a models_* list (ascending).  A
 * release candidate is a model like any other: PGT_KVER_RC(2, 6, 39, 1) in
 * models_pgtbuf makes "2.6.39-rc1" accepted everywhere and offered by the
 * window; the rules that differ test `kver >= PGT_KVER_RC(...)` in the core.
 * Versions are facts from docs/kernel-model.md (§1, the schemes by era).
 */
#include "pgtviz/core.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the table ------------------------------------------------------------ */

/* Version models the window steps through, per scheme, ascending. */
static const uint32_t models_pgtbuf[] = {
    PGT_KVER(2, 6, 36), PGT_KVER(2, 6, 38), PGT_KVER_RC(2, 6, 39, 1), PGT_KVER(3, 0, 0),
    PGT_KVER(3, 4, 0),  PGT_KVER(3, 6, 0),  PGT_KVER_RC(3, 7, 0, 2),  PGT_KVER(3, 8, 0)};
static const uint32_t models_topdown[] = {PGT_KVER_TOPDOWN, PGT_KVER(3, 11, 0), PGT_KVER(3, 19, 0),
                                          PGT_KVER(4, 8, 0)};
static const uint32_t models_bottomup[] = {PGT_KVER_BOTTOMUP, PGT_KVER(3, 19, 0)};
static const uint32_t models_chunkend[] = {PGT_KVER(3, 6, 0)};

static const pgt_scheme_info scheme_table[PGT_SCHEME_COUNT] = {
    {PGT_SCHEME_PGTBUF, "pgtbuf", "old", "pgtbuf,old",
     "one linear buffer per call, sized up front (2.6.2x - 3.8)", "2.6.2x–3.8", "kernels up to 3.8",
     PGT_KVER_OLDEST, PGT_KVER_TOPDOWN, PGT_KVER(3, 8, 0), models_pgtbuf, COUNT(models_pgtbuf)},
    {PGT_SCHEME_TOPDOWN, "top-down", "new", "top-down,topdown,new",
     "BRK pages, then memblock from mapped memory (3.9+)", "3.9+", "kernels from 3.9",
     PGT_KVER_TOPDOWN, PGT_KVER_END, PGT_KVER_TOPDOWN, models_topdown, COUNT(models_topdown)},
    {PGT_SCHEME_BOTTOMUP, "bottom-up", NULL, "bottom-up,bottomup",
     "the movable_node variant (3.13+)", "3.13+, movable_node", "kernels from 3.13",
     PGT_KVER_BOTTOMUP, PGT_KVER_END, PGT_KVER_BOTTOMUP, models_bottomup, COUNT(models_bottomup)},
    /* a proposal, never merged: one model, any version's logging */
    {PGT_SCHEME_CHUNKEND, "chunk-end", NULL, "chunk-end,chunkend,hpa",
     "hpa's 2012 proposal: next table at the end of the chunk", "hpa's 2012 proposal", "one model",
     PGT_KVER_OLDEST, PGT_KVER_END, PGT_KVER(3, 6, 0), models_chunkend, COUNT(models_chunkend)},
};

/* The last minor release of each major series pgtviz accepts (2: only 2.6;
 * 6: open-ended). */
static const struct {
	unsigned major, first_minor, last_minor;
} series[] = {{2, 6, 6}, {3, 0, 19}, {4, 0, 20}, {5, 0, 19}, {6, 0, 255}};

const pgt_scheme_info *pgt_scheme_get(int scheme)
{
	return (scheme >= 0 && scheme < PGT_SCHEME_COUNT) ? &scheme_table[scheme] : NULL;
}

const char *pgt_scheme_name(int scheme)
{
	const pgt_scheme_info *s = pgt_scheme_get(scheme);
	return s ? s->name : "?";
}

/* Whether name is one of the comma-separated words of list. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && n && memcmp(p, name, n) == 0)
			return true;
		p += len + (e ? 1 : 0);
	}
	return false;
}

int pgt_scheme_parse(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < PGT_SCHEME_COUNT; i++)
		if (in_list(scheme_table[i].spellings, name))
			return i;
	return -1;
}

const char *pgt_scheme_names_text(void)
{
	return "pgtbuf, top-down, bottom-up, chunk-end; aliases old, new";
}

uint32_t pgt_scheme_default_kver(int scheme)
{
	const pgt_scheme_info *s = pgt_scheme_get(scheme);
	return s ? s->default_kver : scheme_table[PGT_SCHEME_CHUNKEND].default_kver;
}

bool pgt_scheme_accepts(int scheme, uint32_t kver)
{
	const pgt_scheme_info *s = pgt_scheme_get(scheme);
	return !kver || (s && kver >= s->first && kver < s->end);
}

int pgt_scheme_for_kver(uint32_t kver)
{
	return kver && kver < PGT_KVER_TOPDOWN ? PGT_SCHEME_PGTBUF : PGT_SCHEME_TOPDOWN;
}

/* 2.6.39-rc1..rc5 had the tables high (4b239f458) with the pgt_buf_end
 * window; rc6 widened it to pgt_buf_top (b9269dc7bfd) and from then on the
 * unused tail was made writable again (docs/kernel-model.md, "Xen PV"). */
int pgt_xen_rule_for_kver(uint32_t kver)
{
	return kver >= PGT_KVER_RC(2, 6, 39, 6) ? PGT_XEN_RULE_TOP : PGT_XEN_RULE_END;
}

bool pgt_scheme_check_kver(int scheme, uint32_t kver, char *msg, size_t size)
{
	if (pgt_scheme_accepts(scheme, kver))
		return true;
	const pgt_scheme_info *s = pgt_scheme_get(scheme);
	snprintf(msg, size, "the %s scheme models %s", s ? s->name : "?",
	         s ? s->era_text : "no kernel");
	return false;
}

/* ---- reading versions ------------------------------------------------------ */

/* Reads decimal digits at p into *out (at most max); NULL if there are none
 * or the number exceeds max. */
static const char *parse_num(const char *p, unsigned *out, unsigned max)
{
	if (*p < '0' || *p > '9')
		return NULL;
	unsigned v = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max)
			return NULL;
		p++;
	}
	*out = v;
	return p;
}

uint32_t pgt_kver_parse(const char *text)
{
	if (!text)
		return 0;
	while (*text == ' ' || *text == 'v')
		text++;
	unsigned a = 0, b = 0, c = 0, d = 0;
	const char *p = parse_num(text, &a, 100000);
	if (!p || *p != '.')
		return 0;
	p = parse_num(p + 1, &b, 100000);
	if (!p)
		return 0;
	if (*p == '.') {
		const char *q = parse_num(p + 1, &c, 100000);
		if (q) {
			p = q;
			if (*p == '.') {
				q = parse_num(p + 1, &d, 100000);
				if (q)
					p = q;
			}
		}
	}
	if (a == 0 || a > 255 || b > 255 || c > 255)
		return 0;
	return PGT_KVER(a, b, c);
}

char *pgt_kver_format(uint32_t kver, char *buf, size_t size)
{
	unsigned rc = PGT_KVER_RC_NUMBER(kver);
	char tail[16] = "";
	if (rc)
		snprintf(tail, sizeof(tail), "-rc%u", rc);
	if (PGT_KVER_MAJOR(kver) == 2 || PGT_KVER_PATCH(kver))
		snprintf(buf, size, "%u.%u.%u%s", PGT_KVER_MAJOR(kver), PGT_KVER_MINOR(kver),
		         PGT_KVER_PATCH(kver), tail);
	else
		snprintf(buf, size, "%u.%u%s", PGT_KVER_MAJOR(kver), PGT_KVER_MINOR(kver), tail);
	return buf;
}

/* Whether kver is a release candidate listed among the models. */
static bool rc_is_model(uint32_t kver)
{
	for (int i = 0; i < PGT_SCHEME_COUNT; i++)
		for (size_t j = 0; j < scheme_table[i].n_models; j++)
			if (scheme_table[i].models[j] == kver)
				return true;
	return false;
}

/* Whether major.minor is a series pgtviz accepts. */
static bool series_ok(unsigned major, unsigned minor)
{
	for (size_t i = 0; i < COUNT(series); i++)
		if (series[i].major == major)
			return minor >= series[i].first_minor && minor <= series[i].last_minor;
	return false;
}

/* Whether a number of the text starts with a zero followed by a digit
 * ("03.9", "3.09", "3.9-rc01"): the kernel never writes its version so, and
 * reading it as 3.9 would accept what the user did not mean to write. */
static bool has_leading_zero(const char *text)
{
	for (const char *p = text; *p; p++)
		if (*p == '0' && p[1] >= '0' && p[1] <= '9' &&
		    (p == text || p[-1] < '0' || p[-1] > '9'))
			return true;
	return false;
}

/* The strict grammar: N.N[.N[.N]] (the fourth number only for 2.6.x)
 * [-rcN], each number without leading zeros; nothing before or after. */
static uint32_t kver_strict(const char *text)
{
	unsigned a = 0, b = 0, c = 0, d = 0, rc = 0;
	if (has_leading_zero(text))
		return 0;
	const char *p = parse_num(text, &a, 255);
	if (!p || *p != '.' || !(p = parse_num(p + 1, &b, 255)))
		return 0;
	if (*p == '.' && !(p = parse_num(p + 1, &c, 255)))
		return 0;
	if (*p == '.' && (a != 2 || !(p = parse_num(p + 1, &d, 255))))
		return 0;
	if (strncmp(p, "-rc", 3) == 0 && (!(p = parse_num(p + 3, &rc, 254)) || rc == 0))
		return 0;
	if (*p || !series_ok(a, b))
		return 0;
	uint32_t k = rc ? PGT_KVER_RC(a, b, c, rc) : PGT_KVER(a, b, c);
	if (k < PGT_KVER_OLDEST || k >= PGT_KVER_END || (rc && !rc_is_model(k)))
		return 0;
	return k;
}

/* "; the release candidates modelled: 2.6.39-rc1, 3.7-rc2" (from the
 * table), for a version written with -rc that is not one of them. */
static void rc_models_text(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "; the release candidates modelled:");
	const char *sep = " ";
	for (int i = 0; i < PGT_SCHEME_COUNT && n < size; i++)
		for (size_t j = 0; j < scheme_table[i].n_models && n < size; j++) {
			uint32_t k = scheme_table[i].models[j];
			if (!PGT_KVER_RC_NUMBER(k))
				continue;
			char v[32];
			n += (size_t)snprintf(buf + n, size - n, "%s%s", sep,
			                      pgt_kver_format(k, v, sizeof(v)));
			sep = ", ";
		}
}

uint32_t pgt_kver_check(const char *text, char *msg, size_t size)
{
	uint32_t k = text ? kver_strict(text) : 0;
	if (!k && msg && size) {
		char rcs[128] = "";
		/* (short texts only, so that the message fits the callers'
		 * 160-byte buffers) */
		if (text && strlen(text) <= 16 && strstr(text, "-rc") && !has_leading_zero(text))
			rc_models_text(rcs, sizeof(rcs));
		snprintf(msg, size,
		         "'%.64s%s' is not a version pgtviz models (2.6.26 to 6.x, e.g. 3.8 or "
		         "3.9.8)%s%s",
		         text ? text : "", text && strlen(text) > 64 ? "..." : "",
		         text && has_leading_zero(text) ? " (write it without leading zeros)" : "",
		         rcs);
	}
	return k;
}
