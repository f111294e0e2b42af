/*
 * pgtviz check LOG [--json] [--kernel VER] [--scheme NAME] [--all]
 *
 * "Replay my dmesg with a verdict": imports a real boot log, simulates the
 * machine it describes with the version model of the logged kernel, and
 * compares the mapping lines the simulator predicts with the ones the kernel
 * printed.
 *
 * What is compared (pgt_dmesg_kind_compared): init_memory_mapping headers,
 * the per-range "page 4k/2M/1G" lines, "kernel direct mapping tables up to",
 * "BRK [...] PGTABLE", "xen: setting RW the range", plus any other kind of
 * line the simulator marks as `mapping` in this run (the core decides, e.g.
 * for the 2.6.2x "last_map_addr:").  Predicted lines are the simulator's log
 * lines marked `mapping`, of those kinds, that this kernel printed by default
 * (`shown`;
 * pr_debug and removed lines only with --all, or when the log itself has
 * lines of that kind, i.e. was booted with dynamic debug), and - when the
 * log shows no KERN_DEBUG line at all - only the KERN_INFO ones.
 *
 * The two lists are aligned by longest common subsequence.  The output is a
 * side-by-side table, then exactly one last line
 *     check: M of N lines match (model MODEL)
 * with N = compared lines in the log and M = lines matched in order.
 * Exit 0: every log line matched and nothing extra was predicted; 1: any
 * difference; 2: the
 * log cannot be used.
 */
#include "commands.h"
#include "opts.h"

#include "pgtviz/dmesg.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options of one check run. */
typedef struct check_opts {
	const char *log;    /* path of the log ("-" = stdin) */
	bool json;          /* --json */
	bool all;           /* --all: also pr_debug-only / removed lines */
	uint32_t kver;      /* --kernel (0: from the log) */
	int scheme;         /* --scheme (-1: by version) */
	int sizing;         /* --sizing (PGT_SIZING_AUTO: by version, or inferred) */
	bool no_pse;        /* --no-pse: a CPU without PSE */
	uint32_t kaslr_pud; /* memory KASLR slot offset tried (0: none) */
} check_opts;

/* One compared line on either side. */
typedef struct cline {
	const char *text;
	int lineno; /* log line (expected side), 0 for predicted lines */
} cline;

/* One row of the alignment: a (log line), b (predicted), or both. */
typedef struct row {
	int a, b;  /* indexes, -1 when absent */
	bool same; /* a and b are equal */
} row;

static void usage(FILE *f)
{
	fputs("usage: pgtviz check LOG [--json] [--kernel VER] [--scheme NAME] [--all]\n"
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
	*o = (check_opts){NULL, false, false, 0, -1, PGT_SIZING_AUTO, false, 0};
	static const char *const sizings[] = {"A", "B", "C", NULL};
	const app_opt opts[] = {
	    APP_OPT("--json", OPT_TRUE, &o->json),
	    APP_OPT("--all", OPT_TRUE, &o->all),
	    APP_OPT("--no-pse", OPT_TRUE, &o->no_pse),
	    APP_OPT("--sizing", OPT_CHOICE, &o->sizing, .lo = PGT_SIZING_A, .choices = sizings),
	    APP_OPT("--kernel", OPT_KVER, &o->kver),
	    APP_OPT("--scheme", OPT_SCHEME, &o->scheme),
	};
	const app_cmd cmd = {"pgtviz check", opts, sizeof(opts) / sizeof(opts[0]),
	                     &o->log,        1,    usage};
	int r = app_parse(&cmd, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	char msg[160];
	if (o->kver && o->scheme >= 0 &&
	    !pgt_scheme_check_kver(o->scheme, o->kver, msg, sizeof(msg)))
		return app_error(cmd.prefix, "--kernel with --scheme %s: %s",
		                 pgt_scheme_name(o->scheme), msg);
	if (!o->log) {
		app_error(cmd.prefix, "no LOG given");
		usage(stderr);
		return 2;
	}
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Alignment (longest common subsequence)                                   */
/* ------------------------------------------------------------------------ */

/* Largest DP table (cells) before falling back to a greedy match. */
#define LCS_MAX_CELLS ((size_t)16 << 20)

static bool eq(const cline *a, size_t i, const cline *b, size_t j)
{
	return strcmp(a[i].text, b[j].text) == 0;
}

/* Appends rows for a[0..n) vs b[0..m) into rows (capacity n + m). */
static size_t lcs_rows(const cline *a, size_t n, const cline *b, size_t m, row *rows)
{
	size_t pre = 0, suf = 0, k = 0;
	while (pre < n && pre < m && eq(a, pre, b, pre))
		pre++;
	while (suf < n - pre && suf < m - pre && eq(a, n - 1 - suf, b, m - 1 - suf))
		suf++;
	for (size_t i = 0; i < pre; i++)
		rows[k++] = (row){(int)i, (int)i, true};
	size_t an = n - pre - suf, bm = m - pre - suf;
	uint32_t *t = NULL;
	if ((an + 1) * (bm + 1) <= LCS_MAX_CELLS)
		t = calloc((an + 1) * (bm + 1), sizeof(*t));
	if (t) { /* t[i][j] = LCS of the suffixes a[pre+i..], b[pre+j..] */
		size_t w = bm + 1;
		for (size_t i = an; i-- > 0;)
			for (size_t j = bm; j-- > 0;)
				t[i * w + j] = eq(a, pre + i, b, pre + j)
				                   ? t[(i + 1) * w + j + 1] + 1
				                   : (t[(i + 1) * w + j] >= t[i * w + j + 1]
				                          ? t[(i + 1) * w + j]
				                          : t[i * w + j + 1]);
		size_t i = 0, j = 0;
		while (i < an || j < bm) {
			if (i < an && j < bm && eq(a, pre + i, b, pre + j)) {
				rows[k++] = (row){(int)(pre + i), (int)(pre + j), true};
				i++, j++;
			} else if (j >= bm || (i < an && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
				rows[k++] = (row){(int)(pre + i++), -1, false};
			} else {
				rows[k++] = (row){-1, (int)(pre + j++), false};
			}
		}
		free(t);
	} else { /* too large for a table: greedy in-order matching */
		size_t j = 0;
		for (size_t i = 0; i < an; i++) {
			size_t f = j;
			while (f < bm && !eq(a, pre + i, b, pre + f))
				f++;
			if (f == bm) {
				rows[k++] = (row){(int)(pre + i), -1, false};
				continue;
			}
			while (j < f)
				rows[k++] = (row){-1, (int)(pre + j++), false};
			rows[k++] = (row){(int)(pre + i), (int)(pre + j++), true};
		}
		while (j < bm)
			rows[k++] = (row){-1, (int)(pre + j++), false};
	}
	for (size_t s = suf; s > 0; s--)
		rows[k++] = (row){(int)(n - s), (int)(m - s), true};
	return k;
}

/* Pairs the unmatched log and predicted lines between two matches into
 * "differs" rows, so the table shows them side by side. */
static size_t pair_rows(row *r, size_t k)
{
	size_t out = 0, i = 0;
	while (i < k) {
		if (r[i].same) {
			r[out++] = r[i++];
			continue;
		}
		size_t e = i;
		while (e < k && !r[e].same)
			e++;
		int as[2048], bs[2048];
		size_t na = 0, nb = 0;
		bool fits = e - i <= 2048;
		for (size_t x = i; x < e && fits; x++) {
			if (r[x].a >= 0)
				as[na++] = r[x].a;
			else
				bs[nb++] = r[x].b;
		}
		if (!fits) {
			while (i < e)
				r[out++] = r[i++];
			continue;
		}
		for (size_t x = 0; x < na || x < nb; x++)
			r[out++] = (row){x < na ? as[x] : -1, x < nb ? bs[x] : -1, false};
		i = e;
	}
	return out;
}

/* ------------------------------------------------------------------------ */
/* The run                                                                  */
/* ------------------------------------------------------------------------ */

/* Everything one check produces. */
typedef struct result {
	cline *exp;      /* compared lines of the log */
	size_t n_exp;    /* N */
	cline *pred;     /* compared predicted lines */
	size_t n_pred;   /* how many */
	row *rows;       /* the side-by-side alignment */
	size_t n_rows;   /* its length */
	size_t matched;  /* M: rows with both sides equal */
	char model[200]; /* pgt_sim_model() or the reason nothing ran */
	char panic[256]; /* predicted kernel panic message, or "" */
	pgt_sim *sim;    /* the run; owns the predicted texts */
	char *ptext;     /* texts of the table-page rows, PAGE_TEXT bytes each */
	size_t n_pages;  /* table pages of the log among exp */
	char note[400];  /* one explanatory note, or "" */
	int exit;        /* 0 all match, 1 differs / not simulated */
	bool refused;    /* over the core's cost bounds (message printed) */
} result;

/* The kinds compared: the fixed set, plus kinds the core marks `mapping`. */
static void compared_kinds(const pgt_sim *sim, bool cmp[])
{
	for (int k = 0; k < PGT_DMESG_KIND_COUNT; k++)
		cmp[k] = pgt_dmesg_kind_compared(k);
	for (size_t i = 0; sim && i < pgt_sim_log_count(sim); i++) {
		const pgt_logline *l = pgt_sim_log(sim, i);
		if (l->mapping)
			cmp[pgt_dmesg_classify(l->text)] = true;
	}
	cmp[PGT_DMESG_OTHER] = false;
}

static void collect_expected(const pgt_dmesg *dm, const bool cmp[], result *r)
{
	for (size_t i = 0; i < dm->n_lines; i++)
		if (cmp[dm->lines[i].kind])
			r->exp[r->n_exp++] = (cline){dm->lines[i].text, dm->lines[i].lineno};
}

/* Predicted lines this log could show. */
static bool collect_predicted(const pgt_sim *sim, const pgt_dmesg *dm, const check_opts *o,
                              const bool has_kind[], const bool cmp[], result *r)
{
	size_t n = pgt_sim_log_count(sim);
	r->pred = malloc((n ? n : 1) * sizeof(*r->pred));
	if (!r->pred)
		return false;
	for (size_t i = 0; i < n; i++) {
		const pgt_logline *l = pgt_sim_log(sim, i);
		int kind = pgt_dmesg_classify(l->text);
		if (!l->mapping || !cmp[kind])
			continue;
		if (!l->shown && !o->all && !has_kind[kind])
			continue;
		if (!dm->debug_visible && l->loglevel != PGT_LL_INFO)
			continue;
		if (kind == PGT_DMESG_BRK && dm->brk_not_printed && !o->all)
			continue;
		r->pred[r->n_pred++] = (cline){l->text, 0};
	}
	return true;
}

/* Size of one table-page row text ("table page 0x...", memblock). */
#define PAGE_TEXT 40

/* memblock=debug logs: the page-table pages the kernel took from memblock
 * (address and order) are compared in the same table, after the lines. */
static bool add_pages(const pgt_dmesg *dm, result *r)
{
	if (!dm->pages_shown || !r->sim)
		return true;
	const pgt_table *t = pgt_sim_tables(r->sim);
	size_t nt = pgt_sim_table_count(r->sim), np = 0;
	for (size_t i = 0; i < nt; i++)
		np += t[i].origin == PGT_ORIGIN_MEMBLOCK;
	cline *e = realloc(r->exp, (r->n_exp + dm->n_pages + 1) * sizeof(*e));
	if (e)
		r->exp = e;
	cline *p = realloc(r->pred, (r->n_pred + np + 1) * sizeof(*p));
	if (p)
		r->pred = p;
	r->ptext = malloc((dm->n_pages + np + 1) * PAGE_TEXT);
	if (!e || !p || !r->ptext)
		return false;
	char *x = r->ptext;
	for (size_t i = 0; i < dm->n_pages; i++, x += PAGE_TEXT) {
		snprintf(x, PAGE_TEXT, "table page 0x%llx", (unsigned long long)dm->pages[i].addr);
		r->exp[r->n_exp++] = (cline){x, dm->pages[i].lineno};
	}
	r->n_pages = dm->n_pages;
	for (size_t i = 0; i < nt; i++) {
		if (t[i].origin != PGT_ORIGIN_MEMBLOCK)
			continue;
		snprintf(x, PAGE_TEXT, "table page 0x%llx", (unsigned long long)t[i].pa);
		r->pred[r->n_pred++] = (cline){x, 0};
		x += PAGE_TEXT;
	}
	return true;
}

static bool simulate(const pgt_dmesg *dm, const check_opts *o, result *r)
{
	uint32_t kver = o->kver ? o->kver : dm->sc.kver;
	int scheme = o->scheme >= 0 ? o->scheme : pgt_dmesg_scheme_for(kver, dm->sc.movable_node);
	/* --scheme alone whose era the log's version is not in: that scheme's
	 * default version (--kernel with --scheme is checked by parse_args) */
	if (!o->kver && !pgt_scheme_accepts(scheme, kver))
		kver = 0;
	pgt_run_opts opts = pgt_run_opts_default(scheme);
	opts.kver = kver;
	opts.sizing = o->sizing;
	opts.kaslr_pud = o->kaslr_pud;
	opts.all_lines = o->all; /* with it the core marks every line `shown` */
	char why[256];
	if (!pgt_sim_cost_ok(&dm->sc, &opts, why, sizeof(why))) {
		fprintf(stderr, "pgtviz check: error: %s\n", why);
		r->refused = true;
		return false;
	}
	pgt_sim *sim = pgt_sim_run(&dm->sc, &opts);
	if (!sim)
		return false;
	r->sim = sim;
	snprintf(r->model, sizeof(r->model), "%s", pgt_sim_model(sim));
	const char *p = pgt_sim_panic(sim);
	if (p)
		snprintf(r->panic, sizeof(r->panic), "%s", p);
	return true;
}

static bool run_once(const pgt_dmesg *dm, const check_opts *o, result *r)
{
	bool has_kind[PGT_DMESG_KIND_COUNT] = {false}, cmp[PGT_DMESG_KIND_COUNT];
	for (size_t i = 0; i < dm->n_lines; i++)
		has_kind[dm->lines[i].kind] = true;
	r->exp = malloc((dm->n_lines ? dm->n_lines : 1) * sizeof(*r->exp));
	if (!r->exp)
		return false;
	if (!simulate(dm, o, r))
		return false;
	compared_kinds(r->sim, cmp);
	collect_expected(dm, cmp, r);
	if (r->sim && !collect_predicted(r->sim, dm, o, has_kind, cmp, r))
		return false;
	if (!add_pages(dm, r))
		return false;
	r->rows = malloc((r->n_exp + r->n_pred + 1) * sizeof(*r->rows));
	if (!r->rows)
		return false;
	r->n_rows = pair_rows(r->rows, lcs_rows(r->exp, r->n_exp, r->pred, r->n_pred, r->rows));
	for (size_t i = 0; i < r->n_rows; i++)
		r->matched += r->rows[i].same;
	bool all_ok = r->matched == r->n_exp && r->n_pred == r->n_exp && !r->panic[0];
	r->exit = all_ok ? 0 : 1;
	if (r->n_exp == 0 && r->n_pred == 0)
		snprintf(
		    r->note, sizeof(r->note),
		    "the log prints none of the compared mapping lines%s: nothing to compare",
		    dm->brk_not_printed && !o->all
		        ? " (4.4+ prints init_memory_mapping only with dynamic debug, and this "
		          "build prints no BRK lines: backport of their 5.8 removal)"
		        : " (normal for 5.8+ kernels, Xen PV guests and console captures)");
	else if (dm->brk_not_printed && !o->all)
		snprintf(r->note, sizeof(r->note),
		         "this %s build prints no BRK lines although its KERN_DEBUG lines are "
		         "visible (backport of the 5.8 removal): predicted BRK lines are not "
		         "compared",
		         dm->kernel_release);
	return true;
}

static void result_free(result *r)
{
	free(r->exp);
	free(r->pred);
	free(r->rows);
	free(r->ptext);
	pgt_sim_free(r->sim);
	memset(r, 0, sizeof(*r));
}

/* Which find_early_table_space sizing a 3.x distro kernel carries is not in
 * its version string (stable and distro kernels backported the 3.7 per-range
 * sizing, first sublevels unknown: docs/kernel-verification.md §3, §7), but
 * its "kernel direct mapping tables ... @" line shows it.  Without --sizing,
 * an old-scheme log with that line is also run with the other variants and
 * the best-matching one is kept, and said. */
/* Memory KASLR puts the direct map at a random GiB inside its PGD slot, and
 * the log does not say where (docs/kernel-model.md, "Known gaps").  When
 * the table pages of a KASLR boot differ, each place where RAM could cross
 * into the next slot (one PUD page more) is tried, lowest first; the first
 * that makes every page match is kept, and said. */
static bool infer_kaslr(const pgt_dmesg *dm, const check_opts *o, result *r)
{
	if (!dm->pages_shown || r->exit == 0 || !r->sim || !dm->sc.kaslr_memory || dm->sc.nokaslr ||
	    dm->sc.xen_pv || dm->bits == 32 || pgt_sim_kver(r->sim) < PGT_KVER(4, 8, 0))
		return true;
	uint64_t top = (uint64_t)pgt_sim_max_pfn(r->sim) << 12;
	for (uint32_t gib = 1; gib < 512 && ((uint64_t)gib << 30) < top; gib++) {
		check_opts alt = *o;
		alt.kaslr_pud = 512 - gib;
		result t;
		memset(&t, 0, sizeof(t));
		if (!run_once(dm, &alt, &t)) {
			result_free(&t);
			return false;
		}
		if (t.exit != 0) {
			result_free(&t);
			continue;
		}
		char was[200];
		snprintf(was, sizeof(was), "%zu of %zu", r->matched, r->n_exp);
		result_free(r);
		*r = t;
		snprintf(r->note, sizeof(r->note),
		         "memory KASLR inferred from the table pages: the direct map spans two "
		         "PGD slots, one PUD page more (the log does not show the randomised "
		         "base; the lowest crossing that fits is at %u GiB; without it: %s)",
		         gib, was);
		return true;
	}
	return true;
}

static bool run_check(const pgt_dmesg *dm, const check_opts *o, result *r)
{
	if (!run_once(dm, o, r))
		return false;
	if (!infer_kaslr(dm, o, r))
		return false;
	bool has_tables = false;
	for (size_t i = 0; i < dm->n_lines; i++)
		has_tables |= dm->lines[i].kind == PGT_DMESG_TABLES;
	if (o->sizing != PGT_SIZING_AUTO || !has_tables || !r->sim || r->exit == 0 ||
	    pgt_sim_scheme(r->sim) != PGT_SCHEME_PGTBUF)
		return true;
	static const int variants[] = {PGT_SIZING_A, PGT_SIZING_B, PGT_SIZING_C};
	static const char names[] = "?ABC";
	char was[200];
	snprintf(was, sizeof(was), "%s", r->model);
	size_t best_m[3];
	int best_e[3];
	bool improved = false;
	for (size_t v = 0; v < 3; v++) {
		check_opts alt = *o;
		alt.sizing = variants[v];
		result t;
		memset(&t, 0, sizeof(t));
		if (!run_once(dm, &alt, &t)) {
			result_free(&t);
			return false;
		}
		best_m[v] = t.matched;
		best_e[v] = t.exit;
		if (t.matched > r->matched || (t.matched == r->matched && t.exit < r->exit)) {
			result_free(r);
			*r = t;
			improved = true;
		} else {
			result_free(&t);
		}
	}
	if (improved) {
		char which[16] = "";
		for (size_t v = 0; v < 3; v++)
			if (best_m[v] == r->matched && best_e[v] == r->exit) {
				size_t l = strlen(which);
				snprintf(which + l, sizeof(which) - l, "%s%c", l ? " or " : "",
				         names[variants[v]]);
			}
		snprintf(
		    r->note, sizeof(r->note),
		    "sizing variant %s inferred from the log's table-buffer line (the version's "
		    "default gives: %s): this kernel carries a sizing backport",
		    which, was);
	}
	return true;
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
	if (o->kver)
		printf("version: simulated as %s (--kernel)\n",
		       pgt_kver_format(o->kver, kv, sizeof(kv)));
	else if (dm->kver_known && dm->sc.kver != dm->kver_log)
		printf("version: %s\n", pgt_dmesg_source(dm, "kver"));
	if (!dm->debug_visible)
		printf(
		    "level:   the log shows no KERN_DEBUG line: only KERN_INFO lines compared\n");
}

static void print_table(const result *r)
{
	int w = 24;
	for (size_t i = 0; i < r->n_exp; i++)
		if ((int)strlen(r->exp[i].text) > w)
			w = (int)strlen(r->exp[i].text);
	if (r->n_rows)
		printf("\n  %5s  %-*s | %s\n", "line", w, "expected (log)", "predicted (pgtviz)");
	for (size_t i = 0; i < r->n_rows; i++) {
		const row *x = &r->rows[i];
		char mark = x->same ? '=' : (x->a >= 0 && x->b >= 0) ? '!' : x->a >= 0 ? '-' : '+';
		char ln[16] = "";
		if (x->a >= 0)
			snprintf(ln, sizeof(ln), "%d", r->exp[x->a].lineno);
		printf("%c %5s  %-*s |%s%s\n", mark, ln, w, x->a >= 0 ? r->exp[x->a].text : "",
		       x->b >= 0 ? " " : "", x->b >= 0 ? r->pred[x->b].text : "");
	}
	if (r->n_rows)
		printf("  (= same, ! differs, - only in the log, + only predicted)\n");
}

static void print_text(const pgt_dmesg *dm, const check_opts *o, const result *r)
{
	print_header(dm, o);
	print_table(r);
	if (r->panic[0])
		printf("\npgtviz predicts a kernel panic: %s\n", r->panic);
	if (r->note[0])
		printf("\nnote: %s\n", r->note);
	printf("check: %zu of %zu %s match (model %s)\n", r->matched, r->n_exp,
	       !r->n_pages              ? "lines"
	       : r->n_pages == r->n_exp ? "table pages"
	                                : "lines and table pages",
	       r->model);
}

static bool print_json(const pgt_dmesg *dm, const check_opts *o, const result *r)
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
	    dm->sc.kver ? pgt_kver_format(o->kver ? o->kver : dm->sc.kver, kv, sizeof(kv)) : "");
	cJSON_AddStringToObject(j, "kver_log",
	                        dm->kver_log ? pgt_kver_format(dm->kver_log, kv, sizeof(kv)) : "");
	cJSON_AddNumberToObject(j, "bits", dm->bits);
	cJSON_AddStringToObject(j, "model", r->model);
	cJSON_AddBoolToObject(j, "debug_visible", dm->debug_visible);
	cJSON_AddNumberToObject(j, "compared", (double)r->n_exp);
	cJSON_AddNumberToObject(j, "matched", (double)r->matched);
	cJSON_AddNumberToObject(j, "predicted", (double)r->n_pred);
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
		const row *x = &r->rows[i];
		cJSON *l = cJSON_CreateObject();
		if (!l)
			break;
		if (x->a >= 0) {
			cJSON_AddStringToObject(l, "expected", r->exp[x->a].text);
			cJSON_AddNumberToObject(l, "line", r->exp[x->a].lineno);
		} else {
			cJSON_AddNullToObject(l, "expected");
			cJSON_AddNullToObject(l, "line");
		}
		if (x->b >= 0)
			cJSON_AddStringToObject(l, "predicted", r->pred[x->b].text);
		else
			cJSON_AddNullToObject(l, "predicted");
		cJSON_AddBoolToObject(l, "ok", x->same);
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
		fprintf(stderr, "pgtviz check: the log cannot be used\n");
		pgt_dmesg_free(&dm);
		return 2;
	}
	if (o.no_pse)
		dm.sc.cpu.pse = dm.sc.cpu.gbpages = false;
	result r;
	memset(&r, 0, sizeof(r));
	if (!run_check(&dm, &o, &r)) {
		if (!r.refused)
			fputs("pgtviz check: error: out of memory\n", stderr);
		rc = 2;
	} else if (o.json) {
		rc = print_json(&dm, &o, &r) ? r.exit : 2;
	} else {
		print_text(&dm, &o, &r);
		rc = r.exit;
	}
	result_free(&r);
	pgt_dmesg_free(&dm);
	return rc;
}
