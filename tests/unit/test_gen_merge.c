/*
** test_gen_merge.c: the --env overlay, a deep merge of positioned trees
** (gen/merge.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "merge.h"
#include "ydoc.h"

struct fixture {
	struct ystream base, over;
	struct diag_list dl;
	struct merge m;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof *f);

	diag_list_init(&f->dl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ystream_release(&f->base);
	ystream_release(&f->over);
	merge_release(&f->m);
	diag_list_release(&f->dl);
	test_free(f);
	return 0;
}

static const struct ynode *merged(struct fixture *f, const char *base, const char *over)
{
	assert_int_equal(ystream_load_buffer(&f->base, "base.yaml", base, strlen(base), &f->dl), 0);
	assert_int_equal(ystream_load_buffer(&f->over, "over.yaml", over, strlen(over), &f->dl), 0);
	return merge_ynodes(&f->m, f->base.docs[0].root, f->over.docs[0].root);
}

static void test_gen_merge_maps_recursively(void **state)
{
	const struct ynode *r = merged(*state,
		"app:\n  name: a\n  image: x:1\ndriver:\n  cores: 1\n",
		"app:\n  image: x:2\n");

	assert_string_equal(ynode_str(ynode_path(r, "app.name")), "a");
	assert_string_equal(ynode_str(ynode_path(r, "app.image")), "x:2");
	assert_int_equal(ynode_path(r, "driver.cores")->u.i, 1);
}

static void test_gen_merge_keeps_order_and_appends(void **state)
{
	const struct ynode *r = merged(*state,
		"b: 1\na: 2\n", "c: 3\na: 4\n");

	assert_int_equal(r->u.map.n, 3);
	assert_string_equal(r->u.map.v[0].key->text, "b");
	assert_string_equal(r->u.map.v[1].key->text, "a");
	assert_int_equal(r->u.map.v[1].val->u.i, 4);
	assert_string_equal(r->u.map.v[2].key->text, "c");
}

static void test_gen_merge_replaces_lists_and_scalars(void **state)
{
	const struct ynode *r = merged(*state,
		"args: [a, b, c]\nx: {k: v}\nz: 1\n",
		"args: [z]\nx: 5\nz: {k: w}\n");

	assert_int_equal(ynode_get(r, "args")->u.seq.n, 1);
	assert_string_equal(ynode_str(ynode_at(ynode_get(r, "args"), 0)), "z");
	assert_int_equal(ynode_get(r, "x")->type, YN_INT);
	assert_string_equal(ynode_str(ynode_path(r, "z.k")), "w");
}

static void test_gen_merge_null_deletes(void **state)
{
	struct fixture *f = *state;
	const struct ynode *r = merged(f, "a:\n  b: 1\nc: 2\n", "# overlay\na: null\n");
	const struct ynode *null = merge_deleted(&f->m, r, "a");

	/* RFC 7386: the key is gone, not null; the null is kept for messages */
	assert_null(ynode_get(r, "a"));
	assert_int_equal(r->u.map.n, 1);
	assert_int_equal(ynode_get(r, "c")->u.i, 2);
	assert_non_null(null);
	assert_int_equal(null->type, YN_NULL);
	assert_int_equal(null->line, 2);
	assert_int_equal(null->col, 4);
	assert_null(merge_deleted(&f->m, r, "c"));
}

static void test_gen_merge_null_deletes_at_any_depth(void **state)
{
	struct fixture *f = *state;
	const struct ynode *r = merged(f,
		"app:\n  name: a\n  sparkConf:\n    spark.x: 1\n    spark.y: 2\n"
		"driver:\n  fatalExitCodes: [3]\n  cores: 1\n",
		"app:\n  sparkConf:\n    spark.x: null\ndriver:\n  fatalExitCodes: ~\n");
	const struct ynode *conf = ynode_path(r, "app.sparkConf");

	assert_int_equal(conf->u.map.n, 1);
	assert_null(ynode_get(conf, "spark.x"));
	assert_int_equal(ynode_get(conf, "spark.y")->u.i, 2);
	assert_null(ynode_path(r, "driver.fatalExitCodes"));
	assert_int_equal(ynode_path(r, "driver.cores")->u.i, 1);
	assert_string_equal(ynode_str(ynode_path(r, "app.name")), "a");
	assert_int_equal(merge_deleted(&f->m, conf, "spark.x")->line, 3);
	assert_int_equal(merge_deleted(&f->m, ynode_get(r, "driver"), "fatalExitCodes")->line, 5);
}

static void test_gen_merge_null_of_an_absent_key(void **state)
{
	struct fixture *f = *state;
	const struct ynode *r = merged(f, "a: 1\nb: x\n",
		"z: null\nb: {c: null, d: 1}\np: {e: {f: null}}\n");

	/* nothing to delete: the key stays out, and so do the nulls of
	   mappings the overlay brings in whole (or over a scalar) */
	assert_null(ynode_get(r, "z"));
	assert_non_null(merge_deleted(&f->m, r, "z"));
	assert_int_equal(ynode_get(r, "b")->u.map.n, 1);
	assert_int_equal(ynode_path(r, "b.d")->u.i, 1);
	assert_null(ynode_path(r, "b.c"));
	assert_int_equal(ynode_path(r, "p.e")->type, YN_MAP);
	assert_int_equal(ynode_path(r, "p.e")->u.map.n, 0);
	assert_int_equal(r->u.map.n, 3);
}

static void test_gen_merge_null_in_a_list_is_a_value(void **state)
{
	struct fixture *f = *state;
	const struct ynode *r = merged(f, "l: [a]\n", "l: [null, {k: null}]\n");
	const struct ynode *l = ynode_get(r, "l");

	/* lists replace whole: what is in them is not a patch */
	assert_ptr_equal(l, ynode_get(f->over.docs[0].root, "l"));
	assert_int_equal(ynode_at(l, 0)->type, YN_NULL);
	assert_int_equal(ynode_get(ynode_at(l, 1), "k")->type, YN_NULL);
}

static void test_gen_merge_keeps_positions(void **state)
{
	const struct ynode *r = merged(*state,
		"app:\n  name: a\n  image: x\n", "# overlay\napp:\n  image: y\n");

	/* the overridden value points into the overlay, the rest into the base */
	assert_int_equal(ynode_path(r, "app.image")->line, 3);
	assert_int_equal(ynode_path(r, "app.image")->col, 10);
	assert_int_equal(ynode_path(r, "app.name")->line, 2);
	assert_int_equal(ynode_get(r, "app")->line, 2);
}

static void test_gen_merge_does_not_touch_inputs(void **state)
{
	struct fixture *f = *state;

	merged(f, "a:\n  b: 1\n", "a:\n  c: 2\n");
	assert_int_equal(ynode_get(f->base.docs[0].root, "a")->u.map.n, 1);
	assert_int_equal(ynode_get(f->over.docs[0].root, "a")->u.map.n, 1);
}

static void test_gen_merge_without_drops_one_key(void **state)
{
	struct fixture *f = *state;
	const struct ynode *r = merged(f, "a: 1\nenvironments: {x: {}}\nb: 2\n", "{}\n");
	const struct ynode *w = merge_without(&f->m, r, "environments");

	assert_int_equal(w->u.map.n, 2);
	assert_null(ynode_get(w, "environments"));
	assert_non_null(ynode_get(w, "b"));
	assert_ptr_equal(merge_without(&f->m, w, "nothing"), w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gen_merge_maps_recursively, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_keeps_order_and_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_replaces_lists_and_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_null_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_null_deletes_at_any_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_null_of_an_absent_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_null_in_a_list_is_a_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_keeps_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_does_not_touch_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen_merge_without_drops_one_key, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
