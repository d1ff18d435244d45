-- h-report-flood: 80 MB of findings from each check() call (hostile rule;
-- findings are kept in C, outside the Lua memory cap, so a rule's findings
-- have a cap of their own: past it in document order, the rule fails).
-- want: ctx:report: its findings passed
return {
	id = "h-report-flood",
	severity = "info",
	category = "test",
	description = "hostile: reports 20,000 findings of 4 KB a call",
	hint = "none",
	check = function(obj, ctx)
		local m = string.rep("x", 4000)
		for i = 1, 20000 do
			ctx:report{ message = m }
		end
	end,
}
