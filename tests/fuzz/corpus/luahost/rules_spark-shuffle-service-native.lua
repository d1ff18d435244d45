-- rules/spark-shuffle-service-native.lua: Spark 3 on Kubernetes has no
-- external shuffle service; dynamic allocation needs shuffle tracking (L28).
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

return {
	id = "spark-shuffle-service-native",
	severity = "error",
	category = "correctness",
	description = "a Spark 3 driver relies on an external shuffle service, or enables dynamic allocation without shuffle tracking",
	hint = "drop spark.shuffle.service.enabled and the shuffle DaemonSet; with dynamic allocation set spark.dynamicAllocation.shuffleTracking.enabled=true",
	finish = function(ctx)
		local native, legacy = 0, 0
		for _, x in ipairs(spark.all_confs(ctx)) do
			local conf = x.conf
			if spark.is_legacy(conf, x.ce) then
				legacy = legacy + 1
			else
				native = native + 1
				local ess = conf["spark.shuffle.service.enabled"]
				if ess and spark.is_true(ess.value) then
					ctx:report{ obj = ess.obj, path = ess.path,
						message = string.format("%s sets spark.shuffle.service.enabled=true, but Spark 3 on Kubernetes has no external shuffle service: executors fail to register with it",
							kube.describe(x.obj)) }
				end
				local da = conf["spark.dynamicAllocation.enabled"]
				if da and spark.is_true(da.value) and not da_safe(conf) then
					local st = conf["spark.dynamicAllocation.shuffleTracking.enabled"]
					if st then
						ctx:report{ obj = st.obj, path = st.path,
							message = string.format("%s enables dynamic allocation with shuffle tracking off: Spark refuses to start without an external shuffle service",
								kube.describe(x.obj)) }
					else
						ctx:report{ obj = da.obj, path = da.path, severity = "warning",
							message = string.format("%s enables dynamic allocation without setting spark.dynamicAllocation.shuffleTracking.enabled=true (it defaults to false before Spark 3.4)",
								kube.describe(x.obj)) }
					end
				end
			end
		end
		-- The fork's spark-submit creates its driver from a laptop, so a fork
		-- app usually has no driver in the manifests: its infrastructure (the
		-- resource staging server) is the evidence that the DaemonSet serves
		-- 2.2 drivers, whatever native drivers other apps of the set have.
		if legacy == 0 then
			for _, o in ipairs(kube.workloads(ctx)) do
				if spark.is_staging_server(o) then
					legacy = legacy + 1
					break
				end
			end
		end
		if native > 0 and legacy == 0 then
			for _, ds in ipairs(ctx:objects("DaemonSet")) do
				if spark.is_shuffle_daemonset(ds) then
					ctx:report{ obj = ds, path = { "kind" }, severity = "warning",
						message = string.format("%s runs the legacy external shuffle service, which no Spark 3 driver in the linted files can use",
							kube.describe(ds)) }
				end
			end
		end
	end,
}
