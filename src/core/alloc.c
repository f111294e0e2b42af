/*
 * Where a new table page comes from, one allocator per scheme:
 *
 *  pgtbuf    alloc_low_page: the next page of the pgt_buf window
 *            [pgt_buf_start, pgt_buf_top) that find_early_table_space
 *            reserved (2.6.2x-3.8, docs/kernel-model.md, "Old scheme");
 *  top-down / bottom-up
 *            alloc_low_pages (3.9+, "New scheme"): the BRK buffer while
 *            can_use_brk_pgt allows, then memblock inside [min_pfn_mapped,
 *            max_pfn_mapped) -- bottom-up in movable_node mode;
 *  chunk-end hpa's proposal: the end of the chunk just mapped.
 *
 * The walk (walk.c) calls alloc_table() for every table it needs; the
 * scheme drivers (schemes.c) set the state these read in struct pgt_sim.
 * Below both: calls only record.c and memblock.c.
 */
#include "alloc.h"

static const char *h10(uint64_t v, char *b)
{
	return pgt_kfmt_hash010(v, b, 24);
}

/* ------------------------------------------------------------------------ */
/* Allocation                                                               */
/* ------------------------------------------------------------------------ */

static uint32_t alloc_pgtbuf(pgt_sim *s, int level, uint64_t va, uint32_t parent, unsigned slot)
{
	if (s->pgt_buf_end >= s->pgt_buf_top)
		sim_panic(s, "alloc_low_page: ran out of memory");
	uint64_t pfn = s->pgt_buf_end++;
	return sim_new_table(s, level, PGT_ORIGIN_PGTBUF, pfn << 12, va, parent, slot, true);
}

/* memblock_find_in_range for page tables, honouring bottom-up mode. */
static uint64_t find_pt_page(pgt_sim *s, uint64_t start, uint64_t end)
{
	/* 5.11+ (2dcb3964544, "memblock: do not start bottom-up allocations
	 * with kernel_end"): plain bottom-up from max(start, 4 KiB), no
	 * kernel_end floor and no top-down retry */
	if (s->scheme == PGT_SCHEME_BOTTOMUP && s->kver >= V(5, 11, 0))
		return mb_find_bottomup(&s->mb, start > SZ_4K ? start : SZ_4K, end, SZ_4K, SZ_4K);
	if (s->scheme == PGT_SCHEME_BOTTOMUP && end > s->brk_end) {
		uint64_t bs = start > s->brk_end ? start : s->brk_end;
		uint64_t r = mb_find_bottomup(&s->mb, bs, end, SZ_4K, SZ_4K);
		if (r)
			return r;
		static const char warn[] =
		    "memblock: bottom-up allocation failed, memory hotunplug "
		    "may be affected";
		if (!s->bottomup_warned) /* WARN_ONCE */
			sim_log(s, 4, true, false, "%s", warn);
		s->bottomup_warned = true;
	}
	return mb_find_topdown(&s->mb, start, end, SZ_4K, SZ_4K);
}

/* Is the BRK printk in this version?  Removed by 67d631b7c05e "x86/mm: Stop
 * printing BRK addresses" in 5.8 and, per the June 2020 stable review
 * cycles, in 5.7.5, 5.4.48 and 4.9.228; 4.19.129, 4.14.185 and 4.4.228 are
 * the releases of that same cycle (AUTOSEL picked it for 4.19 and 4.4). */
static bool brk_printed(uint32_t k)
{
	unsigned maj = PGT_KVER_MAJOR(k), min = PGT_KVER_MINOR(k), p = PGT_KVER_PATCH(k);
	if (k >= V(5, 8, 0))
		return false;
	if ((maj == 5 && min == 7 && p >= 5) || (maj == 5 && min == 4 && p >= 48) ||
	    (maj == 4 && min == 19 && p >= 129) || (maj == 4 && min == 14 && p >= 185) ||
	    (maj == 4 && min == 9 && p >= 228) || (maj == 4 && min == 4 && p >= 228))
		return false;
	return true;
}

/* alloc_low_pages(1), arch/x86/mm/init.c 3.9+ (docs/kernel-model.md: New scheme). */
static uint32_t alloc_low_pages(pgt_sim *s, int level, uint64_t va, uint32_t parent, unsigned slot)
{
	const char *fn = s->kver >= V(3, 13, 0) ? "alloc_low_pages" : "alloc_low_page";
	if (s->pgt_buf_end + 1 > s->pgt_buf_top || !s->can_use_brk_pgt) {
		uint64_t ret = 0;
		const int origin = PGT_ORIGIN_MEMBLOCK;
		if (s->kver < V(4, 15, 0)) {
			if (s->min_pfn_mapped >= s->max_pfn_mapped)
				sim_panic(s, "%s: ran out of memory", fn);
			ret = find_pt_page(s, s->min_pfn_mapped << 12, s->max_pfn_mapped << 12);
		} else {
			if (s->min_pfn_mapped < s->max_pfn_mapped)
				ret = find_pt_page(s, s->min_pfn_mapped << 12,
				                   s->max_pfn_mapped << 12);
			/* the extend_brk fallback (4.15-4.19+) cannot succeed: setup_arch
			 * has already called reserve_brk(), and extend_brk() stops the
			 * kernel on its BUG_ON (docs/kernel-verification.md §2) */
			if (!ret && s->can_use_brk_pgt)
				sim_panic(s, "kernel BUG at arch/x86/kernel/setup.c (extend_brk "
				             "after reserve_brk: BRK is closed)");
		}
		if (!ret)
			sim_panic(s, "%s: can not alloc memory", fn);
		if (!mb_array_add(&s->mb.reserved, ret, SZ_4K))
			sim_oom(s);
		return sim_new_table(s, level, origin, ret, va, parent, slot, true);
	}
	uint64_t pfn = s->pgt_buf_end++;
	uint32_t t = sim_new_table(s, level, PGT_ORIGIN_BRK, pfn << 12, va, parent, slot, true);
	char a[24], b[24];
	sim_log(s, PGT_LL_DEBUG, brk_printed(s->kver), true, "BRK [%s, %s] PGTABLE",
	        h10(pfn << 12, a), h10((s->pgt_buf_end << 12) - 1, b));
	return t;
}

/* alloc_low_pages(n) of the 3.9+ scheme for n > 1 pages at once (i386's
 * page_table_range_init, docs/kernel-model.md, "i386"): n BRK pages and one
 * BRK line covering them while they fit, else one memblock range of n pages
 * (one memblock_phys_alloc_range call); the pages are used from the lowest
 * up.  Returns the first of the n new (unlinked) tables. */
uint32_t alloc_tables_n(pgt_sim *s, int level, unsigned n)
{
	if (n == 1 || s->scheme == PGT_SCHEME_PGTBUF || s->scheme == PGT_SCHEME_CHUNKEND)
		return alloc_table(s, level, 0, NO_IDX, 0);
	const uint64_t size = (uint64_t)n * SZ_4K;
	uint64_t base;
	int origin;
	if (s->pgt_buf_end + n > s->pgt_buf_top || !s->can_use_brk_pgt) {
		base = 0;
		if (s->min_pfn_mapped < s->max_pfn_mapped)
			base = mb_find_topdown(&s->mb, s->min_pfn_mapped << 12,
			                       s->max_pfn_mapped << 12, size, SZ_4K);
		if (!base)
			sim_panic(s, "alloc_low_pages: can not alloc memory");
		if (!mb_array_add(&s->mb.reserved, base, size))
			sim_oom(s);
		origin = PGT_ORIGIN_MEMBLOCK;
	} else {
		base = s->pgt_buf_end << 12;
		s->pgt_buf_end += n;
		origin = PGT_ORIGIN_BRK;
		char a[24], b[24];
		sim_log(s, PGT_LL_DEBUG, brk_printed(s->kver), true, "BRK [%s, %s] PGTABLE",
		        h10(base, a), h10(base + size - 1, b));
	}
	uint32_t first = NO_IDX;
	for (unsigned i = 0; i < n; i++) {
		uint32_t t =
		    sim_new_table(s, level, origin, base + (uint64_t)i * SZ_4K, 0, NO_IDX, 0, true);
		if (i == 0)
			first = t;
	}
	return first;
}

/* hpa's proposal: the end of the chunk just mapped, else the start of the
 * region being mapped. */
static uint32_t alloc_chunk(pgt_sim *s, int level, uint64_t va, uint32_t parent, unsigned slot)
{
	uint64_t p = 0;
	if (s->slot_hi > s->slot_lo) {
		p = mb_find_topdown(&s->mb, s->slot_lo, s->slot_hi, SZ_4K, SZ_4K);
		/* the chunk is all reserved (the kernel image): the highest free
		 * page of what is mapped so far, still a mapped page */
		if (!p)
			p = mb_find_topdown(&s->mb, 0, s->slot_hi, SZ_4K, SZ_4K);
	}
	if (!p) /* nothing mapped yet: PTE_A at the start of the region */
		p = mb_find_bottomup(&s->mb, s->region_lo, s->region_hi, SZ_4K, SZ_4K);
	if (!p)
		sim_panic(s, "chunk-end: no free page in the chunk just mapped or in the region");
	if (!mb_array_add(&s->mb.reserved, p, SZ_4K))
		sim_oom(s);
	return sim_new_table(s, level, PGT_ORIGIN_CHUNK, p, va, parent, slot, true);
}

uint32_t alloc_table(pgt_sim *s, int level, uint64_t va_base, uint32_t parent, unsigned slot)
{
	switch (s->scheme) {
	case PGT_SCHEME_PGTBUF:
		return alloc_pgtbuf(s, level, va_base, parent, slot);
	case PGT_SCHEME_CHUNKEND:
		return alloc_chunk(s, level, va_base, parent, slot);
	default:
		return alloc_low_pages(s, level, va_base, parent, slot);
	}
}
