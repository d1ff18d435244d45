/*
** main.c: the sparkgen command line.  Parses options, runs the compiler
** (gen/compile.c) over every description, prints diagnostics to stderr and
** the manifests (or the spark-submit line, or the defaults) to stdout, and
** maps the outcome to an exit code.  Only this file prints or exits.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "objects.h"
#include "strbuf.h"
#include "submit.h"
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
};

static const char usage[] =
	"usage: sparkgen [--env NAME] [--templates DIR] [--json] APP.yaml...\n"
	"       sparkgen --submit [--env NAME] APP.yaml...\n"
	"       sparkgen --validate [--env NAME] APP.yaml...\n"
	"       sparkgen --defaults\n"
	"\n"
	"Compile Spark Streaming app descriptions into Kubernetes manifests, written\n"
	"to stdout as one YAML stream in apply order.\n"
	"\n"
	"  --env NAME        merge environments.NAME of each description over it\n"
	"  --templates DIR   use the templates in DIR instead of the bundled ones\n"
	"  --json            write the objects as one JSON array instead of YAML\n"
	"  --submit          print the spark-submit command matching the manifests\n"
	"  --validate        check the descriptions only; write nothing\n"
	"  --defaults        print every default of the description format as YAML\n"
	"  --verbose         let print() in template expressions write to stderr\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 ok, 2 any error (nothing is written to stdout then).\n"
	"Docs: docs/sparkgen.md; the format: schema/sparkgen.schema.json.\n";

static int parse_args(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "templates", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
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
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'e': c->gen.env = optarg; break;
		case 't': c->gen.templates = optarg; break;
		case 'j': c->json = true; break;
		case 's': c->mode = MODE_SUBMIT; break;
		case 'V': c->mode = MODE_VALIDATE; break;
		case 'd': c->mode = MODE_DEFAULTS; break;
		case 'v': c->gen.verbose = true; break;
		case 'h': fputs(usage, stdout); exit(SK_EXIT_OK);
		case 'r': printf("sparkgen %s\n", SK_VERSION); exit(SK_EXIT_OK);
		default: return -1;
		}
	}
	c->gen.need_templates = c->mode == MODE_MANIFESTS;
	if (c->mode == MODE_DEFAULTS ? optind != argc : optind == argc) {
		fprintf(stderr, "%s: %s\n", util_progname,
			c->mode == MODE_DEFAULTS ? "--defaults takes no files"
						 : "no app description given");
		return -1;
	}
	return 0;
}

static void print_diags(struct diag_list *dl)
{
	const char *nc = getenv("NO_COLOR");
	bool color = isatty(STDERR_FILENO) && !(nc && *nc);

	diag_sort(dl);
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

static int run_submit(struct gen *g, struct cli *c, char **files, int n,
		      struct strbuf *out, struct diag_list *dl)
{
	int rc = 0;

	for (int i = 0; i < n; i++) {
		json_t *model;
		if (gen_model(g, files[i], &model, dl) < 0) {
			rc = -1;
			continue;
		}
		if (c->mode == MODE_SUBMIT) {
			if (out->len)
				strbuf_addch(out, '\n');
			submit_format(model, out);
		}
		json_decref(model);
	}
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

static int run_manifests(struct gen *g, struct cli *c, char **files, int n,
			 struct strbuf *out, struct diag_list *dl)
{
	struct gen_objects objs = GEN_OBJECTS_INIT;
	int rc = 0;

	for (int i = 0; i < n; i++)
		if (gen_app(g, files[i], &objs, dl) < 0)
			rc = -1;
	if (rc == 0)
		rc = gen_objects_finish(&objs, dl);
	if (rc == 0)
		rc = write_objects(&objs, c->json, out, dl);
	gen_objects_release(&objs);
	return rc;
}

int main(int argc, char **argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct gen g;
	struct cli c;
	int rc = -1, status = SK_EXIT_ERROR;

	util_progname = "sparkgen";
	if (parse_args(&c, argc, argv) < 0) {
		fputs(usage, stderr);
		return SK_EXIT_ERROR;
	}
	if (gen_init(&g, &c.gen, &dl) == 0) {
		if (c.mode == MODE_DEFAULTS)
			rc = run_defaults(&g, &out, &dl);
		else if (c.mode == MODE_MANIFESTS)
			rc = run_manifests(&g, &c, argv + optind, argc - optind, &out, &dl);
		else
			rc = run_submit(&g, &c, argv + optind, argc - optind, &out, &dl);
	}
	gen_release(&g);
	if (out.oom)
		rc = diag_addf(&dl, DIAG_ERROR, "oom", (struct diag_pos){ NULL, 0, 0 },
			       "out of memory");
	print_diags(&dl);
	if (rc == 0 && diag_count(&dl, DIAG_ERROR) == 0) {
		if ((out.len == 0 || fwrite(out.buf, 1, out.len, stdout) == out.len) &&
		    fflush(stdout) == 0 && !ferror(stdout))
			status = SK_EXIT_OK;
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
