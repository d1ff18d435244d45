/*
** test_lint_fixtures.c: "# expect:" marker parsing for --test-rules
** (lint/fixtures).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "util.h"

static int parse(const char *text, const char *id, struct fixture_expect **v,
		 size_t *n, struct diag_list *dl)
{
	diag_list_init(dl);
	return fixtures_parse("fail.yaml", text, strlen(text), id, v, n, dl);
}

static void test_fixtures_markers_lines_and_columns(void **state)
{
	struct fixture_expect *v;
	struct diag_list dl;
	size_t n;

	(void)state;
	assert_int_equal(parse(
		"kind: Pod # expect: r\n"
		"x: 1\n"
		"image: y # expect: r col=10\n"
		"a: b # expect: other, r col=3, r\n"
		"c: d #expect: other\n"
		"e: f # expect:   r-longer\n", "r", &v, &n, &dl), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].line, 1);
	assert_int_equal(v[0].col, 0);
	assert_int_equal(v[1].line, 3);
	assert_int_equal(v[1].col, 10);
	assert_int_equal(v[2].line, 4);
	assert_int_equal(v[2].col, 3);
	assert_int_equal(v[3].line, 4);
	assert_int_equal(v[3].col, 0);
	assert_false(v[0].matched);
	free(v);
	diag_list_release(&dl);
}

/* Lines end as the YAML parser ends them: a lone CR, CRLF, NEL, LS, PS. */
static void test_fixtures_lines_end_as_yaml_ends_them(void **state)
{
	struct fixture_expect *v;
	struct diag_list dl;
	size_t n;

	(void)state;
	assert_int_equal(parse("a: 1\rb: 2 # expect: r\r\nc: 3\xc2\x85"
			       "d: 4 # expect: r\xe2\x80\xa8" "e: 5\xe2\x80\xa9" "f: 6 # expect: r\n",
			       "r", &v, &n, &dl), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].line, 2);
	assert_int_equal(v[1].line, 4);
	assert_int_equal(v[2].line, 6);
	free(v);
	diag_list_release(&dl);
}

static void test_fixtures_malformed_marker_is_an_error(void **state)
{
	struct fixture_expect *v;
	struct diag_list dl;
	size_t n;

	(void)state;
	assert_int_equal(parse("a: 1\nb: 2 # expect: r col=\n", "r", &v, &n, &dl), -1);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.v[0].pos.line, 2);
	free(v);
	diag_list_release(&dl);
	assert_int_equal(parse("b: 2 # expect: r;x\n", "r", &v, &n, &dl), -1);
	free(v);
	diag_list_release(&dl);
	assert_int_equal(parse("b: 2 # expect:\n", "r", &v, &n, &dl), -1);
	free(v);
	diag_list_release(&dl);
	assert_int_equal(parse("b: 2 # expect: r col=0\n", "r", &v, &n, &dl), -1);
	free(v);
	diag_list_release(&dl);
}

static void test_fixtures_hash_inside_a_value_is_not_a_marker(void **state)
{
	struct fixture_expect *v;
	struct diag_list dl;
	size_t n;

	(void)state;
	assert_int_equal(parse("url: http://x/#expect: r\n", "r", &v, &n, &dl), 0);
	assert_int_equal(n, 0);
	free(v);
	diag_list_release(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_markers_lines_and_columns),
		cmocka_unit_test(test_fixtures_lines_end_as_yaml_ends_them),
		cmocka_unit_test(test_fixtures_malformed_marker_is_an_error),
		cmocka_unit_test(test_fixtures_hash_inside_a_value_is_not_a_marker),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}
