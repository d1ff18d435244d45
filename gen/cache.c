/*
** cache.c: the render cache of sparkgen -o (see cache.h, docs/gitops.md).
**
** One file per output directory, in $SPARKGEN_CACHE (default
** $XDG_CACHE_HOME/sparkgen, else ~/.cache/sparkgen), named after a hash of
** the directory's absolute path:
**
**   sparkgen-cache 4\n
**   app KEY NAMESPACE NAME PREFIX|- DEFAULTCLASS|- DRIVERSA|+|- RBAC(+|-) NOBJ\n
**   then NOBJ times:
**   obj KIND NAMESPACE|- NAME LEN SHA256\n LEN bytes of YAML \n
**   end CHECKSUM\n
**
** CHECKSUM (a fast 64-bit one, gen_cache_sum) covers everything before "end":
** a file cut short or damaged is ignored as a whole.
**
** KEY = sha256(global key, the description's path and bytes); the global
** key hashes the version, the build IDs of every loaded object (sparkgen,
** libyaml, jansson, Lua, libc), --env, the schema file and every file the
** template loader reads.  A key that matches means the same inputs, so the
** same YAML: there is nothing to verify but the file's own framing.
*/
#define _GNU_SOURCE	/* dl_iterate_phdr */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buildid.h"
#include "strbuf.h"
#include "util.h"

#ifndef SK_VERSION
#define SK_VERSION "0.0.0"
#endif

#define CACHE_MAGIC "sparkgen-cache 4\n"
#define CACHE_PREFIX "tree-"
#define CACHE_MAX_TEMPLATES 1000	/* tmpl.c's TMPL_MAX_FILES */
#define CACHE_MAX_AGE (30L * 24 * 3600)	/* unused cache files are dropped after this */

/* "LEN:BYTES": no two different sequences of fields hash alike. */
static void cache_field(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_addf(sb, "%zu:", len);
	strbuf_add(sb, data, len);
}

/* A whole regular file (NUL-terminated), or NULL. */
static char *cache_slurp(const char *path, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf = NULL;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(buf = malloc((cap = (size_t)st.st_size + 1) + 1)))
		goto out_fail;
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);
			if (!nb)
				goto out_fail;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out_fail;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n < cap)
			break;	/* a regular file reads short only at its end */
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
out_fail:
	close(fd);
	free(buf);
	return NULL;
}

/* ---- the global key ----------------------------------------------------- */

struct cache_ids {
	struct strbuf *sb;
	bool missing;		/* a loaded object without a build ID */
};

/* The GNU build ID of every loaded object: any change of code changes it. */
static int cache_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct cache_ids *ids = arg;
	size_t len;
	const unsigned char *id = buildid_note(info, &len);

	(void)size;
	if (id) {
		cache_field(ids->sb, info->dlpi_name, strlen(info->dlpi_name));
		cache_field(ids->sb, id, len);
	}
	/* the vDSO and the main program have an empty name; the vDSO is data */
	if (!id && info->dlpi_name[0] && !strstr(info->dlpi_name, "linux-vdso"))
		ids->missing = true;
	if (!id && !info->dlpi_name[0] && info->dlpi_addr == 0)
		ids->missing = true;	/* not a PIE: cannot tell, be safe */
	return 0;
}

static int cache_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What tmpl_set_load reads: the *.yaml and *.yml files (sorted), lib.lua. */
static int cache_templates(struct strbuf *sb, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, *lib, *libpath;
	size_t n = 0, alloc = 0, len;
	int rc = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !(util_has_suffix(e->d_name, ".yaml") ||
					     util_has_suffix(e->d_name, ".yml")))
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			names = xrealloc(names, alloc * sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n == 0 || n > CACHE_MAX_TEMPLATES)
		rc = -1;	/* an error, or the loader would pick by readdir order */
	if (n > 1)
		qsort(names, n, sizeof *names, cache_cmp_name);
	strbuf_addf(sb, "templates %zu\n", n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *path = util_path_join(dir, names[i]);
		char *text = cache_slurp(path, &len);

		if (!text)
			rc = -1;
		else {
			cache_field(sb, names[i], strlen(names[i]));
			cache_field(sb, text, len);
		}
		free(text);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	libpath = util_path_join(dir, "lib.lua");
	if (rc == 0 && access(libpath, F_OK) == 0) {
		if ((lib = cache_slurp(libpath, &len))) {
			strbuf_addstr(sb, "lib ");
			cache_field(sb, lib, len);
			free(lib);
		} else {
			rc = -1;
		}
	}
	free(libpath);
	return rc;
}

static int cache_global(struct gen_cache *c, const struct gen_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct cache_ids ids = { &sb, false };
	char *schema, *tdir, *text = NULL;
	size_t len;
	int rc = -1;

	strbuf_addstr(&sb, "sparkgen render cache 1\nversion " SK_VERSION "\nbuild ");
	dl_iterate_phdr(cache_build_id, &ids);
	strbuf_addstr(&sb, "\nenv ");
	if (o->env)
		cache_field(&sb, o->env, strlen(o->env));
	else
		strbuf_addstr(&sb, "-");
	gen_paths(o, &schema, &tdir);
	if (!ids.missing && schema && tdir && (text = cache_slurp(schema, &len))) {
		strbuf_addstr(&sb, "\nschema ");
		cache_field(&sb, text, len);
		strbuf_addch(&sb, '\n');
		rc = cache_templates(&sb, tdir);
	}
	if (rc == 0 && !sb.oom)
		sha256_hex(sb.buf, sb.len, c->global);
	else
		rc = -1;
	free(text);
	free(schema);
	free(tdir);
	strbuf_release(&sb);
	return rc;
}

/* ---- the file ----------------------------------------------------------- */

static char *cache_file_of(const char *outdir)
{
	const char *env = getenv("SPARKGEN_CACHE"), *base;
	char *dir, *abs, *file, cwd[4096], hex[SHA256_HEX_LEN + 1];

	if (env && (!*env || !strcmp(env, "off")))
		return NULL;
	if (env) {
		dir = xstrdup(env);
	} else if ((base = getenv("XDG_CACHE_HOME")) && *base == '/') {
		dir = util_path_join(base, "sparkgen");
	} else if ((base = getenv("HOME")) && *base == '/') {
		char *dot = util_path_join(base, ".cache");
		dir = util_path_join(dot, "sparkgen");
		free(dot);
	} else {
		return NULL;
	}
	if (outdir[0] == '/')
		abs = xstrdup(outdir);
	else if (getcwd(cwd, sizeof cwd))
		abs = util_path_join(cwd, outdir);
	else
		abs = NULL;
	if (!abs) {
		free(dir);
		return NULL;
	}
	sha256_hex(abs, strlen(abs), hex);
	hex[32] = '\0';
	free(abs);
	file = xmalloc(strlen(dir) + sizeof CACHE_PREFIX + 32 + 1);
	sprintf(file, "%s/" CACHE_PREFIX "%s", dir, hex);
	free(dir);
	return file;
}

/* A fast checksum of the file body (not a defence against anyone: the cache is private). */
uint64_t gen_cache_sum(const char *p, size_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h[4] = { 0x243f6a8885a308d3ULL ^ len, 0x13198a2e03707344ULL,
			  0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL }, w;

	for (; len >= 32; p += 32, len -= 32)
		for (int i = 0; i < 4; i++) {
			memcpy(&w, p + 8 * i, 8);
			h[i] = (h[i] ^ w) * k;
			h[i] ^= h[i] >> 29;
		}
	for (; len; p++, len--) {
		h[0] = (h[0] ^ (unsigned char)*p) * k;
		h[0] ^= h[0] >> 29;
	}
	for (int i = 1; i < 4; i++) {
		h[0] = (h[0] ^ h[i]) * k;
		h[0] ^= h[0] >> 29;
	}
	return h[0];
}

/*
** The next space- or newline-terminated word at *p, copied NUL-terminated
** to the word arena (NULL for "-" when dash_null).
*/
static bool cache_word(struct cache_words *words, const char **p, const char *end, char stop,
		       bool dash_null, const char **out)
{
	const char *w = *p, *e = w;

	while (e < end && *e != ' ' && *e != '\n')
		e++;
	if (e == end || e == w || *e != stop)
		return false;
	*p = e + 1;
	if (dash_null && e - w == 1 && *w == '-') {
		*out = NULL;
		return true;
	}
	*out = words->buf + words->len;
	memcpy(words->buf + words->len, w, (size_t)(e - w));	/* fits: see cache_parse */
	words->len += (size_t)(e - w);
	words->buf[words->len++] = '\0';
	return true;
}

static bool cache_number(const char *w, size_t *out)
{

	if (strspn(w, "0123456789") != strlen(w) || strlen(w) > 12)
		return false;
	*out = (size_t)strtoull(w, NULL, 10);
	return true;
}

static int cache_cmp_app(const void *a, const void *b)
{
	return strcmp(((const struct gen_cache_app *)a)->key,
		      ((const struct gen_cache_app *)b)->key);
}

/* Parse the file c->map (len bytes); false when it is not a whole cache file. */
static bool cache_parse(struct gen_cache *c, size_t len)
{
	const char *p = c->map, *end = c->map + len, *tail, *num, *rbac;
	size_t napps = 0, nobjs = 0, aapps = 0, aobjs = 0;
	struct cache_words *words = &c->words;
	char sum[32];

	/* the last line is "end CHECKSUM\n", over everything before it */
	if (len < sizeof CACHE_MAGIC - 1 + 6 || memcmp(p, CACHE_MAGIC, sizeof CACHE_MAGIC - 1) ||
	    end[-1] != '\n')
		return false;
	for (tail = end - 2; tail > p && *tail != '\n'; tail--)
		;
	tail++;
	snprintf(sum, sizeof sum, "end %016llx\n",
		 (unsigned long long)gen_cache_sum(c->map, (size_t)(tail - c->map)));
	if ((size_t)(end - tail) != strlen(sum) || memcmp(tail, sum, strlen(sum)))
		return false;
	end = tail;
	p += sizeof CACHE_MAGIC - 1;
	/* every word and its NUL replace a word and its separator: len bytes do */
	if (!(words->buf = malloc(len)))
		return false;
	while (end - p >= 4 && !memcmp(p, "app ", 4)) {
		struct gen_cache_app *a;
		size_t nobj;

		p += 4;
		if (napps == aapps) {
			aapps = aapps ? 2 * aapps : 64;
			c->apps = xrealloc(c->apps, aapps * sizeof *c->apps);
		}
		a = &c->apps[napps++];
		memset(a, 0, sizeof *a);
		if (!cache_word(words, &p, end, ' ', false, &a->key) ||
		    !cache_word(words, &p, end, ' ', false, &a->ns) ||
		    !cache_word(words, &p, end, ' ', false, &a->app) ||
		    !cache_word(words, &p, end, ' ', true, &a->prefix) ||
		    !cache_word(words, &p, end, ' ', true, &a->default_class) ||
		    !cache_word(words, &p, end, ' ', true, &a->named_sa) ||
		    !cache_word(words, &p, end, ' ', false, &rbac) ||
		    !cache_word(words, &p, end, '\n', false, &num) ||
		    !cache_number(num, &nobj) || (strcmp(rbac, "+") && strcmp(rbac, "-")))
			return false;
		a->rbac = rbac[0] == '+';
		if (a->named_sa && !strcmp(a->named_sa, "+")) {
			a->named_sa = NULL;
			a->own_sa = true;
		}
		a->nobj = nobj;
		a->objs = (struct gen_cache_obj *)(uintptr_t)nobjs;	/* an index until the end */
		for (size_t i = 0; i < nobj; i++) {
			struct gen_cache_obj *o;
			size_t ylen;

			if (end - p < 4 || memcmp(p, "obj ", 4))
				return false;
			p += 4;
			if (nobjs == aobjs) {
				aobjs = aobjs ? 2 * aobjs : 256;
				c->objs = xrealloc(c->objs, aobjs * sizeof *c->objs);
			}
			o = &c->objs[nobjs++];
			if (!cache_word(words, &p, end, ' ', false, &o->kind) ||
			    !cache_word(words, &p, end, ' ', true, &o->ns) ||
			    !cache_word(words, &p, end, ' ', false, &o->name) ||
			    !cache_word(words, &p, end, ' ', false, &num) ||
			    !cache_number(num, &ylen) ||
			    !cache_word(words, &p, end, '\n', false, &o->sha256) ||
			    ylen == 0 || ylen >= (size_t)(end - p) || p[ylen] != '\n')
				return false;
			o->yaml = p;
			o->len = ylen;
			p += ylen + 1;
		}
	}
	if (p != end)
		return false;
	for (size_t i = 0; i < napps; i++) {
		struct gen_cache_app *a = &c->apps[i];

		if (strlen(a->key) != SHA256_HEX_LEN)
			return false;
		/* no objects at all: c->objs is NULL, and NULL + 0 is undefined */
		a->objs = a->nobj ? c->objs + (uintptr_t)a->objs : NULL;
	}
	for (size_t i = 0; i < nobjs; i++)
		if (strlen(c->objs[i].sha256) != SHA256_HEX_LEN)
			return false;
	c->napps = napps;
	if (napps > 1)
		qsort(c->apps, napps, sizeof *c->apps, cache_cmp_app);
	return true;
}

/* Map the cache file read-only (the YAML is used in place), or NULL. */
static const char *cache_map(const char *path, size_t *len)
{
	struct stat st;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);

	if (fd < 0)
		return NULL;
	/* only a file of ours that nobody else can write: its YAML goes into trees */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return m;
}

void gen_cache_open(struct gen_cache *c, const char *outdir, const struct gen_options *o)
{
	size_t len;

	memset(c, 0, sizeof *c);
	if (o->verbose || !(c->file = cache_file_of(outdir)))
		return;	/* --verbose: template print() must run */
	if (cache_global(c, o) < 0) {
		free(c->file);
		c->file = NULL;
		return;
	}
	c->enabled = true;
	if ((c->map = cache_map(c->file, &len)) && (c->maplen = len) && !cache_parse(c, len)) {
		free(c->apps);
		free(c->objs);
		c->apps = NULL;
		c->objs = NULL;
		c->napps = 0;
	}
}

void gen_cache_close(struct gen_cache *c)
{
	free(c->file);
	if (c->map)
		munmap((void *)c->map, c->maplen);
	free(c->words.buf);
	free(c->apps);
	free(c->objs);
	memset(c, 0, sizeof *c);
}

char *gen_cache_read(struct gen_cache *c, const char *path, size_t *len,
		     char key[SHA256_HEX_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (!c->enabled || !strcmp(path, "-") || !(text = cache_slurp(path, len)))
		return NULL;
	strbuf_add(&sb, c->global, SHA256_HEX_LEN);
	cache_field(&sb, path, strlen(path));
	cache_field(&sb, text, *len);
	if (sb.oom) {
		strbuf_release(&sb);
		free(text);
		return NULL;
	}
	sha256_hex(sb.buf, sb.len, key);
	strbuf_release(&sb);
	return text;
}

bool gen_cache_unchanged(const char *path, const char *text, size_t len)
{
	size_t now;
	char *again = cache_slurp(path, &now);
	bool same = again && now == len && !memcmp(again, text, len);

	free(again);
	return same;
}

struct gen_cache_app *gen_cache_find(struct gen_cache *c, const char *key)
{
	struct gen_cache_app k;

	memset(&k, 0, sizeof k);
	k.key = key;
	if (!c->napps)
		return NULL;
	return bsearch(&k, c->apps, c->napps, sizeof *c->apps, cache_cmp_app);
}

/* Drop other trees' cache files nobody used for CACHE_MAX_AGE. */
static void cache_expire(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (strncmp(e->d_name, CACHE_PREFIX, sizeof CACHE_PREFIX - 1) ||
		    strlen(e->d_name) != sizeof CACHE_PREFIX - 1 + 32 || !strcmp(e->d_name, keep))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && now - st.st_mtime > CACHE_MAX_AGE)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* A word of the file: not empty, no space, no line break. */
static bool cache_word_ok(const char *s)
{
	return s && *s && !strpbrk(s, " \n\r");
}

static bool cache_app_ok(const struct gen_cache_app *a)
{
	if (!cache_word_ok(a->ns) || !cache_word_ok(a->app) ||
	    (a->prefix && (!cache_word_ok(a->prefix) || !strcmp(a->prefix, "-"))) ||
	    (a->default_class && (!cache_word_ok(a->default_class) ||
				  !strcmp(a->default_class, "-"))) ||
	    (a->named_sa && (a->own_sa || !cache_word_ok(a->named_sa) ||
			     !strcmp(a->named_sa, "-") || !strcmp(a->named_sa, "+"))))
		return false;
	for (size_t k = 0; k < a->nobj; k++)
		if (!cache_word_ok(a->objs[k].kind) || !cache_word_ok(a->objs[k].name) ||
		    (a->objs[k].ns && (!cache_word_ok(a->objs[k].ns) || !strcmp(a->objs[k].ns, "-"))) ||
		    a->objs[k].len == 0 || !a->objs[k].sha256)
			return false;
	return true;
}

void gen_cache_save(struct gen_cache *c, struct gen_cache_app *apps, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag_list quiet = DIAG_LIST_INIT;
	char *dir;

	if (!c->enabled)
		return;
	if (n > 1)
		qsort(apps, n, sizeof *apps, cache_cmp_app);
	strbuf_addstr(&sb, CACHE_MAGIC);
	for (size_t i = 0; i < n; i++) {
		if ((i && !strcmp(apps[i - 1].key, apps[i].key)) || !cache_app_ok(&apps[i]))
			continue;
		strbuf_addf(&sb, "app %s %s %s %s %s %s %s %zu\n", apps[i].key, apps[i].ns, apps[i].app,
			    apps[i].prefix ? apps[i].prefix : "-",
			    apps[i].default_class ? apps[i].default_class : "-",
			    apps[i].own_sa ? "+" : apps[i].named_sa ? apps[i].named_sa : "-",
			    apps[i].rbac ? "+" : "-", apps[i].nobj);
		for (size_t k = 0; k < apps[i].nobj; k++) {
			const struct gen_cache_obj *o = &apps[i].objs[k];

			strbuf_addf(&sb, "obj %s %s %s %zu %s\n", o->kind, o->ns ? o->ns : "-",
				    o->name, o->len, o->sha256);
			strbuf_add(&sb, o->yaml, o->len);
			strbuf_addch(&sb, '\n');
		}
	}
	if (!sb.oom)
		strbuf_addf(&sb, "end %016llx\n", (unsigned long long)gen_cache_sum(sb.buf, sb.len));
	dir = util_dirname(c->file);
	if (!sb.oom && dir) {
		/* mkdir -p, private: the cache holds what the descriptions hold */
		for (char *s = strchr(dir + 1, '/'); ; s = strchr(s + 1, '/')) {
			if (s)
				*s = '\0';
			mkdir(dir, 0700);
			if (!s)
				break;
			*s = '/';
		}
		if (util_write_atomic(c->file, sb.buf, sb.len, 0600, &quiet) == 0)
			cache_expire(dir, util_basename(c->file));
	}
	free(dir);
	diag_list_release(&quiet);
	strbuf_release(&sb);
}
