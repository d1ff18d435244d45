/*
** docset.c: the documents a lint run sees (see docset.h).
*/
#include <stdlib.h>
#include <string.h>

#include "docset.h"
#include "selindex.h"
#include "strbuf.h"
#include "suppress.h"
#include "util.h"

const char *docset_namespace(const struct lint_doc *d)
{
	/* namespace: "" is no namespace, as kubectl reads it (a Helm value left empty) */
	return d->ns && *d->ns ? d->ns : "default";
}

/* Build "kind\0ns\0name" in `buf`; returns its length. */
static size_t docset_key(char **buf, size_t *alloc, const char *kind,
			 const char *ns, const char *name)
{
	size_t a = strlen(kind), b = strlen(ns), c = strlen(name);
	size_t n = a + b + c + 2;

	if (n > *alloc) {
		*alloc = n * 2;
		*buf = xrealloc(*buf, *alloc);
	}
	memcpy(*buf, kind, a);
	(*buf)[a] = '\0';
	memcpy(*buf + a + 1, ns, b);
	(*buf)[a + 1 + b] = '\0';
	memcpy(*buf + a + b + 2, name, c);
	return n;
}

/*
** The suppression annotations of an object, of its pod template and of a
** CronJob's: each that is a string, with the reason beside it; one that is
** not is kept apart, for --report-unused-ignores to say so.
*/
static void docset_ignores(struct lint_doc *d)
{
	static const char *const where[DOCSET_IGNORES] = {
		"metadata.annotations",
		"spec.template.metadata.annotations",
		"spec.jobTemplate.spec.template.metadata.annotations",
	};

	for (size_t i = 0; i < DOCSET_IGNORES; i++) {
		const struct ynode *ann = ynode_path(d->root, where[i]);
		const struct ynode *v = ann ? ynode_get(ann, SUPPRESS_ANNOTATION) : NULL;

		if (!v)
			continue;
		if (!ynode_str(v)) {
			d->ignore[i].other = v;
			continue;
		}
		d->ignore[i].node = v;
		d->ignore[i].reason = ynode_str(ynode_get(ann, SUPPRESS_REASON_ANNOTATION));
	}
}

/*
** A string usable in an object's identity: one with a NUL in it ("sa\0x")
** is none (the API server refuses it), rather than the "sa" a C string
** would make of it, which ctx:find("ServiceAccount", "sa") would match.
*/
static const char *docset_ident(const struct ynode *n)
{
	const char *s = ynode_str(n);

	return s && strlen(s) == n->len ? s : NULL;
}

static void docset_identify(struct lint_doc *d)
{
	const struct ynode *meta;

	if (d->root->type != YN_MAP)
		return;
	d->api_version = docset_ident(ynode_get(d->root, "apiVersion"));
	d->kind = docset_ident(ynode_get(d->root, "kind"));
	meta = ynode_get(d->root, "metadata");
	if (meta && meta->type == YN_MAP) {
		d->ns = docset_ident(ynode_get(meta, "namespace"));
		d->name = docset_ident(ynode_get(meta, "name"));
	}
	docset_ignores(d);
}

static void docset_add_kind(struct docset *ds, const char *kind, size_t len,
			    size_t doc)
{
	size_t k;
	struct docset_kind *dk;

	if (!strmap_get(&ds->kind_index, kind, len, &k)) {
		k = ds->nkinds++;
		ds->kinds = xrealloc(ds->kinds, ds->nkinds * sizeof(*ds->kinds));
		memset(&ds->kinds[k], 0, sizeof(ds->kinds[k]));
		strmap_put(&ds->kind_index, kind, len, k);
	}
	dk = &ds->kinds[k];
	if (dk->n == dk->alloc) {
		dk->alloc = dk->alloc ? dk->alloc * 2 : 16;
		dk->docs = xrealloc(dk->docs, dk->alloc * sizeof(*dk->docs));
	}
	dk->docs[dk->n++] = doc;
}

static void docset_index(struct docset *ds)
{
	char *key = NULL;
	size_t alloc = 0, len;

	for (size_t i = 0; i < ds->n; i++) {
		const struct lint_doc *d = &ds->v[i];

		if (!d->kind)
			continue;
		docset_add_kind(ds, d->kind, strlen(d->kind), i);
		/* "kind\0ns\0" + name: the first part is the kind+ns key */
		len = docset_key(&key, &alloc, d->kind, docset_namespace(d),
				 d->name ? d->name : "");
		docset_add_kind(ds, key, len - strlen(d->name ? d->name : "") - 1, i);
		if (d->name)
			strmap_put(&ds->index, key, len, i);
	}
	free(key);
}

/*
** The items of a list document (`kind: List`, as `kubectl get -o yaml`
** writes, or `PodList` and the like: a kind ending in "List" with an
** `items` sequence), else NULL.  kubectl applies the items, never the list,
** and so the linter checks the items (kube-linter does the same).
*/
static const struct ynode *docset_list_items(const struct ynode *root)
{
	const char *kind = root->type == YN_MAP ? ynode_str(ynode_get(root, "kind")) : NULL;
	const struct ynode *items;

	if (!kind || !util_has_suffix(kind, "List"))
		return NULL;
	items = ynode_get(root, "items");
	return items && items->type == YN_SEQ ? items : NULL;
}

static void docset_add(struct docset *ds, const struct input_file *f, size_t file,
		       const struct ynode *root)
{
	struct lint_doc *d = &ds->v[ds->n++];

	d->root = root;
	d->file = file;
	d->file_name = f->name;
	d->reported = f->reported;
	docset_identify(d);
}

void docset_build(struct docset *ds, const struct input_set *in)
{
	size_t n = 0;

	memset(ds, 0, sizeof(*ds));
	strmap_init(&ds->index);
	strmap_init(&ds->kind_index);
	ds->in = in;
	for (size_t i = 0; i < in->n; i++)
		for (size_t j = 0; j < in->v[i].ys.ndocs; j++) {
			const struct ynode *items = docset_list_items(in->v[i].ys.docs[j].root);

			n += items ? items->u.seq.n : 1;
		}
	ds->v = xcalloc(n ? n : 1, sizeof(*ds->v));
	strmap_reserve(&ds->index, n);
	for (size_t i = 0; i < in->n; i++) {
		const struct input_file *f = &in->v[i];

		for (size_t j = 0; j < f->ys.ndocs; j++) {
			const struct ynode *root = f->ys.docs[j].root;
			const struct ynode *items = docset_list_items(root);

			if (!items) {
				docset_add(ds, f, i, root);
				continue;
			}
			ds->lists += f->reported;
			for (size_t k = 0; k < items->u.seq.n; k++)
				docset_add(ds, f, i, items->u.seq.v[k]);
		}
	}
	docset_index(ds);
	selindex_init(ds);
}

void docset_release(struct docset *ds)
{
	selindex_release(ds);
	for (size_t i = 0; i < ds->nkinds; i++)
		free(ds->kinds[i].docs);
	free(ds->kinds);
	free(ds->v);
	strmap_release(&ds->index);
	strmap_release(&ds->kind_index);
	memset(ds, 0, sizeof(*ds));
}

long docset_find(const struct docset *ds, const char *kind, const char *ns,
		 const char *name)
{
	char *key = NULL;
	size_t alloc = 0, len, idx;
	bool found;

	len = docset_key(&key, &alloc, kind, ns ? ns : "default", name);
	found = strmap_get(&ds->index, key, len, &idx);
	free(key);
	return found ? (long)idx : -1;
}

const struct docset_kind *docset_kind(const struct docset *ds, const char *kind,
				      const char *ns)
{
	char *key = NULL;
	size_t alloc = 0, len = strlen(kind), k;
	bool found;

	if (!ns)
		return strmap_get(&ds->kind_index, kind, len, &k) ? &ds->kinds[k] : NULL;
	len = docset_key(&key, &alloc, kind, ns, "") - 1;
	found = strmap_get(&ds->kind_index, key, len, &k);
	free(key);
	return found ? &ds->kinds[k] : NULL;
}

/* s as one field of docset_write_objects' line. */
static int docset_add_field(struct strbuf *sb, const char *s)
{
	int rc = 0;

	while (*s && !rc) {
		size_t n = strcspn(s, "\\\t");

		rc = strbuf_add_printable_n(sb, s, n, NULL);
		s += n;
		if (*s && !rc)
			rc = strbuf_addstr(sb, *s++ == '\t' ? "\\t" : "\\\\");
	}
	return rc;
}

int docset_write_objects(struct strbuf *sb, const struct docset *ds)
{
	int rc = 0;

	for (size_t i = 0; i < ds->n && !rc; i++) {
		const struct lint_doc *d = &ds->v[i];

		if (!d->kind)
			continue;
		rc = docset_add_field(sb, d->api_version ? d->api_version : "") ||
		     strbuf_addch(sb, '\t') || docset_add_field(sb, d->kind) ||
		     strbuf_addch(sb, '\t') ||
		     docset_add_field(sb, docset_namespace(d)) ||
		     strbuf_addch(sb, '\t') ||
		     docset_add_field(sb, d->name ? d->name : "") ||
		     strbuf_addch(sb, '\n');
	}
	return rc || sb->oom ? -1 : 0;
}
