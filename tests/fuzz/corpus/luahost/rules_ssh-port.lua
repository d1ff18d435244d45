-- rules/ssh-port.lua: kube-linter's ssh-port check.
return {
	id = "ssh-port",
	severity = "warning",
	category = "security",
	description = "container exposes the SSH port 22/TCP",
	hint = "do not run an SSH server in the container; use kubectl exec",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			for _, p in ipairs(kube.container_ports(ce)) do
				if p.port == 22 and p.protocol == "TCP" then
					ctx:report{ obj = obj, path = kube.path(p.path, "containerPort"),
						message = string.format("port 22 and protocol TCP in container '%s' found", ce.name or "?") }
				end
			end
		end
	end,
}
