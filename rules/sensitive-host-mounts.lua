-- rules/sensitive-host-mounts.lua: kube-linter's sensitive-host-mounts check.
local DIRS = { "^/$", "^/boot$", "^/dev$", "^/etc$", "^/lib$", "^/proc$", "^/sys$", "^/usr$" }

return {
	id = "sensitive-host-mounts",
	severity = "error",
	category = "security",
	description = "container mounts a sensitive host system directory",
	hint = "do not mount /, /boot, /dev, /etc, /lib, /proc, /sys or /usr from the host",
	kinds = kube.workload_kinds(),
	options = { dirs = DIRS },
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			for _, m in ipairs(kube.mounts(obj, ce)) do
				local hp = kube.str(kube.get(m.volume, "hostPath", "path"))
				if hp then
					-- not gsub("/+$", ""): quadratic in a run of slashes
					local norm = #hp > 1 and hp:sub(1, hp:match(".*()[^/]") or 0) or hp
					for _, pat in ipairs(ctx.options.dirs or DIRS) do
						if re.test(norm, pat) then
							ctx:report{ obj = obj, path = m.path,
								message = string.format("host system directory '%s' is mounted on container '%s'", hp, ce.name or "?") }
							break
						end
					end
				end
			end
		end
	end,
}
