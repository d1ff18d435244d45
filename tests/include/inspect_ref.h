/*
** inspect_ref.h: the reference for lib/inspect.c, for tests only.  The
** lines --inspect writes straight from the nodes must be byte for byte what
** jansson makes of ynode_to_json and ynode_positions with JSON_COMPACT
** (the way inspect.c used to build them).  Appends to `out`; 0 or -1.
*/
#ifndef SK_INSPECT_REF_H
#define SK_INSPECT_REF_H

#include <jansson.h>

#include "strbuf.h"
#include "ydoc.h"

static int inspect_ref_write(const char *buf, size_t size, void *data)
{
	return strbuf_add(data, buf, size);
}

static int inspect_ref(struct strbuf *out, const struct ystream *ys, bool positions)
{
	for (size_t i = 0; i < ys->ndocs; i++) {
		const struct ydoc *d = &ys->docs[i];
		json_t *o = json_object();
		int rc;

		if (!o || json_object_set_new(o, "file", json_string(ys->file)) < 0 ||
		    json_object_set_new(o, "index", json_integer(d->index)) < 0 ||
		    json_object_set_new(o, "line", json_integer(d->root->line)) < 0 ||
		    json_object_set_new(o, "object", ynode_to_json(d->root)) < 0 ||
		    (positions && json_object_set_new(o, "positions",
						      ynode_positions(d->root)) < 0)) {
			json_decref(o);
			return -1;
		}
		rc = json_dump_callback(o, inspect_ref_write, out, JSON_COMPACT);
		json_decref(o);
		if (rc < 0 || strbuf_addch(out, '\n') < 0)
			return -1;
	}
	return 0;
}

#endif
