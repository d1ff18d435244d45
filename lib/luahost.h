/*
** luahost.h: the one sandboxed Lua state factory used by rules (sparklint)
** and template expressions (sparkgen), plus conversions between our models
** and Lua values.
**
** Sandbox: only base, table, string, math, utf8; no io, os, package, debug,
** coroutine; no load/loadstring/dofile/loadfile/require/collectgarbage/
** string.dump; text chunks only; math.random seeded with a constant.
** Memory is capped by the allocator; CPU by an instruction-count hook that,
** once the budget is spent, keeps raising at every instruction so a pcall in
** the script cannot swallow it.  Globals: a read-only base environment whose
** unknown names raise errors; each loaded chunk gets its own _ENV.
**
** Helpers installed as globals:
**   re.match(s, pat [, init]) -> captures... | nil   (PCRE2, cached, limited)
**   re.find(s, pat [, init]) -> start, end, captures... | nil
**   re.gsub(s, pat, repl) -> string, count           (repl: string with $1, table, function)
**   re.test(s, pat) -> boolean
**   k8s.quantity("1.5Gi") -> number (bytes / cores), nil + msg when invalid
**   k8s.selector_matches(selector, labels) -> boolean
**          selector: {matchLabels=, matchExpressions=} or a plain map (Service)
**   k8s.dns1123_label(s) / k8s.dns1123_subdomain(s) -> ok, msg
**   sk.null       the sentinel that YAML/JSON null becomes
**   sk.sorted_pairs(t) -> iterator over keys in sorted order
**   print(...)    writes to stderr only when verbose, else nothing
*/
#ifndef SK_LUAHOST_H
#define SK_LUAHOST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <lua.h>

#include "diag.h"
#include "ydoc.h"

struct luahost_limits {
	size_t mem_bytes;		/* cap on live Lua memory; 0 = default (256 MiB) */
	unsigned long instructions;	/* per protected call; 0 = default (200 million) */
};

/*
** A new sandboxed state (caller closes it with luahost_close).  NULL when
** memory runs out.  `verbose` enables print().
*/
lua_State *luahost_new(const struct luahost_limits *lim, bool verbose);
void luahost_close(lua_State *L);

/*
** Load a text chunk named `chunkname` ("@rules/x.lua" style) and leave the
** function on the stack.  Its _ENV (upvalue 1) is a fresh table whose
** __index is the base environment, so globals it writes stay its own.
** [-0, +1, -]  Returns 0, or -1 with a diagnostic (`code`, file:line taken
** from Lua's message) and nothing pushed.
*/
int luahost_load(lua_State *L, const char *chunkname, const char *buf,
		 size_t len, const char *code, struct diag_list *dl);

/*
** Call the function below `nargs` arguments under the budgets, with a
** traceback handler.  [-(nargs+1), +nresults, -]  Returns 0, or -1 with a
** diagnostic whose message names the Lua file:line when known, and pushes
** nothing.  Error values that are not strings (tables, nil, userdata) are
** described, never crash.  Memory and instruction exhaustion are reported
** as such ("memory limit exceeded", "instruction budget exceeded").
*/
int luahost_pcall(lua_State *L, int nargs, int nresults, const char *code,
		  struct diag_list *dl);

/*
** Push a document node as Lua values: maps -> tables with string keys,
** sequences -> 1-based arrays, null -> sk.null.  Shared (aliased) subtrees
** become one shared table.  [-0, +1, m]
*/
void luahost_push_ynode(lua_State *L, const struct ynode *n);
/* Push a jansson value the same way.  [-0, +1, m] */
void luahost_push_json(lua_State *L, json_t *j);
/*
** Convert the Lua value at `idx` to jansson (new reference).  Tables with
** keys 1..n only become arrays (an empty table becomes {} unless it has the
** sk.array marker metatable); sk.null -> null; integers stay integers.
** Functions, userdata, cycles or excessive depth give NULL and a message in
** *err (static string).
*/
json_t *luahost_to_json(lua_State *L, int idx, const char **err);

/*
** Pop the value on top of the stack and make it a global of the base
** environment (host use only; scripts cannot write there).  [-1, +0, m]
*/
void luahost_setglobal(lua_State *L, const char *name);

#endif
