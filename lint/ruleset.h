/*
** ruleset.h: the rules of a run.  Rule files (<dir>/<id>.lua) and helper
** modules (<dir>/lib/<name>.lua) are read from the built-in directory and
** any extra ones; each rule's table is checked against the rule API
** (ruleset_read) and then configured (ruleset_configure).  Running them is
** engine.c's job.
*/
#ifndef SK_RULESET_H
#define SK_RULESET_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <lua.h>

#include "config.h"
#include "diag.h"

struct embed_chunk;
struct strbuf;

struct lint_source {
	char *path;		/* owned: display path ("rules/x.lua") */
	const char *file;	/* interned display path, for diagnostics */
	char *chunkname;	/* owned: "@" + path */
	char *name;		/* owned: basename without ".lua" */
	char *dir;		/* owned: the directory it came from */
	const char *src;	/* the text: src_buf, or the program's own copy of it
				   (chunk->src) when that is the same text */
	char *src_buf;		/* owned; NULL once the program's copy serves */
	size_t len;
	char *bc;		/* owned: compiled by the first state, for the others */
	size_t bclen;
	const struct embed_chunk *chunk;	/* else: the program's own bytecode
					   for this text (lib/embed.h) */
	bool builtin;		/* from the built-in rules directory */
};

struct lint_rule {
	struct lint_source s;
	char *id, *category, *description, *hint;	/* owned */
	enum diag_level severity;	/* effective severity */
	enum diag_level default_severity;
	bool severity_set;		/* severity fixed by the config */
	bool enabled;			/* false: off by config, or invalid */
	bool valid;			/* passed ruleset_read */
	char **kinds;			/* owned; NULL = every kind */
	size_t nkinds;
	char **api_versions;		/* owned; NULL = every apiVersion */
	size_t napi_versions;
	bool has_check, has_finish;
	unsigned line;			/* line of the returned table */
	unsigned check_line, finish_line;	/* where check/finish are defined */
	json_t *options;		/* defaults merged with config; never NULL once read */
};

struct ruleset {
	struct lint_rule *v;		/* owned, sorted by id */
	size_t n;
	struct lint_source *mods;	/* owned helper modules, sorted by name */
	size_t nmods;
	char **dirs;			/* owned: the rule directories, in order */
	size_t ndirs;
	size_t listed;			/* *.lua files the directories listed, the
					   ones taken once as the same file too */
	/*
	 * The state engine_check_rules read the rules in, its modules and
	 * rules loaded: the next engine_run takes it for its first worker
	 * instead of loading everything again.  Its registry holds at
	 * warm_ref a table: rule index + 1 -> the table the rule returned.
	 * NULL once taken.
	 */
	lua_State *warm;
	int warm_ref;
};

void ruleset_init(struct ruleset *rs);
void ruleset_release(struct ruleset *rs);

/*
** The built-in rules directory (caller frees): $SPARKLINT_RULES_DIR, else
** <exe>/rules, <exe>/../../rules, <exe>/../share/sparkgen/rules, else
** SK_DATADIR/rules; the first that holds *.lua files.  NULL if none.
*/
char *ruleset_builtin_dir(void);

enum ruleset_dir_flags {
	RULESET_RULES = 1 << 0,		/* read <dir>/<id>.lua as rules */
	RULESET_LIB = 1 << 1,		/* read <dir>/lib/<name>.lua as modules */
	RULESET_BUILTIN = 1 << 2	/* the built-in directory (docs online) */
};

/*
** Read the rules and/or modules of `dir`.  The same file read twice is
** taken once.  Returns 0, or -1 with diagnostics (unreadable directory, two
** different files for one rule id or module name).
*/
int ruleset_add_dir(struct ruleset *rs, const char *dir, unsigned flags,
		    struct diag_list *dl);
/*
** For --list-rule-files: `dir` and its lib/ (where it would be when there is
** none), each as a line ending in '/' followed by the real path of each
** *.lua file read from it (where a symlink leads, there or not), one a line,
** each after the symlinks crossed on the way to it (a rule's own aside);
** paths under the working directory relative to it ("." for itself).  -1 with a diagnostic when `dir` or its
** lib/ cannot be read; sb->oom on no memory.
*/
int ruleset_write_files(struct strbuf *sb, const char *dir, struct diag_list *dl);
/* Sort rules by id and modules by name (call once everything is added). */
void ruleset_sort(struct ruleset *rs);

/*
** Check the table at `idx` of `L` (the value rule r's file returned) and
** copy its metadata into r.  Each problem is recorded as "rule-error" at
** file:line.  Returns 0, or -1 when the rule is malformed.
*/
int ruleset_read(struct lint_rule *r, lua_State *L, int idx,
		 struct diag_list *dl);

/*
** Apply the config (may be NULL): disabled rules, severities and options
** (merged over the rule's defaults; unknown option names and unknown rule
** ids are "config" errors).  Returns 0 or -1.
*/
int ruleset_configure(struct ruleset *rs, const struct config *cfg,
		      struct diag_list *dl);

/* The rule `id`, or NULL. */
struct lint_rule *ruleset_find(const struct ruleset *rs, const char *id);
/* The loaded rule id closest to a misspelt `id` ("did you mean"), or NULL. */
const char *ruleset_suggest(const struct ruleset *rs, const char *id);

/* Path relative to the working directory when under it (caller frees). */
char *ruleset_display_path(const char *path);

/* Line (1-based) of the first "name =" table field in `src`, or 0. */
unsigned ruleset_field_line(const char *src, size_t len, const char *name);

#endif
