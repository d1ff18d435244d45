-- lib/re.lua: a module named like the sandbox's `re`: refused, not installed over it.
local M = {}
function M.helper() return 1 end
return M
