/*
 * pgtviz check LOG [--json] [--kernel VER] [--scheme NAME] [--all]
 *
 * "Replay my dmesg with a verdict": imports a real boot log, simulates the
 * machine it describes with the version model of the logged kernel, and
 * compares the mapping lines the simulator predicts with the ones the kernel
 * printed.
 *
 * The comparison itself (what is compared, the alignment, the inferences
 * of memory KASLR and of the sizing variant) is pgt_logcheck_run()
 * (src/load/logcheck.c), which the window's check panel uses too; this
 * file parses the options and prints the result.
 *
 * The output is a side-by-side table, then exactly one last line
 *     check: M of N lines match (model MODEL)
 * with N = compared lines in the log and M = lines matched in order.
 * Exit 0: every log line matched and nothing extra was predicted; 1: any
 * difference; 2: the
 * log cannot be used.
 */
#include "commands.h"
#include "opts.h"

#include "pgtviz/dmesg.h"
#include "pgtviz/logcheck.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options of one check run. */
typedef struct check_opts {
	const char *log;       /* path of the log ("-" = stdin) */
	bool json;             /* --json */
	bool no_pse;           /* --no-pse: a CPU without PSE */
	uint64_t base;         /* --direct-map-base (0: not given) */
	pgt_logcheck_opts run; /* --all, --kernel, --scheme, --sizing */
} check_opts;

static void usage(FILE *f)
{
	fputs("usage: pgtviz check LOG [--json] [--kernel VER] [--scheme NAME] [--all]\n"
	      "                  [--no-pse] [--direct-map-base ADDR]\n"
	      "\n"
	      "Simulates the machine of a boot log and compares the predicted mapping\n"
	      "lines (init_memory_mapping, page 4k/2M/1G, kernel direct mapping tables,\n"
	      "BRK PGTABLE, xen: setting RW, and any other line the simulator marks as\n"
	      "a mapping line) with the ones in the log.\n"
	      "\n"
	      "  --json          one JSON object instead of the side-by-side table\n"
	      "  --kernel VER    simulate this version instead of the log's\n"
	      "  --scheme NAME   pgtbuf (old), top-down (new), bottom-up, chunk-end\n"
	      "  --sizing V      old-scheme sizing variant A, B or C (default: the\n"
	      "                  version's, or the one the log's table-buffer line shows)\n"
	      "  --all           also compare lines that version printed only with\n"
	      "                  dynamic debug (4.4+) or no longer printed (5.8+)\n"
	      "  --no-pse        the CPU had no PSE (4 KiB pages only; a 5.8+ log\n"
	      "                  cannot show it)\n"
	      "  --direct-map-base ADDR\n"
	      "                  the direct map's virtual base as measured on the\n"
	      "                  running kernel (memory KASLR's random base: no log\n"
	      "                  line prints it); without it a KASLR log whose pages\n"
	      "                  differ is retried with each possible crossing\n"
	      "  -h, --help      show this help\n"
	      "\n"
	      "A memblock=debug log (3.9+) also shows every page-table page the kernel\n"
	      "took from memblock: their addresses are compared, in order, in the same\n"
	      "table.\n"
	      "\n"
	      "The last line is 'check: M of N lines match (model MODEL)' (\"table pages\"\n"
	      "or \"lines and table pages\" when pages are compared).\n"
	      "Exit status: 0 all lines match, 1 they differ, 2 the log cannot be used.\n",
	      f);
}

static int parse_args(int argc, char **argv, check_opts *o)
{
	*o = (check_opts){NULL, false, false, 0, pgt_logcheck_opts_default()};
	static const char *const sizings[] = {"A", "B", "C", NULL};
	const app_opt opts[] = {
	    APP_OPT("--json", OPT_TRUE, &o->json),
	    APP_OPT("--all", OPT_TRUE, &o->run.all),
	    APP_OPT("--no-pse", OPT_TRUE, &o->no_pse),
	    APP_OPT("--direct-map-base", OPT_CUSTOM, &o->base, .fn = app_opt_direct_map_base),
	    APP_OPT("--sizing", OPT_CHOICE, &o->run.sizing, .lo = PGT_SIZING_A, .choices = sizings),
	    APP_OPT("--kernel", OPT_KVER, &o->run.kver),
	    APP_OPT("--scheme", OPT_SCHEME, &o->run.scheme),
	};
	const app_cmd cmd = {"pgtviz check", opts, sizeof(opts) / sizeof(opts[0]),
	                     &o->log,        1,    usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	char msg[160];
	if (o->run.kver && o->run.scheme >= 0 &&
	    !pgt_scheme_check_kver(o->run.scheme, o->run.kver, msg, sizeof(msg)))
		return app_error(cmd.prefix, "--kernel with --scheme %s: %s",
		                 pgt_scheme_name(o->run.scheme), msg);
	if (!o->log) {
		app_error(cmd.prefix, "no LOG given");
		usage(stderr);
		return 2;
	}
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

static void print_header(const pgt_dmesg *dm, const check_opts *o)
{
	char kv[32];
	printf("log:     %s\n", o->log);
	printf("kernel:  %s",
	       dm->kernel_release[0] ? dm->kernel_release : "(no Linux version line)");
	if (dm->kver_line)
		printf(" (log line %d)", dm->kver_line);
	printf(", %s", dm->bits == 32 ? "i386" : "x86-64");
	if (dm->sc.xen_pv)
		printf(", Xen PV");
	printf("\n");
	if (o->run.kver)
		printf("version: simulated as %s (--kernel)\n",
		       pgt_kver_format(o->run.kver, kv, sizeof(kv)));
	else if (dm->kver_known && dm->sc.kver != dm->kver_log)
		printf("version: %s\n", pgt_dmesg_source(dm, "kver"));
	if (o->base)
		printf("direct map: 0x%llx (--direct-map-base): physical 0 sits %u GiB into its "
		       "PGD slot\n",
		       (unsigned long long)o->base, pgt_direct_map_pud(o->base));
	if (!dm->debug_visible)
		printf(
		    "level:   the log shows no KERN_DEBUG line: only KERN_INFO lines compared\n");
}

static void print_table(const pgt_logcheck *r)
{
	int w = 24;
	for (size_t i = 0; i < r->n_log; i++)
		if ((int)strlen(r->log[i].text) > w)
			w = (int)strlen(r->log[i].text);
	if (r->n_rows)
		printf("\n  %5s  %-*s | %s\n", "line", w, "expected (log)", "predicted (pgtviz)");
	for (size_t i = 0; i < r->n_rows; i++) {
		const pgt_lc_row *x = &r->rows[i];
		char mark = pgt_lc_mark(x->status);
		char ln[16] = "";
		if (x->a >= 0)
			snprintf(ln, sizeof(ln), "%d", r->log[x->a].lineno);
		printf("%c %5s  %-*s |%s%s\n", mark, ln, w, x->a >= 0 ? r->log[x->a].text : "",
		       x->b >= 0 ? " " : "", x->b >= 0 ? r->sim[x->b].text : "");
	}
	if (r->n_rows)
		printf("  (= same, ! differs, - only in the log, + only predicted)\n");
}

static void print_text(const pgt_dmesg *dm, const check_opts *o, const pgt_logcheck *r)
{
	print_header(dm, o);
	print_table(r);
	if (r->panic[0])
		printf("\npgtviz predicts a kernel panic: %s\n", r->panic);
	if (r->note[0])
		printf("\nnote: %s\n", r->note);
	printf("check: %zu of %zu %s match (model %s)\n", r->matched, r->n_log, pgt_lc_what(r),
	       r->model);
}

static bool print_json(const pgt_dmesg *dm, const check_opts *o, const pgt_logcheck *r)
{
	char kv[32];
	cJSON *j = cJSON_CreateObject();
	cJSON *lines = cJSON_CreateArray();
	if (!j || !lines) {
		cJSON_Delete(j);
		cJSON_Delete(lines);
		return false;
	}
	cJSON_AddStringToObject(j, "log", o->log);
	cJSON_AddStringToObject(j, "kernel", dm->kernel_release);
	cJSON_AddStringToObject(
	    j, "kver",
	    dm->sc.kver ? pgt_kver_format(o->run.kver ? o->run.kver : dm->sc.kver, kv, sizeof(kv))
	                : "");
	cJSON_AddStringToObject(j, "kver_log",
	                        dm->kver_log ? pgt_kver_format(dm->kver_log, kv, sizeof(kv)) : "");
	cJSON_AddNumberToObject(j, "bits", dm->bits);
	cJSON_AddStringToObject(j, "model", r->model);
	cJSON_AddBoolToObject(j, "debug_visible", dm->debug_visible);
	cJSON_AddNumberToObject(j, "compared", (double)r->n_log);
	cJSON_AddNumberToObject(j, "matched", (double)r->matched);
	cJSON_AddNumberToObject(j, "predicted", (double)r->n_sim);
	cJSON_AddNumberToObject(j, "table_pages", (double)r->n_pages);
	cJSON_AddNumberToObject(j, "exit", r->exit);
	if (r->panic[0])
		cJSON_AddStringToObject(j, "panic", r->panic);
	else
		cJSON_AddNullToObject(j, "panic");
	if (r->note[0])
		cJSON_AddStringToObject(j, "note", r->note);
	else
		cJSON_AddNullToObject(j, "note");
	for (size_t i = 0; i < r->n_rows; i++) {
		const pgt_lc_row *x = &r->rows[i];
		cJSON *l = cJSON_CreateObject();
		if (!l)
			break;
		if (x->a >= 0) {
			cJSON_AddStringToObject(l, "expected", r->log[x->a].text);
			cJSON_AddNumberToObject(l, "line", r->log[x->a].lineno);
		} else {
			cJSON_AddNullToObject(l, "expected");
			cJSON_AddNullToObject(l, "line");
		}
		if (x->b >= 0)
			cJSON_AddStringToObject(l, "predicted", r->sim[x->b].text);
		else
			cJSON_AddNullToObject(l, "predicted");
		cJSON_AddBoolToObject(l, "ok", x->status == PGT_LC_MATCH);
		cJSON_AddItemToArray(lines, l);
	}
	cJSON_AddItemToObject(j, "lines", lines);
	char *s = cJSON_Print(j);
	cJSON_Delete(j);
	if (!s)
		return false;
	puts(s);
	cJSON_free(s);
	return true;
}

int cmd_check(int argc, char **argv)
{
	check_opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	pgt_diags d;
	pgt_diags_init(&d, strcmp(o.log, "-") == 0 ? "<stdin>" : o.log);
	pgt_dmesg dm;
	bool ok = pgt_dmesg_load_file(o.log, &dm, &d);
	pgt_diags_print(&d, stderr);
	pgt_diags_free(&d);
	if (!ok) {
		app_error("pgtviz check", "the log cannot be used");
		pgt_dmesg_free(&dm);
		return 2;
	}
	if (o.no_pse)
		dm.sc.cpu.pse = dm.sc.cpu.gbpages = false;
	if (o.base)
		dm.sc.direct_map_base = o.base;
	pgt_logcheck r;
	pgt_diags_init(&d, NULL);
	if (!pgt_logcheck_run(&dm, &o.run, &r, &d)) {
		for (size_t i = 0; i < d.n; i++)
			app_error("pgtviz check", "%s", d.items[i].msg);
		pgt_diags_free(&d);
		pgt_dmesg_free(&dm);
		return 2;
	}
	pgt_diags_free(&d);
	if (o.json) {
		rc = print_json(&dm, &o, &r) ? r.exit : 2;
	} else {
		print_text(&dm, &o, &r);
		rc = r.exit;
	}
	pgt_logcheck_free(&r);
	pgt_dmesg_free(&dm);
	return rc;
}
