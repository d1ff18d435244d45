-- rules/dangling-service.lua: kube-linter's dangling-service check.
return {
	id = "dangling-service",
	severity = "warning",
	category = "correctness",
	description = "Service selector matches no pods in the linted files",
	hint = "fix the Service's selector or the pod template labels so that they match",
	finish = function(ctx)
		local idx = kube.label_index(ctx)
		for _, svc in ipairs(ctx:objects("Service")) do
			local sel = kube.tab(kube.get(svc, "spec", "selector"))
			if sel and next(sel) ~= nil and kube.get(svc, "spec", "type") ~= "ExternalName"
				and #kube.matching_workloads(idx, ctx:namespace(svc), sel) == 0 then
				ctx:report{ obj = svc, path = { "spec", "selector" },
					message = string.format("no pods found matching the selector of %s", kube.describe(svc)) }
			end
		end
	end,
}
