-- expect-error: attempt to index a boolean value
-- replace string.upper for every rule through the string metatable
getmetatable('').__index.upper = function() return 'pwned' end
