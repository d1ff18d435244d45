/*
** jarena.c: the JSON of one app's render from an arena of its thread
** (see jarena.h).  A scope fills chunks of JARENA_CHUNK bytes one after
** another; a block over a quarter of that gets a chunk of its own.
** Freeing a block of a chunk of the open scope does nothing; any other
** block (made before the scope, or outside one) goes to free().  At the
** scope's end the standard chunks are kept for the next one and the big
** ones freed.
*/
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "jarena.h"
#include "util.h"

#define JARENA_CHUNK	(64u << 10)	/* an app's render takes about 100 KB */
#define JARENA_ALIGN	alignof(max_align_t)

struct jchunk {
	struct jchunk *next;
	size_t size;			/* bytes after the header */
};

struct jarena {
	struct jchunk *used;		/* the open scope's chunks, the one filling first */
	struct jchunk *spare;		/* standard chunks kept for the next scope */
	size_t at;			/* bytes of used's data taken */
	bool on;
};

static _Thread_local struct jarena arena;
static bool installed;

static size_t round_up(size_t n)
{
	return (n + JARENA_ALIGN - 1) & ~(size_t)(JARENA_ALIGN - 1);
}

#define JARENA_HDR round_up(sizeof(struct jchunk))

static unsigned char *chunk_data(struct jchunk *c)
{
	return (unsigned char *)c + JARENA_HDR;
}

static struct jchunk *chunk_new(size_t size)
{
	struct jchunk *c;

	if (size > SIZE_MAX - JARENA_HDR || !(c = malloc(JARENA_HDR + size)))
		return NULL;
	c->next = NULL;
	c->size = size;
	return c;
}

/* A block of its own, linked behind the chunk being filled. */
static void *jarena_big(struct jarena *a, size_t n)
{
	struct jchunk *c = chunk_new(n);

	if (!c)
		return NULL;
	if (a->used) {
		c->next = a->used->next;
		a->used->next = c;
	} else {
		a->used = c;
		a->at = n;	/* full: the next small block starts a chunk */
	}
	return chunk_data(c);
}

static void *jarena_malloc(size_t n)
{
	struct jarena *a = &arena;
	struct jchunk *c;
	void *p;

	if (!a->on)
		return malloc(n);
	if (n > JARENA_CHUNK / 4)
		return jarena_big(a, n);
	n = round_up(n ? n : 1);
	if (!a->used || a->used->size - a->at < n) {
		if (a->spare) {
			c = a->spare;
			a->spare = c->next;
		} else if (!(c = chunk_new(JARENA_CHUNK))) {
			return NULL;
		}
		c->next = a->used;
		a->used = c;
		a->at = 0;
	}
	p = chunk_data(a->used) + a->at;
	a->at += n;
	return p;
}

/* A block of one of the open scope's chunks? */
static bool jarena_owns(const struct jarena *a, const void *p)
{
	uintptr_t x = (uintptr_t)p;

	for (struct jchunk *c = a->used; c; c = c->next) {
		uintptr_t d = (uintptr_t)chunk_data(c);

		if (x >= d && x - d < c->size)
			return true;
	}
	return false;
}

static void jarena_free(void *p)
{
	if (p && !(arena.on && jarena_owns(&arena, p)))
		free(p);
}

void jarena_install(void)
{
	if (SK_SANITIZED || installed)
		return;
	json_set_alloc_funcs(jarena_malloc, jarena_free);
	installed = true;
}

bool jarena_begin(void)
{
	if (!installed || arena.on)
		return false;
	arena.on = true;
	return true;
}

void jarena_end(void)
{
	struct jarena *a = &arena;
	struct jchunk *c, *next;

	for (c = a->used; c; c = next) {
		next = c->next;
		if (c->size == JARENA_CHUNK) {
			c->next = a->spare;
			a->spare = c;
		} else {
			free(c);
		}
	}
	a->used = NULL;
	a->at = 0;
	a->on = false;
}

void jarena_release(void)
{
	struct jchunk *c, *next;

	if (arena.on)
		jarena_end();
	for (c = arena.spare; c; c = next) {
		next = c->next;
		free(c);
	}
	arena.spare = NULL;
}

size_t jarena_held(void)
{
	size_t n = 0;

	for (struct jchunk *c = arena.used; c; c = c->next)
		n += c->size;
	for (struct jchunk *c = arena.spare; c; c = c->next)
		n += c->size;
	return n;
}
