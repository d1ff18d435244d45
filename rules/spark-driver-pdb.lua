-- rules/spark-driver-pdb.lua: a PodDisruptionBudget over the driver must
-- actually block voluntary evictions (L31).

-- Kinds the disruption controller can take a percentage of: they have a
-- scale subresource.  A Job (so a CronJob's pods too) has none, and a bare
-- Pod no controller at all.
local SCALABLE = {
	Deployment = true, StatefulSet = true, ReplicaSet = true,
	ReplicationController = true, DeploymentConfig = true,
}

-- A percentage "N%" as the integer N, else nil.
local function percent(v)
	local n = type(v) == "string" and v:match("^(%d+)%%$")	-- (as the API server: no blanks)
	return n and math.tointeger(tonumber(n)) or nil
end

-- Why Kubernetes cannot take the maxUnavailable `mu` for the driver `obj`,
-- else nil: the disruption controller takes any maxUnavailable, as it does a
-- percentage, of the replicas of the pod's controller, which a bare pod does
-- not have and a Job cannot give (no scale subresource).
local function unscaled_mu(obj, mu)
	local text = kube.text(mu) or "?"
	if obj.kind == "Pod" then
		return string.format("maxUnavailable is %s: Kubernetes supports only an integer "
			.. "minAvailable for a bare pod: it takes maxUnavailable of the replicas of "
			.. "the pod's controller and a bare pod has none, so the budget expects 0 "
			.. "pods and holds drains only by that; use minAvailable: 1", text)
	elseif not SCALABLE[obj.kind] then
		local kind = obj.kind == "CronJob" and "Job" or obj.kind
		return string.format("maxUnavailable is %s: Kubernetes supports only an integer "
			.. "minAvailable for the pods of a %s: it takes maxUnavailable of the replicas "
			.. "of the pod's controller and a %s has no scale subresource, so the budget "
			.. "fails to sync and holds drains only by its fail-safe; use minAvailable: 1",
			text, kind, kind)
	end
	return nil
end

-- nil when the budget blocks voluntary evictions of the driver `obj`, else
-- why it does not, as text.
local function problem(obj, mu, ma)
	local set = mu ~= nil and mu or ma
	if mu ~= nil and ma ~= nil then
		return "sets both maxUnavailable and minAvailable: the API server refuses the budget"
	elseif (kube.int(set) or 0) < 0 then
		return string.format("%s is %s, below 0: the API server refuses the budget",
			mu ~= nil and "maxUnavailable" or "minAvailable", kube.text(set) or "?")
	elseif type(set) == "string" and percent(set) == nil then	-- ("1", " 50%")
		return string.format("%s is '%s', neither an integer nor a percentage such as "
			.. "\"50%%\": the API server refuses the budget",
			mu ~= nil and "maxUnavailable" or "minAvailable", set)
	elseif (percent(set) or 0) > 100 then	-- ("150%": IsNotMoreThan100Percent)
		return string.format("%s is %s, more than 100%%: the API server refuses the budget",
			mu ~= nil and "maxUnavailable" or "minAvailable", set)
	end
	if mu ~= nil then
		local why = unscaled_mu(obj, mu)
		if why or kube.int(mu) == 0 or percent(mu) == 0 then
			return why
		end
		return string.format("maxUnavailable is %s: a drain still evicts the only driver",
			kube.text(mu) or "?")
	elseif ma == nil then
		return "sets neither maxUnavailable nor minAvailable: a drain still evicts the only driver"
	end
	local p = percent(ma)
	if p == nil then
		if (kube.int(ma) or 0) >= 1 then
			return nil
		end
		return string.format("minAvailable is %s: a drain still evicts the only driver",
			kube.text(ma) or "?")
	end
	-- Kubernetes takes a percentage of the replicas of the pod's
	-- controller, rounding up: any N% > 0 of one driver is 1.
	if obj.kind == "Pod" then
		return string.format("minAvailable is %s: Kubernetes takes a percentage of the "
			.. "replicas of the pod's controller and a bare pod has none, so the budget "
			.. "expects 0 pods and holds drains only by that; use minAvailable: 1", ma)
	elseif not SCALABLE[obj.kind] then
		return string.format("minAvailable is %s: Kubernetes takes a percentage of the "
			.. "replicas of the pod's controller and a %s has no scale subresource, so "
			.. "the budget fails to sync and holds drains only by its fail-safe; "
			.. "use minAvailable: 1", ma, obj.kind == "CronJob" and "Job" or obj.kind)
	elseif p == 0 then
		return "minAvailable is 0%: a drain still evicts the only driver"
	end
	return nil
end

-- The kinds whose driver pods a budget can hold: every workload kind but
-- PodTemplate, which creates no pods (what a budget does to the pods made
-- from it depends on the controller that copies it, which is not known).
local KINDS = {}
for _, k in ipairs(kube.workload_kinds()) do
	if k ~= "PodTemplate" then
		KINDS[#KINDS + 1] = k
	end
end

local function check_driver(ctx, obj, pdbs)
	local labels = kube.pod_labels(obj)
	for _, pdb in ipairs(pdbs) do
		if kube.selects(kube.get(pdb, "spec", "selector"), labels) then
			local mu = kube.get(pdb, "spec", "maxUnavailable")
			local ma = kube.get(pdb, "spec", "minAvailable")
			local why = problem(obj, mu, ma)
			if why then
				local key = mu ~= nil and "maxUnavailable" or (ma ~= nil and "minAvailable" or nil)
				ctx:report{ obj = pdb, path = key and { "spec", key } or { "spec" },
					message = string.format("%s selects Spark driver %s but %s",
						kube.describe(pdb), kube.describe(obj), why) }
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
	hint = "use minAvailable: 1 in the driver's PodDisruptionBudget (maxUnavailable: 0 works only for a StatefulSet or Deployment driver)",
	kinds = KINDS,
	check = function(obj, ctx)
		if spark.client_driver(obj, ctx) then
			check_driver(ctx, obj, pdb_index(ctx)[ctx:namespace(obj)] or {})
		end
	end,
}
