-- rules/spark-driver-ports.lua: pinned driver ports, exposed by the driver's
-- Service (L18).
local PORTS = {
	{ key = "spark.driver.port", fallback = nil, what = "driver RPC port", default = 7078 },
	{ key = "spark.driver.blockManager.port", fallback = "spark.blockManager.port", what = "block manager port", default = 7079 },
}

local function svc_has(svc, port)
	for _, sp in ipairs(kube.service_ports(svc)) do
		if sp.port == port and (sp.target == nil or type(sp.target) == "string" or sp.target == port) then
			return true
		end
	end
	return false
end

return {
	id = "spark-driver-ports",
	severity = "error",
	category = "correctness",
	description = "the in-cluster Spark driver's ports are random or not exposed by its Service",
	hint = "pin spark.driver.port=7078 and spark.driver.blockManager.port=7079 and list both ports on the headless driver Service",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n then
			return
		end
		local svcs = spark.headless_services(n)
		for _, p in ipairs(PORTS) do
			local e = n.conf[p.key] or (p.fallback and n.conf[p.fallback])
			local v = e and kube.int(spark.expand(n.ce, e.value, e.shell))
			if not e or v == 0 then
				ctx:report{ obj = e and e.obj or obj, path = e and e.path or n.ce.path,
					message = string.format("Spark driver %s does not pin its %s (%s is %s): in client mode it is random and no Service can expose it",
						kube.describe(obj), p.what, p.key, e and "0" or "unset") }
			elseif v then
				for _, s in ipairs(svcs) do
					if not svc_has(s, v) then
						local has = kube.get(s, "spec", "ports") ~= nil
						ctx:report{ obj = s, path = has and { "spec", "ports" } or { "spec" },
							message = string.format("%s does not expose port %d, the %s of Spark driver %s (%s)",
								kube.describe(s), v, p.what, kube.describe(obj), p.key) }
					end
				end
			end
		end
	end,
}
