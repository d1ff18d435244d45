-- rules/host-network.lua: kube-linter's host-network check.
return {
	id = "host-network",
	severity = "warning",
	category = "security",
	description = "pod shares the host's network namespace",
	hint = "remove hostNetwork (or set it to false)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		if p and p.spec and p.spec.hostNetwork == true then
			ctx:report{ obj = obj, path = kube.path(p.path, "hostNetwork"),
				message = string.format("%s shares the host's network namespace (via hostNetwork=true)", kube.describe(obj)) }
		end
	end,
}
