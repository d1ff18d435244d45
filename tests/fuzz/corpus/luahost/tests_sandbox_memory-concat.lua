-- expect-error: memory limit exceeded
local s = string.rep('x', 1 << 20)
local t = {}
for i = 1, 200 do t[i] = s end
return table.concat(t)
