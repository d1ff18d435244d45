/*
** base_emit.c: the baseline for sparkgen's full generation.  Parses every
** file named on the command line (or listed in an @LIST file) into libyaml
** events, untimed, then times libyaml's emitter writing all of them again,
** block style, to a sink that only counts bytes.  Prints
** "SECONDS DOCUMENTS BYTES" for the emit phase: the emitter's own cost for
** the same YAML, without reading, parsing or writing files.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

struct events {
	yaml_event_t *v;
	size_t n, alloc;
};

static int push(struct events *e, const yaml_event_t *ev)
{
	if (e->n == e->alloc) {
		size_t cap = e->alloc ? e->alloc * 2 : 4096;
		yaml_event_t *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -1;
		e->v = v;
		e->alloc = cap;
	}
	e->v[e->n++] = *ev;
	return 0;
}

/* Keep every event of `path`; the emitter frees them later. */
static long parse_file(const char *path, struct events *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	long docs = 0;
	int done = 0;
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		perror(path);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "%s: %s\n", path, parser.problem);
			docs = -1;
			break;
		}
		docs += ev.type == YAML_DOCUMENT_START_EVENT;
		done = ev.type == YAML_STREAM_END_EVENT;
		if (push(e, &ev) < 0) {
			fprintf(stderr, "out of memory\n");
			yaml_event_delete(&ev);
			docs = -1;
			break;
		}
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return docs;
}

static int each_arg(const char *arg, struct events *e, long *total)
{
	char line[4096];
	FILE *list;
	long n = 0;

	if (arg[0] != '@') {
		n = parse_file(arg, e);
		*total += n;
		return n < 0 ? -1 : 0;
	}
	if (!(list = fopen(arg + 1, "r"))) {
		perror(arg + 1);
		return -1;
	}
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && (n = parse_file(line, e)) < 0)
			break;
		*total += line[0] ? n : 0;
	}
	fclose(list);
	return n < 0 ? -1 : 0;
}

static int count_bytes(void *data, unsigned char *buf, size_t size)
{
	(void)buf;
	*(size_t *)data += size;
	return 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Emit every kept event; a stream end closes one emitter, so one per file. */
static int emit_all(struct events *e, size_t *bytes)
{
	yaml_emitter_t em;
	int open = 0;

	for (size_t i = 0; i < e->n; i++) {
		yaml_event_t *ev = &e->v[i];

		if (!open) {
			yaml_emitter_initialize(&em);
			yaml_emitter_set_output(&em, count_bytes, bytes);
			yaml_emitter_set_unicode(&em, 1);
			yaml_emitter_set_width(&em, -1);
			open = 1;
		}
		if (!yaml_emitter_emit(&em, ev)) {
			fprintf(stderr, "emit: %s\n", em.problem ? em.problem : "error");
			yaml_emitter_delete(&em);
			return -1;
		}
		if (ev->type == YAML_STREAM_END_EVENT) {
			yaml_emitter_delete(&em);
			open = 0;
		}
	}
	if (open)
		yaml_emitter_delete(&em);
	return 0;
}

int main(int argc, char **argv)
{
	struct events e = { NULL, 0, 0 };
	long docs = 0;
	size_t bytes = 0;
	double t;

	for (int i = 1; i < argc; i++)
		if (each_arg(argv[i], &e, &docs) < 0)
			return 2;
	t = now();
	if (emit_all(&e, &bytes) < 0)
		return 2;
	t = now() - t;
	printf("%.6f %ld %zu\n", t, docs, bytes);
	free(e.v);
	return 0;
}
