/*
** lintrun.c: the lint pipeline (see lintrun.h).
*/
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lintrun.h"
#include "strbuf.h"
#include "suggest.h"
#include "suppress.h"
#include "util.h"
#include "worker.h"

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
** text, and whose text that is.  Equal annotation texts may share storage,
** so an annotation is owner DOCSET_IGNORES * doc + where; a comment is
** DOCSET_IGNORES * ds.n + file (each file's text is its own buffer).
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

#define LINTRUN_UNUSED_MAX 1000	/* unused-ignore findings listed */
#define LINTRUN_CLIP 64		/* bytes of an id or stray text quoted in a message */

/* What --report-unused-ignores judges with (lintrun_unused). */
struct lintrun_judge {
	const struct ruleset *rs;
	const struct lintrun_uses *uses;	/* sorted */
	const bool *failed;		/* per rule: it failed, its findings are partial */
	bool selected;			/* --rule chose the rules that ran */
	bool judge_all;			/* every rule ran and none failed */
	bool full;			/* LINTRUN_UNUSED_MAX findings made: stop */
	const char **ids;		/* the rule ids, for "did you mean" */
	struct finding_list out;
};

/*
** Append s[0, n) to sb, cut at LINTRUN_CLIP bytes on a character boundary,
** with control characters escaped as strbuf_add_printable does and a NUL
** (an annotation's "a\u0000b") as \x00, where a C string would end.
*/
static void lintrun_clip(struct strbuf *sb, const char *s, size_t n)
{
	size_t k = util_utf8_cut(s, n, LINTRUN_CLIP);

	strbuf_add_printable_n(sb, s, k, NULL);
	if (k < n)
		strbuf_addstr(sb, "...");
}

/* Add a finding of J (msg and hint taken); its object is d's, if any. */
static void lintrun_unused_add(struct lintrun_judge *J, struct diag_pos pos,
			       struct strbuf *msg, struct strbuf *hint,
			       const struct lint_doc *d, size_t doc)
{
	struct finding *f;

	if (J->out.n == LINTRUN_UNUSED_MAX) {
		J->full = true;
		return;
	}
	f = finding_add(&J->out, DIAG_ERROR, LINTRUN_UNUSED_CODE, pos,
			strbuf_detach(msg, NULL), strbuf_detach(hint, NULL));
	if (d) {
		f->doc = doc;
		f->api_version = d->api_version;
		f->kind = d->kind;
		f->ns = d->ns;
		f->name = d->name;
	}
}

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
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT, name = STRBUF_INIT;
	const struct lint_rule *r;
	bool all;

	strbuf_init(&name);
	strbuf_add(&name, id, idlen);
	r = ruleset_find(J->rs, name.buf);
	all = !strcmp(name.buf, "all");
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
				    "finding%s", name.buf, r->enabled ? "" :
				    " (the configuration turns the rule off)");
		strbuf_addf(&hint, "remove '%s' from the suppression: one left "
			    "behind hides the next real finding", name.buf);
	} else {
		const char *near = suggest_closest(name.buf, J->ids, J->rs->n);

		strbuf_addstr(&msg, "the suppression names an unknown rule '");
		lintrun_clip(&msg, id, idlen);
		strbuf_addch(&msg, '\'');
		if (near)
			strbuf_addf(&msg, "; did you mean '%s'?", near);
		strbuf_addstr(&hint, "fix the rule id (sparklint --list-rules lists them)");
	}
	lintrun_unused_add(J, pos, &msg, &hint, d, doc);
out:
	strbuf_release(&msg);
	strbuf_release(&hint);
	strbuf_release(&name);
}

#define LINTRUN_ANNOTATION_HINT \
	"write '" SUPPRESS_ANNOTATION ": \"rule-a,rule-b\"': this annotation silences nothing"

/*
** Text an annotation's list does not take, at `pos`: the rest after its
** ids, or its last comma when nothing follows (as a comment's are told),
** or, when it has no ids (`ids` false), that it has none ("", "  ").
*/
static void lintrun_annotation_rest(struct lintrun_judge *J,
				    const struct suppress_iter *it, bool ids,
				    struct diag_pos pos, const struct lint_doc *d, size_t doc)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	const char *rest;
	size_t restlen = suppress_iter_rest(it, &rest);

	if (!restlen && !suppress_iter_trailing(it) && ids)
		return;
	strbuf_init(&msg);
	strbuf_init(&hint);
	if (restlen) {
		strbuf_addstr(&msg, "the suppression list has '");
		lintrun_clip(&msg, rest, restlen);
		strbuf_addstr(&msg, "' where a rule id should be");
		strbuf_addstr(&hint, "separate the rule ids with commas");
	} else if (ids) {
		strbuf_addstr(&msg, "the suppression list ends with ','");
		strbuf_addstr(&hint, "remove the last ',' or write a rule id after it");
	} else {
		strbuf_addstr(&msg, "the suppression annotation has no rule ids");
		strbuf_addstr(&hint, LINTRUN_ANNOTATION_HINT);
	}
	lintrun_unused_add(J, pos, &msg, &hint, d, doc);
	strbuf_release(&msg);
	strbuf_release(&hint);
}

/*
** An annotation whose value is no string ([rule-a], 5, true, null): it
** silences nothing, so it is reported, at the value.
*/
static void lintrun_annotation_type(struct lintrun_judge *J, const struct ynode *v,
				    const struct lint_doc *d, size_t doc)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	const char *what = v->type == YN_SEQ ? "a list" : v->type == YN_MAP ? "a mapping" :
			   v->type == YN_BOOL ? "a boolean" : v->type == YN_NULL ? "null" :
			   "a number";

	strbuf_init(&msg);
	strbuf_init(&hint);
	strbuf_addf(&msg, "the suppression annotation must be a string of rule ids, not %s",
		    what);
	strbuf_addstr(&hint, LINTRUN_ANNOTATION_HINT);
	lintrun_unused_add(J, (struct diag_pos){ d->file_name, v->line, v->col }, &msg,
			   &hint, d, doc);
	strbuf_release(&msg);
	strbuf_release(&hint);
}

/*
** The annotations of the documents d0 .. d1-1, one file's.  An annotation
** is nothing but a list, so text the list does not take (a blank or a
** semicolon between ids, an empty id, a last comma), no ids at all, or a
** value that is no string would silently suppress nothing.
*/
static void lintrun_unused_annotations(struct lintrun_judge *J,
				       const struct lintrun *lr, size_t d0, size_t d1)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	for (size_t i = d0; i < d1 && !J->full; i++) {
		const struct lint_doc *d = &lr->ds.v[i];

		for (size_t w = 0; d->reported && w < DOCSET_IGNORES && !J->full; w++) {
			const struct ynode *node = d->ignore[w].node;
			struct diag_pos pos;
			bool ids = false;

			if (d->ignore[w].other)
				lintrun_annotation_type(J, d->ignore[w].other, d, i);
			if (!node)
				continue;
			pos = (struct diag_pos){ d->file_name, node->line, node->col };
			suppress_iter_init(&it, node->text, node->len);
			while (!J->full && suppress_iter_next(&it, &id, &idlen)) {
				ids = true;
				lintrun_judge_id(J, DOCSET_IGNORES * i + w, id, idlen,
						 pos, d, i);
			}
			if (!J->full)
				lintrun_annotation_rest(J, &it, ids, pos, d, i);
		}
	}
}

#define LINTRUN_COMMENT_HINT \
	"write '# " SUPPRESS_MARK " ignore rule-a,rule-b -- reason': this comment silences nothing"

/* Add a finding of J (msg and hint taken) at `at` on line `no` of sl. */
static void lintrun_comment_add(struct lintrun_judge *J, struct suppress_lines *sl,
				const char *file, size_t no, const char *at,
				struct strbuf *msg, struct strbuf *hint)
{
	const char *q = suppress_col_origin(sl, no);

	lintrun_unused_add(J, (struct diag_pos){ file, (unsigned)no,
						 (unsigned)(1 + suppress_cols(&q, at)) },
			   msg, hint, NULL, 0);
}

/*
** A comment on line `no` of sl that carries the mark but is no suppression
** (lintrun_unused_comments): it silences nothing, and says nothing of it.
*/
static void lintrun_flaw(struct lintrun_judge *J, struct suppress_lines *sl,
			 const char *file, size_t no)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	const char *hash, *text;
	size_t textlen;
	enum suppress_flaw flaw;

	flaw = suppress_lines_flaw(sl, (unsigned)no, &hash, &text, &textlen);
	if (flaw == SUPPRESS_SOUND)
		return;
	strbuf_init(&msg);
	strbuf_init(&hint);
	if (flaw == SUPPRESS_NO_IGNORE) {
		strbuf_addstr(&msg, "expected 'ignore' followed by rule ids after '"
			      SUPPRESS_MARK "'");
		if (textlen) {
			strbuf_addstr(&msg, ", not '");
			lintrun_clip(&msg, text, textlen);
			strbuf_addch(&msg, '\'');
		}
	} else if (!textlen) {
		strbuf_addstr(&msg, "the suppression comment has no rule ids");
	} else {
		strbuf_addstr(&msg, "the suppression comment has '");
		lintrun_clip(&msg, text, textlen);
		strbuf_addstr(&msg, "' where a rule id should be");
	}
	strbuf_addstr(&hint, LINTRUN_COMMENT_HINT);
	lintrun_comment_add(J, sl, file, no, hash, &msg, &hint);
	strbuf_release(&msg);
	strbuf_release(&hint);
}

/*
** What is wrong with the id list of line `no`'s suppression comment, beyond
** its ids (lintrun_unused_comments); the ids are judged one by one.
*/
static enum suppress_gap lintrun_gap(struct lintrun_judge *J, struct suppress_lines *sl,
				     const char *file, size_t no, const char *list,
				     size_t listlen)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	const char *at;
	size_t atlen;
	enum suppress_gap gap;

	gap = suppress_lines_gap(sl, (unsigned)no, list, listlen, &at, &atlen);
	if (gap == SUPPRESS_LIST_SOUND)
		return gap;
	strbuf_init(&msg);
	strbuf_init(&hint);
	if (gap == SUPPRESS_LIST_REASON) {	/* "ignore -- why" */
		strbuf_addstr(&msg, "the suppression comment has no rule ids");
		strbuf_addstr(&hint, LINTRUN_COMMENT_HINT);
	} else {
		if (gap == SUPPRESS_LIST_TRAILING) {
			strbuf_addstr(&msg, "the suppression list ends with ','");
		} else {
			strbuf_addstr(&msg, "the suppression list has '");
			lintrun_clip(&msg, at, atlen);
			strbuf_addstr(&msg, "' where a rule id should be");
		}
		strbuf_addstr(&hint, "write one rule id after each ',' and start a reason "
			      "with '--': what follows a ',' without one is the reason");
	}
	lintrun_comment_add(J, sl, file, no, at, &msg, &hint);
	strbuf_release(&msg);
	strbuf_release(&hint);
	return gap;
}

/*
** A second suppression comment in the reason of line `no`'s
** (lintrun_unused_comments): its ids are the reason's text.
*/
static void lintrun_second(struct lintrun_judge *J, struct suppress_lines *sl,
			   const char *file, size_t no, const char *list,
			   size_t listlen)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT;
	const char *hash = suppress_lines_second(sl, (unsigned)no, list, listlen);

	if (!hash)
		return;
	strbuf_init(&msg);
	strbuf_init(&hint);
	strbuf_addstr(&msg, "a second '" SUPPRESS_MARK "' comment on the line is read as "
		      "the first one's reason, so its rules are not suppressed");
	strbuf_addstr(&hint, "put all the ids in one list: '# " SUPPRESS_MARK
		      " ignore rule-a,rule-b -- reason'");
	lintrun_comment_add(J, sl, file, no, hash, &msg, &hint);
	strbuf_release(&msg);
	strbuf_release(&hint);
}

/*
** A loaded rule's id right after a comment's list, without a comma or a
** "--" ("ignore rule-a rule-b"): the text after the list is the reason,
** so rule-b is not suppressed, and it is almost surely a mistake.  A
** reason in prose is not judged.  *q and *col are where the walk along
** the line stands (lintrun_unused_comments).
*/
static void lintrun_word_after(struct lintrun_judge *J, struct suppress_lines *sl,
			       const char *file, size_t no, const char *list,
			       size_t listlen, const char **q, size_t *col)
{
	struct strbuf msg = STRBUF_INIT, hint = STRBUF_INIT, name = STRBUF_INIT;
	const char *word;
	size_t len;

	if (!(len = suppress_lines_word_after(sl, (unsigned)no, list, listlen, &word)))
		return;
	strbuf_init(&name);
	strbuf_add(&name, word, len);
	if (ruleset_find(J->rs, name.buf)) {
		strbuf_init(&msg);
		strbuf_init(&hint);
		strbuf_addf(&msg, "'%s' follows the suppression list without a comma, so it "
			    "is read as the reason and its rule is not suppressed", name.buf);
		strbuf_addstr(&hint, "separate the rule ids with ',' and start a reason with '--'");
		*col += suppress_cols(q, word);
		lintrun_unused_add(J, (struct diag_pos){ file, (unsigned)no, (unsigned)*col },
				   &msg, &hint, NULL, 0);
		strbuf_release(&msg);
		strbuf_release(&hint);
	}
	strbuf_release(&name);
}

/*
** The suppression comments of file k, and the comments that carry the mark
** but are none; its text is released afterwards.
*/
static void lintrun_unused_comments(struct lintrun_judge *J, struct lintrun *lr,
				    struct suppress_lines **cache, size_t k)
{
	struct suppress_lines *sl = lintrun_lines(lr, cache, k);
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	for (size_t no = 1; no <= sl->n && !J->full; no++) {
		const char *list, *q;
		size_t listlen, col;
		bool alone;
		enum suppress_gap gap;

		if (no > UINT_MAX)
			break;
		lintrun_flaw(J, sl, lr->in.v[k].name, no);
		if (J->full ||
		    !suppress_lines_comment(sl, (unsigned)no, &list, &listlen, &alone))
			continue;
		gap = lintrun_gap(J, sl, lr->in.v[k].name, no, list, listlen);
		if (!J->full)
			lintrun_second(J, sl, lr->in.v[k].name, no, list, listlen);
		if (gap == SUPPRESS_LIST_REASON)	/* its "id" is the reason's "--" */
			continue;
		suppress_iter_init(&it, list, listlen);
		q = suppress_col_origin(sl, no);
		col = 1;
		while (!J->full && suppress_iter_next(&it, &id, &idlen)) {	/* to a gap */
			col += suppress_cols(&q, id);	/* along the line: linear */
			lintrun_judge_id(J, DOCSET_IGNORES * lr->ds.n + k, id, idlen,
					 (struct diag_pos){ lr->in.v[k].name, (unsigned)no,
							    (unsigned)col }, NULL, 0);
		}
		if (!J->full && gap == SUPPRESS_LIST_SOUND)	/* else the reason follows a gap */
			lintrun_word_after(J, sl, lr->in.v[k].name, no, list, listlen,
					   &q, &col);
	}
	suppress_lines_release(sl);
	free(sl);
	cache[k] = NULL;
}

/* Did file k load whole (no io or yaml error)?  Else it was not all linted. */
static bool lintrun_loaded(const struct input_file *f)
{
	for (size_t i = 0; i < f->dl.n; i++)
		if (f->dl.v[i].level == DIAG_ERROR)
			return false;
	return true;
}

/*
** --report-unused-ignores: every suppression in the reported files that
** loaded whole, file by file, each id judged (lintrun_judge_id).
** Annotations are found in the documents; comments by reading again the
** files whose text may hold one.  Ids are cheap to write and each costs a
** finding: after LINTRUN_UNUSED_MAX, one finding without a position (it
** sorts first) says that the list stops.
*/
static void lintrun_unused(struct lintrun *lr, const struct ruleset *rs,
			   struct suppress_lines **cache, struct lintrun_uses *uses)
{
	struct lintrun_judge J = {
		.rs = rs, .uses = uses, .selected = lr->unused_selected,
		.judge_all = !lr->unused_selected, .out = FINDING_LIST_INIT,
	};
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

	for (size_t k = 0; k < lr->in.n && !J.full; k++) {
		const struct input_file *f = &lr->in.v[k];

		for (d1 = d0; d1 < lr->ds.n && lr->ds.v[d1].file == k; d1++)
			;
		if (f->reported && lintrun_loaded(f)) {
			lintrun_unused_annotations(&J, lr, d0, d1);
			if (f->marked && !J.full)
				lintrun_unused_comments(&J, lr, cache, k);
		}
		d0 = d1;
	}
	if (J.full) {
		struct diag_pos nowhere = { NULL, 0, 0 };
		struct strbuf msg = STRBUF_INIT;

		strbuf_init(&msg);
		strbuf_addf(&msg, "more than %d suppressions silence nothing or name "
			    "no rule; only the first %d are listed",
			    LINTRUN_UNUSED_MAX, LINTRUN_UNUSED_MAX);
		finding_add(&J.out, DIAG_ERROR, LINTRUN_UNUSED_CODE, nowhere,
			    strbuf_detach(&msg, NULL),
			    xstrdup("fix them, then run again for the rest"));
	}
	finding_list_move(&lr->findings, &J.out);
	free(J.ids);
	free(failed);
}

/*
** The first suppression annotation of d whose list names `rule`, or -1.
** The lists' ids are sorted once per document (`ids` keeps the last one's:
** findings come in file order), however many findings it holds.
*/
static int lintrun_annotation(const struct lint_doc *d, const char *rule,
			      struct suppress_index ids[], const char **by)
{
	for (int w = 0; w < DOCSET_IGNORES; w++) {
		const struct ynode *node = d->ignore[w].node;

		if (!node)
			continue;
		if (ids[w].list != node->text || ids[w].len != node->len)
			suppress_index_build(&ids[w], node->text, node->len);
		if ((*by = suppress_index_find(&ids[w], rule)))
			return w;
	}
	return -1;
}

void lintrun_suppress(struct lintrun *lr, const struct ruleset *rs)
{
	struct suppress_lines **cache = xcalloc(lr->in.n ? lr->in.n : 1,
						sizeof(*cache));
	struct lintrun_uses uses = { NULL, 0, 0 };
	struct suppress_index ids[DOCSET_IGNORES] = { { 0 } };

	for (size_t i = 0; i < lr->findings.n; i++) {
		struct finding *f = &lr->findings.v[i];
		const struct lint_doc *d;
		const char *reason, *by;
		int w;

		if (!lintrun_suppressible(f))
			continue;
		d = &lr->ds.v[f->doc];
		if ((w = lintrun_annotation(d, f->d.code, ids, &by)) >= 0) {
			f->suppressed = true;
			f->reason = d->ignore[w].reason;
			lintrun_use(&uses, DOCSET_IGNORES * f->doc + (size_t)w, by);
		} else if (suppress_lines_match(lintrun_lines(lr, cache, d->file),
						f->d.pos.line, f->d.code, &reason, &by)) {
			f->suppressed = true;
			f->reason = reason;
			lintrun_use(&uses, DOCSET_IGNORES * lr->ds.n + d->file, by);
		}
	}
	for (int w = 0; w < DOCSET_IGNORES; w++)
		suppress_index_release(&ids[w]);
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
	lr->reported_objects = lr->ds.lists;	/* an empty List is one too */
	for (size_t i = 0; i < lr->ds.n; i++)
		lr->reported_objects += lr->ds.v[i].reported && lr->ds.v[i].kind;
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
** rules make, the converted documents aside (luahost.h).  What they hold
** may grow with the input: when every converted document stayed alive, the
** rules held about 2.3 bytes per byte of YAML on the benchmark corpus
** after a full collection; since documents nothing holds go, the state
** holds about 1.2 at the end, mostly documents its finish() calls read.
*/
static const struct engine_opts *lintrun_limits(const struct engine_opts *eo,
						const struct input_set *in,
						struct engine_opts *copy)
{
	*copy = *eo;
	if (!copy->limits.mem_bytes)
		copy->limits.mem_bytes = WORKER_LOAD_MEM + 4 * input_bytes(in);
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
	/* in file order for suppression's caches, and again for the flag */
	finding_list_sort(&lr->findings);
	lintrun_suppress(lr, rs);
	finding_list_sort(&lr->findings);
	lintrun_count(lr);
	return 0;
}
