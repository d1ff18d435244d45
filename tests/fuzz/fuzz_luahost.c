/*
** tests/fuzz/fuzz_luahost.c: the Lua sandbox (lib/luahost*.c, lx_*.c) on
** arbitrary chunks.  Each input is loaded as a text chunk into a fresh
** state with small budgets and called with a converted document and a JSON
** value (as a rule and a template expression would see them); its results
** go back through luahost_to_json.  Whatever the chunk does, it must not
** crash, leak or hang, the state must still run a probe chunk afterwards
** (the budget hook is re-armed per call), and the shared libraries must be
** unchanged (no escape from the chunk's own _ENV).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lua.h>

#include "diag.h"
#include "luahost.h"
#include "ydoc.h"

#include "fuzz_common.h"

#define FUZZ_MEM (16u << 20)		/* Lua heap cap per state */
#define FUZZ_INSNS 2000000ul		/* instruction budget per call */
#define FUZZ_TIME_MS 2000ul		/* wall clock per call */
#define FUZZ_MAX_CHUNK (64u << 10)	/* longer inputs are not run */

/* The document handed to the chunk as its first argument. */
static const char fuzz_doc_yaml[] =
	"apiVersion: batch/v1\n"
	"kind: Job\n"
	"metadata: &meta\n"
	"  name: word-count\n"
	"  labels: {app: spark, role: driver}\n"
	"spec:\n"
	"  template:\n"
	"    metadata: *meta\n"
	"    spec:\n"
	"      containers:\n"
	"      - name: driver\n"
	"        image: spark:3.5\n"
	"        resources: {limits: {memory: 1.5Gi, cpu: 500m}}\n"
	"        ports: [4040, 7078, \"7079\"]\n"
	"        env: [{name: X, value: null}, {name: Y, value: yes}]\n";

/* The JSON value handed as the second argument. */
static const char fuzz_model_json[] =
	"{\"app\": {\"name\": \"wc\", \"replicas\": 2, \"ratio\": 0.5, "
	"\"tags\": [], \"conf\": {}, \"on\": true, \"none\": null}}";

/*
** Must hold in any state after any chunk: the libraries a chunk sees are
** the untouched originals, and the state still runs code.
*/
static const char fuzz_probe[] =
	"return ('ab'):rep(2) == 'abab' and string.format('%d', 7) == '7'"
	" and math.floor(2.5) == 2 and table.concat({'a', 'b'}) == 'ab'"
	" and utf8.char(233) == '\\195\\169' and tostring(nil) == 'nil'"
	" and type(pairs) == 'function' and type(re.match) == 'function'"
	" and re.test('abc', '^a') and k8s.quantity('1Ki') == 1024"
	" and tostring(sk.null) == 'null' and select('#', 1, 2) == 2"
	" and rawequal(_G, _G) and getmetatable('') == false";

static struct ystream fuzz_doc;
static json_t *fuzz_model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	json_error_t err;

	(void)argc;
	(void)argv;
	if (ystream_load_buffer(&fuzz_doc, "doc.yaml", fuzz_doc_yaml,
				sizeof(fuzz_doc_yaml) - 1, &dl) < 0 ||
	    fuzz_doc.ndocs != 1) {
		fuzz_print_diags(&dl);
		fuzz_bug("the harness document does not load");
	}
	fuzz_model = json_loads(fuzz_model_json, 0, &err);
	if (!fuzz_model)
		fuzz_bug("the harness model does not parse: %s", err.text);
	diag_list_release(&dl);
	return 0;
}

/* Results of the chunk back to JSON: a NULL with a message is fine. */
static void results_to_json(lua_State *L, int base)
{
	for (int i = base + 1; i <= lua_gettop(L); i++) {
		const char *err = NULL;
		size_t budget = (size_t)1 << 20, left = budget;
		json_t *j = luahost_to_json(L, i, (i & 1) ? &left : NULL, &err);

		if (!j && !err)
			fuzz_bug("luahost_to_json gave neither a value nor a message");
		if (!j && left != budget)
			fuzz_bug("luahost_to_json failed but spent budget");
		json_decref(j);
	}
}

/* Run the probe; it must return true.  Leaves the stack as it found it. */
static void probe(lua_State *L, const char *after)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int top = lua_gettop(L);

	if (luahost_load(L, "@probe.lua", fuzz_probe, sizeof(fuzz_probe) - 1,
			 "rule-error", &dl) < 0 ||
	    luahost_pcall(L, 0, 1, "rule-error", &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("the probe chunk fails after a chunk that %s", after);
	}
	if (!lua_toboolean(L, -1))
		fuzz_bug("sandbox state changed: the probe is false after a chunk that %s",
			 after);
	lua_settop(L, top);
	diag_list_release(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct luahost_limits lim = { FUZZ_MEM, FUZZ_INSNS, FUZZ_TIME_MS };
	struct diag_list dl = DIAG_LIST_INIT;
	const char *after = "failed to load";
	lua_State *L;
	int base;

	if (size > FUZZ_MAX_CHUNK)
		return 0;
	L = luahost_new(&lim, false);
	if (!L)
		fuzz_bug("luahost_new failed");
	base = lua_gettop(L);
	if (luahost_load(L, "@fuzz.lua", size ? (const char *)data : "", size,
			 "rule-error", &dl) == 0) {
		if (luahost_try_push_ynode(L, fuzz_doc.docs[0].root, "rule-error", &dl) < 0 ||
		    luahost_try_push_json(L, fuzz_model, "rule-error", &dl) < 0)
			fuzz_bug("pushing the arguments failed");
		if (luahost_pcall(L, 2, LUA_MULTRET, "rule-error", &dl) == 0) {
			after = "returned";
			results_to_json(L, base);
		} else {
			after = "raised an error";
			if (dl.n == 0 || !dl.v[dl.n - 1].msg)
				fuzz_bug("a failed call recorded no diagnostic");
		}
	} else if (dl.n == 0) {
		fuzz_bug("a failed load recorded no diagnostic");
	}
	if (getenv("FUZZ_VERBOSE")) {
		fprintf(stderr, "chunk %s\n", after);
		fuzz_print_diags(&dl);
	}
	/* the cap is on what the chunk makes: the document pushed is not capped */
	if (luahost_mem_used(L) - luahost_mem_docs(L) > FUZZ_MEM)
		fuzz_bug("live Lua memory %zu (%zu of it the document) exceeds "
			 "the cap %u", luahost_mem_used(L), luahost_mem_docs(L),
			 FUZZ_MEM);
	lua_settop(L, base);
	probe(L, after);
	luahost_close(L);
	diag_list_release(&dl);
	return 0;
}
