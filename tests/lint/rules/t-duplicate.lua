-- t-duplicate: two objects with one kind, namespace and name (finish()).
return {
	id = "t-duplicate",
	severity = "info",
	category = "test",
	description = "object defined twice",
	hint = "keep one definition",
	finish = function(ctx)
		local seen = {}
		for _, o in ipairs(ctx:objects()) do
			local name = o.metadata and o.metadata.name
			if name then
				local key = o.kind .. "/" .. ctx:namespace(o) .. "/" .. name
				if seen[key] then
					ctx:report{ obj = o, path = { "metadata", "name" },
						message = ("%s also defined in %s"):format(key, ctx:file(seen[key])) }
				else
					seen[key] = o
				end
			end
		end
	end,
}
