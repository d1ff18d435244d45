-- rules/unsafe-sysctls.lua: kube-linter's unsafe-sysctls check.
local UNSAFE = { "kernel.msg", "kernel.sem", "kernel.shm", "fs.mqueue.", "net." }

return {
	id = "unsafe-sysctls",
	severity = "warning",
	category = "security",
	description = "pod sets an unsafe sysctl",
	hint = "remove the sysctl from spec.securityContext.sysctls, or allow it explicitly on the nodes",
	kinds = kube.workload_kinds(),
	options = { unsafeSysctls = UNSAFE },
	check = function(obj, ctx)
		local p = kube.pod(obj)
		for i, s in ipairs(kube.list(kube.get(p and p.spec, "securityContext", "sysctls"))) do
			local name = kube.str(kube.get(s, "name"))
			if name then
				for _, pre in ipairs(ctx.options.unsafeSysctls or UNSAFE) do
					if name:sub(1, #pre) == pre then
						ctx:report{ obj = obj, path = kube.path(p.path, "securityContext", "sysctls", i),
							message = string.format("%s specifies unsafe sysctl '%s'", kube.describe(obj), name) }
						break
					end
				end
			end
		end
	end,
}
