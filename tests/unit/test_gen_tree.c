/*
** test_gen_tree.c: unit tests for the GitOps tree writer (gen/tree.c,
** gen/tree_fs.c, gen/tree_diff.c, gen/sha256.c): layout, kustomizations,
** determinism, ownership, symlink safety, --check/--diff, and rollback of
** failed writes (every injected failure leaves the tree as it was).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "sha256.h"
#include "strbuf.h"
#include "tree.h"
#include "tree_diff.h"
#include "util.h"

/* ---- fixtures ----------------------------------------------------------- */

struct fx {
	const char *ns, *app, *kind, *name, *obj_ns, *extra;
};

/* Two apps, one explicitly shared object, one object both apps generate. */
static const struct fx v1[] = {
	{ NULL, NULL, "StorageClass", "azurefile", NULL, "" },
	{ "iot", "meter", "StorageClass", "meter-sc", NULL, "" },
	{ "iot", "meter", "PersistentVolumeClaim", "meter-ckpt", "iot", "" },
	{ "etl", "orders", "ServiceAccount", "orders", "etl", "" },
	{ "iot", "meter", "ClusterRole", "spark-common", NULL, "" },
	{ "etl", "orders", "ClusterRole", "spark-common", NULL, "" },
	{ "iot", "meter", "Job", "meter-driver", "iot", "spec:\n  parallelism: 1\n" },
	{ "etl", "orders", "Job", "orders-driver", "etl", "" },
};

/* v1 with the meter Job changed, the orders ServiceAccount gone, a Service added. */
static const struct fx v2[] = {
	{ NULL, NULL, "StorageClass", "azurefile", NULL, "" },
	{ "iot", "meter", "StorageClass", "meter-sc", NULL, "" },
	{ "iot", "meter", "PersistentVolumeClaim", "meter-ckpt", "iot", "" },
	{ "iot", "meter", "ClusterRole", "spark-common", NULL, "" },
	{ "etl", "orders", "ClusterRole", "spark-common", NULL, "" },
	{ "iot", "meter", "Service", "meter-driver", "iot", "" },
	{ "iot", "meter", "Job", "meter-driver", "iot", "spec:\n  parallelism: 2\n" },
	{ "etl", "orders", "Job", "orders-driver", "etl", "" },
};

/* v1 without the orders app. */
static const struct fx v3[] = {
	{ NULL, NULL, "StorageClass", "azurefile", NULL, "" },
	{ "iot", "meter", "StorageClass", "meter-sc", NULL, "" },
	{ "iot", "meter", "PersistentVolumeClaim", "meter-ckpt", "iot", "" },
	{ "iot", "meter", "ClusterRole", "spark-common", NULL, "" },
	{ "iot", "meter", "Job", "meter-driver", "iot", "spec:\n  parallelism: 1\n" },
};

struct objs {
	struct tree_object v[16];
	char *yaml[16];
	size_t n;
};

static void objs_make(struct objs *o, const struct fx *fx, size_t n)
{
	assert_true(n <= countof(o->v));
	o->n = n;
	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "apiVersion: v1\nkind: %s\nmetadata:\n  name: %s\n",
			    fx[i].kind, fx[i].name);
		if (fx[i].obj_ns)
			strbuf_addf(&sb, "  namespace: %s\n", fx[i].obj_ns);
		strbuf_addstr(&sb, fx[i].extra);
		o->yaml[i] = strbuf_detach(&sb, NULL);
		o->v[i] = (struct tree_object){ fx[i].ns, fx[i].app, fx[i].kind, fx[i].name,
						fx[i].obj_ns, o->yaml[i], strlen(o->yaml[i]), NULL, NULL };
	}
}

static void objs_free(struct objs *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->yaml[i]);
	o->n = 0;
}

static char *tmpdir_make(void)
{
	char *d = strdup("/tmp/sk-tree-XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
		chmod(path, 0755);
		while ((e = readdir(d))) {
			char *p;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			p = util_path_join(path, e->d_name);
			rm_rf(p);
			free(p);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A recursive snapshot of paths and contents (symlinks by target), sorted. */
static void snap_into(struct strbuf *sb, const char *root, const char *rel)
{
	char *path = *rel ? util_path_join(root, rel) : strdup(root);
	char *names[256];
	size_t n = 0;
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) < 0) {
		strbuf_addf(sb, "%s: absent\n", rel);
		free(path);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		char buf[512];
		ssize_t k = readlink(path, buf, sizeof buf - 1);
		buf[k > 0 ? k : 0] = '\0';
		strbuf_addf(sb, "%s -> %s\n", rel, buf);
	} else if (S_ISREG(st.st_mode)) {
		size_t len;
		struct diag_list dl = DIAG_LIST_INIT;
		char *data = util_read_file(path, 0, &len, &dl);
		strbuf_addf(sb, "%s: file %zu\n", rel, len);
		strbuf_add(sb, data, len);
		free(data);
		diag_list_release(&dl);
	} else if (S_ISDIR(st.st_mode)) {
		strbuf_addf(sb, "%s/: dir\n", rel);
		assert_non_null(d = opendir(path));
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				assert_true(n < countof(names));
				names[n++] = *rel ? util_path_join(rel, e->d_name) : strdup(e->d_name);
			}
		closedir(d);
		qsort(names, n, sizeof *names, cmp_cstr);
		for (size_t i = 0; i < n; i++) {
			snap_into(sb, root, names[i]);
			free(names[i]);
		}
	}
	free(path);
}

static char *snapshot(const char *root)
{
	struct strbuf sb = STRBUF_INIT;

	snap_into(&sb, root, "");
	return strbuf_detach(&sb, NULL);
}

static char *read_rel(const char *root, const char *rel)
{
	char *p = util_path_join(root, rel), *data;
	struct diag_list dl = DIAG_LIST_INIT;

	data = util_read_file(p, 0, NULL, &dl);
	diag_list_release(&dl);
	free(p);
	return data;
}

static bool exists_rel(const char *root, const char *rel)
{
	char *p = util_path_join(root, rel);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

static void write_rel(const char *root, const char *rel, const char *data)
{
	char *p = util_path_join(root, rel);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fputs(data, fp);
	fclose(fp);
	free(p);
}

static int sync_fx(const char *dir, const struct fx *fx, size_t n, unsigned flags,
		   struct strbuf *report, struct diag_list *dl)
{
	struct objs o;
	int rc;

	objs_make(&o, fx, n);
	rc = tree_sync(dir, o.v, o.n, flags, report, dl);
	objs_free(&o);
	return rc;
}

static bool diags_contain(const struct diag_list *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (strstr(dl->v[i].msg, needle))
			return true;
	return false;
}

#define SYNC_OK(dir, fx) do { \
	struct diag_list dl_ = DIAG_LIST_INIT; \
	assert_int_equal(sync_fx(dir, fx, countof(fx), 0, NULL, &dl_), 0); \
	assert_int_equal(dl_.n, 0); \
	diag_list_release(&dl_); \
} while (0)

/* ---- layout ------------------------------------------------------------- */

static void test_gen_tree_layout_and_names(void **state)
{
	char *dir = tmpdir_make(), *s;

	(void)state;
	SYNC_OK(dir, v1);
	s = read_rel(dir, "kustomization.yaml");
	assert_string_equal(s, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- _shared\n- etl/orders\n- iot/meter\n");
	free(s);
	s = read_rel(dir, "iot/meter/kustomization.yaml");
	assert_string_equal(s, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- storageclass-meter-sc.yaml\n"
			    "- persistentvolumeclaim-meter-ckpt.yaml\n- job-meter-driver.yaml\n");
	free(s);
	s = read_rel(dir, "_shared/kustomization.yaml");
	assert_string_equal(s, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- storageclass-azurefile.yaml\n"
			    "- clusterrole-spark-common.yaml\n");
	free(s);
	s = read_rel(dir, "etl/orders/kustomization.yaml");
	assert_string_equal(s, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- serviceaccount-orders.yaml\n"
			    "- job-orders-driver.yaml\n");
	free(s);
	s = read_rel(dir, "iot/meter/job-meter-driver.yaml");
	assert_string_equal(s, "apiVersion: v1\nkind: Job\nmetadata:\n  name: meter-driver\n"
			    "  namespace: iot\nspec:\n  parallelism: 1\n");
	free(s);
	/* the object both apps generate is written once, under _shared only */
	assert_false(exists_rel(dir, "iot/meter/clusterrole-spark-common.yaml"));
	assert_false(exists_rel(dir, "etl/orders/clusterrole-spark-common.yaml"));
	assert_true(exists_rel(dir, "_shared/clusterrole-spark-common.yaml"));
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_index_lists_owned_files(void **state)
{
	char *dir = tmpdir_make(), *idx, *job, hex[SHA256_HEX_LEN + 1], line[512];
	size_t lines = 0;

	(void)state;
	SYNC_OK(dir, v1);
	idx = read_rel(dir, ".sparkgen-index");
	job = read_rel(dir, "iot/meter/job-meter-driver.yaml");
	sha256_hex(job, strlen(job), hex);
	snprintf(line, sizeof line, "%s  iot/meter/job-meter-driver.yaml\n", hex);
	assert_non_null(strstr(idx, line));
	for (const char *c = idx; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 11);	/* 8 objects - 1 duplicate + 4 kustomizations */
	assert_true(!strncmp(idx + SHA256_HEX_LEN + 2, "_shared/clusterrole", 19));
	assert_null(strstr(idx, ".sparkgen-index"));
	free(idx);
	free(job);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_object_without_newline_and_empty_tree(void **state)
{
	char *dir = tmpdir_make(), *out = util_path_join(dir, "a/b/out"), *s;
	struct tree_object o = { "ns", "app", "ConfigMap", "cm", "ns", "kind: ConfigMap", 15, NULL, NULL };
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(tree_sync(out, &o, 1, 0, NULL, &dl), 0);
	s = read_rel(out, "ns/app/configmap-cm.yaml");
	assert_string_equal(s, "kind: ConfigMap\n");
	free(s);
	assert_int_equal(tree_sync(out, NULL, 0, 0, NULL, &dl), 0);
	s = read_rel(out, "kustomization.yaml");
	assert_string_equal(s, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources: []\n");
	free(s);
	assert_false(exists_rel(out, "ns"));	/* emptied dirs are removed */
	s = read_rel(out, ".sparkgen-index");
	assert_int_equal(strlen(s), SHA256_HEX_LEN + 2 + strlen("kustomization.yaml\n"));
	assert_string_equal(s + SHA256_HEX_LEN, "  kustomization.yaml\n");
	free(s);
	assert_int_equal(dl.n, 0);
	rm_rf(dir);
	free(dir);
	free(out);
}

/* Trees a and b hold the same files with the same bytes. */
static void assert_same_tree(const char *a, const char *b)
{
	char *sa = snapshot(a), *sb = snapshot(b);

	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
}

static void test_gen_tree_deterministic(void **state)
{
	char *a = tmpdir_make(), *b = tmpdir_make();

	(void)state;
	SYNC_OK(a, v1);
	SYNC_OK(b, v2);
	SYNC_OK(b, v1);		/* reaching v1 another way gives the same bytes */
	assert_same_tree(a, b);
	rm_rf(a);
	rm_rf(b);
	free(a);
	free(b);
}

/*
** Two apps sharing objects of one kind with two others: the apps given in
** the other order (sparkgen -o DIR b.yaml a.yaml) give the same tree; the
** shared kustomization lists each kind by name, not by arrival.
*/
static const struct fx order_ab[] = {
	{ "x", "b", "StorageClass", "sc-b", NULL, "" },
	{ "x", "c", "StorageClass", "sc-b", NULL, "" },
	{ "x", "a", "StorageClass", "sc-a", NULL, "" },
	{ "x", "d", "StorageClass", "sc-a", NULL, "" },
	{ "x", "b", "ServiceAccount", "sa-b", "x", "" },
	{ "x", "c", "ServiceAccount", "sa-b", "x", "" },
	{ "x", "a", "ServiceAccount", "sa-a", "x", "" },
	{ "x", "d", "ServiceAccount", "sa-a", "x", "" },
};

static const struct fx order_ba[] = {
	{ "x", "a", "StorageClass", "sc-a", NULL, "" },
	{ "x", "d", "StorageClass", "sc-a", NULL, "" },
	{ "x", "b", "StorageClass", "sc-b", NULL, "" },
	{ "x", "c", "StorageClass", "sc-b", NULL, "" },
	{ "x", "a", "ServiceAccount", "sa-a", "x", "" },
	{ "x", "d", "ServiceAccount", "sa-a", "x", "" },
	{ "x", "b", "ServiceAccount", "sa-b", "x", "" },
	{ "x", "c", "ServiceAccount", "sa-b", "x", "" },
};

static void test_gen_tree_argument_order_changes_nothing(void **state)
{
	char *a = tmpdir_make(), *b = tmpdir_make(), *sa;

	(void)state;
	SYNC_OK(a, order_ab);
	SYNC_OK(b, order_ba);
	assert_same_tree(a, b);
	sa = read_rel(a, "_shared/kustomization.yaml");
	assert_string_equal(sa, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- storageclass-sc-a.yaml\n"
			    "- storageclass-sc-b.yaml\n");
	free(sa);
	sa = read_rel(a, "x/_shared/kustomization.yaml");
	assert_string_equal(sa, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
			    "kind: Kustomization\nresources:\n- serviceaccount-sa-a.yaml\n"
			    "- serviceaccount-sa-b.yaml\n");
	free(sa);
	rm_rf(a);
	rm_rf(b);
	free(a);
	free(b);
}

static void test_gen_tree_noop_keeps_mtimes(void **state)
{
	static const char *const files[] = { "kustomization.yaml", ".sparkgen-index",
					     "iot/meter/job-meter-driver.yaml", "_shared/kustomization.yaml" };
	char *dir = tmpdir_make();
	struct timespec old[2] = { { 1000000, 0 }, { 1000000, 0 } };
	struct strbuf report = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	struct stat st;

	(void)state;
	SYNC_OK(dir, v1);
	for (size_t i = 0; i < countof(files); i++) {
		char *p = util_path_join(dir, files[i]);
		assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
		free(p);
	}
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	for (size_t i = 0; i < countof(files); i++) {
		char *p = util_path_join(dir, files[i]);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mtim.tv_sec, 1000000);
		free(p);
	}
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

/* ---- ownership ---------------------------------------------------------- */

static void test_gen_tree_prunes_owned_files(void **state)
{
	char *dir = tmpdir_make(), *idx, *top;
	struct strbuf report = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	assert_int_equal(sync_fx(dir, v3, countof(v3), 0, &report, &dl), 0);
	assert_false(exists_rel(dir, "etl"));	/* files and emptied dirs gone */
	assert_false(exists_rel(dir, "_shared/clusterrole-spark-common.yaml"));
	assert_true(exists_rel(dir, "iot/meter/clusterrole-spark-common.yaml"));
	idx = read_rel(dir, ".sparkgen-index");
	assert_null(strstr(idx, "etl/"));
	top = read_rel(dir, "kustomization.yaml");
	assert_null(strstr(top, "etl"));
	assert_non_null(strstr(report.buf, "removed "));
	assert_non_null(strstr(report.buf, "/etl/orders/job-orders-driver.yaml\n"));
	free(idx);
	free(top);
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_foreign_file_survives(void **state)
{
	char *dir = tmpdir_make(), *s;

	(void)state;
	SYNC_OK(dir, v1);
	write_rel(dir, "etl/orders/NOTES.md", "hand-written\n");
	write_rel(dir, "README.md", "cluster repo\n");
	SYNC_OK(dir, v2);
	SYNC_OK(dir, v3);	/* the app of the foreign file is pruned */
	s = read_rel(dir, "etl/orders/NOTES.md");
	assert_string_equal(s, "hand-written\n");
	free(s);
	s = read_rel(dir, "README.md");
	assert_string_equal(s, "cluster repo\n");
	free(s);
	assert_false(exists_rel(dir, "etl/orders/kustomization.yaml"));
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_foreign_clash_is_an_error(void **state)
{
	char *dir = tmpdir_make(), *before, *after;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	{
		char *p = util_path_join(dir, "iot"), *q = util_path_join(dir, "iot/meter");
		assert_int_equal(mkdir(p, 0755), 0);
		assert_int_equal(mkdir(q, 0755), 0);
		free(p);
		free(q);
	}
	write_rel(dir, "iot/meter/job-meter-driver.yaml", "mine\n");
	before = snapshot(dir);
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "was not written by sparkgen"));
	assert_true(diags_contain(&dl, "iot/meter/job-meter-driver.yaml"));
	after = snapshot(dir);
	assert_string_equal(before, after);	/* nothing written */
	free(after);
	diag_list_release(&dl);
	/* --check reports the clash too (exit 2 in the CLI) */
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, NULL, &dl), -1);
	diag_list_release(&dl);
	free(before);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_identical_foreign_file_is_adopted(void **state)
{
	char *dir = tmpdir_make(), *idx;

	(void)state;
	SYNC_OK(dir, v1);
	assert_int_equal(unlink(idx = util_path_join(dir, ".sparkgen-index")), 0);
	free(idx);
	SYNC_OK(dir, v1);	/* e.g. after a crash before the index was renamed */
	idx = read_rel(dir, ".sparkgen-index");
	assert_non_null(strstr(idx, "iot/meter/job-meter-driver.yaml"));
	free(idx);
	SYNC_OK(dir, v3);	/* adopted files are owned: pruned */
	assert_false(exists_rel(dir, "etl"));
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_hand_edit_is_overwritten_with_a_warning(void **state)
{
	char *dir = tmpdir_make(), *s;
	struct strbuf report = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	write_rel(dir, "iot/meter/job-meter-driver.yaml", "edited\n");
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 1);
	assert_non_null(strstr(report.buf, "changed "));
	assert_null(strstr(report.buf, ".sparkgen-index"));	/* the index records what we wrote */
	diag_list_release(&dl);
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, NULL, &dl), 0);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.v[0].level, DIAG_WARNING);
	assert_non_null(strstr(dl.v[0].msg, "edited by hand"));
	s = read_rel(dir, "iot/meter/job-meter-driver.yaml");
	assert_non_null(strstr(s, "parallelism: 1"));
	free(s);
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_symlink_escaping_dir_is_refused(void **state)
{
	char *dir = tmpdir_make(), *outside = tmpdir_make(), *p, *before, *after;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	p = util_path_join(dir, "iot");
	assert_int_equal(symlink(outside, p), 0);
	free(p);
	before = snapshot(dir);
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "refusing to follow symlink"));
	after = snapshot(dir);
	assert_string_equal(before, after);
	free(after);
	after = snapshot(outside);
	assert_string_equal(after, "/: dir\n");	/* nothing written outside */
	free(after);
	free(before);
	diag_list_release(&dl);
	/* a symlinked file is not written through either */
	p = util_path_join(dir, "iot");
	unlink(p);
	free(p);
	write_rel(outside, "target", "precious\n");
	p = util_path_join(outside, "target");
	{
		char *link = util_path_join(dir, "kustomization.yaml");
		assert_int_equal(symlink(p, link), 0);
		free(link);
	}
	free(p);
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "refusing to follow symlink"));
	p = read_rel(outside, "target");
	assert_string_equal(p, "precious\n");
	free(p);
	assert_false(exists_rel(dir, "etl"));
	diag_list_release(&dl);
	rm_rf(dir);
	rm_rf(outside);
	free(dir);
	free(outside);
}

static void test_gen_tree_owned_file_behind_symlink_is_not_removed(void **state)
{
	char *dir = tmpdir_make(), *outside = tmpdir_make(), *p, *q;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	/* replace etl/ by a symlink to a look-alike outside: pruning must not follow it */
	p = util_path_join(dir, "etl");
	q = util_path_join(outside, "etl");
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink(q, p), 0);
	assert_int_equal(sync_fx(dir, v3, countof(v3), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "refusing to follow symlink"));
	assert_true(exists_rel(outside, "etl/orders/job-orders-driver.yaml"));
	free(p);
	free(q);
	diag_list_release(&dl);
	rm_rf(dir);
	rm_rf(outside);
	free(dir);
	free(outside);
}

static void test_gen_tree_invalid_names_write_nothing(void **state)
{
	static const char *const bad[] = { "../etc", "a/b", ".hidden", "", "UPPER" };
	char *dir = tmpdir_make(), *out = util_path_join(dir, "out");
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	for (size_t i = 0; i < countof(bad); i++) {
		struct tree_object o = { "ns", bad[i], "Job", "x", "ns", "kind: Job\n", 10, NULL, NULL };
		assert_int_equal(tree_sync(out, &o, 1, 0, NULL, &dl), -1);
		assert_true(diags_contain(&dl, "invalid app name"));
		diag_list_release(&dl);
	}
	{
		struct tree_object o[] = {
			{ "ns", "app", "Job", "../../x", "ns", "kind: Job\n", 10, NULL, NULL },
			{ "ns", "app", "Job/x", "y", "ns", "kind: Job\n", 10, NULL, NULL },
			{ "ns", "app", "Job", ".y", "ns", "kind: Job\n", 10, NULL, NULL },
		};
		assert_int_equal(tree_sync(out, o, countof(o), 0, NULL, &dl), -1);
		assert_int_equal(dl.n, 3);	/* every bad object reported, each with a hint */
		for (size_t i = 0; i < dl.n; i++)
			assert_non_null(dl.v[i].hint);
		diag_list_release(&dl);
	}
	{
		/* a name ending in '.' (from a template: descriptions are validated)
		 * would make "job-y..yaml", which the index may not hold: refused
		 * up front, not written into an index the next run rejects */
		struct tree_object o = { "ns", "app", "Job", "y.", "ns", "kind: Job\n", 10, NULL, NULL };
		assert_int_equal(tree_sync(out, &o, 1, 0, NULL, &dl), -1);
		assert_true(diags_contain(&dl, "invalid name 'y.'"));
		diag_list_release(&dl);
	}
	assert_false(exists_rel(dir, "out"));
	rm_rf(dir);
	free(dir);
	free(out);
}

static void test_gen_tree_conflicting_objects(void **state)
{
	char *dir = tmpdir_make(), *out = util_path_join(dir, "out");
	struct tree_object o[] = {
		{ "a", "one", "Role", "r", "a", "kind: Role\n", 11, NULL, NULL },
		{ "b", "two", "Role", "r", "a", "kind: Role\nx: 1\n", 16, NULL, NULL },
	};
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(tree_sync(out, o, 2, 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "generated twice with different content"));
	diag_list_release(&dl);
	/* same kind and name in two namespaces of one app: one file name, an error */
	o[1] = (struct tree_object){ "a", "one", "Role", "r", "b", "kind: Role\n", 11, NULL, NULL };
	assert_int_equal(tree_sync(out, o, 2, 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "would both be written to 'a/one/role-r.yaml'"));
	diag_list_release(&dl);
	assert_false(exists_rel(dir, "out"));
	rm_rf(dir);
	free(dir);
	free(out);
}

/*
** RBAC names take ':' ("system:spark"), which Windows file names do not: the
** file name has '_' instead, the object keeps its name, the tree checks
** clean and prunes such a file; a name that would then share a file name
** with another is a conflict.
*/
static void test_gen_tree_colon_in_rbac_names(void **state)
{
	static const struct fx colon[] = {
		{ "iot", "meter", "ClusterRole", "system:spark", NULL, "" },
		{ "iot", "meter", "Role", "Spark:Driver", "iot", "" },
		{ "iot", "meter", "Job", "meter-driver", "iot", "" },
	};
	char *dir = tmpdir_make(), *s;
	struct strbuf report = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, colon);
	s = read_rel(dir, "iot/meter/clusterrole-system_spark.yaml");
	assert_non_null(s);
	assert_non_null(strstr(s, "  name: system:spark\n"));
	free(s);
	s = read_rel(dir, "iot/meter/role-spark_driver.yaml");
	assert_non_null(s);
	assert_non_null(strstr(s, "  name: Spark:Driver\n"));
	free(s);
	s = read_rel(dir, "iot/meter/kustomization.yaml");
	assert_non_null(strstr(s, "- clusterrole-system_spark.yaml\n- role-spark_driver.yaml\n"));
	free(s);
	s = read_rel(dir, ".sparkgen-index");
	assert_non_null(strstr(s, "  iot/meter/role-spark_driver.yaml\n"));
	free(s);
	assert_int_equal(sync_fx(dir, colon, countof(colon), TREE_CHECK, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	assert_int_equal(dl.n, 0);
	SYNC_OK(dir, v3);	/* from the index: pruned */
	assert_false(exists_rel(dir, "iot/meter/role-spark_driver.yaml"));
	assert_false(exists_rel(dir, "iot/meter/clusterrole-system_spark.yaml"));
	{
		struct tree_object o[] = {
			{ "a", "one", "Role", "spark:driver", "a", "kind: Role\n", 11, NULL, NULL },
			{ "a", "one", "Role", "spark_driver", "a", "kind: Role\n", 11, NULL, NULL },
		};
		char *out = util_path_join(dir, "out");

		assert_int_equal(tree_sync(out, o, 2, 0, NULL, &dl), -1);
		assert_true(diags_contain(&dl, "would both be written to 'a/one/role-spark_driver.yaml'"));
		assert_false(exists_rel(dir, "out"));
		free(out);
	}
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

/*
** An index line names a file the next run may delete as its own: a path
** that climbs out, and lines sparkgen could never have written (a README
** beside the tree, a note in an app's directory, a file in a namespace's),
** each make the index invalid; nothing is written or removed.
*/
static void test_gen_tree_corrupt_index_is_an_error(void **state)
{
	static const char *const foreign[] = {
		"../../etc/passwd", "README.md", "ns1/base/NOTES.txt",
		"etl/kustomization.yaml", "etl/ingest/Job-x.yaml",
		"etl/ingest/notes.yaml", "other/x-y.yaml",
		/* names no namespace, app or kind could make (no '_' in DNS labels) */
		"team_notes/q3/meeting-notes.yaml", "iot/meter_readings/job-x.yaml",
		"iot/meter-readings/my_notes-draft.yaml", "-iot/a/job-x.yaml",
		"iot/a-/job-x.yaml", "iot/a/job--x.yaml", "iot/_shared_/job-x.yaml",
	};
	char *dir = tmpdir_make(), *before, *after;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	for (size_t i = 0; i < countof(foreign); i++) {
		char line[256];

		snprintf(line, sizeof(line), "%064d  %s\n", 0, foreign[i]);
		write_rel(dir, ".sparkgen-index", line);
		before = snapshot(dir);
		assert_int_equal(sync_fx(dir, v3, countof(v3), 0, NULL, &dl), -1);
		assert_true(diags_contain(&dl, "is not a sparkgen index (line 1)"));
		after = snapshot(dir);
		assert_string_equal(before, after);
		free(before);
		free(after);
		diag_list_release(&dl);
	}
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_file_in_the_way_is_detected_up_front(void **state)
{
	char *dir = tmpdir_make(), *before, *after;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v3);
	write_rel(dir, "etl", "a file where a directory must go\n");
	before = snapshot(dir);
	assert_int_equal(sync_fx(dir, v2, countof(v2), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "is in the way: not a directory"));
	after = snapshot(dir);
	assert_string_equal(before, after);	/* v2's changes to iot/ were not made either */
	free(before);
	free(after);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_unwritable_dir_is_detected_up_front(void **state)
{
	char *dir = tmpdir_make(), *sub, *before, *after;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	if (geteuid() == 0) {	/* root writes through 0555; see the injection tests */
		rm_rf(dir);
		free(dir);
		skip();
	}
	SYNC_OK(dir, v1);
	sub = util_path_join(dir, "etl/orders");
	assert_int_equal(chmod(sub, 0555), 0);
	before = snapshot(dir);
	assert_int_equal(sync_fx(dir, v2, countof(v2), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "cannot write in"));
	after = snapshot(dir);
	assert_string_equal(before, after);
	chmod(sub, 0755);
	free(before);
	free(after);
	free(sub);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_two_trees_do_not_interfere(void **state)
{
	char *dir = tmpdir_make(), *dev = util_path_join(dir, "clusters/dev"),
	     *prod = util_path_join(dir, "clusters/prod"), *before, *after;

	(void)state;
	SYNC_OK(dev, v1);
	before = snapshot(dev);
	SYNC_OK(prod, v2);
	SYNC_OK(prod, v3);
	after = snapshot(dev);
	assert_string_equal(before, after);
	assert_true(exists_rel(prod, "iot/meter/job-meter-driver.yaml"));
	assert_false(exists_rel(prod, "etl"));
	free(before);
	free(after);
	rm_rf(dir);
	free(dir);
	free(dev);
	free(prod);
}

/* ---- check and diff ----------------------------------------------------- */

static void test_gen_tree_check_reports_and_writes_nothing(void **state)
{
	char *dir = tmpdir_make(), *before, *after, *want;
	struct strbuf report = STRBUF_INIT, sb = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	before = snapshot(dir);
	assert_int_equal(sync_fx(dir, v2, countof(v2), TREE_CHECK, &report, &dl), 1);
	strbuf_addf(&sb, "changed %s/.sparkgen-index\n"
		    "removed %s/etl/orders/serviceaccount-orders.yaml\n"
		    "changed %s/etl/orders/kustomization.yaml\n"
		    "changed %s/iot/meter/job-meter-driver.yaml\n"
		    "changed %s/iot/meter/kustomization.yaml\n"
		    "added %s/iot/meter/service-meter-driver.yaml\n",
		    dir, dir, dir, dir, dir, dir);
	want = sb.buf;
	/* report order: index, then by path; the removal sorts in with its path */
	assert_non_null(strstr(report.buf, "removed"));
	{
		/* compare as sets of lines: the order is by path */
		char *r = report.buf;
		size_t lines = 0;
		for (char *l = r; *l; l = strchr(l, '\n') + 1, lines++) {
			size_t len = strcspn(l, "\n") + 1;
			char line[1024];
			assert_true(len < sizeof line);
			memcpy(line, l, len);
			line[len] = '\0';
			assert_non_null(strstr(want, line));
		}
		assert_int_equal(lines, 6);
	}
	after = snapshot(dir);
	assert_string_equal(before, after);
	free(after);
	/* a missing tree: everything added, nothing created */
	strbuf_reset(&report);
	{
		char *none = util_path_join(dir, "none");
		assert_int_equal(sync_fx(none, v1, countof(v1), TREE_CHECK, &report, &dl), 1);
		assert_false(exists_rel(dir, "none"));
		assert_non_null(strstr(report.buf, "added "));
		assert_null(strstr(report.buf, "changed "));
		free(none);
	}
	assert_int_equal(dl.n, 0);
	free(before);
	strbuf_release(&sb);
	strbuf_release(&report);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_check_lines_sorted_by_path(void **state)
{
	char *dir = tmpdir_make(), *prev = NULL;
	struct strbuf report = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	assert_int_equal(sync_fx(dir, v2, countof(v2), TREE_CHECK, &report, &dl), 1);
	for (char *l = report.buf; *l; l = strchr(l, '\n') + 1) {
		char *path = strchr(l, ' ') + 1, *p = strndup(path, strcspn(path, "\n"));
		if (prev)
			assert_true(strcmp(prev, p) < 0);
		free(prev);
		prev = p;
	}
	free(prev);
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_check_diff_output(void **state)
{
	char *dir = tmpdir_make();
	struct strbuf report = STRBUF_INIT, want = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	assert_int_equal(sync_fx(dir, v2, countof(v2), TREE_CHECK | TREE_DIFF, &report, &dl), 1);
	strbuf_addf(&want, "--- %s/iot/meter/job-meter-driver.yaml\n"
		    "+++ %s/iot/meter/job-meter-driver.yaml\n"
		    "@@ -4,4 +4,4 @@\n"
		    "   name: meter-driver\n   namespace: iot\n spec:\n-  parallelism: 1\n"
		    "+  parallelism: 2\n", dir, dir);
	assert_non_null(strstr(report.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "--- /dev/null\n+++ %s/iot/meter/service-meter-driver.yaml\n"
		    "@@ -0,0 +1,5 @@\n+apiVersion: v1\n+kind: Service\n", dir);
	assert_non_null(strstr(report.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "--- %s/etl/orders/serviceaccount-orders.yaml\n+++ /dev/null\n"
		    "@@ -1,5 +0,0 @@\n-apiVersion: v1\n", dir);
	assert_non_null(strstr(report.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "--- %s/iot/meter/kustomization.yaml\n+++ %s/iot/meter/kustomization.yaml\n"
		    "@@ -3,4 +3,5 @@\n resources:\n - storageclass-meter-sc.yaml\n"
		    " - persistentvolumeclaim-meter-ckpt.yaml\n+- service-meter-driver.yaml\n"
		    " - job-meter-driver.yaml\n", dir, dir);
	assert_non_null(strstr(report.buf, want.buf));
	/* the list comes first, then the diffs */
	assert_true(strstr(report.buf, "--- ") > strstr(report.buf, "added "));
	strbuf_release(&want);
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static unsigned mode_rel(const char *root, const char *rel)
{
	char *p = util_path_join(root, rel);
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	free(p);
	return (unsigned)st.st_mode & 07777;
}

static void chmod_rel(const char *root, const char *rel, unsigned mode)
{
	char *p = util_path_join(root, rel);

	assert_int_equal(chmod(p, (mode_t)mode), 0);
	free(p);
}

/*
** git records a file's executable bit (100755): a generated file that has
** it is stale, even the index; --diff says so in git's form, a run clears
** the bit and keeps the other permission bits, which git ignores.
*/
static void test_gen_tree_check_reports_executable_bit(void **state)
{
	const char *job = "iot/meter/job-meter-driver.yaml", *kust = "iot/meter/kustomization.yaml";
	char *dir = tmpdir_make(), *idx;
	struct strbuf report = STRBUF_INIT, want = STRBUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	SYNC_OK(dir, v1);
	chmod_rel(dir, kust, 0600);	/* group and others: git ignores them */
	chmod_rel(dir, job, 0654);	/* their x bits too: git reads the owner's */
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	chmod_rel(dir, job, 0755);
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK | TREE_DIFF, &report, &dl), 1);
	strbuf_addf(&want, "changed %s/%s\ndiff --git %s/%s %s/%s\nold mode 100755\n"
		    "new mode 100644\n", dir, job, dir, job, dir, job);
	assert_string_equal(report.buf, want.buf);
	assert_int_equal(dl.n, 0);
	assert_int_equal(mode_rel(dir, job), 0755);	/* --check wrote nothing */
	assert_int_equal(sync_fx(dir, v1, countof(v1), 0, NULL, &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(mode_rel(dir, job), 0644);
	assert_int_equal(mode_rel(dir, kust), 0600);
	strbuf_reset(&report);
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	/* the index too; and an identical foreign file with the bit is adopted, cleared */
	chmod_rel(dir, ".sparkgen-index", 0775);
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 1);
	strbuf_reset(&want);
	strbuf_addf(&want, "changed %s/.sparkgen-index\n", dir);
	assert_string_equal(report.buf, want.buf);
	assert_int_equal(unlink(idx = util_path_join(dir, ".sparkgen-index")), 0);
	free(idx);
	chmod_rel(dir, job, 0700);
	SYNC_OK(dir, v1);
	assert_int_equal(mode_rel(dir, job), 0600);
	strbuf_reset(&report);
	assert_int_equal(sync_fx(dir, v1, countof(v1), TREE_CHECK, &report, &dl), 0);
	assert_int_equal(report.len, 0);
	strbuf_release(&want);
	strbuf_release(&report);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
}

static void test_gen_tree_diff_unified_edge_cases(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t minus = 0, plus = 0;

	(void)state;
	assert_int_equal(tree_diff_unified(&out, "a", "x\n", 2, "b", "x\n", 2), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(tree_diff_unified(&out, "a", "x\ny", 3, "b", "x\nz\n", 4), 0);
	assert_string_equal(out.buf, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n"
			    "\\ No newline at end of file\n+z\n");
	strbuf_reset(&out);
	/* two changes 8 lines apart: two hunks; 6 apart: one */
	assert_int_equal(tree_diff_unified(&out, "a", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", 21,
					   "b", "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n", 20), 0);
	assert_string_equal(out.buf, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n"
			    "@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n");
	strbuf_reset(&out);
	assert_int_equal(tree_diff_unified(&out, "a", "1\n2\n3\n4\n5\n6\n7\n8\n", 16,
					   "b", "X\n2\n3\n4\n5\n6\n7\nY\n", 16), 0);
	assert_non_null(strstr(out.buf, "@@ -1,8 +1,8 @@\n"));
	strbuf_reset(&out);
	/* past the edit budget: a full replacement, still a correct diff */
	for (int i = 0; i < 3000; i++) {
		strbuf_addf(&a, "a%d\n", i);
		strbuf_addf(&b, "b%d\n", i);
	}
	assert_int_equal(tree_diff_unified(&out, "a", a.buf, a.len, "b", b.buf, b.len), 0);
	for (char *l = out.buf; *l; l = strchr(l, '\n') + 1) {
		minus += l[0] == '-' && l[1] != '-';
		plus += l[0] == '+' && l[1] != '+';
	}
	assert_int_equal(minus, 3000);
	assert_int_equal(plus, 3000);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&out);
}

static void test_gen_tree_sha256_known_vectors(void **state)
{
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The CPU's SHA extensions and the portable code agree, on every length to 1 KiB and on 1 MiB. */
static void test_gen_tree_sha256_extensions_agree(void **state)
{
	enum { BIG = 1 << 20 };
	char a[SHA256_HEX_LEN + 1], b[SHA256_HEX_LEN + 1];
	unsigned char *buf = malloc(BIG);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < BIG; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	sha256_use_portable(false);
	if (!sha256_accelerated()) {
		free(buf);
		skip();		/* nothing to compare: the portable code is all there is */
	}
	for (size_t len = 0; len <= 1024; len++) {
		sha256_use_portable(false);
		sha256_hex(buf + len % 7, len, a);
		sha256_use_portable(true);
		sha256_hex(buf + len % 7, len, b);
		assert_string_equal(a, b);
	}
	sha256_use_portable(false);
	sha256_hex(buf, BIG, a);
	sha256_use_portable(true);
	sha256_hex(buf, BIG, b);
	assert_string_equal(a, b);
	sha256_use_portable(false);
	sha256_hex("abc", 3, a);
	assert_string_equal(a, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	free(buf);
}

/* ---- failures ----------------------------------------------------------- */

/* Fail the k-th file-system change for every k: the tree must stay as it was each time. */
static void rollback_every_step(const char *dir, const struct fx *from, size_t nfrom,
				const struct fx *to, size_t nto)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *before, *after, *want = NULL;
	long k, steps;

	if (from)
		assert_int_equal(sync_fx(dir, from, nfrom, 0, NULL, &dl), 0);
	before = snapshot(dir);
	for (k = 1;; k++) {
		int rc;

		tree_test_fail_after(k);
		rc = sync_fx(dir, to, nto, 0, NULL, &dl);
		steps = tree_test_fail_after(0);
		if (rc == 0)
			break;
		assert_int_equal(rc, -1);
		assert_true(diags_contain(&dl, "Input/output error"));
		diag_list_release(&dl);
		after = snapshot(dir);
		assert_string_equal(before, after);
		free(after);
	}
	assert_true(k > 5);		/* the failure was injected at every step */
	assert_int_equal(steps, k - 1);	/* ... and the last run had k - 1 of them */
	want = snapshot(dir);
	assert_string_not_equal(before, want);
	diag_list_release(&dl);
	free(before);
	free(want);
}

static void test_gen_tree_write_failure_leaves_tree_intact(void **state)
{
	char *dir = tmpdir_make(), *fresh = tmpdir_make(), *a, *b;

	(void)state;
	write_rel(dir, "README.md", "foreign\n");
	rollback_every_step(dir, v1, countof(v1), v2, countof(v2));
	SYNC_OK(fresh, v2);
	write_rel(fresh, "README.md", "foreign\n");
	a = snapshot(dir);
	b = snapshot(fresh);
	assert_string_equal(a, b);	/* after the failures, the same tree as a clean run */
	free(a);
	free(b);
	rollback_every_step(dir, NULL, 0, v3, countof(v3));	/* removals too */
	rm_rf(dir);
	rm_rf(fresh);
	free(dir);
	free(fresh);
}

/*
** A new output directory is built beside it and renamed into place: a
** failure at any step leaves nothing (neither the directories on its way
** nor the staging one), and the run that gets through leaves only the tree.
*/
static void test_gen_tree_write_failure_into_new_dir(void **state)
{
	char *dir = tmpdir_make(), *out = util_path_join(dir, "x/y/tree/"), *s;
	char *ref = tmpdir_make(), *want, *got;
	const char *head = "/: dir\nx/: dir\nx/y/: dir\nx/y/tree/: dir\n";
	long k, steps;

	(void)state;
	for (k = 1;; k++) {
		struct diag_list dl = DIAG_LIST_INIT;
		int rc;

		tree_test_fail_after(k);
		rc = sync_fx(out, v1, countof(v1), 0, NULL, &dl);
		steps = tree_test_fail_after(0);
		diag_list_release(&dl);
		if (rc == 0)
			break;
		assert_int_equal(rc, -1);
		s = snapshot(dir);
		assert_string_equal(s, "/: dir\n");	/* created directories removed again */
		free(s);
	}
	/* mkdir x, x/y, the staging dir, its dirs, one per file, the name, the rename */
	assert_true(k > (long)countof(v1) + 5);
	assert_int_equal(steps, k - 1);
	SYNC_OK(ref, v1);
	want = snapshot(ref);
	got = snapshot(out);
	assert_string_equal(got, want);
	free(got);
	s = snapshot(dir);	/* nothing beside the tree */
	assert_true(!strncmp(s, head, strlen(head)));
	assert_null(strstr(s, ".sparkgen-new-"));
	assert_null(strstr(s, ".sparkgen-tmp-"));
	free(s);
	free(want);
	rm_rf(ref);
	rm_rf(dir);
	free(ref);
	free(dir);
	free(out);
}

/*
** Many objects (enough for several writer threads): MANY_APPS apps of
** MANY_OBJS ConfigMaps; with `big_len`, the last object of every app but
** the first gets that many bytes of data.
*/
#define MANY_APPS 40
#define MANY_OBJS 30

struct many {
	struct tree_object v[MANY_APPS * MANY_OBJS];
	char *yaml[MANY_APPS * MANY_OBJS];
	char ns[MANY_APPS][16], app[MANY_APPS][16], name[MANY_APPS * MANY_OBJS][16];
};

static struct many *many_make(size_t big_len)
{
	struct many *m = calloc(1, sizeof *m);

	assert_non_null(m);
	for (size_t a = 0; a < MANY_APPS; a++) {
		snprintf(m->ns[a], sizeof m->ns[a], "ns%zu", a % 7);
		snprintf(m->app[a], sizeof m->app[a], "app%02zu", a);
		for (size_t i = 0; i < MANY_OBJS; i++) {
			size_t k = a * MANY_OBJS + i;
			struct strbuf sb = STRBUF_INIT;

			snprintf(m->name[k], sizeof m->name[k], "cm%02zu-%02zu", a, i);
			strbuf_addf(&sb, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
				    "  namespace: %s\ndata:\n  k: v%zu\n", m->name[k], m->ns[a], k);
			if (big_len && a > 0 && i == MANY_OBJS - 1) {
				strbuf_addstr(&sb, "  big: ");
				for (size_t b = 0; b < big_len; b++)
					strbuf_addch(&sb, 'x');
				strbuf_addch(&sb, '\n');
			}
			m->yaml[k] = strbuf_detach(&sb, NULL);
			m->v[k] = (struct tree_object){ m->ns[a], m->app[a], "ConfigMap", m->name[k],
							m->ns[a], m->yaml[k], strlen(m->yaml[k]),
							NULL, NULL };
		}
	}
	return m;
}

static void many_free(struct many *m)
{
	for (size_t k = 0; m && k < MANY_APPS * MANY_OBJS; k++)
		free(m->yaml[k]);
	free(m);
}

/* A new tree written by threads is the one a single thread writes. */
static void test_gen_tree_threads_write_what_one_writes(void **state)
{
	char *d1 = tmpdir_make(), *d4 = tmpdir_make();
	char *one = util_path_join(d1, "out"), *four = util_path_join(d4, "out"), *a, *b;
	struct many *m = many_make(0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(tree_sync_hashed(one, m->v, NULL, countof(m->v), 0, 1, NULL, &dl), 0);
	assert_int_equal(tree_test_writers(), 1);
	assert_int_equal(tree_sync_hashed(four, m->v, NULL, countof(m->v), 0, 4, NULL, &dl), 0);
	assert_int_equal(tree_test_writers(), 4);	/* 1,247 files: 4 of 256 or more */
	assert_int_equal(dl.n, 0);
	a = snapshot(one);
	b = snapshot(four);
	assert_non_null(strstr(a, "ns6/app06/configmap-cm06-29.yaml: file"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	many_free(m);
	rm_rf(d1);
	rm_rf(d4);
	free(d1);
	free(d4);
	free(one);
	free(four);
}

/* Write `text` over the file `rel` of the tree `root`. */
static void overwrite(const char *root, const char *rel, const char *text)
{
	char *path = util_path_join(root, rel);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

/*
** The same check with 1 and 4 threads reading the tree: the same result and
** words, and each of `want` said in that order.
*/
static void check_reads_agree(const char *out, struct many *m, int want_rc,
			      const char *const *want)
{
	struct diag_list d1 = DIAG_LIST_INIT, d4 = DIAG_LIST_INIT;
	struct strbuf r1 = STRBUF_INIT, r4 = STRBUF_INIT;

	assert_int_equal(tree_sync_hashed(out, m->v, NULL, countof(m->v), TREE_CHECK, 1,
					  &r1, &d1), want_rc);
	assert_int_equal(tree_test_readers(), 1);
	assert_int_equal(tree_sync_hashed(out, m->v, NULL, countof(m->v), TREE_CHECK, 4,
					  &r4, &d4), want_rc);
	assert_int_equal(tree_test_readers(), 4);
	assert_string_equal(r1.len ? r1.buf : "", r4.len ? r4.buf : "");
	assert_int_equal(d1.n, d4.n);
	for (size_t i = 0; i < d1.n; i++) {
		assert_string_equal(d1.v[i].msg, d4.v[i].msg);
		assert_string_equal(d1.v[i].pos.file, d4.v[i].pos.file);
	}
	for (size_t i = 0; *want; want++, i++) {	/* each said, in this order */
		while (i < d1.n && !strstr(d1.v[i].msg, *want))
			i++;
		assert_true(i < d1.n);
	}
	strbuf_release(&r1);
	strbuf_release(&r4);
	diag_list_release(&d1);
	diag_list_release(&d4);
}

/*
** An existing tree read by threads to compare it: the same findings as one
** thread's, in the same order (files edited by hand, a file missing; then
** a directory and a symlink in the way of files, in three directories).
** What reading finds comes first, in path order, then what comparing
** finds; sparkgen sorts them all before printing.
*/
static void test_gen_tree_threads_read_what_one_reads(void **state)
{
	char *d = tmpdir_make(), *out = util_path_join(d, "out"), *p, *q;
	struct many *m = many_make(0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(tree_sync_hashed(out, m->v, NULL, countof(m->v), 0, 1, NULL, &dl), 0);
	assert_int_equal(dl.n, 0);
	overwrite(out, "ns3/app03/configmap-cm03-07.yaml", "edited: 1\n");
	overwrite(out, "ns5/app33/configmap-cm33-29.yaml", "edited: 2\n");
	p = util_path_join(out, "ns3/app17/configmap-cm17-00.yaml");
	assert_int_equal(unlink(p), 0);
	check_reads_agree(out, m, 1, (const char *const[]){
		"configmap-cm03-07.yaml' was edited by hand",
		"configmap-cm33-29.yaml' was edited by hand", NULL });

	assert_int_equal(mkdir(p, 0755), 0);	/* a directory in its way */
	free(p);
	p = util_path_join(out, "ns0/app21/configmap-cm21-12.yaml");
	q = util_path_join(out, "ns0/app21/configmap-cm21-13.yaml");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(q, p), 0);	/* a symlink in its way */
	check_reads_agree(out, m, -1, (const char *const[]){
		"refusing to follow symlink", /* ns0/app21/ before ns3/app17/ */
		"configmap-cm17-00.yaml' is in the way: not a regular file",
		"configmap-cm33-29.yaml' was edited by hand",
		NULL });
	free(p);
	free(q);
	many_free(m);
	rm_rf(d);
	free(d);
	free(out);
}

/* What the failing-writers test changes in the process, put back by its teardown. */
struct fsize_state {
	struct rlimit old;
	void (*was)(int);
	struct many *m;
	char *dir;
};

static int fsize_setup(void **state)
{
	struct fsize_state *st = calloc(1, sizeof *st);

	if (!st || getrlimit(RLIMIT_FSIZE, &st->old) < 0) {
		free(st);
		return -1;
	}
	st->was = signal(SIGXFSZ, SIG_IGN);
	*state = st;
	return 0;
}

static int fsize_teardown(void **state)
{
	struct fsize_state *st = *state;

	setrlimit(RLIMIT_FSIZE, &st->old);
	signal(SIGXFSZ, st->was);
	many_free(st->m);
	if (st->dir)
		rm_rf(st->dir);
	free(st->dir);
	free(st);
	return 0;
}

/*
** Files the threads cannot write (over RLIMIT_FSIZE), the last of every app
** but the first: the error names the first of them in path order, however
** the writers met them in time, and nothing is left behind.
*/
static void test_gen_tree_threads_fail_as_one_fails(void **state)
{
	struct fsize_state *st = *state;
	struct rlimit lim = st->old;
	char *out;

	if (st->old.rlim_max != RLIM_INFINITY && st->old.rlim_max < 100000)
		skip();
	st->dir = tmpdir_make();
	out = util_path_join(st->dir, "out");
	st->m = many_make(200000);
	lim.rlim_cur = 100000;
	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		for (int round = 0; round < 5; round++) {
			struct diag_list dl = DIAG_LIST_INIT;
			char *s;
			int rc;

			assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
			rc = tree_sync_hashed(out, st->m->v, NULL, countof(st->m->v), 0, jobs, NULL, &dl);
			assert_int_equal(setrlimit(RLIMIT_FSIZE, &st->old), 0);
			assert_int_equal(rc, -1);
			assert_int_equal(tree_test_writers(), jobs);
			assert_int_equal(dl.n, 1);
			assert_non_null(strstr(dl.v[0].msg, "cannot write"));
			/* ns0 holds app00 (no big file), app07, app14, ... */
			assert_non_null(strstr(dl.v[0].msg, "/out/ns0/app07/configmap-cm07-29.yaml"));
			diag_list_release(&dl);
			s = snapshot(st->dir);
			assert_string_equal(s, "/: dir\n");	/* no staging directory, no file */
			free(s);
		}
	}
	free(out);
}

/* An output directory that is a dangling symlink: an error that says so, nothing created. */
static void test_gen_tree_dangling_symlink_output_dir(void **state)
{
	char *dir = tmpdir_make(), *link = util_path_join(dir, "out");
	char *target = util_path_join(dir, "gone"), *s, want[PATH_MAX + 32];
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(sync_fx(link, v1, countof(v1), 0, NULL, &dl), -1);
	assert_true(diags_contain(&dl, "No such file or directory"));
	assert_non_null(dl.v[dl.n - 1].hint);
	assert_non_null(strstr(dl.v[dl.n - 1].hint, "symlink to a directory that does not exist"));
	s = snapshot(dir);	/* the link and nothing else */
	snprintf(want, sizeof want, "/: dir\nout -> %s\n", target);
	assert_string_equal(s, want);
	free(s);
	diag_list_release(&dl);
	rm_rf(dir);
	free(dir);
	free(link);
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_tree_layout_and_names),
		cmocka_unit_test(test_gen_tree_index_lists_owned_files),
		cmocka_unit_test(test_gen_tree_object_without_newline_and_empty_tree),
		cmocka_unit_test(test_gen_tree_deterministic),
		cmocka_unit_test(test_gen_tree_argument_order_changes_nothing),
		cmocka_unit_test(test_gen_tree_noop_keeps_mtimes),
		cmocka_unit_test(test_gen_tree_prunes_owned_files),
		cmocka_unit_test(test_gen_tree_foreign_file_survives),
		cmocka_unit_test(test_gen_tree_foreign_clash_is_an_error),
		cmocka_unit_test(test_gen_tree_identical_foreign_file_is_adopted),
		cmocka_unit_test(test_gen_tree_hand_edit_is_overwritten_with_a_warning),
		cmocka_unit_test(test_gen_tree_symlink_escaping_dir_is_refused),
		cmocka_unit_test(test_gen_tree_owned_file_behind_symlink_is_not_removed),
		cmocka_unit_test(test_gen_tree_invalid_names_write_nothing),
		cmocka_unit_test(test_gen_tree_conflicting_objects),
		cmocka_unit_test(test_gen_tree_colon_in_rbac_names),
		cmocka_unit_test(test_gen_tree_corrupt_index_is_an_error),
		cmocka_unit_test(test_gen_tree_file_in_the_way_is_detected_up_front),
		cmocka_unit_test(test_gen_tree_unwritable_dir_is_detected_up_front),
		cmocka_unit_test(test_gen_tree_two_trees_do_not_interfere),
		cmocka_unit_test(test_gen_tree_check_reports_and_writes_nothing),
		cmocka_unit_test(test_gen_tree_check_lines_sorted_by_path),
		cmocka_unit_test(test_gen_tree_check_diff_output),
		cmocka_unit_test(test_gen_tree_check_reports_executable_bit),
		cmocka_unit_test(test_gen_tree_diff_unified_edge_cases),
		cmocka_unit_test(test_gen_tree_sha256_known_vectors),
		cmocka_unit_test(test_gen_tree_sha256_extensions_agree),
		cmocka_unit_test(test_gen_tree_write_failure_leaves_tree_intact),
		cmocka_unit_test(test_gen_tree_write_failure_into_new_dir),
		cmocka_unit_test(test_gen_tree_threads_write_what_one_writes),
		cmocka_unit_test(test_gen_tree_threads_read_what_one_reads),
		cmocka_unit_test_setup_teardown(test_gen_tree_threads_fail_as_one_fails,
						fsize_setup, fsize_teardown),
		cmocka_unit_test(test_gen_tree_dangling_symlink_output_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
