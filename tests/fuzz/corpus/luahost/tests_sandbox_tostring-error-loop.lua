-- expect-error: instruction budget exceeded
-- the host describes error objects; a looping __tostring must not hang it
error(setmetatable({}, { __tostring = function() while true do end end }))
