-- h-dump: dumping bytecode (hostile rule; must end as a rule-error).
return {
	id = "h-dump",
	severity = "error",
	category = "test",
	description = "hostile: dumping bytecode",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local b = string.dump(function() end)
		ctx:report{ message = b }
	end,
}
