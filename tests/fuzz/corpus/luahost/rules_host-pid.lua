-- rules/host-pid.lua: kube-linter's host-pid check.
return {
	id = "host-pid",
	severity = "warning",
	category = "security",
	description = "pod shares the host's process namespace",
	hint = "remove hostPID (or set it to false)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		if p and p.spec and p.spec.hostPID == true then
			ctx:report{ obj = obj, path = kube.path(p.path, "hostPID"),
				message = string.format("%s shares the host's process namespace (via hostPID=true)", kube.describe(obj)) }
		end
	end,
}
