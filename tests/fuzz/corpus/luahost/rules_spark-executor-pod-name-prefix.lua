-- rules/spark-executor-pod-name-prefix.lua: executor pod names are valid and
-- do not collide across apps (L22).
local MAX = 47

return {
	id = "spark-executor-pod-name-prefix",
	severity = "error",
	category = "correctness",
	description = "spark.kubernetes.executor.podNamePrefix is too long, invalid, or shared by two Spark apps in a namespace",
	hint = "use a DNS-1123 label of at most 47 characters, unique per app and namespace (e.g. <app>-<short-random>)",
	finish = function(ctx)
		local seen = {}
		local function visit(obj, conf, ce)
			local e = conf["spark.kubernetes.executor.podNamePrefix"]
			if not e then
				return
			end
			local v = spark.expand(ce, e.value)
			if spark.var_ref(e.value) then
				return	-- set from the environment at run time
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
			local key = ctx:namespace(obj) .. "\0" .. v
			local first = seen[key]
			if first and first ~= obj then
				ctx:report{ obj = e.obj, path = e.path,
					message = string.format("executor podNamePrefix '%s' of %s is also used by %s in namespace '%s': their executors' names collide",
						v, kube.describe(obj), kube.describe(first), ctx:namespace(obj)) }
			elseif not first then
				seen[key] = obj
			end
		end
		for _, o in ipairs(spark.drivers(ctx)) do
			local ce = spark.driver_container(o)
			if ce then
				visit(o, spark.conf(ctx, o, ce), ce)
			end
		end
		for _, o in ipairs(ctx:objects("SparkApplication")) do
			visit(o, spark.conf(ctx, o, nil), nil)
		end
	end,
}
