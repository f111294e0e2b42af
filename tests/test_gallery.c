/*
 * The scenario gallery (the JSON files in scenarios/, walked through in docs/tutorial.md):
 * every file loads, runs to the end under each scheme it names, every note
 * points at a step that exists, and the fact each scenario is there to show
 * is checked against the simulation itself, not against stored output.
 */
#include "pgtviz/core.h"
#include "pgtviz/scenario_json.h"
#include "scenario_file.h"
#include "t.h"

#include <stdlib.h>

#define MiB (1ULL << 20)

static const char *const gallery[] = {
    "pc-4g",
    "qemu-1g",
    "mail-0-1g-4k",
    "xen-live-patient",
    "xen-invariant-2.6.27",
    "xen-window-2.6.37",
    "kdump-512m-under-768m",
    "server-128g-gbpages",
    "numa-256g",
    "debug-64g-4k",
    "initrd-top",
    "movable-node",
    "old-panics",
    "gbpages-hole-3.7-rc2",
};
#define N_GALLERY (sizeof(gallery) / sizeof(gallery[0]))

static bool load(const char *name, pgt_scenario *sc)
{
	return t_load_scenario(name, sc, true);
}

static pgt_sim *run(const pgt_scenario *sc, int scheme, const char *kver, int xen_rule)
{
	return t_run(sc, scheme, kver, xen_rule);
}

static size_t count_kind(const pgt_sim *s, int kind)
{
	size_t n = 0;
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		n += ev[i].kind == kind;
	return n;
}

/* The Nth (from 1) event of a kind, or NULL. */
static const pgt_event *nth_kind(const pgt_sim *s, int kind, size_t nth)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == kind && --nth == 0)
			return &ev[i];
	return NULL;
}

/* Does marker `at` (docs/scenario-format.md, notes) happen in this run? */
static bool marker_resolves(const pgt_sim *s, const char *at)
{
	const char *colon = strchr(at, ':');
	unsigned long long n = colon ? strtoull(colon + 1, NULL, 10) : 0;
	size_t len = colon ? (size_t)(colon - at) : strlen(at);
	if (len == 4 && strncmp(at, "call", 4) == 0)
		return n >= 1 && count_kind(s, PGT_EV_CALL_BEGIN) >= n;
	if (len == 5 && strncmp(at, "event", 5) == 0)
		return n < pgt_sim_event_count(s);
	if (len == 5 && strncmp(at, "panic", 5) == 0)
		return count_kind(s, PGT_EV_PANIC) > 0;
	if (len == 9 && strncmp(at, "violation", 9) == 0)
		return count_kind(s, PGT_EV_VIOLATION) > 0;
	return false;
}

/* Largest pgt_buf (bytes) of a run. */
static uint64_t largest_buf(const pgt_sim *s)
{
	uint64_t best = 0;
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_BUF_FOUND && ev[i].b - ev[i].a > best)
			best = ev[i].b - ev[i].a;
	return best;
}

static bool has_line(const pgt_sim *s, const char *prefix)
{
	for (size_t i = 0; i < pgt_sim_log_count(s); i++)
		if (strncmp(pgt_sim_log(s, i)->text, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static const pgt_event *crash_reserve(const pgt_sim *s)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_RESERVE && ev[i].aux == 2)
			return &ev[i];
	return NULL;
}

/* ---- every file --------------------------------------------------------- */

static void every_scenario_loads_runs_and_its_notes_resolve(void)
{
	for (size_t g = 0; g < N_GALLERY; g++) {
		pgt_scenario sc;
		int before = t_failed;
		REQUIRE(load(gallery[g], &sc));
		CHECK(sc.title && *sc.title && sc.description && strlen(sc.description) > 80);
		CHECK(sc.n_notes >= 2);
		CHECK(sc.schemes[0] >= 0 && sc.schemes[0] < PGT_SCHEME_COUNT);
		pgt_sim *sims[2] = {NULL, NULL};
		for (int k = 0; k < 2; k++) {
			if (sc.schemes[k] < 0)
				continue;
			sims[k] = run(&sc, sc.schemes[k], NULL, PGT_XEN_RULE_AUTO);
			CHECK(sims[k] != NULL);
			if (sims[k]) {
				/* runs to the end: a panic is the only allowed early stop */
				CHECK(count_kind(sims[k], PGT_EV_CALL_BEGIN) >= 1);
				CHECK(pgt_sim_event_count(sims[k]) > 10);
			}
		}
		for (size_t i = 0; i < sc.n_notes; i++) {
			bool ok = false;
			for (int k = 0; k < 2; k++)
				ok = ok || (sims[k] && marker_resolves(sims[k], sc.notes[i].at));
			if (!ok)
				fprintf(stderr,
				        "%s: note at '%s' points at no step of its schemes\n",
				        gallery[g], sc.notes[i].at);
			CHECK(ok);
		}
		for (int k = 0; k < 2; k++)
			pgt_sim_free(sims[k]);
		pgt_scenario_clear(&sc);
		if (t_failed != before)
			fprintf(stderr, "  in scenario %s\n", gallery[g]);
	}
}

/* ---- the story of each ----------------------------------------------------- */

/* Index of the Nth (from 1) event of a kind, or SIZE_MAX. */
static size_t nth_index(const pgt_sim *s, int kind, size_t nth)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == kind && --nth == 0)
			return i;
	return SIZE_MAX;
}

/* 2.6.39-rc1: the pin of one PTE page fails, once, at the step where that
 * page is linked; the writable alias is the entry that maps it in the PTE
 * page written while pgt_buf_end was still at or below it. */
static void xen_live_patient_fails_at_the_pin_in_2_6_39_rc1(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-live-patient", &sc));
	CHECK(sc.xen_pv && sc.xen_rule == PGT_XEN_RULE_AUTO);
	CHECK_U64(sc.kver, PGT_KVER_RC(2, 6, 39, 1));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, NULL, PGT_XEN_RULE_AUTO);
	REQUIRE(s);
	CHECK_U64(pgt_sim_xen_rule(s), PGT_XEN_RULE_END);
	CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 1);
	size_t vi = nth_index(s, PGT_EV_VIOLATION, 1);
	REQUIRE(vi != SIZE_MAX);
	const pgt_event *ev = pgt_sim_events(s), *v = &ev[vi];
	const pgt_table *t = pgt_sim_tables(s);
	CHECK(v->flags & 1);
	CHECK_U64(v->level, PGT_PTE);
	/* the failing table: a pgt_buf page, allocated, never linked */
	const pgt_event *buf = nth_kind(s, PGT_EV_BUF_FOUND, 1);
	REQUIRE(buf && v->table < pgt_sim_table_count(s));
	CHECK_U64(t[v->table].pa, v->a);
	CHECK(v->a >= buf->a && v->a < buf->b);
	CHECK(t[v->table].alloc_event < vi);
	CHECK_U64(t[v->table].hook_event, UINT32_MAX);
	/* the tables are in memory not yet mapped: above max_pfn_mapped, which
	 * starts at the p2m list right after the kernel, in low memory */
	const pgt_event *mpm = NULL;
	for (size_t i = 0; i < pgt_sim_event_count(s) && !mpm; i++)
		if (ev[i].kind == PGT_EV_SET && ev[i].aux == PGT_VAR_MAX_PFN_MAPPED)
			mpm = &ev[i];
	REQUIRE(mpm);
	CHECK(buf->a >= mpm->a << 12);
	CHECK(mpm->a << 12 < 64 * MiB);
	CHECK_U64(pgt_sim_state_at(s, vi).max_pfn_mapped, mpm->a);
	/* the alias: PTE table b, entry aux & 0xffff, written at event aux >> 16 */
	uint64_t q = v->b, entry = v->aux & 0xffff, w = v->aux >> 16;
	REQUIRE(q < pgt_sim_table_count(s));
	CHECK_U64(t[q].level, PGT_PTE);
	CHECK_U64(t[q].va_base, v->a & ~(2 * MiB - 1));
	CHECK_U64(entry, (v->a >> 12) & 511);
	REQUIRE(w < vi);
	CHECK_U64(ev[w].kind, PGT_EV_MAP);
	CHECK_U64(ev[w].table, q);
	CHECK(ev[w].a <= v->a && v->a < ev[w].b);
	/* written writable: pgt_buf_end had not passed the page yet */
	CHECK(pgt_sim_state_at(s, w).pgt_buf_end <= v->a >> 12);
	/* ... and the alias table was linked (pinned) before the failing one */
	CHECK(t[q].hook_event < vi);
	/* the messages of the crash log in a38647837a4's message, in order,
	 * right after the violation, then Xen crashes the domain */
	char line[160];
	snprintf(line, sizeof(line),
	         "(XEN) mm.c:2466:d0 Bad type (saw 7400000000000001 != exp 1000000000000000) "
	         "for mfn ? (pfn %llx)",
	         (unsigned long long)(v->a >> 12));
	const char *const want[] = {line, "(XEN) mm.c:3027:d0 Error while pinning mfn ?",
	                            "(XEN) traps.c:481:d0 Unhandled invalid opcode fault/trap [#6] "
	                            "on VCPU 0 [ec=0000]",
	                            "(XEN) domain_crash_sync called from entry.S",
	                            "(XEN) Domain 0 (vcpu#0) crashed on cpu#0:"};
	size_t nl = pgt_sim_log_count(s);
	REQUIRE(nl >= 5);
	for (size_t k = 0; k < 5; k++) {
		const pgt_logline *l = pgt_sim_log(s, nl - 5 + k);
		CHECK(strcmp(l->text, want[k]) == 0);
		CHECK(l->event > vi);
	}
	const char *p = pgt_sim_panic(s);
	CHECK(p && strcmp(p, want[4]) == 0);
	CHECK_U64(ev[pgt_sim_event_count(s) - 1].kind, PGT_EV_PANIC);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* Index of the first event of a kind at or after `from`, or SIZE_MAX. */
static size_t next_index(const pgt_sim *s, int kind, size_t from)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = from; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == kind)
			return i;
	return SIZE_MAX;
}

/* Table pages of origin `origin` that were not mapped in the direct map at
 * the step they were allocated (the 2008 invariant says: none), and the
 * index of the first such allocation (SIZE_MAX if none). */
static size_t unmapped_at_alloc(const pgt_sim *s, int origin, size_t *first)
{
	size_t n = 0;
	*first = SIZE_MAX;
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++) {
		if (ev[i].kind != PGT_EV_ALLOC || ev[i].origin != origin)
			continue;
		if (!pgt_sim_translate(s, ev[i].a, i).mapped) {
			n++;
			if (*first == SIZE_MAX)
				*first = i;
		}
	}
	return n;
}

/* 2.6.27 (4f9c11dd49fb): the buffer is found bottom-up inside what the
 * domain builder mapped, the tables are allocated low to high while the walk
 * maps low to high, and every table page is mapped at the step it is
 * allocated.  hpa's chunk-end keeps the same invariant; 2.6.39-rc1 on the
 * same map breaks it at its first table. */
/* The static PTE pages xen_map_identity_early added (static origin, linked
 * before the first call) */
static size_t xen_ident_tables(const pgt_sim *s, size_t call)
{
	const pgt_event *ev = pgt_sim_events(s);
	size_t n = 0;
	for (size_t i = 0; i < call; i++)
		n += ev[i].kind == PGT_EV_ALLOC && ev[i].origin == PGT_ORIGIN_STATIC &&
		     ev[i].level == PGT_PTE;
	return n;
}

static void xen_invariant_holds_in_2_6_27_and_breaks_in_2_6_39_rc1(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-invariant-2.6.27", &sc));
	CHECK(sc.xen_pv);
	CHECK_U64(sc.kver, PGT_KVER(2, 6, 27));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, NULL, PGT_XEN_RULE_AUTO);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 0);
	size_t call = nth_index(s, PGT_EV_CALL_BEGIN, 1);
	const pgt_event *buf = nth_kind(s, PGT_EV_BUF_FOUND, 1);
	REQUIRE(call != SIZE_MAX && buf);
	/* bottom-up from 0x8000: the first fit is the first MiB above the
	 * 640 KiB hole, below the kernel, inside the builder's mapping */
	CHECK_U64(buf->a, 1 * MiB);
	CHECK_U64(buf->b - buf->a, 1027 * 4096ULL);
	/* xen_map_identity_early: the builder's 36 MiB plus four spare PTE
	 * pages (8 MiB); max_pfn_mapped is the last pfn it mapped */
	uint64_t mapped_end = pgt_sim_state_at(s, call).max_pfn_mapped << 12;
	CHECK_U64(mapped_end, 44 * MiB - 4096);
	CHECK_U64(xen_ident_tables(s, call), 4);
	CHECK(buf->b <= 16 * MiB);
	/* allocated low to high, 4 KiB apart; mapped low to high */
	const pgt_event *ev = pgt_sim_events(s);
	uint64_t last_alloc = 0, last_map = 0;
	size_t allocs = 0;
	bool ascending = true;
	for (size_t i = call; i < pgt_sim_event_count(s); i++) {
		if (ev[i].kind == PGT_EV_ALLOC && ev[i].origin == PGT_ORIGIN_PGTBUF) {
			ascending = ascending && (allocs == 0 || ev[i].a == last_alloc + 4096);
			last_alloc = ev[i].a;
			allocs++;
		}
		if (ev[i].kind == PGT_EV_MAP) {
			ascending = ascending && ev[i].a >= last_map;
			last_map = ev[i].a;
		}
	}
	CHECK(ascending);
	CHECK_U64(allocs, 1003); /* 1002 PTE pages for [44 MiB, 2 GiB), the PMD page of GiB 1 */
	/* the first new table: mapped (by the builder) before it is allocated,
	 * made read-only, then linked */
	size_t a0 = next_index(s, PGT_EV_ALLOC, call);
	REQUIRE(a0 != SIZE_MAX);
	CHECK_U64(ev[a0].a, buf->a);
	CHECK_U64(ev[a0].b, 44 * MiB); /* the first 2 MiB the identity map did not */
	CHECK(pgt_sim_translate(s, buf->a, a0).mapped);
	size_t ro = next_index(s, PGT_EV_MARK_RO, a0), hk = next_index(s, PGT_EV_HOOK, a0);
	REQUIRE(ro != SIZE_MAX && hk != SIZE_MAX);
	CHECK(ro < hk);
	CHECK_U64(ev[ro].a, buf->a);
	CHECK(!pgt_sim_translate(s, buf->a, hk).writable);
	size_t first = 0;
	CHECK_U64(unmapped_at_alloc(s, PGT_ORIGIN_PGTBUF, &first), 0);
	/* the walk keeps the builder's entries: it never writes one for a
	 * buffer page (so no window over the buffer is needed on this map) */
	size_t in_buf = 0;
	for (size_t i = call; i < pgt_sim_event_count(s); i++)
		in_buf += ev[i].kind == PGT_EV_MAP && ev[i].a < buf->b && ev[i].b > buf->a;
	CHECK_U64(in_buf, 0);
	pgt_sim_free(s);
	/* hpa's 2012 proposal on the same map: the same invariant, no buffer */
	pgt_sim *ce = run(&sc, PGT_SCHEME_CHUNKEND, NULL, PGT_XEN_RULE_AUTO);
	REQUIRE(ce);
	CHECK(pgt_sim_panic(ce) == NULL);
	CHECK_U64(count_kind(ce, PGT_EV_VIOLATION), 0);
	CHECK(pgt_sim_state_at(ce, pgt_sim_event_count(ce) - 1).tables_origin[PGT_ORIGIN_CHUNK] >
	      1000);
	CHECK_U64(unmapped_at_alloc(ce, PGT_ORIGIN_CHUNK, &first), 0);
	pgt_sim_free(ce);
	/* 2.6.39-rc1, tables high: the very first table is allocated from
	 * memory nothing maps yet */
	pgt_sim *rc1 = run(&sc, PGT_SCHEME_PGTBUF, "2.6.39-rc1", PGT_XEN_RULE_AUTO);
	REQUIRE(rc1);
	const pgt_event *hb = nth_kind(rc1, PGT_EV_BUF_FOUND, 1);
	REQUIRE(hb);
	CHECK(unmapped_at_alloc(rc1, PGT_ORIGIN_PGTBUF, &first) > 0);
	REQUIRE(first != SIZE_MAX);
	CHECK_U64(pgt_sim_events(rc1)[first].a, hb->a);
	CHECK_U64(first, next_index(rc1, PGT_EV_ALLOC, nth_index(rc1, PGT_EV_CALL_BEGIN, 1)));
	pgt_sim_free(rc1);
	pgt_scenario_clear(&sc);
}

/* 2.6.37 (a9ce6bc1510, fef5ba797991): memblock puts the buffer top-down
 * below max_pfn_mapped, at the top of the identity map that
 * xen_map_identity_early extended by 8 MiB, still in mapped memory; the mask_rw_pte window is in
 * force but the walk never writes an entry for a buffer page, and every table page is mapped when
 * allocated. */
static void xen_window_2_6_37_keeps_the_tables_in_mapped_memory(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-window-2.6.37", &sc));
	CHECK_U64(sc.kver, PGT_KVER(2, 6, 37));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, NULL, PGT_XEN_RULE_AUTO);
	REQUIRE(s);
	CHECK_U64(pgt_sim_xen_rule(s), PGT_XEN_RULE_END);
	CHECK(pgt_sim_panic(s) == NULL);
	CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 0);
	CHECK_U64(count_kind(s, PGT_EV_MARK_RW), 0);
	size_t call = nth_index(s, PGT_EV_CALL_BEGIN, 1);
	const pgt_event *buf = nth_kind(s, PGT_EV_BUF_FOUND, 1);
	REQUIRE(call != SIZE_MAX && buf);
	uint64_t mapped_end = pgt_sim_state_at(s, call).max_pfn_mapped << 12;
	CHECK_U64(mapped_end, 44 * MiB - 4096);
	CHECK_U64(xen_ident_tables(s, call), 4);
	CHECK_U64(buf->b, mapped_end); /* top-down: at the top of the identity map */
	CHECK_U64(buf->b - buf->a, 1027 * 4096ULL);
	size_t first = 0;
	CHECK_U64(unmapped_at_alloc(s, PGT_ORIGIN_PGTBUF, &first), 0);
	/* the window has nothing to do: no entry of the walk maps a buffer page */
	const pgt_event *ev = pgt_sim_events(s);
	size_t in_window = 0;
	for (size_t i = call; i < pgt_sim_event_count(s); i++)
		in_window += ev[i].kind == PGT_EV_MAP && ev[i].a < buf->b && ev[i].b > buf->a;
	CHECK_U64(in_window, 0);
	/* only the used part is reserved */
	const pgt_event *used = nth_kind(s, PGT_EV_RESERVE, 1);
	REQUIRE(used);
	CHECK_U64(used->a, buf->a);
	CHECK(used->b < buf->b);
	uint64_t buf_size = buf->b - buf->a; /* buf points into s */
	pgt_sim_free(s);
	/* 2.6.36: the same buffer, bottom-up at 1 MiB */
	pgt_sim *old = run(&sc, PGT_SCHEME_PGTBUF, "2.6.36", PGT_XEN_RULE_AUTO);
	REQUIRE(old);
	const pgt_event *ob = nth_kind(old, PGT_EV_BUF_FOUND, 1);
	REQUIRE(ob);
	CHECK_U64(ob->a, 1 * MiB);
	CHECK_U64(ob->b - ob->a, buf_size);
	pgt_sim_free(old);
	pgt_scenario_clear(&sc);
}

/* The first PTE page a run's own walk (not the builder, not
 * xen_map_identity_early) allocates for the 2 MiB at va, or SIZE_MAX. */
static size_t walk_pte_for(const pgt_sim *s, uint64_t va)
{
	const pgt_event *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_ALLOC && ev[i].level == PGT_PTE && ev[i].b == va &&
		    ev[i].origin != PGT_ORIGIN_STATIC && ev[i].origin != PGT_ORIGIN_XEN)
			return i;
	return SIZE_MAX;
}

/* xen_map_identity_early's 8 MiB on x86-64 ends with 3.6: caaf9ecf16fe
 * (first in 3.7) dropped the call, so 3.7+ (old scheme, chunk-end on a 3.7
 * model, 3.9+ top-down) start from the builder's mapping alone; the version
 * decides, not the scheme (chunk-end's own model is 3.6).  max_pfn_mapped
 * starts at __pa(mfn_list) from 2.6.39-rc1 in every scheme, and the 3.9+
 * walk sets it to 0 before its first table. */
static void xen_identity_extension_ends_with_3_6(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-invariant-2.6.27", &sc));
	static const struct {
		int scheme;
		const char *kver;
		size_t ident;      /* static PTE pages of the extension */
		uint64_t walk_pte; /* the first 2 MiB the run's own walk maps with a new PTE page */
	} runs[] = {
	    {PGT_SCHEME_PGTBUF, "3.6", 4, 44 * MiB},   {PGT_SCHEME_PGTBUF, "3.7", 0, 36 * MiB},
	    {PGT_SCHEME_PGTBUF, "3.8", 0, 36 * MiB},   {PGT_SCHEME_CHUNKEND, NULL, 4, 44 * MiB},
	    {PGT_SCHEME_CHUNKEND, "3.7", 0, 36 * MiB}, {PGT_SCHEME_TOPDOWN, NULL, 0, 36 * MiB},
	    {PGT_SCHEME_TOPDOWN, "4.8", 0, 36 * MiB},
	};
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		pgt_sim *s = run(&sc, runs[r].scheme, runs[r].kver, PGT_XEN_RULE_AUTO);
		REQUIRE(s);
		CHECK(pgt_sim_panic(s) == NULL);
		CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 0);
		size_t call = nth_index(s, PGT_EV_CALL_BEGIN, 1);
		REQUIRE(call != SIZE_MAX);
		CHECK_U64(xen_ident_tables(s, call), runs[r].ident);
		if (runs[r].scheme == PGT_SCHEME_CHUNKEND && !runs[r].kver) {
			/* the scenario's chunk-end note sits on the first
			 * chunk-end table: the identity map's last page */
			size_t first = SIZE_MAX;
			const pgt_event *ev = pgt_sim_events(s);
			for (size_t i = 0; i < pgt_sim_event_count(s) && first == SIZE_MAX; i++)
				if (ev[i].kind == PGT_EV_ALLOC && ev[i].origin == PGT_ORIGIN_CHUNK)
					first = i;
			REQUIRE(first != SIZE_MAX);
			CHECK_U64(ev[first].a, 44 * MiB - 4096);
			bool noted = false;
			for (size_t n = 0; n < sc.n_notes; n++) {
				unsigned long at = 0;
				if (sscanf(sc.notes[n].at, "event:%lu", &at) == 1 &&
				    strncmp(sc.notes[n].text, "chunk-end:", 10) == 0)
					noted = at == first;
			}
			CHECK(noted);
		}
		/* the builder maps [0, 36 MiB); below the first new PTE page
		 * nothing is allocated by the walk */
		CHECK(walk_pte_for(s, runs[r].walk_pte) != SIZE_MAX);
		CHECK_U64(walk_pte_for(s, runs[r].walk_pte - 2 * MiB), SIZE_MAX);
		/* 14988a4d350: __pa(mfn_list), the p2m list right after BRK, far
		 * below the identity map's end in every version here */
		uint64_t mpm = pgt_sim_state_at(s, call).max_pfn_mapped << 12;
		CHECK(mpm > 16 * MiB && mpm < 36 * MiB);
		if (runs[r].scheme == PGT_SCHEME_TOPDOWN) {
			/* memory_map_top_down: max_pfn_mapped = 0, then only what
			 * the walk mapped */
			size_t c2 = nth_index(s, PGT_EV_CALL_BEGIN, 2);
			REQUIRE(c2 != SIZE_MAX);
			CHECK(pgt_sim_state_at(s, c2).max_pfn_mapped == 0);
		}
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

/* The same map under the other rules and versions. */
static void xen_live_patient_under_the_other_versions(void)
{
	pgt_scenario sc;
	REQUIRE(load("xen-live-patient", &sc));
	/* 2.6.39 and 3.0: pgt_buf_top window and the pagetable_reserve hook */
	static const char *const fixed[] = {"2.6.39", "3.0"};
	for (size_t i = 0; i < 2; i++) {
		pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, fixed[i], PGT_XEN_RULE_AUTO);
		REQUIRE(s);
		CHECK(pgt_sim_panic(s) == NULL);
		CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 0);
		CHECK_U64(pgt_sim_xen_rule(s), PGT_XEN_RULE_TOP);
		const pgt_event *rw = nth_kind(s, PGT_EV_MARK_RW, 1);
		const pgt_event *buf = nth_kind(s, PGT_EV_BUF_FOUND, 1);
		REQUIRE(rw && buf);
		CHECK_U64(rw->b, buf->b);
		CHECK(rw->aux > 0); /* the tail was read-only and is writable again */
		CHECK(has_line(s, "xen: setting RW the range"));
		/* every table page of the buffer is read-only, those taken after
		 * the window made their page read-only too (from their allocation:
		 * #1020-#1027 were drawn writable) */
		size_t nbuf = 0, nro = 0;
		for (size_t t = 0; t < pgt_sim_table_count(s); t++) {
			pgt_table tb = pgt_sim_table(s, t);
			if (tb.origin != PGT_ORIGIN_PGTBUF)
				continue;
			nbuf++;
			nro += tb.ro_event != UINT32_MAX && tb.ro_event >= tb.alloc_event;
		}
		CHECK(nbuf > 1000);
		CHECK_U64(nro, nbuf);
		pgt_sim_free(s);
	}
	/* the window without the hook: the tail stays read-only and the first
	 * page memblock hands out of it faults */
	pgt_sim *nh = run(&sc, PGT_SCHEME_PGTBUF, "2.6.39", PGT_XEN_RULE_TOP_NOHOOK);
	REQUIRE(nh);
	CHECK_U64(count_kind(nh, PGT_EV_MARK_RW), 0);
	const char *p = pgt_sim_panic(nh);
	CHECK(p && strncmp(p, "BUG: unable to handle kernel paging request at ", 47) == 0);
	const pgt_event *buf = nth_kind(nh, PGT_EV_BUF_FOUND, 1);
	const pgt_event *re = nth_kind(nh, PGT_EV_RESERVE, 2);
	const pgt_event *used = nth_kind(nh, PGT_EV_RESERVE, 1);
	REQUIRE(buf && re && used);
	CHECK(re->a >= used->b && re->b <= buf->b); /* in [pgt_buf_end, pgt_buf_top) */
	pgt_sim_free(nh);
	/* 2.6.37/2.6.38: the same window, but the tables below max_pfn_mapped,
	 * in memory the domain builder mapped: nothing fails */
	static const char *const early[] = {"2.6.37", "2.6.38"};
	for (size_t i = 0; i < 2; i++) {
		pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, early[i], PGT_XEN_RULE_AUTO);
		REQUIRE(s);
		CHECK_U64(pgt_sim_xen_rule(s), PGT_XEN_RULE_END);
		CHECK(pgt_sim_panic(s) == NULL);
		CHECK_U64(count_kind(s, PGT_EV_VIOLATION), 0);
		CHECK_U64(count_kind(s, PGT_EV_MARK_RW), 0);
		pgt_sim_free(s);
	}
	/* 3.9: nothing to fix */
	pgt_sim *newer = run(&sc, PGT_SCHEME_TOPDOWN, NULL, PGT_XEN_RULE_AUTO);
	REQUIRE(newer);
	CHECK(pgt_sim_panic(newer) == NULL);
	CHECK_U64(count_kind(newer, PGT_EV_VIOLATION), 0);
	pgt_sim_free(newer);
	pgt_scenario_clear(&sc);
}

static void kdump_fails_in_3_8_and_succeeds_in_3_0_and_3_9(void)
{
	pgt_scenario sc;
	REQUIRE(load("kdump-512m-under-768m", &sc));
	CHECK_U64(sc.crashkernel, 512 * MiB);
	pgt_sim *v38 = run(&sc, PGT_SCHEME_PGTBUF, "3.8", 0);
	pgt_sim *v30 = run(&sc, PGT_SCHEME_PGTBUF, "3.0", 0);
	pgt_sim *v39 = run(&sc, PGT_SCHEME_TOPDOWN, "3.9", 0);
	REQUIRE(v38 && v30 && v39);
	CHECK(crash_reserve(v38) == NULL);
	CHECK(has_line(v38, "crashkernel reservation failed - No suitable area found."));
	CHECK(crash_reserve(v30) != NULL);
	CHECK(crash_reserve(v39) != NULL);
	CHECK(has_line(v39, "Reserving 512MB of memory at 384MB for crashkernel"));
	pgt_sim_free(v38);
	pgt_sim_free(v30);
	pgt_sim_free(v39);
	pgt_scenario_clear(&sc);
}

static void old_panics_under_the_old_scheme_only(void)
{
	pgt_scenario sc;
	REQUIRE(load("old-panics", &sc));
	static const char *const old[] = {"3.2", "3.8"};
	for (size_t i = 0; i < 2; i++) {
		pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, old[i], 0);
		REQUIRE(s);
		const char *p = pgt_sim_panic(s);
		CHECK(p && strstr(p, "Cannot find space for the kernel page tables"));
		/* the kernel's own line, as printed */
		CHECK(has_line(s, "Kernel panic - not syncing: Cannot find space for the kernel "
		                  "page tables"));
		pgt_sim_free(s);
	}
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, NULL, 0);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	/* and it maps everything */
	CHECK(pgt_sim_translate(s, 0x7fffffe000ULL, SIZE_MAX).mapped);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* The buffer of the Nth call (from 1) and the tables allocated in it. */
static const pgt_event *call_buf(const pgt_sim *s, size_t call, size_t *allocs)
{
	size_t c = nth_index(s, PGT_EV_CALL_BEGIN, call);
	*allocs = 0;
	if (c == SIZE_MAX)
		return NULL;
	const pgt_event *ev = pgt_sim_events(s), *buf = NULL;
	for (size_t i = c + 1; i < pgt_sim_event_count(s) && ev[i].kind != PGT_EV_CALL_BEGIN; i++) {
		if (ev[i].kind == PGT_EV_BUF_FOUND)
			buf = &ev[i];
		*allocs += ev[i].kind == PGT_EV_ALLOC;
	}
	return buf;
}

/* 3.7-rc2 (1bbbbe779aab without 844ab6f993b1), a map constructed from the
 * code: with 1 GiB pages each high call is sized for [0, end), so the call
 * that starts 1 MiB into a fresh GiB gets one page and needs two; 3.7 (the
 * fix), 3.6 (one high call from 4 GiB), no GiB pages and top-down boot. */
static void gbpages_hole_panics_in_3_7_rc2_only(void)
{
	pgt_scenario sc;
	REQUIRE(load("gbpages-hole-3.7-rc2", &sc));
	CHECK_U64(sc.kver, PGT_KVER_RC(3, 7, 0, 2));
	CHECK(sc.title && strstr(sc.title, "Constructed from the code"));
	pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, NULL, 0);
	REQUIRE(s);
	const char *p = pgt_sim_panic(s);
	CHECK(p && strstr(p, "alloc_low_page: ran out of memory"));
	CHECK(has_line(s, "Kernel panic - not syncing: alloc_low_page: ran out of memory"));
	/* three calls: low, [4G, 8G), then the entry after the hole */
	CHECK(has_line(s, "init_memory_mapping: [mem 0x100000000-0x1ffffffff]"));
	CHECK(has_line(s, "init_memory_mapping: [mem 0x200100000-0x3ffffffff]"));
	size_t allocs = 0;
	const pgt_event *b3 = call_buf(s, 3, &allocs);
	REQUIRE(b3);
	CHECK_U64(b3->b - b3->a, 4096); /* sized for [0, 16 GiB) with 1 GiB pages */
	CHECK_U64(b3->b, 8ULL << 30);   /* below max_pfn_mapped, the end of call 2 */
	CHECK_U64(allocs, 1);           /* the PMD page of GiB 8; the PTE page fails */
	const pgt_event *a = NULL, *ev = pgt_sim_events(s);
	for (size_t i = 0; i < pgt_sim_event_count(s); i++)
		if (ev[i].kind == PGT_EV_ALLOC)
			a = &ev[i]; /* the last table allocated */
	REQUIRE(a);
	CHECK_U64(a->level, PGT_PMD);
	CHECK_U64(a->b, 8ULL << 30);
	pgt_sim_free(s);
	/* 844ab6f993b1 (3.7): three pages, both tables fit */
	s = run(&sc, PGT_SCHEME_PGTBUF, "3.7", 0);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	b3 = call_buf(s, 3, &allocs);
	REQUIRE(b3);
	CHECK_U64(b3->b - b3->a, 3 * 4096);
	CHECK_U64(allocs, 2);
	CHECK(pgt_sim_translate(s, (8ULL << 30) + (1 << 20), SIZE_MAX).mapped);
	pgt_sim_free(s);
	/* 3.6: one high call from 4 GiB (the hole mapped with the rest) */
	s = run(&sc, PGT_SCHEME_PGTBUF, "3.6", 0);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	CHECK(has_line(s, "init_memory_mapping: [mem 0x100000000-0x3ffffffff]"));
	CHECK_U64(nth_index(s, PGT_EV_CALL_BEGIN, 3), SIZE_MAX);
	pgt_sim_free(s);
	/* no 1 GiB pages: PMD entries counted from 0, plenty of spare pages */
	sc.cpu.gbpages = false;
	s = run(&sc, PGT_SCHEME_PGTBUF, NULL, 0);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	pgt_sim_free(s);
	sc.cpu.gbpages = true;
	s = run(&sc, PGT_SCHEME_TOPDOWN, NULL, 0);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void debug_64g_4k_has_the_largest_pgt_buf(void)
{
	uint64_t best = 0, debug = 0;
	const char *best_name = "";
	for (size_t g = 0; g < N_GALLERY; g++) {
		pgt_scenario sc;
		REQUIRE(load(gallery[g], &sc));
		for (int k = 0; k < 2; k++) {
			if (sc.schemes[k] != PGT_SCHEME_PGTBUF)
				continue;
			pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, NULL, 0);
			REQUIRE(s);
			uint64_t b = largest_buf(s);
			if (strcmp(gallery[g], "debug-64g-4k") == 0)
				debug = b;
			else if (b > best) {
				best = b;
				best_name = gallery[g];
			}
			pgt_sim_free(s);
		}
		pgt_scenario_clear(&sc);
	}
	if (!(debug > best))
		fprintf(stderr, "debug-64g-4k's pgt_buf %#llx is not above %s's %#llx\n",
		        (unsigned long long)debug, best_name, (unsigned long long)best);
	CHECK(debug > best);
	CHECK(debug > 100 * MiB); /* 64 GiB with 4 KiB pages: ~128 MiB of PTE pages */
}

/* debug-64g-4k's call:2 note: under 3.8 the high call's buffer lies below
 * 4 GiB, outside [4 GiB, 65 GiB), in memory already mapped; under 3.0
 * (good_end = end, 4b239f458) it lies at the top of that range, above
 * max_pfn_mapped, in memory the call has not mapped yet. */
static void debug_64g_4k_high_buffer_by_version(void)
{
	pgt_scenario sc;
	REQUIRE(load("debug-64g-4k", &sc));
	const uint64_t GiB = 1ULL << 30;
	static const char *const kv[] = {"3.8", "3.0"};
	for (int k = 0; k < 2; k++) {
		pgt_sim *s = run(&sc, PGT_SCHEME_PGTBUF, kv[k], 0);
		REQUIRE(s);
		size_t second = SIZE_MAX, seen = 0;
		for (size_t i = 0; i < pgt_sim_event_count(s) && second == SIZE_MAX; i++)
			if (pgt_sim_event(s, i).kind == PGT_EV_BUF_FOUND && ++seen == 2)
				second = i;
		REQUIRE(second != SIZE_MAX);
		pgt_event e = pgt_sim_event(s, second);
		pgt_state st = pgt_sim_state_at(s, second);
		if (k == 0) {
			CHECK(e.b <= 4 * GiB);
			CHECK((e.b >> 12) <= st.max_pfn_mapped);
		} else {
			CHECK(e.a >= 4 * GiB);
			CHECK(e.b <= 65 * GiB);
			CHECK((e.a >> 12) >= st.max_pfn_mapped);
		}
		pgt_sim_free(s);
	}
	pgt_scenario_clear(&sc);
}

static void initrd_top_first_chunk_ends_below_the_initrd(void)
{
	pgt_scenario sc;
	REQUIRE(load("initrd-top", &sc));
	uint64_t initrd = 0;
	for (size_t i = 0; i < sc.n_resv; i++)
		if (sc.resv[i].kind == PGT_RESV_INITRD)
			initrd = sc.resv[i].start;
	REQUIRE(initrd);
	pgt_sim *s = run(&sc, PGT_SCHEME_TOPDOWN, NULL, 0);
	REQUIRE(s);
	/* call 1 is the ISA range; call 2 the first top-down chunk */
	const pgt_event *first = nth_kind(s, PGT_EV_CALL_BEGIN, 2);
	REQUIRE(first);
	CHECK(first->b <= initrd);
	CHECK(initrd - first->b < 2 * MiB); /* right below it: real_end */
	/* and the initrd's own memory is mapped, last */
	const pgt_event *last = nth_kind(s, PGT_EV_CALL_BEGIN, count_kind(s, PGT_EV_CALL_BEGIN));
	REQUIRE(last);
	CHECK(last->a == first->b && last->b > initrd);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void movable_node_allocates_tables_above_the_kernel(void)
{
	pgt_scenario sc;
	REQUIRE(load("movable-node", &sc));
	CHECK(sc.movable_node);
	pgt_sim *up = run(&sc, PGT_SCHEME_BOTTOMUP, NULL, 0);
	pgt_sim *down = run(&sc, PGT_SCHEME_TOPDOWN, NULL, 0);
	REQUIRE(up && down);
	/* the kernel image (with BRK) is the reservation holding _text */
	uint64_t kstart = sc.kernel_start ? sc.kernel_start : 16 * MiB, kend = 0;
	const pgt_region *r;
	size_t n = pgt_sim_memblock_reserved_initial(up, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].base <= kstart && r[i].base + r[i].size > kstart)
			kend = r[i].base + r[i].size;
	REQUIRE(kend);
	size_t from_memblock = 0;
	const pgt_table *t = pgt_sim_tables(up);
	for (size_t i = 0; i < pgt_sim_table_count(up); i++) {
		if (t[i].origin != PGT_ORIGIN_MEMBLOCK)
			continue;
		from_memblock++;
		CHECK(t[i].pa >= kend);
		CHECK(t[i].pa < kend + 16 * MiB); /* just above it, not at the top */
	}
	CHECK(from_memblock > 0);
	/* without movable_node the same tables go to the top of RAM */
	t = pgt_sim_tables(down);
	for (size_t i = 0; i < pgt_sim_table_count(down); i++)
		if (t[i].origin == PGT_ORIGIN_MEMBLOCK)
			CHECK(t[i].pa > 4096 * MiB);
	pgt_sim_free(up);
	pgt_sim_free(down);
	pgt_scenario_clear(&sc);
}

static void mail_example_puts_pte_b_at_the_end_of_the_first_chunk(void)
{
	pgt_scenario sc;
	REQUIRE(load("mail-0-1g-4k", &sc));
	CHECK(sc.cpu.debug_pagealloc);
	pgt_sim *ce = run(&sc, PGT_SCHEME_CHUNKEND, NULL, 0);
	pgt_sim *old = run(&sc, PGT_SCHEME_PGTBUF, NULL, 0);
	REQUIRE(ce && old);
	const pgt_table *t = pgt_sim_tables(ce);
	const pgt_table *pte_a = NULL, *pte_b = NULL;
	size_t ce_ptes = 0;
	for (size_t i = 0; i < pgt_sim_table_count(ce); i++) {
		if (t[i].level != PGT_PTE)
			continue;
		ce_ptes++;
		if (t[i].va_base == 0)
			pte_a = &t[i];
		if (t[i].va_base == 2 * MiB)
			pte_b = &t[i];
	}
	REQUIRE(pte_a && pte_b);
	CHECK(pte_a->pa < 2 * MiB);             /* at the start of the region */
	CHECK_U64(pte_b->pa, 2 * MiB - 0x1000); /* end of the chunk just mapped */
	CHECK(pte_b->alloc_event > pte_a->alloc_event);
	/* the note that tells PTE_B's story sits at PTE_B's allocation */
	bool noted = false;
	for (size_t k = 0; k < sc.n_notes; k++) {
		if (!sc.notes[k].text || !strstr(sc.notes[k].text, "PTE_B is taken"))
			continue;
		char want[32];
		snprintf(want, sizeof(want), "event:%u", (unsigned)pte_b->alloc_event);
		CHECK_STR(sc.notes[k].at, want);
		noted = true;
	}
	CHECK(noted);
	/* every later PTE page: the last page of the 2 MiB before the one it
	 * maps, unless that page was reserved before mapping (the kernel image
	 * at 16 MiB): then the highest free page of what is already mapped */
	const pgt_region *r;
	size_t nr = pgt_sim_memblock_reserved_initial(ce, &r);
	size_t at_chunk_end = 0;
	for (size_t i = 0; i < pgt_sim_table_count(ce); i++) {
		if (t[i].level != PGT_PTE || t[i].va_base < 2 * MiB)
			continue;
		uint64_t want = t[i].va_base - 0x1000;
		bool taken = false;
		for (size_t k = 0; k < nr; k++)
			taken = taken || (r[k].base <= want && want < r[k].base + r[k].size);
		if (taken) {
			CHECK(t[i].pa < t[i].va_base); /* mapped before it goes live */
		} else {
			CHECK_U64(t[i].pa, want);
			at_chunk_end++;
		}
	}
	CHECK(at_chunk_end > 400);
	/* the same number of PTE pages as the old scheme, elsewhere */
	CHECK_U64(ce_ptes, pgt_sim_state_at(old, SIZE_MAX).tables[PGT_PTE]);
	CHECK_U64(ce_ptes, 512);
	pgt_sim_free(ce);
	pgt_sim_free(old);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	RUN(every_scenario_loads_runs_and_its_notes_resolve);
	RUN(xen_live_patient_fails_at_the_pin_in_2_6_39_rc1);
	RUN(xen_live_patient_under_the_other_versions);
	RUN(xen_invariant_holds_in_2_6_27_and_breaks_in_2_6_39_rc1);
	RUN(xen_window_2_6_37_keeps_the_tables_in_mapped_memory);
	RUN(xen_identity_extension_ends_with_3_6);
	RUN(gbpages_hole_panics_in_3_7_rc2_only);
	RUN(kdump_fails_in_3_8_and_succeeds_in_3_0_and_3_9);
	RUN(old_panics_under_the_old_scheme_only);
	RUN(debug_64g_4k_has_the_largest_pgt_buf);
	RUN(debug_64g_4k_high_buffer_by_version);
	RUN(initrd_top_first_chunk_ends_below_the_initrd);
	RUN(movable_node_allocates_tables_above_the_kernel);
	RUN(mail_example_puts_pte_b_at_the_end_of_the_first_chunk);
	return t_report();
}
