-- h-regex-match: catastrophic backtracking (hostile rule; must end as a rule-error).
-- want: regex match limit exceeded
return {
	id = "h-regex-match",
	severity = "error",
	category = "test",
	description = "hostile: catastrophic backtracking",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		return re.test(string.rep("a", 40) .. "b", "(a+)+$")
	end,
}
