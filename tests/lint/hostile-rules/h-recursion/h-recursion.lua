-- h-recursion: unbounded Lua recursion (hostile rule; must end as a rule-error).
-- want: stack overflow | time limit exceeded
return {
	id = "h-recursion",
	severity = "error",
	category = "test",
	description = "hostile: unbounded Lua recursion",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local function f(n) return 1 + f(n + 1) end
		return f(1)
	end,
}
