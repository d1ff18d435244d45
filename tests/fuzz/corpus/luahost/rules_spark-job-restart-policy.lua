-- rules/spark-job-restart-policy.lua: a driver Job's pods use Never or
-- OnFailure, and Never when a podFailurePolicy is set (L04, L33).
return {
	id = "spark-job-restart-policy",
	severity = "error",
	category = "correctness",
	description = "Spark driver Job's restartPolicy is not Never/OnFailure, or not Never with a podFailurePolicy",
	hint = "set spec.template.spec.restartPolicy: Never (required by podFailurePolicy)",
	kinds = { "Job" },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		local p = kube.pod(obj)
		if not p.spec then
			return
		end
		local rp = p.spec.restartPolicy
		local path = kube.path(p.path, "restartPolicy")
		local pfp = kube.tab(kube.get(obj, "spec", "podFailurePolicy"))
		if rp == nil then
			ctx:report{ obj = obj, path = p.path,
				message = string.format("Spark driver %s sets no restartPolicy: the pod default Always is rejected for Jobs", kube.describe(obj)) }
		elseif rp ~= "Never" and rp ~= "OnFailure" then
			ctx:report{ obj = obj, path = path,
				message = string.format("restartPolicy '%s' of Spark driver %s is invalid for a Job (Never or OnFailure)",
					kube.text(rp) or "?", kube.describe(obj)) }
		elseif pfp and rp ~= "Never" then
			ctx:report{ obj = obj, path = path,
				message = string.format("Spark driver %s has a podFailurePolicy, which requires restartPolicy Never, not '%s'",
					kube.describe(obj), rp) }
		end
	end,
}
