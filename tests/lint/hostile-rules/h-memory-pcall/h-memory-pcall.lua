-- h-memory-pcall: fills the memory cap and catches every memory error
-- (hostile rule; it is the one that fails, and what it keeps is let go, so
-- the rules called after it in the same state are not blamed instead).
-- want: memory limit exceeded
local keep = {}
return {
	id = "h-memory-pcall",
	severity = "error",
	category = "test",
	description = "hostile: fills the memory cap under pcall",
	hint = "none",
	check = function(obj, ctx)
		for _, sz in ipairs({ 1 << 20, 1 << 16, 1 << 12, 1 << 8, 64 }) do
			pcall(function()
				local s = string.rep("x", sz)
				for i = 1, 1e6 do keep[#keep + 1] = s .. i end
			end)
		end
	end,
}
