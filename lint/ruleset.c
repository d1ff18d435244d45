/*
** ruleset.c: finding rule directories, reading rule and module sources,
** checking a rule's table against the rule API, applying the config.
*/
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "embed.h"
#include "luahost.h"
#include "ruleset.h"
#include "strbuf.h"
#include "suggest.h"
#include "util.h"

void ruleset_init(struct ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

static void ruleset_source_release(struct lint_source *s)
{
	free(s->path);
	free(s->chunkname);
	free(s->name);
	free(s->dir);
	free(s->src_buf);
	free(s->bc);
}

static void ruleset_rule_release(struct lint_rule *r)
{
	ruleset_source_release(&r->s);
	free(r->id);
	free(r->category);
	free(r->description);
	free(r->hint);
	for (size_t i = 0; i < r->nkinds; i++)
		free(r->kinds[i]);
	free(r->kinds);
	for (size_t i = 0; i < r->napi_versions; i++)
		free(r->api_versions[i]);
	free(r->api_versions);
	json_decref(r->options);
}

void ruleset_release(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		ruleset_rule_release(&rs->v[i]);
	free(rs->v);
	for (size_t i = 0; i < rs->nmods; i++)
		ruleset_source_release(&rs->mods[i]);
	free(rs->mods);
	for (size_t i = 0; i < rs->ndirs; i++)
		free(rs->dirs[i]);
	free(rs->dirs);
	luahost_close(rs->warm);
	ruleset_init(rs);
}

/* ---- locating and reading ----------------------------------------------- */

/* A directory that holds at least one rule file (*.lua). */
static bool ruleset_has_rules(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		found = strlen(e->d_name) > 4 && util_has_suffix(e->d_name, ".lua");
	}
	closedir(d);
	return found;
}

/*
** Candidates in the order of ruleset.h: next to the executable means a
** source tree, a build tree or an install's ../share/sparkgen/rules.  A
** candidate counts only when it holds rule files, so that a stray `rules`
** directory (say, in a build tree) cannot hide the real one.
*/
char *ruleset_builtin_dir(void)
{
	static const char *const rel[] = {
		"rules", "../../rules", "../share/sparkgen/rules",
	};
	const char *env = getenv("SPARKLINT_RULES_DIR");
	char *exe = NULL;

	if (env && *env)
		return xstrdup(env);
	exe = util_exe_dir();
	for (size_t i = 0; exe && i < countof(rel); i++) {
		char *p = util_path_join(exe, rel[i]);
		char *real = p ? realpath(p, NULL) : NULL;

		free(p);
		if (real && ruleset_has_rules(real)) {
			free(exe);
			return real;
		}
		free(real);
	}
	free(exe);
	return ruleset_has_rules(SK_DATADIR "/rules") ? xstrdup(SK_DATADIR "/rules") :
							NULL;
}

char *ruleset_display_path(const char *path)
{
	char cwd[PATH_MAX], *real = realpath(path, NULL);
	size_t n;

	if (!real)
		return xstrdup(path);
	if (getcwd(cwd, sizeof(cwd)) && (n = strlen(cwd)) > 1 &&
	    !strncmp(real, cwd, n) && real[n] == '/') {
		char *rel = xstrdup(real + n + 1);

		free(real);
		return rel;
	}
	return real;
}

static int ruleset_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
** Sorted "*.lua" names in `dir` (caller frees), and the directory still
** open (caller closes), for reading them with openat; NULL when unreadable.
*/
static DIR *ruleset_list(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t alloc = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !util_has_suffix(e->d_name, ".lua"))
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			*names = xrealloc(*names, alloc * sizeof(char *));
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	if (*n)
		qsort(*names, *n, sizeof(char *), ruleset_name_cmp);
	return d;
}

/* ruleset_list for a rules directory, which must be readable: NULL with a diagnostic. */
static DIR *ruleset_open_dir(const char *dir, char ***names, size_t *n,
			     struct diag_list *dl)
{
	DIR *d = ruleset_list(dir, names, n);
	int err = errno;

	if (!d)
		diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ util_intern(dir), 0, 0 },
			  "cannot open rules directory '%s': %s", dir, strerror(err));
	return d;
}

/*
** `name` in `dir`, open as `d`; `shown` is ruleset_display_path(dir),
** worked out once per directory.
*/
static int ruleset_source_read(struct lint_source *s, const char *dir, DIR *d,
			       const char *shown, const char *name, bool builtin,
			       struct diag_list *dl)
{
	memset(s, 0, sizeof(*s));
	s->path = util_path_join(shown, name);
	if (!s->path)
		s->path = xstrdup(name);
	s->file = util_intern(s->path);
	s->name = xstrndup(name, strlen(name) - 4);
	s->dir = xstrdup(dir);
	s->chunkname = xmalloc(strlen(s->path) + 2);
	s->chunkname[0] = '@';
	strcpy(s->chunkname + 1, s->path);
	s->builtin = builtin;
	if (!(s->src = s->src_buf = util_read_file_at(dirfd(d), name, s->path, 0,
						      &s->len, dl)))
		return -1;
	/*
	** A built-in file as it was built: its bytecode will be used, and the
	** program's copy of the text serves as well as the one just read, which
	** goes back to malloc for the next file (its pages fault in once, not
	** once per file: 23 of the 218 page faults of a run on one small file).
	*/
	if ((s->chunk = embed_find(s->src, s->len))) {
		s->src = s->chunk->src;
		free(s->src_buf);
		s->src_buf = NULL;
	}
	return 0;
}

/* The module named `name`, or NULL. */
static struct lint_source *ruleset_find_mod(const struct ruleset *rs,
					    const char *name)
{
	for (size_t i = 0; i < rs->nmods; i++)
		if (!strcmp(rs->mods[i].name, name))
			return &rs->mods[i];
	return NULL;
}

/* Same file already read (by display path, which is a real path)? */
static int ruleset_duplicate(const struct lint_source *old,
			     const struct lint_source *s, const char *what,
			     struct diag_list *dl)
{
	struct diag_pos pos = { s->file, 0, 0 };

	if (!strcmp(old->path, s->path))
		return 0;
	return diag_addf(dl, DIAG_ERROR, "rule-error", pos,
			 "%s '%s' is defined twice: '%s' and '%s'", what,
			 s->name, old->path, s->path);
}

static int ruleset_add_rules(struct ruleset *rs, const char *dir, bool builtin,
			     struct diag_list *dl)
{
	char **names, *shown;
	size_t n;
	int ret = 0;
	DIR *d;

	if (!(d = ruleset_open_dir(dir, &names, &n, dl)))
		return -1;
	rs->listed += n;
	shown = ruleset_display_path(dir);
	if (n)		/* room for all at once: a copy per rule was 20 page faults */
		rs->v = xrealloc(rs->v, (rs->n + n) * sizeof(*rs->v));
	for (size_t i = 0; i < n; i++) {
		struct lint_rule r, *old;

		memset(&r, 0, sizeof(r));
		if (ruleset_source_read(&r.s, dir, d, shown, names[i], builtin, dl) < 0) {
			ret = -1;
		} else if ((old = ruleset_find(rs, r.s.name))) {
			if (ruleset_duplicate(&old->s, &r.s, "rule", dl) < 0)
				ret = -1;
		} else {
			rs->v[rs->n++] = r;
			memset(&r, 0, sizeof(r));	/* moved */
		}
		ruleset_rule_release(&r);
		free(names[i]);
	}
	closedir(d);
	free(names);
	free(shown);
	return ret;
}

static int ruleset_add_mods(struct ruleset *rs, const char *dir, bool builtin,
			    struct diag_list *dl)
{
	char *lib = util_path_join(dir, "lib"), **names, *shown;
	size_t n;
	int ret = 0;
	DIR *d;

	if (!lib || !util_is_dir(lib) || !(d = ruleset_list(lib, &names, &n))) {
		free(lib);
		return 0;	/* a rules directory need not have modules */
	}
	rs->listed += n;
	shown = ruleset_display_path(lib);
	if (n)
		rs->mods = xrealloc(rs->mods, (rs->nmods + n) * sizeof(*rs->mods));
	for (size_t i = 0; i < n; i++) {
		struct lint_source s, *old;

		if (ruleset_source_read(&s, lib, d, shown, names[i], builtin, dl) < 0) {
			ret = -1;
			ruleset_source_release(&s);
		} else if ((old = ruleset_find_mod(rs, s.name))) {
			if (ruleset_duplicate(old, &s, "module", dl) < 0)
				ret = -1;
			ruleset_source_release(&s);
		} else {
			rs->mods[rs->nmods++] = s;
		}
		free(names[i]);
	}
	closedir(d);
	free(names);
	free(shown);
	free(lib);
	return ret;
}

int ruleset_add_dir(struct ruleset *rs, const char *dir, unsigned flags,
		    struct diag_list *dl)
{
	bool builtin = flags & RULESET_BUILTIN;
	int ret = 0;

	rs->dirs = xrealloc(rs->dirs, (rs->ndirs + 1) * sizeof(char *));
	rs->dirs[rs->ndirs++] = xstrdup(dir);
	if ((flags & RULESET_RULES) && ruleset_add_rules(rs, dir, builtin, dl) < 0)
		ret = -1;
	if ((flags & RULESET_LIB) && ruleset_add_mods(rs, dir, builtin, dl) < 0)
		ret = -1;
	return ret;
}

/*
** One line of ruleset_write_files: `path` (a real path, or one that leads
** nowhere) relative to the working directory when under it, "." when it is
** the working directory; `slash` ends a directory's.  A backslash is
** written \\ and control characters as the text report writes them, so
** that a line stands for one path.
*/
static void ruleset_write_path(struct strbuf *sb, const char *path, bool slash)
{
	char cwd[PATH_MAX];
	const char *s = path;
	size_t n;

	if (getcwd(cwd, sizeof(cwd)) && (n = strlen(cwd)) > 1 &&
	    !strncmp(path, cwd, n) && (path[n] == '/' || !path[n]))
		s = path[n] ? path + n + 1 : ".";
	while (*s) {
		n = strcspn(s, "\\");
		strbuf_add_printable_n(sb, s, n, NULL);
		s += n;
		if (*s)
			strbuf_addstr(sb, "\\\\"), s++;
	}
	if (slash)
		strbuf_addch(sb, '/');
	strbuf_addch(sb, '\n');
}

/* `sb` holds the line `line` (of `n` bytes, its '\n' included). */
static bool ruleset_has_line(const struct strbuf *sb, const char *line, size_t n)
{
	for (const char *s = sb->buf; s < sb->buf + sb->len; s = strchr(s, '\n') + 1)
		if (!strncmp(s, line, n))
			return true;
	return false;
}

/*
** Where `path` leads, as realpath(3) resolves it, except that a part that
** does not exist is kept as named: a symlink that leads nowhere gives the
** path of the file whose deletion broke it.  Each symlink crossed on the
** way (retargeting one changes what is read) is a line of `links`
** (ruleset_write_path), once, but for `path` itself when `own` is false.
** NULL after 40 symlinks (a loop) or with no memory.  Caller frees.
*/
static char *ruleset_follow(const char *path, struct strbuf *links, bool own)
{
	struct strbuf done = STRBUF_INIT;	/* resolved so far, absolute */
	struct strbuf crossed = STRBUF_INIT;	/* the links' lines */
	struct strbuf line = STRBUF_INIT;
	char cwd[PATH_MAX], *todo = xstrdup(path), *p = todo, *real = NULL;
	unsigned hops = 0;
	bool missing = false;			/* a part did not exist */

	strbuf_init(&done);
	strbuf_init(&crossed);
	strbuf_init(&line);
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			goto out_fail;
		strbuf_addstr(&done, cwd[1] ? cwd : "");
	}
	while (*p) {
		char target[PATH_MAX], *next;
		size_t n, len = done.len;
		struct stat st;
		ssize_t k;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (!n || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (done.len && done.buf[--done.len] != '/')
				;
			done.buf[done.len] = '\0';
			p += n;
			continue;
		}
		strbuf_addch(&done, '/');
		strbuf_add(&done, p, n);
		p += n;
		if (missing || done.oom)
			continue;
		if (lstat(done.buf, &st) < 0) {
			missing = true;
			continue;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (own || hops || *p) {
			strbuf_reset(&line);
			ruleset_write_path(&line, done.buf, false);
			if (!ruleset_has_line(&crossed, line.buf, line.len))
				strbuf_add(&crossed, line.buf, line.len);
		}
		k = readlink(done.buf, target, sizeof(target) - 1);
		if (k < 0 || ++hops > 40)
			goto out_fail;
		target[k] = '\0';
		/* the target, then what was left after the link */
		next = xmalloc((size_t)k + strlen(p) + 2);
		sprintf(next, "%s/%s", target, p);
		free(todo);
		p = todo = next;
		done.len = target[0] == '/' ? 0 : len;
		done.buf[done.len] = '\0';
	}
	if (!done.len)
		strbuf_addch(&done, '/');
	if (!done.oom)
		real = strbuf_detach(&done, NULL);
out_fail:
	free(todo);
	if (strbuf_add(links, crossed.buf, crossed.len) < 0 || crossed.oom || line.oom)
		links->oom = true;
	strbuf_release(&crossed);
	strbuf_release(&line);
	strbuf_release(&done);
	return real;
}

/*
** The directory `dir` (shown as `shown`) and where each *.lua file in it
** leads (ruleset_follow, with the symlinks crossed on the way after its
** own); -1 with a diagnostic when it cannot be read.
*/
static int ruleset_write_dir(struct strbuf *sb, const char *dir, const char *shown,
			     struct diag_list *dl)
{
	char **names;
	size_t n;
	DIR *d;

	if (!(d = ruleset_open_dir(dir, &names, &n, dl)))
		return -1;
	closedir(d);
	ruleset_write_path(sb, shown, true);
	for (size_t i = 0; i < n; i++) {
		char *p = util_path_join(shown, names[i]);
		char *real = p ? ruleset_follow(p, sb, false) : NULL;

		ruleset_write_path(sb, real ? real : p ? p : names[i], false);
		free(real);
		free(p);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ruleset_write_files(struct strbuf *sb, const char *dir, struct diag_list *dl)
{
	char *real = ruleset_follow(dir, sb, true), *lib, *rlib;
	int ret;

	if (!real)
		real = xstrdup(dir);
	if (ruleset_write_dir(sb, dir, real, dl) < 0) {
		free(real);
		return -1;
	}
	/* lib/ where it would be when there is none: a module added there */
	lib = util_path_join(real, "lib");
	if (!lib)
		lib = xstrdup("lib");
	rlib = ruleset_follow(lib, sb, true);
	if (!util_is_dir(lib)) {
		ruleset_write_path(sb, rlib ? rlib : lib, true);
		ret = 0;
	} else {
		ret = ruleset_write_dir(sb, lib, rlib ? rlib : lib, dl);
	}
	free(rlib);
	free(lib);
	free(real);
	return ret;
}

static int ruleset_rule_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lint_rule *)a)->s.name,
		      ((const struct lint_rule *)b)->s.name);
}

static int ruleset_mod_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lint_source *)a)->name,
		      ((const struct lint_source *)b)->name);
}

void ruleset_sort(struct ruleset *rs)
{
	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), ruleset_rule_cmp);
	if (rs->nmods > 1)
		qsort(rs->mods, rs->nmods, sizeof(*rs->mods), ruleset_mod_cmp);
}

struct lint_rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].s.name, id))
			return &rs->v[i];
	return NULL;
}

/* ---- checking a rule's table -------------------------------------------- */

static bool ruleset_idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Line of the last unindented "return" (the rule table), else 1. */
static unsigned ruleset_return_line(const char *src, size_t len)
{
	const char *p = src, *end = src + len;
	unsigned line = 1, found = 0;

	for (;;) {
		if (end - p >= 6 && !memcmp(p, "return", 6) &&
		    (end - p == 6 || !ruleset_idch(p[6])))
			found = line;
		if (!(p = memchr(p, '\n', (size_t)(end - p))))
			break;
		p++;
		line++;
	}
	return found ? found : 1;
}

/* First "name =" at or after line `from`; 0 when absent.  *col set. */
static unsigned ruleset_scan_field(const char *src, size_t len, const char *name,
				   unsigned from, unsigned *col)
{
	size_t n = strlen(name), bol = 0;
	unsigned line = 1;

	for (size_t i = 0; i + n <= len; i++) {
		if (src[i] == '\n') {
			line++;
			bol = i + 1;
			continue;
		}
		if (line < from || memcmp(src + i, name, n) ||
		    (i > 0 && ruleset_idch(src[i - 1])) ||
		    (i + n < len && ruleset_idch(src[i + n])))
			continue;
		size_t j = i + n;

		while (j < len && (src[j] == ' ' || src[j] == '\t'))
			j++;
		if (j < len && src[j] == '=' && (j + 1 >= len || src[j + 1] != '=')) {
			*col = (unsigned)(i - bol) + 1;
			return line;
		}
	}
	return 0;
}

unsigned ruleset_field_line(const char *src, size_t len, const char *name)
{
	unsigned col, line;

	line = ruleset_scan_field(src, len, name, ruleset_return_line(src, len), &col);
	return line ? line : ruleset_scan_field(src, len, name, 1, &col);
}

/* Position of field `name` in the rule's source (the table when absent). */
static struct diag_pos ruleset_field_pos(const struct lint_rule *r,
					 const char *name)
{
	struct diag_pos pos = { r->s.file, r->line, 1 };
	unsigned col = 1, line = 0;

	if (name) {
		line = ruleset_scan_field(r->s.src, r->s.len, name, r->line, &col);
		if (!line)
			line = ruleset_scan_field(r->s.src, r->s.len, name, 1, &col);
	}
	if (line) {
		pos.line = line;
		pos.col = col;
	}
	return pos;
}

static int ruleset_bad(const struct lint_rule *r, const char *field,
		       struct diag_list *dl, const char *fmt, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	strbuf_addf(&sb, fmt, arg ? arg : "");
	diag_addf(dl, DIAG_ERROR, "rule-error", ruleset_field_pos(r, field),
		  "malformed rule '%s': %s", r->s.name, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static const struct ruleset_field {
	const char *name;
	int type;
	bool required;
} ruleset_fields[] = {
	{ "id", LUA_TSTRING, true },
	{ "severity", LUA_TSTRING, true },
	{ "category", LUA_TSTRING, true },
	{ "description", LUA_TSTRING, true },
	{ "hint", LUA_TSTRING, true },
	{ "kinds", LUA_TTABLE, false },
	{ "apiVersions", LUA_TTABLE, false },
	{ "options", LUA_TTABLE, false },
	{ "check", LUA_TFUNCTION, false },
	{ "finish", LUA_TFUNCTION, false },
};

static const struct ruleset_field *ruleset_field(const char *name)
{
	for (size_t i = 0; i < countof(ruleset_fields); i++)
		if (!strcmp(ruleset_fields[i].name, name))
			return &ruleset_fields[i];
	return NULL;
}

/* Unknown fields, reported in sorted order (lua_next's order is not stable). */
static int ruleset_unknown_fields(struct lint_rule *r, lua_State *L, int idx,
				  struct diag_list *dl)
{
	char **bad = NULL;
	size_t n = 0;
	int ret = 0;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			bad = xrealloc(bad, (n + 1) * sizeof(char *));
			bad[n++] = xstrdup("(a non-string key)");
		} else if (!ruleset_field(lua_tostring(L, -1))) {
			bad = xrealloc(bad, (n + 1) * sizeof(char *));
			bad[n++] = xstrdup(lua_tostring(L, -1));
		}
	}
	if (n > 1)
		qsort(bad, n, sizeof(char *), ruleset_name_cmp);
	for (size_t i = 0; i < n; i++) {
		ret = ruleset_bad(r, bad[i], dl, "unknown field '%s' (expected id, "
				  "severity, category, description, hint, kinds, "
				  "apiVersions, options, check or finish)", bad[i]);
		free(bad[i]);
	}
	free(bad);
	return ret;
}

static char *ruleset_string(lua_State *L, int idx, const char *name)
{
	const char *s;

	lua_getfield(L, idx, name);
	s = lua_tostring(L, -1);
	s = s ? s : "";
	{
		char *copy = xstrdup(s);

		lua_pop(L, 1);
		return copy;
	}
}

/*
** Does the string at idx hold a NUL?  The loader keeps C strings: "a\0b"
** would pass as "a" (an id equal to its basename, a kind that matches
** another).  [-0, +0, -]
*/
static bool ruleset_has_nul(lua_State *L, int idx)
{
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);

	return memchr(s, '\0', len) != NULL;
}

/* Presence and type of every known field. */
static int ruleset_types(struct lint_rule *r, lua_State *L, int idx,
			 struct diag_list *dl)
{
	int ret = 0;

	for (size_t i = 0; i < countof(ruleset_fields); i++) {
		const struct ruleset_field *f = &ruleset_fields[i];
		int t = lua_getfield(L, idx, f->name);

		if (t == LUA_TNIL && f->required)
			ret = ruleset_bad(r, NULL, dl, "missing field '%s'", f->name);
		else if (t != LUA_TNIL && t != f->type)
			ret = ruleset_bad(r, f->name, dl, f->type == LUA_TSTRING ?
				"field '%s' must be a string" : f->type == LUA_TTABLE ?
				"field '%s' must be a table" : "field '%s' must be a function",
				f->name);
		else if (t == LUA_TSTRING && !lua_rawlen(L, -1))
			ret = ruleset_bad(r, f->name, dl, "field '%s' must not be empty",
					  f->name);
		else if (t == LUA_TSTRING && ruleset_has_nul(L, -1))
			ret = ruleset_bad(r, f->name, dl, "field '%s' must not hold "
					  "a NUL byte", f->name);
		lua_pop(L, 1);
	}
	return ret;
}

/*
** A filter field, `kinds` or `apiVersions`: a non-empty list of strings.
** check() only sees the documents that pass every filter the rule has.
*/
static int ruleset_filter(struct lint_rule *r, lua_State *L, int idx,
			  const char *name, char ***list, size_t *count,
			  struct diag_list *dl)
{
	size_t n;
	int ret = 0;

	if (lua_getfield(L, idx, name) != LUA_TTABLE) {
		lua_pop(L, 1);
		return 0;
	}
	n = lua_rawlen(L, -1);
	if (!n)
		ret = ruleset_bad(r, name, dl, "field '%s' must list at least "
				  "one value", name);
	*list = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
			ret = ruleset_bad(r, name, dl, "field '%s' must be a "
					  "list of strings", name);
		else if (ruleset_has_nul(L, -1))
			ret = ruleset_bad(r, name, dl, "field '%s' must not hold "
					  "a NUL byte", name);
		else
			(*list)[(*count)++] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return ret;
}

static int ruleset_options(struct lint_rule *r, lua_State *L, int idx,
			   struct diag_list *dl)
{
	const char *err = NULL;
	int ret = 0;

	if (lua_getfield(L, idx, "options") != LUA_TTABLE) {
		lua_pop(L, 1);
		r->options = json_object();
		return 0;
	}
	r->options = luahost_to_json(L, -1, NULL, &err);
	lua_pop(L, 1);
	if (!r->options)
		ret = ruleset_bad(r, "options", dl, "field 'options' cannot be "
				  "converted: %s", err ? err : "out of memory");
	else if (!json_is_object(r->options))
		ret = ruleset_bad(r, "options", dl, "field 'options' must be a "
				  "table of named options%s", NULL);
	if (ret < 0) {
		json_decref(r->options);
		r->options = json_object();
	}
	return ret;
}

static unsigned ruleset_func_line(lua_State *L, int idx, const char *name)
{
	lua_Debug ar;
	unsigned line = 0;

	if (lua_getfield(L, idx, name) == LUA_TFUNCTION) {
		if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0)
			line = (unsigned)ar.linedefined;
	} else {
		lua_pop(L, 1);
	}
	return line;
}

int ruleset_read(struct lint_rule *r, lua_State *L, int idx,
		 struct diag_list *dl)
{
	int ret = 0, sev;

	idx = lua_absindex(L, idx);
	r->line = ruleset_return_line(r->s.src, r->s.len);
	if (!lua_istable(L, idx))
		return ruleset_bad(r, NULL, dl, "the file must return a table "
				   "(got %s)", luaL_typename(L, idx));
	/*
	** The fields are read from C, outside any protected call and budget:
	** an __index that raised would abort the process, one that looped
	** would hang it.  A rule is its table's own fields.
	*/
	if (lua_getmetatable(L, idx)) {
		lua_pop(L, 1);
		return ruleset_bad(r, NULL, dl, "the returned table must not have "
				   "a metatable%s", NULL);
	}
	ret |= ruleset_unknown_fields(r, L, idx, dl);
	ret |= ruleset_types(r, L, idx, dl);
	r->id = ruleset_string(L, idx, "id");
	r->category = ruleset_string(L, idx, "category");
	r->description = ruleset_string(L, idx, "description");
	r->hint = ruleset_string(L, idx, "hint");
	if (*r->id && strcmp(r->id, r->s.name))
		ret = ruleset_bad(r, "id", dl, "id '%s' must equal the file's basename",
				  r->id);
	if (lua_getfield(L, idx, "severity") == LUA_TSTRING) {
		char *s = xstrdup(lua_tostring(L, -1));

		sev = diag_level_parse(s);
		if (*s && sev < 0)
			ret = ruleset_bad(r, "severity", dl, "severity '%s' must be "
					  "error, warning or info", s);
		free(s);
	} else {
		sev = -1;
	}
	lua_pop(L, 1);
	r->severity = r->default_severity = sev < 0 ? DIAG_ERROR : (enum diag_level)sev;
	ret |= ruleset_filter(r, L, idx, "kinds", &r->kinds, &r->nkinds, dl);
	ret |= ruleset_filter(r, L, idx, "apiVersions", &r->api_versions,
			      &r->napi_versions, dl);
	ret |= ruleset_options(r, L, idx, dl);
	r->check_line = ruleset_func_line(L, idx, "check");
	r->finish_line = ruleset_func_line(L, idx, "finish");
	r->has_check = lua_getfield(L, idx, "check") == LUA_TFUNCTION;
	r->has_finish = lua_getfield(L, idx, "finish") == LUA_TFUNCTION;
	lua_pop(L, 2);
	if (!r->has_check && !r->has_finish)
		ret = ruleset_bad(r, NULL, dl, "needs a check or a finish "
				  "function%s", NULL);
	r->valid = ret == 0;
	r->enabled = r->valid;
	return ret < 0 ? -1 : 0;
}

/* ---- configuration ------------------------------------------------------ */

static const char *ruleset_json_type(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "mapping";
	case JSON_ARRAY: return "list";
	case JSON_STRING: return "string";
	case JSON_INTEGER: case JSON_REAL: return "number";
	case JSON_TRUE: case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

/* Do a and b have one type as ruleset_json_type names them (a number, a boolean)? */
static bool ruleset_same_type(const json_t *a, const json_t *b)
{
	json_type ta = json_typeof(a), tb = json_typeof(b);

	ta = ta == JSON_REAL ? JSON_INTEGER : ta == JSON_FALSE ? JSON_TRUE : ta;
	tb = tb == JSON_REAL ? JSON_INTEGER : tb == JSON_FALSE ? JSON_TRUE : tb;
	return ta == tb;
}

/* Names of the rule's options, for messages. */
static void ruleset_option_names(const struct lint_rule *r, struct strbuf *sb)
{
	const char *key;
	json_t *val;

	json_object_foreach(r->options, key, val) {
		(void)val;
		strbuf_addf(sb, "%s'%s'", sb->len ? ", " : "", key);
	}
	if (!sb->len)
		strbuf_addstr(sb, "none");
}

static int ruleset_option(struct lint_rule *r, const struct config *cfg,
			  const struct ypair *p, struct diag_list *dl)
{
	struct diag_pos pos = { cfg->path, p->key->line, p->key->col };
	json_t *old = json_object_get(r->options, p->key->text), *val;
	struct strbuf sb = STRBUF_INIT;
	const char *type = config_key_type(p->key);

	if (!old || type) {
		strbuf_init(&sb);
		ruleset_option_names(r, &sb);
		if (type)	/* not "no option 'null'" */
			diag_addf(dl, DIAG_ERROR, "config", pos, "an option name of rule "
				  "'%s' must be a string, not %s (options: %s)",
				  r->s.name, type, sb.buf);
		else
			diag_addf(dl, DIAG_ERROR, "config", pos, "rule '%s' has no option "
				  "'%s' (options: %s)", r->s.name, p->key->text, sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	val = ynode_to_json(p->val);
	if (!val)
		return diag_addf(dl, DIAG_ERROR, "oom", pos, "out of memory");
	/*
	** An empty table default ({}) is a list or a mapping: Lua cannot tell
	** (sk.array({}) says list); the configuration's value decides.
	*/
	if (!json_is_null(old) && !ruleset_same_type(old, val) &&
	    !(json_is_object(old) && !json_object_size(old) && json_is_array(val))) {
		pos.line = p->val->line;
		pos.col = p->val->col;
		diag_addf(dl, DIAG_ERROR, "config", pos, "option '%s' of rule '%s' "
			  "must be a %s", p->key->text, r->s.name, ruleset_json_type(old));
		json_decref(val);
		return -1;
	}
	if (json_is_array(old) && json_array_size(old) > 0) {
		/* a list of one type (the default's first element's) */
		json_t *first = json_array_get(old, 0), *e;
		size_t i;

		json_array_foreach(val, i, e) {
			const struct ynode *at = ynode_at(p->val, i);

			if (ruleset_same_type(e, first))
				continue;
			pos.line = at ? at->line : p->val->line;
			pos.col = at ? at->col : p->val->col;
			diag_addf(dl, DIAG_ERROR, "config", pos, "option '%s' of rule '%s' must be "
				  "a list of %ss; item %zu is a %s", p->key->text, r->s.name,
				  ruleset_json_type(first), i + 1, ruleset_json_type(e));
			json_decref(val);
			return -1;
		}
	}
	json_object_set_new(r->options, p->key->text, val);
	return 0;
}

static int ruleset_configure_rule(struct lint_rule *r, const struct config *cfg,
				  const struct config_rule *cr, struct diag_list *dl)
{
	int ret = 0;

	if (cr->severity == CONFIG_SEV_OFF) {
		r->enabled = false;
	} else if (cr->severity >= 0) {
		r->severity = (enum diag_level)cr->severity;
		r->severity_set = true;
	}
	if (cr->options && r->options)
		for (size_t i = 0; i < cr->options->u.map.n; i++)
			if (ruleset_option(r, cfg, &cr->options->u.map.v[i], dl) < 0)
				ret = -1;
	return ret;
}

const char *ruleset_suggest(const struct ruleset *rs, const char *id)
{
	const char **ids = xcalloc(rs->n + 1, sizeof(*ids)), *near;

	for (size_t i = 0; i < rs->n; i++)
		ids[i] = rs->v[i].id;
	near = suggest_closest(id, ids, rs->n);
	free(ids);
	return near;
}

/* A rule id the configuration names that no directory has: a typo, mostly. */
static int ruleset_unknown_rule(const struct ruleset *rs, const struct config_rule *cr,
				struct diag_list *dl)
{
	const char *near = ruleset_suggest(rs, cr->id);

	if (near)
		return diag_addf(dl, DIAG_ERROR, "config", cr->pos,
				 "unknown rule '%s'; did you mean '%s'?", cr->id, near);
	return diag_addf(dl, DIAG_ERROR, "config", cr->pos, "unknown rule '%s'", cr->id);
}

int ruleset_configure(struct ruleset *rs, const struct config *cfg,
		      struct diag_list *dl)
{
	int ret = 0;

	if (!cfg)
		return 0;
	for (size_t i = 0; i < cfg->nrules; i++) {
		const struct config_rule *cr = &cfg->rules[i];
		struct lint_rule *r = ruleset_find(rs, cr->id);

		if (!r)
			ret = ruleset_unknown_rule(rs, cr, dl);
		else if (ruleset_configure_rule(r, cfg, cr, dl) < 0)
			ret = -1;
	}
	return ret;
}
