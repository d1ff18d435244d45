-- m-empty-api-versions: a malformed rule file (the loader must reject it).
return {
	id = "m-empty-api-versions",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	apiVersions = {},
	check = function(obj, ctx) end,
}
