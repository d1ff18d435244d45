-- m-nul-kind: a malformed rule file (the loader must reject it): a kind with
-- a NUL would match the kind before it.
return {
	id = "m-nul-kind",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	kinds = { "Pod\0Job" },
	check = function(obj, ctx) end,
}
