-- h-mutate-deep: changing a nested list of the shared document (hostile rule; must end as a rule-error).
-- want: it modified a document it was given
return {
	id = "h-mutate-deep",
	severity = "error",
	category = "test",
	description = "hostile: changing a nested list of the shared document",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		obj.spec.containers[1].image = "evil"
		table.insert(obj.spec.containers, { name = "x" })
	end,
}
