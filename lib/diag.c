/*
** diag.c: the diagnostic list every layer records into, and the one text
** printer the programs use for it.
*/
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "strbuf.h"

static char diag_oom_msg[] = "out of memory";	/* used when a message can't be allocated */

void diag_list_init(struct diag_list *dl)
{
	dl->v = NULL;
	dl->n = dl->alloc = 0;
}

static void diag_free_text(char *s)
{
	if (s != diag_oom_msg)
		free(s);
}

void diag_list_release(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		diag_free_text(dl->v[i].msg);
		diag_free_text(dl->v[i].hint);
	}
	free(dl->v);
	diag_list_init(dl);
}

int diag_list_move(struct diag_list *dl, struct diag_list *from)
{
	if (from->n > dl->alloc - dl->n) {
		size_t n = dl->n + from->n > 2 * dl->alloc ? dl->n + from->n : 2 * dl->alloc;
		struct diag *v = realloc(dl->v, n * sizeof(*v));

		if (!v)
			return -1;
		dl->v = v;
		dl->alloc = n;
	}
	if (from->n)
		memcpy(dl->v + dl->n, from->v, from->n * sizeof(*from->v));
	dl->n += from->n;
	free(from->v);
	diag_list_init(from);
	return 0;
}

int diag_vaddf(struct diag_list *dl, enum diag_level lvl, const char *code,
	       struct diag_pos pos, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag *d;

	if (dl->n == dl->alloc) {
		size_t n = dl->alloc ? dl->alloc * 2 : 8;
		struct diag *v = realloc(dl->v, n * sizeof(*v));

		if (!v)
			return -1;	/* nothing sensible left to record into */
		dl->v = v;
		dl->alloc = n;
	}
	d = &dl->v[dl->n++];
	d->pos = pos;
	d->level = lvl;
	d->code = code;
	d->hint = NULL;
	strbuf_init(&sb);
	if (strbuf_vaddf(&sb, fmt, ap) < 0) {
		strbuf_release(&sb);
		d->msg = diag_oom_msg;
	} else {
		d->msg = strbuf_detach(&sb, NULL);
		if (!d->msg)
			d->msg = diag_oom_msg;
	}
	return -1;
}

int diag_addf(struct diag_list *dl, enum diag_level lvl, const char *code,
	      struct diag_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vaddf(dl, lvl, code, pos, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_hintf(struct diag_list *dl, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag *d;
	va_list ap;

	if (!dl->n)
		return -1;
	d = &dl->v[dl->n - 1];
	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_free_text(d->hint);
	d->hint = sb.oom ? diag_oom_msg : strbuf_detach(&sb, NULL);
	if (sb.oom)
		strbuf_release(&sb);
	return -1;
}

size_t diag_count(const struct diag_list *dl, enum diag_level lvl)
{
	size_t n = 0;

	for (size_t i = 0; i < dl->n; i++)
		n += dl->v[i].level >= lvl;
	return n;
}

static int diag_strcmp(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

static int diag_cmp(const struct diag *a, const struct diag *b)
{
	int c = diag_strcmp(a->pos.file, b->pos.file);

	if (c)
		return c;
	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.col != b->pos.col)
		return a->pos.col < b->pos.col ? -1 : 1;
	if ((c = diag_strcmp(a->code, b->code)))
		return c;
	return diag_strcmp(a->msg, b->msg);
}

/* Insertion-merge sort: stable, no allocation beyond one temporary array. */
void diag_sort(struct diag_list *dl)
{
	struct diag *tmp;
	size_t n = dl->n;

	if (n < 2)
		return;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp) {	/* fall back to a stable insertion sort */
		for (size_t i = 1; i < n; i++) {
			struct diag x = dl->v[i];
			size_t j = i;

			for (; j > 0 && diag_cmp(&dl->v[j - 1], &x) > 0; j--)
				dl->v[j] = dl->v[j - 1];
			dl->v[j] = x;
		}
		return;
	}
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = diag_cmp(&dl->v[j], &dl->v[i]) < 0 ?
					dl->v[j++] : dl->v[i++];
			while (i < mid)
				tmp[k++] = dl->v[i++];
			while (j < hi)
				tmp[k++] = dl->v[j++];
		}
		memcpy(dl->v, tmp, n * sizeof(*tmp));
	}
	free(tmp);
}

static const char *const diag_level_names[] = { "info", "warning", "error" };

const char *diag_level_name(enum diag_level lvl)
{
	return diag_level_names[lvl];
}

int diag_level_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, diag_level_names[i]))
			return i;
	return -1;
}

/* Untrusted text (file names, messages with YAML values) is escaped. */
void diag_pos_add(struct strbuf *sb, struct diag_pos pos)
{
	if (!pos.file)
		return;
	strbuf_add_printable(sb, pos.file, NULL);
	if (pos.line)
		strbuf_addf(sb, ":%u", pos.line);
	if (pos.line && pos.col)
		strbuf_addf(sb, ":%u", pos.col);
}

void diag_print(FILE *fp, const struct diag *d, bool color)
{
	static const char *const colors[] = { "\033[36m", "\033[33m", "\033[31m" };
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	if (d->pos.file) {
		strbuf_addstr(&sb, bold);
		diag_pos_add(&sb, d->pos);
		strbuf_addf(&sb, ":%s ", reset);
	} else if (util_progname) {
		strbuf_addf(&sb, "%s: ", util_progname);
	}
	strbuf_addf(&sb, "%s%s%s%s: ", bold, color ? colors[d->level] : "",
		    diag_level_name(d->level), reset);
	strbuf_add_printable(&sb, d->msg, NULL);
	if (d->code) {
		strbuf_addstr(&sb, " [");
		strbuf_add_printable(&sb, d->code, NULL);
		strbuf_addch(&sb, ']');
	}
	strbuf_addch(&sb, '\n');
	if (d->hint) {
		strbuf_addstr(&sb, "  hint: ");
		strbuf_add_printable(&sb, d->hint, "\n  | ");
		strbuf_addch(&sb, '\n');
	}
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

void diag_uniq(struct diag_list *dl)
{
	size_t out = 0;

	for (size_t i = 0; i < dl->n; i++) {
		struct diag *d = &dl->v[i], *prev = out ? &dl->v[out - 1] : NULL;

		if (prev && diag_cmp(prev, d) == 0 && prev->level == d->level &&
		    diag_strcmp(prev->hint, d->hint) == 0) {
			free(d->msg);
			free(d->hint);
			continue;
		}
		dl->v[out++] = *d;
	}
	dl->n = out;
}
