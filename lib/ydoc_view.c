/*
** ydoc_view.c: reading the tree: lookups by key, index and dotted path,
** and views derived on demand: a jansson value (alias targets converted
** once and shared) and the JSON Pointer -> [line, col] table behind
** --inspect --positions.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "ydoc.h"

/* ---------------------------------------------------------------- lookups */

const struct ynode *ynode_getn(const struct ynode *map, const char *key,
			       size_t keylen)
{
	if (!map || map->type != YN_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct ynode *k = map->u.map.v[i].key;

		if (k->len == keylen && !memcmp(k->text, key, keylen))
			return map->u.map.v[i].val;
	}
	return NULL;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	return ynode_getn(map, key, strlen(key));
}

const struct ynode *ynode_at(const struct ynode *seq, size_t i)
{
	if (!seq || seq->type != YN_SEQ || i >= seq->u.seq.n)
		return NULL;
	return seq->u.seq.v[i];
}

const struct ynode *ynode_path(const struct ynode *root, const char *dotted)
{
	const struct ynode *n = root;
	const char *p = dotted, *dot;

	if (!*p)
		return root;
	while (n) {
		dot = strchr(p, '.');
		n = ynode_getn(n, p, dot ? (size_t)(dot - p) : strlen(p));
		if (!dot)
			break;
		p = dot + 1;
	}
	return n;
}

const char *ynode_str(const struct ynode *n)
{
	return n && n->type == YN_STR ? n->text : NULL;
}

bool ynode_is_scalar(const struct ynode *n)
{
	return n && n->type <= YN_STR;
}

/* ---------------------------------------------------------------- jansson */

/* Alias targets already converted: node -> json_t (borrowed). */
struct jmemo {
	const struct ynode **key;
	json_t **val;
	size_t cap, n;			/* cap: power of two, or 0 */
};

static size_t ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	return (size_t)(x ^ (x >> 33));
}

static size_t memo_slot(const struct jmemo *m, const struct ynode *n)
{
	size_t mask = m->cap - 1, i = ptr_hash(n) & mask;

	while (m->key[i] && m->key[i] != n)
		i = (i + 1) & mask;
	return i;
}

static json_t *memo_get(const struct jmemo *m, const struct ynode *n)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = memo_slot(m, n);
	return m->key[i] ? m->val[i] : NULL;
}

static int memo_put(struct jmemo *m, const struct ynode *n, json_t *j)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct jmemo g = { NULL, NULL, m->cap ? m->cap * 2 : 64, 0 };

		g.key = calloc(g.cap, sizeof(*g.key));
		g.val = calloc(g.cap, sizeof(*g.val));
		if (!g.key || !g.val) {
			free(g.key);
			free(g.val);
			return -1;
		}
		for (size_t k = 0; k < m->cap; k++)
			if (m->key[k]) {
				i = memo_slot(&g, m->key[k]);
				g.key[i] = m->key[k];
				g.val[i] = m->val[k];
			}
		g.n = m->n;
		free(m->key);
		free(m->val);
		*m = g;
	}
	i = memo_slot(m, n);
	m->key[i] = n;
	m->val[i] = j;
	m->n++;
	return 0;
}

static json_t *to_json(const struct ynode *n, struct jmemo *m);

static json_t *seq_to_json(const struct ynode *n, struct jmemo *m)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n->u.seq.n; i++) {
		json_t *c = to_json(n->u.seq.v[i], m);

		if (!c || json_array_append_new(a, c) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *map_to_json(const struct ynode *n, struct jmemo *m)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < n->u.map.n; i++) {
		const struct ypair *p = &n->u.map.v[i];
		json_t *c = to_json(p->val, m);

		if (!c || json_object_setn_new_nocheck(o, p->key->text, p->key->len, c) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *to_json(const struct ynode *n, struct jmemo *m)
{
	bool shared = (n->flags & YNF_SHARED) && (n->type == YN_SEQ || n->type == YN_MAP);
	json_t *j;

	if (shared && (j = memo_get(m, n)))
		return json_incref(j);
	switch (n->type) {
	case YN_NULL:
		return json_null();
	case YN_BOOL:
		return json_boolean(n->u.b);
	case YN_INT:
		return json_integer((json_int_t)n->u.i);
	case YN_FLOAT:
		return isfinite(n->u.f) ? json_real(n->u.f) : json_null();
	case YN_STR:
		return json_stringn_nocheck(n->text, n->len);
	case YN_SEQ:
		j = seq_to_json(n, m);
		break;
	default:
		j = map_to_json(n, m);
		break;
	}
	if (j && shared && memo_put(m, n, j) < 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}

json_t *ynode_to_json(const struct ynode *n)
{
	struct jmemo m = { NULL, NULL, 0, 0 };
	json_t *j;

	if (!n)
		return NULL;
	j = to_json(n, &m);
	free(m.key);
	free(m.val);
	return j;
}

/* ---------------------------------------------------------------- positions */

static void path_truncate(struct strbuf *sb, size_t len)
{
	sb->len = len;
	sb->buf[len] = '\0';
}

/* Append "/" and the RFC 6901 escaped key (~ -> ~0, / -> ~1). */
static int path_add_key(struct strbuf *sb, const char *k, size_t len)
{
	size_t start = 0;

	if (strbuf_addch(sb, '/') < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (k[i] != '~' && k[i] != '/')
			continue;
		if (strbuf_add(sb, k + start, i - start) < 0 ||
		    strbuf_addstr(sb, k[i] == '~' ? "~0" : "~1") < 0)
			return -1;
		start = i + 1;
	}
	return strbuf_add(sb, k + start, len - start);
}

static int pos_walk(const struct ynode *n, struct strbuf *path, json_t *out)
{
	size_t len = path->len;
	json_t *lc = json_array();

	if (!lc)
		return -1;
	if (json_array_append_new(lc, json_integer(n->line)) < 0 ||
	    json_array_append_new(lc, json_integer(n->col)) < 0) {
		json_decref(lc);
		return -1;
	}
	if (json_object_setn_new_nocheck(out, path->buf, path->len, lc) < 0)
		return -1;
	if (n->type == YN_SEQ) {
		for (size_t i = 0; i < n->u.seq.n; i++) {
			if (strbuf_addf(path, "/%zu", i) < 0 ||
			    pos_walk(n->u.seq.v[i], path, out) < 0)
				return -1;
			path_truncate(path, len);
		}
	} else if (n->type == YN_MAP) {
		for (size_t i = 0; i < n->u.map.n; i++) {
			const struct ynode *k = n->u.map.v[i].key;

			if (path_add_key(path, k->text, k->len) < 0 ||
			    pos_walk(n->u.map.v[i].val, path, out) < 0)
				return -1;
			path_truncate(path, len);
		}
	}
	return 0;
}

json_t *ynode_positions(const struct ynode *root)
{
	struct strbuf path = STRBUF_INIT;
	json_t *out = json_object();

	if (!out || !root)
		return out;
	strbuf_init(&path);
	if (pos_walk(root, &path, out) < 0) {
		json_decref(out);
		out = NULL;
	}
	strbuf_release(&path);
	return out;
}
