-- m-nul-severity: a malformed rule file (the loader must reject it): C would
-- read "error", and the severity checked would not be the one written.
return {
	id = "m-nul-severity",
	severity = "error\0info",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
