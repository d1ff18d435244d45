-- h-collectgarbage: stopping the collector to defeat the memory cap (hostile rule; must end as a rule-error).
-- want: undefined global 'collectgarbage'
return {
	id = "h-collectgarbage",
	severity = "error",
	category = "test",
	description = "hostile: stopping the collector to defeat the memory cap",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		collectgarbage("stop")
	end,
}
