-- tests/valgrind/rules/vg-memory.lua: allocates without limit; it must end as a rule-error
-- finding, never as a crash or a leak.
return {
	id = "vg-memory",
	severity = "error",
	category = "test",
	description = "allocates without limit",
	hint = "none: a test rule",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local t, s = {}, "x"
		for i = 1, 64 do
			s = s .. s
			t[i] = s
		end
	end,
}
