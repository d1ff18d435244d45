-- m-missing-hint: a malformed rule file (the loader must reject it).
return {
	id = "m-missing-hint",
	severity = "error",
	category = "test",
	description = "malformed rule",
	check = function(obj, ctx) end,
}
