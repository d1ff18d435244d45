-- rules/pdb-unhealthy-pod-eviction-policy.lua: kube-linter's
-- pdb-unhealthy-pod-eviction-policy check.
return {
	id = "pdb-unhealthy-pod-eviction-policy",
	severity = "info",
	category = "reliability",
	description = "PodDisruptionBudget does not set unhealthyPodEvictionPolicy",
	hint = "set spec.unhealthyPodEvictionPolicy (AlwaysAllow lets drains evict pods that are not ready)",
	kinds = { "PodDisruptionBudget" },
	check = function(obj, ctx)
		if kube.api_version(obj) == "policy/v1" and kube.get(obj, "spec", "unhealthyPodEvictionPolicy") == nil then
			ctx:report{ obj = obj, path = { "spec" },
				message = string.format("unhealthyPodEvictionPolicy of %s is not explicitly set", kube.describe(obj)) }
		end
	end,
}
