/*
** lx_re.c: the `re` table for Lua: PCRE2 match/find/gsub/test with a
** per-state cache of compiled patterns and match limits, so a hostile
** pattern fails as a Lua error instead of hanging the linter.
*/
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <pcre2.h>

#include "lx.h"

#define RE_CACHE_MAX	256		/* compiled patterns kept per state */
#define RE_MATCH_LIMIT	1000000		/* backtracking steps per match */
#define RE_DEPTH_LIMIT	100000		/* nested backtracking frames */
#define RE_HEAP_LIMIT	(32 * 1024)	/* KiB of backtracking frames */
#define RE_LIMIT_COST	2500000		/* instructions charged for hitting a limit */
#define RE_CALL_COST	16		/* ... for any match, plus 1 per 16 bytes */
/*
** UTF-8 mode without UCP: \d \w \s \b stay ASCII, as in Go's regexp (what
** Kubernetes validation patterns are written for); `.` and classes work
** on code points.  Invalid UTF-8 in a subject never matches (no error).
*/
#define RE_OPTIONS	(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C)
#define RE_PAT_MT	"sk.re.pattern"

struct re_state {			/* upvalue 1 of every re.* function */
	pcre2_general_context *gc;	/* memory from the Lua state's budget */
	pcre2_compile_context *cc;
	pcre2_match_context *mc;
	unsigned ncached;		/* entries in the cache (uservalue 1) */
};

struct re_pat {				/* one cached, compiled pattern */
	pcre2_code *code;
	pcre2_code *vcode;		/* without MATCH_INVALID_UTF, for valid subjects */
	pcre2_match_data *md;		/* reused; read it before calling Lua */
	uint32_t ncap;			/* capture groups */
};

static int re_pat_gc(lua_State *L)
{
	struct re_pat *p = lua_touserdata(L, 1);

	pcre2_match_data_free(p->md);
	pcre2_code_free(p->code);
	pcre2_code_free(p->vcode);
	p->md = NULL;
	p->code = NULL;
	p->vcode = NULL;
	return 0;
}

static int re_state_gc(lua_State *L)
{
	struct re_state *rs = lua_touserdata(L, 1);

	pcre2_match_context_free(rs->mc);
	pcre2_compile_context_free(rs->cc);
	pcre2_general_context_free(rs->gc);
	rs->mc = NULL;
	rs->cc = NULL;
	rs->gc = NULL;
	return 0;
}

static void re_error(lua_State *L, int rc, const char *what)
{
	PCRE2_UCHAR buf[160];

	if (rc == PCRE2_ERROR_NOMEMORY)
		luaL_error(L, "memory limit exceeded");
	pcre2_get_error_message(rc, buf, sizeof(buf));
	luaL_error(L, "%s: %s", what, (const char *)buf);
}

/*
** [-0, +1, e] the compiled form of the pattern at `arg`, from the cache or
** compiled now; it stays on the stack so a callback cannot free it.
*/
static struct re_pat *re_get(lua_State *L, int arg)
{
	struct re_state *rs = lua_touserdata(L, lua_upvalueindex(1));
	struct re_pat *p;
	size_t plen;
	const char *pat = luaL_checklstring(L, arg, &plen);
	PCRE2_SIZE eoff;
	int ec;

	lua_getiuservalue(L, lua_upvalueindex(1), 1);
	lua_pushvalue(L, arg);
	if (lua_rawget(L, -2) == LUA_TUSERDATA) {
		lua_remove(L, -2);
		return lua_touserdata(L, -1);
	}
	lua_pop(L, 1);
	if (rs->ncached >= RE_CACHE_MAX) {	/* full: start over */
		lua_pop(L, 1);
		lua_createtable(L, 0, RE_CACHE_MAX);
		lua_pushvalue(L, -1);
		lua_setiuservalue(L, lua_upvalueindex(1), 1);
		rs->ncached = 0;
	}
	p = lua_newuserdatauv(L, sizeof(*p), 0);
	p->code = NULL;
	p->vcode = NULL;
	p->md = NULL;
	luaL_setmetatable(L, RE_PAT_MT);
	p->code = pcre2_compile((PCRE2_SPTR)pat, plen, RE_OPTIONS, &ec, &eoff, rs->cc);
	if (!p->code) {
		PCRE2_UCHAR buf[160];

		pcre2_get_error_message(ec, buf, sizeof(buf));
		luaL_argerror(L, arg, lua_pushfstring(L, "%s at offset %d",
						      (const char *)buf, (int)eoff));
	}
	/* NULL (no memory) only loses the fast path of re.gsub */
	p->vcode = pcre2_compile((PCRE2_SPTR)pat, plen,
				 RE_OPTIONS & ~(uint32_t)PCRE2_MATCH_INVALID_UTF,
				 &ec, &eoff, rs->cc);
	p->md = pcre2_match_data_create_from_pattern(p->code, rs->gc);
	if (!p->md)
		luaL_error(L, "memory limit exceeded");
	pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &p->ncap);
	lua_pushvalue(L, arg);
	lua_pushvalue(L, -2);
	lua_rawset(L, -4);
	rs->ncached++;
	lua_remove(L, -2);
	return p;
}

/*
** Match from byte `start`; true on a match (offsets in p->md).  `valid`
** (NULL: one match) is for a loop over one subject: with
** PCRE2_MATCH_INVALID_UTF, every pcre2_match scans the subject from `start`
** to its end for invalid UTF-8, whatever PCRE2_NO_UTF_CHECK says, which
** made re.gsub quadratic (100 KB: 2.4 s).  So the first match of the loop
** runs the pattern compiled without it, which checks the subject once
** (*valid = 1, later matches skip the check), or reports it invalid
** (*valid = 0: the MATCH_INVALID_UTF pattern from then on).
*/
static bool re_exec(lua_State *L, struct re_pat *p, const char *s, size_t len,
		    size_t start, int *valid)
{
	struct re_state *rs = lua_touserdata(L, lua_upvalueindex(1));
	int rc;

	if (valid && *valid != 0 && p->vcode) {
		rc = pcre2_match(p->vcode, (PCRE2_SPTR)s, len, start,
				 *valid > 0 ? PCRE2_NO_UTF_CHECK : 0, p->md, rs->mc);
		if (*valid < 0)
			*valid = rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21 ? 0 : 1;
		if (*valid == 0)
			rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, start, 0, p->md, rs->mc);
	} else {
		rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, start, 0, p->md, rs->mc);
	}
	size_t end = rc >= 0 ? pcre2_get_ovector_pointer(p->md)[1] : len;

	/*
	** The count hook does not see time spent in PCRE2: charge each match
	** for the bytes it scanned, a limit hit as the ~10 ms it is worth, and
	** look at the clock after each match.
	*/
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT)
		lx_charge(L, RE_LIMIT_COST);
	else
		lx_charge(L, RE_CALL_COST + (lua_Integer)(end > start ? end - start : 0) / 16);
	lx_check_clock(L);
	if (rc >= 0)
		return true;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return false;
	case PCRE2_ERROR_MATCHLIMIT:
		luaL_error(L, "regex match limit exceeded");
		break;
	case PCRE2_ERROR_DEPTHLIMIT:
		luaL_error(L, "regex depth limit exceeded");
		break;
	case PCRE2_ERROR_HEAPLIMIT:
		luaL_error(L, "regex heap limit exceeded");
		break;
	default:
		re_error(L, rc, "regex match failed");
	}
	return false;
}

/* string.find's init: 1-based, negative from the end; false past the end. */
static bool get_init(lua_State *L, int arg, size_t len, size_t *start)
{
	lua_Integer init = luaL_optinteger(L, arg, 1);

	if (init < 0)
		init = (lua_Integer)len + init + 1 > 0 ? (lua_Integer)len + init + 1 : 1;
	else if (init == 0)
		init = 1;
	if ((lua_Unsigned)init - 1 > len)
		return false;
	*start = (size_t)init - 1;
	return true;
}

/* [-0, +n, m] the captures (nil when unset), or the whole match if none. */
static int push_captures(lua_State *L, const struct re_pat *p, const char *s,
			 bool whole)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	if (p->ncap == 0) {
		if (!whole)
			return 0;
		lua_pushlstring(L, s + ov[0], ov[1] - ov[0]);
		return 1;
	}
	luaL_checkstack(L, (int)p->ncap, "too many captures");
	for (uint32_t i = 1; i <= p->ncap; i++) {
		if (ov[2 * i] == PCRE2_UNSET)
			lua_pushnil(L);
		else
			lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
	}
	return (int)p->ncap;
}

/* re.match(s, pat [, init]) -> captures... | nil */
static int l_match(lua_State *L)
{
	size_t len, start;
	const char *s = luaL_checklstring(L, 1, &len);
	struct re_pat *p;

	luaL_checkstring(L, 2);
	if (!get_init(L, 3, len, &start)) {
		lua_pushnil(L);
		return 1;
	}
	lua_settop(L, 3);
	p = re_get(L, 2);
	if (!re_exec(L, p, s, len, start, NULL)) {
		lua_pushnil(L);
		return 1;
	}
	return push_captures(L, p, s, true);
}

/* re.find(s, pat [, init]) -> start, end, captures... | nil */
static int l_find(lua_State *L)
{
	size_t len, start;
	const char *s = luaL_checklstring(L, 1, &len);
	struct re_pat *p;
	PCRE2_SIZE *ov;

	luaL_checkstring(L, 2);
	if (!get_init(L, 3, len, &start)) {
		lua_pushnil(L);
		return 1;
	}
	lua_settop(L, 3);
	p = re_get(L, 2);
	if (!re_exec(L, p, s, len, start, NULL)) {
		lua_pushnil(L);
		return 1;
	}
	ov = pcre2_get_ovector_pointer(p->md);
	lua_pushinteger(L, (lua_Integer)ov[0] + 1);
	lua_pushinteger(L, (lua_Integer)ov[1]);
	return 2 + push_captures(L, p, s, false);
}

/* re.test(s, pat) -> boolean */
static int l_test(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct re_pat *p;

	luaL_checkstring(L, 2);
	lua_settop(L, 2);
	p = re_get(L, 2);
	lua_pushboolean(L, re_exec(L, p, s, len, 0, NULL));
	return 1;
}

/* Byte offset of the code point after the one at `i`. */
static size_t next_char(const char *s, size_t len, size_t i)
{
	for (i++; i < len && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
		;
	return i;
}

/* Append capture `i` (empty when unset) to the buffer. */
static void add_group(luaL_Buffer *b, const struct re_pat *p, const char *s,
		      uint32_t i)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	if (ov[2 * i] != PCRE2_UNSET)
		luaL_addlstring(b, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}

/*
** Expand a replacement string: $0-$9 and ${N} are groups, ${name} a named
** group, $$ a dollar sign; anything else after '$' is an error.
*/
static void add_template(lua_State *L, luaL_Buffer *b, const struct re_pat *p,
			 const char *s, const char *r, size_t rlen)
{
	for (size_t i = 0; i < rlen; i++) {
		const char *close;
		long g = -1;

		if (r[i] != '$') {
			luaL_addchar(b, r[i]);
			continue;
		}
		if (++i == rlen)
			luaL_error(L, "invalid '$' at the end of the replacement");
		if (r[i] == '$') {
			luaL_addchar(b, '$');
			continue;
		}
		if (r[i] >= '0' && r[i] <= '9') {
			g = r[i] - '0';
		} else if (r[i] == '{' && (close = memchr(r + i, '}', rlen - i))) {
			size_t nlen = (size_t)(close - r) - i - 1;
			char name[64];

			if (nlen == 0 || nlen >= sizeof(name))
				luaL_error(L, "invalid group reference in the replacement");
			memcpy(name, r + i + 1, nlen);
			name[nlen] = '\0';
			if (strspn(name, "0123456789") == nlen)
				g = nlen < 6 ? strtol(name, NULL, 10) : 100000;
			else
				g = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);
			if (g < 0)
				luaL_error(L, "no group named '%s' in the pattern", name);
			i += nlen + 1;
		} else {
			luaL_error(L, "invalid '$%c' in the replacement (use '$$' for '$')", r[i]);
		}
		if ((uint32_t)g > p->ncap)
			luaL_error(L, "invalid group %d in the replacement", (int)g);
		add_group(b, p, s, (uint32_t)g);
	}
}

/*
** Replacement from a table (indexed by the first capture or the match) or a
** function (given the captures).  The captures are pushed before any Lua
** runs, since Lua may reuse the pattern's match data.
*/
static void add_value(lua_State *L, luaL_Buffer *b, const struct re_pat *p,
		      const char *s, size_t ms, size_t me)
{
	int n;

	lua_pushvalue(L, 3);
	if (lua_type(L, 3) == LUA_TFUNCTION) {
		n = push_captures(L, p, s, true);
		lua_call(L, n, 1);
	} else {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
		uint32_t k = p->ncap > 0;	/* first capture, else the match */

		if (ov[2 * k] == PCRE2_UNSET)
			lua_pushnil(L);
		else
			lua_pushlstring(L, s + ov[2 * k], ov[2 * k + 1] - ov[2 * k]);
		lua_gettable(L, -2);
		lua_remove(L, -2);
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s + ms, me - ms);
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

/* re.gsub(s, pat, repl [, n]) -> string, count */
static int l_gsub(lua_State *L)
{
	size_t len, rlen = 0, pos = 0, last = SIZE_MAX;
	int valid = -1;
	const char *s = luaL_checklstring(L, 1, &len), *r = NULL;
	int rt = lua_type(L, 3);
	lua_Integer maxn = luaL_optinteger(L, 4, LUA_MAXINTEGER), n = 0;
	struct re_pat *p;
	luaL_Buffer b;

	luaL_checkstring(L, 2);
	luaL_argexpected(L, rt == LUA_TNUMBER || rt == LUA_TSTRING ||
			 rt == LUA_TFUNCTION || rt == LUA_TTABLE, 3,
			 "string/function/table");
	if (rt == LUA_TNUMBER || rt == LUA_TSTRING)
		r = lua_tolstring(L, 3, &rlen);
	lua_settop(L, 4);
	p = re_get(L, 2);
	luaL_buffinit(L, &b);
	while (n < maxn && pos <= len && re_exec(L, p, s, len, pos, &valid)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
		size_t ms = ov[0], me = ov[1];

		if (me < ms)		/* \K games; never produced by our options */
			me = ms;
		if (ms == me && ms == last) {	/* empty match right after a match */
			if (ms >= len)
				break;
			luaL_addlstring(&b, s + pos, next_char(s, len, ms) - pos);
			pos = next_char(s, len, ms);
			continue;
		}
		luaL_addlstring(&b, s + pos, ms - pos);
		if (r)
			add_template(L, &b, p, s, r, rlen);
		else
			add_value(L, &b, p, s, ms, me);
		n++;
		last = me;
		pos = me;
		if (ms == me && ms < len) {	/* step over one code point */
			pos = next_char(s, len, ms);
			luaL_addlstring(&b, s + ms, pos - ms);
		} else if (ms == me) {
			pos = len + 1;
		}
	}
	if (pos < len)
		luaL_addlstring(&b, s + pos, len - pos);
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

int lx_open_re(lua_State *L)
{
	static const luaL_Reg re_funcs[] = {
		{ "match", l_match },
		{ "find", l_find },
		{ "gsub", l_gsub },
		{ "test", l_test },
		{ NULL, NULL }
	};
	struct re_state *rs;

	if (luaL_newmetatable(L, RE_PAT_MT)) {
		lua_pushcfunction(L, re_pat_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, 4);
	rs = lua_newuserdatauv(L, sizeof(*rs), 1);
	memset(rs, 0, sizeof(*rs));
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, re_state_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	rs->gc = pcre2_general_context_create(lx_malloc, lx_free, lx_host(L));
	rs->cc = rs->gc ? pcre2_compile_context_create(rs->gc) : NULL;
	rs->mc = rs->gc ? pcre2_match_context_create(rs->gc) : NULL;
	if (!rs->mc || !rs->cc)
		return luaL_error(L, "memory limit exceeded");
	pcre2_set_match_limit(rs->mc, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mc, RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mc, RE_HEAP_LIMIT);
	lua_createtable(L, 0, 16);
	lua_setiuservalue(L, -2, 1);
	luaL_setfuncs(L, re_funcs, 1);
	return 1;
}
