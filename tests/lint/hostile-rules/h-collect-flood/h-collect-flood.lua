-- h-collect-flood: collects the same MiB for ever from one check() call
-- (hostile rule; the encoding happens in C, which the instruction count does
-- not see, so ctx:collect charges the ctx budget per byte).
-- want: instruction budget exceeded
return {
	id = "h-collect-flood",
	severity = "error",
	category = "test",
	description = "hostile: endless ctx:collect() of a big string",
	hint = "none",
	check = function(obj, ctx)
		local s = string.rep("x", 1 << 20)
		while true do
			ctx:collect(s)
		end
	end,
	finish = function(ctx) end,
}
