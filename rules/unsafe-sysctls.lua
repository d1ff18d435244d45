-- rules/unsafe-sysctls.lua: kube-linter's unsafe-sysctls check.
local UNSAFE = { "kernel.msg", "kernel.sem", "kernel.shm", "fs.mqueue.", "net." }

-- The kubelet's safe set (the Pod Security Standards' list, Kubernetes
-- 1.32): allowed on every node, although the prefixes above cover them.
local SAFE = { "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem" }

return {
	id = "unsafe-sysctls",
	severity = "warning",
	category = "security",
	description = "pod sets an unsafe sysctl",
	hint = "remove the sysctl from spec.securityContext.sysctls, or allow it explicitly on the nodes",
	kinds = kube.workload_kinds(),
	options = { unsafeSysctls = UNSAFE, safeSysctls = SAFE },
	check = function(obj, ctx)
		local p = kube.pod(obj)
		local safe = {}
		for _, n in ipairs(ctx.options.safeSysctls or SAFE) do
			safe[n] = true
		end
		for i, s in ipairs(kube.list(kube.get(p and p.spec, "securityContext", "sysctls"))) do
			local raw = kube.str(kube.get(s, "name"))
			local name = raw and kube.sysctl_name(raw)
			if name and not safe[name] then
				for _, pre in ipairs(ctx.options.unsafeSysctls or UNSAFE) do
					if name:sub(1, #pre) == pre then
						ctx:report{ obj = obj, path = kube.path(p.path, "securityContext", "sysctls", i),
							message = string.format("%s specifies unsafe sysctl '%s'", kube.describe(obj), raw) }
						break
					end
				end
			end
		end
	end,
}
