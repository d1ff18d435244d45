#!/usr/bin/env bash
# tests/sandbox/suite.sh: the escape catalogue for sparkgen's template
# expressions, through the real binary.  A user template directory
# (--templates) is code: each case below is one hostile ${...} expression
# (or a hostile lib.lua) dropped into a copy of the bundled templates.  Each
# must end with exit 2, nothing on stdout, and one error at the template's
# file:line:col saying why; the rule side of the catalogue is
# tests/sandbox/*.lua (test_luahost) and tests/lint/hostile-rules (sparklint).
# Peak RSS is asserted (256 MB) outside sanitizer builds, whose shadow memory
# and quarantine are not the program's; `timeout` is only a hang guard.
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$SPARKGEN" ]; then
	t_skip "template sandbox" "no sparkgen binary at '$SPARKGEN'"
	exit 0
fi
tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT
APP=examples/aws-efs.yaml
RSS_MB=256

# gen DIR: sparkgen with the templates in DIR; sets rc, T_OUT, T_ERR, kb and
# wall, the seconds it took (printed by fenced, not asserted).
gen() {
	local m=$tmp/time
	: >"$m"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$m" timeout 60 "$SPARKGEN" --templates "$1" "$APP" \
			>"$tmp/out" 2>"$tmp/err"
	else
		timeout 60 "$SPARKGEN" --templates "$1" "$APP" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	read -r wall kb < <(tail -n 1 "$m")
	T_OUT=$(head -c 4000 "$tmp/out") T_ERR=$(head -c 4000 "$tmp/err")
}

# fenced NAME: exit 2, empty stdout, the RSS bound.
fenced() {
	local name=$1
	if [ "$rc" = 124 ]; then
		t_fail "$name: ends (hang guard: 60 s)"
		return
	fi
	[ "$rc" = 2 ] && [ -z "$T_OUT" ] && t_ok "$name: exit 2, nothing on stdout" ||
		t_fail "$name: exit 2, nothing on stdout" "exit $rc" "$T_ERR"
	[ -n "$wall" ] && echo "# $name: $wall s wall"
	if [ -z "$kb" ]; then
		t_skip "$name: peak RSS" "no /usr/bin/time"
	elif [ -n "${SK_SANITIZED:-}" ]; then
		echo "# $name: peak RSS $((kb / 1024)) MB (not asserted under sanitizers)"
	elif [ "$kb" -le $((RSS_MB * 1024)) ]; then
		t_ok "$name: peak RSS $((kb / 1024)) MB <= $RSS_MB MB"
	else
		t_fail "$name: peak RSS $((kb / 1024)) MB <= $RSS_MB MB"
	fi
}

# says NAME WANT: stderr holds WANT, or one of its ' | '-separated choices
# (a budget may run out on the wall clock first on a loaded machine).
says() {
	local name=$1 w
	while read -r w; do
		case "$T_ERR" in *"$w"*) t_ok "$name: says why"; return ;; esac
	done < <(printf '%s\n' "$2" | sed 's/ | /\n/g')
	t_fail "$name: says why ($2)" "$T_ERR"
}

# texpr NAME WANT EXPR: a template whose data value is ${EXPR} (a YAML plain
# scalar: no ': ' or ' #' in EXPR).
texpr() {
	local name=$1 want=$2 d=$tmp/$1
	rm -rf "$d"
	cp -r templates "$d"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hostile\ndata:\n  v: ${%s}\n' \
		"$3" >"$d/zz-hostile.yaml"
	gen "$d"
	fenced "$name"
	t_contains "$name: an error at the expression" "$T_ERR" \
		"$d/zz-hostile.yaml:6:6: error: cannot evaluate '\${"
	says "$name" "$want"
	[ "$(grep -c 'error:' "$tmp/err")" = 1 ] && t_ok "$name: exactly one error" ||
		t_fail "$name: exactly one error" "$T_ERR"
	rm -rf "$d"
}

budget='instruction budget exceeded | time limit exceeded'
memory='memory limit exceeded | time limit exceeded'

# ---- running out of budgets
texpr loop "$budget" '(function() while true do end end)()'
texpr pcall-loop "$budget" '(function() while true do pcall(function() while true do end end) end end)()'
texpr close-loop "$budget" '(function() local x <close> = setmetatable({}, {__close = function() while true do end end}) end)()'
texpr tostring-error "$budget" 'error(setmetatable({}, {__tostring = function() while true do end end}))'
texpr table-move "$budget" 'table.move({}, 1, math.maxinteger - 1, 2, {})'
texpr string-rep 'memory limit exceeded' 'string.rep("x", 1e9)'
texpr string-doubling "$memory" '(function() local s = "x" while true do s = s .. s end end)()'
texpr table-growth "$memory" '(function() local t = {} while true do t[#t + 1] = {1, 2, 3} end end)()'
texpr table-concat "$memory" '(function() local t, s = {}, string.rep("x", 1 << 20) for i = 1, 400 do t[i] = s end return table.concat(t) end)()'
texpr recursion "stack overflow | time limit exceeded" '(function(f) return f(f) end)(function(f) return 1 + f(f) end)'
texpr c-stack 'C stack overflow' '(function(g) return g(g, "abc") end)(function(g, s) return (s:gsub(".", function(c) return g(g, c) end)) end)'
texpr regex-match 'regex match limit exceeded' 're.test(string.rep("a", 40) .. "b", "(a+)+$")'
texpr regex-depth 'regex depth limit exceeded' 're.test(string.rep("a", 300000), "(*LIMIT_DEPTH=4000000000)^(a|b)*$")'
# ---- reaching outside
for g in io os load loadstring dofile require debug package collectgarbage coroutine; do
	texpr "global-$g" "undefined global '$g'" "$g"
done
texpr string-dump "attempt to call a nil value (field 'dump')" 'string.dump(lib.when)'
texpr string-metatable 'attempt to index a boolean value' 'rawequal(getmetatable("").__index, nil)'
texpr string-write "cannot modify read-only table 'string'" '(function() string.upper = nil end)()'
texpr finalizer "'__gc' metamethods are not allowed" 'setmetatable({}, {__gc = function() while true do end end})'
# ---- the model and lib are shared and read-only
texpr model-write "cannot modify read-only table 'app'" '(function() app.name = "pwned" end)()'
texpr model-rawset 'table is read-only' 'rawset(app, "name", "pwned")'
texpr model-metatable 'cannot change a protected metatable' 'setmetatable(driver, {})'
texpr lib-write "cannot modify read-only table 'lib'" '(function() lib.when = nil end)()'
# ---- error values that are not strings
texpr table-error 'error object is a table value' 'error({code = 42})'
texpr nil-error 'error object is a nil value' 'error(nil)'
texpr userdata-error "': null [template]" 'error(sk.null)'

# ---- one C call that never returns (a backtracking Lua pattern) escapes the
# budgets: the watchdog stops the process 10 s past the time limit, naming the
# expression (and, for sparklint, the rule), exit 2, nothing on stdout.  Both
# programs at once, so that the suite waits once.
stuck='string.find(string.rep("a", 5000), ".-.-.-.-.-.-.-b")'
if [ -x "$SPARKLINT" ]; then
	mkdir -p "$tmp/stuck-rule"
	printf 'return {\n\tid = "stuck", severity = "error", category = "test",\n\tdescription = "d", hint = "h",\n\tcheck = function(obj, ctx)\n\t\treturn %s\n\tend,\n}\n' \
		"$stuck" >"$tmp/stuck-rule/stuck.lua"
	timeout 90 "$SPARKLINT" --no-config -r "$tmp/stuck-rule" tests/lint/engine/app.yaml \
		>"$tmp/lint-out" 2>"$tmp/lint-err" &
	lint_pid=$!
fi
d=$tmp/stuck
rm -rf "$d"
cp -r templates "$d"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hostile\ndata:\n  v: ${%s}\n' "$stuck" >"$d/zz-hostile.yaml"
gen "$d"
fenced "stuck pattern"
t_contains "stuck pattern: the watchdog names the expression" "$T_ERR" \
	"$d/zz-hostile.yaml:6:6: error: the template expression is still running 10 s past its time limit"
if [ -n "${lint_pid:-}" ]; then
	wait "$lint_pid"
	t_eq "stuck rule (sparklint): exit 2, nothing on stdout" "$?:$(cat "$tmp/lint-out")" "2:"
	t_contains "stuck rule (sparklint): the watchdog names the rule and its check" "$(cat "$tmp/lint-err")" \
		"$tmp/stuck-rule/stuck.lua:4:1: error: rule 'stuck' is still running 10 s past its time limit"
fi

# ---- many hostile expressions: each ordinary error is reported, and the
# first budget that runs out ends the app (not one budget per expression)
d=$tmp/many
cp -r templates "$d"
{
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hostile\ndata:\n'
	for i in 1 2 3; do printf '  e%d: ${io}\n' "$i"; done
	for i in 1 2 3 4 5 6 7 8 9 10; do printf '  l%d: ${(function() while true do end end)()}\n' "$i"; done
	printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${(function() while true do end end)()}\n'
} >"$d/zz-hostile.yaml"
gen "$d"
fenced "many"
n=$(grep -c 'error:' "$tmp/err")
[ "$n" = 4 ] && t_ok "many: 3 ordinary errors and the first budget, nothing after" ||
	t_fail "many: 3 ordinary errors and the first budget, nothing after ($n)" "$T_ERR"
t_contains "many: the first loop is the one reported" "$T_ERR" "$d/zz-hostile.yaml:9:7: error: cannot evaluate"

# ---- a hostile lib.lua
lib() {	# lib NAME WANT: run with tests' lib.lua text from stdin
	local name=$1 d=$tmp/lib-$1
	rm -rf "$d"
	cp -r templates "$d"
	cat >"$d/lib.lua"
	gen "$d"
	fenced "lib.lua $name"
	t_contains "lib.lua $name: names lib.lua" "$T_ERR" "$d/lib.lua:"
	says "lib.lua $name" "$2"
	rm -rf "$d"
}
printf 'local lib = {}\nwhile true do end\nreturn lib\n' | lib loop "$budget"
printf 'return io.open("/etc/passwd"):read("a")\n' | lib io "undefined global 'io'"
printf 'app.name = "pwned"\nreturn {}\n' | lib model-write "cannot modify read-only table 'app'"
printf 'return string.rep("x", 1 << 30)\n' | lib memory 'memory limit exceeded'
# precompiled Lua: bytecode is never loaded
printf '\033Lua\124\000\031\223\r\n\032\n\004\010\010xV\000\000\000\000\000\000\000\000\000\000\000(w@\001' |
	lib bytecode "lib.lua: error: attempt to load a binary chunk (mode is 't')"
# a lib function every template calls, looping: still one budget for the app
printf 'local lib = {}\nsetmetatable(lib, {__index = function() while true do end end})\nreturn lib\n' |
	lib index-loop "$budget"
[ "$(grep -c 'error:' "$tmp/err")" = 1 ] && t_ok "lib.lua index-loop: one error, not one per use" ||
	t_fail "lib.lua index-loop: one error, not one per use" "$T_ERR"
exit $T_FAILED
