/*
 * logcheck.c: a boot log's mapping lines against the simulation's
 * (logcheck.h).  Moved out of `pgtviz check` so the window can show the
 * same comparison: this file runs the simulations and aligns the lines;
 * cmd_check.c prints the result, the view draws it (view_check.c).
 *
 * Steps: simulate the log's machine with the version model of the logged
 * kernel (run_once: collect the compared kinds, the log's lines, the
 * predicted lines, the memblock table pages; align by longest common
 * subsequence; pair the unmatched lines between matches), then the two
 * inferences of run_check (memory KASLR's second PGD slot, the old
 * scheme's sizing variant), then the event each row belongs to.
 */
#include "pgtviz/logcheck.h"
#include "pgtviz/safe_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pgt_logcheck_opts pgt_logcheck_opts_default(void)
{
	return (pgt_logcheck_opts){false, 0, -1, PGT_SIZING_AUTO, 0};
}

char pgt_lc_mark(int status)
{
	static const char marks[] = "=!-+";
	return status >= 0 && status < 4 ? marks[status] : '?';
}

const char *pgt_lc_what(const pgt_logcheck *r)
{
	return !r->n_pages              ? "lines"
	       : r->n_pages == r->n_log ? "table pages"
	                                : "lines and table pages";
}

size_t pgt_lc_unmatched(const pgt_logcheck *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_rows; i++)
		n += r->rows[i].status != PGT_LC_MATCH;
	return n;
}

/* ------------------------------------------------------------------------ */
/* Alignment (longest common subsequence)                                   */
/* ------------------------------------------------------------------------ */

/* Largest DP table (cells) before falling back to a greedy match. */
#define LCS_MAX_CELLS ((size_t)16 << 20)

static bool eq(const pgt_lc_line *a, size_t i, const pgt_lc_line *b, size_t j)
{
	return strcmp(a[i].text, b[j].text) == 0;
}

static pgt_lc_row mkrow(int a, int b, bool same)
{
	return (pgt_lc_row){a, b,
	                    same               ? PGT_LC_MATCH
	                    : a >= 0 && b >= 0 ? PGT_LC_DIFFERS
	                    : a >= 0           ? PGT_LC_LOG_ONLY
	                                       : PGT_LC_SIM_ONLY,
	                    false, 0};
}

/* The DP alignment of a[pre..pre+an) vs b[pre..pre+bm) into rows at k;
 * false when the table cannot be allocated. */
static bool lcs_table(const pgt_lc_line *a, const pgt_lc_line *b, size_t pre, size_t an, size_t bm,
                      pgt_lc_row *rows, size_t *k)
{
	uint32_t *t = NULL;
	if ((an + 1) * (bm + 1) <= LCS_MAX_CELLS)
		t = calloc((an + 1) * (bm + 1), sizeof(*t));
	if (!t)
		return false;
	/* t[i][j] = LCS of the suffixes a[pre+i..], b[pre+j..] */
	size_t w = bm + 1;
	for (size_t i = an; i-- > 0;)
		for (size_t j = bm; j-- > 0;)
			t[i * w + j] = eq(a, pre + i, b, pre + j) ? t[(i + 1) * w + j + 1] + 1
			               : (t[(i + 1) * w + j] >= t[i * w + j + 1])
			                   ? t[(i + 1) * w + j]
			                   : t[i * w + j + 1];
	size_t i = 0, j = 0;
	while (i < an || j < bm) {
		if (i < an && j < bm && eq(a, pre + i, b, pre + j)) {
			rows[(*k)++] = mkrow((int)(pre + i), (int)(pre + j), true);
			i++, j++;
		} else if (j >= bm || (i < an && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			rows[(*k)++] = mkrow((int)(pre + i++), -1, false);
		} else {
			rows[(*k)++] = mkrow(-1, (int)(pre + j++), false);
		}
	}
	free(t);
	return true;
}

/* Too large for a table: greedy in-order matching. */
static void lcs_greedy(const pgt_lc_line *a, const pgt_lc_line *b, size_t pre, size_t an, size_t bm,
                       pgt_lc_row *rows, size_t *k)
{
	size_t j = 0;
	for (size_t i = 0; i < an; i++) {
		size_t f = j;
		while (f < bm && !eq(a, pre + i, b, pre + f))
			f++;
		if (f == bm) {
			rows[(*k)++] = mkrow((int)(pre + i), -1, false);
			continue;
		}
		while (j < f)
			rows[(*k)++] = mkrow(-1, (int)(pre + j++), false);
		rows[(*k)++] = mkrow((int)(pre + i), (int)(pre + j++), true);
	}
	while (j < bm)
		rows[(*k)++] = mkrow(-1, (int)(pre + j++), false);
}

/* Appends rows for a[0..n) vs b[0..m) into rows (capacity n + m). */
static size_t lcs_rows(const pgt_lc_line *a, size_t n, const pgt_lc_line *b, size_t m,
                       pgt_lc_row *rows)
{
	size_t pre = 0, suf = 0, k = 0;
	while (pre < n && pre < m && eq(a, pre, b, pre))
		pre++;
	while (suf < n - pre && suf < m - pre && eq(a, n - 1 - suf, b, m - 1 - suf))
		suf++;
	for (size_t i = 0; i < pre; i++)
		rows[k++] = mkrow((int)i, (int)i, true);
	size_t an = n - pre - suf, bm = m - pre - suf;
	if (!lcs_table(a, b, pre, an, bm, rows, &k))
		lcs_greedy(a, b, pre, an, bm, rows, &k);
	for (size_t s = suf; s > 0; s--)
		rows[k++] = mkrow((int)(n - s), (int)(m - s), true);
	return k;
}

/* Pairs the unmatched log and predicted lines between two matches into
 * "differs" rows, so the table shows them side by side. */
static size_t pair_rows(pgt_lc_row *r, size_t k)
{
	size_t out = 0, i = 0;
	while (i < k) {
		if (r[i].status == PGT_LC_MATCH) {
			r[out++] = r[i++];
			continue;
		}
		size_t e = i;
		while (e < k && r[e].status != PGT_LC_MATCH)
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
			r[out++] = mkrow(x < na ? as[x] : -1, x < nb ? bs[x] : -1, false);
		i = e;
	}
	return out;
}

/* The event of each row: its predicted line's, else the one above. */
static void row_events(pgt_logcheck *r)
{
	uint32_t last = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		pgt_lc_row *x = &r->rows[i];
		x->exact = x->b >= 0;
		if (x->exact)
			last = r->sim[x->b].event;
		x->event = last;
	}
}

/* ------------------------------------------------------------------------ */
/* The run                                                                  */
/* ------------------------------------------------------------------------ */

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

static void collect_expected(const pgt_dmesg *dm, const bool cmp[], pgt_logcheck *r)
{
	for (size_t i = 0; i < dm->n_lines; i++)
		if (cmp[dm->lines[i].kind])
			r->log[r->n_log++] =
			    (pgt_lc_line){dm->lines[i].text, dm->lines[i].lineno, 0, false};
}

/* Predicted lines this log could show. */
static bool collect_predicted(const pgt_sim *sim, const pgt_dmesg *dm, const pgt_logcheck_opts *o,
                              const bool has_kind[], const bool cmp[], pgt_logcheck *r)
{
	size_t n = pgt_sim_log_count(sim);
	r->sim = malloc((n ? n : 1) * sizeof(*r->sim));
	if (!r->sim)
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
		r->sim[r->n_sim++] = (pgt_lc_line){l->text, 0, l->event, false};
	}
	return true;
}

/* Size of one table-page row text ("table page 0x...", memblock). */
#define PAGE_TEXT 40

/* memblock=debug logs: the page-table pages the kernel took from memblock
 * (address and order) are compared in the same table, after the lines. */
static bool add_pages(const pgt_dmesg *dm, pgt_logcheck *r)
{
	if (!dm->pages_shown || !r->run)
		return true;
	size_t nt = pgt_sim_table_count(r->run), np = 0;
	for (size_t i = 0; i < nt; i++)
		np += pgt_sim_table(r->run, i).origin == PGT_ORIGIN_MEMBLOCK;
	pgt_lc_line *e = realloc(r->log, (r->n_log + dm->n_pages + 1) * sizeof(*e));
	if (e)
		r->log = e;
	pgt_lc_line *p = realloc(r->sim, (r->n_sim + np + 1) * sizeof(*p));
	if (p)
		r->sim = p;
	r->page_text = malloc((dm->n_pages + np + 1) * PAGE_TEXT);
	if (!e || !p || !r->page_text)
		return false;
	char *x = r->page_text;
	for (size_t i = 0; i < dm->n_pages; i++, x += PAGE_TEXT) {
		snprintf(x, PAGE_TEXT, "table page 0x%llx", (unsigned long long)dm->pages[i].addr);
		r->log[r->n_log++] = (pgt_lc_line){x, dm->pages[i].lineno, 0, true};
	}
	r->n_pages = dm->n_pages;
	for (size_t i = 0; i < nt; i++) {
		pgt_table t = pgt_sim_table(r->run, i);
		if (t.origin != PGT_ORIGIN_MEMBLOCK)
			continue;
		snprintf(x, PAGE_TEXT, "table page 0x%llx", (unsigned long long)t.pa);
		r->sim[r->n_sim++] = (pgt_lc_line){x, 0, t.alloc_event, true};
		x += PAGE_TEXT;
	}
	return true;
}

static bool simulate(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                     pgt_diags *dg)
{
	uint32_t kver = o->kver ? o->kver : dm->sc.kver;
	int scheme = o->scheme >= 0 ? o->scheme : pgt_dmesg_scheme_for(kver, dm->sc.movable_node);
	/* a forced scheme whose era the log's version is not in: that scheme's
	 * default version (a forced version with it is checked by the caller) */
	if (!o->kver && !pgt_scheme_accepts(scheme, kver))
		kver = 0;
	pgt_run_opts opts = pgt_run_opts_default(scheme);
	opts.kver = kver;
	opts.sizing = o->sizing;
	opts.kaslr_pud = o->kaslr_pud;
	opts.all_lines = o->all; /* with it the core marks every line `shown` */
	char why[256];
	if (!pgt_sim_cost_ok(&dm->sc, &opts, why, sizeof(why))) {
		pgt_diags_error(dg, "%s", why);
		return false;
	}
	pgt_sim *sim = pgt_sim_run(&dm->sc, &opts);
	if (!sim) {
		pgt_diags_error(dg, "out of memory");
		return false;
	}
	r->run = sim;
	snprintf(r->model, sizeof(r->model), "%s", pgt_sim_model(sim));
	const char *p = pgt_sim_panic(sim);
	if (p)
		snprintf(r->panic, sizeof(r->panic), "%s", p);
	return true;
}

/* Why a log may compare nothing, or a kind of line was left out. */
static void explain(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r)
{
	if (r->n_log == 0 && r->n_sim == 0)
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
}

static bool oom(pgt_diags *dg)
{
	pgt_diags_error(dg, "out of memory");
	return false;
}

static bool run_once(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                     pgt_diags *dg)
{
	bool has_kind[PGT_DMESG_KIND_COUNT] = {false}, cmp[PGT_DMESG_KIND_COUNT];
	for (size_t i = 0; i < dm->n_lines; i++)
		has_kind[dm->lines[i].kind] = true;
	r->log = malloc((dm->n_lines ? dm->n_lines : 1) * sizeof(*r->log));
	if (!r->log)
		return oom(dg);
	if (!simulate(dm, o, r, dg))
		return false;
	compared_kinds(r->run, cmp);
	collect_expected(dm, cmp, r);
	if (!collect_predicted(r->run, dm, o, has_kind, cmp, r) || !add_pages(dm, r))
		return oom(dg);
	r->rows = malloc((r->n_log + r->n_sim + 1) * sizeof(*r->rows));
	if (!r->rows)
		return oom(dg);
	r->n_rows = pair_rows(r->rows, lcs_rows(r->log, r->n_log, r->sim, r->n_sim, r->rows));
	for (size_t i = 0; i < r->n_rows; i++)
		r->matched += r->rows[i].status == PGT_LC_MATCH;
	bool all_ok = r->matched == r->n_log && r->n_sim == r->n_log && !r->panic[0];
	r->exit = all_ok ? 0 : 1;
	explain(dm, o, r);
	return true;
}

void pgt_logcheck_free(pgt_logcheck *r)
{
	free(r->log);
	free(r->sim);
	free(r->rows);
	free(r->page_text);
	pgt_sim_free(r->run);
	memset(r, 0, sizeof(*r));
}

/* Memory KASLR puts the direct map at a random GiB inside its PGD slot, and
 * the log does not say where (docs/kernel-model.md, "Known gaps").  When
 * the table pages of a KASLR boot differ, each place where RAM could cross
 * into the next slot (one PUD page more) is tried, lowest first; the first
 * that makes every page match is kept, and said.  Not when the base was
 * measured (direct_map_base): then the pages must match as they are. */
static bool infer_kaslr(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                        pgt_diags *dg)
{
	if (!dm->pages_shown || r->exit == 0 || !r->run || !dm->sc.kaslr_memory || dm->sc.nokaslr ||
	    dm->sc.direct_map_base || dm->sc.xen_pv || dm->bits == 32 ||
	    pgt_sim_kver(r->run) < PGT_KVER(4, 8, 0))
		return true;
	uint64_t top = (uint64_t)pgt_sim_max_pfn(r->run) << 12;
	for (uint32_t gib = 1; gib < 512 && ((uint64_t)gib << 30) < top; gib++) {
		pgt_logcheck_opts alt = *o;
		alt.kaslr_pud = 512 - gib;
		pgt_logcheck t;
		memset(&t, 0, sizeof(t));
		if (!run_once(dm, &alt, &t, dg)) {
			pgt_logcheck_free(&t);
			return false;
		}
		if (t.exit != 0) {
			pgt_logcheck_free(&t);
			continue;
		}
		char was[200];
		snprintf(was, sizeof(was), "%zu of %zu", r->matched, r->n_log);
		pgt_logcheck_free(r);
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

/* Which find_early_table_space sizing a 3.x distro kernel carries is not in
 * its version string (stable and distro kernels backported the 3.7 per-range
 * sizing, first sublevels unknown: docs/kernel-verification.md §3, §7), but
 * its "kernel direct mapping tables ... @" line shows it.  Without a forced
 * sizing, an old-scheme log with that line is also run with the other
 * variants and the best-matching one is kept, and said. */
static bool infer_sizing(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                         pgt_diags *dg)
{
	bool has_tables = false;
	for (size_t i = 0; i < dm->n_lines; i++)
		has_tables |= dm->lines[i].kind == PGT_DMESG_TABLES;
	if (o->sizing != PGT_SIZING_AUTO || !has_tables || !r->run || r->exit == 0 ||
	    pgt_sim_scheme(r->run) != PGT_SCHEME_PGTBUF)
		return true;
	static const int variants[] = {PGT_SIZING_A, PGT_SIZING_B, PGT_SIZING_C};
	static const char names[] = "?ABC";
	char was[200];
	snprintf(was, sizeof(was), "%s", r->model);
	size_t best_m[3];
	int best_e[3];
	bool improved = false;
	for (size_t v = 0; v < 3; v++) {
		pgt_logcheck_opts alt = *o;
		alt.sizing = variants[v];
		pgt_logcheck t;
		memset(&t, 0, sizeof(t));
		if (!run_once(dm, &alt, &t, dg)) {
			pgt_logcheck_free(&t);
			return false;
		}
		best_m[v] = t.matched;
		best_e[v] = t.exit;
		if (t.matched > r->matched || (t.matched == r->matched && t.exit < r->exit)) {
			pgt_logcheck_free(r);
			*r = t;
			improved = true;
		} else {
			pgt_logcheck_free(&t);
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

bool pgt_logcheck_run(const pgt_dmesg *dm, const pgt_logcheck_opts *o, pgt_logcheck *r,
                      pgt_diags *dg)
{
	memset(r, 0, sizeof(*r));
	if (!run_once(dm, o, r, dg) || !infer_kaslr(dm, o, r, dg) || !infer_sizing(dm, o, r, dg)) {
		pgt_logcheck_free(r);
		return false;
	}
	row_events(r);
	return true;
}

int pgt_logcheck_file(const char *path, pgt_dmesg *dm, pgt_logcheck *r, pgt_diags *dg)
{
	memset(dm, 0, sizeof(*dm));
	memset(r, 0, sizeof(*r));
	/* the window's check panel: a regular file only, at most 64 MiB (a
	 * FIFO, a device or a directory put where the log was must not block
	 * or flood the window) */
	char why[160];
	size_t len = 0;
	char *buf = pgt_read_small_file(path, PGT_DMESG_MAX_BYTES, &len, why, sizeof(why));
	if (!buf) {
		pgt_diags_error(dg, "cannot read '%s': %s", path, why);
		return -1;
	}
	pgt_diags u;
	pgt_diags_init(&u, path);
	if (pgt_diags_utf16(&u, buf, len)) { /* a log saved as UTF-16: say so */
		pgt_diags_append(dg, &u);
		pgt_diags_free(&u);
		free(buf);
		return -1;
	}
	pgt_diags_free(&u);
	if (!pgt_dmesg_looks_like_log(buf, len)) {
		free(buf);
		return 0;
	}
	pgt_diags d;
	pgt_diags_init(&d, path);
	bool ok = pgt_dmesg_import(buf, len, dm, &d);
	free(buf);
	pgt_logcheck_opts o = pgt_logcheck_opts_default();
	ok = ok && pgt_logcheck_run(dm, &o, r, &d);
	pgt_diags_append(dg, &d);
	pgt_diags_free(&d);
	if (!ok)
		pgt_dmesg_free(dm);
	return ok ? 1 : -1;
}
