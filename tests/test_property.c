/*
 * Property test: thousands of seeded random e820 maps, every scheme, a spread
 * of version models, with and without Xen.  For every run that does not end
 * in one of the kernel's own panics:
 *   - every sampled page of every memblock RAM region translates to itself;
 *   - table pages are unique, lie in RAM and avoid every reservation that
 *     existed before mapping;
 *   - the per-event state replay agrees with the final state and the table
 *     counters add up;
 *   - Xen PV: no live table is ever writable under the 3.9+ scheme, the
 *     chunk-end proposal, or the pgt_buf_top rule.
 * Seeds are fixed, so a failure names its seed and reproduces.
 */
#include "pgtviz/core.h"
#include "t.h"

#include <stdlib.h>

static uint64_t rng_state;
static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static uint64_t rnd_range(uint64_t lo, uint64_t hi) /* [lo, hi] */
{
	return lo + rnd() % (hi - lo + 1);
}

/* A BIOS-like map: low RAM, the 640K-1M hole, RAM with reserved and ACPI
 * islands up to `low_top`, a PCI hole, and RAM above 4 GiB. */
static void random_map(pgt_scenario *sc, bool small)
{
	pgt_scenario_add_e820(sc, 0, rnd_range(0x90, 0x9f) << 12 | (rnd() & 1 ? 0xc00 : 0), 1);
	pgt_scenario_add_e820(sc, 0x9fc00, 0x100000, 2);
	uint64_t low_top = small ? rnd_range(16, 1024) << 20 : rnd_range(64, 3584) << 20;
	uint64_t pos = 0x100000;
	int islands = (int)rnd_range(0, 6);
	for (int i = 0; i < islands && pos < low_top; i++) {
		uint64_t ram = rnd_range(1, (low_top - pos) >> 12) << 12;
		if (pos + ram > low_top)
			ram = low_top - pos;
		pgt_scenario_add_e820(sc, pos, pos + ram, 1);
		pos += ram;
		uint64_t hole = rnd_range(1, 4096) << 12;
		uint32_t type = (uint32_t)rnd_range(2, 4);
		if (rnd() % 7 == 0)
			type = 20; /* unknown types are reserved */
		pgt_scenario_add_e820(sc, pos, pos + hole, type);
		pos += hole;
	}
	if (pos < low_top)
		pgt_scenario_add_e820(sc, pos, low_top - (rnd() & 1 ? 0x2000 : 0), 1);
	pgt_scenario_add_e820(sc, 0xfec00000, 0xfec01000, 2);
	if (!small && rnd() % 3) {
		uint64_t high = rnd_range(1, 60) << 28;
		pgt_scenario_add_e820(sc, 0x100000000ULL, 0x100000000ULL + high, 1);
	}
}

static const char *const kernels[] = {"2.6.30", "2.6.36", "2.6.38", "3.0",  "3.2",  "3.4",
                                      "3.6",    "3.8",    "3.9",    "3.10", "3.13", "3.19",
                                      "4.4",    "4.9",    "4.19",   "5.4"};

static bool in_ram(const pgt_sim *s, uint64_t pa)
{
	const pgt_region *r;
	size_t n = pgt_sim_memblock_memory(s, &r);
	for (size_t i = 0; i < n; i++)
		if (pa >= r[i].base && pa + 0x1000 <= r[i].base + r[i].size)
			return true;
	return false;
}

static bool was_reserved(const pgt_sim *s, uint64_t pa)
{
	const pgt_region *r;
	size_t n = pgt_sim_memblock_reserved_initial(s, &r);
	for (size_t i = 0; i < n; i++)
		if (pa < r[i].base + r[i].size && pa + 0x1000 > r[i].base)
			return true;
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static unsigned runs, panics, violations_seen;

static void check_run(pgt_scenario *sc, int scheme, uint32_t kver, uint64_t seed)
{
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.kver = kver;
	pgt_sim *s = pgt_sim_run(sc, &o);
	REQUIRE(s != NULL);
	runs++;
	const char *panic = pgt_sim_panic(s);
	if (panic) {
		panics++;
		if (getenv("SHOW_PANICS"))
			fprintf(stderr, "seed %llu %s: %s\n", (unsigned long long)seed,
			        pgt_sim_model(s), panic);
		bool known = strstr(panic, "Cannot find space for the kernel page tables") ||
		             strstr(panic, "ran out of memory") ||
		             strstr(panic, "can not alloc memory") ||
		             strstr(panic, "chunk-end: no free page") ||
		             strstr(panic, "kernel BUG at arch/x86/kernel/setup.c");
		if (!known)
			fprintf(stderr, "seed %llu: unexpected panic %s\n",
			        (unsigned long long)seed, panic);
		CHECK(known);
		pgt_sim_free(s);
		return;
	}
	/* every sampled RAM page maps to itself */
	const pgt_region *r;
	size_t n = pgt_sim_memblock_memory(s, &r);
	uint64_t max_addr = pgt_sim_max_pfn(s) << 12;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		uint64_t a = (r[i].base + 0xfff) & ~0xfffULL,
		         b = (r[i].base + r[i].size) & ~0xfffULL;
		if (b > max_addr)
			b = max_addr;
		if (a >= b)
			continue;
		for (int k = 0; k < 18 && ok; k++) {
			uint64_t p = k == 0   ? a
			             : k == 1 ? b - 0x1000
			                      : a + (rnd() % ((b - a) >> 12) << 12);
			pgt_translation tr = pgt_sim_translate(s, p, SIZE_MAX);
			if (!tr.mapped || tr.pa != p) {
				fprintf(stderr, "seed %llu %s %s: RAM page %#llx not mapped\n",
				        (unsigned long long)seed, pgt_scheme_name(scheme),
				        pgt_sim_model(s), (unsigned long long)p);
				ok = false;
			}
		}
	}
	CHECK(ok);
	/* table pages: unique, in RAM, not on an earlier reservation */
	size_t nt = pgt_sim_table_count(s);
	const pgt_table *t = pgt_sim_tables(s);
	uint64_t *pas = malloc(nt * sizeof(*pas));
	REQUIRE(pas);
	size_t np = 0;
	bool placed = true;
	for (size_t i = 0; i < nt; i++) {
		if (t[i].origin == PGT_ORIGIN_STATIC || t[i].origin == PGT_ORIGIN_XEN ||
		    t[i].origin == PGT_ORIGIN_BRK || t[i].origin == PGT_ORIGIN_EXTEND_BRK)
			continue; /* inside the kernel image / domain builder area */
		pas[np++] = t[i].pa;
		if (!in_ram(s, t[i].pa) || was_reserved(s, t[i].pa)) {
			fprintf(stderr, "seed %llu %s: table %#llx outside free RAM\n",
			        (unsigned long long)seed, pgt_sim_model(s),
			        (unsigned long long)t[i].pa);
			placed = false;
		}
	}
	CHECK(placed);
	qsort(pas, np, sizeof(*pas), cmp_u64);
	bool unique = true;
	for (size_t i = 1; i < np; i++)
		unique &= pas[i] != pas[i - 1];
	CHECK(unique);
	free(pas);
	/* state replay */
	pgt_state fin = pgt_sim_state_at(s, SIZE_MAX);
	pgt_state last = pgt_sim_state_at(s, pgt_sim_event_count(s) - 1);
	CHECK(memcmp(&fin, &last, sizeof(fin)) == 0);
	uint32_t sum = 0;
	for (int l = 1; l <= 4; l++)
		sum += fin.tables[l];
	CHECK_U64(sum, nt);
	/* Xen */
	if (pgt_sim_xen(s)) {
		bool must_be_clean =
		    scheme != PGT_SCHEME_PGTBUF || !strstr(pgt_sim_model(s), "end rule");
		violations_seen += fin.violations;
		if (must_be_clean && fin.violations)
			fprintf(stderr, "seed %llu %s: %u violations\n", (unsigned long long)seed,
			        pgt_sim_model(s), fin.violations);
		if (must_be_clean)
			CHECK_U64(fin.violations, 0);
	}
	pgt_sim_free(s);
}

static void random_maps_keep_invariants(void)
{
	const int N = 1200;
	for (int i = 0; i < N; i++) {
		uint64_t seed = 1000 + (uint64_t)i;
		rng_state = seed;
		pgt_scenario sc;
		memset(&sc, 0, sizeof(sc));
		bool xen = i % 10 == 0;
		bool small = xen || i % 4 == 0;
		random_map(&sc, small);
		sc.cpu.pse = rnd() % 8 != 0;
		sc.cpu.gbpages = rnd() % 2;
		sc.cpu.debug_pagealloc = small && rnd() % 5 == 0;
		sc.xen_pv = xen;
		sc.kaslr_memory = rnd() % 3 == 0;
		if (rnd() % 3 == 0) {
			/* an initrd somewhere high in low memory */
			uint64_t top = sc.e820[sc.n_e820 - 1].end;
			uint64_t size = rnd_range(1, 64) << 20;
			if (top > size + (64 << 20))
				pgt_scenario_add_resv(&sc, (top - size) & ~0xfffULL,
				                      top & ~0xfffULL, PGT_RESV_INITRD, "initrd");
		}
		uint32_t k =
		    pgt_kver_parse(kernels[rnd() % (sizeof(kernels) / sizeof(kernels[0]))]);
		for (int scheme = 0; scheme < PGT_SCHEME_COUNT; scheme++) {
			uint32_t kv = k;
			if (scheme == PGT_SCHEME_PGTBUF && k >= PGT_KVER(3, 9, 0))
				kv = PGT_KVER(3, 8, 0);
			if (scheme != PGT_SCHEME_PGTBUF && k < PGT_KVER(3, 9, 0))
				kv = PGT_KVER(3, 13, 0);
			if (scheme == PGT_SCHEME_BOTTOMUP && kv < PGT_KVER(3, 13, 0))
				kv = PGT_KVER(3, 13, 0);
			if (scheme == PGT_SCHEME_CHUNKEND)
				kv = 0;
			check_run(&sc, scheme, kv, seed);
			if (xen && scheme == PGT_SCHEME_PGTBUF) {
				/* also the fixed rule on a 3.0 kernel */
				sc.xen_rule = PGT_XEN_RULE_TOP;
				check_run(&sc, scheme, PGT_KVER(3, 0, 0), seed);
				sc.xen_rule = 0;
			}
		}
		pgt_scenario_clear(&sc);
	}
	printf("random maps: %u runs, %u ended in a kernel panic, %u Xen violations under the "
	       "pgt_buf_end rule\n",
	       runs, panics, violations_seen);
	CHECK(runs >= (unsigned)N * PGT_SCHEME_COUNT);
}

int main(void)
{
	RUN(random_maps_keep_invariants);
	return t_report();
}
