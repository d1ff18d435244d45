/*
** docset.h: every loaded document with its identity (apiVersion, kind,
** namespace, name), an index by kind/namespace/name for ctx:find, the
** document list per kind for ctx:objects, and the suppression annotations.
*/
#ifndef SK_DOCSET_H
#define SK_DOCSET_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"
#include "strmap.h"
#include "ydoc.h"

/* A sparklint.io/ignore annotation: its string node, and the reason beside it. */
struct lint_ignore {
	const struct ynode *node;	/* NULL: none there, or no string */
	const struct ynode *other;	/* a value that is no string (a list, 5, null):
					   it suppresses nothing; else NULL */
	const char *reason;		/* sparklint.io/ignore-reason, or NULL */
};

/* Where: the object's metadata, its pod template, a CronJob's pod template. */
#define DOCSET_IGNORES 3

struct lint_doc {
	const struct ynode *root;	/* borrowed from the input's stream */
	size_t file;			/* index in the input set */
	const char *file_name;		/* interned display name */
	const char *api_version, *kind, *ns, *name;	/* borrowed; NULL when absent */
	struct lint_ignore ignore[DOCSET_IGNORES];	/* suppression annotations */
	bool reported;			/* false for --context-only files */
};

struct docset_kind {
	size_t *docs;			/* owned: doc indices in order */
	size_t n, alloc;
};

struct selindex_state;
struct strbuf;

struct docset {
	struct lint_doc *v;		/* owned array, in (file, document) order; a
					   list document's items in its place */
	size_t n;
	size_t lists;			/* list documents (of PATHs) so replaced */
	struct strmap index;		/* "kind\0ns\0name" -> first doc */
	struct strmap kind_index;	/* kind, and "kind\0ns", -> index in kinds */
	struct docset_kind *kinds;	/* owned */
	size_t nkinds;
	const struct input_set *in;	/* borrowed */
	struct selindex_state *sx;	/* owned: label indexes (selindex.h) */
};

/* Collect the documents of every file in `in` (borrowed; must outlive ds). */
void docset_build(struct docset *ds, const struct input_set *in);
void docset_release(struct docset *ds);

/* Index of the first object kind/ns/name (ns NULL = "default"), or -1. */
long docset_find(const struct docset *ds, const char *kind, const char *ns,
		 const char *name);
/*
** The documents of `kind` (in namespace `ns` unless NULL) in order
** (borrowed), or NULL when there are none.
*/
const struct docset_kind *docset_kind(const struct docset *ds, const char *kind,
				      const char *ns);
/* metadata.namespace, or "default" when it is absent or empty. */
const char *docset_namespace(const struct lint_doc *d);
/*
** Append one line for each object of ds (each document with a kind; a
** list's items in its place), in order: "apiVersion\tkind\tnamespace\tname\n",
** the namespace as ctx:find reads it (docset_namespace), an absent
** apiVersion or name empty.  A backslash is doubled, a tab written \t and
** control characters as strbuf_add_printable writes them, so a line reads
** back as one identity only.  Returns 0, or -1 when out of memory.
*/
int docset_write_objects(struct strbuf *sb, const struct docset *ds);

#endif
