-- rules/spark-driver-bare-pod.lua: a Spark driver must be owned by a controller
-- that reschedules it without overlap (a batch/v1 Job, or a StatefulSet).
-- L01 in the domain reference.
--
-- A driver Pod is excused when it is a pod template, which may depend on
-- the whole set: its file is named by some podTemplateFile conf.  check()
-- reports the Deployments and ReplicaSets, and collects the basenames the
-- confs of each workload and SparkApplication name and the driver Pods that
-- only such a name could excuse; finish() reports those Pods whose file no
-- conf names.
local WHY = {
	Pod = "a bare Pod is never rescheduled after node loss",
	Deployment = "a Deployment's rollouts and replacements start a second driver before the first stops",
	ReplicaSet = "a ReplicaSet replaces a terminating or unreachable driver at once, so two drivers overlap",
}

local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

local TEMPLATE_KEYS = { "spark.kubernetes.driver.podTemplateFile", "spark.kubernetes.executor.podTemplateFile" }

-- Basenames of the podTemplateFiles `conf` names, added to the array `out`.
local function scan(conf, out)
	for _, k in ipairs(TEMPLATE_KEYS) do
		local v = spark.get(conf, k)
		if v and v ~= "" then
			out[#out + 1] = spark.basename(v:gsub("^%a+:/*", "/"))
		end
	end
end

local function report(ctx, obj, reason)
	ctx:report{ obj = obj, path = { "kind" },
		message = string.format("%s runs a Spark driver (%s): %s",
			kube.describe(obj), reason, WHY[obj.kind]) }
end

return {
	id = "spark-driver-bare-pod",
	severity = "error",
	category = "reliability",
	description = "Spark driver deployed as a bare Pod, Deployment or ReplicaSet instead of a batch/v1 Job",
	hint = "run the driver from a batch/v1 Job (spec.template) with restartPolicy Never and podReplacementPolicy Failed",
	kinds = KINDS,
	check = function(obj, ctx)
		local kind = obj.kind
		local names = {}
		if kind == "SparkApplication" then
			scan(spark.conf(ctx, obj, nil), names)
		else
			for _, ce in ipairs(kube.containers(obj)) do
				if spark.submit(ce) or kube.text(kube.pod_labels(obj)["spark-role"]) == "driver" then
					scan(spark.conf(ctx, obj, ce), names)
				end
			end
		end
		if #names > 0 then
			ctx:collect({ names = names })
		end
		if not WHY[kind] then
			return
		end
		local driver, reason = spark.is_driver(obj)
		if not driver then
			return
		end
		if kind ~= "Pod" then
			if not spark.is_server(obj) then
				report(ctx, obj, reason)
			end
			return
		end
		if spark.is_pod_template(ctx, obj, nil) then
			return
		end
		for _, ref in ipairs(kube.list(kube.get(obj, "metadata", "ownerReferences"))) do
			local k = kube.get(ref, "kind")
			if kube.get(ref, "controller") == true and (k == "Job" or k == "StatefulSet") then
				return
			end
		end
		-- Only a podTemplateFile naming its file can excuse it now.
		local f = ctx:file(obj)
		if f then
			ctx:collect({ pod = obj, reason = reason, file = spark.basename(f) })
		else
			report(ctx, obj, reason)
		end
	end,
	finish = function(ctx)
		local templates, pods = {}, {}
		for _, v in ipairs(ctx:collected()) do
			if v.pod then
				pods[#pods + 1] = v
			else
				for _, n in ipairs(v.names) do
					templates[n] = true
				end
			end
		end
		for _, v in ipairs(pods) do
			if not templates[v.file] then
				report(ctx, v.pod, v.reason)
			end
		end
	end,
}
