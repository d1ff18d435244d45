/*
** tests/fuzz/fuzz_gen.c: sparkgen's compiler (gen/) on arbitrary app
** descriptions: load, schema validation, --env overlay, defaults, model,
** the bundled templates, apply order, the spark-submit line.  The input is
** written to a temp file because gen_app() reads a path.  A description
** that compiles must give objects the emitter writes and the loader reads
** back unchanged; a failure must come with an error diagnostic.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "compile.h"
#include "diag.h"
#include "objects.h"
#include "strbuf.h"
#include "submit.h"
#include "util.h"
#include "ydoc.h"
#include "yemit.h"

#include "fuzz_common.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif
#define FUZZ_MAX_INPUT (256u << 10)

static struct gen fuzz_gen;
static char fuzz_path[256];

static void remove_input(void)
{
	unlink(fuzz_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gen_options o = { .datadir = FUZZ_ROOT, .need_templates = true };
	struct diag_list dl = DIAG_LIST_INIT;
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (gen_init(&fuzz_gen, &o, &dl) < 0) {
		fuzz_print_diags(&dl);
		fuzz_bug("gen_init failed (schema or templates under %s)", FUZZ_ROOT);
	}
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/sk-fuzz-gen-%ld.yaml",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid());
	atexit(remove_input);
	diag_list_release(&dl);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	FILE *fp = fopen(fuzz_path, "wb");

	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		fuzz_bug("cannot write %s", fuzz_path);
}

/* The objects as a YAML stream must load back to the same objects. */
static void round_trip(const struct gen_objects *objs)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct ystream ys;
	json_t **docs = calloc(objs->n ? objs->n : 1, sizeof(*docs));

	memset(&ys, 0, sizeof(ys));
	for (size_t i = 0; docs && i < objs->n; i++)
		docs[i] = objs->v[i].obj;
	if (!docs || yemit_docs(&out, docs, objs->n, &dl) < 0) {
		for (size_t i = 0; docs && i < objs->n; i++)
			if (fuzz_unemittable(docs[i], YDOC_MAX_DEPTH))
				goto out;
		fuzz_print_diags(&dl);
		fuzz_bug("generated objects cannot be emitted");
	}
	if (ystream_load_buffer(&ys, "generated.yaml", out.buf ? out.buf : "",
				out.len, &dl) < 0 || ys.ndocs != objs->n) {
		fuzz_print_diags(&dl);
		fprintf(stderr, "emitted:\n%s\n", out.buf);
		fuzz_bug("generated stream does not load back (%zu of %zu documents)",
			 ys.ndocs, objs->n);
	}
	for (size_t i = 0; i < objs->n; i++) {
		json_t *back = ynode_to_json(ys.docs[i].root);

		if (!back || !fuzz_same_ordered(docs[i], back)) {
			fuzz_print_json("object  ", docs[i]);
			fuzz_print_json("reloaded", back);
			fuzz_bug("generated object %zu changed through YAML", i);
		}
		json_decref(back);
	}
out:
	ystream_release(&ys);
	strbuf_release(&out);
	diag_list_release(&dl);
	free(docs);
}

/* One compile, with `env` as --env (may be NULL). */
static void compile(const char *env)
{
	struct gen_objects objs = GEN_OBJECTS_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	int rc;

	fuzz_gen.env = env;
	rc = gen_app(&fuzz_gen, fuzz_path, &objs, &dl);
	if (rc == 0)
		rc = gen_objects_finish(&objs, NULL, &dl);
	if (getenv("FUZZ_VERBOSE")) {
		fprintf(stderr, "compile (env %s): rc %d, %zu objects\n",
			env ? env : "none", rc, objs.n);
		fuzz_print_diags(&dl);
	}
	if (rc < 0 && diag_count(&dl, DIAG_ERROR) == 0)
		fuzz_bug("compile failed without an error diagnostic");
	if (rc == 0) {
		json_t *model = NULL;
		struct strbuf sub = STRBUF_INIT;

		if (diag_count(&dl, DIAG_ERROR))
			fuzz_bug("compile succeeded with an error diagnostic");
		round_trip(&objs);
		if (gen_model(&fuzz_gen, fuzz_path, &model, &dl) < 0)
			fuzz_bug("gen_model fails where gen_app succeeded");
		submit_format(model, &sub);
		if (sub.len == 0)
			fuzz_bug("empty spark-submit command");
		strbuf_release(&sub);
		json_decref(model);
	}
	gen_objects_release(&objs);
	diag_list_release(&dl);
}

static bool contains(const uint8_t *data, size_t size, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= size; i++)
		if (data[i] == (uint8_t)word[0] && !memcmp(data + i, word, n))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	write_input(data, size);
	compile(NULL);
	/* The overlay path, when the input has one to pick ("ci", "prod" in
	** the seeds and the dictionary). */
	if (contains(data, size, "environments")) {
		compile("ci");
		compile("prod");
	}
	return 0;
}
