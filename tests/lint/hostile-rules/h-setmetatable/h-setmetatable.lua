-- h-setmetatable: giving the shared document a metatable (hostile rule; must end as a rule-error).
-- want: cannot change a protected metatable
return {
	id = "h-setmetatable",
	severity = "error",
	category = "test",
	description = "hostile: giving the shared document a metatable",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		setmetatable(obj, { __index = function() return "driver" end })
	end,
}
