-- rules/no-anti-affinity.lua: kube-linter's no-anti-affinity check.
local function terms(aa)
	local out = {}
	for _, t in ipairs(kube.list(kube.get(aa, "requiredDuringSchedulingIgnoredDuringExecution"))) do
		out[#out + 1] = t
	end
	for _, w in ipairs(kube.list(kube.get(aa, "preferredDuringSchedulingIgnoredDuringExecution"))) do
		local t = kube.get(w, "podAffinityTerm")
		if t then
			out[#out + 1] = t
		end
	end
	return out
end

-- Does a term's labelSelector select the pods?  An empty one ({}) selects
-- every pod; a missing or null one none (the Kubernetes API's reading).
local function selects(sel, labels)
	sel = kube.tab(sel)
	return sel ~= nil and (next(sel) == nil or kube.selects(sel, labels))
end

return {
	id = "no-anti-affinity",
	severity = "info",
	category = "reliability",
	description = "workload with several replicas has no pod anti-affinity spreading them over nodes",
	hint = "add spec.template.spec.affinity.podAntiAffinity with topologyKey kubernetes.io/hostname selecting the pods",
	kinds = { "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DeploymentConfig" },
	options = { minReplicas = 2, topologyKey = "kubernetes.io/hostname" },
	check = function(obj, ctx)
		local replicas = kube.int(kube.get(obj, "spec", "replicas")) or 1
		if replicas < (kube.int(ctx.options.minReplicas) or 2) then
			return
		end
		local p = kube.pod(obj)
		local labels = kube.pod_labels(obj)
		local ns = ctx:namespace(obj)
		local topo = ctx.options.topologyKey or "kubernetes.io/hostname"
		local ts = terms(kube.get(p.spec, "affinity", "podAntiAffinity"))
		local other_ns = false
		for _, t in ipairs(ts) do
			if kube.get(t, "topologyKey") == topo and selects(kube.get(t, "labelSelector"), labels) then
				local nss = kube.list(kube.get(t, "namespaces"))
				if #nss == 0 then
					return
				end
				for _, n in ipairs(nss) do
					if n == ns then
						return
					end
				end
				other_ns = true
			end
		end
		if other_ns then
			ctx:report{ obj = obj, path = kube.path(p.path, "affinity", "podAntiAffinity"),
				message = string.format("the namespace '%s' of %s is not among its anti-affinity term's namespaces", ns, kube.describe(obj)) }
		elseif #ts > 0 then
			ctx:report{ obj = obj, path = kube.path(p.path, "affinity", "podAntiAffinity"),
				message = string.format("%s has %d replicas but none of its pod anti-affinity terms selects its own pods with topologyKey '%s'",
					kube.describe(obj), replicas, topo) }
		else
			ctx:report{ obj = obj, path = { "spec", "replicas" },
				message = string.format("%s has %d replicas but does not specify inter-pod anti-affinity", kube.describe(obj), replicas) }
		end
	end,
}
