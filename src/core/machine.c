/*
 * The machine a run starts from: setup_arch up to the direct mapping.  The
 * scenario's e820 map is sanitised, trimmed as the version did and edited
 * by the scenario's log lines and mem= (e820.c); memblock.memory is filled from it; the
 * kernel image, BRK and the boot-time reservations (EBDA, EFI boot
 * services, Xen's domain builder layout) go into memblock.reserved.  Also
 * the e820 query the walk needs (e820_any).
 *
 * Below the walk and the schemes, above record.c: it records notes and
 * runs out of memory through record.c and calls nothing else of the core
 * but memblock.c and e820.c.
 */
#include "machine.h"

#include "e820.h"

#include <stdlib.h>
#include <string.h>

/* Index of the first entry of the (sorted) effective map that ends after
 * `start`; n_e820 when there is none. */
static size_t e820_first_after(const pgt_sim *s, uint64_t start)
{
	size_t lo = 0, hi = s->n_e820;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->e820[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool is_ram(const pgt_e820_entry *e)
{
	return e->type == PGT_E820_RAM || e->type == PGT_E820_RESERVED_KERN;
}

size_t e820_ram_after(const pgt_sim *s, uint64_t a)
{
	size_t i = e820_first_after(s, a);
	return i < s->n_e820 ? s->e820_next_ram[i] : s->n_e820;
}

/* e820_any_mapped(start, end, type) over the effective map; ram_only: RAM
 * or RESERVED_KERN (the 3.9 walk's past-the-end test), else any type.
 * O(log n): the first RAM entry at or after each entry is precomputed (a
 * walk over the non-RAM entries of a range cost each query O(entries)). */
bool e820_any(pgt_sim *s, uint64_t start, uint64_t end, bool ram_only)
{
	size_t i = ram_only ? e820_ram_after(s, start) : e820_first_after(s, start);
	s->e820_query_work++;
	return i < s->n_e820 && s->e820[i].start < end;
}

/* s->e820_next_ram for the effective map. */
static void index_ram(pgt_sim *s)
{
	s->e820_next_ram = malloc((s->n_e820 + 1) * sizeof(*s->e820_next_ram));
	if (!s->e820_next_ram)
		sim_oom(s);
	s->e820_next_ram[s->n_e820] = s->n_e820;
	for (size_t i = s->n_e820; i-- > 0;)
		s->e820_next_ram[i] = is_ram(&s->e820[i]) ? i : s->e820_next_ram[i + 1];
}

/* ------------------------------------------------------------------------ */
/* Machine set-up: e820 -> memblock                                          */
/* ------------------------------------------------------------------------ */

static int cmp_region(const void *a, const void *b)
{
	const pgt_region *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* e820_end_pfn(limit, E820_RAM) as in arch/x86/kernel/e820.c (2.6.3x-4.x). */
static uint64_t e820_end_pfn(const pgt_sim *s, uint64_t limit_pfn)
{
	uint64_t last = 0;
	for (size_t i = 0; i < s->n_e820; i++) {
		if (s->e820[i].type != PGT_E820_RAM)
			continue;
		uint64_t sp = s->e820[i].start >> 12, ep = s->e820[i].end >> 12;
		if (sp >= limit_pfn)
			continue;
		if (ep > limit_pfn) {
			last = limit_pfn;
			break;
		}
		if (ep > last)
			last = ep;
	}
	/* MAX_ARCH_PFN: 46 physical bits on x86-64, 36 with PAE, 32 without */
	const uint64_t max_arch_pfn = 1ULL << ((s->bits32 ? (s->pae ? 36 : 32) : 46) - 12);
	return last > max_arch_pfn ? max_arch_pfn : last;
}

/* Is [a, b) wholly e820 RAM (e820_all_mapped with E820_RAM)?  The map is
 * sorted and merged: consecutive RAM entries that cover it, found by
 * binary search. */
static bool e820_all_ram(const pgt_sim *s, uint64_t a, uint64_t b)
{
	for (size_t i = e820_first_after(s, a); a < b; i++) {
		if (i >= s->n_e820 || s->e820[i].type != PGT_E820_RAM || s->e820[i].start > a)
			return false;
		a = s->e820[i].end;
	}
	return true;
}

/* efi_reserve_boot_services (3.0+, before the direct mapping): every EFI
 * boot-services code/data region is reserved unless it touches the kernel
 * image [_text, _end], is not wholly RAM in e820, or overlaps a region that
 * is already reserved; such regions are skipped whole. */
static void reserve_efi_boot_services(pgt_sim *s)
{
	if (s->kver < V(3, 0, 0) || s->xen)
		return;
	for (size_t i = 0; i < s->sc.n_resv; i++) {
		const pgt_resv *r = &s->sc.resv[i];
		if (r->kind != PGT_RESV_EFI_BOOT || r->end <= r->start)
			continue;
		if (r->end >= s->kernel_start && r->start <= s->brk_end)
			continue;
		if (!e820_all_ram(s, r->start, r->end))
			continue;
		/* memblock_is_region_reserved: a binary search (a scan of every
		 * reserved region per EFI region cost O(EFI x reserved)) */
		s->e820_query_work++;
		if (!mb_is_reserved(&s->mb, r->start, r->end) &&
		    !mb_array_add(&s->mb.reserved, r->start, r->end - r->start))
			sim_oom(s);
	}
}

/* i386 Xen PV (2.6.2x, xen_setup_kernel_pagetable in arch/x86/xen/
 * enlighten.c): the domain builder's page tables and its p2m/start-info area
 * are reserved by what the log itself lists (the INIT_PG_TABLE early
 * reservation, a 'reserved' pseudo-e820 entry), so nothing is added here.
 * The builder maps up to a 4 MiB boundary at least 512 KiB past its page
 * tables, and xen_map_identity_early extends that with its four spare PTE
 * pages (8 MiB with PAE, 16 MiB without); max_pfn_mapped ends there. */
static void xen32_initial_mapping(pgt_sim *s)
{
	uint64_t xe = s->sc.xen_mapped_end;
	if (!xe) {
		uint64_t top = s->brk_end;
		for (size_t i = 0; i < s->sc.n_resv; i++)
			if (s->sc.resv[i].end <= SZ_1G && s->sc.resv[i].end > top &&
			    s->sc.resv[i].kind != PGT_RESV_INITRD)
				top = s->sc.resv[i].end;
		xe = ru_u64(top + 0x80000, 0x400000) + 4 * s->pmd_size;
	}
	if (xe > SZ_1G)
		xe = SZ_1G;
	s->xen_mapped_end = xe;
	s->initial_mapped = xe;
}

/* Xen PV: the domain builder's start-of-day layout (Xen's public xen.h,
 * "Start-of-day memory layout"): after the kernel image come the p2m list
 * (mfn_list, 8 bytes per page), the start_info page, the bootstrap page
 * tables and a stack, each 4 KiB aligned; the mapping [0, xen_mapped_end)
 * ends on a 4 MiB boundary with at least 512 KiB to spare.  Linux reserves
 * [mfn_list, pt_base) ("XEN START INFO") and the bootstrap tables; from
 * 2.6.39-rc1 max_pfn_mapped starts at __pa(mfn_list) (14988a4d350), before
 * it at the last page of the identity map (walk.c, xen_identity_early).  The initial ram disk,
 * which the builder puts between the kernel and the p2m list, is not modelled here. */
static void xen_builder_layout(pgt_sim *s, const pgt_scenario *sc)
{
	uint64_t p2m = s->brk_end;
	uint64_t pt_base = p2m + ru_u64(s->max_pfn * 8, SZ_4K) + SZ_4K; /* + start_info */
	/* a p2m list that would push the builder's tables out of the first GiB
	 * (guests of several hundred GiB) is cut short here: the model keeps
	 * the initial mapping inside the first GiB */
	if (pt_base > SZ_1G - 0x800000)
		pt_base = SZ_1G - 0x800000;
	/* L4, L3, L2 and the L1 pages for [0, xe): at most the first GiB */
	uint64_t xe_min = ru_u64(pt_base + 0x80000, 0x400000);
	for (int i = 0; i < 3; i++) {
		uint64_t l1 = (xe_min < SZ_1G ? xe_min : SZ_1G) / SZ_2M;
		xe_min = ru_u64(pt_base + (3 + l1 + 1) * SZ_4K + 0x80000, 0x400000);
	}
	uint64_t xe = sc->xen_mapped_end ? sc->xen_mapped_end : xe_min;
	if (xe > SZ_1G)
		xe = SZ_1G;
	if (xe < xe_min && xe_min <= SZ_1G) {
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_XEN_MAPPED_RAISED,
		                        .a = xe,
		                        .b = xe_min});
		xe = xe_min;
	}
	s->xen_mapped_end = xe;
	s->xen_mfn_list = p2m;
	s->xen_pt_base = pt_base;
	uint64_t pt_end = pt_base + (3 + (xe + SZ_2M - 1) / SZ_2M + 1) * SZ_4K; /* + stack */
	if (pt_end > xe)
		pt_end = xe;
	if (!mb_array_add(&s->mb.reserved, p2m, pt_end - p2m))
		sim_oom(s);
}

void machine_setup(pgt_sim *s)
{
	const pgt_scenario *sc = &s->sc;
	/* the effective map: sanitised, trimmed by version, edited (e820.c) */
	e820_result em;
	if (!e820_effective(sc, s->kver, &em))
		sim_oom(s);
	s->e820 = em.e;
	s->n_e820 = em.n;
	s->e820_work = em.work;
	index_ram(s);
	if (em.overlaps) /* say so: the map was not used as given */
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_E820_SANITIZED,
		                        .a = em.overlaps});
	uint64_t reservelow = sc->reservelow ? sc->reservelow : 0x10000;

	s->max_pfn = e820_end_pfn(s, UINT64_MAX);
	s->max_low_pfn = s->max_pfn > (SZ_4G >> 12) ? e820_end_pfn(s, SZ_4G >> 12) : s->max_pfn;
	if (s->bits32) {
		/* i386: only lowmem is direct-mapped (find_low_pfn_range); MAXMEM
		 * defaults to what 3.x Ubuntu PAE kernels printed (891 MiB) */
		uint64_t lowmem = sc->lowmem_end ? sc->lowmem_end : 0x37bfe000;
		s->max_low_pfn = s->max_pfn < (lowmem >> 12) ? s->max_pfn : lowmem >> 12;
	}
	s->initial_mapped = sc->initial_mapped     ? sc->initial_mapped
	                    : s->bits32            ? 0x2000000
	                    : s->kver < V(3, 9, 0) ? 0x20000000
	                                           : 0;

	/* memblock.memory: RAM and RESERVED_KERN (memblock_x86_fill); 3.7+ trims
	 * every region to whole pages (memblock_trim_memory). */
	for (size_t i = 0; i < s->n_e820; i++) {
		const pgt_e820_entry *e = &s->e820[i];
		if (e->type != PGT_E820_RAM && e->type != PGT_E820_RESERVED_KERN)
			continue;
		uint64_t a = e->start, b = e->end;
		if (s->kver >= V(3, 7, 0)) {
			a = ru_u64(a, SZ_4K);
			b = rd_u64(b, SZ_4K);
		}
		if (b > a && !mb_array_add(&s->mb.memory, a, b - a))
			sim_oom(s);
	}

	/* Kernel image and BRK.  A log gives the BRK base (the first BRK line)
	 * but rarely the image: then the image is the 15 MiB below BRK (the
	 * kernel may be loaded anywhere with KASLR).  Degenerate inputs are
	 * clamped so that the image holds head_64.S's static tables and ends
	 * where BRK starts. */
	uint64_t brk = sc->brk_base, ks = sc->kernel_start, ke = sc->kernel_end;
	/* Xen PV: the domain builder loads the kernel at the start of the
	 * guest's pseudo-physical memory, inside the initial mapping (modelled
	 * in the first GiB); a placement above that is not a Xen PV layout */
	if (s->xen && ((brk ? brk : ke ? ke : ks) + 0x800000 > SZ_1G)) {
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_XEN_KERNEL_LOW,
		                        .a = brk ? brk : ks});
		brk = ks = ke = 0;
	}
	if (!ks)
		ks = !brk ? 0x1000000 : brk > 0x1100000 ? rd_u64(brk - 0xf00000, SZ_2M) : SZ_1M;
	if (!ke)
		ke = brk ? brk : ks + 0xf00000;
	if (!brk)
		brk = ru_u64(ke, SZ_4K);
	if (brk < 0x5000)
		brk = 0x5000;
	if (ks + 0x4000 > brk)
		ks = rd_u64(brk - 0x4000, SZ_4K);
	if (ke > brk)
		ke = brk;
	if (ke < ks)
		ke = ks;
	s->kernel_start = ks;
	s->kernel_end = ke;
	s->brk_base = brk;
	s->brk_end = s->brk_base + 0x10000;
	if (sc->kernel_image_end > s->brk_base)
		s->brk_end = sc->kernel_image_end;
	/* a memblock=debug log lists every reservation itself */
	if (!sc->resv_complete &&
	    !mb_array_add(&s->mb.reserved, s->kernel_start, s->brk_end - s->kernel_start))
		sim_oom(s);
	/* in address order: each add then lands at the end of the sorted array
	 * (in the file's order, 100,000 descending reservations cost a memmove
	 * of the array each: 84 % of a 1.7 s run) */
	pgt_region *rs = malloc((sc->n_resv ? sc->n_resv : 1) * sizeof(*rs));
	if (!rs)
		sim_oom(s);
	size_t nrs = 0;
	for (size_t i = 0; i < sc->n_resv; i++) {
		const pgt_resv *r = &sc->resv[i];
		if (r->kind == PGT_RESV_CRASHKERNEL || r->kind == PGT_RESV_EFI_BOOT ||
		    r->end <= r->start)
			continue;
		rs[nrs++] = (pgt_region){r->start, r->end - r->start};
	}
	qsort(rs, nrs, sizeof(*rs), cmp_region);
	for (size_t i = 0; i < nrs; i++)
		if (!mb_array_add(&s->mb.reserved, rs[i].base, rs[i].size)) {
			free(rs);
			sim_oom(s);
		}
	free(rs);
	if (s->xen && s->bits32) {
		xen32_initial_mapping(s);
	} else if (s->xen) {
		xen_builder_layout(s, sc);
	} else if (sc->resv_complete) {
		/* a memblock=debug log: its lines already hold what the kernel
		 * reserved, boot services included (then skipped here as
		 * overlapping); regions of a printed EFI map missing from them
		 * are reserved as the kernel would */
		reserve_efi_boot_services(s);
	} else {
		/* EBDA / BIOS area [lowmem, 1M) (reserve_ebda_region) */
		uint64_t lowmem = 0x9f000;
		for (size_t i = 0; i < s->n_e820; i++)
			if (s->e820[i].type == PGT_E820_RAM && s->e820[i].start < 0xa0000 &&
			    s->e820[i].end > 0x20000 && s->e820[i].end < lowmem)
				lowmem = s->e820[i].end;
		if (!mb_array_add(&s->mb.reserved, lowmem, SZ_1M - lowmem))
			sim_oom(s);
		reserve_efi_boot_services(s);
		if (s->kver >= V(3, 9, 0) &&
		    !mb_array_add(&s->mb.reserved, 0, reservelow < SZ_1M ? reservelow : SZ_1M))
			sim_oom(s);
	}
	if (!mb_array_copy(&s->reserved_initial, &s->mb.reserved))
		sim_oom(s);
}
