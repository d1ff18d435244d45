/*
** test_gen_schema.c: the JSON Schema interpreter over positioned trees
** (gen/schema.c): messages, positions, suggestions, hints, defaults, and
** the shipped schema itself.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "merge.h"
#include "schema.h"
#include "util.h"
#include "ydoc.h"

static const char test_schema[] =
	"{\"type\": \"object\", \"additionalProperties\": false,"
	" \"required\": [\"app\"],"
	" \"properties\": {"
	"  \"app\": {\"type\": \"object\", \"additionalProperties\": false,"
	"   \"required\": [\"name\"],"
	"   \"properties\": {"
	"    \"name\": {\"type\": \"string\", \"pattern\": \"^[a-z]+$\", \"maxLength\": 8,"
	"             \"errorMessage\": \"must be lowercase letters\"},"
	"    \"namespace\": {\"type\": \"string\", \"default\": \"default\"},"
	"    \"target\": {\"enum\": [\"native-3x\", \"legacy-fork\"], \"default\": \"native-3x\"},"
	"    \"cores\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"default\": 1},"
	"    \"count\": {\"type\": \"integer\", \"minimum\": 1},"
	"    \"image\": {\"anyOf\": [{\"type\": \"string\", \"pattern\": \"^\\\\S+$\"}, {\"type\": \"null\"}], \"default\": null},"
	"    \"conf\": {\"type\": \"object\", \"default\": {},"
	"             \"propertyNames\": {\"not\": {\"enum\": [\"spark.master\"]}, \"errorMessage\": \"is owned\"},"
	"             \"additionalProperties\": {\"type\": [\"string\", \"number\", \"boolean\"]}},"
	"    \"codes\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}, \"uniqueItems\": true}"
	"   }},"
	"  \"extra\": {\"type\": \"object\", \"properties\": {\"on\": {\"type\": \"boolean\", \"default\": true}}}"
	" },"
	" \"allOf\": [{\"description\": \"legacy needs count\","
	"   \"if\": {\"properties\": {\"app\": {\"required\": [\"target\"], \"properties\": {\"target\": {\"const\": \"legacy-fork\"}}}}},"
	"   \"then\": {\"properties\": {\"app\": {\"required\": [\"count\"]}}}}]"
	"}";

struct fixture {
	struct schema s;
	struct ystream ys;
	struct diag_list dl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	diag_list_init(&f->dl);
	assert_int_equal(schema_load_string(&f->s, "t.schema.json", test_schema, &f->dl), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	schema_release(&f->s);
	ystream_release(&f->ys);
	diag_list_release(&f->dl);
	free(f);
	return 0;
}

static size_t check(struct fixture *f, const char *yaml)
{
	assert_int_equal(ystream_load_buffer(&f->ys, "d.yaml", yaml, strlen(yaml), &f->dl), 0);
	return schema_validate(&f->s, f->ys.docs[0].root, f->ys.file, &f->dl);
}

/* The diagnostic whose message contains `frag`, or fail. */
static const struct diag *find(struct fixture *f, const char *frag)
{
	for (size_t i = 0; i < f->dl.n; i++)
		if (strstr(f->dl.v[i].msg, frag))
			return &f->dl.v[i];
	for (size_t i = 0; i < f->dl.n; i++)
		print_message("diagnostic: %s\n", f->dl.v[i].msg);
	fail_msg("no diagnostic contains '%s'", frag);
	return NULL;
}

static void test_gen_schema_valid_document(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "app:\n  name: abc\n  conf: {spark.x: 1}\n"), 0);
	assert_int_equal(f->dl.n, 0);
}

static void test_gen_schema_unknown_key_suggests(void **state)
{
	struct fixture *f = *state;
	const struct diag *d;

	assert_int_equal(check(f, "app:\n  name: abc\n  namspace: x\n"), 1);
	d = find(f, "unknown key 'namspace' in 'app'; did you mean 'namespace'?");
	assert_int_equal(d->pos.line, 3);
	assert_int_equal(d->pos.col, 3);
	assert_int_equal(d->level, DIAG_ERROR);
}

static void test_gen_schema_reports_every_problem(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "app:\n  name: ABC\n  target: native\n  cores: \"2\"\n"
			       "  count: 0\nextr: {}\n"), 5);
	assert_int_equal(find(f, "invalid value 'ABC' for 'app.name': must be lowercase letters")->pos.line, 2);
	assert_int_equal(find(f, "invalid value 'native' for 'app.target'; allowed values: "
			      "native-3x, legacy-fork")->pos.col, 11);
	assert_int_equal(find(f, "'app.cores' must be a number, not a string")->pos.line, 4);
	find(f, "'app.count' must be at least 1, not 0");
	find(f, "unknown top-level key 'extr'; did you mean 'extra'?");
}

static void test_gen_schema_missing_required(void **state)
{
	struct fixture *f = *state;
	const struct diag *d;

	assert_int_equal(check(f, "app:\n  namespace: x\n"), 1);
	d = find(f, "missing required key 'name' in 'app'");
	assert_int_equal(d->pos.line, 2);
}

static void test_gen_schema_escapes_values(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "app:\n  name: \"a\\nkind: Secret\"\n"), 1);
	find(f, "invalid value 'a\\nkind: Secret' for 'app.name'");
}

static void test_gen_schema_cuts_values_between_characters(void **state)
{
	struct fixture *f = *state;
	char yaml[256], want[128];

	/* 79 letters, then 'é' (two bytes) across the 80-byte cut */
	snprintf(yaml, sizeof yaml, "app:\n  name: %.79s\xc3\xa9tail\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	snprintf(want, sizeof want, "invalid value '%.79s...' for 'app.name'",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(check(f, yaml), 1);
	find(f, want);
}

static void test_gen_schema_pattern_space_is_ecmascripts(void **state)
{
	struct fixture *f = *state;
	struct schema bad;

	/* \S: neither a no-break space nor a line separator (U+2028) */
	assert_int_equal(check(f, "app:\n  name: abc\n  image: \"a\\u00a0b\"\n"), 1);
	ystream_release(&f->ys);
	assert_int_equal(check(f, "app:\n  name: abc\n  image: \"a\\u2028b\"\n"), 1);
	ystream_release(&f->ys);
	assert_int_equal(check(f, "app:\n  name: abc\n  image: \"a\\u00e9b\"\n"), 0);
	/* a \S inside a class has no spelling: the schema is refused */
	assert_int_equal(schema_load_string(&bad, "b.schema.json",
					    "{\"type\": \"string\", \"pattern\": \"[\\\\S]\"}",
					    &f->dl), -1);
	find(f, "\\S inside a character class is not supported");
	schema_release(&bad);
}

static void test_gen_schema_pattern_error_offset_is_the_authors(void **state)
{
	struct fixture *f = *state;
	struct schema bad;

	/* the second '*' is byte 3 of what the author wrote, not of \s spelled out */
	assert_int_equal(schema_load_string(&bad, "b.schema.json",
					    "{\"type\": \"string\", \"pattern\": \"\\\\s**\"}",
					    &f->dl), -1);
	find(f, "bad pattern at '#': quantifier does not follow a repeatable item at offset 3");
	schema_release(&bad);
	diag_list_release(&f->dl);
	diag_list_init(&f->dl);
	assert_int_equal(schema_load_string(&bad, "b.schema.json",
					    "{\"pattern\": \"[\\\\s]\\\\d(\"}", &f->dl), -1);
	find(f, "missing closing parenthesis at offset 7");
	schema_release(&bad);
}

static void test_gen_schema_pattern_dollar_is_end_only(void **state)
{
	struct fixture *f = *state;

	/* PCRE2's default '$' would accept a trailing newline */
	assert_int_equal(check(f, "app:\n  name: \"abc\\n\"\n"), 1);
}

static void test_gen_schema_if_then_hint(void **state)
{
	struct fixture *f = *state;
	const struct diag *d;

	assert_int_equal(check(f, "app:\n  name: abc\n  target: legacy-fork\n"), 1);
	d = find(f, "missing required key 'count' in 'app'");
	assert_non_null(d->hint);
	assert_string_equal(d->hint, "legacy needs count");
}

static void test_gen_schema_anyof_explains_by_type(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "app:\n  name: abc\n  image: 5\n"), 1);
	find(f, "'app.image' must be a string or null, not an integer");
	diag_list_release(&f->dl);
	ystream_release(&f->ys);
	assert_int_equal(check(f, "app:\n  name: abc\n  image: \"a b\"\n"), 1);
	find(f, "invalid value 'a b' for 'app.image': does not match");
}

static void test_gen_schema_property_names(void **state)
{
	struct fixture *f = *state;
	const struct diag *d;

	assert_int_equal(check(f, "app:\n  name: abc\n  conf:\n    spark.x: 1\n    spark.master: y\n"), 1);
	d = find(f, "invalid key 'spark.master' in 'app.conf': is owned");
	assert_int_equal(d->pos.line, 5);
	assert_int_equal(d->pos.col, 5);
}

static void test_gen_schema_unique_items(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f, "app:\n  name: abc\n  codes: [1, 2, 1]\n"), 1);
	assert_int_equal(find(f, "'app.codes' lists '1' twice")->pos.col, 17);
}

static void test_gen_schema_defaults_and_text(void **state)
{
	struct fixture *f = *state;
	json_t *j;

	assert_int_equal(check(f, "app:\n  name: abc\n  cores: 2.0\n  conf: {spark.v: 1.10, spark.b: yes}\n"), 0);
	j = schema_to_json(&f->s, f->ys.docs[0].root);
	assert_int_equal(schema_fill_defaults(&f->s, j), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "app"), "namespace")), "default");
	assert_true(json_is_null(json_object_get(json_object_get(j, "app"), "image")));
	assert_true(json_is_true(json_object_get(json_object_get(j, "extra"), "on")));
	/* numbers where a string is allowed keep the text as written */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "app"),
				"conf"), "spark.v")), "1.10");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "app"),
				"conf"), "spark.b")), "yes");
	json_decref(j);
}

/* test_schema's shape with sparkgen's overlays: envs.NAME is a merge patch. */
static const char patch_schema[] =
	"{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"app\"],"
	" \"properties\": {"
	"  \"app\": {\"allOf\": [{\"$ref\": \"#/definitions/app\"}, {\"required\": [\"name\"]}]},"
	"  \"envs\": {\"type\": \"object\", \"additionalProperties\": {\"mergePatch\": true,"
	"   \"type\": \"object\", \"additionalProperties\": false,"
	"   \"properties\": {\"app\": {\"$ref\": \"#/definitions/app\"}}}}},"
	" \"definitions\": {\"app\": {\"type\": \"object\", \"additionalProperties\": false,"
	"  \"properties\": {\"name\": {\"type\": \"string\"}, \"count\": {\"type\": \"integer\"},"
	"   \"conf\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}},"
	"   \"codes\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}}}"
	"}";

static void test_gen_schema_merge_patch_null_deletes(void **state)
{
	struct fixture *f = *state;
	struct diag_list dl = DIAG_LIST_INIT;
	struct schema bad;

	schema_release(&f->s);
	assert_int_equal(schema_load_string(&f->s, "p.schema.json", patch_schema, &f->dl), 0);
	/* a null deletes at any depth, a required key too (the merged
	   description is checked for that); not in a list, not an unknown key */
	assert_int_equal(check(f, "app:\n  name: abc\n  count: 1\nenvs:\n  dev:\n    app:\n"
			       "      name: null\n      count: ~\n      conf: {x: null}\n"
			       "      codes: [null]\n      nmae: null\n  prod:\n    app: null\n"), 2);
	assert_int_equal(find(f, "'envs.dev.app.codes[0]' must be an integer, not null")->pos.line, 10);
	assert_int_equal(find(f, "unknown key 'nmae' in 'envs.dev.app'")->pos.line, 11);
	/* outside the patch a null is a value, as before */
	diag_list_release(&f->dl);
	ystream_release(&f->ys);
	assert_int_equal(check(f, "app:\n  name: abc\n  count: null\n  conf: {x: ~}\n"), 2);
	find(f, "'app.count' must be an integer, not null");
	find(f, "'app.conf.x' must be a string, not null");
	/* the keyword takes a boolean */
	assert_int_equal(schema_load_string(&bad, "b.json", "{\"mergePatch\": 1}", &dl), -1);
	assert_non_null(strstr(dl.v[0].msg, "mergePatch at '#' must be a boolean"));
	schema_release(&bad);
	diag_list_release(&dl);
}

/* An overlay with conditions and a minimum number of keys. */
static const char patch_if_schema[] =
	"{\"type\": \"object\", \"properties\": {"
	"  \"envs\": {\"type\": \"object\", \"additionalProperties\": {\"mergePatch\": true,"
	"   \"type\": \"object\", \"properties\": {\"app\": {\"$ref\": \"#/definitions/app\"}}}}},"
	" \"definitions\": {\"app\": {\"type\": \"object\","
	"  \"properties\": {\"kind\": {\"enum\": [\"a\", \"b\"]}, \"count\": {\"type\": \"integer\"},"
	"   \"conf\": {\"type\": \"object\", \"minProperties\": 1}},"
	"  \"allOf\": ["
	"   {\"if\": {\"required\": [\"kind\"], \"properties\": {\"kind\": {\"const\": \"a\"}}},"
	"    \"then\": {\"properties\": {\"count\": {\"maximum\": 1}}}},"
	"   {\"if\": {\"required\": [\"count\"]}, \"then\": {\"required\": [\"kind\"]}}]}}"
	"}";

static void test_gen_schema_merge_patch_null_is_absent(void **state)
{
	struct fixture *f = *state;
	const struct diag *d;

	schema_release(&f->s);
	assert_int_equal(schema_load_string(&f->s, "p.schema.json", patch_if_schema, &f->dl), 0);
	/* a deleted kind passes no if's required (so count 5 is fine) and
	   fails a then's, at its null; a deleted key leaves conf empty */
	assert_int_equal(check(f, "envs:\n  dev:\n    app:\n      kind: null\n      count: 5\n"
			       "      conf: {x: null}\n"), 2);
	d = find(f, "missing required key 'kind' in 'envs.dev.app'");
	assert_int_equal(d->pos.line, 4);
	assert_int_equal(d->pos.col, 13);
	assert_int_equal(find(f, "'envs.dev.app.conf' must have at least 1 key")->pos.line, 6);
	/* a key with a value still counts */
	diag_list_release(&f->dl);
	ystream_release(&f->ys);
	assert_int_equal(check(f, "envs:\n  dev:\n    app:\n      kind: a\n      count: 1\n"
			       "      conf: {x: null, y: 1}\n"), 0);
}

static void test_gen_schema_merged_required_at_the_null(void **state)
{
	struct fixture *f = *state;
	struct ystream over;
	struct merge m = MERGE_INIT;
	const struct ynode *r;
	const struct diag *d;
	static const char base[] = "app:\n  name: abc\n  count: 1\n";
	static const char patch[] = "# overlay\napp:\n  count: 2\n  name: null\n";

	memset(&over, 0, sizeof over);
	assert_int_equal(ystream_load_buffer(&f->ys, "d.yaml", base, strlen(base), &f->dl), 0);
	assert_int_equal(ystream_load_buffer(&over, "d.yaml", patch, strlen(patch), &f->dl), 0);
	r = merge_ynodes(&m, f->ys.docs[0].root, over.docs[0].root);
	assert_int_equal(schema_validate_merged(&f->s, r, &m, f->ys.file, &f->dl), 1);
	d = find(f, "missing required key 'name' in 'app'");
	assert_int_equal(d->pos.line, 4);	/* the overlay's null, not the base's app */
	assert_int_equal(d->pos.col, 9);
	/* without the merge's record, at the mapping */
	diag_list_release(&f->dl);
	assert_int_equal(schema_validate(&f->s, r, f->ys.file, &f->dl), 1);
	assert_int_equal(find(f, "missing required key 'name' in 'app'")->pos.line, 2);
	merge_release(&m);
	ystream_release(&over);
}

static void test_gen_schema_rejects_bad_schema(void **state)
{
	struct schema s;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(schema_load_string(&s, "bad.json",
		"{\"properties\": {\"a\": {\"typ\": \"string\"}, \"b\": {\"pattern\": \"(\"},"
		" \"c\": {\"$ref\": \"#/definitions/none\"}}}", &dl), -1);
	assert_int_equal(dl.n, 3);
	assert_non_null(strstr(dl.v[0].msg, "unsupported keyword 'typ'"));
	schema_release(&s);
	diag_list_release(&dl);
}

static void test_gen_schema_shipped_schema_loads(void **state)
{
	struct schema s;
	struct diag_list dl = DIAG_LIST_INIT;
	json_t *d;

	(void)state;
	assert_int_equal(schema_load(&s, "schema/sparkgen.schema.json", &dl), 0);
	d = schema_defaults(&s);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "app"), "target")),
			    "native-3x");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "driver"), "backoffLimit")), 10);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(d,
				"checkpoint"), "storage"), "reclaimPolicy")), "Retain");
	json_decref(d);
	schema_release(&s);
	diag_list_release(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gen_schema_valid_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_unknown_key_suggests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_reports_every_problem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_missing_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_escapes_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_cuts_values_between_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_pattern_space_is_ecmascripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_pattern_error_offset_is_the_authors,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_pattern_dollar_is_end_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_if_then_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_anyof_explains_by_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_property_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_unique_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_defaults_and_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_merge_patch_null_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_merge_patch_null_is_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_schema_merged_required_at_the_null, setup, teardown),
		cmocka_unit_test(test_gen_schema_rejects_bad_schema),
		cmocka_unit_test(test_gen_schema_shipped_schema_loads),
	};
	util_progname = "test_gen_schema";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
