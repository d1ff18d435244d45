-- expect-error: cannot change a protected metatable
setmetatable(string, { __index = function() return function() return 'pwned' end end })
