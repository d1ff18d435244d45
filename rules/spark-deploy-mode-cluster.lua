-- rules/spark-deploy-mode-cluster.lua: the Job is the driver; cluster mode
-- would make a bare driver pod that the Job only watches (L29).
return {
	id = "spark-deploy-mode-cluster",
	severity = "error",
	category = "reliability",
	description = "a Job or StatefulSet runs spark-submit --deploy-mode cluster, which creates an unmanaged driver pod",
	hint = "run spark-submit --deploy-mode client inside the Job's pod, so the Job's pod is the driver",
	kinds = { "Job", "StatefulSet" },
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj)) do
			local mode, src = spark.deploy_mode(ce, ctx, obj)
			if mode == "cluster" and src then
				ctx:report{ obj = src.obj or obj, path = src.path,
					message = string.format("container '%s' of %s runs spark-submit in cluster mode: the driver becomes a bare pod that nothing reschedules, and the %s only supervises the launcher",
						ce.name or "?", kube.describe(obj), obj.kind) }
			end
		end
	end,
}
