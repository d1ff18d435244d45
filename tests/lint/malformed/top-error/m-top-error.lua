-- m-top-error: a malformed rule file (the loader must reject it).
local x = nil
local y = x.field
return {
	id = "m-top-error",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
