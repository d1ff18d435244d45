/*
** lx_base.c: sandbox replacements for a few standard functions: a quiet
** print, setmetatable without __gc, rawset that respects read-only proxies,
** and string/table functions whose C loops are otherwise unbounded.
*/
#include <stdio.h>

#include <lauxlib.h>

#include "lx.h"

/* print(...): tab-separated to stderr, only when the host is verbose. */
static int l_print(lua_State *L)
{
	int n = lua_gettop(L);

	if (!lx_verbose(L))
		return 0;
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);

		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	fflush(stderr);
	return 0;
}

/*
** setmetatable(t, mt): a __gc would run whenever the collector likes, outside
** any budget (even in lua_close), so metatables carrying one are refused.
*/
static int l_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_argerror(L, 2, "'__gc' metamethods are not allowed");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* rawset(t, k, v): refuses the read-only proxies it would otherwise fill. */
static int l_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	if (lx_is_readonly(L, 1))
		return luaL_argerror(L, 1, "table is read-only");
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/*
** xpcall(f, handler, ...): a budget error is raised inside the count hook,
** where Lua disables hooks until the error is caught, so a Lua handler run
** for it would run unbudgeted.  Once the budget is spent the handler is
** skipped and the error passes through unchanged.
*/
static int xpcall_handler(lua_State *L)
{
	if (lx_exhausted(L))
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int l_xpcall(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, xpcall_handler, 1);
	lua_replace(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* string.rep: Lua's loops n times even when each copy is empty. */
static int l_rep(lua_State *L)
{
	size_t l, lsep = 0;

	luaL_checklstring(L, 1, &l);
	luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	if (l + lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/*
** string.find/match/gsub: Lua patterns backtrack inside one C call, where
** the count hook cannot see it.  A loop of slow calls is stopped by looking
** at the clock after each; a single call that does not return is ended by
** luahost's watchdog (the process exits 2).
*/
static int l_pattern(lua_State *L)
{
	int n;

	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	n = lua_gettop(L);
	lx_check_clock(L);
	return n;
}

/* table.move(a1, f, e, t [, a2]): the copy loop is charged to the budget. */
static int l_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);

	if (e >= f) {		/* e - f + 1 in unsigned arithmetic: no overflow */
		lua_Unsigned span = (lua_Unsigned)e - (lua_Unsigned)f;

		lx_charge(L, span < (lua_Unsigned)LUA_MAXINTEGER ?
			  (lua_Integer)span + 1 : LUA_MAXINTEGER);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/*
** table.insert and table.remove, re-done so the shifting loop is charged:
** a __len metamethod could otherwise claim a length of 2^62.
*/
static int l_insert(lua_State *L)
{
	lua_Integer e, pos;

	luaL_checktype(L, 1, LUA_TTABLE);
	e = luaL_len(L, 1) + 1;		/* first empty slot */
	switch (lua_gettop(L)) {
	case 2:
		lua_seti(L, 1, e);
		return 0;
	case 3:
		pos = luaL_checkinteger(L, 2);
		luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2,
			      "position out of bounds");
		lx_charge(L, e - pos);
		for (lua_Integer i = e; i > pos; i--) {
			lua_geti(L, 1, i - 1);
			lua_seti(L, 1, i);
		}
		lua_seti(L, 1, pos);
		return 0;
	default:
		return luaL_error(L, "wrong number of arguments to 'insert'");
	}
}

static int l_remove(lua_State *L)
{
	lua_Integer size, pos;

	luaL_checktype(L, 1, LUA_TTABLE);
	size = luaL_len(L, 1);
	pos = luaL_optinteger(L, 2, size);
	if (pos != size)
		luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2,
			      "position out of bounds");
	if (pos < size)
		lx_charge(L, size - pos);
	lua_geti(L, 1, pos);
	for (; pos < size; pos++) {
		lua_geti(L, 1, pos + 1);
		lua_seti(L, 1, pos);
	}
	lua_pushnil(L);
	lua_seti(L, 1, pos);
	return 1;
}

/* Replace t[name] by f, giving f the old value as upvalue 1 when `wrap`. */
static void replace(lua_State *L, int t, const char *name, lua_CFunction f,
		    bool wrap)
{
	t = lua_absindex(L, t);
	if (wrap) {
		lua_getfield(L, t, name);
		lua_pushcclosure(L, f, 1);
	} else {
		lua_pushcfunction(L, f);
	}
	lua_setfield(L, t, name);
}

void lx_patch_libs(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	replace(L, -1, "print", l_print, false);
	replace(L, -1, "setmetatable", l_setmetatable, true);
	replace(L, -1, "rawset", l_rawset, false);
	replace(L, -1, "xpcall", l_xpcall, true);
	lua_getfield(L, -1, "string");
	replace(L, -1, "rep", l_rep, true);
	replace(L, -1, "find", l_pattern, true);
	replace(L, -1, "match", l_pattern, true);
	replace(L, -1, "gsub", l_pattern, true);
	lua_pop(L, 1);
	lua_getfield(L, -1, "table");
	replace(L, -1, "move", l_move, true);
	replace(L, -1, "insert", l_insert, false);
	replace(L, -1, "remove", l_remove, false);
	lua_pop(L, 2);
}
