-- rules/docker-sock.lua: kube-linter's docker-sock check, and the
-- directories that hold the socket (mounting /var/run gives the same root).
local SOCKET_DIRS = { ["/run"] = true, ["/var/run"] = true, ["/var"] = true }

return {
	id = "docker-sock",
	severity = "error",
	category = "security",
	description = "container mounts the host's Docker socket",
	hint = "do not mount /var/run/docker.sock, or a directory holding it; it gives root on the node",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			for _, m in ipairs(kube.mounts(obj, ce)) do
				local hp = kube.str(kube.get(m.volume, "hostPath", "path"))
				-- trailing slashes off; not gsub("/+$", ""): quadratic in a run of them
				local norm = hp and (#hp > 1 and hp:sub(1, hp:match(".*()[^/]") or 0) or hp)
				if norm and (norm:match("docker%.sock$") or SOCKET_DIRS[norm]) then
					ctx:report{ obj = obj, path = m.path,
						message = string.format("host system directory '%s' is mounted on container '%s'", hp, ce.name or "?") }
				end
			end
		end
	end,
}
