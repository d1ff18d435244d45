/*
** report.c: the four output formats (see report.h).
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "report.h"
#include "strmap.h"
#include "util.h"

int report_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "sarif", "github" };

	for (size_t i = 0; i < countof(names); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

void report_count(struct report_summary *sum, const struct finding_list *fl)
{
	sum->findings = sum->errors = sum->warnings = sum->infos = 0;
	sum->suppressed = 0;
	for (size_t i = 0; i < fl->n; i++) {
		const struct finding *f = &fl->v[i];

		if (f->suppressed) {
			sum->suppressed++;
			continue;
		}
		sum->findings++;
		if (f->d.level == DIAG_ERROR)
			sum->errors++;
		else if (f->d.level == DIAG_WARNING)
			sum->warnings++;
		else
			sum->infos++;
	}
}

static bool report_shown(const struct finding *f, const struct report_opts *o)
{
	if (f->suppressed && !o->show_suppressed)
		return false;
	return !o->quiet || f->d.level >= o->min_level;
}

/* ---- text --------------------------------------------------------------- */

/* Untrusted text (file names, messages with YAML values) is escaped. */
static void report_text_one(struct strbuf *out, const struct finding *f,
			    const struct report_opts *o)
{
	static const char *const colors[] = { "\033[36m", "\033[33m", "\033[31m" };
	const char *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "";
	const char *dim = o->color ? "\033[2m" : "";
	const struct diag *d = &f->d;

	if (d->pos.file) {
		strbuf_addstr(out, bold);
		diag_pos_add(out, d->pos);
		strbuf_addf(out, ":%s ", reset);
	}
	strbuf_addf(out, "%s%s%s: %s", o->color ? colors[d->level] : "", bold,
		    diag_level_name(d->level), reset);
	strbuf_addstr(out, o->color ? "\033[0m" : "");
	strbuf_add_printable(out, d->msg, NULL);
	if (d->code) {
		strbuf_addf(out, " %s[", dim);
		strbuf_add_printable(out, d->code, NULL);
		strbuf_addf(out, "]%s", reset);
	}
	if (f->suppressed) {
		strbuf_addf(out, " (suppressed%s", f->reason ? ": " : "");
		if (f->reason)
			strbuf_add_printable(out, f->reason, NULL);
		strbuf_addch(out, ')');
	}
	strbuf_addch(out, '\n');
	if (d->hint) {
		strbuf_addf(out, "  %shint: ", dim);
		strbuf_add_printable(out, d->hint, "\n  | ");
		strbuf_addf(out, "%s\n", reset);
	}
}

static const char *report_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void report_text_summary(struct strbuf *out, const struct report_summary *s,
				const struct report_opts *o)
{
	const char *color = !o->color ? "" : s->errors ? "\033[1;31m" :
			    s->warnings ? "\033[1;33m" : "\033[1m";

	if (!s->findings && !s->suppressed)
		return;
	strbuf_addf(out, "\n%s%zu %s (%zu %s, %zu %s, %zu %s)", color, s->findings,
		    report_plural(s->findings, "problem", "problems"),
		    s->errors, report_plural(s->errors, "error", "errors"),
		    s->warnings, report_plural(s->warnings, "warning", "warnings"),
		    s->infos, report_plural(s->infos, "info", "infos"));
	strbuf_addf(out, " in %zu %s", s->files, report_plural(s->files, "file", "files"));
	if (s->suppressed)
		strbuf_addf(out, ", %zu suppressed", s->suppressed);
	strbuf_addf(out, "%s\n", o->color ? "\033[0m" : "");
}

static void report_text(struct strbuf *out, const struct finding_list *fl,
			const struct report_summary *sum,
			const struct report_opts *o)
{
	for (size_t i = 0; i < fl->n; i++)
		if (report_shown(&fl->v[i], o))
			report_text_one(out, &fl->v[i], o);
	if (!o->quiet)
		report_text_summary(out, sum, o);
}

/* ---- JSON --------------------------------------------------------------- */

static int report_put(const char *buf, size_t len, void *out)
{
	strbuf_add(out, buf, len);
	return 0;
}

/*
** s as a JSON string, or null.  jansson refuses text that is not UTF-8 (a
** file name from readdir, a message a rule built from bytes): such bytes
** become U+FFFD rather than a NULL that breaks the report.
*/
static json_t *report_str(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	json_t *j;

	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	strbuf_init(&sb);
	for (n = strlen(s); n; ) {
		uint32_t cp;
		size_t len = util_utf8_decode(p, n, &cp);

		if (len) {
			strbuf_add(&sb, (const char *)p, len);
		} else {
			strbuf_addstr(&sb, "\xEF\xBF\xBD");
			len = 1;
		}
		p += len;
		n -= len;
	}
	j = sb.oom ? NULL : json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *report_uint(unsigned n)
{
	return n ? json_integer(n) : json_null();
}

static json_t *report_object(const struct finding *f)
{
	if (f->doc == FINDING_NO_DOC)
		return json_null();
	return json_pack("{s:o,s:o,s:o,s:o}", "apiVersion", report_str(f->api_version),
			 "kind", report_str(f->kind), "namespace", report_str(f->ns),
			 "name", report_str(f->name));
}

static json_t *report_json_finding(const struct finding *f, const void *arg)
{
	const struct report_opts *o = arg;
	json_t *j = json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}",
		"rule", report_str(f->d.code), "severity", diag_level_name(f->d.level),
		"message", report_str(f->d.msg), "hint", report_str(f->d.hint),
		"file", report_str(f->d.pos.file), "line", report_uint(f->d.pos.line),
		"column", report_uint(f->d.pos.col), "object", report_object(f));

	if (j && o->show_suppressed) {
		json_object_set_new(j, "suppressed", json_boolean(f->suppressed));
		if (f->suppressed)
			json_object_set_new(j, "suppressionReason", report_str(f->reason));
	}
	return j;
}

/*
** Append j as compact JSON and drop it; -1 if j is NULL (jansson could not
** allocate it) or could not be written.  The reports are written piece by
** piece, a finding at a time, rather than built as one JSON tree and
** dumped: for the 30,000 findings of the benchmark corpus that tree cost
** 90-110 MiB of peak memory and a third of a second.
*/
static int report_add_json(struct strbuf *out, json_t *j)
{
	int ret;

	if (!j)
		return -1;
	ret = json_dump_callback(j, report_put, out,
				 JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return ret;
}

/* The elements of an array, shown findings only, each made by fn. */
static int report_add_findings(struct strbuf *out, const struct finding_list *fl,
			       const struct report_opts *o,
			       json_t *(*fn)(const struct finding *, const void *),
			       const void *arg)
{
	const char *sep = "";
	int ret = 0;

	strbuf_addch(out, '[');
	for (size_t i = 0; i < fl->n && ret == 0; i++) {
		if (!report_shown(&fl->v[i], o))
			continue;
		strbuf_addstr(out, sep);
		sep = ",";
		ret = report_add_json(out, fn(&fl->v[i], arg));
	}
	strbuf_addch(out, ']');
	return ret;
}

static int report_json(struct strbuf *out, const struct finding_list *fl,
		       const struct report_summary *s, const struct report_opts *o)
{
	strbuf_addstr(out, "{\"findings\":");
	if (report_add_findings(out, fl, o, report_json_finding, o) < 0)
		return -1;
	if (o->quiet) {		/* its counts would include what -q hides */
		strbuf_addstr(out, "}\n");
		return 0;
	}
	strbuf_addstr(out, ",\"summary\":");
	if (report_add_json(out, json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"files", (json_int_t)s->files,
		"documents", (json_int_t)s->documents,
		"findings", (json_int_t)s->findings, "errors", (json_int_t)s->errors,
		"warnings", (json_int_t)s->warnings, "infos", (json_int_t)s->infos,
		"suppressed", (json_int_t)s->suppressed)) < 0)
		return -1;
	strbuf_addstr(out, "}\n");
	return 0;
}

/* ---- SARIF -------------------------------------------------------------- */

static bool report_uri_keep(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '/';
}

static void report_uri_escape(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (report_uri_keep(*s))
			strbuf_addch(sb, *s);
		else
			strbuf_addf(sb, "%%%02X", (unsigned char)*s);
	}
}

/*
** The physical directory of `path` and its last part: "a/../b/x.yaml" ->
** "<cwd>/b" and "x.yaml", through any symlinked directory, so that one file
** gets one URI however it was named (GitHub code scanning matches alerts
** by path).  The file itself is not resolved: a symlinked manifest keeps
** its name.  One directory is remembered (findings come sorted by file).
** NULL when the directory cannot be resolved.
*/
static const char *report_real_dir(const char *path, const char **base)
{
	static char last[PATH_MAX], real[PATH_MAX];
	static bool have;
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	size_t n = slash ? (size_t)(slash - path) : 1;

	*base = slash ? slash + 1 : path;
	if (n >= sizeof(dir))
		return NULL;
	memcpy(dir, slash ? (n ? path : "/") : ".", n ? n : 1);
	dir[n ? n : 1] = '\0';
	if (have && !strcmp(dir, last))
		return real;
	have = false;
	if (!realpath(dir, real))
		return NULL;
	strcpy(last, dir);
	have = true;
	return real;
}

char *report_uri(const char *path, bool *relative)
{
	static char cwd[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;
	struct strbuf full = STRBUF_INIT;
	const char *dir, *base;
	size_t n;

	strbuf_init(&sb);
	strbuf_init(&full);
	*relative = true;
	if (!cwd[0] && !realpath(".", cwd))
		cwd[0] = '\0';
	if (cwd[0] && (dir = report_real_dir(path, &base)) != NULL) {
		strbuf_addf(&full, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", base);
		path = full.buf;
	}
	if (path[0] == '/') {
		n = strlen(cwd);
		if (n > 1 && !strncmp(path, cwd, n) && path[n] == '/') {
			path += n + 1;
		} else if (n == 1) {		/* the cwd is "/" */
			path += 1;
		} else {
			*relative = false;
			strbuf_addstr(&sb, "file://");
		}
	}
	while (*relative && !strncmp(path, "./", 2))
		path += 2;
	report_uri_escape(&sb, path);
	strbuf_release(&full);
	return strbuf_detach(&sb, NULL);
}

static const char *report_sarif_level(enum diag_level l)
{
	return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

static json_t *report_sarif_rule(const struct lint_rule *r)
{
	json_t *j = json_pack("{s:o,s:{s:o},s:{s:o},s:{s:o},s:{s:s},s:{s:o}}",
		"id", report_str(r->s.name), "shortDescription", "text",
		report_str(r->description), "fullDescription", "text",
		report_str(r->description), "help", "text", report_str(r->hint),
		"defaultConfiguration", "level", report_sarif_level(r->severity),
		"properties", "category", report_str(r->category));

	if (j && r->s.builtin) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_init(&sb);
		strbuf_addf(&sb, "%s/blob/main/docs/rules/%s.md", REPORT_REPO_URL,
			    r->s.name);
		json_object_set_new(j, "helpUri", json_string(sb.buf));
		strbuf_release(&sb);
	}
	return j;
}

/* Descriptions of the codes that are not rules. */
static const char *report_code_text(const char *code)
{
	static const char *const codes[][2] = {
		{ "yaml", "the input is not valid YAML or exceeds a loader limit" },
		{ "io", "an input file could not be read" },
		{ "rule-error", "a rule failed (error, budget or memory limit) or is malformed" },
		{ "unused-ignore", "a suppression silences no finding or names no rule "
				   "(--report-unused-ignores)" },
		{ "config", "the configuration file is invalid" },
		{ "oom", "sparklint ran out of memory" },
	};

	for (size_t i = 0; i < countof(codes); i++)
		if (!strcmp(codes[i][0], code))
			return codes[i][1];
	return "an internal diagnostic";
}

/* tool.driver.rules: the rules that ran, then the other codes used. */
static json_t *report_sarif_rules(const struct finding_list *fl,
				  const struct ruleset *rs, struct strmap *index)
{
	json_t *arr = json_array();

	for (size_t i = 0; rs && i < rs->n; i++) {
		if (!rs->v[i].valid || !rs->v[i].enabled)
			continue;
		strmap_put(index, rs->v[i].s.name, strlen(rs->v[i].s.name),
			   json_array_size(arr));
		json_array_append_new(arr, report_sarif_rule(&rs->v[i]));
	}
	for (size_t i = 0; i < fl->n; i++) {
		const char *code = fl->v[i].d.code ? fl->v[i].d.code : "internal";

		if (!strmap_put(index, code, strlen(code), json_array_size(arr)))
			continue;
		json_array_append_new(arr, json_pack("{s:s,s:{s:s},s:{s:s}}",
			"id", code, "shortDescription", "text", report_code_text(code),
			"defaultConfiguration", "level", "error"));
	}
	return arr;
}

/*
** The physicalLocation of pos.  A file-level finding (io: the file could
** not be opened) has no line, but GitHub code scanning wants a 1-based
** startLine on every result location: with `need_line` it points at the
** file's first line, else (a notification) the region is left out.
*/
static json_t *report_sarif_phys(struct diag_pos pos, bool need_line)
{
	bool rel;
	char *uri = report_uri(pos.file ? pos.file : "-", &rel);
	json_t *art = json_pack("{s:s}", "uri", uri), *phys, *region;

	free(uri);
	if (rel)
		json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
	phys = json_pack("{s:o}", "artifactLocation", art);
	if (!pos.line && !need_line)
		return phys;
	region = json_pack("{s:i}", "startLine", pos.line ? (int)pos.line : 1);
	if (pos.col)
		json_object_set_new(region, "startColumn", json_integer(pos.col));
	json_object_set_new(phys, "region", region);
	return phys;
}

static json_t *report_sarif_location(const struct finding *f)
{
	return json_pack("[{s:o}]", "physicalLocation", report_sarif_phys(f->d.pos, true));
}

static json_t *report_sarif_result(const struct finding *f, const void *index)
{
	const char *code = f->d.code ? f->d.code : "internal";
	size_t idx = 0;
	json_t *j;

	strmap_get(index, code, strlen(code), &idx);
	j = json_pack("{s:o,s:I,s:s,s:{s:o},s:o}", "ruleId", report_str(code),
		      "ruleIndex", (json_int_t)idx, "level",
		      report_sarif_level(f->d.level), "message", "text",
		      report_str(f->d.msg ? f->d.msg : ""),
		      "locations", report_sarif_location(f));
	if (j && f->suppressed)
		json_object_set_new(j, "suppressions", json_pack("[{s:s,s:o}]",
			"kind", "inSource", "justification",
			report_str(f->reason ? f->reason : "suppressed in source")));
	return j;
}

/* ---- SARIF notifications ------------------------------------------------ */

/* 0: o->config_notes, 1: o->exec_notes; NULL when absent or empty. */
static const struct diag_list *report_notes(const struct report_opts *o, int which)
{
	const struct diag_list *dl = which == 0 ? o->config_notes : o->exec_notes;

	return dl && dl->n ? dl : NULL;
}

/*
** tool.driver.notifications: a descriptor for each code the notifications
** use (as rules holds one for each code of the results); NULL when none.
*/
static json_t *report_sarif_descriptors(const struct report_opts *o,
					struct strmap *index)
{
	json_t *arr = NULL;

	for (int w = 0; w < 2; w++) {
		const struct diag_list *dl = report_notes(o, w);

		for (size_t i = 0; dl && i < dl->n; i++) {
			const char *code = dl->v[i].code;

			if (!code || !strmap_put(index, code, strlen(code),
						 arr ? json_array_size(arr) : 0))
				continue;
			if (!arr)
				arr = json_array();
			json_array_append_new(arr, json_pack("{s:o,s:{s:s}}",
				"id", report_str(code), "shortDescription", "text",
				report_code_text(code)));
		}
	}
	return arr;
}

/*
** A notification: level, the message (and its hint, which no rule's help
** holds here), where the diagnostic points if it does, and the code as a
** descriptor.  Positions and URIs are made as for results.
*/
static json_t *report_sarif_note(const struct diag *d, const struct strmap *index)
{
	struct strbuf text = STRBUF_INIT;
	size_t idx = 0;
	json_t *j;

	strbuf_init(&text);
	strbuf_addstr(&text, d->msg ? d->msg : "");
	if (d->hint)
		strbuf_addf(&text, "\nhint: %s", d->hint);
	j = text.oom ? NULL : json_pack("{s:s,s:{s:o}}", "level",
		report_sarif_level(d->level), "message", "text", report_str(text.buf));
	strbuf_release(&text);
	if (j && d->pos.file)
		json_object_set_new(j, "locations", json_pack("[{s:o}]",
			"physicalLocation", report_sarif_phys(d->pos, false)));
	if (j && d->code && strmap_get(index, d->code, strlen(d->code), &idx))
		json_object_set_new(j, "descriptor", json_pack("{s:o,s:I}",
			"id", report_str(d->code), "index", (json_int_t)idx));
	return j;
}

/* The notifications of dl as an array into inv[key]; -1 if one failed. */
static int report_sarif_notes(json_t *inv, const char *key,
			      const struct diag_list *dl, const struct strmap *index)
{
	json_t *arr;
	int ret = 0;

	if (!dl)
		return 0;
	arr = json_array();
	for (size_t i = 0; i < dl->n; i++)
		if (json_array_append_new(arr, report_sarif_note(&dl->v[i], index)) < 0)
			ret = -1;
	if (json_object_set_new(inv, key, arr) < 0)
		ret = -1;
	return ret;
}

/*
** run.invocations: the exit code, and whether the run was complete.  Exit
** 1 (findings) is a successful analysis that found something; exit 2 (an
** input unreadable or not YAML, a rule that failed, no documents) is a run
** whose results are incomplete, so it did not succeed (SARIF 2.1.0,
** 3.20.14: executionSuccessful says whether the tool did its work, not
** whether it found results).  What stopped or failed the run and is no
** result goes with it as notifications (3.20.21, 3.20.22).
*/
static json_t *report_sarif_invocations(const struct report_opts *o,
					const struct strmap *index)
{
	json_t *inv = json_pack("{s:b,s:i}", "executionSuccessful",
				o->exit_code == SK_EXIT_OK || o->exit_code == SK_EXIT_FINDINGS,
				"exitCode", o->exit_code);

	if (!inv)
		return NULL;
	if (report_sarif_notes(inv, "toolExecutionNotifications",
			       report_notes(o, 1), index) < 0 ||
	    report_sarif_notes(inv, "toolConfigurationNotifications",
			       report_notes(o, 0), index) < 0) {
		json_decref(inv);
		return NULL;
	}
	return json_pack("[o]", inv);
}

/*
** {"$schema", "version", "runs": [{"tool", "invocations", "columnKind",
** "results"}]}.  No originalUriBaseIds: it would hold the working directory
** and make the report differ from machine to machine.  Consumers (GitHub
** code scanning, SARIF viewers) resolve %SRCROOT% to the checkout.  Nor
** times or a command line in invocations, for the same reason.
*/
static int report_sarif(struct strbuf *out, const struct finding_list *fl,
			const struct ruleset *rs, const struct report_opts *o)
{
	struct strmap index = STRMAP_INIT, nindex = STRMAP_INIT;
	json_t *tool, *notes;
	int ret;

	strmap_init(&index);
	strmap_init(&nindex);
	strbuf_addstr(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		      "\"version\":\"2.1.0\",\"runs\":[{\"tool\":");
	tool = json_pack("{s:{s:s,s:s,s:s,s:o}}", "driver",
		"name", "sparklint", "version", SK_VERSION,
		"informationUri", REPORT_REPO_URL,
		"rules", report_sarif_rules(fl, rs, &index));
	notes = report_sarif_descriptors(o, &nindex);
	if (tool && notes)
		json_object_set_new(json_object_get(tool, "driver"), "notifications", notes);
	else
		json_decref(notes);
	ret = report_add_json(out, tool);
	strbuf_addstr(out, ",\"invocations\":");
	if (ret == 0)
		ret = report_add_json(out, report_sarif_invocations(o, &nindex));
	strbuf_addstr(out, ",\"columnKind\":\"unicodeCodePoints\",\"results\":");
	if (ret == 0)
		ret = report_add_findings(out, fl, o, report_sarif_result, &index);
	strbuf_addstr(out, "}]}\n");
	strmap_release(&index);
	strmap_release(&nindex);
	return ret;
}

/* ---- GitHub workflow commands ------------------------------------------- */

static void report_gh_add(struct strbuf *sb, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': strbuf_addstr(sb, "%25"); break;
		case ':': strbuf_addstr(sb, property ? "%3A" : ":"); break;
		case ',': strbuf_addstr(sb, property ? "%2C" : ","); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

/*
** CR and LF are the workflow command's to decode (%0D, %0A); every other
** control character (ESC, C1, bidi) is shown as the text format shows it,
** so a YAML value cannot drive the log's terminal either.
*/
void report_gh_escape(struct strbuf *sb, const char *s, bool property)
{
	struct strbuf shown = STRBUF_INIT;

	for (;;) {
		size_t n = strcspn(s, "\r\n");
		char *part = xstrndup(s, n);

		strbuf_reset(&shown);
		strbuf_add_printable(&shown, part, NULL);
		free(part);
		if (shown.len)
			report_gh_add(sb, shown.buf, property);
		if (!s[n])
			break;
		strbuf_addstr(sb, s[n] == '\r' ? "%0D" : "%0A");
		s += n + 1;
	}
	strbuf_release(&shown);
}

/* One workflow command for d: ::error file=F,line=L,col=C,title=CODE::msg */
static void report_gh_diag(struct strbuf *out, const struct diag *d)
{
	static const char *const cmd[] = { "notice", "warning", "error" };

	strbuf_addf(out, "::%s ", cmd[d->level]);
	if (d->pos.file) {
		strbuf_addstr(out, "file=");
		report_gh_escape(out, d->pos.file, true);
		strbuf_addch(out, ',');
	}
	if (d->pos.line)
		strbuf_addf(out, "line=%u,", d->pos.line);
	if (d->pos.line && d->pos.col)
		strbuf_addf(out, "col=%u,", d->pos.col);
	strbuf_addstr(out, "title=");
	report_gh_escape(out, d->code ? d->code : "sparklint", true);
	strbuf_addstr(out, "::");
	report_gh_escape(out, d->msg ? d->msg : "", false);
	if (d->hint) {
		strbuf_addstr(out, "%0Ahint: ");
		report_gh_escape(out, d->hint, false);
	}
	strbuf_addch(out, '\n');
}

/*
** The findings, then what stopped or failed the run (the SARIF
** notifications): a configuration error shows in the pull request too.
*/
static void report_github(struct strbuf *out, const struct finding_list *fl,
			  const struct report_opts *o)
{
	for (size_t i = 0; i < fl->n; i++) {
		const struct finding *f = &fl->v[i];

		if (!report_shown(f, o) || f->suppressed)
			continue;
		report_gh_diag(out, &f->d);
	}
	for (int w = 0; w < 2; w++) {
		const struct diag_list *dl = report_notes(o, w);

		for (size_t i = 0; dl && i < dl->n; i++)
			report_gh_diag(out, &dl->v[i]);
	}
}

/* ---- entry -------------------------------------------------------------- */

int report_write(struct strbuf *out, const struct finding_list *fl,
		 const struct ruleset *rs, const struct report_summary *sum,
		 const struct report_opts *o)
{
	int ret = 0;

	switch (o->format) {
	case REPORT_TEXT:
		report_text(out, fl, sum, o);
		break;
	case REPORT_JSON:
		ret = report_json(out, fl, sum, o);
		break;
	case REPORT_SARIF:
		ret = report_sarif(out, fl, rs, o);
		break;
	case REPORT_GITHUB:
		report_github(out, fl, o);
		break;
	}
	return out->oom ? -1 : ret;
}
