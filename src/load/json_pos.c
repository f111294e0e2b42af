/*
 * Scenario JSON, passes 2 and 3: syntax and positions.  cJSON builds a tree
 * but keeps no positions and words syntax errors poorly, so before it runs:
 *
 *   - a strict JSON scanner (scan_*) checks the syntax, stops at the first
 *     error with a precise message ("trailing comma", "keys must be in
 *     double quotes", "hex numbers must be written as strings", ...) and
 *     reports it at its line:col and JSON pointer;
 *   - while scanning, it records in document order where every value and
 *     member key starts (the position index);
 *   - after cJSON has parsed the same text, a pre-order walk pairs each
 *     cJSON node with its record, so the schema walk (scenario_read.c) can
 *     put any message at a node's line:col.
 *
 * The diagnostics helpers here (sj_err, sj_warn, ...) do that: they turn a
 * node into line:col and prefix the message with the node's JSON pointer.
 * Nothing here knows the scenario schema.
 */
#include "scenario_json_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64 /* the format needs 3 levels */

/* ======================================================================== */
/* Position index: where each JSON value starts                            */
/* ======================================================================== */

bool sj_index_lines(posindex *x)
{
	/* a line ends at "\n", "\r\n" or a lone "\r" (old Mac files) */
	size_t n = 1;
	for (size_t i = 0; i < x->len; i++)
		n += x->text[i] == '\n' ||
		     (x->text[i] == '\r' && (i + 1 == x->len || x->text[i + 1] != '\n'));
	x->lines = malloc(n * sizeof(*x->lines));
	if (!x->lines)
		return false;
	x->lines[0] = 0;
	x->n_lines = 1;
	for (size_t i = 0; i < x->len; i++)
		if (x->text[i] == '\n' ||
		    (x->text[i] == '\r' && (i + 1 == x->len || x->text[i + 1] != '\n')))
			x->lines[x->n_lines++] = (uint32_t)(i + 1);
	return true;
}

/* 1-based line and column (code points, tab stops of 8) of byte `off`. */
void sj_offset_linecol(const posindex *x, size_t off, int *line, int *col)
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

const jpos *sj_index_find(const posindex *x, const cJSON *node)
{
	if (!x->paired || !node)
		return NULL;
	jpos key = {node, 0, 0};
	return bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_jpos);
}

void sj_index_free(posindex *x)
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

void sj_path_child(char *out, const char *parent, const char *key)
{
	snprintf(out, PATH_BUF, "%s", parent);
	path_push_key(out, key, strlen(key));
}

void sj_path_elem(char *out, const char *parent, size_t index)
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
		int dgt = sj_hex_digit(s->idx->text[off + k]);
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
	const jpos *p = sj_index_find(&c->idx, node);
	if (p) {
		uint32_t off = (at == AT_KEY && p->key_off != NO_OFF) ? p->key_off : p->val_off;
		sj_offset_linecol(&c->idx, off, &line, &col);
	}
	pgt_diags_add(c->d, sev, line, col, "%s: %s", path_show(path), msg);
}

/* An error about the value `node` (at path). */
PRINTF_LIKE(4, 5)
bool sj_err(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_ERROR, node, AT_VALUE, path, fmt, ap);
	va_end(ap);
	return false;
}

/* An error about the key of the member `node`. */
PRINTF_LIKE(4, 5)
void sj_err_key(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_ERROR, node, AT_KEY, path, fmt, ap);
	va_end(ap);
}

PRINTF_LIKE(4, 5)
void sj_warn(ctx *c, const cJSON *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, PGT_DIAG_WARNING, node, AT_VALUE, path, fmt, ap);
	va_end(ap);
}

/* A problem with the file as a whole, at a byte offset (or none). */
PRINTF_LIKE(3, 4)
void sj_err_file(ctx *c, size_t off, const char *fmt, ...)
{
	char msg[300];
	int line = 0, col = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (off != SIZE_MAX && c->idx.lines)
		sj_offset_linecol(&c->idx, off, &line, &col);
	c->errors++;
	pgt_diags_add(c->d, PGT_DIAG_ERROR, line, col, "%s", msg);
}

/* Stable sort of this load's diagnostics by position. */
void sj_sort_diags(pgt_diags *d, size_t base)
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
/* Passes 2 and 3                                                           */
/* ======================================================================== */

/* Syntax, cJSON tree, positions.  NULL on error (reported). */
cJSON *sj_parse(ctx *c)
{
	scanner *s = calloc(1, sizeof(*s));
	if (!s) {
		sj_err_file(c, SIZE_MAX, "out of memory");
		return NULL;
	}
	s->idx = &c->idx;
	if (!scan_document(s)) {
		int line, col;
		sj_offset_linecol(&c->idx, s->err_off, &line, &col);
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
		sj_err_file(c, off,
		            "cannot parse the JSON here (cJSON refused it; out of memory?)");
		return NULL;
	}
	index_pair(&c->idx, root);
	return root;
}
