-- m-no-check: a malformed rule file (the loader must reject it).
return {
	id = "m-no-check",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
}
