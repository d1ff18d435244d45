-- expect-error: instruction budget exceeded
-- catching the budget error must not let the rule run on
while true do pcall(function() while true do end end) end
