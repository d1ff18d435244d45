-- s-kept-in-upvalue: check() keeps objects in an upvalue, finish() reports
-- them (wrong: finish() sees only its own worker's objects).
local kept = {}
return {
	id = "s-kept-in-upvalue",
	severity = "warning",
	category = "test",
	description = "a ConfigMap without data",
	hint = "add data",
	kinds = { "ConfigMap" },
	check = function(obj)
		if obj.data == nil then
			kept[#kept + 1] = obj
		end
	end,
	finish = function(ctx)
		for _, o in ipairs(kept) do
			ctx:report{ obj = o, path = { "metadata", "name" },
				message = ("ConfigMap '%s' has no data"):format(o.metadata.name) }
		end
	end,
}
