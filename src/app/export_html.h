/*
 * The HTML lesson writer of `pgtviz export` (export_html.c): one
 * self-contained page that runs pgtviz's wasm build in the browser.
 */
#ifndef PGTVIZ_APP_EXPORT_HTML_H
#define PGTVIZ_APP_EXPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pgtviz/core.h"
#include "pgtviz/diag.h"

/* What one page holds. */
typedef struct html_job {
	const char *out;        /* lesson.html */
	const pgt_scenario *sc; /* the loaded scenario (written into the page as JSON) */
	const char *arg;        /* SCENARIO as given (its base name names the file) */
	const char *name;       /* file-name-safe scenario name */
	const char *schemes;    /* --schemes (NULL: the scenario's pair) */
	const char *kver;       /* --kernel (NULL: none) */
	const char *theme;      /* --theme: built-in name or theme file */
	const char *title;      /* --title (NULL: the scenario's own title) */
} html_job;

/* Whether this binary can write pages (its browser build was made); why
 * not into why. */
bool pgt_html_available(char *why, size_t size);
/* Writes the page atomically; one message in dg and false on failure. */
bool pgt_html_export(const html_job *j, pgt_diags *dg);

#endif
