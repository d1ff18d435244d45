-- rules/no-read-only-root-fs.lua: kube-linter's no-read-only-root-fs check.
return {
	id = "no-read-only-root-fs",
	severity = "info",
	category = "security",
	description = "container's root file system is writable",
	hint = "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (for Spark: /tmp and spark.local.dir)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			if kube.get(ce.c, "securityContext", "readOnlyRootFilesystem") ~= true then
				ctx:report{ obj = obj, path = ce.path,
					message = string.format("container '%s' does not have a read-only root file system", ce.name or "?") }
			end
		end
	end,
}
