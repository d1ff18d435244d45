-- rules/spark-legacy-shuffle.lua: the 2.2 fork's shuffle service is found by
-- labels and shares host directories with the executors (L26).
local function parse_labels(s)
	local l, n = {}, 0
	for pair in s:gmatch("[^,]+") do
		local eq = pair:find("=", 1, true)
		local k = eq and spark.trim(pair:sub(1, eq - 1))
		local v = eq and spark.trim(pair:sub(eq + 1))
		if k and k ~= "" then
			l[k] = v
			n = n + 1
		end
	end
	return l, n
end

-- Does DaemonSet `ds` see host directory `dir` at the same path?
local function sees(ds, dir)
	for _, ce in ipairs(kube.containers(ds)) do
		for _, m in ipairs(kube.mounts(ds, ce)) do
			local hp = kube.str(kube.get(m.volume, "hostPath", "path"))
			if hp and m.mount_path and kube.path_under(dir, m.mount_path) then
				local rel = dir:sub(#m.mount_path + 1)
				if kube.path_under(hp .. rel, dir) and kube.path_under(dir, hp .. rel) then
					return true
				end
			end
		end
	end
	return false
end

local function check_conf(ctx, x)
	local conf = x.conf
	local ess = conf["spark.shuffle.service.enabled"]
	if ess and spark.is_true(ess.value) and spark.is_legacy(conf, x.ce) then
		local le = conf["spark.kubernetes.shuffle.labels"]
		local ns = spark.get(conf, "spark.kubernetes.shuffle.namespace") or "default"
		local labels, n = parse_labels(le and le.value or "")
		local match = {}
		if n > 0 then
			for _, ds in ipairs(ctx:objects("DaemonSet", ns)) do
				if kube.labels_subset(labels, kube.pod_labels(ds)) then
					match[#match + 1] = ds
				end
			end
		end
		if not le or n == 0 then
			ctx:report{ obj = ess.obj, path = ess.path,
				message = string.format("%s enables the shuffle service but sets no spark.kubernetes.shuffle.labels to find its pods",
					kube.describe(x.obj)) }
		elseif #match ~= 1 then
			ctx:report{ obj = le.obj, path = le.path,
				message = string.format("spark.kubernetes.shuffle.labels '%s' of %s match %d DaemonSets in namespace '%s'; exactly one shuffle pod per node must match",
					le.value, kube.describe(x.obj), #match, ns) }
		end
		local ld = conf["spark.local.dir"]
		if not ld then
			ctx:report{ obj = ess.obj, path = ess.path,
				message = string.format("%s enables the shuffle service but does not set spark.local.dir, which must be a host directory the shuffle pods mount",
					kube.describe(x.obj)) }
		elseif #match == 1 then
			for dir in ld.value:gmatch("[^,]+") do
				dir = spark.trim(dir)
				if not sees(match[1], dir) then
					ctx:report{ obj = ld.obj, path = ld.path,
						message = string.format("spark.local.dir '%s' of %s is not mounted from the same host path in %s: the shuffle service cannot read the executors' files",
							dir, kube.describe(x.obj), kube.describe(match[1])) }
				end
			end
		end
	end
end

local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-legacy-shuffle",
	severity = "error",
	category = "correctness",
	description = "legacy Spark 2.2 fork: shuffle labels or spark.local.dir do not line up with exactly one shuffle DaemonSet",
	hint = "make spark.kubernetes.shuffle.labels match exactly one DaemonSet in spark.kubernetes.shuffle.namespace, and set spark.local.dir to a directory it mounts from the same host path",
	kinds = KINDS,
	check = function(obj, ctx)
		local x = spark.conf_entry(ctx, obj)
		if x then
			check_conf(ctx, x)
		end
	end,
}
