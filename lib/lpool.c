/*
** lpool.c: size-class pool for Lua states (see lpool.h).
**
** Chunks double from 64 KiB to 2 MiB; a 2 MiB chunk is aligned so that
** the kernel may back it with one huge page (one fault instead of 512, and
** fewer TLB misses while the collector walks the heap).  Chunks come from
** malloc, not mmap: LeakSanitizer scans heap blocks for pointers but not
** private mappings, and Lua objects in the pool point to malloc'd blocks
** (large arrays, PCRE2 contexts).  Chunks below 2 MiB are prefaulted in
** one call (util_prefault): a small run's state fills them anyway, and
** faulting a page at a time cost a pre-commit run about half a millisecond
** (one small file: 307 page faults instead of 199, median 11.4 ms, not 10.9).  A block's class is its size rounded up to LPOOL_GRAIN, or
** above LPOOL_SMALL to LPOOL_COARSE (blocks up to 4 KiB are table parts and
** long strings: 40,000 of them on the benchmark corpus, which glibc's heap
** faulted in page by page); a freed block holds the link to the next free
** one of its class.
*/
#include <stdlib.h>
#include <string.h>

#include "lpool.h"
#include "util.h"

#define CHUNK_FIRST ((size_t)64 << 10)
#define CHUNK_MAX UTIL_HUGE_PAGE

struct lpool_chunk {
	struct lpool_chunk *next;
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
		free(c);
	}
	lpool_init(p);
}

/* A new chunk to carve from; the rest of the old one is left unused. */
static int pool_grow(struct lpool *p)
{
	struct lpool_chunk *c;
	size_t len = p->next;
	void *m;

	if (len < CHUNK_MAX) {
		if (!(m = malloc(len)))
			return -1;
		util_prefault(m, len);
	} else {
		if (!(m = util_alloc_huge(len)))
			return -1;
	}
	c = m;
	c->next = p->chunks;
	p->chunks = c;
	p->cur = (char *)m + CHUNK_HDR;
	p->end = (char *)m + len;
	if (p->next < CHUNK_MAX)
		p->next *= 2;
	return 0;
}

#define NSMALL (LPOOL_SMALL / LPOOL_GRAIN)	/* classes of the fine grain */

static size_t class_of(size_t n)
{
	if (n <= LPOOL_SMALL)
		return (n + LPOOL_GRAIN - 1) / LPOOL_GRAIN - 1;
	return NSMALL + (n - LPOOL_SMALL + LPOOL_COARSE - 1) / LPOOL_COARSE - 1;
}

static size_t class_size(size_t k)
{
	if (k < NSMALL)
		return (k + 1) * LPOOL_GRAIN;
	return LPOOL_SMALL + (k - NSMALL + 1) * LPOOL_COARSE;
}

static void *pool_alloc(struct lpool *p, size_t n)
{
	size_t k = class_of(n), sz = class_size(k);
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

/*
** Under AddressSanitizer every block comes from malloc: a pooled block that
** C code used after Lua freed it would still be "allocated" to ASan, and the
** sanitizer builds (make check, the fuzzers) are there to see exactly that.
*/
void *lpool_realloc(struct lpool *p, void *ptr, size_t osize, size_t nsize)
{
	void *nb;

#if SK_SANITIZED
	(void)p;
	(void)osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, nsize);
#endif

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
