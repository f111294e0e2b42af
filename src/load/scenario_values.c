/*
 * Scenario JSON, the vocabulary and the typed values of pass 4.
 *
 *   - The format's vocabulary: e820 type names (with the other spellings
 *     people use, for "did you mean"), reservation kinds, xen_rule and
 *     sizing names.  The writer (scenario_write.c) spells values with the
 *     same tables, so what it writes reads back.
 *   - Small text helpers shared by the files: UTF-8 lengths, shortening a
 *     value for a message, hex digits, typo suggestions.
 *   - The building blocks of the schema walk (scenario_read.c): looking up
 *     members, duplicate / unknown key checks, and readers of typed values
 *     (strings, booleans, hex addresses, memparse() sizes, choices, e820
 *     types).  Each explains what is wrong with a value at its position
 *     (json_pos.c) and suggests the fix when it can ("write \"0x1000\"",
 *     "did you mean ...").
 */
#include "scenario_json_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_LIMIT (UINT64_C(1) << 53) /* largest exact integer in a double */

/* ======================================================================== */
/* Vocabulary                                                               */
/* ======================================================================== */

/* e820 type names as the kernel prints them (e820_print_type). */
const sj_e820_name sj_e820_names[] = {
    {"usable", PGT_E820_RAM},
    {"reserved", PGT_E820_RESERVED},
    {"ACPI data", PGT_E820_ACPI},
    {"ACPI NVS", PGT_E820_NVS},
    {"unusable", PGT_E820_UNUSABLE},
    {"persistent", PGT_E820_PMEM},
    {"soft reserved", PGT_E820_SOFT_RESERVED},
};
_Static_assert(COUNT(sj_e820_names) == N_E820_NAMES, "N_E820_NAMES");

/* Other spellings people use for e820 types, only for "did you mean". */
static const struct {
	const char *alias; /* compared ignoring case */
	const char *name;  /* the kernel's name */
} e820_aliases[] = {
    {"ram", "usable"},      {"system ram", "usable"},      {"e820_ram", "usable"},
    {"acpi", "ACPI data"},  {"acpi reclaim", "ACPI data"}, {"nvs", "ACPI NVS"},
    {"pmem", "persistent"}, {"bad", "unusable"},
};

const sj_resv_kind sj_resv_kinds[] = {
    {"kernel", PGT_RESV_KERNEL}, {"initrd", PGT_RESV_INITRD},
    {"ebda", PGT_RESV_EBDA},     {"setup_data", PGT_RESV_SETUP_DATA},
    {"xen", PGT_RESV_XEN},       {"crashkernel", PGT_RESV_CRASHKERNEL},
    {"other", PGT_RESV_OTHER},   {"efi_boot", PGT_RESV_EFI_BOOT},
};
_Static_assert(COUNT(sj_resv_kinds) == N_RESV_KINDS, "N_RESV_KINDS");

const char *const sj_xen_rule_names[] = {"auto", "end", "top",
                                         "top-nohook"};        /* enum pgt_xen_rule */
const char *const sj_sizing_names[] = {"auto", "A", "B", "C"}; /* enum pgt_sizing */
_Static_assert(COUNT(sj_xen_rule_names) == N_XEN_RULE_NAMES, "N_XEN_RULE_NAMES");
_Static_assert(COUNT(sj_sizing_names) == N_SIZING_NAMES, "N_SIZING_NAMES");

/* ======================================================================== */
/* Small text helpers                                                       */
/* ======================================================================== */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is invalid. */
size_t sj_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, out of range, or a UTF-16 surrogate */
	return n;
}

/* Copies text into out for use in a message: at most ~40 characters, control
 * characters shown as '?', "..." appended when cut. */
const char *sj_shorten(const char *text, char *out, size_t size)
{
	size_t j = 0, limit = size > 44 ? 40 : size - 4;
	for (size_t i = 0; text[i] && j < limit; i++)
		out[j++] = ((unsigned char)text[i] < 0x20) ? '?' : text[i];
	bool cut = text[j] != '\0';
	while (cut && j > 0 && ((unsigned char)text[j] & 0xc0) == 0x80)
		j--; /* do not split a UTF-8 sequence */
	out[j] = '\0';
	if (cut)
		memcpy(out + j, "...", 4);
	return out;
}

int sj_hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Parses a run of decimal digits [s, s+n); false on overflow or a non-digit. */
static bool parse_decimal(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Levenshtein distance, ignoring case; SIZE_MAX for very long strings. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost =
			    tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The known word closest to `word`, if it is close enough to be a typo. */
const char *sj_closest(const char *word, const char *const *known, size_t n)
{
	size_t len = strlen(word), best = SIZE_MAX;
	size_t limit = len <= 3 ? 1 : len <= 8 ? 2 : 3;
	const char *hit = NULL;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, known[i]);
		if (dist < best) {
			best = dist;
			hit = known[i];
		}
	}
	return (best <= limit && best < len) ? hit : NULL;
}

/* ======================================================================== */
/* Pass 4 building blocks: members and typed values                         */
/* ======================================================================== */

field sj_get_field(const cJSON *obj, const char *obj_path, const char *key)
{
	field f;
	f.v = cJSON_GetObjectItemCaseSensitive(obj, key); /* first of duplicates */
	sj_path_child(f.path, obj_path, key);
	return f;
}

const char *sj_type_desc(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsObject(v))
		return "an object";
	return "an array";
}

bool sj_err_type(ctx *c, const field *f, const char *expected)
{
	return sj_err(c, f->v, f->path, "expected %s, got %s", expected, sj_type_desc(f->v));
}

bool sj_err_missing(ctx *c, const cJSON *obj, const char *obj_path, const char *key,
                    const char *what)
{
	return sj_err(c, obj, obj_path, "missing required key '%s'%s%s%s", key, what[0] ? " (" : "",
	              what, what[0] ? ")" : "");
}

/* A child of an object, for sorting its keys. */
typedef struct member {
	const char *key; /* the member's key */
	const cJSON *v;  /* its value */
	size_t order;    /* position among the object's members */
} member;

static int cmp_member(const void *a, const void *b)
{
	const member *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	return r ? r : (x->order > y->order) - (x->order < y->order);
}

static void report_unknown(ctx *c, const member *m, const char *obj_path, const char *const *known,
                           size_t n_known)
{
	char path[PATH_BUF], shown[64], list[300] = "";
	sj_path_child(path, obj_path, m->key);
	const char *hint = sj_closest(m->key, known, n_known);
	if (hint) {
		sj_err_key(c, m->v, path, "unknown key '%s' (did you mean '%s'?)",
		           sj_shorten(m->key, shown, sizeof(shown)), hint);
		return;
	}
	for (size_t i = 0; i < n_known && n_known <= 8; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", known[i]);
	}
	if (list[0])
		sj_err_key(c, m->v, path, "unknown key '%s' (known keys: %s)",
		           sj_shorten(m->key, shown, sizeof(shown)), list);
	else
		sj_err_key(c, m->v, path, "unknown key '%s' (see docs/scenario-format.md)",
		           sj_shorten(m->key, shown, sizeof(shown)));
}

/* Reports duplicate and (if known != NULL) unknown keys of an object. */
void sj_check_members(ctx *c, const cJSON *obj, const char *obj_path, const char *const *known,
                      size_t n_known)
{
	size_t n = 0, k = 0;
	for (const cJSON *it = obj->child; it; it = it->next)
		n++;
	member *m = malloc((n ? n : 1) * sizeof(*m));
	if (!m)
		return;
	for (const cJSON *it = obj->child; it; it = it->next, k++)
		m[k] = (member){it->string ? it->string : "", it, k};
	for (size_t i = 0; known && i < n; i++) {
		size_t j = 0;
		while (j < n_known && strcmp(m[i].key, known[j]) != 0)
			j++;
		if (j == n_known)
			report_unknown(c, &m[i], obj_path, known, n_known);
	}
	qsort(m, n, sizeof(*m), cmp_member);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(m[i].key, m[i - 1].key) != 0)
			continue;
		size_t first = i - 1;
		while (first > 0 && strcmp(m[first - 1].key, m[i].key) == 0)
			first--;
		char path[PATH_BUF], shown[64];
		int line = 0, col = 0;
		const jpos *p = sj_index_find(&c->idx, m[first].v);
		if (p)
			sj_offset_linecol(&c->idx, p->key_off, &line, &col);
		sj_path_child(path, obj_path, m[i].key);
		sj_err_key(c, m[i].v, path,
		           "duplicate key '%s' (first given at line %d, column %d)",
		           sj_shorten(m[i].key, shown, sizeof(shown)), line, col);
	}
	free(m);
}

/* Type-checks an object value and its keys; false if it is not an object. */
bool sj_want_object(ctx *c, const field *f, const char *const *known, size_t n_known)
{
	if (!cJSON_IsObject(f->v)) {
		sj_err_type(c, f, "an object");
		return false;
	}
	sj_check_members(c, f->v, f->path, known, n_known);
	return true;
}

bool sj_as_string(ctx *c, const field *f, const char **out)
{
	if (!cJSON_IsString(f->v)) {
		sj_err_type(c, f, "a string");
		return false;
	}
	*out = f->v->valuestring;
	return true;
}

bool sj_as_bool(ctx *c, const field *f, bool *out)
{
	if (!cJSON_IsBool(f->v)) {
		sj_err_type(c, f, "true or false");
		return false;
	}
	*out = cJSON_IsTrue(f->v);
	return true;
}

/* The literal text of a number value, as written (the scanner checked its
 * syntax and length, so it is the run of number characters). */
static bool number_text(const ctx *c, const cJSON *v, char *buf, size_t size)
{
	const jpos *p = sj_index_find(&c->idx, v);
	if (!p)
		return false;
	const char *t = c->idx.text + p->val_off;
	size_t n = 0, avail = c->idx.len - p->val_off;
	while (n < avail && strchr("0123456789+-.eE", t[n]) && t[n])
		n++;
	if (n == 0 || n >= size)
		return false;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return true;
}

/* Explains why a JSON number is not accepted where a hex string is needed
 * (`what` is "addresses" or "sizes"); suggests the exact hex when it can. */
static bool err_number_for_hex(ctx *c, const field *f, const char *what)
{
	char lit[MAX_NUMBER_CHARS + 2];
	uint64_t v;
	if (!number_text(c, f->v, lit, sizeof(lit)))
		return sj_err(c, f->v, f->path,
		              "%s must be hex strings like \"0x1000\", not JSON numbers", what);
	if (!parse_decimal(lit, strlen(lit), &v)) {
		bool digits = strspn(lit, "0123456789") == strlen(lit);
		if (digits)
			return sj_err(c, f->v, f->path,
			              "the JSON number %s does not fit in 64 bits, and a "
			              "JSON number cannot hold it exactly anyway; %s "
			              "must be hex strings",
			              lit, what);
		return sj_err(c, f->v, f->path,
		              "%s must be hex strings like \"0x1000\", not JSON "
		              "numbers (got %s)",
		              what, lit);
	}
	if (v > EXACT_LIMIT)
		return sj_err(c, f->v, f->path,
		              "the JSON number %s is above 2^53, where JSON numbers "
		              "cannot hold integers exactly; %s must be hex strings: "
		              "write \"0x%" PRIx64 "\"",
		              lit, what, v);
	return sj_err(c, f->v, f->path,
	              "%s must be hex strings, not JSON numbers: write \"0x%" PRIx64 "\"", what, v);
}

/* Parses "0x..." (no sign, no spaces, at most 64 bits). */
bool sj_as_hex(ctx *c, const field *f, uint64_t *out)
{
	char shown[64];
	uint64_t v = 0, dec;
	if (cJSON_IsNumber(f->v)) {
		err_number_for_hex(c, f, "addresses");
		return false;
	}
	if (!cJSON_IsString(f->v)) {
		sj_err_type(c, f, "a hex string like \"0x100000\"");
		return false;
	}
	const char *t = f->v->valuestring;
	sj_shorten(t, shown, sizeof(shown));
	if (t[0] != '0' || (t[1] != 'x' && t[1] != 'X')) {
		if (parse_decimal(t, strlen(t), &dec))
			sj_err(c, f->v, f->path,
			       "\"%s\" has no 0x prefix: addresses are hex strings, "
			       "write \"0x%" PRIx64 "\"",
			       shown, dec);
		else
			sj_err(c, f->v, f->path,
			       "expected a hex string like \"0x100000\", got \"%s\"", shown);
		return false;
	}
	if (!t[2]) {
		sj_err(c, f->v, f->path, "\"%s\" has no hex digits", shown);
		return false;
	}
	for (const char *p = t + 2; *p; p++) {
		int dgt = sj_hex_digit(*p);
		if (dgt < 0) {
			sj_err(c, f->v, f->path, "\"%s\" is not a hex number", shown);
			return false;
		}
		if (v >> 60) {
			sj_err(c, f->v, f->path, "\"%s\" does not fit in 64 bits", shown);
			return false;
		}
		v = v << 4 | (uint64_t)dgt;
	}
	*out = v;
	return true;
}

/* Kernel memparse() syntax for sizes: "0x20000000", "512M", "4G", "65536". */
static bool parse_size_text(const char *t, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = t;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (p += 2; sj_hex_digit(*p) >= 0; p++) {
			if (v >> 60)
				return false;
			v = v << 4 | (uint64_t)sj_hex_digit(*p);
		}
		if (p == t + 2)
			return false;
	} else {
		size_t n = strspn(p, "0123456789");
		if (n == 0 || (n > 1 && p[0] == '0') || !parse_decimal(p, n, &v))
			return false; /* the kernel would read a leading 0 as octal */
		p += n;
	}
	static const char suffixes[] = "KMGTPE";
	const char *s = *p ? strchr(suffixes, toupper((unsigned char)*p)) : NULL;
	if (s) {
		unsigned shift = 10 * (unsigned)(s - suffixes + 1);
		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
		p++;
	}
	if (*p)
		return false;
	*out = v;
	return true;
}

bool sj_as_size(ctx *c, const field *f, uint64_t *out)
{
	char shown[64];
	if (cJSON_IsNumber(f->v)) {
		err_number_for_hex(c, f, "sizes");
		return false;
	}
	if (!cJSON_IsString(f->v)) {
		sj_err_type(c, f, "a size string like \"0x20000000\" or \"512M\"");
		return false;
	}
	const char *t = f->v->valuestring;
	if (t[0] == '0' && t[1] >= '0' && t[1] <= '9') {
		sj_err(c, f->v, f->path,
		       "\"%s\" starts with 0, which the kernel reads as octal; "
		       "write hex (\"0x...\") or decimal without the 0",
		       sj_shorten(t, shown, sizeof(shown)));
		return false;
	}
	if (!parse_size_text(t, out)) {
		sj_err(c, f->v, f->path,
		       "expected a size like \"0x20000000\" or \"512M\", got \"%s\"",
		       sj_shorten(t, shown, sizeof(shown)));
		return false;
	}
	return true;
}

/* Picks one of `names` (exact match); index into *out. */
bool sj_as_choice(ctx *c, const field *f, const char *const *names, size_t n, int *out)
{
	const char *t;
	char shown[64], list[200] = "";
	if (!sj_as_string(c, f, &t))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s\"%s\"", i ? ", " : "", names[i]);
	}
	const char *hint = sj_closest(t, names, n);
	if (hint)
		sj_err(c, f->v, f->path, "unknown value \"%s\" (did you mean \"%s\"?)",
		       sj_shorten(t, shown, sizeof(shown)), hint);
	else
		sj_err(c, f->v, f->path, "unknown value \"%s\" (expected one of %s)",
		       sj_shorten(t, shown, sizeof(shown)), list);
	return false;
}

/* "type 20", "persistent (type 12)": the kernel's spelling of other types. */
static bool parse_type_text(const char *t, uint32_t *out)
{
	uint64_t v;
	size_t n = strlen(t);
	if (strncmp(t, "type ", 5) == 0 && parse_decimal(t + 5, n - 5, &v))
		;
	else if (strncmp(t, "persistent (type ", 17) == 0 && n > 18 && t[n - 1] == ')' &&
	         parse_decimal(t + 17, n - 18, &v))
		;
	else
		return false;
	if (v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* An e820 type: a kernel name ("usable", "ACPI data", ...) or a number.
 * `extra` names one more accepted word ("remove", "any") that the caller
 * handles itself; it only shows in messages here. */
bool sj_as_e820_type(ctx *c, const field *f, const char *extra, uint32_t *out)
{
	char lit[MAX_NUMBER_CHARS + 2], shown[64];
	const char *names[N_E820_NAMES + 1];
	uint64_t v;
	if (cJSON_IsNumber(f->v)) {
		if (!number_text(c, f->v, lit, sizeof(lit)) ||
		    !parse_decimal(lit, strlen(lit), &v) || v == 0 || v > UINT32_MAX) {
			sj_err(c, f->v, f->path,
			       "e820 type numbers are integers from 1 to 4294967295");
			return false;
		}
		*out = (uint32_t)v;
		return true;
	}
	if (!cJSON_IsString(f->v)) {
		sj_err_type(c, f, "an e820 type name like \"usable\" or a type number");
		return false;
	}
	for (size_t i = 0; i < N_E820_NAMES; i++) {
		names[i] = sj_e820_names[i].name;
		if (strcmp(f->v->valuestring, names[i]) == 0) {
			*out = sj_e820_names[i].type;
			return true;
		}
	}
	if (parse_type_text(f->v->valuestring, out))
		return true;
	names[N_E820_NAMES] = extra ? extra : names[0];
	const char *hint = sj_closest(f->v->valuestring, names, N_E820_NAMES + 1);
	for (size_t i = 0; !hint && i < COUNT(e820_aliases); i++)
		if (edit_distance(f->v->valuestring, e820_aliases[i].alias) == 0)
			hint = e820_aliases[i].name;
	sj_shorten(f->v->valuestring, shown, sizeof(shown));
	if (hint)
		sj_err(c, f->v, f->path, "unknown e820 type \"%s\" (did you mean \"%s\"?)", shown,
		       hint);
	else
		sj_err(c, f->v, f->path,
		       "unknown e820 type \"%s\" (expected usable, reserved, "
		       "ACPI data, ACPI NVS, unusable, persistent, soft reserved%s "
		       "a type number%s%s%s)",
		       shown, extra ? "," : " or", extra ? " or \"" : "", extra ? extra : "",
		       extra ? "\"" : "");
	return false;
}
