/*
** yemit.h: json_t -> YAML, deterministic.  libyaml's emitter with explicit
** settings: block style, 2-space indent, no line wrapping, keys in insertion
** order, "---" before every document after the first, LF, trailing newline.
** A string is quoted exactly when a YAML reader (ours, go-yaml v2, PyYAML's
** YAML 1.1) could read it as something other than that string; multi-line
** strings are literal blocks.  Parsing the output gives back the model.
*/
#ifndef SK_YEMIT_H
#define SK_YEMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "strbuf.h"

/*
** Append the YAML of `n` documents to `out` (borrowed; the documents too).
** Returns 0, or -1 with one "emit" diagnostic naming the JSON Pointer of the
** value when it cannot be written (NaN or infinity, a string with invalid
** UTF-8 or a NUL, nesting deeper than YDOC_MAX_DEPTH, out of memory); `out`
** is then left as it was.  n == 0 appends nothing.
*/
int yemit_docs(struct strbuf *out, json_t *const *docs, size_t n,
	       struct diag_list *dl);
/* One document, no leading "---". */
int yemit_doc(struct strbuf *out, json_t *doc, struct diag_list *dl);

/*
** True when `s` must not be written as a plain scalar: some reader would
** type it as a non-string (ydoc_resolve_plain, go-yaml v2, PyYAML's YAML 1.1
** resolvers: bools, nulls, ints, floats, timestamps, "<<", "="), or plain
** style cannot hold it (empty, edge blanks, indicators, breaks, characters
** libyaml escapes, invalid UTF-8).  The emitter then writes double quotes.
*/
bool yemit_needs_quotes(const char *s, size_t len);

#endif
