-- rules/spark-job-pod-replacement-policy.lua: no old/new driver overlap (L07).
return {
	id = "spark-job-pod-replacement-policy",
	severity = "warning",
	category = "reliability",
	description = "Spark driver Job may start a replacement driver while the old one is still terminating",
	hint = "set spec.podReplacementPolicy: Failed",
	kinds = { "Job" },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		local v = kube.get(obj, "spec", "podReplacementPolicy")
		local pfp = kube.tab(kube.get(obj, "spec", "podFailurePolicy"))
		if v == "Failed" then
			return
		end
		if v == nil then
			if not pfp then	-- with a podFailurePolicy the API defaults to Failed
				ctx:report{ obj = obj, path = { "spec" },
					message = string.format("Spark driver %s sets no podReplacementPolicy: the default TerminatingOrFailed starts a new driver while the old one terminates, two drivers on one checkpoint",
						kube.describe(obj)) }
			end
		elseif pfp then
			ctx:report{ obj = obj, path = { "spec", "podReplacementPolicy" }, severity = "error",
				message = string.format("podReplacementPolicy '%s' of Spark driver %s is rejected with a podFailurePolicy (only Failed is allowed)",
					kube.text(v) or "?", kube.describe(obj)) }
		else
			ctx:report{ obj = obj, path = { "spec", "podReplacementPolicy" },
				message = string.format("podReplacementPolicy '%s' of Spark driver %s lets two drivers overlap on one checkpoint",
					kube.text(v) or "?", kube.describe(obj)) }
		end
	end,
}
