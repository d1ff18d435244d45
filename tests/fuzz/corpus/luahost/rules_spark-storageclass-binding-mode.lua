-- rules/spark-storageclass-binding-mode.lua: zonal block storage binds where
-- the pod runs (L13).
return {
	id = "spark-storageclass-binding-mode",
	severity = "warning",
	category = "reliability",
	description = "StorageClass for zonal block storage binds volumes before the pod is scheduled",
	hint = "set volumeBindingMode: WaitForFirstConsumer",
	kinds = { "StorageClass" },
	check = function(obj, ctx)
		if not kube.storageclass_zonal(obj) then
			return
		end
		local mode = obj.volumeBindingMode
		if mode ~= "WaitForFirstConsumer" then
			ctx:report{ obj = obj, path = mode ~= nil and { "volumeBindingMode" } or { "provisioner" },
				message = string.format("%s provisions zonal %s volumes with volumeBindingMode %s: the volume may be created in a zone where the driver cannot run",
					kube.describe(obj), kube.PROVISIONERS[obj.provisioner].cloud,
					mode == nil and "unset (Immediate)" or kube.text(mode) or "?") }
		end
	end,
}
