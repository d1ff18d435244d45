-- h-string-byte: string.byte over 0.9 MB, again and again: a value pushed
-- per byte, charged a unit per byte (at one per 16 bytes it ran 2.4 s).
-- want: instruction budget exceeded
return {
	id = "h-string-byte",
	severity = "error",
	category = "test",
	description = "hostile: string.byte over a long string in a loop",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s, n = string.rep("x", 900000), 0
		for _ = 1, 1e6 do n = n + select("#", string.byte(s, 1, -1)) end
		return n
	end,
}
