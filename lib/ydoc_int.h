/*
** ydoc_int.h: internals shared by the ydoc files (ydoc.c, the loader;
** ydoc_resolve.c, scalar typing; ydoc_view.c, lookups and conversions).
** Not for other modules.
*/
#ifndef SK_YDOC_INT_H
#define SK_YDOC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ydoc.h"

/* Longest string kept inside its node (in `u`), NUL excluded. */
#define YDOC_INLINE_MAX (sizeof(((struct ynode *)0)->u.i) - 1)

/* The loader's string hash (FNV-1a). */
static inline size_t ydoc_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

/*
** A static copy of s[0..len) if it is one of the texts Kubernetes
** manifests repeat everywhere ("apiVersion", "app.kubernetes.io/name",
** "IfNotPresent", ...), else NULL.  `hash` is ydoc_hash(s, len).
*/
const char *ydoc_common_text(const char *s, size_t len, size_t hash);

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
