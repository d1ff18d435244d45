-- rules/spark-checkpoint-access-mode.lua: the checkpoint claim's access mode
-- fits who mounts it (L11).  check() collects each driver's claims with
-- whether its executors mount them too; finish() judges each claim once,
-- for the first driver naming it (spark.first_per_claim).
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

local function executor_claims(conf)
	local set = {}
	for _, x in ipairs(spark.with_prefix(conf, "spark.kubernetes.executor.volumes.persistentVolumeClaim.")) do
		if x.key:match("%.options%.claimName$") then
			set[x.e.value] = true
		end
	end
	return set
end

return {
	id = "spark-checkpoint-access-mode",
	severity = "warning",
	category = "reliability",
	description = "Spark checkpoint claim's access mode does not fit the driver/executor topology",
	hint = "use ReadWriteMany storage (EFS, Azure File, Filestore, NFS) for checkpoints, and mount it in executors when the app keeps state",
	kinds = KINDS,
	check = function(obj, ctx)
		local claims = spark.checkpoint_claim_summaries(ctx, obj)
		if #claims == 0 then
			return
		end
		local execs
		if obj.kind == "SparkApplication" then
			execs = {}
			for _, m in ipairs(spark.app_mounts(ctx, obj, "executor")) do
				if m.claim then
					execs[m.claim] = true
				end
			end
		else
			local ce = spark.driver_container(obj)
			execs = executor_claims(ce and spark.conf(ctx, obj, ce) or {})
		end
		for _, x in ipairs(claims) do
			x.executors = execs[x.claim] == true
			ctx:collect(x)
		end
	end,
	finish = function(ctx)
		for _, x in ipairs(spark.first_per_claim(ctx, ctx:collected())) do
			local obj, base, pvc, what = spark.claim_of(x)
			if pvc then
				local modes = kube.access_modes(pvc)
				local path = kube.get(pvc, "spec", "accessModes") and kube.path(base, "spec", "accessModes")
					or kube.path(base, "spec")
				if x.executors then
					if not modes.ReadWriteMany then
						ctx:report{ obj = obj, path = path, severity = "error",
							message = string.format("checkpoint claim %s is mounted by the executors of %s but is not ReadWriteMany",
								what, kube.describe(x.driver)) }
					end
				elseif not modes.ReadWriteMany and (modes.ReadWriteOnce or modes.ReadWriteOncePod) then
					ctx:report{ obj = obj, path = path,
						message = string.format("checkpoint claim %s is %s: after a node failure the volume stays attached to the lost node and the replacement driver waits in Pending",
							what, modes.ReadWriteOncePod and "ReadWriteOncePod" or "ReadWriteOnce") }
				end
			end
		end
	end,
}
