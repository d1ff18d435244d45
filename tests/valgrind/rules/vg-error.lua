-- tests/valgrind/rules/vg-error.lua: raises a table with a __tostring; it must end as a rule-error
-- finding, never as a crash or a leak.
return {
	id = "vg-error",
	severity = "error",
	category = "test",
	description = "raises a table with a __tostring",
	hint = "none: a test rule",
	kinds = { "Service" },
	check = function(obj, ctx)
		error(setmetatable({}, { __tostring = function() return "a table error" end }))
	end,
}
