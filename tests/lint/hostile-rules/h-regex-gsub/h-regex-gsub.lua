-- h-regex-gsub: re.gsub over a megabyte, again and again (hostile rule; must
-- end as a rule-error).  Each match once rescanned the rest of the subject
-- for invalid UTF-8, so one call was quadratic and only the 60 s wall clock
-- ended the rule, at a point that depended on the machine.
-- want: instruction budget exceeded
return {
	id = "h-regex-gsub",
	severity = "error",
	category = "test",
	description = "hostile: re.gsub over a long subject",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		local s = string.rep("a", 1000000)
		for _ = 1, 30 do
			s = re.gsub(s, "a", "aa")
		end
	end,
}
