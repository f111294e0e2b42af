/*
 * What a run records, and where: the event log with per-event state
 * checkpoints, the kernel log, table storage (records and contents), the
 * pfn maps of the Xen checks, and the ends of a run (panic, BUG, out of
 * memory).  The bottom layer of the core above memblock.c: every other
 * file records through it, and it calls nothing above it.
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
#include "record.h"

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

void sim_state_apply(pgt_state *st, const pgt_event *e)
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
		if (st->call == 0) /* before the first call: the boot-time map */
			st->boot_bytes += e->b - e->a;
		else
			st->map_shift = (uint8_t)e->aux;
		break;
	case PGT_EV_CLEAR:
		st->mapped_bytes -=
		    (e->b - e->a) <= st->mapped_bytes ? (e->b - e->a) : st->mapped_bytes;
		st->boot_bytes -= e->aux <= st->boot_bytes ? e->aux : st->boot_bytes;
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

static unsigned ctz64(uint64_t v)
{
	unsigned n = 0;
	while (n < 63 && !(v >> n & 1))
		n++;
	return n;
}

/* True if a MAP/CLEAR range [a, b) of table t is lo..hi entries of
 * 1 << shift from its va_base, exactly as ev_unpack() rebuilds it. */
static bool range_fits(const tab *t, const pgt_event *e, uint64_t shift, uint64_t *lo, uint64_t *hi)
{
	uint64_t va = tab_va(t);
	if (e->b < e->a || e->a < va || shift > 31)
		return false;
	*lo = (e->a - va) >> shift;
	*hi = (e->b - va) >> shift;
	return *lo <= 2047 && *hi <= 2047 && va + (*lo << shift) == e->a &&
	       va + (*hi << shift) == e->b;
}

/* The packed word for e, if e has one; 0 (the packed CALL_BEGIN of table 0,
 * which is never used) if not.  The fields are compared with what
 * ev_unpack() would give back (field by field: this runs once per event,
 * and building the unpacked event to compare it cost a quarter of a big
 * run, docs/performance.md). */
static uint64_t ev_pack_try(const pgt_sim *s, const pgt_event *e)
{
	uint64_t w = e->kind, shift = 0, lo = 0, hi = 0;
	if (e->kind == PGT_EV_LOG)
		return e->aux <= UINT32_MAX && !e->level && !e->origin && !e->flags && !e->table &&
		               !e->a && !e->b
		           ? w | e->aux << 5
		           : 0;
	if (e->table >= s->nt)
		return 0;
	const tab *t = &s->t[e->table];
	if (e->level != t->level)
		return 0;
	w |= (uint64_t)e->table << 5;
	switch (e->kind) {
	case PGT_EV_ALLOC:
		return e->origin == t->origin && !e->flags && e->a == tab_pa(t) &&
		               e->b == tab_va(t) && !e->aux
		           ? w
		           : 0;
	case PGT_EV_HOOK:
		return e->origin == t->origin && e->flags <= 1 && e->a == tab_pa(t) &&
		               e->b == t->parent && e->aux <= 2047
		           ? w | e->aux << 42 | (uint64_t)e->flags << 53
		           : 0;
	case PGT_EV_MAP:
	case PGT_EV_CLEAR:
		if (e->origin || e->flags)
			return 0;
		shift = e->kind == PGT_EV_MAP
		            ? e->aux
		            : ctz64((e->a - tab_va(t)) | (e->b - tab_va(t)) | (1ULL << 31));
		if (!range_fits(t, e, shift, &lo, &hi) ||
		    (e->kind == PGT_EV_CLEAR ? e->aux != 0 : false))
			return 0;
		return w | shift << 37 | lo << 42 | hi << 53;
	default:
		return 0;
	}
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

int sim_event_peek(const pgt_sim *s, size_t i, uint32_t *table)
{
	uint64_t w = s->ev[i];
	if ((w & 31) == EV_WHOLE) {
		const pgt_event *e = &s->xev[w >> 5];
		*table = e->kind == PGT_EV_LOG ? NO_IDX : e->table;
		return e->kind;
	}
	*table = (w & 31) == PGT_EV_LOG ? NO_IDX : (uint32_t)(w >> 5);
	return (int)(w & 31);
}

/* ---- The boot-time map -----------------------------------------------------
 * The addresses still mapped by entries written before the first call, as
 * sorted disjoint ranges: the MAP events before it add to them, a CLEAR
 * takes its range out and records in its aux how many bytes it took (the
 * direct map maps an address once, so a cleared address that is still in
 * the set was mapped by its boot-time entry).  A few ranges at most: the
 * boot map is one run from 0 and the calls clear it from its ends. */

static void boot_add(pgt_sim *s, uint64_t a, uint64_t b)
{
	if (b <= a)
		return;
	if (s->n_boot && s->boot[s->n_boot - 1].b == a) { /* the usual case */
		s->boot[s->n_boot - 1].b = b;
		return;
	}
	s->boot = grow_array(s, s->boot, &s->cap_boot, s->n_boot + 1, sizeof(*s->boot));
	s->boot[s->n_boot++] = (boot_range){a, b};
}

static uint64_t boot_cut(pgt_sim *s, uint64_t a, uint64_t b)
{
	uint64_t cut = 0;
	for (size_t i = 0; i < s->n_boot; i++) {
		boot_range r = s->boot[i];
		uint64_t lo = a > r.a ? a : r.a, hi = b < r.b ? b : r.b;
		if (lo >= hi)
			continue;
		cut += hi - lo;
		if (lo > r.a && hi < r.b) { /* a hole: [r.a, lo) and [hi, r.b) */
			s->boot =
			    grow_array(s, s->boot, &s->cap_boot, s->n_boot + 1, sizeof(*s->boot));
			memmove(&s->boot[i + 2], &s->boot[i + 1],
			        (s->n_boot - i - 1) * sizeof(*s->boot));
			s->boot[i].b = lo;
			s->boot[i + 1] = (boot_range){hi, r.b};
			s->n_boot++;
			i++;
		} else if (lo > r.a) {
			s->boot[i].b = lo;
		} else if (hi < r.b) {
			s->boot[i].a = hi;
		} else {
			memmove(&s->boot[i], &s->boot[i + 1],
			        (s->n_boot - i - 1) * sizeof(*s->boot));
			s->n_boot--;
			i--;
		}
	}
	return cut;
}

static void emit_raw(pgt_sim *s, const pgt_event *ev)
{
	pgt_event c = *ev, *e = &c;
	if (e->kind == PGT_EV_MAP && s->cur.call == 0)
		boot_add(s, e->a, e->b);
	else if (e->kind == PGT_EV_CLEAR)
		e->aux = s->n_boot ? boot_cut(s, e->a, e->b) : 0;
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
	sim_state_apply(&s->cur, e);
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
	return sim_map_get(&s->by_pfn, pfn);
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
		s->content[idx] = 0; /* no entries: the empty leaf run */
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
	/* Xen: a page whose direct-map entry is already read-only (3.0's
	 * mask_rw_pte window up to pgt_buf_top makes the whole buffer
	 * read-only before its pages are used, b9269dc7bfd) is a read-only
	 * table from its allocation; make_ro only sees pages that are tables
	 * when they turn read-only. */
	if (s->xen && pfn_set_has(&s->ro, pfn))
		s->ro_ev[idx] = s->t[idx].alloc_event;
	return idx;
}

/* ---- Runs of entries packed in the content word ---------------------------- */

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

/* ---- Directory page contents: one run of leaves, or 512 entries ----------- */

/* A directory page whose entries are one run [lo, hi) of large-page leaves
 * (ENT_LEAF) and nothing else -- a PUD page of 1 GiB pages, a PMD page of
 * 2 MiB pages -- keeps them in its content word, as a PTE page does; the
 * first entry that breaks that (a child table, head_64.S's static leaf, a
 * hole) moves the page into 512 entries of the dir pool (DIR_FULL | k). */
#define DIR_FULL 0x80000000u
#define DIR_LEAF 1u /* ENT_LEAF */

static uint32_t *dir_to_full(pgt_sim *s, uint32_t t)
{
	s->dir = grow_big(s, s->dir, &s->cap_dir, (s->n_dir + 1) * 512, sizeof(*s->dir));
	uint32_t *d = &s->dir[s->n_dir * 512];
	memset(d, 0, 512 * sizeof(*d));
	uint32_t c = s->content[t];
	for (unsigned i = pte_lo(c); i < pte_hi(c); i++)
		d[i] = DIR_LEAF;
	s->content[t] = DIR_FULL | (uint32_t)s->n_dir++;
	return d;
}

bool sim_dir_only_leaves(const pgt_sim *s, uint32_t t)
{
	return !(s->content[t] & DIR_FULL);
}

uint32_t sim_dir_get(const pgt_sim *s, uint32_t t, unsigned i)
{
	uint32_t c = s->content[t];
	if (c & DIR_FULL)
		return s->dir[(size_t)(c & ~DIR_FULL) * 512 + i];
	return i >= pte_lo(c) && i < pte_hi(c) ? DIR_LEAF : 0;
}

void sim_dir_set(pgt_sim *s, uint32_t t, unsigned i, uint32_t v)
{
	uint32_t c = s->content[t];
	if (!(c & DIR_FULL)) {
		unsigned lo = pte_lo(c), hi = pte_hi(c);
		bool in = i >= lo && i < hi;
		if (v == DIR_LEAF) {
			if (in)
				return;
			if (lo >= hi) {
				s->content[t] = pte_run(i, i + 1);
				return;
			}
			if (i + 1 == lo || i == hi) {
				s->content[t] = pte_run(i < lo ? i : lo, i >= hi ? i + 1 : hi);
				return;
			}
		} else if (v == 0) {
			if (!in)
				return;
			if (i == lo || i + 1 == hi) {
				s->content[t] =
				    pte_run(i == lo ? lo + 1 : lo, i == lo ? hi : hi - 1);
				return;
			}
		}
		dir_to_full(s, t)[i] = v;
		return;
	}
	s->dir[(size_t)(c & ~DIR_FULL) * 512 + i] = v;
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

void sim_record_free(pgt_sim *s)
{
	free_big(s, s->ev, s->cap_ev * sizeof(*s->ev));
	free(s->xev);
	free(s->boot);
	free_big(s, s->ckpt, s->cap_ckpt * sizeof(*s->ckpt));
	free(s->logs);
	free(s->pool);
	free_big(s, s->t, s->cap_t * sizeof(*s->t));
	free_big(s, s->content, s->cap_content * sizeof(*s->content));
	free_big(s, s->ro_ev, s->cap_ro_ev * sizeof(*s->ro_ev));
	free_big(s, s->dir, s->cap_dir * sizeof(*s->dir));
	free_big(s, s->pte, s->cap_pte * sizeof(*s->pte));
	free(s->by_pfn.keys);
	free(s->by_pfn.vals);
	free(s->pte_by_va.keys);
	free(s->pte_by_va.vals);
	free(s->ro.keys);
	free(s->pinned.keys);
}
