-- tests/lint/rules/lib/tk.lua: a helper module for the engine's test rules
-- (installed as the global `tk`).
local tk = {}

-- The pod spec of a Pod, or of a workload's pod template, plus its path.
function tk.pod(obj)
	if obj.kind == "Pod" then
		return obj.spec, { "spec" }
	end
	local t = obj.spec and obj.spec.template
	if type(t) == "table" and t.spec then
		return t.spec, { "spec", "template", "spec" }
	end
	return nil
end

function tk.path(base, ...)
	local p = {}
	for _, v in ipairs(base) do p[#p + 1] = v end
	for _, v in ipairs({ ... }) do p[#p + 1] = v end
	return p
end

-- For the hostile-rule tests: an error raised inside a module.
function tk.explode(obj)
	return obj.no_such_field.boom
end

return tk
