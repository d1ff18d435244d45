-- rules/duplicate-env-var.lua: kube-linter's duplicate-env-var check.
return {
	id = "duplicate-env-var",
	severity = "warning",
	category = "correctness",
	description = "container sets the same environment variable twice",
	hint = "remove the duplicate env entry; only the last one takes effect",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			local seen, done = {}, {}
			local _, arr = kube.env(ce.c)
			for _, e in ipairs(arr) do
				if seen[e.name] and not done[e.name] then
					done[e.name] = true
					ctx:report{ obj = obj, path = kube.path(ce.path, "env", e.index, "name"),
						message = string.format("duplicate environment variable '%s' in container '%s'", e.name, ce.name or "?") }
				end
				seen[e.name] = true
			end
		end
	end,
}
