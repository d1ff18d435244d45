-- rules/spark-driver-host.lua: spark.driver.host names the driver's headless
-- Service (L19).
return {
	id = "spark-driver-host",
	severity = "error",
	category = "correctness",
	description = "spark.driver.host of an in-cluster Spark driver does not name a Service that selects it",
	hint = "set spark.driver.host=<headless-service>.<namespace>.svc (or $(POD_IP) from the downward API)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local n = spark.driver_net(ctx, obj)
		if not n or n.pod_ip_host then
			return
		end
		local e = n.host
		if not e then
			ctx:report{ obj = obj, path = n.ce.path,
				message = string.format("Spark driver %s does not set spark.driver.host: it defaults to the pod's host name, which executors cannot resolve",
					kube.describe(obj)) }
			return
		end
		local host = spark.expand(n.ce, e.value, e.shell)
		local ns = ctx:namespace(obj)
		local svc, sns = spark.service_host(host, ns)
		local why
		if spark.var_ref(host, e.shell) then	-- (no literal value to expand it to)
			why = string.format("refers to $(%s), which is not bound to status.podIP", spark.var_ref(host, e.shell))
		elseif spark.var_ref(host, true) then
			why = string.format("reaches Spark as written: no shell runs the command, and Kubernetes expands only the $(%s) form",
				spark.var_ref(host, true))
		elseif not svc then
			why = "is not a Service DNS name (<service>.<namespace>.svc)"
		elseif sns ~= ns then
			why = string.format("names namespace '%s', but the driver runs in '%s'", sns, ns)
		elseif not n.host_svc then
			local s = ctx:find("Service", svc, ns)
			why = s and string.format("names %s, which does not select the driver pod", kube.describe(s))
				or string.format("names Service '%s', which is not in the linted files", svc)
		end
		if why then
			ctx:report{ obj = e.obj, path = e.path,
				message = string.format("spark.driver.host '%s' of Spark driver %s %s", host, kube.describe(obj), why) }
		end
	end,
}
