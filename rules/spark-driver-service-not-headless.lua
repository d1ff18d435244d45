-- rules/spark-driver-service-not-headless.lua: the driver's Service is
-- headless, and it is the only headless Service selecting the driver (L17).
local function report(ctx, svc, drv)
	local has = kube.get(svc, "spec", "clusterIP") ~= nil
	ctx:report{ obj = svc, path = has and { "spec", "clusterIP" } or { "spec" },
		message = string.format("%s selects Spark driver %s but is not headless (clusterIP %s): executors must resolve the driver pod itself",
			kube.describe(svc), kube.describe(drv), kube.text(kube.get(svc, "spec", "clusterIP")) or "unset") }
end

-- Headless Services selecting the driver besides `first` (the one
-- spark.driver.host names, else the first in the engine's order).
local function report_extra(ctx, n, first, drv)
	for _, s in ipairs(n.services) do
		if s ~= first and spark.is_headless(s) then
			ctx:report{ obj = s, path = { "spec", "clusterIP" },
				message = string.format("%s is a second headless Service selecting Spark driver %s, besides %s: exactly one may, so that the driver has one DNS name",
					kube.describe(s), kube.describe(drv), kube.describe(first)) }
		end
	end
end

return {
	id = "spark-driver-service-not-headless",
	severity = "error",
	category = "correctness",
	description = "the Service that executors use to reach the Spark driver is not headless, or is not the only headless one",
	hint = "set spec.clusterIP: None on the driver Service, and make it the only headless Service selecting the driver",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n or n.pod_ip_host or #n.services == 0 then
			return	-- (executors reaching the driver by pod IP need no Service)
		end
		if n.host_svc then
			if not spark.is_headless(n.host_svc) then
				report(ctx, n.host_svc, obj)
			else
				report_extra(ctx, n, n.host_svc, obj)
			end
			return
		end
		local headless = spark.headless_services(n)
		if #headless == 0 then
			for _, s in ipairs(n.services) do
				report(ctx, s, obj)
			end
		else
			report_extra(ctx, n, headless[1], obj)
		end
	end,
}
