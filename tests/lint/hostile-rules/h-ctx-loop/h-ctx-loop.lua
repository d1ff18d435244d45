-- h-ctx-loop: asks for every object forever from finish() (hostile rule;
-- ctx work is done in C, so it needs its own budget).
return {
	id = "h-ctx-loop",
	severity = "error",
	category = "test",
	description = "hostile: endless ctx:objects() calls",
	hint = "none",
	finish = function(ctx)
		while true do
			ctx:objects()
		end
	end,
}
