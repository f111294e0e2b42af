/*
 * The simulation subcommands: log, trace, ptdump, list.  They share one
 * option parser: SCENARIO [--scheme NAME] [--kernel VERSION] [--xen|--no-xen]
 * [--xen-rule end|top] [--sizing A|B|C] [--all-lines] [--no-pse] [--step N].
 */
#include "commands.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_args {
	const char *scenario;
	pgt_run_opts opts;
	bool scheme_given;
	bool no_pse; /* --no-pse: a CPU without PSE (4 KiB pages only) */
	size_t step; /* SIZE_MAX: the end */
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
	        "  --xen-rule RULE   end (pgt_buf_end window, <= 2.6.38) or top (2.6.39+)\n"
	        "  --sizing V        old scheme sizing variant A, B or C\n"
	        "  --all-lines       also print lines that version hid (pr_debug 4.4+, 5.8+)\n"
	        "  --no-pse          a CPU without PSE: 4 KiB pages only (a log cannot\n"
	        "                    show it before the mapping is built)\n",
	        cmd);
	if (!strcmp(cmd, "ptdump"))
		fprintf(out, "  --step N          dump the tables as they were after event N\n");
}

/* Returns 0 on success, 2 on a usage error (message printed), 1 for --help. */
static int parse_sim_args(int argc, char **argv, sim_args *a)
{
	memset(a, 0, sizeof(*a));
	a->opts = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	a->step = SIZE_MAX;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			sim_usage(stdout, argv[0]);
			return 1;
		} else if (!strcmp(o, "--scheme") || !strcmp(o, "--kernel") ||
		           !strcmp(o, "--xen-rule") || !strcmp(o, "--sizing") ||
		           !strcmp(o, "--step")) {
			if (!val) {
				fprintf(stderr, "pgtviz %s: error: %s needs a value\n", argv[0], o);
				return 2;
			}
			i++;
			if (!strcmp(o, "--scheme")) {
				int s = pgt_scheme_parse(val);
				if (s < 0) {
					fprintf(stderr,
					        "pgtviz %s: error: unknown scheme '%s' (%s)\n",
					        argv[0], val, pgt_scheme_names_text());
					return 2;
				}
				a->opts.scheme = s;
				a->scheme_given = true;
			} else if (!strcmp(o, "--kernel")) {
				char msg[160];
				a->opts.kver = pgt_kver_check(val, msg, sizeof(msg));
				if (!a->opts.kver) {
					fprintf(stderr, "pgtviz %s: error: --kernel %s\n", argv[0],
					        msg);
					return 2;
				}
			} else if (!strcmp(o, "--xen-rule")) {
				if (!strcmp(val, "end"))
					a->opts.xen_rule = PGT_XEN_RULE_END;
				else if (!strcmp(val, "top"))
					a->opts.xen_rule = PGT_XEN_RULE_TOP;
				else {
					fprintf(stderr,
					        "pgtviz %s: error: --xen-rule takes end or top\n",
					        argv[0]);
					return 2;
				}
			} else if (!strcmp(o, "--sizing")) {
				if (!strcmp(val, "A"))
					a->opts.sizing = PGT_SIZING_A;
				else if (!strcmp(val, "B"))
					a->opts.sizing = PGT_SIZING_B;
				else if (!strcmp(val, "C"))
					a->opts.sizing = PGT_SIZING_C;
				else {
					fprintf(stderr,
					        "pgtviz %s: error: --sizing takes A, B or C\n",
					        argv[0]);
					return 2;
				}
			} else {
				char *end = NULL;
				unsigned long long v = strtoull(val, &end, 0);
				if (!end || *end || val[0] == '-') {
					fprintf(stderr,
					        "pgtviz %s: error: --step takes an event number\n",
					        argv[0]);
					return 2;
				}
				a->step = (size_t)v;
			}
		} else if (!strcmp(o, "--xen")) {
			a->opts.xen = 1;
		} else if (!strcmp(o, "--no-xen")) {
			a->opts.xen = 0;
		} else if (!strcmp(o, "--all-lines")) {
			a->opts.all_lines = true;
		} else if (!strcmp(o, "--no-pse")) {
			a->no_pse = true;
		} else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "pgtviz %s: error: unknown option '%s'\n", argv[0], o);
			return 2;
		} else if (!a->scenario) {
			a->scenario = o;
		} else {
			fprintf(stderr, "pgtviz %s: error: unexpected argument '%s'\n", argv[0], o);
			return 2;
		}
	}
	char msg[160];
	if (a->scheme_given &&
	    !pgt_scheme_check_kver(a->opts.scheme, a->opts.kver, msg, sizeof(msg))) {
		fprintf(stderr, "pgtviz %s: error: --kernel with --scheme %s: %s\n", argv[0],
		        pgt_scheme_name(a->opts.scheme), msg);
		return 2;
	}
	if (!a->scenario) {
		fprintf(stderr, "pgtviz %s: error: no scenario given\n", argv[0]);
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
	if (!app_load_scenario(a->scenario, sc)) {
		*status = 2;
		return NULL;
	}
	if (!a->scheme_given)
		a->opts.scheme = pick_scheme(sc, a->opts.kver);
	if (a->no_pse)
		sc->cpu.pse = sc->cpu.gbpages = false;
	if (a->step != SIZE_MAX)
		a->opts.max_events = (uint64_t)a->step + 1;
	pgt_sim *sim = pgt_sim_run(sc, &a->opts);
	if (!sim) {
		fprintf(stderr, "pgtviz: error: out of memory while simulating\n");
		*status = 2;
	}
	return sim;
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
		fprintf(stderr, "pgtviz ptdump: error: --step %zu is past the last event (%zu)\n",
		        a.step, pgt_sim_event_count(sim) ? pgt_sim_event_count(sim) - 1 : 0);
		status = 2;
	} else {
		char *d = pgt_sim_ptdump(sim, SIZE_MAX);
		if (!d) {
			fprintf(stderr, "pgtviz: error: out of memory\n");
			status = 2;
		} else {
			fputs(d, stdout);
			free(d);
		}
	}
	const char *panic = pgt_sim_panic(sim);
	if (panic)
		fprintf(stderr, "pgtviz: the simulated kernel panicked: %s\n", panic);
	pgt_sim_free(sim);
	pgt_scenario_clear(&sc);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pgtviz: error: writing the output failed\n");
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
	DIR *d = opendir(PGTVIZ_SCENARIO_DIR);
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
			if (app_load_scenario_quiet(name, &sc)) {
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

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: pgtviz list\n\nBuilt-in scenarios, the gallery in scenarios/, the "
		       "schemes.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "pgtviz list: error: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
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
