/*
** tests/tools/inspect.c: `inspect [--positions] FILE...|-`, the loader
** and lib/inspect.c without the linter: one JSON line per document on
** stdout, diagnostics on stderr; exit 2 when any input had an error.
*/
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "inspect.h"
#include "strbuf.h"
#include "util.h"
#include "ydoc.h"

static int inspect_one(const char *path, bool positions, struct diag_list *dl)
{
	struct strbuf out = STRBUF_INIT;
	struct ystream ys;
	int rc;

	strbuf_init(&out);
	rc = ystream_load_file(&ys, path, dl);
	if (inspect_stream(&out, &ys, positions, dl) < 0)
		rc = -1;
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	ystream_release(&ys);
	return rc;
}

int main(int argc, char **argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	bool positions = false;
	int i = 1, status = SK_EXIT_OK;

	util_progname = "inspect";
	if (i < argc && !strcmp(argv[i], "--positions")) {
		positions = true;
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: inspect [--positions] FILE...|-\n");
		return SK_EXIT_ERROR;
	}
	for (; i < argc; i++)
		if (inspect_one(argv[i], positions, &dl) < 0)
			status = SK_EXIT_ERROR;
	for (size_t k = 0; k < dl.n; k++)
		diag_print(stderr, &dl.v[k], false);
	diag_list_release(&dl);
	util_intern_release();
	if (fflush(stdout) != 0 || ferror(stdout))
		status = SK_EXIT_ERROR;
	return status;
}
