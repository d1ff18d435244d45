/*
** selindex.c: label and selector indexes over kind lists (see selindex.h).
**
** Built lazily: a run whose rules never call ctx:select or ctx:selecting
** pays nothing.  The first worker to need an index builds it under the
** docset's lock and publishes it with a release store; the others read it
** with an acquire load and never change it.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "selindex.h"
#include "strmap.h"
#include "util.h"

struct selindex {
	struct strmap by;		/* "key\0value" -> index in lists */
	struct selindex_docs *lists;	/* owned */
	size_t nlists;
	struct selindex_docs scan;	/* selectors without an equality term */
};

enum { SX_LABELS, SX_SELECTORS };

struct selindex_state {
	pthread_mutex_t lock;
	size_t nkinds;
	_Atomic(struct selindex *) *ix[2];	/* per kind list */
};

static void docs_add(struct selindex_docs *d, size_t doc)
{
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 4;
		d->v = xrealloc(d->v, d->alloc * sizeof(*d->v));
	}
	d->v[d->n++] = doc;
}

void selindex_docs_release(struct selindex_docs *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- what is indexed ---------------------------------------------------- */

void selindex_own_selector(const struct lint_doc *d, struct selector *s)
{
	const struct ynode *spec = ynode_get(d->root, "spec"), *sel;

	sel = spec ? ynode_get(spec, "selector") : NULL;
	if (!sel && spec)
		sel = ynode_get(spec, "podSelector");
	selector_from_ynode(s, sel, d->kind && !strcmp(d->kind, "Service"));
}

size_t selindex_labels(const struct lint_doc *d, struct selector_label *out,
		       size_t max)
{
	const struct ynode *meta = ynode_get(d->root, "metadata");

	return selector_labels(meta ? ynode_get(meta, "labels") : NULL, out, max);
}

/* ---- keys ---------------------------------------------------------------- */

struct sx_key {
	char small[256];
	char *p;
	size_t len;
};

/* "key\0value" in k (k->p points into k or to the heap: sx_key_done). */
static void sx_key(struct sx_key *k, struct selector_str key,
		   struct selector_str val)
{
	k->len = key.len + 1 + val.len;
	k->p = k->len <= sizeof(k->small) ? k->small : xmalloc(k->len);
	memcpy(k->p, key.s, key.len);
	k->p[key.len] = '\0';
	memcpy(k->p + key.len + 1, val.s, val.len);
}

static void sx_key_done(struct sx_key *k)
{
	if (k->p != k->small)
		free(k->p);
}

static void sx_put(struct selindex *ix, struct selector_str key,
		   struct selector_str val, size_t doc)
{
	struct sx_key k;
	size_t i;

	sx_key(&k, key, val);
	if (!strmap_get(&ix->by, k.p, k.len, &i)) {
		i = ix->nlists++;
		ix->lists = xrealloc(ix->lists, ix->nlists * sizeof(*ix->lists));
		memset(&ix->lists[i], 0, sizeof(ix->lists[i]));
		strmap_put(&ix->by, k.p, k.len, i);
	}
	sx_key_done(&k);
	docs_add(&ix->lists[i], doc);
}

/* The docs under "key\0value", or NULL. */
static const struct selindex_docs *sx_get(const struct selindex *ix,
					  struct selector_str key,
					  struct selector_str val)
{
	struct sx_key k;
	size_t i;
	bool found;

	sx_key(&k, key, val);
	found = strmap_get(&ix->by, k.p, k.len, &i);
	sx_key_done(&k);
	return found ? &ix->lists[i] : NULL;
}

/* ---- building ------------------------------------------------------------ */

/* Every label pair of every doc, in document order. */
static void sx_build_labels(struct selindex *ix, const struct docset *ds,
			    const struct docset_kind *dk)
{
	struct selector_label l[SELECTOR_MAX_TERMS];

	for (size_t i = 0; i < dk->n; i++) {
		size_t n = selindex_labels(&ds->v[dk->docs[i]], l, countof(l));

		for (size_t j = 0; j < n; j++)
			sx_put(ix, l[j].key, l[j].val, dk->docs[i]);
	}
}

/* Each selector once: under its first equality term, else in the scan list. */
static void sx_build_selectors(struct selindex *ix, const struct docset *ds,
			       const struct docset_kind *dk)
{
	struct selector *s = xmalloc(sizeof(*s));

	for (size_t i = 0; i < dk->n; i++) {
		size_t t;

		selindex_own_selector(&ds->v[dk->docs[i]], s);
		if (s->nothing)
			continue;
		for (t = 0; t < s->n; t++)
			if (s->t[t].op == SEL_IN && s->t[t].n == 1)
				break;
		if (t < s->n)
			sx_put(ix, s->t[t].key, s->values[s->t[t].first], dk->docs[i]);
		else
			docs_add(&ix->scan, dk->docs[i]);
	}
	free(s);
}

static const struct selindex *sx_index(const struct docset *ds,
				       const struct docset_kind *dk, int which)
{
	struct selindex_state *st = ds->sx;
	size_t k = (size_t)(dk - ds->kinds);
	struct selindex *ix = atomic_load_explicit(&st->ix[which][k],
						   memory_order_acquire);

	if (ix)
		return ix;
	pthread_mutex_lock(&st->lock);
	ix = atomic_load_explicit(&st->ix[which][k], memory_order_relaxed);
	if (!ix) {
		ix = xcalloc(1, sizeof(*ix));
		strmap_init(&ix->by);
		if (which == SX_LABELS)
			sx_build_labels(ix, ds, dk);
		else
			sx_build_selectors(ix, ds, dk);
		atomic_store_explicit(&st->ix[which][k], ix, memory_order_release);
	}
	pthread_mutex_unlock(&st->lock);
	return ix;
}

/* ---- lookups ------------------------------------------------------------- */

static void sx_append(struct selindex_docs *out, const struct selindex_docs *d)
{
	for (size_t i = 0; d && i < d->n; i++)
		docs_add(out, d->v[i]);
}

static int sx_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop duplicates. */
static void sx_sort(struct selindex_docs *out)
{
	size_t k = 0;

	if (out->n < 2)		/* v may be NULL: qsort must not see it */
		return;
	qsort(out->v, out->n, sizeof(*out->v), sx_cmp);
	for (size_t i = 0; i < out->n; i++)
		if (!k || out->v[k - 1] != out->v[i])
			out->v[k++] = out->v[i];
	out->n = k;
}

void selindex_select(const struct docset *ds, const struct docset_kind *dk,
		     const struct selector *s, struct selindex_docs *out)
{
	const struct selindex_docs *best = NULL;
	const struct selindex *ix;
	bool have = false;

	out->n = 0;
	if (!dk || s->nothing)
		return;
	ix = sx_index(ds, dk, SX_LABELS);
	for (size_t t = 0; t < s->n; t++) {
		const struct selindex_docs *d;

		if (s->t[t].op != SEL_IN || s->t[t].n != 1)
			continue;
		d = sx_get(ix, s->t[t].key, s->values[s->t[t].first]);
		if (!d)
			return;		/* no object has this pair */
		if (!have || d->n < best->n)
			best = d;
		have = true;
	}
	if (have) {
		sx_append(out, best);
		return;
	}
	for (size_t i = 0; i < dk->n; i++)
		docs_add(out, dk->docs[i]);
}

void selindex_selecting(const struct docset *ds, const struct docset_kind *dk,
			const struct selector_label *l, size_t n,
			struct selindex_docs *out)
{
	const struct selindex *ix;

	out->n = 0;
	if (!dk)
		return;
	ix = sx_index(ds, dk, SX_SELECTORS);
	for (size_t i = 0; i < n; i++)
		sx_append(out, sx_get(ix, l[i].key, l[i].val));
	sx_append(out, &ix->scan);
	sx_sort(out);
}

/* ---- life ---------------------------------------------------------------- */

void selindex_init(struct docset *ds)
{
	struct selindex_state *st = xcalloc(1, sizeof(*st));

	pthread_mutex_init(&st->lock, NULL);
	st->nkinds = ds->nkinds;
	for (int w = 0; w < 2; w++) {
		st->ix[w] = xcalloc(ds->nkinds ? ds->nkinds : 1, sizeof(*st->ix[w]));
		for (size_t k = 0; k < ds->nkinds; k++)
			atomic_init(&st->ix[w][k], NULL);
	}
	ds->sx = st;
}

void selindex_release(struct docset *ds)
{
	struct selindex_state *st = ds->sx;

	if (!st)
		return;
	for (int w = 0; w < 2; w++) {
		for (size_t k = 0; k < st->nkinds; k++) {
			struct selindex *ix = atomic_load(&st->ix[w][k]);

			if (!ix)
				continue;
			for (size_t i = 0; i < ix->nlists; i++)
				selindex_docs_release(&ix->lists[i]);
			free(ix->lists);
			selindex_docs_release(&ix->scan);
			strmap_release(&ix->by);
			free(ix);
		}
		free(st->ix[w]);
	}
	pthread_mutex_destroy(&st->lock);
	free(st);
	ds->sx = NULL;
}
