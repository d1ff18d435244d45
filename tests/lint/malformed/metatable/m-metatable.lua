-- The loader reads a rule's fields from C, outside any protected call:
-- a metatable whose __index raised would abort sparklint, one that looped
-- would hang it.  Refused with a message instead.
return setmetatable({
	id = "m-metatable", severity = "error", category = "test",
	description = "a rule table with a metatable", hint = "none",
	check = function(obj, ctx) end,
}, { __index = function(t, k) error("read " .. k) end })
