/*
** ydoc_int.h: internals shared by the ydoc files (ydoc.c, the loader;
** ydoc_resolve.c, scalar typing; ydoc_view.c, lookups and conversions).
** Not for other modules.
*/
#ifndef SK_YDOC_INT_H
#define SK_YDOC_INT_H

#include <stddef.h>

#include "ydoc.h"

/* Longest text ydoc_key_format() writes, NUL included. */
#define YDOC_KEY_BUF 40

/*
** Text of a non-string scalar used as a mapping key, as sigs.k8s.io/yaml
** writes it (8080 -> "8080", true -> "true", null -> "null", 1.5 -> "1.5"
** via Go's FormatFloat(f, 'g', -1, 32)).  Returns the length.
*/
size_t ydoc_key_format(const struct ynode *n, char buf[YDOC_KEY_BUF]);

/* Go's strconv.FormatFloat(f, 'g', -1, 32), with .inf/-.inf/.nan. */
size_t ydoc_format_float32(double f, char buf[YDOC_KEY_BUF]);

#endif
