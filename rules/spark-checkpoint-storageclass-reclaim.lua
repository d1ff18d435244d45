-- rules/spark-checkpoint-storageclass-reclaim.lua: the checkpoint volume is
-- retained when its claim goes away (L10).  check() collects each driver's
-- claims; finish() follows each claim once to its volume or StorageClass
-- and reports each of those once.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-checkpoint-storageclass-reclaim",
	severity = "warning",
	category = "reliability",
	description = "Spark checkpoint volume is deleted together with its claim (reclaimPolicy is not Retain)",
	hint = "use a StorageClass with reclaimPolicy: Retain for checkpoint claims",
	kinds = KINDS,
	check = function(obj, ctx)
		for _, x in ipairs(spark.checkpoint_claim_summaries(ctx, obj)) do
			ctx:collect(x)
		end
	end,
	finish = function(ctx)
		local done = {}
		for _, x in ipairs(spark.first_per_claim(ctx, ctx:collected())) do
			local obj, base, pvc, what = spark.claim_of(x)
			local cls = pvc and kube.get(pvc, "spec", "storageClassName")
			local pvname = pvc and kube.str(kube.get(pvc, "spec", "volumeName"))
			local pv = pvname and ctx:find("PersistentVolume", pvname)
			if pv then
				local rp = kube.get(pv, "spec", "persistentVolumeReclaimPolicy")
				if rp ~= "Retain" and not done[pv] then
					done[pv] = true
					ctx:report{ obj = pv, path = rp and { "spec", "persistentVolumeReclaimPolicy" } or { "spec" },
						message = string.format("%s holds checkpoint claim '%s' but its persistentVolumeReclaimPolicy is %s, not Retain",
							kube.describe(pv), x.claim, kube.text(rp) or "unset") }
				end
			elseif pvc and cls == nil and not pvname then
				ctx:report{ obj = obj, path = kube.path(base, "spec"), severity = "info",
					message = string.format("checkpoint claim %s uses the cluster's default StorageClass, whose reclaimPolicy is usually Delete",
						what) }
			elseif pvc and type(cls) == "string" and cls ~= "" then
				local sc = ctx:find("StorageClass", cls)
				if not sc then
					if not done[cls] then
						done[cls] = true
						ctx:report{ obj = obj, path = kube.path(base, "spec", "storageClassName"), severity = "info",
							message = string.format("StorageClass '%s' of checkpoint claim %s is not in the linted set; built-in cloud classes use reclaimPolicy Delete",
								cls, what) }
					end
				elseif not done[sc] then
					done[sc] = true
					local rp = kube.get(sc, "reclaimPolicy")
					if rp ~= "Retain" then
						ctx:report{ obj = sc, path = rp ~= nil and { "reclaimPolicy" } or { "kind" },
							message = string.format("%s of checkpoint claim '%s' has reclaimPolicy %s: deleting the claim deletes the checkpoint",
								kube.describe(sc), x.claim, rp == nil and "unset (Delete)" or kube.text(rp) or "?") }
					end
				end
			end
		end
	end,
}
