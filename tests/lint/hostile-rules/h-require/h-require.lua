-- h-require: requiring a module (hostile rule; must end as a rule-error).
return {
	id = "h-require",
	severity = "error",
	category = "test",
	description = "hostile: requiring a module",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local m = require("io")
		m.write("x")
	end,
}
