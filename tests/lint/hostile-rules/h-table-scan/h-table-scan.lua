-- h-table-scan: table.concat of empty strings, table.unpack and table.sort
-- of a long list, in a loop: C loops that allocate nothing (hostile rule;
-- a comparison is charged 4 units: at 1 this ran 1.0-1.3 s of CPU).
-- want: instruction budget exceeded
return {
	id = "h-table-scan",
	severity = "error",
	category = "test",
	description = "hostile: table.concat/unpack/sort loops in C",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local t = {}
		for i = 1, 200000 do t[i] = "" end
		local n = 0
		for _ = 1, 1e6 do
			n = n + #table.concat(t) + select("#", table.unpack(t))
			table.sort(t)
		end
		return n
	end,
}
