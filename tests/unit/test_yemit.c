/*
** test_yemit.c: unit tests for lib/yemit.c, the json_t -> YAML emitter:
** quoting decisions, numbers, layout, literal blocks, errors, and the round
** trip through our own loader (emit -> ystream_load_buffer -> json).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "strbuf.h"
#include "ydoc.h"
#include "yemit.h"

/* Must not be plain: some reader (ours, go-yaml v2, PyYAML) retypes them. */
static const char *const must_quote[] = {
	"yes", "0755", "1.10", "null", "", " a", "a: b", "a #b", "8080",
	"true", "~", "1e3", "y", "Y", "n", "NO", "On", "off", "TRUE", "False",
	"Null", "NULL", "0", "-1", "+1", "007", "08", "0o17", "0x1F", "0b101",
	"1_000", "1:20", "190:20:30", "1.0", "1.", ".5", "-.5", "1E3", "1e+3",
	"1_000.5", "._", ".inf", "-.Inf", ".NaN", "1:20.5", "2001-12-14",
	"2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-1-1",
	"=", "<<", "99999999999999999999999", "a ", "\ta", "a\tb", "- a", "-",
	"?", "? a", ":", ": a", "a:", "#a", "---", "---x", "...", "[a]", "{a}",
	",a", "!tag", "&a", "*a", "*.example.com", "|", ">", "'q'", "\"q\"",
	"%x", "@x", "`x", "a\nb", "\n", "a\rb", "\xc2\x85", "a\xe2\x80\xa8" "b",
	"\xef\xbb\xbf" "a", "\x01", "\x7f", "\xf0\x9f\x98\x80",
};

/* Plain is safe and more readable. */
static const char *const may_be_plain[] = {
	"hello", "spark-submit", "k8s://https://kubernetes.default.svc:443",
	"local:///opt/app.jar", "Standard_LRS", "-Xmx2g", "--class", "?a", ":a",
	"::1", "a:b", "a#b", "a,b", "a[b]", "a=b", "yEs", "none", "inf", "nan",
	"NaN", "-.nan", ".", "..", "1.2.3", "3.5.0", "10.0.0.1", "v1", "500m",
	"1Gi", "1.5Gi", "0xg", "1:60", "0:20", "2001-12-14x", "2001-12-14-backup",
	"a b", "${VAR}", "$(POD_IP)", "http://x:8080/p?q=1#frag", "app.kubernetes.io/name",
	"IfNotPresent", "/opt/spark", "\xc3\xbcn\xc3\xaf", "\xe6\x97\xa5\xe6\x9c\xac",
	"a\xc2\xa0" "b", "x---", "<", "==", "\\",
};

/* Emit `n` documents; returns the YAML (caller frees) or NULL with *dl set. */
static char *emit(json_t *const *docs, size_t n, struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	if (yemit_docs(&sb, docs, n, dl) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Emit one document given as JSON text and compare with `want`. */
static void assert_emits(const char *json, const char *want)
{
	struct diag_list dl = DIAG_LIST_INIT;
	json_error_t err;
	json_t *doc = json_loads(json, JSON_DECODE_ANY, &err);
	char *got;

	assert_non_null(doc);
	got = emit(&doc, 1, &dl);
	assert_non_null(got);
	assert_int_equal(dl.n, 0);
	assert_string_equal(got, want);
	free(got);
	json_decref(doc);
}

/* Emit `doc`, expect failure, return the one diagnostic's message (copied). */
static void assert_emit_fails(json_t *doc, const char *msg_part,
			      const char *path)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "kept\n");
	assert_int_equal(yemit_doc(&sb, doc, &dl), -1);
	assert_string_equal(sb.buf, "kept\n");	/* nothing half-written */
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.v[0].code, "emit");
	assert_int_equal(dl.v[0].level, DIAG_ERROR);
	assert_non_null(strstr(dl.v[0].msg, msg_part));
	if (path)
		assert_non_null(strstr(dl.v[0].msg, path));
	strbuf_release(&sb);
	diag_list_release(&dl);
}

/* emit -> our loader -> json_t must give back `docs` exactly. */
static void assert_round_trip(json_t *const *docs, size_t n)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct ystream ys;
	char *yaml = emit(docs, n, &dl);
	json_t *back;
	size_t i;

	assert_non_null(yaml);
	memset(&ys, 0, sizeof(ys));
	assert_int_equal(ystream_load_buffer(&ys, "<emitted>", yaml,
					     strlen(yaml), &dl), 0);
	assert_int_equal(ys.ndocs, n);
	for (i = 0; i < n; i++) {
		back = ynode_to_json(ys.docs[i].root);
		assert_non_null(back);
		if (!json_equal(back, docs[i])) {
			char *a = json_dumps(docs[i], JSON_ENCODE_ANY);
			char *b = json_dumps(back, JSON_ENCODE_ANY);

			print_error("document %zu\nwant %s\ngot  %s\nyaml:\n%s\n",
				    i, a, b, yaml);
			free(a);
			free(b);
			fail();
		}
		json_decref(back);
	}
	ystream_release(&ys);
	diag_list_release(&dl);
	free(yaml);
}

static void test_yemit_quotes_ambiguous_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(must_quote) / sizeof(must_quote[0]); i++) {
		if (!yemit_needs_quotes(must_quote[i], strlen(must_quote[i])))
			fail_msg("'%s' should need quotes", must_quote[i]);
	}
}

static void test_yemit_leaves_safe_strings_plain(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(may_be_plain) / sizeof(may_be_plain[0]); i++) {
		if (yemit_needs_quotes(may_be_plain[i], strlen(may_be_plain[i])))
			fail_msg("'%s' should stay plain", may_be_plain[i]);
	}
}

static void test_yemit_needs_quotes_sees_nul_and_bad_utf8(void **state)
{
	(void)state;
	assert_true(yemit_needs_quotes("a\0b", 3));
	assert_true(yemit_needs_quotes("\xff", 1));
	assert_true(yemit_needs_quotes("\xc0\xaf", 2));		/* overlong '/' */
	assert_true(yemit_needs_quotes("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(yemit_needs_quotes("abc", 2));		/* length counts */
	assert_true(yemit_needs_quotes("yes!", 3));
}

static void test_yemit_quoted_strings_use_double_quotes(void **state)
{
	(void)state;
	assert_emits("{\"a\": \"yes\", \"on\": \"0755\", \"e\": \"\", \"k\": \"it's\"}",
		     "a: \"yes\"\n\"on\": \"0755\"\ne: \"\"\nk: it's\n");
	assert_emits("{\"s\": \"'x'\", \"t\": \"a\\\\b\\\"c\"}",
		     "s: \"'x'\"\nt: a\\b\"c\n");
	assert_emits("{\"t\": \"a\\tb\", \"c\": \"\\u0001\"}",
		     "t: \"a\\tb\"\nc: \"\\x01\"\n");
}

static void test_yemit_numbers(void **state)
{
	(void)state;
	assert_emits("[0, -1, 8080, 9223372036854775807, -9223372036854775808]",
		     "- 0\n- -1\n- 8080\n- 9223372036854775807\n"
		     "- -9223372036854775808\n");
	assert_emits("[0.1, 2.5, 3.0, -0.0, 1e20, 1e-5, 100.0]",
		     "- 0.1\n- 2.5\n- 3.0\n- -0.0\n- 1.0e+20\n- 1.0e-05\n- 100.0\n");
	assert_emits("[0.3333333333333333, 0.30000000000000004, 1.7976931348623157e308, 5e-324]",
		     "- 0.3333333333333333\n- 0.30000000000000004\n"
		     "- 1.7976931348623157e+308\n- 4.94065645841247e-324\n");
	assert_emits("[true, false, null]", "- true\n- false\n- null\n");
}

static void test_yemit_nested_structures(void **state)
{
	(void)state;
	assert_emits("{\"kind\": \"Job\", \"spec\": {\"template\": {\"spec\": "
		     "{\"containers\": [{\"name\": \"d\", \"args\": [\"--x\", \"1\"]}]}}},"
		     " \"m\": [[1, 2], {\"a\": [{\"b\": \"c\"}]}]}",
		     "kind: Job\n"
		     "spec:\n"
		     "  template:\n"
		     "    spec:\n"
		     "      containers:\n"
		     "      - name: d\n"
		     "        args:\n"
		     "        - --x\n"
		     "        - \"1\"\n"
		     "m:\n"
		     "- - 1\n"
		     "  - 2\n"
		     "- a:\n"
		     "  - b: c\n");
}

static void test_yemit_keeps_key_order(void **state)
{
	json_t *obj = json_object();
	struct diag_list dl = DIAG_LIST_INIT;
	char *got;

	(void)state;
	json_object_set_new(obj, "zeta", json_integer(1));
	json_object_set_new(obj, "alpha", json_integer(2));
	json_object_set_new(obj, "mid", json_integer(3));
	got = emit(&obj, 1, &dl);
	assert_string_equal(got, "zeta: 1\nalpha: 2\nmid: 3\n");
	free(got);
	json_decref(obj);
}

static void test_yemit_empty_collections(void **state)
{
	(void)state;
	assert_emits("{}", "{}\n");
	assert_emits("[]", "[]\n");
	assert_emits("{\"a\": {}, \"b\": [], \"c\": [{}, []]}",
		     "a: {}\nb: []\nc:\n- {}\n- []\n");
}

static void test_yemit_multi_doc_separators(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	json_t *docs[4];
	char *got;

	(void)state;
	docs[0] = json_pack("{s:i}", "a", 1);
	docs[1] = json_pack("[s]", "x");
	docs[2] = json_string("scalar");
	docs[3] = json_object();
	got = emit(docs, 4, &dl);
	assert_string_equal(got, "a: 1\n---\n- x\n--- scalar\n--- {}\n");
	free(got);
	got = emit(docs, 0, &dl);
	assert_string_equal(got, "");
	free(got);
	got = emit(docs + 2, 1, &dl);		/* the first document has no --- */
	assert_string_equal(got, "scalar\n");
	free(got);
	assert_int_equal(dl.n, 0);
	for (int i = 0; i < 4; i++)
		json_decref(docs[i]);
}

static void test_yemit_literal_blocks(void **state)
{
	(void)state;
	assert_emits("{\"a\": \"x\\ny\\n\"}", "a: |\n  x\n  y\n");
	assert_emits("{\"a\": \"x\\ny\"}", "a: |-\n  x\n  y\n");
	/* libyaml ends a stream whose last scalar keeps its newlines with "..." */
	assert_emits("{\"a\": \"x\\n\\n\"}", "a: |+\n  x\n\n...\n");
	assert_emits("[\"  x\\ny\"]", "- |2-\n    x\n  y\n");
	/* libyaml cannot keep these in a block: double quotes */
	assert_emits("{\"a\": \"trail \\nx\"}", "a: \"trail \\nx\"\n");
	assert_emits("{\"a\": \"tab\\tin\\nblock\"}", "a: \"tab\\tin\\nblock\"\n");
	/* a multi-line key is never a block */
	assert_emits("{\"a\\nb\": 1}", "? \"a\\nb\"\n: 1\n");
}

static void test_yemit_unicode_kept(void **state)
{
	(void)state;
	assert_emits("{\"\xd0\xba\": \"\xc3\xbcn\xc3\xaf \xe2\x9c\x93\"}",
		     "\xd0\xba: \xc3\xbcn\xc3\xaf \xe2\x9c\x93\n");
	/* libyaml 0.2.5 escapes everything past the BMP */
	assert_emits("[\"\xf0\x9f\x98\x80\"]", "- \"\\U0001F600\"\n");
	assert_emits("[\"a\\u2028b\"]", "- \"a\\Lb\"\n");
}

static void test_yemit_invalid_utf8_is_an_error(void **state)
{
	json_t *doc = json_pack("{s:[s,o]}", "spec", "ok",
				json_stringn_nocheck("\xff\xfe", 2));

	(void)state;
	assert_emit_fails(doc, "not valid UTF-8", "'/spec/1'");
	json_decref(doc);
}

static void test_yemit_nul_is_an_error(void **state)
{
	json_t *doc = json_object(), *key = json_object();

	(void)state;
	json_object_set_new(doc, "v", json_stringn("a\0b", 3));
	assert_emit_fails(doc, "NUL", "'/v'");
	json_object_setn_new(key, "k\0x", 3, json_true());
	assert_emit_fails(key, "NUL", NULL);
	json_decref(doc);
	json_decref(key);
}

static void test_yemit_too_deep_is_an_error(void **state)
{
	json_t *doc = json_string("leaf"), *arr;

	(void)state;
	for (int i = 0; i < YDOC_MAX_DEPTH + 1; i++) {
		arr = json_array();
		json_array_append_new(arr, doc);
		doc = arr;
	}
	assert_emit_fails(doc, "nesting deeper than 512 levels", "/0/0/0");
	json_decref(doc);
}

static void test_yemit_is_deterministic_and_appends(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	json_t *doc = json_loads("{\"b\": [1, \"on\", {\"x\": 0.1}], \"a\": \"m\\nl\"}",
				 0, NULL);

	(void)state;
	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_addstr(&a, "# head\n");
	assert_int_equal(yemit_doc(&a, doc, &dl), 0);
	assert_int_equal(yemit_doc(&b, doc, &dl), 0);
	assert_memory_equal(a.buf, "# head\n", 7);
	assert_string_equal(a.buf + 7, b.buf);
	strbuf_reset(&b);
	assert_int_equal(yemit_doc(&b, doc, &dl), 0);
	assert_string_equal(a.buf + 7, b.buf);
	assert_int_equal(b.buf[b.len - 1], '\n');
	strbuf_release(&a);
	strbuf_release(&b);
	json_decref(doc);
}

static void test_yemit_round_trips_strings(void **state)
{
	json_t *arr = json_array(), *obj = json_object();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(must_quote) / sizeof(must_quote[0]); i++) {
		json_array_append_new(arr, json_string(must_quote[i]));
		json_object_set_new(obj, must_quote[i], json_integer((json_int_t)i));
	}
	for (i = 0; i < sizeof(may_be_plain) / sizeof(may_be_plain[0]); i++) {
		json_array_append_new(arr, json_string(may_be_plain[i]));
		json_object_set_new(obj, may_be_plain[i], json_string(may_be_plain[i]));
	}
	json_t *docs[] = { arr, obj };
	assert_round_trip(docs, 2);
	json_decref(arr);
	json_decref(obj);
}

static void test_yemit_round_trips_documents(void **state)
{
	static const char *const texts[] = {
		"{\"apiVersion\": \"batch/v1\", \"kind\": \"Job\", \"metadata\": "
		"{\"name\": \"wc\", \"labels\": {\"version\": \"1.10\"}}, \"spec\": "
		"{\"backoffLimit\": 6, \"template\": {\"spec\": {\"containers\": "
		"[{\"name\": \"d\", \"args\": [\"yes\", \"8080\", \"-\"], \"env\": []}],"
		" \"nodeSelector\": {}}}}}",
		"[0.1, 3.0, -0.0, 1e20, 1e-5, 5e-324, 9223372036854775807, true, null]",
		"{\"script\": \"#!/bin/sh\\nset -e\\n\", \"k\": \"x\\n\\n\", \"n\": \"a\\nb\","
		" \"i\": \"  a\\nb\", \"t\": \"a \\nb\", \"u\": \"\xc3\xbc\\n\xf0\x9f\x98\x80\"}",
		"\"a lone scalar\"",
		"\"x\\n\\n\"",
		"[[[]], {}, \"\"]",
	};
	json_t *docs[sizeof(texts) / sizeof(texts[0])];
	size_t i, n = sizeof(texts) / sizeof(texts[0]);

	(void)state;
	for (i = 0; i < n; i++) {
		docs[i] = json_loads(texts[i], JSON_DECODE_ANY, NULL);
		assert_non_null(docs[i]);
		assert_round_trip(&docs[i], 1);
	}
	assert_round_trip(docs, n);	/* and as one stream */
	for (i = 0; i < n; i++)
		json_decref(docs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yemit_quotes_ambiguous_strings),
		cmocka_unit_test(test_yemit_leaves_safe_strings_plain),
		cmocka_unit_test(test_yemit_needs_quotes_sees_nul_and_bad_utf8),
		cmocka_unit_test(test_yemit_quoted_strings_use_double_quotes),
		cmocka_unit_test(test_yemit_numbers),
		cmocka_unit_test(test_yemit_nested_structures),
		cmocka_unit_test(test_yemit_keeps_key_order),
		cmocka_unit_test(test_yemit_empty_collections),
		cmocka_unit_test(test_yemit_multi_doc_separators),
		cmocka_unit_test(test_yemit_literal_blocks),
		cmocka_unit_test(test_yemit_unicode_kept),
		cmocka_unit_test(test_yemit_invalid_utf8_is_an_error),
		cmocka_unit_test(test_yemit_nul_is_an_error),
		cmocka_unit_test(test_yemit_too_deep_is_an_error),
		cmocka_unit_test(test_yemit_is_deterministic_and_appends),
		cmocka_unit_test(test_yemit_round_trips_strings),
		cmocka_unit_test(test_yemit_round_trips_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
