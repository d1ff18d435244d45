-- rules/spark-driver-rbac-cluster-wide.lua: least privilege for the driver
-- (L24); Banzai's 2018 charts bound the Spark account to `edit` cluster-wide.
return {
	id = "spark-driver-rbac-cluster-wide",
	severity = "warning",
	category = "security",
	description = "a Spark driver's service account is bound cluster-wide to edit, admin or cluster-admin",
	hint = "replace the ClusterRoleBinding with a namespaced Role and RoleBinding granting only what the driver needs",
	finish = function(ctx)
		local idx = kube.binding_index(ctx)
		local done = {}
		for _, d in ipairs(spark.drivers(ctx)) do
			local ns, sa = ctx:namespace(d), kube.service_account(d)
			for _, e in ipairs(kube.sa_bindings(ctx, ns, sa, idx)) do
				if e.cluster and e.role_kind == "ClusterRole" and kube.BROAD_CLUSTER_ROLES[e.role_name or ""]
					and not done[e.binding] then
					done[e.binding] = true
					ctx:report{ obj = e.binding, path = { "roleRef", "name" },
						message = string.format("%s grants ClusterRole '%s' in every namespace to service account '%s/%s' of Spark driver %s",
							kube.describe(e.binding), e.role_name, ns, sa, kube.describe(d)) }
				end
			end
		end
	end,
}
