-- rules/spark-job-active-deadline.lua: no deadline on a streaming driver Job
-- (L03 in the domain reference).
return {
	id = "spark-job-active-deadline",
	severity = "error",
	category = "reliability",
	description = "Spark driver Job sets activeDeadlineSeconds, which kills a healthy stream",
	hint = "remove spec.activeDeadlineSeconds; a streaming driver is meant to run until stopped",
	kinds = { "Job" },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		local v = kube.get(obj, "spec", "activeDeadlineSeconds")
		if v ~= nil then
			ctx:report{ obj = obj, path = { "spec", "activeDeadlineSeconds" },
				message = string.format("Spark driver %s has activeDeadlineSeconds %s: the Job is failed (DeadlineExceeded) when it expires, whatever the driver's health, and backoffLimit cannot restart it",
					kube.describe(obj), kube.text(v) or "?") }
		end
	end,
}
