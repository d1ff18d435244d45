/*
** tree_diff.c: unified line diff for the tree writer's --check --diff.
** Lines are split and hashed once, the common head and tail are skipped,
** and Myers' greedy O(ND) search runs on the rest, keeping the (D+1)^2
** trace to walk back.  Past DIFF_MAX_D edits the middle is shown as one
** replacement: still a correct diff, just not a minimal one.
*/
#include "tree_diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_CONTEXT 3
#define DIFF_MAX_D 2048		/* trace memory is (D+1)^2 ints */

struct diff_line {
	const char *s;
	size_t len;		/* includes the '\n' when there is one */
	uint64_t hash;
};

struct diff_side {
	struct diff_line *v;
	size_t n;
	bool *edit;		/* per line: deleted (a) or inserted (b) */
};

enum diff_op { OP_SAME, OP_DEL, OP_INS };

struct diff_step {
	enum diff_op op;
	size_t a, b;		/* line index on each side (before the step) */
};

static int diff_split(struct diff_side *side, const char *s, size_t len)
{
	size_t n = 0, i = 0;

	for (size_t k = 0; k < len; k++)
		n += s[k] == '\n';
	n += len && s[len - 1] != '\n';
	side->v = malloc((n ? n : 1) * sizeof *side->v);
	side->edit = calloc(n ? n : 1, sizeof *side->edit);
	if (!side->v || !side->edit)
		return -1;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		struct diff_line *l = &side->v[side->n++];
		uint64_t h = 1469598103934665603u;	/* FNV-1a */

		l->s = s + i;
		l->len = end - i;
		for (size_t k = i; k < end; k++)
			h = (h ^ (unsigned char)s[k]) * 1099511628211u;
		l->hash = h;
		i = end;
	}
	return 0;
}

static bool diff_eq(const struct diff_line *x, const struct diff_line *y)
{
	return x->hash == y->hash && x->len == y->len && !memcmp(x->s, y->s, x->len);
}

/* Myers over a[ao, ao+n) and b[bo, bo+m); marks the edits.  0, 1 = too many, -1 = oom. */
static int diff_myers(struct diff_side *a, struct diff_side *b, size_t ao, size_t n,
		      size_t bo, size_t m)
{
	long N = (long)n, M = (long)m, D = -1, dmax = N + M;
	long *v = NULL, *trace = NULL, x, y;
	size_t cap = 0;
	int rc = -1;

	if (dmax > DIFF_MAX_D)
		dmax = DIFF_MAX_D;
	v = calloc((size_t)(2 * dmax + 3), sizeof *v);
	if (!v)
		goto out_free;
	v += dmax + 1;		/* v[k] for k in [-dmax-1, dmax+1] */
	for (long d = 0; d <= dmax && D < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			x = (k == -d || (k != d && v[k - 1] < v[k + 1])) ? v[k + 1] : v[k - 1] + 1;
			y = x - k;
			while (x < N && y < M && diff_eq(&a->v[ao + (size_t)x], &b->v[bo + (size_t)y]))
				x++, y++;
			v[k] = x;
			if (x >= N && y >= M)
				D = d;
		}
		if ((size_t)((d + 1) * (d + 1)) > cap) {
			size_t ncap = cap ? 4 * cap : 1024;
			long *t = realloc(trace, ncap * sizeof *t);
			if (!t)
				goto out_free;
			trace = t;
			cap = ncap;
		}
		memcpy(trace + d * d, v - d, (size_t)(2 * d + 1) * sizeof *v);
	}
	rc = 1;
	if (D < 0)
		goto out_free;
	x = N, y = M;
	for (long d = D; d > 0; d--) {
		const long *pv = trace + (d - 1) * (d - 1) + (d - 1);	/* pv[k], |k| < d */
		long k = x - y, pk, px, py;

		pk = (k == -d || (k != d && pv[k - 1] < pv[k + 1])) ? k + 1 : k - 1;
		px = pv[pk];
		py = px - pk;
		x = px, y = py;
		if (pk == k + 1)
			b->edit[bo + (size_t)py] = true;
		else
			a->edit[ao + (size_t)px] = true;
	}
	rc = 0;
out_free:
	if (v)
		free(v - dmax - 1);
	free(trace);
	return rc;
}

static void diff_line_out(struct strbuf *out, char mark, const struct diff_line *l)
{
	strbuf_addch(out, mark);
	strbuf_add(out, l->s, l->len);
	if (!l->len || l->s[l->len - 1] != '\n')
		strbuf_addstr(out, "\n\\ No newline at end of file\n");
}

static void diff_range(struct strbuf *out, char sign, size_t first, size_t count)
{
	/* GNU diff -u: an empty range names the line before it; ",1" is left out. */
	if (count == 1)
		strbuf_addf(out, " %c%zu", sign, first + 1);
	else
		strbuf_addf(out, " %c%zu,%zu", sign, count ? first + 1 : first, count);
}

static void diff_hunk(struct strbuf *out, const struct diff_step *st, size_t from,
		      size_t to, const struct diff_side *a, const struct diff_side *b)
{
	size_t na = 0, nb = 0;

	for (size_t i = from; i < to; i++) {
		na += st[i].op != OP_INS;
		nb += st[i].op != OP_DEL;
	}
	strbuf_addstr(out, "@@");
	diff_range(out, '-', st[from].a, na);
	diff_range(out, '+', st[from].b, nb);
	strbuf_addstr(out, " @@\n");
	for (size_t i = from; i < to; i++) {
		if (st[i].op == OP_INS)
			diff_line_out(out, '+', &b->v[st[i].b]);
		else
			diff_line_out(out, st[i].op == OP_DEL ? '-' : ' ', &a->v[st[i].a]);
	}
}

/* Walk both sides into one list of steps, deletions before insertions. */
static size_t diff_steps(struct diff_step *st, const struct diff_side *a,
			 const struct diff_side *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n || j < b->n) {
		struct diff_step *s = &st[n++];

		s->a = i, s->b = j;
		if (i < a->n && a->edit[i])
			s->op = OP_DEL, i++;
		else if (j < b->n && b->edit[j])
			s->op = OP_INS, j++;
		else
			s->op = OP_SAME, i++, j++;
	}
	return n;
}

static void diff_hunks(struct strbuf *out, const struct diff_step *st, size_t n,
		       const struct diff_side *a, const struct diff_side *b)
{
	size_t i = 0;

	while (i < n) {
		size_t first, last, from, to;

		while (i < n && st[i].op == OP_SAME)
			i++;
		if (i == n)
			break;
		first = last = i;
		for (size_t gap = 0; i < n && gap <= 2 * DIFF_CONTEXT; i++) {
			gap = st[i].op == OP_SAME ? gap + 1 : 0;
			if (st[i].op != OP_SAME)
				last = i;
		}
		from = first > DIFF_CONTEXT ? first - DIFF_CONTEXT : 0;
		to = last + 1 + DIFF_CONTEXT < n ? last + 1 + DIFF_CONTEXT : n;
		diff_hunk(out, st, from, to, a, b);
		i = to;
	}
}

/*
** A file name in a diff header as GNU diff writes it: one with a tab, a
** newline, a quote, a backslash or another control byte C-quoted
** ("a\tb/x.yaml"), which patch and git apply read back; else as it is,
** followed by a tab when it holds a blank (there diff puts a timestamp:
** patch reads the name up to the tab, not the blank).  In git's "diff
** --git" line (`git`) a name with a blank is C-quoted too: patch splits
** that line at blanks, and finds no file to patch for "my dir/x.yaml".
*/
static void diff_label(struct strbuf *out, const char *name, bool git)
{
	const unsigned char *p;
	bool quote = false;

	for (p = (const unsigned char *)name; *p && !quote; p++)
		quote = *p < 0x20 || *p == 0x7F || *p == '"' || *p == '\\' ||
			(git && *p == ' ');
	if (!quote) {
		strbuf_addf(out, "%s%s", name, !git && strchr(name, ' ') ? "\t" : "");
		return;
	}
	strbuf_addch(out, '"');
	for (p = (const unsigned char *)name; *p; p++) {
		const char *esc = *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '"' ? "\\\"" :
				  *p == '\\' ? "\\\\" : NULL;

		if (esc)
			strbuf_addstr(out, esc);
		else if (*p < 0x20 || *p == 0x7F)
			strbuf_addf(out, "\\%03o", *p);
		else
			strbuf_addch(out, (char)*p);
	}
	strbuf_addch(out, '"');
}

int tree_diff_mode(struct strbuf *out, const char *label, unsigned oldmode,
		   unsigned newmode)
{
	strbuf_addstr(out, "diff --git ");
	diff_label(out, label, true);
	strbuf_addch(out, ' ');
	diff_label(out, label, true);
	strbuf_addf(out, "\nold mode 100%03o\nnew mode 100%03o\n", oldmode & 0777,
		    newmode & 0777);
	return out->oom ? -1 : 0;
}

int tree_diff_unified(struct strbuf *out, const char *alabel, const char *a,
		      size_t alen, const char *blabel, const char *b, size_t blen)
{
	struct diff_side sa = { NULL, 0, NULL }, sb = { NULL, 0, NULL };
	struct diff_step *st = NULL;
	size_t head = 0, tail = 0, n;
	int rc = -1, r;

	if (alen == blen && !memcmp(a, b, alen))
		return 0;
	if (diff_split(&sa, a, alen) < 0 || diff_split(&sb, b, blen) < 0)
		goto out_free;
	while (head < sa.n && head < sb.n && diff_eq(&sa.v[head], &sb.v[head]))
		head++;
	while (tail < sa.n - head && tail < sb.n - head &&
	       diff_eq(&sa.v[sa.n - 1 - tail], &sb.v[sb.n - 1 - tail]))
		tail++;
	r = diff_myers(&sa, &sb, head, sa.n - head - tail, head, sb.n - head - tail);
	if (r < 0)
		goto out_free;
	for (size_t i = head; r == 1 && i < sa.n - tail; i++)
		sa.edit[i] = true;
	for (size_t j = head; r == 1 && j < sb.n - tail; j++)
		sb.edit[j] = true;
	st = malloc((sa.n + sb.n + 1) * sizeof *st);
	if (!st)
		goto out_free;
	n = diff_steps(st, &sa, &sb);
	strbuf_addstr(out, "--- ");
	diff_label(out, alabel, false);
	strbuf_addstr(out, "\n+++ ");
	diff_label(out, blabel, false);
	strbuf_addch(out, '\n');
	diff_hunks(out, st, n, &sa, &sb);
	rc = out->oom ? -1 : 0;
out_free:
	free(st);
	free(sa.v);
	free(sa.edit);
	free(sb.v);
	free(sb.edit);
	return rc;
}
