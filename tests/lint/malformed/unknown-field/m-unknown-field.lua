-- m-unknown-field: a malformed rule file (the loader must reject it).
return {
	id = "m-unknown-field",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	chek = function(obj, ctx) end,
	check = function(obj, ctx) end,
}
