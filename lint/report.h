/*
** report.h: writing findings as text, JSON, SARIF 2.1.0 or GitHub workflow
** commands.  Pure formatting into a buffer; main.c prints it.
*/
#ifndef SK_REPORT_H
#define SK_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "finding.h"
#include "ruleset.h"
#include "strbuf.h"

/*
** Where rule docs live online (SARIF helpUri, --explain fallback); a fork
** sets its own with `make SK_REPO_URL=...`.
*/
#ifndef SK_REPO_URL
#define SK_REPO_URL "https://github.com/sparkgen/sparkgen"
#endif
#define REPORT_REPO_URL SK_REPO_URL

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB };

struct report_summary {
	size_t files, documents;	/* reported (not --context-only) */
	size_t findings;		/* not suppressed */
	size_t errors, warnings, infos;	/* not suppressed, by severity */
	size_t suppressed;
};

struct report_opts {
	enum report_format format;
	bool color;			/* text: ANSI colours */
	bool show_suppressed;		/* list suppressed findings too */
	bool quiet;			/* only findings >= min_level; no summary */
	enum diag_level min_level;	/* with quiet */
	int exit_code;			/* SARIF: the process's, for run.invocations */
	/*
	** SARIF and github only, borrowed, may be NULL: what stopped the run
	** before it linted (the configuration, a rule that did not load;
	** SARIF toolConfigurationNotifications), and what made it fail that is
	** no finding (SARIF toolExecutionNotifications).
	*/
	const struct diag_list *config_notes, *exec_notes;
};

/* "text"|"json"|"sarif"|"github" -> format, or -1. */
int report_format_parse(const char *s);

/* Count the findings of fl into sum (files and documents left alone). */
void report_count(struct report_summary *sum, const struct finding_list *fl);

/*
** Append the report of the sorted findings to `out`.  `rs` (borrowed)
** supplies the rule metadata for SARIF.  Returns 0, or -1 when memory ran
** out (out->oom).
*/
int report_write(struct strbuf *out, const struct finding_list *fl,
		 const struct ruleset *rs, const struct report_summary *sum,
		 const struct report_opts *o);

/* The SARIF artifact URI of a display path: relative when under the cwd. */
char *report_uri(const char *path, bool *relative);

/* Escape a GitHub workflow command value (`property`: also ':' and ','). */
void report_gh_escape(struct strbuf *sb, const char *s, bool property);

#endif
