-- h-coroutine: a coroutine bomb that yields past the budget hook (hostile rule; must end as a rule-error).
-- want: undefined global 'coroutine'
return {
	id = "h-coroutine",
	severity = "error",
	category = "test",
	description = "hostile: a coroutine bomb that yields past the budget hook",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local co = coroutine.wrap(function() while true do coroutine.yield() end end)
		while true do co() end
	end,
}
