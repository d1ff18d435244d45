/*
** tests/fuzz/fuzz_tmpl.c: the template renderer (gen/tmpl.c) on arbitrary
** templates.  The input is loaded as a template file and rendered with the
** model of examples/network-word-count.yaml and the bundled lib.lua, in a
** sandboxed state with small budgets (set up the way tmpl_render does).
** Every render either succeeds or records a "template" error; a rendered
** document must survive emit + load unchanged.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lua.h>

#include "compile.h"
#include "diag.h"
#include "luahost.h"
#include "model.h"
#include "strbuf.h"
#include "tmpl.h"
#include "util.h"
#include "ydoc.h"
#include "yemit.h"

#include "fuzz_common.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif
#define FUZZ_APP FUZZ_ROOT "/examples/network-word-count.yaml"
#define FUZZ_LIB FUZZ_ROOT "/templates/lib.lua"
#define FUZZ_MEM (32u << 20)
#define FUZZ_INSNS 2000000ul
#define FUZZ_TIME_MS 2000ul
#define FUZZ_MAX_INPUT (64u << 10)

static json_t *fuzz_model;	/* the model, nulls removed (as setup_globals does) */
static char *fuzz_lib;		/* text of templates/lib.lua */
static size_t fuzz_liblen;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gen_options o = { .datadir = FUZZ_ROOT };
	struct diag_list dl = DIAG_LIST_INIT;
	struct gen g;
	json_t *model = NULL;

	(void)argc;
	(void)argv;
	if (gen_init(&g, &o, &dl) < 0 || gen_model(&g, FUZZ_APP, &model, &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("cannot build the model of %s", FUZZ_APP);
	}
	fuzz_model = model_without_nulls(model);
	fuzz_lib = util_read_file(FUZZ_LIB, 0, &fuzz_liblen, &dl);
	if (!fuzz_model || !fuzz_lib) {
		fuzz_print_diags(&dl);
		fuzz_bug("cannot read %s", FUZZ_LIB);
	}
	json_decref(model);
	gen_release(&g);
	diag_list_release(&dl);
	return 0;
}

/* A state with the model's keys and `lib` as globals, as tmpl_render has. */
static lua_State *new_state(void)
{
	struct luahost_limits lim = { FUZZ_MEM, FUZZ_INSNS, FUZZ_TIME_MS };
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = luahost_new(&lim, false);
	const char *k;
	json_t *v;

	if (!L)
		fuzz_bug("luahost_new failed");
	json_object_foreach(fuzz_model, k, v) {
		if (luahost_try_push_json(L, v, "template", &dl) < 0)
			goto out_fail;
		luahost_setglobal(L, k);
	}
	if (luahost_load(L, "@templates/lib.lua", fuzz_lib, fuzz_liblen,
			 "template", &dl) < 0 ||
	    luahost_pcall(L, 0, 1, "template", &dl) < 0)
		goto out_fail;
	luahost_setglobal(L, "lib");
	diag_list_release(&dl);
	return L;
out_fail:
	fuzz_print_diags(&dl);
	fuzz_bug("setting up the template globals failed");
}

/* A rendered document through the emitter and the loader. */
static void round_trip(json_t *doc)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct ystream ys;
	json_t *back = NULL;

	memset(&ys, 0, sizeof(ys));
	if (yemit_doc(&out, doc, &dl) < 0) {
		if (fuzz_unemittable(doc, YDOC_MAX_DEPTH))
			goto out;
		fuzz_print_diags(&dl);
		fuzz_print_json("rendered", doc);
		fuzz_bug("a rendered document cannot be emitted");
	}
	if (ystream_load_buffer(&ys, "rendered.yaml", out.buf ? out.buf : "",
				out.len, &dl) < 0 || ys.ndocs != 1) {
		fuzz_print_diags(&dl);
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("a rendered document does not load back");
	}
	back = ynode_to_json(ys.docs[0].root);
	if (!back || !fuzz_same_ordered(doc, back)) {
		fuzz_print_json("rendered", doc);
		fuzz_print_json("reloaded", back);
		fuzz_bug("a rendered document changed through YAML");
	}
out:
	json_decref(back);
	ystream_release(&ys);
	strbuf_release(&out);
	diag_list_release(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct ystream ys;
	lua_State *L;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	memset(&ys, 0, sizeof(ys));
	if (ystream_load_buffer(&ys, "templates/fuzz.yaml", size ? (const char *)data : "",
				size, &dl) < 0)
		goto out;
	L = new_state();
	for (size_t i = 0; i < ys.ndocs; i++) {
		json_t *doc = NULL;
		size_t before = dl.n;
		int top = lua_gettop(L);

		if (tmpl_render_node(L, ys.file, ys.docs[i].root, &doc, &dl) < 0) {
			if (dl.n == before)
				fuzz_bug("render of document %zu failed without a diagnostic", i);
		} else if (doc) {
			round_trip(doc);
		}
		if (lua_gettop(L) != top)
			fuzz_bug("tmpl_render_node left %d values on the stack",
				 lua_gettop(L) - top);
		json_decref(doc);
	}
	if (getenv("FUZZ_VERBOSE"))
		fuzz_print_diags(&dl);
	luahost_close(L);
out:
	ystream_release(&ys);
	diag_list_release(&dl);
	return 0;
}
