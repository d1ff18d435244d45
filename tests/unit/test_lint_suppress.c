/*
** test_lint_suppress.c: suppression lists and "# sparklint: ignore" comments
** (lint/suppress).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "suppress.h"
#include "util.h"

static bool has(const char *list, const char *rule)
{
	return suppress_list_has(list, strlen(list), rule);
}

static void test_suppress_list_names_and_all(void **state)
{
	(void)state;
	assert_true(has("rule-a,rule-b", "rule-b"));
	assert_true(has(" rule-a , rule-b ", "rule-a"));
	assert_true(has("all", "anything"));
	assert_true(has("x, all", "anything"));
	assert_false(has("rule-a,rule-b", "rule"));
	assert_false(has("rule-ab", "rule-a"));
	assert_false(has("", "rule-a"));
}

static bool comment(const char *line, char *list, bool *alone)
{
	const char *l;
	size_t n;

	if (!suppress_comment(line, strlen(line), &l, &n, alone))
		return false;
	memcpy(list, l, n);
	list[n] = '\0';
	return true;
}

static void test_suppress_comment_forms(void **state)
{
	char list[64];
	bool alone;

	(void)state;
	assert_true(comment("  image: x # sparklint: ignore a,b", list, &alone));
	assert_string_equal(list, "a,b");
	assert_false(alone);
	assert_true(comment("    #sparklint:ignore  a, b -- because", list, &alone));
	assert_string_equal(list, "a, b");
	assert_true(alone);
	assert_false(comment("image: a#sparklint: ignore x", list, &alone));	/* not a comment */
	assert_false(comment("# sparklint: ignore", list, &alone));		/* no list */
	assert_false(comment("# sparklint: ignored x", list, &alone));
	assert_false(comment("# sparklint ignore x", list, &alone));
	assert_true(comment("x: 1 # note # sparklint: ignore r", list, &alone));
	assert_string_equal(list, "r");
}

static void test_suppress_lines_same_line_or_alone_above(void **state)
{
	struct suppress_lines sl;
	const char *reason;
	const char *text =
		"a: 1 # sparklint: ignore r1 -- legacy\n"	/* 1 */
		"b: 2\n"					/* 2 */
		"# sparklint: ignore r2\n"			/* 3 */
		"c: 3\n"					/* 4 */
		"d: 4 # sparklint: ignore r3\n"			/* 5 */
		"e: 5\n"					/* 6 */
		"f: 6 # sparklint: ignore all";			/* 7, no newline */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_int_equal(sl.n, 7);
	assert_true(suppress_lines_match(&sl, 1, "r1", &reason));
	assert_string_equal(reason, "legacy");
	assert_false(suppress_lines_match(&sl, 2, "r1", &reason));	/* above is not alone */
	assert_true(suppress_lines_match(&sl, 4, "r2", &reason));
	assert_null(reason);
	assert_true(suppress_lines_match(&sl, 3, "r2", &reason));	/* its own line */
	assert_false(suppress_lines_match(&sl, 4, "r1", &reason));
	assert_false(suppress_lines_match(&sl, 6, "r3", &reason));	/* trailing comment above */
	assert_true(suppress_lines_match(&sl, 7, "anything", &reason));
	assert_false(suppress_lines_match(&sl, 0, "r1", &reason));
	assert_false(suppress_lines_match(&sl, 99, "r1", &reason));
	suppress_lines_release(&sl);
}

static void test_suppress_lines_empty_file(void **state)
{
	struct suppress_lines sl;
	const char *reason;

	(void)state;
	suppress_lines_init(&sl, xstrdup(""), 0);
	assert_false(suppress_lines_match(&sl, 1, "x", &reason));
	suppress_lines_release(&sl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppress_list_names_and_all),
		cmocka_unit_test(test_suppress_comment_forms),
		cmocka_unit_test(test_suppress_lines_same_line_or_alone_above),
		cmocka_unit_test(test_suppress_lines_empty_file),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}
