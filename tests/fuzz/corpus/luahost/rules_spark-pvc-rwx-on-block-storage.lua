-- rules/spark-pvc-rwx-on-block-storage.lua: block provisioners cannot serve
-- ReadWriteMany (L12).
return {
	id = "spark-pvc-rwx-on-block-storage",
	severity = "error",
	category = "correctness",
	description = "PersistentVolumeClaim asks for ReadWriteMany from a block-storage provisioner",
	hint = "use a file-storage class (EFS, Azure File, Filestore, NFS) for ReadWriteMany, or ReadWriteOnce",
	kinds = { "PersistentVolumeClaim" },
	check = function(obj, ctx)
		if not kube.access_modes(obj).ReadWriteMany then
			return
		end
		local cls = kube.str(kube.get(obj, "spec", "storageClassName"))
		local sc = cls and ctx:find("StorageClass", cls)
		local prov = sc and kube.str(sc.provisioner)
		local info = prov and kube.PROVISIONERS[prov]
		if info and info.block then
			ctx:report{ obj = obj, path = { "spec", "accessModes" },
				message = string.format("%s asks for ReadWriteMany but StorageClass '%s' uses %s (%s), which only supports single-node access: the claim stays Pending",
					kube.describe(obj), cls, prov, info.cloud) }
		end
	end,
}
