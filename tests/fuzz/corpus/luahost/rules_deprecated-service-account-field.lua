-- rules/deprecated-service-account-field.lua: kube-linter's
-- deprecated-service-account-field check.
return {
	id = "deprecated-service-account-field",
	severity = "warning",
	category = "best-practice",
	description = "pod spec uses the deprecated serviceAccount field",
	hint = "use serviceAccountName instead of serviceAccount",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		local sa = p and p.spec and kube.str(p.spec.serviceAccount)
		if sa and sa ~= "" then
			ctx:report{ obj = obj, path = kube.path(p.path, "serviceAccount"),
				message = string.format("serviceAccount is specified (%s), but this field is deprecated; use serviceAccountName instead", sa) }
		end
	end,
}
