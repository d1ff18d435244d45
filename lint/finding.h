/*
** finding.h: what sparklint reports.  A finding is a diagnostic (position,
** severity, rule id, message, hint) plus the identity of the Kubernetes
** object it is about and whether a suppression matched it.
*/
#ifndef SK_FINDING_H
#define SK_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define FINDING_NO_DOC ((size_t)-1)	/* not about a document */

struct finding {
	struct diag d;		/* d.code: rule id or "yaml", "io", "rule-error", "config" (borrowed) */
	const char *api_version, *kind, *ns, *name;	/* borrowed; NULL when absent */
	size_t doc;		/* docset index of the object, or FINDING_NO_DOC */
	size_t rule;		/* ruleset index of the reporting rule, or (size_t)-1 */
	size_t call_doc;	/* doc whose check() made it; FINDING_NO_DOC for finish() */
	const char *reason;	/* borrowed: suppression reason, may be NULL */
	bool suppressed;
	bool dropped;		/* past its rule's cap on findings: never reported */
};

struct finding_list {
	struct finding *v;
	size_t n, alloc;
};

#define FINDING_LIST_INIT { NULL, 0, 0 }

void finding_list_init(struct finding_list *fl);
/* Frees messages and hints; the list can be reused. */
void finding_list_release(struct finding_list *fl);
/*
** Append a finding without an object; takes ownership of `msg` and `hint`
** (either may be NULL: msg then becomes "").  Returns the new element.
*/
struct finding *finding_add(struct finding_list *fl, enum diag_level lvl,
			    const char *code, struct diag_pos pos, char *msg,
			    char *hint);
/*
** The bytes a finding with this message and hint holds, for the cap on a
** rule's findings: the text, the struct, and a fixed allowance for the
** allocator's headers.
*/
size_t finding_cost(const char *msg, const char *hint);

/* Append copies of every diagnostic of `dl` (no object). */
void finding_add_diags(struct finding_list *fl, const struct diag_list *dl);
/* Move every element of `src` to the end of `dst`; `src` ends empty. */
void finding_list_move(struct finding_list *dst, struct finding_list *src);
/* Remove elements for which keep() is false, freeing their text. */
void finding_list_filter(struct finding_list *fl,
			 bool (*keep)(const struct finding *f, void *arg),
			 void *arg);
/*
** The order finding_list_sort uses: file, line, column, rule id, message,
** level, suppressed, hint; 0 when the two say the same in every one.
*/
int finding_compare(const struct finding *a, const struct finding *b);
/* Sort by finding_compare (total and stable). */
void finding_list_sort(struct finding_list *fl);

#endif
