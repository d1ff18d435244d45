/*
** inspect.c: the loaded documents as JSON lines (see inspect.h); the
** view behind `sparklint --inspect` and the YAML oracle tests.
*/
#include "inspect.h"

#include <jansson.h>

static int inspect_write(const char *buf, size_t size, void *data)
{
	return strbuf_add(data, buf, size);
}

static json_t *inspect_doc(const struct ystream *ys, const struct ydoc *d,
			   bool positions)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "file", json_string(ys->file)) < 0 ||
	    json_object_set_new(o, "index", json_integer(d->index)) < 0 ||
	    json_object_set_new(o, "line", json_integer(d->root->line)) < 0 ||
	    json_object_set_new(o, "object", ynode_to_json(d->root)) < 0 ||
	    (positions && json_object_set_new(o, "positions",
					      ynode_positions(d->root)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int inspect_stream(struct strbuf *out, const struct ystream *ys, bool positions,
		   struct diag_list *dl)
{
	struct diag_pos pos = { ys->file, 0, 0 };

	for (size_t i = 0; i < ys->ndocs; i++) {
		json_t *o = inspect_doc(ys, &ys->docs[i], positions);
		int rc;

		if (!o)
			return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
		rc = json_dump_callback(o, inspect_write, out, JSON_COMPACT);
		json_decref(o);
		if (rc < 0 || strbuf_addch(out, '\n') < 0)
			return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	}
	return 0;
}
