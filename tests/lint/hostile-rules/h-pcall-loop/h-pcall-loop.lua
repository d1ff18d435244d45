-- h-pcall-loop: pcall around an infinite loop, in a loop (hostile rule; must end as a rule-error).
return {
	id = "h-pcall-loop",
	severity = "error",
	category = "test",
	description = "hostile: pcall around an infinite loop, in a loop",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		while true do
			pcall(function() while true do end end)
		end
	end,
}
