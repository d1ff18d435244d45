-- m-top-memory: runs out of memory while the file is run (Lua gives such an
-- error no position: the loader must still name the file).
local t = {}
for i = 1, 1e9 do t[i] = string.rep("x", 64) .. i end
return {
	id = "m-top-memory",
	severity = "error",
	category = "test",
	description = "malformed rule",
	hint = "none",
	check = function(obj, ctx) end,
}
