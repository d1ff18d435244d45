-- h-debug: reaching for debug (hostile rule; must end as a rule-error).
return {
	id = "h-debug",
	severity = "error",
	category = "test",
	description = "hostile: reaching for debug",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		debug.sethook()
	end,
}
