/*
** ctx.h: the ctx object handed to rules (see docs/sparklint.md, "ctx").
*/
#ifndef SK_CTX_H
#define SK_CTX_H

#include <stddef.h>

#include <lua.h>

#include "worker.h"

/*
** Push a new ctx table for rule `rule` of worker `w` (both borrowed; they
** must outlive the table's use): ctx.options and the methods.  [-0, +1, m]
*/
void ctx_push(lua_State *L, struct worker *w, size_t rule);

#endif
