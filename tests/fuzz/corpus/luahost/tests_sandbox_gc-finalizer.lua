-- expect-error: '__gc' metamethods are not allowed
-- a finalizer runs outside every budget (even in lua_close)
setmetatable({}, { __gc = function() while true do end end })
