-- rules/liveness-port.lua: kube-linter's liveness-port check.
return {
	id = "liveness-port",
	severity = "error",
	category = "correctness",
	description = "livenessProbe targets a port the container does not expose",
	hint = "point the probe at a containerPort (number or name) the container declares with protocol TCP",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.probed_containers(obj)) do
			local port, how = kube.probe_port(kube.get(ce.c, "livenessProbe"))
			if port ~= nil and not kube.exposes(ce, port, "TCP") then
				ctx:report{ obj = obj, path = kube.path(ce.path, "livenessProbe", how, "port"),
					message = string.format("container '%s' does not expose %s for the %s liveness probe",
						ce.name or "?", kube.probe_port_text(port), how) }
			end
		end
	end,
}
