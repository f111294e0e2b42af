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
			uint32_t t = types[next_rand() % 4];
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
	old_schemes_hold_the_map_to_e820_x_max();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed != 0;
}
