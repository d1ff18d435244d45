-- rules/spark-checkpoint-pvc-ephemeral.lua: the checkpoint claim has a fixed
-- name and is owned by nothing (L09).  check() collects each driver's
-- claims; finish() judges each claim once, for the first driver naming it.
-- A StatefulSet's volumeClaimTemplate gets claims of fixed names, owned by
-- the StatefulSet only when its persistentVolumeClaimRetentionPolicy says
-- Delete: that is the ownerReferences case for them.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-checkpoint-pvc-ephemeral",
	severity = "error",
	category = "reliability",
	description = "Spark checkpoint PersistentVolumeClaim is generated per run or owned by another object",
	hint = "give the checkpoint claim a fixed metadata.name and no ownerReferences, so deleting the Job keeps the checkpoint",
	kinds = KINDS,
	check = function(obj, ctx)
		for _, x in ipairs(spark.checkpoint_claim_summaries(ctx, obj)) do
			ctx:collect(x)
		end
	end,
	finish = function(ctx)
		for _, x in ipairs(spark.first_per_claim(ctx, ctx:collected())) do
			-- the rule's hint, naming the driver's kind (a Job, a SparkApplication, ...)
			local hint = string.format("give the checkpoint claim a fixed metadata.name and no ownerReferences, so deleting the %s keeps the checkpoint",
				kube.str(x.driver.kind) or "driver")
			if x.claim:find("$(", 1, true) or x.claim:find("{{", 1, true) then
				ctx:report{ obj = x.driver, path = x.path, hint = hint,
					message = string.format("checkpoint claim name '%s' of Spark driver %s is not a fixed name",
						x.claim, kube.describe(x.driver)) }
			end
			for _, when in ipairs(x.tmpl and { "whenDeleted", "whenScaled" } or {}) do
				if kube.get(x.driver, "spec", "persistentVolumeClaimRetentionPolicy", when) == "Delete" then
					ctx:report{ obj = x.driver, path = { "spec", "persistentVolumeClaimRetentionPolicy", when },
						message = string.format("%s deletes the checkpoint claims of its volumeClaimTemplate '%s' %s (persistentVolumeClaimRetentionPolicy.%s: Delete)",
							kube.describe(x.driver), x.claim,
							when == "whenDeleted" and "with itself" or "when it is scaled down", when),
						hint = string.format("set spec.persistentVolumeClaimRetentionPolicy.%s to Retain (the default), so the checkpoint claims outlive the StatefulSet's %s",
							when, when == "whenDeleted" and "deletion" or "scale-down") }
				end
			end
			local pvc = x.pvc
			if pvc then
				if kube.get(pvc, "metadata", "generateName") ~= nil then
					ctx:report{ obj = pvc, path = { "metadata", "generateName" }, hint = hint,
						message = string.format("checkpoint claim %s uses generateName: each run gets a new, empty claim",
							kube.describe(pvc)) }
				end
				local refs = kube.list(kube.get(pvc, "metadata", "ownerReferences"))
				if #refs > 0 then
					local owner = refs[1]
					ctx:report{ obj = pvc, path = { "metadata", "ownerReferences" }, hint = hint,
						message = string.format("checkpoint claim %s is owned by %s '%s': deleting the owner deletes the checkpoint",
							kube.describe(pvc), kube.text(kube.get(owner, "kind")) or "?",
							kube.text(kube.get(owner, "name")) or "?") }
				end
			end
		end
	end,
}
