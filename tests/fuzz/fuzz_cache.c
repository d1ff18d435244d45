/*
** tests/fuzz/fuzz_cache.c: sparkgen's render cache file (gen/cache.c) as
** read back from disk: a damaged or hand-made file must be taken whole or
** ignored, never read out of bounds.  The harness frames the input as the
** file would be (magic line first, a correct "end" checksum line last, so
** that the fuzzer explores the body), writes it where gen_cache_open looks,
** and opens it.  Oracles: every parsed app is found again by its key, every
** word is a NUL-terminated string inside the file, and what gen_cache_save
** writes from the parsed apps parses again to the same apps.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "compile.h"
#include "strbuf.h"
#include "util.h"

#include "fuzz_common.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif
#define FUZZ_MAX_INPUT (256u << 10)
#define FUZZ_OUTDIR "/nonexistent/sparkgen-fuzz-tree"

static struct gen_options fuzz_opts = { .datadir = FUZZ_ROOT };
static char fuzz_dir[256];
static char *fuzz_file;		/* where gen_cache_open reads */
static volatile size_t fuzz_sink;	/* keeps the reads of every YAML byte */

static void remove_dir(void)
{
	if (fuzz_file)
		unlink(fuzz_file);
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct gen_cache c;

	(void)argc;
	(void)argv;
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/sk-fuzz-cache-%ld",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid());
	if (mkdir(fuzz_dir, 0700) < 0)
		fuzz_bug("cannot create %s", fuzz_dir);
	setenv("SPARKGEN_CACHE", fuzz_dir, 1);
	atexit(remove_dir);
	gen_cache_open(&c, FUZZ_OUTDIR, &fuzz_opts);
	if (!c.enabled)
		fuzz_bug("the render cache is off (build IDs, schema or templates under %s)",
			 FUZZ_ROOT);
	fuzz_file = xstrdup(c.file);
	gen_cache_close(&c);
	return 0;
}

static void write_file(const char *body, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp;

	strbuf_init(&sb);
	strbuf_addstr(&sb, "sparkgen-cache 4\n");
	strbuf_add(&sb, body, len);
	strbuf_addf(&sb, "end %016llx\n", (unsigned long long)gen_cache_sum(sb.buf, sb.len));
	unlink(fuzz_file);
	fp = fopen(fuzz_file, "wb");
	if (!fp || fwrite(sb.buf, 1, sb.len, fp) != sb.len || fclose(fp) != 0)
		fuzz_bug("cannot write %s", fuzz_file);
	chmod(fuzz_file, 0600);
	strbuf_release(&sb);
}

/* A word must be a string inside the words arena. */
static void check_word(const struct gen_cache *c, const char *w, const char *what)
{
	if (!w)
		return;
	if (w < c->words.buf || w >= c->words.buf + c->words.len ||
	    strlen(w) >= (size_t)(c->words.buf + c->words.len - w))
		fuzz_bug("%s outside the words arena", what);
}

static void check_parsed(struct gen_cache *c)
{
	size_t sum = 0;

	for (size_t i = 0; i < c->napps; i++) {
		struct gen_cache_app *a = &c->apps[i], *f = gen_cache_find(c, a->key);

		check_word(c, a->key, "key");
		check_word(c, a->ns, "namespace");
		check_word(c, a->app, "app");
		check_word(c, a->prefix, "prefix");
		check_word(c, a->default_class, "default class");
		check_word(c, a->named_sa, "driver account");
		if (!f || strcmp(f->key, a->key))
			fuzz_bug("app %zu is not found by its key", i);
		for (size_t k = 0; k < a->nobj; k++) {
			const struct gen_cache_obj *o = &a->objs[k];

			check_word(c, o->kind, "kind");
			check_word(c, o->ns, "object namespace");
			check_word(c, o->name, "name");
			check_word(c, o->sha256, "sha256");
			if (o->yaml < c->map || o->len > (size_t)(c->map + c->maplen - o->yaml))
				fuzz_bug("object YAML outside the file");
			for (size_t b = 0; b < o->len; b++)	/* ASan sees every byte */
				sum += (unsigned char)o->yaml[b];
		}
	}
	fuzz_sink = sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gen_cache c, again;
	size_t n;
	char **keys;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	write_file((const char *)data, size);
	gen_cache_open(&c, FUZZ_OUTDIR, &fuzz_opts);
	if (!c.enabled)
		fuzz_bug("the render cache went off");
	check_parsed(&c);
	/* Saved and read again: the same apps (save drops duplicate keys, and
	   apps with words it could not write back). */
	n = c.napps;
	keys = calloc(n ? n : 1, sizeof(*keys));
	for (size_t i = 0; keys && i < n; i++)
		keys[i] = xstrdup(c.apps[i].key);
	gen_cache_save(&c, c.apps, c.napps);
	gen_cache_open(&again, FUZZ_OUTDIR, &fuzz_opts);
	check_parsed(&again);
	if (again.napps > n)
		fuzz_bug("saving %zu apps gave %zu", n, again.napps);
	for (size_t i = 0; i < again.napps; i++) {
		bool known = false;

		for (size_t k = 0; keys && k < n && !known; k++)
			known = !strcmp(keys[k], again.apps[i].key);
		if (!known)
			fuzz_bug("a saved app has a key that was not parsed");
	}
	/* what the checks across apps read comes back as it was saved */
	for (size_t i = 0; i < again.napps; i++) {
		const struct gen_cache_app *a = &again.apps[i], *b = gen_cache_find(&c, a->key);
		size_t dup = 0;

		for (size_t k = 0; k < c.napps; k++)
			dup += !strcmp(c.apps[k].key, a->key);
		if (b && dup == 1 && (a->own_sa != b->own_sa || a->rbac != b->rbac ||
				      !a->named_sa != !b->named_sa ||
				      (a->named_sa && strcmp(a->named_sa, b->named_sa))))
			fuzz_bug("app %zu's driver account or rbac changed on saving", i);
	}
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	gen_cache_close(&again);
	gen_cache_close(&c);
	return 0;
}
