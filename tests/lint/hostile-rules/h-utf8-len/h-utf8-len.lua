-- h-utf8-len: utf8.len over 4 MB, again and again: no allocation, five
-- instructions a call (hostile rule; the scan must be charged, a unit a byte, or this runs
-- for minutes between two looks of the count hook at the clock).
-- want: instruction budget exceeded
return {
	id = "h-utf8-len",
	severity = "error",
	category = "test",
	description = "hostile: utf8.len over a long string in a loop",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s, n = string.rep("x", 4 << 20), 0
		for _ = 1, 1e6 do n = n + utf8.len(s) end
		return n
	end,
}
