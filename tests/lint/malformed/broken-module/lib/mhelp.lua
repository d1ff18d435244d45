-- mhelp: a helper module that fails as it loads.
local M = {}
error("mhelp is broken")
return M
