/*
** test_gen_objects.c: the generated object list (gen/objects.c) and the
** small pure helpers around it: apply order, duplicates and conflicts, the
** executor pod-name prefix (gen/model.c), shell quoting (gen/submit.c).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "model.h"
#include "objects.h"
#include "strbuf.h"
#include "submit.h"
#include "util.h"

static json_t *object(const char *kind, const char *name, const char *ns, int v)
{
	json_t *o = json_pack("{s:s,s:s,s:{s:s},s:i}", "apiVersion", "v1", "kind", kind,
			      "metadata", "name", name, "v", v);

	if (ns)
		json_object_set_new(json_object_get(o, "metadata"), "namespace", json_string(ns));
	return o;
}

static void test_gen_objects_apply_order(void **state)
{
	struct gen_objects o = GEN_OBJECTS_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	static const char *const want[] = {
		"StorageClass", "PersistentVolumeClaim", "ServiceAccount", "Role",
		"RoleBinding", "Service", "PodDisruptionBudget", "Job", "Widget",
	};

	(void)state;
	gen_objects_add(&o, object("Widget", "w", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("Job", "j", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("Service", "s", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("RoleBinding", "rb", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("PodDisruptionBudget", "p", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("Role", "r", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("ServiceAccount", "sa", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("PersistentVolumeClaim", "c", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("StorageClass", "sc", NULL, 0), "a", "t", 1, 1, &dl);
	assert_int_equal(gen_objects_finish(&o, NULL, &dl), 0);
	assert_int_equal(o.n, 9);
	for (size_t i = 0; i < o.n; i++)
		assert_string_equal(o.v[i].kind, want[i]);
	assert_null(o.v[0].ns);
	gen_objects_release(&o);
	diag_list_release(&dl);
}

static void test_gen_objects_stable_within_kind(void **state)
{
	struct gen_objects o = GEN_OBJECTS_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	gen_objects_add(&o, object("Service", "b", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("Job", "j", "ns", 0), "a", "t", 1, 1, &dl);
	gen_objects_add(&o, object("Service", "a", "ns", 0), "a", "t", 1, 1, &dl);
	assert_int_equal(gen_objects_finish(&o, NULL, &dl), 0);
	assert_string_equal(o.v[0].name, "b");
	assert_string_equal(o.v[1].name, "a");
	gen_objects_release(&o);
	diag_list_release(&dl);
}

static void test_gen_objects_duplicates_and_conflicts(void **state)
{
	struct gen_objects o = GEN_OBJECTS_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	gen_objects_add(&o, object("ConfigMap", "shared", "ns", 1), "a.yaml", "t", 1, 1, &dl);
	gen_objects_add(&o, object("ConfigMap", "shared", "ns", 1), "b.yaml", "t", 1, 1, &dl);
	gen_objects_add(&o, object("ConfigMap", "shared", "other", 2), "b.yaml", "t", 1, 1, &dl);
	assert_int_equal(gen_objects_finish(&o, NULL, &dl), 0);
	assert_int_equal(o.n, 2);
	gen_objects_add(&o, object("ConfigMap", "shared", "ns", 2), "c.yaml", "t", 1, 1, &dl);
	assert_int_equal(gen_objects_finish(&o, NULL, &dl), -1);
	assert_int_equal(dl.n, 1);
	assert_non_null(strstr(dl.v[0].msg, "ConfigMap 'shared' in namespace 'ns' is generated twice"));
	assert_non_null(strstr(dl.v[0].msg, "'a.yaml'"));
	gen_objects_release(&o);
	diag_list_release(&dl);
}

static void test_gen_objects_need_identity(void **state)
{
	struct gen_objects o = GEN_OBJECTS_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(gen_objects_add(&o, json_pack("{s:s}", "kind", "X"), "a", "t.yaml", 3, 1, &dl), -1);
	assert_int_equal(o.n, 0);
	assert_int_equal(dl.v[0].pos.line, 3);
	assert_non_null(strstr(dl.v[0].msg, "apiVersion, kind and metadata.name"));
	gen_objects_release(&o);
	diag_list_release(&dl);
}

static void test_gen_objects_pod_name_prefix(void **state)
{
	char a[64], b[64], c[64];
	const char *name = "abcdefghijabcdefghijabcdefghijabcdefghij";	/* 40, the limit */

	(void)state;
	model_pod_name_prefix("streaming", "wordcount", a, sizeof a);
	model_pod_name_prefix("streaming", "wordcount", b, sizeof b);
	model_pod_name_prefix("other", "wordcount", c, sizeof c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strncmp(a, "wordcount-", 10), 0);
	assert_int_equal(strlen(a), strlen("wordcount-") + 6);
	model_pod_name_prefix("ns", name, a, sizeof a);
	assert_true(strlen(a) <= 47);
}

static void test_gen_objects_shell_quote(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	submit_quote(&sb, "spark.driver.port=7078");
	strbuf_addch(&sb, ' ');
	submit_quote(&sb, "spark.driver.bindAddress=$(POD_IP)");
	strbuf_addch(&sb, ' ');
	submit_quote(&sb, "it's");
	strbuf_addch(&sb, ' ');
	submit_quote(&sb, "");
	assert_string_equal(sb.buf, "spark.driver.port=7078 'spark.driver.bindAddress=$(POD_IP)' "
			    "'it'\\''s' ''");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_objects_apply_order),
		cmocka_unit_test(test_gen_objects_stable_within_kind),
		cmocka_unit_test(test_gen_objects_duplicates_and_conflicts),
		cmocka_unit_test(test_gen_objects_need_identity),
		cmocka_unit_test(test_gen_objects_pod_name_prefix),
		cmocka_unit_test(test_gen_objects_shell_quote),
	};
	util_progname = "test_gen_objects";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
