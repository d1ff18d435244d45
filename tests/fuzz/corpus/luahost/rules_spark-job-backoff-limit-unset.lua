-- rules/spark-job-backoff-limit-unset.lua: set backoffLimit on purpose (L05).
return {
	id = "spark-job-backoff-limit-unset",
	severity = "warning",
	category = "reliability",
	description = "Spark driver Job relies on the default backoffLimit of 6",
	hint = "set spec.backoffLimit explicitly (for example 10) after deciding how many driver failures to tolerate",
	kinds = { "Job" },
	check = function(obj, ctx)
		if spark.is_driver_job(obj) and kube.get(obj, "spec", "backoffLimit") == nil then
			ctx:report{ obj = obj, path = { "spec" },
				message = string.format("Spark driver %s sets no backoffLimit: after 6 failed pods the Job fails for good and the stream stays down",
					kube.describe(obj)) }
		end
	end,
}
