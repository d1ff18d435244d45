/*
** lintrun.h: one lint run from start to end: load the inputs, build the
** document set, run the engine, apply suppressions, sort, count.  Shared by
** the linting CLI and --test-rules.
*/
#ifndef SK_LINTRUN_H
#define SK_LINTRUN_H

#include <stdbool.h>

#include "config.h"
#include "docset.h"
#include "engine.h"
#include "finding.h"
#include "input.h"
#include "report.h"
#include "ruleset.h"

struct lintrun {
	struct input_set in;		/* files, filled by the caller (input_add) */
	struct docset ds;
	struct finding_list findings;	/* sorted, suppressions applied */
	struct report_summary sum;
	struct engine_stats stats;
	size_t reported_docs;		/* documents in reported files */
	size_t reported_objects;	/* ... that are objects: mappings with a kind */
	bool hard_error;		/* an io/yaml/rule-error/config finding: exit 2 */
	bool report_unused;		/* set by the caller: --report-unused-ignores */
	bool unused_selected;		/* ... and --rule chose the rules */
};

/* The code of a finding about a suppression that silenced nothing. */
#define LINTRUN_UNUSED_CODE "unused-ignore"

void lintrun_init(struct lintrun *lr);
void lintrun_release(struct lintrun *lr);

/*
** Load lr->in, run the rules of rs, apply suppressions and sort.  Input
** problems become findings.  Returns 0, or -1 when the engine could not
** run at all (diagnostics in dl).
*/
int lintrun_run(struct lintrun *lr, struct ruleset *rs,
		const struct engine_opts *eo, struct diag_list *dl);

/*
** Mark findings silenced by an annotation or a line comment.  With
** lr->report_unused, also add an "unused-ignore" finding (an error, not a
** hard one: exit 1) for each suppression id in a reported file that names
** no rule of rs or silenced no finding.
*/
void lintrun_suppress(struct lintrun *lr, const struct ruleset *rs);

#endif
