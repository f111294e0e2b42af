/*
 * dmesg import, the last step: finish() turns what the line handler
 * collected (the importer state, dmesg_internal.h) into a pgt_dmesg.
 *
 *   - It picks the e820 map the kernel used (the firmware map, or a later
 *     user: / modified: map), refuses truncated maps and non-x86 logs, and
 *     copies the map, the edits printed before the mapping and the
 *     reservations (RAMDISK, setup_data, early_res, memblock=debug).
 *   - It settles every other scenario field from the log or from a
 *     documented default: kernel version (corrected when the log shows the
 *     other allocation scheme), i386 / PAE / HIGHMEM, Xen PV, CPU page
 *     sizes, BRK and KASLR, and the command line (mem=, memmap=, nogbpages,
 *     movable_node, reservelow=, crashkernel=).
 *   - Every choice is written to the provenance ("source") block by src():
 *     which log line a value came from, or which default was used.
 *
 * Also here: the public entry points, which run the pipeline
 * dm_check_bytes -> dm_split_text (dmesg_lines.c, calling dm_handle_line in
 * dmesg_parse.c) -> finish, and read a log from a file or stdin.
 */
#include "dmesg_internal.h"
#include "pgtviz/safe_out.h"
#include "pgtviz/scenario_json.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Provenance                                                               */
/* ------------------------------------------------------------------------ */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Records where the value of `key` came from (printf-style). */
static void src(importer *st, const char *key, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void src(importer *st, const char *key, const char *fmt, ...)
{
	pgt_dmesg *dm = st->out;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *copy = strdup(buf);
	char **strs = realloc(dm->strings, (dm->n_strings + 1) * sizeof(*strs));
	pgt_source_kv *kv = realloc(dm->source, (dm->n_source + 1) * sizeof(*kv));
	if (strs)
		dm->strings = strs;
	if (kv)
		dm->source = kv;
	if (!copy || !strs || !kv) {
		free(copy);
		st->oom = true;
		return;
	}
	dm->strings[dm->n_strings++] = copy;
	/* a key given twice (an option repeated on the command line): the last
	 * word wins, as the kernel's parsing would; one entry per key */
	for (size_t i = 0; i < dm->n_source; i++)
		if (strcmp(dm->source[i].key, key) == 0) {
			dm->source[i].value = copy;
			return;
		}
	dm->source[dm->n_source++] = (pgt_source_kv){key, copy};
}

void dm_src(importer *st, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	src(st, key, "%s", buf);
}

const char *pgt_dmesg_source(const pgt_dmesg *dm, const char *key)
{
	for (size_t i = 0; i < dm->n_source; i++)
		if (strcmp(dm->source[i].key, key) == 0)
			return dm->source[i].value;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Building the scenario                                                    */
/* ------------------------------------------------------------------------ */

/* The map the kernel used: the first firmware map (BIOS-e820 / Xen /
 * e801 / 88), replaced by a later user: or modified: map; -1 if none. */
static int base_group(const importer *st)
{
	int g = -1;
	for (size_t i = 0; i < st->groups.n; i++) {
		int label = dm_map_labels[st->groups.v[i].label].label;
		if (!dm_map_labels[st->groups.v[i].label].full)
			continue;
		if (label == MAP_USER || label == MAP_MODIFIED || g < 0)
			g = (int)i;
	}
	return g;
}

static uint64_t map_max_ram_pfn(const importer *st, const map_group *g)
{
	uint64_t m = 0;
	for (size_t i = g->first; i < g->first + g->n; i++)
		if (st->ents.v[i].type == PGT_E820_RAM && (st->ents.v[i].end >> 12) > m)
			m = st->ents.v[i].end >> 12;
	return m;
}

static bool check_map(importer *st, int gi)
{
	if (gi < 0) {
		if (st->map_header_line)
			pgt_diags_add(st->d, PGT_DIAG_ERROR, st->map_header_line, 1,
			              "e820 map header without entries (the paste stops here?)");
		else
			pgt_diags_add(
			    st->d, PGT_DIAG_ERROR, 1, 1,
			    "no e820 memory map in the log (expected 'BIOS-e820:', 'Xen:' "
			    "or 'user:' lines after 'BIOS-provided physical RAM map:')");
		return false;
	}
	const map_group *g = &st->groups.v[gi];
	if (st->open_group >= 0 && (size_t)st->open_group == st->groups.n - 1 &&
	    g->last_line == st->last_line) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, g->last_line, 1,
		              "e820 map truncated: the log ends inside the map (after %zu entries)",
		              g->n);
		return false;
	}
	uint64_t maxpfn = map_max_ram_pfn(st, g);
	if (!maxpfn) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, g->first_line, 1,
		              "the e820 map (lines %d-%d) has no usable RAM: nothing to map",
		              g->first_line, g->last_line);
		return false;
	}
	if (st->last_pfn_line && st->last_pfn > maxpfn && st->last_pfn_line > g->last_line) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, st->last_pfn_line, 1,
		              "e820 map truncated: 'last_pfn = 0x%llx' lies beyond the last usable "
		              "entry of the map (lines %d-%d), which ends at pfn 0x%llx",
		              (unsigned long long)st->last_pfn, g->first_line, g->last_line,
		              (unsigned long long)maxpfn);
		return false;
	}
	return true;
}

static void build_e820(importer *st, int gi)
{
	pgt_scenario *sc = &st->out->sc;
	const map_group *g = &st->groups.v[gi];
	/* x86-64 has 46 physical address bits (MAX_PHYSMEM_BITS): the kernel
	 * ignores memory beyond; so does the scenario, and says so */
	const uint64_t limit = 1ULL << 46;
	bool clipped = false;
	for (size_t i = g->first; i < g->first + g->n; i++) {
		uint64_t a = st->ents.v[i].start, b = st->ents.v[i].end;
		if (a >= limit || b > limit)
			clipped = true;
		if (a >= limit)
			continue;
		if (b > limit)
			b = limit;
		if (!pgt_scenario_add_e820(sc, a, b, st->ents.v[i].type))
			st->oom = true;
	}
	if (clipped)
		pgt_diags_add(st->d, PGT_DIAG_WARNING, g->first_line, 1,
		              "the e820 map (lines %d-%d) reaches beyond the 46-bit physical "
		              "address limit (64 TiB); the part above it is ignored",
		              g->first_line, g->last_line);
	const char *who = dm_map_labels[g->label].prefix;
	src(st, "e820", "log lines %d-%d (%.*s, %zu entries)%s", g->first_line, g->last_line,
	    (int)strlen(who) - 1, who, g->n,
	    g->label == MAP_USER ? "; the user-defined map (mem=/memmap=) replaces the firmware map"
	                         : "");
}

static void build_edits(importer *st, int gi)
{
	const map_group *g = &st->groups.v[gi];
	size_t used = 0, before = 0, after = 0;
	int first = 0, last = 0;
	for (size_t i = 0; i < st->edits.n; i++) {
		const edit_rec *r = &st->edits.v[i];
		if (r->line < g->first_line) {
			before++;
			continue;
		}
		if (st->mapping_line && r->line > st->mapping_line) {
			after++;
			continue;
		}
		if (!pgt_scenario_add_edit(&st->out->sc, r->e.start, r->e.end, r->e.from_type,
		                           r->e.to_type))
			st->oom = true;
		if (!first)
			first = r->line;
		last = r->line;
		used++;
	}
	if (st->low64k_line && (!st->mapping_line || st->low64k_line < st->mapping_line) &&
	    st->low64k_line >= g->first_line)
		src(st, "low64k",
		    "log line %d: BIOS low-RAM quirk: e820 [0, 64K) usable ==> reserved (no e820 "
		    "line printed for it)",
		    st->low64k_line);
	char extra[160] = "";
	if (before)
		snprintf(extra, sizeof(extra), "; %zu printed before the map used (already in it)",
		         before);
	if (after)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		         "; %zu printed after the mapping (ignored)", after);
	if (used)
		src(st, "edits",
		    "log lines %d-%d (%zu e820 update/remove lines, applied in order)%s", first,
		    last, used, extra);
	else
		src(st, "edits", "none in the log%s%s", extra,
		    st->debug_visible ? "" : " (they are KERN_DEBUG: this capture hides them)");
}

/* setup_data nodes: from "usable ==> usable" updates, else from the
 * extended map (pieces that split one usable entry alternate RAM /
 * setup_data; the odd pieces are taken as setup_data). */
static void build_setup_data(importer *st, int gi)
{
	size_t n = 0;
	int first = 0;
	for (size_t i = 0; i < st->edits.n; i++) {
		const edit_rec *r = &st->edits.v[i];
		if (!r->setup_data || (st->mapping_line && r->line > st->mapping_line))
			continue;
		dm_add_resv(st, r->e.start, r->e.end, PGT_RESV_SETUP_DATA, "setup_data", r->line);
		first = first ? first : r->line;
		n++;
	}
	if (n) {
		src(st, "setup_data",
		    "log line %d on (%zu 'e820: update ... usable ==> usable' lines)", first, n);
		return;
	}
	const map_group *ext = NULL, *base = &st->groups.v[gi];
	for (size_t i = 0; i < st->groups.n; i++)
		if (st->groups.v[i].label == MAP_SETUP_DATA)
			ext = &st->groups.v[i];
	if (!ext)
		return;
	for (size_t b = base->first; b < base->first + base->n; b++) {
		const ent *be = &st->ents.v[b];
		size_t k = 0;
		for (size_t x = ext->first; x < ext->first + ext->n; x++) {
			const ent *xe = &st->ents.v[x];
			if (be->type != PGT_E820_RAM || xe->start < be->start || xe->end > be->end)
				continue;
			if (k % 2 == 1 && xe->end != be->end) {
				dm_add_resv(st, xe->start, xe->end, PGT_RESV_SETUP_DATA,
				            "setup_data", ext->first_line);
				n++;
			}
			k++;
		}
	}
	src(st, "setup_data",
	    "log lines %d-%d (extended map: %zu pieces inside usable entries taken as setup_data; "
	    "the update lines that name them exactly are not in the log)",
	    ext->first_line, ext->last_line, n);
}

static void build_resv(importer *st, int gi)
{
	if (st->ramdisk_line) {
		dm_add_resv(st, st->rd_start, st->rd_end, PGT_RESV_INITRD, "RAMDISK",
		            st->ramdisk_line);
		src(st, "initrd", "log line %d: RAMDISK [0x%llx, 0x%llx)", st->ramdisk_line,
		    (unsigned long long)st->rd_start, (unsigned long long)st->rd_end);
	} else {
		src(st, "initrd", "no RAMDISK line: no initrd reservation");
	}
	build_setup_data(st, gi);
	for (size_t i = 0; i < st->memblock_dump.n; i++)
		VEC_PUSH(st, st->resv, st->memblock_dump.v[i]);
	if (st->memblock_dump.n)
		src(st, "memblock", "log line %d: memblock=debug dump, %zu reserved regions",
		    st->memblock_dump_line, st->memblock_dump.n);
	if (st->efi_regions)
		src(st, "efi_boot",
		    "log lines %d-%d: %zu EFI boot-services regions (type 3/4 of the EFI memory "
		    "map; "
		    "the simulator reserves those the kernel's checks allow, 3.0+)",
		    st->efi_first_line, st->efi_last_line, st->efi_regions);
	if (st->early_res_line)
		src(st, "early_res", "log line %d on: early reservations listed before 'PGTABLE'",
		    st->early_res_line);
	for (size_t i = 0; i < st->resv.n; i++) {
		const resv_rec *r = &st->resv.v[i];
		if (!pgt_scenario_add_resv(&st->out->sc, r->start, r->end, r->kind, r->label))
			st->oom = true;
	}
}

/* kver from "Linux version", corrected when the log shows the other
 * scheme (a 3.9 merge-window snapshot such as 3.8.0-06530-ge8d1955
 * already has the top-down code). */
static void build_kver(importer *st)
{
	pgt_dmesg *dm = st->out;
	if (!st->version_line) {
		src(st, "kver", "no 'Linux version' line: the scheme's default version is used");
		return;
	}
	snprintf(dm->kernel_release, sizeof(dm->kernel_release), "%s", st->release);
	dm->kver_line = st->version_line;
	uint32_t kv = pgt_kver_parse(st->release);
	uint32_t up = st->upstream[0] ? pgt_kver_parse(st->upstream) : 0;
	char from[96] = "";
	if (kv && up > kv && PGT_KVER_SAME_SERIES(up, kv)) { /* same major.minor */
		kv = up;
		snprintf(from, sizeof(from), " (upstream %s, named in the same line)",
		         st->upstream);
	}
	dm->kver_log = kv;
	if (!kv) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->version_line, 1,
		              "cannot read a version number from '%s'", st->release);
		src(st, "kver", "log line %d: Linux version %s (unreadable; default used)",
		    st->version_line, st->release);
		return;
	}
	char canon[32], msg[160];
	if (!pgt_kver_check(pgt_kver_format(kv, canon, sizeof(canon)), msg, sizeof(msg))) {
		/* the scenario written from this log must load again */
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->version_line, 1,
		              "Linux version %s: %s; the scheme's default version is used",
		              st->release, msg);
		src(st, "kver", "log line %d: Linux version %s (not modelled; default used)",
		    st->version_line, st->release);
		return;
	}
	dm->kver_known = true;
	dm->sc.kver = kv;
	int newline = st->brk_line ? st->brk_line : (st->first_imm_isa ? st->first_imm_line : 0);
	if (kv < PGT_KVER_TOPDOWN && newline) {
		dm->sc.kver = PGT_KVER_TOPDOWN;
		src(st, "kver",
		    "log line %d: Linux version %s, simulated as 3.9: log line %d shows the 3.9+ "
		    "top-down scheme (a development snapshot of the next release)",
		    st->version_line, st->release, newline);
	} else if (kv >= PGT_KVER_TOPDOWN && st->tables_line) {
		dm->sc.kver = PGT_KVER(3, 8, 13);
		src(st, "kver",
		    "log line %d: Linux version %s, simulated as 3.8.13: log line %d shows the "
		    "<= 3.8 pgt_buf scheme",
		    st->version_line, st->release, st->tables_line);
	} else {
		src(st, "kver", "log line %d: Linux version %s%s", st->version_line, st->release,
		    from);
	}
}

static void build_cpu(importer *st)
{
	pgt_scenario *sc = &st->out->sc;
	int g = st->gb_line ? st->gb_line : st->page1g_line;
	sc->cpu.gbpages = g != 0;
	if (g)
		src(st, "cpu.gbpages", "log line %d: %s", g,
		    st->gb_line ? "Using GB pages for direct mapping" : "a 'page 1G' range");
	else
		src(st, "cpu.gbpages",
		    "no 'Using GB pages for direct mapping' line: GB pages off (CPU without "
		    "pdpe1gb, nogbpages, or a kernel that never prints it)");
	bool all4k = st->range_lines && st->range4k_lines == st->range_lines && st->big4k_line;
	if (st->page2m_line || st->page1g_line) {
		sc->cpu.pse = true;
		src(st, "cpu.pse", "log line %d: a 'page %s' range",
		    st->page2m_line ? st->page2m_line : st->page1g_line,
		    st->page2m_line ? "2M" : "1G");
	} else if (all4k && sc->xen_pv) {
		sc->cpu.pse = false;
		src(st, "cpu.pse", "log line %d: every range is 'page 4k' (Xen PV: no large pages)",
		    st->big4k_line);
	} else if (all4k) {
		sc->cpu.pse = true;
		sc->cpu.debug_pagealloc = true;
		src(st, "cpu.debug_pagealloc",
		    "log line %d: a range that could use 2 MiB pages is mapped 'page 4k' and no "
		    "range "
		    "uses large pages: DEBUG_PAGEALLOC-style 4k-only mapping",
		    st->big4k_line);
	} else {
		sc->cpu.pse = !sc->xen_pv;
		src(st, "cpu.pse", "no page-size lines in the log: %s",
		    sc->xen_pv ? "assumed off (Xen PV guests map with 4k pages)"
		               : "assumed on (every x86-64 CPU has PSE)");
	}
}

static void build_arch(importer *st)
{
	pgt_dmesg *dm = st->out;
	dm->is_x86 = true;
	if (st->bits32_line || st->page4m_line) {
		pgt_scenario *sc = &dm->sc;
		dm->bits = 32;
		sc->bits = 32;
		src(st, "arch", "log line %d: %s: i386 (32-bit)",
		    st->bits32_line ? st->bits32_line : st->page4m_line,
		    st->bits32_line ? st->bits32_why : "a 'page 4M' range");
		if (st->nonpae_line || st->page4m_line) {
			sc->pae = false;
			src(st, "pae", "log line %d: %s",
			    st->nonpae_line ? st->nonpae_line : st->page4m_line,
			    st->nonpae_line ? st->nonpae_why : "a 'page 4M' range");
		} else if (st->pae_line) {
			sc->pae = true;
			src(st, "pae", "log line %d: %s", st->pae_line, st->pae_why);
		} else {
			sc->pae = true;
			src(st, "pae", "not in log; PAE assumed (distribution i386 kernels)");
		}
		sc->highmem = st->highmem_line != 0;
		if (st->highmem_line)
			src(st, "highmem", "log line %d: CONFIG_HIGHMEM (HIGHMEM available)",
			    st->highmem_line);
		else
			src(st, "highmem",
			    "no 'HIGHMEM available' line: no CONFIG_HIGHMEM assumed");
		if (st->lowmem_line) {
			sc->lowmem_end = st->lowmem_end;
			src(st, "lowmem_end", "log line %d: HighMem starts at 0x%llx",
			    st->lowmem_line, (unsigned long long)st->lowmem_end);
		} else {
			src(st, "lowmem_end", "not in log; the simulator's default (0x37bfe000)");
		}
		if (st->fixmap_line) {
			sc->fixmap_size = st->fixmap_size;
			src(st, "fixmap_size",
			    "log line %d: fixmap of 0x%llx bytes (%llu permanent slots)",
			    st->fixmap_line, (unsigned long long)st->fixmap_size,
			    (unsigned long long)(st->fixmap_size >> 12));
		} else {
			src(st, "fixmap_size", "not in log; the simulator's default (230 slots)");
		}
	} else if (st->bits64_line) {
		dm->bits = 64;
		src(st, "arch", "log line %d: %s: x86-64", st->bits64_line, st->bits64_why);
	} else {
		dm->bits = 64;
		src(st, "arch", "no 32-bit evidence (max_arch_pfn, HIGHMEM, i686): x86-64 assumed");
	}
}

static void build_xen(importer *st)
{
	pgt_scenario *sc = &st->out->sc;
	if (st->initial_line && st->initial_end && (st->initial_end & 0xfff)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->initial_line, 1,
		              "initial memory mapped up to 0x%llx is not page-aligned (a damaged "
		              "paste?); ignored, the default is used",
		              (unsigned long long)st->initial_end);
		st->initial_end = 0;
	}
	if (st->initial_line && st->initial_end) {
		sc->initial_mapped = st->initial_end;
		src(st, "initial_mapped", "log line %d: initial memory mapped up to 0x%llx",
		    st->initial_line, (unsigned long long)st->initial_end);
	}
	if (!st->xenpv_line) {
		src(st, "xen_pv", "no Xen PV evidence: native (or HVM) boot");
		return;
	}
	sc->xen_pv = true;
	src(st, "xen_pv", "log line %d: %s", st->xenpv_line, st->xenpv_why);
	/* What the line holds on x86-64 Xen PV (docs/kernel-model.md, "Xen PV"):
	 * from 2.6.39-rc1 max_pfn_mapped starts at __pa(mfn_list) (14988a4d350),
	 * the p2m list after the kernel, not the end of the builder's mapping;
	 * before it (2.6.31, the line's first release, to 2.6.38) the last page
	 * of the identity map, which xen_map_identity_early extends 8 MiB past
	 * the builder's with four spare PTE pages.  (i386 keeps the raw value:
	 * its model reads xen_mapped_end as the extended map's end.) */
	uint64_t v = st->initial_end, ident = v + 0x1000;
	bool x64 = sc->bits != 32 && sc->kver;
	if (st->initial_line && v && x64 && sc->kver >= PGT_KVER_RC(2, 6, 39, 1)) {
		src(st, "xen_mapped_end",
		    "not in log: line %d's initial memory mapped (0x%llx) is __pa(mfn_list) from "
		    "2.6.39-rc1, not the builder's end; default used (the simulator's Xen default)",
		    st->initial_line, (unsigned long long)v);
	} else if (st->initial_line && v && x64 && !(ident & 0x1fffff) &&
	           ident >= 0x400000 + 0x800000) {
		sc->xen_mapped_end = ident - 0x800000;
		src(st, "xen_mapped_end",
		    "log line %d: initial memory mapped up to 0x%llx, the identity map's last "
		    "page; "
		    "minus xen_map_identity_early's 8 MiB: 0x%llx",
		    st->initial_line, (unsigned long long)v,
		    (unsigned long long)sc->xen_mapped_end);
	} else if (st->initial_line && v) {
		sc->xen_mapped_end = v;
		src(st, "xen_mapped_end", "log line %d: initial memory mapped up to 0x%llx",
		    st->initial_line, (unsigned long long)v);
	} else {
		src(st, "xen_mapped_end", "not in log; default used (the simulator's Xen default)");
	}
}

static void build_brk(importer *st)
{
	pgt_scenario *sc = &st->out->sc;
	pgt_dmesg *dm = st->out;
	dm->brk_lines = st->brk_count;
	if (st->brk_line && (st->brk_base & 0xfff)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->brk_line, 1,
		              "BRK page 0x%llx is not page-aligned (a damaged paste?); ignored, "
		              "the default BRK base is used",
		              (unsigned long long)st->brk_base);
		st->brk_line = 0;
	}
	if (st->brk_line) {
		sc->brk_base = st->brk_base;
		src(st, "brk_base", "log line %d: first BRK page 0x%llx", st->brk_line,
		    (unsigned long long)st->brk_base);
	} else {
		src(st, "brk_base", "not in log; default used (after the kernel image)");
	}
	uint32_t kv = sc->kver;
	if (dm->bits == 32) {
		src(st, "kaslr_memory", "i386: CONFIG_RANDOMIZE_MEMORY is x86-64 only");
	} else if (kv >= PGT_KVER(4, 8, 0) && st->brk_count > 6) {
		sc->kaslr_memory = true;
		src(st, "kaslr_memory",
		    "log line %d: %d BRK pages, more than the 6 of a kernel without "
		    "CONFIG_RANDOMIZE_MEMORY",
		    st->brk_line, st->brk_count);
	} else if (kv >= PGT_KVER(4, 8, 0)) {
		sc->kaslr_memory = true;
		src(st, "kaslr_memory",
		    "not in log; assumed on (CONFIG_RANDOMIZE_MEMORY is the 4.8+ default of "
		    "distribution kernels)");
	}
	dm->brk_not_printed = st->brk_count == 0 && st->debug_visible && !sc->xen_pv &&
	                      kv >= PGT_KVER(4, 4, 0) && kv < PGT_KVER(5, 8, 0) && dm->bits != 32;
	if (dm->brk_not_printed)
		src(st, "brk_lines",
		    "no BRK lines although KERN_DEBUG lines are visible (log line %d): this %s "
		    "build "
		    "does not print them (stable backport of the 5.8 removal)",
		    st->debug_line, st->release);
	if (st->kernel_line) {
		sc->kernel_start = st->kernel_start;
		sc->kernel_end = st->kernel_end;
		src(st, "kernel_start", "log line %d: early reservation 'TEXT DATA BSS'",
		    st->kernel_line);
	} else {
		src(st, "kernel_start", "not in log; default used (kernel image at 16 MiB)");
	}
}

/* The kernel's memparse(): number (0x.. hex, 0.. octal, decimal) and an
 * optional K/M/G/T/P/E suffix.  Returns the end or NULL. */
static const char *memparse(const char *p, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 0);
	if (end == p || errno)
		return NULL;
	static const char units[] = "KMGTPE";
	const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
	int shift = u ? 10 * (int)(u - units + 1) : 0;
	if (shift)
		end++;
	if (shift && v > (UINT64_MAX >> shift))
		return NULL;
	*out = (uint64_t)v << shift;
	return end;
}

/* crashkernel=SIZE[@OFF] or crashkernel=RANGE:SIZE[,RANGE:SIZE...] */
static uint64_t crashkernel_size(const char *v, uint64_t ram)
{
	uint64_t size = 0;
	if (!strchr(v, ':')) {
		return memparse(v, &size) ? size : 0;
	}
	while (*v) {
		uint64_t lo, hi = UINT64_MAX, sz;
		const char *p = memparse(v, &lo);
		if (!p || *p != '-')
			return 0;
		p++;
		if (*p != ':' && !(p = memparse(p, &hi)))
			return 0;
		if (*p != ':' || !(p = memparse(p + 1, &sz)))
			return 0;
		if (ram >= lo && ram < hi)
			return sz;
		if (*p != ',')
			return 0;
		v = p + 1;
	}
	return 0;
}

static uint64_t usable_ram(const importer *st, int gi)
{
	const map_group *g = &st->groups.v[gi];
	uint64_t sum = 0;
	for (size_t i = g->first; i < g->first + g->n; i++)
		if (st->ents.v[i].type == PGT_E820_RAM)
			sum += st->ents.v[i].end - st->ents.v[i].start;
	return sum;
}

/* memmap=nn@ss (RAM), nn#ss (ACPI), nn$ss (reserved), nn!ss (PRAM). */
static void cmdline_memmap(importer *st, const char *v)
{
	if (st->user_header_line || strcmp(v, "exactmap") == 0)
		return; /* the user-defined map already shows the result */
	uint64_t size, at;
	const char *p = memparse(v, &size);
	if (!p || !*p)
		return;
	uint32_t type = *p == '@'   ? PGT_E820_RAM
	                : *p == '#' ? PGT_E820_ACPI
	                : *p == '$' ? PGT_E820_RESERVED
	                : *p == '!' ? PGT_E820_PRAM
	                            : 0;
	if (!type || !memparse(p + 1, &at) || at + size < at)
		return;
	if (!pgt_scenario_add_edit(&st->out->sc, at, at + size, 0, type))
		st->oom = true;
}

static void build_cmdline(importer *st, int gi)
{
	pgt_scenario *sc = &st->out->sc;
	if (!st->cmdline) {
		src(st, "cmdline",
		    "no command line in the log: no mem=, memmap=, nogbpages, "
		    "movable_node, reservelow=, crashkernel= assumed");
	} else {
		src(st, "cmdline", "log line %d: %s", st->cmdline_line,
		    st->cmdline_from_kernel_line ? "Kernel command line" : "Command line");
	}
	char *save = NULL;
	for (char *tok = st->cmdline ? strtok_r(st->cmdline, " \t", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		uint64_t v;
		if (dm_starts(tok, "mem=") && memparse(tok + 4, &v)) {
			sc->mem_limit = v;
			src(st, "mem_limit", "log line %d: %s", st->cmdline_line, tok);
		} else if (dm_starts(tok, "memmap=")) {
			char *s2 = NULL;
			for (char *m = strtok_r(tok + 7, ",", &s2); m; m = strtok_r(NULL, ",", &s2))
				cmdline_memmap(st, m);
			src(st, "memmap", "log line %d: %s%s", st->cmdline_line, tok,
			    st->user_header_line ? " (shown by the user-defined map)" : "");
		} else if (strcmp(tok, "nogbpages") == 0) {
			sc->nogbpages = true;
			src(st, "nogbpages", "log line %d: nogbpages", st->cmdline_line);
		} else if (strcmp(tok, "nokaslr") == 0) {
			sc->nokaslr = true;
			src(st, "nokaslr", "log line %d: nokaslr (no memory KASLR)",
			    st->cmdline_line);
		} else if (strcmp(tok, "movable_node") == 0) {
			sc->movable_node = true;
			src(st, "movable_node", "log line %d: movable_node", st->cmdline_line);
		} else if (dm_starts(tok, "reservelow=") && memparse(tok + 11, &v)) {
			sc->reservelow = v;
			src(st, "reservelow", "log line %d: %s", st->cmdline_line, tok);
		} else if (dm_starts(tok, "crashkernel=") && !st->crash_line) {
			sc->crashkernel = crashkernel_size(tok + 12, usable_ram(st, gi));
			src(st, "crashkernel", "log line %d: %s", st->cmdline_line, tok);
		}
	}
	if (st->crash_line) {
		sc->crashkernel = st->crash_size;
		src(st, "crashkernel", "log line %d: %llu MiB reserved for crashkernel",
		    st->crash_line, (unsigned long long)(st->crash_size >> 20));
	}
}

static void build_lines(importer *st)
{
	pgt_dmesg *dm = st->out;
	dm->lines = st->lines.v;
	dm->n_lines = st->lines.n;
	st->lines.v = NULL;
	st->lines.n = 0;
	dm->debug_visible = st->debug_visible;
	size_t cmp = 0;
	for (size_t i = 0; i < dm->n_lines; i++)
		cmp += pgt_dmesg_kind_compared(dm->lines[i].kind);
	if (dm->n_lines)
		src(st, "lines", "log lines %d-%d: %zu mapping lines (%zu compared by check)",
		    dm->lines[0].lineno, dm->lines[dm->n_lines - 1].lineno, dm->n_lines, cmp);
	else
		src(st, "lines", "the log prints none of the mapping lines");
	if (st->debug_visible)
		src(st, "loglevel", "log line %d: %s: KERN_DEBUG lines are visible", st->debug_line,
		    st->debug_why);
	else
		src(st, "loglevel",
		    "no KERN_DEBUG line in the log: a capture at the default "
		    "console level (only KERN_INFO lines are compared)");
}

static void build_names(importer *st)
{
	pgt_scenario *sc = &st->out->sc;
	char title[200];
	snprintf(title, sizeof(title), "Boot log of Linux %s",
	         st->version_line ? st->release : "(unknown version)");
	if (!pgt_scenario_set_str(&sc->name, "dmesg") || !pgt_scenario_set_str(&sc->title, title))
		st->oom = true;
	char desc[400];
	snprintf(desc, sizeof(desc),
	         "Imported from a boot log: %zu e820 entries, %zu edits, %zu reservations; the "
	         "'source' block says which log line each value came from.",
	         sc->n_e820, sc->n_edits, sc->n_resv);
	if (!pgt_scenario_set_str(&sc->description, desc))
		st->oom = true;
}

int pgt_dmesg_scheme_for(uint32_t kver, bool movable_node)
{
	int s = pgt_scheme_for_kver(kver);
	if (s == PGT_SCHEME_TOPDOWN && movable_node &&
	    pgt_scheme_accepts(PGT_SCHEME_BOTTOMUP, kver))
		return PGT_SCHEME_BOTTOMUP;
	return s;
}

/* Provenance keys of a reservation, by kind: the memblock dump when it
 * replaced every other source, else the line that gave that kind. */
static size_t resv_keys(const pgt_scenario *sc, size_t i, const char **keys)
{
	if (sc->resv_complete || i >= sc->n_resv) {
		keys[0] = "memblock";
		return 1;
	}
	switch (sc->resv[i].kind) {
	case PGT_RESV_KERNEL:
		keys[0] = "early_res";
		keys[1] = "kernel_start";
		return 2;
	case PGT_RESV_INITRD:
		keys[0] = "initrd";
		return 1;
	case PGT_RESV_EBDA:
		keys[0] = "low64k";
		keys[1] = "early_res";
		return 2;
	case PGT_RESV_SETUP_DATA:
		keys[0] = "setup_data";
		return 1;
	case PGT_RESV_CRASHKERNEL:
		keys[0] = "crashkernel";
		return 1;
	case PGT_RESV_EFI_BOOT:
		keys[0] = "efi_boot";
		return 1;
	default:
		keys[0] = "early_res";
		return 1;
	}
}

/* The log line behind a JSON path of the scenario ("/brk_base",
 * "/e820/3/end", "/cpu/pse", "/reservations/2/end"): the provenance entry
 * of its key, of the entry that holds it or of the key it derives from;
 * 0 when no log line is named. */
static int line_of_path(const pgt_dmesg *dm, const char *path)
{
	static const char *const alias[][2] = {
	    {"e820_edits", "edits"}, {"kernel_end", "kernel_start"}, {"mem", "mem_limit"},
	    {"kernel", "kver"},      {"cmdline", "cmdline"},         {"i386", "arch"},
	};
	char first[128], last[128], dotted[260];
	size_t n = strcspn(path + 1, "/");
	snprintf(first, sizeof(first), "%.*s", (int)n, path + 1);
	const char *tail = strrchr(path, '/');
	snprintf(last, sizeof(last), "%s", tail ? tail + 1 : path);
	snprintf(dotted, sizeof(dotted), "%s.%s", first, last);
	const char *keys[4 + sizeof(alias) / sizeof(alias[0])] = {dotted, last, first};
	size_t nk = 3;
	if (strcmp(first, "reservations") == 0)
		nk = resv_keys(&dm->sc, strtoul(path + n + 2, NULL, 10), keys);
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(alias[i][0], first) == 0 || strcmp(alias[i][0], last) == 0)
			keys[nk++] = alias[i][1];
	for (size_t i = 0; i < nk; i++) {
		const char *v = pgt_dmesg_source(dm, keys[i]);
		int line = 0;
		if (v &&
		    (sscanf(v, "log line %d", &line) == 1 || sscanf(v, "log lines %d", &line) == 1))
			return line;
	}
	return 0;
}

/* The importer's scenario must load as a file: it is checked with the
 * scenario reader's own rules (pgt_scenario_check), and each value the
 * reader would refuse is an error at the log line it came from. */
static void check_as_scenario(importer *st)
{
	pgt_dmesg *dm = st->out;
	pgt_diags rules;
	pgt_diags_init(&rules, "");
	if (!pgt_scenario_check(&dm->sc, dm->source, dm->n_source, &rules))
		for (size_t i = 0; i < rules.n; i++) {
			const char *m = rules.items[i].msg;
			char path[128];
			snprintf(path, sizeof(path), "%.*s", (int)strcspn(m, ": "), m);
			int line = path[0] == '/' ? line_of_path(dm, path) : 0;
			pgt_diags_add(st->d, PGT_DIAG_ERROR, line, line ? 1 : 0,
			              "the scenario made from this log would be refused: %s", m);
		}
	pgt_diags_free(&rules);
}

static bool finish(importer *st)
{
	pgt_dmesg *dm = st->out;
	if (st->interleave_line) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, st->interleave_line, 1,
		              "a second 'Linux version' line before the first boot's memory map "
		              "(the first is at line %d): the lines of two boots are interleaved, "
		              "or the first boot stops early; pgtviz cannot tell them apart: keep "
		              "the lines of one boot and import again",
		              st->version_line);
		return false;
	}
	if (st->second_boot_line && st->second_why == 2)
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->second_boot_line, 1,
		              "a second boot starts here (the firmware map again; the first is at "
		              "line %d); only the first boot, before this line, is imported",
		              st->map_header_line);
	else if (st->second_boot_line && st->second_why == 1)
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->second_boot_line, 1,
		              "a second boot starts here: the timestamps go back from %.6f (line "
		              "%d) to %.6f; only the first boot, before this line, is imported",
		              st->ts_back_from, st->ts_back_from_line, st->ts_back_to);
	else if (st->second_boot_line)
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->second_boot_line, 1,
		              "a second boot starts here ('Linux version' again; the first is at "
		              "line %d); only the first boot, before this line, is imported",
		              st->version_line);
	int gi = base_group(st);
	if (gi < 0 && st->arch_line) {
		pgt_diags_add(
		    st->d, PGT_DIAG_ERROR, st->arch_line, st->arch_col,
		    "not an x86 boot log: '%s' comes from %s %s kernel (pgtviz reproduces "
		    "x86 only)",
		    st->arch_why, strchr("AEIOU", st->arch_name[0]) ? "an" : "a", st->arch_name);
		return false;
	}
	if (!check_map(st, gi))
		return false;
	build_arch(st);
	build_kver(st);
	build_e820(st, gi);
	build_edits(st, gi);
	build_resv(st, gi);
	build_xen(st);
	build_cpu(st);
	build_brk(st);
	build_cmdline(st, gi);
	dm_memblock_build(st);
	build_lines(st);
	build_names(st);
	int s0 = pgt_dmesg_scheme_for(dm->sc.kver, dm->sc.movable_node);
	dm->sc.schemes[0] = s0;
	dm->sc.schemes[1] = s0 == PGT_SCHEME_PGTBUF ? PGT_SCHEME_TOPDOWN : PGT_SCHEME_PGTBUF;
	if (st->oom)
		pgt_diags_add(st->d, PGT_DIAG_ERROR, 0, 0, "out of memory");
	else if (st->d->errors == 0)
		check_as_scenario(st);
	return !st->oom && st->d->errors == 0;
}

/* ------------------------------------------------------------------------ */
/* Public entry points                                                      */
/* ------------------------------------------------------------------------ */

static void importer_free(importer *st)
{
	free(st->ents.v);
	free(st->groups.v);
	free(st->edits.v);
	free(st->resv.v);
	free(st->memblock_dump.v);
	for (size_t i = 0; i < st->lines.n; i++)
		free(st->lines.v[i].text);
	free(st->lines.v);
	free(st->cmdline);
	dm_memblock_free(st);
}

bool pgt_dmesg_import(const char *text, size_t len, pgt_dmesg *out, pgt_diags *d)
{
	memset(out, 0, sizeof(*out));
	size_t errors_before = d->errors;
	if (!dm_check_bytes(text, len, d))
		return false;
	importer st;
	memset(&st, 0, sizeof(st));
	st.out = out;
	st.d = d;
	st.open_group = -1;
	dm_split_text(&st, text, len);
	bool ok = finish(&st) && d->errors == errors_before;
	importer_free(&st);
	if (!ok)
		pgt_dmesg_free(out);
	return ok;
}

void pgt_dmesg_free(pgt_dmesg *dm)
{
	pgt_scenario_clear(&dm->sc);
	for (size_t i = 0; i < dm->n_lines; i++)
		free(dm->lines[i].text);
	free(dm->lines);
	for (size_t i = 0; i < dm->n_strings; i++)
		free(dm->strings[i]);
	free(dm->strings);
	free(dm->source);
	free(dm->pages);
	memset(dm, 0, sizeof(*dm));
}

bool pgt_dmesg_load_file(const char *path, pgt_dmesg *out, pgt_diags *d)
{
	memset(out, 0, sizeof(*out));
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? -1 : pgt_open_input(path);
	FILE *f = is_stdin ? stdin : fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		if (errno == ETIMEDOUT)
			pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0,
			              "cannot open: no process wrote to the FIFO within %d s",
			              PGT_FIFO_WAIT_MS / 1000);
		else
			pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct stat sb;
	if (!is_stdin && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size > PGT_DMESG_MAX_BYTES) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1,
		              "file is %llu bytes; logs larger than 64 MiB are rejected (keep only "
		              "the boot messages)",
		              (unsigned long long)sb.st_size);
		fclose(f);
		return false;
	}
	/* read at most PGT_DMESG_MAX_BYTES + 1 bytes: one more is enough to
	 * reject a pipe that is too long */
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf && n <= PGT_DMESG_MAX_BYTES) {
		if (n == cap) {
			size_t nc =
			    cap * 2 > PGT_DMESG_MAX_BYTES + 1 ? PGT_DMESG_MAX_BYTES + 1 : cap * 2;
			char *nb = realloc(buf, nc);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap = nc;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = errno;
	bool read_error = ferror(f) != 0;
	if (!is_stdin)
		fclose(f);
	if (!buf || read_error) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0, "%s%s",
		              buf ? "read error: " : "out of memory reading the file",
		              buf ? strerror(err) : "");
		free(buf);
		return false;
	}
	if (n > PGT_DMESG_MAX_BYTES) { /* a pipe: its real size is unknown */
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1,
		              "input is larger than 64 MiB; logs larger than 64 MiB are rejected "
		              "(keep only the boot messages)");
		free(buf);
		return false;
	}
	bool ok = pgt_dmesg_import(buf, n, out, d);
	free(buf);
	return ok;
}
