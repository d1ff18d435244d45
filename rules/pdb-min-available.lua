-- rules/pdb-min-available.lua: kube-linter's pdb-min-available check,
-- Spark-aware: a budget that only covers Spark drivers may block evictions.
--
-- check() judges each budget against the Deployments and StatefulSets of its
-- namespace and collects the finding it would make, and collects the pod
-- labels of the workloads of those namespaces and whether each is a driver
-- (kube.pod_entry); finish() reports the findings of the budgets whose pods
-- are not all drivers, so no Lua state derives every workload.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "PodDisruptionBudget"

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
-- budget's selector with the workload's own selector labels.  The message
-- of the finding, or nil.
local function check_pdb(ctx, pdb, ma, sel)
	local ns = ctx:namespace(pdb)
	for _, kind in ipairs({ "Deployment", "StatefulSet" }) do
		for _, w in ipairs(ctx:objects(kind, ns)) do
			local wsel = kube.tab(kube.get(w, "spec", "selector", "matchLabels"))
			if kube.selects(sel, wsel or kube.pod_labels(w)) then
				local r = min_replicas(ctx, w)
				local need = kube.int(ma)
				local pct = type(ma) == "string" and tonumber(ma:match("^(%d+)%%$"))
				if pct then
					need = math.ceil(pct * r / 100)
				end
				if need and r <= need then
					return string.format("the replicas of %s (%d) are not above the minAvailable %s of %s: its pods can never be evicted",
						kube.describe(w), r, kube.text(ma) or "?", kube.describe(pdb))
				end
			end
		end
	end
	return nil
end

-- minAvailable and the selector of a budget that has both, else nil.
local function budget(pdb)
	local ma = kube.get(pdb, "spec", "minAvailable")
	local sel = kube.get(pdb, "spec", "selector")
	if ma ~= nil and kube.tab(sel) then
		return ma, sel
	end
	return nil
end
local function has_budget(pdb)
	return budget(pdb) ~= nil
end

return {
	id = "pdb-min-available",
	severity = "warning",
	category = "reliability",
	description = "PodDisruptionBudget's minAvailable is not below the replica count of the workload it covers",
	hint = "lower minAvailable below the workload's (minimum) replica count, or raise the replicas",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind ~= "PodDisruptionBudget" then
			spark.collect_budget_pod(ctx, obj, "pdb-min-available.namespaces", has_budget)
			return
		end
		local ma, sel = budget(obj)
		if ma ~= nil then
			local msg = check_pdb(ctx, obj, ma, sel)
			if msg then
				ctx:collect({ pdb = obj, ns = ctx:namespace(obj), message = msg })
			end
		end
	end,
	finish = function(ctx)
		for _, v in ipairs(spark.budgets_not_only_drivers(ctx:collected())) do
			ctx:report{ obj = v.pdb, path = { "spec", "minAvailable" }, message = v.message }
		end
	end,
}
