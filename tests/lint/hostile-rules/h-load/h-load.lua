-- h-load: compiling code at run time (hostile rule; must end as a rule-error).
return {
	id = "h-load",
	severity = "error",
	category = "test",
	description = "hostile: compiling code at run time",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local f = load("return 1")
		f()
	end,
}
