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
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].msg);
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->errors = 0;
}

void pgt_diags_add(pgt_diags *d, int severity, int line, int col, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
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
	char *msg = strdup(buf);
	if (!msg)
		return;
	d->items[d->n++] = (pgt_diag){severity, line, col, msg};
}

void pgt_diags_print(const pgt_diags *d, FILE *out)
{
	static const char *const names[] = {"error", "warning", "note"};
	for (size_t i = 0; i < d->n; i++) {
		const pgt_diag *g = &d->items[i];
		const char *sev =
		    (g->severity >= 0 && g->severity <= 2) ? names[g->severity] : "error";
		if (g->line > 0 && g->col > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", d->file, g->line, g->col, sev, g->msg);
		else if (g->line > 0)
			fprintf(out, "%s:%d: %s: %s\n", d->file, g->line, sev, g->msg);
		else
			fprintf(out, "%s: %s: %s\n", d->file, sev, g->msg);
	}
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
