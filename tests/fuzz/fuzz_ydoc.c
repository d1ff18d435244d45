/*
** tests/fuzz/fuzz_ydoc.c: the YAML loader (lib/ydoc*.c) on arbitrary bytes.
** Whatever loaded (all of it, or the documents before an error), every view of the tree is built (JSON, positions,
** --inspect lines) and the JSON goes through the emitter and back: the
** reloaded documents must equal the first ones, key order included.
** The input is also cut into pieces where ystream_cuts allows and loaded
** piece by piece (sparklint's parallel load of one stream): when no piece
** has a diagnostic, the serial load must have none either and the same
** documents, indices and positions (else sparklint loads serially).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "inspect.h"
#include "strbuf.h"
#include "ydoc.h"
#include "yemit.h"

#include "fuzz_common.h"
#include "../include/inspect_ref.h"

#define FUZZ_NAME "fuzz.yaml"
/*
** Views that expand aliases (positions, emitting) cost time linear in the
** expanded size, up to YDOC_MAX_ALIAS_EXPANSION nodes: legitimate, but it
** would slow fuzzing to a crawl on laughs-like inputs, so streams heavier
** than this get only the cheap views.  tests/hostile covers the big ones.
*/
#define FUZZ_MAX_WEIGHT 20000u

/* Expanded size of the whole stream (saturating). */
static uint64_t stream_weight(const struct ystream *ys)
{
	uint64_t w = 0;

	for (size_t i = 0; i < ys->ndocs; i++)
		w += ys->docs[i].root->weight;
	return w;
}

/* JSON of every document of ys (new references), or NULL on OOM. */
static json_t **to_json_all(const struct ystream *ys)
{
	json_t **v = calloc(ys->ndocs ? ys->ndocs : 1, sizeof(*v));

	for (size_t i = 0; v && i < ys->ndocs; i++) {
		v[i] = ynode_to_json(ys->docs[i].root);
		if (!v[i])
			fuzz_bug("ynode_to_json returned NULL for document %zu", i);
	}
	return v;
}

static void free_json_all(json_t **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		json_decref(v[i]);
	free(v);
}

/* Every read-only view must work on whatever the loader accepted. */
static void views(const struct ystream *ys)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;

	if (inspect_stream(&sb, ys, true, &dl) < 0) {
		/* it may refuse positions whose pointers are too long; the
		** jansson views of them would be as big, so they are skipped */
		if (dl.n != 1 || strcmp(dl.v[0].code, "yaml") ||
		    !strstr(dl.v[0].msg, "positions too big to print"))
			fuzz_bug("inspect_stream failed");
		goto out;
	}
	for (size_t i = 0; i < ys->ndocs; i++) {
		const struct ynode *root = ys->docs[i].root;
		json_t *pos = ynode_positions(root);

		if (!pos || !json_is_object(pos) || !json_object_get(pos, ""))
			fuzz_bug("ynode_positions of document %zu has no root entry", i);
		if (root->line == 0 || root->col == 0)
			fuzz_bug("document %zu root has position %u:%u", i,
				 root->line, root->col);
		json_decref(pos);
	}
	{	/* the lines are jansson's, byte for byte */
		struct strbuf ref = STRBUF_INIT;

		strbuf_init(&ref);
		if (inspect_ref(&ref, ys, true) == 0 &&
		    (ref.len != sb.len || (sb.len && memcmp(ref.buf, sb.buf, sb.len) != 0)))
			fuzz_bug("inspect_stream differs from jansson's dump");
		strbuf_release(&ref);
	}
	for (size_t i = 0, lines = 0; i <= sb.len; i++) {
		if (i == sb.len) {
			if (lines != ys->ndocs)
				fuzz_bug("inspect wrote %zu lines for %zu documents",
					 lines, ys->ndocs);
		} else if (sb.buf[i] == '\n') {
			lines++;
		}
	}
out:
	strbuf_release(&sb);
	diag_list_release(&dl);
}

/*
** emit(json) must load back to the same JSON.  The emitter may refuse only
** what it documents (fuzz_unemittable).
*/
static void round_trip(json_t **docs, size_t n)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct ystream ys2;
	json_t **again = NULL;

	memset(&ys2, 0, sizeof(ys2));
	if (yemit_docs(&out, docs, n, &dl) < 0) {
		for (size_t i = 0; i < n; i++)
			if (fuzz_unemittable(docs[i], YDOC_MAX_DEPTH))
				goto out;
		fuzz_print_diags(&dl);
		fuzz_bug("yemit_docs refused a loaded document");
	}
	/* out.buf is NULL when nothing was emitted (ysource_read then does
	** pointer arithmetic on NULL: reported, worked around here). */
	if (ystream_load_buffer(&ys2, "emitted.yaml", out.buf ? out.buf : "",
				out.len, &dl) < 0) {
		fuzz_print_diags(&dl);
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("the emitter's output does not load");
	}
	if (ys2.ndocs != n) {
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("emitted %zu documents, reloaded %zu", n, ys2.ndocs);
	}
	again = to_json_all(&ys2);
	for (size_t i = 0; again && i < n; i++)
		if (!fuzz_same_ordered(docs[i], again[i])) {
			fuzz_print_json("loaded  ", docs[i]);
			fuzz_print_json("reloaded", again[i]);
			fprintf(stderr, "emitted:\n%s\n", out.buf);
			fuzz_bug("round trip changed document %zu", i);
		}
out:
	free_json_all(again, ys2.ndocs);
	ystream_release(&ys2);
	strbuf_release(&out);
	diag_list_release(&dl);
}

/*
** Same JSON, compared as text: jansson's json_equal looks keys up as C
** strings, so an object with a key holding a NUL ("a\0") is never equal to
** itself.
*/
static bool same_dump(json_t *a, json_t *b)
{
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
	char *sa = a ? json_dumps(a, flags) : NULL, *sb = b ? json_dumps(b, flags) : NULL;
	bool same = sa && sb && strcmp(sa, sb) == 0;

	free(sa);
	free(sb);
	return same;
}

/* The serial load of `ys` (clean: dl_n == 0) against the pieces' load. */
static void pieces(const char *buf, size_t size, const struct ystream *ys,
		   size_t dl_n)
{
	struct ystream_cut cuts[3];
	struct ystream parts[4], all;
	struct diag_list dl = DIAG_LIST_INIT;
	size_t n = ystream_cuts(buf, size, 3, cuts), clean = 0;

	if (!n)
		return;
	for (size_t k = 0; k <= n; k++) {
		size_t start = k ? cuts[k - 1].offset : 0;
		size_t end = k < n ? cuts[k].offset : size;
		size_t before = dl.n;

		if (start >= end || (start == 0 && k))
			fuzz_bug("cut %zu at %zu is out of order", k, start);
		ystream_load_piece(&parts[k], FUZZ_NAME, buf + start, end - start,
				   k ? cuts[k - 1].line : 0, &dl);
		clean += dl.n == before;
	}
	if (clean == n + 1) {
		if (dl_n)
			fuzz_bug("every piece loads cleanly, the whole stream does not");
		all = parts[0];
		for (size_t k = 1; k <= n; k++)
			if (ystream_append(&all, &parts[k]) < 0)
				fuzz_bug("ystream_append failed");
		memset(&parts[0], 0, sizeof(parts[0]));
		if (all.ndocs != ys->ndocs || all.nempty != ys->nempty)
			fuzz_bug("pieces: %zu documents (%u empty), serial %zu (%u)",
				 all.ndocs, all.nempty, ys->ndocs, ys->nempty);
		for (size_t i = 0; i < ys->ndocs; i++) {
			json_t *a, *b;

			if (all.docs[i].index != ys->docs[i].index)
				fuzz_bug("document %zu: index %u in pieces, %u serial", i,
					 all.docs[i].index, ys->docs[i].index);
			a = ynode_positions(all.docs[i].root);
			b = ynode_positions(ys->docs[i].root);
			if (!same_dump(a, b))
				fuzz_bug("document %zu: positions differ in pieces", i);
			json_decref(a);
			json_decref(b);
			a = ynode_to_json(all.docs[i].root);
			b = ynode_to_json(ys->docs[i].root);
			if (!same_dump(a, b))
				fuzz_bug("document %zu: content differs in pieces", i);
			json_decref(a);
			json_decref(b);
		}
		ystream_release(&all);
	}
	for (size_t k = 0; k <= n; k++)
		ystream_release(&parts[k]);
	diag_list_release(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct ystream ys;
	json_t **docs;
	unsigned lines;
	int rc;

	memset(&ys, 0, sizeof(ys));
	/* libFuzzer passes NULL for the empty input; the API wants a buffer. */
	rc = ystream_load_buffer(&ys, FUZZ_NAME, size ? (const char *)data : "",
				 size, &dl);
	if (rc < 0 && diag_count(&dl, DIAG_ERROR) == 0)
		fuzz_bug("load failed without an error diagnostic");
	lines = fuzz_count_lines(data, size);
	for (size_t i = 0; i < dl.n; i++) {
		if (!dl.v[i].msg || !dl.v[i].code)
			fuzz_bug("diagnostic %zu has no message or code", i);
		if (dl.v[i].pos.line > lines) {
			fuzz_print_diags(&dl);
			fuzz_bug("diagnostic %zu at line %u; the input has %u lines",
				 i, dl.v[i].pos.line, lines);
		}
	}
	/* On an error the documents before it stay loaded: check them too. */
	docs = to_json_all(&ys);
	if (stream_weight(&ys) <= FUZZ_MAX_WEIGHT) {
		pieces(size ? (const char *)data : "", size, &ys, dl.n);
		views(&ys);
		if (docs)
			round_trip(docs, ys.ndocs);
	}
	free_json_all(docs, ys.ndocs);
	ystream_release(&ys);
	diag_list_release(&dl);
	return 0;
}
