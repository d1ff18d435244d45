/*
** ydoc.c: the YAML loader.  libyaml's event parser (never its document
** loader) drives a small state machine that builds the positioned tree of
** lib/ydoc.h in one arena, with Kubernetes' scalar typing, merge keys, an
** alias budget, a depth limit and errors that carry positions.
*/
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "util.h"
#include "yarena.h"
#include "ydoc.h"
#include "ydoc_int.h"
#include "ysource.h"

/* ================================================================ loader */

/* Holds on 64-bit targets; the tree's memory is mostly nodes. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct ynode) == 32,
	       "struct ynode grew beyond 32 bytes");

/*
** Scalar texts go through a small direct-mapped cache, so the keys and
** values a stream repeats (an image, a label value) share one copy; the
** ones every manifest repeats come from ydoc_words.c, and strings of up to
** YDOC_INLINE_MAX bytes live in the node itself.
*/
#define STRCACHE_SIZE 1024		/* slots, a power of two */
#define STRCACHE_MAXLEN 64		/* longer texts are copied, not cached */

struct ystrslot {
	const char *s;			/* arena copy, or NULL */
	uint32_t len;
};

struct yanchor {
	const char *name;		/* arena copy; NULL = free slot */
	struct ynode *node;
	unsigned height;		/* levels of collections in the node */
};

struct yframe {
	struct ynode *node;		/* the SEQ or MAP being built */
	size_t base;			/* its first slot in the scratch stack */
	unsigned height;		/* highest child so far */
	bool merge;			/* a << key was seen */
	const char *anchor;		/* its anchor, or NULL */
};

struct yloader {
	yaml_parser_t parser;
	struct ysource src;
	struct ystream *ys;
	struct diag_list *dl;
	struct yarena *arena;
	struct yframe frames[YDOC_MAX_DEPTH];
	unsigned depth;			/* open collections */
	struct ynode **scratch;		/* children of all open collections */
	size_t nscratch, ascratch;
	struct yanchor *anchors;	/* open addressing, power-of-two size */
	size_t nanchors, canchors;
	const struct ynode **keyset;	/* scratch hash set for duplicate keys */
	size_t ckeyset;
	struct ystrslot *strcache;	/* STRCACHE_SIZE slots, made on first use */
	uint64_t budget;		/* nodes added by aliases in this document */
	struct ynode *root;		/* of the open document */
	bool root_empty;		/* ... which is empty or only comments */
	unsigned line0;			/* lines of the stream before this input */
	unsigned docno;			/* documents begun */
	unsigned index;			/* index of the open document */
	size_t adocs;
	yaml_mark_t last;		/* end of the last event */
	yaml_mark_t end_marker;		/* the '...' that ended the last document */
	bool explicit_end;		/* ... with no document begun since */
	yaml_mark_t root_end;		/* where the last document's root ended */
	bool ended;			/* a document ended, none begun since */
	bool root_block;		/* the last document's root is a block collection, */
	bool root_kind_map;		/* ... a mapping (else a sequence), */
	yaml_mark_t root_indent;	/* ... whose first key or '-' is here */
	bool directive_next;		/* the last document ended where a directive is, */
	yaml_mark_t directive;		/* ... here */
};

static int ld_errorv(struct yloader *ld, const char *code, unsigned line,
		     unsigned col, const char *fmt, va_list ap)
{
	struct diag_pos pos = { ld->ys->file, line, col };
	unsigned eline, ecol;

	/*
	** libyaml puts errors at the end of an input that lacks its final
	** newline on the line after the last: point at the real end instead.
	*/
	if (ld->src.eof) {
		ysource_end(&ld->src, &eline, &ecol);
		if (line > eline) {
			pos.line = eline;
			pos.col = ecol;
		}
	}
	return diag_vaddf(ld->dl, DIAG_ERROR, code, pos, fmt, ap);
}

/* An error at a node's (1-based) position. */
__attribute__((format(printf, 4, 5)))
static int ld_error_at(struct yloader *ld, unsigned line, unsigned col,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_errorv(ld, "yaml", line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at a libyaml (0-based) mark. */
__attribute__((format(printf, 3, 4)))
static int ld_error(struct yloader *ld, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_errorv(ld, "yaml", (unsigned)m.line + 1, (unsigned)m.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static int ld_oom(struct yloader *ld)
{
	struct diag_pos pos = { ld->ys->file, (unsigned)ld->last.line + 1,
				(unsigned)ld->last.column + 1 };

	return diag_addf(ld->dl, DIAG_ERROR, "oom", pos, "out of memory");
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
	return a > YDOC_WEIGHT_MAX - b ? YDOC_WEIGHT_MAX : a + b;
}

static struct ynode *new_node(struct yloader *ld, enum ynode_type type,
			      yaml_mark_t m)
{
	struct ynode *n = yarena_alloc(ld->arena, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = (uint32_t)(m.line + ld->line0) + 1;
	n->col = (uint32_t)m.column + 1;
	n->weight = 1;
	return n;
}

/* ---------------------------------------------------------------- texts */

/* An arena copy of s[0..len), shared with an equal earlier one when cached. */
static const char *text_copy(struct yloader *ld, const char *s, size_t len)
{
	struct ystrslot *slot;
	const char *common;
	size_t h;
	char *d;

	if (len > STRCACHE_MAXLEN)
		return yarena_strndup(ld->arena, s, len);
	h = ydoc_hash(s, len);
	if ((common = ydoc_common_text(s, len, h)))
		return common;
	if (!ld->strcache && !(ld->strcache = calloc(STRCACHE_SIZE, sizeof(*ld->strcache))))
		return NULL;
	slot = &ld->strcache[h & (STRCACHE_SIZE - 1)];
	if (slot->s && slot->len == len && !memcmp(slot->s, s, len))
		return slot->s;
	if (!(d = yarena_strndup(ld->arena, s, len)))
		return NULL;
	slot->s = d;
	slot->len = (uint32_t)len;
	return d;
}

/*
** Give scalar n its text.  A short string lives in the node's own `u`,
** which strings do not use; typed scalars keep their value there.
*/
static int set_text(struct yloader *ld, struct ynode *n, const char *s, size_t len)
{
	n->len = (uint32_t)len;
	if (n->type == YN_STR && len <= YDOC_INLINE_MAX) {
		char *d = (char *)&n->u;

		memcpy(d, s, len);
		d[len] = '\0';
		n->text = d;
		return 0;
	}
	return (n->text = text_copy(ld, s, len)) ? 0 : -1;
}

/* ---------------------------------------------------------------- anchors */

static struct yanchor *anchor_slot(struct yanchor *v, size_t cap, const char *name)
{
	size_t mask = cap - 1, i = ydoc_hash(name, strlen(name)) & mask;

	while (v[i].name && strcmp(v[i].name, name))
		i = (i + 1) & mask;
	return &v[i];
}

static struct yanchor *anchor_find(struct yloader *ld, const char *name)
{
	struct yanchor *a;

	if (!ld->canchors)
		return NULL;
	a = anchor_slot(ld->anchors, ld->canchors, name);
	return a->name ? a : NULL;
}

static int anchor_grow(struct yloader *ld)
{
	size_t cap = ld->canchors ? ld->canchors * 2 : 64;
	struct yanchor *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < ld->canchors; i++)
		if (ld->anchors[i].name)
			*anchor_slot(v, cap, ld->anchors[i].name) = ld->anchors[i];
	free(ld->anchors);
	ld->anchors = v;
	ld->canchors = cap;
	return 0;
}

/* Define (or redefine) an anchor; returns its arena name or NULL on OOM. */
static const char *anchor_define(struct yloader *ld, const char *name,
				 struct ynode *n, unsigned height)
{
	struct yanchor *a;

	if ((ld->nanchors + 1) * 2 > ld->canchors && anchor_grow(ld) < 0)
		return NULL;
	a = anchor_slot(ld->anchors, ld->canchors, name);
	if (!a->name) {
		if (!(a->name = yarena_strndup(ld->arena, name, strlen(name))))
			return NULL;
		ld->nanchors++;
	}
	a->node = n;
	a->height = height;
	n->flags |= YNF_ANCHOR;
	return a->name;
}

static void anchors_reset(struct yloader *ld)
{
	if (ld->nanchors)
		memset(ld->anchors, 0, ld->canchors * sizeof(*ld->anchors));
	ld->nanchors = 0;
}

/* ---------------------------------------------------------------- keys */

static bool key_equal(const struct ynode *a, const struct ynode *b)
{
	return a->len == b->len && !memcmp(a->text, b->text, a->len);
}

/* Make room for a set of n keys; clears it. */
static int keyset_init(struct yloader *ld, size_t n)
{
	size_t cap = 64;

	while (cap < n * 2)
		cap *= 2;
	if (cap > ld->ckeyset) {
		const struct ynode **v = realloc(ld->keyset, cap * sizeof(*v));

		if (!v)
			return -1;
		ld->keyset = v;
		ld->ckeyset = cap;
	}
	memset(ld->keyset, 0, cap * sizeof(*ld->keyset));
	ld->ckeyset = cap;	/* probe only the cleared part */
	return 0;
}

/* Insert k; returns the equal key already there, or NULL. */
static const struct ynode *keyset_add(struct yloader *ld, const struct ynode *k)
{
	size_t mask = ld->ckeyset - 1, i = ydoc_hash(k->text, k->len) & mask;

	for (; ld->keyset[i]; i = (i + 1) & mask)
		if (key_equal(ld->keyset[i], k))
			return ld->keyset[i];
	ld->keyset[i] = k;
	return NULL;
}

static int dup_error(struct yloader *ld, const struct ynode *k,
		     const struct ynode *first)
{
	int n = (int)util_utf8_cut(k->text, k->len, 80);

	return ld_error_at(ld, k->line, k->col,
			   "duplicate key '%.*s%s' (first at line %u, column %u)",
			   n, k->text, (size_t)n < k->len ? "..." : "",
			   first->line, first->col);
}

static int check_duplicates(struct yloader *ld, const struct ypair *v, size_t n)
{
	if (n <= 8) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (key_equal(v[i].key, v[j].key))
					return dup_error(ld, v[i].key, v[j].key);
		return 0;
	}
	if (keyset_init(ld, n) < 0)
		return ld_oom(ld);
	for (size_t i = 0; i < n; i++) {
		const struct ynode *first = keyset_add(ld, v[i].key);

		if (first)
			return dup_error(ld, v[i].key, first);
	}
	return 0;
}

/* A scalar key that is not a string becomes one (8080 -> "8080"). */
static struct ynode *key_to_string(struct yloader *ld, struct ynode *n)
{
	char buf[YDOC_KEY_BUF];
	size_t len = ydoc_key_format(n, buf);

	if (n->flags & (YNF_ANCHOR | YNF_SHARED)) {	/* an alias may want the typed value */
		struct ynode *copy = yarena_alloc(ld->arena, sizeof(*copy));

		if (!copy)
			return NULL;
		*copy = *n;
		copy->flags = 0;
		n = copy;
	}
	n->type = YN_STR;
	n->style = YS_PLAIN;
	return set_text(ld, n, buf, len) < 0 ? NULL : n;
}

/* ---------------------------------------------------------------- tree */

static struct yframe *top(struct yloader *ld)
{
	return ld->depth ? &ld->frames[ld->depth - 1] : NULL;
}

/* The next node of the open collection is a mapping key. */
static bool wants_key(struct yloader *ld)
{
	struct yframe *f = top(ld);

	return f && f->node->type == YN_MAP && (ld->nscratch - f->base) % 2 == 0;
}

/* The next node is the value of a merge key `<<`. */
static bool merge_value(struct yloader *ld)
{
	struct yframe *f = top(ld);

	return f && f->node->type == YN_MAP && (ld->nscratch - f->base) % 2 == 1 &&
	       (ld->scratch[ld->nscratch - 1]->flags & YNF_MERGE);
}

static int scratch_push(struct yloader *ld, struct ynode *n)
{
	if (ld->nscratch == ld->ascratch) {
		size_t cap = ld->ascratch ? ld->ascratch * 2 : 256;
		struct ynode **v = realloc(ld->scratch, cap * sizeof(*v));

		if (!v)
			return -1;
		ld->scratch = v;
		ld->ascratch = cap;
	}
	ld->scratch[ld->nscratch++] = n;
	return 0;
}

/* Hand a finished node (`height` levels of collections) to its parent. */
static int attach(struct yloader *ld, struct ynode *n, unsigned height)
{
	struct yframe *f = top(ld);

	if (!f) {
		ld->root = n;
		return 0;
	}
	if (wants_key(ld)) {
		if (n->type == YN_SEQ || n->type == YN_MAP)
			return ld_error_at(ld, n->line, n->col,
					   "a %s cannot be a mapping key",
					   n->type == YN_MAP ? "mapping" : "sequence");
		if (n->flags & YNF_MERGE)
			f->merge = true;
		else if (n->type != YN_STR && !(n = key_to_string(ld, n)))
			return ld_oom(ld);
	}
	if (scratch_push(ld, n) < 0)
		return ld_oom(ld);
	f->node->weight = sat_add(f->node->weight, n->weight);
	if (height > f->height)
		f->height = height;
	return 0;
}

#define YTAG "tag:yaml.org,2002:"

/* A scalar's type and value before it becomes a node. */
struct yscalar {
	enum ynode_type type;
	bool merge;		/* a merge key `<<` */
	bool b;
	int64_t i;
	double f;
};

/* An explicitly tagged scalar: !!int and friends must fit; others are text. */
static int resolve_tagged(struct yloader *ld, struct yscalar *sc, const char *tag,
			  const char *text, size_t len, yaml_mark_t m)
{
	enum ynode_type want, got;
	const char *t;

	sc->type = YN_STR;
	if (strncmp(tag, YTAG, sizeof(YTAG) - 1))
		return 0;	/* "!", local and unknown tags: the text */
	t = tag + sizeof(YTAG) - 1;
	if (!strcmp(t, "merge") && len == 2 && !memcmp(text, "<<", 2))
		sc->merge = true;
	if (!strcmp(t, "int"))
		want = YN_INT;
	else if (!strcmp(t, "float"))
		want = YN_FLOAT;
	else if (!strcmp(t, "bool"))
		want = YN_BOOL;
	else if (!strcmp(t, "null"))
		want = YN_NULL;
	else
		return 0;	/* str, binary, timestamp, ...: the text */
	got = ydoc_resolve_plain(text, len, &sc->b, &sc->i, &sc->f);
	if (want == YN_FLOAT && got == YN_INT) {
		sc->f = (double)sc->i;
		got = YN_FLOAT;
	}
	if (got != want) {
		int n = (int)util_utf8_cut(text, len, 80);

		return ld_error_at(ld, (unsigned)m.line + 1, (unsigned)m.column + 1,
				   "value '%.*s%s' is not a valid !!%s", n, text,
				   (size_t)n < len ? "..." : "", t);
	}
	sc->type = got;
	return 0;
}

static int on_scalar(struct yloader *ld, yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *anchor = (const char *)ev->data.scalar.anchor;
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	yaml_scalar_style_t style = ev->data.scalar.style;
	struct yscalar sc = { YN_STR, false, false, 0, 0 };
	struct ynode *n;

	if (len > YDOC_MAX_TOKEN)	/* the source refuses longer tokens; keep len 32-bit */
		return ld_error(ld, ev->start_mark, "scalar or token longer than %u MiB",
				YDOC_MAX_TOKEN >> 20);
	if (!(n = new_node(ld, YN_STR, ev->start_mark)))
		return ld_oom(ld);
	n->style = style == YAML_PLAIN_SCALAR_STYLE ? YS_PLAIN :
		   style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE ?
		   YS_BLOCK : YS_QUOTED;
	if (tag) {
		if (resolve_tagged(ld, &sc, tag, text, len, ev->start_mark) < 0)
			return -1;
	} else if (n->style == YS_PLAIN) {
		sc.type = ydoc_resolve_plain(text, len, &sc.b, &sc.i, &sc.f);
		sc.merge = len == 2 && text[0] == '<' && text[1] == '<';
	}
	n->type = sc.type;
	if (sc.merge)
		n->flags |= YNF_MERGE;
	if (sc.type == YN_BOOL)
		n->u.b = sc.b;
	else if (sc.type == YN_INT)
		n->u.i = sc.i;
	else if (sc.type == YN_FLOAT)
		n->u.f = sc.f;
	if (set_text(ld, n, text, len) < 0)
		return ld_oom(ld);
	/*
	** Every view copies an aliased scalar's text where the alias stands
	** (a Lua string, a JSON string): the budget counts the text too, or a
	** thousand aliases of a 1 MiB scalar would make gigabytes of it.
	*/
	n->weight = 1 + (uint32_t)(len / YDOC_ALIAS_TEXT_UNIT);
	if (anchor && !anchor_define(ld, anchor, n, 0))
		return ld_oom(ld);
	if (!ld->depth)
		ld->root_empty = !len && n->style == YS_PLAIN && !tag && !anchor;
	return attach(ld, n, 0);
}

static int on_start(struct yloader *ld, yaml_event_t *ev, enum ynode_type type,
		    const yaml_char_t *anchor)
{
	struct yframe *f;
	struct ynode *n;

	if (ld->depth >= YDOC_MAX_DEPTH)
		return ld_error(ld, ev->start_mark, "nesting deeper than %d levels",
				YDOC_MAX_DEPTH);
	if (wants_key(ld))
		return ld_error(ld, ev->start_mark, "a %s cannot be a mapping key",
				type == YN_MAP ? "mapping" : "sequence");
	if (!(n = new_node(ld, type, ev->start_mark)))
		return ld_oom(ld);
	if (!ld->depth) {
		/* a block collection's start event ends at its first key or '-' */
		ld->root_block = type == YN_MAP ?
			ev->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE :
			ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE;
		ld->root_kind_map = type == YN_MAP;
		ld->root_indent = ev->end_mark;
	}
	n->flags |= YNF_OPEN;
	f = &ld->frames[ld->depth++];
	f->node = n;
	f->base = ld->nscratch;
	f->height = 0;
	f->merge = false;
	f->anchor = NULL;
	if (anchor && !(f->anchor = anchor_define(ld, (const char *)anchor, n, 0)))
		return ld_oom(ld);
	return 0;
}

/* Close the top collection: its anchor learns its height; attach it. */
static int on_close(struct yloader *ld, struct yframe *f)
{
	struct ynode *n = f->node;
	unsigned height = f->height + 1;

	n->flags &= ~YNF_OPEN & 0xfu;
	if (f->anchor) {
		struct yanchor *a = anchor_find(ld, f->anchor);

		if (a && a->node == n)
			a->height = height;
	}
	ld->depth--;
	return attach(ld, n, height);
}

/* Counts are 32-bit (struct ynode); unreachable below 16 GiB of input. */
static int too_many(struct yloader *ld, const struct ynode *n)
{
	return ld_error_at(ld, n->line, n->col, "%s with more than %u entries",
			   n->type == YN_MAP ? "mapping" : "sequence", UINT32_MAX);
}

static int on_seq_end(struct yloader *ld)
{
	struct yframe *f = top(ld);
	struct ynode *n = f->node;
	size_t cnt = ld->nscratch - f->base;

	if (cnt > UINT32_MAX)
		return too_many(ld, n);
	if (cnt) {
		n->u.seq.v = yarena_alloc(ld->arena, cnt * sizeof(*n->u.seq.v));
		if (!n->u.seq.v)
			return ld_oom(ld);
		memcpy(n->u.seq.v, ld->scratch + f->base, cnt * sizeof(*n->u.seq.v));
	}
	n->u.seq.n = (uint32_t)cnt;
	ld->nscratch = f->base;
	return on_close(ld, f);
}

/* The mappings a merge value names: a mapping or a sequence of them. */
static int merge_sources(struct yloader *ld, const struct ynode *v,
			 const struct ynode *const **src, size_t *nsrc)
{
	if (v->type == YN_MAP) {
		*src = NULL;
		*nsrc = 1;
		return 0;
	}
	if (v->type == YN_SEQ) {
		for (size_t i = 0; i < v->u.seq.n; i++)
			if (v->u.seq.v[i]->type != YN_MAP)
				return ld_error_at(ld, v->u.seq.v[i]->line, v->u.seq.v[i]->col,
						   "merge key '<<' needs mappings; this is not one");
		*src = (const struct ynode *const *)v->u.seq.v;
		*nsrc = v->u.seq.n;
		return 0;
	}
	return ld_error_at(ld, v->line, v->col,
			   "merge key '<<' needs a mapping or a sequence of mappings");
}

/* Pairs the merge key at e[0], e[1] offers: 0, or -1 after an error. */
static int merge_count(struct yloader *ld, struct ynode *const *e, size_t *cnt)
{
	const struct ynode *const *src;
	size_t nsrc;

	*cnt = 0;
	if (merge_sources(ld, e[1], &src, &nsrc) < 0)
		return -1;
	for (size_t s = 0; s < nsrc; s++)
		*cnt += (src ? src[s] : e[1])->u.map.n;
	return 0;
}

/*
** Claim the names the merge key at e[0], e[1] offers, its sources in order;
** won[c] says whether its c-th pair got its name.
*/
static void merge_claim(struct yloader *ld, struct ynode *const *e, bool *won)
{
	const struct ynode *const *src;
	size_t nsrc, c = 0;

	merge_sources(ld, e[1], &src, &nsrc);
	for (size_t s = 0; s < nsrc; s++) {
		const struct ynode *m = src ? src[s] : e[1];

		for (size_t j = 0; j < m->u.map.n; j++)
			won[c++] = !keyset_add(ld, m->u.map.v[j].key);
	}
}

/*
** Pairs of a mapping with merge keys, as go-yaml v2 (so kubectl) reads
** them: in one << list an earlier mapping wins, and of two << keys the
** later one (v2 merges each in turn over the last).  Explicit keys win
** over merged ones wherever they stand (the merge-key specification; v2
** lets a << after a key override it).  Merged keys sit where the << that
** gave them was.  Duplicate explicit keys are an error.
*/
static int flatten_merges(struct yloader *ld, struct yframe *f,
			  struct ypair **out, size_t *nout)
{
	struct ynode **e = ld->scratch + f->base;
	size_t cnt = (ld->nscratch - f->base) / 2, bound = 0, nmerged = 0, n = 0, c;
	const struct ynode *const *src;
	struct ypair *v;
	bool *won;
	size_t nsrc;

	for (size_t i = 0; i < cnt; i++) {
		if (!(e[2 * i]->flags & YNF_MERGE)) {
			bound++;
			continue;
		}
		if (merge_count(ld, e + 2 * i, &c) < 0)
			return -1;
		nmerged += c;
	}
	bound += nmerged;
	if (keyset_init(ld, bound) < 0 || !(v = yarena_alloc(ld->arena, (bound ? bound : 1) * sizeof(*v))))
		return ld_oom(ld);
	if (!(won = malloc((nmerged ? nmerged : 1) * sizeof(*won))))
		return ld_oom(ld);
	for (size_t i = 0; i < cnt; i++) {	/* explicit keys first claim their names */
		const struct ynode *first;

		if (e[2 * i]->flags & YNF_MERGE)
			continue;
		if ((first = keyset_add(ld, e[2 * i]))) {
			free(won);
			return dup_error(ld, e[2 * i], first);
		}
	}
	c = nmerged;
	for (size_t i = cnt; i-- > 0;) {	/* then the << keys, the last first */
		size_t k;

		if (!(e[2 * i]->flags & YNF_MERGE))
			continue;
		merge_count(ld, e + 2 * i, &k);
		c -= k;
		merge_claim(ld, e + 2 * i, won + c);
	}
	for (size_t i = 0; i < cnt; i++) {
		if (!(e[2 * i]->flags & YNF_MERGE)) {
			v[n].key = e[2 * i];
			v[n++].val = e[2 * i + 1];
			continue;
		}
		merge_sources(ld, e[2 * i + 1], &src, &nsrc);
		for (size_t s = 0; s < nsrc; s++) {
			const struct ynode *m = src ? src[s] : e[2 * i + 1];

			for (size_t j = 0; j < m->u.map.n; j++)
				if (won[c++])
					v[n++] = m->u.map.v[j];
		}
	}
	free(won);
	*out = v;
	*nout = n;
	return 0;
}

static int on_map_end(struct yloader *ld)
{
	struct yframe *f = top(ld);
	struct ynode *n = f->node;
	size_t cnt = (ld->nscratch - f->base) / 2;
	struct ynode **e = cnt ? ld->scratch + f->base : NULL;
	struct ypair *v = NULL;

	if (f->merge) {
		if (flatten_merges(ld, f, &v, &cnt) < 0)
			return -1;
		n->weight = 1;
		for (size_t i = 0; i < cnt; i++)
			n->weight = sat_add(n->weight, sat_add(v[i].key->weight, v[i].val->weight));
	} else if (cnt) {
		if (!(v = yarena_alloc(ld->arena, cnt * sizeof(*v))))
			return ld_oom(ld);
		for (size_t i = 0; i < cnt; i++) {
			v[i].key = e[2 * i];
			v[i].val = e[2 * i + 1];
		}
		if (check_duplicates(ld, v, cnt) < 0)
			return -1;
	}
	if (cnt > UINT32_MAX)
		return too_many(ld, n);
	n->u.map.v = v;
	n->u.map.n = (uint32_t)cnt;
	ld->nscratch = f->base;
	return on_close(ld, f);
}

static int on_alias(struct yloader *ld, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct yanchor *a = anchor_find(ld, name);
	struct ynode *n;

	if (!a)
		return ld_error(ld, ev->start_mark, "undefined alias '%s'", name);
	n = a->node;
	if (n->flags & YNF_OPEN)
		return ld_error(ld, ev->start_mark,
				"alias '%s' refers to a node that contains it", name);
	ld->budget += n->weight;
	if (ld->budget > YDOC_MAX_ALIAS_EXPANSION)
		return ld_error(ld, ev->start_mark,
				"alias expansion exceeds %d nodes (billion laughs?)",
				YDOC_MAX_ALIAS_EXPANSION);
	if (ld->depth + a->height > YDOC_MAX_DEPTH)
		return ld_error(ld, ev->start_mark,
				"alias '%s' makes nesting deeper than %d levels",
				name, YDOC_MAX_DEPTH);
	if (merge_value(ld) && n->type != YN_MAP)
		return ld_error(ld, ev->start_mark, "merge key '<<' needs a mapping or a "
				"sequence of mappings written in place; '%s' is a %s, and "
				"Kubernetes (go-yaml) refuses an alias of anything but a mapping there",
				name, n->type == YN_SEQ ? "sequence" : "scalar");
	n->flags |= YNF_SHARED;
	return attach(ld, n, a->height);
}

static int on_doc_end(struct yloader *ld)
{
	struct ystream *ys = ld->ys;

	if (!ld->root || ld->root_empty) {
		ys->nempty++;
		return 0;
	}
	if (ys->ndocs == ld->adocs) {
		size_t cap = ld->adocs ? ld->adocs * 2 : 8;
		struct ydoc *v = realloc(ys->docs, cap * sizeof(*v));

		if (!v)
			return ld_oom(ld);
		ys->docs = v;
		ld->adocs = cap;
	}
	ys->docs[ys->ndocs].root = ld->root;
	ys->docs[ys->ndocs++].index = ld->index;
	return 0;
}

/*
** Whether the token that ended the document without a '...' (libyaml has
** peeked it and keeps it at the queue's head) is a directive: the next
** document then needs a '---' after it.
*/
static void directive_next(struct yloader *ld)
{
	const yaml_parser_t *p = &ld->parser;
	const yaml_token_t *t = p->tokens.head;

	ld->directive_next = !ld->explicit_end && p->token_available && t &&
			     t < p->tokens.tail &&
			     (t->type == YAML_VERSION_DIRECTIVE_TOKEN ||
			      t->type == YAML_TAG_DIRECTIVE_TOKEN);
	if (ld->directive_next)
		ld->directive = t->start_mark;
}

static int on_event(struct yloader *ld, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		anchors_reset(ld);
		ld->budget = 0;
		ld->root = NULL;
		ld->root_empty = false;
		ld->index = ld->docno++;
		ld->explicit_end = false;
		ld->ended = false;
		ld->root_block = false;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		ld->explicit_end = !ev->data.document_end.implicit;
		ld->end_marker = ev->start_mark;
		ld->ended = true;
		ld->root_end = ld->last;	/* the end of the event before */
		directive_next(ld);
		return on_doc_end(ld);
	case YAML_SCALAR_EVENT:
		return on_scalar(ld, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(ld, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(ld, ev, YN_SEQ, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return on_start(ld, ev, YN_MAP, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
		return on_seq_end(ld);
	case YAML_MAPPING_END_EVENT:
		return on_map_end(ld);
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- errors */

/*
** Where the token being scanned began: libyaml's pending simple-key
** candidate when it has one (a plain or quoted scalar), else the end of
** the last event.
*/
static yaml_mark_t token_start(struct yloader *ld)
{
	yaml_parser_t *p = &ld->parser;
	yaml_mark_t m = ld->last;

	if (p->simple_keys.top > p->simple_keys.start) {
		yaml_simple_key_t *k = p->simple_keys.top - 1;

		if (k->possible && k->mark.index >= m.index)
			m = k->mark;
	}
	return m;
}

/* libyaml's reader errors carry a byte offset; find its line and column. */
static int reader_error(struct yloader *ld)
{
	yaml_parser_t *p = &ld->parser;
	const char *problem = p->problem ? p->problem : "cannot decode input";
	struct ysource *s = &ld->src;
	unsigned line, col;
	int v = p->problem_value;

	if (s->too_long)
		return ld_error(ld, token_start(ld), "scalar or token longer than %u MiB",
				YDOC_MAX_TOKEN >> 20);
	if (s->err) {
		struct diag_pos pos = { ld->ys->file, 0, 0 };

		return diag_addf(ld->dl, DIAG_ERROR, "io", pos, "cannot read '%s': %s",
				 ld->ys->file, strerror(s->err));
	}
	if (p->encoding != YAML_UTF8_ENCODING) {
		line = (unsigned)p->mark.line + 1;
		col = (unsigned)p->mark.column + 1;
	} else {
		ysource_position(s, p->problem_offset + s->dropped, &line, &col);
	}
	if (!strcmp(problem, "control characters are not allowed"))
		return ld_error_at(ld, line, col, v == 0 ?
				   "NUL byte in input (binary file?)" :
				   "control character U+%04X in input (binary file?)", v);
	if (!strcmp(problem, "invalid length of a UTF-8 sequence"))
		return ld_error_at(ld, line, col, "invalid UTF-8: overlong encoding");
	if (!strcmp(problem, "invalid Unicode character"))
		return ld_error_at(ld, line, col,
				   "invalid UTF-8: U+%04X is not a valid character", v);
	if (strstr(problem, "UTF-8") && v >= 0)
		return ld_error_at(ld, line, col, "invalid UTF-8: %s 0x%02X", problem, v);
	if (strstr(problem, "UTF-8"))
		return ld_error_at(ld, line, col, "invalid UTF-8: %s", problem);
	if (v >= 0)
		return ld_error_at(ld, line, col, "%s (U+%04X)", problem, v);
	return ld_error_at(ld, line, col, "%s", problem);
}

/*
** libyaml's "did not find expected <document start>": after a document has
** ended, or after directives, only '---' starts one.  Which of the three
** it was, said at the content that needs the '---'.
*/
static int document_start_error(struct yloader *ld)
{
	yaml_mark_t m = ld->parser.problem_mark;

	if (ld->explicit_end) {
		/* YAML 1.1 (libyaml, go-yaml): after '...' only '---' may start a document */
		ld_error(ld, m, "content after the document end marker '...' at line %zu "
			 "without a '---' to start a new document", ld->end_marker.line + 1);
		return diag_hintf(ld->dl, "put a '---' line before it, or delete the '...' "
				  "(kubectl splits documents at '---' lines only, and would "
				  "drop what follows the '...')");
	}
	if ((ld->ended && ld->directive_next) || !ld->docno) {
		/*
		** directives ('%' lines) opened the stream, or came right after a
		** document: "a: 1\n%YAML 1.2\nb: 2"; at the first of them then
		*/
		ld_error(ld, ld->docno ? ld->directive : m, "a directive ('%%' line) must be "
			 "followed by a '---' line that starts the document");
		return diag_hintf(ld->dl, "put a '---' line after the directives, or delete "
				  "them (a Kubernetes manifest needs none)");
	}
	if (ld->ended && ld->root_block && m.column < ld->root_indent.column) {
		/* "  a: 1\nb: 2": a less indented line ends the block root */
		ld_error(ld, m, "content at column %zu is less indented than the document's "
			 "first node (line %zu, column %zu), so it falls after the document's "
			 "root %s (a document holds one node)", m.column + 1,
			 ld->root_indent.line + 1, ld->root_indent.column + 1,
			 ld->root_kind_map ? "mapping" : "sequence");
		return diag_hintf(ld->dl, "indent the document consistently: take away the "
				  "leading spaces its first node has (a manifest pasted indented?), "
				  "or indent this line to column %zu; or put a '---' line before it "
				  "to start a new document", ld->root_indent.column + 1);
	}
	if (ld->ended && !ld->root_block) {
		/* a flow collection or a scalar root is the whole document: "[a, b] c" */
		ld_error(ld, m, "content after the document's root node, which ends at "
			 "line %zu, column %zu (a document holds one node)",
			 ld->root_end.line + 1, ld->root_end.column + 1);
		return diag_hintf(ld->dl, "a root that is a flow collection ('[...]', '{...}') "
				  "or a scalar ends the document: move the content into it, or "
				  "put a '---' line before it to start a new document");
	}
	return ld_error(ld, m, "%s", ld->parser.problem);
}

/*
** libyaml's errors on a document's directives, said plainly with a hint;
** false for any other error.  An unsupported %YAML version names the
** version when the token still at the queue's head is the directive.
*/
static bool directive_error(struct yloader *ld)
{
	yaml_parser_t *p = &ld->parser;
	const yaml_token_t *t = p->tokens.head;
	yaml_mark_t m = p->problem_mark;

	if (!strcmp(p->problem, "found incompatible YAML document")) {
		if (t && t < p->tokens.tail && t->type == YAML_VERSION_DIRECTIVE_TOKEN &&
		    t->start_mark.index == m.index)
			ld_error(ld, m, "YAML version %d.%d of the %%YAML directive is not "
				 "supported (1.1 and 1.2 are)", t->data.version_directive.major,
				 t->data.version_directive.minor);
		else
			ld_error(ld, m, "the YAML version of the %%YAML directive is not "
				 "supported (1.1 and 1.2 are)");
		diag_hintf(ld->dl, "delete the directive, or write '%%YAML 1.2'");
	} else if (!strcmp(p->problem, "found duplicate %YAML directive")) {
		ld_error(ld, m, "a second %%YAML directive for one document");
		diag_hintf(ld->dl, "delete one of them");
	} else if (!strcmp(p->problem, "found duplicate %TAG directive")) {
		ld_error(ld, m, "a second %%TAG directive for one tag handle");
		diag_hintf(ld->dl, "delete one of them, or give it another handle");
	} else if (!strcmp(p->problem, "found undefined tag handle")) {
		ld_error(ld, m, "a tag handle that no %%TAG directive defines (only '!' and "
			 "'!!' need none)");
		diag_hintf(ld->dl, "define it with a '%%TAG' line before the document's '---', "
			   "or write the tag in full ('!<tag:example.com,2000:x>')");
	} else {
		return false;
	}
	return true;
}

static int parser_error(struct yloader *ld)
{
	yaml_parser_t *p = &ld->parser;
	const char *problem = p->problem ? p->problem : "syntax error";
	yaml_mark_t m = p->problem_mark, c = p->context_mark;

	if (p->error == YAML_MEMORY_ERROR)
		return ld_oom(ld);
	if (p->error == YAML_READER_ERROR)
		return reader_error(ld);
	if (!strcmp(problem, "found character that cannot start any token") &&
	    p->buffer.pointer < p->buffer.last && *p->buffer.pointer == '\t')
		return ld_error(ld, m, "tab character where a token should start "
				"(YAML indents with spaces only)");
	if (!strcmp(problem, "did not find expected <document start>"))
		return document_start_error(ld);
	if (p->error == YAML_PARSER_ERROR && directive_error(ld))
		return -1;
	if (!p->context)
		return ld_error(ld, m, "%s", problem);
	if (c.line == m.line && c.column == m.column)
		return ld_error(ld, m, "%s (%s)", problem, p->context);
	return ld_error(ld, m, "%s (%s at line %zu, column %zu)", problem,
			p->context, c.line + 1, c.column + 1);
}

/* ------------------------------------------------- JSON surrogate pairs */

/*
** JSON writes a character outside the BMP as a UTF-16 surrogate pair of
** escapes ("\ud83d\ude80": Python's json.dumps does by default, and Go's
** decoder, so kubectl, reads it); YAML has no such pairs, and libyaml
** refuses the first half.  When it does, in a text that is JSON (its first
** character '{' or '['; in a YAML file, quoting can be told apart only by a
** YAML parser), the text is loaded again with each pair inside a string
** written as the one escape YAML has for it, "\U0001F680", and the two
** bytes saved put as spaces after the string's closing quote: every line
** keeps its length, so every position after the string is the same.
*/
static const char pair_problem[] = "found invalid Unicode character escape code";

static int hex4(const unsigned char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0' :
			(c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* The text with its pairs rewritten (caller frees), or NULL if it has none. */
static char *unpair_json(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	unsigned char *out, *o;
	bool in = false, changed = false;
	unsigned pad = 0;

	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == end || (*p != '{' && *p != '['))
		return NULL;
	if (!(out = malloc(len + 1)))
		return NULL;
	p = (const unsigned char *)text;
	for (o = out; p < end;) {
		int hi, lo;

		if (!in || (*p != '\\' && *p != '"')) {
			in ^= *p == '"';
			*o++ = *p++;
		} else if (*p == '"') {
			*o++ = *p++;
			for (; pad; pad--)
				*o++ = ' ';
			in = false;
		} else if (end - p >= 12 && p[1] == 'u' && (hi = hex4(p + 2)) >= 0xD800 &&
			   hi <= 0xDBFF && p[6] == '\\' && p[7] == 'u' &&
			   (lo = hex4(p + 8)) >= 0xDC00 && lo <= 0xDFFF) {
			o += sprintf((char *)o, "\\U%08X",
				     0x10000 + ((unsigned)(hi - 0xD800) << 10) + (unsigned)(lo - 0xDC00));
			pad += 2;
			p += 12;
			changed = true;
		} else {		/* any other escape: its two bytes */
			*o++ = *p++;
			if (p < end)
				*o++ = *p++;
		}
	}
	if (!changed || o - out != (ptrdiff_t)len) {	/* an unclosed string kept its pad */
		free(out);
		return NULL;
	}
	*o = '\0';
	return (char *)out;
}

/* After libyaml refused a pair: the whole input rewritten, or NULL. */
static char *unpair_input(struct yloader *ld, const struct ysource *src)
{
	const char *problem = ld->parser.problem;
	struct diag_list quiet = DIAG_LIST_INIT;	/* the load's own error is told */
	char *text, *fixed;
	size_t len;

	if (ld->parser.error != YAML_SCANNER_ERROR || !problem || strcmp(problem, pair_problem))
		return NULL;
	if (src->fd < 0)
		return unpair_json((const char *)src->buf, src->len);
	if (lseek(src->fd, 0, SEEK_SET) != 0)	/* a pipe: read once, gone */
		return NULL;
	text = util_read_fd(src->fd, ld->ys->file, 0, 0, &len, &quiet);
	diag_list_release(&quiet);
	if (!text)
		return NULL;
	fixed = unpair_json(text, len);
	free(text);
	return fixed;
}

/* ---------------------------------------------------------------- driver */

static void loader_release(struct yloader *ld)
{
	yaml_parser_delete(&ld->parser);
	free(ld->scratch);
	free(ld->anchors);
	free(ld->keyset);
	free(ld->strcache);
	free(ld);
}

static int load_stream(struct ystream *ys, struct ysource *src, unsigned line0,
		       struct diag_list *dl, bool *watched)
{
	struct yloader *ld = calloc(1, sizeof(*ld));
	struct diag_pos pos = { ys->file, 0, 0 };
	yaml_event_t ev;
	int rc = 0, done = 0;
	char *fixed = NULL;

	if (!ld || !(ys->arena = yarena_new()) || !yaml_parser_initialize(&ld->parser)) {
		free(ld);
		return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	}
	ld->ys = ys;
	ld->dl = dl;
	ld->arena = ys->arena;
	ld->src = *src;
	ld->line0 = line0;
	yaml_parser_set_input(&ld->parser, ysource_read, &ld->src);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&ld->parser, &ev)) {
			if (!src->unpaired && (fixed = unpair_input(ld, src)) != NULL)
				break;
			rc = parser_error(ld);
			break;
		}
		ld->src.fed = 0;
		rc = on_event(ld, &ev);
		ld->last = ev.end_mark;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	if (watched)
		*watched = ld->src.watched;
	loader_release(ld);
	if (fixed) {		/* again, from the start, with the pairs rewritten */
		const char *file = ys->file;
		struct ysource again;
		size_t len = strlen(fixed);

		ystream_release(ys);
		ys->file = file;
		ysource_init_buffer(&again, fixed, len);
		again.unpaired = true;
		rc = load_stream(ys, &again, line0, dl, NULL);
		if (watched && src->nwatch)
			*watched = memmem(fixed, len, src->watch, src->nwatch) != NULL;
		free(fixed);
		return rc;
	}
	yarena_seal(ys->arena);	/* the tree is complete: lend the rest of the chunk */
	return rc < 0 ? -1 : 0;
}

static int ystream_start(struct ystream *ys, const char *name,
			 struct diag_list *dl)
{
	struct diag_pos pos = { NULL, 0, 0 };

	memset(ys, 0, sizeof(*ys));
	if (!(ys->file = util_intern(name)))
		return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	return 0;
}

int ystream_load_buffer(struct ystream *ys, const char *name,
			const char *buf, size_t len, struct diag_list *dl)
{
	struct ysource src;

	if (ystream_start(ys, name, dl) < 0)
		return -1;
	ysource_init_buffer(&src, buf, len);
	return load_stream(ys, &src, 0, dl, NULL);
}

int ystream_load_piece(struct ystream *ys, const char *name, const char *buf,
		       size_t len, unsigned line0, struct diag_list *dl)
{
	struct ysource src;

	if (ystream_start(ys, name, dl) < 0)
		return -1;
	ysource_init_buffer(&src, buf, len);
	return load_stream(ys, &src, line0, dl, NULL);
}

int ystream_append(struct ystream *dst, struct ystream *src)
{
	unsigned before = (unsigned)dst->ndocs + dst->nempty;
	struct ydoc *v;

	if (src->ndocs) {
		if (src->ndocs > SIZE_MAX / sizeof(*v) - dst->ndocs ||
		    !(v = realloc(dst->docs, (dst->ndocs + src->ndocs) * sizeof(*v))))
			return -1;
		dst->docs = v;
	}
	if (!dst->arena) {
		dst->arena = src->arena;
	} else if (src->arena && yarena_merge(dst->arena, src->arena) < 0) {
		return -1;
	}
	src->arena = NULL;
	for (size_t i = 0; i < src->ndocs; i++) {
		dst->docs[dst->ndocs] = src->docs[i];
		dst->docs[dst->ndocs++].index += before;
	}
	dst->nempty += src->nempty;
	ystream_release(src);
	return 0;
}

/*
** A line break libyaml counts besides \n (\r, NEL, LS, PS), a NUL (a
** UTF-16 text, or a binary file) or a UTF-16 byte order mark: the stream is
** not cut.
*/
static bool cuts_unsafe(const char *buf, size_t len)
{
	const char *p, *end = buf + len;

	if (len >= 2 && ((unsigned char)buf[0] == 0xFE || (unsigned char)buf[0] == 0xFF))
		return true;
	if (memchr(buf, '\r', len) || memchr(buf, '\0', len))
		return true;
	for (p = buf; (p = memchr(p, 0xC2, (size_t)(end - p))); p++)
		if (end - p > 1 && (unsigned char)p[1] == 0x85)
			return true;
	for (p = buf; (p = memchr(p, 0xE2, (size_t)(end - p))); p++)
		if (end - p > 2 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9))
			return true;
	return false;
}

/* Is the line at p a document start marker: "---", then a blank or its end? */
static bool is_doc_start(const char *p, const char *end)
{
	return end - p >= 3 && p[0] == '-' && p[1] == '-' && p[2] == '-' &&
	       (end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\n');
}

size_t ystream_cuts(const char *buf, size_t len, size_t want,
		    struct ystream_cut *cuts)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0, step = want ? len / (want + 1) : 0;
	unsigned line = 0;

	if (!want || !step || cuts_unsafe(buf, len))
		return 0;
	while (p < end) {
		if (*p == '%')		/* a directive: it belongs to the next document */
			return 0;
		if (p > buf && n < want && (size_t)(p - buf) >= (n + 1) * step &&
		    is_doc_start(p, end)) {
			cuts[n].offset = (size_t)(p - buf);
			cuts[n++].line = line;
		}
		if (!(p = memchr(p, '\n', (size_t)(end - p))))
			break;
		p++;
		line++;
	}
	return n;
}

int ystream_load_file(struct ystream *ys, const char *path,
		      struct diag_list *dl)
{
	return ystream_load_file_watch(ys, path, NULL, NULL, dl);
}

/* Load from fd, after ystream_start. */
static int load_fd(struct ystream *ys, int fd, size_t size, const char *watch,
		   bool *seen, struct diag_list *dl)
{
	unsigned char *win = malloc(YSOURCE_WINDOW);
	struct diag_pos pos = { ys->file, 0, 0 };
	struct ysource src;
	int rc;

	if (!win)
		return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	ysource_init_fd(&src, fd, win, size ? size : SIZE_MAX);
	if (watch)
		ysource_watch(&src, watch);
	rc = load_stream(ys, &src, 0, dl, seen);
	free(win);
	return rc;
}

int ystream_load_fd_watch(struct ystream *ys, const char *path, int fd,
			  size_t size, const char *watch, bool *seen,
			  struct diag_list *dl)
{
	if (ystream_start(ys, path, dl) < 0)
		return -1;
	return load_fd(ys, fd, size, watch, seen, dl);
}

int ystream_load_file_watch(struct ystream *ys, const char *path,
			    const char *watch, bool *seen, struct diag_list *dl)
{
	bool is_stdin = !strcmp(path, "-");
	struct diag_pos pos;
	size_t size;
	int fd, rc;

	if (ystream_start(ys, path, dl) < 0)
		return -1;
	pos = (struct diag_pos){ ys->file, 0, 0 };
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_addf(dl, DIAG_ERROR, "io", pos, "cannot open '%s': %s",
				 path, strerror(errno));
	if ((size = util_fd_size(fd)) == SIZE_MAX)
		rc = diag_addf(dl, DIAG_ERROR, "io", pos,
			       "cannot read '%s': Is a directory", path);
	else
		rc = load_fd(ys, fd, size, watch, seen, dl);
	if (!is_stdin)
		close(fd);
	return rc;
}

void ystream_release(struct ystream *ys)
{
	if (!ys)
		return;
	yarena_free(ys->arena);
	free(ys->docs);
	memset(ys, 0, sizeof(*ys));
}
