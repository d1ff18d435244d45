-- rules/spark-driver-service-selects-executors.lua: the driver's headless
-- Service must not also select the executors (L17).
return {
	id = "spark-driver-service-selects-executors",
	severity = "error",
	category = "correctness",
	description = "the Spark driver's headless Service also selects the executor pods",
	hint = "select the driver by a label executors do not carry (e.g. spark-role: driver, or a label not copied by spark.kubernetes.executor.label.*)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n then
			return
		end
		local exec = spark.executor_labels(n.conf)
		for _, s in ipairs(spark.headless_services(n)) do
			local sel = kube.get(s, "spec", "selector")
			if kube.selects(sel, exec) then
				ctx:report{ obj = s, path = { "spec", "selector" },
					message = string.format("the selector of %s matches the executors of Spark driver %s too (they are labelled spark-role=executor%s): the driver's DNS name would resolve to executors",
						kube.describe(s), kube.describe(obj),
						#spark.with_prefix(n.conf, "spark.kubernetes.executor.label.") > 0 and " plus spark.kubernetes.executor.label.*" or "") }
			end
		end
	end,
}
