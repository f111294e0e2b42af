/*
 * pgtviz bench: figures for the simulation ladder (time, table pages, events,
 * memory) against the cost of clearing one 4 KiB page on this machine, plus
 * rendering and export figures when the UI is built.  A table for people,
 * --json for scripts.  The core has no clock: timing lives here.
 */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifdef PGTVIZ_HAVE_UI
#include "pgtviz/bench_ui.h"
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct row {
	const char *scheme;
	uint64_t gib;
	bool k4;
	double secs;
	size_t tables, events, mem;
	const char *panic;
	char model[160];
} row;

/* Median time of clearing one 4 KiB page (memset over a 64 MiB buffer, so the
 * figure is memory-bound like the kernel's clear_page at boot). */
static double clear_page_time(void)
{
	const size_t size = 64u << 20;
	unsigned char *buf = malloc(size);
	if (!buf)
		return 0;
	memset(buf, 1, size);
	double t[7];
	for (int r = 0; r < 7; r++) {
		double a = now();
		for (size_t off = 0; off < size; off += 4096)
			memset(buf + off, 0, 4096);
		t[r] = (now() - a) / (double)(size / 4096);
		buf[r] = (unsigned char)r; /* keep the stores */
	}
	volatile unsigned char sink = buf[3];
	(void)sink;
	free(buf);
	return median(t, 7);
}

static void run_row(row *r, int runs)
{
	pgt_scenario sc;
	pgt_builtin_bench(&sc, r->gib, r->k4);
	pgt_run_opts o = pgt_run_opts_default(pgt_scheme_parse(r->scheme));
	o.kver = pgt_builtin_bench_kver(o.scheme);
	double t[9];
	for (int i = 0; i < runs; i++) {
		double a = now();
		pgt_sim *s = pgt_sim_run(&sc, &o);
		t[i] = now() - a;
		if (!s) {
			r->panic = "out of memory";
			break;
		}
		r->tables = pgt_sim_table_count(s);
		r->events = pgt_sim_event_count(s);
		r->mem = pgt_sim_memory(s);
		r->panic = pgt_sim_panic(s) ? "panic" : NULL;
		snprintf(r->model, sizeof(r->model), "%s", pgt_sim_model(s));
		pgt_sim_free(s);
	}
	r->secs = median(t, runs);
	pgt_scenario_clear(&sc);
}

int cmd_bench(int argc, char **argv)
{
	bool json = false, quick = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: pgtviz bench [--json] [--quick]\n\n"
			       "Simulation ladder (4 GiB to 64 TiB, default pages; 4 GiB to 16 "
			       "TiB, 4k "
			       "only),\nold and new scheme: median time, table pages, events, "
			       "memory; the "
			       "cost of\nclearing a 4 KiB page and the ratio time-per-table-page / "
			       "clear_page;\nrendering and export figures when built with the "
			       "window.\n"
			       "--quick skips the 16 TiB 4k-only rows.\n");
			return 0;
		} else {
			fprintf(stderr, "pgtviz bench: error: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	static const struct {
		uint64_t gib;
		bool k4;
		int runs;
	} ladder[] = {{4, false, 7}, {64, false, 7}, {1024, false, 7}, {65536, false, 7},
	              {4, true, 7},  {64, true, 5},  {1024, true, 5},  {16384, true, 1}};
	static const char *const schemes[] = {"pgtbuf", "top-down"};
	row rows[16];
	size_t nr = 0;
	double cp = clear_page_time();
	for (size_t l = 0; l < sizeof(ladder) / sizeof(ladder[0]); l++) {
		if (quick && ladder[l].gib > 4096 && ladder[l].k4)
			continue;
		for (size_t s = 0; s < 2; s++) {
			row *r = &rows[nr++];
			memset(r, 0, sizeof(*r));
			r->scheme = schemes[s];
			r->gib = ladder[l].gib;
			r->k4 = ladder[l].k4;
			if (!json)
				fprintf(stderr, "\rbench: %s %llu GiB%s ...          ", r->scheme,
				        (unsigned long long)r->gib, r->k4 ? " 4k-only" : "");
			run_row(r, ladder[l].runs);
		}
	}
	if (!json)
		fprintf(stderr, "\r%60s\r", "");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (json) {
		printf("{\n  \"clear_page_ns\": %.2f,\n  \"peak_rss_kib\": %ld,\n  \"simulation\": "
		       "[\n",
		       cp * 1e9, ru.ru_maxrss);
		for (size_t i = 0; i < nr; i++) {
			row *r = &rows[i];
			double per = r->tables ? r->secs / (double)r->tables : 0;
			printf("    {\"scheme\": \"%s\", \"model\": \"%s\", \"ram_gib\": %llu, "
			       "\"pages\": "
			       "\"%s\", \"median_s\": %.6f, \"table_pages\": %zu, \"events\": %zu, "
			       "\"memory_bytes\": %zu, \"per_table_over_clear_page\": %.3f, "
			       "\"panic\": %s}%s\n",
			       r->scheme, r->model, (unsigned long long)r->gib,
			       r->k4 ? "4k" : "default", r->secs, r->tables, r->events, r->mem,
			       cp > 0 ? per / cp : 0, r->panic ? "true" : "false",
			       i + 1 < nr ? "," : "");
		}
		printf("  ]");
#ifdef PGTVIZ_HAVE_UI
		printf(",\n");
		ui_bench(stdout, true);
#endif
		printf("\n}\n");
		return 0;
	}
	printf("Simulation ladder (median wall time of the whole run)\n");
	printf("%-9s %9s %-7s %10s %11s %11s %10s %9s  %s\n", "scheme", "RAM", "pages", "time",
	       "tables", "events", "memory", "t/clear", "note");
	for (size_t i = 0; i < nr; i++) {
		row *r = &rows[i];
		double per = r->tables ? r->secs / (double)r->tables : 0;
		char ram[32];
		if (r->gib >= 1024)
			snprintf(ram, sizeof(ram), "%llu TiB", (unsigned long long)(r->gib / 1024));
		else
			snprintf(ram, sizeof(ram), "%llu GiB", (unsigned long long)r->gib);
		printf("%-9s %9s %-7s %8.2fms %11zu %11zu %8.1fMiB %9.3f  %s\n", r->scheme, ram,
		       r->k4 ? "4k" : "default", r->secs * 1e3, r->tables, r->events,
		       (double)r->mem / (1 << 20), cp > 0 ? per / cp : 0,
		       r->panic ? "the simulated kernel panics here (as the real one would)" : "");
	}
	printf("\nclear_page (memset of 4 KiB, memory-bound): %.1f ns\n", cp * 1e9);
	printf("t/clear: simulation time per table page / clear_page time (target <= 1.0)\n");
	printf("process peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
#ifdef PGTVIZ_HAVE_UI
	printf("\n");
	ui_bench(stdout, false);
#endif
	return 0;
}
