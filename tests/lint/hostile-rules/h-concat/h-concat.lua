-- h-concat: doubling a string until memory runs out (hostile rule; must end as a rule-error).
return {
	id = "h-concat",
	severity = "error",
	category = "test",
	description = "hostile: doubling a string until memory runs out",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s = "x"
		while true do
			s = s .. s
		end
	end,
}
