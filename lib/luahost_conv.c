/*
** luahost_conv.c: conversions between our document models and Lua values:
** ynode -> Lua (the linter's hot path), jansson -> Lua, and Lua -> jansson
** (template results, rule output).  Part of the luahost module.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "luahost.h"
#include "lx.h"

#define PUSH_MAX_DEPTH	1024	/* ydoc stops at YDOC_MAX_DEPTH (512) */
#define JSON_MAX_DEPTH	512	/* luahost_to_json */

/* {====== ynode -> Lua */

static char doc_index_key, doc_owner_key;	/* in a document's metatable */

/*
** Stack slots from `base`: the memo (nil until a shared node needs it), and
** for a document (luahost_push_doc) its two metatables, each nil until a
** table needs it: the one of its tables and the one of its empty sequences.
*/
enum { YP_MEMO, YP_MT, YP_ARRAY_MT, YP_SLOTS };

struct ypush {
	lua_State *L;
	int base;		/* stack index of the slots */
	bool doc;		/* anchor every table to the top one (luahost_push_doc) */
	int root;		/* stack index of the top table, once made */
	int owner;		/* stack index of the document's owner */
	lua_Integer index;	/* the document's index */
	int depth;
};

static void push_ynode_rec(struct ypush *c, const struct ynode *n);

/* The loader flags alias targets: only those are memoised (node -> table). */
static bool memo_get(struct ypush *c, const struct ynode *n)
{
	lua_State *L = c->L;

	if (lua_isnil(L, c->base + YP_MEMO)) {
		luaL_checkstack(L, 2, "document nested too deeply");
		lua_newtable(L);
		lua_replace(L, c->base + YP_MEMO);
		return false;
	}
	if (lua_rawgetp(L, c->base + YP_MEMO, n) != LUA_TNIL)
		return true;
	lua_pop(L, 1);
	return false;
}

/*
** Give the new table on top its document's metatable, made with the first
** table that needs it (the top table is the first made).  The metatable
** holds the top table, so whatever holds any table of a document holds the
** whole; __metatable keeps it from Lua code (getmetatable gives false,
** setmetatable raises).  An empty sequence's also says "array", as the
** sk.array marker does.
*/
static void set_doc_mt(struct ypush *c, bool array)
{
	lua_State *L = c->L;
	int slot = c->base + (array ? YP_ARRAY_MT : YP_MT);

	if (!c->root)
		c->root = lua_gettop(L);
	if (lua_isnil(L, slot)) {
		lua_createtable(L, 0, 5);
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_pushvalue(L, c->root);
		lua_rawsetp(L, -2, &lx_doc_key);
		lua_pushinteger(L, c->index);
		lua_rawsetp(L, -2, &doc_index_key);
		lua_pushvalue(L, c->owner);
		lua_rawsetp(L, -2, &doc_owner_key);
		if (array) {
			lua_pushboolean(L, 1);
			lua_rawsetp(L, -2, &lx_array_key);
		}
		lua_replace(L, slot);
	}
	lua_pushvalue(L, slot);
	lua_setmetatable(L, -2);
}

/* The new table on top: a document's metatable, or for an empty sequence
** elsewhere the sk.array marker. */
static void set_mt(struct ypush *c, bool empty_seq)
{
	if (c->doc)
		set_doc_mt(c, empty_seq);
	else if (empty_seq)
		lx_mark_array(c->L, -1);
}

static void push_collection(struct ypush *c, const struct ynode *n)
{
	lua_State *L = c->L;
	bool shared = n->flags & YNF_SHARED;

	if (shared && memo_get(c, n))
		return;
	if (++c->depth > PUSH_MAX_DEPTH)
		luaL_error(L, "document nested too deeply (more than %d levels)",
			   PUSH_MAX_DEPTH);
	luaL_checkstack(L, 8, "document nested too deeply");
	if (n->type == YN_SEQ) {
		size_t len = n->u.seq.n;

		lua_createtable(L, len < INT32_MAX ? (int)len : 0, 0);
		set_mt(c, len == 0);
		for (size_t i = 0; i < len; i++) {
			push_ynode_rec(c, n->u.seq.v[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else {
		size_t len = n->u.map.n;

		lua_createtable(L, 0, len < INT32_MAX ? (int)len : 0);
		set_mt(c, false);
		for (size_t i = 0; i < len; i++) {
			const struct ynode *k = n->u.map.v[i].key;

			lua_pushlstring(L, k->text, k->len);
			push_ynode_rec(c, n->u.map.v[i].val);
			lua_rawset(L, -3);
		}
	}
	if (shared) {	/* aliases cannot contain themselves (ydoc refuses) */
		lua_pushvalue(L, -1);
		lua_rawsetp(L, c->base + YP_MEMO, n);
	}
	c->depth--;
}

static void push_ynode_rec(struct ypush *c, const struct ynode *n)
{
	lua_State *L = c->L;

	switch (n->type) {
	case YN_NULL:
		lua_pushlightuserdata(L, LX_NULL);
		break;
	case YN_BOOL:
		lua_pushboolean(L, n->u.b);
		break;
	case YN_INT:
		lua_pushinteger(L, (lua_Integer)n->u.i);
		break;
	case YN_FLOAT:
		lua_pushnumber(L, n->u.f);
		break;
	case YN_STR:
		lua_pushlstring(L, n->text, n->len);
		break;
	default:
		push_collection(c, n);
	}
}

static void push_ynode_top(struct ypush *c, const struct ynode *n)
{
	lua_State *L = c->L;

	luaL_checkstack(L, YP_SLOTS + 1, "out of stack space");
	for (int i = 0; i < YP_SLOTS; i++)
		lua_pushnil(L);
	push_ynode_rec(c, n);
	lua_replace(L, c->base);
	lua_settop(L, c->base);
}

void luahost_push_doc(lua_State *L, const struct ynode *n, bool first,
		      lua_Integer index, int owner)
{
	struct ypush c = { L, lua_gettop(L) + 1, true, 0, lua_absindex(L, owner),
			   index, 0 };
	size_t mark = lx_convert_begin(L);

	push_ynode_top(&c, n);
	lx_convert_end(L, mark, first);
}

void luahost_push_ynode(lua_State *L, const struct ynode *n)
{
	struct ypush c = { L, lua_gettop(L) + 1, false, 0, 0, 0, 0 };
	size_t mark = lx_convert_begin(L);

	push_ynode_top(&c, n);
	lx_convert_end(L, mark, true);
}

enum luahost_mt luahost_metatable_kind(lua_State *L, int idx)
{
	enum luahost_mt k = LUAHOST_MT_OTHER;

	luaL_checkstack(L, 3, "out of stack space");
	if (!lua_getmetatable(L, idx))
		return LUAHOST_MT_NONE;
	if (lua_rawgetp(L, -1, &lx_array_key) != LUA_TNIL)
		k = LUAHOST_MT_ARRAY;
	else if (lua_rawgetp(L, -2, &lx_doc_key) != LUA_TNIL)
		k = LUAHOST_MT_DOC;
	lua_pop(L, k == LUAHOST_MT_ARRAY ? 2 : 3);
	return k;
}

lua_Integer luahost_doc_index(lua_State *L, int idx, int owner)
{
	int top = lua_gettop(L);
	lua_Integer d = -1;

	idx = lua_absindex(L, idx);
	owner = lua_absindex(L, owner);
	luaL_checkstack(L, 4, "out of stack space");
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return -1;
	if (lua_rawgetp(L, -1, &lx_doc_key) == LUA_TTABLE && lua_rawequal(L, -1, idx) &&
	    lua_rawgetp(L, -2, &doc_owner_key) != LUA_TNIL && lua_rawequal(L, -1, owner) &&
	    lua_rawgetp(L, -3, &doc_index_key) == LUA_TNUMBER)
		d = lua_tointeger(L, -1);
	lua_settop(L, top);
	return d;
}

/* }====== */

/* {====== jansson -> Lua */

struct jpush {
	lua_State *L;
	int memo;		/* stack index: shared value -> its table; 0 = none */
	int depth;
	bool no_nulls;		/* leave out object members that are null */
};

static void push_json_rec(struct jpush *c, json_t *j);

static void push_json_collection(struct jpush *c, json_t *j)
{
	lua_State *L = c->L;
	bool shared = c->memo && j->refcount > 1;

	if (shared && lua_rawgetp(L, c->memo, j) != LUA_TNIL)
		return;
	if (shared)
		lua_pop(L, 1);
	if (++c->depth > PUSH_MAX_DEPTH)
		luaL_error(L, "value nested too deeply (more than %d levels)",
			   PUSH_MAX_DEPTH);
	luaL_checkstack(L, 4, "value nested too deeply");
	if (json_is_array(j)) {
		size_t len = json_array_size(j);

		lua_createtable(L, len < INT32_MAX ? (int)len : 0, 0);
		if (len == 0)
			lx_mark_array(L, -1);
		for (size_t i = 0; i < len; i++) {
			push_json_rec(c, json_array_get(j, i));
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
	} else {
		const char *key;
		size_t klen, len = json_object_size(j);
		json_t *v;

		if (c->no_nulls)	/* the same table as for a copy without them */
			json_object_foreach(j, key, v)
				len -= json_is_null(v);
		lua_createtable(L, 0, len < INT32_MAX ? (int)len : 0);
		json_object_keylen_foreach(j, key, klen, v) {
			if (c->no_nulls && json_is_null(v))
				continue;
			lua_pushlstring(L, key, klen);
			push_json_rec(c, v);
			lua_rawset(L, -3);
		}
	}
	if (shared) {
		lua_pushvalue(L, -1);
		lua_rawsetp(L, c->memo, j);
	}
	c->depth--;
}

static void push_json_rec(struct jpush *c, json_t *j)
{
	lua_State *L = c->L;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		push_json_collection(c, j);
		break;
	case JSON_STRING:
		lua_pushlstring(L, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		lua_pushinteger(L, (lua_Integer)json_integer_value(j));
		break;
	case JSON_REAL:
		lua_pushnumber(L, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		lua_pushboolean(L, json_is_true(j));
		break;
	default:
		lua_pushlightuserdata(L, LX_NULL);
	}
}

void luahost_push_json(lua_State *L, json_t *j)
{
	struct jpush c = { L, 0, 0, false };

	if (!j) {
		lua_pushlightuserdata(L, LX_NULL);
		return;
	}
	luaL_checkstack(L, 4, "cannot push value");
	lua_newtable(L);
	c.memo = lua_gettop(L);
	push_json_rec(&c, j);
	lua_remove(L, c.memo);
}

/*
** As luahost_push_json(L, copy) would, where copy is j with every null
** object member left out, at any depth, and no container shared: so nothing
** is memoised, and each table is made with the size the copy's would have.
*/
static void push_json_without_nulls(lua_State *L, json_t *j)
{
	struct jpush c = { L, 0, 0, true };

	if (!j) {
		lua_pushlightuserdata(L, LX_NULL);
		return;
	}
	luaL_checkstack(L, 4, "cannot push value");
	push_json_rec(&c, j);
}

/* }====== */

/* {====== Lua -> jansson */

/*
** No Lua allocation happens here (raw reads and lua_next only), so nothing
** can longjmp past the json_t under construction: plain C error returns.
*/

struct tj_slot {
	const void *key;	/* a table's address */
	json_t *val;		/* borrowed: owned by the tree being built */
	size_t weight;		/* what it cost, charged again where it is seen again */
	bool done;		/* false while converting it: seeing it again is a cycle */
};

struct tj_pair {
	const char *key;	/* borrowed from the Lua table */
	size_t len;
	json_t *val;		/* owned until inserted */
};

struct tojson {
	lua_State *L;
	struct tj_slot *slots;	/* open addressing, power-of-two size */
	size_t cap, used;
	struct tj_pair *pairs;	/* scratch stack of object members */
	size_t npairs, palloc;
	size_t left;		/* budget: the value written out, shared tables expanded */
	const char *err;	/* static */
};

static size_t tj_hash(const void *p, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 32) & (cap - 1);
}

static struct tj_slot *tj_find(struct tojson *c, const void *key)
{
	if (!c->cap)
		return NULL;
	for (size_t i = tj_hash(key, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (c->slots[i].key == key)
			return &c->slots[i];
		if (!c->slots[i].key)
			return NULL;
	}
}

static struct tj_slot *tj_add(struct tojson *c, const void *key, json_t *val)
{
	size_t i;

	if (2 * (c->used + 1) > c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		struct tj_slot *ns = calloc(ncap, sizeof(*ns)), *old = c->slots;

		if (!ns)
			return NULL;
		for (size_t k = 0; k < c->cap; k++) {
			if (!old[k].key)
				continue;
			for (i = tj_hash(old[k].key, ncap); ns[i].key; i = (i + 1) & (ncap - 1))
				;
			ns[i] = old[k];
		}
		free(old);
		c->slots = ns;
		c->cap = ncap;
	}
	for (i = tj_hash(key, c->cap); c->slots[i].key; i = (i + 1) & (c->cap - 1))
		;
	c->slots[i].key = key;
	c->slots[i].val = val;
	c->slots[i].done = false;
	c->used++;
	return &c->slots[i];
}

static bool tj_push_pair(struct tojson *c, const char *key, size_t len, json_t *v)
{
	if (c->npairs == c->palloc) {
		size_t n = c->palloc ? 2 * c->palloc : 32;
		struct tj_pair *np = realloc(c->pairs, n * sizeof(*np));

		if (!np)
			return false;
		c->pairs = np;
		c->palloc = n;
	}
	c->pairs[c->npairs].key = key;
	c->pairs[c->npairs].len = len;
	c->pairs[c->npairs++].val = v;
	return true;
}

static int cmp_pairs(const void *pa, const void *pb)
{
	const struct tj_pair *a = pa, *b = pb;
	int r = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);

	return r ? r : (a->len > b->len) - (a->len < b->len);
}

static json_t *conv(struct tojson *c, int idx, int depth);

static json_t *fail(struct tojson *c, const char *err)
{
	if (!c->err)
		c->err = err;
	return NULL;
}

const char luahost_too_large[] = "too large (the output budget is spent)";

/* Spend `w` of the budget, or fail without spending any. */
static bool charge(struct tojson *c, size_t w)
{
	if (w > c->left)
		return fail(c, luahost_too_large);
	c->left -= w;
	return true;
}

static bool is_marked_array(lua_State *L, int idx)
{
	bool marked;

	if (!lua_getmetatable(L, idx))
		return false;
	marked = lua_rawgetp(L, -1, &lx_array_key) != LUA_TNIL;
	lua_pop(L, 2);
	return marked;
}

static bool fill_array(struct tojson *c, json_t *arr, int idx, lua_Integer n, int depth)
{
	for (lua_Integer i = 1; i <= n; i++) {
		json_t *v;

		lua_rawgeti(c->L, idx, i);
		v = conv(c, lua_gettop(c->L), depth + 1);
		lua_pop(c->L, 1);
		if (!v || json_array_append_new(arr, v) < 0)
			return fail(c, "out of memory");
	}
	return true;
}

static bool fill_object(struct tojson *c, json_t *obj, int idx, int depth)
{
	size_t base = c->npairs, i;
	bool ok = true;

	lua_pushnil(c->L);
	while (ok && lua_next(c->L, idx)) {
		size_t len;
		const char *key = lua_tolstring(c->L, -2, &len);	/* a string */
		json_t *v = charge(c, len) ? conv(c, lua_gettop(c->L), depth + 1) : NULL;

		ok = v && tj_push_pair(c, key, len, v);
		if (v && !ok)
			json_decref(v);
		lua_pop(c->L, ok ? 1 : 2);
	}
	if (c->npairs > base)
		qsort(c->pairs + base, c->npairs - base, sizeof(*c->pairs), cmp_pairs);
	for (i = base; ok && i < c->npairs; i++)
		if (json_object_setn_new(obj, c->pairs[i].key, c->pairs[i].len,
					 c->pairs[i].val) < 0)
			ok = fail(c, "object key is not valid UTF-8");
	for (; i < c->npairs; i++)
		json_decref(c->pairs[i].val);
	c->npairs = base;
	return ok || fail(c, "out of memory");
}

/* Classify: array (keys exactly 1..n, or marked), object (string keys). */
static json_t *conv_table(struct tojson *c, int idx, int depth)
{
	lua_State *L = c->L;
	const void *self = lua_topointer(L, idx);
	struct tj_slot *slot = tj_find(c, self);
	lua_Integer n = 0, maxk = 0;
	bool seq = true, strings = true, marked, ok;
	size_t before = c->left;
	json_t *out;

	if (slot && !slot->done)
		return fail(c, "table is cyclic");
	if (slot)	/* shared, but written out (and charged) once per place */
		return charge(c, slot->weight) ? json_incref(slot->val) : NULL;
	if (depth >= JSON_MAX_DEPTH)
		return fail(c, "value nested too deeply (more than 512 levels)");
	if (!lua_checkstack(L, 4))
		return fail(c, "value nested too deeply");
	if (lx_push_real(L, idx)) {	/* a read-only proxy: convert what it reads */
		out = conv_table(c, lua_gettop(L), depth);
		lua_pop(L, 1);
		return out;
	}
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		n++;
		if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1) {
			if (lua_tointeger(L, -2) > maxk)
				maxk = lua_tointeger(L, -2);
		} else {
			seq = false;
		}
		strings = strings && lua_type(L, -2) == LUA_TSTRING;
		lua_pop(L, 1);
	}
	marked = is_marked_array(L, idx);
	seq = seq && maxk == n && (n > 0 || marked);
	if (marked && !seq && n > 0)
		return fail(c, "table marked as an array has keys other than 1..n");
	if (!seq && !strings)
		return fail(c, "table mixes array and map keys, or has holes");
	out = seq ? json_array() : json_object();
	if (!out)
		return fail(c, "out of memory");
	slot = tj_add(c, self, out);
	if (!slot) {
		json_decref(out);
		return fail(c, "out of memory");
	}
	ok = seq ? fill_array(c, out, idx, n, depth) : fill_object(c, out, idx, depth);
	if (!ok) {
		json_decref(out);
		return NULL;
	}
	slot = tj_find(c, self);	/* it may have moved */
	slot->done = true;
	slot->weight = before - c->left;
	return out;
}

static json_t *conv(struct tojson *c, int idx, int depth)
{
	lua_State *L = c->L;
	json_t *v;

	if (!charge(c, LUAHOST_VALUE_COST))
		return NULL;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return json_null();
	case LUA_TBOOLEAN:
		return json_boolean(lua_toboolean(L, idx));
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			v = json_integer((json_int_t)lua_tointeger(L, idx));
		else if (isfinite(lua_tonumber(L, idx)))
			v = json_real(lua_tonumber(L, idx));
		else
			return fail(c, "cannot convert nan or inf to json");
		return v ? v : fail(c, "out of memory");
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);

		if (!charge(c, len))
			return NULL;
		v = json_stringn(s, len);
		return v ? v : fail(c, "string is not valid UTF-8");
	}
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, idx) == LX_NULL)
			return json_null();
		return fail(c, "cannot convert a userdata to json");
	case LUA_TTABLE:
		return conv_table(c, idx, depth);
	case LUA_TFUNCTION:
		return fail(c, "cannot convert a function to json");
	case LUA_TTHREAD:
		return fail(c, "cannot convert a thread to json");
	default:
		return fail(c, "cannot convert a userdata to json");
	}
}

json_t *luahost_to_json(lua_State *L, int idx, size_t *budget, const char **err)
{
	struct tojson c;
	json_t *out;

	memset(&c, 0, sizeof(c));
	c.L = L;
	c.left = budget ? *budget : SIZE_MAX;
	out = conv(&c, lua_absindex(L, idx), 0);
	if (out && budget)
		*budget = c.left;
	free(c.slots);
	free(c.pairs);
	if (!out && err)
		*err = c.err ? c.err : "out of memory";
	return out;
}

/* }====== */

/* {====== protected pushes */

struct push_args {
	const struct ynode *n;
	json_t *j;
	bool no_nulls;
};

static int push_protected(lua_State *L)
{
	struct push_args *a = lua_touserdata(L, 1);

	if (a->n)
		luahost_push_ynode(L, a->n);
	else if (a->no_nulls)
		push_json_without_nulls(L, a->j);
	else
		luahost_push_json(L, a->j);
	return 1;
}

int luahost_try_push_ynode(lua_State *L, const struct ynode *n,
			   const char *code, struct diag_list *dl)
{
	struct push_args a = { n, NULL, false };

	return luahost_cpcall(L, push_protected, &a, 1, code, dl);
}

int luahost_try_push_json(lua_State *L, json_t *j, const char *code,
			  struct diag_list *dl)
{
	struct push_args a = { NULL, j, false };

	return luahost_cpcall(L, push_protected, &a, 1, code, dl);
}

int luahost_try_push_json_without_nulls(lua_State *L, json_t *j, const char *code,
					struct diag_list *dl)
{
	struct push_args a = { NULL, j, true };

	return luahost_cpcall(L, push_protected, &a, 1, code, dl);
}

/* }====== */
