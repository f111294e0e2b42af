/*
 * entries.c: one table page's entries, as a list and as text (the
 * table-page inspector of the window and `pgtviz ptdump --table N`).
 *
 * Reads the run's final table contents (sim_internal.h: directory pages
 * hold one word per entry, PTE pages a present bit per entry), like
 * pgt_sim_ptdump; a caller that wants an earlier step runs again with
 * max_events = step + 1.  Under Xen a 4 KiB entry is read-only when the
 * page it maps is in the run's read-only set (the direct-map PTE written
 * read-only), as ptdump prints it.  Plain C11 + libc.
 */
#include "record.h"
#include "sim_state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Directory words (the encoding walk.c writes). */
#define ENT_NONE        0u
#define ENT_LEAF        1u
#define ENT_LEAF_STATIC 0xffffffffu

uint64_t pgt_sim_page_offset(const pgt_sim *s)
{
	return sim_page_offset(s);
}

/* Entry count for the direct map, the index of the first one in the
 * kernel's table, and the log2 of the bytes one entry covers.  The model
 * indexes every table by physical address; the root is offset in the
 * kernel's (PAGE_OFFSET is aligned to a root entry's span without memory
 * KASLR, so lower levels keep their indexes; a measured base that is not
 * shifts the PUD pages' too, kaslr_word). */
static size_t entry_shape(const pgt_sim *s, const tab *t, unsigned *shift, unsigned *first)
{
	int lv = t->level;
	*first = 0;
	if (s->bits32) {
		if (lv == PGT_PTE) {
			*shift = 12;
			return s->pae ? 512 : 1024;
		}
		if (!s->pae) {
			*shift = 22;  /* non-PAE page directory: 4 MiB per entry */
			*first = 768; /* 0xc0000000 >> 22 */
			return 256;   /* the kernel's quarter: 1 GiB */
		}
		*shift = lv == PGT_PGD ? 30 : 21;
		*first = lv == PGT_PGD ? 3 : 0; /* 0xc0000000 >> 30 */
		return lv == PGT_PGD ? 1 : 512;
	}
	static const unsigned sh[] = {0, 12, 21, 30, 39};
	*shift = sh[lv >= 1 && lv <= 4 ? lv : 1];
	if (lv == PGT_PGD) {
		*first = (unsigned)((pgt_sim_page_offset(s) >> 39) & 511);
		return 128; /* the 4-level direct map's 64 TiB */
	}
	return 512;
}

/* Memory KASLR: a measured direct-map base is 1 GiB-aligned, not always
 * 512 GiB-aligned.  The kernel's root entry then points to the PUD page of
 * its slot, [slot start, +512 GiB), whose entry j maps what is at that
 * virtual address, while the model's PUD pages are indexed by physical
 * address (walk.c, kaslr_cross: the second slot's PUD page is hooked into
 * the model's root entry 1).  Where is the model's directory word for the
 * virtual address va?  false: nothing is mapped there (below the base). */
static bool kaslr_word(pgt_sim *s, uint64_t va, uint64_t off, uint32_t *ti, unsigned *i,
                       uint64_t *pa)
{
	uint64_t p = va - off;
	if (va < off || s->root == NO_IDX)
		return false;
	uint32_t w = sim_dir_get(s, s->root, (unsigned)((p >> 39) & 511));
	if (w == ENT_NONE || w == ENT_LEAF || w == ENT_LEAF_STATIC || w - 2 >= s->nt ||
	    s->t[w - 2].level != PGT_PUD)
		return false;
	*ti = w - 2;
	*i = (unsigned)((p >> 30) & 511);
	*pa = p;
	return true;
}

size_t pgt_sim_table_entries(const pgt_sim *cs, size_t table, pgt_entry *out, size_t max)
{
	pgt_sim *s = (pgt_sim *)(uintptr_t)cs;
	if (table >= s->nt)
		return 0;
	uint32_t ti = (uint32_t)table;
	const tab *t = &s->t[ti];
	unsigned shift, first;
	size_t n = entry_shape(s, t, &shift, &first);
	uint64_t base = tab_va(t), off = pgt_sim_page_offset(s);
	bool slots = !s->bits32 && (off & (SZ_512G - 1)) && t->level == PGT_PUD;
	/* the root's entries and a PUD page's cover whole slots */
	uint64_t vstart = (off + base) & ~(SZ_512G - 1);
	if (!s->bits32 && t->level == PGT_PGD)
		vstart = off & ~(SZ_512G - 1);
	for (size_t i = 0; i < n && i < max; i++) {
		pgt_entry e = {.kind = PGT_ENT_NONE,
		               .shift = (uint8_t)shift,
		               .table = UINT32_MAX,
		               .index = (uint16_t)(first + i),
		               .va_base = base + ((uint64_t)i << shift)};
		e.va = off + e.va_base;
		if (!s->bits32 && (t->level == PGT_PGD || slots)) {
			e.va = vstart + ((uint64_t)i << shift);
			e.va_base = e.va - off; /* below the base: wraps, not present */
		}
		uint32_t wt = ti;
		unsigned wi = (unsigned)i;
		if (slots && !kaslr_word(s, e.va, off, &wt, &wi, &e.va_base)) {
			out[i] = e;
			continue;
		}
		if (t->level == PGT_PTE) {
			if (sim_pte_get(s, ti, (unsigned)i)) {
				uint64_t pfn = e.va_base >> 12;
				e.kind = PGT_ENT_LEAF;
				e.pa = e.va_base;
				e.writable = !(s->xen && pfn_set_has(&s->ro, pfn));
				e.table = sim_table_at(s, pfn);
			}
		} else {
			uint32_t w = sim_dir_get(s, wt, (unsigned)wi);
			if (w == ENT_LEAF || w == ENT_LEAF_STATIC) {
				e.kind = PGT_ENT_LEAF;
				e.pa = e.va_base;
				e.writable = true;
			} else if (w != ENT_NONE && w - 2 < s->nt) {
				e.kind = PGT_ENT_TABLE;
				e.table = w - 2;
				e.pa = tab_pa(&s->t[w - 2]);
			}
		}
		out[i] = e;
	}
	return n;
}

/* ---- text ---------------------------------------------------------------- */

typedef struct text_buf {
	char *p;
	size_t len, cap;
	bool ok;
} text_buf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(text_buf *b, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || !b->ok)
		return;
	size_t k = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (b->len + k + 1 > b->cap) {
		size_t c = b->cap ? b->cap * 2 : 4096;
		while (c < b->len + k + 1)
			c *= 2;
		char *q = realloc(b->p, c);
		if (!q) {
			b->ok = false;
			return;
		}
		b->p = q;
		b->cap = c;
	}
	memcpy(b->p + b->len, line, k + 1);
	b->len += k;
}

static const char *size_name(unsigned shift)
{
	switch (shift) {
	case 12:
		return "4k";
	case 21:
		return "2M";
	case 22:
		return "4M";
	case 30:
		return "1G";
	default:
		return "512G";
	}
}

/* Entries i and j (= i + 1) belong to one line: both absent, or leaves of
 * equal protection mapping on contiguously, none of them a table page. */
static bool same_run(const pgt_entry *a, const pgt_entry *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == PGT_ENT_NONE)
		return true;
	return a->kind == PGT_ENT_LEAF && a->writable == b->writable && a->table == UINT32_MAX &&
	       b->table == UINT32_MAX && b->pa == a->pa + (1ull << a->shift);
}

static void dump_line(text_buf *b, const pgt_sim *s, const pgt_entry *e, size_t i, size_t j,
                      size_t alias)
{
	char idx[48];
	if (j == i)
		snprintf(idx, sizeof(idx), "%4u     ", e[i].index);
	else
		snprintf(idx, sizeof(idx), "%4u-%-4u", e[i].index, e[j].index);
	size_t cnt = j - i + 1;
	if (e[i].kind == PGT_ENT_NONE) {
		put(b, "%s  not present\n", idx);
		return;
	}
	if (e[i].kind == PGT_ENT_TABLE) {
		pgt_table c = pgt_sim_table(s, e[i].table);
		put(b, "%s  -> %s table #%u at %#llx (covers %#llx-%#llx)\n", idx,
		    pgt_level_name(c.level), e[i].table, (unsigned long long)e[i].pa,
		    (unsigned long long)e[i].va,
		    (unsigned long long)(e[i].va + (1ull << e[i].shift)));
		return;
	}
	uint64_t end = e[j].pa + (1ull << e[j].shift);
	put(b, "%s  %s page%s %s  %#llx-%#llx", idx, size_name(e[i].shift), cnt > 1 ? "s" : " ",
	    e[i].writable ? "RW" : "ro", (unsigned long long)e[i].pa, (unsigned long long)end);
	if (e[i].table != UINT32_MAX) {
		pgt_table c = pgt_sim_table(s, e[i].table);
		put(b, "  = %s table #%u%s", pgt_level_name(c.level), e[i].table,
		    i == alias ? "  <-- writable alias (Xen refuses the pin)" : "");
	}
	put(b, "\n");
}

char *pgt_sim_table_dump(const pgt_sim *s, size_t table, size_t alias_entry)
{
	pgt_entry *e = malloc(1024 * sizeof(*e));
	if (!e)
		return NULL;
	size_t n = pgt_sim_table_entries(s, table, e, 1024);
	if (!n) {
		free(e);
		return NULL;
	}
	pgt_table t = pgt_sim_table(s, table);
	text_buf b = {.ok = true};
	size_t all = e[0].shift == 22 || (e[0].shift == 12 && n == 1024) ? 1024
	             : e[0].shift == 30 && n == 1                        ? 4
	                                                                 : 512;
	put(&b, "%s table #%zu at %#llx (%s), covers %#llx-%#llx, ", pgt_level_name(t.level), table,
	    (unsigned long long)t.pa, pgt_origin_name(t.origin), (unsigned long long)e[0].va,
	    (unsigned long long)(e[0].va + ((uint64_t)n << e[0].shift)));
	if (n == 1)
		put(&b, "entry %u", e[0].index);
	else
		put(&b, "entries %u-%u", e[0].index, e[n - 1].index);
	if (n < all)
		put(&b, " of %zu (the direct map's; the others are not modelled)", all);
	put(&b, "\n");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && j + 1 != alias_entry && i != alias_entry &&
		       same_run(&e[j], &e[j + 1]))
			j++;
		dump_line(&b, s, e, i, j, alias_entry);
		i = j + 1;
	}
	free(e);
	if (!b.ok) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
