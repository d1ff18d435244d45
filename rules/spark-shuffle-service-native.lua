-- rules/spark-shuffle-service-native.lua: Spark 3 on Kubernetes has no
-- external shuffle service; dynamic allocation needs shuffle tracking (L28).
--
-- check() reports what is wrong with each configuration (a driver's, or a
-- SparkApplication's: spark.all_confs, one object at a time) and collects,
-- by namespace, whether it is native or legacy, the legacy resource staging
-- servers and the shuffle-service DaemonSets; finish() reports a DaemonSet
-- when a native configuration shares its namespace and nothing there is the
-- fork's (see fork_namespaces).
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

-- The findings of one configuration; what finish() needs of it.
local function check_conf(ctx, obj, ce, conf)
	local ns = ctx:namespace(obj)
	if spark.is_legacy(conf, ce) then
		-- The fork looks for its shuffle pods in this namespace ("default"
		-- unless set), whatever the driver's own.
		return { what = "legacy", ns = ns,
			shuffle_ns = spark.get(conf, "spark.kubernetes.shuffle.namespace") or "default" }
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
	return { what = "native", ns = ns }
end

-- Namespaces whose shuffle DaemonSets serve the fork: a legacy driver's, the
-- one its spark.kubernetes.shuffle.namespace names, and a resource staging
-- server's.  The fork's spark-submit creates its driver from a laptop, so a
-- fork app usually has no driver in the manifests; without a staging server
-- (local:// dependencies) its namespace holds no evidence but the DaemonSet,
-- which is why a DaemonSet is only reported beside a native configuration.
local function fork_namespaces(collected)
	local fork = {}
	for _, v in ipairs(collected) do
		if v.what == "legacy" then
			fork[v.ns] = true
			fork[v.shuffle_ns] = true
		elseif v.what == "staging" then
			fork[v.ns] = true
		end
	end
	return fork
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
		if spark.spec_is_driver(obj) then	-- (a PodTemplate's conf too)
			local ce = spark.driver_container(obj)
			if ce then
				ctx:collect(check_conf(ctx, obj, ce, spark.conf(ctx, obj, ce)))
			end
		end
		if spark.is_staging_server(obj) then
			ctx:collect{ what = "staging", ns = ctx:namespace(obj) }
		end
		if obj.kind == "DaemonSet" and spark.is_shuffle_daemonset(obj) then
			ctx:collect{ what = "daemonset", ns = ctx:namespace(obj), obj = obj }
		end
	end,
	finish = function(ctx)
		local collected = ctx:collected()
		local fork, native = fork_namespaces(collected), {}
		for _, v in ipairs(collected) do
			if v.what == "native" then
				native[v.ns] = true
			end
		end
		for _, v in ipairs(collected) do
			if v.what == "daemonset" and native[v.ns] and not fork[v.ns] then
				ctx:report{ obj = v.obj, path = { "kind" }, severity = "warning",
					message = string.format("%s runs the legacy external shuffle service, which the Spark 3 drivers in its namespace cannot use",
						kube.describe(v.obj)) }
			end
		end
	end,
}
