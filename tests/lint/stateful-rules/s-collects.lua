-- s-collects: s-kept-in-upvalue done right, through ctx:collect.
return {
	id = "s-collects",
	severity = "warning",
	category = "test",
	description = "a ConfigMap without data",
	hint = "add data",
	kinds = { "ConfigMap" },
	check = function(obj, ctx)
		if obj.data == nil then
			ctx:collect(obj)
		end
	end,
	finish = function(ctx)
		for _, o in ipairs(ctx:collected()) do
			ctx:report{ obj = o, path = { "metadata", "name" },
				message = ("ConfigMap '%s' has no data"):format(o.metadata.name) }
		end
	end,
}
