-- rules/forbidden-sysctls.lua: a pod sysctl that the kubelet refuses
-- whatever the node allows, so the pod never starts (SysctlForbidden).
--
-- The kubelet admits a pod's sysctl only when its allowlist has it: the
-- safe sysctls plus --allowed-unsafe-sysctls, where it takes only sysctls
-- known to be namespaced (naming any other there, it does not start).  Known
-- are net.* (the network namespace) and kernel.sem, kernel.shm*, kernel.msg*
-- and fs.mqueue.* (IPC).  Since Kubernetes 1.29 (component-helpers'
-- node/util/sysctl) the IPC ones are kernel. shmall, shmmax, shmmni,
-- shm_rmid_forced, msgmax, msgmnb, msgmni and sem by name, but the patterns
-- kernel.shm*, kernel.msg* and kernel.sem* stay valid, so a node can admit
-- any name under these prefixes.  Every other name is refused.
--
-- Even an allowed or safe sysctl is refused in a pod that shares that
-- namespace with the node: a net.* one with hostNetwork: true, an IPC one
-- with hostIPC: true ("not allowed with host net enabled").  Since 1.29 the
-- API server refuses such an object already, for the sysctls it knows by
-- name ("may not be specified when 'hostNetwork' is true").
local NAMESPACES = {
	{ prefix = "net.", ns = "net" },
	{ prefix = "fs.mqueue.", ns = "ipc" },
	{ prefix = "kernel.shm", ns = "ipc" },
	{ prefix = "kernel.msg", ns = "ipc" },
	{ prefix = "kernel.sem", ns = "ipc" },
}

-- "net", "ipc", or nil for a sysctl (dotted name) no node can allow.
local function namespace_of(name)
	for _, n in ipairs(NAMESPACES) do
		if name:sub(1, #n.prefix) == n.prefix then
			return n.ns
		end
	end
	return nil
end

local HOST = {
	net = { field = "hostNetwork", what = "network",
		hint = "remove the sysctl from spec.securityContext.sysctls (the pod uses the node's network settings), or set hostNetwork to false" },
	ipc = { field = "hostIPC", what = "IPC",
		hint = "remove the sysctl from spec.securityContext.sysctls (the pod uses the node's IPC settings), or set hostIPC to false" },
}

return {
	id = "forbidden-sysctls",
	severity = "error",
	category = "correctness",
	description = "pod sets a sysctl that the kubelet refuses on every node, so it never starts",
	hint = "remove the sysctl from spec.securityContext.sysctls and set it on the nodes (their own configuration, or a privileged init container or DaemonSet)",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		local p = kube.pod(obj)
		local spec = p and p.spec
		for i, s in ipairs(kube.list(kube.get(spec, "securityContext", "sysctls"))) do
			local raw = kube.str(kube.get(s, "name"))
			if raw and raw ~= "" then
				local ns = namespace_of(kube.sysctl_name(raw))
				local path = kube.path(p.path, "securityContext", "sysctls", i, "name")
				if not ns then
					ctx:report{ obj = obj, path = path,
						message = string.format("%s sets sysctl '%s', which the kubelet does not know as namespaced: it refuses the pod (SysctlForbidden) whatever --allowed-unsafe-sysctls says",
							kube.describe(obj), raw) }
				elseif spec[HOST[ns].field] == true then
					local h = HOST[ns]
					ctx:report{ obj = obj, path = path, hint = h.hint,
						message = string.format("%s sets %s sysctl '%s' with %s: true: the kubelet refuses the pod (SysctlForbidden), as it shares the node's %s namespace",
							kube.describe(obj), h.what, raw, h.field, h.what) }
				end
			end
		end
	end,
}
