-- expect-error: attempt to index a boolean value
-- tamper with the metatable shared by sk.null (and every light userdata)
getmetatable(sk.null).__tostring = function() return 'pwned' end
