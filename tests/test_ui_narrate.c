/*
 * Narration table, scenario notes, glossary (and docs/glossary.md being up
 * to date) and the scenario picker's listing.  SDL-free parts of the UI.
 *
 * `test_ui_narrate --write-glossary FILE` regenerates docs/glossary.md.
 */
#define _DEFAULT_SOURCE
#include "t.h"

#include "pgtviz/narrate.h"
#include "pgtviz/picker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pgt_sim *run(const char *name, int scheme, pgt_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	int i = pgt_builtin_find(name);
	if (i < 0 || !pgt_builtin_load((size_t)i, sc))
		return NULL;
	pgt_run_opts o = pgt_run_opts_default(scheme);
	return pgt_sim_run(sc, &o);
}

/* Index of the first event of kind (and, if level >= 0, level). */
static size_t find_event(const pgt_sim *s, int kind, int origin, uint64_t a)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == kind && (origin < 0 || ev[i].origin == origin) &&
		    (a == UINT64_MAX || ev[i].a == a))
			return i;
	return SIZE_MAX;
}

#define CHECK_HAS(hay, needle)                                                                     \
	do {                                                                                       \
		if (!strstr((hay), (needle))) {                                                    \
			fprintf(stderr, "%s:%d: missing \"%s\" in \"%s\"\n", __FILE__, __LINE__,   \
			        (needle), (hay));                                                  \
			t_failed++;                                                                \
		} else {                                                                           \
			t_passed++;                                                                \
		}                                                                                  \
	} while (0)

static void test_examples(void)
{
	pgt_scenario sc;
	pgt_sim *old = run("pc-4g", PGT_SCHEME_PGTBUF, &sc);
	REQUIRE(old);
	char buf[1024];
	/* The first pgt_buf page of the 4 GiB PC under 3.8. */
	size_t i = find_event(old, PGT_EV_ALLOC, PGT_ORIGIN_PGTBUF, 0x1fffb000);
	REQUIRE(i != SIZE_MAX);
	pgt_narrate_event(old, i, buf, sizeof(buf));
	CHECK_HAS(buf, "alloc_low_page()");
	CHECK_HAS(buf, "next page of pgt_buf (0x1fffb000");
	CHECK_HAS(buf, "PMD table covering 1 GiB at 0x40000000");
	CHECK_HAS(buf, "2.6.2x–3.8");
	CHECK_HAS(buf, "early_ioremap/early_memremap");
	CHECK_HAS(buf, "(kernel-model.md: Old scheme)");
	i = find_event(old, PGT_EV_BUF_FOUND, -1, UINT64_MAX);
	pgt_narrate_event(old, i, buf, sizeof(buf));
	CHECK_HAS(buf, "find_early_table_space()");
	CHECK_HAS(buf, "5 pages");
	/* the used part is reserved through the 2.6.39+ hook, memblock_reserve in 3.8 */
	i = find_event(old, PGT_EV_RESERVE, -1, UINT64_MAX);
	REQUIRE(i != SIZE_MAX);
	pgt_narrate_event(old, i, buf, sizeof(buf));
	CHECK_HAS(buf, "x86_init.mapping.pagetable_reserve() → memblock_reserve() keeps");
	pgt_sim_free(old);
	/* reserve_early() before memblock (2.6.36), memblock_x86_reserve_range() 2.6.37 */
	static const struct {
		uint32_t kv;
		const char *fn;
	} rv[] = {{PGT_KVER(2, 6, 36), "reserve_early() keeps"},
	          {PGT_KVER(2, 6, 37), "memblock_x86_reserve_range() keeps"}};
	for (size_t k = 0; k < sizeof(rv) / sizeof(rv[0]); k++) {
		pgt_run_opts ro = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
		ro.kver = rv[k].kv;
		pgt_sim *s = pgt_sim_run(&sc, &ro);
		REQUIRE(s);
		i = find_event(s, PGT_EV_RESERVE, -1, UINT64_MAX);
		REQUIRE(i != SIZE_MAX);
		pgt_narrate_event(s, i, buf, sizeof(buf));
		CHECK_HAS(buf, rv[k].fn);
		pgt_sim_free(s);
	}

	pgt_sim *nw = pgt_sim_run(&sc, &(pgt_run_opts){.scheme = PGT_SCHEME_TOPDOWN});
	REQUIRE(nw);
	const pgt_event *ev = pgt_sim_events(nw);
	size_t set = SIZE_MAX;
	for (size_t k = 0; k < pgt_sim_event_count(nw); k++)
		if (ev[k].kind == PGT_EV_SET && ev[k].aux == PGT_VAR_MAX_PFN_MAPPED &&
		    ev[k].a == 0x140000)
			set = k;
	REQUIRE(set != SIZE_MAX);
	pgt_narrate_event(nw, set, buf, sizeof(buf));
	CHECK_HAS(buf, "max_pfn_mapped is now 0x140000");
	CHECK_HAS(buf, "only below 5 GiB");
	CHECK_HAS(buf, "add_pfn_range_mapped");
	CHECK_HAS(buf, "(kernel-model.md: New scheme)");
	i = find_event(nw, PGT_EV_ALLOC, PGT_ORIGIN_MEMBLOCK, UINT64_MAX);
	pgt_narrate_event(nw, i, buf, sizeof(buf));
	CHECK_HAS(buf, "memblock");
	CHECK_HAS(buf, "min_pfn_mapped");
	CHECK_HAS(buf, "(kernel-model.md: New scheme)");
	i = find_event(nw, PGT_EV_ALLOC, PGT_ORIGIN_BRK, UINT64_MAX);
	pgt_narrate_event(nw, i, buf, sizeof(buf));
	CHECK_HAS(buf, "page 1 of 5 of the BRK buffer");
	/* BRK pages are written through __va(), mapped by the early #PF handler */
	CHECK_HAS(buf, "__va()");
	CHECK_HAS(buf, "early #PF handler");
	/* 3.9+ native: a linked table is not in use until load_cr3() */
	i = SIZE_MAX; /* the first link into a reachable parent */
	for (size_t k = 0; k < pgt_sim_event_count(nw) && i == SIZE_MAX; k++)
		if (ev[k].kind == PGT_EV_HOOK && ev[k].flags)
			i = k;
	REQUIRE(i != SIZE_MAX);
	pgt_narrate_event(nw, i, buf, sizeof(buf));
	CHECK(strstr(buf, "live now") == NULL);
	CHECK_HAS(buf, "load_cr3(swapper_pg_dir)");
	CHECK_HAS(buf, "early_level4_pgt");
	pgt_sim_free(nw);
	pgt_scenario_clear(&sc);
}

/* Xen's read-only PTEs: before 2.6.37 there was no mask_rw_pte window over
 * the buffer (fef5ba797991 added it), so the caption must not cite one. */
static void test_xen_read_only_by_version(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	int b = pgt_builtin_find("xen-live-patient");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	static const struct {
		const char *kver, *has, *lacks;
	} cases[] = {
	    {"2.6.27", "came only in 2.6.37, fef5ba797991", "[pgt_buf_start, pgt_buf_end)"},
	    {"2.6.37", "[pgt_buf_start, pgt_buf_end) (2.6.37", "came only in 2.6.37"},
	    {"3.0", "[pgt_buf_start, pgt_buf_top) (b9269dc7bfd", "came only in 2.6.37"},
	};
	char buf[1024];
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
		o.kver = pgt_kver_parse(cases[k].kver);
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		/* the first read-only PTE written for a pgt_buf page */
		size_t a = find_event(s, PGT_EV_ALLOC, PGT_ORIGIN_PGTBUF, UINT64_MAX);
		REQUIRE(a != SIZE_MAX);
		size_t i = SIZE_MAX;
		const pgt_event *ev = pgt_sim_events(s);
		for (size_t j = a; j < pgt_sim_event_count(s) && i == SIZE_MAX; j++)
			if (ev[j].kind == PGT_EV_MARK_RO)
				i = j;
		REQUIRE(i != SIZE_MAX);
		pgt_narrate_event(s, i, buf, sizeof(buf));
		CHECK_HAS(buf, cases[k].has);
		CHECK(strstr(buf, cases[k].lacks) == NULL);
		CHECK_HAS(buf, "(kernel-model.md: Xen PV)");
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

/* Xen start-up: every read-only change before the first init_memory_mapping
 * call names what it is by the table at the start of its range (builder,
 * xen_map_identity_early's PTE pages, the kernel's static tables), never the
 * pgt_buf window or the alloc hook of the walk; in every scheme and for
 * x86-64 2.6.39-rc1 (identity extension) and 3.9 (none). */
static void test_xen_startup_read_only(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	int b = pgt_builtin_find("xen-live-patient");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	static const int schemes[] = {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN};
	char buf[1024];
	for (size_t k = 0; k < 2; k++) {
		pgt_run_opts o = pgt_run_opts_default(schemes[k]);
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		const pgt_event *ev = pgt_sim_events(s);
		const pgt_table *t = pgt_sim_tables(s);
		size_t seen[3] = {0, 0, 0}, pages = 0;
		for (size_t j = 0; j < pgt_sim_event_count(s) && ev[j].kind != PGT_EV_CALL_BEGIN;
		     j++) {
			if (ev[j].kind != PGT_EV_MARK_RO)
				continue;
			size_t x = 0;
			while (x < pgt_sim_table_count(s) && t[x].pa != ev[j].a)
				x++;
			REQUIRE(x < pgt_sim_table_count(s));
			pgt_narrate_event(s, j, buf, sizeof(buf));
			CHECK(strstr(buf, "pgt_buf") == NULL);
			CHECK(strstr(buf, "alloc hook") == NULL);
			if (t[x].origin == PGT_ORIGIN_XEN) {
				CHECK_HAS(buf, "domain builder");
				seen[0]++;
			} else if (t[x].level == PGT_PTE) {
				CHECK_HAS(buf, "xen_map_identity_early()");
				seen[1]++;
			} else {
				CHECK_HAS(buf, "xen_setup_kernel_pagetable()");
				seen[2]++;
			}
			pages += (ev[j].b - ev[j].a) / 4096;
		}
		/* all three kinds appear; every start-up table is read-only */
		CHECK(seen[0] >= 1 && seen[2] >= 1);
		CHECK(seen[1] == (schemes[k] == PGT_SCHEME_PGTBUF ? 1u : 0u));
		size_t before = 0;
		size_t first_call = 0;
		while (first_call < pgt_sim_event_count(s) &&
		       ev[first_call].kind != PGT_EV_CALL_BEGIN)
			first_call++;
		for (size_t x = 0; x < pgt_sim_table_count(s); x++)
			before += t[x].alloc_event < first_call;
		CHECK_U64(pages, before);
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

/* CLEAR: a large entry inside the call that a PTE page replaces is not
 * "past the end of this call"; past-end clears of the image's static PMD
 * page remove head_64.S's boot-time entries. */
static void test_clear_kinds(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	int b = pgt_builtin_find("pc-4g");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	sc.cpu.pse = false; /* 4 KiB pages only: head_64.S's 2 MiB entries are split */
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = PGT_KVER(3, 8, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	char buf[1024];
	size_t i = find_event(s, PGT_EV_CLEAR, -1, 0);
	REQUIRE(i != SIZE_MAX);
	pgt_narrate_event(s, i, buf, sizeof(buf));
	CHECK_HAS(buf, "[0, 0x200000)");
	CHECK_HAS(buf, "one of head_64.S's boot-time large entries");
	CHECK_HAS(buf, "a new PTE page takes the entry's place");
	CHECK(strstr(buf, "past the end") == NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
	/* qemu-1g: RAM ends below 1 GiB; the rest of level2_ident_pgt goes */
	b = pgt_builtin_find("qemu-1g");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	i = find_event(s, PGT_EV_CLEAR, -1, UINT64_MAX);
	REQUIRE(i != SIZE_MAX);
	pgt_narrate_event(s, i, buf, sizeof(buf));
	CHECK_HAS(buf, "past the end of this call");
	CHECK_HAS(buf, "boot-time 2 MiB entries of head_64.S");
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static char *slurp(const char *path);

/* Whether every "(kernel-model.md: X)" in text names a "## X" heading of
 * docs/kernel-model.md (a section or a sub-section), and there is one. */
static bool cites_model_sections(const char *text, const char *model)
{
	static const char tag[] = "(kernel-model.md: ";
	const char *p = strstr(text, tag);
	if (!p)
		return false;
	for (; p; p = strstr(p + 1, tag)) {
		const char *name = p + strlen(tag), *end = strchr(name, ')');
		if (!end)
			return false;
		char want[128];
		snprintf(want, sizeof(want), "## %.*s\n", (int)(end - name), name);
		if (!strstr(model, want)) {
			fprintf(stderr, "no section \"%.*s\" in docs/kernel-model.md: %s\n",
			        (int)(end - name), name, text);
			return false;
		}
	}
	return true;
}

/* Every event of every built-in under every scheme gets a sentence that
 * cites a section of docs/kernel-model.md, never a file outside the
 * repository, and never the raw trace text. */
static void test_every_event(void)
{
	char buf[1024], raw[512];
	int empty = 0, nosec = 0, rawtext = 0, outside = 0;
	char *model = slurp(PGTVIZ_TEST_DIR "/../docs/kernel-model.md");
	REQUIRE(model);
	for (size_t b = 0; b < pgt_builtin_count(); b++)
		for (int sch = 0; sch < PGT_SCHEME_COUNT; sch++) {
			pgt_scenario sc;
			pgt_sim *s = run(pgt_builtin_name(b), sch, &sc);
			REQUIRE(s);
			for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
				pgt_narrate_event(s, i, buf, sizeof(buf));
				pgt_sim_event_text(s, i, raw, sizeof(raw));
				empty += buf[0] == '\0';
				nosec += !cites_model_sections(buf, model);
				outside +=
				    strstr(buf, "KERNEL") != NULL || strstr(buf, "shared/") != NULL;
				rawtext += strstr(buf, "set max_pfn_mapped=") != NULL ||
				           strstr(buf, raw) != NULL;
			}
			pgt_sim_free(s);
			pgt_scenario_clear(&sc);
		}
	CHECK(empty == 0);
	CHECK(nosec == 0);
	CHECK(outside == 0);
	CHECK(rawtext == 0);
	/* the glossary's and the rule table's sections exist too */
	size_t ng;
	const pgt_gloss *g = pgt_glossary(&ng);
	for (size_t k = 0; k < ng; k++)
		if (g[k].section[0]) {
			char cite[160];
			snprintf(cite, sizeof(cite), "(kernel-model.md: %s)", g[k].section);
			CHECK(cites_model_sections(cite, model));
		}
	free(model);
	size_t n;
	const pgt_narr_rule *r = pgt_narr_rules(&n);
	bool seen[PGT_EV_KIND_COUNT] = {false};
	for (size_t i = 0; i < n; i++)
		if (r[i].kind >= 0 && r[i].kind < PGT_EV_KIND_COUNT)
			seen[r[i].kind] = true;
	for (int k = 0; k < PGT_EV_KIND_COUNT; k++)
		CHECK(seen[k]);
}

/* i386 runs (PAE and non-PAE, every scheme) are narrated as i386: head_32.S,
 * init_32.c, spans of 4 GiB / 1 GiB / 4 or 2 MiB, never x86-64's. */
static void test_i386(void)
{
	char buf[1024];
	for (int pae = 0; pae < 2; pae++)
		for (int sch = 0; sch < PGT_SCHEME_COUNT; sch++) {
			pgt_scenario sc;
			memset(&sc, 0, sizeof(sc));
			pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM);
			pgt_scenario_add_e820(&sc, 0x100000, 0x30000000, PGT_E820_RAM);
			sc.cpu.pse = true;
			sc.bits = 32;
			sc.pae = pae;
			sc.highmem = true;
			pgt_run_opts o = pgt_run_opts_default(sch);
			o.kver = PGT_KVER(3, 10, 0);
			pgt_sim *s = pgt_sim_run(&sc, &o);
			REQUIRE(s);
			int x64 = 0, head32 = 0, pgd4g = 0, hooks = 0, live = 0, brk = 0,
			    brk_head = 0, clears = 0, clear_ok = 0;
			for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
				pgt_narrate_event(s, i, buf, sizeof(buf));
				x64 += strstr(buf, "head_64") || strstr(buf, "TiB") ||
				       strstr(buf, "phys_pud_init") || strstr(buf, "512 GiB") ||
				       strstr(buf, "early #PF handler") ||
				       strstr(buf, "early_level4_pgt");
				head32 += strstr(buf, "head_32.S provides") != NULL;
				pgd4g += strstr(buf, "PGD table in the kernel image") &&
				         strstr(buf, "covering 4 GiB");
				pgt_event e = pgt_sim_event(s, i);
				/* swapper_pg_dir is in CR3 before the first call
				 * (setup_arch() from 2.6.36): a linked table is live */
				if (e.kind == PGT_EV_HOOK && e.flags) {
					hooks++;
					live += strstr(buf, "live now") &&
					        strstr(buf, "swapper_pg_dir") &&
					        !strstr(buf, "load_cr3");
				}
				/* a large entry over a boot-time PTE page, never the
				 * x86-64 walk's unmapped GiB */
				if (e.kind == PGT_EV_CLEAR) {
					clears++;
					clear_ok += strstr(buf, "replaces the") &&
					            strstr(buf, "i386 walk") &&
					            !strstr(buf, "no e820 entry");
				}
				if (e.kind == PGT_EV_ALLOC && e.origin == PGT_ORIGIN_BRK) {
					brk++;
					brk_head +=
					    strstr(buf, "head_32.S's boot-time mapping") != NULL;
				}
			}
			CHECK(x64 == 0);
			CHECK(head32 > 0);
			CHECK(pgd4g == 1);
			CHECK(live == hooks);
			CHECK(brk_head == brk);
			CHECK(clear_ok == clears);
			if (sch == PGT_SCHEME_PGTBUF)
				CHECK(clears > 0);
			if (sch == PGT_SCHEME_TOPDOWN)
				CHECK(brk > 0);
			pgt_sim_free(s);
			pgt_scenario_clear(&sc);
		}
}

/* Where the old scheme looks for pgt_buf.  i386: always below max_pfn_mapped
 * (find_early_table_space: from 0x7000, bottom-up up to 2.6.36; memblock
 * top-down from 2.6.37; 4b239f458's good_end = end was 64-bit only).
 * x86-64 2.6.39-3.0: anywhere below the end of the call. */
static void test_buffer_bound(void)
{
	static const struct {
		uint32_t kv;
		const char *has;
	} cases[] = {
	    {PGT_KVER(2, 6, 30), "bottom-up from 0x7000 below it"},
	    {PGT_KVER(3, 0, 0), "i386, 2.6.37–3.8"},
	};
	char buf[1024];
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		pgt_scenario sc;
		memset(&sc, 0, sizeof(sc));
		pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM);
		pgt_scenario_add_e820(&sc, 0x100000, 0x30000000, PGT_E820_RAM);
		sc.cpu.pse = false; /* 4 KiB pages: new PTE pages get linked */
		sc.bits = 32;
		sc.pae = true;
		sc.highmem = true;
		pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
		o.kver = cases[k].kv;
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		size_t n = 0, hooks = 0;
		for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
			pgt_event e = pgt_sim_event(s, i);
			if (e.kind == PGT_EV_HOOK && e.flags) {
				/* swapper_pg_dir is in CR3 before the call */
				hooks++;
				pgt_narrate_event(s, i, buf, sizeof(buf));
				CHECK_HAS(buf, "it is live now");
				CHECK(strstr(buf, "load_cr3") == NULL);
			}
			if (e.kind != PGT_EV_SET || e.aux != PGT_VAR_MAX_PFN_MAPPED)
				continue;
			n++;
			pgt_narrate_event(s, i, buf, sizeof(buf));
			CHECK_HAS(buf, cases[k].has);
			CHECK(strstr(buf, "good_end to the end") == NULL);
			CHECK(strstr(buf, "0x8000") == NULL);
		}
		CHECK(n > 0);
		CHECK(hooks > 0);
		pgt_sim_free(s);
		pgt_scenario_clear(&sc);
	}
	/* x86-64 2.6.39-3.0: good_end = end (4b239f458), so max_pfn_mapped
	 * bounds nothing; the caption must not say "below it" */
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	int b = pgt_builtin_find("pc-4g");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = PGT_KVER(3, 0, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	size_t n = 0;
	for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
		pgt_event e = pgt_sim_event(s, i);
		if (e.kind != PGT_EV_SET || e.aux != PGT_VAR_MAX_PFN_MAPPED)
			continue;
		n++;
		pgt_narrate_event(s, i, buf, sizeof(buf));
		CHECK_HAS(buf, "it does not bound the buffer: 4b239f458 (2.6.39-rc1) set good_end");
		CHECK(strstr(buf, "below it") == NULL);
	}
	CHECK(n > 0);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void test_notes(void)
{
	pgt_scenario sc;
	pgt_sim *old = run("pc-4g", PGT_SCHEME_PGTBUF, &sc);
	REQUIRE(old);
	pgt_sim *nw = pgt_sim_run(&sc, &(pgt_run_opts){.scheme = PGT_SCHEME_TOPDOWN});
	REQUIRE(nw);
	size_t c1 = find_event(old, PGT_EV_CALL_BEGIN, -1, UINT64_MAX);
	REQUIRE(c1 != SIZE_MAX);
	CHECK(pgt_note_matches("call:1", old, c1));
	CHECK(!pgt_note_matches("call:2", old, c1));
	CHECK(!pgt_note_matches("call:1", old, c1 + 1));
	CHECK(pgt_note_matches("event:5", old, 5));
	CHECK(!pgt_note_matches("event:5", old, 4));
	CHECK(!pgt_note_matches("call", old, c1));
	CHECK(!pgt_note_matches("panic", old, c1));
	pgt_scenario_add_note(&sc, "call:1", "Both. pgtbuf: only old. top-down: only new.");
	pgt_scenario_add_note(&sc, "event:2", "Second note.");
	char buf[512];
	const char *t = pgt_narrate_note(&sc, old, c1, buf, sizeof(buf));
	REQUIRE(t);
	CHECK_STR(t, "Both. Only old."); /* a sentence after a sentence */
	size_t n1 = find_event(nw, PGT_EV_CALL_BEGIN, -1, UINT64_MAX);
	t = pgt_narrate_note(&sc, nw, n1, buf, sizeof(buf));
	REQUIRE(t);
	CHECK_STR(t, "Both. Only new.");
	CHECK(pgt_narrate_note(&sc, old, c1 + 1, buf, sizeof(buf)) == NULL);
	t = pgt_narrate_note(&sc, old, 2, buf, sizeof(buf));
	CHECK(t && !strcmp(t, "Second note."));
	pgt_sim_free(old);
	pgt_sim_free(nw);
	pgt_scenario_clear(&sc);

	/* "violation" is the first violation only; xen-live-patient has one (the
	 * run ends at the refused pin), so "violation:2" matches nothing. */
	pgt_sim *x = run("xen-live-patient", PGT_SCHEME_PGTBUF, &sc);
	REQUIRE(x);
	size_t v = find_event(x, PGT_EV_VIOLATION, -1, UINT64_MAX);
	REQUIRE(v != SIZE_MAX);
	CHECK(pgt_note_matches("violation", x, v));
	size_t nv = 0;
	for (size_t i = 0; i < pgt_sim_event_count(x); i++) {
		nv += pgt_sim_events(x)[i].kind == PGT_EV_VIOLATION;
		CHECK(!pgt_note_matches("violation:2", x, i));
	}
	CHECK_U64(nv, 1);
	CHECK(!pgt_note_matches("violation", x, v + 1));
	pgt_sim_free(x);
	pgt_scenario_clear(&sc);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static void test_glossary(void)
{
	size_t n;
	const pgt_gloss *g = pgt_glossary(&n);
	static const char *const want[] = {"e820",           "memblock",
	                                   "direct map",     "PGD / PUD / PMD / PTE",
	                                   "pgt_buf",        "BRK",
	                                   "RO (read-only)", "pinning",
	                                   "max_pfn_mapped", "min_pfn_mapped",
	                                   "real_end",       "step size",
	                                   "early_memremap", "Xen PV"};
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= !strcmp(g[i].term, want[k]);
		if (!found)
			fprintf(stderr, "glossary lacks %s\n", want[k]);
		CHECK(found);
	}
	char *md = pgt_glossary_markdown();
	REQUIRE(md);
	char *doc = slurp(PGTVIZ_TEST_DIR "/../docs/glossary.md");
	CHECK(doc != NULL);
	if (doc && strcmp(doc, md) != 0) {
		fprintf(stderr,
		        "docs/glossary.md is out of date: run "
		        "scripts/make-docs-media.sh (or test_ui_narrate --write-glossary)\n");
		t_failed++;
	} else if (doc) {
		t_passed++;
	}
	free(doc);
	free(md);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_picker(void)
{
	char dir[] = "/tmp/pgtviz-picker-XXXXXX";
	REQUIRE(mkdtemp(dir));
	char p[512];
	snprintf(p, sizeof(p), "%s/zz-mine.json", dir);
	write_file(p,
	           "{\"format\": \"pgtviz-scenario/1\", \"name\": \"mine\", \"title\": \"My box. "
	           "Second sentence.\", \"e820\": [{\"start\": \"0x0\", \"end\": "
	           "\"0x40000000\", \"type\": \"usable\"}]}\n");
	snprintf(p, sizeof(p), "%s/a-dup.json", dir);
	write_file(p, "{\"format\": \"pgtviz-scenario/1\", \"name\": \"pc-4g\", \"e820\": "
	              "[{\"start\": \"0x0\", \"end\": \"0x40000000\", \"type\": \"usable\"}]}\n");
	snprintf(p, sizeof(p), "%s/b-bad.json", dir);
	write_file(p, "{ not json\n");
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	write_file(p, "ignored\n");
	pgt_pick_list l;
	REQUIRE(pgt_pick_list_build(&l, dir));
	size_t nb = pgt_builtin_count();
	CHECK_U64(l.n, nb + 1);
	for (size_t i = 0; i < nb && i < l.n; i++) {
		CHECK(l.v[i].builtin);
		CHECK_STR(l.v[i].name, pgt_builtin_name(i));
		CHECK(l.v[i].desc[0] != '\0');
	}
	if (l.n == nb + 1) {
		CHECK(!l.v[nb].builtin);
		CHECK_STR(l.v[nb].name, "mine");
		CHECK_STR(l.v[nb].desc, "My box");
		CHECK(strstr(l.v[nb].arg, "zz-mine.json") != NULL);
	}
	pgt_pick_list_free(&l);
	/* The shipped scenarios directory lists every built-in once. */
	REQUIRE(pgt_pick_list_build(&l, PGTVIZ_SCENARIO_DIR));
	CHECK(l.n >= nb);
	for (size_t i = 0; i < l.n; i++)
		for (size_t j = i + 1; j < l.n; j++)
			CHECK(strcmp(l.v[i].name, l.v[j].name) != 0);
	pgt_pick_list_free(&l);
	char one[16];
	pgt_one_line("A short title", one, sizeof(one));
	CHECK_STR(one, "A short title");
	pgt_one_line("Words that are far too long for it", one, sizeof(one));
	CHECK_STR(one, "Words that\xe2\x80\xa6");
	/* No space to cut at: whole UTF-8 characters only, then the ellipsis. */
	pgt_one_line("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	             one, sizeof(one));
	CHECK_STR(one, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	/* Built-in scenarios get the notes of their file. */
	pgt_scenario sc = {0};
	int b = pgt_builtin_find("xen-live-patient");
	REQUIRE(b >= 0 && pgt_builtin_load((size_t)b, &sc));
	size_t before = sc.n_notes;
	CHECK(pgt_scenario_add_file_notes(&sc, PGTVIZ_SCENARIO_DIR) == (before == 0));
	CHECK(sc.n_notes > 0);
	pgt_scenario_clear(&sc);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	CHECK(system(p) == 0);
}

/* crashkernel=512M with the kernel at 16 MiB (the kdump gallery scenario on
 * the pc-4g map): pgtbuf 3.8 fails and says so plainly, top-down 3.9
 * reserves it and the sentence names reserve_crashkernel(). */
static void test_crashkernel(void)
{
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	REQUIRE(pgt_builtin_load((size_t)pgt_builtin_find("pc-4g"), &sc));
	sc.kernel_start = 0x1000000;
	sc.crashkernel = 0x20000000;
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_PGTBUF);
	o.kver = PGT_KVER(3, 8, 0);
	pgt_sim *old = pgt_sim_run(&sc, &o);
	o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	pgt_sim *nw = pgt_sim_run(&sc, &o);
	REQUIRE(old && nw);
	char buf[1024];
	size_t fail = SIZE_MAX;
	for (size_t k = 0; k < pgt_sim_log_count(old); k++)
		if (strstr(pgt_sim_log(old, k)->text, "crashkernel reservation failed"))
			fail = pgt_sim_log(old, k)->event;
	REQUIRE(fail != SIZE_MAX);
	pgt_narrate_event(old, fail, buf, sizeof(buf));
	CHECK_HAS(buf, "CRASHKERNEL FAILED");
	CHECK_HAS(buf, "reserve_crashkernel()");
	CHECK_HAS(buf, "kdump is unavailable");
	CHECK_HAS(buf, "[16 MiB, 896 MiB)");
	CHECK_HAS(buf, "No suitable area found.");
	size_t r = SIZE_MAX;
	const pgt_event *ev = pgt_sim_events(nw);
	for (size_t i = 0; i < pgt_sim_event_count(nw); i++)
		if (ev[i].kind == PGT_EV_RESERVE && ev[i].aux == 2)
			r = i;
	REQUIRE(r != SIZE_MAX);
	pgt_narrate_event(nw, r, buf, sizeof(buf));
	CHECK_HAS(buf,
	          "reserve_crashkernel() reserves [0x18000000, 0x38000000) (512 MiB at 384 MiB)");
	CHECK_HAS(buf, "kdump");
	pgt_sim_free(old);
	pgt_sim_free(nw);
	pgt_scenario_clear(&sc);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-glossary")) {
		char *md = pgt_glossary_markdown();
		FILE *f = md ? fopen(argv[2], "w") : NULL;
		if (!f || fputs(md, f) < 0 || fclose(f) != 0) {
			fprintf(stderr, "cannot write %s\n", argv[2]);
			return 1;
		}
		free(md);
		return 0;
	}
	RUN(test_examples);
	RUN(test_xen_read_only_by_version);
	RUN(test_xen_startup_read_only);
	RUN(test_clear_kinds);
	RUN(test_every_event);
	RUN(test_i386);
	RUN(test_buffer_bound);
	RUN(test_notes);
	RUN(test_glossary);
	RUN(test_picker);
	RUN(test_crashkernel);
	return t_report();
}
