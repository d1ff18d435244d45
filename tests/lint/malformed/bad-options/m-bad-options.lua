-- m-bad-options: a malformed rule file (the loader must reject it).
return {
	id = "m-bad-options",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	options = { 1, 2, 3 },
	check = function(obj, ctx) end,
}
