-- t-driver-pod: a Pod labelled spark-role=driver (engine test rule).
return {
	id = "t-driver-pod",
	severity = "error",
	category = "test",
	description = "a bare Pod labelled as a Spark driver",
	hint = "run it from a Job",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local labels = obj.metadata and obj.metadata.labels
		if type(labels) == "table" and labels["spark-role"] == "driver" then
			ctx:report{ obj = obj, path = { "kind" },
				message = ("pod '%s' is a bare driver"):format(obj.metadata.name) }
		end
	end,
}
