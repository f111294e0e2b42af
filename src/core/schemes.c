/*
 * The four allocation schemes and their drivers.
 *
 *  pgtbuf    setup_arch -> init_memory_mapping -> find_early_table_space ->
 *            linear alloc_low_page from pgt_buf_start/end/top (2.6.2x-3.8,
 *            docs/kernel-model.md, "Old scheme"), with the
 *            version's sizing variant, placement and print formats; the Xen
 *            PV RO rules ("Xen PV").
 *  top-down  init_mem_mapping (3.9+, "New scheme"): ISA range first, then
 * chunks from real_end downwards with a growing step, tables from the BRK buffer and then from
 * memblock inside [min_pfn_mapped, max_pfn_mapped). bottom-up the 3.13+ movable_node variant
 * ("Version models"). chunk-end hpa's 2012 proposal as the LKML mail sketches it: map in chunks and
 * take each new table from the end of the chunk just mapped (docs/kernel-model.md says how it is
 * read here).
 */
#include "schemes.h"
#include "crashkernel.h"
#include "split.h"
#include "walk.h"

#include <stdio.h>
#include <string.h>

static const char *h10(uint64_t v, char *b)
{
	return pgt_kfmt_hash010(v, b, 24);
}

static void set_var(pgt_sim *s, int var, uint64_t *field, uint64_t value)
{
	if (*field == value)
		return;
	*field = value;
	sim_set(s, var, value, 0);
}

static void set_can_use_brk(pgt_sim *s, bool v)
{
	if (s->can_use_brk_pgt == v)
		return;
	s->can_use_brk_pgt = v;
	sim_set(s, PGT_VAR_CAN_USE_BRK, v, 0);
}

/* ------------------------------------------------------------------------ */
/* Shared printing                                                          */
/* ------------------------------------------------------------------------ */

/* kernel_physical_mapping_init of the model's word size */
static uint64_t kpmi(pgt_sim *s, uint64_t start, uint64_t end, unsigned mask)
{
	return s->bits32 ? walk32_kpmi(s, start, end, mask) : walk_kpmi(s, start, end, mask);
}

/* i386 before 2.6.30 had its own init_memory_mapping (init_32.c), which
 * printed neither the header nor the per-range lines; 2.6.30 moved it into
 * the shared arch/x86/mm/init.c, which prints both. */
static bool i386_no_mapping_lines(const pgt_sim *s)
{
	return s->bits32 && s->kver < V(2, 6, 30);
}

static void print_header(pgt_sim *s, uint64_t start, uint64_t end, bool shown)
{
	char a[24], b[24];
	if (i386_no_mapping_lines(s))
		return;
	if (s->kver <= V(2, 6, 27))
		sim_log(s, PGT_LL_INFO, shown, true, "init_memory_mapping");
	else if (s->kver < V(3, 5, 0))
		sim_log(s, PGT_LL_INFO, shown, true, "init_memory_mapping: %016llx-%016llx",
		        (unsigned long long)start, (unsigned long long)end);
	else
		sim_log(s, PGT_LL_INFO, shown, true, "init_memory_mapping: [mem %s-%s]",
		        h10(start, a), h10(end - 1, b));
}

static void print_ranges(pgt_sim *s, const map_range *mr, size_t n, bool shown)
{
	char a[24], b[24];
	for (size_t i = 0; i < n; i++) {
		unsigned shift = (mr[i].mask & MASK_1G) ? 30 : (mr[i].mask & MASK_2M) ? 21 : 12;
		sim_emit(s,
		         (pgt_event){
		             .kind = PGT_EV_RANGE, .a = mr[i].start, .b = mr[i].end, .aux = shift});
		if (i386_no_mapping_lines(s))
			continue;
		if (s->kver < V(3, 5, 0))
			sim_log(s, PGT_LL_DEBUG, shown, true, " %010llx - %010llx page %s",
			        (unsigned long long)mr[i].start, (unsigned long long)mr[i].end,
			        page_label(s, mr[i].mask));
		else
			sim_log(s, PGT_LL_DEBUG, shown, true, " [mem %s-%s] page %s",
			        h10(mr[i].start, a), h10(mr[i].end - 1, b),
			        page_label(s, mr[i].mask));
	}
}

static void call_begin(pgt_sim *s, uint64_t start, uint64_t end)
{
	sim_emit(s, (pgt_event){.kind = PGT_EV_CALL_BEGIN, .a = start, .b = end, .aux = s->call});
	s->call++;
}

static void print_gbpages(pgt_sim *s)
{
	if (s->print_gbpages)
		sim_log(s, PGT_LL_INFO, true, false, "Using GB pages for direct mapping");
}

/* ------------------------------------------------------------------------ */
/* pgtbuf: the old scheme                                                   */
/* ------------------------------------------------------------------------ */

static uint64_t R(uint64_t x)
{
	return ru_u64(x, SZ_4K);
}
static uint64_t cdiv(uint64_t x, uint64_t d)
{
	return (x + d - 1) / d;
}

/* The fixmap's part of the i386 buffer: a constant two pages up to 2.6.28,
 * then __end_of_fixed_addresses entries.  Those are the permanent slots (the
 * "fixmap :" line; 230 when not known, which keeps the distro 3.x PAE logs
 * at one page), then the 256 early-ioremap slots, then FIX_WP_TEST.  The
 * early-ioremap slots start at the next multiple of 256 in 2.6.29/2.6.30
 * (fixmap_32.h, fixmap.h), and from 3.0 (read in 3.0.1; pgtviz uses it from
 * 2.6.31) only when they would otherwise cross a page-table boundary. */
static uint64_t fixmap_bytes(const pgt_sim *s, uint64_t es)
{
	if (s->kver <= V(2, 6, 28))
		return 2 * SZ_4K;
	uint64_t p = s->sc.fixmap_size ? s->sc.fixmap_size >> 12 : 230;
	uint64_t ptrs = SZ_4K / es; /* PTRS_PER_PTE: 512 PAE, 1024 non-PAE */
	uint64_t rounded = p + 256 - (p & 255);
	uint64_t btmap_end =
	    s->kver <= V(2, 6, 30) ? rounded : (((p ^ (p + 255)) & ~(ptrs - 1)) ? rounded : p);
	return ru_u64((btmap_end + 256 + 1) * es, SZ_4K);
}

/* find_early_table_space sizing (docs/kernel-model.md: Old scheme). */
static uint64_t old_tables_size(const pgt_sim *s, const map_range *mr, size_t n, uint64_t end)
{
	bool pse = s->cpu_mask & MASK_2M, gb = s->cpu_mask & MASK_1G;
	/* i386: entries are 8 bytes with PAE, 4 without; the large-page ranges
	 * still count PMD_SIZE worth of PTEs; the fixmap gets its own PTEs
	 * (__end_of_fixed_addresses entries, one page for the configurations
	 * seen in logs: taken as 256 entries here). */
	const uint64_t es = (s->bits32 && !s->pae) ? 4 : 8;
	const uint64_t pmd = s->pmd_size;
	const uint64_t pse_extra = s->bits32 ? pmd : 0;
	const uint64_t fixmap = s->bits32 ? fixmap_bytes(s, es) : 0;
	if (s->sizing == PGT_SIZING_C) {
		uint64_t puds = 0, pmds = 0, ptes = 0, pgd_extra = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t range = mr[i].end - mr[i].start;
			if ((mr[i].end >> 39) != (mr[i].start >> 39))
				pgd_extra++;
			puds += cdiv(range, SZ_1G);
			if (mr[i].mask & MASK_1G)
				pmds += cdiv(range - rd_u64(range, SZ_1G), pmd);
			else
				pmds += cdiv(range, pmd);
			if (mr[i].mask & MASK_2M)
				ptes += cdiv(range - rd_u64(range, pmd) + pse_extra, SZ_4K);
			else
				ptes += cdiv(range, SZ_4K);
		}
		return R(es * puds) + R(es * pmds) + R(es * ptes) + SZ_4K * pgd_extra + fixmap;
	}
	uint64_t puds = cdiv(end, SZ_1G);
	uint64_t tables = R(es * puds);
	uint64_t pmds = gb ? cdiv(end - rd_u64(end, SZ_1G), pmd) : cdiv(end, pmd);
	tables += R(es * pmds);
	uint64_t ptes;
	if (pse) {
		uint64_t extra = 0;
		if (s->sizing == PGT_SIZING_B && n && mr[0].start < pmd)
			extra = mr[0].end - mr[0].start;
		ptes = cdiv(extra + end - rd_u64(end, pmd) + pse_extra, SZ_4K);
	} else {
		ptes = cdiv(end, SZ_4K);
	}
	return tables + R(es * ptes) + fixmap;
}

/* find_e820_area (<= 2.6.36): first fit, bottom-up, over e820 RAM entries in
 * table order, avoiding early reservations. */
static uint64_t find_e820_area(const pgt_sim *s, uint64_t lo, uint64_t hi, uint64_t size)
{
	for (size_t i = 0; i < s->n_e820; i++) {
		const pgt_e820_entry *e = &s->e820[i];
		if (e->type != PGT_E820_RAM)
			continue;
		uint64_t cand = ru_u64(e->start > lo ? e->start : lo, SZ_4K);
		uint64_t top = e->end < hi ? e->end : hi;
		while (cand + size <= top) {
			const mb_array *r = &s->mb.reserved;
			bool clash = false;
			for (size_t k = 0; k < r->n; k++) {
				uint64_t rb = r->r[k].base, re = rb + r->r[k].size;
				if (rb < cand + size && re > cand) {
					cand = ru_u64(re, SZ_4K);
					clash = true;
					break;
				}
			}
			if (!clash)
				return cand;
		}
	}
	return 0;
}

static void old_find_table_space(pgt_sim *s, const map_range *mr, size_t n, uint64_t end)
{
	uint64_t tables = old_tables_size(s, mr, n, end);
	uint64_t base = 0, good_end = s->max_pfn_mapped << 12;
	if (s->kver <= V(2, 6, 36)) {
		/* x86-64 searched up to `end` until 2.6.30; i386 always below
		 * max_pfn_mapped, and from 0x7000 instead of 0x8000 (init_32.c
		 * up to 2.6.29, the CONFIG_X86_32 branch of init.c from 2.6.30) */
		uint64_t hi = (s->kver <= V(2, 6, 30) && !s->bits32) ? end : good_end;
		base = find_e820_area(s, s->bits32 ? 0x7000 : 0x8000, hi, tables);
	} else if (s->kver <= V(2, 6, 38)) {
		base = mb_find_topdown_old(&s->mb, 0x8000, good_end, tables, SZ_4K);
	} else if (s->kver < V(3, 1, 0)) {
		/* tables high on x86-64; i386 kept max_pfn_mapped */
		base = mb_find_topdown_old(&s->mb, 0, s->bits32 ? good_end : end, tables, SZ_4K);
	} else if (s->kver < V(3, 3, 0)) {
		base = mb_find_topdown_old(&s->mb, 0, good_end, tables, SZ_4K);
	} else {
		base = mb_find_topdown(&s->mb, 0, good_end, tables, SZ_4K);
	}
	if (!base)
		sim_panic(s, "Cannot find space for the kernel page tables");
	s->pgt_buf_start = s->pgt_buf_end = base >> 12;
	s->pgt_buf_top = s->pgt_buf_start + (tables >> 12);
	sim_emit(s, (pgt_event){.kind = PGT_EV_BUF_FOUND, .a = base, .b = base + tables});
	char a[24], b[24];
	if (s->kver < V(3, 5, 0)) {
		sim_log(s, PGT_LL_DEBUG, true, true,
		        "kernel direct mapping tables up to %llx @ %llx-%llx",
		        (unsigned long long)end, (unsigned long long)base,
		        (unsigned long long)(base + tables));
	} else {
		uint64_t upto = (s->kver >= V(3, 7, 0) && n) ? mr[n - 1].end - 1 : end - 1;
		sim_log(s, PGT_LL_DEBUG, true, true,
		        "kernel direct mapping tables up to %#llx @ [mem %s-%s]",
		        (unsigned long long)upto, h10(base, a), h10(base + tables - 1, b));
	}
}

static uint64_t old_imm(pgt_sim *s, uint64_t start, uint64_t end)
{
	map_range mr[8];
	call_begin(s, start, end);
	print_header(s, start, end, true);
	if (s->kver <= V(2, 6, 30))
		print_gbpages(s);
	size_t n = split_mem_range(s, mr, start, end, s->cpu_mask, false, false);
	if (n > 5)
		sim_panic(s, "run out of range for init_memory_mapping");
	print_ranges(s, mr, n, true);
	old_find_table_space(s, mr, n, end);
	uint64_t ret = end;
	for (size_t i = 0; i < n; i++)
		ret = kpmi(s, mr[i].start, mr[i].end, mr[i].mask);
	if (s->pgt_buf_end > s->pgt_buf_start) {
		sim_reserve(s, s->pgt_buf_start << 12, (s->pgt_buf_end - s->pgt_buf_start) << 12,
		            true);
		if (s->xen && s->xen_hook) {
			/* xen_mapping_pagetable_reserve: the unused tail goes RW */
			sim_log(s, PGT_LL_DEBUG, true, true,
			        "xen: setting RW the range %llx - %llx",
			        (unsigned long long)(s->pgt_buf_end << 12),
			        (unsigned long long)(s->pgt_buf_top << 12));
			uint64_t count = 0;
			for (uint64_t p = s->pgt_buf_end; p < s->pgt_buf_top; p++)
				count += pfn_set_del(&s->ro, p);
			sim_emit(s, (pgt_event){.kind = PGT_EV_MARK_RW,
			                        .a = s->pgt_buf_end << 12,
			                        .b = s->pgt_buf_top << 12,
			                        .aux = count});
		}
	}
	if (s->kver <= V(2, 6, 29) && !s->bits32) /* init_64.c only */
		sim_log(s, PGT_LL_INFO, true, false, "last_map_addr: %llx end: %llx",
		        (unsigned long long)ret, (unsigned long long)end);
	sim_emit(s, (pgt_event){.kind = PGT_EV_CALL_END, .a = ret});
	return ret;
}

/* Xen PV: max_pfn_mapped as xen_setup_kernel_pagetable leaves it: from
 * 2.6.39-rc1 the last real pfn of the builder's mapping,
 * __pa(xen_start_info->mfn_list) (14988a4d350, first in 2.6.39-rc1); before
 * it, xen_map_identity_early raises it to each pfn it walks, so it ends at
 * the last page of the identity map, one page below its end (read in the
 * 2.6.37 and 2.6.38 trees). */
static uint64_t xen_initial_max_pfn_mapped(const pgt_sim *s)
{
	if (s->kver >= PGT_KVER_RC(2, 6, 39, 1))
		return s->xen_mfn_list >> 12;
	return (s->xen_ident_end >> 12) - 1;
}

static void run_pgtbuf(pgt_sim *s)
{
	s->new_walk = false;
	s->map_low_page = s->kver >= PGT_KVER_RC(2, 6, 39, 1) && !s->bits32;
	if (s->bits32)
		walk32_static_tables(s);
	else
		walk_static_tables(s, true);
	uint64_t mpm = s->xen ? xen_initial_max_pfn_mapped(s) : s->initial_mapped >> 12;
	set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, mpm);
	if (s->kver >= V(2, 6, 31)) {
		char b[24];
		if (s->kver < V(3, 5, 0))
			sim_log(s, PGT_LL_DEBUG, true, false, "initial memory mapped : 0 - %08llx",
			        (unsigned long long)(mpm << 12));
		else
			sim_log(s, PGT_LL_DEBUG, true, false,
			        "initial memory mapped: [mem 0x00000000-%s]",
			        h10((mpm << 12) - 1, b));
		print_gbpages(s);
	}
	uint64_t ret = old_imm(s, 0, s->max_low_pfn << 12);
	set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
	if (s->bits32)
		return; /* i386 maps lowmem only */
	if (s->kver < PGT_KVER_RC(3, 7, 0, 2)) {
		if (s->max_pfn > s->max_low_pfn) {
			ret = old_imm(s, SZ_4G, s->max_pfn << 12);
			set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
		}
		return;
	}
	if (s->kver < V(3, 7, 0)) {
		/* 3.7-rc2: 1bbbbe779aab (committed 17 Oct 2012, after 3.7-rc1)
		 * maps every e820 entry above 4G that is not E820_RESERVED, one
		 * call each, with the pfn floors init_memory_mapping takes; each
		 * call still sizes its buffer for [0, end) (find_early_table_space
		 * before 844ab6f993b1; docs/kernel-model.md, "History", item 5).
		 * 1f2ff682ac95 (committed 24 Oct 2012; pgtviz's 3.7) switched the loop to
		 * memblock's page- aligned RAM regions, below. */
		for (size_t i = 0; i < s->n_e820; i++) {
			const pgt_e820_entry *e = &s->e820[i];
			if (e->end <= SZ_4G || e->type == PGT_E820_RESERVED)
				continue;
			uint64_t a = rd_u64(e->start > SZ_4G ? e->start : SZ_4G, SZ_4K);
			uint64_t b = rd_u64(e->end, SZ_4K);
			if (a >= b)
				continue;
			ret = old_imm(s, a, b);
			set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
		}
		return;
	}
	/* 3.7/3.8: one call per memblock RAM region above 4G */
	for (size_t i = 0; i < s->mb.memory.n; i++) {
		uint64_t sp = ru_u64(s->mb.memory.r[i].base, SZ_4K) >> 12;
		uint64_t ep = (s->mb.memory.r[i].base + s->mb.memory.r[i].size) >> 12;
		if (ep <= (SZ_4G >> 12) || sp >= ep)
			continue;
		if (sp < (SZ_4G >> 12))
			sp = SZ_4G >> 12;
		ret = old_imm(s, sp << 12, ep << 12);
		set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
	}
}

/* ------------------------------------------------------------------------ */
/* top-down / bottom-up: the 3.9+ scheme                                     */
/* ------------------------------------------------------------------------ */

static void new_imm(pgt_sim *s, uint64_t start, uint64_t end)
{
	map_range mr[8];
	bool shown = s->kver < V(4, 4, 0);
	call_begin(s, start, end);
	print_header(s, start, end, shown);
	size_t n = split_mem_range(s, mr, start, end, s->cpu_mask, true, s->kver >= V(3, 10, 0));
	if (n > 5)
		sim_panic(s, "run out of range for init_memory_mapping");
	print_ranges(s, mr, n, shown);
	for (size_t i = 0; i < n; i++)
		kpmi(s, mr[i].start, mr[i].end, mr[i].mask);
	/* add_pfn_range_mapped */
	if ((end >> 12) > s->max_pfn_mapped)
		set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, end >> 12);
	sim_emit(s, (pgt_event){.kind = PGT_EV_CALL_END, .a = end});
}

/* init_range_memory_mapping: every memblock RAM region inside the chunk. */
static uint64_t init_range(pgt_sim *s, uint64_t r_start, uint64_t r_end)
{
	uint64_t mapped = 0;
	for (size_t i = 0; i < s->mb.memory.n; i++) {
		uint64_t base = s->mb.memory.r[i].base, size = s->mb.memory.r[i].size;
		uint64_t sp = ru_u64(base, SZ_4K), ep = rd_u64(base + size, SZ_4K);
		if (sp >= ep)
			continue;
		uint64_t a = sp < r_start ? r_start : sp > r_end ? r_end : sp;
		uint64_t b = ep < r_start ? r_start : ep > r_end ? r_end : ep;
		if (a >= b)
			continue;
		uint64_t lo = a > (s->pgt_buf_end << 12) ? a : (s->pgt_buf_end << 12);
		uint64_t hi = b < (s->pgt_buf_top << 12) ? b : (s->pgt_buf_top << 12);
		set_can_use_brk(s, lo >= hi);
		new_imm(s, a, b);
		mapped += b - a;
		set_can_use_brk(s, true);
	}
	return mapped;
}

static uint64_t grow_step(const pgt_sim *s, uint64_t step, uint64_t new_mapped, uint64_t *total)
{
	if (s->kver < V(3, 19, 0)) {
		if (new_mapped > *total)
			step <<= 5;
		*total += new_mapped;
	} else {
		*total += new_mapped;
		if (step && *total >= step)
			step = step >= (1ULL << 56) ? 0 : step << 8;
	}
	return step;
}

static void emit_step(pgt_sim *s, uint64_t step)
{
	if (s->cur.step_size != step)
		sim_emit(s, (pgt_event){.kind = PGT_EV_STEP_SIZE, .a = step});
}

static void memory_map_top_down(pgt_sim *s, uint64_t map_start, uint64_t map_end)
{
	const uint64_t pmd = s->pmd_size;
	uint64_t addr = mb_find_topdown(&s->mb, map_start, map_end, pmd, pmd);
	uint64_t real_end = addr + pmd;
	uint64_t step = pmd, total = 0;
	emit_step(s, step);
	set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, 0);
	set_var(s, PGT_VAR_MIN_PFN_MAPPED, &s->min_pfn_mapped, real_end >> 12);
	uint64_t last_start = real_end;
	while (last_start > map_start) {
		uint64_t start;
		if (step && last_start > step) {
			start = rd_u64(last_start - 1, step);
			if (start < map_start)
				start = map_start;
		} else {
			start = map_start;
		}
		uint64_t n = init_range(s, start, last_start);
		last_start = start;
		set_var(s, PGT_VAR_MIN_PFN_MAPPED, &s->min_pfn_mapped, last_start >> 12);
		step = grow_step(s, step, n, &total);
		emit_step(s, step);
	}
	if (real_end < map_end)
		init_range(s, real_end, map_end);
}

static void memory_map_bottom_up(pgt_sim *s, uint64_t map_start, uint64_t map_end)
{
	uint64_t start = map_start, step = s->pmd_size, total = 0;
	emit_step(s, step);
	set_var(s, PGT_VAR_MIN_PFN_MAPPED, &s->min_pfn_mapped, start >> 12);
	while (start < map_end) {
		uint64_t next;
		if (step && map_end - start > step) {
			next = ru_u64(start + 1, step);
			if (next > map_end)
				next = map_end;
		} else {
			next = map_end;
		}
		uint64_t n = init_range(s, start, next);
		start = next;
		step = grow_step(s, step, n, &total);
		emit_step(s, step);
	}
}

static unsigned brk_pages(const pgt_sim *s)
{
	if (s->sc.brk_pages)
		return s->sc.brk_pages;
	if (s->kver < V(3, 11, 0))
		return 5;
	if (s->kver >= V(4, 8, 0) && s->sc.kaslr_memory)
		return 12;
	return 6;
}

/* early_ioremap_page_table_range_init at the end of i386's init_mem_mapping
 * (3.9+; docs/kernel-model.md, "i386 3.9+").  Fixmap slot i sits i pages
 * below FIXADDR_TOP, the last page of the address space, so it is in PMD
 * i / PTRS_PER_PTE counted down from the top.  The permanent slots come
 * first (their count: the "fixmap :" line), then the early-ioremap slots,
 * moved to the next multiple of their count when they would cross a
 * page-table boundary.  Two PMDs already have a PTE page: the top one
 * (head_32's initial_pg_fixmap) and the early-ioremap one (bm_pte).  With
 * CONFIG_HIGHMEM, when the kmap slots span several PMDs, page_table_range_init
 * first takes one block of a page per such PMD (alloc_low_pages(count));
 * then, from the lowest PMD up, every PMD without a PTE page gets a page of
 * its own (one_page_table_init). */
static void fixmap_tables32(pgt_sim *s)
{
	const uint64_t ptrs = s->pae ? 512 : 1024;
	const bool v511 = s->kver >= V(5, 11, 0);
	/* 5.11+ logs print no layout: Debian 6.1's 686 builds, whose boots put
	 * the count between 1025 and 1536; before that the old default */
	uint64_t p = s->sc.fixmap_size ? s->sc.fixmap_size >> 12 : v511 ? 1280 : 230;
	if (!p)
		p = 1;
	/* the kmap slots: 5.11+ KM_MAX_IDX 16 x NR_CPUS 32 after 67 others
	 * (Debian 6.1); else taken as the permanent slots */
	uint64_t k_lo = 1, k_hi = p - 1;
	if (v511 && !s->sc.fixmap_size) {
		k_lo = 67;
		k_hi = 67 + 512 - 1;
	}
	/* TOTAL_FIX_BTMAPS: 256 in 3.0.1, 512 in 6.1 (taken from 5.11) */
	const uint64_t t = v511 ? 512 : 256;
	const uint64_t b0 = ((p ^ (p + t - 1)) & ~(ptrs - 1)) ? p + t - (p & (t - 1)) : p;
	const uint64_t bt_pmd = (b0 + t - 1) / ptrs;
	const uint64_t kp_lo = k_lo / ptrs, kp_hi = k_hi / ptrs;
	if (s->sc.highmem && kp_hi > kp_lo)
		alloc_tables_n(s, PGT_PTE, (unsigned)(kp_hi - kp_lo + 1));
	for (uint64_t k = bt_pmd; k > 0; k--)
		if (k != bt_pmd)
			alloc_table(s, PGT_PTE, 0, NO_IDX, 0);
}

/* i386 reserve_initrd, after init_mem_mapping and before paging_init: an
 * initrd that is not all in lowmem (the mapped part) is copied into a
 * page-aligned block taken top-down below max_pfn_mapped (relocate_initrd,
 * 6.1 arch/x86/kernel/setup.c; docs/kernel-model.md, "i386 3.9+").  Only the
 * new block matters for the pkmap page that follows. */
static void relocate_initrd32(pgt_sim *s)
{
	for (size_t i = 0; i < s->sc.n_resv; i++) {
		const pgt_resv *r = &s->sc.resv[i];
		if (r->kind != PGT_RESV_INITRD || r->end <= r->start ||
		    r->end <= s->max_low_pfn << 12)
			continue;
		uint64_t size = ru_u64(r->end - r->start, SZ_4K);
		uint64_t at = mb_find_topdown(&s->mb, 0, s->max_pfn_mapped << 12, size, SZ_4K);
		if (at && !mb_array_add(&s->mb.reserved, at, size))
			sim_oom(s);
		return;
	}
}

static void run_new(pgt_sim *s)
{
	s->new_walk = true;
	s->map_low_page = false;
	if (s->bits32)
		walk32_static_tables(s);
	else
		walk_static_tables(s, s->xen);
	/* early_alloc_pgt_buf: the page-table part of BRK */
	unsigned pages = brk_pages(s);
	s->pgt_buf_start = s->pgt_buf_end = s->brk_base >> 12;
	s->pgt_buf_top = s->pgt_buf_start + pages;
	sim_set(s, PGT_VAR_PGT_BUF, s->pgt_buf_start, s->pgt_buf_top);
	s->can_use_brk_pgt = false;
	set_can_use_brk(s, true);
	if (s->xen)
		set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped,
		        xen_initial_max_pfn_mapped(s));
	if (s->bits32) {
		/* i386 setup_arch still prints the boot-time mapping (3.9+) */
		char b[24];
		set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, s->initial_mapped >> 12);
		sim_log(s, PGT_LL_DEBUG, true, false, "initial memory mapped: [mem 0x00000000-%s]",
		        h10(s->initial_mapped - 1, b));
	}
	print_gbpages(s);
	uint64_t end = (s->bits32 ? s->max_low_pfn : s->max_pfn) << 12;
	new_imm(s, 0, SZ_1M); /* the ISA range is always mapped */
	/* init_trampoline's copy, only when memory KASLR is on at run time */
	if (s->kver >= V(4, 8, 0) && s->sc.kaslr_memory && !s->sc.nokaslr)
		alloc_table(s, PGT_PUD, 0, NO_IDX, 0);
	if (s->scheme == PGT_SCHEME_BOTTOMUP) {
		uint64_t kend = s->brk_end;
		memory_map_bottom_up(s, kend, end);
		memory_map_bottom_up(s, SZ_1M, kend);
	} else {
		memory_map_top_down(s, SZ_1M, end);
	}
	if (s->bits32) {
		fixmap_tables32(s);
		relocate_initrd32(s);
	}
	if (s->bits32 && s->sc.highmem)
		/* paging_init -> permanent_kmaps_init: the pkmap page table */
		alloc_table(s, PGT_PTE, 0, NO_IDX, 0);
}

/* ------------------------------------------------------------------------ */
/* chunk-end: hpa's proposal                                                 */
/* ------------------------------------------------------------------------ */

static uint64_t chunk_imm(pgt_sim *s, uint64_t start, uint64_t end)
{
	map_range mr[8];
	call_begin(s, start, end);
	print_header(s, start, end, true);
	size_t n = split_mem_range(s, mr, start, end, s->cpu_mask, false, false);
	print_ranges(s, mr, n, true);
	s->region_lo = start;
	s->region_hi = end;
	for (size_t i = 0; i < n; i++) {
		/* a chunk is what one table covers at the leaf level in use */
		uint64_t csize = (mr[i].mask & MASK_1G)   ? SZ_512G
		                 : (mr[i].mask & MASK_2M) ? SZ_1G
		                                          : SZ_2M;
		for (uint64_t c = mr[i].start; c < mr[i].end;) {
			uint64_t ce = rd_u64(c, csize) + csize;
			if (ce > mr[i].end)
				ce = mr[i].end;
			s->chunk_walk = ce < mr[i].end;
			s->walk_range_start = mr[i].start;
			walk_kpmi(s, c, ce, mr[i].mask);
			s->chunk_walk = false;
			s->walk_range_start = UINT64_MAX;
			s->slot_lo = c;
			s->slot_hi = ce;
			c = ce;
		}
	}
	sim_emit(s, (pgt_event){.kind = PGT_EV_CALL_END, .a = end});
	return end;
}

static void run_chunkend(pgt_sim *s)
{
	s->new_walk = false;
	s->map_low_page = false;
	walk_static_tables(s, true);
	/* head_64.S's 512 MiB, or under Xen what xen_setup_kernel_pagetable
	 * leaves (the old scheme's rule of the same version) */
	set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped,
	        s->xen ? xen_initial_max_pfn_mapped(s) : 0x20000);
	print_gbpages(s);
	uint64_t ret = chunk_imm(s, 0, s->max_low_pfn << 12);
	set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
	if (s->max_pfn > s->max_low_pfn) {
		ret = chunk_imm(s, SZ_4G, s->max_pfn << 12);
		set_var(s, PGT_VAR_MAX_PFN_MAPPED, &s->max_pfn_mapped, ret >> 12);
	}
}

/* ------------------------------------------------------------------------ */

static void describe_model(pgt_sim *s)
{
	char v[40];
	pgt_kver_format(s->kver, v, sizeof(v));
	if (s->bits32) {
		size_t l = strlen(v);
		snprintf(v + l, sizeof(v) - l, " %s", s->pae ? "i386 PAE" : "i386");
	}
	const char *xen =
	    s->xen ? (s->scheme == PGT_SCHEME_PGTBUF
	                  ? (s->xen_rule == PGT_XEN_RULE_END ? ", Xen PV: pgt_buf_end rule"
	                     : s->xen_hook                   ? ", Xen PV: pgt_buf_top rule"
	                                   : ", Xen PV: pgt_buf_top rule, no pagetable_reserve")
	                  : ", Xen PV")
	           : "";
	switch (s->scheme) {
	case PGT_SCHEME_PGTBUF: {
		const char *place = s->kver <= V(2, 6, 36)   ? (s->bits32 ? "bottom-up from 0x7000"
		                                                          : "bottom-up from 0x8000")
		                    : s->kver <= V(2, 6, 38) ? "top-down below max_pfn_mapped"
		                    : s->kver < V(3, 1, 0) && !s->bits32 ? "tables high"
		                                                         : "below max_pfn_mapped";
		const char *sz = s->sizing == PGT_SIZING_A   ? "A"
		                 : s->sizing == PGT_SIZING_B ? "B"
		                                             : "C";
		snprintf(s->model, sizeof(s->model), "pgtbuf %s (sizing %s, %s%s)", v, sz, place,
		         xen);
		break;
	}
	case PGT_SCHEME_TOPDOWN:
	case PGT_SCHEME_BOTTOMUP:
		snprintf(s->model, sizeof(s->model), "%s %s (%u BRK pages, step <<%d%s)",
		         pgt_scheme_name(s->scheme), v, brk_pages(s), s->kver < V(3, 19, 0) ? 5 : 8,
		         xen);
		break;
	default:
		snprintf(s->model, sizeof(s->model), "chunk-end (hpa 2012 proposal on %s%s)", v,
		         xen);
	}
}

/* Xen PV, the pgt_buf_top window without the pagetable_reserve hook: the
 * unused tail [pgt_buf_end, pgt_buf_top) keeps its read-only direct-map PTEs
 * but is free memory again.  The first early allocation that gets one of
 * those pages faults on its first write (the reason 279b706bf80 gives for
 * the hook, docs/kernel-model.md "Xen PV").  Which allocation comes first is not
 * simulated: pgtviz takes the next top-down memblock search for one page,
 * which with the tables high is the highest free page -- the tail. */
static void xen_tail_reuse(pgt_sim *s)
{
	uint64_t hi = s->max_pfn << 12;
	uint64_t pa = s->kver < V(3, 3, 0) ? mb_find_topdown_old(&s->mb, 0, hi, SZ_4K, SZ_4K)
	                                   : mb_find_topdown(&s->mb, 0, hi, SZ_4K, SZ_4K);
	if (!pa || !pfn_set_has(&s->ro, pa >> 12) || sim_table_at(s, pa >> 12) != NO_IDX)
		return;
	sim_reserve(s, pa, SZ_4K, false);
	sim_bug(s, "BUG: unable to handle kernel paging request at %016llx",
	        (unsigned long long)(sim_page_offset(s) + pa));
}

void schemes_run(pgt_sim *s)
{
	describe_model(s);
	switch (s->scheme) {
	case PGT_SCHEME_PGTBUF:
		run_pgtbuf(s);
		if (s->xen && !s->bits32 && s->xen_rule == PGT_XEN_RULE_TOP && !s->xen_hook)
			xen_tail_reuse(s);
		break;
	case PGT_SCHEME_CHUNKEND:
		run_chunkend(s);
		break;
	default:
		run_new(s);
		break;
	}
	if (s->sc.crashkernel)
		sim_reserve_crashkernel(s);
}
