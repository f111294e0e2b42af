/*
 * split_mem_range: cut [start, end) into at most NR_RANGE_MR (5) map ranges
 * 4k head / 2M up to the next 1G / 1G body / 2M tail / 4k tail, merge equal
 * neighbours, and (3.9+) widen ranges whose enclosing 2M/1G block is a single
 * memblock memory region (adjust_range_page_size_mask).  The 3.9 kernel
 * adjusts after merging, 3.10+ before.
 * Source: arch/x86/mm/init.c, 2.6.27-3.8 inline in init_memory_mapping,
 * split_mem_range from 3.9 (docs/kernel-model.md: Calls).
 */
#include "split.h"

#define NR_RANGE_MR 5

static size_t save_mr(const pgt_sim *s, map_range *mr, size_t n, uint64_t spfn, uint64_t epfn,
                      unsigned mask)
{
	(void)s;
	if (spfn < epfn) {
		if (n >= NR_RANGE_MR)
			return n + 1; /* caller panics */
		mr[n].start = spfn << 12;
		mr[n].end = epfn << 12;
		mr[n].mask = mask;
		n++;
	}
	return n;
}

static void adjust(const pgt_sim *s, map_range *mr, size_t n, unsigned mask)
{
	const uint64_t pmd = s->pmd_size ? s->pmd_size : SZ_2M;
	for (size_t i = 0; i < n; i++) {
		if ((mask & MASK_2M) && !(mr[i].mask & MASK_2M)) {
			uint64_t a = rd_u64(mr[i].start, pmd), b = ru_u64(mr[i].end, pmd);
			/* i386: never past lowmem */
			if (s->bits32 && (b >> 12) > s->max_low_pfn)
				continue;
			if (mb_is_region_memory(&s->mb, a, b - a))
				mr[i].mask |= MASK_2M;
		}
		if ((mask & MASK_1G) && !(mr[i].mask & MASK_1G)) {
			uint64_t a = rd_u64(mr[i].start, SZ_1G), b = ru_u64(mr[i].end, SZ_1G);
			if (mb_is_region_memory(&s->mb, a, b - a))
				mr[i].mask |= MASK_1G;
		}
	}
}

static size_t merge(map_range *mr, size_t n)
{
	for (size_t i = 0; n > 0 && i < n - 1;) {
		if (mr[i].end != mr[i + 1].start || mr[i].mask != mr[i + 1].mask) {
			i++;
			continue;
		}
		mr[i].end = mr[i + 1].end;
		for (size_t j = i + 1; j + 1 < n; j++)
			mr[j] = mr[j + 1];
		n--;
	}
	return n;
}

/* i386 (docs/kernel-model.md, "i386"): at most 3 ranges -- a 4k head (the
 * first 2/4 MiB of memory is always 4k, for the fixed MTRRs there), the
 * large-page body and a 4k tail; large pages are PMD_SIZE (2 MiB PAE, 4 MiB
 * otherwise). */
static size_t split32(const pgt_sim *s, map_range *mr, uint64_t start, uint64_t end, unsigned mask)
{
	const uint64_t pmd = s->pmd_size >> 12;
	uint64_t limit = end >> 12, pfn = start >> 12;
	size_t n = 0;
	uint64_t ep = pfn == 0 ? pmd : ru_u64(pfn, pmd);
	if (ep > limit)
		ep = limit;
	if (pfn < ep) {
		n = save_mr(s, mr, n, pfn, ep, 0);
		pfn = ep;
	}
	uint64_t sp = ru_u64(pfn, pmd);
	ep = rd_u64(limit, pmd);
	if (sp < ep) {
		n = save_mr(s, mr, n, sp, ep, mask & MASK_2M);
		pfn = ep;
	}
	n = save_mr(s, mr, n, pfn, limit, 0);
	return n;
}

size_t split_mem_range(const pgt_sim *s, map_range *mr, uint64_t start, uint64_t end, unsigned mask,
                       bool do_adjust, bool adjust_before_merge)
{
	if (s->bits32) {
		size_t n32 = split32(s, mr, start, end, mask);
		if (do_adjust && adjust_before_merge)
			adjust(s, mr, n32, mask);
		n32 = merge(mr, n32);
		if (do_adjust && !adjust_before_merge)
			adjust(s, mr, n32, mask);
		return n32;
	}
	const uint64_t pmd = SZ_2M >> 12, pud = SZ_1G >> 12;
	uint64_t limit = end >> 12, pfn = start >> 12;
	size_t n = 0;

	/* head: up to the first 2M boundary, 4k */
	uint64_t sp = pfn, ep = ru_u64(pfn, pmd);
	if (ep > limit)
		ep = limit;
	if (sp < ep) {
		n = save_mr(s, mr, n, sp, ep, 0);
		pfn = ep;
	}
	/* 2M pages up to the first 1G boundary */
	sp = ru_u64(pfn, pmd);
	ep = ru_u64(pfn, pud);
	if (ep > rd_u64(limit, pmd))
		ep = rd_u64(limit, pmd);
	if (sp < ep) {
		n = save_mr(s, mr, n, sp, ep, mask & MASK_2M);
		pfn = ep;
	}
	/* 1G body */
	sp = ru_u64(pfn, pud);
	ep = rd_u64(limit, pud);
	if (sp < ep) {
		n = save_mr(s, mr, n, sp, ep, mask & (MASK_2M | MASK_1G));
		pfn = ep;
	}
	/* 2M tail */
	sp = ru_u64(pfn, pmd);
	ep = rd_u64(limit, pmd);
	if (sp < ep) {
		n = save_mr(s, mr, n, sp, ep, mask & MASK_2M);
		pfn = ep;
	}
	/* 4k tail */
	n = save_mr(s, mr, n, pfn, limit, 0);
	if (n > NR_RANGE_MR)
		return n;

	if (do_adjust && adjust_before_merge)
		adjust(s, mr, n, mask);
	n = merge(mr, n);
	if (do_adjust && !adjust_before_merge)
		adjust(s, mr, n, mask);
	return n;
}

const char *page_label(const pgt_sim *s, unsigned mask)
{
	/* 4 MiB pages of non-PAE i386 print as "2M" until page_size_string(),
	 * present in 4.2 and absent in 3.18 (docs/kernel-verification.md §1;
	 * 3.19-4.1 unknown, 4.2 used) */
	if ((mask & MASK_2M) && s->bits32 && !s->pae && s->kver >= V(4, 2, 0))
		return "4M";
	return (mask & MASK_1G) ? "1G" : (mask & MASK_2M) ? "2M" : "4k";
}
