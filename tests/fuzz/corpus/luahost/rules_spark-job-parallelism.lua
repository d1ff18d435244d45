-- rules/spark-job-parallelism.lua: a driver Job runs exactly one pod at a time
-- (L02 in the domain reference).
return {
	id = "spark-job-parallelism",
	severity = "error",
	category = "correctness",
	description = "Spark driver Job with completions or parallelism other than 1",
	hint = "remove spec.completions and spec.parallelism (or set them to 1): one Job runs one driver",
	kinds = { "Job" },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		for _, key in ipairs({ "completions", "parallelism" }) do
			local v = kube.get(obj, "spec", key)
			if v ~= nil and kube.int(v) ~= 1 then
				ctx:report{ obj = obj, path = { "spec", key },
					message = string.format("spec.%s of Spark driver %s is %s: several drivers would share one checkpoint",
						key, kube.describe(obj), kube.text(v) or "not 1") }
			end
		end
	end,
}
