/*
 * Small core utilities: names of enums, the kernel's
 * number formatting quirks, and scenario ownership helpers.
 */
#include "pgtviz/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names -------------------------------------------------------------- */

const char *pgt_e820_type_name(uint32_t type, char *buf, size_t size)
{
	const char *n = NULL;
	switch (type) {
	case PGT_E820_RAM:
		n = "usable";
		break;
	case PGT_E820_RESERVED:
		n = "reserved";
		break;
	case PGT_E820_ACPI:
		n = "ACPI data";
		break;
	case PGT_E820_NVS:
		n = "ACPI NVS";
		break;
	case PGT_E820_UNUSABLE:
		n = "unusable";
		break;
	case PGT_E820_PMEM:
		n = "persistent (type 7)";
		break;
	case PGT_E820_PRAM:
		n = "persistent (type 12)";
		break;
	case PGT_E820_SOFT_RESERVED:
		n = "soft reserved";
		break;
	case PGT_E820_RESERVED_KERN:
		n = "reserved kernel";
		break;
	default:
		break;
	}
	if (n)
		snprintf(buf, size, "%s", n);
	else
		snprintf(buf, size, "type %u", type);
	return buf;
}

const char *pgt_resv_kind_name(int kind)
{
	static const char *const names[PGT_RESV_KIND_COUNT] = {
	    "kernel", "initrd", "ebda", "setup_data", "xen", "crashkernel", "other", "efi_boot"};
	return (kind >= 0 && kind < PGT_RESV_KIND_COUNT) ? names[kind] : "other";
}

const char *pgt_level_name(int level)
{
	switch (level) {
	case PGT_PTE:
		return "PTE";
	case PGT_PMD:
		return "PMD";
	case PGT_PUD:
		return "PUD";
	case PGT_PGD:
		return "PGD";
	default:
		return "?";
	}
}

const char *pgt_origin_name(int origin)
{
	static const char *const names[PGT_ORIGIN_COUNT] = {
	    "static", "xen", "pgt_buf", "brk", "memblock", "extend_brk", "chunk-end"};
	return (origin >= 0 && origin < PGT_ORIGIN_COUNT) ? names[origin] : "?";
}

const char *pgt_event_kind_name(int kind)
{
	static const char *const names[PGT_EV_KIND_COUNT] = {
	    "call",      "range",   "buffer", "alloc",    "map", "clear", "hook",  "ro", "rw",
	    "VIOLATION", "reserve", "step",   "call-end", "log", "note",  "PANIC", "set"};
	return (kind >= 0 && kind < PGT_EV_KIND_COUNT) ? names[kind] : "?";
}

/* ---- kernel number formatting -------------------------------------------- */

char *pgt_kfmt_hash010(uint64_t v, char *buf, size_t size)
{
	/* lib/vsprintf.c: the '#' prefix is emitted even for 0 and counts in
	 * the field width, so the digits are zero-padded to width-2 = 8. */
	snprintf(buf, size, "0x%08llx", (unsigned long long)v);
	return buf;
}

/* ---- scenario ownership -------------------------------------------------- */

void pgt_scenario_clear(pgt_scenario *sc)
{
	free(sc->name);
	free(sc->title);
	free(sc->description);
	free(sc->e820);
	free(sc->edits);
	free(sc->resv);
	for (size_t i = 0; i < sc->n_notes; i++) {
		free(sc->notes[i].at);
		free(sc->notes[i].text);
		free(sc->notes[i].brief);
	}
	free(sc->notes);
	memset(sc, 0, sizeof(*sc));
}

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

bool pgt_scenario_set_str(char **field, const char *text)
{
	char *d = dup_str(text);
	if (text && !d)
		return false;
	free(*field);
	*field = d;
	return true;
}

static bool grow(void **p, size_t n, size_t elem)
{
	/* capacity doubles at powers of two; n is the new count */
	if (n & (n - 1))
		return true;
	void *q = realloc(*p, (n * 2) * elem);
	if (!q)
		return false;
	*p = q;
	return true;
}

bool pgt_scenario_add_e820(pgt_scenario *sc, uint64_t start, uint64_t end, uint32_t type)
{
	if (!grow((void **)&sc->e820, sc->n_e820 + 1, sizeof(*sc->e820)))
		return false;
	sc->e820[sc->n_e820++] = (pgt_e820_entry){start, end, type};
	return true;
}

bool pgt_scenario_add_edit(pgt_scenario *sc, uint64_t start, uint64_t end, uint32_t from_type,
                           uint32_t to_type)
{
	if (!grow((void **)&sc->edits, sc->n_edits + 1, sizeof(*sc->edits)))
		return false;
	sc->edits[sc->n_edits++] = (pgt_e820_edit){start, end, from_type, to_type};
	return true;
}

bool pgt_scenario_add_resv(pgt_scenario *sc, uint64_t start, uint64_t end, int kind,
                           const char *label)
{
	if (!grow((void **)&sc->resv, sc->n_resv + 1, sizeof(*sc->resv)))
		return false;
	pgt_resv *r = &sc->resv[sc->n_resv++];
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
	r->kind = kind;
	snprintf(r->label, sizeof(r->label), "%s", label ? label : pgt_resv_kind_name(kind));
	return true;
}

bool pgt_scenario_add_note(pgt_scenario *sc, const char *at, const char *text)
{
	if (!grow((void **)&sc->notes, sc->n_notes + 1, sizeof(*sc->notes)))
		return false;
	char *a = dup_str(at), *t = dup_str(text);
	if (!a || !t) {
		free(a);
		free(t);
		return false;
	}
	sc->notes[sc->n_notes++] = (pgt_note){a, t, NULL};
	return true;
}

bool pgt_scenario_copy_note(pgt_scenario *sc, const pgt_note *n)
{
	if (!pgt_scenario_add_note(sc, n->at, n->text))
		return false;
	if (n->brief && !pgt_scenario_set_str(&sc->notes[sc->n_notes - 1].brief, n->brief)) {
		pgt_note *last = &sc->notes[--sc->n_notes];
		free(last->at);
		free(last->text);
		return false;
	}
	return true;
}

bool pgt_scenario_copy(pgt_scenario *dst, const pgt_scenario *src)
{
	memset(dst, 0, sizeof(*dst));
	pgt_scenario tmp = *src;
	tmp.name = tmp.title = tmp.description = NULL;
	tmp.e820 = NULL;
	tmp.edits = NULL;
	tmp.resv = NULL;
	tmp.notes = NULL;
	tmp.n_e820 = tmp.n_edits = tmp.n_resv = tmp.n_notes = 0;
	*dst = tmp;
	bool ok = pgt_scenario_set_str(&dst->name, src->name) &&
	          pgt_scenario_set_str(&dst->title, src->title) &&
	          pgt_scenario_set_str(&dst->description, src->description);
	for (size_t i = 0; ok && i < src->n_e820; i++)
		ok = pgt_scenario_add_e820(dst, src->e820[i].start, src->e820[i].end,
		                           src->e820[i].type);
	for (size_t i = 0; ok && i < src->n_edits; i++)
		ok = pgt_scenario_add_edit(dst, src->edits[i].start, src->edits[i].end,
		                           src->edits[i].from_type, src->edits[i].to_type);
	for (size_t i = 0; ok && i < src->n_resv; i++)
		ok = pgt_scenario_add_resv(dst, src->resv[i].start, src->resv[i].end,
		                           src->resv[i].kind, src->resv[i].label);
	for (size_t i = 0; ok && i < src->n_notes; i++)
		ok = pgt_scenario_copy_note(dst, &src->notes[i]);
	if (!ok)
		pgt_scenario_clear(dst);
	return ok;
}

pgt_run_opts pgt_run_opts_default(int scheme)
{
	pgt_run_opts o;
	memset(&o, 0, sizeof(o));
	o.scheme = scheme;
	o.xen = -1;
	return o;
}

/* ---- the direct map's base ----------------------------------------------- */

bool pgt_direct_map_base_ok(uint64_t base, char *msg, size_t size)
{
	if (base >= PGT_DIRECT_MAP_MIN && base < PGT_DIRECT_MAP_END && !(base & ((1ull << 30) - 1)))
		return true;
	snprintf(msg, size,
	         "0x%llx is not a direct-map base: a 1 GiB-aligned kernel address from "
	         "0x%llx below 0x%llx (4-level paging)",
	         (unsigned long long)base, PGT_DIRECT_MAP_MIN, PGT_DIRECT_MAP_END);
	return false;
}

uint32_t pgt_direct_map_pud(uint64_t base)
{
	return (uint32_t)((base >> 30) & 511);
}
