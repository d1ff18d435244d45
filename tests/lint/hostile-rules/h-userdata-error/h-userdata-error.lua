-- h-userdata-error: an error whose value is a userdata (hostile rule; must end as a rule-error).
-- want: null (checking Pod 'driver')
return {
	id = "h-userdata-error",
	severity = "error",
	category = "test",
	description = "hostile: an error whose value is a userdata",
	hint = "none",
	kinds = { "Pod" },
	check = function(obj, ctx)
		error(sk.null)	-- the only userdata a rule can reach: its __tostring gives "null"
	end,
}
