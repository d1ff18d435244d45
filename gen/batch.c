/*
** batch.c: compiling and rendering many descriptions in threads.
**
** The threads take descriptions in turn from a shared counter and write
** only their own results: each renders with a struct gen of its own that
** shares the loaded schema and templates (read-only) and holds its own Lua
** state and match data.  Which apps one state renders in turn cannot show
** in the output: tmpl_render puts the globals back before each app, and a
** state that failed is closed.  What they do share and write (the interned
** strings, the parse arenas' spare chunks) is behind locks.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "jarena.h"
#include "util.h"
#include "yemit.h"

struct batch {
	const struct gen *g;		/* what the other threads share */
	char *const *files;
	struct gen_result *res;
	size_t n;
	bool emit;
	atomic_size_t next;		/* the next description to take */
};

static int oom(struct gen_result *r)
{
	struct diag_pos nopos = { NULL, 0, 0 };

	return diag_addf(&r->dl, DIAG_ERROR, "oom", nopos, "out of memory");
}

/* The app's objects as YAML, one after another; their JSON is freed. */
static int emit_objects(struct gen_result *r)
{
	struct gen_objects *o = &r->objs;
	int rc = 0;

	r->emitted = calloc(o->n ? o->n : 1, sizeof *r->emitted);
	if (r->emitted == NULL)
		return oom(r);
	for (size_t k = 0; k < o->n; k++) {
		struct gen_emitted *e = &r->emitted[r->nemitted++];

		if (util_intern_to(o->v[k].kind, &e->kind) < 0 ||
		    util_intern_to(o->v[k].name, &e->name) < 0 ||
		    util_intern_to(o->v[k].ns, &e->ns) < 0)
			return oom(r);
		e->rank = o->v[k].rank;
		e->off = r->yaml.len;
		if (yemit_doc(&r->yaml, o->v[k].obj, &r->dl) < 0)
			rc = -1;
		e->len = r->yaml.len - e->off;
	}
	gen_objects_release(o);
	return r->yaml.oom ? oom(r) : rc;
}

/*
** With `emit`, every JSON value of the app is gone when this returns (its
** objects emitted and freed, or freed with the app that failed, in every
** build), so they come from the thread's arena (jarena.h).
*/
static void render_one(struct gen *g, const char *path, bool emit, struct gen_result *r)
{
	json_t *model = NULL;
	bool arena = emit && jarena_begin();

	r->rc = gen_model(g, path, &model, &r->dl);
	if (r->rc == 0)
		r->rc = gen_render(g, path, model, &r->objs, &r->dl);
	if (r->rc == 0) {
		struct gen_facts f;

		if (gen_model_facts(model, &f) < 0)
			r->rc = oom(r);
		r->ns = f.ns;
		r->app = f.app;
		r->prefix = f.prefix;
		r->default_class = f.default_class;
		r->named_sa = f.named_sa;
		r->own_sa = f.own_sa;
		r->rbac = f.rbac;
	}
	if (r->rc == 0 && emit)
		r->rc = emit_objects(r);
	json_decref(model);
	if (emit)
		gen_objects_release(&r->objs);	/* what a failed app rendered */
	if (arena)
		jarena_end();
}

static void work(struct batch *b, struct gen *g)
{
	size_t i;

	while ((i = atomic_fetch_add(&b->next, 1)) < b->n)
		render_one(g, b->files[i], b->emit, &b->res[i]);
	jarena_release();
}

static void *thread_main(void *arg)
{
	struct batch *b = arg;
	struct diag_list dl = DIAG_LIST_INIT;	/* only "out of memory" */
	struct gen g;

	if (gen_share(&g, b->g, &dl) == 0)
		work(b, &g);
	gen_release(&g);
	diag_list_release(&dl);
	return NULL;
}

void gen_batch(struct gen *g, char *const *files, size_t n, unsigned jobs,
	       bool emit, struct gen_result *res)
{
	struct batch b = { .g = g, .files = files, .res = res, .n = n, .emit = emit };
	pthread_t tid[GEN_BATCH_MAX_JOBS];
	bool started[GEN_BATCH_MAX_JOBS];
	unsigned t = jobs < 1 ? 1 : jobs;

	if (t > n)
		t = n ? (unsigned)n : 1;
	if (t > GEN_BATCH_MAX_JOBS)
		t = GEN_BATCH_MAX_JOBS;
	for (size_t i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof res[i]);
		diag_list_init(&res[i].dl);
		strbuf_init(&res[i].yaml);
	}
	atomic_init(&b.next, 0);
	for (unsigned k = 1; k < t; k++)
		started[k] = pthread_create(&tid[k], NULL, thread_main, &b) == 0;
	work(&b, g);
	for (unsigned k = 1; k < t; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
}

void gen_result_release(struct gen_result *r)
{
	diag_list_release(&r->dl);
	gen_objects_release(&r->objs);
	free(r->emitted);
	strbuf_release(&r->yaml);
	memset(r, 0, sizeof *r);
}
