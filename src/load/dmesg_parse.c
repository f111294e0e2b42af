/*
 * dmesg import, layer 3: the line handler.  dm_handle_line() gets one
 * logical kernel line at a time from the splitter (dmesg_lines.c) and
 * recognises the few lines that matter:
 *
 *   - e820 map entries in every format the kernel has printed
 *     ("BIOS-e820: [mem 0x..-0x..] usable", "BIOS-e820: 0 - 9fc00 (usable)",
 *     "Xen:", "user:", "modified:", "reserve setup_data:", e801, 88) and
 *     the e820 update/remove lines;
 *   - "Linux version" (release, the distribution's upstream version, the
 *     second boot of a concatenated log), the command line, RAMDISK,
 *     last_pfn, the crashkernel reservation;
 *   - the mapping lines (init_memory_mapping, per-range lines, BRK, ...),
 *     the 2.6.2x early_res list and memblock=debug dumps;
 *   - evidence of Xen PV, of a 32-bit (PAE or not) kernel and of other
 *     architectures.
 *
 * Each is recorded in the importer state (dmesg_internal.h) with its line
 * number; nothing is decided here.  dmesg_build.c turns the state into the
 * scenario.  The small text helpers at the top are shared by all three
 * files.
 */
#include "dmesg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MIB ((uint64_t)1 << 20)
/* ------------------------------------------------------------------------ */
/* Small text helpers                                                       */
/* ------------------------------------------------------------------------ */

bool dm_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *dm_skip_sp(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses a hex number with optional "0x"; returns the end or NULL.  More
 * than 16 significant digits is an overflow (NULL). */
static const char *parse_hex(const char *p, uint64_t *out)
{
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hexval((unsigned char)p[2]) >= 0)
		p += 2;
	if (hexval((unsigned char)*p) < 0)
		return NULL;
	uint64_t v = 0;
	int sig = 0;
	for (; hexval((unsigned char)*p) >= 0; p++) {
		if (v || *p != '0')
			sig++;
		if (sig > 16)
			return NULL;
		v = (v << 4) | (uint64_t)hexval((unsigned char)*p);
	}
	*out = v;
	return p;
}

size_t dm_count_hex(const char *p)
{
	size_t n = 0;
	while (hexval((unsigned char)p[n]) >= 0)
		n++;
	return n;
}

/* Parses a decimal number; returns the end or NULL. */
static const char *parse_dec(const char *p, uint64_t *out)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	uint64_t v = 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return NULL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return p;
}

static void trim_right(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Copies at most size-1 bytes of s into buf, stopping at end of line. */
static void copy_clip(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != '\n' && n + 1 < size)
		n++;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* KERN_DEBUG lines: seeing one proves the capture shows debug messages. */
static bool kind_is_debug(int kind)
{
	return kind == PGT_DMESG_RANGE || kind == PGT_DMESG_TABLES || kind == PGT_DMESG_BRK ||
	       kind == PGT_DMESG_XEN_RW || kind == PGT_DMESG_INITIAL;
}

/* ------------------------------------------------------------------------ */
/* Importer state helpers                                                   */
/* ------------------------------------------------------------------------ */

const dm_map_label dm_map_labels[] = {
    {"BIOS-e820:", MAP_BIOS, true},
    {"Xen:", MAP_XEN, true},
    {"user:", MAP_USER, true},
    {"modified:", MAP_MODIFIED, true},
    {"reserve setup_data:", MAP_SETUP_DATA, false},
    {"BIOS-e801:", MAP_E801, true},
    {"BIOS-88:", MAP_88, true},
};

void *dm_vec_grow(void *v, size_t *cap, size_t elem)
{
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(v, nc * elem);
	if (p)
		*cap = nc;
	return p;
}

static void note_debug(importer *st, int line, const char *why)
{
	if (st->debug_visible)
		return;
	st->debug_visible = true;
	st->debug_line = line;
	copy_clip(st->debug_why, sizeof(st->debug_why), why);
}

static void evidence(int *line, char *why, size_t size, int at, const char *text)
{
	if (*line)
		return;
	*line = at;
	copy_clip(why, size, text);
}
#define EVIDENCE(st, field, at, text)                                                              \
	evidence(&(st)->field##_line, (st)->field##_why, sizeof((st)->field##_why), at, text)

/* ------------------------------------------------------------------------ */
/* e820 entries and edits                                                   */
/* ------------------------------------------------------------------------ */

/* Maps the kernel's printed type ("usable", "(ACPI NVS)", "type 20",
 * "persistent (type 12)") to the raw number. */
static bool parse_type(const char *s, uint32_t *type)
{
	char buf[64];
	s = dm_skip_sp(s);
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	static const struct {
		const char *name;
		uint32_t type;
	} names[] = {{"usable", PGT_E820_RAM},
	             {"reserved", PGT_E820_RESERVED},
	             {"ACPI data", PGT_E820_ACPI},
	             {"ACPI NVS", PGT_E820_NVS},
	             {"unusable", PGT_E820_UNUSABLE},
	             {"soft reserved", PGT_E820_SOFT_RESERVED},
	             {"reserved-kern", PGT_E820_RESERVED_KERN}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(buf, names[i].name) == 0) {
			*type = names[i].type;
			return true;
		}
	const char *t = strstr(buf, "type ");
	uint64_t v;
	if (t && (t == buf || dm_starts(buf, "persistent") || dm_starts(buf, "unknown")) &&
	    parse_dec(t + 5, &v) && v <= UINT32_MAX) {
		*type = (uint32_t)v;
		return true;
	}
	return false;
}

/* Parses "[mem 0xA-0xB]" (inclusive end) or "A - B" (exclusive end) at p;
 * returns the end or NULL; *bad is where parsing failed, *fault why. */
static const char *parse_range_why(const char *p, uint64_t *start, uint64_t *end, const char **bad,
                                   int *fault)
{
	uint64_t a, b;
	const char *q;
	*fault = RANGE_SYNTAX;
	if (dm_starts(p, "[mem ")) {
		q = parse_hex(p + 5, &a);
		if (!q || *q != '-') {
			*bad = q ? q : p + 5;
			return NULL;
		}
		const char *r = parse_hex(q + 1, &b);
		if (!r || *r != ']' || b < a || b == UINT64_MAX) {
			*bad = r ? r : q + 1;
			if (r && *r == ']')
				*fault = b < a ? RANGE_REVERSED : RANGE_WRAPS;
			return NULL;
		}
		*start = a;
		*end = b + 1;
		return r + 1;
	}
	q = parse_hex(p, &a);
	if (!q) {
		*bad = p;
		return NULL;
	}
	q = dm_skip_sp(q);
	if (*q != '-') {
		*bad = q;
		return NULL;
	}
	const char *r = parse_hex(dm_skip_sp(q + 1), &b);
	if (!r || b < a) {
		*bad = r ? r : dm_skip_sp(q + 1);
		if (r)
			*fault = RANGE_REVERSED;
		return NULL;
	}
	*start = a;
	*end = b;
	return r;
}

static const char *parse_range(const char *p, uint64_t *start, uint64_t *end, const char **bad)
{
	int fault;
	return parse_range_why(p, start, end, bad, &fault);
}

void dm_range_fault(importer *st, int sev, int lineno, int col, const char *what, const char *p,
                    const char *bad, int fault)
{
	int n = (int)(bad - p) + (*bad == ']');
	if (fault == RANGE_REVERSED)
		pgt_diags_add(st->d, sev, lineno, col, "%s '%.*s' ends before it starts%s", what, n,
		              p, sev == PGT_DIAG_WARNING ? "; ignored" : "");
	else
		pgt_diags_add(st->d, sev, lineno, col,
		              "%s '%.*s' ends at 0xffffffffffffffff, past the last address%s", what,
		              n, p, sev == PGT_DIAG_WARNING ? "; ignored" : "");
}

/* Index of the map label s starts with, or -1.  Only lines that really
 * look like entries count ("Xen: add ..." is a message, not an entry). */
int dm_entry_label(const char *s, const char **rest)
{
	for (size_t i = 0; i < sizeof(dm_map_labels) / sizeof(dm_map_labels[0]); i++) {
		if (!dm_starts(s, dm_map_labels[i].prefix))
			continue;
		const char *p = dm_skip_sp(s + strlen(dm_map_labels[i].prefix));
		size_t n = dm_count_hex(p);
		if (dm_starts(p, "[mem ") || (n >= 8 && dm_starts(dm_skip_sp(p + n), "-"))) {
			*rest = p;
			return (int)i;
		}
	}
	return -1;
}

static void close_group(importer *st)
{
	st->open_group = -1;
}

static void handle_entry(importer *st, int label, const char *line, const char *p, int lineno,
                         int col)
{
	uint64_t a, b;
	uint32_t type;
	const char *bad = p;
	int fault;
	const char *q = parse_range_why(p, &a, &b, &bad, &fault);
	if (!q && fault != RANGE_SYNTAX) {
		/* a well-formed entry with impossible values: the map goes on */
		dm_range_fault(st, PGT_DIAG_ERROR, lineno, col + (int)(p - line), "e820 entry", p,
		               bad, fault);
		return;
	}
	if (!q) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, lineno, col + (int)(bad - line),
		              "%s e820 entry: expected '[mem 0xSTART-0xEND] TYPE' or "
		              "'START - END (TYPE)'",
		              *bad ? "malformed" : "cut-short");
		close_group(st);
		return;
	}
	if (*dm_skip_sp(q) == '\0') {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, lineno, col + (int)(q - line),
		              "malformed e820 entry: the type is missing (line cut short?)");
		close_group(st);
		return;
	}
	if (!parse_type(q, &type)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col + (int)(dm_skip_sp(q) - line),
		              "unknown e820 type '%s'; treated as reserved", dm_skip_sp(q));
		type = PGT_E820_RESERVED;
	}
	if (st->open_group < 0 || st->groups.v[st->open_group].label != label) {
		map_group g = {label, lineno, lineno, st->ents.n, 0};
		VEC_PUSH(st, st->groups, g);
		if (st->oom)
			return;
		st->open_group = (int)st->groups.n - 1;
	}
	map_group *g = &st->groups.v[st->open_group];
	VEC_PUSH(st, st->ents, ((ent){a, b, type}));
	if (st->oom)
		return;
	g->n++;
	g->last_line = lineno;
}

/* "e820: update [mem A-B] usable ==> reserved", "e820: remove [mem A-B]
 * usable", "e820 update range: A - B (usable) ==> (reserved)",
 * "e820 remove range: A - B (usable)".  Returns true if it was one. */
static bool handle_edit(importer *st, const char *s, int lineno, int col)
{
	bool update;
	const char *p;
	if (dm_starts(s, "e820: update ") || dm_starts(s, "e820 update range: ")) {
		update = true;
		p = s + (s[4] == ':' ? 13 : 19);
	} else if (dm_starts(s, "e820: remove ") || dm_starts(s, "e820 remove range: ")) {
		update = false;
		p = s + (s[4] == ':' ? 13 : 19);
	} else {
		return false;
	}
	note_debug(st, lineno, "e820 update/remove lines (KERN_DEBUG)");
	uint64_t a, b;
	const char *bad = p;
	int fault;
	const char *q = parse_range_why(dm_skip_sp(p), &a, &b, &bad, &fault);
	if (!q && fault != RANGE_SYNTAX) {
		dm_range_fault(st, PGT_DIAG_WARNING, lineno, col + (int)(dm_skip_sp(p) - s),
		               update ? "e820 update" : "e820 remove", dm_skip_sp(p), bad, fault);
		return true;
	}
	if (!q) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col + (int)(bad - s),
		              "malformed e820 %s line ignored", update ? "update" : "remove");
		return true;
	}
	edit_rec r = {{a, b, 0, 0}, lineno, false};
	char from[48] = "", to[48] = "";
	const char *arrow = strstr(q, "==>");
	if (arrow) {
		size_t n = (size_t)(arrow - q);
		if (n >= sizeof(from))
			n = sizeof(from) - 1;
		memcpy(from, q, n);
		from[n] = '\0';
		trim_right(from);
		copy_clip(to, sizeof(to), arrow + 3);
	} else {
		copy_clip(from, sizeof(from), q);
	}
	uint32_t ft = 0, tt = 0;
	if (*dm_skip_sp(from) && !parse_type(from, &ft)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col,
		              "unknown e820 type '%s' in edit", dm_skip_sp(from));
		return true;
	}
	if (update && !parse_type(to, &tt)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col,
		              "malformed e820 update line ignored (no '==> TYPE')");
		return true;
	}
	r.e.from_type = ft;
	r.e.to_type = update ? tt : 0;
	if (update && ft == PGT_E820_RAM && tt == PGT_E820_RAM) {
		/* setup_data is marked E820_RESERVED_KERN, which prints "usable". */
		r.setup_data = true;
		r.e.to_type = PGT_E820_RESERVED_KERN;
	}
	if (st->edits.n) { /* e820_table and e820_table_kexec print the same line */
		const edit_rec *l = &st->edits.v[st->edits.n - 1];
		if (l->e.start == a && l->e.end == b && l->e.from_type == r.e.from_type &&
		    l->e.to_type == r.e.to_type)
			return true;
	}
	VEC_PUSH(st, st->edits, r);
	return true;
}

/* ------------------------------------------------------------------------ */
/* Other recognised lines                                                   */
/* ------------------------------------------------------------------------ */

void dm_add_resv(importer *st, uint64_t a, uint64_t b, int kind, const char *label, int line)
{
	resv_rec r = {a, b, kind, line, ""};
	copy_clip(r.label, sizeof(r.label), label);
	VEC_PUSH(st, st->resv, r);
}

/* Distribution kernels name the upstream stable release they are built
 * from: "... (Ubuntu 3.8.0-31.46~precise1-generic 3.8.13.8)" (last word) or
 * "#1 SMP Debian 4.19.98-1 (2020-01-26)".  Stable sublevels matter (e.g. the
 * BRK printk backports), and "3.8.0-31-generic" alone says 3.8.0. */
static void find_upstream(importer *st, const char *s)
{
	const char *u = NULL, *p = s, *q;
	while ((q = strstr(p, "(Ubuntu ")) != NULL) {
		u = q;
		p = q + 1;
	}
	size_t n = 0;
	if (u) {
		const char *close = strchr(u, ')');
		const char *end = close ? close : u + strlen(u);
		const char *w = end;
		while (w > u && w[-1] != ' ')
			w--;
		u = w;
		n = (size_t)(end - w);
	} else if ((u = strstr(s, " Debian ")) != NULL && isdigit((unsigned char)u[8])) {
		u += 8;
		n = strcspn(u, " ");
	}
	if (!u || !n || !isdigit((unsigned char)*u) || n >= sizeof(st->upstream))
		return;
	memcpy(st->upstream, u, n);
	st->upstream[n] = '\0';
}

static void handle_version(importer *st, const char *s, const char *v, int lineno, int col)
{
	if (st->version_line) {
		if (st->groups.n && !st->stopped) {
			st->stopped = true;
			st->second_boot_line = lineno;
		} else if (!st->groups.n && !st->interleave_line) {
			st->interleave_line = lineno;
		}
		return;
	}
	st->version_line = lineno;
	const char *r = dm_skip_sp(v + strlen("Linux version "));
	size_t n = strcspn(r, " \t");
	if (n >= sizeof(st->release))
		n = sizeof(st->release) - 1;
	memcpy(st->release, r, n);
	st->release[n] = '\0';
	find_upstream(st, s);
	if (strstr(s, "x86_64"))
		EVIDENCE(st, bits64, lineno, "'x86_64' in the Linux version line");
	if (strstr(s, "i686") || strstr(s, "i586") || strstr(s, "i386"))
		EVIDENCE(st, bits32, lineno, "'i386/i686' in the Linux version line");
	static const char *const foreign[] = {"aarch64", "arm-linux", "armv7", "arm64", "riscv",
	                                      "powerpc", "ppc64",     "mips",  "s390x"};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		const char *f = strstr(s, foreign[i]);
		if (f && !st->arch_line) {
			st->arch_line = lineno;
			st->arch_col = col + (int)(f - s);
			st->arch_name = foreign[i];
			copy_clip(st->arch_why, sizeof(st->arch_why), s);
		}
	}
}

static void handle_cmdline(importer *st, const char *s, bool kernel_line, int lineno)
{
	if (st->cmdline && (kernel_line || !st->cmdline_from_kernel_line))
		return; /* "Command line:" wins; the first of each kind is kept */
	char *c = strdup(dm_skip_sp(strchr(s, ':') + 1));
	if (!c) {
		st->oom = true;
		return;
	}
	free(st->cmdline);
	st->cmdline = c;
	st->cmdline_line = lineno;
	st->cmdline_from_kernel_line = kernel_line;
}

/* "RAMDISK: 35942000 - 36c99000" (page-aligned exclusive end) or
 * "RAMDISK: [mem 0x36104000-0x37079fff]" (inclusive end). */
static void handle_ramdisk(importer *st, const char *s, int lineno, int col)
{
	if (st->ramdisk_line)
		return;
	uint64_t a, b;
	const char *bad = s;
	if (!parse_range(dm_skip_sp(s + 8), &a, &b, &bad)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col + (int)(bad - s),
		              "malformed RAMDISK line ignored");
		return;
	}
	st->ramdisk_line = lineno;
	st->rd_start = a;
	st->rd_end = b;
}

/* "e820: last_pfn = 0x107000 max_arch_pfn = 0x400000000" (the first one is
 * max_pfn, computed from the map). */
static void handle_last_pfn(importer *st, const char *s, int lineno)
{
	const char *p = strstr(s, "last_pfn = ");
	uint64_t pfn, arch = 0;
	if (!p || !parse_hex(p + 11, &pfn))
		return;
	const char *q = strstr(p, "max_arch_pfn = ");
	if (q)
		parse_hex(q + 15, &arch);
	if (!st->last_pfn_line) {
		st->last_pfn_line = lineno;
		st->last_pfn = pfn;
		st->max_arch_pfn = arch;
	}
	if (arch == 0x100000 || arch == 0x1000000)
		EVIDENCE(st, bits32, lineno, "max_arch_pfn of a 32-bit kernel");
	if (arch == 0x1000000)
		EVIDENCE(st, pae, lineno, "max_arch_pfn 0x1000000 (36-bit PAE)");
	else if (arch == 0x100000)
		EVIDENCE(st, nonpae, lineno, "max_arch_pfn 0x100000 (32-bit, no PAE)");
	else if (arch >= 0x3ffffffffULL)
		EVIDENCE(st, bits64, lineno, "max_arch_pfn of a 64-bit kernel");
}

/* Per-range lines tell the page sizes the kernel allowed. */
static void note_range(importer *st, const char *t, int lineno)
{
	uint64_t a, b;
	const char *bad;
	const char *q = parse_range(t, &a, &b, &bad);
	const char *pg = strstr(t, " page ");
	if (!q || !pg)
		return;
	pg += 6;
	st->range_lines++;
	if (dm_starts(pg, "2M") && !st->page2m_line)
		st->page2m_line = lineno;
	if (dm_starts(pg, "1G") && !st->page1g_line)
		st->page1g_line = lineno;
	if (dm_starts(pg, "4M") && !st->page4m_line)
		st->page4m_line = lineno;
	if (dm_starts(pg, "4k")) {
		st->range4k_lines++;
		uint64_t first2m = (a + 2 * MIB - 1) & ~(2 * MIB - 1);
		if (first2m + 2 * MIB <= b && !st->big4k_line)
			st->big4k_line = lineno;
	}
}

static void store_line(importer *st, int kind, const char *t, int lineno)
{
	size_t n = strlen(t);
	char *copy = malloc(n + 2);
	if (!copy) {
		st->oom = true;
		return;
	}
	if (kind == PGT_DMESG_RANGE) { /* the kernel printed one leading space */
		copy[0] = ' ';
		memcpy(copy + 1, t, n + 1);
	} else {
		memcpy(copy, t, n + 1);
	}
	pgt_dmesg_line l = {copy, lineno, kind};
	VEC_PUSH(st, st->lines, l);
	if (st->oom)
		free(copy);
}

static void handle_mapping_line(importer *st, int kind, const char *t, int lineno)
{
	if (!st->mapping_line)
		st->mapping_line = lineno;
	if (kind_is_debug(kind))
		note_debug(st, lineno, "mapping lines printed at KERN_DEBUG");
	store_line(st, kind, t, lineno);
	uint64_t v;
	switch (kind) {
	case PGT_DMESG_IMM:
		if (!st->first_imm_line) {
			st->first_imm_line = lineno;
			st->first_imm_isa =
			    strcmp(t, "init_memory_mapping: [mem 0x00000000-0x000fffff]") == 0;
		}
		break;
	case PGT_DMESG_RANGE:
		note_range(st, t, lineno);
		break;
	case PGT_DMESG_BRK:
		st->brk_count++;
		if (!st->brk_line && parse_hex(t + 5, &v)) {
			st->brk_line = lineno;
			st->brk_base = v;
		}
		break;
	case PGT_DMESG_TABLES:
		if (!st->tables_line)
			st->tables_line = lineno;
		break;
	case PGT_DMESG_XEN_RW:
		EVIDENCE(st, xenpv, lineno, t);
		break;
	case PGT_DMESG_GBPAGES:
		if (!st->gb_line)
			st->gb_line = lineno;
		break;
	case PGT_DMESG_INITIAL:
		if (!st->initial_line) {
			const char *p = strchr(t, ':');
			const char *m = strstr(t, "[mem ");
			uint64_t a, b;
			const char *bad;
			st->initial_line = lineno;
			if (m && parse_range(m, &a, &b, &bad))
				st->initial_end = b; /* "[mem 0x00000000-0x1fffffff]" */
			else if (p && (p = strchr(p, '-')) && parse_hex(dm_skip_sp(p + 1), &v))
				st->initial_end = v; /* "initial memory mapped : 0 - 20000000" */
		}
		break;
	default:
		break;
	}
}

/* 2.6.2x bootmem: "  #3 [007e6cb000 - 007fff3e0b]          RAMDISK ==> [...]".
 * Entries listed before the first "PGTABLE" were reserved before mapping. */
static bool handle_early_res(importer *st, const char *t, int lineno)
{
	uint64_t idx, a, b;
	const char *p = t;
	if (*p != '#' || !(p = parse_dec(p + 1, &idx)) || !dm_starts(p, " ["))
		return false;
	const char *bad;
	const char *q = parse_range(p + 2, &a, &b, &bad);
	if (!q || *q != ']')
		return false;
	if (st->early_res_pgtable || st->early_res_lists > 1)
		return true; /* reserved after mapping, or another node's list */
	char name[32];
	copy_clip(name, sizeof(name), dm_skip_sp(q + 1));
	char *arrow = strstr(name, " ==>");
	if (arrow)
		*arrow = '\0';
	trim_right(name);
	if (strcmp(name, "PGTABLE") == 0) {
		st->early_res_pgtable = true;
		return true;
	}
	int kind = PGT_RESV_OTHER;
	if (strcmp(name, "TEXT DATA BSS") == 0) {
		kind = PGT_RESV_KERNEL;
		st->kernel_start = a;
		st->kernel_end = b;
		st->kernel_line = lineno;
	} else if (strcmp(name, "RAMDISK") == 0) {
		return true; /* the RAMDISK line already gave it */
	} else if (strstr(name, "BIOS") || strstr(name, "EBDA")) {
		kind = PGT_RESV_EBDA;
	} else if (strstr(name, "XEN")) {
		kind = PGT_RESV_XEN;
		EVIDENCE(st, xenpv, lineno, "early reservation 'XEN PAGETABLES'");
	}
	if (!st->early_res_line)
		st->early_res_line = lineno;
	dm_add_resv(st, a, b, kind, name, lineno);
	return true;
}

/* memblock=debug: " reserved[0x1]\t[0x00000001000000-0x00000006220fff], 0x5221000 bytes". */
static bool handle_memblock_dump(importer *st, const char *t, int lineno)
{
	if (strcmp(t, "MEMBLOCK configuration:") == 0) {
		if (!st->mapping_line) {
			st->in_memblock_dump = true;
			st->memblock_dump.n = 0;
			st->memblock_dump_line = lineno;
		}
		return true;
	}
	if (!st->in_memblock_dump)
		return false;
	if (!dm_starts(t, "reserved[0x") && !dm_starts(t, "memory") && !dm_starts(t, "reserved"))
		return false;
	if (dm_starts(t, "reserved[0x")) {
		const char *p = strchr(t, ']');
		uint64_t a, b;
		if (p && (p = strchr(p + 1, '[')) && (p = parse_hex(p + 1, &a)) && *p == '-' &&
		    (p = parse_hex(p + 1, &b)) && b >= a) {
			resv_rec r = {a, b + 1, PGT_RESV_OTHER, lineno, "memblock reserved"};
			VEC_PUSH(st, st->memblock_dump, r);
		}
	}
	return true;
}

/* "Reserving 128MB of memory at 752MB for crashkernel (System RAM: 1973MB)" */
static void handle_crashkernel(importer *st, const char *t, int lineno)
{
	uint64_t mb;
	if (!st->crash_line && parse_dec(t + 10, &mb) && mb < (UINT64_MAX >> 20)) {
		st->crash_line = lineno;
		st->crash_size = mb << 20;
	}
}

/* Xen PV, 32-bit and other-architecture evidence. */
/* Where lowmem ends, from the HighMem zone line: "HighMem  [mem
 * 0x37bfe000-0x7f6dffff]" (3.5+) or, in pfns, "HighMem  0x00038000 ->
 * 0x0007f7a0" (2.6.2x; "HighMem    empty" says nothing). */
static void handle_highmem_zone(importer *st, const char *t, int lineno)
{
	const char *m = strstr(t, "[mem ");
	uint64_t a, b;
	const char *bad;
	if (m && parse_range(m, &a, &b, &bad)) {
		st->lowmem_line = lineno;
		st->lowmem_end = a;
		return;
	}
	const char *p = dm_skip_sp(t + 8);
	if (!dm_starts(p, "0x"))
		return;
	const char *q = parse_hex(p + 2, &a);
	if (q && dm_starts(q, " -> ") && a && a < ((uint64_t)1 << 40)) {
		st->lowmem_line = lineno;
		st->lowmem_end = a << 12;
	}
}

/* "AMI BIOS detected: BIOS may corrupt low RAM, working it around." (2.6.28;
 * "working around it." from 2.6.29, and in distribution backports): the DMI
 * quirk turned e820 [0, 64K) from RAM to reserved.  The quirk prints no map;
 * one appears only if a later step prints the modified map. */
static void handle_low_ram_quirk(importer *st, const char *t, int lineno)
{
	if (!strstr(t, "BIOS may corrupt low RAM, working"))
		return;
	edit_rec r = {{0, 0x10000, PGT_E820_RAM, PGT_E820_RESERVED}, lineno, false};
	VEC_PUSH(st, st->edits, r);
	if (!st->low64k_line)
		st->low64k_line = lineno;
}

/* The EFI memory map as printed at boot ("EFI: mem07: type=4, attr=0xf,
 * range=[0x0000000001100000-0x000000000151a000) (4MB)"; "efi: " from 3.7,
 * printed by default until the map print became efi=debug only): the
 * boot-services code (3) and data (4) regions become candidate
 * reservations; the core decides which the kernel reserved. */
static void handle_efi_mem(importer *st, const char *t, int lineno)
{
	if (!(dm_starts(t, "efi: mem") || dm_starts(t, "EFI: mem")) || st->mapping_line)
		return;
	const char *p = strstr(t, ": type=");
	const char *r = strstr(t, "range=[0x");
	uint64_t type = 0, a, b;
	/* 4.x+ (efi=debug) names the type: "efi: mem19: [Boot Code   |...|UC]
	 * range=[0x...-0x...] (0MB)", with an inclusive end */
	const char *n = strstr(t, ": [Boot ");
	if (n && dm_starts(n + 8, "Code"))
		type = 3;
	else if (n && dm_starts(n + 8, "Data"))
		type = 4;
	else if (!p || !parse_dec(p + 7, &type))
		return;
	if (!r || (type != 3 && type != 4))
		return;
	const char *q = parse_hex(r + 9, &a);
	if (!q || !dm_starts(q, "-0x") || !(q = parse_hex(q + 3, &b)))
		return;
	if (*q == ']' && b < UINT64_MAX)
		b++;
	else if (*q != ')')
		return;
	if (b <= a)
		return;
	dm_add_resv(st, a, b, PGT_RESV_EFI_BOOT,
	            type == 3 ? "EFI boot services code" : "EFI boot services data", lineno);
	if (!st->efi_first_line)
		st->efi_first_line = lineno;
	st->efi_last_line = lineno;
	st->efi_regions++;
}

/* "fixmap  : 0xfff9e000 - 0xfffff000   ( 388 kB)" of the i386 "virtual
 * kernel memory layout": the permanent fixmap slots (FIXADDR_START up to
 * FIXADDR_TOP), which size the old scheme's fixmap tables from 2.6.29. */
static void handle_fixmap(importer *st, const char *t, int lineno)
{
	uint64_t a, b;
	if (!dm_starts(t, "fixmap  : 0x") || st->fixmap_line)
		return;
	const char *q = parse_hex(t + 12, &a);
	if (!q || !dm_starts(q, " - 0x") || !(q = parse_hex(q + 5, &b)) || b <= a ||
	    ((b - a) & 0xfff) || b - a > 0x1000000)
		return;
	st->fixmap_line = lineno;
	st->fixmap_size = b - a;
}

static void scan_evidence(importer *st, const char *t, int lineno, int col)
{
	if (dm_starts(t, "Booting paravirtualized kernel on Xen") && !strstr(t, "HVM") &&
	    !strstr(t, "PVH"))
		EVIDENCE(st, xenpv, lineno, t);
	else if (dm_starts(t, "Hypervisor detected: Xen PV") || dm_starts(t, "Xen PV:") ||
	         dm_starts(t, "Xen version: "))
		EVIDENCE(st, xenpv, lineno, t);
	if (strstr(t, "HIGHMEM available") || strstr(t, "LOWMEM available") ||
	    dm_starts(t, "HighMem "))
		EVIDENCE(st, bits32, lineno, "HIGHMEM/LOWMEM (32-bit only)");
	else if (strstr(t, "non-PAE kernel"))
		EVIDENCE(st, bits32, lineno, "a non-PAE (32-bit) kernel");
	/* i386 details: PAE or not, CONFIG_HIGHMEM, where lowmem ends */
	if (strstr(t, "non-PAE kernel"))
		EVIDENCE(st, nonpae, lineno, "NX cannot be enabled on a non-PAE kernel");
	else if (dm_starts(t, "NX (Execute Disable) protection: active"))
		EVIDENCE(st, pae, lineno, "NX protection active (needs PAE on i386)");
	if (strstr(t, "HIGHMEM available") && !st->highmem_line)
		st->highmem_line = lineno;
	if (dm_starts(t, "HighMem ") && !st->lowmem_line)
		handle_highmem_zone(st, t, lineno);
	if (dm_starts(t, "DMA32 "))
		EVIDENCE(st, bits64, lineno, "a DMA32 zone");
	else if (strstr(t, "ARCH=x86_64"))
		EVIDENCE(st, bits64, lineno, "'ARCH=x86_64' on the command line");
	static const struct {
		const char *prefix;
		const char *arch;
	} foreign[] = {{"Booting Linux on physical CPU", "ARM"},
	               {"Machine model: ", "device-tree (ARM, RISC-V, ...)"},
	               {"CPU: ARMv", "ARM"},
	               {"CPU: AArch64", "arm64"},
	               {"OF: fdt:", "device-tree (ARM, RISC-V, ...)"},
	               {"riscv: ", "RISC-V"},
	               {"SBI specification", "RISC-V"}};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (dm_starts(t, foreign[i].prefix) && !st->arch_line) {
			st->arch_line = lineno;
			st->arch_col = col;
			st->arch_name = foreign[i].arch;
			copy_clip(st->arch_why, sizeof(st->arch_why), t);
		}
}

/* Lines that are printed only after init_mem_mapping: e820 edits from then
 * on did not shape the direct mapping. */
static bool after_mapping_marker(const char *t)
{
	return dm_starts(t, "RAMDISK: ") || dm_starts(t, "Zone ranges:") ||
	       dm_starts(t, "Zone PFN ranges:") || dm_starts(t, "Kernel command line:") ||
	       dm_starts(t, "Memory: ") || dm_starts(t, "Initmem setup node");
}

void dm_note_time(importer *st, double secs, int lineno)
{
	if (st->ts_last_line && secs + 1.0 < st->ts_last && st->groups.n && !st->ts_back_line) {
		st->ts_back_line = lineno;
		st->ts_back_from = st->ts_last;
		st->ts_back_from_line = st->ts_last_line;
		st->ts_back_to = secs;
	}
	st->ts_last = secs;
	st->ts_last_line = lineno;
}

/* One logical kernel line.  `line` is the text (trailing blanks removed),
 * `lineno`/`col` locate its first byte, `level` is a printk level from a
 * prefix (-1: none). */
void dm_handle_line(importer *st, char *line, int lineno, int col, int level)
{
	trim_right(line);
	st->last_line = lineno;
	if (level == 7)
		note_debug(st, lineno, "a '<7>' (KERN_DEBUG) level prefix");
	if (st->ts_back_line && lineno >= st->ts_back_line && !st->stopped) {
		st->stopped = true;
		st->second_boot_line = st->ts_back_line;
		st->second_why = 1;
	}
	if (st->stopped)
		return;
	const char *t = dm_skip_sp(line);
	const char *v = strstr(t, "Linux version ");
	if (v) {
		handle_version(st, t, v, lineno, col + (int)(t - line));
		if (st->stopped)
			return;
	}
	dm_memblock_line(st, t, lineno, col + (int)(t - line));
	int kind = pgt_dmesg_classify(t);
	if (kind != PGT_DMESG_OTHER) {
		close_group(st);
		handle_mapping_line(st, kind, t, lineno);
		return;
	}
	const char *rest;
	int label = dm_entry_label(t, &rest);
	if (label >= 0) {
		handle_entry(st, label, line, rest, lineno, col);
		if (dm_map_labels[label].label == MAP_XEN)
			EVIDENCE(st, xenpv, lineno, "the e820 map is printed as 'Xen:' entries");
		return;
	}
	close_group(st);
	if (strstr(t, "BIOS-provided physical RAM map:") && st->map_header_line && st->groups.n) {
		st->stopped = true; /* a boot prints its firmware map once */
		st->second_boot_line = lineno;
		st->second_why = 2;
		return;
	}
	if (strstr(t, "BIOS-provided physical RAM map:") && !st->map_header_line)
		st->map_header_line = lineno;
	if (dm_starts(t, "user-defined physical RAM map:") && !st->user_header_line)
		st->user_header_line = lineno;
	if (dm_starts(t, "Command line: "))
		handle_cmdline(st, t, false, lineno);
	else if (dm_starts(t, "Kernel command line: "))
		handle_cmdline(st, t, true, lineno);
	if (handle_edit(st, t, lineno, col + (int)(t - line)))
		return;
	if (dm_starts(t, "RAMDISK: "))
		handle_ramdisk(st, t, lineno, col + (int)(t - line));
	if (strstr(t, "last_pfn = "))
		handle_last_pfn(st, t, lineno);
	if (dm_starts(t, "Reserving ") && strstr(t, "for crashkernel"))
		handle_crashkernel(st, t, lineno);
	if (dm_starts(t, "Base memory trampoline") ||
	    (dm_starts(t, "On node ") && strstr(t, "totalpages")))
		note_debug(st, lineno, "KERN_DEBUG boot messages");
	if (strstr(t, "early reservations) ==> bootmem"))
		st->early_res_lists++;
	if (handle_early_res(st, t, lineno) || handle_memblock_dump(st, t, lineno))
		return;
	st->in_memblock_dump = false;
	handle_low_ram_quirk(st, t, lineno);
	handle_efi_mem(st, t, lineno);
	handle_fixmap(st, t, lineno);
	scan_evidence(st, t, lineno, col + (int)(t - line));
	if (!st->mapping_line && after_mapping_marker(t))
		st->mapping_line = lineno;
}
