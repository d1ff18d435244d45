/*
** batch.h: compiling and rendering many descriptions in threads.  Each
** description's outcome (its diagnostics, its objects) is kept apart from
** the others', so that the caller takes them in input order: the output does
** not depend on how many threads ran or on which one rendered what.
*/
#ifndef SK_BATCH_H
#define SK_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "compile.h"
#include "diag.h"
#include "objects.h"
#include "strbuf.h"

#define GEN_BATCH_MAX_JOBS 64

/* An object emitted as YAML: its identity outlives its JSON. */
struct gen_emitted {
	const char *kind, *name;	/* interned */
	const char *ns;			/* interned; NULL when cluster-scoped */
	int rank;			/* gen_objects_rank(kind) */
	size_t off, len;		/* its YAML in the result's `yaml` */
};

/* One description's outcome. */
struct gen_result {
	int rc;				/* 0, or -1: the diagnostics say why */
	struct diag_list dl;		/* its diagnostics, as recorded */
	const char *ns, *app;		/* rc 0: the app's namespace and name (interned) */
	const char *prefix, *default_class;	/* rc 0: as in struct gen_facts */
	const char *named_sa;		/* rc 0: as in struct gen_facts */
	bool own_sa, rbac;
	struct gen_objects objs;	/* rc 0, not emitted: its objects */
	struct gen_emitted *emitted;	/* rc 0, emitted: the same as YAML in `yaml` */
	size_t nemitted;
	struct strbuf yaml;
};

/*
** Compile and render files[i] (gen_model, gen_render) into res[i] for every
** i < n, with up to `jobs` threads.  `g` is loaded (gen_init) and renders in
** the calling thread; every other thread renders with gen_share(g), and one
** that cannot start leaves its share to the others.  With `emit`, each app's
** objects are emitted (yemit_doc) as soon as it rendered, and their JSON
** freed.  res[] is initialised here; gen_result_release each.
*/
void gen_batch(struct gen *g, char *const *files, size_t n, unsigned jobs,
	       bool emit, struct gen_result *res);
void gen_result_release(struct gen_result *r);

#endif
