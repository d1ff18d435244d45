/*
** test_ydoc.c: unit tests for the YAML loader (lib/ydoc*.c): typing,
** streams, positions, aliases and their limits, merge keys, key
** conversion, errors, and the JSON views.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "inspect.h"
#include "strbuf.h"
#include "util.h"
#include "ydoc.h"
#include "ydoc_int.h"
#include "ysource.h"

#define YSOURCE_WINDOW_FOR_TEST ((size_t)YSOURCE_WINDOW)
#include "../include/inspect_ref.h"

/* ---------------------------------------------------------------- helpers */

struct fixture {
	struct ystream ys;
	struct diag_list dl;
	int rc;
};

static struct fixture fx;

static int fx_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	diag_list_init(&fx.dl);
	return 0;
}

static int fx_teardown(void **state)
{
	(void)state;
	ystream_release(&fx.ys);
	diag_list_release(&fx.dl);
	return 0;
}

static int load_len(const char *text, size_t len)
{
	ystream_release(&fx.ys);
	diag_list_release(&fx.dl);
	fx.rc = ystream_load_buffer(&fx.ys, "t.yaml", text, len, &fx.dl);
	return fx.rc;
}

static int load(const char *text)
{
	return load_len(text, strlen(text));
}

/* Load text that must be fine; returns the first document's root. */
static const struct ynode *root_of(const char *text)
{
	if (load(text) != 0)
		fail_msg("load failed: %s", fx.dl.n ? fx.dl.v[0].msg : "?");
	assert_true(fx.ys.ndocs >= 1);
	return fx.ys.docs[0].root;
}

/* The load must fail at line:col with msg containing want. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *want)
{
	assert_int_equal(load(text), -1);
	assert_true(fx.dl.n >= 1);
	if (!strstr(fx.dl.v[0].msg, want))
		fail_msg("message '%s' lacks '%s'", fx.dl.v[0].msg, want);
	assert_string_equal(fx.dl.v[0].pos.file, "t.yaml");
	assert_int_equal(fx.dl.v[0].pos.line, line);
	assert_int_equal(fx.dl.v[0].pos.col, col);
	assert_int_equal(fx.dl.v[0].level, DIAG_ERROR);
}

static char *repeat(const char *a, size_t n, const char *mid, const char *b, size_t m)
{
	size_t la = strlen(a), lb = strlen(b), lm = strlen(mid);
	char *s = malloc(la * n + lm + lb * m + 1), *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++, p += la)
		memcpy(p, a, la);
	memcpy(p, mid, lm);
	p += lm;
	for (size_t i = 0; i < m; i++, p += lb)
		memcpy(p, b, lb);
	*p = '\0';
	return s;
}

static char *json_text(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

	assert_non_null(s);
	return s;
}

static void assert_json(const struct ynode *n, const char *want)
{
	json_t *j = ynode_to_json(n);
	char *s;

	assert_non_null(j);
	s = json_text(j);
	assert_string_equal(s, want);
	free(s);
	json_decref(j);
}

/* ---------------------------------------------------------------- typing */

struct typing_case {
	const char *text;
	enum ynode_type type;
	int64_t i;		/* ints; bools: 0/1 */
	double f;		/* floats; NAN = expect NaN */
};

static const struct typing_case typing_cases[] = {
	{ "", YN_NULL, 0, 0 }, { "~", YN_NULL, 0, 0 }, { "null", YN_NULL, 0, 0 },
	{ "Null", YN_NULL, 0, 0 }, { "NULL", YN_NULL, 0, 0 },
	{ "yes", YN_BOOL, 1, 0 }, { "Yes", YN_BOOL, 1, 0 }, { "YES", YN_BOOL, 1, 0 },
	{ "y", YN_BOOL, 1, 0 }, { "Y", YN_BOOL, 1, 0 }, { "on", YN_BOOL, 1, 0 },
	{ "On", YN_BOOL, 1, 0 }, { "ON", YN_BOOL, 1, 0 }, { "true", YN_BOOL, 1, 0 },
	{ "True", YN_BOOL, 1, 0 }, { "TRUE", YN_BOOL, 1, 0 },
	{ "no", YN_BOOL, 0, 0 }, { "n", YN_BOOL, 0, 0 }, { "N", YN_BOOL, 0, 0 },
	{ "off", YN_BOOL, 0, 0 }, { "OFF", YN_BOOL, 0, 0 }, { "false", YN_BOOL, 0, 0 },
	{ "False", YN_BOOL, 0, 0 }, { "FALSE", YN_BOOL, 0, 0 },
	{ "8080", YN_INT, 8080, 0 }, { "0755", YN_INT, 493, 0 }, { "0x1F", YN_INT, 31, 0 },
	{ "0X1f", YN_INT, 31, 0 }, { "0b101", YN_INT, 5, 0 }, { "-0b101", YN_INT, -5, 0 },
	{ "0o17", YN_INT, 15, 0 }, { "+12", YN_INT, 12, 0 }, { "-3", YN_INT, -3, 0 },
	{ "0", YN_INT, 0, 0 }, { "-0", YN_INT, 0, 0 }, { "007", YN_INT, 7, 0 },
	{ "1_000", YN_INT, 1000, 0 }, { "0x_1F", YN_INT, 31, 0 }, { "+0x10", YN_INT, 16, 0 },
	{ "9223372036854775807", YN_INT, INT64_MAX, 0 },
	{ "-9223372036854775808", YN_INT, INT64_MIN, 0 },
	{ "1e3", YN_FLOAT, 0, 1000 }, { "08", YN_FLOAT, 0, 8 }, { "09", YN_FLOAT, 0, 9 },
	{ "1.10", YN_FLOAT, 0, 1.1 }, { ".5", YN_FLOAT, 0, 0.5 }, { "-.5", YN_FLOAT, 0, -0.5 },
	{ "+.5", YN_FLOAT, 0, 0.5 }, { "1.", YN_FLOAT, 0, 1 }, { "1.5e3", YN_FLOAT, 0, 1500 },
	{ "2.5E-2", YN_FLOAT, 0, 0.025 }, { "1_000.5", YN_FLOAT, 0, 1000.5 },
	{ ".5_5", YN_FLOAT, 0, 0.55 },
	{ "9223372036854775808", YN_FLOAT, 0, 9223372036854775808.0 },
	{ "99999999999999999999", YN_FLOAT, 0, 1e20 },
	{ ".inf", YN_FLOAT, 0, HUGE_VAL }, { ".Inf", YN_FLOAT, 0, HUGE_VAL },
	{ "+.INF", YN_FLOAT, 0, HUGE_VAL }, { "-.inf", YN_FLOAT, 0, -HUGE_VAL },
	{ ".nan", YN_FLOAT, 0, NAN }, { ".NaN", YN_FLOAT, 0, NAN },
	{ "1e400", YN_STR, 0, 0 }, { "1.2.3", YN_STR, 0, 0 }, { "0x", YN_STR, 0, 0 },
	{ "0b102", YN_STR, 0, 0 }, { "2001-12-14", YN_STR, 0, 0 }, { "1:20", YN_STR, 0, 0 },
	{ "=", YN_STR, 0, 0 }, { "<<", YN_STR, 0, 0 }, { "nullable", YN_STR, 0, 0 },
	{ "TrUe", YN_STR, 0, 0 }, { "-", YN_STR, 0, 0 }, { "+", YN_STR, 0, 0 },
	{ ".", YN_STR, 0, 0 }, { "._5", YN_STR, 0, 0 }, { "yes please", YN_STR, 0, 0 },
	{ "500m", YN_STR, 0, 0 }, { "1Gi", YN_STR, 0, 0 }, { "v1", YN_STR, 0, 0 },
	{ "0x1FFFFFFFFFFFFFFFF", YN_STR, 0, 0 }, { "+inf", YN_STR, 0, 0 },
	{ "Infinity", YN_STR, 0, 0 }, { "1e", YN_STR, 0, 0 },
};

static void test_ydoc_resolve_plain_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < countof(typing_cases); k++) {
		const struct typing_case *c = &typing_cases[k];
		bool b = false;
		int64_t i = -42;
		double f = -42;
		enum ynode_type t = ydoc_resolve_plain(c->text, strlen(c->text), &b, &i, &f);

		if (t != c->type)
			fail_msg("'%s': type %d, want %d", c->text, t, c->type);
		if (t == YN_BOOL && b != (c->i != 0))
			fail_msg("'%s': bool %d", c->text, b);
		if (t == YN_INT && i != c->i)
			fail_msg("'%s': int %lld", c->text, (long long)i);
		if (t == YN_FLOAT && !(isnan(c->f) ? isnan(f) : f == c->f))
			fail_msg("'%s': float %.17g", c->text, f);
	}
}

static void test_ydoc_typing_style_and_tags(void **state)
{
	const struct ynode *r = root_of(
		"plain: 8080\nquoted: \"8080\"\nsingle: 'yes'\nblock: |\n  123\n"
		"str: !!str 12\nint: !!int \"42\"\nfloat: !!float 1\nbool: !!bool \"on\"\n"
		"null: !!null ''\nbinary: !!binary aGVsbG8=\ncustom: !foo 7\nbare: ! 12\n"
		"stamp: !!timestamp 2001-12-14\n");

	(void)state;
	assert_int_equal(ynode_get(r, "plain")->type, YN_INT);
	assert_int_equal(ynode_get(r, "plain")->style, YS_PLAIN);
	assert_string_equal(ynode_str(ynode_get(r, "quoted")), "8080");
	assert_int_equal(ynode_get(r, "quoted")->style, YS_QUOTED);
	assert_string_equal(ynode_str(ynode_get(r, "single")), "yes");
	assert_string_equal(ynode_str(ynode_get(r, "block")), "123\n");
	assert_int_equal(ynode_get(r, "block")->style, YS_BLOCK);
	assert_string_equal(ynode_str(ynode_get(r, "str")), "12");
	assert_int_equal(ynode_get(r, "int")->type, YN_INT);
	assert_int_equal(ynode_get(r, "int")->u.i, 42);
	assert_int_equal(ynode_get(r, "float")->type, YN_FLOAT);
	assert_true(ynode_get(r, "float")->u.f == 1.0);
	assert_int_equal(ynode_get(r, "bool")->type, YN_BOOL);
	assert_true(ynode_get(r, "bool")->u.b);
	assert_int_equal(ynode_get(r, "null")->type, YN_NULL);
	assert_string_equal(ynode_str(ynode_get(r, "binary")), "aGVsbG8=");
	assert_string_equal(ynode_str(ynode_get(r, "custom")), "7");
	assert_string_equal(ynode_str(ynode_get(r, "bare")), "12");
	assert_string_equal(ynode_str(ynode_get(r, "stamp")), "2001-12-14");
	/* the text of a typed scalar is kept as written */
	assert_string_equal(root_of("v: 0x1F\n")->u.map.v[0].val->text, "0x1F");
	expect_error("a: 1\nb: !!int twelve\n", 2, 4, "value 'twelve' is not a valid !!int");
	expect_error("a: !!bool maybe\n", 1, 4, "is not a valid !!bool");
}

/* ---------------------------------------------------------------- streams */

static void test_ydoc_multidoc_counts_empty_documents(void **state)
{
	(void)state;
	assert_int_equal(load("# lead\n---\na: 1\n---\n# only a comment\n---\n---\n- x\n"
			      "--- ~\n--- |\n  text\n...\n"), 0);
	assert_int_equal(fx.ys.ndocs, 4);
	assert_int_equal(fx.ys.nempty, 2);
	assert_int_equal(fx.ys.docs[0].index, 0);
	assert_int_equal(fx.ys.docs[1].index, 3);
	assert_int_equal(fx.ys.docs[1].root->type, YN_SEQ);
	assert_int_equal(fx.ys.docs[2].index, 4);
	assert_int_equal(fx.ys.docs[2].root->type, YN_NULL);
	assert_int_equal(fx.ys.docs[3].index, 5);
	assert_string_equal(fx.ys.docs[3].root->text, "text\n");
	assert_int_equal(fx.ys.docs[0].root->line, 3);
}

/* ---------------------------------------------------------------- pieces */

static size_t cuts_of(const char *text, size_t want, struct ystream_cut *cuts)
{
	return ystream_cuts(text, strlen(text), want, cuts);
}

static void test_ydoc_cuts_only_at_document_starts(void **state)
{
	struct ystream_cut c[16];
	const char *t = "a: 1\n---\nb: |\n  x\n---x\n  ---\n--- # c\nc: 2\n---\td: 3\n---";

	(void)state;
	/* 54 bytes, up to 15 cuts: at most one per 3 bytes, so at every marker */
	assert_int_equal(cuts_of(t, 15, c), 4);
	assert_int_equal(c[0].offset, 5);
	assert_int_equal(c[0].line, 1);
	assert_int_equal(c[1].offset, (size_t)(strstr(t, "--- # c") - t));
	assert_int_equal(c[1].line, 6);
	assert_int_equal(c[2].line, 8);
	assert_int_equal(c[3].offset, strlen(t) - 3);	/* "---" at the very end */
	assert_int_equal(c[3].line, 9);
	/* fewer wanted: spread, each at least a third of the text after the last */
	assert_int_equal(cuts_of(t, 2, c), 2);
	assert_int_equal(c[0].offset, (size_t)(strstr(t, "--- # c") - t));
	assert_int_equal(c[1].offset, (size_t)(strstr(t, "---\td") - t));
	assert_int_equal(cuts_of(t, 0, c), 0);
	assert_int_equal(cuts_of("a: 1\n", 3, c), 0);	/* no marker */
}

static void test_ydoc_cuts_refused(void **state)
{
	struct ystream_cut c[16];
	static const char *const bad[] = {
		"a: 1\r\n---\nb: 2\n---\nc: 3\n",		/* CR: libyaml counts it */
		"a: 1\n---\nb: \xC2\x85\n---\nc: 3\n",	/* NEL */
		"a: 1\n---\nb: \xE2\x80\xA8\n---\nc: 3\n",	/* LS */
		"a: 1\n---\nb: \xE2\x80\xA9\n---\nc: 3\n",	/* PS */
		"a: 1\n%YAML 1.1\n---\nb: 2\n---\nc: 3\n",	/* a directive */
		"\xFF\xFE" "a: 1\n---\nb: 2\n---\nc: 3\n",	/* UTF-16 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(cuts_of(bad[i], 15, c), 0);
	assert_int_equal(ystream_cuts("a: 1\n---\nb\0: 2\n---\nc: 3\n", 25, 15, c), 0);
	/* such texts without the offending bytes are cut */
	assert_int_equal(cuts_of("a: 1\n---\nb: 2\n---\nc: 3\n", 15, c), 2);
	assert_int_equal(cuts_of("a: 1\n---\nb: \xC2\xA9\n---\nc: \xE2\x80\x9C\n", 15, c), 2);
}

/*
** text loaded in pieces at every cut ystream_cuts gives (want) equals text
** loaded whole: documents, empty ones, indices, positions, content.
*/
static void assert_pieces_equal_whole(const char *text, size_t want)
{
	struct ystream_cut c[16];
	struct ystream parts[17];
	struct diag_list dl = DIAG_LIST_INIT;
	size_t len = strlen(text), n = ystream_cuts(text, len, want, c);

	assert_true(n > 0);
	assert_int_equal(load(text), 0);
	for (size_t k = 0; k <= n; k++) {
		size_t start = k ? c[k - 1].offset : 0, end = k < n ? c[k].offset : len;

		assert_int_equal(ystream_load_piece(&parts[k], "t.yaml", text + start,
						    end - start, k ? c[k - 1].line : 0, &dl), 0);
	}
	assert_int_equal(dl.n, 0);
	for (size_t k = 1; k <= n; k++)
		assert_int_equal(ystream_append(&parts[0], &parts[k]), 0);
	assert_int_equal(parts[0].ndocs, fx.ys.ndocs);
	assert_int_equal(parts[0].nempty, fx.ys.nempty);
	assert_string_equal(parts[0].file, fx.ys.file);
	for (size_t i = 0; i < fx.ys.ndocs; i++) {
		json_t *a = ynode_positions(parts[0].docs[i].root);
		json_t *b = ynode_positions(fx.ys.docs[i].root);
		char *sa, *sb;

		assert_int_equal(parts[0].docs[i].index, fx.ys.docs[i].index);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
		a = ynode_to_json(parts[0].docs[i].root);
		b = ynode_to_json(fx.ys.docs[i].root);
		sa = json_dumps(a, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		sb = json_dumps(b, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		assert_string_equal(sa, sb);
		free(sa);
		free(sb);
		json_decref(a);
		json_decref(b);
	}
	for (size_t k = 0; k <= n; k++)
		ystream_release(&parts[k]);
	diag_list_release(&dl);
}

static void test_ydoc_pieces_load_as_the_whole(void **state)
{
	(void)state;
	/* comments before the first marker, empty documents, "...", a plain and a
	** block scalar that the marker ends, anchors per document, a map on the
	** marker's line */
	assert_pieces_equal_whole("# lead\na: 1\n---\n---\n# only a comment\n"
				  "--- |\n  text\n---\nplain\n  more\n---\nk: &x [1, 2]\n"
				  "l: *x\n...\n--- {m: 1}\n---\nn: &x 3\no: *x\n---\n", 15);
	assert_pieces_equal_whole("# lead\na: 1\n---\n---\n# only a comment\n"
				  "--- |\n  text\n---\nplain\n  more\n---\nk: &x [1, 2]\n"
				  "l: *x\n...\n--- {m: 1}\n---\nn: &x 3\no: *x\n---\n", 2);
	assert_pieces_equal_whole("x: \xC3\xA9t\xC3\xA9\n---\ny: [\xE2\x82\xAC, 2]\n---\n"
				  "z: '\xF0\x9F\x98\x80'\n", 3);	/* columns count code points */
}

/* What the serial load reports as an error, some piece reports too. */
static void test_ydoc_pieces_fail_where_the_whole_fails(void **state)
{
	static const char *const texts[] = {
		"a: \"open\n---\nb: 2\n---\nc: 3\n",	/* a quoted scalar over a marker */
		"a: [1,\n---\nb: 2\n---\nc: 3\n",		/* a flow collection */
		"a: 1\n---\nb: *nope\n---\nc: 3\n",		/* an alias to another document */
		"a: &x 1\n---\nb: *x\n---\nc: 3\n",
	};
	struct ystream_cut c[16];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		struct diag_list dl = DIAG_LIST_INIT;
		size_t len = strlen(texts[i]), n = ystream_cuts(texts[i], len, 15, c);
		size_t bad = 0;

		assert_int_equal(load(texts[i]), -1);
		assert_true(n > 0);
		for (size_t k = 0; k <= n; k++) {
			struct ystream p;
			size_t start = k ? c[k - 1].offset : 0, end = k < n ? c[k].offset : len;
			size_t before = dl.n;

			ystream_load_piece(&p, "t.yaml", texts[i] + start, end - start,
					   k ? c[k - 1].line : 0, &dl);
			bad += dl.n > before;
			ystream_release(&p);
		}
		assert_true(bad > 0);
		diag_list_release(&dl);
	}
}

static void test_ydoc_empty_inputs_have_no_documents(void **state)
{
	(void)state;
	assert_int_equal(load(""), 0);
	assert_int_equal(fx.ys.ndocs, 0);
	assert_int_equal(fx.ys.nempty, 0);
	assert_int_equal(fx.dl.n, 0);
	assert_int_equal(load("# just a comment\n\n"), 0);
	assert_int_equal(fx.ys.ndocs, 0);
	assert_int_equal(load("---\n"), 0);
	assert_int_equal(fx.ys.ndocs, 0);
	assert_int_equal(fx.ys.nempty, 1);
	assert_int_equal(load("--- &a\n"), 0);	/* an anchored null is content */
	assert_int_equal(fx.ys.ndocs, 1);
}

static void test_ydoc_json_input(void **state)
{
	(void)state;
	assert_json(root_of("{\"a\":1}"), "{\"a\":1}");
	assert_json(root_of("{\"a\":[1,{\"b\":\"c\"}],\"d\":null,\"e\":true,\"f\":-2.5}"),
		    "{\"a\":[1,{\"b\":\"c\"}],\"d\":null,\"e\":true,\"f\":-2.5}");
	assert_json(root_of("[1,\"x\",{}]"), "[1,\"x\",{}]");
	/* UTF-16 with a byte order mark is decoded by libyaml */
	assert_int_equal(load_len("\xff\xfe" "a\0:\0 \0" "1\0\n\0", 12), 0);
	assert_json(fx.ys.docs[0].root, "{\"a\":1}");
}

/* A new temporary file at `path` ("/tmp/test_ydoc.XXXXXX"), open for writing. */
static FILE *tmp_create(char *path)
{
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	return fp;
}

/* Load file `path` into the fixture, as ystream_load_file does; its result. */
static int load_path(const char *path)
{
	ystream_release(&fx.ys);
	diag_list_release(&fx.dl);
	return ystream_load_file(&fx.ys, path, &fx.dl);
}

/*
** JSON's surrogate pairs (Python's json.dumps writes "\ud83d\ude80" for 🚀):
** a JSON text is loaded with them as the characters, and every position
** after the string is where it was; in YAML, and alone, they stay errors.
*/
static void test_ydoc_json_surrogate_pairs(void **state)
{
	const struct ynode *r, *a;

	(void)state;
	r = root_of("{\"n\": \"\\ud83d\\ude80 a \\\"q\\\" \\\\ \\uD83D\\uDE00\", \"k\": [1, \"x\"]}");
	assert_string_equal(ynode_str(ynode_get(r, "n")), "🚀 a \"q\" \\ 😀");
	a = ynode_get(r, "k");
	assert_int_equal(a->line, 1);
	assert_int_equal(a->col, 52);
	assert_int_equal(ynode_at(a, 1)->col, 56);
	assert_int_equal(r->u.map.v[1].key->col, 47);
	r = root_of("[\n  {\"\\ud83d\\ude80\": \"\\ud83d\\ude80\"},\n  true\n]\n");
	assert_string_equal(ynode_str(ynode_get(ynode_at(r, 0), "🚀")), "🚀");
	assert_int_equal(ynode_at(r, 1)->line, 3);
	assert_int_equal(ynode_at(r, 1)->col, 3);
	/* not JSON, or not a pair: libyaml's error, where it was */
	expect_error("n: \"\\ud83d\\ude80\"\n", 1, 7, "invalid Unicode character escape code");
	expect_error("{\"n\": \"\\ud83d x\"}", 1, 10, "invalid Unicode character escape code");
	expect_error("{\"n\": \"\\ude80\\ud83d\"}", 1, 10, "invalid Unicode character escape code");
}

/* The same from a file read in windows (the text is read again, whole). */
static void test_ydoc_json_surrogate_pairs_file(void **state)
{
	char path[] = "/tmp/test_ydoc.XXXXXX";
	FILE *fp = tmp_create(path);

	(void)state;
	fputs("[\n", fp);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, " {\"i\": %d, \"s\": \"x\\ud83d\\ude80\"},\n", i);
	fputs(" \"\\ud83d\\ude80\"\n]\n", fp);
	fclose(fp);
	assert_int_equal(load_path(path), 0);
	assert_int_equal(fx.dl.n, 0);
	assert_int_equal(fx.ys.ndocs, 1);
	assert_int_equal(fx.ys.docs[0].root->u.seq.n, 20001);
	assert_string_equal(ynode_str(ynode_get(ynode_at(fx.ys.docs[0].root, 19999), "s")), "x🚀");
	assert_int_equal(ynode_get(ynode_at(fx.ys.docs[0].root, 19999), "s")->line, 20001);
	assert_string_equal(ynode_str(ynode_at(fx.ys.docs[0].root, 20000)), "🚀");
	unlink(path);
}

/* ---------------------------------------------------------------- positions */

static void test_ydoc_positions_count_code_points(void **state)
{
	const struct ynode *r = root_of("ключ: значение\nemoji: [😀, x]\n  # c\nnext:\n  - a\n");
	const struct ynode *emoji, *k;

	(void)state;
	assert_int_equal(r->line, 1);
	assert_int_equal(r->col, 1);
	k = ynode_get(r, "ключ");
	assert_int_equal(k->line, 1);
	assert_int_equal(k->col, 7);
	assert_int_equal(r->u.map.v[0].key->col, 1);
	emoji = ynode_get(r, "emoji");
	assert_int_equal(emoji->col, 8);
	assert_int_equal(ynode_at(emoji, 0)->col, 9);
	assert_int_equal(ynode_at(emoji, 1)->col, 12);
	assert_int_equal(ynode_at(ynode_get(r, "next"), 0)->line, 5);
	assert_int_equal(ynode_at(ynode_get(r, "next"), 0)->col, 5);
	assert_int_equal(r->u.map.v[2].key->line, 4);
}

static void test_ydoc_positions_pointers_escape(void **state)
{
	const struct ynode *r = root_of("a/b: 1\nc~d: [x, {e: y}]\n\"\": 2\n");
	json_t *p = ynode_positions(r);
	char *s;

	(void)state;
	assert_non_null(p);
	s = json_text(p);
	assert_string_equal(s, "{\"\":[1,1],\"/a~1b\":[1,6],\"/c~0d\":[2,6],\"/c~0d/0\":[2,7],"
			    "\"/c~0d/1\":[2,10],\"/c~0d/1/e\":[2,14],\"/\":[3,5]}");
	free(s);
	json_decref(p);
}

/* ---------------------------------------------------------------- aliases */

static void test_ydoc_aliases_share_nodes(void **state)
{
	const struct ynode *r = root_of("a: &x {k: v, l: [1, 2]}\nb: *x\nc: &s text\nd: *s\n");
	json_t *j, *a, *b;

	(void)state;
	assert_ptr_equal(ynode_get(r, "a"), ynode_get(r, "b"));
	assert_ptr_equal(ynode_get(r, "c"), ynode_get(r, "d"));
	assert_true(ynode_get(r, "a")->flags & YNF_SHARED);
	assert_int_equal(ynode_get(r, "a")->weight, 1 + 2 + 1 + 1 + 2);
	assert_int_equal(r->weight, 1 + 4 + 2 * ynode_get(r, "a")->weight + 2);
	j = ynode_to_json(r);
	assert_non_null(j);
	a = json_object_get(j, "a");
	b = json_object_get(j, "b");
	assert_ptr_equal(a, b);		/* converted once, shared */
	assert_string_equal(json_string_value(json_object_get(a, "k")), "v");
	json_decref(j);
	/* a redefined anchor: later aliases see the new node */
	r = root_of("a: &x 1\nb: &x 2\nc: *x\n");
	assert_int_equal(ynode_get(r, "c")->u.i, 2);
}

static void test_ydoc_alias_errors(void **state)
{
	(void)state;
	expect_error("a: 1\nb: *nope\n", 2, 4, "undefined alias 'nope'");
	expect_error("a: &a [1, *a]\n", 1, 11, "alias 'a' refers to a node that contains it");
	/* anchors do not cross documents */
	expect_error("a: &x 1\n---\nb: *x\n", 3, 4, "undefined alias 'x'");
	assert_int_equal(fx.ys.ndocs, 1);
}

static void test_ydoc_billion_laughs_is_an_error(void **state)
{
	const char *laughs =
		"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";

	(void)state;
	/* weights: a 10, b 91, c 820, d 7381, e 66430, f 597871; lines a-f
	** spend 672588 of the budget, so the first *f on line 7 exceeds it */
	expect_error(laughs, 7, 8, "alias expansion exceeds 1000000 nodes (billion laughs?)");
	/* one level less is within budget and loads */
	assert_int_equal(load("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
			      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"), 0);
}

/*
** An alias of a long scalar copies its text into every view (a Lua string
** each): the budget counts the text, one node per YDOC_ALIAS_TEXT_UNIT
** bytes, so a few kilobytes of aliases cannot make gigabytes of strings.
*/
static void test_ydoc_alias_budget_counts_text(void **state)
{
	size_t big = 1000 * YDOC_ALIAS_TEXT_UNIT;	/* weighs 1001 */
	char *text = repeat("x", big, "", "", 0);
	char *aliases = repeat("*s, ", 999, "*s", "", 0);
	char *doc = malloc(big + strlen(aliases) + 32);

	(void)state;
	assert_non_null(doc);
	/* 999 aliases spend 999,999; the 1000th, at column 5 + 999 * 4, is over */
	sprintf(doc, "a: &s %s\nb: [%s]\n", text, aliases);
	expect_error(doc, 2, 5 + 999 * 4, "alias expansion exceeds 1000000 nodes");
	sprintf(doc, "a: &s %s\nb: [%s]\n", text, aliases + 4);
	assert_int_equal(load(doc), 0);
	/* short texts still weigh one node each */
	assert_int_equal(load("a: &s lol\nb: [*s, *s, *s]\n"), 0);
	free(text);
	free(aliases);
	free(doc);
}

/* ---------------------------------------------------------------- limits */

static void test_ydoc_depth_limit_flow(void **state)
{
	char *deep = repeat("[", 100000, "", "]", 100000);
	char *ok = repeat("[", YDOC_MAX_DEPTH, "x", "]", YDOC_MAX_DEPTH);

	(void)state;
	expect_error(deep, 1, YDOC_MAX_DEPTH + 1, "nesting deeper than 512 levels");
	assert_int_equal(load(ok), 0);
	free(deep);
	free(ok);
}

static void test_ydoc_depth_limit_block(void **state)
{
	char *deep = repeat("- ", 100000, "x\n", "", 0);
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	expect_error(deep, 1, 2 * YDOC_MAX_DEPTH + 1, "nesting deeper than 512 levels");
	free(deep);
	strbuf_init(&sb);
	for (int i = 0; i < 600; i++)
		strbuf_addf(&sb, "%*sk:\n", i, "");
	expect_error(sb.buf, YDOC_MAX_DEPTH + 1, YDOC_MAX_DEPTH + 1, "nesting deeper");
	strbuf_release(&sb);
}

static void test_ydoc_depth_limit_through_aliases(void **state)
{
	char *inner = repeat("[", 500, "", "]", 500);
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_init(&sb);
	strbuf_addf(&sb, "a: &a %s\nb: [[[[[[[[[[[[*a]]]]]]]]]]]]\n", inner);
	expect_error(sb.buf, 2, 16, "alias 'a' makes nesting deeper than 512 levels");
	strbuf_release(&sb);
	free(inner);
}

static void test_ydoc_token_limit(void **state)
{
	size_t n = YDOC_MAX_TOKEN + (1u << 17);	/* beyond libyaml's read-ahead */
	char *big = malloc(n + 8);

	(void)state;
	assert_non_null(big);
	memcpy(big, "- ok\n- ", 7);
	memset(big + 7, 'x', n);
	big[n + 7] = '\n';
	assert_int_equal(load_len(big, n + 8), -1);
	assert_non_null(strstr(fx.dl.v[0].msg, "scalar or token longer than 16 MiB"));
	assert_int_equal(fx.dl.v[0].pos.line, 2);
	free(big);
}

/* ---------------------------------------------------------------- mappings */

static void test_ydoc_duplicate_keys_name_both_positions(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	expect_error("metadata:\n  name: a\n  labels: {}\n  name: b\n", 4, 3,
		     "duplicate key 'name' (first at line 2, column 3)");
	expect_error("{a: 1, b: 2, a: 3}", 1, 14, "duplicate key 'a' (first at line 1, column 2)");
	/* keys compare after conversion: 1 and "1" are the same key */
	expect_error("1: a\n\"1\": b\n", 2, 1, "duplicate key '1' (first at line 1, column 1)");
	/* a big mapping takes the hashed path */
	strbuf_init(&sb);
	for (int i = 0; i < 500; i++)
		strbuf_addf(&sb, "k%d: %d\n", i, i);
	strbuf_addstr(&sb, "k250: again\n");
	expect_error(sb.buf, 501, 1, "duplicate key 'k250' (first at line 251, column 1)");
	strbuf_release(&sb);
}

static void test_ydoc_merge_keys(void **state)
{
	const struct ynode *r = root_of(
		"base: &base {a: 1, b: 2}\nmore: &more {b: 20, c: 30}\n"
		"one:\n  x: 0\n  <<: *base\n  a: 10\n"
		"list:\n  <<: [*more, *base]\n  d: 4\n"
		"inline: {<<: {p: 1}, q: 2}\n"
		"quoted: {\"<<\": 1}\n");

	(void)state;
	assert_json(ynode_get(r, "one"), "{\"x\":0,\"b\":2,\"a\":10}");
	assert_json(ynode_get(r, "list"), "{\"b\":20,\"c\":30,\"a\":1,\"d\":4}");
	assert_json(ynode_get(r, "inline"), "{\"p\":1,\"q\":2}");
	assert_json(ynode_get(r, "quoted"), "{\"<<\":1}");
	assert_int_equal(ynode_get(ynode_get(r, "one"), "b")->line, 1);
	expect_error("a: {<<: 1}\n", 1, 9, "merge key '<<' needs a mapping");
	expect_error("a: &a [1]\nb: {<<: [*a]}\n", 1, 4, "merge key '<<' needs mappings");
	/* go-yaml v2 (so kubectl) takes a sequence of mappings written in
	** place, but an alias only of a mapping */
	expect_error("a: &a {x: 1}\nl: &l [*a]\nb: {<<: *l}\n", 3, 9,
		     "merge key '<<' needs a mapping or a sequence of mappings written in place; "
		     "'l' is a sequence");
	expect_error("s: &s x\nb:\n  <<: *s\n", 3, 7, "'s' is a scalar");
	assert_int_equal(load("a: &a {x: 1}\nl: &l [*a]\nb: {<<: [*a]}\nc: {<<: *a}\n"), 0);
	expect_error("a: &a {x: 1}\nb: {<<: *a, yy: 1, yy: 2}\n", 2, 20, "duplicate key 'yy'");
	/* two << keys: go-yaml v2 merges each in turn, so the later wins (and
	** its keys sit there); within one list the earlier mapping wins;
	** explicit keys win over both */
	r = root_of("a: &a {x: 1, y: 1, v: 1}\nb: &b {x: 2, z: 2, v: 2}\n"
		    "m:\n  <<: *a\n  w: 0\n  <<: [*b, {x: 3, u: 3}]\n  v: 4\n");
	assert_json(ynode_get(r, "m"), "{\"true\":1,\"w\":0,\"x\":2,\"z\":2,\"u\":3,\"v\":4}");
	assert_int_equal(ynode_get(ynode_get(r, "m"), "x")->line, 2);
	assert_int_equal(ynode_get(ynode_get(r, "m"), "true")->line, 1);
	r = root_of("a: &a {x: 1}\nm: {<<: *a, <<: *a, <<: {x: 5}}\n");
	assert_json(ynode_get(r, "m"), "{\"x\":5}");
	r = root_of("a: &a {x: 1, y: 2}\nm: {<<: {x: 5}, <<: *a}\n");
	assert_json(ynode_get(r, "m"), "{\"x\":1,\"true\":2}");
}

static void test_ydoc_keys_become_strings(void **state)
{
	static const char *const keys[] = {
		"8080", "31", "true", "null", "1.5", "1000", "1e+07", "3.1415927",
		".inf", "-.inf", "0.0001", "1e-05", "493", "v",
	};
	const struct ynode *r = root_of(
		"8080: a\n0x1F: b\ntrue: c\n~: e\n1.5: f\n1e3: g\n1e7: h\n"
		"3.14159265358979: i\n.inf: j\n-.inf: k\n0.0001: l\n0.00001: m\n"
		"&k 0755: n\nv: *k\n");

	(void)state;
	assert_int_equal(r->u.map.n, countof(keys));
	for (size_t i = 0; i < r->u.map.n; i++) {
		assert_int_equal(r->u.map.v[i].key->type, YN_STR);
		assert_string_equal(r->u.map.v[i].key->text, keys[i]);
	}
	/* the anchored key is still an int where an alias uses it */
	assert_int_equal(ynode_get(r, "v")->type, YN_INT);
	assert_int_equal(ynode_get(r, "v")->u.i, 493);
	/* "yes" and "true" are both the key "true" */
	expect_error("true: c\nyes: d\n", 2, 1, "duplicate key 'true' (first at line 1, column 1)");
	expect_error("[a]: 1\n", 1, 1, "a sequence cannot be a mapping key");
	expect_error("? {a: 1}\n: 2\n", 1, 3, "a mapping cannot be a mapping key");
	expect_error("a: &s [1]\n*s : 2\n", 1, 4, "a sequence cannot be a mapping key");
}

static void test_ydoc_format_float32(void **state)
{
	static const struct { double f; const char *want; } cases[] = {
		{ 1.5, "1.5" }, { 1000, "1000" }, { 100000, "100000" }, { 1e6, "1e+06" },
		{ 1234567, "1.234567e+06" }, { 0.0001, "0.0001" }, { 0.00001, "1e-05" },
		{ 1.1, "1.1" }, { 0.1, "0.1" }, { -2.5, "-2.5" }, { 0, "0" },
		{ 3.14159265358979, "3.1415927" }, { 1e20, "1e+20" }, { 1e-40, "1e-40" },
		{ 123.456, "123.456" }, { 1e38, "1e+38" }, { 1e39, ".inf" },
	};
	char buf[YDOC_KEY_BUF];

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		ydoc_format_float32(cases[i].f, buf);
		if (strcmp(buf, cases[i].want))
			fail_msg("%.17g: '%s', want '%s'", cases[i].f, buf, cases[i].want);
	}
}

/* ---------------------------------------------------------------- errors */

static void test_ydoc_errors_have_positions(void **state)
{
	(void)state;
	expect_error("a: 1\nb: [1, 2\nc: 3\n", 3, 2, "did not find expected ',' or ']'");
	expect_error("a: 1\nb: x: y\n", 2, 5, "mapping values are not allowed");
	expect_error("spec:\n\tx: 1\n", 2, 1, "tab character");
	expect_error("a: 1\nb: caf\xc3\n", 2, 8, "invalid UTF-8: invalid trailing UTF-8 octet 0x0A");
	expect_error("a: 1\nbb: \xff\n", 2, 5, "invalid UTF-8: invalid leading UTF-8 octet 0xFF");
	expect_error("a: é\nb: \xc0\xaf\n", 2, 4, "invalid UTF-8: overlong encoding");
	expect_error("\xef\xbb\xbf" "a: é\nb: x\x01\n", 2, 5, "control character U+0001");
	assert_int_equal(load_len("a: 1\nb: x\0y\n", 12), -1);
	assert_non_null(strstr(fx.dl.v[0].msg, "NUL byte in input"));
	assert_int_equal(fx.dl.v[0].pos.line, 2);
	assert_int_equal(fx.dl.v[0].pos.col, 5);
	/* the documents before the error stay */
	expect_error("---\na: 1\n---\nb: 2\n---\nc: [\n", 7, 1, "did not find expected node content");
	assert_int_equal(fx.ys.ndocs, 2);
	assert_int_equal(ynode_get(fx.ys.docs[1].root, "b")->u.i, 2);
	/* after '...' only '---' starts a document (YAML 1.1, libyaml): say so */
	expect_error("a: 1\n...\nb: 2\n", 3, 1, "content after the document end marker '...' "
		     "at line 2 without a '---' to start a new document");
	assert_non_null(fx.dl.v[0].hint);
	assert_non_null(strstr(fx.dl.v[0].hint, "put a '---' line before it"));
	assert_int_equal(fx.ys.ndocs, 1);
	expect_error("a: 1\n...\n# note\n  b: 2\n", 4, 3, "after the document end marker '...' at line 2");
	assert_int_equal(load("a: 1\n...\n---\nb: 2\n...\n"), 0);
	assert_int_equal(fx.ys.ndocs, 2);
	/* a flow collection or scalar root ends its document: say so, and where it ends */
	expect_error("[a]\nb: 1\n", 2, 1, "content after the document's root node, which "
		     "ends at line 1, column 4");
	assert_non_null(strstr(fx.dl.v[0].hint, "put a '---' line before it"));
	expect_error("[a, b] c\n", 1, 8, "content after the document's root node, which "
		     "ends at line 1, column 7");
	expect_error("{a: 1} x\n", 1, 8, "content after the document's root node");
	expect_error("a: 1\n--- \"q\" x\n", 2, 9, "content after the document's root node, "
		     "which ends at line 2, column 8");
	assert_int_equal(fx.ys.ndocs, 2);
	/* a block root ends at a line indented less than its first node: say that */
	expect_error("  a: 1\nb: 2\n", 2, 1, "content at column 1 is less indented than the "
		     "document's first node (line 1, column 3), so it falls after the "
		     "document's root mapping");
	assert_null(strstr(fx.dl.v[0].msg, "which ends at"));
	assert_null(strstr(fx.dl.v[0].hint, "flow collection"));
	assert_non_null(strstr(fx.dl.v[0].hint, "indent this line to column 3"));
	expect_error("kind: ConfigMap\nmetadata:\n  name: x\n---\n  apiVersion: v1\n"
		     "  kind: Secret\nmetadata: {}\n", 7, 1, "content at column 1 is less "
		     "indented than the document's first node (line 5, column 3)");
	assert_int_equal(fx.ys.ndocs, 2);
	expect_error("  a:\n    b: 1\n c: 2\n", 3, 2, "content at column 2 is less indented "
		     "than the document's first node (line 1, column 3)");
	expect_error("   - a\nb\n", 2, 1, "than the document's first node (line 1, column 4), "
		     "so it falls after the document's root sequence");
	/* the first key, not a tag or anchor on the line before it */
	expect_error("--- !!map\n  a: 1\nb: 2\n", 3, 1, "than the document's first node "
		     "(line 2, column 3)");
	expect_error("&x\n  - a\nb\n", 3, 1, "than the document's first node (line 2, column 3)");
	/* directives need a '---' after them */
	expect_error("%YAML 1.1\na: 1\n", 2, 1, "a directive ('%' line) must be followed by "
		     "a '---' line that starts the document");
	assert_non_null(strstr(fx.dl.v[0].hint, "put a '---' line after the directives"));
	expect_error("%TAG !e! tag:e.com,2000:\na: !e!x 1\n", 2, 1, "a directive ('%' line)");
	assert_int_equal(load("%YAML 1.1\n%TAG !e! tag:e.com,2000:\n---\na: !e!x 1\n"), 0);
	/* ... after a document too, where the directive is what lacks it (not the root) */
	expect_error("a: 1\n%YAML 1.2\nb: 2\n", 2, 1, "a directive ('%' line) must be "
		     "followed by a '---' line that starts the document");
	assert_non_null(strstr(fx.dl.v[0].hint, "put a '---' line after the directives"));
	assert_int_equal(fx.ys.ndocs, 1);
	expect_error("[a]\n%YAML 1.2\nb\n", 2, 1, "a directive ('%' line) must be followed");
	expect_error("[a] \n%YAML 1.2\n", 2, 1, "a directive ('%' line) must be followed");
	expect_error("  a: 1\n# c\n\n%TAG !e! tag:e.com,2000:\n%YAML 1.2\nb: !e!x 2\n", 4, 1,
		     "a directive ('%' line) must be followed");
	assert_int_equal(load("a: 1\n%YAML 1.2\n---\nb: 2\n"), 0);
	assert_int_equal(fx.ys.ndocs, 2);
	/* a version libyaml does not read */
	expect_error("%YAML 2.0\n---\na: 1\n", 1, 1, "YAML version 2.0 of the %YAML directive "
		     "is not supported (1.1 and 1.2 are)");
	assert_non_null(strstr(fx.dl.v[0].hint, "delete the directive"));
	expect_error("%YAML 1.3\n---\na: 1\n", 1, 1, "YAML version 1.3 of the %YAML directive");
	expect_error("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, 1, "a second %YAML directive "
		     "for one document");
	expect_error("%TAG !e! tag:a:\n%TAG !e! tag:b:\n---\na: 1\n", 2, 1, "a second %TAG "
		     "directive for one tag handle");
	expect_error("a: !e!x 1\n", 1, 4, "a tag handle that no %TAG directive defines "
		     "(only '!' and '!!' need none)");
}

/*
** Files joined into one stream (`cat *.yaml`) bring their byte order marks
** along: kubectl reads each document alone and skips one at its start;
** the loader skips one that starts a line, and columns do not count it.
*/
static void test_ydoc_bom_starting_a_line(void **state)
{
	char path[] = "/tmp/test_ydoc.XXXXXX";
	const size_t w = YSOURCE_WINDOW_FOR_TEST;
	const struct ynode *r;
	FILE *fp;

	(void)state;
	assert_int_equal(load("a: 1\n---\n\xEF\xBB\xBF" "kind: Pod\nspec: {x: 1}\n"), 0);
	assert_int_equal(fx.ys.ndocs, 2);
	r = fx.ys.docs[1].root;
	assert_json(r, "{\"kind\":\"Pod\",\"spec\":{\"x\":1}}");
	assert_int_equal(r->line, 3);
	assert_int_equal(r->col, 1);
	assert_int_equal(ynode_get(r, "kind")->col, 7);
	/* a BOM elsewhere is text */
	assert_int_equal(load("a: x\xEF\xBB\xBFy\n"), 0);
	assert_string_equal(ynode_str(ynode_get(fx.ys.docs[0].root, "a")), "x\xEF\xBB\xBFy");
	/* reader errors after it keep their place */
	expect_error("a: 1\n---\n\xEF\xBB\xBF" "b: \xff\n", 3, 4, "invalid UTF-8");
	/* ... also when it starts the file's second 64 KiB window */
	fp = tmp_create(path);
	fprintf(fp, "a: \"");
	for (size_t i = 4; i < w - 6; i++)
		fputc('x', fp);
	fprintf(fp, "\"\n---\n\xEF\xBB\xBF" "b: 1\nc: \xff\n");
	fclose(fp);
	assert_int_equal(load_path(path), -1);
	assert_int_equal(fx.ys.ndocs, 1);
	assert_non_null(strstr(fx.dl.v[0].msg, "invalid UTF-8"));
	assert_int_equal(fx.dl.v[0].pos.line, 4);
	assert_int_equal(fx.dl.v[0].pos.col, 4);
	unlink(path);
}

/*
** Lines end as libyaml ends them: a CR alone, CRLF, NEL, LS, PS.  Errors
** that the loader places itself (at the end of the input, reader errors)
** must count them too, not only LF.
*/
static void test_ydoc_error_lines_other_breaks(void **state)
{
	char path[] = "/tmp/test_ydoc.XXXXXX";
	const size_t w = YSOURCE_WINDOW_FOR_TEST;
	FILE *fp;

	(void)state;
	expect_error("kind: Pod\rmetadata:\r  name: a\r  name: b\r", 4, 3,
		     "duplicate key 'name' (first at line 3, column 3)");
	expect_error("a: 1\rb: \xff\r", 2, 4, "invalid UTF-8");
	expect_error("a: 1\r\nb: \xff\r\n", 2, 4, "invalid UTF-8");
	expect_error("a: 1\n\xc2\x85" "b: \xff\n", 3, 4, "invalid UTF-8");
	expect_error("a: 1\xe2\x80\xa8" "b: [\xe2\x80\xa9", 3, 1,
		     "did not find expected node content");
	/* a CRLF cut by the file's 64 KiB window is one line end */
	fp = tmp_create(path);
	fprintf(fp, "a: \"");
	for (size_t i = 4; i < w - 2; i++)
		fputc('x', fp);
	fprintf(fp, "\"\r\nb: 1\r\nc: \xff\r\n");
	fclose(fp);
	assert_int_equal(load_path(path), -1);
	assert_int_equal(fx.dl.v[0].pos.line, 3);
	assert_int_equal(fx.dl.v[0].pos.col, 4);
	unlink(path);
}

/* Reader errors far into a file read in windows still get their line. */
static void test_ydoc_load_file_windows(void **state)
{
	char path[] = "/tmp/test_ydoc.XXXXXX";
	FILE *fp = tmp_create(path);

	(void)state;
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "---\nkey: välue %d\n", i);
	fprintf(fp, "---\nbad: é\xff\n");
	fclose(fp);
	assert_int_equal(load_path(path), -1);
	assert_int_equal(fx.ys.ndocs, 20000);
	assert_int_equal(fx.ys.docs[19999].root->line, 40000);
	assert_string_equal(ynode_str(ynode_get(fx.ys.docs[5].root, "key")), "välue 5");
	assert_int_equal(fx.dl.v[0].pos.line, 40002);
	assert_int_equal(fx.dl.v[0].pos.col, 7);
	assert_string_equal(fx.dl.v[0].pos.file, path);
	unlink(path);
	ystream_release(&fx.ys);
	diag_list_release(&fx.dl);
	assert_int_equal(ystream_load_file(&fx.ys, "/nonexistent/x.yaml", &fx.dl), -1);
	assert_int_equal(fx.ys.ndocs, 0);
	assert_string_equal(fx.dl.v[0].code, "io");
	assert_non_null(strstr(fx.dl.v[0].msg, "cannot open '/nonexistent/x.yaml'"));
}

/* A file: a comment line, `mark` starting at byte `at`, then a document. */
static bool watch_seen(const char *mark, size_t at, const char *watch)
{
	char path[] = "/tmp/test_ydoc.XXXXXX";
	int fd = mkstemp(path);
	bool seen = false;
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputc('#', fp);
	for (size_t i = 1; i < at; i++)
		fputc('x', fp);
	fprintf(fp, "%s ignore all\na: 1\n", mark);
	fclose(fp);
	ystream_release(&fx.ys);
	diag_list_release(&fx.dl);
	assert_int_equal(ystream_load_file_watch(&fx.ys, path, watch, &seen, &fx.dl), 0);
	assert_int_equal(fx.ys.ndocs, 1);
	unlink(path);
	return seen;
}

/* The watched string is found in any window and across two. */
static void test_ydoc_load_file_watch(void **state)
{
	const size_t w = YSOURCE_WINDOW_FOR_TEST;

	(void)state;
	assert_true(watch_seen("sparklint:", 10, "sparklint:"));
	assert_false(watch_seen("sparklint;", 10, "sparklint:"));
	for (size_t k = 0; k <= 10; k++) {	/* starting before, at, after a window's end */
		assert_true(watch_seen("sparklint:", w - k, "sparklint:"));
		assert_false(watch_seen("sparklint;", w - k, "sparklint:"));
	}
	assert_true(watch_seen("sparklint:", 3 * w + 17, "sparklint:"));
	assert_false(watch_seen("sparklint;", 3 * w + 17, "sparklint:"));
	assert_true(watch_seen("s", 2 * w, "s"));	/* one byte: no carry */
}

/* ---------------------------------------------------------------- views */

static void test_ydoc_to_json_values(void **state)
{
	(void)state;
	assert_json(root_of("a: [1, -2.5, true, ~, \"s\", .nan, .inf]\nb: {}\nc: []\n"),
		    "{\"a\":[1,-2.5,true,null,\"s\",null,null],\"b\":{},\"c\":[]}");
	assert_json(root_of("q: \"a\\0b\"\n"), "{\"q\":\"a\\u0000b\"}");
}

static void test_ydoc_lookups(void **state)
{
	const struct ynode *r = root_of("spec:\n  template:\n    spec: {x: [a, b]}\nnum: 1\n");

	(void)state;
	assert_string_equal(ynode_str(ynode_at(ynode_path(r, "spec.template.spec.x"), 1)), "b");
	assert_null(ynode_path(r, "spec.nope.x"));
	assert_ptr_equal(ynode_path(r, ""), r);
	assert_null(ynode_get(ynode_get(r, "num"), "x"));
	assert_null(ynode_at(r, 0));
	assert_null(ynode_at(ynode_path(r, "spec.template.spec.x"), 2));
	assert_non_null(ynode_getn(r, "number", 3));
	assert_null(ynode_str(ynode_get(r, "num")));
	assert_true(ynode_is_scalar(ynode_get(r, "num")));
	assert_false(ynode_is_scalar(r));
	assert_false(ynode_is_scalar(NULL));
}

/* Scalars bigger than an arena chunk and many small ones stay intact. */
static void test_ydoc_arena_large_and_small(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const struct ynode *r;

	(void)state;
	strbuf_init(&sb);
	for (int i = 0; i < 3000; i++) {
		strbuf_addf(&sb, "- s%d\n", i);
		if (i % 1000 == 500) {
			strbuf_addstr(&sb, "- ");
			for (int k = 0; k < 300000; k++)
				strbuf_addch(&sb, (char)('a' + k % 26));
			strbuf_addch(&sb, '\n');
		}
	}
	r = root_of(sb.buf);
	assert_int_equal(r->u.seq.n, 3003);
	assert_string_equal(ynode_at(r, 0)->text, "s0");
	assert_int_equal(ynode_at(r, 501)->len, 300000);
	assert_int_equal(ynode_at(r, 501)->text[299999], 'a' + 299999 % 26);
	assert_string_equal(ynode_at(r, 3002)->text, "s2999");
	strbuf_release(&sb);
}

/* Texts live in the node (short), in a static dictionary, or in the arena. */
static void test_ydoc_compact_texts(void **state)
{
	const struct ynode *r, *n;

	(void)state;
	assert_true(sizeof(void *) != 8 || sizeof(struct ynode) == 32);
	r = root_of("short: abc\n"
		    "seven: abcdefg\n"
		    "eight: abcdefgh\n"
		    "nul: \"ab\\0cd\"\n"
		    "long0: \"abcdefghij\\0k\"\n"
		    "long: abcdefghij\n"
		    "again: abcdefgh\n"
		    "num: 0x1F\n"
		    "8080: x\n"
		    "list: [a, bb]\n"
		    "empty: ''\n");
	assert_string_equal(ynode_get(r, "short")->text, "abc");
	assert_int_equal(ynode_get(r, "short")->len, 3);
	assert_string_equal(ynode_get(r, "seven")->text, "abcdefg");
	assert_int_equal(ynode_get(r, "seven")->len, 7);
	assert_string_equal(ynode_get(r, "eight")->text, "abcdefgh");
	assert_string_equal(ynode_get(r, "again")->text, "abcdefgh");
	n = ynode_get(r, "nul");
	assert_int_equal(n->len, 5);
	assert_memory_equal(n->text, "ab\0cd", 6);
	n = ynode_get(r, "long0");
	assert_int_equal(n->len, 12);
	assert_memory_equal(n->text, "abcdefghij\0k", 13);
	n = ynode_get(r, "long");
	assert_int_equal(n->len, 10);
	assert_string_equal(n->text, "abcdefghij");
	n = ynode_get(r, "num");
	assert_int_equal(n->type, YN_INT);
	assert_int_equal(n->u.i, 31);
	assert_string_equal(n->text, "0x1F");
	assert_int_equal(n->len, 4);
	assert_string_equal(ynode_get(r, "8080")->text, "x");
	assert_string_equal(r->u.map.v[8].key->text, "8080");
	assert_int_equal(r->u.map.v[8].key->len, 4);
	n = ynode_get(r, "list");
	assert_null(n->text);
	assert_int_equal(n->u.seq.n, 2);
	assert_string_equal(ynode_at(n, 1)->text, "bb");
	n = ynode_get(r, "empty");
	assert_int_equal(n->type, YN_STR);
	assert_int_equal(n->len, 0);
	assert_string_equal(n->text, "");
}

/* Words every manifest repeats are one static copy, in every stream. */
static void test_ydoc_common_texts_shared_across_streams(void **state)
{
	const char *y = "apiVersion: apps/v1\nmetadata:\n  labels:\n"
			"    app.kubernetes.io/name: IfNotPresent\n";
	struct diag_list dl = DIAG_LIST_INIT;
	struct ystream a, b;
	const struct ynode *ra, *rb;

	(void)state;
	assert_int_equal(ystream_load_buffer(&a, "a.yaml", y, strlen(y), &dl), 0);
	assert_int_equal(ystream_load_buffer(&b, "b.yaml", y, strlen(y), &dl), 0);
	ra = a.docs[0].root;
	rb = b.docs[0].root;
	assert_ptr_equal(ra->u.map.v[0].key->text, rb->u.map.v[0].key->text);
	assert_string_equal(ra->u.map.v[0].key->text, "apiVersion");
	ra = ynode_path(ra, "metadata.labels");
	rb = ynode_path(rb, "metadata.labels");
	assert_ptr_equal(ra->u.map.v[0].key->text, rb->u.map.v[0].key->text);
	assert_ptr_equal(ra->u.map.v[0].val->text, rb->u.map.v[0].val->text);
	assert_string_equal(ra->u.map.v[0].val->text, "IfNotPresent");
	ystream_release(&a);
	ystream_release(&b);
	diag_list_release(&dl);
}

#define NSMALL 300

struct small_set {
	struct ystream ys[NSMALL];
};

static void *load_small_set(void *arg)
{
	struct small_set *set = arg;
	struct diag_list dl = DIAG_LIST_INIT;
	char buf[128];

	for (int i = 0; i < NSMALL; i++) {
		int n = snprintf(buf, sizeof(buf), "name: item-%d-long-enough\nnum: %d\n", i, i);

		if (ystream_load_buffer(&set->ys[i], "s.yaml", buf, (size_t)n, &dl) != 0)
			return NULL;
	}
	diag_list_release(&dl);
	return set;
}

static void check_small(const struct ystream *ys, int i)
{
	char want[64];

	snprintf(want, sizeof(want), "item-%d-long-enough", i);
	assert_int_equal(ys->ndocs, 1);
	assert_string_equal(ynode_str(ynode_get(ys->docs[0].root, "name")), want);
	assert_int_equal(ynode_get(ys->docs[0].root, "num")->u.i, i);
}

/*
** Small streams share chunks (a sealed arena lends its unused end to the
** next one, from any thread); releasing some must leave the others whole.
** Under `make check`, ASan sees any chunk freed too early.
*/
static void test_ydoc_arenas_lend_their_ends(void **state)
{
	static struct small_set sets[2];
	pthread_t tid;

	(void)state;
	assert_int_equal(pthread_create(&tid, NULL, load_small_set, &sets[1]), 0);
	assert_ptr_equal(load_small_set(&sets[0]), &sets[0]);
	assert_int_equal(pthread_join(tid, NULL), 0);
	for (int i = 0; i < NSMALL; i += 2)
		for (int s = 0; s < 2; s++)
			ystream_release(&sets[s].ys[i]);
	for (int i = 1; i < NSMALL; i += 2)
		for (int s = 0; s < 2; s++)
			check_small(&sets[s].ys[i], i);
	for (int i = 1; i < NSMALL; i += 2)	/* reload all in chunks the odd ones still use */
		ystream_release(&sets[0].ys[i]);
	assert_ptr_equal(load_small_set(&sets[0]), &sets[0]);
	for (int i = 0; i < NSMALL; i++)
		for (int s = 0; s < 2; s++)
			if (s == 0 || i % 2)
				check_small(&sets[s].ys[i], i);
	for (int i = 0; i < NSMALL; i++) {
		ystream_release(&sets[0].ys[i]);
		ystream_release(&sets[1].ys[i]);
	}
}

static void test_ydoc_inspect_lines(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	assert_int_equal(load("---\n# empty\n---\nb: [1]\n"), 0);
	strbuf_init(&out);
	assert_int_equal(inspect_stream(&out, &fx.ys, false, &fx.dl), 0);
	assert_string_equal(out.buf, "{\"file\":\"t.yaml\",\"index\":1,\"line\":4,\"object\":{\"b\":[1]}}\n");
	strbuf_reset(&out);
	assert_int_equal(inspect_stream(&out, &fx.ys, true, &fx.dl), 0);
	assert_string_equal(out.buf, "{\"file\":\"t.yaml\",\"index\":1,\"line\":4,\"object\":{\"b\":[1]},"
			    "\"positions\":{\"\":[4,1],\"/b\":[4,4],\"/b/0\":[4,5]}}\n");
	strbuf_release(&out);
}

/* --inspect writes its lines itself: they must be jansson's, byte for byte. */
static void test_ydoc_inspect_matches_jansson(void **state)
{
	struct strbuf out = STRBUF_INIT, ref = STRBUF_INIT;

	(void)state;
	assert_int_equal(load(
		"s: \"\\x01\\x1f\\b\\f\\n\\r\\t\\\"\\\\/ \\x7f \\u00e9 \\u2028 \\U0001F600\"\n"
		"\"a/b~c\\u0000d\": {\"\": [1, -1, 0]}\n"
		"ints: [9223372036854775807, -9223372036854775808, 0o17, 0x1F]\n"
		"reals: [1.5, 1e300, -0.0, 0.1, 123456789.123456789, 5e-324, .nan, -.inf, .inf]\n"
		"other: [true, false, null, ~, '', \"\"]\n"
		"base: &b {x: [a, {y: z}]}\n"
		"use: *b\n"
		"---\n"
		"- plain\n"
		"- [[], {}]\n"
		"---\n"
		"just a scalar\n"), 0);
	strbuf_init(&out);
	strbuf_init(&ref);
	for (int positions = 0; positions < 2; positions++) {
		strbuf_reset(&out);
		strbuf_reset(&ref);
		assert_int_equal(inspect_stream(&out, &fx.ys, positions, &fx.dl), 0);
		assert_int_equal(inspect_ref(&ref, &fx.ys, positions), 0);
		assert_true(out.len > 300);
		assert_string_equal(out.buf, ref.buf);
	}
	strbuf_release(&out);
	strbuf_release(&ref);
}

/*
** --positions repeats each node's pointer: a 20,000-byte key above 4,000
** nodes is 80 MB of pointers from 28 KB of YAML, past the 64 bytes a node
** plus 64 MB it may take; the documents before it are still printed.
*/
static void test_ydoc_inspect_positions_budget(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char *key = repeat("k", 20000, "", "", 0);
	char *items = repeat("x, ", 4000, "x", "", 0);
	char *doc = malloc(strlen(key) + strlen(items) + 64);
	const char *first = "{\"file\":\"t.yaml\",\"index\":0,\"line\":1,\"object\":{\"a\":1},"
			    "\"positions\":{\"\":[1,1],\"/a\":[1,4]}}\n";

	(void)state;
	assert_non_null(doc);
	sprintf(doc, "a: 1\n---\n? %s\n: [%s]\n", key, items);
	assert_int_equal(load(doc), 0);
	strbuf_init(&out);
	assert_int_equal(inspect_stream(&out, &fx.ys, true, &fx.dl), -1);
	assert_string_equal(out.buf, first);
	assert_int_equal(fx.dl.n, 1);
	assert_int_equal(fx.dl.v[0].pos.line, 3);
	assert_int_equal(fx.dl.v[0].pos.col, 1);
	assert_string_equal(fx.dl.v[0].code, "yaml");
	assert_non_null(strstr(fx.dl.v[0].msg, "positions too big to print: the JSON Pointers "
			       "of this document take 80 MB, more than 64 bytes a node plus 64 MB"));
	/* the document itself is fine */
	strbuf_reset(&out);
	assert_int_equal(inspect_stream(&out, &fx.ys, false, &fx.dl), 0);
	assert_true(out.len > 20000 + 3 * 4000);
	/* 3,000 nodes under it, 60 MB of pointers, are printed */
	sprintf(doc, "a: 1\n---\n? %s\n: [%s]\n", key, items + 3 * 1000);
	assert_int_equal(load(doc), 0);
	strbuf_reset(&out);
	assert_int_equal(inspect_stream(&out, &fx.ys, true, &fx.dl), 0);
	assert_true(out.len > 60000000);
	strbuf_release(&out);
	free(key);
	free(items);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ydoc_resolve_plain_table),
		cmocka_unit_test_setup_teardown(test_ydoc_cuts_only_at_document_starts,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ydoc_cuts_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ydoc_pieces_load_as_the_whole,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ydoc_pieces_fail_where_the_whole_fails,
						fx_setup, fx_teardown),
		cmocka_unit_test(test_ydoc_inspect_matches_jansson),
		cmocka_unit_test(test_ydoc_typing_style_and_tags),
		cmocka_unit_test(test_ydoc_multidoc_counts_empty_documents),
		cmocka_unit_test(test_ydoc_empty_inputs_have_no_documents),
		cmocka_unit_test(test_ydoc_json_input),
		cmocka_unit_test(test_ydoc_json_surrogate_pairs),
		cmocka_unit_test(test_ydoc_json_surrogate_pairs_file),
		cmocka_unit_test(test_ydoc_positions_count_code_points),
		cmocka_unit_test(test_ydoc_positions_pointers_escape),
		cmocka_unit_test(test_ydoc_aliases_share_nodes),
		cmocka_unit_test(test_ydoc_alias_errors),
		cmocka_unit_test(test_ydoc_billion_laughs_is_an_error),
		cmocka_unit_test(test_ydoc_alias_budget_counts_text),
		cmocka_unit_test(test_ydoc_depth_limit_flow),
		cmocka_unit_test(test_ydoc_depth_limit_block),
		cmocka_unit_test(test_ydoc_depth_limit_through_aliases),
		cmocka_unit_test(test_ydoc_token_limit),
		cmocka_unit_test(test_ydoc_duplicate_keys_name_both_positions),
		cmocka_unit_test(test_ydoc_merge_keys),
		cmocka_unit_test(test_ydoc_keys_become_strings),
		cmocka_unit_test(test_ydoc_format_float32),
		cmocka_unit_test(test_ydoc_errors_have_positions),
		cmocka_unit_test(test_ydoc_load_file_windows),
		cmocka_unit_test(test_ydoc_error_lines_other_breaks),
		cmocka_unit_test(test_ydoc_bom_starting_a_line),
		cmocka_unit_test(test_ydoc_load_file_watch),
		cmocka_unit_test(test_ydoc_to_json_values),
		cmocka_unit_test(test_ydoc_lookups),
		cmocka_unit_test(test_ydoc_arena_large_and_small),
		cmocka_unit_test(test_ydoc_compact_texts),
		cmocka_unit_test(test_ydoc_common_texts_shared_across_streams),
		cmocka_unit_test(test_ydoc_arenas_lend_their_ends),
		cmocka_unit_test(test_ydoc_inspect_lines),
		cmocka_unit_test(test_ydoc_inspect_positions_budget),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, fx_setup, fx_teardown);
	util_intern_release();
	return rc;
}
