/*
** objpath.h: resolving a rule's report path ({"spec", "containers", 1,
** "image"}) to a source position in a document's node tree.
*/
#ifndef SK_OBJPATH_H
#define SK_OBJPATH_H

#include <stddef.h>

#include "ydoc.h"

struct objpath_elem {
	const char *key;	/* map key (borrowed), or NULL for an index */
	size_t keylen;
	size_t index;		/* 1-based sequence index when key is NULL */
};

/*
** Walk `path` from `root` and store the position in *line and *col.  A map key
** resolves to the key's own position (so `image: x` points at `image`), a
** sequence index to the item.  When an element does not exist, the nearest
** existing ancestor is used (the document root for an empty path).
** Returns how many elements were resolved (n when the whole path exists).
*/
size_t objpath_resolve(const struct ynode *root, const struct objpath_elem *path,
		       size_t n, unsigned *line, unsigned *col);

#endif
