/*
** objpath.c: report path -> file:line:col in a positioned node tree.
*/
#include <string.h>

#include "objpath.h"

/* The pair of `map` whose key is `key`, or NULL. */
static const struct ypair *objpath_pair(const struct ynode *map,
					const char *key, size_t len)
{
	if (map->type != YN_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct ynode *k = map->u.map.v[i].key;

		if (k->len == len && !memcmp(k->text, key, len))
			return &map->u.map.v[i];
	}
	return NULL;
}

size_t objpath_resolve(const struct ynode *root, const struct objpath_elem *path,
		       size_t n, unsigned *line, unsigned *col)
{
	const struct ynode *cur = root;
	size_t i;

	*line = root->line;
	*col = root->col;
	for (i = 0; i < n; i++) {
		const struct objpath_elem *e = &path[i];

		if (e->key) {
			const struct ypair *p = objpath_pair(cur, e->key, e->keylen);

			if (!p)
				break;
			*line = p->key->line;
			*col = p->key->col;
			cur = p->val;
		} else {
			if (cur->type != YN_SEQ || e->index < 1 ||
			    e->index > cur->u.seq.n)
				break;
			cur = cur->u.seq.v[e->index - 1];
			*line = cur->line;
			*col = cur->col;
		}
	}
	return i;
}
