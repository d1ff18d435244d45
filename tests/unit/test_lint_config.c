/*
** test_lint_config.c: .sparklint.yaml parsing and path excludes (lint/config).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "util.h"

static int load(struct config *cfg, const char *text, struct diag_list *dl)
{
	config_init(cfg);
	diag_list_init(dl);
	return config_load_buffer(cfg, "cfg.yaml", text, strlen(text), "/proj", dl);
}

static void test_config_reads_every_key(void **state)
{
	struct config cfg;
	struct diag_list dl;
	const struct config_rule *r;

	(void)state;
	assert_int_equal(load(&cfg,
		"rules:\n"
		"  a: off\n"
		"  b: warning\n"
		"  c: {severity: info, options: {max: 3}}\n"
		"  d: {options: {x: y}}\n"
		"disable: [e]\n"
		"rulesDirs: [policies, /abs/rules]\n"
		"exclude: ['vendor', '*.tmp.yaml']\n", &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(config_rule(&cfg, "a")->severity, CONFIG_SEV_OFF);
	assert_int_equal(config_rule(&cfg, "b")->severity, DIAG_WARNING);
	r = config_rule(&cfg, "c");
	assert_int_equal(r->severity, DIAG_INFO);
	assert_non_null(r->options);
	assert_string_equal(r->options->u.map.v[0].key->text, "max");
	assert_int_equal(config_rule(&cfg, "d")->severity, CONFIG_SEV_DEFAULT);
	assert_int_equal(config_rule(&cfg, "e")->severity, CONFIG_SEV_OFF);
	assert_null(config_rule(&cfg, "zzz"));
	assert_int_equal(cfg.nrules_dirs, 2);
	assert_string_equal(cfg.rules_dirs[0], "/proj/policies");
	assert_string_equal(cfg.rules_dirs[1], "/abs/rules");
	assert_int_equal(cfg.rules_dirs_pos[0].line, 7);
	assert_int_equal(cfg.nexclude, 2);
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_disable_wins_over_rules(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg, "rules: {a: error}\ndisable: [a]\n", &dl), 0);
	assert_int_equal(config_rule(&cfg, "a")->severity, CONFIG_SEV_OFF);
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_unknown_key_has_position(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg, "rules: {}\n\nexlude: [x]\n", &dl), -1);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.v[0].code, "config");
	assert_int_equal(dl.v[0].pos.line, 3);
	assert_int_equal(dl.v[0].pos.col, 1);
	assert_string_equal(dl.v[0].pos.file, "cfg.yaml");
	assert_non_null(strstr(dl.v[0].msg, "unknown key 'exlude'"));
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_reports_every_problem(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg,
		"rules:\n"
		"  a: loud\n"
		"  b: {severity: off, opts: {}}\n"
		"  c: {options: [1]}\n"
		"disable: x\n"
		"exclude: [1, '']\n", &dl), -1);
	assert_int_equal(dl.n, 6);
	assert_int_equal(dl.v[0].pos.line, 2);
	assert_int_equal(dl.v[0].pos.col, 6);
	assert_non_null(strstr(dl.v[1].msg, "unknown key 'opts' in the settings of rule 'b'"));
	assert_non_null(strstr(dl.v[2].msg, "'options' must be a mapping"));
	assert_non_null(strstr(dl.v[3].msg, "'disable' must be a list"));
	assert_int_equal(dl.v[4].pos.line, 6);
	assert_int_equal(dl.v[4].pos.col, 11);
	assert_int_equal(dl.v[5].pos.col, 14);
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_key_that_is_not_a_string(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg,
		"rules: {~: off}\n"
		"rules2: x\n", &dl), -1);
	assert_int_equal(dl.n, 2);
	assert_string_equal(dl.v[0].msg, "a rule id must be a string, not null");
	assert_int_equal(dl.v[0].pos.line, 1);
	assert_int_equal(dl.v[0].pos.col, 9);
	assert_int_equal(cfg.nrules, 0);	/* no rule named "null" */
	config_release(&cfg);
	diag_list_release(&dl);

	assert_int_equal(load(&cfg,
		"rules:\n"
		"  ~: off\n"
		"  1: off\n"
		"  true: {~: warning}\n"
		"  a: {null: warning}\n"
		"null: x\n"
		"1.5: y\n", &dl), -1);
	assert_int_equal(dl.n, 6);
	assert_string_equal(dl.v[0].msg, "a rule id must be a string, not null");
	assert_int_equal(dl.v[0].pos.line, 2);
	assert_int_equal(dl.v[0].pos.col, 3);
	assert_string_equal(dl.v[1].msg, "a rule id must be a string, not a number");
	assert_string_equal(dl.v[2].msg, "a rule id must be a string, not a boolean");
	assert_int_equal(dl.v[2].pos.line, 4);
	assert_string_equal(dl.v[3].msg, "a key must be a string, not null "
			    "(expected severity or options)");
	assert_int_equal(dl.v[3].pos.line, 5);	/* true's settings go unread */
	assert_int_equal(dl.v[3].pos.col, 7);
	assert_string_equal(dl.v[4].msg, "a key must be a string, not null "
			    "(expected rules, disable, rulesDirs or exclude)");
	assert_int_equal(dl.v[4].pos.line, 6);
	assert_string_equal(dl.v[5].msg, "a key must be a string, not a number "
			    "(expected rules, disable, rulesDirs or exclude)");
	assert_int_equal(cfg.nrules, 1);	/* a */
	config_release(&cfg);
	diag_list_release(&dl);

	/* quoted, it is a string: a rule id (an unknown one, for ruleset) */
	assert_int_equal(load(&cfg, "rules: {\"null\": off, '1': off}\n", &dl), 0);
	assert_int_equal(config_rule(&cfg, "null")->severity, CONFIG_SEV_OFF);
	assert_int_equal(config_rule(&cfg, "1")->severity, CONFIG_SEV_OFF);
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_list_items_say_what_they_are(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg, "disable: [~, 3, {a: b}, [], '', a]\n", &dl), -1);
	assert_int_equal(dl.n, 5);
	assert_string_equal(dl.v[0].msg, "'disable' entries must be non-empty strings, not null");
	assert_int_equal(dl.v[0].pos.col, 11);
	assert_string_equal(dl.v[1].msg, "'disable' entries must be non-empty strings, not a number");
	assert_string_equal(dl.v[2].msg, "'disable' entries must be non-empty strings, not a mapping");
	assert_string_equal(dl.v[3].msg, "'disable' entries must be non-empty strings, not a list");
	assert_string_equal(dl.v[4].msg, "'disable' entries must be non-empty strings, "
			    "not an empty string");
	assert_int_equal(dl.v[4].pos.col, 29);
	assert_int_equal(cfg.nrules, 1);
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_root_must_be_a_map(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg, "- a\n- b\n", &dl), -1);
	assert_non_null(strstr(dl.v[0].msg, "must be a mapping"));
	config_release(&cfg);
	diag_list_release(&dl);
	assert_int_equal(load(&cfg, "# nothing but a comment\n", &dl), 0);	/* empty is fine */
	config_release(&cfg);
	diag_list_release(&dl);
	assert_int_equal(load(&cfg, "rules: [\n", &dl), -1);	/* YAML error */
	assert_string_equal(dl.v[0].code, "yaml");
	config_release(&cfg);
	diag_list_release(&dl);
}

static void test_config_glob_matches_path_and_parents(void **state)
{
	(void)state;
	assert_true(config_glob_match("vendor", "vendor/a/b.yaml"));
	assert_true(config_glob_match("vendor/", "vendor/a.yaml"));
	assert_true(config_glob_match("./vendor", "vendor/a.yaml"));
	assert_true(config_glob_match("*.tmp.yaml", "deploy/x.tmp.yaml"));
	assert_true(config_glob_match("deploy/*/secret.yaml", "deploy/app/secret.yaml"));
	assert_false(config_glob_match("vendor", "src/vendor2/a.yaml"));
	assert_false(config_glob_match("*.json", "a.yaml"));
	/* "/" anchors at the config's directory; "**" + "/" matches there too */
	assert_true(config_glob_match("/vendor", "vendor/a.yaml"));
	assert_false(config_glob_match("/vendor", "src/vendor/a.yaml"));
	assert_true(config_glob_match("**/vendor", "vendor/a.yaml"));
	assert_true(config_glob_match("**/vendor", "src/vendor/a.yaml"));
	assert_true(config_glob_match("**/*.generated.yaml", "x.generated.yaml"));
	assert_false(config_glob_match("**/vendor", "vendor2/a.yaml"));
}

static void test_config_excluded_is_relative_to_the_config_dir(void **state)
{
	struct config cfg;
	struct diag_list dl;

	(void)state;
	assert_int_equal(load(&cfg, "exclude: [vendor, 'gen/*.yaml']\n", &dl), 0);
	assert_true(config_excluded(&cfg, "/proj/vendor/x.yaml"));
	assert_true(config_excluded(&cfg, "/proj/gen/a.yaml"));
	assert_false(config_excluded(&cfg, "/proj/src/x.yaml"));
	assert_false(config_excluded(&cfg, "/other/vendor/x.yaml"));
	assert_false(config_excluded(&cfg, "/projvendor/x.yaml"));
	config_release(&cfg);
	diag_list_release(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_reads_every_key),
		cmocka_unit_test(test_config_disable_wins_over_rules),
		cmocka_unit_test(test_config_unknown_key_has_position),
		cmocka_unit_test(test_config_reports_every_problem),
		cmocka_unit_test(test_config_key_that_is_not_a_string),
		cmocka_unit_test(test_config_list_items_say_what_they_are),
		cmocka_unit_test(test_config_root_must_be_a_map),
		cmocka_unit_test(test_config_glob_matches_path_and_parents),
		cmocka_unit_test(test_config_excluded_is_relative_to_the_config_dir),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	util_intern_release();
	return rc;
}
