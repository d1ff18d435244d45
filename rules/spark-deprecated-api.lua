-- rules/spark-deprecated-api.lua: API versions that current clusters no
-- longer serve (L15).  The old Spark manifests (shuffle DaemonSet, staging
-- server, Banzai charts) were written against several of them.
local REMOVED = {
	-- group/version = { removed in, replacement }; BY_KIND below is what
	-- a kind of these versions was removed in and replaced by, where that
	-- differs among their kinds
	["extensions/v1beta1"] = { "1.16/1.22", "apps/v1 (workloads), networking.k8s.io/v1 (Ingress, NetworkPolicy)" },
	["apps/v1beta1"] = { "1.16", "apps/v1" },
	["apps/v1beta2"] = { "1.16", "apps/v1" },
	["rbac.authorization.k8s.io/v1beta1"] = { "1.22", "rbac.authorization.k8s.io/v1" },
	["rbac.authorization.k8s.io/v1alpha1"] = { "1.22", "rbac.authorization.k8s.io/v1" },
	["policy/v1beta1"] = { "1.25", "policy/v1 (PodDisruptionBudget); PodSecurityPolicy was removed: use Pod Security admission" },
	["batch/v1beta1"] = { "1.25", "batch/v1" },
	["batch/v2alpha1"] = { "1.21", "batch/v1" },
	["networking.k8s.io/v1beta1"] = { "1.22", "networking.k8s.io/v1" },
	["storage.k8s.io/v1beta1"] = { "1.22/1.27", "storage.k8s.io/v1" },
	["scheduling.k8s.io/v1beta1"] = { "1.22", "scheduling.k8s.io/v1" },
	["scheduling.k8s.io/v1alpha1"] = { "1.22", "scheduling.k8s.io/v1" },
	["admissionregistration.k8s.io/v1beta1"] = { "1.22", "admissionregistration.k8s.io/v1" },
	["apiextensions.k8s.io/v1beta1"] = { "1.22", "apiextensions.k8s.io/v1" },
	["certificates.k8s.io/v1beta1"] = { "1.22", "certificates.k8s.io/v1" },
	["coordination.k8s.io/v1beta1"] = { "1.22", "coordination.k8s.io/v1" },
	["autoscaling/v2beta1"] = { "1.25", "autoscaling/v2" },
	["autoscaling/v2beta2"] = { "1.26", "autoscaling/v2" },
	["discovery.k8s.io/v1beta1"] = { "1.25", "discovery.k8s.io/v1" },
	["events.k8s.io/v1beta1"] = { "1.25", "events.k8s.io/v1" },
	["node.k8s.io/v1beta1"] = { "1.25", "node.k8s.io/v1" },
	["flowcontrol.apiserver.k8s.io/v1beta1"] = { "1.26", "flowcontrol.apiserver.k8s.io/v1" },
	["flowcontrol.apiserver.k8s.io/v1beta2"] = { "1.29", "flowcontrol.apiserver.k8s.io/v1" },
}

-- { removed in, replacement }, or { removed in, nil, what to do instead }
-- when the kind is gone from every version
local PSP_GONE = "PodSecurityPolicy itself was removed in 1.25: use Pod Security admission"
local BY_KIND = {
	["extensions/v1beta1"] = {
		DaemonSet = { "1.16", "apps/v1" },
		Deployment = { "1.16", "apps/v1" },
		ReplicaSet = { "1.16", "apps/v1" },
		NetworkPolicy = { "1.16", "networking.k8s.io/v1" },
		PodSecurityPolicy = { "1.16", nil, PSP_GONE },
		Ingress = { "1.22", "networking.k8s.io/v1" },
	},
	["policy/v1beta1"] = {
		PodDisruptionBudget = { "1.25", "policy/v1" },
		PodSecurityPolicy = { "1.25", nil, PSP_GONE },
	},
	["storage.k8s.io/v1beta1"] = {
		CSIDriver = { "1.22", "storage.k8s.io/v1" },
		CSINode = { "1.22", "storage.k8s.io/v1" },
		StorageClass = { "1.22", "storage.k8s.io/v1" },
		VolumeAttachment = { "1.22", "storage.k8s.io/v1" },
		CSIStorageCapacity = { "1.27", "storage.k8s.io/v1" },
	},
}

-- check() only sees documents of these versions: nothing else is converted.
local VERSIONS = {}
for av in pairs(REMOVED) do VERSIONS[#VERSIONS + 1] = av end
table.sort(VERSIONS)

return {
	id = "spark-deprecated-api",
	severity = "error",
	category = "correctness",
	description = "object uses an API version that Kubernetes no longer serves",
	hint = "move the object to the stable API version (apps/v1, batch/v1, policy/v1, rbac.authorization.k8s.io/v1, ...)",
	apiVersions = VERSIONS,
	check = function(obj, ctx)
		local av = kube.api_version(obj)
		local r = BY_KIND[av] and BY_KIND[av][obj.kind] or REMOVED[av]
		ctx:report{ obj = obj, path = { "apiVersion" },
			message = string.format("%s uses apiVersion '%s', removed in Kubernetes %s; %s",
				kube.describe(obj), av, r[1], r[2] and "use " .. r[2] or r[3]) }
	end,
}
