-- h-bad-report: a malformed report (hostile rule; must end as a rule-error).
return {
	id = "h-bad-report",
	severity = "error",
	category = "test",
	description = "hostile: a malformed report",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		ctx:report{ message = 42 }
	end,
}
