/*
 * The effective e820 map (see e820.h).
 *
 * sanitize_e820_map is a sweep over the 2n change points, O(n log n).  The
 * edits (e820_update_range / e820_remove_range of arch/x86/kernel/e820.c,
 * docs/kernel-model.md "The machine") then run on a lazy segment tree over
 * every boundary of the map and of the edits (below): O(log n) nodes per
 * edit however many entries it overlaps, in any address order.  (An array
 * splice paid a tail memmove per edit, 8 s of CPU for 100,000 descending
 * edits; the skip list that followed rebuilt every entry an edit
 * overlapped, 22 s for 20,000 edits over 40,000 entries.)  The kernel
 * itself walks its whole table per edit, but that table holds at most
 * E820_X_MAX entries.
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
/* The edits: a lazy segment tree over the change points                     */
/* ------------------------------------------------------------------------ */

/*
 * Every boundary of the map and of the edits is known before the first
 * edit runs, so the address line is cut once into elementary intervals
 * (the leaves) and an edit is a range update on them.  An edit maps types:
 * e820_update_range(from -> to) turns every entry of type `from` in its
 * range into `to` and leaves the others alone; with `from` 0 every entry
 * changes; `to` 0 removes (a hole); a hole stays a hole.  Such maps
 * compose, so a node of the tree that an edit covers whole keeps the
 * composed map of the edits it received (its tag) and hands it to its
 * children only when a later edit cuts through it.  The maps work on type
 * classes: 0 a hole, 1 "a type no edit names" (the leaf keeps its own),
 * then one class per type an edit names, at most PGT_MAX_E820_EDIT_TYPES;
 * a tag is a table of classes.  An edit visits O(log n) nodes and each
 * visit costs O(classes): a wide edit over many entries costs the same as
 * a narrow one (the skip list before rebuilt every entry an edit
 * overlapped: many wide edits over a big map cost O(edits x entries)).
 */

#define CLASS_HOLE  0
#define CLASS_INERT 1
#define CLASS_FIRST 2
#define MAX_CLASSES (CLASS_FIRST + PGT_MAX_E820_EDIT_TYPES)

typedef struct segmap {
	uint64_t *x;                             /* change points, sorted, unique */
	size_t nx;                               /* change points; leaves are [x[i], x[i+1]) */
	size_t size;                             /* leaves of the tree (a power of two >= nx - 1) */
	unsigned t;                              /* type classes */
	uint32_t types[PGT_MAX_E820_EDIT_TYPES]; /* class CLASS_FIRST + i */
	uint8_t *tag;                            /* t classes per inner node 1 .. size-1 */
	uint8_t *tagged;                         /* inner node has a tag */
	uint8_t *cls;                            /* class of each leaf */
	uint32_t *own;                           /* the leaf's type before the edits */
	uint64_t work;                           /* tree nodes visited (e820_result.work) */
} segmap;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The edits of a run in the order they apply: the version's low-memory
 * trims (setup.c trim_bios_range, 2.6.34+; 3.9+ keeps only the first page
 * out of e820 and reserves 64K in memblock), the scenario's edits (log
 * lines, MTRR trims), then mem=.  out may be NULL (count only). */
static size_t list_edits(const pgt_scenario *sc, uint32_t kver, pgt_e820_edit *out)
{
	size_t n = 0;
	uint64_t reservelow = sc->reservelow ? sc->reservelow : 0x10000;
#define EDIT(a, b, f, t)                                                                           \
	do {                                                                                       \
		if (out)                                                                           \
			out[n] = (pgt_e820_edit){(a), (b), (f), (t)};                              \
		n++;                                                                               \
	} while (0)
	if (kver >= V(3, 9, 0))
		EDIT(0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (kver >= V(2, 6, 37))
		EDIT(0, reservelow, PGT_E820_RAM, PGT_E820_RESERVED);
	else if (kver >= V(2, 6, 34))
		EDIT(0, SZ_4K, PGT_E820_RAM, PGT_E820_RESERVED);
	if (kver >= V(2, 6, 34))
		EDIT(0xa0000, SZ_1M, PGT_E820_RAM, 0);
	for (size_t i = 0; i < sc->n_edits; i++)
		EDIT(sc->edits[i].start, sc->edits[i].end, sc->edits[i].from_type,
		     sc->edits[i].to_type);
	if (sc->mem_limit)
		EDIT(sc->mem_limit, UINT64_MAX, PGT_E820_RAM, 0);
#undef EDIT
	return n;
}

size_t e820_edit_types(const pgt_scenario *sc, uint32_t *types, size_t cap)
{
	/* the trims name RAM and reserved; the edits add theirs */
	uint32_t seen[PGT_MAX_E820_EDIT_TYPES + 1];
	size_t n = 0;
	seen[n++] = PGT_E820_RAM;
	seen[n++] = PGT_E820_RESERVED;
	for (size_t i = 0; i < sc->n_edits && n <= PGT_MAX_E820_EDIT_TYPES; i++) {
		uint32_t two[2] = {sc->edits[i].from_type, sc->edits[i].to_type};
		for (int k = 0; k < 2 && n <= PGT_MAX_E820_EDIT_TYPES; k++) {
			if (!two[k])
				continue;
			size_t j = 0;
			while (j < n && seen[j] != two[k])
				j++;
			if (j == n)
				seen[n++] = two[k];
		}
	}
	if (types)
		for (size_t i = 0; i < n && i < cap; i++)
			types[i] = seen[i];
	return n;
}

static unsigned class_of(const segmap *m, uint32_t type)
{
	if (!type)
		return CLASS_HOLE;
	for (unsigned i = 0; i + CLASS_FIRST < m->t; i++)
		if (m->types[i] == type)
			return CLASS_FIRST + i;
	return CLASS_INERT;
}

static size_t point_index(const segmap *m, uint64_t a)
{
	size_t lo = 0, hi = m->nx;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->x[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void segmap_free(segmap *m)
{
	free(m->x);
	free(m->tag);
	free(m->tagged);
	free(m->cls);
	free(m->own);
	memset(m, 0, sizeof(*m));
}

/* The tree over the sanitised map e[0..n) and the edits ed[0..ne). */
static bool segmap_build(segmap *m, const pgt_e820_entry *e, size_t n, const pgt_e820_edit *ed,
                         size_t ne, const pgt_scenario *sc)
{
	memset(m, 0, sizeof(*m));
	size_t nt = e820_edit_types(sc, m->types, PGT_MAX_E820_EDIT_TYPES);
	if (nt > PGT_MAX_E820_EDIT_TYPES)
		return false; /* refused before the run (cost.c) */
	qsort(m->types, nt, sizeof(m->types[0]), cmp_u32);
	m->t = (unsigned)(CLASS_FIRST + nt);
	m->x = malloc((2 * (n + ne) + 1) * sizeof(*m->x));
	if (!m->x)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		m->x[k++] = e[i].start;
		m->x[k++] = e[i].end;
	}
	for (size_t i = 0; i < ne; i++)
		if (ed[i].end > ed[i].start) {
			m->x[k++] = ed[i].start;
			m->x[k++] = ed[i].end;
		}
	qsort(m->x, k, sizeof(*m->x), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || m->x[u - 1] != m->x[i])
			m->x[u++] = m->x[i];
	m->nx = u;
	size_t leaves = u > 1 ? u - 1 : 1;
	m->size = 1;
	while (m->size < leaves)
		m->size *= 2;
	m->tag = malloc(m->size * m->t);
	m->tagged = calloc(m->size, 1);
	m->cls = calloc(m->size, 1);
	m->own = calloc(m->size, sizeof(*m->own));
	if (!m->tag || !m->tagged || !m->cls || !m->own)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)class_of(m, e[i].type);
		for (size_t j = point_index(m, e[i].start), je = point_index(m, e[i].end); j < je;
		     j++) {
			m->cls[j] = c;
			m->own[j] = e[i].type;
		}
	}
	return true;
}

/* Node k receives map g (applied after what it holds). */
static void node_apply(segmap *m, size_t k, const uint8_t *g)
{
	m->work++;
	if (k >= m->size) {
		m->cls[k - m->size] = g[m->cls[k - m->size]];
		return;
	}
	uint8_t *f = m->tag + k * m->t;
	if (!m->tagged[k]) {
		memcpy(f, g, m->t);
		m->tagged[k] = 1;
		return;
	}
	for (unsigned c = 0; c < m->t; c++)
		f[c] = g[f[c]];
}

static void node_push(segmap *m, size_t k)
{
	if (!m->tagged[k])
		return;
	node_apply(m, 2 * k, m->tag + k * m->t);
	node_apply(m, 2 * k + 1, m->tag + k * m->t);
	m->tagged[k] = 0;
}

/* Leaves [l, r) receive g; node k covers leaves [lo, hi). */
static void range_apply(segmap *m, size_t k, size_t lo, size_t hi, size_t l, size_t r,
                        const uint8_t *g)
{
	if (r <= lo || hi <= l)
		return;
	if (l <= lo && hi <= r) {
		node_apply(m, k, g);
		return;
	}
	m->work++;
	node_push(m, k);
	size_t mid = lo + (hi - lo) / 2;
	range_apply(m, 2 * k, lo, mid, l, r, g);
	range_apply(m, 2 * k + 1, mid, hi, l, r, g);
}

static void segmap_edit(segmap *m, const pgt_e820_edit *ed)
{
	if (ed->end <= ed->start)
		return;
	uint8_t g[MAX_CLASSES];
	unsigned from = ed->from_type ? class_of(m, ed->from_type) : MAX_CLASSES;
	uint8_t to = (uint8_t)class_of(m, ed->to_type);
	g[CLASS_HOLE] = CLASS_HOLE;
	for (unsigned c = 1; c < m->t; c++)
		g[c] = from == MAX_CLASSES || c == from ? to : (uint8_t)c;
	range_apply(m, 1, 0, m->size, point_index(m, ed->start), point_index(m, ed->end), g);
}

/* Every tag down to the leaves, then the leaves back into r->e (holes
 * dropped, equal neighbours merged). */
static bool segmap_flatten(segmap *m, e820_result *r)
{
	for (size_t k = 1; k < m->size; k++)
		node_push(m, k);
	pgt_e820_entry *e = malloc((m->nx ? m->nx : 1) * sizeof(*e));
	if (!e)
		return false;
	size_t n = 0;
	for (size_t i = 0; i + 1 < m->nx; i++) {
		unsigned c = m->cls[i];
		if (c == CLASS_HOLE)
			continue;
		uint32_t type = c == CLASS_INERT ? m->own[i] : m->types[c - CLASS_FIRST];
		if (n && e[n - 1].end == m->x[i] && e[n - 1].type == type)
			e[n - 1].end = m->x[i + 1];
		else
			e[n++] = (pgt_e820_entry){m->x[i], m->x[i + 1], type};
	}
	free(r->e);
	r->e = e;
	r->n = n;
	return true;
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
	size_t ne = list_edits(sc, kver, NULL);
	pgt_e820_edit *ed = malloc((ne ? ne : 1) * sizeof(*ed));
	segmap m;
	memset(&m, 0, sizeof(m));
	bool ok = ed && sanitize(out);
	if (ok && ne) {
		list_edits(sc, kver, ed);
		ok = segmap_build(&m, out->e, out->n, ed, ne, sc);
		for (size_t i = 0; ok && i < ne; i++)
			segmap_edit(&m, &ed[i]);
		ok = ok && segmap_flatten(&m, out);
	}
	out->work = m.work;
	segmap_free(&m);
	free(ed);
	if (!ok) {
		free(out->e);
		memset(out, 0, sizeof(*out));
	}
	return ok;
}
