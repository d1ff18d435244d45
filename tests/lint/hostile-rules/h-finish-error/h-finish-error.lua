-- h-finish-error: an error in finish() (hostile rule).
return {
	id = "h-finish-error",
	severity = "error",
	category = "test",
	description = "hostile: error in finish",
	hint = "none",
	finish = function(ctx)
		local objs = ctx:objects("Pod")
		return objs[1].metadata.nothing.here
	end,
}
