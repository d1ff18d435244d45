/*
** storage.c: the StorageClass catalogue behind checkpoint.storage (cloud,
** kind) and the size minimums sparkgen enforces.
*/
#include "storage.h"

#include <string.h>

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

static bool azure_nfs(const struct storage_kind *k, json_t *user)
{
	const char *proto = json_string_value(json_object_get(user, "protocol"));
	return strcmp(k->cloud, "azure") == 0 && k->kind && strcmp(k->kind, "file") == 0 &&
	       proto && strcmp(proto, "nfs") == 0;
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
		if (strcmp(k->params[i][0], "skuName") == 0 && azure_nfs(k, user))
			val = "Premium_LRS";
		json_object_set_new(out, k->params[i][0], json_string(val));
	}
	json_object_foreach(user, key, v)
		json_object_set(out, key, v);
	return out;
}

double storage_min_bytes(const struct storage_kind *k, json_t *params,
			 const char **why)
{
	const char *v;

	*why = NULL;
	if (k->kind == NULL)
		return 0;
	if (strcmp(k->kind, "filestore") == 0) {
		v = json_string_value(json_object_get(params, "tier"));
		if (v && (strcmp(v, "premium") == 0 || strcmp(v, "BASIC_SSD") == 0)) {
			*why = "Filestore premium (basic SSD) instances start at 2.5Ti";
			return 2.5 * TIB;
		}
		*why = "Filestore instances start at 1Ti";
		return TIB;
	}
	if (strcmp(k->kind, "file") == 0 && strcmp(k->cloud, "azure") == 0) {
		v = json_string_value(json_object_get(params, "skuName"));
		if (v && strncmp(v, "Premium", 7) == 0) {
			*why = "Azure Premium file shares start at 100Gi";
			return 100 * GIB;
		}
	}
	return 0;
}
