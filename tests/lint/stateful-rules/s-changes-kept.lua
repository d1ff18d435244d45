-- s-changes-kept: finish() changes a part of a document that check() kept
-- (wrong twice: it changes a shared object, and only in the worker that
-- checked it).
local labels = {}
return {
	id = "s-changes-kept",
	severity = "warning",
	category = "test",
	description = "a ConfigMap with labels",
	hint = "none",
	kinds = { "ConfigMap" },
	check = function(obj, ctx)
		labels[#labels + 1] = obj.metadata.labels
		ctx:report{ path = { "metadata", "labels" }, message = "labelled" }
	end,
	finish = function()
		for _, l in ipairs(labels) do
			l.changed = "yes"
		end
	end,
}
