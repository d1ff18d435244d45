-- m-uses-mhelp1: reads the broken module's global; must not add an error of its own.
local f = mhelp.f
return {
	id = "m-uses-mhelp1",
	severity = "error",
	category = "test",
	description = "uses a broken module",
	hint = "none",
	check = function(obj, ctx) end,
}
