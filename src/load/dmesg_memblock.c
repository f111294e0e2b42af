/*
 * dmesg import: the lines a kernel booted with memblock=debug prints
 * (docs/dmesg-import.md, "memblock=debug logs").
 *
 * Such a log is the strongest witness pgtviz has: every memblock call is
 * printed with its caller, so the log shows
 *   - memblock.reserved as it was before the direct mapping was built: the
 *     first "MEMBLOCK configuration:" dump (printed by e820__memblock_setup)
 *     plus every memblock_reserve / memblock_phys_free line after it, up to
 *     the cut;
 *   - the BRK reservation (reserve_brk, inlined into setup_arch on 6.1: the
 *     last setup_arch/reserve_brk reservation before the first memblock_add
 *     line) and from it the kernel image (the dump region holding BRK);
 *   - every page-table page init_mem_mapping took from memblock, in order:
 *     "memblock_phys_alloc_range: 4096 bytes ... alloc_low_pages+..." and the
 *     "memblock_reserve: [A-B] ..." that follows it (5.x/6.x), or a
 *     memblock_reserve line whose caller is alloc_low_pages itself (older).
 *
 * The cut is the first line of the mapping phase: a memblock call made from
 * init_mem_mapping (the 2 MiB probe of the top-down scheme) or from
 * alloc_low_pages, or a line printed only after the mapping (ACPI's early
 * table scan, NUMA set-up, Zone ranges, RAMDISK).  Nothing after the cut
 * shapes the imported machine; the table pages after it are what `check`
 * compares.  A later dump (it already holds the table pages and NODE_DATA)
 * is ignored.
 */
#include "dmesg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses "[0xA-0xB]" at p (hex, inclusive end) into [a, b + 1); returns the
 * text after ']' or NULL.  A well-formed range with impossible values (end
 * below start, or at 2^64 - 1 so that the exclusive end wraps) is an error
 * at lineno that quotes it. */
static const char *bracket_range(importer *st, const char *p, uint64_t *a, uint64_t *b, int lineno,
                                 const char *line)
{
	char *e;
	if (*p != '[')
		return NULL;
	unsigned long long x = strtoull(p + 1, &e, 16);
	if (e == p + 1 || *e != '-')
		return NULL;
	const char *q = e + 1;
	unsigned long long y = strtoull(q, &e, 16);
	if (e == q || *e != ']')
		return NULL;
	if (y < x || y == UINT64_MAX) {
		dm_range_fault(st, PGT_DIAG_ERROR, lineno, st->mb.col + (int)(p - line),
		               "memblock range", p, e, y < x ? RANGE_REVERSED : RANGE_WRAPS);
		return NULL;
	}
	*a = x;
	*b = (uint64_t)y + 1;
	return e + 1;
}

/* Does the caller (the last word of a memblock line) name function fn? */
static bool caller_is(const char *t, const char *fn)
{
	const char *c = strrchr(t, ' ');
	c = c ? c + 1 : t;
	size_t n = strlen(fn);
	return strncmp(c, fn, n) == 0 && c[n] == '+';
}

static bool caller_is_table_alloc(const char *t)
{
	return caller_is(t, "alloc_low_pages") || caller_is(t, "alloc_low_page");
}

/* Removes [a, b) from the reservation state, splitting regions. */
static void state_remove(importer *st, uint64_t a, uint64_t b)
{
	dm_memblock *m = &st->mb;
	size_t n = m->state.n;
	for (size_t i = 0; i < n; i++) {
		resv_rec *r = &m->state.v[i];
		if (r->end <= a || r->start >= b)
			continue;
		resv_rec tail = *r;
		bool has_tail = r->end > b;
		tail.start = b;
		if (r->start < a) {
			r->end = a;
		} else {
			r->start = r->end; /* emptied; dropped when built */
		}
		if (has_tail)
			VEC_PUSH(st, m->state, tail);
	}
}

static void state_add(importer *st, uint64_t a, uint64_t b, int lineno)
{
	resv_rec r = {a, b, PGT_RESV_OTHER, lineno, "memblock reserved"};
	VEC_PUSH(st, st->mb.state, r);
}

/* Lines printed only once the direct mapping exists. */
static bool after_mapping(const char *t)
{
	return dm_starts(t, "ACPI: Early table checksum") || dm_starts(t, "ACPI: RSDP ") ||
	       dm_starts(t, "No NUMA configuration") || dm_starts(t, "NODE_DATA(") ||
	       dm_starts(t, "Zone ranges:") || dm_starts(t, "RAMDISK: [mem ") ||
	       dm_starts(t, "SRAT: ") || dm_starts(t, "Faking a node at");
}

/* The dump rows: " reserved[0x1]\t[0x...-0x...], 0x... bytes ...". */
static bool dump_row(importer *st, const char *t, int lineno)
{
	dm_memblock *m = &st->mb;
	if (dm_starts(t, "reserved[0x")) {
		const char *p = strchr(t, ']');
		uint64_t a, b;
		while (p && *p && *p != '[')
			p++;
		if (p && bracket_range(st, p, &a, &b, lineno, t))
			state_add(st, a, b, lineno);
		return true;
	}
	return dm_starts(t, "memory size = ") || dm_starts(t, "memory.cnt") ||
	       dm_starts(t, "memory[0x") || dm_starts(t, "reserved.cnt") ||
	       (m->in_dump && dm_starts(t, "reserved size"));
}

/* A memblock line before the cut: it edits the reservation state. */
static void before_cut(importer *st, const char *t, int lineno)
{
	dm_memblock *m = &st->mb;
	uint64_t a, b;
	if (strcmp(t, "MEMBLOCK configuration:") == 0) {
		m->state.n = 0;
		m->dump_line = lineno;
		m->in_dump = true;
		return;
	}
	if (m->in_dump && dump_row(st, t, lineno))
		return;
	m->in_dump = false;
	if (dm_starts(t, "DMI: ")) {
		m->dmi_seen = true;
		return;
	}
	if (dm_starts(t, "memblock_reserve: ") && bracket_range(st, t + 18, &a, &b, lineno, t)) {
		m->seen = true;
		if (m->dump_line)
			state_add(st, a, b, lineno);
		if (!m->add_seen && (caller_is(t, "setup_arch") || caller_is(t, "reserve_brk"))) {
			m->brk_line = lineno;
			m->brk_start = a;
			m->brk_end = b;
		}
	} else if ((dm_starts(t, "memblock_phys_free: ") &&
	            bracket_range(st, t + 20, &a, &b, lineno, t)) ||
	           (dm_starts(t, "memblock_free: ") &&
	            bracket_range(st, t + 15, &a, &b, lineno, t))) {
		m->seen = true;
		if (m->dump_line)
			state_remove(st, a, b);
	} else if (dm_starts(t, "memblock_add: ")) {
		m->seen = true;
		m->add_seen = true;
	}
}

/* A memblock line after the cut: table pages. */
static void after_cut(importer *st, const char *t, int lineno)
{
	dm_memblock *m = &st->mb;
	uint64_t a, b;
	if (dm_starts(t, "memblock_phys_alloc_range: ") ||
	    dm_starts(t, "memblock_alloc_range_nid: ") || dm_starts(t, "memblock_alloc_try_nid")) {
		m->want_page = caller_is_table_alloc(t);
		return;
	}
	if (!dm_starts(t, "memblock_reserve: ") || !bracket_range(st, t + 18, &a, &b, lineno, t))
		return;
	/* alloc_low_pages(n) takes n pages at once (i386's fixmap): one page
	 * each, from the lowest, as the kernel uses them */
	if (m->want_page || caller_is_table_alloc(t)) {
		for (uint64_t p = a; p < b && p - a < (uint64_t)64 << 12; p += 0x1000) {
			pgt_dmesg_page pg = {p, lineno};
			VEC_PUSH(st, m->pages, pg);
		}
	}
	m->want_page = false;
}

void dm_memblock_line(importer *st, const char *t, int lineno, int col)
{
	st->mb.col = col;
	dm_memblock *m = &st->mb;
	bool mb_line = dm_starts(t, "memblock_");
	if (!m->cut_line && m->seen &&
	    ((mb_line && (caller_is(t, "init_mem_mapping") || caller_is_table_alloc(t))) ||
	     after_mapping(t)))
		m->cut_line = lineno;
	if (!m->cut_line)
		before_cut(st, t, lineno);
	else if (dm_starts(t, "Zone ranges:"))
		m->pages_done =
		    true; /* i386's later pages (cpu_entry_area) are not the mapping's */
	else if (mb_line && !m->pages_done)
		after_cut(st, t, lineno);
}

/* Pages of the BRK page-table buffer this kernel reserved at link time:
 * INIT_PGT_BUF_SIZE, arch/x86/mm/init.c.  5.12+ with CONFIG_X86_5LEVEL and
 * CONFIG_RANDOMIZE_MEMORY (Debian's configuration, assumed): 4 x 4 pages. */
static uint32_t brk_pgt_pages(const pgt_scenario *sc)
{
	if (sc->brk_pages)
		return sc->brk_pages;
	if (sc->kver >= PGT_KVER(5, 12, 0) && sc->kaslr_memory)
		return 16;
	if (sc->kver >= PGT_KVER(4, 8, 0) && sc->kaslr_memory)
		return 12;
	return sc->kver >= PGT_KVER(3, 11, 0) ? 6 : 5;
}

/* i386: head_32's boot-time page tables (mk_early_pgtbl_32 on 6.1) are the
 * first pages of BRK, one PTE page per PMD_SIZE mapped from 0; DMI's
 * dmi_alloc takes the next bytes; early_alloc_pgt_buf then takes its 6 pages
 * (INIT_PGT_BUF_SIZE without CONFIG_RANDOMIZE_MEMORY) page-aligned, and
 * reserve_brk reserves the whole.  So the buffer is the last 6 pages of the
 * reservation and the pages before it, less one for DMI's bytes when the log
 * shows DMI, map [0, initial end) -- an inference checked on Debian's 6.1
 * 686 and 686-pae boots (docs/kernel-model.md, "i386"). */
static void brk_i386(importer *st)
{
	dm_memblock *m = &st->mb;
	pgt_scenario *sc = &st->out->sc;
	const uint32_t pages = sc->brk_pages ? sc->brk_pages : 6;
	uint64_t top = (m->brk_end + 0xfff) & ~(uint64_t)0xfff;
	uint64_t below = (top - m->brk_start) >> 12;
	if (below < pages + 1u + (m->dmi_seen ? 1u : 0u))
		return;
	sc->brk_pages = pages;
	sc->brk_base = top - ((uint64_t)pages << 12);
	sc->kernel_end = m->brk_start;
	uint64_t head = below - pages - (m->dmi_seen ? 1 : 0);
	sc->initial_mapped = head * (sc->pae ? 0x200000 : 0x400000);
	dm_src(st, "brk_base",
	       "log line %d: BRK reserved at [0x%llx, 0x%llx); its last %u pages are the "
	       "page-table buffer",
	       m->brk_line, (unsigned long long)m->brk_start, (unsigned long long)m->brk_end,
	       pages);
	dm_src(st, "initial_mapped",
	       "log line %d: the first %llu BRK pages%s are the boot-time PTE pages: [0, 0x%llx) "
	       "mapped",
	       m->brk_line, (unsigned long long)head,
	       m->dmi_seen ? " (before one page of DMI data)" : "",
	       (unsigned long long)sc->initial_mapped);
}

void dm_memblock_build(importer *st)
{
	dm_memblock *m = &st->mb;
	pgt_dmesg *dm = st->out;
	pgt_scenario *sc = &dm->sc;
	dm->pages = m->pages.v;
	dm->n_pages = m->pages.n;
	m->pages.v = NULL;
	m->pages.n = 0;
	dm->pages_shown = m->seen && m->cut_line && m->dump_line && sc->kver >= PGT_KVER_TOPDOWN;
	if (dm->n_pages)
		dm_src(st, "table_pages",
		       "log lines %d-%d: %zu page-table pages taken from memblock",
		       dm->pages[0].lineno, dm->pages[dm->n_pages - 1].lineno, dm->n_pages);
	/* the cut is defined for the 3.9+ scheme (init_mem_mapping); older logs
	 * keep the importer's other sources */
	if (!m->seen || !m->dump_line || (m->cut_line && m->dump_line > m->cut_line) ||
	    sc->kver < PGT_KVER_TOPDOWN)
		return;
	/* memblock.reserved before mapping replaces every other reservation,
	 * except the EFI boot-services candidates of an `efi: mem` map: the
	 * simulator reserves those itself, and skips them when the memblock
	 * lines already hold them (docs/kernel-model.md, "EFI boot services") */
	size_t keep = 0;
	for (size_t i = 0; i < sc->n_resv; i++)
		if (sc->resv[i].kind == PGT_RESV_EFI_BOOT)
			sc->resv[keep++] = sc->resv[i];
	sc->n_resv = keep;
	for (size_t i = 0; i < m->state.n; i++) {
		const resv_rec *r = &m->state.v[i];
		if (r->end > r->start &&
		    !pgt_scenario_add_resv(sc, r->start, r->end, PGT_RESV_OTHER, r->label))
			st->oom = true;
	}
	sc->resv_complete = true;
	dm_src(st, "memblock",
	       "log line %d: memblock=debug dump and the memblock lines after it, up to log line "
	       "%d where the mapping starts: %zu reserved regions",
	       m->dump_line, m->cut_line ? m->cut_line : st->last_line, sc->n_resv);
	/* i386 moves an initrd out of highmem after the mapping, before the
	 * pkmap page: the RAMDISK line (printed then) says where it was */
	if (dm->bits == 32 && st->ramdisk_line && st->rd_end > st->rd_start) {
		if (!pgt_scenario_add_resv(sc, st->rd_start, st->rd_end, PGT_RESV_INITRD,
		                           "RAMDISK"))
			st->oom = true;
		dm_src(st, "initrd",
		       "log line %d: RAMDISK [0x%llx, 0x%llx), where the boot loader put it",
		       st->ramdisk_line, (unsigned long long)st->rd_start,
		       (unsigned long long)st->rd_end);
	}
	if (!m->brk_line || sc->xen_pv)
		return;
	if (dm->bits == 32) {
		brk_i386(st);
		return;
	}
	/* reserve_brk reserves [_brk_start, _brk_end): the page-table buffer is
	 * the last part (early_alloc_pgt_buf runs just before reserve_brk) */
	uint32_t pages = brk_pgt_pages(sc);
	uint64_t top = (m->brk_end + 0xfff) & ~(uint64_t)0xfff;
	if (top - m->brk_start < (uint64_t)pages << 12)
		return;
	sc->brk_pages = pages;
	sc->brk_base = top - ((uint64_t)pages << 12);
	sc->kernel_end = m->brk_start;
	for (size_t i = 0; i < sc->n_resv; i++)
		if (sc->resv[i].start <= m->brk_start && sc->resv[i].end > m->brk_start &&
		    !(sc->resv[i].start & 0xfff))
			sc->kernel_start = sc->resv[i].start;
	dm_src(st, "brk_base",
	       "log line %d: BRK reserved at [0x%llx, 0x%llx); its last %u pages are the "
	       "page-table buffer",
	       m->brk_line, (unsigned long long)m->brk_start, (unsigned long long)m->brk_end,
	       pages);
	if (sc->kernel_start)
		dm_src(st, "kernel_start", "log line %d: the reserved region that holds BRK",
		       m->dump_line);
	/* _end: the end of the whole link-time BRK area.  The linker script's
	 * .brk is 64 KiB of slop plus every RESERVE_BRK: dmi_alloc (64 KiB) and
	 * the page-table buffer; Debian's 6.1 and 6.12 images have exactly that
	 * (.brk = 192 KiB in both), other 5.12+ builds are assumed alike */
	if (sc->kver >= PGT_KVER(5, 12, 0)) {
		uint64_t area = 0x20000 + ((uint64_t)pages << 12);
		sc->kernel_image_end = m->brk_start + area;
		dm_src(st, "kernel_image_end",
		       "assumed: _end %llu KiB above the BRK start (64 KiB slop, 64 KiB for DMI, "
		       "%u buffer pages; measured in Debian's 6.1 and 6.12 images)",
		       (unsigned long long)(area >> 10), pages);
	}
}

void dm_memblock_free(importer *st)
{
	free(st->mb.state.v);
	free(st->mb.pages.v);
}
