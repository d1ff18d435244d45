/*
** tmpl.c: renders YAML templates into json_t documents: ${expr} values and
** interpolation, and the $if / $each / $as / $merge directives, with Lua
** expressions evaluated in the luahost sandbox.  Called by gen/compile.c
** once per app with that app's model.
*/
#include "tmpl.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "luahost.h"
#include "strbuf.h"
#include "util.h"

#define TMPL_MAX_SCOPE 16	/* nested $each loops */
#define TMPL_MAX_FILES 1000
#define TMPL_SHOW_MAX 60	/* characters of an expression quoted in a message */
/*
** Lua heap for one app's expressions: they build manifests of a few KB, and
** a hostile template directory must stay far below 256 MB of RSS.
*/
#define TMPL_MEM ((size_t)64 << 20)
/*
** What one app's rendered manifests may cost (luahost_to_json's measure:
** 64 bytes a value plus its text).  Lua values that share tables, and
** $each over long lists, multiply what the Lua heap holds; this bounds what
** the writers downstream are handed.  A real app renders a few hundred values.
*/
#define TMPL_OUT ((size_t)32 << 20)
/*
** What all of one app's expressions may run, lib.lua included: ten times
** one expression's budget.  Each expression also has its own (30 million
** instructions, 5 s); this bounds how often a template can run one.
*/
#define TMPL_APP_INSNS 300000000UL
#define TMPL_APP_MS 20000UL
#define TMPL_APP_WHAT "the app's expressions"

struct scope_var {
	const char *name;	/* borrowed from the template */
	int table;		/* stack index of the list */
	lua_Integer i;		/* current element */
};

struct rctx {
	lua_State *L;
	const char *file;
	struct diag_list *dl;
	struct scope_var vars[TMPL_MAX_SCOPE];
	size_t nvars;
	size_t errors;
	size_t *left;		/* of TMPL_OUT, for the app; 0 once it is spent */
	bool spent;		/* out of a budget: evaluate and render no more */
};

static int render(struct rctx *c, const struct ynode *n, bool in_seq, json_t **out);

/* {{{ errors */

static int terr(struct rctx *c, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int terr(struct rctx *c, const struct ynode *at, const char *fmt, ...)
{
	struct diag_pos pos = { c->file, at->line, at->col };
	va_list ap;

	va_start(ap, fmt);
	diag_vaddf(c->dl, DIAG_ERROR, "template", pos, fmt, ap);
	va_end(ap);
	c->errors++;
	return -1;
}

/* For the watchdog: the expression at `at` is about to run. */
static void set_where(struct rctx *c, const struct ynode *at)
{
	struct diag_pos pos = { c->file, at->line, at->col };

	luahost_set_where(c->L, pos, "the template expression", NULL);
}

/* The expression as quoted in messages: one line, shortened. */
static void show_expr(struct strbuf *sb, const char *e, size_t len)
{
	size_t k = util_utf8_cut(e, len, TMPL_SHOW_MAX);

	strbuf_addstr(sb, "${");
	for (size_t i = 0; i < k; i++)
		strbuf_addch(sb, e[i] == '\n' || e[i] == '\t' ? ' ' : e[i]);
	if (k < len)
		strbuf_addstr(sb, "...");
	strbuf_addch(sb, '}');
}

/*
** Take `w` from the output budget.  The first time it runs out, one error
** at `at`; after that every render fails quietly.
*/
static int spend(struct rctx *c, const struct ynode *at, size_t w)
{
	if (c->spent)
		return -1;
	if (w <= *c->left) {
		*c->left -= w;
		return 0;
	}
	*c->left = 0;
	c->spent = true;
	return terr(c, at, "the app's manifests grow too large here (more than %zu MiB "
		    "written out)", TMPL_OUT >> 20);
}

/* }}} */
/* {{{ expressions */

/* Put the $each variables into the _ENV of the chunk on top of the stack. */
static void bind_vars(struct rctx *c)
{
	lua_State *L = c->L;

	if (c->nvars == 0 || lua_getupvalue(L, -1, 1) == NULL)
		return;
	for (size_t i = 0; i < c->nvars; i++) {
		lua_pushstring(L, c->vars[i].name);
		lua_rawgeti(L, c->vars[i].table, c->vars[i].i);
		lua_rawset(L, -3);
	}
	lua_pop(L, 1);
}

/*
** How a template's text becomes a chunk: `pre` and `post` around it; lib.lua
** is its text alone.
*/
struct chunk_kind {
	const char *pre, *post;
};

static const struct chunk_kind as_value = { "return ", "\n" };
/* $each: a plain Lua array (copied with # and indexing, so read-only
 * global proxies work); other values pass through; a table with other
 * keys (a mapping) is an error naming the least, not a silent empty list */
static const struct chunk_kind as_list = {
	"return (function(t) if type(t) ~= 'table' then return t end "
	"local r, n = {}, #t for i = 1, n do r[i] = t[i] end "
	"local bad for k in pairs(t) do if math.type(k) ~= 'integer' or k < 1 or k > n then "
	"k = tostring(k) if not bad or k < bad then bad = k end end end "	/* the same one every run */
	"if bad then error(\"'$each' needs a list, not a table with key '\" .. bad .. \"'\", 0) end "
	"return r end)(", "\n)\n"
};
static const struct chunk_kind as_lib = { "", "" };

/* A chunk to load: `kind` around the `len` bytes at `text`. */
struct chunk {
	const struct chunk_kind *kind;
	const char *text;
	size_t len;
};

/*
** Compiled chunks, in a registry table per kind (compiling every
** expression again for every app was an eighth of a run, lib.lua again
** for every app a fortieth; the state outlives the app, see app_state).
** A chunk is found by the address of its text, which the template set
** holds, so a lookup makes no string; the table also maps the function to
** a copy of the text, compared on every hit, so an address that now holds
** other text is a miss.  A cached function gets a fresh _ENV before each
** use, as luahost_load gives every chunk, so what one run writes or binds
** is never seen by another.  Both steps run protected; a failure only
** means no cache.
*/
static int cached_chunk(lua_State *L)	/* chunk -> function with a fresh _ENV, or nil */
{
	const struct chunk *k = lua_touserdata(L, 1);
	const char *text = NULL;
	size_t len = 0;

	if (lua_rawgetp(L, LUA_REGISTRYINDEX, k->kind) != LUA_TTABLE ||	/* 2 */
	    lua_rawgetp(L, 2, k->text) != LUA_TFUNCTION)			/* 3 */
		return lua_pushnil(L), 1;
	lua_pushvalue(L, 3);
	if (lua_rawget(L, 2) == LUA_TSTRING)					/* 4 */
		text = lua_tolstring(L, 4, &len);
	if (text == NULL || len != k->len || memcmp(text, k->text, len) != 0 ||
	    lua_getupvalue(L, 3, 1) == NULL)
		return lua_pushnil(L), 1;
	lua_createtable(L, 0, 4);
	if (lua_getmetatable(L, -2))	/* the shared one of luahost_load */
		lua_setmetatable(L, -2);
	lua_setupvalue(L, 3, 1);
	lua_settop(L, 3);
	return 1;
}

static int cache_chunk(lua_State *L)	/* chunk, function */
{
	const struct chunk *k = lua_touserdata(L, 1);

	if (lua_rawgetp(L, LUA_REGISTRYINDEX, k->kind) != LUA_TTABLE) {	/* 3 */
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, k->kind);
	}
	if (lua_rawgetp(L, 3, k->text) == LUA_TFUNCTION) {	/* the one of other text */
		lua_pushnil(L);
		lua_rawset(L, 3);
	} else {
		lua_pop(L, 1);
	}
	lua_pushvalue(L, 2);
	lua_rawsetp(L, 3, k->text);
	lua_pushvalue(L, 2);
	lua_pushlstring(L, k->text, k->len);
	lua_rawset(L, 3);
	return 0;
}

/*
** Push chunk `k` compiled, from the cache or by luahost_load (as `name`):
** 0, or -1 with luahost_load's diagnostic and nothing pushed.
*/
static int load_chunk(lua_State *L, const struct chunk *k, const char *name,
		      struct diag_list *dl)
{
	struct strbuf code = STRBUF_INIT;
	const char *buf = k->text;
	size_t len = k->len;
	int rc = 0;

	lua_pushcfunction(L, cached_chunk);
	lua_pushlightuserdata(L, (void *)k);
	if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_isfunction(L, -1))
		return 0;
	lua_pop(L, 1);
	if (*k->kind->pre || *k->kind->post) {
		strbuf_addstr(&code, k->kind->pre);
		strbuf_add(&code, k->text, k->len);
		strbuf_addstr(&code, k->kind->post);
		buf = code.buf;
		len = code.len;
	}
	if (luahost_load(L, name, buf, len, "template", dl) < 0) {
		rc = -1;
	} else {
		lua_pushcfunction(L, cache_chunk);
		lua_pushlightuserdata(L, (void *)k);
		lua_pushvalue(L, -3);
		if (lua_pcall(L, 2, 0, 0) != LUA_OK)
			lua_pop(L, 1);
	}
	strbuf_release(&code);
	return rc;
}

/*
** Evaluate the Lua expression `expr` as `kind` and push its value.
** Returns 0, or -1 with an error at `at` quoting `expr` and Lua's message,
** with nothing pushed.
*/
static int eval_as(struct rctx *c, const struct ynode *at, const struct chunk_kind *kind,
		   const char *expr, size_t len)
{
	struct chunk k = { kind, expr, len };
	struct strbuf shown = STRBUF_INIT;
	struct diag_list tmp = DIAG_LIST_INIT;
	int rc = 0;

	if (c->spent)
		return -1;
	if (!lua_checkstack(c->L, 8))
		return terr(c, at, "template nests too deeply");
	if (strspn(expr, " \t\n") >= len)
		return terr(c, at, "empty expression '${}'");
	if (load_chunk(c->L, &k, "=expression", &tmp) < 0 ||
	    (bind_vars(c), set_where(c, at), luahost_pcall(c->L, 0, 1, "template", &tmp) < 0)) {
		const struct diag *d = tmp.n ? &tmp.v[tmp.n - 1] : NULL;
		show_expr(&shown, expr, len);
		if (d && d->pos.file && strcmp(d->pos.file, "expression") != 0 && d->pos.line)
			terr(c, at, "cannot evaluate '%s': %s (at %s:%u)", shown.buf, d->msg,
			     d->pos.file, d->pos.line);
		else
			terr(c, at, "cannot evaluate '%s': %s", shown.buf,
			     d ? d->msg : "unknown error");
		c->spent = luahost_spent(c->L);
		rc = -1;
	}
	strbuf_release(&shown);
	diag_list_release(&tmp);
	return rc;
}

static int eval(struct rctx *c, const struct ynode *at, const char *expr, size_t len)
{
	return eval_as(c, at, &as_value, expr, len);
}

/*
** Does a string in `j` hold a NUL character?  YAML cannot write one.  The
** walk is bounded by the output budget the value was charged against.
*/
static bool has_nul(json_t *j)
{
	const char *k;
	size_t i, klen;
	json_t *v;

	switch (json_typeof(j)) {
	case JSON_STRING:
		return memchr(json_string_value(j), '\0', json_string_length(j)) != NULL;
	case JSON_ARRAY:
		json_array_foreach(j, i, v)
			if (has_nul(v))
				return true;
		return false;
	case JSON_OBJECT:	/* keys come from Lua strings too */
		json_object_keylen_foreach(j, k, klen, v)
			if (memchr(k, '\0', klen) || has_nul(v))
				return true;
		return false;
	default:
		return false;
	}
}

/* Pop the value on top and convert it; nil gives *out = NULL. */
static int pop_json(struct rctx *c, const struct ynode *at, const char *expr,
		    size_t len, json_t **out)
{
	const char *err = NULL;

	*out = NULL;
	if (!lua_isnil(c->L, -1))
		*out = luahost_to_json(c->L, -1, c->left, &err);
	lua_pop(c->L, 1);
	if (*out == NULL && err == luahost_too_large)
		return spend(c, at, SIZE_MAX);
	if (*out != NULL && has_nul(*out)) {
		json_decref(*out);
		*out = NULL;
		err = "a string holds a NUL character";
	}
	if (*out == NULL && err) {
		struct strbuf sb = STRBUF_INIT;
		show_expr(&sb, expr, len);
		terr(c, at, "value of '%s' cannot be written as YAML: %s", sb.buf, err);
		strbuf_release(&sb);
		return -1;
	}
	return 0;
}

/*
** Index of the '}' closing the "${" whose body starts at `s + i`, skipping
** nested braces and Lua strings; (size_t)-1 when unterminated.
*/
static size_t close_brace(const char *s, size_t len, size_t i)
{
	int depth = 1;

	for (; i < len; i++) {
		char ch = s[i];
		if (ch == '\'' || ch == '"') {
			for (i++; i < len && s[i] != ch; i++)
				if (s[i] == '\\')
					i++;
		} else if (ch == '{') {
			depth++;
		} else if (ch == '}' && --depth == 0) {
			return i;
		}
	}
	return (size_t)-1;
}

/* The text between "${" and "}" if `s` is exactly one expression. */
static bool exact_expr(const char *s, size_t len, const char **e, size_t *elen)
{
	size_t end;

	if (len < 3 || s[0] != '$' || s[1] != '{')
		return false;
	end = close_brace(s, len, 2);
	if (end != len - 1)
		return false;
	*e = s + 2;
	*elen = len - 3;
	return true;
}

/* Append the value on top (popped) as text: strings and numbers only. */
static int append_text(struct rctx *c, const struct ynode *at, struct strbuf *sb,
		       const char *expr, size_t len)
{
	lua_State *L = c->L;
	int t = lua_type(L, -1);

	if (t == LUA_TSTRING) {
		size_t n;
		const char *v = lua_tolstring(L, -1, &n);
		strbuf_add(sb, v, n);
	} else if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
		strbuf_addf(sb, "%lld", (long long)lua_tointeger(L, -1));
	} else if (t == LUA_TNUMBER) {
		strbuf_addf(sb, "%.14g", (double)lua_tonumber(L, -1));
	} else {
		struct strbuf shown = STRBUF_INIT;
		show_expr(&shown, expr, len);
		terr(c, at, "'%s' inside a string must give a string or a number, not %s",
		     shown.buf, lua_typename(L, t));
		strbuf_release(&shown);
		lua_pop(L, 1);
		return -1;
	}
	lua_pop(L, 1);
	return 0;
}

/* Interpolate every ${...} of a longer string; "$${" is a literal "${". */
static int interpolate(struct rctx *c, const struct ynode *at, const char *s,
		       size_t len, json_t **out)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < len && rc == 0;) {
		size_t end;
		if (s[i] == '$' && i + 2 < len && s[i + 1] == '$' && s[i + 2] == '{') {
			strbuf_addstr(&sb, "${");
			i += 3;
		} else if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
			end = close_brace(s, len, i + 2);
			if (end == (size_t)-1) {
				rc = terr(c, at, "unterminated '${' in template string");
				break;
			}
			rc = eval(c, at, s + i + 2, end - i - 2);
			if (rc == 0)
				rc = append_text(c, at, &sb, s + i + 2, end - i - 2);
			if (rc == 0 && sb.len > *c->left)	/* before the next one adds more */
				rc = spend(c, at, SIZE_MAX);
			i = end + 1;
		} else {
			strbuf_addch(&sb, s[i++]);
		}
	}
	if (rc == 0 && memchr(sb.buf, '\0', sb.len))
		rc = terr(c, at, "a string with a NUL character cannot be written as YAML");
	if (rc == 0)
		rc = spend(c, at, LUAHOST_VALUE_COST + sb.len);
	*out = rc == 0 ? json_stringn(sb.buf, sb.len) : NULL;
	strbuf_release(&sb);
	return rc;
}

/* }}} */
/* {{{ nodes */

static bool has_expr(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '$' && s[i + 1] == '{')
			return true;
	return false;
}

static int render_scalar(struct rctx *c, const struct ynode *n, json_t **out)
{
	const char *e;
	size_t elen;

	if (n->type != YN_STR && spend(c, n, LUAHOST_VALUE_COST) < 0)
		return -1;
	switch (n->type) {
	case YN_NULL: *out = json_null(); return 0;
	case YN_BOOL: *out = json_boolean(n->u.b); return 0;
	case YN_INT: *out = json_integer((json_int_t)n->u.i); return 0;
	case YN_FLOAT: *out = json_real(n->u.f); return 0;
	default: break;
	}
	if (exact_expr(n->text, n->len, &e, &elen)) {
		if (eval(c, n, e, elen) < 0)
			return -1;
		return pop_json(c, n, e, elen, out);
	}
	if (has_expr(n->text, n->len))
		return interpolate(c, n, n->text, n->len, out);
	if (memchr(n->text, '\0', n->len))	/* "\0" in a copy of the templates */
		return terr(c, n, "a string with a NUL character cannot be written as YAML");
	if (spend(c, n, LUAHOST_VALUE_COST + n->len) < 0)
		return -1;
	*out = json_stringn(n->text, n->len);
	return 0;
}

/* A directive's expression: "expr" or "${expr}". */
static int eval_directive(struct rctx *c, const struct ynode *v)
{
	const char *e;
	size_t elen;

	if (v->type == YN_BOOL) {
		lua_pushboolean(c->L, v->u.b);
		return 0;
	}
	if (v->type != YN_STR || v->len == 0)
		return terr(c, v, "a directive needs a Lua expression");
	if (!exact_expr(v->text, v->len, &e, &elen)) {
		e = v->text;
		elen = v->len;
	}
	return eval(c, v, e, elen);
}

static bool is_directive(const char *k)
{
	return k[0] == '$' && k[1] != '$' && k[1] != '{';
}

/* $each's expression, as a plain Lua array if it is a table (as_list). */
static int eval_list(struct rctx *c, const struct ynode *v)
{
	const char *e;
	size_t elen;

	if (v->type != YN_STR || v->len == 0)
		return terr(c, v, "'$each' needs a Lua expression");
	if (!exact_expr(v->text, v->len, &e, &elen)) {
		e = v->text;
		elen = v->len;
	}
	return eval_as(c, v, &as_list, e, elen);
}

/* Truthiness of $if (absent: true); -1 on error. */
static int condition(struct rctx *c, const struct ynode *map)
{
	const struct ynode *cond = ynode_get(map, "$if");
	int truth;

	if (cond == NULL)
		return 1;
	if (eval_directive(c, cond) < 0)
		return -1;
	truth = lua_toboolean(c->L, -1);
	lua_pop(c->L, 1);
	return truth;
}

static int merge_into(struct rctx *c, json_t *obj, const struct ynode *v)
{
	json_t *j;

	if (eval_directive(c, v) < 0 || pop_json(c, v, v->text, v->len, &j) < 0)
		return -1;
	if (j == NULL)
		return 0;
	if (!json_is_object(j)) {
		json_decref(j);
		return terr(c, v, "'$merge' needs a table with string keys");
	}
	json_object_update(obj, j);
	json_decref(j);
	return 0;
}

static int render_key(struct rctx *c, const struct ynode *k, json_t **key)
{
	if (has_expr(k->text, k->len))
		return interpolate(c, k, k->text, k->len, key);
	bool esc = k->len >= 2 && k->text[0] == '$' && k->text[1] == '$';

	if (memchr(k->text, '\0', k->len))
		return terr(c, k, "a string with a NUL character cannot be written as YAML");
	if (spend(c, k, k->len) < 0)
		return -1;
	*key = json_stringn(k->text + esc, k->len - esc);
	return 0;
}

static int render_map(struct rctx *c, const struct ynode *n, bool in_seq, json_t **out)
{
	int truth, rc = 0;
	json_t *obj;

	*out = NULL;
	if (ynode_get(n, "$each") && !in_seq)
		return terr(c, ynode_get(n, "$each"), "'$each' is only allowed in a sequence item");
	/* before $if: an $each repetition that $if drops is work all the same */
	if (spend(c, n, LUAHOST_VALUE_COST) < 0)
		return -1;
	if ((truth = condition(c, n)) <= 0)
		return truth;
	obj = json_object();
	for (size_t i = 0; i < n->u.map.n; i++) {
		const struct ynode *k = n->u.map.v[i].key, *v = n->u.map.v[i].val;
		json_t *key = NULL, *val = NULL;

		if (is_directive(k->text)) {
			if (strcmp(k->text, "$merge") == 0)
				rc |= merge_into(c, obj, v);
			else if (strcmp(k->text, "$if") && strcmp(k->text, "$each") &&
				 strcmp(k->text, "$as"))
				rc = terr(c, k, "unknown directive '%s' (known: $if, $each, $as, $merge)",
					  k->text);
			continue;
		}
		if (render_key(c, k, &key) < 0 || render(c, v, false, &val) < 0) {
			rc = -1;
		} else if (val != NULL) {
			json_object_set_new(obj, json_string_value(key), val);
			val = NULL;
		}
		json_decref(key);
		json_decref(val);
	}
	if (rc < 0) {
		json_decref(obj);
		return -1;
	}
	*out = obj;
	return 0;
}

static bool is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (*++s)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Expand a sequence item that has $each, appending to `arr`. */
static int render_each(struct rctx *c, const struct ynode *item, json_t *arr)
{
	const struct ynode *each = ynode_get(item, "$each"), *as = ynode_get(item, "$as");
	const char *name = as ? ynode_str(as) : "item";
	lua_State *L = c->L;
	lua_Integer len;
	int rc = 0, table;

	if (name == NULL || !is_identifier(name))
		return terr(c, as, "'$as' must name a Lua variable");
	if (c->nvars == TMPL_MAX_SCOPE)
		return terr(c, each, "too many nested '$each' (at most %d)", TMPL_MAX_SCOPE);
	if (eval_list(c, each) < 0)
		return -1;
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	if (!lua_istable(L, -1)) {
		rc = terr(c, each, "'$each' needs a list, not %s", luaL_typename(L, -1));
		lua_pop(L, 1);
		return rc;
	}
	table = lua_gettop(L);
	len = (lua_Integer)lua_rawlen(L, table);
	c->vars[c->nvars].name = name;
	c->vars[c->nvars].table = table;
	c->nvars++;
	for (lua_Integer i = 1; i <= len && !c->spent; i++) {
		json_t *v = NULL;
		c->vars[c->nvars - 1].i = i;
		if (render_map(c, item, true, &v) < 0)
			rc = -1;
		else if (v != NULL)
			json_array_append_new(arr, v);
	}
	c->nvars--;
	lua_settop(L, table - 1);
	return rc;
}

static int render_seq(struct rctx *c, const struct ynode *n, json_t **out)
{
	json_t *arr;
	int rc = 0;

	*out = NULL;
	if (spend(c, n, LUAHOST_VALUE_COST) < 0)
		return -1;
	arr = json_array();
	for (size_t i = 0; i < n->u.seq.n; i++) {
		const struct ynode *item = n->u.seq.v[i];
		json_t *v = NULL;

		if (item->type == YN_MAP && ynode_get(item, "$each")) {
			rc |= render_each(c, item, arr);
			continue;
		}
		if (render(c, item, true, &v) < 0)
			rc = -1;
		else if (v != NULL)
			json_array_append_new(arr, v);
	}
	/* a list whose every item was dropped goes too, like nil */
	if (rc < 0 || (n->u.seq.n > 0 && json_array_size(arr) == 0)) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}

static int render(struct rctx *c, const struct ynode *n, bool in_seq, json_t **out)
{
	*out = NULL;
	if (n->type == YN_MAP)
		return render_map(c, n, in_seq, out);
	if (n->type == YN_SEQ)
		return render_seq(c, n, out);
	return render_scalar(c, n, out);
}

/* One document, taking what it costs from `left`, the app's output budget. */
static int render_doc(lua_State *L, const char *file, const struct ynode *n,
		      size_t *left, json_t **out, struct diag_list *dl)
{
	struct rctx c = { .L = L, .file = file, .dl = dl, .left = left };
	int top = lua_gettop(L);

	if (render(&c, n, false, out) < 0 || c.errors) {
		json_decref(*out);
		*out = NULL;
		lua_settop(L, top);
		return -1;
	}
	return 0;
}

int tmpl_render_node(lua_State *L, const char *file, const struct ynode *n,
		     json_t **out, struct diag_list *dl)
{
	size_t left = TMPL_OUT;
	int rc;

	luahost_share_begin(L, TMPL_APP_INSNS, TMPL_APP_MS, TMPL_APP_WHAT);
	rc = render_doc(L, file, n, &left, out, dl);
	luahost_share_end(L);
	return rc;
}

/* }}} */
/* {{{ template sets */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names of `dir`, sorted (caller frees each and the array). */
static char **list_templates(const char *dir, size_t *n, struct diag_list *dl)
{
	struct diag_pos pos = { util_intern(dir), 0, 0 };
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t alloc = 0;

	*n = 0;
	if (d == NULL) {
		diag_addf(dl, DIAG_ERROR, "io", pos, "cannot open template directory '%s': %s",
			  dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !(util_has_suffix(e->d_name, ".yaml") ||
					     util_has_suffix(e->d_name, ".yml")))
			continue;
		if (*n == TMPL_MAX_FILES)
			break;
		if (*n == alloc) {
			char **nv = realloc(v, (alloc = alloc ? 2 * alloc : 16) * sizeof *v);
			if (nv == NULL)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(e->d_name)) != NULL)
			(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, cmp_names);
	return v;
}

/*
** A template must be a regular file (after symlinks): a FIFO named x.yaml
** would block the read for ever.  A missing one is left to the read.
*/
static bool regular_file(const char *path, struct diag_list *dl)
{
	struct diag_pos pos = { util_intern(path), 0, 0 };
	struct stat st;

	if (stat(path, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return true;
	diag_addf(dl, DIAG_ERROR, "io", pos, "'%s' is not a regular file", path);
	return false;
}

int tmpl_set_load(struct tmpl_set *ts, const char *dir, struct diag_list *dl)
{
	size_t n = 0;
	char **names = list_templates(dir, &n, dl);
	char *libpath = util_path_join(dir, "lib.lua");
	int rc = 0;

	memset(ts, 0, sizeof *ts);
	if (names == NULL && n == 0) {
		struct diag_pos pos = { util_intern(dir), 0, 0 };
		if (dl->n == 0 || strcmp(dl->v[dl->n - 1].code, "io") != 0)
			diag_addf(dl, DIAG_ERROR, "template", pos, "no templates (*.yaml) in '%s'", dir);
		rc = -1;
		goto out;
	}
	ts->v = calloc(n, sizeof *ts->v);
	for (size_t i = 0; ts->v && i < n; i++) {
		char *path = util_path_join(dir, names[i]);
		ts->v[ts->n].name = util_intern(path);
		if (!regular_file(path, dl) || ystream_load_file(&ts->v[ts->n++].ys, path, dl) < 0)
			rc = -1;
		free(path);
	}
	if (ts->v == NULL)
		rc = -1;
	if (access(libpath, F_OK) == 0) {
		ts->libname = util_intern(libpath);
		ts->lib = regular_file(libpath, dl) ?
			  util_read_file(libpath, 1u << 20, &ts->liblen, dl) : NULL;
		if (ts->lib == NULL)
			rc = -1;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(libpath);
	return rc;
}

/*
** Field by field, never src->L: src's own thread may be making its state
** while this one starts (a data race ThreadSanitizer found once the
** rendering got faster, though the value read was thrown away).
*/
void tmpl_set_share(struct tmpl_set *ts, const struct tmpl_set *src)
{
	memset(ts, 0, sizeof *ts);
	ts->v = src->v;
	ts->n = src->n;
	ts->lib = src->lib;
	ts->liblen = src->liblen;
	ts->libname = src->libname;
	ts->verbose = src->verbose;
	ts->shared = true;
}

void tmpl_set_release(struct tmpl_set *ts)
{
	if (!ts->shared) {
		for (size_t i = 0; i < ts->n; i++)
			ystream_release(&ts->v[i].ys);
		free(ts->v);
		free(ts->lib);
	}
	luahost_close(ts->L);
	memset(ts, 0, sizeof *ts);
}

void tmpl_docs_release(struct tmpl_docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		json_decref(d->v[i].doc);
	free(d->v);
	memset(d, 0, sizeof *d);
}

static int docs_add(struct tmpl_docs *d, json_t *doc, const char *file,
		    const struct ynode *root)
{
	if (d->n == d->alloc) {
		size_t n = d->alloc ? 2 * d->alloc : 16;
		struct tmpl_doc *v = realloc(d->v, n * sizeof *v);
		if (v == NULL) {
			json_decref(doc);
			return -1;
		}
		d->v = v;
		d->alloc = n;
	}
	d->v[d->n].doc = doc;
	d->v[d->n].file = file;
	d->v[d->n].line = root->line;
	d->v[d->n++].col = root->col;
	return 0;
}

/* Make the model's top-level keys globals and lib.lua's table `lib`. */
static int setup_globals(lua_State *L, const struct tmpl_set *ts, json_t *model,
			 struct diag_list *dl)
{
	const char *k;
	json_t *v;

	json_object_foreach(model, k, v) {
		if (json_is_null(v))
			continue;
		if (luahost_try_push_json_without_nulls(L, v, "template", dl) < 0)
			return -1;
		luahost_setglobal(L, k);
	}
	if (ts->lib) {
		char chunk[1024];
		size_t first = dl->n;
		struct chunk lib = { &as_lib, ts->lib, ts->liblen };
		struct diag_pos at = { ts->libname, 1, 1 };
		snprintf(chunk, sizeof chunk, "@%s", ts->libname);
		luahost_set_where(L, at, "the templates' library", NULL);
		if (load_chunk(L, &lib, chunk, dl) < 0 ||
		    luahost_pcall(L, 0, 1, "template", dl) < 0) {
			for (size_t i = first; i < dl->n; i++)
				if (!dl->v[i].pos.file)	/* out of memory: no Lua frame named */
					dl->v[i].pos.file = ts->libname;
			return -1;
		}
		if (!lua_istable(L, -1)) {
			struct diag_pos pos = { ts->libname, 0, 0 };
			lua_pop(L, 1);
			return diag_addf(dl, DIAG_ERROR, "template", pos, "lib.lua must return a table");
		}
		luahost_setglobal(L, "lib");
	}
	return 0;
}

/*
** Why one state for every app: creating and closing a state per app (its
** standard library, its allocator's chunks mapped, faulted in and unmapped)
** was a third of a run.  What an app can leave behind in a state is what
** setup_globals puts in the globals table: each chunk (lib.lua, every
** expression) writes globals into an _ENV of its own, and the libraries are
** read-only.  So the globals as luahost_new made them are kept in the
** registry, and put back before the next app.
*/
static const char pristine_key = 'p';

static void save_globals(lua_State *L)
{
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -5);
	}
	lua_pop(L, 1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &pristine_key);
}

/* Every global back to its saved value (nil if it had none). */
static void restore_globals(lua_State *L)
{
	lua_settop(L, 0);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &pristine_key);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	lua_pushnil(L);
	while (lua_next(L, 2)) {		/* assigning existing fields is allowed */
		lua_pushvalue(L, -2);
		lua_rawget(L, 1);		/* key, value, saved value */
		if (!lua_rawequal(L, -1, -2)) {
			lua_pushvalue(L, -3);
			lua_insert(L, -2);
			lua_rawset(L, 2);
			lua_pop(L, 1);
		} else
			lua_pop(L, 2);
	}
	lua_pushnil(L);
	while (lua_next(L, 1)) {		/* any saved one that was removed */
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, 2);
	}
	lua_settop(L, 0);
}

static lua_State *app_state(struct tmpl_set *ts)
{
	struct luahost_limits lim = { .mem_bytes = TMPL_MEM };

	if (ts->L) {
		restore_globals(ts->L);
		return ts->L;
	}
	ts->L = luahost_new(&lim, ts->verbose);
	if (ts->L && luahost_deterministic(ts->L) < 0) {
		luahost_close(ts->L);
		ts->L = NULL;
	}
	if (ts->L)
		save_globals(ts->L);
	return ts->L;
}

int tmpl_render(struct tmpl_set *ts, json_t *model, struct tmpl_docs *out,
		struct diag_list *dl)
{
	lua_State *L = app_state(ts);
	size_t left = TMPL_OUT;
	int rc = 0;

	if (L == NULL) {
		struct diag_pos pos = { NULL, 0, 0 };
		return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	}
	luahost_share_begin(L, TMPL_APP_INSNS, TMPL_APP_MS, TMPL_APP_WHAT);
	if (setup_globals(L, ts, model, dl) < 0) {
		rc = -1;
		goto out_close;
	}
	for (size_t i = 0; i < ts->n; i++) {
		const struct tmpl_file *f = &ts->v[i];
		for (size_t d = 0; d < f->ys.ndocs; d++) {
			json_t *doc = NULL;
			if (render_doc(L, f->name, f->ys.docs[d].root, &left, &doc, dl) < 0) {
				rc = -1;
				/* one budget per app, not per expression or document */
				if (luahost_spent(L) || left == 0)
					goto out_close;
			} else if (doc != NULL && docs_add(out, doc, f->name, f->ys.docs[d].root) < 0)
				rc = -1;
		}
	}
out_close:
	luahost_share_end(L);
	if (rc < 0) {	/* whatever state a failure left, the next app starts afresh */
		luahost_close(L);
		ts->L = NULL;
	}
	return rc;
}

/* }}} */
