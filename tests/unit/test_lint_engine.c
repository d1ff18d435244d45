/*
** test_lint_engine.c: the rule engine end to end in one process (lint/engine,
** lint/worker, lint/lintrun): shared documents and the mutation re-run,
** failure handling that does not depend on the number of workers, lazy
** conversion, context-only documents.
*/
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

#include "engine.h"
#include "lintrun.h"
#include "luahost.h"
#include "ruleset.h"
#include "strbuf.h"
#include "util.h"

static char dir[] = "/tmp/sk-engine-XXXXXX";

static void put(const char *name, const char *text)
{
	char *p = util_path_join(dir, name);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(p);
}

#define RULE(id, extra) \
	"return { id = \"" id "\", severity = \"warning\", category = \"t\", " \
	"description = \"d\", hint = \"h\", " extra " }\n"

static int setup(void **state)
{
	struct strbuf docs = STRBUF_INIT;
	char *rules;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	rules = util_path_join(dir, "rules");
	mkdir(rules, 0755);
	free(rules);
	put("rules/a-mutate.lua", RULE("a-mutate", "kinds = { \"Pod\" }, "
	    "check = function(obj, ctx) obj.kind = 'Mutated' end"));
	put("rules/b-kind.lua", RULE("b-kind", "kinds = { \"Pod\" }, "
	    "check = function(obj, ctx) ctx:report{ message = obj.kind .. ' ' .. obj.metadata.name } end"));
	put("rules/c-fail.lua", RULE("c-fail", "kinds = { \"ConfigMap\" }, "
	    "check = function(obj, ctx) if obj.metadata.name:match('^bad') then error('boom') end "
	    "ctx:report{ message = 'ok ' .. obj.metadata.name } end"));
	put("rules/d-jobs.lua", RULE("d-jobs", "kinds = { \"Job\" }, "
	    "check = function(obj, ctx) end"));
	/* every kind of value, and the documents, through ctx:collect */
	put("rules/e-collect.lua", RULE("e-collect",
	    "check = function(obj, ctx) ctx:collect{ name = obj.metadata.name, doc = obj, "
	    "x = { 7, 2.5, true, sk.null, [false] = 'f', [1.5] = 'r' } } "
	    "if obj.kind == 'Pod' then ctx:collect('second') end end, "
	    "finish = function(ctx) local names = {} "
	    "for i, v in ipairs(ctx:collected()) do "
	    "  if type(v) == 'string' then names[i] = v else "
	    "  assert(v.doc.metadata.name == v.name and ctx:file(v.doc)) "
	    "  assert(math.type(v.x[1]) == 'integer' and v.x[2] == 2.5 and v.x[3] == true) "
	    "  assert(v.x[4] == sk.null and v.x[false] == 'f' and v.x[1.5] == 'r') "
	    "  names[i] = v.name end end "
	    "ctx:report{ obj = ctx:objects('Job')[1], message = table.concat(names, ' ') } end"));
	/* 3 MiB a document: past the cap (64 MiB and 4 bytes per input byte) at the 22nd */
	put("rules/f-big.lua", RULE("f-big", "kinds = { \"ConfigMap\" }, "
	    "check = function(obj, ctx) ctx:collect(string.rep('x', 3 << 20)) end, "
	    "finish = function(ctx) ctx:report{ obj = ctx:objects('Pod')[1], message = 'finished' } end"));
	put("rules/g-misuse.lua", RULE("g-misuse", "kinds = { \"Pod\" }, "
	    "check = function(obj, ctx) local m = {} "
	    "for _, f in ipairs{ function() ctx:collect(function() end) end, "
	    "  function() local t = {} t.t = t ctx:collect(t) end, "
	    "  function() ctx:collect({ [{}] = 1 }) end, "
	    "  function() ctx:collect(nil) end, "
	    "  function() ctx:collected() end } do "
	    "  local ok, e = pcall(f) m[#m + 1] = tostring(e):gsub('^.-:%d+: ', '') end "
	    "ctx:report{ message = table.concat(m, '|') } end, "
	    "finish = function(ctx) local ok, e = pcall(ctx.collect, ctx, 1) "
	    "ctx:report{ obj = ctx:objects('Pod')[1], message = tostring(e):gsub('^.-:%d+: ', '') } end"));
	put("rules/h-nofinish.lua", RULE("h-nofinish", "kinds = { \"Pod\" }, "
	    "check = function(obj, ctx) ctx:collect(1) end"));
	/* documents a rule holds live on; the others are collected and made again */
	put("rules/i-hold.lua", RULE("i-hold",
	    "check = function(obj, ctx) local m, name = ctx:memo(), obj.metadata.name "
	    "if name == 'cm00' then m.held = obj "
	    "elseif name == 'cm01' then m.weak = setmetatable({ obj }, { __mode = 'v' }) "
	    "elseif obj.kind == 'Pod' then "
	    "  for i = 1, 200000 do local garbage = { i } end "
	    "  local dropped = m.weak[1] == nil "
	    "  local cms = ctx:objects('ConfigMap') "
	    "  ctx:report{ message = string.format('held %s, dropped %s, again %s', "
	    "    tostring(cms[1] == m.held), tostring(dropped), cms[2].metadata.name) } end end"));
	/* the whole set read on every call */
	put("rules/l-scan.lua", RULE("l-scan", "kinds = { \"ConfigMap\" }, "
	    "check = function(obj, ctx) local n = #ctx:objects('ConfigMap') "
	    "if obj.metadata.name == 'cm39' then ctx:report{ message = n .. ' maps' } end end"));
	/* a part of a document held: the document stays, the part stays its part */
	put("rules/m-part.lua", RULE("m-part",
	    "check = function(obj, ctx) local m = ctx:memo() "
	    "if obj.metadata.name == 'cm00' then m.part = obj.metadata "
	    "elseif obj.kind == 'Pod' then "
	    "  for i = 1, 200000 do local garbage = { i } end "
	    "  ctx:report{ message = 'part ' .. tostring(ctx:find('ConfigMap', 'cm00').metadata == m.part) } end end"));
	put("rules/n-part-change.lua", RULE("n-part-change",
	    "check = function(obj, ctx) local m = ctx:memo() "
	    "if obj.metadata.name == 'cm00' then m.part = obj.metadata "
	    "elseif obj.kind == 'Pod' then "
	    "  for i = 1, 200000 do local garbage = { i } end "
	    "  m.part.labels = { changed = 'yes' } end end"));
	/* a change made through a held table, long after the chunk it came in */
	put("rules/k-late.lua", RULE("k-late",
	    "check = function(obj, ctx) local m = ctx:memo() "
	    "if obj.metadata.name == 'cm00' then m.late = obj "
	    "elseif obj.kind == 'Pod' then m.late.data = { changed = 'yes' } end end"));
	/* an empty mapping made an empty list: the same keys, but not the same JSON */
	put("rules/q-to-array.lua", RULE("q-to-array", "kinds = { \"Pod\" }, "
	    "check = function(obj, ctx) obj.data = sk.array() end"));
	/* a document of the run before the isolated re-run is not one of the re-run's */
	put("rules/r-stale.lua", RULE("r-stale", "kinds = { \"Pod\" }, "
	    "check = (function() local old return function(obj, ctx) "
	    "if old then ctx:report{ message = pcall(ctx.report, ctx, { obj = old, message = 'x' }) "
	    "  and 'stale accepted' or 'stale refused' } end "
	    "old = obj end end)()"));
	/* state kept between calls: finish() sees what its own worker checked */
	put("rules/s-state.lua", "local names = {}\n" RULE("s-state", "kinds = { \"ConfigMap\" }, "
	    "check = function(obj, ctx) names[#names + 1] = obj.metadata.name end, "
	    "finish = function(ctx) ctx:report{ obj = ctx:objects('Job')[1], "
	    "message = table.concat(names, ' ') } end"));
	strbuf_init(&docs);
	for (int i = 0; i < 40; i++)
		strbuf_addf(&docs, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s%02d}\n",
			    i == 17 || i == 30 ? "bad" : "cm", i);
	strbuf_addstr(&docs, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p1}\ndata: {}\n"
		      "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j1}\n");
	put("docs.yaml", docs.buf);
	put("ctx.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n");
	strbuf_release(&docs);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool run_fresh;	/* run() drops the state the rules were checked in */
static bool run_dealt;	/* run() deals the documents (engine_opts.dealt) */

/* Run the rules of <dir>/rules whose ids are in `only` over docs.yaml. */
static void run(struct lintrun *lr, unsigned jobs, const char *only,
		bool with_context)
{
	struct engine_opts eo = { .jobs = jobs, .dealt = run_dealt };
	struct diag_list dl = DIAG_LIST_INIT;
	struct ruleset rs;
	char *rules = util_path_join(dir, "rules"), *docs = util_path_join(dir, "docs.yaml");
	char *ctx = util_path_join(dir, "ctx.yaml");

	ruleset_init(&rs);
	assert_int_equal(ruleset_add_dir(&rs, rules, RULESET_RULES, &dl), 0);
	assert_int_equal(engine_check_rules(&rs, &eo, &dl), 0);
	assert_non_null(rs.warm);	/* every rule loaded: kept for the first worker */
	if (run_fresh) {
		luahost_close(rs.warm);
		rs.warm = NULL;
	}
	for (size_t i = 0; i < rs.n; i++)
		rs.v[i].enabled = strstr(only, rs.v[i].s.name) != NULL;
	lintrun_init(lr);
	assert_int_equal(input_add(&lr->in, docs, true, NULL, &dl), 0);
	if (with_context)
		assert_int_equal(input_add(&lr->in, ctx, false, NULL, &dl), 0);
	assert_int_equal(lintrun_run(lr, &rs, &eo, &dl), 0);
	assert_null(rs.warm);		/* taken by the run */
	/* the findings borrow rule ids from rs: keep copies for the checks */
	for (size_t i = 0; i < lr->findings.n; i++)
		lr->findings.v[i].d.code = util_intern(lr->findings.v[i].d.code);
	ruleset_release(&rs);
	diag_list_release(&dl);
	free(rules);
	free(docs);
	free(ctx);
}

static void test_engine_mutation_is_caught_and_isolated(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "a-mutate b-kind", false);
	assert_true(lr.stats.isolated);
	assert_int_equal(lr.findings.n, 2);
	assert_string_equal(lr.findings.v[0].d.code, "b-kind");
	assert_string_equal(lr.findings.v[0].d.msg, "Pod p1");	/* not "Mutated p1" */
	assert_string_equal(lr.findings.v[1].d.code, "rule-error");
	assert_non_null(strstr(lr.findings.v[1].d.msg, "rule 'a-mutate' failed: it modified"));
	assert_true(lr.hard_error);
	lintrun_release(&lr);
}

static void test_engine_no_mutation_no_rerun(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 2, "b-kind", false);
	assert_false(lr.stats.isolated);
	assert_int_equal(lr.findings.n, 1);
	assert_false(lr.hard_error);
	lintrun_release(&lr);
}

/* The same findings, byte for byte, whatever the number of workers. */
static void test_engine_failures_independent_of_workers(void **state)
{
	struct lintrun a, b;

	(void)state;
	run(&a, 1, "c-fail", false);
	run(&b, 4, "c-fail", false);
	assert_int_equal(b.stats.workers, 4);
	/* findings up to the first failing document (bad17), then one error */
	assert_int_equal(a.findings.n, 17 + 1);
	assert_int_equal(a.findings.n, b.findings.n);
	for (size_t i = 0; i < a.findings.n; i++) {
		assert_string_equal(a.findings.v[i].d.msg, b.findings.v[i].d.msg);
		assert_int_equal(a.findings.v[i].d.pos.line, b.findings.v[i].d.pos.line);
	}
	for (size_t i = 0, errors = 0; i < a.findings.n; i++) {
		if (strcmp(a.findings.v[i].d.code, "rule-error"))
			continue;
		assert_int_equal(++errors, 1);
		assert_non_null(strstr(a.findings.v[i].d.msg, "(checking ConfigMap 'bad17')"));
		assert_non_null(strstr(a.findings.v[i].d.msg, "boom"));
	}
	lintrun_release(&a);
	lintrun_release(&b);
}

static void test_engine_converts_only_wanted_documents(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "d-jobs", false);
	assert_int_equal(lr.stats.converted, 1);	/* one Job among 42 documents */
	assert_int_equal(lr.ds.n, 42);
	lintrun_release(&lr);
}

static void test_engine_context_objects_are_not_reported(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 2, "b-kind", true);
	assert_int_equal(lr.ds.n, 43);
	assert_int_equal(lr.findings.n, 1);
	assert_string_equal(lr.findings.v[0].d.msg, "Pod p1");
	assert_int_equal(lr.sum.files, 1);
	assert_int_equal(lr.sum.documents, 42);
	lintrun_release(&lr);
}

/*
** The first worker runs in the state the rules were checked in; what it
** finds is what a state of its own finds, on one worker or two.
*/
static void test_engine_warm_state_finds_what_a_fresh_one_does(void **state)
{
	const char *all = "a-mutate b-kind c-fail d-jobs";

	(void)state;
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		struct lintrun warm, fresh;

		run(&warm, jobs, all, true);
		run_fresh = true;
		run(&fresh, jobs, all, true);
		run_fresh = false;
		assert_true(warm.findings.n > 3);
		assert_int_equal(warm.findings.n, fresh.findings.n);
		for (size_t i = 0; i < warm.findings.n; i++) {
			const struct finding *a = &warm.findings.v[i], *b = &fresh.findings.v[i];

			assert_string_equal(a->d.code, b->d.code);
			assert_string_equal(a->d.msg, b->d.msg);
			assert_int_equal(a->d.pos.line, b->d.pos.line);
			assert_int_equal(a->doc, b->doc);
		}
		assert_int_equal(warm.stats.isolated, fresh.stats.isolated);
		lintrun_release(&warm);
		lintrun_release(&fresh);
	}
}

/* The message of the only finding of rule `code`. */
static const char *only_msg(const struct lintrun *lr, const char *code)
{
	const char *msg = NULL;

	for (size_t i = 0; i < lr->findings.n; i++)
		if (!strcmp(lr->findings.v[i].d.code, code)) {
			assert_null(msg);
			msg = lr->findings.v[i].d.msg;
		}
	assert_non_null(msg);
	return msg;
}

/*
** ctx:collect values reach finish() whole and in document order (a
** document's in the order collected), documents as objects of the state
** finish() runs in, whatever the number of workers.
*/
static void test_engine_collect_in_document_order(void **state)
{
	struct strbuf want = STRBUF_INIT;

	(void)state;
	strbuf_init(&want);
	for (int i = 0; i < 40; i++)
		strbuf_addf(&want, "%s%02d ", i == 17 || i == 30 ? "bad" : "cm", i);
	strbuf_addstr(&want, "p1 second j1");
	for (unsigned jobs = 1; jobs <= 4; jobs += 3) {
		struct lintrun lr;

		run(&lr, jobs, "e-collect", false);
		assert_int_equal(lr.stats.workers, jobs);
		assert_string_equal(only_msg(&lr, "e-collect"), want.buf);
		assert_false(lr.hard_error);
		lintrun_release(&lr);
		/* and after a mutation, in the rule-by-rule re-run */
		run(&lr, jobs, "a-mutate e-collect", false);
		assert_true(lr.stats.isolated);
		assert_string_equal(only_msg(&lr, "e-collect"), want.buf);
		lintrun_release(&lr);
	}
	strbuf_release(&want);
}

/* Past the cap, the rule fails at the same document on any split. */
static void test_engine_collect_cap_independent_of_workers(void **state)
{
	(void)state;
	for (unsigned jobs = 1; jobs <= 4; jobs += 3) {
		struct lintrun lr;
		const char *msg;

		run(&lr, jobs, "f-big", false);
		msg = only_msg(&lr, "rule-error");
		assert_non_null(strstr(msg, "rule 'f-big' failed: ctx:collect: its values passed"));
		assert_non_null(strstr(msg, "(checking ConfigMap 'cm21')"));
		assert_int_equal(lr.findings.n, 1);	/* finish() did not run */
		assert_true(lr.hard_error);
		lintrun_release(&lr);
	}
}

/* The run was repeated rule by rule, `rule` blamed, b-kind's finding intact. */
static void assert_blamed(const struct lintrun *lr, const char *rule)
{
	char want[128];

	snprintf(want, sizeof want, "rule '%s' failed: it modified", rule);
	assert_true(lr->stats.isolated);
	assert_non_null(strstr(only_msg(lr, "rule-error"), want));
	assert_string_equal(only_msg(lr, "b-kind"), "Pod p1");
}

/*
** Metatables: an empty mapping given the array marker is a change; a
** document kept from the run before the isolated re-run is not a document
** of the re-run (its state's documents are converted afresh).
*/
static void test_engine_metatables_and_stale_documents(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "q-to-array b-kind", false);
	assert_blamed(&lr, "q-to-array");
	lintrun_release(&lr);
	run(&lr, 1, "a-mutate b-kind r-stale", false);
	assert_true(lr.stats.isolated);
	assert_string_equal(only_msg(&lr, "r-stale"), "stale refused");
	lintrun_release(&lr);
}

/*
** A state keeps the tables something holds (the same table each time) and
** lets the collector take the others; a document used again is converted
** again, and counted once.
*/
static void test_engine_unheld_documents_are_collected(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "i-hold", false);
	assert_int_equal(lr.findings.n, 1);
	assert_string_equal(only_msg(&lr, "i-hold"), "held true, dropped true, again cm01");
	assert_int_equal(lr.stats.converted, 42);
	assert_false(lr.stats.isolated);
	lintrun_release(&lr);
}

/*
** Holding a part of a document (a table inside it) keeps the document: the
** part is still the part of the table a later use gets, and a change made
** through it long after its chunk is found.
*/
static void test_engine_held_parts_keep_their_document(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "m-part", false);
	assert_string_equal(only_msg(&lr, "m-part"), "part true");
	assert_false(lr.stats.isolated);
	lintrun_release(&lr);
	run(&lr, 1, "n-part-change b-kind", false);
	assert_blamed(&lr, "n-part-change");
	lintrun_release(&lr);
}

/*
** A rule that reads the whole set on every call: a document used again
** after its chunk is kept to the end, so its table is compared with the
** source twice at most, not once for every chunk of documents (5 here).
*/
static void test_engine_documents_used_again_are_kept(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "l-scan", false);
	assert_string_equal(only_msg(&lr, "l-scan"), "40 maps");
	assert_int_equal(lr.stats.converted, 40);
	assert_true(lr.stats.compared >= 40);
	assert_true(lr.stats.compared <= 2 * 40);
	assert_false(lr.stats.isolated);
	lintrun_release(&lr);
}

/* A held table changed after the chunk it was handed out in is found too. */
static void test_engine_late_mutation_is_caught(void **state)
{
	struct lintrun lr;

	(void)state;
	run(&lr, 1, "k-late b-kind", false);
	assert_blamed(&lr, "k-late");
	assert_true(lr.hard_error);
	lintrun_release(&lr);
}

/* Index of the finding of rule `code` whose message contains `part`. */
static size_t find_msg(const struct lintrun *lr, const char *code, const char *part)
{
	for (size_t i = 0; i < lr->findings.n; i++)
		if (!strcmp(lr->findings.v[i].d.code, code) &&
		    strstr(lr->findings.v[i].d.msg, part))
			return i;
	fail_msg("no %s finding with '%s'", code, part);
	return 0;
}

static void test_engine_collect_misuse(void **state)
{
	struct lintrun lr;
	const char *msg;

	(void)state;
	run(&lr, 2, "g-misuse h-nofinish", false);
	assert_int_equal(lr.findings.n, 3);
	msg = lr.findings.v[find_msg(&lr, "g-misuse", "cannot collect a function|")].d.msg;
	assert_non_null(strstr(msg, "|ctx:collect: value nested deeper than 64 (a cycle?)|"));
	assert_non_null(strstr(msg, "|ctx:collect: a table key must be a string, a number or a boolean, not a table|"));
	assert_non_null(strstr(msg, "a value expected"));
	assert_non_null(strstr(msg, "|ctx:collected is for finish()"));
	find_msg(&lr, "g-misuse", "ctx:collect is for check(); finish() reads the values with ctx:collected()");
	find_msg(&lr, "rule-error", "the rule has no finish() to read what it collects");
	lintrun_release(&lr);
}

/*
** Dealt (the rule tester), the documents go to two workers in turn and the
** finish() of a rule with check() runs in the second: a rule that keeps
** state between calls gets the same wrong answer on every run.
*/
static void test_engine_dealt_documents(void **state)
{
	struct strbuf all = STRBUF_INIT, odd = STRBUF_INIT;
	struct lintrun lr;

	(void)state;
	strbuf_init(&all);
	strbuf_init(&odd);
	for (int i = 0; i < 40; i++) {
		const char *pre = i == 17 || i == 30 ? "bad" : "cm";

		strbuf_addf(&all, "%s%s%02d", i ? " " : "", pre, i);
		if (i % 2)
			strbuf_addf(&odd, "%s%s%02d", i > 1 ? " " : "", pre, i);
	}
	run(&lr, 1, "s-state", false);
	assert_int_equal(lr.stats.workers, 1);
	assert_int_equal(lr.findings.n, 1);
	assert_string_equal(lr.findings.v[0].d.msg, all.buf);
	lintrun_release(&lr);
	run_dealt = true;
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		run(&lr, jobs, "s-state", false);
		assert_int_equal(lr.stats.workers, 2);
		assert_int_equal(lr.findings.n, 1);
		assert_string_equal(lr.findings.v[0].d.msg, odd.buf);
		lintrun_release(&lr);
	}
	run_dealt = false;
	strbuf_release(&all);
	strbuf_release(&odd);
}

/* A malformed rule: the state it half ran in is not kept for a worker. */
static void test_engine_no_warm_state_after_a_malformed_rule(void **state)
{
	struct engine_opts eo = { .jobs = 1 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct ruleset rs;
	char *bad = util_path_join(dir, "bad");

	(void)state;
	mkdir(bad, 0755);
	put("bad/a-ok.lua", RULE("a-ok", "check = function(obj, ctx) end"));
	put("bad/b-bad.lua", "local t = {} t.x = 1\nreturn 42\n");
	ruleset_init(&rs);
	assert_int_equal(ruleset_add_dir(&rs, bad, RULESET_RULES, &dl), 0);
	assert_int_equal(engine_check_rules(&rs, &eo, &dl), -1);
	assert_true(rs.v[0].valid);
	assert_false(rs.v[1].valid);
	assert_null(rs.warm);
	ruleset_release(&rs);
	diag_list_release(&dl);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_mutation_is_caught_and_isolated),
		cmocka_unit_test(test_engine_unheld_documents_are_collected),
		cmocka_unit_test(test_engine_late_mutation_is_caught),
		cmocka_unit_test(test_engine_documents_used_again_are_kept),
		cmocka_unit_test(test_engine_held_parts_keep_their_document),
		cmocka_unit_test(test_engine_metatables_and_stale_documents),
		cmocka_unit_test(test_engine_no_mutation_no_rerun),
		cmocka_unit_test(test_engine_failures_independent_of_workers),
		cmocka_unit_test(test_engine_converts_only_wanted_documents),
		cmocka_unit_test(test_engine_context_objects_are_not_reported),
		cmocka_unit_test(test_engine_warm_state_finds_what_a_fresh_one_does),
		cmocka_unit_test(test_engine_no_warm_state_after_a_malformed_rule),
		cmocka_unit_test(test_engine_collect_in_document_order),
		cmocka_unit_test(test_engine_collect_cap_independent_of_workers),
		cmocka_unit_test(test_engine_collect_misuse),
		cmocka_unit_test(test_engine_dealt_documents),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	util_intern_release();
	return rc;
}
