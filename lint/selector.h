/*
** selector.h: Kubernetes label selectors matched in C, for ctx:select and
** ctx:selecting (a rule asking "which Services select this pod" must not
** loop over every Service in Lua).
**   LabelSelector  {matchLabels: {k: v}, matchExpressions: [{key, operator,
**                  values}]}: every term must hold; {} matches everything.
**   plain map      {k: v} (Service.spec.selector): every pair must match;
**                  an empty map matches nothing, as for a Service.
*/
#ifndef SK_SELECTOR_H
#define SK_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "ydoc.h"

#define SELECTOR_MAX_TERMS 64
#define SELECTOR_MAX_VALUES 128	/* over all terms */

enum selector_op { SEL_IN, SEL_NOT_IN, SEL_EXISTS, SEL_NOT_EXISTS };

struct selector_str {
	const char *s;		/* borrowed */
	size_t len;
};

struct selector_term {
	struct selector_str key;
	enum selector_op op;
	size_t first, n;	/* values[first .. first+n) */
};

struct selector {
	struct selector_term t[SELECTOR_MAX_TERMS];
	size_t n;
	struct selector_str values[SELECTOR_MAX_VALUES];
	size_t nvalues;
	bool nothing;		/* matches no object */
};

struct selector_label {
	struct selector_str key, val;
};

/* Start an empty selector (matches everything). */
void selector_init(struct selector *s);
/* Add a term; returns -1 when the fixed capacity is exceeded. */
int selector_add(struct selector *s, const char *key, size_t klen,
		 enum selector_op op);
int selector_add_value(struct selector *s, const char *v, size_t len);
/* "In", "NotIn", "Exists", "DoesNotExist" -> op, or -1. */
int selector_op_parse(const char *s);

/*
** Read a selector node: a LabelSelector (when it has matchLabels or
** matchExpressions, or is empty) or a plain map.  A missing, null or
** malformed selector matches nothing.  Strings are borrowed from the tree.
*/
void selector_from_ynode(struct selector *s, const struct ynode *n,
			 bool plain_empty_is_nothing);

/* The string pairs of a labels map node; returns how many (at most max). */
size_t selector_labels(const struct ynode *map, struct selector_label *out,
		       size_t max);

bool selector_matches(const struct selector *s, const struct selector_label *l,
		      size_t n);

#endif
