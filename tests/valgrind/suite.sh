#!/usr/bin/env bash
# tests/valgrind/suite.sh: a representative handful of CLI runs under
# valgrind (memcheck): invalid reads/writes, uses of uninitialised values
# and definite leaks fail the case (exit 99).  Covers both programs, the
# worker threads, the report formats, YAML errors and rules that misbehave
# (tests/valgrind/rules/).  About a minute in all.  Skipped visibly when
# valgrind or the binaries are missing, and under `make check` (ASan
# binaries cannot run under valgrind).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

here=tests/valgrind
if [ -n "${SK_SANITIZED:-}" ]; then
	t_skip "valgrind" "sanitizer builds do not run under valgrind"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	t_skip "valgrind" "valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
# memcheck follows malloc only in a program linked with the shared libraries:
# make test builds those (VG_SPARKLINT, VG_SPARKGEN) beside the static programs.
SPARKLINT=${VG_SPARKLINT:-$SPARKLINT} SPARKGEN=${VG_SPARKGEN:-$SPARKGEN}
for p in "$SPARKLINT" "$SPARKGEN"; do
	if [ -x "$p" ] && ldd "$p" 2>&1 | grep -Eq 'statically linked|not a dynamic'; then
		t_fail "valgrind: $p is linked statically" \
			"memcheck cannot see its heap; set VG_SPARKLINT and VG_SPARKGEN (make test does)"
		exit 0
	fi
done
have_lint=false have_gen=false
[ -x "$SPARKLINT" ] && have_lint=true
[ -x "$SPARKGEN" ] && have_gen=true

tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT
# Data next to the sources, wherever the binaries were built.
export SPARKLINT_RULES_DIR="${SPARKLINT_RULES_DIR:-$PWD/rules}"
export SPARKGEN_DATADIR="${SPARKGEN_DATADIR:-$PWD}"

# vg NAME WANT_RC CMD...: run CMD under memcheck with a 120 s limit.
vg() {
	local name=$1 want=$2 rc start=$SECONDS; shift 2
	timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--track-origins=yes --log-file="$tmp/vg.log" \
		"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	echo "# $name: $((SECONDS - start)) s"
	case $rc in
	"$want") t_ok "valgrind: $name" ;;
	99) t_fail "valgrind: $name: memcheck errors" "$(head -n 60 "$tmp/vg.log")" ;;
	124) t_fail "valgrind: $name: still running after 120 s" ;;
	*) t_fail "valgrind: $name: exit $rc, wanted $want" \
		"$(head -c 2000 "$tmp/err")" "$(head -n 30 "$tmp/vg.log")" ;;
	esac
}

if $have_lint; then
	vg "lint multi-document files, all rules, 2 workers, SARIF" 1 \
		"$SPARKLINT" --no-config -j 2 -f sarif tests/rules/spark-driver-rbac/fail.yaml \
		tests/oracle/corpus/multidoc.yaml tests/oracle/corpus/k8s.yaml
	vg "lint every rule fixture (text, suppressions)" 1 \
		"$SPARKLINT" --no-config tests/rules
	vg "YAML errors: duplicate key, billion laughs" 2 \
		"$SPARKLINT" --no-config tests/hostile/cases/duplicate-key.yaml \
		tests/hostile/cases/laughs-flow.yaml
	vg "inspect with positions" 0 \
		"$SPARKLINT" --inspect --positions tests/oracle/corpus/anchors.yaml \
		tests/oracle/corpus/unicode.yaml tests/oracle/corpus/keys.yaml
	vg "hostile rules: table error, regex, memory cap, endless loop" 2 \
		"$SPARKLINT" --no-config -f json -r "$here/rules" "$here/four-kinds.yaml"
	case $(cat "$tmp/out") in
	*vg-error*vg-loop*vg-memory*vg-regex*) t_ok "valgrind: each hostile rule became a finding" ;;
	*) t_fail "valgrind: each hostile rule became a finding" "$(head -c 2000 "$tmp/out")" ;;
	esac
else
	t_skip "valgrind: sparklint cases" "no binary at '$SPARKLINT'"
fi

if $have_gen; then
	vg "sparkgen example" 0 "$SPARKGEN" examples/network-word-count.yaml
	vg "sparkgen --env overlay" 0 "$SPARKGEN" --env ci examples/local-dev.yaml
	bad=$(ls tests/gen/bad/*.yaml 2>/dev/null | head -n 1)
	if [ -n "$bad" ]; then
		vg "sparkgen invalid description" 2 "$SPARKGEN" "$bad"
	fi
else
	t_skip "valgrind: sparkgen cases" "no binary at '$SPARKGEN'"
fi
