#!/usr/bin/env bash
# tests/hostile/suite.sh: inputs built to hurt a YAML loader.  Each must end
# with the expected exit code and a message that names file:line:col, fast
# and small.  Small cases live in tests/hostile/cases/; big ones are
# generated into a temp dir.  Runs `$SPARKLINT --inspect`, or the test
# driver $TOOLDIR/inspect while sparklint has no --inspect.  Wall time and
# peak RSS are printed as '#' lines; only `timeout 10` guards against hangs.
. "$(dirname "$0")/../lib.sh"
cases=tests/hostile/cases

if [ -x "$SPARKLINT" ] && printf 'a: 1\n' | "$SPARKLINT" --inspect - 2>/dev/null |
	grep -q '"object":{"a":1}'; then
	INSPECT=("$SPARKLINT" --inspect)
	TOOL=sparklint
elif [ -x "${TOOLDIR:-}/inspect" ]; then
	INSPECT=("$TOOLDIR/inspect")
	TOOL=driver
else
	t_skip "hostile inputs" "neither '$SPARKLINT --inspect' nor \$TOOLDIR/inspect"
	exit 0
fi
echo "# inspecting with: ${INSPECT[*]}"

tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT

# measure OUTFILE CMD...: run CMD, write "seconds peak-KB" to OUTFILE.
measure() {
	local m=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$m" "$@"
	else
		"$PYTHON" -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:])
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write("%.2f %d\n" % (time.time() - t, kb))
sys.exit(rc)' "$m" "$@"
	fi
}

# run_case NAME WANT_RC FRAGMENT [INPUT [STDIN]]: inspect INPUT (default
# tests/hostile/cases/NAME.yaml); the exit code must be one of WANT_RC and
# stderr+stdout must contain FRAGMENT.  With STDIN, feed INPUT on stdin.
run_case() {
	local name=$1 want=$2 frag=$3 input=${4:-$cases/$1.yaml} stdin=${5:-}
	local o=$tmp/out e=$tmp/err m=$tmp/time rc secs kb
	: >"$m"
	if [ -n "$stdin" ]; then
		measure "$m" timeout 10 "${INSPECT[@]}" - <"$input" >"$o" 2>"$e"
	else
		measure "$m" timeout 10 "${INSPECT[@]}" "$input" >"$o" 2>"$e"
	fi
	rc=$?
	if [ -s "$m" ]; then
		# GNU time prints "Command exited with non-zero status N" first.
		read -r secs kb < <(tail -n 1 "$m")
		awk -v n="$name" -v s="$secs" -v kb="$kb" 'BEGIN { printf "# %-22s %5s s %6.1f MB\n", n, s, kb / 1024 }'
	fi
	T_OUT=$(head -c 4000 "$o") T_ERR=$(head -c 4000 "$e")
	if [ "$rc" = 124 ]; then
		t_fail "$name: ends (timeout 10 s)"
		return
	fi
	case " $want " in
	*" $rc "*) t_ok "$name: exit $rc" ;;
	*) t_fail "$name: exit $rc, wanted $want" "stderr: $T_ERR" ;;
	esac
	[ -z "$frag" ] || t_contains "$name: message" "$T_ERR$T_OUT" "$frag"
}

# Zero documents: no output; the driver exits 0, sparklint decides itself.
empty_rc=0
[ "$TOOL" = sparklint ] && empty_rc="0 1 2"

# ---- checked-in cases
run_case invalid-utf8 2 "invalid-utf8.yaml:2:6: error: invalid UTF-8"
run_case overlong-utf8 2 "overlong-utf8.yaml:2:4: error: invalid UTF-8: overlong encoding"
run_case surrogate-utf8 2 "surrogate-utf8.yaml:1:4: error: invalid UTF-8: U+D800"
run_case nul-byte 2 "nul-byte.yaml:2:5: error: NUL byte in input"
run_case binary 2 "binary.yaml:1:1: error: control character U+007F"
run_case tab-indent 2 "tab-indent.yaml:2:1: error: tab character"
run_case tab-indent-seq 2 "tab-indent-seq.yaml:4:1: error: tab character"
run_case duplicate-key 2 "duplicate-key.yaml:4:3: error: duplicate key 'name' (first at line 2, column 3)"
run_case undefined-alias 2 "undefined-alias.yaml:1:4: error: undefined alias 'nowhere'"
run_case recursive-alias 2 "recursive-alias.yaml:1:11: error: alias 'a' refers to a node that contains it"
run_case collection-key 2 "collection-key.yaml:1:2: error: a sequence cannot be a mapping key"
run_case bad-int-tag 2 "bad-int-tag.yaml:1:4: error: value 'twelve' is not a valid !!int"
run_case laughs-flow 2 "laughs-flow.yaml:7:8: error: alias expansion exceeds 1000000 nodes (billion laughs?)"
run_case laughs-block 2 "laughs-block.yaml:15:12: error: alias expansion exceeds"
run_case laughs-merge 2 "laughs-merge.yaml:6:25: error: alias expansion exceeds"
run_case laughs-keys 2 "laughs-keys.yaml:12:36: error: alias expansion exceeds"
run_case partial-stream 2 "partial-stream.yaml:6:1: error: did not find expected node content"
[ "$(printf '%s\n' "$T_OUT" | grep -c '"object"')" = 2 ] &&
	t_ok "partial-stream: the two documents before the error are kept" ||
	t_fail "partial-stream: the two documents before the error are kept" "$T_OUT"
for f in empty comments-only separator-only; do
	run_case "$f" "$empty_rc" ""
	[ -z "$T_OUT" ] && t_ok "$f: no documents" || t_fail "$f: no documents" "$T_OUT"
done
run_case bom 0 '"object":{"kind":"Pod","name":"x"}'
run_case crlf 0 '"object":{"kind":"Pod","spec":{"x":1}}'
run_case unknown-tags 0 '"object":{"a":"bar","b":"aGVsbG8=","c":"1","d":"12"}'
run_case bigint 0 '"big":1.2345678901234568e29,"neg":-1e20,"hex":"0x1FFFFFFFFFFFFFFFF"'
run_case nan 0 '"object":{"a":null,"b":null,"c":null}'

# Positions survive a BOM and CRLF line ends.
t_contains "bom: columns ignore the BOM" \
	"$("${INSPECT[@]}" --positions "$cases/bom.yaml")" '"/kind":[1,7],"/name":[2,7]'
t_contains "crlf: positions with CRLF" \
	"$("${INSPECT[@]}" --positions "$cases/crlf.yaml")" '"/spec/x":[3,6]'

# A FIFO is read like any file.
mkfifo "$tmp/fifo.yaml" && { cat "$cases/crlf.yaml" >"$tmp/fifo.yaml" & }
run_case fifo 0 '"object":{"kind":"Pod","spec":{"x":1}}' "$tmp/fifo.yaml"
wait

# ---- generated cases
gen() { "$PYTHON" -c "$1" >"$tmp/$2"; }
gen 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' deep-flow-seq.yaml
run_case deep-flow-seq 2 "deep-flow-seq.yaml:1:513: error: nesting deeper than 512 levels" "$tmp/deep-flow-seq.yaml"
gen 'import sys; sys.stdout.write("{a: " * 100000 + "1" + "}" * 100000)' deep-flow-map.yaml
run_case deep-flow-map 2 "deep-flow-map.yaml:1:2049: error: nesting deeper than 512 levels" "$tmp/deep-flow-map.yaml"
gen 'import sys; sys.stdout.write("- " * 100000 + "x\n")' deep-block-seq.yaml
run_case deep-block-seq 2 "deep-block-seq.yaml:1:1025: error: nesting deeper than 512 levels" "$tmp/deep-block-seq.yaml"
gen 'import sys; sys.stdout.write("".join(" " * i + "a:\n" for i in range(1000)) + " " * 1000 + "x\n")' deep-block-map.yaml
run_case deep-block-map 2 "deep-block-map.yaml:513:513: error: nesting deeper than 512 levels" "$tmp/deep-block-map.yaml"
gen 'import sys; sys.stdout.write("a: &a " + "[" * 500 + "]" * 500 + "\nb: " + "[" * 20 + "*a" + "]" * 20 + "\n")' deep-alias.yaml
run_case deep-alias 2 "deep-alias.yaml:2:24: error: alias 'a' makes nesting deeper than 512 levels" "$tmp/deep-alias.yaml"
gen 'import sys; sys.stdout.write("a: &a [" + ",".join(["x"] * 1000) + "]\nb: [" + ",".join(["*a"] * 1001) + "]\n")' laughs-wide.yaml
run_case laughs-wide 2 "laughs-wide.yaml:2:" "$tmp/laughs-wide.yaml"
t_contains "laughs-wide: budget message" "$T_ERR" "alias expansion exceeds 1000000 nodes"

{ printf 'big: '; head -c $((64 << 20)) /dev/zero | tr '\0' x; printf '\n'; } >"$tmp/big-scalar.yaml"
run_case big-scalar 2 "big-scalar.yaml:1:" "$tmp/big-scalar.yaml"
t_contains "big-scalar: says why" "$T_ERR" "error: scalar or token longer than 16 MiB"
run_case big-scalar-stdin 2 "scalar or token longer than 16 MiB" "$tmp/big-scalar.yaml" stdin
{ printf 'q: "'; head -c $((20 << 20)) /dev/zero | tr '\0' y; printf '"\n'; } >"$tmp/big-quoted.yaml"
run_case big-quoted 2 "big-quoted.yaml:1:" "$tmp/big-quoted.yaml"
t_contains "big-quoted: says why" "$T_ERR" "error: scalar or token longer than 16 MiB"
rm -f "$tmp"/big-*.yaml
# A 20 MB line of 1 KB scalars is fine: the limit is per token.
gen 'import sys; sys.stdout.write("[" + ",".join(["x" * 1000] * 20000) + "]\n")' long-line.yaml
run_case long-line 0 "" "$tmp/long-line.yaml"
rm -f "$tmp/long-line.yaml"
# Many documents, with the last one broken: errors do not lose the rest.
gen 'import sys; sys.stdout.write("---\nk: v\n" * 20000 + "---\nk: [\n")' many-docs.yaml
run_case many-docs 2 "many-docs.yaml:40003:1: error:" "$tmp/many-docs.yaml"
[ "$(printf '%s\n' "$T_OUT" | grep -c '"object"')" -gt 10 ] &&
	t_ok "many-docs: documents before the error are printed" ||
	t_fail "many-docs: documents before the error are printed"
exit $T_FAILED
