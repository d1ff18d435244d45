-- h-os: reaching for os (hostile rule; must end as a rule-error).
return {
	id = "h-os",
	severity = "error",
	category = "test",
	description = "hostile: reaching for os",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		os.execute("touch /tmp/sparklint-pwned")
	end,
}
