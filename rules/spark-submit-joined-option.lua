-- rules/spark-submit-joined-option.lua: a spark-submit option and its value
-- written as one element of command/args, where no shell splits them.
-- spark-submit's parser splits a word only at '=' ("--conf=k=v"): it takes
-- "--conf k=v" for the unknown option "--conf k", refuses it and launches
-- nothing.

-- The option spark-submit looks up for a word: SparkSubmitOptionParser
-- matches "(--[^=]+)=(.+)" against the whole word and takes group 1.
local function seen_as(s)
	local o = s:match("^(%-%-[^=]+)=.")
	return o or s
end

-- A word as quoted in the message: at most 80 bytes, cut before a UTF-8
-- continuation byte so that no character is split.
local function short(s)
	if #s <= 80 then
		return s
	end
	local n = 77
	while n > 1 and s:byte(n + 1) and s:byte(n + 1) >= 0x80 and s:byte(n + 1) < 0xC0 do
		n = n - 1
	end
	return s:sub(1, n) .. "..."
end

return {
	id = "spark-submit-joined-option",
	severity = "error",
	category = "correctness",
	description = "a spark-submit option and its value are one argument (\"--conf k=v\"), which spark-submit refuses",
	hint = "make the option and its value two elements (\"--conf\", \"k=v\"), or join them with '=' (\"--conf=k=v\")",
	kinds = kube.workload_kinds(),
	check = function(obj, ctx)
		for _, ce in ipairs(kube.containers(obj)) do
			local s = spark.submit(ce)
			for _, j in ipairs(s and s.joined or {}) do
				ctx:report{ obj = obj, path = j.word.path,
					message = string.format("container '%s' of %s passes \"%s\" to spark-submit as one argument: no shell splits it, spark-submit takes it for the unknown option '%s' (it splits an option from its value only at '=') and exits",
						ce.name or "?", kube.describe(obj), short(j.word.s), short(seen_as(j.word.s))) }
			end
		end
	end,
}
