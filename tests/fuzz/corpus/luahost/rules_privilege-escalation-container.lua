-- rules/privilege-escalation-container.lua: kube-linter's
-- privilege-escalation-container check.
return {
	id = "privilege-escalation-container",
	severity = "warning",
	category = "security",
	description = "container allows privilege escalation",
	hint = "set securityContext.allowPrivilegeEscalation: false",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			if kube.get(ce.c, "securityContext", "allowPrivilegeEscalation") == true then
				ctx:report{ obj = obj, path = kube.path(ce.path, "securityContext", "allowPrivilegeEscalation"),
					message = string.format("container '%s' has allowPrivilegeEscalation set to true", ce.name or "?") }
			end
		end
	end,
}
