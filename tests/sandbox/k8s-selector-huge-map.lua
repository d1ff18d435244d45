-- expect-error: instruction budget exceeded
-- k8s.selector_matches loops over the selector in C, out of the count
-- hook's sight: it must charge the keys it examines
local labels = {}
for i = 1, 50000 do labels["k" .. i] = "v" end
for _ = 1, 1000 do k8s.selector_matches(labels, labels) end
return "blocked"
