-- s-names-in-message: finish() names in one finding the ConfigMaps check()
-- kept in an upvalue (wrong: the same finding, another message).
local names = {}
return {
	id = "s-names-in-message",
	severity = "info",
	category = "test",
	description = "the ConfigMaps of the set",
	hint = "none",
	kinds = { "ConfigMap" },
	check = function(obj)
		names[#names + 1] = obj.metadata.name
	end,
	finish = function(ctx)
		local first = ctx:objects("ConfigMap")[1]
		if first then
			ctx:report{ obj = first, path = { "metadata", "name" },
				message = "ConfigMaps: " .. table.concat(names, ", ") }
		end
	end,
}
