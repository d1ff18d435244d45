/*
** engine.h: running the rules of a ruleset over a document set.
**
** Each worker thread owns one sandboxed Lua state holding every rule; check()
** calls are partitioned by document, the rules with only finish() run on the
** first worker meanwhile, the other finish() calls are partitioned by rule
** and get what their rule's check() calls collected (ctx:collect, in
** document order; collect.h); results are merged so that the output is the
** same for any number of workers.
** Documents are converted to Lua lazily and shared by the rules of a state
** while the table lives (worker.h: worker_reset_cache).  Each table is
** compared with its source when the worker lets it go, and the ones still
** held at the end; if a rule changed one, the run is repeated with fresh
** tables per rule and that rule gets a rule-error.  A rule that fails (error,
** instruction budget, memory cap) gets one rule-error finding, for the first
** document (in order) it failed on, and is not called again.
*/
#ifndef SK_ENGINE_H
#define SK_ENGINE_H

#include <stdbool.h>

#include "docset.h"
#include "finding.h"
#include "luahost.h"
#include "ruleset.h"

struct engine_opts {
	unsigned jobs;			/* worker threads, >= 1 */
	bool jobs_auto;			/* jobs is only the most: fewer on few documents */
	bool dealt;			/* for the rule tester: two workers whatever
					   jobs says, the documents some rule checks
					   dealt to them in turn (the 1st, 3rd, ... to
					   the first), every finish() that follows
					   check() in the second: a rule whose results
					   depend on the split (state kept between
					   calls) shows it, and the split is the same
					   on every run */
	struct luahost_limits limits;	/* per Lua state and per call */
	bool verbose;			/* rules' print() goes to stderr */
	bool exiting;			/* the process ends after this run: its Lua
					   states are left to it, not closed (that and
					   freeing the documents took 0.17-0.2 s at -j1
					   on the benchmark's files); ignored when
					   SK_SANITIZED */
};

/* Counters of the last run, for tests and --verbose. */
struct engine_stats {
	unsigned workers;		/* Lua states used */
	bool isolated;			/* re-run with fresh tables per rule */
	size_t converted;		/* documents converted to Lua (all states) */
	size_t compared;		/* tables compared with their source (all states) */
	double t_init, t_check, t_finish;	/* seconds: states; check() and the finish-only
					   rules; other finish() + verify */
	size_t lua_bytes;		/* largest Lua state after the run */
	size_t lua_docs;		/* what its documents took, converted once each
					   (luahost_mem_docs: not all live now) */
	double *rule_s;			/* per rule (in rs order), seconds in its calls summed
					   over the states; only when verbose, else NULL;
					   the caller frees it */
};

/*
** Load every module and rule of rs in a Lua state and check each rule
** (ruleset_read); also sorts rs.  Malformed rules are marked invalid and
** described in dl ("rule-error" at file:line).  Returns 0, or -1 when any
** rule or module is malformed.  When none is, the state is kept in rs->warm
** and the next engine_run takes it for its first worker.
*/
int engine_check_rules(struct ruleset *rs, const struct engine_opts *o,
		       struct diag_list *dl);

/*
** Run the enabled, valid rules of rs over ds.  Appends rule findings and
** rule-error findings to `out` (unsorted, suppression not applied); findings
** about context-only documents are dropped.  Returns 0, or -1 when the run
** could not happen at all (a Lua state could not be set up: diagnostics in
** dl).  `stats` may be NULL.  Takes rs->warm (see engine_check_rules).
*/
int engine_run(struct ruleset *rs, const struct docset *ds,
	       const struct engine_opts *o, struct finding_list *out,
	       struct engine_stats *stats, struct diag_list *dl);

#endif
