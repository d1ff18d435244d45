/*
** merge.h: the --env overlay.  Deep-merges one positioned tree over another
** (mappings key by key, recursively; scalars and sequences replace) without
** copying the inputs: new mapping nodes live in a `struct merge`, and every
** leaf still points into the original trees, so positions survive.
*/
#ifndef SK_MERGE_H
#define SK_MERGE_H

#include "ydoc.h"

struct merge {
	struct merge_block *blocks;	/* owned: every node made by merging */
};

#define MERGE_INIT { NULL }

void merge_release(struct merge *m);

/*
** `over` merged over `base` (both borrowed; either may be NULL).  The result
** is `over` itself when it is not a mapping or `base` is not one, else a new
** mapping: base's keys in base order (values merged), then keys only `over`
** has, in its order.  Returns NULL only when memory runs out.
*/
const struct ynode *merge_ynodes(struct merge *m, const struct ynode *base,
				 const struct ynode *over);

/* A copy of mapping `map` without `key` (or `map` itself when absent). */
const struct ynode *merge_without(struct merge *m, const struct ynode *map,
				  const char *key);

#endif
