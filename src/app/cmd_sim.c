/*
 * The simulation subcommands: log, trace, ptdump, list.  They share one
 * option parser: SCENARIO [--scheme NAME] [--kernel VERSION] [--xen|--no-xen]
 * [--xen-rule end|top|top-nohook] [--sizing A|B|C] [--all-lines] [--no-pse]
 * [--direct-map-base ADDR], and for ptdump [--step N].
 */
#include "commands.h"
#include "opts.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_args {
	const char *scenario;
	pgt_run_opts opts;
	bool scheme_given;
	bool no_pse;   /* --no-pse: a CPU without PSE (4 KiB pages only) */
	uint64_t base; /* --direct-map-base: the measured direct-map base (0: none) */
	size_t step;   /* SIZE_MAX: the end */
	size_t table;  /* ptdump --table N: that table page's entries (SIZE_MAX: all) */
} sim_args;

static void sim_usage(FILE *out, const char *cmd)
{
	fprintf(out,
	        "usage: pgtviz %s SCENARIO [options]\n"
	        "\n"
	        "options:\n"
	        "  --scheme NAME     pgtbuf (old), top-down (new), bottom-up, chunk-end\n"
	        "                    (default: the scenario's first scheme)\n"
	        "  --kernel VERSION  version model, e.g. 3.0, 3.8, 3.9, 3.19, 4.4, 5.8\n"
	        "                    (default: the scenario's version if it suits the scheme)\n"
	        "  --xen, --no-xen   simulate a Xen PV guest, or not (default: the scenario)\n"
	        "  --xen-rule RULE   end (pgt_buf_end window: 2.6.37 to 2.6.39-rc5), top\n"
	        "                    (pgt_buf_top window and the pagetable_reserve hook:\n"
	        "                    2.6.39-3.8) or top-nohook (the window without the hook)\n"
	        "  --sizing V        old scheme sizing variant A, B or C\n"
	        "  --all-lines       also print lines that version hid (pr_debug 4.4+, 5.8+)\n"
	        "  --no-pse          a CPU without PSE: 4 KiB pages only (a log cannot\n"
	        "                    show it before the mapping is built)\n"
	        "  --direct-map-base ADDR  the direct map's virtual base as measured on\n"
	        "                    the running kernel (memory KASLR; no log prints it)\n",
	        cmd);
	if (!strcmp(cmd, "ptdump"))
		fprintf(out,
		        "  --step N          dump the tables as they were after event N\n"
		        "  --table N         only table page N (trace's #N): its entries, runs of\n"
		        "                    alike entries on one line\n");
}

static void usage_log(FILE *out)
{
	sim_usage(out, "log");
}
static void usage_trace(FILE *out)
{
	sim_usage(out, "trace");
}
static void usage_ptdump(FILE *out)
{
	sim_usage(out, "ptdump");
}

/* Returns 0 on success, 2 on a usage error (message printed), 1 for --help. */
static int parse_sim_args(int argc, char **argv, sim_args *a)
{
	memset(a, 0, sizeof(*a));
	a->opts = pgt_run_opts_default(-1);
	a->step = SIZE_MAX;
	a->table = SIZE_MAX;
	bool ptdump = !strcmp(argv[0], "ptdump");
	const app_opt opts[] = {
	    APP_OPT("--scheme", OPT_SCHEME, &a->opts.scheme),
	    APP_OPT("--kernel", OPT_KVER, &a->opts.kver),
	    APP_OPT("--xen", OPT_SET, &a->opts.xen, .lo = 1),
	    APP_OPT("--no-xen", OPT_SET, &a->opts.xen, .lo = 0),
	    APP_OPT("--xen-rule", OPT_CHOICE, &a->opts.xen_rule, .lo = PGT_XEN_RULE_END,
	            .choices = app_xen_rule_names),
	    APP_OPT("--sizing", OPT_CHOICE, &a->opts.sizing, .lo = PGT_SIZING_A,
	            .choices = app_sizing_names),
	    APP_OPT("--all-lines", OPT_TRUE, &a->opts.all_lines),
	    APP_OPT("--no-pse", OPT_TRUE, &a->no_pse),
	    APP_OPT("--direct-map-base", OPT_CUSTOM, &a->base, .fn = app_opt_direct_map_base),
	    APP_OPT("--step", OPT_COUNT, &a->step, .what = "an event number"),  /* ptdump only */
	    APP_OPT("--table", OPT_COUNT, &a->table, .what = "a table number"), /* ptdump only */
	};
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "pgtviz %s", argv[0]);
	app_cmd cmd = {
	    prefix,
	    opts,
	    sizeof(opts) / sizeof(opts[0]) - (ptdump ? 0 : 2), /* --step, --table: ptdump */
	    &a->scenario,
	    1,
	    !strcmp(argv[0], "log") ? usage_log : ptdump ? usage_ptdump : usage_trace};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r;
	a->scheme_given = a->opts.scheme >= 0;
	char msg[160];
	if (a->scheme_given &&
	    !pgt_scheme_check_kver(a->opts.scheme, a->opts.kver, msg, sizeof(msg)))
		return app_error(prefix, "--kernel with --scheme %s: %s",
		                 pgt_scheme_name(a->opts.scheme), msg);
	if (!a->scenario) {
		app_error(prefix, "no scenario given");
		sim_usage(stderr, argv[0]);
		return 2;
	}
	return 0;
}

/* The scheme to run without --scheme: the scenario's first; with --kernel V,
 * the scenario's first scheme that models V, else the scheme V used. */
static int pick_scheme(const pgt_scenario *sc, uint32_t kver)
{
	for (int i = 0; i < 2; i++)
		if (sc->schemes[i] >= 0 && pgt_scheme_accepts(sc->schemes[i], kver))
			return sc->schemes[i];
	return pgt_scheme_for_kver(kver);
}

/* Loads the scenario and runs it; NULL (message printed) on failure. */
static pgt_sim *load_and_run(sim_args *a, pgt_scenario *sc, int *status)
{
	memset(sc, 0, sizeof(*sc));
	if (!app_flush(app_load_scenario(a->scenario, sc, app_diags()))) {
		*status = 2;
		return NULL;
	}
	if (!a->scheme_given)
		a->opts.scheme = pick_scheme(sc, a->opts.kver);
	if (a->no_pse)
		sc->cpu.pse = sc->cpu.gbpages = false;
	if (a->base)
		sc->direct_map_base = a->base;
	if (a->step != SIZE_MAX)
		a->opts.max_events = (uint64_t)a->step + 1;
	char why[256];
	if (!pgt_sim_cost_ok(sc, &a->opts, why, sizeof(why))) {
		app_error("pgtviz", "%s (%s): %s", a->scenario, pgt_scheme_name(a->opts.scheme),
		          why);
		*status = 2;
		return NULL;
	}
	pgt_sim *sim = pgt_sim_run(sc, &a->opts);
	if (!sim) {
		app_error("pgtviz", "out of memory while simulating");
		*status = 2;
	}
	return sim;
}

/* ptdump --table N: one table page's entries; a refused Xen pin's
 * writable alias is marked when N holds it. */
static int dump_table(const pgt_sim *sim, size_t table)
{
	size_t nt = pgt_sim_table_count(sim);
	if (table >= nt) {
		app_error("pgtviz ptdump", "--table %zu: there are %zu table pages (0 to %zu)",
		          table, nt, nt ? nt - 1 : 0);
		return 2;
	}
	size_t alias = SIZE_MAX;
	for (size_t i = 0; i < pgt_sim_event_count(sim); i++) {
		pgt_event e = pgt_sim_event(sim, i);
		if (e.kind == PGT_EV_VIOLATION && (e.flags & 1) && e.b == table)
			alias = (size_t)(e.aux & 0xffff);
	}
	char *d = pgt_sim_table_dump(sim, table, alias);
	if (!d) {
		app_error("pgtviz", "out of memory");
		return 2;
	}
	fputs(d, stdout);
	free(d);
	return 0;
}

static int run_cmd(int argc, char **argv, int what)
{
	sim_args a;
	int r = parse_sim_args(argc, argv, &a);
	if (r)
		return r == 1 ? 0 : r;
	pgt_scenario sc;
	int status = 0;
	pgt_sim *sim = load_and_run(&a, &sc, &status);
	if (!sim) {
		pgt_scenario_clear(&sc);
		return status;
	}
	if (what == 0) {
		for (size_t i = 0; i < pgt_sim_log_count(sim); i++) {
			const pgt_logline *l = pgt_sim_log(sim, i);
			if (l->shown || a.opts.all_lines)
				printf("%s\n", l->text);
		}
	} else if (what == 1) {
		char buf[600];
		printf("# %s on %s\n", pgt_sim_model(sim), sc.name ? sc.name : a.scenario);
		for (size_t i = 0; i < pgt_sim_event_count(sim); i++)
			printf("%6zu %s\n", i, pgt_sim_event_text(sim, i, buf, sizeof(buf)));
	} else if (a.step != SIZE_MAX && pgt_sim_event_count(sim) <= a.step) {
		app_error("pgtviz ptdump", "--step %zu is past the last event (%zu)", a.step,
		          pgt_sim_event_count(sim) ? pgt_sim_event_count(sim) - 1 : 0);
		status = 2;
	} else if (a.table != SIZE_MAX) {
		status = dump_table(sim, a.table);
	} else {
		char *d = pgt_sim_ptdump(sim, SIZE_MAX);
		if (!d) {
			app_error("pgtviz", "out of memory");
			status = 2;
		} else {
			fputs(d, stdout);
			free(d);
		}
	}
	const char *panic = pgt_sim_panic(sim);
	if (panic)
		app_note("pgtviz", "the simulated boot stopped: %s", panic);
	pgt_sim_free(sim);
	pgt_scenario_clear(&sc);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		app_error("pgtviz", "writing the output failed");
		return 2;
	}
	return status;
}

int cmd_log(int argc, char **argv)
{
	return run_cmd(argc, argv, 0);
}

int cmd_trace(int argc, char **argv)
{
	return run_cmd(argc, argv, 1);
}

int cmd_ptdump(int argc, char **argv)
{
	return run_cmd(argc, argv, 2);
}

/* Scenario files of the gallery (scenarios/NAME.json) that are not built in. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_gallery(void)
{
	DIR *d = opendir(app_scenario_dir());
	if (!d)
		return;
	char *names[256];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);
		if (len > 5 && !strcmp(de->d_name + len - 5, ".json"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	bool header = false;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(names[i]) - 5), names[i]);
		if (pgt_builtin_find(name) < 0) {
			pgt_scenario sc;
			memset(&sc, 0, sizeof(sc));
			pgt_diags ignored; /* a gallery file that does not load is not listed */
			pgt_diags_init(&ignored, NULL);
			bool ok = app_load_scenario(name, &sc, &ignored);
			pgt_diags_free(&ignored);
			if (ok) {
				if (!header)
					printf("\ngallery (scenarios/, by name):\n");
				header = true;
				printf("  %-22s %s\n", name, sc.title ? sc.title : "");
			}
			pgt_scenario_clear(&sc);
		}
		free(names[i]);
	}
}

static void list_usage(FILE *f)
{
	fprintf(f, "usage: pgtviz list\n\nBuilt-in scenarios, the gallery in scenarios/, the "
	           "schemes.\n");
}

int cmd_list(int argc, char **argv)
{
	const app_cmd cmd = {"pgtviz list", NULL, 0, NULL, 0, list_usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	printf("built-in scenarios:\n");
	for (size_t i = 0; i < pgt_builtin_count(); i++)
		printf("  %-22s %s\n", pgt_builtin_name(i), pgt_builtin_title(i));
	list_gallery();
	printf("\nschemes (--scheme):\n");
	for (int s = 0; s < PGT_SCHEME_COUNT; s++) {
		const pgt_scheme_info *si = pgt_scheme_get(s);
		char label[48];
		if (si->alias)
			snprintf(label, sizeof(label), "%s (%s)", si->name, si->alias);
		else
			snprintf(label, sizeof(label), "%s", si->name);
		printf("  %-22s %s\n", label, si->summary);
	}
	printf("\nversion models (--kernel): see README.md, 'Schemes and version models'.\n");
	return 0;
}
