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

/* Slot holding `key`, or the empty slot where it would go. */
static struct strmap_slot *strmap_find(const struct strmap *m, const char *key,
				       size_t len)
{
	size_t mask = m->size - 1, j = strmap_hash(key, len) & mask;

	for (;; j = (j + 1) & mask) {
		struct strmap_slot *s = &m->slot[j];

		if (!s->key || (s->len == len && !memcmp(s->key, key, len)))
			return s;
	}
}

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;

	m->size = old.size ? old.size * 2 : 64;
	m->slot = xcalloc(m->size, sizeof(*m->slot));
	for (size_t i = 0; i < old.size; i++)
		if (old.slot[i].key)
			*strmap_find(m, old.slot[i].key, old.slot[i].len) =
				old.slot[i];
	free(old.slot);
}

bool strmap_get(const struct strmap *m, const char *key, size_t len,
		size_t *val)
{
	const struct strmap_slot *s;

	if (!m->size)
		return false;
	s = strmap_find(m, key, len);
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
	s = strmap_find(m, key, len);
	return s->key ? &s->val : NULL;
}

bool strmap_put(struct strmap *m, const char *key, size_t len, size_t val)
{
	struct strmap_slot *s;

	if ((m->used + 1) * 2 > m->size)
		strmap_grow(m);
	s = strmap_find(m, key, len);
	if (s->key)
		return false;
	s->key = xmalloc(len + 1);
	memcpy(s->key, key, len);
	s->key[len] = '\0';
	s->len = len;
	s->val = val;
	m->used++;
	return true;
}
