/*
** tree.c: the GitOps tree writer (sparkgen -o DIR).  Lays the objects out
** as files and kustomizations, reads the ownership index, decides what to
** add, change or remove, and either reports it (--check, --diff) or hands
** it to the commit in tree_fs.c.  Layout and rules: docs/gitops.md.
*/
#include "tree.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "sha256.h"
#include "tree_diff.h"
#include "tree_fs.h"
#include "util.h"

#define TREE_INDEX ".sparkgen-index"
#define TREE_SHARED "_shared"
#define TREE_KUST "kustomization.yaml"
#define TREE_KUST_HEAD "apiVersion: kustomize.config.k8s.io/v1beta1\n" \
		       "kind: Kustomization\n"

struct tree_slot {
	const struct tree_object *o;
	const char *hash;	/* SHA-256 hex of o->yaml given by the caller, or NULL */
	size_t seq;		/* position in objs: the apply order */
	size_t order, sub;	/* its place in its directory (tree_group) */
	char *dir;		/* owned: its directory below DIR; NULL for a duplicate */
};

struct tree_entry {		/* one line of the old index */
	const char *rel, *hash;	/* borrowed from tree_plan.idxbuf */
};

struct tree_plan {
	struct tree_fs_file *f;	/* files to produce, sorted, then removals, index last */
	size_t n, alloc;
	struct tree_entry *idx;	/* the old index, sorted by rel */
	size_t nidx;
	char *idxbuf;		/* owned: a parsed copy of the old index */
	struct diag_pos pos;	/* the output dir, for diagnostics */
};

static int tree_oom(struct diag_list *dl)
{
	return diag_addf(dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
			 "out of memory");
}

/* ---- names -------------------------------------------------------------- */

static bool tree_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A DNS-1123 label: the namespace and app directories. */
static bool tree_label_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n <= 63 && util_dns1123_label(s, n);
}

/*
** An object name or kind as part of a file name: no '/', no "..", no
** leading '.', and no trailing '.' either ("<kind>-<name>.yaml" would hold
** "..", which tree_rel_ok does not take back from the index).  A name may
** hold ':' (RBAC names: "system:spark"), which the file name writes as '_'
** (tree_object_file).
*/
static bool tree_name_ok(const char *s, bool kind)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > (kind ? 63 : 253) || !tree_alnum(s[0]) || s[n - 1] == '.' ||
	    strstr(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!tree_alnum(s[i]) && (kind || !strchr("-._:", s[i])))
			return false;
	return true;
}

/*
** The directory at the start of `rel` (up to its '/'): a namespace, or
** (app) an app or _shared: DNS-1123 labels (no '_'), as tree_layout makes.
*/
static bool tree_dir_ok(const char *rel, bool app)
{
	size_t n = strcspn(rel, "/");

	if (app && n == sizeof(TREE_SHARED) - 1 && !strncmp(rel, TREE_SHARED, n))
		return true;
	return n <= 63 && util_dns1123_label(rel, n);
}

/*
** A path from the index: what tree_layout could have produced, nothing else
** (an index line names a file that the next run may delete): the top
** kustomization.yaml, _shared/FILE, NS/APP/FILE or NS/_shared/FILE, where
** FILE is kustomization.yaml or <kind>-<name>.yaml, lowercase.
*/
static bool tree_rel_ok(const char *rel)
{
	const char *last = rel;
	int depth = 0;

	for (const char *c = rel; *c; depth++) {
		size_t len = strcspn(c, "/");

		if (len == 0 || len > 255 || c[0] == '.' || depth > 2)
			return false;
		for (size_t i = 0; i < len; i++)
			if ((!tree_alnum(c[i]) && c[i] != '-' && c[i] != '.' && c[i] != '_') ||
			    (c[i] >= 'A' && c[i] <= 'Z'))
				return false;
		for (size_t i = 1; i < len; i++)
			if (c[i - 1] == '.' && c[i] == '.')
				return false;
		last = c;
		c += len + (c[len] == '/');
		if (c[-1] == '/' && !*c)
			return false;
	}
	if (!util_has_suffix(last, ".yaml"))
		return false;
	if (strcmp(last, TREE_KUST)) {		/* <kind>-<name>.yaml: the kind is alphanumeric */
		size_t k = 0;

		while (tree_alnum(last[k]))
			k++;
		if (k == 0 || last[k] != '-' || !tree_alnum(last[k + 1]))
			return false;
	}
	if (depth == 1)
		return !strcmp(rel, TREE_KUST);
	if (depth == 2)
		return !strncmp(rel, TREE_SHARED "/", sizeof(TREE_SHARED));
	return depth == 3 && tree_dir_ok(rel, false) &&
	       tree_dir_ok(rel + strcspn(rel, "/") + 1, true);
}

static int tree_check_object(const struct tree_object *o, struct diag_pos pos,
			     struct diag_list *dl)
{
	const char *what = NULL, *val = NULL;

	if (!tree_name_ok(o->kind, true))
		what = "kind", val = o->kind;
	else if (!tree_name_ok(o->name, false))
		what = "name", val = o->name;
	else if (o->obj_ns && !tree_label_ok(o->obj_ns))
		what = "namespace", val = o->obj_ns;
	else if (o->app && !tree_label_ok(o->namespace))
		what = "app namespace", val = o->namespace;
	else if (o->app && !tree_label_ok(o->app))
		what = "app name", val = o->app;
	if (what) {
		diag_addf(dl, DIAG_ERROR, "tree", pos, "cannot write %s '%s' to the tree: "
			  "invalid %s '%s'", o->kind ? o->kind : "?", o->name ? o->name : "?",
			  what, val ? val : "(null)");
		if (!strcmp(what, "name"))
			return diag_hintf(dl, "an object's name in the tree holds letters, digits, "
					  "'-', '.', '_' and ':' only, starts with a letter or "
					  "digit and has no '..' and no trailing '.'");
		return diag_hintf(dl, "names in the tree must be DNS-1123 names: no '/', "
				  "no '..', no leading or trailing '.'");
	}
	if (!o->yaml || o->len == 0)
		return diag_addf(dl, DIAG_ERROR, "tree", pos, "%s '%s' has no YAML", o->kind,
				 o->name);
	return 0;
}

/* ---- layout ------------------------------------------------------------- */

static int tree_cmp_identity(const void *pa, const void *pb)
{
	const struct tree_slot *a = pa, *b = pb;
	int r = strcmp(a->o->kind, b->o->kind);

	if (!r)
		r = strcmp(a->o->obj_ns ? a->o->obj_ns : "", b->o->obj_ns ? b->o->obj_ns : "");
	if (!r)
		r = strcmp(a->o->name, b->o->name);
	return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

static bool tree_same_identity(const struct tree_object *a, const struct tree_object *b)
{
	return !strcmp(a->kind, b->kind) && !strcmp(a->name, b->name) &&
	       !strcmp(a->obj_ns ? a->obj_ns : "", b->obj_ns ? b->obj_ns : "");
}

static int tree_cmp_dir(const void *pa, const void *pb)
{
	const struct tree_slot *a = pa, *b = pb;
	int r;

	if (!a->dir || !b->dir)
		return !a->dir - !b->dir;	/* duplicates last */
	r = strcmp(a->dir, b->dir);
	if (!r)
		r = (a->order > b->order) - (a->order < b->order);
	return r ? r : (a->sub > b->sub) - (a->sub < b->sub);
}

static bool tree_same_app(const struct tree_object *a, const struct tree_object *b)
{
	return a->app && b->app && !strcmp(a->app, b->app) && !strcmp(a->namespace, b->namespace);
}

static char *tree_dir_of(const struct tree_object *o, bool shared)
{
	struct strbuf sb = STRBUF_INIT;

	if (shared && o->obj_ns)
		strbuf_addf(&sb, "%s/" TREE_SHARED, o->obj_ns);
	else if (shared)
		strbuf_addstr(&sb, TREE_SHARED);
	else
		strbuf_addf(&sb, "%s/%s", o->namespace, o->app);
	if (sb.oom) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/*
** Group the objects by identity (kind, namespace, name): the first of each
** group gets a directory, the others none.  Copies of one object under
** several apps (or with app == NULL) go to a _shared directory; different
** content under one identity is an error.
*/
static int tree_group(struct tree_slot *s, size_t n, struct diag_pos pos,
		      struct diag_list *dl)
{
	int rc = 0;

	if (n > 1)
		qsort(s, n, sizeof *s, tree_cmp_identity);
	for (size_t i = 0, j; i < n; i = j) {
		const struct tree_object *first = s[i].o;
		bool shared = !first->app;

		for (j = i + 1; j < n && tree_same_identity(first, s[j].o); j++) {
			const struct tree_object *o = s[j].o;

			if (o->len != first->len || memcmp(o->yaml, first->yaml, o->len)) {
				rc = diag_addf(dl, DIAG_ERROR, "conflict", o->src ?
					       gen_locate_object(o->src, o->env, o->kind) : pos,
					       "%s '%s'%s%s%s is generated twice with different "
					       "content (apps '%s'%s%s%s and '%s')", o->kind, o->name,
					       o->obj_ns ? " in namespace '" : "",
					       o->obj_ns ? o->obj_ns : "", o->obj_ns ? "'" : "",
					       first->app ? first->app : TREE_SHARED,
					       first->src ? " (" : "", first->src ? first->src : "",
					       first->src ? ")" : "", o->app ? o->app : TREE_SHARED);
			}
			if (!tree_same_app(first, o))
				shared = true;
		}
		if (!(s[i].dir = tree_dir_of(first, shared)))
			return tree_oom(dl);
		s[i].order = s[i].seq;
		s[i].sub = shared;	/* for now: its place is set below */
	}
	/*
	** A shared directory gathers objects of several apps, which arrive in
	** the order the descriptions were given.  Its kustomization lists them
	** by kind in apply order (where the kind first occurs), then by identity,
	** so that the order of the arguments changes nothing.
	*/
	for (size_t i = 0, j; i < n; i = j) {
		size_t kind_first = s[i].seq;

		for (j = i + 1; j < n && !strcmp(s[i].o->kind, s[j].o->kind); j++)
			if (s[j].seq < kind_first)
				kind_first = s[j].seq;
		for (size_t k = i; k < j; k++)
			if (s[k].dir && s[k].sub) {
				s[k].order = kind_first;
				s[k].sub = k;	/* identity order: namespace, name */
			}
	}
	return rc;
}

static struct tree_fs_file *tree_add_file(struct tree_plan *p, char *rel, struct diag_list *dl)
{
	struct tree_fs_file *f;

	if (!rel) {
		tree_oom(dl);
		return NULL;
	}
	if (p->n == p->alloc) {
		size_t n = p->alloc ? 2 * p->alloc : 64;
		struct tree_fs_file *v = realloc(p->f, n * sizeof *v);
		if (!v) {
			free(rel);
			tree_oom(dl);
			return NULL;
		}
		p->f = v;
		p->alloc = n;
	}
	f = &p->f[p->n++];
	memset(f, 0, sizeof *f);
	f->rel = rel;
	f->mode = 0644;
	return f;
}

static char *tree_join(const char *dir, const char *name)
{
	return *dir ? util_path_join(dir, name) : strdup(name);
}

/*
** One object's file: DIR/<dir>/<kind>-<name>.yaml, lowercase, a ':' in the
** name written as '_' (Windows has no ':' in file names, so git there could
** not check the file out); two names that end up alike are a conflict
** (tree_layout).  A name too long for a file name (253 bytes are allowed, a
** file name has 255) keeps its start and ends in 8 hex digits of its
** SHA-256, still unique.
*/
static int tree_object_file(struct tree_plan *p, const struct tree_slot *s,
			    struct strbuf *kust, struct diag_list *dl)
{
	const struct tree_object *o = s->o;
	size_t kl = strlen(o->kind), nl = strlen(o->name), dl_ = strlen(s->dir), bl, keep = nl;
	char hex[SHA256_HEX_LEN + 1];
	struct tree_fs_file *f;
	char *rel, *base;

	if (kl + 1 + nl + 5 > 255) {	/* "<kind>-<start>-<8 hex>.yaml" */
		keep = 255 - (kl + 1 + 1 + 8 + 5);
		sha256_hex(o->name, nl, hex);
	}
	bl = kl + 1 + keep + (keep < nl ? 9 : 0) + 5;
	if (!(rel = malloc(dl_ + 1 + bl + 1)))
		return tree_oom(dl);
	memcpy(rel, s->dir, dl_);
	rel[dl_] = '/';
	base = rel + (dl_ ? dl_ + 1 : 0);
	memcpy(base, o->kind, kl);
	base[kl] = '-';
	memcpy(base + kl + 1, o->name, keep);
	if (keep < nl) {
		base[kl + 1 + keep] = '-';
		memcpy(base + kl + 1 + keep + 1, hex, 8);
	}
	memcpy(base + bl - 5, ".yaml", 6);
	for (char *c = base; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
		else if (*c == ':')
			*c = '_';
	}
	strbuf_addstr(kust, "- ");
	strbuf_add(kust, base, bl);
	strbuf_addch(kust, '\n');
	if (!(f = tree_add_file(p, rel, dl)))
		return -1;
	f->data = o->yaml;
	f->len = o->len;
	f->hash = s->hash;
	f->obj = o;
	if (o->yaml[o->len - 1] != '\n') {
		f->hash = NULL;
		if (!(f->own = malloc(o->len + 1)))
			return tree_oom(dl);
		memcpy(f->own, o->yaml, o->len);
		f->own[o->len] = '\n';
		f->data = f->own;
		f->len = o->len + 1;
	}
	return 0;
}

static int tree_kust_file(struct tree_plan *p, const char *dir, struct strbuf *kust,
			  struct diag_list *dl)
{
	struct tree_fs_file *f;

	if (kust->oom)
		return tree_oom(dl);
	if (!(f = tree_add_file(p, tree_join(dir, TREE_KUST), dl)))
		return -1;
	f->own = strbuf_detach(kust, &f->len);
	f->data = f->own;
	strbuf_addstr(kust, TREE_KUST_HEAD "resources:\n");
	return f->own ? 0 : tree_oom(dl);
}

static int tree_cmp_file(const void *pa, const void *pb)
{
	const struct tree_fs_file *a = pa, *b = pb;

	return strcmp(a->rel, b->rel);
}

/* Every file of the new tree, sorted by path; every path unique. */
static int tree_layout(struct tree_plan *p, const struct tree_object *objs,
		       const char *const *sha256, size_t n, struct diag_list *dl)
{
	struct tree_slot *s = calloc(n ? n : 1, sizeof *s);
	struct strbuf kust = STRBUF_INIT, top = STRBUF_INIT;
	int rc = -1;

	if (!s)
		return tree_oom(dl);
	/* room for every file up front: a file and a kustomization per object at most */
	if (!p->alloc && (p->f = malloc((2 * n + 8) * sizeof *p->f)))
		p->alloc = 2 * n + 8;
	for (size_t i = 0; i < n; i++) {
		s[i].o = &objs[i];
		s[i].hash = sha256 ? sha256[i] : NULL;
		s[i].seq = i;
		if (tree_check_object(&objs[i], p->pos, dl) < 0)
			rc = -2;
	}
	if (rc == -2 || tree_group(s, n, p->pos, dl) < 0)
		goto out_free;
	if (n > 1)
		qsort(s, n, sizeof *s, tree_cmp_dir);
	strbuf_addstr(&kust, TREE_KUST_HEAD "resources:\n");
	strbuf_addstr(&top, TREE_KUST_HEAD "resources:\n");
	for (size_t i = 0; i < n && s[i].dir; i++) {
		if (tree_object_file(p, &s[i], &kust, dl) < 0)
			goto out_free;
		if (i + 1 < n && s[i + 1].dir && !strcmp(s[i].dir, s[i + 1].dir))
			continue;
		strbuf_addf(&top, "- %s\n", s[i].dir);
		if (tree_kust_file(p, s[i].dir, &kust, dl) < 0)
			goto out_free;
	}
	if (top.len == strlen(TREE_KUST_HEAD "resources:\n")) {
		strbuf_reset(&top);
		strbuf_addstr(&top, TREE_KUST_HEAD "resources: []\n");
	}
	if (tree_kust_file(p, "", &top, dl) < 0)
		goto out_free;
	qsort(p->f, p->n, sizeof *p->f, tree_cmp_file);
	rc = 0;
	for (size_t i = 1; i < p->n; i++) {
		const struct tree_object *o = p->f[i].obj;

		if (strcmp(p->f[i - 1].rel, p->f[i].rel))
			continue;
		rc = diag_addf(dl, DIAG_ERROR, "conflict", o && o->src ?
			       gen_locate_object(o->src, o->env, o->kind) : p->pos,
			       "two objects would both be written to '%s'", p->f[i].rel);
	}
	if (rc < 0)
		diag_hintf(dl, "objects of one app with the same kind and name need different "
			   "names even in different namespaces; file names are lowercase, "
			   "with '_' for ':'");
out_free:
	for (size_t i = 0; i < n; i++)
		free(s[i].dir);
	free(s);
	strbuf_release(&kust);
	strbuf_release(&top);
	return rc < 0 ? -1 : 0;
}

/* ---- the ownership index ------------------------------------------------ */

static int tree_cmp_entry(const void *pa, const void *pb)
{
	const struct tree_entry *a = pa, *b = pb;

	return strcmp(a->rel, b->rel);
}

/* Parse "HASH  PATH\n" lines (sha256sum format) of a copy of `raw`. */
static int tree_index_parse(struct tree_plan *p, struct tree_fs *fs, const char *raw,
			    size_t len, struct diag_list *dl)
{
	size_t lines = 0, lineno = 0;
	char *c, *path;

	if (!(p->idxbuf = malloc(len + 1)))
		return tree_oom(dl);
	memcpy(p->idxbuf, raw, len);
	p->idxbuf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		lines += raw[i] == '\n';
	if (!(p->idx = calloc(lines + 1, sizeof *p->idx)))
		return tree_oom(dl);
	for (c = p->idxbuf; *c; c++) {
		char *nl = strchr(c, '\n'), *hash = c;

		lineno++;
		if (!nl)
			goto out_corrupt;
		*nl = '\0';
		if (nl - c < SHA256_HEX_LEN + 3 || c[SHA256_HEX_LEN] != ' ' ||
		    c[SHA256_HEX_LEN + 1] != ' ' || strspn(c, "0123456789abcdef") != SHA256_HEX_LEN)
			goto out_corrupt;
		c[SHA256_HEX_LEN] = '\0';
		if (!tree_rel_ok(c + SHA256_HEX_LEN + 2))
			goto out_corrupt;
		p->idx[p->nidx].hash = hash;
		p->idx[p->nidx++].rel = c + SHA256_HEX_LEN + 2;
		c = nl;
	}
	for (size_t i = 1; i < p->nidx; i++)	/* sparkgen writes it sorted: check, sort if not */
		if (strcmp(p->idx[i - 1].rel, p->idx[i].rel) > 0) {
			qsort(p->idx, p->nidx, sizeof *p->idx, tree_cmp_entry);
			break;
		}
	return 0;
out_corrupt:
	path = tree_fs_path(fs, TREE_INDEX);
	diag_addf(dl, DIAG_ERROR, "tree", (struct diag_pos){ util_intern(path), (unsigned)lineno, 0 },
		  "'%s' is not a sparkgen index (line %zu)", path ? path : TREE_INDEX, lineno);
	free(path);
	return diag_hintf(dl, "restore it from version control; without it every existing "
			  "file counts as foreign");
}

static const struct tree_entry *tree_owned(const struct tree_plan *p, const char *rel)
{
	struct tree_entry key = { rel, NULL };

	return p->nidx ? bsearch(&key, p->idx, p->nidx, sizeof *p->idx, tree_cmp_entry) : NULL;
}

/* An owned file about to be replaced or removed: warn when it was edited by hand. */
static void tree_warn_edited(const struct tree_entry *e, const struct tree_fs_file *f,
			     struct tree_fs *fs, struct diag_list *dl)
{
	char hex[SHA256_HEX_LEN + 1], *path;

	sha256_hex(f->old, f->oldlen, hex);
	if (!strcmp(hex, e->hash) || !(path = tree_fs_path(fs, f->rel)))
		return;
	diag_addf(dl, DIAG_WARNING, "tree", (struct diag_pos){ util_intern(path), 0, 0 },
		  "'%s' was edited by hand since sparkgen wrote it; the edits %s", path,
		  f->state == TREE_FS_REMOVE ? "are removed with it" : "are overwritten");
	diag_hintf(dl, "change the app description (or the templates) instead");
	free(path);
}

/* ---- planning ----------------------------------------------------------- */

static int tree_clash(struct tree_fs *fs, const char *rel, struct diag_list *dl)
{
	char *path = tree_fs_path(fs, rel);

	diag_addf(dl, DIAG_ERROR, "tree", (struct diag_pos){ util_intern(path), 0, 0 },
		  "'%s' exists and was not written by sparkgen", path ? path : rel);
	free(path);
	return diag_hintf(dl, "move it out of the way; sparkgen never overwrites a file it "
			  "did not write");
}

/*
** sparkgen's files are never executable.  git records the owner's x bit
** (mode 100755), so a file that has it is stale even with the right
** content: the run writes it again without the x bits, keeping the other
** permission bits (git ignores those, a group's x bit too).  Call after
** tree_fs_read.
*/
static void tree_clear_exec(struct tree_fs_file *f)
{
	f->exec = f->old && (f->mode & 0100);
	f->mode &= 0666;
}

static bool tree_same_content(const struct tree_fs_file *f)
{
	return f->oldlen == f->len && !memcmp(f->old, f->data, f->len);
}

/* Compare each file to be produced with the disk. */
static int tree_classify(struct tree_plan *p, struct tree_fs *fs, size_t nfiles,
			 struct diag_list *dl)
{
	int *read = malloc((nfiles ? nfiles : 1) * sizeof *read), rc = 0;

	if (!read)
		return tree_oom(dl);
	if (tree_fs_read_all(fs, p->f, nfiles, read, dl) < 0) {
		free(read);
		return -1;
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct tree_fs_file *f = &p->f[i];
		const struct tree_entry *e;

		if (read[i] < 0) {
			rc = -1;
			continue;
		}
		tree_clear_exec(f);
		if (read[i] == 1) {	/* identical, not executable: nothing kept */
			f->state = TREE_FS_SAME;
			continue;
		}
		if (!f->old)
			f->state = TREE_FS_ADD;
		else if (tree_same_content(f) && !f->exec) {
			f->state = TREE_FS_SAME;	/* a foreign identical file is adopted */
			free(f->old);	/* not needed any more: no diff, no backup */
			f->old = NULL;
		} else if (tree_same_content(f)) {
			f->state = TREE_FS_CHANGE;	/* only its x bits: adopted too */
		} else if ((e = tree_owned(p, f->rel))) {
			f->state = TREE_FS_CHANGE;
			tree_warn_edited(e, f, fs, dl);
		} else
			rc = tree_clash(fs, f->rel, dl);
	}
	free(read);
	return rc;
}

/*
** Files the index lists that are no longer produced: remove those still
** there.  Then everything is sorted by path again.
*/
static int tree_removals(struct tree_plan *p, struct tree_fs *fs, size_t nfiles,
			 struct diag_list *dl)
{
	size_t j = 0;
	int rc = 0;

	for (size_t i = 0; i < p->nidx; i++) {
		const char *rel = p->idx[i].rel;
		struct tree_fs_file *f;
		char *old;
		size_t oldlen;
		unsigned mode;
		int c = 1;

		while (j < nfiles && (c = strcmp(p->f[j].rel, rel)) < 0)
			j++;
		if (c == 0 || (i && !strcmp(p->idx[i - 1].rel, rel)))
			continue;
		if (tree_fs_read(fs, rel, &old, &oldlen, &mode, dl) < 0) {
			rc = diag_hintf(dl, "sparkgen wrote this file once; remove it by hand");
			continue;
		}
		if (!old)
			continue;	/* already gone */
		if (!(f = tree_add_file(p, strdup(rel), dl))) {
			free(old);
			return -1;
		}
		f->old = old;
		f->oldlen = oldlen;
		f->mode = mode;
		f->state = TREE_FS_REMOVE;
		tree_warn_edited(&p->idx[i], f, fs, dl);
	}
	if (rc == 0 && p->n > nfiles)
		qsort(p->f, p->n, sizeof *p->f, tree_cmp_file);
	return rc;
}

/* The new index (last in p->f): one "sha256  path" line per produced file. */
static int tree_index_file(struct tree_plan *p, struct tree_fs *fs, struct diag_list *dl)
{
	struct tree_fs_file *f;
	size_t size = 1, len = 0;
	char *buf;

	for (size_t i = 0; i < p->n; i++)
		if (p->f[i].state != TREE_FS_REMOVE)
			size += SHA256_HEX_LEN + 2 + strlen(p->f[i].rel) + 1;
	if (!(buf = malloc(size)))
		return tree_oom(dl);
	for (size_t i = 0; i < p->n; i++) {
		size_t rl;

		if (p->f[i].state == TREE_FS_REMOVE)
			continue;
		if (p->f[i].hash)
			memcpy(buf + len, p->f[i].hash, SHA256_HEX_LEN);
		else
			sha256_hex(p->f[i].data, p->f[i].len, buf + len);	/* its NUL is overwritten */
		len += SHA256_HEX_LEN;
		buf[len++] = ' ';
		buf[len++] = ' ';
		rl = strlen(p->f[i].rel);
		memcpy(buf + len, p->f[i].rel, rl);
		len += rl;
		buf[len++] = '\n';
	}
	buf[len] = '\0';
	if (!(f = tree_add_file(p, strdup(TREE_INDEX), dl))) {
		free(buf);
		return -1;
	}
	f->own = buf;
	f->data = f->own;
	f->len = len;
	if (tree_fs_read(fs, TREE_INDEX, &f->old, &f->oldlen, &f->mode, dl) < 0)
		return -1;
	tree_clear_exec(f);
	if (!f->old)
		f->state = TREE_FS_ADD;
	else if (tree_same_content(f) && !f->exec)
		f->state = TREE_FS_SAME;
	else
		f->state = TREE_FS_CHANGE;
	return 0;
}

static int tree_read_index(struct tree_plan *p, struct tree_fs *fs, struct diag_list *dl)
{
	char *raw;
	size_t len;
	unsigned mode;
	int rc;

	if (tree_fs_read(fs, TREE_INDEX, &raw, &len, &mode, dl) < 0)
		return -1;
	if (!raw)
		return 0;
	rc = tree_index_parse(p, fs, raw, len, dl);
	free(raw);
	return rc;
}

/* ---- report ------------------------------------------------------------- */

static const char *const tree_verb[] = {
	[TREE_FS_ADD] = "added", [TREE_FS_CHANGE] = "changed", [TREE_FS_REMOVE] = "removed",
};

/* The index (last) is reported first: ".sparkgen-index" sorts before every other path. */
static const struct tree_fs_file *tree_nth(const struct tree_plan *p, size_t i)
{
	return i == 0 ? &p->f[p->n - 1] : &p->f[i - 1];
}

/*
** The list, then (diff) the diffs: first those of files whose mode stays,
** then those whose x bits go, each under git's header ("diff --git",
** "old mode"): patch and git apply take a plain diff after such a header
** for part of that file, so none follows one.
*/
static int tree_report(const struct tree_plan *p, struct tree_fs *fs, bool diff,
		       struct strbuf *out, struct diag_list *dl)
{
	for (int pass = 0; pass < (diff ? 3 : 1); pass++) {
		for (size_t i = 0; i < p->n; i++) {
			const struct tree_fs_file *f = tree_nth(p, i);
			bool mode = f->state == TREE_FS_CHANGE && f->exec;
			char *path;

			if (f->state == TREE_FS_SAME || (pass == 1 && mode) || (pass == 2 && !mode))
				continue;
			if (!(path = tree_fs_path(fs, f->rel)))
				return tree_oom(dl);
			if (pass == 0)
				strbuf_addf(out, "%s %s\n", tree_verb[f->state], path);
			else if ((mode && tree_diff_mode(out, path, 0755, 0644) < 0) ||
				 tree_diff_unified(out, f->old ? path : "/dev/null",
						   f->old ? f->old : "", f->oldlen,
						   f->state == TREE_FS_REMOVE ? "/dev/null" : path,
						   f->state == TREE_FS_REMOVE ? "" : f->data,
						   f->state == TREE_FS_REMOVE ? 0 : f->len) < 0) {
				free(path);
				return tree_oom(dl);
			}
			free(path);
		}
	}
	return out->oom ? tree_oom(dl) : 0;
}

/* ---- tree_sync ---------------------------------------------------------- */

static void tree_plan_release(struct tree_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->f[i].rel);
		free(p->f[i].own);
		free(p->f[i].old);
		free(p->f[i].tmp);
		free(p->f[i].bak);
	}
	free(p->f);
	free(p->idx);
	free(p->idxbuf);
}

static int tree_prepare(struct tree_plan *p, struct tree_fs *fs, struct diag_list *dl)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->f[i].state != TREE_FS_SAME && tree_fs_need(fs, p->f[i].rel, dl) < 0)
			return -1;
	return 0;
}

int tree_sync(const char *dir, const struct tree_object *objs, size_t n,
	      unsigned flags, struct strbuf *report, struct diag_list *dl)
{
	return tree_sync_hashed(dir, objs, NULL, n, flags, 1, report, dl);
}

int tree_sync_hashed(const char *dir, const struct tree_object *objs,
		     const char *const *sha256, size_t n, unsigned flags,
		     unsigned jobs, struct strbuf *report, struct diag_list *dl)
{
	struct tree_plan p = { NULL, 0, 0, NULL, 0, NULL, { util_intern(dir), 0, 0 } };
	struct tree_fs fs;
	bool check = flags & TREE_CHECK, stale = false;
	size_t nfiles;
	int rc = -1;

	if (tree_layout(&p, objs, sha256, n, dl) < 0)
		goto out_release;
	nfiles = p.n;
	if (tree_fs_open(&fs, dir, !check, dl) < 0)
		goto out_release;
	fs.jobs = jobs;
	if (tree_read_index(&p, &fs, dl) < 0 || tree_classify(&p, &fs, nfiles, dl) < 0 ||
	    tree_removals(&p, &fs, nfiles, dl) < 0 || tree_index_file(&p, &fs, dl) < 0)
		goto out_close;
	for (size_t i = 0; i < p.n; i++)
		stale |= p.f[i].state != TREE_FS_SAME;
	if (report && tree_report(&p, &fs, check && (flags & TREE_DIFF), report, dl) < 0)
		goto out_close;
	if (check || !stale)
		rc = check && stale;
	else if (tree_prepare(&p, &fs, dl) == 0 && tree_fs_commit(&fs, p.f, p.n, dl) == 0)
		rc = 0;
out_close:
	tree_fs_close(&fs);
out_release:
	tree_plan_release(&p);
	return rc;
}
