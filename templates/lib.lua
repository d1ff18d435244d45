-- templates/lib.lua: helpers for template expressions, available as `lib`.
-- Loaded once per app, after the model's globals (app, driver, names, ...).
-- A helper returning nil removes the key or list item it fills.
local lib = {}

-- v when cond holds, else nil (the key disappears)
function lib.when(cond, v)
  if cond then return v end
  return nil
end

-- t unless it is an empty table (nil then).  The model's tables are
-- read-only proxies: iterate them with pairs/ipairs, never next.
function lib.nonempty(t)
  if t == nil then return nil end
  for _ in pairs(t) do return t end
  return nil
end

-- The strings among a and b, in that order, joined by sep (nil ones left out).
function lib.join(sep, a, b)
  if a and b then return a .. sep .. b end
  return a or b
end

-- Tolerations shortening (or lengthening) how long the driver stays bound
-- to an unreachable or not-ready node; nil for Kubernetes' own 300 s.
function lib.node_loss_tolerations(seconds)
  if seconds == nil or seconds == 300 then return nil end
  local t = {}
  for _, key in ipairs({ "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" }) do
    t[#t + 1] = { key = key, operator = "Exists", effect = "NoExecute",
                  tolerationSeconds = seconds }
  end
  return t
end

return lib
