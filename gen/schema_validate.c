/*
** schema_validate.c: validates a positioned YAML tree against the loaded
** schema (schema.h), reporting every problem with its file:line:col, a
** "did you mean" for misspelt keys and the allowed values of enums.
*/
#include "schema_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "strbuf.h"
#include "suggest.h"
#include "util.h"

#define SCHEMA_MAX_DEPTH 200	/* nested subschemas while validating one node */
#define SCHEMA_SHOW_MAX 80	/* characters of a value quoted in a message */

struct vctx {
	struct schema *s;
	const char *file;
	struct diag_list *dl;	/* NULL: quiet, stop at the first failure */
	struct strbuf *path;	/* dotted path of the node, for messages */
	size_t first;		/* dl index of this run's first diagnostic */
	unsigned depth;
	bool keymode;		/* the node is a mapping key (propertyNames) */
	bool patch;		/* under "mergePatch": a null in a mapping deletes */
	const struct merge *merged;	/* NULL, or what made the document */
	size_t errors;
};

/* {{{ messages */

static const char *node_type_name(const struct ynode *n)
{
	switch (n->type) {
	case YN_NULL: return "null";
	case YN_BOOL: return "a boolean";
	case YN_INT: return "an integer";
	case YN_FLOAT: return "a number";
	case YN_STR: return "a string";
	case YN_SEQ: return "a list";
	default: return "a mapping";
	}
}

static const char *json_type_name(const char *t)
{
	static const char *const map[][2] = {
		{ "string", "a string" }, { "integer", "an integer" },
		{ "number", "a number" }, { "boolean", "a boolean" },
		{ "object", "a mapping" }, { "array", "a list" }, { "null", "null" },
	};
	for (size_t i = 0; i < countof(map); i++)
		if (strcmp(t, map[i][0]) == 0)
			return map[i][1];
	return t;
}

/* A scalar as 'text' with control characters escaped, or "a mapping". */
static void show_node(struct strbuf *sb, const struct ynode *n)
{
	size_t len;

	if (!ynode_is_scalar(n)) {
		strbuf_addstr(sb, node_type_name(n));
		return;
	}
	len = util_utf8_cut(n->text, n->len, SCHEMA_SHOW_MAX);
	strbuf_addch(sb, '\'');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)n->text[i];
		if (ch == '\n')
			strbuf_addstr(sb, "\\n");
		else if (ch == '\t')
			strbuf_addstr(sb, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			strbuf_addf(sb, "\\x%02x", ch);
		else
			strbuf_addch(sb, (char)ch);
	}
	if (len < n->len)
		strbuf_addstr(sb, "...");
	strbuf_addch(sb, '\'');
}

static void show_json(struct strbuf *sb, json_t *v)
{
	if (json_is_string(v))
		strbuf_addstr(sb, json_string_value(v));
	else if (json_is_integer(v))
		strbuf_addf(sb, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		strbuf_addf(sb, "%g", json_real_value(v));
	else if (json_is_true(v))
		strbuf_addstr(sb, "true");
	else if (json_is_false(v))
		strbuf_addstr(sb, "false");
	else
		strbuf_addstr(sb, "null");
}

static const char *path_or_top(const struct vctx *c)
{
	return c->path->len ? c->path->buf : "(top level)";
}

/*
** Record one error at `n`.  The message is "<subject> <text>" where the
** subject names the value or the key being checked.  Duplicates of an
** error already recorded by this run (same place, same text) are dropped.
*/
static void report(struct vctx *c, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct vctx *c, const struct ynode *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag_pos pos = { c->file, n->line, n->col };
	va_list ap;

	c->errors++;
	if (c->dl == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (size_t i = c->first; i < c->dl->n; i++) {
		const struct diag *d = &c->dl->v[i];
		if (d->pos.line == pos.line && d->pos.col == pos.col &&
		    strcmp(d->msg, sb.buf) == 0) {
			strbuf_release(&sb);
			return;
		}
	}
	diag_addf(c->dl, DIAG_ERROR, "schema", pos, "%s", sb.buf);
	strbuf_release(&sb);
}

/*
** A failure of a quiet run (an anyOf branch, an if's test: no diagnostics
** kept) only counts: true then, so that the caller builds no message.
** Failing tests of `if` are most of a valid description's failures, and
** their messages (the value shown, the allowed ones listed) were 15% of
** its validation.
*/
static bool quiet_fail(struct vctx *c)
{
	if (c->dl != NULL)
		return false;
	c->errors++;
	return true;
}

/* "invalid value 'x' for 'a.b'" or "invalid key 'x' in 'a.b'" */
static void subject(struct vctx *c, struct strbuf *sb, const struct ynode *n)
{
	strbuf_addstr(sb, c->keymode ? "invalid key " : "invalid value ");
	show_node(sb, n);
	strbuf_addf(sb, c->keymode ? " in '%s'" : " for '%s'", path_or_top(c));
}

/* }}} */
/* {{{ validation */

static void v_node(struct vctx *c, const struct ynode *n, json_t *sch);

static bool quiet_ok(struct vctx *c, const struct ynode *n, json_t *sch)
{
	struct vctx q = *c;

	q.dl = NULL;
	q.errors = 0;
	v_node(&q, n, sch);
	return q.errors == 0;
}

static bool stop(const struct vctx *c)
{
	return c->dl == NULL && c->errors > 0;
}

bool schema_is_integral(double f)
{
	return isfinite(f) && f == floor(f) && fabs(f) < 9007199254740992.0;
}

static bool type_is(const struct ynode *n, const char *t)
{
	switch (n->type) {
	case YN_NULL: return strcmp(t, "null") == 0;
	case YN_BOOL: return strcmp(t, "boolean") == 0;
	case YN_INT: return strcmp(t, "integer") == 0 || strcmp(t, "number") == 0;
	case YN_FLOAT:
		return strcmp(t, "number") == 0 ||
		       (strcmp(t, "integer") == 0 && schema_is_integral(n->u.f));
	case YN_STR: return strcmp(t, "string") == 0;
	case YN_SEQ: return strcmp(t, "array") == 0;
	default: return strcmp(t, "object") == 0;
	}
}

static bool type_ok(const struct ynode *n, json_t *type)
{
	size_t i;
	json_t *t;

	if (json_is_string(type))
		return type_is(n, json_string_value(type));
	json_array_foreach(type, i, t)
		if (json_is_string(t) && type_is(n, json_string_value(t)))
			return true;
	return false;
}

/* "a string or null" */
static void type_list(struct strbuf *sb, json_t *types)
{
	size_t i, n = json_array_size(types);
	json_t *t;

	if (json_is_string(types)) {
		strbuf_addstr(sb, json_type_name(json_string_value(types)));
		return;
	}
	json_array_foreach(types, i, t) {
		if (i > 0)
			strbuf_addstr(sb, i + 1 == n ? " or " : ", ");
		strbuf_addstr(sb, json_type_name(json_string_value(t)));
	}
}

static double node_num(const struct ynode *n)
{
	return n->type == YN_INT ? (double)n->u.i : n->u.f;
}

static bool node_equals(const struct ynode *n, json_t *v)
{
	switch (n->type) {
	case YN_NULL: return json_is_null(v);
	case YN_BOOL: return json_is_boolean(v) && json_is_true(v) == n->u.b;
	case YN_INT:
	case YN_FLOAT: return json_is_number(v) && json_number_value(v) == node_num(n);
	case YN_STR:
		return json_is_string(v) && json_string_length(v) == n->len &&
		       memcmp(json_string_value(v), n->text, n->len) == 0;
	default: return false;	/* our schema has no collection enums */
	}
}

static bool nodes_equal(const struct ynode *a, const struct ynode *b)
{
	if (!ynode_is_scalar(a) || !ynode_is_scalar(b))
		return a == b;
	if ((a->type == YN_INT || a->type == YN_FLOAT) &&
	    (b->type == YN_INT || b->type == YN_FLOAT))
		return node_num(a) == node_num(b);
	return a->type == b->type && a->len == b->len &&
	       memcmp(a->text, b->text, a->len) == 0;
}

static void v_enum(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *e = json_object_get(sch, "enum"), *k = json_object_get(sch, "const");
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *v;

	if (e != NULL) {
		json_array_foreach(e, i, v)
			if (node_equals(n, v))
				return;
		if (quiet_fail(c))
			return;
		subject(c, &sb, n);
		strbuf_addstr(&sb, "; allowed values: ");
		json_array_foreach(e, i, v) {
			if (i > 0)
				strbuf_addstr(&sb, ", ");
			show_json(&sb, v);
		}
		report(c, n, "%s", sb.buf);
	} else if (k != NULL && !node_equals(n, k) && !quiet_fail(c)) {
		subject(c, &sb, n);
		strbuf_addstr(&sb, "; the only value allowed here is ");
		show_json(&sb, k);
		report(c, n, "%s", sb.buf);
	}
	strbuf_release(&sb);
}

static pcre2_code *find_re(const struct schema *s, json_t *pat)
{
	for (size_t i = 0; i < s->nre; i++)
		if (s->re[i].pat == pat)
			return s->re[i].code;
	return NULL;
}

static void v_string(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *pat = json_object_get(sch, "pattern");
	json_t *maxl = json_object_get(sch, "maxLength");
	json_t *minl = json_object_get(sch, "minLength");
	struct strbuf sb = STRBUF_INIT;
	size_t len = util_utf8_chars(n->text, n->len);

	if (pat != NULL) {
		pcre2_code *re = find_re(c->s, pat);
		if (re && pcre2_match(re, (PCRE2_SPTR)n->text, n->len, 0, 0,
				      c->s->md, NULL) < 0 && !quiet_fail(c)) {
			subject(c, &sb, n);
			report(c, n, "%s: does not match '%s'", sb.buf,
			       json_string_value(pat));
		}
	}
	if (maxl && json_is_integer(maxl) && len > (size_t)json_integer_value(maxl))
		report(c, n, "'%s' must be at most %lld characters long, not %zu",
		       path_or_top(c), (long long)json_integer_value(maxl), len);
	if (minl && json_is_integer(minl) && len < (size_t)json_integer_value(minl))
		report(c, n, "'%s' must be at least %lld characters long, not %zu",
		       path_or_top(c), (long long)json_integer_value(minl), len);
	strbuf_release(&sb);
}

static void v_number(struct vctx *c, const struct ynode *n, json_t *sch)
{
	static const struct { const char *kw, *text; int sign; bool excl; } lim[] = {
		{ "minimum", "at least", -1, false },
		{ "exclusiveMinimum", "greater than", -1, true },
		{ "maximum", "at most", 1, false },
		{ "exclusiveMaximum", "less than", 1, true },
	};
	double x = node_num(n);

	if (isnan(x)) {		/* no JSON number, and every comparison with it is false */
		report(c, n, "'%s' must be a number, not %s", path_or_top(c), n->text);
		return;
	}
	for (size_t i = 0; i < countof(lim); i++) {
		json_t *l = json_object_get(sch, lim[i].kw);
		double b;
		bool bad;
		if (l == NULL || !json_is_number(l))
			continue;
		b = json_number_value(l);
		bad = lim[i].sign < 0 ? (lim[i].excl ? x <= b : x < b)
				      : (lim[i].excl ? x >= b : x > b);
		if (bad && json_is_integer(l))	/* %g would print 2147483647 as 2.14748e+09 */
			report(c, n, "'%s' must be %s %lld, not %s", path_or_top(c),
			       lim[i].text, (long long)json_integer_value(l), n->text);
		else if (bad)
			report(c, n, "'%s' must be %s %g, not %s", path_or_top(c),
			       lim[i].text, b, n->text);
	}
}

static void push_key(struct strbuf *path, const char *key, size_t len)
{
	bool plain = strcspn(key, "./[]\"") >= len;

	if (plain) {
		if (path->len)
			strbuf_addch(path, '.');
		strbuf_add(path, key, len);
	} else {
		strbuf_addstr(path, "[\"");
		strbuf_add(path, key, len);
		strbuf_addstr(path, "\"]");
	}
}

static void pop_to(struct strbuf *path, size_t len)
{
	path->len = len;
	path->buf[len] = '\0';
}

/* Names of `properties` (own only), for "did you mean". */
static size_t prop_names(json_t *props, const char **names, size_t max)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	json_object_foreach(props, k, v) {
		(void)v;
		if (n < max)
			names[n++] = k;
	}
	return n;
}

static void v_unknown_key(struct vctx *c, const struct ypair *p, json_t *props)
{
	const char *names[64], *best;
	size_t n;
	struct strbuf sb = STRBUF_INIT;

	if (quiet_fail(c))
		return;
	n = props ? prop_names(props, names, countof(names)) : 0;
	best = suggest_closest(p->key->text, names, n);
	if (c->path->len)
		strbuf_addf(&sb, "unknown key '%s' in '%s'", p->key->text, c->path->buf);
	else
		strbuf_addf(&sb, "unknown top-level key '%s'", p->key->text);
	if (best)
		strbuf_addf(&sb, "; did you mean '%s'?", best);
	report(c, p->key, "%s", sb.buf);
	strbuf_release(&sb);
}

/*
** The value of `key` in the mapping `n`, or NULL when it has none; in a
** merge patch a null deletes the key, so there the key counts as absent
** (for required and minProperties, in an if's test as anywhere).
*/
static const struct ynode *member(const struct vctx *c, const struct ynode *n,
				  const char *key)
{
	const struct ynode *v = ynode_get(n, key);

	return v && c->patch && v->type == YN_NULL ? NULL : v;
}

/* Keys of the mapping `n`, less those a merge patch deletes. */
static size_t members(const struct vctx *c, const struct ynode *n)
{
	size_t cnt = 0;

	for (size_t i = 0; i < n->u.map.n; i++)
		if (!c->patch || n->u.map.v[i].val->type != YN_NULL)
			cnt++;
	return cnt;
}

static void v_object(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *props = json_object_get(sch, "properties");
	json_t *addl = json_object_get(sch, "additionalProperties");
	json_t *names = json_object_get(sch, "propertyNames");
	json_t *req = json_object_get(sch, "required");
	json_t *minP = json_object_get(sch, "minProperties");
	size_t i;
	json_t *r;

	if (minP && json_is_integer(minP) && members(c, n) < (size_t)json_integer_value(minP))
		report(c, n, "'%s' must have at least %lld key%s", path_or_top(c),
		       (long long)json_integer_value(minP), json_integer_value(minP) == 1 ? "" : "s");
	json_array_foreach(req, i, r) {
		const struct ynode *at;
		if (member(c, n, json_string_value(r)) != NULL)
			continue;
		/* at the overlay's null that deleted it, if one did */
		at = c->merged ? merge_deleted(c->merged, n, json_string_value(r))
			       : ynode_get(n, json_string_value(r));
		if (c->path->len)
			report(c, at ? at : n, "missing required key '%s' in '%s'",
			       json_string_value(r), c->path->buf);
		else
			report(c, at ? at : n, "missing required top-level key '%s'",
			       json_string_value(r));
		if (stop(c))
			return;
	}
	for (i = 0; i < n->u.map.n && !stop(c); i++) {
		const struct ypair *p = &n->u.map.v[i];
		json_t *psch = props ? json_object_get(props, p->key->text) : NULL;
		size_t mark = c->path->len;

		if (names) {
			bool km = c->keymode;
			c->keymode = true;
			v_node(c, p->key, names);
			c->keymode = km;
		}
		if (psch == NULL && json_is_false(addl)) {
			v_unknown_key(c, p, props);
			continue;
		}
		if (c->patch && p->val->type == YN_NULL)
			continue;	/* deletes the key: nothing to check */
		if (psch == NULL)
			psch = addl;
		if (psch == NULL)
			continue;
		push_key(c->path, p->key->text, p->key->len);
		v_node(c, p->val, psch);
		pop_to(c->path, mark);
	}
}

static void v_array(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *items = json_object_get(sch, "items");
	json_t *minI = json_object_get(sch, "minItems");
	json_t *maxI = json_object_get(sch, "maxItems");
	size_t cnt = n->u.seq.n;
	bool patch = c->patch;

	c->patch = false;	/* a merge patch replaces lists whole: nulls are items */
	if (minI && json_is_integer(minI) && cnt < (size_t)json_integer_value(minI))
		report(c, n, "'%s' must have at least %lld items", path_or_top(c),
		       (long long)json_integer_value(minI));
	if (maxI && json_is_integer(maxI) && cnt > (size_t)json_integer_value(maxI))
		report(c, n, "'%s' must have at most %lld items", path_or_top(c),
		       (long long)json_integer_value(maxI));
	for (size_t i = 0; items && i < cnt && !stop(c); i++) {
		size_t mark = c->path->len;
		strbuf_addf(c->path, "[%zu]", i);
		v_node(c, n->u.seq.v[i], items);
		pop_to(c->path, mark);
	}
	if (json_is_true(json_object_get(sch, "uniqueItems"))) {
		/* pairwise: lists in descriptions are short */
		for (size_t i = 1; i < cnt && !stop(c); i++)
			for (size_t j = 0; j < i; j++)
				if (nodes_equal(n->u.seq.v[i], n->u.seq.v[j])) {
					struct strbuf sb = STRBUF_INIT;
					show_node(&sb, n->u.seq.v[i]);
					report(c, n->u.seq.v[i], "'%s' lists %s twice",
					       path_or_top(c), sb.buf);
					strbuf_release(&sb);
					break;
				}
	}
	c->patch = patch;
}

/* The "type" a branch insists on (through $ref and allOf), or NULL. */
static json_t *branch_type(const struct schema *s, json_t *sch, unsigned depth)
{
	json_t *t, *r, *all, *m;
	size_t i;

	if (!json_is_object(sch) || depth > 32)
		return NULL;
	if ((t = json_object_get(sch, "type")) != NULL)
		return t;
	if ((r = json_object_get(sch, "$ref")) != NULL &&
	    (t = branch_type(s, schema_resolve_ref(s, json_string_value(r)), depth + 1)))
		return t;
	all = json_object_get(sch, "allOf");
	json_array_foreach(all, i, m)
		if ((t = branch_type(s, m, depth + 1)) != NULL)
			return t;
	return NULL;
}

/*
** anyOf: when no branch matches, explain with the branch written for the
** node's type ('a string' that breaks the pattern), else list the types.
*/
static void v_anyof(struct vctx *c, const struct ynode *n, json_t *list)
{
	json_t *b, *all = json_array();
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	json_array_foreach(list, i, b)
		if (quiet_ok(c, n, b))
			goto out;
	if (quiet_fail(c))
		goto out;
	json_array_foreach(list, i, b) {
		json_t *t = branch_type(c->s, b, 0);
		if (t == NULL || type_ok(n, t)) {
			v_node(c, n, b);
			goto out;
		}
		if (json_is_string(t))
			json_array_append(all, t);
		else
			json_array_extend(all, t);
	}
	type_list(&sb, all);
	report(c, n, "'%s' must be %s, not %s", path_or_top(c), sb.buf,
	       node_type_name(n));
out:
	strbuf_release(&sb);
	json_decref(all);
}

/* Give errors recorded since `from` the hint `text` when they have none. */
static void add_hints(struct vctx *c, size_t from, json_t *text)
{
	if (c->dl == NULL || !json_is_string(text))
		return;
	for (size_t i = from; i < c->dl->n; i++)
		if (c->dl->v[i].hint == NULL)
			c->dl->v[i].hint = strdup(json_string_value(text));
}

static void v_logic(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *all = json_object_get(sch, "allOf"), *m;
	json_t *any = json_object_get(sch, "anyOf");
	json_t *not = json_object_get(sch, "not");
	json_t *cond = json_object_get(sch, "if");
	size_t i;

	json_array_foreach(all, i, m) {
		if (stop(c))
			return;
		v_node(c, n, m);
	}
	if (any && !stop(c))
		v_anyof(c, n, any);
	if (not && !stop(c) && quiet_ok(c, n, not) && !quiet_fail(c)) {
		struct strbuf sb = STRBUF_INIT;
		subject(c, &sb, n);
		report(c, n, "%s", sb.buf);
		strbuf_release(&sb);
	}
	if (cond && !stop(c)) {
		json_t *branch = json_object_get(sch, quiet_ok(c, n, cond) ? "then" : "else");
		size_t from = c->dl ? c->dl->n : 0;
		if (branch)
			v_node(c, n, branch);
		add_hints(c, from, json_object_get(sch, "description"));
	}
}

static void v_keywords(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *ref = json_object_get(sch, "$ref");
	json_t *type = json_object_get(sch, "type");

	if (ref != NULL) {
		v_node(c, n, schema_resolve_ref(c->s, json_string_value(ref)));
		if (stop(c))
			return;
	}
	if (type != NULL && !type_ok(n, type)) {
		struct strbuf sb = STRBUF_INIT;
		type_list(&sb, type);
		if (c->keymode)
			report(c, n, "key '%s' in '%s' must be %s", n->text,
			       path_or_top(c), sb.buf);
		else
			report(c, n, "'%s' must be %s, not %s", path_or_top(c),
			       sb.buf, node_type_name(n));
		strbuf_release(&sb);
		return;
	}
	v_enum(c, n, sch);
	if (stop(c))
		return;
	if (n->type == YN_STR)
		v_string(c, n, sch);
	else if (n->type == YN_INT || n->type == YN_FLOAT)
		v_number(c, n, sch);
	else if (n->type == YN_MAP)
		v_object(c, n, sch);
	else if (n->type == YN_SEQ)
		v_array(c, n, sch);
	if (!stop(c))
		v_logic(c, n, sch);
}

static void v_node(struct vctx *c, const struct ynode *n, json_t *sch)
{
	json_t *msg;
	bool patch = c->patch;

	if (sch == NULL || json_is_true(sch))
		return;
	if (json_is_false(sch)) {
		struct strbuf sb = STRBUF_INIT;

		if (quiet_fail(c))
			return;
		subject(c, &sb, n);
		report(c, n, "%s: not allowed", sb.buf);
		strbuf_release(&sb);
		return;
	}
	if (c->depth >= SCHEMA_MAX_DEPTH) {
		report(c, n, "'%s' nests too deeply", path_or_top(c));
		return;
	}
	c->depth++;
	if (json_is_true(json_object_get(sch, "mergePatch")))
		c->patch = true;
	msg = json_object_get(sch, "errorMessage");
	if (msg != NULL && c->dl != NULL) {
		struct vctx q = *c;
		q.dl = NULL;
		q.errors = 0;
		v_keywords(&q, n, sch);
		if (q.errors) {
			struct strbuf sb = STRBUF_INIT;
			subject(c, &sb, n);
			report(c, n, "%s: %s", sb.buf, json_string_value(msg));
			strbuf_release(&sb);
		}
	} else {
		v_keywords(c, n, sch);
	}
	c->patch = patch;
	c->depth--;
}

size_t schema_validate_merged(struct schema *s, const struct ynode *doc,
			      const struct merge *m, const char *file,
			      struct diag_list *dl)
{
	struct strbuf path = STRBUF_INIT;
	struct vctx c = { s, file, dl, &path, dl->n, 0, false, false, m, 0 };

	strbuf_addstr(&path, "");
	v_node(&c, doc, s->root);
	strbuf_release(&path);
	return c.errors;
}

size_t schema_validate(struct schema *s, const struct ynode *doc,
		       const char *file, struct diag_list *dl)
{
	return schema_validate_merged(s, doc, NULL, file, dl);
}

/* }}} */
