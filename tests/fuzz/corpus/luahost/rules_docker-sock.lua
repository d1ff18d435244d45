-- rules/docker-sock.lua: kube-linter's docker-sock check.
return {
	id = "docker-sock",
	severity = "error",
	category = "security",
	description = "container mounts the host's Docker socket",
	hint = "do not mount /var/run/docker.sock; it gives root on the node",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			for _, m in ipairs(kube.mounts(obj, ce)) do
				local hp = kube.str(kube.get(m.volume, "hostPath", "path"))
				if hp and hp:match("docker%.sock$") then
					ctx:report{ obj = obj, path = m.path,
						message = string.format("host system directory '%s' is mounted on container '%s'", hp, ce.name or "?") }
				end
			end
		end
	end,
}
