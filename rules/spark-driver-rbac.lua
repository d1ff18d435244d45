-- rules/spark-driver-rbac.lua: the in-cluster driver's service account may
-- manage its executors (L23); so may a SparkApplication's driver.
local KINDS = kube.workload_kinds()
KINDS[#KINDS + 1] = "SparkApplication"

local function needs(conf)
	local n = {
		{ "pods", "create" }, { "pods", "get" }, { "pods", "list" }, { "pods", "watch" }, { "pods", "delete" },
	}
	if not spark.is_true(spark.get(conf, "spark.kubernetes.executor.disableConfigMap")) then
		n[#n + 1] = { "configmaps", "create" }
		n[#n + 1] = { "configmaps", "delete" }
	end
	for _, x in ipairs(spark.with_prefix(conf, "spark.kubernetes.executor.volumes.persistentVolumeClaim.")) do
		if x.key:match("%.options%.claimName$") and x.e.value == "OnDemand" then
			for _, v in ipairs({ "create", "get", "list", "delete" }) do
				n[#n + 1] = { "persistentvolumeclaims", v }
			end
			break
		end
	end
	return n
end

-- Where the driver is left without an API token, or nil: its pod (or, when
-- the pod says nothing, its service account) turns automounting off, and
-- neither a Spark authentication setting, a KUBECONFIG nor a projected
-- token takes its place.  spark-submit then cannot create executors.
local function no_token(ctx, obj, ce, p, ns, sa, conf)
	local auto, at = kube.get(p.spec, "automountServiceAccountToken"), nil
	if auto == nil then
		local acct = ctx:find("ServiceAccount", sa, ns)
		auto = acct and kube.get(acct, "automountServiceAccountToken")
		at = "its service account '" .. sa .. "' sets automountServiceAccountToken: false"
	end
	if auto ~= false or #spark.with_prefix(conf, "spark.kubernetes.authenticate.") > 0 or
		kube.env(ce.c).KUBECONFIG then
		return nil
	end
	for _, v in ipairs(kube.list(kube.get(p.spec, "volumes"))) do
		for _, src in ipairs(kube.list(kube.get(v, "projected", "sources"))) do
			if kube.get(src, "serviceAccountToken") ~= nil then
				return nil
			end
		end
	end
	return at or "its pod sets automountServiceAccountToken: false",
		at and p.path or kube.path(p.path, "automountServiceAccountToken")
end

local judge

local function check_driver(ctx, obj, idx)
	local ce = spark.client_driver(obj, ctx)
	if not ce or not spark.submit(ce) or spark.other_master(ctx, obj, ce) then
		return	-- (another cluster manager runs its executors)
	end
	local conf = spark.conf(ctx, obj, ce)
	local ns, sa = ctx:namespace(obj), kube.service_account(obj)
	local p = kube.pod(obj)
	local path = kube.get(p.spec, "serviceAccountName") and kube.path(p.path, "serviceAccountName") or p.path
	local why, at = no_token(ctx, obj, ce, p, ns, sa, conf)
	if why then
		ctx:report{ obj = obj, path = at,
			message = string.format("Spark driver %s gets no API token (%s): it cannot authenticate to create its executor pods",
				kube.describe(obj), why) }
		return
	end
	judge(ctx, obj, path, ns, sa, conf, idx)
end

-- The account a SparkApplication's driver pod runs as, and the path of the
-- field naming it: spec.driver.serviceAccount, which the operator passes as
-- spark.kubernetes.authenticate.driver.serviceAccountName after the
-- sparkConf (so it wins), else that conf, else the serviceAccountName of
-- spec.driver.template (Spark keeps the template's when no conf sets one),
-- else 'default' (at spec.driver, or spec).
local function app_account(conf, obj)
	local sa = kube.str(kube.get(obj, "spec", "driver", "serviceAccount"))
	if sa and sa ~= "" then
		return sa, { "spec", "driver", "serviceAccount" }
	end
	local e = conf["spark.kubernetes.authenticate.driver.serviceAccountName"]
	if e and e.value ~= "" then
		return e.value, e.path
	end
	local tspec = { "spec", "driver", "template", "spec" }
	for _, key in ipairs({ "serviceAccountName", "serviceAccount" }) do
		sa = kube.str(kube.get(obj, "spec", "driver", "template", "spec", key))
		if sa and sa ~= "" then
			return sa, kube.path(tspec, key)
		end
	end
	return "default", kube.get(obj, "spec", "driver") and { "spec", "driver" } or { "spec" }
end

-- A SparkApplication's driver pod (cluster mode, the operator's only mode
-- in practice) runs as app_account.  An account named but bound to nothing
-- is reported only when the set holds RBAC of the app's namespace (the
-- ServiceAccount itself or a RoleBinding there); otherwise its account and
-- bindings are the operator Helm chart's (spark.serviceAccount,
-- spark.rbac), outside the app's files, as for a role outside them.
-- 'default' is always reported: nothing grants it Spark's rights.
local function check_app(ctx, obj, idx)
	local mode = kube.str(kube.get(obj, "spec", "mode"))
	if mode and mode ~= "cluster" then
		return
	end
	local conf = spark.conf(ctx, obj, nil)
	local sa, path = app_account(conf, obj)
	judge(ctx, obj, path, ctx:namespace(obj), sa, conf, idx)
end

-- Report what the bindings of service account `sa` fail to grant the driver
-- of `obj`, at `path`.
judge = function(ctx, obj, path, ns, sa, conf, idx)
	local bindings = kube.sa_bindings(ctx, ns, sa, idx)
	local rules = {}
	for _, b in ipairs(bindings) do
		if not b.role then
			if b.role_kind == "ClusterRole" and kube.BROAD_CLUSTER_ROLES[b.role_name or ""] then
				return	-- built-in edit/admin grant everything needed (see spark-driver-rbac-cluster-wide)
			end
			return	-- a role outside the linted files: cannot judge
		end
		for _, r in ipairs(kube.list(b.role.rules)) do
			rules[#rules + 1] = r
		end
	end
	if #bindings == 0 then
		if obj.kind == "SparkApplication" and sa ~= "default" and not ctx:find("ServiceAccount", sa, ns) and
			#ctx:objects("RoleBinding", ns) == 0 then
			return	-- the account and its RBAC come with the operator (its Helm chart), not with the app
		end
		ctx:report{ obj = obj, path = path, severity = "warning",
			message = string.format("no RoleBinding in the linted files grants anything to service account '%s' of Spark driver %s, which must create its executor pods",
				sa, kube.describe(obj)) }
		return
	end
	local missing = {}
	for _, need in ipairs(needs(conf)) do
		if not kube.rules_allow(rules, "", need[1], need[2]) then
			missing[#missing + 1] = need[1] .. " " .. need[2]
		end
	end
	if #missing > 0 then
		ctx:report{ obj = obj, path = path,
			message = string.format("service account '%s' of Spark driver %s lacks %s: the driver cannot manage its executors",
				sa, kube.describe(obj), table.concat(missing, ", ")) }
	end
end

return {
	id = "spark-driver-rbac",
	severity = "error",
	category = "correctness",
	description = "the in-cluster Spark driver's service account may not create and manage executor pods",
	hint = "bind the driver's service account (RoleBinding, same namespace) to a Role granting pods create/get/list/watch/delete and configmaps create/delete",
	kinds = KINDS,
	check = function(obj, ctx)
		if obj.kind == "SparkApplication" then
			check_app(ctx, obj, kube.binding_index(ctx))
		elseif spark.is_driver(obj) then
			check_driver(ctx, obj, kube.binding_index(ctx))
		end
	end,
}
