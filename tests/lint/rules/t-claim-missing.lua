-- t-claim-missing: a Job's PVC volume names a claim that is not in the set.
return {
	id = "t-claim-missing",
	severity = "error",
	category = "test",
	description = "volume refers to a PersistentVolumeClaim that does not exist",
	hint = "add the claim or fix its name",
	kinds = { "Job" },
	check = function(obj, ctx)
		local pod, base = tk.pod(obj)
		for i, v in ipairs(pod and pod.volumes or {}) do
			local pvc = v.persistentVolumeClaim
			if type(pvc) == "table" and pvc.claimName and
			    not ctx:find("PersistentVolumeClaim", pvc.claimName, ctx:namespace(obj)) then
				ctx:report{ path = tk.path(base, "volumes", i, "persistentVolumeClaim", "claimName"),
					message = ("claim '%s' not found in namespace '%s'"):format(
						pvc.claimName, ctx:namespace(obj)) }
			end
		end
	end,
}
