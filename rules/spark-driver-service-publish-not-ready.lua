-- rules/spark-driver-service-publish-not-ready.lua: a terminating driver
-- must drop out of DNS (L32).
return {
	id = "spark-driver-service-publish-not-ready",
	severity = "warning",
	category = "reliability",
	description = "the Spark driver's Service publishes not-ready addresses",
	hint = "remove spec.publishNotReadyAddresses (or set it to false) on the driver Service",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		if not spark.client_driver(obj, ctx) then
			return
		end
		for _, s in ipairs(spark.driver_services(ctx, obj)) do
			if kube.truthy(kube.get(s, "spec", "publishNotReadyAddresses")) then
				ctx:report{ obj = s, path = { "spec", "publishNotReadyAddresses" },
					message = string.format("%s selects Spark driver %s and publishes not-ready addresses: a terminating old driver stays in DNS while its replacement starts",
						kube.describe(s), kube.describe(obj)) }
			end
		end
	end,
}
