local obj, model = ...
local out = {}
for k, v in sk.sorted_pairs(obj) do out[#out + 1] = k end
local c = obj.spec.template.spec.containers[1]
assert(k8s.quantity(c.resources.limits.memory) == 1.5 * 1024 ^ 3)
assert(re.match(c.image, "^(\\w+):([\\d.]+)$"))
local s = re.gsub("a-b-c", "-", { ["-"] = "+" })
obj.metadata.name = "changed"
return out, model.app, sk.array(), { x = sk.null, y = { 1, 2, { z = 0.5 } } }, s, #c.ports
