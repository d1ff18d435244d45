/*
** tests/tools/yemit.c: the emitter driver for tests/emit.  Reads one JSON
** value, or several (JSON Lines, or values just concatenated), from FILE or
** stdin and writes them as one YAML stream with yemit_docs().
** Usage: yemit [FILE|-]; exit 0, or 2 with diagnostics on stderr.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "strbuf.h"
#include "util.h"
#include "yemit.h"

#define MAX_INPUT (256u << 20)

/* Parse every JSON value in buf; returns the count, or -1 (message printed). */
static long parse_all(const char *buf, size_t len, json_t ***docs)
{
	size_t off = 0, n = 0, alloc = 0;
	json_t **v = NULL, **nv, *j;
	json_error_t err;

	for (;;) {
		while (off < len && strchr(" \t\r\n", buf[off]))
			off++;
		if (off >= len)
			break;
		j = json_loadb(buf + off, len - off, JSON_DECODE_ANY |
			       JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
		if (!j) {
			fprintf(stderr, "yemit: invalid JSON at byte %zu: %s\n",
				off + (size_t)err.position, err.text);
			goto out_fail;
		}
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			nv = realloc(v, alloc * sizeof(*v));
			if (!nv) {
				json_decref(j);
				fprintf(stderr, "yemit: out of memory\n");
				goto out_fail;
			}
			v = nv;
		}
		v[n++] = j;
		off += (size_t)err.position;
	}
	*docs = v;
	return (long)n;
out_fail:
	while (n > 0)
		json_decref(v[--n]);
	free(v);
	return -1;
}

int main(int argc, char **argv)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	json_t **docs = NULL;
	char *buf;
	size_t len, i;
	long n;
	int rc = 2;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: yemit [FILE|-]\n");
		return 2;
	}
	buf = util_read_file(argc == 2 ? argv[1] : "-", MAX_INPUT, &len, &dl);
	if (!buf)
		goto out_diags;
	n = parse_all(buf, len, &docs);
	free(buf);
	if (n < 0)
		goto out_diags;
	strbuf_init(&out);
	if (yemit_docs(&out, docs, (size_t)n, &dl) == 0 &&
	    fwrite(out.buf, 1, out.len, stdout) == out.len &&
	    fflush(stdout) == 0)
		rc = 0;
	strbuf_release(&out);
	for (i = 0; i < (size_t)n; i++)
		json_decref(docs[i]);
	free(docs);
out_diags:
	for (i = 0; i < dl.n; i++)
		diag_print(stderr, &dl.v[i], false);
	diag_list_release(&dl);
	return rc;
}
