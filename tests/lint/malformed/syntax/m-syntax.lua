-- m-syntax: a malformed rule file (the loader must reject it).
return {
	id = "m-syntax",
	severity = "error",
	category = "test"
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
