/*
** test_lint_objpath.c: report paths -> positions (lint/objpath) and label
** selectors (lint/selector).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "objpath.h"
#include "selector.h"
#include "util.h"

static const char doc[] =
	"apiVersion: v1\n"			/* 1 */
	"kind: Pod\n"				/* 2 */
	"spec:\n"				/* 3 */
	"  containers:\n"			/* 4 */
	"    - name: a\n"			/* 5 */
	"      image: x\n"			/* 6 */
	"    - {name: b, image: y}\n"		/* 7 */
	"  volumes: []\n";			/* 8 */

static struct ystream ys;

static int setup(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	memset(&ys, 0, sizeof(ys));
	if (ystream_load_buffer(&ys, "pod.yaml", doc, strlen(doc), &dl) < 0)
		return -1;
	diag_list_release(&dl);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ystream_release(&ys);
	return 0;
}

#define K(s) { s, sizeof(s) - 1, 0 }
#define I(n) { NULL, 0, n }

static size_t resolve(const struct objpath_elem *p, size_t n, unsigned *line,
		      unsigned *col)
{
	return objpath_resolve(ys.docs[0].root, p, n, line, col);
}

static void test_objpath_keys_and_indices(void **state)
{
	const struct objpath_elem kind[] = { K("kind") };
	const struct objpath_elem img1[] = { K("spec"), K("containers"), I(1), K("image") };
	const struct objpath_elem img2[] = { K("spec"), K("containers"), I(2), K("image") };
	const struct objpath_elem item2[] = { K("spec"), K("containers"), I(2) };
	unsigned line, col;

	(void)state;
	assert_int_equal(resolve(kind, 1, &line, &col), 1);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	assert_int_equal(resolve(img1, 4, &line, &col), 4);
	assert_int_equal(line, 6);
	assert_int_equal(col, 7);	/* the key, not the value */
	assert_int_equal(resolve(img2, 4, &line, &col), 4);
	assert_int_equal(line, 7);
	assert_int_equal(col, 17);
	assert_int_equal(resolve(item2, 3, &line, &col), 3);
	assert_int_equal(line, 7);
	assert_int_equal(col, 7);	/* the item */
}

static void test_objpath_missing_falls_back_to_ancestor(void **state)
{
	const struct objpath_elem missing[] = { K("spec"), K("nodeSelector"), K("x") };
	const struct objpath_elem past[] = { K("spec"), K("containers"), I(3), K("image") };
	const struct objpath_elem zero[] = { K("spec"), K("containers"), I(0) };
	const struct objpath_elem wrong[] = { K("kind"), K("x") };
	const struct objpath_elem key_on_seq[] = { K("spec"), K("containers"), K("a") };
	const struct objpath_elem empty_seq[] = { K("spec"), K("volumes"), I(1) };
	const struct objpath_elem top[] = { K("status") };
	unsigned line, col;

	(void)state;
	assert_int_equal(resolve(missing, 3, &line, &col), 1);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	assert_int_equal(resolve(past, 4, &line, &col), 2);
	assert_int_equal(line, 4);
	assert_int_equal(col, 3);
	assert_int_equal(resolve(zero, 3, &line, &col), 2);
	assert_int_equal(resolve(wrong, 2, &line, &col), 1);
	assert_int_equal(line, 2);
	assert_int_equal(resolve(key_on_seq, 3, &line, &col), 2);
	assert_int_equal(resolve(empty_seq, 3, &line, &col), 2);
	assert_int_equal(line, 8);
	assert_int_equal(resolve(top, 1, &line, &col), 0);
	assert_int_equal(line, 1);	/* the document root */
	assert_int_equal(col, 1);
	assert_int_equal(resolve(NULL, 0, &line, &col), 0);
	assert_int_equal(line, 1);
}

/* ---- selectors ---- */

static const struct ynode *load_one(struct ystream *s, const char *text)
{
	struct diag_list dl = DIAG_LIST_INIT;

	memset(s, 0, sizeof(*s));
	assert_int_equal(ystream_load_buffer(s, "sel.yaml", text, strlen(text), &dl), 0);
	diag_list_release(&dl);
	return s->docs[0].root;
}

static bool sel_matches(const char *sel_yaml, const char *labels_yaml, bool service)
{
	struct ystream a, b;
	struct selector sel;
	struct selector_label l[16];
	size_t n;
	bool r;

	selector_from_ynode(&sel, ynode_get(load_one(&a, sel_yaml), "s"), service);
	n = selector_labels(ynode_get(load_one(&b, labels_yaml), "l"), l, 16);
	r = selector_matches(&sel, l, n);
	ystream_release(&a);
	ystream_release(&b);
	return r;
}

static void test_selector_plain_and_label_selectors(void **state)
{
	const char *labels = "l: {app: web, tier: front, version: 2}";

	(void)state;
	assert_true(sel_matches("s: {app: web}", labels, true));
	assert_true(sel_matches("s: {app: web, version: 2}", labels, true));
	assert_false(sel_matches("s: {app: db}", labels, true));
	assert_false(sel_matches("s: {}", labels, true));		/* Service: empty selects nothing */
	assert_true(sel_matches("s: {}", labels, false));		/* LabelSelector {} selects all */
	assert_false(sel_matches("s: null", labels, false));
	assert_true(sel_matches("s: {matchLabels: {tier: front}}", labels, false));
	assert_true(sel_matches("s: {matchExpressions: [{key: app, operator: In, values: [db, web]}]}", labels, false));
	assert_false(sel_matches("s: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", labels, false));
	assert_true(sel_matches("s: {matchExpressions: [{key: zone, operator: DoesNotExist}]}", labels, false));
	assert_false(sel_matches("s: {matchExpressions: [{key: zone, operator: Exists}]}", labels, false));
	assert_false(sel_matches("s: {matchLabels: {tier: front}, matchExpressions: [{key: app, operator: Bogus}]}", labels, false));
	assert_false(sel_matches("s: {app: web}", "l: null", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objpath_keys_and_indices),
		cmocka_unit_test(test_objpath_missing_falls_back_to_ancestor),
		cmocka_unit_test(test_selector_plain_and_label_selectors),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	util_intern_release();
	return rc;
}
