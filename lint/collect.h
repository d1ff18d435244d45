/*
** collect.h: values a rule's check() hands to its finish() (ctx:collect,
** ctx:collected; see docs/sparklint.md), across workers.  check() calls
** run in whichever worker takes the document, so a value is copied out of
** that Lua state as bytes; after the check phase the engine merges every
** worker's values of a rule into document order, and the worker running
** the rule's finish() decodes them into its own state.  The result is the
** same for any number of workers: values of one document stay in the
** order they were collected, documents come in document order, and a rule
** collecting more than the cap fails at the same document on any split.
*/
#ifndef SK_COLLECT_H
#define SK_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#include "strbuf.h"

struct worker;

#define COLLECT_MAX_DEPTH 64	/* nesting of one value */

/* One worker's values of one rule, in the order they were collected. */
struct collect {
	struct collect_item {
		size_t doc;		/* the check() call's document */
		size_t off, len;	/* bytes in buf; off SIZE_MAX: not kept */
	} *v;
	size_t n, alloc;
	struct strbuf buf;
	size_t end;		/* bytes of the values kept */
	size_t total;		/* bytes of every value, kept or not */
};

/* A rule's values from every worker, in document order (borrowed bytes). */
struct collect_view {
	struct collect_ref {
		size_t doc;
		const unsigned char *p;
		size_t len;
	} *v;
	size_t n;
};

void collect_reset(struct collect *c);
void collect_release(struct collect *c);

/*
** Encode the value at idx (for doc d) into c: booleans, numbers, strings,
** sk.null, tables of these (keys strings, numbers or booleans; metatables
** are not kept), and documents (kept as references).  Raises a Lua error
** for anything else or a value nested deeper than COLLECT_MAX_DEPTH.  Once
** c->total passes `cap`, values are measured but no longer kept.  Returns
** the work done, for the ctx budget: one unit per node and per 16 bytes
** (the instruction count sees neither).  [-0, +0, e]
*/
size_t collect_add(struct worker *w, struct collect *c, int idx, size_t d,
		   size_t cap);

/*
** Merge the collects of n workers into v (caller frees v->v).  Returns
** the document at which the values' running total in document order first
** passes `cap` (the rule fails there), or (size_t)-1.
*/
size_t collect_merge(struct collect *const *cs, unsigned n, size_t cap,
		     struct collect_view *v);

/*
** Push the view's values as a new array, decoding document references
** into w's documents.  Returns the number of nodes decoded.  [-0, +1, m]
*/
size_t collect_push(struct worker *w, const struct collect_view *v);

#endif
