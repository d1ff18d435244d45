/*
** merge.c: deep merge of positioned YAML trees for environment overlays
** (sparkgen --env NAME), as a JSON merge patch (RFC 7386).  Allocations
** come from a small block list freed at once by merge_release().
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
	m->deleted = NULL;
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

/* Whether a mapping in `n` (lists are values) has a null value. */
static bool has_null_member(const struct ynode *n)
{
	if (n->type != YN_MAP)
		return false;
	for (size_t i = 0; i < n->u.map.n; i++)
		if (n->u.map.v[i].val->type == YN_NULL || has_null_member(n->u.map.v[i].val))
			return true;
	return false;
}

/* Record that the overlay's null pair `p` left (or kept) its key out of `map`. */
static int add_deleted(struct merge *m, const struct ynode *map, const struct ypair *p)
{
	struct merge_deleted *d = merge_alloc(m, sizeof *d);

	if (d == NULL)
		return -1;
	d->map = map;
	d->key = p->key;
	d->null = p->val;
	d->next = m->deleted;
	m->deleted = d;
	return 0;
}

const struct ynode *merge_ynodes(struct merge *m, const struct ynode *base,
				 const struct ynode *over)
{
	struct ynode *out;
	size_t nb;

	if (over == NULL)
		return base;
	if (over->type != YN_MAP)
		return over;
	if (base == NULL || base->type != YN_MAP) {
		/* replaces: as it is, or merged over nothing to drop its nulls */
		if (!has_null_member(over))
			return over;
		base = NULL;
	}
	nb = base ? base->u.map.n : 0;
	out = new_map(m, base ? base : over, nb + over->u.map.n);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < nb; i++) {
		const struct ypair *bp = &base->u.map.v[i];
		const struct ynode *ov = ynode_getn(over, bp->key->text, bp->key->len);
		const struct ynode *val;
		if (ov != NULL && ov->type == YN_NULL)
			continue;	/* deleted; noted below */
		if ((val = merge_ynodes(m, bp->val, ov)) == NULL)
			return NULL;
		out->u.map.v[out->u.map.n].key = bp->key;
		out->u.map.v[out->u.map.n++].val = (struct ynode *)val;
	}
	for (size_t i = 0; i < over->u.map.n; i++) {
		const struct ypair *op = &over->u.map.v[i];
		const struct ynode *val;
		if (op->val->type == YN_NULL) {
			if (add_deleted(m, out, op) < 0)
				return NULL;
			continue;
		}
		if (nb && ynode_getn(base, op->key->text, op->key->len) != NULL)
			continue;
		if ((val = merge_ynodes(m, NULL, op->val)) == NULL)
			return NULL;
		out->u.map.v[out->u.map.n].key = op->key;
		out->u.map.v[out->u.map.n++].val = (struct ynode *)val;
	}
	return out;
}

const struct ynode *merge_deleted(const struct merge *m, const struct ynode *map,
				  const char *key)
{
	for (const struct merge_deleted *d = m->deleted; d; d = d->next)
		if (d->map == map && key_is(d->key, key, strlen(key)))
			return d->null;
	return NULL;
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
