-- rules/no-extensions-v1beta.lua: kube-linter's no-extensions-v1beta check.
return {
	id = "no-extensions-v1beta",
	severity = "error",
	category = "correctness",
	description = "object uses the removed extensions/v1beta1 API",
	hint = "use apps/v1 (workloads) or networking.k8s.io/v1 (Ingress, NetworkPolicy)",
	apiVersions = { "extensions/v1beta1" },
	check = function(obj, ctx)
		ctx:report{ obj = obj, path = { "apiVersion" },
			message = string.format("disallowed API object found: extensions/v1beta1, Kind=%s", kube.kind(obj) or "?") }
	end,
}
