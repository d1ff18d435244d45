/*
** submit.h: sparkgen --submit: the spark-submit command line that matches
** the generated objects, as a shell command (one option per line).
*/
#ifndef SK_SUBMIT_H
#define SK_SUBMIT_H

#include <jansson.h>

#include "strbuf.h"

/*
** Append the command for `model` (borrowed) to `out`: a comment line, then
** the command with one "--conf k=v" per line, " \" continuations, every
** word quoted for POSIX shells when it needs it.
*/
void submit_format(json_t *model, struct strbuf *out);

/* Append `word` quoted for a POSIX shell when it needs quoting. */
void submit_quote(struct strbuf *out, const char *word);

#endif
