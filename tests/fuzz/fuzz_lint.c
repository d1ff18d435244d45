/*
** tests/fuzz/fuzz_lint.c: sparklint's pipeline (lint/) on arbitrary
** manifests with every built-in rule: load, document set, engine (one
** worker), suppressions (with --report-unused-ignores), sorting, and all
** four report formats.  The input
** is written to a temp file because the input set reads paths.
**
** Oracles: every finding has a code and a message and points inside the
** input; the JSON and SARIF reports parse as JSON; and no built-in rule
** fails (a "rule-error" from rules/ on some manifest is a bug in that rule:
** sparklint would exit 2).  FUZZ_LINT_ALLOW_RULE_ERRORS=1 turns the last
** one off, to look for crashes only.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "engine.h"
#include "finding.h"
#include "lintrun.h"
#include "report.h"
#include "ruleset.h"
#include "strbuf.h"

#include "fuzz_common.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif
#define FUZZ_MAX_INPUT (256u << 10)

static struct ruleset fuzz_rules;
static struct engine_opts fuzz_eo;
static char fuzz_path[256];
static bool fuzz_allow_rule_errors;

static void remove_input(void)
{
	unlink(fuzz_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	const char *tmp = getenv("TMPDIR"), *allow;

	(void)argc;
	(void)argv;
	ruleset_init(&fuzz_rules);
	fuzz_eo.jobs = 1;		/* deterministic: no threads */
	fuzz_eo.limits.time_ms = 60000;	/* as the CLI: the instruction budget decides */
	if (ruleset_add_dir(&fuzz_rules, FUZZ_ROOT "/rules", RULESET_RULES |
			    RULESET_LIB | RULESET_BUILTIN, &dl) < 0 ||
	    engine_check_rules(&fuzz_rules, &fuzz_eo, &dl) < 0 ||
	    ruleset_configure(&fuzz_rules, NULL, &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("the built-in rules do not load from %s/rules", FUZZ_ROOT);
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/sk-fuzz-lint-%ld.yaml",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid());
	atexit(remove_input);
	allow = getenv("FUZZ_LINT_ALLOW_RULE_ERRORS");
	fuzz_allow_rule_errors = allow && *allow && strcmp(allow, "0");
	diag_list_release(&dl);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	FILE *fp = fopen(fuzz_path, "wb");

	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		fuzz_bug("cannot write %s", fuzz_path);
}

static void check_findings(const struct lintrun *lr, unsigned lines)
{
	for (size_t i = 0; i < lr->findings.n; i++) {
		const struct finding *f = &lr->findings.v[i];

		if (!f->d.code || !f->d.msg)
			fuzz_bug("finding %zu has no code or message", i);
		/*
		** libyaml puts an error at end of input on the line after the
		** last one when the input lacks a final newline; fuzz_ydoc
		** checks that strictly (tests/fuzz/regress/ydoc/), here it is
		** let through so lint fuzzing can look past it.
		*/
		if (f->d.pos.line > lines + !strcmp(f->d.code, "yaml"))
			fuzz_bug("finding %zu [%s] at line %u; the input has %u lines",
				 i, f->d.code, f->d.pos.line, lines);
		if (!fuzz_allow_rule_errors && !strcmp(f->d.code, "rule-error")) {
			diag_print(stderr, &f->d, false);
			fuzz_bug("a built-in rule failed on this input");
		}
	}
}

/* Every format must render; JSON and SARIF must be JSON. */
static void reports(const struct lintrun *lr)
{
	static const enum report_format fmts[] = {
		REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB
	};

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct report_opts ro = { .format = fmts[i], .show_suppressed = true };
		struct strbuf out = STRBUF_INIT;
		json_error_t err;
		json_t *j;

		if (report_write(&out, &lr->findings, &fuzz_rules, &lr->sum, &ro) < 0)
			fuzz_bug("report_write failed (format %d)", (int)fmts[i]);
		if (fmts[i] == REPORT_JSON || fmts[i] == REPORT_SARIF) {
			j = json_loadb(out.buf ? out.buf : "", out.len, 0, &err);
			if (!j) {
				fprintf(stderr, "%s\n", out.buf);
				fuzz_bug("format %d report is not JSON: %s at %d",
					 (int)fmts[i], err.text, err.position);
			}
			json_decref(j);
		}
		strbuf_release(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct lintrun lr;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	write_input(data, size);
	lintrun_init(&lr);
	lr.report_unused = true;
	if (input_add(&lr.in, fuzz_path, true, NULL, &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("input_add refused the temp file");
	}
	if (lintrun_run(&lr, &fuzz_rules, &fuzz_eo, &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("the engine could not run");
	}
	if (getenv("FUZZ_VERBOSE"))
		for (size_t i = 0; i < lr.findings.n; i++)
			diag_print(stderr, &lr.findings.v[i].d, false);
	check_findings(&lr, fuzz_count_lines(data, size));
	reports(&lr);
	lintrun_release(&lr);
	diag_list_release(&dl);
	return 0;
}
