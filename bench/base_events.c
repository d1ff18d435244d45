/*
** base_events.c: the benchmark floor.  Parses every file named on the
** command line with libyaml's event API and nothing else, the least any
** libyaml-based tool must do.  Prints the number of documents.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

static long parse_file(const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
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
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "%s: %s\n", path, parser.problem);
			docs = -1;
			break;
		}
		docs += event.type == YAML_DOCUMENT_START_EVENT;
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return docs;
}

/* An argument "@LIST" names a file that lists one path per line. */
static int each_arg(const char *arg, long *total)
{
	char line[4096];
	FILE *list;
	long n = 0;

	if (arg[0] != '@') {
		n = parse_file(arg);
		*total += n;
		return n < 0 ? -1 : 0;
	}
	if (!(list = fopen(arg + 1, "r"))) {
		perror(arg + 1);
		return -1;
	}
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && (n = parse_file(line)) < 0)
			break;
		*total += line[0] ? n : 0;
	}
	fclose(list);
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	long total = 0;

	for (int i = 1; i < argc; i++)
		if (each_arg(argv[i], &total) < 0)
			return 2;
	printf("%ld\n", total);
	return 0;
}
