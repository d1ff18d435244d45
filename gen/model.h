/*
** model.h: from a validated description (defaults filled in) to the model
** the templates see: every derived name, label set, resource figure, spark
** conf and the spark-submit command line, plus the checks the schema cannot
** express (access modes per storage, size minimums, Job policy clashes).
** The model's top-level keys become the templates' Lua globals; see
** docs/sparkgen.md for its shape.
*/
#ifndef SK_MODEL_H
#define SK_MODEL_H

#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "ydoc.h"

/* In-cluster API server for the native driver's spark-submit. */
#define MODEL_MASTER_IN_CLUSTER "k8s://https://kubernetes.default.svc:443"
/* --master of the legacy laptop submit when legacy.master is null. */
#define MODEL_MASTER_PLACEHOLDER "k8s://${KUBERNETES_MASTER}"

/*
** Build the model from `desc` (takes ownership: a description that passed
** schema_validate, with schema_fill_defaults applied).  `root` (borrowed) is
** the tree it came from, used for positions; `file` is interned.  Records
** errors and warnings ("model"); returns the model (new reference), or NULL
** when an error was recorded.
*/
json_t *model_build(json_t *desc, const struct ynode *root, const char *file,
		    struct diag_list *dl);

/*
** The default executor podNamePrefix: `name`, '-', and 6 hex digits of the
** FNV-1a hash of "namespace/name" (deterministic, differs per namespace).
*/
void model_pod_name_prefix(const char *ns, const char *name, char *buf,
			   size_t n);

/* A deep copy of `v` without null members of objects (new reference). */
json_t *model_without_nulls(json_t *v);

#endif
