-- rules/drop-net-raw-capability.lua: kube-linter's drop-net-raw-capability
-- check.  A container that sets securityContext.capabilities must not add
-- NET_RAW (or ALL) and must drop it (or ALL).
local function is(cap, want)
	local c = kube.str(cap)
	c = c and c:upper():gsub("^CAP_", "")
	return c == want
end

return {
	id = "drop-net-raw-capability",
	severity = "warning",
	category = "security",
	description = "container adds the NET_RAW capability, or sets capabilities without dropping it",
	hint = "add NET_RAW (or ALL) to securityContext.capabilities.drop and never to add",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj)) do
			local caps = kube.tab(kube.get(ce.c, "securityContext", "capabilities"))
			if caps then
				local cpath = kube.path(ce.path, "securityContext", "capabilities")
				for i, cap in ipairs(kube.list(caps.add)) do
					if is(cap, "NET_RAW") or is(cap, "ALL") then
						ctx:report{ obj = obj, path = kube.path(cpath, "add", i),
							message = string.format("container '%s' has ADD capability '%s', which matches the forbidden capability NET_RAW",
								ce.name or "?", kube.text(cap) or "?") }
					end
				end
				local dropped = false
				for _, cap in ipairs(kube.list(caps.drop)) do
					if is(cap, "NET_RAW") or is(cap, "ALL") then
						dropped = true
					end
				end
				if not dropped then
					ctx:report{ obj = obj, path = caps.drop ~= nil and kube.path(cpath, "drop") or cpath,
						message = string.format("container '%s' sets capabilities but does not drop NET_RAW", ce.name or "?") }
				end
			end
		end
	end,
}
