-- h-string-meta: changing the string metatable (hostile rule; must end as a rule-error).
return {
	id = "h-string-meta",
	severity = "error",
	category = "test",
	description = "hostile: changing the string metatable",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local mt = getmetatable("")
		mt.__index = nil
	end,
}
