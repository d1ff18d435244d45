-- rules/mismatching-selector.lua: kube-linter's mismatching-selector check
-- (also L16 of the domain reference for apps/v1 workloads).
return {
	id = "mismatching-selector",
	severity = "error",
	category = "correctness",
	description = "workload selector does not match its pod template labels",
	hint = "make spec.selector match spec.template.metadata.labels",
	kinds = { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig" },
	check = function(obj, ctx)
		local sel = kube.workload_selector(obj)
		if not sel or next(sel) == nil then
			return
		end
		if not kube.selects(sel, kube.pod_labels(obj)) then
			ctx:report{ obj = obj, path = { "spec", "selector" },
				message = string.format("the pod template labels of %s do not match its selector", kube.describe(obj)) }
		end
	end,
}
