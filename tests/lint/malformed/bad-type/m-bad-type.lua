-- m-bad-type: a malformed rule file (the loader must reject it).
return {
	id = "m-bad-type",
	severity = 3,
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
