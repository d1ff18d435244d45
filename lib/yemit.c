/*
** yemit.c: json_t -> YAML, the last step of sparkgen (and of the round-trip
** tests).  libyaml's event emitter writes into a strbuf; this file decides
** each scalar's style itself, because libyaml cannot know which plain
** scalars our loader, go-yaml v2 or PyYAML would read as something else.
*/
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "ydoc.h"
#include "util.h"
#include "yemit.h"

#define YEMIT_MAX_DEPTH YDOC_MAX_DEPTH	/* deeper output could not be loaded back */
#define YEMIT_PATH_SHOWN 200		/* bytes of path quoted in an error */

struct yemit_step {		/* one level of the current path, for errors */
	const char *key;	/* borrowed; NULL inside a sequence */
	size_t klen;
	size_t idx;
};

struct yemit {
	yaml_emitter_t em;
	struct diag_list *dl;	/* borrowed */
	size_t doc;		/* 0-based index of the document being written */
	unsigned depth;		/* collections open around the current node */
	bool reported;		/* a diagnostic for this failure is recorded */
	struct yemit_step path[YEMIT_MAX_DEPTH];
};

/* {================================================================
** Text analysis
** ================================================================= */

/*
** What libyaml 0.2.5 writes unescaped (its IS_PRINTABLE, which leaves out
** everything past the BMP: such strings come out double-quoted, \U-escaped).
*/
static bool printable(uint32_t c)
{
	return c == '\n' || (c >= 0x20 && c <= 0x7E) ||
	       (c >= 0xA0 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
}

struct yemit_scan {
	bool invalid;		/* malformed UTF-8 or a NUL: cannot be written */
	bool special;		/* a character libyaml escapes: double quotes only */
	bool newline;		/* contains '\n' */
	bool other_break;	/* U+2028 or U+2029 */
	bool indicator;		/* ": ", " #" or a final ':' inside the text */
};

static void scan_text(const char *s, size_t len, struct yemit_scan *sc)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w;
	uint32_t c, prev = ' ';

	memset(sc, 0, sizeof(*sc));
	while (i < len) {
		if (p[i] < 0x80)	/* ASCII: the common case, no decoding */
			c = p[i], w = 1;
		else
			w = util_utf8_decode(p + i, len - i, &c);
		if (w == 0 || c == 0) {
			sc->invalid = true;
			return;
		}
		if (!printable(c))
			sc->special = true;
		if (c == '\n')
			sc->newline = true;
		else if (c == 0x2028 || c == 0x2029)
			sc->other_break = true;
		else if (c == ':' && (i + 1 == len || p[i + 1] == ' '))
			sc->indicator = true;
		else if (c == '#' && i > 0 && prev == ' ')
			sc->indicator = true;
		prev = c;
		i += w;
	}
}

/* Where a plain scalar cannot start or end (libyaml's block context rules). */
static bool bad_edges(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];

	if (c == ' ' || s[len - 1] == ' ')
		return true;
	if (len >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
		return true;
	if (strchr(",[]{}#&*!|>'\"%@`", c) != NULL)
		return true;
	/* '-', '?' and ':' start a plain scalar unless a blank follows */
	return strchr("-?:", c) != NULL && (len == 1 || s[1] == ' ');
}

/* }================================================================ */

/* {================================================================
** Implicit typing: the union of what the readers we care about resolve
** ================================================================= */

/* Words that some reader takes for a bool, a null, a special float or a tag. */
static const char *const yemit_words[] = {
	"", "~", "null", "Null", "NULL",
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
	"true", "True", "TRUE", "false", "False", "FALSE",
	"on", "On", "ON", "off", "Off", "OFF",
	".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
	"-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
	"<<", "=",		/* PyYAML: merge key, and "value" (unconstructable) */
};

static bool is_word(const char *s, size_t len)
{
	size_t i;

	if (len > 6)
		return false;
	for (i = 0; i < sizeof(yemit_words) / sizeof(yemit_words[0]); i++)
		if (strlen(yemit_words[i]) == len &&
		    memcmp(yemit_words[i], s, len) == 0)
			return true;
	return false;
}

/* A cursor for the hand-written matchers below. */
struct yemit_cur {
	const char *p, *e;
	bool skip_us;		/* go-yaml strips every '_' before parsing numbers */
};

#define DEC "0123456789"
#define HEX DEC "abcdefABCDEF"

static int cur_peek(struct yemit_cur *c)
{
	while (c->skip_us && c->p < c->e && *c->p == '_')
		c->p++;
	return c->p < c->e ? (unsigned char)*c->p : -1;
}

static bool cur_done(struct yemit_cur *c)
{
	return cur_peek(c) < 0;
}

static bool cur_eat(struct yemit_cur *c, const char *set)
{
	int ch = cur_peek(c);

	if (ch <= 0 || strchr(set, ch) == NULL)
		return false;
	c->p++;
	return true;
}

static size_t cur_run(struct yemit_cur *c, const char *set)
{
	size_t n = 0;

	while (cur_eat(c, set))
		n++;
	return n;
}

/* Optional exponent: ([eE][-+]?[0-9]+)?, the sign required when `sign`. */
static bool cur_exponent(struct yemit_cur *c, bool sign)
{
	if (!cur_eat(c, "eE"))
		return true;
	if (!cur_eat(c, "+-") && sign)
		return false;
	return cur_run(c, DEC) > 0;
}

/* (:[0-5]?[0-9])+ ; greedy is exact here, nothing after may be a digit */
static bool cur_sexagesimal(struct yemit_cur *c)
{
	size_t n = 0;
	int d;

	while (cur_eat(c, ":")) {
		d = cur_peek(c);
		if (!cur_eat(c, DEC))
			return false;
		if (d <= '5')
			cur_eat(c, DEC);
		n++;
	}
	return n > 0;
}

/* PyYAML's int: 0b.., 0x.., 0[0-7_]+, decimal, sexagesimal 1:20. */
static bool py_int(const char *s, size_t len)
{
	struct yemit_cur c = { s, s + len, false };

	cur_eat(&c, "+-");
	if (cur_eat(&c, "0")) {
		if (cur_eat(&c, "b"))
			return cur_run(&c, "01_") > 0 && cur_done(&c);
		if (cur_eat(&c, "x"))
			return cur_run(&c, HEX "_") > 0 && cur_done(&c);
		cur_run(&c, "01234567_");
		return cur_done(&c);
	}
	if (!cur_eat(&c, "123456789"))
		return false;
	cur_run(&c, DEC "_");
	return cur_done(&c) || (cur_sexagesimal(&c) && cur_done(&c));
}

/* PyYAML's float (the .inf/.nan words are in yemit_words). */
static bool py_float(const char *s, size_t len)
{
	struct yemit_cur c = { s, s + len, false };
	bool sexa = false;

	if (cur_eat(&c, "."))	/* \.[0-9_]+ with an exponent, no sign */
		return cur_run(&c, DEC "_") > 0 && cur_exponent(&c, true) &&
		       cur_done(&c);
	cur_eat(&c, "+-");
	if (!cur_eat(&c, DEC))
		return false;
	cur_run(&c, DEC "_");
	if (cur_peek(&c) == ':') {
		if (!cur_sexagesimal(&c))
			return false;
		sexa = true;
	}
	if (!cur_eat(&c, "."))
		return false;
	cur_run(&c, DEC "_");
	return (sexa || cur_exponent(&c, true)) && cur_done(&c);
}

/*
** go-yaml v2 (and YAML 1.2 core): with every '_' removed, strconv.ParseInt
** base 0 (0x, 0o, 0b, octal, decimal) or its float pattern
** [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?.
*/
static bool go_number(const char *s, size_t len)
{
	struct yemit_cur c = { s, s + len, true };
	struct yemit_cur save;

	cur_eat(&c, "+-");
	save = c;
	if (cur_eat(&c, "0")) {
		if (cur_eat(&c, "xX"))
			return cur_run(&c, HEX) > 0 && cur_done(&c);
		if (cur_eat(&c, "oO"))
			return cur_run(&c, "01234567") > 0 && cur_done(&c);
		if (cur_eat(&c, "bB"))
			return cur_run(&c, "01") > 0 && cur_done(&c);
	}
	c = save;
	if (cur_eat(&c, ".")) {
		if (cur_run(&c, DEC) == 0)
			return false;
	} else {
		if (cur_run(&c, DEC) == 0)
			return false;
		if (cur_eat(&c, "."))
			cur_run(&c, DEC);
	}
	return cur_exponent(&c, false) && cur_done(&c);
}

/*
** A date, or the start of a date-time: YYYY-M(M)-D(D) alone or followed by
** T/t/blanks and a digit (PyYAML's timestamp, go-yaml's time formats).
*/
static bool timestamp(const char *s, size_t len)
{
	struct yemit_cur c = { s, s + len, false };
	size_t n;

	if (cur_run(&c, DEC) != 4 || !cur_eat(&c, "-"))
		return false;
	n = cur_run(&c, DEC);
	if (n < 1 || n > 2 || !cur_eat(&c, "-"))
		return false;
	n = cur_run(&c, DEC);
	if (n < 1 || n > 2)
		return false;
	if (cur_done(&c))
		return true;
	if (!cur_eat(&c, "Tt") && cur_run(&c, " \t") == 0)
		return false;
	return cur_eat(&c, DEC);
}

/* True when some reader would type the plain scalar as a non-string. */
static bool retyped(const char *s, size_t len)
{
	bool b;
	int64_t i;
	double f;

	if (ydoc_resolve_plain(s, len, &b, &i, &f) != YN_STR)
		return true;
	if (strchr("~nNyYtTfFoO.+-<=", s[0]) && is_word(s, len))
		return true;
	if (strchr(DEC "+-.", s[0]) == NULL)
		return false;
	return py_int(s, len) || py_float(s, len) || go_number(s, len) ||
	       timestamp(s, len);
}

/* }================================================================ */

/* The decision, once scan_text() has looked at every character. */
static bool quote_needed(const char *s, size_t len, const struct yemit_scan *sc)
{
	if (len == 0 || sc->invalid || sc->special || sc->newline ||
	    sc->other_break || sc->indicator)
		return true;
	return bad_edges(s, len) || retyped(s, len);
}

bool yemit_needs_quotes(const char *s, size_t len)
{
	struct yemit_scan sc;

	scan_text(s, len, &sc);
	return quote_needed(s, len, &sc);
}

/* {================================================================
** Errors
** ================================================================= */

/* Append a path segment, JSON Pointer escaped, unprintable bytes as '?'. */
static void path_add_key(struct strbuf *sb, const char *k, size_t len)
{
	const unsigned char *p = (const unsigned char *)k;
	size_t i = 0, w;
	uint32_t c;

	while (i < len && sb->len < YEMIT_PATH_SHOWN) {
		w = util_utf8_decode(p + i, len - i, &c);
		if (w == 0 || !printable(c) || c == '\n' || c == '\'') {
			strbuf_addch(sb, '?');
			i += w ? w : 1;
			continue;
		}
		if (c == '~')
			strbuf_addstr(sb, "~0");
		else if (c == '/')
			strbuf_addstr(sb, "~1");
		else
			strbuf_add(sb, k + i, w);
		i += w;
	}
}

/* Record "<what> at '/a/0/b' in document N" (path of the current node). */
static int yemit_fail(struct yemit *ye, const char *what)
{
	struct strbuf path = STRBUF_INIT;
	unsigned d;

	strbuf_init(&path);
	for (d = 0; d < ye->depth && path.len < YEMIT_PATH_SHOWN; d++) {
		strbuf_addch(&path, '/');
		if (ye->path[d].key)
			path_add_key(&path, ye->path[d].key, ye->path[d].klen);
		else
			strbuf_addf(&path, "%zu", ye->path[d].idx);
	}
	if (path.len >= YEMIT_PATH_SHOWN)
		strbuf_addstr(&path, "...");
	if (!ye->reported)
		diag_addf(ye->dl, DIAG_ERROR, "emit", (struct diag_pos){ 0 },
			  "%s at '%s' in document %zu", what,
			  path.len ? path.buf : "/", ye->doc + 1);
	ye->reported = true;
	strbuf_release(&path);
	return -1;
}

/* Hand an event to libyaml, which takes it over even on failure. */
static int yemit_event(struct yemit *ye, yaml_event_t *ev)
{
	if (yaml_emitter_emit(&ye->em, ev))
		return 0;
	if (ye->em.error == YAML_EMITTER_ERROR && ye->em.problem) {
		char msg[160];

		snprintf(msg, sizeof(msg), "libyaml emitter: %s",
			 ye->em.problem);
		return yemit_fail(ye, msg);
	}
	/* memory or writer error: both mean an allocation failed */
	return yemit_fail(ye, "out of memory");
}

/* }================================================================ */

/* {================================================================
** Nodes
** ================================================================= */

static int emit_node(struct yemit *ye, json_t *v);

static int emit_scalar(struct yemit *ye, const char *s, size_t len,
		       yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
					  (yaml_char_t *)s, (int)len, 1, 1,
					  style))
		return yemit_fail(ye, "out of memory");
	return yemit_event(ye, &ev);
}

/*
** A string: plain when every reader gets it back as this string, a literal
** block when it spans lines (libyaml turns that into double quotes when a
** block cannot hold it), double-quoted otherwise.
*/
static int emit_string(struct yemit *ye, const char *s, size_t len, bool key)
{
	struct yemit_scan sc;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	if (len > INT_MAX)
		return yemit_fail(ye, "string too long");
	scan_text(s, len, &sc);
	if (sc.invalid)
		return yemit_fail(ye, memchr(s, 0, len) ?
				  "string contains a NUL character" :
				  "string is not valid UTF-8");
	if (sc.newline && !sc.other_break && !sc.special && !key)
		style = YAML_LITERAL_SCALAR_STYLE;
	else if (quote_needed(s, len, &sc))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	return emit_scalar(ye, s, len, style);
}

/*
** The shortest of %.15g/%.16g/%.17g that reads back as `d`, made a float to
** every reader: always a '.', and "1.0e+20" rather than "1e+20".
*/
static int format_real(char *buf, size_t cap, double d)
{
	char tmp[40], *e;
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	for (e = tmp; *e; e++)	/* a program may have set LC_NUMERIC */
		if (*e == ',')
			*e = '.';
	if (strchr(tmp, '.'))
		return snprintf(buf, cap, "%s", tmp);
	e = strpbrk(tmp, "eE");
	if (!e)
		return snprintf(buf, cap, "%s.0", tmp);
	return snprintf(buf, cap, "%.*s.0%s", (int)(e - tmp), tmp, e);
}

static int emit_number(struct yemit *ye, json_t *v)
{
	char buf[64];
	int n;

	if (json_is_integer(v)) {
		n = snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			     json_integer_value(v));
	} else {
		double d = json_real_value(v);

		if (isnan(d))
			return yemit_fail(ye, "NaN cannot be written as YAML");
		if (isinf(d))
			return yemit_fail(ye, "an infinite number cannot be written as YAML");
		n = format_real(buf, sizeof(buf), d);
	}
	return emit_scalar(ye, buf, (size_t)n, YAML_PLAIN_SCALAR_STYLE);
}

static int emit_object(struct yemit *ye, json_t *obj)
{
	struct yemit_step *step = &ye->path[ye->depth];
	yaml_event_t ev;
	void *it;

	if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			json_object_size(obj) ? YAML_BLOCK_MAPPING_STYLE :
						YAML_FLOW_MAPPING_STYLE))
		return yemit_fail(ye, "out of memory");
	if (yemit_event(ye, &ev) < 0)
		return -1;
	ye->depth++;
	for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		step->key = json_object_iter_key(it);
		step->klen = json_object_iter_key_len(it);
		if (emit_string(ye, step->key, step->klen, true) < 0 ||
		    emit_node(ye, json_object_iter_value(it)) < 0)
			return -1;
	}
	ye->depth--;
	yaml_mapping_end_event_initialize(&ev);
	return yemit_event(ye, &ev);
}

static int emit_array(struct yemit *ye, json_t *arr)
{
	struct yemit_step *step = &ye->path[ye->depth];
	size_t n = json_array_size(arr);
	yaml_event_t ev;

	if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			n ? YAML_BLOCK_SEQUENCE_STYLE : YAML_FLOW_SEQUENCE_STYLE))
		return yemit_fail(ye, "out of memory");
	if (yemit_event(ye, &ev) < 0)
		return -1;
	ye->depth++;
	step->key = NULL;
	for (step->idx = 0; step->idx < n; step->idx++)
		if (emit_node(ye, json_array_get(arr, step->idx)) < 0)
			return -1;
	ye->depth--;
	yaml_sequence_end_event_initialize(&ev);
	return yemit_event(ye, &ev);
}

static int emit_node(struct yemit *ye, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		if (ye->depth >= YEMIT_MAX_DEPTH) {
			char msg[48];

			snprintf(msg, sizeof(msg), "nesting deeper than %d levels",
				 (int)YEMIT_MAX_DEPTH);
			return yemit_fail(ye, msg);
		}
		return json_is_object(v) ? emit_object(ye, v) : emit_array(ye, v);
	case JSON_STRING:
		return emit_string(ye, json_string_value(v),
				   json_string_length(v), false);
	case JSON_INTEGER:
	case JSON_REAL:
		return emit_number(ye, v);
	case JSON_TRUE:
		return emit_scalar(ye, "true", 4, YAML_PLAIN_SCALAR_STYLE);
	case JSON_FALSE:
		return emit_scalar(ye, "false", 5, YAML_PLAIN_SCALAR_STYLE);
	case JSON_NULL:
		return emit_scalar(ye, "null", 4, YAML_PLAIN_SCALAR_STYLE);
	}
	return yemit_fail(ye, "unknown JSON type");
}

/* }================================================================ */

/* {================================================================
** Streams
** ================================================================= */

static int write_out(void *data, unsigned char *buf, size_t size)
{
	return strbuf_add(data, buf, size) == 0;
}

static int emit_doc(struct yemit *ye, json_t *doc, bool first)
{
	yaml_event_t ev;

	if (!doc)
		return yemit_fail(ye, "missing document");
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, first))
		return yemit_fail(ye, "out of memory");
	if (yemit_event(ye, &ev) < 0 || emit_node(ye, doc) < 0)
		return -1;
	yaml_document_end_event_initialize(&ev, 1);
	return yemit_event(ye, &ev);
}

static int emit_stream(struct yemit *ye, json_t *const *docs, size_t n)
{
	yaml_event_t ev;

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (yemit_event(ye, &ev) < 0)
		return -1;
	for (ye->doc = 0; ye->doc < n; ye->doc++)
		if (emit_doc(ye, docs[ye->doc], ye->doc == 0) < 0)
			return -1;
	yaml_stream_end_event_initialize(&ev);
	if (yemit_event(ye, &ev) < 0)
		return -1;
	return yaml_emitter_flush(&ye->em) ? 0 : yemit_fail(ye, "out of memory");
}

int yemit_docs(struct strbuf *out, json_t *const *docs, size_t n,
	       struct diag_list *dl)
{
	struct yemit *ye;
	size_t start = out->len;
	int rc = -1;

	ye = calloc(1, sizeof(*ye));
	if (!ye)
		return diag_addf(dl, DIAG_ERROR, "emit", (struct diag_pos){ 0 },
				 "out of memory");
	ye->dl = dl;
	if (!yaml_emitter_initialize(&ye->em)) {
		yemit_fail(ye, "out of memory");
		goto out_free;
	}
	yaml_emitter_set_output(&ye->em, write_out, out);
	yaml_emitter_set_encoding(&ye->em, YAML_UTF8_ENCODING);
	yaml_emitter_set_unicode(&ye->em, 1);
	yaml_emitter_set_indent(&ye->em, 2);
	yaml_emitter_set_width(&ye->em, -1);
	yaml_emitter_set_break(&ye->em, YAML_LN_BREAK);
	yaml_emitter_set_canonical(&ye->em, 0);
	rc = emit_stream(ye, docs, n);
	yaml_emitter_delete(&ye->em);
out_free:
	free(ye);
	if (rc < 0 && out->buf && out->len > start) {	/* leave no half document */
		out->len = start;
		out->buf[start] = '\0';
	}
	return rc;
}

int yemit_doc(struct strbuf *out, json_t *doc, struct diag_list *dl)
{
	return yemit_docs(out, &doc, 1, dl);
}

/* }================================================================ */
