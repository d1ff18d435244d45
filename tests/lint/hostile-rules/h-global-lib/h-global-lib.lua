-- h-global-lib: changing a library table (hostile rule; must end as a rule-error).
return {
	id = "h-global-lib",
	severity = "error",
	category = "test",
	description = "hostile: changing a library table",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		string.upper = function() return "" end
	end,
}
