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
** Append the YAML of `n` documents to `out` (borrowed, not consumed).
** Returns 0, or -1 with a diagnostic ("emit") when a value cannot be written
** (NaN, an emitter error, out of memory).
*/
int yemit_docs(struct strbuf *out, json_t *const *docs, size_t n,
	       struct diag_list *dl);
/* One document, no leading "---". */
int yemit_doc(struct strbuf *out, json_t *doc, struct diag_list *dl);

/* True when a plain scalar `s` would not read back as the same string. */
bool yemit_needs_quotes(const char *s, size_t len);

#endif
