-- expect: blocked
-- shadowing library names in the chunk's own _ENV is fine and stays local
string = { upper = function() return 'pwned' end }
print = nil
re = nil
if string.upper('x') == 'pwned' then return 'blocked' end
