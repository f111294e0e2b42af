/* Rendering and export figures for `pgtviz bench` (built with the UI). */
#ifndef PGTVIZ_BENCH_UI_H
#define PGTVIZ_BENCH_UI_H

#include <stdbool.h>
#include <stdio.h>

/* Prints the rendering/export section: a table, or (json) one
 * `"rendering": {...}` member without a trailing newline.  quick: fewer
 * frames per figure. */
void ui_bench(FILE *out, bool json, bool quick);

#endif
