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
** Work inside C functions is charged too: allocations of 1 KiB or more
** (1 instruction per 16 bytes), regex matches, table.move/insert/remove
** shifts.  A wall-clock limit per call backs the budget up; it is checked
** by the hook, every MiB of large allocations and after each regex or
** Lua-pattern call, so it stops loops of slow C calls but not one single
** slow call.  Known gap: Lua's own patterns (string.find/match/gmatch/gsub)
** can backtrack for a very long time inside one call on a long subject;
** rules should prefer re.*.  setmetatable refuses __gc (finalizers would
** run outside any budget); xpcall handlers are skipped once the budget is
** spent.
**
** Helpers installed as globals (library tables are read-only proxies):
**   re.match(s, pat [, init]) -> captures... | nil   (PCRE2, cached, limited)
**   re.find(s, pat [, init]) -> start, end, captures... | nil
**   re.gsub(s, pat, repl [, n]) -> string, count
**          repl: string with $0-$9, ${N}, ${name}, $$; a table indexed by the
**          first capture (or the match); a function given the captures;
**          false/nil from a table or function keeps the match
**   re.test(s, pat) -> boolean
**          Patterns are PCRE2 in UTF mode (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
**          no UCP: \d \w \s \b are ASCII as in Go's regexp); invalid UTF-8 in
**          a subject never matches.  A pattern that backtracks too much fails
**          with "regex match limit exceeded".
**   k8s.quantity("1.5Gi") -> number (bytes / cores), nil + msg when invalid
**   k8s.selector_matches(selector, labels) -> boolean
**          selector: {matchLabels=, matchExpressions=} or a plain map (Service);
**          {} matches everything, nil or sk.null matches nothing
**   k8s.dns1123_label(s) / k8s.dns1123_subdomain(s) -> ok, msg
**   sk.null       the sentinel that YAML/JSON null becomes (tostring "null";
**                 indexing it gives nil)
**   sk.array(t)   marks t (or a new table) as a JSON array, so {} -> [];
**                 a document's table comes back as it is
**   sk.sorted_pairs(t) -> iterator over keys in sorted order
**          (numbers, then strings bytewise, then false, true)
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

#define LUAHOST_DEFAULT_MEM ((size_t)256 << 20)

struct luahost_limits {
	size_t mem_bytes;		/* cap on live memory scripts make (converted
					   documents aside); 0 = default (256 MiB) */
	unsigned long instructions;	/* per protected call; 0 = default (30 million: 0.1-1 s) */
	unsigned long time_ms;		/* wall clock per protected call; 0 = default (5000) */
};

/*
** A new sandboxed state (caller closes it with luahost_close).  NULL when
** memory runs out.  `verbose` enables print().
*/
lua_State *luahost_new(const struct luahost_limits *lim, bool verbose);
/* New limits for the next calls (a state set up under other ones). */
void luahost_set_limits(lua_State *L, const struct luahost_limits *lim);
/*
** Make a new state's output the same every run (sparkgen's templates):
** `pairs` gives the keys in order (numbers, then strings, then false and
** true; other keys are an error), `next` is gone, `tostring` and
** string.format's %s give "table" (function, ...) without the address
** (a __tostring still counts), and %p is an error.  Call before any chunk
** runs.  Returns 0, or -1 when memory runs out.
*/
int luahost_deterministic(lua_State *L);
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
** Compiled chunks, so that several states (one per worker) compile a file
** once.  luahost_dump turns the function on top, just made by
** luahost_load, into bytecode (with debug information: errors keep their
** file:line) in *out (malloc'd); -1 when memory runs out.
** luahost_load_compiled loads such bytecode the way luahost_load loads
** text.  Lua does not verify bytecode, and a crafted chunk can break out
** of any sandbox: pass it only what luahost_dump produced in this process
** or what is compiled into the program (lib/embed.h), never bytes that
** came from a file or a user.
*/
int luahost_dump(lua_State *L, char **out, size_t *outlen);
int luahost_load_compiled(lua_State *L, const char *chunkname, const char *bc,
			  size_t len, const char *code, struct diag_list *dl);
/* The same for bytecode in `count` pieces p[i] of n[i] bytes (embed_pieces). */
int luahost_load_pieces(lua_State *L, const char *chunkname, const char *const p[],
			const size_t n[], int count, const char *code,
			struct diag_list *dl);

/*
** Call the function below `nargs` arguments under the budgets, with a
** traceback handler.  [-(nargs+1), +nresults, -]  Returns 0, or -1 with a
** diagnostic whose message names the Lua file:line when known, and pushes
** nothing.  Error values that are not strings (tables, nil, userdata) are
** described, never crash.  Exhaustion is reported as such ("memory limit
** exceeded", "instruction budget exceeded", "time limit exceeded"); the
** budgets are per outermost call (a nested luahost_pcall shares them).  An
** allocation refused even after a full collection fails the outermost call
** that made it, also when the function caught the memory error (pcall).
** With `verbose`, the diagnostic's hint holds the Lua traceback.
*/
int luahost_pcall(lua_State *L, int nargs, int nresults, const char *code,
		  struct diag_list *dl);

/*
** Where the next outermost luahost_pcall runs: the watchdog names `pos`
** and what runs ("rule 'x'": `what` "rule", `name` "x"; `name` may be NULL)
** should the call never return.  All must outlive the call (pos.file
** interned); the call forgets them.
*/
void luahost_set_where(lua_State *L, struct diag_pos pos, const char *what,
		       const char *name);

/*
** Did the last failed outermost luahost_pcall run out of a budget
** (instructions, time or memory)?  A caller running many small chunks
** from one author stops there, so hostile code costs one budget, not one
** per chunk.
*/
bool luahost_spent(lua_State *L);
/*
** Did it fail for memory (an allocation refused after a full collection),
** so that the state stays full while what the code keeps is reachable?
*/
bool luahost_spent_memory(lua_State *L);

/*
** Until luahost_share_end, every outermost call also draws on one budget
** of `instructions` and `time_ms` (from now) in all, besides its own: many
** small chunks from one author (a template app's expressions, `what`,
** named in the message; it must outlive the sharing) cost one budget.
*/
void luahost_share_begin(lua_State *L, unsigned long instructions, unsigned long time_ms,
			 const char *what);
void luahost_share_end(lua_State *L);

/*
** Push a document node as Lua values: maps -> tables with string keys,
** sequences -> 1-based arrays (an empty one carries the sk.array marker),
** null -> sk.null.  Alias targets (YNF_SHARED) become one shared table.
** Raises on memory exhaustion or nesting past 1024.  [-0, +1, e]
*/
void luahost_push_ynode(lua_State *L, const struct ynode *n);
/*
** The same for a cache of documents, counted as documents only when
** `first` (a document converted again after the collector took its first
** table is not, so that however often a rule gets documents converted anew,
** what the state holds stays within the cap plus one conversion of each).
** Every table of the document gets one metatable, hidden from Lua code
** (getmetatable gives false, setmetatable raises; an empty sequence's marks
** it as an array, as the sk.array marker does), that holds the document's
** top table, `index` and the value at stack index `owner`: whatever holds
** any table of the document holds the whole.  [-0, +1, e]
*/
void luahost_push_doc(lua_State *L, const struct ynode *n, bool first,
		      lua_Integer index, int owner);
/* The index luahost_push_doc gave the document whose top table is at idx,
** if its owner is the value at `owner`; else -1.  [-0, +0, e] */
lua_Integer luahost_doc_index(lua_State *L, int idx, int owner);
/* What the metatable of the table at idx is.  [-0, +0, e] */
enum luahost_mt {
	LUAHOST_MT_NONE,	/* none */
	LUAHOST_MT_DOC,		/* a document's (luahost_push_doc) */
	LUAHOST_MT_ARRAY,	/* a document's empty sequence's, or sk.array's */
	LUAHOST_MT_OTHER
};
enum luahost_mt luahost_metatable_kind(lua_State *L, int idx);
/* Push a jansson value the same way (NULL -> sk.null; values with more than
** one reference are memoised).  [-0, +1, e] */
void luahost_push_json(lua_State *L, json_t *j);
/*
** The same two, protected: 0 with the value pushed, or -1 with a diagnostic
** (e.g. "memory limit exceeded") and nothing pushed.  Use these from C code
** that is not already running inside a protected call.
*/
int luahost_try_push_ynode(lua_State *L, const struct ynode *n,
			   const char *code, struct diag_list *dl);
int luahost_try_push_json(lua_State *L, json_t *j, const char *code,
			  struct diag_list *dl);
/*
** luahost_try_push_json of j as if copied without its null object members
** (at any depth; null array items stay sk.null), and with no value shared
** (each container its own table), as such a copy would be; j is unchanged.
*/
int luahost_try_push_json_without_nulls(lua_State *L, json_t *j, const char *code,
					struct diag_list *dl);
/*
** Convert the Lua value at `idx` to jansson (new reference).  Tables with
** keys 1..n only become arrays (an empty table becomes {} unless its
** metatable marks it an array: sk.array's, a document's empty sequence's);
** other tables need string keys and become
** objects with keys in bytewise order; sk.null and nil -> null; integers
** stay integers; a table reached twice is converted once and shared.
** Functions, userdata, cycles, nan/inf, invalid UTF-8 or depth past 512
** give NULL and a message in *err (static string).  Never raises.
**
** With a `budget` (NULL: none), the value written out may cost at most
** *budget: 64 bytes a value, plus the bytes of each string and key, a
** shared table counted at every place it appears (a DAG of 40 levels is
** small in Lua and 2^40 values in a manifest).  On success the cost is
** taken from *budget; past it, NULL with *err == luahost_too_large.
*/
extern const char luahost_too_large[];
#define LUAHOST_VALUE_COST 64	/* a value's bytes in the budget, besides its text */
json_t *luahost_to_json(lua_State *L, int idx, size_t *budget, const char **err);

/*
** Pop the value on top of the stack and make it a global of the base
** environment (host use only; scripts cannot write there).  A table is
** installed behind a deep read-only proxy: reads (t.x, #t, pairs, ipairs,
** sk.sorted_pairs, luahost_to_json) work, writes raise errors, and nested
** tables come back as proxies too; raw access (next, rawget) sees nothing.
** [-1, +0, m]
*/
void luahost_setglobal(lua_State *L, const char *name);

/*
** The line where the chunk whose _ENV is at `env` first set a global of its
** own that it still has (a rule must not), or 0.  [-0, +0, -]
*/
int luahost_env_line(lua_State *L, int env);

/*
** Run the C function `f` protected, with `ud` as its only argument (a light
** userdata), without budgets.  [-0, +nresults, -]  Returns 0, or -1 with a
** diagnostic and nothing pushed.  For host code that builds Lua values.
*/
int luahost_cpcall(lua_State *L, lua_CFunction f, void *ud, int nresults,
		   const char *code, struct diag_list *dl);

/* Live bytes allocated by the state (Lua objects and compiled regexes). */
size_t luahost_mem_used(lua_State *L);
/*
** Of those, the bytes luahost_push_ynode spent on documents: they do not
** count against the cap (luahost_limits.mem_bytes caps what scripts make).
** A caller that drops every converted document and collects says so with
** luahost_forget_docs.
*/
size_t luahost_mem_docs(lua_State *L);
void luahost_forget_docs(lua_State *L);

/* Testing: after `n` more successful allocations every allocation that
** grows memory fails, until called again with n < 0 (off). */
void luahost_test_fail_after(lua_State *L, long n);

#endif
