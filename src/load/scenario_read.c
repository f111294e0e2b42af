/*
 * Scenario JSON, passes 1 and 4: pgt_scenario_from_json().
 *
 *   - Pass 1 (check_file) refuses what cannot be a scenario file at all:
 *     too large, empty, NUL bytes, invalid UTF-8.
 *   - Passes 2 and 3 (sj_parse, json_pos.c) check the syntax and build the
 *     cJSON tree with positions.
 *   - Pass 4, the schema walk (read_*), fills the pgt_scenario key by key
 *     with the typed readers of scenario_values.c and checks what a single
 *     value cannot show: ranges (start / end / last), the e820 map as a
 *     whole (usable RAM, order, overlaps), kernel_start < kernel_end, the
 *     i386 block, the command line as the kernel would accept it.  It does
 *     not stop at the first problem.
 *
 * At the end the diagnostics are sorted by position, so they read top to
 * bottom, and those beyond MAX_KEPT are summed up in one note.
 */
#include "scenario_json_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_PREFIX        "pgtviz-scenario/"
#define MAX_FILE_BYTES       ((size_t)16 << 20)  /* larger inputs are refused */
#define PHYS_LIMIT           (UINT64_C(1) << 46) /* x86-64 MAX_PHYSMEM_BITS */
#define PAGE_4K              UINT64_C(0x1000)
#define DEFAULT_KERNEL_START UINT64_C(0x1000000)
#define NAME_MAX_LEN         64
#define LABEL_SIZE           sizeof(((pgt_resv *)NULL)->label)

/* ======================================================================== */
/* Vocabulary: scheme names and keys                                       */
/* ======================================================================== */

/* Scheme names and their short aliases from the scheme table, for "did
 * you mean"; returns how many were written to names (room for 2 per scheme). */
static size_t scheme_names(const char *names[2 * PGT_SCHEME_COUNT])
{
	size_t n = 0;
	for (int s = 0; s < PGT_SCHEME_COUNT; s++) {
		names[n++] = pgt_scheme_get(s)->name;
		if (pgt_scheme_get(s)->alias)
			names[n++] = pgt_scheme_get(s)->alias;
	}
	return n;
}

static const char *const top_keys[] = {
    "format",
    "name",
    "title",
    "description",
    "kernel",
    "schemes",
    "cpu",
    "xen_pv",
    "xen_rule",
    "sizing",
    "kaslr_memory",
    "kernel_start",
    "kernel_end",
    "brk_base",
    "xen_mapped_end",
    "cmdline",
    "e820",
    "e820_edits",
    "reservations",
    "notes",
    "source",
    "i386",
    "initial_mapped",
    "kernel_image_end",
    "direct_map_base",
    "brk_pages",
    "reservations_complete",
};
static const char *const cpu_keys[] = {"pse", "gbpages", "debug_pagealloc"};
static const char *const i386_keys[] = {"pae", "highmem", "lowmem_end", "fixmap_size"};
static const char *const cmdline_keys[] = {"mem",        "nogbpages",   "movable_node",
                                           "reservelow", "crashkernel", "nokaslr"};
static const char *const e820_keys[] = {"start", "end", "last", "type"};
static const char *const edit_keys[] = {"start", "end", "last", "from", "to"};
static const char *const resv_keys[] = {"start", "end", "last", "kind", "label"};
static const char *const note_keys[] = {"at", "text", "short"};

/* ======================================================================== */
/* Pass 4: ranges and the e820 map                                          */
/* ======================================================================== */

/* A [start, end) range read from {"start", "end"|"last"}. */
typedef struct range {
	uint64_t start, end; /* half-open */
} range;

static bool check_limit(ctx *c, const field *f, const char *name, uint64_t v, bool exclusive)
{
	if (exclusive ? v <= PHYS_LIMIT : v < PHYS_LIMIT)
		return true;
	sj_err(c, f->v, f->path,
	       "%s 0x%" PRIx64 " is beyond the 46-bit physical address limit "
	       "(0x%" PRIx64 ")",
	       name, v, PHYS_LIMIT);
	return false;
}

static bool read_range(ctx *c, const cJSON *obj, const char *path, range *r)
{
	field fs = sj_get_field(obj, path, "start");
	field fe = sj_get_field(obj, path, "end");
	field fl = sj_get_field(obj, path, "last");
	bool ok = true;
	uint64_t last = 0;
	if (!fs.v) {
		sj_err_missing(c, obj, path, "start", "");
		ok = false;
	} else {
		ok = sj_as_hex(c, &fs, &r->start) && check_limit(c, &fs, "start", r->start, false);
	}
	if (fe.v && fl.v) {
		sj_err_key(c, fl.v, fl.path,
		           "give either 'end' (exclusive) or 'last' (inclusive), "
		           "not both");
		return false;
	}
	if (!fe.v && !fl.v) {
		sj_err_missing(c, obj, path, "end",
		               "the exclusive end; or 'last', the inclusive end");
		return false;
	}
	const field *fx = fe.v ? &fe : &fl;
	if (fe.v) {
		if (!sj_as_hex(c, &fe, &r->end) || !check_limit(c, &fe, "end", r->end, true))
			return false;
	} else {
		if (!sj_as_hex(c, &fl, &last) || !check_limit(c, &fl, "last", last, false))
			return false;
		r->end = last + 1;
	}
	if (!ok)
		return false;
	if (fe.v && r->end == r->start) {
		sj_err(c, fe.v, fe.path, "end equals start 0x%" PRIx64 ": the range is empty",
		       r->start);
		return false;
	}
	if (r->end <= r->start) {
		sj_err(c, fx->v, fx->path, "%s 0x%" PRIx64 " is below start 0x%" PRIx64,
		       fe.v ? "end" : "last", fe.v ? r->end : last, r->start);
		return false;
	}
	return true;
}

static const char *e820_name(uint32_t type, char *buf, size_t size)
{
	for (size_t i = 0; i < N_E820_NAMES; i++)
		if (sj_e820_names[i].type == type)
			return sj_e820_names[i].name;
	snprintf(buf, size, "type %" PRIu32, type);
	return buf;
}

static bool read_e820_entry(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	uint32_t type = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!sj_want_object(c, &self, e820_keys, COUNT(e820_keys)))
		return false;
	bool ok = read_range(c, el, path, &r);
	field ft = sj_get_field(el, path, "type");
	if (!ft.v) {
		sj_err_missing(c, el, path, "type", "");
		ok = false;
	} else if (!sj_as_e820_type(c, &ft, NULL, &type)) {
		ok = false;
	}
	if (ok && !pgt_scenario_add_e820(c->sc, r.start, r.end, type))
		sj_err(c, el, path, "out of memory");
	return ok;
}

/* An e820 entry that was read without errors, for the map-wide checks. */
typedef struct e820_ref {
	pgt_e820_entry e;  /* the entry */
	size_t table;      /* its index in the JSON array */
	const cJSON *node; /* its object (for positions) */
} e820_ref;

static int cmp_e820_ref(const void *a, const void *b)
{
	const e820_ref *x = a, *y = b;
	if (x->e.start != y->e.start)
		return (x->e.start > y->e.start) - (x->e.start < y->e.start);
	return (x->table > y->table) - (x->table < y->table);
}

/* Reports that the later (in the file) of two overlapping entries overlaps
 * the earlier one. */
static void report_overlap(ctx *c, const char *path, const e820_ref *x, const e820_ref *y)
{
	const e820_ref *later = x->table > y->table ? x : y, *earlier = later == x ? y : x;
	char p[PATH_BUF], t1[32], t2[32];
	sj_path_elem(p, path, later->table);
	if (later->e.type == earlier->e.type)
		sj_warn(c, later->node, p,
		        "overlaps /e820/%zu [0x%" PRIx64 ", 0x%" PRIx64 ") of the same "
		        "type; the kernel merges them (sanitize_e820_map)",
		        earlier->table, earlier->e.start, earlier->e.end);
	else {
		const char *n1 = e820_name(later->e.type, t1, sizeof(t1));
		const char *n2 = e820_name(earlier->e.type, t2, sizeof(t2));
		sj_warn(c, later->node, p,
		        "[0x%" PRIx64 ", 0x%" PRIx64 ") %s overlaps /e820/%zu [0x%" PRIx64
		        ", 0x%" PRIx64 ") %s; sanitized as the kernel does (sanitize_e820_map): "
		        "the overlap gets the higher type, %s",
		        later->e.start, later->e.end, n1, earlier->table, earlier->e.start,
		        earlier->e.end, n2, later->e.type > earlier->e.type ? n1 : n2);
	}
}

/* Overlapping entries: the kernel's sanitize_e820_map() resolves them (the
 * higher type number wins) and prints the result, so a map copied from a log
 * never has them.  The core sanitizes the same way (and its trace says
 * so), so both cases are warnings that say what the overlap becomes.
 * A sweep in address order compares each entry with the one reaching
 * furthest so far. */
static void check_overlaps(ctx *c, const char *path, e820_ref *refs, size_t n)
{
	qsort(refs, n, sizeof(*refs), cmp_e820_ref);
	size_t reach = 0;
	for (size_t k = 1; k < n; k++) {
		if (refs[k].e.start < refs[reach].e.end)
			report_overlap(c, path, &refs[k], &refs[reach]);
		if (refs[k].e.end > refs[reach].e.end)
			reach = k;
	}
}

/* The kernel sorts the map; the table order is kept here, so warn once. */
static void check_sorted(ctx *c, const char *path, const e820_ref *refs, size_t n)
{
	char p[PATH_BUF];
	for (size_t k = 1; k < n; k++) {
		if (refs[k].e.start >= refs[k - 1].e.start)
			continue;
		sj_path_elem(p, path, refs[k].table);
		sj_warn(c, refs[k].node, p,
		        "entry starts below the previous entry (0x%" PRIx64 " < 0x%" PRIx64
		        "); the kernel would sort the map, pgtviz keeps the "
		        "table order",
		        refs[k].e.start, refs[k - 1].e.start);
		return;
	}
}

/* Bounded cost (docs/reliability.md): even the cheapest scheme maps all the
 * RAM, so a map whose RAM alone is over the core's bounds (page-table pages,
 * Xen PV PTEs; pgt_sim_cost) is refused here, at the first entry that takes
 * it over.  A scheme that also maps holes is checked when it runs. */
static void check_cost(ctx *c, const char *path, const e820_ref *refs, size_t n)
{
	char why[256];
	pgt_run_opts o = pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	if (pgt_sim_cost_ok(c->sc, &o, why, sizeof(why)))
		return;
	/* the shortest prefix of the map over the bounds (the cost only grows) */
	pgt_scenario part = *c->sc;
	size_t lo = 1, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		part.n_e820 = mid;
		if (pgt_sim_cost_ok(&part, &o, NULL, 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	part.n_e820 = lo;
	pgt_sim_cost_ok(&part, &o, why, sizeof(why));
	char p[PATH_BUF];
	sj_path_elem(p, path, refs[lo - 1].table);
	sj_err(c, refs[lo - 1].node, p, "%s", why);
}

/* The old schemes' bound (pgt_sim_cost: RAM ranges above 4 GiB after the
 * edits, at most E820_X_MAX).  When the scenario's own first scheme is one
 * of them, the map is refused at the edit -- or, without edits, the e820
 * entry -- that takes it over; another scheme is checked when it runs. */
static bool ranges_over(const pgt_scenario *sc, const pgt_run_opts *o)
{
	return pgt_sim_cost(sc, o).ram_ranges_high > PGT_MAX_RAM_RANGES_HIGH;
}

static void check_ranges(ctx *c, const cJSON *root)
{
	if (c->errors || c->sc->schemes[0] < 0)
		return;
	pgt_run_opts o = pgt_run_opts_default(c->sc->schemes[0]);
	if (!ranges_over(c->sc, &o))
		return;
	pgt_scenario part = *c->sc;
	const char *key = "e820_edits";
	size_t *np = &part.n_edits, n = part.n_edits;
	part.n_edits = 0;
	if (ranges_over(&part, &o)) { /* the map alone is over */
		key = "e820";
		np = &part.n_e820;
		n = part.n_e820;
	}
	size_t lo = 1, hi = n; /* the shortest prefix over the bound */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		*np = mid;
		if (ranges_over(&part, &o))
			hi = mid;
		else
			lo = mid + 1;
	}
	*np = lo;
	pgt_cost k = {0, 0, 0, pgt_sim_cost(&part, &o).ram_ranges_high, 0};
	char why[320], p[PATH_BUF];
	pgt_cost_within(&k, why, sizeof(why));
	field f = sj_get_field(root, "", key);
	const cJSON *el = f.v ? cJSON_GetArrayItem(f.v, (int)(lo - 1)) : NULL;
	sj_path_elem(p, f.path, lo - 1);
	sj_err(c, el ? el : root, p, "%s; the scenario's first scheme is %s", why,
	       pgt_scheme_name(o.scheme));
}

/* The e820 edits name at most PGT_MAX_E820_EDIT_TYPES types (with the
 * kernel's own trims: usable, reserved; pgt_sim_cost): refused at the edit
 * that names one more. */
static void check_edit_types(ctx *c, const cJSON *root)
{
	if (c->errors || pgt_sim_cost(c->sc, NULL).edit_types <= PGT_MAX_E820_EDIT_TYPES)
		return;
	uint32_t seen[PGT_MAX_E820_EDIT_TYPES + 1] = {PGT_E820_RAM, PGT_E820_RESERVED};
	size_t n = 2, i = 0;
	for (; i < c->sc->n_edits && n <= PGT_MAX_E820_EDIT_TYPES; i++) {
		uint32_t two[2] = {c->sc->edits[i].from_type, c->sc->edits[i].to_type};
		for (int k = 0; k < 2 && n <= PGT_MAX_E820_EDIT_TYPES; k++) {
			size_t j = 0;
			while (two[k] && j < n && seen[j] != two[k])
				j++;
			if (two[k] && j == n)
				seen[n++] = two[k];
		}
	}
	pgt_cost k = {0, 0, 0, 0, n};
	char why[320], p[PATH_BUF];
	pgt_cost_within(&k, why, sizeof(why));
	field f = sj_get_field(root, "", "e820_edits");
	const cJSON *el = f.v ? cJSON_GetArrayItem(f.v, (int)(i - 1)) : NULL;
	sj_path_elem(p, f.path, i - 1);
	sj_err(c, el ? el : root, p, "%s", why);
}

static bool read_e820(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "e820");
	char p[PATH_BUF];
	if (!f.v)
		return sj_err_missing(c, root, "", "e820", "the BIOS memory map");
	if (!cJSON_IsArray(f.v))
		return sj_err_type(c, &f, "an array of e820 entries");
	size_t n = (size_t)cJSON_GetArraySize(f.v), k = 0, bad = 0, ram = 0;
	if (n == 0)
		return sj_err(c, f.v, f.path, "the e820 map is empty");
	e820_ref *refs = malloc(n * sizeof(*refs));
	if (!refs)
		return sj_err(c, f.v, f.path, "out of memory");
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		sj_path_elem(p, f.path, k);
		size_t before = c->sc->n_e820;
		if (!read_e820_entry(c, el, p) || c->sc->n_e820 == before) {
			bad++;
			continue;
		}
		refs[before] = (e820_ref){c->sc->e820[before], k, el};
		uint32_t type = refs[before].e.type;
		ram += type == PGT_E820_RAM || type == PGT_E820_RESERVED_KERN;
	}
	if (!bad && !ram)
		sj_err(c, f.v, f.path, "the map has no usable RAM (no entry of type \"usable\")");
	if (!bad)
		check_cost(c, f.path, refs, c->sc->n_e820);
	check_sorted(c, f.path, refs, c->sc->n_e820);
	check_overlaps(c, f.path, refs, c->sc->n_e820);
	free(refs);
	return true;
}

/* ======================================================================== */
/* Pass 4: edits, reservations, notes, source                               */
/* ======================================================================== */

/* Runs `one` on every element of the optional array at root/key. */
static void for_each_elem(ctx *c, const cJSON *root, const char *key, const char *what,
                          void (*one)(ctx *, const cJSON *, const char *))
{
	field f = sj_get_field(root, "", key);
	char p[PATH_BUF];
	size_t k = 0;
	if (!f.v)
		return;
	if (!cJSON_IsArray(f.v)) {
		sj_err_type(c, &f, what);
		return;
	}
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		sj_path_elem(p, f.path, k);
		one(c, el, p);
	}
}

static void read_edit(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	uint32_t from = 0, to = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!sj_want_object(c, &self, edit_keys, COUNT(edit_keys)))
		return;
	bool ok = read_range(c, el, path, &r);
	field ff = sj_get_field(el, path, "from"), ft = sj_get_field(el, path, "to");
	if (ff.v && !(cJSON_IsString(ff.v) && strcmp(ff.v->valuestring, "any") == 0))
		ok = sj_as_e820_type(c, &ff, "any", &from) && ok;
	if (!ft.v) {
		sj_err_missing(c, el, path, "to", "an e820 type, or \"remove\"");
		ok = false;
	} else if (!(cJSON_IsString(ft.v) && strcmp(ft.v->valuestring, "remove") == 0)) {
		ok = sj_as_e820_type(c, &ft, "remove", &to) && ok;
	}
	if (ok && !pgt_scenario_add_edit(c->sc, r.start, r.end, from, to))
		sj_err(c, el, path, "out of memory");
}

static void read_resv(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	range r;
	const char *label = NULL; /* absent: the kind's name (pgt_scenario_add_resv) */
	const char *kinds[N_RESV_KINDS];
	int kind = 0;
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!sj_want_object(c, &self, resv_keys, COUNT(resv_keys)))
		return;
	bool ok = read_range(c, el, path, &r);
	field fk = sj_get_field(el, path, "kind"), fl = sj_get_field(el, path, "label");
	for (size_t i = 0; i < N_RESV_KINDS; i++)
		kinds[i] = sj_resv_kinds[i].name;
	if (!fk.v) {
		sj_err_missing(c, el, path, "kind",
		               "kernel, initrd, ebda, setup_data, xen, "
		               "crashkernel, other or efi_boot");
		ok = false;
	} else {
		ok = sj_as_choice(c, &fk, kinds, N_RESV_KINDS, &kind) && ok;
	}
	if (fl.v && !sj_as_string(c, &fl, &label))
		ok = false;
	else if (label && strlen(label) >= LABEL_SIZE)
		ok = sj_err(c, fl.v, fl.path, "label is %zu bytes long; at most %zu fit",
		            strlen(label), LABEL_SIZE - 1);
	if (ok && !pgt_scenario_add_resv(c->sc, r.start, r.end, sj_resv_kinds[kind].kind, label))
		sj_err(c, el, path, "out of memory");
}

/* "panic", "violation", "call:2", "event:17". */
static bool valid_marker(const char *at)
{
	size_t n = strspn(at, "abcdefghijklmnopqrstuvwxyz0123456789_-");
	if (n == 0 || !islower((unsigned char)at[0]))
		return false;
	if (at[n] == '\0')
		return true;
	return at[n] == ':' && at[n + 1] && strspn(at + n + 1, "0123456789") == strlen(at + n + 1);
}

static void read_note(ctx *c, const cJSON *el, const char *path)
{
	field self = {el, ""};
	const char *at = NULL, *text = NULL;
	char shown[64];
	snprintf(self.path, sizeof(self.path), "%s", path);
	if (!sj_want_object(c, &self, note_keys, COUNT(note_keys)))
		return;
	field fa = sj_get_field(el, path, "at"), ft = sj_get_field(el, path, "text");
	bool ok = true;
	if (!fa.v) {
		sj_err_missing(c, el, path, "at", "a marker like \"call:2\" or \"panic\"");
		ok = false;
	} else if (sj_as_string(c, &fa, &at) && !valid_marker(at)) {
		sj_err(c, fa.v, fa.path,
		       "\"%s\" is not a marker: expected a name like \"panic\" or a "
		       "name and a number like \"call:2\"",
		       sj_shorten(at, shown, sizeof(shown)));
		ok = false;
	}
	if (!ft.v) {
		sj_err_missing(c, el, path, "text", "");
		ok = false;
	} else if (sj_as_string(c, &ft, &text) && !text[0]) {
		sj_err(c, ft.v, ft.path, "the note text is empty");
		ok = false;
	}
	/* optional: a shorter wording for small canvases */
	field fs = sj_get_field(el, path, "short");
	const char *brief = NULL;
	if (fs.v && sj_as_string(c, &fs, &brief) && !brief[0]) {
		sj_err(c, fs.v, fs.path, "the note's short text is empty");
		ok = false;
	}
	if (fs.v && !brief)
		ok = false;
	if (ok && at && text &&
	    (!pgt_scenario_add_note(c->sc, at, text) ||
	     (brief && !pgt_scenario_set_str(&c->sc->notes[c->sc->n_notes - 1].brief, brief))))
		sj_err(c, el, path, "out of memory");
}

/* Provenance written by `pgtviz import`: string values, otherwise ignored. */
static void read_source(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "source");
	char p[PATH_BUF];
	if (!f.v || !sj_want_object(c, &f, NULL, 0))
		return;
	for (const cJSON *it = f.v->child; it; it = it->next) {
		if (cJSON_IsString(it))
			continue;
		sj_path_child(p, f.path, it->string ? it->string : "");
		sj_err(c, it, p, "expected a string, got %s", sj_type_desc(it));
	}
}

/* ======================================================================== */
/* Pass 4: top-level scalars                                                */
/* ======================================================================== */

/* "format" must name this version; false stops reading (a different
 * version's keys would only produce noise). */
static bool read_format(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "format");
	const char *t;
	char shown[64];
	if (!f.v) {
		sj_err_missing(c, root, "", "format", "\"format\": \"" FORMAT_NAME "\"");
		return true;
	}
	if (!sj_as_string(c, &f, &t))
		return false;
	if (strcmp(t, FORMAT_NAME) == 0)
		return true;
	sj_shorten(t, shown, sizeof(shown));
	if (strncmp(t, FORMAT_PREFIX, strlen(FORMAT_PREFIX)) == 0)
		sj_err(c, f.v, f.path,
		       "unsupported format version \"%s\" (this pgtviz reads \"%s\")", shown,
		       FORMAT_NAME);
	else
		sj_err(c, f.v, f.path, "not a pgtviz scenario: format is \"%s\", expected \"%s\"",
		       shown, FORMAT_NAME);
	return false;
}

/* Sets *dst to a copy of the string member root/key, if present. */
static void read_text(ctx *c, const cJSON *root, const char *key, bool one_line, char **dst)
{
	field f = sj_get_field(root, "", key);
	const char *t;
	if (!f.v || !sj_as_string(c, &f, &t))
		return;
	if (one_line && strpbrk(t, "\n\r")) {
		sj_err(c, f.v, f.path, "the %s must be one line", key);
		return;
	}
	if (!pgt_scenario_set_str(dst, t))
		sj_err(c, f.v, f.path, "out of memory");
}

/* The name is used in file names (exports), so it is kept simple. */
static bool read_name(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "name");
	const char *t;
	char shown[64];
	if (!f.v)
		return sj_err_missing(c, root, "", "name", "a short id like \"pc-4g\"");
	if (!sj_as_string(c, &f, &t))
		return false;
	sj_shorten(t, shown, sizeof(shown));
	if (!t[0])
		return sj_err(c, f.v, f.path, "the name is empty");
	if (strlen(t) > NAME_MAX_LEN)
		return sj_err(c, f.v, f.path, "the name is longer than %d bytes", NAME_MAX_LEN);
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '/' || *p == '\\' || *p == 0x7f)
			return sj_err(c, f.v, f.path,
			              "name \"%s\" must not contain spaces, control "
			              "characters, '/' or '\\' (it is used in file names)",
			              shown);
	if (!pgt_scenario_set_str(&c->sc->name, t))
		return sj_err(c, f.v, f.path, "out of memory");
	return true;
}

static void read_kernel(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "kernel");
	const char *t;
	if (!f.v || !sj_as_string(c, &f, &t))
		return;
	char msg[160];
	c->sc->kver = pgt_kver_check(t, msg, sizeof(msg));
	if (!c->sc->kver)
		sj_err(c, f.v, f.path, "%s", msg);
}

static bool read_schemes(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "schemes");
	char shown[64];
	size_t k = 0;
	if (!f.v)
		return true;
	if (!cJSON_IsArray(f.v))
		return sj_err_type(c, &f, "an array of one or two scheme names");
	size_t n = (size_t)cJSON_GetArraySize(f.v);
	if (n < 1 || n > 2)
		return sj_err(c, f.v, f.path, "expected one or two schemes, got %zu", n);
	c->sc->schemes[1] = -1;
	for (const cJSON *el = f.v->child; el; el = el->next, k++) {
		field fe = {el, ""};
		const char *t;
		sj_path_elem(fe.path, f.path, k);
		if (!sj_as_string(c, &fe, &t))
			continue;
		int s = pgt_scheme_parse(t);
		const char *names[2 * PGT_SCHEME_COUNT];
		size_t nn = scheme_names(names);
		const char *hint = s < 0 ? sj_closest(t, names, nn) : NULL;
		if (hint)
			sj_err(c, el, fe.path, "unknown scheme \"%s\" (did you mean \"%s\"?)",
			       sj_shorten(t, shown, sizeof(shown)), hint);
		else if (s < 0)
			sj_err(c, el, fe.path,
			       "unknown scheme \"%s\" (expected pgtbuf, top-down, "
			       "bottom-up or chunk-end; or old, new)",
			       sj_shorten(t, shown, sizeof(shown)));
		else
			c->sc->schemes[k] = s;
	}
	return true;
}

static void read_cpu(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "cpu");
	if (!f.v || !sj_want_object(c, &f, cpu_keys, COUNT(cpu_keys)))
		return;
	field fp = sj_get_field(f.v, f.path, "pse"), fg = sj_get_field(f.v, f.path, "gbpages");
	field fd = sj_get_field(f.v, f.path, "debug_pagealloc");
	if (fp.v)
		sj_as_bool(c, &fp, &c->sc->cpu.pse);
	if (fg.v)
		sj_as_bool(c, &fg, &c->sc->cpu.gbpages);
	if (fd.v)
		sj_as_bool(c, &fd, &c->sc->cpu.debug_pagealloc);
}

static void read_flags(ctx *c, const cJSON *root)
{
	field fx = sj_get_field(root, "", "xen_pv"), fk = sj_get_field(root, "", "kaslr_memory");
	field fr = sj_get_field(root, "", "xen_rule"), fs = sj_get_field(root, "", "sizing");
	if (fx.v)
		sj_as_bool(c, &fx, &c->sc->xen_pv);
	if (fk.v)
		sj_as_bool(c, &fk, &c->sc->kaslr_memory);
	field fc = sj_get_field(root, "", "reservations_complete");
	if (fc.v)
		sj_as_bool(c, &fc, &c->sc->resv_complete);
	field fb = sj_get_field(root, "", "brk_pages");
	if (fb.v) {
		double v = cJSON_IsNumber(fb.v) ? fb.v->valuedouble : 0;
		if (v < 1 || v > 64 || v != (double)(int)v)
			sj_err(c, fb.v, fb.path, "brk_pages must be a whole number from 1 to 64");
		else
			c->sc->brk_pages = (uint32_t)v;
	}
	if (fr.v)
		sj_as_choice(c, &fr, sj_xen_rule_names, N_XEN_RULE_NAMES, &c->sc->xen_rule);
	if (fs.v)
		sj_as_choice(c, &fs, sj_sizing_names, N_SIZING_NAMES, &c->sc->sizing);
}

/* An optional physical address member; 0 (absent) means "default". */
static const cJSON *read_addr(ctx *c, const cJSON *root, const char *key, bool page_aligned,
                              uint64_t *out)
{
	field f = sj_get_field(root, "", key);
	uint64_t v;
	if (!f.v || !sj_as_hex(c, &f, &v) || !check_limit(c, &f, key, v, false))
		return NULL;
	if (v == 0) {
		sj_err(c, f.v, f.path,
		       "%s 0x0 is not a valid address (omit the key for the default)", key);
		return NULL;
	}
	if (page_aligned && (v & (PAGE_4K - 1))) {
		sj_err(c, f.v, f.path, "%s 0x%" PRIx64 " is not page-aligned (4 KiB)", key, v);
		return NULL;
	}
	*out = v;
	return f.v;
}

/* "i386": { "pae": true, "highmem": true, "lowmem_end": "0x37bfe000" } selects
 * the 32-bit model. */
static void read_i386(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "i386");
	if (!f.v || !sj_want_object(c, &f, i386_keys, COUNT(i386_keys)))
		return;
	c->sc->bits = 32;
	c->sc->pae = true;
	field fp = sj_get_field(f.v, f.path, "pae"), fh = sj_get_field(f.v, f.path, "highmem");
	if (fp.v)
		sj_as_bool(c, &fp, &c->sc->pae);
	if (fh.v)
		sj_as_bool(c, &fh, &c->sc->highmem);
	field fl = sj_get_field(f.v, f.path, "lowmem_end");
	uint64_t v;
	if (fl.v && sj_as_hex(c, &fl, &v) && check_limit(c, &fl, "lowmem_end", v, false)) {
		if (v & (PAGE_4K - 1))
			sj_err(c, fl.v, fl.path,
			       "lowmem_end 0x%" PRIx64 " is not page-aligned (4 KiB)", v);
		else if (v == 0 || v > 0x40000000)
			sj_err(c, fl.v, fl.path,
			       "lowmem_end 0x%" PRIx64
			       " is not between 4 KiB and 1 GiB (i386 lowmem)",
			       v);
		else
			c->sc->lowmem_end = v;
	}
	field fx = sj_get_field(f.v, f.path, "fixmap_size");
	if (fx.v && sj_as_hex(c, &fx, &v)) {
		if (v & (PAGE_4K - 1) || v == 0 || v > 0x1000000)
			sj_err(c, fx.v, fx.path,
			       "fixmap_size 0x%" PRIx64
			       " is not a whole number of pages between 4 KiB and 16 MiB",
			       v);
		else
			c->sc->fixmap_size = v;
	}
}

/* "direct_map_base": the measured virtual base of the direct map (a
 * 1 GiB-aligned kernel address; docs/scenario-format.md). */
static void read_direct_map_base(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "direct_map_base");
	uint64_t v;
	char why[160];
	if (!f.v || !sj_as_hex(c, &f, &v))
		return;
	if (!pgt_direct_map_base_ok(v, why, sizeof(why)))
		sj_err(c, f.v, f.path, "direct_map_base %s", why);
	else
		c->sc->direct_map_base = v;
}

static void read_addresses(ctx *c, const cJSON *root)
{
	pgt_scenario *sc = c->sc;
	bool ks_given = cJSON_GetObjectItemCaseSensitive(root, "kernel_start") != NULL;
	const cJSON *ks = read_addr(c, root, "kernel_start", true, &sc->kernel_start);
	const cJSON *ke = read_addr(c, root, "kernel_end", false, &sc->kernel_end);
	read_addr(c, root, "brk_base", true, &sc->brk_base);
	const cJSON *xm = read_addr(c, root, "xen_mapped_end", true, &sc->xen_mapped_end);
	read_addr(c, root, "initial_mapped", true, &sc->initial_mapped);
	read_addr(c, root, "kernel_image_end", true, &sc->kernel_image_end);
	read_direct_map_base(c, root);
	uint64_t start = sc->kernel_start ? sc->kernel_start : DEFAULT_KERNEL_START;
	if (ke && (ks || !ks_given) && sc->kernel_end <= start) /* no noise after a bad start */
		sj_err(c, ke, "/kernel_end",
		       "kernel_end 0x%" PRIx64 " is not above kernel_start 0x%" PRIx64 "%s",
		       sc->kernel_end, start, sc->kernel_start ? "" : " (the default)");
	if (xm && !sc->xen_pv)
		sj_warn(c, xm, "/xen_mapped_end",
		        "xen_mapped_end is ignored unless xen_pv is true");
}

/* mem=, reservelow=, crashkernel= as the kernel would accept them. */
static void read_cmdline(ctx *c, const cJSON *root)
{
	field f = sj_get_field(root, "", "cmdline");
	pgt_scenario *sc = c->sc;
	uint64_t v;
	if (!f.v || !sj_want_object(c, &f, cmdline_keys, COUNT(cmdline_keys)))
		return;
	field fm = sj_get_field(f.v, f.path, "mem"), fr = sj_get_field(f.v, f.path, "reservelow");
	field fc = sj_get_field(f.v, f.path, "crashkernel");
	field fn = sj_get_field(f.v, f.path, "nogbpages"),
	      fv = sj_get_field(f.v, f.path, "movable_node");
	if (fm.v && sj_as_size(c, &fm, &v)) {
		if (v == 0)
			sj_err(c, fm.v, fm.path,
			       "mem=0 is rejected by the kernel (omit the key for no limit)");
		else
			sc->mem_limit = v;
	}
	if (fr.v && sj_as_size(c, &fr, &v)) {
		if (v < 0x1000 || v > 0xa0000)
			sj_err(c, fr.v, fr.path,
			       "reservelow 0x%" PRIx64 " is outside [0x1000, 0xa0000], "
			       "which the kernel would clamp it to; write the clamped value",
			       v);
		else
			sc->reservelow = v;
	}
	if (fc.v && sj_as_size(c, &fc, &v)) {
		if (v == 0)
			sj_err(c, fc.v, fc.path, "crashkernel size is 0 (omit the key for none)");
		else
			sc->crashkernel = v;
	}
	if (fn.v)
		sj_as_bool(c, &fn, &sc->nogbpages);
	if (fv.v)
		sj_as_bool(c, &fv, &sc->movable_node);
	field fk = sj_get_field(f.v, f.path, "nokaslr");
	if (fk.v)
		sj_as_bool(c, &fk, &sc->nokaslr);
}

static void set_defaults(pgt_scenario *sc)
{
	sc->schemes[0] = PGT_SCHEME_PGTBUF;
	sc->schemes[1] = PGT_SCHEME_TOPDOWN;
	sc->cpu.pse = true;
	sc->xen_rule = PGT_XEN_RULE_AUTO;
	sc->sizing = PGT_SIZING_AUTO;
}

static void read_scenario(ctx *c, const cJSON *root)
{
	field self = {root, ""};
	if (!cJSON_IsObject(root)) {
		sj_err_type(c, &self, "an object");
		return;
	}
	if (!read_format(c, root))
		return;
	sj_check_members(c, root, "", top_keys, COUNT(top_keys));
	set_defaults(c->sc);
	read_name(c, root);
	read_text(c, root, "title", true, &c->sc->title);
	read_text(c, root, "description", false, &c->sc->description);
	read_kernel(c, root);
	read_schemes(c, root);
	read_cpu(c, root);
	read_i386(c, root);
	read_flags(c, root);
	read_addresses(c, root);
	read_cmdline(c, root);
	read_e820(c, root);
	for_each_elem(c, root, "e820_edits", "an array of edits", read_edit);
	check_edit_types(c, root);
	check_ranges(c, root);
	for_each_elem(c, root, "reservations", "an array of reservations", read_resv);
	for_each_elem(c, root, "notes", "an array of notes", read_note);
	read_source(c, root);
}

/* ======================================================================== */
/* Loading                                                                  */
/* ======================================================================== */

/* Pass 1: refuses what cannot be a scenario file at all. */
static bool check_file(ctx *c)
{
	const char *t = c->idx.text;
	size_t len = c->idx.len;
	if (len > MAX_FILE_BYTES) {
		sj_err_file(c, SIZE_MAX, "file is too large (%zu bytes; the limit is 16 MiB)", len);
		return false;
	}
	if (len == 0) {
		sj_err_file(c, SIZE_MAX, "file is empty");
		return false;
	}
	if (pgt_diags_utf16(c->d, t, len)) {
		c->errors++;
		return false;
	}
	if (!sj_index_lines(&c->idx)) {
		sj_err_file(c, SIZE_MAX, "out of memory");
		return false;
	}
	const char *nul = memchr(t, '\0', len);
	if (nul) {
		sj_err_file(c, (size_t)(nul - t),
		            "file contains a NUL byte: this is a binary file, "
		            "not a scenario");
		return false;
	}
	for (size_t i = 0; i < len;) {
		size_t n = sj_utf8_len((const unsigned char *)t + i, len - i);
		if (!n) {
			sj_err_file(
			    c, i, "invalid UTF-8 (byte 0x%02x): scenario files must be UTF-8 text",
			    (unsigned char)t[i]);
			return false;
		}
		i += n;
	}
	size_t start = (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	size_t ws = start; /* bounded by len: the text need not be NUL-terminated */
	while (ws < len && (t[ws] == ' ' || t[ws] == '\t' || t[ws] == '\r' || t[ws] == '\n'))
		ws++;
	if (ws >= len) {
		sj_err_file(c, SIZE_MAX, "file is empty (only whitespace)");
		return false;
	}
	return true;
}

/* "N more errors not shown" after MAX_KEPT diagnostics. */
static void report_dropped(ctx *c)
{
	size_t e = c->dropped[0], w = c->dropped[1];
	if (e && w)
		pgt_diags_add(c->d, PGT_DIAG_NOTE, 0, 0,
		              "%zu more errors and %zu more warnings not shown", e, w);
	else if (e || w)
		pgt_diags_add(c->d, PGT_DIAG_NOTE, 0, 0, "%zu more %s not shown", e + w,
		              e ? "errors" : "warnings");
}

bool pgt_scenario_from_json(const char *text, size_t len, pgt_scenario *out, pgt_diags *d)
{
	ctx c = {.idx = {.text = text, .len = len}, .d = d, .base = d->n, .sc = out};
	if (check_file(&c)) {
		cJSON *root = sj_parse(&c);
		if (root)
			read_scenario(&c, root);
		cJSON_Delete(root);
	}
	sj_sort_diags(d, c.base);
	report_dropped(&c);
	sj_index_free(&c.idx);
	if (c.errors) {
		pgt_scenario_clear(out);
		return false;
	}
	return true;
}

bool pgt_scenario_check(const pgt_scenario *sc, const pgt_source_kv *source, size_t n_source,
                        pgt_diags *d)
{
	char *json = pgt_scenario_to_json(sc, source, n_source);
	if (!json) {
		pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0, "out of memory");
		return false;
	}
	pgt_diags reread;
	pgt_diags_init(&reread, "");
	pgt_scenario back;
	memset(&back, 0, sizeof(back));
	bool ok = pgt_scenario_from_json(json, strlen(json), &back, &reread);
	pgt_scenario_clear(&back);
	free(json);
	for (size_t i = 0; i < reread.n; i++)
		if (reread.items[i].severity == PGT_DIAG_ERROR)
			pgt_diags_add(d, PGT_DIAG_ERROR, 0, 0, "%s", reread.items[i].msg);
	ok = ok && reread.errors == 0;
	pgt_diags_free(&reread);
	return ok;
}
