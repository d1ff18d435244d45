-- expect-error: cannot change a protected metatable
setmetatable(_ENV, nil)
