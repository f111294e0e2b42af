/* Diagnostics collection and GNU-style printing (see pgtviz/diag.h). */
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
