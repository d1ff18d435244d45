-- expect-error: cannot modify read-only table 'string'
string.upper = function() return 'pwned' end
