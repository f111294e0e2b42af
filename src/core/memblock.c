/*
 * Simulated memblock (see memblock.h).  Rules from mm/memblock.c of 2.6.37,
 * 3.3, 3.6 and 3.13 (docs/kernel-model.md: The machine); implementation our own.
 *
 * Both arrays stay sorted and merged, so a search is a binary search plus a
 * walk over the few free gaps near the answer: table pages allocated one by
 * one top-down coalesce into a single reserved region, which keeps the
 * 1 TiB 4k-only case linear.
 */
#include "memblock.h"

#include <stdlib.h>
#include <string.h>

void mb_free(memblock *mb)
{
	free(mb->memory.r);
	free(mb->reserved.r);
	memset(mb, 0, sizeof(*mb));
}

static bool mb_reserve_cap(mb_array *a, size_t need)
{
	if (need <= a->cap)
		return true;
	size_t cap = a->cap ? a->cap : 16;
	while (cap < need)
		cap *= 2;
	pgt_region *r = realloc(a->r, cap * sizeof(*r));
	if (!r)
		return false;
	a->r = r;
	a->cap = cap;
	return true;
}

/* First index whose end is >= addr (regions touching addr included). */
static size_t first_ending_at_or_after(const mb_array *a, uint64_t addr)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->r[mid].base + a->r[mid].size < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool mb_array_add(mb_array *a, uint64_t base, uint64_t size)
{
	if (size == 0)
		return true;
	uint64_t end = base + size;
	if (end < base)
		end = UINT64_MAX;
	size_t i = first_ending_at_or_after(a, base);
	size_t j = i;
	uint64_t nb = base, ne = end;
	while (j < a->n && a->r[j].base <= end) {
		if (a->r[j].base < nb)
			nb = a->r[j].base;
		if (a->r[j].base + a->r[j].size > ne)
			ne = a->r[j].base + a->r[j].size;
		j++;
	}
	if (j == i) { /* insert */
		if (!mb_reserve_cap(a, a->n + 1))
			return false;
		memmove(&a->r[i + 1], &a->r[i], (a->n - i) * sizeof(*a->r));
		a->n++;
	} else if (j > i + 1) { /* collapse i..j-1 into i */
		memmove(&a->r[i + 1], &a->r[j], (a->n - j) * sizeof(*a->r));
		a->n -= (j - i - 1);
	}
	a->r[i].base = nb;
	a->r[i].size = ne - nb;
	return true;
}

bool mb_array_remove(mb_array *a, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	for (size_t i = 0; i < a->n; i++) {
		uint64_t rb = a->r[i].base, re = rb + a->r[i].size;
		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) { /* split */
			if (!mb_reserve_cap(a, a->n + 1))
				return false;
			memmove(&a->r[i + 1], &a->r[i], (a->n - i) * sizeof(*a->r));
			a->n++;
			a->r[i].size = base - rb;
			a->r[i + 1].base = end;
			a->r[i + 1].size = re - end;
			return true;
		}
		if (rb < base) {
			a->r[i].size = base - rb;
		} else if (re > end) {
			a->r[i].base = end;
			a->r[i].size = re - end;
		} else {
			memmove(&a->r[i], &a->r[i + 1], (a->n - i - 1) * sizeof(*a->r));
			a->n--;
			i--;
		}
	}
	return true;
}

bool mb_array_copy(mb_array *dst, const mb_array *src)
{
	dst->r = NULL;
	dst->n = dst->cap = 0;
	if (!mb_reserve_cap(dst, src->n ? src->n : 1))
		return false;
	if (src->n)
		memcpy(dst->r, src->r, src->n * sizeof(*src->r));
	dst->n = src->n;
	return true;
}

bool mb_is_region_memory(const memblock *mb, uint64_t base, uint64_t size)
{
	const mb_array *a = &mb->memory;
	uint64_t end = base + size;
	for (size_t i = first_ending_at_or_after(a, base); i < a->n; i++) {
		uint64_t rb = a->r[i].base, re = rb + a->r[i].size;
		if (rb > base)
			break;
		if (rb <= base && re >= end)
			return true;
	}
	return false;
}

bool mb_is_reserved(const memblock *mb, uint64_t base, uint64_t end)
{
	const mb_array *a = &mb->reserved;
	size_t i = first_ending_at_or_after(a, base + 1);
	return i < a->n && a->r[i].base < end;
}

/*
 * Free ranges (memory minus reserved) in descending order.  The iterator
 * walks memory regions from the top and, inside each, the gaps between the
 * reserved regions that overlap it.
 */
typedef struct free_iter {
	const memblock *mb;
	size_t mi;     /* current memory region + 1 */
	uint64_t cur;  /* upper bound of what is left of region mi-1 */
	uint64_t rbot; /* base of region mi-1 */
} free_iter;

static bool free_prev(free_iter *it, uint64_t *fs, uint64_t *fe)
{
	const mb_array *mem = &it->mb->memory, *res = &it->mb->reserved;
	for (;;) {
		if (it->cur <= it->rbot) {
			if (it->mi == 0)
				return false;
			it->mi--;
			it->rbot = mem->r[it->mi].base;
			it->cur = it->rbot + mem->r[it->mi].size;
			continue;
		}
		/* highest reserved region starting below cur */
		size_t lo = 0, hi = res->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (res->r[mid].base < it->cur)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0) { /* nothing reserved below cur */
			*fs = it->rbot;
			*fe = it->cur;
			it->cur = it->rbot;
			return true;
		}
		const pgt_region *r = &res->r[lo - 1];
		uint64_t rend = r->base + r->size;
		if (rend >= it->cur) { /* cur lies inside a reservation */
			it->cur = r->base > it->rbot ? r->base : it->rbot;
			continue;
		}
		*fe = it->cur;
		*fs = rend > it->rbot ? rend : it->rbot;
		it->cur = *fs;
		return true;
	}
}

/* How many regions start below end: where a top-down search starts.  A
 * binary search (the regions are sorted), not a walk from the top: a map cut
 * into 100,000 pieces above `end` made every allocation walk all of them,
 * and a run quadratic in the map (issue 16). */
static size_t regions_below(const mb_array *a, uint64_t end)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->r[mid].base < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t mb_find_topdown(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                         uint64_t align)
{
	if (start < 4096)
		start = 4096;
	if (end < start)
		end = start;
	free_iter it = {mb, regions_below(&mb->memory, end), 0, 0};
	uint64_t fs, fe;
	while (free_prev(&it, &fs, &fe)) {
		if (fe <= start)
			break;
		uint64_t ts = fs < start ? start : (fs > end ? end : fs);
		uint64_t te = fe < start ? start : (fe > end ? end : fe);
		if (te < size)
			continue;
		uint64_t cand = rd_u64(te - size, align);
		if (cand >= ts)
			return cand;
	}
	return 0;
}

/* memblock_overlaps_region: first (lowest) reserved region overlapping. */
static long first_overlap(const mb_array *res, uint64_t base, uint64_t size)
{
	size_t i = first_ending_at_or_after(res, base + 1);
	if (i < res->n && res->r[i].base < base + size)
		return (long)i;
	return -1;
}

uint64_t mb_find_topdown_old(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                             uint64_t align)
{
	for (size_t k = regions_below(&mb->memory, end); k-- > 0;) {
		uint64_t rb = mb->memory.r[k].base, rs = mb->memory.r[k].size;
		if (rs < size)
			continue;
		uint64_t bottom = rb > start ? rb : start;
		uint64_t top = rb + rs < end ? rb + rs : end;
		if (bottom >= top)
			continue;
		if (bottom == 0)
			bottom = 4096;
		if (top < size)
			continue;
		uint64_t base = rd_u64(top - size, align);
		while (bottom <= base) {
			long j = first_overlap(&mb->reserved, base, size);
			if (j < 0)
				return base;
			uint64_t res_base = mb->reserved.r[j].base;
			if (res_base < size)
				break;
			base = rd_u64(res_base - size, align);
		}
	}
	return 0;
}

uint64_t mb_find_bottomup(const memblock *mb, uint64_t start, uint64_t end, uint64_t size,
                          uint64_t align)
{
	if (start < 4096)
		start = 4096;
	const mb_array *mem = &mb->memory, *res = &mb->reserved;
	for (size_t i = first_ending_at_or_after(mem, start + 1); i < mem->n; i++) {
		uint64_t rb = mem->r[i].base, re = rb + mem->r[i].size;
		if (rb >= end)
			break;
		uint64_t cur = rb;
		size_t j = first_ending_at_or_after(res, cur + 1);
		while (cur < re) {
			uint64_t gap_end = re;
			uint64_t next = re;
			if (j < res->n && res->r[j].base < re) {
				if (res->r[j].base <= cur) {
					cur = res->r[j].base + res->r[j].size;
					j++;
					continue;
				}
				gap_end = res->r[j].base;
				next = res->r[j].base + res->r[j].size;
				j++;
			}
			uint64_t ts = cur < start ? start : cur;
			uint64_t te = gap_end > end ? end : gap_end;
			if (ts < te) {
				uint64_t cand = ru_u64(ts, align);
				if (cand < te && te - cand >= size)
					return cand;
			}
			cur = next;
		}
	}
	return 0;
}
