-- tests/valgrind/rules/vg-loop.lua: never returns; the instruction budget
-- must stop it and turn it into a rule-error finding.
return {
	id = "vg-loop",
	severity = "error",
	category = "test",
	description = "loops forever",
	hint = "none: a test rule",
	kinds = { "ConfigMap" },
	check = function(obj, ctx)
		local n = 0
		while true do
			n = pcall(error, n) and n or n + 1
		end
	end,
}
