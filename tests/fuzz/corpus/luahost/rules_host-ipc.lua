-- rules/host-ipc.lua: kube-linter's host-ipc check.
return {
	id = "host-ipc",
	severity = "warning",
	category = "security",
	description = "pod shares the host's IPC namespace",
	hint = "remove hostIPC (or set it to false)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		if p and p.spec and p.spec.hostIPC == true then
			ctx:report{ obj = obj, path = kube.path(p.path, "hostIPC"),
				message = string.format("%s shares the host's IPC namespace (via hostIPC=true)", kube.describe(obj)) }
		end
	end,
}
