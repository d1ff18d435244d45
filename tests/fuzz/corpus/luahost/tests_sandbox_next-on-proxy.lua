-- expect: blocked
-- raw iteration of a proxy sees nothing (and nothing writable)
if next(string) == nil and next(_G) == nil then return 'blocked' end
