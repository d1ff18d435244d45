-- rules/dangling-service.lua: kube-linter's dangling-service check.
--
-- check() collects each workload's pod labels (kube.pod_entry) and each
-- Service with a selector; finish() indexes the labels and reports the
-- Services that match none, so no Lua state derives every workload.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "Service"

local POD_NAME, POD_INDEX = "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"

-- What check() collects of a workload: its pod labels (kube.pod_entry) plus
-- those the Job controller adds (job-name, unless the Job has a manual
-- selector); a StatefulSet's name and replicas, whose pods the controller
-- labels one by one (POD_NAME <name>-<i>, POD_INDEX <i>).
local function entry(ctx, obj)
	local name = kube.name(obj)
	if name and obj.kind == "StatefulSet" then
		return kube.pod_entry(ctx, obj, { sts = name,
			replicas = kube.int(kube.get(obj, "spec", "replicas")) or 1 })
	end
	local e = kube.pod_entry(ctx, obj)
	if name and obj.kind == "Job" and not kube.truthy(kube.get(obj, "spec", "manualSelector")) then
		for _, k in ipairs({ "job-name", "batch.kubernetes.io/job-name" }) do
			if e.labels[k] == nil then
				e.labels[k] = name
			end
		end
	end
	return e
end

-- Does the selector `sel` (a Service's, a plain map) select one of the pods
-- of the StatefulSet entry `e`, with the per-pod labels it names?
local function selects_sts_pod(sel, e)
	local i = kube.int(sel[POD_INDEX])
	local pn = kube.str(sel[POD_NAME])
	if pn then
		local n = pn:sub(1, #e.sts + 1) == e.sts .. "-" and pn:sub(#e.sts + 2):match("^%d+$")
		if not n or (i and i ~= tonumber(n)) then
			return false
		end
		i = tonumber(n)
	end
	if not i or i < 0 or i >= e.replicas then
		return false
	end
	local labels = {}
	for k, v in next, e.labels do
		labels[k] = v
	end
	labels[POD_NAME], labels[POD_INDEX] = e.sts .. "-" .. i, tostring(i)
	return kube.selects(sel, labels)
end

return {
	id = "dangling-service",
	severity = "warning",
	category = "correctness",
	description = "Service selector matches no pods in the linted files",
	hint = "fix the Service's selector or the pod template labels so that they match",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind ~= "Service" then
			ctx:collect(entry(ctx, obj))
			return
		end
		local sel = kube.tab(kube.get(obj, "spec", "selector"))
		if sel and next(sel) ~= nil and kube.get(obj, "spec", "type") ~= "ExternalName" then
			ctx:collect({ svc = obj, ns = ctx:namespace(obj) })
		end
	end,
	finish = function(ctx)
		local all = ctx:collected()
		local pods, svcs = {}, {}
		for _, v in ipairs(all) do
			if v.svc then
				svcs[#svcs + 1] = v
			else
				pods[#pods + 1] = v
			end
		end
		if #svcs == 0 then
			return
		end
		local idx = kube.pod_index(pods)
		local function per_pod(ns, sel)
			if sel[POD_NAME] == nil and sel[POD_INDEX] == nil then
				return false
			end
			for _, e in ipairs(pods) do
				if e.sts and e.ns == ns and selects_sts_pod(sel, e) then
					return true
				end
			end
			return false
		end
		for _, v in ipairs(svcs) do
			local svc = v.svc
			local sel = kube.get(svc, "spec", "selector")
			if #kube.matching_entries(idx, v.ns, sel) == 0 and not per_pod(v.ns, sel) then
				ctx:report{ obj = svc, path = { "spec", "selector" },
					message = string.format("no pods found matching the selector of %s", kube.describe(svc)) }
			end
		end
	end,
}
