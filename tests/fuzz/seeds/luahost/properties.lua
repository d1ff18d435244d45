local obj = ...
local t = sk.parse_properties("a=1\r\n  b : two words \n# c\n!d\ne f\tg\nx=\\\n  y\\\\\nlast")
local n = 0
for k, e in sk.sorted_pairs(t) do n = n + e.line + #k + #e.value end
return n, sk.parse_properties(sk.get(obj, "metadata", "name")), sk.parse_properties(("k=v\\\n"):rep(50))
