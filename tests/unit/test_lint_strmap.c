/*
** test_lint_strmap.c: the string map behind the object index, the kind
** lists and file de-duplication (lint/strmap.c): keys are byte strings
** (NULs allowed), the first value put stays, and every key survives the
** table growing, whether by inserts or by strmap_reserve.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

#define NKEYS 5000

static size_t key_of(char *buf, size_t i)
{
	/* "kind\0ns\0name" keys, as the object index has, differing late */
	return (size_t)snprintf(buf, 64, "Service%cdefault%capp-%zu", 0, 0, i);
}

static void check_all(const struct strmap *m, size_t n)
{
	char buf[64];
	size_t val;

	for (size_t i = 0; i < n; i++) {
		size_t len = key_of(buf, i);

		assert_true(strmap_get(m, buf, len, &val));
		assert_int_equal(val, i);
		len = key_of(buf, i + n);		/* one never put */
		assert_false(strmap_get(m, buf, len, &val));
	}
	assert_false(strmap_get(m, "Service", 7, &val));
	assert_int_equal(m->used, n);
}

static void test_strmap_keeps_every_key_while_growing(void **state)
{
	struct strmap m;
	char buf[64];

	(void)state;
	strmap_init(&m);
	assert_false(strmap_get(&m, "x", 1, &(size_t){ 0 }));	/* empty: no table */
	assert_null(strmap_ref(&m, "x", 1));
	for (size_t i = 0; i < NKEYS; i++) {
		size_t len = key_of(buf, i);

		assert_true(strmap_put(&m, buf, len, i));
	}
	assert_true(m.size >= 2 * NKEYS);
	check_all(&m, NKEYS);
	strmap_release(&m);
	assert_null(m.slot);
}

static void test_strmap_first_value_stays(void **state)
{
	struct strmap m = STRMAP_INIT;
	size_t val, *ref;

	(void)state;
	assert_true(strmap_put(&m, "a\0b", 3, 1));
	assert_false(strmap_put(&m, "a\0b", 3, 2));
	assert_true(strmap_put(&m, "a\0c", 3, 3));	/* NUL is part of the key */
	assert_true(strmap_put(&m, "", 0, 4));
	assert_true(strmap_get(&m, "a\0b", 3, &val));
	assert_int_equal(val, 1);
	assert_true(strmap_get(&m, "", 0, &val));
	assert_int_equal(val, 4);
	assert_non_null(ref = strmap_ref(&m, "a\0c", 3));
	*ref = 30;
	assert_true(strmap_get(&m, "a\0c", 3, &val));
	assert_int_equal(val, 30);
	assert_int_equal(m.used, 3);
	strmap_release(&m);
}

static void test_strmap_reserve_makes_room_once(void **state)
{
	struct strmap m;
	char buf[64];
	size_t size;

	(void)state;
	strmap_init(&m);
	assert_true(strmap_put(&m, "first", 5, 7));
	strmap_reserve(&m, NKEYS + 1);
	size = m.size;
	assert_true(size >= 2 * (NKEYS + 1));
	for (size_t i = 0; i < NKEYS; i++) {
		size_t len = key_of(buf, i);

		assert_true(strmap_put(&m, buf, len, i));
	}
	assert_int_equal(m.size, size);		/* no growth after the reserve */
	assert_true(strmap_get(&m, "first", 5, &(size_t){ 0 }));
	strmap_reserve(&m, 10);			/* smaller: nothing changes */
	assert_int_equal(m.size, size);
	assert_false(strmap_put(&m, "first", 5, 8));
	strmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_keeps_every_key_while_growing),
		cmocka_unit_test(test_strmap_first_value_stays),
		cmocka_unit_test(test_strmap_reserve_makes_room_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
