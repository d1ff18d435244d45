-- expect-error: attempt to call a nil value (field 'dump')
-- produce bytecode (which a later load could run unchecked)
return string.dump(function() end)
