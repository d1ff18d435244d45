/*
** ysource.c: the loader's input (see ysource.h): a window over a buffer or
** a file descriptor, handed to libyaml in checked pieces.
*/
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ydoc.h"
#include "ysource.h"
#include "util.h"

void ysource_init_buffer(struct ysource *s, const char *buf, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->buf = (const unsigned char *)buf;
	s->len = len;
	s->line = s->col = 1;
}

void ysource_init_fd(struct ysource *s, int fd, unsigned char *win, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->buf = s->win = win;
	s->line = s->col = 1;
	s->size = size;
}

/*
** How many bytes of p[0..n) are whole characters libyaml accepts (UTF-8,
** YAML's printable set).  The read handler hands libyaml only those, then
** the bad bytes alone: libyaml decodes everything it is given before the
** scanner gets there, so a bad byte handed over early would end the stream
** with the documents in front of it still unparsed.
*/
static size_t ysource_valid_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c, width, v;
		uint64_t w;

		if (i + 8 <= n) {	/* eight printable ASCII bytes at once */
			memcpy(&w, p + i, 8);
			if (!((((w - 0x2020202020202020u) & ~w) |
			       (w + 0x0101010101010101u) | w) & 0x8080808080808080u)) {
				i += 8;
				continue;
			}
		}
		c = p[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c != '\n' && c != '\t' && c != '\r')
				break;
			i++;
			continue;
		}
		width = c >= 0xF0 ? (c < 0xF8 ? 4 : 0) : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		if (!width || i + width > n)
			break;
		v = c & (0xFF >> (width + 1));
		for (unsigned k = 1; k < width; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			v = v << 6 | (p[i + k] & 0x3F);
		}
		if ((width == 2 && v < 0x80) || (width == 3 && v < 0x800) ||
		    (width == 4 && v < 0x10000) ||
		    !(v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) ||
		      (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)))
			break;
		i += width;
	}
	return i;
}

/* A line break libyaml counts at p (LF, CR, CRLF, NEL, LS, PS): its length, or 0. */
static size_t ysource_break(const unsigned char *p, const unsigned char *e)
{
	switch (*p) {
	case '\n':
		return 1;
	case '\r':
		return e - p > 1 && p[1] == '\n' ? 2 : 1;
	case 0xC2:
		return e - p > 1 && p[1] == 0x85 ? 2 : 0;
	case 0xE2:
		return e - p > 2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9) ? 3 : 0;
	default:
		return 0;
	}
}

/*
** Advance the start position over buf[0, to), counting lines as libyaml
** does: a CR alone, CRLF, NEL, LS and PS end a line too (a file saved with
** CR line ends must not have every error on line 1).
*/
static void ysource_advance(const struct ysource *s, size_t to, unsigned *line,
			    unsigned *col)
{
	const unsigned char *p = s->buf, *e = s->buf + to, *nl, *last = NULL;
	size_t n;

	if (s->base == 0 && to >= 3 && !memcmp(s->buf, "\xEF\xBB\xBF", 3))
		p = s->buf + 3;		/* libyaml does not count the BOM */
	if (s->cr && p < e && *p == '\n')
		last = p++;		/* the LF of a CRLF the window cut: counted */
	n = (size_t)(e - p);
	if (memchr(p, '\r', n) || memchr(p, 0xC2, n) || memchr(p, 0xE2, n)) {
		for (size_t w; p < e; p += w ? w : 1)
			if ((w = ysource_break(p, e))) {
				(*line)++;
				last = p + w - 1;
			}
	} else {
		while (p < e && (nl = memchr(p, '\n', (size_t)(e - p)))) {
			(*line)++;
			last = nl;
			p = nl + 1;
		}
	}
	if (last) {
		*col = 1 + (unsigned)util_utf8_chars((const char *)last + 1, (size_t)(e - last - 1));
		if (e - last > 3 && !memcmp(last + 1, "\xEF\xBB\xBF", 3))
			(*col)--;	/* dropped (ysource_read) */
	} else
		*col += (unsigned)util_utf8_chars((const char *)p, (size_t)(e - p));
}

void ysource_watch(struct ysource *s, const char *watch)
{
	s->watch = watch;
	s->nwatch = strlen(watch);
}

/* Is s->watch in the window just read, or across its start? */
static void ysource_look(struct ysource *s)
{
	unsigned char join[2 * YSOURCE_WATCH_MAX];
	size_t k, head;

	if (!s->nwatch || s->nwatch > YSOURCE_WATCH_MAX || s->watched)
		return;
	k = s->nwatch - 1;		/* bytes of a match that can lie before buf */
	head = s->len < k ? s->len : k;
	memcpy(join, s->tail, s->ntail);
	memcpy(join + s->ntail, s->buf, head);
	if (memmem(join, s->ntail + head, s->watch, s->nwatch) ||
	    memmem(s->buf, s->len, s->watch, s->nwatch)) {
		s->watched = true;
		return;
	}
	if (s->len >= k) {		/* keep the last k bytes read */
		memcpy(s->tail, s->buf + s->len - k, k);
		s->ntail = k;
	} else {
		size_t keep = s->ntail + s->len > k ? k - s->len : s->ntail;

		memmove(s->tail, s->tail + s->ntail - keep, keep);
		memcpy(s->tail + keep, s->buf, s->len);
		s->ntail = keep + s->len;
	}
}

static int ysource_refill(struct ysource *s)
{
	ssize_t got;

	ysource_advance(s, s->len, &s->line, &s->col);
	s->cr = s->len && s->buf[s->len - 1] == '\r';
	s->base += s->len;
	s->pos = s->len = 0;
	s->buf = s->win;
	if (s->base == s->size)		/* all fstat saw: no read() to be told the end */
		return 0;
	do
		got = read(s->fd, s->win, YSOURCE_WINDOW);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		s->err = errno;
		return -1;
	}
	s->len = (size_t)got;
	if (s->watch)
		ysource_look(s);
	return 0;
}

/*
** Where a byte order mark starts a line in buf[pos, pos + k) (not the
** stream's first: libyaml skips that one), or k.  Files concatenated into
** one stream (`cat *.yaml`) bring theirs along; kubectl reads each
** document alone and skips it there, while libyaml would count it as a
** column and misread the indentation of the line.
*/
static size_t ysource_bom(const struct ysource *s, size_t k)
{
	const unsigned char *p = s->buf + s->pos, *b;

	for (size_t j = 0; j + 3 <= k; j = (size_t)(b - p) + 1) {
		if (!(b = memmem(p + j, k - j, "\xEF\xBB\xBF", 3)))
			break;
		if (b > p ? b[-1] == '\n' || b[-1] == '\r' : s->bol)
			return (size_t)(b - p);
	}
	return k;
}

int ysource_read(void *data, unsigned char *out, size_t size, size_t *n)
{
	struct ysource *s = data;
	size_t k, bom;

	*n = 0;
again:
	if (s->pos == s->len && s->fd >= 0 && ysource_refill(s) < 0)
		return 0;
	k = s->len - s->pos;
	if (k == 0) {			/* the end (buf may be NULL when empty) */
		s->eof = true;
		return 1;
	}
	if (k > size)
		k = size;
	if (s->base + s->pos == 0 && k >= 2 &&
	    ((s->buf[0] == 0xFF && s->buf[1] == 0xFE) || (s->buf[0] == 0xFE && s->buf[1] == 0xFF))) {
		s->raw = true;
		s->watched |= s->watch != NULL;	/* the bytes are not UTF-8: assume it is there */
	}
	if (!s->raw) {
		size_t v = ysource_valid_prefix(s->buf + s->pos, k);

		k = v ? v : k < 4 ? k : 4;	/* a bad or split character goes alone */
		if ((bom = ysource_bom(s, k)) == 0) {
			s->pos += 3;
			s->dropped += 3;
			s->bol = false;
			goto again;
		}
		k = bom;		/* the text before it goes first */
	}
	if (s->fed + k > YDOC_MAX_TOKEN) {
		s->too_long = true;
		return 0;
	}
	memcpy(out, s->buf + s->pos, k);
	s->bol = out[k - 1] == '\n' || out[k - 1] == '\r';
	s->pos += k;
	s->fed += k;
	*n = k;
	return 1;
}

void ysource_position(const struct ysource *s, size_t offset, unsigned *line,
		      unsigned *col)
{
	size_t to;

	*line = s->line;
	*col = s->col;
	if (offset < s->base)
		return;
	to = offset - s->base;
	ysource_advance(s, to < s->len ? to : s->len, line, col);
}

void ysource_end(const struct ysource *s, unsigned *line, unsigned *col)
{
	ysource_position(s, s->base + s->len, line, col);
}
