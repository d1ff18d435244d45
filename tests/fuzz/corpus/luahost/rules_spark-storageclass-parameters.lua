-- rules/spark-storageclass-parameters.lua: file-storage classes have the
-- parameters their provisioners need, and claims meet the size minimums
-- (L14).
local GIB = 1024 ^ 3

-- GKE's built-in Filestore classes and their tiers.
local GKE_FILESTORE = { ["standard-rwx"] = "standard", ["premium-rwx"] = "premium",
	["enterprise-rwx"] = "enterprise" }

local function param(sc, name)
	for k, v in sk.sorted_pairs(kube.tab(sc.parameters) or {}) do
		if type(k) == "string" and k:lower() == name:lower() then
			return kube.text(v), k
		end
	end
	return nil
end

local function check_class(obj, ctx)
	local prov = kube.str(obj.provisioner) or ""
	if prov == "efs.csi.aws.com" then
		local mode = param(obj, "provisioningMode")
		if mode ~= "efs-ap" then
			ctx:report{ obj = obj, path = mode and { "parameters", "provisioningMode" } or { "provisioner" },
				message = string.format("EFS %s needs parameters.provisioningMode 'efs-ap' for dynamic provisioning, not %s",
					kube.describe(obj), mode and ("'" .. mode .. "'") or "unset") }
		end
		local missing = {}
		for _, key in ipairs({ "fileSystemId", "directoryPerms" }) do
			if not param(obj, key) then
				missing[#missing + 1] = key
			end
		end
		if #missing > 0 then
			ctx:report{ obj = obj, path = kube.tab(obj.parameters) and { "parameters" } or { "provisioner" },
				message = string.format("EFS %s lacks parameters %s", kube.describe(obj), table.concat(missing, ", ")) }
		end
	elseif prov == "file.csi.azure.com" or prov == "kubernetes.io/azure-file" then
		local proto = param(obj, "protocol")
		local sku, skey = param(obj, "skuName")
		if proto and proto:lower() == "nfs" and not (sku and sku:match("^Premium")) then
			ctx:report{ obj = obj, path = sku and { "parameters", skey } or { "parameters", "protocol" },
				message = string.format("Azure File %s uses protocol nfs, which needs a Premium SKU, not %s",
					kube.describe(obj), sku and ("'" .. sku .. "'") or "the default Standard_LRS") }
		end
	end
end

local function check_claim(obj, ctx)
	local cls = kube.str(kube.get(obj, "spec", "storageClassName"))
	local size = kube.pvc_size(obj)
	if not cls or not size then
		return
	end
	local sc = ctx:find("StorageClass", cls)
	local mins = ctx.options.filestoreMinimum or {}
	local prov, tier
	if sc then
		prov = kube.str(sc.provisioner)
		tier = (param(sc, "tier") or "standard"):lower()
	elseif GKE_FILESTORE[cls] then
		prov, tier = "filestore.csi.storage.gke.io", GKE_FILESTORE[cls]
	end
	local path = { "spec", "resources", "requests", "storage" }
	if prov == "filestore.csi.storage.gke.io" then
		local min = mins[tier] and k8s.quantity(kube.text(mins[tier]))
		if min and size < min then
			ctx:report{ obj = obj, path = path,
				message = string.format("%s requests %s from Filestore tier '%s' (class '%s'), below the tier minimum %s: provisioning fails",
					kube.describe(obj), kube.text(kube.get(obj, "spec", "resources", "requests", "storage")),
					tier, cls, kube.text(mins[tier])) }
		end
	elseif sc and (prov == "file.csi.azure.com" or prov == "kubernetes.io/azure-file") then
		local sku = param(sc, "skuName") or ""
		if sku:match("^Premium") and size < 100 * GIB then
			ctx:report{ obj = obj, path = path,
				message = string.format("%s requests %s from premium Azure File class '%s'; premium shares are at least 100Gi",
					kube.describe(obj), kube.text(kube.get(obj, "spec", "resources", "requests", "storage")), cls) }
		end
	end
end

return {
	id = "spark-storageclass-parameters",
	severity = "error",
	category = "correctness",
	description = "EFS, Azure File or Filestore storage is missing a required parameter or below its size minimum",
	hint = "EFS: provisioningMode efs-ap, fileSystemId, directoryPerms; Azure File NFS: a Premium SKU; Filestore and premium Azure File: request at least the tier minimum",
	kinds = { "StorageClass", "PersistentVolumeClaim" },
	options = { filestoreMinimum = { standard = "1Ti", basic_hdd = "1Ti", premium = "2560Gi", basic_ssd = "2560Gi",
		enterprise = "1Ti", zonal = "1Ti", regional = "1Ti" } },
	check = function(obj, ctx)
		if obj.kind == "StorageClass" then
			check_class(obj, ctx)
		else
			check_claim(obj, ctx)
		end
	end,
}
