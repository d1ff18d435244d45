-- rules/deprecated-service-account-field.lua: kube-linter's
-- deprecated-service-account-field check.
--
-- The API server keeps the two fields in step: it reads serviceAccount
-- only when serviceAccountName is empty, and writes serviceAccountName's
-- value back into it on every read.  So a manifest exported from a cluster
-- (`kubectl get -o yaml`) has both, equal, and is not reported; both set
-- and different is, since serviceAccount is then silently ignored.
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
		if not sa or sa == "" then
			return
		end
		local name = kube.str(p.spec.serviceAccountName)
		if name == sa then
			return
		end
		local message
		if name and name ~= "" then
			message = string.format("serviceAccount '%s' is ignored: serviceAccountName '%s' wins; remove the deprecated field", sa, name)
		else
			message = string.format("serviceAccount is specified (%s), but this field is deprecated; use serviceAccountName instead", sa)
		end
		ctx:report{ obj = obj, path = kube.path(p.path, "serviceAccount"), message = message }
	end,
}
