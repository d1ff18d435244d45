-- rules/spark-job-disruption-not-ignored.lua: evictions should not use up
-- the driver Job's backoffLimit (L06, L33).
local function ignores_disruption(pfp)
	for _, r in ipairs(kube.list(kube.get(pfp, "rules"))) do
		if kube.get(r, "action") == "Ignore" then
			for _, c in ipairs(kube.list(kube.get(r, "onPodConditions"))) do
				if kube.get(c, "type") == "DisruptionTarget" then
					return true
				end
			end
		end
	end
	return false
end

return {
	id = "spark-job-disruption-not-ignored",
	severity = "warning",
	category = "reliability",
	description = "Spark driver Job counts evictions and drains against its backoffLimit",
	hint = "add spec.podFailurePolicy.rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}] (needs restartPolicy Never)",
	kinds = { "Job" },
	check = function(obj, ctx)
		if not spark.is_driver_job(obj) then
			return
		end
		local pfp = kube.tab(kube.get(obj, "spec", "podFailurePolicy"))
		if not pfp then
			local p = kube.pod(obj)
			local why = ""
			if p.spec and p.spec.restartPolicy == "OnFailure" then
				why = " (restartPolicy OnFailure rules out a podFailurePolicy)"
			end
			ctx:report{ obj = obj, path = { "spec" },
				message = string.format("Spark driver %s has no podFailurePolicy%s: node drains, preemption and evictions count against backoffLimit",
					kube.describe(obj), why) }
		elseif not ignores_disruption(pfp) then
			ctx:report{ obj = obj, path = { "spec", "podFailurePolicy" },
				message = string.format("podFailurePolicy of Spark driver %s has no Ignore rule for the DisruptionTarget condition: evictions count against backoffLimit",
					kube.describe(obj)) }
		end
	end,
}
