/*
** cache.h: sparkgen -o's render cache.  Compiling and rendering a
** description is a pure function of its bytes, the schema, the templates,
** --env and the sparkgen build; the cache keeps, per output directory, the
** YAML each app rendered to under a SHA-256 of exactly those inputs, so an
** unchanged app is not compiled again.  The tree writer still compares
** every file with the disk.  Where it lives and what it keys on:
** docs/gitops.md ("The render cache").
*/
#ifndef SK_CACHE_H
#define SK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "sha256.h"

struct gen_cache_obj {
	const char *kind, *name;
	const char *ns;		/* metadata.namespace; NULL when cluster-scoped */
	const char *yaml;	/* the emitted document, `len` bytes */
	size_t len;
	const char *sha256;	/* SHA256_HEX_LEN hex digits: the hash of yaml */
};

struct gen_cache_app {
	const char *key;	/* SHA256_HEX_LEN hex digits */
	const char *ns, *app;	/* app.namespace, app.name */
	const char *prefix, *default_class;	/* as in struct gen_facts (NULL: "-" in the file) */
	const char *named_sa;	/* as in struct gen_facts; in the file one word with own_sa: */
	bool own_sa;		/* "+" own_sa, "-" neither, else named_sa */
	bool rbac;		/* as in struct gen_facts: "+" or "-" in the file */
	struct gen_cache_obj *objs;	/* in render order */
	size_t nobj;
	bool used;		/* looked up by this run */
};

struct gen_cache {
	bool enabled;
	char *file;		/* owned: the cache file of this output dir */
	char global[SHA256_HEX_LEN + 1];	/* hash of what every app shares */
	const char *map;	/* the file, mapped read-only; the YAML is used in place */
	size_t maplen;
	struct cache_words {	/* the file's names and hashes, NUL-terminated */
		char *buf;	/* owned */
		size_t len;
	} words;
	struct gen_cache_app *apps;	/* owned, sorted by key */
	size_t napps;
	struct gen_cache_obj *objs;	/* owned: every app's objects */
};

/*
** Set up the cache for `outdir` and the options `o`: hash the shared inputs
** and read the cache file.  Never fails: anything unusual (no cache dir,
** an unreadable template, a build without a build ID, --verbose, a
** damaged file) leaves the cache disabled or empty.
*/
void gen_cache_open(struct gen_cache *c, const char *outdir, const struct gen_options *o);
void gen_cache_close(struct gen_cache *c);

/*
** Read the description `path` and hash it into `key`: returns the bytes
** (caller frees; *len set), or NULL when the cache is off or the file is
** not a readable regular file (then compile it from its path as usual).
*/
char *gen_cache_read(struct gen_cache *c, const char *path, size_t *len,
		     char key[SHA256_HEX_LEN + 1]);

/*
** Whether `path` still holds the `len` bytes `text` gen_cache_read gave:
** a description compiled from its path is cached only then.
*/
bool gen_cache_unchanged(const char *path, const char *text, size_t len);

/* The cached rendering for `key`, or NULL. */
struct gen_cache_app *gen_cache_find(struct gen_cache *c, const char *key);

/*
** Replace the cache file with `apps` (any order; duplicates of one key
** written once).  Best effort: failures are silent (the next run compiles).
*/
void gen_cache_save(struct gen_cache *c, struct gen_cache_app *apps, size_t n);

/* The checksum of a cache file's "end" line, over the bytes before it (for tests). */
uint64_t gen_cache_sum(const char *p, size_t len);

#endif
