/*
** lx.h: internals shared by the Lua host (luahost.c, luahost_conv.c) and the
** pieces it installs (lx_base.c, lx_proxy.c, lx_re.c, lx_k8s.c).  Not for
** other modules: they use luahost.h.
*/
#ifndef SK_LX_H
#define SK_LX_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

/* sk.null: one light userdata; every light userdata shares its metatable. */
extern char lx_null_sentinel;
#define LX_NULL ((void *)&lx_null_sentinel)

/*
** Registry key (its address, as a light userdata) of the sk.array marker
** metatable.  A metatable that marks its table as an array (the marker, a
** document's for its empty sequences) has it as a key, with true.
*/
extern char lx_array_key;
/* Key, in a document's metatable (luahost_push_doc), of its top table. */
extern char lx_doc_key;

/* Libraries: each pushes its (real, writable) table.  [-0, +1, m] */
int lx_open_re(lua_State *L);
int lx_open_k8s(lua_State *L);
int lx_open_sk(lua_State *L);	/* also installs the sk.null metatable */

/*
** Replace unsafe or noisy functions in the freshly opened libraries (print,
** setmetatable, rawset, xpcall, string.rep/find/match/gsub,
** table.move/insert/remove).  Runs before
** the library tables are wrapped in proxies.  [-0, +0, m]
*/
void lx_patch_libs(lua_State *L);

/*
** For template states (luahost_deterministic): pairs in key order (a
** __pairs metamethod still wins), no next, and tostring / string.format's
** %s without addresses, %p an error.  Not under a budget.  Returns 0, or -1
** when memory runs out.
*/
int lx_deterministic(lua_State *L);

/*
** Push an empty read-only proxy whose reads go to the table at `real`;
** writes raise "cannot modify read-only table 'name'".  A deep proxy hands
** out nested tables as proxies too.  lx_proxy_init() (once per state)
** creates the weak cache that deep proxies use.  [-0, +1, m]
*/
void lx_push_proxy(lua_State *L, int real, const char *name, bool deep);
/*
** sk.sorted_pairs(t): pushes an iterator over t (a table or a proxy) in key
** order (numbers, then strings, then false and true); the proxies' __pairs
** uses it.  Returns 1.
*/
int lx_sorted_pairs(lua_State *L);
void lx_proxy_init(lua_State *L);
/* True when the value at idx is a read-only proxy table.  [-0, +0, -] */
bool lx_is_readonly(lua_State *L, int idx);
/*
** If the value at idx is a read-only proxy, push the table it reads from
** and return true (for C code that reads tables raw; never hand that table
** to Lua code).  Else push nothing and return false.  [-0, +(0|1), -]
*/
bool lx_push_real(lua_State *L, int idx);
/* Give the table at idx the sk.array marker.  [-0, +0, m] */
void lx_mark_array(lua_State *L, int idx);

/*
** Charge `cost` instructions to the running call's budget (for C functions
** whose work is not counted by the hook).  Raises "instruction budget
** exceeded" when that spends it.  No-op outside luahost_pcall.  [-0, +0, v]
*/
void lx_charge(lua_State *L, lua_Integer cost);
/* Raise "time limit exceeded" if the running call is past its deadline
** (for C functions whose single calls may be slow).  [-0, +0, v] */
void lx_check_clock(lua_State *L);
/* True once the running call's instruction or time budget is spent. */
bool lx_exhausted(lua_State *L);
bool lx_verbose(lua_State *L);
/*
** May print() write n more bytes?  1 yes; 0 no (not verbose, or past the
** cap); -1 this is the call that passes LX_PRINT_MAX bytes in this state
** (print says so once, then writes nothing): an endless print loop in a
** template must not fill a disk or a CI log within its time limit.
*/
#define LX_PRINT_MAX ((size_t)1 << 20)
int lx_print_room(lua_State *L, size_t n);

/* Memory from the state's capped budget for foreign libraries (PCRE2's
** general context); `ud` is lx_host(L).  lx_malloc returns NULL past the cap. */
void *lx_host(lua_State *L);
/* Bracket a document conversion: what it allocates is not capped, and is
** counted as documents (luahost_mem_docs) when `count`.  A raise in between
** is undone by the enclosing luahost_pcall or luahost_cpcall. */
size_t lx_convert_begin(lua_State *L);
void lx_convert_end(lua_State *L, size_t mark, bool count);
void *lx_malloc(size_t n, void *ud);
void lx_free(void *p, void *ud);

#endif
