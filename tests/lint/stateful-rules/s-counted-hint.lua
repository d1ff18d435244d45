-- s-counted-hint: check() counts its calls in an upvalue and says so in the
-- hint (wrong: the same findings, other hints).
local calls = 0
return {
	id = "s-counted-hint",
	severity = "warning",
	category = "test",
	description = "a ConfigMap",
	hint = "none",
	kinds = { "ConfigMap" },
	check = function(obj, ctx)
		calls = calls + 1
		ctx:report{ path = { "metadata", "name" }, message = "a ConfigMap",
			hint = ("call %d"):format(calls) }
	end,
}
