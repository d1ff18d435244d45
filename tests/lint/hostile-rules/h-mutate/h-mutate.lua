-- h-mutate: changing the shared document (hostile rule; must end as a rule-error).
return {
	id = "h-mutate",
	severity = "error",
	category = "test",
	description = "hostile: changing the shared document",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		obj.kind = "Mutated"
		if obj.metadata then obj.metadata.labels = nil end
	end,
}
