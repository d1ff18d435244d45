/*
** util.h: small helpers shared by both programs: reading files, interned
** strings, path handling, atomic writes, and the abort-on-OOM wrappers that
** only the CLI layer may use.
*/
#ifndef SK_UTIL_H
#define SK_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes, one table for both programs (see docs/design.md). */
enum sk_exit {
	SK_EXIT_OK = 0,
	SK_EXIT_FINDINGS = 1,	/* sparklint: findings; sparkgen --check: stale */
	SK_EXIT_ERROR = 2	/* usage, input, rule or I/O error */
};

/*
** Read a whole file ("-" is stdin) into a NUL-terminated buffer (caller
** frees).  Refuses directories and files larger than `max` bytes (0 = no
** limit).  On error records an "io" diagnostic and returns NULL.
*/
char *util_read_file(const char *path, size_t max, size_t *len,
		     struct diag_list *dl);
/*
** The same for `name` relative to the directory open as `dirfd` (openat:
** no walk of the directory's path again), named `path` in messages.
*/
char *util_read_file_at(int dirfd, const char *name, const char *path,
			size_t max, size_t *len, struct diag_list *dl);
/*
** The same for a descriptor the caller opened (and closes), named `path`
** in messages; `size` is util_fd_size's (0: read to the end).
*/
char *util_read_fd(int fd, const char *path, size_t size, size_t max,
		   size_t *len, struct diag_list *dl);
/*
** What fstat says of an open file: SIZE_MAX for a directory; else a regular
** file's size, or 0 when not known (a pipe; a /proc file says 0 whatever it
** holds).
*/
size_t util_fd_size(int fd);

/*
** Interned strings: equal strings share one copy that lives until
** util_intern_release().  Used for file names in diag_pos.  Thread-safe.
** Returns NULL only when memory runs out.
*/
const char *util_intern(const char *s);
/* s interned into *out (NULL stays NULL).  Returns 0, or -1: out of memory. */
int util_intern_to(const char *s, const char **out);
void util_intern_release(void);

/* Write `len` bytes to `path` atomically: temp file in the same directory,
** fsync-free write, rename.  Leaves nothing behind on failure.  `mode` as for
** open(2).  Returns 0, or -1 with an "io" diagnostic. */
int util_write_atomic(const char *path, const void *data, size_t len,
		      unsigned mode, struct diag_list *dl);

/* Path helpers: caller frees the result. */
char *util_path_join(const char *dir, const char *name);
char *util_dirname(const char *path);
const char *util_basename(const char *path);	/* borrowed: points into path */
bool util_has_suffix(const char *s, const char *suffix);
bool util_is_dir(const char *path);		/* follows symlinks */

/* Code points in the UTF-8 bytes s[0..n): what error columns count. */
size_t util_utf8_chars(const char *s, size_t n);
/*
** How much of s[0..n) to quote in at most `max` bytes: n when it fits, else
** up to a character boundary (never inside a UTF-8 sequence).
*/
size_t util_utf8_cut(const char *s, size_t n, size_t max);
/* Does s[0..n) start with a UTF-16 byte order mark (the only UTF-16 libyaml reads)? */
bool util_utf16_bom(const char *s, size_t n);
/*
** The UTF-16 text s[0..n) (with its byte order mark, which sets the byte
** order and is dropped) as NUL-terminated UTF-8, as libyaml reads it: a
** lone surrogate or an odd last byte becomes U+FFFD.  Caller frees; *outlen
** set.  Aborts when out of memory (xmalloc).
*/
char *util_utf16_to_utf8(const char *s, size_t n, size_t *outlen);

/*
** Decode one UTF-8 sequence at s[0..n) (n >= 1) into *cp.  Returns its
** length, or 0 when it is malformed (overlong, surrogate, past U+10FFFF,
** truncated).
*/
size_t util_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* s[0..n) is [a-z0-9]([-a-z0-9]*[a-z0-9])? (length limits are the caller's). */
bool util_dns1123_label(const char *s, size_t n);
/* s[0..n) is DNS-1123 labels joined by '.' (length limits are the caller's). */
bool util_dns1123_subdomain(const char *s, size_t n);

/*
** Directory of the running executable (caller frees), or NULL.  Programs use
** it to find their data (rules/, templates/) relative to the binary.
*/
char *util_exe_dir(void);

/* CLI-only wrappers: print "progname: out of memory" and exit 2. */
void xoom(void) __attribute__((noreturn));	/* just that */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
const char *xintern(const char *s);	/* util_intern; NULL for NULL */
extern const char *util_progname;	/* set by main() */

/*
** n bytes aligned to a transparent huge page and advised for one: a page
** fault per 2 MiB instead of per 4 KiB (on a VM each is a trap to the
** hypervisor).  Plain malloc'd memory for free() and LeakSanitizer; NULL
** when out of memory.
*/
#define UTIL_HUGE_PAGE ((size_t)2 << 20)
void *util_alloc_huge(size_t n);

/*
** Map in the whole pages of [p, p + n) now, with one system call, for
** memory about to be filled: on this project's CI VM a page fault costs
** about 10 us, so a 1 MiB buffer touched page by page (256 faults) costs
** ~2.6 ms.  A hint: nothing happens where the kernel cannot (before Linux
** 5.14).
*/
void util_prefault(void *p, size_t n);

/*
** The same for the first 124 KiB of malloc's heap, where a short run's
** many small allocations go (glibc: a block under the mmap threshold comes
** from the heap and, freed, stays there as its top, under the trim
** threshold; both are 128 KiB unless mallopt changed them).  Call it first
** thing in main.
*/
void util_prefault_heap(void);

/*
** 1 in builds under AddressSanitizer (make check, the fuzzers), which are
** there to see every use of freed memory and every leak: the pool does not
** recycle Lua's blocks there, and a process frees everything before it
** exits.  0 otherwise.
*/
#if defined(__SANITIZE_ADDRESS__)
#define SK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SK_SANITIZED 1
#endif
#endif
#ifndef SK_SANITIZED
#define SK_SANITIZED 0
#endif

/* Seconds on the monotonic clock (for durations). */
double util_now(void);

/*
** The signals that ask the process to stop (SIGINT, SIGTERM, SIGHUP,
** SIGQUIT): what sparkgen holds off while it commits a tree, and what
** helper threads block for good.
*/
void util_stop_signals(sigset_t *set);

#endif
