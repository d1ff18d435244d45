/*
** tree_diff.h: a small unified line diff (Myers' O(ND) algorithm) for
** `sparkgen -o DIR --check --diff`, so the check needs no external tool.
*/
#ifndef SK_TREE_DIFF_H
#define SK_TREE_DIFF_H

#include <stddef.h>

#include "strbuf.h"

/*
** Append the unified diff (3 lines of context, GNU diff -u conventions incl.
** "\ No newline at end of file") turning `a` into `b`, under the headers
** "--- alabel" and "+++ blabel".  Appends nothing when they are equal.
** Everything is borrowed.  Returns 0, or -1 when memory runs out.
*/
int tree_diff_unified(struct strbuf *out, const char *alabel, const char *a,
		      size_t alen, const char *blabel, const char *b, size_t blen);

/*
** Append git's extended header for a file whose mode changes, naming it as
** git diff --no-prefix does ("diff --git NAME NAME", "old mode 100755",
** "new mode 100644"; `oldmode`, `newmode` the permission bits), but for a
** name with a blank, C-quoted, which patch -p0 needs and git apply -p0 reads.
** Returns 0, or -1 when memory runs out.
*/
int tree_diff_mode(struct strbuf *out, const char *label, unsigned oldmode,
		   unsigned newmode);

#endif
