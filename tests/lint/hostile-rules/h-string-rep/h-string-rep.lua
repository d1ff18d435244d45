-- h-string-rep: string.rep bomb (hostile rule; must end as a rule-error).
return {
	id = "h-string-rep",
	severity = "error",
	category = "test",
	description = "hostile: string.rep bomb",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s = string.rep("x", 1 << 40)
		ctx:report{ message = s }
	end,
}
