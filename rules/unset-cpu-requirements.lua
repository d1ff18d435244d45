-- rules/unset-cpu-requirements.lua: kube-linter's unset-cpu-requirements check.
return {
	id = "unset-cpu-requirements",
	severity = "warning",
	category = "best-practice",
	description = "container has no CPU request",
	hint = "set resources.requests.cpu",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj)) do
			if not spark.fills_container(ctx, obj, ce) then
				-- a request left out is the limit's (the API server's default)
				local cpu = kube.get(ce.c, "resources", "requests", "cpu")
				if cpu == nil then
					cpu = kube.get(ce.c, "resources", "limits", "cpu")
				end
				local q = kube.text(cpu)
				local v = q and k8s.quantity(q)
				if not v or v == 0 then
					ctx:report{ obj = obj, path = ce.path,
						message = string.format("container '%s' has cpu request 0", ce.name or "?") }
				end
			end
		end
	end,
}
