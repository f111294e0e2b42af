/*
 * Simulation infrastructure: the run entry point, the machine set-up (e820
 * sanitising and the version's own trims, memblock fill, reservations),
 * the event log with per-event state checkpoints, the kernel log, table
 * storage and the read-only query API of core.h.
 *
 * Events are the single source of truth for everything that changes over
 * time: pgt_sim_state_at() replays at most CKPT_EVERY events from the
 * nearest checkpoint, so stepping back or scrubbing is O(1) in the run
 * length.  Memory grows with table pages, never with RAM bytes, and is
 * kept small per table page (issue 15: at most 64 bytes; docs/performance.md):
 *   - a table is a 24-byte record (struct tab) plus one content word: a PTE
 *     page's present entries are one run [lo, hi) in that word until they
 *     stop being one run (then a 512-bit block of the bitmap pool);
 *     directory pages keep 512 x u32 (they are 1/512 of the tables);
 *   - an event is one 64-bit word: ALLOC, HOOK, MAP, CLEAR and LOG -- the
 *     kinds that repeat per table -- are packed with what the table record
 *     already says left out; every other event is kept whole in a side
 *     array and the word points at it;
 *   - the large arrays come from the caller's allocator (pgt_run_opts.alloc)
 *     when it gives one: grown in place by whole granules, no copies.
 */
#include "sim_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Growable arrays                                                          */
/* ------------------------------------------------------------------------ */

static void *grow_array(pgt_sim *s, void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * elem);
	if (!q)
		sim_oom(s);
	*cap = c;
	return q;
}

/* The arrays that grow with table pages, through the run's allocator. */
static void *grow_big(pgt_sim *s, void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	const pgt_allocator *al = s->alloc;
	size_t c;
	if (al && al->granule) {
		/* in place: double while small, then whole granules (4 KiB steps) */
		size_t bytes = *cap * elem, g = al->granule;
		size_t step = bytes < g ? (bytes > 4096 ? bytes : 4096) : g;
		bytes += step;
		if (bytes < need * elem)
			bytes = (need * elem + 4095) / 4096 * 4096;
		c = bytes / elem;
	} else {
		c = *cap ? *cap : 64;
		while (c < need)
			c *= 2;
	}
	void *q = al ? al->resize(al->ctx, p, *cap * elem, c * elem) : realloc(p, c * elem);
	if (!q)
		sim_oom(s);
	*cap = c;
	return q;
}

static void free_big(const pgt_sim *s, void *p, size_t bytes)
{
	if (s->alloc)
		s->alloc->release(s->alloc->ctx, p, bytes);
	else
		free(p);
}

void sim_oom(pgt_sim *s)
{
	s->oom = true;
	longjmp(s->jb, 1);
}

/* ------------------------------------------------------------------------ */
/* Events and state                                                         */
/* ------------------------------------------------------------------------ */

static void state_apply(pgt_state *st, const pgt_event *e)
{
	switch (e->kind) {
	case PGT_EV_CALL_BEGIN:
		st->call = (uint32_t)e->aux + 1;
		st->chunk_start = e->a;
		st->chunk_end = e->b;
		break;
	case PGT_EV_BUF_FOUND:
		st->pgt_buf_start = st->pgt_buf_end = e->a >> 12;
		st->pgt_buf_top = e->b >> 12;
		break;
	case PGT_EV_ALLOC:
		if (e->level <= PGT_PGD)
			st->tables[e->level]++;
		if (e->origin < PGT_ORIGIN_COUNT)
			st->tables_origin[e->origin]++;
		if (e->origin == PGT_ORIGIN_PGTBUF || e->origin == PGT_ORIGIN_BRK)
			st->pgt_buf_end = (e->a >> 12) + 1;
		if (e->origin == PGT_ORIGIN_BRK || e->origin == PGT_ORIGIN_EXTEND_BRK)
			st->brk_used++;
		break;
	case PGT_EV_MAP:
		st->mapped_bytes += e->b - e->a;
		break;
	case PGT_EV_CLEAR:
		st->mapped_bytes -=
		    (e->b - e->a) <= st->mapped_bytes ? (e->b - e->a) : st->mapped_bytes;
		break;
	case PGT_EV_MARK_RO:
		st->ro_pages += (uint32_t)((e->b - e->a) >> 12);
		break;
	case PGT_EV_MARK_RW:
		st->ro_pages -= (uint32_t)e->aux <= st->ro_pages ? (uint32_t)e->aux : st->ro_pages;
		break;
	case PGT_EV_VIOLATION:
		st->violations++;
		break;
	case PGT_EV_STEP_SIZE:
		st->step_size = e->a;
		break;
	case PGT_EV_SET:
		switch (e->aux) {
		case PGT_VAR_PGT_BUF:
			st->pgt_buf_start = st->pgt_buf_end = e->a;
			st->pgt_buf_top = e->b;
			break;
		case PGT_VAR_MIN_PFN_MAPPED:
			st->min_pfn_mapped = e->a;
			break;
		case PGT_VAR_MAX_PFN_MAPPED:
			st->max_pfn_mapped = e->a;
			break;
		case PGT_VAR_CAN_USE_BRK:
			st->can_use_brk_pgt = e->a != 0;
			break;
		case PGT_VAR_PGT_BUF_END:
			st->pgt_buf_end = e->a;
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
}

/* ---- Event encoding --------------------------------------------------------
 * One 64-bit word per event:
 *   bits 0-4   kind, or EV_WHOLE: bits 5-63 index the whole event in xev
 *   bits 5-36  table index (LOG: the log line index)
 *   bits 37-41 MAP/CLEAR: entry size shift
 *   bits 42-52 MAP/CLEAR: first entry (from the table's va_base);
 *              HOOK: slot in the parent
 *   bits 53-63 MAP/CLEAR: end entry; HOOK: bit 53 = flags (live parent)
 * What is left out comes from the table record: ALLOC's level, origin,
 * address and va_base; HOOK's level, origin, address and parent; MAP's and
 * CLEAR's level.  An event is packed only if unpacking gives it back
 * exactly; otherwise it is kept whole. */
#define EV_WHOLE 31u

static pgt_event ev_unpack(const pgt_sim *s, uint64_t w)
{
	pgt_event e = {.kind = (uint8_t)(w & 31)};
	uint32_t x = (uint32_t)(w >> 5);
	unsigned shift = (unsigned)(w >> 37) & 31, lo = (unsigned)(w >> 42) & 2047,
	         hi = (unsigned)(w >> 53) & 2047;
	if (e.kind == PGT_EV_LOG) {
		e.aux = x;
		return e;
	}
	if (x >= s->nt) {
		e.kind = 0xff; /* never equal to an event: it is kept whole */
		return e;
	}
	const tab *t = &s->t[x];
	e.table = x;
	e.level = t->level;
	switch (e.kind) {
	case PGT_EV_ALLOC:
		e.origin = t->origin;
		e.a = tab_pa(t);
		e.b = tab_va(t);
		break;
	case PGT_EV_HOOK:
		e.origin = t->origin;
		e.flags = (uint8_t)(hi & 1);
		e.a = tab_pa(t);
		e.b = t->parent;
		e.aux = lo;
		break;
	case PGT_EV_MAP:
	case PGT_EV_CLEAR:
		e.a = tab_va(t) + ((uint64_t)lo << shift);
		e.b = tab_va(t) + ((uint64_t)hi << shift);
		e.aux = e.kind == PGT_EV_MAP ? shift : 0;
		break;
	default:
		break;
	}
	return e;
}

static bool ev_same(const pgt_event *x, const pgt_event *y)
{
	return x->kind == y->kind && x->level == y->level && x->origin == y->origin &&
	       x->flags == y->flags && x->table == y->table && x->a == y->a && x->b == y->b &&
	       x->aux == y->aux;
}

static unsigned ctz64(uint64_t v)
{
	unsigned n = 0;
	while (n < 63 && !(v >> n & 1))
		n++;
	return n;
}

/* The packed word for e, if e has one; 0 (the packed CALL_BEGIN of table 0,
 * which is never used) if not. */
static uint64_t ev_pack_try(const pgt_sim *s, const pgt_event *e)
{
	uint64_t w = e->kind, shift = 0, lo = 0, hi = 0;
	switch (e->kind) {
	case PGT_EV_LOG:
		if (e->aux > UINT32_MAX)
			return 0;
		w |= e->aux << 5;
		break;
	case PGT_EV_ALLOC:
		w |= (uint64_t)e->table << 5;
		break;
	case PGT_EV_HOOK:
		if (e->aux > 2047)
			return 0;
		w |= (uint64_t)e->table << 5 | e->aux << 42 | (uint64_t)(e->flags & 1) << 53;
		break;
	case PGT_EV_MAP:
	case PGT_EV_CLEAR: {
		if (e->table >= s->nt || e->b < e->a)
			return 0;
		uint64_t va = tab_va(&s->t[e->table]);
		if (e->a < va)
			return 0;
		shift = e->kind == PGT_EV_MAP ? e->aux
		                              : ctz64((e->a - va) | (e->b - va) | (1ULL << 31));
		if (shift > 31)
			return 0;
		lo = (e->a - va) >> shift;
		hi = (e->b - va) >> shift;
		if (lo > 2047 || hi > 2047)
			return 0;
		w |= (uint64_t)e->table << 5 | shift << 37 | lo << 42 | hi << 53;
		break;
	}
	default:
		return 0;
	}
	pgt_event d = ev_unpack(s, w);
	return ev_same(&d, e) ? w : 0;
}

static uint64_t ev_encode(pgt_sim *s, const pgt_event *e)
{
	uint64_t w = ev_pack_try(s, e);
	if (w)
		return w;
	s->xev = grow_array(s, s->xev, &s->cap_xev, s->n_xev + 1, sizeof(*s->xev));
	s->xev[s->n_xev] = *e;
	return EV_WHOLE | (uint64_t)s->n_xev++ << 5;
}

pgt_event sim_event(const pgt_sim *s, size_t i)
{
	uint64_t w = s->ev[i];
	if ((w & 31) == EV_WHOLE)
		return s->xev[w >> 5];
	return ev_unpack(s, w);
}

static void emit_raw(pgt_sim *s, const pgt_event *e)
{
	if (s->n_ev >= s->max_events) {
		s->truncated = true;
		longjmp(s->jb, 1);
	}
	if (s->n_ev % CKPT_EVERY == 0) {
		s->ckpt = grow_big(s, s->ckpt, &s->cap_ckpt, s->n_ckpt + 1, sizeof(*s->ckpt));
		s->ckpt[s->n_ckpt++] = s->cur;
	}
	s->ev = grow_big(s, s->ev, &s->cap_ev, s->n_ev + 1, sizeof(*s->ev));
	s->ev[s->n_ev++] = ev_encode(s, e);
	state_apply(&s->cur, e);
}

void sim_flush(pgt_sim *s)
{
	if (s->pend.kind != 0xff) {
		pgt_event e = s->pend;
		s->pend.kind = 0xff;
		emit_raw(s, &e);
	}
	if (s->pend_ro.kind != 0xff) {
		pgt_event e = s->pend_ro;
		s->pend_ro.kind = 0xff;
		emit_raw(s, &e);
	}
}

void sim_emit(pgt_sim *s, pgt_event e)
{
	sim_flush(s);
	emit_raw(s, &e);
}

/* Coalesces consecutive leaf writes of one size in one table. */
void sim_map_run(pgt_sim *s, uint32_t table, uint64_t a, uint64_t b, unsigned shift)
{
	pgt_event *p = &s->pend;
	if (p->kind == PGT_EV_MAP && p->table == table && p->aux == shift && p->b == a) {
		p->b = b;
		return;
	}
	if (p->kind != 0xff) {
		pgt_event e = *p;
		p->kind = 0xff;
		emit_raw(s, &e);
	}
	*p = (pgt_event){.kind = PGT_EV_MAP, .table = table, .a = a, .b = b, .aux = shift};
	p->level = table < s->nt ? (uint8_t)s->t[table].level : 0;
}

/* Coalesces consecutive read-only direct-map PTEs (Xen). */
void sim_ro_run(pgt_sim *s, uint64_t pfn)
{
	pgt_event *p = &s->pend_ro;
	uint64_t a = pfn << 12;
	if (p->kind == PGT_EV_MARK_RO && p->b == a) {
		p->b = a + SZ_4K;
		return;
	}
	if (p->kind != 0xff) {
		pgt_event e = *p;
		p->kind = 0xff;
		emit_raw(s, &e);
	}
	*p = (pgt_event){.kind = PGT_EV_MARK_RO, .a = a, .b = a + SZ_4K};
}

void sim_set(pgt_sim *s, int var, uint64_t a, uint64_t b)
{
	sim_emit(s, (pgt_event){.kind = PGT_EV_SET, .aux = (uint64_t)var, .a = a, .b = b});
}

/* ------------------------------------------------------------------------ */
/* Kernel log                                                               */
/* ------------------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 0)))
#endif
static void
log_vadd(pgt_sim *s, int ll, bool shown, bool mapping, const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	s->pool = grow_array(s, s->pool, &s->pool_cap, s->pool_len + len + 1, 1);
	memcpy(s->pool + s->pool_len, buf, len + 1);
	s->logs = grow_array(s, s->logs, &s->cap_logs, s->n_logs + 1, sizeof(*s->logs));
	sim_flush(s);
	s->logs[s->n_logs] = (logrec){s->pool_len, (uint32_t)s->n_ev, (uint8_t)ll, shown, mapping};
	s->pool_len += len + 1;
	emit_raw(s, &(pgt_event){.kind = PGT_EV_LOG, .aux = s->n_logs});
	s->n_logs++;
}

void sim_log(pgt_sim *s, int ll, bool shown, bool mapping, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vadd(s, ll, shown, mapping, fmt, ap);
	va_end(ap);
}

/* Ends the run: logs the panic line, emits the PANIC event and unwinds to
 * pgt_sim_run(). */
static _Noreturn void sim_die(pgt_sim *s, const char *prefix, const char *msg)
{
	sim_log(s, 0, true, false, "%s%s", prefix, msg);
	s->panic_log = s->n_logs - 1;
	s->panicked = true;
	emit_raw(s, &(pgt_event){.kind = PGT_EV_PANIC, .aux = s->panic_log});
	longjmp(s->jb, 1);
}

#define SIM_FORMAT(msg, fmt)                                                                       \
	do {                                                                                       \
		va_list ap_;                                                                       \
		va_start(ap_, fmt);                                                                \
		vsnprintf(msg, sizeof(msg), fmt, ap_);                                             \
		va_end(ap_);                                                                       \
	} while (0)

void sim_bug(pgt_sim *s, const char *fmt, ...)
{
	char msg[256];
	SIM_FORMAT(msg, fmt);
	sim_die(s, "", msg);
}

void sim_panic(pgt_sim *s, const char *fmt, ...)
{
	char msg[256];
	SIM_FORMAT(msg, fmt);
	sim_die(s, "Kernel panic - not syncing: ", msg);
}

/* ------------------------------------------------------------------------ */
/* pfn hash map / set                                                       */
/* ------------------------------------------------------------------------ */

static size_t hash_pfn(uint64_t k, size_t cap)
{
	k *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(k >> 17) & (cap - 1);
}

static void pfn_map_put(pgt_sim *s, pfn_map *m, uint64_t pfn, uint32_t v)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 1024;
		uint64_t *nk = calloc(nc, sizeof(*nk));
		uint32_t *nv = calloc(nc, sizeof(*nv));
		if (!nk || !nv) {
			free(nk);
			free(nv);
			sim_oom(s);
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			size_t h = hash_pfn(m->keys[i], nc);
			while (nk[h])
				h = (h + 1) & (nc - 1);
			nk[h] = m->keys[i];
			nv[h] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = nc;
	}
	size_t h = hash_pfn(pfn + 1, m->cap);
	while (m->keys[h] && m->keys[h] != pfn + 1)
		h = (h + 1) & (m->cap - 1);
	if (!m->keys[h])
		m->n++;
	m->keys[h] = pfn + 1;
	m->vals[h] = v;
}

void sim_map_put(pgt_sim *s, pfn_map *m, uint64_t key, uint32_t v)
{
	pfn_map_put(s, m, key, v);
}

uint32_t sim_map_get(const pfn_map *m, uint64_t pfn)
{
	if (!m->cap)
		return NO_IDX;
	size_t h = hash_pfn(pfn + 1, m->cap);
	while (m->keys[h]) {
		if (m->keys[h] == pfn + 1)
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	return NO_IDX;
}

uint32_t sim_table_at(const pgt_sim *s, uint64_t pfn)
{
	const pfn_map *m = &s->by_pfn;
	if (!m->cap)
		return NO_IDX;
	size_t h = hash_pfn(pfn + 1, m->cap);
	while (m->keys[h]) {
		if (m->keys[h] == pfn + 1)
			return m->vals[h];
		h = (h + 1) & (m->cap - 1);
	}
	return NO_IDX;
}

bool pfn_set_has(const pfn_set *ps, uint64_t pfn)
{
	if (!ps->cap)
		return false;
	size_t h = hash_pfn(pfn + 1, ps->cap);
	while (ps->keys[h]) {
		if (ps->keys[h] == pfn + 1)
			return true;
		h = (h + 1) & (ps->cap - 1);
	}
	return false;
}

bool sim_pfn_set_add(pgt_sim *s, pfn_set *ps, uint64_t pfn)
{
	if (pfn_set_has(ps, pfn))
		return false;
	if ((ps->n + 1) * 2 > ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 1024;
		uint64_t *nk = calloc(nc, sizeof(*nk));
		if (!nk)
			sim_oom(s);
		for (size_t i = 0; i < ps->cap; i++) {
			if (!ps->keys[i] || ps->keys[i] == UINT64_MAX)
				continue;
			size_t h = hash_pfn(ps->keys[i], nc);
			while (nk[h])
				h = (h + 1) & (nc - 1);
			nk[h] = ps->keys[i];
		}
		free(ps->keys);
		ps->keys = nk;
		ps->cap = nc;
	}
	size_t h = hash_pfn(pfn + 1, ps->cap);
	while (ps->keys[h] && ps->keys[h] != UINT64_MAX)
		h = (h + 1) & (ps->cap - 1);
	ps->keys[h] = pfn + 1;
	ps->n++;
	return true;
}

bool pfn_set_del(pfn_set *ps, uint64_t pfn)
{
	if (!ps->cap)
		return false;
	size_t h = hash_pfn(pfn + 1, ps->cap);
	while (ps->keys[h]) {
		if (ps->keys[h] == pfn + 1) {
			ps->keys[h] = UINT64_MAX; /* tombstone: never matches a pfn+1 */
			return true;
		}
		h = (h + 1) & (ps->cap - 1);
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */
/* ------------------------------------------------------------------------ */

uint32_t sim_new_table(pgt_sim *s, int level, int origin, uint64_t pa, uint64_t va_base,
                       uint32_t parent, unsigned slot, bool emit)
{
	size_t need = s->nt + 1;
	s->t = grow_big(s, s->t, &s->cap_t, need, sizeof(*s->t));
	s->content = grow_big(s, s->content, &s->cap_content, need, sizeof(*s->content));
	if (s->xen)
		s->ro_ev = grow_big(s, s->ro_ev, &s->cap_ro_ev, need, sizeof(*s->ro_ev));
	uint32_t idx = (uint32_t)s->nt;
	if (level == PGT_PTE) {
		s->content[idx] = 0; /* the empty run */
	} else {
		s->dir = grow_big(s, s->dir, &s->cap_dir, (s->n_dir + 1) * 512, sizeof(*s->dir));
		memset(&s->dir[s->n_dir * 512], 0, 512 * sizeof(*s->dir));
		s->content[idx] = (uint32_t)s->n_dir++;
	}
	uint64_t pfn = pa >> 12, vfn = va_base >> 12;
	s->t[idx] = (tab){.pfn_lo = (uint32_t)pfn,
	                  .vfn_lo = (uint32_t)vfn,
	                  .alloc_event = (uint32_t)s->n_ev,
	                  .hook_event = NO_IDX,
	                  .parent = parent,
	                  .slot = (uint16_t)slot,
	                  .hi = (uint8_t)(((pfn >> 32) & 15) | ((vfn >> 32) & 15) << 4),
	                  .level = (uint8_t)(level & 7),
	                  .origin = (uint8_t)(origin & 7)};
	if (s->xen)
		s->ro_ev[idx] = NO_IDX;
	s->nt++;
	if (s->xen) { /* only the Xen checks look tables up by address */
		pfn_map_put(s, &s->by_pfn, pa >> 12, idx);
		if (level == PGT_PTE && !s->bits32)
			pfn_map_put(s, &s->pte_by_va, va_base >> 21, idx);
	}
	if (emit) {
		sim_flush(s);
		s->t[idx].alloc_event = (uint32_t)s->n_ev;
		sim_emit(s, (pgt_event){.kind = PGT_EV_ALLOC,
		                        .level = (uint8_t)level,
		                        .origin = (uint8_t)origin,
		                        .table = idx,
		                        .a = pa,
		                        .b = va_base});
	}
	return idx;
}

uint32_t *sim_dir(pgt_sim *s, uint32_t t)
{
	return &s->dir[(size_t)s->content[t] * 512];
}

/* ---- PTE page contents: one run, or a bitmap block ------------------------ */

static unsigned pte_lo(uint32_t c)
{
	return c & 2047;
}
static unsigned pte_hi(uint32_t c)
{
	return (c >> 11) & 2047;
}
static uint32_t pte_run(unsigned lo, unsigned hi)
{
	return lo < hi ? (uint32_t)(lo | hi << 11) : 0;
}

static uint64_t *pte_block(const pgt_sim *s, uint32_t c)
{
	return &s->pte[(size_t)(c & ~PTE_BITMAP) * 8];
}

/* The entries stop being one run: move them into a bitmap block (two for a
 * non-PAE i386 page table of 1024 entries). */
static uint64_t *pte_to_bitmap(pgt_sim *s, uint32_t t)
{
	size_t blocks = (s->bits32 && !s->pae) ? 2 : 1;
	s->pte = grow_big(s, s->pte, &s->cap_pte, (s->n_pte + blocks) * 8, sizeof(*s->pte));
	uint64_t *bits = &s->pte[s->n_pte * 8];
	memset(bits, 0, blocks * 8 * sizeof(*bits));
	uint32_t c = s->content[t];
	for (unsigned i = pte_lo(c); i < pte_hi(c); i++)
		bits[i / 64] |= 1ULL << (i % 64);
	s->content[t] = PTE_BITMAP | (uint32_t)s->n_pte;
	s->n_pte += blocks;
	return bits;
}

bool sim_pte_get(const pgt_sim *s, uint32_t t, unsigned i)
{
	uint32_t c = s->content[t];
	if (c & PTE_BITMAP)
		return pte_block(s, c)[i / 64] >> (i % 64) & 1;
	return i >= pte_lo(c) && i < pte_hi(c);
}

bool sim_pte_any(const pgt_sim *s, uint32_t t, unsigned i0, unsigned i1)
{
	uint32_t c = s->content[t];
	if (!(c & PTE_BITMAP))
		return pte_lo(c) < pte_hi(c) && i0 < pte_hi(c) && i1 > pte_lo(c);
	for (unsigned i = i0; i < i1; i++)
		if (pte_block(s, c)[i / 64] >> (i % 64) & 1)
			return true;
	return false;
}

void sim_pte_set_range(pgt_sim *s, uint32_t t, unsigned i0, unsigned i1)
{
	if (i1 <= i0)
		return;
	uint32_t c = s->content[t];
	if (!(c & PTE_BITMAP)) {
		unsigned lo = pte_lo(c), hi = pte_hi(c);
		if (lo >= hi) {
			s->content[t] = pte_run(i0, i1);
			return;
		}
		if (i0 <= hi && i1 >= lo) { /* overlaps or touches the run */
			s->content[t] = pte_run(i0 < lo ? i0 : lo, i1 > hi ? i1 : hi);
			return;
		}
	}
	uint64_t *bits = (c & PTE_BITMAP) ? pte_block(s, c) : pte_to_bitmap(s, t);
	for (unsigned i = i0; i < i1; i++)
		bits[i / 64] |= 1ULL << (i % 64);
}

void sim_pte_set(pgt_sim *s, uint32_t t, unsigned i)
{
	sim_pte_set_range(s, t, i, i + 1);
}

void sim_pte_clear(pgt_sim *s, uint32_t t, unsigned i)
{
	uint32_t c = s->content[t];
	if (!(c & PTE_BITMAP)) {
		unsigned lo = pte_lo(c), hi = pte_hi(c);
		if (i < lo || i >= hi)
			return;
		if (i == lo || i + 1 == hi) {
			s->content[t] = i == lo ? pte_run(lo + 1, hi) : pte_run(lo, hi - 1);
			return;
		}
	}
	uint64_t *bits = (c & PTE_BITMAP) ? pte_block(s, c) : pte_to_bitmap(s, t);
	bits[i / 64] &= ~(1ULL << (i % 64));
}

void sim_reserve(pgt_sim *s, uint64_t base, uint64_t size, bool tables)
{
	if (!size)
		return;
	if (!mb_array_add(&s->mb.reserved, base, size))
		sim_oom(s);
	sim_emit(s,
	         (pgt_event){.kind = PGT_EV_RESERVE, .a = base, .b = base + size, .aux = tables});
}

/* e820_any_mapped(start, end, type) over the effective map; ram_only: RAM
 * or RESERVED_KERN (the 3.9 walk's past-the-end test), else any type. */
bool e820_any(const pgt_sim *s, uint64_t start, uint64_t end, bool ram_only)
{
	size_t lo = 0, hi = s->n_e820;
	while (lo < hi) { /* first entry ending after start */
		size_t mid = lo + (hi - lo) / 2;
		if (s->e820[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->n_e820 && s->e820[i].start < end; i++) {
		if (!ram_only || s->e820[i].type == PGT_E820_RAM ||
		    s->e820[i].type == PGT_E820_RESERVED_KERN)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Machine set-up: e820 -> memblock                                          */
/* ------------------------------------------------------------------------ */

/* sanitize_e820_map: sort, resolve overlaps (the larger type number wins, as
 * the kernel's change-point algorithm does) and merge equal neighbours.  A
 * sweep over the 2n change points keeps the multiset of active types.
 * Returns the number of entries that overlapped an earlier one. */
typedef struct cpoint {
	uint64_t at;
	uint32_t type;
	int delta; /* +1 entry starts, -1 ends */
} cpoint;

static int cmp_cpoint(const void *a, const void *b)
{
	const cpoint *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->delta - y->delta; /* ends before starts at the same address */
}

static size_t e820_sanitize(pgt_sim *s)
{
	size_t n = s->n_e820;
	if (!n)
		return 0;
	cpoint *pts = malloc(2 * n * sizeof(*pts));
	uint32_t *active = malloc(n * sizeof(*active));
	pgt_e820_entry *out = malloc(2 * n * sizeof(*out));
	if (!pts || !active || !out) {
		free(pts);
		free(active);
		free(out);
		sim_oom(s);
	}
	size_t np = 0, na = 0, no = 0, overlaps = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->e820[i].end <= s->e820[i].start)
			continue;
		pts[np++] = (cpoint){s->e820[i].start, s->e820[i].type, +1};
		pts[np++] = (cpoint){s->e820[i].end, s->e820[i].type, -1};
	}
	qsort(pts, np, sizeof(*pts), cmp_cpoint);
	for (size_t k = 0; k < np; k++) {
		if (pts[k].delta > 0) {
			overlaps += na > 0;
			active[na++] = pts[k].type;
		} else {
			for (size_t i = 0; i < na; i++)
				if (active[i] == pts[k].type) {
					active[i] = active[--na];
					break;
				}
		}
		if (k + 1 >= np || pts[k + 1].at == pts[k].at || !na)
			continue;
		uint32_t type = 0;
		for (size_t i = 0; i < na; i++)
			if (active[i] > type)
				type = active[i];
		uint64_t a = pts[k].at, b = pts[k + 1].at;
		if (no && out[no - 1].end == a && out[no - 1].type == type)
			out[no - 1].end = b;
		else
			out[no++] = (pgt_e820_entry){a, b, type};
	}
	free(pts);
	free(active);
	free(s->e820);
	s->e820 = out;
	s->n_e820 = no;
	return overlaps;
}

/* e820_update_range / e820_remove_range on the sanitized map (sorted, not
 * overlapping, equal touching neighbours merged).  Only the entries that
 * overlap [start, end) and their two neighbours are rebuilt and spliced in,
 * so an edit costs O(log n + k) plus one memmove of the tail, instead of a
 * full copy and re-sort (8,000 edits took 12.6 s that way). */
static void e820_change(pgt_sim *s, uint64_t start, uint64_t end, uint32_t from, uint32_t to)
{
	if (end <= start)
		return;
	size_t n = s->n_e820, lo = 0, hi = n;
	while (lo < hi) { /* first entry ending after start */
		size_t mid = lo + (hi - lo) / 2;
		if (s->e820[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	hi = lo;
	while (hi < n && s->e820[hi].start < end)
		hi++;
	if (hi == lo)
		return; /* nothing overlaps: nothing changes */
	size_t w0 = lo ? lo - 1 : lo, w1 = hi < n ? hi + 1 : hi; /* window with neighbours */
	pgt_e820_entry *out = malloc((3 * (w1 - w0) + 1) * sizeof(*out));
	if (!out)
		sim_oom(s);
	size_t no = 0;
	for (size_t i = w0; i < w1; i++) {
		pgt_e820_entry e = s->e820[i], p[3];
		size_t np = 0;
		if (e.end <= start || e.start >= end || (from && e.type != from)) {
			p[np++] = e;
		} else {
			if (e.start < start)
				p[np++] = (pgt_e820_entry){e.start, start, e.type};
			uint64_t ms = e.start > start ? e.start : start;
			uint64_t me = e.end < end ? e.end : end;
			if (to)
				p[np++] = (pgt_e820_entry){ms, me, to};
			if (e.end > end)
				p[np++] = (pgt_e820_entry){end, e.end, e.type};
		}
		for (size_t k = 0; k < np; k++) {
			if (no && out[no - 1].end == p[k].start && out[no - 1].type == p[k].type)
				out[no - 1].end = p[k].end;
			else
				out[no++] = p[k];
		}
	}
	size_t old = w1 - w0, nn = n - old + no;
	if (no > old) {
		pgt_e820_entry *g = realloc(s->e820, nn * sizeof(*g));
		if (!g) {
			free(out);
			sim_oom(s);
		}
		s->e820 = g;
	}
	memmove(&s->e820[w0 + no], &s->e820[w1], (n - w1) * sizeof(*s->e820));
	memcpy(&s->e820[w0], out, no * sizeof(*out));
	s->n_e820 = nn;
	free(out);
}

/* e820_end_pfn(limit, E820_RAM) as in arch/x86/kernel/e820.c (2.6.3x-4.x). */
static uint64_t e820_end_pfn(const pgt_sim *s, uint64_t limit_pfn)
{
	uint64_t last = 0;
	for (size_t i = 0; i < s->n_e820; i++) {
		if (s->e820[i].type != PGT_E820_RAM)
			continue;
		uint64_t sp = s->e820[i].start >> 12, ep = s->e820[i].end >> 12;
		if (sp >= limit_pfn)
			continue;
		if (ep > limit_pfn) {
			last = limit_pfn;
			break;
		}
		if (ep > last)
			last = ep;
	}
	/* MAX_ARCH_PFN: 46 physical bits on x86-64, 36 with PAE, 32 without */
	const uint64_t max_arch_pfn = 1ULL << ((s->bits32 ? (s->pae ? 36 : 32) : 46) - 12);
	return last > max_arch_pfn ? max_arch_pfn : last;
}

/* Is [a, b) wholly e820 RAM (e820_all_mapped with E820_RAM)? */
static bool e820_all_ram(const pgt_sim *s, uint64_t a, uint64_t b)
{
	while (a < b) {
		bool found = false;
		for (size_t i = 0; i < s->n_e820 && !found; i++) {
			const pgt_e820_entry *e = &s->e820[i];
			if (e->type == PGT_E820_RAM && e->start <= a && e->end > a) {
				a = e->end;
				found = true;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

/* efi_reserve_boot_services (3.0+, before the direct mapping): every EFI
 * boot-services code/data region is reserved unless it touches the kernel
 * image [_text, _end], is not wholly RAM in e820, or overlaps a region that
 * is already reserved; such regions are skipped whole. */
static void reserve_efi_boot_services(pgt_sim *s)
{
	if (s->kver < V(3, 0, 0) || s->xen)
		return;
	for (size_t i = 0; i < s->sc.n_resv; i++) {
		const pgt_resv *r = &s->sc.resv[i];
		if (r->kind != PGT_RESV_EFI_BOOT || r->end <= r->start)
			continue;
		if (r->end >= s->kernel_start && r->start <= s->brk_end)
			continue;
		if (!e820_all_ram(s, r->start, r->end))
			continue;
		bool clash = false;
		for (size_t k = 0; k < s->mb.reserved.n && !clash; k++) {
			const uint64_t rb = s->mb.reserved.r[k].base;
			clash = rb < r->end && rb + s->mb.reserved.r[k].size > r->start;
		}
		if (!clash && !mb_array_add(&s->mb.reserved, r->start, r->end - r->start))
			sim_oom(s);
	}
}

/* i386 Xen PV (2.6.2x, xen_setup_kernel_pagetable in arch/x86/xen/
 * enlighten.c): the domain builder's page tables and its p2m/start-info area
 * are reserved by what the log itself lists (the INIT_PG_TABLE early
 * reservation, a 'reserved' pseudo-e820 entry), so nothing is added here.
 * The builder maps up to a 4 MiB boundary at least 512 KiB past its page
 * tables, and xen_map_identity_early extends that with its four spare PTE
 * pages (8 MiB with PAE, 16 MiB without); max_pfn_mapped ends there. */
static void xen32_initial_mapping(pgt_sim *s)
{
	uint64_t xe = s->sc.xen_mapped_end;
	if (!xe) {
		uint64_t top = s->brk_end;
		for (size_t i = 0; i < s->sc.n_resv; i++)
			if (s->sc.resv[i].end <= SZ_1G && s->sc.resv[i].end > top &&
			    s->sc.resv[i].kind != PGT_RESV_INITRD)
				top = s->sc.resv[i].end;
		xe = ru_u64(top + 0x80000, 0x400000) + 4 * s->pmd_size;
	}
	if (xe > SZ_1G)
		xe = SZ_1G;
	s->xen_mapped_end = xe;
	s->initial_mapped = xe;
}

/* Xen PV: the domain builder's start-of-day layout (Xen's public xen.h,
 * "Start-of-day memory layout"): after the kernel image come the p2m list
 * (mfn_list, 8 bytes per page), the start_info page, the bootstrap page
 * tables and a stack, each 4 KiB aligned; the mapping [0, xen_mapped_end)
 * ends on a 4 MiB boundary with at least 512 KiB to spare.  Linux reserves
 * [mfn_list, pt_base) ("XEN START INFO") and the bootstrap tables; from
 * 2.6.39 max_pfn_mapped starts at __pa(mfn_list) (read in 2.6.39/3.0-era
 * trees; pgtviz applies it from 2.6.39-rc1), before it
 * at the end of the mapping.  The initial ram disk, which the builder puts
 * between the kernel and the p2m list, is not modelled here. */
static void xen_builder_layout(pgt_sim *s, const pgt_scenario *sc)
{
	uint64_t p2m = s->brk_end;
	uint64_t pt_base = p2m + ru_u64(s->max_pfn * 8, SZ_4K) + SZ_4K; /* + start_info */
	/* a p2m list that would push the builder's tables out of the first GiB
	 * (guests of several hundred GiB) is cut short here: the model keeps
	 * the initial mapping inside the first GiB */
	if (pt_base > SZ_1G - 0x800000)
		pt_base = SZ_1G - 0x800000;
	/* L4, L3, L2 and the L1 pages for [0, xe): at most the first GiB */
	uint64_t xe_min = ru_u64(pt_base + 0x80000, 0x400000);
	for (int i = 0; i < 3; i++) {
		uint64_t l1 = (xe_min < SZ_1G ? xe_min : SZ_1G) / SZ_2M;
		xe_min = ru_u64(pt_base + (3 + l1 + 1) * SZ_4K + 0x80000, 0x400000);
	}
	uint64_t xe = sc->xen_mapped_end ? sc->xen_mapped_end : xe_min;
	if (xe > SZ_1G)
		xe = SZ_1G;
	if (xe < xe_min && xe_min <= SZ_1G) {
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_XEN_MAPPED_RAISED,
		                        .a = xe,
		                        .b = xe_min});
		xe = xe_min;
	}
	s->xen_mapped_end = xe;
	s->xen_mfn_list = p2m;
	s->xen_pt_base = pt_base;
	uint64_t pt_end = pt_base + (3 + (xe + SZ_2M - 1) / SZ_2M + 1) * SZ_4K; /* + stack */
	if (pt_end > xe)
		pt_end = xe;
	if (!mb_array_add(&s->mb.reserved, p2m, pt_end - p2m))
		sim_oom(s);
}

static void setup_machine(pgt_sim *s)
{
	const pgt_scenario *sc = &s->sc;
	s->n_e820 = sc->n_e820;
	s->e820 = malloc((sc->n_e820 ? sc->n_e820 : 1) * sizeof(*s->e820));
	if (!s->e820)
		sim_oom(s);
	if (sc->n_e820)
		memcpy(s->e820, sc->e820, sc->n_e820 * sizeof(*s->e820));
	size_t overlaps = e820_sanitize(s);
	if (overlaps) /* say so: the map was not used as given */
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_E820_SANITIZED,
		                        .a = overlaps});

	/* The version's own low-memory trims (setup.c trim_bios_range, 2.6.34+;
	 * 3.9+ keeps only the first page in e820 and reserves 64K in memblock). */
	uint64_t reservelow = sc->reservelow ? sc->reservelow : 0x10000;
	if (s->kver >= V(3, 9, 0))
		e820_change(s, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (s->kver >= V(2, 6, 37))
		e820_change(s, 0, reservelow, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (s->kver >= V(2, 6, 34))
		e820_change(s, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	if (s->kver >= V(2, 6, 34))
		e820_change(s, 0xa0000, SZ_1M, PGT_E820_RAM, 0);
	/* The scenario's edits (log lines, MTRR trims), then mem=. */
	for (size_t i = 0; i < sc->n_edits; i++)
		e820_change(s, sc->edits[i].start, sc->edits[i].end, sc->edits[i].from_type,
		            sc->edits[i].to_type);
	if (sc->mem_limit)
		e820_change(s, sc->mem_limit, UINT64_MAX, PGT_E820_RAM, 0);

	s->max_pfn = e820_end_pfn(s, UINT64_MAX);
	s->max_low_pfn = s->max_pfn > (SZ_4G >> 12) ? e820_end_pfn(s, SZ_4G >> 12) : s->max_pfn;
	if (s->bits32) {
		/* i386: only lowmem is direct-mapped (find_low_pfn_range); MAXMEM
		 * defaults to what 3.x Ubuntu PAE kernels printed (891 MiB) */
		uint64_t lowmem = sc->lowmem_end ? sc->lowmem_end : 0x37bfe000;
		s->max_low_pfn = s->max_pfn < (lowmem >> 12) ? s->max_pfn : lowmem >> 12;
	}
	s->initial_mapped = sc->initial_mapped     ? sc->initial_mapped
	                    : s->bits32            ? 0x2000000
	                    : s->kver < V(3, 9, 0) ? 0x20000000
	                                           : 0;

	/* memblock.memory: RAM and RESERVED_KERN (memblock_x86_fill); 3.7+ trims
	 * every region to whole pages (memblock_trim_memory). */
	for (size_t i = 0; i < s->n_e820; i++) {
		const pgt_e820_entry *e = &s->e820[i];
		if (e->type != PGT_E820_RAM && e->type != PGT_E820_RESERVED_KERN)
			continue;
		uint64_t a = e->start, b = e->end;
		if (s->kver >= V(3, 7, 0)) {
			a = ru_u64(a, SZ_4K);
			b = rd_u64(b, SZ_4K);
		}
		if (b > a && !mb_array_add(&s->mb.memory, a, b - a))
			sim_oom(s);
	}

	/* Kernel image and BRK.  A log gives the BRK base (the first BRK line)
	 * but rarely the image: then the image is the 15 MiB below BRK (the
	 * kernel may be loaded anywhere with KASLR).  Degenerate inputs are
	 * clamped so that the image holds head_64.S's static tables and ends
	 * where BRK starts. */
	uint64_t brk = sc->brk_base, ks = sc->kernel_start, ke = sc->kernel_end;
	/* Xen PV: the domain builder loads the kernel at the start of the
	 * guest's pseudo-physical memory, inside the initial mapping (modelled
	 * in the first GiB); a placement above that is not a Xen PV layout */
	if (s->xen && ((brk ? brk : ke ? ke : ks) + 0x800000 > SZ_1G)) {
		sim_emit(s, (pgt_event){.kind = PGT_EV_NOTE,
		                        .aux = PGT_NOTE_XEN_KERNEL_LOW,
		                        .a = brk ? brk : ks});
		brk = ks = ke = 0;
	}
	if (!ks)
		ks = !brk ? 0x1000000 : brk > 0x1100000 ? rd_u64(brk - 0xf00000, SZ_2M) : SZ_1M;
	if (!ke)
		ke = brk ? brk : ks + 0xf00000;
	if (!brk)
		brk = ru_u64(ke, SZ_4K);
	if (brk < 0x5000)
		brk = 0x5000;
	if (ks + 0x4000 > brk)
		ks = rd_u64(brk - 0x4000, SZ_4K);
	if (ke > brk)
		ke = brk;
	if (ke < ks)
		ke = ks;
	s->kernel_start = ks;
	s->kernel_end = ke;
	s->brk_base = brk;
	s->brk_end = s->brk_base + 0x10000;
	if (sc->kernel_image_end > s->brk_base)
		s->brk_end = sc->kernel_image_end;
	/* a memblock=debug log lists every reservation itself */
	if (!sc->resv_complete &&
	    !mb_array_add(&s->mb.reserved, s->kernel_start, s->brk_end - s->kernel_start))
		sim_oom(s);
	for (size_t i = 0; i < sc->n_resv; i++) {
		const pgt_resv *r = &sc->resv[i];
		if (r->kind == PGT_RESV_CRASHKERNEL || r->kind == PGT_RESV_EFI_BOOT ||
		    r->end <= r->start)
			continue;
		if (!mb_array_add(&s->mb.reserved, r->start, r->end - r->start))
			sim_oom(s);
	}
	if (s->xen && s->bits32) {
		xen32_initial_mapping(s);
	} else if (s->xen) {
		xen_builder_layout(s, sc);
	} else if (!sc->resv_complete) {
		/* EBDA / BIOS area [lowmem, 1M) (reserve_ebda_region) */
		uint64_t lowmem = 0x9f000;
		for (size_t i = 0; i < s->n_e820; i++)
			if (s->e820[i].type == PGT_E820_RAM && s->e820[i].start < 0xa0000 &&
			    s->e820[i].end > 0x20000 && s->e820[i].end < lowmem)
				lowmem = s->e820[i].end;
		if (!mb_array_add(&s->mb.reserved, lowmem, SZ_1M - lowmem))
			sim_oom(s);
		reserve_efi_boot_services(s);
		if (s->kver >= V(3, 9, 0) &&
		    !mb_array_add(&s->mb.reserved, 0, reservelow < SZ_1M ? reservelow : SZ_1M))
			sim_oom(s);
	}
	if (!mb_array_copy(&s->reserved_initial, &s->mb.reserved))
		sim_oom(s);
}

/* ------------------------------------------------------------------------ */
/* Run                                                                      */
/* ------------------------------------------------------------------------ */

static void finalize(pgt_sim *s)
{
	if (s->oom)
		return;
	s->log_out = calloc(s->n_logs ? s->n_logs : 1, sizeof(*s->log_out));
	if (!s->log_out) {
		s->oom = true;
		return;
	}
	for (size_t i = 0; i < s->n_logs; i++) {
		s->log_out[i] = (pgt_logline){.text = s->pool + s->logs[i].off,
		                              .event = s->logs[i].event,
		                              .loglevel = s->logs[i].ll,
		                              .shown = s->logs[i].shown,
		                              .mapping = s->logs[i].mapping};
	}
}

static void pick_model(pgt_sim *s, const pgt_scenario *sc, const pgt_run_opts *o)
{
	s->scheme = (o->scheme >= 0 && o->scheme < PGT_SCHEME_COUNT) ? o->scheme : 0;
	uint32_t k = o->kver ? o->kver : sc->kver;
	/* a scenario's version only applies if it suits the scheme */
	if (!o->kver && k &&
	    (s->scheme == PGT_SCHEME_CHUNKEND || !pgt_scheme_accepts(s->scheme, k)))
		k = 0;
	if (!k)
		k = pgt_scheme_default_kver(s->scheme);
	s->kver = k;
	s->xen = o->xen < 0 ? sc->xen_pv : o->xen != 0;
	s->xen_rule = o->xen_rule ? o->xen_rule : sc->xen_rule;
	/* 2.6.39-rc1..rc5 had the tables high (4b239f458) with the pgt_buf_end
	 * window; rc6 widened it to pgt_buf_top (b9269dc7bfd) and from then on
	 * the unused tail was made writable again (docs/kernel-model.md) */
	if (!s->xen_rule)
		s->xen_rule = k >= PGT_KVER_RC(2, 6, 39, 6) ? PGT_XEN_RULE_TOP : PGT_XEN_RULE_END;
	s->xen_hook = s->xen_rule == PGT_XEN_RULE_TOP;
	if (s->xen_rule == PGT_XEN_RULE_TOP_NOHOOK)
		s->xen_rule = PGT_XEN_RULE_TOP;
	s->sizing = o->sizing ? o->sizing : sc->sizing;
	/* Sizing: A up to 3.4; mainline 3.5.0/3.6.0 have B; their stable
	 * updates (3.5.x/3.6.x, x > 0) and 3.7+ have C (docs/kernel-model.md: Version models). */
	if (!s->sizing)
		s->sizing = k >= V(3, 7, 0)                        ? PGT_SIZING_C
		            : k >= V(3, 5, 0) && PGT_KVER_PATCH(k) ? PGT_SIZING_C
		            : k >= V(3, 5, 0)                      ? PGT_SIZING_B
		                                                   : PGT_SIZING_A;
	s->bits32 = sc->bits == 32;
	s->pae = s->bits32 && sc->pae;
	s->pmd_size = (s->bits32 && !s->pae) ? 0x400000 : SZ_2M;
	/* Page sizes (docs/kernel-model.md: Calls).  Xen PV guests never use large
	 * pages. */
	s->cpu_mask = 0;
	bool gb = sc->cpu.gbpages && !sc->nogbpages;
	if (!sc->cpu.debug_pagealloc && !s->xen) {
		if (sc->cpu.pse)
			s->cpu_mask |= MASK_2M;
		if (gb && !s->bits32)
			s->cpu_mask |= MASK_1G;
	}
	s->print_gbpages = gb && !s->xen && !s->bits32;
}

/* Runs the machine set-up and the scheme; panics, the event cap and OOM
 * come back here through longjmp. */
static void run_protected(pgt_sim *s)
{
	if (setjmp(s->jb) == 0) {
		setup_machine(s);
		schemes_run(s);
		sim_flush(s);
		return;
	}
	/* panic or event cap: keep what ran (a pending run is dropped only if
	 * the cap was hit while flushing it) */
	if (!s->oom && !s->truncated && setjmp(s->jb) == 0)
		sim_flush(s);
}

pgt_sim *pgt_sim_run(const pgt_scenario *sc, const pgt_run_opts *opts)
{
	pgt_sim *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	pgt_run_opts o = opts ? *opts : pgt_run_opts_default(PGT_SCHEME_TOPDOWN);
	s->opts = o;
	s->max_events = o.max_events ? o.max_events : (64u << 20);
	s->pend.kind = 0xff;
	s->pend_ro.kind = 0xff;
	s->walk_range_start = UINT64_MAX;
	s->root = NO_IDX;
	s->alloc = o.alloc;
	if (!pgt_scenario_copy(&s->sc, sc)) {
		free(s);
		return NULL;
	}
	pick_model(s, &s->sc, &o);
	run_protected(s);
	finalize(s);
	if (s->oom) {
		pgt_sim_free(s);
		return NULL;
	}
	return s;
}

void pgt_sim_free(pgt_sim *s)
{
	if (!s)
		return;
	pgt_scenario_clear(&s->sc);
	free(s->e820);
	mb_free(&s->mb);
	free(s->reserved_initial.r);
	free_big(s, s->ev, s->cap_ev * sizeof(*s->ev));
	free(s->xev);
	free_big(s, s->ckpt, s->cap_ckpt * sizeof(*s->ckpt));
	free(s->logs);
	free(s->pool);
	free(s->log_out);
	free_big(s, s->t, s->cap_t * sizeof(*s->t));
	free_big(s, s->content, s->cap_content * sizeof(*s->content));
	free_big(s, s->ro_ev, s->cap_ro_ev * sizeof(*s->ro_ev));
	free_big(s, s->dir, s->cap_dir * sizeof(*s->dir));
	free_big(s, s->pte, s->cap_pte * sizeof(*s->pte));
	free(s->tables_out);
	free(s->events_out);
	free(s->by_pfn.keys);
	free(s->by_pfn.vals);
	free(s->pte_by_va.keys);
	free(s->pte_by_va.vals);
	free(s->ro.keys);
	free(s->pinned.keys);
	free(s->ptdump_cache);
	free(s);
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
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
	       s->cap_ckpt * sizeof(*s->ckpt) + s->cap_logs * sizeof(*s->logs) + s->pool_cap +
	       s->n_logs * sizeof(*s->log_out) + s->cap_t * sizeof(*s->t) +
	       s->cap_content * sizeof(*s->content) + s->cap_ro_ev * sizeof(*s->ro_ev) +
	       s->cap_dir * sizeof(*s->dir) + s->cap_pte * sizeof(*s->pte) +
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
		state_apply(&st, &e);
	}
	return st;
}

static const char *shift_label(uint64_t shift)
{
	return shift == 30 ? "1G" : shift == 21 ? "2M" : "4k";
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
		 * 0xffff888000000000, slot 273, from 4.20) */
		if (e->level == PGT_PUD && !s->bits32)
			aux += s->kver >= V(4, 20, 0) ? 273 : 272;
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
