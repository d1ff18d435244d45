/*
** inspect.h: `--inspect`, the loaded model as JSON lines: one line per
** non-empty document, for debugging rules and for comparing our YAML
** reading with other readers (tests/oracle).
*/
#ifndef SK_INSPECT_H
#define SK_INSPECT_H

#include <stdbool.h>

#include "diag.h"
#include "strbuf.h"
#include "ydoc.h"

/*
** Append one compact JSON line per document of `ys` (borrowed) to `out`:
** {"file":..., "index":N, "line":L, "object":{...}} and, with `positions`,
** "positions":{JSON Pointer: [line, col], ...}.  Keys keep source order and
** text stays UTF-8.  Returns 0, or -1 with an "oom" diagnostic.
*/
int inspect_stream(struct strbuf *out, const struct ystream *ys, bool positions,
		   struct diag_list *dl);

#endif
