/*
** test_base.c: unit tests for the small lib modules: strbuf, diag, util.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "lpool.h"
#include "strbuf.h"
#include "util.h"

static void test_strbuf_appends_and_detaches(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	size_t len;

	(void)state;
	strbuf_init(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d", i % 10);
	assert_int_equal(sb.len, 1004);
	assert_memory_equal(sb.buf, "abc-0123", 8);
	assert_int_equal(sb.buf[sb.len], '\0');
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 1004);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	free(s);
	strbuf_release(&sb);
}

static void test_strbuf_reset_keeps_memory(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_init(&sb);
	strbuf_addstr(&sb, "hello");
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_true(sb.alloc > 0);
	strbuf_release(&sb);
}

static void test_diag_addf_returns_minus_one_and_sorts(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct diag_pos b2 = { "b.yaml", 2, 1 }, a9 = { "a.yaml", 9, 3 },
			a2 = { "a.yaml", 2, 7 }, a2c = { "a.yaml", 2, 5 };

	(void)state;
	assert_int_equal(diag_addf(&dl, DIAG_ERROR, "x", b2, "one %d", 1), -1);
	diag_addf(&dl, DIAG_WARNING, "y", a9, "two");
	diag_addf(&dl, DIAG_INFO, "z", a2, "three");
	diag_addf(&dl, DIAG_ERROR, "z", a2c, "four");
	diag_hintf(&dl, "fix %s", "it");
	diag_sort(&dl);
	assert_string_equal(dl.v[0].msg, "four");
	assert_string_equal(dl.v[0].hint, "fix it");
	assert_string_equal(dl.v[1].msg, "three");
	assert_string_equal(dl.v[2].msg, "two");
	assert_string_equal(dl.v[3].msg, "one 1");
	assert_int_equal(diag_count(&dl, DIAG_WARNING), 3);
	assert_int_equal(diag_count(&dl, DIAG_ERROR), 2);
	diag_list_release(&dl);
	assert_int_equal(dl.n, 0);
}

static void test_diag_uniq_drops_repeats(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct diag_pos a = { "a.yaml", 3, 1 }, b = { "b.yaml", 1, 1 };

	(void)state;
	for (int i = 0; i < 3; i++)
		diag_addf(&dl, DIAG_ERROR, "io", b, "refusing to follow symlink 'b'");
	diag_addf(&dl, DIAG_ERROR, "io", a, "same text, other place");
	diag_addf(&dl, DIAG_ERROR, "io", b, "refusing to follow symlink 'b'");
	diag_hintf(&dl, "another hint: kept");
	diag_addf(&dl, DIAG_WARNING, "io", b, "refusing to follow symlink 'b'");
	diag_addf(&dl, DIAG_ERROR, "io", a, "same text, other place");
	diag_sort(&dl);
	diag_uniq(&dl);
	assert_int_equal(dl.n, 4);
	assert_string_equal(dl.v[0].pos.file, "a.yaml");
	assert_string_equal(dl.v[1].msg, "refusing to follow symlink 'b'");
	assert_null(dl.v[1].hint);
	assert_int_equal(dl.v[1].level, DIAG_ERROR);
	assert_string_equal(dl.v[2].hint, "another hint: kept");
	assert_int_equal(dl.v[3].level, DIAG_WARNING);
	diag_list_release(&dl);
}

static void test_diag_level_names_round_trip(void **state)
{
	(void)state;
	for (int i = DIAG_INFO; i <= DIAG_ERROR; i++)
		assert_int_equal(diag_level_parse(diag_level_name(i)), i);
	assert_int_equal(diag_level_parse("fatal"), -1);
}

static void test_diag_print_format(void **state)
{
	struct diag d = { { "x.yaml", 3, 5 }, DIAG_ERROR, "rule-a",
			  "container 'app' is bad", "do better" };
	char buf[256] = "";
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	diag_print(fp, &d, false);
	fclose(fp);
	assert_string_equal(buf, "x.yaml:3:5: error: container 'app' is bad [rule-a]\n"
				 "  hint: do better\n");
}

static void test_strbuf_add_printable_escapes_controls(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_init(&sb);
	strbuf_add_printable(&sb, "a\tb\nc\r\033[2J\x7f\xc2\x9b\xc2\xa0\xe2\x82\xac.", NULL);
	assert_string_equal(sb.buf, "a\tb\\nc\\r\\x1b[2J\\x7f\\x9b\xc2\xa0\xe2\x82\xac.");
	strbuf_reset(&sb);
	/* LS, PS, RLO, PDI; an em dash (U+2014) and U+2065 are text */
	strbuf_add_printable(&sb, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\xae" "d\xe2\x81\xa9"
			     "e\xe2\x80\x94\xe2\x81\xa5", NULL);
	assert_string_equal(sb.buf, "a\\u2028b\\u2029c\\u202ed\\u2069e\xe2\x80\x94\xe2\x81\xa5");
	strbuf_reset(&sb);
	strbuf_add_printable(&sb, "one\n::error::two\n", "\n  | ");
	assert_string_equal(sb.buf, "one\n  | ::error::two\n  | ");
	strbuf_reset(&sb);
	/* a length: a NUL is a control; a sequence cut by the end is text */
	strbuf_add_printable_n(&sb, "a\0b\xe2\x80\xa8\xe2\x80", 8, NULL);
	assert_int_equal(sb.len, 14);
	assert_memory_equal(sb.buf, "a\\x00b\\u2028\xe2\x80", 14);
	strbuf_release(&sb);
}

/* A message built from YAML values cannot start a line of its own. */
static void test_diag_print_escapes_untrusted_text(void **state)
{
	struct diag d = { { "evil\n.yaml", 1, 1 }, DIAG_ERROR, "r",
			  "pod 'x\n::warning::forged\033]0;t\a'", "h1\nh2" };
	char buf[256] = "";
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	diag_print(fp, &d, false);
	fclose(fp);
	assert_string_equal(buf, "evil\\n.yaml:1:1: error: pod 'x\\n::warning::forged\\x1b]0;t\\x07' [r]\n"
				 "  hint: h1\n  | h2\n");
}

static void test_util_intern_shares_copies(void **state)
{
	char a[] = "same", b[] = "same";
	const char *x, *y;

	(void)state;
	x = util_intern(a);
	y = util_intern(b);
	assert_ptr_equal(x, y);
	assert_ptr_not_equal(x, a);
	for (int i = 0; i < 500; i++) {	/* force growth */
		char name[32];

		snprintf(name, sizeof(name), "f%d", i);
		assert_string_equal(util_intern(name), name);
	}
	assert_ptr_equal(util_intern("same"), x);
}

static void test_util_utf8_cut(void **state)
{
	const char *s = "ab\xc3\xa9\xe2\x82\xac!";	/* a b é € ! */

	(void)state;
	assert_int_equal(util_utf8_cut(s, 8, 8), 8);		/* fits */
	assert_int_equal(util_utf8_cut(s, 8, 100), 8);
	assert_int_equal(util_utf8_cut(s, 8, 2), 2);
	assert_int_equal(util_utf8_cut(s, 8, 3), 2);		/* not inside é */
	assert_int_equal(util_utf8_cut(s, 8, 4), 4);
	assert_int_equal(util_utf8_cut(s, 8, 5), 4);		/* nor inside € */
	assert_int_equal(util_utf8_cut(s, 8, 6), 4);
	assert_int_equal(util_utf8_cut(s, 8, 7), 7);
	assert_int_equal(util_utf8_cut("\x80\x80\x80", 3, 2), 0);	/* stray continuation bytes */
}

static void test_util_utf16_to_utf8(void **state)
{
	/* "a", U+00E9, U+20AC, U+1F680 (a pair), a lone high surrogate, "z" */
	static const char le[] = "\xff\xfe" "a\0" "\xe9\0" "\xac\x20" "\x3d\xd8\x80\xde"
				 "\x3d\xd8" "z\0";
	static const char be[] = "\xfe\xff" "\0a" "\0\xe9" "\x20\xac" "\xd8\x3d\xde\x80"
				 "\xd8\x3d" "\0z";
	const char *want = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80\xef\xbf\xbdz";
	size_t n;
	char *u;

	(void)state;
	assert_true(util_utf16_bom(le, 2) && util_utf16_bom(be, 2));
	assert_false(util_utf16_bom("ab", 2) || util_utf16_bom(le, 1));
	u = util_utf16_to_utf8(le, sizeof le - 1, &n);
	assert_string_equal(u, want);
	assert_int_equal(n, strlen(want));
	free(u);
	u = util_utf16_to_utf8(be, sizeof be - 1, &n);
	assert_string_equal(u, want);
	free(u);
	u = util_utf16_to_utf8("\xff\xfe" "a\0" "\xdc", 5, &n);	/* an odd last byte */
	assert_string_equal(u, "a\xef\xbf\xbd");
	free(u);
	u = util_utf16_to_utf8("\xff\xfe" "\x00\xdc" "a\0", 6, &n);	/* a lone low surrogate */
	assert_string_equal(u, "\xef\xbf\xbd" "a");
	free(u);
}

static void test_util_paths(void **state)
{
	char *p;

	(void)state;
	p = util_path_join("a/b", "c.yaml");
	assert_string_equal(p, "a/b/c.yaml");
	free(p);
	p = util_path_join("a/", "c");
	assert_string_equal(p, "a/c");
	free(p);
	p = util_dirname("a/b/c");
	assert_string_equal(p, "a/b");
	free(p);
	p = util_dirname("c");
	assert_string_equal(p, ".");
	free(p);
	assert_string_equal(util_basename("a/b/c.yaml"), "c.yaml");
	assert_true(util_has_suffix("x.yaml", ".yaml"));
	assert_false(util_has_suffix("yaml", ".yaml"));
}

static void test_util_write_atomic_and_read_back(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char dir[] = "/tmp/sk-unit-XXXXXX", *path, *data;
	size_t len;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = util_path_join(dir, "out.yaml");
	assert_int_equal(util_write_atomic(path, "a: 1\n", 5, 0644, &dl), 0);
	data = util_read_file(path, 0, &len, &dl);
	assert_non_null(data);
	assert_int_equal(len, 5);
	assert_string_equal(data, "a: 1\n");
	free(data);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* a size limit and a directory are errors, with the path in the message */
	assert_null(util_read_file(path, 2, &len, &dl));
	assert_null(util_read_file(dir, 0, &len, &dl));
	assert_int_equal(dl.n, 2);
	assert_non_null(strstr(dl.v[1].msg, "Is a directory"));
	/* writing into a missing directory fails and leaves nothing behind */
	free(path);
	path = util_path_join(dir, "missing/out.yaml");
	assert_int_equal(util_write_atomic(path, "x", 1, 0644, &dl), -1);
	assert_int_equal(dl.n, 3);
	free(path);
	path = util_path_join(dir, "out.yaml");
	unlink(path);
	free(path);
	assert_int_equal(rmdir(dir), 0);	/* empty: no temp file left */
	diag_list_release(&dl);
}

/* A file read by its name in an open directory; messages name `path`. */
static void test_util_read_file_at(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char dir[] = "/tmp/sk-unit-XXXXXX", *path, *sub, *data;
	size_t len;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = util_path_join(dir, "r.lua");
	sub = util_path_join(dir, "sub.lua");
	assert_int_equal(util_write_atomic(path, "return {}\n", 10, 0644, &dl), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	data = util_read_file_at(dfd, "r.lua", "shown/r.lua", 0, &len, &dl);
	assert_non_null(data);
	assert_int_equal(len, 10);
	assert_string_equal(data, "return {}\n");
	free(data);
	/* not the working directory's "-": a file of that name, absent here */
	assert_null(util_read_file_at(dfd, "-", "shown/-", 0, &len, &dl));
	assert_null(util_read_file_at(dfd, "sub.lua", "shown/sub.lua", 0, &len, &dl));
	assert_int_equal(dl.n, 2);
	assert_string_equal(dl.v[0].msg, "cannot open 'shown/-': No such file or directory");
	assert_string_equal(dl.v[1].msg, "cannot read 'shown/sub.lua': Is a directory");
	close(dfd);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(sub), 0);
	free(path);
	free(sub);
	assert_int_equal(rmdir(dir), 0);
	diag_list_release(&dl);
}

/* Does block b of n bytes hold its own fill byte, everywhere? */
static void assert_filled(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)(n * 7 + 1))
			fail_msg("block of %zu bytes overwritten at byte %zu", n, i);
}

/*
** Every size up to past LPOOL_MAX, filled and checked after all of them
** are live (a class smaller than its blocks would overlap them), freed in
** an interleaved order and allocated again, and resized across classes
** and across the pool's limit with the contents kept.
*/
static void test_lpool_blocks_keep_their_bytes(void **state)
{
	enum { N = LPOOL_MAX + 600 };
	static unsigned char *b[N + 1];
	struct lpool pool;
	unsigned char *r = NULL;
	size_t rn = 0;

	(void)state;
	lpool_init(&pool);
	for (int round = 0; round < 2; round++) {
		for (size_t n = 1; n <= N; n++) {
			if (b[n])
				continue;
			b[n] = lpool_realloc(&pool, NULL, 0, n);
			assert_non_null(b[n]);
			assert_int_equal((uintptr_t)b[n] % 16, 0);
			memset(b[n], (int)(unsigned char)(n * 7 + 1), n);
		}
		for (size_t n = 1; n <= N; n++)
			assert_filled(b[n], n);
		for (size_t n = 1 + (size_t)round; n <= N; n += 3) {	/* a third, freed */
			assert_null(lpool_realloc(&pool, b[n], n, 0));
			b[n] = NULL;
		}
	}
	for (size_t n = 1; n <= N; n++)
		if (b[n]) {
			assert_filled(b[n], n);
			lpool_realloc(&pool, b[n], n, 0);
			b[n] = NULL;
		}
	for (size_t n = 1; n <= N; n += 97) {	/* one block grown through the classes */
		unsigned char *g = lpool_realloc(&pool, r, rn, n);

		assert_non_null(g);
		for (size_t i = 0; i < rn; i++)
			assert_int_equal(g[i], (unsigned char)i);
		for (size_t i = rn; i < n; i++)
			g[i] = (unsigned char)i;
		r = g;
		rn = n;
	}
	r = lpool_realloc(&pool, r, rn, 10);	/* and shrunk back into the pool */
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(r[i], (unsigned char)i);
	lpool_realloc(&pool, r, 10, 0);
	lpool_release(&pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_appends_and_detaches),
		cmocka_unit_test(test_strbuf_reset_keeps_memory),
		cmocka_unit_test(test_diag_addf_returns_minus_one_and_sorts),
		cmocka_unit_test(test_diag_uniq_drops_repeats),
		cmocka_unit_test(test_diag_level_names_round_trip),
		cmocka_unit_test(test_diag_print_format),
		cmocka_unit_test(test_strbuf_add_printable_escapes_controls),
		cmocka_unit_test(test_diag_print_escapes_untrusted_text),
		cmocka_unit_test(test_util_intern_shares_copies),
		cmocka_unit_test(test_util_utf8_cut),
		cmocka_unit_test(test_util_utf16_to_utf8),
		cmocka_unit_test(test_util_paths),
		cmocka_unit_test(test_util_write_atomic_and_read_back),
		cmocka_unit_test(test_util_read_file_at),
		cmocka_unit_test(test_lpool_blocks_keep_their_bytes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}
