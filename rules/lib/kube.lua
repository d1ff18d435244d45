-- rules/lib/kube.lua: Kubernetes object helpers shared by every rule.
--
-- Loaded before the rules (and before rules/lib/spark.lua) and installed as the
-- global `kube`.  Objects are the read-only tables the engine builds from YAML:
-- maps are string-keyed tables, sequences are arrays, YAML null is `sk.null`.
-- Every helper here tolerates missing or mistyped fields (a linter sees broken
-- input all the time): a field of the wrong type reads as absent.
--
-- Paths are arrays of map keys and 1-based indices, as ctx:report wants them.
--
-- Speed: every rule of a Lua state sees the same object tables, so what is
-- derived from an object (its pod, containers, mounts, env, ports) is
-- computed once per table and kept in kube.cache(obj) (it goes with the
-- table when the engine lets that go); what is derived from the whole set
-- (kube.workloads, indexes) once per state in ctx:memo().  The
-- tables these helpers return are therefore shared between rules: read
-- them, never change them (copy what you need to change).

local kube = {}

local null = sk.null

-- {======================================================================
-- Values
-- =======================================================================

-- The value if it is a table (map or sequence), else nil.
function kube.tab(v)
	if type(v) == "table" and v ~= null then
		return v
	end
	return nil
end

-- The value if it is a string, else nil.
function kube.str(v)
	if type(v) == "string" then
		return v
	end
	return nil
end

-- Derived data of a document table (or of a table inside one), private to
-- this Lua state: a table the helpers below and in spark.lua fill lazily.
-- Weak keys: the engine lets go of a document nothing holds (and hands out
-- a fresh table for it later), and of every table in the isolated re-run.
local caches = setmetatable({}, { __mode = "k" })
function kube.cache(t)
	local c = caches[t]
	if not c then
		c = {}
		caches[t] = c
	end
	return c
end

-- kube.cache(t)[key], computed by fn(...) on first use in this state; a
-- nil result is kept as false (callers wanting nil write `or nil`).
function kube.cached(t, key, fn, ...)
	local c = kube.cache(t)
	local v = c[key]
	if v == nil then
		v = fn(...)
		if v == nil then v = false end
		c[key] = v
	end
	return v
end

-- ctx:memo()[key], computed by fn(ctx) on first use in this state.
function kube.memo(ctx, key, fn)
	local m = ctx:memo()
	local v = m[key]
	if v == nil then
		v = fn(ctx)
		m[key] = v
	end
	return v
end

-- An array (possibly empty) for a sequence value; anything else gives {}.
local EMPTY = setmetatable({}, { __newindex = function() error("kube: read-only empty table", 2) end })
function kube.list(v)
	if type(v) == "table" and v ~= null then
		return v
	end
	return EMPTY
end

-- Walk map keys / indices; nil as soon as a step is missing or not a table,
-- and nil for sk.null.  The hottest helper of all: it is sk.get, in C.
kube.get = sk.get

-- Scalar as text the way Kubernetes would print it ("8080", "true"), or nil.
function kube.text(v)
	local ty = type(v)
	if ty == "string" then
		return v
	elseif ty == "number" then
		if math.type(v) == "integer" then
			return string.format("%d", v)
		end
		return tostring(v)
	elseif ty == "boolean" then
		return v and "true" or "false"
	end
	return nil
end

-- Integer value of a number or a decimal string ("3"), else nil.
function kube.int(v)
	if math.type(v) == "integer" then
		return v
	elseif type(v) == "number" and v == math.floor(v) then
		return math.tointeger(v)
	elseif type(v) == "string" and v:match("^%s*[-+]?%d+%s*$") then
		return math.tointeger(tonumber(v))
	end
	return nil
end

-- True for YAML true or the string "true" (case-insensitive).
function kube.truthy(v)
	if v == true then
		return true
	end
	return type(v) == "string" and v:lower() == "true"
end

-- A new path: base followed by the extra steps (base is not modified).
function kube.path(base, ...)
	local n = select("#", ...)
	local nb = #base
	local p = { nil, nil, nil, nil, nil, nil, nil, nil }	-- room for most paths
	for i = 1, nb do
		p[i] = base[i]
	end
	if n > 0 then
		local a, b, c, d = ...
		p[nb + 1] = a
		if n > 1 then
			p[nb + 2] = b
			if n > 2 then
				p[nb + 3] = c
				if n > 3 then
					p[nb + 4] = d
					for i = 5, n do
						p[nb + i] = (select(i, ...))
					end
				end
			end
		end
	end
	return p
end

-- }======================================================================

-- {======================================================================
-- Object identity
-- =======================================================================

function kube.name(obj)
	return kube.str(kube.get(obj, "metadata", "name"))
end

function kube.kind(obj)
	return kube.str(obj.kind)
end

function kube.api_version(obj)
	return kube.str(obj.apiVersion) or ""
end

-- API group of the object ("" for the core group).
function kube.group(obj)
	local av = kube.api_version(obj)
	local g = av:match("^(.*)/[^/]*$")
	return g or ""
end

-- "Kind 'name'" for messages.
function kube.describe(obj)
	local name = kube.name(obj)
	if name then
		return string.format("%s '%s'", kube.kind(obj) or "object", name)
	end
	return kube.kind(obj) or "object"
end

function kube.labels(obj)
	return kube.tab(kube.get(obj, "metadata", "labels")) or EMPTY
end

function kube.annotations(obj)
	return kube.tab(kube.get(obj, "metadata", "annotations")) or EMPTY
end

-- }======================================================================

-- {======================================================================
-- Pod templates
-- =======================================================================

-- A fresh copy of kube.WORKLOADS, for a rule's `kinds` field (the engine
-- wants a plain list, and module tables reach rules through a proxy).
function kube.workload_kinds()
	local t = {}
	for i, k in ipairs(kube.WORKLOADS) do
		t[i] = k
	end
	return t
end

-- Kinds whose spec.template is a pod template.
local TEMPLATE_KINDS = {
	Deployment = true, StatefulSet = true, DaemonSet = true, ReplicaSet = true,
	ReplicationController = true, Job = true, DeploymentConfig = true,
}

-- Every kind that carries a pod spec.
kube.WORKLOADS = {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob", "DeploymentConfig", "PodTemplate",
}

local function pod_of(obj)
	local kind = obj.kind
	if kind == "Pod" then
		return kube.tab(obj.spec), { "spec" }, kube.tab(obj.metadata), { "metadata" }
	elseif kind == "PodTemplate" then
		local t = kube.tab(obj.template)
		return kube.tab(kube.get(t, "spec")), { "template", "spec" },
			kube.tab(kube.get(t, "metadata")), { "template", "metadata" }
	elseif kind == "CronJob" then
		local t = kube.get(obj, "spec", "jobTemplate", "spec", "template")
		return kube.tab(kube.get(t, "spec")), { "spec", "jobTemplate", "spec", "template", "spec" },
			kube.tab(kube.get(t, "metadata")), { "spec", "jobTemplate", "spec", "template", "metadata" }
	elseif TEMPLATE_KINDS[kind] then
		local t = kube.get(obj, "spec", "template")
		return kube.tab(kube.get(t, "spec")), { "spec", "template", "spec" },
			kube.tab(kube.get(t, "metadata")), { "spec", "template", "metadata" }
	end
	return nil
end

-- The pod of a workload, or nil for kinds without a pod spec:
--   { spec = <pod spec table or nil>, path = <path to the pod spec>,
--     meta = <pod metadata or nil>, meta_path = <path to it>,
--     labels = <pod labels, never nil> }
-- `spec` is nil when the kind has a pod template but the document lacks it.
function kube.pod(obj)
	local cache = kube.cache(obj)
	local p = cache.pod
	if p ~= nil then
		return p or nil
	end
	local spec, path, meta, mpath = pod_of(obj)
	if not path then
		cache.pod = false
		return nil
	end
	p = {
		spec = spec, path = path, meta = meta, meta_path = mpath,
		labels = kube.tab(kube.get(meta, "labels")) or EMPTY,
	}
	cache.pod = p
	return p
end

-- Containers that may have probes: the regular ones and the sidecars (init
-- containers with restartPolicy: Always, Kubernetes 1.29), in that order
-- (one list per object, shared: never change it).
function kube.probed_containers(obj)
	local cache = kube.cache(obj)
	local out = cache.probed
	if not out then
		out = {}
		for _, ce in ipairs(kube.containers(obj, { init = true })) do
			if not ce.init or kube.get(ce.c, "restartPolicy") == "Always" then
				out[#out + 1] = ce
			end
		end
		cache.probed = out
	end
	return out
end

-- Pod labels of a workload (the template's; a Pod's own), never nil.
function kube.pod_labels(obj)
	local p = kube.pod(obj)
	return p and p.labels or EMPTY
end

-- Containers of a workload, in order: containers, then (opts.init) init
-- containers, then (opts.ephemeral) ephemeral containers.  Each entry:
--   { c = <container table>, path = <path to it>, name = <name or nil>,
--     init = bool, index = <1-based index in its list> }
local CLIST = {
	{ key = "containers" },
	{ key = "initContainers", init = true },
	{ key = "ephemeralContainers", ephemeral = true },
}
local CONTAINERS = { "containers", "containers+init", "containers+ephemeral", "containers+all" }
local function containers(obj, init, ephemeral)
	local out = {}
	local p = kube.pod(obj)
	if not p or not p.spec then
		return out
	end
	for _, l in ipairs(CLIST) do
		if (not l.init or init) and (not l.ephemeral or ephemeral) then
			for i, c in ipairs(kube.list(p.spec[l.key])) do
				if kube.tab(c) then
					out[#out + 1] = {
						c = c, path = kube.path(p.path, l.key, i),
						name = kube.str(c.name), init = l.init or false, index = i,
					}
				end
			end
		end
	end
	return out
end
function kube.containers(obj, opts)
	local init = opts and opts.init and true or false
	local ephemeral = opts and opts.ephemeral and true or false
	local key = CONTAINERS[1 + (init and 1 or 0) + (ephemeral and 2 or 0)]
	local cache = kube.cache(obj)
	local out = cache[key]
	if not out then
		out = containers(obj, init, ephemeral)
		cache[key] = out
	end
	return out
end

-- The pod volume named `name`, and its path; nil when there is none.
local function volumes_by_name(obj)
	local by = {}
	local p = kube.pod(obj)
	if not p or not p.spec then
		return by
	end
	for i, v in ipairs(kube.list(p.spec.volumes)) do
		local name = kube.get(v, "name")
		if type(name) == "string" and not by[name] then
			by[name] = { v = v, path = kube.path(p.path, "volumes", i) }
		end
	end
	return by
end
function kube.volume(obj, name)
	if not name then
		return nil
	end
	local cache = kube.cache(obj)
	local by = cache.volumes
	if not by then
		by = volumes_by_name(obj)
		cache.volumes = by
	end
	local e = by[name]
	if e then
		return e.v, e.path
	end
	return nil
end

-- The source type of a volume ("persistentVolumeClaim", "emptyDir", ...).
local VOLUME_TYPES = { "persistentVolumeClaim", "emptyDir", "hostPath", "configMap",
	"secret", "projected", "ephemeral", "nfs", "csi", "downwardAPI" }
local function volume_type(v)
	for _, k in ipairs(VOLUME_TYPES) do
		if kube.tab(kube.get(v, k)) or (v and v[k] == null) then
			return k
		end
	end
	for k in sk.sorted_pairs(kube.tab(v) or EMPTY) do
		if k ~= "name" then
			return k
		end
	end
	return nil
end
function kube.volume_type(v)
	if type(v) ~= "table" or v == null then
		return volume_type(v)
	end
	local cache = kube.cache(v)
	local t = cache.vtype
	if t == nil then
		t = volume_type(v) or false
		cache.vtype = t
	end
	return t or nil
end

-- The volume mounts of a container entry (from kube.containers), each
--   { m = <mount>, path = <path to the mount>, mount_path = <string or nil>,
--     volume = <pod volume or nil>, vtype = <volume source type or nil> }
local function mounts(obj, ce)
	local out = {}
	for i, m in ipairs(kube.list(ce.c.volumeMounts)) do
		if kube.tab(m) then
			local v = kube.volume(obj, kube.str(m.name))
			out[#out + 1] = {
				m = m, path = kube.path(ce.path, "volumeMounts", i),
				mount_path = kube.str(m.mountPath), volume = v,
				vtype = v and kube.volume_type(v) or nil,
			}
		end
	end
	return out
end
function kube.mounts(obj, ce)
	local cache = kube.cache(ce.c)
	local out = cache.mounts
	if not out then
		out = mounts(obj, ce)
		cache.mounts = out
	end
	return out
end

-- Is `p` equal to `dir` or below it?  Both absolute paths; trailing slashes
-- and repeated slashes are ignored.
local function norm(p)
	p = p:gsub("/+", "/")
	if #p > 1 then
		p = p:gsub("/$", "")
	end
	return p
end
function kube.path_under(p, dir)
	if not p or not dir then
		return false
	end
	p, dir = norm(p), norm(dir)
	if dir == "/" then
		return p:sub(1, 1) == "/"
	end
	return p == dir or p:sub(1, #dir + 1) == dir .. "/"
end

-- Security context value for a container: the container's own setting,
-- else the pod's (for the fields that exist at both levels).
function kube.sc_value(obj, c, key)
	local v = kube.get(c, "securityContext", key)
	if v ~= nil then
		return v
	end
	local p = kube.pod(obj)
	return kube.get(p and p.spec, "securityContext", key)
end

-- A sysctl name in the dotted form, as the kubelet reads it: Kubernetes also
-- takes the slashed one (net/ipv4/conf/eth0.100/rp_filter), whose '/' and
-- '.' swap roles when the first separator is a '/' (sysctl.d(5)).
function kube.sysctl_name(name)
	if name:match("^[^./]*/") then
		return (name:gsub("[./]", { ["."] = "/", ["/"] = "." }))
	end
	return name
end

-- Env entries of a container as {name -> {name =, e = entry, index = i}}
-- (last wins) plus the array of the same entries in order.
function kube.env(c)
	local list = c.env
	local cache = kube.cache(c)
	local by, arr = cache.env_by, cache.env_arr
	if by then
		return by, arr
	end
	by, arr = {}, {}
	for i, e in ipairs(kube.list(list)) do
		local n = kube.str(kube.get(e, "name"))
		if n then
			local entry = { name = n, e = e, index = i }
			by[n] = entry
			arr[#arr + 1] = entry
		end
	end
	cache.env_by, cache.env_arr = by, arr
	return by, arr
end

-- }======================================================================

-- {======================================================================
-- Labels and selectors
-- =======================================================================

-- Does `selector` ({matchLabels, matchExpressions} or a plain map) match
-- `labels`?  An empty or missing selector matches nothing here (Services
-- without a selector select no pods; callers decide about `{}`).
function kube.selects(selector, labels)
	selector = kube.tab(selector)
	if not selector or next(selector) == nil then
		return false
	end
	local ok, r = pcall(k8s.selector_matches, selector, labels or EMPTY)
	return ok and r or false
end

-- Is `sub` (a plain label map) contained in `labels`?
function kube.labels_subset(sub, labels)
	for k, v in sk.sorted_pairs(kube.tab(sub) or EMPTY) do
		if kube.text(labels[k]) ~= kube.text(v) then
			return false
		end
	end
	return true
end

-- The selector of a workload as {matchLabels, matchExpressions} or a plain
-- map (ReplicationController, DeploymentConfig), plus its path; nil if none.
function kube.workload_selector(obj)
	local s = kube.tab(kube.get(obj, "spec", "selector"))
	if s then
		return s, { "spec", "selector" }
	end
	return nil
end

-- Objects in the set that carry a pod spec, in the engine's order (kinds in
-- kube.WORKLOADS order).  Shared: do not change the array.
local function workloads(ctx)
	local out = {}
	for _, kind in ipairs(kube.WORKLOADS) do
		for _, o in ipairs(ctx:objects(kind)) do
			out[#out + 1] = o
		end
	end
	return out
end
function kube.workloads(ctx)
	return kube.memo(ctx, "kube.workloads", workloads)
end

-- Index of the workloads of the set by namespace and pod label, so that
-- "which workloads does this selector match" costs the size of the smallest
-- label bucket rather than a scan of the set.  Built once per Lua state.
--   idx.all[ns] = { workload, ... };  idx.by["ns\0key\0value"] = { ... }
-- build_index files each item of `items` under ns_of(item) and the pod
-- labels labels_of(item) gives, keeping the items' order.
local function build_index(items, ns_of, labels_of)
	local idx = { all = {}, by = {} }
	for _, w in ipairs(items) do
		local ns = ns_of(w)
		local l = idx.all[ns]
		if not l then
			l = {}
			idx.all[ns] = l
		end
		l[#l + 1] = w
		for k, v in next, labels_of(w) do
			local t = kube.text(v)
			if t then
				local key = ns .. "\0" .. k .. "\0" .. t
				local b = idx.by[key]
				if not b then
					b = {}
					idx.by[key] = b
				end
				b[#b + 1] = w
			end
		end
	end
	return idx
end
local function label_index(ctx)
	return build_index(kube.workloads(ctx), function(w) return ctx:namespace(w) end, kube.pod_labels)
end
function kube.label_index(ctx)
	return kube.memo(ctx, "kube.label_index", label_index)
end

local NONE = {}

-- The items of index `idx` in `ns` whose labels (labels_of(item)) `selector`
-- matches (a LabelSelector or a plain map; empty or missing selects
-- nothing), in the index's order.
local function matching(idx, ns, selector, labels_of)
	selector = kube.tab(selector)
	if not selector or next(selector) == nil then
		return NONE
	end
	local pairs_ = selector
	if selector.matchLabels ~= nil or selector.matchExpressions ~= nil then
		pairs_ = kube.tab(selector.matchLabels) or NONE
	end
	local cand = nil
	for k, v in sk.sorted_pairs(pairs_) do
		local t = kube.text(v)
		local b = t and idx.by[ns .. "\0" .. k .. "\0" .. t] or NONE
		if not cand or #b < #cand then
			cand = b
		end
	end
	cand = cand or idx.all[ns] or NONE
	local out = {}
	for _, w in ipairs(cand) do
		if kube.selects(selector, labels_of(w)) then
			out[#out + 1] = w
		end
	end
	return out
end

-- Workloads in `ns` whose pod labels `selector` matches (a LabelSelector or
-- a plain map; empty or missing selects nothing), in the engine's order.
function kube.matching_workloads(idx, ns, selector)
	return matching(idx, ns, selector, kube.pod_labels)
end

-- What a rule's check() collects of a workload for kube.pod_index: its
-- namespace and its pod labels as a plain map (only the string and number
-- values, the ones a selector can match), plus the fields of `extra`.
-- ctx:collect copies it out of the worker; a rule's finish() then matches
-- selectors without deriving every workload in its own state.
function kube.pod_entry(ctx, obj, extra)
	local labels = {}
	for k, v in next, kube.pod_labels(obj) do
		local ty = type(v)
		if ty == "string" or ty == "number" then
			labels[k] = v
		end
	end
	local e = { ns = ctx:namespace(obj), labels = labels }
	for k, v in next, extra or NONE do
		e[k] = v
	end
	return e
end

local function entry_ns(e)
	return e.ns
end
local function entry_labels(e)
	return e.labels
end

-- kube.label_index over collected kube.pod_entry values (in their order),
-- for kube.matching_entries.  Not memoised: build it once per finish().
function kube.pod_index(entries)
	return build_index(entries, entry_ns, entry_labels)
end

-- The entries of a kube.pod_index in `ns` whose labels `selector` matches:
-- the same answer kube.matching_workloads gives for the workloads the
-- entries were made from, in collected (document) order.
function kube.matching_entries(idx, ns, selector)
	return matching(idx, ns, selector, entry_labels)
end

-- }======================================================================

-- {======================================================================
-- Ports
-- =======================================================================

-- Container ports as an array of {port = int, name = str|nil,
-- protocol = "TCP"|"UDP"|"SCTP", path = path}.
function kube.container_ports(ce)
	local cache = kube.cache(ce.c)
	local out = cache.ports
	if out then
		return out
	end
	out = {}
	for i, p in ipairs(kube.list(ce.c.ports)) do
		if kube.tab(p) then
			out[#out + 1] = {
				port = kube.int(p.containerPort), name = kube.str(p.name),
				protocol = kube.str(p.protocol) or "TCP",
				path = kube.path(ce.path, "ports", i),
			}
		end
	end
	cache.ports = out
	return out
end

-- Does the container expose `port` (a number, or a port name: a string,
-- also one of digits, as the API's IntOrString reads it) for `protocol`
-- (default any)?
function kube.exposes(ce, port, protocol)
	local n = type(port) == "number" and kube.int(port) or nil
	for _, p in ipairs(kube.container_ports(ce)) do
		if (protocol == nil or p.protocol == protocol) then
			if (n and p.port == n) or (not n and p.name and p.name == port) then
				return true
			end
		end
	end
	return false
end

-- Does any container of workload `obj` expose the Service port's
-- targetPort (int or name; defaults to `port`) for its protocol?
function kube.service_port_resolves(obj, sp)
	local target = sp.targetPort
	if target == nil or target == null then
		target = sp.port
	end
	local proto = kube.str(sp.protocol) or "TCP"
	for _, ce in ipairs(kube.containers(obj)) do
		if kube.exposes(ce, target, proto) then
			return true
		end
	end
	return false
end

-- The Service ports (array of {port=int, target=int|string|nil, name=,
-- protocol=, path=}).
function kube.service_ports(svc)
	local cache = kube.cache(svc)
	local out = cache.service_ports
	if out then
		return out
	end
	out = {}
	for i, p in ipairs(kube.list(kube.get(svc, "spec", "ports"))) do
		if kube.tab(p) then
			local t = p.targetPort
			if t == null then t = nil end
			out[#out + 1] = {
				port = kube.int(p.port), target = kube.int(t) or kube.str(t),
				name = kube.str(p.name), protocol = kube.str(p.protocol) or "TCP",
				path = { "spec", "ports", i }, raw = p,
			}
		end
	end
	cache.service_ports = out
	return out
end

-- }======================================================================

-- {======================================================================
-- Storage
-- =======================================================================

-- What we know about provisioners: block = single-node block storage (no
-- ReadWriteMany), zonal = volumes live in one zone.
kube.PROVISIONERS = {
	["ebs.csi.aws.com"] = { block = true, zonal = true, cloud = "AWS EBS" },
	["kubernetes.io/aws-ebs"] = { block = true, zonal = true, cloud = "AWS EBS (in-tree)" },
	["pd.csi.storage.gke.io"] = { block = true, zonal = true, cloud = "GCE PD" },
	["kubernetes.io/gce-pd"] = { block = true, zonal = true, cloud = "GCE PD (in-tree)" },
	["disk.csi.azure.com"] = { block = true, zonal = true, cloud = "Azure Disk" },
	["kubernetes.io/azure-disk"] = { block = true, zonal = true, cloud = "Azure Disk (in-tree)" },
	["efs.csi.aws.com"] = { rwx = true, cloud = "AWS EFS" },
	["file.csi.azure.com"] = { rwx = true, cloud = "Azure File" },
	["kubernetes.io/azure-file"] = { rwx = true, cloud = "Azure File (in-tree)" },
	["filestore.csi.storage.gke.io"] = { rwx = true, cloud = "GCP Filestore" },
	["nfs.csi.k8s.io"] = { rwx = true, cloud = "NFS" },
}

-- Is this StorageClass zonal block storage?  Regional PD (replication-type
-- regional-pd) and zone-redundant Azure disks (*_ZRS) are not zonal.
function kube.storageclass_zonal(sc)
	local prov = kube.PROVISIONERS[kube.str(sc.provisioner) or ""]
	if not prov or not prov.zonal then
		return false
	end
	local params = kube.tab(sc.parameters) or EMPTY
	local rep = kube.text(params["replication-type"]) or ""
	if rep:lower() == "regional-pd" then
		return false
	end
	local sku = kube.text(params.skuName or params.skuname or params.storageaccounttype) or ""
	if sku:match("_ZRS$") then
		return false
	end
	return true
end

-- A PVC's requested storage in bytes, or nil.
function kube.pvc_size(pvc)
	local q = kube.text(kube.get(pvc, "spec", "resources", "requests", "storage"))
	if not q then
		return nil
	end
	return (k8s.quantity(q))
end

-- Access modes of a PVC as a set { ReadWriteOnce = true, ... }.
function kube.access_modes(pvc)
	local set = {}
	for _, m in ipairs(kube.list(kube.get(pvc, "spec", "accessModes"))) do
		if type(m) == "string" then
			set[m] = true
		end
	end
	return set
end

-- }======================================================================

-- {======================================================================
-- RBAC
-- =======================================================================

-- The service account name a workload's pods run as: serviceAccountName,
-- else the deprecated serviceAccount, else "default" (the API server reads
-- an empty string as unset, for either).
function kube.service_account(obj)
	local p = kube.pod(obj)
	local spec = p and p.spec
	for _, key in ipairs({ "serviceAccountName", "serviceAccount" }) do
		local sa = kube.str(kube.get(spec, key))
		if sa and sa ~= "" then
			return sa
		end
	end
	return "default"
end

-- Index of the RoleBindings and ClusterRoleBindings of the set by the
-- service accounts they name: { ["ns\0sa"] = { entry, ... }, ["ns\0*"] = ...
-- (group system:serviceaccounts:<ns>), ["*\0*"] = ... (all accounts) }, each
-- entry { binding =, cluster = bool, role = <Role or ClusterRole object, or
-- nil when not in the set>, role_kind =, role_name = }.  RoleBindings only
-- grant in their own namespace.  Built once per Lua state.
local function binding_index(ctx)
	local idx = {}
	local function add(key, e)
		local l = idx[key]
		if not l then
			l = {}
			idx[key] = l
		end
		if l[#l] ~= e then
			l[#l + 1] = e
		end
	end
	for _, kind in ipairs({ "RoleBinding", "ClusterRoleBinding" }) do
		for _, b in ipairs(ctx:objects(kind)) do
			local bns = ctx:namespace(b)
			local rk = kube.str(kube.get(b, "roleRef", "kind")) or "Role"
			local rn = kube.str(kube.get(b, "roleRef", "name"))
			local role
			if rn and rk == "Role" then
				role = ctx:find("Role", rn, bns)
			elseif rn then
				role = ctx:find("ClusterRole", rn)
			end
			local e = { binding = b, cluster = kind == "ClusterRoleBinding", role = role,
				role_kind = rk, role_name = rn }
			for _, s in ipairs(kube.list(b.subjects)) do
				local sk_, name = kube.get(s, "kind"), kube.str(kube.get(s, "name"))
				local sns = kube.str(kube.get(s, "namespace"))
				if kind == "RoleBinding" then
					sns = sns or bns
				end
				local key
				if sk_ == "ServiceAccount" and name and sns then
					key = sns .. "\0" .. name
				elseif sk_ == "Group" and name == "system:serviceaccounts" then
					key = "*\0*"
				elseif sk_ == "Group" and name and name:sub(1, 23) == "system:serviceaccounts:" then
					key = name:sub(24) .. "\0*"
				end
				if key then
					add(key, e)
				end
			end
		end
	end
	return idx
end
function kube.binding_index(ctx)
	return kube.memo(ctx, "kube.binding_index", binding_index)
end

-- Bindings (entries of kube.binding_index) that grant to service account
-- `sa` of namespace `ns`, RoleBindings only from `ns`.
function kube.sa_bindings(ctx, ns, sa, idx)
	local out = {}
	for _, key in ipairs({ ns .. "\0" .. sa, ns .. "\0*", "*\0*" }) do
		for _, e in ipairs(idx[key] or {}) do
			if e.cluster or ctx:namespace(e.binding) == ns then
				out[#out + 1] = e
			end
		end
	end
	return out
end

local function set_of(list)
	local s = {}
	for _, v in ipairs(kube.list(list)) do
		if v == v then	-- (NaN cannot be a key, nor equal anything)
			s[v] = true
		end
	end
	return s
end

-- What a PolicyRule grants: { apiGroups, resources, verbs } as sets ("*"
-- included as listed), or false when resourceNames restricts it.  Kept per
-- rule: every driver's check asks about the same roles.
local function policy(r)
	local c = kube.cache(r)
	local p = c.policy
	if p == nil then
		p = #kube.list(kube.get(r, "resourceNames")) == 0 and
			{ set_of(kube.get(r, "apiGroups")), set_of(kube.get(r, "resources")), set_of(kube.get(r, "verbs")) }
		c.policy = p
	end
	return p
end

-- Does a list of PolicyRules allow `verb` on `resource` of API `group`?
-- Rules restricted by resourceNames do not count (they cannot create or
-- list).
function kube.rules_allow(rules, group, resource, verb)
	for _, r in ipairs(kube.list(rules)) do
		local p = kube.tab(r) and policy(r)
		if p and (p[1][group] or p[1]["*"]) and (p[2][resource] or p[2]["*"])
			and (p[3][verb] or p[3]["*"]) then
			return true
		end
	end
	return false
end

-- Built-in ClusterRoles that grant (at least) everything a namespaced
-- workload can ask for in its namespace.
kube.BROAD_CLUSTER_ROLES = { ["cluster-admin"] = true, admin = true, edit = true }

-- }======================================================================

-- {======================================================================
-- Port names and probes
-- =======================================================================

-- Is `s` a valid port name (IANA_SVC_NAME: 1-15 characters of a-z, 0-9 and
-- '-', at least one letter, no leading, trailing or double '-')?
function kube.port_name_ok(s)
	return type(s) == "string" and #s >= 1 and #s <= 15 and s:match("^[a-z0-9-]+$") ~= nil
		and s:match("[a-z]") ~= nil and not s:match("^%-") and not s:match("%-$")
		and not s:find("--", 1, true)
end

-- The port a probe targets and the protocol it needs: value (int or name)
-- and handler name ("httpGet", "tcpSocket", "grpc"); nil for exec probes
-- and probes without a port.  The port's path is <probe path>, handler,
-- "port": a rule builds it when it reports.
local PROBE_HANDLERS = { "httpGet", "tcpSocket", "grpc" }
function kube.probe_port(probe)
	for _, h in ipairs(PROBE_HANDLERS) do
		local hd = kube.tab(kube.get(probe, h))
		if hd and hd.port ~= nil and hd.port ~= sk.null then
			return hd.port, h
		end
	end
	return nil
end

-- A probe's port for a message: "port 8080", or "a port named 'http'" (a
-- quoted number is a name too, and an invalid one).
function kube.probe_port_text(port)
	if type(port) == "string" then
		return string.format("a port named '%s'", port)
	end
	return "port " .. (kube.text(port) or "?")
end

-- }======================================================================

return kube
