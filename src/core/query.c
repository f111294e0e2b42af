/*
 * The read-only query API of core.h over a finished run: the model run,
 * events (decoded one by one or as a whole array on first use), log lines,
 * table records, the panic, the e820 map and memblock, the memory a run
 * holds, the state at a step (replayed from the nearest checkpoint) and the
 * text of an event.  pgt_sim_translate() and pgt_sim_ptdump() walk the
 * tables and live in walk.c.  Reads record.c's storage only.
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* A PMD page's parent and entry as the kernel has them: with a measured
 * direct-map base that is not 512 GiB-aligned (memory KASLR) the PUD
 * entry is that of the virtual address, in the PUD page of its PGD slot
 * (the model's PUD pages are indexed by physical address; entries.c,
 * kaslr_word).  Unchanged otherwise. */
static void kaslr_parent(const pgt_sim *s, const tab *pmd, unsigned long long *parent,
                         unsigned long long *index)
{
	uint64_t off = sim_page_offset(s);
	if (!(off & (SZ_512G - 1)) || s->root == NO_IDX)
		return;
	uint64_t va = off + tab_va(pmd);
	unsigned slot = (unsigned)((va >> 39) - (off >> 39));
	uint32_t w = slot < 512 ? sim_dir_get(s, s->root, slot) : 0;
	if (w < 2 || w - 2 >= s->nt || s->t[w - 2].level != PGT_PUD)
		return;
	*parent = w - 2;
	*index = (va >> 30) & 511;
}

/* ------------------------------------------------------------------------ */

int pgt_sim_scheme(const pgt_sim *s)
{
	return s->scheme;
}
uint32_t pgt_sim_kver(const pgt_sim *s)
{
	return s->kver;
}
int pgt_sim_xen_rule(const pgt_sim *s)
{
	return s->xen_rule == PGT_XEN_RULE_TOP && !s->xen_hook ? PGT_XEN_RULE_TOP_NOHOOK
	                                                       : s->xen_rule;
}

bool pgt_sim_xen(const pgt_sim *s)
{
	return s->xen;
}
int pgt_sim_bits(const pgt_sim *s)
{
	return s->bits32 ? 32 : 64;
}
bool pgt_sim_pae(const pgt_sim *s)
{
	return s->bits32 && s->pae;
}
const char *pgt_sim_model(const pgt_sim *s)
{
	return s->model;
}
size_t pgt_sim_event_count(const pgt_sim *s)
{
	return s->n_ev;
}
pgt_event pgt_sim_event(const pgt_sim *s, size_t i)
{
	if (i >= s->n_ev)
		return (pgt_event){.kind = PGT_EV_NOTE};
	return sim_event(s, i);
}
const pgt_event *pgt_sim_events(const pgt_sim *cs)
{
	pgt_sim *s = (pgt_sim *)(uintptr_t)cs; /* a cache; the run is unchanged */
	if (!s->events_out && s->n_ev) {
		s->events_out = malloc(s->n_ev * sizeof(*s->events_out));
		if (!s->events_out)
			return NULL;
		for (size_t i = 0; i < s->n_ev; i++)
			s->events_out[i] = sim_event(s, i);
	}
	return s->events_out;
}
size_t pgt_sim_log_count(const pgt_sim *s)
{
	return s->n_logs;
}
const pgt_logline *pgt_sim_log(const pgt_sim *s, size_t i)
{
	return i < s->n_logs ? &s->log_out[i] : NULL;
}
size_t pgt_sim_table_count(const pgt_sim *s)
{
	return s->nt;
}
pgt_table pgt_sim_table(const pgt_sim *s, size_t i)
{
	if (i >= s->nt)
		return (pgt_table){.hook_event = NO_IDX, .ro_event = NO_IDX, .parent = NO_IDX};
	const tab *t = &s->t[i];
	return (pgt_table){.pa = tab_pa(t),
	                   .va_base = tab_va(t),
	                   .alloc_event = t->alloc_event,
	                   .hook_event = t->hook_event,
	                   .ro_event = s->ro_ev ? s->ro_ev[i] : NO_IDX,
	                   .parent = t->parent,
	                   .parent_slot = t->slot,
	                   .level = t->level,
	                   .origin = t->origin};
}
const pgt_table *pgt_sim_tables(const pgt_sim *cs)
{
	pgt_sim *s = (pgt_sim *)(uintptr_t)cs; /* a cache; the run is unchanged */
	if (!s->tables_out && s->nt) {
		s->tables_out = malloc(s->nt * sizeof(*s->tables_out));
		if (!s->tables_out)
			return NULL;
		for (size_t i = 0; i < s->nt; i++)
			s->tables_out[i] = pgt_sim_table(s, i);
	}
	return s->tables_out;
}
const char *pgt_sim_panic(const pgt_sim *s)
{
	if (!s->panicked)
		return NULL;
	const char *t = s->log_out[s->panic_log].text, *pre = "Kernel panic - not syncing: ";
	return strncmp(t, pre, strlen(pre)) ? t : t + strlen(pre);
}
size_t pgt_sim_e820(const pgt_sim *s, const pgt_e820_entry **out)
{
	*out = s->e820;
	return s->n_e820;
}

uint64_t pgt_sim_e820_work(const pgt_sim *s)
{
	return s->e820_work;
}

uint64_t pgt_sim_e820_query_work(const pgt_sim *s)
{
	return s->e820_query_work;
}
size_t pgt_sim_memblock_memory(const pgt_sim *s, const pgt_region **out)
{
	*out = s->mb.memory.r;
	return s->mb.memory.n;
}
size_t pgt_sim_memblock_reserved_initial(const pgt_sim *s, const pgt_region **out)
{
	*out = s->reserved_initial.r;
	return s->reserved_initial.n;
}
size_t pgt_sim_memblock_reserved_final(const pgt_sim *s, const pgt_region **out)
{
	*out = s->mb.reserved.r;
	return s->mb.reserved.n;
}
size_t pgt_sim_memory(const pgt_sim *s)
{
	return sizeof(*s) + s->cap_ev * sizeof(*s->ev) + s->cap_xev * sizeof(*s->xev) +
	       s->cap_boot * sizeof(*s->boot) + s->cap_ckpt * sizeof(*s->ckpt) +
	       s->cap_logs * sizeof(*s->logs) + s->pool_cap + s->n_logs * sizeof(*s->log_out) +
	       s->cap_t * sizeof(*s->t) + s->cap_content * sizeof(*s->content) +
	       s->cap_ro_ev * sizeof(*s->ro_ev) + s->cap_dir * sizeof(*s->dir) +
	       s->cap_pte * sizeof(*s->pte) +
	       s->by_pfn.cap * (sizeof(*s->by_pfn.keys) + sizeof(*s->by_pfn.vals)) +
	       s->pte_by_va.cap * (sizeof(*s->pte_by_va.keys) + sizeof(*s->pte_by_va.vals)) +
	       s->ro.cap * sizeof(*s->ro.keys) + s->pinned.cap * sizeof(*s->pinned.keys) +
	       (s->mb.memory.cap + s->mb.reserved.cap + s->reserved_initial.cap) *
	           sizeof(pgt_region) +
	       s->n_e820 * sizeof(*s->e820);
}

uint64_t pgt_sim_max_pfn(const pgt_sim *s)
{
	return s->max_pfn;
}
uint64_t pgt_sim_max_low_pfn(const pgt_sim *s)
{
	return s->max_low_pfn;
}

pgt_state pgt_sim_state_at(const pgt_sim *s, size_t step)
{
	pgt_state st;
	memset(&st, 0, sizeof(st));
	if (!s->n_ev)
		return s->cur;
	if (step >= s->n_ev)
		return s->cur;
	size_t k = step / CKPT_EVERY;
	if (k >= s->n_ckpt)
		k = s->n_ckpt - 1;
	st = s->ckpt[k];
	for (size_t i = k * CKPT_EVERY; i <= step; i++) {
		pgt_event e = sim_event(s, i);
		sim_state_apply(&st, &e);
	}
	return st;
}

static const char *shift_label(uint64_t shift)
{
	/* 22: a 4 MiB page of non-PAE i386 */
	return shift == 30 ? "1G" : shift == 22 ? "4M" : shift == 21 ? "2M" : "4k";
}

char *pgt_sim_event_text(const pgt_sim *s, size_t i, char *buf, size_t size)
{
	if (i >= s->n_ev) {
		snprintf(buf, size, "?");
		return buf;
	}
	const pgt_event ev = sim_event(s, i), *e = &ev;
	unsigned long long a = e->a, b = e->b, aux = e->aux;
	switch (e->kind) {
	case PGT_EV_CALL_BEGIN:
		snprintf(buf, size, "call %llu init_memory_mapping [%#llx-%#llx)", aux + 1, a, b);
		break;
	case PGT_EV_RANGE:
		snprintf(buf, size, "range [%#llx-%#llx) %s", a, b, shift_label(aux));
		break;
	case PGT_EV_BUF_FOUND:
		snprintf(buf, size, "pgt_buf [%#llx-%#llx) %llu pages", a, b, (b - a) >> 12);
		break;
	case PGT_EV_ALLOC:
		snprintf(buf, size, "alloc %s #%u @%#llx from %s, maps %#llx",
		         pgt_level_name(e->level), e->table, a, pgt_origin_name(e->origin), b);
		break;
	case PGT_EV_MAP:
		snprintf(buf, size, "map [%#llx-%#llx) %s in %s #%u", a, b, shift_label(aux),
		         pgt_level_name(e->level), e->table);
		break;
	case PGT_EV_CLEAR:
		snprintf(buf, size, "clear [%#llx-%#llx) in %s #%u", a, b, pgt_level_name(e->level),
		         e->table);
		break;
	case PGT_EV_HOOK:
		/* a PUD hooked into the root sits in the direct map's PGD slot:
		 * __PAGE_OFFSET 0xffff880000000000 is slot 272 (4-level x86-64;
		 * 0xffff888000000000, slot 273, from 4.20; a measured base's own
		 * slot), a PMD in the PUD entry of its virtual address (a measured
		 * base is 1 GiB-aligned: its PUD index offsets the entries) */
		if (e->level == PGT_PUD && !s->bits32)
			aux += (sim_page_offset(s) >> 39) & 511;
		else if (e->level == PGT_PMD && !s->bits32 && e->table < s->nt)
			kaslr_parent(s, &s->t[e->table], &b, &aux);
		/* "live": reachable from the root the CPU runs on.  On native
		 * x86-64 3.9+ the root is not loaded until load_cr3() at the end
		 * of init_mem_mapping (the CPU runs on early_level4_pgt), so a
		 * link there is only reachable (docs/kernel-model.md: Live tables) */
		snprintf(buf, size, "hook %s #%u @%#llx into #%llu[%llu]%s",
		         pgt_level_name(e->level), e->table, a, b, aux,
		         !e->flags ? ""
		         : !s->xen && !s->bits32 && s->kver >= V(3, 9, 0)
		             ? " (reachable from the root)"
		             : " (live)");
		break;
	case PGT_EV_MARK_RO:
		snprintf(buf, size, "ro [%#llx-%#llx) %llu pages", a, b, (b - a) >> 12);
		break;
	case PGT_EV_MARK_RW:
		snprintf(buf, size, "rw [%#llx-%#llx) %llu pages were ro", a, b, aux);
		break;
	case PGT_EV_VIOLATION:
		if (e->flags & 1) {
			uint32_t q = (uint32_t)b;
			unsigned long long qa = q < s->nt ? tab_pa(&s->t[q]) : 0, w = aux >> 16;
			snprintf(
			    buf, size,
			    "VIOLATION pin L1 %s #%u @%#llx refused: writable alias in PTE #%u "
			    "@%#llx entry %llu, written at event %llu",
			    pgt_level_name(e->level), e->table, a, q, qa, aux & 0xffff, w);
		} else {
			snprintf(buf, size, "VIOLATION live %s #%u @%#llx is mapped writable",
			         pgt_level_name(e->level), e->table, a);
		}
		break;
	case PGT_EV_RESERVE:
		snprintf(buf, size, "reserve [%#llx-%#llx)%s", a, b,
		         aux == 1   ? " page tables"
		         : aux == 2 ? " crashkernel"
		                    : "");
		break;
	case PGT_EV_STEP_SIZE:
		snprintf(buf, size, "step-size %#llx", a);
		break;
	case PGT_EV_CALL_END:
		snprintf(buf, size, "call-end %#llx", a);
		break;
	case PGT_EV_LOG:
		snprintf(buf, size, "log %s", aux < s->n_logs ? s->pool + s->logs[aux].off : "?");
		break;
	case PGT_EV_NOTE:
		if (aux == PGT_NOTE_XEN_MAPPED_RAISED)
			snprintf(buf, size,
			         "note Xen PV: xen_mapped_end %#llx raised to %#llx to cover the "
			         "kernel, BRK and the builder's tables",
			         a, b);
		else if (aux == PGT_NOTE_XEN_KERNEL_LOW)
			snprintf(
			    buf, size,
			    "note Xen PV: kernel/BRK at %#llx ignored, the domain builder loads "
			    "the kernel at 16 MiB",
			    a);
		else if (aux == PGT_NOTE_E820_SANITIZED)
			snprintf(
			    buf, size,
			    "note e820 sanitized: %llu overlapping entries resolved (larger type "
			    "wins)",
			    a);
		else
			snprintf(buf, size, "note %llu [%#llx-%#llx)", aux, a, b);
		break;
	case PGT_EV_PANIC:
		snprintf(buf, size, "PANIC %s", aux < s->n_logs ? s->pool + s->logs[aux].off : "?");
		break;
	case PGT_EV_SET: {
		static const char *const vars[] = {"pgt_buf", "min_pfn_mapped", "max_pfn_mapped",
		                                   "can_use_brk_pgt", "pgt_buf_end"};
		const char *v = aux < 5 ? vars[aux] : "?";
		if (aux == PGT_VAR_PGT_BUF)
			snprintf(buf, size, "set pgt_buf start=end=%#llx top=%#llx", a, b);
		else
			snprintf(buf, size, "set %s=%#llx", v, a);
		break;
	}
	default:
		snprintf(buf, size, "?");
	}
	return buf;
}
