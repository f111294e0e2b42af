/*
 * The effective e820 map (see e820.h).
 *
 * sanitize_e820_map is a sweep over the 2n change points, O(n log n).  The
 * edits (e820_update_range / e820_remove_range of arch/x86/kernel/e820.c,
 * docs/kernel-model.md "The machine") then run on a skip list: an edit
 * finds the first entry it touches in O(log n) expected steps, rebuilds
 * that entry, the k entries it overlaps and the entry after (where pieces
 * of equal type merge) and links the new pieces in where the old ones
 * were.  No edit moves the rest of the map, so n edits cost O(n log n) in
 * any address order (an array splice paid a tail memmove each: 100,000
 * descending edits took 8 s of CPU).  The levels come from a fixed-seed
 * xorshift generator: runs are reproducible.  The kernel itself walks its
 * whole table per edit, but that table holds at most E820_X_MAX entries.
 */
#include "e820.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* sanitize_e820_map                                                         */
/* ------------------------------------------------------------------------ */

typedef struct cpoint {
	uint64_t at;   /* address of the change point */
	uint32_t type; /* type of the entry that starts or ends here */
	int delta;     /* +1 entry starts, -1 ends */
} cpoint;

static int cmp_cpoint(const void *a, const void *b)
{
	const cpoint *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->delta - y->delta; /* ends before starts at the same address */
}

/* Sort, resolve overlaps (the larger type number wins, as the kernel's
 * change-point algorithm does) and merge equal neighbours; a sweep keeps
 * the multiset of active types.  Replaces r->e / r->n. */
static bool sanitize(e820_result *r)
{
	size_t n = r->n;
	if (!n)
		return true;
	cpoint *pts = malloc(2 * n * sizeof(*pts));
	uint32_t *active = malloc(n * sizeof(*active));
	pgt_e820_entry *out = malloc(2 * n * sizeof(*out));
	if (!pts || !active || !out) {
		free(pts);
		free(active);
		free(out);
		return false;
	}
	size_t np = 0, na = 0, no = 0;
	for (size_t i = 0; i < n; i++) {
		if (r->e[i].end <= r->e[i].start)
			continue;
		pts[np++] = (cpoint){r->e[i].start, r->e[i].type, +1};
		pts[np++] = (cpoint){r->e[i].end, r->e[i].type, -1};
	}
	qsort(pts, np, sizeof(*pts), cmp_cpoint);
	for (size_t k = 0; k < np; k++) {
		if (pts[k].delta > 0) {
			r->overlaps += na > 0;
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
	free(r->e);
	r->e = out;
	r->n = no;
	return true;
}

/* ------------------------------------------------------------------------ */
/* The skip list                                                             */
/* ------------------------------------------------------------------------ */

#define LEVELS 16 /* 4^16 entries before the top level fills */
#define NIL    0  /* node 0 is the head; no entry node has index 0 */

typedef struct node {
	pgt_e820_entry e;      /* the entry (unused in the head) */
	uint32_t next[LEVELS]; /* next node on each level, NIL at the end */
	uint8_t level;         /* levels this node is linked on */
} node;

typedef struct emap {
	node *nd;            /* node pool; nd[0] is the head */
	size_t n, cap;       /* nodes used (head included) and allocated */
	uint32_t free_list;  /* unlinked nodes, chained through next[0] */
	uint64_t rng;        /* xorshift64 state */
	uint64_t work;       /* nodes visited (e820_result.work) */
	pgt_e820_entry *buf; /* pieces of the edit being applied */
	size_t cap_buf;
} emap;

/* Level of a new node: 1 + the number of trailing pairs of zero bits, so
 * each level holds a quarter of the one below. */
static uint8_t random_level(emap *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	uint64_t x = m->rng;
	uint8_t lv = 1;
	while (lv < LEVELS && (x & 3) == 0) {
		lv++;
		x >>= 2;
	}
	return lv;
}

/* A fresh node holding e (links unset); NIL when memory runs out. */
static uint32_t node_new(emap *m, pgt_e820_entry e)
{
	uint32_t i;
	if (m->free_list != NIL) {
		i = m->free_list;
		m->free_list = m->nd[i].next[0];
	} else {
		if (m->n == m->cap) {
			size_t cap = m->cap * 2;
			if (cap > UINT32_MAX)
				return NIL;
			node *g = realloc(m->nd, cap * sizeof(*g));
			if (!g)
				return NIL;
			m->nd = g;
			m->cap = cap;
		}
		i = (uint32_t)m->n++;
	}
	m->nd[i].e = e;
	m->nd[i].level = random_level(m);
	return i;
}

static void node_free(emap *m, uint32_t i)
{
	m->nd[i].next[0] = m->free_list;
	m->free_list = i;
}

/* The sorted entries e[0..n) as a skip list, built in one pass. */
static bool emap_build(emap *m, const pgt_e820_entry *e, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->rng = 0x9e3779b97f4a7c15ULL;
	m->cap = n + 16;
	m->nd = malloc(m->cap * sizeof(*m->nd));
	if (!m->nd)
		return false;
	memset(&m->nd[0], 0, sizeof(m->nd[0]));
	m->nd[0].level = LEVELS;
	m->n = 1;
	uint32_t last[LEVELS] = {0};
	for (size_t i = 0; i < n; i++) {
		uint32_t k = node_new(m, e[i]);
		if (k == NIL)
			return false;
		for (uint8_t l = 0; l < m->nd[k].level; l++) {
			m->nd[k].next[l] = NIL;
			m->nd[last[l]].next[l] = k;
			last[l] = k;
		}
	}
	return true;
}

static void emap_free(emap *m)
{
	free(m->nd);
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

/* up[l]: on each level, the last node whose entry ends before `start`
 * (the head if none).  The node after up[0] is then the first entry that
 * ends at or after `start`: a left neighbour that touches the edit, or
 * the first entry it overlaps. */
static void emap_find(emap *m, uint64_t start, uint32_t up[LEVELS])
{
	uint32_t x = 0;
	for (int l = LEVELS - 1; l >= 0; l--) {
		uint32_t nx;
		while ((nx = m->nd[x].next[l]) != NIL && m->nd[nx].e.end < start) {
			x = nx;
			m->work++;
		}
		up[l] = x;
	}
}

/* Appends p to the pieces, merging it into the last one when they touch
 * and have the same type. */
static void piece(emap *m, size_t *no, pgt_e820_entry p)
{
	if (*no && m->buf[*no - 1].end == p.start && m->buf[*no - 1].type == p.type)
		m->buf[*no - 1].end = p.end;
	else
		m->buf[(*no)++] = p;
}

/* The pieces that entry e becomes under the edit. */
static void edit_entry(emap *m, size_t *no, pgt_e820_entry e, uint64_t start, uint64_t end,
                       uint32_t from, uint32_t to)
{
	if (e.end <= start || e.start >= end || (from && e.type != from)) {
		piece(m, no, e);
		return;
	}
	if (e.start < start)
		piece(m, no, (pgt_e820_entry){e.start, start, e.type});
	uint64_t ms = e.start > start ? e.start : start;
	uint64_t me = e.end < end ? e.end : end;
	if (to)
		piece(m, no, (pgt_e820_entry){ms, me, to});
	if (e.end > end)
		piece(m, no, (pgt_e820_entry){end, e.end, e.type});
}

static bool grow_buf(emap *m, size_t need)
{
	if (need <= m->cap_buf)
		return true;
	size_t cap = m->cap_buf ? m->cap_buf : 16;
	while (cap < need)
		cap *= 2;
	pgt_e820_entry *b = realloc(m->buf, cap * sizeof(*b));
	if (!b)
		return false;
	m->buf = b;
	m->cap_buf = cap;
	return true;
}

/* e820_update_range(start, end - start, from, to) (from 0: any type) or,
 * with to 0, e820_remove_range.  The window is the node after up[0] up to
 * the last entry that starts before `end`, plus the entry after it; its
 * nodes are unlinked and the rebuilt pieces linked in their place. */
static bool emap_change(emap *m, uint64_t start, uint64_t end, uint32_t from, uint32_t to)
{
	if (end <= start)
		return true;
	uint32_t up[LEVELS];
	emap_find(m, start, up);
	size_t k = 0;
	bool hit = false;
	uint32_t last = NIL;
	for (uint32_t x = m->nd[up[0]].next[0]; x != NIL && m->nd[x].e.start < end;
	     x = m->nd[x].next[0]) {
		hit |= m->nd[x].e.end > start;
		last = x;
		k++;
	}
	m->work += k;
	if (!hit)
		return true; /* nothing overlaps: nothing changes */
	if (m->nd[last].next[0] != NIL)
		k++; /* the right neighbour */
	if (!grow_buf(m, 3 * k + 1))
		return false;
	size_t no = 0;
	/* unlink the window's nodes one by one: up[l] stays the predecessor */
	for (size_t i = 0; i < k; i++) {
		uint32_t x = m->nd[up[0]].next[0];
		edit_entry(m, &no, m->nd[x].e, start, end, from, to);
		for (uint8_t l = 0; l < m->nd[x].level; l++)
			m->nd[up[l]].next[l] = m->nd[x].next[l];
		node_free(m, x);
	}
	for (size_t i = 0; i < no; i++) {
		uint32_t x = node_new(m, m->buf[i]);
		if (x == NIL)
			return false;
		for (uint8_t l = 0; l < m->nd[x].level; l++) {
			m->nd[x].next[l] = m->nd[up[l]].next[l];
			m->nd[up[l]].next[l] = x;
			up[l] = x;
		}
	}
	return true;
}

/* The list back into r->e (sorted, level 0 in order). */
static bool emap_flatten(const emap *m, e820_result *r)
{
	size_t n = 0;
	for (uint32_t x = m->nd[0].next[0]; x != NIL; x = m->nd[x].next[0])
		n++;
	pgt_e820_entry *e = malloc((n ? n : 1) * sizeof(*e));
	if (!e)
		return false;
	n = 0;
	for (uint32_t x = m->nd[0].next[0]; x != NIL; x = m->nd[x].next[0])
		e[n++] = m->nd[x].e;
	free(r->e);
	r->e = e;
	r->n = n;
	return true;
}

/* The version's low-memory trims (setup.c trim_bios_range, 2.6.34+; 3.9+
 * keeps only the first page out of e820 and reserves 64K in memblock), the
 * scenario's edits (log lines, MTRR trims), then mem=. */
static bool apply_edits(emap *m, const pgt_scenario *sc, uint32_t kver)
{
	uint64_t reservelow = sc->reservelow ? sc->reservelow : 0x10000;
	bool ok = true;
	if (kver >= V(3, 9, 0))
		ok = emap_change(m, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (kver >= V(2, 6, 37))
		ok = emap_change(m, 0, reservelow, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (kver >= V(2, 6, 34))
		ok = emap_change(m, 0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	if (ok && kver >= V(2, 6, 34))
		ok = emap_change(m, 0xa0000, SZ_1M, PGT_E820_RAM, 0);
	for (size_t i = 0; ok && i < sc->n_edits; i++)
		ok = emap_change(m, sc->edits[i].start, sc->edits[i].end, sc->edits[i].from_type,
		                 sc->edits[i].to_type);
	if (ok && sc->mem_limit)
		ok = emap_change(m, sc->mem_limit, UINT64_MAX, PGT_E820_RAM, 0);
	return ok;
}

bool e820_effective(const pgt_scenario *sc, uint32_t kver, e820_result *out)
{
	memset(out, 0, sizeof(*out));
	out->n = sc->n_e820;
	out->e = malloc((sc->n_e820 ? sc->n_e820 : 1) * sizeof(*out->e));
	if (!out->e)
		return false;
	if (sc->n_e820)
		memcpy(out->e, sc->e820, sc->n_e820 * sizeof(*out->e));
	emap m;
	memset(&m, 0, sizeof(m));
	bool ok = sanitize(out) && emap_build(&m, out->e, out->n);
	ok = ok && apply_edits(&m, sc, kver) && emap_flatten(&m, out);
	out->work = m.work;
	emap_free(&m);
	if (!ok) {
		free(out->e);
		memset(out, 0, sizeof(*out));
	}
	return ok;
}
