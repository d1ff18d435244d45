/*
** model.c: the validated description -> the template model (names, labels,
** resources, storage class, spark confs, spark-submit lines) and the
** semantic checks that need more than the schema.  Sits between
** gen/schema.c (validation, defaults) and gen/tmpl.c (rendering).
*/
#include "model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "storage.h"
#include "strbuf.h"
#include "util.h"

#define SPARK_OVERHEAD_MIN_MIB 384	/* Spark's MEMORY_OVERHEAD_MIN */
#define SPARK_OVERHEAD_FACTOR 0.10	/* Spark's default overhead factor */
#define NODE_LOSS_DEFAULT 300		/* Kubernetes' default toleration */

struct mctx {
	json_t *m;			/* the model being built */
	const struct ynode *root;	/* borrowed: for positions */
	const char *file;
	struct diag_list *dl;
	size_t errors;
	bool overhead_set;		/* driver.memoryOverhead came from the description */
	bool sa_named;			/* driver.serviceAccount came from the description */
};

/* {{{ helpers */

static json_t *get(json_t *o, const char *dotted)
{
	char key[64];

	while (o && *dotted) {
		size_t n = strcspn(dotted, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		dotted += n + (dotted[n] == '.');
	}
	return o;
}

static const char *gs(struct mctx *c, const char *p)
{
	return json_string_value(get(c->m, p));
}

static long long gi(struct mctx *c, const char *p)
{
	return (long long)json_integer_value(get(c->m, p));
}

static bool gb(struct mctx *c, const char *p)
{
	return json_is_true(get(c->m, p));
}

static bool is(struct mctx *c, const char *p, const char *val)
{
	const char *s = gs(c, p);
	return s && strcmp(s, val) == 0;
}

/* Set `dotted` (parents must exist) to `v` (stolen). */
static void put(struct mctx *c, const char *dotted, json_t *v)
{
	const char *dot = strrchr(dotted, '.');
	json_t *parent = c->m;

	if (dot) {
		char buf[128];
		snprintf(buf, sizeof buf, "%.*s", (int)(dot - dotted), dotted);
		parent = get(c->m, buf);
	}
	json_object_set_new(parent, dot ? dot + 1 : dotted, v);
}

static json_t *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *strf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	json_t *s;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	s = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* Position of `dotted` in the input, or of its nearest ancestor. */
static struct diag_pos pos_of(struct mctx *c, const char *dotted)
{
	char buf[128];
	struct diag_pos p = { c->file, c->root->line, c->root->col };

	snprintf(buf, sizeof buf, "%s", dotted);
	for (;;) {
		const struct ynode *n = ynode_path(c->root, buf);
		char *dot;
		if (n) {
			p.line = n->line;
			p.col = n->col;
			return p;
		}
		if ((dot = strrchr(buf, '.')) == NULL)
			return p;
		*dot = '\0';
	}
}

static void say(struct mctx *c, enum diag_level lvl, const char *path,
		const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void say(struct mctx *c, enum diag_level lvl, const char *path,
		const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vaddf(c->dl, lvl, "model", pos_of(c, path), fmt, ap);
	va_end(ap);
	if (hint)
		diag_hintf(c->dl, "%s", hint);
	if (lvl == DIAG_ERROR)
		c->errors++;
}

static bool present(struct mctx *c, const char *dotted)
{
	return ynode_path(c->root, dotted) != NULL;
}

/* }}} */
/* {{{ names, labels, resources */

void model_pod_name_prefix(const char *ns, const char *name, char *buf,
			   size_t n)
{
	uint32_t h = 2166136261u;
	const char *parts[3] = { ns, "/", name };

	for (size_t i = 0; i < countof(parts); i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
			h ^= *p;
			h *= 16777619u;
		}
	snprintf(buf, n, "%s-%06x", name, (unsigned)(h & 0xffffff));
}

static void build_names(struct mctx *c)
{
	const char *name = gs(c, "app.name");
	json_t *names = json_object(), *rss = json_object(), *shuffle = json_object();
	const char *sa = gs(c, "driver.serviceAccount");
	const char *cls = gs(c, "checkpoint.storage.className");

	json_object_set_new(names, "job", strf("%s-driver", name));
	c->sa_named = sa != NULL;
	json_object_set_new(names, "serviceAccount", sa ? json_string(sa) : strf("%s-driver", name));
	json_object_set_new(names, "role", strf("%s-driver", name));
	json_object_set_new(names, "roleBinding", strf("%s-driver", name));
	json_object_set_new(names, "service", strf("%s-driver", name));
	json_object_set_new(names, "pdb", strf("%s-driver", name));
	json_object_set_new(names, "claim", strf("%s-checkpoint", name));
	json_object_set_new(names, "storageClass", cls ? json_string(cls) : strf("%s-checkpoint", name));
	json_object_set_new(rss, "configMap", json_string("spark-resource-staging-server-config"));
	json_object_set_new(rss, "deployment", json_string("spark-resource-staging-server"));
	json_object_set_new(rss, "service", json_string("spark-resource-staging-service"));
	json_object_set_new(rss, "serviceAccount", json_string("spark-resource-staging-server"));
	json_object_set_new(rss, "clusterRole", json_string("spark-resource-staging-server"));
	json_object_set_new(rss, "clusterRoleBinding",
			    strf("spark-resource-staging-server-%s", gs(c, "app.namespace")));
	json_object_set_new(names, "stagingServer", rss);
	json_object_set_new(shuffle, "serviceAccount", json_string("spark-shuffle-service"));
	json_object_set_new(shuffle, "clusterRole", json_string("spark-shuffle-service"));
	json_object_set_new(shuffle, "clusterRoleBinding",
			    strf("spark-shuffle-service-%s", gs(c, "legacy.shuffleService.namespace")));
	json_object_set_new(shuffle, "daemonSet", json_string("shuffle"));
	json_object_set_new(names, "shuffleService", shuffle);
	json_object_set_new(c->m, "names", names);
	put(c, "driver.serviceAccount", json_string(gs(c, "names.serviceAccount")));
	put(c, "checkpoint.storage.className", json_string(gs(c, "names.storageClass")));
	json_object_set_new(names, "driverHost", strf("%s.%s.svc",
			    gs(c, "names.service"), gs(c, "app.namespace")));
}

static void build_labels(struct mctx *c)
{
	const char *name = gs(c, "app.name");
	json_t *labels = json_object();
	json_t *common = json_object(), *shared = json_object();
	json_t *pod = json_object(), *rss = json_object();
	json_t *sa;

	json_object_set_new(common, "app.kubernetes.io/name", json_string(name));
	json_object_set_new(common, "app.kubernetes.io/managed-by", json_string("sparkgen"));
	json_object_set_new(common, "sparkgen.io/app", json_string(name));
	json_object_set_new(shared, "app.kubernetes.io/managed-by", json_string("sparkgen"));
	/* the headless Service's selector: only the driver pod has both */
	json_object_set_new(pod, "sparkgen.io/app", json_string(name));
	json_object_set_new(pod, "spark-role", json_string("driver"));
	json_object_set_new(rss, "resource-staging-server-instance", json_string("default"));
	json_object_set_new(labels, "common", common);
	json_object_set_new(labels, "shared", shared);
	/*
	** The driver's ServiceAccount: the app's own when sparkgen names it
	** <name>-driver; a name the description chose may be several apps' in
	** a namespace, so it has no app label and two apps' copies are one
	** object, not a conflict (their Roles and RoleBindings stay apart).
	** It still says it is a driver's: the legacy fork's shared accounts
	** (staging server, shuffle service) carry only managed-by, so a driver
	** account named like one of them is a conflict, never merged into it
	** and bound to the driver's Role.
	*/
	sa = json_deep_copy(c->sa_named ? shared : common);
	if (c->sa_named)
		json_object_set_new(sa, "app.kubernetes.io/component", json_string("spark-driver"));
	json_object_set_new(labels, "serviceAccount", sa);
	json_object_set_new(labels, "driverSelector", pod);
	json_object_set_new(labels, "stagingServer", rss);
	json_object_set_new(labels, "shuffleService",
			    json_deep_copy(get(c->m, "legacy.shuffleService.labels")));
	json_object_set_new(c->m, "labels", labels);
}

/* A Spark memory size at `key` in MiB, or -1 after saying why it is none. */
static int check_spark_mib(struct mctx *c, const char *key, uint64_t *mib)
{
	const char *v = gs(c, key);

	switch (quantity_spark_mib(v, mib)) {
	case 0:
		return 0;
	case -2:
		say(c, DIAG_ERROR, key, NULL, "invalid value '%s' for '%s': Spark holds a size "
		    "in bytes in a Java long, and this is more than its 8 EiB", v, key);
		return -1;
	default:
		say(c, DIAG_ERROR, key, NULL, "invalid value '%s' for '%s'", v, key);
		return -1;
	}
}

static void build_resources(struct mctx *c)
{
	uint64_t mem = 0, over = 0, exec_mib;
	char cpu[32], conf[32];
	const char *o = gs(c, "driver.memoryOverhead");
	json_t *res = json_object();

	if (check_spark_mib(c, "driver.memory", &mem) < 0) {
		json_decref(res);
		return;
	}
	c->overhead_set = o != NULL;
	if (o != NULL) {
		check_spark_mib(c, "driver.memoryOverhead", &over);
	} else {
		/* rounded up: a limit a little above Spark's own figure is safe */
		over = (uint64_t)ceil(mem * SPARK_OVERHEAD_FACTOR);
		if (over < SPARK_OVERHEAD_MIN_MIB)
			over = SPARK_OVERHEAD_MIN_MIB;
	}
	quantity_cpu_format(json_number_value(get(c->m, "driver.cores")), cpu, sizeof cpu);
	json_object_set_new(res, "cpu", json_string(cpu));
	json_object_set_new(res, "memory", strf("%lluMi", (unsigned long long)(mem + over)));
	json_object_set_new(res, "heapMi", json_integer((json_int_t)mem));
	json_object_set_new(res, "overheadMi", json_integer((json_int_t)over));
	json_object_set_new(c->m, "resources", json_pack("{s:o}", "driver", res));
	put(c, "driver.memoryOverhead", strf("%llum", (unsigned long long)over));
	if (quantity_spark_conf(gs(c, "driver.memory"), conf, sizeof conf) == 0)
		put(c, "driver.memory", json_string(conf));
	if (check_spark_mib(c, "executor.memory", &exec_mib) == 0 &&
	    quantity_spark_conf(gs(c, "executor.memory"), conf, sizeof conf) == 0)
		put(c, "executor.memory", json_string(conf));
}

/* }}} */
/* {{{ checkpoint storage */

static const char *resolve_access_mode(struct mctx *c, const struct storage_kind *k,
				       bool executors)
{
	const char *mode = gs(c, "checkpoint.accessMode");
	const char *what = k && k->kind ? k->kind : "existing";

	if (strcmp(mode, "auto") == 0) {
		if (executors || (k && k->rwx == 1))
			mode = "ReadWriteMany";
		else
			mode = "ReadWriteOnce";
		if (strcmp(mode, "ReadWriteOnce") == 0 && is(c, "app.target", "native-3x"))
			say(c, DIAG_WARNING, "checkpoint.accessMode",
			    "use storage that offers ReadWriteMany (file, efs, filestore, nfs), or set "
			    "checkpoint.accessMode explicitly to accept this",
			    "the checkpoint claim will be ReadWriteOnce ('%s' storage): after a node "
			    "loss the new driver waits until the volume is detached", what);
	}
	if (k && k->rwx == 0 && strcmp(mode, "ReadWriteMany") == 0)
		say(c, DIAG_ERROR, present(c, "checkpoint.accessMode") ? "checkpoint.accessMode"
			: "checkpoint.storage.kind",
		    "use a file system (azure file, aws efs, gcp filestore, nfs) or checkpoint.mode: uri",
		    "'%s/%s' volumes cannot be ReadWriteMany, which %s", k->cloud, k->kind,
		    executors ? "executors mounting the checkpoint need" : "was requested");
	else if (executors && strcmp(mode, "ReadWriteMany") != 0)
		say(c, DIAG_ERROR, "checkpoint.accessMode",
		    "executors on other nodes cannot share the volume otherwise",
		    "checkpoint.accessMode '%s' conflicts with mounting the checkpoint in executors "
		    "(app.stateful or checkpoint.mountInExecutors): use ReadWriteMany", mode);
	return mode;
}

static void check_size(struct mctx *c, const struct storage_kind *k, json_t *params)
{
	const char *size = gs(c, "checkpoint.size"), *why;
	double bytes, min;

	if (quantity_parse(size, &bytes) < 0 || bytes < 1) {
		say(c, DIAG_ERROR, "checkpoint.size", NULL,
		    "invalid value '%s' for 'checkpoint.size': must be at least one byte", size);
		return;
	}
	min = storage_min_bytes(k, params, &why);
	if (bytes < min)
		say(c, DIAG_ERROR, "checkpoint.size", "raise checkpoint.size or choose another storage kind",
		    "checkpoint.size '%s' is below the minimum of this storage: %s", size, why);
}

/*
** What sparklint's spark-storageclass-parameters requires of the class's
** parameters (L14), keys compared without case as the rule does: the schema
** checks the keys as the catalogue spells them, this the other spellings.
*/
static void check_parameters(struct mctx *c, const struct storage_kind *k, json_t *params)
{
	const char *key, *v;
	char path[160];

	if (k->kind && strcmp(k->kind, "efs") == 0 && gb(c, "checkpoint.storage.create")) {
		v = json_string_value(storage_param(params, "provisioningMode", &key));
		if (key && (v == NULL || strcmp(v, "efs-ap") != 0)) {
			snprintf(path, sizeof path, "checkpoint.storage.parameters.%s", key);
			say(c, DIAG_ERROR, path, "EFS classes provision access points: set it to 'efs-ap'",
			    "invalid value '%s' for '%s': EFS dynamic provisioning needs 'efs-ap'",
			    v ? v : "?", path);
		}
	}
	if (storage_azure_nfs(k, params)) {
		v = json_string_value(storage_param(params, "skuName", &key));
		if (key && (v == NULL || strncmp(v, "Premium", 7) != 0)) {
			snprintf(path, sizeof path, "checkpoint.storage.parameters.%s", key);
			say(c, DIAG_ERROR, path, "NFS shares are Premium: use Premium_LRS or Premium_ZRS",
			    "invalid value '%s' for '%s': Azure Files over NFS needs a Premium SKU",
			    v ? v : "?", path);
		}
	}
}

static void build_storage(struct mctx *c)
{
	const char *cloud = gs(c, "checkpoint.storage.cloud");
	const char *kind = gs(c, "checkpoint.storage.kind");
	json_t *mie = get(c->m, "checkpoint.mountInExecutors");	/* replaced below */
	bool pvc = is(c, "checkpoint.mode", "pvc");
	bool executors = json_is_string(mie) ? gb(c, "app.stateful") : json_is_true(mie);
	bool never_executors = json_is_false(mie);
	const struct storage_kind *k;
	json_t *params;
	const char *binding = gs(c, "checkpoint.storage.bindingMode");

	put(c, "checkpoint.location", pvc ? strf("file://%s", gs(c, "checkpoint.mountPath"))
					  : json_string(gs(c, "checkpoint.uri")));
	if (!pvc) {
		put(c, "checkpoint.mountInExecutors", json_false());
		if (present(c, "checkpoint.storage"))
			say(c, DIAG_WARNING, "checkpoint.storage", NULL,
			    "'checkpoint.storage' is not used with checkpoint.mode 'uri'");
		return;
	}
	put(c, "checkpoint.mountInExecutors", json_boolean(executors));
	k = storage_find(cloud, kind);
	if (k == NULL)		/* the schema pairs clouds and kinds */
		return;
	params = storage_parameters(k, get(c->m, "checkpoint.storage.parameters"));
	put(c, "checkpoint.storage.parameters", params);
	check_parameters(c, k, params);
	if (k->provisioner)
		put(c, "checkpoint.storage.provisioner", json_string(
			gb(c, "checkpoint.storage.legacyInTree") && k->intree ? k->intree : k->provisioner));
	put(c, "checkpoint.storage.allowVolumeExpansion", k->expandable ? json_true() : json_null());
	if (strcmp(binding, "auto") == 0)
		put(c, "checkpoint.storage.bindingMode",
		    json_string(k->block ? "WaitForFirstConsumer" : "Immediate"));
	else if (strcmp(binding, "Immediate") == 0 && storage_zonal(k, params))
		say(c, DIAG_WARNING, "checkpoint.storage.bindingMode", NULL,
		    "'%s/%s' volumes are zonal: with Immediate binding the volume may be made in a "
		    "zone the driver cannot run in", k->cloud, k->kind);
	put(c, "checkpoint.accessMode", json_string(resolve_access_mode(c, k, executors)));
	if (executors && is(c, "checkpoint.accessMode", "ReadWriteOncePod"))
		say(c, DIAG_ERROR, "checkpoint.accessMode", NULL,
		    "ReadWriteOncePod cannot be mounted in executors");
	check_size(c, k, params);
	if (gb(c, "app.stateful") && never_executors)
		say(c, DIAG_ERROR, "checkpoint.mountInExecutors", NULL,
		    "a stateful app's executors write into the checkpoint: "
		    "checkpoint.mountInExecutors must not be false");
}

/* }}} */
/* {{{ spark confs and the spark-submit line */

struct submit {
	json_t *lines;		/* [[word...]...] one line of the command each */
	json_t *confs;		/* [{name, value}...] */
	json_t *args;		/* the words as the Job's container args */
};

/*
** Append a word to line `l` as the process gets it, and to the Job's args as
** Kubernetes needs it: there `$(VAR)` is replaced by the container's
** variable and `$$` by `$` (any other `$` stays), so a `$` before `(` or `$`
** is doubled, unless the word is meant for that expansion (`env`).
*/
static void word(struct submit *s, json_t *l, const char *w, bool env)
{
	struct strbuf esc = STRBUF_INIT;

	if (!w)		/* the schema makes every word a string: never reached */
		w = "";
	json_array_append_new(l, json_string(w));
	if (env || !strchr(w, '$')) {
		json_array_append_new(s->args, json_string(w));
		return;
	}
	for (; *w; w++) {
		if (w[0] == '$' && (w[1] == '(' || w[1] == '$'))
			strbuf_addch(&esc, '$');
		strbuf_addch(&esc, *w);
	}
	json_array_append_new(s->args, json_string(esc.buf));
	strbuf_release(&esc);
}

/* A line of one or two words (b may be NULL); with `env`, b is for Kubernetes to expand. */
static void line_env(struct submit *s, const char *a, const char *b, bool env)
{
	json_t *l = json_array();

	word(s, l, a, false);
	if (b)
		word(s, l, b, env);
	json_array_append_new(s->lines, l);
}

static void line(struct submit *s, const char *a, const char *b)
{
	line_env(s, a, b, false);
}

/* --conf key=value, and {name, value} in s->confs */
static void conf_line(struct submit *s, const char *key, const char *value, bool env)
{
	struct strbuf kv = STRBUF_INIT;
	json_t *name, *val, *c = NULL;

	strbuf_addstr(&kv, key);
	strbuf_addch(&kv, '=');
	strbuf_addstr(&kv, value);
	line_env(s, "--conf", kv.buf, env);
	/* {name, value}, or nothing if either is not a string (as json_pack) */
	name = json_string(key);
	val = json_string(value);
	if (name && val && (c = json_object()) != NULL) {
		json_object_set_new(c, "name", name);
		json_object_set_new(c, "value", val);
		json_array_append_new(s->confs, c);
	} else {
		json_decref(name);
		json_decref(val);
	}
	strbuf_release(&kv);
}

static void conf(struct submit *s, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void conf(struct submit *s, const char *key, const char *fmt, ...)
{
	struct strbuf v = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&v, fmt, ap);
	va_end(ap);
	conf_line(s, key, v.buf, false);
	strbuf_release(&v);
}

static void user_confs(struct mctx *c, struct submit *s)
{
	const char *k;
	json_t *v;

	json_object_foreach(get(c->m, "app.sparkConf"), k, v)
		conf(s, k, "%s", json_string_value(v));
}

static void executor_confs(struct mctx *c, struct submit *s, bool native)
{
	if (gb(c, "executor.dynamicAllocation.enabled")) {
		conf(s, "spark.dynamicAllocation.enabled", "true");
		if (native)
			conf(s, "spark.dynamicAllocation.shuffleTracking.enabled", "true");
		conf(s, "spark.dynamicAllocation.minExecutors", "%lld",
		     gi(c, "executor.dynamicAllocation.min"));
		conf(s, "spark.dynamicAllocation.maxExecutors", "%lld",
		     gi(c, "executor.dynamicAllocation.max"));
	} else {
		conf(s, "spark.executor.instances", "%lld", gi(c, "executor.instances"));
	}
	conf(s, "spark.executor.cores", "%lld", gi(c, "executor.cores"));
	conf(s, "spark.executor.memory", "%s", gs(c, "executor.memory"));
}

static void native_confs(struct mctx *c, struct submit *s)
{
	const char *claim = gs(c, "names.claim");
	const char *pfx = "spark.kubernetes.executor.volumes.persistentVolumeClaim.checkpoint";
	char key[160];

	conf(s, "spark.kubernetes.namespace", "%s", gs(c, "app.namespace"));
	conf(s, "spark.kubernetes.container.image", "%s", gs(c, "app.executorImage"));
	conf_line(s, "spark.kubernetes.driver.pod.name", "$(POD_NAME)", true);
	conf(s, "spark.kubernetes.executor.podNamePrefix", "%s", gs(c, "executor.podNamePrefix"));
	conf(s, "spark.driver.host", "%s", gs(c, "names.driverHost"));
	conf_line(s, "spark.driver.bindAddress", "$(POD_IP)", true);
	conf(s, "spark.driver.port", "%lld", gi(c, "driver.ports.rpc"));
	conf(s, "spark.driver.blockManager.port", "%lld", gi(c, "driver.ports.blockManager"));
	conf(s, "spark.ui.port", "%lld", gi(c, "driver.ports.ui"));
	conf(s, "spark.driver.cores", "%lld",
	     (long long)ceil(json_number_value(get(c->m, "driver.cores"))));
	conf(s, "spark.driver.memory", "%s", gs(c, "driver.memory"));
	if (c->overhead_set)	/* so that readers of the Job size the container as we did */
		conf(s, "spark.driver.memoryOverhead", "%s", gs(c, "driver.memoryOverhead"));
	executor_confs(c, s, true);
	if (is(c, "app.api", "structured"))
		conf(s, "spark.sql.streaming.checkpointLocation", "%s", gs(c, "checkpoint.location"));
	if (gb(c, "checkpoint.mountInExecutors")) {
		snprintf(key, sizeof key, "%s.options.claimName", pfx);
		conf(s, key, "%s", claim);
		snprintf(key, sizeof key, "%s.mount.path", pfx);
		conf(s, key, "%s", gs(c, "checkpoint.mountPath"));
		if (gs(c, "checkpoint.subPath")) {
			snprintf(key, sizeof key, "%s.mount.subPath", pfx);
			conf(s, key, "%s", gs(c, "checkpoint.subPath"));
		}
		snprintf(key, sizeof key, "%s.mount.readOnly", pfx);
		conf(s, key, "false");
	}
	if (gs(c, "dependencies.uploadPath"))
		conf(s, "spark.kubernetes.file.upload.path", "%s", gs(c, "dependencies.uploadPath"));
}

static void legacy_confs(struct mctx *c, struct submit *s)
{
	char cpu[32];

	conf(s, "spark.kubernetes.authenticate.driver.serviceAccountName", "%s",
	     gs(c, "names.serviceAccount"));
	conf(s, "spark.app.name", "%s", gs(c, "app.name"));
	conf(s, "spark.kubernetes.driver.docker.image", "%s", gs(c, "legacy.driverImage"));
	conf(s, "spark.kubernetes.executor.docker.image", "%s", gs(c, "legacy.executorImage"));
	conf(s, "spark.kubernetes.initcontainer.docker.image", "%s", gs(c, "legacy.initImage"));
	if (is(c, "checkpoint.mode", "pvc") && gb(c, "legacy.checkpointConfs")) {
		conf(s, "spark.kubernetes.checkpointdir.enable", "true");
		conf(s, "spark.kubernetes.checkpointdir.path", "%s", gs(c, "checkpoint.mountPath"));
		conf(s, "spark.kubernetes.checkpointdir.size", "%s", gs(c, "checkpoint.size"));
	}
	quantity_cpu_format(json_number_value(get(c->m, "driver.cores")), cpu, sizeof cpu);
	conf(s, "spark.driver.cores", "%s", cpu);
	conf(s, "spark.driver.memory", "%s", gs(c, "driver.memory"));
	executor_confs(c, s, false);
	if (gb(c, "legacy.shuffleService.enabled")) {
		struct strbuf sel = STRBUF_INIT;
		const char *k;
		json_t *v;
		json_object_foreach(get(c->m, "legacy.shuffleService.labels"), k, v)
			strbuf_addf(&sel, "%s%s=%s", sel.len ? "," : "", k, json_string_value(v));
		conf(s, "spark.shuffle.service.enabled", "true");
		conf(s, "spark.kubernetes.shuffle.namespace", "%s", gs(c, "legacy.shuffleService.namespace"));
		conf(s, "spark.kubernetes.shuffle.labels", "%s", sel.buf ? sel.buf : "");
		conf(s, "spark.local.dir", "%s", gs(c, "legacy.shuffleService.localDir"));
		strbuf_release(&sel);
	}
	if (gb(c, "legacy.stagingServer.enabled")) {
		conf(s, "spark.kubernetes.resourceStagingServer.uri", "%s", gs(c, "legacy.stagingServer.uri"));
		conf(s, "spark.kubernetes.resourceStagingServer.internal.uri", "%s",
		     gs(c, "legacy.stagingServer.internalUri"));
	}
	if (is(c, "app.api", "structured"))
		conf(s, "spark.sql.streaming.checkpointLocation", "%s", gs(c, "checkpoint.location"));
}

static void build_submit(struct mctx *c)
{
	bool native = is(c, "app.target", "native-3x");
	struct submit s = { json_array(), json_array(), json_array() };
	json_t *last = json_array(), *spark = json_object();
	size_t i;
	json_t *w;

	if (native) {
		line(&s, "--master", MODEL_MASTER_IN_CLUSTER);
		line(&s, "--deploy-mode", "client");
		line(&s, "--name", gs(c, "app.name"));
	} else {
		line(&s, "--deploy-mode", "cluster");
		line(&s, "--master", gs(c, "legacy.master") ? gs(c, "legacy.master")
							     : MODEL_MASTER_PLACEHOLDER);
		line(&s, "--kubernetes-namespace", gs(c, "app.namespace"));
	}
	if (gs(c, "app.mainClass"))
		line(&s, "--class", gs(c, "app.mainClass"));
	if (native)
		native_confs(c, &s);
	else
		legacy_confs(c, &s);
	user_confs(c, &s);
	word(&s, last, gs(c, "app.mainFile"), false);
	json_array_foreach(get(c->m, "app.args"), i, w)	/* strings (scalarText) */
		word(&s, last, json_string_value(w), false);
	json_array_append_new(s.lines, last);
	json_object_set_new(spark, "command", json_string(native ? "/opt/spark/bin/spark-submit"
								: "bin/spark-submit"));
	json_object_set_new(spark, "args", s.args);
	json_object_set_new(spark, "lines", s.lines);
	json_object_set_new(spark, "confs", s.confs);
	json_object_set_new(c->m, "spark", spark);
}

/* }}} */
/* {{{ checks and switches */

static int cmp_exit_code(const void *a, const void *b)
{
	json_int_t x = json_integer_value(*(json_t *const *)a);
	json_int_t y = json_integer_value(*(json_t *const *)b);

	return (x > y) - (x < y);
}

/*
** Kubernetes refuses onExitCodes values that are not in ascending order
** ("must be ordered"), a rule only the API server checks: write
** driver.fatalExitCodes sorted (the schema already refuses duplicates).
*/
static void sort_exit_codes(struct mctx *c)
{
	json_t *codes = get(c->m, "driver.fatalExitCodes"), **v;
	size_t n = json_array_size(codes);

	if (n < 2)
		return;
	v = xmalloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(codes, i));
	qsort(v, n, sizeof *v, cmp_exit_code);
	json_array_clear(codes);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(codes, v[i]);
	free(v);
}

/*
** The driver's three ports become the headless Service's ports, which the
** API server refuses to repeat ("Duplicate value"), and Spark cannot bind
** two of its services to one port either.  Each clash is told once, at the
** later key, naming the first key with that port.
*/
static void check_ports(struct mctx *c)
{
	static const char *const key[] = {
		"driver.ports.rpc", "driver.ports.blockManager", "driver.ports.ui"
	};

	for (size_t j = 1; j < 3; j++)
		for (size_t i = 0; i < j; i++)
			if (gi(c, key[i]) == gi(c, key[j])) {
				say(c, DIAG_ERROR, key[j], "give each of driver.ports a port of its own",
				    "%s is %lld, the same port as %s", key[j], gi(c, key[j]), key[i]);
				break;
			}
}

/*
** The driver's ServiceAccount.  The names sparkgen gives the legacy fork's
** shared accounts are never the driver's: those accounts read pods in every
** namespace (their ClusterRoles), and with rbac.create the driver's Role
** would be bound to the shuffle DaemonSet's or the staging server's identity.
** With rbac.create sparkgen writes the account and binds the driver's Role
** (pods, services, configmaps, claims) to it; the namespace's 'default'
** account is every pod's that names none, so all of them would get the
** driver's rights.  With rbac.create false that binding is someone else's.
*/
static void check_service_account(struct mctx *c)
{
	static const struct {
		const char *name;	/* dotted path of the reserved name */
		const char *whose;
	} infra[] = {
		{ "names.shuffleService.serviceAccount", "the legacy shuffle service's" },
		{ "names.stagingServer.serviceAccount", "the legacy resource staging server's" },
	};
	const char *sa = gs(c, "driver.serviceAccount");
	char hint[256];

	if (!c->sa_named)
		return;
	snprintf(hint, sizeof hint, "name an account of the driver's own (or leave "
		 "driver.serviceAccount unset for '%s-driver')", gs(c, "app.name"));
	for (size_t i = 0; i < countof(infra); i++)
		if (!strcmp(sa, gs(c, infra[i].name))) {
			say(c, DIAG_ERROR, "driver.serviceAccount", hint,
			    "driver.serviceAccount '%s' is the name of %s ServiceAccount, which reads "
			    "pods in every namespace: the driver may not run as it", sa, infra[i].whose);
			return;
		}
	if (!gb(c, "rbac.create") || strcmp(sa, "default"))
		return;
	snprintf(hint, sizeof hint, "name an account of the driver's own (or leave "
		 "driver.serviceAccount unset for '%s-driver'), or set rbac.create: false if the "
		 "default account's rights are managed elsewhere", gs(c, "app.name"));
	say(c, DIAG_ERROR, "driver.serviceAccount", hint,
	    "driver.serviceAccount 'default' is the namespace's default ServiceAccount, which every "
	    "pod that names none runs as: with rbac.create sparkgen would bind the driver's Role "
	    "to it and give them all the driver's rights");
}

static void check_driver(struct mctx *c)
{
	bool never = is(c, "driver.restartPolicy", "Never");
	bool fatal = json_array_size(get(c->m, "driver.fatalExitCodes")) > 0;
	bool policy = never && (gb(c, "driver.ignoreDisruptions") || fatal);

	if (!never && fatal)
		say(c, DIAG_ERROR, "driver.fatalExitCodes",
		    "use restartPolicy Never, or drop fatalExitCodes",
		    "driver.fatalExitCodes needs a podFailurePolicy, which Kubernetes allows only "
		    "with driver.restartPolicy 'Never'");
	if (!never && gb(c, "driver.ignoreDisruptions"))
		say(c, DIAG_WARNING, "driver.restartPolicy", NULL,
		    "with restartPolicy 'OnFailure' the Job can have no podFailurePolicy: "
		    "evictions and drains count against driver.backoffLimit");
	if (policy && is(c, "driver.replacement", "TerminatingOrFailed"))
		say(c, DIAG_ERROR, "driver.replacement",
		    "set driver.replacement: Failed (the default), or driver.ignoreDisruptions: false",
		    "driver.replacement 'TerminatingOrFailed' is not allowed with a podFailurePolicy");
	put(c, "job", json_pack("{s:b}", "podFailurePolicy", policy));
	sort_exit_codes(c);
	if (is(c, "app.target", "native-3x"))
		check_ports(c);
	if (gi(c, "executor.dynamicAllocation.min") > gi(c, "executor.dynamicAllocation.max"))
		say(c, DIAG_ERROR, "executor.dynamicAllocation.min", NULL,
		    "executor.dynamicAllocation.min (%lld) is above max (%lld)",
		    gi(c, "executor.dynamicAllocation.min"), gi(c, "executor.dynamicAllocation.max"));
}

static bool path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void check_legacy(struct mctx *c, bool native)
{
	char uri[512];

	if (native) {
		if (present(c, "legacy"))
			say(c, DIAG_WARNING, "legacy", NULL,
			    "'legacy' is only used with app.target 'legacy-fork'");
		return;
	}
	if (present(c, "app.image") || present(c, "app.executorImage"))
		say(c, DIAG_WARNING, present(c, "app.image") ? "app.image" : "app.executorImage",
		    "the fork's images are legacy.driverImage, legacy.executorImage and legacy.initImage",
		    "app.image and app.executorImage are not used by target 'legacy-fork'");
	if (gb(c, "executor.dynamicAllocation.enabled") && !gb(c, "legacy.shuffleService.enabled"))
		say(c, DIAG_ERROR, "executor.dynamicAllocation.enabled",
		    "set legacy.shuffleService.enabled: true",
		    "dynamic allocation on the legacy fork needs the external shuffle service");
	if (gb(c, "legacy.shuffleService.enabled") &&
	    !path_under(gs(c, "legacy.shuffleService.localDir"), gs(c, "legacy.shuffleService.hostPath")))
		say(c, DIAG_ERROR, "legacy.shuffleService.localDir",
		    "the shuffle pods see the executors' files only under their hostPath mount",
		    "legacy.shuffleService.localDir '%s' is not under legacy.shuffleService.hostPath '%s'",
		    gs(c, "legacy.shuffleService.localDir"), gs(c, "legacy.shuffleService.hostPath"));
	/* the fork creates the checkpoint claim, on the cluster's default class */
	if (is(c, "checkpoint.mode", "pvc") && !gb(c, "checkpoint.storage.create"))
		say(c, DIAG_WARNING, "checkpoint.storage.className",
		    "make it the cluster's default class, or let sparkgen write it (checkpoint.storage.create: true)",
		    "the fork's checkpoint claim takes the cluster's default StorageClass, which "
		    "checkpoint.storage.className '%s' must then be", gs(c, "checkpoint.storage.className"));
	if (present(c, "checkpoint.accessMode"))
		say(c, DIAG_WARNING, "checkpoint.accessMode", NULL,
		    "checkpoint.accessMode is not used by target 'legacy-fork': the fork creates the "
		    "checkpoint claim itself");
	snprintf(uri, sizeof uri, "http://%s.%s.svc:%lld", gs(c, "names.stagingServer.service"),
		 gs(c, "app.namespace"), gi(c, "legacy.stagingServer.port"));
	if (!gs(c, "legacy.stagingServer.uri"))
		put(c, "legacy.stagingServer.uri", json_string(uri));
	if (!gs(c, "legacy.stagingServer.internalUri"))
		put(c, "legacy.stagingServer.internalUri", json_string(uri));
}

/*
** Does the application argument `arg` name the checkpoint location `loc`
** or a path under it?  `loc` (less a trailing '/') starts the argument or
** follows a '=' (--checkpoint=LOC), a local path also as a file: URI
** (file:///ckpt), and ends it or goes on with '/': "s3a://b/ckpt" is not
** in "s3a://b/ck", nor "/data/ckpt" in "/ckpt".
*/
static bool arg_points_into(const char *arg, const char *loc)
{
	size_t n = strlen(loc);

	while (n > 1 && loc[n - 1] == '/')
		n--;
	for (const char *s = arg; s; s = strchr(s, '=')) {
		if (*s == '=')
			s++;
		if (loc[0] == '/' && !strncmp(s, "file:", 5))
			for (s += 5; s[0] == '/' && s[1] == '/'; s++)
				;
		if (!strncmp(s, loc, n) && (s[n] == '\0' || s[n] == '/' || loc[n - 1] == '/'))
			return true;
	}
	return false;
}

/*
** Does sparklint read a checkpoint location from these application
** arguments?  spark-checkpoint-volume-missing takes the first of its
** options (CKPT_ARGS in rules/lib/spark.lua) as "--opt=V" or "--opt V",
** and judges a non-empty V itself: a remote one needs no volume.
*/
static bool lint_reads_checkpoint(json_t *args)
{
	static const char *const opts[] = { "--checkpoint", "--checkpoint-dir", "--checkpointDir",
		"--checkpoint-location", "--checkpointLocation", "--checkpoint-path",
		"--checkpointPath" };
	size_t n = json_array_size(args);

	for (size_t i = 0; i < n; i++) {
		const char *w = json_string_value(json_array_get(args, i));
		const char *eq = w ? strchr(w, '=') : NULL;
		size_t len = eq ? (size_t)(eq - w) : 0;

		for (size_t k = 0; w && k < countof(opts); k++) {
			if (eq && strlen(opts[k]) == len && !strncmp(w, opts[k], len))
				return eq[1] != '\0';
			if (!eq && !strcmp(w, opts[k]) && i + 1 < n) {
				const char *v = json_string_value(json_array_get(args, i + 1));

				return v && *v;
			}
		}
	}
	return false;
}

static void check_dstreams(struct mctx *c)
{
	const char *loc = is(c, "checkpoint.mode", "pvc") ? gs(c, "checkpoint.mountPath")
							  : gs(c, "checkpoint.location");
	size_t i;
	json_t *a;

	if (!is(c, "app.api", "dstreams"))
		return;
	json_array_foreach(get(c->m, "app.args"), i, a)
		if (json_is_string(a) && arg_points_into(json_string_value(a), loc)) {
			/*
			** Only the app knows which argument is its checkpoint: with
			** mode uri the Job mounts no claim and sets no checkpoint
			** conf, so sparklint's spark-checkpoint-volume-missing sees
			** no checkpoint at all.  The Job says where it is, unless
			** sparklint reads a checkpoint from an option it knows
			** (it would report the suppression unused, or hide what
			** it finds at a local one).
			*/
			if (!is(c, "checkpoint.mode", "pvc") &&
			    !lint_reads_checkpoint(get(c->m, "app.args")))
				put(c, "job.checkpointInArgs", json_true());
			return;
		}
	say(c, DIAG_WARNING, "app.args",
	    "pass the checkpoint directory to StreamingContext.getOrCreate through app.args",
	    "no argument of the DStreams app points into the checkpoint location '%s'",
	    gs(c, "checkpoint.location"));
}

static void build_emit(struct mctx *c, bool native)
{
	bool pvc = is(c, "checkpoint.mode", "pvc");
	json_t *e = json_object();

	json_object_set_new(e, "storageClass", json_boolean(pvc && gb(c, "checkpoint.storage.create")));
	/* the fork makes its own claim from the checkpointdir confs, on the default class */
	json_object_set_new(e, "defaultClass", json_boolean(!native && pvc));
	json_object_set_new(e, "claim", json_boolean(native && pvc));
	json_object_set_new(e, "rbac", json_boolean(gb(c, "rbac.create")));
	json_object_set_new(e, "service", json_boolean(native));
	json_object_set_new(e, "pdb", json_boolean(native && gb(c, "driver.pdb")));
	json_object_set_new(e, "job", json_boolean(native));
	json_object_set_new(e, "stagingServer",
			    json_boolean(!native && gb(c, "legacy.stagingServer.enabled")));
	json_object_set_new(e, "shuffleService",
			    json_boolean(!native && gb(c, "legacy.shuffleService.enabled")));
	json_object_set_new(c->m, "emit", e);
	json_object_set_new(c->m, "target", json_pack("{s:b,s:b}", "native", native, "legacy", !native));
}

/* }}} */

json_t *model_build(json_t *desc, const struct ynode *root, const char *file,
		    struct diag_list *dl)
{
	struct mctx c = { desc, root, file, dl, 0, false, false };
	bool native;
	char prefix[128];

	if (desc == NULL)
		return NULL;
	native = is(&c, "app.target", "native-3x");
	if (!gs(&c, "app.executorImage") && gs(&c, "app.image"))
		put(&c, "app.executorImage", json_string(gs(&c, "app.image")));
	if (!gs(&c, "executor.podNamePrefix")) {
		model_pod_name_prefix(gs(&c, "app.namespace"), gs(&c, "app.name"), prefix, sizeof prefix);
		put(&c, "executor.podNamePrefix", json_string(prefix));
	}
	build_names(&c);
	build_labels(&c);
	build_resources(&c);
	build_storage(&c);
	check_driver(&c);
	check_service_account(&c);
	check_legacy(&c, native);
	check_dstreams(&c);
	build_emit(&c, native);
	build_submit(&c);
	if (c.errors) {
		json_decref(c.m);
		return NULL;
	}
	return c.m;
}

json_t *model_without_nulls(json_t *v)
{
	json_t *out;
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, k, x)
			if (!json_is_null(x))
				json_object_set_new(out, k, model_without_nulls(x));
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, model_without_nulls(x));
		return out;
	}
	return json_incref(v);
}
