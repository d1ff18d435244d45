/*
** schema_int.h: what the parts of the schema module (schema.c loading,
** schema_validate.c, schema_fill.c) share.  Not for other modules.
*/
#ifndef SK_SCHEMA_INT_H
#define SK_SCHEMA_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdbool.h>

#include <jansson.h>
#include <pcre2.h>

#include "schema.h"

struct schema_re {
	json_t *pat;		/* borrowed: the pattern string in the schema */
	pcre2_code *code;	/* owned */
};

/* The subschema a local $ref ("#", "#/definitions/x", "#/$defs/x") names, or NULL. */
json_t *schema_resolve_ref(const struct schema *s, const char *ref);

/* True for a finite double with no fraction that JSON can hold exactly. */
bool schema_is_integral(double f);

#endif
