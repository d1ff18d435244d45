-- expect-error: table is read-only
rawset(_G, 'print', function() end)
