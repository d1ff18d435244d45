/*
** fixtures.h: `sparklint --test-rules DIR [--fixtures FDIR]`.  For each rule
** DIR/<id>.lua the fixtures are FDIR/<id>/ (default DIR/tests/<id>/, else
** DIR/../tests/rules/<id>/): pass.yaml must give no finding from the rule;
** in fail.yaml each line marked "# expect: <id>" (optionally "col=N",
** several comma-separated) must get exactly that finding.  One TAP line per
** fixture file.
*/
#ifndef SK_FIXTURES_H
#define SK_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "engine.h"
#include "strbuf.h"

struct fixture_expect {
	unsigned line;		/* 1-based */
	unsigned col;		/* 0 = any column */
	bool matched;
};

/*
** Collect the markers for rule `id` in `text` into *v (caller frees).
** Markers for other rules are skipped.  A malformed marker is an error
** ("fixture" diagnostic at file:line) and returns -1.
*/
int fixtures_parse(const char *file, const char *text, size_t len,
		   const char *id, struct fixture_expect **v, size_t *n,
		   struct diag_list *dl);

struct fixtures_opts {
	const char *rules_dir;		/* DIR */
	const char *fixtures_dir;	/* FDIR, or NULL */
	const char *builtin_dir;	/* for rules/lib modules; may be NULL */
	struct engine_opts engine;
};

/*
** Run every rule's fixtures, appending TAP lines to `out`.  *failed is set
** when any line is "not ok".  Returns 0, or -1 when the rules directory
** itself cannot be read (diagnostics in dl).
*/
int fixtures_run(struct strbuf *out, const struct fixtures_opts *o,
		 bool *failed, struct diag_list *dl);

#endif
