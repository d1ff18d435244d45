/*
** tmpl.h: the template engine.  Templates are YAML files (the *.yaml of the
** templates directory, loaded with positions); a string that is exactly ${expr} becomes the Lua
** expression's value with its type (nil removes the key or item), ${...}
** inside a longer string interpolates text, and four directive keys shape
** mappings: $if (keep the mapping only when truthy), $each + $as (repeat a
** sequence item per element), $merge (insert a table's keys).  Expressions
** run in the luahost sandbox with the model's top-level keys as globals and
** templates/lib.lua's table as `lib`.  Syntax in docs/sparkgen.md.
*/
#ifndef SK_TMPL_H
#define SK_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <lua.h>

#include "diag.h"
#include "ydoc.h"

struct tmpl_file {
	const char *name;	/* borrowed: interned path used in messages */
	struct ystream ys;	/* owned: the parsed template */
};

struct tmpl_set {
	struct tmpl_file *v;	/* owned: *.yaml files in name order */
	size_t n;
	char *lib;		/* owned: text of lib.lua, or NULL */
	size_t liblen;
	const char *libname;	/* borrowed: interned path of lib.lua */
	bool verbose;		/* print() in expressions writes to stderr */
	bool shared;		/* v and lib belong to another (tmpl_set_share) */
	lua_State *L;		/* owned: the state apps are rendered in, or NULL */
};

/* One rendered document, in template order. */
struct tmpl_doc {
	json_t *doc;		/* owned */
	const char *file;	/* borrowed: interned template path */
	unsigned line, col;	/* where the document starts */
};

struct tmpl_docs {
	struct tmpl_doc *v;
	size_t n, alloc;
};

/*
** Load every *.yaml template of `dir` (sorted by name) and lib.lua if
** present.  Returns 0, or -1 with diagnostics (unreadable directory, YAML
** errors, no templates); tmpl_set_release() is needed either way.
*/
int tmpl_set_load(struct tmpl_set *ts, const char *dir, struct diag_list *dl);
void tmpl_set_release(struct tmpl_set *ts);

/*
** A loaded set for another thread: the same parsed templates and lib.lua
** (rendering only reads them), a Lua state of its own.  Released before
** `src`.
*/
void tmpl_set_share(struct tmpl_set *ts, const struct tmpl_set *src);

/*
** Render every template with the model's top-level keys (borrowed) as
** globals, in a sandboxed Lua state whose globals are as fresh (ts->L:
** kept between apps, its globals put back as luahost_new made them and
** lib.lua, compiled once, run again; a new state after any error).  Appends the documents that
** are kept to `out`.  Returns 0, or -1 with one "template" error per
** problem, each at the template's file:line:col.
*/
int tmpl_render(struct tmpl_set *ts, json_t *model,
		struct tmpl_docs *out, struct diag_list *dl);

/*
** Render one parsed template document (for tests and tmpl_render) with the
** state's current globals.  *out is NULL when a top-level $if dropped it.
*/
int tmpl_render_node(lua_State *L, const char *file, const struct ynode *n,
		     json_t **out, struct diag_list *dl);

void tmpl_docs_release(struct tmpl_docs *d);

#endif
