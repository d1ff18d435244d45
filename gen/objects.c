/*
** objects.c: the list of generated objects: validation of each rendered
** document's identity, apply order, and duplicate handling across apps.
*/
#include "objects.h"

#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "strbuf.h"
#include "util.h"

static const char *const kind_order[] = {
	"Namespace", "StorageClass", "PersistentVolumeClaim", "ServiceAccount",
	"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap",
	"Secret", "Service", "PodDisruptionBudget", "Deployment", "DaemonSet",
	"StatefulSet", "Job",
};

int gen_objects_rank(const char *kind)
{
	for (size_t i = 0; i < countof(kind_order); i++)
		if (strcmp(kind, kind_order[i]) == 0)
			return (int)i;
	return (int)countof(kind_order);
}

void gen_objects_release(struct gen_objects *o)
{
	for (size_t i = 0; i < o->n; i++)
		json_decref(o->v[i].obj);
	free(o->v);
	o->v = NULL;
	o->n = o->alloc = 0;
}

/*
** Why the API server would refuse this name for this kind, or NULL.  RBAC
** objects take any path segment ("spark:driver"); a Service's name is a
** DNS-1035 label, a Namespace's a DNS-1123 label, the rest subdomains.
*/
static const char *name_problem(const char *kind, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole") ||
	    !strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding"))
		return strpbrk(name, "/%") || !strcmp(name, ".") || !strcmp(name, "..") ?
		       "may not be '.' or '..' or contain '/' or '%'" : NULL;
	if (!strcmp(kind, "Service"))
		return n <= 63 && util_dns1123_label(name, n) && !(*name >= '0' && *name <= '9') ?
		       NULL : "must be a DNS-1035 label (lower-case letters, digits and '-', "
			      "starting with a letter, 63 characters at most)";
	if (!strcmp(kind, "Namespace"))
		return n <= 63 && util_dns1123_label(name, n) ? NULL :
		       "must be a DNS-1123 label (lower-case letters, digits and '-', "
		       "63 characters at most)";
	return n <= 253 && util_dns1123_subdomain(name, n) ? NULL :
	       "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', "
	       "starting and ending with a letter or digit, 253 characters at most)";
}

int gen_objects_add(struct gen_objects *o, json_t *doc, const char *app,
		    const char *tmpl, unsigned line, unsigned col,
		    struct diag_list *dl)
{
	struct diag_pos pos = { tmpl, line, col };
	json_t *meta = json_object_get(doc, "metadata");
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	const char *name = json_string_value(json_object_get(meta, "name")), *why;
	json_t *ns;
	struct gen_object *g;
	int rc = 0;

	if (!json_is_string(json_object_get(doc, "apiVersion")) || !kind || !name || !*name) {
		json_decref(doc);
		return diag_addf(dl, DIAG_ERROR, "template", pos,
				 "a template document must render to a Kubernetes object "
				 "with apiVersion, kind and metadata.name");
	}
	ns = json_object_get(meta, "namespace");
	why = strlen(name) != json_string_length(json_object_get(meta, "name")) ?
	      "may not contain a NUL" : name_problem(kind, name);
	if (why)
		rc = diag_addf(dl, DIAG_ERROR, "template", pos, "%s name '%s' %s",
			       kind, name, why);
	else if (ns && !(json_is_string(ns) && json_string_length(ns) <= 63 &&
			 util_dns1123_label(json_string_value(ns), json_string_length(ns))))
		rc = diag_addf(dl, DIAG_ERROR, "template", pos, "%s '%s': namespace '%s' "
			       "must be a DNS-1123 label", kind, name,
			       json_is_string(ns) ? json_string_value(ns) : "(not a string)");
	if (rc < 0) {
		json_decref(doc);
		return rc;
	}
	if (o->n == o->alloc) {
		size_t n = o->alloc ? 2 * o->alloc : 32;
		struct gen_object *v = realloc(o->v, n * sizeof *v);
		if (v == NULL) {
			json_decref(doc);
			return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
		}
		o->v = v;
		o->alloc = n;
	}
	g = &o->v[o->n];
	g->obj = doc;
	g->kind = kind;
	g->name = name;
	g->ns = json_string_value(json_object_get(meta, "namespace"));
	g->app = app;
	g->tmpl = tmpl;
	g->line = line;
	g->col = col;
	g->rank = gen_objects_rank(kind);
	g->seq = o->n++;
	return 0;
}

int gen_objects_move(struct gen_objects *o, struct gen_objects *from)
{
	if (from->n > o->alloc - o->n) {
		size_t n = o->n + from->n > 2 * o->alloc ? o->n + from->n : 2 * o->alloc;
		struct gen_object *v = realloc(o->v, n * sizeof *v);
		if (v == NULL)
			return -1;
		o->v = v;
		o->alloc = n;
	}
	for (size_t k = 0; k < from->n; k++) {
		o->v[o->n] = from->v[k];
		o->v[o->n].seq = o->n;
		o->n++;
	}
	free(from->v);
	from->v = NULL;
	from->n = from->alloc = 0;
	return 0;
}

static int cmp_objects(const void *pa, const void *pb)
{
	const struct gen_object *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == (int)countof(kind_order)) {
		int r = strcmp(a->kind, b->kind);
		if (r)
			return r;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void gen_objects_sort(struct gen_objects *o)
{
	if (o->n > 1)
		qsort(o->v, o->n, sizeof *o->v, cmp_objects);
}

int gen_objects_finish(struct gen_objects *o, const char *env, struct diag_list *dl)
{
	json_t *seen = json_object();
	struct strbuf key = STRBUF_INIT;
	size_t out = 0;
	int rc = 0;

	gen_objects_sort(o);
	for (size_t i = 0; i < o->n; i++) {
		struct gen_object *g = &o->v[i];
		json_t *prev;

		strbuf_reset(&key);
		strbuf_addf(&key, "%s/%s/%s", g->kind, g->ns ? g->ns : "", g->name);
		prev = json_object_get(seen, key.buf);
		if (prev == NULL) {
			json_object_set_new(seen, key.buf, json_integer((json_int_t)out));
			o->v[out++] = *g;
			continue;
		}
		if (!json_equal(o->v[json_integer_value(prev)].obj, g->obj)) {
			const struct gen_object *first = &o->v[json_integer_value(prev)];
			rc = diag_addf(dl, DIAG_ERROR, "conflict",
				       gen_locate_object(g->app, env, g->kind),
				       "%s '%s'%s%s%s is generated twice with different content "
				       "(also from '%s')", g->kind, g->name,
				       g->ns ? " in namespace '" : "", g->ns ? g->ns : "",
				       g->ns ? "'" : "", first->app);
		}
		json_decref(g->obj);
	}
	o->n = out;
	strbuf_release(&key);
	json_decref(seen);
	return rc;
}
