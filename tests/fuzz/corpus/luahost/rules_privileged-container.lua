-- rules/privileged-container.lua: kube-linter's privileged-container check.
return {
	id = "privileged-container",
	severity = "error",
	category = "security",
	description = "container runs in privileged mode",
	hint = "remove securityContext.privileged; grant only the capabilities the container needs",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			if kube.get(ce.c, "securityContext", "privileged") == true then
				ctx:report{ obj = obj, path = kube.path(ce.path, "securityContext", "privileged"),
					message = string.format("container '%s' is privileged", ce.name or "?") }
			end
		end
	end,
}
