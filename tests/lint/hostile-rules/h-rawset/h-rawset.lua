-- h-rawset: rawset on the shared document (hostile rule; must end as a rule-error).
-- want: it modified a document it was given
return {
	id = "h-rawset",
	severity = "error",
	category = "test",
	description = "hostile: rawset on the shared document",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		rawset(obj, "kind", "Mutated")
	end,
}
