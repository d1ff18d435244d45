/*
** ysource.h: where the YAML loader's bytes come from: a caller's buffer or
** a file descriptor read through a window, handed to libyaml by a read
** handler that also enforces YDOC_MAX_TOKEN and checks UTF-8 ahead of
** libyaml.  Used by the ydoc loader, and by lint/suppress.c to read the
** text again as the loader read it.
*/
#ifndef SK_YSOURCE_H
#define SK_YSOURCE_H

#include <stdbool.h>
#include <stddef.h>

#define YSOURCE_WINDOW (64u << 10)
#define YSOURCE_WATCH_MAX 32		/* longest string a source can watch for */

struct ysource {
	int fd;				/* -1: `buf` is the whole input */
	const unsigned char *buf;	/* current window (borrowed) */
	size_t len, pos;		/* window length, bytes handed out */
	unsigned char *win;		/* fd input: window memory, YSOURCE_WINDOW bytes (caller's) */
	size_t base;			/* input offset of buf[0] */
	unsigned line, col;		/* position of buf[0], 1-based */
	bool cr;			/* the byte before buf[0] is a CR (its LF is no new line) */
	bool bol;			/* the last byte handed out ended a line */
	size_t dropped;			/* bytes not handed out: byte order marks inside the text */
	size_t fed;			/* bytes handed over since the caller last zeroed it */
	bool too_long;			/* stopped: fed would pass YDOC_MAX_TOKEN */
	bool eof;			/* the end of input was handed out */
	bool raw;			/* UTF-16 input: bytes go over unchecked */
	bool unpaired;			/* JSON surrogate pairs already rewritten (ydoc.c) */
	int err;			/* errno of a failed read */
	const char *watch;		/* fd input: look for this string as windows are read, */
	size_t nwatch;			/* ... of this length, */
	bool watched;			/* ... and whether it was seen */
	unsigned char tail[YSOURCE_WATCH_MAX];	/* the previous window's end */
	size_t ntail;
	size_t size;			/* fd input: the file's size when known, else SIZE_MAX */
};

/* A buffer source (borrowed `buf`), positioned at line 1, column 1. */
void ysource_init_buffer(struct ysource *s, const char *buf, size_t len);
/*
** A file descriptor source reading into `win` (YSOURCE_WINDOW bytes).
** `size` is a regular file's size from fstat (SIZE_MAX if not known, and
** for a size of 0, which /proc files report whatever they hold): once
** that many bytes are read, that is the end, without the read() that would
** return 0 (a system call per file; a file that grows meanwhile is read as
** it was at the fstat).
*/
void ysource_init_fd(struct ysource *s, int fd, unsigned char *win, size_t size);

/* Look for `watch` (1 to YSOURCE_WATCH_MAX bytes) in an fd source's text. */
void ysource_watch(struct ysource *s, const char *watch);

/*
** libyaml's read handler (yaml_read_handler_t) over a struct ysource:
** returns 1 (with *n = 0 at the end) or 0 when reading failed (s->err) or
** the current token grew past YDOC_MAX_TOKEN (s->too_long).
*/
int ysource_read(void *data, unsigned char *out, size_t size, size_t *n);

/*
** Line and column (1-based, code points of UTF-8) of byte `offset` of the
** input (libyaml's offset + s->dropped), as far
** as the window still holds it; an offset before the window gets the
** window's start.
*/
void ysource_position(const struct ysource *s, size_t offset, unsigned *line,
		      unsigned *col);

/* Line and column just past the last byte, once s->eof is set. */
void ysource_end(const struct ysource *s, unsigned *line, unsigned *col);

#endif
