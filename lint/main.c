/*
** main.c: the sparklint command line.  Parses options (jq/git style), runs
** the requested mode (lint, --list-rules, --explain, --inspect,
** --list-objects, --list-rule-files, --test-rules), prints, and maps the
** outcome to an exit code.  The only place in sparklint that prints or
** exits.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "docset.h"
#include "embed.h"
#include "engine.h"
#include "fixtures.h"
#include "input.h"
#include "inspect.h"
#include "lintrun.h"
#include "report.h"
#include "ruleset.h"
#include "strbuf.h"
#include "util.h"

static const char usage_text[] =
"usage: sparklint [options] [PATH...]      lint manifests (files, dirs, - = stdin)\n"
"       sparklint --list-rules | --list-rule-files | --explain RULE\n"
"       sparklint --inspect [--positions] FILE...|-\n"
"       sparklint --list-objects PATH...|- one line an object: apiVersion, kind,\n"
"                                          namespace, name (tab-separated)\n"
"       sparklint --test-rules DIR [--fixtures FDIR]\n"
"\n"
"  -f, --format FMT      text (default), json, sarif or github\n"
"      --fail-level LVL  exit 1 on findings at or above LVL: error (default),\n"
"                        warning or info\n"
"  -c, --config FILE     use FILE instead of the nearest .sparklint.yaml\n"
"      --no-config       ignore .sparklint.yaml\n"
"  -r, --rules DIR       also load the rules in DIR (repeatable)\n"
"      --rule ID         run only rule ID (repeatable; overrides the config)\n"
"      --context DIR     load DIR's manifests for cross-references only;\n"
"                        report nothing on them (repeatable)\n"
"      --context-list F  --context for each path listed in F, one a line\n"
"      --allow-no-objects  no Kubernetes object in the PATHs is a clean run\n"
"      --show-suppressed list suppressed findings too\n"
"      --report-unused-ignores\n"
"                        report suppressions that silence nothing or name\n"
"                        no rule (errors: unused-ignore)\n"
"  -j, --jobs N          worker threads (default: online CPUs)\n"
"      --color WHEN      auto (default), always or never; NO_COLOR is honoured\n"
"  -q, --quiet           only findings at or above the fail level, no summary\n"
"      --verbose         let rules print() to stderr; Lua tracebacks in hints\n"
"  -h, --help            this help;  --version  the version\n"
"\n"
"Exit: 0 clean, 1 findings at or above the fail level, 2 usage, input or\n"
"rule error.  Docs: docs/sparklint.md; rule docs: sparklint --explain RULE.\n";

enum mode {
	MODE_LINT, MODE_LIST, MODE_EXPLAIN, MODE_INSPECT, MODE_OBJECTS, MODE_TEST,
	MODE_RULE_FILES
};

struct opts {
	enum mode mode;
	struct report_opts report;
	int fail_level;
	const char *config;
	bool no_config;
	const char **rules_dirs, **context, **context_lists, **paths, **only;
	size_t nrules_dirs, ncontext, ncontext_lists, npaths, nonly;
	bool allow_no_objects;		/* --allow-no-objects */
	unsigned jobs;
	int color;			/* -1 auto */
	bool verbose, positions;
	bool report_unused;		/* --report-unused-ignores */
	const char *explain, *test_rules, *fixtures;
};

/* ---- small helpers ------------------------------------------------------ */

static int die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "sparklint: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'sparklint --help'.\n");
	return SK_EXIT_ERROR;
}

static bool want_color(int setting, int fd)
{
	const char *nc = getenv("NO_COLOR");

	if (setting >= 0)
		return setting;
	return isatty(fd) && !(nc && *nc);
}

/* Diagnostics on stderr: --color decides there too, auto by stderr. */
static void print_diags(struct diag_list *dl, int setting)
{
	bool color = want_color(setting, 2);

	diag_sort(dl);
	diag_uniq(dl);
	for (size_t i = 0; i < dl->n; i++)
		diag_print(stderr, &dl->v[i], color);
}

static void push_arg(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = s;
}

/* Flush stdout and check it, as jq does: a failed write is exit 2. */
static int finish_output(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "sparklint: error: writing output failed: %s\n",
			strerror(errno));
		return SK_EXIT_ERROR;
	}
	return code;
}

static void write_out(const struct strbuf *sb)
{
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, stdout);
}

/* ---- option parsing ----------------------------------------------------- */

/*
** Match argv[*i] against -s / --long, with the value inline (--long=v,
** -sv) or in the next argument.  Returns true when matched; *val is set for
** options taking a value (NULL when it is missing).
*/
static bool isopt(char **argv, int argc, int *i, char s, const char *lng,
		  bool takes, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	*val = NULL;
	if (a[1] == '-' && !strncmp(a + 2, lng, n) && (!a[2 + n] || a[2 + n] == '=')) {
		if (!takes)
			return a[2 + n] == '\0';
		if (a[2 + n] == '=')
			*val = a + 3 + n;
		else if (*i + 1 < argc)
			*val = argv[++*i];
		return true;
	}
	if (!s || a[1] != s)
		return false;
	if (!takes)
		return a[2] == '\0';
	if (a[2])
		*val = a + 2;
	else if (*i + 1 < argc)
		*val = argv[++*i];
	return true;
}

static int parse_value(struct opts *o, const char *name, const char *val)
{
	int x;

	if (!val)
		return die_usage("option '%s' needs a value", name);
	if (!strcmp(name, "format")) {
		if ((x = report_format_parse(val)) < 0)
			return die_usage("unknown format '%s' (text, json, sarif, github)", val);
		o->report.format = (enum report_format)x;
	} else if (!strcmp(name, "fail-level")) {
		if ((o->fail_level = diag_level_parse(val)) < 0)
			return die_usage("unknown level '%s' (error, warning, info)", val);
	} else if (!strcmp(name, "jobs")) {
		char *end;
		long n = strtol(val, &end, 10);

		if (*end || n < 1 || n > 1024)
			return die_usage("bad job count '%s'", val);
		o->jobs = (unsigned)n;
	} else if (!strcmp(name, "color")) {
		if (!strcmp(val, "auto"))
			o->color = -1;
		else if (!strcmp(val, "always") || !strcmp(val, "never"))
			o->color = !strcmp(val, "always");
		else
			return die_usage("bad --color value '%s' (auto, always, never)", val);
	}
	return 0;
}

static const struct {
	char s;
	const char *lng;
	bool takes;
} options[] = {
	{ 'f', "format", true }, { 0, "fail-level", true }, { 'c', "config", true },
	{ 0, "no-config", false }, { 'r', "rules", true }, { 0, "context", true },
	{ 0, "show-suppressed", false }, { 0, "report-unused-ignores", false },
	{ 'j', "jobs", true }, { 0, "color", true },
	{ 'q', "quiet", false }, { 0, "verbose", false }, { 'h', "help", false },
	{ 0, "version", false }, { 0, "list-rules", false }, { 0, "explain", true },
	{ 0, "inspect", false }, { 0, "positions", false }, { 0, "test-rules", true },
	{ 0, "fixtures", true }, { 0, "rule", true }, { 0, "context-list", true },
	{ 0, "allow-no-objects", false }, { 0, "list-objects", false },
	{ 0, "list-rule-files", false },
};

/* Apply one recognised option; returns -1 to exit 0 (help, version). */
static int apply_option(struct opts *o, const char *name, const char *val)
{
	if (!strcmp(name, "help")) {
		fputs(usage_text, stdout);
		return -1;
	}
	if (!strcmp(name, "version")) {
		printf("sparklint %s\n", SK_VERSION);
		return -1;
	}
	if (!strcmp(name, "config"))
		o->config = val;
	else if (!strcmp(name, "no-config"))
		o->no_config = true;
	else if (!strcmp(name, "rules"))
		push_arg(&o->rules_dirs, &o->nrules_dirs, val);
	else if (!strcmp(name, "context"))
		push_arg(&o->context, &o->ncontext, val);
	else if (!strcmp(name, "context-list"))
		push_arg(&o->context_lists, &o->ncontext_lists, val);
	else if (!strcmp(name, "allow-no-objects"))
		o->allow_no_objects = true;
	else if (!strcmp(name, "rule"))
		push_arg(&o->only, &o->nonly, val);
	else if (!strcmp(name, "show-suppressed"))
		o->report.show_suppressed = true;
	else if (!strcmp(name, "report-unused-ignores"))
		o->report_unused = true;
	else if (!strcmp(name, "quiet"))
		o->report.quiet = true;
	else if (!strcmp(name, "verbose"))
		o->verbose = true;
	else if (!strcmp(name, "list-rules"))
		o->mode = MODE_LIST;
	else if (!strcmp(name, "explain"))
		o->mode = MODE_EXPLAIN, o->explain = val;
	else if (!strcmp(name, "inspect"))
		o->mode = MODE_INSPECT;
	else if (!strcmp(name, "list-objects"))
		o->mode = MODE_OBJECTS;
	else if (!strcmp(name, "list-rule-files"))
		o->mode = MODE_RULE_FILES;
	else if (!strcmp(name, "positions"))
		o->positions = true;
	else if (!strcmp(name, "test-rules"))
		o->mode = MODE_TEST, o->test_rules = val;
	else if (!strcmp(name, "fixtures"))
		o->fixtures = val;
	else
		return parse_value(o, name, val) ? 1 : 0;
	return 0;
}

/* Returns 0 to go on, else the exit code + 1 (so 0 means "continue"). */
static int parse_args(struct opts *o, int argc, char **argv)
{
	bool more = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		size_t k;
		int r;

		if (!more || a[0] != '-' || !a[1]) {
			push_arg(&o->paths, &o->npaths, a);
			continue;
		}
		if (!strcmp(a, "--")) {
			more = false;
			continue;
		}
		for (k = 0; k < countof(options); k++)
			if (isopt(argv, argc, &i, options[k].s, options[k].lng,
				  options[k].takes, &val))
				break;
		if (k == countof(options))
			return die_usage("unknown option '%s'", a) + 1;
		if (options[k].takes && !val)
			return die_usage("option '%s' needs a value", a) + 1;
		r = apply_option(o, options[k].lng, val);
		if (r < 0)
			return SK_EXIT_OK + 1;
		if (r > 0)
			return SK_EXIT_ERROR + 1;
	}
	if (o->positions && o->mode != MODE_INSPECT)
		return die_usage("%s only goes with --inspect", "--positions") + 1;
	if (o->fixtures && o->mode != MODE_TEST)
		return die_usage("%s only goes with --test-rules", "--fixtures") + 1;
	if (o->no_config && o->config)
		return die_usage("%s contradict each other", "--no-config and --config") + 1;
	return 0;
}

/* ---- rules and config --------------------------------------------------- */

static struct engine_opts engine_opts(const struct opts *o)
{
	struct engine_opts eo;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&eo, 0, sizeof(eo));
	eo.jobs = o->jobs ? o->jobs : n > 0 ? (unsigned)n : 1;
	eo.jobs_auto = !o->jobs;
	eo.verbose = o->verbose;
	/*
	** The instruction budget (luahost's default) is what stops a rule; the
	** wall clock is only a safety net, generous so that a busy machine
	** cannot change the result.
	*/
	eo.limits.time_ms = 60000;
	return eo;
}

static int load_config(const struct opts *o, struct config *cfg,
		       struct diag_list *dl)
{
	char *found = NULL;
	int ret;

	if (o->no_config)
		return 0;
	if (o->config)
		return config_load(cfg, o->config, dl);
	config_find(&found);
	if (!found)
		return 0;
	ret = config_load(cfg, found, dl);
	free(found);
	return ret;
}

/* A rules directory without a rule or module is a typo, not a pass. */
static int add_rules_dir(struct ruleset *rs, const char *dir, struct diag_pos pos,
			 struct diag_list *dl)
{
	size_t listed = rs->listed;

	if (ruleset_add_dir(rs, dir, RULESET_RULES | RULESET_LIB, dl) < 0)
		return -1;
	/* nothing new from a directory given twice (-r and rulesDirs) is fine */
	if (rs->listed == listed)
		return diag_addf(dl, DIAG_ERROR, "config", pos, "no rules (*.lua) in '%s'", dir);
	return 0;
}

static int add_config_dirs(struct ruleset *rs, const struct config *cfg,
			   struct diag_list *dl)
{
	int ret = 0;

	for (size_t i = 0; i < cfg->nrules_dirs; i++) {
		struct diag_list tmp = DIAG_LIST_INIT;

		if (add_rules_dir(rs, cfg->rules_dirs[i], cfg->rules_dirs_pos[i], &tmp) < 0) {
			for (size_t k = 0; k < tmp.n; k++)
				diag_addf(dl, DIAG_ERROR, "config", cfg->rules_dirs_pos[i],
					  "%s", tmp.v[k].msg);
			ret = -1;
		}
		diag_list_release(&tmp);
	}
	return ret;
}

/*
** --rule ID (repeatable): run exactly these rules.  The command line wins
** over the config, so a rule the config turns off runs when named here.
*/
static int select_rules(const struct opts *o, struct ruleset *rs,
			struct diag_list *dl)
{
	int ret = 0;

	if (!o->nonly)
		return 0;
	for (size_t i = 0; i < o->nonly; i++) {
		const char *near;

		if (ruleset_find(rs, o->only[i]))
			continue;
		near = ruleset_suggest(rs, o->only[i]);
		if (near)
			ret = diag_addf(dl, DIAG_ERROR, "usage", (struct diag_pos){ NULL, 0, 0 },
					"--rule: unknown rule '%s'; did you mean '%s'?",
					o->only[i], near);
		else
			ret = diag_addf(dl, DIAG_ERROR, "usage", (struct diag_pos){ NULL, 0, 0 },
					"--rule: unknown rule '%s' (see --list-rules)",
					o->only[i]);
	}
	if (ret < 0)
		return -1;
	for (size_t k = 0; k < rs->n; k++) {
		bool named = false;

		for (size_t i = 0; i < o->nonly && !named; i++)
			named = !strcmp(rs->v[k].id, o->only[i]);
		rs->v[k].enabled = named && rs->v[k].valid;
	}
	return 0;
}

/* Built-in rules, config rulesDirs, --rules; checked and configured. */
static int load_rules(const struct opts *o, const struct config *cfg,
		      struct ruleset *rs, struct diag_list *dl)
{
	struct engine_opts eo = engine_opts(o);
	char *builtin = ruleset_builtin_dir();
	int ret = 0;

	if (!builtin)
		return diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ NULL, 0, 0 },
				 "cannot find the built-in rules directory "
				 "(set SPARKLINT_RULES_DIR)");
	if (ruleset_add_dir(rs, builtin, RULESET_RULES | RULESET_LIB |
			    RULESET_BUILTIN, dl) < 0)
		ret = -1;
	free(builtin);
	if (add_config_dirs(rs, cfg, dl) < 0)
		ret = -1;
	for (size_t i = 0; i < o->nrules_dirs; i++)
		if (add_rules_dir(rs, o->rules_dirs[i], (struct diag_pos){ NULL, 0, 0 }, dl) < 0)
			ret = -1;
	if (ret < 0)
		return -1;
	if (engine_check_rules(rs, &eo, dl) < 0)
		return -1;
	if (o->verbose) {
		size_t built_in = 0;

		for (size_t i = 0; i < rs->n; i++)
			built_in += rs->v[i].s.chunk != NULL;
		for (size_t i = 0; i < rs->nmods; i++)
			built_in += rs->mods[i].chunk != NULL;
		fprintf(stderr, "sparklint: %zu rules, %zu modules; %zu of these files "
			"precompiled in sparklint\n", rs->n, rs->nmods, built_in);
	}
	if (ruleset_configure(rs, cfg, dl) < 0)
		return -1;
	return select_rules(o, rs, dl);
}

/* ---- modes -------------------------------------------------------------- */

/*
** s as the text report writes untrusted text (strbuf_add_printable): a
** rule's id, category, description and hint are the rule author's, and
** must not drive the terminal either.  Caller frees.
*/
static char *printable(const char *s, const char *nl)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb);
	strbuf_add_printable(&sb, s, nl);
	if (sb.oom)
		xoom();
	return strbuf_detach(&sb, NULL);
}

static int mode_list(const struct ruleset *rs)
{
	size_t n = rs->n ? rs->n : 1;
	char **name = xmalloc(n * sizeof(char *)), **cat = xmalloc(n * sizeof(char *));
	int w = 4, cw = 8;

	for (size_t i = 0; i < rs->n; i++) {
		name[i] = printable(rs->v[i].s.name, NULL);
		cat[i] = printable(rs->v[i].category, NULL);
		if ((int)strlen(name[i]) > w)
			w = (int)strlen(name[i]);
		if ((int)strlen(cat[i]) > cw)
			cw = (int)strlen(cat[i]);
	}
	printf("%-*s  %-8s %-*s  %s\n", w, "RULE", "SEVERITY", cw, "CATEGORY",
	       "DESCRIPTION");
	for (size_t i = 0; i < rs->n; i++) {
		const struct lint_rule *r = &rs->v[i];
		char *desc = printable(r->description, NULL);

		printf("%-*s  %-8s %-*s  %s\n", w, name[i],
		       r->enabled ? diag_level_name(r->severity) : "off", cw,
		       cat[i], desc);
		free(desc);
		free(name[i]);
		free(cat[i]);
	}
	free(name);
	free(cat);
	return SK_EXIT_OK;
}

/* Print the rule's Markdown doc: <dir>/<id>.md or <dir>/../docs/rules/<id>.md. */
static int mode_explain(const struct ruleset *rs, const char *id)
{
	const struct lint_rule *r = ruleset_find(rs, id);
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf p = STRBUF_INIT;
	char *doc = NULL;
	size_t len = 0;

	if (!r) {
		const char *near = ruleset_suggest(rs, id);
		char *shown = printable(id, NULL);

		if (near)
			fprintf(stderr, "sparklint: unknown rule '%s'; did you mean '%s'?\n",
				shown, near);
		else
			fprintf(stderr, "sparklint: unknown rule '%s' (see --list-rules)\n", shown);
		free(shown);
		return SK_EXIT_ERROR;
	}
	strbuf_init(&p);
	strbuf_addf(&p, "%s/%s.md", r->s.dir, id);
	if (access(p.buf, R_OK) != 0) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/../docs/rules/%s.md", r->s.dir, id);
	}
	if (access(p.buf, R_OK) == 0)
		doc = util_read_file(p.buf, 0, &len, &dl);
	if (doc) {
		fwrite(doc, 1, len, stdout);
	} else {
		char *t[4] = { printable(id, NULL), printable(r->description, NULL),
			       printable(r->category, NULL), printable(r->hint, "\n  | ") };

		printf("# %s\n\n%s (%s, %s)\n\nhint: %s\n", t[0], t[1],
		       diag_level_name(r->severity), t[2], t[3]);
		for (size_t i = 0; i < countof(t); i++)
			free(t[i]);
	}
	free(doc);
	strbuf_release(&p);
	diag_list_release(&dl);
	return SK_EXIT_OK;
}

static int mode_inspect(const struct opts *o)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	int code = SK_EXIT_OK;

	if (!o->npaths)
		return die_usage("%s needs FILE... or -", "--inspect");
	strbuf_init(&out);
	for (size_t i = 0; i < o->npaths; i++) {
		struct ystream ys;

		memset(&ys, 0, sizeof(ys));
		if (ystream_load_file(&ys, o->paths[i], &dl) < 0)
			code = SK_EXIT_ERROR;
		if (inspect_stream(&out, &ys, o->positions, &dl) < 0)
			code = SK_EXIT_ERROR;
		ystream_release(&ys);
		write_out(&out);
		strbuf_reset(&out);
	}
	strbuf_release(&out);
	print_diags(&dl, o->color);
	diag_list_release(&dl);
	return code;
}

/*
** --list-objects PATH...: one line for each object, as the rules identify
** it (docset_write_objects), for the pre-commit hook to tell whether a
** commit takes an object out of a file it changes.  The objects a lint run
** of the PATHs would load: the configuration is found (or named, or
** ignored) as for a lint run and a file its exclude matches is left out,
** named or walked; no rules are read.  A file that cannot be read or parsed
** is exit 2, after what could be listed: the documents before the error,
** which a lint run loads too.
*/
static int mode_objects(const struct opts *o)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct input_set in;
	struct config cfg;
	struct docset ds;
	int code = SK_EXIT_OK;

	if (!o->npaths)
		return die_usage("%s needs PATH... or -", "--list-objects");
	config_init(&cfg);
	if (load_config(o, &cfg, &dl) < 0) {
		print_diags(&dl, o->color);
		diag_list_release(&dl);
		config_release(&cfg);
		return SK_EXIT_ERROR;
	}
	input_init(&in);
	for (size_t i = 0; i < o->npaths; i++)
		if (input_add(&in, o->paths[i], true, &cfg, &dl) < 0)
			code = SK_EXIT_ERROR;
	input_load(&in, engine_opts(o).jobs);
	for (size_t i = 0; i < in.n; i++) {
		if (diag_count(&in.v[i].dl, DIAG_ERROR))
			code = SK_EXIT_ERROR;
		if (diag_list_move(&dl, &in.v[i].dl) < 0)
			xoom();
	}
	docset_build(&ds, &in);
	strbuf_init(&out);
	if (docset_write_objects(&out, &ds) < 0)
		xoom();
	write_out(&out);
	strbuf_release(&out);
	docset_release(&ds);
	input_release(&in);
	config_release(&cfg);
	print_diags(&dl, o->color);
	diag_list_release(&dl);
	return code;
}

/*
** --list-rule-files: each directory a lint run reads rules from (the
** built-in one, the configuration's rulesDirs, --rules's) and its lib/,
** as a line ending in '/', each followed by the real path of each *.lua
** file read from it (where a symlink leads, there or not), each after
** the symlinks crossed on the way (ruleset_write_files), for the
** pre-commit hook to tell whether a commit changes the rules the lint
** runs.  The rules are not loaded; the configuration is found (or named, or ignored) as for a lint
** run, and one with an error is exit 2 with nothing listed, as is no
** built-in directory.  A directory that cannot be read is exit 2, after
** the others.
*/
static int mode_rule_files(const struct opts *o)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct config cfg;
	char *builtin = NULL;
	int code = SK_EXIT_OK;

	config_init(&cfg);
	strbuf_init(&out);
	if (load_config(o, &cfg, &dl) < 0) {
		code = SK_EXIT_ERROR;
	} else if (!(builtin = ruleset_builtin_dir())) {
		diag_addf(&dl, DIAG_ERROR, "io", (struct diag_pos){ NULL, 0, 0 },
			  "cannot find the built-in rules directory "
			  "(set SPARKLINT_RULES_DIR)");
		code = SK_EXIT_ERROR;
	} else {
		if (ruleset_write_files(&out, builtin, &dl) < 0)
			code = SK_EXIT_ERROR;
		for (size_t i = 0; i < cfg.nrules_dirs; i++)
			if (ruleset_write_files(&out, cfg.rules_dirs[i], &dl) < 0)
				code = SK_EXIT_ERROR;
		for (size_t i = 0; i < o->nrules_dirs; i++)
			if (ruleset_write_files(&out, o->rules_dirs[i], &dl) < 0)
				code = SK_EXIT_ERROR;
	}
	if (out.oom)
		xoom();
	write_out(&out);
	strbuf_release(&out);
	free(builtin);
	config_release(&cfg);
	print_diags(&dl, o->color);
	diag_list_release(&dl);
	return code;
}

static int mode_test(const struct opts *o)
{
	struct fixtures_opts fo;
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	char *builtin = ruleset_builtin_dir();
	bool failed = false;
	int code;

	memset(&fo, 0, sizeof(fo));
	fo.rules_dir = o->test_rules;
	fo.fixtures_dir = o->fixtures;
	fo.builtin_dir = builtin;
	fo.engine = engine_opts(o);
	fo.engine.jobs = 1;
	strbuf_init(&out);
	code = fixtures_run(&out, &fo, &failed, &dl) < 0 ? SK_EXIT_ERROR :
	       failed ? SK_EXIT_FINDINGS : SK_EXIT_OK;
	write_out(&out);
	print_diags(&dl, o->color);
	strbuf_release(&out);
	diag_list_release(&dl);
	free(builtin);
	return code;
}

/*
** The SARIF or github report of a lint run that stopped before it could
** lint (the configuration, a rules directory, a rule that does not load):
** no results, exit 2, the errors as configuration notifications, so that
** code scanning and the pull request show why.  dl is sorted
** (print_diags).  A usage error (--rule naming no rule) is no run: nothing
** is written, as for a bad flag.
*/
static void write_stopped(const struct opts *o, const struct diag_list *dl)
{
	struct finding_list none = FINDING_LIST_INIT;
	struct report_summary sum;
	struct report_opts ro = o->report;
	struct strbuf out = STRBUF_INIT;

	if (o->mode != MODE_LINT || (ro.format != REPORT_SARIF &&
				     ro.format != REPORT_GITHUB))
		return;
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].code && !strcmp(dl->v[i].code, "usage"))
			return;
	memset(&sum, 0, sizeof(sum));
	ro.exit_code = SK_EXIT_ERROR;
	ro.config_notes = dl;
	strbuf_init(&out);
	if (report_write(&out, &none, NULL, &sum, &ro) < 0)
		fprintf(stderr, "sparklint: error: could not write the report\n");
	else
		write_out(&out);
	strbuf_release(&out);
}

/* Exit code of a finished lint run. */
static int lint_exit_code(const struct lintrun *lr, int fail_level)
{
	if (lr->hard_error)
		return SK_EXIT_ERROR;
	for (size_t i = 0; i < lr->findings.n; i++)
		if (!lr->findings.v[i].suppressed &&
		    (int)lr->findings.v[i].d.level >= fail_level)
			return SK_EXIT_FINDINGS;
	return SK_EXIT_OK;
}

/*
** --context-list FILE: each path FILE lists is --context, one a line, or
** separated by NULs when FILE holds one (`git ls-files -z`, for names with
** a newline).  The pre-commit hook lists the files git tracks, so that an
** untracked file in the work tree (a scratch manifest, a broken draft)
** neither resolves a reference nor fails the commit.
*/
static void add_context_list(struct lintrun *lr, const char *file,
			     const struct config *cfg, struct diag_list *dl)
{
	size_t len;
	char *text = util_read_file(file, 0, &len, dl), *p, *end;
	char sep;

	if (!text)
		return;
	sep = memchr(text, '\0', len) ? '\0' : '\n';
	for (p = text, end = text + len; p < end; p++) {
		char *e = memchr(p, sep, (size_t)(end - p));

		if (!e)
			e = end;
		*e = '\0';
		if (sep == '\n' && e > p && e[-1] == '\r')
			e[-1] = '\0';
		if (*p)
			input_add(&lr->in, p, false, cfg, dl);
		p = e;
	}
	free(text);
}

static void add_inputs(const struct opts *o, const struct config *cfg,
		       struct lintrun *lr, struct diag_list *dl)
{
	if (!o->npaths)
		input_add(&lr->in, ".", true, cfg, dl);
	for (size_t i = 0; i < o->npaths; i++)
		input_add(&lr->in, o->paths[i], true, cfg, dl);
	for (size_t i = 0; i < o->ncontext; i++)
		input_add(&lr->in, o->context[i], false, cfg, dl);
	for (size_t i = 0; i < o->ncontext_lists; i++)
		add_context_list(lr, o->context_lists[i], cfg, dl);
}

struct rule_time {
	const char *id;
	double s;
};

static int rule_time_cmp(const void *a, const void *b)
{
	const struct rule_time *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? 1 : -1;
	return strcmp(x->id, y->id);
}

/*
** --verbose: the rules that took longest (as ESLint's TIMING=1), so a rule
** author sees which rule makes a pre-commit hook slow.  Time in a rule's
** calls includes the documents converted for it and the helpers it calls.
*/
static void print_rule_times(const struct ruleset *rs, const struct engine_stats *st)
{
	struct rule_time *v;
	size_t n = 0, shown;
	double total = 0;

	if (!st->rule_s || !rs->n)
		return;
	v = xmalloc(rs->n * sizeof(*v));
	for (size_t i = 0; i < rs->n; i++) {
		if (!rs->v[i].enabled)
			continue;
		v[n].id = rs->v[i].s.name;
		v[n].s = st->rule_s[i];
		total += v[n++].s;
	}
	qsort(v, n, sizeof(*v), rule_time_cmp);
	shown = n < 10 ? n : 10;
	fprintf(stderr, "sparklint: time in rule calls, %.3f s over %u worker%s; the "
		"%zu slowest of %zu rules:\n", total, st->workers,
		st->workers == 1 ? "" : "s", shown, n);
	for (size_t i = 0; i < shown; i++)
		fprintf(stderr, "  %-40s %8.3f s %5.1f%%\n", v[i].id, v[i].s,
			total > 0 ? 100 * v[i].s / total : 0.0);
	free(v);
}

/*
** The exit code of a lint run whose report can be written, and what to say
** about a run that found nothing to lint (into `why`, without a position:
** stderr, and for exit 2 the report's execution notifications).  Known before the report is
** written: SARIF records it (run.invocations).
*/
static int lint_outcome(const struct opts *o, const struct config *cfg,
			const struct lintrun *lr, struct diag_list *why)
{
	const struct diag_pos nowhere = { NULL, 0, 0 };
	int code = lint_exit_code(lr, o->fail_level);

	if ((!lr->reported_docs || !lr->reported_objects) && o->allow_no_objects) {
		/* nothing to lint is fine: a hook is given every staged YAML file */
	} else if (!lr->reported_docs && !lr->sum.files && lr->in.excluded && code == SK_EXIT_OK) {
		diag_addf(why, DIAG_WARNING, NULL, nowhere,
			  "every file was excluded by '%s'", cfg->path);
	} else if (!lr->reported_docs) {
		if (!lr->hard_error)	/* else the report says what went wrong */
			diag_addf(why, DIAG_ERROR, NULL, nowhere, "no documents found in %s",
				  o->npaths ? "the given paths" : "'.'");
		code = SK_EXIT_ERROR;
	} else if (!lr->reported_objects) {
		/* what a failed `helm template | sparklint -` leaves: text, no manifest */
		if (!lr->hard_error)
			diag_addf(why, DIAG_ERROR, NULL, nowhere, "no Kubernetes objects in %s: "
				  "%zu document%s, none a mapping with a 'kind'",
				  o->npaths ? "the given paths" : "'.'", lr->reported_docs,
				  lr->reported_docs == 1 ? "" : "s");
		code = SK_EXIT_ERROR;
	}
	return code;
}

static int mode_lint(const struct opts *o, struct ruleset *rs,
		     const struct config *cfg)
{
	struct engine_opts eo = engine_opts(o);
	struct diag_list dl = DIAG_LIST_INIT, in_dl = DIAG_LIST_INIT, why = DIAG_LIST_INIT;
	struct strbuf out = STRBUF_INIT;
	struct report_opts ro = o->report;
	struct lintrun lr;
	int code;

	eo.exiting = true;	/* see the end */
	lintrun_init(&lr);
	lr.report_unused = o->report_unused;
	lr.unused_selected = o->nonly > 0;
	add_inputs(o, cfg, &lr, &in_dl);
	finding_add_diags(&lr.findings, &in_dl);
	if (lintrun_run(&lr, rs, &eo, &dl) < 0) {
		print_diags(&dl, o->color);
		code = SK_EXIT_ERROR;
		goto out_release;
	}
	ro.color = want_color(o->color, 1);
	ro.min_level = (enum diag_level)o->fail_level;
	strbuf_init(&out);
	code = lint_outcome(o, cfg, &lr, &why);
	ro.exit_code = code;
	/*
	** Why the run failed goes into the report too; that every file was
	** excluded (exit 0) stays on stderr: it names the config's absolute
	** path, which would make the report differ from machine to machine.
	*/
	if (code == SK_EXIT_ERROR)
		ro.exec_notes = &why;
	if (report_write(&out, &lr.findings, rs, &lr.sum, &ro) < 0) {
		fprintf(stderr, "sparklint: error: could not write the report\n");
		code = SK_EXIT_ERROR;
	}
	write_out(&out);
	strbuf_release(&out);
	for (size_t i = 0; i < why.n; i++)
		fprintf(stderr, "sparklint: %s\n", why.v[i].msg);
	diag_list_release(&why);
	if (o->verbose)
		fprintf(stderr, "sparklint: %zu documents, %u workers, %zu converted "
			"to Lua (%zu tables compared)%s; %.3f s states, %.3f s check, %.3f s finish; "
			"largest Lua state %zu MiB live (its documents took %zu MiB "
			"converted once each)\n",
			lr.ds.n, lr.stats.workers, lr.stats.converted, lr.stats.compared,
			lr.stats.isolated ? ", re-run isolated" : "", lr.stats.t_init,
			lr.stats.t_check, lr.stats.t_finish, lr.stats.lua_bytes >> 20,
			lr.stats.lua_docs >> 20);
	if (o->verbose && lr.in.cut)
		fprintf(stderr, "sparklint: %zu stream%s loaded in %zu pieces in parallel, "
			"%zu again whole after a diagnostic\n", lr.in.cut,
			lr.in.cut == 1 ? "" : "s", lr.in.pieces, lr.in.whole_again);
	if (o->verbose)
		print_rule_times(rs, &lr.stats);
	/*
	** The process ends here.  What the run built (documents, Lua states)
	** goes with it: freeing it would only take time (0.2-0.35 ms of a
	** 10 ms run on one small file, 0.17-0.2 s at -j1 on the benchmark's
	** files).  Under a sanitizer everything is freed, for the leak check.
	*/
	if (!SK_SANITIZED)
		exit(finish_output(code));
out_release:
	lintrun_release(&lr);
	diag_list_release(&dl);
	diag_list_release(&in_dl);
	return code;
}

static int run(struct opts *o)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct config cfg;
	struct ruleset rs;
	int code = SK_EXIT_ERROR;

	if (o->mode == MODE_INSPECT)
		return mode_inspect(o);
	if (o->mode == MODE_OBJECTS)
		return mode_objects(o);
	if (o->mode == MODE_RULE_FILES)
		return mode_rule_files(o);
	if (o->mode == MODE_TEST)
		return mode_test(o);
	config_init(&cfg);
	ruleset_init(&rs);
	if (load_config(o, &cfg, &dl) < 0 || load_rules(o, &cfg, &rs, &dl) < 0) {
		print_diags(&dl, o->color);
		write_stopped(o, &dl);
		goto out_release;
	}
	if (o->mode == MODE_LIST)
		code = mode_list(&rs);
	else if (o->mode == MODE_EXPLAIN)
		code = mode_explain(&rs, o->explain);
	else
		code = mode_lint(o, &rs, &cfg);
out_release:
	ruleset_release(&rs);
	config_release(&cfg);
	diag_list_release(&dl);
	return code;
}

int main(int argc, char **argv)
{
	struct opts o;
	int code;

	util_progname = "sparklint";
	/* 29 of the 143 page faults of a run on one small file, 2% of its time */
	util_prefault_heap();
	embed_use(&embed_builtin);
	memset(&o, 0, sizeof(o));
	o.fail_level = DIAG_ERROR;
	o.color = -1;
	code = parse_args(&o, argc, argv);
	if (code)
		code = code - 1;
	else
		code = run(&o);
	free(o.rules_dirs);
	free(o.only);
	free(o.context);
	free(o.context_lists);
	free(o.paths);
	util_intern_release();
	return finish_output(code);
}
