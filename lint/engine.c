/*
** engine.c: running rules over documents with worker threads (see
** engine.h), and checking rule files before a run.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "collect.h"
#include "engine.h"
#include "strbuf.h"
#include "util.h"
#include "worker.h"

#define ENGINE_CHUNK 8		/* documents a worker takes at a time */
/*
** With -j left to its default, a worker per this many documents at most: a
** Lua state with every rule costs about as much CPU as checking 30-40
** documents, so a second one only pays on bigger inputs (a pre-commit run
** on a few files is faster on one).
*/
#define ENGINE_AUTO_DOCS 64

enum engine_phase {
	ENGINE_INIT,		/* create the Lua states */
	ENGINE_CHECK,		/* finish-only rules on job 0, check() per document */
	ENGINE_FINISH,		/* finish() of rules with check() too, then verify */
	ENGINE_ISOLATED,	/* per rule, fresh tables: check, finish, verify */
	ENGINE_RELEASE		/* close the Lua states */
};

struct engine {
	const struct ruleset *rs;
	lua_State *warm;		/* for job 0: the state the rules were checked in */
	int warm_ref;
	const struct docset *ds;
	const struct engine_opts *o;
	enum engine_phase phase;
	unsigned njobs;
	atomic_size_t next;		/* next unit of work */
	size_t *fail_doc;		/* per rule: first document check() failed on */
	struct collect_view *views;	/* per rule: its ctx:collect values */
};

struct engine_job {
	struct engine *E;
	unsigned id;			/* 0 runs the finish-only rules */
	struct worker w;
	int init;			/* worker_init's result */
	bool mutated;			/* a converted document was changed */
	bool blamed;			/* ... and a rule run alone changed one */
};

/* ---- phases ------------------------------------------------------------- */

static bool engine_runs(const struct lint_rule *r)
{
	return r->valid && r->enabled;
}

/* A rule whose finish() needs no check() result: it can run at any time. */
static bool engine_finish_only(const struct lint_rule *r)
{
	return engine_runs(r) && r->has_finish && !r->has_check;
}

static bool engine_checks(const struct engine *E, size_t r, size_t d)
{
	const struct lint_rule *rule = &E->rs->v[r];

	return engine_runs(rule) && rule->has_check && worker_wants(rule, &E->ds->v[d]);
}

/* Every rule's check() that wants document d. */
static void engine_check_doc(struct engine *E, struct worker *w, size_t d)
{
	for (size_t r = 0; r < E->rs->n; r++)
		if (engine_checks(E, r, d))
			worker_check(w, r, d);
}

/*
** Dealt (the rule tester): of the documents some rule checks, the k-th goes
** to job k % njobs, whatever lies between them (a fixture's Service between
** two ConfigMaps does not put both in one job).
*/
static void engine_deal_docs(struct engine *E, struct engine_job *j)
{
	size_t k = 0;

	for (size_t d = 0; d < E->ds->n; d++) {
		size_t r = 0;

		while (r < E->rs->n && !engine_checks(E, r, d))
			r++;
		if (r < E->rs->n && k++ % E->njobs == j->id) {
			engine_check_doc(E, &j->w, d);
			worker_settle(&j->w);
		}
	}
}

/*
** The main phase.  Job 0 first runs the rules that only have finish()
** (they depend on nothing but the document set) while the other jobs start
** on the documents; then every job takes chunks of documents.  No barrier
** between the two, and no second worker re-deriving the whole set for the
** finish() rules it happens to draw: job 0 derives it once, and its check()
** calls afterwards find the helpers' caches warm.
*/
static void engine_check_docs(struct engine *E, struct engine_job *j)
{
	const struct ruleset *rs = E->rs;
	struct worker *w = &j->w;
	size_t n = E->ds->n;

	if (j->id == 0)
		for (size_t r = 0; r < rs->n; r++)
			if (engine_finish_only(&rs->v[r]))
				worker_finish(w, r);
	if (E->o->dealt) {
		engine_deal_docs(E, j);
		return;
	}
	for (;;) {
		size_t c = atomic_fetch_add(&E->next, ENGINE_CHUNK);

		if (c >= n)
			return;
		for (size_t d = c; d < n && d < c + ENGINE_CHUNK; d++)
			engine_check_doc(E, w, d);
		worker_settle(w);
	}
}

/* Dealt, the last job runs every finish() that follows check(), and re-runs. */
static bool engine_takes_rules(const struct engine_job *j)
{
	return !j->E->o->dealt || j->id == j->E->njobs - 1;
}

static void engine_finish_rules(struct engine_job *j)
{
	struct engine *E = j->E;
	size_t r;

	while (engine_takes_rules(j) && (r = atomic_fetch_add(&E->next, 1)) < E->rs->n)
		if (engine_runs(&E->rs->v[r]) && E->rs->v[r].has_finish &&
		    E->rs->v[r].has_check && E->fail_doc[r] == FINDING_NO_DOC)
			worker_finish(&j->w, r);
	j->mutated = worker_mutated(&j->w);
}

static void engine_mutation_error(struct worker *w, size_t r, unsigned line)
{
	const struct lint_rule *rule = &w->rs->v[r];
	struct diag_pos pos = { rule->s.file, line ? line : rule->line, 1 };
	struct strbuf sb = STRBUF_INIT;
	struct finding *f;

	strbuf_init(&sb);
	strbuf_addf(&sb, "rule '%s' failed: it modified a document it was given "
		    "(objects are shared and read-only; copy what you change)",
		    rule->s.name);
	f = finding_add(&w->out, DIAG_ERROR, "rule-error", pos,
			strbuf_detach(&sb, NULL), NULL);
	f->rule = r;
}

/*
** A document was changed, but no rule changed one when run alone: one that
** keeps state between calls did it the first time only.  The findings are
** those of each rule run alone, but the run must not pass as clean.
*/
static void engine_unblamed_error(struct worker *w)
{
	struct diag_pos nopos = { NULL, 0, 0 };

	finding_add(&w->out, DIAG_ERROR, "rule-error", nopos,
		    xstrdup("a rule modified a document it was given, and none did again when "
			    "each ran alone (a rule that keeps state between calls); the findings "
			    "are those of each rule run alone"),
		    xstrdup("find it with --rule ID: objects are shared and read-only, so copy "
			    "what you change"));
}

/*
** Rule r passed a cap at document d (`what` passed it): it fails there (the
** error goes to ws[0]), unless it failed at or before d already.
*/
static void engine_cap_error(struct worker *const *ws, unsigned n, size_t r,
			     size_t d, const char *what)
{
	struct worker *w = ws[0];
	struct diag err = { .level = DIAG_ERROR, .code = "rule-error" };
	char msg[128];

	for (unsigned i = 0; i < n; i++)	/* an error at or before it comes first */
		if (ws[i]->fail_doc[r] <= d)
			return;
	snprintf(msg, sizeof(msg), "%s passed %zu MiB (the memory cap)", what,
		 w->collect_cap >> 20);
	err.msg = msg;
	w->err_line = 0;
	worker_rule_error(w, r, d, &err);
	w->failed[r] = true;
	if (d < w->fail_doc[r])
		w->fail_doc[r] = d;
}

/*
** Rule r's collected values from n workers (ws[i]'s are cs[i]) into
** E->views[r].  Past the cap, the rule fails at the document where the
** running total in document order passed it, whatever the split (the
** error goes to ws[0]), unless it failed at or before that document
** already.
*/
static void engine_collect_rule(struct engine *E, struct worker *const *ws,
				struct collect *const *cs, unsigned n, size_t r)
{
	size_t d = collect_merge(cs, n, ws[0]->collect_cap, &E->views[r]);

	if (d != (size_t)-1)
		engine_cap_error(ws, n, r, d, "ctx:collect: its values");
}

static void engine_collect(struct engine *E, struct engine_job *jobs, unsigned n)
{
	struct worker **ws = xmalloc(n * sizeof(*ws));
	struct collect **cs = xmalloc(n * sizeof(*cs));

	for (size_t r = 0; r < E->rs->n; r++) {
		const struct lint_rule *rule = &E->rs->v[r];

		if (!engine_runs(rule) || !rule->has_check || !rule->has_finish)
			continue;
		for (unsigned i = 0; i < n; i++) {
			ws[i] = &jobs[i].w;
			cs[i] = &jobs[i].w.collect[r];
		}
		engine_collect_rule(E, ws, cs, n, r);
	}
	for (unsigned i = 0; i < n; i++)
		jobs[i].w.views = E->views;
	free(cs);
	free(ws);
}

/* ---- the cap on a rule's findings --------------------------------------- */

/* Worker i's findings of rule r from check() calls, in the order made. */
struct engine_src {
	struct finding_list *out;
	size_t at;			/* next index into out */
	const struct worker_tally *t;
	bool over_seen;			/* the "not kept" mark of t was reached */
};

static bool engine_counts(const struct finding *f, size_t r)
{
	return f->rule == r && f->call_doc != FINDING_NO_DOC &&
	       strcmp(f->d.code, "rule-error");
}

/* The next finding of src, or NULL; *doc its document, or the mark's. */
static struct finding *engine_src_head(struct engine_src *src, size_t r, size_t *doc)
{
	while (src->at < src->out->n && !engine_counts(&src->out->v[src->at], r))
		src->at++;
	if (src->at < src->out->n) {
		*doc = src->out->v[src->at].call_doc;
		return &src->out->v[src->at];
	}
	*doc = src->t->over && !src->over_seen ? src->t->over_doc : FINDING_NO_DOC;
	return NULL;
}

/*
** Rule r's findings from n workers (check() calls only), merged into
** document order as collect_merge does: the first that takes the running
** total past the cap (or the first a worker did not keep: its total there
** was past already) and every one after it are dropped, and the rule fails
** at that document whatever the split (the error goes to ws[0]), unless it
** failed at or before it already.  Each worker then counts its finish()'s
** findings from the total kept.  A document is checked in one worker, its
** findings in the order made, so the kept set is the same for any -j.
*/
static void engine_report_rule(struct worker *const *ws, unsigned n, size_t r)
{
	struct engine_src *src = xcalloc(n, sizeof(*src));
	size_t cap = ws[0]->collect_cap, total = 0, cross = FINDING_NO_DOC;
	bool over = false;

	for (unsigned i = 0; i < n; i++) {
		src[i] = (struct engine_src){ &ws[i]->out, 0, &ws[i]->tally[r], false };
		total += ws[i]->tally[r].bytes;
		over |= ws[i]->tally[r].over && ws[i]->tally[r].over_doc != FINDING_NO_DOC;
	}
	if (!over && total <= cap)
		goto out_seed;
	total = 0;
	for (;;) {
		unsigned best = n;
		size_t doc, best_doc = FINDING_NO_DOC;
		struct finding *f, *best_f = NULL;
		size_t cost;

		for (unsigned i = 0; i < n; i++) {
			f = engine_src_head(&src[i], r, &doc);
			if (doc != FINDING_NO_DOC && (best == n || doc < best_doc)) {
				best = i;
				best_doc = doc;
				best_f = f;
			}
		}
		if (best == n)
			break;
		if (!best_f) {		/* a worker's mark: its total was past */
			src[best].over_seen = true;
			if (cross == FINDING_NO_DOC)
				cross = best_doc;
			continue;
		}
		src[best].at++;
		cost = finding_cost(best_f->d.msg, best_f->d.hint);
		if (cross == FINDING_NO_DOC && cost > cap - total)
			cross = best_doc;
		if (cross != FINDING_NO_DOC)
			best_f->dropped = true;
		else
			total += cost;
	}
	if (cross != FINDING_NO_DOC) {
		engine_cap_error(ws, n, r, cross, "ctx:report: its findings");
		goto out_free;
	}
out_seed:
	for (unsigned i = 0; i < n; i++) {
		ws[i]->tally[r].bytes = total;
		ws[i]->tally[r].over = false;
	}
out_free:
	free(src);
}

static void engine_reports(struct engine *E, struct engine_job *jobs, unsigned n)
{
	struct worker **ws = xmalloc(n * sizeof(*ws));

	for (unsigned i = 0; i < n; i++)
		ws[i] = &jobs[i].w;
	for (size_t r = 0; r < E->rs->n; r++)
		if (engine_runs(&E->rs->v[r]) && E->rs->v[r].has_check)
			engine_report_rule(ws, n, r);
	free(ws);
}

/* One rule alone, on fresh tables; true when it changed a document. */
static bool engine_isolated_rule(struct engine *E, struct worker *w, size_t r)
{
	bool blamed = false;

	const struct lint_rule *rule = &E->rs->v[r];
	struct collect *c = &w->collect[r];

	worker_reset_cache(w, true);
	collect_reset(c);
	memset(&w->tally[r], 0, sizeof(w->tally[r]));
	if (rule->has_check) {
		for (size_t d = 0; d < E->ds->n; d++)
			if (worker_wants(rule, &E->ds->v[d]))
				worker_check(w, r, d);
		engine_report_rule(&w, 1, r);
	}
	if (worker_mutated(w)) {
		engine_mutation_error(w, r, rule->check_line);
		worker_reset_cache(w, true);
		blamed = true;
	}
	if (rule->has_finish && rule->has_check && !w->failed[r]) {
		/* this rule runs in this worker alone: its slot is ours */
		free(E->views[r].v);
		engine_collect_rule(E, &w, &c, 1, r);
		w->views = E->views;
	}
	if (rule->has_finish && !w->failed[r]) {
		worker_finish(w, r);
		if (worker_mutated(w)) {
			engine_mutation_error(w, r, rule->finish_line);
			blamed = true;
		}
	}
	return blamed;
}

static void *engine_thread(void *arg)
{
	struct engine_job *j = arg;
	struct engine *E = j->E;
	size_t r;

	switch (E->phase) {
	case ENGINE_INIT:
		if (j->id == 0 && E->warm)
			j->init = worker_adopt(&j->w, E->rs, E->ds, E->warm, E->warm_ref,
					       &E->o->limits, E->o->verbose);
		else
			j->init = worker_init(&j->w, E->rs, E->ds, &E->o->limits,
					      E->o->verbose);
		break;
	case ENGINE_CHECK:
		engine_check_docs(E, j);
		break;
	case ENGINE_FINISH:
		engine_finish_rules(j);
		break;
	case ENGINE_ISOLATED:
		while (engine_takes_rules(j) && (r = atomic_fetch_add(&E->next, 1)) < E->rs->n)
			if (engine_runs(&E->rs->v[r]))
				j->blamed |= engine_isolated_rule(E, &j->w, r);
		break;
	case ENGINE_RELEASE:	/* freeing a big state takes a while: in parallel */
		worker_release(&j->w);
		break;
	}
	return NULL;
}

/* Run `phase` on every job: jobs 1.. in threads, job 0 here. */
static void engine_parallel(struct engine *E, struct engine_job *jobs,
			    unsigned n, enum engine_phase phase)
{
	pthread_t *tid = xcalloc(n, sizeof(*tid));
	bool *started = xcalloc(n, sizeof(*started));

	E->phase = phase;
	atomic_store(&E->next, 0);
	for (unsigned i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, engine_thread, &jobs[i]) == 0;
	engine_thread(&jobs[0]);
	for (unsigned i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else	/* no thread: do its share here (INIT, RELEASE are per job) */
			engine_thread(&jobs[i]);
	}
	free(started);
	free(tid);
}

/* ---- merging ------------------------------------------------------------ */

struct engine_keep {
	const size_t *fail_doc;
};

/*
** Keep what any partition of the documents would have produced: a failed
** rule's first error, and its findings up to the document it failed on.
*/
static bool engine_keep(const struct finding *f, void *arg)
{
	const struct engine_keep *k = arg;
	size_t fail;

	if (f->dropped)
		return false;
	if (f->rule == (size_t)-1)
		return true;
	fail = k->fail_doc[f->rule];
	if (fail == FINDING_NO_DOC)
		return true;
	if (f->d.code && !strcmp(f->d.code, "rule-error"))
		return f->call_doc == FINDING_NO_DOC || f->call_doc == fail;
	return f->call_doc != FINDING_NO_DOC && f->call_doc <= fail;
}

static void engine_merge_failures(struct engine *E, struct engine_job *jobs,
				  unsigned n)
{
	for (size_t r = 0; r < E->rs->n; r++) {
		E->fail_doc[r] = FINDING_NO_DOC;
		for (unsigned i = 0; i < n; i++)
			if (jobs[i].w.fail_doc[r] < E->fail_doc[r])
				E->fail_doc[r] = jobs[i].w.fail_doc[r];
	}
}

static void engine_forget(struct engine_job *jobs, unsigned n, size_t nrules)
{
	for (unsigned i = 0; i < n; i++) {
		finding_list_release(&jobs[i].w.out);
		for (size_t r = 0; r < nrules; r++) {
			jobs[i].w.failed[r] = false;
			jobs[i].w.fail_doc[r] = FINDING_NO_DOC;
			memset(&jobs[i].w.tally[r], 0, sizeof(jobs[i].w.tally[r]));
			collect_reset(&jobs[i].w.collect[r]);
		}
	}
}

/* ---- the run ------------------------------------------------------------ */

/* The jobs of a run with o->exiting: reachable, so no leak checker minds. */
static struct engine_job *volatile engine_left;

static unsigned engine_nworkers(const struct engine_opts *o,
				const struct docset *ds, const struct ruleset *rs)
{
	size_t units = ds->n / ENGINE_CHUNK + 1;
	unsigned n = o->jobs ? o->jobs : 1;

	if (o->dealt)
		return 2;
	if (units < rs->n)
		units = rs->n;
	if (o->jobs_auto && units > ds->n / ENGINE_AUTO_DOCS)
		units = ds->n / ENGINE_AUTO_DOCS;
	if (n > units)
		n = (unsigned)units;
	return n ? n : 1;
}

static int engine_init_jobs(struct engine *E, struct engine_job *jobs,
			    unsigned n, struct diag_list *dl)
{
	for (unsigned i = 0; i < n; i++) {
		jobs[i].E = E;
		jobs[i].id = i;
	}
	engine_parallel(E, jobs, n, ENGINE_INIT);
	for (unsigned i = 0; i < n; i++) {
		if (jobs[i].init == 0)
			continue;
		for (size_t k = 0; k < jobs[i].w.dl.n; k++) {
			const struct diag *d = &jobs[i].w.dl.v[k];

			diag_addf(dl, d->level, d->code, d->pos, "%s", d->msg);
		}
		return -1;	/* the first failing worker says why */
	}
	return 0;
}

int engine_run(struct ruleset *rs, const struct docset *ds,
	       const struct engine_opts *o, struct finding_list *out,
	       struct engine_stats *stats, struct diag_list *dl)
{
	struct engine E = { .rs = rs, .ds = ds, .o = o, .warm = rs->warm,
			    .warm_ref = rs->warm_ref };
	unsigned n = E.njobs = engine_nworkers(o, ds, rs);
	struct engine_job *jobs = xcalloc(n, sizeof(*jobs));
	struct engine_keep keep;
	bool mutated = false;
	double t[4];
	int ret = -1;

	rs->warm = NULL;	/* job 0 owns it now */
	E.fail_doc = xmalloc((rs->n ? rs->n : 1) * sizeof(size_t));
	E.views = xcalloc(rs->n ? rs->n : 1, sizeof(*E.views));
	t[0] = util_now();
	if (engine_init_jobs(&E, jobs, n, dl) < 0)
		goto out_release;
	t[1] = util_now();
	engine_parallel(&E, jobs, n, ENGINE_CHECK);
	t[2] = util_now();
	engine_collect(&E, jobs, n);
	engine_reports(&E, jobs, n);
	engine_merge_failures(&E, jobs, n);
	engine_parallel(&E, jobs, n, ENGINE_FINISH);
	t[3] = util_now();
	for (unsigned i = 0; i < n; i++)
		mutated |= jobs[i].mutated;
	if (stats) {
		stats->workers = n;
		stats->isolated = mutated;
		stats->converted = stats->compared = 0;
		stats->lua_bytes = stats->lua_docs = 0;
		for (unsigned i = 0; i < n; i++) {
			size_t used;

			if (o->verbose)	/* live memory, not garbage */
				lua_gc(jobs[i].w.L, LUA_GCCOLLECT);
			used = luahost_mem_used(jobs[i].w.L);

			stats->converted += jobs[i].w.nconverted;
			stats->compared += jobs[i].w.compared;
			if (used > stats->lua_bytes) {
				stats->lua_bytes = used;
				stats->lua_docs = luahost_mem_docs(jobs[i].w.L);
			}
		}
		stats->t_init = t[1] - t[0];
		stats->t_check = t[2] - t[1];
		stats->t_finish = t[3] - t[2];
		stats->rule_s = NULL;
	}
	if (mutated) {
		bool blamed = false;

		engine_forget(jobs, n, rs->n);
		engine_parallel(&E, jobs, n, ENGINE_ISOLATED);
		engine_merge_failures(&E, jobs, n);
		for (unsigned i = 0; i < n; i++)
			blamed |= jobs[i].blamed;
		if (!blamed)
			engine_unblamed_error(&jobs[0].w);
	}
	if (stats && o->verbose) {	/* after the isolated re-runs: they take time too */
		stats->rule_s = xcalloc(rs->n ? rs->n : 1, sizeof(double));
		for (unsigned i = 0; i < n; i++)
			for (size_t r = 0; r < rs->n; r++)
				stats->rule_s[r] += jobs[i].w.busy[r];
	}
	keep.fail_doc = E.fail_doc;
	for (unsigned i = 0; i < n; i++) {
		finding_list_filter(&jobs[i].w.out, engine_keep, &keep);
		finding_list_move(out, &jobs[i].w.out);
	}
	ret = 0;
out_release:
	if (o->exiting && !SK_SANITIZED) {
		engine_left = jobs;
	} else {
		engine_parallel(&E, jobs, n, ENGINE_RELEASE);
		free(jobs);
	}
	free(E.fail_doc);
	for (size_t r = 0; r < rs->n; r++)
		free(E.views[r].v);
	free(E.views);
	return ret;
}

/* ---- checking rule files ------------------------------------------------ */

static int engine_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names (sorted) of the globals a rule's chunk wrote into its _ENV at idx. */
static int engine_globals(struct lint_rule *r, lua_State *L, int env,
			  struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	char **names = NULL;
	size_t n = 0;
	struct diag_pos pos = { r->s.file, r->line, 1 };
	int line = luahost_env_line(L, env);

	if (line > 0)
		pos.line = (unsigned)line;
	lua_pushnil(L);
	while (lua_next(L, env)) {
		lua_pop(L, 1);
		names = xrealloc(names, (n + 1) * sizeof(char *));
		names[n++] = xstrdup(lua_type(L, -1) == LUA_TSTRING ?
				     lua_tostring(L, -1) : "?");
	}
	if (!n)
		return 0;
	qsort(names, n, sizeof(char *), engine_name_cmp);
	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s'%s'", i ? ", " : "", names[i]);
		free(names[i]);
	}
	free(names);
	diag_addf(dl, DIAG_ERROR, "rule-error", pos, "malformed rule '%s': it sets "
		  "global %s (declare %s local)", r->s.name, sb.buf,
		  n > 1 ? "them" : "it");
	strbuf_release(&sb);
	return -1;
}

struct engine_warm {
	size_t n;		/* rules */
	int ref;		/* registry: a table with room for n */
};

static int engine_new_warm(lua_State *L)
{
	struct engine_warm *w = lua_touserdata(L, 1);

	lua_createtable(L, (int)w->n, 0);
	w->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

static int engine_check_rule(struct lint_rule *r, size_t i, lua_State *L,
			     int warm_ref, struct diag_list *dl)
{
	int top = lua_gettop(L), ret = -1;
	size_t from = dl->n;

	if (worker_load_source(L, &r->s, true, dl) < 0)
		goto out_invalid;
	if (!lua_getupvalue(L, -1, 1))
		lua_pushnil(L);
	lua_insert(L, -2);
	if (luahost_pcall(L, 0, 1, "rule-error", dl) < 0)
		goto out_invalid;
	ret = ruleset_read(r, L, -1, dl);
	if (lua_istable(L, -2) && engine_globals(r, L, lua_absindex(L, -2), dl) < 0)
		ret = -1;
	if (ret == 0 && warm_ref != LUA_NOREF) {
		/* keep the table for the first worker; the slot exists: no allocation */
		lua_rawgeti(L, LUA_REGISTRYINDEX, warm_ref);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_settop(L, top);
	r->valid = r->enabled = ret == 0;
	worker_blame(dl, from, &r->s);
	return ret;
out_invalid:
	lua_settop(L, top);
	r->valid = r->enabled = false;
	worker_blame(dl, from, &r->s);
	return -1;
}

int engine_check_rules(struct ruleset *rs, const struct engine_opts *o,
		       struct diag_list *dl)
{
	struct diag_list quiet = DIAG_LIST_INIT;
	struct engine_warm warm = { rs->n, LUA_NOREF };
	struct luahost_limits load = worker_load_limits(&o->limits);
	lua_State *L;
	int ret = 0;

	ruleset_sort(rs);
	luahost_close(rs->warm);
	rs->warm = NULL;
	L = luahost_new(&load, o->verbose);
	if (!L)
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "cannot create a Lua state: out of memory");
	/* without the table (no memory), the state is not kept: workers load afresh */
	if (luahost_cpcall(L, engine_new_warm, &warm, 0, "oom", &quiet) < 0)
		warm.ref = LUA_NOREF;
	diag_list_release(&quiet);
	/*
	** Rules use the modules' globals: after a broken module every rule that
	** reads it would fail too ("undefined global"), burying the one error
	** that matters under as many others.  Rules are checked once it loads.
	*/
	if (worker_load_modules(L, rs, true, dl) < 0)
		ret = -1;
	else
		for (size_t i = 0; i < rs->n; i++)
			if (engine_check_rule(&rs->v[i], i, L, warm.ref, dl) < 0)
				ret = -1;
	/* kept only when everything loaded: no half-run chunk in a worker's state */
	if (ret == 0 && warm.ref != LUA_NOREF) {
		rs->warm = L;
		rs->warm_ref = warm.ref;
	} else {
		luahost_close(L);
	}
	return ret;
}
