-- rules/mismatching-selector.lua: kube-linter's mismatching-selector check
-- (also L16 of the domain reference for apps/v1 workloads).
--
-- kube-linter skips a workload without a selector.  For the apps/v1 (and
-- apps/v1beta2) kinds below the API server requires one and no longer
-- defaults it from the template labels, so such a workload gets a finding
-- here too: it is the same invariant, and the fix is the same field.
--
-- A batch Job is checked only with spec.manualSelector: true.  Then its
-- selector is the user's, and the API server requires one that matches the
-- template labels, as for the kinds above.  Without it the API server
-- generates the selector (controller-uid) and labels the template itself,
-- so there is nothing to match.  (kube-linter checks a Job's selector
-- whenever it has one; its fixtures have no Job, so parity is kept.)
--
-- A batch CronJob's jobTemplate may set neither: the API server generates
-- the selector of every Job it creates, and rejects a jobTemplate with
-- spec.selector (any, matching or not: "`selector` will be auto-generated")
-- or spec.manualSelector: true (ValidateJobTemplateSpec).  kube-linter
-- checks a v1beta1 CronJob's jobTemplate selector against its labels; its
-- fixtures have no CronJob either.
local REQUIRED = { Deployment = true, StatefulSet = true, DaemonSet = true, ReplicaSet = true }
local REQUIRED_API = { ["apps/v1"] = true, ["apps/v1beta2"] = true }

-- Does a LabelSelector select nothing in particular (no matchLabels and no
-- matchExpressions entries)?
local function empty_label_selector(sel)
	local ml = kube.tab(sel.matchLabels)
	local me = kube.tab(sel.matchExpressions)
	return not (ml and next(ml) ~= nil) and not (me and next(me) ~= nil)
end

-- Report what a batch CronJob's jobTemplate sets that the API server
-- rejects: spec.manualSelector: true, then spec.selector.
local function check_cronjob(obj, ctx)
	if kube.group(obj) ~= "batch" then
		return
	end
	local path = { "spec", "jobTemplate", "spec" }
	local spec = kube.tab(kube.get(obj, "spec", "jobTemplate", "spec"))
	if not spec then
		return
	end
	if spec.manualSelector == true then
		ctx:report{ obj = obj, path = kube.path(path, "manualSelector"),
			message = string.format("%s sets spec.jobTemplate.spec.manualSelector: true: the API server rejects it, as it generates the selector of the CronJob's Jobs",
				kube.describe(obj)),
			hint = "remove spec.jobTemplate.spec.manualSelector" }
	end
	if kube.tab(spec.selector) then
		ctx:report{ obj = obj, path = kube.path(path, "selector"),
			message = string.format("%s sets spec.jobTemplate.spec.selector: the API server rejects it, as it generates the selector of the CronJob's Jobs",
				kube.describe(obj)),
			hint = "remove spec.jobTemplate.spec.selector" }
	end
end

return {
	id = "mismatching-selector",
	severity = "error",
	category = "correctness",
	description = "workload selector does not match its pod template labels",
	hint = "make spec.selector match spec.template.metadata.labels",
	kinds = { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig",
		"Job", "CronJob" },
	check = function(obj, ctx)
		if obj.kind == "CronJob" then
			check_cronjob(obj, ctx)
			return
		end
		local sel = kube.workload_selector(obj)
		if obj.kind == "Job" then
			if kube.group(obj) ~= "batch" or kube.get(obj, "spec", "manualSelector") ~= true then
				return
			end
			if not sel then
				ctx:report{ obj = obj, path = { "spec", "manualSelector" },
					message = string.format("%s sets spec.manualSelector: true but has no spec.selector: the API server rejects it",
						kube.describe(obj)) }
				return
			end
		end
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
				message = string.format("the pod template labels of %s do not match its selector%s", kube.describe(obj),
					obj.kind == "Job" and " (spec.manualSelector: true): the API server rejects it" or "") }
		end
	end,
}
