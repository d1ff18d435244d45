-- m-global-cleared: sets a global, clears it, then sets another.
scratch = 1
scratch = nil
helper = 1
return {
	id = "m-global-cleared",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
