-- m-nul-id: a malformed rule file (the loader must reject it): the id is its
-- basename and then a NUL and more, which C's strings would not see.
return {
	id = "m-nul-id\0zzz",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
