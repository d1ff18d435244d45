/*
** compile.c: one description from file to objects (see compile.h), and
** where sparkgen finds its schema and templates.
*/
#include "compile.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "model.h"
#include "strbuf.h"
#include "suggest.h"
#include "util.h"

#define SCHEMA_FILE "schema/sparkgen.schema.json"

#ifndef SK_DATADIR
#define SK_DATADIR "/usr/local/share/sparkgen"
#endif

static bool has_schema(const char *dir)
{
	char *p = util_path_join(dir, SCHEMA_FILE);
	bool ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

char *gen_datadir(void)
{
	/* In the source tree (./sparkgen, build/san/sparkgen), then installed
	 * (bin/../share/sparkgen), so an installed copy finds its own data
	 * wherever DESTDIR put it and whatever PREFIX it was built with. */
	static const char *const rel[] = { ".", "..", "../..", "../share/sparkgen" };
	const char *env = getenv("SPARKGEN_DATADIR");
	char *exe;

	if (env && *env)
		return strdup(env);
	exe = util_exe_dir();
	for (size_t i = 0; exe && i < countof(rel); i++) {
		char *dir = util_path_join(exe, rel[i]);
		char *real = dir && has_schema(dir) ? realpath(dir, NULL) : NULL;

		free(dir);
		if (real) {
			free(exe);
			return real;
		}
	}
	free(exe);
	return strdup(SK_DATADIR);
}

void gen_paths(const struct gen_options *o, char **schema, char **tdir)
{
	char *data = o->datadir ? strdup(o->datadir) : gen_datadir();

	*schema = data ? util_path_join(data, SCHEMA_FILE) : NULL;
	*tdir = o->templates ? strdup(o->templates)
		: data ? util_path_join(data, "templates") : NULL;
	free(data);
}

int gen_init(struct gen *g, const struct gen_options *o, struct diag_list *dl)
{
	char *schema, *tdir;
	struct diag_pos nopos = { NULL, 0, 0 };
	int rc;

	gen_paths(o, &schema, &tdir);

	memset(g, 0, sizeof *g);
	g->env = o->env;
	if (schema == NULL || tdir == NULL)
		rc = diag_addf(dl, DIAG_ERROR, "oom", nopos, "out of memory");
	else
		rc = schema_load(&g->schema, schema, dl);
	if (rc == 0 && o->need_templates) {
		rc = tmpl_set_load(&g->tmpls, tdir, dl);
		g->tmpls.verbose = o->verbose;
	}
	free(schema);
	free(tdir);
	return rc;
}

void gen_release(struct gen *g)
{
	schema_release(&g->schema);
	tmpl_set_release(&g->tmpls);
}

int gen_share(struct gen *g, const struct gen *src, struct diag_list *dl)
{
	memset(g, 0, sizeof *g);
	g->env = src->env;
	tmpl_set_share(&g->tmpls, &src->tmpls);
	return schema_share(&g->schema, &src->schema, dl);
}

/* The overlay named g->env, or NULL with an error (did-you-mean). */
static const struct ynode *find_env(struct gen *g, const struct ystream *ys,
				    const struct ynode *root, struct diag_list *dl)
{
	const struct ynode *envs = ynode_get(root, "environments");
	const struct ynode *over = envs ? ynode_get(envs, g->env) : NULL;
	struct diag_pos pos = { ys->file, root->line, root->col };
	struct strbuf list = STRBUF_INIT;
	const char *names[64], *best;
	size_t n = 0;

	if (over)
		return over;
	if (envs == NULL || envs->type != YN_MAP || envs->u.map.n == 0) {
		diag_addf(dl, DIAG_ERROR, "env", pos,
			  "unknown environment '%s': the description defines no environments", g->env);
		return NULL;
	}
	pos.line = envs->line;
	pos.col = envs->col;
	for (size_t i = 0; i < envs->u.map.n && n < countof(names); i++) {
		names[n] = envs->u.map.v[i].key->text;
		strbuf_addf(&list, "%s%s", n ? ", " : "", names[n]);
		n++;
	}
	best = suggest_closest(g->env, names, n);
	if (best)
		diag_addf(dl, DIAG_ERROR, "env", pos, "unknown environment '%s'; did you mean '%s'?",
			  g->env, best);
	else
		diag_addf(dl, DIAG_ERROR, "env", pos, "unknown environment '%s' (defined: %s)",
			  g->env, list.buf);
	strbuf_release(&list);
	return NULL;
}

static int load_one(const struct ystream *ys, const char *path, struct diag_list *dl)
{
	struct diag_pos pos = { ys->file ? ys->file : util_intern(path), 1, 1 };

	if (ys->ndocs == 0)
		return diag_addf(dl, DIAG_ERROR, "input", pos, "'%s' holds no app description", path);
	if (ys->ndocs > 1) {
		pos.line = ys->docs[1].root->line;
		pos.col = ys->docs[1].root->col;
		return diag_addf(dl, DIAG_ERROR, "input", pos,
				 "'%s' holds %zu documents; an app description is one document",
				 path, ys->ndocs);
	}
	return 0;
}

/* Cut `path` back to `len` bytes. */
static void path_pop(struct strbuf *path, size_t len)
{
	path->len = len;
	path->buf[len] = '\0';
}

/*
** The first key or value of the description, by document order, that holds
** a NUL ("\0" in a quoted scalar): no manifest field or spark-submit word
** can carry one, and the model's C strings would cut it short there (an
** argument "a\0b" was written "a").  `path` is the dotted path of `n`.
** Returns the node, its path in `path`, or NULL.
*/
static const struct ynode *find_nul(const struct ynode *n, struct strbuf *path, bool *is_key)
{
	size_t len = path->len;

	if (n->type == YN_SEQ) {
		for (uint32_t i = 0; i < n->u.seq.n; i++) {
			const struct ynode *hit;

			strbuf_addf(path, "[%u]", (unsigned)i);
			if ((hit = find_nul(n->u.seq.v[i], path, is_key)))
				return hit;
			path_pop(path, len);
		}
		return NULL;
	}
	if (n->type == YN_MAP) {
		for (uint32_t i = 0; i < n->u.map.n; i++) {
			const struct ypair *p = &n->u.map.v[i];
			const struct ynode *hit;

			if (memchr(p->key->text, '\0', p->key->len)) {
				*is_key = true;
				return p->key;
			}
			strbuf_addf(path, "%s%s", len ? "." : "", p->key->text);
			if ((hit = find_nul(p->val, path, is_key)))
				return hit;
			path_pop(path, len);
		}
		return NULL;
	}
	return n->text && memchr(n->text, '\0', n->len) ? n : NULL;
}

static int check_nul(const struct ystream *ys, struct diag_list *dl)
{
	struct strbuf path = STRBUF_INIT;
	bool is_key = false;
	const struct ynode *n = find_nul(ys->docs[0].root, &path, &is_key);
	int rc = 0;

	if (n) {
		struct diag_pos pos = { ys->file, n->line, n->col };

		if (path.oom)
			rc = diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
		else
			rc = diag_addf(dl, DIAG_ERROR, "input", pos,
				       "%s '%s' holds a NUL character ('\\0'), which no Kubernetes "
				       "field or spark-submit argument can carry",
				       is_key ? "a key in" : "the value of",
				       path.len ? path.buf : "(top level)");
	}
	strbuf_release(&path);
	return rc;
}

int gen_model(struct gen *g, const char *path, json_t **model, struct diag_list *dl)
{
	struct ystream ys;
	struct merge m = MERGE_INIT;
	const struct ynode *root, *desc;
	json_t *j = NULL;
	int rc = -1;

	*model = NULL;
	memset(&ys, 0, sizeof ys);
	if (ystream_load_file(&ys, path, dl) < 0 || load_one(&ys, path, dl) < 0)
		goto out;
	root = ys.docs[0].root;
	if ((check_nul(&ys, dl) < 0) | (schema_validate(&g->schema, root, ys.file, dl) > 0))
		goto out;
	desc = merge_without(&m, root, "environments");
	if (g->env) {
		const struct ynode *over = find_env(g, &ys, root, dl);
		if (over == NULL)
			goto out;
		desc = merge_ynodes(&m, desc, over);
		if (desc && schema_validate_merged(&g->schema, desc, &m, ys.file, dl) > 0)
			goto out;
	}
	if (desc == NULL || (j = schema_to_json(&g->schema, desc)) == NULL ||
	    schema_fill_defaults(&g->schema, j) < 0) {
		struct diag_pos pos = { ys.file, 0, 0 };
		json_decref(j);
		diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
		goto out;
	}
	*model = model_build(j, desc, ys.file, dl);
	rc = *model ? 0 : -1;
out:
	merge_release(&m);
	ystream_release(&ys);
	return rc;
}

int gen_render(struct gen *g, const char *path, json_t *model,
	       struct gen_objects *out, struct diag_list *dl)
{
	struct tmpl_docs docs = { NULL, 0, 0 };
	const char *app = util_intern(path);
	int rc;

	rc = tmpl_render(&g->tmpls, model, &docs, dl);
	for (size_t i = 0; rc == 0 && i < docs.n; i++) {
		rc = gen_objects_add(out, docs.v[i].doc, app, docs.v[i].file,
				     docs.v[i].line, docs.v[i].col, dl);
		docs.v[i].doc = NULL;
	}
	tmpl_docs_release(&docs);
	return rc;
}

int gen_app(struct gen *g, const char *path, struct gen_objects *out,
	    struct diag_list *dl)
{
	json_t *model;
	int rc;

	if (gen_model(g, path, &model, dl) < 0)
		return -1;
	rc = gen_render(g, path, model, out, dl);
	json_decref(model);
	return rc;
}

/* ---- checks across descriptions ---------------------------------------- */

static const char *model_get(json_t *model, const char *obj, const char *key)
{
	return json_string_value(json_object_get(json_object_get(model, obj), key));
}

int gen_model_facts(json_t *model, struct gen_facts *f)
{
	json_t *emit = json_object_get(model, "emit");
	json_t *sa_labels = json_object_get(json_object_get(model, "labels"), "serviceAccount");
	const char *prefix = NULL, *cls = NULL, *named_sa = NULL;

	/* only Spark 3's submit sets spark.kubernetes.executor.podNamePrefix */
	if (json_is_true(json_object_get(json_object_get(model, "target"), "native")))
		prefix = model_get(model, "executor", "podNamePrefix");
	if (json_is_true(json_object_get(emit, "storageClass")) &&
	    json_is_true(json_object_get(emit, "defaultClass")))
		cls = model_get(model, "names", "storageClass");
	/* the app's own account carries its labels; a named one may be shared,
	 * or made elsewhere (rbac.create false) */
	f->rbac = json_is_true(json_object_get(emit, "rbac"));
	f->own_sa = f->rbac && json_object_get(sa_labels, "sparkgen.io/app") != NULL;
	if (!f->own_sa)
		named_sa = model_get(model, "names", "serviceAccount");
	return util_intern_to(named_sa, &f->named_sa) |
	       util_intern_to(model_get(model, "app", "namespace"), &f->ns) |
	       util_intern_to(model_get(model, "app", "name"), &f->app) |
	       util_intern_to(prefix, &f->prefix) | util_intern_to(cls, &f->default_class);
}

/*
** Where the description `file` sets the first of `dotted` that it sets
** (under --env, the overlay's line first); else its first line.  Only for
** error messages: the file is read again.
*/
static struct diag_pos locate(const char *file, const char *env, const char *const *dotted,
			      size_t n)
{
	struct diag_pos pos = { file, 1, 1 };
	struct diag_list quiet = DIAG_LIST_INIT;
	struct ystream ys;
	const struct ynode *root, *over, *at = NULL;

	memset(&ys, 0, sizeof ys);
	if (ystream_load_file(&ys, file, &quiet) == 0 && ys.ndocs == 1) {
		root = ys.docs[0].root;
		over = env ? ynode_get(ynode_get(root, "environments"), env) : NULL;
		for (size_t i = 0; i < n && at == NULL; i++) {
			if (over)
				at = ynode_path(over, dotted[i]);
			if (at == NULL)
				at = ynode_path(root, dotted[i]);
		}
		if (at) {
			pos.line = at->line;
			pos.col = at->col;
		}
	}
	ystream_release(&ys);
	diag_list_release(&quiet);
	return pos;
}

struct diag_pos gen_locate_object(const char *file, const char *env, const char *kind)
{
	static const struct {
		const char *kind;
		const char *at[3];
	} origin[] = {
		{ "StorageClass", { "checkpoint.storage.className", "checkpoint.storage", NULL } },
		{ "ServiceAccount", { "driver.serviceAccount", "legacy.shuffleService", NULL } },
		{ "Role", { "driver.serviceAccount", "rbac", NULL } },
		{ "RoleBinding", { "driver.serviceAccount", "rbac", NULL } },
		{ "ClusterRole", { "legacy.shuffleService", NULL, NULL } },
		{ "ClusterRoleBinding", { "legacy.shuffleService", NULL, NULL } },
		{ "DaemonSet", { "legacy.shuffleService", NULL, NULL } },
		{ "Deployment", { "legacy.stagingServer", NULL, NULL } },
		{ "ConfigMap", { "legacy.stagingServer", NULL, NULL } },
		{ "PersistentVolumeClaim", { "checkpoint", NULL, NULL } },
	};
	const char *at[4];
	size_t n = 0;

	for (size_t i = 0; i < countof(origin); i++)
		if (!strcmp(origin[i].kind, kind))
			for (size_t k = 0; k < 3 && origin[i].at[k]; k++)
				at[n++] = origin[i].at[k];
	at[n++] = "app.name";
	return locate(file, env, at, n);
}

static int cmp_facts_ptr(const void *pa, const void *pb)
{
	const struct gen_facts *a = *(const struct gen_facts *const *)pa;
	const struct gen_facts *b = *(const struct gen_facts *const *)pb;
	int r = strcmp(a->ns, b->ns);

	if (r == 0)
		r = strcmp(a->prefix, b->prefix);
	return r ? r : (a < b ? -1 : a > b);
}

static int cmp_own_sa(const void *pa, const void *pb)
{
	const struct gen_facts *a = *(const struct gen_facts *const *)pa;
	const struct gen_facts *b = *(const struct gen_facts *const *)pb;
	int r = strcmp(a->ns, b->ns);

	return r ? r : strcmp(a->app, b->app);
}

/*
** An app whose driver.serviceAccount names what another app of its namespace
** has as its own account (<app>-driver, driver.serviceAccount unset): that
** account carries the other app's labels, and a named one may be shared, so
** the two would write one ServiceAccount two ways.  Sharing it would bind
** both apps' Roles to it without the other app's description saying so.
** With rbac.create false the app writes no account, but its driver would
** still run with the other app's rights, on an account that goes when the
** other app does (sparklint is told it is made outside sparkgen).
*/
static int check_own_sa(const struct gen_facts *f, size_t n, const char *env,
			struct diag_list *dl)
{
	static const char *const sa_at[] = { "driver.serviceAccount", "app.name" };
	static const char suffix[] = "-driver";
	const struct gen_facts **own = xcalloc(n ? n : 1, sizeof *own);
	size_t m = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (f[i].own_sa)
			own[m++] = &f[i];
	if (m > 1)
		qsort(own, m, sizeof *own, cmp_own_sa);
	for (size_t i = 0; m && i < n; i++) {
		const char *sa = f[i].named_sa;
		size_t len = sa ? strlen(sa) : 0;
		struct gen_facts key = { .ns = f[i].ns };
		const struct gen_facts *kp = &key, **hit;
		char *app;

		if (len <= sizeof suffix - 1 || strcmp(sa + len - (sizeof suffix - 1), suffix))
			continue;
		app = xstrdup(sa);
		app[len - (sizeof suffix - 1)] = '\0';
		key.app = app;
		hit = bsearch(&kp, own, m, sizeof *own, cmp_own_sa);
		free(app);
		/* one app under two files is the objects' business */
		if (hit == NULL || !strcmp((*hit)->app, f[i].app))
			continue;
		if (f[i].rbac)
			rc = diag_addf(dl, DIAG_ERROR, "conflict", locate(f[i].file, env, sa_at, 2),
				       "driver.serviceAccount '%s' of app '%s' is the ServiceAccount that "
				       "app '%s' (%s) has as its own in namespace '%s': both apps' Roles "
				       "would be bound to it, giving each driver the other's rights",
				       sa, f[i].app, (*hit)->app, (*hit)->file, f[i].ns);
		else
			rc = diag_addf(dl, DIAG_ERROR, "conflict", locate(f[i].file, env, sa_at, 2),
				       "driver.serviceAccount '%s' of app '%s' (rbac.create false) is the "
				       "ServiceAccount that app '%s' (%s) has as its own in namespace '%s': "
				       "the driver would run with that app's rights, on an account that "
				       "goes when that app does",
				       sa, f[i].app, (*hit)->app, (*hit)->file, f[i].ns);
		diag_hintf(dl, "to share one account, name it in driver.serviceAccount of both "
			   "apps; else give app '%s' an account of its own", f[i].app);
	}
	free(own);
	return rc;
}

int gen_check_apps(const struct gen_facts *f, size_t n, const char *env,
		   struct diag_list *dl)
{
	static const char *const prefix_at[] = { "executor.podNamePrefix", "app.name" };
	static const char *const class_at[] = { "checkpoint.storage.className", "checkpoint.storage" };
	const struct gen_facts **v = xcalloc(n ? n : 1, sizeof *v);
	const struct gen_facts *deflt = NULL;
	size_t m = 0;
	int rc = 0;

	/* by namespace and prefix, in input order within one: the later app is told */
	for (size_t i = 0; i < n; i++)
		if (f[i].prefix)
			v[m++] = &f[i];
	if (m > 1)
		qsort(v, m, sizeof *v, cmp_facts_ptr);
	for (size_t i = 1; i < m; i++) {
		const struct gen_facts *a = v[i - 1], *b = v[i];

		/* one app twice (a file named twice) is the objects' business */
		if (strcmp(a->ns, b->ns) || strcmp(a->prefix, b->prefix) || !strcmp(a->app, b->app))
			continue;
		rc = diag_addf(dl, DIAG_ERROR, "conflict", locate(b->file, env, prefix_at, 2),
			       "executor pod name prefix '%s' of app '%s' is also that of app '%s' "
			       "(%s) in namespace '%s': their executors' pod names collide",
			       b->prefix, b->app, a->app, a->file, a->ns);
		diag_hintf(dl, "give each app of a namespace its own executor.podNamePrefix, "
			   "or leave it unset: sparkgen derives one from the namespace and name");
		v[i] = a;	/* a third app is told about the first */
	}
	/* every app of the legacy fork marks its class the default: one class */
	for (size_t i = 0; i < n; i++) {
		if (f[i].default_class == NULL)
			continue;
		if (deflt == NULL) {
			deflt = &f[i];
		} else if (strcmp(deflt->default_class, f[i].default_class) != 0) {
			rc = diag_addf(dl, DIAG_ERROR, "conflict", locate(f[i].file, env, class_at, 2),
				       "app '%s' marks StorageClass '%s' the cluster's default, and app "
				       "'%s' (%s) marks '%s': with two default classes a claim without a "
				       "class gets either, or is refused",
				       f[i].app, f[i].default_class, deflt->app, deflt->file,
				       deflt->default_class);
			diag_hintf(dl, "give the legacy-fork apps one checkpoint.storage.className "
				   "(and the same storage), so that they share one default class");
		}
	}
	free(v);
	return check_own_sa(f, n, env, dl) < 0 ? -1 : rc;
}
