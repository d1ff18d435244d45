/*
** config.h: the .sparklint.yaml configuration file.
**
**   rules:                      # per-rule settings
**     rule-a: off               # off | error | warning | info
**     rule-b: {severity: warning, options: {maxSeconds: 600}}
**   disable: [rule-c]           # same as rule-c: off
**   rulesDirs: [policies/]      # extra rule directories, relative to this file
**   exclude: ["vendor"]       # fnmatch globs on paths relative to this file
**
** Unknown keys and ill-typed values are errors with file:line:col.
*/
#ifndef SK_CONFIG_H
#define SK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "ydoc.h"

#define CONFIG_FILE ".sparklint.yaml"

enum {
	CONFIG_SEV_DEFAULT = -1,	/* keep the rule's own severity */
	CONFIG_SEV_OFF = -2		/* rule disabled */
};

struct config_rule {
	const char *id;			/* borrowed from the config tree */
	int severity;			/* enum diag_level, or CONFIG_SEV_* */
	const struct ynode *options;	/* borrowed map, or NULL */
	struct diag_pos pos;		/* where the rule is named */
};

struct config {
	const char *path;		/* interned file name; NULL = no config */
	char *dir;			/* owned: absolute directory of the file */
	struct ystream ys;		/* owns every node borrowed below */
	struct config_rule *rules;	/* owned array */
	size_t nrules;
	char **rules_dirs;		/* owned, already joined with dir */
	struct diag_pos *rules_dirs_pos;	/* owned, parallel to rules_dirs */
	size_t nrules_dirs;
	const char **exclude;		/* owned array of borrowed globs */
	size_t nexclude;
};

void config_init(struct config *cfg);
void config_release(struct config *cfg);

/*
** Look for CONFIG_FILE in the working directory and its parents; only a
** regular file (or a symlink to one) counts.  Stores a new path (caller
** frees) or NULL in *path.
*/
void config_find(char **path);

/* Load and check `path`.  Returns 0, or -1 with "config"/"yaml"/"io" diags. */
int config_load(struct config *cfg, const char *path, struct diag_list *dl);

/*
** As config_load, from memory; `name` names the file in diagnostics and
** `dir` (absolute) is what relative paths are resolved against.
*/
int config_load_buffer(struct config *cfg, const char *name, const char *buf,
		       size_t len, const char *dir, struct diag_list *dl);

/*
** What a mapping key of the configuration was written as when it is not a
** string ("null", "a boolean", "a number"), else NULL.  The loader turns
** such keys into text ("null", "1"), which must not be taken for a name.
*/
const char *config_key_type(const struct ynode *key);

/* The settings for rule `id`, or NULL.  Later entries win (disable > rules). */
const struct config_rule *config_rule(const struct config *cfg, const char *id);

/*
** True when `abspath` (absolute, normalised) lies under the config's
** directory and matches an exclude glob, or one of its parent directories
** does.
*/
bool config_excluded(const struct config *cfg, const char *abspath);

/* True when `pattern` matches the relative path `rel` or a parent of it. */
bool config_glob_match(const char *pattern, const char *rel);

#endif
