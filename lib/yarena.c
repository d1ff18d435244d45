/*
** yarena.c: chunks for the bump allocator (see yarena.h).  Chunks double
** from 64 KiB to 1 MiB, so a big file costs few mallocs; a large block
** gets a chunk of its own.  A small file's tree fills only part of a
** chunk, so a sealed arena puts the rest in a small shared pool of spare
** ends (under a mutex: loader threads share it), and the next arena starts
** there: 17,000 small files then cost what their trees need, not 17,000
** mostly empty chunks.  A chunk is freed with the last arena (or spare)
** holding it.
**
** Once a run has made HUGE_AFTER bytes of chunks it is a big one, and every
** further shared chunk is 2 MiB, aligned and advised so that the kernel may
** back it with one huge page: one page fault instead of 512 (faults were a
** fifth of linting the benchmark corpus on a VM).  A small run, the
** pre-commit case, keeps small chunks and does not fault in 2 MiB.  Chunks
** come from malloc (posix_memalign), as lpool.c's, for LeakSanitizer.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util.h"
#include "yarena.h"

#define ARENA_FIRST (64u << 10)		/* first chunk */
#define ARENA_MAX (1u << 20)		/* chunks double up to this */
#define SPARE_MIN 512u			/* smaller ends are not worth lending */
#define NSPARES 4			/* about one per loader thread */
#define HUGE_CHUNK UTIL_HUGE_PAGE	/* header included */
#define HUGE_AFTER ((size_t)8 << 20)	/* chunk bytes made before they are huge */

struct yarena_chunk {
	atomic_size_t refs;		/* arenas and spares holding it */
	size_t size;			/* usable bytes after the header */
};

#define CHUNK_HDR ((sizeof(struct yarena_chunk) + 15u) & ~(size_t)15u)

/* The unused ends of sealed arenas; each holds a reference on its chunk. */
static struct spare {
	struct yarena_chunk *c;
	char *cur, *end;
} spares[NSPARES];
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;

static atomic_size_t made;		/* bytes of chunks made so far, all arenas */

/* A chunk of CHUNK_HDR + size bytes, huge-page aligned when it is one. */
static struct yarena_chunk *chunk_new(size_t size)
{
	void *m;

	if (size > SIZE_MAX - CHUNK_HDR)
		return NULL;
	if (CHUNK_HDR + size == HUGE_CHUNK) {
		if (!(m = util_alloc_huge(HUGE_CHUNK)))
			return NULL;
	} else if (!(m = malloc(CHUNK_HDR + size))) {
		return NULL;
	}
	atomic_fetch_add_explicit(&made, CHUNK_HDR + size, memory_order_relaxed);
	return m;
}

static void chunk_release(struct yarena_chunk *c)
{
	if (c && atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1)
		free(c);
}

/* Record that a holds a reference on c (already counted). */
static int hold(struct yarena *a, struct yarena_chunk *c)
{
	if (a->nchunks == a->achunks) {
		size_t cap = a->achunks ? a->achunks * 2 : 4;
		struct yarena_chunk **v = realloc(a->chunks, cap * sizeof(*v));

		if (!v)
			return -1;
		a->chunks = v;
		a->achunks = cap;
	}
	a->chunks[a->nchunks++] = c;
	return 0;
}

static size_t room(const struct spare *s)
{
	return (size_t)(s->end - s->cur);
}

/* Start a where the largest spare end is, if there is one. */
static void adopt_spare(struct yarena *a)
{
	struct spare s = { NULL, NULL, NULL };
	size_t pick = NSPARES;

	pthread_mutex_lock(&spare_lock);
	for (size_t i = 0; i < NSPARES; i++)
		if (spares[i].c && (pick == NSPARES || room(&spares[i]) > room(&spares[pick])))
			pick = i;
	if (pick < NSPARES) {
		s = spares[pick];
		spares[pick].c = NULL;
	}
	pthread_mutex_unlock(&spare_lock);
	if (!s.c)
		return;
	if (hold(a, s.c) < 0) {		/* out of memory: do without it */
		chunk_release(s.c);
		return;
	}
	a->tail = s.c;
	a->cur = s.cur;
	a->end = s.end;
}

struct yarena *yarena_new(void)
{
	struct yarena *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->next = ARENA_FIRST;
	adopt_spare(a);
	return a;
}

void yarena_seal(struct yarena *a)
{
	struct spare s;
	struct yarena_chunk *drop;
	size_t pick = NSPARES;

	if (!a || !a->tail)
		return;
	s = (struct spare){ a->tail, a->cur, a->end };
	a->tail = NULL;
	a->cur = a->end = NULL;
	if (!s.cur || room(&s) < SPARE_MIN)
		return;
	atomic_fetch_add_explicit(&s.c->refs, 1, memory_order_relaxed);
	drop = s.c;			/* unless a slot takes it */
	pthread_mutex_lock(&spare_lock);
	for (size_t i = 0; i < NSPARES && pick == NSPARES; i++)
		if (!spares[i].c)
			pick = i;
	for (size_t i = 0; pick == NSPARES && i < NSPARES; i++)	/* or replaces a smaller one */
		if (room(&spares[i]) < room(&s))
			pick = i;
	if (pick < NSPARES) {
		drop = spares[pick].c;
		spares[pick] = s;
	}
	pthread_mutex_unlock(&spare_lock);
	chunk_release(drop);
}

void yarena_free(struct yarena *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nchunks; i++)
		chunk_release(a->chunks[i]);
	free(a->chunks);
	free(a);
}

int yarena_merge(struct yarena *dst, struct yarena *src)
{
	size_t need = dst->nchunks + src->nchunks;

	if (need > dst->achunks) {
		struct yarena_chunk **v = realloc(dst->chunks, need * sizeof(*v));

		if (!v)
			return -1;
		dst->chunks = v;
		dst->achunks = need;
	}
	for (size_t i = 0; i < src->nchunks; i++)	/* the references move */
		dst->chunks[dst->nchunks++] = src->chunks[i];
	free(src->chunks);
	free(src);
	return 0;
}

void *yarena_grow(struct yarena *a, size_t n)
{
	bool huge = atomic_load_explicit(&made, memory_order_relaxed) >= HUGE_AFTER;
	size_t next = huge ? HUGE_CHUNK - CHUNK_HDR : a->next;
	bool own = n > next / 4;
	size_t size = own ? n : next;
	struct yarena_chunk *c;
	char *data;

	if (!(c = chunk_new(size)))
		return NULL;
	atomic_init(&c->refs, 1);
	c->size = size;
	if (hold(a, c) < 0) {
		free(c);
		return NULL;
	}
	data = (char *)c + CHUNK_HDR;
	if (own && a->tail)		/* keep bumping in the current chunk */
		return data;
	a->tail = c;
	a->cur = data + n;
	a->end = data + size;
	if (!own && a->next < ARENA_MAX)
		a->next *= 2;
	return data;
}
