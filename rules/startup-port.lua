-- rules/startup-port.lua: kube-linter's startup-port check.
return {
	id = "startup-port",
	severity = "error",
	category = "correctness",
	description = "startupProbe targets a port the container does not expose",
	hint = "point the probe at a containerPort (number or name) the container declares with protocol TCP",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.probed_containers(obj)) do
			local port, how = kube.probe_port(kube.get(ce.c, "startupProbe"))
			if port ~= nil and not kube.exposes(ce, port, "TCP") then
				ctx:report{ obj = obj, path = kube.path(ce.path, "startupProbe", how, "port"),
					message = string.format("container '%s' does not expose %s for the %s startup probe",
						ce.name or "?", kube.probe_port_text(port), how) }
			end
		end
	end,
}
