-- h-tostring-error: an error object whose __tostring loops (hostile rule; must end as a rule-error).
-- want: instruction budget exceeded | time limit exceeded
return {
	id = "h-tostring-error",
	severity = "error",
	category = "test",
	description = "hostile: an error object whose __tostring loops",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		error(setmetatable({}, { __tostring = function() while true do end end }))
	end,
}
