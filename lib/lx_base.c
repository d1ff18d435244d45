/*
** lx_base.c: sandbox replacements for a few standard functions: a quiet
** print, setmetatable without __gc, rawset that respects read-only proxies,
** and string/table functions whose C loops are otherwise unbounded.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lx.h"

/*
** print(...): tab-separated to stderr, only when the host is verbose, and
** only its first LX_PRINT_MAX bytes in a state.
*/
static int l_print(lua_State *L)
{
	int n = lua_gettop(L), room;
	size_t total = 1;

	if (!lx_verbose(L) || !lx_print_room(L, 0))	/* past the cap: nothing more */
		return 0;
	for (int i = 1; i <= n; i++) {	/* the length first: written whole or not */
		size_t len;

		luaL_tolstring(L, i, &len);
		lua_pop(L, 1);
		total += len + (i > 1);
	}
	if ((room = lx_print_room(L, total)) <= 0) {
		if (room < 0)
			fprintf(stderr, "[print: more than %zu bytes printed; the rest is "
				"not shown]\n", LX_PRINT_MAX);
		return 0;
	}
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

/* Call the function a wrapper replaced (upvalue 1) with the arguments; its results. */
static int call_wrapped(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
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
	return call_wrapped(L);
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
	return call_wrapped(L);	/* Lua keeps one result of a message handler */
}

static int l_xpcall(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, xpcall_handler, 1);
	lua_replace(L, 2);
	return call_wrapped(L);
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
	return call_wrapped(L);
}

/*
** C loops over a string that allocate nothing are charged a unit per 16
** bytes they cover, as luahost charges what C functions allocate.  A loop
** calling utf8.len on a 10 MB string ran 5 instructions a call: the count
** hook looked at the clock every 2,000 calls, 10 s apart.  Only the bytes a
** call covers are charged (from its start position; find: to its match),
** so a tokenizer stepping through a long string with s:find(p, i) and
** s:byte(i) pays for the string once, not once per call.  The string is
** checked here, where Lua can name the function in an error (called from
** C, the original is "?").
*/
#define SCAN_BYTES 16
/*
** ... and a unit per byte where the C loop does per-byte work (decoding
** UTF-8, pushing a value): utf8.len over 4 MiB at a unit per 16 bytes ran
** 1.6-2.4 s of CPU before the budget ended it, string.byte and
** utf8.codepoint over 0.9 MB 2.4 and 3.2 s, where a plain Lua loop stops
** in 0.2 s.
*/
#define DECODE_BYTES 1

/* Lua's string positions: a start (posrelatI) and an end (getendpos). */
static size_t start_pos(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

static size_t end_pos(lua_Integer pos, size_t len)
{
	if (pos > (lua_Integer)len)
		return len;
	if (pos >= 0)
		return (size_t)pos;
	if (pos < -(lua_Integer)len)
		return 0;
	return len + (size_t)pos + 1;
}

static void charge_span(lua_State *L, size_t i, size_t j, size_t per)
{
	lx_charge(L, (lua_Integer)((j >= i ? j - i + 1 : 0) / per) + 1);
}

/* string.byte(s, i, j) and utf8.codepoint(s, i, j): i defaults to 1, j to i */
static int l_bytes(lua_State *L)
{
	size_t len;
	lua_Integer i;

	luaL_checklstring(L, 1, &len);
	i = luaL_optinteger(L, 2, 1);
	charge_span(L, start_pos(i, len), end_pos(luaL_optinteger(L, 3, i), len),
		    DECODE_BYTES);
	return call_wrapped(L);
}

/* utf8.len(s, i, j): i defaults to 1, j to -1 */
static int l_utf8_len(lua_State *L)
{
	size_t len;

	luaL_checklstring(L, 1, &len);
	charge_span(L, start_pos(luaL_optinteger(L, 2, 1), len),
		    end_pos(luaL_optinteger(L, 3, -1), len), DECODE_BYTES);
	return call_wrapped(L);
}

/* utf8.offset(s, n, i): steps over |n| characters of at most 4 bytes */
static int l_utf8_offset(lua_State *L)
{
	size_t len;
	lua_Integer n;
	lua_Unsigned steps;

	luaL_checklstring(L, 1, &len);
	n = luaL_checkinteger(L, 2);
	steps = n < 0 ? (lua_Unsigned)0 - (lua_Unsigned)n : (lua_Unsigned)n;
	charge_span(L, 1, steps < len / 4 ? (size_t)steps * 4 + 4 : len, DECODE_BYTES);
	return call_wrapped(L);
}

/*
** string.find/match/gmatch/gsub.  find is charged from its start to the end
** of its match (to the end of the string when it finds nothing), match and
** gmatch from their start, gsub the whole string.  Lua patterns also
** backtrack inside one C call, past what is charged: a loop of slow calls
** is stopped by looking at the clock after each; a single call that does
** not return is ended by luahost's watchdog (the process exits 2).
*/
enum scan { SCAN_FIND, SCAN_FROM_INIT, SCAN_WHOLE };

static int pattern_call(lua_State *L, enum scan how)
{
	size_t len, from = 1;
	int n;

	luaL_checklstring(L, 1, &len);
	luaL_checkstring(L, 2);
	if (how != SCAN_WHOLE && lua_type(L, 3) == LUA_TNUMBER)	/* init */
		from = start_pos(luaL_checkinteger(L, 3), len);
	if (how != SCAN_FIND)
		charge_span(L, from, len, SCAN_BYTES);
	n = call_wrapped(L);
	if (how == SCAN_FIND)	/* start, end of the match; or nil */
		charge_span(L, from, lua_isinteger(L, 2) ? (size_t)lua_tointeger(L, 2) : len,
			    SCAN_BYTES);
	lx_check_clock(L);
	return n;
}

static int l_find(lua_State *L)
{
	return pattern_call(L, SCAN_FIND);
}

static int l_match(lua_State *L)	/* and gmatch */
{
	return pattern_call(L, SCAN_FROM_INIT);
}

static int l_gsub(lua_State *L)
{
	return pattern_call(L, SCAN_WHOLE);
}

/* j - i + 1, or 0 when j < i, in unsigned arithmetic: no overflow */
static lua_Integer span_len(lua_Integer i, lua_Integer j)
{
	lua_Unsigned span = (lua_Unsigned)j - (lua_Unsigned)i;

	if (j < i)
		return 0;
	return span < (lua_Unsigned)LUA_MAXINTEGER ? (lua_Integer)span + 1 : LUA_MAXINTEGER;
}

/* i..j of a list function's arguments (i at `arg`, defaults 1..#t): its length. */
static lua_Integer span_cost(lua_State *L, int arg)
{
	lua_Integer i = luaL_optinteger(L, arg, 1);
	lua_Integer j = lua_isnoneornil(L, arg + 1) ? luaL_len(L, 1) : luaL_checkinteger(L, arg + 1);
	lua_Integer n = span_len(i, j);

	return n ? n : 1;	/* a call costs 1 at least */
}

/* table.concat(t, sep, i, j): a loop over i..j, even when it makes nothing */
static int l_concat(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lx_charge(L, span_cost(L, 3));
	return call_wrapped(L);
}

/* table.unpack(t, i, j): pushes j - i + 1 values */
static int l_unpack(lua_State *L)
{
	lx_charge(L, span_cost(L, 2));
	return call_wrapped(L);
}

/*
** table.sort(t [, comp]): about n log2 n comparisons, made in C without a
** comparator, each charged as SORT_CMP units: comparing two strings is a
** strcoll, some 30 ns (200,000 strings sorted in a loop ran 1.0-1.3 s of
** CPU at one unit a comparison; a plain Lua loop stops in 0.2 s).
*/
#define SORT_CMP 4

static int l_sort(lua_State *L)
{
	lua_Integer n, cost = 1;

	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);	/* a __len may claim 2^62: cost saturates */
	for (lua_Integer k = n; k > 1 && cost <= LUA_MAXINTEGER - n; k >>= 1)
		cost += n;
	cost = cost > LUA_MAXINTEGER / SORT_CMP ? LUA_MAXINTEGER : cost * SORT_CMP;
	lx_charge(L, cost);
	return call_wrapped(L);
}

/* table.move(a1, f, e, t [, a2]): the copy loop is charged to the budget. */
static int l_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);

	lx_charge(L, span_len(f, e));	/* 0 (no copy) is no charge */
	return call_wrapped(L);
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
	replace(L, -1, "find", l_find, true);
	replace(L, -1, "match", l_match, true);
	replace(L, -1, "gmatch", l_match, true);
	replace(L, -1, "gsub", l_gsub, true);
	replace(L, -1, "byte", l_bytes, true);
	lua_pop(L, 1);
	lua_getfield(L, -1, "utf8");
	replace(L, -1, "len", l_utf8_len, true);
	replace(L, -1, "codepoint", l_bytes, true);
	replace(L, -1, "offset", l_utf8_offset, true);
	lua_pop(L, 1);
	lua_getfield(L, -1, "table");
	replace(L, -1, "move", l_move, true);
	replace(L, -1, "insert", l_insert, false);
	replace(L, -1, "remove", l_remove, false);
	replace(L, -1, "concat", l_concat, true);
	replace(L, -1, "unpack", l_unpack, true);
	replace(L, -1, "sort", l_sort, true);
	lua_pop(L, 2);
}

/* {====== determinism (template states) */

/*
** luaL_tolstring without addresses: __tostring if there is one, else a
** table, function, userdata or thread is its type name alone.  [-0, +1, e]
*/
static void push_plain_string(lua_State *L, int i)
{
	switch (lua_type(L, i)) {
	case LUA_TTABLE: case LUA_TFUNCTION: case LUA_TUSERDATA:
	case LUA_TLIGHTUSERDATA: case LUA_TTHREAD:
		if (luaL_getmetafield(L, i, "__tostring") != LUA_TNIL) {
			lua_pop(L, 1);
			luaL_tolstring(L, i, NULL);
		} else {
			lua_pushstring(L, luaL_typename(L, i));
		}
		return;
	default:
		luaL_tolstring(L, i, NULL);
	}
}

static int l_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	push_plain_string(L, 1);
	return 1;
}

/* string.format (upvalue 1) with %s as tostring above, and no %p. */
static int l_format(lua_State *L)
{
	size_t len;
	const char *f = luaL_checklstring(L, 1, &len), *e = f + len;
	int top = lua_gettop(L), arg = 1;

	for (; f < e; f++) {
		if (*f != '%')
			continue;
		if (++f < e && *f == '%')
			continue;
		arg++;
		f += strspn(f, "-+ #0123456789.");	/* stops at the final NUL */
		if (f >= e)
			break;
		if (*f == 'p')
			return luaL_error(L, "'%%p' gives an address, which changes from run to run");
		if (*f == 's' && arg <= top && !lua_isstring(L, arg)) {
			push_plain_string(L, arg);
			lua_replace(L, arg);
		}
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, top, 1);
	return 1;
}

/* pairs(t): t's __pairs if it has one, else t's keys in order. */
static int l_pairs(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	lx_sorted_pairs(L);		/* the iterator, above t */
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static int deterministic(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	replace(L, -1, "pairs", l_pairs, false);
	replace(L, -1, "tostring", l_tostring, false);
	lua_pushnil(L);
	lua_setfield(L, -2, "next");
	lua_getfield(L, -1, LUA_STRLIBNAME);
	if (lx_push_real(L, -1))	/* the string metatable's __index too */
		replace(L, -1, "format", l_format, true);
	return 0;
}

int lx_deterministic(lua_State *L)
{
	lua_pushcfunction(L, deterministic);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* }====== */
