-- expect-error: instruction budget exceeded
-- the same for the values of a matchExpressions entry, scanned in C
local values = {}
for i = 1, 50000 do values[i] = "v" .. i end
local sel = { matchExpressions = { { key = "a", operator = "In", values = values } } }
for _ = 1, 1000 do k8s.selector_matches(sel, { a = "none" }) end
return "blocked"
