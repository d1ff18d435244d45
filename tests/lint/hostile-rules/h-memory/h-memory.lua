-- h-memory: a table that grows without bound (hostile rule; must end as a rule-error).
return {
	id = "h-memory",
	severity = "error",
	category = "test",
	description = "hostile: a table that grows without bound",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local t = {}
		while true do
			t[#t + 1] = { 1, 2, 3, 4, 5, 6, 7, 8 }
		end
	end,
}
