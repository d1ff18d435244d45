/*
** util.c: files, interned strings, paths, atomic writes, and the CLI-only
** allocation wrappers (see util.h).
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"

const char *util_progname = "sparkgen";

/* ---- reading files ------------------------------------------------------ */

static struct diag_pos util_pos(const char *path)
{
	struct diag_pos pos = { util_intern(path), 0, 0 };

	return pos;
}

void *util_alloc_huge(size_t n)
{
	void *p;

	if (posix_memalign(&p, UTIL_HUGE_PAGE, n))
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void util_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(page - 1);

	if (e > a)
		madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

void util_prefault_heap(void)
{
	size_t n = 124u << 10;
	void *p = malloc(n);

	util_prefault(p, p ? n : 0);
	free(p);
}

/*
** A buffer for n bytes (malloc'd: free() frees it).  From 4 MiB on it is
** backed by huge pages: reading a 50 MB stream into fresh memory cost
** 220 ms of page faults on a VM, 25 ms this way.
*/
static void *util_buffer(size_t n)
{
	return n < 2 * UTIL_HUGE_PAGE ? malloc(n) : util_alloc_huge(n);
}

size_t util_fd_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return SIZE_MAX;
	return S_ISREG(st.st_mode) && (uintmax_t)st.st_size < SIZE_MAX / 4 ?
	       (size_t)st.st_size : 0;
}

/*
** A regular file is read into a buffer of its size (plus room to see the
** end in the same read, and the NUL), so a file is one allocation and no
** copy; a pipe, or a file that grows while read, doubles the buffer.
*/
char *util_read_fd(int fd, const char *path, size_t size, size_t max,
		   size_t *len, struct diag_list *dl)
{
	size_t alloc = size ? size + 2 : 65536, n = 0;
	char *buf = NULL, *p;

	if (max && alloc > max + 2)
		alloc = max + 2;
	for (;;) {
		ssize_t got;

		if (!buf || n + 1 == alloc) {
			if (buf && alloc > SIZE_MAX / 4)
				goto out_oom;
			if (buf)
				alloc = max && 2 * alloc >= max ? max + 2 : 2 * alloc;
			if (!(p = util_buffer(alloc)))
				goto out_oom;
			if (buf)
				memcpy(p, buf, n);
			free(buf);
			buf = p;
		}
		got = read(fd, buf + n, alloc - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_addf(dl, DIAG_ERROR, "io", util_pos(path),
				  "cannot read '%s': %s", path, strerror(errno));
			goto out_free;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (max && n > max) {
			diag_addf(dl, DIAG_ERROR, "io", util_pos(path),
				  "'%s' is larger than %zu bytes", path, max);
			goto out_free;
		}
		if (n == size)	/* all fstat saw: no read() to be told the end */
			break;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
out_oom:
	diag_addf(dl, DIAG_ERROR, "oom", util_pos(path),
		  "out of memory reading '%s'", path);
out_free:
	free(buf);
	return NULL;
}

char *util_read_file(const char *path, size_t max, size_t *len,
		     struct diag_list *dl)
{
	return util_read_file_at(AT_FDCWD, path, path, max, len, dl);
}

char *util_read_file_at(int dirfd, const char *name, const char *path,
			size_t max, size_t *len, struct diag_list *dl)
{
	bool is_stdin = dirfd == AT_FDCWD && !strcmp(name, "-");
	size_t size;
	char *buf = NULL;
	int fd;

	fd = is_stdin ? STDIN_FILENO : openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag_addf(dl, DIAG_ERROR, "io", util_pos(path),
			  "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if ((size = util_fd_size(fd)) == SIZE_MAX)
		diag_addf(dl, DIAG_ERROR, "io", util_pos(path),
			  "cannot read '%s': Is a directory", path);
	else
		buf = util_read_fd(fd, path, size, max, len, dl);
	if (!is_stdin)
		close(fd);
	return buf;
}

/* ---- interned strings --------------------------------------------------- */

struct intern_set {
	char **slot;		/* open addressing, power-of-two size */
	size_t size, used;
};

static struct intern_set interned;
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t util_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int intern_grow(struct intern_set *set)
{
	size_t n = set->size ? set->size * 2 : 64;
	char **slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < set->size; i++) {
		char *s = set->slot[i];
		size_t j;

		if (!s)
			continue;
		for (j = util_hash(s) & (n - 1); slot[j]; j = (j + 1) & (n - 1))
			;
		slot[j] = s;
	}
	free(set->slot);
	set->slot = slot;
	set->size = n;
	return 0;
}

const char *util_intern(const char *s)
{
	const char *r = NULL;
	size_t j;

	if (!s)
		return NULL;
	pthread_mutex_lock(&intern_lock);
	if ((interned.used + 1) * 2 > interned.size && intern_grow(&interned) < 0)
		goto out_unlock;
	for (j = util_hash(s) & (interned.size - 1); interned.slot[j];
	     j = (j + 1) & (interned.size - 1))
		if (!strcmp(interned.slot[j], s)) {
			r = interned.slot[j];
			goto out_unlock;
		}
	if ((interned.slot[j] = strdup(s))) {
		interned.used++;
		r = interned.slot[j];
	}
out_unlock:
	pthread_mutex_unlock(&intern_lock);
	return r;
}

int util_intern_to(const char *s, const char **out)
{
	*out = s ? util_intern(s) : NULL;
	return s && !*out ? -1 : 0;
}

void util_intern_release(void)
{
	pthread_mutex_lock(&intern_lock);
	for (size_t i = 0; i < interned.size; i++)
		free(interned.slot[i]);
	free(interned.slot);
	interned.slot = NULL;
	interned.size = interned.used = 0;
	pthread_mutex_unlock(&intern_lock);
}

/* ---- atomic writes ------------------------------------------------------ */

int util_write_atomic(const char *path, const void *data, size_t len,
		      unsigned mode, struct diag_list *dl)
{
	char *dir = util_dirname(path), *tmp = NULL;
	const char *p = data;
	int fd = -1;

	if (!dir)
		goto out_oom;
	tmp = util_path_join(dir, ".sparkgen-tmp-XXXXXX");
	if (!tmp)
		goto out_oom;
	fd = mkstemp(tmp);
	if (fd < 0) {
		diag_addf(dl, DIAG_ERROR, "io", util_pos(path),
			  "cannot create a file in '%s': %s", dir, strerror(errno));
		goto out_free;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out_write_error;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, (mode_t)(mode & 07777)) < 0 || close(fd) < 0) {
		fd = -1;
		goto out_write_error;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto out_write_error;
	free(tmp);
	free(dir);
	return 0;
out_write_error:
	diag_addf(dl, DIAG_ERROR, "io", util_pos(path), "cannot write '%s': %s",
		  path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	goto out_free;
out_oom:
	diag_addf(dl, DIAG_ERROR, "oom", util_pos(path), "out of memory");
out_free:
	free(tmp);
	free(dir);
	return -1;
}

/* ---- paths -------------------------------------------------------------- */

char *util_path_join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(dir);

	strbuf_addstr(&sb, dir);
	if (n && dir[n - 1] != '/')
		strbuf_addch(&sb, '/');
	strbuf_addstr(&sb, name);
	if (sb.oom) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

char *util_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

const char *util_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool util_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

bool util_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

size_t util_utf8_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

size_t util_utf8_cut(const char *s, size_t n, size_t max)
{
	size_t k;

	if (n <= max)
		return n;
	for (k = max; k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80; k--)
		;
	return k;
}

bool util_utf16_bom(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	return n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

static size_t utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

char *util_utf16_to_utf8(const char *s, size_t n, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	bool le = n >= 2 && u[0] == 0xFF;
	size_t i = util_utf16_bom(s, n) ? 2 : 0, k = 0;
	/* a unit makes at most 3 bytes; a pair (two units) 4 */
	char *out = xmalloc(n / 2 * 3 + 4);

	while (i < n) {
		uint32_t c = 0xFFFD, lo;

		if (i + 1 < n) {
			c = le ? (uint32_t)(u[i] | u[i + 1] << 8) : (uint32_t)(u[i] << 8 | u[i + 1]);
			i += 2;
			if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
				lo = le ? (uint32_t)(u[i] | u[i + 1] << 8) : (uint32_t)(u[i] << 8 | u[i + 1]);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			if (c >= 0xD800 && c <= 0xDFFF)
				c = 0xFFFD;
		} else {
			i++;	/* an odd last byte */
		}
		k += utf8_put(out + k, c);
	}
	out[k] = '\0';
	*outlen = k;
	return out;
}

size_t util_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static bool alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool util_dns1123_label(const char *s, size_t n)
{
	if (n == 0 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1]))
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (!alnum_lower(s[i]) && s[i] != '-')
			return false;
	return true;
}

bool util_dns1123_subdomain(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (!util_dns1123_label(s + start, i - start))
			return false;
		start = i + 1;
	}
	return true;
}

char *util_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return util_dirname(buf);
}

/* ---- CLI-only allocation wrappers --------------------------------------- */

void xoom(void)
{
	fprintf(stderr, "%s: out of memory\n", util_progname);
	exit(SK_EXIT_ERROR);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xoom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xoom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		xoom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		xoom();
	return p;
}

const char *xintern(const char *s)
{
	const char *p;

	if (!s)
		return NULL;
	if (!(p = util_intern(s)))
		xoom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		xoom();
	return p;
}

double util_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void util_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}
