-- expect: blocked
-- __gc added after setmetatable is never called by Lua 5.4
local mt = {}
setmetatable({}, mt)
mt.__gc = function() while true do end end
return 'blocked'
