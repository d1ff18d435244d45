/*
** storage.h: the checkpoint storage catalogue (domain.md section 4.1): per
** cloud and kind, the provisioner, default StorageClass parameters, the
** access modes offered, whether the volume is a zonal block device, and
** volume expansion.  Data only; gen/model.c decides with it.
*/
#ifndef SK_STORAGE_H
#define SK_STORAGE_H

#include <stdbool.h>

#include <jansson.h>

struct storage_kind {
	const char *cloud, *kind;
	const char *provisioner;
	const char *intree;		/* legacyInTree provisioner, or NULL */
	int rwx;			/* offers ReadWriteMany: 1 yes, 0 no, -1 unknown */
	bool block;			/* zonal block device: WaitForFirstConsumer */
	bool expandable;		/* allowVolumeExpansion: true */
	const char *params[3][2];	/* default parameters, {NULL} ends */
};

/* The entry for cloud/kind (kind may be NULL for nfs and existing). */
const struct storage_kind *storage_find(const char *cloud, const char *kind);

/*
** The parameter `name` of `params` (borrowed), its key compared without
** case as sparklint's rules do, or NULL; `*key` (if not NULL) gets the key
** as written.
*/
json_t *storage_param(json_t *params, const char *name, const char **key);

/* Azure Files over NFS: azure/file with parameter protocol nfs, in any case. */
bool storage_azure_nfs(const struct storage_kind *k, json_t *params);

/*
** Default parameters of `k` with `user` (borrowed) merged over them, as a
** new object in catalogue order then the user's order; a user key replaces
** one that differs only in case, where it stands.  Azure Files over NFS
** (protocol nfs in any case) defaults to skuName Premium_LRS.
*/
json_t *storage_parameters(const struct storage_kind *k, json_t *user);

/*
** Whether a class of `k` with `params` makes zonal volumes, as sparklint's
** kube.storageclass_zonal decides (L13): block storage, but not regional PD
** (replication-type regional-pd) nor zone-redundant disks (skuName *_ZRS).
*/
bool storage_zonal(const struct storage_kind *k, json_t *params);

/*
** Smallest claim the storage accepts, in bytes (0 = no minimum), with a
** short reason for messages: Filestore tiers (sparklint's minimums; an
** unknown tier has none), Azure Premium file shares.  Keys and tiers are
** compared without case, the SKU's Premium prefix with, as sparklint does.
*/
double storage_min_bytes(const struct storage_kind *k, json_t *params,
			 const char **why);

#endif
