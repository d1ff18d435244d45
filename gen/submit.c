/*
** submit.c: formats the model's spark-submit lines (gen/model.c) as a shell
** command for sparkgen --submit: the laptop workflow of the legacy fork, or
** the exact in-pod command of the native driver Job.
*/
#include "submit.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"

#define SAFE_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"

void submit_quote(struct strbuf *out, const char *word)
{
	if (*word && strspn(word, SAFE_CHARS) == strlen(word)) {
		strbuf_addstr(out, word);
		return;
	}
	strbuf_addch(out, '\'');
	for (const char *p = word; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, *p);
	}
	strbuf_addch(out, '\'');
}

static const char *str(json_t *m, const char *a, const char *b)
{
	return json_string_value(json_object_get(json_object_get(m, a), b));
}

/* "31000" of "http://localhost:31000/x" when the host is this machine. */
static int local_port(const char *uri)
{
	static const char *const hosts[] = { "http://localhost:", "http://127.0.0.1:" };

	for (size_t i = 0; uri && i < sizeof hosts / sizeof hosts[0]; i++)
		if (strncmp(uri, hosts[i], strlen(hosts[i])) == 0)
			return atoi(uri + strlen(hosts[i]));
	return 0;
}

static void comment(json_t *model, struct strbuf *out)
{
	json_t *target = json_object_get(model, "target");
	json_t *names = json_object_get(model, "names");
	const char *ns = str(model, "app", "namespace");
	json_t *rss = json_object_get(json_object_get(model, "legacy"), "stagingServer");
	int port;

	if (json_is_true(json_object_get(target, "native"))) {
		strbuf_addf(out, "# the command the driver Job '%s' runs in namespace '%s';"
			    " Kubernetes sets $(POD_NAME) and $(POD_IP)\n",
			    json_string_value(json_object_get(names, "job")), ns);
		return;
	}
	strbuf_addf(out, "# submit from the fork's distribution directory; the fork starts the"
		    " driver in namespace '%s'\n", ns);
	if (str(model, "legacy", "master") == NULL)
		strbuf_addstr(out, "# export KUBERNETES_MASTER=https://<api-server>:<port> first\n");
	port = json_is_true(json_object_get(rss, "enabled")) ?
	       local_port(json_string_value(json_object_get(rss, "uri"))) : 0;
	if (port > 0)
		strbuf_addf(out, "# uploads go through: kubectl -n %s port-forward svc/%s %d:%lld\n",
			    ns, str(names, "stagingServer", "service"), port,
			    (long long)json_integer_value(json_object_get(rss, "port")));
}

void submit_format(json_t *model, struct strbuf *out)
{
	json_t *spark = json_object_get(model, "spark");
	json_t *lines = json_object_get(spark, "lines"), *l, *w;
	size_t i, j;

	comment(model, out);
	submit_quote(out, json_string_value(json_object_get(spark, "command")));
	json_array_foreach(lines, i, l) {
		strbuf_addstr(out, " \\\n ");
		json_array_foreach(l, j, w) {
			const char *word = json_string_value(w);
			strbuf_addch(out, ' ');
			/* --master's placeholder only: the shell fills it in; an app's
			   argument of the same text goes as written */
			if (j == 1 && !strcmp(json_string_value(json_array_get(l, 0)), "--master") &&
			    strcmp(word, MODEL_MASTER_PLACEHOLDER) == 0)
				strbuf_addstr(out, "\"" MODEL_MASTER_PLACEHOLDER "\"");
			else
				submit_quote(out, word);
		}
	}
	strbuf_addch(out, '\n');
}
