/*
** input.c: collecting and loading the manifest files (see input.h).
*/
#define _GNU_SOURCE		/* memmem */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "suppress.h"
#include "util.h"

void input_init(struct input_set *in)
{
	memset(in, 0, sizeof(*in));
	strmap_init(&in->seen);
	strmap_init(&in->dirs);
}

void input_release(struct input_set *in)
{
	for (size_t i = 0; i < in->n; i++) {
		struct input_file *f = &in->v[i];

		free(f->path);
		free(f->real);
		free(f->buf);
		ystream_release(&f->ys);
		diag_list_release(&f->dl);
	}
	free(in->v);
	strmap_release(&in->seen);
	strmap_release(&in->dirs);
	input_init(in);
}

bool input_is_manifest(const char *name)
{
	return util_has_suffix(name, ".yaml") || util_has_suffix(name, ".yml") ||
	       util_has_suffix(name, ".json");
}

static struct diag_pos input_pos(const char *path)
{
	struct diag_pos pos = { util_intern(path), 0, 0 };

	return pos;
}

/*
** "./a/b" and ".//./a/b" -> "a/b" (the slashes after a "./" go with it, or
** ".//a" would be "/a"); keeps ".", "./" and "/" alone.
*/
static const char *input_clean(const char *path)
{
	while (path[0] == '.' && path[1] == '/') {
		const char *p = path + 2;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		path = p;
	}
	return path;
}

/*
** Path order: byte order, but '/' before any other byte, so that a
** directory's files come right after it as the walk yields them
** ("d/sub/x.yaml" before "d/sub.yaml").
*/
static int input_name_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	int cx, cy;

	while (*x && *x == *y)
		x++, y++;
	cx = *x == '/' ? 1 : *x ? *x + 1 : 0;
	cy = *y == '/' ? 1 : *y ? *y + 1 : 0;
	return (cx > cy) - (cx < cy);
}

static int input_file_cmp(const void *a, const void *b)
{
	const struct input_file *x = a, *y = b;
	int c = input_name_cmp(x->name, y->name);

	return c ? c : strcmp(x->path, y->path);	/* "-" and a file named <stdin> */
}

static void input_push(struct input_set *in, const char *path, char *real,
		       bool reported)
{
	struct input_file *f;

	if (in->n == in->alloc) {
		in->alloc = in->alloc ? in->alloc * 2 : 16;
		in->v = xrealloc(in->v, in->alloc * sizeof(*in->v));
	}
	f = &in->v[in->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->name = util_intern(strcmp(path, "-") ? input_clean(path) : INPUT_STDIN_NAME);
	f->real = real;
	f->reported = reported;
	diag_list_init(&f->dl);
}

/*
** Add one regular file (already known to exist).  `real` is its canonical
** path when the caller knows it (taken), else NULL: realpath() costs a
** readlink per path component, seven system calls for a file four
** directories down, which was most of the time to walk a big tree.
*/
static void input_add_file(struct input_set *in, const char *path, char *real,
			   bool reported, const struct config *cfg)
{
	size_t idx;

	if (!real && !(real = realpath(path, NULL)))
		real = xstrdup(path);
	if (cfg && config_excluded(cfg, real)) {
		in->excluded++;
		free(real);
		return;
	}
	if (strmap_get(&in->seen, real, strlen(real), &idx)) {
		struct input_file *f = &in->v[idx];
		const char *name = input_clean(path);

		f->reported |= reported;
		if (input_name_cmp(name, f->name) < 0) {	/* the name whatever the order */
			free(f->path);
			f->path = xstrdup(path);
			f->name = util_intern(name);
		}
		free(real);
		return;
	}
	strmap_put(&in->seen, real, strlen(real), in->n);
	input_push(in, path, real, reported);
}

struct input_dirent {
	char *name;
	unsigned char type;		/* d_type: DT_REG, DT_DIR, DT_LNK, DT_UNKNOWN... */
	int err;			/* errno of the stat, 0 when st is set */
	struct stat st;			/* what the entry names (symlinks followed) */
};

static int input_dirent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct input_dirent *)a)->name,
		      ((const struct input_dirent *)b)->name);
}

/* An entry that may be a manifest or a directory to walk (worth a stat). */
static bool input_wanted(const struct dirent *e)
{
	switch (e->d_type) {
	case DT_REG:
		return input_is_manifest(e->d_name);
	case DT_DIR: case DT_LNK: case DT_UNKNOWN:
		return true;
	default:		/* a fifo, socket or device */
		return false;
	}
}

/*
** Read the entries of `path` that may matter, sorted by name; hidden
** entries left out.  What readdir says is a regular file is taken as one
** (the loader opens it anyway, and learns its size then); the rest are
** stat'ed with fstatat() on the open directory, which looks up one name
** instead of the whole path.  The directory is closed before the caller
** recurses, so a deep tree holds no descriptors.
*/
static int input_list_dir(const char *path, struct input_dirent **v, size_t *n,
			  struct diag_list *dl)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t alloc = 0;

	*v = NULL;
	*n = 0;
	if (!d)
		return diag_addf(dl, DIAG_ERROR, "io", input_pos(path),
				 "cannot open directory '%s': %s", path,
				 strerror(errno));
	while ((e = readdir(d))) {
		struct input_dirent *x;

		if (e->d_name[0] == '.' || !input_wanted(e))
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			*v = xrealloc(*v, alloc * sizeof(**v));
		}
		x = &(*v)[(*n)++];
		x->name = xstrdup(e->d_name);
		x->type = e->d_type;
		if (e->d_type == DT_REG) {
			memset(&x->st, 0, sizeof(x->st));
			x->st.st_mode = S_IFREG;
			x->err = 0;
		} else {
			x->err = fstatat(dirfd(d), e->d_name, &x->st, 0) < 0 ? errno : 0;
		}
	}
	closedir(d);
	if (*n)
		qsort(*v, *n, sizeof(**v), input_dirent_cmp);
	return 0;
}

static int input_walk(struct input_set *in, const char *dir, char *realdir,
		      const struct stat *st, bool reported,
		      const struct config *cfg, struct diag_list *dl);

/*
** The canonical path of entry `e` of a directory whose own is `realdir`
** (NULL if unknown): that plus its name when the directory lists it as
** `type` (a file or a directory, not a symlink), else NULL (unknown).
*/
static char *input_real(const char *realdir, const struct input_dirent *e,
			unsigned char type)
{
	return realdir && e->type == type ? util_path_join(realdir, e->name) : NULL;
}

/* One directory entry: recurse into directories, take manifest files. */
static int input_entry(struct input_set *in, const char *dir, const char *realdir,
		       const struct input_dirent *e, bool reported,
		       const struct config *cfg, struct diag_list *dl)
{
	char *p = strcmp(dir, ".") ? util_path_join(dir, e->name) : xstrdup(e->name);
	int ret = 0;

	if (!p)
		p = xstrdup(e->name);
	if (e->err) {
		/*
		** A *.yaml symlink that leads nowhere too: a manifest that
		** cannot be read is never a silent pass (`kubectl apply -f DIR`
		** fails on it); one with another name may have been a directory
		** of anything.
		*/
		if (e->err != ENOENT || input_is_manifest(e->name))
			ret = diag_addf(dl, DIAG_ERROR, "io", input_pos(p),
					"cannot open '%s': %s", p, strerror(e->err));
	} else if (S_ISDIR(e->st.st_mode)) {
		char *real = input_real(realdir, e, DT_DIR);

		/* an excluded directory is not opened: it may be unreadable */
		if (cfg && cfg->nexclude && !real)
			real = realpath(p, NULL);
		if (cfg && real && config_excluded(cfg, real)) {
			in->excluded++;
			free(real);
		} else {
			ret = input_walk(in, p, real, &e->st, reported, cfg, dl);
		}
	} else if (S_ISREG(e->st.st_mode) && input_is_manifest(e->name)) {
		input_add_file(in, p, input_real(realdir, e, DT_REG), reported, cfg);
	}
	free(p);
	return ret;
}

/* Walk `dir`, whose canonical path is `realdir` (taken; NULL: not known). */
static int input_walk(struct input_set *in, const char *dir, char *realdir,
		      const struct stat *st, bool reported,
		      const struct config *cfg, struct diag_list *dl)
{
	char key[64];
	struct input_dirent *v;
	size_t n;
	int ret = 0;

	snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	if (!strmap_put(&in->dirs, key, strlen(key), 0)) {
		free(realdir);
		return 0;	/* already walked: a symlink loop or a repeat */
	}
	if (input_list_dir(dir, &v, &n, dl) < 0) {
		free(realdir);
		return -1;
	}
	if (!realdir)
		realdir = realpath(dir, NULL);
	for (size_t i = 0; i < n; i++) {
		if (input_entry(in, dir, realdir, &v[i], reported, cfg, dl) < 0)
			ret = -1;
		free(v[i].name);
	}
	free(realdir);
	free(v);
	return ret;
}

int input_add(struct input_set *in, const char *path, bool reported,
	      const struct config *cfg, struct diag_list *dl)
{
	struct stat st;

	if (!strcmp(path, "-")) {
		if (!in->have_stdin)
			input_push(in, "-", NULL, reported);
		in->have_stdin = true;
		return 0;
	}
	path = input_clean(path);
	if (stat(path, &st) < 0)
		return diag_addf(dl, DIAG_ERROR, "io", input_pos(path),
				 "cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return input_walk(in, path, NULL, &st, reported, cfg, dl);
	input_add_file(in, path, NULL, reported, cfg);
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

/*
** Threads load one file at a time.  A big stream (the output of `kustomize
** build` or `helm template`, often stdin) would be one thread's work, so it
** is read whole and cut where ystream_cuts allows, and every thread loads
** pieces; when a piece has a diagnostic, the stream is loaded again whole,
** so that messages are the serial ones.
*/
#define INPUT_CUT_MIN ((size_t)1 << 20)	/* smaller streams are loaded whole */
/*
** stdin, a pipe or a FIFO is read whole before it is parsed; an endless
** one (`yes | sparklint -`) must end in an error, not in the OOM killer.
** 256 MiB is five times the benchmark's whole corpus as one stream.
*/
#define INPUT_STREAM_MAX ((size_t)256 << 20)
#define INPUT_PIECES_PER_JOB 4		/* for balance: pieces differ in cost */

struct input_piece {
	struct input_file *f;
	size_t offset, len;
	unsigned line0;
	struct ystream ys;
	struct diag_list dl;
};

struct input_loader {
	struct input_set *in;
	unsigned jobs;
	atomic_size_t next;		/* next file to load */
	pthread_mutex_t lock;		/* guards the piece list while files load */
	struct input_piece *pieces;
	size_t npieces, apieces;
	atomic_size_t next_piece;	/* next piece to load (second round) */
};

/* The name in f's diagnostics: its path as given, or "<stdin>". */
static const char *input_load_name(const struct input_file *f)
{
	return strcmp(f->path, "-") ? f->path : f->name;
}

/* Queue f's pieces when f->buf can be cut; else false. */
static bool input_cut(struct input_loader *ld, struct input_file *f)
{
	size_t want = (size_t)ld->jobs * INPUT_PIECES_PER_JOB - 1, n;
	struct ystream_cut *cuts = xmalloc(want * sizeof(*cuts));

	n = ystream_cuts(f->buf, f->len, want, cuts);
	if (n) {
		pthread_mutex_lock(&ld->lock);
		if (ld->npieces + n + 1 > ld->apieces) {
			ld->apieces = (ld->npieces + n + 1) * 2;
			ld->pieces = xrealloc(ld->pieces, ld->apieces * sizeof(*ld->pieces));
		}
		for (size_t k = 0; k <= n; k++) {
			struct input_piece *p = &ld->pieces[ld->npieces++];
			size_t start = k ? cuts[k - 1].offset : 0;

			memset(p, 0, sizeof(*p));
			p->f = f;
			p->offset = start;
			p->len = (k < n ? cuts[k].offset : f->len) - start;
			p->line0 = k ? cuts[k - 1].line : 0;
			diag_list_init(&p->dl);
		}
		pthread_mutex_unlock(&ld->lock);
	}
	free(cuts);
	return n > 0;
}

/*
** The loader opens each file and learns its size then (the walk does not
** stat the files a directory lists as regular: 17,248 fewer system calls
** on the thread that walks, on the benchmark's tree).
*/
static void input_load_one(struct input_loader *ld, struct input_file *f)
{
	int fd = -1;
	size_t size = 0;	/* SIZE_MAX: cannot load */
	struct stat st;

	if (strcmp(f->path, "-")) {
		fd = open(f->path, O_RDONLY | O_CLOEXEC);
		size = fd < 0 ? SIZE_MAX : util_fd_size(fd);
	}
	/*
	** stdin, a pipe or a FIFO (`sparklint <(kustomize build)`) cannot be
	** read again for its suppression comments: its text is kept.
	*/
	f->keep = fd < 0 ? size != SIZE_MAX :
		  !size && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
	if (f->keep) {
		f->buf = fd < 0 ? util_read_file_at(AT_FDCWD, "-", input_load_name(f),
						    INPUT_STREAM_MAX, &f->len, &f->dl) :
				  util_read_fd(fd, f->path, 0, INPUT_STREAM_MAX, &f->len, &f->dl);
		if (fd >= 0)
			close(fd);
		if (!f->buf)
			return;
		f->size = f->len;
	} else {
		bool whole = size != SIZE_MAX && ld->jobs > 1 && size >= INPUT_CUT_MIN;

		if (size != SIZE_MAX)
			f->size = size;
		if (size != SIZE_MAX && !whole) {
			/* unknown past an error: assume a marker */
			if (ystream_load_fd_watch(&f->ys, f->path, fd, size, SUPPRESS_MARK,
						  &f->marked, &f->dl) < 0)
				f->marked = true;
			close(fd);
			return;
		}
		if (whole) {
			struct diag_list dl = DIAG_LIST_INIT;

			f->buf = util_read_fd(fd, f->path, size, 0, &f->len, &dl);
			diag_list_release(&dl);
		}
		if (fd >= 0)
			close(fd);
		if (!f->buf) {		/* the loader says why, as for any file */
			ystream_load_file(&f->ys, f->path, &f->dl);
			f->marked = true;
			return;
		}
	}
	/* UTF-16 text is converted when it is read for its comments */
	f->marked = memmem(f->buf, f->len, SUPPRESS_MARK, strlen(SUPPRESS_MARK)) != NULL ||
		    util_utf16_bom(f->buf, f->len);
	if (ld->jobs < 2 || f->len < INPUT_CUT_MIN || !input_cut(ld, f))
		ystream_load_buffer(&f->ys, input_load_name(f), f->buf, f->len, &f->dl);
}

static void *input_load_worker(void *arg)
{
	struct input_loader *ld = arg;
	size_t i;

	while ((i = atomic_fetch_add(&ld->next, 1)) < ld->in->n)
		input_load_one(ld, &ld->in->v[i]);
	return NULL;
}

static void *input_piece_worker(void *arg)
{
	struct input_loader *ld = arg;
	size_t i;

	while ((i = atomic_fetch_add(&ld->next_piece, 1)) < ld->npieces) {
		struct input_piece *p = &ld->pieces[i];

		ystream_load_piece(&p->ys, input_load_name(p->f), p->f->buf + p->offset,
				   p->len, p->line0, &p->dl);
	}
	return NULL;
}

/* Run fn on this thread and up to jobs - 1 more. */
static void input_parallel(struct input_loader *ld, unsigned jobs, void *(*fn)(void *))
{
	pthread_t *tid = xcalloc(jobs ? jobs : 1, sizeof(*tid));
	unsigned started = 0;

	for (unsigned t = 1; t < jobs; t++)
		if (pthread_create(&tid[started], NULL, fn, ld) == 0)
			started++;
	fn(ld);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
}

/* The pieces of one file, from ld->pieces[*i] on, into f->ys. */
static void input_join(struct input_loader *ld, size_t *i)
{
	struct input_file *f = ld->pieces[*i].f;
	size_t first = *i, end = first;
	bool whole = false;

	while (end < ld->npieces && ld->pieces[end].f == f)
		whole |= ld->pieces[end++].dl.n > 0;
	ld->in->cut++;
	ld->in->pieces += end - first;
	f->ys = ld->pieces[first].ys;
	memset(&ld->pieces[first].ys, 0, sizeof(f->ys));
	for (size_t k = first + 1; k < end && !whole; k++)
		whole = ystream_append(&f->ys, &ld->pieces[k].ys) < 0;
	for (size_t k = first; k < end; k++) {
		ystream_release(&ld->pieces[k].ys);
		diag_list_release(&ld->pieces[k].dl);
	}
	if (whole) {		/* the serial load, for the serial diagnostics */
		ld->in->whole_again++;
		ystream_release(&f->ys);
		ystream_load_buffer(&f->ys, input_load_name(f), f->buf, f->len, &f->dl);
	}
	*i = end;
}

void input_load(struct input_set *in, unsigned jobs)
{
	struct input_loader ld = { .in = in, .jobs = jobs };

	/*
	** Documents load in path order, whatever order the PATHs came in, so
	** that "the first" object of several (which cross-object rules name)
	** and so the report do not change with the order of the arguments
	** (`find | xargs`, a pre-commit file list).
	*/
	if (in->n > 1)
		qsort(in->v, in->n, sizeof(*in->v), input_file_cmp);
	strmap_release(&in->seen);	/* its indices moved; every file is added */
	strmap_init(&in->seen);
	atomic_init(&ld.next, 0);
	atomic_init(&ld.next_piece, 0);
	pthread_mutex_init(&ld.lock, NULL);
	input_parallel(&ld, jobs < in->n ? jobs : (unsigned)in->n, input_load_worker);
	if (ld.npieces) {
		input_parallel(&ld, jobs < ld.npieces ? jobs : (unsigned)ld.npieces,
			       input_piece_worker);
		for (size_t i = 0; i < ld.npieces;)
			input_join(&ld, &i);
	}
	for (size_t i = 0; i < in->n; i++) {	/* a file is read again for its comments */
		struct input_file *f = &in->v[i];

		if (f->buf && !f->keep) {
			free(f->buf);
			f->buf = NULL;
			f->len = 0;
		}
	}
	pthread_mutex_destroy(&ld.lock);
	free(ld.pieces);
}

size_t input_bytes(const struct input_set *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n; i++)
		n += in->v[i].size;
	return n;
}

/* buf as UTF-8: UTF-16 text converted (buf freed), anything else as it is. */
static char *input_utf8(char *buf, size_t *len)
{
	char *u;

	if (!buf || !util_utf16_bom(buf, *len))
		return buf;
	u = util_utf16_to_utf8(buf, *len, len);
	free(buf);
	return u;
}

char *input_take_text(struct input_set *in, size_t i, size_t *len)
{
	struct input_file *f = &in->v[i];
	char *buf = f->buf;

	if (!buf)
		return input_read_text(in, i, len);
	*len = f->len;
	f->buf = NULL;
	f->len = 0;
	return input_utf8(buf, len);
}

char *input_read_text(const struct input_set *in, size_t i, size_t *len)
{
	const struct input_file *f = &in->v[i];
	struct diag_list dl = DIAG_LIST_INIT;
	char *buf;

	if (f->buf) {
		buf = xmalloc(f->len + 1);
		memcpy(buf, f->buf, f->len);
		buf[f->len] = '\0';
		*len = f->len;
		return input_utf8(buf, len);
	}
	buf = util_read_file(f->path, 0, len, &dl);
	diag_list_release(&dl);
	return input_utf8(buf, len);
}
