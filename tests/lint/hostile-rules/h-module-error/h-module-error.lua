-- h-module-error: an error inside a helper module (hostile rule; must end as a rule-error).
return {
	id = "h-module-error",
	severity = "error",
	category = "test",
	description = "hostile: an error inside a helper module",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local r = tk.explode(obj) -- not a tail call: keeps this frame
		return r
	end,
}
