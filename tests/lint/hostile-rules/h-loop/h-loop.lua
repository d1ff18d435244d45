-- h-loop: an infinite loop (hostile rule; must end as a rule-error).
return {
	id = "h-loop",
	severity = "error",
	category = "test",
	description = "hostile: an infinite loop",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		while true do end
	end,
}
