-- expect-error: attempt to index a boolean value
-- the metatable of _ENV leads to the shared base environment
getmetatable(_ENV).__index.string = nil
