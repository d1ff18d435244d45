/*
** inspect.c: the loaded documents as JSON lines (see inspect.h); the
** view behind `sparklint --inspect` and the YAML oracle tests.
**
** The lines are written straight from the nodes, not built as jansson
** values first: a 1M-key mapping spent 1.8 s of its 2.5 s in jansson's
** hash tables, for an object that is only ever dumped.  The bytes are
** jansson's own (JSON_COMPACT): strings are escaped the way its dump.c
** does, reals go through jansson itself, and tests/unit/test_ydoc.c and
** the ydoc fuzzer check the two against each other.
*/
#include "inspect.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* A JSON string as jansson's dump writes it without flags: '"', '\\' and
** the C0 controls escaped (\b \f \n \r \t by name, others \u00XX); UTF-8
** left as it is (the loader has validated it). */
static int put_string(struct strbuf *out, const char *s, size_t len)
{
	size_t start = 0;

	if (strbuf_addch(out, '"') < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (strbuf_add(out, s + start, i - start) < 0)
			return -1;
		start = i + 1;
		switch (c) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\b': strcpy(esc, "\\b"); break;
		case '\f': strcpy(esc, "\\f"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default: snprintf(esc, sizeof(esc), "\\u%04X", c); break;
		}
		if (strbuf_addstr(out, esc) < 0)
			return -1;
	}
	if (strbuf_add(out, s + start, len - start) < 0)
		return -1;
	return strbuf_addch(out, '"');
}

static int inspect_write(const char *buf, size_t size, void *data)
{
	return strbuf_add(data, buf, size);
}

/* A real as jansson writes it (its precision and its ".0"). */
static int put_real(struct strbuf *out, double v)
{
	json_t *j = json_real(v);
	int rc = j ? json_dump_callback(j, inspect_write, out,
					JSON_COMPACT | JSON_ENCODE_ANY) : -1;

	json_decref(j);
	return rc;
}

/* The value of ynode_to_json(n), dumped with JSON_COMPACT. */
static int put_node(struct strbuf *out, const struct ynode *n)
{
	switch (n->type) {
	case YN_NULL:
		return strbuf_addstr(out, "null");
	case YN_BOOL:
		return strbuf_addstr(out, n->u.b ? "true" : "false");
	case YN_INT:
		return strbuf_addf(out, "%" PRId64, (int64_t)n->u.i);
	case YN_FLOAT:
		return isfinite(n->u.f) ? put_real(out, n->u.f) : strbuf_addstr(out, "null");
	case YN_STR:
		return put_string(out, n->text, n->len);
	case YN_SEQ:
		if (strbuf_addch(out, '[') < 0)
			return -1;
		for (size_t i = 0; i < n->u.seq.n; i++)
			if ((i && strbuf_addch(out, ',') < 0) ||
			    put_node(out, n->u.seq.v[i]) < 0)
				return -1;
		return strbuf_addch(out, ']');
	default:
		if (strbuf_addch(out, '{') < 0)
			return -1;
		for (size_t i = 0; i < n->u.map.n; i++) {
			const struct ypair *p = &n->u.map.v[i];

			if ((i && strbuf_addch(out, ',') < 0) ||
			    put_string(out, p->key->text, p->key->len) < 0 ||
			    strbuf_addch(out, ':') < 0 || put_node(out, p->val) < 0)
				return -1;
		}
		return strbuf_addch(out, '}');
	}
}

/* "/" and the RFC 6901 escaped key (~ -> ~0, / -> ~1) appended to path. */
static int path_add_key(struct strbuf *path, const char *k, size_t len)
{
	size_t start = 0;

	if (strbuf_addch(path, '/') < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (k[i] != '~' && k[i] != '/')
			continue;
		if (strbuf_add(path, k + start, i - start) < 0 ||
		    strbuf_addstr(path, k[i] == '~' ? "~0" : "~1") < 0)
			return -1;
		start = i + 1;
	}
	return strbuf_add(path, k + start, len - start);
}

static void path_truncate(struct strbuf *path, size_t len)
{
	path->len = len;
	path->buf[len] = '\0';
}

/* The members of ynode_positions(n): "pointer":[line,col] for n and below. */
static int put_positions(struct strbuf *out, const struct ynode *n,
			 struct strbuf *path, bool first)
{
	size_t len = path->len;

	if ((!first && strbuf_addch(out, ',') < 0) ||
	    put_string(out, path->buf, path->len) < 0 ||
	    strbuf_addf(out, ":[%" PRIu32 ",%" PRIu32 "]", n->line, n->col) < 0)
		return -1;
	for (size_t i = 0; n->type == YN_SEQ && i < n->u.seq.n; i++) {
		if (strbuf_addf(path, "/%zu", i) < 0 ||
		    put_positions(out, n->u.seq.v[i], path, false) < 0)
			return -1;
		path_truncate(path, len);
	}
	for (size_t i = 0; n->type == YN_MAP && i < n->u.map.n; i++) {
		const struct ynode *k = n->u.map.v[i].key;

		if (path_add_key(path, k->text, k->len) < 0 ||
		    put_positions(out, n->u.map.v[i].val, path, false) < 0)
			return -1;
		path_truncate(path, len);
	}
	return 0;
}

/* The bytes of "/" and key k in a pointer as put_positions writes it:
** RFC 6901's ~0 and ~1, and put_string's escapes (\u0001 is six). */
static uint64_t key_bytes(const struct ynode *k)
{
	uint64_t n = 1 + k->len;

	for (size_t j = 0; j < k->len; j++) {
		unsigned char c = (unsigned char)k->text[j];

		if (c == '~' || c == '/' || c == '"' || c == '\\' ||
		    (c && strchr("\b\f\n\r\t", c)))
			n++;
		else if (c < 0x20)
			n += 5;
	}
	return n;
}

/*
** Count the members put_positions would write for n and below (*entries)
** and the bytes of their pointers as written, JSON escapes included
** (*bytes), `plen` being n's own.  The walk visits what the writer would,
** so it is as bounded as the loader's alias budget makes the tree.
*/
static void count_positions(const struct ynode *n, uint64_t plen,
			    uint64_t *entries, uint64_t *bytes)
{
	(*entries)++;
	*bytes += plen;
	for (size_t i = 0; n->type == YN_SEQ && i < n->u.seq.n; i++) {
		uint64_t digits = 1;

		for (size_t v = i; v >= 10; v /= 10)
			digits++;
		count_positions(n->u.seq.v[i], plen + 1 + digits, entries, bytes);
	}
	for (size_t i = 0; n->type == YN_MAP && i < n->u.map.n; i++) {
		count_positions(n->u.map.v[i].val, plen + key_bytes(n->u.map.v[i].key),
				entries, bytes);
	}
}

/*
** Every member repeats its node's whole pointer, so long keys above many
** nodes (a 100 KB key over 20,000 entries: 2 GB), or aliases repeating
** them, make the positions far bigger than the document.  Refuse those,
** before writing anything, with the loader's budget for alias text.
*/
static int check_positions(const struct ystream *ys, const struct ydoc *d,
			   struct diag_list *dl)
{
	struct diag_pos pos = { ys->file, d->root->line, d->root->col };
	uint64_t entries = 0, bytes = 0;

	count_positions(d->root, 0, &entries, &bytes);
	if (bytes <= INSPECT_POINTER_UNIT * (entries + INSPECT_POINTER_SLACK))
		return 0;
	diag_addf(dl, DIAG_ERROR, "yaml", pos,
		  "positions too big to print: the JSON Pointers of this document "
		  "take %" PRIu64 " MB, more than %d bytes a node plus %d MB",
		  bytes / 1000000, INSPECT_POINTER_UNIT,
		  (int)(INSPECT_POINTER_UNIT * (uint64_t)INSPECT_POINTER_SLACK / 1000000));
	return diag_hintf(dl, "long keys above many nodes, or aliases that repeat "
			  "them; --inspect without --positions prints the document");
}

static int inspect_doc(struct strbuf *out, const struct ystream *ys,
		       const struct ydoc *d, bool positions)
{
	struct strbuf path = STRBUF_INIT;
	int rc;

	if (strbuf_addstr(out, "{\"file\":") < 0 ||
	    put_string(out, ys->file, strlen(ys->file)) < 0 ||
	    strbuf_addf(out, ",\"index\":%u,\"line\":%" PRIu32 ",\"object\":",
			d->index, d->root->line) < 0 ||
	    put_node(out, d->root) < 0)
		return -1;
	if (positions) {
		strbuf_init(&path);
		rc = strbuf_addstr(out, ",\"positions\":{") < 0 ||
		     put_positions(out, d->root, &path, true) < 0 ||
		     strbuf_addch(out, '}') < 0 ? -1 : 0;
		strbuf_release(&path);
		if (rc < 0)
			return -1;
	}
	return strbuf_addstr(out, "}\n");
}

int inspect_stream(struct strbuf *out, const struct ystream *ys, bool positions,
		   struct diag_list *dl)
{
	struct diag_pos pos = { ys->file, 0, 0 };

	for (size_t i = 0; i < ys->ndocs; i++) {
		if (positions && check_positions(ys, &ys->docs[i], dl) < 0)
			return -1;
		if (inspect_doc(out, ys, &ys->docs[i], positions) < 0)
			return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	}
	return 0;
}
