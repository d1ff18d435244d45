-- h-string-find: a plain find that never matches, over 4 MB, in a loop
-- (hostile rule; each call scans the string and allocates nothing).
-- want: instruction budget exceeded
return {
	id = "h-string-find",
	severity = "error",
	category = "test",
	description = "hostile: string.find over a long string in a loop",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s, n = string.rep("x", 4 << 20), 0
		for _ = 1, 1e6 do n = n + (s:find("y", 1, true) or 0) end
		return n
	end,
}
