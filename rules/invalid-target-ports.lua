-- rules/invalid-target-ports.lua: kube-linter's invalid-target-ports check.
--
-- A targetPort is an IntOrString: a number is a port number, a string a
-- port name, also when it is all digits ("8080" is rejected: a name needs a
-- letter).  0 and "" are unset: the API server defaults them to `port`.
local function bad_port(v)
	if type(v) == "number" then
		return v ~= 0 and not (v >= 1 and v <= 65535), "is not a port number (1-65535)"
	elseif type(v) == "string" then
		return v ~= "" and not kube.port_name_ok(v),
			"is not a valid port name (at most 15 lower-case letters, digits and '-', with a letter)"
	end
	return false
end

return {
	id = "invalid-target-ports",
	severity = "error",
	category = "correctness",
	description = "Service targetPort or container port name violates the port name/number rules",
	hint = "use a port number in 1-65535 or a name of at most 15 characters (a-z, 0-9, '-') with at least one letter",
	kinds = { "Service", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
		"ReplicationController", "Job", "CronJob", "DeploymentConfig", "PodTemplate" },
	check = function(obj, ctx)
		if obj.kind == "Service" then
			for _, sp in ipairs(kube.service_ports(obj)) do
				local t = sp.raw.targetPort
				if t ~= nil and t ~= sk.null then
					local bad, why = bad_port(t)
					if bad then
						ctx:report{ obj = obj, path = kube.path(sp.path, "targetPort"),
							message = string.format("targetPort '%s' of %s %s", kube.text(t) or "?", kube.describe(obj), why) }
					end
				end
			end
			return
		end
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			for i, p in ipairs(kube.list(ce.c.ports)) do
				local n = kube.get(p, "name")
				if n ~= nil and not kube.port_name_ok(kube.text(n)) then
					ctx:report{ obj = obj, path = kube.path(ce.path, "ports", i, "name"),
						message = string.format("port name '%s' of container '%s' is not a valid port name (at most 15 lower-case letters, digits and '-', with a letter)",
							kube.text(n) or "?", ce.name or "?") }
				end
			end
		end
	end,
}
