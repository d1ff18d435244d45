-- expect-error: table is read-only
-- rawset would bypass the proxy's __newindex and shadow the real function
rawset(string, 'upper', function() return 'pwned' end)
