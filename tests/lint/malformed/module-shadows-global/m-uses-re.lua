-- A rule that uses the sandbox's re: it must keep working beside a lib/re.lua.
return {
	id = "m-uses-re",
	severity = "error",
	category = "test",
	description = "uses re.test",
	hint = "none",
	check = function(obj, ctx)
		if re.test(obj.kind or "", "^Never$") then
			ctx:report{ message = "never" }
		end
	end,
}
