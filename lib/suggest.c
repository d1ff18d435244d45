/*
** suggest.c: edit distance and closest-candidate lookup, used by the
** description validator for "did you mean 'namespace'?" hints.
*/
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_LEN 128	/* longer words are never typos of our keys */

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t suggest_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best;
		cur[0] = best = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t d = min3(prev[j] + 1, cur[j - 1] + 1,
					prev[j - 1] + (ca != cb));
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > cap)
			return cap + 1;
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *suggest_closest(const char *word, const char *const *cands,
			    size_t n)
{
	size_t len = strlen(word);
	size_t cap = len <= 4 ? 1 : len / 3;
	const char *best = NULL;

	if (cap > 3)
		cap = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = suggest_distance(word, cands[i], cap);
		if (d <= cap) {
			best = cands[i];
			if (d == 0)
				break;
			cap = d - 1;	/* later candidates must do strictly better */
		}
	}
	return best;
}
