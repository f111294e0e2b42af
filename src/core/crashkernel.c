/*
 * reserve_crashkernel(): the crashkernel=SIZE reservation that setup_arch
 * makes right after the direct mapping is built (after reserve_initrd), in
 * memory that memblock still sees as free.  It is the reason page-table
 * placement mattered for kdump: a few table pages in the wrong place split
 * the only window the crash kernel may use.
 *
 * Rules (arch/x86/kernel/setup.c, read for facts only; see the "crashkernel"
 * section of docs/kernel-model.md):
 *
 *   - Only crashkernel=SIZE without an @offset is modelled: the kernel picks
 *     the address.  Alignment 16 MiB, lowest address 16 MiB, in every
 *     version read (2.6.36 diff, 3.0, 3.2, 3.3/3.4, 3.6.0, 3.10.4).
 *   - <= 2.6.36: find_e820_area(16M, ULONG_MAX, size, 16M): the first fit
 *     from the bottom, no upper limit (seen as the removed side of the
 *     memblock conversion diff, "x86, memblock: Fix crashkernel allocation",
 *     Oct 2010).  pgtviz searches memblock bottom-up, which has the same
 *     free ranges as e820 RAM minus early_res here.
 *   - 2.6.37 - 3.8 and 3.9+: memblock_find_in_range(16M, 896M, size, 16M),
 *     top-down, so the crash kernel lands as high as possible below 896 MiB
 *     (CRASH_KERNEL_ADDR_MAX in 3.0/3.2/3.6; CRASH_KERNEL_ADDR_LOW_MAX in
 *     3.10.4, where crashkernel=X,high is a separate option).  2.6.37 - 3.2
 *     use the old memblock search, 3.3+ the rewritten one.
 *   - 5.2+: the low limit is 4 GiB (9ca5c8e632ce, "x86/kdump: Have
 *     crashkernel=X reserve under 4G by default", Dave Young, in the
 *     x86/kdump pull for 5.2), and when nothing fits below it the search is
 *     repeated up to CRASH_ADDR_HIGH_MAX ("Fall back to reserve high
 *     crashkernel memory", same pull).  A reservation above 4 GiB then also
 *     takes a ",low" part below 4 GiB, which pgtviz does not model.
 *   - 3.13+ with movable_node (the bottom-up scheme): memblock is still in
 *     bottom-up mode here (numa_init, called later from initmem_init, sets
 *     it back to top-down), so the search is bottom-up above the kernel's
 *     end and falls back to top-down, like every other allocation.
 *   - "System RAM" in the success line: (max_pfn - min_low_pfn) pages up to
 *     3.2 (get_total_mem; min_low_pfn is 0 on x86-64), memblock_phys_mem_size()
 *     (the sum of memblock.memory) from 3.3.
 *   - Messages (pr_info / KERN_INFO, identical in every version read):
 *     success "Reserving %ldMB of memory at %ldMB for crashkernel (System
 *     RAM: %ldMB)", failure "crashkernel reservation failed - No suitable
 *     area found.".
 */
#include "crashkernel.h"

#define CRASH_ALIGN         (16ULL << 20)  /* 16 MiB, all versions */
#define CRASH_ADDR_MAX      (896ULL << 20) /* 64-bit limit, 2.6.37 - 5.1 */
#define CRASH_ADDR_LOW_4G   (4ULL << 30)   /* 5.2+: CRASH_ADDR_LOW_MAX = SZ_4G */
#define CRASH_ADDR_HIGH_MAX (1ULL << 46)   /* MAXMEM (4-level), SZ_64T later */
#define RESERVE_CRASHKERNEL 2u             /* PGT_EV_RESERVE aux (core.h) */

/* Bytes of RAM the version reports as "System RAM". */
static uint64_t crash_total_mem(const pgt_sim *s)
{
	if (s->kver < V(3, 3, 0))
		return s->max_pfn << 12; /* get_total_mem(), 3.2 setup.c */
	uint64_t total = 0;              /* memblock_phys_mem_size(), 3.3+ */
	for (size_t i = 0; i < s->mb.memory.n; i++)
		total += s->mb.memory.r[i].size;
	return total;
}

/* memblock_find_in_range(CRASH_ALIGN, limit, size, CRASH_ALIGN) in the
 * version's memblock mode. */
static uint64_t crash_find_below(pgt_sim *s, uint64_t limit, uint64_t size)
{
	if (s->scheme == PGT_SCHEME_BOTTOMUP && limit > s->brk_end) {
		/* 3.13+ memblock bottom-up mode: above the kernel first */
		uint64_t lo = s->brk_end > CRASH_ALIGN ? s->brk_end : CRASH_ALIGN;
		uint64_t r = mb_find_bottomup(&s->mb, lo, limit, size, CRASH_ALIGN);
		if (r)
			return r;
	}
	if (s->kver < V(3, 3, 0))
		return mb_find_topdown_old(&s->mb, CRASH_ALIGN, limit, size, CRASH_ALIGN);
	return mb_find_topdown(&s->mb, CRASH_ALIGN, limit, size, CRASH_ALIGN);
}

/* The address reserve_crashkernel picks for `size` bytes, or 0. */
static uint64_t crash_find(pgt_sim *s, uint64_t size)
{
	if (s->kver <= V(2, 6, 36)) /* find_e820_area: first fit, no limit */
		return mb_find_bottomup(&s->mb, CRASH_ALIGN, UINT64_MAX, size, CRASH_ALIGN);
	if (s->kver < V(5, 2, 0))
		return crash_find_below(s, CRASH_ADDR_MAX, size);
	uint64_t r = crash_find_below(s, CRASH_ADDR_LOW_4G, size);
	return r ? r : crash_find_below(s, CRASH_ADDR_HIGH_MAX, size);
}

void sim_reserve_crashkernel(pgt_sim *s)
{
	uint64_t size = s->sc.crashkernel;
	s->crash_size = size;
	s->crash_base = 0;
	s->crash_tried = true;
	if (!size)
		return;
	uint64_t total = crash_total_mem(s);
	uint64_t base = crash_find(s, size);
	if (!base) {
		sim_log(s, PGT_LL_INFO, true, false,
		        "crashkernel reservation failed - No suitable area found.");
		return;
	}
	s->crash_base = base;
	if (!mb_array_add(&s->mb.reserved, base, size))
		sim_oom(s);
	sim_emit(s, (pgt_event){.kind = PGT_EV_RESERVE,
	                        .a = base,
	                        .b = base + size,
	                        .aux = RESERVE_CRASHKERNEL});
	/* %ld of (unsigned long)(x >> 20): whole MiB, rounded down */
	sim_log(s, PGT_LL_INFO, true, false,
	        "Reserving %lluMB of memory at %lluMB for crashkernel (System RAM: %lluMB)",
	        (unsigned long long)(size >> 20), (unsigned long long)(base >> 20),
	        (unsigned long long)(total >> 20));
}
