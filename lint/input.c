/*
** input.c: collecting and loading the manifest files (see input.h).
*/
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"
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

/* "./a/b" -> "a/b"; keeps "." and "/" alone. */
static const char *input_clean(const char *path)
{
	while (path[0] == '.' && path[1] == '/' && path[2])
		path += 2;
	return path;
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

/* Add one regular file (already known to exist). */
static void input_add_file(struct input_set *in, const char *path, bool reported,
			   const struct config *cfg, size_t size)
{
	char *real = realpath(path, NULL);
	size_t idx;

	if (!real)
		real = xstrdup(path);
	if (cfg && config_excluded(cfg, real)) {
		in->excluded++;
		free(real);
		return;
	}
	if (strmap_get(&in->seen, real, strlen(real), &idx)) {
		in->v[idx].reported |= reported;
		free(real);
		return;
	}
	strmap_put(&in->seen, real, strlen(real), in->n);
	input_push(in, path, real, reported);
	in->v[in->n - 1].size = size;
}

static int input_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the entry names of `path`, sorted; hidden entries left out. */
static int input_list_dir(const char *path, char ***names, size_t *n,
			  struct diag_list *dl)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t alloc = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return diag_addf(dl, DIAG_ERROR, "io", input_pos(path),
				 "cannot open directory '%s': %s", path,
				 strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			*names = xrealloc(*names, alloc * sizeof(char *));
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(char *), input_name_cmp);
	return 0;
}

static int input_walk(struct input_set *in, const char *dir, const struct stat *st,
		      bool reported, const struct config *cfg, struct diag_list *dl);

/* One directory entry: recurse into directories, take manifest files. */
static int input_entry(struct input_set *in, const char *dir, const char *name,
		       bool reported, const struct config *cfg,
		       struct diag_list *dl)
{
	char *p = strcmp(dir, ".") ? util_path_join(dir, name) : xstrdup(name);
	struct stat st;
	int ret = 0;

	if (!p)
		p = xstrdup(name);
	if (stat(p, &st) < 0) {
		if (errno != ENOENT)	/* dangling symlinks are skipped */
			ret = diag_addf(dl, DIAG_ERROR, "io", input_pos(p),
					"cannot open '%s': %s", p, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		ret = input_walk(in, p, &st, reported, cfg, dl);
	} else if (S_ISREG(st.st_mode) && input_is_manifest(name)) {
		input_add_file(in, p, reported, cfg, (size_t)st.st_size);
	}
	free(p);
	return ret;
}

static int input_walk(struct input_set *in, const char *dir, const struct stat *st,
		      bool reported, const struct config *cfg, struct diag_list *dl)
{
	char key[64], **names;
	size_t n;
	int ret = 0;

	snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	if (!strmap_put(&in->dirs, key, strlen(key), 0))
		return 0;	/* already walked: a symlink loop or a repeat */
	if (input_list_dir(dir, &names, &n, dl) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (input_entry(in, dir, names[i], reported, cfg, dl) < 0)
			ret = -1;
		free(names[i]);
	}
	free(names);
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
		return input_walk(in, path, &st, reported, cfg, dl);
	input_add_file(in, path, reported, cfg, (size_t)st.st_size);
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

struct input_loader {
	struct input_set *in;
	atomic_size_t next;	/* next file to load */
};

static void input_load_one(struct input_file *f)
{
	if (strcmp(f->path, "-")) {
		ystream_load_file(&f->ys, f->path, &f->dl);
		return;
	}
	f->buf = util_read_file("-", 0, &f->len, &f->dl);
	f->size = f->len;
	if (f->buf)
		ystream_load_buffer(&f->ys, f->name, f->buf, f->len, &f->dl);
}

static void *input_load_worker(void *arg)
{
	struct input_loader *ld = arg;
	size_t i;

	while ((i = atomic_fetch_add(&ld->next, 1)) < ld->in->n)
		input_load_one(&ld->in->v[i]);
	return NULL;
}

void input_load(struct input_set *in, unsigned jobs)
{
	struct input_loader ld = { .in = in };
	pthread_t *tid;
	unsigned started = 0;

	atomic_init(&ld.next, 0);
	if (jobs > in->n)
		jobs = (unsigned)in->n;
	if (jobs <= 1) {
		input_load_worker(&ld);
		return;
	}
	tid = xcalloc(jobs, sizeof(*tid));
	for (unsigned t = 1; t < jobs; t++)
		if (pthread_create(&tid[started], NULL, input_load_worker, &ld) == 0)
			started++;
	input_load_worker(&ld);	/* this thread works too */
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
}

size_t input_bytes(const struct input_set *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n; i++)
		n += in->v[i].size;
	return n;
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
		return buf;
	}
	buf = util_read_file(f->path, 0, len, &dl);
	diag_list_release(&dl);
	return buf;
}
