-- rules/spark-job-ttl-too-short.lua: keep a finished driver Job (and its
-- logs) long enough to look at (L08).
return {
	id = "spark-job-ttl-too-short",
	severity = "info",
	category = "best-practice",
	description = "Spark driver Job is deleted too soon after it finishes",
	hint = "raise spec.ttlSecondsAfterFinished to at least an hour, or remove it",
	kinds = { "Job" },
	options = { minSeconds = 3600 },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		local v = kube.get(obj, "spec", "ttlSecondsAfterFinished")
		local n = kube.int(v)
		local min = kube.int(ctx.options.minSeconds) or 3600
		if v ~= nil and (n == nil or n < min) then
			ctx:report{ obj = obj, path = { "spec", "ttlSecondsAfterFinished" },
				message = string.format("ttlSecondsAfterFinished %s of Spark driver %s is under %d: the Job, its pods and their logs are deleted before anyone can read why the stream stopped",
					kube.text(v) or "?", kube.describe(obj), min) }
		end
	end,
}
