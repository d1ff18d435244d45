-- h-regex-depth: deep backtracking, raising the pattern's own limits (hostile rule; must end as a rule-error).
-- want: regex depth limit exceeded
return {
	id = "h-regex-depth",
	severity = "error",
	category = "test",
	description = "hostile: deep backtracking, raising the pattern's own limits",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		return re.test(string.rep("a", 300000), "(*LIMIT_DEPTH=4000000000)(*LIMIT_HEAP=4000000000)^(a|b)*$")
	end,
}
