-- expect-error: cannot modify read-only table 'string'
-- pairs() on a proxy must not hand out the real table
local _, t = pairs(string)
t.upper = nil
