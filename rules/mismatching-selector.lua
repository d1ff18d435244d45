-- rules/mismatching-selector.lua: kube-linter's mismatching-selector check
-- (also L16 of the domain reference for apps/v1 workloads).
--
-- kube-linter skips a workload without a selector.  For the apps/v1 (and
-- apps/v1beta2) kinds below the API server requires one and no longer
-- defaults it from the template labels, so such a workload gets a finding
-- here too: it is the same invariant, and the fix is the same field.
local REQUIRED = { Deployment = true, StatefulSet = true, DaemonSet = true, ReplicaSet = true }
local REQUIRED_API = { ["apps/v1"] = true, ["apps/v1beta2"] = true }

-- Does a LabelSelector select nothing in particular (no matchLabels and no
-- matchExpressions entries)?
local function empty_label_selector(sel)
	local ml = kube.tab(sel.matchLabels)
	local me = kube.tab(sel.matchExpressions)
	return not (ml and next(ml) ~= nil) and not (me and next(me) ~= nil)
end

return {
	id = "mismatching-selector",
	severity = "error",
	category = "correctness",
	description = "workload selector does not match its pod template labels",
	hint = "make spec.selector match spec.template.metadata.labels",
	kinds = { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig" },
	check = function(obj, ctx)
		local sel = kube.workload_selector(obj)
		if REQUIRED[obj.kind] and REQUIRED_API[kube.str(obj.apiVersion) or ""] and
			(not sel or empty_label_selector(sel)) then
			local spec = kube.tab(kube.get(obj, "spec"))
			ctx:report{ obj = obj, path = sel and { "spec", "selector" } or spec and { "spec" } or { "kind" },
				message = string.format("%s has no spec.selector matchLabels or matchExpressions, which %s requires: the API server rejects it",
					kube.describe(obj), kube.str(obj.apiVersion)) }
			return
		end
		if not sel or next(sel) == nil then
			return
		end
		if not kube.selects(sel, kube.pod_labels(obj)) then
			ctx:report{ obj = obj, path = { "spec", "selector" },
				message = string.format("the pod template labels of %s do not match its selector", kube.describe(obj)) }
		end
	end,
}
