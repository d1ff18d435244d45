-- h-longmsg: a rule that reports a 50 MB message; the finding keeps 4 KiB of it.
return {
	id = "h-longmsg",
	severity = "error",
	category = "test",
	description = "a 50 MB message (must be cut to 4 KiB)",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		ctx:report{ obj = obj, message = string.rep("é", 25000000) }
	end,
}
