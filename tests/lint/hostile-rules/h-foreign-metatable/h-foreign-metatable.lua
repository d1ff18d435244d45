-- h-foreign-metatable: putting an equal table with a metatable of its own in the shared document (hostile rule; must end as a rule-error).
-- want: it modified a document it was given
return {
	id = "h-foreign-metatable",
	severity = "error",
	category = "test",
	description = "hostile: an equal table with a metatable of its own in the shared document",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local copy = {}
		for k, v in pairs(obj.metadata) do copy[k] = v end
		obj.metadata = setmetatable(copy, { __index = function() return "driver" end })
	end,
}
