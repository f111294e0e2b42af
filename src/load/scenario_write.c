/*
 * Scenario JSON, the writer: pgt_scenario_to_json().
 *
 * The text is built by hand (not cJSON_Print) so that key order, hex
 * spelling and layout are stable and diff well: one key per line at the top
 * level, one object per line in the arrays, addresses as "0x..." strings,
 * e820 types and reservation kinds by the names of the shared vocabulary
 * (scenario_values.c).  What it writes reads back to an equal scenario:
 * load(write(sc)) == sc.  `pgtviz import` also writes the provenance
 * ("source") block here.
 */
#include "scenario_json_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* Writing                                                                  */
/* ======================================================================== */

/* A growing output buffer. */
typedef struct sbuf {
	char *s;       /* NUL-terminated text */
	size_t n, cap; /* used (without NUL) / allocated */
	bool oom;      /* an allocation failed; the result is dropped */
} sbuf;

static void sb_put(sbuf *b, const char *text, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, text, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *text)
{
	sb_put(b, text, strlen(text));
}

PRINTF_LIKE(2, 3)
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_put(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A JSON string; invalid UTF-8 becomes U+FFFD (JSON cannot carry it). */
static void sb_string(sbuf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t len = strlen((const char *)p);
	sb_puts(b, "\"");
	for (size_t i = 0; i < len;) {
		unsigned ch = p[i];
		size_t n = sj_utf8_len(p + i, len - i);
		if (ch == '"' || ch == '\\')
			sb_printf(b, "\\%c", (int)ch);
		else if (ch == '\n')
			sb_puts(b, "\\n");
		else if (ch == '\t')
			sb_puts(b, "\\t");
		else if (ch < 0x20)
			sb_printf(b, "\\u%04x", ch);
		else if (n)
			sb_put(b, (const char *)p + i, n);
		else
			sb_puts(b, "\xef\xbf\xbd");
		i += n ? n : 1;
	}
	sb_puts(b, "\"");
}

static void sb_hex(sbuf *b, uint64_t v)
{
	sb_printf(b, "\"0x%" PRIx64 "\"", v);
}

/* Starts member `key` of a multi-line object at indent 2. */
static void sb_key(sbuf *b, bool *first, const char *key)
{
	sb_puts(b, *first ? "\n  \"" : ",\n  \"");
	*first = false;
	sb_puts(b, key);
	sb_puts(b, "\": ");
}

/* An e820 type: its name, or a number for other types. */
static void sb_e820_type(sbuf *b, uint32_t type)
{
	for (size_t i = 0; i < N_E820_NAMES; i++) {
		if (sj_e820_names[i].type == type) {
			sb_string(b, sj_e820_names[i].name);
			return;
		}
	}
	sb_printf(b, "%" PRIu32, type);
}

static void sb_range(sbuf *b, uint64_t start, uint64_t end)
{
	sb_puts(b, "\"start\": ");
	sb_hex(b, start);
	sb_puts(b, ", \"end\": ");
	sb_hex(b, end);
}

static const char *resv_kind_name(int kind)
{
	for (size_t i = 0; i < N_RESV_KINDS; i++)
		if (sj_resv_kinds[i].kind == kind)
			return sj_resv_kinds[i].name;
	return "other";
}

static void write_header(sbuf *b, bool *first, const pgt_scenario *sc)
{
	char ver[32];
	sb_key(b, first, "format");
	sb_string(b, FORMAT_NAME);
	sb_key(b, first, "name");
	sb_string(b, sc->name && sc->name[0] ? sc->name : "unnamed");
	if (sc->title) {
		sb_key(b, first, "title");
		sb_string(b, sc->title);
	}
	if (sc->description) {
		sb_key(b, first, "description");
		sb_string(b, sc->description);
	}
	if (sc->kver) {
		sb_key(b, first, "kernel");
		sb_string(b, pgt_kver_format(sc->kver, ver, sizeof(ver)));
	}
	bool s0 = sc->schemes[0] >= 0 && sc->schemes[0] < PGT_SCHEME_COUNT;
	bool s1 = sc->schemes[1] >= 0 && sc->schemes[1] < PGT_SCHEME_COUNT;
	if (s0) {
		sb_key(b, first, "schemes");
		sb_puts(b, "[");
		sb_string(b, pgt_scheme_name(sc->schemes[0]));
		if (s1) {
			sb_puts(b, ", ");
			sb_string(b, pgt_scheme_name(sc->schemes[1]));
		}
		sb_puts(b, "]");
	}
}

static void write_settings(sbuf *b, bool *first, const pgt_scenario *sc)
{
	sb_key(b, first, "cpu");
	sb_printf(b, "{ \"pse\": %s, \"gbpages\": %s, \"debug_pagealloc\": %s }",
	          sc->cpu.pse ? "true" : "false", sc->cpu.gbpages ? "true" : "false",
	          sc->cpu.debug_pagealloc ? "true" : "false");
	sb_key(b, first, "xen_pv");
	sb_puts(b, sc->xen_pv ? "true" : "false");
	sb_key(b, first, "xen_rule");
	sb_string(b, sc->xen_rule >= 0 && (size_t)sc->xen_rule < N_XEN_RULE_NAMES
	                 ? sj_xen_rule_names[sc->xen_rule]
	                 : "auto");
	sb_key(b, first, "sizing");
	sb_string(b, sc->sizing >= 0 && (size_t)sc->sizing < N_SIZING_NAMES
	                 ? sj_sizing_names[sc->sizing]
	                 : "auto");
	sb_key(b, first, "kaslr_memory");
	sb_puts(b, sc->kaslr_memory ? "true" : "false");
	if (sc->brk_pages) {
		sb_key(b, first, "brk_pages");
		sb_printf(b, "%u", (unsigned)sc->brk_pages);
	}
	if (sc->resv_complete) {
		sb_key(b, first, "reservations_complete");
		sb_puts(b, "true");
	}
	const struct {
		const char *key;
		uint64_t v;
	} addrs[] = {{"kernel_start", sc->kernel_start},
	             {"kernel_end", sc->kernel_end},
	             {"brk_base", sc->brk_base},
	             {"xen_mapped_end", sc->xen_mapped_end},
	             {"initial_mapped", sc->initial_mapped},
	             {"kernel_image_end", sc->kernel_image_end},
	             {"direct_map_base", sc->direct_map_base}};
	for (size_t i = 0; i < COUNT(addrs); i++) {
		if (!addrs[i].v)
			continue;
		sb_key(b, first, addrs[i].key);
		sb_hex(b, addrs[i].v);
	}
	if (sc->bits == 32) {
		sb_key(b, first, "i386");
		sb_printf(b, "{ \"pae\": %s, \"highmem\": %s", sc->pae ? "true" : "false",
		          sc->highmem ? "true" : "false");
		if (sc->lowmem_end) {
			sb_puts(b, ", \"lowmem_end\": ");
			sb_hex(b, sc->lowmem_end);
		}
		if (sc->fixmap_size) {
			sb_puts(b, ", \"fixmap_size\": ");
			sb_hex(b, sc->fixmap_size);
		}
		sb_puts(b, " }");
	}
}

static void write_cmdline(sbuf *b, bool *first, const pgt_scenario *sc)
{
	bool any = false;
	if (!sc->mem_limit && !sc->nogbpages && !sc->movable_node && !sc->reservelow &&
	    !sc->crashkernel && !sc->nokaslr)
		return;
	sb_key(b, first, "cmdline");
	sb_puts(b, "{");
	if (sc->mem_limit) {
		sb_puts(b, " \"mem\": ");
		sb_hex(b, sc->mem_limit);
		any = true;
	}
	if (sc->nogbpages) {
		sb_puts(b, any ? ", \"nogbpages\": true" : " \"nogbpages\": true");
		any = true;
	}
	if (sc->movable_node) {
		sb_puts(b, any ? ", \"movable_node\": true" : " \"movable_node\": true");
		any = true;
	}
	if (sc->reservelow) {
		sb_puts(b, any ? ", \"reservelow\": " : " \"reservelow\": ");
		sb_hex(b, sc->reservelow);
		any = true;
	}
	if (sc->crashkernel) {
		sb_puts(b, any ? ", \"crashkernel\": " : " \"crashkernel\": ");
		sb_hex(b, sc->crashkernel);
		any = true;
	}
	if (sc->nokaslr)
		sb_puts(b, any ? ", \"nokaslr\": true" : " \"nokaslr\": true");
	sb_puts(b, " }");
}

/* Opens array `key`, or returns false when it has no elements. */
static bool sb_array(sbuf *b, bool *first, const char *key, size_t n)
{
	if (!n)
		return false;
	sb_key(b, first, key);
	sb_puts(b, "[");
	return true;
}

/* Starts element i of a one-object-per-line array. */
static void sb_elem(sbuf *b, size_t i)
{
	sb_puts(b, i ? ",\n    { " : "\n    { ");
}

static void write_lists(sbuf *b, bool *first, const pgt_scenario *sc)
{
	sb_key(b, first, "e820");
	sb_puts(b, "[");
	for (size_t i = 0; i < sc->n_e820; i++) {
		sb_elem(b, i);
		sb_range(b, sc->e820[i].start, sc->e820[i].end);
		sb_puts(b, ", \"type\": ");
		sb_e820_type(b, sc->e820[i].type);
		sb_puts(b, " }");
	}
	sb_puts(b, sc->n_e820 ? "\n  ]" : "]");
	if (sb_array(b, first, "e820_edits", sc->n_edits)) {
		for (size_t i = 0; i < sc->n_edits; i++) {
			const pgt_e820_edit *e = &sc->edits[i];
			sb_elem(b, i);
			sb_range(b, e->start, e->end);
			if (e->from_type) {
				sb_puts(b, ", \"from\": ");
				sb_e820_type(b, e->from_type);
			}
			sb_puts(b, ", \"to\": ");
			if (e->to_type)
				sb_e820_type(b, e->to_type);
			else
				sb_string(b, "remove");
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
	if (sb_array(b, first, "reservations", sc->n_resv)) {
		for (size_t i = 0; i < sc->n_resv; i++) {
			const pgt_resv *r = &sc->resv[i];
			sb_elem(b, i);
			sb_range(b, r->start, r->end);
			sb_puts(b, ", \"kind\": ");
			sb_string(b, resv_kind_name(r->kind));
			if (strcmp(r->label, resv_kind_name(r->kind)) != 0) {
				sb_puts(b, ", \"label\": ");
				sb_string(b, r->label);
			}
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
	if (sb_array(b, first, "notes", sc->n_notes)) {
		for (size_t i = 0; i < sc->n_notes; i++) {
			sb_elem(b, i);
			sb_puts(b, "\"at\": ");
			sb_string(b, sc->notes[i].at);
			sb_puts(b, ", \"text\": ");
			sb_string(b, sc->notes[i].text);
			if (sc->notes[i].brief) {
				sb_puts(b, ", \"short\": ");
				sb_string(b, sc->notes[i].brief);
			}
			sb_puts(b, " }");
		}
		sb_puts(b, "\n  ]");
	}
}

static void write_source(sbuf *b, bool *first, const pgt_source_kv *source, size_t n)
{
	if (!n)
		return;
	sb_key(b, first, "source");
	sb_puts(b, "{");
	for (size_t i = 0; i < n; i++) {
		sb_puts(b, i ? ",\n    " : "\n    ");
		sb_string(b, source[i].key);
		sb_puts(b, ": ");
		sb_string(b, source[i].value);
	}
	sb_puts(b, "\n  }");
}

char *pgt_scenario_to_json(const pgt_scenario *sc, const pgt_source_kv *source, size_t n_source)
{
	sbuf b = {0};
	bool first = true;
	sb_puts(&b, "{");
	write_header(&b, &first, sc);
	write_settings(&b, &first, sc);
	write_cmdline(&b, &first, sc);
	write_lists(&b, &first, sc);
	write_source(&b, &first, source, n_source);
	sb_puts(&b, "\n}\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
