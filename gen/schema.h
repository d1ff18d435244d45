/*
** schema.h: the app description's JSON Schema (schema/sparkgen.schema.json,
** draft-07) is the single source of truth for sparkgen's input format.  This
** module interprets the subset the file uses against a positioned YAML tree,
** so every problem is reported at once with file:line:col, and reads the
** defaults out of it.
**
** Keywords: $ref (local), type, enum, const, properties, additionalProperties,
** required, propertyNames, pattern (PCRE2, JavaScript-like: $ only at the
** end), minLength, maxLength, minimum, maximum, exclusiveMinimum,
** exclusiveMaximum, items, minItems, maxItems, uniqueItems, allOf, anyOf, not,
** if/then/else, plus the annotation errorMessage (one message replacing the
** subschema's own) and description (hint for errors raised in then/else),
** and sparkgen's mergePatch: true, which makes the node a JSON merge patch
** (RFC 7386) of what the subschema describes: a null value in a mapping, at
** any depth but inside no list, deletes that key and is not checked.
*/
#ifndef SK_SCHEMA_H
#define SK_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "ydoc.h"

struct merge;
struct schema_re;

struct schema {
	json_t *root;			/* owned: the parsed schema file */
	const char *file;		/* borrowed: interned path */
	struct schema_re *re;		/* owned: compiled patterns */
	size_t nre, are;
	void *md;			/* owned: pcre2_match_data */
	bool shared;			/* root and re belong to another (schema_share) */
};

/*
** Load and check a schema file: JSON, only the supported keywords, local
** $refs that resolve, patterns that compile.  Returns 0, or -1 with
** diagnostics; schema_release() is needed either way.
*/
int schema_load(struct schema *s, const char *path, struct diag_list *dl);
/* As schema_load, from a string (for tests); `name` is used in messages. */
int schema_load_string(struct schema *s, const char *name, const char *text,
		       struct diag_list *dl);
void schema_release(struct schema *s);

/*
** A loaded schema for another thread: the same (read-only) root and
** compiled patterns, its own match data.  Released before `src`.  Returns
** 0, or -1 (out of memory) with a diagnostic.
*/
int schema_share(struct schema *s, const struct schema *src, struct diag_list *dl);

/*
** Validate `doc` (borrowed) against the whole schema, recording one "schema"
** error per problem with `file` (borrowed, interned) and the node's position.
** Returns the number of errors (0 = valid).
*/
size_t schema_validate(struct schema *s, const struct ynode *doc,
		       const char *file, struct diag_list *dl);

/*
** As schema_validate, for a document merge_ynodes() made with `m`
** (borrowed): a required key that an overlay's null deleted is reported
** missing at that null.
*/
size_t schema_validate_merged(struct schema *s, const struct ynode *doc,
			      const struct merge *m, const char *file,
			      struct diag_list *dl);

/*
** Convert a valid `doc` to JSON, guided by the schema: a number or boolean
** where the schema also takes a string (spark confs, parameters, args) keeps
** the text as written.  New reference, NULL when memory runs out.
*/
json_t *schema_to_json(struct schema *s, const struct ynode *doc);

/*
** Fill the schema's defaults into `doc` (borrowed, changed in place): a
** missing key gets a copy of its "default"; a missing section that has
** properties becomes a mapping of its defaults.  Integral numbers where the
** schema wants an integer become integers.  Returns 0, -1 when out of memory.
*/
int schema_fill_defaults(struct schema *s, json_t *doc);

/* Every default, as a tree (for sparkgen --defaults).  New reference. */
json_t *schema_defaults(struct schema *s);

#endif
