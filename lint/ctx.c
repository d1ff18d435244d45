/*
** ctx.c: the `ctx` object a rule gets: ctx:report (path -> position,
** severity, hint), ctx:objects, ctx:find, ctx:select, ctx:selecting,
** ctx:file, ctx:namespace, ctx:is_reported, ctx:memo, ctx:collect,
** ctx:collected, ctx.options.  Each method is a
** C closure over (worker, rule index); documents come from the worker's
** per-state cache.
*/
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "collect.h"
#include "ctx.h"
#include "objpath.h"
#include "selector.h"
#include "selindex.h"
#include "strbuf.h"
#include "util.h"

#define CTX_MAX_PATH 64		/* elements in a report path */
#define CTX_MAX_TEXT 4096	/* bytes of a finding's message or hint */

/* Charge n units of ctx work to the running call (see WORKER_CTX_BUDGET). */
static void ctx_charge(struct worker *w, size_t n)
{
	w->ctx_work += n;
	if (w->ctx_work > WORKER_CTX_BUDGET)
		luaL_error(w->L, "instruction budget exceeded (more than %d units "
			   "of ctx work in one call)", WORKER_CTX_BUDGET);
}

/*
** The worker behind a method call.  Methods that allocate (report, and
** those returning arrays) cost WORKER_CTX_CALL units, lookups one.
*/
static struct worker *ctx_self_cost(lua_State *L, size_t cost)
{
	struct worker *w = lua_touserdata(L, lua_upvalueindex(1));

	if (lua_type(L, 1) != LUA_TTABLE)
		luaL_error(L, "ctx methods are called as ctx:name(...)");
	ctx_charge(w, cost);
	return w;
}

static struct worker *ctx_self(lua_State *L)
{
	return ctx_self_cost(L, WORKER_CTX_CALL);
}

static struct worker *ctx_self_cheap(lua_State *L)
{
	return ctx_self_cost(L, 1);
}

static size_t ctx_rule_up(lua_State *L)
{
	return (size_t)lua_tointeger(L, lua_upvalueindex(2));
}

static size_t ctx_doc_arg(lua_State *L, struct worker *w, int arg)
{
	long d = worker_doc_at(w, arg);

	if (d < 0)
		luaL_argerror(L, arg, "document expected");
	return (size_t)d;
}

/*
** Optional string field of the report table; NULL when absent.  The value
** stays on the stack so the string cannot be collected.  [-0, +1, e]
*/
static const char *ctx_opt_field(lua_State *L, const char *name, size_t *len)
{
	int t = lua_getfield(L, 2, name);

	if (t == LUA_TNIL)
		return NULL;
	if (t != LUA_TSTRING)
		luaL_error(L, "ctx:report: '%s' must be a string", name);
	return lua_tolstring(L, -1, len);
}

static void ctx_report_fields(lua_State *L)
{
	static const char *const known[] = {
		"obj", "path", "message", "hint", "severity",
	};

	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		bool ok = false;

		for (size_t i = 0; k && i < countof(known); i++)
			ok |= !strcmp(k, known[i]);
		if (!ok)
			luaL_error(L, "ctx:report: unknown field '%s' (expected obj, "
				   "path, message, hint or severity)",
				   k ? k : "(not a string)");
		lua_pop(L, 1);
	}
}

/* Read the path list into v; returns its length.  Raises on bad elements. */
static size_t ctx_report_path(lua_State *L, struct objpath_elem *v)
{
	size_t n;

	if (lua_getfield(L, 2, "path") == LUA_TNIL)
		return 0;
	if (!lua_istable(L, -1))
		luaL_error(L, "ctx:report: 'path' must be a list of keys and indices");
	n = lua_rawlen(L, -1);
	if (n > CTX_MAX_PATH)
		luaL_error(L, "ctx:report: 'path' is longer than %d elements",
			   CTX_MAX_PATH);
	for (size_t i = 0; i < n; i++) {
		int t = lua_rawgeti(L, -1, (lua_Integer)i + 1), isint = 0;
		lua_Integer k;

		v[i].key = NULL;
		if (t == LUA_TSTRING) {
			v[i].key = lua_tolstring(L, -1, &v[i].keylen);
		} else if (t == LUA_TNUMBER && (k = lua_tointegerx(L, -1, &isint), isint) &&
			   k >= 1) {
			v[i].index = (size_t)k;
		} else {
			luaL_error(L, "ctx:report: path element %d must be a string "
				   "or an index >= 1", (int)i + 1);
		}
		lua_pop(L, 1);	/* the path table keeps strings alive */
	}
	return n;	/* the path table stays on the stack */
}

/*
** A copy of a rule's message or hint (n bytes), cut at CTX_MAX_TEXT bytes
** (on a UTF-8 character boundary, marked with "..."): a rule cannot make
** the report, a CI log or a SARIF upload arbitrarily large with one
** finding.  A NUL (a value quoted from a document may hold one) is written
** as the two characters \0, so the rest of the text is not lost.
*/
static char *ctx_clip(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k = util_utf8_cut(s, n, CTX_MAX_TEXT);

	strbuf_init(&sb);
	for (const char *p = s, *end = s + k, *z; p < end; p = z + 1) {
		if (!(z = memchr(p, '\0', (size_t)(end - p)))) {
			strbuf_add(&sb, p, (size_t)(end - p));
			break;
		}
		strbuf_add(&sb, p, (size_t)(z - p));
		strbuf_addstr(&sb, "\\0");
	}
	if (k < n)
		strbuf_addstr(&sb, "...");
	if (sb.oom)
		xoom();
	return strbuf_detach(&sb, NULL);
}

/*
** May rule r keep one more finding of `cost` bytes in this state?  Past
** the cap, findings are measured no more: the rule fails at the document
** where the total of every state's, in document order, passed it (engine.c),
** at this one or before, so nothing after it would be reported anyway.
*/
static bool ctx_tally(struct worker *w, size_t r, size_t cost)
{
	struct worker_tally *t = &w->tally[r];

	if (!t->over && cost <= w->collect_cap - t->bytes) {
		t->bytes += cost;
		return true;
	}
	if (!t->over)
		t->over_doc = w->cur_doc;
	t->over = true;
	return false;
}

static int l_report(lua_State *L)
{
	struct worker *w = ctx_self(L);
	const struct lint_rule *r = &w->rs->v[ctx_rule_up(L)];
	struct objpath_elem path[CTX_MAX_PATH];
	const char *msg, *hint, *sev;
	char *cmsg, *chint;
	size_t msglen, hintlen;
	const struct lint_doc *doc;
	struct diag_pos pos;
	enum diag_level lvl = r->severity;
	struct finding *f;
	size_t n, d = 0;
	long od;

	luaL_checktype(L, 2, LUA_TTABLE);
	ctx_report_fields(L);
	if (lua_getfield(L, 2, "obj") == LUA_TNIL) {
		if (w->cur_doc == FINDING_NO_DOC)
			luaL_error(L, "ctx:report: 'obj' is required in finish()");
		d = w->cur_doc;
	} else if ((od = worker_doc_at(w, -1)) < 0) {
		luaL_error(L, "ctx:report: 'obj' is not a document (pass the "
			   "object given to check() or returned by ctx)");
	} else {
		d = (size_t)od;
	}
	lua_pop(L, 1);
	if (!(msg = ctx_opt_field(L, "message", &msglen)))
		luaL_error(L, "ctx:report: 'message' is required");
	hint = ctx_opt_field(L, "hint", &hintlen);
	if ((sev = ctx_opt_field(L, "severity", NULL))) {
		if (diag_level_parse(sev) < 0)
			luaL_error(L, "ctx:report: severity '%s' must be error, "
				   "warning or info", sev);
		if (!r->severity_set)
			lvl = (enum diag_level)diag_level_parse(sev);
	}
	n = ctx_report_path(L, path);
	doc = &w->ds->v[d];
	if (!doc->reported)
		return 0;	/* context-only object: dropped */
	pos.file = doc->file_name;
	objpath_resolve(doc->root, path, n, &pos.line, &pos.col);
	hint = hint ? hint : r->hint;
	cmsg = ctx_clip(msg, msglen);
	chint = *hint ? ctx_clip(hint, hint == r->hint ? strlen(hint) : hintlen) : NULL;
	if (!ctx_tally(w, ctx_rule_up(L), finding_cost(cmsg, chint))) {
		free(cmsg);
		free(chint);
		return 0;
	}
	f = finding_add(&w->out, lvl, r->s.name, pos, cmsg, chint);
	f->api_version = doc->api_version;
	f->kind = doc->kind;
	f->ns = doc->ns;
	f->name = doc->name;
	f->doc = d;
	f->rule = ctx_rule_up(L);
	f->call_doc = w->cur_doc;
	return 0;
}


/*
** A kind, namespace or name argument (NULL for an absent optional one).
** One with a NUL in it names no object (docset.c keeps no identity with a
** NUL), not the object named by the text before the NUL: *none is set.
*/
static const char *ctx_ident(lua_State *L, int i, bool opt, bool *none)
{
	size_t len;
	const char *s = opt ? luaL_optlstring(L, i, NULL, &len) : luaL_checklstring(L, i, &len);

	if (s && strlen(s) != len)
		*none = true;
	return s;
}

/* Push the documents of a kind list as a new array. */
static void ctx_push_list(struct worker *w, const struct docset_kind *dk)
{
	lua_State *L = w->L;
	size_t n = dk ? dk->n : 0;

	ctx_charge(w, n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		worker_push_doc(w, dk->docs[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static int l_objects(lua_State *L)
{
	struct worker *w = ctx_self(L);
	bool none = false;
	const char *kind = ctx_ident(L, 2, true, &none);
	const char *ns = ctx_ident(L, 3, true, &none);
	const struct docset *ds = w->ds;

	if (kind) {
		ctx_push_list(w, none ? NULL : docset_kind(ds, kind, ns));
		return 1;
	}
	ctx_charge(w, ds->n);
	lua_createtable(L, (int)ds->n, 0);
	for (size_t i = 0, k = 0; i < ds->n; i++) {
		if (ds->v[i].root->type != YN_MAP ||
		    (ns && strcmp(docset_namespace(&ds->v[i]), ns)))
			continue;
		worker_push_doc(w, i);
		lua_rawseti(L, -2, (lua_Integer)++k);
	}
	return 1;
}

/* ---- selectors ---------------------------------------------------------- */

static void ctx_sel_add(lua_State *L, struct selector *s, int kidx,
			   enum selector_op op)
{
	size_t len;
	const char *k;

	if (lua_type(L, kidx) != LUA_TSTRING)
		luaL_error(L, "selector keys must be strings");
	k = lua_tolstring(L, kidx, &len);
	if (selector_add(s, k, len, op) < 0)
		luaL_error(L, "selector has more than %d terms", SELECTOR_MAX_TERMS);
}

/*
** Add the value at vidx.  Returns true when it was a number: lua_tolstring
** turned that stack slot into a new string, which only the slot keeps
** alive, so the caller must leave it on the stack.
*/
static bool ctx_sel_value(lua_State *L, struct selector *s, int vidx)
{
	int t = lua_type(L, vidx);
	size_t len;
	const char *v;

	if (t != LUA_TSTRING && t != LUA_TNUMBER)
		luaL_error(L, "selector values must be strings");
	v = lua_tolstring(L, vidx, &len);
	if (selector_add_value(s, v, len) < 0)
		luaL_error(L, "selector has more than %d values", SELECTOR_MAX_VALUES);
	return t == LUA_TNUMBER;
}

/* Keep the converted number on top and push a copy of the key below it. */
static void ctx_sel_keep(lua_State *L)
{
	luaL_checkstack(L, 2, "selector too large");
	lua_pushvalue(L, -2);
}

/* {k = v, ...} at idx as In terms.  Strings stay referenced by the table. */
static void ctx_sel_pairs(lua_State *L, struct selector *s, int idx)
{
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		ctx_sel_add(L, s, -2, SEL_IN);
		if (ctx_sel_value(L, s, -1))
			ctx_sel_keep(L);	/* key, string, key copy for lua_next */
		else
			lua_pop(L, 1);
	}
}

static void ctx_sel_exprs(lua_State *L, struct selector *s, int idx)
{
	size_t n = lua_rawlen(L, idx);

	for (size_t i = 1; i <= n; i++) {
		int e = lua_gettop(L) + 1, op;

		luaL_checkstack(L, 6, "selector too large");
		if (lua_rawgeti(L, idx, (lua_Integer)i) != LUA_TTABLE)
			luaL_error(L, "matchExpressions entries must be tables");
		lua_getfield(L, e, "key");
		lua_getfield(L, e, "operator");
		op = lua_type(L, -1) == LUA_TSTRING ?
		     selector_op_parse(lua_tostring(L, -1)) : -1;
		if (op < 0)
			luaL_error(L, "bad selector operator");
		ctx_sel_add(L, s, e + 1, (enum selector_op)op);
		if (lua_getfield(L, e, "values") == LUA_TTABLE)
			for (size_t j = 1; j <= lua_rawlen(L, e + 3); j++) {
				luaL_checkstack(L, 1, "selector too large");
				lua_rawgeti(L, e + 3, (lua_Integer)j);
				if (!ctx_sel_value(L, s, -1))
					lua_pop(L, 1);	/* else it stays */
			}
		/* leave e..e+3 on the stack: they keep the strings alive */
	}
}

/* A selector given by a rule: LabelSelector or plain map. */
static void ctx_sel_from_lua(lua_State *L, int idx, struct selector *s)
{
	int ml, me;

	selector_init(s);
	if (lua_type(L, idx) != LUA_TTABLE) {
		s->nothing = true;
		return;
	}
	ml = lua_getfield(L, idx, "matchLabels");
	me = lua_getfield(L, idx, "matchExpressions");
	if (ml == LUA_TNIL && me == LUA_TNIL) {
		ctx_sel_pairs(L, s, idx);
		return;
	}
	if (ml == LUA_TTABLE)
		ctx_sel_pairs(L, s, lua_gettop(L) - 1);
	if (me == LUA_TTABLE)
		ctx_sel_exprs(L, s, lua_gettop(L));
}

/* Push the candidates in w->cand that keep() accepts, as a new array. */
static void ctx_push_cand(struct worker *w, bool (*keep)(struct worker *, size_t))
{
	lua_State *L = w->L;
	size_t k = 0;

	ctx_charge(w, w->cand.n);
	lua_createtable(L, 0, 0);
	for (size_t i = 0; i < w->cand.n; i++) {
		if (!keep(w, w->cand.v[i]))
			continue;
		worker_push_doc(w, w->cand.v[i]);
		lua_rawseti(L, -2, (lua_Integer)++k);
	}
}

/* ctx:select: does the object's metadata.labels match the rule's selector? */
static bool ctx_keep_select(struct worker *w, size_t d)
{
	struct selector_label l[SELECTOR_MAX_TERMS];

	return selector_matches(&w->sel, l,
				selindex_labels(&w->ds->v[d], l, countof(l)));
}

/* ctx:selecting: does the object's own selector match the rule's labels? */
static bool ctx_keep_selecting(struct worker *w, size_t d)
{
	selindex_own_selector(&w->ds->v[d], &w->sel);
	return selector_matches(&w->sel, w->labels, w->nlabels);
}

/*
** The selector and labels live in the worker (no allocation per call);
** their strings stay referenced by the argument tables on the stack.
** Candidates come from the kind list's index (selindex.h) and are matched
** in full here.
*/
static int l_select(lua_State *L)
{
	struct worker *w = ctx_self(L);
	bool none = false;
	const char *kind = ctx_ident(L, 2, false, &none);
	const char *ns = ctx_ident(L, 4, true, &none);

	luaL_checktype(L, 3, LUA_TTABLE);
	ctx_sel_from_lua(L, 3, &w->sel);
	selindex_select(w->ds, none ? NULL : docset_kind(w->ds, kind, ns), &w->sel,
			&w->cand);
	ctx_push_cand(w, ctx_keep_select);
	return 1;
}

static int l_selecting(lua_State *L)
{
	struct worker *w = ctx_self(L);
	bool none = false;
	const char *kind = ctx_ident(L, 2, false, &none);
	const char *ns = ctx_ident(L, 4, true, &none);

	luaL_checktype(L, 3, LUA_TTABLE);
	w->nlabels = 0;
	lua_pushnil(L);
	while (lua_next(L, 3)) {
		if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING &&
		    w->nlabels < countof(w->labels)) {
			struct selector_label *l = &w->labels[w->nlabels++];

			l->key.s = lua_tolstring(L, -2, &l->key.len);
			l->val.s = lua_tolstring(L, -1, &l->val.len);
		}
		lua_pop(L, 1);
	}
	selindex_selecting(w->ds, none ? NULL : docset_kind(w->ds, kind, ns),
			   w->labels, w->nlabels, &w->cand);
	ctx_push_cand(w, ctx_keep_selecting);
	return 1;
}

static int l_find(lua_State *L)
{
	struct worker *w = ctx_self_cheap(L);
	bool none = false;
	const char *kind = ctx_ident(L, 2, false, &none);
	const char *name = ctx_ident(L, 3, false, &none);
	const char *ns = ctx_ident(L, 4, true, &none);
	long d = none ? -1 : docset_find(w->ds, kind, ns, name);

	if (d < 0)
		lua_pushnil(L);
	else
		worker_push_doc(w, (size_t)d);
	return 1;
}

static int l_file(lua_State *L)
{
	struct worker *w = ctx_self_cheap(L);

	lua_pushstring(L, w->ds->v[ctx_doc_arg(L, w, 2)].file_name);
	return 1;
}

static int l_namespace(lua_State *L)
{
	struct worker *w = ctx_self_cheap(L);

	lua_pushstring(L, docset_namespace(&w->ds->v[ctx_doc_arg(L, w, 2)]));
	return 1;
}

static int l_is_reported(lua_State *L)
{
	struct worker *w = ctx_self_cheap(L);

	lua_pushboolean(L, w->ds->v[ctx_doc_arg(L, w, 2)].reported);
	return 1;
}

/*
** ctx:memo(): one table per Lua state, shared by all its rules, for the
** whole run (a fresh one when the engine starts over with fresh tables);
** the documents it holds stay alive with it.  Helper modules keep what
** they derive from the whole set there (kube.workloads, spark.drivers,
** indexes).
*/
static int l_memo(lua_State *L)
{
	struct worker *w = ctx_self_cheap(L);

	lua_rawgeti(L, LUA_REGISTRYINDEX, w->memo_ref);
	return 1;
}

/*
** ctx:collect(value), in check(): keep a copy of value for the rule's
** finish(), which may run in another worker (collect.h).
*/
static int l_collect(lua_State *L)
{
	struct worker *w = ctx_self(L);
	size_t r = ctx_rule_up(L);

	if (w->cur_doc == FINDING_NO_DOC)
		return luaL_error(L, "ctx:collect is for check(); finish() reads the "
				  "values with ctx:collected()");
	if (w->finish_ref[r] == LUA_NOREF)
		return luaL_error(L, "ctx:collect: the rule has no finish() to read "
				  "what it collects");
	if (lua_isnoneornil(L, 2))
		return luaL_argerror(L, 2, "a value expected");
	lua_settop(L, 2);
	ctx_charge(w, collect_add(w, &w->collect[r], 2, w->cur_doc, w->collect_cap));
	return 0;
}

/*
** ctx:collected(), in finish(): a new array of every value the rule's
** check() calls collected, in document order (a document's in the order
** collected), documents among them as this state's objects.
*/
static int l_collected(lua_State *L)
{
	struct worker *w = ctx_self(L);
	size_t r = ctx_rule_up(L);
	static const struct collect_view none = { NULL, 0 };

	if (w->cur_doc != FINDING_NO_DOC)
		return luaL_error(L, "ctx:collected is for finish(): in check() the "
				  "other documents' values are not there yet");
	ctx_charge(w, collect_push(w, w->views ? &w->views[r] : &none));
	return 1;
}

static const luaL_Reg ctx_funcs[] = {
	{ "report", l_report },
	{ "objects", l_objects },
	{ "select", l_select },
	{ "selecting", l_selecting },
	{ "find", l_find },
	{ "file", l_file },
	{ "namespace", l_namespace },
	{ "is_reported", l_is_reported },
	{ "memo", l_memo },
	{ "collect", l_collect },
	{ "collected", l_collected },
	{ NULL, NULL }
};

void ctx_push(lua_State *L, struct worker *w, size_t rule)
{
	lua_createtable(L, 0, 12);
	luahost_push_json(L, w->rs->v[rule].options);
	lua_setfield(L, -2, "options");
	lua_pushlightuserdata(L, w);
	lua_pushinteger(L, (lua_Integer)rule);
	luaL_setfuncs(L, ctx_funcs, 2);
}
