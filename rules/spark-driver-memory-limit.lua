-- rules/spark-driver-memory-limit.lua: the driver container holds the JVM
-- heap plus its overhead (L30).
local MIB = 1024 * 1024

local function fmt(b)
	if b % (1024 * MIB) == 0 then
		return string.format("%dGi", b // (1024 * MIB))
	end
	return string.format("%dMi", math.ceil(b / MIB))
end

-- Whose container the rule judges, for its messages.
local WHO = {
	driver = { what = "Spark driver container", evicted = "the driver",
		oom = "the driver is OOM-killed and burns backoffLimit" },
	client = { what = "Spark Connect client container", evicted = "the client pod",
		oom = "spark-submit's JVM is OOM-killed" },
}

return {
	id = "spark-driver-memory-limit",
	severity = "warning",
	category = "reliability",
	description = "the Spark driver container's memory limit is below spark.driver.memory plus overhead",
	hint = "set the driver container's memory limit (and request) to at least spark.driver.memory + spark.driver.memoryOverhead (default max(384Mi, 10%))",
	kinds = kube.workload_kinds(),
	options = { overheadFactor = 0.10, minOverheadMiB = 384 },
	check = function(obj, ctx)
		-- (a PodTemplate's too: its copies carry this container; and a Spark
		-- Connect client's spark-submit, whose JVM takes its heap from
		-- spark.driver.memory as a client-mode driver's does)
		local ce, who = spark.client_driver_spec(obj, ctx), WHO.driver
		if not ce or not spark.submit(ce) then
			ce, who = spark.connect_submit(obj), WHO.client
		end
		if not ce or not spark.submit(ce) then
			return
		end
		local conf = spark.conf(ctx, obj, ce)
		local mem = spark.size_bytes(spark.get(conf, "spark.driver.memory") or "1g")
		if not mem then
			return
		end
		local factor = tonumber(spark.get(conf, "spark.driver.memoryOverheadFactor") or
			spark.get(conf, "spark.kubernetes.memoryOverheadFactor") or ctx.options.overheadFactor) or 0.10
		local ov = spark.size_bytes(spark.get(conf, "spark.driver.memoryOverhead"))
		if not ov then
			ov = math.max((tonumber(ctx.options.minOverheadMiB) or 384) * MIB, math.floor(factor * mem))
		end
		local need = mem + ov
		local res = kube.tab(ce.c.resources)
		local lim_s = kube.text(kube.get(res, "limits", "memory"))
		local req_s = kube.text(kube.get(res, "requests", "memory"))
		local lim = lim_s and k8s.quantity(lim_s)
		local req = req_s and k8s.quantity(req_s)
		if lim and req and lim < req then
			ctx:report{ obj = obj, path = kube.path(ce.path, "resources", "limits", "memory"), severity = "error",
				message = string.format("memory limit %s of %s '%s' is below its request %s",
					lim_s, who.what, ce.name or "?", req_s) }
		elseif lim and lim < need then
			ctx:report{ obj = obj, path = kube.path(ce.path, "resources", "limits", "memory"),
				message = string.format("memory limit %s of %s '%s' is below spark.driver.memory + overhead = %s: %s",
					lim_s, who.what, ce.name or "?", fmt(need), who.oom) }
		elseif not lim and req and req < need then
			ctx:report{ obj = obj, path = kube.path(ce.path, "resources", "requests", "memory"),
				message = string.format("memory request %s of %s '%s' is below spark.driver.memory + overhead = %s: the node may evict %s under memory pressure",
					req_s, who.what, ce.name or "?", fmt(need), who.evicted) }
		end
	end,
}
