/*
** objects.h: the generated Kubernetes objects of one run, the hand-off
** between rendering and the writers (the stdout stream today, the GitOps
** tree writer later).  Each object keeps its identity (kind, namespace,
** name) and where it came from.
*/
#ifndef SK_OBJECTS_H
#define SK_OBJECTS_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"

struct gen_object {
	json_t *obj;		/* owned: the object */
	const char *kind;	/* borrowed from obj */
	const char *name;	/* borrowed from obj */
	const char *ns;		/* borrowed from obj; NULL when cluster-scoped */
	const char *app;	/* borrowed: interned path of the description */
	const char *tmpl;	/* borrowed: interned path of the template */
	unsigned line, col;	/* where the template document starts */
	int rank;		/* apply order of the kind */
	size_t seq;		/* order of arrival, breaks ties */
};

struct gen_objects {
	struct gen_object *v;
	size_t n, alloc;
};

#define GEN_OBJECTS_INIT { NULL, 0, 0 }

void gen_objects_release(struct gen_objects *o);

/*
** Add a rendered document (takes ownership, even on failure).  It must be
** a mapping with string apiVersion, kind and metadata.name; otherwise a
** "template" error at the template document.  Returns 0 or -1.
*/
int gen_objects_add(struct gen_objects *o, json_t *doc, const char *app,
		    const char *tmpl, unsigned line, unsigned col,
		    struct diag_list *dl);

/*
** Append from's objects to o (they move, their arrival order continues o's)
** and leave `from` empty.  Returns 0, or -1 when out of memory (nothing moved).
*/
int gen_objects_move(struct gen_objects *o, struct gen_objects *from);
/*
** Put the objects in apply order (StorageClass, PVC, ServiceAccount,
** ClusterRole, ClusterRoleBinding, Role, RoleBinding, ConfigMap, Service,
** PodDisruptionBudget, Deployment, DaemonSet, StatefulSet, Job, then other
** kinds; stable within a kind), drop exact duplicates (shared objects of
** several apps) and refuse two different objects with one identity, at
** the later description's key that makes the object (gen_locate_object;
** `env` is --env, or NULL).  Returns 0, or -1 with an error per conflict.
*/
int gen_objects_finish(struct gen_objects *o, const char *env, struct diag_list *dl);

/*
** Only the ordering of gen_objects_finish, duplicates kept: the tree writer
** needs every app's copy of a shared object to place it.
*/
void gen_objects_sort(struct gen_objects *o);

/* Apply-order rank of a kind (unknown kinds after every known one). */
int gen_objects_rank(const char *kind);

#endif
