-- rules/run-as-non-root.lua: kube-linter's run-as-non-root check.
return {
	id = "run-as-non-root",
	severity = "warning",
	category = "security",
	description = "container may run as root (no runAsNonRoot, no non-zero runAsUser) or runs with group 0",
	hint = "set securityContext.runAsNonRoot: true and a non-zero runAsUser and runAsGroup (Spark images use uid 185)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			local user = kube.int(kube.sc_value(obj, ce.c, "runAsUser"))
			local nonroot = kube.sc_value(obj, ce.c, "runAsNonRoot")
			local group = kube.int(kube.sc_value(obj, ce.c, "runAsGroup"))
			if nonroot == true and user == 0 then
				-- the kubelet refuses to start it: runAsUser breaks the non-root policy
				ctx:report{ obj = obj, path = ce.path,
					message = string.format("container '%s' is set to runAsNonRoot, but runAsUser is 0: the kubelet will not start it", ce.name or "?") }
			elseif not (nonroot == true or (user and user > 0)) then
				ctx:report{ obj = obj, path = ce.path,
					message = string.format("container '%s' is not set to runAsNonRoot", ce.name or "?") }
			elseif group == 0 then
				ctx:report{ obj = obj, path = ce.path,
					message = string.format("container '%s' is set to runAsGroup 0", ce.name or "?") }
			end
		end
	end,
}
