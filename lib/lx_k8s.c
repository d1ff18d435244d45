/*
** lx_k8s.c: the `k8s` table (quantities, label selectors, DNS-1123 names,
** following k8s.io/apimachinery) and the `sk` table (null, array marker,
** sorted_pairs) for rules and template expressions.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lx.h"
#include "util.h"

/* {====== k8s.quantity */

struct qsuffix {
	const char *name;
	int exp10, exp2;		/* multiplier 10^exp10 * 2^exp2 */
};

static const struct qsuffix qsuffixes[] = {
	{ "Ki", 0, 10 }, { "Mi", 0, 20 }, { "Gi", 0, 30 },
	{ "Ti", 0, 40 }, { "Pi", 0, 50 }, { "Ei", 0, 60 },
	{ "n", -9, 0 }, { "u", -6, 0 }, { "m", -3, 0 }, { "", 0, 0 },
	{ "k", 3, 0 }, { "M", 6, 0 }, { "G", 9, 0 },
	{ "T", 12, 0 }, { "P", 15, 0 }, { "E", 18, 0 },
};

/* Parse "e<int>" / "E<int>" (a decimal exponent); false if it is not one. */
static bool parse_exponent(const char *s, size_t len, int *exp10)
{
	size_t i = 1;
	bool neg = false;
	long e = 0;

	if (len < 2 || (s[0] != 'e' && s[0] != 'E'))
		return false;
	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (e < 100000)
			e = e * 10 + (s[i] - '0');
	}
	*exp10 = (int)(neg ? -e : e);
	return true;
}

/* Exact powers of ten up to 1e22; beyond that pow() is close enough. */
static double pow10i(int e)
{
	static const double p[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};

	return e >= 0 && e <= 22 ? p[e] : pow(10.0, e);
}

/*
** <quantity> ::= <sign>? <number> <suffix>, <number> ::= digits | digits. |
** .digits | digits.digits; <suffix> is binary SI, decimal SI (including n u
** m) or e/E and a signed integer.  Returns false if s is not one.
*/
static bool parse_quantity(const char *s, size_t len, double *out)
{
	size_t i = 0, ndig = 0;
	bool neg = false, dot = false;
	uint64_t mant = 0;
	int exp10 = 0, sexp10 = 0, sexp2 = 0;
	double v;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = true;
		} else if (s[i] >= '0' && s[i] <= '9') {
			ndig++;
			if (mant < UINT64_MAX / 10 - 9)
				mant = mant * 10 + (uint64_t)(s[i] - '0');
			else
				exp10++;	/* digits past 19 only scale */
			if (dot)
				exp10--;
		} else {
			break;
		}
	}
	if (ndig == 0)
		return false;
	if (!parse_exponent(s + i, len - i, &sexp10)) {
		size_t k;

		for (k = 0; k < sizeof(qsuffixes) / sizeof(qsuffixes[0]); k++)
			if (strlen(qsuffixes[k].name) == len - i &&
			    memcmp(qsuffixes[k].name, s + i, len - i) == 0)
				break;
		if (k == sizeof(qsuffixes) / sizeof(qsuffixes[0]))
			return false;
		sexp10 = qsuffixes[k].exp10;
		sexp2 = qsuffixes[k].exp2;
	}
	exp10 += sexp10;
	v = exp10 < 0 ? (double)mant / pow10i(-exp10) : (double)mant * pow10i(exp10);
	v = ldexp(v, sexp2);
	*out = neg ? -v : v;
	return isfinite(*out);
}

/* k8s.quantity(q) -> number | nil, msg   (numbers are returned as they are) */
static int l_quantity(lua_State *L)
{
	size_t len;
	const char *s;
	double v;

	if (lua_type(L, 1) == LUA_TNUMBER) {
		lua_settop(L, 1);
		return 1;
	}
	if (lua_type(L, 1) != LUA_TSTRING) {
		lua_pushnil(L);
		lua_pushfstring(L, "quantity must be a string or a number (got %s)",
				luaL_typename(L, 1));
		return 2;
	}
	s = lua_tolstring(L, 1, &len);
	lx_charge(L, (lua_Integer)(len / 16) + 1);	/* a scan of s, as string.find is charged */
	if (!parse_quantity(s, len, &v)) {
		lua_pushnil(L);
		lua_pushfstring(L, "invalid quantity '%s'", s);
		return 2;
	}
	if (v == floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
		lua_pushinteger(L, (lua_Integer)v);
	else
		lua_pushnumber(L, v);
	return 1;
}

/* }====== */

/* {====== k8s.selector_matches */

/*
** The selector's loops charge a unit per key or value they examine, in
** batches of this many (a charge is a call; most selectors have 1-5 keys).
*/
#define CHARGE_EVERY 1024

static bool is_null(lua_State *L, int idx)
{
	return lua_isnoneornil(L, idx) ||
	       (lua_islightuserdata(L, idx) && lua_touserdata(L, idx) == LX_NULL);
}

/* Is labels[key] (key on top, popped) present?  Leaves its value on top. */
static bool label_get(lua_State *L, int labels)
{
	if (!labels) {
		lua_pop(L, 1);
		lua_pushnil(L);
		return false;
	}
	lua_rawget(L, labels);
	return lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER;
}

/* Do the two values on top equal as label values (strings, or numbers)? */
static bool label_eq(lua_State *L, int a, int b)
{
	size_t la, lb;
	const char *sa, *sb;
	bool eq;

	a = lua_absindex(L, a);
	b = lua_absindex(L, b);
	if (!lua_isstring(L, a) || !lua_isstring(L, b))
		return false;
	if (lua_type(L, a) == LUA_TSTRING && lua_type(L, b) == LUA_TSTRING)
		return lua_rawequal(L, a, b);
	lua_pushvalue(L, a);
	lua_pushvalue(L, b);
	sa = lua_tolstring(L, -2, &la);
	sb = lua_tolstring(L, -1, &lb);
	eq = la == lb && memcmp(sa, sb, la) == 0;
	lua_pop(L, 2);
	return eq;
}

/*
** Every key = value of the map at `sel` is in labels.  A unit per key
** examined: the loop is C, which the instruction count does not see, and a
** rule may hand it a selector of a million keys per call.
*/
static bool match_labels(lua_State *L, int sel, int labels)
{
	lua_Integer n = 0;

	lua_pushnil(L);
	while (lua_next(L, sel)) {
		lua_pushvalue(L, -2);
		if (++n == CHARGE_EVERY) {
			lx_charge(L, n);
			n = 0;
		}
		if (!label_get(L, labels) || !label_eq(L, -1, -2)) {
			lua_pop(L, 3);
			lx_charge(L, n);
			return false;
		}
		lua_pop(L, 2);
	}
	lx_charge(L, n);
	return true;
}

/* Is the label value on top in the `values` array of the expression? */
static bool in_values(lua_State *L, int expr)
{
	bool found = false;
	int val = lua_gettop(L);

	if (lua_getfield(L, expr, "values") == LUA_TTABLE) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);

		lua_Integer i;

		for (i = 1; i <= n && !found; i++) {
			if (i % CHARGE_EVERY == 0)
				lx_charge(L, CHARGE_EVERY);
			lua_rawgeti(L, -1, i);
			found = label_eq(L, -1, val);
			lua_pop(L, 1);
		}
		lx_charge(L, (i - 1) % CHARGE_EVERY);
	}
	lua_pop(L, 1);
	return found;
}

static bool match_expression(lua_State *L, int expr, int labels)
{
	const char *op;
	bool present, ok;

	expr = lua_absindex(L, expr);
	luaL_argcheck(L, lua_type(L, expr) == LUA_TTABLE, 1,
		      "matchExpressions entries must be tables");
	if (lua_getfield(L, expr, "key") != LUA_TSTRING)
		luaL_argerror(L, 1, "matchExpressions entry without a 'key'");
	present = label_get(L, labels);
	lua_getfield(L, expr, "operator");
	op = lua_tostring(L, -1);
	lua_pop(L, 1);
	if (!op)
		luaL_argerror(L, 1, "matchExpressions entry without an 'operator'");
	if (strcmp(op, "In") == 0)
		ok = present && in_values(L, expr);
	else if (strcmp(op, "NotIn") == 0)
		ok = !present || !in_values(L, expr);
	else if (strcmp(op, "Exists") == 0)
		ok = present;
	else if (strcmp(op, "DoesNotExist") == 0)
		ok = !present;
	else
		return luaL_error(L, "unknown selector operator '%s'", op);
	lua_pop(L, 1);
	return ok;
}

/*
** k8s.selector_matches(selector, labels) -> boolean.  A table holding
** matchLabels or matchExpressions is a LabelSelector, any other table a
** Service-style map; {} matches everything (as an empty LabelSelector
** does), nil or sk.null nothing.  Missing labels are an empty set.
*/
static int l_selector_matches(lua_State *L)
{
	int labels = is_null(L, 2) ? 0 : 2;
	bool ok = true, ml, me;

	if (is_null(L, 1)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	if (labels)
		luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	for (int i = 1; i <= 2; i++)	/* read proxies' tables directly */
		if (lx_push_real(L, i))
			lua_replace(L, i);
	ml = lua_getfield(L, 1, "matchLabels") != LUA_TNIL;
	me = lua_getfield(L, 1, "matchExpressions") != LUA_TNIL;
	if (!ml && !me) {
		lua_pushboolean(L, match_labels(L, 1, labels));
		return 1;
	}
	if (ml && !is_null(L, 3)) {
		luaL_argcheck(L, lua_type(L, 3) == LUA_TTABLE, 1, "matchLabels must be a map");
		ok = match_labels(L, 3, labels);
	}
	if (ok && me && !is_null(L, 4)) {
		lua_Integer n;

		luaL_argcheck(L, lua_type(L, 4) == LUA_TTABLE, 1,
			      "matchExpressions must be a list");
		n = (lua_Integer)lua_rawlen(L, 4);
		for (lua_Integer i = 1; i <= n && ok; i++) {
			lx_charge(L, 1);
			lua_rawgeti(L, 4, i);
			ok = match_expression(L, -1, labels);
			lua_pop(L, 1);
		}
	}
	lua_pushboolean(L, ok);
	return 1;
}

/* }====== */

/* {====== DNS-1123 names */

static int name_result(lua_State *L, const char *msg)
{
	if (!msg) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_pushstring(L, msg);
	return 2;
}

/* k8s.dns1123_label(s) -> true | false, msg */
static int l_dns1123_label(lua_State *L)
{
	size_t len;
	const char *s;

	if (lua_type(L, 1) != LUA_TSTRING)
		return name_result(L, "must be a string");
	s = lua_tolstring(L, 1, &len);
	if (len > 63)
		return name_result(L, "must be no more than 63 characters");
	if (!util_dns1123_label(s, len))
		return name_result(L, "a lowercase RFC 1123 label must consist of lower "
				   "case alphanumeric characters or '-', and must start "
				   "and end with an alphanumeric character");
	return name_result(L, NULL);
}

/* k8s.dns1123_subdomain(s) -> true | false, msg */
static int l_dns1123_subdomain(lua_State *L)
{
	size_t len;
	const char *s;

	if (lua_type(L, 1) != LUA_TSTRING)
		return name_result(L, "must be a string");
	s = lua_tolstring(L, 1, &len);
	if (len > 253)
		return name_result(L, "must be no more than 253 characters");
	if (!util_dns1123_subdomain(s, len))
		return name_result(L, "a lowercase RFC 1123 subdomain must consist "
				   "of lower case alphanumeric characters, '-' or "
				   "'.', and must start and end with an alphanumeric "
				   "character");
	return name_result(L, NULL);
}

int lx_open_k8s(lua_State *L)
{
	static const luaL_Reg k8s_funcs[] = {
		{ "quantity", l_quantity },
		{ "selector_matches", l_selector_matches },
		{ "dns1123_label", l_dns1123_label },
		{ "dns1123_subdomain", l_dns1123_subdomain },
		{ NULL, NULL }
	};

	luaL_newlib(L, k8s_funcs);
	return 1;
}

/* }====== */

/* {====== sk */

struct skey {
	int rank;			/* 0 number, 1 string, 2 false, 3 true */
	bool isint;
	lua_Integer i;
	double d;
	const char *s;
	size_t len;
	lua_Integer at;			/* index in the unsorted key array */
};

static int cmp_keys(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;
	int c;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 0) {
		if (a->isint && b->isint)
			return (a->i > b->i) - (a->i < b->i);
		return (a->d > b->d) - (a->d < b->d);
	}
	if (a->rank > 1)
		return 0;
	c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int sorted_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;

	if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL)
		return 1;
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(3));
	lua_pushvalue(L, -1);
	lua_gettable(L, lua_upvalueindex(2));	/* a proxy wraps what it gives */
	return 2;
}

/* Describe the key on top of the stack; errors on unorderable keys. */
static void key_info(lua_State *L, struct skey *k)
{
	switch (lua_type(L, -1)) {
	case LUA_TNUMBER:
		k->rank = 0;
		k->isint = lua_isinteger(L, -1);
		k->i = lua_tointeger(L, -1);
		k->d = lua_tonumber(L, -1);
		break;
	case LUA_TSTRING:
		k->rank = 1;
		k->s = lua_tolstring(L, -1, &k->len);
		break;
	case LUA_TBOOLEAN:
		k->rank = lua_toboolean(L, -1) ? 3 : 2;
		break;
	default:
		luaL_error(L, "sorted_pairs: cannot order keys of type '%s'",
			   luaL_typename(L, -1));
	}
}

/* sk.sorted_pairs(t) -> iterator giving key, t[key] in key order. */
int lx_sorted_pairs(lua_State *L)
{
	lua_Integer n = 0;
	struct skey *v;
	int src = 1, keys, sorted;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (lx_push_real(L, 1))
		src = 2;
	lua_newtable(L);			/* keys in next() order */
	keys = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, keys, ++n);
	}
	lx_charge(L, n);
	v = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof(*v), 0);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, keys, i);
		key_info(L, &v[i - 1]);
		v[i - 1].at = i;
		lua_pop(L, 1);		/* strings stay alive in `keys` */
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_keys);
	lua_createtable(L, (int)n, 0);
	sorted = lua_gettop(L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, keys, v[i - 1].at);
		lua_rawseti(L, sorted, i);
	}
	lua_pushvalue(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, sorted_next, 3);
	return 1;
}

/* sk.array([t]) -> t marked as a JSON array (a new table if none given). */
static int l_array(lua_State *L)
{
	if (lua_isnoneornil(L, 1)) {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (lua_getmetatable(L, 1)) {
		/* an array already, or a document's table: read-only, its
		   sequences are lists already */
		if (lua_rawgetp(L, -1, &lx_array_key) == LUA_TNIL &&
		    lua_rawgetp(L, -2, &lx_doc_key) == LUA_TNIL)
			return luaL_argerror(L, 1, "table already has a metatable");
		lua_settop(L, 1);
		return 1;
	}
	lx_mark_array(L, 1);
	return 1;
}

void lx_mark_array(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &lx_array_key);
	lua_setmetatable(L, idx);
}

static int null_tostring(lua_State *L)
{
	lua_pushliteral(L, "null");
	return 1;
}

static int null_index(lua_State *L)
{
	(void)L;
	return 0;
}

/*
** sk.parse_properties(text): Java properties text (spark-defaults.conf) as
** { key = { value = v, line = n } }, the last of a repeated key winning.
** Lines end at LF (one CR before it is dropped) and are trimmed on the
** left; a line ending in one backslash (not two) continues on the next;
** # and ! start comments.  The key ends at the first '=', ':' or blank
** ("k = v", "k:v"), else at the first blank ("k v"); the value is the rest,
** trimmed.  No escapes are decoded.  Blanks are Lua's %s in the C locale.
** This was rules/lib/spark.lua code: tests/unit/test_luahost.c holds that
** version and checks that both agree.
*/
static bool props_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The physical line at *p (CR dropped); false when it is the last one. */
static bool props_line(const char **p, const char *e, const char **l, size_t *n)
{
	const char *nl = memchr(*p, '\n', (size_t)(e - *p));
	const char *end = nl ? nl : e;

	*l = *p;
	*n = (size_t)(end - *p);
	if (*n && end[-1] == '\r')
		(*n)--;
	*p = nl ? nl + 1 : e;
	while (*n && props_blank(**l)) {	/* and trimmed on the left */
		(*l)++;
		(*n)--;
	}
	return nl != NULL;
}

static bool props_continues(const char *l, size_t n)
{
	return n && l[n - 1] == '\\' && !(n >= 2 && l[n - 2] == '\\');
}

/* out[key] = { value =, line = } for one logical line (left-trimmed). */
static void props_entry(lua_State *L, int out, const char *l, size_t n,
			lua_Integer line)
{
	size_t k = 0, v, ve = n;

	if (!n || l[0] == '#' || l[0] == '!')
		return;
	while (k < n && !props_blank(l[k]) && l[k] != '=' && l[k] != ':')
		k++;
	v = k;
	while (v < n && props_blank(l[v]))
		v++;
	if (k == 0 || v == n || (l[v] != '=' && l[v] != ':')) {
		for (k = 0; k < n && !props_blank(l[k]); k++)	/* "key value" */
			;
		v = k;
	} else {
		v++;
	}
	while (v < n && props_blank(l[v]))
		v++;
	while (ve > v && props_blank(l[ve - 1]))
		ve--;
	lua_pushlstring(L, l, k);
	lua_createtable(L, 0, 2);
	lua_pushlstring(L, l + v, ve - v);
	lua_setfield(L, -2, "value");
	lua_pushinteger(L, line);
	lua_setfield(L, -2, "line");
	lua_rawset(L, out);
}

static int l_parse_properties(lua_State *L)
{
	size_t len, n;
	const char *p = luaL_checklstring(L, 1, &len), *e = p + len, *l;
	lua_Integer lineno = 0, first;
	bool more = true;

	lx_charge(L, (lua_Integer)len);
	lua_settop(L, 1);
	lua_newtable(L);
	while (more) {
		more = props_line(&p, e, &l, &n);
		first = ++lineno;
		if (more && props_continues(l, n)) {
			luaL_Buffer b;

			luaL_buffinit(L, &b);
			luaL_addlstring(&b, l, n);
			while (more && props_continues(luaL_buffaddr(&b), luaL_bufflen(&b))) {
				luaL_buffsub(&b, 1);
				more = props_line(&p, e, &l, &n);
				lineno++;
				luaL_addlstring(&b, l, n);
			}
			luaL_pushresult(&b);
			l = lua_tolstring(L, -1, &n);
			props_entry(L, 2, l, n, first);
			lua_pop(L, 1);
		} else {
			props_entry(L, 2, l, n, first);
		}
	}
	return 1;
}

/*
** sk.get(t, k1, k2, ...): t[k1][k2]..., nil as soon as a step is not a
** table, and nil for sk.null.  kube.get is this: the rules' most called
** helper (17% of their Lua instructions on the benchmark corpus), here
** without a vararg frame or select('#').
** Indexing goes through __index as t[k] would.
*/
static int l_get(lua_State *L)
{
	int n = lua_gettop(L);

	lua_pushvalue(L, 1);
	for (int i = 2; i <= n; i++) {
		if (lua_type(L, -1) != LUA_TTABLE) {
			lua_pushnil(L);		/* one value, always, as from Lua */
			return 1;
		}
		lua_pushvalue(L, i);
		lua_gettable(L, -2);
		lua_remove(L, -2);
	}
	if (is_null(L, -1))
		lua_pushnil(L);
	return 1;
}

int lx_open_sk(lua_State *L)
{
	static const luaL_Reg sk_funcs[] = {
		{ "get", l_get },
		{ "sorted_pairs", lx_sorted_pairs },
		{ "parse_properties", l_parse_properties },
		{ "array", l_array },
		{ "null", NULL },
		{ NULL, NULL }
	};

	lua_createtable(L, 0, 2);		/* the sk.array marker */
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pushboolean(L, 1);
	lua_rawsetp(L, -2, &lx_array_key);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &lx_array_key);

	lua_pushlightuserdata(L, LX_NULL);	/* sets every light userdata's */
	lua_createtable(L, 0, 4);
	lua_pushcfunction(L, null_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, null_index);
	lua_setfield(L, -2, "__index");
	lua_pushliteral(L, "null");
	lua_setfield(L, -2, "__name");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);

	luaL_newlib(L, sk_funcs);
	lua_pushlightuserdata(L, LX_NULL);
	lua_setfield(L, -2, "null");
	return 1;
}

/* }====== */
