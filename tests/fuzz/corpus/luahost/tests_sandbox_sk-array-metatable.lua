-- expect-error: attempt to index a boolean value
getmetatable(sk.array()).__newindex = function() end
