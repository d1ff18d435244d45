/*
** tree_fs.c: the file-system half of the tree writer.  Every path below
** the output directory is walked one component at a time with openat and
** O_NOFOLLOW, so nothing is read or written through a symlink; the commit
** is two-phase (temp files and backup links first, then renames only) and
** undoes itself on failure.  A new output directory is built beside it
** under a hidden name and renamed into place once complete.
*/
#include "tree_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "tree.h"
#include "util.h"

#define FS_WALK_MISSING (-2)

static long fs_fail_at, fs_fail_count;
static unsigned fs_writers;	/* tests: writers the last new tree had (tree_test_writers) */
static unsigned fs_readers;	/* tests: readers the last tree read had (tree_test_readers) */
static int fs_signal;		/* tree_test_signal_after: raise it instead of failing */
static unsigned long fs_seq;	/* temp and backup name counter */
static long fs_pid;		/* getpid() of the commit running, for temp and backup names */

long tree_test_fail_after(long n)
{
	long c = fs_fail_count;

	fs_fail_at = n;
	fs_fail_count = 0;
	fs_signal = 0;
	return c;
}

unsigned tree_test_writers(void)
{
	return fs_writers;
}

unsigned tree_test_readers(void)
{
	return fs_readers;
}

long tree_test_signal_after(long n, int sig)
{
	long c = tree_test_fail_after(n);

	fs_signal = sig;
	return c;
}

/*
** Count one file-system change; true when the test hook says it fails.  A
** hook signal is raised instead: SIGKILL ends the process there, one that
** the commit holds off (fs_hold_signals) goes on and arrives after it.
** Changes are counted only while the hook is armed (which makes the
** commit write from one thread: fs_write_all).
*/
static bool fs_inject(void)
{
	if (fs_fail_at <= 0)
		return false;
	if (++fs_fail_count == fs_fail_at) {
		if (fs_signal) {
			raise(fs_signal);
			return false;
		}
		errno = EIO;
		return true;
	}
	return false;
}

/*
** Ctrl-C, a CI job's cancel (SIGTERM) or a closed terminal (SIGHUP) must
** not stop a commit half-way: they are held off while it writes, renames
** and, on failure, undoes, and arrive once the tree is whole again (the
** process then ends as they say).  Other threads (the Lua watchdog) block
** them for good.
*/
static void fs_hold_signals(bool hold, sigset_t *saved)
{
	sigset_t set;

	if (hold) {
		util_stop_signals(&set);
		pthread_sigmask(SIG_BLOCK, &set, saved);
	} else {
		pthread_sigmask(SIG_SETMASK, saved, NULL);
	}
}

char *tree_fs_path(const struct tree_fs *fs, const char *rel)
{
	if (!*rel)
		return strdup(fs->dir);
	return util_path_join(fs->dir, rel);
}

static int fs_err(const struct tree_fs *fs, struct diag_list *dl, const char *rel,
		  const char *what, int err)
{
	char *p = tree_fs_path(fs, rel);
	struct diag_pos pos = { util_intern(p ? p : fs->dir), 0, 0 };

	diag_addf(dl, DIAG_ERROR, "io", pos, "cannot %s '%s': %s", what,
		  p ? p : rel, strerror(err));
	free(p);
	return -1;
}

/* A component that could not be opened as a directory: say why. */
static int fs_walk_err(const struct tree_fs *fs, int at, const char *comp,
		       const char *rel, int err, struct diag_list *dl)
{
	struct stat st;
	char *p = tree_fs_path(fs, rel);
	struct diag_pos pos = { util_intern(p ? p : fs->dir), 0, 0 };

	if (fstatat(at, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		diag_addf(dl, DIAG_ERROR, "io", pos, "refusing to follow symlink '%s'",
			  p ? p : rel);
		diag_hintf(dl, "sparkgen never writes through a symlink inside the output directory");
	} else if (err == ENOTDIR || (err == ELOOP)) {
		diag_addf(dl, DIAG_ERROR, "io", pos, "'%s' is in the way: not a directory",
			  p ? p : rel);
	} else {
		diag_addf(dl, DIAG_ERROR, "io", pos, "cannot open '%s': %s", p ? p : rel,
			  strerror(err));
	}
	free(p);
	return -1;
}

static void fs_uncache(struct tree_fs *fs)
{
	if (fs->cache_fd >= 0 && fs->cache_fd != fs->dfd)
		close(fs->cache_fd);
	free(fs->cache_rel);
	fs->cache_rel = NULL;
	fs->cache_fd = -1;
}

/*
** Open directory `rel` ("" = the output dir) without following symlinks.
** Returns a cached fd (don't close it), FS_WALK_MISSING when a component
** does not exist (*have = length of the prefix that does), or -1 with a
** diagnostic.
*/
static int fs_walk(struct tree_fs *fs, const char *rel, size_t *have,
		   struct diag_list *dl)
{
	int cur = fs->dfd;
	size_t i = 0;

	*have = 0;
	if (fs->dfd < 0)
		return FS_WALK_MISSING;
	if (fs->cache_rel && !strcmp(fs->cache_rel, rel))
		return fs->cache_fd;
	fs_uncache(fs);
	while (rel[i]) {
		size_t len = strcspn(rel + i, "/");
		char comp[256];
		int nfd;

		if (len >= sizeof(comp)) {
			comp[0] = '\0';
			errno = ENAMETOOLONG;
			nfd = -1;
		} else {
			memcpy(comp, rel + i, len);
			comp[len] = '\0';
			nfd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			int err = errno, rc = FS_WALK_MISSING;
			char *upto = strndup(rel, i + len);

			*have = i ? i - 1 : 0;
			if (err != ENOENT)
				rc = fs_walk_err(fs, cur, comp, upto ? upto : rel, err, dl);
			free(upto);
			if (cur != fs->dfd)
				close(cur);
			return rc;
		}
		if (cur != fs->dfd)
			close(cur);
		cur = nfd;
		i += len + (rel[i + len] == '/');
	}
	fs->cache_rel = strdup(rel);
	if (!fs->cache_rel) {
		if (cur != fs->dfd)
			close(cur);
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	}
	fs->cache_fd = cur;
	return cur;
}

int tree_fs_open(struct tree_fs *fs, const char *dir, bool exclusive,
		 struct diag_list *dl)
{
	memset(fs, 0, sizeof *fs);
	fs->dir = dir;
	fs->cache_fd = -1;
	fs->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->dfd < 0) {
		if (errno == ENOENT)
			return 0;
		return fs_err(fs, dl, "", "open output directory", errno);
	}
	/* best effort: some network file systems have no flock */
	while (flock(fs->dfd, exclusive ? LOCK_EX : LOCK_SH) < 0 && errno == EINTR)
		;
	return 0;
}

void tree_fs_close(struct tree_fs *fs)
{
	fs_uncache(fs);
	if (fs->dfd >= 0)
		close(fs->dfd);	/* also drops the lock */
	fs->dfd = -1;
	for (size_t i = 0; i < fs->nmk; i++)
		free(fs->mk[i]);
	free(fs->mk);
	fs->mk = NULL;
	fs->nmk = fs->amk = 0;
}

/* Read fd to its end into a new buffer, sized by `hint` (its st_size) up front. */
static int fs_read_fd(int fd, size_t hint, char **data, size_t *len)
{
	size_t cap = hint + 1, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		if (n == cap) {	/* the file grew: read on */
			char *nb = cap < SIZE_MAX / 4 ? realloc(buf, 2 * cap + 1) : NULL;
			if (!nb) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;
			free(buf);
			errno = err;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n < cap)
			break;	/* a regular file reads short only at its end */
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int tree_fs_read(struct tree_fs *fs, const char *rel, char **data, size_t *len,
		 unsigned *mode, struct diag_list *dl)
{
	char *dir = util_dirname(rel);
	const char *base = util_basename(rel);
	struct stat st;
	size_t have;
	int dfd, fd = -1, rc = -1;

	*data = NULL;
	*len = 0;
	*mode = 0644;
	if (!dir)
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	dfd = fs_walk(fs, strcmp(dir, ".") ? dir : "", &have, dl);
	if (dfd == FS_WALK_MISSING)
		rc = 0;
	if (dfd < 0)
		goto out_free;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		rc = 0;
		goto out_free;
	}
	if (fd < 0) {
		rc = errno == ELOOP ? fs_walk_err(fs, dfd, base, rel, errno, dl)
				    : fs_err(fs, dl, rel, "open", errno);
		goto out_free;
	}
	if (fstat(fd, &st) < 0) {
		fs_err(fs, dl, rel, "stat", errno);
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		char *p = tree_fs_path(fs, rel);
		diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ util_intern(p), 0, 0 },
			  "'%s' is in the way: not a regular file", p ? p : rel);
		free(p);
		goto out_close;
	}
	*mode = (unsigned)st.st_mode & 07777;
	if (fs_read_fd(fd, (size_t)st.st_size, data, len) < 0)
		fs_err(fs, dl, rel, "read", errno);
	else
		rc = 0;
out_close:
	close(fd);
out_free:
	free(dir);
	return rc;
}

static int fs_note_dir(struct tree_fs *fs, const char *rel, size_t upto)
{
	char *d;

	if (fs->nmk == fs->amk) {
		size_t n = fs->amk ? 2 * fs->amk : 16;
		char **v = realloc(fs->mk, n * sizeof *v);
		if (!v)
			return -1;
		fs->mk = v;
		fs->amk = n;
	}
	d = strndup(rel, upto);
	if (!d)
		return -1;
	fs->mk[fs->nmk++] = d;
	return 0;
}

/* Check that directory `rel` (existing) is writable, up front. */
static int fs_writable(struct tree_fs *fs, const char *rel, struct diag_list *dl)
{
	size_t have;
	int fd = fs_walk(fs, rel, &have, dl);

	if (fd < 0)
		return -1;
	if (faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) < 0)
		return fs_err(fs, dl, rel, "write in", errno);
	return 0;
}

int tree_fs_need(struct tree_fs *fs, const char *rel, struct diag_list *dl)
{
	char *dir = util_dirname(rel), *top = NULL;
	const char *d;
	size_t have;
	int fd, rc = -1;

	if (!dir)
		goto out_oom;
	d = strcmp(dir, ".") ? dir : "";
	fd = fs_walk(fs, d, &have, dl);
	if (fd >= 0) {
		rc = fs_writable(fs, d, dl);
		goto out_free;
	}
	if (fd != FS_WALK_MISSING)
		goto out_free;
	/* note every missing level: the prefixes ending at each '/' after `have`, then d */
	for (size_t i = have ? have + 1 : 0; d[i]; i++)
		if (d[i] == '/' && fs_note_dir(fs, d, i) < 0)
			goto out_oom;
	if ((*d && fs_note_dir(fs, d, strlen(d)) < 0) || !(top = strndup(d, have)))
		goto out_oom;
	rc = fs->dfd < 0 ? 0 : fs_writable(fs, top, dl);
	goto out_free;
out_oom:
	rc = diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 }, "out of memory");
out_free:
	free(top);
	free(dir);
	return rc;
}

/* ---- commit ------------------------------------------------------------- */

struct fs_txn {			/* a new output directory (fs_make_stage) */
	char **root;		/* owned: directories created, parents first */
	size_t nroot;
	char *final;		/* owned: the output directory, no trailing '/' */
	const char *stage;	/* the staging directory beside it (in root) */
};

static int fs_cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	if (!*x || !*y)
		return !*x - !*y;
	return strcmp(*x, *y);
}

/* The directory of `rel` (walked and cached); -1 with a diagnostic. */
static int fs_parent(struct tree_fs *fs, const char *rel, struct diag_list *dl)
{
	const char *slash = strrchr(rel, '/');
	char *dir = strndup(rel, slash ? (size_t)(slash - rel) : 0);
	size_t have;
	int fd;

	if (!dir)
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	fd = fs_walk(fs, dir, &have, dl);
	if (fd == FS_WALK_MISSING) {
		fs_err(fs, dl, dir, "open", ENOENT);
		fd = -1;
	}
	free(dir);
	return fd;
}

/*
** A new output directory is built under a hidden name beside it and renamed
** into place whole.  Create its missing parents and the staging directory,
** remembering what was created, and open the staging directory as fs->dfd.
*/
static int fs_make_stage(struct tree_fs *fs, struct fs_txn *t, struct diag_list *dl)
{
	size_t len = strlen(fs->dir), plen;
	struct stat st;
	char *p;

	while (len > 1 && fs->dir[len - 1] == '/')
		len--;
	for (plen = len; plen > 0 && fs->dir[plen - 1] != '/'; plen--)
		;
	if (!(t->final = strndup(fs->dir, len)) ||
	    !(t->root = calloc(len + 2, sizeof *t->root)) ||
	    !(p = malloc(plen + 64)))
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	if (!strcmp(t->final + plen, ".") || !strcmp(t->final + plen, "..")) {
		free(p);
		return fs_err(fs, dl, "", "create directory", ENOENT);
	}
	if (lstat(t->final, &st) == 0) {	/* open() said ENOENT: a dangling symlink */
		free(p);
		fs_err(fs, dl, "", "open output directory", ENOENT);
		return diag_hintf(dl, "'%s' is a symlink to a directory that does not exist; "
				  "create its target or remove the link", t->final);
	}
	memcpy(p, fs->dir, plen);
	for (size_t i = 1; i < plen; i++) {	/* mkdir -p of the parent */
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		if (fs_inject() || mkdir(p, 0777) < 0) {
			if (errno != EEXIST)
				goto out_error;
		} else if (!(t->root[t->nroot++] = strdup(p))) {
			goto out_oom;
		}
		p[i] = '/';
	}
	for (int tries = 0;; tries++) {
		snprintf(p + plen, 64, ".sparkgen-new-%ld-%lu", fs_pid, fs_seq++);
		if (!fs_inject() && mkdir(p, 0777) == 0)
			break;
		if (errno != EEXIST || tries == 100)
			goto out_error;
	}
	if (!(t->stage = t->root[t->nroot++] = strdup(p)))
		goto out_oom;
	fs->dfd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fs->dfd < 0)
		goto out_error;
	free(p);
	return 0;
out_error:
	fs_err(fs, dl, "", "create directory", errno);
	free(p);
	return -1;
out_oom:
	free(p);
	return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 }, "out of memory");
}

/*
** Move the staging directory to the output directory's name.  The name is
** claimed with mkdir first, so that whatever appeared there meanwhile (a
** symlink, a file, a directory with files) is an error and stays as it is;
** rename(2) then replaces the empty directory just made.
*/
static int fs_publish(struct tree_fs *fs, struct fs_txn *t, struct diag_list *dl)
{
	if (fs_inject() || mkdir(t->final, 0777) < 0) {
		if (errno != EEXIST)
			return fs_err(fs, dl, "", "create directory", errno);
		diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ util_intern(fs->dir), 0, 0 },
			  "'%s' appeared while sparkgen was writing it", fs->dir);
		return diag_hintf(dl, "run sparkgen again: it will update what is there now");
	}
	if (fs_inject() || rename(t->stage, t->final) < 0) {
		int err = errno;

		rmdir(t->final);
		return fs_err(fs, dl, "", "create directory", err);
	}
	return 0;
}

/* Create the missing directories (fs->mk); an entry becomes NULL when it was there already. */
static int fs_make_dirs(struct tree_fs *fs, size_t *made, struct diag_list *dl)
{
	size_t n = 0;

	if (fs->nmk > 1)
		qsort(fs->mk, fs->nmk, sizeof *fs->mk, fs_cmp_str);
	for (size_t i = 0; i < fs->nmk; i++) {	/* uniq; parents sort before children */
		if (n && !strcmp(fs->mk[n - 1], fs->mk[i]))
			free(fs->mk[i]);
		else
			fs->mk[n++] = fs->mk[i];
	}
	fs->nmk = n;
	for (*made = 0; *made < fs->nmk; (*made)++) {
		char *rel = fs->mk[*made];
		int pfd = fs_parent(fs, rel, dl);

		if (pfd < 0)
			return -1;
		if (fs_inject() || mkdirat(pfd, util_basename(rel), 0777) < 0) {
			if (errno != EEXIST)
				return fs_err(fs, dl, rel, "create directory", errno);
			free(rel);
			fs->mk[*made] = NULL;
		}
	}
	return 0;
}

/*
** Create a new file next to f->rel holding data, named .sparkgen-PREFIX-...,
** or f->rel itself when prefix is NULL (in a staging directory); its name
** goes to *out.
*/
static int fs_write_new(struct tree_fs *fs, struct tree_fs_file *f, const char *prefix,
			const char *data, size_t len, char **out, struct diag_list *dl)
{
	int pfd = fs_parent(fs, f->rel, dl), fd = -1;
	char buf[64];
	const char *name = prefix ? buf : util_basename(f->rel);

	if (pfd < 0)
		return -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		if (prefix)
			snprintf(buf, sizeof buf, ".sparkgen-%s-%ld-%lu", prefix, fs_pid, fs_seq++);
		if (fs_inject())
			break;
		fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && (errno != EEXIST || !prefix))
			break;
	}
	if (fd < 0)
		return fs_err(fs, dl, f->rel, prefix ? "create a temporary file next to" :
				 "create", errno);
	if (!(*out = strdup(name))) {
		close(fd);
		unlinkat(pfd, name, 0);
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	}
	if (fs_inject())
		goto out_error;
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto out_error;
		data += w;
		len -= (size_t)w;
	}
	if ((f->old && fchmod(fd, (mode_t)f->mode) < 0) || close(fd) < 0) {
		fd = -1;
		goto out_error;
	}
	return 0;
out_error:
	fs_err(fs, dl, f->rel, "write", errno);
	if (fd >= 0)
		close(fd);
	return -1;	/* the temp file is unlinked by the cleanup */
}

/* Keep the current version of f under a backup name (a hard link, else a copy). */
static int fs_backup(struct tree_fs *fs, struct tree_fs_file *f, struct diag_list *dl)
{
	int pfd = fs_parent(fs, f->rel, dl);
	char name[64];

	if (pfd < 0)
		return -1;
	snprintf(name, sizeof name, ".sparkgen-old-%ld-%lu", fs_pid, fs_seq++);
	if (fs_inject())
		return fs_err(fs, dl, f->rel, "back up", errno);
	if (linkat(pfd, util_basename(f->rel), pfd, name, 0) == 0) {
		if ((f->bak = strdup(name)))
			return 0;
		unlinkat(pfd, name, 0);
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	}
	if (errno != EPERM && errno != EXDEV && errno != ENOTSUP && errno != EMLINK &&
	    errno != ENOSYS && errno != EEXIST)
		return fs_err(fs, dl, f->rel, "back up", errno);
	return fs_write_new(fs, f, "old", f->old, f->oldlen, &f->bak, dl);
}

static int fs_apply(struct tree_fs *fs, struct tree_fs_file *f, struct diag_list *dl)
{
	int pfd = fs_parent(fs, f->rel, dl);
	const char *base = util_basename(f->rel);

	if (pfd < 0)
		return -1;
	if (fs_inject())
		return fs_err(fs, dl, f->rel, f->state == TREE_FS_REMOVE ? "remove" : "write", errno);
	if (f->state == TREE_FS_REMOVE) {
		if (unlinkat(pfd, base, 0) < 0)
			return fs_err(fs, dl, f->rel, "remove", errno);
	} else {
		if (renameat(pfd, f->tmp, pfd, base) < 0)
			return fs_err(fs, dl, f->rel, "write", errno);
		free(f->tmp);
		f->tmp = NULL;
	}
	f->done = true;
	return 0;
}

/* Undo fs_apply: delete an added file, move the backup of a replaced or removed one back. */
static void fs_unapply(struct tree_fs *fs, struct tree_fs_file *f, struct diag_list *dl)
{
	int pfd = fs_parent(fs, f->rel, dl);
	const char *base = util_basename(f->rel);
	char *p;

	if (pfd >= 0 && f->state == TREE_FS_ADD && unlinkat(pfd, base, 0) == 0)
		return;
	if (pfd >= 0 && f->state != TREE_FS_ADD && renameat(pfd, f->bak, pfd, base) == 0) {
		free(f->bak);
		f->bak = NULL;
		return;
	}
	fs_err(fs, dl, f->rel, "restore", errno);
	if (f->bak && (p = tree_fs_path(fs, f->rel))) {
		diag_hintf(dl, "its previous content is in '%s/%s'", p, f->bak);
		free(p);
		free(f->bak);	/* keep the backup file */
		f->bak = NULL;
	}
}

/* Remove what is left of temp and backup files; quiet (best effort). */
static void fs_cleanup(struct tree_fs *fs, struct tree_fs_file *f, size_t n)
{
	struct diag_list quiet = DIAG_LIST_INIT;

	for (size_t i = 0; i < n; i++) {
		int pfd = (f[i].tmp || f[i].bak) ? fs_parent(fs, f[i].rel, &quiet) : -1;

		if (pfd >= 0 && f[i].tmp)
			unlinkat(pfd, f[i].tmp, 0);
		if (pfd >= 0 && f[i].bak)
			unlinkat(pfd, f[i].bak, 0);
		free(f[i].tmp);
		free(f[i].bak);
		f[i].tmp = f[i].bak = NULL;
	}
	diag_list_release(&quiet);
}

/* After a failure: remove the directories this commit created, deepest first. */
static void fs_unmake(struct tree_fs *fs, struct fs_txn *t, size_t made)
{
	struct diag_list quiet = DIAG_LIST_INIT;

	while (made-- > 0) {
		int pfd;

		if (!fs->mk[made])
			continue;
		fs_uncache(fs);
		if ((pfd = fs_parent(fs, fs->mk[made], &quiet)) >= 0)
			unlinkat(pfd, util_basename(fs->mk[made]), AT_REMOVEDIR);
	}
	fs_uncache(fs);
	if (t && fs->dfd >= 0) {	/* a new directory: the staging one goes */
		close(fs->dfd);
		fs->dfd = -1;
	}
	for (size_t i = t ? t->nroot : 0; i-- > 0;)
		rmdir(t->root[i]);
	diag_list_release(&quiet);
}

/* After success: drop directories that removed files left empty (rmdir fails otherwise). */
static void fs_prune_dirs(struct tree_fs *fs, struct tree_fs_file *f, size_t n)
{
	struct diag_list quiet = DIAG_LIST_INIT;

	for (size_t i = n; i-- > 0;) {
		char *d;

		if (f[i].state != TREE_FS_REMOVE || !(d = strdup(f[i].rel)))
			continue;
		for (char *s = strrchr(d, '/'); s; s = strrchr(d, '/')) {
			int pfd;

			*s = '\0';
			fs_uncache(fs);
			pfd = fs_parent(fs, d, &quiet);
			if (pfd < 0 || unlinkat(pfd, util_basename(d), AT_REMOVEDIR) < 0)
				break;
		}
		free(d);
	}
	fs_uncache(fs);
	diag_list_release(&quiet);
}

/*
** Writing a new tree is creating files, which is the kernel's time (1,000
** apps, 8,854 files: 0.21 s of system time in 0.27 s), so it goes faster
** with more threads.  The writers take runs of about FS_RUN_FILES files in
** turn, each run cut between directories (two writers creating files in
** one directory wait for each other), and walk with directory caches of
** their own.  Of the failures, the first in file order is the one
** reported, so a run that fails says what the serial one would (unless
** the failure depends on timing: a disk or quota that fills up, the limit
** on open files).
*/
#define FS_RUN_FILES 32
#define FS_WRITER_FILES 256	/* fewer files a writer: not worth a thread */
#define FS_WRITERS_MAX 8

struct fs_runs {
	struct tree_fs_file *f;
	size_t *start;			/* run k is f[start[k] .. start[k + 1]) */
	size_t nruns;
	atomic_size_t next;		/* the next run to take */
	atomic_bool stop;		/* a writer failed */
};

struct fs_writer {
	struct fs_runs *runs;
	struct tree_fs fs;		/* shares dir and dfd; its own cache */
	size_t failed;			/* index in f of the file that failed; SIZE_MAX: none */
	struct diag_list dl;
};

static void fs_write_runs(struct fs_writer *w)
{
	struct fs_runs *r = w->runs;
	size_t k;

	while (!atomic_load(&r->stop) && (k = atomic_fetch_add(&r->next, 1)) < r->nruns) {
		for (size_t i = r->start[k]; i < r->start[k + 1]; i++) {
			struct tree_fs_file *f = &r->f[i];

			if (f->state == TREE_FS_ADD &&
			    fs_write_new(&w->fs, f, NULL, f->data, f->len, &f->tmp, &w->dl) < 0) {
				w->failed = i;
				atomic_store(&r->stop, true);
				return;
			}
		}
	}
}

static void *fs_writer_main(void *arg)
{
	fs_write_runs(arg);
	return NULL;
}

/* True when a and b are in the same directory. */
static bool fs_same_dir(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;

	return la == lb && !strncmp(a, b, la);
}

/* How many threads for n files: fs->jobs, at most one per FS_WRITER_FILES. */
static size_t fs_threads(const struct tree_fs *fs, size_t n)
{
	size_t nw = fs->jobs < 1 ? 1 : fs->jobs;

	if (nw > FS_WRITERS_MAX)
		nw = FS_WRITERS_MAX;
	if (nw > n / FS_WRITER_FILES)
		nw = n / FS_WRITER_FILES ? n / FS_WRITER_FILES : 1;
	return nw;
}

/* Cut f[0..n) into runs of about FS_RUN_FILES files, ending between directories. */
static int fs_cut_runs(struct fs_runs *r, struct tree_fs_file *f, size_t n,
		       struct diag_list *dl)
{
	r->f = f;
	r->nruns = 0;
	if (!(r->start = malloc((n / FS_RUN_FILES + 2) * sizeof *r->start)))
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	for (size_t i = 0; i < n; r->nruns++) {
		size_t j = n - i > FS_RUN_FILES ? i + FS_RUN_FILES : n;

		while (j < n && fs_same_dir(f[j].rel, f[j - 1].rel))
			j++;
		r->start[r->nruns] = i;
		i = j;
	}
	r->start[r->nruns] = n;
	atomic_init(&r->next, 0);
	atomic_init(&r->stop, false);
	return 0;
}

/*
** Write every TREE_FS_ADD file of f under its own name, from up to
** fs->jobs threads.  The injected failures of the tests count changes in
** order: with them armed, one thread.
*/
static int fs_write_all(struct tree_fs *fs, struct tree_fs_file *f, size_t n,
			struct diag_list *dl)
{
	struct fs_runs r;
	struct fs_writer w[FS_WRITERS_MAX];
	pthread_t tid[FS_WRITERS_MAX];
	bool started[FS_WRITERS_MAX];
	size_t nw = fs_fail_at > 0 ? 1 : fs_threads(fs, n), first = 0;

	if (fs_cut_runs(&r, f, n, dl) < 0)
		return -1;
	for (size_t k = 0; k < nw; k++) {
		w[k].runs = &r;
		w[k].fs = (struct tree_fs){ .dir = fs->dir, .dfd = fs->dfd, .cache_fd = -1 };
		w[k].failed = SIZE_MAX;
		diag_list_init(&w[k].dl);
	}
	fs_writers = 1;
	for (size_t k = 1; k < nw; k++) {
		started[k] = pthread_create(&tid[k], NULL, fs_writer_main, &w[k]) == 0;
		fs_writers += started[k];
	}
	fs_write_runs(&w[0]);
	for (size_t k = 0; k < nw; k++) {
		if (k > 0 && started[k])
			pthread_join(tid[k], NULL);
		fs_uncache(&w[k].fs);
		if (w[k].failed < w[first].failed)
			first = k;
	}
	free(r.start);
	if (w[first].failed != SIZE_MAX && diag_list_move(dl, &w[first].dl) < 0)
		diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 }, "out of memory");
	for (size_t k = 0; k < nw; k++)
		diag_list_release(&w[k].dl);
	return w[first].failed == SIZE_MAX ? 0 : -1;
}

/*
** Reading an existing tree to compare it is the kernel's time too (a no-op
** regeneration of 1,000 apps: 8,854 files opened and read, a third of the
** run after the rendering): the same runs, read by as many threads.
*/
struct fs_reader {
	struct fs_runs *runs;
	struct tree_fs fs;		/* shares dir and dfd; its own cache */
	int *rc;			/* per file */
	struct diag_list *dl;		/* per run */
};

static void *fs_read_runs(void *arg)
{
	struct fs_reader *rd = arg;
	struct fs_runs *r = rd->runs;
	size_t k;

	while ((k = atomic_fetch_add(&r->next, 1)) < r->nruns)
		for (size_t i = r->start[k]; i < r->start[k + 1]; i++) {
			struct tree_fs_file *f = &r->f[i];

			rd->rc[i] = tree_fs_read(&rd->fs, f->rel, &f->old, &f->oldlen,
						 &f->mode, &rd->dl[k]);
			if (rd->rc[i] == 0 && f->old && f->oldlen == f->len &&
			    !(f->mode & 0100) && !memcmp(f->old, f->data, f->len)) {
				free(f->old);	/* a no-op keeps no copy of the tree */
				f->old = NULL;
				rd->rc[i] = 1;
			}
		}
	return NULL;
}

int tree_fs_read_all(struct tree_fs *fs, struct tree_fs_file *f, size_t n, int *rc,
		     struct diag_list *dl)
{
	struct fs_runs r;
	struct fs_reader rd[FS_WRITERS_MAX];
	pthread_t tid[FS_WRITERS_MAX];
	bool started[FS_WRITERS_MAX];
	size_t nr = fs->dfd < 0 ? 1 : fs_threads(fs, n);	/* no tree: nothing to read */
	struct diag_list *rdl;
	int ret = 0;

	if (fs_cut_runs(&r, f, n, dl) < 0)
		return -1;
	if (!(rdl = calloc(r.nruns ? r.nruns : 1, sizeof *rdl))) {
		free(r.start);
		return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
				 "out of memory");
	}
	for (size_t k = 0; k < r.nruns; k++)
		diag_list_init(&rdl[k]);
	for (size_t k = 0; k < nr; k++)
		rd[k] = (struct fs_reader){ &r, { .dir = fs->dir, .dfd = fs->dfd, .cache_fd = -1 },
					    rc, rdl };
	fs_readers = 1;
	for (size_t k = 1; k < nr; k++) {
		started[k] = pthread_create(&tid[k], NULL, fs_read_runs, &rd[k]) == 0;
		fs_readers += started[k];
	}
	fs_read_runs(&rd[0]);
	for (size_t k = 0; k < nr; k++) {
		if (k > 0 && started[k])
			pthread_join(tid[k], NULL);
		fs_uncache(&rd[k].fs);
	}
	for (size_t k = 0; k < r.nruns; k++) {	/* in file order, as one thread adds them */
		if (diag_list_move(dl, &rdl[k]) < 0)
			ret = diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
					"out of memory");
		diag_list_release(&rdl[k]);
	}
	free(rdl);
	free(r.start);
	return ret;
}

/*
** A tree into a directory that does not exist yet: every file is written
** under its own name into a staging directory, which becomes the output
** directory in one rename.  No temp file and no rename per file, and the
** tree appears whole or not at all, even when the process is killed (which
** leaves only the hidden staging directory).
*/
static int fs_commit_new(struct tree_fs *fs, struct tree_fs_file *f, size_t n,
			 struct diag_list *dl)
{
	struct fs_txn t = { NULL, 0, NULL, NULL };
	size_t made = 0, i;
	int rc = -1;

	if (fs_make_stage(fs, &t, dl) < 0 || fs_make_dirs(fs, &made, dl) < 0 ||
	    fs_write_all(fs, f, n, dl) < 0)
		goto out_undo;
	if (fs_publish(fs, &t, dl) < 0)
		goto out_undo;
	for (i = 0; i < n; i++) {	/* in place now: forget the names, keep the files */
		free(f[i].tmp);
		f[i].tmp = NULL;
	}
	rc = 0;
	goto out_free;
out_undo:
	fs_cleanup(fs, f, n);
	fs_unmake(fs, &t, made);
out_free:
	for (i = 0; i < t.nroot; i++)
		free(t.root[i]);
	free(t.root);
	free(t.final);
	return rc;
}

static int fs_commit(struct tree_fs *fs, struct tree_fs_file *f, size_t n,
		     struct diag_list *dl)
{
	size_t made = 0, i;

	fs_pid = (long)getpid();
	if (fs->dfd < 0)
		return fs_commit_new(fs, f, n, dl);
	if (fs_make_dirs(fs, &made, dl) < 0)
		goto out_undo;
	for (i = 0; i < n; i++) {
		if ((f[i].state == TREE_FS_ADD || f[i].state == TREE_FS_CHANGE) &&
		    fs_write_new(fs, &f[i], "tmp", f[i].data, f[i].len, &f[i].tmp, dl) < 0)
			goto out_undo;
		if ((f[i].state == TREE_FS_CHANGE || f[i].state == TREE_FS_REMOVE) &&
		    fs_backup(fs, &f[i], dl) < 0)
			goto out_undo;
	}
	for (i = 0; i < n; i++)
		if (f[i].state != TREE_FS_SAME && f[i].state != TREE_FS_KEEP &&
		    fs_apply(fs, &f[i], dl) < 0)
			goto out_unapply;
	fs_cleanup(fs, f, n);
	fs_prune_dirs(fs, f, n);
	return 0;
out_unapply:
	while (i-- > 0)
		if (f[i].done)
			fs_unapply(fs, &f[i], dl);
out_undo:
	fs_cleanup(fs, f, n);
	fs_unmake(fs, NULL, made);
	return -1;
}

int tree_fs_commit(struct tree_fs *fs, struct tree_fs_file *f, size_t n,
		   struct diag_list *dl)
{
	sigset_t saved;
	int rc;

	fs_hold_signals(true, &saved);
	rc = fs_commit(fs, f, n, dl);
	fs_hold_signals(false, &saved);
	return rc;
}
