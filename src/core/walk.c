/*
 * The page-table walk of kernel_physical_mapping_init -> phys_pud_init ->
 * phys_pmd_init -> phys_pte_init (arch/x86/mm/init_64.c), in the two forms
 * (2.6.2x-3.8 and 3.9+) that docs/kernel-model.md, "The walk", describes:
 *   - pre-order allocation (a parent page before its children), children
 *     hooked into the parent only after they are filled;
 *   - existing entries kept (large pages kept when the range allows them,
 *     split otherwise; non-zero PTEs kept: Xen's pre-set RO mappings);
 *   - old: clear the rest of a PMD/PTE page past `end`; skip a GiB with no
 *     e820 entry at all; new: go on past `end` and clear only entries with
 *     no e820 RAM behind them.
 * Xen PV (docs/kernel-model.md, "Xen PV"): mask_rw_pte decides RO for each direct-map PTE,
 * the paravirt alloc hooks make a table RO if it is already mapped, and a
 * checker flags any live table page that is reachable through a writable
 * mapping (direct map or early_memremap alias), at the exact event.
 * Also here: translation and the ptdump text of the final tables.
 */
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENT_NONE        0u
#define ENT_LEAF        1u
#define ENT_LEAF_STATIC 0xffffffffu /* head_64.S identity large page (exec) */

static inline bool is_child(uint32_t e)
{
	return e >= 2 && e != ENT_LEAF_STATIC;
}
static inline bool is_leaf(uint32_t e)
{
	return e == ENT_LEAF || e == ENT_LEAF_STATIC;
}
static inline uint32_t D(const pgt_sim *s, uint32_t t, unsigned i)
{
	return sim_dir_get(s, t, i);
}
static inline void D_set(pgt_sim *s, uint32_t t, unsigned i, uint32_t v)
{
	sim_dir_set(s, t, i, v);
}

/* ---- Xen checks ---------------------------------------------------------- */

static void violation(pgt_sim *s, uint32_t t)
{
	if (s->t[t].violated)
		return;
	s->t[t].violated = true;
	sim_emit(s, (pgt_event){.kind = PGT_EV_VIOLATION,
	                        .level = s->t[t].level,
	                        .origin = s->t[t].origin,
	                        .table = t,
	                        .a = tab_pa(&s->t[t]),
	                        .b = tab_pa(&s->t[t]) + SZ_4K});
}

static pgt_translation lookup(pgt_sim *s, uint64_t pa);

/* Is `pa` mapped in the live tree, and writably? */
bool walk_effective_rw(pgt_sim *s, uint64_t pa, bool *mapped)
{
	pgt_translation tr = lookup(s, pa);
	*mapped = tr.mapped;
	return tr.mapped && tr.writable;
}

static void make_ro(pgt_sim *s, uint64_t pfn)
{
	if (sim_pfn_set_add(s, &s->ro, pfn)) {
		uint32_t t = sim_table_at(s, pfn);
		if (t != NO_IDX && s->ro_ev[t] == NO_IDX)
			s->ro_ev[t] = (uint32_t)s->n_ev;
		sim_ro_run(s, pfn);
	}
}

/* Xen: a table that just became live must not be writable anywhere. */
static void xen_check_live(pgt_sim *s, uint32_t x)
{
	bool mapped;
	if (walk_effective_rw(s, tab_pa(&s->t[x]), &mapped) && mapped)
		violation(s, x);
	if (s->t[x].level != PGT_PTE)
		return;
	/* the PTE page now makes its entries reachable */
	for (unsigned i = 0; i < 512; i++) {
		if (!sim_pte_get(s, x, i))
			continue;
		uint64_t pfn = (tab_va(&s->t[x]) >> 12) + i;
		uint32_t q = sim_table_at(s, pfn);
		if (q != NO_IDX && s->t[q].live && !pfn_set_has(&s->ro, pfn))
			violation(s, q);
	}
}

static void mark_live(pgt_sim *s, uint32_t c)
{
	/* iterative DFS over the subtree */
	uint32_t stack[64 * 4];
	size_t sp = 0;
	stack[sp++] = c;
	while (sp) {
		uint32_t x = stack[--sp];
		if (s->t[x].live)
			continue;
		s->t[x].live = true;
		if (s->xen)
			xen_check_live(s, x);
		if (s->t[x].level == PGT_PTE || sim_dir_only_leaves(s, x))
			continue;
		for (unsigned i = 0; i < 512; i++) {
			uint32_t e = D(s, x, i);
			if (is_child(e)) {
				if (sp < sizeof(stack) / sizeof(stack[0]))
					stack[sp++] = e - 2;
				else
					mark_live(s, e - 2);
			}
		}
	}
}

/* The event that last wrote the entry for `va` in PTE table t (a MAP run). */
static uint32_t pte_write_event(const pgt_sim *s, uint32_t t, uint64_t va)
{
	for (size_t i = s->n_ev; i-- > 0;) {
		pgt_event e = sim_event(s, i);
		if (e.kind == PGT_EV_MAP && e.table == t && e.a <= va && va < e.b)
			return (uint32_t)i;
	}
	return NO_IDX;
}

/* Is table t linked to the root right now (its whole parent chain)? */
static bool reachable(pgt_sim *s, uint32_t t)
{
	for (int depth = 0; t != s->root && depth < 5; depth++) {
		uint32_t p = s->t[t].parent;
		if (p == NO_IDX || D(s, p, s->t[t].slot) != t + 2)
			return false;
		t = p;
	}
	return t == s->root;
}

/* Xen PV, xen_alloc_pte_init: pin_pagetable_pfn(MMUEXT_PIN_L1_TABLE) on the
 * new PTE page.  Xen refuses the pin when a validated L1 maps the page
 * writable -- one pinned before, or one reachable from the pinned root (the
 * builder's L1s are validated that way only: unlinked, they lose their
 * type and their references) -- and the guest BUGs.  The alias is the
 * direct-map entry of the page: PTE table q, entry i. */
static void xen_pin_l1(pgt_sim *s, uint32_t child)
{
	uint64_t pfn = tab_pa(&s->t[child]) >> 12;
	uint32_t q = sim_map_get(&s->pte_by_va, pfn >> 9);
	unsigned i = (unsigned)(pfn & 511);
	if (q == NO_IDX || !sim_pte_get(s, q, i) || pfn_set_has(&s->ro, pfn) ||
	    !(pfn_set_has(&s->pinned, tab_pa(&s->t[q]) >> 12) || reachable(s, q))) {
		sim_pfn_set_add(s, &s->pinned, pfn);
		return;
	}
	sim_flush(s);
	uint32_t w = pte_write_event(s, q, pfn << 12);
	s->t[child].violated = true;
	sim_emit(s, (pgt_event){.kind = PGT_EV_VIOLATION,
	                        .level = PGT_PTE,
	                        .origin = s->t[child].origin,
	                        .flags = 1, /* a failed pin */
	                        .table = child,
	                        .a = pfn << 12,
	                        .b = q,
	                        .aux = (uint64_t)w << 16 | i});
	/* What the hypervisor printed in the crash log quoted by a38647837a4's
	 * message (a dom0 on 2.6.39-rc; its Xen's mm.c and traps.c line
	 * numbers): the page's type is "writable page, validated, 1
	 * reference" where an L1 page table was expected, the pin fails,
	 * pin_pagetable_pfn()'s BUG() is an invalid opcode that, this early,
	 * Xen handles itself, and Xen crashes the domain.  pgtviz has no
	 * machine frame numbers: "mfn ?" (docs/kernel-model.md, "Xen PV"). */
	sim_log(s, PGT_LL_INFO, true, false,
	        "(XEN) mm.c:2466:d0 Bad type (saw 7400000000000001 != exp 1000000000000000) for "
	        "mfn ? (pfn %llx)",
	        (unsigned long long)pfn);
	sim_log(s, PGT_LL_INFO, true, false, "(XEN) mm.c:3027:d0 Error while pinning mfn ?");
	sim_log(s, PGT_LL_INFO, true, false,
	        "(XEN) traps.c:481:d0 Unhandled invalid opcode fault/trap [#6] on VCPU 0 "
	        "[ec=0000]");
	sim_log(s, PGT_LL_INFO, true, false, "(XEN) domain_crash_sync called from entry.S");
	sim_bug(s, "(XEN) Domain 0 (vcpu#0) crashed on cpu#0:");
}

/* pgd/pud/pmd_populate: paravirt alloc hook, link, and liveness. */
void walk_hook(pgt_sim *s, uint32_t parent, unsigned slot, uint32_t child)
{
	if (s->xen) {
		/* make_lowmem_page_readonly: only if the page is mapped already */
		bool mapped;
		if (walk_effective_rw(s, tab_pa(&s->t[child]), &mapped) && mapped)
			make_ro(s, tab_pa(&s->t[child]) >> 12);
		if (s->t[child].level == PGT_PTE && !s->bits32)
			xen_pin_l1(s, child);
	}
	D_set(s, parent, slot, child + 2);
	sim_flush(s);
	s->t[child].hook_event = (uint32_t)s->n_ev;
	sim_emit(s, (pgt_event){.kind = PGT_EV_HOOK,
	                        .level = s->t[child].level,
	                        .origin = s->t[child].origin,
	                        .flags = s->t[parent].live,
	                        .table = child,
	                        .a = tab_pa(&s->t[child]),
	                        .b = parent,
	                        .aux = slot});
	if (s->t[parent].live)
		mark_live(s, child);
}

/* map_low_page (2.6.39-3.8): an existing table re-mapped through an
 * early_memremap slot; Xen makes that alias RO unless the page is the one
 * just allocated (pgt_buf_end - 1) -- writable alias of a live table. */
static void access_existing(pgt_sim *s, uint32_t t)
{
	if (!s->xen || !s->map_low_page)
		return;
	uint64_t pfn = tab_pa(&s->t[t]) >> 12;
	if (s->t[t].live && s->pgt_buf_end && pfn == s->pgt_buf_end - 1)
		violation(s, t);
}

/* mask_rw_pte (x86-64, 2.6.39-3.8; the pgt_buf_end window before) */
static bool xen_pte_ro(const pgt_sim *s, uint64_t pfn)
{
	/* chunk-end: a table that maps its own page (PTE_A at the start of a
	 * region nothing maps yet) gets that entry read-only -- pgtviz's
	 * reading of the proposal under Xen, which the mail does not discuss */
	if (s->scheme == PGT_SCHEME_CHUNKEND)
		return sim_table_at(s, pfn) != NO_IDX;
	if (s->scheme != PGT_SCHEME_PGTBUF || !s->pgt_buf_top)
		return false;
	uint64_t hi = s->xen_rule == PGT_XEN_RULE_END ? s->pgt_buf_end : s->pgt_buf_top;
	return pfn >= s->pgt_buf_start && pfn < hi;
}

/* ---- PTE level ----------------------------------------------------------- */

static void clear_pte_bit(pgt_sim *s, uint32_t t, unsigned i, uint64_t *run_a, uint64_t *run_b)
{
	if (!sim_pte_get(s, t, i))
		return;
	sim_pte_clear(s, t, i);
	uint64_t a = tab_va(&s->t[t]) + ((uint64_t)i << 12);
	if (*run_b == a) {
		*run_b = a + SZ_4K;
	} else {
		if (*run_b > *run_a)
			sim_emit(s, (pgt_event){.kind = PGT_EV_CLEAR,
			                        .level = PGT_PTE,
			                        .table = t,
			                        .a = *run_a,
			                        .b = *run_b});
		*run_a = a;
		*run_b = a + SZ_4K;
	}
}

static void pte_level(pgt_sim *s, uint32_t t, uint64_t addr, uint64_t end)
{
	uint64_t base = tab_va(&s->t[t]);
	uint64_t lim = end < base + SZ_2M ? end : base + SZ_2M;
	unsigned i0 = (unsigned)((addr - base) >> 12);
	unsigned i1 = lim > addr ? (unsigned)((lim - base) >> 12) : i0;

	/* fast path: nothing present in [i0, i1), no Xen bookkeeping */
	if (!s->xen && i1 > i0 && !sim_pte_any(s, t, i0, i1)) {
		sim_pte_set_range(s, t, i0, i1);
		sim_map_run(s, t, base + ((uint64_t)i0 << 12), base + ((uint64_t)i1 << 12), 12);
	} else {
		for (unsigned i = i0; i < i1; i++) {
			if (sim_pte_get(s, t, i))
				continue; /* re-use the existing mapping */
			sim_pte_set(s, t, i);
			uint64_t a = base + ((uint64_t)i << 12);
			sim_map_run(s, t, a, a + SZ_4K, 12);
			if (!s->xen)
				continue;
			uint64_t pfn = a >> 12;
			if (xen_pte_ro(s, pfn)) {
				make_ro(s, pfn);
			} else if (s->t[t].live) {
				uint32_t q = sim_table_at(s, pfn);
				if (q != NO_IDX && s->t[q].live && !pfn_set_has(&s->ro, pfn))
					violation(s, q);
			}
		}
	}

	/* past the end */
	if (end >= base + SZ_2M || s->chunk_walk)
		return;
	unsigned ie = (unsigned)((end - base) >> 12);
	if (ie < i0)
		ie = i0;
	uint64_t ra = 0, rb = 0;
	/* the next RAM entry, advanced page by page: one search per table */
	size_t ram = s->new_walk ? e820_ram_after(s, base + ((uint64_t)ie << 12)) : 0;
	for (unsigned i = ie; i < 512; i++) {
		uint64_t a = base + ((uint64_t)i << 12);
		if (s->new_walk) {
			while (ram < s->n_e820 && s->e820[ram].end <= a) {
				s->e820_query_work++;
				ram = s->e820_next_ram[ram + 1];
			}
			if (ram < s->n_e820 && s->e820[ram].start < a + SZ_4K)
				continue;
		}
		clear_pte_bit(s, t, i, &ra, &rb);
	}
	if (rb > ra)
		sim_emit(s,
		         (pgt_event){
		             .kind = PGT_EV_CLEAR, .level = PGT_PTE, .table = t, .a = ra, .b = rb});
}

/* ---- directory levels ------------------------------------------------------ */

static void clear_dir_entry(pgt_sim *s, uint32_t t, unsigned i, uint64_t a, uint64_t size)
{
	uint32_t e = D(s, t, i);
	if (e == ENT_NONE)
		return;
	D_set(s, t, i, ENT_NONE);
	if (is_leaf(e))
		sim_emit(s, (pgt_event){.kind = PGT_EV_CLEAR,
		                        .level = s->t[t].level,
		                        .table = t,
		                        .a = a,
		                        .b = a + size});
}

static void pmd_level(pgt_sim *s, uint32_t t, uint64_t addr, uint64_t end, unsigned mask)
{
	uint64_t base = tab_va(&s->t[t]);
	for (unsigned i = (unsigned)((addr - base) >> 21); i < 512; i++) {
		uint64_t a2 = base + ((uint64_t)i << 21);
		uint64_t next = a2 + SZ_2M;
		if (addr < a2)
			addr = a2;
		if (addr >= end) {
			if (!s->new_walk) {
				/* (chunk-end walks a range chunk by chunk: only the end of
				 * the whole range clears, as one kernel call would) */
				for (; i < 512 && !s->chunk_walk; i++)
					clear_dir_entry(s, t, i, base + ((uint64_t)i << 21), SZ_2M);
				break;
			}
			if (!e820_any(s, a2, next, true))
				clear_dir_entry(s, t, i, a2, SZ_2M);
			continue;
		}
		uint32_t e = D(s, t, i);
		bool split = false;
		if (e != ENT_NONE) {
			if (is_child(e)) {
				access_existing(s, e - 2);
				pte_level(s, e - 2, addr, end);
				continue;
			}
			if (mask & MASK_2M)
				continue; /* keep the large page */
			split = true;
		}
		if (mask & MASK_2M) {
			D_set(s, t, i, ENT_LEAF);
			sim_map_run(s, t, a2, next, 21);
			continue;
		}
		if (split)
			clear_dir_entry(s, t, i, a2, SZ_2M);
		uint32_t c = alloc_table(s, PGT_PTE, a2, t, i);
		pte_level(s, c, addr, end);
		walk_hook(s, t, i, c);
	}
}

static void pud_level(pgt_sim *s, uint32_t t, uint64_t addr, uint64_t end, unsigned mask)
{
	uint64_t base = tab_va(&s->t[t]);
	for (unsigned i = (unsigned)((addr - base) >> 30); i < 512; i++) {
		uint64_t a1 = base + ((uint64_t)i << 30);
		uint64_t next = a1 + SZ_1G;
		if (addr < a1)
			addr = a1;
		if (addr >= end) {
			if (!s->new_walk)
				break;
			if (!e820_any(s, a1, next, true))
				clear_dir_entry(s, t, i, a1, SZ_1G);
			continue;
		}
		/* old: a GiB with no e820 entry of any type is left unmapped */
		/* (chunk-end maps a range chunk by chunk: test the GiB from where
		 * the whole range starts, as the kernel's one walk would) */
		uint64_t from = addr;
		if (s->walk_range_start < addr)
			from = a1 > s->walk_range_start ? a1 : s->walk_range_start;
		if (!s->new_walk && !e820_any(s, from, next, false)) {
			clear_dir_entry(s, t, i, a1, SZ_1G);
			continue;
		}
		uint32_t e = D(s, t, i);
		bool split = false;
		if (e != ENT_NONE) {
			if (is_child(e)) {
				access_existing(s, e - 2);
				pmd_level(s, e - 2, addr, end, mask);
				continue;
			}
			if (mask & MASK_1G)
				continue;
			split = true;
		}
		if (mask & MASK_1G) {
			D_set(s, t, i, ENT_LEAF);
			sim_map_run(s, t, a1, next, 30);
			continue;
		}
		if (split)
			clear_dir_entry(s, t, i, a1, SZ_1G);
		uint32_t c = alloc_table(s, PGT_PMD, a1, t, i);
		pmd_level(s, c, addr, end, mask);
		walk_hook(s, t, i, c);
	}
}

/* Memory KASLR: phys 0 sits k GiB into its PGD slot, k the PUD index of the
 * measured base (scenario direct_map_base, 4.8+) or the inferred run option
 * kaslr_pud (which wins); the second PGD slot starts at phys C = (512 - k)
 * GiB; the first walk that reaches C allocates its PUD page there (6.1
 * arch/x86/mm/init_64.c, phys_p4d_init: a new PGD entry gets its PUD page
 * before the PMD pages under it).  The sim's tree stays phys-indexed: that
 * page is hooked into PGD slot 1 and holds no entry (only RAM below
 * 512 GiB is modelled this way). */
static uint64_t kaslr_cross(const pgt_sim *s)
{
	uint32_t k =
	    s->opts.kaslr_pud ? s->opts.kaslr_pud : pgt_direct_map_pud(sim_measured_base(s));
	return k && k < 512 && !s->bits32 ? (uint64_t)(512 - k) << 30 : 0;
}

static void kaslr_cross_alloc(pgt_sim *s)
{
	if (s->kaslr_cross_done)
		return;
	s->kaslr_cross_done = true;
	uint32_t c = alloc_table(s, PGT_PUD, kaslr_cross(s), s->root, 1);
	walk_hook(s, s->root, 1, c);
}

uint64_t walk_kpmi(pgt_sim *s, uint64_t start, uint64_t end, unsigned mask)
{
	const uint64_t cross = kaslr_cross(s);
	for (uint64_t a = start; a < end;) {
		uint64_t next = rd_u64(a, SZ_512G) + SZ_512G;
		if (next > end)
			next = end;
		if (cross && a < cross && next > cross)
			next = cross; /* the first slot's part, then the second's */
		if (cross && a >= cross && a < SZ_512G)
			kaslr_cross_alloc(s);
		unsigned slot = (unsigned)((a >> 39) & 511);
		uint32_t e = D(s, s->root, slot);
		if (is_child(e)) {
			access_existing(s, e - 2);
			pud_level(s, e - 2, a, end, mask);
		} else {
			uint32_t c = alloc_table(s, PGT_PUD, rd_u64(a, SZ_512G), s->root, slot);
			pud_level(s, c, a, next, mask);
			walk_hook(s, s->root, slot, c);
		}
		a = next;
	}
	sim_flush(s);
	return end;
}

/* ---- initial (head_64.S / Xen domain builder) tables --------------------- */

/* Xen x86-64, xen_map_identity_early (arch/x86/xen/mmu.c; d114e1981cc,
 * 2.6.27; read in the 2.6.37, 2.6.38, 2.6.39-rc1, 2.6.39 and 3.6 trees):
 * after copying the builder's L2 into level2_ident_pgt, the kernel maps on
 * from the first empty PMD entry with its four spare PTE pages
 * (level1_ident_pgt, a BRK array), 2 MiB each, while the pfn is below the
 * domain's page count and inside the first GiB.  caaf9ecf16fe ("xen/mmu:
 * For 64-bit do not call xen_map_identity_early", committed 23 Aug 2012, so
 * in the 3.7 merge window: 3.7-rc1 in pgtviz) dropped the
 * call on x86-64: from 3.7 (3.7.2 and 3.14 trees read) the identity map is
 * the builder's mapping alone, in every scheme (docs/kernel-model.md, "Xen
 * PV").  The version decides, not the scheme: chunk-end runs on a 3.6 or
 * older model get the extension too.  pgtviz puts the four pages at the
 * start of BRK; the real kernel's p2m set-up takes BRK pages before them
 * (their exact offset is not modelled). */
static void xen_identity_early(pgt_sim *s, uint32_t pmd, uint64_t k)
{
	s->xen_ident_end = k * SZ_2M;
	/* (the 3.9+ schemes start after 3.7; a forced older version there
	 * keeps its BRK buffer where pgtviz would put these pages) */
	bool scheme_has_it = s->scheme == PGT_SCHEME_PGTBUF || s->scheme == PGT_SCHEME_CHUNKEND;
	if (!scheme_has_it || s->kver < V(2, 6, 27) || s->kver >= PGT_KVER_RC(3, 7, 0, 1))
		return;
	for (unsigned i = 0; i < 4 && k < 512 && (k * SZ_2M) >> 12 < s->max_pfn; i++, k++) {
		uint32_t pt = sim_new_table(s, PGT_PTE, PGT_ORIGIN_STATIC, s->brk_base + i * SZ_4K,
		                            k * SZ_2M, pmd, (unsigned)k, true);
		pte_level(s, pt, k * SZ_2M, (k + 1) * SZ_2M);
		D_set(s, pmd, (unsigned)k, pt + 2);
		s->xen_ident_end = (k + 1) * SZ_2M;
	}
}

void walk_static_tables(pgt_sim *s, bool ident)
{
	/* Illustrative addresses inside the kernel image's data section (the
	 * image always ends at BRK, at least 4 pages after its start). */
	uint64_t at = s->kernel_start + 0xa00000;
	if (at + 3 * SZ_4K > s->brk_base)
		at = s->brk_base - 3 * SZ_4K;
	s->root = sim_new_table(s, PGT_PGD, PGT_ORIGIN_STATIC, at, 0, NO_IDX, 0, true);
	s->t[s->root].live = true;
	s->t[s->root].hook_event = s->t[s->root].alloc_event;
	if (!ident)
		return;
	uint32_t pud =
	    sim_new_table(s, PGT_PUD, PGT_ORIGIN_STATIC, at + SZ_4K, 0, s->root, 0, true);
	uint32_t pmd =
	    sim_new_table(s, PGT_PMD, PGT_ORIGIN_STATIC, at + 2 * SZ_4K, 0, pud, 0, true);
	if (s->xen) {
		/* Xen maps [0, xen_mapped_end) with 4k pages; its PTE pages are
		 * among the builder's bootstrap tables after the p2m list and
		 * start_info (after L4, L3, L2), and every table page is
		 * read-only. */
		uint64_t n = (s->xen_mapped_end + SZ_2M - 1) / SZ_2M;
		for (uint64_t k = 0; k < n && k < 512; k++) {
			uint32_t pt = sim_new_table(s, PGT_PTE, PGT_ORIGIN_XEN,
			                            s->xen_pt_base + (3 + k) * SZ_4K, k * SZ_2M,
			                            pmd, (unsigned)k, true);
			/* validated while the pinned root reaches it (not pinned) */
			uint64_t lim = (k + 1) * SZ_2M;
			pte_level(s, pt, k * SZ_2M,
			          lim < s->xen_mapped_end ? lim : s->xen_mapped_end);
			D_set(s, pmd, (unsigned)k, pt + 2);
		}
		xen_identity_early(s, pmd, n);
	} else {
		for (unsigned i = 0; i < 512; i++)
			D_set(s, pmd, i, ENT_LEAF_STATIC);
		sim_map_run(s, pmd, 0, SZ_1G, 21);
	}
	D_set(s, pud, 0, pmd + 2);
	D_set(s, s->root, 0, pud + 2);
	sim_flush(s);
	for (uint32_t t = 0; t < s->nt; t++) {
		s->t[t].live = true;
		if (t != s->root)
			s->t[t].hook_event = s->t[t].alloc_event;
	}
	if (s->xen) {
		for (uint32_t t = 0; t < s->nt; t++)
			make_ro(s, tab_pa(&s->t[t]) >> 12);
		sim_flush(s);
	}
}

/* ---- queries --------------------------------------------------------------- */

/* Walks the tables from the root (only hooked tables are reachable, so this
 * is the live view) for x86-64 and both i386 layouts. */
static pgt_translation lookup(pgt_sim *s, uint64_t pa)
{
	static const unsigned sh64[] = {39, 30, 21}, shpae[] = {30, 21}, sh32[] = {22};
	const unsigned *sh = s->bits32 ? (s->pae ? shpae : sh32) : sh64;
	size_t nsh = s->bits32 ? (s->pae ? 2 : 1) : 3;
	pgt_translation tr;
	memset(&tr, 0, sizeof(tr));
	for (int l = 0; l < 5; l++)
		tr.table[l] = NO_IDX;
	uint32_t t = s->root;
	for (size_t k = 0; t != NO_IDX && k < nsh; k++) {
		int level = s->t[t].level;
		tr.table[level] = t;
		unsigned mask = (s->bits32 && s->pae && k == 0) ? 3 : 511;
		uint32_t e = D(s, t, (unsigned)((pa >> sh[k]) & mask));
		if (is_leaf(e)) {
			tr.mapped = true;
			tr.pa = pa;
			tr.leaf_level = level == PGT_PGD ? PGT_PMD : level; /* i386 4 MiB */
			tr.writable = true;
			return tr;
		}
		if (!is_child(e))
			return tr;
		t = e - 2;
	}
	if (t == NO_IDX || s->t[t].level != PGT_PTE)
		return tr;
	tr.table[PGT_PTE] = t;
	unsigned i = (unsigned)((pa >> 12) & ((s->bits32 && !s->pae) ? 1023 : 511));
	if (!sim_pte_get(s, t, i))
		return tr;
	tr.mapped = true;
	tr.pa = pa;
	tr.leaf_level = PGT_PTE;
	tr.writable = !pfn_set_has(&s->ro, pa >> 12);
	return tr;
}

/* ---- translation at a step ------------------------------------------------
 * The tables keep only their final contents; the entries on the way to one
 * address at an earlier step are replayed from the events that write
 * entries, up to and including that step:
 *   - a link: HOOK (child, parent, slot), or the ALLOC of a static table
 *     (head_64.S / head_32.S / the Xen builder's tables are linked as they
 *     are made: their hook_event is their ALLOC);
 *   - MAP [a, b) in table t: leaf entries (PTE pages: present PTEs);
 *   - CLEAR [a, b) in table t: entries gone;
 *   - MARK_RO / MARK_RW [a, b): Xen's read-only direct-map PTEs.
 * Only the tables whose range holds pa are followed, one entry each (the
 * entry pa uses), so the cost is one pass over the events before the step
 * and a few words of memory. */

typedef struct path_ent {
	uint32_t table; /* a table whose range holds pa */
	uint32_t e;     /* its entry for pa: ENT_NONE, ENT_LEAF or child + 2 */
} path_ent;

/* The replay of one address, kept in the run (s->tr_cache) so that asking
 * again for the same address at the same or a later step -- a tooltip
 * while the run plays forward -- only applies the events in between. */
struct path_replay {
	const pgt_sim *s;
	uint64_t pa;
	size_t done; /* events [0, done) are applied */
	path_ent *ent;
	size_t n, cap;
	bool ro;  /* pa's direct-map PTE is read-only (Xen) */
	bool oom; /* the entry list could not grow */
};

/* log2 of the range a table of this level spans (0: the root, all). */
static unsigned span_shift(const pgt_sim *s, int level)
{
	if (level == PGT_PTE)
		return s->bits32 && !s->pae ? 22 : 21;
	if (level == PGT_PMD)
		return 30;
	if (level == PGT_PUD)
		return 39;
	return 0;
}

/* The index of pa's entry in a directory table of this level, as lookup()
 * computes it. */
static unsigned dir_index(const pgt_sim *s, int level, uint64_t pa)
{
	if (s->bits32 && !s->pae)
		return (unsigned)((pa >> 22) & 511);
	if (s->bits32)
		return level == PGT_PGD ? (unsigned)((pa >> 30) & 3) : (unsigned)((pa >> 21) & 511);
	unsigned sh = level == PGT_PGD ? 39 : level == PGT_PUD ? 30 : 21;
	return (unsigned)((pa >> sh) & 511);
}

static bool holds_pa(const path_replay *r, uint32_t t)
{
	const tab *x = &r->s->t[t];
	unsigned sh = span_shift(r->s, x->level);
	return !sh || (tab_va(x) >> sh) == (r->pa >> sh);
}

static path_ent *path_find(path_replay *r, uint32_t t)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->ent[i].table == t)
			return &r->ent[i];
	return NULL;
}

static void path_set(path_replay *r, uint32_t t, uint32_t e)
{
	path_ent *p = path_find(r, t);
	if (p) {
		p->e = e;
		return;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		path_ent *q = realloc(r->ent, cap * sizeof(*q));
		if (!q) {
			r->oom = true;
			return;
		}
		r->ent = q;
		r->cap = cap;
	}
	r->ent[r->n++] = (path_ent){t, e};
}

static void path_link(path_replay *r, uint32_t parent, unsigned slot, uint32_t child)
{
	const pgt_sim *s = r->s;
	if (parent >= s->nt || !holds_pa(r, parent) ||
	    slot != dir_index(s, s->t[parent].level, r->pa))
		return;
	path_set(r, parent, child + 2);
}

static void path_event(path_replay *r, size_t i, const pgt_event *e)
{
	const pgt_sim *s = r->s;
	const uint64_t pa = r->pa;
	switch (e->kind) {
	case PGT_EV_ALLOC:
		if (e->table < s->nt && s->t[e->table].hook_event == i &&
		    s->t[e->table].parent != NO_IDX)
			path_link(r, s->t[e->table].parent, s->t[e->table].slot, e->table);
		break;
	case PGT_EV_HOOK:
		if (e->table < s->nt)
			path_link(r, (uint32_t)e->b, (unsigned)e->aux, e->table);
		break;
	case PGT_EV_MAP:
	case PGT_EV_CLEAR:
		if (e->table < s->nt && e->a <= pa && pa < e->b && holds_pa(r, e->table))
			path_set(r, e->table, e->kind == PGT_EV_MAP ? ENT_LEAF : ENT_NONE);
		break;
	case PGT_EV_MARK_RO:
	case PGT_EV_MARK_RW:
		if (e->a <= pa && pa < e->b)
			r->ro = e->kind == PGT_EV_MARK_RO;
		break;
	default:
		break;
	}
}

/* Can event i change an entry on pa's path?  Decided from the packed word
 * and the table record, so that the events of other tables (nearly all of
 * them on a big map) are skipped without being decoded. */
static bool path_may_touch(const path_replay *r, size_t i)
{
	const pgt_sim *s = r->s;
	uint32_t t;
	switch (sim_event_peek(s, i, &t)) {
	case PGT_EV_ALLOC:
		return t < s->nt && s->t[t].hook_event == i && s->t[t].parent != NO_IDX &&
		       s->t[t].parent < s->nt && holds_pa(r, s->t[t].parent);
	case PGT_EV_HOOK: /* linked into its parent (the table record's) */
		return t < s->nt && s->t[t].parent < s->nt && holds_pa(r, s->t[t].parent);
	case PGT_EV_MAP:
	case PGT_EV_CLEAR:
		return t < s->nt && holds_pa(r, t);
	case PGT_EV_MARK_RO:
	case PGT_EV_MARK_RW:
		return true;
	default:
		return false;
	}
}

static uint32_t path_entry(path_replay *r, uint32_t t)
{
	const path_ent *p = path_find(r, t);
	return p ? p->e : ENT_NONE;
}

/* lookup() on the tables as they were after event `step`. */
static pgt_translation lookup_at(pgt_sim *s, uint64_t pa, size_t step)
{
	pgt_translation tr;
	memset(&tr, 0, sizeof(tr));
	for (int l = 0; l < 5; l++)
		tr.table[l] = NO_IDX;
	if (s->root == NO_IDX || s->t[s->root].alloc_event > step)
		return tr;
	if (!s->tr_cache && !(s->tr_cache = calloc(1, sizeof(*s->tr_cache))))
		return tr; /* out of memory: nothing known */
	path_replay *r = s->tr_cache;
	if (r->pa != pa || r->done > step + 1 || r->oom || !r->s) {
		r->s = s;
		r->pa = pa;
		r->done = 0;
		r->n = 0;
		r->ro = r->oom = false;
	}
	for (; r->done <= step; r->done++) {
		if (!path_may_touch(r, r->done))
			continue;
		pgt_event e = sim_event(s, r->done);
		path_event(r, r->done, &e);
	}
	uint32_t t = s->root;
	for (int k = 0; k < 4 && t != NO_IDX && !r->oom; k++) {
		int level = s->t[t].level;
		tr.table[level] = t;
		uint32_t e = path_entry(r, t);
		if (level == PGT_PTE || is_leaf(e)) {
			if (e != ENT_LEAF)
				break;
			tr.mapped = true;
			tr.pa = pa;
			tr.leaf_level = level == PGT_PGD ? PGT_PMD : level; /* i386 4 MiB */
			tr.writable = level != PGT_PTE || !r->ro;
			break;
		}
		t = is_child(e) && e - 2 < s->nt ? e - 2 : NO_IDX;
	}
	return tr;
}

void walk_cache_free(pgt_sim *s)
{
	if (s->tr_cache)
		free(s->tr_cache->ent);
	free(s->tr_cache);
	s->tr_cache = NULL;
}

pgt_translation pgt_sim_translate(const pgt_sim *cs, uint64_t pa, size_t step)
{
	pgt_sim *s = (pgt_sim *)(uintptr_t)cs; /* the replay cache only */
	if (step < s->n_ev)
		return lookup_at(s, pa, step);
	return lookup(s, pa);
}

/* ptdump: merged runs of equal (level, protection) like
 * arch/x86/mm/dump_pagetables.c prints them (format facts only). */
typedef struct dump_state {
	char *buf;
	size_t len, cap;
	bool ok;
	uint64_t start, cur; /* current run [start, cur) in physical terms */
	int level;           /* 1 pgd .. 4 pte (kernel's numbering); 0 = none */
	int prot;            /* 0 not present, 1 RW, 2 ro, | 4 PSE, | 8 exec */
	uint64_t off;        /* virtual address of physical 0 (PAGE_OFFSET) */
	int width;           /* hex digits of an address: 16 (x86-64), 8 (i386) */
	uint64_t mask;       /* an unsigned long: the end of i386's 4 GiB wraps to 0 */
	bool no_nx;          /* non-PAE i386: entries have no NX bit */
} dump_state;

static void dump_append(dump_state *d, const char *text)
{
	size_t n = strlen(text);
	if (d->len + n + 1 > d->cap) {
		size_t c = d->cap ? d->cap * 2 : 4096;
		while (c < d->len + n + 1)
			c *= 2;
		char *b = realloc(d->buf, c);
		if (!b) {
			d->ok = false;
			return;
		}
		d->buf = b;
		d->cap = c;
	}
	memcpy(d->buf + d->len, text, n + 1);
	d->len += n;
}

static void dump_flush(dump_state *d)
{
	if (!d->level || d->cur <= d->start)
		return;
	static const char *const lv[] = {"cr3", "pgd", "pud", "pmd", "pte"};
	static const char units[] = "BKMGTPE";
	uint64_t delta = d->cur - d->start;
	const char *u = units;
	while (!(delta & 1023) && u[1]) {
		delta >>= 10;
		u++;
	}
	char line[200], flags[64];
	if (!(d->prot & 3))
		snprintf(flags, sizeof(flags), "%30s", "");
	else
		snprintf(flags, sizeof(flags), "    %s        %s    GLB %s",
		         (d->prot & 1) ? "RW " : "ro ", (d->prot & 4) ? "PSE " : "    ",
		         (d->prot & 8) || d->no_nx ? "x  " : "NX ");
	snprintf(line, sizeof(line), "0x%0*llx-0x%0*llx   %9llu%c %s%s\n", d->width,
	         (unsigned long long)((d->off + d->start) & d->mask), d->width,
	         (unsigned long long)((d->off + d->cur) & d->mask), (unsigned long long)delta, *u,
	         flags, lv[d->level]);
	dump_append(d, line);
}

static void dump_note(dump_state *d, uint64_t a, uint64_t size, int level, int prot)
{
	if (d->level != level || d->prot != prot || d->cur != a) {
		dump_flush(d);
		d->start = a;
		d->level = level;
		d->prot = prot;
	}
	d->cur = a + size;
}

/* One table of the ptdump walk; klevel is the kernel's numbering (1 pgd .. 4
 * pte), `entries` how many of its entries to visit. */
static void dump_table(pgt_sim *s, dump_state *d, uint32_t t, uint64_t base, int klevel,
                       unsigned entries)
{
	static const unsigned shift[] = {0, 39, 30, 21, 12};
	const uint64_t size = 1ULL << shift[klevel];
	if (klevel == 4) {
		for (unsigned k = 0; k < entries; k++) {
			uint64_t a = base + k * size;
			if (!sim_pte_get(s, t, k)) {
				dump_note(d, a, size, 4, 0);
				continue;
			}
			bool ro = s->xen && pfn_set_has(&s->ro, a >> 12);
			dump_note(d, a, size, 4, ro ? 2 : 1);
		}
		return;
	}
	for (unsigned i = 0; i < entries; i++) {
		uint64_t a = base + i * size;
		uint32_t e = D(s, t, i);
		if (is_child(e))
			dump_table(s, d, e - 2, a, klevel + 1, 512);
		else if (e == ENT_NONE)
			dump_note(d, a, size, klevel, 0);
		else
			dump_note(d, a, size, klevel, 1 | 4 | (e == ENT_LEAF_STATIC ? 8 : 0));
	}
}

/* i386 (arch/x86/mm/dump_pagetables.c of 3.x, layout facts only): the
 * kernel's half starts at PAGE_OFFSET 0xc0000000 under the marker "Kernel
 * Mapping"; addresses have 8 hex digits.  Non-PAE: two levels, a 4 MiB page
 * is a PGD entry ("pgd"), a page table holds 1024 entries and no entry has
 * an NX bit.  PAE: four PGD entries of 1 GiB, then 512-entry PMD pages
 * (2 MiB pages print as "pmd") and 512-entry page tables. */
static void dump_pte32(pgt_sim *s, dump_state *d, uint32_t t, uint64_t base, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		uint64_t a = base + (uint64_t)k * SZ_4K;
		dump_note(d, a, SZ_4K, 4, sim_pte_get(s, t, k) ? 1 : 0);
	}
}

static void dump_dir32(pgt_sim *s, dump_state *d, uint32_t t, uint64_t base, int klevel,
                       unsigned entries)
{
	const uint64_t size = klevel == 1 ? (uint64_t)1 << 22 : SZ_2M;
	for (unsigned i = 0; i < entries; i++) {
		uint64_t a = base + i * size;
		uint32_t e = D(s, t, i);
		if (is_child(e) && s->t[e - 2].level == PGT_PTE)
			dump_pte32(s, d, e - 2, a, s->pae ? 512 : 1024);
		else if (e == ENT_NONE || is_child(e))
			dump_note(d, a, size, klevel, 0);
		else
			dump_note(d, a, size, klevel, 1 | 4 | (e == ENT_LEAF_STATIC ? 8 : 0));
	}
}

static void dump32(pgt_sim *s, dump_state *d, unsigned top)
{
	if (!s->pae) {
		dump_dir32(s, d, s->root, 0, 1, top);
		return;
	}
	for (unsigned g = 0; g < top && g < 4; g++) {
		uint32_t e = D(s, s->root, g);
		if (is_child(e) && s->t[e - 2].level == PGT_PMD)
			dump_dir32(s, d, e - 2, (uint64_t)g * SZ_1G, 3, 512);
		else
			dump_note(d, (uint64_t)g * SZ_1G, SZ_1G, 1, 0);
	}
}

char *pgt_sim_ptdump(const pgt_sim *cs, size_t step)
{
	(void)step;
	pgt_sim *s = (pgt_sim *)(uintptr_t)cs;
	dump_state d = {.ok = true, .off = sim_page_offset(s), .width = 16, .mask = UINT64_MAX};
	if (s->bits32) {
		d.width = 8;
		d.mask = 0xffffffffULL;
		d.no_nx = !s->pae;
	}
	dump_append(&d,
	            s->bits32 ? "---[ Kernel Mapping ]---\n" : "---[ Low Kernel Mapping ]---\n");
	if (s->root == NO_IDX)
		return d.buf;
	unsigned top = 0;
	for (unsigned i = 0; i < 512; i++)
		if (D(s, s->root, i) != ENT_NONE)
			top = i + 1;
	if (s->bits32)
		dump32(s, &d, top);
	else
		dump_table(s, &d, s->root, 0, 1, top);
	/* A measured base that is not 512 GiB-aligned (memory KASLR): the last
	 * slot's PUD page ends that much before the model's phys-indexed one
	 * (entries.c, kaslr_word); its not-present tail stops there. */
	uint64_t slot_end = (uint64_t)top << 39, skew = d.off & (SZ_512G - 1);
	if (!s->bits32 && skew && !(d.prot & 3) && d.cur == slot_end && d.start < slot_end - skew)
		d.cur = slot_end - skew;
	dump_flush(&d);
	if (!d.ok) {
		free(d.buf);
		return NULL;
	}
	return d.buf;
}

/* ---- i386 ------------------------------------------------------------------ */
/*
 * The 32-bit kernel_physical_mapping_init (arch/x86/mm/init_32.c, 3.x): for
 * every PMD_SIZE unit of [start, end), a large entry when the range allows
 * it (overwriting whatever was there), else the unit's page table --
 * allocated only when the PMD/PGD entry is empty (one_page_table_init) -- is
 * filled.  PAE has a PMD page per GiB of the PGD; lowmem (< 896 MiB) lives in
 * the kernel's PGD slot, which head_32.S already provides.  Tables are
 * indexed physically here: PAGE_OFFSET (0xc0000000) is GiB-aligned, so unit
 * boundaries are the same.  A non-PAE page table (1024 x 4 bytes) uses two
 * 512-bit blocks.
 */

static uint32_t dir32_for(pgt_sim *s, uint64_t pa)
{
	if (!s->pae)
		return s->root;
	unsigned slot = (unsigned)((pa >> 30) & 3);
	uint32_t e = D(s, s->root, slot);
	if (is_child(e))
		return e - 2;
	uint32_t c = alloc_table(s, PGT_PMD, rd_u64(pa, SZ_1G), s->root, slot);
	walk_hook(s, s->root, slot, c);
	return c;
}

static void fill32(pgt_sim *s, uint32_t t, uint64_t a, uint64_t b)
{
	uint64_t base = tab_va(&s->t[t]);
	unsigned i0 = (unsigned)((a - base) >> 12), i1 = (unsigned)((b - base) >> 12);
	for (unsigned i = i0; i < i1; i++) {
		if (sim_pte_get(s, t, i))
			continue;
		sim_pte_set(s, t, i);
		sim_map_run(s, t, base + ((uint64_t)i << 12), base + ((uint64_t)i << 12) + SZ_4K,
		            12);
	}
}

uint64_t walk32_kpmi(pgt_sim *s, uint64_t start, uint64_t end, unsigned mask)
{
	const uint64_t pmd = s->pmd_size;
	const unsigned shift = s->pae ? 21 : 22;
	for (uint64_t a = start; a < end;) {
		uint64_t u = rd_u64(a, pmd), next = u + pmd;
		uint64_t lim = next < end ? next : end;
		uint32_t dir = dir32_for(s, a);
		unsigned slot = (unsigned)((a >> shift) & 511);
		uint32_t e = D(s, dir, slot);
		if (mask & MASK_2M) {
			if (e != ENT_LEAF) {
				if (is_child(e))
					sim_emit(s, (pgt_event){.kind = PGT_EV_CLEAR,
					                        .level = s->t[dir].level,
					                        .table = dir,
					                        .a = u,
					                        .b = next});
				D_set(s, dir, slot, ENT_LEAF);
				sim_map_run(s, dir, u, next, shift);
			}
		} else {
			uint32_t c;
			if (is_child(e)) {
				c = e - 2;
				fill32(s, c, a, lim);
			} else {
				c = alloc_table(s, PGT_PTE, u, dir, slot);
				fill32(s, c, a, lim);
				walk_hook(s, dir, slot, c);
			}
		}
		a = lim;
	}
	sim_flush(s);
	return end;
}

/* head_32.S: swapper_pg_dir (+ the kernel's PMD page on PAE) and page tables
 * covering [0, initial_mapped) with 4k pages, placed just below the BRK
 * page-table buffer (head_32.S takes them from the start of BRK). */
void walk32_static_tables(pgt_sim *s)
{
	uint64_t units = (s->initial_mapped + s->pmd_size - 1) / s->pmd_size;
	uint64_t pages = units + (s->pae ? 1 : 0) + 1; /* PTE pages, PMD (PAE), PGD */
	uint64_t at = s->brk_base - pages * SZ_4K;
	s->root = sim_new_table(s, PGT_PGD, PGT_ORIGIN_STATIC, at, 0, NO_IDX, 0, true);
	s->t[s->root].live = true;
	s->t[s->root].hook_event = s->t[s->root].alloc_event;
	uint32_t dir = s->root;
	at += SZ_4K;
	if (s->pae) {
		dir = sim_new_table(s, PGT_PMD, PGT_ORIGIN_STATIC, at, 0, s->root, 0, true);
		D_set(s, s->root, 0, dir + 2);
		at += SZ_4K;
	}
	for (uint64_t k = 0; k < units && k < 512; k++) {
		uint64_t u = k * s->pmd_size;
		uint32_t pt =
		    sim_new_table(s, PGT_PTE, PGT_ORIGIN_STATIC, at, u, dir, (unsigned)k, true);
		at += SZ_4K;
		uint64_t lim =
		    u + s->pmd_size < s->initial_mapped ? u + s->pmd_size : s->initial_mapped;
		fill32(s, pt, u, lim);
		D_set(s, dir, (unsigned)k, pt + 2);
	}
	sim_flush(s);
	for (uint32_t t = 0; t < s->nt; t++) {
		s->t[t].live = true;
		s->t[t].hook_event = s->t[t].alloc_event;
	}
}
