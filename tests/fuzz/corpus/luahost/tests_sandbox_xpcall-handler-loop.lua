-- expect-error: instruction budget exceeded
xpcall(function() while true do end end, function() while true do end end)
return 'escaped'
