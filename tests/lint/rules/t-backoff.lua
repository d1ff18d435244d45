-- t-backoff: Job backoffLimit above a configurable maximum; missing
-- ttlSecondsAfterFinished is reported at its nearest ancestor.
return {
	id = "t-backoff",
	severity = "warning",
	category = "test",
	description = "Job backoffLimit too high or ttl unset",
	hint = "lower spec.backoffLimit",
	kinds = { "Job" },
	options = { maxBackoff = 6, wantTtl = true },
	check = function(obj, ctx)
		local b = obj.spec and obj.spec.backoffLimit
		if type(b) == "number" and b > ctx.options.maxBackoff then
			ctx:report{ path = { "spec", "backoffLimit" },
				message = ("backoffLimit %d is above %d"):format(b, ctx.options.maxBackoff) }
		end
		if ctx.options.wantTtl and obj.spec and obj.spec.ttlSecondsAfterFinished == nil then
			ctx:report{ path = { "spec", "ttlSecondsAfterFinished" }, severity = "info",
				hint = "set spec.ttlSecondsAfterFinished",
				message = "ttlSecondsAfterFinished is not set" }
		end
	end,
}
