/*
** strmap.c: string -> size_t hash map (FNV-1a, linear probing), see strmap.h.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

void strmap_init(struct strmap *m)
{
	m->slot = NULL;
	m->size = m->used = 0;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->size; i++)
		free(m->slot[i].key);
	free(m->slot);
	strmap_init(m);
}

static uint64_t strmap_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* Slot holding `key` (hash h), or the empty slot where it would go. */
static struct strmap_slot *strmap_find(const struct strmap *m, const char *key,
				       size_t len, uint64_t h)
{
	size_t mask = m->size - 1, j = (size_t)h & mask;

	for (;; j = (j + 1) & mask) {
		struct strmap_slot *s = &m->slot[j];

		if (!s->key || (s->hash == h && s->len == len &&
				!memcmp(s->key, key, len)))
			return s;
	}
}

/* A table of `size` slots (a power of two) holding the same keys. */
static void strmap_resize(struct strmap *m, size_t size)
{
	struct strmap old = *m;
	size_t mask = size - 1;

	m->size = size;
	m->slot = xcalloc(m->size, sizeof(*m->slot));
	for (size_t i = 0; i < old.size; i++) {
		size_t j = (size_t)old.slot[i].hash & mask;

		if (!old.slot[i].key)
			continue;
		while (m->slot[j].key)	/* the keys differ: the first free slot */
			j = (j + 1) & mask;
		m->slot[j] = old.slot[i];
	}
	free(old.slot);
}

void strmap_reserve(struct strmap *m, size_t n)
{
	size_t size = m->size ? m->size : 64;

	while (size / 2 < n)
		size *= 2;
	if (size > m->size)
		strmap_resize(m, size);
}

bool strmap_get(const struct strmap *m, const char *key, size_t len,
		size_t *val)
{
	const struct strmap_slot *s;

	if (!m->size)
		return false;
	s = strmap_find(m, key, len, strmap_hash(key, len));
	if (!s->key)
		return false;
	*val = s->val;
	return true;
}

size_t *strmap_ref(struct strmap *m, const char *key, size_t len)
{
	struct strmap_slot *s;

	if (!m->size)
		return NULL;
	s = strmap_find(m, key, len, strmap_hash(key, len));
	return s->key ? &s->val : NULL;
}

bool strmap_put(struct strmap *m, const char *key, size_t len, size_t val)
{
	uint64_t h = strmap_hash(key, len);
	struct strmap_slot *s;

	if ((m->used + 1) * 2 > m->size)
		strmap_resize(m, m->size ? m->size * 2 : 64);
	s = strmap_find(m, key, len, h);
	if (s->key)
		return false;
	s->key = xmalloc(len + 1);
	memcpy(s->key, key, len);
	s->key[len] = '\0';
	s->len = len;
	s->val = val;
	s->hash = h;
	m->used++;
	return true;
}
