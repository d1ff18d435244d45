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
** Default parameters of `k` with `user` (borrowed) merged over them, as a
** new object in catalogue order then the user's order.  Azure Files over
** NFS defaults to skuName Premium_LRS.
*/
json_t *storage_parameters(const struct storage_kind *k, json_t *user);

/*
** Smallest claim the storage accepts, in bytes (0 = no minimum), with a
** short reason for messages: Filestore tiers, Azure Premium file shares.
*/
double storage_min_bytes(const struct storage_kind *k, json_t *params,
			 const char **why);

#endif
