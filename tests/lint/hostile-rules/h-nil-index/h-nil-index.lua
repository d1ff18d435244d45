-- h-nil-index: indexing nil (hostile rule; must end as a rule-error).
return {
	id = "h-nil-index",
	severity = "error",
	category = "test",
	description = "hostile: indexing nil",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local x = obj.no_such_field
		return x.deeper
	end,
}
