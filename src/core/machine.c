/*
 * The machine a run starts from: setup_arch up to the direct mapping.  The
 * scenario's e820 map is sanitised (overlaps resolved as the kernel's
 * change-point algorithm does), trimmed as the version did, edited by the
 * scenario's log lines and mem=; memblock.memory is filled from it; the
 * kernel image, BRK and the boot-time reservations (EBDA, EFI boot
 * services, Xen's domain builder layout) go into memblock.reserved.  Also
 * the e820 query the walk needs (e820_any).
 *
 * Below the walk and the schemes, above record.c: it records notes and
 * runs out of memory through record.c and calls nothing else of the core
 * but memblock.c.
 */
#include "machine.h"

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

/* e820_any_mapped(start, end, type) over the effective map; ram_only: RAM
 * or RESERVED_KERN (the 3.9 walk's past-the-end test), else any type. */
bool e820_any(const pgt_sim *s, uint64_t start, uint64_t end, bool ram_only)
{
	size_t lo = e820_first_after(s, start);
	for (size_t i = lo; i < s->n_e820 && s->e820[i].start < end; i++) {
		if (!ram_only || s->e820[i].type == PGT_E820_RAM ||
		    s->e820[i].type == PGT_E820_RESERVED_KERN)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Machine set-up: e820 -> memblock                                          */
/* ------------------------------------------------------------------------ */

/* sanitize_e820_map: sort, resolve overlaps (the larger type number wins, as
 * the kernel's change-point algorithm does) and merge equal neighbours.  A
 * sweep over the 2n change points keeps the multiset of active types.
 * Returns the number of entries that overlapped an earlier one. */
typedef struct cpoint {
	uint64_t at;
	uint32_t type;
	int delta; /* +1 entry starts, -1 ends */
} cpoint;

static int cmp_cpoint(const void *a, const void *b)
{
	const cpoint *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->delta - y->delta; /* ends before starts at the same address */
}

static size_t e820_sanitize(pgt_sim *s)
{
	size_t n = s->n_e820;
	if (!n)
		return 0;
	cpoint *pts = malloc(2 * n * sizeof(*pts));
	uint32_t *active = malloc(n * sizeof(*active));
	pgt_e820_entry *out = malloc(2 * n * sizeof(*out));
	if (!pts || !active || !out) {
		free(pts);
		free(active);
		free(out);
		sim_oom(s);
	}
	size_t np = 0, na = 0, no = 0, overlaps = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->e820[i].end <= s->e820[i].start)
			continue;
		pts[np++] = (cpoint){s->e820[i].start, s->e820[i].type, +1};
		pts[np++] = (cpoint){s->e820[i].end, s->e820[i].type, -1};
	}
	qsort(pts, np, sizeof(*pts), cmp_cpoint);
	for (size_t k = 0; k < np; k++) {
		if (pts[k].delta > 0) {
			overlaps += na > 0;
			active[na++] = pts[k].type;
		} else {
			for (size_t i = 0; i < na; i++)
				if (active[i] == pts[k].type) {
					active[i] = active[--na];
					break;
				}
		}
		if (k + 1 >= np || pts[k + 1].at == pts[k].at || !na)
			continue;
		uint32_t type = 0;
		for (size_t i = 0; i < na; i++)
			if (active[i] > type)
				type = active[i];
		uint64_t a = pts[k].at, b = pts[k + 1].at;
		if (no && out[no - 1].end == a && out[no - 1].type == type)
			out[no - 1].end = b;
		else
			out[no++] = (pgt_e820_entry){a, b, type};
	}
	free(pts);
	free(active);
	free(s->e820);
	s->e820 = out;
	s->n_e820 = no;
	return overlaps;
}

/* e820_update_range / e820_remove_range on the sanitized map (sorted, not
 * overlapping, equal touching neighbours merged).  Only the entries that
 * overlap [start, end) and their two neighbours are rebuilt and spliced in,
 * so an edit costs O(log n + k) plus one memmove of the tail, instead of a
 * full copy and re-sort (8,000 edits took 12.6 s that way). */
static void e820_change(pgt_sim *s, uint64_t start, uint64_t end, uint32_t from, uint32_t to)
{
	if (end <= start)
		return;
	size_t n = s->n_e820, lo = e820_first_after(s, start), hi;
	hi = lo;
	while (hi < n && s->e820[hi].start < end)
		hi++;
	if (hi == lo)
		return; /* nothing overlaps: nothing changes */
	size_t w0 = lo ? lo - 1 : lo, w1 = hi < n ? hi + 1 : hi; /* window with neighbours */
	pgt_e820_entry *out = malloc((3 * (w1 - w0) + 1) * sizeof(*out));
	if (!out)
		sim_oom(s);
	size_t no = 0;
	for (size_t i = w0; i < w1; i++) {
		pgt_e820_entry e = s->e820[i], p[3];
		size_t np = 0;
		if (e.end <= start || e.start >= end || (from && e.type != from)) {
			p[np++] = e;
		} else {
			if (e.start < start)
				p[np++] = (pgt_e820_entry){e.start, start, e.type};
			uint64_t ms = e.start > start ? e.start : start;
			uint64_t me = e.end < end ? e.end : end;
			if (to)
				p[np++] = (pgt_e820_entry){ms, me, to};
			if (e.end > end)
				p[np++] = (pgt_e820_entry){end, e.end, e.type};
		}
		for (size_t k = 0; k < np; k++) {
			if (no && out[no - 1].end == p[k].start && out[no - 1].type == p[k].type)
				out[no - 1].end = p[k].end;
			else
				out[no++] = p[k];
		}
	}
	size_t old = w1 - w0, nn = n - old + no;
	if (no > old) {
		pgt_e820_entry *g = realloc(s->e820, nn * sizeof(*g));
		if (!g) {
			free(out);
			sim_oom(s);
		}
		s->e820 = g;
	}
	memmove(&s->e820[w0 + no], &s->e820[w1], (n - w1) * sizeof(*s->e820));
	memcpy(&s->e820[w0], out, no * sizeof(*out));
	s->n_e820 = nn;
	free(out);
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

/* Is [a, b) wholly e820 RAM (e820_all_mapped with E820_RAM)? */
static bool e820_all_ram(const pgt_sim *s, uint64_t a, uint64_t b)
{
	while (a < b) {
		bool found = false;
		for (size_t i = 0; i < s->n_e820 && !found; i++) {
			const pgt_e820_entry *e = &s->e820[i];
			if (e->type == PGT_E820_RAM && e->start <= a && e->end > a) {
				a = e->end;
				found = true;
			}
		}
		if (!found)
			return false;
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
		bool clash = false;
		for (size_t k = 0; k < s->mb.reserved.n && !clash; k++) {
			const uint64_t rb = s->mb.reserved.r[k].base;
			clash = rb < r->end && rb + s->mb.reserved.r[k].size > r->start;
		}
		if (!clash && !mb_array_add(&s->mb.reserved, r->start, r->end - r->start))
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
	s->n_e820 = sc->n_e820;
	s->e820 = malloc((sc->n_e820 ? sc->n_e820 : 1) * sizeof(*s->e820));
	if (!s->e820)
		sim_oom(s);
	if (sc->n_e820)
		memcpy(s->e820, sc->e820, sc->n_e820 * sizeof(*s->e820));
	size_t overlaps = e820_sanitize(s);
	if (overlaps) /* say so: the map was not used as given */
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_E820_SANITIZED,
		                        .a = overlaps});

	/* The version's own low-memory trims (setup.c trim_bios_range, 2.6.34+;
	 * 3.9+ keeps only the first page in e820 and reserves 64K in memblock). */
	uint64_t reservelow = sc->reservelow ? sc->reservelow : 0x10000;
	if (s->kver >= V(3, 9, 0))
		e820_change(s, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (s->kver >= V(2, 6, 37))
		e820_change(s, 0, reservelow, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (s->kver >= V(2, 6, 34))
		e820_change(s, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	if (s->kver >= V(2, 6, 34))
		e820_change(s, 0xa0000, SZ_1M, PGT_E820_RAM, 0);
	/* The scenario's edits (log lines, MTRR trims), then mem=. */
	for (size_t i = 0; i < sc->n_edits; i++)
		e820_change(s, sc->edits[i].start, sc->edits[i].end, sc->edits[i].from_type,
		            sc->edits[i].to_type);
	if (sc->mem_limit)
		e820_change(s, sc->mem_limit, UINT64_MAX, PGT_E820_RAM, 0);

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
	for (size_t i = 0; i < sc->n_resv; i++) {
		const pgt_resv *r = &sc->resv[i];
		if (r->kind == PGT_RESV_CRASHKERNEL || r->kind == PGT_RESV_EFI_BOOT ||
		    r->end <= r->start)
			continue;
		if (!mb_array_add(&s->mb.reserved, r->start, r->end - r->start))
			sim_oom(s);
	}
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
