/*
** config.c: finding, loading and checking .sparklint.yaml (see config.h).
** The file is read with the ydoc loader, so every error has a position.
*/
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void config_release(struct config *cfg)
{
	for (size_t i = 0; i < cfg->nrules_dirs; i++)
		free(cfg->rules_dirs[i]);
	free(cfg->rules_dirs);
	free(cfg->rules_dirs_pos);
	free(cfg->rules);
	free(cfg->exclude);
	free(cfg->dir);
	ystream_release(&cfg->ys);
	config_init(cfg);
}

/*
** A configuration file: a regular file, or a symlink to one.  A directory
** (or a FIFO, a dangling link) of that name is not one, and the search
** goes on past it, as ESLint's and find-up's do.
*/
static bool config_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void config_find(char **path)
{
	char dir[PATH_MAX];

	*path = NULL;
	if (!getcwd(dir, sizeof(dir)))
		return;
	for (;;) {
		char *p = util_path_join(dir, CONFIG_FILE);
		char *slash;

		if (p && config_is_file(p)) {
			*path = p;
			return;
		}
		free(p);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (slash && dir[1]) {
				dir[1] = '\0';	/* try "/" last */
				continue;
			}
			return;
		}
		*slash = '\0';
	}
}

/* ---- checking the tree -------------------------------------------------- */

static struct diag_pos config_pos(const struct config *cfg,
				  const struct ynode *n)
{
	struct diag_pos pos = { cfg->path, n->line, n->col };

	return pos;
}

const char *config_key_type(const struct ynode *key)
{
	bool b;
	int64_t i;
	double f;

	/*
	** Only a plain scalar whose text reads as null, a boolean or a number
	** was one: a string key written plain reads as a string again.  (A
	** plain `!!str null` key is the exception, taken for null.)
	*/
	if (!ynode_is_scalar(key) || key->style != YS_PLAIN)
		return NULL;
	switch (ydoc_resolve_plain(key->text, key->len, &b, &i, &f)) {
	case YN_NULL: return "null";
	case YN_BOOL: return "a boolean";
	case YN_INT: case YN_FLOAT: return "a number";
	default: return NULL;
	}
}

/* What a value that is not a non-empty string is, for messages. */
static const char *config_type(const struct ynode *n)
{
	switch (n->type) {
	case YN_NULL: return "null";
	case YN_BOOL: return "a boolean";
	case YN_INT: case YN_FLOAT: return "a number";
	case YN_SEQ: return "a list";
	case YN_MAP: return "a mapping";
	default: return "an empty string";
	}
}

/* A key that is not a string (`type`) where one of `expected` goes. */
static int config_key_not_string(const struct config *cfg, const struct ynode *k,
				 const char *type, struct diag_list *dl,
				 const char *expected)
{
	return diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, k),
			 "a key must be a string, not %s (expected %s)", type, expected);
}

static int config_bad(const struct config *cfg, const struct ynode *n,
		      struct diag_list *dl, const char *what)
{
	return diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, n), "%s", what);
}

static struct config_rule *config_add_rule(struct config *cfg, const char *id,
					   struct diag_pos pos)
{
	struct config_rule *r;

	cfg->rules = xrealloc(cfg->rules, (cfg->nrules + 1) * sizeof(*r));
	r = &cfg->rules[cfg->nrules++];
	r->id = id;
	r->severity = CONFIG_SEV_DEFAULT;
	r->options = NULL;
	r->pos = pos;
	return r;
}

/* "off" | "error" | "warning" | "info" -> severity, or -3 when invalid. */
static int config_severity(const struct ynode *n)
{
	/* the text, not the type: YAML 1.1 reads a plain `off` as false */
	const char *s = ynode_is_scalar(n) && n->style == YS_PLAIN ? n->text :
			ynode_str(n);

	if (!s)
		return -3;
	if (!strcmp(s, "off"))
		return CONFIG_SEV_OFF;
	return diag_level_parse(s) < 0 ? -3 : diag_level_parse(s);
}

/* rule-b: {severity: ..., options: {...}} */
static int config_rule_map(struct config *cfg, struct config_rule *r,
			   const struct ynode *map, struct diag_list *dl)
{
	int ret = 0;

	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct ynode *k = map->u.map.v[i].key, *v = map->u.map.v[i].val;
		const char *type = config_key_type(k);

		if (type) {
			ret = config_key_not_string(cfg, k, type, dl, "severity or options");
		} else if (!strcmp(k->text, "severity")) {
			r->severity = config_severity(v);
			if (r->severity == -3)
				ret = config_bad(cfg, v, dl,
					"'severity' must be off, error, warning or info");
		} else if (!strcmp(k->text, "options")) {
			if (v->type == YN_MAP)
				r->options = v;
			else
				ret = config_bad(cfg, v, dl, "'options' must be a mapping");
		} else {
			ret = diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, k),
					"unknown key '%s' in the settings of rule '%s' "
					"(expected severity or options)", k->text, r->id);
		}
	}
	return ret;
}

static int config_rules(struct config *cfg, const struct ynode *map,
			struct diag_list *dl)
{
	int ret = 0;

	if (map->type == YN_NULL)
		return 0;
	if (map->type != YN_MAP)
		return config_bad(cfg, map, dl, "'rules' must be a mapping of rule ids");
	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct ynode *k = map->u.map.v[i].key, *v = map->u.map.v[i].val;
		const char *type = config_key_type(k);
		struct config_rule *r;

		if (type) {	/* not "unknown rule 'null'" */
			ret = diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, k),
					"a rule id must be a string, not %s", type);
			continue;
		}
		r = config_add_rule(cfg, k->text, config_pos(cfg, k));
		if (v->type == YN_MAP) {
			if (config_rule_map(cfg, r, v, dl) < 0)
				ret = -1;
			continue;
		}
		r->severity = config_severity(v);
		if (r->severity == -3)
			ret = config_bad(cfg, v, dl, "a rule's setting must be off, error, "
					 "warning, info or a mapping with severity and options");
	}
	return ret;
}

/* A sequence of strings; calls add() for each. */
static int config_strings(struct config *cfg, const char *key,
			  const struct ynode *seq, struct diag_list *dl,
			  void (*add)(struct config *, const struct ynode *))
{
	int ret = 0;

	if (seq->type == YN_NULL)
		return 0;
	if (seq->type != YN_SEQ)
		return diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, seq),
				 "'%s' must be a list of strings", key);
	for (size_t i = 0; i < seq->u.seq.n; i++) {
		const struct ynode *item = seq->u.seq.v[i];

		if (item->type != YN_STR || !item->len)
			ret = diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, item),
					"'%s' entries must be non-empty strings, not %s",
					key, config_type(item));
		else
			add(cfg, item);
	}
	return ret;
}

static void config_add_disable(struct config *cfg, const struct ynode *n)
{
	config_add_rule(cfg, n->text, config_pos(cfg, n))->severity = CONFIG_SEV_OFF;
}

static void config_add_rules_dir(struct config *cfg, const struct ynode *n)
{
	size_t k = cfg->nrules_dirs++;

	cfg->rules_dirs = xrealloc(cfg->rules_dirs, cfg->nrules_dirs * sizeof(char *));
	cfg->rules_dirs_pos = xrealloc(cfg->rules_dirs_pos,
				       cfg->nrules_dirs * sizeof(struct diag_pos));
	cfg->rules_dirs[k] = n->text[0] == '/' ? xstrdup(n->text) :
			     util_path_join(cfg->dir, n->text);
	if (!cfg->rules_dirs[k])
		cfg->rules_dirs[k] = xstrdup(n->text);
	cfg->rules_dirs_pos[k] = config_pos(cfg, n);
}

static void config_add_exclude(struct config *cfg, const struct ynode *n)
{
	cfg->exclude = xrealloc(cfg->exclude, (cfg->nexclude + 1) * sizeof(char *));
	cfg->exclude[cfg->nexclude++] = n->text;
}

static int config_check(struct config *cfg, const struct ynode *root,
			struct diag_list *dl)
{
	int ret = 0, r;

	if (root->type != YN_MAP)
		return config_bad(cfg, root, dl,
				  "the configuration must be a mapping");
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct ynode *k = root->u.map.v[i].key, *v = root->u.map.v[i].val;
		const char *type = config_key_type(k);

		if (type)
			r = config_key_not_string(cfg, k, type, dl,
						  "rules, disable, rulesDirs or exclude");
		else if (!strcmp(k->text, "rules"))
			r = config_rules(cfg, v, dl);
		else if (!strcmp(k->text, "disable"))
			r = config_strings(cfg, "disable", v, dl, config_add_disable);
		else if (!strcmp(k->text, "rulesDirs"))
			r = config_strings(cfg, "rulesDirs", v, dl, config_add_rules_dir);
		else if (!strcmp(k->text, "exclude"))
			r = config_strings(cfg, "exclude", v, dl, config_add_exclude);
		else
			r = diag_addf(dl, DIAG_ERROR, "config", config_pos(cfg, k),
				      "unknown key '%s' (expected rules, disable, "
				      "rulesDirs or exclude)", k->text);
		if (r < 0)
			ret = -1;
	}
	return ret;
}

static int config_finish_load(struct config *cfg, int loaded,
			      struct diag_list *dl)
{
	if (loaded < 0)
		return -1;
	if (cfg->ys.ndocs > 1)
		return config_bad(cfg, cfg->ys.docs[1].root, dl,
				  "the configuration must be a single document");
	if (!cfg->ys.ndocs)
		return 0;
	return config_check(cfg, cfg->ys.docs[0].root, dl);
}

int config_load_buffer(struct config *cfg, const char *name, const char *buf,
		       size_t len, const char *dir, struct diag_list *dl)
{
	cfg->path = util_intern(name);
	cfg->dir = xstrdup(dir);
	return config_finish_load(cfg,
		ystream_load_buffer(&cfg->ys, name, buf, len, dl), dl);
}

int config_load(struct config *cfg, const char *path, struct diag_list *dl)
{
	char *abs = realpath(path, NULL), *dir;

	cfg->path = util_intern(path);
	if (!abs)
		return diag_addf(dl, DIAG_ERROR, "io", (struct diag_pos){ cfg->path, 0, 0 },
				 "cannot open '%s': %s", path, strerror(errno));
	free(abs);
	/*
	** Paths in it are relative to the directory where it is named, not to
	** where a symlink to it leads (a repository's .sparklint.yaml may link
	** to a shared file elsewhere).
	*/
	dir = util_dirname(path);
	cfg->dir = dir ? realpath(dir, NULL) : NULL;
	free(dir);
	if (!cfg->dir)
		cfg->dir = xstrdup(".");
	return config_finish_load(cfg, ystream_load_file(&cfg->ys, path, dl), dl);
}

const struct config_rule *config_rule(const struct config *cfg, const char *id)
{
	const struct config_rule *found = NULL;

	for (size_t i = 0; i < cfg->nrules; i++)
		if (!strcmp(cfg->rules[i].id, id))
			found = &cfg->rules[i];
	return found;
}

/* ---- excludes ----------------------------------------------------------- */

bool config_glob_match(const char *pattern, const char *rel)
{
	char pat[PATH_MAX], buf[PATH_MAX];
	size_t n;

	/*
	** As .gitignore and ESLint read them: a leading "/" anchors the glob
	** at the config's directory (rel never starts with one, so it matched
	** nothing), and a leading "**" + "/" also matches there ("**" + "/vendor"
	** is vendor too, not only a/vendor).
	*/
	while (!strncmp(pattern, "./", 2) || pattern[0] == '/')
		pattern += pattern[0] == '/' ? 1 : 2;
	if (!strncmp(pattern, "**/", 3) && pattern[3] &&
	    config_glob_match(pattern + 3, rel))
		return true;
	n = strlen(pattern);
	while (n > 1 && pattern[n - 1] == '/')
		n--;
	if (n >= sizeof(pat) || strlen(rel) >= sizeof(buf))
		return false;
	memcpy(pat, pattern, n);
	pat[n] = '\0';
	strcpy(buf, rel);
	/* the path itself, then each parent directory */
	for (;;) {
		char *slash;

		if (fnmatch(pat, buf, 0) == 0)
			return true;
		slash = strrchr(buf, '/');
		if (!slash)
			return false;
		*slash = '\0';
	}
}

bool config_excluded(const struct config *cfg, const char *abspath)
{
	size_t n;
	const char *rel;

	if (!cfg->nexclude || !cfg->dir)
		return false;
	n = strlen(cfg->dir);
	if (strncmp(abspath, cfg->dir, n))
		return false;
	rel = abspath + n;
	if (n > 1) {
		if (*rel != '/')
			return false;
		rel++;
	} else if (*rel == '/') {
		rel++;
	}
	for (size_t i = 0; i < cfg->nexclude; i++)
		if (config_glob_match(cfg->exclude[i], rel))
			return true;
	return false;
}
