/*
** main.c: the sparkgen command line.  Parses options, runs the compiler
** (gen/compile.c) over every description, prints diagnostics to stderr and
** the manifests (or the spark-submit line, or the defaults) to stdout, and
** maps the outcome to an exit code.  With -o DIR the manifests go to a
** GitOps tree instead (gen/tree.c, docs/gitops.md).  Only this file prints
** or exits.
*/
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cache.h"
#include "compile.h"
#include "diag.h"
#include "jarena.h"
#include "objects.h"
#include "strbuf.h"
#include "submit.h"
#include "tree.h"
#include "util.h"
#include "yemit.h"

#ifndef SK_VERSION
#define SK_VERSION "0.0.0"
#endif

enum mode { MODE_MANIFESTS, MODE_SUBMIT, MODE_DEFAULTS, MODE_VALIDATE };

struct cli {
	enum mode mode;
	struct gen_options gen;
	bool json;
	const char *output;	/* -o DIR: write a tree there instead of stdout */
	bool check, diff;
	unsigned jobs;		/* -j N: threads compiling the descriptions; 0: jobs_for */
};

/*
** A thread's start (its Lua state, lib.lua, a first render on cold caches)
** costs a few descriptions' worth: measured on two CPUs, a second thread
** made 6 descriptions slower, 20 about even, 40 5-10% and 80 20% faster.
*/
#define JOB_APPS 16

/* Threads writing a new tree: -j N, else the online CPUs (tree_fs.c: few files, one). */
static unsigned write_jobs(const struct cli *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (c->jobs)
		return c->jobs;
	return cpus < 1 ? 1 : (unsigned)cpus;
}

/* Threads for napps descriptions: as many as write, one per JOB_APPS at most. */
static unsigned jobs_for(const struct cli *c, size_t napps)
{
	unsigned n = write_jobs(c);
	size_t most = napps / JOB_APPS ? napps / JOB_APPS : 1;

	if (c->gen.verbose)
		return 1;	/* template print()s in description order */
	if (c->jobs)
		return c->jobs;
	return n < most ? n : (unsigned)most;
}

/* One screen: the details are in docs/sparkgen.md and docs/gitops.md. */
static const char usage[] =
	"usage: sparkgen [--env NAME] [--templates DIR] [--json] [-j N] APP...\n"
	"       sparkgen -o DIR [--check [--diff]] [--env NAME] [-j N] APP...\n"
	"       sparkgen --submit|--validate [--env NAME] [--templates DIR] APP...\n"
	"       sparkgen --defaults\n"
	"\n"
	"Compile Spark Streaming app descriptions into Kubernetes manifests: one YAML\n"
	"stream in apply order on stdout, or a kustomize tree with -o.  APP is a\n"
	"description, a directory of them (its *.yaml and *.yml files) or - (stdin).\n"
	"\n"
	"  -o, --output DIR  write the tree DIR/<namespace>/<app>/; prune what it wrote\n"
	"  --check           with -o: write nothing; list stale files, exit 1 if any\n"
	"  --diff            with --check: print a unified diff of them too\n"
	"  --env NAME        merge environments.NAME of each description over it\n"
	"  --templates DIR   use the templates in DIR instead of the bundled ones\n"
	"  --json            write the objects as one JSON array instead of YAML\n"
	"  -j, --jobs N      threads (default: online CPUs; compiling: 1 per 16 apps)\n"
	"  --submit          print the spark-submit command matching the manifests\n"
	"  --validate        check everything generating would; write nothing\n"
	"  --defaults        print every default of the description format as YAML\n"
	"  --verbose         template print() to stderr; with -o, list changed files\n"
	"  --help, --version\n"
	"\n"
	"Exit: 0 ok or up to date, 1 stale (--check), 2 error (nothing written).\n"
	"Docs: docs/sparkgen.md, docs/gitops.md; format: schema/sparkgen.schema.json\n";

static int usage_error(const char *msg)
{
	fprintf(stderr, "%s: %s\n", util_progname, msg);
	return -1;
}

/* Option combinations that make no sense: refused rather than ignored. */
static int check_options(struct cli *c, int nfiles)
{
	if (c->mode == MODE_DEFAULTS && nfiles)
		return usage_error("--defaults takes no files");
	if (c->mode != MODE_DEFAULTS && !nfiles)
		return usage_error("no app description given");
	if (c->check && !c->output)
		return usage_error("--check needs -o DIR (the tree to compare)");
	if (c->diff && !c->check)
		return usage_error("--diff needs --check (a writing run prints no diff)");
	if (c->output && !*c->output)
		return usage_error("-o needs a directory name");
	if (c->output && (c->mode != MODE_MANIFESTS || c->json))
		return usage_error("-o writes YAML manifests; it does not combine with "
				   "--json, --submit, --validate or --defaults");
	if (c->json && c->mode != MODE_MANIFESTS)
		return usage_error("--json writes the manifests; it does not combine with "
				   "--submit, --validate or --defaults");
	if (c->mode == MODE_DEFAULTS && (c->gen.env || c->gen.templates || c->jobs ||
					 c->gen.verbose))
		return usage_error("--defaults prints the format's defaults; it takes no "
				   "--env, --templates, -j or --verbose");
	return 0;
}

/*
** -o DIR as messages show it: "t//" and "t/" are "t" ("/" stays), so that
** paths read "t/.sparkgen-index", not "t//.sparkgen-index"; the render
** cache then knows the tree by one name too.  Trims `dir` in place.
*/
static char *trim_slashes(char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	return dir;
}

/* --submit, --validate, --defaults: one per run, not the last one given. */
static int set_mode(struct cli *c, enum mode mode)
{
	if (c->mode != MODE_MANIFESTS && c->mode != mode)
		return usage_error("--submit, --validate and --defaults exclude each other");
	c->mode = mode;
	return 0;
}

/* --help, --version: what they print must reach stdout, or exit 2. */
static void print_and_exit(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write to stdout\n", util_progname);
		exit(SK_EXIT_ERROR);
	}
	exit(SK_EXIT_OK);
}

static int parse_args(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' },
		{ "diff", no_argument, NULL, 'D' },
		{ "env", required_argument, NULL, 'e' },
		{ "templates", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'J' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "submit", no_argument, NULL, 's' },
		{ "validate", no_argument, NULL, 'V' },
		{ "defaults", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(c, 0, sizeof *c);
	c->gen.need_templates = true;
	while ((ch = getopt_long(argc, argv, "o:j:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (c->output)
				return usage_error("-o given twice (one tree per run)");
			c->output = trim_slashes(optarg);
			break;
		case 'c': c->check = true; break;
		case 'D': c->diff = true; break;
		case 'e':
			if (c->gen.env)
				return usage_error("--env given twice (one environment per run)");
			c->gen.env = optarg;
			break;
		case 't': c->gen.templates = optarg; break;
		case 'J': c->json = true; break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || end == optarg || n < 1 || n > 1024)
				return usage_error("-j needs a thread count from 1 to 1024");
			c->jobs = (unsigned)n;
			break;
		}
		case 's': if (set_mode(c, MODE_SUBMIT) < 0) return -1; break;
		case 'V': if (set_mode(c, MODE_VALIDATE) < 0) return -1; break;
		case 'd': if (set_mode(c, MODE_DEFAULTS) < 0) return -1; break;
		case 'v': c->gen.verbose = true; break;
		case 'h': print_and_exit(usage); break;
		case 'r': print_and_exit("sparkgen " SK_VERSION "\n"); break;
		default: return -1;
		}
	}
	c->gen.need_templates = c->mode != MODE_DEFAULTS;
	return check_options(c, argc - optind);
}

/* ---- arguments: files and directories of descriptions ------------------ */

struct files {
	char **v;		/* owned */
	size_t n, alloc;
};

static void files_add(struct files *f, char *path)
{
	if (f->n == f->alloc) {
		f->alloc = f->alloc ? 2 * f->alloc : 16;
		f->v = xrealloc(f->v, f->alloc * sizeof *f->v);
	}
	f->v[f->n++] = path;
}

static void files_release(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum entry { NOT_DESCRIPTION, DESCRIPTION, NOT_REGULAR };

/*
** A *.yaml or *.yml entry is a description unless it is a directory.  One
** that cannot be stat'ed (a dangling symlink: a submodule not checked out,
** a moved shared file) is kept, so that reading it fails: left out, its
** app's manifests would be pruned from the tree without a word.  Anything
** else that is not a regular file (a FIFO, whose read would block) is an
** error here.
*/
static enum entry classify(const char *dir, const struct dirent *e)
{
	const char *name = e->d_name;
	struct stat st;
	char *p;
	int rc;

	if (name[0] == '.' || !(util_has_suffix(name, ".yaml") || util_has_suffix(name, ".yml")))
		return NOT_DESCRIPTION;
	if (e->d_type == DT_REG)
		return DESCRIPTION;	/* no stat needed (a symlink is followed below) */
	if (e->d_type == DT_DIR)
		return NOT_DESCRIPTION;
	p = util_path_join(dir, name);
	rc = stat(p, &st);
	free(p);
	if (rc < 0 || S_ISREG(st.st_mode))
		return DESCRIPTION;
	return S_ISDIR(st.st_mode) ? NOT_DESCRIPTION : NOT_REGULAR;
}

/*
** A directory argument stands for its *.yaml and *.yml files (not hidden,
** not in subdirectories), sorted by name so every run sees the same order.
** An empty one is an error: pruning a whole tree because of a mistyped
** directory would be a nasty surprise.
*/
static int expand_dir(const char *dir, struct files *out, struct diag_list *dl)
{
	struct diag_pos pos = { util_intern(dir), 0, 0 };
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = out->n;
	int rc = 0;

	if (!d)
		return diag_addf(dl, DIAG_ERROR, "input", pos, "cannot read directory '%s': %s",
				 dir, strerror(errno));
	while ((e = readdir(d))) {
		char *p;

		switch (classify(dir, e)) {
		case DESCRIPTION:
			files_add(out, util_path_join(dir, e->d_name));
			break;
		case NOT_REGULAR:
			p = util_path_join(dir, e->d_name);
			pos.file = util_intern(p);
			free(p);
			rc = diag_addf(dl, DIAG_ERROR, "input", pos,
				       "'%s' is not a regular file", pos.file);
			break;
		case NOT_DESCRIPTION:
			break;
		}
	}
	closedir(d);
	if (rc < 0)
		return rc;
	if (out->n == first) {
		diag_addf(dl, DIAG_ERROR, "input", pos, "'%s' holds no *.yaml or *.yml file", dir);
		return diag_hintf(dl, "a directory argument stands for the app descriptions in it");
	}
	qsort(out->v + first, out->n - first, sizeof *out->v, cmp_str);
	return 0;
}

static int expand_args(char **argv, int argc, struct files *out, struct diag_list *dl)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (expand_dir(argv[i], out, dl) < 0)
				rc = -1;
		} else {
			files_add(out, xstrdup(argv[i]));	/* gen_model reports what is wrong */
		}
	}
	return rc;
}

static void print_diags(struct diag_list *dl)
{
	const char *nc = getenv("NO_COLOR");
	bool color = isatty(STDERR_FILENO) && !(nc && *nc);

	diag_sort(dl);
	diag_uniq(dl);
	for (size_t i = 0; i < dl->n; i++)
		diag_print(stderr, &dl->v[i], color);
}

static int run_defaults(struct gen *g, struct strbuf *out, struct diag_list *dl)
{
	json_t *d = schema_defaults(&g->schema);
	int rc = d ? yemit_doc(out, d, dl) : -1;

	json_decref(d);
	return rc;
}

static int write_objects(struct gen_objects *objs, bool json, struct strbuf *out,
			 struct diag_list *dl)
{
	json_t **docs = xcalloc(objs->n ? objs->n : 1, sizeof *docs);
	int rc = 0;

	for (size_t i = 0; i < objs->n; i++)
		docs[i] = objs->v[i].obj;
	if (json) {
		json_t *arr = json_array();
		char *text;
		for (size_t i = 0; i < objs->n; i++)
			json_array_append(arr, docs[i]);
		text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		strbuf_addstr(out, text ? text : "");
		strbuf_addch(out, '\n');
		free(text);
		json_decref(arr);
	} else {
		rc = yemit_docs(out, docs, objs->n, dl);
	}
	free(docs);
	return rc;
}

/* What gen_check_apps needs of a description that compiled. */
static struct gen_facts result_facts(const char *file, const struct gen_result *r)
{
	struct gen_facts f = { xintern(file), r->ns, r->app, r->prefix, r->default_class,
			       r->named_sa, r->own_sa, r->rbac };

	return f;
}

/*
** Every description compiled and rendered, its diagnostics in input order,
** the checks across descriptions made: into objs (in apply order, shared
** objects once).  Returns 0, or -1 with errors in dl.
*/
static int compile_all(struct gen *g, struct cli *c, char **files, size_t n,
		       struct gen_objects *objs, struct diag_list *dl)
{
	struct gen_result *res = xcalloc(n ? n : 1, sizeof *res);
	struct gen_facts *facts = xcalloc(n ? n : 1, sizeof *facts);
	int rc = 0;

	gen_batch(g, files, n, jobs_for(c, n), false, res);
	for (size_t i = 0; i < n; i++) {
		if (diag_list_move(dl, &res[i].dl) < 0 ||
		    gen_objects_move(objs, &res[i].objs) < 0)
			xoom();
		if (res[i].rc < 0)
			rc = -1;
		facts[i] = result_facts(files[i], &res[i]);
		gen_result_release(&res[i]);
	}
	free(res);
	if (rc == 0)
		rc = gen_check_apps(facts, n, c->gen.env, dl);
	free(facts);
	if (rc == 0)
		rc = gen_objects_finish(objs, c->gen.env, dl);
	return rc;
}

static int run_manifests(struct gen *g, struct cli *c, char **files, size_t n,
			 struct strbuf *out, struct diag_list *dl)
{
	struct gen_objects objs = GEN_OBJECTS_INIT;
	int rc = compile_all(g, c, files, n, &objs, dl);

	if (rc == 0)
		rc = write_objects(&objs, c->json, out, dl);
	gen_objects_release(&objs);
	return rc;
}

/*
** --validate and --submit: everything a generating run checks (so what
** would not generate fails here too), then the spark-submit lines.
*/
static int run_submit(struct gen *g, struct cli *c, char **files, size_t n,
		      struct strbuf *out, struct diag_list *dl)
{
	struct gen_objects objs = GEN_OBJECTS_INIT;
	int rc = compile_all(g, c, files, n, &objs, dl);

	gen_objects_release(&objs);
	for (size_t i = 0; rc == 0 && c->mode == MODE_SUBMIT && i < n; i++) {
		json_t *model;

		if (gen_model(g, files[i], &model, dl) < 0) {
			rc = -1;
			break;
		}
		if (out->len)
			strbuf_addch(out, '\n');
		submit_format(model, out);
		json_decref(model);
	}
	return rc;
}

/* ---- -o DIR: the GitOps tree ------------------------------------------ */

/*
** One object for the tree: rendered now (its YAML in its app's result,
** emitted as soon as the app rendered, so that no app's JSON outlives it)
** or cached.  Names are interned.
*/
struct tree_item {
	struct tree_object t;
	bool rendered;		/* t.yaml points into a gen_result, else into the cache file */
	const char *sha256;	/* the hash of its YAML (hex) */
	char hex[SHA256_HEX_LEN + 1];	/* rendered: where sha256 points */
	int rank;		/* gen_objects_rank(kind) */
	size_t seq;		/* arrival order over all apps */
};

struct tree_run {
	struct tree_item *v;
	size_t n, alloc;
	struct gen_cache_app *apps;	/* what the cache file will hold */
	size_t napps;
	bool save;		/* something new to cache, or something stale to drop */
};

static struct tree_item *tree_item_add(struct tree_run *r)
{
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 256;
		r->v = xrealloc(r->v, r->alloc * sizeof *r->v);
	}
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	r->v[r->n].seq = r->n;
	return &r->v[r->n++];
}

/* gen_objects_sort's order: the kind's rank, unknown kinds by name, then arrival. */
static int cmp_tree_item(const void *pa, const void *pb)
{
	const struct tree_item *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == gen_objects_rank("")) {
		int r = strcmp(a->t.kind, b->t.kind);
		if (r)
			return r;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A cached app: its objects as they were emitted. */
static void add_cached(struct tree_run *r, struct gen_cache_app *a, const char *src,
		       const char *env)
{
	for (size_t k = 0; k < a->nobj; k++) {
		struct tree_item *it = tree_item_add(r);

		it->t.src = src;
		it->t.env = env;
		it->t.namespace = a->ns;
		it->t.app = a->app;
		it->t.kind = a->objs[k].kind;
		it->t.name = a->objs[k].name;
		it->t.obj_ns = a->objs[k].ns;
		it->t.yaml = a->objs[k].yaml;
		it->t.len = a->objs[k].len;
		it->sha256 = a->objs[k].sha256;
		it->rank = gen_objects_rank(it->t.kind);
	}
}

/* A rendered app: its objects, their YAML where it was emitted (`a` outlives them). */
static void add_rendered(struct tree_run *r, const struct gen_result *a, const char *src,
			 const char *env)
{
	for (size_t k = 0; k < a->nemitted; k++) {
		const struct gen_emitted *e = &a->emitted[k];
		struct tree_item *it = tree_item_add(r);

		it->rendered = true;
		it->t.src = src;
		it->t.env = env;
		it->t.namespace = a->ns;
		it->t.app = a->app;
		it->t.kind = e->kind;
		it->t.name = e->name;
		it->t.obj_ns = e->ns;
		it->rank = e->rank;
		it->t.yaml = a->yaml.buf + e->off;
		it->t.len = e->len;
	}
}

/*
** Put every object in apply order (duplicates kept: tree_sync finds the
** shared ones) and write or check the tree.
*/
static int write_tree(struct cli *c, struct tree_run *r, struct strbuf *out,
		      struct diag_list *dl)
{
	struct tree_object *t = xcalloc(r->n ? r->n : 1, sizeof *t);
	const char **hashes = xcalloc(r->n ? r->n : 1, sizeof *hashes);
	unsigned flags = (c->check ? TREE_CHECK : 0) | (c->diff ? TREE_DIFF : 0);
	int rc;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].rendered)
			sha256_hex(r->v[i].t.yaml, r->v[i].t.len, r->v[i].hex);
	if (r->n > 1)
		qsort(r->v, r->n, sizeof *r->v, cmp_tree_item);
	for (size_t i = 0; i < r->n; i++) {
		struct tree_item *it = &r->v[i];

		if (it->rendered)
			it->sha256 = it->hex;	/* after the sort moved it */
		t[i] = it->t;
		hashes[i] = it->sha256;
	}
#ifdef SK_TEST_HOOKS
	/* tests/gitops: make the n-th file-system change of the commit fail */
	if (getenv("SPARKGEN_TEST_FAIL_AFTER"))
		tree_test_fail_after(atol(getenv("SPARKGEN_TEST_FAIL_AFTER")));
	/* ... or the process die there (SIGKILL), or get a SIGTERM there */
	if (getenv("SPARKGEN_TEST_KILL_AFTER"))
		tree_test_signal_after(atol(getenv("SPARKGEN_TEST_KILL_AFTER")), SIGKILL);
	if (getenv("SPARKGEN_TEST_TERM_AFTER"))
		tree_test_signal_after(atol(getenv("SPARKGEN_TEST_TERM_AFTER")), SIGTERM);
#endif
	rc = tree_sync_hashed(c->output, t, hashes, r->n, flags, write_jobs(c),
			      c->check || c->gen.verbose ? out : NULL, dl);
	free(hashes);
	free(t);
	return rc;
}

/* A description of the tree: its bytes as hashed, and the cache's entry for them. */
struct tree_input {
	char *text;		/* NULL: unreadable, or found in the cache */
	size_t len;
	char key[SHA256_HEX_LEN + 1];
	struct gen_cache_app *hit;
};

/*
** Every description, in order: from the render cache when its inputs are
** unchanged, else compiled and rendered (the templates are loaded if any
** is, and the descriptions compiled in threads: jobs_for, gen_batch).
** Nothing is written unless every description compiled and every object
** was emitted.  A successful writing run then records in the cache what it
** rendered.
*/
static int run_tree(struct cli *c, char **files, size_t n, struct strbuf *out,
		    struct diag_list *dl)
{
	struct tree_input *in = xcalloc(n ? n : 1, sizeof *in);
	char **todo = xcalloc(n ? n : 1, sizeof *todo);
	char **keys = xcalloc(n ? n : 1, sizeof *keys);
	struct gen_facts *facts = xcalloc(n ? n : 1, sizeof *facts);
	struct gen_cache_obj *cobjs = NULL;
	struct gen_result *res = NULL;
	size_t ntodo = 0;
	struct tree_run r;
	struct gen_cache cache;
	struct gen g;
	bool inited = false;
	int rc = 0;

	memset(&r, 0, sizeof r);
	gen_cache_open(&cache, c->output, &c->gen);
	r.apps = xcalloc(n ? n : 1, sizeof *r.apps);
	for (size_t i = 0; i < cache.napps; i++)	/* room for the items up front */
		r.alloc += cache.apps[i].nobj;
	r.alloc += 256;
	r.v = xmalloc(r.alloc * sizeof *r.v);
	for (size_t i = 0; i < n; i++) {	/* what the cache holds is not compiled */
		in[i].text = gen_cache_read(&cache, files[i], &in[i].len, in[i].key);
		if (in[i].text && (in[i].hit = gen_cache_find(&cache, in[i].key))) {
			free(in[i].text);
			in[i].text = NULL;
		} else {
			todo[ntodo++] = files[i];
		}
	}
	if (ntodo) {
		inited = true;
		if (gen_init(&g, &c->gen, dl) < 0) {
			rc = -1;	/* as before: nothing is compiled */
		} else {
			res = xcalloc(ntodo, sizeof *res);
			gen_batch(&g, todo, ntodo, jobs_for(c, ntodo), true, res);
		}
	}
	for (size_t i = 0, k = 0; i < n && (res || !ntodo); i++) {	/* none if gen_init failed */
		struct gen_cache_app *hit = in[i].hit;
		struct gen_result *a;
		size_t first = r.n;
		bool quiet;

		if (hit) {
			struct gen_facts f = { xintern(files[i]), hit->ns, hit->app, hit->prefix,
					       hit->default_class, hit->named_sa, hit->own_sa,
					       hit->rbac };

			facts[i] = f;
			add_cached(&r, hit, f.file, c->gen.env);
			hit->used = true;
			r.apps[r.napps] = *hit;
			r.apps[r.napps++].used = true;
			continue;
		}
		a = &res[k++];
		quiet = a->dl.n == 0;
		if (diag_list_move(dl, &a->dl) < 0)
			xoom();
		if (a->rc < 0) {
			rc = -1;
			continue;
		}
		facts[i] = result_facts(files[i], a);
		add_rendered(&r, a, facts[i].file, c->gen.env);
		/* cache only what rendered without a word (warnings must show every
		 * run) from the bytes that were hashed (the file may have changed) */
		if (in[i].text && quiet && gen_cache_unchanged(files[i], in[i].text, in[i].len)) {
			struct gen_cache_app *e = &r.apps[r.napps++];

			e->key = keys[i] = xstrdup(in[i].key);
			e->ns = a->ns;
			e->app = a->app;
			e->prefix = a->prefix;
			e->default_class = a->default_class;
			e->named_sa = a->named_sa;
			e->own_sa = a->own_sa;
			e->rbac = a->rbac;
			e->nobj = r.n - first;
			e->objs = (struct gen_cache_obj *)(uintptr_t)first;	/* an index for now */
			e->used = false;	/* new */
			r.save = true;
		}
	}
	for (size_t i = 0; i < cache.napps; i++)
		r.save |= !cache.apps[i].used;	/* an entry to drop */
#ifdef SK_TEST_HOOKS
	/* tests/gitops: how many apps came from the render cache */
	if (getenv("SPARKGEN_TEST_CACHE_STATS")) {
		size_t hits = 0;
		for (size_t i = 0; i < cache.napps; i++)
			hits += cache.apps[i].used;
		fprintf(stderr, "sparkgen-hooks: render cache: %zu of %zu apps reused\n", hits, n);
	}
#endif
	if (rc == 0)
		rc = gen_check_apps(facts, n, c->gen.env, dl);
	if (rc == 0)
		rc = write_tree(c, &r, out, dl);
	if (rc == 0 && !c->check && r.save) {
		/* the new entries' objects, by arrival order (seq) */
		cobjs = xcalloc(r.n ? r.n : 1, sizeof *cobjs);
		for (size_t i = 0; i < r.n; i++) {
			struct gen_cache_obj *o = &cobjs[r.v[i].seq];

			o->kind = r.v[i].t.kind;
			o->name = r.v[i].t.name;
			o->ns = r.v[i].t.obj_ns;
			o->yaml = r.v[i].t.yaml;
			o->len = r.v[i].t.len;
			o->sha256 = r.v[i].sha256;
		}
		for (size_t i = 0; i < r.napps; i++)
			if (!r.apps[i].used)
				r.apps[i].objs = cobjs + (uintptr_t)r.apps[i].objs;
		gen_cache_save(&cache, r.apps, r.napps);
	}
	for (size_t k = 0; res && k < ntodo; k++)
		gen_result_release(&res[k]);	/* the tree's and the cache's YAML until here */
	free(res);
	if (inited)
		gen_release(&g);
	gen_cache_close(&cache);
	for (size_t i = 0; i < n; i++) {
		free(in[i].text);
		free(keys[i]);
	}
	free(in);
	free(facts);
	free(todo);
	free(keys);
	free(cobjs);
	free(r.v);
	free(r.apps);
	return rc;
}

int main(int argc, char **argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct files files = { NULL, 0, 0 };
	struct gen g;
	struct cli c;
	int rc = -1, status = SK_EXIT_ERROR;

	util_progname = "sparkgen";
	/* Each description's parse arena and JSON trees are freed before the
	 * next one is built; glibc's default would give the top of the heap
	 * back to the kernel after every app and fault it in again (a tenth of
	 * a run in brk and page faults).  Keep up to 64 MiB of it. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	jarena_install();	/* before any thread, and any JSON */
	if (parse_args(&c, argc, argv) < 0) {
		fputs(usage, stderr);
		return SK_EXIT_ERROR;
	}
	if (expand_args(argv + optind, argc - optind, &files, &dl) == 0) {
		if (c.output)	/* loads the templates only if an app needs them */
			rc = run_tree(&c, files.v, files.n, &out, &dl);
		else if (gen_init(&g, &c.gen, &dl) < 0)
			rc = -1;
		else if (c.mode == MODE_DEFAULTS)
			rc = run_defaults(&g, &out, &dl);
		else if (c.mode == MODE_MANIFESTS)
			rc = run_manifests(&g, &c, files.v, files.n, &out, &dl);
		else
			rc = run_submit(&g, &c, files.v, files.n, &out, &dl);
		if (!c.output)
			gen_release(&g);
	}
	files_release(&files);
	if (out.oom)
		rc = diag_addf(&dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
			       "out of memory");
	print_diags(&dl);
	if (rc >= 0 && diag_count(&dl, DIAG_ERROR) == 0) {
		if ((out.len == 0 || fwrite(out.buf, 1, out.len, stdout) == out.len) &&
		    fflush(stdout) == 0 && !ferror(stdout))
			status = rc == 1 ? SK_EXIT_FINDINGS : SK_EXIT_OK;
		else if (c.output && !c.check)	/* --verbose: the list comes after the commit */
			fprintf(stderr, "%s: the tree was written, but the list of what changed "
				"could not be: cannot write to stdout\n", util_progname);
		else
			fprintf(stderr, "%s: cannot write to stdout\n", util_progname);
	}
	strbuf_release(&out);
	diag_list_release(&dl);
	util_intern_release();
	if (fclose(stdout) != 0 && status == SK_EXIT_OK) {
		fprintf(stderr, "%s: cannot write to stdout\n", util_progname);
		status = SK_EXIT_ERROR;
	}
	return status;
}
