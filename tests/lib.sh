# tests/lib.sh: helpers for shell test suites (sourced).  Each suite prints
# TAP-style lines that tests/run.sh counts:
#   ok - description            a check that held
#   not ok - description        a check that failed (details follow on '#' lines)
#   ok - description # SKIP why a check that could not run here
# Environment from the Makefile: SPARKGEN, SPARKLINT, UNITDIR, TOOLDIR.
# Suites run from the repository root; ../shared is at $SHARED.

: "${SPARKGEN:=./sparkgen}" "${SPARKLINT:=./sparklint}"
# A suite run on its own (not from tests/run.sh) leaves the user's cache alone.
: "${SPARKGEN_CACHE:=off}"; export SPARKGEN_CACHE
: "${SHARED:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../shared" 2>/dev/null && pwd)}"
PYTHON=/usr/bin/python3		# Debian's python, which has python3-yaml
T_FAILED=0

t_ok()   { echo "ok - $1"; }
t_fail() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; T_FAILED=1; }
t_skip() { echo "ok - $1 # SKIP $2"; }

# t_check DESC CMD...: ok when CMD exits 0; otherwise show its output.
t_check() {
	local desc=$1 out; shift
	if out=$("$@" 2>&1); then t_ok "$desc"; else t_fail "$desc" "$out"; fi
}

# t_run DESC WANT_RC CMD...: run CMD, compare its exit code; output in
# $T_OUT/$T_ERR, CPU time (user + system, ms) in $T_CPU_MS: unlike the wall
# clock, it does not grow when the machine is busy with something else.
T_OUT= T_ERR= T_RC= T_CPU_MS=
t_run() {
	local desc=$1 want=$2; shift 2
	local o e c TIMEFORMAT='%3U %3S'
	o=$(mktemp) e=$(mktemp) c=$(mktemp)
	{ time "$@" >"$o" 2>"$e"; } 2>"$c"; T_RC=$?
	T_CPU_MS=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$c")
	T_OUT=$(cat "$o") T_ERR=$(cat "$e"); rm -f "$o" "$e" "$c"
	if [ "$T_RC" = "$want" ]; then t_ok "$desc"; else
		t_fail "$desc" "exit $T_RC, wanted $want" "stdout: ${T_OUT:0:2000}" "stderr: ${T_ERR:0:2000}"; fi
}

# t_contains DESC HAYSTACK NEEDLE
t_contains() {
	case "$2" in *"$3"*) t_ok "$1" ;; *) t_fail "$1" "missing: $3" "in: ${2:0:2000}" ;; esac
}

# t_eq DESC GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "got:  ${2:0:2000}" "want: ${3:0:2000}"; fi
}

# A misspelt helper or a missing tool must fail the suite, not pass it by
# printing nothing (bash runs this in a subshell: the line is what counts).
command_not_found_handle() {
	echo "not ok - command not found: $1 (${BASH_SOURCE[1]:-?}:${BASH_LINENO[0]:-?})"
	return 127
}

t_tmpdir() { mktemp -d "${TMPDIR:-/tmp}/sk-test.XXXXXX"; }
