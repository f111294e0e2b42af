/*
 * Fuzz target: bytes -> a random but well-formed machine (e820 map, CPU page
 * sizes, kernel version, scheme, Xen, reservations, command line) ->
 * pgt_sim_run() -> the invariants of invariants.h, plus the read-only API
 * (event text, ptdump, translate, state at a step) on the result.
 *
 * "Well-formed" means what the scenario format accepts (non-empty entries
 * below 2^46, usable RAM somewhere, page-aligned kernel_start / brk_base /
 * xen_mapped_end, kernel_end above kernel_start, reservelow within the
 * kernel's clamp, mem= and crashkernel= not 0) -- plus, with one flag,
 * unsorted and overlapping entries, which the core sanitizes the way
 * sanitize_e820_map does (docs/kernel-model.md).
 *
 * Input layout (every read past the end gives 0):
 *   byte 0   scheme (bits 0-1), Xen override (bits 2-3: scenario/off/on)
 *   byte 1   flags: pse, gbpages, debug_pagealloc, xen_pv, kaslr_memory,
 *            nogbpages, movable_node, all_lines
 *   byte 2-4 kernel version: series (b2 % 6: default, 2.6.x, 3.x, 4.x,
 *            5.x, 6.x), minor (b3), sublevel (b4, when b2 & 0x80)
 *   byte 5   bit 0: version in the run options (else in the scenario);
 *            bits 1-2 xen_rule; bits 3-4 sizing; bit 5 PC-like low map
 *            prefix; bit 6 unsorted/overlapping entries allowed; bit 7
 *            reservations, kernel placement and command line follow the map
 *   byte 6   number of e820 entries (% 64)
 *   then per entry 6 bytes: units, gap (2), length (2), type
 *   then the extras (bit 7 of byte 5).
 * PGTVIZ_FUZZ_DUMP=1 prints the decoded machine as a scenario file.
 */
#include "fuzz.h"
#include "invariants.h"

#include "pgtviz/scenario_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_EVENTS 50000
#define LIMIT_46        (1ULL << 46)

typedef struct reader {
	const uint8_t *p;
	size_t n;
} reader;

static unsigned u8(reader *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t un(reader *r, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)u8(r) << (8 * i);
	return v;
}

static const uint64_t units[8] = {1,        0x400,         0x1000,          0x10000,
                                  0x200000, 0x40000000ULL, 0x8000000000ULL, 0x100000000000ULL};
static const uint32_t types[12] = {1, 1, 1, 2, 3, 4, 5, 7, 12, 20, 128, 0xefffffffu};

static uint32_t decode_kver(reader *r)
{
	unsigned b2 = u8(r), b3 = u8(r), b4 = u8(r);
	unsigned patch = (b2 & 0x80) ? b4 : 0;
	switch (b2 % 6) {
	case 1:
		return PGT_KVER(2, 6, 26 + b3 % 14);
	case 2:
		return PGT_KVER(3, b3 % 20, patch);
	case 3:
		return PGT_KVER(4, b3 % 21, patch);
	case 4:
		return PGT_KVER(5, b3 % 20, patch);
	case 5:
		return PGT_KVER(6, b3 % 13, patch);
	default:
		return 0;
	}
}

static uint64_t clamp46(uint64_t v)
{
	return v > LIMIT_46 ? LIMIT_46 : v;
}

/* Builds the map; returns the highest end. */
static uint64_t decode_map(reader *r, pgt_scenario *sc, bool pc, bool messy)
{
	uint64_t pos = 0;
	if (pc) {
		pgt_scenario_add_e820(sc, 0, 0x9fc00, 1);
		pgt_scenario_add_e820(sc, 0x9fc00, 0xa0000, 2);
		pgt_scenario_add_e820(sc, 0xf0000, 0x100000, 2);
		pos = 0x100000;
	}
	unsigned n = u8(r) % 64;
	bool ram = pc;
	uint64_t top = pos;
	for (unsigned i = 0; i < n && pos < LIMIT_46; i++) {
		unsigned c = u8(r);
		uint64_t gap = un(r, 2) * units[c & 7];
		uint64_t len = (un(r, 2) + 1) * units[(c >> 3) & 7];
		uint32_t type = types[u8(r) % 12];
		uint64_t start = pos + gap;
		if (messy && (c & 0x40)) /* back into earlier entries */
			start = pos > gap ? pos - gap : 0;
		if (start >= LIMIT_46)
			break;
		uint64_t end = clamp46(start + len);
		pgt_scenario_add_e820(sc, start, end, type);
		ram |= type == 1 || type == 128;
		if (!messy || !(c & 0x80))
			pos = end;
		if (end > top)
			top = end;
	}
	if (!ram) {
		uint64_t s = top < LIMIT_46 - 0x4000000 ? top : LIMIT_46 - 0x4000000;
		pgt_scenario_add_e820(sc, s, s + 0x4000000, 1);
		if (s + 0x4000000 > top)
			top = s + 0x4000000;
	}
	return top;
}

static void decode_extras(reader *r, pgt_scenario *sc, uint64_t top)
{
	unsigned flags = u8(r);
	unsigned nresv = u8(r) % 5;
	for (unsigned i = 0; i < nresv; i++) {
		uint64_t s = (un(r, 6) % top) & ~0xfffULL;
		uint64_t len = (un(r, 3) + 1) << 12;
		int kind = (int)(u8(r) % PGT_RESV_KIND_COUNT);
		pgt_scenario_add_resv(sc, s, clamp46(s + len), kind, pgt_resv_kind_name(kind));
	}
	unsigned nedit = u8(r) % 4;
	for (unsigned i = 0; i < nedit; i++) {
		uint64_t s = un(r, 6) % top;
		uint64_t len = (un(r, 3) + 1) << 12;
		unsigned f = u8(r), t = u8(r);
		pgt_scenario_add_edit(sc, s, clamp46(s + len), f & 1 ? 0 : types[f % 12],
		                      t & 1 ? 0 : types[t % 12]);
	}
	if (flags & 1)
		sc->kernel_start = ((un(r, 5) % top) & ~0xfffULL) | 0x100000;
	if (flags & 2)
		sc->kernel_end =
		    (sc->kernel_start ? sc->kernel_start : 0x1000000) + (un(r, 2) + 1) * 0x1000;
	if (flags & 4)
		sc->brk_base = (un(r, 5) % top) & ~0xfffULL;
	if (flags & 8)
		sc->xen_mapped_end = (un(r, 3) + 1) << 12;
	if (flags & 16)
		sc->mem_limit = (un(r, 3) + 1) << 20;
	if (flags & 32)
		sc->reservelow = 0x1000 + (un(r, 3) % 0x9f001);
	if (flags & 64)
		sc->crashkernel = (un(r, 2) + 1) << 20;
}

/* The read-only API on a finished run. */
static void exercise(const pgt_sim *s, reader *r)
{
	char buf[600];
	size_t n = pgt_sim_event_count(s);
	for (size_t i = 0; i < n && i < 2000; i++)
		pgt_sim_event_text(s, i, buf, sizeof(buf));
	if (n) {
		pgt_sim_event_text(s, n - 1, buf, sizeof(buf));
		size_t step = (size_t)(un(r, 4) % n);
		(void)pgt_sim_state_at(s, step);
		(void)pgt_sim_translate(s, (un(r, 6) % LIMIT_46) & ~0xfffULL, step);
		if (n <= 20000) {
			free(pgt_sim_ptdump(s, step));
			free(pgt_sim_ptdump(s, SIZE_MAX));
		}
	}
	for (size_t i = 0; i < pgt_sim_log_count(s); i++)
		if (!pgt_sim_log(s, i)->text)
			pgtf_fail("log line %zu without text", i);
	if (pgt_sim_log(s, pgt_sim_log_count(s)) != NULL)
		pgtf_fail("pgt_sim_log past the end is not NULL");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader r = {data, size};
	pgt_scenario sc;
	memset(&sc, 0, sizeof(sc));
	unsigned b0 = u8(&r), b1 = u8(&r);
	uint32_t kver = decode_kver(&r);
	unsigned b5 = u8(&r);
	int scheme = (int)(b0 & 3);
	pgt_run_opts o = pgt_run_opts_default(scheme);
	o.xen = ((b0 >> 2) & 3) == 1 ? 0 : ((b0 >> 2) & 3) == 2 ? 1 : -1;
	sc.cpu.pse = b1 & 1;
	sc.cpu.gbpages = (b1 >> 1) & 1;
	sc.cpu.debug_pagealloc = (b1 >> 2) & 1;
	sc.xen_pv = (b1 >> 3) & 1;
	sc.kaslr_memory = (b1 >> 4) & 1;
	sc.nogbpages = (b1 >> 5) & 1;
	sc.movable_node = (b1 >> 6) & 1;
	o.all_lines = (b1 >> 7) & 1;
	if (b5 & 1)
		o.kver = kver;
	else
		sc.kver = kver;
	sc.xen_rule = (int)((b5 >> 1) & 3) % 3;
	sc.sizing = (int)((b5 >> 3) & 3);
	sc.schemes[0] = scheme;
	sc.schemes[1] = -1;
	uint64_t top = decode_map(&r, &sc, (b5 >> 5) & 1, (b5 >> 6) & 1);
	if (b5 & 0x80)
		decode_extras(&r, &sc, top);
	o.max_events = FUZZ_MAX_EVENTS;
	if (getenv("PGTVIZ_FUZZ_DUMP")) {
		/* the machine as a scenario file, for reproducers */
		char *json = pgt_scenario_to_json(&sc, NULL, 0);
		char v[24];
		fprintf(stderr, "%s\nscheme %s, kernel %s (%s), xen option %d, all_lines %d\n",
		        json ? json : "(null)", pgt_scheme_name(scheme),
		        kver ? pgt_kver_format(kver, v, sizeof(v)) : "default",
		        o.kver ? "run option" : "scenario", o.xen, o.all_lines);
		free(json);
	}

	o.max_events = pgtf_event_cap(&sc, &o, o.max_events);
	if (!pgt_sim_cost_ok(&sc, &o, NULL, 0)) {
		/* over the cost bounds (docs/reliability.md): refused at once */
		if (pgt_sim_run(&sc, &o))
			pgtf_fail("pgt_sim_run ran a machine over the cost bounds");
		pgt_scenario_clear(&sc);
		return 0;
	}
	pgt_sim *s = pgt_sim_run(&sc, &o);
	if (!s)
		pgtf_fail("pgt_sim_run returned NULL (out of memory)");
	if (getenv("PGTVIZ_FUZZ_DUMP")) {
		const pgt_e820_entry *e;
		size_t n = pgt_sim_e820(s, &e);
		fprintf(stderr, "effective e820 (%s):\n", pgt_sim_model(s));
		for (size_t i = 0; i < n; i++)
			fprintf(stderr,
			        "    { \"start\": \"%#llx\", \"end\": \"%#llx\", \"type\": %u },\n",
			        (unsigned long long)e[i].start, (unsigned long long)e[i].end,
			        e[i].type);
	}
	char why[512];
	if (!pgtf_check_sim(s, o.max_events, why, sizeof(why)))
		pgtf_fail("%s", why);
	exercise(s, &r);
	pgt_sim_free(s);
	pgt_scenario_clear(&sc);
	return 0;
}
