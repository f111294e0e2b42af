/*
 * The arena allocator of vmarena.h (POSIX + Linux madvise).  One mmap of
 * VM_SLOTS x VM_SLOT bytes, MAP_NORESERVE so that untouched address space
 * costs nothing; a block is a slot, grown by just touching more of it.
 * Releasing a block returns its pages (MADV_DONTNEED) and frees the slot.
 * The core's arrays grow by VM_GRANULE bytes at a time, so a run holds at
 * most that much more than it uses per array.  If all slots are taken the
 * block falls back to malloc/realloc.
 */
#define _DEFAULT_SOURCE 1
#include "pgtviz/vmarena.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define VM_SLOTS   64
#define VM_SLOT    ((size_t)16 << 30) /* 16 GiB of address space per block */
#define VM_GRANULE (16u << 10)

static struct {
	atomic_flag used[VM_SLOTS];
	unsigned char *base; /* NULL: no arena */
	bool huge;           /* MADV_HUGEPAGE accepted */
	pgt_allocator al;
} g_arena = {.base = NULL};
static atomic_int g_state; /* 0 untried, 1 trying, 2 done */

static bool in_arena(const void *p)
{
	const unsigned char *c = p;
	return g_arena.base && c >= g_arena.base && c < g_arena.base + VM_SLOTS * VM_SLOT;
}

static void *arena_resize(void *ctx, void *p, size_t old_size, size_t size)
{
	(void)ctx;
	if (p && !in_arena(p))
		return realloc(p, size);
	if (size > VM_SLOT)
		return NULL;
	if (p) {
		if (size < old_size) /* give back what is no longer needed */
			madvise((unsigned char *)p + size, old_size - size, MADV_DONTNEED);
		return p;
	}
	for (int i = 0; i < VM_SLOTS; i++)
		if (!atomic_flag_test_and_set(&g_arena.used[i]))
			return g_arena.base + (size_t)i * VM_SLOT;
	return malloc(size ? size : 1);
}

static void arena_release(void *ctx, void *p, size_t size)
{
	(void)ctx;
	if (!p)
		return;
	if (!in_arena(p)) {
		free(p);
		return;
	}
	size_t off = (size_t)((unsigned char *)p - g_arena.base);
	if (size)
		madvise(p, size, MADV_DONTNEED);
	atomic_flag_clear(&g_arena.used[off / VM_SLOT]);
}

static void arena_init(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return; /* let ASan see every array as a heap block */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return;
#endif
#endif
	if (getenv("PGTVIZ_NO_ARENA"))
		return;
	void *p = mmap(NULL, VM_SLOTS * VM_SLOT, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return;
#ifdef MADV_HUGEPAGE
	g_arena.huge = madvise(p, VM_SLOTS * VM_SLOT, MADV_HUGEPAGE) == 0;
#endif
	for (int i = 0; i < VM_SLOTS; i++)
		atomic_flag_clear(&g_arena.used[i]);
	g_arena.al = (pgt_allocator){
	    .resize = arena_resize, .release = arena_release, .ctx = NULL, .granule = VM_GRANULE};
	g_arena.base = p;
}

const pgt_allocator *pgt_vmarena(void)
{
	int expect = 0;
	if (atomic_compare_exchange_strong(&g_state, &expect, 1)) {
		arena_init();
		atomic_store(&g_state, 2);
	}
	while (atomic_load(&g_state) != 2)
		;
	return g_arena.base ? &g_arena.al : NULL;
}

bool pgt_vmarena_hugepages(char *mode, size_t size)
{
	if (mode && size) {
		mode[0] = '\0';
		FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
		char line[128];
		if (f && fgets(line, sizeof(line), f)) {
			char *a = strchr(line, '['), *b = a ? strchr(a, ']') : NULL;
			if (a && b)
				snprintf(mode, size, "%.*s", (int)(b - a - 1), a + 1);
		}
		if (f)
			fclose(f);
	}
	pgt_vmarena();
	return g_arena.base && g_arena.huge;
}

size_t pgt_vmarena_huge_bytes(void)
{
	if (!g_arena.base)
		return 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return 0;
	char line[256];
	bool ours = false;
	size_t kib = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;
		if (sscanf(line, "%llx-%llx ", &a, &b) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			uintptr_t lo = (uintptr_t)g_arena.base;
			ours = a >= lo && b <= lo + VM_SLOTS * VM_SLOT;
			continue;
		}
		size_t v;
		if (ours && sscanf(line, "AnonHugePages: %zu kB", &v) == 1)
			kib += v;
	}
	fclose(f);
	return kib * 1024;
}
