/*
** selindex.h: label indexes over the kind lists of a docset, so that
** ctx:select and ctx:selecting examine the few objects that can match
** instead of every object of the kind (a driver asking "which Services
** select me" in a namespace of a thousand Services).
**
** Two indexes per kind list (docset_kind), built on first use, once per run
** and shared by every worker (read-only once built):
**   labels     "key\0value" -> objects whose metadata.labels have that pair;
**   selectors  "key\0value" -> objects whose own selector (spec.selector,
**              else spec.podSelector) requires that pair (its first
**              equality term); selectors without one are in a scan list.
** Lookups return candidates, in document order, that the caller still
** matches in full: the indexes only prune.
*/
#ifndef SK_SELINDEX_H
#define SK_SELINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "docset.h"
#include "selector.h"

/* A growable list of document indices. */
struct selindex_docs {
	size_t *v;
	size_t n, alloc;
};

/* The selector of an object (spec.selector, else spec.podSelector). */
void selindex_own_selector(const struct lint_doc *d, struct selector *s);

/* The pairs of an object's metadata.labels; returns how many (<= max). */
size_t selindex_labels(const struct lint_doc *d, struct selector_label *out,
		       size_t max);

/*
** Candidates of kind list dk whose labels may match selector s: the docs
** of s's most selective equality term, or (when s has none) all of dk.
** Appends to out (cleared first); sorted.  Thread-safe.
*/
void selindex_select(const struct docset *ds, const struct docset_kind *dk,
		     const struct selector *s, struct selindex_docs *out);

/*
** Candidates of kind list dk whose own selector may match labels l[0..n):
** the docs indexed under one of the pairs, plus the scan list.  Cleared
** first; sorted, without duplicates.  Thread-safe.
*/
void selindex_selecting(const struct docset *ds, const struct docset_kind *dk,
			const struct selector_label *l, size_t n,
			struct selindex_docs *out);

/* Set up (empty) indexes for ds (at docset_build, after its kind lists). */
void selindex_init(struct docset *ds);
/* Free the indexes built for ds (at docset_release). */
void selindex_release(struct docset *ds);

void selindex_docs_release(struct selindex_docs *d);

#endif
