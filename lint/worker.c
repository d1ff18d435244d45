/*
** worker.c: one sandboxed Lua state of a lint run: loading modules and
** rules into it, the ctx API the rules call, converting documents lazily
** (a table shared while something holds it), calling check()/finish(), and
** checking that no rule changed a shared document.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "ctx.h"
#include "embed.h"
#include "lx.h"
#include "strbuf.h"
#include "util.h"
#include "worker.h"

static const struct diag_pos worker_nopos = { NULL, 0, 0 };

/* ---- documents in Lua --------------------------------------------------- */

static bool worker_listed(char *const *list, size_t n, const char *s)
{
	if (!list)
		return true;
	if (!s)
		return false;
	/* A call per (document, rule): the first byte rules out most kinds. */
	for (size_t i = 0; i < n; i++)
		if (list[i][0] == s[0] && !strcmp(list[i], s))
			return true;
	return false;
}

bool worker_wants(const struct lint_rule *r, const struct lint_doc *d)
{
	return d->root->type == YN_MAP &&
	       worker_listed(r->kinds, r->nkinds, d->kind) &&
	       worker_listed(r->api_versions, r->napi_versions, d->api_version);
}

enum {
	WORKER_DOC_CONVERTED = 1,	/* converted since the reset */
	WORKER_DOC_PINNED = 2,		/* its table is in pin_ref */
	WORKER_DOC_SETTLED = 4,		/* it was pinned before the last settle */
	WORKER_DOC_KEPT = 8		/* its table is in kept_ref */
};

/*
** Pin doc d's table (on top) until the next settle, or keep it to the end:
** a document used again after its settle is kept, so that a rule reading
** the whole set on every call (ctx:objects) costs a conversion and a
** comparison per document and run, as if every table were kept, not one
** per chunk of documents.  A document is converted twice at most, and
** compared twice at most (at its settle, at the end).  [-0, +0, m]
*/
static void worker_hold(struct worker *w, size_t d, bool keep)
{
	lua_State *L = w->L;

	lua_rawgeti(L, LUA_REGISTRYINDEX, keep ? w->kept_ref : w->pin_ref);
	lua_pushvalue(L, -2);
	lua_rawseti(L, -2, keep ? (lua_Integer)d + 1 : (lua_Integer)w->npinned + 1);
	lua_pop(L, 1);
	if (keep) {
		w->doc_flags[d] |= WORKER_DOC_KEPT;
		w->nkept++;
	} else {
		w->doc_flags[d] |= WORKER_DOC_PINNED;
		w->pinned[w->npinned++] = d;
	}
}

void worker_push_doc(struct worker *w, size_t d)
{
	lua_State *L = w->L;
	unsigned char *flags = &w->doc_flags[d];

	lua_rawgeti(L, LUA_REGISTRYINDEX, w->cache_ref);
	if (lua_rawgeti(L, -1, (lua_Integer)d + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		lua_rawgeti(L, LUA_REGISTRYINDEX, w->owner_ref);
		luahost_push_doc(L, w->ds->v[d].root, !(*flags & WORKER_DOC_CONVERTED),
				 (lua_Integer)d, -1);
		/* counted: flag it now, or a failure below would count it again */
		if (!(*flags & WORKER_DOC_CONVERTED)) {
			*flags |= WORKER_DOC_CONVERTED;
			w->nconverted++;
		}
		lua_remove(L, -2);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, (lua_Integer)d + 1);
	}
	lua_remove(L, -2);
	if (*flags & (WORKER_DOC_PINNED | WORKER_DOC_KEPT))
		return;
	worker_hold(w, d, *flags & WORKER_DOC_SETTLED);
}

long worker_doc_at(struct worker *w, int idx)
{
	lua_State *L = w->L;
	long d;

	idx = lua_absindex(L, idx);
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->owner_ref);
	d = (long)luahost_doc_index(L, idx, -1);
	lua_pop(L, 1);
	return d;
}

#define WORKER_GC_DOCS 256	/* from this many documents a new state is collected */

static void worker_new_verify(lua_State *L, struct worker *w);

/* A new table with weak keys or values (mode "k" or "v").  [-0, +1, m] */
static void worker_new_weak(lua_State *L, const char *mode)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushstring(L, mode);
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
}

/* Fresh registry tables for the cache (protected).  [-0, +0, m] */
static int worker_new_cache(lua_State *L)
{
	struct worker *w = lua_touserdata(L, 1);

	if (w->verify_ref == LUA_NOREF)
		worker_new_verify(L, w);
	luaL_unref(L, LUA_REGISTRYINDEX, w->cache_ref);
	luaL_unref(L, LUA_REGISTRYINDEX, w->owner_ref);
	luaL_unref(L, LUA_REGISTRYINDEX, w->pin_ref);
	luaL_unref(L, LUA_REGISTRYINDEX, w->kept_ref);
	luaL_unref(L, LUA_REGISTRYINDEX, w->memo_ref);
	if (w->keep)
		lua_newtable(L);
	else
		worker_new_weak(L, "v");
	w->cache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);	/* a new owner: the tables converted before are not this cache's */
	w->owner_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	w->pin_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	w->kept_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	w->memo_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

void worker_reset_cache(struct worker *w, bool keep)
{
	struct diag_list dl = DIAG_LIST_INIT;

	w->keep = keep;
	w->changed = false;
	if (luahost_cpcall(w->L, worker_new_cache, w, 0, "oom", &dl) < 0)
		diag_addf(&w->dl, DIAG_ERROR, "oom", worker_nopos,
			  "cannot reset the document cache: out of memory");
	diag_list_release(&dl);
	/*
	** A new state has no documents to free, only the garbage of loading the
	** rules.  Collecting it is a tenth of a 5-document run, but sets the
	** collector's pace from what is live: without it, linting the benchmark
	** corpus peaked 35 MB higher.  So a small set skips it.
	*/
	if (!w->nconverted && w->ds->n < WORKER_GC_DOCS)
		return;
	memset(w->doc_flags, 0, w->ds->n);
	w->npinned = w->nconverted = w->nkept = 0;
	lua_gc(w->L, LUA_GCCOLLECT);
	luahost_forget_docs(w->L);
}

/* ---- setting up a state ------------------------------------------------- */

/* (module table, name): install it as a (read-only) global.  Protected. */
static int worker_install_module(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);

	if (!lua_istable(L, 1))
		return luaL_error(L, "module '%s' must return a table (got %s)",
				  name, luaL_typename(L, 1));
	/* lib/re.lua would replace the sandbox's `re` for every rule, built-in too */
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	lua_pushstring(L, name);
	if (lua_rawget(L, -2) != LUA_TNIL)	/* unset globals raise on a plain read */
		return luaL_error(L, "module '%s' would replace the global '%s' (a %s) that "
				  "every rule sees; rename the file", name, name,
				  luaL_typename(L, -1));
	lua_settop(L, 1);
	luahost_setglobal(L, name);
	return 0;
}

/* (worker, rule index, rule table): refs to check/finish and a ctx. */
static int worker_install_rule(lua_State *L)
{
	struct worker *w = lua_touserdata(L, 1);
	size_t r = (size_t)lua_tointeger(L, 2);

	if (lua_getfield(L, 3, "check") == LUA_TFUNCTION)
		w->check_ref[r] = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	if (lua_getfield(L, 3, "finish") == LUA_TFUNCTION)
		w->finish_ref[r] = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_pop(L, 1);
	ctx_push(L, w, r);
	w->ctx_ref[r] = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int worker_load_source(lua_State *L, struct lint_source *s, bool keep,
		       struct diag_list *dl)
{
	if (s->chunk) {
		struct embed_pieces pc;

		embed_pieces(s->chunk, s->chunkname, &pc);
		return luahost_load_pieces(L, s->chunkname, pc.p, pc.n, 4,
					   "rule-error", dl);
	}
	if (s->bc)
		return luahost_load_compiled(L, s->chunkname, s->bc, s->bclen,
					     "rule-error", dl);
	if (luahost_load(L, s->chunkname, s->src, s->len, "rule-error", dl) < 0)
		return -1;
	if (keep && luahost_dump(L, &s->bc, &s->bclen) < 0)
		s->bc = NULL;	/* the next states compile the text themselves */
	return 0;
}

void worker_blame(struct diag_list *dl, size_t from, const struct lint_source *s)
{
	for (size_t i = from; i < dl->n; i++)
		if (!dl->v[i].pos.file)
			dl->v[i].pos.file = s->file;
}

/* Run a rule file and leave its value on the stack. */
static int worker_run_chunk(struct worker *w, struct lint_source *s)
{
	if (worker_load_source(w->L, s, false, &w->dl) < 0)
		return -1;
	return luahost_pcall(w->L, 0, 1, "rule-error", &w->dl);
}

int worker_load_modules(lua_State *L, const struct ruleset *rs, bool keep,
			struct diag_list *dl)
{
	for (size_t i = 0; i < rs->nmods; i++) {
		struct lint_source *s = &rs->mods[i];
		size_t from = dl->n;

		if (worker_load_source(L, s, keep, dl) < 0 ||
		    luahost_pcall(L, 0, 1, "rule-error", dl) < 0) {
			worker_blame(dl, from, s);
			return -1;
		}
		lua_pushcfunction(L, worker_install_module);
		lua_insert(L, -2);
		lua_pushstring(L, s->name);
		if (luahost_pcall(L, 2, 0, "rule-error", dl) < 0) {
			worker_blame(dl, from, s);
			return -1;
		}
	}
	return 0;
}

/* Install rule r from its table, on top of the stack (popped). */
static int worker_install(struct worker *w, size_t r)
{
	lua_pushcfunction(w->L, worker_install_rule);
	lua_insert(w->L, -2);
	lua_pushlightuserdata(w->L, w);
	lua_insert(w->L, -2);
	lua_pushinteger(w->L, (lua_Integer)r);
	lua_insert(w->L, -2);
	return luahost_pcall(w->L, 3, 0, "rule-error", &w->dl);
}

static int worker_load_rule(struct worker *w, size_t r)
{
	size_t from = w->dl.n;

	if (worker_run_chunk(w, &w->rs->v[r].s) < 0 || worker_install(w, r) < 0) {
		worker_blame(&w->dl, from, &w->rs->v[r].s);
		return -1;
	}
	return 0;
}

static void worker_alloc(struct worker *w)
{
	size_t nr = w->rs->n ? w->rs->n : 1, nd = w->ds->n ? w->ds->n : 1;

	w->check_ref = xmalloc(nr * sizeof(int));
	w->finish_ref = xmalloc(nr * sizeof(int));
	w->ctx_ref = xmalloc(nr * sizeof(int));
	w->fail_doc = xmalloc(nr * sizeof(size_t));
	w->failed = xcalloc(nr, sizeof(bool));
	w->gone = xcalloc(nr, sizeof(char *));
	w->tally = xcalloc(nr, sizeof(*w->tally));
	w->busy = w->verbose ? xcalloc(nr, sizeof(double)) : NULL;
	for (size_t i = 0; i < nr; i++) {
		w->check_ref[i] = w->finish_ref[i] = w->ctx_ref[i] = LUA_NOREF;
		w->fail_doc[i] = FINDING_NO_DOC;
	}
	w->collect = xcalloc(nr, sizeof(struct collect));
	w->doc_flags = xcalloc(nd, 1);
	w->pinned = xmalloc(nd * sizeof(size_t));
}

static void worker_prepare(struct worker *w, const struct ruleset *rs,
			   const struct docset *ds, const struct luahost_limits *lim,
			   bool verbose)
{
	memset(w, 0, sizeof(*w));
	w->rs = rs;
	w->ds = ds;
	w->collect_cap = lim && lim->mem_bytes ? lim->mem_bytes : LUAHOST_DEFAULT_MEM;
	w->cache_ref = w->owner_ref = w->memo_ref = w->msgh_ref = LUA_NOREF;
	w->pin_ref = w->kept_ref = w->verify_ref = LUA_NOREF;
	w->cur_doc = FINDING_NO_DOC;
	w->verbose = verbose;
	diag_list_init(&w->dl);
	finding_list_init(&w->out);
	worker_alloc(w);
}

struct luahost_limits worker_load_limits(const struct luahost_limits *lim)
{
	struct luahost_limits load;

	memset(&load, 0, sizeof(load));
	if (lim)
		load = *lim;
	if (!load.mem_bytes || load.mem_bytes > WORKER_LOAD_MEM)
		load.mem_bytes = WORKER_LOAD_MEM;
	return load;
}

int worker_init(struct worker *w, const struct ruleset *rs,
		const struct docset *ds, const struct luahost_limits *lim,
		bool verbose)
{
	struct luahost_limits load = worker_load_limits(lim);

	worker_prepare(w, rs, ds, lim, verbose);
	w->L = luahost_new(&load, verbose);
	if (!w->L)
		return diag_addf(&w->dl, DIAG_ERROR, "oom", worker_nopos,
				 "cannot create a Lua state: out of memory");
	worker_reset_cache(w, false);
	if (worker_load_modules(w->L, rs, false, &w->dl) < 0)
		return -1;
	for (size_t r = 0; r < rs->n; r++)
		if (rs->v[r].valid && worker_load_rule(w, r) < 0)
			return -1;
	if (lim)
		luahost_set_limits(w->L, lim);
	return w->dl.n ? -1 : 0;
}

int worker_adopt(struct worker *w, const struct ruleset *rs,
		 const struct docset *ds, lua_State *L, int rules_ref,
		 const struct luahost_limits *lim, bool verbose)
{
	worker_prepare(w, rs, ds, lim, verbose);
	w->L = L;
	luahost_set_limits(L, lim);
	worker_reset_cache(w, false);
	for (size_t r = 0; r < rs->n; r++) {
		if (!rs->v[r].valid)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, rules_ref);
		lua_rawgeti(L, -1, (lua_Integer)r + 1);
		lua_remove(L, -2);
		if (worker_install(w, r) < 0)
			return -1;
	}
	luaL_unref(L, LUA_REGISTRYINDEX, rules_ref);
	return w->dl.n ? -1 : 0;
}

void worker_release(struct worker *w)
{
	if (w->L)
		luahost_close(w->L);
	for (size_t r = 0; w->collect && r < (w->rs->n ? w->rs->n : 1); r++)
		collect_release(&w->collect[r]);
	free(w->collect);
	free(w->check_ref);
	free(w->finish_ref);
	free(w->ctx_ref);
	free(w->fail_doc);
	free(w->failed);
	for (size_t r = 0; w->gone && r < (w->rs->n ? w->rs->n : 1); r++)
		free(w->gone[r]);
	free(w->gone);
	free(w->tally);
	free(w->busy);
	free(w->doc_flags);
	free(w->pinned);
	free(w->trace);
	selindex_docs_release(&w->cand);
	finding_list_release(&w->out);
	diag_list_release(&w->dl);
	memset(w, 0, sizeof(*w));
}

/* ---- calling rules ------------------------------------------------------ */

/*
** Message handler of the inner call: note the line of the innermost frame
** in the rule's own file (an error inside a helper module is still placed
** at the rule's call), and pass the error value on unchanged.
*/
static int worker_msgh(lua_State *L)
{
	struct worker *w = lua_touserdata(L, lua_upvalueindex(1));
	const char *chunk = w->rs->v[w->cur_rule].s.chunkname;
	lua_Debug ar;

	for (int lvl = 1; lvl < 1000 && lua_getstack(L, lvl, &ar); lvl++)
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 &&
		    !strcmp(ar.source, chunk)) {
			w->err_line = (unsigned)ar.currentline;
			break;
		}
	if (w->verbose) {
		luaL_traceback(L, L, NULL, 1);
		free(w->trace);
		w->trace = xstrdup(lua_tostring(L, -1));
	}
	lua_settop(L, 1);
	return 1;
}

/*
** (worker, rule, doc or -1): convert the document and call check(obj, ctx)
** or finish(ctx) under worker_msgh, then re-raise any error for
** luahost_pcall to report (a memory error as a memory error).
*/
static int worker_call_rule(lua_State *L)
{
	struct worker *w = lua_touserdata(L, 1);
	size_t r = (size_t)lua_tointeger(L, 2);
	lua_Integer d = lua_tointeger(L, 3);
	int st;

	lua_settop(L, 0);
	if (w->msgh_ref == LUA_NOREF) {	/* made once: a closure per call was garbage */
		lua_pushlightuserdata(L, w);
		lua_pushcclosure(L, worker_msgh, 1);
		w->msgh_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->msgh_ref);
	if (d >= 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, w->check_ref[r]);
		worker_push_doc(w, (size_t)d);
	} else {
		lua_rawgeti(L, LUA_REGISTRYINDEX, w->finish_ref[r]);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->ctx_ref[r]);
	st = lua_pcall(L, d >= 0 ? 2 : 1, 0, 1);
	if (st == LUA_OK)
		return 0;
	if (st == LUA_ERRMEM)	/* past the cap: this allocation fails too */
		lua_newuserdatauv(L, (size_t)1 << 62, 0);
	return lua_error(L);
}

/*
** Rule r failed for memory: what it keeps (an upvalue filled up to the cap,
** the error caught with pcall) would make every later call in this state
** fail as well, so let go of its functions and ctx and collect.  Should it
** be called again (the isolated re-run), it fails again with `why`, as a
** call would in a state it filled.
*/
static void worker_let_go(struct worker *w, size_t r, const char *why)
{
	luaL_unref(w->L, LUA_REGISTRYINDEX, w->check_ref[r]);
	luaL_unref(w->L, LUA_REGISTRYINDEX, w->finish_ref[r]);
	luaL_unref(w->L, LUA_REGISTRYINDEX, w->ctx_ref[r]);
	w->check_ref[r] = w->finish_ref[r] = w->ctx_ref[r] = LUA_NOREF;
	free(w->gone[r]);
	w->gone[r] = xstrdup(why ? why : "memory limit exceeded");
	lua_gc(w->L, LUA_GCCOLLECT);
}

/* A call of a rule let go: the failure it had, at this document. */
static int worker_call_gone(struct worker *w, size_t r, size_t d)
{
	struct diag why = { .level = DIAG_ERROR, .code = "rule-error", .msg = w->gone[r] };

	w->err_line = 0;
	worker_rule_error(w, r, d, &why);
	w->failed[r] = true;
	if (d != FINDING_NO_DOC && d < w->fail_doc[r])
		w->fail_doc[r] = d;
	return -1;
}

static int worker_call(struct worker *w, size_t r, size_t d)
{
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = w->L;
	const struct lint_rule *rule = &w->rs->v[r];
	struct diag_pos where = { rule->s.file, d == FINDING_NO_DOC ? rule->finish_line :
								      rule->check_line, 1 };
	double t0 = w->busy ? util_now() : 0;
	bool over = w->tally[r].over;
	int ret;

	w->cur_rule = r;
	w->cur_doc = d;
	w->err_line = 0;
	w->ctx_work = 0;
	free(w->trace);
	w->trace = NULL;
	lua_pushcfunction(L, worker_call_rule);
	lua_pushlightuserdata(L, w);
	lua_pushinteger(L, (lua_Integer)r);
	lua_pushinteger(L, d == FINDING_NO_DOC ? -1 : (lua_Integer)d);
	luahost_set_where(L, where, "rule", rule->id);
	ret = luahost_pcall(L, 3, 0, "rule-error", &dl);
	if (ret == 0 && d == FINDING_NO_DOC && w->tally[r].over && !over) {
		/* finish() starts from the total of every check(): exact here */
		diag_addf(&dl, DIAG_ERROR, "rule-error", worker_nopos,
			  "ctx:report: its findings passed %zu MiB (the memory cap)",
			  w->collect_cap >> 20);
		w->err_line = 0;
		ret = -1;
	}
	if (ret < 0) {
		worker_rule_error(w, r, d, dl.n ? &dl.v[0] : NULL);
		w->failed[r] = true;
		if (d != FINDING_NO_DOC && d < w->fail_doc[r])
			w->fail_doc[r] = d;
		if (luahost_spent_memory(L))
			worker_let_go(w, r, dl.n ? dl.v[0].msg : NULL);
	}
	w->cur_doc = FINDING_NO_DOC;
	diag_list_release(&dl);
	if (w->busy)
		w->busy[r] += util_now() - t0;
	return ret;
}

int worker_check(struct worker *w, size_t r, size_t d)
{
	if (w->failed[r])
		return 0;
	if (w->gone[r])
		return worker_call_gone(w, r, d);
	if (w->check_ref[r] == LUA_NOREF)
		return 0;
	return worker_call(w, r, d);
}

int worker_finish(struct worker *w, size_t r)
{
	if (w->failed[r])
		return 0;
	if (w->gone[r])
		return w->rs->v[r].has_finish ? worker_call_gone(w, r, FINDING_NO_DOC) : 0;
	if (w->finish_ref[r] == LUA_NOREF)
		return 0;
	return worker_call(w, r, FINDING_NO_DOC);
}

/* ---- rule errors -------------------------------------------------------- */

/*
** Length of a "<file>:<line>: " prefix of msg, or 0.  Lua writes a chunk
** name too long for LUA_IDSIZE as "..." and its last LUA_IDSIZE - 4
** characters (luaO_chunkid), so a long rule path is matched by its tail.
*/
static size_t worker_where_len(const char *msg, const char *file)
{
	size_t n = strlen(file);
	const char *p = msg, *digits;

	if (n >= LUA_IDSIZE && !strncmp(p, "...", 3)) {
		p += 3;
		file += n - (LUA_IDSIZE - 4);
		n = LUA_IDSIZE - 4;
	}
	if (strncmp(p, file, n) || p[n] != ':')
		return 0;
	p += n + 1;
	digits = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == digits || *p != ':')
		return 0;
	p++;
	return (size_t)(p - msg) + (*p == ' ');
}

void worker_rule_error(struct worker *w, size_t r, size_t call_doc,
		       const struct diag *d)
{
	const struct lint_rule *rule = &w->rs->v[r];
	struct diag_pos pos = { rule->s.file, w->err_line, 1 };
	const char *msg = d && d->msg ? d->msg : "unknown error";
	struct strbuf sb = STRBUF_INIT;
	struct finding *f;
	size_t len;

	msg += worker_where_len(msg, rule->s.path);
	len = strcspn(msg, "\n");
	if (!pos.line && d && d->pos.file == rule->s.file)
		pos.line = d->pos.line;
	if (!pos.line)
		pos.line = call_doc == FINDING_NO_DOC ? rule->finish_line :
							rule->check_line;
	strbuf_init(&sb);
	strbuf_addf(&sb, "rule '%s' failed: %.*s", rule->s.name, (int)len, msg);
	if (call_doc != FINDING_NO_DOC && w->ds->v[call_doc].name)
		strbuf_addf(&sb, " (checking %s '%s')",
			    w->ds->v[call_doc].kind ? w->ds->v[call_doc].kind : "object",
			    w->ds->v[call_doc].name);
	f = finding_add(&w->out, DIAG_ERROR, "rule-error", pos,
			strbuf_detach(&sb, NULL), w->trace);	/* --verbose: traceback */
	w->trace = NULL;
	f->rule = r;
	f->call_doc = call_doc;
}

/* ---- did a rule change a document? -------------------------------------- */

static bool worker_same(lua_State *L, int idx, const struct ynode *n,
			unsigned depth);

static size_t worker_count_keys(lua_State *L, int idx)
{
	size_t k = 0;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		k++;
		lua_pop(L, 1);
	}
	return k;
}

#define WORKER_SMALL_MAP 32	/* maps compared by traversal: keys scanned linearly */

/* The entry of map n with this key, or NULL. */
static const struct ynode *worker_map_val(const struct ynode *n, const char *k,
					  size_t len)
{
	for (size_t i = 0; i < n->u.map.n; i++) {
		const struct ynode *key = n->u.map.v[i].key;

		if (key->len == len && !memcmp(key->text, k, len))
			return n->u.map.v[i].val;
	}
	return NULL;
}

/*
** A small map: walk the table once and find each key among n's (cheaper
** than making every key a Lua string again to look it up).  Keys are
** unique on both sides, so the same count and every table entry found
** and equal means the same map.
*/
static bool worker_same_small_map(lua_State *L, int idx, const struct ynode *n,
				  unsigned depth)
{
	size_t k = 0, len;
	const char *key;
	const struct ynode *v;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING || ++k > n->u.map.n) {
			lua_pop(L, 2);
			return false;
		}
		key = lua_tolstring(L, -2, &len);
		v = worker_map_val(n, key, len);
		if (!v || !worker_same(L, lua_gettop(L), v, depth + 1)) {
			lua_pop(L, 2);
			return false;
		}
		lua_pop(L, 1);
	}
	return k == n->u.map.n;
}

/*
** Table at idx holds exactly n's entries, and its metatable, if any, is a
** document's (Lua code cannot change those) or marks a sequence an array.
*/
static bool worker_same_table(lua_State *L, int idx, const struct ynode *n,
			      unsigned depth)
{
	bool seq = n->type == YN_SEQ;
	size_t len = seq ? n->u.seq.n : n->u.map.n;
	enum luahost_mt mt;
	bool ok;

	if (lua_type(L, idx) != LUA_TTABLE || depth > YDOC_MAX_DEPTH + 8 ||
	    !lua_checkstack(L, 4))
		return false;
	mt = luahost_metatable_kind(L, idx);
	if (mt == LUAHOST_MT_OTHER || (mt == LUAHOST_MT_ARRAY && !seq))
		return false;
	if (!seq && len <= WORKER_SMALL_MAP)
		return worker_same_small_map(L, idx, n, depth);
	if (worker_count_keys(L, idx) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		const struct ynode *v;

		if (seq) {
			v = n->u.seq.v[i];
			lua_rawgeti(L, idx, (lua_Integer)i + 1);
		} else {
			v = n->u.map.v[i].val;
			lua_pushlstring(L, n->u.map.v[i].key->text,
					n->u.map.v[i].key->len);
			lua_rawget(L, idx);
		}
		ok = worker_same(L, lua_gettop(L), v, depth + 1);
		lua_pop(L, 1);
		if (!ok)
			return false;
	}
	return true;
}

static bool worker_same(lua_State *L, int idx, const struct ynode *n,
			unsigned depth)
{
	size_t len;
	const char *s;
	int isint;

	switch (n->type) {
	case YN_NULL:
		return lua_rawequal(L, idx, lua_upvalueindex(1));
	case YN_BOOL:
		return lua_type(L, idx) == LUA_TBOOLEAN &&
		       lua_toboolean(L, idx) == n->u.b;
	case YN_INT:
		return lua_isinteger(L, idx) &&
		       lua_tointegerx(L, idx, &isint) == n->u.i;
	case YN_FLOAT:
		return lua_type(L, idx) == LUA_TNUMBER &&
		       (lua_tonumber(L, idx) == n->u.f ||
			(isnan(n->u.f) && isnan(lua_tonumber(L, idx))) ||
			lua_rawequal(L, idx, lua_upvalueindex(1)));
	case YN_STR:
		if (lua_type(L, idx) != LUA_TSTRING)
			return false;
		s = lua_tolstring(L, idx, &len);
		return len == n->len && !memcmp(s, n->text, len);
	default:
		return worker_same_table(L, idx, n, depth);
	}
}

/*
** (worker, final) with upvalue sk.null: true when every pinned table still
** equals its document; with `final`, every other table of the cache too.
** Protected.
*/
static int worker_verify(lua_State *L)
{
	struct worker *w = lua_touserdata(L, 1);
	bool final = lua_toboolean(L, 2), ok = true;

	lua_settop(L, 2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->pin_ref);
	for (size_t i = 0; ok && i < w->npinned; i++) {
		lua_rawgeti(L, 3, (lua_Integer)i + 1);
		ok = worker_same(L, 4, w->ds->v[w->pinned[i]].root, 0);
		lua_pop(L, 1);
		w->compared++;
	}
	if (!final)
		goto out;
	lua_rawgeti(L, LUA_REGISTRYINDEX, w->cache_ref);
	lua_pushnil(L);
	while (ok && lua_next(L, 4)) {
		size_t d = (size_t)lua_tointeger(L, 5) - 1;

		if (!(w->doc_flags[d] & WORKER_DOC_PINNED)) {
			ok = worker_same(L, 6, w->ds->v[d].root, 0);
			w->compared++;
		}
		lua_pop(L, 1);
	}
out:
	lua_pushboolean(L, ok);
	return 1;
}

/* worker_verify with its upvalue, once per state.  Protected.  [-0, +0, m] */
static void worker_new_verify(lua_State *L, struct worker *w)
{
	struct ynode null_node;

	memset(&null_node, 0, sizeof(null_node));
	null_node.type = YN_NULL;
	luahost_push_ynode(L, &null_node);
	lua_pushcclosure(L, worker_verify, 1);
	w->verify_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

struct worker_verify_args {
	struct worker *w;
	bool final;
};

static int worker_verify_protected(lua_State *L)
{
	struct worker_verify_args *a = lua_touserdata(L, 1);

	lua_rawgeti(L, LUA_REGISTRYINDEX, a->w->verify_ref);
	lua_pushlightuserdata(L, a->w);
	lua_pushboolean(L, a->final);
	lua_call(L, 2, 1);
	return 1;
}

/*
** Compare; a changed table (or a failure to compare: memory) is kept in
** w->changed.  What it allocates (long keys) is bounded by
** the documents and not capped: a rule holding all it may must not make
** the comparison fail and be blamed for a change.
*/
static void worker_compare(struct worker *w, bool final)
{
	struct worker_verify_args a = { w, final };
	struct diag_list dl = DIAG_LIST_INIT;
	bool same = false;
	size_t mark = lx_convert_begin(w->L);
	int st = luahost_cpcall(w->L, worker_verify_protected, &a, 1, "oom", &dl);

	lx_convert_end(w->L, mark, false);
	if (st == 0) {
		same = lua_toboolean(w->L, -1);
		lua_pop(w->L, 1);
	}
	diag_list_release(&dl);
	if (!same)
		w->changed = true;
}

/* Let the pinned tables go.  Clearing keys that exist allocates nothing. */
static void worker_unpin(struct worker *w)
{
	lua_State *L = w->L;

	lua_rawgeti(L, LUA_REGISTRYINDEX, w->pin_ref);
	for (size_t i = 0; i < w->npinned; i++) {
		unsigned char *flags = &w->doc_flags[w->pinned[i]];

		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		*flags = (unsigned char)((*flags & ~WORKER_DOC_PINNED) | WORKER_DOC_SETTLED);
	}
	lua_pop(L, 1);
	w->npinned = 0;
}

void worker_settle(struct worker *w)
{
	if (!w->npinned)
		return;
	if (!w->changed)
		worker_compare(w, false);
	worker_unpin(w);
}

/*
** A full collection costs about what comparing one document node per this
** many bytes of Lua heap costs (the benchmark stream at -j1: 0.08-0.11 s for
** an 87 MB heap, 0.9-1.3 ns a byte; comparing, 86 ns a node).
*/
#define WORKER_GC_BYTES_PER_NODE 64

/*
** The pinned tables, and every other one the cache still has.  Those
** neither kept (kept_ref holds them) nor pinned are garbage the collector
** has not found yet, or held by a rule or helper (a memo of derived
** values), where a change made after their settle could still reach
** another rule.  A full collection before comparing pays when they are
** many and the heap is small.  On the benchmark stream at -j1, all 5,600
** were held: collecting the 87 MB heap took 0.08-0.11 s and freed none of
** them, where comparing them took about 0.02 s.  So the collection runs
** only when comparing them would cost more (their nodes against the
** heap's size).
*/
bool worker_mutated(struct worker *w)
{
	lua_State *L = w->L;
	size_t loose = 0, heap;

	if (!w->nconverted || w->changed)
		goto out;
	if (!w->keep) {		/* (a kept cache holds no garbage) */
		lua_rawgeti(L, LUA_REGISTRYINDEX, w->cache_ref);	/* allocates nothing */
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			size_t d = (size_t)lua_tointeger(L, -2) - 1;

			if (!(w->doc_flags[d] & (WORKER_DOC_KEPT | WORKER_DOC_PINNED)))
				loose += w->ds->v[d].root->weight;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		heap = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
		if (loose > heap / WORKER_GC_BYTES_PER_NODE)
			lua_gc(L, LUA_GCCOLLECT);
	}
	worker_compare(w, true);
out:
	worker_unpin(w);
	return w->changed;
}
