/*
** suggest.h: "did you mean" for misspelt keys and values: an edit distance
** (optimal string alignment, case-insensitive) and the closest candidate.
*/
#ifndef SK_SUGGEST_H
#define SK_SUGGEST_H

#include <stddef.h>

/*
** Edit distance between `a` and `b` (insertions, deletions, substitutions
** and swaps of neighbours each cost 1; case is ignored).  Stops early and
** returns `cap + 1` once the distance must exceed `cap`.
*/
size_t suggest_distance(const char *a, const char *b, size_t cap);

/*
** The candidate closest to `word` (borrowed from `cands`), or NULL when
** none is close enough to be a likely typo: at most 1 edit for words of up
** to 4 characters, else at most a third of the word's length (max 3).  Ties
** go to the earlier candidate.
*/
const char *suggest_closest(const char *word, const char *const *cands,
			    size_t n);

#endif
