/*
** test_lint_input.c: collecting and loading manifests (lint/input.c).  A
** directory is walked in sorted order, hidden entries and other suffixes
** left out, a file reached twice (through a symlink) taken once; the
** walk does not stat the files, so each file's size, which sizes the
** rules' memory cap (input_bytes), is learned by the loader, and a stream
** of 1 MiB or more found in a directory is still cut into pieces when
** more than one thread loads.
*/
#define _GNU_SOURCE		/* mkdtemp, symlink */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "input.h"

#define BIG_DOCS 30000		/* about 1.3 MB */

static char dir[64];
static size_t big_size, small_size;

static size_t write_file(const char *name, const char *text, size_t repeat)
{
	char path[128];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	for (size_t i = 0; i < repeat; i++)
		n += (size_t)fprintf(f, text, i);
	assert_int_equal(fclose(f), 0);
	return n;
}

static int setup(void **state)
{
	char path[128];

	(void)state;
	strcpy(dir, "/tmp/sk-input-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/sub", dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	small_size = write_file("a.yaml", "---\nkind: ConfigMap\nmetadata: {name: a%zu}\n", 2);
	small_size += write_file("sub/b.yml", "kind: Service\nmetadata: {name: b%zu}\n", 1);
	big_size = write_file("sub/c.yaml", "---\nkind: ConfigMap\nmetadata: {name: c%zu}\n",
			      BIG_DOCS);
	write_file(".hidden.yaml", "kind: Secret # %zu\n", 1);
	write_file("notes.txt", "kind: Secret # %zu\n", 1);
	snprintf(path, sizeof(path), "%s/z-link.yaml", dir);
	return symlink("a.yaml", path);		/* a.yaml again: taken once */
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void load(unsigned jobs)
{
	struct input_set in;
	struct diag_list dl = DIAG_LIST_INIT;
	char want[128];

	input_init(&in);
	assert_int_equal(input_add(&in, dir, true, NULL, &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(in.n, 3);
	snprintf(want, sizeof(want), "%s/a.yaml", dir);
	assert_string_equal(in.v[0].path, want);
	snprintf(want, sizeof(want), "%s/sub/b.yml", dir);
	assert_string_equal(in.v[1].path, want);
	snprintf(want, sizeof(want), "%s/sub/c.yaml", dir);
	assert_string_equal(in.v[2].path, want);

	input_load(&in, jobs);
	for (size_t i = 0; i < in.n; i++)
		assert_int_equal(in.v[i].dl.n, 0);
	assert_int_equal(in.v[0].ys.ndocs, 2);
	assert_int_equal(in.v[1].ys.ndocs, 1);
	assert_int_equal(in.v[2].ys.ndocs, BIG_DOCS);
	assert_true(big_size > ((size_t)1 << 20));
	assert_int_equal(in.v[2].size, big_size);
	assert_int_equal(input_bytes(&in), small_size + big_size);
	assert_int_equal(in.cut, jobs > 1);
	if (jobs > 1)
		assert_true(in.pieces > 1);
	input_release(&in);
}

static void test_input_walk_then_load_one_thread(void **state)
{
	(void)state;
	load(1);
}

static void test_input_walk_then_load_in_pieces(void **state)
{
	(void)state;
	load(2);
}

/* A file named on the command line: its size is known before loading. */
static void test_input_file_argument(void **state)
{
	struct input_set in;
	struct diag_list dl = DIAG_LIST_INIT;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/sub/c.yaml", dir);
	input_init(&in);
	assert_int_equal(input_add(&in, path, true, NULL, &dl), 0);
	assert_int_equal(input_add(&in, path, true, NULL, &dl), 0);	/* once */
	assert_int_equal(in.n, 1);
	input_load(&in, 2);
	assert_int_equal(in.v[0].ys.ndocs, BIG_DOCS);
	assert_int_equal(input_bytes(&in), big_size);
	assert_int_equal(in.cut, 1);
	input_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_walk_then_load_one_thread),
		cmocka_unit_test(test_input_walk_then_load_in_pieces),
		cmocka_unit_test(test_input_file_argument),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
