/*
** storage.c: the StorageClass catalogue behind checkpoint.storage (cloud,
** kind) and the size minimums sparkgen enforces.
*/
#include "storage.h"

#include <string.h>
#include <strings.h>

#include "util.h"

#define GIB 1073741824.0
#define TIB 1099511627776.0

static const struct storage_kind storage_kinds[] = {
	{ "azure", "file", "file.csi.azure.com", "kubernetes.io/azure-file", 1, false, true,
	  { { "skuName", "Standard_LRS" } } },
	{ "azure", "disk", "disk.csi.azure.com", NULL, 0, true, true,
	  { { "skuName", "StandardSSD_LRS" } } },
	{ "aws", "efs", "efs.csi.aws.com", NULL, 1, false, false,
	  { { "provisioningMode", "efs-ap" }, { "directoryPerms", "700" } } },
	{ "aws", "ebs", "ebs.csi.aws.com", NULL, 0, true, true,
	  { { "type", "gp3" } } },
	{ "gcp", "filestore", "filestore.csi.storage.gke.io", NULL, 1, false, true,
	  { { "tier", "standard" } } },
	{ "gcp", "pd", "pd.csi.storage.gke.io", NULL, 0, true, true,
	  { { "type", "pd-balanced" } } },
	{ "nfs", "nfs", "nfs.csi.k8s.io", NULL, 1, false, false, { { NULL, NULL } } },
	{ "existing", NULL, NULL, NULL, -1, false, false, { { NULL, NULL } } },
};

const struct storage_kind *storage_find(const char *cloud, const char *kind)
{
	for (size_t i = 0; i < countof(storage_kinds); i++) {
		const struct storage_kind *k = &storage_kinds[i];
		if (strcmp(k->cloud, cloud) != 0)
			continue;
		if (k->kind == NULL || kind == NULL || strcmp(k->kind, kind) == 0)
			return k;
	}
	return NULL;
}

json_t *storage_param(json_t *params, const char *name, const char **key)
{
	const char *k;
	json_t *v;

	json_object_foreach(params, k, v) {
		if (strcasecmp(k, name) == 0) {
			if (key)
				*key = k;
			return v;
		}
	}
	if (key)
		*key = NULL;
	return NULL;
}

bool storage_azure_nfs(const struct storage_kind *k, json_t *params)
{
	const char *proto = json_string_value(storage_param(params, "protocol", NULL));
	return strcmp(k->cloud, "azure") == 0 && k->kind && strcmp(k->kind, "file") == 0 &&
	       proto && strcasecmp(proto, "nfs") == 0;
}

/* Set key to v in out, replacing a key that differs only in case where it stands. */
static void set_ci(json_t *out, const char *key, json_t *v)
{
	const char *old;
	json_t *was = storage_param(out, key, &old), *copy;
	const char *k;
	json_t *x;

	if (was == NULL || strcmp(old, key) == 0) {
		json_object_set(out, key, v);
		return;
	}
	copy = json_copy(out);
	json_object_clear(out);
	json_object_foreach(copy, k, x) {
		bool same = strcasecmp(k, key) == 0;

		json_object_set(out, same ? key : k, same ? v : x);
	}
	json_decref(copy);
}

json_t *storage_parameters(const struct storage_kind *k, json_t *user)
{
	json_t *out = json_object();
	const char *key;
	json_t *v;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < countof(k->params) && k->params[i][0]; i++) {
		const char *val = k->params[i][1];
		if (strcmp(k->params[i][0], "skuName") == 0 && storage_azure_nfs(k, user))
			val = "Premium_LRS";
		json_object_set_new(out, k->params[i][0], json_string(val));
	}
	json_object_foreach(user, key, v)
		set_ci(out, key, v);
	return out;
}

bool storage_zonal(const struct storage_kind *k, json_t *params)
{
	static const char *const sku_keys[] = { "skuName", "skuname", "storageaccounttype" };
	const char *rep = json_string_value(json_object_get(params, "replication-type"));
	const char *sku = NULL;
	size_t n;

	if (!k->block)
		return false;
	if (rep && strcasecmp(rep, "regional-pd") == 0)
		return false;
	for (size_t i = 0; i < countof(sku_keys) && sku == NULL; i++)
		sku = json_string_value(json_object_get(params, sku_keys[i]));
	n = sku ? strlen(sku) : 0;
	return !(n >= 4 && strcmp(sku + n - 4, "_ZRS") == 0);
}

/* sparklint's filestoreMinimum: the smallest instance of each Filestore tier */
static const struct {
	const char *tier;
	double bytes;
	const char *why;
} filestore_tiers[] = {
	{ "standard", TIB, "Filestore instances start at 1Ti" },
	{ "basic_hdd", TIB, "Filestore instances start at 1Ti" },
	{ "premium", 2.5 * TIB, "Filestore premium (basic SSD) instances start at 2.5Ti" },
	{ "basic_ssd", 2.5 * TIB, "Filestore premium (basic SSD) instances start at 2.5Ti" },
	{ "enterprise", TIB, "Filestore enterprise instances start at 1Ti" },
	{ "zonal", TIB, "Filestore zonal instances start at 1Ti" },
	{ "regional", TIB, "Filestore regional instances start at 1Ti" },
};

double storage_min_bytes(const struct storage_kind *k, json_t *params,
			 const char **why)
{
	const char *v;

	*why = NULL;
	if (k->kind == NULL)
		return 0;
	if (strcmp(k->kind, "filestore") == 0) {
		v = json_string_value(storage_param(params, "tier", NULL));
		for (size_t i = 0; i < countof(filestore_tiers); i++)
			if (strcasecmp(v ? v : "standard", filestore_tiers[i].tier) == 0) {
				*why = filestore_tiers[i].why;
				return filestore_tiers[i].bytes;
			}
		return 0;
	}
	if (strcmp(k->kind, "file") == 0 && strcmp(k->cloud, "azure") == 0) {
		v = json_string_value(storage_param(params, "skuName", NULL));
		if (v && strncmp(v, "Premium", 7) == 0) {
			*why = "Azure Premium file shares start at 100Gi";
			return 100 * GIB;
		}
	}
	return 0;
}
