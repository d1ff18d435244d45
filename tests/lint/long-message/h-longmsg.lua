-- h-longmsg: a rule that reports a 20 MB message; the finding keeps 4 KiB of it
-- (20 MB: building the string with string.rep takes twice that, within the
-- 64 MiB a rule may allocate on a small input).
return {
	id = "h-longmsg",
	severity = "error",
	category = "test",
	description = "a 20 MB message (must be cut to 4 KiB)",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		ctx:report{ obj = obj, message = string.rep("é", 10000000) }
	end,
}
