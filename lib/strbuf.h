/*
** strbuf.h: a growable, always NUL-terminated byte buffer.
*/
#ifndef SK_STRBUF_H
#define SK_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;		/* owned; never NULL after init ("" when empty) */
	size_t len, alloc;
	bool oom;		/* an append failed; contents are truncated */
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);		/* len = 0, keeps memory */
/* Appends return 0, or -1 (and set sb->oom) when memory runs out. */
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/*
** Append s for a terminal or a CI log: C0 and C1 control characters and DEL
** (tab aside) become \xHH, \n or \r, and the line separators and bidi
** controls (U+2028, U+2029, U+202A..U+202E, U+2066..U+2069) \uHHHH, so
** untrusted text (YAML values, file names, rule messages) can neither move
** the cursor, start a line of its own that a CI runner would read as a
** command, nor read other than it is.  With nl, a newline
** is written as nl instead (a continuation prefix of the caller's).
*/
int strbuf_add_printable(struct strbuf *sb, const char *s, const char *nl);
/* The same for s[0, len), where a NUL is a control character (\x00). */
int strbuf_add_printable_n(struct strbuf *sb, const char *s, size_t len, const char *nl);
/* Give the buffer to the caller (caller frees) and reinitialise sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
