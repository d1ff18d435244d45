-- t-select: what ctx:selecting and ctx:select return (the engine answers
-- them from label indexes; tests/lint/select-rules/tests/t-select/fail.yaml
-- lists every match, so a candidate the index loses is a missing finding and
-- one it invents an unexpected finding).  Results must come in document order.
local SELECTS = {
	{ app = "x" },					-- an equality term: one label bucket
	{ matchExpressions = { { key = "tier", operator = "Exists" } } },	-- no equality: every pod
	{ matchLabels = { app = "x" }, matchExpressions = { { key = "tier", operator = "NotIn", values = { "db" } } } },
	{ version = 2 },				-- a number: compared as the text "2"
}

local function in_order(ctx, kind, list)
	local pos = {}
	for i, o in ipairs(ctx:objects(kind)) do
		pos[o] = i
	end
	local last = 0
	for _, o in ipairs(list) do
		if not pos[o] or pos[o] <= last then
			ctx:report{ obj = o, path = { "apiVersion" }, message = "out of document order" }
		end
		last = pos[o] or last
	end
end

return {
	id = "t-select",
	severity = "warning",
	category = "test",
	description = "reports every match of ctx:selecting and ctx:select",
	hint = "none",
	finish = function(ctx)
		for _, pod in ipairs(ctx:objects("Pod")) do
			local labels = {}
			for k, v in pairs(pod.metadata.labels or {}) do
				labels[k] = tostring(v)
			end
			for _, kind in ipairs({ "Service", "NetworkPolicy" }) do
				local l = ctx:selecting(kind, labels, ctx:namespace(pod))
				in_order(ctx, kind, l)
				for _, o in ipairs(l) do
					ctx:report{ obj = o, path = { "metadata", "name" },
						message = "selects pod " .. pod.metadata.name }
				end
			end
		end
		for i, sel in ipairs(SELECTS) do
			local l = ctx:select("Pod", sel)
			in_order(ctx, "Pod", l)
			for _, o in ipairs(l) do
				ctx:report{ obj = o, path = { "kind" }, message = "matches selector " .. i }
			end
		end
		for _, o in ipairs(ctx:select("Pod", { app = "x" }, "b")) do
			ctx:report{ obj = o, path = { "metadata", "labels" }, message = "matches in namespace b" }
		end
	end,
}
