-- rules/pdb-max-unavailable.lua: kube-linter's pdb-max-unavailable check,
-- Spark-aware: a budget that only covers Spark drivers may block evictions.
return {
	id = "pdb-max-unavailable",
	severity = "warning",
	category = "reliability",
	description = "PodDisruptionBudget has maxUnavailable 0, which blocks every voluntary eviction",
	hint = "allow at least one pod to be unavailable, or use minAvailable",
	finish = function(ctx)
		local wl = nil
		for _, obj in ipairs(ctx:objects("PodDisruptionBudget")) do
			local mu = kube.get(obj, "spec", "maxUnavailable")
			if mu ~= nil and (kube.int(mu) == 0 or mu == "0%") then
				wl = wl or kube.label_index(ctx)
				if not spark.pdb_covers_only_drivers(ctx, obj, wl) then
					ctx:report{ obj = obj, path = { "spec", "maxUnavailable" },
						message = string.format("maxUnavailable of %s is 0: node drains can never evict its pods", kube.describe(obj)) }
				end
			end
		end
	end,
}
