/*
 * dmesg import, layers 1 and 2: from raw bytes to logical kernel lines.
 *
 *   - dm_check_bytes() refuses what cannot be a text log: empty, larger
 *     than PGT_DMESG_MAX_BYTES, NUL bytes, invalid UTF-8.
 *   - dm_split_text() turns physical lines into the logical kernel lines
 *     printk emitted and hands each to dm_handle_line() (dmesg_parse.c).  It
 *     strips what pastes add around them (printk timestamps and caller ids,
 *     syslog / journalctl prefixes, "<6>" and "kern  :info  : " level
 *     prefixes, ANSI colours, no-break spaces, CR), splits lines that a
 *     paste glued together at a timestamp, re-joins lines that a mail client
 *     hard-wrapped, and skips the "# " header block of our test logs.
 *
 * Also here, because they only look at line shapes: the public classifier
 * of kernel mapping lines (pgt_dmesg_classify and friends, also used by
 * `pgtviz check`) and pgt_dmesg_looks_like_log(), which tells a log from a
 * scenario file.
 */
#include "dmesg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Kernel line kinds (public)                                               */
/* ------------------------------------------------------------------------ */

/* " 0000000000 - 00bfe00000 page 2M" (<= 3.4): two hex numbers, " - ". */
static bool old_range_line(const char *s)
{
	size_t n = dm_count_hex(s);
	if (n < 8 || !dm_starts(s + n, " - "))
		return false;
	const char *p = s + n + 3;
	size_t m = dm_count_hex(p);
	return m >= 8 && dm_starts(p + m, " page ");
}

int pgt_dmesg_classify(const char *text)
{
	const char *s = dm_skip_sp(text);
	if (dm_starts(s, "init_memory_mapping") && (s[19] == '\0' || s[19] == ':'))
		return PGT_DMESG_IMM;
	if (dm_starts(s, "[mem 0x") && strstr(s, "] page "))
		return PGT_DMESG_RANGE;
	if (old_range_line(s))
		return PGT_DMESG_RANGE;
	if (dm_starts(s, "kernel direct mapping tables up to "))
		return PGT_DMESG_TABLES;
	if (dm_starts(s, "BRK [") && strstr(s, "] PGTABLE"))
		return PGT_DMESG_BRK;
	if (dm_starts(s, "xen: setting RW the range "))
		return PGT_DMESG_XEN_RW;
	if (dm_starts(s, "last_map_addr: "))
		return PGT_DMESG_LAST_MAP;
	if (dm_starts(s, "initial memory mapped"))
		return PGT_DMESG_INITIAL;
	if (strcmp(s, "Using GB pages for direct mapping") == 0)
		return PGT_DMESG_GBPAGES;
	return PGT_DMESG_OTHER;
}

bool pgt_dmesg_kind_compared(int kind)
{
	switch (kind) {
	case PGT_DMESG_IMM:
	case PGT_DMESG_RANGE:
	case PGT_DMESG_TABLES:
	case PGT_DMESG_BRK:
	case PGT_DMESG_XEN_RW:
		return true;
	default:
		return false;
	}
}

const char *pgt_dmesg_kind_name(int kind)
{
	static const char *const names[PGT_DMESG_KIND_COUNT] = {
	    "other",  "init_memory_mapping", "range",   "tables", "brk",
	    "xen-rw", "last_map_addr",       "initial", "gbpages"};
	return (kind >= 0 && kind < PGT_DMESG_KIND_COUNT) ? names[kind] : "?";
}

/* ------------------------------------------------------------------------ */
/* Line splitting                                                           */
/* ------------------------------------------------------------------------ */

/* dmesg -d adds the time since the previous line inside the brackets:
 * "[    0.000000 <    0.000000>]".  q points at the space after the
 * timestamp; returns the position after '>', or NULL if it is not that. */
static const char *delta_end(const char *q, const char *end)
{
	while (q < end && *q == ' ')
		q++;
	if (q >= end || *q != '<')
		return NULL;
	q++;
	while (q < end && *q == ' ')
		q++;
	const char *d = q;
	while (q < end && (isdigit((unsigned char)*q) || *q == '.'))
		q++;
	return (q > d && q < end && *q == '>') ? q + 1 : NULL;
}

/* Length of a printk timestamp at p: "[    0.000000]", dmesg -d's
 * "[    0.000000 <    0.000000>]" or dmesg -T's "[Mon Jan  1 12:00:00
 * 2024]"; 0 if none. */
static size_t ts_len(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return 0;
	const char *q = p + 1;
	while (q < end && *q == ' ')
		q++;
	const char *d = q;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	if (q > d && q < end && *q == '.') {
		const char *f = ++q;
		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q - f < 3 || q - f > 9)
			return 0;
		if (q < end && *q == ' ')
			q = delta_end(q, end); /* dmesg -d: " <    0.000123>" */
		return (q && q < end && *q == ']') ? (size_t)(q + 1 - p) : 0;
	}
	/* dmesg -T: "[Www Mmm dd hh:mm:ss yyyy]" (24 characters inside) */
	if (end - p >= 26 && p[25] == ']' && isupper((unsigned char)p[1]) && p[4] == ' ' &&
	    p[8] == ' ' && p[14] == ':' && p[17] == ':' && p[20] == ' ' &&
	    isdigit((unsigned char)p[21]) && isdigit((unsigned char)p[24]))
		return 26;
	return 0;
}

/* Optional printk caller id after the timestamp: "[    T1]", "[  C12]". */
static size_t caller_len(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return 0;
	const char *q = p + 1;
	while (q < end && *q == ' ')
		q++;
	if (q >= end || (*q != 'T' && *q != 'C'))
		return 0;
	const char *d = ++q;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	return (q > d && q < end && *q == ']') ? (size_t)(q + 1 - p) : 0;
}

static const char *find_ts(const char *p, const char *end, size_t *len)
{
	for (; p < end; p++) {
		p = memchr(p, '[', (size_t)(end - p));
		if (!p)
			return NULL;
		size_t n = ts_len(p, end);
		if (n) {
			*len = n;
			return p;
		}
	}
	return NULL;
}

/* "<6>" at p: returns the level, advances *p. */
static int level_prefix(const char **p, const char *end)
{
	const char *s = *p;
	if (end - s >= 3 && s[0] == '<' && isdigit((unsigned char)s[1]) && s[2] == '>') {
		*p = s + 3;
		return s[1] - '0';
	}
	return -1;
}

/* "Oct  1 12:00:00 host kernel: " or "2023-10-01T12:00:00+00:00 host kernel: "
 * (syslog, kern.log, journalctl); returns the length or 0. */
static size_t syslog_prefix(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	bool date = false;
	if (end - p >= 4) {
		for (int m = 0; m < 12 && !date; m++)
			date = memcmp(p, months + 3 * m, 3) == 0 && p[3] == ' ';
		date = date || (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
		                isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		                end - p > 4 && p[4] == '-');
	}
	if (!date)
		return 0;
	size_t lim = (size_t)(end - p) < 120 ? (size_t)(end - p) : 120;
	for (size_t i = 0; i + 8 <= lim; i++)
		if (memcmp(p + i, "kernel: ", 8) == 0)
			return i + 8;
	return 0;
}

/* "kern  :info  : " (dmesg -x); returns the length, sets *level. */
static size_t dmesg_x_prefix(const char *p, const char *end, int *level)
{
	static const char *const lv[] = {"emerg", "alert",  "crit", "err",
	                                 "warn",  "notice", "info", "debug"};
	const char *c = memchr(p, ':', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
	if (!c || c == p || !islower((unsigned char)*p))
		return 0;
	const char *q = c + 1;
	for (int i = 0; i < 8; i++) {
		size_t n = strlen(lv[i]);
		if ((size_t)(end - q) > n && memcmp(q, lv[i], n) == 0) {
			const char *r = q + n;
			while (r < end && *r == ' ')
				r++;
			if (r < end && *r == ':' && r + 1 < end && r[1] == ' ') {
				*level = i;
				return (size_t)(r + 2 - p);
			}
		}
	}
	return 0;
}

/* The logical line being assembled (hard-wrapped pieces are appended). */
typedef struct pending {
	char *buf;
	size_t n, cap;
	int lineno, col, level;
	bool active;
	size_t phys_len; /* length of the last physical line it came from */
} pending;

static bool pend_append(pending *pd, const char *s, size_t n)
{
	if (pd->n + n + 1 > pd->cap) {
		size_t nc = pd->cap ? pd->cap : 256;
		while (nc < pd->n + n + 1)
			nc *= 2;
		char *b = realloc(pd->buf, nc);
		if (!b)
			return false;
		pd->buf = b;
		pd->cap = nc;
	}
	memcpy(pd->buf + pd->n, s, n);
	pd->n += n;
	pd->buf[pd->n] = '\0';
	return true;
}

static void pend_flush(importer *st, pending *pd)
{
	if (pd->active && pd->n)
		dm_handle_line(st, pd->buf, pd->lineno, pd->col, pd->level);
	pd->active = false;
	pd->n = 0;
}

static void pend_start(importer *st, pending *pd, const char *s, size_t n, int lineno, int col,
                       int level, size_t phys_len)
{
	pend_flush(st, pd);
	pd->active = true;
	pd->lineno = lineno;
	pd->col = col;
	pd->level = level;
	pd->phys_len = phys_len;
	if (!pend_append(pd, s, n))
		st->oom = true;
}

/* May an untimestamped line be the wrapped tail of the pending line?  Only
 * long lines wrap, and never the structured lines we parse. */
static bool joinable(const pending *pd)
{
	if (!pd->active || pd->phys_len < 60)
		return false;
	const char *t = dm_skip_sp(pd->buf);
	const char *rest;
	return pgt_dmesg_classify(t) == PGT_DMESG_OTHER && dm_entry_label(t, &rest) < 0 &&
	       !dm_starts(t, "e820") && !dm_starts(t, "RAMDISK");
}

/* Splits one physical line [b, e) into kernel lines. */
static void split_line(importer *st, pending *pd, const char *b, const char *e, int lineno,
                       bool *ts_mode)
{
	size_t tl;
	const char *ts = find_ts(b, e, &tl);
	if (!ts) {
		int level = -1;
		const char *p = b;
		size_t n = syslog_prefix(p, e);
		bool prefixed = n > 0;
		p += n;
		n = dmesg_x_prefix(p, e, &level);
		prefixed = prefixed || n > 0;
		p += n;
		int l2 = level_prefix(&p, e);
		if (l2 >= 0) {
			level = l2;
			prefixed = true;
		}
		if (*ts_mode && !prefixed && joinable(pd)) {
			while (p < e && *p == ' ')
				p++;
			if (!pend_append(pd, " ", 1) || !pend_append(pd, p, (size_t)(e - p)))
				st->oom = true;
			pd->phys_len = (size_t)(e - b);
			return;
		}
		pend_start(st, pd, p, (size_t)(e - p), lineno, (int)(p - b) + 1, level,
		           (size_t)(e - b));
		return;
	}
	*ts_mode = true;
	int level = -1;
	if (ts - b >= 3 && ts[-3] == '<' && ts[-1] == '>' && isdigit((unsigned char)ts[-2]))
		level = ts[-2] - '0';
	else if (dmesg_x_prefix(b, e, &level) == 0)
		level = -1;
	while (ts) {
		char *num_end;
		double secs = strtod(ts + 1, &num_end); /* dmesg -T: no number, not used */
		if (num_end > ts + 1 && *num_end != ' ' && secs >= 0)
			dm_note_time(st, secs, lineno);
		const char *p = ts + tl;
		p += caller_len(p, e);
		if (p < e && *p == ' ')
			p++;
		int l2 = level_prefix(&p, e);
		if (l2 >= 0)
			level = l2;
		size_t nl;
		const char *next = find_ts(p, e, &nl);
		const char *stop = next ? next : e;
		pend_start(st, pd, p, (size_t)(stop - p), lineno, (int)(p - b) + 1, level,
		           (size_t)(e - b));
		ts = next;
		tl = nl;
		level = -1;
	}
}

/* Whether byte c is a control character a kernel line never holds (tab is
 * text; CR and LF end lines before this point). */
static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Length of the terminal escape sequence at s[0] == ESC (n bytes left):
 * CSI "ESC [ params final" (colours), the strings OSC "ESC ] ... BEL" or
 * "... ESC \\" (window titles, hyperlinks) and DCS/SOS/PM/APC likewise
 * (ESC P, X, ^, _), and the short "ESC intermediates final" forms.  An
 * unterminated sequence runs to the end of the line. */
static size_t escape_len(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 2)
		return n;
	if (s[1] == '[') {
		for (i = 2; i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e);)
			i++;
		return i < n ? i + 1 : n;
	}
	if (strchr("]PX^_", s[1])) {
		for (i = 2; i < n; i++) {
			if (s[i] == '\a')
				return i + 1;
			if (s[i] == '\x1b' && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x2f)
		i++; /* intermediate bytes */
	return i < n ? i + 1 : n;
}

/* Copies [b, e) into *scratch without terminal escape sequences (ANSI
 * colours, OSC titles and links: escape_len) and other control characters,
 * and with no-break spaces (U+00A0, added by forum software) turned into
 * spaces; returns the new end.  Lines without either are used as is. */
static const char *clean_line(const char **b, const char *e, char **scratch, size_t *cap, bool *oom)
{
	size_t n = (size_t)(e - *b);
	const char *s = *b;
	size_t first = 0;
	while (first < n && !is_control((unsigned char)s[first]) && s[first] != '\xc2')
		first++;
	if (first == n)
		return e;
	if (n + 1 > *cap) {
		char *nb = realloc(*scratch, n + 1);
		if (!nb) {
			*oom = true;
			return e;
		}
		*scratch = nb;
		*cap = n + 1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '\x1b') {
			i += escape_len(s + i, n - i);
			continue;
		}
		if (is_control((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (s[i] == '\xc2' && i + 1 < n && s[i + 1] == '\xa0') {
			(*scratch)[k++] = ' ';
			i += 2;
			continue;
		}
		(*scratch)[k++] = s[i++];
	}
	*b = *scratch;
	return *scratch + k;
}

/* A log quoted in a mail reply: "> Xen: 0000000000000000 - ...", also
 * nested ("> > ", ">> ").  No kernel line starts with '>', so every leading
 * '>' and the blank after each is removed; returns the new start (end when
 * nothing else is left). */
static const char *unquote(const char *b, const char *e)
{
	const char *p = b;
	while (p < e && *p == '>') {
		p++;
		if (p < e && *p == ' ')
			p++;
		const char *q = p;
		while (q < e && *q == ' ')
			q++;
		if (q < e && *q == '>')
			p = q;
	}
	if (p == b)
		return b;
	const char *q = p;
	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	return q == e ? e : p;
}

/* Feeds every physical line of the text to the splitter. */
void dm_split_text(importer *st, const char *text, size_t len)
{
	pending pd = {0};
	char *scratch = NULL; /* a cleaned copy of the current line */
	size_t scratch_cap = 0;
	bool ts_mode = false, header = true;
	const char *p = text, *end = text + len;
	int lineno = 0;
	while (p < end && !st->oom) {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		lineno++;
		bool blank = true;
		for (const char *q = p; q < e && blank; q++)
			blank = (*q == ' ' || *q == '\t');
		if (header && e > p && *p == '#') {
			/* the "# " header block of our test logs */
		} else if (blank) {
			pend_flush(st, &pd);
		} else {
			header = false;
			const char *cb = p;
			const char *ce = clean_line(&cb, e, &scratch, &scratch_cap, &st->oom);
			const char *qb = unquote(cb, ce);
			if (qb == ce)
				pend_flush(st, &pd); /* a quoted blank line */
			else
				split_line(st, &pd, qb, ce, lineno, &ts_mode);
		}
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		p = e + 1;
	}
	pend_flush(st, &pd);
	free(pd.buf);
	free(scratch);
}

/* ------------------------------------------------------------------------ */
/* Input checks                                                             */
/* ------------------------------------------------------------------------ */

/* Length of a valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	unsigned v = c & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3fu);
	}
	return (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) ? 0 : n;
}

bool dm_check_bytes(const char *text, size_t len, pgt_diags *d)
{
	if (len == 0) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1, "empty file");
		return false;
	}
	if (len > PGT_DMESG_MAX_BYTES) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1,
		              "file is %zu bytes; logs larger than 64 MiB are rejected (keep only "
		              "the boot messages)",
		              len);
		return false;
	}
	if (pgt_diags_utf16(d, text, len))
		return false;
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	int line = 1, col = 1;
	bool any_text = false;
	while (p < end) {
		if (*p == 0) {
			pgt_diags_add(d, PGT_DIAG_ERROR, line, col,
			              "binary data: NUL byte at offset %zu (not a text log)",
			              (size_t)(p - (const unsigned char *)text));
			return false;
		}
		size_t n = utf8_len(p, end);
		if (n == 0) {
			pgt_diags_add(d, PGT_DIAG_ERROR, line, col,
			              "not UTF-8 text: invalid byte 0x%02x", (unsigned)*p);
			return false;
		}
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		any_text = any_text || !isspace(*p);
		p += n;
	}
	if (!any_text) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1, "file has no text (only blank lines)");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* Is it a log at all?                                                      */
/* ------------------------------------------------------------------------ */

bool pgt_dmesg_looks_like_log(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '['))
		if (text[i] == '{' || !ts_len(text + i, text + len))
			return false; /* JSON */
	size_t lim = len < ((size_t)1 << 16) ? len : ((size_t)1 << 16);
	static const char *const marks[] = {"Linux version ",
	                                    "BIOS-e820:",
	                                    "e820: ",
	                                    "Command line:",
	                                    "init_memory_mapping",
	                                    "Xen: ",
	                                    "BIOS-provided physical RAM map"};
	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
		size_t k = strlen(marks[m]);
		for (size_t p = 0; p + k <= lim; p++)
			if (text[p] == marks[m][0] && memcmp(text + p, marks[m], k) == 0)
				return true;
	}
	size_t tl;
	return find_ts(text, text + lim, &tl) != NULL;
}
