/*
** worker.h: one Lua state of a lint run (internal to engine.c).  It holds
** the helper modules and rules, a ctx table per rule, the per-state cache
** document -> Lua table, and the findings its calls reported.
*/
#ifndef SK_WORKER_H
#define SK_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#include "collect.h"
#include "docset.h"
#include "finding.h"
#include "luahost.h"
#include "ruleset.h"
#include "selindex.h"
#include "selector.h"

/*
** Work the ctx methods may do for one call of check() or finish(), in
** units: one per object handed out or examined, WORKER_CTX_CALL per method
** call and per finding.  That work is done in C, which the instruction
** budget does not see; this bounds it deterministically (a wall-clock limit
** would not be), including the memory findings take.
*/
#define WORKER_CTX_BUDGET 20000000
#define WORKER_CTX_CALL 100

/*
** What a rule's findings hold in one state (ctx:report).  They live in C,
** outside the Lua cap, so they have a cap of their own, the same size, on
** their running total in document order (engine_report_rule); past it in
** this state a finding is not kept, and the rule fails there or earlier.
*/
struct worker_tally {
	size_t bytes;			/* finding_cost of the findings kept */
	size_t over_doc;		/* call doc of the first not kept (FINDING_NO_DOC: finish) */
	bool over;			/* one was not kept: none after it is */
};

struct worker {
	const struct ruleset *rs;	/* borrowed */
	const struct docset *ds;	/* borrowed */
	lua_State *L;
	int cache_ref;			/* registry: doc+1 -> table (weak values
					   unless keep) */
	int owner_ref;			/* registry: a table new with each cache,
					   that its documents' metatables hold
					   (luahost_push_doc, worker_doc_at) */
	int pin_ref;			/* registry: the tables handed out since the
					   last settle, as a sequence */
	int kept_ref;			/* registry: doc+1 -> table, kept to the end */
	int memo_ref;			/* registry: ctx:memo() table, reset with the cache */
	int msgh_ref;			/* registry: the message handler of rule calls */
	int verify_ref;			/* registry: worker_verify with its upvalues */
	int *check_ref, *finish_ref, *ctx_ref;	/* per rule; LUA_NOREF if none */
	bool keep;			/* the cache holds every table till the reset */
	unsigned char *doc_flags;	/* per doc: WORKER_DOC_* (worker.c) */
	size_t *pinned, npinned;	/* the docs pinned, in pin_ref's order */
	size_t nconverted;		/* docs converted since the reset */
	size_t nkept;			/* ... of them kept to the end (kept_ref) */
	size_t compared;		/* tables compared with their documents */
	bool changed;			/* a table was found changed */
	size_t cur_rule;		/* rule of the running call */
	size_t cur_doc;			/* doc of the running check(), else FINDING_NO_DOC */
	struct finding_list out;	/* what this state's calls found */
	size_t *fail_doc;		/* per rule: doc of its first check() failure */
	bool *failed;			/* per rule: failed in this state (stop calling) */
	char **gone;			/* per rule: why it was let go (a memory failure), else NULL */
	struct worker_tally *tally;	/* per rule: its findings here */
	unsigned err_line;		/* rule-file line of the last error, 0 = unknown */
	size_t ctx_work;		/* units of ctx work during this call */
	bool verbose;			/* keep tracebacks of rule errors, time the rules */
	double *busy;			/* per rule: seconds in its calls (verbose), else NULL */
	char *trace;			/* owned: traceback of the last error, or NULL */
	struct diag_list dl;		/* setup problems */
	/* scratch of ctx:select / ctx:selecting (no Lua allocation per call) */
	struct selector sel;
	struct selector_label labels[SELECTOR_MAX_TERMS];
	size_t nlabels;
	struct selindex_docs cand;	/* owned */
	/* ctx:collect, ctx:collected */
	struct collect *collect;	/* per rule: what its check() calls here collected */
	size_t collect_cap;		/* bytes a rule may collect (the Lua memory cap) */
	const struct collect_view *views;	/* per rule, for finish(): every worker's
					   values (the engine's; NULL before) */
};

/*
** What the modules and rules may take as they load, in every state: the
** part of a run's cap that does not grow with the input (lint/lintrun.c).
** The first state loads before the input is known, the others after; both
** load under this, so a rule that builds too much when loaded fails the
** same way for any -j.
*/
#define WORKER_LOAD_MEM ((size_t)64 << 20)

/* `lim` with its memory cap lowered to WORKER_LOAD_MEM. */
struct luahost_limits worker_load_limits(const struct luahost_limits *lim);

/*
** Create the state, load the modules and rules (the ones valid in rs)
** under worker_load_limits, then set `lim`.  Returns 0, or -1 with
** diagnostics in w->dl.
*/
int worker_init(struct worker *w, const struct ruleset *rs,
		const struct docset *ds, const struct luahost_limits *lim,
		bool verbose);
/*
** The same from a state that has them loaded already (engine_check_rules's,
** see ruleset.warm): the worker owns L from now on, even on failure.
*/
int worker_adopt(struct worker *w, const struct ruleset *rs,
		 const struct docset *ds, lua_State *L, int rules_ref,
		 const struct luahost_limits *lim, bool verbose);
void worker_release(struct worker *w);

/*
** Forget every converted document (fresh tables from now on).  A document's
** table lives while something holds it: the worker, from the first use to
** the next worker_settle (the engine settles after each chunk of documents,
** and once after the finish() calls), or what a rule or helper keeps of it
** or of a table inside it (ctx:memo(), an upvalue: every table of a
** document has a metatable that holds the whole); while it lives, every
** use gets that table.
** Unheld, the collector takes it, and the next use converts the document
** again: a state holds what its rules hold and the documents of a chunk,
** not every document it ever read.  A document used again after its
** settle, though, is kept to the end.  With `keep` the cache holds every
** table until the next reset (the rule-by-rule re-run: a rule that changed
** a document sees its change on every later use, as in one chunk).
*/
void worker_reset_cache(struct worker *w, bool keep);

/*
** Compare the tables handed out since the last settle with their source
** trees (a change is kept for worker_mutated), and let them go.
*/
void worker_settle(struct worker *w);

/* Call rule r's check() on doc d; a failure becomes a rule-error finding. */
int worker_check(struct worker *w, size_t r, size_t d);
/* Call rule r's finish(). */
int worker_finish(struct worker *w, size_t r);

/* Push doc d's table, converting it on first use (protected).  [-0, +1, m] */
void worker_push_doc(struct worker *w, size_t d);
/* Doc index of the table at idx, or -1 when it is not a document.  [-0, +0, e] */
long worker_doc_at(struct worker *w, int idx);

/* True when a document is a mapping that passes rule r's kinds and apiVersions filters. */
bool worker_wants(const struct lint_rule *r, const struct lint_doc *d);

/*
** Settle, and compare every table still held: true when a rule changed a
** document's table (a key, a value, a length or a metatable) since the
** reset.  A change is found if it was made before the table's settle, or
** later through a holder that keeps it to the end.
*/
bool worker_mutated(struct worker *w);

/*
** Record a rule-error finding for rule r from a failed call's diagnostic.
** The position is the innermost frame in the rule's own file when known.
*/
void worker_rule_error(struct worker *w, size_t r, size_t call_doc,
		       const struct diag *d);

/*
** Load a rule or module file, leaving the function on the stack: from the
** program's own bytecode for its text (s->chunk, found when the file was
** read; lib/embed.h, read in place), from the bytecode an earlier state
** kept, or from its text.  With `keep` (the single-threaded check of the
** rule files, before any worker starts), keep this compilation's bytecode
** for the workers, which then load instead of compiling.  Returns 0, or -1
** with a "rule-error" diagnostic.
*/
int worker_load_source(lua_State *L, struct lint_source *s, bool keep,
		       struct diag_list *dl);

/*
** Diagnostics from `from` on that have no file (memory exhaustion, a stack
** overflow: Lua gives no position) are about `s`: give them its file.
*/
void worker_blame(struct diag_list *dl, size_t from, const struct lint_source *s);

/*
** Run every helper module of rs in L and install each as a read-only global
** named after its file (`keep` as for worker_load_source).  Returns 0, or
** -1 with "rule-error" diagnostics.
*/
int worker_load_modules(lua_State *L, const struct ruleset *rs, bool keep,
			struct diag_list *dl);

#endif
