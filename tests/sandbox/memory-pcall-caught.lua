-- expect-error: memory limit exceeded
-- fill the cap and catch each memory error: the call that could not get
-- its memory fails all the same, or the code after it would be blamed
local keep = {}
for _, sz in ipairs({1 << 20, 1 << 16, 1 << 12, 1 << 8, 64}) do
	pcall(function()
		local s = string.rep("x", sz)
		for i = 1, 1e6 do keep[#keep + 1] = s .. i end
	end)
end
return "caught"
