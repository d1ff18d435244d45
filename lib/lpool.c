/*
** lpool.c: size-class pool for Lua states (see lpool.h).
**
** Chunks double from 64 KiB to 2 MiB and are mapped directly; a 2 MiB
** chunk is aligned so that the kernel may back it with one huge page (one
** fault instead of 512, and fewer TLB misses while the collector walks the
** heap).  A block's class is its size rounded up to LPOOL_GRAIN; a freed
** block holds the link to the next free one of its class.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lpool.h"

#define CHUNK_FIRST ((size_t)64 << 10)
#define CHUNK_MAX ((size_t)2 << 20)

struct lpool_chunk {
	struct lpool_chunk *next;
	void *map;			/* what to munmap */
	size_t maplen;
};

/* Header space at the start of a chunk, keeping blocks 16-byte aligned. */
#define CHUNK_HDR ((sizeof(struct lpool_chunk) + LPOOL_GRAIN - 1) & \
		   ~(size_t)(LPOOL_GRAIN - 1))

void lpool_init(struct lpool *p)
{
	memset(p, 0, sizeof(*p));
	p->next = CHUNK_FIRST;
}

void lpool_release(struct lpool *p)
{
	struct lpool_chunk *c = p->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		munmap(c->map, c->maplen);
	}
	lpool_init(p);
}

/* Map `size` bytes aligned to `size` (a power of two >= the page size). */
static void *map_aligned(size_t size, void **map, size_t *maplen)
{
	size_t len = size * 2;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	if (m == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)m + size - 1) & ~(uintptr_t)(size - 1);
	if (a > (uintptr_t)m)
		munmap(m, a - (uintptr_t)m);
	if ((char *)a + size < m + len)
		munmap((char *)a + size, (size_t)(m + len - ((char *)a + size)));
	*map = (void *)a;
	*maplen = size;
	return (void *)a;
}

/* A new chunk to carve from; the rest of the old one is left unused. */
static int pool_grow(struct lpool *p)
{
	struct lpool_chunk *c;
	void *map;
	size_t len;

	if (!map_aligned(p->next, &map, &len))
		return -1;
#ifdef MADV_HUGEPAGE
	if (len >= CHUNK_MAX)
		madvise(map, len, MADV_HUGEPAGE);
#endif
	c = map;
	c->next = p->chunks;
	c->map = map;
	c->maplen = len;
	p->chunks = c;
	p->cur = (char *)map + CHUNK_HDR;
	p->end = (char *)map + len;
	if (p->next < CHUNK_MAX)
		p->next *= 2;
	return 0;
}

static size_t class_of(size_t n)
{
	return (n + LPOOL_GRAIN - 1) / LPOOL_GRAIN - 1;
}

static void *pool_alloc(struct lpool *p, size_t n)
{
	size_t k = class_of(n), sz = (k + 1) * LPOOL_GRAIN;
	void *b = p->free[k];

	if (b) {
		p->free[k] = *(void **)b;
		return b;
	}
	if ((size_t)(p->end - p->cur) < sz && pool_grow(p) < 0)
		return NULL;
	b = p->cur;
	p->cur += sz;
	return b;
}

static void pool_free(struct lpool *p, void *b, size_t n)
{
	size_t k = class_of(n);

	*(void **)b = p->free[k];
	p->free[k] = b;
}

void *lpool_realloc(struct lpool *p, void *ptr, size_t osize, size_t nsize)
{
	void *nb;

	if (nsize == 0) {
		if (!ptr)
			return NULL;
		if (osize <= LPOOL_MAX)
			pool_free(p, ptr, osize);
		else
			free(ptr);
		return NULL;
	}
	if (!ptr)
		return nsize <= LPOOL_MAX ? pool_alloc(p, nsize) : malloc(nsize);
	if (osize > LPOOL_MAX && nsize > LPOOL_MAX)
		return realloc(ptr, nsize);
	if (osize <= LPOOL_MAX && nsize <= LPOOL_MAX &&
	    class_of(osize) == class_of(nsize))
		return ptr;
	nb = nsize <= LPOOL_MAX ? pool_alloc(p, nsize) : malloc(nsize);
	if (!nb)
		return NULL;	/* Lua keeps the old block */
	memcpy(nb, ptr, osize < nsize ? osize : nsize);
	if (osize <= LPOOL_MAX)
		pool_free(p, ptr, osize);
	else
		free(ptr);
	return nb;
}
