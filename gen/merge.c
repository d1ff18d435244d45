/*
** merge.c: deep merge of positioned YAML trees for environment overlays
** (sparkgen --env NAME).  Allocations come from a small block list freed at
** once by merge_release().
*/
#include "merge.h"

#include <stdlib.h>
#include <string.h>

struct merge_block {
	struct merge_block *next;
	max_align_t data[];	/* the allocation */
};

static void *merge_alloc(struct merge *m, size_t size)
{
	struct merge_block *b = malloc(sizeof *b + size);

	if (b == NULL)
		return NULL;
	b->next = m->blocks;
	m->blocks = b;
	return b->data;
}

void merge_release(struct merge *m)
{
	while (m->blocks) {
		struct merge_block *b = m->blocks;
		m->blocks = b->next;
		free(b);
	}
}

static struct ynode *new_map(struct merge *m, const struct ynode *like,
			     size_t cap)
{
	struct ynode *n = merge_alloc(m, sizeof *n);
	struct ypair *v = merge_alloc(m, (cap ? cap : 1) * sizeof *v);

	if (n == NULL || v == NULL)
		return NULL;
	*n = *like;
	n->u.map.v = v;
	n->u.map.n = 0;
	return n;
}

static bool key_is(const struct ynode *k, const char *s, size_t len)
{
	return k->len == len && memcmp(k->text, s, len) == 0;
}

const struct ynode *merge_ynodes(struct merge *m, const struct ynode *base,
				 const struct ynode *over)
{
	struct ynode *out;

	if (over == NULL)
		return base;
	if (base == NULL || base->type != YN_MAP || over->type != YN_MAP)
		return over;
	out = new_map(m, base, base->u.map.n + over->u.map.n);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < base->u.map.n; i++) {
		const struct ypair *bp = &base->u.map.v[i];
		const struct ynode *ov = ynode_getn(over, bp->key->text, bp->key->len);
		const struct ynode *val = merge_ynodes(m, bp->val, ov);
		if (val == NULL)
			return NULL;
		out->u.map.v[out->u.map.n].key = bp->key;
		out->u.map.v[out->u.map.n++].val = (struct ynode *)val;
	}
	for (size_t i = 0; i < over->u.map.n; i++) {
		const struct ypair *op = &over->u.map.v[i];
		if (ynode_getn(base, op->key->text, op->key->len) != NULL)
			continue;
		out->u.map.v[out->u.map.n++] = *op;
	}
	return out;
}

const struct ynode *merge_without(struct merge *m, const struct ynode *map,
				  const char *key)
{
	size_t len = strlen(key);
	struct ynode *out;

	if (map == NULL || map->type != YN_MAP || ynode_getn(map, key, len) == NULL)
		return map;
	out = new_map(m, map, map->u.map.n);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++)
		if (!key_is(map->u.map.v[i].key, key, len))
			out->u.map.v[out->u.map.n++] = map->u.map.v[i];
	return out;
}
