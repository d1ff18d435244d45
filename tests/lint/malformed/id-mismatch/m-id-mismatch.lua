-- m-id-mismatch: a malformed rule file (the loader must reject it).
return {
	id = "something-else",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
