-- s-seen-before: check() alone keeps the names it saw (wrong: a name seen
-- in the other worker is not).
local seen = {}
return {
	id = "s-seen-before",
	severity = "warning",
	category = "test",
	description = "a ConfigMap name used twice",
	hint = "rename one",
	kinds = { "ConfigMap" },
	check = function(obj, ctx)
		local name = obj.metadata.name
		if seen[name] then
			ctx:report{ path = { "metadata", "name" },
				message = ("ConfigMap '%s' again"):format(name) }
		end
		seen[name] = true
	end,
}
