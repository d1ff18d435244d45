/*
** diag.h: one diagnostic type for every layer, from YAML syntax errors to
** rule findings.  Library code records diagnostics and returns -1; only the
** programs' main() prints them or turns them into exit codes.
*/
#ifndef SK_DIAG_H
#define SK_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_INFO, DIAG_WARNING, DIAG_ERROR };

struct diag_pos {
	const char *file;	/* borrowed: an interned path that outlives the run */
	unsigned line, col;	/* 1-based; col counts code points; 0 = unknown */
};

struct diag {
	struct diag_pos pos;
	enum diag_level level;
	const char *code;	/* borrowed: "yaml", "io", "template", "rule-error", a rule id */
	char *msg;		/* owned */
	char *hint;		/* owned, may be NULL */
};

struct diag_list {
	struct diag *v;
	size_t n, alloc;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

void diag_list_init(struct diag_list *dl);
/* Frees every message; the list can be reused afterwards. */
void diag_list_release(struct diag_list *dl);

/*
** Append from's diagnostics to dl (they move) and leave `from` empty.
** Returns 0, or -1 when out of memory (nothing moved).
*/
int diag_list_move(struct diag_list *dl, struct diag_list *from);

/*
** Append a diagnostic.  Always returns -1, so library code can write
** `return diag_addf(dl, DIAG_ERROR, "yaml", pos, "...")`.  `code` is borrowed.
** On allocation failure the message is replaced by a fixed "out of memory".
*/
int diag_addf(struct diag_list *dl, enum diag_level lvl, const char *code,
	      struct diag_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int diag_vaddf(struct diag_list *dl, enum diag_level lvl, const char *code,
	       struct diag_pos pos, const char *fmt, va_list ap);
/* Set the hint of the last diagnostic (replacing any). Returns -1. */
int diag_hintf(struct diag_list *dl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Count diagnostics at or above `lvl`. */
size_t diag_count(const struct diag_list *dl, enum diag_level lvl);
/* Stable sort by file, line, col, code. */
void diag_sort(struct diag_list *dl);
/*
** Drop each diagnostic equal to the one before it (position, level, code,
** message, hint): after diag_sort, what several steps found about one thing
** (a symlink in the way of nine files) is said once.
*/
void diag_uniq(struct diag_list *dl);
const char *diag_level_name(enum diag_level lvl);	/* "error", ... */
/* Parse "error"/"warning"/"info"; returns -1 when unknown. */
int diag_level_parse(const char *s);

struct strbuf;
/*
** Append `file[:line[:col]]` (the file escaped as strbuf_add_printable
** does); nothing without a file.
*/
void diag_pos_add(struct strbuf *sb, struct diag_pos pos);

/*
** Print as `file:line:col: level: msg [code]` and an indented `hint: ...`
** line.  A missing line/col is left out.  With `color`, ANSI colours.
*/
void diag_print(FILE *fp, const struct diag *d, bool color);

#endif
