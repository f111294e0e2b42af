/*
 * Scenario JSON: reader and writer of the "pgtviz-scenario/1" format
 * (docs/scenario-format.md).
 *
 * Reading runs four passes over the same bytes:
 *   1. file checks: size (16 MiB), NUL bytes (binary), UTF-8;
 *   2. a strict JSON scanner (scan_*) checks the syntax with precise messages
 *      and records, in document order, where every value and member key
 *      starts (cJSON keeps no positions);
 *   3. cJSON builds the tree, and a pre-order walk pairs each cJSON node with
 *      the scanner's record (both see values in the same order), so any node
 *      can be turned into line:col;
 *   4. the schema walk (read_*) fills the pgt_scenario and reports every
 *      problem as "JSON-PATH: what is wrong" at the node's position.  It does
 *      not stop at the first problem; the diagnostics are sorted by position
 *      at the end so they read top to bottom.
 *
 * Columns count characters (UTF-8 code points) from 1, with tab stops every
 * 8 columns, as the GNU Coding Standards ask.
 *
 * Writing builds the text by hand (not cJSON_Print) so that key order, hex
 * spelling and layout are stable and diff well; load(write(sc)) == sc.
 */
#include "pgtviz/scenario_json.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_NAME          "pgtviz-scenario/1"
#define FORMAT_PREFIX        "pgtviz-scenario/"
#define MAX_FILE_BYTES       ((size_t)16 << 20)  /* larger inputs are refused */
#define MAX_DEPTH            64                  /* the format needs 3 levels */
#define MAX_NUMBER_CHARS     63                  /* cJSON reads at most 63 */
#define MAX_KEPT             50                  /* later diagnostics are counted, not kept */
#define PHYS_LIMIT           (UINT64_C(1) << 46) /* x86-64 MAX_PHYSMEM_BITS */
#define PAGE_4K              UINT64_C(0x1000)
#define DEFAULT_KERNEL_START UINT64_C(0x1000000)
#define EXACT_LIMIT          (UINT64_C(1) << 53) /* largest exact integer in a double */
#define NAME_MAX_LEN         64
#define NO_OFF               UINT32_MAX
#define PATH_BUF             256
#define LABEL_SIZE           sizeof(((pgt_resv *)NULL)->label)

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ======================================================================== */
/* Vocabulary                                                               */
/* ======================================================================== */

/* e820 type names as the kernel prints them (e820_print_type). */
static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
    {"usable", PGT_E820_RAM},
    {"reserved", PGT_E820_RESERVED},
    {"ACPI data", PGT_E820_ACPI},
    {"ACPI NVS", PGT_E820_NVS},
    {"unusable", PGT_E820_UNUSABLE},
    {"persistent", PGT_E820_PMEM},
    {"soft reserved", PGT_E820_SOFT_RESERVED},
};
#define N_E820_NAMES (sizeof(e820_names) / sizeof(e820_names[0]))

/* Other spellings people use for e820 types, only for "did you mean". */
static const struct {
	const char *alias; /* compared ignoring case */
	const char *name;  /* the kernel's name */
} e820_aliases[] = {
    {"ram", "usable"},      {"system ram", "usable"},      {"e820_ram", "usable"},
    {"acpi", "ACPI data"},  {"acpi reclaim", "ACPI data"}, {"nvs", "ACPI NVS"},
    {"pmem", "persistent"}, {"bad", "unusable"},
};

static const struct {
	const char *name;
	int kind;
} resv_kinds[] = {
    {"kernel", PGT_RESV_KERNEL}, {"initrd", PGT_RESV_INITRD},
    {"ebda", PGT_RESV_EBDA},     {"setup_data", PGT_RESV_SETUP_DATA},
    {"xen", PGT_RESV_XEN},       {"crashkernel", PGT_RESV_CRASHKERNEL},
    {"other", PGT_RESV_OTHER},
};
#define N_RESV_KINDS (sizeof(resv_kinds) / sizeof(resv_kinds[0]))

/* Scheme names and aliases (pgt_scheme_parse), for "did you mean". */
static const char *const scheme_names[] = {"pgtbuf",    "top-down", "bottom-up",
                                           "chunk-end", "old",      "new"};
static const char *const xen_rule_names[] = {"auto", "end", "top"}; /* enum pgt_xen_rule */
static const char *const sizing_names[] = {"auto", "A", "B", "C"};  /* enum pgt_sizing */

static const char *const top_keys[] = {
    "format",       "name",     "title",          "description", "kernel",         "schemes",
    "cpu",          "xen_pv",   "xen_rule",       "sizing",      "kaslr_memory",   "kernel_start",
    "kernel_end",   "brk_base", "xen_mapped_end", "cmdline",     "e820",           "e820_edits",
    "reservations", "notes",    "source",         "i386",        "initial_mapped",
};
static const char *const cpu_keys[] = {"pse", "gbpages", "debug_pagealloc"};
static const char *const i386_keys[] = {"pae", "highmem", "lowmem_end"};
static const char *const cmdline_keys[] = {"mem", "nogbpages", "movable_node", "reservelow",
                                           "crashkernel"};
static const char *const e820_keys[] = {"start", "end", "last", "type"};
static const char *const edit_keys[] = {"start", "end", "last", "from", "to"};
static const char *const resv_keys[] = {"start", "end", "last", "kind", "label"};
static const char *const note_keys[] = {"at", "text"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================== */
/* Small text helpers                                                       */
/* ======================================================================== */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
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
static const char *shorten(const char *text, char *out, size_t size)
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

static int hex_digit(char ch)
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
static const char *closest(const char *word, const char *const *known, size_t n)
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
/* Position index: where each JSON value starts                            */
/* ======================================================================== */

/* Where one JSON value sits in the text. */
typedef struct jpos {
	const cJSON *node; /* the paired cJSON node (NULL until paired) */
	uint32_t key_off;  /* offset of the member's key ('"'); NO_OFF if not a member */
	uint32_t val_off;  /* offset of the value's first byte */
} jpos;

typedef struct posindex {
	const char *text; /* the document */
	size_t len;       /* its length in bytes */
	jpos *v;          /* one per value; document order, then sorted by node */
	size_t n, cap;    /* used / allocated records */
	uint32_t *lines;  /* offset at which each line starts */
	size_t n_lines;   /* number of lines */
	bool paired;      /* v[] was paired with the cJSON tree and sorted */
} posindex;

static bool index_lines(posindex *x)
{
	size_t n = 1;
	for (const char *p = x->text; (p = memchr(p, '\n', x->len - (size_t)(p - x->text))); p++)
		n++;
	x->lines = malloc(n * sizeof(*x->lines));
	if (!x->lines)
		return false;
	x->lines[0] = 0;
	x->n_lines = 1;
	for (size_t i = 0; i < x->len; i++)
		if (x->text[i] == '\n')
			x->lines[x->n_lines++] = (uint32_t)(i + 1);
	return true;
}

/* 1-based line and column (code points, tab stops of 8) of byte `off`. */
static void offset_linecol(const posindex *x, size_t off, int *line, int *col)
{
	size_t lo = 0, hi = x->n_lines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (x->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t i = x->lines[lo], c = 0;
	if (lo == 0 && x->len >= 3 && memcmp(x->text, "\xef\xbb\xbf", 3) == 0 && off >= 3)
		i = 3; /* a byte-order mark takes no column */
	for (; i < off && i < x->len; i++) {
		unsigned char b = (unsigned char)x->text[i];
		if (b == '\t')
			c = (c / 8 + 1) * 8;
		else if ((b & 0xc0) != 0x80)
			c++;
	}
	*line = (int)(lo + 1);
	*col = (int)(c + 1);
}

static bool index_push(posindex *x, uint32_t key_off, size_t val_off)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		jpos *v = realloc(x->v, cap * sizeof(*v));
		if (!v)
			return false;
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = (jpos){NULL, key_off, (uint32_t)val_off};
	return true;
}

/* Pairs the records with a pre-order walk of the cJSON tree. */
static void pair_walk(posindex *x, const cJSON *node, size_t *k)
{
	if (*k < x->n)
		x->v[*k].node = node;
	(*k)++;
	for (const cJSON *it = node->child; it; it = it->next)
		pair_walk(x, it, k);
}

static int cmp_jpos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const jpos *)a)->node, y = (uintptr_t)((const jpos *)b)->node;
	return (x > y) - (x < y);
}

static void index_pair(posindex *x, const cJSON *root)
{
	size_t k = 0;
	pair_walk(x, root, &k);
	if (k != x->n)
		return; /* the two parsers disagree: positions stay unknown */
	qsort(x->v, x->n, sizeof(*x->v), cmp_jpos);
	x->paired = true;
}

static const jpos *index_find(const posindex *x, const cJSON *node)
{
	if (!x->paired || !node)
		return NULL;
	jpos key = {node, 0, 0};
	return bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_jpos);
}

static void index_free(posindex *x)
{
	free(x->v);
	free(x->lines);
}

/* ======================================================================== */
/* JSON pointers                                                            */
/* ======================================================================== */

/* Appends "/key" (with RFC 6901 escapes) to path; returns the old length. */
static size_t path_push_key(char *path, const char *key, size_t key_len)
{
	size_t old = strlen(path), j = old;
	if (j + 1 < PATH_BUF)
		path[j++] = '/';
	for (size_t i = 0; i < key_len && j + 3 < PATH_BUF; i++) {
		if (key[i] == '~' || key[i] == '/') {
			path[j++] = '~';
			path[j++] = key[i] == '~' ? '0' : '1';
		} else {
			path[j++] = key[i];
		}
	}
	path[j] = '\0';
	return old;
}

static size_t path_push_index(char *path, size_t index)
{
	size_t old = strlen(path);
	snprintf(path + old, PATH_BUF - old, "/%zu", index);
	return old;
}

static void path_child(char *out, const char *parent, const char *key)
{
	snprintf(out, PATH_BUF, "%s", parent);
	path_push_key(out, key, strlen(key));
}

static void path_elem(char *out, const char *parent, size_t index)
{
	snprintf(out, PATH_BUF, "%s", parent);
	path_push_index(out, index);
}

/* The root's pointer is "", which would read badly in a message. */
static const char *path_show(const char *path)
{
	return path[0] ? path : "(root)";
}

/* ======================================================================== */
/* Pass 2: a strict JSON scanner                                            */
/* ======================================================================== */

typedef struct scanner {
	posindex *idx;           /* text, and where positions are recorded */
	size_t i;                /* current byte offset */
	int depth;               /* containers currently open */
	char path[PATH_BUF];     /* JSON pointer of what is being scanned */
	bool failed;             /* a syntax error was found; scanning stops */
	size_t err_off;          /* offset of the syntax error */
	char err_path[PATH_BUF]; /* path at the error */
	char err_msg[240];       /* what is wrong */
} scanner;

/* Records the first syntax error; always returns false. */
PRINTF_LIKE(3, 4)
static bool scan_fail(scanner *s, size_t off, const char *fmt, ...)
{
	if (s->failed)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err_msg, sizeof(s->err_msg), fmt, ap);
	va_end(ap);
	s->failed = true;
	s->err_off = off;
	memcpy(s->err_path, s->path, sizeof(s->path));
	return false;
}

static int peek(const scanner *s)
{
	return s->i < s->idx->len ? (unsigned char)s->idx->text[s->i] : -1;
}

/* Describes the byte at off for "found ..." in messages. */
static const char *found_desc(const scanner *s, size_t off, char *buf, size_t size)
{
	if (off >= s->idx->len)
		return "end of file";
	unsigned char b = (unsigned char)s->idx->text[off];
	if (b >= 0x20 && b < 0x7f)
		snprintf(buf, size, "'%c'", b);
	else if (b >= 0x80)
		snprintf(buf, size, "a non-ASCII character");
	else
		snprintf(buf, size, "control character U+%04X", b);
	return buf;
}

static void skip_ws(scanner *s)
{
	while (s->i < s->idx->len) {
		char ch = s->idx->text[s->i];
		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
			break;
		s->i++;
	}
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static void skip_digits(scanner *s)
{
	while (is_digit(peek(s)))
		s->i++;
}

static bool scan_value(scanner *s, uint32_t key_off);

/* Reads 4 hex digits at off into *cp. */
static bool scan_hex4(const scanner *s, size_t off, unsigned *cp)
{
	unsigned v = 0;
	if (off + 4 > s->idx->len)
		return false;
	for (size_t k = 0; k < 4; k++) {
		int dgt = hex_digit(s->idx->text[off + k]);
		if (dgt < 0)
			return false;
		v = v << 4 | (unsigned)dgt;
	}
	*cp = v;
	return true;
}

/* A \uXXXX escape (or a surrogate pair) at s->i, the backslash. */
static bool scan_unicode_escape(scanner *s)
{
	const char *t = s->idx->text;
	size_t at = s->i;
	unsigned cp, lo;
	if (!scan_hex4(s, at + 2, &cp))
		return scan_fail(s, at, "invalid \\u escape: expected 4 hex digits");
	if (cp == 0)
		return scan_fail(s, at, "\\u0000 is not allowed in strings");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return scan_fail(s, at, "unpaired UTF-16 surrogate \\u%04x", cp);
	s->i += 6;
	if (cp < 0xd800 || cp > 0xdbff)
		return true;
	if (s->i + 1 >= s->idx->len || t[s->i] != '\\' || t[s->i + 1] != 'u' ||
	    !scan_hex4(s, s->i + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return scan_fail(s, at, "unpaired UTF-16 surrogate \\u%04x", cp);
	s->i += 6;
	return true;
}

/* A backslash escape at s->i. */
static bool scan_escape(scanner *s)
{
	char e = s->i + 1 < s->idx->len ? s->idx->text[s->i + 1] : '\0';
	if (e == 'u')
		return scan_unicode_escape(s);
	if (e && strchr("\"\\/bfnrt", e)) {
		s->i += 2;
		return true;
	}
	if (e > 0x20 && e < 0x7f)
		return scan_fail(s, s->i, "invalid escape '\\%c' in a string", e);
	return scan_fail(s, s->i, "invalid escape in a string");
}

/* A string at s->i (the opening quote). */
static bool scan_string(scanner *s)
{
	size_t open = s->i++;
	for (;;) {
		int ch = peek(s);
		if (ch == -1)
			return scan_fail(s, open, "unterminated string (no closing '\"')");
		if (ch == '"') {
			s->i++;
			return true;
		}
		if (ch == '\n' || ch == '\r')
			return scan_fail(s, open,
			                 "string has no closing '\"' on this line "
			                 "(a line break inside a string is written \\n)");
		if (ch < 0x20)
			return scan_fail(s, s->i,
			                 "raw control character U+%04X in a string "
			                 "(write it as an escape such as \\t)",
			                 (unsigned)ch);
		if (ch != '\\')
			s->i++;
		else if (!scan_escape(s))
			return false;
	}
}

/* A number, by the JSON grammar (stricter than cJSON). */
static bool scan_number(scanner *s)
{
	size_t start = s->i;
	if (peek(s) == '-')
		s->i++;
	if (peek(s) == '0') {
		s->i++;
		if (peek(s) == 'x' || peek(s) == 'X')
			return scan_fail(s, start,
			                 "hex numbers must be written as strings, "
			                 "e.g. \"0x1000\"");
		if (is_digit(peek(s)))
			return scan_fail(s, start, "leading zeros are not allowed in JSON numbers");
	} else if (is_digit(peek(s))) {
		skip_digits(s);
	} else {
		return scan_fail(s, start, "invalid number: expected a digit after '-'");
	}
	if (peek(s) == '.') {
		s->i++;
		if (!is_digit(peek(s)))
			return scan_fail(s, start, "invalid number: expected a digit after '.'");
		skip_digits(s);
	}
	if (peek(s) == 'e' || peek(s) == 'E') {
		s->i++;
		if (peek(s) == '+' || peek(s) == '-')
			s->i++;
		if (!is_digit(peek(s)))
			return scan_fail(s, start,
			                 "invalid number: expected a digit in the exponent");
		skip_digits(s);
	}
	if (s->i - start > MAX_NUMBER_CHARS)
		return scan_fail(s, start, "number is longer than %d characters", MAX_NUMBER_CHARS);
	return true;
}

/* true, false, null - or a bare word, which gets a helpful message. */
static bool scan_word(scanner *s)
{
	const char *t = s->idx->text + s->i;
	size_t n = 0;
	while (s->i + n < s->idx->len && (isalnum((unsigned char)t[n]) || t[n] == '_'))
		n++;
	if ((n == 4 && memcmp(t, "true", 4) == 0) || (n == 5 && memcmp(t, "false", 5) == 0) ||
	    (n == 4 && memcmp(t, "null", 4) == 0)) {
		s->i += n;
		return true;
	}
	return scan_fail(s, s->i,
	                 "unexpected word '%.*s' (JSON literals are true, false and "
	                 "null; strings need double quotes)",
	                 (int)(n > 40 ? 40 : n), t);
}

/* The start of an object member: its key and ':'.  *klen = key length. */
static bool scan_key(scanner *s, size_t comma, size_t *klen)
{
	char buf[40];
	int ch = peek(s);
	if (ch == '}' && comma)
		return scan_fail(s, comma, "trailing comma: JSON does not allow ',' before '}'");
	if (ch == '\'')
		return scan_fail(s, s->i, "keys must be in double quotes (\"), not single quotes");
	if (ch != -1 && isalpha(ch))
		return scan_fail(s, s->i, "keys must be strings in double quotes");
	if (ch == '/')
		return scan_fail(s, s->i, "comments are not allowed in JSON");
	if (ch != '"')
		return scan_fail(s, s->i, "expected a key in double quotes, found %s",
		                 found_desc(s, s->i, buf, sizeof(buf)));
	size_t key_off = s->i;
	if (!scan_string(s))
		return false;
	*klen = s->i - key_off - 2;
	path_push_key(s->path, s->idx->text + key_off + 1, *klen);
	skip_ws(s);
	if (peek(s) != ':')
		return scan_fail(s, s->i, "expected ':' after the key, found %s",
		                 found_desc(s, s->i, buf, sizeof(buf)));
	s->i++;
	return true;
}

/* After a container element: true and *more if a ',' follows, true and
 * !*more at the closing bracket. */
static bool scan_next(scanner *s, size_t open, char close, size_t *comma, bool *more)
{
	skip_ws(s);
	int ch = peek(s);
	*more = ch == ',';
	if (ch == ',') {
		*comma = s->i++;
		skip_ws(s);
		return true;
	}
	if (ch == close) {
		s->i++;
		s->depth--;
		return true;
	}
	if (ch == -1)
		return scan_fail(s, open, "'%c' is never closed (end of file reached)",
		                 close == '}' ? '{' : '[');
	return false; /* the caller words the message */
}

static bool scan_object(scanner *s)
{
	const char *t = s->idx->text;
	size_t open = s->i++, comma = 0, klen = 0;
	bool more = true;
	char buf[40];
	if (++s->depth > MAX_DEPTH)
		return scan_fail(s, open, "nesting is deeper than %d levels", MAX_DEPTH);
	skip_ws(s);
	if (peek(s) == '}') {
		s->i++;
		s->depth--;
		return true;
	}
	while (more) {
		size_t old = strlen(s->path), key_off = s->i;
		if (peek(s) == -1)
			return scan_fail(s, open, "'{' is never closed (end of file reached)");
		if (!scan_key(s, comma, &klen) || !scan_value(s, (uint32_t)key_off))
			return false;
		s->path[old] = '\0';
		if (!scan_next(s, open, '}', &comma, &more)) {
			int ch = peek(s);
			if (ch == '/')
				return scan_fail(s, s->i, "comments are not allowed in JSON");
			return scan_fail(s, s->i,
			                 "expected ',' or '}' after the value of '%.*s', "
			                 "found %s%s",
			                 (int)(klen > 40 ? 40 : klen), t + key_off + 1,
			                 found_desc(s, s->i, buf, sizeof(buf)),
			                 ch == '"' ? " (missing comma?)" : "");
		}
	}
	return !s->failed;
}

static bool scan_array(scanner *s)
{
	size_t open = s->i++, comma = 0, index = 0;
	bool more = true;
	char buf[40];
	if (++s->depth > MAX_DEPTH)
		return scan_fail(s, open, "nesting is deeper than %d levels", MAX_DEPTH);
	skip_ws(s);
	if (peek(s) == ']') {
		s->i++;
		s->depth--;
		return true;
	}
	for (; more; index++) {
		int ch = peek(s);
		if (ch == ']' && comma)
			return scan_fail(s, comma,
			                 "trailing comma: JSON does not allow ',' before ']'");
		if (ch == -1)
			return scan_fail(s, open, "'[' is never closed (end of file reached)");
		size_t old = path_push_index(s->path, index);
		if (!scan_value(s, NO_OFF))
			return false;
		s->path[old] = '\0';
		if (!scan_next(s, open, ']', &comma, &more)) {
			ch = peek(s);
			if (ch == '/')
				return scan_fail(s, s->i, "comments are not allowed in JSON");
			return scan_fail(
			    s, s->i, "expected ',' or ']' after an array element, found %s%s",
			    found_desc(s, s->i, buf, sizeof(buf)),
			    (ch == '{' || ch == '"' || ch == '[') ? " (missing comma?)" : "");
		}
	}
	return !s->failed;
}

/* Any value; records where it starts (key_off: its member key, if any). */
static bool scan_value(scanner *s, uint32_t key_off)
{
	char buf[40];
	bool ok;
	skip_ws(s);
	int ch = peek(s);
	if (ch == -1)
		return scan_fail(s, s->i, "expected a value, found end of file");
	if (!index_push(s->idx, key_off, s->i))
		return scan_fail(s, s->i, "out of memory");
	if (ch == '{')
		ok = scan_object(s);
	else if (ch == '[')
		ok = scan_array(s);
	else if (ch == '"')
		ok = scan_string(s);
	else if (ch == '-' || is_digit(ch))
		ok = scan_number(s);
	else if (isalpha(ch))
		ok = scan_word(s);
	else if (ch == '\'')
		ok = scan_fail(s, s->i, "strings must be in double quotes (\"), not single quotes");
	else if (ch == '/')
		ok = scan_fail(s, s->i, "comments are not allowed in JSON");
	else
		ok = scan_fail(s, s->i, "expected a value, found %s",
		               found_desc(s, s->i, buf, sizeof(buf)));
	return ok;
}

/* Scans the whole document; false with s->err_* set on a syntax error. */
static bool scan_document(scanner *s)
{
	char buf[40];
	if (s->idx->len >= 3 && memcmp(s->idx->text, "\xef\xbb\xbf", 3) == 0)
		s->i = 3;
	if (!scan_value(s, NO_OFF))
		return false;
	skip_ws(s);
	if (s->i < s->idx->len)
		return scan_fail(s, s->i, "unexpected %s after the end of the JSON document",
		                 found_desc(s, s->i, buf, sizeof(buf)));
	return true;
}

/* ======================================================================== */
/* Diagnostics                                                              */
/* ======================================================================== */

/* Everything one load needs. */
typedef struct ctx {
	posindex idx;      /* positions of values in the text */
	pgt_diags *d;      /* where problems go */
	size_t base;       /* d->n when this load started */
	size_t errors;     /* errors found (also those not kept) */
	size_t kept;       /* diagnostics kept (at most MAX_KEPT) */
	size_t dropped[2]; /* errors / warnings not kept */
	pgt_scenario *sc;  /* being filled */
} ctx;

enum where { AT_VALUE, AT_KEY };

PRINTF_LIKE(6, 0)
static void vreport(ctx *c, int sev, const cJSON *node, enum where at, const char *path,
                    const char *fmt, va_list ap)
{
	char msg[700];
	int line = 0, col = 0;
	c->errors += sev == PGT_DIAG_ERROR;
	if (c->kept >= MAX_KEPT) {
		c->dropped[sev == PGT_DIAG_ERROR ? 0 : 1]++;
		return;
	}
	c->kept++;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	const jpos *p = index_find(&c->idx, node);
	if (p) {
		uint32_t off = (at == AT_KEY && p->key_off != NO_OFF) ? p->key_off : p->val_off;
		offset_linecol(&c->idx, off, &line, &col);
	}
	pgt_diags_add(c->d, sev, line, col, "%s: %s", path_show(path), msg);
}

/* An error about the value `node` (at path). */
PRINTF_LIKE(4, 5)
static bool err(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_ERROR, node, AT_VALUE, path, fmt, ap);
	va_end(ap);
	return false;
}

/* An error about the key of the member `node`. */
PRINTF_LIKE(4, 5)
static void err_key(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_ERROR, node, AT_KEY, path, fmt, ap);
	va_end(ap);
}

PRINTF_LIKE(4, 5)
static void warn(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_WARNING, node, AT_VALUE, path, fmt, ap);
	va_end(ap);
}

/* A problem with the file as a whole, at a byte offset (or none). */
PRINTF_LIKE(3, 4)
static void err_file(ctx *c, size_t off, const char *fmt, ...)
{
	char msg[300];
	int line = 0, col = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (off != SIZE_MAX && c->idx.lines)
		offset_linecol(&c->idx, off, &line, &col);
	c->errors++;
	pgt_diags_add(c->d, PGT_DIAG_ERROR, line, col, "%s", msg);
}

/* Stable sort of this load's diagnostics by position. */
static void sort_diags(pgt_diags *d, size_t base)
{
	for (size_t i = base + 1; i < d->n; i++) {
		pgt_diag item = d->items[i];
		size_t j = i;
		while (j > base &&
		       (d->items[j - 1].line > item.line ||
		        (d->items[j - 1].line == item.line && d->items[j - 1].col > item.col))) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = item;
	}
}

/* ======================================================================== */
/* Pass 4 building blocks: members and typed values                         */
/* ======================================================================== */

/* One member looked up in an object. */
typedef struct field {
	const cJSON *v;      /* the member's value; NULL if absent */
	char path[PATH_BUF]; /* its JSON pointer */
} field;

static field get_field(const cJSON *obj, const char *obj_path, const char *key)
{
	field f;
	f.v = cJSON_GetObjectItemCaseSensitive(obj, key); /* first of duplicates */
	path_child(f.path, obj_path, key);
	return f;
}

static const char *type_desc(const cJSON *v)
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

static bool err_type(ctx *c, const field *f, const char *expected)
{
	return err(c, f->v, f->path, "expected %s, got %s", expected, type_desc(f->v));
}

static bool err_missing(ctx *c, const cJSON *obj, const char *obj_path, const char *key,
                        const char *what)
{
	return err(c, obj, obj_path, "missing required key '%s'%s%s%s", key, what[0] ? " (" : "",
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
	path_child(path, obj_path, m->key);
	const char *hint = closest(m->key, known, n_known);
	if (hint) {
		err_key(c, m->v, path, "unknown key '%s' (did you mean '%s'?)",
		        shorten(m->key, shown, sizeof(shown)), hint);
		return;
	}
	for (size_t i = 0; i < n_known && n_known <= 8; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", known[i]);
	}
	if (list[0])
		err_key(c, m->v, path, "unknown key '%s' (known keys: %s)",
		        shorten(m->key, shown, sizeof(shown)), list);
	else
		err_key(c, m->v, path, "unknown key '%s' (see docs/scenario-format.md)",
		        shorten(m->key, shown, sizeof(shown)));
}

/* Reports duplicate and (if known != NULL) unknown keys of an object. */
static void check_members(ctx *c, const cJSON *obj, const char *obj_path, const char *const *known,
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
		const jpos *p = index_find(&c->idx, m[first].v);
		if (p)
			offset_linecol(&c->idx, p->key_off, &line, &col);
		path_child(path, obj_path, m[i].key);
		err_key(c, m[i].v, path, "duplicate key '%s' (first given at line %d, column %d)",
		        shorten(m[i].key, shown, sizeof(shown)), line, col);
	}
	free(m);
}

/* Type-checks an object value and its keys; false if it is not an object. */
static bool want_object(ctx *c, const field *f, const char *const *known, size_t n_known)
{
	if (!cJSON_IsObject(f->v)) {
		err_type(c, f, "an object");
		return false;
	}
	check_members(c, f->v, f->path, known, n_known);
	return true;
}

static bool as_string(ctx *c, const field *f, const char **out)
{
	if (!cJSON_IsString(f->v)) {
		err_type(c, f, "a string");
		return false;
	}
	*out = f->v->valuestring;
	return true;
}

static bool as_bool(ctx *c, const field *f, bool *out)
{
	if (!cJSON_IsBool(f->v)) {
		err_type(c, f, "true or false");
		return false;
	}
	*out = cJSON_IsTrue(f->v);
	return true;
}

/* The literal text of a number value, as written (the scanner checked its
 * syntax and length, so it is the run of number characters). */
static bool number_text(const ctx *c, const cJSON *v, char *buf, size_t size)
{
	const jpos *p = index_find(&c->idx, v);
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
		return err(c, f->v, f->path,
		           "%s must be hex strings like \"0x1000\", not JSON numbers", what);
	if (!parse_decimal(lit, strlen(lit), &v)) {
		bool digits = strspn(lit, "0123456789") == strlen(lit);
		if (digits)
			return err(c, f->v, f->path,
			           "the JSON number %s does not fit in 64 bits, and a "
			           "JSON number cannot hold it exactly anyway; %s "
			           "must be hex strings",
			           lit, what);
		return err(c, f->v, f->path,
		           "%s must be hex strings like \"0x1000\", not JSON "
		           "numbers (got %s)",
		           what, lit);
	}
	if (v > EXACT_LIMIT)
		return err(c, f->v, f->path,
		           "the JSON number %s is above 2^53, where JSON numbers "
		           "cannot hold integers exactly; %s must be hex strings: "
		           "write \"0x%" PRIx64 "\"",
		           lit, what, v);
	return err(c, f->v, f->path,
	           "%s must be hex strings, not JSON numbers: write \"0x%" PRIx64 "\"", what, v);
}

/* Parses "0x..." (no sign, no spaces, at most 64 bits). */
static bool as_hex(ctx *c, const field *f, uint64_t *out)
{
	char shown[64];
	uint64_t v = 0, dec;
	if (cJSON_IsNumber(f->v)) {
		err_number_for_hex(c, f, "addresses");
		return false;
	}
	if (!cJSON_IsString(f->v)) {
		err_type(c, f, "a hex string like \"0x100000\"");
		return false;
	}
	const char *t = f->v->valuestring;
	shorten(t, shown, sizeof(shown));
	if (t[0] != '0' || (t[1] != 'x' && t[1] != 'X')) {
		if (parse_decimal(t, strlen(t), &dec))
			err(c, f->v, f->path,
			    "\"%s\" has no 0x prefix: addresses are hex strings, "
			    "write \"0x%" PRIx64 "\"",
			    shown, dec);
		else
			err(c, f->v, f->path, "expected a hex string like \"0x100000\", got \"%s\"",
			    shown);
		return false;
	}
	if (!t[2]) {
		err(c, f->v, f->path, "\"%s\" has no hex digits", shown);
		return false;
	}
	for (const char *p = t + 2; *p; p++) {
		int dgt = hex_digit(*p);
		if (dgt < 0) {
			err(c, f->v, f->path, "\"%s\" is not a hex number", shown);
			return false;
		}
		if (v >> 60) {
			err(c, f->v, f->path, "\"%s\" does not fit in 64 bits", shown);
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
		for (p += 2; hex_digit(*p) >= 0; p++) {
			if (v >> 60)
				return false;
			v = v << 4 | (uint64_t)hex_digit(*p);
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

static bool as_size(ctx *c, const field *f, uint64_t *out)
{
	char shown[64];
	if (cJSON_IsNumber(f->v)) {
		err_number_for_hex(c, f, "sizes");
		return false;
	}
	if (!cJSON_IsString(f->v)) {
		err_type(c, f, "a size string like \"0x20000000\" or \"512M\"");
		return false;
	}
	const char *t = f->v->valuestring;
	if (t[0] == '0' && t[1] >= '0' && t[1] <= '9') {
		err(c, f->v, f->path,
		    "\"%s\" starts with 0, which the kernel reads as octal; "
		    "write hex (\"0x...\") or decimal without the 0",
		    shorten(t, shown, sizeof(shown)));
		return false;
	}
	if (!parse_size_text(t, out)) {
		err(c, f->v, f->path, "expected a size like \"0x20000000\" or \"512M\", got \"%s\"",
		    shorten(t, shown, sizeof(shown)));
		return false;
	}
	return true;
}

/* Picks one of `names` (exact match); index into *out. */
static bool as_choice(ctx *c, const field *f, const char *const *names, size_t n, int *out)
{
	const char *t;
	char shown[64], list[200] = "";
	if (!as_string(c, f, &t))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s\"%s\"", i ? ", " : "", names[i]);
	}
	const char *hint = closest(t, names, n);
	if (hint)
		err(c, f->v, f->path, "unknown value \"%s\" (did you mean \"%s\"?)",
		    shorten(t, shown, sizeof(shown)), hint);
	else
		err(c, f->v, f->path, "unknown value \"%s\" (expected one of %s)",
		    shorten(t, shown, sizeof(shown)), list);
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
static bool as_e820_type(ctx *c, const field *f, const char *extra, uint32_t *out)
{
	char lit[MAX_NUMBER_CHARS + 2], shown[64];
	const char *names[N_E820_NAMES + 1];
	uint64_t v;
	if (cJSON_IsNumber(f->v)) {
		if (!number_text(c, f->v, lit, sizeof(lit)) ||
		    !parse_decimal(lit, strlen(lit), &v) || v == 0 || v > UINT32_MAX) {
			err(c, f->v, f->path,
			    "e820 type numbers are integers from 1 to 4294967295");
			return false;
		}
		*out = (uint32_t)v;
		return true;
	}
	if (!cJSON_IsString(f->v)) {
		err_type(c, f, "an e820 type name like \"usable\" or a type number");
		return false;
	}
	for (size_t i = 0; i < N_E820_NAMES; i++) {
		names[i] = e820_names[i].name;
		if (strcmp(f->v->valuestring, names[i]) == 0) {
			*out = e820_names[i].type;
			return true;
		}
	}
	if (parse_type_text(f->v->valuestring, out))
		return true;
	names[N_E820_NAMES] = extra ? extra : names[0];
	const char *hint = closest(f->v->valuestring, names, N_E820_NAMES + 1);
	for (size_t i = 0; !hint && i < COUNT(e820_aliases); i++)
		if (edit_distance(f->v->valuestring, e820_aliases[i].alias) == 0)
			hint = e820_aliases[i].name;
	shorten(f->v->valuestring, shown, sizeof(shown));
	if (hint)
		err(c, f->v, f->path, "unknown e820 type \"%s\" (did you mean \"%s\"?)", shown,
		    hint);
	else
		err(c, f->v, f->path,
		    "unknown e820 type \"%s\" (expected usable, reserved, "
		    "ACPI data, ACPI NVS, unusable, persistent, soft reserved%s "
		    "a type number%s%s%s)",
		    shown, extra ? "," : " or", extra ? " or \"" : "", extra ? extra : "",
		    extra ? "\"" : "");
	return false;
}

/* ======================================================================== */
/* Pass 4: ranges and the e820 map                                          */
/* ======================================================================== */

/* A [start, end) range read from {"start", "end"|"last"}. */
typedef struct range {
	uint64_t start, end; /* half-open */
} range;

static bool check_limit(ctx *c, const field *f, const char *name, uint64_t v, bool exclusive)
{
	if (exclusive ? v <= PHYS_LIMIT : v < PHYS_LIMIT)
		return true;
	err(c, f->v, f->path,
	    "%s 0x%" PRIx64 " is beyond the 46-bit physical address limit "
	    "(0x%" PRIx64 ")",
	    name, v, PHYS_LIMIT);
	return false;
}

static bool read_range(ctx *c, const cJSON *obj, const char *path, range *r)
{
	field fs = get_field(obj, path, "start");
	field fe = get_field(obj, path, "end");
	field fl = get_field(obj, path, "last");
	bool ok = true;
	uint64_t last = 0;
	if (!fs.v) {
		err_missing(c, obj, path, "start", "");
		ok = false;
	} else {
		ok = as_hex(c, &fs, &r->start) && check_limit(c, &fs, "start", r->start, false);
	}
	if (fe.v && fl.v) {
		err_key(c, fl.v, fl.path,
		        "give either 'end' (exclusive) or 'last' (inclusive), "
		        "not both");
		return false;
	}
	if (!fe.v && !fl.v) {
		err_missing(c, obj, path, "end", "the exclusive end; or 'last', the inclusive end");
		return false;
	}
	const field *fx = fe.v ? &fe : &fl;
	if (fe.v) {
		if (!as_hex(c, &fe, &r->end) || !check_limit(c, &fe, "end", r->end, true))
			return false;
	} else {
		if (!as_hex(c, &fl, &last) || !check_limit(c, &fl, "last", last, false))
			return false;
		r->end = last + 1;
	}
	if (!ok)
		return false;
	if (fe.v && r->end == r->start) {
		err(c, fe.v, fe.path, "end equals start 0x%" PRIx64 ": the range is empty",
		    r->start);
		return false;
	}
	if (r->end <= r->start) {
		err(c, fx->v, fx->path, "%s 0x%" PRIx64 " is below start 0x%" PRIx64,
		    fe.v ? "end" : "last", fe.v ? r->end : last, r->start);
		return false;
	}
	return true;
}

static const char *e820_name(uint32_t type, char *buf, size_t size)
{
	for (size_t i = 0; i < N_E820_NAMES; i++)
		if (e820_names[i].type == type)
			return e820_names[i].name;
	snprintf(buf, size, "type %" PRIu32, type);
	return buf;
}

static bool read_e820_entry(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	uint32_t type = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!want_object(c, &self, e820_keys, COUNT(e820_keys)))
		return false;
	bool ok = read_range(c, el, path, &r);
	field ft = get_field(el, path, "type");
	if (!ft.v) {
		err_missing(c, el, path, "type", "");
		ok = false;
	} else if (!as_e820_type(c, &ft, NULL, &type)) {
		ok = false;
	}
	if (ok && !pgt_scenario_add_e820(c->sc, r.start, r.end, type))
		err(c, el, path, "out of memory");
	return ok;
}

/* An e820 entry that was read without errors, for the map-wide checks. */
typedef struct e820_ref {
	pgt_e820_entry e;  /* the entry */
	size_t table;      /* its index in the JSON array */
	const cJSON *node; /* its object (for positions) */
} e820_ref;

static int cmp_e820_ref(const void *a, const void *b)
{
	const e820_ref *x = a, *y = b;
	if (x->e.start != y->e.start)
		return (x->e.start > y->e.start) - (x->e.start < y->e.start);
	return (x->table > y->table) - (x->table < y->table);
}

/* Reports that the later (in the file) of two overlapping entries overlaps
 * the earlier one. */
static void report_overlap(ctx *c, const char *path, const e820_ref *x, const e820_ref *y)
{
	const e820_ref *later = x->table > y->table ? x : y, *earlier = later == x ? y : x;
	char p[PATH_BUF], t1[32], t2[32];
	path_elem(p, path, later->table);
	if (later->e.type == earlier->e.type)
		warn(c, later->node, p,
		     "overlaps /e820/%zu [0x%" PRIx64 ", 0x%" PRIx64 ") of the same "
		     "type; the kernel merges them (sanitize_e820_map)",
		     earlier->table, earlier->e.start, earlier->e.end);
	else
		err(c, later->node, p,
		    "[0x%" PRIx64 ", 0x%" PRIx64 ") %s overlaps /e820/%zu [0x%" PRIx64
		    ", 0x%" PRIx64 ") %s; write the map as the kernel prints it "
		    "(BIOS-e820 lines have no overlaps)",
		    later->e.start, later->e.end, e820_name(later->e.type, t1, sizeof(t1)),
		    earlier->table, earlier->e.start, earlier->e.end,
		    e820_name(earlier->e.type, t2, sizeof(t2)));
}

/* Overlapping entries: the kernel's sanitize_e820_map() resolves them (the
 * higher type number wins) and prints the result, so a map copied from a log
 * never has them.  Same type: harmless, a warning.  Different types: an
 * error, because which type the overlap gets changes the simulation.
 * A sweep in address order compares each entry with the one reaching
 * furthest so far. */
static void check_overlaps(ctx *c, const char *path, e820_ref *refs, size_t n)
{
	qsort(refs, n, sizeof(*refs), cmp_e820_ref);
	size_t reach = 0;
	for (size_t k = 1; k < n; k++) {
		if (refs[k].e.start < refs[reach].e.end)
			report_overlap(c, path, &refs[k], &refs[reach]);
		if (refs[k].e.end > refs[reach].e.end)
			reach = k;
	}
}

/* The kernel sorts the map; the table order is kept here, so warn once. */
static void check_sorted(ctx *c, const char *path, const e820_ref *refs, size_t n)
{
	char p[PATH_BUF];
	for (size_t k = 1; k < n; k++) {
		if (refs[k].e.start >= refs[k - 1].e.start)
			continue;
		path_elem(p, path, refs[k].table);
		warn(c, refs[k].node, p,
		     "entry starts below the previous entry (0x%" PRIx64 " < 0x%" PRIx64
		     "); the kernel would sort the map, pgtviz keeps the "
		     "table order",
		     refs[k].e.start, refs[k - 1].e.start);
		return;
	}
}

static bool read_e820(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "e820");
	char p[PATH_BUF];
	if (!f.v)
		return err_missing(c, root, "", "e820", "the BIOS memory map");
	if (!cJSON_IsArray(f.v))
		return err_type(c, &f, "an array of e820 entries");
	size_t n = (size_t)cJSON_GetArraySize(f.v), k = 0, bad = 0, ram = 0;
	if (n == 0)
		return err(c, f.v, f.path, "the e820 map is empty");
	e820_ref *refs = malloc(n * sizeof(*refs));
	if (!refs)
		return err(c, f.v, f.path, "out of memory");
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		path_elem(p, f.path, k);
		size_t before = c->sc->n_e820;
		if (!read_e820_entry(c, el, p) || c->sc->n_e820 == before) {
			bad++;
			continue;
		}
		refs[before] = (e820_ref){c->sc->e820[before], k, el};
		uint32_t type = refs[before].e.type;
		ram += type == PGT_E820_RAM || type == PGT_E820_RESERVED_KERN;
	}
	if (!bad && !ram)
		err(c, f.v, f.path, "the map has no usable RAM (no entry of type \"usable\")");
	check_sorted(c, f.path, refs, c->sc->n_e820);
	check_overlaps(c, f.path, refs, c->sc->n_e820);
	free(refs);
	return true;
}

/* ======================================================================== */
/* Pass 4: edits, reservations, notes, source                               */
/* ======================================================================== */

/* Runs `one` on every element of the optional array at root/key. */
static void for_each_elem(ctx *c, const cJSON *root, const char *key, const char *what,
                          void (*one)(ctx *, const cJSON *, const char *))
{
	field f = get_field(root, "", key);
	char p[PATH_BUF];
	size_t k = 0;
	if (!f.v)
		return;
	if (!cJSON_IsArray(f.v)) {
		err_type(c, &f, what);
		return;
	}
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		path_elem(p, f.path, k);
		one(c, el, p);
	}
}

static void read_edit(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	uint32_t from = 0, to = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!want_object(c, &self, edit_keys, COUNT(edit_keys)))
		return;
	bool ok = read_range(c, el, path, &r);
	field ff = get_field(el, path, "from"), ft = get_field(el, path, "to");
	if (ff.v && !(cJSON_IsString(ff.v) && strcmp(ff.v->valuestring, "any") == 0))
		ok = as_e820_type(c, &ff, "any", &from) && ok;
	if (!ft.v) {
		err_missing(c, el, path, "to", "an e820 type, or \"remove\"");
		ok = false;
	} else if (!(cJSON_IsString(ft.v) && strcmp(ft.v->valuestring, "remove") == 0)) {
		ok = as_e820_type(c, &ft, "remove", &to) && ok;
	}
	if (ok && !pgt_scenario_add_edit(c->sc, r.start, r.end, from, to))
		err(c, el, path, "out of memory");
}

static void read_resv(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	const char *label = NULL; /* absent: the kind's name (pgt_scenario_add_resv) */
	const char *kinds[N_RESV_KINDS];
	int kind = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!want_object(c, &self, resv_keys, COUNT(resv_keys)))
		return;
	bool ok = read_range(c, el, path, &r);
	field fk = get_field(el, path, "kind"), fl = get_field(el, path, "label");
	for (size_t i = 0; i < N_RESV_KINDS; i++)
		kinds[i] = resv_kinds[i].name;
	if (!fk.v) {
		err_missing(c, el, path, "kind",
		            "kernel, initrd, ebda, setup_data, xen, "
		            "crashkernel or other");
		ok = false;
	} else {
		ok = as_choice(c, &fk, kinds, N_RESV_KINDS, &kind) && ok;
	}
	if (fl.v && !as_string(c, &fl, &label))
		ok = false;
	else if (label && strlen(label) >= LABEL_SIZE)
		ok = err(c, fl.v, fl.path, "label is %zu bytes long; at most %zu fit",
		         strlen(label), LABEL_SIZE - 1);
	if (ok && !pgt_scenario_add_resv(c->sc, r.start, r.end, resv_kinds[kind].kind, label))
		err(c, el, path, "out of memory");
}

/* "panic", "violation", "call:2", "event:17". */
static bool valid_marker(const char *at)
{
	size_t n = strspn(at, "abcdefghijklmnopqrstuvwxyz0123456789_-");
	if (n == 0 || !islower((unsigned char)at[0]))
		return false;
	if (at[n] == '\0')
		return true;
	return at[n] == ':' && at[n + 1] && strspn(at + n + 1, "0123456789") == strlen(at + n + 1);
}

static void read_note(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	const char *at = NULL, *text = NULL;
	char shown[64];
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!want_object(c, &self, note_keys, COUNT(note_keys)))
		return;
	field fa = get_field(el, path, "at"), ft = get_field(el, path, "text");
	bool ok = true;
	if (!fa.v) {
		err_missing(c, el, path, "at", "a marker like \"call:2\" or \"panic\"");
		ok = false;
	} else if (as_string(c, &fa, &at) && !valid_marker(at)) {
		err(c, fa.v, fa.path,
		    "\"%s\" is not a marker: expected a name like \"panic\" or a "
		    "name and a number like \"call:2\"",
		    shorten(at, shown, sizeof(shown)));
		ok = false;
	}
	if (!ft.v) {
		err_missing(c, el, path, "text", "");
		ok = false;
	} else if (as_string(c, &ft, &text) && !text[0]) {
		err(c, ft.v, ft.path, "the note text is empty");
		ok = false;
	}
	if (ok && at && text && !pgt_scenario_add_note(c->sc, at, text))
		err(c, el, path, "out of memory");
}

/* Provenance written by `pgtviz import`: string values, otherwise ignored. */
static void read_source(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "source");
	char p[PATH_BUF];
	if (!f.v || !want_object(c, &f, NULL, 0))
		return;
	for (const cJSON *it = f.v->child; it; it = it->next) {
		if (cJSON_IsString(it))
			continue;
		path_child(p, f.path, it->string ? it->string : "");
		err(c, it, p, "expected a string, got %s", type_desc(it));
	}
}

/* ======================================================================== */
/* Pass 4: top-level scalars                                                */
/* ======================================================================== */

/* "format" must name this version; false stops reading (a different
 * version's keys would only produce noise). */
static bool read_format(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "format");
	const char *t;
	char shown[64];
	if (!f.v) {
		err_missing(c, root, "", "format", "\"format\": \"" FORMAT_NAME "\"");
		return true;
	}
	if (!as_string(c, &f, &t))
		return false;
	if (strcmp(t, FORMAT_NAME) == 0)
		return true;
	shorten(t, shown, sizeof(shown));
	if (strncmp(t, FORMAT_PREFIX, strlen(FORMAT_PREFIX)) == 0)
		err(c, f.v, f.path, "unsupported format version \"%s\" (this pgtviz reads \"%s\")",
		    shown, FORMAT_NAME);
	else
		err(c, f.v, f.path, "not a pgtviz scenario: format is \"%s\", expected \"%s\"",
		    shown, FORMAT_NAME);
	return false;
}

/* Sets *dst to a copy of the string member root/key, if present. */
static void read_text(ctx *c, const cJSON *root, const char *key, bool one_line, char **dst)
{
	field f = get_field(root, "", key);
	const char *t;
	if (!f.v || !as_string(c, &f, &t))
		return;
	if (one_line && strpbrk(t, "\n\r")) {
		err(c, f.v, f.path, "the %s must be one line", key);
		return;
	}
	if (!pgt_scenario_set_str(dst, t))
		err(c, f.v, f.path, "out of memory");
}

/* The name is used in file names (exports), so it is kept simple. */
static bool read_name(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "name");
	const char *t;
	char shown[64];
	if (!f.v)
		return err_missing(c, root, "", "name", "a short id like \"pc-4g\"");
	if (!as_string(c, &f, &t))
		return false;
	shorten(t, shown, sizeof(shown));
	if (!t[0])
		return err(c, f.v, f.path, "the name is empty");
	if (strlen(t) > NAME_MAX_LEN)
		return err(c, f.v, f.path, "the name is longer than %d bytes", NAME_MAX_LEN);
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '/' || *p == '\\' || *p == 0x7f)
			return err(c, f.v, f.path,
			           "name \"%s\" must not contain spaces, control "
			           "characters, '/' or '\\' (it is used in file names)",
			           shown);
	if (!pgt_scenario_set_str(&c->sc->name, t))
		return err(c, f.v, f.path, "out of memory");
	return true;
}

static void read_kernel(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "kernel");
	const char *t;
	char shown[64];
	if (!f.v || !as_string(c, &f, &t))
		return;
	c->sc->kver = pgt_kver_parse(t);
	if (!c->sc->kver)
		err(c, f.v, f.path, "cannot read kernel version \"%s\" (expected e.g. \"3.9.8\")",
		    shorten(t, shown, sizeof(shown)));
}

static bool read_schemes(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "schemes");
	char shown[64];
	size_t k = 0;
	if (!f.v)
		return true;
	if (!cJSON_IsArray(f.v))
		return err_type(c, &f, "an array of one or two scheme names");
	size_t n = (size_t)cJSON_GetArraySize(f.v);
	if (n < 1 || n > 2)
		return err(c, f.v, f.path, "expected one or two schemes, got %zu", n);
	c->sc->schemes[1] = -1;
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		field fe = {el, ""};
		const char *t;
		path_elem(fe.path, f.path, k);
		if (!as_string(c, &fe, &t))
			continue;
		int s = pgt_scheme_parse(t);
		const char *hint = s < 0 ? closest(t, scheme_names, COUNT(scheme_names)) : NULL;
		if (hint)
			err(c, el, fe.path, "unknown scheme \"%s\" (did you mean \"%s\"?)",
			    shorten(t, shown, sizeof(shown)), hint);
		else if (s < 0)
			err(c, el, fe.path,
			    "unknown scheme \"%s\" (expected pgtbuf, top-down, "
			    "bottom-up or chunk-end; or old, new)",
			    shorten(t, shown, sizeof(shown)));
		else
			c->sc->schemes[k] = s;
	}
	return true;
}

static void read_cpu(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "cpu");
	if (!f.v || !want_object(c, &f, cpu_keys, COUNT(cpu_keys)))
		return;
	field fp = get_field(f.v, f.path, "pse"), fg = get_field(f.v, f.path, "gbpages");
	field fd = get_field(f.v, f.path, "debug_pagealloc");
	if (fp.v)
		as_bool(c, &fp, &c->sc->cpu.pse);
	if (fg.v)
		as_bool(c, &fg, &c->sc->cpu.gbpages);
	if (fd.v)
		as_bool(c, &fd, &c->sc->cpu.debug_pagealloc);
}

static void read_flags(ctx *c, const cJSON *root)
{
	field fx = get_field(root, "", "xen_pv"), fk = get_field(root, "", "kaslr_memory");
	field fr = get_field(root, "", "xen_rule"), fs = get_field(root, "", "sizing");
	if (fx.v)
		as_bool(c, &fx, &c->sc->xen_pv);
	if (fk.v)
		as_bool(c, &fk, &c->sc->kaslr_memory);
	if (fr.v)
		as_choice(c, &fr, xen_rule_names, COUNT(xen_rule_names), &c->sc->xen_rule);
	if (fs.v)
		as_choice(c, &fs, sizing_names, COUNT(sizing_names), &c->sc->sizing);
}

/* An optional physical address member; 0 (absent) means "default". */
static const cJSON *read_addr(ctx *c, const cJSON *root, const char *key, bool page_aligned,
                              uint64_t *out)
{
	field f = get_field(root, "", key);
	uint64_t v;
	if (!f.v || !as_hex(c, &f, &v) || !check_limit(c, &f, key, v, false))
		return NULL;
	if (v == 0) {
		err(c, f.v, f.path, "%s 0x0 is not a valid address (omit the key for the default)",
		    key);
		return NULL;
	}
	if (page_aligned && (v & (PAGE_4K - 1))) {
		err(c, f.v, f.path, "%s 0x%" PRIx64 " is not page-aligned (4 KiB)", key, v);
		return NULL;
	}
	*out = v;
	return f.v;
}

/* "i386": { "pae": true, "highmem": true, "lowmem_end": "0x37bfe000" } selects
 * the 32-bit model. */
static void read_i386(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "i386");
	if (!f.v || !want_object(c, &f, i386_keys, COUNT(i386_keys)))
		return;
	c->sc->bits = 32;
	c->sc->pae = true;
	field fp = get_field(f.v, f.path, "pae"), fh = get_field(f.v, f.path, "highmem");
	if (fp.v)
		as_bool(c, &fp, &c->sc->pae);
	if (fh.v)
		as_bool(c, &fh, &c->sc->highmem);
	field fl = get_field(f.v, f.path, "lowmem_end");
	uint64_t v;
	if (fl.v && as_hex(c, &fl, &v) && check_limit(c, &fl, "lowmem_end", v, false)) {
		if (v & (PAGE_4K - 1))
			err(c, fl.v, fl.path,
			    "lowmem_end 0x%" PRIx64 " is not page-aligned (4 KiB)", v);
		else if (v == 0 || v > 0x40000000)
			err(c, fl.v, fl.path,
			    "lowmem_end 0x%" PRIx64 " is not between 4 KiB and 1 GiB (i386 lowmem)",
			    v);
		else
			c->sc->lowmem_end = v;
	}
}

static void read_addresses(ctx *c, const cJSON *root)
{
	pgt_scenario *sc = c->sc;
	bool ks_given = cJSON_GetObjectItemCaseSensitive(root, "kernel_start") != NULL;
	const cJSON *ks = read_addr(c, root, "kernel_start", true, &sc->kernel_start);
	const cJSON *ke = read_addr(c, root, "kernel_end", false, &sc->kernel_end);
	read_addr(c, root, "brk_base", true, &sc->brk_base);
	const cJSON *xm = read_addr(c, root, "xen_mapped_end", true, &sc->xen_mapped_end);
	read_addr(c, root, "initial_mapped", true, &sc->initial_mapped);
	uint64_t start = sc->kernel_start ? sc->kernel_start : DEFAULT_KERNEL_START;
	if (ke && (ks || !ks_given) && sc->kernel_end <= start) /* no noise after a bad start */
		err(c, ke, "/kernel_end",
		    "kernel_end 0x%" PRIx64 " is not above kernel_start 0x%" PRIx64 "%s",
		    sc->kernel_end, start, sc->kernel_start ? "" : " (the default)");
	if (xm && !sc->xen_pv)
		warn(c, xm, "/xen_mapped_end", "xen_mapped_end is ignored unless xen_pv is true");
}

/* mem=, reservelow=, crashkernel= as the kernel would accept them. */
static void read_cmdline(ctx *c, const cJSON *root)
{
	field f = get_field(root, "", "cmdline");
	pgt_scenario *sc = c->sc;
	uint64_t v;
	if (!f.v || !want_object(c, &f, cmdline_keys, COUNT(cmdline_keys)))
		return;
	field fm = get_field(f.v, f.path, "mem"), fr = get_field(f.v, f.path, "reservelow");
	field fc = get_field(f.v, f.path, "crashkernel");
	field fn = get_field(f.v, f.path, "nogbpages"), fv = get_field(f.v, f.path, "movable_node");
	if (fm.v && as_size(c, &fm, &v)) {
		if (v == 0)
			err(c, fm.v, fm.path,
			    "mem=0 is rejected by the kernel (omit the key for no limit)");
		else
			sc->mem_limit = v;
	}
	if (fr.v && as_size(c, &fr, &v)) {
		if (v < 0x1000 || v > 0xa0000)
			err(c, fr.v, fr.path,
			    "reservelow 0x%" PRIx64 " is outside [0x1000, 0xa0000], "
			    "which the kernel would clamp it to; write the clamped value",
			    v);
		else
			sc->reservelow = v;
	}
	if (fc.v && as_size(c, &fc, &v)) {
		if (v == 0)
			err(c, fc.v, fc.path, "crashkernel size is 0 (omit the key for none)");
		else
			sc->crashkernel = v;
	}
	if (fn.v)
		as_bool(c, &fn, &sc->nogbpages);
	if (fv.v)
		as_bool(c, &fv, &sc->movable_node);
}

static void set_defaults(pgt_scenario *sc)
{
	sc->schemes[0] = PGT_SCHEME_PGTBUF;
	sc->schemes[1] = PGT_SCHEME_TOPDOWN;
	sc->cpu.pse = true;
	sc->xen_rule = PGT_XEN_RULE_AUTO;
	sc->sizing = PGT_SIZING_AUTO;
}

static void read_scenario(ctx *c, const cJSON *root)
{
	field self = {root, ""};
	if (!cJSON_IsObject(root)) {
		err_type(c, &self, "an object");
		return;
	}
	if (!read_format(c, root))
		return;
	check_members(c, root, "", top_keys, COUNT(top_keys));
	set_defaults(c->sc);
	read_name(c, root);
	read_text(c, root, "title", true, &c->sc->title);
	read_text(c, root, "description", false, &c->sc->description);
	read_kernel(c, root);
	read_schemes(c, root);
	read_cpu(c, root);
	read_i386(c, root);
	read_flags(c, root);
	read_addresses(c, root);
	read_cmdline(c, root);
	read_e820(c, root);
	for_each_elem(c, root, "e820_edits", "an array of edits", read_edit);
	for_each_elem(c, root, "reservations", "an array of reservations", read_resv);
	for_each_elem(c, root, "notes", "an array of notes", read_note);
	read_source(c, root);
}

/* ======================================================================== */
/* Loading                                                                  */
/* ======================================================================== */

/* Pass 1: refuses what cannot be a scenario file at all. */
static bool check_file(ctx *c)
{
	const char *t = c->idx.text;
	size_t len = c->idx.len;
	if (len > MAX_FILE_BYTES) {
		err_file(c, SIZE_MAX, "file is too large (%zu bytes; the limit is 16 MiB)", len);
		return false;
	}
	if (len == 0) {
		err_file(c, SIZE_MAX, "file is empty");
		return false;
	}
	if (!index_lines(&c->idx)) {
		err_file(c, SIZE_MAX, "out of memory");
		return false;
	}
	const char *nul = memchr(t, '\0', len);
	if (nul) {
		err_file(c, (size_t)(nul - t),
		         "file contains a NUL byte: this is a binary file, "
		         "not a scenario");
		return false;
	}
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len((const unsigned char *)t + i, len - i);
		if (!n) {
			err_file(c, i,
			         "invalid UTF-8 (byte 0x%02x): scenario files must be UTF-8 text",
			         (unsigned char)t[i]);
			return false;
		}
		i += n;
	}
	size_t start = (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	if (strspn(t + start, " \t\r\n") >= len - start) {
		err_file(c, SIZE_MAX, "file is empty (only whitespace)");
		return false;
	}
	return true;
}

/* Passes 2 and 3: syntax, cJSON tree, positions.  NULL on error. */
static cJSON *parse(ctx *c)
{
	scanner *s = calloc(1, sizeof(*s));
	if (!s) {
		err_file(c, SIZE_MAX, "out of memory");
		return NULL;
	}
	s->idx = &c->idx;
	if (!scan_document(s)) {
		int line, col;
		offset_linecol(&c->idx, s->err_off, &line, &col);
		c->errors++;
		pgt_diags_add(c->d, PGT_DIAG_ERROR, line, col, "%s: %s", path_show(s->err_path),
		              s->err_msg);
		free(s);
		return NULL;
	}
	free(s);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(c->idx.text, c->idx.len, &end, 0);
	if (!root) {
		size_t off = end ? (size_t)(end - c->idx.text) : 0;
		err_file(c, off, "cannot parse the JSON here (cJSON refused it; out of memory?)");
		return NULL;
	}
	index_pair(&c->idx, root);
	return root;
}

/* "N more errors not shown" after MAX_KEPT diagnostics. */
static void report_dropped(ctx *c)
{
	size_t e = c->dropped[0], w = c->dropped[1];
	if (e && w)
		pgt_diags_add(c->d, PGT_DIAG_NOTE, 0, 0,
		              "%zu more errors and %zu more warnings not shown", e, w);
	else if (e || w)
		pgt_diags_add(c->d, PGT_DIAG_NOTE, 0, 0, "%zu more %s not shown", e + w,
		              e ? "errors" : "warnings");
}

bool pgt_scenario_from_json(const char *text, size_t len, pgt_scenario *out, pgt_diags *d)
{
	ctx c = {.idx = {.text = text, .len = len}, .d = d, .base = d->n, .sc = out};
	if (check_file(&c)) {
		cJSON *root = parse(&c);
		if (root)
			read_scenario(&c, root);
		cJSON_Delete(root);
	}
	sort_diags(d, c.base);
	report_dropped(&c);
	index_free(&c.idx);
	if (c.errors) {
		pgt_scenario_clear(out);
		return false;
	}
	return true;
}

/* ======================================================================== */
/* Writing                                                                  */
/* ======================================================================== */

/* A growing output buffer. */
typedef struct sbuf {
	char *s;       /* NUL-terminated text */
	size_t n, cap; /* used (without NUL) / allocated */
	bool oom;      /* an allocation failed; the result is dropped */
} sbuf;

static void sb_put(sbuf *b, const char *text, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, text, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *text)
{
	sb_put(b, text, strlen(text));
}

PRINTF_LIKE(2, 3)
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_put(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A JSON string; invalid UTF-8 becomes U+FFFD (JSON cannot carry it). */
static void sb_string(sbuf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t len = strlen((const char *)p);
	sb_puts(b, "\"");
	for (size_t i = 0; i < len;) {
		unsigned ch = p[i];
		size_t n = utf8_len(p + i, len - i);
		if (ch == '"' || ch == '\\')
			sb_printf(b, "\\%c", (int)ch);
		else if (ch == '\n')
			sb_puts(b, "\\n");
		else if (ch == '\t')
			sb_puts(b, "\\t");
		else if (ch < 0x20)
			sb_printf(b, "\\u%04x", ch);
		else if (n)
			sb_put(b, (const char *)p + i, n);
		else
			sb_puts(b, "\xef\xbf\xbd");
		i += n ? n : 1;
	}
	sb_puts(b, "\"");
}

static void sb_hex(sbuf *b, uint64_t v)
{
	sb_printf(b, "\"0x%" PRIx64 "\"", v);
}

/* Starts member `key` of a multi-line object at indent 2. */
static void sb_key(sbuf *b, bool *first, const char *key)
{
	sb_puts(b, *first ? "\n  \"" : ",\n  \"");
	*first = false;
	sb_puts(b, key);
	sb_puts(b, "\": ");
}

/* An e820 type: its name, or a number for other types. */
static void sb_e820_type(sbuf *b, uint32_t type)
{
	for (size_t i = 0; i < N_E820_NAMES; i++) {
		if (e820_names[i].type == type) {
			sb_string(b, e820_names[i].name);
			return;
		}
	}
	sb_printf(b, "%" PRIu32, type);
}

static void sb_range(sbuf *b, uint64_t start, uint64_t end)
{
	sb_puts(b, "\"start\": ");
	sb_hex(b, start);
	sb_puts(b, ", \"end\": ");
	sb_hex(b, end);
}

static const char *resv_kind_name(int kind)
{
	for (size_t i = 0; i < N_RESV_KINDS; i++)
		if (resv_kinds[i].kind == kind)
			return resv_kinds[i].name;
	return "other";
}

static void write_header(sbuf *b, bool *first, const pgt_scenario *sc)
{
	char ver[32];
	sb_key(b, first, "format");
	sb_string(b, FORMAT_NAME);
	sb_key(b, first, "name");
	sb_string(b, sc->name && sc->name[0] ? sc->name : "unnamed");
	if (sc->title) {
		sb_key(b, first, "title");
		sb_string(b, sc->title);
	}
	if (sc->description) {
		sb_key(b, first, "description");
		sb_string(b, sc->description);
	}
	if (sc->kver) {
		sb_key(b, first, "kernel");
		sb_string(b, pgt_kver_format(sc->kver, ver, sizeof(ver)));
	}
	bool s0 = sc->schemes[0] >= 0 && sc->schemes[0] < PGT_SCHEME_COUNT;
	bool s1 = sc->schemes[1] >= 0 && sc->schemes[1] < PGT_SCHEME_COUNT;
	if (s0) {
		sb_key(b, first, "schemes");
		sb_puts(b, "[");
		sb_string(b, pgt_scheme_name(sc->schemes[0]));
		if (s1) {
			sb_puts(b, ", ");
			sb_string(b, pgt_scheme_name(sc->schemes[1]));
		}
		sb_puts(b, "]");
	}
}

static void write_settings(sbuf *b, bool *first, const pgt_scenario *sc)
{
	sb_key(b, first, "cpu");
	sb_printf(b, "{ \"pse\": %s, \"gbpages\": %s, \"debug_pagealloc\": %s }",
	          sc->cpu.pse ? "true" : "false", sc->cpu.gbpages ? "true" : "false",
	          sc->cpu.debug_pagealloc ? "true" : "false");
	sb_key(b, first, "xen_pv");
	sb_puts(b, sc->xen_pv ? "true" : "false");
	sb_key(b, first, "xen_rule");
	sb_string(b, sc->xen_rule >= 0 && (size_t)sc->xen_rule < COUNT(xen_rule_names)
	                 ? xen_rule_names[sc->xen_rule]
	                 : "auto");
	sb_key(b, first, "sizing");
	sb_string(b, sc->sizing >= 0 && (size_t)sc->sizing < COUNT(sizing_names)
	                 ? sizing_names[sc->sizing]
	                 : "auto");
	sb_key(b, first, "kaslr_memory");
	sb_puts(b, sc->kaslr_memory ? "true" : "false");
	const struct {
		const char *key;
		uint64_t v;
	} addrs[] = {{"kernel_start", sc->kernel_start},
	             {"kernel_end", sc->kernel_end},
	             {"brk_base", sc->brk_base},
	             {"xen_mapped_end", sc->xen_mapped_end},
	             {"initial_mapped", sc->initial_mapped}};
	for (size_t i = 0; i < COUNT(addrs); i++) {
		if (!addrs[i].v)
			continue;
		sb_key(b, first, addrs[i].key);
		sb_hex(b, addrs[i].v);
	}
	if (sc->bits == 32) {
		sb_key(b, first, "i386");
		sb_printf(b, "{ \"pae\": %s, \"highmem\": %s", sc->pae ? "true" : "false",
		          sc->highmem ? "true" : "false");
		if (sc->lowmem_end) {
			sb_puts(b, ", \"lowmem_end\": ");
			sb_hex(b, sc->lowmem_end);
		}
		sb_puts(b, " }");
	}
}

static void write_cmdline(sbuf *b, bool *first, const pgt_scenario *sc)
{
	bool any = false;
	if (!sc->mem_limit && !sc->nogbpages && !sc->movable_node && !sc->reservelow &&
	    !sc->crashkernel)
		return;
	sb_key(b, first, "cmdline");
	sb_puts(b, "{");
	if (sc->mem_limit) {
		sb_puts(b, " \"mem\": ");
		sb_hex(b, sc->mem_limit);
		any = true;
	}
	if (sc->nogbpages) {
		sb_puts(b, any ? ", \"nogbpages\": true" : " \"nogbpages\": true");
		any = true;
	}
	if (sc->movable_node) {
		sb_puts(b, any ? ", \"movable_node\": true" : " \"movable_node\": true");
		any = true;
	}
	if (sc->reservelow) {
		sb_puts(b, any ? ", \"reservelow\": " : " \"reservelow\": ");
		sb_hex(b, sc->reservelow);
		any = true;
	}
	if (sc->crashkernel) {
		sb_puts(b, any ? ", \"crashkernel\": " : " \"crashkernel\": ");
		sb_hex(b, sc->crashkernel);
	}
	sb_puts(b, " }");
}

/* Opens array `key`, or returns false when it has no elements. */
static bool sb_array(sbuf *b, bool *first, const char *key, size_t n)
{
	if (!n)
		return false;
	sb_key(b, first, key);
	sb_puts(b, "[");
	return true;
}

/* Starts element i of a one-object-per-line array. */
static void sb_elem(sbuf *b, size_t i)
{
	sb_puts(b, i ? ",\n    { " : "\n    { ");
}

static void write_lists(sbuf *b, bool *first, const pgt_scenario *sc)
{
	sb_key(b, first, "e820");
	sb_puts(b, "[");
	for (size_t i = 0; i < sc->n_e820; i++) {
		sb_elem(b, i);
		sb_range(b, sc->e820[i].start, sc->e820[i].end);
		sb_puts(b, ", \"type\": ");
		sb_e820_type(b, sc->e820[i].type);
		sb_puts(b, " }");
	}
	sb_puts(b, sc->n_e820 ? "\n  ]" : "]");
	if (sb_array(b, first, "e820_edits", sc->n_edits)) {
		for (size_t i = 0; i < sc->n_edits; i++) {
			const pgt_e820_edit *e = &sc->edits[i];
			sb_elem(b, i);
			sb_range(b, e->start, e->end);
			if (e->from_type) {
				sb_puts(b, ", \"from\": ");
				sb_e820_type(b, e->from_type);
			}
			sb_puts(b, ", \"to\": ");
			if (e->to_type)
				sb_e820_type(b, e->to_type);
			else
				sb_string(b, "remove");
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
	if (sb_array(b, first, "reservations", sc->n_resv)) {
		for (size_t i = 0; i < sc->n_resv; i++) {
			const pgt_resv *r = &sc->resv[i];
			sb_elem(b, i);
			sb_range(b, r->start, r->end);
			sb_puts(b, ", \"kind\": ");
			sb_string(b, resv_kind_name(r->kind));
			if (strcmp(r->label, resv_kind_name(r->kind)) != 0) {
				sb_puts(b, ", \"label\": ");
				sb_string(b, r->label);
			}
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
	if (sb_array(b, first, "notes", sc->n_notes)) {
		for (size_t i = 0; i < sc->n_notes; i++) {
			sb_elem(b, i);
			sb_puts(b, "\"at\": ");
			sb_string(b, sc->notes[i].at);
			sb_puts(b, ", \"text\": ");
			sb_string(b, sc->notes[i].text);
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
}

static void write_source(sbuf *b, bool *first, const pgt_source_kv *source, size_t n)
{
	if (!n)
		return;
	sb_key(b, first, "source");
	sb_puts(b, "{");
	for (size_t i = 0; i < n; i++) {
		sb_puts(b, i ? ",\n    " : "\n    ");
		sb_string(b, source[i].key);
		sb_puts(b, ": ");
		sb_string(b, source[i].value);
	}
	sb_puts(b, "\n  }");
}

char *pgt_scenario_to_json(const pgt_scenario *sc, const pgt_source_kv *source, size_t n_source)
{
	sbuf b = {0};
	bool first = true;
	sb_puts(&b, "{");
	write_header(&b, &first, sc);
	write_settings(&b, &first, sc);
	write_cmdline(&b, &first, sc);
	write_lists(&b, &first, sc);
	write_source(&b, &first, source, n_source);
	sb_puts(&b, "\n}\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
