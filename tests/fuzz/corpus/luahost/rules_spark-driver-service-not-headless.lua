-- rules/spark-driver-service-not-headless.lua: the driver's Service is
-- headless (L17).
local function report(ctx, svc, drv)
	local has = kube.get(svc, "spec", "clusterIP") ~= nil
	ctx:report{ obj = svc, path = has and { "spec", "clusterIP" } or { "spec" },
		message = string.format("%s selects Spark driver %s but is not headless (clusterIP %s): executors must resolve the driver pod itself",
			kube.describe(svc), kube.describe(drv), kube.text(kube.get(svc, "spec", "clusterIP")) or "unset") }
end

return {
	id = "spark-driver-service-not-headless",
	severity = "error",
	category = "correctness",
	description = "the Service that executors use to reach the Spark driver is not headless",
	hint = "set spec.clusterIP: None on the driver Service",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n or #n.services == 0 then
			return
		end
		if n.host_svc then
			if not spark.is_headless(n.host_svc) then
				report(ctx, n.host_svc, obj)
			end
			return
		end
		if #spark.headless_services(n) == 0 then
			for _, s in ipairs(n.services) do
				report(ctx, s, obj)
			end
		end
	end,
}
