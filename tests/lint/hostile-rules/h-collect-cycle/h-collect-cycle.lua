-- h-collect-cycle: collects a table that contains itself (hostile rule; the
-- encoder must not recurse without end).
-- want: ctx:collect: value nested deeper than 64 (a cycle?)
return {
	id = "h-collect-cycle",
	severity = "error",
	category = "test",
	description = "hostile: ctx:collect() of a cyclic table",
	hint = "none",
	check = function(obj, ctx)
		local t = {}
		t.self = t
		ctx:collect(t)
	end,
	finish = function(ctx) end,
}
