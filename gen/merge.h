/*
** merge.h: the --env overlay.  Deep-merges one positioned tree over another
** as a JSON merge patch (RFC 7386: mappings key by key, recursively; a null
** deletes the key; scalars and sequences replace) without copying the
** inputs: new mapping nodes live in a `struct merge`, and every leaf still
** points into the original trees, so positions survive.
*/
#ifndef SK_MERGE_H
#define SK_MERGE_H

#include "ydoc.h"

struct merge_deleted {
	struct merge_deleted *next;
	const struct ynode *map;	/* the merged mapping the key is not in */
	const struct ynode *key;	/* borrowed: the overlay's key ... */
	const struct ynode *null;	/* ... and its null */
};

struct merge {
	struct merge_block *blocks;	/* owned: every node made by merging */
	struct merge_deleted *deleted;	/* in `blocks`: the overlay's nulls */
};

#define MERGE_INIT { NULL, NULL }

void merge_release(struct merge *m);

/*
** `over` merged over `base` (both borrowed; either may be NULL).  The result
** is `over` itself when it is not a mapping, or when `base` is not one and
** `over` has no null in a mapping; else a new mapping: base's keys in base
** order (values merged) less those `over` sets to null, then the keys only
** `over` has, in its order, less its nulls (at any depth: merged over
** nothing).  A null inside a sequence is a value.  Returns NULL only when
** memory runs out.
*/
const struct ynode *merge_ynodes(struct merge *m, const struct ynode *base,
				 const struct ynode *over);

/*
** The overlay's null (borrowed) that left `key` out of `map`, a mapping
** merge_ynodes() made, whether or not the base had the key; else NULL.
** For messages about the key's absence.
*/
const struct ynode *merge_deleted(const struct merge *m, const struct ynode *map,
				  const char *key);

/* A copy of mapping `map` without `key` (or `map` itself when absent). */
const struct ynode *merge_without(struct merge *m, const struct ynode *map,
				  const char *key);

#endif
