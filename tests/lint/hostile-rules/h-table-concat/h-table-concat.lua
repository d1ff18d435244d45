-- h-table-concat: table.concat of 1 MiB pieces past the memory cap (hostile rule; must end as a rule-error).
-- want: memory limit exceeded | time limit exceeded
return {
	id = "h-table-concat",
	severity = "error",
	category = "test",
	description = "hostile: table.concat of 1 MiB pieces past the memory cap",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local t, s = {}, string.rep("x", 1 << 20)
		for i = 1, 400 do t[i] = s end
		return #table.concat(t)
	end,
}
