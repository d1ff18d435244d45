/*
** suppress.c: parsing of suppression lists and "# sparklint: ignore" line
** comments (see suppress.h).
*/
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "suppress.h"
#include "util.h"
#include "ysource.h"

/* A blank; a newline too, between the ids of an annotation written as a block. */
static bool suppress_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool suppress_is_idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '/' || c == ':';
}

void suppress_iter_init(struct suppress_iter *it, const char *list, size_t len)
{
	it->p = list;
	it->end = list + len;
	it->last = list;
	it->first = true;
}

/*
** The next id or, when `separators`, reason's separator ("--"): skips
** blanks and, after the first, one comma.
*/
static bool suppress_iter_step(struct suppress_iter *it, const char **id,
			       size_t *idlen, bool separators)
{
	const char *s = it->p, *end = it->end;

	while (s < end && suppress_is_space(*s))
		s++;
	if (!it->first) {
		if (s >= end || *s != ',')
			return false;
		s++;
		while (s < end && suppress_is_space(*s))
			s++;
	}
	it->first = false;
	*id = s;
	while (s < end && suppress_is_idch(*s))
		s++;
	*idlen = (size_t)(s - *id);
	if (!separators && suppress_is_separator(*id, *idlen)) {
		it->p = *id;	/* the rest starts at the separator */
		return false;
	}
	it->p = s;
	if (*idlen)
		it->last = s;
	return *idlen > 0;
}

/* The next id: a separator ends the list as an empty id does ("a,--,b" is "a"). */
bool suppress_iter_next(struct suppress_iter *it, const char **id, size_t *idlen)
{
	return suppress_iter_step(it, id, idlen, false);
}

size_t suppress_iter_rest(const struct suppress_iter *it, const char **rest)
{
	const char *s = it->p;

	while (s < it->end && suppress_is_space(*s))
		s++;
	*rest = s;
	return (size_t)(it->end - s);
}

const char *suppress_iter_trailing(const struct suppress_iter *it)
{
	const char *s = it->last, *comma;

	if (it->first)
		return NULL;
	while (s < it->end && suppress_is_space(*s))
		s++;
	if (s == it->end || *s != ',')
		return NULL;
	comma = s++;
	while (s < it->end && suppress_is_space(*s))
		s++;
	return s == it->end ? comma : NULL;
}

/*
** Length of the id list at the start of `s` (ids, commas and blanks), a
** reason's separators among them: "ignore -- why" and "ignore a, -- why"
** are suppression comments whose lists have a gap (suppress_lines_gap).
*/
static size_t suppress_list_span(const char *s, const char *end)
{
	struct suppress_iter it;
	const char *id, *last = s;
	size_t idlen;

	suppress_iter_init(&it, s, (size_t)(end - s));
	while (suppress_iter_step(&it, &id, &idlen, true))
		last = id + idlen;
	return (size_t)(last - s);
}

/* Two ids by their text alone. */
static int suppress_id_text_cmp(const struct suppress_id *a, const struct suppress_id *b)
{
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* By text, then by place: the first of equal ids is the earliest. */
static int suppress_id_cmp(const void *pa, const void *pb)
{
	const struct suppress_id *a = pa, *b = pb;
	int c = suppress_id_text_cmp(a, b);

	if (c)
		return c;
	return a->s < b->s ? -1 : a->s > b->s;
}

void suppress_index_build(struct suppress_index *x, const char *list, size_t len)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen, cap = 0;

	suppress_index_release(x);
	x->list = list;
	x->len = len;
	suppress_iter_init(&it, list, len);
	while (suppress_iter_next(&it, &id, &idlen)) {
		if (x->n == cap) {
			cap = cap ? 2 * cap : 8;
			x->v = xrealloc(x->v, cap * sizeof(*x->v));
		}
		x->v[x->n].s = id;
		x->v[x->n++].len = idlen;
	}
	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), suppress_id_cmp);
}

/* The earliest place of `rule` in the list, or NULL. */
static const char *suppress_index_first(const struct suppress_index *x,
					const char *rule)
{
	struct suppress_id key = { rule, strlen(rule) };
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (suppress_id_text_cmp(&x->v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->n && !suppress_id_text_cmp(&x->v[lo], &key))
		return x->v[lo].s;
	return NULL;
}

const char *suppress_index_find(const struct suppress_index *x, const char *rule)
{
	const char *a = suppress_index_first(x, "all");
	const char *r = suppress_index_first(x, rule);

	if (!a || (r && r < a))
		return r;
	return a;
}

void suppress_index_release(struct suppress_index *x)
{
	free(x->v);
	memset(x, 0, sizeof(*x));
}

/* Match `word` at *p, advancing past it. */
static bool suppress_eat(const char **p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(end - *p) < n || memcmp(*p, word, n))
		return false;
	*p += n;
	return true;
}

static void suppress_skip_blanks(const char **p, const char *end)
{
	while (*p < end && suppress_is_space(**p))
		(*p)++;
}

/*
** The next comment at or after byte `from` of the line that carries the
** mark: '#' at the line's start or after a blank, then blanks and
** SUPPRESS_MARK.  Stores where its '#' is and where the text after the
** mark starts (blanks skipped).
*/
static bool suppress_mark_at(const char *line, size_t len, size_t from,
			     const char **hash, const char **text)
{
	const char *end = line + len;

	if (from >= len)
		return false;
	for (const char *h = memchr(line + from, '#', len - from); h;
	     h = memchr(h + 1, '#', (size_t)(end - h - 1))) {
		const char *p = h + 1;

		if (h > line && !suppress_is_space(h[-1]))
			continue;
		suppress_skip_blanks(&p, end);
		if (!suppress_eat(&p, end, SUPPRESS_MARK))
			continue;
		suppress_skip_blanks(&p, end);
		*hash = h;
		*text = p;
		return true;
	}
	return false;
}

/*
** The text after a comment's mark, p up to the line's end: "ignore", a
** blank and an id list make a suppression (SUPPRESS_SOUND), *span and
** *spanlen then the list.  Otherwise the flaw, and *span and *spanlen the
** text at fault, to the line's end (no trimming here: a line of many marks
** and many blanks would cost their product).
*/
static enum suppress_flaw suppress_parse(const char *p, const char *end,
					 const char **span, size_t *spanlen)
{
	const char *q = p;

	*span = p;
	*spanlen = (size_t)(end - p);
	if (!suppress_eat(&q, end, "ignore") || (q < end && !suppress_is_space(*q)))
		return SUPPRESS_NO_IGNORE;
	suppress_skip_blanks(&q, end);
	*span = q;
	if ((*spanlen = suppress_list_span(q, end)))
		return SUPPRESS_SOUND;
	*spanlen = (size_t)(end - q);
	return SUPPRESS_NO_IDS;
}

/* Is the comment at h the first thing on its line? */
static bool suppress_alone(const char *line, const char *h)
{
	for (const char *q = line; q < h; q++)
		if (!suppress_is_space(*q))
			return false;
	return true;
}

/* suppress_comment from byte `from` of the line on, and where its '#' is. */
static bool suppress_comment_at(const char *line, size_t len, size_t from,
				const char **list, size_t *listlen, bool *alone,
				const char **hash)
{
	const char *h, *text;

	for (; suppress_mark_at(line, len, from, &h, &text);
	     from = (size_t)(h - line) + 1) {
		if (suppress_parse(text, line + len, list, listlen) != SUPPRESS_SOUND)
			continue;
		*hash = h;
		*alone = suppress_alone(line, h);
		return true;
	}
	return false;
}

bool suppress_comment(const char *line, size_t len, const char **list,
		      size_t *listlen, bool *alone)
{
	const char *hash;

	return suppress_comment_at(line, len, 0, list, listlen, alone, &hash);
}

/*
** The length of the line break at p (0: none), as libyaml counts lines, so
** that a comment's line is the line of the findings next to it: LF, CRLF,
** a lone CR, and NEL, LS and PS (U+0085, U+2028, U+2029) in UTF-8.
*/
static size_t suppress_break(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(end - p);

	if (u[0] == '\n')
		return 1;
	if (u[0] == '\r')
		return left > 1 && u[1] == '\n' ? 2 : 1;
	if (u[0] == 0xC2 && left > 1 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xE2 && left > 2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

const char *suppress_next_break(const char *p, const char *end, size_t *blen)
{
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c == '\n' || c == '\r' || c == 0xC2 || c == 0xE2) &&
		    (*blen = suppress_break(p, end)))
			return p;
	}
	*blen = 0;
	return end;
}

void suppress_lines_init(struct suppress_lines *sl, char *buf, size_t len)
{
	const char *end = buf + len, *p;
	size_t n = 1, k = 0, blen;

	/* a whole benchmark stream (50 MB) is read here when one finding falls in it */
	for (p = buf; (p = suppress_next_break(p, end, &blen)) < end; p += blen)
		n++;
	sl->buf = buf;
	sl->len = len;
	sl->off = xmalloc((n + 1) * sizeof(*sl->off));
	sl->off[k++] = 0;
	for (p = buf; (p = suppress_next_break(p, end, &blen)) < end; p += blen)
		sl->off[k++] = (size_t)(p + blen - buf);
	sl->off[k] = len;	/* sentinel: the end of the last line */
	sl->n = n;
	sl->comments = NULL;
	sl->ncomments = 0;
	sl->classified = false;
	memset(sl->memo, 0, sizeof(sl->memo));
}

void suppress_lines_release(struct suppress_lines *sl)
{
	free(sl->buf);
	free(sl->off);
	free(sl->comments);
	for (size_t i = 0; i < countof(sl->memo); i++)
		suppress_index_release(&sl->memo[i].ids);
	memset(sl, 0, sizeof(*sl));
}

/*
** Interned reason text after the list: stray commas that end it ("a,",
** "a,, -- why") and a leading "--", "-" or ":" dropped, and the commas
** after it ("a,--,b" has "b").
*/
static const char *suppress_reason(const char *p, const char *end)
{
	char *copy;
	const char *r;

	while (p < end && (*p == ',' || suppress_is_space(*p)))
		p++;
	while (p < end && (*p == '-' || *p == ':'))
		p++;
	while (p < end && (*p == ',' || suppress_is_space(*p)))
		p++;
	while (end > p && suppress_is_space(end[-1]))
		end--;
	if (p >= end)
		return NULL;
	copy = xstrndup(p, (size_t)(end - p));
	r = util_intern(copy);
	free(copy);
	return r;
}

static bool suppress_lines_get(const struct suppress_lines *sl, size_t no,
			       const char **line, size_t *len)
{
	size_t start, blen;

	if (no < 1 || no > sl->n)
		return false;
	start = sl->off[no - 1];
	*line = sl->buf + start;
	*len = (size_t)(suppress_next_break(*line, sl->buf + sl->off[no], &blen) - *line);
	return true;
}

const char *suppress_col_origin(const struct suppress_lines *sl, size_t no)
{
	const char *line = sl->buf + sl->off[no - 1];

	return no == 1 && sl->len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3) ? line + 3 : line;
}

size_t suppress_cols(const char **q, const char *to)
{
	size_t k = 0;

	for (; *q < to; (*q)++)
		k += ((unsigned char)**q & 0xC0) != 0x80;
	return k;
}

/* A comment that carries the mark, by the text alone: where its '#' is. */
struct suppress_cand {
	size_t line, col;	/* as libyaml counts: from 0, col in code points */
	size_t at;		/* byte offset in the text */
};

/* Is candidate c before mark m of a parse that started at line `base`? */
static bool suppress_before(const struct suppress_cand *c, size_t base,
			    yaml_mark_t m)
{
	return c->line < base + m.line ||
	       (c->line == base + m.line && c->col < m.column);
}

/*
** Where a parse may start to see line `no` (1-based) as the whole text
** would: the last document marker "---" at or above it (one at column 0 is
** one wherever it stands, even among a block scalar's lines), with the
** directives right above it, or the text's start.
*/
static size_t suppress_doc_start(const struct suppress_lines *sl, size_t no)
{
	const char *line;
	size_t len;

	for (; no > 1; no--) {
		if (!suppress_lines_get(sl, no, &line, &len) || len < 3 ||
		    memcmp(line, "---", 3) ||
		    (len > 3 && line[3] != ' ' && line[3] != '\t' && line[3] != '\r'))
			continue;
		while (no > 1 && suppress_lines_get(sl, no - 1, &line, &len) &&
		       len && line[0] == '%')
			no--;
		return no;
	}
	return 1;
}

/* Candidate c is a comment. */
static void suppress_keep(struct suppress_lines *sl, const struct suppress_cand *c)
{
	sl->comments[sl->ncomments++] = c->at;
}

/*
** Find the comments that carry the mark and are YAML comments: not text in
** a quoted or block scalar (a script in a ConfigMap may hold one), nor past
** a syntax error (that document was not linted).  libyaml reports no
** comments, so the first lookup parses the text again, for events only:
** a candidate is a comment when it lies outside every scalar's span.
*/
static void suppress_classify(struct suppress_lines *sl)
{
	struct suppress_cand *c = NULL;
	size_t n = 0, alloc = 0, k = 0, base;
	struct ysource src;
	yaml_parser_t parser;
	yaml_event_t ev;

	sl->classified = true;
	for (size_t no = 1; no <= sl->n; no++) {
		const char *line, *text, *hash, *q;
		size_t len, col = 0;

		if (!suppress_lines_get(sl, no, &line, &len))
			continue;
		q = suppress_col_origin(sl, no);
		for (size_t from = 0; suppress_mark_at(line, len, from, &hash, &text);
		     from = (size_t)(hash - line) + 1) {
			col += suppress_cols(&q, hash);
			if (n == alloc) {
				alloc = alloc ? 2 * alloc : 16;
				c = xrealloc(c, alloc * sizeof(*c));
			}
			c[n++] = (struct suppress_cand){ no - 1, col, (size_t)(hash - sl->buf) };
		}
	}
	if (!n)
		return;
	sl->comments = xmalloc(n * sizeof(*sl->comments));
	if (!yaml_parser_initialize(&parser))
		xoom();
	/* from the document of the first candidate to the last candidate */
	base = suppress_doc_start(sl, c[0].line + 1) - 1;
	/* read as the loader reads it: a byte order mark starting a later line is dropped */
	ysource_init_buffer(&src, sl->buf + sl->off[base], sl->len - sl->off[base]);
	yaml_parser_set_input(&parser, ysource_read, &src);
	while (k < n && (src.fed = 0, yaml_parser_parse(&parser, &ev))) {
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_scalar_style_t style = ev.type == YAML_SCALAR_EVENT ?
					    ev.data.scalar.style : YAML_PLAIN_SCALAR_STYLE;

		for (; k < n && (end || suppress_before(&c[k], base, ev.start_mark)); k++)
			suppress_keep(sl, &c[k]);
		if (style != YAML_PLAIN_SCALAR_STYLE) {
			/* a block scalar's text starts below its header, whose comment is one */
			if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE)
				for (; k < n && c[k].line == base + ev.start_mark.line; k++)
					suppress_keep(sl, &c[k]);
			while (k < n && suppress_before(&c[k], base, ev.end_mark))
				k++;
		}
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	free(c);
}

/* The index in sl->comments of the first comment at or after byte `start`. */
static size_t suppress_first_comment(struct suppress_lines *sl, size_t start)
{
	size_t lo = 0, hi;

	if (!sl->classified)
		suppress_classify(sl);
	for (hi = sl->ncomments; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (sl->comments[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool suppress_lines_find(struct suppress_lines *sl, unsigned no,
				const char **list, size_t *listlen, bool *alone)
{
	const char *line, *hash, *text;
	size_t len, k, start;

	if (!suppress_lines_get(sl, no, &line, &len) ||
	    !suppress_comment_at(line, len, 0, list, listlen, alone, &hash))
		return false;
	start = (size_t)(line - sl->buf);
	for (k = suppress_first_comment(sl, start);
	     k < sl->ncomments && sl->comments[k] < start + len; k++) {
		suppress_mark_at(line, len, sl->comments[k] - start, &hash, &text);
		if (suppress_parse(text, line + len, list, listlen) == SUPPRESS_SOUND) {
			*alone = suppress_alone(line, hash);
			return true;
		}
	}
	return false;
}

bool suppress_lines_comment(struct suppress_lines *sl, unsigned no,
			    const char **list, size_t *listlen, bool *alone)
{
	struct suppress_memo *m = &sl->memo[no % 2];

	if (no == 0 || m->no != no) {
		suppress_index_release(&m->ids);
		m->reason = NULL;
		m->found = suppress_lines_find(sl, no, &m->list, &m->listlen, &m->alone);
		m->no = no;
	}
	*list = m->list;
	*listlen = m->listlen;
	*alone = m->alone;
	return m->found;
}

enum suppress_flaw suppress_lines_flaw(struct suppress_lines *sl, unsigned no,
				       const char **hash, const char **text,
				       size_t *textlen)
{
	const char *line, *p;
	size_t len, k, start;
	enum suppress_flaw flaw;

	if (!suppress_lines_get(sl, no, &line, &len) ||
	    !suppress_mark_at(line, len, 0, hash, &p))
		return SUPPRESS_SOUND;
	start = (size_t)(line - sl->buf);
	k = suppress_first_comment(sl, start);
	if (k == sl->ncomments || sl->comments[k] >= start + len)
		return SUPPRESS_SOUND;
	suppress_mark_at(line, len, sl->comments[k] - start, hash, &p);
	flaw = suppress_parse(p, line + len, text, textlen);
	while (*textlen && suppress_is_space((*text)[*textlen - 1]))
		(*textlen)--;
	return flaw;
}

size_t suppress_lines_word_after(const struct suppress_lines *sl, unsigned no,
				 const char *list, size_t listlen,
				 const char **word)
{
	const char *line, *p, *end, *s;
	size_t len;

	if (!suppress_lines_get(sl, no, &line, &len))
		return 0;
	p = list + listlen;
	end = line + len;
	suppress_skip_blanks(&p, end);
	if (p == end || *p == '-' || *p == ':')	/* a reason's separator */
		return 0;
	for (s = p; s < end && suppress_is_idch(*s); s++)
		;
	*word = p;
	return (size_t)(s - p);
}

bool suppress_is_separator(const char *id, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (id[i] != '-' && id[i] != ':')
			return false;
	return len > 0;
}

enum suppress_gap suppress_lines_gap(const struct suppress_lines *sl, unsigned no,
				     const char *list, size_t listlen,
				     const char **at, size_t *atlen)
{
	struct suppress_iter it;
	const char *line, *end, *id, *p;
	size_t len, idlen;

	*atlen = 0;
	if (!suppress_lines_get(sl, no, &line, &len))
		return SUPPRESS_LIST_SOUND;
	end = line + len;
	if (suppress_is_separator(list, listlen)) {
		/* back over "# sparklint: ignore ": the line holds its '#' */
		for (*at = list; *at > line && **at != '#'; (*at)--)
			;
		return SUPPRESS_LIST_REASON;
	}
	/* a separator among the ids ("a, -- why") ends them, or an empty id right after them */
	suppress_iter_init(&it, list, listlen);
	while (suppress_iter_next(&it, &id, &idlen))
		;
	if (suppress_iter_rest(&it, &p))
		goto item;
	p = list + listlen;
	suppress_skip_blanks(&p, end);
	if (p == end || *p != ',')
		return SUPPRESS_LIST_SOUND;
	*at = p++;
	suppress_skip_blanks(&p, end);
	if (p == end)
		return SUPPRESS_LIST_TRAILING;
item:
	while (end > p && suppress_is_space(end[-1]))
		end--;
	*at = p;
	*atlen = (size_t)(end - p);
	return SUPPRESS_LIST_ITEM;
}

/* Where the ids of a list end: at its end, or at a separator in it ("a,--,b"). */
static const char *suppress_ids_end(const char *list, size_t len)
{
	struct suppress_iter it;
	const char *id;
	size_t idlen;

	suppress_iter_init(&it, list, len);
	while (suppress_iter_next(&it, &id, &idlen))
		;
	return suppress_iter_rest(&it, &id) ? id : list + len;
}

const char *suppress_lines_second(const struct suppress_lines *sl, unsigned no,
				  const char *list, size_t listlen)
{
	const char *line, *hash, *text, *span, *p;
	size_t len, spanlen, from;

	if (!suppress_lines_get(sl, no, &line, &len))
		return NULL;
	/* a reason started with "--" (after stray commas, or among the ids) is prose */
	for (p = suppress_ids_end(list, listlen);
	     p < line + len && (*p == ',' || suppress_is_space(*p)); p++)
		;
	if (p < line + len && (*p == '-' || *p == ':'))
		return NULL;
	/* each mark is looked at once, up to the next '#': linear in the line */
	for (from = (size_t)(list + listlen - line);
	     suppress_mark_at(line, len, from, &hash, &text);
	     from = (size_t)(hash - line) + 1)
		if (suppress_parse(text, line + len, &span, &spanlen) == SUPPRESS_SOUND)
			return hash;
	return NULL;
}

/*
** Does line `no` (1-based) carry a comment suppressing `rule`?  Its ids
** are sorted and its reason interned once (the line's memo), however many
** findings the line holds.
*/
static bool suppress_line_has(struct suppress_lines *sl, unsigned no,
			      const char *rule, bool need_alone,
			      const char **reason, const char **by)
{
	struct suppress_memo *m = &sl->memo[no % 2];
	const char *list, *line;
	size_t listlen, len;
	bool alone;

	if (!suppress_lines_comment(sl, no, &list, &listlen, &alone))
		return false;
	if (need_alone && !alone)
		return false;
	if (!m->ids.list) {
		suppress_index_build(&m->ids, list, listlen);
		suppress_lines_get(sl, no, &line, &len);
		m->reason = suppress_reason(suppress_ids_end(list, listlen), line + len);
	}
	if (!(*by = suppress_index_find(&m->ids, rule)))
		return false;
	*reason = m->reason;
	return true;
}

bool suppress_lines_match(struct suppress_lines *sl, unsigned line,
			  const char *rule, const char **reason, const char **by)
{
	*reason = NULL;
	*by = NULL;
	return suppress_line_has(sl, line, rule, false, reason, by) ||
	       suppress_line_has(sl, line - 1, rule, true, reason, by);
}
