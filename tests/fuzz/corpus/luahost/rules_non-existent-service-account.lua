-- rules/non-existent-service-account.lua: kube-linter's
-- non-existent-service-account check.
return {
	id = "non-existent-service-account",
	severity = "error",
	category = "correctness",
	description = "pods run as a ServiceAccount that the linted files do not define",
	hint = "create the ServiceAccount in the workload's namespace, or fix serviceAccountName",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		if not p or not p.spec then
			return
		end
		for _, key in ipairs({ "serviceAccountName", "serviceAccount" }) do
			local sa = kube.str(p.spec[key])
			if sa and sa ~= "" then
				if sa ~= "default" and not ctx:find("ServiceAccount", sa, ctx:namespace(obj)) then
					ctx:report{ obj = obj, path = kube.path(p.path, key),
						message = string.format("serviceAccount '%s' of %s not found in namespace '%s'",
							sa, kube.describe(obj), ctx:namespace(obj)) }
				end
				return
			end
		end
	end,
}
