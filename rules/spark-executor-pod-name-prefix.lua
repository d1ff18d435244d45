-- rules/spark-executor-pod-name-prefix.lua: executor pod names are valid and
-- do not collide across apps (L22).  check() judges each driver's or
-- SparkApplication's prefix and collects it; finish() finds the prefixes
-- two apps of a namespace share.  A PodTemplate's prefix is judged (every
-- pod made from it carries it) but not collected: it is no app of its own,
-- and the Job copied from it would "share" its prefix.
local MAX = 47

local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

return {
	id = "spark-executor-pod-name-prefix",
	severity = "error",
	category = "correctness",
	description = "spark.kubernetes.executor.podNamePrefix is too long, invalid, or shared by two Spark apps in a namespace",
	hint = "use a DNS-1123 label of at most 47 characters, unique per app and namespace (e.g. <app>-<short-random>)",
	kinds = KINDS,
	check = function(obj, ctx)
		local conf, ce
		if obj.kind == "SparkApplication" then
			conf = spark.conf(ctx, obj, nil)
		elseif spark.spec_is_driver(obj) then
			ce = spark.driver_container(obj)
			if not ce then
				return
			end
			conf = spark.conf(ctx, obj, ce)
		else
			return
		end
		local e = conf["spark.kubernetes.executor.podNamePrefix"]
		if not e then
			return
		end
		local v = spark.expand(ce, e.value, e.shell)
		if v:find("$(", 1, true) or (e.shell and v:find("[$`]")) then
			return	-- set from the environment or a command at run time
		end
		if #v > MAX then
			ctx:report{ obj = e.obj, path = e.path,
				message = string.format("executor podNamePrefix '%s' of %s is %d characters; Spark allows at most %d",
					v, kube.describe(obj), #v, MAX) }
		elseif not k8s.dns1123_label(v) then
			ctx:report{ obj = e.obj, path = e.path,
				message = string.format("executor podNamePrefix '%s' of %s is not a DNS-1123 label (lower-case letters, digits and '-')",
					v, kube.describe(obj)) }
		end
		if obj.kind ~= "PodTemplate" then
			ctx:collect{ ns = ctx:namespace(obj), prefix = v, obj = e.obj, path = e.path, owner = obj }
		end
	end,
	finish = function(ctx)
		-- "the first" app of a prefix is the one met first when reading
		-- drivers in spark.drivers order, then SparkApplications
		local seen = {}
		for _, x in ipairs(spark.in_drivers_order(ctx:collected(), "owner")) do
			local key = x.ns .. "\0" .. x.prefix
			local first = seen[key]
			if first and first ~= x.owner then
				ctx:report{ obj = x.obj, path = x.path,
					message = string.format("executor podNamePrefix '%s' of %s is also used by %s in namespace '%s': their executors' names collide",
						x.prefix, kube.describe(x.owner), kube.describe(first), x.ns) }
			elseif not first then
				seen[key] = x.owner
			end
		end
	end,
}
