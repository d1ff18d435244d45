/*
** test_gen_batch.c: compiling descriptions in threads (gen/batch.c).  Each
** result belongs to its own description whatever thread rendered it, holds
** only that description's diagnostics, and is byte for byte what one
** thread makes; a shared struct gen renders as its source does.
** Runs from the repository root (schema/ and templates/ are there).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "batch.h"
#include "compile.h"
#include "jarena.h"
#include "util.h"

#define NAPPS 24
#define BROKEN 7	/* this one's memory is not a quantity */

static const char app_fmt[] =
	"app:\n"
	"  name: app-%02d\n"
	"  namespace: ns-%d\n"
	"  image: registry.example.com/app:%d\n"
	"  mainClass: com.example.App\n"
	"  mainFile: local:///opt/app/app.jar\n"
	"driver:\n"
	"  memory: %s\n"
	"executor:\n"
	"  instances: %d\n"
	"  memory: 1g\n"
	"checkpoint:\n"
	"  size: 1Gi\n"
	"  accessMode: ReadWriteOnce\n"
	"  storage:\n"
	"    cloud: existing\n"
	"    className: standard\n"
	"    create: false\n";

struct fixture {
	char dir[64];
	char *files[NAPPS];
	struct gen g;
	struct diag_list dl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct gen_options o = { .datadir = ".", .need_templates = true };

	assert_non_null(f);
	strcpy(f->dir, "/tmp/sk-batch.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	for (int i = 0; i < NAPPS; i++) {
		char path[128];
		FILE *fp;

		snprintf(path, sizeof path, "%s/app-%02d.yaml", f->dir, i);
		f->files[i] = strdup(path);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fprintf(fp, app_fmt, i, i % 3, i, i == BROKEN ? "lots" : "512m", 1 + i % 4);
		assert_int_equal(fclose(fp), 0);
	}
	diag_list_init(&f->dl);
	assert_int_equal(gen_init(&f->g, &o, &f->dl), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < NAPPS; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	rmdir(f->dir);
	gen_release(&f->g);
	diag_list_release(&f->dl);
	free(f);
	return 0;
}

static void release_all(struct gen_result *res)
{
	for (int i = 0; i < NAPPS; i++)
		gen_result_release(&res[i]);
}

/* res[i] is files[i]'s: its name, and diagnostics only where it is broken. */
static void check_owners(struct gen_result *res, bool emitted)
{
	for (int i = 0; i < NAPPS; i++) {
		char want[16];

		if (i == BROKEN) {
			assert_int_equal(res[i].rc, -1);
			assert_true(res[i].dl.n > 0);
			assert_non_null(strstr(res[i].dl.v[0].pos.file, "app-07.yaml"));
			assert_int_equal(res[i].nemitted, 0);
			continue;
		}
		snprintf(want, sizeof want, "app-%02d", i);
		assert_int_equal(res[i].rc, 0);
		assert_int_equal(res[i].dl.n, 0);
		assert_string_equal(res[i].app, want);
		snprintf(want, sizeof want, "ns-%d", i % 3);
		assert_string_equal(res[i].ns, want);
		if (emitted) {
			assert_true(res[i].nemitted > 0);
			assert_int_equal(res[i].objs.n, 0);	/* freed once emitted */
			assert_non_null(strstr(res[i].yaml.buf, "name: app-"));
		} else {
			assert_true(res[i].objs.n > 0);
			assert_int_equal(res[i].nemitted, 0);
		}
	}
}

static void test_batch_results_belong_to_their_description(void **state)
{
	struct fixture *f = *state;
	struct gen_result one[NAPPS], four[NAPPS];

	gen_batch(&f->g, f->files, NAPPS, 1, true, one);
	gen_batch(&f->g, f->files, NAPPS, 4, true, four);
	check_owners(one, true);
	check_owners(four, true);
	for (int i = 0; i < NAPPS; i++) {
		assert_int_equal(four[i].yaml.len, one[i].yaml.len);
		assert_memory_equal(four[i].yaml.buf, one[i].yaml.buf, one[i].yaml.len);
		assert_int_equal(four[i].nemitted, one[i].nemitted);
		for (size_t k = 0; k < one[i].nemitted; k++) {
			assert_string_equal(four[i].emitted[k].kind, one[i].emitted[k].kind);
			assert_string_equal(four[i].emitted[k].name, one[i].emitted[k].name);
			assert_int_equal(four[i].emitted[k].off, one[i].emitted[k].off);
			assert_int_equal(four[i].emitted[k].len, one[i].emitted[k].len);
		}
	}
	/* the executor count shows in app-05's Job (instances 2), not app-04's */
	assert_non_null(strstr(four[5].yaml.buf, "spark.executor.instances=2"));
	assert_non_null(strstr(four[4].yaml.buf, "spark.executor.instances=1"));
	release_all(one);
	release_all(four);
}

static void test_batch_objects_without_emitting(void **state)
{
	struct fixture *f = *state;
	struct gen_result res[NAPPS];

	gen_batch(&f->g, f->files, NAPPS, 3, false, res);
	check_owners(res, false);
	release_all(res);
}

/* More threads than descriptions, and none at all. */
static void test_batch_more_threads_than_work(void **state)
{
	struct fixture *f = *state;
	struct gen_result res[2];

	gen_batch(&f->g, f->files, 2, 64, true, res);
	assert_string_equal(res[0].app, "app-00");
	assert_string_equal(res[1].app, "app-01");
	gen_result_release(&res[0]);
	gen_result_release(&res[1]);
	gen_batch(&f->g, f->files, 0, 8, true, res);
}

/* A shared gen renders as its source, and goes before it without a trace. */
static void test_gen_share_renders_the_same(void **state)
{
	struct fixture *f = *state;
	struct gen_objects a = GEN_OBJECTS_INIT, b = GEN_OBJECTS_INIT;
	struct gen shared;
	char *ta, *tb;

	assert_int_equal(gen_share(&shared, &f->g, &f->dl), 0);
	assert_int_equal(gen_app(&f->g, f->files[3], &a, &f->dl), 0);
	assert_int_equal(gen_app(&shared, f->files[3], &b, &f->dl), 0);
	assert_int_equal(a.n, b.n);
	for (size_t k = 0; k < a.n; k++) {
		ta = json_dumps(a.v[k].obj, JSON_SORT_KEYS);
		tb = json_dumps(b.v[k].obj, JSON_SORT_KEYS);
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
	}
	assert_int_equal(f->dl.n, 0);
	gen_release(&shared);
	gen_objects_release(&a);
	gen_objects_release(&b);
	/* the source still works after the share is gone */
	assert_int_equal(gen_app(&f->g, f->files[4], &a, &f->dl), 0);
	gen_objects_release(&a);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/*
** An app whose second template fails after its first one rendered: the
** object it holds was made in the render's JSON arena (main installs it, as
** sparkgen does), so it goes when the app is done, not with the result.
*/
static void test_batch_failed_app_leaves_no_json(void **state)
{
	struct fixture *f = *state;
	char tdir[] = "/tmp/sk-batch-tmpl.XXXXXX", path[128];
	struct gen_options o = { .datadir = ".", .need_templates = true, .templates = tdir };
	struct gen_result res[4];
	struct gen g;

	assert_non_null(mkdtemp(tdir));
	write_file(tdir, "a.yaml", "apiVersion: v1\nkind: ConfigMap\n"
		   "metadata:\n  name: ${app.name}-a\n  namespace: ${app.namespace}\n");
	write_file(tdir, "b.yaml", "apiVersion: v1\nkind: ConfigMap\n"
		   "metadata:\n  name: Not_A_Name\n  namespace: ${app.namespace}\n");
	assert_int_equal(gen_init(&g, &o, &f->dl), 0);
	gen_batch(&g, f->files, 4, 2, true, res);
	assert_int_equal(jarena_held(), 0);	/* the threads gave their chunks back */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(res[i].rc, -1);
		assert_int_equal(res[i].objs.n, 0);
		assert_int_equal(res[i].nemitted, 0);
		assert_true(res[i].dl.n > 0);
		assert_non_null(strstr(res[i].dl.v[res[i].dl.n - 1].msg, "Not_A_Name"));
		gen_result_release(&res[i]);
	}
	/* without emitting, the objects are the caller's */
	gen_batch(&g, f->files, 1, 1, false, res);
	assert_int_equal(res[0].rc, -1);
	assert_int_equal(res[0].objs.n, 1);
	assert_string_equal(res[0].objs.v[0].name, "app-00-a");
	gen_result_release(&res[0]);
	gen_release(&g);
	for (const char *const *n = (const char *const[]){ "a.yaml", "b.yaml", NULL }; *n; n++) {
		snprintf(path, sizeof path, "%s/%s", tdir, *n);
		unlink(path);
	}
	rmdir(tdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_batch_results_belong_to_their_description),
		T(test_batch_objects_without_emitting),
		T(test_batch_more_threads_than_work),
		T(test_gen_share_renders_the_same),
		T(test_batch_failed_app_leaves_no_json),
	};

	jarena_install();	/* as sparkgen does: an emitting batch renders in it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
