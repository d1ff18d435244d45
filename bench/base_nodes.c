/*
** base_nodes.c: the second baseline.  Loads every document of every file
** named on the command line into libyaml's node tree (yaml_parser_load),
** i.e. parsing plus node construction.  Prints the number of documents.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

static long load_file(const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	long docs = 0;
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		perror(path);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	for (;;) {
		int empty;

		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s: %s\n", path, parser.problem);
			docs = -1;
			break;
		}
		empty = !yaml_document_get_root_node(&doc);
		yaml_document_delete(&doc);
		if (empty)
			break;
		docs++;
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
		n = load_file(arg);
		*total += n;
		return n < 0 ? -1 : 0;
	}
	if (!(list = fopen(arg + 1, "r"))) {
		perror(arg + 1);
		return -1;
	}
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && (n = load_file(line)) < 0)
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
