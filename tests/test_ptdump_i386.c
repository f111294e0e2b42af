/*
 * test_ptdump_i386: `pgtviz ptdump` on every 32-bit real log of
 * tests/realworld, at every step (issue 16: the table dump overflowed its
 * buffer and the entry-bits helper crashed at about half the steps, and the
 * final dump was a 64-bit one).
 *
 * Each log is imported as `pgtviz ptdump LOG` does (the scenario's first
 * scheme, its version), run again up to every event (max_events = step + 1,
 * as `ptdump --step N` does), and at each step the whole dump and every
 * table page's entry dump (`ptdump --table N`) are made.  Under ASan this is
 * the crash test; the checks below are the layout: 32-bit addresses from
 * PAGE_OFFSET 0xc0000000, PAE levels pte/pmd (2 MiB pages), non-PAE levels
 * pte/pgd (4 MiB pages, no NX bit), nothing of the 64-bit layout.
 */
#include "pgtviz/dmesg.h"
#include "t.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* Whether the line is "0xXXXXXXXX-0xXXXXXXXX ..." (32-bit addresses). */
static bool addr32_line(const char *l)
{
	static const char hex[] = "0123456789abcdef";
	if (strncmp(l, "0x", 2) != 0 || strncmp(l + 10, "-0x", 3) != 0 || l[21] != ' ')
		return false;
	for (int i = 0; i < 8; i++)
		if (!strchr(hex, l[2 + i]) || !l[2 + i] || !strchr(hex, l[13 + i]) || !l[13 + i])
			return false;
	return true;
}

/* Checks one whole dump; returns the number of problems (printed). */
static int check_dump(const char *d, bool pae, const char *log, size_t step)
{
	int bad = 0;
	if (!d || strncmp(d, "---[ Kernel Mapping ]---\n", 25) != 0) {
		fprintf(stderr, "%s step %zu: dump does not start with the i386 marker\n", log,
		        step);
		return 1;
	}
	const char *p = d + 25;
	bool first = true;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[160];
		snprintf(line, sizeof(line), "%.*s", (int)(len < 159 ? len : 159), p);
		const char *lv = len >= 3 ? line + strlen(line) - 3 : "";
		bool lv_ok = !strcmp(lv, "pte") || !strcmp(lv, pae ? "pmd" : "pgd");
		bool ok = addr32_line(line) && lv_ok && !strstr(line, "pud") &&
		          (pae || !strstr(line, " NX ")) &&
		          (!first || !strncmp(line, "0xc0000000", 10));
		if (!ok) {
			fprintf(stderr, "%s step %zu (%s): bad line '%s'\n", log, step,
			        pae ? "PAE" : "non-PAE", line);
			bad++;
		}
		first = false;
		p += len + (nl ? 1 : 0);
	}
	return bad;
}

/* Every table page's entry dump at this step: a header naming the entry
 * count of the layout. */
static int check_tables(const pgt_sim *s, bool pae, const char *log, size_t step)
{
	int bad = 0;
	for (size_t t = 0; t < pgt_sim_table_count(s); t++) {
		char *d = pgt_sim_table_dump(s, t, SIZE_MAX);
		pgt_table tb = pgt_sim_table(s, t);
		/* the kernel's indexes: a page table's all, the root's direct-map
		 * part from 0xc0000000 (PDPT entry 3, page-directory entry 768) */
		const char *want = tb.level == PGT_PTE
		                       ? (pae ? "entries 0-511\n" : "entries 0-1023\n")
		                   : tb.level == PGT_PGD && pae ? "entry 3 of 4 "
		                   : tb.level == PGT_PGD        ? "entries 768-1023 of 1024 "
		                                                : "entries 0-511\n";
		if (!d || !strstr(d, want)) {
			fprintf(stderr, "%s step %zu: table %zu: no '%s' in its dump\n", log, step,
			        t, want);
			bad++;
		}
		free(d);
	}
	return bad;
}

/* Runs one log at every step; returns the number of steps dumped. */
static size_t every_step(const char *path, const char *name, bool *was_pae)
{
	pgt_dmesg dm;
	memset(&dm, 0, sizeof(dm));
	pgt_diags d = {.file = path};
	bool ok = pgt_dmesg_load_file(path, &dm, &d);
	pgt_diags_free(&d);
	CHECK(ok);
	if (!ok || dm.bits != 32) {
		pgt_dmesg_free(&dm);
		return 0;
	}
	const pgt_scenario *sc = &dm.sc;
	bool pae = sc->pae;
	*was_pae = pae;
	pgt_run_opts o = pgt_run_opts_default(-1);
	o.scheme = sc->schemes[0] >= 0 ? sc->schemes[0] : pgt_scheme_for_kver(0);
	pgt_sim *all = pgt_sim_run(sc, &o);
	CHECK(all != NULL);
	size_t n = all ? pgt_sim_event_count(all) : 0;
	if (all) {
		char *dump = pgt_sim_ptdump(all, SIZE_MAX);
		CHECK(check_dump(dump, pae, name, n) == 0);
		CHECK(dump && !strstr(dump, "0xffff88"));
		free(dump);
		CHECK(check_tables(all, pae, name, n) == 0);
		pgt_sim_free(all);
	}
	int bad = 0;
	for (size_t k = 0; k < n; k++) {
		pgt_run_opts ok_ = o;
		ok_.max_events = (uint64_t)k + 1;
		pgt_sim *c = pgt_sim_run(sc, &ok_);
		if (!c) {
			bad++;
			continue;
		}
		char *dump = pgt_sim_ptdump(c, SIZE_MAX);
		bad += check_dump(dump, pae, name, k);
		bad += check_tables(c, pae, name, k);
		free(dump);
		pgt_sim_free(c);
	}
	CHECK(bad == 0);
	pgt_dmesg_free(&dm);
	return n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/realworld", PGTVIZ_TEST_DIR);
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	char *names[128];
	size_t nn = 0;
	struct dirent *de;
	while ((de = readdir(dp)) && nn < 128) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".log") && strstr(de->d_name, "i386"))
			names[nn++] = strdup(de->d_name);
	}
	closedir(dp);
	qsort(names, nn, sizeof(names[0]), cmp_name);
	size_t logs = 0, pae = 0, nonpae = 0;
	for (size_t i = 0; i < nn; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		bool was_pae = false;
		size_t steps = every_step(path, names[i], &was_pae);
		printf("%s: %zu steps (%s)\n", names[i], steps, was_pae ? "PAE" : "non-PAE");
		logs += steps > 0;
		pae += steps > 0 && was_pae;
		nonpae += steps > 0 && !was_pae;
		free(names[i]);
	}
	/* the three logs the issue named (010, 011 PAE; 016 non-PAE) and the
	 * 2.6.2x ones added since: both layouts must be covered */
	CHECK(logs >= 3);
	CHECK(pae >= 2);
	CHECK(nonpae >= 1);
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}
