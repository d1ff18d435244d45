-- rules/spark-checkpoint-volume-missing.lua: a driver Job (or opted-in
-- StatefulSet, or a spark-operator SparkApplication) must keep its
-- checkpoint on a PersistentVolumeClaim (L25 in the domain reference).
--
-- The driver container needs a volumeMount backed by a persistentVolumeClaim
-- volume (or, in a StatefulSet, by one of its volumeClaimTemplates), and
-- every local checkpoint location (conf or application argument) must lie
-- under such a mount.  emptyDir, hostPath and generic ephemeral volumes die
-- with the pod or the node.  A checkpoint on a remote file system (s3a://,
-- hdfs://, abfss://, gs://, ...) needs no volume.  A SparkApplication is
-- judged by its checkpoint locations only (check_app).

-- The API group of each kind checked (a CRD of the same kind is not one).
local GROUP = { Job = "batch", StatefulSet = "apps" }

-- Split mounts given by Spark confs (spark.conf_mounts, spark.app_mounts)
-- into those on a persistentVolumeClaim and the others.  An OnDemand claim
-- (spark.kubernetes.driver.volumes.persistentVolumeClaim.<n>.options.
-- claimName=OnDemand) is made for the driver pod and deleted with it, so it
-- holds no checkpoint.
local function split_conf_mounts(mounts)
	local pvc, other = {}, {}
	for _, m in ipairs(mounts) do
		if m.on_demand then
			other[#other + 1] = { mount_path = m.mount_path, desc = "an OnDemand claim (made for the driver pod and deleted with it)" }
		elseif m.vtype == "persistentVolumeClaim" then
			pvc[#pvc + 1] = m
		else
			other[#other + 1] = m
		end
	end
	return pvc, other
end

local function pvc_mounts(ctx, obj, ce, cluster_conf)
	if cluster_conf then
		-- cluster mode: the driver pod's volumes come from spark confs
		return split_conf_mounts(spark.conf_mounts(cluster_conf, "driver"))
	end
	local pvc, other = {}, {}
	local tmpl = spark.claim_templates(obj)
	for _, m in ipairs(kube.mounts(obj, ce)) do
		if m.mount_path then
			if m.vtype == "persistentVolumeClaim" or tmpl[kube.str(m.m.name) or ""] then
				pvc[#pvc + 1] = m
			else
				other[#other + 1] = m
			end
		end
	end
	return pvc, other
end

-- Describe why a path is not durable: the non-PVC mount it sits under (its
-- desc, else its volume type).
local function where(path, other)
	local best
	for _, m in ipairs(other) do
		if kube.path_under(path, m.mount_path) and (not best or #m.mount_path > #best.mount_path) then
			best = m
		end
	end
	if best and best.desc then
		return string.format("is on %s mounted at '%s'", best.desc, best.mount_path)
	elseif best then
		local vt = best.vtype or "non-persistent"
		return string.format("is on %s %s volume mounted at '%s'", vt:match("^[aeiou]") and "an" or "a", vt, best.mount_path)
	end
	return "is on the container's ephemeral file system"
end

-- A SparkApplication: each local checkpoint location must lie under a
-- persistentVolumeClaim mount of its driver (spark.app_mounts).  One with
-- no checkpoint location is not judged: the operator runs batch apps too.
-- Nor is one whose driver pod template is a file (podTemplateFile), whose
-- volumes are not seen, or an unknown location (a ${env:X} the driver's
-- env in the YAML does not give, see spark.app_checkpoints).  An OnDemand
-- claim holds no checkpoint (split_conf_mounts).
local function check_app(ctx, obj)
	local cks = spark.app_checkpoints(ctx, obj)
	if #cks == 0 or spark.get(spark.conf(ctx, obj, nil), "spark.kubernetes.driver.podTemplateFile") then
		return
	end
	local pvc, other = split_conf_mounts(spark.app_mounts(ctx, obj, "driver"))
	for _, ck in ipairs(cks) do
		local lp = not ck.unknown and spark.local_path(ck.value)
		local ok = not lp
		for _, m in ipairs(ok and {} or pvc) do
			if kube.path_under(lp, m.mount_path) then
				ok = true
			end
		end
		if not ok then
			ctx:report{ obj = obj, path = ck.path,
				message = string.format("checkpoint '%s' (%s) of %s %s, not under a persistentVolumeClaim mount of its driver",
					ck.value, ck.key, kube.describe(obj), where(lp, other)),
				hint = "declare the claim in spec.volumes, mount it with spec.driver.volumeMounts, and put the checkpoint location under its mountPath" }
		end
	end
end

-- Unmounted PVC volumes of the pod, for the message (then unmounted
-- volumeClaimTemplates of a StatefulSet).
local function unmounted_claims(obj, ce)
	local mounted = {}
	for _, m in ipairs(kube.mounts(obj, ce)) do
		mounted[kube.str(m.m.name) or ""] = true
	end
	local names = {}
	local p = kube.pod(obj)
	for _, v in ipairs(kube.list(p and p.spec and p.spec.volumes)) do
		local n = kube.str(kube.get(v, "name"))
		if n and kube.tab(kube.get(v, "persistentVolumeClaim")) and not mounted[n] then
			mounted[n] = true
			names[#names + 1] = string.format("volume '%s'", n)
		end
	end
	if obj.kind == "StatefulSet" then
		for _, t in ipairs(kube.list(kube.get(obj, "spec", "volumeClaimTemplates"))) do
			local n = kube.str(kube.get(t, "metadata", "name"))
			if n and not mounted[n] then
				mounted[n] = true
				names[#names + 1] = string.format("volumeClaimTemplate '%s'", n)
			end
		end
	end
	return names
end

return {
	id = "spark-checkpoint-volume-missing",
	severity = "error",
	category = "reliability",
	description = "Spark driver Job, StatefulSet or SparkApplication keeps its checkpoint off a PersistentVolumeClaim mount",
	hint = "mount a persistentVolumeClaim volume in the driver container and put the checkpoint location under its mountPath",
	kinds = { "Job", "StatefulSet", "SparkApplication" },
	check = function(obj, ctx)
		if obj.kind == "SparkApplication" then
			return check_app(ctx, obj)
		end
		if kube.group(obj) ~= GROUP[obj.kind] or not spark.is_driver(obj) then
			return
		end
		local ce = spark.driver_container(obj)
		if not ce then
			return
		end
		local mode = spark.deploy_mode(ce, ctx, obj)
		local cluster_conf = (mode == "cluster") and spark.conf(ctx, obj, ce) or nil
		local pvc, other = pvc_mounts(ctx, obj, ce, cluster_conf)
		-- remote: locations not judged here, in object storage or HDFS, or
		-- unknown (a reference the YAML does not resolve)
		local locals, lpath, remote = {}, {}, 0	-- helper results are shared: no writes
		for _, ck in ipairs(spark.checkpoints(ctx, obj, ce)) do
			local lp = not ck.unknown and spark.local_path(ck.value)
			if lp then
				lpath[ck] = lp
				locals[#locals + 1] = ck
			else
				remote = remote + 1
			end
		end
		if #locals == 0 and spark.is_server(obj) then
			return	-- a Thrift, Connect or history server with no checkpoint of its own
		end
		local cname = ce.name or "?"
		if #pvc == 0 then
			if remote > 0 and #locals == 0 then
				return	-- the checkpoint lives in object storage / HDFS
			end
			local detail
			if #locals > 0 then
				detail = string.format("checkpoint '%s' (%s) %s", locals[1].value, locals[1].key,
					where(lpath[locals[1]], other))
			else
				detail = "no checkpoint location is configured either"
			end
			local un = unmounted_claims(obj, ce)
			if #un > 0 and not cluster_conf then
				detail = detail .. string.format("; %s %s declared but not mounted", table.concat(un, ", "),
					#un == 1 and "is" or "are")
			end
			ctx:report{ obj = obj, path = ce.path,
				message = string.format("Spark driver container '%s' of %s mounts no persistentVolumeClaim volume: %s",
					cname, kube.describe(obj), detail) }
			return
		end
		for _, ck in ipairs(locals) do
			local ok = false
			for _, m in ipairs(pvc) do
				if kube.path_under(lpath[ck], m.mount_path) then
					ok = true
				end
			end
			if not ok then
				local target_obj, target_path = obj, ce.path
				if ck.obj == obj then
					target_path = ck.path
				end
				ctx:report{ obj = target_obj, path = target_path,
					message = string.format("checkpoint '%s' (%s) of Spark driver container '%s' %s, not under a persistentVolumeClaim mount",
						ck.value, ck.key, cname, where(lpath[ck], other)) }
			end
		end
	end,
}
