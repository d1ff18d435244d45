-- h-table-error: an error whose value is a table (hostile rule; must end as a rule-error).
return {
	id = "h-table-error",
	severity = "error",
	category = "test",
	description = "hostile: an error whose value is a table",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		error({ code = 42 })
	end,
}
