-- rules/spark-driver-service-missing.lua: executors reach an in-cluster
-- client-mode driver through a Service that selects it (L17).
return {
	id = "spark-driver-service-missing",
	severity = "error",
	category = "correctness",
	description = "no Service selects the in-cluster Spark driver, so executors cannot connect back to it",
	hint = "add a headless Service (clusterIP: None) whose selector matches only the driver pod, and point spark.driver.host at it",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n or n.pod_ip_host or #n.services > 0 then
			return
		end
		local p = kube.pod(obj)
		local path = p.meta and kube.get(p.meta, "labels") and kube.path(p.meta_path, "labels") or p.path
		ctx:report{ obj = obj, path = path,
			message = string.format("no Service in namespace '%s' selects the pod of Spark driver %s: executors cannot resolve the driver",
				ctx:namespace(obj), kube.describe(obj)) }
	end,
}
