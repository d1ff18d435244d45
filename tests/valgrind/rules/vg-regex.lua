-- tests/valgrind/rules/vg-regex.lua: runs a regex that backtracks catastrophically; it must end as a rule-error
-- finding, never as a crash or a leak.
return {
	id = "vg-regex",
	severity = "error",
	category = "test",
	description = "runs a regex that backtracks catastrophically",
	hint = "none: a test rule",
	kinds = { "Job" },
	check = function(obj, ctx)
		re.match(string.rep("a", 40) .. "!", "^(a+)+$")
	end,
}
