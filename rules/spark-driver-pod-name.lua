-- rules/spark-driver-pod-name.lua: spark.kubernetes.driver.pod.name is the
-- driver's actual pod name, from the downward API (L20).
local function fixed_name_ok(obj, value)
	local name = kube.name(obj)
	if obj.kind == "Pod" then
		return value == name
	elseif obj.kind == "StatefulSet" then
		return name ~= nil and value == name .. "-0"
	end
	return false
end

return {
	id = "spark-driver-pod-name",
	severity = "error",
	category = "correctness",
	description = "spark.kubernetes.driver.pod.name of an in-cluster Spark driver is not its real pod name",
	hint = "pass --conf spark.kubernetes.driver.pod.name=$(POD_NAME) with env POD_NAME from fieldRef metadata.name",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local ce = spark.client_driver_spec(obj, ctx)	-- (a PodTemplate's too: its copies carry this container)
		if not ce or not spark.submit(ce) or spark.other_master(ctx, obj, ce) then
			return	-- (no executor pods without a Kubernetes master)
		end
		local conf = spark.conf(ctx, obj, ce)
		local e = conf["spark.kubernetes.driver.pod.name"]
		if not e then
			ctx:report{ obj = obj, path = ce.path, severity = "warning",
				message = string.format("Spark driver %s does not set spark.kubernetes.driver.pod.name: its executors get no ownerReference and outlive a failed driver",
					kube.describe(obj)) }
			return
		end
		local v = e.value
		if e.shell and spark.shell_field(v) == "metadata.name" and not kube.get(kube.pod(obj).spec, "hostname") then
			return	-- the host name in a shell script is the pod name
		end
		local ok, var = spark.is_field_ref(ce, v, "metadata.name", e.shell)
		local why
		if var and e.source == "file" then
			why = string.format("refers to $(%s) inside a mounted file, where Kubernetes does not expand variables", var)
		elseif var and not ok then
			why = string.format("refers to $(%s), which is not bound to fieldRef metadata.name", var)
		elseif not var and spark.var_ref(v, true) then
			why = string.format("reaches Spark as written: no shell runs the command, and Kubernetes expands only the $(%s) form",
				spark.var_ref(v, true))
		elseif not var and not fixed_name_ok(obj, v) then
			why = obj.kind == "Pod" and string.format("differs from the pod's name '%s'", kube.name(obj) or "?")
				or string.format("is fixed text, but %s pods get generated names", obj.kind or "controller")
		end
		if why then
			ctx:report{ obj = e.obj, path = e.path,
				message = string.format("spark.kubernetes.driver.pod.name '%s' of Spark driver %s %s: executors would be owned by the wrong pod and deleted early or left behind",
					v, kube.describe(obj), why) }
		end
	end,
}
