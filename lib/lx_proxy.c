/*
** lx_proxy.c: read-only proxy tables, the way the sandbox shares tables
** (libraries, host globals) between chunks that must not change them.
*/
#include <lauxlib.h>

#include "lx.h"

/*
** Read-only proxies: an empty table whose metatable reads from the real
** one.  Library proxies are shallow (their values are functions); proxies
** made by luahost_setglobal are deep: a table read through one comes back
** as a proxy too (one per table, cached weakly), so shared data cannot be
** changed by a script.  Closures keep (real, name) as upvalues.
*/
static char proxy_cache_key;		/* registry: real table -> its proxy (weak) */
static char ro_key;			/* in a proxy's metatable: the real table */

static int ro_newindex(lua_State *L)
{
	return luaL_error(L, "cannot modify read-only table '%s'",
			  lua_tostring(L, lua_upvalueindex(2)));
}

static int ro_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
	return 1;
}

/* Replace the table on top by its deep proxy.  [-1, +1, m] */
static void wrap_top(lua_State *L, const char *name)
{
	if (lua_type(L, -1) != LUA_TTABLE || lx_is_readonly(L, -1))
		return;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &proxy_cache_key);
	lua_pushvalue(L, -2);
	if (lua_rawget(L, -2) != LUA_TTABLE) {
		lua_pop(L, 1);
		lx_push_proxy(L, -2, name, true);
		lua_pushvalue(L, -3);
		lua_pushvalue(L, -2);
		lua_rawset(L, -4);
	}
	lua_replace(L, -3);
	lua_pop(L, 1);
}

static int ro_index_deep(lua_State *L)
{
	lua_settop(L, 2);
	lua_gettable(L, lua_upvalueindex(1));
	wrap_top(L, lua_tostring(L, lua_upvalueindex(2)));
	return 1;
}

/*
** __pairs: the real table's keys in key order (lx_sorted_pairs), its
** values read through the proxy, so a deep one wraps them.  The order of
** next() changes from run to run (Lua seeds its string hash at random), and
** a template that iterates the model must write the same bytes every run.
*/
static int ro_pairs(lua_State *L)
{
	lua_settop(L, 1);
	lx_sorted_pairs(L);		/* the iterator, above the proxy */
	lua_pushvalue(L, 1);		/* pairs' usual triple: f, the proxy, nil */
	lua_pushnil(L);
	return 3;
}

/* Set mt[field] to a closure of f over (real, name). */
static void set_ro_closure(lua_State *L, int real, const char *name,
			   const char *field, lua_CFunction f)
{
	lua_pushvalue(L, real);
	lua_pushstring(L, name);
	lua_pushcclosure(L, f, 2);
	lua_setfield(L, -2, field);
}

void lx_push_proxy(lua_State *L, int real, const char *name, bool deep)
{
	real = lua_absindex(L, real);
	lua_newtable(L);
	lua_createtable(L, 0, 6);
	if (deep) {
		set_ro_closure(L, real, name, "__index", ro_index_deep);
	} else {
		lua_pushvalue(L, real);
		lua_setfield(L, -2, "__index");
	}
	set_ro_closure(L, real, name, "__newindex", ro_newindex);
	lua_pushcfunction(L, ro_pairs);
	lua_setfield(L, -2, "__pairs");
	set_ro_closure(L, real, name, "__len", ro_len);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pushvalue(L, real);
	lua_rawsetp(L, -2, &ro_key);
	lua_setmetatable(L, -2);
}

bool lx_is_readonly(lua_State *L, int idx)
{
	bool ro;

	if (!lua_getmetatable(L, idx))
		return false;
	ro = lua_rawgetp(L, -1, &ro_key) != LUA_TNIL;
	lua_pop(L, 2);
	return ro;
}

bool lx_push_real(lua_State *L, int idx)
{
	if (!lua_getmetatable(L, idx))
		return false;
	if (lua_rawgetp(L, -1, &ro_key) != LUA_TTABLE) {
		lua_pop(L, 2);
		return false;
	}
	lua_remove(L, -2);
	return true;
}

void lx_proxy_init(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &proxy_cache_key);
}
