/*
** tests/tools/ybench.c: loader throughput against the floor, libyaml's
** plain event loop.  `ybench [-n N] FILE` parses FILE N times each way
** and prints both rates and their ratio (the issue asks for >= 0.5).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <yaml.h>

#include "diag.h"
#include "util.h"
#include "ydoc.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The floor: every event parsed and freed, nothing built. */
static int events_only(const char *path, size_t *nev)
{
	FILE *fp = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, rc = 0;

	if (!fp)
		return -1;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, fp);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		(*nev)++;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(fp);
	return rc;
}

static int load(const char *path, size_t *ndocs)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct ystream ys;
	int rc = ystream_load_file(&ys, path, &dl);

	*ndocs += ys.ndocs;
	ystream_release(&ys);
	diag_list_release(&dl);
	return rc;
}

int main(int argc, char **argv)
{
	int n = 5, i = 1;
	double best_ev = 1e9, best_ld = 1e9, mb;
	size_t nev = 0, ndocs = 0;
	struct stat st;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc || stat(argv[i], &st) < 0) {
		fprintf(stderr, "usage: ybench [-n N] FILE\n");
		return SK_EXIT_ERROR;
	}
	mb = st.st_size / 1e6;
	for (int r = 0; r < n; r++) {	/* interleave, keep the best of each */
		double t = now();

		if (events_only(argv[i], &nev) < 0)
			return SK_EXIT_ERROR;
		if (now() - t < best_ev)
			best_ev = now() - t;
		t = now();
		if (load(argv[i], &ndocs) < 0)
			return SK_EXIT_ERROR;
		if (now() - t < best_ld)
			best_ld = now() - t;
	}
	printf("events only: %.1f MB/s (%zu events)\n", mb / best_ev, nev / (size_t)n);
	printf("ydoc load:   %.1f MB/s (%zu documents)\n", mb / best_ld, ndocs / (size_t)n);
	printf("ratio:       %.2f\n", best_ev / best_ld);
	util_intern_release();
	return SK_EXIT_OK;
}
