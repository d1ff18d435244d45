-- rules/spark-driver-bare-pod.lua: a Spark driver must be owned by a controller
-- that reschedules it without overlap (a batch/v1 Job, or a StatefulSet).
-- L01 in the domain reference.
local WHY = {
	Pod = "a bare Pod is never rescheduled after node loss",
	Deployment = "a Deployment's rollouts and replacements start a second driver before the first stops",
	ReplicaSet = "a ReplicaSet replaces a terminating or unreachable driver at once, so two drivers overlap",
}

return {
	id = "spark-driver-bare-pod",
	severity = "error",
	category = "reliability",
	description = "Spark driver deployed as a bare Pod, Deployment or ReplicaSet instead of a batch/v1 Job",
	hint = "run the driver from a batch/v1 Job (spec.template) with restartPolicy Never and podReplacementPolicy Failed",
	finish = function(ctx)
		local templates = nil
		for _, kind in ipairs({ "Pod", "Deployment", "ReplicaSet" }) do
			for _, obj in ipairs(ctx:objects(kind)) do
				local driver, reason = spark.is_driver(obj)
				if driver then
					local skip = false
					if kind == "Pod" then
						templates = templates or spark.pod_template_files(ctx)
						skip = spark.is_pod_template(ctx, obj, templates)
						for _, ref in ipairs(kube.list(kube.get(obj, "metadata", "ownerReferences"))) do
							local k = kube.get(ref, "kind")
							if kube.get(ref, "controller") == true and (k == "Job" or k == "StatefulSet") then
								skip = true
							end
						end
					else
						skip = spark.is_server(obj)
					end
					if not skip then
						ctx:report{ obj = obj, path = { "kind" },
							message = string.format("%s runs a Spark driver (%s): %s",
								kube.describe(obj), reason, WHY[kind]) }
					end
				end
			end
		end
	end,
}
