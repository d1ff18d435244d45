-- rules/unset-memory-requirements.lua: kube-linter's
-- unset-memory-requirements check.
return {
	id = "unset-memory-requirements",
	severity = "warning",
	category = "best-practice",
	description = "container has no memory limit",
	hint = "set resources.limits.memory (for a Spark driver: at least spark.driver.memory + overhead)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj)) do
			if not spark.fills_container(ctx, obj, ce) then
				local q = kube.text(kube.get(ce.c, "resources", "limits", "memory"))
				local v = q and k8s.quantity(q)
				if not v or v == 0 then
					ctx:report{ obj = obj, path = ce.path,
						message = string.format("container '%s' has memory limit 0", ce.name or "?") }
				end
			end
		end
	end,
}
