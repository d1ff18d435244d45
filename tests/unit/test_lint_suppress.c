/*
** test_lint_suppress.c: suppression lists and "# sparklint: ignore" comments
** (lint/suppress).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "suppress.h"
#include "util.h"

/* The list's ids walked in order: what suppress_index_find must answer. */
static const char *suppress_list_find(const char *list, size_t len, const char *rule)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen, rlen = strlen(rule);

	suppress_iter_init(&it, list, len);
	while (suppress_iter_next(&it, &id, &idlen)) {
		if (idlen == 3 && !memcmp(id, "all", 3))
			return id;
		if (idlen == rlen && !memcmp(id, rule, rlen))
			return id;
	}
	return NULL;
}

/* The index's answer for `rule` in `list`. */
static const char *index_find(const char *list, const char *rule)
{
	struct suppress_index x = { 0 };
	const char *by;

	suppress_index_build(&x, list, strlen(list));
	by = suppress_index_find(&x, rule);
	suppress_index_release(&x);
	return by;
}

static bool has(const char *list, const char *rule)
{
	return index_find(list, rule) != NULL;
}

static void test_suppress_list_names_and_all(void **state)
{
	(void)state;
	assert_true(has("rule-a,rule-b", "rule-b"));
	assert_true(has(" rule-a , rule-b ", "rule-a"));
	assert_true(has("all", "anything"));
	assert_true(has("x, all", "anything"));
	assert_true(has("rule-a,\nrule-b\n", "rule-b"));	/* an annotation written as a block */
	assert_false(has("rule-a,rule-b", "rule"));
	assert_false(has("rule-ab", "rule-a"));
	assert_false(has("", "rule-a"));
	assert_true(has("a,--,b", "a"));
	assert_false(has("a,--,b", "b"));	/* a reason's separator ends the list */
	assert_false(has("--,a", "a"));
}

static bool comment(const char *line, char *list, bool *alone)
{
	const char *l;
	size_t n;

	if (!suppress_comment(line, strlen(line), &l, &n, alone))
		return false;
	memcpy(list, l, n);
	list[n] = '\0';
	return true;
}

static void test_suppress_comment_forms(void **state)
{
	char list[64];
	bool alone;

	(void)state;
	assert_true(comment("  image: x # sparklint: ignore a,b", list, &alone));
	assert_string_equal(list, "a,b");
	assert_false(alone);
	assert_true(comment("    #sparklint:ignore  a, b -- because", list, &alone));
	assert_string_equal(list, "a, b");
	assert_true(alone);
	assert_false(comment("image: a#sparklint: ignore x", list, &alone));	/* not a comment */
	assert_false(comment("# sparklint: ignore", list, &alone));		/* no list */
	assert_false(comment("# sparklint: ignored x", list, &alone));
	assert_false(comment("# sparklint ignore x", list, &alone));
	assert_true(comment("x: 1 # note # sparklint: ignore r", list, &alone));
	assert_string_equal(list, "r");
}

/* The first id of the list that matches is the one credited (--report-unused-ignores). */
static void test_suppress_list_find_first_match(void **state)
{
	const char *list = "a, all ,b,b";
	struct suppress_iter it;
	const char *id, *want[] = { "a", "all", "b", "b" };
	size_t idlen, n = 0;

	(void)state;
	assert_ptr_equal(index_find(list, "a"), list);
	assert_ptr_equal(index_find(list, "b"), list + 3);	/* 'all' first */
	assert_null(index_find("a,b", "c"));
	suppress_iter_init(&it, list, strlen(list));
	while (suppress_iter_next(&it, &id, &idlen)) {
		assert_true(n < 4);
		assert_int_equal(idlen, strlen(want[n]));
		assert_memory_equal(id, want[n], idlen);
		n++;
	}
	assert_int_equal(n, 4);
	suppress_iter_init(&it, "x y", 3);	/* a blank, not a comma: the list ends */
	assert_true(suppress_iter_next(&it, &id, &idlen));
	assert_false(suppress_iter_next(&it, &id, &idlen));
}

/* The last comma of a list when no id follows it, after the walk: an annotation's "a,". */
static const char *trailing(const char *list)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	suppress_iter_init(&it, list, strlen(list));
	while (suppress_iter_next(&it, &id, &idlen))
		;
	return suppress_iter_trailing(&it);
}

static void test_suppress_iter_trailing_comma(void **state)
{
	const char *l1 = "a,", *l2 = "a , b , \n", *l3 = " ,";

	(void)state;
	assert_ptr_equal(trailing(l1), l1 + 1);
	assert_ptr_equal(trailing(l2), l2 + 6);
	assert_ptr_equal(trailing(l3), l3 + 1);	/* an empty id: the rest is reported */
	assert_null(trailing("a"));
	assert_null(trailing("a, b \n"));
	assert_null(trailing("a,,b"));		/* the rest ",b" is reported instead */
	assert_null(trailing(""));
}

/* The sorted index answers as the list's walk does, for every id asked. */
static void test_suppress_index_answers_as_the_list(void **state)
{
	static const char *const lists[] = {
		"a, all ,b,b", "b,a,b,a", "c,b,a", "all", "x", "ab,a,abc,a-b,alll,al",
		"z,y,all,x,all,y", "a,,b", "a b", "a,--,b", "--,a", "a, - ,b",
	};
	static const char *const rules[] = { "a", "b", "c", "x", "y", "z", "al", "ab", "all", "q" };
	struct suppress_index x = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		size_t len = strlen(lists[i]);

		suppress_index_build(&x, lists[i], len);
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++)
			assert_ptr_equal(suppress_index_find(&x, rules[r]),
					 suppress_list_find(lists[i], len, rules[r]));
	}
	suppress_index_release(&x);
	assert_null(x.v);
}

static void test_suppress_lines_same_line_or_alone_above(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by, *list;
	size_t len;
	bool alone;
	const char *text =
		"a: 1 # sparklint: ignore r1 -- legacy\n"	/* 1 */
		"b: 2\n"					/* 2 */
		"# sparklint: ignore r2\n"			/* 3 */
		"c: 3\n"					/* 4 */
		"d: 4 # sparklint: ignore r3\n"			/* 5 */
		"e: 5\n"					/* 6 */
		"f: 6 # sparklint: ignore all";			/* 7, no newline */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_int_equal(sl.n, 7);
	assert_true(suppress_lines_match(&sl, 1, "r1", &reason, &by));
	assert_string_equal(reason, "legacy");
	assert_ptr_equal(by, sl.buf + strlen("a: 1 # sparklint: ignore "));
	assert_false(suppress_lines_match(&sl, 2, "r1", &reason, &by));	/* above is not alone */
	assert_true(suppress_lines_match(&sl, 4, "r2", &reason, &by));
	assert_null(reason);
	assert_ptr_equal(by, sl.buf + sl.off[2] + strlen("# sparklint: ignore "));
	assert_true(suppress_lines_comment(&sl, 7, &list, &len, &alone));
	assert_int_equal(len, strlen("all"));
	assert_false(alone);
	assert_false(suppress_lines_comment(&sl, 8, &list, &len, &alone));
	assert_true(suppress_lines_match(&sl, 3, "r2", &reason, &by));	/* its own line */
	assert_false(suppress_lines_match(&sl, 4, "r1", &reason, &by));
	assert_false(suppress_lines_match(&sl, 6, "r3", &reason, &by));	/* trailing comment above */
	assert_true(suppress_lines_match(&sl, 7, "anything", &reason, &by));
	assert_false(suppress_lines_match(&sl, 0, "r1", &reason, &by));
	assert_false(suppress_lines_match(&sl, 99, "r1", &reason, &by));
	suppress_lines_release(&sl);
}

/*
** Only YAML comments are suppressions: not text in quoted or block scalars,
** nor anything past a syntax error.
*/
static void test_suppress_lines_comments_only(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by, *list;
	size_t len;
	bool alone;
	const char *text =
		"a: | # sparklint: ignore r0\n"			/* 1: a comment after the header */
		"  # sparklint: ignore r1\n"			/* 2: block scalar text */
		"b: \"x # sparklint: ignore r1\"\n"		/* 3: double-quoted */
		"c: 'multi\n"					/* 4 */
		"  # sparklint: ignore r1'\n"			/* 5: single-quoted, 2nd line */
		"# sparklint: ignore r2\n"			/* 6: a comment */
		"d: [1, 2] # sparklint: ignore r3\n"		/* 7: a comment */
		"f: \"x # sparklint: ignore r5\" # sparklint: ignore r6 -- why\n"	/* 8: the 2nd */
		"e: [unclosed\n"				/* 9 */
		"# sparklint: ignore r4\n";			/* 10: past the error */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_true(suppress_lines_match(&sl, 1, "r0", &reason, &by));
	assert_false(suppress_lines_match(&sl, 2, "r1", &reason, &by));
	assert_false(suppress_lines_match(&sl, 3, "r1", &reason, &by));
	assert_false(suppress_lines_match(&sl, 5, "r1", &reason, &by));
	assert_true(suppress_lines_comment(&sl, 6, &list, &len, &alone));
	assert_true(alone);
	assert_true(suppress_lines_match(&sl, 7, "r2", &reason, &by));	/* alone above */
	assert_true(suppress_lines_match(&sl, 7, "r3", &reason, &by));	/* its own */
	assert_false(suppress_lines_match(&sl, 8, "r5", &reason, &by));
	assert_true(suppress_lines_match(&sl, 8, "r6", &reason, &by));
	assert_string_equal(reason, "why");
	assert_true(suppress_lines_comment(&sl, 8, &list, &len, &alone));
	assert_false(alone);
	assert_false(suppress_lines_comment(&sl, 10, &list, &len, &alone));
	assert_int_equal(sl.ncomments, 4);
	suppress_lines_release(&sl);
}

/* The parse starts at the document of the first candidate: positions still agree. */
static void test_suppress_lines_later_document(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;
	const char *text =
		"a: 1\n"					/* 1 */
		"---\n"						/* 2 */
		"b: |\n"					/* 3 */
		"  x\n"						/* 4 */
		"...\n"						/* 5 */
		"%YAML 1.1\n"					/* 6: its directive */
		"--- !!map\n"					/* 7 */
		"c: \"x # sparklint: ignore r1\" # sparklint: ignore r2\n"	/* 8 */
		"d: |\n"					/* 9 */
		"  # sparklint: ignore r3\n"			/* 10: text */
		"e: 2 # sparklint: ignore r4\n";			/* 11 */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_false(suppress_lines_match(&sl, 8, "r1", &reason, &by));
	assert_true(suppress_lines_match(&sl, 8, "r2", &reason, &by));
	assert_false(suppress_lines_match(&sl, 10, "r3", &reason, &by));
	assert_true(suppress_lines_match(&sl, 11, "r4", &reason, &by));
	suppress_lines_release(&sl);
}

/* Files joined into one stream: a byte order mark starts a later document. */
static void test_suppress_lines_bom_mid_stream(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;
	const char *text =
		"a: 1\n"					/* 1 */
		"---\n"						/* 2 */
		"\xEF\xBB\xBF" "kind: Pod\n"			/* 3 */
		"b: 2 # sparklint: ignore r1\n"		/* 4 */
		"c: |\n"					/* 5 */
		"  # sparklint: ignore r2\n";			/* 6: text */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_true(suppress_lines_match(&sl, 4, "r1", &reason, &by));
	assert_false(suppress_lines_match(&sl, 6, "r2", &reason, &by));
	suppress_lines_release(&sl);
}

/* Expect the flaw `want` on line `no` of sl, with `text` at fault and '#' at byte `col`. */
static void flaw(struct suppress_lines *sl, unsigned no, enum suppress_flaw want,
		 const char *text, size_t col)
{
	const char *hash, *t;
	size_t len;

	assert_int_equal(suppress_lines_flaw(sl, no, &hash, &t, &len), want);
	if (want == SUPPRESS_SOUND)
		return;
	assert_int_equal(len, strlen(text));
	assert_memory_equal(t, text, len);
	assert_ptr_equal(hash, sl->buf + sl->off[no - 1] + col);
}

/*
** A comment that carries the mark but does not parse silences nothing, and
** --report-unused-ignores says why; only YAML comments, and the first of a
** line, which a sound one after it does not excuse.
*/
static void test_suppress_lines_flaws(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;
	const char *text =
		"a: 1 # sparklint: ignore\n"				/* 1 */
		"b: 2 # sparklint: ignore: r1\n"			/* 2 */
		"# sparklint:  \n"					/* 3 */
		"c: 3 # sparklint: ignore ,r1 -- x \n"		/* 4 */
		"d: 4 # sparklint: ignore r1 -- see # sparklint: x\n"	/* 5: sound */
		"e: 5 # sparklint: ignored r1 # sparklint: ignore r2\n"	/* 6 */
		"f: \"# sparklint: ignore\"\n"			/* 7: a string */
		"g: 7 # a note on sparklint: ignore\n"		/* 8: no mark */
		"h: |\n"						/* 9 */
		"  # sparklint: ignore\n"				/* 10: text */
		"i: 9\n";						/* 11 */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	flaw(&sl, 1, SUPPRESS_NO_IDS, "", 5);
	flaw(&sl, 2, SUPPRESS_NO_IGNORE, "ignore: r1", 5);
	assert_false(suppress_lines_match(&sl, 2, "r1", &reason, &by));
	flaw(&sl, 3, SUPPRESS_NO_IGNORE, "", 0);
	flaw(&sl, 4, SUPPRESS_NO_IDS, ",r1 -- x", 5);
	flaw(&sl, 5, SUPPRESS_SOUND, NULL, 0);
	flaw(&sl, 6, SUPPRESS_NO_IGNORE, "ignored r1 # sparklint: ignore r2", 5);
	assert_true(suppress_lines_match(&sl, 6, "r2", &reason, &by));
	flaw(&sl, 7, SUPPRESS_SOUND, NULL, 0);
	flaw(&sl, 8, SUPPRESS_SOUND, NULL, 0);
	flaw(&sl, 10, SUPPRESS_SOUND, NULL, 0);
	flaw(&sl, 11, SUPPRESS_SOUND, NULL, 0);
	flaw(&sl, 12, SUPPRESS_SOUND, NULL, 0);
	suppress_lines_release(&sl);
}

/* Expect `want` (NULL: none) as the word after line `no`'s list. */
static void word_after(struct suppress_lines *sl, unsigned no, const char *want)
{
	const char *list, *word;
	size_t listlen, len;
	bool alone;

	assert_true(suppress_lines_comment(sl, no, &list, &listlen, &alone));
	len = suppress_lines_word_after(sl, no, list, listlen, &word);
	if (!want) {
		assert_int_equal(len, 0);
		return;
	}
	assert_int_equal(len, strlen(want));
	assert_memory_equal(word, want, len);
}

/* The word after a comment's list, unless a reason's separator starts the text. */
static void test_suppress_lines_word_after(void **state)
{
	struct suppress_lines sl;
	const char *text =
		"a: 1 # sparklint: ignore r1 r2\n"			/* 1 */
		"b: 2 # sparklint: ignore r1, r2  r3 -- x\n"		/* 2 */
		"c: 3 # sparklint: ignore r1 -- r2\n"			/* 3 */
		"d: 4 # sparklint: ignore r1 -r2\n"			/* 4 */
		"e: 5 # sparklint: ignore r1 :r2\n"			/* 5 */
		"f: 6 # sparklint: ignore r1\n"			/* 6 */
		"g: 7 # sparklint: ignore r1 , r2\n"			/* 7: a list */
		"h: 8 # sparklint: ignore r1,, r2\n"			/* 8 */
		"i: 9 # sparklint: ignore r1 (r2)\n"			/* 9 */
		"j: 0 # sparklint: ignore r1\tr2.\n";			/* 10 */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	word_after(&sl, 1, "r2");
	word_after(&sl, 2, "r3");
	word_after(&sl, 3, NULL);
	word_after(&sl, 4, NULL);
	word_after(&sl, 5, NULL);
	word_after(&sl, 6, NULL);
	word_after(&sl, 7, NULL);
	word_after(&sl, 8, NULL);
	word_after(&sl, 9, NULL);
	word_after(&sl, 10, "r2.");
	suppress_lines_release(&sl);
}

/* Expect the gap `want` in line `no`'s list, at byte `col` of the line, with `text`. */
static void gap(struct suppress_lines *sl, unsigned no, enum suppress_gap want,
		size_t col, const char *text)
{
	const char *list, *at;
	size_t listlen, atlen;
	bool alone;

	assert_true(suppress_lines_comment(sl, no, &list, &listlen, &alone));
	assert_int_equal(suppress_lines_gap(sl, no, list, listlen, &at, &atlen), want);
	if (want == SUPPRESS_LIST_SOUND)
		return;
	assert_ptr_equal(at, sl->buf + sl->off[no - 1] + col);
	assert_int_equal(atlen, strlen(text));
	assert_memory_equal(at, text, atlen);
}

/*
** "--" (or "-", ":") is where a reason starts: a list of it alone holds no
** rule id, though '-' is an id's character and "a-b" one id.  A comma
** without an id after it ends the list: the first such gap is found.
*/
static void test_suppress_lines_list_gaps(void **state)
{
	struct suppress_lines sl;
	const char *text =
		"a: 1 # sparklint: ignore -- why\n"			/* 1 */
		"b: 2 #\tsparklint:\tignore\t-\n"			/* 2 */
		"c: 3 # sparklint: ignore r-1 -- why\n"			/* 3 */
		"d: 4 # sparklint: ignore r-- -- why\n"			/* 4 */
		"e: 5 # sparklint: ignore : why\n"			/* 5 */
		"f: 6 # sparklint: ignore a,,b -- why \n"		/* 6 */
		"g: 7 # sparklint: ignore a , ,b\n"			/* 7 */
		"h: 8 # sparklint: ignore a, \t\n"			/* 8 */
		"i: 9 # sparklint: ignore a, -- why\n"			/* 9 */
		"j: 0 # sparklint: ignore a,--,b,,c\n"			/* 10 */
		"k: 1 # sparklint: ignore --,a\n"			/* 11 */
		"l: 2 # sparklint: ignore a , b -- x,,y\n"		/* 12 */
		"m: 3 # sparklint: ignore a,;b\n";			/* 13 */

	(void)state;
	assert_true(suppress_is_separator("--", 2));
	assert_true(suppress_is_separator("-:", 2));
	assert_false(suppress_is_separator("-a", 2));
	assert_false(suppress_is_separator("", 0));
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	gap(&sl, 1, SUPPRESS_LIST_REASON, 5, "");
	gap(&sl, 2, SUPPRESS_LIST_REASON, 5, "");
	gap(&sl, 3, SUPPRESS_LIST_SOUND, 0, NULL);
	gap(&sl, 4, SUPPRESS_LIST_SOUND, 0, NULL);
	gap(&sl, 5, SUPPRESS_LIST_REASON, 5, "");
	gap(&sl, 6, SUPPRESS_LIST_ITEM, 27, ",b -- why");
	gap(&sl, 7, SUPPRESS_LIST_ITEM, 29, ",b");
	gap(&sl, 8, SUPPRESS_LIST_TRAILING, 26, "");	/* at the comma */
	gap(&sl, 9, SUPPRESS_LIST_ITEM, 28, "-- why");
	gap(&sl, 10, SUPPRESS_LIST_ITEM, 27, "--,b,,c");
	gap(&sl, 11, SUPPRESS_LIST_ITEM, 25, "--,a");
	gap(&sl, 12, SUPPRESS_LIST_SOUND, 0, NULL);	/* commas in the reason */
	gap(&sl, 13, SUPPRESS_LIST_ITEM, 27, ";b");
	suppress_lines_release(&sl);
}

/* Stray commas after a list ("a,", "a,, -- why") are no reason's text. */
static void test_suppress_lines_reason_after_stray_commas(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;
	const char *text =
		"a: 1 # sparklint: ignore r1,\n"			/* 1 */
		"b: 2 # sparklint: ignore r1 , \t\n"		/* 2 */
		"c: 3 # sparklint: ignore r1,, -- why\n"		/* 3 */
		"d: 4 # sparklint: ignore r1, ,r2\n"			/* 4 */
		"e: 5 # sparklint: ignore r1 -- a, b\n"		/* 5 */
		"f: 6 # sparklint: ignore r1,--,r2 -- why\n";		/* 6 */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	assert_true(suppress_lines_match(&sl, 1, "r1", &reason, &by));
	assert_null(reason);
	assert_true(suppress_lines_match(&sl, 2, "r1", &reason, &by));
	assert_null(reason);
	assert_true(suppress_lines_match(&sl, 3, "r1", &reason, &by));
	assert_string_equal(reason, "why");
	assert_true(suppress_lines_match(&sl, 4, "r1", &reason, &by));
	assert_string_equal(reason, "r2");	/* the rest of the line, as before */
	assert_false(suppress_lines_match(&sl, 4, "r2", &reason, &by));
	assert_true(suppress_lines_match(&sl, 5, "r1", &reason, &by));
	assert_string_equal(reason, "a, b");
	assert_true(suppress_lines_match(&sl, 6, "r1", &reason, &by));
	assert_string_equal(reason, "r2 -- why");	/* "--" ends the ids */
	assert_false(suppress_lines_match(&sl, 6, "r2", &reason, &by));
	suppress_lines_release(&sl);
}

/* Expect a second suppression comment in line `no`'s reason at byte `col` (0: none). */
static void second(struct suppress_lines *sl, unsigned no, size_t col)
{
	const char *list, *hash;
	size_t listlen;
	bool alone;

	assert_true(suppress_lines_comment(sl, no, &list, &listlen, &alone));
	hash = suppress_lines_second(sl, no, list, listlen);
	if (!col)
		assert_null(hash);
	else
		assert_ptr_equal(hash, sl->buf + sl->off[no - 1] + col);
}

/* A suppression comment after the first one on a line is the first one's reason. */
static void test_suppress_lines_second(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;
	const char *text =
		"a: 1 # sparklint: ignore r1 # sparklint: ignore r2\n"		/* 1 */
		"b: 2 # sparklint: ignore r1 -- see # sparklint: x\n"		/* 2: prose */
		"c: 3 # sparklint: ignore r1 #sparklint: ignore # sparklint: ignore r2\n" /* 3 */
		"d: 4 # sparklint: ignore # sparklint: ignore r2\n"		/* 4: the first is flawed */
		"e: 5 # sparklint: ignore r1 x# sparklint: ignore r2\n"	/* 5: no comment */
		"f: 6 # sparklint: ignore r1 -- old: # sparklint: ignore r2\n"	/* 6: prose */
		"g: 7 # sparklint: ignore r1,, -- a # sparklint: ignore r2\n"	/* 7: prose */
		"h: 8 # sparklint: ignore r1,--,r3 # sparklint: ignore r2\n"	/* 8: prose */
		"i: 9 # sparklint: ignore r1 why # sparklint: ignore r2\n";	/* 9 */

	(void)state;
	suppress_lines_init(&sl, xstrdup(text), strlen(text));
	second(&sl, 1, 28);
	assert_false(suppress_lines_match(&sl, 1, "r2", &reason, &by));	/* as before */
	second(&sl, 2, 0);
	second(&sl, 3, 47);
	second(&sl, 4, 0);
	assert_true(suppress_lines_match(&sl, 4, "r2", &reason, &by));
	second(&sl, 5, 0);
	second(&sl, 6, 0);	/* a reason started with "--" is prose */
	second(&sl, 7, 0);
	second(&sl, 8, 0);
	second(&sl, 9, 32);	/* one without: the mistake it is there to catch */
	suppress_lines_release(&sl);
}

static void test_suppress_lines_empty_file(void **state)
{
	struct suppress_lines sl;
	const char *reason, *by;

	(void)state;
	suppress_lines_init(&sl, xstrdup(""), 0);
	assert_false(suppress_lines_match(&sl, 1, "x", &reason, &by));
	suppress_lines_release(&sl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppress_list_names_and_all),
		cmocka_unit_test(test_suppress_comment_forms),
		cmocka_unit_test(test_suppress_list_find_first_match),
		cmocka_unit_test(test_suppress_iter_trailing_comma),
		cmocka_unit_test(test_suppress_index_answers_as_the_list),
		cmocka_unit_test(test_suppress_lines_same_line_or_alone_above),
		cmocka_unit_test(test_suppress_lines_comments_only),
		cmocka_unit_test(test_suppress_lines_later_document),
		cmocka_unit_test(test_suppress_lines_bom_mid_stream),
		cmocka_unit_test(test_suppress_lines_flaws),
		cmocka_unit_test(test_suppress_lines_word_after),
		cmocka_unit_test(test_suppress_lines_list_gaps),
		cmocka_unit_test(test_suppress_lines_reason_after_stray_commas),
		cmocka_unit_test(test_suppress_lines_second),
		cmocka_unit_test(test_suppress_lines_empty_file),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}
