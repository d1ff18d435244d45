/*
** tests/fuzz/fuzz_yemit.c: the emitter (lib/yemit.c) on arbitrary JSON.
** The input is one JSON value (any type, NUL allowed in strings).  The
** emitter may refuse only what it documents; whatever it writes must load
** back (lib/ydoc.c) to the same value with the same key order, and emitting
** the reloaded value must give the same bytes (a fixed point).  A top-level
** array is also written as a stream, one document per element.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "strbuf.h"
#include "ydoc.h"
#include "yemit.h"

#include "fuzz_common.h"

#define FUZZ_MAX_STREAM 16	/* elements of a top-level array emitted as documents */

/*
** Emit `n` documents; check refusals, reload, compare, re-emit.
*/
static void check_docs(json_t *const *docs, size_t n)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	struct ystream ys;
	json_t **back = NULL;
	size_t nback = 0;

	memset(&ys, 0, sizeof(ys));
	if (yemit_docs(&out, docs, n, &dl) < 0) {
		for (size_t i = 0; i < n; i++)
			if (fuzz_unemittable(docs[i], YDOC_MAX_DEPTH))
				goto out;
		fuzz_print_diags(&dl);
		fuzz_bug("yemit_docs refused a value it documents as writable");
	}
	if (out.len && dl.n)
		fuzz_bug("yemit_docs succeeded but recorded %zu diagnostics", dl.n);
	if (n && (out.len == 0 || out.buf[out.len - 1] != '\n'))
		fuzz_bug("emitted stream does not end in a newline");
	if (ystream_load_buffer(&ys, "emitted.yaml", out.buf ? out.buf : "",
				out.len, &dl) < 0) {
		fuzz_print_diags(&dl);
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("the emitter's output does not load");
	}
	if (ys.ndocs != n) {
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("emitted %zu documents, reloaded %zu", n, ys.ndocs);
	}
	back = calloc(n ? n : 1, sizeof(*back));
	for (size_t i = 0; back && i < n; i++, nback++) {
		back[i] = ynode_to_json(ys.docs[i].root);
		if (!back[i] || !fuzz_same_ordered(docs[i], back[i])) {
			fuzz_print_json("input   ", docs[i]);
			fuzz_print_json("reloaded", back[i]);
			fprintf(stderr, "emitted:\n%s\n", out.buf);
			fuzz_bug("round trip changed document %zu", i);
		}
	}
	if (back && yemit_docs(&again, back, n, &dl) < 0)
		fuzz_bug("re-emitting the reloaded documents failed");
	if (back && (again.len != out.len ||
		     (out.len && memcmp(again.buf, out.buf, out.len)))) {
		fprintf(stderr, "first:\n%s\nsecond:\n%s\n", out.buf, again.buf);
		fuzz_bug("emit(load(emit(x))) differs from emit(x)");
	}
out:
	for (size_t i = 0; i < nback; i++)
		json_decref(back[i]);
	free(back);
	ystream_release(&ys);
	strbuf_release(&again);
	strbuf_release(&out);
	diag_list_release(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *j;

	j = json_loadb((const char *)data, size,
		       JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!j)
		return 0;
	check_docs(&j, 1);
	if (json_is_array(j) && json_array_size(j) <= FUZZ_MAX_STREAM) {
		json_t *v[FUZZ_MAX_STREAM];
		size_t n = json_array_size(j);

		for (size_t i = 0; i < n; i++)
			v[i] = json_array_get(j, i);
		check_docs(v, n);
	}
	json_decref(j);
	return 0;
}
