#!/usr/bin/env bash
# tests/emit/suite.sh: the YAML emitter (lib/yemit.c, via $TOOLDIR/yemit)
# checked by readers it does not share code with.  For every input set made by
# emitcheck.py (tricky strings, Kubernetes-like manifests, unicode, multi-line,
# numbers, fuzzed strings): PyYAML reads back exactly the JSON, our own loader
# does too (sparklint --inspect, else $TOOLDIR/inspect), two runs give the same
# bytes, and emit(parse(emit(x))) == emit(x).  Plus a byte-exact golden file
# and the error paths.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

here=tests/emit
YEMIT="${TOOLDIR:-build/obj/tools}/yemit"
CHECK=("$PYTHON" "$here/emitcheck.py")

if [ ! -x "$YEMIT" ]; then
	t_fail "emit: driver $YEMIT is built" "run: make unit"
	exit 0
fi
tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT

have_pyyaml=1
"$PYTHON" -c 'import yaml' 2>/dev/null || have_pyyaml=0

# Our loader as JSON Lines: "CMD FILE" prints one JSON value per document.
loader=()
probe_loader() {	# probe_loader CMD...: use it if it reads a tiny stream right
	printf 'a: 1\n---\n- "on"\n- on\n' >"$tmp/probe.yaml"
	"$@" "$tmp/probe.yaml" >"$tmp/probe.out" 2>/dev/null || return 1
	printf '{"a": 1}\n["on", true]\n' >"$tmp/probe.json"
	"${CHECK[@]}" inspect "$tmp/probe.json" "$tmp/probe.out" >/dev/null
}
if [ -x "${SPARKLINT:-}" ] && probe_loader "$SPARKLINT" --inspect; then
	loader=("$SPARKLINT" --inspect)
elif [ -x "${TOOLDIR:-}/inspect" ] && probe_loader "$TOOLDIR/inspect"; then
	loader=("$TOOLDIR/inspect")
fi

# emit NAME IN OUT: run the driver, report a failure as a test.
emit() {
	if "$YEMIT" "$2" >"$3" 2>"$tmp/err"; then return 0; fi
	t_fail "emit: $1: yemit exits 0" "$(cat "$tmp/err")"
	return 1
}

"$PYTHON" "$here/emitcheck.py" gen "$tmp/in" || { t_fail "emit: inputs generated"; exit 0; }
for in in "$tmp"/in/*.json; do
	name=$(basename "$in" .json)
	out="$tmp/$name.yaml"
	emit "$name" "$in" "$out" || continue
	t_ok "emit: $name is written"

	if [ -s "$out" ] && [ "$(tail -c1 "$out" | od -An -c | tr -d ' ')" != '\n' ]; then
		t_fail "emit: $name ends with a newline"
	else
		t_ok "emit: $name ends with a newline"
	fi

	emit "$name (again)" "$in" "$tmp/$name.again" &&
		t_check "emit: $name is byte-identical on a second run" \
			cmp "$out" "$tmp/$name.again"

	if [ "$have_pyyaml" = 1 ]; then
		t_check "emit: $name reads back the same in PyYAML" \
			"${CHECK[@]}" same "$in" "$out"
		if "${CHECK[@]}" tojson "$out" >"$tmp/$name.py.json" 2>"$tmp/err" &&
		   emit "$name (PyYAML fixed point)" "$tmp/$name.py.json" "$tmp/$name.py.yaml"; then
			t_check "emit: $name: emit(PyYAML(emit(x))) == emit(x)" \
				cmp "$out" "$tmp/$name.py.yaml"
		else
			t_fail "emit: $name: PyYAML fixed point" "$(cat "$tmp/err")"
		fi
	else
		t_skip "emit: $name reads back the same in PyYAML" "no python3-yaml"
	fi

	if [ ${#loader[@]} -gt 0 ]; then
		if "${loader[@]}" "$out" >"$tmp/$name.own.json" 2>"$tmp/err"; then
			t_check "emit: $name reads back the same in our loader" \
				"${CHECK[@]}" inspect "$in" "$tmp/$name.own.json"
			"${CHECK[@]}" objects "$tmp/$name.own.json" >"$tmp/$name.obj.json" &&
			emit "$name (own fixed point)" "$tmp/$name.obj.json" "$tmp/$name.own.yaml" &&
				t_check "emit: $name: emit(load(emit(x))) == emit(x)" \
					cmp "$out" "$tmp/$name.own.yaml"
		else
			t_fail "emit: $name is loadable by our loader" "$(cat "$tmp/err")"
		fi
	else
		t_skip "emit: $name reads back the same in our loader" \
			"neither sparklint --inspect nor \$TOOLDIR/inspect works yet"
	fi
done

# The exact shape: indentless sequences, quoting, literal blocks, separators.
if emit golden "$here/golden.json" "$tmp/golden.yaml"; then
	if cmp -s "$here/golden.yaml" "$tmp/golden.yaml"; then
		t_ok "emit: golden output is byte-exact"
	else
		t_fail "emit: golden output is byte-exact" \
			"$(diff -u "$here/golden.yaml" "$tmp/golden.yaml" | head -40)"
	fi
fi

# Error paths: a value YAML cannot carry is an error naming where it is.
printf '{"a": {"b": ["ok", "x\\u0000y"]}}\n' >"$tmp/nul.json"
t_run "emit: a NUL in a string is an error (exit 2)" 2 "$YEMIT" "$tmp/nul.json"
t_contains "emit: the NUL error names the path" "$T_ERR" "'/a/b/1'"
t_run "emit: nothing is printed after an error" 2 "$YEMIT" "$tmp/nul.json"
[ -z "$T_OUT" ] && t_ok "emit: stdout is empty on error" ||
	t_fail "emit: stdout is empty on error" "$T_OUT"
printf '{"a": ' >"$tmp/bad.json"
t_run "emit: invalid JSON input is an error (exit 2)" 2 "$YEMIT" "$tmp/bad.json"
: >"$tmp/empty.json"
t_run "emit: no documents give empty output" 0 "$YEMIT" "$tmp/empty.json"
[ -z "$T_OUT" ] && t_ok "emit: empty stream is empty" ||
	t_fail "emit: empty stream is empty" "$T_OUT"
t_run "emit: reads stdin" 0 sh -c "printf '{\"k\": \"yes\"}' | '$YEMIT'"
t_contains "emit: stdin document is quoted right" "$T_OUT" 'k: "yes"'

exit 0
