-- m-bad-severity: a malformed rule file (the loader must reject it).
return {
	id = "m-bad-severity",
	severity = "fatal",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
