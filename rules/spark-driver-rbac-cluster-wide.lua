-- rules/spark-driver-rbac-cluster-wide.lua: least privilege for the driver
-- (L24); Banzai's 2018 charts bound the Spark account to `edit` cluster-wide.
-- check() collects each driver's broad cluster-wide grants; finish() reports
-- each binding once, naming the first driver in kind (kube.WORKLOADS), then
-- document order, as a loop over spark.drivers would.

-- Position of each workload kind in kube.WORKLOADS.
local RANK = {}
for i, k in ipairs(kube.WORKLOADS) do
	RANK[k] = i
end

return {
	id = "spark-driver-rbac-cluster-wide",
	severity = "warning",
	category = "security",
	description = "a Spark driver's service account is bound cluster-wide to edit, admin or cluster-admin",
	hint = "replace the ClusterRoleBinding with a namespaced Role and RoleBinding granting only what the driver needs",
	kinds = kube.workload_kinds(),
	check = function(d, ctx)
		if not spark.is_driver(d) then
			return
		end
		local ns, sa = ctx:namespace(d), kube.service_account(d)
		for _, e in ipairs(kube.sa_bindings(ctx, ns, sa, kube.binding_index(ctx))) do
			if e.cluster and e.role_kind == "ClusterRole" and kube.BROAD_CLUSTER_ROLES[e.role_name or ""] then
				ctx:collect({ binding = e.binding, rank = RANK[d.kind], role = e.role_name,
					ns = ns, sa = sa, driver = kube.describe(d) })
			end
		end
	end,
	finish = function(ctx)
		-- Collected values come in document order: the first of the lowest
		-- rank is the one spark.drivers lists first.
		local first, order = {}, {}
		for _, c in ipairs(ctx:collected()) do
			local f = first[c.binding]
			if not f then
				order[#order + 1] = c.binding
				first[c.binding] = c
			elseif c.rank < f.rank then
				first[c.binding] = c
			end
		end
		for _, b in ipairs(order) do
			local c = first[b]
			ctx:report{ obj = b, path = { "roleRef", "name" },
				message = string.format("%s grants ClusterRole '%s' in every namespace to service account '%s/%s' of Spark driver %s",
					kube.describe(b), c.role, c.ns, c.sa, c.driver) }
		end
	end,
}
