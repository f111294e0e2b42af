/*
 * Rendering and export figures for `pgtviz bench`.  (Filled in with the
 * renderer's measurements; see docs/performance.md.)
 */
#include "pgtviz/bench_ui.h"

void ui_bench(FILE *out, bool json)
{
	if (json)
		fprintf(out, "  \"rendering\": null");
	else
		fprintf(out, "Rendering/export figures: not measured yet in this build.\n");
}
