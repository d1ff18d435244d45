/*
** yarena.h: a bump allocator for the document tree: big chunks, no
** per-object free, everything released at once.  One per loaded stream.
** A finished arena lends the unused end of its last chunk to the next
** arena made (chunks are reference counted), so many small files do not
** each leave a mostly empty chunk behind.
*/
#ifndef SK_YARENA_H
#define SK_YARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define YARENA_ALIGN 8u

struct yarena_chunk;

struct yarena {
	char *cur, *end;		/* free space in the current chunk */
	struct yarena_chunk *tail;	/* the chunk cur points into, or NULL */
	struct yarena_chunk **chunks;	/* every chunk it holds a reference on */
	size_t nchunks, achunks;
	size_t next;			/* size of the next regular chunk */
};

/* A new, empty arena (caller frees with yarena_free), or NULL. */
struct yarena *yarena_new(void);
/*
** Done allocating: the unused end of the current chunk may serve the next
** arena made (by any thread).  Later allocations still work (a new chunk).
*/
void yarena_seal(struct yarena *a);
/*
** Make dst hold everything src holds (its chunks' references) and free src:
** what was allocated from either lives until dst is freed.  -1 when out of
** memory (both unchanged).
*/
int yarena_merge(struct yarena *dst, struct yarena *src);
/* Free the arena and everything allocated from it; NULL is fine. */
void yarena_free(struct yarena *a);
/* Slow path of the two below: n bytes from a new chunk, or NULL. */
void *yarena_grow(struct yarena *a, size_t n);

/* n > 0 bytes aligned for any node or pointer, owned by the arena; NULL when out of memory. */
static inline void *yarena_alloc(struct yarena *a, size_t n)
{
	uintptr_t p = ((uintptr_t)a->cur + (YARENA_ALIGN - 1)) & ~(uintptr_t)(YARENA_ALIGN - 1);

	if (a->cur && p <= (uintptr_t)a->end && n <= (uintptr_t)a->end - p) {
		a->cur = (char *)p + n;
		return (void *)p;
	}
	return yarena_grow(a, n);
}

/* A NUL-terminated copy of s[0..n) in the arena, or NULL. */
static inline char *yarena_strndup(struct yarena *a, const char *s, size_t n)
{
	char *d;

	if (a->cur && n < (size_t)(a->end - a->cur)) {
		d = a->cur;
		a->cur += n + 1;
	} else if (!(d = yarena_grow(a, n + 1))) {
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

#endif
