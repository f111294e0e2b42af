/*
 * e820 edits at scale (issue 16, docs/reliability.md "e820 edits at
 * scale"), without a clock: the core counts the map entries its edits
 * visit (pgt_sim_e820_work) and the tests bound that count.
 *
 *  - 100,000 one-page edits splitting the RAM above 4 GiB, in ascending,
 *    descending and shuffled order, each cost O(log n): the count stays
 *    under 8 * N * log2(N) (an array splice or a scan per edit visits
 *    ~N^2/2 = 5 * 10^9 entries), and the three orders give the same map;
 *  - small random maps and random overlapping edits (from/to any type,
 *    removal) agree page by page with a plain per-page reference, and the
 *    result is sorted, disjoint and merged;
 *  - wide edits: 20,000 edits each over 40,000 entries cost O(log n)
 *    each, not the entries they overlap; the edits name at most
 *    PGT_MAX_E820_EDIT_TYPES types;
 *  - EFI boot-services regions against the reserved ones, and the walk's
 *    past-the-end e820 tests over long runs of non-RAM entries, cost
 *    O(log n) each (pgt_sim_e820_query_work);
 *  - the old schemes' bound: 3,200 RAM ranges above 4 GiB after the edits
 *    run, 3,201 are refused (pgt_sim_cost_ok names E820_X_MAX and
 *    pgt_sim_run returns NULL); 3.9+ takes the same map.
 */
#include "pgtviz/core.h"
#include "t.h"

#include <stdlib.h>

#define GiB  (1ULL << 30)
#define PAGE 0x1000ULL

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A PC with 16 GiB above 4 GiB. */
static void base_map(pgt_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	CHECK(pgt_scenario_add_e820(sc, 0, 0x9fc00, PGT_E820_RAM));
	CHECK(pgt_scenario_add_e820(sc, 0xf0000, 0x100000, PGT_E820_RESERVED));
	CHECK(pgt_scenario_add_e820(sc, 0x100000, 3 * GiB, PGT_E820_RAM));
	CHECK(pgt_scenario_add_e820(sc, 4 * GiB, 20 * GiB, PGT_E820_RAM));
}

static pgt_run_opts run_opts(int scheme)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.max_events = 64; /* the map is set up whole before the first event */
	return o;
}

enum { ASC, DESC, SHUFFLED };

/* n one-page edits RAM -> reserved, every third page above 4 GiB. */
static void add_page_edits(pgt_scenario *sc, size_t n, int order)
{
	size_t *ix = malloc(n * sizeof(*ix));
	REQUIRE(ix);
	for (size_t i = 0; i < n; i++)
		ix[i] = order == DESC ? n - 1 - i : i;
	if (order == SHUFFLED)
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = next_rand() % (i + 1), t = ix[i];
			ix[i] = ix[j];
			ix[j] = t;
		}
	for (size_t i = 0; i < n; i++) {
		uint64_t a = 4 * GiB + PAGE + ix[i] * 3 * PAGE;
		CHECK(pgt_scenario_add_edit(sc, a, a + PAGE, PGT_E820_RAM, PGT_E820_RESERVED));
	}
	free(ix);
}

static void edits_cost_n_log_n_in_every_order(void)
{
	const size_t n = 100000;
	const uint64_t bound = 8 * (uint64_t)n * 17; /* 8 N log2(N) */
	pgt_e820_entry *first = NULL;
	size_t n_first = 0;
	for (int order = ASC; order <= SHUFFLED; order++) {
		pgt_scenario sc;
		base_map(&sc);
		add_page_edits(&sc, n, order);
		pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		uint64_t work = pgt_sim_e820_work(s);
		printf("order %d: %zu edits, %llu entries visited (bound %llu)\n", order, n,
		       (unsigned long long)work, (unsigned long long)bound);
		CHECK(work >= n); /* every edit touches at least its entry */
		CHECK(work <= bound);
		const pgt_e820_entry *e;
		size_t ne = pgt_sim_e820(s, &e);
		/* low RAM split by the 3.9 trim, F0000, low RAM, then N reserved
		 * pages between N + 1 RAM pieces above 4 GiB */
		CHECK_U64(ne, 4 + 2 * n + 1);
		if (!first) {
			first = malloc(ne * sizeof(*first));
			REQUIRE(first);
			memcpy(first, e, ne * sizeof(*e));
			n_first = ne;
		} else {
			bool same = ne == n_first;
			for (size_t i = 0; same && i < ne; i++)
				same = e[i].start == first[i].start && e[i].end == first[i].end &&
				       e[i].type == first[i].type;
			CHECK(same);
		}
		pgt_sim_free(s);
		pgt_scenario_clear(&sc);
	}
	free(first);
}

/* Random maps over 256 pages at 1 GiB and random edits, against a
 * per-page reference (type 0: no entry). */
#define WIN (1 * GiB)
#define NPG 256
static const uint32_t types[] = {0, PGT_E820_RAM, PGT_E820_RESERVED, PGT_E820_ACPI};
/* the map also holds types no edit names (NVS, an unknown type 20) */
static const uint32_t map_types[] = {
    0, PGT_E820_RAM, PGT_E820_RESERVED, PGT_E820_ACPI, PGT_E820_NVS, 20};

static void check_against_pages(const pgt_sim *s, const uint32_t *ref)
{
	const pgt_e820_entry *e;
	size_t ne = pgt_sim_e820(s, &e);
	uint32_t got[NPG] = {0};
	for (size_t i = 0; i < ne; i++) {
		if (i) {
			CHECK(e[i].start >= e[i - 1].end);
			CHECK(!(e[i].start == e[i - 1].end && e[i].type == e[i - 1].type));
		}
		for (uint64_t a = e[i].start; a < e[i].end; a += PAGE)
			if (a >= WIN && a < WIN + NPG * PAGE)
				got[(a - WIN) / PAGE] = e[i].type;
	}
	CHECK(memcmp(got, ref, sizeof(got)) == 0);
}

static void random_edits_match_a_page_reference(void)
{
	for (int round = 0; round < 300; round++) {
		pgt_scenario sc;
		memset(&sc, 0, sizeof(sc));
		CHECK(pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM));
		CHECK(pgt_scenario_add_e820(&sc, 0x100000, WIN, PGT_E820_RAM));
		uint32_t ref[NPG] = {0};
		for (size_t p = 0; p < NPG;) { /* runs of random type, holes included */
			size_t len = 1 + next_rand() % 12;
			uint32_t t = map_types[next_rand() % 6];
			if (p + len > NPG)
				len = NPG - p;
			if (t)
				CHECK(pgt_scenario_add_e820(&sc, WIN + p * PAGE,
				                            WIN + (p + len) * PAGE, t));
			for (size_t k = p; k < p + len; k++)
				ref[k] = t;
			p += len;
		}
		int n_edits = 1 + (int)(next_rand() % 40);
		for (int i = 0; i < n_edits; i++) {
			size_t a = next_rand() % NPG, b = a + 1 + next_rand() % (NPG - a);
			uint32_t from = types[next_rand() % 4], to = types[next_rand() % 4];
			CHECK(pgt_scenario_add_edit(&sc, WIN + a * PAGE, WIN + b * PAGE, from, to));
			for (size_t k = a; k < b; k++)
				if (ref[k] && (!from || ref[k] == from))
					ref[k] = to;
		}
		pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
		pgt_sim *s = pgt_sim_run(&sc, &o);
		REQUIRE(s);
		check_against_pages(s, ref);
		pgt_sim_free(s);
		pgt_scenario_clear(&sc);
	}
}

/* Wide edits over a big map: 20,000 edits, each over all 40,000 entries
 * above 4 GiB (RAM and ACPI pages alternating), turning RAM into reserved
 * and back.  Only half the entries change and none merge, so rebuilding
 * what an edit overlaps visits 20,000 x 40,000 = 8 * 10^8 entries; the
 * edit tree visits O(log n) nodes per edit. */
static void wide_edits_cost_log_n_each(void)
{
	const size_t pairs = 20000, n_edits = 20000;
	const uint64_t hi = 4 * GiB, top = hi + 2 * pairs * PAGE;
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	CHECK(pgt_scenario_add_e820(&sc, 0, 0x9fc00, PGT_E820_RAM));
	CHECK(pgt_scenario_add_e820(&sc, 0x100000, 3 * GiB, PGT_E820_RAM));
	for (size_t i = 0; i < pairs; i++) {
		uint64_t a = hi + 2 * i * PAGE;
		CHECK(pgt_scenario_add_e820(&sc, a, a + PAGE, PGT_E820_RAM));
		CHECK(pgt_scenario_add_e820(&sc, a + PAGE, a + 2 * PAGE, PGT_E820_ACPI));
	}
	for (size_t i = 0; i < n_edits; i++) {
		bool back = i % 2;
		CHECK(pgt_scenario_add_edit(&sc, hi, top, back ? PGT_E820_RESERVED : PGT_E820_RAM,
		                            back ? PGT_E820_RAM : PGT_E820_RESERVED));
	}
	/* N: entries plus edit boundaries, log2(N) < 17 */
	const uint64_t bound = 8 * (uint64_t)(2 * pairs + 2 * n_edits) * 17;
	pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	uint64_t work = pgt_sim_e820_work(s);
	printf("wide: %zu edits over %zu entries, %llu tree nodes visited (bound %llu)\n", n_edits,
	       2 * pairs, (unsigned long long)work, (unsigned long long)bound);
	CHECK(work >= n_edits);
	CHECK(work <= bound);
	/* an even number of flips: the map as given ([0, 4K) reserved by the
	 * 3.9 trim, low RAM, RAM to 3 GiB, then the pages) */
	const pgt_e820_entry *e;
	size_t ne = pgt_sim_e820(s, &e);
	CHECK_U64(ne, 3 + 2 * pairs);
	bool same = ne == 3 + 2 * pairs;
	for (size_t i = 0; same && i < 2 * pairs; i++) {
		const pgt_e820_entry *x = &e[3 + i];
		same = x->start == hi + i * PAGE && x->end == x->start + PAGE &&
		       x->type == (i % 2 ? PGT_E820_ACPI : PGT_E820_RAM);
	}
	CHECK(same);
	pgt_sim_free(s);
	/* one more flip: every RAM page reserved */
	CHECK(pgt_scenario_add_edit(&sc, hi, top, PGT_E820_RAM, PGT_E820_RESERVED));
	s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	ne = pgt_sim_e820(s, &e);
	CHECK_U64(ne, 3 + 2 * pairs);
	CHECK(ne > 3 && e[3].type == PGT_E820_RESERVED && e[ne - 1].type == PGT_E820_ACPI);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* The edits name at most PGT_MAX_E820_EDIT_TYPES types, the trims' usable
 * and reserved included: one more is refused before the run. */
static void edit_types_are_bounded(void)
{
	pgt_scenario sc;
	base_map(&sc);
	uint32_t type = 100;
	for (int i = 0; i < PGT_MAX_E820_EDIT_TYPES - 2; i++, type++) {
		uint64_t a = 4 * GiB + (uint64_t)i * 2 * PAGE;
		CHECK(pgt_scenario_add_edit(&sc, a, a + PAGE, PGT_E820_RAM, type));
	}
	pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
	CHECK_U64(pgt_sim_cost(&sc, &o).edit_types, PGT_MAX_E820_EDIT_TYPES);
	CHECK(pgt_sim_cost_ok(&sc, &o, NULL, 0));
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	const pgt_e820_entry *e;
	size_t ne = pgt_sim_e820(s, &e), typed = 0;
	for (size_t i = 0; i < ne; i++)
		typed += e[i].type >= 100 && e[i].end - e[i].start == PAGE;
	CHECK_U64(typed, PGT_MAX_E820_EDIT_TYPES - 2);
	pgt_sim_free(s);
	CHECK(pgt_scenario_add_edit(&sc, 8 * GiB, 8 * GiB + PAGE, PGT_E820_RAM, type));
	char why[320];
	CHECK_U64(pgt_sim_cost(&sc, &o).edit_types, PGT_MAX_E820_EDIT_TYPES + 1);
	CHECK(!pgt_sim_cost_ok(&sc, &o, why, sizeof(why)));
	CHECK(strstr(why, "name more than 62 e820 types") != NULL);
	CHECK(pgt_sim_run(&sc, &o) == NULL);
	pgt_scenario_clear(&sc);
}

/* EFI boot-services regions against memblock.reserved: 20,000 of each,
 * interleaved.  A scan of the reserved regions per EFI region costs
 * 20,000 x 20,000 = 4 * 10^8 comparisons; a binary search each, O(E log R).
 * Every EFI region is reserved (none clashes), each other one merged. */
static void efi_boot_services_cost_log_n_each(void)
{
	const size_t n = 20000;
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	CHECK(pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM));
	CHECK(pgt_scenario_add_e820(&sc, 0x100000, 64 * GiB, PGT_E820_RAM));
	for (size_t i = 0; i < n; i++) { /* descending: the worst order to add */
		uint64_t a = 8 * GiB + (n - i) * 4 * PAGE;
		CHECK(pgt_scenario_add_resv(&sc, a, a + PAGE, PGT_RESV_OTHER, NULL));
		CHECK(pgt_scenario_add_resv(&sc, a + 2 * PAGE, a + 3 * PAGE, PGT_RESV_EFI_BOOT,
		                            NULL));
	}
	pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
	o.kver = PGT_KVER(3, 13, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	const pgt_region *r;
	size_t nr = pgt_sim_memblock_reserved_initial(s, &r), efi = 0, other = 0;
	for (size_t i = 0; i < nr; i++) {
		bool high = r[i].base >= 8 * GiB && r[i].base < 9 * GiB;
		efi += high && (r[i].base / PAGE) % 4 == 2 && r[i].size == PAGE;
		other += high && (r[i].base / PAGE) % 4 == 0 && r[i].size == PAGE;
	}
	CHECK_U64(efi, n);
	CHECK_U64(other, n);
	const uint64_t bound = 4 * (uint64_t)n; /* one search each */
	uint64_t work = pgt_sim_e820_query_work(s);
	printf("efi: %zu regions against %zu reserved, query work %llu (bound %llu)\n", n, n,
	       (unsigned long long)work, (unsigned long long)bound);
	CHECK(work <= bound);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

/* The walk's e820_any_mapped tests past the end of each range (3.9+: per
 * 4 KiB page, 2 MiB and GiB) over long runs of non-RAM entries: 200 2 MiB
 * blocks above 4 GiB, each 500 reserved and ACPI pages and a RAM page at
 * its end.  Mapping each RAM page tests every later 2 MiB slot of its PMD
 * table; a scan of the entries up to the next RAM one per test visits
 * about 200^2 / 2 x 500 = 10^7; with the next-RAM index and a cursor per
 * PTE table each test is O(log n) or O(1). */
static void walk_queries_cost_log_n_each(void)
{
	const size_t ranges = 200, junk = 500;
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	CHECK(pgt_scenario_add_e820(&sc, 0, 0x9f000, PGT_E820_RAM));
	CHECK(pgt_scenario_add_e820(&sc, 0x100000, 3 * GiB, PGT_E820_RAM));
	for (size_t i = 0; i < ranges; i++) {
		uint64_t a = 4 * GiB + i * 0x200000, ram = a + 0x200000 - PAGE;
		for (size_t k = 0; k < junk; k++)
			CHECK(pgt_scenario_add_e820(&sc, a + k * PAGE, a + (k + 1) * PAGE,
			                            k % 2 ? PGT_E820_ACPI : PGT_E820_RESERVED));
		CHECK(pgt_scenario_add_e820(&sc, ram, ram + PAGE, PGT_E820_RAM));
	}
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	o.kver = PGT_KVER(3, 13, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	REQUIRE(s);
	CHECK(pgt_sim_panic(s) == NULL);
	size_t tables = pgt_sim_table_count(s);
	/* at most 512 tests per table page, each O(1) after its search */
	const uint64_t bound = 512 * (uint64_t)tables;
	uint64_t work = pgt_sim_e820_query_work(s);
	printf("walk: %zu RAM pages among %zu entries, %zu tables, query work %llu (bound "
	       "%llu)\n",
	       ranges, ranges * (junk + 1), tables, (unsigned long long)work,
	       (unsigned long long)bound);
	CHECK(tables >= ranges);
	CHECK(work <= bound);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

static void old_schemes_hold_the_map_to_e820_x_max(void)
{
	pgt_scenario sc;
	base_map(&sc);
	add_page_edits(&sc, PGT_MAX_RAM_RANGES_HIGH - 1, ASC); /* 3,200 ranges */
	int old_schemes[] = {PGT_SCHEME_PGTBUF, PGT_SCHEME_CHUNKEND};
	for (int i = 0; i < 2; i++) {
		pgt_run_opts o = run_opts(old_schemes[i]);
		CHECK_U64(pgt_sim_cost(&sc, &o).ram_ranges_high, PGT_MAX_RAM_RANGES_HIGH);
		CHECK(pgt_sim_cost_ok(&sc, &o, NULL, 0));
	}
	add_page_edits(&sc, PGT_MAX_RAM_RANGES_HIGH, ASC); /* one more split */
	for (int i = 0; i < 2; i++) {
		pgt_run_opts o = run_opts(old_schemes[i]);
		char why[320];
		CHECK_U64(pgt_sim_cost(&sc, &o).ram_ranges_high, PGT_MAX_RAM_RANGES_HIGH + 1);
		CHECK(!pgt_sim_cost_ok(&sc, &o, why, sizeof(why)));
		CHECK(strstr(why, "3201 RAM ranges above 4 GiB") && strstr(why, "E820_X_MAX"));
		CHECK(pgt_sim_run(&sc, &o) == NULL);
	}
	/* 3.9+ maps each range once from the BRK/memblock allocator: no bound */
	pgt_run_opts o = run_opts(PGT_SCHEME_TOPDOWN);
	CHECK_U64(pgt_sim_cost(&sc, &o).ram_ranges_high, 0);
	pgt_sim *s = pgt_sim_run(&sc, &o);
	CHECK(s != NULL);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
}

int main(void)
{
	edits_cost_n_log_n_in_every_order();
	random_edits_match_a_page_reference();
	wide_edits_cost_log_n_each();
	edit_types_are_bounded();
	efi_boot_services_cost_log_n_each();
	walk_queries_cost_log_n_each();
	old_schemes_hold_the_map_to_e820_x_max();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
