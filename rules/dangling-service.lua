-- rules/dangling-service.lua: kube-linter's dangling-service check.
--
-- check() collects each workload's pod labels (kube.pod_entry) and each
-- Service with a selector; finish() indexes the labels and reports the
-- Services that match none, so no Lua state derives every workload.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "Service"
KINDS[#KINDS + 1] = "SparkApplication"

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

-- Copy the string or number values of label map `t` into `labels`.
local function add_labels(labels, t)
	for k, v in sk.sorted_pairs(kube.tab(t) or {}) do
		if type(k) == "string" and (type(v) == "string" or type(v) == "number") then
			labels[k] = v
		end
	end
end

-- The pods the spark-operator makes of a SparkApplication, as entries: its
-- driver's and its executors'.  Each is labelled, a later source winning,
-- with the labels of spec.<role>.template, the
-- spark.kubernetes.<role>.label.* confs of its sparkConf, the operator's
-- sparkoperator.k8s.io/app-name and
-- sparkoperator.k8s.io/launched-by-spark-operator, the SparkApplication's
-- own metadata.labels and spec.<role>.labels (the operator passes these as
-- label confs after the sparkConf), and Spark's spark-role.  (Labels of
-- values made at submission, spark-app-selector or the submission id, are
-- not known.)
local function app_entries(ctx, obj)
	local out = {}
	local conf = spark.conf(ctx, obj, nil)
	for _, role in ipairs({ "driver", "executor" }) do
		local labels = {}
		add_labels(labels, kube.get(obj, "spec", role, "template", "metadata", "labels"))
		spark.conf_labels(conf, role, labels)
		labels["sparkoperator.k8s.io/app-name"] = kube.name(obj)
		labels["sparkoperator.k8s.io/launched-by-spark-operator"] = "true"
		add_labels(labels, kube.get(obj, "metadata", "labels"))
		add_labels(labels, kube.get(obj, "spec", role, "labels"))
		labels["spark-role"] = role
		out[#out + 1] = { ns = ctx:namespace(obj), labels = labels }
	end
	return out
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
		if obj.kind == "SparkApplication" then
			for _, e in ipairs(app_entries(ctx, obj)) do
				ctx:collect(e)
			end
			return
		elseif obj.kind ~= "Service" then
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
