/*
** strbuf.c: growable byte buffers (see strbuf.h).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static char strbuf_empty[1];	/* what buf points at before the first append */

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
	sb->oom = false;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

/* Make room for `extra` more bytes plus the NUL. */
static int strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want, n;
	char *p;

	if (sb->oom)
		return -1;
	if (extra > SIZE_MAX / 2 - sb->len)
		goto out_oom;
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	n = sb->alloc ? sb->alloc : 64;
	while (n < want)
		n *= 2;
	p = realloc(sb->alloc ? sb->buf : NULL, n);
	if (!p)
		goto out_oom;
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = n;
	return 0;
out_oom:
	sb->oom = true;
	return -1;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_grow(sb, len) < 0)
		return -1;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || strbuf_grow(sb, (size_t)n) < 0)
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

/* Is p a control character (other than tab) or DEL, C1 included? */
/*
** C0 and C1 controls (U+0080..U+009F: CSI and friends), the line and
** paragraph separators (an editor or a CI log breaks the line there), and
** the bidirectional embeddings, overrides and isolates (U+202A..U+202E,
** U+2066..U+2069: text that reads other than it is).
*/
static bool is_control(const unsigned char *p, const unsigned char *e)
{
	return (*p < 0x20 && *p != '\t') || *p == 0x7f ||
	       (*p == 0xc2 && e - p >= 2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
	       (*p == 0xe2 && e - p >= 3 && p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
	       (*p == 0xe2 && e - p >= 3 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

int strbuf_add_printable(struct strbuf *sb, const char *s, const char *nl)
{
	return strbuf_add_printable_n(sb, s, strlen(s), nl);
}

int strbuf_add_printable_n(struct strbuf *sb, const char *s, size_t len, const char *nl)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	int rc = 0;

	while (p < e && !rc) {
		size_t n = 0;

		while (p + n < e && !is_control(p + n, e))
			n++;
		rc = strbuf_add(sb, p, n);
		p += n;
		if (p == e || rc)
			break;
		if (*p == '\n' && nl)
			rc = strbuf_addstr(sb, nl);
		else if (*p == '\n' || *p == '\r')
			rc = strbuf_addstr(sb, *p == '\n' ? "\\n" : "\\r");
		else if (*p == 0xc2)	/* U+0080..U+009F: CSI and friends */
			rc = strbuf_addf(sb, "\\x%02x", *++p);
		else if (*p == 0xe2) {	/* U+2028.., U+2066..: 3 bytes */
			rc = strbuf_addf(sb, "\\u%04x", 0x2000u | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu));
			p += 2;
		}
		else
			rc = strbuf_addf(sb, "\\x%02x", *p);
		p++;
	}
	return rc;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->alloc ? sb->buf : strdup("");

	if (len)
		*len = sb->alloc ? sb->len : 0;
	strbuf_init(sb);
	return p;
}
