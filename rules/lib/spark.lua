-- rules/lib/spark.lua: what the rules need to know about Spark in a pod.
--
-- Installed as the global `spark` (after `kube`, which it uses).  It answers:
--   * is this workload a Spark driver (spark.is_driver; a PodTemplate never
--     is, spark.spec_is_driver asks of its spec) and which container runs it
--     (spark.driver_container);
--   * what spark-submit command line a container runs (spark.submit):
--     options, --conf pairs, the primary resource and the application
--     arguments, each with the path of the YAML node it came from;
--   * the effective Spark configuration of a container (spark.conf), merged
--     from, lowest precedence first: a SparkApplication's sparkConf, the env
--     vars SPARK_DRIVER_MEMORY, SPARK_EXECUTOR_MEMORY and SPARK_EXECUTOR_CORES,
--     the mounted properties file (--properties-file, else
--     $SPARK_CONF_DIR/spark-defaults.conf, default /opt/spark/conf) read from
--     a ConfigMap in the set, -Dspark.*=... in *_OPTS / JAVA_TOOL_OPTIONS env
--     values, --conf / -c / --conf=k=v arguments, and finally spark-submit
--     flags (--master, --deploy-mode, --driver-memory, ...), which win over
--     a --conf of their key;
--   * whether a Pod is a pod-template file rather than a workload
--     (spark.is_pod_template).
--
-- Every conf entry is { value = <string>, obj = <object holding it>,
-- path = <path inside obj>, source = "arg"|"flag"|"env"|"file"|"sparkConf",
-- shell = true when the argument is a word of a shell script }, so a rule
-- can point a finding at the exact argument or ConfigMap key.

local spark = {}

local null = sk.null
local cache = kube.cache	-- derived data per object, per Lua state (see kube.lua)
local cached = kube.cached	-- one such datum, computed on first use
local memo = kube.memo		-- derived data of the whole set, per Lua state

-- {======================================================================
-- Command lines
-- =======================================================================

-- The index of the character that closes the substitution opened at s[i]
-- (`$(`, `${` or a backquote), or #s when it is not closed.  Quotes and
-- nested parentheses inside `$(...)` are skipped; one forward scan.
local function subst_end(s, i)
	local n = #s
	local ch = s:sub(i, i)
	if ch == "`" then
		return s:find("`", i + 1, true) or n
	end
	if s:sub(i + 1, i + 1) == "{" then
		return s:find("}", i + 2, true) or n
	end
	local depth, j = 1, i + 2
	while true do
		j = s:find("[()'\"\\]", j)
		if not j then
			return n
		end
		local c = s:sub(j, j)
		if c == "(" then
			depth = depth + 1
		elseif c == ")" then
			depth = depth - 1
			if depth == 0 then
				return j
			end
		elseif c == "\\" then
			j = j + 1
		else	-- a quoted string: to its closing quote
			j = s:find(c, j + 1, true) or n
		end
		j = j + 1
	end
end

-- Split a shell command string into words: whitespace separates, a newline
-- ends a command as ';' does (the word ";" stands for both), '...' and
-- "..." quote, backslash escapes, backslash-newline continues the line, a
-- '#' that starts a word comments out the rest of its line, and a command
-- or parameter substitution ($(...), ${...}, `...`) stays whole in its
-- word, as written.  Good enough for the `sh -c "exec spark-submit ..."`
-- idiom; no expansion.
local function shell_words(s)
	if not s:find("[\"'\\;|&`#\n]") and not s:find("$(", 1, true) and not s:find("${", 1, true) then
		-- one line, no quoting, escapes, substitutions or operators: split at blanks
		local words = {}
		for w in s:gmatch("%S+") do
			words[#words + 1] = w
		end
		return words
	end
	-- Runs of ordinary characters are taken whole (a script is mostly those).
	local words, cur, have = {}, {}, false
	local i, n = 1, #s
	while i <= n do
		if not have and s:byte(i) == 35 then	-- '#' starts a comment: to the end of the line
			i = s:find("\n", i, true) or n + 1
			if i > n then
				break
			end
		end
		local j = s:find("[%s\"'\\;|&$`]", i)
		if not j then
			cur[#cur + 1] = s:sub(i)
			have = true
			break
		end
		if j > i then
			cur[#cur + 1] = s:sub(i, j - 1)
			have = true
		end
		i = j
		local ch = s:sub(i, i)
		if ch == "$" or ch == "`" then	-- $(...), ${...}, `...`: kept whole; a lone $ is text
			local nx = s:sub(i + 1, i + 1)
			local e = i
			if ch == "`" or nx == "(" or nx == "{" then
				e = subst_end(s, i)
			end
			cur[#cur + 1] = s:sub(i, e)
			have = true
			i = e + 1
		elseif ch == "'" then	-- '...': everything literal up to the next '
			have = true
			local e = s:find("'", i + 1, true) or n + 1
			cur[#cur + 1] = s:sub(i + 1, e - 1)
			i = e + 1
		elseif ch == '"' then	-- "...": \ escapes " \ $ ` and newline only
			have = true
			i = i + 1
			while i <= n do
				local e = s:find('["\\]', i)
				if not e then
					cur[#cur + 1] = s:sub(i)
					i = n + 1
					break
				end
				if e > i then
					cur[#cur + 1] = s:sub(i, e - 1)
				end
				if s:byte(e) == 34 then	-- the closing "
					i = e + 1
					break
				end
				local nx = s:sub(e + 1, e + 1)
				if nx ~= "" and nx:find('["\\$`]') then
					cur[#cur + 1] = nx
					i = e + 2
				elseif nx == "\n" then
					i = e + 2
				else
					cur[#cur + 1] = "\\"
					i = e + 1
				end
			end
		elseif ch == "\\" then
			if i < n then
				local nx = s:sub(i + 1, i + 1)
				if nx ~= "\n" then
					cur[#cur + 1] = nx
					have = true
				end
				i = i + 2
			else
				cur[#cur + 1] = ch
				have = true
				i = i + 1
			end
		else	-- a blank or an operator ends the word
			if have then
				words[#words + 1] = table.concat(cur)
				cur, have = {}, false
			end
			if ch == ";" or ch == "|" or ch == "&" then
				local op = ch
				if ch ~= ";" and s:sub(i + 1, i + 1) == ch then
					op = ch .. ch
					i = i + 1
				end
				words[#words + 1] = op
			elseif ch == "\n" and words[#words] ~= ";" and #words > 0 then
				words[#words + 1] = ";"
			end
			i = i + 1
		end
	end
	if have then
		words[#words + 1] = table.concat(cur)
	end
	return words
end
spark.shell_words = shell_words

local SHELLS = { sh = true, bash = true, dash = true, ash = true, zsh = true, ksh = true }

-- s without leading and trailing blanks.  Not s:match("^%s*(.-)%s*$"): at
-- each step of .- the %s*$ rescans a run of blanks (quadratic in one C call,
-- where no budget or clock can stop it: 80 KB of blanks took 29 s).
local function trim(s)
	local from = s:match("^%s*()")
	return from > #s and "" or s:match(".*%S", from)
end
spark.trim = trim

local function basename(s)	-- (plain finds: a pattern anchored at $ rescans)
	local last, i = 0, s:find("/", 1, true)
	while i do
		last, i = i, s:find("/", i + 1, true)
	end
	return last == 0 and s or s:sub(last + 1)
end
spark.basename = basename

-- Is a word the spark-submit launcher?
local function is_submit_word(w)
	if not w:find("spark-submit", 1, true) then	-- (most words: no basename to take)
		return w == "org.apache.spark.deploy.SparkSubmit"
	end
	local b = basename(w)
	return b == "spark-submit" or b == "spark-submit.sh"
end

-- The words a container runs, command then args, each { s = word, path =
-- <path of the YAML element it came from>, raw = bool (the whole element) }.
-- Elements that are shell scripts (the one after `sh -c`, or any element that
-- mentions spark-submit and contains blanks) are split into words.  Once the
-- container execs spark-submit itself (a whole element names it, or args
-- start with the image entrypoint's `driver`), the elements after it are its
-- arguments as they stand: no shell splits "--conf k=v" there, and neither
-- does spark-submit (see spark.submit's `joined`).
function spark.argv(ce)
	local cc = cache(ce.c)
	local cached = cc.argv
	if cached then
		return cached
	end
	local out = {}
	local first = kube.text(kube.list(ce.c.command)[1]) or kube.text(kube.list(ce.c.args)[1])
	local shell = first and SHELLS[basename(first)] or false
	local cmd1 = kube.text(kube.list(ce.c.command)[1])
	local entry = not cmd1 or basename(cmd1):match("entrypoint") ~= nil
	local prev, direct = nil, false
	for _, key in ipairs({ "command", "args" }) do
		for i, el in ipairs(kube.list(ce.c[key])) do
			local s = kube.text(el)
			if s then
				local path = kube.path(ce.path, key, i)
				local script = not direct and ((shell and prev == "-c") or
					(s:find("%s") and (s:find("spark%-submit") or s:find("SparkSubmit") or s:find("%-%-conf"))))
				if script then
					for _, w in ipairs(shell_words(s)) do
						out[#out + 1] = { s = w, path = path, raw = false }
					end
				else
					out[#out + 1] = { s = s, path = path, raw = true }
					direct = direct or is_submit_word(s) or
						(entry and key == "args" and i == 1 and s == "driver")
				end
				prev = s
			end
		end
	end
	cc.argv = out
	return out
end

-- Options of spark-submit that take a value (the rest are flags): the opts
-- of its SparkSubmitOptionParser, 2.x to 4.x (--remote is Spark Connect's,
-- 3.4+; --driver-default-class-path 4.x) and the legacy fork's
-- (--kubernetes-namespace, --kubernetes-dns-zone).
local VALUE_OPTS = {}
for _, o in ipairs({ "--master", "--remote", "--deploy-mode", "--class", "--name", "--jars",
	"--packages", "--exclude-packages", "--repositories", "--py-files", "--files", "--archives",
	"--conf", "-c", "--properties-file", "--driver-memory", "--driver-java-options",
	"--driver-library-path", "--driver-class-path", "--driver-default-class-path",
	"--executor-memory", "--proxy-user", "--driver-cores", "--total-executor-cores",
	"--executor-cores", "--num-executors", "--queue", "--principal", "--keytab", "--kill",
	"--status", "--kubernetes-namespace", "--kubernetes-dns-zone" }) do
	VALUE_OPTS[o] = true
end

-- spark-submit's switches (options without a value).
local SWITCHES = { ["--help"] = true, ["-h"] = true, ["--supervise"] = true,
	["--usage-error"] = true, ["--verbose"] = true, ["-v"] = true, ["--version"] = true,
	["--load-spark-defaults"] = true }

-- spark-submit flags that set a conf key.
local FLAG_CONF = {
	["--master"] = "spark.master",
	["--deploy-mode"] = "spark.submit.deployMode",
	["--name"] = "spark.app.name",
	["--driver-memory"] = "spark.driver.memory",
	["--driver-cores"] = "spark.driver.cores",
	["--executor-memory"] = "spark.executor.memory",
	["--executor-cores"] = "spark.executor.cores",
	["--num-executors"] = "spark.executor.instances",
	["--driver-java-options"] = "spark.driver.extraJavaOptions",
	["--kubernetes-namespace"] = "spark.kubernetes.namespace",
	["--jars"] = "spark.jars",
	["--files"] = "spark.files",
}

-- spark-submit options that only print or query, launching no application.
local NO_LAUNCH = { ["--version"] = true, ["--help"] = true, ["-h"] = true, ["--status"] = true,
	["--kill"] = true }

local SEPARATORS = { [";"] = true, ["&&"] = true, ["||"] = true, ["|"] = true, ["&"] = true }

-- Options only spark-submit takes: after `driver` they show that the image
-- entrypoint hands its arguments to spark-submit.
local SUBMIT_ONLY = {}
for _, o in ipairs({ "--class", "--conf", "--properties-file", "--master", "--deploy-mode",
	"--jars", "--packages", "--exclude-packages", "--py-files", "--driver-memory",
	"--driver-cores", "--driver-java-options", "--driver-library-path", "--driver-class-path",
	"--executor-memory", "--executor-cores", "--num-executors", "--total-executor-cores",
	"--kubernetes-namespace" }) do
	SUBMIT_ONLY[o] = true
end

-- Does the container use Spark's image entrypoint in driver mode (args:
-- ["driver", ...], no command or the stock entrypoint)?  Whatever the image
-- is called (a company image built FROM apache/spark inherits the
-- entrypoint), when a later argument is a spark-submit option or a local://
-- resource; else only when the image name says spark, since a bare
-- `driver` argument means nothing in particular to another image.
local function entrypoint_driver(ce)
	local args = ce.c.args
	if type(args) ~= "table" or args[1] ~= "driver" then
		return false
	end
	local cmd = kube.list(ce.c.command)
	if #cmd > 0 and not basename(kube.text(cmd[1]) or ""):match("entrypoint") then
		return false
	end
	for i = 2, #args do
		local a = args[i]
		if type(a) == "string" and (SUBMIT_ONLY[a:match("^[^=%s]*")] or a:sub(1, 8) == "local://") then
			return true
		end
	end
	local image = kube.str(ce.c.image) or ""
	return image:lower():find("spark", 1, true) ~= nil
end

-- Parse the spark-submit invocation of a container (nil when it runs none):
--   { word = <the launcher word entry>, opts = { ["--master"] = {value=, path=, shell=<a shell word>} ... },
--     confs = { key = { value=, path=, source="arg" } ... } (later wins),
--     conf_list = { {key=, value=, path=} ... } in order,
--     resource = <word entry of the primary resource or nil>,
--     app_args = { <word entries> }, entrypoint = bool,
--     joined = { {opt=, word=<word entry>} ... } }
-- `joined` lists whole elements that hold an option and its value with a
-- blank between ("--conf k=v" as one argument, no shell to split it):
-- spark-submit's parser matches no option to such a word (it splits only
-- "--opt=value", at the first '='), refuses it as unrecognised and launches
-- nothing.  They set no option and no conf here.
function spark.submit(ce)
	local cc = cache(ce.c)
	local c = cc.submit
	if c ~= nil then
		return c or nil
	end
	local argv = spark.argv(ce)
	local start, entry = nil, false
	for i, w in ipairs(argv) do	-- the first launch, past `spark-submit --version &&` and the like
		if is_submit_word(w.s) then
			start = start or i
			if not (argv[i + 1] and NO_LAUNCH[argv[i + 1].s]) then
				start = i
				break
			end
		end
	end
	if not start and entrypoint_driver(ce) then
		for i, w in ipairs(argv) do
			if w.s == "driver" and w.path[#w.path - 1] == "args" then
				start, entry = i, true
				break
			end
		end
	end
	if not start then
		cc.submit = false
		return nil
	end
	local r = { word = argv[start], opts = {}, confs = {}, conf_list = {}, app_args = {},
		entrypoint = entry, joined = {} }
	if entry then
		r.opts["--deploy-mode"] = { value = "client", path = argv[start].path, implied = true }
	end
	local i = start + 1
	while i <= #argv do
		local w = argv[i]
		if SEPARATORS[w.s] then
			break
		end
		if r.resource then
			r.app_args[#r.app_args + 1] = w
		elseif w.raw and w.s:find("^%-%-?[%w.-]+%s") and
			(VALUE_OPTS[w.s:match("^%S+")] or SWITCHES[w.s:match("^%S+")]) then
			r.joined[#r.joined + 1] = { opt = w.s:match("^%S+"), word = w }
		elseif w.s:sub(1, 1) == "-" and #w.s > 1 then
			local opt, val = w.s:match("^(%-%-?[^=]+)=(.*)$")
			local vw = w
			if not opt then
				opt = w.s
				if VALUE_OPTS[opt] and argv[i + 1] then
					i = i + 1
					vw = argv[i]
					val = vw.s
				end
			end
			if val then
				if opt == "--conf" or opt == "-c" then
					local k, v = val:match("^([^=]+)=(.*)$")
					if k then
						k = trim(k)
						local e = { key = k, value = v, path = vw.path, source = "arg",
							shell = not vw.raw }
						r.confs[k] = e
						r.conf_list[#r.conf_list + 1] = e
					end
				else
					r.opts[opt] = { value = val, path = vw.path, shell = not vw.raw }
				end
			else
				r.opts[opt] = { value = true, path = w.path }
			end
		else
			r.resource = w
		end
		i = i + 1
	end
	cc.submit = r
	return r
end

-- A setting of a spark-submit command line (spark.submit's result): the
-- option `opt`'s value, else the --conf `key`'s; and the entry it came from.
local function option_or_conf(s, opt, key)
	local o = s.opts[opt]
	if o and type(o.value) == "string" then
		return o.value, o
	end
	local cf = s.confs[key]
	if cf then
		return cf.value, cf
	end
	return nil
end

-- The deploy mode of a container's spark-submit ("client" by default), and
-- the entry it came from (nil when defaulted).  --deploy-mode wins over
-- spark.submit.deployMode from --conf, then from the properties file, which
-- is only read when ctx and the container's workload obj are given.
function spark.deploy_mode(ce, ctx, obj)
	local s = spark.submit(ce)
	if not s then
		return nil
	end
	local v, e = option_or_conf(s, "--deploy-mode", "spark.submit.deployMode")
	if v then
		return v, e
	end
	if ctx and obj then
		local fe = spark.conf(ctx, obj, ce)["spark.submit.deployMode"]
		if fe and fe.source == "file" then
			return fe.value, fe
		end
	end
	return "client", nil
end

-- The value of the first application argument `--name X` / `--name=X`
-- among the words `a` (text(w) gives a word's string, nil for none; `want`
-- is the set of accepted spellings): returns the value and its word's index.
local function find_arg(a, text, want)
	for i, w in ipairs(a) do
		local s = text(w) or ""
		local k, v = s:match("^(%-%-?[^=]+)=(.*)$")
		if k and want[k] then
			return v, i
		end
		local nv = want[s] and a[i + 1] ~= nil and text(a[i + 1])
		if nv then
			return nv, i + 1
		end
	end
	return nil
end

local function word_text(w)	-- (a word entry of spark.submit)
	return w.s
end

-- The value of an application argument `--name X` / `--name=X` among the
-- app args (names: a list of accepted spellings); returns value, word entry.
function spark.app_arg(ce, names)
	local s = spark.submit(ce)
	if not s then
		return nil
	end
	local want = {}
	for _, n in ipairs(names) do
		want[n] = true
	end
	local v, i = find_arg(s.app_args, word_text, want)
	if v then
		return v, s.app_args[i]
	end
	return nil
end

-- }======================================================================

-- {======================================================================
-- Drivers
-- =======================================================================

-- Cheap test before parsing: could this container run spark-submit?
local function might_submit(c)
	for _, key in ipairs({ "command", "args" }) do
		local l = c[key]
		if type(l) == "table" then
			for _, el in ipairs(l) do
				if type(el) == "string" and (el == "driver" or el:find("ubmit", 1, true)) then
					return true
				end
			end
		end
	end
	return false
end

-- Launchers that take Spark Connect's --remote besides spark-submit.
local CONNECT_SHELLS = { pyspark = true, ["spark-shell"] = true, ["spark-connect-shell"] = true }

-- The Spark Connect URL a container's Spark runs against, and the entry it
-- came from, or nil.  spark-submit takes it from --remote, else the
-- spark.remote conf, else the SPARK_REMOTE env var (SparkSubmitArguments);
-- pyspark and spark-shell from --remote, else SPARK_REMOTE.
local function remote_url(ce)
	local s = spark.submit(ce)
	if s then
		local v, e = option_or_conf(s, "--remote", "spark.remote")
		if v then
			return v, e
		end
	else
		-- One pass: the words after a launcher, up to a separator, are
		-- its arguments.
		local argv, in_shell = spark.argv(ce), false
		for j, w in ipairs(argv) do
			local a = w.s
			if SEPARATORS[a] then
				in_shell = false
			elseif CONNECT_SHELLS[basename(a)] then
				in_shell = true
			elseif in_shell and a == "--remote" and argv[j + 1] then
				return argv[j + 1].s, argv[j + 1]
			elseif in_shell and a:sub(1, 9) == "--remote=" then
				return a:sub(10), w
			end
		end
	end
	local e = kube.env(ce.c).SPARK_REMOTE
	local v = e and kube.str(e.e.value)
	if v then
		return v, { value = v, path = kube.path(ce.path, "env", e.index, "value") }
	end
	return nil
end

-- Is the container a Spark Connect client?  Its Spark runs against an
-- sc:// server, where the driver runs: the container holds none (a
-- `--remote local` starts the server, and so the driver, in the container).
function spark.connect_client(ce)
	local cc = cache(ce.c)
	local c = cc.connect_client
	if c == nil then
		local url = remote_url(ce)
		c = url ~= nil and url:sub(1, 5):lower() == "sc://"
		cc.connect_client = c
	end
	return c
end

-- The first container of the workload that runs spark-submit as a Spark
-- Connect client, or nil.  spark-submit still starts its JVM, sized by
-- spark.driver.memory, and runs the application's main there.
function spark.connect_submit(obj)
	for _, ce in ipairs(kube.containers(obj, { init = false })) do
		if might_submit(ce.c) and spark.submit(ce) and spark.connect_client(ce) then
			return ce
		end
	end
	return nil
end

-- Does the container run a Spark driver through spark-submit (or Spark's
-- entrypoint), rather than a Spark Connect client?
local function runs_submit(ce)
	return might_submit(ce.c) and spark.submit(ce) ~= nil and not spark.connect_client(ce)
end

-- Does the workload's pod spec run a Spark driver?  A label `spark-role:
-- driver` on the object or its pod template, or a container that runs
-- spark-submit / org.apache.spark.deploy.SparkSubmit (or Spark's entrypoint
-- in driver mode).  Not when its containers run only Spark Connect clients
-- (spark.connect_client), whatever the labels say: the driver runs in the
-- Connect server, and the client pod has none of its executors, checkpoint
-- or ports.  Returns true plus a short reason.
local function is_driver(obj)
	local p = kube.pod(obj)
	if not p then
		return false
	end
	local label
	if kube.text(kube.labels(obj)["spark-role"]) == "driver" then
		label = "label 'spark-role: driver'"
	elseif kube.text(p.labels["spark-role"]) == "driver" then
		label = "pod label 'spark-role: driver'"
	end
	local clients_only	-- nil: no container yet
	for _, ce in ipairs(kube.containers(obj, { init = false })) do
		if runs_submit(ce) then
			return true, label or string.format("container '%s' runs spark-submit", ce.name or "?")
		end
		if label and clients_only ~= false then
			clients_only = spark.connect_client(ce)
		end
	end
	if label and not clients_only then
		return true, label
	end
	return false
end
function spark.spec_is_driver(obj)
	local oc = cache(obj)
	local c = oc.is_driver
	if c == nil then
		local d, why = is_driver(obj)
		c = { d, why }
		oc.is_driver = c
	end
	return c[1], c[2]
end

-- Does the workload run a Spark driver (spark.spec_is_driver)?  Never a
-- kind: PodTemplate: it only stores a pod spec for whoever copies it, so no
-- pod runs from it, and it has no controller, restarts, Service, budget,
-- claims or bindings of a driver of its own to judge.  A rule that judges
-- only what the driver container carries, true of every pod made from the
-- template, asks spark.spec_is_driver or spark.client_driver_spec.
function spark.is_driver(obj)
	if obj.kind == "PodTemplate" then
		return false
	end
	return spark.spec_is_driver(obj)
end

-- The container entry (see kube.containers) that runs the driver: the one
-- running spark-submit, else of those that are no Spark Connect client the
-- one named spark-kubernetes-driver, else the first; else the first
-- container.  nil when the pod has no containers.
local function driver_container(obj)
	local cs = kube.containers(obj)
	for _, ce in ipairs(cs) do
		if runs_submit(ce) then
			return ce
		end
	end
	local first
	for _, ce in ipairs(cs) do
		if not spark.connect_client(ce) then
			if ce.name == "spark-kubernetes-driver" then
				return ce
			end
			first = first or ce
		end
	end
	return first or cs[1]
end
function spark.driver_container(obj)
	return cached(obj, "driver_container", driver_container, obj) or nil
end

-- Long-running Spark servers whose natural controller is a Deployment:
-- Spark Connect and the Thrift JDBC/ODBC server (and the history server).
local SERVER_WORDS = {
	"start%-connect%-server%.sh", "SparkConnectServer", "start%-thriftserver%.sh",
	"HiveThriftServer2", "start%-history%-server%.sh", "HistoryServer",
}
function spark.is_server(obj)
	for _, ce in ipairs(kube.containers(obj)) do
		for _, w in ipairs(spark.argv(ce)) do
			for _, pat in ipairs(SERVER_WORDS) do
				if w.s:find(pat) then
					return true, w
				end
			end
		end
		local s = spark.submit(ce)
		local cls = s and s.opts["--class"]
		if cls and type(cls.value) == "string" and
			(cls.value:find("SparkConnectServer") or cls.value:find("HiveThriftServer2")) then
			return true, cls
		end
	end
	return false
end

-- Driver workloads of the set (any kind with a pod), in the engine's order.
-- Shared: do not change the array.
local function drivers(ctx)
	local out = {}
	for _, o in ipairs(kube.workloads(ctx)) do
		if spark.is_driver(o) then
			out[#out + 1] = o
		end
	end
	return out
end
function spark.drivers(ctx)
	return memo(ctx, "spark.drivers", drivers)
end

-- }======================================================================

-- {======================================================================
-- Configuration
-- =======================================================================

-- Parse Java properties text into { key = {value=, line=} } (last wins):
-- sk.parse_properties, in C (lib/lx_k8s.c has the format).
spark.parse_properties = sk.parse_properties

-- Literal env value of a container (nil for valueFrom or absent).
local function env_value(ce, name)
	local by = kube.env(ce.c)
	local e = by[name]
	return e and kube.str(e.e.value) or nil
end

-- Locate file `fpath` inside the container's mounts: returns the ConfigMap
-- object and the data key holding it, or nil.
function spark.mounted_configmap(ctx, obj, ce, fpath)
	for _, m in ipairs(kube.mounts(obj, ce)) do
		local mp = m.mount_path
		local sub = kube.str(m.m.subPath)
		local rel
		if mp and sub and mp == fpath then
			rel = sub
		elseif mp and not sub and kube.path_under(fpath, mp) and fpath ~= mp then
			rel = fpath:sub(#mp + 1):gsub("^/+", "")
		end
		if rel and m.volume then
			local sources = {}
			local cm = kube.tab(m.volume.configMap)
			if cm then
				sources[1] = cm
			end
			for _, src in ipairs(kube.list(kube.get(m.volume, "projected", "sources"))) do
				local pcm = kube.tab(kube.get(src, "configMap"))
				if pcm then
					sources[#sources + 1] = pcm
				end
			end
			for _, src in ipairs(sources) do
				local key = nil
				local items = kube.tab(src.items)
				if items and #items > 0 then
					for _, it in ipairs(items) do
						if kube.get(it, "path") == rel then
							key = kube.str(it.key)
						end
					end
				else
					key = rel
				end
				local name = kube.str(src.name)
				if key and name then
					local o = ctx:find("ConfigMap", name, ctx:namespace(obj))
					if o and kube.str(kube.get(o, "data", key)) then
						return o, key
					end
				end
			end
		end
	end
	return nil
end

-- (Keys are distinct, so the order of adding them does not matter; the
-- entries of one file share its path table.)
local function add_file_confs(conf, cm, key)
	local props = spark.parse_properties(kube.get(cm, "data", key))
	local path = { "data", key }
	for k, e in pairs(props) do
		conf[k] = { value = e.value, obj = cm, path = path, source = "file" }
	end
end

-- -Dspark.x=y words in the JVM option env vars of a container.
local OPT_ENVS = { "SPARK_JAVA_OPTS", "SPARK_SUBMIT_OPTS", "SPARK_DRIVER_OPTS",
	"SPARK_DAEMON_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS" }
local function add_env_confs(conf, obj, ce)
	local by = kube.env(ce.c)
	for _, name in ipairs(OPT_ENVS) do
		local e = by[name]
		local v = e and kube.str(e.e.value)
		if v then
			for _, w in ipairs(shell_words(v)) do
				local k, val = w:match("^%-D(spark%.[^=]+)=(.*)$")
				if k then
					conf[k] = { value = val, obj = obj,
						path = kube.path(ce.path, "env", e.index, "value"), source = "env" }
				end
			end
		end
	end
end

-- Environment variables spark-submit falls back on when neither its flag
-- nor a property sets the value (SparkSubmitArguments; the launcher takes
-- the client-mode driver's -Xmx from SPARK_DRIVER_MEMORY the same way).
local SUBMIT_ENVS = { { "SPARK_DRIVER_MEMORY", "spark.driver.memory" },
	{ "SPARK_EXECUTOR_MEMORY", "spark.executor.memory" }, { "SPARK_EXECUTOR_CORES", "spark.executor.cores" } }
local function add_submit_envs(conf, obj, ce)
	local by = kube.env(ce.c)
	for _, x in ipairs(SUBMIT_ENVS) do
		local e = by[x[1]]
		local v = e and kube.str(e.e.value)
		if v then
			conf[x[2]] = { value = v, obj = obj, path = kube.path(ce.path, "env", e.index, "value"), source = "env" }
		end
	end
end

-- The properties file spark-submit reads (--properties-file, else
-- $SPARK_CONF_DIR/spark-defaults.conf), and whether --properties-file named it.
local function properties_file(ce, s)
	local pf = s and s.opts["--properties-file"]
	if pf and type(pf.value) == "string" then
		return pf.value, true
	end
	local dir = env_value(ce, "SPARK_CONF_DIR")
	if not dir then
		dir = (env_value(ce, "SPARK_HOME") or "/opt/spark") .. "/conf"
	end
	return dir .. "/spark-defaults.conf", false
end

-- The tables spark.conf made: conf -> true, then its sorted keys (with_prefix).
local conf_keys = setmetatable({}, { __mode = "k" })

-- The effective Spark configuration of container entry `ce` of `obj` (see
-- the file comment for sources and precedence).  Returns a table
-- key -> entry; never nil.  For a SparkApplication pass ce = nil.
function spark.conf(ctx, obj, ce)
	local cc = cache(ce and ce.c or obj)
	local conf = cc.conf
	if conf then
		return conf
	end
	conf = {}
	if obj.kind == "SparkApplication" then
		-- (Not the spec.sparkConfigMap's spark-defaults.conf: the operator
		-- mounts it in the pods only, and the driver's spark-submit reads
		-- Spark's own --properties-file instead, spark-operator #691.)
		for k, v in sk.sorted_pairs(kube.tab(kube.get(obj, "spec", "sparkConf")) or {}) do
			local t = kube.text(v)
			if t and type(k) == "string" then
				conf[k] = { value = t, obj = obj, path = { "spec", "sparkConf", k }, source = "sparkConf" }
			end
		end
		local mode = kube.str(kube.get(obj, "spec", "mode"))
		if mode and not conf["spark.submit.deployMode"] then
			conf["spark.submit.deployMode"] = { value = mode, obj = obj, path = { "spec", "mode" }, source = "sparkConf" }
		end
		cc.conf = conf
		conf_keys[conf] = true
		return conf
	end
	local s = spark.submit(ce)
	local file = properties_file(ce, s)
	if s then
		add_submit_envs(conf, obj, ce)
	end
	if file:sub(1, 1) == "/" then
		local cm, key = spark.mounted_configmap(ctx, obj, ce, file)
		if cm then
			add_file_confs(conf, cm, key)
		end
	end
	add_env_confs(conf, obj, ce)
	if s then
		if s.entrypoint then
			local bind = env_value(ce, "SPARK_DRIVER_BIND_ADDRESS")
			conf["spark.driver.bindAddress"] = { value = bind or "$(SPARK_DRIVER_BIND_ADDRESS)",
				obj = obj, path = s.word.path, source = "flag" }
		end
		for _, e in ipairs(s.conf_list) do
			conf[e.key] = { value = e.value, obj = obj, path = e.path, source = "arg", shell = e.shell }
		end
		-- A flag wins over a --conf of its key: SparkSubmitArguments takes
		-- Option(master).orElse(sparkProperties.get("spark.master")), and so on.
		for opt, o in pairs(s.opts) do	-- each flag sets a different key
			local key = FLAG_CONF[opt]
			if key and type(o.value) == "string" then
				conf[key] = { value = o.value, obj = obj, path = o.path, source = "flag", shell = o.shell }
			end
		end
	end
	cc.conf = conf
	conf_keys[conf] = true
	return conf
end

-- The conf of the driver container of a driver workload (or of a
-- SparkApplication); {} when there is no driver container.
function spark.driver_conf(ctx, obj)
	if obj.kind == "SparkApplication" then
		return spark.conf(ctx, obj, nil)
	end
	local ce = spark.driver_container(obj)
	if not ce then
		return {}
	end
	return spark.conf(ctx, obj, ce)
end

-- Value of a conf key (string) or nil.
function spark.get(conf, key)
	local e = conf[key]
	return e and e.value or nil
end

-- Entries whose key starts with `prefix`, sorted by key: { {key=, e=} ... }.
-- A table spark.conf made is never changed: its keys are sorted once (the
-- first time), and a prefix is found by bisection.
function spark.with_prefix(conf, prefix)
	local out = {}
	local keys = conf_keys[conf]
	if not keys then
		for k, e in sk.sorted_pairs(conf) do
			if k:sub(1, #prefix) == prefix then
				out[#out + 1] = { key = k, e = e }
			end
		end
		return out
	end
	if keys == true then
		keys = {}
		for k in next, conf do
			keys[#keys + 1] = k
		end
		table.sort(keys)
		conf_keys[conf] = keys
	end
	local lo, hi = 1, #keys + 1
	while lo < hi do
		local mid = (lo + hi) // 2
		if keys[mid] < prefix then
			lo = mid + 1
		else
			hi = mid
		end
	end
	for i = lo, #keys do
		local k = keys[i]
		if k:find(prefix, 1, true) ~= 1 then
			break
		end
		out[#out + 1] = { key = k, e = conf[k] }
	end
	return out
end

-- Spark's boolean parse.
function spark.is_true(v)
	return type(v) == "string" and v:match("^%s*[Tt][Rr][Uu][Ee]%s*$") ~= nil
end

-- Does `s` name env var `var` as a Kubernetes $(VAR) reference, and nothing
-- else?  Returns the variable name.  In a shell script (`shell` true) the
-- shell's $VAR and ${VAR} count too; elsewhere Kubernetes expands only
-- $(VAR), and spark-submit gets a $VAR as written.
function spark.var_ref(s, shell)
	if type(s) ~= "string" then
		return nil
	end
	local var = s:match("^%$%(([%w_.%-]+)%)$")	-- (env names may hold '.' and '-')
	if var or not shell then
		return var
	end
	return s:match("^%${([%w_]+)}$") or s:match("^%$([%w_]+)$")
end

-- The pod field a shell script word gives at run time: "metadata.name" for
-- the host name ($HOSTNAME, $(hostname), `hostname`, $(cat /etc/hostname),
-- the pod's name unless its spec sets a hostname), "status.podIP" for
-- $(hostname -i) and the like; nil for anything else.
local HOST_WORDS = {
	["$HOSTNAME"] = "metadata.name", ["${HOSTNAME}"] = "metadata.name",
	["$(hostname)"] = "metadata.name", ["`hostname`"] = "metadata.name",
	["$(cat /etc/hostname)"] = "metadata.name", ["$(</etc/hostname)"] = "metadata.name",
	["$(hostname -i)"] = "status.podIP", ["`hostname -i`"] = "status.podIP",
	["$(hostname -I)"] = "status.podIP", ["`hostname -I`"] = "status.podIP",
	["$(hostname --ip-address)"] = "status.podIP",
}
function spark.shell_field(s)
	return HOST_WORDS[s]
end

-- The downward-API fieldPath bound to env var `name` in the container, or
-- nil (other literal values and other sources give nil).  A literal value
-- that is just "$(X)" of an entry before it has X's value (the kubelet
-- expands in order): POD_IP from status.podIP, then HOST: $(POD_IP).
function spark.field_ref(ce, name)
	local by = kube.env(ce.c)
	local e = by[name]
	while e do
		local f = kube.str(kube.get(e.e, "valueFrom", "fieldRef", "fieldPath"))
		if f then
			return f
		end
		local x = (kube.str(kube.get(e.e, "value")) or ""):match("^%$%((.+)%)$")
		local xe = x and by[x]
		e = xe and xe.index < e.index and xe or nil	-- (indices fall: it ends)
	end
	return nil
end

-- Kubernetes' expansion of `s` (the kubelet's, for env values, command and
-- args): "$$" is one "$", "$(NAME)" what lookup(NAME) gives, or stays as
-- written when that is nil; any other "$" stays.
local function k8s_expand(s, lookup)
	if not s:find("$", 1, true) then
		return s
	end
	local out, from, n = {}, 1, #s
	while true do
		local d = s:find("$", from, true)
		if not d or d == n then
			break
		end
		out[#out + 1] = s:sub(from, d - 1)
		local c = s:sub(d + 1, d + 1)
		local close = c == "(" and s:find(")", d + 2, true)
		if close then
			local name = s:sub(d + 2, close - 1)
			out[#out + 1] = lookup(name) or s:sub(d, close)
			from = close + 1
		else	-- "$$" is "$"; "$(" without ")" and "$x" stay
			out[#out + 1] = c == "$" and "$" or "$" .. c
			from = d + 2
		end
	end
	out[#out + 1] = s:sub(from)
	return table.concat(out)
end

-- The values the container's env gives its process, by name: the kubelet
-- expands each literal value with the entries before it (a later one, or a
-- value from a Secret, ConfigMap or field, leaves its $(NAME) as written);
-- false for an entry without a literal value.  An empty value gives way to
-- valueFrom; with neither, the value is "".  The last entry of a name wins.
local function env_values(c)
	local vals = {}
	local function earlier(n)
		return vals[n] or nil
	end
	for _, x in ipairs(select(2, kube.env(c))) do
		local v = kube.get(x.e, "value")
		if v == nil or v == "" then
			v = kube.get(x.e, "valueFrom") == nil and "" or nil
		else
			v = kube.str(v)
		end
		vals[x.name] = v and k8s_expand(v, earlier) or false
	end
	return vals
end
function spark.env_values(c)
	return cached(c, "env_values", env_values, c)
end

-- spark.env_values(c) as a lookup for k8s_expand and gsub: nil for none.
local function env_lookup(c)
	local vals = spark.env_values(c)
	return function(n)
		return vals[n] or nil
	end
end

-- Expand $(VAR) references as the kubelet does (k8s_expand) with the
-- container's literal env values (spark.env_values); vars without one stay
-- as they are.  In a shell script (`shell` true: the conf entry's shell)
-- the shell's ${VAR} and $VAR are expanded the same way, after Kubernetes'
-- $(VAR).
function spark.expand(ce, s, shell)
	if type(s) ~= "string" or not ce then
		return s
	end
	local literal = env_lookup(ce.c)
	s = k8s_expand(s, literal)
	if shell and s:find("$", 1, true) then
		s = s:gsub("%${([%w_]+)}", literal):gsub("%$([%a_][%w_]*)", literal)
	end
	return s
end

-- Is this legacy apache-spark-on-k8s (2.2 fork) configuration?  True when a
-- fork-only key is set or the image is a kubespark/ or Banzai 2.2 image.
local LEGACY_PREFIXES = { "spark.kubernetes.driver.docker.image", "spark.kubernetes.executor.docker.image",
	"spark.kubernetes.initcontainer.docker.image", "spark.kubernetes.shuffle.",
	"spark.kubernetes.checkpointdir.", "spark.kubernetes.resourceStagingServer.",
	"spark.ssl.kubernetes.resourceStagingServer." }
local function legacy_keys(conf)
	for k in pairs(conf) do	-- any order: the answer is the same
		if k:find("spark.kubernetes.", 1, true) == 1 or k:find("spark.ssl.", 1, true) == 1 then
			for _, p in ipairs(LEGACY_PREFIXES) do
				if k:sub(1, #p) == p then
					return true
				end
			end
		end
	end
	return false
end
function spark.is_legacy(conf, ce)
	local cc = cache(conf)
	local l = cc.legacy_keys
	if l == nil then
		l = legacy_keys(conf)
		cc.legacy_keys = l
	end
	if l then
		return true
	end
	local img = ce and kube.str(ce.c.image) or ""
	if img:find("kubespark/", 1, true) or img:find("banzaicloud/spark", 1, true) then
		return true
	end
	return false
end

-- Set in `labels` the spark.kubernetes.<role>.label.* confs of `conf` for
-- pods of `role` ("driver" or "executor"); returns labels.
local LABEL_PREFIX = { driver = "spark.kubernetes.driver.label.", executor = "spark.kubernetes.executor.label." }
function spark.conf_labels(conf, role, labels)
	local pre = LABEL_PREFIX[role]
	for _, x in ipairs(spark.with_prefix(conf, pre)) do
		labels[x.key:sub(#pre + 1)] = x.e.value
	end
	return labels
end

-- Labels Spark puts on this driver's executors: spark-role=executor, the
-- app selector / name when fixed by conf, and spark.kubernetes.executor.label.*.
function spark.executor_labels(conf)
	local l = { ["spark-role"] = "executor" }
	local id = spark.get(conf, "spark.app.id")
	if id then
		l["spark-app-selector"] = id
	end
	return spark.conf_labels(conf, "executor", l)
end

-- The key of envFrom source `src` that would set variable `n` (n less the
-- source's prefix), or nil when the prefix does not start n.
local function env_from_key(src, n)
	local prefix = kube.str(kube.get(src, "prefix")) or ""
	if n:sub(1, #prefix) == prefix then
		return n:sub(#prefix + 1)
	end
	return nil
end

-- Might an envFrom source of container `c` set variable `n` (its keys are
-- not read here)?
local function env_from_may_set(c, n)
	for _, src in ipairs(kube.list(c.envFrom)) do
		if kube.tab(src) and env_from_key(src, n) then
			return true
		end
	end
	return false
end

-- Is the location `v` (after spark.expand) still a reference the YAML does
-- not resolve?  A $(VAR) whose variable the container sets from a Secret,
-- ConfigMap or field, or that an envFrom source may set (Kubernetes leaves
-- an undefined one as written, so that one is a literal path), any '$'
-- left in a shell script's word (its $VAR, ${...} or $(...): spark.expand
-- gave those of a literal env value theirs), and Spark's own ${env:X} or
-- ${key} substitution of a conf value.  ce is nil for a value Kubernetes
-- does not expand (a SparkApplication's conf).
local function unresolved(ce, v, shell)
	if not v:find("$", 1, true) then
		return false
	end
	if shell or v:find("${", 1, true) then
		return true
	end
	if not ce then
		return false
	end
	local by = kube.env(ce.c)
	for n in v:gmatch("%$%(([%w_.%-]+)%)") do
		if by[n] or env_from_may_set(ce.c, n) then
			return true
		end
	end
	return false
end

-- The env list Spark gives a driver pod it makes from `conf`:
-- SPARK_APPLICATION_ID (made at submission: unknown here), then the
-- spark.kubernetes.driverEnv.X confs, in the order of a Scala Map (not
-- the conf's): a value referring to another $(VAR) is unknown too.
local UNKNOWN = { unknown = true }
local function driver_env(conf)
	local env = { { name = "SPARK_APPLICATION_ID", valueFrom = UNKNOWN } }
	local pre = "spark.kubernetes.driverEnv."
	for _, x in ipairs(spark.with_prefix(conf, pre)) do
		local e = { name = x.key:sub(#pre + 1), value = x.e.value }
		if type(e.value) == "string" and e.value:find("$(", 1, true) then
			e.value, e.valueFrom = nil, UNKNOWN
		end
		env[#env + 1] = e
	end
	return env
end

-- Spark substitutes ${env:X} in a conf value it reads: with the literal env
-- values of the driver's container entry `ce`, as spark.expand does for
-- Kubernetes' $(VAR).
local function spark_env(ce, v)
	if not v:find("${env:", 1, true) then
		return v
	end
	return (v:gsub("%${env:([%w_]+)}", env_lookup(ce.c)))
end

-- The confs and application arguments (a set) that give a checkpoint location.
local CKPT_KEYS = { "spark.sql.streaming.checkpointLocation", "spark.kubernetes.checkpointdir.path",
	"spark.checkpoint.dir" }
local CKPT_ARGS = { ["--checkpoint"] = true, ["--checkpoint-dir"] = true, ["--checkpointDir"] = true,
	["--checkpoint-location"] = true, ["--checkpointLocation"] = true, ["--checkpoint-path"] = true,
	["--checkpointPath"] = true }

-- Add to `out` the checkpoint locations `conf` sets.  Spark substitutes
-- ${env:X} with the env of container entry `ece`, after Kubernetes expanded
-- $(X) with that of `kce` (nil when nothing expands the values).
local function conf_checkpoints(conf, ece, kce, out)
	for _, k in ipairs(CKPT_KEYS) do
		local e = conf[k]
		if e and e.value ~= "" then
			local x = spark_env(ece, spark.expand(kce, e.value, e.shell))
			out[#out + 1] = { value = x, key = k, obj = e.obj, path = e.path,
				unknown = unresolved(kce, x, e.shell) }
		end
	end
end

-- Checkpoint locations configured for a driver container: array of
-- { value = <string>, key = <conf key or app arg>, obj =, path = }, with
-- unknown = true when the value is a reference the YAML does not resolve.
local function checkpoints(ctx, obj, ce)
	local out = {}
	local conf, ece = spark.conf(ctx, obj, ce), ce
	if spark.deploy_mode(ce, ctx, obj) == "cluster" then
		-- Spark reads the confs in the driver pod it makes: its env is not
		-- this launcher's
		ece = { c = { env = driver_env(conf) } }
	end
	conf_checkpoints(conf, ece, ce, out)
	local s = spark.submit(ce)
	local v, i = find_arg(s and s.app_args or {}, word_text, CKPT_ARGS)
	if v and v ~= "" then
		local w = s.app_args[i]
		local x = spark.expand(ce, v, not w.raw)
		out[#out + 1] = { value = x, key = "application argument", obj = obj, path = w.path,
			unknown = unresolved(ce, x, not w.raw) }
	end
	return out
end
function spark.checkpoints(ctx, obj, ce)
	local cc = cache(ce.c)
	local out = cc.checkpoints
	if not out then
		out = checkpoints(ctx, obj, ce)
		cc.checkpoints = out
	end
	return out
end

-- A local file-system path for a checkpoint URI: "/x" and "file:/x",
-- "file:///x" give "/x"; remote URIs (s3a://, hdfs://, ...) give nil.
function spark.local_path(uri)
	if uri:sub(1, 1) == "/" then
		return uri
	end
	local p = uri:match("^file:/*(/.*)$") or uri:match("^file:(/.*)$")
	if p then
		return (p:gsub("^/+", "/"))
	end
	local rest = uri:match("^local:/*(/.*)$")
	if rest then
		return (rest:gsub("^/+", "/"))
	end
	if not uri:match("^[%a][%w+.-]*:") then
		return uri	-- a relative path: local, relative to the working dir
	end
	return nil
end

-- }======================================================================

-- {======================================================================
-- Driver surroundings: mode, Services, claims, sizes
-- =======================================================================

-- Does the YAML show that a driver container with no master of its own
-- (no --master, no spark.master) runs on Kubernetes, or might?  A reason
-- when it does: the `spark-role: driver` label Spark gives its driver pods
-- (copied so that Services select the driver) or the name it gives their
-- container, spark-kubernetes-driver; a spark.kubernetes.* conf; Spark's
-- image entrypoint in driver mode (Spark's own driver pod: its master is in
-- the properties file Spark mounts); or a properties file the
-- set does not hold (a --properties-file, or a volume over the default
-- spark-defaults.conf, that is no ConfigMap of the set: it may set the
-- master).  nil when nothing does.
local function kubernetes_evidence(ctx, obj, ce, conf)
	local p = kube.pod(obj)
	if kube.text(kube.labels(obj)["spark-role"]) == "driver" or
		(p and kube.text(p.labels["spark-role"]) == "driver") then
		return "label"
	end
	if ce.name == "spark-kubernetes-driver" then
		return "container name"
	end
	for k in pairs(conf) do	-- (any one will do: the order does not matter)
		if k:sub(1, 17) == "spark.kubernetes." then
			return "conf"
		end
	end
	local s = spark.submit(ce)
	if s and s.entrypoint then
		return "entrypoint"
	end
	local file, named = properties_file(ce, s)
	if spark.mounted_configmap(ctx, obj, ce, file) then
		return nil	-- (read: spark.conf holds its keys)
	end
	if named then
		return "properties-file"
	end
	for _, m in ipairs(kube.mounts(obj, ce)) do
		if m.mount_path and kube.path_under(file, m.mount_path) then
			return "properties-file"
		end
	end
	return nil
end

-- The cluster manager a driver container's spark-submit runs against when
-- it is not Kubernetes: "local" (local, local[N], local-cluster[...]: no
-- executor pods, nothing connects to the driver), "standalone" (spark://:
-- executors on the workers connect back to it) or "other" (yarn, mesos://);
-- plus the conf entry or env entry that says so.  The master is spark-
-- submit's: --master, else spark.master (a --conf, -D option or the
-- properties file), else the container's MASTER env, else local[*]
-- (SparkSubmitArguments).  So a container with none of these is "local"
-- (with no entry) unless kubernetes_evidence finds that it runs on
-- Kubernetes all the same (a master set in the application's code cannot
-- be seen).  A --master or --conf's $(VAR) (a script's $VAR) is taken with
-- the container's literal env value.  nil for k8s://, a reference with no
-- literal value ($(MASTER), a MASTER from valueFrom), an unknown value, and
-- an unset master with evidence: those are judged as Kubernetes.
local MASTERS = { { "^local$", "local" }, { "^local%[", "local" }, { "^local%-cluster%[", "local" },
	{ "^spark://", "standalone" }, { "^yarn", "other" }, { "^mesos://", "other" } }
local function master_kind(v)
	v = trim(v):lower()
	for _, m in ipairs(MASTERS) do
		if v:find(m[1]) then
			return m[2]
		end
	end
	return nil
end
-- The container's MASTER env as spark-submit sees it: its literal value (nil
-- when unknown) and an entry, or nothing when no source sets it.  An env
-- entry wins over envFrom, and of the envFrom sources the last that holds
-- MASTER (after its prefix) wins, as in Kubernetes.  A ConfigMap of the set
-- gives its data key; a Secret, or a ConfigMap the set does not hold, may
-- hold MASTER: unknown.
local function master_env(ctx, obj, ce)
	local env = kube.env(ce.c)["MASTER"]
	if env then
		local v = kube.str(env.e.value)	-- (nil for valueFrom: unknown)
		if v then
			v = spark.expand(ce, v, false)	-- (MASTER: $(URL) takes URL's value)
		end
		return v, { value = v, obj = obj, path = kube.path(ce.path, "env", env.index, "value"), source = "env" }
	end
	local v, e
	for i, src in ipairs(kube.list(ce.c.envFrom)) do
		local key = env_from_key(src, "MASTER")
		if key then
			local name = kube.str(kube.get(src, "configMapRef", "name"))
			local cm = name and ctx:find("ConfigMap", name, ctx:namespace(obj))
			if cm then
				local cv = kube.str(kube.get(cm, "data", key))
				if cv then
					v, e = cv, { value = cv, obj = cm, path = { "data", key }, source = "env" }
				end
			else
				v, e = nil, { obj = obj, path = kube.path(ce.path, "envFrom", i), source = "env" }
			end
		end
	end
	return v, e
end

-- Does the MASTER=... at argv[i] reach spark-submit (word `submit`)?  In a
-- script: `export MASTER=...`, an assignment standing alone as a command
-- (`MASTER=...; spark-submit`), or one in the assignments that precede
-- spark-submit itself (`MASTER=... spark-submit`, `env MASTER=...
-- spark-submit`), but not one before another command (`MASTER=...
-- ./prepare.sh; spark-submit`: only prepare.sh sees it).  In exec form
-- (`command: [env, MASTER=..., spark-submit, ...]`) only an operand of env
-- that precedes spark-submit.
local function master_assignment_applies(argv, i, submit)
	local j = i + 1
	while argv[j] and argv[j].raw == argv[i].raw and argv[j] ~= submit and
		argv[j].s:match("^[%a_][%w_]*=") do
		j = j + 1
	end
	local nxt = argv[j]
	if argv[i].raw then
		local k = i - 1
		while k > 0 and argv[k].raw and (argv[k].s:match("^[%a_][%w_]*=") or argv[k].s:sub(1, 1) == "-") do
			k = k - 1
		end
		return nxt == submit and k > 0 and argv[k].raw and basename(argv[k].s) == "env"
	end
	if i > 1 and not argv[i - 1].raw and argv[i - 1].s == "export" then
		return true
	end
	return nxt == nil or nxt == submit or nxt.raw or SEPARATORS[nxt.s] == true
end

-- The master a shell script running spark-submit gives it beyond its
-- options, and true, when it gives one: the value of the last MASTER=...
-- before spark-submit (`export MASTER=...`, `MASTER=... spark-submit`), or
-- a --master or spark.master in a variable standing where spark-submit's
-- options are (`spark-submit $SUBMIT_ARGS app.jar`: the parser took it for
-- the resource).  The value is nil when the script's variables leave it
-- unknown.  Nothing when the script says nothing of the master.
local function script_master(ce)
	local s = spark.submit(ce)
	if not s then
		return nil, false
	end
	local v, known
	local argv = spark.argv(ce)
	for i, w in ipairs(argv) do
		if w == s.word then
			break
		end
		local a = w.s:match("^MASTER=(.*)$")
		if a and master_assignment_applies(argv, i, s.word) then
			v, known = not a:find("$", 1, true) and a or nil, true
		end
	end
	local r = s.resource
	if r and r.s:sub(1, 1) == "$" then
		local x = spark.expand(ce, r.s, not r.raw)
		if x:find("$", 1, true) then
			return nil, true
		end
		local words = r.raw and { x } or shell_words(x)
		for j, a in ipairs(words) do
			local m = a:match("^%-%-master=(.*)$") or (a == "--master" and words[j + 1]) or
				a:match("^%-%-conf=spark%.master=(.*)$") or
				((a == "--conf" or a == "-c") and words[j + 1] and words[j + 1]:match("^spark%.master=(.*)$"))
			if m then
				v, known = m, true
			end
		end
	end
	return v, known
end

local function other_master(ctx, obj, ce)
	local conf = spark.conf(ctx, obj, ce)
	local e = conf["spark.master"]
	if e then
		local v = e.value	-- (an option's $(VAR), or a script's $VAR, has its literal env value)
		if e.source == "flag" or e.source == "arg" then
			v = spark.expand(ce, v, e.shell)
		end
		local kind = master_kind(v)
		if kind then
			return kind, e
		end
		return nil
	end
	local sv, known = script_master(ce)
	if known then
		return sv and master_kind(sv) or nil
	end
	local v, env = master_env(ctx, obj, ce)
	if env then
		local kind = v and master_kind(v)
		if kind then
			return kind, env
		end
		return nil
	end
	if kubernetes_evidence(ctx, obj, ce, conf) then
		return nil
	end
	return "local", nil
end
function spark.other_master(ctx, obj, ce)	-- (three callers per driver)
	local cc = cache(ce.c)
	local c = cc.other_master
	if not c then
		c = { other_master(ctx, obj, ce) }
		cc.other_master = c
	end
	return c[1], c[2]
end

-- For a driver workload running inside the cluster in client mode (the Job,
-- StatefulSet or Pod *is* the driver), its driver container entry; nil for
-- non-drivers and for cluster-mode launchers.  spark.client_driver_spec
-- counts a PodTemplate's spec too, spark.client_driver does not (see
-- spark.is_driver).
local function client_driver(obj, ctx)
	if not spark.spec_is_driver(obj) then
		return nil
	end
	local ce = spark.driver_container(obj)
	if not ce then
		return nil
	end
	local mode = spark.deploy_mode(ce, ctx, obj)
	if mode and mode ~= "client" then
		return nil
	end
	return ce
end
function spark.client_driver_spec(obj, ctx)
	return cached(obj, "client_driver", client_driver, obj, ctx) or nil
end
function spark.client_driver(obj, ctx)
	if obj.kind == "PodTemplate" then
		return nil
	end
	return spark.client_driver_spec(obj, ctx)
end

-- Objects of `kind` grouped by namespace: { ns = { obj, ... } }.  Build it
-- once in finish() and pass it to the per-driver helpers below, so that
-- matching drivers against Services, PDBs or bindings stays linear in the
-- number of namespaces' objects rather than quadratic in the set.
function spark.by_namespace(ctx, kind)
	local idx = {}
	for _, o in ipairs(ctx:objects(kind)) do
		local ns = ctx:namespace(o)
		local l = idx[ns]
		if not l then
			l = {}
			idx[ns] = l
		end
		l[#l + 1] = o
	end
	return idx
end

-- Services in the driver's namespace whose (non-empty) selector matches its
-- pod labels; the matching runs in the engine (ctx:selecting).
local function driver_services(ctx, obj)
	local labels = {}
	for k, v in sk.sorted_pairs(kube.pod_labels(obj)) do
		labels[k] = kube.text(v)
	end
	local out = {}
	for _, svc in ipairs(ctx:selecting("Service", labels, ctx:namespace(obj))) do
		local sel = kube.tab(kube.get(svc, "spec", "selector"))
		if sel and next(sel) ~= nil then
			out[#out + 1] = svc
		end
	end
	return out
end
function spark.driver_services(ctx, obj)
	return cached(obj, "driver_services", driver_services, ctx, obj)
end

function spark.is_headless(svc)
	return kube.get(svc, "spec", "clusterIP") == "None"
end

-- Split a host name that may name a Service: "svc", "svc.ns", "svc.ns.svc",
-- "svc.ns.svc.<zone>".  Returns svc, ns (ns nil when not given), or nil for
-- IP literals and names that cannot be Service DNS names.
function spark.service_host(host, default_ns)
	if type(host) ~= "string" or host == "" or host:match("^[%d.]+$") or host:find(":", 1, true) then
		return nil
	end
	local parts = {}
	for p in host:gmatch("[^.]+") do
		parts[#parts + 1] = p
	end
	if #parts == 1 then
		return parts[1], default_ns
	elseif #parts == 2 then
		return parts[1], parts[2]
	elseif parts[3] == "svc" then
		return parts[1], parts[2]
	end
	return nil
end

-- Is a conf value a reference to env var bound to the downward-API field
-- `field` (e.g. "metadata.name")?  Returns true/false, and the var name.
-- `shell`: the value is a word of a shell script (the conf entry's shell),
-- where $VAR, ${VAR} and the host-name idioms of spark.shell_field count.
function spark.is_field_ref(ce, value, field, shell)
	if shell and field == "status.podIP" and spark.shell_field(value) == field then
		return true, nil
	end
	local var = spark.var_ref(value, shell)
	if not var then
		return false, nil
	end
	return spark.field_ref(ce, var) == field, var
end

-- Spark size string ("2g", "512m", "1024", "1.5g") to bytes; bare numbers
-- are in `unit` (default MiB, as for spark.*.memory).  nil when invalid.
local SIZE = { b = 1, k = 1024, m = 1024 ^ 2, g = 1024 ^ 3, t = 1024 ^ 4, p = 1024 ^ 5 }
function spark.size_bytes(s, unit)
	if type(s) ~= "string" then
		return nil
	end
	-- in linear steps: "^%s*(%d+%.?%d*)%s*([bkmgtp]?)b?%s*$" backtracks
	-- polynomially on a long run of digits (60,000 digits: minutes in one call)
	local num, rest = trim(s:lower()):match("^([%d.]+)(.*)$")
	local _, dots = (num or ""):gsub("%.", "")
	if not num or not num:find("^%d") or dots > 1 then
		return nil
	end
	local suf = trim(rest):match("^([bkmgtp]?)b?$")
	if not suf then
		return nil
	end
	local mult = (suf == "") and (unit or SIZE.m) or SIZE[suf]
	return tonumber(num) * mult
end

-- A StatefulSet's volumeClaimTemplates by name: name -> index of the last
-- of that name ({} for other kinds).  The controller makes a pod's claims
-- from a map by template name (getPersistentVolumeClaims), so a later
-- template replaces an earlier one, and mounts a template's claim in place
-- of a pod volume of its name.
function spark.claim_templates(obj)
	local tmpl = {}
	if obj.kind == "StatefulSet" then
		for i, t in ipairs(kube.list(kube.get(obj, "spec", "volumeClaimTemplates"))) do
			local n = kube.str(kube.get(t, "metadata", "name"))
			if n then
				tmpl[n] = i
			end
		end
	end
	return tmpl
end

-- Of `all` (entries with a mount_path), those that may hold a checkpoint
-- location of `cks`: those a local location lies under; all of them when
-- no location is configured or one is unknown, none when all are remote.
local function holding(all, cks)
	if #cks == 0 then
		return all
	end
	local paths = {}
	for _, ck in ipairs(cks) do
		if ck.unknown then
			return all	-- it may be under any of them
		end
		local lp = spark.local_path(ck.value)
		if lp then
			paths[#paths + 1] = lp
		end
	end
	local out = {}
	for _, c in ipairs(all) do
		for _, lp in ipairs(paths) do
			if kube.path_under(lp, c.mount_path) then
				out[#out + 1] = c
				break
			end
		end
	end
	return out
end

-- The checkpoint claims of a driver workload: array of { claim = <name>,
-- volume = <pod volume>, vpath = <its path>, mount = <mount entry>,
-- mount_path = <its mountPath> } for PVC
-- volumes mounted in the driver container; when checkpoint locations are
-- configured, only the claims holding them (none when every location is
-- remote: s3a://, hdfs://, ...).
local function checkpoint_claims(ctx, obj)
	local ce = spark.driver_container(obj)
	if not ce then
		return {}
	end
	local all = {}
	local tmpl = spark.claim_templates(obj)
	for _, m in ipairs(kube.mounts(obj, ce)) do
		local name = kube.str(m.m.name)
		local ti = name and tmpl[name]	-- (a template wins over a pod volume of its name)
		if ti and m.mount_path then
			all[#all + 1] = { claim = name, tmpl = ti, mount = m, mount_path = m.mount_path, ce = ce,
				vpath = { "spec", "volumeClaimTemplates", ti } }
		elseif m.vtype == "persistentVolumeClaim" and m.mount_path then
			local _, vpath = kube.volume(obj, name)
			local claim = kube.str(kube.get(m.volume, "persistentVolumeClaim", "claimName"))
			if claim then
				all[#all + 1] = { claim = claim, volume = m.volume, vpath = vpath, mount = m,
					mount_path = m.mount_path, ce = ce }
			end
		end
	end
	return holding(all, spark.checkpoints(ctx, obj, ce))
end
function spark.checkpoint_claims(ctx, obj)
	return cached(obj, "checkpoint_claims", checkpoint_claims, ctx, obj)
end

-- The checkpoint claims of one object, empty unless it is a driver, as
-- values for ctx:collect (check() collects them, finish() judges each claim
-- once, see spark.first_per_claim): array of { ns =, claim =, driver = <obj>,
-- path = <path of the volume's claimName> }.  A StatefulSet's checkpoint on
-- one of its volumeClaimTemplates gives { claim = <template name>, tmpl =
-- <its index>, path = <path of the template's metadata.name> }: the
-- controller creates its claims, so they are in no file (spark.claim_of
-- gives the template in place of the claim).  The rule may add fields of its
-- own (plain values) before collecting them.
function spark.checkpoint_claim_summaries(ctx, obj)
	if obj.kind == "SparkApplication" then
		return spark.app_checkpoint_claims(ctx, obj)
	end
	local out = {}
	if not spark.is_driver(obj) then
		return out
	end
	local ns = ctx:namespace(obj)
	for _, c in ipairs(spark.checkpoint_claims(ctx, obj)) do
		if c.tmpl then
			out[#out + 1] = { ns = ns, claim = c.claim, driver = obj, tmpl = c.tmpl,
				path = kube.path(c.vpath, "metadata", "name") }
		else
			out[#out + 1] = { ns = ns, claim = c.claim, driver = obj,
				path = kube.path(c.vpath, "persistentVolumeClaim", "claimName") }
		end
	end
	return out
end

-- The claim a value of spark.first_per_claim stands for: the object to
-- report on, the path of the claim inside it (its spec is below), the claim
-- (a table with metadata and spec) and its description.  A PersistentVolumeClaim
-- of the set, else a StatefulSet's volumeClaimTemplate; nil when neither.
function spark.claim_of(x)
	if x.pvc then
		return x.pvc, {}, x.pvc, kube.describe(x.pvc)
	elseif x.tmpl then
		local base = { "spec", "volumeClaimTemplates", x.tmpl }
		return x.driver, base, kube.tab(kube.list(kube.get(x.driver, "spec", "volumeClaimTemplates"))[x.tmpl]),
			string.format("volumeClaimTemplate '%s' of %s", x.claim, kube.describe(x.driver))
	end
	return nil
end

-- Values collected per document (ctx:collected() is in document order)
-- put in the order of the whole-set helpers: by the kind of v[field] in
-- kube.WORKLOADS order (other kinds last), then as collected.  So "the
-- first" of several is the one spark.drivers (then a later kind's
-- ctx:objects) would have given.  Returns a new array.
function spark.in_drivers_order(values, field)
	local rank, last = {}, 1
	for i, k in ipairs(kube.workload_kinds()) do
		rank[k] = i
		last = i + 1
	end
	local t = {}
	for i, v in ipairs(values) do
		t[i] = { r = rank[v[field].kind] or last, i = i, v = v }
	end
	table.sort(t, function(a, b)
		if a.r ~= b.r then
			return a.r < b.r
		end
		return a.i < b.i
	end)
	local out = {}
	for i, x in ipairs(t) do
		out[i] = x.v
	end
	return out
end

-- The collected spark.checkpoint_claim_summaries of a rule, once per
-- (namespace, claim), the first driver in spark.drivers order winning, each
-- with pvc = <the PersistentVolumeClaim or nil>.
function spark.first_per_claim(ctx, values)
	local out, seen = {}, {}
	for _, x in ipairs(spark.in_drivers_order(values, "driver")) do
		local key = x.tmpl and (x.ns .. "/" .. (kube.name(x.driver) or "") .. "\0" .. x.claim)
			or (x.ns .. "/" .. x.claim)
		if not seen[key] then
			seen[key] = true
			x.pvc = not x.tmpl and ctx:find("PersistentVolumeClaim", x.claim, x.ns) or nil
			out[#out + 1] = x
		end
	end
	return out
end

-- The driver's network setup, for the Service rules: nil unless `obj` is an
-- in-cluster client-mode driver whose container runs spark-submit, with a
-- master that has executors connect to it (not local, spark.other_master).
--   { ce =, conf =, services = <Services selecting the driver>,
--     host = <conf entry of spark.driver.host or nil>,
--     host_svc = <the selecting Service that host names, or nil>,
--     pod_ip_host = <host is the pod IP from the downward API> }
local function driver_net(ctx, obj)
	local ce = spark.client_driver(obj, ctx)
	if not ce or not spark.submit(ce) or spark.other_master(ctx, obj, ce) == "local" then
		return nil
	end
	local conf = spark.conf(ctx, obj, ce)
	local n = { ce = ce, conf = conf, services = spark.driver_services(ctx, obj),
		host = conf["spark.driver.host"] }
	if n.host then
		n.pod_ip_host = spark.is_field_ref(ce, n.host.value, "status.podIP", n.host.shell)
		local svc, ns = spark.service_host(spark.expand(ce, n.host.value, n.host.shell), ctx:namespace(obj))
		for _, s in ipairs(n.services) do
			if svc and kube.name(s) == svc and ns == ctx:namespace(s) then
				n.host_svc = s
			end
		end
	end
	return n
end
function spark.driver_net(ctx, obj)
	return cached(obj, "driver_net", driver_net, ctx, obj) or nil
end

-- The Service(s) that should be the driver's headless Service: the one
-- spark.driver.host names, else every headless Service selecting it.
function spark.headless_services(n)
	if n.host_svc then
		return { n.host_svc }
	end
	local out = {}
	for _, s in ipairs(n.services) do
		if spark.is_headless(s) then
			out[#out + 1] = s
		end
	end
	return out
end

-- The Spark configuration one object carries, as an entry of
-- spark.all_confs ({ obj =, ce = <or nil>, conf = }), or nil: a driver's
-- (its driver container's; a PodTemplate's too, spark.spec_is_driver: the
-- conf is what every pod made from it runs) or a SparkApplication's.  Per
-- object, for check(); shared: do not change the entry.
function spark.conf_entry(ctx, obj)
	local oc = cache(obj)
	local x = oc.conf_entry
	if x == nil then
		x = false
		if obj.kind == "SparkApplication" then
			x = { obj = obj, conf = spark.conf(ctx, obj, nil) }
		elseif spark.spec_is_driver(obj) then
			local ce = spark.driver_container(obj)
			if ce then
				x = { obj = obj, ce = ce, conf = spark.conf(ctx, obj, ce) }
			end
		end
		oc.conf_entry = x
	end
	return x or nil
end

-- Every Spark configuration in the set: drivers (their driver container's
-- conf) and SparkApplications, as spark.conf_entry gives them.
local function all_confs(ctx)
	local out = {}
	for _, d in ipairs(spark.drivers(ctx)) do
		out[#out + 1] = spark.conf_entry(ctx, d)
	end
	for _, o in ipairs(ctx:objects("SparkApplication")) do
		out[#out + 1] = spark.conf_entry(ctx, o)
	end
	return out
end
function spark.all_confs(ctx)
	return memo(ctx, "spark.all_confs", all_confs)
end

-- Does a DaemonSet run the external shuffle service?
function spark.is_shuffle_daemonset(obj)
	if kube.text(kube.pod_labels(obj).app) == "spark-shuffle-service" then
		return true
	end
	for _, ce in ipairs(kube.containers(obj)) do
		local img = kube.str(ce.c.image) or ""
		if img:find("spark-shuffle", 1, true) then
			return true
		end
		for _, w in ipairs(spark.argv(ce)) do
			if w.s:find("ExternalShuffleService", 1, true) then
				return true
			end
		end
	end
	return false
end

-- Does a workload run the legacy fork's resource staging server (its image,
-- its main class, or the properties file the fork's manifest passes)?
function spark.is_staging_server(obj)
	for _, ce in ipairs(kube.containers(obj)) do
		local img = kube.str(ce.c.image) or ""
		if img:find("spark-resource-staging-server", 1, true) then
			return true
		end
		for _, w in ipairs(spark.argv(ce)) do
			if w.s:find("ResourceStagingServer", 1, true) or
				w.s:find("resource-staging-server.properties", 1, true) then
				return true
			end
		end
	end
	return false
end

-- Does PodDisruptionBudget `pdb` (in `ns`) select Spark driver pods and
-- nothing else?  (kube-linter's PDB checks exempt such budgets: blocking
-- evictions of the single driver is deliberate, see spark-driver-pdb.)
-- `idx` is a kube.pod_index of the kube.pod_entry values a rule collected
-- from the workloads, each with driver = spark.spec_is_driver(<workload>).
function spark.entries_cover_only_drivers(idx, ns, pdb)
	local ws = kube.matching_entries(idx, ns, kube.get(pdb, "spec", "selector"))
	for _, w in ipairs(ws) do
		if not w.driver then
			return false
		end
	end
	return #ws > 0
end

-- For the PodDisruptionBudget rules' check() on a workload: collect its
-- kube.pod_entry, with driver = spark.spec_is_driver(obj) (a driver
-- PodTemplate, which these rules count among the workloads, stays a
-- driver's pods there), when its namespace has a budget `wanted(pdb)` is
-- true of (a budget selects pods of its own namespace, so no other workload
-- can matter to finish()).  The namespaces are found once per state, under
-- the memo key `key`.
function spark.collect_budget_pod(ctx, obj, key, wanted)
	local m = ctx:memo()
	local namespaces = m[key]
	if not namespaces then	-- (no closure for kube.memo: this runs per workload)
		namespaces = {}
		for _, p in ipairs(ctx:objects("PodDisruptionBudget")) do
			if wanted(p) then
				namespaces[ctx:namespace(p)] = true
			end
		end
		m[key] = namespaces
	end
	if namespaces[ctx:namespace(obj)] then
		ctx:collect(kube.pod_entry(ctx, obj, { driver = spark.spec_is_driver(obj) }))
	end
end

-- For the PodDisruptionBudget rules' finish(): of the values their check()
-- collected (budgets as { pdb =, ns =, ... }, workloads as kube.pod_entry
-- values with driver = spark.spec_is_driver(<workload>)), the budgets whose pods
-- are not all drivers, in collected order.
function spark.budgets_not_only_drivers(values)
	local pods, pdbs, out = {}, {}, {}
	for _, v in ipairs(values) do
		if v.pdb then
			pdbs[#pdbs + 1] = v
		else
			pods[#pods + 1] = v
		end
	end
	if #pdbs == 0 then
		return out
	end
	local idx = kube.pod_index(pods)
	for _, v in ipairs(pdbs) do
		if not spark.entries_cover_only_drivers(idx, v.ns, v.pdb) then
			out[#out + 1] = v
		end
	end
	return out
end

-- Driver Jobs of the set: batch/v1 Jobs that run a Spark driver.
function spark.is_driver_job(obj)
	return obj.kind == "Job" and kube.group(obj) == "batch" and spark.is_driver(obj)
end

-- }======================================================================

-- {======================================================================
-- SparkApplications (the Kubeflow spark-operator, sparkoperator.k8s.io)
-- =======================================================================

-- The volumes spark.kubernetes.<role>.volumes.<type>.<name>.* confs give a
-- pod of `role`, as app_mounts entries (spark.conf_mounts returns them, for
-- a cluster-mode spark-submit's conf too).
local function conf_mounts(conf, role, out)
	local pre = "spark.kubernetes." .. role .. ".volumes."
	for _, x in ipairs(spark.with_prefix(conf, pre)) do
		local vt, name = x.key:sub(#pre + 1):match("^([^.]+)%.([^.]+)%.mount%.path$")
		if vt then
			local m = { mount_path = x.e.value, path = x.e.path, vtype = vt }
			if vt == "persistentVolumeClaim" then
				local c = conf[pre .. vt .. "." .. name .. ".options.claimName"]
				if c and c.value == "OnDemand" then
					m.on_demand = true	-- a claim Spark makes for the pod, deleted with it
				elseif c then
					m.claim, m.cpath = c.value, c.path
				end
			end
			out[#out + 1] = m
		end
	end
end

function spark.conf_mounts(conf, role)
	local out = {}
	conf_mounts(conf, role, out)
	return out
end

-- The mounts of the template's Spark container, of the template's own
-- volumes, as app_mounts entries.  The operator passes
-- spark.kubernetes.<role>.podTemplateContainerName=spark-kubernetes-<role>
-- after the sparkConf (so a sparkConf value does not count), and Spark takes
-- the first container when none has that name.
local function template_mounts(obj, role, out)
	local base = { "spec", role, "template", "spec" }
	local spec = kube.tab(kube.get(obj, "spec", role, "template", "spec"))
	local cs = kube.list(spec and spec.containers)
	local want = "spark-kubernetes-" .. role
	local ci = nil
	for i, c in ipairs(cs) do
		if not ci and kube.get(c, "name") == want then
			ci = i
		end
	end
	ci = ci or (kube.tab(cs[1]) and 1)
	if not ci then
		return
	end
	local vols = {}
	for i, v in ipairs(kube.list(spec.volumes)) do
		local n = kube.str(kube.get(v, "name"))
		if n and not vols[n] then
			vols[n] = i
		end
	end
	for j, m in ipairs(kube.list(kube.get(cs[ci], "volumeMounts"))) do
		local vi = vols[kube.str(kube.get(m, "name")) or ""]
		local mp = kube.str(kube.get(m, "mountPath"))
		if vi and mp then
			local v = spec.volumes[vi]
			local claim = kube.str(kube.get(v, "persistentVolumeClaim", "claimName"))
			out[#out + 1] = { mount_path = mp, path = kube.path(base, "containers", ci, "volumeMounts", j),
				vtype = kube.volume_type(v), claim = claim,
				cpath = claim and kube.path(base, "volumes", vi, "persistentVolumeClaim", "claimName") }
		end
	end
end

-- The volume mounts a SparkApplication gives its driver (role "driver") or
-- executor ("executor") pods: spec.<role>.volumeMounts whose volume
-- spec.volumes declares (the operator adds only those to the pod, the last
-- volume of a name winning, and passes over Spark's spark-local-dir-*
-- ones), the mounts of spec.<role>.template, and the
-- spark.kubernetes.<role>.volumes.* confs of its sparkConf.  Each
-- { mount_path = <string>, path = <path of the mount or conf>, vtype =
-- <volume source type or nil>, claim = <claimName, nil for no fixed claim>,
-- cpath = <its path>, on_demand = <true for options.claimName=OnDemand> },
-- paths in the SparkApplication.  Shared: do not
-- change.
local function app_mounts(ctx, obj, role)
	local out = {}
	local vols = {}
	for i, v in ipairs(kube.list(kube.get(obj, "spec", "volumes"))) do
		local n = kube.str(kube.get(v, "name"))
		if n then
			vols[n] = i
		end
	end
	for j, m in ipairs(kube.list(kube.get(obj, "spec", role, "volumeMounts"))) do
		local n = kube.str(kube.get(m, "name"))
		local vi = n and vols[n]
		local mp = kube.str(kube.get(m, "mountPath"))
		if vi and mp and n:find("spark-local-dir-", 1, true) ~= 1 then
			local v = obj.spec.volumes[vi]
			local claim = kube.str(kube.get(v, "persistentVolumeClaim", "claimName"))
			out[#out + 1] = { mount_path = mp, path = { "spec", role, "volumeMounts", j },
				vtype = kube.volume_type(v), claim = claim,
				cpath = claim and { "spec", "volumes", vi, "persistentVolumeClaim", "claimName" } }
		end
	end
	template_mounts(obj, role, out)
	conf_mounts(spark.conf(ctx, obj, nil), role, out)
	return out
end
function spark.app_mounts(ctx, obj, role)
	return cached(obj, "app_mounts_" .. role, app_mounts, ctx, obj, role)
end

-- A SparkApplication's driver container as far as its YAML tells, as a
-- container entry { c = { env = ..., envFrom = ... } } for spark.expand
-- and the like.  Its
-- env is what the operator builds: the sparkConf's
-- spark.kubernetes.driverEnv.* confs, then spec.driver.envVars (passed as
-- such confs after the sparkConf), then spec.driver.env (its webhook
-- appends these to the container; the last of a name wins).  A variable
-- set from a Secret, ConfigMap or field, by spec.driver.envFrom (kept as
-- the container's envFrom) or by the image has no literal value here.
local function app_driver_ce(ctx, obj)
	local env = driver_env(spark.conf(ctx, obj, nil))
	for k, v in sk.sorted_pairs(kube.tab(kube.get(obj, "spec", "driver", "envVars")) or {}) do
		if type(k) == "string" then
			env[#env + 1] = { name = k, value = kube.text(v) or null }
		end
	end
	for _, e in ipairs(kube.list(kube.get(obj, "spec", "driver", "env"))) do
		env[#env + 1] = e
	end
	return { c = { env = env, envFrom = kube.get(obj, "spec", "driver", "envFrom") } }
end

-- The checkpoint locations of a SparkApplication, as spark.checkpoints
-- gives a container's: its sparkConf and its spec.arguments.  The driver
-- reads the conf: Spark substitutes ${env:X} there with the driver's env
-- (app_driver_ce), and Kubernetes expands $(X) in the arguments, which
-- become the driver container's args; nothing expands $(X) in a conf.
local function app_checkpoints(ctx, obj)
	local out = {}
	local dce = app_driver_ce(ctx, obj)
	conf_checkpoints(spark.conf(ctx, obj, nil), dce, nil, out)
	local v, at = find_arg(kube.list(kube.get(obj, "spec", "arguments")), kube.text, CKPT_ARGS)
	if v and v ~= "" then
		local x = spark.expand(dce, v, false)
		out[#out + 1] = { value = x, key = "application argument", obj = obj, path = { "spec", "arguments", at },
			unknown = unresolved(dce, x, false) }
	end
	return out
end
function spark.app_checkpoints(ctx, obj)
	return cached(obj, "app_checkpoints", app_checkpoints, ctx, obj)
end

-- The checkpoint claims of a SparkApplication, as
-- spark.checkpoint_claim_summaries gives them: the claims of the driver's
-- mounts (spark.app_mounts) holding a local checkpoint location, every
-- claim the driver mounts when none is configured or one is unknown, none
-- when every location is remote.
function spark.app_checkpoint_claims(ctx, obj)
	local claims = {}
	for _, m in ipairs(spark.app_mounts(ctx, obj, "driver")) do
		if m.claim then
			claims[#claims + 1] = m
		end
	end
	local out = {}
	local ns = ctx:namespace(obj)
	for _, m in ipairs(holding(claims, spark.app_checkpoints(ctx, obj))) do
		out[#out + 1] = { ns = ns, claim = m.claim, driver = obj, path = m.cpath }
	end
	return out
end

-- }======================================================================

-- {======================================================================
-- Pod-template files
-- =======================================================================

-- Is this Pod a pod template for spark-submit rather than a workload?
--   * annotation sparklint.io/pod-template: "true";
--   * label spark-role: executor (Spark makes executors; a Pod document
--     labelled so can only be a template);
--   * its file's basename is named by a podTemplateFile conf in the set
--     (`templates`: a set of basenames, those the set's podTemplateFile
--     confs name; spark-driver-bare-pod collects them).
-- Returns true plus the reason.
function spark.is_pod_template(ctx, obj, templates)
	if obj.kind ~= "Pod" then
		return false
	end
	if kube.truthy(kube.annotations(obj)["sparklint.io/pod-template"]) then
		return true, "annotation"
	end
	if kube.text(kube.labels(obj)["spark-role"]) == "executor" then
		return true, "executor label"
	end
	local f = ctx:file(obj)
	if templates and f and templates[basename(f)] then
		return true, "podTemplateFile"
	end
	return false
end

-- Does Spark fill in this container itself?  The first container of a pod
-- template gets its image and resources from the Spark configuration
-- (container entry `ce` of kube.containers).
function spark.fills_container(ctx, obj, ce)
	return not ce.init and ce.index == 1 and spark.is_pod_template(ctx, obj, nil) == true
end

-- }======================================================================

return spark
