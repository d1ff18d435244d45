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
** The JSON Pointers of one document's positions may take this many bytes
** a node, plus this many nodes' worth more: the loader's charge for an
** alias's text (YDOC_ALIAS_TEXT_UNIT) and its alias budget (64 MB).
*/
#define INSPECT_POINTER_UNIT YDOC_ALIAS_TEXT_UNIT
#define INSPECT_POINTER_SLACK YDOC_MAX_ALIAS_EXPANSION

/*
** Append one compact JSON line per document of `ys` (borrowed) to `out`:
** {"file":..., "index":N, "line":L, "object":{...}} and, with `positions`,
** "positions":{JSON Pointer: [line, col], ...}.  Keys keep source order and
** text stays UTF-8.  Returns 0, or -1 with an "oom" diagnostic, or a
** "yaml" one at a document whose positions pass the limit above (nothing
** of it appended; the documents before it are).
*/
int inspect_stream(struct strbuf *out, const struct ystream *ys, bool positions,
		   struct diag_list *dl);

#endif
