-- h-finalizer: a __gc finalizer that would run outside every budget (hostile rule; must end as a rule-error).
-- want: bad argument #2 to 'setmetatable' ('__gc' metamethods are not allowed)
return {
	id = "h-finalizer",
	severity = "error",
	category = "test",
	description = "hostile: a __gc finalizer that would run outside every budget",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		setmetatable({}, { __gc = function() while true do end end })
	end,
}
