/*
** finding.c: the finding list: append, merge, filter, sort (see finding.h).
*/
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "util.h"

void finding_list_init(struct finding_list *fl)
{
	fl->v = NULL;
	fl->n = fl->alloc = 0;
}

static void finding_free_text(struct finding *f)
{
	free(f->d.msg);
	free(f->d.hint);
}

void finding_list_release(struct finding_list *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		finding_free_text(&fl->v[i]);
	free(fl->v);
	finding_list_init(fl);
}

static struct finding *finding_push(struct finding_list *fl)
{
	struct finding *f;

	if (fl->n == fl->alloc) {
		fl->alloc = fl->alloc ? fl->alloc * 2 : 16;
		fl->v = xrealloc(fl->v, fl->alloc * sizeof(*fl->v));
	}
	f = &fl->v[fl->n++];
	memset(f, 0, sizeof(*f));
	f->doc = f->call_doc = FINDING_NO_DOC;
	f->rule = (size_t)-1;
	return f;
}

struct finding *finding_add(struct finding_list *fl, enum diag_level lvl,
			    const char *code, struct diag_pos pos, char *msg,
			    char *hint)
{
	struct finding *f = finding_push(fl);

	f->d.pos = pos;
	f->d.level = lvl;
	f->d.code = code;
	f->d.msg = msg ? msg : xstrdup("");
	f->d.hint = hint;
	return f;
}

size_t finding_cost(const char *msg, const char *hint)
{
	return sizeof(struct finding) + 32 + (msg ? strlen(msg) + 1 : 0) +
	       (hint ? strlen(hint) + 1 : 0);
}

void finding_add_diags(struct finding_list *fl, const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];

		finding_add(fl, d->level, d->code, d->pos, xstrdup(d->msg),
			    d->hint ? xstrdup(d->hint) : NULL);
	}
}

void finding_list_move(struct finding_list *dst, struct finding_list *src)
{
	if (!src->n)
		return;
	if (dst->n + src->n > dst->alloc) {
		dst->alloc = dst->n + src->n;
		dst->v = xrealloc(dst->v, dst->alloc * sizeof(*dst->v));
	}
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	finding_list_init(src);
}

void finding_list_filter(struct finding_list *fl,
			 bool (*keep)(const struct finding *f, void *arg),
			 void *arg)
{
	size_t w = 0;

	for (size_t i = 0; i < fl->n; i++) {
		if (keep(&fl->v[i], arg))
			fl->v[w++] = fl->v[i];
		else
			finding_free_text(&fl->v[i]);
	}
	fl->n = w;
}

static int finding_strcmp(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

int finding_compare(const struct finding *a, const struct finding *b)
{
	int c;

	if ((c = finding_strcmp(a->d.pos.file, b->d.pos.file)))
		return c;
	if (a->d.pos.line != b->d.pos.line)
		return a->d.pos.line < b->d.pos.line ? -1 : 1;
	if (a->d.pos.col != b->d.pos.col)
		return a->d.pos.col < b->d.pos.col ? -1 : 1;
	if ((c = finding_strcmp(a->d.code, b->d.code)))
		return c;
	if ((c = finding_strcmp(a->d.msg, b->d.msg)))
		return c;
	if (a->d.level != b->d.level)
		return a->d.level > b->d.level ? -1 : 1;
	if (a->suppressed != b->suppressed)
		return a->suppressed ? 1 : -1;
	return finding_strcmp(a->d.hint, b->d.hint);
}

static int finding_cmp(const void *a, const void *b)
{
	return finding_compare(a, b);
}

void finding_list_sort(struct finding_list *fl)
{
	if (fl->n > 1)
		qsort(fl->v, fl->n, sizeof(*fl->v), finding_cmp);
}
