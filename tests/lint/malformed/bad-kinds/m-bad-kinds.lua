-- m-bad-kinds: a malformed rule file (the loader must reject it).
return {
	id = "m-bad-kinds",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	kinds = { "Pod", 7 },
	check = function(obj, ctx) end,
}
