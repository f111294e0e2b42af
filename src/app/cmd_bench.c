/*
 * pgtviz bench: figures for the simulation ladder (time, table pages, events,
 * memory held per table page, minor page faults, huge pages) against what
 * this machine charges for clearing a 4 KiB page and for first-touching
 * fresh memory (measured in the same run, as is the load average), plus
 * rendering and export figures when the UI is built.  A table for people,
 * --json for scripts.  The core has no clock: timing lives here.  Runs use
 * the address-space arena (vmarena.h) like the window and export do.
 */
#define _DEFAULT_SOURCE 1 /* getloadavg, MAP_ANONYMOUS */
#include "commands.h"
#include "opts.h"
#include "pgtviz/vmarena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

static double tv_secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
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
	bool mb2; /* 2 MiB pages, no 1 GiB pages (nogbpages, or no pdpe1gb) */
	double secs;
	double cpu;        /* median CPU seconds (user + system) of the run */
	double tmin, tmax; /* fastest and slowest of the runs (wall) */
	double smin, smax; /* least and most system (kernel) time of the runs */
	int runs;
	size_t tables, events, mem;
	double faults;     /* minor page faults per run (mean) */
	size_t huge_bytes; /* arena bytes on huge pages at the end of the last run */
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

/* What first-touching fresh anonymous memory costs here, per 4 KiB: a new
 * 64 MiB mapping written once per 4 KiB page, without and with transparent
 * huge pages asked for (median of 3 mappings each). */
typedef struct fault_cost {
	double ns_4k;       /* per 4 KiB page, small pages */
	double ns_4k_huge;  /* per 4 KiB of a mapping with MADV_HUGEPAGE */
	double faults_huge; /* faults taken by the 64 MiB huge-page mapping */
} fault_cost;

static double touch_once(bool huge, long *faults)
{
	const size_t size = 64u << 20, align = 2u << 20;
	unsigned char *raw =
	    mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return 0;
	unsigned char *p =
	    (unsigned char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
	madvise(p, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#else
	(void)huge;
#endif
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	double a = now();
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 1;
	double t = (now() - a) / (double)(size / 4096);
	getrusage(RUSAGE_SELF, &r1);
	*faults = r1.ru_minflt - r0.ru_minflt;
	munmap(raw, size + align);
	return t;
}

static fault_cost measure_fault_cost(void)
{
	fault_cost fc = {0};
	double t[3], h[3], f[3];
	for (int i = 0; i < 3; i++) {
		long n;
		t[i] = touch_once(false, &n);
		h[i] = touch_once(true, &n);
		f[i] = (double)n;
	}
	fc.ns_4k = median(t, 3) * 1e9;
	fc.ns_4k_huge = median(h, 3) * 1e9;
	fc.faults_huge = median(f, 3);
	return fc;
}

/* The least and the most of v[0..n). */
static void min_max(const double *v, int n, double *lo, double *hi)
{
	*lo = *hi = v[0];
	for (int i = 1; i < n; i++) {
		*lo = v[i] < *lo ? v[i] : *lo;
		*hi = v[i] > *hi ? v[i] : *hi;
	}
}

static void run_row(row *r, int runs)
{
	pgt_scenario sc;
	pgt_builtin_bench(&sc, r->gib, r->k4);
	if (r->mb2)
		sc.cpu.gbpages = false;
	pgt_run_opts o = pgt_run_opts_default(pgt_scheme_parse(r->scheme));
	o.kver = pgt_builtin_bench_kver(o.scheme);
	o.alloc = pgt_vmarena();
	double t[9] = {0}, c[9] = {0}, sy[9] = {0};
	long flt = 0;
	for (int i = 0; i < runs; i++) {
		struct rusage r0, r1;
		getrusage(RUSAGE_SELF, &r0);
		double a = now();
		pgt_sim *s = pgt_sim_run(&sc, &o);
		t[i] = now() - a;
		getrusage(RUSAGE_SELF, &r1);
		sy[i] = tv_secs(r1.ru_stime) - tv_secs(r0.ru_stime);
		c[i] = tv_secs(r1.ru_utime) - tv_secs(r0.ru_utime) + sy[i];
		flt += r1.ru_minflt - r0.ru_minflt;
		if (!s) {
			r->panic = "out of memory";
			break;
		}
		r->tables = pgt_sim_table_count(s);
		r->events = pgt_sim_event_count(s);
		r->mem = pgt_sim_memory(s);
		if (i + 1 == runs)
			r->huge_bytes = pgt_vmarena_huge_bytes();
		r->panic = pgt_sim_panic(s) ? "panic" : NULL;
		snprintf(r->model, sizeof(r->model), "%s", pgt_sim_model(s));
		pgt_sim_free(s);
	}
	r->runs = runs;
	min_max(t, runs, &r->tmin, &r->tmax);
	min_max(sy, runs, &r->smin, &r->smax);
	r->secs = median(t, runs);
	r->cpu = median(c, runs);
	r->faults = (double)flt / runs;
	pgt_scenario_clear(&sc);
}

static void bench_usage(FILE *f)
{
	fprintf(f, "usage: pgtviz bench [--json] [--quick] [--rendering]\n\n"
	           "Simulation ladder (4 GiB to 64 TiB, default pages; 16 TiB, 2 MiB pages "
	           "only; 4 GiB to 16 TiB, 4k only),\nold and new scheme: median time, table "
	           "pages, events, memory; the "
	           "cost of\nclearing a 4 KiB page and the ratio time-per-table-page / "
	           "clear_page;\nrendering and export figures when built with the window.\n"
	           "--quick skips the 16 TiB 4k-only rows and renders 40 frames per "
	           "figure, not 120;\n--rendering measures rendering and export only.\n");
}

int cmd_bench(int argc, char **argv)
{
	bool json = false, quick = false, rendering = false;
	const app_opt opts[] = {APP_OPT("--json", OPT_TRUE, &json),
	                        APP_OPT("--quick", OPT_TRUE, &quick),
	                        APP_OPT("--rendering", OPT_TRUE, &rendering)};
	const app_cmd cmd = {"pgtviz bench", opts, 3, NULL, 0, bench_usage};
	int pr = app_parse(&cmd, argc, argv);
	if (pr)
		return pr == 1 ? 0 : pr;
	static const struct {
		uint64_t gib;
		bool k4;
		int runs;
		bool mb2;
	} ladder[] = {{4, false, 7, false},     {64, false, 7, false},   {1024, false, 7, false},
	              {65536, false, 7, false}, {16384, false, 5, true}, {4, true, 7, false},
	              {64, true, 5, false},     {1024, true, 5, false},  {16384, true, 5, false}};
	static const char *const schemes[] = {"pgtbuf", "top-down"};
	row rows[18];
	size_t nr = 0;
	double load0[3] = {0}, load1[3] = {0};
	getloadavg(load0, 3);
	char thp[32];
	bool huge = pgt_vmarena_hugepages(thp, sizeof(thp));
	fault_cost fc = measure_fault_cost();
	double cp = clear_page_time();
	for (size_t l = 0; l < sizeof(ladder) / sizeof(ladder[0]) && !rendering; l++) {
		if (quick && ladder[l].gib > 4096 && ladder[l].k4)
			continue;
		for (size_t s = 0; s < 2; s++) {
			row *r = &rows[nr++];
			memset(r, 0, sizeof(*r));
			r->scheme = schemes[s];
			r->gib = ladder[l].gib;
			r->k4 = ladder[l].k4;
			r->mb2 = ladder[l].mb2;
			if (!json)
				fprintf(stderr, "\rbench: %s %llu GiB%s ...          ", r->scheme,
				        (unsigned long long)r->gib, r->k4 ? " 4k-only" : "");
			run_row(r, ladder[l].runs);
		}
	}
	getloadavg(load1, 3);
	if (!json)
		fprintf(stderr, "\r%60s\r", "");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	const char *alloc = pgt_vmarena() ? "arena" : "libc";
	if (json) {
		printf("{\n  \"load_average_start\": [%.2f, %.2f, %.2f],\n"
		       "  \"load_average_end_simulation\": [%.2f, %.2f, %.2f],\n",
		       load0[0], load0[1], load0[2], load1[0], load1[1], load1[2]);
		printf("  \"clear_page_ns\": %.2f,\n  \"fault_ns_per_4k\": %.1f,\n"
		       "  \"fault_ns_per_4k_thp\": %.1f,\n  \"thp_mode\": \"%s\",\n"
		       "  \"thp_requested\": %s,\n  \"allocator\": \"%s\",\n"
		       "  \"peak_rss_kib\": %ld,\n  \"simulation\": [\n",
		       cp * 1e9, fc.ns_4k, fc.ns_4k_huge, thp, huge ? "true" : "false", alloc,
		       ru.ru_maxrss);
		for (size_t i = 0; i < nr; i++) {
			row *r = &rows[i];
			double per = r->tables ? r->secs / (double)r->tables : 0;
			printf("    {\"scheme\": \"%s\", \"model\": \"%s\", \"ram_gib\": %llu, "
			       "\"pages\": \"%s\", \"median_s\": %.6f, \"cpu_s\": %.6f, "
			       "\"table_pages\": %zu, "
			       "\"events\": %zu, \"memory_bytes\": %zu, "
			       "\"bytes_per_table_page\": %.1f, \"minor_faults\": %.0f, "
			       "\"huge_page_bytes\": %zu, \"per_table_over_clear_page\": %.3f, "
			       "\"runs\": %d, \"min_s\": %.6f, \"max_s\": %.6f, "
			       "\"sys_min_s\": %.6f, \"sys_max_s\": %.6f, "
			       "\"panic\": %s}%s\n",
			       r->scheme, r->model, (unsigned long long)r->gib,
			       r->k4    ? "4k"
			       : r->mb2 ? "2M"
			                : "default",
			       r->secs, r->cpu, r->tables, r->events, r->mem,
			       r->tables ? (double)r->mem / (double)r->tables : 0, r->faults,
			       r->huge_bytes, cp > 0 ? per / cp : 0, r->runs, r->tmin, r->tmax,
			       r->smin, r->smax, r->panic ? "true" : "false",
			       i + 1 < nr ? "," : "");
		}
		printf("  ]");
#ifdef PGTVIZ_HAVE_UI
		printf(",\n");
		ui_bench(stdout, true, quick);
#endif
		getloadavg(load1, 3);
		printf(",\n  \"load_average_end\": [%.2f, %.2f, %.2f]\n}\n", load1[0], load1[1],
		       load1[2]);
		return 0;
	}
	printf("Machine: load average %.2f %.2f %.2f (1/5/15 min) at the start; "
	       "transparent huge pages: %s%s\n",
	       load0[0], load0[1], load0[2], thp[0] ? thp : "unknown",
	       huge ? " (the arena asks for them)" : " (not asked for)");
	printf("First touch of fresh memory: %.0f ns per 4 KiB page; %.0f ns per 4 KiB with huge "
	       "pages (%.0f faults for 64 MiB)\n",
	       fc.ns_4k, fc.ns_4k_huge, fc.faults_huge);
	printf("clear_page (memset of 4 KiB, memory-bound): %.1f ns\n\n", cp * 1e9);
	printf("Simulation ladder (median wall time of the whole run, memory from the %s "
	       "allocator)\n",
	       alloc);
	printf("%-9s %9s %-7s %10s %10s %10s %10s %9s %7s %8s %8s %8s  %s\n", "scheme", "RAM",
	       "pages", "time", "cpu", "tables", "events", "memory", "B/table", "faults", "huge",
	       "t/clear", "note");
	for (size_t i = 0; i < nr; i++) {
		row *r = &rows[i];
		double per = r->tables ? r->secs / (double)r->tables : 0;
		char ram[32];
		if (r->gib >= 1024)
			snprintf(ram, sizeof(ram), "%llu TiB", (unsigned long long)(r->gib / 1024));
		else
			snprintf(ram, sizeof(ram), "%llu GiB", (unsigned long long)r->gib);
		/* Runs whose times spread by more than 10 % say so: a median of
		 * a few runs on a shared machine is not a figure to quote alone. */
		char spread[120] = "";
		if (r->runs > 1 && !r->panic && r->secs > 0 && (r->tmax - r->tmin) > 0.1 * r->secs)
			snprintf(spread, sizeof(spread),
			         "%d runs: %.2f-%.2f ms (kernel time %.0f-%.0f ms)", r->runs,
			         r->tmin * 1e3, r->tmax * 1e3, r->smin * 1e3, r->smax * 1e3);
		printf("%-9s %9s %-7s %8.2fms %8.2fms %10zu %10zu %6.1fMiB %7.1f %8.0f %5.0fMiB "
		       "%8.3f  %s%s\n",
		       r->scheme, ram,
		       r->k4    ? "4k"
		       : r->mb2 ? "2M"
		                : "default",
		       r->secs * 1e3, r->cpu * 1e3, r->tables, r->events,
		       (double)r->mem / (1 << 20),
		       r->tables ? (double)r->mem / (double)r->tables : 0, r->faults,
		       (double)r->huge_bytes / (1 << 20), cp > 0 ? per / cp : 0,
		       r->panic ? "the simulated kernel panics here (as the real one would)" : "",
		       spread);
	}
	printf("\ntime: wall clock; cpu: user + system time of the process for the run\n");
	printf("kernel time: system time of a run, mostly the kernel zeroing the fresh pages it "
	       "takes (on a virtual machine, memory the host must back again can make it vary "
	       "by a second)\n");
	printf("B/table: bytes the run holds per table page (target <= 64 on big maps)\n");
	printf("pages: default = 2 MiB and 1 GiB pages; 2M = 2 MiB pages only (nogbpages); "
	       "4k = 4 KiB only\n");
	printf("faults: minor page faults per run; huge: arena memory on huge pages after "
	       "the run\n");
	printf("t/clear: simulation time per table page / clear_page time\n");
	printf("load average after the simulation: %.2f %.2f %.2f\n", load1[0], load1[1], load1[2]);
	printf("process peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
#ifdef PGTVIZ_HAVE_UI
	printf("\n");
	ui_bench(stdout, false, quick);
	getloadavg(load1, 3);
	printf("\nload average at the end: %.2f %.2f %.2f\n", load1[0], load1[1], load1[2]);
#endif
	return 0;
}
