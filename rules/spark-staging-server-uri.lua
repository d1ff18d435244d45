-- rules/spark-staging-server-uri.lua: the legacy resource staging server URI
-- points at a Service that exposes that port (L27).

local function check_conf(ctx, x)
	for _, key in ipairs({ "spark.kubernetes.resourceStagingServer.uri",
		"spark.kubernetes.resourceStagingServer.internal.uri" }) do
		local e = x.conf[key]
		local scheme, host, port = nil, nil, nil
		if e then
			scheme, host, port = e.value:match("^(https?)://([^/:]+):?(%d*)")
		end
		local svc, ns = spark.service_host(host, ctx:namespace(x.obj))
		if scheme and svc and host ~= "localhost" then
			local p = tonumber(port) or (scheme == "https" and 443 or 80)
			local s = ctx:find("Service", svc, ns)
			local why
			if not s then
				why = string.format("names Service '%s' in namespace '%s', which is not in the linted files", svc, ns)
			else
				local ok = false
				for _, sp in ipairs(kube.service_ports(s)) do
					if sp.port == p then
						ok = true
					end
				end
				if not ok then
					why = string.format("uses port %d, which %s does not expose", p, kube.describe(s))
				end
			end
			if why then
				ctx:report{ obj = e.obj, path = e.path,
					message = string.format("%s '%s' of %s %s", key, e.value, kube.describe(x.obj), why) }
			end
		end
	end
end

local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-staging-server-uri",
	severity = "error",
	category = "correctness",
	description = "legacy Spark 2.2 fork: the resource staging server URI does not match a Service and port in the set",
	hint = "point spark.kubernetes.resourceStagingServer.uri (and .internal.uri) at http://<rss-service>.<namespace>.svc:<port> of the staging server's Service",
	kinds = KINDS,
	check = function(obj, ctx)
		local x = spark.conf_entry(ctx, obj)
		if x then
			check_conf(ctx, x)
		end
	end,
}
