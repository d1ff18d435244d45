#!/usr/bin/env bash
# tests/hostile/suite.sh: inputs built to hurt a YAML loader (and the file
# handling around it).  Each case: an input, the exit code, a message
# fragment (naming file:line:col where there is a position).  Small cases
# live in tests/hostile/cases/; big ones are generated into a temp dir.
# Runs `$SPARKLINT --inspect`, or the test driver $TOOLDIR/inspect while
# sparklint has no --inspect; the directory cases need sparklint itself.
# Peak RSS must stay under 256 MB (not asserted under sanitizers: their
# shadow memory and quarantine are not the loader's); wall and CPU time are
# printed as '#' lines, and `timeout` is only a hang guard (speed is the
# benchmark's business).
. "$(dirname "$0")/../lib.sh"
cases=tests/hostile/cases
RSS_MB=256
GUARD=60
[ -n "${SK_SANITIZED:-}" ] && GUARD=300

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

# measure OUTFILE CMD...: run CMD, write "wall-s cpu-s peak-KB" to OUTFILE.
measure() {
	local m=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$m" "$@"
	else
		"$PYTHON" -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %.2f 0 %d\n" % (time.time() - t, r.ru_utime + r.ru_stime, r.ru_maxrss))
sys.exit(rc)' "$m" "$@"
	fi
}

# ends NAME CMD...: run CMD under the hang guard with stdout/stderr in
# $tmp/out and $tmp/err; sets rc, T_OUT, T_ERR; prints the figures and
# checks the RSS bound.  Returns 1 when the guard fired.
ends() {
	local name=$1 m=$tmp/time wall user sys kb; shift
	: >"$m"
	measure "$m" timeout "$GUARD" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	T_OUT=$(head -c 4000 "$tmp/out") T_ERR=$(head -c 4000 "$tmp/err")
	if [ "$rc" = 124 ]; then
		t_fail "$name: ends (hang guard: $GUARD s)"
		return 1
	fi
	[ -s "$m" ] || return 0
	# GNU time prints "Command exited with non-zero status N" first.
	read -r wall user sys kb < <(tail -n 1 "$m")
	awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v kb="$kb" \
		'BEGIN { printf "# %-24s %6.2f s wall %6.2f s cpu %7.1f MB\n", n, w, u + s, kb / 1024 }'
	if [ -n "${SK_SANITIZED:-}" ]; then
		:
	elif [ "$kb" -le $((RSS_MB * 1024)) ]; then
		t_ok "$name: peak RSS under $RSS_MB MB"
	else
		t_fail "$name: peak RSS under $RSS_MB MB ($((kb / 1024)) MB)"
	fi
}

# run_case NAME WANT_RC FRAGMENT [INPUT [STDIN [PREFIX...]]]: inspect INPUT
# (default tests/hostile/cases/NAME.yaml); the exit code must be one of
# WANT_RC and stderr+stdout must contain FRAGMENT.  With STDIN, feed INPUT
# on stdin; PREFIX runs the inspector (e.g. setpriv ...).
run_case() {
	local name=$1 want=$2 frag=$3 input=${4:-$cases/$1.yaml} stdin=${5:-}
	shift $(($# < 5 ? $# : 5))
	if [ -n "$stdin" ]; then
		ends "$name" "$@" "${INSPECT[@]}" - <"$input" || return
	else
		ends "$name" "$@" "${INSPECT[@]}" "$input" || return
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
# more encodings: UTF-16 with its BOM, a BOM before a later document,
# every way UTF-8 goes wrong
run_case utf16le-bom 0 '"object":{"a":1}'
run_case utf16be-bom 0 '"object":{"a":1}'
run_case bom-mid-stream 0 '"index":1,"line":3,"object":{"b":2}}'
run_case truncated-utf8 2 "truncated-utf8.yaml:1:5: error: invalid UTF-8: incomplete UTF-8 octet sequence"
run_case five-byte-utf8 2 "five-byte-utf8.yaml:1:4: error: invalid UTF-8: invalid leading UTF-8 octet 0xF8"
run_case beyond-10ffff 2 "beyond-10ffff.yaml:1:4: error: invalid UTF-8: U+110000 is not a valid character"
run_case lone-continuation 2 "lone-continuation.yaml:1:4: error: invalid UTF-8: invalid leading UTF-8 octet 0x80"
run_case overlong-nul 2 "overlong-nul.yaml:1:4: error: invalid UTF-8: overlong encoding"
# NUL: an escape in a quoted scalar is a character; a raw byte is binary
run_case nul-escape 0 '"object":{"a":"x\u0000y"}'
run_case nul-end 2 "nul-end.yaml:2:1: error: NUL byte in input (binary file?)"
# line ends and tabs that are allowed
run_case crlf-block 0 '"object":{"a":"x\ny\n","b":1}'
run_case cr-only 0 '"object":{"a":1,"b":2}'
run_case tab-separator 0 '"object":{"a":1,"b":{"c":2}}'
# duplicate keys in every disguise, merge keys (<<) done right
run_case duplicate-key-flow 2 "duplicate-key-flow.yaml:1:8: error: duplicate key 'a' (first at line 1, column 2)"
run_case duplicate-key-quoted 2 "duplicate-key-quoted.yaml:2:1: error: duplicate key 'a' (first at line 1, column 1)"
run_case duplicate-key-int 2 "duplicate-key-int.yaml:2:1: error: duplicate key '1' (first at line 1, column 1)"
run_case duplicate-key-merge 2 "duplicate-key-merge.yaml:5:3: error: duplicate key 'x' (first at line 4, column 3)"
run_case merge 0 '"m":{"x":1,"z":3}'
run_case merge-list 0 '"m":{"x":1,"w":0,"v":3}'
# two << keys: the later wins, as go-yaml v2 (kubectl) and PyYAML read it
run_case merge-twice 0 '"m":{"true":1,"x":2,"z":2,"w":0}'
run_case merge-scalar 2 "merge-scalar.yaml:2:7: error: merge key '<<' needs a mapping or a sequence of mappings"
# integers at and past 64 bits, a tagged NaN, tags that name code
run_case int64-bounds 0 '"max":9223372036854775807,"min":-9223372036854775808,"over":9.2233720368547758e18,"under":-9.2233720368547758e18,"u64":1.8446744073709552e19'
run_case nan-tagged 2 "nan-tagged.yaml:1:4: error: value 'nan' is not a valid !!float"
run_case python-tags 0 '"object":{"x":1,"cmd":["id"]}'
# a document end marker alone is an error (as in PyYAML); '---' then '...' is no document
run_case doc-end-only 2 "doc-end-only.yaml:1:1: error: did not find expected node content"
run_case explicit-empty-doc "$empty_rc" ""
[ -z "$T_OUT" ] && t_ok "explicit-empty-doc: no documents" || t_fail "explicit-empty-doc: no documents" "$T_OUT"
# content after '...' needs a '---' first (YAML 1.1; kubectl's reader splits at '---' only and
# would drop it): a message that says so, after the document before it
run_case content-after-doc-end 2 "content-after-doc-end.yaml:5:1: error: content after the document end marker '...' at line 4 without a '---' to start a new document"
t_contains "content-after-doc-end: the hint" "$T_ERR" "hint: put a '---' line before it"
t_contains "content-after-doc-end: the document before it" "$T_OUT" '"metadata":{"name":"a"}'
# the same libyaml message after a flow collection root, or after directives: each says which
run_case content-after-flow-root 2 "content-after-flow-root.yaml:1:8: error: content after the document's root node, which ends at line 1, column 7"
t_contains "content-after-flow-root: the hint" "$T_ERR$T_OUT" "hint: a root that is a flow collection"
# a block root ends at a line less indented than its first node (a manifest pasted indented):
# that is said, not the flow/scalar root's wording
run_case indented-block-root 2 "indented-block-root.yaml:8:1: error: content at column 1 is less indented than the document's first node (line 6, column 3), so it falls after the document's root mapping"
t_contains "indented-block-root: the hint" "$T_ERR$T_OUT" "hint: indent the document consistently"
case "$T_ERR" in
*"flow collection"*) t_fail "indented-block-root: no flow/scalar wording" "$T_ERR" ;;
*) t_ok "indented-block-root: no flow/scalar wording" ;;
esac
run_case directive-without-doc-start 2 "directive-without-doc-start.yaml:2:1: error: a directive ('%' line) must be followed by a '---' line that starts the document"
t_contains "directive-without-doc-start: the hint" "$T_ERR$T_OUT" "hint: put a '---' line after the directives"
# ... and after a document, where it is the directive that lacks the '---' (not content after
# the root), said at the directive, with content after it or none
run_case directive-after-document 2 "directive-after-document.yaml:4:1: error: a directive ('%' line) must be followed by a '---' line that starts the document"
t_contains "directive-after-document: the document before it" "$T_OUT" '"metadata":{"name":"a"}'
run_case directive-at-end 2 "directive-at-end.yaml:2:1: error: a directive ('%' line) must be followed by a '---' line that starts the document"
run_case yaml-version-2 2 "yaml-version-2.yaml:1:1: error: YAML version 2.0 of the %YAML directive is not supported (1.1 and 1.2 are)"

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
# Aliases within the budget that repeat long keys: 1 KB of YAML, 9 MB as
# an object, but its positions repeat every pointer (170 MB): refused.
gen 'import sys; k = "k" * 60
sys.stdout.write("l0: &l0 {%s: 1}\n" % k + "".join("l%d: &l%d {%s: [*l%d, *l%d, *l%d]}\n" % (i, i, k, i - 1, i - 1, i - 1) for i in range(1, 11)))' laughs-positions.yaml
run_case laughs-positions 0 "" "$tmp/laughs-positions.yaml"
ends laughs-positions-p "${INSPECT[@]}" --positions "$tmp/laughs-positions.yaml"
[ "$rc" = 2 ] && t_ok "laughs-positions --positions: exit 2" ||
	t_fail "laughs-positions --positions: exit $rc, wanted 2" "$T_ERR"
t_contains "laughs-positions --positions: message" "$T_ERR" \
	"laughs-positions.yaml:1:1: error: positions too big to print: the JSON Pointers of this document take 159 MB"
[ "$(wc -c <"$tmp/out")" -lt 1000 ] && t_ok "laughs-positions --positions: no output" ||
	t_fail "laughs-positions --positions: no output ($(wc -c <"$tmp/out") bytes)"
rm -f "$tmp/laughs-positions.yaml" "$tmp/out"
# The limit counts the pointers as written: a key of 16,000 control
# characters above 1,000 nodes is 16 MB of text but 96 MB of \u0001s.
gen 'import sys; sys.stdout.write("? \"" + "\\x01" * 16000 + "\"\n:\n" + "  - 0\n" * 1000)' escaped-positions.yaml
ends escaped-positions "${INSPECT[@]}" --positions "$tmp/escaped-positions.yaml"
[ "$rc" = 2 ] && t_ok "escaped-positions --positions: exit 2" ||
	t_fail "escaped-positions --positions: exit $rc, wanted 2" "$T_ERR"
t_contains "escaped-positions --positions: message" "$T_ERR" \
	"escaped-positions.yaml:1:1: error: positions too big to print: the JSON Pointers of this document take 96 MB"
rm -f "$tmp/escaped-positions.yaml" "$tmp/out"

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

# A 1M-key mapping: linear, not quadratic (duplicate detection included).
gen 'import sys; sys.stdout.write("".join("k%d: %d\n" % (i, i) for i in range(1000000)))' million-keys.yaml
run_case million-keys 0 "" "$tmp/million-keys.yaml"
t_contains "million-keys: the last key" "$(tail -c 200 "$tmp/out")" '"k999998":999998,"k999999":999999}}'
printf 'k0: again\n' >>"$tmp/million-keys.yaml"
run_case million-keys-dup 2 "million-keys.yaml:1000001:1: error: duplicate key 'k0' (first at line 1, column 1)" \
	"$tmp/million-keys.yaml"
rm -f "$tmp/million-keys.yaml"

# ---- files that are not plain files, or change while read

# Data that arrives in two parts, half a second apart (short reads).
mkfifo "$tmp/slow.yaml" &&
	{ { printf 'kind: Pod\nspec:\n'; sleep 0.5; printf '  x: 1\n'; } >"$tmp/slow.yaml" & }
run_case fifo-slow-writer 0 '"object":{"kind":"Pod","spec":{"x":1}}' "$tmp/slow.yaml"
wait

# A file rewritten (truncated, then written) over and over while it is
# read: any snapshot may be seen, but every run ends with 0 or a positioned
# error, never a crash.
gen 'import sys; sys.stdout.write("".join("key%d: [a, {b: c}, \"d\"]\n" % i for i in range(2000)))' racing-b.yaml
printf 'v: a\n' >"$tmp/racing-a.yaml"
cp "$tmp/racing-a.yaml" "$tmp/racing.yaml"
( while :; do cat "$tmp/racing-b.yaml" >"$tmp/racing.yaml"; cat "$tmp/racing-a.yaml" >"$tmp/racing.yaml"; done ) &
writer=$!
bad=
for i in $(seq 1 30); do
	timeout "$GUARD" "${INSPECT[@]}" "$tmp/racing.yaml" >"$tmp/out" 2>"$tmp/err"
	r=$?
	case $r in
	0) ;;
	2) grep -q "racing.yaml:[0-9]*:[0-9]*: error: \|racing.yaml: error: " "$tmp/err" ||
		bad="$bad run $i: $(head -c 300 "$tmp/err")" ;;
	*) bad="$bad run $i: exit $r $(head -c 300 "$tmp/err")" ;;
	esac
done
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
[ -z "$bad" ] && t_ok "racing: 30 reads of a file rewritten meanwhile end cleanly" ||
	t_fail "racing: 30 reads of a file rewritten meanwhile end cleanly" "$bad"

# Unreadable files.  Root reads a chmod 000 file, so the test drops to
# nobody with setpriv; /proc/self/mem fails read() with EIO even for root.
run_case eio 2 "cannot read '/proc/self/mem': Input/output error" /proc/self/mem
mkdir -p "$tmp/dir.yaml"
run_case directory 2 "cannot read '$tmp/dir.yaml': Is a directory" "$tmp/dir.yaml"
pub=$(mktemp -d /tmp/sk-hostile.XXXXXX)
chmod 755 "$pub"
printf 'a: 1\n' >"$pub/secret.yaml"
chmod 000 "$pub/secret.yaml"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "${INSPECT[0]}" --help >/dev/null 2>&1; then
	run_case unreadable 2 "cannot open '$pub/secret.yaml': Permission denied" "$pub/secret.yaml" "" \
		setpriv --reuid=65534 --regid=65534 --clear-groups
elif [ "$(id -u)" != 0 ]; then
	run_case unreadable 2 "cannot open '$pub/secret.yaml': Permission denied" "$pub/secret.yaml"
else
	t_skip "unreadable" "running as root without a usable setpriv"
fi
rm -rf "$pub"

# ---- directories (sparklint walks them)
if [ "$TOOL" != sparklint ]; then
	t_skip "directory cases" "they need sparklint, not the driver"
	exit $T_FAILED
fi
lintdir() {	# lintdir NAME WANT_RC FRAGMENT DIR: sparklint --no-config -f json DIR
	ends "$1" "$SPARKLINT" --no-config -f json "$4" || return
	[ "$rc" = "$2" ] && t_ok "$1: exit $rc" || t_fail "$1: exit $rc, wanted $2" "$T_ERR"
	t_contains "$1: output" "$T_OUT" "$3"
}
d=$tmp/walk
mkdir -p "$d/sub"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$d/sub/a.yaml"
ln -s .. "$d/sub/up"			# a directory loop
ln -s ../sub "$d/sub/again"		# the same directory twice
mkfifo "$d/sub/pipe.yaml"		# no writer: opening it would block
lintdir symlink-dir-loop 0 '"summary":{"files":1,"documents":1,' "$d"
ln -s loop2 "$d/loop1"
ln -s loop1 "$d/loop2"			# a link loop: cannot be opened
lintdir symlink-self-loop 2 "cannot open '$d/loop1': Too many levels of symbolic links" "$d"
t_contains "symlink-self-loop: the file is still read once" "$T_OUT" '"summary":{"files":1,"documents":1,'

# ---- values that make a Lua pattern backtrack in the built-in rules
# One string.match/gsub call is a single C call, where neither the
# instruction budget nor the clock can stop it; a pattern such as
# "^%s*(.-)%s*$" or "/+$" is quadratic in a run of blanks, digits or
# slashes.  The rules' helpers scan such runs in linear steps; at 200,000
# characters the quadratic ones took minutes (past the hang guard).
job_with_arg() {	# job_with_arg ARG: a Spark driver Job whose spark-submit has ARG
	printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: drv, labels: {spark-role: driver}}\n'
	printf 'spec:\n  template:\n    metadata: {labels: {spark-role: driver}}\n    spec:\n'
	printf '      restartPolicy: Never\n      containers:\n        - name: driver\n          image: spark:3.5.0\n'
	printf '          args: ["/opt/spark/bin/spark-submit", "--conf", "%s", "--class", "X", "local:///x.jar"]\n' "$1"
}
run200k() { head -c 200000 /dev/zero | tr '\0' "$1"; }
job_with_arg "spark.driver.memory=$(run200k 1)x" >"$tmp/long-digits.yaml"
job_with_arg "a$(run200k ' ')b=1" >"$tmp/long-blanks.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: hp}\nspec:\n  containers: [{name: c, image: "x:1", volumeMounts: [{name: v, mountPath: /data}]}]\n  volumes: [{name: v, hostPath: {path: "/x%sy"}}]\n' \
	"$(run200k /)" >"$tmp/long-slashes.yaml"
for n in long-digits long-blanks long-slashes; do
	ends "rules on $n" "$SPARKLINT" --no-config -f json "$tmp/$n.yaml" || continue
	case $rc in 0|1) t_ok "rules on $n: exit $rc" ;; *) t_fail "rules on $n: exit $rc" "$T_ERR" ;; esac
	t_contains "rules on $n: a whole report" "$(tail -c 200 "$tmp/out")" '"summary":{"files":1,"documents":1,'
done
exit $T_FAILED
