/*
** collect.c: ctx:collect values as bytes between Lua states (collect.h).
**
** A value is a tagged tree: one byte of tag, then the payload in the
** process's own representation (the bytes never leave it).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "collect.h"
#include "lx.h"
#include "util.h"
#include "worker.h"

enum {
	TAG_FALSE = 'f', TAG_TRUE = 't', TAG_INT = 'i', TAG_REAL = 'r',
	TAG_STR = 's', TAG_NULL = 'n', TAG_DOC = 'd', TAG_TABLE = '{'
};

void collect_reset(struct collect *c)
{
	c->n = 0;
	c->total = c->end = 0;
	strbuf_reset(&c->buf);
}

void collect_release(struct collect *c)
{
	free(c->v);
	strbuf_release(&c->buf);
	memset(c, 0, sizeof(*c));
}

/* ---- encoding ----------------------------------------------------------- */

struct enc {
	struct worker *w;
	lua_State *L;
	struct strbuf *sb;
	size_t nodes;
};

static void enc_put(struct enc *e, const void *p, size_t len)
{
	if (strbuf_add(e->sb, p, len) < 0)
		luaL_error(e->L, "ctx:collect: out of memory");
}

static void enc_tag(struct enc *e, char tag)
{
	enc_put(e, &tag, 1);
}

static void enc_size(struct enc *e, size_t n)
{
	enc_put(e, &n, sizeof(n));
}

/* A scalar at idx; false when it is not one. */
static bool enc_scalar(struct enc *e, int idx)
{
	lua_State *L = e->L;

	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		enc_tag(e, lua_toboolean(L, idx) ? TAG_TRUE : TAG_FALSE);
		return true;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			lua_Integer i = lua_tointeger(L, idx);

			enc_tag(e, TAG_INT);
			enc_put(e, &i, sizeof(i));
		} else {
			lua_Number x = lua_tonumber(L, idx);

			enc_tag(e, TAG_REAL);
			enc_put(e, &x, sizeof(x));
		}
		return true;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);

		enc_tag(e, TAG_STR);
		enc_size(e, len);
		enc_put(e, s, len);
		return true;
	}
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, idx) != LX_NULL)
			return false;
		enc_tag(e, TAG_NULL);
		return true;
	}
	return false;
}

static void enc_value(struct enc *e, int idx, unsigned depth)
{
	lua_State *L = e->L;
	size_t count_at, count = 0;
	long d;

	e->nodes++;
	if (enc_scalar(e, idx))
		return;
	if (lua_type(L, idx) != LUA_TTABLE)
		luaL_error(L, "ctx:collect: cannot collect a %s", luaL_typename(L, idx));
	d = worker_doc_at(e->w, idx);
	if (d >= 0) {
		enc_tag(e, TAG_DOC);
		enc_size(e, (size_t)d);
		return;
	}
	if (depth >= COLLECT_MAX_DEPTH)
		luaL_error(L, "ctx:collect: value nested deeper than %d (a cycle?)",
			   COLLECT_MAX_DEPTH);
	luaL_checkstack(L, 3, "ctx:collect");
	idx = lua_absindex(L, idx);
	enc_tag(e, TAG_TABLE);
	count_at = e->sb->len;
	enc_size(e, 0);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int kt = lua_type(L, -2);

		if (kt != LUA_TSTRING && kt != LUA_TNUMBER && kt != LUA_TBOOLEAN)
			luaL_error(L, "ctx:collect: a table key must be a string, a "
				   "number or a boolean, not a %s", luaL_typename(L, -2));
		enc_scalar(e, -2);
		enc_value(e, -1, depth + 1);
		lua_pop(L, 1);
		count++;
	}
	memcpy(e->sb->buf + count_at, &count, sizeof(count));
}

size_t collect_add(struct worker *w, struct collect *c, int idx, size_t d,
		   size_t cap)
{
	struct enc e = { w, w->L, &c->buf, 0 };
	size_t start = c->end, len;
	bool keep;

	c->buf.len = start;	/* drop what a call that raised an error left */
	enc_value(&e, idx, 0);
	len = c->buf.len - start;
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 64;
		c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
	}
	c->total += len;
	keep = c->total <= cap;	/* past it, measured only: the rule fails */
	c->v[c->n++] = (struct collect_item){ d, keep ? start : SIZE_MAX, len };
	c->end = keep ? c->buf.len : start;
	c->buf.len = c->end;
	c->buf.buf[c->buf.len] = '\0';
	return e.nodes + len / 16;
}

/* ---- merging ------------------------------------------------------------ */

size_t collect_merge(struct collect *const *cs, unsigned n, size_t cap,
		     struct collect_view *v)
{
	size_t *next = xcalloc(n ? n : 1, sizeof(size_t)), all = 0, total = 0;
	size_t cross = (size_t)-1;

	for (unsigned i = 0; i < n; i++)
		all += cs[i]->n;
	v->v = xmalloc((all ? all : 1) * sizeof(*v->v));
	v->n = 0;
	/* each worker's values are in document order already: merge them */
	while (v->n < all) {
		unsigned best = n;
		const struct collect_item *it;

		for (unsigned i = 0; i < n; i++)
			if (next[i] < cs[i]->n && (best == n ||
			    cs[i]->v[next[i]].doc < cs[best]->v[next[best]].doc))
				best = i;
		it = &cs[best]->v[next[best]++];
		total += it->len;
		if (total > cap) {
			cross = it->doc;
			break;
		}
		v->v[v->n++] = (struct collect_ref){ it->doc,
			(const unsigned char *)cs[best]->buf.buf + it->off, it->len };
	}
	free(next);
	return cross;
}

/* ---- decoding ----------------------------------------------------------- */

struct dec {
	struct worker *w;
	lua_State *L;
	const unsigned char *p;
	size_t nodes;
};

static size_t dec_size(struct dec *e)
{
	size_t n;

	memcpy(&n, e->p, sizeof(n));
	e->p += sizeof(n);
	return n;
}

static void dec_value(struct dec *e)
{
	lua_State *L = e->L;
	lua_Integer i;
	lua_Number x;
	size_t n;

	e->nodes++;
	luaL_checkstack(L, 3, "ctx:collected");
	switch (*e->p++) {
	case TAG_FALSE:
		lua_pushboolean(L, 0);
		break;
	case TAG_TRUE:
		lua_pushboolean(L, 1);
		break;
	case TAG_INT:
		memcpy(&i, e->p, sizeof(i));
		e->p += sizeof(i);
		lua_pushinteger(L, i);
		break;
	case TAG_REAL:
		memcpy(&x, e->p, sizeof(x));
		e->p += sizeof(x);
		lua_pushnumber(L, x);
		break;
	case TAG_STR:
		n = dec_size(e);
		lua_pushlstring(L, (const char *)e->p, n);
		e->p += n;
		break;
	case TAG_NULL:
		lua_pushlightuserdata(L, LX_NULL);
		break;
	case TAG_DOC:
		worker_push_doc(e->w, dec_size(e));
		break;
	default:	/* TAG_TABLE: collect_add wrote nothing else */
		n = dec_size(e);
		lua_createtable(L, 0, n > INT32_MAX ? INT32_MAX : (int)n);
		while (n--) {
			dec_value(e);
			dec_value(e);
			lua_rawset(L, -3);
		}
		break;
	}
}

size_t collect_push(struct worker *w, const struct collect_view *v)
{
	struct dec e = { w, w->L, NULL, 0 };

	lua_createtable(w->L, v->n > INT32_MAX ? INT32_MAX : (int)v->n, 0);
	for (size_t i = 0; i < v->n; i++) {
		e.p = v->v[i].p;
		dec_value(&e);
		lua_rawseti(w->L, -2, (lua_Integer)i + 1);
	}
	return e.nodes;
}
