/*
** test_gen_jarena.c: the render's JSON arena (gen/jarena.c).  Values made
** in a scope come from the thread's chunks and work as any; freeing them,
** or a value made before the scope, is safe; the scope's end keeps the
** standard chunks for the next scope (the same addresses again) and frees
** the big ones; each thread has an arena of its own.  Sanitized builds
** have no arena (every test is skipped there, as jarena_begin says).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "jarena.h"
#include "util.h"

/* An object like a render's: a few members, nested. */
static json_t *make_doc(int i)
{
	json_t *doc = json_pack("{s:s, s:i, s:{s:[s,s,i]}}", "kind", "Job", "n", i,
				"spec", "args", "--topic", "alerts", i);

	assert_non_null(doc);
	return doc;
}

static void skip_if_sanitized(void)
{
	if (SK_SANITIZED)
		skip();
}

static void test_jarena_scopes(void **state)
{
	json_t *before, *doc, *again;
	size_t held, kept;

	(void)state;
	skip_if_sanitized();
	before = make_doc(0);	/* from malloc */
	assert_true(jarena_begin());
	assert_false(jarena_begin());	/* no nesting */
	doc = make_doc(1);
	held = jarena_held();
	assert_true(held > 0);
	assert_int_equal(json_integer_value(json_object_get(doc, "n")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		json_object_get(doc, "spec"), "args"), 1)), "alerts");
	json_decref(before);	/* made outside: goes to free() */
	json_decref(doc);	/* made inside: nothing to do */
	assert_int_equal(jarena_held(), held);
	jarena_end();
	kept = jarena_held();
	assert_int_equal(kept, held);	/* a standard chunk, kept */

	/* the next scope starts where the last one did */
	assert_true(jarena_begin());
	again = make_doc(1);
	assert_ptr_equal(again, doc);
	assert_int_equal(json_integer_value(json_object_get(again, "n")), 1);
	json_decref(again);
	jarena_end();
	assert_int_equal(jarena_held(), kept);
	jarena_release();
	assert_int_equal(jarena_held(), 0);
}

/* A block bigger than a quarter chunk has a chunk of its own, freed at the end. */
static void test_jarena_big_blocks(void **state)
{
	size_t big = 100000, held, with_big;
	char *text;
	json_t *s, *small, *other;

	(void)state;
	skip_if_sanitized();
	text = malloc(big);
	assert_non_null(text);
	memset(text, 'x', big);
	assert_true(jarena_begin());
	small = make_doc(2);
	held = jarena_held();
	s = json_stringn(text, big);
	assert_non_null(s);
	with_big = jarena_held();
	assert_true(with_big >= held + big);
	assert_int_equal(json_string_length(s), big);
	assert_memory_equal(json_string_value(s), text, big);
	/* small blocks still come from the chunk they came from */
	other = make_doc(3);
	assert_int_equal(jarena_held(), with_big);
	json_decref(other);
	json_decref(s);
	json_decref(small);
	jarena_end();
	assert_int_equal(jarena_held(), held);	/* the big one is gone */
	jarena_release();
	free(text);
}

/*
** A scope whose first block is big: the small ones after it start a chunk
** of their own and leave it whole.  Every block is aligned for any type.
*/
static void test_jarena_big_first(void **state)
{
	size_t big = 50000;
	char *text;
	json_t *s, *docs[64];

	(void)state;
	skip_if_sanitized();
	text = malloc(big);
	assert_non_null(text);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	assert_true(jarena_begin());
	s = json_stringn(text, big);	/* the 50,001 bytes (first), then the object */
	assert_non_null(s);
	for (int i = 0; i < 64; i++) {
		docs[i] = make_doc(i);
		assert_int_equal((uintptr_t)docs[i] % _Alignof(max_align_t), 0);
	}
	assert_int_equal((uintptr_t)s % _Alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)json_string_value(s) % _Alignof(max_align_t), 0);
	assert_int_equal(json_string_length(s), big);
	assert_memory_equal(json_string_value(s), text, big);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(json_integer_value(json_object_get(docs[i], "n")), i);
		json_decref(docs[i]);
	}
	json_decref(s);
	jarena_end();
	jarena_release();
	free(text);
}

/* Many values: the scope takes as many chunks as it needs, and keeps them. */
static void test_jarena_many_chunks(void **state)
{
	json_t *arr;
	size_t held;

	(void)state;
	skip_if_sanitized();
	assert_true(jarena_begin());
	arr = json_array();
	for (int i = 0; i < 5000; i++)
		assert_int_equal(json_array_append_new(arr, make_doc(i)), 0);
	held = jarena_held();
	assert_true(held > 4 * 65536);
	for (int i = 0; i < 5000; i += 499)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, i), "n")), i);
	json_decref(arr);
	jarena_end();
	/* the array's tables (a block over 16 KiB each time it grew) are freed */
	assert_true(jarena_held() < held);
	assert_true(jarena_held() > 4 * 65536);
	assert_int_equal(jarena_held() % 65536, 0);
	jarena_release();
	assert_int_equal(jarena_held(), 0);
}

struct other {
	size_t held_inside, held_after;
	int n;
};

static void *other_thread(void *arg)
{
	struct other *o = arg;
	json_t *doc;

	if (!jarena_begin())
		return NULL;
	doc = make_doc(7);
	o->n = (int)json_integer_value(json_object_get(doc, "n"));
	o->held_inside = jarena_held();
	json_decref(doc);
	jarena_end();
	jarena_release();
	o->held_after = jarena_held();
	return NULL;
}

/* Another thread's scope is its own: neither sees the other's chunks. */
static void test_jarena_per_thread(void **state)
{
	struct other o = { 0, 1, 0 };
	pthread_t t;
	json_t *mine;
	size_t held;

	(void)state;
	skip_if_sanitized();
	assert_true(jarena_begin());
	mine = make_doc(5);
	held = jarena_held();
	assert_int_equal(pthread_create(&t, NULL, other_thread, &o), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(o.n, 7);
	assert_true(o.held_inside > 0);
	assert_int_equal(o.held_after, 0);
	assert_int_equal(jarena_held(), held);
	assert_int_equal(json_integer_value(json_object_get(mine, "n")), 5);
	json_decref(mine);
	jarena_end();
	jarena_release();
}

/* Before jarena_install there is no arena; after it, there is (unsanitized). */
static void test_jarena_needs_install(void **state)
{
	(void)state;
	assert_false(jarena_begin());
	jarena_install();
	if (SK_SANITIZED) {
		assert_false(jarena_begin());
		return;
	}
	assert_true(jarena_begin());
	jarena_end();
	assert_int_equal(jarena_held(), 0);	/* nothing allocated, no chunk */
}

int main(void)
{
	/* in this order: the first installs the arena for the process */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jarena_needs_install),
		cmocka_unit_test(test_jarena_scopes),
		cmocka_unit_test(test_jarena_big_blocks),
		cmocka_unit_test(test_jarena_big_first),
		cmocka_unit_test(test_jarena_many_chunks),
		cmocka_unit_test(test_jarena_per_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
