-- rules/spark-checkpoint-pvc-missing.lua: the checkpoint claim a driver
-- mounts should be part of the same bundle (L09: the claim must exist and
-- outlive the Job).
return {
	id = "spark-checkpoint-pvc-missing",
	severity = "warning",
	category = "reliability",
	description = "Spark driver mounts a checkpoint PersistentVolumeClaim that is not in the linted set",
	hint = "add the PersistentVolumeClaim (fixed name, no ownerReferences) next to the driver, or fix the claimName",
	finish = function(ctx)
		for _, x in ipairs(spark.checkpoint_pvcs(ctx)) do
			if not x.pvc then
				ctx:report{ obj = x.driver,
					path = kube.path(x.ref.vpath, "persistentVolumeClaim", "claimName"),
					message = string.format("checkpoint claim '%s' of Spark driver %s is not defined in namespace '%s' of the linted files",
						x.claim, kube.describe(x.driver), x.ns) }
			end
		end
	end,
}
