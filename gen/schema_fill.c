/*
** schema_fill.c: converts a validated tree to JSON guided by the schema
** (text kept where a string is also allowed) and fills in the schema's
** defaults (schema.h).
*/
#include "schema_int.h"

#include <string.h>

/* {{{ conversion and defaults */

/* The schema of property `key` under `sch`, through $ref and allOf. */
static json_t *sub_property(const struct schema *s, json_t *sch,
			    const char *key, unsigned depth)
{
	json_t *p, *r, *all, *m;
	size_t i;

	if (!json_is_object(sch) || depth > 32)
		return NULL;
	if ((p = json_object_get(json_object_get(sch, "properties"), key)) != NULL)
		return p;
	if ((r = json_object_get(sch, "$ref")) != NULL &&
	    (p = sub_property(s, schema_resolve_ref(s, json_string_value(r)), key, depth + 1)))
		return p;
	all = json_object_get(sch, "allOf");
	json_array_foreach(all, i, m)
		if ((p = sub_property(s, m, key, depth + 1)) != NULL)
			return p;
	if ((p = json_object_get(sch, "additionalProperties")) != NULL && json_is_object(p))
		return p;
	return NULL;
}

/* A keyword of `sch` itself or of what its $ref / allOf lead to. */
static json_t *find_keyword(const struct schema *s, json_t *sch,
			    const char *kw, unsigned depth)
{
	json_t *v, *r, *all, *m;
	size_t i;

	if (!json_is_object(sch) || depth > 32)
		return NULL;
	if ((v = json_object_get(sch, kw)) != NULL)
		return v;
	if ((r = json_object_get(sch, "$ref")) != NULL &&
	    (v = find_keyword(s, schema_resolve_ref(s, json_string_value(r)), kw, depth + 1)))
		return v;
	all = json_object_get(sch, "allOf");
	json_array_foreach(all, i, m)
		if ((v = find_keyword(s, m, kw, depth + 1)) != NULL)
			return v;
	return NULL;
}

static bool takes_string(json_t *type)
{
	size_t i;
	json_t *t;

	json_array_foreach(type, i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), "string") == 0)
			return true;
	return false;
}

static bool type_names(json_t *type, const char *t)
{
	size_t i;
	json_t *v;

	if (json_is_string(type))
		return strcmp(json_string_value(type), t) == 0;
	json_array_foreach(type, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), t) == 0)
			return true;
	return false;
}

/* Does `sch` take integers and no other numbers (its type, or anyOf's)? */
static bool wants_integer(struct schema *s, json_t *sch)
{
	json_t *type = find_keyword(s, sch, "type", 0), *any, *m;
	bool integer = false;
	size_t i;

	if (type)
		return type_names(type, "integer") && !type_names(type, "number");
	any = find_keyword(s, sch, "anyOf", 0);
	json_array_foreach(any, i, m) {
		json_t *t = find_keyword(s, m, "type", 0);

		if (type_names(t, "number"))
			return false;
		integer |= type_names(t, "integer");
	}
	return integer;
}

static json_t *conv(struct schema *s, const struct ynode *n, json_t *sch)
{
	json_t *out;

	switch (n->type) {
	case YN_MAP:
		out = json_object();
		for (size_t i = 0; out && i < n->u.map.n; i++) {
			const struct ypair *p = &n->u.map.v[i];
			json_t *v = conv(s, p->val, sub_property(s, sch, p->key->text, 0));
			if (v == NULL || json_object_setn_new(out, p->key->text,
							      p->key->len, v) < 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	case YN_SEQ:
		out = json_array();
		for (size_t i = 0; out && i < n->u.seq.n; i++) {
			json_t *v = conv(s, n->u.seq.v[i], find_keyword(s, sch, "items", 0));
			if (v == NULL || json_array_append_new(out, v) < 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	case YN_STR:
		return json_stringn(n->text, n->len);
	case YN_NULL:
		return json_null();
	default:
		if (takes_string(find_keyword(s, sch, "type", 0)))
			return json_stringn(n->text, n->len);
		if (n->type == YN_BOOL)
			return json_boolean(n->u.b);
		if (n->type == YN_INT)
			return json_integer((json_int_t)n->u.i);
		/*
		** JSON Schema's "integer" takes 3.0 and 1e0 too; where only an
		** integer fits, the model gets one, so templates write 3, not 3.0
		** (which the API server refuses) and sort it with the others.
		*/
		if (schema_is_integral(n->u.f) && wants_integer(s, sch))
			return json_integer((json_int_t)n->u.f);
		return json_real(n->u.f);
	}
}

json_t *schema_to_json(struct schema *s, const struct ynode *doc)
{
	return conv(s, doc, s->root);
}

/* Calls fn for every property schema of `sch` (own, $ref'd and allOf'd). */
static int each_property(struct schema *s, json_t *sch, json_t *doc,
			 int (*fn)(struct schema *, json_t *, const char *, json_t *),
			 unsigned depth)
{
	json_t *props, *r, *all, *m, *v;
	const char *k;
	size_t i;

	if (!json_is_object(sch) || depth > 32)
		return 0;
	props = json_object_get(sch, "properties");
	json_object_foreach(props, k, v)
		if (fn(s, doc, k, v) < 0)
			return -1;
	if ((r = json_object_get(sch, "$ref")) != NULL &&
	    each_property(s, schema_resolve_ref(s, json_string_value(r)), doc, fn, depth + 1) < 0)
		return -1;
	all = json_object_get(sch, "allOf");
	json_array_foreach(all, i, m)
		if (each_property(s, m, doc, fn, depth + 1) < 0)
			return -1;
	return 0;
}

static bool has_properties(struct schema *s, json_t *sch)
{
	return find_keyword(s, sch, "properties", 0) != NULL;
}

static int fill_one(struct schema *s, json_t *doc, const char *key, json_t *psch)
{
	json_t *v = json_object_get(doc, key);
	json_t *def, *type;

	if (v == NULL) {
		if ((def = find_keyword(s, psch, "default", 0)) != NULL)
			return json_object_set_new(doc, key, json_deep_copy(def));
		if (!has_properties(s, psch))
			return 0;
		if (json_object_set_new(doc, key, json_object()) < 0)
			return -1;
		v = json_object_get(doc, key);
	}
	if (json_is_object(v))
		return each_property(s, psch, v, fill_one, 0);
	type = find_keyword(s, psch, "type", 0);
	if (json_is_real(v) && json_is_string(type) &&
	    strcmp(json_string_value(type), "integer") == 0 && schema_is_integral(json_real_value(v)))
		return json_object_set_new(doc, key, json_integer((json_int_t)json_real_value(v)));
	return 0;
}

int schema_fill_defaults(struct schema *s, json_t *doc)
{
	return each_property(s, s->root, doc, fill_one, 0);
}

json_t *schema_defaults(struct schema *s)
{
	json_t *doc = json_object();

	if (doc && schema_fill_defaults(s, doc) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* }}} */
