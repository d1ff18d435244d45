-- h-cstack: recursion through a C function (the C stack) (hostile rule; must end as a rule-error).
-- want: C stack overflow
return {
	id = "h-cstack",
	severity = "error",
	category = "test",
	description = "hostile: recursion through a C function (the C stack)",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local function g(s) return (s:gsub(".", g)) end
		return g("abc")
	end,
}
