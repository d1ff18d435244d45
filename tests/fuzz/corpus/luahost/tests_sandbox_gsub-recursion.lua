-- expect-error: stack overflow
-- recursion through a C function uses the C stack
local function g(s) return (s:gsub('.', g)) end
return g('abc')
