/*
** compile.h: sparkgen's pipeline for one description:
**   file -> ydoc tree -> schema validation -> --env overlay -> validation
**   -> JSON + defaults -> model (derived values, semantic checks)
**   -> templates -> objects.
** A `struct gen` holds what all descriptions of a run share: the schema
** and the parsed templates.
*/
#ifndef SK_COMPILE_H
#define SK_COMPILE_H

#include <stdbool.h>

#include <jansson.h>

#include "diag.h"
#include "objects.h"
#include "schema.h"
#include "tmpl.h"

struct gen_options {
	const char *env;	/* --env NAME, or NULL */
	const char *templates;	/* --templates DIR, or NULL for the bundled ones */
	const char *datadir;	/* NULL: found with gen_datadir() */
	bool need_templates;	/* false for --submit, --defaults, --validate */
	bool verbose;
};

struct gen {
	struct schema schema;
	struct tmpl_set tmpls;
	const char *env;	/* borrowed */
};

/*
** The directory with sparkgen's data (schema/, templates/): $SPARKGEN_DATADIR,
** else the first of the executable's directory, its two parents and
** <exe>/../share/sparkgen that holds schema/sparkgen.schema.json, else the
** install prefix.  Caller frees (NULL when out of memory).
*/
char *gen_datadir(void);

/*
** The schema file and the templates directory gen_init loads for `o`
** (caller frees both; NULL when out of memory).
*/
void gen_paths(const struct gen_options *o, char **schema, char **tdir);

/* Load the schema (and templates when needed).  Returns 0, or -1. */
int gen_init(struct gen *g, const struct gen_options *o, struct diag_list *dl);
void gen_release(struct gen *g);
/*
** A loaded `src` for another thread (schema_share, tmpl_set_share): it
** renders exactly as `src` does.  Released before `src`.  Returns 0, or -1.
*/
int gen_share(struct gen *g, const struct gen *src, struct diag_list *dl);

/*
** Load, validate (every problem at once), overlay --env, and build the model
** of the description at `path`.  *model is a new reference.  Returns 0, or
** -1 with diagnostics.  Warnings may be recorded either way.
*/
int gen_model(struct gen *g, const char *path, json_t **model,
	      struct diag_list *dl);

/*
** Render the templates over `model` (from gen_model of `path`, borrowed) and
** add the objects to `out`.  Returns 0, or -1 with diagnostics.
*/
int gen_render(struct gen *g, const char *path, json_t *model,
	       struct gen_objects *out, struct diag_list *dl);

/* gen_model, then gen_render. */
int gen_app(struct gen *g, const char *path, struct gen_objects *out,
	    struct diag_list *dl);

/*
** What the checks across descriptions need to know of one (gen_check_apps):
** what two apps must not share although their objects differ.  Strings are
** interned, or borrowed from the render cache's file.
*/
struct gen_facts {
	const char *file;		/* the description */
	const char *ns, *app;		/* app.namespace, app.name */
	const char *prefix;		/* executor.podNamePrefix; NULL: Spark does not use it */
	const char *default_class;	/* the StorageClass it marks the cluster's default, or NULL */
	const char *named_sa;		/* the driver ServiceAccount driver.serviceAccount
					   names (its driver runs as it), or NULL */
	bool own_sa;			/* it writes its own driver account, <app>-driver */
	bool rbac;			/* it writes the driver's account, Role and
					   RoleBinding (rbac.create) */
};

/* All but the file of a model (gen_model's), interned.  -1: out of memory. */
int gen_model_facts(json_t *model, struct gen_facts *f);

/*
** Refuse, as "conflict" errors, two apps of one namespace with one executor
** pod name prefix (their executors' names collide), two default
** StorageClasses, and a driver.serviceAccount that names another app's own
** account (<app>-driver, which that app leaves unnamed), with rbac.create
** or without.  `env` is --env (to point at the overlay's line).
** Returns 0, or -1 with an error per conflict.
*/
int gen_check_apps(const struct gen_facts *f, size_t n, const char *env,
		   struct diag_list *dl);

/*
** Where description `file` (under --env `env`, may be NULL) says what makes
** its object of `kind` what it is, for a message about that object: the key
** that names it (checkpoint.storage.className for a StorageClass,
** driver.serviceAccount for RBAC, legacy.shuffleService for the shuffle
** service's objects, ...), else app.name, else line 1.  Reads the file.
*/
struct diag_pos gen_locate_object(const char *file, const char *env, const char *kind);

#endif
