-- rules/spark-checkpoint-pvc-missing.lua: the checkpoint claim a driver
-- mounts should be part of the same bundle (L09: the claim must exist and
-- outlive the Job).  check() collects each driver's claims; finish()
-- reports each missing claim once, at the first driver naming it.  A
-- StatefulSet's volumeClaimTemplate is never missing: its controller
-- creates the claims.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-checkpoint-pvc-missing",
	severity = "warning",
	category = "reliability",
	description = "Spark driver mounts a checkpoint PersistentVolumeClaim that is not in the linted set",
	hint = "add the PersistentVolumeClaim (fixed name, no ownerReferences) next to the driver, or fix the claimName",
	kinds = KINDS,
	check = function(obj, ctx)
		for _, x in ipairs(spark.checkpoint_claim_summaries(ctx, obj)) do
			ctx:collect(x)
		end
	end,
	finish = function(ctx)
		for _, x in ipairs(spark.first_per_claim(ctx, ctx:collected())) do
			if not x.pvc and not x.tmpl then
				ctx:report{ obj = x.driver, path = x.path,
					message = string.format("checkpoint claim '%s' of Spark driver %s is not defined in namespace '%s' of the linted files",
						x.claim, kube.describe(x.driver), x.ns) }
			end
		end
	end,
}
