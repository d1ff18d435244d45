-- m-global-write: a malformed rule file (the loader must reject it).
helper = 1
return {
	id = "m-global-write",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
