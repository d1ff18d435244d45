-- expect-error: instruction budget exceeded
while true do end
