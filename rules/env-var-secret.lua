-- rules/env-var-secret.lua: kube-linter's env-var-secret check.

-- Does the name hold "secret" in any case?  Lowered once per name and Lua
-- state: the same names recur in every workload.
local secretish = setmetatable({}, { __index = function(t, name)
	local s = name:lower():find("secret", 1, true) ~= nil
	t[name] = s
	return s
end })

return {
	id = "env-var-secret",
	severity = "warning",
	category = "security",
	description = "a secret-looking environment variable has a literal value",
	hint = "take the value from a Secret (valueFrom.secretKeyRef) instead of writing it into the manifest",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			local _, arr = kube.env(ce.c)
			for _, e in ipairs(arr) do
				local v = secretish[e.name] and kube.text(e.e.value)
				if v and v ~= "" then
					ctx:report{ obj = obj, path = kube.path(ce.path, "env", e.index, "value"),
						message = string.format("environment variable '%s' in container '%s' has a literal value", e.name, ce.name or "?") }
				end
			end
		end
	end,
}
