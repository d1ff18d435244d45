/*
** selector.c: label selector matching (see selector.h).
*/
#include <string.h>

#include "selector.h"

void selector_init(struct selector *s)
{
	s->n = s->nvalues = 0;
	s->nothing = false;
}

int selector_add(struct selector *s, const char *key, size_t klen,
		 enum selector_op op)
{
	struct selector_term *t;

	if (s->n == SELECTOR_MAX_TERMS)
		return -1;
	t = &s->t[s->n++];
	t->key.s = key;
	t->key.len = klen;
	t->op = op;
	t->first = s->nvalues;
	t->n = 0;
	return 0;
}

int selector_add_value(struct selector *s, const char *v, size_t len)
{
	if (!s->n || s->nvalues == SELECTOR_MAX_VALUES)
		return -1;
	s->values[s->nvalues].s = v;
	s->values[s->nvalues].len = len;
	s->nvalues++;
	s->t[s->n - 1].n++;
	return 0;
}

int selector_op_parse(const char *s)
{
	static const char *const ops[] = { "In", "NotIn", "Exists", "DoesNotExist" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, ops[i]))
			return i;
	return -1;
}

/* Pairs of a map as In terms with one value each. */
static int selector_pairs(struct selector *s, const struct ynode *map)
{
	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct ynode *k = map->u.map.v[i].key, *v = map->u.map.v[i].val;

		if (!ynode_is_scalar(v) || !v->text)
			return -1;
		if (selector_add(s, k->text, k->len, SEL_IN) < 0 ||
		    selector_add_value(s, v->text, v->len) < 0)
			return -1;
	}
	return 0;
}

static int selector_expr(struct selector *s, const struct ynode *e)
{
	const struct ynode *key = ynode_get(e, "key"), *vals = ynode_get(e, "values");
	const char *op = ynode_str(ynode_get(e, "operator"));
	int o = op ? selector_op_parse(op) : -1;

	if (!ynode_str(key) || o < 0 ||
	    selector_add(s, key->text, key->len, (enum selector_op)o) < 0)
		return -1;
	if (!vals || vals->type == YN_NULL)
		return 0;
	if (vals->type != YN_SEQ)
		return -1;
	for (size_t i = 0; i < vals->u.seq.n; i++) {
		const struct ynode *v = vals->u.seq.v[i];

		if (!ynode_is_scalar(v) || !v->text ||
		    selector_add_value(s, v->text, v->len) < 0)
			return -1;
	}
	return 0;
}

static int selector_label_selector(struct selector *s, const struct ynode *n)
{
	const struct ynode *ml = ynode_get(n, "matchLabels");
	const struct ynode *me = ynode_get(n, "matchExpressions");

	if (ml && ml->type == YN_MAP && selector_pairs(s, ml) < 0)
		return -1;
	if (ml && ml->type != YN_MAP && ml->type != YN_NULL)
		return -1;
	if (me && me->type == YN_SEQ) {
		for (size_t i = 0; i < me->u.seq.n; i++)
			if (me->u.seq.v[i]->type != YN_MAP ||
			    selector_expr(s, me->u.seq.v[i]) < 0)
				return -1;
	} else if (me && me->type != YN_NULL) {
		return -1;
	}
	return 0;
}

void selector_from_ynode(struct selector *s, const struct ynode *n,
			 bool plain_empty_is_nothing)
{
	int r;

	selector_init(s);
	if (!n || n->type != YN_MAP) {
		s->nothing = true;
		return;
	}
	if (ynode_get(n, "matchLabels") || ynode_get(n, "matchExpressions"))
		r = selector_label_selector(s, n);
	else if (!n->u.map.n)
		r = plain_empty_is_nothing ? -1 : 0;
	else
		r = selector_pairs(s, n);
	if (r < 0)
		s->nothing = true;
}

size_t selector_labels(const struct ynode *map, struct selector_label *out,
		       size_t max)
{
	size_t k = 0;

	if (!map || map->type != YN_MAP)
		return 0;
	for (size_t i = 0; i < map->u.map.n && k < max; i++) {
		const struct ynode *v = map->u.map.v[i].val;

		if (!ynode_is_scalar(v) || !v->text)
			continue;
		out[k].key.s = map->u.map.v[i].key->text;
		out[k].key.len = map->u.map.v[i].key->len;
		out[k].val.s = v->text;
		out[k].val.len = v->len;
		k++;
	}
	return k;
}

static bool selector_eq(struct selector_str a, struct selector_str b)
{
	return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

static const struct selector_label *selector_find(const struct selector_label *l,
						  size_t n, struct selector_str key)
{
	for (size_t i = 0; i < n; i++)
		if (selector_eq(l[i].key, key))
			return &l[i];
	return NULL;
}

static bool selector_in(const struct selector *s, const struct selector_term *t,
			struct selector_str v)
{
	for (size_t i = 0; i < t->n; i++)
		if (selector_eq(s->values[t->first + i], v))
			return true;
	return false;
}

bool selector_matches(const struct selector *s, const struct selector_label *l,
		      size_t n)
{
	if (s->nothing)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct selector_term *t = &s->t[i];
		const struct selector_label *x = selector_find(l, n, t->key);
		bool ok;

		switch (t->op) {
		case SEL_IN: ok = x && selector_in(s, t, x->val); break;
		case SEL_NOT_IN: ok = !x || !selector_in(s, t, x->val); break;
		case SEL_EXISTS: ok = x != NULL; break;
		default: ok = x == NULL; break;
		}
		if (!ok)
			return false;
	}
	return true;
}
