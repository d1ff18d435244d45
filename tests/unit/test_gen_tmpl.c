/*
** test_gen_tmpl.c: the template engine (gen/tmpl.c): typed ${expr},
** interpolation, nil removal, the $if / $each / $as / $merge directives,
** and errors with template positions.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "diag.h"
#include "luahost.h"
#include "tmpl.h"
#include "util.h"
#include "ydoc.h"

static const char model_json[] =
	"{\"app\": {\"name\": \"wc\", \"replicas\": 3, \"on\": true, \"ratio\": 0.5,"
	"           \"args\": [\"a\", \"b\"], \"labels\": {\"x\": \"1\", \"a\": \"2\"}},"
	" \"ports\": [{\"name\": \"rpc\", \"port\": 7078, \"public\": true},"
	"            {\"name\": \"ui\", \"port\": 4040, \"public\": false}],"
	" \"empty\": []}";

struct fixture {
	lua_State *L;
	struct ystream ys;
	struct diag_list dl;
	json_t *out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	json_t *model = json_loads(model_json, 0, NULL);
	const char *k;
	json_t *v;

	diag_list_init(&f->dl);
	f->L = luahost_new(NULL, false);
	assert_non_null(f->L);
	json_object_foreach(model, k, v) {
		assert_int_equal(luahost_try_push_json(f->L, v, "t", &f->dl), 0);
		luahost_setglobal(f->L, k);
	}
	json_decref(model);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	json_decref(f->out);
	ystream_release(&f->ys);
	diag_list_release(&f->dl);
	luahost_close(f->L);
	free(f);
	return 0;
}

static int render(struct fixture *f, const char *yaml)
{
	assert_int_equal(ystream_load_buffer(&f->ys, "t.yaml", yaml, strlen(yaml), &f->dl), 0);
	return tmpl_render_node(f->L, f->ys.file, f->ys.docs[0].root, &f->out, &f->dl);
}

/* The output as compact JSON with keys in emitted order. */
static void expect(struct fixture *f, const char *json)
{
	char *s = json_dumps(f->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	assert_string_equal(s, json);
	free(s);
}

static void test_gen_tmpl_exact_keeps_type(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "num: ${app.replicas}\nb: ${app.on}\nr: ${app.ratio}\n"
			       "s: ${app.name}\nl: ${app.args}\nm: ${app.labels}\nq: '${app.replicas}'\n"), 0);
	/* tables from Lua come out with sorted keys; quoting does not matter */
	expect(f, "{\"num\":3,\"b\":true,\"r\":0.5,\"s\":\"wc\",\"l\":[\"a\",\"b\"],"
		  "\"m\":{\"a\":\"2\",\"x\":\"1\"},\"q\":3}");
}

static void test_gen_tmpl_nil_removes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: ${app.missing}\nb: 1\nl: [1, '${nil}', 3]\n"), 0);
	expect(f, "{\"b\":1,\"l\":[1,3]}");
}

static void test_gen_tmpl_interpolates(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: ${app.name}-driver\nb: port ${ports[1].port}/${app.ratio}\n"
			       "c: cost $${literal}\n\"${app.name}-key\": v\n"), 0);
	expect(f, "{\"a\":\"wc-driver\",\"b\":\"port 7078/0.5\",\"c\":\"cost ${literal}\","
		  "\"wc-key\":\"v\"}");
}

static void test_gen_tmpl_braces_inside_expression(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: ${#{1, 2, 3}}\nb: x${(\"}\")}y\n"), 0);
	expect(f, "{\"a\":3,\"b\":\"x}y\"}");
}

static void test_gen_tmpl_if_on_mappings(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f,
		"keep:\n  $if: app.on\n  x: 1\n"
		"drop:\n  $if: not app.on\n  x: 1\n"
		"items:\n  - $if: app.replicas > 5\n    a: 1\n  - $if: ${app.replicas == 3}\n    b: 2\n"), 0);
	expect(f, "{\"keep\":{\"x\":1},\"items\":[{\"b\":2}]}");
}

static void test_gen_tmpl_if_drops_document(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "$if: false\nkind: X\n"), 0);
	assert_null(f->out);
}

static void test_gen_tmpl_each_repeats(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f,
		"ports:\n"
		"  - name: first\n"
		"  - $each: ports\n"
		"    $as: p\n"
		"    $if: p.public or p.port > 4000\n"
		"    name: ${p.name}\n"
		"    port: ${p.port}\n"
		"    args:\n"
		"      - $each: app.args\n"
		"        v: ${p.name}-${item}\n"), 0);
	expect(f, "{\"ports\":[{\"name\":\"first\"},"
		  "{\"name\":\"rpc\",\"port\":7078,\"args\":[{\"v\":\"rpc-a\"},{\"v\":\"rpc-b\"}]},"
		  "{\"name\":\"ui\",\"port\":4040,\"args\":[{\"v\":\"ui-a\"},{\"v\":\"ui-b\"}]}]}");
}

static void test_gen_tmpl_emptied_list_goes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a:\n  - $each: empty\n    x: 1\nb:\n  - $if: false\n    y: 1\nc: []\n"), 0);
	expect(f, "{\"c\":[]}");
}

static void test_gen_tmpl_merge(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "labels:\n  $merge: app.labels\n  own: yes\n  x: override\n"), 0);
	expect(f, "{\"labels\":{\"a\":\"2\",\"x\":\"override\",\"own\":true}}");
}

static void test_gen_tmpl_dollar_escape_key(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "$$ref: '#/x'\n"), 0);
	expect(f, "{\"$ref\":\"#/x\"}");
}

static void test_gen_tmpl_errors_have_positions(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: 1\nb: x-${app.labels}\nc: ${app.nope.x}\n$unless: 1\n"
			       "d: ${1 +}\ne: ${unterminated\nf: ${}\n"), -1);
	assert_null(f->out);
	assert_int_equal(f->dl.n, 6);
	diag_sort(&f->dl);
	assert_int_equal(f->dl.v[0].pos.line, 2);
	assert_int_equal(f->dl.v[0].pos.col, 4);
	assert_non_null(strstr(f->dl.v[0].msg, "'${app.labels}' inside a string must give a string or a number, not table"));
	assert_int_equal(f->dl.v[1].pos.line, 3);
	assert_non_null(strstr(f->dl.v[1].msg, "cannot evaluate '${app.nope.x}': attempt to index a nil value"));
	assert_int_equal(f->dl.v[2].pos.line, 4);
	assert_non_null(strstr(f->dl.v[2].msg, "unknown directive '$unless'"));
	assert_non_null(strstr(f->dl.v[3].msg, "cannot evaluate '${1 +}'"));
	assert_non_null(strstr(f->dl.v[4].msg, "unterminated '${'"));
	assert_non_null(strstr(f->dl.v[5].msg, "empty expression"));
	assert_string_equal(f->dl.v[0].code, "template");
}

static void test_gen_tmpl_each_outside_sequence(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a:\n  $each: app.args\n  x: 1\n"), -1);
	assert_non_null(strstr(f->dl.v[0].msg, "'$each' is only allowed in a sequence item"));
	assert_int_equal(f->dl.v[0].pos.line, 2);
}

static void test_gen_tmpl_each_needs_list(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a:\n  - $each: app.name\n    x: 1\n"), -1);
	assert_non_null(strstr(f->dl.v[0].msg, "'$each' needs a list, not string"));
}

/* A mapping is not a list: an error naming its least key, not nothing. */
static void test_gen_tmpl_each_over_mapping(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a:\n  - $each: app.labels\n    x: 1\n"
			       "b:\n  - $each: ${{1, 2, z = 3, y = 4}}\n    x: 1\n"), -1);
	assert_int_equal(f->dl.n, 2);
	assert_non_null(strstr(f->dl.v[0].msg, "'$each' needs a list, not a table with key 'a'"));
	assert_int_equal(f->dl.v[0].pos.line, 2);
	assert_non_null(strstr(f->dl.v[1].msg, "'$each' needs a list, not a table with key 'y'"));
	assert_int_equal(f->dl.v[1].pos.line, 5);
}

/* YAML cannot write a NUL: an error at the template node, not at the writer. */
static void test_gen_tmpl_nul_in_strings(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: ${'a\\0b'}\nb: pre-${'a\\0b'}\n"
			       "c: ${ {['k\\0'] = 1} }\nd: ${ {x = {'ok', 'n\\0'}} }\ne: ok\n"), -1);
	assert_int_equal(f->dl.n, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_non_null(strstr(f->dl.v[i].msg, "NUL character"));
		assert_int_equal(f->dl.v[i].pos.line, i + 1);
		assert_int_equal(f->dl.v[i].pos.col, 4);
	}
}

/* ... nor in a template's own text: a "\0" in a quoted value or key of a
 * copy of the templates is an error there, not at the writer (no position). */
static void test_gen_tmpl_nul_in_template_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: \"x\\0y\"\nb: [ok, \"\\0\"]\n\"k\\0\": 1\nc: ok\n"), -1);
	assert_int_equal(f->dl.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_non_null(strstr(f->dl.v[i].msg, "a string with a NUL character cannot be written as YAML"));
		assert_string_equal(f->dl.v[i].code, "template");
		assert_int_equal(f->dl.v[i].pos.line, i + 1);
	}
	assert_int_equal(f->dl.v[0].pos.col, 4);
	assert_int_equal(f->dl.v[1].pos.col, 9);
	assert_int_equal(f->dl.v[2].pos.col, 1);
}

static void test_gen_tmpl_sandbox_and_globals_are_readonly(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: ${os.exit(1)}\nb: ${(function() app.name = 'x' end)()}\n"), -1);
	assert_int_equal(f->dl.n, 2);
}

/*
** Shared Lua tables multiply in the manifests: 2^40 values here from a
** 40-step loop.  The app's output budget stops it at the expression, with one
** error, and nothing after it is evaluated.
*/
static void test_gen_tmpl_shared_tables_spend_the_output_budget(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "a: 1\n"
			       "b: ${(function() local t = {'x'} for i = 1, 40 do t = {t, t} end return t end)()}\n"
			       "c: ${error('evaluated after the budget ran out')}\n"), -1);
	assert_null(f->out);
	assert_int_equal(f->dl.n, 1);
	assert_non_null(strstr(f->dl.v[0].msg, "the app's manifests grow too large here (more than 32 MiB"));
	assert_int_equal(f->dl.v[0].pos.line, 2);
	assert_int_equal(f->dl.v[0].pos.col, 4);
}

/* Well inside the budget, the same shape is written out in full. */
static void test_gen_tmpl_shared_tables_within_budget(void **state)
{
	struct fixture *f = *state;
	json_t *t;

	assert_int_equal(render(f, "b: ${(function() local t = {'x'} for i = 1, 12 do t = {t, t} end return t end)()}\n"), 0);
	t = json_object_get(f->out, "b");
	for (int i = 0; i < 12; i++) {
		assert_int_equal(json_array_size(t), 2);
		t = json_array_get(t, 1);
	}
	assert_string_equal(json_string_value(json_array_get(t, 0)), "x");
}

/* $each over a long list repeats its literal body: that is charged too. */
static void test_gen_tmpl_each_spends_the_output_budget(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "l:\n"
			       "  - $each: ${(function() local t = {} for i = 1, 1000000 do t[i] = i end return t end)()}\n"
			       "    a: [1, 2, 3, 4, 5, 6, 7, 8]\n"
			       "    b: ${item}\n"), -1);
	assert_null(f->out);
	assert_int_equal(f->dl.n, 1);
	assert_non_null(strstr(f->dl.v[0].msg, "grow too large here"));
	assert_in_range(f->dl.v[0].pos.line, 3, 4);
}

/*
** Each expression has its own instruction budget; one that stays under it
** but is evaluated per $each element must not run for hours.  The app's
** expressions share one budget, and the error names the $if.
*/
static void test_gen_tmpl_each_if_spends_the_app_instruction_budget(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "l:\n"
			       "  - $each: ${(function() local t = {} for i = 1, 100 do t[i] = i end return t end)()}\n"
			       "    $if: ${(function() local n = 0 for i = 1, 9000000 do n = n + i end return n < 0 end)()}\n"
			       "    a: 1\n"), -1);
	assert_null(f->out);
	assert_int_equal(f->dl.n, 1);
	assert_non_null(strstr(f->dl.v[0].msg, "instruction budget exceeded (300000000 instructions "
					       "for the app's expressions)"));
	assert_int_equal(f->dl.v[0].pos.line, 3);
	assert_int_equal(f->dl.v[0].pos.col, 10);
}

/* Repetitions that $if drops are charged to the output budget too. */
static void test_gen_tmpl_each_dropped_by_if_spends_the_output_budget(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "l:\n"
			       "  - $each: ${(function() local t = {} for i = 1, 600 do t[i] = i end return t end)()}\n"
			       "    $as: o\n"
			       "    w:\n"
			       "      - $each: ${(function() local t = {} for i = 1, 100000 do t[i] = i end return t end)()}\n"
			       "        $if: false\n"), -1);
	assert_null(f->out);
	assert_int_equal(f->dl.n, 1);
	assert_non_null(strstr(f->dl.v[0].msg, "grow too large here"));
	assert_int_equal(f->dl.v[0].pos.line, 5);
}

/* Interpolating a long string again and again is charged as it grows. */
static void test_gen_tmpl_interpolation_spends_the_output_budget(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f, "s: ${string.rep('x', 20000000)}${string.rep('x', 20000000)}-\n"), -1);
	assert_int_equal(f->dl.n, 1);
	assert_non_null(strstr(f->dl.v[0].msg, "grow too large here"));
	assert_int_equal(f->dl.v[0].pos.line, 1);
}

/* tmpl_render keeps one Lua state between apps: nothing of one app's
 * model may be visible to the next, and a model key that shadows a library
 * must not break the next app. */
static void test_gen_tmpl_apps_do_not_share_globals(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/test_gen_tmpl.XXXXXX";
	struct tmpl_set ts;
	const char *models[] = { "{\"first\": 1, \"string\": 5}", "{\"first\": 2}", "{}" };
	const char *want_w[] = { "number", "table" };
	char *path;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	path = util_path_join(dir, "t.yaml");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("v: ${first}\nw: ${type(string)}\n", fp);
	fclose(fp);
	assert_int_equal(tmpl_set_load(&ts, dir, &f->dl), 0);
	for (size_t i = 0; i < 3; i++) {
		struct tmpl_docs docs = { NULL, 0, 0 };
		json_t *m = json_loads(models[i], 0, NULL);
		int rc = tmpl_render(&ts, m, &docs, &f->dl);

		json_decref(m);
		if (i == 2) {	/* `first` was the previous app's */
			assert_int_equal(rc, -1);
			assert_non_null(strstr(f->dl.v[f->dl.n - 1].msg, "first"));
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(docs.n, 1);
			assert_int_equal(json_integer_value(json_object_get(docs.v[0].doc, "v")),
					 (json_int_t)i + 1);
			assert_string_equal(json_string_value(json_object_get(docs.v[0].doc, "w")),
					    want_w[i]);
		}
		tmpl_docs_release(&docs);
	}
	tmpl_set_release(&ts);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* A compiled expression is reused, each time with an _ENV of its own: what
 * one evaluation writes is not seen by the next. */
static void test_gen_tmpl_reused_expression_env_is_fresh(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(render(f,
		"v:\n"
		"  - $each: app.args\n"
		"    new: ${(function() local s = rawget(_ENV, 'seen') seen = 1 return s == nil end)()}\n"), 0);
	expect(f, "{\"v\":[{\"new\":true},{\"new\":true}]}");
}

/* Compiled expressions are found by the address of their text: the same
 * address holding other text (a template freed, another loaded there) must
 * not find the old chunk. */
static void test_gen_tmpl_expression_cache_checks_text(void **state)
{
	struct fixture *f = *state;
	const struct ynode *v;
	char *text;

	assert_int_equal(render(f, "v: ${app.replicas + 1}\nw: ${#app.args}\n"), 0);
	expect(f, "{\"v\":4,\"w\":2}");
	v = ynode_get(f->ys.docs[0].root, "v");
	assert_non_null(v);
	text = (char *)v->text;		/* the loader's own copy, writable */
	text[strlen(text) - 2] = '2';
	json_decref(f->out);
	assert_int_equal(tmpl_render_node(f->L, f->ys.file, f->ys.docs[0].root, &f->out, &f->dl), 0);
	expect(f, "{\"v\":5,\"w\":2}");
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = util_path_join(dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

static void remove_files(const char *dir, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = util_path_join(dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
}

/*
** A template's output is the same every run: pairs over a table it built
** goes in key order (Lua's own is seeded at random), next is gone, and no
** address is written (tostring, %s, %p).
*/
static void test_gen_tmpl_output_is_deterministic(void **state)
{
	static const char *const files[] = { "t.yaml", "lib.lua" };
	struct fixture *f = *state;
	char dir[] = "/tmp/test_gen_tmpl.XXXXXX";
	struct tmpl_set ts;
	struct tmpl_docs docs = { NULL, 0, 0 };
	json_t *m = json_loads("{\"o\": {\"b\": 1, \"a\": 2}}", 0, NULL);
	char *s;

	assert_non_null(mkdtemp(dir));
	write_file(dir, "t.yaml",
		   "k: ${table.concat(lib.keys({gold=1,silver=2,bronze=3,iron=4,wood=5,[2]=0,[1]=0}), ',')}\n"
		   "o: ${table.concat(lib.keys(o), ',')}\n"
		   "t: ${tostring({}) .. ' ' .. tostring(print) .. ' ' .. tostring(o)}\n"
		   "f: ${string.format('%s|%5s|%s|%d', {}, print, 'x', 1)}\n"
		   "m: ${('%s'):format({})}\n"
		   "p: ${select(2, pcall(string.format, '%p', {}))}\n"
		   "nx: ${select(2, pcall(function() return next end))}\n");
	write_file(dir, "lib.lua", "local lib = {}\n"
				   "function lib.keys(t) local r = {} for k in pairs(t) do r[#r+1] = tostring(k) end return r end\n"
				   "return lib\n");
	assert_int_equal(tmpl_set_load(&ts, dir, &f->dl), 0);
	assert_int_equal(tmpl_render(&ts, m, &docs, &f->dl), 0);
	assert_int_equal(docs.n, 1);
	s = json_dumps(docs.v[0].doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"k\":\"1,2,bronze,gold,iron,silver,wood\",\"o\":\"a,b\","
			       "\"t\":\"table function table\",\"f\":\"table|function|x|1\","
			       "\"m\":\"table\","
			       "\"p\":\"'%p' gives an address, which changes from run to run\","
			       "\"nx\":\"expression:1: undefined global 'next'\"}");
	free(s);
	json_decref(m);
	tmpl_docs_release(&docs);
	tmpl_set_release(&ts);
	remove_files(dir, files, 2);
}

/* lib.lua is compiled once per set but run for every app: each run has an
 * _ENV of its own and sees that app's globals, with null members left out. */
static void test_gen_tmpl_lib_runs_per_app(void **state)
{
	static const char *const files[] = { "t.yaml", "lib.lua" };
	struct fixture *f = *state;
	char dir[] = "/tmp/test_gen_tmpl.XXXXXX";
	struct tmpl_set ts;
	const char *models[] = { "{\"first\": 1, \"o\": {\"x\": null, \"y\": 2}, \"gone\": null}",
				 "{\"first\": 2, \"o\": {\"y\": 3, \"z\": null, \"w\": 4}}" };

	assert_non_null(mkdtemp(dir));
	write_file(dir, "t.yaml", "v: ${lib.first()}\nfresh: ${lib.fresh}\ncount: ${lib.count(o)}\n"
				  "gone: ${lib.gone}\n");
	write_file(dir, "lib.lua", "local M = { fresh = rawget(_ENV, 'seen') == nil }\n"
				   "seen = true\n"
				   "M.gone = pcall(function() return gone end)\n"
				   "function M.first() return first end\n"
				   "function M.count(t) local c = 0 for _ in pairs(t) do c = c + 1 end return c end\n"
				   "return M\n");
	assert_int_equal(tmpl_set_load(&ts, dir, &f->dl), 0);
	for (size_t i = 0; i < 2; i++) {
		struct tmpl_docs docs = { NULL, 0, 0 };
		json_t *m = json_loads(models[i], 0, NULL);

		assert_int_equal(tmpl_render(&ts, m, &docs, &f->dl), 0);
		json_decref(m);
		assert_int_equal(docs.n, 1);
		f->out = docs.v[0].doc;
		expect(f, i == 0 ? "{\"v\":1,\"fresh\":true,\"count\":1,\"gone\":false}"
				 : "{\"v\":2,\"fresh\":true,\"count\":2,\"gone\":false}");
		f->out = NULL;
		tmpl_docs_release(&docs);
	}
	tmpl_set_release(&ts);
	remove_files(dir, files, 2);
}

/* A failing lib.lua fails every app alike, at its own file:line. */
static void test_gen_tmpl_lib_errors_every_app(void **state)
{
	static const char *const files[] = { "t.yaml", "lib.lua" };
	static const struct {
		const char *lib, *msg;
		unsigned line;
	} cases[] = {
		{ "local M = {}\nerror('boom')\nreturn M\n", "boom", 2 },
		{ "local M = {\nreturn M\n", "expected", 2 },
		{ "return 5\n", "lib.lua must return a table", 0 },
	};
	struct fixture *f = *state;
	char dir[] = "/tmp/test_gen_tmpl.XXXXXX";

	assert_non_null(mkdtemp(dir));
	write_file(dir, "t.yaml", "v: 1\n");
	for (size_t c = 0; c < countof(cases); c++) {
		struct tmpl_set ts;

		write_file(dir, "lib.lua", cases[c].lib);
		assert_int_equal(tmpl_set_load(&ts, dir, &f->dl), 0);
		for (size_t i = 0; i < 3; i++) {
			struct tmpl_docs docs = { NULL, 0, 0 };
			json_t *m = json_loads("{\"first\": 1}", 0, NULL);
			const struct diag *d;

			assert_int_equal(tmpl_render(&ts, m, &docs, &f->dl), -1);
			json_decref(m);
			d = &f->dl.v[f->dl.n - 1];
			assert_non_null(strstr(d->msg, cases[c].msg));
			assert_non_null(d->pos.file);
			assert_true(util_has_suffix(d->pos.file, "/lib.lua"));
			assert_int_equal(d->pos.line, cases[c].line);
			assert_int_equal(docs.n, 0);
			tmpl_docs_release(&docs);
		}
		tmpl_set_release(&ts);
	}
	remove_files(dir, files, 2);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_gen_tmpl_exact_keeps_type),
		T(test_gen_tmpl_nil_removes),
		T(test_gen_tmpl_interpolates),
		T(test_gen_tmpl_braces_inside_expression),
		T(test_gen_tmpl_if_on_mappings),
		T(test_gen_tmpl_if_drops_document),
		T(test_gen_tmpl_each_repeats),
		T(test_gen_tmpl_emptied_list_goes),
		T(test_gen_tmpl_merge),
		T(test_gen_tmpl_dollar_escape_key),
		T(test_gen_tmpl_errors_have_positions),
		T(test_gen_tmpl_each_outside_sequence),
		T(test_gen_tmpl_each_needs_list),
		T(test_gen_tmpl_each_over_mapping),
		T(test_gen_tmpl_nul_in_strings),
		T(test_gen_tmpl_nul_in_template_text),
		T(test_gen_tmpl_sandbox_and_globals_are_readonly),
		T(test_gen_tmpl_shared_tables_spend_the_output_budget),
		T(test_gen_tmpl_shared_tables_within_budget),
		T(test_gen_tmpl_each_spends_the_output_budget),
		T(test_gen_tmpl_each_if_spends_the_app_instruction_budget),
		T(test_gen_tmpl_each_dropped_by_if_spends_the_output_budget),
		T(test_gen_tmpl_interpolation_spends_the_output_budget),
		T(test_gen_tmpl_apps_do_not_share_globals),
		T(test_gen_tmpl_reused_expression_env_is_fresh),
		T(test_gen_tmpl_expression_cache_checks_text),
		T(test_gen_tmpl_output_is_deterministic),
		T(test_gen_tmpl_lib_runs_per_app),
		T(test_gen_tmpl_lib_errors_every_app),
	};
#undef T
	util_progname = "test_gen_tmpl";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
