/* Diagnostics collection and GNU-style printing (see pgtviz/diag.h), and
 * the one check that names an input's wrong encoding (UTF-16). */
#include "pgtviz/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pgt_diags_init(pgt_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

void pgt_diags_free(pgt_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].msg);
		free(d->items[i].file);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->errors = 0;
}

/* Appends one item (file: owned copy or NULL); drops it if out of memory. */
static void push(pgt_diags *d, const char *file, int severity, int line, int col, const char *text)
{
	if (!d)
		return; /* the caller does not want the messages */
	if (severity == PGT_DIAG_ERROR)
		d->errors++;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		pgt_diag *items = realloc(d->items, cap * sizeof(*items));
		if (!items)
			return;
		d->items = items;
		d->cap = cap;
	}
	char *msg = strdup(text);
	char *f = file ? strdup(file) : NULL;
	if (!msg || (file && !f)) {
		free(msg);
		free(f);
		return;
	}
	/* a message quotes what it was given (an argument, a file name, a
	 * value): control characters other than tab and newline become '?' so
	 * that no terminal escape (ESC ] ... BEL, CSI) reaches the terminal */
	for (char *p = msg; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
			*p = '?';
	for (char *p = f; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	d->items[d->n++] = (pgt_diag){severity, line, col, msg, f};
}

void pgt_diags_add(pgt_diags *d, int severity, int line, int col, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push(d, NULL, severity, line, col, buf);
}

void pgt_diags_add_in(pgt_diags *d, const char *file, int severity, int line, int col,
                      const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push(d, file ? file : PGT_DIAG_PROGRAM, severity, line, col, buf);
}

void pgt_diags_error(pgt_diags *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push(d, PGT_DIAG_PROGRAM, PGT_DIAG_ERROR, 0, 0, buf);
}

void pgt_diags_append(pgt_diags *to, const pgt_diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const pgt_diag *g = &from->items[i];
		const char *f = g->file ? g->file : from->file ? from->file : PGT_DIAG_PROGRAM;
		push(to, f, g->severity, g->line, g->col, g->msg);
	}
}

const char *pgt_diags_format(const pgt_diags *d, size_t i, char *buf, size_t size)
{
	static const char *const names[] = {"error", "warning", "note"};
	if (!size)
		return buf;
	buf[0] = '\0';
	if (i >= d->n)
		return buf;
	const pgt_diag *g = &d->items[i];
	const char *sev = (g->severity >= 0 && g->severity <= 2) ? names[g->severity] : "error";
	const char *f = g->file ? g->file : d->file ? d->file : PGT_DIAG_PROGRAM;
	if (g->line > 0 && g->col > 0)
		snprintf(buf, size, "%s:%d:%d: %s: %s", f, g->line, g->col, sev, g->msg);
	else if (g->line > 0)
		snprintf(buf, size, "%s:%d: %s: %s", f, g->line, sev, g->msg);
	else
		snprintf(buf, size, "%s: %s: %s", f, sev, g->msg);
	return buf;
}

bool pgt_diags_first(const pgt_diags *d, int severity, char *buf, size_t size)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].severity == severity) {
			pgt_diags_format(d, i, buf, size);
			return true;
		}
	if (size)
		buf[0] = '\0';
	return false;
}

void pgt_diags_print(const pgt_diags *d, FILE *out)
{
	char line[5200];
	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s\n", pgt_diags_format(d, i, line, sizeof(line)));
}

/* 1 = UTF-16 LE, 2 = UTF-16 BE, 0 = neither.  Without a byte-order mark,
 * ASCII text in UTF-16 has a NUL as every second (LE) or first (BE) byte of
 * each pair: the first 256 bytes decide (at least 4 pairs, all matching). */
static int utf16_kind(const unsigned char *t, size_t len, bool *bom)
{
	*bom = len >= 2 && ((t[0] == 0xff && t[1] == 0xfe) || (t[0] == 0xfe && t[1] == 0xff));
	if (*bom)
		return t[0] == 0xff ? 1 : 2;
	size_t n = (len < 256 ? len : 256) / 2, le = 0, be = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = t[2 * i], b = t[2 * i + 1];
		le += a && a < 0x80 && !b;
		be += !a && b && b < 0x80;
	}
	return n < 4 ? 0 : le == n ? 1 : be == n ? 2 : 0;
}

bool pgt_diags_utf16(pgt_diags *d, const char *text, size_t len)
{
	bool bom;
	int k = utf16_kind((const unsigned char *)text, len, &bom);
	if (!k)
		return false;
	const char *name = k == 1 ? "UTF-16LE" : "UTF-16BE";
	pgt_diags_add(
	    d, PGT_DIAG_ERROR, 1, 1,
	    "the file is %s text%s, not UTF-8: convert it first, e.g. "
	    "iconv -f %s -t UTF-8 '%s' > '%s.utf8'",
	    name, bom ? (k == 1 ? " (byte-order mark FF FE)" : " (byte-order mark FE FF)") : "",
	    bom ? "UTF-16" : name, d->file ? d->file : "FILE", d->file ? d->file : "FILE");
	return true;
}
