-- h-string-index: replacing string methods through getmetatable('').__index (hostile rule; must end as a rule-error).
-- want: attempt to index a boolean value
return {
	id = "h-string-index",
	severity = "error",
	category = "test",
	description = "hostile: replacing string methods through getmetatable('').__index",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		getmetatable("").__index.upper = function() return "pwned" end
	end,
}
