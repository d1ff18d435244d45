/*
** lintrun.c: the lint pipeline (see lintrun.h).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lintrun.h"
#include "strbuf.h"
#include "suggest.h"
#include "suppress.h"
#include "util.h"

#define LINTRUN_BASE_MEM ((size_t)64 << 20)	/* per Lua state, for the rules */

void lintrun_init(struct lintrun *lr)
{
	memset(lr, 0, sizeof(*lr));
	input_init(&lr->in);
	finding_list_init(&lr->findings);
}

void lintrun_release(struct lintrun *lr)
{
	finding_list_release(&lr->findings);
	docset_release(&lr->ds);
	input_release(&lr->in);
	free(lr->stats.rule_s);
	memset(lr, 0, sizeof(*lr));
}

/* A finding a suppression may silence: one a rule reported on an object. */
static bool lintrun_suppressible(const struct finding *f)
{
	return f->doc != FINDING_NO_DOC && f->rule != (size_t)-1 &&
	       strcmp(f->d.code, "rule-error");
}

static struct suppress_lines *lintrun_lines(struct lintrun *lr,
					    struct suppress_lines **cache,
					    size_t file)
{
	size_t len;
	char *buf;

	if (cache[file])
		return cache[file];
	cache[file] = xcalloc(1, sizeof(**cache));
	buf = lr->in.v[file].marked ? input_take_text(&lr->in, file, &len) : NULL;
	if (!buf) {
		buf = xstrdup("");
		len = 0;
	}
	suppress_lines_init(cache[file], buf, len);
	return cache[file];
}

/*
** A suppression id that silenced a finding: the address of the id in its
** text, and whose text that is (a document for an annotation: equal
** annotation texts may share storage; ds.n + file for a comment).
*/
struct lintrun_use {
	size_t owner;
	const char *id;
};

struct lintrun_uses {
	struct lintrun_use *v;
	size_t n, alloc;
};

static void lintrun_use(struct lintrun_uses *u, size_t owner, const char *id)
{
	if (u->n == u->alloc) {
		u->alloc = u->alloc ? 2 * u->alloc : 16;
		u->v = xrealloc(u->v, u->alloc * sizeof(*u->v));
	}
	u->v[u->n].owner = owner;
	u->v[u->n++].id = id;
}

static int lintrun_use_cmp(const void *pa, const void *pb)
{
	const struct lintrun_use *a = pa, *b = pb;
	uintptr_t x = (uintptr_t)a->id, y = (uintptr_t)b->id;

	if (a->owner != b->owner)
		return a->owner < b->owner ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* What --report-unused-ignores judges with (lintrun_unused). */
struct lintrun_judge {
	const struct ruleset *rs;
	const struct lintrun_uses *uses;	/* sorted */
	const bool *failed;		/* per rule: it failed, its findings are partial */
	bool selected;			/* --rule chose the rules that ran */
	bool judge_all;			/* every rule ran and none failed */
	const char **ids;		/* the rule ids, for "did you mean" */
	struct finding_list out;
};

/*
** One id of a suppression, at `pos`: reported when it names no rule, or
** when it silenced nothing although its rule was judged here.  A rule the
** configuration turns off is judged (its suppressions silence nothing); one
** left out by --rule, or that failed, is not, nor is 'all' then.
*/
static void lintrun_judge_id(struct lintrun_judge *J, size_t owner,
			     const char *id, size_t idlen, struct diag_pos pos,
			     const struct lint_doc *d, size_t doc)
{
	struct lintrun_use key = { owner, id };
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	char *name = xstrndup(id, idlen);
	const struct lint_rule *r = ruleset_find(J->rs, name);
	bool all = !strcmp(name, "all");
	struct finding *f;

	strbuf_init(&msg);
	strbuf_init(&hint);
	if (all || r) {
		if (all ? !J->judge_all :
		    J->failed[r - J->rs->v] || (J->selected && !r->enabled))
			goto out;
		if (J->uses->n && bsearch(&key, J->uses->v, J->uses->n, sizeof(key),
					  lintrun_use_cmp))
			goto out;
		if (all)
			strbuf_addstr(&msg, "the suppression of all rules silenced no finding");
		else
			strbuf_addf(&msg, "the suppression of rule '%s' silenced no "
				    "finding%s", name, r->enabled ? "" :
				    " (the configuration turns the rule off)");
		strbuf_addf(&hint, "remove '%s' from the suppression: one left "
			    "behind hides the next real finding", name);
	} else {
		const char *near = suggest_closest(name, J->ids, J->rs->n);

		strbuf_addf(&msg, "the suppression names an unknown rule '%s'", name);
		if (near)
			strbuf_addf(&msg, "; did you mean '%s'?", near);
		strbuf_addstr(&hint, "fix the rule id (sparklint --list-rules lists them)");
	}
	f = finding_add(&J->out, DIAG_ERROR, LINTRUN_UNUSED_CODE, pos,
			strbuf_detach(&msg, NULL), strbuf_detach(&hint, NULL));
	if (d) {
		f->doc = doc;
		f->api_version = d->api_version;
		f->kind = d->kind;
		f->ns = d->ns;
		f->name = d->name;
	}
out:
	strbuf_release(&msg);
	strbuf_release(&hint);
	free(name);
}

#define LINTRUN_UNUSED_MAX 1000	/* unused-ignore findings listed, then one more */

/* Code points in s[0, n): the column convention of every position. */
static unsigned lintrun_codepoints(const char *s, size_t n)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/* The annotation of the documents d0 .. d1-1, one file's (lintrun_unused). */
static void lintrun_unused_annotations(struct lintrun_judge *J,
				       const struct lintrun *lr, size_t d0, size_t d1)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	for (size_t i = d0; i < d1 && J->out.n <= LINTRUN_UNUSED_MAX; i++) {
		const struct lint_doc *d = &lr->ds.v[i];
		struct diag_pos pos;

		if (!d->reported || !d->ignore)
			continue;
		pos = (struct diag_pos){ d->file_name, d->ignore_node->line,
					 d->ignore_node->col };
		suppress_iter_init(&it, d->ignore, strlen(d->ignore));
		while (J->out.n <= LINTRUN_UNUSED_MAX &&
		       suppress_iter_next(&it, &id, &idlen))
			lintrun_judge_id(J, i, id, idlen, pos, d, i);
	}
}

/* The suppression comments of file k (lintrun_unused). */
static void lintrun_unused_comments(struct lintrun_judge *J, struct lintrun *lr,
				    struct suppress_lines **cache, size_t k)
{
	const struct suppress_lines *sl;
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	if (!lr->in.v[k].reported || !lr->in.v[k].marked)
		return;
	sl = lintrun_lines(lr, cache, k);
	for (unsigned no = 1; no <= sl->n && J->out.n <= LINTRUN_UNUSED_MAX; no++) {
		const char *line, *list;
		size_t len, listlen;
		bool alone;

		if (!suppress_lines_get(sl, no, &line, &len) ||
		    !suppress_comment(line, len, &list, &listlen, &alone))
			continue;
		suppress_iter_init(&it, list, listlen);
		while (J->out.n <= LINTRUN_UNUSED_MAX &&
		       suppress_iter_next(&it, &id, &idlen)) {
			struct diag_pos pos = { lr->in.v[k].name, no,
				1 + lintrun_codepoints(line, (size_t)(id - line)) };

			lintrun_judge_id(J, lr->ds.n + k, id, idlen, pos, NULL, 0);
		}
	}
}

/*
** --report-unused-ignores: every suppression in the reported files, file
** by file, each id judged (lintrun_judge_id).  Annotations are found in
** the documents; comments by reading again the files whose text may hold
** one.  Ids are cheap to write and each costs a finding: past
** LINTRUN_UNUSED_MAX findings one more says that the list stops there.
*/
static void lintrun_unused(struct lintrun *lr, const struct ruleset *rs,
			   struct suppress_lines **cache, struct lintrun_uses *uses)
{
	struct lintrun_judge J = { rs, uses, NULL, lr->unused_selected,
				   !lr->unused_selected, NULL, FINDING_LIST_INIT };
	bool *failed = xcalloc(rs->n ? rs->n : 1, sizeof(*failed));
	size_t d0 = 0, d1;

	for (size_t i = 0; i < lr->findings.n; i++) {
		const struct finding *f = &lr->findings.v[i];

		if (!f->d.code || strcmp(f->d.code, "rule-error"))
			continue;
		J.judge_all = false;
		if (f->rule != (size_t)-1)
			failed[f->rule] = true;
	}
	J.failed = failed;
	J.ids = xcalloc(rs->n + 1, sizeof(*J.ids));
	for (size_t k = 0; k < rs->n; k++)
		J.ids[k] = rs->v[k].id;
	if (uses->n)	/* qsort and bsearch want an array, even of none */
		qsort(uses->v, uses->n, sizeof(*uses->v), lintrun_use_cmp);

	for (size_t k = 0; k < lr->in.n && J.out.n <= LINTRUN_UNUSED_MAX; k++) {
		for (d1 = d0; d1 < lr->ds.n && lr->ds.v[d1].file == k; d1++)
			;
		lintrun_unused_annotations(&J, lr, d0, d1);
		lintrun_unused_comments(&J, lr, cache, k);
		d0 = d1;
	}
	if (J.out.n > LINTRUN_UNUSED_MAX) {
		struct finding *last = &J.out.v[J.out.n - 1];
		struct strbuf msg = STRBUF_INIT;

		strbuf_init(&msg);
		strbuf_addf(&msg, "more than %d suppressions silence nothing or name "
			    "no rule; the list stops here", LINTRUN_UNUSED_MAX);
		free(last->d.msg);
		free(last->d.hint);
		last->d.msg = strbuf_detach(&msg, NULL);
		last->d.hint = xstrdup("fix the ones listed, then run again for the rest");
	}
	finding_list_move(&lr->findings, &J.out);
	free(J.ids);
	free(failed);
}

void lintrun_suppress(struct lintrun *lr, const struct ruleset *rs)
{
	struct suppress_lines **cache = xcalloc(lr->in.n ? lr->in.n : 1,
						sizeof(*cache));
	struct lintrun_uses uses = { NULL, 0, 0 };

	for (size_t i = 0; i < lr->findings.n; i++) {
		struct finding *f = &lr->findings.v[i];
		const struct lint_doc *d;
		const char *reason, *by;

		if (!lintrun_suppressible(f))
			continue;
		d = &lr->ds.v[f->doc];
		if (d->ignore && (by = suppress_list_find(d->ignore, strlen(d->ignore),
							  f->d.code))) {
			f->suppressed = true;
			f->reason = d->ignore_reason;
			lintrun_use(&uses, f->doc, by);
		} else if (suppress_lines_match(lintrun_lines(lr, cache, d->file),
						f->d.pos.line, f->d.code, &reason, &by)) {
			f->suppressed = true;
			f->reason = reason;
			lintrun_use(&uses, lr->ds.n + d->file, by);
		}
	}
	if (lr->report_unused && rs)
		lintrun_unused(lr, rs, cache, &uses);
	for (size_t i = 0; i < lr->in.n; i++)
		if (cache[i]) {
			suppress_lines_release(cache[i]);
			free(cache[i]);
		}
	free(cache);
	free(uses.v);
}

static void lintrun_count(struct lintrun *lr)
{
	lr->sum.files = lr->sum.documents = 0;
	for (size_t i = 0; i < lr->in.n; i++)
		if (lr->in.v[i].reported) {
			lr->sum.files++;
			lr->sum.documents += lr->in.v[i].ys.ndocs;
		}
	lr->reported_docs = lr->sum.documents;
	report_count(&lr->sum, &lr->findings);
	for (size_t i = 0; i < lr->findings.n; i++) {
		const struct finding *f = &lr->findings.v[i];

		if (f->rule == (size_t)-1 ? !f->d.code ||
		    strcmp(f->d.code, LINTRUN_UNUSED_CODE) :
		    !strcmp(f->d.code, "rule-error"))
			lr->hard_error = true;
	}
}

/*
** Unless the caller set one, the memory cap of each Lua state: what the
** rules make, the converted documents aside (luahost.h).  Their caches of
** derived values grow with the input: on the benchmark corpus the rules
** hold about 2.3 bytes per byte of YAML after a full collection.
*/
static const struct engine_opts *lintrun_limits(const struct engine_opts *eo,
						const struct input_set *in,
						struct engine_opts *copy)
{
	*copy = *eo;
	if (!copy->limits.mem_bytes)
		copy->limits.mem_bytes = LINTRUN_BASE_MEM + 4 * input_bytes(in);
	return copy;
}

int lintrun_run(struct lintrun *lr, struct ruleset *rs,
		const struct engine_opts *eo, struct diag_list *dl)
{
	struct engine_opts o;

	input_load(&lr->in, eo->jobs);
	for (size_t i = 0; i < lr->in.n; i++)
		finding_add_diags(&lr->findings, &lr->in.v[i].dl);
	docset_build(&lr->ds, &lr->in);
	if (lr->ds.n && engine_run(rs, &lr->ds, lintrun_limits(eo, &lr->in, &o),
				   &lr->findings, &lr->stats, dl) < 0)
		return -1;
	lintrun_suppress(lr, rs);
	finding_list_sort(&lr->findings);
	lintrun_count(lr);
	return 0;
}
