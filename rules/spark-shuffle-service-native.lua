-- rules/spark-shuffle-service-native.lua: Spark 3 on Kubernetes has no
-- external shuffle service; dynamic allocation needs shuffle tracking (L28).
--
-- check() reports what is wrong with each configuration (a driver's, or a
-- SparkApplication's: spark.all_confs, one object at a time) and collects
-- whether it is native or legacy, whether a workload is the legacy resource
-- staging server, and the shuffle-service DaemonSets; finish() reports the
-- DaemonSets when the set has native configurations and no legacy one.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

local function da_safe(conf)
	if spark.is_true(spark.get(conf, "spark.dynamicAllocation.shuffleTracking.enabled")) then
		return true
	end
	if spark.is_true(spark.get(conf, "spark.decommission.enabled")) and
		spark.is_true(spark.get(conf, "spark.storage.decommission.shuffleBlocks.enabled")) then
		return true
	end
	return spark.get(conf, "spark.shuffle.sort.io.plugin.class") ~= nil
end

-- The findings of one configuration; "legacy" or "native" for finish().
local function check_conf(ctx, obj, ce, conf)
	if spark.is_legacy(conf, ce) then
		return "legacy"
	end
	local ess = conf["spark.shuffle.service.enabled"]
	if ess and spark.is_true(ess.value) then
		ctx:report{ obj = ess.obj, path = ess.path,
			message = string.format("%s sets spark.shuffle.service.enabled=true, but Spark 3 on Kubernetes has no external shuffle service: executors fail to register with it",
				kube.describe(obj)) }
	end
	local da = conf["spark.dynamicAllocation.enabled"]
	if da and spark.is_true(da.value) and not da_safe(conf) then
		local st = conf["spark.dynamicAllocation.shuffleTracking.enabled"]
		if st then
			ctx:report{ obj = st.obj, path = st.path,
				message = string.format("%s enables dynamic allocation with shuffle tracking off: Spark refuses to start without an external shuffle service",
					kube.describe(obj)) }
		else
			ctx:report{ obj = da.obj, path = da.path, severity = "warning",
				message = string.format("%s enables dynamic allocation without setting spark.dynamicAllocation.shuffleTracking.enabled=true (it defaults to false before Spark 3.4)",
					kube.describe(obj)) }
		end
	end
	return "native"
end

return {
	id = "spark-shuffle-service-native",
	severity = "error",
	category = "correctness",
	description = "a Spark 3 driver relies on an external shuffle service, or enables dynamic allocation without shuffle tracking",
	hint = "drop spark.shuffle.service.enabled and the shuffle DaemonSet; with dynamic allocation set spark.dynamicAllocation.shuffleTracking.enabled=true",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind == "SparkApplication" then
			ctx:collect(check_conf(ctx, obj, nil, spark.conf(ctx, obj, nil)))
			return
		end
		if spark.is_driver(obj) then
			local ce = spark.driver_container(obj)
			if ce then
				ctx:collect(check_conf(ctx, obj, ce, spark.conf(ctx, obj, ce)))
			end
		end
		-- The fork's spark-submit creates its driver from a laptop, so a fork
		-- app usually has no driver in the manifests: its infrastructure (the
		-- resource staging server) is the evidence that the DaemonSet serves
		-- 2.2 drivers, whatever native drivers other apps of the set have.
		if spark.is_staging_server(obj) then
			ctx:collect("legacy")
		end
		if obj.kind == "DaemonSet" and spark.is_shuffle_daemonset(obj) then
			ctx:collect(obj)
		end
	end,
	finish = function(ctx)
		local native, legacy, daemonsets = false, false, {}
		for _, v in ipairs(ctx:collected()) do
			if v == "native" then
				native = true
			elseif v == "legacy" then
				legacy = true
			else
				daemonsets[#daemonsets + 1] = v
			end
		end
		if native and not legacy then
			for _, ds in ipairs(daemonsets) do
				ctx:report{ obj = ds, path = { "kind" }, severity = "warning",
					message = string.format("%s runs the legacy external shuffle service, which no Spark 3 driver in the linted files can use",
						kube.describe(ds)) }
			end
		end
	end,
}
