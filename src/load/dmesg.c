/*
 * dmesg import: a real boot log -> a pgt_scenario + the mapping lines the
 * kernel printed.
 *
 * The work is done in three layers, each a section below:
 *
 *   1. Input checks on the raw bytes: size cap, NUL bytes, UTF-8.
 *   2. A line splitter that turns physical lines into the logical kernel
 *      lines printk emitted.  It strips what pastes add around them (printk
 *      timestamps, "Oct  1 12:00:00 host kernel: " syslog prefixes, "<6>" and
 *      "kern  :info  : " level prefixes, ANSI colours, CR), splits lines that
 *      a paste glued together at a timestamp, re-joins lines that a mail
 *      client hard-wrapped (untimestamped text after a timestamped line), and
 *      skips the "# " header block of our test logs.
 *   3. A line handler that recognises the few kernel lines that matter
 *      (e820 maps and edits, version, command line, RAMDISK, the mapping
 *      lines, Xen / 32-bit / other-architecture evidence) and records them
 *      with their line numbers.  finish() then builds the scenario, applies
 *      the documented defaults and writes the provenance ("source") block.
 *
 * Nothing here simulates anything: the importer only reports what the log
 * says and which defaults it chose.  docs/dmesg-import.md lists every line
 * that is read.  All facts about kernel formats come from docs/KERNEL.md
 * (§0.3, §3.8, §5.9, §6.3).
 */
#include "pgtviz/dmesg.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MIB ((uint64_t)1 << 20)

/* ------------------------------------------------------------------------ */
/* Small text helpers                                                       */
/* ------------------------------------------------------------------------ */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_sp(const char *s)
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

static size_t count_hex(const char *p)
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

/* ------------------------------------------------------------------------ */
/* Kernel line kinds (public)                                               */
/* ------------------------------------------------------------------------ */

/* " 0000000000 - 00bfe00000 page 2M" (<= 3.4): two hex numbers, " - ". */
static bool old_range_line(const char *s)
{
	size_t n = count_hex(s);
	if (n < 8 || !starts(s + n, " - "))
		return false;
	const char *p = s + n + 3;
	size_t m = count_hex(p);
	return m >= 8 && starts(p + m, " page ");
}

int pgt_dmesg_classify(const char *text)
{
	const char *s = skip_sp(text);
	if (starts(s, "init_memory_mapping") && (s[19] == '\0' || s[19] == ':'))
		return PGT_DMESG_IMM;
	if (starts(s, "[mem 0x") && strstr(s, "] page "))
		return PGT_DMESG_RANGE;
	if (old_range_line(s))
		return PGT_DMESG_RANGE;
	if (starts(s, "kernel direct mapping tables up to "))
		return PGT_DMESG_TABLES;
	if (starts(s, "BRK [") && strstr(s, "] PGTABLE"))
		return PGT_DMESG_BRK;
	if (starts(s, "xen: setting RW the range "))
		return PGT_DMESG_XEN_RW;
	if (starts(s, "last_map_addr: "))
		return PGT_DMESG_LAST_MAP;
	if (starts(s, "initial memory mapped"))
		return PGT_DMESG_INITIAL;
	if (strcmp(s, "Using GB pages for direct mapping") == 0)
		return PGT_DMESG_GBPAGES;
	return PGT_DMESG_OTHER;
}

bool pgt_dmesg_kind_compared(int kind)
{
	switch (kind) {
	case PGT_DMESG_IMM:
	case PGT_DMESG_RANGE:
	case PGT_DMESG_TABLES:
	case PGT_DMESG_BRK:
	case PGT_DMESG_XEN_RW:
		return true;
	default:
		return false;
	}
}

const char *pgt_dmesg_kind_name(int kind)
{
	static const char *const names[PGT_DMESG_KIND_COUNT] = {
	    "other",  "init_memory_mapping", "range",   "tables", "brk",
	    "xen-rw", "last_map_addr",       "initial", "gbpages"};
	return (kind >= 0 && kind < PGT_DMESG_KIND_COUNT) ? names[kind] : "?";
}

const char *pgt_dmesg_source(const pgt_dmesg *dm, const char *key)
{
	for (size_t i = 0; i < dm->n_source; i++)
		if (strcmp(dm->source[i].key, key) == 0)
			return dm->source[i].value;
	return NULL;
}

/* KERN_DEBUG lines: seeing one proves the capture shows debug messages. */
static bool kind_is_debug(int kind)
{
	return kind == PGT_DMESG_RANGE || kind == PGT_DMESG_TABLES || kind == PGT_DMESG_BRK ||
	       kind == PGT_DMESG_XEN_RW || kind == PGT_DMESG_INITIAL;
}

/* ------------------------------------------------------------------------ */
/* Importer state                                                           */
/* ------------------------------------------------------------------------ */

enum map_label { MAP_BIOS, MAP_XEN, MAP_USER, MAP_MODIFIED, MAP_SETUP_DATA, MAP_E801, MAP_88 };

static const struct {
	const char *prefix; /* as printed before the entry */
	int label;          /* enum map_label */
	bool full;          /* a complete map the kernel may use */
} map_labels[] = {
    {"BIOS-e820:", MAP_BIOS, true},
    {"Xen:", MAP_XEN, true},
    {"user:", MAP_USER, true},
    {"modified:", MAP_MODIFIED, true},
    {"reserve setup_data:", MAP_SETUP_DATA, false},
    {"BIOS-e801:", MAP_E801, true},
    {"BIOS-88:", MAP_88, true},
};

typedef struct ent {
	uint64_t start, end; /* half-open */
	uint32_t type;       /* raw e820 type */
} ent;

/* One printed map: a run of consecutive entries with the same label. */
typedef struct map_group {
	int label; /* index into map_labels */
	int first_line, last_line;
	size_t first, n; /* entries ents[first .. first + n) */
} map_group;

typedef struct edit_rec {
	pgt_e820_edit e;
	int line;
	bool setup_data; /* "usable ==> usable": a setup_data node (RESERVED_KERN) */
} edit_rec;

typedef struct resv_rec {
	uint64_t start, end;
	int kind; /* enum pgt_resv_kind */
	int line;
	char label[32];
} resv_rec;

/* A growable array: data, count, capacity. */
#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}

/* Doubles the capacity of a vector's storage; NULL (storage kept) on failure. */
static void *vec_grow(void *v, size_t *cap, size_t elem)
{
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(v, nc * elem);
	if (p)
		*cap = nc;
	return p;
}
/* Appends item; on allocation failure sets st->oom and drops it. */
#define VEC_PUSH(st, vec, item)                                                                    \
	do {                                                                                       \
		if ((vec).n == (vec).cap) {                                                        \
			void *nv_ = vec_grow((vec).v, &(vec).cap, sizeof(*(vec).v));               \
			if (!nv_) {                                                                \
				(st)->oom = true;                                                  \
				break;                                                             \
			}                                                                          \
			(vec).v = nv_;                                                             \
		}                                                                                  \
		(vec).v[(vec).n++] = (item);                                                       \
	} while (0)

/* Everything the line handler collects; finish() turns it into a pgt_dmesg.
 * Every *_line field is a 1-based log line number, 0 = not seen. */
typedef struct importer {
	pgt_dmesg *out;       /* result being filled */
	pgt_diags *d;         /* where problems go */
	bool oom;             /* an allocation failed */
	bool stopped;         /* a second boot began: ignore the rest */
	int second_boot_line; /* its "Linux version" line */

	VEC(ent) ents;               /* every printed e820 entry, all maps */
	VEC(map_group) groups;       /* the printed maps (runs of entries) */
	VEC(edit_rec) edits;         /* e820 update/remove lines, in order */
	VEC(resv_rec) resv;          /* reservations found while reading */
	VEC(resv_rec) memblock_dump; /* reserved[] of the last MEMBLOCK dump */
	VEC(pgt_dmesg_line) lines;   /* the mapping lines (moved to out) */

	int open_group;       /* group extended by the next entry line, -1: none */
	int map_header_line;  /* "BIOS-provided physical RAM map:" */
	int user_header_line; /* "user-defined physical RAM map:" */
	int last_line;        /* last logical line seen */
	int mapping_line;     /* first line of the mapping phase */

	int version_line;              /* "Linux version" */
	char release[128];             /* its release string */
	char upstream[32];             /* distribution's upstream version, or "" */
	char *cmdline;                 /* "Command line:" (or "Kernel command line:") */
	int cmdline_line;              /* where it was */
	bool cmdline_from_kernel_line; /* it came from "Kernel command line:" */

	int ramdisk_line;                          /* first "RAMDISK:" */
	uint64_t rd_start, rd_end;                 /* its range, half-open */
	int brk_line;                              /* first "BRK [" */
	uint64_t brk_base;                         /* its first address */
	int brk_count;                             /* number of BRK lines */
	int gb_line;                               /* "Using GB pages for direct mapping" */
	int page2m_line, page1g_line, page4m_line; /* first range of that size */
	int big4k_line;                            /* first 4k range that could hold a 2M page */
	int range_lines;                           /* number of per-range lines */
	int range4k_lines;                         /* ... of them "page 4k" */
	int first_imm_line;                        /* first init_memory_mapping header */
	bool first_imm_isa;                        /* it maps [0, 1M): the 3.9+ scheme */
	int tables_line;      /* first "kernel direct mapping tables" (<= 3.8) */
	int initial_line;     /* "initial memory mapped" */
	uint64_t initial_end; /* its end, exclusive */

	int xenpv_line;                      /* first Xen PV evidence */
	char xenpv_why[96];                  /* what it was */
	int bits32_line, bits64_line;        /* first 32-/64-bit evidence */
	char bits32_why[96], bits64_why[96]; /* what it was */
	int arch_line, arch_col;             /* first non-x86 evidence (col 1-based) */
	char arch_why[96];                   /* the line */
	const char *arch_name;               /* the architecture it names */

	int last_pfn_line;                 /* first "last_pfn = " (max_pfn) */
	uint64_t last_pfn, max_arch_pfn;   /* its values */
	int crash_line;                    /* "Reserving NMB of memory at ... for crashkernel" */
	uint64_t crash_size;               /* its size in bytes */
	bool debug_visible;                /* a KERN_DEBUG line was seen */
	int debug_line;                    /* the first one */
	char debug_why[64];                /* what it was */
	bool early_res_pgtable;            /* the 2.6.2x early_res list reached "PGTABLE" */
	int early_res_lists;               /* "(N early reservations) ==> bootmem" lines */
	int early_res_line;                /* first early_res entry kept */
	uint64_t kernel_start, kernel_end; /* "TEXT DATA BSS" early reservation */
	int kernel_line;                   /* where it was */
	bool in_memblock_dump;             /* inside a "MEMBLOCK configuration:" dump */
	int memblock_dump_line;            /* the last dump's header */
	int pae_line, nonpae_line;         /* i386: PAE / non-PAE evidence */
	char pae_why[96], nonpae_why[96];  /* what it was */
	int highmem_line;                  /* "NMB HIGHMEM available" (CONFIG_HIGHMEM) */
	int lowmem_line;                   /* "  HighMem  [mem 0x37bfe000-...]" */
	uint64_t lowmem_end;               /* its start = end of lowmem */
} importer;

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
	dm->source[dm->n_source++] = (pgt_source_kv){key, copy};
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
	s = skip_sp(s);
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
	if (t && (t == buf || starts(buf, "persistent") || starts(buf, "unknown")) &&
	    parse_dec(t + 5, &v) && v <= UINT32_MAX) {
		*type = (uint32_t)v;
		return true;
	}
	return false;
}

/* Parses "[mem 0xA-0xB]" (inclusive end) or "A - B" (exclusive end) at p;
 * returns the end or NULL; *bad is where parsing failed. */
static const char *parse_range(const char *p, uint64_t *start, uint64_t *end, const char **bad)
{
	uint64_t a, b;
	const char *q;
	if (starts(p, "[mem ")) {
		q = parse_hex(p + 5, &a);
		if (!q || *q != '-') {
			*bad = q ? q : p + 5;
			return NULL;
		}
		const char *r = parse_hex(q + 1, &b);
		if (!r || *r != ']' || b < a || b == UINT64_MAX) {
			*bad = r ? r : q + 1;
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
	q = skip_sp(q);
	if (*q != '-') {
		*bad = q;
		return NULL;
	}
	const char *r = parse_hex(skip_sp(q + 1), &b);
	if (!r || b < a) {
		*bad = r ? r : skip_sp(q + 1);
		return NULL;
	}
	*start = a;
	*end = b;
	return r;
}

/* Index of the map label s starts with, or -1.  Only lines that really
 * look like entries count ("Xen: add ..." is a message, not an entry). */
static int entry_label(const char *s, const char **rest)
{
	for (size_t i = 0; i < sizeof(map_labels) / sizeof(map_labels[0]); i++) {
		if (!starts(s, map_labels[i].prefix))
			continue;
		const char *p = skip_sp(s + strlen(map_labels[i].prefix));
		size_t n = count_hex(p);
		if (starts(p, "[mem ") || (n >= 8 && starts(skip_sp(p + n), "-"))) {
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
	const char *q = parse_range(p, &a, &b, &bad);
	if (!q) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, lineno, col + (int)(bad - line),
		              "%s e820 entry: expected '[mem 0xSTART-0xEND] TYPE' or "
		              "'START - END (TYPE)'",
		              *bad ? "malformed" : "cut-short");
		close_group(st);
		return;
	}
	if (*skip_sp(q) == '\0') {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, lineno, col + (int)(q - line),
		              "malformed e820 entry: the type is missing (line cut short?)");
		close_group(st);
		return;
	}
	if (!parse_type(q, &type)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col + (int)(skip_sp(q) - line),
		              "unknown e820 type '%s'; treated as reserved", skip_sp(q));
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
	if (starts(s, "e820: update ") || starts(s, "e820 update range: ")) {
		update = true;
		p = s + (s[4] == ':' ? 13 : 19);
	} else if (starts(s, "e820: remove ") || starts(s, "e820 remove range: ")) {
		update = false;
		p = s + (s[4] == ':' ? 13 : 19);
	} else {
		return false;
	}
	note_debug(st, lineno, "e820 update/remove lines (KERN_DEBUG)");
	uint64_t a, b;
	const char *bad = p;
	const char *q = parse_range(skip_sp(p), &a, &b, &bad);
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
	if (*skip_sp(from) && !parse_type(from, &ft)) {
		pgt_diags_add(st->d, PGT_DIAG_WARNING, lineno, col,
		              "unknown e820 type '%s' in edit", skip_sp(from));
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

static void add_resv(importer *st, uint64_t a, uint64_t b, int kind, const char *label, int line)
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
		}
		return;
	}
	st->version_line = lineno;
	const char *r = skip_sp(v + strlen("Linux version "));
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
	char *c = strdup(skip_sp(strchr(s, ':') + 1));
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
	if (!parse_range(skip_sp(s + 8), &a, &b, &bad)) {
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
	if (starts(pg, "2M") && !st->page2m_line)
		st->page2m_line = lineno;
	if (starts(pg, "1G") && !st->page1g_line)
		st->page1g_line = lineno;
	if (starts(pg, "4M") && !st->page4m_line)
		st->page4m_line = lineno;
	if (starts(pg, "4k")) {
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
			else if (p && (p = strchr(p, '-')) && parse_hex(skip_sp(p + 1), &v))
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
	if (*p != '#' || !(p = parse_dec(p + 1, &idx)) || !starts(p, " ["))
		return false;
	const char *bad;
	const char *q = parse_range(p + 2, &a, &b, &bad);
	if (!q || *q != ']')
		return false;
	if (st->early_res_pgtable || st->early_res_lists > 1)
		return true; /* reserved after mapping, or another node's list */
	char name[32];
	copy_clip(name, sizeof(name), skip_sp(q + 1));
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
	add_resv(st, a, b, kind, name, lineno);
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
	if (!starts(t, "reserved[0x") && !starts(t, "memory") && !starts(t, "reserved"))
		return false;
	if (starts(t, "reserved[0x")) {
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
static void scan_evidence(importer *st, const char *t, int lineno, int col)
{
	if (starts(t, "Booting paravirtualized kernel on Xen") && !strstr(t, "HVM") &&
	    !strstr(t, "PVH"))
		EVIDENCE(st, xenpv, lineno, t);
	else if (starts(t, "Hypervisor detected: Xen PV") || starts(t, "Xen PV:") ||
	         starts(t, "Xen version: "))
		EVIDENCE(st, xenpv, lineno, t);
	if (strstr(t, "HIGHMEM available") || strstr(t, "LOWMEM available") ||
	    starts(t, "HighMem "))
		EVIDENCE(st, bits32, lineno, "HIGHMEM/LOWMEM (32-bit only)");
	else if (strstr(t, "non-PAE kernel"))
		EVIDENCE(st, bits32, lineno, "a non-PAE (32-bit) kernel");
	/* i386 details: PAE or not, CONFIG_HIGHMEM, where lowmem ends */
	if (strstr(t, "non-PAE kernel"))
		EVIDENCE(st, nonpae, lineno, "NX cannot be enabled on a non-PAE kernel");
	else if (starts(t, "NX (Execute Disable) protection: active"))
		EVIDENCE(st, pae, lineno, "NX protection active (needs PAE on i386)");
	if (strstr(t, "HIGHMEM available") && !st->highmem_line)
		st->highmem_line = lineno;
	if (starts(t, "HighMem ") && !st->lowmem_line) {
		const char *m = strstr(t, "[mem ");
		uint64_t a, b;
		const char *bad;
		if (m && parse_range(m, &a, &b, &bad)) {
			st->lowmem_line = lineno;
			st->lowmem_end = a;
		}
	}
	if (starts(t, "DMA32 "))
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
		if (starts(t, foreign[i].prefix) && !st->arch_line) {
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
	return starts(t, "RAMDISK: ") || starts(t, "Zone ranges:") ||
	       starts(t, "Zone PFN ranges:") || starts(t, "Kernel command line:") ||
	       starts(t, "Memory: ") || starts(t, "Initmem setup node");
}

/* One logical kernel line.  `line` is the text (trailing blanks removed),
 * `lineno`/`col` locate its first byte, `level` is a printk level from a
 * prefix (-1: none). */
static void handle_line(importer *st, char *line, int lineno, int col, int level)
{
	trim_right(line);
	st->last_line = lineno;
	if (level == 7)
		note_debug(st, lineno, "a '<7>' (KERN_DEBUG) level prefix");
	if (st->stopped)
		return;
	const char *t = skip_sp(line);
	const char *v = strstr(t, "Linux version ");
	if (v) {
		handle_version(st, t, v, lineno, col + (int)(t - line));
		if (st->stopped)
			return;
	}
	int kind = pgt_dmesg_classify(t);
	if (kind != PGT_DMESG_OTHER) {
		close_group(st);
		handle_mapping_line(st, kind, t, lineno);
		return;
	}
	const char *rest;
	int label = entry_label(t, &rest);
	if (label >= 0) {
		handle_entry(st, label, line, rest, lineno, col);
		if (map_labels[label].label == MAP_XEN)
			EVIDENCE(st, xenpv, lineno, "the e820 map is printed as 'Xen:' entries");
		return;
	}
	close_group(st);
	if (strstr(t, "BIOS-provided physical RAM map:") && !st->map_header_line)
		st->map_header_line = lineno;
	if (starts(t, "user-defined physical RAM map:") && !st->user_header_line)
		st->user_header_line = lineno;
	if (starts(t, "Command line: "))
		handle_cmdline(st, t, false, lineno);
	else if (starts(t, "Kernel command line: "))
		handle_cmdline(st, t, true, lineno);
	if (handle_edit(st, t, lineno, col + (int)(t - line)))
		return;
	if (starts(t, "RAMDISK: "))
		handle_ramdisk(st, t, lineno, col + (int)(t - line));
	if (strstr(t, "last_pfn = "))
		handle_last_pfn(st, t, lineno);
	if (starts(t, "Reserving ") && strstr(t, "for crashkernel"))
		handle_crashkernel(st, t, lineno);
	if (starts(t, "Base memory trampoline") ||
	    (starts(t, "On node ") && strstr(t, "totalpages")))
		note_debug(st, lineno, "KERN_DEBUG boot messages");
	if (strstr(t, "early reservations) ==> bootmem"))
		st->early_res_lists++;
	if (handle_early_res(st, t, lineno) || handle_memblock_dump(st, t, lineno))
		return;
	st->in_memblock_dump = false;
	scan_evidence(st, t, lineno, col + (int)(t - line));
	if (!st->mapping_line && after_mapping_marker(t))
		st->mapping_line = lineno;
}

/* ------------------------------------------------------------------------ */
/* Line splitting                                                           */
/* ------------------------------------------------------------------------ */

/* Length of a printk timestamp at p: "[    0.000000]", or dmesg -T's
 * "[Mon Jan  1 12:00:00 2024]"; 0 if none. */
static size_t ts_len(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return 0;
	const char *q = p + 1;
	while (q < end && *q == ' ')
		q++;
	const char *d = q;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	if (q > d && q < end && *q == '.') {
		const char *f = ++q;
		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q - f >= 3 && q - f <= 9 && q < end && *q == ']')
			return (size_t)(q + 1 - p);
		return 0;
	}
	/* dmesg -T: "[Www Mmm dd hh:mm:ss yyyy]" (24 characters inside) */
	if (end - p >= 26 && p[25] == ']' && isupper((unsigned char)p[1]) && p[4] == ' ' &&
	    p[8] == ' ' && p[14] == ':' && p[17] == ':' && p[20] == ' ' &&
	    isdigit((unsigned char)p[21]) && isdigit((unsigned char)p[24]))
		return 26;
	return 0;
}

/* Optional printk caller id after the timestamp: "[    T1]", "[  C12]". */
static size_t caller_len(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return 0;
	const char *q = p + 1;
	while (q < end && *q == ' ')
		q++;
	if (q >= end || (*q != 'T' && *q != 'C'))
		return 0;
	const char *d = ++q;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	return (q > d && q < end && *q == ']') ? (size_t)(q + 1 - p) : 0;
}

static const char *find_ts(const char *p, const char *end, size_t *len)
{
	for (; p < end; p++) {
		p = memchr(p, '[', (size_t)(end - p));
		if (!p)
			return NULL;
		size_t n = ts_len(p, end);
		if (n) {
			*len = n;
			return p;
		}
	}
	return NULL;
}

/* "<6>" at p: returns the level, advances *p. */
static int level_prefix(const char **p, const char *end)
{
	const char *s = *p;
	if (end - s >= 3 && s[0] == '<' && isdigit((unsigned char)s[1]) && s[2] == '>') {
		*p = s + 3;
		return s[1] - '0';
	}
	return -1;
}

/* "Oct  1 12:00:00 host kernel: " or "2023-10-01T12:00:00+00:00 host kernel: "
 * (syslog, kern.log, journalctl); returns the length or 0. */
static size_t syslog_prefix(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	bool date = false;
	if (end - p >= 4) {
		for (int m = 0; m < 12 && !date; m++)
			date = memcmp(p, months + 3 * m, 3) == 0 && p[3] == ' ';
		date = date || (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
		                isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		                end - p > 4 && p[4] == '-');
	}
	if (!date)
		return 0;
	size_t lim = (size_t)(end - p) < 120 ? (size_t)(end - p) : 120;
	for (size_t i = 0; i + 8 <= lim; i++)
		if (memcmp(p + i, "kernel: ", 8) == 0)
			return i + 8;
	return 0;
}

/* "kern  :info  : " (dmesg -x); returns the length, sets *level. */
static size_t dmesg_x_prefix(const char *p, const char *end, int *level)
{
	static const char *const lv[] = {"emerg", "alert",  "crit", "err",
	                                 "warn",  "notice", "info", "debug"};
	const char *c = memchr(p, ':', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
	if (!c || c == p || !islower((unsigned char)*p))
		return 0;
	const char *q = c + 1;
	for (int i = 0; i < 8; i++) {
		size_t n = strlen(lv[i]);
		if ((size_t)(end - q) > n && memcmp(q, lv[i], n) == 0) {
			const char *r = q + n;
			while (r < end && *r == ' ')
				r++;
			if (r < end && *r == ':' && r + 1 < end && r[1] == ' ') {
				*level = i;
				return (size_t)(r + 2 - p);
			}
		}
	}
	return 0;
}

/* The logical line being assembled (hard-wrapped pieces are appended). */
typedef struct pending {
	char *buf;
	size_t n, cap;
	int lineno, col, level;
	bool active;
	size_t phys_len; /* length of the last physical line it came from */
} pending;

static bool pend_append(pending *pd, const char *s, size_t n)
{
	if (pd->n + n + 1 > pd->cap) {
		size_t nc = pd->cap ? pd->cap : 256;
		while (nc < pd->n + n + 1)
			nc *= 2;
		char *b = realloc(pd->buf, nc);
		if (!b)
			return false;
		pd->buf = b;
		pd->cap = nc;
	}
	memcpy(pd->buf + pd->n, s, n);
	pd->n += n;
	pd->buf[pd->n] = '\0';
	return true;
}

static void pend_flush(importer *st, pending *pd)
{
	if (pd->active && pd->n)
		handle_line(st, pd->buf, pd->lineno, pd->col, pd->level);
	pd->active = false;
	pd->n = 0;
}

static void pend_start(importer *st, pending *pd, const char *s, size_t n, int lineno, int col,
                       int level, size_t phys_len)
{
	pend_flush(st, pd);
	pd->active = true;
	pd->lineno = lineno;
	pd->col = col;
	pd->level = level;
	pd->phys_len = phys_len;
	if (!pend_append(pd, s, n))
		st->oom = true;
}

/* May an untimestamped line be the wrapped tail of the pending line?  Only
 * long lines wrap, and never the structured lines we parse. */
static bool joinable(const pending *pd)
{
	if (!pd->active || pd->phys_len < 60)
		return false;
	const char *t = skip_sp(pd->buf);
	const char *rest;
	return pgt_dmesg_classify(t) == PGT_DMESG_OTHER && entry_label(t, &rest) < 0 &&
	       !starts(t, "e820") && !starts(t, "RAMDISK");
}

/* Splits one physical line [b, e) into kernel lines. */
static void split_line(importer *st, pending *pd, const char *b, const char *e, int lineno,
                       bool *ts_mode)
{
	size_t tl;
	const char *ts = find_ts(b, e, &tl);
	if (!ts) {
		int level = -1;
		const char *p = b;
		size_t n = syslog_prefix(p, e);
		bool prefixed = n > 0;
		p += n;
		n = dmesg_x_prefix(p, e, &level);
		prefixed = prefixed || n > 0;
		p += n;
		int l2 = level_prefix(&p, e);
		if (l2 >= 0) {
			level = l2;
			prefixed = true;
		}
		if (*ts_mode && !prefixed && joinable(pd)) {
			while (p < e && *p == ' ')
				p++;
			if (!pend_append(pd, " ", 1) || !pend_append(pd, p, (size_t)(e - p)))
				st->oom = true;
			pd->phys_len = (size_t)(e - b);
			return;
		}
		pend_start(st, pd, p, (size_t)(e - p), lineno, (int)(p - b) + 1, level,
		           (size_t)(e - b));
		return;
	}
	*ts_mode = true;
	int level = -1;
	if (ts - b >= 3 && ts[-3] == '<' && ts[-1] == '>' && isdigit((unsigned char)ts[-2]))
		level = ts[-2] - '0';
	else if (dmesg_x_prefix(b, e, &level) == 0)
		level = -1;
	while (ts) {
		const char *p = ts + tl;
		p += caller_len(p, e);
		if (p < e && *p == ' ')
			p++;
		int l2 = level_prefix(&p, e);
		if (l2 >= 0)
			level = l2;
		size_t nl;
		const char *next = find_ts(p, e, &nl);
		const char *stop = next ? next : e;
		pend_start(st, pd, p, (size_t)(stop - p), lineno, (int)(p - b) + 1, level,
		           (size_t)(e - b));
		ts = next;
		tl = nl;
		level = -1;
	}
}

/* Copies [b, e) into *scratch without ANSI colour sequences (ESC [ ...
 * letter) and with no-break spaces (U+00A0, added by forum software) turned
 * into spaces; returns the new end.  Lines without either are used as is. */
static const char *clean_line(const char **b, const char *e, char **scratch, size_t *cap, bool *oom)
{
	if (!memchr(*b, '\x1b', (size_t)(e - *b)) && !memchr(*b, '\xc2', (size_t)(e - *b)))
		return e;
	size_t n = (size_t)(e - *b);
	if (n + 1 > *cap) {
		char *nb = realloc(*scratch, n + 1);
		if (!nb) {
			*oom = true;
			return e;
		}
		*scratch = nb;
		*cap = n + 1;
	}
	const char *s = *b;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\x1b' && i + 1 < n && s[i + 1] == '[') {
			for (i += 2; i < n && !isalpha((unsigned char)s[i]);)
				i++;
			continue;
		}
		if (s[i] == '\xc2' && i + 1 < n && s[i + 1] == '\xa0') {
			(*scratch)[k++] = ' ';
			i++;
			continue;
		}
		(*scratch)[k++] = s[i];
	}
	*b = *scratch;
	return *scratch + k;
}

/* Feeds every physical line of the text to the splitter. */
static void split_text(importer *st, const char *text, size_t len)
{
	pending pd = {0};
	char *scratch = NULL; /* a cleaned copy of the current line */
	size_t scratch_cap = 0;
	bool ts_mode = false, header = true;
	const char *p = text, *end = text + len;
	int lineno = 0;
	while (p < end && !st->oom) {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		lineno++;
		bool blank = true;
		for (const char *q = p; q < e && blank; q++)
			blank = (*q == ' ' || *q == '\t');
		if (header && e > p && *p == '#') {
			/* the "# " header block of our test logs */
		} else if (blank) {
			pend_flush(st, &pd);
		} else {
			header = false;
			const char *cb = p;
			const char *ce = clean_line(&cb, e, &scratch, &scratch_cap, &st->oom);
			split_line(st, &pd, cb, ce, lineno, &ts_mode);
		}
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		p = e + 1;
	}
	pend_flush(st, &pd);
	free(pd.buf);
	free(scratch);
}

/* ------------------------------------------------------------------------ */
/* Input checks                                                             */
/* ------------------------------------------------------------------------ */

/* Length of a valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	unsigned v = c & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3fu);
	}
	return (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) ? 0 : n;
}

static bool check_bytes(const char *text, size_t len, pgt_diags *d)
{
	if (len == 0) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1, "empty file");
		return false;
	}
	if (len > PGT_DMESG_MAX_BYTES) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1,
		              "file is %zu bytes; logs larger than 64 MiB are rejected (keep only "
		              "the boot messages)",
		              len);
		return false;
	}
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	int line = 1, col = 1;
	bool any_text = false;
	while (p < end) {
		if (*p == 0) {
			pgt_diags_add(d, PGT_DIAG_ERROR, line, col,
			              "binary data: NUL byte at offset %zu (not a text log)",
			              (size_t)(p - (const unsigned char *)text));
			return false;
		}
		size_t n = utf8_len(p, end);
		if (n == 0) {
			pgt_diags_add(d, PGT_DIAG_ERROR, line, col,
			              "not UTF-8 text: invalid byte 0x%02x", (unsigned)*p);
			return false;
		}
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		any_text = any_text || !isspace(*p);
		p += n;
	}
	if (!any_text) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 1, 1, "file has no text (only blank lines)");
		return false;
	}
	return true;
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
		int label = map_labels[st->groups.v[i].label].label;
		if (!map_labels[st->groups.v[i].label].full)
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
	for (size_t i = g->first; i < g->first + g->n; i++)
		if (!pgt_scenario_add_e820(sc, st->ents.v[i].start, st->ents.v[i].end,
		                           st->ents.v[i].type))
			st->oom = true;
	const char *who = map_labels[g->label].prefix;
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
		add_resv(st, r->e.start, r->e.end, PGT_RESV_SETUP_DATA, "setup_data", r->line);
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
				add_resv(st, xe->start, xe->end, PGT_RESV_SETUP_DATA, "setup_data",
				         ext->first_line);
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
		add_resv(st, st->rd_start, st->rd_end, PGT_RESV_INITRD, "RAMDISK",
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
	if (kv && up > kv && (up >> 8) == (kv >> 8)) { /* same major.minor */
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
	dm->kver_known = true;
	dm->sc.kver = kv;
	int newline = st->brk_line ? st->brk_line : (st->first_imm_isa ? st->first_imm_line : 0);
	if (kv < PGT_KVER(3, 9, 0) && newline) {
		dm->sc.kver = PGT_KVER(3, 9, 0);
		src(st, "kver",
		    "log line %d: Linux version %s, simulated as 3.9: log line %d shows the 3.9+ "
		    "top-down scheme (a development snapshot of the next release)",
		    st->version_line, st->release, newline);
	} else if (kv >= PGT_KVER(3, 9, 0) && st->tables_line) {
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
	if (st->initial_line && st->initial_end) {
		sc->xen_mapped_end = st->initial_end;
		src(st, "xen_mapped_end", "log line %d: initial memory mapped up to 0x%llx",
		    st->initial_line, (unsigned long long)st->initial_end);
	} else {
		src(st, "xen_mapped_end", "not in log; default used (the simulator's Xen default)");
	}
}

static void build_brk(importer *st)
{
	pgt_scenario *sc = &st->out->sc;
	pgt_dmesg *dm = st->out;
	dm->brk_lines = st->brk_count;
	if (st->brk_line) {
		sc->brk_base = st->brk_base;
		src(st, "brk_base", "log line %d: first BRK page 0x%llx", st->brk_line,
		    (unsigned long long)st->brk_base);
	} else {
		src(st, "brk_base", "not in log; default used (after the kernel image)");
	}
	uint32_t kv = sc->kver;
	if (kv >= PGT_KVER(4, 8, 0) && st->brk_count > 6) {
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
		if (starts(tok, "mem=") && memparse(tok + 4, &v)) {
			sc->mem_limit = v;
			src(st, "mem_limit", "log line %d: %s", st->cmdline_line, tok);
		} else if (starts(tok, "memmap=")) {
			char *s2 = NULL;
			for (char *m = strtok_r(tok + 7, ",", &s2); m; m = strtok_r(NULL, ",", &s2))
				cmdline_memmap(st, m);
			src(st, "memmap", "log line %d: %s%s", st->cmdline_line, tok,
			    st->user_header_line ? " (shown by the user-defined map)" : "");
		} else if (strcmp(tok, "nogbpages") == 0) {
			sc->nogbpages = true;
			src(st, "nogbpages", "log line %d: nogbpages", st->cmdline_line);
		} else if (strcmp(tok, "movable_node") == 0) {
			sc->movable_node = true;
			src(st, "movable_node", "log line %d: movable_node", st->cmdline_line);
		} else if (starts(tok, "reservelow=") && memparse(tok + 11, &v)) {
			sc->reservelow = v;
			src(st, "reservelow", "log line %d: %s", st->cmdline_line, tok);
		} else if (starts(tok, "crashkernel=") && !st->crash_line) {
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
	if (kver && kver < PGT_KVER(3, 9, 0))
		return PGT_SCHEME_PGTBUF;
	if (movable_node && kver >= PGT_KVER(3, 13, 0))
		return PGT_SCHEME_BOTTOMUP;
	return PGT_SCHEME_TOPDOWN;
}

static bool finish(importer *st)
{
	pgt_dmesg *dm = st->out;
	if (st->second_boot_line)
		pgt_diags_add(st->d, PGT_DIAG_WARNING, st->second_boot_line, 1,
		              "the log contains a second boot; only the first one is imported");
	int gi = base_group(st);
	if (gi < 0 && st->arch_line) {
		pgt_diags_add(st->d, PGT_DIAG_ERROR, st->arch_line, st->arch_col,
		              "not an x86 boot log: '%s' comes from a %s kernel (pgtviz reproduces "
		              "x86 only)",
		              st->arch_why, st->arch_name);
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
	build_lines(st);
	build_names(st);
	int s0 = pgt_dmesg_scheme_for(dm->sc.kver, dm->sc.movable_node);
	dm->sc.schemes[0] = s0;
	dm->sc.schemes[1] = s0 == PGT_SCHEME_PGTBUF ? PGT_SCHEME_TOPDOWN : PGT_SCHEME_PGTBUF;
	if (st->oom)
		pgt_diags_add(st->d, PGT_DIAG_ERROR, 0, 0, "out of memory");
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
}

bool pgt_dmesg_import(const char *text, size_t len, pgt_dmesg *out, pgt_diags *d)
{
	memset(out, 0, sizeof(*out));
	size_t errors_before = d->errors;
	if (!check_bytes(text, len, d))
		return false;
	importer st;
	memset(&st, 0, sizeof(st));
	st.out = out;
	st.d = d;
	st.open_group = -1;
	split_text(&st, text, len);
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
	memset(dm, 0, sizeof(*dm));
}

bool pgt_dmesg_load_file(const char *path, pgt_dmesg *out, pgt_diags *d)
{
	memset(out, 0, sizeof(*out));
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0, "cannot open: %s", strerror(errno));
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

bool pgt_dmesg_looks_like_log(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '['))
		if (text[i] == '{' || !ts_len(text + i, text + len))
			return false; /* JSON */
	size_t lim = len < ((size_t)1 << 16) ? len : ((size_t)1 << 16);
	static const char *const marks[] = {"Linux version ",
	                                    "BIOS-e820:",
	                                    "e820: ",
	                                    "Command line:",
	                                    "init_memory_mapping",
	                                    "Xen: ",
	                                    "BIOS-provided physical RAM map"};
	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
		size_t k = strlen(marks[m]);
		for (size_t p = 0; p + k <= lim; p++)
			if (text[p] == marks[m][0] && memcmp(text + p, marks[m], k) == 0)
				return true;
	}
	size_t tl;
	return find_ts(text, text + lim, &tl) != NULL;
}
