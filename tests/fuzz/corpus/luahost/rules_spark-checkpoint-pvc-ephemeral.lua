-- rules/spark-checkpoint-pvc-ephemeral.lua: the checkpoint claim has a fixed
-- name and is owned by nothing (L09).
return {
	id = "spark-checkpoint-pvc-ephemeral",
	severity = "error",
	category = "reliability",
	description = "Spark checkpoint PersistentVolumeClaim is generated per run or owned by another object",
	hint = "give the checkpoint claim a fixed metadata.name and no ownerReferences, so deleting the Job keeps the checkpoint",
	finish = function(ctx)
		for _, x in ipairs(spark.checkpoint_pvcs(ctx)) do
			if x.claim:find("$(", 1, true) or x.claim:find("{{", 1, true) then
				ctx:report{ obj = x.driver,
					path = kube.path(x.ref.vpath, "persistentVolumeClaim", "claimName"),
					message = string.format("checkpoint claim name '%s' of Spark driver %s is not a fixed name",
						x.claim, kube.describe(x.driver)) }
			end
			local pvc = x.pvc
			if pvc then
				if kube.get(pvc, "metadata", "generateName") ~= nil then
					ctx:report{ obj = pvc, path = { "metadata", "generateName" },
						message = string.format("checkpoint claim %s uses generateName: each run gets a new, empty claim",
							kube.describe(pvc)) }
				end
				local refs = kube.list(kube.get(pvc, "metadata", "ownerReferences"))
				if #refs > 0 then
					local owner = refs[1]
					ctx:report{ obj = pvc, path = { "metadata", "ownerReferences" },
						message = string.format("checkpoint claim %s is owned by %s '%s': deleting the owner deletes the checkpoint",
							kube.describe(pvc), kube.text(kube.get(owner, "kind")) or "?",
							kube.text(kube.get(owner, "name")) or "?") }
				end
			end
		end
	end,
}
