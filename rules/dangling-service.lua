-- rules/dangling-service.lua: kube-linter's dangling-service check.
--
-- check() collects each workload's pod labels (kube.pod_entry) and each
-- Service with a selector; finish() indexes the labels and reports the
-- Services that match none, so no Lua state derives every workload.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "Service"

return {
	id = "dangling-service",
	severity = "warning",
	category = "correctness",
	description = "Service selector matches no pods in the linted files",
	hint = "fix the Service's selector or the pod template labels so that they match",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind ~= "Service" then
			ctx:collect(kube.pod_entry(ctx, obj))
			return
		end
		local sel = kube.tab(kube.get(obj, "spec", "selector"))
		if sel and next(sel) ~= nil and kube.get(obj, "spec", "type") ~= "ExternalName" then
			ctx:collect({ svc = obj, ns = ctx:namespace(obj) })
		end
	end,
	finish = function(ctx)
		local all = ctx:collected()
		local pods, svcs = {}, {}
		for _, v in ipairs(all) do
			if v.svc then
				svcs[#svcs + 1] = v
			else
				pods[#pods + 1] = v
			end
		end
		if #svcs == 0 then
			return
		end
		local idx = kube.pod_index(pods)
		for _, v in ipairs(svcs) do
			local svc = v.svc
			if #kube.matching_entries(idx, v.ns, kube.get(svc, "spec", "selector")) == 0 then
				ctx:report{ obj = svc, path = { "spec", "selector" },
					message = string.format("no pods found matching the selector of %s", kube.describe(svc)) }
			end
		end
	end,
}
