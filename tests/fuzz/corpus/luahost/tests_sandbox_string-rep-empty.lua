-- expect: blocked
-- Lua's string.rep loops n times even for empty pieces
if #string.rep('', 1e15) == 0 and #string.rep('', 1e15, '') == 0 then return 'blocked' end
