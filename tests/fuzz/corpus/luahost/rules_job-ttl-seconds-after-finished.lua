-- rules/job-ttl-seconds-after-finished.lua: kube-linter's
-- job-ttl-seconds-after-finished check, Spark-aware: driver Jobs are exempt.
return {
	id = "job-ttl-seconds-after-finished",
	severity = "info",
	category = "best-practice",
	description = "standalone Job without ttlSecondsAfterFinished, or a CronJob's Job template with one",
	hint = "set spec.ttlSecondsAfterFinished on standalone Jobs; on CronJobs use successfulJobsHistoryLimit/failedJobsHistoryLimit instead",
	kinds = { "Job", "CronJob" },
	check = function(obj, ctx)
		if obj.kind == "Job" then
			if #kube.list(kube.get(obj, "metadata", "ownerReferences")) > 0 or spark.is_driver(obj) then
				return	-- owned by a CronJob; or a Spark driver, whose finished Job is the record of why the stream stopped
			end
			if kube.get(obj, "spec", "ttlSecondsAfterFinished") == nil then
				ctx:report{ obj = obj, path = { "spec" },
					message = string.format("standalone %s does not specify ttlSecondsAfterFinished", kube.describe(obj)) }
			end
		elseif kube.get(obj, "spec", "jobTemplate", "spec", "ttlSecondsAfterFinished") ~= nil then
			ctx:report{ obj = obj, path = { "spec", "jobTemplate", "spec", "ttlSecondsAfterFinished" },
				message = string.format("Job template of %s specifies ttlSecondsAfterFinished, which conflicts with the CronJob's history limits",
					kube.describe(obj)) }
		end
	end,
}
