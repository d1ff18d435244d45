-- rules/pdb-max-unavailable.lua: kube-linter's pdb-max-unavailable check,
-- Spark-aware: a budget that only covers Spark drivers may block evictions.
--
-- check() collects each budget with maxUnavailable 0, and the pod labels of
-- the workloads of those budgets' namespaces and whether each is a driver
-- (kube.pod_entry); finish() reports the budgets whose pods are not all
-- drivers, so no Lua state derives every workload.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "PodDisruptionBudget"

local function zero_mu(pdb)
	local mu = kube.get(pdb, "spec", "maxUnavailable")
	return mu ~= nil and (kube.int(mu) == 0 or mu == "0%")
end

return {
	id = "pdb-max-unavailable",
	severity = "warning",
	category = "reliability",
	description = "PodDisruptionBudget has maxUnavailable 0, which blocks every voluntary eviction",
	hint = "allow at least one pod to be unavailable, or use minAvailable",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind ~= "PodDisruptionBudget" then
			spark.collect_budget_pod(ctx, obj, "pdb-max-unavailable.namespaces", zero_mu)
			return
		end
		if zero_mu(obj) then
			ctx:collect({ pdb = obj, ns = ctx:namespace(obj) })
		end
	end,
	finish = function(ctx)
		for _, v in ipairs(spark.budgets_not_only_drivers(ctx:collected())) do
			ctx:report{ obj = v.pdb, path = { "spec", "maxUnavailable" },
				message = string.format("maxUnavailable of %s is 0: node drains can never evict its pods", kube.describe(v.pdb)) }
		end
	end,
}
