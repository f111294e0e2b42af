/*
 * Built-in scenarios: the reference maps the tests use and a few teaching
 * maps.  The same machines ship as files in scenarios/; these stay so that the
 * core and its tests need no files at all.
 */
#include "pgtviz/core.h"

#include <string.h>

typedef struct builtin_e820 {
	uint64_t start, last; /* inclusive last byte, as the kernel prints */
	uint32_t type;
} builtin_e820;

typedef struct builtin {
	const char *name;
	const char *title;
	const char *description;
	uint32_t kver;
	int schemes[2];
	pgt_cpu cpu;
	bool xen_pv;
	int xen_rule;
	const builtin_e820 *e820;
	size_t n_e820;
	uint64_t resv_start, resv_end; /* one extra reservation (0: none) */
	int resv_kind;
	const char *resv_label;
	uint64_t xen_mapped_end;
} builtin;

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A typical "4 GiB PC" */
static const builtin_e820 map_a[] = {
    {0x0, 0x9fbff, 1},           {0x9fc00, 0x9ffff, 2},       {0xf0000, 0xfffff, 2},
    {0x100000, 0xbfedffff, 1},   {0xbfee0000, 0xbfefefff, 3}, {0xbfeff000, 0xbfefffff, 4},
    {0xbff00000, 0xbfffffff, 2}, {0xe0000000, 0xefffffff, 2}, {0xfec00000, 0xfec00fff, 2},
    {0xfee00000, 0xfee00fff, 2}, {0xfffe0000, 0xffffffff, 2}, {0x100000000, 0x13fffffff, 1},
};

/* A "1 GiB QEMU/SeaBIOS" guest */
static const builtin_e820 map_c[] = {
    {0x0, 0x9fbff, 1},           {0x9fc00, 0x9ffff, 2},       {0xf0000, 0xfffff, 2},
    {0x100000, 0x3fffdfff, 1},   {0x3fffe000, 0x3fffffff, 2}, {0xfeffc000, 0xfeffffff, 2},
    {0xfffc0000, 0xffffffff, 2},
};

/* A 2 GiB Xen PV guest, as a domain builder hands it out. */
static const builtin_e820 map_xen[] = {
    {0x0, 0x9ffff, 1},
    {0xa0000, 0xfffff, 2},
    {0x100000, 0x7fffffff, 1},
};

static const builtin builtins[] = {
    {"pc-4g",
     "A 4 GiB PC (RAM to 0xbfee0000, 1 GiB above 4 GiB)",
     "A typical BIOS PC with 3 GiB below the PCI hole and 1 GiB above 4 GiB. "
     "Kernel at 16 MiB, no initrd near the top of any search window, PSE, no GB pages.",
     PGT_KVER(3, 8, 0),
     {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN},
     {true, false, false},
     false,
     PGT_XEN_RULE_AUTO,
     map_a,
     N(map_a),
     0,
     0,
     0,
     NULL,
     0},
    {"qemu-1g",
     "A 1 GiB QEMU/SeaBIOS guest",
     "QEMU's default qemu64 CPU: 2 MiB pages but no GB pages. RAM ends 8 KiB below 1 GiB, "
     "so the last 2 MiB must be mapped with 4 KiB pages.",
     PGT_KVER(3, 8, 0),
     {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN},
     {true, false, false},
     false,
     PGT_XEN_RULE_AUTO,
     map_c,
     N(map_c),
     0,
     0,
     0,
     NULL,
     0},
    {"qemu-1g-initrd",
     "1 GiB QEMU guest with an initrd at the top of RAM",
     "The boot loader put the initrd at the top of RAM, so the 3.9+ scheme's real_end moves "
     "down below it and a final real_end..end call maps the rest.",
     PGT_KVER(3, 9, 0),
     {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN},
     {true, false, false},
     false,
     PGT_XEN_RULE_AUTO,
     map_c,
     N(map_c),
     0x3f6e0000,
     0x3fffe000,
     PGT_RESV_INITRD,
     "initrd",
     0},
    {"pc-4g-gbpages",
     "The 4 GiB PC with GB pages",
     "The pc-4g map on a CPU with 1 GiB pages (pdpe1gb): the direct map uses 1 GiB entries "
     "where a whole aligned GiB is RAM.",
     PGT_KVER(3, 13, 0),
     {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN},
     {true, true, false},
     false,
     PGT_XEN_RULE_AUTO,
     map_a,
     N(map_a),
     0,
     0,
     0,
     NULL,
     0},
    {"xen-live-patient",
     "Xen PV guest, 2.6.39-rc1: the page tables high, in memory not yet mapped",
     "A 2 GiB Xen PV guest on 2.6.39-rc1, the first kernel with the page tables at the top of "
     "the range each call maps (4b239f458), above max_pfn_mapped, while mask_rw_pte still "
     "used the pgt_buf_end window. The PTE that maps the next table page is written writable "
     "before pgt_buf_end reaches it; when that page becomes a PTE table, Xen refuses to pin "
     "it, the kernel's BUG() traps to Xen and Xen crashes the domain. Run with --kernel 2.6.39 "
     "(pgt_buf_top window and pagetable_reserve) to see it "
     "boot, with --xen-rule top-nohook to see the crash the hook prevents, with --kernel "
     "2.6.38 for the tables in memory already mapped.",
     PGT_KVER_RC(2, 6, 39, 1),
     {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN},
     {false, false, false},
     true,
     PGT_XEN_RULE_AUTO,
     map_xen,
     N(map_xen),
     0x7f000000,
     0x80000000,
     PGT_RESV_XEN,
     "Xen extra memory (reserved)",
     0},
};

size_t pgt_builtin_count(void)
{
	return N(builtins);
}

const char *pgt_builtin_name(size_t i)
{
	return i < N(builtins) ? builtins[i].name : NULL;
}

const char *pgt_builtin_title(size_t i)
{
	return i < N(builtins) ? builtins[i].title : NULL;
}

int pgt_builtin_find(const char *name)
{
	for (size_t i = 0; name && i < N(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool pgt_builtin_load(size_t i, pgt_scenario *sc)
{
	if (i >= N(builtins))
		return false;
	const builtin *b = &builtins[i];
	memset(sc, 0, sizeof(*sc));
	bool ok = pgt_scenario_set_str(&sc->name, b->name) &&
	          pgt_scenario_set_str(&sc->title, b->title) &&
	          pgt_scenario_set_str(&sc->description, b->description);
	sc->kver = b->kver;
	sc->schemes[0] = b->schemes[0];
	sc->schemes[1] = b->schemes[1];
	sc->cpu = b->cpu;
	sc->xen_pv = b->xen_pv;
	sc->xen_rule = b->xen_rule;
	sc->xen_mapped_end = b->xen_mapped_end;
	for (size_t k = 0; ok && k < b->n_e820; k++)
		ok = pgt_scenario_add_e820(sc, b->e820[k].start, b->e820[k].last + 1,
		                           b->e820[k].type);
	if (ok && b->resv_end)
		ok = pgt_scenario_add_resv(sc, b->resv_start, b->resv_end, b->resv_kind,
		                           b->resv_label);
	if (!ok)
		pgt_scenario_clear(sc);
	return ok;
}

uint32_t pgt_builtin_bench_kver(int scheme)
{
	/* 3.11+ has 6 BRK pages, enough for the big 4k-only maps */
	return scheme == PGT_SCHEME_PGTBUF ? pgt_scheme_default_kver(PGT_SCHEME_PGTBUF)
	                                   : PGT_KVER_BOTTOMUP;
}

bool pgt_builtin_bench(pgt_scenario *sc, uint64_t gib, bool k4_only)
{
	memset(sc, 0, sizeof(*sc));
	uint64_t low = gib < 3 ? gib << 30 : 3ULL << 30;
	bool ok = pgt_scenario_set_str(&sc->name, k4_only ? "bench-4k" : "bench") &&
	          pgt_scenario_set_str(&sc->title, k4_only ? "benchmark machine, 4k pages only"
	                                                   : "benchmark machine") &&
	          pgt_scenario_add_e820(sc, 0, 0x9fc00, PGT_E820_RAM) &&
	          pgt_scenario_add_e820(sc, 0x9fc00, 0x100000, PGT_E820_RESERVED) &&
	          pgt_scenario_add_e820(sc, 0x100000, low, PGT_E820_RAM) &&
	          pgt_scenario_add_e820(sc, 0xc0000000, 0x100000000ULL, PGT_E820_RESERVED);
	if (ok && gib > 3)
		ok = pgt_scenario_add_e820(sc, 1ULL << 32, (1ULL << 32) + ((gib - 3) << 30),
		                           PGT_E820_RAM);
	sc->cpu.pse = !k4_only;
	sc->cpu.gbpages = !k4_only;
	sc->cpu.debug_pagealloc = k4_only;
	sc->schemes[0] = PGT_SCHEME_PGTBUF;
	sc->schemes[1] = PGT_SCHEME_TOPDOWN;
	if (!ok)
		pgt_scenario_clear(sc);
	return ok;
}
