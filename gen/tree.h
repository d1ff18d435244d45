/*
** tree.h: the GitOps tree writer (sparkgen -o DIR).  Lays the generated
** objects out as DIR/<namespace>/<app>/<kind>-<name>.yaml plus kustomizations,
** keeps a record of the files it owns (DIR/.sparkgen-index), and writes,
** checks or diffs the tree.  Layout and guarantees: docs/gitops.md.
*/
#ifndef SK_TREE_H
#define SK_TREE_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"

/* One emitted Kubernetes object; every pointer is borrowed. */
struct tree_object {
	const char *namespace;	/* the app's namespace: directory level 1 */
	const char *app;	/* the app's name: level 2; NULL for a shared object */
	const char *kind, *name;
	const char *obj_ns;	/* metadata.namespace; NULL when cluster-scoped */
	const char *yaml;	/* the object's YAML document, no leading "---" */
	size_t len;
	const char *src, *env;	/* its description and --env, for messages (may be NULL) */
};

enum tree_flags {
	TREE_CHECK = 1 << 0,	/* compare only; write nothing */
	TREE_DIFF = 1 << 1	/* with TREE_CHECK: add a unified diff to the report */
};

/*
** Write (or with TREE_CHECK compare) the tree of `objs` (in apply order)
** under `dir`.  An object that occurs (same kind/obj_ns/name, same YAML)
** under more than one app, or with app == NULL, is shared: written once,
** under DIR/_shared/ (cluster-scoped) or DIR/<obj_ns>/_shared/; different
** YAML under one identity is an error.
** Returns 0 when written or up to date, 1 when TREE_CHECK found differences,
** -1 with diagnostics on error (the tree on disk is then exactly as before).
** `report` (may be NULL) gets one "added|changed|removed DIR/PATH" line per
** stale file, sorted, then with TREE_CHECK|TREE_DIFF their unified diffs.
** Warnings (hand-edited files overwritten) may be recorded on success.
*/
int tree_sync(const char *dir, const struct tree_object *objs, size_t n,
	      unsigned flags, struct strbuf *report, struct diag_list *dl);

/*
** tree_sync, with `sha256[i]` (may be NULL, or NULL for some i) the SHA-256
** (hex) of objs[i].yaml when the caller knows it already: the index then
** need not hash that file again.  The caller vouches for the hashes.  A
** new tree's files are written by up to `jobs` threads (0: one).
*/
int tree_sync_hashed(const char *dir, const struct tree_object *objs,
		     const char *const *sha256, size_t n, unsigned flags,
		     unsigned jobs, struct strbuf *report, struct diag_list *dl);

/*
** Tests only: make the n-th file-system change of the next tree_sync calls
** fail with EIO (mkdir, temp file, write, link, rename, unlink; counted
** from 1 across calls, while armed); 0 turns it off.  Returns the number
** of changes counted since the last call.
*/
long tree_test_fail_after(long n);
/* Tests only: how many threads wrote the last new tree, read the last one. */
unsigned tree_test_writers(void);
unsigned tree_test_readers(void);
/*
** Tests only: the same, but the process raises `sig` there instead (SIGKILL:
** it dies at once; SIGTERM: held off until the commit is done).
*/
long tree_test_signal_after(long n, int sig);

#endif
