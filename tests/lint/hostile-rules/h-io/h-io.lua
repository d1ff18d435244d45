-- h-io: reaching for io (hostile rule; must end as a rule-error).
return {
	id = "h-io",
	severity = "error",
	category = "test",
	description = "hostile: reaching for io",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local f = io.open("/etc/passwd")
		ctx:report{ message = f:read("a") }
	end,
}
