-- rules/spark-driver-bind-address.lua: the driver binds to its own pod IP,
-- never a stale literal (L21, SPARK-22294).
return {
	id = "spark-driver-bind-address",
	severity = "error",
	category = "reliability",
	description = "spark.driver.bindAddress is a fixed address instead of the pod IP from the downward API",
	hint = "set spark.driver.bindAddress=$(POD_IP) with env POD_IP from fieldRef status.podIP, or 0.0.0.0",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local ce = spark.client_driver_spec(obj, ctx)	-- (a PodTemplate's too: its copies carry this container)
		if not ce or not spark.submit(ce) then
			return
		end
		local e = spark.conf(ctx, obj, ce)["spark.driver.bindAddress"]
		if not e then
			return
		end
		local v = e.value
		if v == "0.0.0.0" or v == "::" then
			return
		end
		local ok, var = spark.is_field_ref(ce, v, "status.podIP", e.shell)
		if ok and e.source ~= "file" then
			return
		end
		local why
		if var and e.source == "file" then
			why = string.format("refers to $(%s) inside a mounted file, where Kubernetes does not expand variables", var)
		elseif var then
			why = string.format("refers to $(%s), which is not bound to fieldRef status.podIP", var)
		elseif spark.var_ref(v, true) then
			why = string.format("reaches Spark as written: no shell runs the command, and Kubernetes expands only the $(%s) form",
				spark.var_ref(v, true))
		elseif v == "" then
			why = "is empty: Java reads an empty host as the loopback address, which executors cannot reach"
		elseif v:match("^%d+%.%d+%.%d+%.%d+$") or v:find(":", 1, true) then
			why = "is a literal IP address: a restarted driver gets a new pod IP and cannot bind the old one"
		else
			why = "is fixed text: the driver must bind its own pod's address"
		end
		ctx:report{ obj = e.obj, path = e.path,
			message = string.format("spark.driver.bindAddress '%s' of Spark driver %s %s", v, kube.describe(obj), why) }
	end,
}
