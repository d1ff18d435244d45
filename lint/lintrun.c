/*
** lintrun.c: the lint pipeline (see lintrun.h).
*/
#include <stdlib.h>
#include <string.h>

#include "lintrun.h"
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

void lintrun_suppress(struct lintrun *lr)
{
	struct suppress_lines **cache = xcalloc(lr->in.n ? lr->in.n : 1,
						sizeof(*cache));

	for (size_t i = 0; i < lr->findings.n; i++) {
		struct finding *f = &lr->findings.v[i];
		const struct lint_doc *d;
		const char *reason;

		if (!lintrun_suppressible(f))
			continue;
		d = &lr->ds.v[f->doc];
		if (d->ignore && suppress_list_has(d->ignore, strlen(d->ignore),
						   f->d.code)) {
			f->suppressed = true;
			f->reason = d->ignore_reason;
		} else if (suppress_lines_match(lintrun_lines(lr, cache, d->file),
						f->d.pos.line, f->d.code, &reason)) {
			f->suppressed = true;
			f->reason = reason;
		}
	}
	for (size_t i = 0; i < lr->in.n; i++)
		if (cache[i]) {
			suppress_lines_release(cache[i]);
			free(cache[i]);
		}
	free(cache);
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

		if (f->rule == (size_t)-1 || !strcmp(f->d.code, "rule-error"))
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
	lintrun_suppress(lr);
	finding_list_sort(&lr->findings);
	lintrun_count(lr);
	return 0;
}
