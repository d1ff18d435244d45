/*
** test_gen_suggest.c: edit distance and "did you mean" (gen/suggest.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "suggest.h"

static const char *const app_keys[] = {
	"name", "namespace", "target", "api", "stateful", "image",
	"executorImage", "mainClass", "mainFile", "args", "sparkConf",
};

static void test_gen_suggest_distance_counts_edits(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("kitten", "sitting", 10), 3);
	assert_int_equal(suggest_distance("namspace", "namespace", 10), 1);
	assert_int_equal(suggest_distance("", "abc", 10), 3);
	assert_int_equal(suggest_distance("same", "same", 10), 0);
}

static void test_gen_suggest_distance_swap_and_case(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("naem", "name", 10), 1);
	assert_int_equal(suggest_distance("MainClass", "mainClass", 10), 0);
	assert_int_equal(suggest_distance("mainclas", "mainClass", 10), 1);
}

static void test_gen_suggest_distance_stops_at_cap(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("abcdefgh", "zyxwvuts", 2), 3);
	assert_int_equal(suggest_distance("a", "abcdefgh", 3), 4);
}

static void test_gen_suggest_closest_finds_typo(void **state)
{
	size_t n = sizeof app_keys / sizeof app_keys[0];

	(void)state;
	assert_string_equal(suggest_closest("namspace", app_keys, n), "namespace");
	assert_string_equal(suggest_closest("imge", app_keys, n), "image");
	assert_string_equal(suggest_closest("mainfile", app_keys, n), "mainFile");
	assert_string_equal(suggest_closest("executorimage", app_keys, n), "executorImage");
}

static void test_gen_suggest_closest_prefers_nearest(void **state)
{
	static const char *const c[] = { "names", "name" };

	(void)state;
	assert_string_equal(suggest_closest("nam", c, 2), "name");
	assert_string_equal(suggest_closest("namex", c, 2), "names");
}

static void test_gen_suggest_closest_refuses_unrelated(void **state)
{
	size_t n = sizeof app_keys / sizeof app_keys[0];

	(void)state;
	assert_null(suggest_closest("replicas", app_keys, n));
	assert_null(suggest_closest("xy", app_keys, n));
	assert_null(suggest_closest("anything", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_suggest_distance_counts_edits),
		cmocka_unit_test(test_gen_suggest_distance_swap_and_case),
		cmocka_unit_test(test_gen_suggest_distance_stops_at_cap),
		cmocka_unit_test(test_gen_suggest_closest_finds_typo),
		cmocka_unit_test(test_gen_suggest_closest_prefers_nearest),
		cmocka_unit_test(test_gen_suggest_closest_refuses_unrelated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
