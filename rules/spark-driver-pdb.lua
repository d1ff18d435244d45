-- rules/spark-driver-pdb.lua: a PodDisruptionBudget over the driver must
-- actually block voluntary evictions (L31).
local function check_driver(ctx, obj, pdbs)
	local labels = kube.pod_labels(obj)
	for _, pdb in ipairs(pdbs) do
		if kube.selects(kube.get(pdb, "spec", "selector"), labels) then
			local mu = kube.get(pdb, "spec", "maxUnavailable")
			local ma = kube.get(pdb, "spec", "minAvailable")
			local ok
			if mu ~= nil then
				ok = kube.int(mu) == 0 or mu == "0%"
			elseif ma ~= nil then
				ok = (kube.int(ma) or 0) >= 1 or ma == "100%"
			else
				ok = false
			end
			if not ok then
				local key = mu ~= nil and "maxUnavailable" or (ma ~= nil and "minAvailable" or nil)
				ctx:report{ obj = pdb, path = key and { "spec", key } or { "spec" },
					message = string.format("%s selects Spark driver %s but %s: a drain still evicts the only driver",
						kube.describe(pdb), kube.describe(obj),
						key and string.format("%s is %s", key, kube.text(kube.get(pdb, "spec", key)) or "?")
							or "sets neither maxUnavailable nor minAvailable") }
			end
		end
	end
end

-- The set's PodDisruptionBudgets by namespace, built once per Lua state
-- rather than on every driver's check().
local function by_ns(ctx)
	return spark.by_namespace(ctx, "PodDisruptionBudget")
end
local function pdb_index(ctx)
	return kube.memo(ctx, "spark-driver-pdb.pdbs", by_ns)
end

return {
	id = "spark-driver-pdb",
	severity = "warning",
	category = "reliability",
	description = "a PodDisruptionBudget selecting the Spark driver still allows it to be evicted",
	hint = "use maxUnavailable: 0 (or minAvailable: 1) in the driver's PodDisruptionBudget",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		if spark.client_driver(obj, ctx) then
			check_driver(ctx, obj, pdb_index(ctx)[ctx:namespace(obj)] or {})
		end
	end,
}
