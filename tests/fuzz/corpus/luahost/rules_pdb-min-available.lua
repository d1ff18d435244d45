-- rules/pdb-min-available.lua: kube-linter's pdb-min-available check,
-- Spark-aware: a budget that only covers Spark drivers may block evictions.
local function min_replicas(ctx, w)
	local ns, name = ctx:namespace(w), kube.name(w)
	for _, hpa in ipairs(ctx:objects("HorizontalPodAutoscaler")) do
		local ref = kube.get(hpa, "spec", "scaleTargetRef")
		if ctx:namespace(hpa) == ns and kube.get(ref, "kind") == w.kind and kube.get(ref, "name") == name then
			return kube.int(kube.get(hpa, "spec", "minReplicas")) or 1
		end
	end
	for _, so in ipairs(ctx:objects("ScaledObject")) do
		local ref = kube.get(so, "spec", "scaleTargetRef")
		if ctx:namespace(so) == ns and (kube.get(ref, "kind") or "Deployment") == w.kind and kube.get(ref, "name") == name then
			return kube.int(kube.get(so, "spec", "minReplicaCount")) or 0
		end
	end
	return kube.int(kube.get(w, "spec", "replicas")) or 1
end

-- Deployments and StatefulSets the budget covers: kube-linter compares the
-- budget's selector with the workload's own selector labels.
local function check_pdb(ctx, pdb, ma, sel)
	local ns = ctx:namespace(pdb)
	for _, kind in ipairs({ "Deployment", "StatefulSet" }) do
		for _, w in ipairs(ctx:objects(kind)) do
			if ctx:namespace(w) == ns then
				local wsel = kube.tab(kube.get(w, "spec", "selector", "matchLabels"))
				if kube.selects(sel, wsel or kube.pod_labels(w)) then
					local r = min_replicas(ctx, w)
					local need = kube.int(ma)
					local pct = type(ma) == "string" and tonumber(ma:match("^(%d+)%%$"))
					if pct then
						need = math.ceil(pct * r / 100)
					end
					if need and r <= need then
						ctx:report{ obj = pdb, path = { "spec", "minAvailable" },
							message = string.format("the replicas of %s (%d) are not above the minAvailable %s of %s: its pods can never be evicted",
								kube.describe(w), r, kube.text(ma) or "?", kube.describe(pdb)) }
						return
					end
				end
			end
		end
	end
end

return {
	id = "pdb-min-available",
	severity = "warning",
	category = "reliability",
	description = "PodDisruptionBudget's minAvailable is not below the replica count of the workload it covers",
	hint = "lower minAvailable below the workload's (minimum) replica count, or raise the replicas",
	finish = function(ctx)
		local idx = nil
		for _, pdb in ipairs(ctx:objects("PodDisruptionBudget")) do
			local ma = kube.get(pdb, "spec", "minAvailable")
			local sel = kube.get(pdb, "spec", "selector")
			if ma ~= nil and kube.tab(sel) then
				idx = idx or kube.label_index(ctx)
				if not spark.pdb_covers_only_drivers(ctx, pdb, idx) then
					check_pdb(ctx, pdb, ma, sel)
				end
			end
		end
	end,
}
