/*
** fixtures.c: the rule fixture runner behind --test-rules (see fixtures.h).
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "lintrun.h"
#include "ruleset.h"
#include "suppress.h"
#include "util.h"

/* ---- markers ------------------------------------------------------------ */

static bool fixtures_idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '/';
}

static void fixtures_blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\r'))
		(*p)++;
}

/* The text after "# expect:" in a line, or NULL. */
static const char *fixtures_marker(const char *line, const char *end)
{
	for (const char *h = line; h < end; h++) {
		const char *p = h + 1;

		if (*h != '#' || (h > line && h[-1] != ' ' && h[-1] != '\t'))
			continue;
		fixtures_blanks(&p, end);
		if (end - p >= 7 && !memcmp(p, "expect:", 7))
			return p + 7;
	}
	return NULL;
}

static void fixtures_push(struct fixture_expect **v, size_t *n, unsigned line,
			  unsigned col)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].line = line;
	(*v)[*n].col = col;
	(*v)[*n].matched = false;
	(*n)++;
}

/* Parse "id [col=N], id ..." of one marker. */
static int fixtures_items(const char *p, const char *end, const char *id,
			  unsigned line, struct fixture_expect **v, size_t *n)
{
	size_t idlen = strlen(id);

	for (;;) {
		const char *name, *name_end;
		unsigned col = 0;

		fixtures_blanks(&p, end);
		name = p;
		while (p < end && fixtures_idch(*p))
			p++;
		name_end = p;
		if (p == name)
			return -1;
		fixtures_blanks(&p, end);
		if (end - p >= 4 && !memcmp(p, "col=", 4)) {
			const char *digits = p += 4;

			while (p < end && *p >= '0' && *p <= '9')
				col = col * 10 + (unsigned)(*p++ - '0');
			if (p == digits || !col)
				return -1;
			fixtures_blanks(&p, end);
		}
		if ((size_t)(name_end - name) == idlen && !memcmp(name, id, idlen))
			fixtures_push(v, n, line, col);
		if (p >= end)
			return 0;
		if (*p != ',')
			return -1;
		p++;
	}
}

int fixtures_parse(const char *file, const char *text, size_t len,
		   const char *id, struct fixture_expect **v, size_t *n,
		   struct diag_list *dl)
{
	const char *p = text, *end = text + len;
	unsigned line = 1;
	int ret = 0;

	*v = NULL;
	*n = 0;
	while (p < end) {
		size_t blen;
		const char *eol = suppress_next_break(p, end, &blen), *m;

		if ((m = fixtures_marker(p, eol)) &&
		    fixtures_items(m, eol, id, line, v, n) < 0)
			ret = diag_addf(dl, DIAG_ERROR, "fixture",
				(struct diag_pos){ util_intern(file), line, 1 },
				"malformed marker (expected '# expect: <rule-id> "
				"[col=N][, ...]')");
		p = eol + blen;
		line++;
	}
	return ret;
}

/* ---- running ------------------------------------------------------------ */

/* The fixture directory of rule `id` (caller frees), or NULL. */
static char *fixtures_dir(const struct fixtures_opts *o, const char *id,
			  struct strbuf *looked)
{
	char *cand[3] = { NULL, NULL, NULL }, *found = NULL;
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	if (o->fixtures_dir) {
		strbuf_addf(&sb, "%s/%s", o->fixtures_dir, id);
		cand[0] = strbuf_detach(&sb, NULL);
	} else {
		strbuf_addf(&sb, "%s/tests/%s", o->rules_dir, id);
		cand[0] = strbuf_detach(&sb, NULL);
		strbuf_addf(&sb, "%s/../tests/rules/%s", o->rules_dir, id);
		cand[1] = strbuf_detach(&sb, NULL);
	}
	for (size_t i = 0; i < countof(cand) && cand[i]; i++) {
		strbuf_addf(looked, "%s'%s'", i ? " or " : "", cand[i]);
		if (!found && util_is_dir(cand[i]))
			found = xstrdup(cand[i]);
		free(cand[i]);
	}
	return found;
}

struct fixtures_case {
	const char *id;			/* the rule under test */
	const char *path;		/* the fixture file */
	const char *base;		/* its basename, for messages */
	bool expect_findings;		/* fail.yaml */
	struct strbuf problems;		/* one problem per line */
	size_t nproblems;
};

static void fixtures_problem(struct fixtures_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fixtures_problem(struct fixtures_case *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&c->problems, fmt, ap);
	va_end(ap);
	strbuf_addch(&c->problems, '\n');
	c->nproblems++;
}

/* Match a finding to an unmatched marker; exact columns first. */
static bool fixtures_match(struct fixture_expect *v, size_t n,
			   const struct finding *f)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (v[i].matched || v[i].line != f->d.pos.line)
				continue;
			if (pass == 0 ? v[i].col == f->d.pos.col : v[i].col == 0) {
				v[i].matched = true;
				return true;
			}
		}
	return false;
}

static void fixtures_compare(struct fixtures_case *c, const struct lintrun *lr,
			     struct fixture_expect *v, size_t n)
{
	bool *extra = xcalloc(lr->findings.n + 1, sizeof(bool));

	for (size_t i = 0; i < lr->findings.n; i++) {
		const struct finding *f = &lr->findings.v[i];

		if (f->suppressed)
			continue;
		extra[i] = strcmp(f->d.code, c->id) || !fixtures_match(v, n, f);
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].matched)
			continue;
		if (v[i].col)
			fixtures_problem(c, "missing %s at %s:%u:%u", c->id, c->base,
					 v[i].line, v[i].col);
		else
			fixtures_problem(c, "missing %s at %s:%u", c->id, c->base,
					 v[i].line);
	}
	for (size_t i = 0; i < lr->findings.n; i++) {
		const struct finding *f = &lr->findings.v[i];

		if (extra[i] && !strcmp(f->d.code, c->id))
			fixtures_problem(c, "unexpected %s at %s:%u:%u: %s", c->id,
					 c->base, f->d.pos.line, f->d.pos.col, f->d.msg);
		else if (extra[i])
			fixtures_problem(c, "%s:%u:%u: %s [%s]", f->d.pos.file ?
					 f->d.pos.file : "-", f->d.pos.line, f->d.pos.col,
					 f->d.msg, f->d.code);
	}
	free(extra);
}

/* Markers of fail.yaml (none expected in pass.yaml). */
static int fixtures_markers(struct fixtures_case *c, const struct lintrun *lr,
			    struct fixture_expect **v, size_t *n)
{
	struct diag_list dl = DIAG_LIST_INIT;
	size_t len = 0;
	char *text;

	*v = NULL;
	*n = 0;
	if (!c->expect_findings || !lr->in.n)
		return 0;
	text = input_read_text(&lr->in, 0, &len);
	if (text && fixtures_parse(c->path, text, len, c->id, v, n, &dl) < 0)
		for (size_t i = 0; i < dl.n; i++)
			fixtures_problem(c, "%s:%u: %s", c->base, dl.v[i].pos.line,
					 dl.v[i].msg);
	if (!*n && !dl.n)
		fixtures_problem(c, "%s has no '# expect: %s' marker", c->base, c->id);
	free(text);
	diag_list_release(&dl);
	return 0;
}

/* Lint the case's file into lr; a failure is a problem, prefixed `what`. */
static int fixtures_lint(struct fixtures_case *c, struct lintrun *lr,
			 struct ruleset *rs, const struct engine_opts *eo,
			 const char *what)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int ret = 0;

	lintrun_init(lr);
	if (input_add(&lr->in, c->path, true, NULL, &dl) < 0 ||
	    lintrun_run(lr, rs, eo, &dl) < 0) {
		for (size_t i = 0; i < dl.n; i++)
			fixtures_problem(c, "%s%s", what, dl.v[i].msg);
		ret = -1;
	}
	diag_list_release(&dl);
	return ret;
}

static bool fixtures_same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* Finding i of fl; its hint too when `other` says the same with another hint. */
static void fixtures_describe(struct strbuf *sb, const struct fixtures_case *c,
			      const struct finding_list *fl, size_t i,
			      const struct finding *other)
{
	const struct finding *f;
	const char *file;

	if (i >= fl->n) {
		strbuf_addstr(sb, "nothing more");
		return;
	}
	f = &fl->v[i];
	file = f->d.pos.file ? f->d.pos.file : "-";
	strbuf_addf(sb, "%s:%u:%u: %s: %s [%s]%s", strcmp(file, c->path) ? file : c->base,
		    f->d.pos.line, f->d.pos.col, diag_level_name(f->d.level), f->d.msg,
		    f->d.code, f->suppressed ? " (suppressed)" : "");
	if (other && !strcmp(f->d.msg, other->d.msg) &&
	    !fixtures_same_text(f->d.hint, other->d.hint))
		strbuf_addf(sb, " (hint: %s)", f->d.hint ? f->d.hint : "none");
}

/*
** The case again with its documents dealt to two workers, finish() in the
** second (engine_opts.dealt): a rule's findings must not depend on how a
** run splits the documents, which -j does by timing.
*/
static void fixtures_dealt(struct fixtures_case *c, struct ruleset *rs,
			   const struct engine_opts *eo, const struct lintrun *one)
{
	const struct finding_list *a = &one->findings, *b;
	struct engine_opts dealt = *eo;
	struct strbuf sb = STRBUF_INIT;
	struct lintrun lr;
	size_t i = 0;

	dealt.dealt = true;
	if (fixtures_lint(c, &lr, rs, &dealt, "with two workers: ") < 0)
		goto out;
	b = &lr.findings;
	while (i < a->n && i < b->n && !finding_compare(&a->v[i], &b->v[i]))
		i++;
	if (i == a->n && i == b->n)
		goto out;
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s: the findings differ with the documents split between "
		    "two workers, as -j splits them (the 1st, 3rd, ... the rule checks "
		    "in one, the rest and finish() in the other): one worker gives ",
		    c->base);
	fixtures_describe(&sb, c, a, i, i < b->n ? &b->v[i] : NULL);
	strbuf_addstr(&sb, "; two give ");
	fixtures_describe(&sb, c, b, i, i < a->n ? &a->v[i] : NULL);
	strbuf_addstr(&sb, ". Does the rule keep state between calls (an upvalue, "
		      "ctx:memo())? Other objects come from ctx:objects or ctx:find, "
		      "and what finish() needs from check() through ctx:collect. Does it "
		      "depend on pairs() order? Use sk.sorted_pairs");
	fixtures_problem(c, "%s", sb.buf);
	strbuf_release(&sb);
out:
	lintrun_release(&lr);
}

static void fixtures_case_run(struct fixtures_case *c, struct ruleset *rs,
			      const struct engine_opts *eo)
{
	struct fixture_expect *v;
	struct lintrun lr;
	size_t n;

	if (fixtures_lint(c, &lr, rs, eo, "") == 0) {
		fixtures_markers(c, &lr, &v, &n);
		fixtures_compare(c, &lr, v, n);
		if (!lr.reported_docs)
			fixtures_problem(c, "%s has no documents", c->base);
		free(v);
		fixtures_dealt(c, rs, eo, &lr);
	}
	lintrun_release(&lr);
}

static void fixtures_tap(struct strbuf *out, struct fixtures_case *c,
			 const char *what, bool *failed)
{
	char *nl;

	if (!c->nproblems) {
		strbuf_addf(out, "ok - %s %s\n", c->id, what);
		return;
	}
	*failed = true;
	nl = strchr(c->problems.buf, '\n');
	strbuf_addf(out, "not ok - %s %s: %.*s%s\n", c->id, what,
		    (int)(nl - c->problems.buf), c->problems.buf,
		    c->nproblems > 1 ? " (and more)" : "");
	for (const char *p = c->problems.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		strbuf_addf(out, "#   %.*s\n", (int)(nl - p), p);
	}
}

/* Both fixture files of one rule; only that rule enabled. */
static void fixtures_rule(struct strbuf *out, const struct fixtures_opts *o,
			  struct ruleset *rs, size_t r, bool *failed)
{
	static const char *const what[] = { "pass", "fail" };
	struct strbuf looked = STRBUF_INIT;
	const char *id = rs->v[r].s.name;
	char *dir;

	strbuf_init(&looked);
	dir = fixtures_dir(o, id, &looked);
	if (!dir) {
		*failed = true;
		strbuf_addf(out, "not ok - %s fixtures: none found (looked in %s)\n",
			    id, looked.buf);
		strbuf_release(&looked);
		return;
	}
	strbuf_release(&looked);
	for (size_t i = 0; i < rs->n; i++)
		rs->v[i].enabled = rs->v[i].valid && i == r;
	for (size_t k = 0; k < countof(what); k++) {
		struct fixtures_case c = { .id = id, .expect_findings = k == 1 };
		struct strbuf path = STRBUF_INIT;

		strbuf_init(&c.problems);
		strbuf_init(&path);
		strbuf_addf(&path, "%s/%s.yaml", dir, what[k]);
		c.path = path.buf;
		c.base = util_basename(path.buf);
		if (access(path.buf, F_OK) < 0)
			fixtures_problem(&c, "missing fixture '%s'", path.buf);
		else
			fixtures_case_run(&c, rs, &o->engine);
		fixtures_tap(out, &c, what[k], failed);
		strbuf_release(&c.problems);
		strbuf_release(&path);
	}
	free(dir);
}

/* A rule that does not load: not ok, with its diagnostics. */
static void fixtures_invalid(struct strbuf *out, const struct lint_rule *r,
			     const struct diag_list *dl, bool *failed)
{
	size_t mine = 0;

	*failed = true;
	for (size_t i = 0; i < dl->n; i++)
		mine += dl->v[i].pos.file == r->s.file;
	if (!mine) {	/* engine_check_rules stops at a broken module */
		strbuf_addf(out, "not ok - %s load: not checked: a helper module did not load\n",
			    r->s.name);
		return;
	}
	strbuf_addf(out, "not ok - %s load: the rule file is malformed\n", r->s.name);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		if (d->pos.file != r->s.file)
			continue;
		strbuf_addstr(out, "#   ");
		diag_pos_add(out, d->pos);
		strbuf_addstr(out, ": ");
		strbuf_add_printable(out, d->msg, "\n#   ");
		strbuf_addch(out, '\n');
	}
}

/* Problems not about one rule file (helper modules): one line each. */
static void fixtures_modules(struct strbuf *out, const struct ruleset *rs,
			     const struct diag_list *dl, bool *failed)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];
		bool rule = false;

		for (size_t r = 0; r < rs->n; r++)
			rule |= d->pos.file == rs->v[r].s.file;
		if (rule)
			continue;
		*failed = true;
		strbuf_addf(out, "not ok - %s load: %s\n",
			    d->pos.file ? d->pos.file : "module", d->msg);
	}
}

/*
** A rule whose id a built-in rule has: its fixtures may pass, but a lint
** run with both refuses them ("defined twice"), so it is a failure here.
*/
static void fixtures_clashes(struct strbuf *out, const struct ruleset *rs,
			     const char *builtin, bool *failed)
{
	struct diag_list quiet = DIAG_LIST_INIT;
	struct ruleset bs;

	if (!builtin)
		return;
	ruleset_init(&bs);
	ruleset_add_dir(&bs, builtin, RULESET_RULES | RULESET_BUILTIN, &quiet);
	for (size_t r = 0; r < rs->n; r++) {
		const struct lint_rule *b = ruleset_find(&bs, rs->v[r].s.name);
		char *mine, *theirs;

		if (!b)
			continue;
		mine = realpath(rs->v[r].s.path, NULL);
		theirs = realpath(b->s.path, NULL);
		if (!mine || !theirs || strcmp(mine, theirs)) {
			strbuf_addf(out, "not ok - %s: a built-in rule has this id (%s); a lint run "
				    "refuses both\n", rs->v[r].s.path, b->s.path);
			*failed = true;
		}
		free(mine);
		free(theirs);
	}
	ruleset_release(&bs);
	diag_list_release(&quiet);
}

int fixtures_run(struct strbuf *out, const struct fixtures_opts *o,
		 bool *failed, struct diag_list *dl)
{
	struct diag_list ldl = DIAG_LIST_INIT;
	struct ruleset rs;
	int ret = -1;

	*failed = false;
	ruleset_init(&rs);
	if (ruleset_add_dir(&rs, o->rules_dir, RULESET_RULES | RULESET_LIB, dl) < 0)
		goto out_release;
	if (o->builtin_dir &&
	    ruleset_add_dir(&rs, o->builtin_dir, RULESET_LIB | RULESET_BUILTIN, dl) < 0)
		goto out_release;
	if (!rs.n) {
		diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ NULL, 0, 0 },
			  "no rules in '%s'", o->rules_dir);
		goto out_release;
	}
	fixtures_clashes(out, &rs, o->builtin_dir, failed);
	engine_check_rules(&rs, &o->engine, &ldl);
	for (size_t r = 0; r < rs.n; r++) {
		if (!rs.v[r].valid)
			fixtures_invalid(out, &rs.v[r], &ldl, failed);
		else
			fixtures_rule(out, o, &rs, r, failed);
	}
	fixtures_modules(out, &rs, &ldl, failed);
	ret = 0;
out_release:
	diag_list_release(&ldl);
	ruleset_release(&rs);
	return ret;
}
