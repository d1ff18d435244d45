/*
** schema.c: loads schema/sparkgen.schema.json and checks that it uses only
** the keywords the interpreter knows (schema.h), with $refs that resolve and
** patterns that compile.  Validation is in schema_validate.c, conversion
** and defaults in schema_fill.c.
*/
#include "schema_int.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

static const char *const schema_keywords[] = {
	"$schema", "$id", "$ref", "$comment", "title", "description", "default",
	"examples", "errorMessage", "definitions", "$defs", "type", "enum",
	"const", "properties", "additionalProperties", "required",
	"propertyNames", "pattern", "minLength", "maxLength", "minimum",
	"maximum", "exclusiveMinimum", "exclusiveMaximum", "items", "minItems",
	"maxItems", "uniqueItems", "minProperties", "allOf", "anyOf", "not", "if",
	"then", "else", "mergePatch",
};


static int check_schema(struct schema *s, json_t *sch, struct strbuf *where,
			struct diag_list *dl);

static struct diag_pos schema_pos(const struct schema *s)
{
	struct diag_pos p = { s->file, 0, 0 };
	return p;
}

json_t *schema_resolve_ref(const struct schema *s, const char *ref)
{
	static const char *const prefixes[] = { "#/definitions/", "#/$defs/" };

	if (strcmp(ref, "#") == 0)
		return s->root;
	for (size_t i = 0; i < countof(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(ref, prefixes[i], n) == 0)
			return json_object_get(json_object_get(s->root,
				prefixes[i][2] == 'd' ? "definitions" : "$defs"), ref + n);
	}
	return NULL;
}

/* ECMAScript's \s: WhiteSpace and LineTerminator (ECMA-262), as a class's contents. */
#define ECMA_SPACE "\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029" \
		   "\\u202f\\u205f\\u3000\\ufeff"	/* PCRE2_ALT_BSUX: \uhhhh */

/*
** A JSON Schema pattern is an ECMAScript regex; PCRE2 reads nearly all of
** them alike, but its \s (ASCII) misses what ECMAScript counts as space
** (U+00A0, U+2028, ...): spell \s and \S out.  \S inside a character
** class has no spelling; *bad is set.  With `at`, *at is where in p the
** output's byte `want` comes from (n past the end): PCRE2's error offsets
** are in the output, the schema's author wrote p.
*/
static void ecma_pattern(const char *p, size_t n, struct strbuf *out, bool *bad,
			 size_t want, size_t *at)
{
	bool in_class = false;

	*bad = false;
	if (at)
		*at = n;
	for (size_t i = 0; i < n; i++) {
		size_t from = i, len = out->len;

		if (p[i] == '\\' && i + 1 < n && (p[i + 1] == 's' || p[i + 1] == 'S')) {
			if (in_class && p[i + 1] == 'S')
				*bad = true;
			strbuf_addstr(out, in_class ? ECMA_SPACE :
					   p[i + 1] == 's' ? "[" ECMA_SPACE "]" : "[^" ECMA_SPACE "]");
			i++;
		} else if (p[i] == '\\' && i + 1 < n) {
			strbuf_add(out, p + i, 2);
			i++;
		} else if (p[i] == '[' && !in_class) {
			in_class = true;
			strbuf_addch(out, '[');
			/* a ']' first in the class (after a '^') is a literal */
			if (i + 1 < n && p[i + 1] == '^')
				strbuf_addch(out, p[++i]);
			if (i + 1 < n && p[i + 1] == ']')
				strbuf_addch(out, p[++i]);
		} else {
			if (p[i] == ']' && in_class)
				in_class = false;
			strbuf_addch(out, p[i]);
		}
		/* a piece copied as it is maps byte for byte; \s spelled out, to its start */
		if (at && want >= len && want < out->len)
			*at = from + (out->len - len == i + 1 - from ? want - len : 0);
	}
}

static int compile_pattern(struct schema *s, json_t *pat, const char *where,
			   struct diag_list *dl)
{
	struct strbuf re = STRBUF_INIT;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;
	size_t at;
	bool bad;

	for (size_t i = 0; i < s->nre; i++)
		if (s->re[i].pat == pat)
			return 0;
	ecma_pattern(json_string_value(pat), json_string_length(pat), &re, &bad, 0, NULL);
	if (re.oom) {
		strbuf_release(&re);
		return diag_addf(dl, DIAG_ERROR, "oom", schema_pos(s), "out of memory");
	}
	if (bad) {
		strbuf_release(&re);
		return diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s), "bad pattern at '%s': "
				 "\\S inside a character class is not supported", where);
	}
	code = pcre2_compile((PCRE2_SPTR)re.buf, re.len,
			     PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY,
			     &err, &off, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];

		strbuf_reset(&re);	/* again, to map the offset back */
		ecma_pattern(json_string_value(pat), json_string_length(pat), &re, &bad,
			     (size_t)off, &at);
		strbuf_release(&re);
		pcre2_get_error_message(err, msg, sizeof msg);
		return diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				 "bad pattern at '%s': %s at offset %zu", where,
				 (const char *)msg, at);
	}
	strbuf_release(&re);
	if (s->nre == s->are) {
		size_t n = s->are ? 2 * s->are : 16;
		struct schema_re *v = realloc(s->re, n * sizeof *v);
		if (v == NULL) {
			pcre2_code_free(code);
			return diag_addf(dl, DIAG_ERROR, "oom", schema_pos(s), "out of memory");
		}
		s->re = v;
		s->are = n;
	}
	s->re[s->nre].pat = pat;
	s->re[s->nre++].code = code;
	return 0;
}

static int check_child(struct schema *s, json_t *sch, struct strbuf *where,
		       const char *key, struct diag_list *dl)
{
	size_t len = where->len;
	int rc;

	strbuf_addf(where, "/%s", key);
	rc = check_schema(s, sch, where, dl);
	where->len = len;
	where->buf[len] = '\0';
	return rc;
}

static int check_map_of_schemas(struct schema *s, json_t *map,
				struct strbuf *where, const char *kw,
				struct diag_list *dl)
{
	const char *k;
	json_t *v;
	int rc = 0;

	if (!json_is_object(map))
		return diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				 "'%s/%s' must be an object", where->buf, kw);
	json_object_foreach(map, k, v) {
		size_t len = where->len;
		strbuf_addf(where, "/%s", kw);
		rc |= check_child(s, v, where, k, dl);
		where->len = len;
		where->buf[len] = '\0';
	}
	return rc;
}

static int check_list_of_schemas(struct schema *s, json_t *list,
				 struct strbuf *where, const char *kw,
				 struct diag_list *dl)
{
	size_t i;
	json_t *v;
	int rc = 0;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				 "'%s/%s' must be a non-empty array", where->buf, kw);
	json_array_foreach(list, i, v) {
		char idx[64];
		snprintf(idx, sizeof idx, "%s/%zu", kw, i);
		rc |= check_child(s, v, where, idx, dl);
	}
	return rc;
}

/* Every subschema: known keywords only, refs resolve, patterns compile. */
static int check_schema(struct schema *s, json_t *sch, struct strbuf *where,
			struct diag_list *dl)
{
	static const char *const single[] = {
		"additionalProperties", "propertyNames", "items", "not", "if",
		"then", "else",
	};
	static const char *const lists[] = { "allOf", "anyOf" };
	const char *k;
	json_t *v;
	int rc = 0;

	if (json_is_boolean(sch))
		return 0;
	if (!json_is_object(sch))
		return diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				 "'%s' is not a schema", where->buf);
	json_object_foreach(sch, k, v) {
		size_t i;
		for (i = 0; i < countof(schema_keywords); i++)
			if (strcmp(k, schema_keywords[i]) == 0)
				break;
		if (i == countof(schema_keywords))
			rc = diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				       "unsupported keyword '%s' at '%s'", k, where->buf);
	}
	if ((v = json_object_get(sch, "$ref")) != NULL &&
	    (!json_is_string(v) || schema_resolve_ref(s, json_string_value(v)) == NULL))
		rc = diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
			       "unresolved $ref at '%s'", where->buf);
	if ((v = json_object_get(sch, "pattern")) != NULL) {
		if (!json_is_string(v))
			rc = diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
				       "pattern at '%s' must be a string", where->buf);
		else
			rc |= compile_pattern(s, v, where->buf, dl);
	}
	if ((v = json_object_get(sch, "errorMessage")) != NULL && !json_is_string(v))
		rc = diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
			       "errorMessage at '%s' must be a string", where->buf);
	if ((v = json_object_get(sch, "mergePatch")) != NULL && !json_is_boolean(v))
		rc = diag_addf(dl, DIAG_ERROR, "schema", schema_pos(s),
			       "mergePatch at '%s' must be a boolean", where->buf);
	for (size_t i = 0; i < countof(single); i++)
		if ((v = json_object_get(sch, single[i])) != NULL)
			rc |= check_child(s, v, where, single[i], dl);
	for (size_t i = 0; i < countof(lists); i++)
		if ((v = json_object_get(sch, lists[i])) != NULL)
			rc |= check_list_of_schemas(s, v, where, lists[i], dl);
	if ((v = json_object_get(sch, "properties")) != NULL)
		rc |= check_map_of_schemas(s, v, where, "properties", dl);
	if ((v = json_object_get(sch, "definitions")) != NULL)
		rc |= check_map_of_schemas(s, v, where, "definitions", dl);
	return rc ? -1 : 0;
}

int schema_load_string(struct schema *s, const char *name, const char *text,
		       struct diag_list *dl)
{
	json_error_t jerr;
	struct strbuf where = STRBUF_INIT;
	int rc;

	memset(s, 0, sizeof *s);
	s->file = util_intern(name);
	s->root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (s->root == NULL) {
		struct diag_pos p = { s->file, (unsigned)jerr.line, (unsigned)jerr.column };
		return diag_addf(dl, DIAG_ERROR, "schema", p, "%s", jerr.text);
	}
	strbuf_addstr(&where, "#");
	rc = check_schema(s, s->root, &where, dl);
	strbuf_release(&where);
	if (rc == 0) {
		s->md = pcre2_match_data_create(16, NULL);
		if (s->md == NULL)
			rc = diag_addf(dl, DIAG_ERROR, "oom", schema_pos(s), "out of memory");
	}
	return rc;
}

int schema_load(struct schema *s, const char *path, struct diag_list *dl)
{
	char *text = util_read_file(path, 16u << 20, NULL, dl);
	int rc;

	if (text == NULL) {
		memset(s, 0, sizeof *s);
		return -1;
	}
	rc = schema_load_string(s, path, text, dl);
	free(text);
	return rc;
}

int schema_share(struct schema *s, const struct schema *src, struct diag_list *dl)
{
	*s = *src;
	s->shared = true;
	s->md = pcre2_match_data_create(16, NULL);	/* pcre2_match writes it */
	if (s->md == NULL)
		return diag_addf(dl, DIAG_ERROR, "oom", schema_pos(s), "out of memory");
	return 0;
}

void schema_release(struct schema *s)
{
	if (!s->shared) {
		for (size_t i = 0; i < s->nre; i++)
			pcre2_code_free(s->re[i].code);
		free(s->re);
		json_decref(s->root);
	}
	pcre2_match_data_free(s->md);
	memset(s, 0, sizeof *s);
}

