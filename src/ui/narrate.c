/*
 * narrate.c: event -> plain-language sentence, scenario notes, glossary.
 *
 * Each sentence names the kernel function that does the step, the kernel
 * versions the rule belongs to, and the section of docs/kernel-model.md
 * (the project's own reference, which gives the kernel sources) that
 * describes it.  The same table feeds the window caption, exported frames
 * and docs/glossary.md.
 */
#include "pgtviz/narrate.h"
#include "pgtviz/moment.h"

#include "pgtviz/view.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

/* A citation of a section of docs/kernel-model.md, the project's reference. */
#define KM(section) "(kernel-model.md: " section ")"
#define KM_OLD      KM("Old scheme")
#define KM_NEW      KM("New scheme")
#define KM_CALLS    KM("Calls")
#define KM_WALK     KM("The walk")
#define KM_LIVE     KM("Live tables")
#define KM_XEN      KM("Xen PV")
#define KM_BOOT     KM("The boot-time map")

/* ======================================================================== */
/* The table                                                                */
/* ======================================================================== */

static const pgt_narr_rule rules[] = {
    {PGT_EV_CALL_BEGIN, "init_memory_mapping()", "all", "Calls",
     "a call maps one physical range; old: low RAM then RAM above 4 GiB, new: ISA range, "
     "then top-down chunks"},
    {PGT_EV_RANGE, "split_mem_range()", "all", "Calls", "the call is cut into pieces by page size"},
    {PGT_EV_BUF_FOUND, "find_early_table_space()", "2.6.2x-3.8", "Old scheme",
     "pgt_buf is sized for the whole call and placed before the walk"},
    {PGT_EV_ALLOC, "alloc_low_page() / alloc_low_pages()", "all", "Old scheme; New scheme",
     "a page-table page is taken: from pgt_buf (old), the BRK buffer or memblock (new)"},
    {PGT_EV_MAP, "phys_pud_init() / phys_pmd_init() / phys_pte_init()", "all", "The walk",
     "entries are written: a range becomes direct-mapped"},
    {PGT_EV_CLEAR, "phys_pmd_init() / phys_pte_init()", "all", "The walk",
     "entries past the end of the call are cleared (old walk: all of them; 3.9+: those "
     "with no RAM behind them)"},
    {PGT_EV_HOOK, "pgd_populate() / pud_populate() / pmd_populate_kernel()", "all", "Live tables",
     "a filled table page is linked into its parent (the CPU uses it once the root is in "
     "CR3: at once up to 3.8, under Xen and on i386; on native x86-64 from 3.9 only after "
     "load_cr3() at the end of init_mem_mapping())"},
    {PGT_EV_MARK_RO, "mask_rw_pte() / make_lowmem_page_readonly()", "Xen PV", "Xen PV",
     "Xen: a direct-map PTE is written read-only"},
    {PGT_EV_MARK_RW, "xen_mapping_pagetable_reserve()", "Xen PV, 2.6.39-3.8", "Xen PV",
     "Xen: the unused tail of pgt_buf is made writable again"},
    {PGT_EV_VIOLATION, "pin_pagetable_pfn() / Xen's pagetable checks", "Xen PV", "Xen PV",
     "a page table has a writable alias: Xen refuses it"},
    {PGT_EV_RESERVE, "memblock_reserve()", "all", "Old scheme; New scheme",
     "the page-table pages actually used are reserved"},
    {PGT_EV_STEP_SIZE, "init_mem_mapping() / memory_map_top_down()", "3.9+", "New scheme",
     "the top-down loop's step size grows"},
    {PGT_EV_CALL_END, "init_memory_mapping()", "all", "Calls", "the call returns"},
    {PGT_EV_LOG, "printk()", "all", "Version models", "the kernel prints a line"},
    {PGT_EV_NOTE, "-", "all", "-", "an explanatory marker without a state change"},
    {PGT_EV_PANIC, "panic()", "all", "Old scheme; New scheme",
     "the kernel cannot find a page for a table"},
    {PGT_EV_SET, "setup_arch() / init_mem_mapping() / add_pfn_range_mapped()", "all",
     "Old scheme; New scheme",
     "an allocator variable changes (max_pfn_mapped, min_pfn_mapped, ...)"},
};

const pgt_narr_rule *pgt_narr_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

/* ======================================================================== */
/* Sentences                                                                */
/* ======================================================================== */

typedef struct out {
	char *buf;
	size_t size, len;
} out;

static void put(out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

static const char *era(int scheme)
{
	const pgt_scheme_info *s = pgt_scheme_get(scheme);
	return s ? s->era : pgt_scheme_get(PGT_SCHEME_CHUNKEND)->era;
}

static bool is_old_walk(int scheme)
{
	return scheme == PGT_SCHEME_PGTBUF || scheme == PGT_SCHEME_CHUNKEND;
}

/* Bytes of address space one table of a level covers: x86-64's four
 * 512-entry levels; i386 PAE: 4 PGD entries of 1 GiB, 512-entry PMD and PTE
 * pages; non-PAE: a 1024-entry PGD of 4 MiB entries and 1024-entry PTEs. */
static uint64_t level_span(const pgt_sim *sim, int level)
{
	if (pgt_sim_bits(sim) == 32) {
		if (level == PGT_PTE)
			return pgt_sim_pae(sim) ? 1ull << 21 : 1ull << 22;
		return level == PGT_PMD ? 1ull << 30 : 1ull << 32;
	}
	switch (level) {
	case PGT_PTE:
		return 1ull << 21;
	case PGT_PMD:
		return 1ull << 30;
	case PGT_PUD:
		return 1ull << 39;
	default:
		return 1ull << 48;
	}
}

static const char *page_size(uint64_t shift)
{
	return shift >= 30 ? "1 GiB" : shift >= 22 ? "4 MiB" : shift >= 21 ? "2 MiB" : "4 KiB";
}

/* The image's own startup code: head_32.S on i386, head_64.S on x86-64. */
static const char *head_file(const pgt_sim *sim)
{
	return pgt_sim_bits(sim) == 32 ? "head_32.S" : "head_64.S";
}

/* Whether the run is the i386 model (its model name says so). */
static bool is_i386(const pgt_sim *sim)
{
	return pgt_sim_bits(sim) == 32;
}

static const char *walk_fn(const pgt_sim *sim, int level)
{
	if (pgt_sim_bits(sim) == 32) /* arch/x86/mm/init_32.c: one loop */
		return "kernel_physical_mapping_init() (init_32.c)";
	switch (level) {
	case PGT_PUD:
		return "phys_pud_init()";
	case PGT_PMD:
		return "phys_pmd_init()";
	case PGT_PTE:
		return "phys_pte_init()";
	default:
		return "kernel_physical_mapping_init()";
	}
}

static const char *populate_fn(const pgt_sim *sim, int level)
{
	if (pgt_sim_bits(sim) == 32) /* arch/x86/mm/init_32.c helpers */
		return level == PGT_PTE ? "one_page_table_init()" : "one_md_table_init()";
	switch (level) {
	case PGT_PUD:
		return "pgd_populate()";
	case PGT_PMD:
		return "pud_populate()";
	case PGT_PTE:
		return "pmd_populate_kernel()";
	default:
		return "set_pgd()";
	}
}

static const char *parent_name(int level)
{
	return level >= PGT_PGD ? "the root" : pgt_level_name(level + 1);
}

/* "0x140000 (5 GiB)" for a pfn. */
static char *pfn_text(uint64_t pfn, char *buf, size_t size)
{
	char sz[32];
	snprintf(buf, size, "%#" PRIx64 " (%s)", pfn, pgt_fmt_size(pfn << 12, sz, sizeof(sz)));
	return buf;
}

static const char *alloc_fn(uint32_t kver)
{
	return kver >= PGT_KVER_TOPDOWN ? "alloc_low_pages()" : "alloc_low_page()";
}

static void narrate_alloc(out *o, const pgt_sim *sim, size_t i, const pgt_event *e)
{
	char span[32];
	pgt_fmt_size(level_span(sim, e->level), span, sizeof(span));
	const char *lvl = pgt_level_name(e->level);
	uint32_t kv = pgt_sim_kver(sim);
	pgt_state st = pgt_sim_state_at(sim, i ? i - 1 : 0);
	switch (e->origin) {
	case PGT_ORIGIN_PGTBUF: {
		uint64_t k = (e->a >> 12) - st.pgt_buf_start;
		uint64_t n = st.pgt_buf_top - st.pgt_buf_start;
		put(o,
		    "%s takes the next page of pgt_buf (%#" PRIx64 ", page %" PRIu64 " of %" PRIu64
		    ") for a %s table covering %s at %#" PRIx64
		    " and fills it through a temporary early_ioremap/early_memremap mapping "
		    "— linear allocation, %s " KM_OLD,
		    alloc_fn(kv), e->a, k + 1, n, lvl, span, e->b, era(PGT_SCHEME_PGTBUF));
		break;
	}
	case PGT_ORIGIN_BRK: {
		uint64_t k = (e->a >> 12) - st.pgt_buf_start;
		uint64_t n = st.pgt_buf_top - st.pgt_buf_start;
		put(o,
		    "%s takes page %" PRIu64 " of %" PRIu64 " of the BRK buffer (%#" PRIx64
		    ", in the kernel image) for a %s table covering %s at %#" PRIx64
		    ", written through __va(): %s — 3.9+ " KM_NEW,
		    alloc_fn(kv), k + 1, n, e->a, lvl, span, e->b,
		    pgt_sim_xen(sim) ? "the Xen domain builder's mapping covers that address"
		    : is_i386(sim)   ? "head_32.S's boot-time mapping, which runs past _end, "
		                       "covers that address"
		                     : "the early #PF handler maps that address on first touch");
		break;
	}
	case PGT_ORIGIN_MEMBLOCK: {
		char lo[48], hi[48];
		put(o,
		    "%s asks memblock for a page between min_pfn_mapped %s and max_pfn_mapped %s: "
		    "%#" PRIx64
		    ", the top of what is mapped, for a %s table covering %s at %#" PRIx64
		    " — %s " KM_NEW,
		    alloc_fn(kv), pfn_text(st.min_pfn_mapped, lo, sizeof(lo)),
		    pfn_text(st.max_pfn_mapped, hi, sizeof(hi)), e->a, lvl, span, e->b,
		    era(pgt_sim_scheme(sim)));
		break;
	}
	case PGT_ORIGIN_EXTEND_BRK:
		put(o,
		    "%s finds no room in memblock and falls back to extend_brk(): %#" PRIx64
		    " for a %s table covering %s at %#" PRIx64 " — 4.15+ " KM_NEW,
		    alloc_fn(kv), e->a, lvl, span, e->b);
		break;
	case PGT_ORIGIN_CHUNK:
		put(o,
		    "chunk-end: the %s table covering %s at %#" PRIx64
		    " goes in the last free page of the chunk just mapped, %#" PRIx64
		    ", so it is mapped before it goes live — hpa's 2012 proposal "
		    "(kernel-model.md: chunk-end)",
		    lvl, span, e->b, e->a);
		break;
	case PGT_ORIGIN_XEN:
		put(o,
		    "The Xen domain builder's initial tables include a %s page at %#" PRIx64
		    " covering %s at %#" PRIx64 ", read-only from the start — Xen PV " KM_XEN,
		    lvl, e->a, span, e->b);
		break;
	default:
		put(o,
		    "%s provides a static %s table in the kernel image at %#" PRIx64
		    " covering %s at %#" PRIx64 " — present before any call, all versions " KM_LIVE,
		    head_file(sim), lvl, e->a, span, e->b);
		break;
	}
}

/* What reserves the used part of pgt_buf after the walk in version kv:
 * reserve_early() up to 2.6.36, memblock_x86_reserve_range() from 2.6.37
 * (read in the 2.6.36, 2.6.37, 2.6.39 and 3.2 trees; from 2.6.39 called
 * through x86_init.mapping.pagetable_reserve, 279b706bf80), the generic
 * memblock_reserve() in a 3.5/3.6 tree; 3.3 as the switch is inferred from
 * Tejun Heo's memblock rework of that merge window, not read. */
static const char *old_reserve_fn(uint32_t kv)
{
	if (kv <= PGT_KVER(2, 6, 36))
		return "reserve_early()";
	if (kv < PGT_KVER(2, 6, 39))
		return "memblock_x86_reserve_range()";
	if (kv < PGT_KVER(3, 3, 0))
		return "x86_init.mapping.pagetable_reserve() → memblock_x86_reserve_range()";
	return "x86_init.mapping.pagetable_reserve() → memblock_reserve()";
}

/* Where reserve_crashkernel() looks in version kv (kernel-model.md:
 * crashkernel). */
static const char *crash_rule(uint32_t kv)
{
	if (kv <= PGT_KVER(2, 6, 36))
		return "the first free 16 MiB-aligned window from 16 MiB up";
	if (kv < PGT_KVER(5, 2, 0))
		return "the highest free 16 MiB-aligned window in [16 MiB, 896 MiB)";
	return "the highest free 16 MiB-aligned window in [16 MiB, 4 GiB), then one above it "
	       "(5.2+, 9ca5c8e632ce and its fallback)";
}

/* What max_pfn_mapped means for the next pgt_buf in version kv of the old
 * scheme (find_early_table_space's upper bound, kernel-model.md: The old
 * scheme: pgt_buf). */
static const char *old_buf_bound(uint32_t kv, bool i386)
{
	if (i386 && kv <= PGT_KVER(2, 6, 36))
		return "the next pgt_buf is searched bottom-up from 0x7000 below it "
		       "(find_e820_area) — i386 up to 2.6.36";
	if (i386)
		return "the next pgt_buf goes top-down below it (memblock; i386 kept "
		       "good_end = max_pfn_mapped when 4b239f458 put 64-bit tables high) — "
		       "i386, 2.6.37–3.8";
	if (kv <= PGT_KVER(2, 6, 30))
		return "the buffer is not bound by it: find_e820_area() searches from 0x8000 "
		       "up to the end of the call — up to 2.6.30";
	if (kv <= PGT_KVER(2, 6, 36))
		return "the next pgt_buf is searched bottom-up below it (find_e820_area) — "
		       "2.6.31–2.6.36";
	if (kv < PGT_KVER(3, 1, 0) && kv >= PGT_KVER(2, 6, 39))
		return "it does not bound the buffer: 4b239f458 (2.6.39-rc1) set good_end to the "
		       "end "
		       "of the call, so pgt_buf may lie in memory not mapped yet, until "
		       "8548c84da2f "
		       "(3.1) went back to max_pfn_mapped — 2.6.39–3.0";
	if (kv < PGT_KVER(2, 6, 39))
		return "the next pgt_buf goes top-down below it — 2.6.37–2.6.38";
	return "the next pgt_buf goes top-down below it — 3.1–3.8";
}

static void narrate_set(out *o, const pgt_sim *sim, size_t i, const pgt_event *e)
{
	int scheme = pgt_sim_scheme(sim);
	char p[48], sz[32];
	bool before_calls = pgt_sim_state_at(sim, i).call == 0;
	uint32_t kv = pgt_sim_kver(sim);
	switch (e->aux) {
	case PGT_VAR_MAX_PFN_MAPPED:
		if (scheme == PGT_SCHEME_CHUNKEND) {
			put(o,
			    "max_pfn_mapped is %s: chunk-end keeps the 3.6 bookkeeping; its tables "
			    "come from the chunks it maps, not from below this mark "
			    "(kernel-model.md: chunk-end)",
			    pfn_text(e->a, p, sizeof(p)));
		} else if (is_old_walk(scheme)) {
			if (before_calls)
				put(o,
				    "max_pfn_mapped is %s: the initial mapping (%s, or "
				    "Xen's) covers that much; %s " KM_OLD,
				    pfn_text(e->a, p, sizeof(p)), head_file(sim),
				    old_buf_bound(kv, is_i386(sim)));
			else
				put(o,
				    "setup_arch() stores what the call returned: max_pfn_mapped is "
				    "now %s; %s " KM_OLD,
				    pfn_text(e->a, p, sizeof(p)), old_buf_bound(kv, is_i386(sim)));
		} else if (e->a == 0) {
			put(o,
			    "init_mem_mapping() sets max_pfn_mapped = 0 before the top-down loop: "
			    "until a chunk is mapped, page tables can only come from the BRK "
			    "buffer — 3.9+ " KM_NEW);
		} else {
			put(o,
			    "max_pfn_mapped is now %s: memblock may hand out page tables only "
			    "below %s (3.9+, init_memory_mapping → add_pfn_range_mapped) " KM_NEW,
			    pfn_text(e->a, p, sizeof(p)), pgt_fmt_size(e->a << 12, sz, sizeof(sz)));
		}
		break;
	case PGT_VAR_MIN_PFN_MAPPED:
		put(o,
		    "min_pfn_mapped is now %s: tables for the next chunk may come from memblock "
		    "between %#" PRIx64 " and max_pfn_mapped, memory mapped by earlier steps — "
		    "%s (init_mem_mapping) " KM_NEW,
		    pfn_text(e->a, p, sizeof(p)), e->a << 12, era(scheme));
		break;
	case PGT_VAR_CAN_USE_BRK:
		if (e->a)
			put(o, "can_use_brk_pgt is true again: the next chunk may take tables from "
			       "the BRK buffer — 3.9+ (init_range_memory_mapping) " KM_NEW);
		else
			put(o,
			    "can_use_brk_pgt = false: this chunk overlaps the unused part of the "
			    "BRK buffer, so init_range_memory_mapping() makes its tables come from "
			    "memblock — 3.9+ " KM_NEW);
		break;
	case PGT_VAR_PGT_BUF:
		if (is_old_walk(scheme))
			put(o,
			    "pgt_buf_start = pgt_buf_end = %#" PRIx64 ", pgt_buf_top = %#" PRIx64
			    " (pfns): the buffer is empty and ready — %s " KM_OLD,
			    e->a, e->b, era(scheme));
		else
			put(o,
			    "early_alloc_pgt_buf() carves %" PRIu64 " pages out of the BRK area: "
			    "pgt_buf_start = pgt_buf_end = %#" PRIx64 ", pgt_buf_top = %#" PRIx64
			    " (pfns), inside the kernel image — 3.9+ " KM_NEW,
			    e->b - e->a, e->a, e->b);
		break;
	case PGT_VAR_PGT_BUF_END:
		put(o, "pgt_buf_end = %#" PRIx64 " (pfn): pages below it are used — %s " KM_OLD,
		    e->a, era(scheme));
		break;
	default:
		put(o, "An allocator variable changes " KM_NEW);
		break;
	}
}

/* A CLEAR event is one of three things (src/core/walk.c): a large entry
 * inside the call that a smaller table replaces at once (a split; in the
 * image's static table that is one of head_64.S's boot-time entries), a
 * GiB the old walk leaves unmapped because no e820 entry covers it, or
 * entries past the end of the call (the old walk clears the rest of the
 * table page; 3.9+ only where no e820 RAM is behind them). */
static void narrate_clear(out *o, const pgt_sim *sim, size_t i, const pgt_event *e)
{
	bool old = is_old_walk(pgt_sim_scheme(sim));
	const char *lvl = pgt_level_name(e->level);
	pgt_state st = pgt_sim_state_at(sim, i);
	bool inside = e->a >= st.chunk_start && e->b <= st.chunk_end;
	pgt_event next = {.kind = 0xff};
	if (i + 1 < pgt_sim_event_count(sim))
		next = pgt_sim_event(sim, i + 1);
	bool split = inside && next.kind == PGT_EV_ALLOC && next.b == e->a;
	if (is_i386(sim)) {
		/* walk32_kpmi: a large entry overwrites one that pointed to a
		 * page table (init_32.c sets the PMD entry without looking) */
		put(o,
		    "%s replaces the %s entry for [%#" PRIx64 ", %#" PRIx64
		    "), which pointed to a PTE page (head_32.S's boot-time mapping or an earlier "
		    "call's), with a %s page: this call maps that range with large pages — i386 "
		    "walk " KM_WALK,
		    walk_fn(sim, e->level), lvl, e->a, e->b, page_size(pgt_sim_pae(sim) ? 21 : 22));
	} else if (split) {
		bool boot = e->table < pgt_sim_table_count(sim) &&
		            pgt_sim_table(sim, e->table).origin == PGT_ORIGIN_STATIC;
		char why[96] = "";
		if (boot)
			snprintf(why, sizeof(why), ", one of %s's boot-time large entries",
			         head_file(sim));
		put(o,
		    "%s clears the %s entry for [%#" PRIx64 ", %#" PRIx64
		    ")%s: this call maps that range with smaller pages, so a new %s page takes "
		    "the entry's place at once — the walk, all versions " KM_WALK,
		    walk_fn(sim, e->level), lvl, e->a, e->b, why, pgt_level_name(e->level - 1));
	} else if (inside && old) {
		put(o,
		    "%s clears the %s entry for [%#" PRIx64 ", %#" PRIx64
		    "): no e820 entry of any type covers that GiB, so the old walk leaves it "
		    "unmapped — old walk " KM_WALK,
		    walk_fn(sim, e->level), lvl, e->a, e->b);
	} else if (old) {
		/* a large entry still present in the image's static PMD page is
		 * one head_64.S wrote: the old walk keeps existing large entries
		 * inside a call and clears those past its end */
		bool boot = e->level == PGT_PMD && !pgt_sim_xen(sim) && !is_i386(sim) &&
		            e->table < pgt_sim_table_count(sim) &&
		            pgt_sim_table(sim, e->table).origin == PGT_ORIGIN_STATIC;
		put(o,
		    "%s clears the %s entries for [%#" PRIx64 ", %#" PRIx64
		    "): they lie past the end of this call, and the old walk clears the rest of "
		    "the table page whether or not RAM is behind it%s — old walk " KM_WALK,
		    walk_fn(sim, e->level), lvl, e->a, e->b,
		    boot ? " (here it removes boot-time 2 MiB entries of head_64.S)" : "");
	} else {
		put(o,
		    "%s clears the %s entries for [%#" PRIx64 ", %#" PRIx64
		    "): past the end of this call, with no e820 RAM behind them — 3.9+ "
		    "walk " KM_WALK,
		    walk_fn(sim, e->level), lvl, e->a, e->b);
	}
}

/* Whether linking a table makes it used by the CPU at once: up to 3.8 (and
 * under Xen, and in hpa's proposal, modelled on 3.6) the root of the tree
 * being built is already in CR3; on a native 3.9+ kernel it is not until
 * load_cr3(swapper_pg_dir) at the end of init_mem_mapping(). */
/* Xen PV: a read-only change before the first init_memory_mapping call is
 * start-up, not the walk: xen_setup_kernel_pagetable() (arch/x86/xen/mmu.c,
 * read in the 2.6.39.3 tree) writes the kernel's own static tables read-only
 * with set_page_prot() before it pins the kernel's root, and
 * xen_map_identity_early() does the same for its PTE pages in BRK; the
 * builder's tables were read-only before the kernel ran.  Which of the three
 * follows from the table at the start of the range. */
static void narrate_startup_ro(out *o, const pgt_sim *sim, size_t i, const pgt_event *e)
{
	int origin = -1, level = -1;
	size_t n = pgt_sim_table_count(sim);
	for (size_t k = 0; k < n; k++) {
		pgt_table t = pgt_sim_table(sim, k);
		if (t.alloc_event > i)
			break;
		if (t.pa == e->a) {
			origin = t.origin;
			level = t.level;
			break;
		}
	}
	uint64_t pages = (e->b - e->a) / PAGE;
	const char *s = pages > 1 ? "s" : "";
	if (origin == PGT_ORIGIN_XEN)
		put(o,
		    "Xen: the domain builder's page-table page%s [%#" PRIx64 ", %#" PRIx64
		    ") %s read-only before the kernel ran: Xen refuses a writable page as a page "
		    "table — Xen PV " KM_XEN,
		    s, e->a, e->b, pages > 1 ? "were" : "was");
	else if (origin == PGT_ORIGIN_STATIC && level == PGT_PTE)
		put(o,
		    "Xen: xen_map_identity_early() writes its PTE page%s in BRK, [%#" PRIx64
		    ", %#" PRIx64
		    "), read-only (set_page_prot) once it has filled them — Xen PV " KM_XEN,
		    s, e->a, e->b);
	else
		put(o,
		    "Xen: xen_setup_kernel_pagetable() writes the kernel's own static table%s, "
		    "[%#" PRIx64 ", %#" PRIx64
		    "), read-only (set_page_prot) before it pins the kernel's root table — "
		    "Xen PV " KM_XEN,
		    s, e->a, e->b);
}

static void narrate_hook(out *o, const pgt_sim *sim, const pgt_event *e)
{
	char at[48] = "";
	if (e->table < pgt_sim_table_count(sim))
		snprintf(at, sizeof(at), " at %#" PRIx64, pgt_sim_table(sim, e->table).pa);
	bool xen = pgt_sim_xen(sim);
	int scheme = pgt_sim_scheme(sim);
	const char *what;
	if (!e->flags)
		what = "its parent is not linked yet, so it is not reachable from the root yet";
	else if (is_i386(sim))
		what = "it is live now: the tables are built in swapper_pg_dir, which is in CR3 "
		       "before the first call (head_32.S loads it up to 2.6.35; from 2.6.36, "
		       "fd89a137924, setup_arch() switches to it from initial_page_table) — "
		       "i386, all versions";
	else if (xen)
		what =
		    "it is live now: the root (init_level4_pgt) is the pinned table Xen runs the "
		    "guest on; the paravirt alloc hook makes the new page read-only if it is "
		    "already mapped";
	else if (!is_old_walk(scheme))
		what = "it is reachable from init_level4_pgt, which the CPU does not use until "
		       "load_cr3(swapper_pg_dir) at the end of init_mem_mapping(); until then it "
		       "runs on early_level4_pgt, filled on demand by the early #PF handler — "
		       "3.9+";
	else
		what =
		    "it is live now: init_level4_pgt has been in CR3 since head_64.S — up to 3.8";
	put(o, "%s links the filled %s page%s into %s%s: %s %s", populate_fn(sim, e->level),
	    pgt_level_name(e->level), at, e->level < PGT_PGD ? "its " : "", parent_name(e->level),
	    what, xen ? KM_XEN : KM_LIVE);
}

char *pgt_narrate_event(const pgt_sim *sim, size_t i, char *buf, size_t size)
{
	out o = {buf, size, 0};
	if (!size)
		return buf;
	buf[0] = '\0';
	size_t n = pgt_sim_event_count(sim);
	if (i >= n)
		return buf;
	const pgt_event e_v = pgt_sim_event(sim, i), *e = &e_v;
	int scheme = pgt_sim_scheme(sim);
	bool old = is_old_walk(scheme);
	char sz[32], sz2[32];
	const char *lvl = pgt_level_name(e->level);
	switch (e->kind) {
	case PGT_EV_CALL_BEGIN:
		pgt_fmt_size(e->b - e->a, sz, sizeof(sz));
		if (old)
			put(&o,
			    "init_memory_mapping(%#" PRIx64 ", %#" PRIx64 "), call %" PRIu64
			    ": setup_arch() maps %s%s in one go — %s " KM_CALLS,
			    e->a, e->b, e->aux + 1, sz,
			    e->a >= (1ull << 32) ? " of RAM above 4 GiB" : ", all of low RAM",
			    era(scheme));
		else if (e->a == 0 && e->b <= (1ull << 20))
			put(&o,
			    "init_memory_mapping(0, 1 MiB), call %" PRIu64
			    ": the ISA range is always mapped first, with tables from the BRK "
			    "buffer — %s (init_mem_mapping) " KM_CALLS,
			    e->aux + 1, era(scheme));
		else
			put(&o,
			    "init_memory_mapping(%#" PRIx64 ", %#" PRIx64 "), call %" PRIu64
			    ": the %s loop maps the next chunk, %s — %s "
			    "(init_range_memory_mapping) " KM_CALLS,
			    e->a, e->b, e->aux + 1,
			    scheme == PGT_SCHEME_BOTTOMUP ? "bottom-up" : "top-down", sz,
			    era(scheme));
		break;
	case PGT_EV_RANGE:
		put(&o,
		    "split_mem_range() cuts the call by alignment: [%#" PRIx64 ", %#" PRIx64
		    ") (%s) will use %s pages — all versions " KM_CALLS,
		    e->a, e->b, pgt_fmt_size(e->b - e->a, sz, sizeof(sz)), page_size(e->aux));
		break;
	case PGT_EV_BUF_FOUND:
		put(&o,
		    "find_early_table_space() reserves pgt_buf at [%#" PRIx64 ", %#" PRIx64
		    "): %" PRIu64
		    " pages, sized up front for every table this call might need — %s " KM_OLD,
		    e->a, e->b, (e->b - e->a) / PAGE, era(PGT_SCHEME_PGTBUF));
		break;
	case PGT_EV_ALLOC:
		narrate_alloc(&o, sim, i, e);
		break;
	case PGT_EV_MAP:
		if (pgt_sim_state_at(sim, i).call == 0) /* before the first call */
			put(&o,
			    "%s %s page maps [%#" PRIx64 ", %#" PRIx64
			    ") (%s) with %s entries before the first call: the boot-time map, "
			    "shown whole from the start — %s " KM_BOOT,
			    pgt_sim_xen(sim)          ? "The Xen domain builder's"
			    : pgt_sim_bits(sim) == 32 ? "head_32.S's boot-time"
			                              : "head_64.S's static",
			    lvl, e->a, e->b, pgt_fmt_size(e->b - e->a, sz, sizeof(sz)),
			    page_size(e->aux),
			    pgt_sim_xen(sim)          ? "Xen PV"
			    : pgt_sim_bits(sim) == 32 ? "i386"
			                              : "x86-64 up to 3.8");
		else
			put(&o,
			    "%s writes %s entries into the %s page: [%#" PRIx64 ", %#" PRIx64
			    ") (%s) is now direct-mapped — %s walk " KM_WALK,
			    walk_fn(sim, e->level), page_size(e->aux), lvl, e->a, e->b,
			    pgt_fmt_size(e->b - e->a, sz, sizeof(sz)), old ? "old" : "3.9+");
		break;
	case PGT_EV_CLEAR:
		narrate_clear(&o, sim, i, e);
		break;
	case PGT_EV_HOOK:
		narrate_hook(&o, sim, e);
		break;
	case PGT_EV_MARK_RO:
		if (pgt_sim_state_at(sim, i).call == 0)
			narrate_startup_ro(&o, sim, i, e);
		else if (scheme == PGT_SCHEME_PGTBUF && pgt_sim_kver(sim) < PGT_KVER(2, 6, 37))
			put(&o,
			    "Xen: the direct-map PTE%s of [%#" PRIx64 ", %#" PRIx64
			    ") %s written read-only: a page-table page must never be mapped "
			    "writable "
			    "(the paravirt alloc hook, make_lowmem_page_readonly, on a page that "
			    "is "
			    "already mapped; mask_rw_pte's window over the buffer came only in "
			    "2.6.37, "
			    "fef5ba797991) — Xen PV before 2.6.37 " KM_XEN,
			    e->b - e->a > PAGE ? "s" : "", e->a, e->b,
			    e->b - e->a > PAGE ? "are" : "is");
		else if (scheme == PGT_SCHEME_PGTBUF)
			put(&o,
			    "Xen: mask_rw_pte() (or an alloc hook) writes the direct-map PTE%s of "
			    "[%#" PRIx64 ", %#" PRIx64 ") read-only: %s inside the window %s or "
			    "already a table — Xen PV " KM_XEN,
			    e->b - e->a > PAGE ? "s" : "", e->a, e->b,
			    e->b - e->a > PAGE ? "they are" : "it is",
			    pgt_sim_xen_rule(sim) == PGT_XEN_RULE_END
			        ? "[pgt_buf_start, pgt_buf_end) (2.6.37 – 2.6.39-rc5; named "
			          "e820_table_start/end until d1b19426b04 renamed them in "
			          "2.6.39-rc1): a page above pgt_buf_end gets a writable entry "
			          "even if it becomes a table later"
			        : "[pgt_buf_start, pgt_buf_top) (b9269dc7bfd; 2.6.39-rc6 – 3.8): "
			          "the "
			          "whole buffer, used or not");
		else
			put(&o,
			    "Xen: the paravirt alloc hook (make_lowmem_page_readonly) writes the "
			    "direct-map PTE%s of [%#" PRIx64 ", %#" PRIx64
			    ") read-only before the table goes live — Xen PV " KM_XEN,
			    e->b - e->a > PAGE ? "s" : "", e->a, e->b);
		break;
	case PGT_EV_MARK_RW:
		put(&o,
		    "the pagetable_reserve hook, xen_mapping_pagetable_reserve(), makes "
		    "the unused "
		    "tail of pgt_buf, [%#" PRIx64 ", %#" PRIx64
		    "), writable again and prints \"xen: setting RW the range\" — Xen PV, "
		    "279b706bf80, 2.6.39–3.8 " KM_XEN,
		    e->a, e->b);
		break;
	case PGT_EV_VIOLATION:
		if (e->flags & 1) {
			uint64_t q = e->b;
			put(&o,
			    "VIOLATION: Xen refuses to pin the new PTE page at %#" PRIx64
			    " (pmd_populate_kernel → xen_alloc_pte_init → "
			    "pin_pagetable_pfn(MMUEXT_PIN_L1_TABLE)): entry %" PRIu64
			    " of the pinned PTE page at %#" PRIx64 ", written at step %" PRIu64
			    ", maps it writable, and make_lowmem_page_readonly() could not fix "
			    "that "
			    "because the page is not mapped in the live tables yet. A failed pin "
			    "is a BUG() — Xen PV, the pgt_buf_end window with the tables high, "
			    "2.6.39-rc1 to -rc5 " KM_XEN,
			    e->a, e->aux & 0xffff,
			    q < pgt_sim_table_count(sim) ? pgt_sim_table(sim, (size_t)q).pa : 0,
			    e->aux >> 16);
		} else {
			put(&o,
			    "VIOLATION: the live page table at %#" PRIx64
			    " is mapped writable; Xen refuses a page table with a writable alias — "
			    "Xen PV " KM_XEN,
			    e->a);
		}
		break;
	case PGT_EV_RESERVE:
		if (e->aux == 1 && scheme == PGT_SCHEME_PGTBUF)
			put(&o,
			    "%s keeps [%#" PRIx64 ", %#" PRIx64 "), the %" PRIu64
			    " pgt_buf pages actually used; the rest of the buffer is free again — "
			    "%s " KM_OLD,
			    old_reserve_fn(pgt_sim_kver(sim)), e->a, e->b, (e->b - e->a) / PAGE,
			    era(scheme));
		else if (e->aux == 1)
			put(&o,
			    "memblock_reserve() takes [%#" PRIx64 ", %#" PRIx64
			    ") for page tables (%s) — %s " KM_NEW,
			    e->a, e->b, pgt_fmt_size(e->b - e->a, sz, sizeof(sz)), era(scheme));
		else if (e->aux == 2)
			put(&o,
			    "reserve_crashkernel() reserves [%#" PRIx64 ", %#" PRIx64
			    ") (%s at %s) for the crash kernel (kdump): %s — after the direct "
			    "mapping, all versions " KM("crashkernel"),
			    e->a, e->b, pgt_fmt_size(e->b - e->a, sz, sizeof(sz)),
			    pgt_fmt_size(e->a, sz2, sizeof(sz2)), crash_rule(pgt_sim_kver(sim)));
		else
			put(&o,
			    "memblock_reserve() reserves [%#" PRIx64 ", %#" PRIx64
			    ") (%s) " KM("The machine"),
			    e->a, e->b, pgt_fmt_size(e->b - e->a, sz, sizeof(sz)));
		break;
	case PGT_EV_STEP_SIZE: {
		bool late = pgt_sim_kver(sim) >= PGT_KVER(3, 19, 0);
		put(&o,
		    "The step size grows to %s: the next chunk may be that large (%s, %s; "
		    "init_mem_mapping) " KM_NEW,
		    pgt_fmt_size(e->a, sz, sizeof(sz)),
		    late ? "<<8 once the total mapped reaches the step"
		         : "<<5 when the last step "
		           "mapped more than all before",
		    late ? "3.19+" : "3.9–3.18");
		break;
	}
	case PGT_EV_CALL_END: {
		pgt_state st = pgt_sim_state_at(sim, i);
		if (old)
			put(&o,
			    "init_memory_mapping() returns %#" PRIx64 " (last_map_addr); %s is "
			    "direct-mapped so far — %s " KM_CALLS,
			    e->a, pgt_fmt_size(st.mapped_bytes, sz, sizeof(sz)), era(scheme));
		else
			put(&o,
			    "init_memory_mapping() returns %#" PRIx64
			    "; add_pfn_range_mapped() records "
			    "the range, %s is direct-mapped so far — %s " KM_CALLS,
			    e->a, pgt_fmt_size(st.mapped_bytes, sz2, sizeof(sz2)), era(scheme));
		break;
	}
	case PGT_EV_LOG: {
		const char *text = "";
		size_t nl = pgt_sim_log_count(sim);
		for (size_t k = 0; k < nl; k++)
			if (pgt_sim_log(sim, k)->event == i) {
				text = pgt_sim_log(sim, k)->text;
				break;
			}
		if (strncmp(text, "crashkernel reservation failed", 30) == 0)
			put(&o,
			    "CRASHKERNEL FAILED: reserve_crashkernel() looks for %s and finds "
			    "none: "
			    "memory already reserved (page tables included) splits every "
			    "candidate, "
			    "so kdump is unavailable on this boot. The kernel logs \"%s\" " KM(
			        "crashkernel"),
			    crash_rule(pgt_sim_kver(sim)), text);
		else if (strncmp(text, "(XEN) ", 6) == 0)
			put(&o,
			    "the hypervisor, not the guest, logs \"%s\" (the lines of the crash "
			    "log "
			    "in a38647837a4's message; pgtviz has no machine frame numbers, hence "
			    "\"mfn ?\") — Xen PV " KM_XEN,
			    text + 6);
		else
			put(&o, "printk(): the kernel logs \"%s\" " KM("Version models"), text);
		break;
	}
	case PGT_EV_PANIC: {
		const char *p = pgt_sim_panic(sim) ? pgt_sim_panic(sim) : "?";
		if (strncmp(p, "(XEN) Domain ", 13) == 0)
			put(&o,
			    "Xen crashes the domain: \"%s\" — pin_pagetable_pfn() BUG()s when the "
			    "pin fails (early in boot every page table is assumed pinned), and "
			    "that "
			    "invalid opcode reaches Xen, which ends the guest (the crash log in "
			    "a38647837a4's message) " KM_XEN,
			    p);
		else if (strncmp(p, "BUG: unable to handle kernel paging request", 43) == 0)
			put(&o,
			    "oops: \"%s\" — the page memblock handed out lies in the unused tail "
			    "of "
			    "pgt_buf, still mapped read-only because no pagetable_reserve hook "
			    "made "
			    "it writable again; the first write to it faults " KM_XEN,
			    p);
		else
			put(&o, "panic(): \"%s\" — no page is left for a page table %s", p,
			    old ? KM_OLD : KM_NEW);
		break;
	}
	case PGT_EV_SET:
		narrate_set(&o, sim, i, e);
		break;
	case PGT_EV_NOTE:
	default:
		put(&o, "A marker in the run (no state change): [%#" PRIx64 ", %#" PRIx64 ")", e->a,
		    e->b);
		break;
	}
	return buf;
}

/* ======================================================================== */
/* Scenario notes                                                           */
/* ======================================================================== */

bool pgt_note_matches(const char *at, const pgt_sim *sim, size_t i)
{
	size_t n = pgt_sim_event_count(sim);
	if (!at || i >= n)
		return false;
	const char *colon = strchr(at, ':');
	unsigned long long num = 0;
	if (colon) {
		char *end;
		num = strtoull(colon + 1, &end, 10);
		if (end == colon + 1 || *end)
			return false;
	}
	size_t nlen = colon ? (size_t)(colon - at) : strlen(at);
	pgt_event e = pgt_sim_event(sim, i);
	if (nlen == 4 && !strncmp(at, "call", 4) && colon)
		return e.kind == PGT_EV_CALL_BEGIN && e.aux + 1 == num;
	if (nlen == 5 && !strncmp(at, "event", 5) && colon)
		return i == num;
	if (nlen == 5 && !strncmp(at, "panic", 5))
		return e.kind == PGT_EV_PANIC;
	if (nlen == 9 && !strncmp(at, "violation", 9)) {
		if (e.kind != PGT_EV_VIOLATION)
			return false;
		unsigned long long k = 0; /* which violation this is, from 1 */
		for (size_t j = 0; j <= i; j++)
			k += pgt_sim_event(sim, j).kind == PGT_EV_VIOLATION;
		return colon ? k == num : k == 1;
	}
	return false;
}

const char *pgt_narrate_note(const pgt_scenario *sc, const pgt_sim *sim, size_t i, char *buf,
                             size_t size)
{
	if (!sc || !size)
		return NULL;
	out o = {buf, size, 0};
	buf[0] = '\0';
	char part[1200];
	for (size_t k = 0; k < sc->n_notes; k++) /* the parts for this pane (moment.c) */
		if (pgt_note_matches(sc->notes[k].at, sim, i) &&
		    pgt_note_text(sc, &sc->notes[k], sim, part, sizeof(part)))
			put(&o, "%s%s", o.len ? " " : "", part);
	return o.len ? buf : NULL;
}

/* ======================================================================== */
/* Glossary                                                                 */
/* ======================================================================== */

static const pgt_gloss gloss[] = {
    {"e820",
     "The BIOS/firmware memory map: a list of physical ranges with a type (usable RAM, "
     "reserved, ACPI data, ACPI NVS, unusable). The kernel sanitizes it and builds "
     "everything else from it.",
     "The machine"},
    {"memblock",
     "The kernel's early memory allocator: memblock.memory holds the RAM ranges, "
     "memblock.reserved what is taken (kernel image, initrd, page tables...). "
     "Its searches go top-down (x86 switched to memblock in 2.6.37, a9ce6bc1510); "
     "bottom-up only with movable_node (3.13+).",
     "The machine"},
    {"direct map",
     "The linear mapping of all physical RAM at PAGE_OFFSET "
     "(4-level x86-64 without memory KASLR: 0xffff880000000000, PGD slot 272, up to 4.19; "
     "0xffff888000000000, slot 273, from 4.20): "
     "virtual = physical + PAGE_OFFSET. These page tables are what pgtviz shows being "
     "built.",
     "The walk"},
    {"PGD / PUD / PMD / PTE",
     "The four levels of x86-64 page tables. One 4 KiB table page "
     "holds 512 entries: a PGD entry covers 512 GiB, a PUD entry "
     "1 GiB, a PMD entry 2 MiB, a PTE 4 KiB. A PUD or PMD entry can "
     "also map a 1 GiB or 2 MiB page directly.",
     "The walk"},
    {"init_memory_mapping",
     "The function that maps one physical range into the direct map: "
     "it splits the range by page size and walks the tables, allocating "
     "table pages as needed. Each call is a marker on the timeline.",
     "Calls"},
    {"pgt_buf",
     "Old scheme (2.6.2x-3.8): one buffer per call, sized up front by "
     "find_early_table_space() and filled linearly by alloc_low_page(): "
     "pgt_buf_start <= pgt_buf_end (next free page) <= pgt_buf_top (named "
     "e820_table_start/end/top before 2.6.39-rc1, d1b19426b04).",
     "Old scheme"},
    {"BRK",
     "A small area at the end of the kernel image, extended at boot with extend_brk(). "
     "The 3.9+ scheme takes its first page-table pages from a BRK buffer of 5 (3.9-3.10) "
     "or 6 pages (3.11+), twice that with memory KASLR (4.8+), 8 or 16 on kernels built "
     "for 5-level paging (5.12+), and writes them through their direct-map address "
     "(__va): on native x86-64 the early #PF handler maps it on demand, on i386 "
     "head_32.S's boot-time mapping and under Xen the domain builder's mapping cover it.",
     "New scheme"},
    {"early #PF handler",
     "3.9+ x86-64 (hpa, \"Use a #PF handler to materialize early mappings on "
     "demand\"): until init_mem_mapping() loads swapper_pg_dir into CR3, the CPU runs on "
     "early_level4_pgt, and a page fault on a direct-map address fills in a temporary "
     "mapping for it.",
     "Live tables"},
    {"live",
     "A table the CPU (or, under Xen, the hypervisor) walks: reachable from the root in "
     "CR3. Up to 3.8 init_level4_pgt is in CR3 from head_64.S on, so a linked table is "
     "live at once (so is one under Xen, and on i386, whose swapper_pg_dir is in CR3 "
     "before the first call); on native x86-64 3.9+ the new tree is used only after "
     "load_cr3(swapper_pg_dir) at the end of init_mem_mapping().",
     "Live tables"},
    {"RO (read-only)",
     "Under Xen PV every page that is in use as a page table must be mapped "
     "read-only in the guest's direct map; pgtviz hatches such pages.",
     "Xen PV"},
    {"pinning",
     "Xen validates a page-table tree before the guest may use it (\"pinning\"). It "
     "refuses if any table page also has a writable mapping: the guest crashes.",
     "Xen PV"},
    {"max_pfn_mapped",
     "The page frame number up to which memory is direct-mapped. Old scheme: "
     "the next pgt_buf goes below it (except on 64-bit up to 2.6.30 and in 2.6.39-3.0, "
     "where it went anywhere below the end of the call). New scheme: memblock page tables come "
     "from below it.",
     "Old scheme"},
    {"min_pfn_mapped",
     "3.9+: the lower end of the window memblock page tables may come from; "
     "it moves down as the top-down loop maps more chunks.",
     "New scheme"},
    {"real_end",
     "3.9+: the top of the highest free, 2 MiB-aligned 2 MiB block of RAM. The "
     "top-down loop starts there, so the first tables land at the top of RAM.",
     "New scheme"},
    {"step size",
     "3.9+: how much the top-down loop maps per chunk. It starts at 2 MiB and "
     "grows (<<5 up to 3.18, <<8 from 3.19), because each mapped chunk can hold "
     "the tables for a much larger next one.",
     "New scheme"},
    {"early_memremap",
     "A temporary fixmap mapping (early_ioremap in older kernels). The old scheme "
     "fills every new table page through it (alloc_low_page, since at least 2.6.26) "
     "and, from 2.6.39 to 3.8, also re-maps existing tables with it (map_low_page).",
     "Old scheme"},
    {"Xen PV",
     "A paravirtualised guest: the hypervisor owns the real page tables and checks "
     "every change. Its rules shaped the old scheme's hooks; the 3.9 redesign was "
     "made because the size estimate was fragile, and hpa's pull request adds that it "
     "greatly reduces the difference between Xen and native.",
     "Xen PV"},
    {"mask_rw_pte",
     "Xen PV, old scheme: the hook that writes a direct-map PTE read-only when "
     "it maps a page inside the pgt_buf window ([start, end) from 2.6.37, "
     "[start, top) after b9269dc7bfd).",
     "Xen PV"},
    {"can_use_brk_pgt",
     "3.9+: false while the chunk being mapped overlaps the unused part of "
     "the BRK buffer; its tables then come from memblock.",
     "New scheme"},
    {"hole",
     "Physical addresses with no e820 entry. pgtviz compresses long runs of them into "
     "one thin \"no memory\" row (not to scale).",
     ""},
};

const pgt_gloss *pgt_glossary(size_t *n)
{
	*n = sizeof(gloss) / sizeof(gloss[0]);
	return gloss;
}

char *pgt_glossary_markdown(void)
{
	size_t cap = 16384, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	const char *head =
	    "# Glossary\n\n"
	    "The words pgtviz uses on screen. The window shows this list when you press Shift+g;\n"
	    "this file is generated from the same table (`src/ui/narrate.c`) by\n"
	    "`scripts/make-docs-media.sh`, and a test fails when it is out of date.\n"
	    "The last column names the section of [kernel-model.md](kernel-model.md) that\n"
	    "gives the rule and its kernel sources.\n\n"
	    "| term | meaning | kernel-model.md |\n|---|---|---|\n";
	size_t n;
	const pgt_gloss *g = pgt_glossary(&n);
	size_t need = strlen(head) + 1;
	for (size_t i = 0; i < n; i++)
		need += strlen(g[i].term) + strlen(g[i].text) + strlen(g[i].section) + 16;
	if (need > cap) {
		char *ns = realloc(s, need);
		if (!ns) {
			free(s);
			return NULL;
		}
		s = ns;
		cap = need;
	}
	len += (size_t)snprintf(s + len, cap - len, "%s", head);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "| %s | %s | %s |\n", g[i].term,
		                        g[i].text, g[i].section);
	return s;
}
