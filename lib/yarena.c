/*
** yarena.c: chunks for the bump allocator (see yarena.h).  Chunks double
** from 16 KiB to 1 MiB, so a small file costs little and a big one few
** mallocs; a large block gets a chunk of its own.
*/
#include <stdbool.h>
#include <stdlib.h>

#include "yarena.h"

#define ARENA_FIRST (16u << 10)		/* first chunk; small files stay small */
#define ARENA_MAX (1u << 20)		/* chunks double up to this */

struct yarena_chunk {
	struct yarena_chunk *next;
	size_t size;			/* usable bytes after the header */
};

#define CHUNK_HDR ((sizeof(struct yarena_chunk) + 15u) & ~(size_t)15u)

struct yarena *yarena_new(void)
{
	struct yarena *a = calloc(1, sizeof(*a));

	if (a)
		a->next = ARENA_FIRST;
	return a;
}

void yarena_free(struct yarena *a)
{
	struct yarena_chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *yarena_grow(struct yarena *a, size_t n)
{
	bool own = n > a->next / 4;
	size_t size = own ? n : a->next;
	struct yarena_chunk *c;
	char *data;

	if (n > SIZE_MAX - CHUNK_HDR || !(c = malloc(CHUNK_HDR + size)))
		return NULL;
	c->size = size;
	data = (char *)c + CHUNK_HDR;
	if (own && a->head) {		/* keep bumping in the current chunk */
		c->next = a->head->next;
		a->head->next = c;
		return data;
	}
	c->next = a->head;
	a->head = c;
	a->cur = data + n;
	a->end = data + size;
	if (!own && a->next < ARENA_MAX)
		a->next *= 2;
	return data;
}
