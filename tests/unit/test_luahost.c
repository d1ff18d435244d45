/*
** test_luahost.c: unit tests for the sandboxed Lua host (lib/luahost.c,
** luahost_conv.c, lx_*.c): isolation, budgets, error reports, conversions,
** the re/k8s/sk helpers, and the escape catalogue in tests/sandbox/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "luahost.h"
#include "strbuf.h"
#include "util.h"
#include "ydoc.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_BUILD 1
#endif
#endif
#ifndef SLOW_BUILD
#define SLOW_BUILD 0
#endif

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
** CPU time of this process: what a budget bounds.  Unlike the wall clock it
** does not grow when the machine is busy with other work.
*/
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static lua_State *new_host(size_t mem, unsigned long insns, unsigned long ms)
{
	struct luahost_limits lim = { mem, insns, ms };
	lua_State *L = luahost_new(&lim, false);

	assert_non_null(L);
	return L;
}

static void print_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		print_message("  diag: %s:%u: %s\n", dl->v[i].pos.file ? dl->v[i].pos.file : "?",
			      dl->v[i].pos.line, dl->v[i].msg);
}

/*
** Load and run `code`, with the value at stack index `arg` (absolute) as
** its argument when arg is not 0; results stay on the stack.  0 or -1.
*/
static int run_arg(lua_State *L, const char *name, const char *code, int arg,
		   int nres, struct diag_list *dl)
{
	if (luahost_load(L, name, code, strlen(code), "rule-error", dl) < 0)
		return -1;
	if (arg)
		lua_pushvalue(L, arg);
	return luahost_pcall(L, arg ? 1 : 0, nres, "rule-error", dl);
}

static int run(lua_State *L, const char *name, const char *code, int nres,
	       struct diag_list *dl)
{
	return run_arg(L, name, code, 0, nres, dl);
}

/* The chunk, given the value at `arg` (0: none), must return true. */
static void expect_true_arg(lua_State *L, int arg, const char *code)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int top = lua_gettop(L), rc = run_arg(L, "@t.lua", code, arg, 1, &dl);

	if (rc < 0 || !lua_toboolean(L, -1)) {
		print_message("chunk failed: %s\n", code);
		print_diags(&dl);
	}
	assert_int_equal(rc, 0);
	assert_true(lua_toboolean(L, -1));
	lua_settop(L, top);
	diag_list_release(&dl);
}

static void expect_true(lua_State *L, const char *code)
{
	expect_true_arg(L, 0, code);
}

/* The chunk, given the value at `arg` (0: none), must fail with a message containing `want`. */
static void expect_error_arg(lua_State *L, int arg, const char *code, const char *want)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int top = lua_gettop(L), rc = run_arg(L, "@t.lua", code, arg, 0, &dl);

	if (rc == 0 || dl.n != 1 || !strstr(dl.v[0].msg, want)) {
		print_message("chunk: %s\nwanted error containing: %s\n", code, want);
		print_diags(&dl);
	}
	assert_int_equal(rc, -1);
	assert_int_equal(dl.n, 1);
	assert_non_null(strstr(dl.v[0].msg, want));
	assert_int_equal(lua_gettop(L), top);
	diag_list_release(&dl);
}

static void expect_error(lua_State *L, const char *code, const char *want)
{
	expect_error_arg(L, 0, code, want);
}

/* {====== sandbox */

static void test_luahost_removed_globals_are_undefined(void **state)
{
	static const char *const names[] = {
		"io", "os", "package", "debug", "require", "load", "loadstring",
		"dofile", "loadfile", "collectgarbage", "coroutine", "warn"
	};
	lua_State *L = new_host(0, 0, 0);
	char code[128], want[64];

	(void)state;
	for (size_t i = 0; i < countof(names); i++) {
		snprintf(code, sizeof(code), "return %s", names[i]);
		snprintf(want, sizeof(want), "undefined global '%s'", names[i]);
		expect_error(L, code, want);
	}
	expect_true(L, "return string.dump == nil and math.randomseed == nil");
	expect_true(L, "return type(string.format) == 'function' and type(table.concat) == 'function'"
		       " and type(math.floor) == 'function' and type(utf8.char) == 'function'");
	luahost_close(L);
}

static void test_luahost_bytecode_is_refused(void **state)
{
	lua_State *plain = luaL_newstate(), *L = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;
	size_t len;
	const char *bc;

	(void)state;
	luaL_openlibs(plain);
	assert_int_equal(luaL_dostring(plain, "return string.dump(function() return 1 end)"), 0);
	bc = lua_tolstring(plain, -1, &len);
	assert_memory_equal(bc, "\033Lua", 4);
	assert_int_equal(luahost_load(L, "@evil.lua", bc, len, "rule-error", &dl), -1);
	assert_non_null(strstr(dl.v[0].msg, "binary chunk"));
	assert_int_equal(luahost_load(L, "@evil.lua", "\033Lua", 4, "rule-error", &dl), -1);
	assert_int_equal(dl.n, 2);
	assert_int_equal(lua_gettop(L), 0);
	diag_list_release(&dl);
	lua_close(plain);
	luahost_close(L);
}

/*
** A chunk compiled in one state runs in another from its bytecode, in its
** own _ENV, and its errors keep their file:line (debug information kept).
*/
static void test_luahost_dump_loads_in_another_state(void **state)
{
	lua_State *a = new_host(0, 0, 0), *b = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;
	const char *code = "x = 41\nreturn function() return x + 1 end, function()\n"
			   "\terror('boom')\nend\n";
	char *bc;
	size_t len;

	(void)state;
	assert_int_equal(luahost_load(a, "@r.lua", code, strlen(code), "rule-error", &dl), 0);
	assert_int_equal(luahost_dump(a, &bc, &len), 0);
	assert_true(len > 4);
	assert_memory_equal(bc, "\033Lua", 4);
	assert_int_equal(luahost_load_compiled(b, "@r.lua", bc, len, "rule-error", &dl), 0);
	assert_int_equal(luahost_pcall(b, 0, 2, "rule-error", &dl), 0);
	lua_pushvalue(b, -2);
	assert_int_equal(luahost_pcall(b, 0, 1, "rule-error", &dl), 0);
	assert_int_equal(lua_tointeger(b, -1), 42);
	lua_pop(b, 1);
	assert_int_equal(luahost_pcall(b, 0, 0, "rule-error", &dl), -1);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.v[0].pos.file, "r.lua");
	assert_int_equal(dl.v[0].pos.line, 3);
	assert_non_null(strstr(dl.v[0].msg, "boom"));
	/* the global the chunk set stayed in its own _ENV: b's base has none */
	expect_error(b, "return x", "undefined global 'x'");
	free(bc);
	diag_list_release(&dl);
	luahost_close(a);
	luahost_close(b);
}

static void test_luahost_string_metatable_tampering_is_contained(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L, "local mt = getmetatable('')\n"
		       "local ok1 = pcall(function() getmetatable('').__index.upper = print end)\n"
		       "local ok2 = pcall(function() string.upper = print end)\n"
		       "local ok3 = pcall(rawset, string, 'upper', print)\n"
		       "local ok4 = pcall(setmetatable, string, {})\n"
		       "local ok5 = pcall(function() ('').upper = print end)\n"
		       "string = { upper = print }\n"	/* own global only */
		       "return mt == false and not ok1 and not ok2 and not ok3 and not ok4 and not ok5");
	expect_true(L, "return ('x'):upper() == 'X' and string.upper('y') == 'Y'");
	expect_true(L, "return getmetatable(_ENV) == false and getmetatable(_G) == false"
		       " and not pcall(setmetatable, _ENV, {})");
	luahost_close(L);
}

static void test_luahost_globals_stay_in_their_chunk(void **state)
{
	lua_State *L = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(run(L, "@a.lua", "x = 42; function get() return x end; return get", 1, &dl), 0);
	expect_error(L, "return x", "undefined global 'x'");
	expect_error(L, "return get", "undefined global 'get'");
	assert_int_equal(luahost_pcall(L, 0, 1, "rule-error", &dl), 0);	/* a's get() */
	assert_int_equal(lua_tointeger(L, -1), 42);
	expect_error(L, "_G.y = 1", "cannot modify read-only table '_G'");
	expect_error(L, "re.test = nil", "cannot modify read-only table 're'");
	expect_error(L, "table.insert(math, 1)", "cannot modify read-only table 'math'");
	lua_settop(L, 0);
	diag_list_release(&dl);
	luahost_close(L);
}

static void test_luahost_setglobal_is_shared_and_read_only(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	lua_newtable(L);
	lua_pushinteger(L, 7);
	lua_setfield(L, -2, "seven");
	luahost_setglobal(L, "helpers");
	lua_pushliteral(L, "v1");
	luahost_setglobal(L, "VERSION");
	assert_int_equal(lua_gettop(L), 0);
	expect_true(L, "return helpers.seven == 7 and VERSION == 'v1' and #helpers == 0");
	expect_error(L, "helpers.seven = 8", "cannot modify read-only table 'helpers'");
	expect_true(L, "local n = 0 for k, v in pairs(helpers) do n = n + v end return n == 7");
	luahost_close(L);
}

static void test_luahost_error_positions_name_the_rule_file(void **state)
{
	lua_State *L = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(run(L, "@rules/x.lua", "local a = 1\n\nreturn undefined_name\n", 0, &dl), -1);
	assert_string_equal(dl.v[0].msg, "undefined global 'undefined_name'");
	assert_string_equal(dl.v[0].pos.file, "rules/x.lua");
	assert_int_equal(dl.v[0].pos.line, 3);
	assert_string_equal(dl.v[0].code, "rule-error");

	assert_int_equal(run(L, "@rules/y.lua", "local t\n\n\nreturn t.x", 0, &dl), -1);
	assert_string_equal(dl.v[1].msg, "attempt to index a nil value (local 't')");
	assert_int_equal(dl.v[1].pos.line, 4);

	/* error(msg, 2) blames the caller's line */
	assert_int_equal(run(L, "@rules/z.lua",
			     "local function check(v)\n  error('bad value', 2)\nend\n\ncheck(1)\n",
			     0, &dl), -1);
	assert_string_equal(dl.v[2].msg, "bad value");
	assert_int_equal(dl.v[2].pos.line, 5);

	/* syntax errors come from the load */
	assert_int_equal(run(L, "@rules/s.lua", "local x = 1\nx = = 2\n", 0, &dl), -1);
	assert_string_equal(dl.v[3].pos.file, "rules/s.lua");
	assert_int_equal(dl.v[3].pos.line, 2);
	assert_non_null(strstr(dl.v[3].msg, "unexpected symbol near '='"));
	assert_null(strstr(dl.v[3].msg, "rules/s.lua"));

	/* long chunk names are shortened by Lua; the file stays whole */
	assert_int_equal(run(L, "@/a/very/long/directory/name/that/goes/on/and/on/rules/long-rule-name.lua",
			     "\nerror('boom')", 0, &dl), -1);
	assert_string_equal(dl.v[4].pos.file,
			    "/a/very/long/directory/name/that/goes/on/and/on/rules/long-rule-name.lua");
	assert_int_equal(dl.v[4].pos.line, 2);
	assert_string_equal(dl.v[4].msg, "boom");
	assert_int_equal(lua_gettop(L), 0);
	diag_list_release(&dl);
	luahost_close(L);
}

static void test_luahost_error_values_are_described(void **state)
{
	lua_State *L = new_host(0, 2000000, 0);

	(void)state;
	expect_error(L, "error({})", "error object is a table value");
	expect_error(L, "error(nil)", "error object is a nil value");
	expect_error(L, "error(false)", "error object is a boolean value (false)");
	expect_error(L, "error(sk.null)", "null");
	expect_error(L, "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
		     "custom");
	expect_error(L, "error(setmetatable({}, {__tostring = function() return {} end}))",
		     "error object is a table value");
	expect_error(L, "error(setmetatable({}, {__tostring = function() error('x') end}))",
		     "error object is a table value");
	/* a __tostring that loops is stopped by the budget */
	expect_error(L, "error(setmetatable({}, {__tostring = function() while true do end end}))",
		     "instruction budget exceeded");
	expect_error(L, "error(42)", "42");
	luahost_close(L);
}

static void test_luahost_setmetatable_refuses_gc(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_error(L, "setmetatable({}, {__gc = function() end})",
		     "'__gc' metamethods are not allowed");
	/* __gc added afterwards is never called by Lua: harmless */
	expect_true(L, "local mt = {} local t = setmetatable({}, mt) "
		       "mt.__gc = function() while true do end end return getmetatable(t) == mt");
	luahost_close(L);	/* must not hang */
}

static void test_luahost_random_is_deterministic(void **state)
{
	lua_State *a = new_host(0, 0, 0), *b = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(run(a, "@r.lua", "return math.random(1, 1000000000)", 1, &dl), 0);
	assert_int_equal(run(b, "@r.lua", "return math.random(1, 1000000000)", 1, &dl), 0);
	assert_int_equal(lua_tointeger(a, -1), lua_tointeger(b, -1));
	luahost_close(a);
	luahost_close(b);
}

/* }====== */

/* {====== budgets */

static void test_luahost_infinite_loop_hits_budget_fast(void **state)
{
	lua_State *L = new_host(0, 0, 0);	/* default limits */
	struct diag_list dl = DIAG_LIST_INIT;
	double t0 = cpu_s(), dt;

	(void)state;
	assert_int_equal(run(L, "@rules/loop.lua", "local n = 0\nwhile true do\n  n = n + 1\nend\n", 0, &dl), -1);
	dt = cpu_s() - t0;
	print_message("# default budget: infinite loop stopped after %.3f s of CPU\n", dt);
	assert_non_null(strstr(dl.v[0].msg, "instruction budget exceeded"));
	assert_string_equal(dl.v[0].pos.file, "rules/loop.lua");
	assert_true(dl.v[0].pos.line >= 2 && dl.v[0].pos.line <= 4);
	if (!SLOW_BUILD)
		assert_true(dt < 1.0);
	/* the state stays usable and the budget is fresh again */
	expect_true(L, "local n = 0 for i = 1, 1000000 do n = n + i end return n == 500000500000");
	diag_list_release(&dl);
	luahost_close(L);
}

static void test_luahost_pcall_cannot_swallow_budget(void **state)
{
	lua_State *L = new_host(0, 1000000, 0);

	(void)state;
	expect_error(L, "for i = 1, 100 do pcall(function() while true do end end) end return 'escaped'",
		     "instruction budget exceeded");
	expect_error(L, "while true do pcall(function() while true do end end) end",
		     "instruction budget exceeded");
	expect_error(L, "xpcall(function() while true do end end, function() while true do end end) "
		        "return 'escaped'", "instruction budget exceeded");
	expect_error(L, "do local x <close> = setmetatable({}, {__close = function() while true do end end}) end",
		     "instruction budget exceeded");
	expect_error(L, "local ok = pcall(string.gsub, 'aaa', 'a', function() while true do end end) "
		        "for i = 1, 10 do end return ok", "instruction budget exceeded");
	expect_error(L, "table.move({}, 1, math.maxinteger - 1, 2, {})", "instruction budget exceeded");
	expect_error(L, "table.insert(setmetatable({}, {__len = function() return 1 << 60 end}), 1, 'x')",
		     "instruction budget exceeded");
	expect_error(L, "table.remove(setmetatable({}, {__len = function() return 1 << 60 end}), 1)",
		     "instruction budget exceeded");
	expect_true(L, "return #string.rep('', 1e15) == 0 and #string.rep('', 1e15, '') == 0");
	luahost_close(L);
}

/* luahost_spent: set by a budget running out, not by an ordinary error. */
static void test_luahost_spent_tells_budget_from_error(void **state)
{
	lua_State *L = new_host(1 << 20, 100000, 0);

	(void)state;
	expect_error(L, "while true do end", "instruction budget exceeded");
	assert_true(luahost_spent(L));
	expect_error(L, "error('plain')", "plain");
	assert_false(luahost_spent(L));
	expect_error(L, "local t = {} while true do t[#t + 1] = {} end", "memory limit exceeded");
	assert_true(luahost_spent(L));
	expect_error(L, "return nil + 1", "arithmetic");
	assert_false(luahost_spent(L));
	luahost_close(L);
}

/*
** Garbage counts against the cap until the collector runs.  Lua collects
** and retries when its own allocation is refused; PCRE2's allocations (a
** match's ~20 KiB of frames) must too, or a rule that dropped a big table
** makes the next rule's re.* calls fail (found by fuzz_luahost).
*/
static size_t room_cap;

static int l_room(lua_State *L)	/* bytes left under the cap */
{
	lua_pushinteger(L, (lua_Integer)(room_cap - luahost_mem_used(L)));
	return 1;
}

static int l_gcstop(lua_State *L)	/* only a refused allocation collects now */
{
	lua_gc(L, LUA_GCSTOP, 0);
	return 0;
}

static void test_luahost_regex_memory_collects_garbage_first(void **state)
{
	lua_State *L = new_host(room_cap = (size_t)2 << 20, 0, 0);

	(void)state;
	lua_pushcfunction(L, l_room);
	luahost_setglobal(L, "room");
	lua_pushcfunction(L, l_gcstop);
	luahost_setglobal(L, "gcstop");
	expect_true(L, "local g = {} for i = 1, 4096 do g[i] = false end "
		       "local i = 0 while room() > 6000 do i = i + 1 g[i] = string.rep('x', 900) .. i end "
		       "gcstop() g = nil assert(room() < 8000, room()) "
		       "return re.test('abc', '^a') and re.match('xyz', 'y(z)') == 'z'");
	luahost_close(L);
}

static void test_luahost_time_limit_stops_c_heavy_loops(void **state)
{
	lua_State *L = new_host(0, 4000000000UL, 300);
	struct diag_list dl = DIAG_LIST_INIT;
	double t0 = now_s(), dt;

	(void)state;
	assert_int_equal(run(L, "@t.lua", "while true do local s = string.rep('x', 1 << 22) end", 0, &dl), -1);
	dt = now_s() - t0;
	assert_non_null(strstr(dl.v[0].msg, "time limit exceeded (300 ms)"));
	assert_true(dt < 5.0);
	diag_list_release(&dl);
	luahost_close(L);
}

/* A child stuck in one string.find; its stderr is read from *fd. */
static pid_t spawn_stuck(bool where, int *fd)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		lua_State *L = new_host(0, 0, 100);
		struct diag_list dl = DIAG_LIST_INIT;
		struct diag_pos at = { "rules/x.lua", 7, 3 };

		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		alarm(60);	/* without a watchdog: killed by SIGALRM, the test fails */
		if (where)
			luahost_set_where(L, at, "rule", "x");
		/* O(n^7) steps in one string.find: years */
		run(L, "@t.lua", "return string.find(string.rep('a', 5000), '.-.-.-.-.-.-.-b')",
		    1, &dl);
		_exit(0);
	}
	close(fds[1]);
	*fd = fds[0];
	return pid;
}

/* What the child wrote; asserts that it exited with status 2. */
static void reap_stuck(pid_t pid, int fd, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int status;

	while ((n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
}

/*
** One C call that does not return (a Lua pattern that backtracks) escapes
** the budgets; the watchdog ends the process, exit 2, WATCH_GRACE_MS (10 s)
** past the call's time limit, naming where the call ran when it was told
** (luahost_set_where).  Two children at once, which it kills.
*/
static void test_luahost_watchdog_ends_a_stuck_c_call(void **state)
{
	char plain[512], placed[512];
	double t0 = now_s();
	int fd1, fd2;
	pid_t p1, p2;

	(void)state;
	p1 = spawn_stuck(false, &fd1);
	p2 = spawn_stuck(true, &fd2);
	reap_stuck(p1, fd1, plain, sizeof plain);
	reap_stuck(p2, fd2, placed, sizeof placed);
	assert_non_null(strstr(plain, "error: a Lua call is still running 10 s past its time limit"));
	assert_non_null(strstr(placed, "rules/x.lua:7:3: error: rule 'x' is still running 10 s "
				       "past its time limit"));
	assert_true(now_s() - t0 >= 10.0);
}

static void test_luahost_memory_bombs_fail_cleanly(void **state)
{
	lua_State *L = new_host(32u << 20, 0, 0);
	size_t base;

	(void)state;
	base = luahost_mem_used(L);
	expect_error(L, "local t = {} while true do t[#t + 1] = {} end", "memory limit exceeded (32 MiB)");
	expect_error(L, "local t = {} local i = 0 while true do i = i + 1 t[i] = ('x'):rep(100) .. i end",
		     "memory limit exceeded");
	expect_error(L, "return string.rep('x', 1e9)", "memory limit exceeded");
	expect_error(L, "return string.rep('xx', math.maxinteger)", "too large");
	expect_error(L, "local s = string.rep('x', 1 << 20) local t = {} "
		        "for i = 1, 64 do t[i] = s end return table.concat(t)", "memory limit exceeded");
	expect_error(L, "local s = 'x' while true do s = s .. s end", "memory limit exceeded");
	/* a caught memory error does not poison the state */
	expect_true(L, "local ok, e = pcall(string.rep, 'x', 1e9) return not ok and e == 'not enough memory'");
	expect_true(L, "return 1 + 1 == 2");
	lua_gc(L, LUA_GCCOLLECT);
	assert_true(luahost_mem_used(L) < base + (1u << 20));
	assert_true(luahost_mem_used(L) <= (32u << 20));
	luahost_close(L);
}

static void test_luahost_deep_recursion_is_an_error(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_error(L, "local function f() return 1 + f() end return f()", "stack overflow");
	expect_error(L, "local function g(s) return (s:gsub('.', g)) end return g('abc')", "stack overflow");
	expect_error(L, "local function h(s) return (re.gsub(s, '.', h)) end return h('ab')", "stack overflow");
	expect_error(L, "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end "
		        "return t.x", "stack overflow");
	expect_error(L, "local s = string.rep('(', 300) .. string.rep(')', 300) return re.test('x', s)",
		     "parentheses are too deeply nested");
	expect_true(L, "return 1");
	luahost_close(L);
}

static void test_luahost_fail_after_n_allocations_is_clean(void **state)
{
	static const char code[] =
		"local t = {}\n"
		"for i = 1, 50 do t[i] = { name = 'n' .. i, v = i * 1.5 } end\n"
		"local s = re.gsub('a-b-c', '(\\\\w)', '<$1>')\n"
		"local keys = {}\n"
		"for k in sk.sorted_pairs({ b = 1, a = 2 }) do keys[#keys + 1] = k end\n"
		"return #t + #s + #keys\n";
	json_t *j = json_loads("{\"a\": [1, 2, {\"b\": null}], \"c\": \"d\"}", 0, NULL);
	int ok = 0, failed = 0;

	(void)state;
	for (long n = 0; n < 400; n++) {
		lua_State *L = new_host(0, 0, 0);
		struct diag_list dl = DIAG_LIST_INIT;
		int rc;

		luahost_test_fail_after(L, n);
		rc = run(L, "@f.lua", code, 1, &dl);
		if (rc == 0)
			rc = luahost_try_push_json(L, j, "oom", &dl);
		if (rc == 0) {
			ok++;
		} else {
			failed++;
			assert_int_equal(dl.n, 1);
			assert_non_null(strstr(dl.v[0].msg, "memory limit exceeded"));
		}
		luahost_test_fail_after(L, -1);
		expect_true(L, "return re.test('abc', 'b') and #string.rep('x', 1000) == 1000");
		diag_list_release(&dl);
		luahost_close(L);
	}
	print_message("# fail-after: %d runs failed cleanly, %d succeeded\n", failed, ok);
	assert_true(failed > 50);
	assert_true(ok > 0);
	json_decref(j);
}

static void test_luahost_tiny_memory_caps_fail_at_creation(void **state)
{
	int null = 0, made = 0;

	(void)state;
	for (size_t cap = 1024; cap < (256u << 10); cap += 3072) {
		struct luahost_limits lim = { cap, 0, 0 };
		lua_State *L = luahost_new(&lim, false);

		if (!L) {
			null++;
			continue;
		}
		made++;
		assert_true(luahost_mem_used(L) <= cap);
		luahost_close(L);
	}
	assert_true(null > 0);
	assert_true(made > 0);
}

/* }====== */

/* {====== conversions */

static void test_luahost_json_round_trip(void **state)
{
	static const char text[] =
		"{\"name\": \"sp\\u00e4rk\", \"n\": 3, \"big\": 9007199254740993, \"f\": 1.5,"
		" \"whole\": 2.0, \"t\": true, \"no\": false, \"nil\": null, \"empty_a\": [],"
		" \"empty_o\": {}, \"list\": [1, \"two\", [3, [4]], {\"k\": null}],"
		" \"nested\": {\"a\": {\"b\": {\"c\": [true]}}}, \"nul\": \"x\\u0000y\"}";
	json_t *in = json_loads(text, JSON_ALLOW_NUL, NULL), *out;
	lua_State *L = new_host(0, 0, 0);
	const char *err = NULL;
	char *dump;

	(void)state;
	assert_non_null(in);
	luahost_push_json(L, in);
	assert_int_equal(lua_gettop(L), 1);
	out = luahost_to_json(L, 1, NULL, &err);
	assert_non_null(out);
	assert_true(json_equal(in, out));
	assert_true(json_is_integer(json_object_get(out, "big")));
	assert_true(json_is_real(json_object_get(out, "whole")));
	assert_true(json_is_array(json_object_get(out, "empty_a")));
	assert_true(json_is_object(json_object_get(out, "empty_o")));
	dump = json_dumps(out, JSON_COMPACT);	/* keys come out sorted */
	assert_non_null(strstr(dump, "{\"big\":9007199254740993,\"empty_a\":[],\"empty_o\":{},\"f\":1.5,"));
	free(dump);
	/* Lua sees the same values */
	lua_pop(L, 1);
	luahost_push_json(L, in);
	luahost_setglobal(L, "doc");
	expect_true(L, "return doc['nil'] == sk.null and math.type(doc.n) == 'integer' and "
		       "math.type(doc.whole) == 'float' and doc.list[3][2][1] == 4 and doc.name == 'sp\\u{e4}rk'");
	json_decref(in);
	json_decref(out);
	luahost_close(L);
}

static void test_luahost_push_json_shares_and_marks(void **state)
{
	json_t *shared = json_pack("{s:[i,i]}", "k", 1, 2);
	json_t *root = json_pack("{s:O, s:O, s:[], s:n}", "a", shared, "b", shared, "e", "z");
	lua_State *L = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_non_null(root);
	assert_int_equal(luahost_try_push_json(L, root, "oom", &dl), 0);
	luahost_setglobal(L, "j");
	expect_true(L, "return rawequal(j.a, j.b) and j.a.k[2] == 2 and j.z == sk.null and #j.e == 0");
	luahost_push_json(L, json_object_get(root, "e"));
	assert_true(lua_getmetatable(L, -1));	/* the sk.array marker */
	lua_settop(L, 0);
	json_decref(shared);
	json_decref(root);
	diag_list_release(&dl);
	luahost_close(L);
}

/* The keys of the table at `idx` in next()'s order, joined by spaces. */
static char *next_order(lua_State *L, int idx)
{
	char *out = calloc(1, 512);

	assert_non_null(out);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		assert_true(strlen(out) + strlen(lua_tostring(L, -1)) + 2 < 512);
		strcat(out, lua_tostring(L, -1));
		strcat(out, " ");
	}
	return out;
}

static void test_luahost_push_json_without_nulls(void **state)
{
	json_t *shared = json_pack("{s:i, s:n}", "k", 1, "gone");
	json_t *root = json_pack("{s:O, s:O, s:{s:n}, s:[n, i, {s:n, s:s}], s:n, s:{s:{s:n}}}",
				 "a", shared, "b", shared, "only_null", "x",
				 "list", 2, "y", "z", "w", "top_null", "deep", "m", "n");
	json_t *wide = json_object(), *copy = json_object();
	lua_State *L = new_host(0, 0, 0);
	struct diag_list dl = DIAG_LIST_INIT;
	char key[8], *want, *got;

	(void)state;
	assert_non_null(root);
	assert_int_equal(luahost_try_push_json_without_nulls(L, root, "oom", &dl), 0);
	luahost_setglobal(L, "j");
	expect_true(L, "return j.top_null == nil and j.a.k == 1 and j.a.gone == nil and j.b.k == 1");
	/* the copy shared nothing: two tables, as two copies would be */
	expect_true(L, "return not rawequal(j.a, j.b)");
	expect_true(L, "return next(j.only_null) == nil and j.deep.m ~= nil and next(j.deep.m) == nil");
	/* nulls in lists stay, as in a copy */
	expect_true(L, "return #j.list == 3 and j.list[1] == sk.null and j.list[2] == 2 and "
		       "j.list[3].y == nil and j.list[3].z == 'w'");
	expect_true(L, "local n = 0 for _ in pairs(j) do n = n + 1 end return n == 5");
	/* the value itself is left as it was */
	assert_true(json_is_null(json_object_get(shared, "gone")));
	assert_true(json_is_null(json_object_get(root, "top_null")));
	/* a table made with the copy's size: next() walks it in the same order */
	for (int i = 0; i < 24; i++) {
		snprintf(key, sizeof key, "k%d", i);
		json_object_set_new(wide, key, i % 3 ? json_integer(i) : json_null());
		if (i % 3)
			json_object_set_new(copy, key, json_integer(i));
	}
	assert_int_equal(luahost_try_push_json_without_nulls(L, wide, "oom", &dl), 0);
	assert_int_equal(luahost_try_push_json(L, copy, "oom", &dl), 0);
	got = next_order(L, 1);
	want = next_order(L, 2);
	assert_string_equal(got, want);
	free(got);
	free(want);
	assert_int_equal(dl.n, 0);
	lua_settop(L, 0);
	json_decref(wide);
	json_decref(copy);
	json_decref(shared);
	json_decref(root);
	diag_list_release(&dl);
	luahost_close(L);
}

static void test_luahost_verbose_hint_has_traceback(void **state)
{
	lua_State *L = luahost_new(NULL, true);
	struct diag_list dl = DIAG_LIST_INIT;

	(void)state;
	assert_non_null(L);
	assert_int_equal(run(L, "@rules/v.lua", "local function inner() error('deep') end\ninner()\n", 0, &dl), -1);
	assert_string_equal(dl.v[0].msg, "deep");
	assert_int_equal(dl.v[0].pos.line, 1);
	assert_non_null(dl.v[0].hint);
	assert_non_null(strstr(dl.v[0].hint, "stack traceback:"));
	assert_non_null(strstr(dl.v[0].hint, "rules/v.lua:2"));
	diag_list_release(&dl);
	luahost_close(L);
}

/* Convert the value a chunk returns; NULL and *err on failure. */
static json_t *chunk_to_json(lua_State *L, const char *code, const char **err)
{
	struct diag_list dl = DIAG_LIST_INIT;
	json_t *j;

	assert_int_equal(run(L, "@j.lua", code, 1, &dl), 0);
	j = luahost_to_json(L, -1, NULL, err);
	lua_pop(L, 1);
	diag_list_release(&dl);
	return j;
}

static void test_luahost_to_json_refuses_what_json_cannot_hold(void **state)
{
	static const struct { const char *code, *err; } bad[] = {
		{ "return { f = print }", "cannot convert a function to json" },
		{ "local t = {} t.self = t return t", "table is cyclic" },
		{ "local t = {} for i = 1, 600 do t = { t } end return t", "nested too deeply" },
		{ "return { 1, 2, x = 3 }", "mixes array and map keys" },
		{ "return { 1, nil, 3 }", "mixes array and map keys" },
		{ "return { [1.5] = 1 }", "mixes array and map keys" },
		{ "return { 0/0 }", "nan or inf" },
		{ "return { math.huge }", "nan or inf" },
		{ "return { '\\xff' }", "not valid UTF-8" },
		{ "return { ['\\xff'] = 1 }", "not valid UTF-8" },
		{ "local a = sk.array() a.x = 1 return a", "marked as an array" },
	};
	lua_State *L = new_host(0, 0, 0);
	const char *err;
	json_t *j;

	(void)state;
	for (size_t i = 0; i < countof(bad); i++) {
		err = NULL;
		j = chunk_to_json(L, bad[i].code, &err);
		if (j || !err || !strstr(err, bad[i].err))
			print_message("%s -> %s\n", bad[i].code, err ? err : "(converted)");
		assert_null(j);
		assert_non_null(strstr(err, bad[i].err));
	}
	j = chunk_to_json(L, "return { sk.array(), {}, sk.array({ 1, 2 }), sk.null, nil }", &err);
	assert_non_null(j);
	assert_true(json_is_array(json_array_get(j, 0)));
	assert_true(json_is_object(json_array_get(j, 1)));
	assert_int_equal(json_array_size(json_array_get(j, 2)), 2);
	assert_true(json_is_null(json_array_get(j, 3)));
	json_decref(j);
	/* without a budget, a shared DAG converts in linear time and stays shared */
	j = chunk_to_json(L, "local t = { 1 } for i = 1, 40 do t = { a = t, b = t } end return t", &err);
	assert_non_null(j);
	assert_ptr_equal(json_object_get(j, "a"), json_object_get(j, "b"));
	json_decref(j);
	luahost_close(L);
}

/*
** The budget counts the value as written out: 64 a value, plus the bytes of
** strings and keys, a shared table at each place.  Past it: NULL, the
** message, the budget untouched.
*/
static void test_luahost_to_json_budget(void **state)
{
	static const struct { const char *code; size_t cost; } cases[] = {
		{ "return 1", 64 },
		{ "return 'xy'", 64 + 2 },
		{ "return { a = 'xy' }", 64 + 1 + 64 + 2 },
		{ "local s = { 'x' } return { s, s }", 64 + 2 * (64 + 64 + 1) },
		{ "local t = { 'x' } for i = 1, 3 do t = { t, t } end return t",
		  64 * 7 + 8 * (64 + 64 + 1) },
	};
	lua_State *L = new_host(0, 0, 0);
	const char *err;
	size_t left;
	json_t *j;

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		assert_int_equal(luaL_dostring(L, cases[i].code), LUA_OK);
		left = cases[i].cost;		/* exactly enough */
		err = NULL;
		j = luahost_to_json(L, -1, &left, &err);
		assert_non_null(j);
		assert_int_equal(left, 0);
		json_decref(j);
		left = cases[i].cost - 1;	/* one byte short */
		j = luahost_to_json(L, -1, &left, &err);
		assert_null(j);
		assert_ptr_equal(err, luahost_too_large);
		assert_int_equal(left, cases[i].cost - 1);
		lua_pop(L, 1);
	}
	/* 2^60 values from a few hundred bytes of Lua: refused, not expanded */
	assert_int_equal(luaL_dostring(L, "local t = { 1 } for i = 1, 60 do t = { a = t, b = t } end return t"),
			 LUA_OK);
	left = (size_t)1 << 30;
	j = luahost_to_json(L, -1, &left, &err);
	assert_null(j);
	assert_ptr_equal(err, luahost_too_large);
	luahost_close(L);
}

static const char yaml_doc[] =
	"base: &b {cpu: 1, mem: 2Gi}\n"
	"a: *b\n"
	"c: *b\n"
	"list: [1, 2.5, \"s\", true, null, ~, '8080', 8080]\n"
	"empty: []\n"
	"emptymap: {}\n"
	"nested: {x: {yy: {z: [1, 2, {w: v}]}}}\n";

static void test_luahost_push_ynode_shares_aliases(void **state)
{
	struct ystream ys;
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = new_host(0, 0, 0);
	json_t *want, *got;
	const char *err = NULL;

	(void)state;
	assert_int_equal(ystream_load_buffer(&ys, "doc.yaml", yaml_doc, strlen(yaml_doc), &dl), 0);
	assert_int_equal(ys.ndocs, 1);
	luahost_push_ynode(L, ys.docs[0].root);
	assert_int_equal(lua_gettop(L), 1);
	want = ynode_to_json(ys.docs[0].root);
	got = luahost_to_json(L, 1, NULL, &err);
	assert_non_null(got);
	assert_true(json_equal(want, got));
	luahost_setglobal(L, "doc");
	expect_true(L, "return rawequal(doc.a, doc.c) and rawequal(doc.a, doc.base)"
		       " and doc.a.mem == '2Gi' and k8s.quantity(doc.a.mem) == 2147483648");
	expect_true(L, "local l = doc.list return math.type(l[1]) == 'integer' and math.type(l[2]) == 'float'"
		       " and l[3] == 's' and l[4] == true and l[5] == sk.null and l[6] == sk.null"
		       " and l[7] == '8080' and l[8] == 8080 and #l == 8");
	expect_true(L, "return doc.nested.x.yy.z[3].w == 'v' and tostring(sk.null) == 'null'"
		       " and sk.null.anything == nil");
	json_decref(want);
	json_decref(got);
	assert_int_equal(luahost_try_push_ynode(L, ys.docs[0].root, "oom", &dl), 0);
	assert_true(lua_istable(L, -1));
	ystream_release(&ys);
	diag_list_release(&dl);
	luahost_close(L);
}

static char owner_key;

/* (ynode): luahost_push_doc of it, index 7, owned by registry[&owner_key]. */
static int push_owned(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &owner_key);
	luahost_push_doc(L, lua_touserdata(L, 1), true, 7, -1);
	return 1;
}

/*
** Convert `root` afresh; hold only its part doc[k1][k2] (k2 may be NULL):
** after a full collection the document is still there, with that part in
** it; once the part is let go too, the document goes.
*/
static void held_part_keeps_doc(lua_State *L, const struct ynode *root,
				const char *k1, const char *k2)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int part, top = lua_gettop(L);

	assert_int_equal(luahost_cpcall(L, push_owned, (void *)root, 1, "oom", &dl), 0);
	lua_getfield(L, -1, k1);
	if (k2)
		lua_getfield(L, -1, k2);
	part = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_settop(L, top + 1);
	lua_newtable(L);				/* weak: { doc } */
	lua_newtable(L);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_insert(L, -2);
	lua_rawseti(L, -2, 1);
	lua_gc(L, LUA_GCCOLLECT);
	assert_int_equal(lua_rawgeti(L, -1, 1), LUA_TTABLE);
	lua_getfield(L, -1, k1);
	if (k2)
		lua_getfield(L, -1, k2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, part);
	assert_true(lua_rawequal(L, -1, -2));
	lua_settop(L, top + 1);
	luaL_unref(L, LUA_REGISTRYINDEX, part);
	lua_gc(L, LUA_GCCOLLECT);
	assert_int_equal(lua_rawgeti(L, -1, 1), LUA_TNIL);
	lua_settop(L, top);
	diag_list_release(&dl);
}

/*
** A document's tables share one metatable, hidden from Lua code, that holds
** the top table, the index and the owner: holding any part holds the whole,
** and nothing else does.
*/
static void test_luahost_push_doc_anchors_its_tables(void **state)
{
	struct ystream ys;
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = new_host(0, 0, 0);
	json_t *want, *got;
	const char *err = NULL;

	(void)state;
	assert_int_equal(ystream_load_buffer(&ys, "doc.yaml", yaml_doc, strlen(yaml_doc), &dl), 0);
	lua_newtable(L);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &owner_key);	/* 1: the owner */
	lua_newtable(L);				/* 2: another */
	assert_int_equal(luahost_cpcall(L, push_owned, (void *)ys.docs[0].root, 1, "oom", &dl), 0);
	assert_int_equal(lua_gettop(L), 3);
	assert_int_equal(luahost_doc_index(L, 3, 1), 7);
	assert_int_equal(luahost_doc_index(L, 3, 2), -1);	/* not this owner's */
	assert_int_equal(luahost_metatable_kind(L, 3), LUAHOST_MT_DOC);
	lua_getfield(L, 3, "nested");
	assert_int_equal(luahost_doc_index(L, -1, 1), -1);	/* a part */
	assert_int_equal(luahost_metatable_kind(L, -1), LUAHOST_MT_DOC);
	lua_getfield(L, 3, "empty");
	assert_int_equal(luahost_metatable_kind(L, -1), LUAHOST_MT_ARRAY);
	lua_getfield(L, 3, "emptymap");
	assert_int_equal(luahost_metatable_kind(L, -1), LUAHOST_MT_DOC);
	lua_pop(L, 3);
	assert_int_equal(lua_gettop(L), 3);
	/* the same JSON as the document's: [] stays a list, {} a mapping */
	want = ynode_to_json(ys.docs[0].root);
	got = luahost_to_json(L, 3, NULL, &err);
	assert_non_null(got);
	assert_true(json_equal(want, got));
	json_decref(want);
	json_decref(got);
	luahost_push_ynode(L, ys.docs[0].root);		/* not a document's */
	assert_int_equal(luahost_doc_index(L, -1, 1), -1);
	assert_int_equal(luahost_metatable_kind(L, -1), LUAHOST_MT_NONE);
	lua_pop(L, 1);
	/* Lua code gets the table itself here, not a global's read-only proxy */
	expect_true_arg(L, 3, "local doc = ... return getmetatable(doc) == false and"
			" getmetatable(doc.nested.x) == false and getmetatable(doc.list) == false"
			" and getmetatable(doc.empty) == false"
			" and getmetatable(doc.emptymap) == false and rawequal(doc.a, doc.c)");
	expect_error_arg(L, 3, "local doc = ... setmetatable(doc.nested, {})",
			 "cannot change a protected metatable");
	expect_true_arg(L, 3, "local doc = ... return rawequal(sk.array(doc.list), doc.list) and"
			" rawequal(sk.array(doc.empty), doc.empty) and rawequal(sk.array(doc), doc)");
	lua_settop(L, 0);
	/* a part held alone keeps the top table; let go, neither holds the other */
	held_part_keeps_doc(L, ys.docs[0].root, "nested", "x");	/* a mapping */
	held_part_keeps_doc(L, ys.docs[0].root, "list", NULL);	/* a list */
	held_part_keeps_doc(L, ys.docs[0].root, "empty", NULL);	/* an empty list */
	ystream_release(&ys);
	diag_list_release(&dl);
	luahost_close(L);
}

static int push_again(lua_State *L)
{
	lua_pushnil(L);		/* no owner */
	luahost_push_doc(L, lua_touserdata(L, 1), false, 0, -1);
	return 1;
}

/*
** The cap is on what scripts make: a converted document bigger than the
** whole cap does not count against it, and scripts stay capped beside it.
*/
static void test_luahost_documents_are_not_capped(void **state)
{
	struct strbuf y = STRBUF_INIT;
	struct ystream ys;
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = new_host(1 << 20, 0, 0);

	(void)state;
	strbuf_init(&y);
	for (int i = 0; i < 40000; i++)
		strbuf_addf(&y, "key%d: value%d\n", i, i);
	assert_int_equal(ystream_load_buffer(&ys, "big.yaml", y.buf, y.len, &dl), 0);
	assert_int_equal(luahost_try_push_ynode(L, ys.docs[0].root, "oom", &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_true(luahost_mem_docs(L) > (1u << 20));
	assert_true(luahost_mem_used(L) >= luahost_mem_docs(L));
	luahost_setglobal(L, "doc");
	expect_true(L, "return doc.key39999 == 'value39999'");
	expect_error(L, "local t = {} while true do t[#t + 1] = {} end", "memory limit exceeded (1 MiB)");
	/* a caller that drops its documents says so: they count again */
	luahost_forget_docs(L);
	assert_int_equal(luahost_mem_docs(L), 0);
	expect_error(L, "return {}", "memory limit exceeded");
	/*
	** Converted again once the first table is gone: made past the cap like
	** the first, but not counted as documents a second time, so what holds
	** the new table is capped (each document counts once, however often a
	** rule has it converted).
	*/
	lua_pushnil(L);
	luahost_setglobal(L, "doc");
	lua_gc(L, LUA_GCCOLLECT);
	expect_true(L, "return true");
	assert_int_equal(luahost_cpcall(L, push_again, (void *)ys.docs[0].root, 1, "oom", &dl), 0);
	assert_int_equal(dl.n, 0);
	assert_int_equal(luahost_mem_docs(L), 0);
	assert_true(luahost_mem_used(L) > (1u << 20));
	expect_error(L, "return {}", "memory limit exceeded");
	lua_pop(L, 1);
	ystream_release(&ys);
	strbuf_release(&y);
	diag_list_release(&dl);
	luahost_close(L);
}

static void test_luahost_push_ynode_speed(void **state)
{
	char *yaml = NULL;
	size_t ylen = 0;
	struct ystream ys;
	struct diag_list dl = DIAG_LIST_INIT;
	lua_State *L = new_host(1u << 30, 0, 0);
	size_t ndocs = 4000, nodes = 0;
	double t0, dt;
	FILE *fp;

	(void)state;
	fp = open_memstream(&yaml, &ylen);
	for (size_t i = 0; i < ndocs; i++)
		fprintf(fp, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
			"  name: app-%zu\n  namespace: ns\n  labels: {app: app-%zu, tier: web}\n"
			"  annotations: {note: \"some text here\"}\n"
			"spec:\n  replicas: 3\n  selector: {matchLabels: {app: app-%zu}}\n"
			"  template:\n    metadata: {labels: {app: app-%zu}}\n    spec:\n"
			"      containers:\n      - name: main\n        image: registry/app:%zu\n"
			"        args: [--port, \"8080\", --verbose]\n"
			"        ports: [{containerPort: 8080, protocol: TCP}]\n"
			"        resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 1Gi}}\n"
			"        env: [{name: A, value: \"1\"}, {name: B, value: x}]\n",
			i, i, i, i, i);
	fclose(fp);
	assert_int_equal(ystream_load_buffer(&ys, "big.yaml", yaml, ylen, &dl), 0);
	assert_int_equal(ys.ndocs, ndocs);
	t0 = now_s();
	for (size_t i = 0; i < ys.ndocs; i++) {
		luahost_push_ynode(L, ys.docs[i].root);
		nodes += ys.docs[i].root->weight;
		lua_pop(L, 1);
	}
	dt = now_s() - t0;
	print_message("# push_ynode: %zu docs, %.1f MB of YAML, %zu nodes in %.3f s "
		      "(%.1f MB/s, %.1f M nodes/s)\n", ys.ndocs, (double)ylen / 1e6, nodes, dt,
		      (double)ylen / 1e6 / dt, (double)nodes / 1e6 / dt);
	/* a figure for the reader; speed is asserted by make bench, not here */
	ystream_release(&ys);
	free(yaml);
	diag_list_release(&dl);
	luahost_close(L);
}

/* }====== */

/* {====== helpers */

static void test_luahost_re_functions(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L, "local a, b = re.match('key=value', '(\\\\w+)=(\\\\w+)') return a == 'key' and b == 'value'");
	expect_true(L, "return re.match('abc123', '\\\\d+') == '123' and re.match('abc', '\\\\d') == nil");
	expect_true(L, "local s, e, c = re.find('xx-abc-yy', '-(a.c)-') return s == 3 and e == 7 and c == 'abc'");
	expect_true(L, "local s, e = re.find('hello', 'l+') return s == 3 and e == 4");
	expect_true(L, "return re.find('abc', 'b', 3) == nil and re.find('abcb', 'b', -1) == 4"
		       " and re.find('abc', '', 10) == nil");
	expect_true(L, "local a, b = re.match('x', '(y)?(x)') return a == nil and b == 'x'");
	expect_true(L, "local s, n = re.gsub('a-b-c', '(\\\\w)', '<$1>') return s == '<a>-<b>-<c>' and n == 3");
	expect_true(L, "return (re.gsub('ab', '(?<first>a)', '${first}${1}$0$$')) == 'aaa$b'");
	expect_true(L, "return (re.gsub('a b c', '\\\\w', { a = 'A', b = false })) == 'A b c'");
	expect_true(L, "return (re.gsub('1 2 3', '\\\\d', function(d) return d * 2 end)) == '2 4 6'");
	expect_true(L, "return (re.gsub('abc', 'x*', '-')) == '-a-b-c-' and (re.gsub('abc', 'b*', '-')) == '-a-c-'");
	expect_true(L, "return (re.gsub('h\\u{e9}llo', '', '.')) == '.h.\\u{e9}.l.l.o.'");
	expect_true(L, "local s, n = re.gsub('aaa', 'a', 'b', 2) return s == 'bba' and n == 2");
	expect_true(L, "return re.test('h\\u{e9}llo', '^h.llo$') and not re.test('h\\xffllo', '^h.llo$')");
	expect_true(L, "return re.test('\\xff\\xfeabc', 'abc') and re.test('A1', '^\\\\w\\\\d$')"
		       " and not re.test('\\u{e9}', '^\\\\w$')");
	/* gsub checks a valid subject's UTF-8 once; an invalid one takes the
	 * pattern compiled with MATCH_INVALID_UTF for every match */
	expect_true(L, "local s, n = re.gsub('\\xffa\\xfeb\\xffa', 'a', 'A')"
		       " return s == '\\xffA\\xfeb\\xffA' and n == 2");
	expect_true(L, "local s, n = re.gsub('h\\u{e9}l\\xffl\\u{e9}', '.', '<$0>')"
		       " return s == '<h><\\u{e9}><l>\\xff<l><\\u{e9}>' and n == 5");
	expect_true(L, "local s, n = re.gsub(string.rep('\\u{e9}a', 3), '\\\\p{L}a', '-')"
		       " return s == '---' and n == 3");
	expect_error(L, "return re.match('x', '(')", "bad argument #2 to 'match' (missing closing parenthesis at offset 1)");
	expect_error(L, "return re.gsub('x', 'x', '$x')", "invalid '$x' in the replacement");
	expect_error(L, "return re.gsub('x', 'x', '$2')", "invalid group 2");
	expect_error(L, "return re.gsub('x', 'x', {x = {}})", "invalid replacement value (a table)");
	/* the cache is bounded but keeps working */
	expect_true(L, "for i = 1, 1000 do assert(re.test('a' .. i, '^a' .. i .. '$')) end return true");
	luahost_close(L);
}

static void test_luahost_catastrophic_regex_fails_fast(void **state)
{
	lua_State *L = new_host(0, 0, 0);
	double t0 = cpu_s(), dt;

	(void)state;
	expect_error(L, "return re.test(string.rep('a', 40) .. 'b', '(a+)+$')", "regex match limit exceeded");
	expect_error(L, "return re.match(string.rep('a', 60) .. 'b', '^(a|aa)+$')", "regex match limit exceeded");
	expect_error(L, "return re.match(string.rep('ab', 100000), '^(?:a|b)*$')", "regex depth limit exceeded");
	expect_true(L, "return re.match(string.rep('ab', 10000), '^(?:a|b)*$') ~= nil");
	expect_error(L, "while true do pcall(re.test, string.rep('a', 40) .. 'b', '(a+)+$') end",
		     "exceeded");
	dt = cpu_s() - t0;
	print_message("# catastrophic regexes stopped in %.3f s of CPU\n", dt);
	if (!SLOW_BUILD)
		assert_true(dt < 12.0);
	luahost_close(L);
}

static void test_luahost_k8s_quantity_table(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local ok = {\n"
		"  ['100m'] = 0.1, ['1'] = 1, ['1.5'] = 1.5, ['1.5Gi'] = 1610612736, ['2G'] = 2e9,\n"
		"  ['1e3'] = 1000, ['1E3'] = 1000, ['1e-3'] = 0.001, ['512Mi'] = 536870912, ['1Ki'] = 1024,\n"
		"  ['1k'] = 1000, ['0.5'] = 0.5, ['.5'] = 0.5, ['5.'] = 5, ['-1'] = -1, ['+2'] = 2,\n"
		"  ['250n'] = 250e-9, ['3u'] = 3e-6, ['1E'] = 1e18, ['1Ti'] = 1099511627776,\n"
		"  ['1M'] = 1e6, ['1T'] = 1e12, ['1P'] = 1e15, ['0'] = 0, ['1500m'] = 1.5,\n"
		"}\n"
		"for s, want in pairs(ok) do\n"
		"  local got, err = k8s.quantity(s)\n"
		"  if got ~= want then error(s .. ' -> ' .. tostring(got) .. ' ' .. tostring(err)) end\n"
		"end\n"
		"for _, s in ipairs({ '', 'abc', '1K', '1e', '1.2.3', '.', 'Mi', '1 Mi', '1Mi ', '1mi', '--1', '1ee3', '1e3.5' }) do\n"
		"  local got, err = k8s.quantity(s)\n"
		"  if got ~= nil or not err:find('invalid quantity', 1, true) then error('accepted ' .. s) end\n"
		"end\n"
		"return math.type(k8s.quantity('512Mi')) == 'integer' and k8s.quantity(4) == 4"
		" and select(2, k8s.quantity({})):find('must be a string') ~= nil");
	luahost_close(L);
}

static void test_luahost_k8s_selector_table(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local m = k8s.selector_matches\n"
		"local labels = { app = 'spark', role = 'driver', tier = 'batch' }\n"
		"local cases = {\n"
		"  { { app = 'spark' }, true }, { { app = 'spark', role = 'executor' }, false },\n"
		"  { {}, true }, { { matchLabels = { role = 'driver' } }, true },\n"
		"  { { matchLabels = {} }, true }, { { matchLabels = sk.null }, true },\n"
		"  { { matchExpressions = { { key = 'role', operator = 'In', values = { 'x', 'driver' } } } }, true },\n"
		"  { { matchExpressions = { { key = 'role', operator = 'In', values = { 'x' } } } }, false },\n"
		"  { { matchExpressions = { { key = 'role', operator = 'NotIn', values = { 'driver' } } } }, false },\n"
		"  { { matchExpressions = { { key = 'zone', operator = 'NotIn', values = { 'a' } } } }, true },\n"
		"  { { matchExpressions = { { key = 'app', operator = 'Exists' } } }, true },\n"
		"  { { matchExpressions = { { key = 'zone', operator = 'Exists' } } }, false },\n"
		"  { { matchExpressions = { { key = 'zone', operator = 'DoesNotExist' } } }, true },\n"
		"  { { matchLabels = { app = 'spark' }, matchExpressions = { { key = 'tier', operator = 'In', values = { 'web' } } } }, false },\n"
		"}\n"
		"for i, c in ipairs(cases) do\n"
		"  if m(c[1], labels) ~= c[2] then error('case ' .. i) end\n"
		"end\n"
		"return m(nil, labels) == false and m(sk.null, labels) == false and m({}, nil) == true\n"
		"  and m({ app = 'x' }, sk.null) == false and m({ port = 80 }, { port = '80' }) == true");
	expect_error(L, "return k8s.selector_matches({ matchExpressions = { { key = 'a', operator = 'Near' } } }, {})",
		     "unknown selector operator 'Near'");
	luahost_close(L);
}

static void test_luahost_k8s_dns1123(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local l, s = k8s.dns1123_label, k8s.dns1123_subdomain\n"
		"for _, ok in ipairs({ 'a', 'spark-pi', '0abc', 'a1', string.rep('a', 63) }) do assert(l(ok), ok) end\n"
		"for _, bad in ipairs({ '', '-a', 'a-', 'A', 'a_b', 'a.b', string.rep('a', 64) }) do\n"
		"  local ok, msg = l(bad) assert(ok == false and type(msg) == 'string', bad)\n"
		"end\n"
		"for _, ok in ipairs({ 'a', 'a.b', 'spark.apache.org', 'x-1.y-2' }) do assert(s(ok), ok) end\n"
		"for _, bad in ipairs({ '', '.a', 'a.', 'a..b', 'A.b', '-a.b', string.rep('a', 254) }) do\n"
		"  assert(s(bad) == false, bad)\n"
		"end\n"
		"return select(2, l(string.rep('a', 64))) == 'must be no more than 63 characters'"
		" and l(5) == false");
	luahost_close(L);
}

static void test_luahost_sk_sorted_pairs(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local t = { b = 1, a = 2, [10] = 3, [2] = 4, [1.5] = 5, ['B'] = 6, [true] = 7, ab = 8 }\n"
		"local keys = {}\n"
		"for k, v in sk.sorted_pairs(t) do keys[#keys + 1] = tostring(k) .. '=' .. v end\n"
		"return table.concat(keys, ',') == '1.5=5,2=4,10=3,B=6,a=2,ab=8,b=1,true=7'");
	expect_error(L, "for k in sk.sorted_pairs({ [{}] = 1 }) do end", "cannot order keys of type 'table'");
	expect_true(L, "for k in sk.sorted_pairs({}) do return false end return true");
	luahost_close(L);
}

/* sk.get (kube.get): steps through tables, nil past a non-table or at null. */
static void test_luahost_sk_get(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local t = { a = { b = { 'x', { c = sk.null, d = false } } }, n = sk.null }\n"
		"assert(sk.get(t, 'a', 'b', 1) == 'x')\n"
		"assert(sk.get(t, 'a', 'b', 2, 'd') == false)\n"
		"assert(sk.get(t, 'a', 'b', 2, 'c') == nil)\n"		/* null is nil */
		"assert(sk.get(t, 'a', 'b', 1, 'z') == nil)\n"		/* 'x' is not a table */
		"assert(sk.get(t, 'a', 'missing', 'z') == nil)\n"
		"assert(sk.get(t, 'n', 'z') == nil and sk.get(t, 'n') == nil)\n"
		"assert(sk.get(t) == t and sk.get(sk.null) == nil and sk.get(5) == 5)\n"
		"assert(sk.get(5, 'a') == nil and sk.get(nil, 'a') == nil)\n"
		"assert(sk.get({ [1] = { [2] = { [3] = { [4] = { [5] = 'deep' } } } } }, 1, 2, 3, 4, 5) == 'deep')\n"
		"assert(select('#', sk.get(5, 'a')) == 1 and select('#', sk.get(t, 'n')) == 1)\n"
		"local p = setmetatable({}, { __index = function(_, k) return { k = k } end })\n"
		"assert(sk.get(p, 'via', 'k') == 'via')\n"			/* __index, as t[k] */
		"return true");
	luahost_close(L);
}

/*
** sk.parse_properties is rules/lib/spark.lua's former parse_properties in
** C.  The Lua version is kept here as the reference: both must give the
** same table for fixed cases and for 30,000 strings made of the
** characters the format cares about.
*/
static void test_luahost_sk_parse_properties(void **state)
{
	lua_State *L = new_host(0, 0, 0);

	(void)state;
	expect_true(L,
		"local function ref(text)\n"
		"\tlocal out = {}\n"
		"\tlocal lines, n = {}, 0\n"
		"\tfor l in (text .. \"\\n\"):gmatch(\"([^\\n]*)\\n\") do\n"
		"\t\tn = n + 1\n"
		"\t\tlines[n] = l:byte(-1) == 13 and l:sub(1, -2) or l\t-- CRLF\n"
		"\tend\n"
		"\tlocal i = 1\n"
		"\twhile i <= n do\n"
		"\t\tlocal l = lines[i]:match(\"^%s*(.*)$\")\n"
		"\t\tlocal lineno = i\n"
		"\t\t-- a line ending in one backslash (not two) continues on the next\n"
		"\t\twhile l:byte(-1) == 92 and l:sub(-2) ~= \"\\\\\\\\\" and i < n do\n"
		"\t\t\ti = i + 1\n"
		"\t\t\tl = l:sub(1, -2) .. lines[i]:match(\"^%s*(.*)$\")\n"
		"\t\tend\n"
		"\t\tlocal b = l:byte(1)\n"
		"\t\tif b and b ~= 35 and b ~= 33 then\t-- not empty, not a # or ! comment\n"
		"\t\t\tlocal k, v = l:match(\"^([^=:%s]+)%s*[=:]%s*(.-)%s*$\")\n"
		"\t\t\tif not k then\n"
		"\t\t\t\tk, v = l:match(\"^(%S+)%s+(.-)%s*$\")\n"
		"\t\t\tend\n"
		"\t\t\tif not k then\n"
		"\t\t\t\tk, v = l, \"\"\n"
		"\t\t\tend\n"
		"\t\t\tout[k] = { value = v, line = lineno }\n"
		"\t\tend\n"
		"\t\ti = i + 1\n"
		"\tend\n"
		"\treturn out\n"
		"end\n"
		"local function same(a, b)\n"
		"  for k, e in pairs(a) do\n"
		"    local f = b[k]\n"
		"    if not f or f.value ~= e.value or f.line ~= e.line then return false end\n"
		"  end\n"
		"  for k in pairs(b) do if a[k] == nil then return false end end\n"
		"  return true\n"
		"end\n"
		"local p = sk.parse_properties\n"
		"local t = p('a=1\\r\\n  b : two words \\n# c=3\\n!d=4\\ne f\\tg\\nlong=x\\\\\\n   y\\\\\\\\\\nz\\na=last')\n"
		"assert(t.a.value == 'last' and t.a.line == 9)\n"
		"assert(t.b.value == 'two words' and t.b.line == 2)\n"
		"assert(t.c == nil and t['#'] == nil and t.d == nil)\n"
		"assert(t.e.value == 'f\\tg' and t.long.value == 'xy\\\\\\\\' and t.long.line == 6)\n"
		"assert(t.z.value == '' and t.z.line == 8)\n"
		"assert(next(p('')) == nil and p('=v')['=v'].value == '' and p(12)['12'])\n"
		"local chars = { 'a', 'b', '=', ':', ' ', '\\t', '\\r', '\\n', '\\\\', '#', '!', '\\v', '\\0' }\n"
		"local x = 12345\n"
		"for i = 1, 30000 do\n"
		"  local w = {}\n"
		"  for j = 1, i % 23 do\n"
		"    x = (x * 1103515245 + 12345) % 2147483648\n"
		"    w[j] = chars[x // 65536 % #chars + 1]\n"
		"  end\n"
		"  local s = table.concat(w)\n"
		"  if not same(p(s), ref(s)) then error('differs on ' .. string.format('%q', s)) end\n"
		"end\n"
		"return true");
	luahost_close(L);
}

/* }====== */

/* {====== the escape catalogue */

/* Directory of the catalogue, next to this file's directory. */
static char *sandbox_dir(void)
{
	const char *env = getenv("SK_SANDBOX_DIR");
	char *dir, *unit;

	if (env)
		return strdup(env);
	unit = util_dirname(__FILE__);
	dir = util_path_join(unit, "../sandbox");
	free(unit);
	return dir;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
** Each tests/sandbox/NAME.lua is an escape attempt.  Its first line says what
** must happen: "-- expect-error: <text>" (the run fails with <text> in the
** message) or "-- expect: blocked" (the chunk returns the string "blocked").
** After each one a canary checks the shared environment is intact.
*/
static void run_escape(lua_State *L, const char *dir, const char *name)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *path = util_path_join(dir, name), *buf, chunk[300], want[200] = "";
	size_t len;
	int rc;

	buf = util_read_file(path, 0, &len, &dl);
	assert_non_null(buf);
	snprintf(chunk, sizeof(chunk), "@%s", path);
	rc = luahost_load(L, chunk, buf, len, "rule-error", &dl);
	if (rc == 0)
		rc = luahost_pcall(L, 0, 1, "rule-error", &dl);
	if (sscanf(buf, "-- expect-error: %199[^\n]", want) == 1) {
		if (rc == 0 || !strstr(dl.v[0].msg, want)) {
			print_message("%s: wanted error '%s'\n", name, want);
			print_diags(&dl);
		}
		assert_int_equal(rc, -1);
		assert_non_null(strstr(dl.v[0].msg, want));
	} else {
		assert_non_null(strstr(buf, "-- expect: blocked"));
		if (rc < 0 || !lua_isstring(L, -1) || strcmp(lua_tostring(L, -1), "blocked"))
			print_message("%s: wanted 'blocked'\n", name);
		print_diags(&dl);
		assert_int_equal(rc, 0);
		assert_string_equal(lua_tostring(L, -1), "blocked");
	}
	lua_settop(L, 0);
	expect_true(L, "return ('x'):upper() == 'X' and string.upper('y') == 'Y' and type(print) == 'function'"
		       " and re.test('abc', '^a') and type(sk.null) == 'userdata' and _G.string == string"
		       " and tostring(sk.null) == 'null' and math.floor(1.5) == 1 and #table.concat({'a'}) == 1"
		       " and getmetatable('') == false and type(pairs) == 'function'");
	free(buf);
	free(path);
	diag_list_release(&dl);
}

static void test_luahost_escape_catalogue(void **state)
{
	/*
	** The wall-clock limit only backs up the instruction and memory
	** budgets; on a loaded machine (or under ASan) it would fire first
	** and make the reasons checked here depend on the load.
	*/
	lua_State *L = new_host(128u << 20, 0, 60000);
	char *dir = sandbox_dir(), **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(dir);
	if (!d)
		print_message("cannot open %s\n", dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!util_has_suffix(de->d_name, ".lua"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	print_message("# escape catalogue: %zu files in %s\n", n, dir);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		run_escape(L, dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
	luahost_close(L);
}

/* }====== */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luahost_removed_globals_are_undefined),
		cmocka_unit_test(test_luahost_bytecode_is_refused),
		cmocka_unit_test(test_luahost_dump_loads_in_another_state),
		cmocka_unit_test(test_luahost_string_metatable_tampering_is_contained),
		cmocka_unit_test(test_luahost_globals_stay_in_their_chunk),
		cmocka_unit_test(test_luahost_setglobal_is_shared_and_read_only),
		cmocka_unit_test(test_luahost_error_positions_name_the_rule_file),
		cmocka_unit_test(test_luahost_error_values_are_described),
		cmocka_unit_test(test_luahost_setmetatable_refuses_gc),
		cmocka_unit_test(test_luahost_random_is_deterministic),
		cmocka_unit_test(test_luahost_infinite_loop_hits_budget_fast),
		cmocka_unit_test(test_luahost_pcall_cannot_swallow_budget),
		cmocka_unit_test(test_luahost_spent_tells_budget_from_error),
		cmocka_unit_test(test_luahost_regex_memory_collects_garbage_first),
		cmocka_unit_test(test_luahost_time_limit_stops_c_heavy_loops),
		cmocka_unit_test(test_luahost_watchdog_ends_a_stuck_c_call),
		cmocka_unit_test(test_luahost_memory_bombs_fail_cleanly),
		cmocka_unit_test(test_luahost_deep_recursion_is_an_error),
		cmocka_unit_test(test_luahost_fail_after_n_allocations_is_clean),
		cmocka_unit_test(test_luahost_tiny_memory_caps_fail_at_creation),
		cmocka_unit_test(test_luahost_json_round_trip),
		cmocka_unit_test(test_luahost_to_json_refuses_what_json_cannot_hold),
		cmocka_unit_test(test_luahost_to_json_budget),
		cmocka_unit_test(test_luahost_push_json_shares_and_marks),
		cmocka_unit_test(test_luahost_push_json_without_nulls),
		cmocka_unit_test(test_luahost_verbose_hint_has_traceback),
		cmocka_unit_test(test_luahost_push_ynode_shares_aliases),
		cmocka_unit_test(test_luahost_push_doc_anchors_its_tables),
		cmocka_unit_test(test_luahost_documents_are_not_capped),
		cmocka_unit_test(test_luahost_push_ynode_speed),
		cmocka_unit_test(test_luahost_re_functions),
		cmocka_unit_test(test_luahost_catastrophic_regex_fails_fast),
		cmocka_unit_test(test_luahost_k8s_quantity_table),
		cmocka_unit_test(test_luahost_k8s_selector_table),
		cmocka_unit_test(test_luahost_k8s_dns1123),
		cmocka_unit_test(test_luahost_sk_sorted_pairs),
		cmocka_unit_test(test_luahost_sk_get),
		cmocka_unit_test(test_luahost_sk_parse_properties),
		cmocka_unit_test(test_luahost_escape_catalogue),
	};
	int rc;

	alarm(600);	/* a sandbox escape shows up as a hang: fail instead */
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	util_intern_release();
	return rc;
}
